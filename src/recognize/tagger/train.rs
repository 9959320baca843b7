//! Training the name tagger: an averaged perceptron over labelled documents.
//!
//! Input: documents with their name spans (byte offsets, kinds organization / place /
//! person), e.g. read from the evaluation JSONL format, or made from a workspace's
//! corrections. Output: the model file's bytes ([`super::Model::to_bytes`]).
//!
//! Each paragraph is recognised by the rules first (their candidates are features), its
//! features are extracted once, then the perceptron runs `epochs` passes over the paragraphs
//! in an order shuffled by a seeded generator, decoding each paragraph's best label sequence
//! as the tagger does ([`super::viterbi`]) and, when it is not the gold one, updating towards
//! the gold labels and transitions (Collins 2002, the structured perceptron). Measured
//! against greedy left-to-right decoding and per-token updates (5-fold by document, 3 seeds):
//! GUM open genres micro F1 0.730 -> 0.744-0.747 (places +0.02, persons +0.015), every other
//! source +0.005-0.01, the news dev file 0.852 -> 0.859-0.861. [`TrainConfig::bags`] such runs, with consecutive seeds, run in parallel and their
//! averaged weights are averaged again. The result is quantised to `i16` and features whose
//! weights all round to zero are dropped.
//!
//! Invariants: pure (no I/O); the same documents, gazetteer and [`TrainConfig`] give the same
//! bytes (fixed seeds, sequential updates within a run, runs summed in order, sorted output).

use std::hash::Hasher;
use std::ops::Range;

use rayon::prelude::*;

use super::viterbi::{self, Backpointers};
use super::{Features, Label, Model, N_LABELS, Scratch, features_of, tokenize, transition_features};
use crate::recognize::gazetteer::{FastHasher, FastMap, Gazetteer};
use crate::recognize::types::Kind;
use crate::recognize::{figures, names, paragraphs};

/// A labelled document: its text and its names as byte spans.
#[derive(Clone, Debug)]
pub struct LabelledDoc {
    pub id: String,
    /// The data set it comes from (for per-source reports).
    pub source: String,
    pub text: String,
    /// Names (organization, place, person): byte spans into `text`, sorted, not overlapping.
    pub names: Vec<(Range<usize>, Kind)>,
}

/// Training settings.
#[derive(Clone, Debug)]
pub struct TrainConfig {
    /// Passes over the training paragraphs. Measured (5-fold, 3 seeds): 8 gave +0.001-0.002
    /// micro F1 over 5 on every source; 12 the same as 8.
    pub epochs: usize,
    pub seed: u64,
    /// Features whose averaged weights are all below this fraction of the largest weight are
    /// dropped (keeps the file small).
    pub prune: f32,
    /// Sources whose paragraphs are seen this many times per epoch (the closest to the
    /// evaluation data's conventions); the others once.
    pub repeat: Vec<(String, usize)>,
    /// The source whose span conventions the model follows. Every feature also has a copy
    /// per source, learnt only from that source's documents (Daumé III 2007, "Frustratingly
    /// easy domain adaptation"): the copies take up what one corpus does its own way (UNER
    /// tags governments as organisations, tweets lower-case names), and the model keeps the
    /// shared weights plus the target source's copies. `None`: no copies.
    pub target: Option<String>,
    /// How much of the target source's copies the model keeps (1: all, as for a document of
    /// that source). Measured (5-fold, 3 seeds): 1.0 raised the news dev file's micro F1 by
    /// 0.01 and lowered the open genres' by 0.01; 0.5 keeps the first and halves the second.
    pub target_weight: f32,
    /// Runs, each with its own shuffling seed (`seed`, `seed + 1`, ...), whose averaged weights
    /// are averaged again into the model: one linear model with an ensemble's steadier
    /// decisions (the weights of a single run depend on the order it saw the paragraphs in).
    /// Measured (5-fold, 3 seeds): 4 runs raised the open genres' micro F1 from 0.701–0.704
    /// to 0.708–0.711 (organisations +0.008, persons +0.007), the news dev file's stayed at
    /// 0.839–0.843; 8 runs gave the same as 4.
    pub bags: usize,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            epochs: 8,
            seed: 20261207,
            prune: 0.01,
            repeat: vec![("gum_open_genres".to_string(), 2)],
            target: Some("gum_open_genres".to_string()),
            target_weight: 0.5,
            bags: 4,
        }
    }
}

