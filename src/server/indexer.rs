//! Background indexing of the workspace and the updates that keep the index current.
//!
//! - [`index_workspace`] runs after `initialized` (and after settings that change what is
//!   indexed): discover files, take unchanged articles from the on-disk cache, read and annotate
//!   the rest in parallel chunks (rayon, off the async workers), inserting each chunk under a
//!   short write lock so requests keep answering from what is indexed so far. Reports
//!   `$/progress` (begin, report with counts, end) when the client supports work-done progress.
//! - [`schedule_upsert`] debounces the re-indexing of an edited open document.
//! - [`refresh_file`] re-indexes one file (save, close, watched-file events).
//!
//! Invariants: open documents override files on disk; nothing here runs on a keystroke except
//! scheduling a debounced update; an indexing run never overlaps another (a request made while
//! one runs makes it run once more).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use tower_lsp_server::lsp_types::notification::Progress as ProgressNotification;
use tower_lsp_server::lsp_types::request::WorkDoneProgressCreate;
use tower_lsp_server::lsp_types::{
    NumberOrString, ProgressParams, ProgressParamsValue, ProgressToken, Uri, WorkDoneProgress,
    WorkDoneProgressBegin, WorkDoneProgressCreateParams, WorkDoneProgressEnd, WorkDoneProgressReport,
};
use tower_lsp_server::{Client, lsp_types::MessageType};

use crate::corpus::{self, CorpusIndex, IndexedArticle, ScanConfig, scan};
use crate::recognize::gazetteer::FastMap;
use crate::server::annotations;
use crate::server::cache::{self, Stamp};
use crate::server::memory;
use crate::server::state::{State, uri_to_path};

/// Files read and annotated per chunk between two progress reports and lock releases.
const CHUNK: usize = 512;
/// Delay after the last edit of an open document before it is re-indexed.
pub const DEBOUNCE: Duration = Duration::from_millis(300);

/// Work-done progress for one indexing run (a no-op when the client does not support it).
struct Reporter {
    client: Client,
    token: Option<ProgressToken>,
    last: Instant,
}

impl Reporter {
    async fn begin(client: &Client, state: &State, title: &str) -> Reporter {
        let mut token = None;
        if state.inner().flags.work_done_progress {
            let t = NumberOrString::String(format!("newsls-index-{}", state.next_result_id()));
            let params = WorkDoneProgressCreateParams { token: t.clone() };
            match client.send_request::<WorkDoneProgressCreate>(params).await {
                Ok(()) => token = Some(t),
                Err(e) => tracing::info!("client refused a progress token: {e}"),
            }
        }
        let reporter = Reporter {
            client: client.clone(),
            token,
            last: Instant::now(),
        };
        reporter
            .send(WorkDoneProgress::Begin(WorkDoneProgressBegin {
                title: title.to_string(),
                cancellable: Some(false),
                message: Some("finding articles".into()),
                percentage: Some(0),
            }))
            .await;
        reporter
    }

    async fn send(&self, value: WorkDoneProgress) {
        if let Some(token) = &self.token {
            self.client
                .send_notification::<ProgressNotification>(ProgressParams {
                    token: token.clone(),
                    value: ProgressParamsValue::WorkDone(value),
                })
                .await;
        }
    }

    /// Reports `done/total`, at most every 100 ms unless `force`.
    async fn report(&mut self, done: usize, total: usize, force: bool) {
        if !force && self.last.elapsed() < Duration::from_millis(100) {
            return;
        }
        self.last = Instant::now();
        let percentage = (done * 100).checked_div(total).unwrap_or(100) as u32;
        self.send(WorkDoneProgress::Report(WorkDoneProgressReport {
            cancellable: Some(false),
            message: Some(format!("{done}/{total} articles")),
            percentage: Some(percentage.min(100)),
        }))
        .await;
    }

    async fn end(self, message: String) {
        self.send(WorkDoneProgress::End(WorkDoneProgressEnd {
            message: Some(message),
        }))
        .await;
    }
}

