//! Fact-check diagnostics of an open document: its figures that contradict another article of
//! the corpus (`figure-conflict`, with `relatedInformation` pointing at the other mention) and
//! its stated changes and totals that do not add up (`change-mismatch`, `total-mismatch`);
//! the hover note on such a figure, and the code actions "Open the other article" and "Mark
//! as checked" with their commands ([`execute`]).
//!
//! The document's own claims are computed from its current analysis (so positions always
//! match the text shown); the other articles' claims come from the index, never from their
//! text. Runs on the blocking pool (called from [`crate::server::annotations`]'s diagnostics
//! task), after the debounced index update: never on the keystroke path.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;
use serde_json::json;
use tower_lsp_server::Client;
use tower_lsp_server::jsonrpc::{Error, ErrorCode};
use tower_lsp_server::lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, Command, Diagnostic, DiagnosticRelatedInformation,
    DiagnosticSeverity, ExecuteCommandParams, LSPAny, Location, NumberOrString, Range, ShowDocumentParams,
    Uri,
};

use crate::annotations::Store;
use crate::annotations::format::Checked;
use crate::corpus::CorpusIndex;
use crate::facts::{self, Claim, Finding, Period};
use crate::server::convert;
use crate::server::invalid_params;
use crate::server::navigation::uri_for;
use crate::server::state::{Snapshot, State};

/// The command behind "Open the other article": arguments `{uri, range}`; the server asks the
/// client to show that document with the range selected (`window/showDocument`).
pub const OPEN_OTHER: &str = "newsls.openOtherArticle";

/// The command behind "Mark as checked": arguments `{path, checked}` (the article's path and
/// the `[[checked]]` entry to add to its workspace folder's annotation file).
pub const MARK_CHECKED: &str = "newsls.markChecked";

/// Whether `command` is one of the fact-check commands ([`execute`] runs it).
pub fn is_command(command: &str) -> bool {
    command == OPEN_OTHER || command == MARK_CHECKED
}

/// Runs a fact-check command. "Mark as checked" writes the entry (atomically, on the blocking
/// pool) and republishes the diagnostics; "Open the other article" asks the client to show
/// the document from a spawned task, so this request never waits on the client.
pub async fn execute(
    client: &Client,
    state: &Arc<State>,
    params: ExecuteCommandParams,
) -> tower_lsp_server::jsonrpc::Result<Option<LSPAny>> {
    let arg = params.arguments.first().cloned().unwrap_or_default();
    if params.command == MARK_CHECKED {
        let Some((path, entry)) = parse_mark_checked(&arg) else {
            return Err(invalid_params(format!(
                "{}: expected {{path, checked}}",
                params.command
            )));
        };
        let Some((store, _)) = state.annotations.folder_of(&path) else {
            return Err(invalid_params(format!(
                "{} is in no workspace folder",
                path.display()
            )));
        };
        let res =
            tokio::task::spawn_blocking(move || store.apply(&[crate::annotations::Edit::Checked(entry)]))
                .await
                .map_err(|e| invalid_params(e.to_string()))?;
        if let Err(e) = res {
            return Err(Error {
                code: ErrorCode::InternalError,
                message: format!("{e:#}").into(),
                data: None,
            });
        }
        crate::server::annotations::refresh_diagnostics(client, state);
        return Ok(Some(json!({"checked": true})));
    }
    let uri = serde_json::from_value::<Uri>(arg["uri"].clone());
    let range = serde_json::from_value::<Range>(arg["range"].clone());
    let (Ok(uri), Ok(range)) = (uri, range) else {
        return Err(invalid_params(format!(
            "{}: expected {{uri, range}}",
            params.command
        )));
    };
    let client = client.clone();
    tokio::spawn(async move {
        let params = ShowDocumentParams {
            uri,
            external: Some(false),
            take_focus: Some(true),
            selection: Some(range),
        };
        if let Err(err) = client.show_document(params).await {
            tracing::warn!("window/showDocument failed: {err}");
        }
    });
    Ok(Some(json!({"requested": true})))
}