/// One training paragraph: its features and gold labels.
struct Example {
    feats: Features,
    gold: Vec<Label>,
    /// Which source's copies of the features it trains (an index into the sources).
    domain: u32,
}

fn examples(doc: &LabelledDoc, g: &Gazetteer, domain: u32) -> Vec<Example> {
    let mut scratch = Scratch::default();
    let mut res = Vec::new();
    for span in paragraphs(&doc.text) {
        let para = &doc.text[span.clone()];
        let figs = figures::find_figures(para);
        // One tokenisation for the rules and the features, as in recognition.
        let mut toks = Vec::new();
        tokenize(para, &mut toks);
        let rules = names::find_names_in(para, g, &toks);
        let feats = features_of(para, g, &toks, &rules, &figs, &mut scratch);
        if feats.scored.is_empty() {
            continue;
        }
        let mut gold = vec![Label::O; toks.len()];
        for (range, kind) in &doc.names {
            if range.end <= span.start || range.start >= span.end {
                continue;
            }
            let (s, e) = (range.start.saturating_sub(span.start), range.end - span.start);
            let mut first = true;
            for (k, tk) in toks.iter().enumerate() {
                if tk.start >= s && tk.start < e {
                    gold[k] = if first {
                        Label::begin(*kind)
                    } else {
                        Label::inside(*kind)
                    };
                    first = false;
                }
            }
        }
        res.push(Example { feats, gold, domain });
    }
    res
}

/// Weights under training: the current vector and the sum of `update time x update`, from
/// which the average is `w - u / c`.
#[derive(Clone, Copy, Default)]
struct Acc {
    w: [f32; N_LABELS],
    u: [f64; N_LABELS],
}

struct Perceptron {
    weights: FastMap<u64, Acc>,
    /// The per-source copies, by (source, feature).
    copies: FastMap<(u32, u64), Acc>,
    /// Whether features have per-source copies.
    adapt: bool,
    /// Updates so far (+1 per scored token).
    c: f64,
}

impl Perceptron {
    fn scores(&self, keys: &[u64], domain: u32) -> [f32; N_LABELS] {
        let mut s = [0f32; N_LABELS];
        let mut add = |a: &Acc| {
            for (x, w) in s.iter_mut().zip(&a.w) {
                *x += *w;
            }
        };
        for &key in keys {
            if let Some(a) = self.weights.get(&key) {
                add(a);
            }
            if self.adapt
                && let Some(a) = self.copies.get(&(domain, key))
            {
                add(a);
            }
        }
        s
    }

    /// Adds `delta` to the weights of `label` for these features (and their copies of the
    /// source `domain`).
    fn adjust(&mut self, keys: &[u64], domain: u32, label: Label, delta: f32) {
        let c = self.c;
        let step = |a: &mut Acc| {
            a.w[label.index()] += delta;
            a.u[label.index()] += f64::from(delta) * c;
        };
        for &key in keys {
            step(self.weights.entry(key).or_default());
            if self.adapt {
                step(self.copies.entry((domain, key)).or_default());
            }
        }
    }

