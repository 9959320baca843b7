//! The one owner of the server's mutable state: negotiated encoding and client capabilities,
//! settings, open documents, the last semantic tokens sent per document, and the corpus index.
//!
//! Invariants:
//! - Locks are `std::sync` locks held only for short, synchronous sections: never across an
//!   `.await`, and never while recognising text (documents hand out snapshots instead).
//! - Lock order: `inner` before `corpus` when both are needed (in practice they never nest).
//! - Handlers read through [`Snapshot`]s: an immutable analysis of one document version plus the
//!   settings and encoding in force when it was taken.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard};

use tower_lsp_server::UriExt;
use tower_lsp_server::lsp_types::{SemanticToken, Uri};

use crate::corpus::{CorpusIndex, ScanConfig, scan};
use crate::server::config::Config;
use crate::server::convert::Encoding;
use crate::server::document::{Analysis, Document, analyse_shared_with};

/// What the client said it supports, reduced to what the server acts on.
#[derive(Clone, Copy, Debug, Default)]
pub struct ClientFlags {
    pub work_done_progress: bool,
    pub watched_files_dynamic: bool,
    pub configuration_pull: bool,
    pub semantic_tokens_refresh: bool,
    pub code_lens_refresh: bool,
    pub inlay_hint_refresh: bool,
    pub markdown_hover: bool,
    pub hierarchical_symbols: bool,
}

#[derive(Default)]
pub struct Inner {
    pub encoding: Encoding,
    pub config: Arc<Config>,
    pub flags: ClientFlags,
    /// Workspace folders; empty when the client opened no folder (the open files are the corpus).
    pub roots: Vec<PathBuf>,
    pub docs: HashMap<Uri, Document>,
    /// File paths of the open documents (clients spell URIs in different ways; paths compare).
    pub open_paths: HashMap<PathBuf, Uri>,
    /// Last semantic tokens sent per document, for `full/delta`: (result id, data).
    pub tokens: HashMap<Uri, (String, Vec<SemanticToken>)>,
    pub next_result_id: u64,
    /// The semantic token legend chosen at `initialize` (fixed for the session).
    pub standard_types_legend: bool,
}

#[derive(Default)]
pub struct State {
    inner: Mutex<Inner>,
    corpus: RwLock<CorpusIndex>,
    /// Bumped after every change to the corpus (cache key for derived data).
    pub corpus_generation: AtomicU64,
    pub indexing: AtomicBool,
    /// Set when indexing is asked for while a run is in progress: the run repeats once.
    pub reindex_requested: AtomicBool,
    pub shutdown_requested: AtomicBool,
    /// The annotation rules of each workspace folder (`.newsls/annotations.toml`); its folders
    /// follow `Inner::roots` (set at `initialize` and on `didChangeWorkspaceFolders`).
    pub annotations: crate::server::annotations::Annotations,
    /// Related-article scores of the last article asked about: (corpus generation, article, scores).
    pub related_cache: Mutex<Option<RelatedScores>>,
    /// The fact checks of each open document as last computed: (document version, corpus
    /// generation, results), so that hovers and code actions do not scan the corpus again.
    pub facts_cache: Mutex<HashMap<Uri, FactsEntry>>,
}

pub type FactsEntry = (i32, u64, Arc<crate::server::facts::DocFacts>);

pub type RelatedScores = (u64, crate::corpus::ArticleId, Arc<crate::corpus::RelatedScores>);

/// Everything a read-only handler needs about one document.
pub struct Snapshot {
    pub uri: Uri,
    pub path: Option<PathBuf>,
    pub analysis: Arc<Analysis>,
    pub encoding: Encoding,
    pub config: Arc<Config>,
}

impl State {
    /// The inner state; a poisoned lock is recovered (handlers never leave it half-updated:
    /// every mutation is a single assignment or map operation).
    pub fn inner(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn corpus(&self) -> RwLockReadGuard<'_, CorpusIndex> {
        self.corpus.read().unwrap_or_else(|p| p.into_inner())
    }

    pub fn corpus_mut(&self) -> RwLockWriteGuard<'_, CorpusIndex> {
        self.corpus_generation.fetch_add(1, Ordering::Relaxed);
        self.corpus.write().unwrap_or_else(|p| p.into_inner())
    }

    pub fn config(&self) -> Arc<Config> {
        self.inner().config.clone()
    }

    pub fn encoding(&self) -> Encoding {
        self.inner().encoding
    }

    pub fn scan_config(&self) -> ScanConfig {
        scan_config(&self.config())
    }

    /// A snapshot of `uri`: the open document, else the file on disk (read and analysed now),
    /// else an error message naming the document. Runs the recogniser: call off the async workers.
    pub fn snapshot(&self, uri: &Uri) -> Result<Snapshot, String> {
        let (open, encoding, config) = {
            let inner = self.inner();
            let open = inner.docs.get(uri).map(|doc| {
                (
                    doc.version,
                    doc.text().clone(),
                    doc.rope().clone(),
                    doc.annotator().clone(),
                )
            });
            (open, inner.encoding, inner.config.clone())
        };
        let path = uri_to_path(uri);
        let analysis = match open {
            Some((version, text, rope, annotator)) => {
                let applied = self.annotations.applied(path.as_deref());
                analyse_shared_with(&annotator, version, &text, &rope, &applied)
            }
            None => {
                let Some(p) = &path else {
                    return Err(format!("{}: not open and not a file", uri.as_str()));
                };
                let file = scan::read_article(p, &scan_config(&config))
                    .map_err(|e| format!("{}: not open, and {}", uri.as_str(), e.reason))?;
                Arc::new(Analysis::of_text_with(
                    &file.text,
                    &self.annotations.applied(Some(p)),
                ))
            }
        };
        Ok(Snapshot {
            uri: uri.clone(),
            path,
            analysis,
            encoding,
            config,
        })
    }

    /// The text of `path`: the open document's if it is open, else the file's.
    pub fn text_of(&self, path: &Path) -> Option<Arc<str>> {
        {
            let inner = self.inner();
            if let Some(doc) = inner.open_paths.get(path).and_then(|uri| inner.docs.get(uri)) {
                return Some(doc.text().clone());
            }
        }
        let config = ScanConfig {
            max_file_size: u64::MAX,
            ..ScanConfig::default()
        };
        scan::read_article(path, &config).ok().map(|f| Arc::from(f.text))
    }

    pub fn next_result_id(&self) -> String {
        let mut inner = self.inner();
        inner.next_result_id += 1;
        inner.next_result_id.to_string()
    }
}

pub fn scan_config(config: &Config) -> ScanConfig {
    ScanConfig {
        extensions: config.extensions.clone(),
        exclude: config.exclude.clone(),
        max_file_size: config.max_file_size,
    }
}

pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    uri.to_file_path().map(|p| p.into_owned())
}
