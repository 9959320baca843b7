// The newsls VS Code extension: starts `newsls serve` over stdio with vscode-languageclient,
// mirrors the `newsls.*` settings to the server (initializationOptions + didChangeConfiguration),
// and adds the client-side UI: commands (restart, related articles, log, export) and a status
// bar item with indexing progress and the entity counts of the current article.
//
// Invariants: the only LSP client is `state.client`; every command works (or says why not)
// when the server is missing or stopped; nothing here blocks the extension host.

import * as cp from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  DocumentSelector,
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  Location,
  LocationLink,
  ServerOptions,
  State,
  TransportKind,
  WorkDoneProgress,
  WorkDoneProgressCreateRequest,
} from 'vscode-languageclient/node';

import { countEntities, EntityCounts, formatCounts, serverSettings } from './shared';

/** One related article as returned by the server command `newsls.relatedArticles`. */
interface RelatedArticle {
  uri: string;
  title?: string;
  score?: number;
  range?: { start: { line: number; character: number }; end: { line: number; character: number } };
  shared?: string[];
}

/** Server commands returning the related articles (the contract's name first). */
const RELATED_COMMANDS = ['newsls.relatedArticles', 'newsls.showRelatedArticles'];
/** Commands this extension registers itself: never registered again for the server. */
const CLIENT_COMMANDS = new Set(['newsls.restartServer', 'newsls.showRelatedArticles', 'newsls.showServerLog', 'newsls.export']);
const EXPORT_COMMAND = 'newsls.export';
const EXPORT_FORMATS = ['jsonl', 'brat', 'conll', 'webanno'] as const;

interface ExtensionState {
  context: vscode.ExtensionContext;
  client?: LanguageClient;
  outputChannel: vscode.OutputChannel;
  traceChannel: vscode.OutputChannel;
  statusItem: vscode.StatusBarItem;
  indexing?: string;
  indexingTitle?: string;
  counts?: EntityCounts;
  countsTimer?: NodeJS.Timeout;
  starting?: Promise<void>;
  missingBinaryReported: boolean;
}

let state: ExtensionState | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const outputChannel = vscode.window.createOutputChannel('newsls');
  const traceChannel = vscode.window.createOutputChannel('newsls Trace');
  const statusItem = vscode.window.createStatusBarItem('newsls.status', vscode.StatusBarAlignment.Left, 10);
  statusItem.name = 'newsls';
  statusItem.command = 'newsls.showRelatedArticles';
  const st: ExtensionState = { context, outputChannel, traceChannel, statusItem, missingBinaryReported: false };
  state = st;
  context.subscriptions.push(outputChannel, traceChannel, statusItem);

  context.subscriptions.push(
    vscode.commands.registerCommand('newsls.restartServer', () => restartServer(st)),
    vscode.commands.registerCommand('newsls.showRelatedArticles', (uri?: string | vscode.Uri) =>
      showRelatedArticles(st, uri),
    ),
    vscode.commands.registerCommand('newsls.showServerLog', () => st.outputChannel.show(true)),
    vscode.commands.registerCommand('newsls.export', () => exportWorkspace(st)),
    vscode.workspace.onDidChangeConfiguration((event) => onConfigurationChanged(st, event)),
    vscode.workspace.onDidOpenTextDocument((doc) => {
      if (!st.client && matchesSelector(doc)) void ensureStarted(st);
    }),
    vscode.window.onDidChangeActiveTextEditor(() => scheduleCounts(st, 0)),
  );

  // Start now if an article is already open or the workspace is marked as a newsls corpus.
  const marked = (vscode.workspace.workspaceFolders ?? []).some((folder) =>
    fs.existsSync(path.join(folder.uri.fsPath, '.newsls')),
  );
  if (marked || vscode.workspace.textDocuments.some(matchesSelector)) await ensureStarted(st);
}

export async function deactivate(): Promise<void> {
  const client = state?.client;
  if (state) state.client = undefined;
  if (client) await client.stop();
}

function config(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('newsls');
}

function documentSelector(): DocumentSelector {
  const languages = config().get<string[]>('languages', ['plaintext', 'markdown']);
  const patterns = config().get<string[]>('filePatterns', []);
  const selector: DocumentSelector = [];
  for (const language of languages) {
    selector.push({ scheme: 'file', language }, { scheme: 'untitled', language });
  }
  for (const pattern of patterns) selector.push({ scheme: 'file', pattern });
  return selector;
}

