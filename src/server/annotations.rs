//! Annotations in the server: the rules of every workspace folder (each folder's
//! `.newsls/annotations.toml`, see [`crate::annotations`]), the code actions that offer
//! corrections, and the `workspace/executeCommand` commands that write them and apply them
//! everywhere.
//!
//! Commands (one JSON object argument; `uri` + `range` name a span of an open or on-disk
//! document, in the negotiated position encoding; a correction goes to the annotation file of
//! the workspace folder holding the document, and is an error for a document outside every
//! folder):
//! - `newsls.annotate.setKind` `{uri, range, kind, subkind?}`: the span's text is `kind`
//!   everywhere ("Mark as organization/place/person/figure", "Change kind to ...");
//! - `newsls.annotate.notEntity` `{uri, range}`: the span's text is never an entity;
//! - `newsls.annotate.notEntityHere` `{uri, range}`: this mention only is not an entity;
//! - `newsls.annotate.addAlias` `{uri, range, of}`: the span's text is an alias of `of`;
//! - `newsls.export` `{format: jsonl|brat|conll|webanno, out, root?}`: exports the folder `root`
//!   (a workspace folder or a folder inside one; default: the first workspace folder).
//!
//! Invariants: an article follows the rules of the workspace folder holding it (the deepest one
//! when folders nest; none outside every folder), and mention decisions name it relative to that
//! folder; each folder's rules in force are the last ones of its file that parsed (a malformed
//! file is reported as a diagnostic on that file and a message, and that folder's previous rules
//! stay; the other folders are unaffected); after a change, open documents re-resolve on their
//! next request (analyses carry the rules generation) and only the articles of the changed
//! folder that the change can affect are re-indexed, off the async workers, with the corpus
//! write lock held only to insert the results.

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

/// Longest selection (in characters) offered corrections: longer ones are not names.
const MAX_SURFACE_CHARS: usize = 120;

/// How many canonical names "Add as alias of ..." offers.
const ALIAS_CHOICES: usize = 5;

pub fn is_command(command: &str) -> bool {
    COMMANDS.contains(&command)
}

/// The rules an analysis is made with: the rules, their generation, and the article's path
/// relative to its workspace folder (for mention decisions).
#[derive(Clone, Debug, Default)]
pub struct Applied {
    pub rules: Arc<Rules>,
    pub generation: u64,
    pub path: Option<String>,
}

/// One workspace folder and the rules of its annotation file.
#[derive(Clone, Debug)]
struct Folder {
    store: Store,
    /// The root, canonicalised (to recognise paths spelled through a symlink); `None` when it
    /// does not resolve.
    canonical: Option<PathBuf>,
    rules: Arc<Rules>,
}

/// The workspace folders with their rules (cheap to clone: the rules are shared).
#[derive(Clone, Debug, Default)]
pub struct Folders {
    list: Vec<Folder>,
}

/// Index of the deepest of `roots` (`None` entries are skipped) that `path` lies in; roots are
/// compared component by component (`/news/pol` does not hold `/news/politics/a.txt`).
fn deepest<'a>(roots: impl Iterator<Item = Option<&'a Path>>, path: &Path) -> Option<usize> {
    roots
        .enumerate()
        .filter_map(|(i, r)| {
            r.filter(|r| path.starts_with(r))
                .map(|r| (i, r.components().count()))
        })
        .max_by_key(|&(_, depth)| depth)
        .map(|(i, _)| i)
}

impl Folders {
    /// The folder holding `path`: the deepest root that is a prefix of it as spelled, else (a
    /// path spelled through a symlink) as resolved on disk.
    fn holder(&self, path: &Path) -> Option<&Folder> {
        let i = deepest(self.list.iter().map(|f| Some(f.store.root())), path).or_else(|| {
            let resolved = std::fs::canonicalize(path).ok()?;
            deepest(self.list.iter().map(|f| f.canonical.as_deref()), &resolved)
        })?;
        self.list.get(i)
    }

    /// The root of the workspace folder holding `path`.
    pub fn root_of(&self, path: &Path) -> Option<&Path> {
        self.holder(path).map(|f| f.store.root())
    }

