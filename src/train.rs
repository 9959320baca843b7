//! `newsls train`: reads labelled documents (the evaluation JSONL format), trains the name
//! model ([`crate::recognize::tagger::train`]), writes it, cross-validates it by document, or
//! checks that the embedded model is what the training data gives.
//!
//! This is the I/O side of training; the training itself is pure and lives in the recogniser.

use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use rayon::prelude::*;
use serde::Deserialize;

use crate::eval::{KindScore, Scorer, Span};
use crate::export::CodePoints;
use crate::recognize::tagger::Model;
use crate::recognize::tagger::train::{LabelledDoc, TrainConfig, fingerprint, train};
use crate::recognize::{Entity, Kind, Recognizer};

#[derive(Deserialize)]
struct GoldEntity {
    start: usize,
    end: usize,
    kind: String,
}

#[derive(Deserialize)]
struct GoldDoc {
    #[serde(default)]
    id: Option<String>,
    text: String,
    #[serde(default)]
    entities: Vec<GoldEntity>,
}

/// A labelled document with all its gold spans (code points), for scoring.
pub struct GoldFile {
    pub docs: Vec<LabelledDoc>,
    /// Per document: every gold span (figures included), code-point offsets.
    pub gold: Vec<Vec<Span>>,
}

/// The training files in the source tree (`data/train/*.jsonl`), sorted by name.
pub fn default_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/train");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// Where `newsls train` writes the model by default: the embedded file of the source tree.
pub fn default_model_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/name_model.bin")
}

/// Reads a labelled JSONL file; the source name is the file's stem.
pub fn read_gold(path: &Path) -> anyhow::Result<GoldFile> {
    let file = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let source = path
        .file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    let mut res = GoldFile {
        docs: Vec::new(),
        gold: Vec::new(),
    };
    for (n, line) in io::BufReader::new(file).lines().enumerate() {
        let line = line.with_context(|| format!("reading {}", path.display()))?;
        if line.trim().is_empty() {
            continue;
        }
        let doc: GoldDoc = serde_json::from_str(&line)
            .with_context(|| format!("{}:{}: invalid document", path.display(), n + 1))?;
        // Code points to bytes.
        let offsets: Vec<usize> = doc
            .text
            .char_indices()
            .map(|(b, _)| b)
            .chain([doc.text.len()])
            .collect();
        let mut names = Vec::new();
        let mut gold = Vec::new();
        for e in &doc.entities {
            let Some(kind) = Kind::parse(&e.kind) else {
                continue;
            };
            if e.start >= e.end || e.end >= offsets.len() {
                anyhow::bail!(
                    "{}:{}: entity {}..{} outside the text",
                    path.display(),
                    n + 1,
                    e.start,
                    e.end
                );
            }
            gold.push((e.start, e.end, kind));
            if kind != Kind::Figure {
                names.push((offsets[e.start]..offsets[e.end], kind));
            }
        }
        names.sort_by_key(|(r, _)| (r.start, r.end));
        res.docs.push(LabelledDoc {
            id: doc.id.unwrap_or_else(|| format!("{source}-{}", n + 1)),
            source: source.clone(),
            text: doc.text,
            names,
        });
        res.gold.push(gold);
    }
    Ok(res)
}

/// Scores `rec` on documents against their gold spans, adding to `scorer`; returns what it
/// recognised in each document.
pub fn score(
    scorer: &mut Scorer,
    rec: &Recognizer,
    docs: &[&LabelledDoc],
    gold: &[&Vec<Span>],
) -> Vec<Vec<Entity>> {
    let found: Vec<Vec<Entity>> = docs.par_iter().map(|d| rec.annotate(&d.text)).collect();
    for ((d, g), entities) in docs.iter().zip(gold).zip(&found) {
        let mut cp = CodePoints::new(&d.text);
        let p: Vec<Span> = entities
            .iter()
            .map(|e| (cp.at(e.span.start), cp.at(e.span.end), e.kind))
            .collect();
        scorer.add(&d.text, g, &p);
    }
    found
}

/// Writes documents' recognised entities as JSON lines `{"entities", "id"}` (the format of
/// `newsls eval --predictions`).
fn write_predictions(path: &Path, docs: &[(&LabelledDoc, &[Entity])]) -> anyhow::Result<()> {
    let file = std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
    let mut out = io::BufWriter::new(file);
    for (doc, entities) in docs {
        let id = serde_json::Value::String(doc.id.clone());
        crate::export::jsonl::write_line(
            &mut out,
            &crate::export::jsonl::IdOut {
                entities: crate::export::jsonl::Entities {
                    text: &doc.text,
                    entities,
                },
                id: Some(&id),
            },
        )?;
    }
    out.flush().with_context(|| format!("writing {}", path.display()))
}

