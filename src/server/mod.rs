//! The language server (LSP over stdio, `tower-lsp-server`): a thin layer translating between
//! the protocol and the recognition/corpus modules.
//!
//! Layout: [`state`] owns all mutable state; [`document`] the open documents; [`convert`] is the
//! only place converting byte offsets to LSP positions; one module per feature; [`indexer`] and
//! [`cache`] keep the corpus index current in the background.
//!
//! Invariants:
//! - Notifications that change documents (`didOpen`, `didChange`, `didClose`) apply their change
//!   synchronously, before any `.await`, so they take effect in the order they arrived
//!   (tower-lsp-server polls handler futures in arrival order, but runs them concurrently).
//! - Request handlers never await a client request and never hold a lock across an `.await`;
//!   their work runs in `spawn_blocking` (a panic there becomes an internal-error response).
//! - Logs go to stderr (tracing) and `window/logMessage`, never to stdout.

pub mod annotations;
pub mod cache;
pub mod code_lens;
pub mod completion;
pub mod config;
pub mod convert;
pub mod document;
pub mod facts;
pub mod hover;
pub mod indexer;
pub mod inlay_hints;
pub mod memory;
pub mod navigation;
pub mod semantic_tokens;
pub mod state;
pub mod symbols;
pub mod transport;

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use serde_json::{Value as Json, json};
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::lsp_types::notification::Notification as _;
use tower_lsp_server::lsp_types::*;
use tower_lsp_server::{Client, LanguageServer, LspService, Server};

use crate::server::config::Config;
use crate::server::convert::Encoding;
use crate::server::document::Document;
use crate::server::state::{ClientFlags, Snapshot, State, uri_to_path};

/// How many requests tower-lsp-server runs concurrently (its default, 4, is easily exhausted by
/// a client firing tokens, hints, lenses and hovers at once).
const CONCURRENCY: usize = 64;

/// Runs the server on stdin/stdout until `exit` or until stdin closes.
pub fn run() -> ExitCode {
    let rt = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("newsls: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    let state = Arc::new(State::default());
    let st = state.clone();
    rt.block_on(async move {
        let (service, socket) = LspService::build(move |client| Backend { client, state: st })
            .custom_method("newsls/status", Backend::status)
            .finish();
        let (server_in, filtered) = tokio::io::duplex(1 << 16);
        tokio::spawn(transport::filter_messages(tokio::io::stdin(), filtered));
        Server::new(server_in, tokio::io::stdout(), socket)
            .concurrency_level(CONCURRENCY)
            .serve(service)
            .await;
    });
    // Leave at once: background indexing and the blocking stdin reader are not waited for.
    let code = if state.shutdown_requested.load(Ordering::Acquire) {
        0
    } else {
        1
    };
    std::process::exit(code)
}

pub struct Backend {
    client: Client,
    state: Arc<State>,
}

pub(crate) fn invalid_params(message: String) -> Error {
    Error {
        code: ErrorCode::InvalidParams,
        message: message.into(),
        data: None,
    }
}

/// Runs `f` off the async workers; a panic becomes an internal error (and is logged).
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    match tokio::task::spawn_blocking(f).await {
        Ok(res) => res,
        Err(e) => {
            tracing::error!("request handler failed: {e}");
            Err(Error::internal_error())
        }
    }
}

