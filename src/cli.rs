//! The `newsls` command line: `annotate`, `related`, `index`, `eval` (and `serve`).
//!
//! Errors are printed once, prefixed `newsls: `; per-file problems are reported and skipped.
//! Exit codes: 0 success, 1 nothing could be done (e.g. no article found), 2 error.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand, ValueEnum};
use serde_json::json;

use crate::corpus::{CorpusIndex, ScanConfig, scan};
use crate::eval::{Scorer, Span};
use crate::export::CodePoints;
use crate::recognize::{self, Entity, Kind};

#[derive(Parser)]
#[command(
    name = "newsls",
    version,
    about = "Organisations, places, people and figures in news articles"
)]
struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum AnnotateFormat {
    Text,
    Jsonl,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum OutputFormat {
    Text,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Recognise entities in articles (files or folders; default: ./seeds, else the bundled seeds).
    Annotate {
        /// Output format for files and folders.
        #[arg(long, value_enum, default_value = "text")]
        format: AnnotateFormat,
        /// Read JSON lines {"id", "text"} on stdin and write {"id", "entities"} lines to stdout.
        #[arg(long)]
        jsonl: bool,
        /// Colour the text output: auto (when stdout is a terminal), always, never.
        #[arg(long, default_value = "auto")]
        color: String,
        paths: Vec<PathBuf>,
    },
    /// Articles related to FILE, ranked by shared entities weighted by rarity (IDF).
    Related {
        file: PathBuf,
        /// The folder of articles to search (default: FILE's folder).
        #[arg(long)]
        corpus: Option<PathBuf>,
        #[arg(long, default_value_t = 10)]
        top: usize,
        #[arg(long, value_enum, default_value = "text")]
        format: OutputFormat,
    },
    /// Index a folder and print counts, time and throughput.
    Index {
        dirs: Vec<PathBuf>,
        /// Worker threads (default: all cores).
        #[arg(long)]
        threads: Option<usize>,
    },
    /// Export the entities of a folder (with the workspace's annotation rules applied).
    Export {
        #[arg(long, value_enum)]
        format: crate::export::cli::ExportFormat,
        dir: PathBuf,
        /// Output file (folder for brat); default: stdout (brat: .ann beside the articles).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Ignore .newsls/annotations.toml.
        #[arg(long)]
        no_rules: bool,
    },
    /// Read an export back as JSON lines; `--check DIR` compares it with a fresh export of DIR.
    Import {
        #[arg(long, value_enum)]
        format: crate::export::cli::ImportFormat,
        path: PathBuf,
        #[arg(long)]
        check: Option<PathBuf>,
        /// Write the differences from a fresh export of DIR as mention decisions in its rules.
        #[arg(long, value_name = "DIR", conflicts_with = "check")]
        learn: Option<PathBuf>,
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(long)]
        no_rules: bool,
    },
    /// Fact checks: figures of different articles that contradict each other, and stated
    /// changes or totals that do not add up (default: ./seeds). Exit code 1 when any is found.
    Check {
        dirs: Vec<PathBuf>,
        #[arg(long, value_enum, default_value = "text")]
        format: OutputFormat,
    },
    /// Score the recogniser on labelled gold data (JSON lines with id, text, entities).
    Eval {
        gold: PathBuf,
        /// Print machine-readable JSON.
        #[arg(long)]
        json: bool,
        /// A name model file to use instead of the embedded one, or `none` for the rules alone.
        #[arg(long)]
        model: Option<PathBuf>,
        /// Also write the predictions as JSON lines {"id", "entities"} to this file.
        #[arg(long)]
        predictions: Option<PathBuf>,
    },
    /// Train the name model on labelled documents (JSON lines with text and entities; default:
    /// data/train/*.jsonl) and write it to data/name_model.bin, or cross-validate it.
    Train {
        files: Vec<PathBuf>,
        /// Where to write the model (default: data/name_model.bin of the source tree).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Cross-validate by document with K folds instead of writing a model.
        #[arg(long, value_name = "K")]
        folds: Option<usize>,
        /// Retrain and check that data/name_model.bin and the embedded model are what the
        /// training data gives (exit 1 when not).
        #[arg(long)]
        verify: bool,
        /// Labelled files to score on, never trained on (e.g. ../shared/eval/gum_news_dev.jsonl).
        #[arg(long)]
        eval: Vec<PathBuf>,
        /// With --folds: write each training document's entities, as recognised by the model of
        /// the fold that held it out, as JSON lines {"entities", "id"} (as `eval --predictions`).
        #[arg(long, requires = "folds")]
        predictions: Option<PathBuf>,
        #[arg(long, default_value_t = 8)]
        epochs: usize,
        #[arg(long, default_value_t = 20261207)]
        seed: u64,
        /// Drop features whose weights are all below this fraction of the largest one.
        #[arg(long, default_value_t = 0.01)]
        prune: f32,
        /// Show a source's documents N times per epoch, as SOURCE=N (the file name without
        /// `.jsonl`); repeatable. Default: gum_open_genres=2.
        #[arg(long, value_name = "SOURCE=N", value_parser = parse_repeat)]
        repeat: Vec<(String, usize)>,
        /// The source whose conventions the model follows: features get a copy per source and
        /// the model keeps the shared weights plus this source's copies; `none`: no copies.
        /// Default: gum_open_genres.
        #[arg(long, value_name = "SOURCE")]
        target: Option<String>,
        /// Average the weights of N runs shuffled with seeds SEED, SEED+1, ... into one model
        /// (default: the training configuration's).
        #[arg(long, value_name = "N")]
        bags: Option<usize>,
    },
    /// Run the language server over stdio.
    Serve {
        /// Accepted for clients that pass it (stdio is the only transport).
        #[arg(long)]
        stdio: bool,
    },
}

