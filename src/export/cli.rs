//! `newsls export` and `newsls import`.
//!
//! `export --format jsonl|brat|conll|webanno DIR [--out PATH]` recognises every article under
//! DIR with the workspace's annotation rules (`.newsls/annotations.toml` in DIR or the nearest
//! folder above holding one) and writes them in the chosen format: to PATH, else to stdout;
//! for brat, PATH is a folder receiving `<article>.txt` + `<article>.ann` (mirroring DIR, plus
//! `annotation.conf` and `visual.conf`), else the `.ann` files are written beside the articles.
//!
//! `import --format jsonl|brat|webanno PATH [--check DIR] [--out FILE]` reads an export back and
//! writes it as JSON lines; with `--check DIR` it compares what it read with a fresh export of
//! DIR and exits 1 on any difference (the lossless round trip, checkable by anyone).

use std::collections::HashMap;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, bail};
use clap::ValueEnum;
use rayon::prelude::*;

use crate::annotations::Store;
use crate::corpus::{ScanConfig, scan};
use crate::export::{ExportDoc, ExportEntity, brat, conll, jsonl, webanno};
use crate::recognize::{self, rules::Rules};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Jsonl,
    Brat,
    Conll,
    Webanno,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    Jsonl,
    Brat,
    Webanno,
}

/// The rules of the workspace holding `dir` (none with `no_rules`).
pub fn workspace_rules(dir: &Path, no_rules: bool) -> anyhow::Result<(Store, Rules)> {
    let store = Store::discover(dir);
    if no_rules {
        return Ok((store, Rules::default()));
    }
    let rules = store.load().map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok((store, rules))
}

/// The rules to recognise an article with: its workspace's store (for mention paths) and rules;
/// `None` for no rules.
pub type RulesOf<'a> = dyn Fn(&Path) -> Option<(Store, Arc<Rules>)> + Sync + 'a;

/// Recognises every article under `dir` with the workspace rules, in path order.
pub fn export_docs(dir: &Path, no_rules: bool) -> anyhow::Result<Vec<(PathBuf, ExportDoc)>> {
    let files = articles_under(dir)?;
    let (store, rules) = workspace_rules(dir, no_rules)?;
    let rules = Arc::new(rules);
    Ok(recognize_docs(dir, &files, &|_| {
        Some((store.clone(), rules.clone()))
    }))
}

/// Recognises every article under `dir`, each with the rules `rules_of` gives for it (the
/// server: those of the workspace folder holding it), in path order.
pub fn export_docs_with(dir: &Path, rules_of: &RulesOf) -> anyhow::Result<Vec<(PathBuf, ExportDoc)>> {
    let files = articles_under(dir)?;
    Ok(recognize_docs(dir, &files, rules_of))
}

/// The articles under `dir`, in path order; an error when there is none.
fn articles_under(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let (files, errors) = scan::discover(&[dir.to_path_buf()], &ScanConfig::default());
    for err in &errors {
        eprintln!("newsls: {err}");
    }
    if files.is_empty() {
        bail!(
            "no articles (.txt, .md, .markdown, .text) found in {}",
            dir.display()
        );
    }
    Ok(files)
}

/// One article read and recognised, or the message saying why it could not be read.
fn recognize_one(
    dir: &Path,
    path: &Path,
    config: &ScanConfig,
    rules_of: &RulesOf,
) -> Result<(PathBuf, String, Vec<recognize::Entity>), String> {
    let file = scan::read_article(path, config).map_err(|err| err.to_string())?;
    let applied = rules_of(path);
    let rel_for_rules = applied.as_ref().and_then(|(store, _)| store.relative(path));
    let no_rules = Rules::default();
    let rules = applied.as_ref().map_or(&no_rules, |(_, r)| r.as_ref());
    let entities = recognize::recognizer().annotate_with(&file.text, rules, rel_for_rules.as_deref());
    let rel = path.strip_prefix(dir).unwrap_or(path).to_path_buf();
    Ok((rel, file.text, entities))
}