/// The options of `newsls train`.
pub struct TrainArgs {
    pub files: Vec<PathBuf>,
    pub out: Option<PathBuf>,
    pub folds: Option<usize>,
    pub verify: bool,
    pub eval: Vec<PathBuf>,
    /// With `folds`: where to write every training document's entities as recognised by the
    /// model of the fold that held it out.
    pub predictions: Option<PathBuf>,
    pub config: TrainConfig,
}

pub fn run(args: TrainArgs) -> anyhow::Result<std::process::ExitCode> {
    let files = if args.files.is_empty() {
        default_files()
    } else {
        args.files.clone()
    };
    if files.is_empty() {
        anyhow::bail!("no training files (looked for data/train/*.jsonl)");
    }
    let sets: Vec<GoldFile> = files
        .iter()
        .map(|f| read_gold(f))
        .collect::<anyhow::Result<_>>()?;
    let all: Vec<LabelledDoc> = sets.iter().flat_map(|s| s.docs.iter().cloned()).collect();
    let n_names: usize = all.iter().map(|d| d.names.len()).sum();
    eprintln!(
        "newsls: {} documents, {} names from {}",
        all.len(),
        n_names,
        files
            .iter()
            .map(|f| f.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    );
    if let Some(target) = &args.config.target
        && !all.iter().any(|d| &d.source == target)
    {
        anyhow::bail!(
            "--target {target}: no training file of that name (sources are the files' names without .jsonl; `none` for no target)"
        );
    }
    let rec_rules = Recognizer::with_tagger(None);
    let g = rec_rules.gazetteer();
    if let Some(k) = args.folds {
        return cross_validate(&sets, k.max(2), &args);
    }
    let start = std::time::Instant::now();
    let bytes = train(&all, g, &args.config);
    eprintln!("newsls: trained in {:.1} s", start.elapsed().as_secs_f64());
    let model = Model::from_bytes(&bytes).context("the trained model does not load")?;
    eprintln!(
        "newsls: {} features, {} bytes, fingerprint {:016x}",
        model.n_features(),
        bytes.len(),
        model.fingerprint
    );
    if args.verify {
        let embedded = crate::recognize::recognizer().tagger().map(|m| m.fingerprint);
        let on_disk = std::fs::read(default_model_path()).ok();
        let same = on_disk.as_deref() == Some(bytes.as_slice());
        println!(
            "training data fingerprint {:016x}; data/name_model.bin {}; embedded model fingerprint {}",
            fingerprint(&all, &args.config),
            if same { "matches byte for byte" } else { "DIFFERS" },
            embedded.map_or("none".to_string(), |f| format!("{f:016x}"))
        );
        return Ok(if same && embedded == Some(model.fingerprint) {
            std::process::ExitCode::SUCCESS
        } else {
            std::process::ExitCode::from(1)
        });
    }
    let out = args.out.clone().unwrap_or_else(default_model_path);
    write_atomically(&out, &bytes)?;
    eprintln!("newsls: wrote {}", out.display());
    for path in &args.eval {
        let set = read_gold(path)?;
        let docs: Vec<&LabelledDoc> = set.docs.iter().collect();
        let gold: Vec<&Vec<Span>> = set.gold.iter().collect();
        let mut before = Scorer::default();
        score(&mut before, &rec_rules, &docs, &gold);
        let mut after = Scorer::default();
        score(
            &mut after,
            &Recognizer::with_tagger(Some(model.clone())),
            &docs,
            &gold,
        );
        print_table(&path.display().to_string(), &before, &after, &Kind::ALL)?;
    }
    Ok(std::process::ExitCode::SUCCESS)
}

fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let tmp = path.with_extension("bin.tmp");
    std::fs::write(&tmp, bytes).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("renaming to {}", path.display()))?;
    Ok(())
}