/// The `[[checked]]` entry that silences a conflict or finding of the document at `path`.
fn checked_entry(
    store: &Store,
    path: &Path,
    code: &str,
    text: &str,
    other: Option<(&Path, &str)>,
) -> Checked {
    let rel = |p: &Path| store.relative(p).unwrap_or_else(|| p.display().to_string());
    Checked {
        code: code.to_string(),
        path: rel(path),
        text: text.to_string(),
        other_path: other.map(|(p, _)| rel(p)),
        other_text: other.map(|(_, t)| t.to_string()),
    }
}

/// A claim of the open document contradicted by a claim of another article.
pub struct DocConflict {
    pub mine: Claim,
    pub other: Claim,
    pub other_path: PathBuf,
    pub other_title: String,
    pub other_date: Option<NaiveDate>,
    /// The other mention's range in its article (from the index's line table).
    pub other_range: Range,
}

/// The fact-check results of an open document.
#[derive(Default)]
pub struct DocFacts {
    pub conflicts: Vec<DocConflict>,
    pub findings: Vec<Finding>,
}

/// The document's claims and findings from its current text, and the corpus claims that
/// contradict them.
pub fn doc_facts(state: &State, snap: &Snapshot) -> DocFacts {
    let a = &snap.analysis;
    let path = snap.path.clone().unwrap_or_default();
    let indexed = CorpusIndex::analyze_buffer(&path, &a.text, &a.entities);
    let mine = indexed.facts;
    if mine.claims.is_empty() {
        return DocFacts {
            conflicts: Vec::new(),
            findings: mine.findings,
        };
    }
    let corpus = state.corpus();
    let this = snap.path.as_ref().and_then(|p| corpus.article_id(p));
    let keys: std::collections::HashSet<String> = mine.claims.iter().map(Claim::subject_key).collect();
    // The document's claims (article None) and the others' with one of its subjects.
    let mut all: Vec<(Option<crate::corpus::ArticleId>, Option<NaiveDate>, &Claim)> =
        mine.claims.iter().map(|c| (None, indexed.date, c)).collect();
    for (id, art) in corpus.articles() {
        if Some(id) == this {
            continue;
        }
        for c in &art.facts.claims {
            if keys.contains(&c.subject_key()) {
                all.push((Some(id), art.date, c));
            }
        }
    }
    let mut conflicts = Vec::new();
    for (i, j) in facts::conflicts(&all) {
        let (mine_i, other_i) = if all[i].0.is_none() { (i, j) } else { (j, i) };
        let (Some(other_id), None) = (all[other_i].0, all[mine_i].0) else {
            continue;
        };
        let Some(art) = corpus.article(other_id) else {
            continue;
        };
        let other = all[other_i].2;
        let lag = art
            .mentions
            .binary_search_by_key(&other.span.start, |m| m.span.start)
            .ok()
            .and_then(|k| art.mentions.get(k))
            .filter(|m| m.span == other.span)
            .and_then(|m| convert::indexed_range(&art.lines, m, snap.encoding));
        let other_range = lag.unwrap_or_else(|| {
            let (line, start) = art.lines.locate(other.span.start);
            let col = other.span.start.saturating_sub(start);
            Range::new(
                tower_lsp_server::lsp_types::Position::new(line, col),
                tower_lsp_server::lsp_types::Position::new(line, col + (other.span.end - other.span.start)),
            )
        });
        conflicts.push(DocConflict {
            mine: all[mine_i].2.clone(),
            other: other.clone(),
            other_path: art.path.clone(),
            other_title: art.title.to_string(),
            other_date: art.date,
            other_range,
        });
    }
    drop(corpus);
    let mut out = DocFacts {
        conflicts,
        findings: mine.findings,
    };
    // What a person marked as checked (while both figures read the same) is not reported.
    if let Some(path) = &snap.path
        && let Some((store, _)) = state.annotations.folder_of(path)
    {
        let checked = store.load_checked();
        if !checked.is_empty() {
            let rel = |p: &Path| store.relative(p).unwrap_or_else(|| p.display().to_string());
            let me = rel(path);
            out.conflicts.retain(|c| {
                let other = rel(&c.other_path);
                !checked.iter().any(|k| {
                    k.covers(
                        "figure-conflict",
                        &me,
                        &c.mine.shown,
                        Some((&other, &c.other.shown)),
                    )
                })
            });
            let text = &snap.analysis.text;
            out.findings.retain(|f| {
                let shown = text.get(f.span.start as usize..f.span.end as usize).unwrap_or("");
                !checked.iter().any(|k| k.covers(f.kind.code(), &me, shown, None))
            });
        }
    }
    out
}