fn recognize_docs(dir: &Path, files: &[PathBuf], rules_of: &RulesOf) -> Vec<(PathBuf, ExportDoc)> {
    let config = ScanConfig::default();
    let docs: Vec<Result<(PathBuf, ExportDoc), String>> = files
        .par_iter()
        .map(|path| {
            let (rel, text, entities) = recognize_one(dir, path, &config, rules_of)?;
            let doc = ExportDoc::new(path, path.display().to_string(), &text, &entities);
            Ok((rel, doc))
        })
        .collect();
    docs.into_iter()
        .filter_map(|doc| doc.map_err(|err| eprintln!("newsls: {err}")).ok())
        .collect()
}

fn output(out: Option<&Path>) -> anyhow::Result<Box<dyn Write>> {
    Ok(match out {
        Some(p) if p != Path::new("-") => {
            if let Some(parent) = p.parent().filter(|d| !d.as_os_str().is_empty()) {
                fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
            }
            Box::new(io::BufWriter::with_capacity(
                1 << 16,
                fs::File::create(p).with_context(|| format!("creating {}", p.display()))?,
            ))
        }
        _ => Box::new(io::BufWriter::with_capacity(1 << 16, io::stdout().lock())),
    })
}

pub fn export(
    format: ExportFormat,
    dir: &Path,
    out: Option<&Path>,
    no_rules: bool,
) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let files = articles_under(dir)?;
    let (store, rules) = workspace_rules(dir, no_rules)?;
    let rules = Arc::new(rules);
    write_export(
        format,
        dir,
        &files,
        &|_| Some((store.clone(), rules.clone())),
        out,
        started,
    )
}

/// [`export`] with the rules `rules_of` gives for each article (see [`export_docs_with`]).
pub fn export_with(
    format: ExportFormat,
    dir: &Path,
    out: Option<&Path>,
    rules_of: &RulesOf,
) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let files = articles_under(dir)?;
    write_export(format, dir, &files, rules_of, out, started)
}

/// One article of a streamed export: where it goes, its text (brat writes it), the lines or
/// `.ann` content written for it, and its number of entities.
struct Piece {
    rel: PathBuf,
    text: String,
    bytes: Vec<u8>,
    n_entities: usize,
}

