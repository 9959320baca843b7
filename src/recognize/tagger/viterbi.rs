//! Decoding a paragraph's labels: the best-scoring label sequence under the model's
//! second-order features (second-order Viterbi), for the tagger and for its training alike.
//!
//! A paragraph's tokens are either *fixed* (not scored: `O`, or the label a strong rule
//! candidate forces) or *scored*. A scored token's score for a label is its own features'
//! weights plus those of the label before it ([`Scores::after`]: the label alone, with the
//! token's shape, with its word) and of the two labels before it ([`Scores::after2`]). So
//! only scored tokens at most two apart depend on each other: the paragraph splits into such
//! segments, each decoded on its own over states (label before, label), and a lone scored
//! token costs what greedy decoding costs. `I-X` only follows `B-X`/`I-X` at a scored token.
//!
//! Invariants: pure; the same scores give the same labels (ties: the lower label index,
//! `O` first); fixed tokens keep their labels.

use std::ops::Range;

use super::{Label, N_LABELS};

/// The scores a decoder reads, in exact arithmetic (`f64` holds every sum of `i16` weights
/// and of the trainer's integral updates exactly).
pub trait Scores {
    /// The label scores of the `i`th scored token from its own features.
    fn emission(&mut self, i: usize) -> [f64; N_LABELS];
    /// The label scores of token `k` from the features of the label before it, `prev`.
    fn after(&mut self, k: usize, prev: Label) -> [f64; N_LABELS];
    /// The label scores from the two labels before a token.
    fn after2(&mut self, prev2: Label, prev: Label) -> [f64; N_LABELS];
}

/// Per position of a segment and state (label before, label): the label two before.
pub type Backpointers = Vec<[[u8; N_LABELS]; N_LABELS]>;

const NONE: f64 = f64::NEG_INFINITY;

/// Labels the scored tokens (`scored`: token indices, ascending, each with the range of its
/// features, as in [`super::Features::scored`]) of `labels`, which holds every token's fixed
/// label on entry (scored tokens: anything).
pub fn decode<S: Scores>(
    scored: &[(usize, Range<usize>)],
    labels: &mut [Label],
    s: &mut S,
    bp: &mut Backpointers,
) {
    let mut i = 0;
    while i < scored.len() {
        let mut j = i + 1;
        while j < scored.len() && scored[j].0 - scored[j - 1].0 <= 2 {
            j += 1;
        }
        segment(&scored[i..j], i, labels, s, bp);
        i = j;
    }
}

