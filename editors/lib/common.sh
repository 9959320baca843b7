# Shared by editors/test-nvim.sh and editors/test-vscode.sh: repo paths, the tools cache and the
# server binary. Sourced, not executed.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOOLS="${NEWSLS_EDITOR_TOOLS:-$ROOT/target/editor-tools}"
mkdir -p "$TOOLS"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# The server binary: $NEWSLS_BIN, else the newer of target/release/newsls and target/debug/newsls,
# else a debug build made now.
resolve_newsls_bin() {
  if [ -n "${NEWSLS_BIN:-}" ]; then
    NEWSLS_BIN="$(cd "$(dirname "$NEWSLS_BIN")" && pwd)/$(basename "$NEWSLS_BIN")"
  else
    local release="$ROOT/target/release/newsls" debug="$ROOT/target/debug/newsls"
    if [ -x "$release" ] && { [ ! -x "$debug" ] || [ "$release" -nt "$debug" ]; }; then
      NEWSLS_BIN="$release"
    elif [ -x "$debug" ]; then
      NEWSLS_BIN="$debug"
    else
      log "building newsls (debug)"
      cargo build --quiet --manifest-path "$ROOT/Cargo.toml" --bin newsls
      NEWSLS_BIN="$debug"
    fi
  fi
  if [ ! -x "$NEWSLS_BIN" ]; then
    log "newsls binary not found: $NEWSLS_BIN"
    exit 2
  fi
  export NEWSLS_BIN
  log "server: $NEWSLS_BIN"
}

# Installs Debian packages that are missing (needs root or sudo).
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "apt-get install ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null ||
    { $sudo apt-get update >/dev/null && $sudo apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null; }
}