    /// The store and rules of the workspace folder holding `path`.
    pub fn rules_for(&self, path: &Path) -> Option<(Store, Arc<Rules>)> {
        self.holder(path).map(|f| (f.store.clone(), f.rules.clone()))
    }

    fn get(&self, root: &Path) -> Option<&Folder> {
        self.list.iter().find(|f| f.store.root() == root)
    }
}

/// What [`Annotations::set_roots`] changed.
#[derive(Debug, Default)]
pub struct RootsChange {
    /// Folders added, with the error loading their file (their rules are then empty).
    pub added: Vec<(PathBuf, Option<StoreError>)>,
    pub removed: Vec<PathBuf>,
}

impl RootsChange {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty()
    }
}

/// The annotation rules of every workspace folder: each folder's `.newsls/annotations.toml`
/// applies to the articles it holds (the deepest folder, when folders nest).
#[derive(Default)]
pub struct Annotations {
    folders: RwLock<Folders>,
    generation: AtomicU64,
    /// Open documents with published uncertain-mention diagnostics.
    diagnosed: Mutex<std::collections::HashSet<Uri>>,
}

impl Annotations {
    /// Makes `roots` the workspace folders: loads the annotation file of each new one, drops
    /// those no longer listed (the others keep their rules in force).
    pub fn set_roots(&self, roots: &[PathBuf]) -> RootsChange {
        let current = self.folders();
        let mut change = RootsChange::default();
        let mut added = Vec::new();
        for root in roots {
            if current.get(root).is_some() || added.iter().any(|f: &Folder| f.store.root() == root) {
                continue;
            }
            let store = Store::new(root);
            let (rules, error) = match store.load() {
                Ok(rules) => (rules, None),
                Err(e) => (Rules::default(), Some(e)),
            };
            added.push(Folder {
                canonical: std::fs::canonicalize(root).ok(),
                store,
                rules: Arc::new(rules),
            });
            change.added.push((root.clone(), error));
        }
        {
            let mut folders = self.folders.write().unwrap_or_else(|p| p.into_inner());
            folders.list.retain(|f| {
                let keep = roots.iter().any(|r| r == f.store.root());
                if !keep {
                    change.removed.push(f.store.root().to_path_buf());
                }
                keep
            });
            for folder in added {
                // A concurrent call may have added it meanwhile.
                if folders.get(folder.store.root()).is_none() {
                    folders.list.push(folder);
                }
            }
        }
        if !change.is_empty() {
            self.generation.fetch_add(1, Ordering::AcqRel);
        }
        change
    }

