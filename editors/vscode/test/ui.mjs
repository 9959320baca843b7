// End-to-end UI test of the newsls VS Code extension in the real workbench: code-server (VS Code
// 1.100) with the built .vsix installed, driven by Debian's Chromium through playwright-core.
//
//   CODE_SERVER=… PLAYWRIGHT_CORE=… NEWSLS_VSIX=… NEWSLS_BIN=… node editors/vscode/test/ui.mjs
//
// Checks: token colours of the seed entities (one colour per type, set through
// editor.semanticTokenColorCustomizations), the hover text, F12 landing in the other article, the
// related-articles quick pick listing the other seed first, the status bar counts, and the
// theme's own colours without customisations. Screenshots go to $SCREENS (target/editor-screens).
// Every wait is a condition with a timeout. Prints "N passed, N failed"; exit 1 on failure.

import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../../..');
const env = (name, fallback) => {
  const value = process.env[name] || fallback;
  if (!value) throw new Error(`set ${name}`);
  return value;
};
const codeServer = env('CODE_SERVER');
const playwrightPath = env('PLAYWRIGHT_CORE');
const vsix = env('NEWSLS_VSIX');
const newslsBin = env('NEWSLS_BIN');
const screens = env('SCREENS', path.join(repo, 'target/editor-screens'));
const chromium = env('CHROMIUM', '/usr/bin/chromium');
const { chromium: pw } = createRequire(import.meta.url)(playwrightPath);

const ORG = 'rgb(230, 57, 70)';
const PLACE = 'rgb(42, 157, 143)';
const FIGURE = 'rgb(69, 123, 230)';
const PERSON = 'rgb(233, 196, 106)';
const SEED_A = '000_b048b9770dc2da2d.txt';
const SEED_B = '004_12b826b37803d7ae.txt';

let passed = 0;
let failed = 0;
const t0 = Date.now();
const out = (line) => process.stdout.write(line + '\n');

async function check(name, fn) {
  const start = Date.now();
  try {
    await fn();
    passed++;
    out(`ok     ${name.padEnd(62)} ${String(Date.now() - start).padStart(6)} ms`);
  } catch (error) {
    failed++;
    out(`FAILED ${name.padEnd(62)} ${String(Date.now() - start).padStart(6)} ms`);
    out('       ' + String(error?.stack ?? error).split('\n').slice(0, 6).join('\n       '));
    await shot(`vscode-failed-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`).catch(() => undefined);
  }
}

