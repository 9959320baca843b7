//! Scoring recognised entities against labelled gold data (the `../shared/eval` format), the
//! same way as `score.py`: per kind, exact / norm / overlap matching, precision, recall, F1.
//!
//! Spans here are Unicode code-point offsets, as in the gold files.

use std::collections::{BTreeSet, HashMap};

use crate::recognize::Kind;

/// One labelled or predicted span: (start, end) code points and kind.
pub type Span = (usize, usize, Kind);

#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Prf {
    pub tp: usize,
    pub p: f64,
    pub r: f64,
    pub f1: f64,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct KindScore {
    pub gold: usize,
    pub pred: usize,
    pub exact: Prf,
    pub norm: Prf,
    pub overlap: Prf,
}

#[derive(Default)]
struct Counts {
    gold: usize,
    pred: usize,
    exact: usize,
    norm: usize,
    overlap: usize,
}

/// Accumulates documents and produces per-kind and micro scores.
#[derive(Default)]
pub struct Scorer {
    counts: HashMap<Kind, Counts>,
}

impl Scorer {
    /// Adds one document: its text (for `norm`), gold spans and predicted spans.
    pub fn add(&mut self, text: &str, gold: &[Span], pred: &[Span]) {
        let chars: Vec<char> = text.chars().collect();
        for kind in Kind::ALL {
            let g: BTreeSet<(usize, usize)> =
                gold.iter().filter(|s| s.2 == kind).map(|s| (s.0, s.1)).collect();
            let p: BTreeSet<(usize, usize)> =
                pred.iter().filter(|s| s.2 == kind).map(|s| (s.0, s.1)).collect();
            let c = self.counts.entry(kind).or_default();
            c.gold += g.len();
            c.pred += p.len();
            c.exact += g.intersection(&p).count();
            let mut gn: HashMap<(usize, usize), usize> = HashMap::new();
            for &(s, e) in &g {
                *gn.entry(norm_span(&chars, s, e)).or_default() += 1;
            }
            let mut pn: HashMap<(usize, usize), usize> = HashMap::new();
            for &(s, e) in &p {
                *pn.entry(norm_span(&chars, s, e)).or_default() += 1;
            }
            c.norm += gn
                .iter()
                .map(|(k, n)| (*n).min(pn.get(k).copied().unwrap_or(0)))
                .sum::<usize>();
            let g: Vec<(usize, usize)> = g.into_iter().collect();
            let p: Vec<(usize, usize)> = p.into_iter().collect();
            c.overlap += match_overlap(&g, &p);
        }
    }

    pub fn kind(&self, kind: Kind) -> KindScore {
        let empty = Counts::default();
        let c = self.counts.get(&kind).unwrap_or(&empty);
        to_score(c)
    }

    /// Micro-averaged over `kinds`.
    pub fn micro(&self, kinds: &[Kind]) -> KindScore {
        let mut sum = Counts::default();
        for kind in kinds {
            if let Some(c) = self.counts.get(kind) {
                sum.gold += c.gold;
                sum.pred += c.pred;
                sum.exact += c.exact;
                sum.norm += c.norm;
                sum.overlap += c.overlap;
            }
        }
        to_score(&sum)
    }
}

fn to_score(c: &Counts) -> KindScore {
    KindScore {
        gold: c.gold,
        pred: c.pred,
        exact: prf(c.exact, c.pred, c.gold),
        norm: prf(c.norm, c.pred, c.gold),
        overlap: prf(c.overlap, c.pred, c.gold),
    }
}

fn prf(tp: usize, n_pred: usize, n_gold: usize) -> Prf {
    let p = if n_pred > 0 {
        tp as f64 / n_pred as f64
    } else {
        0.0
    };
    let r = if n_gold > 0 {
        tp as f64 / n_gold as f64
    } else {
        0.0
    };
    let f1 = if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
    Prf { tp, p, r, f1 }
}

/// Greedy one-to-one matching by overlap length (largest first); the number of matched pairs.
fn match_overlap(gold: &[(usize, usize)], pred: &[(usize, usize)]) -> usize {
    let mut pairs = Vec::new();
    for (gi, g) in gold.iter().enumerate() {
        for (pi, p) in pred.iter().enumerate() {
            let ov = g.1.min(p.1) as isize - g.0.max(p.0) as isize;
            if ov > 0 {
                pairs.push((-ov, gi, pi));
            }
        }
    }
    pairs.sort();
    let mut used_g = vec![false; gold.len()];
    let mut used_p = vec![false; pred.len()];
    let mut n = 0;
    for (_, gi, pi) in pairs {
        if used_g[gi] || used_p[pi] {
            continue;
        }
        used_g[gi] = true;
        used_p[pi] = true;
        n += 1;
    }
    n
}

const PUNCT: &str = " \t\n\r.,;:!?\"“”‘’'()[]{}";

/// Trims a leading article, a trailing possessive and outer punctuation (as score.py does).
fn norm_span(chars: &[char], mut s: usize, mut e: usize) -> (usize, usize) {
    if e > chars.len() {
        return (s, e);
    }
    for _ in 0..3 {
        while s < e && PUNCT.contains(chars[s]) {
            s += 1;
        }
        while e > s && PUNCT.contains(chars[e - 1]) && chars[e - 1] != '\'' && chars[e - 1] != '’' {
            e -= 1;
        }
        let inner: String = chars[s..e].iter().collect();
        let lower = inner.to_lowercase();
        for lead in ["the", "a", "an"] {
            if lower.starts_with(lead) {
                let rest = &inner[lead.len()..];
                let ws = rest.len() - rest.trim_start().len();
                let skip = lead.len() + ws;
                if ws > 0 && skip < inner.len() {
                    s += inner[..skip].chars().count();
                    break;
                }
            }
        }
        let inner: Vec<char> = chars[s..e].to_vec();
        let n = inner.len();
        if n >= 3 && (inner[n - 2] == '\'' || inner[n - 2] == '’') && inner[n - 1] == 's' {
            e -= 2;
        } else if n >= 2 && (inner[n - 1] == '\'' || inner[n - 1] == '’') {
            e -= 1;
        }
    }
    (s, e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_norm_and_overlap() {
        let text = "the United Nations met Google's team";
        let gold = [(4, 18, Kind::Organization), (23, 29, Kind::Organization)];
        let pred = [
            (0, 18, Kind::Organization),
            (23, 31, Kind::Organization),
            (32, 36, Kind::Place),
        ];
        let mut scorer = Scorer::default();
        scorer.add(text, &gold, &pred);
        let org = scorer.kind(Kind::Organization);
        assert_eq!((org.gold, org.pred), (2, 2));
        assert_eq!(org.exact.tp, 0);
        assert_eq!(org.norm.tp, 2);
        assert_eq!(org.overlap.tp, 2);
        let place = scorer.kind(Kind::Place);
        assert_eq!((place.gold, place.pred, place.exact.tp), (0, 1, 0));
        let micro = scorer.micro(&Kind::ALL);
        assert_eq!(micro.exact.p, 0.0);
        assert!((micro.overlap.p - 2.0 / 3.0).abs() < 1e-9);
        assert!((micro.overlap.r - 1.0).abs() < 1e-9);
    }
}
