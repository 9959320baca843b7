// Pure helpers of the extension (no `vscode` import, so that they can be unit tested with node):
// the settings sent to the server and the entity counts computed from document symbols.

/**
 * The settings the server understands (section `newsls` without the client-only keys `server`,
 * `trace`, `languages`, `filePatterns`, `statusBar`, which the server would log as unknown).
 */
export interface ServerSettings {
  kinds: { organization: boolean; place: boolean; figure: boolean; person: boolean };
  inlayHints: { enabled: boolean };
  semanticTokens: { standardTypes: boolean };
  codeLens: { enabled: boolean };
  extensions: string[];
  exclude: string[];
  maxFileSize: number;
  diagnostics: { factChecks: string };
}

interface ConfigLike {
  get<T>(section: string, defaultValue: T): T;
}

export function serverSettings(config: ConfigLike): ServerSettings {
  return {
    kinds: {
      organization: config.get('kinds.organization', true),
      place: config.get('kinds.place', true),
      figure: config.get('kinds.figure', true),
      person: config.get('kinds.person', true),
    },
    inlayHints: { enabled: config.get('inlayHints.enabled', false) },
    semanticTokens: { standardTypes: config.get('semanticTokens.standardTypes', false) },
    codeLens: { enabled: config.get('codeLens.enabled', true) },
    extensions: config.get('extensions', ['txt', 'md', 'markdown', 'text']),
    exclude: config.get('exclude', [] as string[]),
    maxFileSize: config.get('maxFileSize', 10 * 1024 * 1024),
    diagnostics: { factChecks: config.get('diagnostics.factChecks', 'information') },
  };
}

export type Kind = 'organization' | 'place' | 'figure' | 'person';
export type EntityCounts = Record<Kind, number>;

interface SymbolLike {
  name?: string;
  kind?: number;
  children?: SymbolLike[];
}

// LSP SymbolKind numbers the server uses for entities (see editors/README.md).
const SYMBOL_KIND_TO_KIND: Record<number, Kind> = {
  5: 'organization', // Class
  3: 'place', // Namespace
  16: 'figure', // Number
  13: 'person', // Variable
};

/** The kind named by a group symbol ("Organizations", "Places", "People", ...), if any. */
export function kindOfGroupName(name: string | undefined): Kind | undefined {
  const lower = (name ?? '').toLowerCase();
  if (/^organi[sz]ations?\b/.test(lower)) return 'organization';
  if (/^places?\b/.test(lower)) return 'place';
  if (/^figures?\b/.test(lower)) return 'figure';
  if (/^(persons?|people)\b/.test(lower)) return 'person';
  return undefined;
}

/**
 * Entity counts of one article from `textDocument/documentSymbol`: the server groups entities
 * by kind (one top-level symbol per kind, one child per entity). A flat answer (one symbol per
 * entity or mention) is counted by symbol kind, distinct names once.
 */
export function countEntities(symbols: unknown[]): EntityCounts {
  const counts: EntityCounts = { organization: 0, place: 0, figure: 0, person: 0 };
  const flat: Record<Kind, Set<string>> = {
    organization: new Set(),
    place: new Set(),
    figure: new Set(),
    person: new Set(),
  };
  for (const raw of symbols) {
    if (!raw || typeof raw !== 'object') continue;
    const symbol = raw as SymbolLike;
    const group = kindOfGroupName(symbol.name);
    if (group && Array.isArray(symbol.children)) {
      counts[group] += symbol.children.length;
      continue;
    }
    const kind = symbol.kind !== undefined ? SYMBOL_KIND_TO_KIND[symbol.kind] : undefined;
    if (kind) flat[kind].add(symbol.name ?? '');
  }
  for (const kind of Object.keys(flat) as Kind[]) counts[kind] += flat[kind].size;
  return counts;
}

export function formatCounts(counts: EntityCounts, long = false): string {
  if (long) {
    return `${counts.organization} organisations, ${counts.place} places, ${counts.person} people, ${counts.figure} figures`;
  }
  return `${counts.organization} org · ${counts.place} place · ${counts.person} person · ${counts.figure} fig`;
}