/// Recognises `files` and writes them in `format` (see the module comment for where).
///
/// JSON lines, CoNLL and brat are streamed: the articles are recognised on all cores a chunk
/// at a time (see [`crate::batch`]) and written in path order as they come, so memory does not
/// grow with the folder. Web Annotation is one JSON document and is built whole.
fn write_export(
    format: ExportFormat,
    dir: &Path,
    files: &[PathBuf],
    rules_of: &RulesOf,
    out: Option<&Path>,
    started: Instant,
) -> anyhow::Result<ExitCode> {
    if format == ExportFormat::Webanno {
        let docs = recognize_docs(dir, files, rules_of);
        let n_entities: usize = docs.iter().map(|(_, d)| d.entities.len()).sum();
        let mut w = output(out)?;
        let items = docs.iter().flat_map(|(_, d)| webanno::annotations(d)).collect();
        serde_json::to_writer_pretty(&mut w, &webanno::collection(items))?;
        writeln!(w)?;
        w.flush()?;
        let written_to = out.map_or("stdout".to_string(), |p| p.display().to_string());
        return Ok(report(docs.len(), n_entities, &written_to, started));
    }
    let config = ScanConfig::default();
    let work = |path: &PathBuf| -> Result<Piece, String> {
        let (rel, text, entities) = recognize_one(dir, path, &config, rules_of)?;
        let mut bytes = Vec::new();
        match format {
            ExportFormat::Jsonl => {
                bytes.reserve(text.len() * 3);
                let line = jsonl::ArticleOut {
                    entities: jsonl::Entities {
                        text: &text,
                        entities: &entities,
                    },
                    id: &ExportDoc::id_of(path),
                    path: &path.display().to_string(),
                    title: &ExportDoc::title_of(path, &text),
                };
                // Writing into a Vec cannot fail.
                let _ = jsonl::write_line(&mut bytes, &line);
            }
            ExportFormat::Conll | ExportFormat::Brat => {
                let doc = ExportDoc::new(path, path.display().to_string(), &text, &entities);
                bytes = match format {
                    ExportFormat::Conll => conll::to_conll(&doc),
                    _ => brat::to_ann(&doc),
                }
                .into_bytes();
            }
            ExportFormat::Webanno => {}
        }
        let n_entities = entities.len();
        let text = if format == ExportFormat::Brat {
            text
        } else {
            String::new()
        };
        Ok(Piece {
            rel,
            text,
            bytes,
            n_entities,
        })
    };
    let (mut n_docs, mut n_entities) = (0, 0);
    let mut count = |piece: &Piece| {
        n_docs += 1;
        n_entities += piece.n_entities;
    };
    let chunking = crate::batch::Chunking::from_env();
    let inputs = || files.iter().map(Ok::<_, anyhow::Error>);
    let written_to = match (format, out) {
        (ExportFormat::Brat, out) => {
            // With `--out`, a brat folder of its own (texts, annotations, configuration);
            // without, the annotations beside the articles.
            if let Some(root) = out {
                fs::create_dir_all(root).with_context(|| format!("creating {}", root.display()))?;
            }
            let root = out.unwrap_or(dir);
            crate::batch::run_ordered(
                inputs(),
                |_| 0,
                chunking,
                work,
                |piece| {
                    let Some(piece) = reported(piece) else {
                        return Ok(());
                    };
                    count(&piece);
                    let ann = root.join(&piece.rel).with_extension("ann");
                    if out.is_some() {
                        if let Some(parent) = ann.parent() {
                            fs::create_dir_all(parent)
                                .with_context(|| format!("creating {}", parent.display()))?;
                        }
                        let txt = ann.with_extension("txt");
                        fs::write(&txt, &piece.text).with_context(|| format!("writing {}", txt.display()))?;
                    }
                    fs::write(&ann, &piece.bytes).with_context(|| format!("writing {}", ann.display()))?;
                    Ok(())
                },
            )?;
            match out {
                Some(root) => {
                    fs::write(root.join("annotation.conf"), brat::ANNOTATION_CONF)?;
                    fs::write(root.join("visual.conf"), brat::VISUAL_CONF)?;
                    root.display().to_string()
                }
                None => format!("{} (beside the articles)", dir.display()),
            }
        }
        _ => {
            let mut w = output(out)?;
            crate::batch::run_ordered(
                inputs(),
                |_| 0,
                chunking,
                work,
                |piece| {
                    if let Some(piece) = reported(piece) {
                        count(&piece);
                        w.write_all(&piece.bytes)?;
                    }
                    Ok(())
                },
            )?;
            w.flush()?;
            out.map_or("stdout".to_string(), |p| p.display().to_string())
        }
    };
    Ok(report(n_docs, n_entities, &written_to, started))
}

/// The article, or `None` after reporting why it could not be read.
fn reported(piece: Result<Piece, String>) -> Option<Piece> {
    piece.map_err(|err| eprintln!("newsls: {err}")).ok()
}

/// Says what was exported where, on stderr.
fn report(n_docs: usize, n_entities: usize, written_to: &str, started: Instant) -> ExitCode {
    eprintln!(
        "newsls: exported {n_docs} articles, {n_entities} entities to {written_to} in {:.2} s",
        started.elapsed().as_secs_f64()
    );
    ExitCode::SUCCESS
}