fn date_str(d: Option<NaiveDate>) -> String {
    d.map_or("undated".to_string(), |d| d.to_string())
}

/// The message of a conflict: the other value, article title and date.
pub fn conflict_message(c: &DocConflict) -> String {
    let period = match c.mine.period {
        Period::AsOf(_) => String::new(),
        p => format!(" ({})", p.describe()),
    };
    format!(
        "{} {}{}: {} here, but {} in \"{}\" ({})",
        c.mine.subject,
        c.mine.measure.as_str(),
        period,
        c.mine.shown,
        c.other.shown,
        c.other_title,
        date_str(c.other_date)
    )
}

/// [`doc_facts`], computed afresh (`fresh`) or taken from the cache when neither the document
/// nor the corpus changed since; the result is cached.
pub fn cached_doc_facts(state: &State, snap: &Snapshot, fresh: bool) -> Arc<DocFacts> {
    use std::sync::atomic::Ordering;
    let generation = state.corpus_generation.load(Ordering::Acquire);
    let version = snap.analysis.version;
    let lock = || state.facts_cache.lock().unwrap_or_else(|p| p.into_inner());
    if !fresh
        && let Some((v, g, f)) = lock().get(&snap.uri)
        && (*v, *g) == (version, generation)
    {
        return f.clone();
    }
    let f = Arc::new(doc_facts(state, snap));
    lock().insert(snap.uri.clone(), (version, generation, f.clone()));
    f
}

/// The diagnostics of an open document at `severity`.
pub fn diagnostics(state: &State, snap: &Snapshot, severity: DiagnosticSeverity) -> Vec<Diagnostic> {
    let f = cached_doc_facts(state, snap, true);
    let a = &snap.analysis;
    let range = |span: &std::ops::Range<u32>| {
        convert::range(&a.rope, span.start as usize..span.end as usize, snap.encoding)
    };
    let mut out = Vec::new();
    for c in &f.conflicts {
        let related = uri_for(state, &c.other_path).map(|uri| {
            vec![DiagnosticRelatedInformation {
                location: Location::new(uri, c.other_range),
                message: format!(
                    "{} in \"{}\" ({})",
                    c.other.shown,
                    c.other_title,
                    date_str(c.other_date)
                ),
            }]
        });
        out.push(Diagnostic {
            range: range(&c.mine.span),
            severity: Some(severity),
            code: Some(NumberOrString::String("figure-conflict".into())),
            source: Some("newsls".into()),
            message: conflict_message(c),
            related_information: related,
            ..Diagnostic::default()
        });
    }
    for x in &f.findings {
        let related: Vec<DiagnosticRelatedInformation> = x
            .related
            .iter()
            .map(|r| DiagnosticRelatedInformation {
                location: Location::new(snap.uri.clone(), range(r)),
                message: a
                    .text
                    .get(r.start as usize..r.end as usize)
                    .unwrap_or("")
                    .to_string(),
            })
            .collect();
        out.push(Diagnostic {
            range: range(&x.span),
            severity: Some(severity),
            code: Some(NumberOrString::String(x.kind.code().into())),
            source: Some("newsls".into()),
            message: x.message.clone(),
            related_information: (!related.is_empty()).then_some(related),
            ..Diagnostic::default()
        });
    }
    out
}