/// Indexes the workspace folders in the background (see the module comment).
pub async fn index_workspace(client: Client, state: Arc<State>) {
    if state.indexing.swap(true, Ordering::AcqRel) {
        state.reindex_requested.store(true, Ordering::Release);
        return;
    }
    loop {
        state.reindex_requested.store(false, Ordering::Release);
        let started = Instant::now();
        let msg = match index_once(&client, &state).await {
            Ok(msg) => msg,
            Err(e) => format!("indexing failed: {e}"),
        };
        tracing::info!("{msg} in {:.2?}", started.elapsed());
        client
            .log_message(
                MessageType::INFO,
                format!("newsls: {msg} in {:.2?}", started.elapsed()),
            )
            .await;
        if !state.reindex_requested.load(Ordering::Acquire) {
            break;
        }
    }
    state.indexing.store(false, Ordering::Release);
    refresh_views(&client, &state).await;
}

/// Asks the client to re-query views that depend on the corpus (when it supports it), and
/// re-publishes the diagnostics of the open documents (fact checks read the corpus).
pub async fn refresh_views(client: &Client, state: &Arc<State>) {
    crate::server::annotations::refresh_diagnostics(client, state);
    let flags = state.inner().flags;
    if flags.code_lens_refresh {
        let _ = client.code_lens_refresh().await;
    }
}