/// Decodes one segment: scored tokens `seg` (the `first`th scored token and on), the fixed
/// tokens between them, and the fixed labels before it as context.
fn segment<S: Scores>(
    seg: &[(usize, Range<usize>)],
    first: usize,
    labels: &mut [Label],
    s: &mut S,
    bp: &mut Backpointers,
) {
    let start = seg[0].0;
    let end = seg[seg.len() - 1].0 + 1;
    let before = |k: usize, back: usize| if k >= back { labels[k - back] } else { Label::O };
    let (p0, p2_0) = (before(start, 1), before(start, 2));
    if seg.len() == 1 {
        // A lone scored token (most of them): its best label after the fixed ones, as the
        // general case below would find it.
        let (em, tr, t2) = (s.emission(first), s.after(start, p0), s.after2(p2_0, p0));
        let (mut top, mut best) = (NONE, Label::O);
        for l in Label::ALL {
            let v = em[l.index()] + tr[l.index()] + t2[l.index()];
            if l.may_follow(p0) && v > top {
                (top, best) = (v, l);
            }
        }
        labels[start] = best;
        return;
    }
    bp.clear();
    bp.resize(end - start, [[0; N_LABELS]; N_LABELS]);
    // alpha[p][l]: the best score of the segment so far with label `p` before and `l` here.
    let mut alpha = [[NONE; N_LABELS]; N_LABELS];
    {
        let em = s.emission(first);
        let tr = s.after(start, p0);
        let t2 = s.after2(p2_0, p0);
        for l in Label::ALL {
            if l.may_follow(p0) {
                alpha[p0.index()][l.index()] = em[l.index()] + tr[l.index()] + t2[l.index()];
                bp[0][p0.index()][l.index()] = p2_0.index() as u8;
            }
        }
    }
    let mut next = 1;
    for (rel, fixed) in labels[start..end].iter().enumerate().skip(1) {
        let pos = start + rel;
        let mut new = [[NONE; N_LABELS]; N_LABELS];
        if next < seg.len() && seg[next].0 == pos {
            let em = s.emission(first + next);
            next += 1;
            for p in Label::ALL {
                let pi = p.index();
                // Per label here: the best score through each label two before (the first
                // of equals).
                let (mut top, mut arg) = ([NONE; N_LABELS], [0u8; N_LABELS]);
                for (p2i, row) in alpha.iter().enumerate() {
                    if row[pi] == NONE {
                        continue;
                    }
                    let t = s.after2(Label::ALL[p2i], p);
                    for l in Label::ALL {
                        let li = l.index();
                        let v = row[pi] + t[li];
                        if v > top[li] {
                            (top[li], arg[li]) = (v, p2i as u8);
                        }
                    }
                }
                if top[0] == NONE {
                    // (No path has label `p` at the token before.)
                    continue;
                }
                let tr = s.after(pos, p);
                for l in Label::ALL {
                    if l.may_follow(p) {
                        let li = l.index();
                        new[pi][li] = top[li] + em[li] + tr[li];
                        bp[rel][pi][li] = arg[li];
                    }
                }
            }
        } else {
            let f = fixed.index();
            for pi in 0..N_LABELS {
                let (mut top, mut arg) = (NONE, 0);
                for (p2i, row) in alpha.iter().enumerate() {
                    if row[pi] > top {
                        (top, arg) = (row[pi], p2i);
                    }
                }
                if top > NONE {
                    new[pi][f] = top;
                    bp[rel][pi][f] = arg as u8;
                }
            }
        }
        alpha = new;
    }
    let (mut top, mut state) = (NONE, (p0.index(), 0));
    for (pi, row) in alpha.iter().enumerate() {
        for (li, &v) in row.iter().enumerate() {
            if v > top {
                (top, state) = (v, (pi, li));
            }
        }
    }
    // Back from the end: at position `pos`, state (label before, label).
    let (mut p, mut l) = state;
    let mut pos = end - 1;
    loop {
        labels[pos] = Label::ALL[l];
        if pos == start {
            break;
        }
        let p2 = usize::from(bp[pos - start][p][l]);
        (p, l) = (p2, p);
        pos -= 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Scores from tables: emission per scored token, `after` per (prev, label), `after2`
    /// per (prev2, prev, label).
    struct Table {
        em: Vec<[f64; N_LABELS]>,
        after: [[f64; N_LABELS]; N_LABELS],
        after2: Vec<((Label, Label), [f64; N_LABELS])>,
    }

    impl Scores for Table {
        fn emission(&mut self, i: usize) -> [f64; N_LABELS] {
            self.em[i]
        }
        fn after(&mut self, _k: usize, prev: Label) -> [f64; N_LABELS] {
            self.after[prev.index()]
        }
        fn after2(&mut self, prev2: Label, prev: Label) -> [f64; N_LABELS] {
            self.after2
                .iter()
                .find(|(k, _)| *k == (prev2, prev))
                .map_or([0.0; N_LABELS], |x| x.1)
        }
    }

    fn total(t: &mut Table, scored: &[usize], labels: &[Label]) -> f64 {
        let mut sum = 0.0;
        for (i, &k) in scored.iter().enumerate() {
            let prev = if k > 0 { labels[k - 1] } else { Label::O };
            let prev2 = if k > 1 { labels[k - 2] } else { Label::O };
            if !labels[k].may_follow(prev) {
                return f64::NEG_INFINITY;
            }
            let l = labels[k].index();
            sum += t.emission(i)[l] + t.after(k, prev)[l] + t.after2(prev2, prev)[l];
        }
        sum
    }

    /// Exhaustive search over the scored tokens' labels.
    fn brute(t: &mut Table, scored: &[usize], fixed: &[Label]) -> f64 {
        let mut best = f64::NEG_INFINITY;
        let n = scored.len() as u32;
        for code in 0..(N_LABELS as u32).pow(n) {
            let mut labels = fixed.to_vec();
            let mut c = code;
            for &k in scored {
                labels[k] = Label::ALL[(c % N_LABELS as u32) as usize];
                c /= N_LABELS as u32;
            }
            best = best.max(total(t, scored, &labels));
        }
        best
    }

    #[test]
    fn viterbi_finds_the_best_sequence() {
        let mut rng = fastrand::Rng::with_seed(7);
        let mut bp = Backpointers::new();
        for _ in 0..300 {
            let n = rng.usize(1..8);
            let mut fixed = vec![Label::O; n];
            let mut scored = Vec::new();
            for (k, f) in fixed.iter_mut().enumerate() {
                match rng.u8(0..4) {
                    0 => *f = Label::ALL[rng.usize(0..N_LABELS)],
                    1 => {}
                    _ => scored.push(k),
                }
            }
            if scored.len() > 4 {
                scored.truncate(4);
            }
            let mut rand_row = || {
                let mut r = [0.0; N_LABELS];
                for x in &mut r {
                    *x = f64::from(rng.i32(-5..6));
                }
                r
            };
            let em = scored.iter().map(|_| rand_row()).collect();
            let mut after = [[0.0; N_LABELS]; N_LABELS];
            for row in &mut after {
                *row = rand_row();
            }
            let mut after2 = Vec::new();
            for a in Label::ALL {
                for b in Label::ALL {
                    after2.push(((a, b), rand_row()));
                }
            }
            let mut t = Table { em, after, after2 };
            let mut labels = fixed.clone();
            let pairs: Vec<(usize, Range<usize>)> = scored.iter().map(|&k| (k, 0..0)).collect();
            decode(&pairs, &mut labels, &mut t, &mut bp);
            for k in 0..n {
                if !scored.contains(&k) {
                    assert_eq!(labels[k], fixed[k], "fixed tokens keep their labels");
                }
            }
            let got = total(&mut t, &scored, &labels);
            assert_eq!(
                got,
                brute(&mut t, &scored, &fixed),
                "{labels:?} {scored:?} {fixed:?}"
            );
        }
    }

    #[test]
    fn a_later_word_can_change_an_earlier_label() {
        // Token 0 alone prefers B-Place a little; token 1 strongly wants I-Org, which needs an
        // organisation before it: the sequence B-Org I-Org beats the greedy B-Place O.
        let mut em0 = [0.0; N_LABELS];
        em0[Label::BeginPlace.index()] = 2.0;
        em0[Label::BeginOrg.index()] = 1.0;
        let mut em1 = [0.0; N_LABELS];
        em1[Label::InOrg.index()] = 5.0;
        let mut t = Table {
            em: vec![em0, em1],
            after: [[0.0; N_LABELS]; N_LABELS],
            after2: Vec::new(),
        };
        let mut labels = vec![Label::O; 2];
        let scored = [(0, 0..0), (1, 0..0)];
        decode(&scored, &mut labels, &mut t, &mut Backpointers::new());
        assert_eq!(labels, vec![Label::BeginOrg, Label::InOrg]);
    }
}