impl Backend {
    /// Runs `f` on a snapshot of `uri`, off the async workers. A document that is neither open
    /// nor readable gives an `InvalidParams` error naming it.
    async fn with_snapshot<T: Send + 'static>(
        &self,
        uri: Uri,
        f: impl FnOnce(&State, &Snapshot) -> T + Send + 'static,
    ) -> Result<T> {
        let state = self.state.clone();
        blocking(move || {
            let snap = state.snapshot(&uri).map_err(|msg| {
                tracing::info!("{msg}");
                invalid_params(msg)
            })?;
            let res = f(&state, &snap);
            let large = snap.analysis.text.len() >= memory::LARGE_TEXT;
            drop(snap);
            if large {
                memory::release();
            }
            Ok(res)
        })
        .await
    }

    /// `newsls/status`: whether indexing runs and what the index holds.
    async fn status(&self) -> Result<Json> {
        let state = self.state.clone();
        blocking(move || {
            let stats = state.corpus().stats();
            Ok(json!({
                "indexing": state.indexing.load(Ordering::Acquire),
                "articles": stats.articles,
                "mentions": stats.mentions,
                "entities": {
                    "organization": stats.entities[0], "place": stats.entities[1],
                    "figure": stats.entities[2], "person": stats.entities[3],
                },
                "openDocuments": state.inner().docs.len(),
            }))
        })
        .await
    }

    fn log(&self, typ: MessageType, message: String) {
        match typ {
            MessageType::ERROR | MessageType::WARNING => tracing::warn!("{message}"),
            _ => tracing::info!("{message}"),
        }
        let client = self.client.clone();
        tokio::spawn(async move { client.log_message(typ, format!("newsls: {message}")).await });
    }

    /// Applies settings; reindexes, refreshes or warns depending on what changed.
    fn apply_settings(&self, settings: &Json) {
        let (old, new, flags) = {
            let mut inner = self.state.inner();
            let old = inner.config.clone();
            let mut new = (*old).clone();
            for w in new.apply(settings) {
                self.log(MessageType::WARNING, w);
            }
            inner.config = Arc::new(new.clone());
            (old, new, inner.flags)
        };
        if old.uncertain_diagnostics != new.uncertain_diagnostics || old.fact_checks != new.fact_checks {
            annotations::refresh_diagnostics(&self.client, &self.state);
        }
        if old.standard_types != new.standard_types {
            self.log(
                MessageType::INFO,
                "semanticTokens.standardTypes takes effect when the server restarts (the legend is fixed)"
                    .into(),
            );
        }
        if old.extensions != new.extensions
            || old.exclude != new.exclude
            || old.max_file_size != new.max_file_size
        {
            tokio::spawn(indexer::index_workspace(self.client.clone(), self.state.clone()));
        }
        let client = self.client.clone();
        tokio::spawn(async move {
            if old.kinds != new.kinds && flags.semantic_tokens_refresh {
                let _ = client.semantic_tokens_refresh().await;
            }
            if (old.inlay_hints != new.inlay_hints || old.kinds != new.kinds) && flags.inlay_hint_refresh {
                let _ = client.inlay_hint_refresh().await;
            }
            if old.code_lens != new.code_lens && flags.code_lens_refresh {
                let _ = client.code_lens_refresh().await;
            }
        });
    }

    /// Pulls the `newsls` section with `workspace/configuration` (from a spawned task only).
    async fn pull_configuration(client: &Client) -> Option<Json> {
        let items = vec![ConfigurationItem {
            scope_uri: None,
            section: Some("newsls".into()),
        }];
        match client.configuration(items).await {
            Ok(mut values) if !values.is_empty() => Some(values.swap_remove(0)),
            Ok(_) => None,
            Err(e) => {
                tracing::info!("workspace/configuration failed: {e}");
                None
            }
        }
    }

    fn semantic_tokens(state: &State, snap: &Snapshot) -> Vec<SemanticToken> {
        let _ = state;
        let a = &snap.analysis;
        semantic_tokens::encode(&semantic_tokens::absolute_tokens(
            &a.text,
            &a.entities,
            &snap.config,
            snap.encoding,
        ))
    }
}