    /// One structured-perceptron step: decodes the paragraph with the current weights (the
    /// best sequence, as the tagger does) and, where it differs from the gold sequence, moves
    /// the weights towards the gold labels and their transitions and away from the decoded
    /// ones.
    fn learn(&mut self, ex: &Example, bp: &mut Backpointers) {
        let n = ex.gold.len();
        let mut fixed = vec![Label::O; n];
        for &(k, label) in &ex.feats.forced {
            fixed[k] = label;
        }
        let mut pred = fixed.clone();
        {
            let mut scores = TrainScores { p: self, ex };
            viterbi::decode(&ex.feats.scored, &mut pred, &mut scores, bp);
        }
        // The gold sequence as the decoder can write it: tokens not scored keep their fixed
        // label, and an inside label after one it cannot follow (a name starting on a token
        // that is not scored) begins its name.
        let mut gold = fixed;
        for (k, _) in &ex.feats.scored {
            let k = *k;
            let prev = if k > 0 { gold[k - 1] } else { Label::O };
            let g = ex.gold[k];
            gold[k] = match g.kind() {
                Some(kind) if !g.may_follow(prev) => Label::begin(kind),
                _ => g,
            };
        }
        self.c += 1.0;
        if ex.feats.scored.iter().all(|(k, _)| gold[*k] == pred[*k]) {
            return;
        }
        let at = |labels: &[Label], k: usize, back: usize| {
            if k >= back { labels[k - back] } else { Label::O }
        };
        for (k, range) in &ex.feats.scored {
            let k = *k;
            let (g, p) = (gold[k], pred[k]);
            let tg = transition_features(&ex.feats, k, at(&gold, k, 1), at(&gold, k, 2));
            let tp = transition_features(&ex.feats, k, at(&pred, k, 1), at(&pred, k, 2));
            if g != p {
                let keys = &ex.feats.hashes[range.clone()];
                self.adjust(keys, ex.domain, g, 1.0);
                self.adjust(keys, ex.domain, p, -1.0);
            }
            if g != p || tg != tp {
                self.adjust(&tg, ex.domain, g, 1.0);
                self.adjust(&tp, ex.domain, p, -1.0);
            }
        }
    }
}

/// The perceptron's current scores of one training paragraph, for [`viterbi::decode`].
struct TrainScores<'a> {
    p: &'a Perceptron,
    ex: &'a Example,
}

impl viterbi::Scores for TrainScores<'_> {
    fn emission(&mut self, i: usize) -> [f64; N_LABELS] {
        let range = self.ex.feats.scored[i].1.clone();
        self.p
            .scores(&self.ex.feats.hashes[range], self.ex.domain)
            .map(f64::from)
    }
    fn after(&mut self, k: usize, prev: Label) -> [f64; N_LABELS] {
        // (The features of `transition_features` but the one of the label two before.)
        let t = transition_features(&self.ex.feats, k, prev, Label::O);
        self.p.scores(&[t[0], t[2], t[3]], self.ex.domain).map(f64::from)
    }
    fn after2(&mut self, prev2: Label, prev: Label) -> [f64; N_LABELS] {
        let t = transition_features(&self.ex.feats, 0, prev, prev2);
        self.p.scores(&[t[1]], self.ex.domain).map(f64::from)
    }
}

/// Trains a model on `docs` and returns the model file's bytes.
pub fn train(docs: &[LabelledDoc], g: &Gazetteer, config: &TrainConfig) -> Vec<u8> {
    // Sources by first appearance: their index is their domain.
    let mut sources: Vec<&str> = Vec::new();
    let domain_of: Vec<u32> = docs
        .iter()
        .map(|d| {
            let i = sources.iter().position(|s| *s == d.source).unwrap_or_else(|| {
                sources.push(&d.source);
                sources.len() - 1
            });
            i as u32
        })
        .collect();
    let target = config
        .target
        .as_deref()
        .and_then(|t| sources.iter().position(|s| *s == t))
        .map(|i| i as u32);
    let per_doc: Vec<Vec<Example>> = docs
        .par_iter()
        .zip(&domain_of)
        .map(|(d, &domain)| examples(d, g, domain))
        .collect();
    let mut order: Vec<usize> = Vec::new();
    let mut examples: Vec<Example> = Vec::new();
    for (d, exs) in docs.iter().zip(per_doc) {
        let times = config
            .repeat
            .iter()
            .find(|(source, _)| *source == d.source)
            .map_or(1, |r| r.1);
        for ex in exs {
            order.extend(std::iter::repeat_n(examples.len(), times));
            examples.push(ex);
        }
    }
    let runs: Vec<FastMap<u64, [f32; N_LABELS]>> = (0..config.bags.max(1) as u64)
        .into_par_iter()
        .map(|run| {
            let mut order = order.clone();
            one_run(
                &examples,
                &mut order,
                config,
                config.seed.wrapping_add(run),
                target,
            )
        })
        .collect();
    // Summed in run order: each feature's weights are added run 0, 1, ... whatever order a
    // run's map is visited in, so the sums are the same bytes every time.
    let n_runs = runs.len() as f32;
    let mut merged: FastMap<u64, [f32; N_LABELS]> = FastMap::default();
    for run in &runs {
        for (k, weights) in run {
            let w = merged.entry(*k).or_default();
            for (x, y) in w.iter_mut().zip(weights) {
                *x += *y;
            }
        }
    }
    if n_runs > 1.0 {
        for w in merged.values_mut() {
            for x in w.iter_mut() {
                *x /= n_runs;
            }
        }
    }
    let mut avg: Vec<(u64, [f32; N_LABELS])> = merged.into_iter().collect();
    avg.sort_by_key(|x| x.0);
    let max = avg
        .iter()
        .flat_map(|(_, w)| w.iter().map(|x| x.abs()))
        .fold(0f32, f32::max)
        .max(f32::MIN_POSITIVE);
    let scale = f32::from(i16::MAX) / max;
    let floor = config.prune * max;
    let weights: Vec<(u64, [i16; N_LABELS])> = avg
        .into_iter()
        .filter(|(_, w)| w.iter().any(|x| x.abs() >= floor))
        .map(|(k, w)| (k, w.map(|x| (x * scale).round() as i16)))
        .filter(|(_, w)| w.iter().any(|x| *x != 0))
        .collect();
    Model::to_bytes(fingerprint(docs, config), &weights)
}