    /// The workspace folders and their rules, as they are now.
    pub fn folders(&self) -> Folders {
        self.folders.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// The roots of the workspace folders.
    pub fn roots(&self) -> Vec<PathBuf> {
        let folders = self.folders.read().unwrap_or_else(|p| p.into_inner());
        folders
            .list
            .iter()
            .map(|f| f.store.root().to_path_buf())
            .collect()
    }

    /// The store and rules of the workspace folder holding `path`, if any.
    pub fn folder_of(&self, path: &Path) -> Option<(Store, Arc<Rules>)> {
        self.folders
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .rules_for(path)
    }

    /// The store of the workspace folder at `root`.
    pub fn store_of(&self, root: &Path) -> Option<Store> {
        let folders = self.folders.read().unwrap_or_else(|p| p.into_inner());
        folders.get(root).map(|f| f.store.clone())
    }

    /// The rules of the workspace folder at `root`.
    pub fn rules_of(&self, root: &Path) -> Option<Arc<Rules>> {
        let folders = self.folders.read().unwrap_or_else(|p| p.into_inner());
        folders.get(root).map(|f| f.rules.clone())
    }

    /// The root of the workspace folder whose annotation file is `path`.
    pub fn root_of_file(&self, path: &Path) -> Option<PathBuf> {
        let folders = self.folders.read().unwrap_or_else(|p| p.into_inner());
        let by_name = folders.list.iter().find(|f| f.store.path() == path).or_else(|| {
            // Spelled through a symlink: compare the folders holding the files.
            let dir = std::fs::canonicalize(path.parent()?).ok()?;
            let name = path.file_name()?;
            folders.list.iter().find(|f| {
                f.canonical
                    .as_ref()
                    .is_some_and(|c| c.join(crate::annotations::FILE) == dir.join(name))
            })
        });
        by_name.map(|f| f.store.root().to_path_buf())
    }

    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// The fingerprint of all the folders' rules (for the index cache): the fingerprint of the
    /// rules with one folder, else a hash of every (root, rules fingerprint) pair in root
    /// order, so a change in any folder's file changes it.
    pub fn fingerprint(&self) -> u64 {
        let folders = self.folders.read().unwrap_or_else(|p| p.into_inner());
        combined_fingerprint(
            folders
                .list
                .iter()
                .map(|f| (f.store.root().to_path_buf(), f.rules.fingerprint()))
                .collect(),
        )
    }

    /// The rules to analyse `path` with: those of the workspace folder holding it, none for a
    /// document outside every folder (or not a file).
    pub fn applied(&self, path: Option<&Path>) -> Applied {
        let generation = self.generation();
        let folder = path.and_then(|p| self.folder_of(p).map(|f| (p, f)));
        match folder {
            Some((p, (store, rules))) => Applied {
                rules,
                generation,
                path: store.relative(p),
            },
            None => Applied {
                generation,
                ..Applied::default()
            },
        }
    }

    /// Replaces the rules of the folder at `root` (if it is still a workspace folder), returning
    /// the previous ones.
    fn replace(&self, root: &Path, rules: Rules) -> Arc<Rules> {
        let mut folders = self.folders.write().unwrap_or_else(|p| p.into_inner());
        let new = Arc::new(rules);
        let old = match folders.list.iter_mut().find(|f| f.store.root() == root) {
            Some(f) => std::mem::replace(&mut f.rules, new),
            None => new,
        };
        self.generation.fetch_add(1, Ordering::AcqRel);
        old
    }

    /// Re-reads the file of the folder at `root`. On success returns the previous rules; on a
    /// parse error keeps the current rules and returns the error.
    pub fn reload(&self, root: &Path) -> std::result::Result<Arc<Rules>, StoreError> {
        let Some(store) = self.store_of(root) else {
            return Err(StoreError::Io(anyhow::anyhow!(
                "{} is not a workspace folder",
                root.display()
            )));
        };
        let rules = store.load()?;
        Ok(self.replace(root, rules))
    }

    /// Writes `edits` into the file of the folder at `root` (merged into the file on disk) and
    /// makes the result the rules in force there.
    fn write(&self, root: &Path, edits: &[Edit]) -> std::result::Result<Arc<Rules>, StoreError> {
        let Some(store) = self.store_of(root) else {
            return Err(StoreError::Io(anyhow::anyhow!(
                "{} is no longer a workspace folder",
                root.display()
            )));
        };
        let rules = store.apply(edits)?;
        Ok(self.replace(root, rules))
    }
}

/// See [`Annotations::fingerprint`].
fn combined_fingerprint(mut parts: Vec<(PathBuf, u64)>) -> u64 {
    match parts.as_slice() {
        [] => Rules::default().fingerprint(),
        [(_, one)] => *one,
        _ => {
            parts.sort();
            let mut h: u64 = 0xcbf2_9ce4_8422_2325;
            for (root, fp) in &parts {
                let bytes = root.to_string_lossy();
                for b in bytes.bytes().chain([0xff]).chain(fp.to_le_bytes()) {
                    h ^= u64::from(b);
                    h = h.wrapping_mul(0x0100_0000_01b3);
                }
            }
            h
        }
    }
}

/// Analyses an article's text with the rules of its workspace folder (the rules-aware
/// `corpus::analyze`).
pub fn analyze(
    state: &State,
    path: PathBuf,
    text: &str,
    size: u64,
    mtime: Option<std::time::SystemTime>,
) -> IndexedArticle {
    match state.annotations.folder_of(&path) {
        Some((store, rules)) => {
            crate::annotations::corpus::analyze_with_rules(&store, &rules, path, text, size, mtime)
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

/// Publishes the state of the annotation file of the folder at `root`: a diagnostic and a
/// message when it is malformed, no diagnostic when it is fine.
pub async fn report_file(client: &Client, root: &Path, error: Option<&StoreError>) {
    let Some(uri) = Uri::from_file_path(Store::new(root).path()) else {
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

/// After the workspace folders changed: reports the files of the added folders, clears the
/// diagnostics of the removed ones' and has open documents re-resolve (the corpus is re-indexed
/// by the caller).
pub async fn roots_changed(client: &Client, state: &Arc<State>, change: &RootsChange) {
    for (root, error) in &change.added {
        report_file(client, root, error.as_ref()).await;
    }
    for root in &change.removed {
        report_file(client, root, None).await;
    }
    if !change.is_empty() {
        refresh_client(client, state, false);
        refresh_diagnostics(client, state);
    }
}

/// After the rules of the folder at `root` changed from `old` to the current ones: re-indexes
/// the affected articles of that folder (off the async workers) and asks the client to refresh
/// what depends on them.
pub async fn rules_changed(client: &Client, state: &Arc<State>, root: &Path, old: Arc<Rules>) -> Json {
    let started = Instant::now();
    // Open documents re-resolve with the new rules on their next request (their analyses carry
    // the rules generation): ask for that first, so editors show the change without waiting for
    // the corpus.
    refresh_client(client, state, false);
    refresh_diagnostics(client, state);
    let (st, root) = (state.clone(), root.to_path_buf());
    let applied = tokio::task::spawn_blocking(move || {
        let store = st.annotations.store_of(&root)?;
        let new = st.annotations.rules_of(&root)?;
        // Only the articles of this folder (not those of a folder nested in it) follow its rules.
        let folders = st.annotations.folders();
        let articles: Vec<crate::annotations::corpus::Indexed> = st
            .corpus()
            .articles()
            .filter(|(_, a)| folders.root_of(&a.path) == Some(root.as_path()))
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
    // Hover counts, lenses and related articles depend on the corpus: refresh them now.
    refresh_client(client, state, true);
    let ms = started.elapsed().as_secs_f64() * 1e3;
    tracing::info!(
        "annotations applied: {} of {} articles re-indexed in {ms:.1} ms",
        applied.reindexed,
        applied.scanned
    );
    json!({"scanned": applied.scanned, "reindexed": applied.reindexed, "ms": ms})
}

/// Asks the client to re-query semantic tokens and inlay hints (`corpus: false`) or code lenses
/// (`corpus: true`). The requests go from a task of their own: a handler never awaits the
/// client (it may be waiting for this handler's answer).
fn refresh_client(client: &Client, state: &State, corpus: bool) {
    let flags = state.inner().flags;
    let c = client.clone();
    tokio::spawn(async move {
        if !corpus && flags.semantic_tokens_refresh {
            let _ = c.semantic_tokens_refresh().await;
        }
        if !corpus && flags.inlay_hint_refresh {
            let _ = c.inlay_hint_refresh().await;
        }
        if corpus && flags.code_lens_refresh {
            let _ = c.code_lens_refresh().await;
        }
    });
}

/// Re-reads the annotation file of the folder at `root` after it changed on disk (hand edit,
/// `git pull`, another editor); the other folders are left alone.
pub async fn file_changed(client: &Client, state: &Arc<State>, root: &Path) {
    let (st, r) = (state.clone(), root.to_path_buf());
    let res = tokio::task::spawn_blocking(move || st.annotations.reload(&r)).await;
    match res {
        Ok(Ok(old)) => {
            report_file(client, root, None).await;
            let new = state.annotations.rules_of(root).unwrap_or_default();
            let change = crate::recognize::rules::RulesChange::between(&old, &new);
            if !change.is_empty() {
                rules_changed(client, state, root, old).await;
            }
        }
        Ok(Err(e)) => report_file(client, root, Some(&e)).await,
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
        .filter(|s| !s.is_empty() && !s.contains("\n\n") && s.chars().count() <= MAX_SURFACE_CHARS)
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
    if exact.is_some_and(|e| e.kind == Kind::Figure) {
        return res; // A figure is nobody's alias.
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
    let (root, edits) = tokio::task::spawn_blocking(move || edits_for(&st, &name, &arg))
        .await
        .map_err(|_| Error::internal_error())??;
    let (st, r) = (state.clone(), root.clone());
    let written = tokio::task::spawn_blocking(move || st.annotations.write(&r, &edits))
        .await
        .map_err(|_| Error::internal_error())?;
    match written {
        Ok(old) => {
            report_file(client, &root, None).await;
            let mut res = rules_changed(client, state, &root, old).await;
            if let Some(obj) = res.as_object_mut() {
                let file = Store::new(&root).path();
                obj.insert("file".into(), json!(file.display().to_string()));
            }
            Ok(Some(res))
        }
        Err(e) => {
            report_file(client, &root, Some(&e)).await;
            Err(Error {
                code: ErrorCode::InternalError,
                message: e.to_string().into(),
                data: None,
            })
        }
    }
}

/// The edit a command asks for, from its argument (reads the document named by `uri`), and the
/// root of the workspace folder holding the document (whose annotation file receives it).
fn edits_for(state: &State, name: &str, arg: &Json) -> Result<(PathBuf, Vec<Edit>)> {
    let uri: Uri = arg
        .get("uri")
        .and_then(|u| serde_json::from_value(u.clone()).ok())
        .ok_or_else(|| invalid(format!("{name}: expected {{\"uri\", \"range\", ...}}")))?;
    let range: Range = arg
        .get("range")
        .and_then(|r| serde_json::from_value(r.clone()).ok())
        .ok_or_else(|| invalid(format!("{name}: missing \"range\"")))?;
    let outside = || {
        invalid(format!(
            "{name}: {} is not in a workspace folder: annotations are kept in the folder holding \
             the document",
            uri.as_str()
        ))
    };
    let (store, _) = uri_to_path(&uri)
        .and_then(|p| state.annotations.folder_of(&p))
        .ok_or_else(outside)?;
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
            let rel = store
                .relative(path)
                .ok_or_else(|| invalid(format!("{name}: {} is outside the workspace", path.display())))?;
            let rule = MentionRule::capture(&rel, &a.text, span, Decision::NotEntity)
                .ok_or_else(|| invalid(format!("{name}: the range is not on character boundaries")))?;
            Edit::Mention(rule)
        }
        other => return Err(invalid(format!("unknown command {other}"))),
    };
    Ok((store.root().to_path_buf(), vec![edit]))
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
    // The folder to export: `root` (a workspace folder, or a folder inside one), else the first
    // workspace folder. Each article is recognised with the rules of the folder holding it.
    let folders = state.annotations.folders();
    let root = match arg.get("root").and_then(|r| r.as_str()) {
        Some(r) => {
            let r = PathBuf::from(r);
            if folders.root_of(&r).is_none() {
                return Err(invalid(format!(
                    "{EXPORT}: {} is not in a workspace folder",
                    r.display()
                )));
            }
            r
        }
        None => state
            .annotations
            .roots()
            .into_iter()
            .next()
            .ok_or_else(|| invalid(format!("{EXPORT}: no workspace folder")))?,
    };
    let started = Instant::now();
    let out2 = out.clone();
    let res = tokio::task::spawn_blocking(move || {
        crate::export::cli::export_with(format, &root, Some(&out2), &|p| folders.rules_for(p))
    })
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

/// Mentions whose paragraph-level recognition had a confidence below this are "uncertain".
pub const UNCERTAIN_BELOW: u8 = 45;

/// Information diagnostics on the uncertain mentions of a document (names recognised from
/// weak evidence, such as capitalisation alone), unless a user rule decided them. The quick fixes
/// are the code actions at their range.
pub fn uncertain_diagnostics(state: &State, snap: &Snapshot) -> Vec<Diagnostic> {
    let a = &snap.analysis;
    let rec = crate::recognize::recognizer();
    let applied = state.annotations.applied(snap.path.as_deref());
    let anchored: Vec<std::ops::Range<usize>> = applied
        .rules
        .anchored(&a.text, applied.path.as_deref())
        .into_iter()
        .map(|(r, _)| r)
        .collect();
    let mut weak: Vec<std::ops::Range<usize>> = Vec::new();
    for para in crate::recognize::paragraphs(&a.text) {
        let mentions = crate::recognize::guarded(|| rec.annotate_paragraph(&a.text[para.clone()]));
        for m in mentions.unwrap_or_default() {
            if m.confidence < UNCERTAIN_BELOW && m.kind != Kind::Figure {
                weak.push(para.start + m.span.start..para.start + m.span.end);
            }
        }
    }
    a.entities
        .iter()
        .filter(|e| weak.contains(&e.span))
        .filter(|e| applied.rules.rule_for(e.text(&a.text)).is_none() && !anchored.contains(&e.span))
        .map(|e| Diagnostic {
            range: convert::range(&a.rope, e.span.clone(), snap.encoding),
            severity: Some(DiagnosticSeverity::INFORMATION),
            code: Some(NumberOrString::String("uncertain".into())),
            source: Some("newsls".into()),
            message: format!(
                "\"{}\" recognised as {} from weak evidence; correct it with a quick fix",
                e.text(&a.text),
                e.kind
            ),
            ..Diagnostic::default()
        })
        .collect()
}

/// Publishes (or clears, when the settings are off) the uncertain-mention and fact-check
/// diagnostics of an open document, [`crate::server::indexer::DEBOUNCE`] after its last change
/// (or at once without a version).
pub fn schedule_diagnostics(client: &Client, state: &Arc<State>, uri: &Uri, version: Option<i32>) {
    let (client, st, uri) = (client.clone(), state.clone(), uri.clone());
    tokio::spawn(async move {
        if version.is_some() {
            tokio::time::sleep(crate::server::indexer::DEBOUNCE).await;
            if st.inner().docs.get(&uri).map(|d| d.version) != version {
                return;
            }
        }
        let config = st.config();
        let enabled = config.uncertain_diagnostics;
        let facts = config.fact_checks;
        let had = st
            .annotations
            .diagnosed
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .contains(&uri);
        let any = enabled || facts.is_some();
        if !any && !had {
            return;
        }
        let s2 = st.clone();
        let u2 = uri.clone();
        let diags = tokio::task::spawn_blocking(move || {
            let Ok(snap) = s2.snapshot(&u2) else {
                return Vec::new();
            };
            let mut diags = if enabled {
                uncertain_diagnostics(&s2, &snap)
            } else {
                Vec::new()
            };
            if let Some(sev) = facts {
                let sev = match sev {
                    1 => DiagnosticSeverity::ERROR,
                    2 => DiagnosticSeverity::WARNING,
                    4 => DiagnosticSeverity::HINT,
                    _ => DiagnosticSeverity::INFORMATION,
                };
                diags.extend(crate::server::facts::diagnostics(&s2, &snap, sev));
            }
            diags
        })
        .await
        .unwrap_or_default();
        {
            let mut set = st.annotations.diagnosed.lock().unwrap_or_else(|p| p.into_inner());
            if any {
                set.insert(uri.clone());
            } else {
                set.remove(&uri);
            }
        }
        client.publish_diagnostics(uri, diags, None).await;
    });
}

/// Re-publishes the diagnostics of every open document (after the rules or settings changed).
pub fn refresh_diagnostics(client: &Client, state: &Arc<State>) {
    let uris: Vec<Uri> = state.inner().docs.keys().cloned().collect();
    for uri in uris {
        schedule_diagnostics(client, state, &uri, None);
    }
}

/// The file watcher for the annotation file (registered with the article watcher).
pub fn watcher() -> FileSystemWatcher {
    FileSystemWatcher {
        glob_pattern: GlobPattern::String(format!("**/{}", crate::annotations::FILE)),
        kind: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn write_rules(root: &Path, body: &str) {
        let file = Store::new(root).path();
        fs::create_dir_all(file.parent().expect("dir")).expect("dir");
        fs::write(file, format!("schema = 1\n\n{body}")).expect("write");
    }

    fn not_entity(text: &str) -> String {
        format!("[[not_entity]]\ntext = \"{text}\"\n")
    }

    #[test]
    fn the_deepest_root_holding_a_path_wins() {
        let roots = [
            Path::new("/news"),
            Path::new("/news/politics/eu"),
            Path::new("/news/politics"),
        ];
        let of = |p: &str| deepest(roots.iter().map(|r| Some(*r)), Path::new(p));
        assert_eq!(of("/news/politics/eu/brussels.txt"), Some(1));
        assert_eq!(of("/news/politics/vote.txt"), Some(2));
        assert_eq!(of("/news/business/bank.txt"), Some(0));
        // Component-wise: `/news/politics` does not hold `/news/politicsx`.
        assert_eq!(of("/news/politicsx/a.txt"), Some(0));
        assert_eq!(of("/sport/match.txt"), None);
        assert_eq!(of("/new/a.txt"), None);
        // Unresolvable roots are skipped.
        assert_eq!(
            deepest(
                [None, Some(Path::new("/news"))].into_iter(),
                Path::new("/news/a.txt")
            ),
            Some(1)
        );
        assert_eq!(deepest(std::iter::empty(), Path::new("/news/a.txt")), None);
    }

    #[test]
    fn every_folder_has_its_own_rules() {
        let dir = tempfile::tempdir().expect("tmp");
        let (a, b) = (dir.path().join("politics"), dir.path().join("business"));
        let nested = a.join("eu");
        for d in [&a, &b, &nested] {
            fs::create_dir_all(d).expect("dir");
        }
        write_rules(&a, &not_entity("Busan"));
        write_rules(&b, &not_entity("Seoul"));
        write_rules(&nested, &not_entity("Brussels"));
        let ann = Annotations::default();
        let change = ann.set_roots(&[a.clone(), b.clone(), nested.clone()]);
        assert_eq!(change.added.len(), 3);
        assert!(change.added.iter().all(|(_, e)| e.is_none()));

        let decided = |applied: &Applied, s: &str| applied.rules.rule_for(s).is_some();
        let in_a = ann.applied(Some(&a.join("sub/vote.txt")));
        assert!(decided(&in_a, "Busan") && !decided(&in_a, "Seoul") && !decided(&in_a, "Brussels"));
        assert_eq!(in_a.path.as_deref(), Some("sub/vote.txt"));
        let in_b = ann.applied(Some(&b.join("bank.txt")));
        assert!(decided(&in_b, "Seoul") && !decided(&in_b, "Busan"));
        assert_eq!(in_b.path.as_deref(), Some("bank.txt"));
        // Nested folders: the deepest one, and paths relative to it.
        let in_nested = ann.applied(Some(&nested.join("summit.txt")));
        assert!(decided(&in_nested, "Brussels") && !decided(&in_nested, "Busan"));
        assert_eq!(in_nested.path.as_deref(), Some("summit.txt"));
        // Outside every folder, and not a file: no rules.
        let outside = ann.applied(Some(&dir.path().join("elsewhere/a.txt")));
        assert!(outside.rules.is_empty() && outside.path.is_none());
        assert!(ann.applied(None).rules.is_empty());
        assert!(ann.folder_of(&dir.path().join("a.txt")).is_none());

        // Annotation files name their folder.
        assert_eq!(ann.root_of_file(&Store::new(&b).path()), Some(b.clone()));
        assert_eq!(
            ann.root_of_file(&Store::new(&nested).path()),
            Some(nested.clone())
        );
        assert_eq!(ann.root_of_file(&Store::new(dir.path()).path()), None);
        assert_eq!(ann.root_of_file(&a.join("vote.txt")), None);

        // A change to one folder's file reloads that folder only.
        let fp = ann.fingerprint();
        let generation = ann.generation();
        write_rules(&b, &not_entity("Tokyo"));
        write_rules(&a, &not_entity("Osaka")); // not reloaded: no event for it
        let old = ann.reload(&b).expect("parses");
        assert!(old.rule_for("Seoul").is_some());
        let in_b = ann.applied(Some(&b.join("bank.txt")));
        assert!(decided(&in_b, "Tokyo") && !decided(&in_b, "Seoul"));
        assert!(in_b.generation > generation);
        assert!(decided(&ann.applied(Some(&a.join("x.txt"))), "Busan"));
        assert_ne!(ann.fingerprint(), fp, "any folder's rules change the fingerprint");

        // A malformed file: that folder keeps its rules, the others are untouched.
        write_rules(&b, "[[entity]]\ntext = \"X\"\nkind = \"planet\"\n");
        assert!(matches!(ann.reload(&b), Err(StoreError::Parse { .. })));
        assert!(decided(&ann.applied(Some(&b.join("bank.txt"))), "Tokyo"));
        assert!(decided(&ann.applied(Some(&a.join("x.txt"))), "Busan"));

        // Removing a folder drops its rules: its articles fall to the enclosing folder.
        let change = ann.set_roots(&[a.clone(), b.clone()]);
        assert_eq!(change.removed, vec![nested.clone()]);
        assert!(change.added.is_empty());
        let now = ann.applied(Some(&nested.join("summit.txt")));
        assert!(decided(&now, "Busan") && !decided(&now, "Brussels"));
        assert_eq!(now.path.as_deref(), Some("eu/summit.txt"));
        // Kept folders keep the rules in force (not re-read): still Busan, not Osaka.
        assert!(!decided(&now, "Osaka"));
    }

    #[test]
    fn a_malformed_file_at_start_spares_the_other_folders() {
        let dir = tempfile::tempdir().expect("tmp");
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        write_rules(&a, "[[entity]]\ntext = \"X\"\nkind = \"planet\"\n");
        write_rules(&b, &not_entity("Seoul"));
        let ann = Annotations::default();
        let change = ann.set_roots(&[a.clone(), b.clone()]);
        let errors: Vec<&PathBuf> = change
            .added
            .iter()
            .filter(|(_, e)| e.is_some())
            .map(|(r, _)| r)
            .collect();
        assert_eq!(errors, vec![&a]);
        assert!(ann.applied(Some(&a.join("x.txt"))).rules.is_empty());
        assert!(
            ann.applied(Some(&b.join("x.txt")))
                .rules
                .rule_for("Seoul")
                .is_some()
        );
    }

    #[test]
    fn the_fingerprint_combines_every_folder_in_any_order() {
        let dir = tempfile::tempdir().expect("tmp");
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        write_rules(&a, &not_entity("Busan"));
        write_rules(&b, &not_entity("Seoul"));
        let fp = |roots: &[PathBuf]| {
            let ann = Annotations::default();
            ann.set_roots(roots);
            ann.fingerprint()
        };
        let ab = fp(&[a.clone(), b.clone()]);
        assert_eq!(ab, fp(&[b.clone(), a.clone()]));
        // One folder: its rules' own fingerprint (caches of one-folder workspaces stay valid).
        assert_eq!(
            fp(std::slice::from_ref(&a)),
            Store::new(&a).load().expect("parses").fingerprint()
        );
        assert_ne!(ab, fp(std::slice::from_ref(&a)));
        // The same rules in the other folder are another workspace.
        write_rules(&a, &not_entity("Seoul"));
        write_rules(&b, &not_entity("Busan"));
        assert_ne!(ab, fp(&[a.clone(), b.clone()]));
    }

    #[cfg(unix)]
    #[test]
    fn a_path_spelled_through_a_symlink_finds_its_folder() {
        let dir = tempfile::tempdir().expect("tmp");
        let real = dir.path().join("real");
        fs::create_dir_all(&real).expect("dir");
        fs::write(real.join("a.txt"), "Busan\n").expect("write");
        write_rules(&real, &not_entity("Busan"));
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&real, &link).expect("symlink");
        let ann = Annotations::default();
        ann.set_roots(std::slice::from_ref(&link));
        let applied = ann.applied(Some(&real.join("a.txt")));
        assert!(applied.rules.rule_for("Busan").is_some());
        assert_eq!(applied.path.as_deref(), Some("a.txt"));
        assert_eq!(ann.root_of_file(&Store::new(&real).path()), Some(link));
    }
}
