//! Annotations in the server: the workspace's rules (`.newsls/annotations.toml`, see
//! [`crate::annotations`]), the code actions that offer corrections, and the
//! `workspace/executeCommand` commands that write them and apply them everywhere.
//!
//! Commands (one JSON object argument; `uri` + `range` name a span of an open or on-disk
//! document, in the negotiated position encoding):
//! - `newsls.annotate.setKind` `{uri, range, kind, subkind?}`: the span's text is `kind`
//!   everywhere ("Mark as organization/place/person/figure", "Change kind to ...");
//! - `newsls.annotate.notEntity` `{uri, range}`: the span's text is never an entity;
//! - `newsls.annotate.notEntityHere` `{uri, range}`: this mention only is not an entity;
//! - `newsls.annotate.addAlias` `{uri, range, of}`: the span's text is an alias of `of`;
//! - `newsls.export` `{format: jsonl|brat|conll|webanno, out}`: exports the workspace.
//!
//! Invariants: the rules in force are the last ones that parsed (a malformed file is reported as
//! a diagnostic on the file and a message, and the previous rules stay); after a change, open
//! documents re-resolve on their next request (analyses carry the rules generation) and only
//! the corpus articles the change can affect are re-indexed, off the async workers, with the
//! corpus write lock held only to insert the results.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;

use serde_json::{Value as Json, json};
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::lsp_types::*;
use tower_lsp_server::{Client, UriExt};

use crate::annotations::{Edit, Store, StoreError};
use crate::corpus::IndexedArticle;
use crate::recognize::rules::{Decision, MentionRule, Rules, VocabRule};
use crate::recognize::{Kind, rules::parse_subkind};
use crate::server::convert;
use crate::server::state::{Snapshot, State, uri_to_path};

pub const SET_KIND: &str = "newsls.annotate.setKind";
pub const NOT_ENTITY: &str = "newsls.annotate.notEntity";
pub const NOT_ENTITY_HERE: &str = "newsls.annotate.notEntityHere";
pub const ADD_ALIAS: &str = "newsls.annotate.addAlias";
pub const EXPORT: &str = "newsls.export";

/// The commands this module executes.
pub const COMMANDS: [&str; 5] = [SET_KIND, NOT_ENTITY, NOT_ENTITY_HERE, ADD_ALIAS, EXPORT];

/// How many canonical names "Add as alias of ..." offers.
const ALIAS_CHOICES: usize = 5;

pub fn is_command(command: &str) -> bool {
    COMMANDS.contains(&command)
}

/// The rules an analysis is made with: the rules, their generation, and the article's
/// workspace-relative path (for mention decisions).
#[derive(Clone, Debug, Default)]
pub struct Applied {
    pub rules: Arc<Rules>,
    pub generation: u64,
    pub path: Option<String>,
}

/// The workspace's annotation rules.
#[derive(Default)]
pub struct Annotations {
    store: RwLock<Option<Store>>,
    rules: RwLock<Arc<Rules>>,
    generation: AtomicU64,
    /// The last load error, reported once per distinct message.
    error: Mutex<Option<String>>,
}

impl Annotations {
    /// Uses the annotation file of the workspace at `root` (the first workspace folder) and
    /// loads it. Returns the load error, if any (the rules are then empty).
    pub fn set_root(&self, root: Option<&Path>) -> Option<StoreError> {
        *self.store.write().unwrap_or_else(|p| p.into_inner()) = root.map(Store::new);
        self.reload().err()
    }