async fn index_once(client: &Client, state: &Arc<State>) -> Result<String, String> {
    let roots = state.inner().roots.clone();
    let scan_config = state.scan_config();
    let mut reporter = Reporter::begin(client, state, "newsls: indexing articles").await;
    let cache_file = cache::cache_file(&roots);
    let rules_fp = state.annotations.fingerprint();

    // The walk and the cache (decoding, then checking each cached file's size and mtime) are
    // independent: they run side by side.
    type Cached = (Vec<corpus::EntityRecord>, Vec<corpus::ArticleRecord>, usize);
    let (files, cached): (Vec<PathBuf>, Option<Cached>) = {
        let (roots, scan_config, cache_file) = (roots.clone(), scan_config.clone(), cache_file.clone());
        tokio::task::spawn_blocking(move || {
            if roots.is_empty() {
                return (Vec::new(), None);
            }
            let res = rayon::join(
                || CorpusIndex::discover(&roots, &scan_config),
                || {
                    let t = Instant::now();
                    let c = cache_file.as_deref().and_then(|f| cache::load(f, rules_fp))?;
                    tracing::info!("index cache decoded in {:.2?}", t.elapsed());
                    let n = c.articles.len();
                    let fresh: Vec<corpus::ArticleRecord> = c
                        .articles
                        .into_par_iter()
                        .filter_map(|(stamp, a)| (Stamp::of(&a.path) == Some(stamp)).then_some(a))
                        .collect();
                    tracing::info!("index cache checked against the files in {:.2?}", t.elapsed());
                    let stale = n - fresh.len();
                    Some((c.entities, fresh, stale))
                },
            );
            memory::release();
            res
        })
        .await
        .map_err(|e| e.to_string())?
    };
    let total = files.len();
    let t0 = Instant::now();
    tracing::info!("discovered {total} files");

    // Split into cache hits and files to read; the hits become an index built off the lock,
    // swapped in (or merged) under one short write lock.
    let (files, loaded, todo, leftover) = {
        tokio::task::spawn_blocking(move || {
            let mut hit = vec![false; files.len()];
            let mut kept = Vec::new();
            let mut leftover = 0;
            let mut entities = Vec::new();
            if let Some((e, fresh, stale)) = cached {
                entities = e;
                leftover = stale;
                // The cache lists articles in index order, which is usually discovery order: walk
                // both in step and hash only the paths that are out of step.
                let mut by_path: Option<FastMap<&Path, usize>> = None;
                let mut next = 0;
                for article in fresh {
                    let i = if files.get(next).is_some_and(|f| *f == article.path) {
                        Some(next)
                    } else {
                        by_path
                            .get_or_insert_with(|| {
                                files.iter().enumerate().map(|(i, p)| (p.as_path(), i)).collect()
                            })
                            .get(article.path.as_path())
                            .copied()
                    };
                    match i {
                        Some(i) if !hit[i] => {
                            hit[i] = true;
                            next = i + 1;
                            kept.push(article);
                        }
                        _ => leftover += 1,
                    }
                }
            }
            let todo: Vec<PathBuf> = files
                .iter()
                .zip(&hit)
                .filter(|(_, hit)| !**hit)
                .map(|(p, _)| p.clone())
                .collect();
            tracing::info!("{} files matched ({:.2?})", files.len(), t0.elapsed());
            let loaded = (!kept.is_empty()).then(|| CorpusIndex::from_parts(entities, kept));
            // The decoded cache and the walk are garbage now.
            memory::release_everywhere();
            (files, loaded, todo, leftover)
        })
        .await
        .map_err(|e| e.to_string())?
    };

    let n_cached = loaded.as_ref().map_or(0, CorpusIndex::n_articles);
    tracing::info!(
        "{n_cached} cache hits, {} to read ({:.2?})",
        todo.len(),
        t0.elapsed()
    );
    if let Some(loaded) = loaded {
        let st = state.clone();
        tokio::task::spawn_blocking(move || st.corpus_mut().absorb(loaded))
            .await
            .map_err(|e| e.to_string())?;
    }
    let mut done = n_cached;
    reporter.report(done, total, false).await;

    tracing::info!("cached articles inserted ({:.2?})", t0.elapsed());
    let mut n_errors = 0;
    for chunk in todo.chunks(CHUNK) {
        let chunk = chunk.to_vec();
        let (st, cfg) = (state.clone(), scan_config.clone());
        let errors = tokio::task::spawn_blocking(move || {
            let analysed: Vec<Result<IndexedArticle, corpus::ScanError>> = chunk
                .par_iter()
                .map(|path| {
                    let file = scan::read_article(path, &cfg)?;
                    Ok(annotations::analyze(
                        &st, file.path, &file.text, file.size, file.mtime,
                    ))
                })
                .collect();
            let mut errors = 0;
            let mut corpus = st.corpus_mut();
            for res in analysed {
                match res {
                    Ok(article) => {
                        corpus.insert(article);
                    }
                    Err(e) => {
                        tracing::warn!("{e}");
                        errors += 1;
                    }
                }
            }
            errors
        })
        .await
        .map_err(|e| e.to_string())?;
        n_errors += errors;
        done += CHUNK;
        reporter.report(done.min(total), total, false).await;
    }
    reporter.report(total, total, true).await;
    if !todo.is_empty() {
        // Postings grew by doubling while articles were inserted one by one; the threads that
        // read and annotated the files hold their garbage.
        let st = state.clone();
        tokio::task::spawn_blocking(move || {
            st.corpus_mut().shrink_to_fit();
            memory::release_everywhere();
        })
        .await
        .map_err(|e| e.to_string())?;
    }

    // Articles no longer part of the workspace (deleted, excluded) go, unless open.
    let open: Vec<Uri> = state.inner().docs.keys().cloned().collect();
    {
        let st = state.clone();
        let open_paths: HashSet<PathBuf> = open.iter().filter_map(uri_to_path).collect();
        let n_indexed = total - n_errors;
        tokio::task::spawn_blocking(move || {
            // Every file of this run is in `keep`: others exist only if the index holds more.
            if st.corpus().n_articles() <= n_indexed {
                return;
            }
            let keep: HashSet<PathBuf> = files.into_iter().collect();
            let stale: Vec<PathBuf> = st
                .corpus()
                .articles()
                .map(|(_, a)| a.path.clone())
                .filter(|p| !keep.contains(p) && !open_paths.contains(p))
                .collect();
            if !stale.is_empty() {
                let mut corpus = st.corpus_mut();
                for p in stale {
                    corpus.remove(&p);
                }
            }
        })
        .await
        .map_err(|e| e.to_string())?;
    }
    // Saved before open documents override the files on disk: only disk analyses are cached.
    let same_rules = state.annotations.fingerprint() == rules_fp;
    if let Some(file) = cache_file.filter(|_| (!todo.is_empty() || leftover > 0) && same_rules) {
        let st = state.clone();
        let res = tokio::task::spawn_blocking(move || {
            let t = Instant::now();
            let res = cache::save(&file, rules_fp, &st.corpus()).map(|n| (file, n, t.elapsed()));
            memory::release();
            res
        })
        .await
        .map_err(|e| e.to_string())?;
        match res {
            Ok((file, n, took)) => {
                tracing::info!(
                    "index cache of {n} articles written to {} in {took:.2?}",
                    file.display()
                )
            }
            Err(e) => tracing::warn!("cannot write the index cache: {e}"),
        }
    }
    // Open documents override the files on disk.
    for uri in open {
        upsert_open(state, &uri).await;
    }
    if tracing::enabled!(tracing::Level::DEBUG) {
        let parts = state.corpus().heap_bytes();
        let total: usize = parts.iter().map(|p| p.1).sum();
        let list: Vec<String> = parts
            .iter()
            .map(|(k, b)| format!("{k} {:.1}", *b as f64 / 1e6))
            .collect();
        tracing::debug!("index heap ~{:.1} MB: {}", total as f64 / 1e6, list.join(", "));
    }
    let n = state.corpus().n_articles();
    let msg = format!(
        "indexed {n} articles ({n_cached} from cache, {} read, {n_errors} skipped)",
        todo.len() - n_errors
    );
    reporter.end(msg.clone()).await;
    Ok(msg)
}

