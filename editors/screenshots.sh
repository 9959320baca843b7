#!/usr/bin/env bash
# Refreshes the README screenshots in editors/screenshots/ from the real editors: Neovim in tmux
# (capture-pane rendered with Chromium) and the VS Code shots of the last editors/test-vscode.sh
# run (target/editor-screens/). Run editors/test-nvim.sh and editors/test-vscode.sh first (they
# install the tools). Needs tmux.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
resolve_newsls_bin
apt_install tmux pngquant

OUT="$ROOT/editors/screenshots"
NVIM="$TOOLS/venv-nvim/bin/nvim"
PLAYWRIGHT_CORE="$TOOLS/node/node_modules/playwright-core"
export PLAYWRIGHT_CORE
[ -x "$NVIM" ] && [ -d "$PLAYWRIGHT_CORE" ] || { log "run editors/test-nvim.sh and editors/test-vscode.sh first"; exit 2; }
mkdir -p "$OUT"

WORK="$(mktemp -d)"
SOCKET="newsls-shots-$$"
trap 'tmux -L "$SOCKET" kill-server 2>/dev/null || true; [ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"' EXIT
mkdir -p "$WORK/ws/.newsls"
cp "$ROOT/seeds/000_b048b9770dc2da2d.txt" "$ROOT/seeds/004_12b826b37803d7ae.txt" \
  "$ROOT/editors/test-data/busan_port.txt" "$WORK/ws/"

COLS=110 ROWS=30
for shot in colours hover related; do
  rm -f "$WORK/ready"
  tmux -L "$SOCKET" -f /dev/null new-session -d -s "$shot" -x "$COLS" -y "$ROWS" -c "$WORK/ws" \
    "env TERM=tmux-256color COLORTERM=truecolor NEWSLS_BIN='$NEWSLS_BIN' NEWSLS_SHOT=$shot \
     NEWSLS_SHOT_FILE=000_b048b9770dc2da2d.txt NEWSLS_SHOT_READY='$WORK/ready' \
     XDG_STATE_HOME='$WORK/state' '$NVIM' --clean --cmd 'set rtp^=$ROOT/editors/nvim' \
     -c 'luafile $ROOT/editors/nvim/test/screenshot.lua'"
  for _ in $(seq 1 300); do [ -f "$WORK/ready" ] && break; sleep 0.05; done
  [ -f "$WORK/ready" ] || { log "Neovim did not get ready for the $shot shot"; exit 1; }
  # The ready file is written after a redraw; give tmux the frame.
  for _ in $(seq 1 40); do
    tmux -L "$SOCKET" capture-pane -p -e -t "$shot" >"$WORK/$shot.ansi"
    grep -q $'\e\\[38;2' "$WORK/$shot.ansi" && break
    sleep 0.05
  done
  node "$ROOT/editors/lib/ansi2png.mjs" "$WORK/$shot.ansi" "$OUT/nvim-$shot.png" "$COLS"
  tmux -L "$SOCKET" kill-session -t "$shot"
  log "editors/screenshots/nvim-$shot.png"
done

for name in vscode-colours-dark-hover vscode-colours-light vscode-related vscode-code-action vscode-fact-checks; do
  if [ -f "$ROOT/target/editor-screens/$name.png" ]; then
    cp "$ROOT/target/editor-screens/$name.png" "$OUT/$name.png"
    log "editors/screenshots/$name.png"
  fi
done
# Small files for the repository: 256-colour palettes (lossy, text stays sharp).
for png in "$OUT"/*.png; do
  pngquant --quality 60-90 --speed 1 --strip --force --output "$png" "$png" || true
done