/// (label, message) for the hover of the figure at `byte`, for each conflict or finding on it.
pub fn hover_note(state: &State, snap: &Snapshot, byte: usize) -> Vec<(&'static str, String)> {
    let f = cached_doc_facts(state, snap, false);
    let at = |s: &std::ops::Range<u32>| (s.start as usize) <= byte && byte < s.end as usize;
    let mut lines = Vec::new();
    for c in f.conflicts.iter().filter(|c| at(&c.mine.span)) {
        lines.push(("Figure conflict", conflict_message(c)));
    }
    for x in f.findings.iter().filter(|x| at(&x.span)) {
        let label = match x.kind {
            facts::FindingKind::ChangeMismatch => "Change mismatch",
            facts::FindingKind::TotalMismatch => "Total mismatch",
        };
        lines.push((label, x.message.clone()));
    }
    lines
}

/// "Open the other article" and "Mark as checked" for each conflict whose figure is in
/// `range`; "Mark as checked" for each finding there.
pub fn code_actions(state: &State, snap: &Snapshot, range: Range) -> Vec<CodeActionOrCommand> {
    let a = &snap.analysis;
    let bytes = convert::byte_range(&a.rope, range, snap.encoding);
    let touches = |s: &std::ops::Range<u32>| !(s.start as usize > bytes.end || bytes.start > s.end as usize);
    let f = cached_doc_facts(state, snap, false);
    let store = snap
        .path
        .as_ref()
        .and_then(|p| state.annotations.folder_of(p))
        .map(|(s, _)| s);
    let action = |title: String, command: &str, arg: serde_json::Value| {
        CodeActionOrCommand::CodeAction(CodeAction {
            title: title.clone(),
            kind: Some(CodeActionKind::QUICKFIX),
            command: Some(Command {
                title,
                command: command.to_string(),
                arguments: Some(vec![arg]),
            }),
            ..CodeAction::default()
        })
    };
    let mut out = Vec::new();
    for c in f.conflicts.iter().filter(|c| touches(&c.mine.span)) {
        if let Some(uri) = uri_for(state, &c.other_path) {
            out.push(action(
                format!(
                    "Open the other article: \"{}\" ({})",
                    c.other_title,
                    date_str(c.other_date)
                ),
                OPEN_OTHER,
                json!({"uri": uri, "range": c.other_range}),
            ));
        }
        if let (Some(store), Some(path)) = (&store, &snap.path) {
            let entry = checked_entry(
                store,
                path,
                "figure-conflict",
                &c.mine.shown,
                Some((&c.other_path, &c.other.shown)),
            );
            out.push(action(
                format!(
                    "Mark as checked: {} here, {} in \"{}\"",
                    c.mine.shown, c.other.shown, c.other_title
                ),
                MARK_CHECKED,
                json!({"path": path, "checked": checked_json(&entry)}),
            ));
        }
    }
    for x in f.findings.iter().filter(|x| touches(&x.span)) {
        if let (Some(store), Some(path)) = (&store, &snap.path) {
            let shown = a
                .text
                .get(x.span.start as usize..x.span.end as usize)
                .unwrap_or("");
            let entry = checked_entry(store, path, x.kind.code(), shown, None);
            out.push(action(
                format!("Mark as checked: {shown} ({})", x.kind.code()),
                MARK_CHECKED,
                json!({"path": path, "checked": checked_json(&entry)}),
            ));
        }
    }
    out
}

fn checked_json(c: &Checked) -> serde_json::Value {
    json!({"code": c.code, "path": c.path, "text": c.text, "other_path": c.other_path, "other_text": c.other_text})
}

/// The `[[checked]]` entry of a [`MARK_CHECKED`] argument, and the article path it is for.
pub fn parse_mark_checked(arg: &serde_json::Value) -> Option<(PathBuf, Checked)> {
    let path = PathBuf::from(arg["path"].as_str()?);
    let c = &arg["checked"];
    let s = |k: &str| c[k].as_str().map(str::to_string);
    Some((
        path,
        Checked {
            code: s("code")?,
            path: s("path")?,
            text: s("text")?,
            other_path: s("other_path"),
            other_text: s("other_text"),
        },
    ))
}