fn client_flags(caps: &ClientCapabilities) -> ClientFlags {
    let window = caps.window.as_ref();
    let ws = caps.workspace.as_ref();
    let td = caps.text_document.as_ref();
    ClientFlags {
        work_done_progress: window.and_then(|w| w.work_done_progress).unwrap_or(false),
        watched_files_dynamic: ws
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false),
        configuration_pull: ws.and_then(|w| w.configuration).unwrap_or(false),
        semantic_tokens_refresh: ws
            .and_then(|w| w.semantic_tokens.as_ref())
            .and_then(|s| s.refresh_support)
            .unwrap_or(false),
        code_lens_refresh: ws
            .and_then(|w| w.code_lens.as_ref())
            .and_then(|s| s.refresh_support)
            .unwrap_or(false),
        inlay_hint_refresh: ws
            .and_then(|w| w.inlay_hint.as_ref())
            .and_then(|s| s.refresh_support)
            .unwrap_or(false),
        markdown_hover: td
            .and_then(|t| t.hover.as_ref())
            .and_then(|h| h.content_format.as_ref())
            .is_none_or(|f| f.contains(&MarkupKind::Markdown)),
        hierarchical_symbols: td
            .and_then(|t| t.document_symbol.as_ref())
            .and_then(|d| d.hierarchical_document_symbol_support)
            .unwrap_or(false),
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let encoding = Encoding::negotiate(&params.capabilities);
        let flags = client_flags(&params.capabilities);
        #[allow(deprecated)] // `root_uri` is the fallback when the client sends no folders.
        let roots: Vec<_> = match &params.workspace_folders {
            Some(folders) if !folders.is_empty() => {
                folders.iter().filter_map(|f| uri_to_path(&f.uri)).collect()
            }
            _ => params
                .root_uri
                .as_ref()
                .and_then(uri_to_path)
                .into_iter()
                .collect(),
        };
        let mut config = Config::default();
        let warnings = params
            .initialization_options
            .as_ref()
            .map(|o| config.apply(o))
            .unwrap_or_default();
        for w in warnings {
            tracing::warn!("{w}");
        }
        let legend = semantic_tokens::legend(config.standard_types);
        {
            let mut inner = self.state.inner();
            inner.encoding = encoding;
            inner.flags = flags;
            inner.roots = roots.clone();
            inner.standard_types_legend = config.standard_types;
            inner.config = Arc::new(config);
        }
        // Every folder's annotation file (reported to the client after `initialized`).
        for (_, error) in self.state.annotations.set_roots(&roots).added {
            if let Some(e) = error {
                tracing::warn!("{e}");
            }
        }
        tracing::info!(
            "initialize: encoding {encoding:?}, roots {:?}, client {:?}",
            roots,
            params.client_info.as_ref().map(|c| &c.name)
        );
        Ok(InitializeResult {
            capabilities: ServerCapabilities {
                position_encoding: Some(encoding.kind()),
                text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::INCREMENTAL),
                    will_save: None,
                    will_save_wait_until: None,
                    save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                })),
                semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
                    SemanticTokensOptions {
                        work_done_progress_options: WorkDoneProgressOptions::default(),
                        legend,
                        range: Some(true),
                        full: Some(SemanticTokensFullOptions::Delta { delta: Some(true) }),
                    },
                )),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                definition_provider: Some(OneOf::Left(true)),
                declaration_provider: Some(DeclarationCapability::Simple(true)),
                references_provider: Some(OneOf::Left(true)),
                document_highlight_provider: Some(OneOf::Left(true)),
                document_symbol_provider: Some(OneOf::Left(true)),
                workspace_symbol_provider: Some(OneOf::Left(true)),
                code_lens_provider: Some(CodeLensOptions {
                    resolve_provider: Some(false),
                }),
                inlay_hint_provider: Some(OneOf::Left(true)),
                code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
                    code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
                    ..CodeActionOptions::default()
                })),
                completion_provider: Some(CompletionOptions::default()),
                execute_command_provider: Some(ExecuteCommandOptions {
                    commands: [code_lens::SHOW_RELATED, facts::OPEN_OTHER, facts::MARK_CHECKED]
                        .into_iter()
                        .chain(annotations::COMMANDS)
                        .map(String::from)
                        .collect(),
                    work_done_progress_options: WorkDoneProgressOptions::default(),
                }),
                workspace: Some(WorkspaceServerCapabilities {
                    workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                        supported: Some(true),
                        change_notifications: Some(OneOf::Left(true)),
                    }),
                    file_operations: None,
                }),
                ..ServerCapabilities::default()
            },
            server_info: Some(ServerInfo {
                name: "newsls".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        let client = self.client.clone();
        let state = self.state.clone();
        let (flags, extensions) = {
            let inner = state.inner();
            (inner.flags, inner.config.extensions.clone())
        };
        tokio::spawn(async move {
            if flags.watched_files_dynamic {
                let glob = format!("**/*.{{{}}}", extensions.join(","));
                let options = DidChangeWatchedFilesRegistrationOptions {
                    watchers: vec![
                        FileSystemWatcher {
                            glob_pattern: GlobPattern::String(glob),
                            kind: None,
                        },
                        annotations::watcher(),
                    ],
                };
                let registration = Registration {
                    id: "newsls-watch-articles".into(),
                    method: notification::DidChangeWatchedFiles::METHOD.into(),
                    register_options: serde_json::to_value(options).ok(),
                };
                if let Err(e) = client.register_capability(vec![registration]).await {
                    tracing::info!("file watcher registration failed: {e}");
                }
            }
            if flags.configuration_pull
                && let Some(settings) = Backend::pull_configuration(&client).await
                && settings.is_object()
            {
                let mut inner = state.inner();
                let mut config = (*inner.config).clone();
                for w in config.apply(&settings) {
                    tracing::warn!("{w}");
                }
                inner.config = Arc::new(config);
            }
            for root in state.annotations.roots() {
                let (st, r) = (state.clone(), root.clone());
                let error = tokio::task::spawn_blocking(move || st.annotations.reload(&r).err())
                    .await
                    .ok()
                    .flatten();
                annotations::report_file(&client, &root, error.as_ref()).await;
            }
            indexer::index_workspace(client, state).await;
        });
    }

    async fn shutdown(&self) -> Result<()> {
        self.state.shutdown_requested.store(true, Ordering::Release);
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        {
            let mut inner = self.state.inner();
            if let Some(path) = uri_to_path(&doc.uri) {
                inner.open_paths.insert(path, doc.uri.clone());
            }
            inner.tokens.remove(&doc.uri);
            inner
                .docs
                .insert(doc.uri.clone(), Document::new(&doc.text, doc.version));
        }
        annotations::schedule_diagnostics(&self.client, &self.state, &doc.uri, None);
        let state = self.state.clone();
        let client = self.client.clone();
        tokio::spawn(async move {
            indexer::upsert_open(&state, &doc.uri).await;
            // The index changed: the open documents' fact checks (this one's cache included).
            annotations::refresh_diagnostics(&client, &state);
        });
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let version = params.text_document.version;
        let applied = {
            let mut inner = self.state.inner();
            let encoding = inner.encoding;
            match inner.docs.get_mut(&uri) {
                Some(doc) => {
                    if version <= doc.version {
                        tracing::info!("{}: version {version} after {}", uri.as_str(), doc.version);
                    }
                    doc.apply_changes(&params.content_changes, version, encoding);
                    true
                }
                None => false,
            }
        };
        if applied {
            // The diagnostics follow the debounced index update.
            indexer::schedule_upsert(&self.client, &self.state, &uri, version);
        } else {
            self.log(
                MessageType::WARNING,
                format!("didChange for a document that is not open: {}", uri.as_str()),
            );
        }
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        indexer::upsert_open(&self.state, &params.text_document.uri).await;
        annotations::refresh_diagnostics(&self.client, &self.state);
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        let path = uri_to_path(&uri);
        {
            let mut inner = self.state.inner();
            inner.docs.remove(&uri);
            inner.tokens.remove(&uri);
            self.state
                .facts_cache
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .remove(&uri);
            if let Some(p) = &path {
                inner.open_paths.remove(p);
            }
        }
        if let Some(path) = path {
            indexer::refresh_file(&self.state, &path).await;
        }
        self.client.publish_diagnostics(uri, Vec::new(), None).await;
        annotations::refresh_diagnostics(&self.client, &self.state);
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let settings = params.settings;
        let empty = settings.is_null() || settings.as_object().is_some_and(|o| o.is_empty());
        if !empty {
            self.apply_settings(&settings);
            return;
        }
        if self.state.inner().flags.configuration_pull {
            // The client only signals a change: pull the section (from a task, not this handler).
            let client = self.client.clone();
            let state = self.state.clone();
            tokio::spawn(async move {
                if let Some(settings) = Backend::pull_configuration(&client).await {
                    Backend { client, state }.apply_settings(&settings);
                }
            });
        }
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        for change in params.changes {
            let Some(path) = uri_to_path(&change.uri) else {
                continue;
            };
            if let Some(root) = self.state.annotations.root_of_file(&path) {
                annotations::file_changed(&self.client, &self.state, &root).await;
                continue;
            }
            indexer::refresh_file(&self.state, &path).await;
        }
        indexer::refresh_views(&self.client, &self.state).await;
    }

    async fn did_change_workspace_folders(&self, params: DidChangeWorkspaceFoldersParams) {
        {
            let mut inner = self.state.inner();
            let removed: Vec<_> = params
                .event
                .removed
                .iter()
                .filter_map(|f| uri_to_path(&f.uri))
                .collect();
            inner.roots.retain(|r| !removed.contains(r));
            for f in &params.event.added {
                if let Some(p) = uri_to_path(&f.uri)
                    && !inner.roots.contains(&p)
                {
                    inner.roots.push(p);
                }
            }
        }
        // Load the added folders' annotation files and drop the removed ones' before indexing:
        // the index (and its cache) follows the rules of every folder.
        let (client, state) = (self.client.clone(), self.state.clone());
        tokio::spawn(async move {
            let st = state.clone();
            // The roots as they are when this runs (a later change may have overtaken this one).
            let change = tokio::task::spawn_blocking(move || {
                let roots = st.inner().roots.clone();
                st.annotations.set_roots(&roots)
            })
            .await
            .unwrap_or_default();
            annotations::roots_changed(&client, &state, &change).await;
            indexer::index_workspace(client, state).await;
        });
    }

    async fn semantic_tokens_full(
        &self,
        params: SemanticTokensParams,
    ) -> Result<Option<SemanticTokensResult>> {
        let uri = params.text_document.uri;
        self.with_snapshot(uri, |state, snap| {
            let data = Backend::semantic_tokens(state, snap);
            let id = state.next_result_id();
            state
                .inner()
                .tokens
                .insert(snap.uri.clone(), (id.clone(), data.clone()));
            Some(SemanticTokensResult::Tokens(SemanticTokens {
                result_id: Some(id),
                data,
            }))
        })
        .await
    }

    async fn semantic_tokens_full_delta(
        &self,
        params: SemanticTokensDeltaParams,
    ) -> Result<Option<SemanticTokensFullDeltaResult>> {
        let uri = params.text_document.uri;
        let previous = params.previous_result_id;
        self.with_snapshot(uri, move |state, snap| {
            let data = Backend::semantic_tokens(state, snap);
            let id = state.next_result_id();
            let old = state
                .inner()
                .tokens
                .insert(snap.uri.clone(), (id.clone(), data.clone()));
            match old {
                Some((old_id, old_data)) if old_id == previous => {
                    let edits = semantic_tokens::diff(&old_data, &data).into_iter().collect();
                    Some(SemanticTokensFullDeltaResult::TokensDelta(SemanticTokensDelta {
                        result_id: Some(id),
                        edits,
                    }))
                }
                _ => Some(SemanticTokensFullDeltaResult::Tokens(SemanticTokens {
                    result_id: Some(id),
                    data,
                })),
            }
        })
        .await
    }

    async fn semantic_tokens_range(
        &self,
        params: SemanticTokensRangeParams,
    ) -> Result<Option<SemanticTokensRangeResult>> {
        let range = params.range;
        self.with_snapshot(params.text_document.uri, move |_, snap| {
            let a = &snap.analysis;
            let bytes = convert::byte_range(&a.rope, range, snap.encoding);
            let first = a.entities.partition_point(|e| e.span.end <= bytes.start);
            let last = a
                .entities
                .partition_point(|e| e.span.start < bytes.end.max(bytes.start + 1));
            let slice = a.entities.get(first..last.max(first)).unwrap_or(&[]);
            let toks = semantic_tokens::absolute_tokens(&a.text, slice, &snap.config, snap.encoding);
            Some(SemanticTokensRangeResult::Tokens(SemanticTokens {
                result_id: None,
                data: semantic_tokens::encode(&toks),
            }))
        })
        .await
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let p = params.text_document_position_params;
        self.with_snapshot(p.text_document.uri, move |state, snap| {
            hover::hover(state, snap, p.position)
        })
        .await
    }

    async fn goto_definition(&self, params: GotoDefinitionParams) -> Result<Option<GotoDefinitionResponse>> {
        let p = params.text_document_position_params;
        self.with_snapshot(p.text_document.uri, move |state, snap| {
            let locs = navigation::definition(state, snap, p.position);
            (!locs.is_empty()).then_some(GotoDefinitionResponse::Array(locs))
        })
        .await
    }

    async fn goto_declaration(
        &self,
        params: request::GotoDeclarationParams,
    ) -> Result<Option<request::GotoDeclarationResponse>> {
        let p = params.text_document_position_params;
        self.with_snapshot(p.text_document.uri, move |_, snap| {
            navigation::declaration(snap, p.position).map(GotoDefinitionResponse::Scalar)
        })
        .await
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let p = params.text_document_position;
        let include = params.context.include_declaration;
        self.with_snapshot(p.text_document.uri, move |state, snap| {
            let locs = navigation::references(state, snap, p.position, include);
            (!locs.is_empty()).then_some(locs)
        })
        .await
    }

    async fn document_highlight(
        &self,
        params: DocumentHighlightParams,
    ) -> Result<Option<Vec<DocumentHighlight>>> {
        let p = params.text_document_position_params;
        self.with_snapshot(p.text_document.uri, move |_, snap| {
            let hl = navigation::highlights(snap, p.position);
            (!hl.is_empty()).then_some(hl)
        })
        .await
    }

    async fn document_symbol(&self, params: DocumentSymbolParams) -> Result<Option<DocumentSymbolResponse>> {
        self.with_snapshot(params.text_document.uri, |state, snap| {
            let symbols = symbols::document_symbols(snap);
            if state.inner().flags.hierarchical_symbols {
                return Some(DocumentSymbolResponse::Nested(symbols));
            }
            // Flat list for clients without hierarchy support: the entities, with their kind group.
            #[allow(deprecated)]
            let flat = symbols
                .into_iter()
                .flat_map(|group| {
                    let container = group.name.clone();
                    let uri = snap.uri.clone();
                    group
                        .children
                        .unwrap_or_default()
                        .into_iter()
                        .map(move |s| SymbolInformation {
                            name: s.name,
                            kind: s.kind,
                            tags: None,
                            deprecated: None,
                            location: Location::new(uri.clone(), s.selection_range),
                            container_name: Some(container.clone()),
                        })
                })
                .collect();
            Some(DocumentSymbolResponse::Flat(flat))
        })
        .await
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<OneOf<Vec<SymbolInformation>, Vec<WorkspaceSymbol>>>> {
        let state = self.state.clone();
        blocking(move || {
            Ok(Some(OneOf::Right(symbols::workspace_symbols(
                &state,
                &params.query,
            ))))
        })
        .await
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        self.with_snapshot(params.text_document.uri, |state, snap| {
            Some(code_lens::code_lens(state, snap))
        })
        .await
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        let range = params.range;
        self.with_snapshot(params.text_document.uri, move |_, snap| {
            Some(inlay_hints::inlay_hints(snap, range))
        })
        .await
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let p = params.text_document_position;
        self.with_snapshot(p.text_document.uri, move |state, snap| {
            completion::completion(state, snap, p.position).map(CompletionResponse::List)
        })
        .await
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let range = params.range;
        self.with_snapshot(params.text_document.uri, move |state, snap| {
            let mut actions = facts::code_actions(state, snap, range);
            actions.extend(annotations::code_actions(snap, range));
            Some(actions)
        })
        .await
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<LSPAny>> {
        if annotations::is_command(&params.command) {
            return annotations::execute(&self.client, &self.state, params).await;
        }
        if facts::is_command(&params.command) {
            return facts::execute(&self.client, &self.state, params).await;
        }
        if params.command != code_lens::SHOW_RELATED {
            return Err(invalid_params(format!("unknown command {}", params.command)));
        }
        let uri = params
            .arguments
            .first()
            .and_then(|v| serde_json::from_value::<Uri>(v.clone()).ok())
            .ok_or_else(|| invalid_params(format!("{}: expected a document URI argument", params.command)))?;
        self.with_snapshot(uri, |state, snap| {
            let (_, related) = code_lens::related_articles(state, snap, code_lens::LENS_ARTICLES);
            let list: Vec<Json> = related
                .into_iter()
                .map(|r| {
                    json!({"uri": r.location.uri, "title": r.title, "score": r.score, "shared": r.shared})
                })
                .collect();
            Some(Json::Array(list))
        })
        .await
    }
}