    pub fn store(&self) -> Option<Store> {
        self.store.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// The annotation file, when there is a workspace.
    pub fn file(&self) -> Option<PathBuf> {
        self.store().map(|s| s.path())
    }

    pub fn is_annotation_file(&self, path: &Path) -> bool {
        self.file().is_some_and(|f| f == path)
    }

    pub fn rules(&self) -> Arc<Rules> {
        self.rules.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// The rules to analyse `path` with.
    pub fn applied(&self, path: Option<&Path>) -> Applied {
        let store = self.store();
        Applied {
            rules: self.rules(),
            generation: self.generation(),
            path: path.and_then(|p| store.as_ref().and_then(|s| s.relative(p))),
        }
    }

    /// Replaces the rules, returning the previous ones.
    fn replace(&self, rules: Rules) -> Arc<Rules> {
        let mut guard = self.rules.write().unwrap_or_else(|p| p.into_inner());
        let old = std::mem::replace(&mut *guard, Arc::new(rules));
        self.generation.fetch_add(1, Ordering::AcqRel);
        old
    }

    /// Re-reads the file. On success returns the previous rules; on a parse error keeps the
    /// current rules and returns the error.
    pub fn reload(&self) -> std::result::Result<Arc<Rules>, StoreError> {
        let Some(store) = self.store() else {
            return Ok(self.rules());
        };
        match store.load() {
            Ok(rules) => {
                *self.error.lock().unwrap_or_else(|p| p.into_inner()) = None;
                Ok(self.replace(rules))
            }
            Err(e) => {
                *self.error.lock().unwrap_or_else(|p| p.into_inner()) = Some(e.to_string());
                Err(e)
            }
        }
    }

    /// Writes `edits` (merged into the file on disk) and makes the result the rules in force.
    fn write(&self, edits: &[Edit]) -> std::result::Result<Arc<Rules>, StoreError> {
        let Some(store) = self.store() else {
            return Err(StoreError::Io(anyhow::anyhow!(
                "no workspace folder: annotations are kept in a workspace"
            )));
        };
        let rules = store.apply(edits)?;
        Ok(self.replace(rules))
    }
}

/// Analyses an article's text with the workspace rules (the rules-aware `corpus::analyze`).
pub fn analyze(
    state: &State,
    path: PathBuf,
    text: &str,
    size: u64,
    mtime: Option<std::time::SystemTime>,
) -> IndexedArticle {
    let a = &state.annotations;
    match a.store() {
        Some(store) => {
            crate::annotations::corpus::analyze_with_rules(&store, &a.rules(), path, text, size, mtime)
        }
        None => crate::corpus::analyze(path, text, size, mtime),
    }
}

/// The diagnostic for a malformed annotation file (none when it parses).
fn file_diagnostics(error: Option<&StoreError>) -> Vec<Diagnostic> {
    let Some(StoreError::Parse { error, .. }) = error else {
        return Vec::new();
    };
    let line = error.line.saturating_sub(1) as u32;
    // Columns count characters; close enough for UTF-16 clients on the ASCII keys that matter.
    let col = error.column.saturating_sub(1) as u32;
    vec![Diagnostic {
        range: Range::new(Position::new(line, col), Position::new(line, col + 1)),
        severity: Some(DiagnosticSeverity::ERROR),
        source: Some("newsls".into()),
        message: format!(
            "{}; the previous annotations stay in force until this is fixed",
            error.message
        ),
        ..Diagnostic::default()
    }]
}

/// Publishes the state of the annotation file: a diagnostic and a message when it is malformed,
/// no diagnostic when it is fine.
pub async fn report_file(client: &Client, state: &State, error: Option<&StoreError>) {
    let Some(file) = state.annotations.file() else {
        return;
    };
    let Some(uri) = Uri::from_file_path(&file) else {
        return;
    };
    client
        .publish_diagnostics(uri, file_diagnostics(error), None)
        .await;
    if let Some(e) = error {
        tracing::warn!("{e}");
        client
            .show_message(
                MessageType::WARNING,
                format!("newsls: {e} (keeping the previous annotations)"),
            )
            .await;
    }
}

/// After the rules changed from `old` to the current ones: re-indexes the affected articles
/// (off the async workers) and asks the client to refresh what depends on them.
pub async fn rules_changed(client: &Client, state: &Arc<State>, old: Arc<Rules>) -> Json {
    let started = Instant::now();
    let st = state.clone();
    let applied = tokio::task::spawn_blocking(move || {
        let store = st.annotations.store()?;
        let new = st.annotations.rules();
        let articles: Vec<crate::annotations::corpus::Indexed> = st
            .corpus()
            .articles()
            .map(|(_, a)| (a.path.clone(), a.size, a.mtime))
            .collect();
        let text_of = |p: &Path| st.text_of(p);
        let (analysed, mut res) =
            crate::annotations::corpus::reanalyze_affected(articles, &store, &old, &new, &text_of);
        let inserting = Instant::now();
        if !analysed.is_empty() {
            let mut corpus = st.corpus_mut();
            for article in analysed {
                corpus.insert(article);
            }
        }
        res.insert = inserting.elapsed();
        Some(res)
    })
    .await
    .ok()
    .flatten()
    .unwrap_or_default();
    // Refresh requests go to the client from a task of their own: a handler never awaits the
    // client (it may be waiting for this handler's answer).
    let flags = state.inner().flags;
    let c = client.clone();
    tokio::spawn(async move {
        if flags.semantic_tokens_refresh {
            let _ = c.semantic_tokens_refresh().await;
        }
        if flags.inlay_hint_refresh {
            let _ = c.inlay_hint_refresh().await;
        }
        if flags.code_lens_refresh {
            let _ = c.code_lens_refresh().await;
        }
    });
    let ms = started.elapsed().as_secs_f64() * 1e3;
    tracing::info!(
        "annotations applied: {} of {} articles re-indexed in {ms:.1} ms",
        applied.reindexed,
        applied.scanned
    );
    json!({"scanned": applied.scanned, "reindexed": applied.reindexed, "ms": ms})
}

/// Re-reads the annotation file after it changed on disk (hand edit, `git pull`, another editor).
pub async fn file_changed(client: &Client, state: &Arc<State>) {
    let st = state.clone();
    let res = tokio::task::spawn_blocking(move || st.annotations.reload()).await;
    match res {
        Ok(Ok(old)) => {
            report_file(client, state, None).await;
            let change = crate::recognize::rules::RulesChange::between(&old, &state.annotations.rules());
            if !change.is_empty() {
                rules_changed(client, state, old).await;
            }
        }
        Ok(Err(e)) => report_file(client, state, Some(&e)).await,
        Err(e) => tracing::error!("reloading annotations failed: {e}"),
    }
}

fn command(title: String, name: &str, args: Json) -> CodeActionOrCommand {
    CodeActionOrCommand::CodeAction(CodeAction {
        title: title.clone(),
        kind: Some(CodeActionKind::QUICKFIX),
        command: Some(Command {
            title,
            command: name.to_string(),
            arguments: Some(vec![args]),
        }),
        ..CodeAction::default()
    })
}

/// The corrections offered for the entity under the cursor, or for the selected text.
pub fn code_actions(snap: &Snapshot, range: Range) -> Vec<CodeActionOrCommand> {
    let a = &snap.analysis;
    let bytes = convert::byte_range(&a.rope, range, snap.encoding);
    let entity = a.entity_at(bytes.start).and_then(|i| a.entities.get(i));
    // The target: a non-empty selection (trimmed), else the entity under the cursor.
    let span = if bytes.end > bytes.start {
        let raw = a.text.get(bytes.clone()).unwrap_or("");
        let lead = raw.len() - raw.trim_start().len();
        let trimmed = raw.trim();
        bytes.start + lead..bytes.start + lead + trimmed.len()
    } else if let Some(e) = entity {
        e.span.clone()
    } else {
        return Vec::new();
    };
    let Some(surface) = a
        .text
        .get(span.clone())
        .filter(|s| !s.is_empty() && !s.contains("\n\n"))
    else {
        return Vec::new();
    };
    let exact = a.entities.iter().find(|e| e.span == span);
    let lsp_range = convert::range(&a.rope, span.clone(), snap.encoding);
    let base = json!({"uri": snap.uri, "range": lsp_range});
    let with = |extra: Json| {
        let mut v = base.clone();
        if let (Some(obj), Some(more)) = (v.as_object_mut(), extra.as_object()) {
            obj.extend(more.clone());
        }
        v
    };
    let mut res = Vec::new();
    for kind in [Kind::Organization, Kind::Place, Kind::Person, Kind::Figure] {
        if exact.is_some_and(|e| e.kind == kind) {
            continue;
        }
        let title = match exact {
            Some(_) => format!("Change kind of \"{surface}\" to {kind} (everywhere)"),
            None => format!("Mark \"{surface}\" as {kind} (everywhere)"),
        };
        res.push(command(title, SET_KIND, with(json!({"kind": kind.as_str()}))));
    }
    if exact.is_some()
        || a.entities
            .iter()
            .any(|e| e.span.start < span.end && span.start < e.span.end)
    {
        res.push(command(
            format!("\"{surface}\" is not an entity (everywhere)"),
            NOT_ENTITY,
            base.clone(),
        ));
        res.push(command(
            format!("\"{surface}\" is not an entity (here only)"),
            NOT_ENTITY_HERE,
            base.clone(),
        ));
    }
    // Alias choices: other names of the document, nearest first.
    let mut names: Vec<(usize, &str)> = a
        .entities
        .iter()
        .filter(|e| e.kind != Kind::Figure && e.canonical != surface)
        .filter(|e| exact.is_none_or(|x| x.canonical != e.canonical))
        .map(|e| (e.span.start.abs_diff(span.start), e.canonical.as_str()))
        .collect();
    names.sort();
    let mut offered: Vec<&str> = Vec::new();
    for (_, name) in names {
        if offered.len() == ALIAS_CHOICES {
            break;
        }
        if !offered.contains(&name) {
            offered.push(name);
            res.push(command(
                format!("Add \"{surface}\" as alias of \"{name}\""),
                ADD_ALIAS,
                with(json!({"of": name})),
            ));
        }
    }
    res
}

fn invalid(message: String) -> Error {
    Error {
        code: ErrorCode::InvalidParams,
        message: message.into(),
        data: None,
    }
}

/// Runs one of [`COMMANDS`].
pub async fn execute(
    client: &Client,
    state: &Arc<State>,
    params: ExecuteCommandParams,
) -> Result<Option<Json>> {
    let name = params.command.clone();
    let arg = params.arguments.into_iter().next().unwrap_or(Json::Null);
    if name == EXPORT {
        return export(state, arg).await;
    }
    let st = state.clone();
    let edits = tokio::task::spawn_blocking(move || edits_for(&st, &name, &arg))
        .await
        .map_err(|_| Error::internal_error())??;
    let st = state.clone();
    let written = tokio::task::spawn_blocking(move || st.annotations.write(&edits))
        .await
        .map_err(|_| Error::internal_error())?;
    match written {
        Ok(old) => {
            report_file(client, state, None).await;
            let mut res = rules_changed(client, state, old).await;
            if let (Some(obj), Some(file)) = (res.as_object_mut(), state.annotations.file()) {
                obj.insert("file".into(), json!(file.display().to_string()));
            }
            Ok(Some(res))
        }
        Err(e) => {
            report_file(client, state, Some(&e)).await;
            Err(Error {
                code: ErrorCode::InternalError,
                message: e.to_string().into(),
                data: None,
            })
        }
    }
}

/// The edit a command asks for, from its argument (reads the document named by `uri`).
fn edits_for(state: &State, name: &str, arg: &Json) -> Result<Vec<Edit>> {
    let uri: Uri = arg
        .get("uri")
        .and_then(|u| serde_json::from_value(u.clone()).ok())
        .ok_or_else(|| invalid(format!("{name}: expected {{\"uri\", \"range\", ...}}")))?;
    let range: Range = arg
        .get("range")
        .and_then(|r| serde_json::from_value(r.clone()).ok())
        .ok_or_else(|| invalid(format!("{name}: missing \"range\"")))?;
    let snap = state.snapshot(&uri).map_err(invalid)?;
    let a = &snap.analysis;
    let span = convert::byte_range(&a.rope, range, snap.encoding);
    let text = a
        .text
        .get(span.clone())
        .filter(|t| !t.trim().is_empty())
        .ok_or_else(|| invalid(format!("{name}: the range is empty")))?
        .to_string();
    let edit = match name {
        SET_KIND => {
            let kind_name = arg.get("kind").and_then(|k| k.as_str()).unwrap_or("");
            let kind = Kind::parse(kind_name)
                .ok_or_else(|| invalid(format!("{name}: unknown kind {kind_name:?}")))?;
            let subkind = match arg.get("subkind").and_then(|s| s.as_str()) {
                Some(s) => {
                    Some(parse_subkind(s).ok_or_else(|| invalid(format!("{name}: unknown subkind {s:?}")))?)
                }
                None => None,
            };
            Edit::Vocab(VocabRule::Kind { text, kind, subkind })
        }
        NOT_ENTITY => Edit::Vocab(VocabRule::NotEntity { text }),
        ADD_ALIAS => {
            let of = arg
                .get("of")
                .and_then(|o| o.as_str())
                .filter(|o| !o.trim().is_empty())
                .ok_or_else(|| invalid(format!("{name}: missing \"of\"")))?;
            Edit::Vocab(VocabRule::Alias {
                text,
                of: of.to_string(),
            })
        }
        NOT_ENTITY_HERE => {
            let path = snap
                .path
                .as_deref()
                .ok_or_else(|| invalid(format!("{name}: {} is not a file", uri.as_str())))?;
            let rel = state
                .annotations
                .store()
                .and_then(|s| s.relative(path))
                .ok_or_else(|| invalid(format!("{name}: {} is outside the workspace", path.display())))?;
            let rule = MentionRule::capture(&rel, &a.text, span, Decision::NotEntity)
                .ok_or_else(|| invalid(format!("{name}: the range is not on character boundaries")))?;
            Edit::Mention(rule)
        }
        other => return Err(invalid(format!("unknown command {other}"))),
    };
    Ok(vec![edit])
}

/// `newsls.export`: exports the workspace (with the rules) to `out`.
async fn export(state: &Arc<State>, arg: Json) -> Result<Option<Json>> {
    use crate::export::cli::ExportFormat;
    use clap::ValueEnum;
    let format_name = arg.get("format").and_then(|f| f.as_str()).unwrap_or("jsonl");
    let format = ExportFormat::from_str(format_name, true)
        .map_err(|_| invalid(format!("{EXPORT}: unknown format {format_name:?}")))?;
    let out = arg
        .get("out")
        .and_then(|o| o.as_str())
        .map(PathBuf::from)
        .ok_or_else(|| {
            invalid(format!(
                "{EXPORT}: missing \"out\" (a file, or a folder for brat)"
            ))
        })?;
    let root = state
        .annotations
        .store()
        .map(|s| s.root().to_path_buf())
        .ok_or_else(|| invalid(format!("{EXPORT}: no workspace folder")))?;
    let started = Instant::now();
    let out2 = out.clone();
    let res =
        tokio::task::spawn_blocking(move || crate::export::cli::export(format, &root, Some(&out2), false))
            .await
            .map_err(|_| Error::internal_error())?;
    match res {
        Ok(_) => Ok(Some(json!({
            "out": out.display().to_string(),
            "ms": started.elapsed().as_secs_f64() * 1e3,
        }))),
        Err(e) => Err(Error {
            code: ErrorCode::InternalError,
            message: format!("{e:#}").into(),
            data: None,
        }),
    }
}

/// The file watcher for the annotation file (registered with the article watcher).
pub fn watcher() -> FileSystemWatcher {
    FileSystemWatcher {
        glob_pattern: GlobPattern::String(format!("**/{}", crate::annotations::FILE)),
        kind: None,
    }
}

/// Whether `uri` names the annotation file.
pub fn is_annotation_uri(state: &State, uri: &Uri) -> bool {
    uri_to_path(uri).is_some_and(|p| state.annotations.is_annotation_file(&p))
}