/// One perceptron run over the examples in an order shuffled with `seed`: the averaged
/// weights, with the target source's copies merged in.
fn one_run(
    examples: &[Example],
    order: &mut [usize],
    config: &TrainConfig,
    seed: u64,
    target: Option<u32>,
) -> FastMap<u64, [f32; N_LABELS]> {
    let mut p = Perceptron {
        weights: FastMap::default(),
        copies: FastMap::default(),
        adapt: config.target.is_some(),
        c: 1.0,
    };
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut bp = Backpointers::new();
    for _ in 0..config.epochs {
        rng.shuffle(order);
        for &i in order.iter() {
            p.learn(&examples[i], &mut bp);
        }
    }
    let c = p.c;
    let average = |a: &Acc| {
        let mut w = [0f32; N_LABELS];
        for ((x, w), u) in w.iter_mut().zip(&a.w).zip(&a.u) {
            *x = (f64::from(*w) - u / c) as f32;
        }
        w
    };
    // The shared weights plus the target source's copies: what the features score for a
    // document of the target source.
    let mut merged: FastMap<u64, [f32; N_LABELS]> = p.weights.iter().map(|(k, a)| (*k, average(a))).collect();
    if let Some(target) = target {
        for ((domain, k), a) in &p.copies {
            if *domain == target {
                let w = merged.entry(*k).or_default();
                for (x, y) in w.iter_mut().zip(average(a)) {
                    *x += config.target_weight * y;
                }
            }
        }
    }
    merged
}