/// k-fold cross-validation by document: document `i` of each file is in fold `i % k`; each
/// fold is scored with a model trained on the other folds of every file, against the rules
/// alone.
fn cross_validate(sets: &[GoldFile], k: usize, args: &TrainArgs) -> anyhow::Result<std::process::ExitCode> {
    let rules = Recognizer::with_tagger(None);
    let mut before: Vec<Scorer> = sets.iter().map(|_| Scorer::default()).collect();
    let mut after: Vec<Scorer> = sets.iter().map(|_| Scorer::default()).collect();
    let mut extra_before: Vec<Scorer> = args.eval.iter().map(|_| Scorer::default()).collect();
    let mut extra_after: Vec<Scorer> = args.eval.iter().map(|_| Scorer::default()).collect();
    // Per file and document: the entities of the model that held it out.
    let mut held_out: Vec<Vec<Vec<Entity>>> = sets.iter().map(|s| vec![Vec::new(); s.docs.len()]).collect();
    let extra: Vec<GoldFile> = args
        .eval
        .iter()
        .map(|p| read_gold(p))
        .collect::<anyhow::Result<_>>()?;
    for fold in 0..k {
        let train_docs: Vec<LabelledDoc> = sets
            .iter()
            .flat_map(|s| {
                s.docs
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| i % k != fold)
                    .map(|(_, d)| d.clone())
            })
            .collect();
        let bytes = train(&train_docs, rules.gazetteer(), &args.config);
        let model = Model::from_bytes(&bytes).context("the trained model does not load")?;
        let rec = Recognizer::with_tagger(Some(model));
        for (si, s) in sets.iter().enumerate() {
            let idx: Vec<usize> = (0..s.docs.len()).filter(|i| i % k == fold).collect();
            let docs: Vec<&LabelledDoc> = idx.iter().map(|&i| &s.docs[i]).collect();
            let gold: Vec<&Vec<Span>> = idx.iter().map(|&i| &s.gold[i]).collect();
            score(&mut before[si], &rules, &docs, &gold);
            let found = score(&mut after[si], &rec, &docs, &gold);
            for (i, entities) in idx.into_iter().zip(found) {
                held_out[si][i] = entities;
            }
        }
        // Files never trained on (e.g. the dev set): every fold's model scores the whole file;
        // the report is the average over folds (sums of counts).
        for (ei, s) in extra.iter().enumerate() {
            let docs: Vec<&LabelledDoc> = s.docs.iter().collect();
            let gold: Vec<&Vec<Span>> = s.gold.iter().collect();
            if fold == 0 {
                score(&mut extra_before[ei], &rules, &docs, &gold);
            }
            score(&mut extra_after[ei], &rec, &docs, &gold);
        }
        eprintln!("newsls: fold {}/{k} done", fold + 1);
    }
    if let Some(path) = &args.predictions {
        let docs: Vec<(&LabelledDoc, &[Entity])> = sets
            .iter()
            .zip(&held_out)
            .flat_map(|(s, found)| s.docs.iter().zip(found.iter().map(Vec::as_slice)))
            .collect();
        write_predictions(path, &docs)?;
        eprintln!("newsls: wrote the held-out predictions to {}", path.display());
    }
    let names = [Kind::Organization, Kind::Place, Kind::Person];
    for (si, s) in sets.iter().enumerate() {
        let label = s.docs.first().map_or("?", |d| d.source.as_str());
        print_table(
            &format!("{label} ({k}-fold by document)"),
            &before[si],
            &after[si],
            &names,
        )?;
    }
    for (ei, p) in args.eval.iter().enumerate() {
        print_table(
            &format!("{} (never trained on)", p.display()),
            &extra_before[ei],
            &extra_after[ei],
            &Kind::ALL,
        )?;
    }
    Ok(std::process::ExitCode::SUCCESS)
}

fn print_table(title: &str, before: &Scorer, after: &Scorer, kinds: &[Kind]) -> anyhow::Result<()> {
    let mut out = io::stdout().lock();
    writeln!(out, "\n{title}: exact match, rules alone -> with the model")?;
    writeln!(
        out,
        "{:<14} {:>5} | {:>5} {:>6} {:>6} {:>6} | {:>5} {:>6} {:>6} {:>6}",
        "kind", "gold", "pred", "P", "R", "F1", "pred", "P", "R", "F1"
    )?;
    let row = |out: &mut io::StdoutLock, name: &str, b: KindScore, a: KindScore| {
        writeln!(
            out,
            "{:<14} {:>5} | {:>5} {:>6.3} {:>6.3} {:>6.3} | {:>5} {:>6.3} {:>6.3} {:>6.3}",
            name, b.gold, b.pred, b.exact.p, b.exact.r, b.exact.f1, a.pred, a.exact.p, a.exact.r, a.exact.f1
        )
    };
    for kind in kinds {
        row(&mut out, kind.as_str(), before.kind(*kind), after.kind(*kind))?;
    }
    row(&mut out, "micro", before.micro(kinds), after.micro(kinds))?;
    Ok(())
}