/// `SOURCE=N` of `newsls train --repeat`.
fn parse_repeat(s: &str) -> Result<(String, usize), String> {
    let (source, n) = s
        .split_once('=')
        .ok_or_else(|| format!("expected SOURCE=N, got {s:?}"))?;
    let n = n.parse().map_err(|_| format!("not a count: {n:?}"))?;
    Ok((source.to_string(), n))
}

pub fn main() -> ExitCode {
    init_logging();
    let args = Args::parse();
    let res = match args.command {
        Command::Annotate { jsonl: true, .. } => annotate_jsonl_stdin(),
        Command::Annotate {
            format, color, paths, ..
        } => annotate_paths(&paths, format, &color),
        Command::Related {
            file,
            corpus,
            top,
            format,
        } => related(&file, corpus.as_deref(), top, format),
        Command::Index { dirs, threads } => index(&dirs, threads),
        Command::Eval {
            gold,
            json,
            model,
            predictions,
        } => eval(&gold, json, model.as_deref(), predictions.as_deref()),
        Command::Train {
            files,
            out,
            folds,
            verify,
            eval,
            predictions,
            epochs,
            seed,
            prune,
            repeat,
            target,
            bags,
        } => crate::train::run(crate::train::TrainArgs {
            files,
            out,
            folds,
            verify,
            eval,
            predictions,
            config: crate::recognize::tagger::train::TrainConfig {
                epochs,
                seed,
                prune,
                repeat: if repeat.is_empty() {
                    crate::recognize::tagger::train::TrainConfig::default().repeat
                } else {
                    repeat
                },
                target: match target.as_deref() {
                    None => crate::recognize::tagger::train::TrainConfig::default().target,
                    Some("none") => None,
                    Some(_) => target,
                },
                bags: bags.unwrap_or(crate::recognize::tagger::train::TrainConfig::default().bags),
                ..Default::default()
            },
        }),
        Command::Check { dirs, format } => check(&dirs, format),
        Command::Serve { .. } => return crate::server::run(),
        Command::Export {
            format,
            dir,
            out,
            no_rules,
        } => crate::export::cli::export(format, &dir, out.as_deref(), no_rules),
        Command::Import {
            format,
            path,
            learn: Some(dir),
            ..
        } => crate::export::cli::learn(format, &path, &dir),
        Command::Import {
            format,
            path,
            check,
            out,
            no_rules,
            ..
        } => crate::export::cli::import(format, &path, check.as_deref(), out.as_deref(), no_rules),
    };
    match res {
        Ok(code) => code,
        Err(err) => {
            if err.chain().any(|e| {
                e.downcast_ref::<io::Error>()
                    .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            eprintln!("newsls: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// Logs go to stderr, filtered by `NEWSLS_LOG` (default: warnings).
pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("NEWSLS_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(io::stderr)
        .with_target(false)
        .try_init();
}

fn annotate_jsonl_stdin() -> anyhow::Result<ExitCode> {
    let mut out = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
    crate::export::jsonl::annotate_lines(
        io::stdin().lock(),
        "stdin",
        &mut out,
        crate::batch::Chunking::from_env(),
        |message| eprintln!("newsls: {message}"),
    )?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `./seeds` when present, else the seeds bundled with the project that built this binary.
fn default_paths() -> Vec<PathBuf> {
    let local = PathBuf::from("seeds");
    if local.is_dir() {
        return vec![local];
    }
    vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds")]
}

/// What `annotate` found in one file: its output, what to report, its entities for the summary.
struct Annotated {
    bytes: Vec<u8>,
    messages: Vec<String>,
    read: bool,
    names: Vec<(Kind, String)>,
}

fn annotate_paths(paths: &[PathBuf], format: AnnotateFormat, color: &str) -> anyhow::Result<ExitCode> {
    let paths = if paths.is_empty() {
        default_paths()
    } else {
        paths.to_vec()
    };
    let config = ScanConfig::default();
    let (files, errors) = scan::discover(&paths, &config);
    for err in &errors {
        eprintln!("newsls: {err}");
    }
    if files.is_empty() {
        eprintln!(
            "newsls: no articles (.txt, .md, .markdown, .text) found in {}",
            display_paths(&paths)
        );
        return Ok(ExitCode::from(1));
    }
    let use_color = match color {
        "always" => true,
        "never" => false,
        _ => io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let mut out = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
    let mut summary: [(usize, std::collections::HashSet<String>); 4] = Default::default();
    let mut n_done = 0;
    crate::batch::run_ordered(
        files.iter().map(Ok::<_, anyhow::Error>),
        |_| 0,
        crate::batch::Chunking::from_env(),
        |path| annotate_file(path, &config, format, use_color),
        |done| {
            for message in &done.messages {
                eprintln!("newsls: {message}");
            }
            n_done += usize::from(done.read);
            for (kind, canonical) in done.names {
                let slot = &mut summary[kind_index(kind)];
                slot.0 += 1;
                slot.1.insert(canonical);
            }
            out.write_all(&done.bytes)?;
            Ok(())
        },
    )?;
    if format == AnnotateFormat::Text {
        writeln!(out, "\nSummary ({n_done} articles)")?;
        writeln!(out, "{:<14} {:>9} {:>9}", "kind", "mentions", "distinct")?;
        for kind in Kind::ALL {
            let (n, distinct) = &summary[kind_index(kind)];
            writeln!(
                out,
                "{:<14} {:>9} {:>9}",
                paint(kind.as_str(), kind, use_color),
                n,
                distinct.len()
            )?;
        }
    }
    out.flush()?;
    Ok(if n_done == 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Reads and recognises one article for `annotate` (with its workspace's rules) and writes its
/// output in `format`.
fn annotate_file(path: &Path, config: &ScanConfig, format: AnnotateFormat, use_color: bool) -> Annotated {
    let mut done = Annotated {
        bytes: Vec::new(),
        messages: Vec::new(),
        read: false,
        names: Vec::new(),
    };
    let file = match scan::read_article(path, config) {
        Ok(file) => file,
        Err(err) => {
            done.messages.push(err.to_string());
            return done;
        }
    };
    done.read = true;
    let (store, rules) = workspace_rules(path, &mut done.messages);
    // A recogniser bug costs this file's entities, never the run.
    let entities = recognize::guarded(|| {
        if rules.is_empty() {
            recognize::recognizer().annotate(&file.text)
        } else {
            recognize::recognizer().annotate_with(&file.text, &rules, store.relative(path).as_deref())
        }
    })
    .unwrap_or_else(|err| {
        done.messages.push(format!(
            "{}: recognition failed ({err}); no entities",
            path.display()
        ));
        Vec::new()
    });
    let is_md = path.extension().is_some_and(|e| e == "md" || e == "markdown");
    let title = crate::corpus::article::title_of(&file.text, is_md);
    done.bytes.reserve(file.text.len() * 3);
    match format {
        AnnotateFormat::Jsonl => {
            let id = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let obj = crate::export::jsonl::ArticleOut {
                entities: crate::export::jsonl::Entities {
                    text: &file.text,
                    entities: &entities,
                },
                id: &id,
                path: &path.display().to_string(),
                title: &title,
            };
            // Writing into a Vec cannot fail.
            let _ = crate::export::jsonl::write_line(&mut done.bytes, &obj);
        }
        AnnotateFormat::Text => {
            done.names = entities.iter().map(|e| (e.kind, e.canonical.clone())).collect();
            let _ = write_marked(&mut done.bytes, path, &title, &file.text, &entities, use_color);
        }
    }
    done
}

/// The annotation rules of the workspace around `path` (`.newsls/annotations.toml` at or above
/// it). A malformed file is reported (added to `messages`) and ignored: the CLI then runs
/// without rules.
fn workspace_rules(
    path: &Path,
    messages: &mut Vec<String>,
) -> (crate::annotations::Store, crate::recognize::rules::Rules) {
    let store = crate::annotations::Store::discover(path);
    match store.load() {
        Ok(rules) => (store, rules),
        Err(err) => {
            messages.push(format!("{err:#} (continuing without annotation rules)"));
            (store, crate::recognize::rules::Rules::default())
        }
    }
}

/// [`workspace_rules`], reporting a malformed file at once.
fn workspace_rules_reported(path: &Path) -> (crate::annotations::Store, crate::recognize::rules::Rules) {
    let mut messages = Vec::new();
    let res = workspace_rules(path, &mut messages);
    for message in messages {
        eprintln!("newsls: {message}");
    }
    res
}

fn display_paths(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn kind_index(kind: Kind) -> usize {
    Kind::ALL.iter().position(|k| *k == kind).unwrap_or(0)
}

fn paint(s: &str, kind: Kind, color: bool) -> String {
    if !color {
        return s.to_string();
    }
    let code = match kind {
        Kind::Organization => "1;34",
        Kind::Place => "1;32",
        Kind::Figure => "1;33",
        Kind::Person => "1;35",
    };
    format!("\x1b[{code}m{s}\x1b[0m")
}

/// The article text with its entities marked: coloured in a terminal, else `[text|kind]`.
fn write_marked(
    out: &mut impl Write,
    path: &Path,
    title: &str,
    text: &str,
    entities: &[Entity],
    color: bool,
) -> io::Result<()> {
    let rule = "=".repeat(72);
    writeln!(out, "{rule}\n{}  ({})\n{rule}", title, path.display())?;
    let mut pos = 0;
    for e in entities {
        out.write_all(&text.as_bytes()[pos..e.span.start])?;
        let surface = e.text(text);
        if color {
            out.write_all(paint(surface, e.kind, true).as_bytes())?;
        } else {
            let mut label = e.kind.as_str().to_string();
            if let Some(sub) = e.subkind.filter(|s| s.is_figure()) {
                label.push(':');
                label.push_str(sub.as_str());
            }
            write!(out, "[{surface}|{label}]")?;
        }
        let note = match &e.value {
            Some(v) => Some(v.normalized()).filter(|shown| shown != surface),
            None => Some(e.canonical.clone()).filter(|canonical| canonical != surface),
        };
        if let Some(note) = note {
            let note = format!("⟨{note}⟩");
            let note = if color {
                format!("\x1b[2m{note}\x1b[0m")
            } else {
                note
            };
            out.write_all(note.as_bytes())?;
        }
        pos = e.span.end;
    }
    out.write_all(&text.as_bytes()[pos..])?;
    if !text.ends_with('\n') {
        writeln!(out)?;
    }
    Ok(())
}

fn build_index(roots: &[PathBuf], extra: Option<&Path>) -> anyhow::Result<CorpusIndex> {
    let config = ScanConfig::default();
    let mut files = CorpusIndex::discover(roots, &config);
    if let Some(extra) = extra
        && !files.iter().any(|f| same_file(f, extra))
    {
        files.push(extra.to_path_buf());
    }
    if files.is_empty() {
        bail!(
            "no articles (.txt, .md, .markdown, .text) found in {}",
            display_paths(roots)
        );
    }
    let mut index = CorpusIndex::new();
    let (store, rules) = workspace_rules_reported(&roots[0]);
    let errors = if rules.is_empty() {
        index.add_files(&files, &config, &|_, _| {})
    } else {
        crate::annotations::corpus::add_files_with_rules(&mut index, &files, &config, &store, &rules)
    };
    for err in errors {
        eprintln!("newsls: {err}");
    }
    Ok(index)
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

fn related(file: &Path, corpus: Option<&Path>, top: usize, format: OutputFormat) -> anyhow::Result<ExitCode> {
    if !file.is_file() {
        bail!("{}: no such file", file.display());
    }
    let root = match corpus {
        Some(dir) => dir.to_path_buf(),
        None => file
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf(),
    };
    let index = build_index(std::slice::from_ref(&root), Some(file))?;
    let Some(id) = index
        .articles()
        .find(|(_, a)| same_file(&a.path, file))
        .map(|(id, _)| id)
    else {
        bail!("{}: could not be indexed (see the message above)", file.display());
    };
    let related = index.related_to_article(id, top);
    let mut out = io::BufWriter::new(io::stdout().lock());
    match format {
        OutputFormat::Json => {
            let items: Vec<serde_json::Value> = related
                .iter()
                .filter_map(|r| {
                    let a = index.article(r.article)?;
                    let shared: Vec<serde_json::Value> = r
                        .shared
                        .iter()
                        .filter_map(|e| index.entity(*e))
                        .map(|e| json!({"kind": e.kind.as_str(), "canonical": e.canonical}))
                        .collect();
                    Some(json!({"path": a.path.display().to_string(), "title": a.title,
                        "date": a.date.map(|d| d.to_string()), "score": r.score, "shared": shared}))
                })
                .collect();
            writeln!(
                out,
                "{}",
                json!({"article": file.display().to_string(), "related": items})
            )?;
        }
        OutputFormat::Text => {
            if related.is_empty() {
                writeln!(
                    out,
                    "No related articles in {} ({} indexed).",
                    root.display(),
                    index.n_articles()
                )?;
            }
            for (rank, r) in related.iter().enumerate() {
                let Some(a) = index.article(r.article) else {
                    continue;
                };
                let shared: Vec<&str> = r
                    .shared
                    .iter()
                    .filter_map(|e| index.entity(*e))
                    .map(|e| e.canonical.as_str())
                    .take(8)
                    .collect();
                writeln!(
                    out,
                    "{:>3}. {:.3}  {}  ({})",
                    rank + 1,
                    r.score,
                    a.title,
                    a.path.display()
                )?;
                writeln!(out, "       shared: {}", shared.join(", "))?;
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn index(dirs: &[PathBuf], threads: Option<usize>) -> anyhow::Result<ExitCode> {
    if dirs.is_empty() {
        bail!("give a folder to index: newsls index DIR");
    }
    if let Some(n) = threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
            .context("setting up threads")?;
    }
    let start = Instant::now();
    let config = ScanConfig::default();
    let files = CorpusIndex::discover(dirs, &config);
    if files.is_empty() {
        eprintln!(
            "newsls: no articles (.txt, .md, .markdown, .text) found in {}",
            display_paths(dirs)
        );
        return Ok(ExitCode::from(1));
    }
    let discovered = start.elapsed();
    let mut index = CorpusIndex::new();
    let show_progress = io::stderr().is_terminal();
    let (store, rules) = workspace_rules_reported(&dirs[0]);
    if !rules.is_empty() {
        let errors =
            crate::annotations::corpus::add_files_with_rules(&mut index, &files, &config, &store, &rules);
        return print_index_stats(&index, errors.len(), start, discovered);
    }
    let errors = index.add_files(&files, &config, &|done, total| {
        if show_progress {
            eprint!("\rindexing {done}/{total}");
        }
    });
    if show_progress {
        eprintln!();
    }
    print_index_stats(&index, errors.len(), start, discovered)
}

/// One figure of an article, located for output.
struct Located {
    file: String,
    line: u32,
    column: u32,
    text: String,
}

/// Locates `span` of `article` (1-based line, 1-based column in characters; the text is read
/// only to count characters, bytes when it cannot be read).
fn locate(
    index: &CorpusIndex,
    id: crate::corpus::ArticleId,
    span: &std::ops::Range<u32>,
    texts: &mut std::collections::HashMap<crate::corpus::ArticleId, Option<String>>,
) -> Located {
    let Some(a) = index.article(id) else {
        return Located {
            file: String::new(),
            line: 0,
            column: 0,
            text: String::new(),
        };
    };
    let (line, start) = a.lines.locate(span.start);
    let text = texts
        .entry(id)
        .or_insert_with(|| std::fs::read_to_string(&a.path).ok());
    let (column, shown) = match text.as_deref() {
        Some(t) => (
            t.get(start as usize..span.start as usize)
                .map_or(0, |s| s.chars().count()) as u32,
            t.get(span.start as usize..span.end as usize)
                .unwrap_or("")
                .to_string(),
        ),
        None => (span.start - start, String::new()),
    };
    Located {
        file: a.path.display().to_string(),
        line: line + 1,
        column: column + 1,
        text: shown,
    }
}

fn check(dirs: &[PathBuf], format: OutputFormat) -> anyhow::Result<ExitCode> {
    use crate::facts::Period;
    let dirs = if dirs.is_empty() {
        default_paths()
    } else {
        dirs.to_vec()
    };
    let start = Instant::now();
    let config = ScanConfig::default();
    let files = CorpusIndex::discover(&dirs, &config);
    if files.is_empty() {
        eprintln!(
            "newsls: no articles (.txt, .md, .markdown, .text) found in {}",
            display_paths(&dirs)
        );
        return Ok(ExitCode::from(1));
    }
    let mut index = CorpusIndex::new();
    let (store, rules) = workspace_rules_reported(&dirs[0]);
    let errors = if rules.is_empty() {
        index.add_files(&files, &config, &|_, _| {})
    } else {
        crate::annotations::corpus::add_files_with_rules(&mut index, &files, &config, &store, &rules)
    };
    for err in &errors {
        eprintln!("newsls: {err}");
    }
    // What a person marked as checked (while both figures read the same) is not reported.
    let checked = store.load_checked();
    let rel = |id| {
        index.article(id).map_or(String::new(), |a| {
            store
                .relative(&a.path)
                .unwrap_or_else(|| a.path.display().to_string())
        })
    };
    let conflicts: Vec<_> = index
        .conflicts()
        .into_iter()
        .filter(|(x, y)| {
            let (Some(cx), Some(cy)) = (index.claim(*x), index.claim(*y)) else {
                return false;
            };
            let other = rel(y.article);
            !checked.iter().any(|k| {
                k.covers(
                    "figure-conflict",
                    &rel(x.article),
                    &cx.shown,
                    Some((&other, &cy.shown)),
                )
            })
        })
        .collect();
    let mut texts = std::collections::HashMap::new();
    let mut out = io::stdout().lock();
    let mut json_conflicts = Vec::new();
    let mut json_findings = Vec::new();
    let date_of = |id| {
        index
            .article(id)
            .and_then(|a| a.date)
            .map_or("undated".to_string(), |d| d.to_string())
    };
    for (x, y) in &conflicts {
        let (Some(cx), Some(cy)) = (index.claim(*x), index.claim(*y)) else {
            continue;
        };
        let lx = locate(&index, x.article, &cx.span, &mut texts);
        let ly = locate(&index, y.article, &cy.span, &mut texts);
        let title = |id| index.article(id).map_or(String::new(), |a| a.title.to_string());
        let period = match cx.period {
            Period::AsOf(_) => String::new(),
            p => format!(" ({})", p.describe()),
        };
        match format {
            OutputFormat::Text => {
                writeln!(
                    out,
                    "{}:{}:{}: figure-conflict: {} {}{}: {} here ({}), but {} in \"{}\" ({})",
                    lx.file,
                    lx.line,
                    lx.column,
                    cx.subject,
                    cx.measure.as_str(),
                    period,
                    lx.text,
                    date_of(x.article),
                    ly.text,
                    title(y.article),
                    date_of(y.article)
                )?;
                writeln!(out, "    {}:{}:{}: {}", ly.file, ly.line, ly.column, ly.text)?;
            }
            OutputFormat::Json => {
                let side = |l: &Located, c: &crate::facts::Claim, id| {
                    json!({
                        "file": l.file, "line": l.line, "column": l.column, "text": l.text,
                        "low": finite(c.lo), "high": finite(c.hi),
                        "title": title(id), "date": index.article(id).and_then(|a| a.date).map(|d| d.to_string()),
                    })
                };
                json_conflicts.push(json!({
                    "code": "figure-conflict",
                    "subject": cx.subject,
                    "measure": cx.measure.as_str(),
                    "period": cx.period.describe(),
                    "a": side(&lx, cx, x.article),
                    "b": side(&ly, cy, y.article),
                }));
            }
        }
    }
    let mut n_findings = [0usize; 2];
    let ids: Vec<_> = index.articles().map(|(id, _)| id).collect();
    for id in ids {
        let Some(a) = index.article(id) else { continue };
        for f in &a.facts.findings {
            let l = locate(&index, id, &f.span, &mut texts);
            if checked
                .iter()
                .any(|k| k.covers(f.kind.code(), &rel(id), &l.text, None))
            {
                continue;
            }
            n_findings[usize::from(f.kind == crate::facts::FindingKind::TotalMismatch)] += 1;
            let related: Vec<Located> = f
                .related
                .iter()
                .map(|r| locate(&index, id, r, &mut texts))
                .collect();
            match format {
                OutputFormat::Text => {
                    writeln!(out, "{}:{}:{}: {}: {}", l.file, l.line, l.column, f.kind.code(), f.message)?;
                }
                OutputFormat::Json => json_findings.push(json!({
                    "code": f.kind.code(), "file": l.file, "line": l.line, "column": l.column, "text": l.text,
                    "message": f.message,
                    "related": related.iter().map(|r| json!({"line": r.line, "column": r.column, "text": r.text})).collect::<Vec<_>>(),
                })),
            }
        }
    }
    let n_claims = index.n_claims();
    if format == OutputFormat::Json {
        let doc = json!({
            "articles": index.n_articles(),
            "claims": n_claims,
            "conflicts": json_conflicts,
            "findings": json_findings,
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
    }
    eprintln!(
        "newsls: {} articles, {} claims: {} conflicts, {} change mismatches, {} total mismatches ({:.2} s)",
        index.n_articles(),
        n_claims,
        conflicts.len(),
        n_findings[0],
        n_findings[1],
        start.elapsed().as_secs_f64()
    );
    let any = !conflicts.is_empty() || n_findings.iter().any(|n| *n > 0);
    Ok(ExitCode::from(u8::from(any)))
}

/// JSON has no infinity: an open bound is null.
fn finite(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}

fn print_index_stats(
    index: &CorpusIndex,
    n_errors: usize,
    start: Instant,
    discovered: std::time::Duration,
) -> anyhow::Result<ExitCode> {
    let elapsed = start.elapsed();
    let stats = index.stats();
    let mb = stats.bytes as f64 / 1e6;
    let secs = elapsed.as_secs_f64().max(1e-9);
    let mut out = io::stdout().lock();
    writeln!(out, "articles          {}", stats.articles)?;
    writeln!(out, "skipped files     {}", n_errors)?;
    writeln!(out, "mentions          {}", stats.mentions)?;
    for kind in Kind::ALL {
        writeln!(
            out,
            "entities {:<8} {}",
            kind.as_str(),
            stats.entities[kind_index(kind)]
        )?;
    }
    writeln!(out, "text              {mb:.1} MB")?;
    writeln!(
        out,
        "elapsed           {secs:.2} s (discovery {:.2} s)",
        discovered.as_secs_f64()
    )?;
    writeln!(
        out,
        "throughput        {:.1} MB/s on {} threads",
        mb / secs,
        rayon::current_num_threads()
    )?;
    if let Some(peak) = peak_rss_mb() {
        writeln!(out, "peak memory       {peak:.0} MB")?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Peak resident memory of this process in MB (Linux), for measurements.
pub fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn eval(
    gold_path: &Path,
    as_json: bool,
    model: Option<&Path>,
    predictions: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    let set = crate::train::read_gold(gold_path)?;
    let own;
    let rec = match model {
        None => recognize::recognizer(),
        Some(p) if p.as_os_str() == "none" => {
            own = recognize::Recognizer::with_tagger(None);
            &own
        }
        Some(p) => {
            let bytes = std::fs::read(p).with_context(|| format!("reading {}", p.display()))?;
            let m = recognize::tagger::Model::from_bytes(&bytes)
                .with_context(|| format!("{}: not a name model of this version", p.display()))?;
            own = recognize::Recognizer::with_tagger(Some(m));
            &own
        }
    };
    let mut dump = match predictions {
        Some(p) => Some(io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?,
        )),
        None => None,
    };
    let mut scorer = Scorer::default();
    let mut n_docs = 0;
    let mut n_chars = 0;
    let start = Instant::now();
    for (doc, gold) in set.docs.iter().zip(&set.gold) {
        let text = doc.text.as_str();
        let id = serde_json::Value::String(doc.id.clone());
        let entities = rec.annotate(text);
        if let Some(out) = dump.as_mut() {
            crate::export::jsonl::write_line(
                out,
                &crate::export::jsonl::IdOut {
                    entities: crate::export::jsonl::Entities {
                        text,
                        entities: &entities,
                    },
                    id: Some(&id),
                },
            )?;
        }
        let mut cp = CodePoints::new(text);
        let pred: Vec<Span> = entities
            .iter()
            .map(|e| (cp.at(e.span.start), cp.at(e.span.end), e.kind))
            .collect();
        scorer.add(text, gold, &pred);
        n_docs += 1;
        n_chars += text.chars().count();
    }
    let elapsed = start.elapsed().as_secs_f64();
    let news = [Kind::Organization, Kind::Place, Kind::Figure];
    let rows: Vec<(String, crate::eval::KindScore)> = Kind::ALL
        .iter()
        .map(|k| (k.as_str().to_string(), scorer.kind(*k)))
        .chain([("micro:all".to_string(), scorer.micro(&Kind::ALL))])
        .chain([("micro:org+place+figure".to_string(), scorer.micro(&news))])
        .collect();
    let mut out = io::stdout().lock();
    if as_json {
        let per: serde_json::Map<String, serde_json::Value> = rows
            .iter()
            .map(|(name, s)| {
                let m = |p: &crate::eval::Prf| json!({"tp": p.tp, "p": p.p, "r": p.r, "f1": p.f1});
                (
                    name.clone(),
                    json!({"gold": s.gold, "pred": s.pred, "exact": m(&s.exact),
                    "norm": m(&s.norm), "overlap": m(&s.overlap)}),
                )
            })
            .collect();
        writeln!(
            out,
            "{}",
            json!({"documents": n_docs, "characters": n_chars, "seconds": elapsed, "scores": per})
        )?;
    } else {
        writeln!(
            out,
            "{:<24} {:>5} {:>5} | {:>7} {:>6} {:>6} | {:>7} {:>6} {:>6} | {:>7} {:>6} {:>6}",
            "kind", "gold", "pred", "exact P", "R", "F1", "norm P", "R", "F1", "ovl P", "R", "F1"
        )?;
        writeln!(out, "{}", "-".repeat(104))?;
        for (name, s) in &rows {
            writeln!(
                out,
                "{:<24} {:>5} {:>5} | {:>7.3} {:>6.3} {:>6.3} | {:>7.3} {:>6.3} {:>6.3} | {:>7.3} {:>6.3} {:>6.3}",
                name,
                s.gold,
                s.pred,
                s.exact.p,
                s.exact.r,
                s.exact.f1,
                s.norm.p,
                s.norm.r,
                s.norm.f1,
                s.overlap.p,
                s.overlap.r,
                s.overlap.f1
            )?;
        }
        writeln!(
            out,
            "{n_docs} documents, {n_chars} characters, {:.0} chars/s",
            n_chars as f64 / elapsed.max(1e-9)
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