/// Reads an export back: (id, path, entities) per article.
pub fn read_export(format: ImportFormat, path: &Path) -> anyhow::Result<Vec<jsonl::Imported>> {
    match format {
        ImportFormat::Jsonl => {
            if path == Path::new("-") {
                return jsonl::read(io::stdin().lock());
            }
            let file = fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
            jsonl::read(io::BufReader::new(file)).with_context(|| path.display().to_string())
        }
        ImportFormat::Brat => {
            let mut anns: Vec<PathBuf> = ignore::WalkBuilder::new(path)
                .hidden(true)
                .git_ignore(false)
                .build()
                .filter_map(|e| e.ok())
                .map(|e| e.into_path())
                .filter(|p| p.extension().is_some_and(|x| x == "ann"))
                .collect();
            anns.sort();
            if anns.is_empty() {
                bail!("no .ann files in {}", path.display());
            }
            let mut res = Vec::with_capacity(anns.len());
            for ann_path in anns {
                let txt = ann_path.with_extension("txt");
                let text = match fs::read_to_string(&txt) {
                    Ok(t) => t,
                    Err(_) => match sibling_article(&ann_path) {
                        Some((p, t)) => {
                            tracing::debug!("{}: using {}", ann_path.display(), p.display());
                            t
                        }
                        None => bail!("{}: no text file beside it", ann_path.display()),
                    },
                };
                let ann = fs::read_to_string(&ann_path)
                    .with_context(|| format!("reading {}", ann_path.display()))?;
                let entities = brat::from_ann(&text, &ann).with_context(|| ann_path.display().to_string())?;
                res.push(jsonl::Imported {
                    id: ann_path
                        .file_stem()
                        .map(|s| s.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                    path: txt.display().to_string(),
                    title: crate::corpus::article::title_of(&text, false),
                    entities,
                });
            }
            Ok(res)
        }
        ImportFormat::Webanno => {
            let src = fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
            let v: serde_json::Value =
                serde_json::from_str(&src).with_context(|| format!("{}: invalid JSON", path.display()))?;
            let mut res: Vec<jsonl::Imported> = Vec::new();
            for (source, e) in webanno::read(&v).with_context(|| path.display().to_string())? {
                if res.last().is_none_or(|d| d.path != source) {
                    res.push(jsonl::Imported {
                        id: Path::new(&source)
                            .file_stem()
                            .map(|s| s.to_string_lossy().into_owned())
                            .unwrap_or_default(),
                        path: source.clone(),
                        title: String::new(),
                        entities: Vec::new(),
                    });
                }
                if let Some(doc) = res.last_mut() {
                    doc.entities.push(e);
                }
            }
            Ok(res)
        }
    }
}

/// An article beside an `.ann` file exported in place (`x.md` for `x.ann`).
fn sibling_article(ann: &Path) -> Option<(PathBuf, String)> {
    ["md", "markdown", "text"].iter().find_map(|ext| {
        let p = ann.with_extension(ext);
        fs::read_to_string(&p).ok().map(|t| (p, t))
    })
}

pub fn import(
    format: ImportFormat,
    path: &Path,
    check: Option<&Path>,
    out: Option<&Path>,
    no_rules: bool,
) -> anyhow::Result<ExitCode> {
    let imported = read_export(format, path)?;
    if let Some(dir) = check {
        let fresh = export_docs(dir, no_rules)?;
        let report = compare(&imported, &fresh);
        for line in report.differences.iter().take(20) {
            eprintln!("newsls: {line}");
        }
        eprintln!(
            "newsls: {} articles and {} entities read; {} of {} articles identical to a fresh export of {}",
            imported.len(),
            imported.iter().map(|d| d.entities.len()).sum::<usize>(),
            report.identical,
            fresh.len(),
            dir.display()
        );
        return Ok(
            if report.differences.is_empty() && report.identical == fresh.len() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            },
        );
    }
    let mut w = output(out)?;
    for doc in &imported {
        doc.write(&mut w)?;
    }
    w.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `import --learn DIR`: turns every difference between the import and a fresh export of DIR
/// into a mention decision in DIR's annotation file, so that newsls recognises afterwards
/// exactly the imported spans and kinds (corrections made in another tool, e.g. brat, come
/// back into the workspace).
pub fn learn(format: ImportFormat, path: &Path, dir: &Path) -> anyhow::Result<ExitCode> {
    let imported = read_export(format, path)?;
    let fresh = export_docs(dir, false)?;
    let (store, _) = workspace_rules(dir, false)?;
    let edits = corrections(&imported, &fresh, &store);
    let n = edits.len();
    if n > 0 {
        store.apply(&edits).map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    eprintln!(
        "newsls: {n} mention decisions written to {}",
        store.path().display()
    );
    Ok(ExitCode::SUCCESS)
}

/// The mention decisions that make `fresh` equal `imported` (spans, kinds and subkinds).
pub fn corrections(
    imported: &[jsonl::Imported],
    fresh: &[(PathBuf, ExportDoc)],
    store: &Store,
) -> Vec<crate::annotations::Edit> {
    use crate::annotations::Edit;
    use crate::export::byte_range;
    use crate::recognize::rules::{Decision, MentionRule};

    let mut by_id: HashMap<&str, Vec<(&PathBuf, &ExportDoc)>> = HashMap::new();
    for (rel, doc) in fresh.iter().rev() {
        by_id.entry(doc.id.as_str()).or_default().push((rel, doc));
    }
    let mut edits = Vec::new();
    for doc in imported {
        let Some((_, want)) = by_id.get_mut(doc.id.as_str()).and_then(|v| v.pop()) else {
            continue;
        };
        let Some(rel) = store.relative(Path::new(&want.path)) else {
            continue;
        };
        let text = want.text.as_str();
        let same = |a: &ExportEntity, b: &ExportEntity| {
            a.start == b.start && a.end == b.end && a.kind == b.kind && a.subkind == b.subkind
        };
        for e in &doc.entities {
            if want.entities.iter().any(|w| same(w, e)) {
                continue;
            }
            let decision = Decision::Entity {
                kind: e.kind,
                subkind: e.subkind,
            };
            if let Some(span) = byte_range(text, e.start, e.end)
                && let Some(rule) = MentionRule::capture(&rel, text, span, decision)
            {
                edits.push(Edit::Mention(rule));
            }
        }
        for w in &want.entities {
            let kept = doc.entities.iter().any(|e| e.start < w.end && w.start < e.end);
            if kept {
                continue; // Replaced by an imported entity overlapping it.
            }
            if let Some(span) = byte_range(text, w.start, w.end)
                && let Some(rule) = MentionRule::capture(&rel, text, span, Decision::NotEntity)
            {
                edits.push(Edit::Mention(rule));
            }
        }
    }
    edits
}

/// How an import compares with a fresh export.
#[derive(Debug, Default)]
pub struct Comparison {
    pub identical: usize,
    pub differences: Vec<String>,
}

/// Matches articles by id (file stem), in order among equal ids, and compares their entities.
pub fn compare(imported: &[jsonl::Imported], fresh: &[(PathBuf, ExportDoc)]) -> Comparison {
    let mut by_id: HashMap<&str, Vec<&ExportDoc>> = HashMap::new();
    for (_, doc) in fresh.iter().rev() {
        by_id.entry(doc.id.as_str()).or_default().push(doc);
    }
    let mut res = Comparison::default();
    for doc in imported {
        let Some(want) = by_id.get_mut(doc.id.as_str()).and_then(|v| v.pop()) else {
            res.differences
                .push(format!("{}: not in the exported folder", doc.path));
            continue;
        };
        if want.entities == doc.entities {
            res.identical += 1;
            continue;
        }
        let first = want
            .entities
            .iter()
            .zip(&doc.entities)
            .position(|(a, b)| a != b)
            .unwrap_or(want.entities.len().min(doc.entities.len()));
        res.differences.push(format!(
            "{}: {} entities read, {} expected; first difference at entity {}: {:?} vs {:?}",
            doc.path,
            doc.entities.len(),
            want.entities.len(),
            first + 1,
            doc.entities.get(first),
            want.entities.get(first),
        ));
    }
    for (id, rest) in by_id {
        for doc in rest {
            if doc.entities.is_empty() {
                // Formats listing annotations only (Web Annotation) omit such articles.
                res.identical += 1;
            } else {
                res.differences
                    .push(format!("{}: missing from the import ({id})", doc.path));
            }
        }
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seeds() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds")
    }

    fn copy_dir(from: &Path, to: &Path) {
        fs::create_dir_all(to).expect("dir");
        for entry in fs::read_dir(from).expect("read dir").flatten() {
            fs::copy(entry.path(), to.join(entry.file_name())).expect("copy");
        }
    }

    /// Compares imported documents with fresh ones and fails on the first differences.
    fn assert_same(back: &[jsonl::Imported], fresh: &[(PathBuf, ExportDoc)]) -> Comparison {
        let cmp = compare(back, fresh);
        assert!(
            cmp.differences.is_empty(),
            "{:?}",
            &cmp.differences[..cmp.differences.len().min(3)]
        );
        cmp
    }

    /// Exports `dir` in every format, reads the lossless ones back and checks they are equal.
    fn round_trip(dir: &Path, tmp: &Path) -> usize {
        let fresh = export_docs(dir, false).expect("export");
        assert!(!fresh.is_empty());
        let n_entities: usize = fresh.iter().map(|(_, d)| d.entities.len()).sum();
        assert!(n_entities > 0);

        let jsonl_path = tmp.join("out.jsonl");
        export(ExportFormat::Jsonl, dir, Some(&jsonl_path), false).expect("jsonl");
        let back = read_export(ImportFormat::Jsonl, &jsonl_path).expect("read jsonl");
        let cmp = assert_same(&back, &fresh);
        assert_eq!(cmp.identical, fresh.len());

        let brat_dir = tmp.join("brat");
        export(ExportFormat::Brat, dir, Some(&brat_dir), false).expect("brat");
        assert!(brat_dir.join("annotation.conf").is_file());
        let back = read_export(ImportFormat::Brat, &brat_dir).expect("read brat");
        assert_same(&back, &fresh);

        let wa = tmp.join("out.jsonld");
        export(ExportFormat::Webanno, dir, Some(&wa), false).expect("webanno");
        let back = read_export(ImportFormat::Webanno, &wa).expect("read webanno");
        let cmp = assert_same(&back, &fresh);
        assert_eq!(cmp.identical, fresh.len());

        let conll_path = tmp.join("out.conll");
        export(ExportFormat::Conll, dir, Some(&conll_path), false).expect("conll");
        let all = fs::read_to_string(&conll_path).expect("read conll");
        let docs: Vec<&str> = all.split("-DOCSTART- O\n").skip(1).collect();
        assert_eq!(docs.len(), fresh.len());
        for ((_, doc), part) in fresh.iter().zip(docs) {
            let spans = conll::from_conll(&doc.text, part).expect("conll reads");
            let want: Vec<_> = doc.entities.iter().map(|e| (e.start, e.end, e.kind)).collect();
            assert_eq!(spans, want, "{}", doc.path);
        }
        n_entities
    }

    #[test]
    fn seeds_round_trip_in_every_format_with_rules() {
        let tmp = tempfile::tempdir().expect("tmp");
        let dir = tmp.path().join("ws");
        copy_dir(&seeds(), &dir);
        // A workspace rule changes what is exported, and the export still round-trips.
        let store = Store::new(&dir);
        store
            .apply(&[crate::annotations::Edit::Vocab(
                crate::recognize::rules::VocabRule::NotEntity { text: "Busan".into() },
            )])
            .expect("rule");
        let n = round_trip(&dir, tmp.path());
        let docs = export_docs(&dir, false).expect("export");
        assert!(
            docs.iter()
                .all(|(_, d)| d.entities.iter().all(|e| e.text != "Busan"))
        );
        let plain = export_docs(&dir, true).expect("export");
        assert!(
            plain
                .iter()
                .any(|(_, d)| d.entities.iter().any(|e| e.text == "Busan"))
        );
        assert!(n > 10);
    }

    #[test]
    fn corpus_slice_round_trips() {
        let script = Path::new("/work/shared/corpus/make_corpus.py");
        if !script.is_file() {
            eprintln!("skipped: {} is absent", script.display());
            return;
        }
        let tmp = tempfile::tempdir().expect("tmp");
        let dir = tmp.path().join("news");
        let status = std::process::Command::new("python3")
            .arg(script)
            .args(["--n", "300", "--out"])
            .arg(&dir)
            .stdout(std::process::Stdio::null())
            .status();
        match status {
            Ok(s) if s.success() => {}
            other => {
                eprintln!("skipped: could not run make_corpus.py ({other:?})");
                return;
            }
        }
        let n = round_trip(&dir, tmp.path());
        assert!(n > 1000, "{n} entities in 300 articles");
    }

    #[test]
    fn import_check_detects_a_changed_span() {
        let tmp = tempfile::tempdir().expect("tmp");
        let dir = tmp.path().join("ws");
        copy_dir(&seeds(), &dir);
        let path = tmp.path().join("out.jsonl");
        export(ExportFormat::Jsonl, &dir, Some(&path), false).expect("export");
        assert_eq!(
            import(ImportFormat::Jsonl, &path, Some(&dir), None, false).expect("check"),
            ExitCode::SUCCESS
        );
        let src = fs::read_to_string(&path).expect("read");
        let changed = src.replacen("\"start\":", "\"start\":1", 1);
        fs::write(&path, changed).expect("write");
        let back = read_export(ImportFormat::Jsonl, &path).expect("still parses");
        let fresh = export_docs(&dir, false).expect("export");
        assert!(!compare(&back, &fresh).differences.is_empty());
    }

    #[test]
    fn learning_from_a_corrected_export_reproduces_it() {
        let tmp = tempfile::tempdir().expect("tmp");
        let dir = tmp.path().join("ws");
        copy_dir(&seeds(), &dir);
        let path = tmp.path().join("out.jsonl");
        export(ExportFormat::Jsonl, &dir, Some(&path), false).expect("export");
        // Correct the export as an annotator would: drop one entity, change a kind, add one.
        let mut docs = read_export(ImportFormat::Jsonl, &path).expect("read");
        let doc = &mut docs[0];
        // An entity whose context occurs once (the seed repeats its headline verbatim, and a
        // mention decision is anchored by its context).
        let text0 = fs::read_to_string(dir.join(&doc.path)).expect("read");
        let chars0: Vec<char> = text0.chars().collect();
        let unique = |e: &ExportEntity| {
            let ctx: String = chars0[e.start.saturating_sub(20)..(e.end + 20).min(chars0.len())]
                .iter()
                .collect();
            text0.matches(&ctx).count() == 1
        };
        let drop = (1..doc.entities.len())
            .find(|&i| unique(&doc.entities[i]))
            .expect("an entity");
        doc.entities.remove(drop);
        doc.entities[2].kind = crate::recognize::Kind::Person;
        doc.entities[2].subkind = None;
        let fresh = export_docs(&dir, false).expect("export");
        let text = &fresh[0].1.text;
        // A lower-case word of 5+ letters that no entity covers.
        let chars: Vec<char> = text.chars().collect();
        let covered = |s: usize, e: usize| fresh[0].1.entities.iter().any(|x| x.start < e && s < x.end);
        let (start, end) = (1..chars.len())
            .filter(|&i| !chars[i - 1].is_alphanumeric() && chars[i].is_lowercase())
            .map(|i| {
                (
                    i,
                    (i..chars.len())
                        .find(|&j| !chars[j].is_alphanumeric())
                        .unwrap_or(chars.len()),
                )
            })
            .find(|&(s, e)| e - s >= 5 && !covered(s, e))
            .expect("a free word");
        let word: String = chars[start..end].iter().collect();
        doc.entities.push(ExportEntity {
            start,
            end,
            text: word.clone(),
            kind: crate::recognize::Kind::Organization,
            subkind: None,
            canonical: word,
            value: None,
        });
        doc.entities.sort_by_key(|e| (e.start, e.end));
        let mut out = Vec::new();
        for d in &docs {
            d.write(&mut out).expect("write");
        }
        fs::write(&path, out).expect("write");
        learn(ImportFormat::Jsonl, &path, &dir).expect("learn");
        let after = export_docs(&dir, false).expect("export");
        for (d, (_, f)) in docs.iter().zip(&after) {
            let want: Vec<_> = d
                .entities
                .iter()
                .map(|e| (e.start, e.end, e.kind, e.subkind))
                .collect();
            let got: Vec<_> = f
                .entities
                .iter()
                .map(|e| (e.start, e.end, e.kind, e.subkind))
                .collect();
            assert_eq!(got, want, "{}", d.path);
        }
    }
}
