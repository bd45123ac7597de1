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

# A Python virtual environment (default .venv with tests/python/requirements.txt; scripts/bench
# passes its own pair) with the requirements installed; created only when missing, reinstalled
# only when the requirements file changed.
ensure_python_venv() {
  local requirements="${1:-tests/python/requirements.txt}" venv="${2:-.venv}"
  if ! command -v python3 >/dev/null 2>&1 || ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
    ensure_apt_packages python3 python3-venv
  fi
  local wanted
  wanted=$(sha256sum "$requirements" | cut -d' ' -f1)
  if [ ! -x "$venv/bin/python" ] || [ "$(cat "$venv/.requirements.sha256" 2>/dev/null)" != "$wanted" ]; then
    echo "==> python venv: installing $requirements" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements" >&2
    echo "$wanted" >"$venv/.requirements.sha256"
  fi
}