function matchesSelector(doc: vscode.TextDocument): boolean {
  return vscode.languages.match(documentSelector() as vscode.DocumentSelector, doc) > 0;
}

/** The server binary: the setting, else `newsls` on PATH (or in ~/.cargo/bin); undefined when missing. */
function resolveServerPath(): string | undefined {
  const configured = config().get<string>('server.path', '').trim();
  if (configured) {
    const expanded = configured.replace(/^~(?=$|\/)/, process.env.HOME ?? '~');
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const absolute = path.isAbsolute(expanded) || !folder ? expanded : path.join(folder, expanded);
    return isExecutable(absolute) ? absolute : undefined;
  }
  const exe = process.platform === 'win32' ? 'newsls.exe' : 'newsls';
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  if (process.env.HOME) dirs.push(path.join(process.env.HOME, '.cargo', 'bin'));
  for (const dir of dirs) {
    const candidate = path.join(dir, exe);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

async function reportMissingBinary(st: ExtensionState): Promise<void> {
  if (st.missingBinaryReported) return;
  st.missingBinaryReported = true;
  const configured = config().get<string>('server.path', '');
  const message = configured
    ? `newsls: the server binary "${configured}" (setting newsls.server.path) was not found or is not executable.`
    : 'newsls: the server binary `newsls` was not found on PATH. Install it or set newsls.server.path.';
  st.outputChannel.appendLine(message);
  const choice = await vscode.window.showErrorMessage(message, 'How to install', 'Open Settings');
  if (choice === 'How to install') {
    const readme = vscode.Uri.joinPath(st.context.extensionUri, 'README.md');
    await vscode.commands.executeCommand('markdown.showPreview', readme);
  } else if (choice === 'Open Settings') {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'newsls.server.path');
  }
}

async function ensureStarted(st: ExtensionState): Promise<void> {
  if (st.client) return;
  if (st.starting) return st.starting;
  st.starting = startClient(st).finally(() => {
    st.starting = undefined;
  });
  return st.starting;
}

async function startClient(st: ExtensionState): Promise<void> {
  const command = resolveServerPath();
  if (!command) {
    await reportMissingBinary(st);
    return;
  }
  st.missingBinaryReported = false;
  const args = ['serve', ...config().get<string[]>('server.extraArgs', [])];
  const serverOptions: ServerOptions = {
    run: { command, args, transport: TransportKind.stdio },
    debug: { command, args, transport: TransportKind.stdio, options: { env: { ...process.env, RUST_LOG: 'debug' } } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: documentSelector(),
    initializationOptions: serverSettings(config()),
    middleware: {
      // The status bar counts follow the tokens: edits, settings and index changes all end in a
      // new token request for the visible article.
      provideDocumentSemanticTokens: async (document, token, next) => {
        const result = await next(document, token);
        if (document === vscode.window.activeTextEditor?.document) scheduleCounts(st, 300);
        return result;
      },
      provideDocumentSemanticTokensEdits: async (document, previousResultId, token, next) => {
        const result = await next(document, previousResultId, token);
        if (document === vscode.window.activeTextEditor?.document) scheduleCounts(st, 300);
        return result;
      },
      workspace: {
        // `workspace/configuration` pulls get the server settings only.
        configuration: async (params, token, next) => {
          const result = await next(params, token);
          if (!Array.isArray(result)) return result;
          return params.items.map((item, index) =>
            item.section === 'newsls' ? serverSettings(config()) : result[index],
          );
        },
      },
    },
    outputChannel: st.outputChannel,
    traceOutputChannel: st.traceChannel,
    markdown: { isTrusted: false, supportHtml: false },
    // The server's code lens runs `newsls.showRelatedArticles` (a client command) with [uri].
  };
  const client = new LanguageClient('newsls', 'newsls', serverOptions, clientOptions);
  keepClientCommands(client);
  st.client = client;
  client.onDidChangeState((event) => {
    void vscode.commands.executeCommand('setContext', 'newsls.active', event.newState === State.Running);
    if (event.newState === State.Stopped) st.indexing = undefined;
    renderStatus(st);
  });
  try {
    await client.start();
    // After start: the client's own progress feature registers its handler while starting.
    installProgressHandler(st, client);
  } catch (error) {
    st.outputChannel.appendLine(`newsls: the server failed to start: ${String(error)}`);
    void vscode.window.showErrorMessage(`newsls: the server failed to start (${String(error)}).`, 'Show Log').then(
      (choice) => choice && st.outputChannel.show(true),
    );
    return;
  }
  scheduleCounts(st, 0);
}

/**
 * The language client registers every command the server lists in `executeCommandProvider` as a
 * VS Code command; one named like a command of this extension (e.g. the code lens command
 * `newsls.showRelatedArticles`) would fail with "command already exists" and stop the client.
 * Such commands stay client commands; the extension still sends them to the server itself.
 */
function keepClientCommands(client: LanguageClient): void {
  type Registration = { id: string; registerOptions: { commands?: string[] } };
  const feature = client.getFeature(ExecuteCommandRequest.method as never) as unknown as
    | { register(data: Registration): void }
    | undefined;
  if (!feature) return;
  const register = feature.register.bind(feature);
  feature.register = (data: Registration) =>
    register({
      ...data,
      registerOptions: {
        ...data.registerOptions,
        commands: (data.registerOptions.commands ?? []).filter((command) => !CLIENT_COMMANDS.has(command)),
      },
    });
}

/**
 * Indexing progress: the server creates a work-done token and reports on it. We replace the
 * client's default handler (a window progress item) with one that feeds our status bar item.
 * Installed once `start()` has resolved, after the client's own progress feature; a token the
 * server creates before that still shows, as the client's window progress.
 */
function installProgressHandler(st: ExtensionState, client: LanguageClient): void {
  client.onRequest(WorkDoneProgressCreateRequest.type, (params) => {
    const disposable = client.onProgress(WorkDoneProgress.type, params.token, (value) => {
      if (value.kind === 'end') {
        st.indexing = undefined;
        disposable.dispose();
        scheduleCounts(st, 0);
      } else {
        if (value.kind === 'begin') st.indexingTitle = value.title.replace(/^newsls:\s*/, '');
        const parts = [st.indexingTitle ?? 'indexing', value.message, value.percentage !== undefined ? `${value.percentage}%` : ''];
        st.indexing = parts.filter(Boolean).join(' ');
      }
      renderStatus(st);
    });
    return null;
  });
}

function renderStatus(st: ExtensionState): void {
  if (!config().get<boolean>('statusBar.enabled', true) || !st.client) {
    st.statusItem.hide();
    return;
  }
  const running = st.client.state === State.Running;
  const editor = vscode.window.activeTextEditor;
  const countsText = st.counts && editor && matchesSelector(editor.document) ? formatCounts(st.counts) : '';
  let text = running ? '$(symbol-class) newsls' : '$(circle-slash) newsls';
  if (st.indexing) text = `$(sync~spin) newsls: ${st.indexing}`;
  else if (countsText) text = `$(symbol-class) ${countsText}`;
  st.statusItem.text = text;
  const tooltip = new vscode.MarkdownString(
    [
      `**newsls** ${running ? 'running' : 'stopped'}`,
      st.indexing ? `Indexing: ${st.indexing}` : 'Index: up to date',
      st.counts ? `This article: ${formatCounts(st.counts, true)}` : '',
      'Click: related articles',
    ]
      .filter(Boolean)
      .join('\n\n'),
  );
  st.statusItem.tooltip = tooltip;
  st.statusItem.show();
}

function scheduleCounts(st: ExtensionState, delayMs: number): void {
  if (st.countsTimer) clearTimeout(st.countsTimer);
  st.countsTimer = setTimeout(() => void refreshCounts(st), delayMs);
}

async function refreshCounts(st: ExtensionState): Promise<void> {
  const client = st.client;
  const editor = vscode.window.activeTextEditor;
  if (!client || client.state !== State.Running || !editor || !matchesSelector(editor.document)) {
    st.counts = undefined;
    renderStatus(st);
    return;
  }
  try {
    const symbols = await client.sendRequest<unknown[] | null>('textDocument/documentSymbol', {
      textDocument: { uri: editor.document.uri.toString() },
    });
    st.counts = countEntities(symbols ?? []);
  } catch (error) {
    st.outputChannel.appendLine(`newsls: document symbols failed: ${String(error)}`);
    st.counts = undefined;
  }
  renderStatus(st);
}

async function restartServer(st: ExtensionState): Promise<void> {
  const client = st.client;
  st.client = undefined;
  st.indexing = undefined;
  st.counts = undefined;
  if (client) {
    try {
      await client.stop(5000);
    } catch (error) {
      st.outputChannel.appendLine(`newsls: stopping the server failed: ${String(error)}`);
    }
    client.dispose().catch(() => undefined);
  }
  st.missingBinaryReported = false;
  await ensureStarted(st);
  if (st.client) vscode.window.setStatusBarMessage('newsls: server restarted', 3000);
}

async function onConfigurationChanged(st: ExtensionState, event: vscode.ConfigurationChangeEvent): Promise<void> {
  if (!event.affectsConfiguration('newsls')) return;
  // The token legend is fixed at initialize: standard token types need a new server.
  const needsRestart = [
    'newsls.server',
    'newsls.languages',
    'newsls.filePatterns',
    'newsls.semanticTokens.standardTypes',
  ].some((key) => event.affectsConfiguration(key));
  if (needsRestart && st.client) {
    await restartServer(st);
  } else if (!st.client && vscode.workspace.textDocuments.some(matchesSelector)) {
    await ensureStarted(st);
  }
  // Other settings go to the running server (push model; the server may also pull them).
  const client = st.client;
  if (client && client.state === State.Running) {
    await client.sendNotification(DidChangeConfigurationNotification.type, {
      settings: { newsls: serverSettings(config()) },
    });
  }
  renderStatus(st);
}

function toUri(value: string | vscode.Uri | undefined): vscode.Uri | undefined {
  if (!value) return vscode.window.activeTextEditor?.document.uri;
  return typeof value === 'string' ? vscode.Uri.parse(value) : value;
}

async function relatedArticles(client: LanguageClient, uri: vscode.Uri): Promise<RelatedArticle[]> {
  const editor = vscode.window.activeTextEditor;
  const position =
    editor && editor.document.uri.toString() === uri.toString()
      ? client.code2ProtocolConverter.asPosition(editor.selection.active)
      : undefined;
  const advertised = client.initializeResult?.capabilities.executeCommandProvider?.commands ?? [];
  const command = RELATED_COMMANDS.find((name) => advertised.includes(name));
  if (command) {
    try {
      const result = await client.sendRequest(ExecuteCommandRequest.type, {
        command,
        arguments: position ? [uri.toString(), position] : [uri.toString()],
      });
      if (Array.isArray(result)) return result as RelatedArticle[];
    } catch (error) {
      state?.outputChannel.appendLine(`newsls: ${command} failed (${String(error)}); using definition`);
    }
  }
  // Fallback for servers without the command: "go to related article" at the cursor.
  if (!position) return [];
  const result = await client.sendRequest<Location | Location[] | LocationLink[] | null>('textDocument/definition', {
    textDocument: { uri: uri.toString() },
    position,
  });
  const locations = result ? (Array.isArray(result) ? result : [result]) : [];
  return locations.map((location) =>
    'targetUri' in location
      ? { uri: location.targetUri, range: location.targetSelectionRange }
      : { uri: location.uri, range: location.range },
  );
}

async function showRelatedArticles(st: ExtensionState, target?: string | vscode.Uri): Promise<void> {
  const uri = toUri(target);
  if (!uri) {
    void vscode.window.showInformationMessage('newsls: open an article first.');
    return;
  }
  await ensureStarted(st);
  const client = st.client;
  if (!client) return;
  const articles = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'newsls: related articles' },
    () => relatedArticles(client, uri),
  );
  if (articles.length === 0) {
    void vscode.window.showInformationMessage('newsls: no related articles found.');
    return;
  }
  interface Item extends vscode.QuickPickItem {
    article: RelatedArticle;
  }
  const items: Item[] = articles.map((article) => {
    const articleUri = vscode.Uri.parse(article.uri);
    const fullTitle = article.title?.trim() || path.basename(articleUri.fsPath);
    const title = fullTitle.length > 60 ? `${fullTitle.slice(0, 59)}…` : fullTitle;
    const score = typeof article.score === 'number' ? article.score.toFixed(2) : undefined;
    return {
      label: title,
      description: [score && `score ${score}`, vscode.workspace.asRelativePath(articleUri)].filter(Boolean).join(' · '),
      detail: article.shared?.length ? `shared: ${article.shared.join(', ')}` : undefined,
      article,
    };
  });
  const picked = await vscode.window.showQuickPick(items, {
    title: 'newsls: related articles',
    placeHolder: 'Best related article first; Enter opens it at the mention',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (!picked) return;
  const articleUri = vscode.Uri.parse(picked.article.uri);
  let range = picked.article.range ? client.protocol2CodeConverter.asRange(picked.article.range) : undefined;
  if (!range) range = await firstMention(articleUri, picked.article.shared ?? []);
  await vscode.window.showTextDocument(articleUri, { selection: range, preview: false });
}

/** The first mention of one of the shared entities (in their order) in the article, if any. */
async function firstMention(uri: vscode.Uri, names: string[]): Promise<vscode.Range | undefined> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const text = doc.getText();
  for (const name of names) {
    const at = text.indexOf(name);
    if (name && at >= 0) return new vscode.Range(doc.positionAt(at), doc.positionAt(at + name.length));
  }
  return undefined;
}

/** The workspace folder to export: the active article's, else the only one, else the user's pick. */
async function folderToExport(): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const active = vscode.window.activeTextEditor?.document.uri;
  const holding = active ? vscode.workspace.getWorkspaceFolder(active) : undefined;
  if (holding) return holding;
  if (folders.length <= 1) return folders[0];
  return vscode.window.showWorkspaceFolderPick({ placeHolder: 'newsls: folder to export' });
}