function expect(cond, message) {
  if (!cond) throw new Error(message);
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(what, timeoutMs, cond) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await cond();
      if (last) return last;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${String(last)})`);
}

// --- Workspace, profile, code-server -------------------------------------------------------

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'newsls-vscode-'));
const ws = path.join(tmp, 'ws');
const userDir = path.join(tmp, 'user');
const extDir = path.join(tmp, 'ext');
fs.mkdirSync(path.join(ws, '.newsls'), { recursive: true });
for (const name of [SEED_A, SEED_B]) fs.copyFileSync(path.join(repo, 'seeds', name), path.join(ws, name));
// A distractor that shares only Busan and South Korea: the ranking must put the other seed first.
fs.copyFileSync(path.join(repo, 'editors/test-data/busan_port.txt'), path.join(ws, 'busan_port.txt'));
// Two articles whose figures disagree (fact-check diagnostics).
for (const name of ['facts_profit.txt', 'facts_plant.txt']) {
  fs.copyFileSync(path.join(repo, 'editors/test-data', name), path.join(ws, name));
}
fs.mkdirSync(path.join(userDir, 'User'), { recursive: true });
fs.mkdirSync(screens, { recursive: true });
for (const name of fs.readdirSync(screens)) {
  if (name.startsWith('vscode-') || name.startsWith('failed-')) fs.rmSync(path.join(screens, name));
}

const baseSettings = {
  'workbench.startupEditor': 'none',
  'workbench.colorTheme': 'Default Dark+',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'chat.commandCenter.enabled': false,
  'editor.minimap.enabled': false,
  'workbench.reduceMotion': 'on',
  'editor.wordWrap': 'on',
  'editor.fontSize': 14,
  'editor.gotoLocation.multipleDefinitions': 'goto',
  'editor.hover.delay': 100,
  'files.trimTrailingWhitespace': false,
  'newsls.server.path': newslsBin,
};
const customColours = {
  'editor.semanticTokenColorCustomizations': {
    enabled: true,
    // Scoped to Dark+: the last checks switch to the Modern themes to see their own colours.
    '[Default Dark+]': {
      enabled: true,
      rules: { organization: '#e63946', place: '#2a9d8f', figure: '#457be6', person: '#e9c46a' },
    },
  },
};
const settingsFile = path.join(userDir, 'User', 'settings.json');
fs.writeFileSync(settingsFile, JSON.stringify({ ...baseSettings, ...customColours }, null, 2));

execFileSync(codeServer, ['--user-data-dir', userDir, '--extensions-dir', extDir, '--install-extension', vsix], {
  stdio: ['ignore', 'ignore', 'inherit'],
});

const port = await freePort();
const serverLog = fs.openSync(path.join(tmp, 'code-server.log'), 'w');
const server = spawn(
  codeServer,
  [
    '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check',
    '--disable-workspace-trust', '--disable-getting-started-override', '--user-data-dir', userDir,
    '--extensions-dir', extDir, ws,
  ],
  { detached: true, stdio: ['ignore', serverLog, serverLog], env: { ...process.env, NEWSLS_LOG: 'info' } },
);
let browser;
async function cleanup() {
  await browser?.close().catch(() => undefined);
  try {
    process.kill(-server.pid, 'SIGTERM');
  } catch {
    // already gone
  }
}
process.on('SIGINT', () => cleanup().then(() => process.exit(130)));
process.on('SIGTERM', () => cleanup().then(() => process.exit(143)));

let page;
async function shot(name) {
  if (page) await page.screenshot({ path: path.join(screens, `${name}.png`) });
}

// --- Page helpers ---------------------------------------------------------------------------

const EDITOR = '.part.editor .editor-group-container.active .monaco-editor';

/**
 * Box and colour of the first rendered occurrence of `text` in the active editor as a run of
 * same-coloured spans (one token may be split by word wrap; spaces render as NBSP).
 */
async function spanBox(text, line, prefix = false) {
  return page.evaluate(
    ({ text, line, prefix, sel }) => {
      const norm = (s) => s.replace(/\u00a0/g, ' ');
      // The view lines of model line `line` (wrapped lines included), from the line numbers.
      const numbers = [...document.querySelectorAll(`${sel} .margin-view-overlays .line-numbers`)]
        .map((el) => ({ n: Number(el.textContent), y: el.getBoundingClientRect().y }))
        .filter((x) => x.n > 0)
        .sort((a, b) => a.y - b.y);
      const start = numbers.find((x) => x.n === line);
      if (line !== undefined && !start) return null;
      const next = numbers.find((x) => start && x.y > start.y);
      const lines = [...document.querySelectorAll(`${sel} .view-lines .view-line`)]
        .filter((el) => {
          if (line === undefined) return true;
          const y = el.getBoundingClientRect().y;
          return y >= start.y - 1 && (!next || y < next.y - 1);
        })
        .sort((a, b) => a.getBoundingClientRect().y - b.getBoundingClientRect().y);
      const spans = lines.flatMap((el) => [...el.querySelectorAll(':scope > span > span')]);
      for (let i = 0; i < spans.length; i++) {
        const colour = getComputedStyle(spans[i]).color;
        let joined = '';
        for (let j = i; j < spans.length && (joined.length < text.length || prefix); j++) {
          if (getComputedStyle(spans[j]).color !== colour) break;
          joined += norm(spans[j].textContent);
          const whole = j + 1 >= spans.length || getComputedStyle(spans[j + 1]).color !== colour;
          if (joined.trimEnd() === text || (prefix && whole && joined.startsWith(text + ' '))) {
            const r = spans[i].getBoundingClientRect();
            return { x: r.x + Math.min(r.width / 2, 20), y: r.y + r.height / 2, color: colour };
          }
        }
      }
      return null;
    },
    { text, line, prefix, sel: EDITOR },
  );
}

async function lineText() {
  return page.evaluate((sel) => {
    const lines = [...document.querySelectorAll(`${sel} .view-lines .view-line`)];
    return lines.map((l) => l.textContent.replace(/\u00a0/g, ' ')).join('\n');
  }, EDITOR);
}

/**
 * Rests the mouse on `box` until the editor hover shows (as a person would, it moves away and
 * comes back when a hover does not come up) and returns the hover text.
 */
async function hoverAt(box) {
  const visibleHover = () =>
    page.evaluate(() => {
      const el = document.querySelector('.monaco-editor .monaco-hover:not(.hidden) .monaco-hover-content');
      return el && el.textContent.trim() ? el.innerText : false;
    });
  let lastError;
  for (let attempt = 0; attempt < 4; attempt++) {
    await page.mouse.move(24, 600);
    await page.mouse.move(box.x + attempt, box.y, { steps: 5 });
    try {
      return await waitFor('the hover widget', 5000, visibleHover);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

/** [org, place, person, figure] counts shown by the newsls status bar item, or null. */
async function statusCounts() {
  const text = await page.evaluate(() => {
    for (const item of document.querySelectorAll('.statusbar-item')) {
      if (/\d+ org · \d+ place · \d+ person · \d+ fig/.test(item.textContent)) return item.textContent;
    }
    return '';
  });
  const match = text.match(/(\d+) org · (\d+) place · (\d+) person · (\d+) fig/);
  return match ? match.slice(1).map(Number) : null;
}

async function activeTab() {
  return page.evaluate(() => document.querySelector('.part.editor .tab.active')?.getAttribute('aria-label') ?? '');
}

const QUICK_INPUT = '.quick-input-widget:not([style*="display: none"]) input';

/**
 * Opens the quick input with F1, replaces its `>` prefix with `value` and waits for a row whose
 * label contains `rowText` to be focused (or any row with `rowText` undefined), then Enter. No
 * Control chord: Ctrl pressed with the mouse resting on the editor turns the word under it into
 * a definition link that stays.
 */
async function quickInput(value, rowText) {
  await page.keyboard.press('F1');
  await page.waitForSelector(QUICK_INPUT, { timeout: 10000 });
  await page.fill(QUICK_INPUT, value);
  if (rowText !== undefined) {
    await waitFor(`"${rowText}" in the quick input`, 10000, async () => {
      const rows = await page.evaluate(() =>
        [...document.querySelectorAll('.quick-input-list .monaco-list-row')].map((row) => ({
          text: row.querySelector('.label-name')?.textContent ?? row.textContent,
          focused: row.classList.contains('focused'),
        })),
      );
      const focused = rows.find((row) => row.focused);
      if (focused && focused.text.includes(rowText)) return true;
      const index = rows.findIndex((row) => row.text.includes(rowText));
      if (index > 0) await page.keyboard.press('ArrowDown');
      return false;
    });
  }
  await page.keyboard.press('Enter');
}

async function runCommand(title) {
  await quickInput(`>${title}`, title);
}

async function goToLine(line) {
  await quickInput(`:${line}`);
  await waitFor(`the cursor on line ${line}`, 5000, () =>
    page.evaluate(
      (l) => (document.querySelector('#status\\.editor\\.selection')?.textContent ?? '').includes(`Ln ${l},`),
      line,
    ),
  );
}

async function openFile(name) {
  await quickInput(name, name);
  await waitFor(`${name} as the active tab`, 10000, async () => (await activeTab()).includes(name));
}

/** Waits until `text` is rendered as one span of colour `colour` (after revealing `line`). */
async function expectColour(text, line, colour, prefix = false) {
  // A mouse resting on a word can restyle it (link hover): park it outside the editor.
  await page.mouse.move(24, 600);
  await goToLine(line);
  const box = await waitFor(`"${text}" in ${colour}`, 20000, async () => {
    const b = await spanBox(text, line, prefix);
    return b && b.color === colour ? b : false;
  }).catch(async (error) => {
    const b = await spanBox(text, line, prefix);
    throw new Error(`${error.message}; span: ${JSON.stringify(b)}`);
  });
  return box;
}

function lineOf(file, text) {
  const lines = fs.readFileSync(path.join(ws, file), 'utf8').split('\n');
  const index = lines.findIndex((l) => l.includes(text));
  if (index < 0) throw new Error(`${text} not in ${file}`);
  return index + 1;
}

// --- The test -------------------------------------------------------------------------------

try {
  await waitFor('code-server to listen', 30000, async () => {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null);
    return res?.ok;
  });
  browser = await pw.launch({
    executablePath: chromium,
    headless: true,
    args: [
      '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-quic', '--disable-dev-shm-usage',
    ],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });

  await check('workbench loads with the workspace', async () => {
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(ws)}`);
    await page.waitForSelector('.monaco-workbench', { timeout: 30000 });
    await waitFor('the explorer to list the seeds', 20000, () =>
      page.evaluate((n) => document.body.innerText.includes(n), SEED_A),
    );
  });

  await check('open the first seed', async () => {
    await openFile(SEED_A);
    await waitFor('the article text', 10000, async () => (await lineText()).includes('Renault Korea'));
  });

  await check('colour: Renault Korea Motors is an organization', async () => {
    await expectColour('Renault Korea Motors', lineOf(SEED_A, 'Renault Korea Motors (RKM)'), ORG);
  });
  await check('colour: RKM and Polestar are organizations', async () => {
    await expectColour('RKM', lineOf(SEED_A, 'Renault Korea Motors (RKM)'), ORG);
    await expectColour('Polestar', lineOf(SEED_A, 'Renault Korea Motors (RKM)'), ORG);
  });
  await check('colour: Busan is a place', async () => {
    await expectColour('Busan', lineOf(SEED_A, 'Renault Korea Motors (RKM)'), PLACE, true);
  });
  await check('colour: 300,000 units and $1.3 billion are figures', async () => {
    await expectColour('300,000 units', lineOf(SEED_A, '300,000 units'), FIGURE);
    await expectColour('$1.3 billion', lineOf(SEED_A, '$1.3 billion'), FIGURE);
  });
  await check('colour: Stephane Deblaise is a person', async () => {
    await expectColour('Stephane Deblaise', lineOf(SEED_A, 'Stephane Deblaise'), PERSON);
    await goToLine(lineOf(SEED_A, 'Renault Korea Motors (RKM)'));
    await shot('vscode-colours-custom');
  });

  await check('status bar: entity counts of the article', async () => {
    const counts = await waitFor('the newsls status item with counts', 20000, statusCounts);
    expect(counts[0] >= 3 && counts[1] >= 1 && counts[2] >= 1 && counts[3] >= 2, `counts ${counts}`);
  });

  await check('hover: Busan names the other article', async () => {
    const line = lineOf(SEED_A, 'Renault Korea Motors (RKM)');
    const box = await expectColour('Busan', line, PLACE, true);
    const text = await hoverAt(box);
    await shot('vscode-hover');
    expect(/place/i.test(text), `hover lacks the kind: ${text}`);
    const other = fs.readFileSync(path.join(ws, SEED_B), 'utf8');
    const titleWords = other.split('\n').find((l) => l.trim()).slice(0, 25);
    expect(text.includes(SEED_B) || text.includes(titleWords), `hover does not name ${SEED_B}: ${text}`);
    await page.keyboard.press('Escape');
  });

  await check('F12 on Busan lands in the other article', async () => {
    const line = lineOf(SEED_A, 'Renault Korea Motors (RKM)');
    const box = await expectColour('Busan', line, PLACE, true);
    await page.mouse.click(box.x, box.y);
    await page.keyboard.press('F12');
    await waitFor(`${SEED_B} as the active tab`, 15000, async () => (await activeTab()).includes(SEED_B));
    const target = fs.readFileSync(path.join(ws, SEED_B), 'utf8').split('\n');
    let selection = '';
    await waitFor('the cursor on Busan in the other article', 10000, async () => {
      selection = await page.evaluate(() => document.querySelector('#status\\.editor\\.selection')?.textContent ?? '');
      const [, ln, col] = selection.match(/Ln (\d+), Col (\d+)/) ?? [];
      return ln && (target[Number(ln) - 1] ?? '').slice(Number(col) - 1).startsWith('Busan');
    }).catch((error) => {
      throw new Error(`${error.message}; status bar: ${selection}`);
    });
    await shot('vscode-definition');
  });

  // The first row of the related-articles quick pick, or false while it is not shown.
  const relatedPickFirstRow = () =>
    page.evaluate(() => {
      const widget = document.querySelector('.quick-input-widget');
      if (!widget || getComputedStyle(widget).display === 'none') return false;
      const title = widget.querySelector('.quick-input-title')?.textContent ?? '';
      const row = widget.querySelector('.quick-input-list .monaco-list-row');
      return title.includes('related') && row ? row.textContent : false;
    });

  await check('related articles: the quick pick lists the other seed first', async () => {
    await openFile(SEED_A);
    await runCommand('newsls: Show Related Articles');
    const first = await waitFor('the related-articles quick pick', 15000, () =>
      relatedPickFirstRow(),
    );
    await shot('vscode-related');
    expect(first.includes(SEED_B) || first.includes('score'), `first row: ${first}`);
    expect(first.includes(SEED_B), `first related article is not ${SEED_B}: ${first}`);
    await page.keyboard.press('Enter');
    await waitFor(`${SEED_B} opened from the quick pick`, 15000, async () => (await activeTab()).includes(SEED_B));
  });

  await check('typing: a new sentence (é, Korean, emoji: UTF-16) is coloured at the right place', async () => {
    await openFile(SEED_A);
    await page.mouse.move(24, 600);
    const lines = fs.readFileSync(path.join(ws, SEED_A), 'utf8').split('\n').length;
    await goToLine(lines);
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    const sentence = 'À Séoul 🚗, 부산 officials said “Renault Korea Motors” will build 300,000 units in Busan.';
    await page.keyboard.type(sentence);
    const typedLine = lines + 2;
    await expectColour('Renault Korea Motors', typedLine, ORG);
    await expectColour('300,000 units', typedLine, FIGURE);
    await shot('vscode-typing');
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Kestrel Batteries Inc. said it will invest $45 million in the plant.');
    await expectColour('Kestrel Batteries Inc.', typedLine + 1, ORG);
    await expectColour('$45 million', typedLine + 1, FIGURE);
  });

  await check('code lens: "N related articles" opens the related-articles quick pick', async () => {
    await openFile(SEED_A);
    await goToLine(1);
    const lens = await waitFor('the related-articles code lens', 15000, () =>
      page.evaluate((sel) => {
        for (const a of document.querySelectorAll(`${sel} .codelens-decoration a`)) {
          if (/\d+ related articles?/.test(a.textContent)) {
            const r = a.getBoundingClientRect();
            return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
          }
        }
        return false;
      }, EDITOR),
    );
    await page.mouse.click(lens.x, lens.y);
    const first = await waitFor('the quick pick from the lens', 15000, () =>
      relatedPickFirstRow(),
    );
    expect(first.includes(SEED_B), `first related article is not ${SEED_B}: ${first}`);
    await page.keyboard.press('Escape');
  });

  await check('code action (Ctrl+.): marking a selection as organization colours it', async () => {
    await openFile(SEED_A);
    await page.mouse.move(24, 600);
    const text = 'Industrial Media Staff';
    const line = lineOf(SEED_A, text);
    await goToLine(line);
    await page.keyboard.press('Home');
    await page.keyboard.press('Shift+End');
    await page.keyboard.press('Control+.');
    const item = await waitFor('the "as organization" code action', 15000, () =>
      page.evaluate(() => {
        for (const row of document.querySelectorAll('.action-widget .monaco-list-row')) {
          if (row.textContent.includes('as organization')) {
            const r = row.getBoundingClientRect();
            return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
          }
        }
        return false;
      }),
    );
    await shot('vscode-code-action');
    await page.mouse.click(item.x, item.y);
    await expectColour(text, line, ORG);
    const saved = await waitFor('the annotation file', 10000, () => {
      const file = path.join(ws, '.newsls', 'annotations.toml');
      return fs.existsSync(file) && fs.readFileSync(file, 'utf8');
    });
    expect(saved.includes(text), `annotation file lacks ${text}`);
  });

  await check('fact checks: the Problems panel lists one diagnostic of each kind; the hover says so', async () => {
    await openFile('facts_profit.txt');
    await runCommand('View: Focus Problems');
    const rows = await waitFor('the three fact-check problems', 20000, () =>
      page.evaluate(() => {
        const texts = [...document.querySelectorAll('.markers-panel .monaco-list-row')].map((r) => r.textContent);
        const all = texts.join('\n');
        return ['figure-conflict', 'change-mismatch', 'total-mismatch'].every((c) => all.includes(c)) && texts;
      }),
    );
    const all = rows.join('\n');
    expect(all.includes('1,800 employees') && all.includes('ACME PLANT'), `conflict row: ${all}`);
    expect(all.includes('a rise of 25 pct'), `change row: ${all}`);
    const line = lineOf('facts_profit.txt', 'approximately 2,000');
    const box = await expectColour('approximately 2,000 employees', line, FIGURE);
    const text = await hoverAt(box);
    // The picture waits until the hover has faded in over the text.
    await waitFor('the hover fully shown', 3000, () =>
      page.evaluate(() => {
        const el = document.querySelector('.monaco-editor .monaco-hover:not(.hidden)');
        return el && getComputedStyle(el).opacity === '1' && !el.getAnimations().some((a) => a.playState === 'running');
      }),
    );
    await shot('vscode-fact-checks');
    expect(text.includes('Figure conflict') && text.includes('1,800 employees'), `hover: ${text}`);
    await page.keyboard.press('Escape');
    await runCommand('View: Hide Panel');
  });

  await check('settings: unticking newsls.kinds.person removes the person colour', async () => {
    await openFile(SEED_A);
    const line = lineOf(SEED_A, 'Stephane Deblaise');
    await expectColour('Stephane Deblaise', line, PERSON);
    const toggle = async () => {
      await runCommand('Preferences: Open User Settings');
      const search = '.settings-editor .suggest-input-container textarea, .settings-editor .search-container textarea';
      await page.waitForSelector(search, { timeout: 10000 });
      await page.fill(search, 'newsls.kinds.person');
      const box = '.settings-editor .setting-item-bool .setting-value-checkbox';
      await waitFor('the newsls.kinds.person checkbox', 10000, () =>
        page.evaluate(
          (sel) => [...document.querySelectorAll(sel)].length === 1 && document.body.innerText.includes('Recognise and highlight people'),
          box,
        ),
      );
      await page.click(box);
    };
    await toggle();
    await shot('vscode-settings');
    await openFile(SEED_A);
    await goToLine(line);
    await waitFor('Stephane Deblaise without the person colour', 15000, async () => {
      const b = await spanBox('Stephane Deblaise', line);
      return !b || b.color !== PERSON;
    });
    await waitFor('the status bar to count 0 people', 10000, () => statusCounts().then((c) => c && c[2] === 0));
    await toggle();
    await openFile(SEED_A);
    await expectColour('Stephane Deblaise', line, PERSON);
    await waitFor('the status bar to count people again', 10000, () => statusCounts().then((c) => c && c[2] > 0));
  });

  /** Switches the colour theme with the theme picker and returns the four entity colours. */
  async function themeColours(theme, light) {
    await openFile(SEED_A);
    await page.mouse.move(24, 600);
    await runCommand('Preferences: Color Theme');
    await page.keyboard.type(theme);
    await waitFor(`${theme} in the theme picker`, 10000, () =>
      page.evaluate(
        (t) => document.querySelector('.quick-input-list .monaco-list-row.focused')?.textContent.includes(t),
        theme,
      ),
    );
    await page.keyboard.press('Enter');
    await waitFor(`the ${theme} theme`, 10000, () =>
      page.evaluate((cls) => document.querySelector(`.monaco-workbench.${cls}`) !== null, light ? 'vs' : 'vs-dark'),
    );
    const colours = {};
    await waitFor('theme colours (not the custom ones)', 20000, async () => {
      for (const [kind, text, lineText] of [
        ['organization', 'Renault Korea Motors', 'Renault Korea Motors (RKM)'],
        ['place', 'Busan', 'Renault Korea Motors (RKM)'],
        ['person', 'Stephane Deblaise', 'Stephane Deblaise'],
        ['figure', '300,000 units', '300,000 units'],
      ]) {
        const line = lineOf(SEED_A, lineText);
        await goToLine(line);
        colours[kind] = (await spanBox(text, line, kind === 'place'))?.color ?? null;
      }
      return Object.values(colours).every((c) => c && ![ORG, PLACE, FIGURE, PERSON].includes(c));
    }).catch((error) => {
      throw new Error(`${error.message}: ${JSON.stringify(colours)}`);
    });
    const distinct = new Set(Object.values(colours));
    expect(distinct.size === 4, `${theme} colours not distinct: ${JSON.stringify(colours)}`);
    const plainText = 'The deal was reached for the production of';
    const plainLine = lineOf(SEED_A, plainText);
    await goToLine(plainLine);
    const plain = (await spanBox(plainText, plainLine))?.color;
    expect(plain && !distinct.has(plain), `plain text colour ${plain} is an entity colour: ${JSON.stringify(colours)}`);
    await goToLine(lineOf(SEED_A, 'Renault Korea Motors (RKM)'));
    return colours;
  }

  await check('theme colours: Light Modern colours the four types distinctly', async () => {
    await themeColours('Light Modern', true);
    await shot('vscode-colours-light');
  });

  await check('theme colours: Dark Modern colours the four types distinctly', async () => {
    await themeColours('Dark Modern', false);
    // The picture for the README: theme colours and the hover on Busan.
    const line = lineOf(SEED_A, 'Renault Korea Motors (RKM)');
    const box = await spanBox('Busan', line, true);
    expect(box, 'Busan not found');
    await hoverAt(box);
    await waitFor('the hover widget, fully drawn', 15000, () =>
      page.evaluate(() => {
        const el = document.querySelector('.monaco-editor .monaco-hover:not(.hidden) .monaco-hover-content');
        for (let node = el; node && node !== document.body; node = node.parentElement) {
          if (getComputedStyle(node).opacity !== '1') return false;
        }
        return !!el && el.getAnimations({ subtree: true }).length === 0;
      }),
    );
    await shot('vscode-colours-dark-hover');
    await page.mouse.move(24, 600);
  });
  await check('missing server binary: an error with a "How to install" button', async () => {
    await runCommand('Preferences: Open User Settings');
    const search = '.settings-editor .suggest-input-container textarea, .settings-editor .search-container textarea';
    await page.waitForSelector(search, { timeout: 10000 });
    await page.fill(search, 'newsls.server.path');
    // A machine-scoped setting: in code-server it lives in the Remote settings.
    await page.click('.settings-editor .settings-tabs-widget .action-label:has-text("Remote")');
    const input = '.settings-editor .setting-item-text input';
    await waitFor('the newsls.server.path input', 10000, () =>
      page.evaluate((sel) => document.querySelectorAll(sel).length === 1, input),
    );
    await page.fill(input, '/nonexistent/newsls');
    await page.keyboard.press('Tab');
    const toast = await waitFor('the missing-binary notification', 20000, () =>
      page.evaluate(() => {
        for (const el of document.querySelectorAll('.notifications-toasts .notification-toast')) {
          if (el.textContent.includes('/nonexistent/newsls')) return el.innerText;
        }
        return false;
      }),
    );
    await shot('vscode-missing-binary');
    expect(/not found/.test(toast) && toast.includes('How to install'), `notification: ${toast}`);
    await page.click('.notifications-toasts .notification-toast a.monaco-button:has-text("How to install")');
    // The extension's README (install steps) opens in the Markdown preview; its webview content
    // does not render in headless code-server, so the check stops at the tab.
    await waitFor('the install instructions tab', 15000, async () => /README/.test(await activeTab()));
  });
} catch (error) {
  failed++;
  out(`FAILED (setup) ${String(error?.stack ?? error)}`);
} finally {
  await shot('vscode-final').catch(() => undefined);
  await cleanup();
}
const logs = path.join(tmp, 'code-server.log');
if (failed) out(`code-server log: ${logs}; extension host logs under ${path.join(userDir, 'logs')}`);
else fs.rmSync(tmp, { recursive: true, force: true });
out(`${passed} passed, ${failed} failed (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
process.exit(failed === 0 ? 0 : 1);