/// A hash of the training documents and settings, and of the embedded word lists that the
/// features read (the gazetteer, the common words, the word classes): a model trained before either changed has
/// another fingerprint.
pub fn fingerprint(docs: &[LabelledDoc], config: &TrainConfig) -> u64 {
    let mut h = FastHasher::default();
    h.write(crate::recognize::gazetteer::DATA.as_bytes());
    h.write(crate::recognize::gazetteer::COMMON.as_bytes());
    h.write(crate::recognize::gazetteer::LEXICON);
    h.write(&(config.epochs as u64).to_le_bytes());
    h.write(&config.seed.to_le_bytes());
    h.write(&config.prune.to_le_bytes());
    for (source, times) in &config.repeat {
        h.write(source.as_bytes());
        h.write(&(*times as u64).to_le_bytes());
    }
    if let Some(target) = &config.target {
        h.write(b"target");
        h.write(target.as_bytes());
        h.write(&config.target_weight.to_le_bytes());
    }
    if config.bags > 1 {
        h.write(b"bags");
        h.write(&(config.bags as u64).to_le_bytes());
    }
    h.write(&super::FEATURES_VERSION.to_le_bytes());
    for d in docs {
        h.write(d.id.as_bytes());
        h.write(d.text.as_bytes());
        for (r, k) in &d.names {
            h.write(&(r.start as u64).to_le_bytes());
            h.write(&(r.end as u64).to_le_bytes());
            h.write(k.as_str().as_bytes());
        }
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recognize::Recognizer;

    fn doc(id: &str, text: &str, names: &[(&str, Kind)]) -> LabelledDoc {
        let mut spans = Vec::new();
        let mut from = 0;
        for (name, kind) in names {
            let at = from + text[from..].find(name).expect("name in text");
            spans.push((at..at + name.len(), *kind));
            from = at + name.len();
        }
        LabelledDoc {
            id: id.to_string(),
            source: "test".to_string(),
            text: text.to_string(),
            names: spans,
        }
    }

    fn tiny() -> Vec<LabelledDoc> {
        vec![
            doc(
                "a",
                "Zorblat Quenty met Prime Minister Arvo Lindqvist in Oskarshamn on Monday.",
                &[
                    ("Zorblat Quenty", Kind::Person),
                    ("Arvo Lindqvist", Kind::Person),
                    ("Oskarshamn", Kind::Place),
                ],
            ),
            doc(
                "b",
                "Shares of Fennomark Holdings rose after Fennomark said it would hire in Oskarshamn.",
                &[
                    ("Fennomark Holdings", Kind::Organization),
                    ("Fennomark", Kind::Organization),
                    ("Oskarshamn", Kind::Place),
                ],
            ),
            doc(
                "c",
                "The town of Vrelsk voted. Related Stories\n\nMayor Ilse Varga said Vrelsk would grow.",
                &[
                    ("Vrelsk", Kind::Place),
                    ("Ilse Varga", Kind::Person),
                    ("Vrelsk", Kind::Place),
                ],
            ),
        ]
    }

    #[test]
    fn training_is_reproducible_byte_for_byte() {
        let g = Gazetteer::load();
        let config = TrainConfig::default();
        let a = train(&tiny(), &g, &config);
        let b = train(&tiny(), &g, &config);
        assert_eq!(a, b);
        let other = train(
            &tiny(),
            &g,
            &TrainConfig {
                seed: 7,
                ..config.clone()
            },
        );
        assert_eq!(
            Model::from_bytes(&other).map(|m| m.fingerprint == Model::from_bytes(&a).unwrap().fingerprint),
            Some(false)
        );
    }

    /// Two sources label the same words differently; the model follows the target's.
    #[test]
    fn the_model_follows_the_target_sources_conventions() {
        let g = Gazetteer::load();
        let mut docs = Vec::new();
        for (source, kind) in [("a", Kind::Organization), ("b", Kind::Place)] {
            for i in 0..4 {
                let mut d = doc(
                    &format!("{source}{i}"),
                    "Officials said Tarvola Kessen agreed on Monday.",
                    &[("Tarvola Kessen", kind)],
                );
                d.source = source.to_string();
                docs.push(d);
            }
        }
        let kind_for = |target: &str| {
            let config = TrainConfig {
                target: Some(target.to_string()),
                target_weight: 1.0,
                repeat: Vec::new(),
                ..TrainConfig::default()
            };
            let model = Model::from_bytes(&train(&docs, &g, &config)).expect("a model");
            let text = "Officials said Tarvola Kessen agreed on Monday.";
            Recognizer::with_tagger(Some(model))
                .annotate(text)
                .into_iter()
                .find(|e| e.text(text) == "Tarvola Kessen")
                .map(|e| e.kind)
        };
        assert_eq!(kind_for("a"), Some(Kind::Organization));
        assert_eq!(kind_for("b"), Some(Kind::Place));
    }

    #[test]
    fn a_trained_model_learns_its_training_text() {
        let g = Gazetteer::load();
        let bytes = train(&tiny(), &g, &TrainConfig::default());
        let model = Model::from_bytes(&bytes).expect("a model");
        assert!(model.n_features() > 50);
        let rec = Recognizer::with_tagger(Some(model));
        let text = &tiny()[2].text;
        let got: Vec<(&str, Kind)> = rec
            .annotate(text)
            .into_iter()
            .filter(|e| e.kind != Kind::Figure)
            .map(|e| (&text[e.span.clone()], e.kind))
            .collect();
        assert_eq!(
            got,
            [
                ("Vrelsk", Kind::Place),
                ("Ilse Varga", Kind::Person),
                ("Vrelsk", Kind::Place)
            ]
        );
    }
}
