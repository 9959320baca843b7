// Unit tests of the extension's pure helpers (src/shared.ts, bundled to CommonJS by
// editors/test-vscode.sh and passed as NEWSLS_SHARED_MODULE): settings and entity counts.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import test from 'node:test';

const shared = createRequire(import.meta.url)(process.env.NEWSLS_SHARED_MODULE);

function config(values) {
  return { get: (key, fallback) => (key in values ? values[key] : fallback) };
}

test('server settings: defaults, overrides, no client-only keys', () => {
  const defaults = shared.serverSettings(config({}));
  assert.deepEqual(defaults, {
    kinds: { organization: true, place: true, figure: true, person: true },
    inlayHints: { enabled: false },
    semanticTokens: { standardTypes: false },
    codeLens: { enabled: true },
    extensions: ['txt', 'md', 'markdown', 'text'],
    exclude: [],
    maxFileSize: 10 * 1024 * 1024,
    diagnostics: { factChecks: 'information' },
  });
  const custom = shared.serverSettings(
    config({ 'kinds.person': false, 'inlayHints.enabled': true, exclude: ['drafts/**'], 'server.path': '/x' }),
  );
  assert.equal(custom.kinds.person, false);
  assert.equal(custom.kinds.place, true);
  assert.equal(custom.inlayHints.enabled, true);
  assert.deepEqual(custom.exclude, ['drafts/**']);
  assert.equal(shared.serverSettings(config({ 'diagnostics.factChecks': 'warning' })).diagnostics.factChecks, 'warning');
  assert.equal('server' in custom, false);
});

const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
const sym = (name, kind, children) => ({ name, kind, range, selectionRange: range, children });

test('entity counts: hierarchical groups count their children', () => {
  const counts = shared.countEntities([
    sym('Organizations', 5, [sym('Renault Korea Motors', 5, []), sym('Polestar', 5, [])]),
    sym('Places', 3, [sym('Busan', 3, [])]),
    sym('Figures', 16, [sym('USD 1300000000', 16, []), sym('300,000 units', 16, []), sym('25%', 16, [])]),
    sym('People', 13, [sym('Stephane Deblaise', 13, [])]),
  ]);
  assert.deepEqual(counts, { organization: 2, place: 1, figure: 3, person: 1 });
});

test('entity counts: a flat answer counts distinct names by symbol kind', () => {
  const counts = shared.countEntities([
    sym('RKM', 5),
    sym('RKM', 5),
    sym('Polestar', 5),
    sym('Busan', 3),
    sym('Kim', 13),
    sym('something else', 12),
    null,
    'junk',
  ]);
  assert.deepEqual(counts, { organization: 2, place: 1, figure: 0, person: 1 });
});

test('entity counts: group names in other spellings', () => {
  assert.equal(shared.kindOfGroupName('Organisations (12)'), 'organization');
  assert.equal(shared.kindOfGroupName('person'), 'person');
  assert.equal(shared.kindOfGroupName('Placebo'), undefined);
  assert.equal(shared.formatCounts({ organization: 1, place: 2, figure: 3, person: 4 }), '1 org · 2 place · 4 person · 3 fig');
});
