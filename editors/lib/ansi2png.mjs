// Renders a terminal capture (`tmux capture-pane -p -e`: text with SGR colour escapes) to a PNG
// with Chromium, so that the README can show what Neovim really drew.
//
//   PLAYWRIGHT_CORE=… node editors/lib/ansi2png.mjs capture.ansi out.png [columns]

import fs from 'node:fs';
import { createRequire } from 'node:module';

const [input, output, columnsArg] = process.argv.slice(2);
const columns = Number(columnsArg ?? 120);
const { chromium } = createRequire(import.meta.url)(process.env.PLAYWRIGHT_CORE);

const BASIC = [
  '#07080d', '#ffc0b9', '#b3f6c0', '#fce094', '#a6dbff', '#ffcaff', '#8cf8f7', '#eef1f8',
  '#4f5258', '#ffc0b9', '#b3f6c0', '#fce094', '#a6dbff', '#ffcaff', '#8cf8f7', '#eef1f8',
];
const DEFAULT_FG = '#e0e2ea';
const DEFAULT_BG = '#14161b';

function xterm256(n) {
  if (n < 16) return BASIC[n];
  if (n >= 232) {
    const v = 8 + (n - 232) * 10;
    return `rgb(${v},${v},${v})`;
  }
  const i = n - 16;
  const level = (x) => (x === 0 ? 0 : 55 + x * 40);
  return `rgb(${level(Math.floor(i / 36))},${level(Math.floor(i / 6) % 6)},${level(i % 6)})`;
}

const escape = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function lineToHtml(line) {
  let state = { fg: null, bg: null, bold: false, italic: false, underline: false, reverse: false };
  let html = '';
  let last = 0;
  const flush = (text) => {
    if (!text) return;
    let fg = state.fg ?? DEFAULT_FG;
    let bg = state.bg;
    if (state.reverse) [fg, bg] = [bg ?? DEFAULT_BG, fg];
    const style = [
      `color:${fg}`,
      bg ? `background:${bg}` : '',
      state.bold ? 'font-weight:bold' : '',
      state.italic ? 'font-style:italic' : '',
      state.underline ? 'text-decoration:underline' : '',
    ]
      .filter(Boolean)
      .join(';');
    html += `<span style="${style}">${escape(text)}</span>`;
  };
  const re = /\x1b\[([0-9;:]*)m/g;
  let match;
  while ((match = re.exec(line))) {
    flush(line.slice(last, match.index));
    last = re.lastIndex;
    const params = (match[1] || '0').split(/[;:]/).map(Number);
    for (let i = 0; i < params.length; i++) {
      const p = params[i];
      if (p === 0) state = { fg: null, bg: null, bold: false, italic: false, underline: false, reverse: false };
      else if (p === 1) state.bold = true;
      else if (p === 3) state.italic = true;
      else if (p === 4) state.underline = true;
      else if (p === 7) state.reverse = true;
      else if (p === 22) state.bold = false;
      else if (p === 23) state.italic = false;
      else if (p === 24) state.underline = false;
      else if (p === 27) state.reverse = false;
      else if (p >= 30 && p <= 37) state.fg = BASIC[p - 30];
      else if (p >= 90 && p <= 97) state.fg = BASIC[p - 90 + 8];
      else if (p === 39) state.fg = null;
      else if (p >= 40 && p <= 47) state.bg = BASIC[p - 40];
      else if (p >= 100 && p <= 107) state.bg = BASIC[p - 100 + 8];
      else if (p === 49) state.bg = null;
      else if ((p === 38 || p === 48) && params[i + 1] === 2) {
        const colour = `rgb(${params[i + 2]},${params[i + 3]},${params[i + 4]})`;
        if (p === 38) state.fg = colour;
        else state.bg = colour;
        i += 4;
      } else if ((p === 38 || p === 48) && params[i + 1] === 5) {
        if (p === 38) state.fg = xterm256(params[i + 2]);
        else state.bg = xterm256(params[i + 2]);
        i += 2;
      }
    }
  }
  flush(line.slice(last));
  return html;
}

const lines = fs.readFileSync(input, 'utf8').replace(/\n$/, '').split('\n');
const body = lines.map((l) => `<div class="l">${lineToHtml(l) || '&nbsp;'}</div>`).join('');
const page = `<!doctype html><meta charset="utf-8"><style>
body{margin:0;background:${DEFAULT_BG}}
#t{display:inline-block;padding:8px;font:14px/19px "DejaVu Sans Mono",monospace;white-space:pre;width:${columns}ch}
.l{height:19px}
.l span{display:inline-block;height:19px;vertical-align:top}
</style><div id="t">${body}</div>`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
try {
  const tab = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await tab.setContent(page);
  await (await tab.$('#t')).screenshot({ path: output });
} finally {
  await browser.close();
}