/// Re-indexes an open document from its current text.
pub async fn upsert_open(state: &Arc<State>, uri: &Uri) {
    let st = state.clone();
    let uri = uri.clone();
    let _ = tokio::task::spawn_blocking(move || {
        let Some(path) = uri_to_path(&uri) else { return };
        if !st.inner().docs.contains_key(&uri) {
            return;
        }
        let t = Instant::now();
        let Ok(snap) = st.snapshot(&uri) else { return };
        let a = &snap.analysis;
        // Analysed before taking the write lock: requests keep reading meanwhile.
        let mut indexed = CorpusIndex::analyze_buffer(&path, &a.text, &a.entities);
        // Entity lookups under the shared lock; the exclusive one only for the changes.
        let lookups = st.corpus().prepare(&indexed);
        let prepared = t.elapsed();
        let mut corpus = st.corpus_mut();
        let locked = t.elapsed();
        corpus.upsert_analysed(&mut indexed, &lookups);
        drop(corpus);
        drop(indexed);
        tracing::debug!(
            "{}: re-indexed ({} bytes): prepared in {prepared:.2?}, write lock after {:.2?}, held {:.2?}",
            path.display(),
            a.text.len(),
            locked - prepared,
            t.elapsed() - locked
        );
        if a.text.len() >= memory::LARGE_TEXT {
            drop(snap);
            memory::release();
        }
    })
    .await;
}

/// Re-indexes an open document [`DEBOUNCE`] after its last change, then re-publishes the
/// diagnostics of the open documents (their fact checks may depend on this one).
pub fn schedule_upsert(client: &Client, state: &Arc<State>, uri: &Uri, version: i32) {
    let st = state.clone();
    let uri = uri.clone();
    let client = client.clone();
    tokio::spawn(async move {
        tokio::time::sleep(DEBOUNCE).await;
        let current = st.inner().docs.get(&uri).map(|d| d.version);
        if current == Some(version) {
            upsert_open(&st, &uri).await;
            crate::server::annotations::refresh_diagnostics(&client, &st);
        }
    });
}

/// Re-indexes one file from disk (saved, closed, created or changed on disk), or removes it from
/// the index when it is gone, unreadable or no longer an article. Open documents are left alone.
pub async fn refresh_file(state: &Arc<State>, path: &Path) {
    if state.inner().open_paths.contains_key(path) {
        return;
    }
    let st = state.clone();
    let path = path.to_path_buf();
    let _ = tokio::task::spawn_blocking(move || {
        let config: ScanConfig = st.scan_config();
        let roots = st.inner().roots.clone();
        let in_workspace = roots.iter().any(|r| path.starts_with(r)) && config.is_article_path(&path);
        let article = if in_workspace {
            match scan::read_article(&path, &config) {
                Ok(file) => Some(annotations::analyze(
                    &st, file.path, &file.text, file.size, file.mtime,
                )),
                Err(e) => {
                    tracing::info!("{e}");
                    None
                }
            }
        } else {
            None
        };
        let mut corpus = st.corpus_mut();
        match article {
            Some(a) => {
                corpus.insert(a);
            }
            None => {
                corpus.remove(&path);
            }
        }
    })
    .await;
}
