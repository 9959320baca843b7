#!/usr/bin/env bash
# VS Code end-to-end test: installs Debian's Chromium, code-server 4.100.3 (= VS Code 1.100.3) and
# playwright-core under target/editor-tools/ (cached), builds and packages the extension
# (editors/vscode -> target/editor-tools/newsls.vsix), then runs editors/vscode/test/ui.mjs
# against the real server ($NEWSLS_BIN, default target/{release,debug}/newsls).
# Screenshots: target/editor-screens/. Prints "N passed, N failed".
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
start=$(date +%s)

CODE_SERVER_VERSION=4.100.3
NODE_TOOLS="$TOOLS/node"

apt_install chromium libkrb5-dev ripgrep

installed_version() {
  node -p "require('$NODE_TOOLS/node_modules/code-server/package.json').version" 2>/dev/null || true
}
if [ "$(installed_version)" != "$CODE_SERVER_VERSION" ] || [ ! -d "$NODE_TOOLS/node_modules/playwright-core" ]; then
  log "installing code-server $CODE_SERVER_VERSION and playwright-core (npm)"
  mkdir -p "$NODE_TOOLS"
  # @vscode/ripgrep downloads rg in postinstall: seed its cache with Debian's rg.
  rgc="$(node -p "require('os').tmpdir()")/vscode-ripgrep-cache-1.15.11"
  mkdir -p "$rgc/x"
  cp /usr/bin/rg "$rgc/x/rg"
  tar czf "$rgc/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$rgc/x" rg
  [ -f "$NODE_TOOLS/package.json" ] || echo '{"name":"newsls-editor-tools","private":true}' >"$NODE_TOOLS/package.json"
  (cd "$NODE_TOOLS" && npm_config_nodedir=/usr npm_config_unsafe_perm=true npm_config_yes=true \
    timeout 600 npm install --no-audit --no-fund --loglevel=error \
    "code-server@$CODE_SERVER_VERSION" "playwright-core@1" >/dev/null)
fi

# Build and package the extension (npm ci only when the lock file changed).
EXT="$ROOT/editors/vscode"
if [ ! -f "$EXT/node_modules/.package-lock.json" ] || [ "$EXT/package-lock.json" -nt "$EXT/node_modules/.package-lock.json" ]; then
  log "npm ci (extension)"
  (cd "$EXT" && timeout 600 npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
VSIX="$TOOLS/newsls.vsix"
if [ ! -f "$VSIX" ] || [ -n "$(find "$EXT/src" "$EXT/package.json" "$EXT/README.md" "$EXT/LICENSE" \
  "$EXT/esbuild.mjs" "$EXT/node_modules/.package-lock.json" -newer "$VSIX" 2>/dev/null | head -n 1)" ]; then
  log "packaging the extension"
  (cd "$EXT" && npx --no-install tsc --noEmit -p . && node esbuild.mjs --production &&
    npx --no-install vsce package --no-dependencies --no-update-package-json --out "$VSIX" >/dev/null)
fi

resolve_newsls_bin

# Unit tests of the pure helpers (settings sent to the server, entity counts).
(cd "$EXT" && npx --no-install esbuild src/shared.ts --bundle --platform=node --format=cjs \
  --outfile="$TOOLS/shared.cjs" --log-level=warning)
NEWSLS_SHARED_MODULE="$TOOLS/shared.cjs" timeout 60 node --test --test-reporter=dot "$EXT/test/shared.test.mjs"
log "extension unit tests passed"

status=0
CODE_SERVER="$NODE_TOOLS/node_modules/.bin/code-server" \
  PLAYWRIGHT_CORE="$NODE_TOOLS/node_modules/playwright-core" \
  NEWSLS_VSIX="$VSIX" SCREENS="$ROOT/target/editor-screens" \
  timeout 300 node "$EXT/test/ui.mjs" || status=$?
log "VS Code suite took $(($(date +%s) - start)) s"
exit "$status"
