# Shared helpers for scripts/*. Sourced, not run.
set -euo pipefail

repo_root() { cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd; }

# Installs Debian packages that are missing (the machine runs as root; sudo when not).
ensure_apt_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  if ((${#missing[@]})); then
    echo "==> installing ${missing[*]}" >&2
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2
  fi
}

ensure_build_dependencies() {
  ensure_apt_packages libssl-dev libsqlite3-dev pkg-config
}

# The repo's Python virtual environment .venv with the given requirements files installed
# (default e2e/python/requirements.txt); the venv is created only when missing, and each file
# is reinstalled only when it changed (one checksum per file in .venv/.requirements-<path>.sha256),
# so scripts with different requirements share one venv. PYTHON_VENV names another venv
# (scripts/bench keeps its peers in .bench/venv).
ensure_python_venv() {
  local venv="${PYTHON_VENV:-.venv}"
  (($#)) || set -- e2e/python/requirements.txt
  if ! command -v python3 >/dev/null 2>&1 || ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
    ensure_apt_packages python3 python3-venv
  fi
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  local requirements wanted marker
  for requirements in "$@"; do
    wanted=$(sha256sum "$requirements" | cut -d' ' -f1)
    marker="$venv/.requirements-${requirements//\//-}.sha256"
    if [ "$(cat "$marker" 2>/dev/null)" != "$wanted" ]; then
      echo "==> python venv: installing $requirements" >&2
      "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements" >&2
      echo "$wanted" >"$marker"
    fi
  done
}

# Starts the built `latchkey demo` BINARY on free ports with a fresh data directory under WORK
# and the given password, and waits (up to 30 s) for its "ready issuer=… mcp=…" line on stderr.
# Sets DEMO_PID, DEMO_ISSUER and DEMO_MCP_URL; its stdout/stderr go to WORK/stdout, WORK/stderr.
start_demo() {
  local binary=$1 work=$2 password=$3
  "$binary" demo --user demo --password "$password" --port 0 --mcp-port 0 \
    --data-dir "$work/data" >"$work/stdout" 2>"$work/stderr" &
  DEMO_PID=$!
  for _ in $(seq 1 300); do
    grep -q "^ready " "$work/stderr" && break
    kill -0 "$DEMO_PID" 2>/dev/null || break
    sleep 0.1
  done
  if ! grep -q "^ready " "$work/stderr"; then
    echo "latchkey demo did not become ready; its stderr:" >&2
    cat "$work/stderr" >&2
    return 1
  fi
  DEMO_ISSUER=$(sed -n 's/^ready .*issuer=\([^ ]*\).*/\1/p' "$work/stderr" | head -n 1)
  DEMO_MCP_URL=$(sed -n 's/^ready .*mcp=\([^ ]*\).*/\1/p' "$work/stderr" | head -n 1)
}

# Stops the demo started by start_demo with SIGTERM; fails when it does not exit within 10 s or
# exits non-zero (a graceful stop is part of what the end-to-end scripts check).
stop_demo() {
  local work=$1 status=0
  [ -n "${DEMO_PID:-}" ] || return 0
  kill -TERM "$DEMO_PID" 2>/dev/null || true
  for _ in $(seq 1 100); do
    kill -0 "$DEMO_PID" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$DEMO_PID" 2>/dev/null; then
    echo "latchkey demo did not stop within 10 s of SIGTERM" >&2
    kill -KILL "$DEMO_PID" 2>/dev/null || true
    status=1
  fi
  wait "$DEMO_PID" || status=$?
  if [ "$status" -ne 0 ]; then
    echo "latchkey demo exited with $status after SIGTERM; its stderr (tail):" >&2
    tail -n 20 "$work/stderr" >&2
  fi
  DEMO_PID=""
  return "$status"
}