async function exportWorkspace(st: ExtensionState): Promise<void> {
  if (!vscode.workspace.workspaceFolders?.length) {
    void vscode.window.showInformationMessage('newsls: open a folder of articles to export it.');
    return;
  }
  const folder = await folderToExport();
  if (!folder) return;
  const format = await vscode.window.showQuickPick(
    [
      { label: 'jsonl', description: 'JSON lines, one article per line' },
      { label: 'brat', description: 'brat standoff: an .ann file beside each article' },
      { label: 'conll', description: 'CoNLL 2003 style BIO tags' },
      { label: 'webanno', description: 'W3C Web Annotation JSON-LD' },
    ],
    { title: 'newsls: export format' },
  );
  if (!format || !EXPORT_FORMATS.includes(format.label as (typeof EXPORT_FORMATS)[number])) return;
  const extension = { jsonl: 'jsonl', brat: '', conll: 'conll', webanno: 'jsonld' }[format.label] ?? '';
  let out: vscode.Uri | undefined;
  if (extension) {
    out = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.joinPath(folder.uri, `newsls-export.${extension}`),
      title: 'newsls: export to',
    });
  } else {
    const picked = await vscode.window.showOpenDialog({
      canSelectFiles: false,
      canSelectFolders: true,
      defaultUri: folder.uri,
      openLabel: 'Export here',
    });
    out = picked?.[0];
  }
  if (!out) return;
  await ensureStarted(st);
  const client = st.client;
  const serverCommands = client?.initializeResult?.capabilities.executeCommandProvider?.commands ?? [];
  try {
    if (client && serverCommands.includes(EXPORT_COMMAND)) {
      await client.sendRequest(ExecuteCommandRequest.type, {
        command: EXPORT_COMMAND,
        arguments: [{ format: format.label, root: folder.uri.fsPath, out: out.fsPath }],
      });
    } else {
      await exportWithCli(st, format.label, folder.uri.fsPath, out.fsPath);
    }
  } catch (error) {
    void vscode.window.showErrorMessage(`newsls: export failed: ${String(error)}`);
    return;
  }
  const choice = await vscode.window.showInformationMessage(`newsls: exported ${format.label} to ${out.fsPath}`, 'Open');
  if (choice === 'Open' && extension) await vscode.window.showTextDocument(out);
}

function exportWithCli(st: ExtensionState, format: string, root: string, out: string): Promise<void> {
  const command = resolveServerPath();
  if (!command) return Promise.reject(new Error('the newsls binary was not found'));
  return new Promise((resolve, reject) => {
    const child = cp.spawn(command, ['export', '--format', format, root, '--out', out], { cwd: root });
    child.stderr.on('data', (chunk: Buffer) => st.outputChannel.append(chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`newsls export exited with ${code}`))));
  });
}
