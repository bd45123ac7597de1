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
# DEMO_PORT fixes the authorization server's port (default 0: a free one); further arguments
# go to `latchkey demo` (e.g. --config FILE).
start_demo() {
  local binary=$1 work=$2 password=$3
  "$binary" demo --user demo --password "$password" --port "${DEMO_PORT:-0}" --mcp-port 0 \
    --data-dir "$work/data" "${@:4}" >"$work/stdout" 2>"$work/stderr" &
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

# A free TCP port on 127.0.0.1 (free when asked; the caller binds it soon after).
free_loopback_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# A real OpenID Connect provider on loopback (e2e/idp: django-oauth-toolkit with OIDC_ENABLED,
# installed into .venv from e2e/idp/requirements.txt): a fresh SQLite database, RSA key (made
# with openssl) and Django secret under WORK/idp, the users of e2e/idp/users.json with random
# passwords, and, when CALLBACK is given, Latchkey registered as a confidential client (id
# CLIENT_ID, default "latchkey"; authorization code, RS256, DOT's own consent page kept) with
# CALLBACK as its redirect URI. Waits (up to 30 s) for the discovery document. Sets IDP_PID,
# IDP_ISSUER (http://127.0.0.1:<port>/o), IDP_CLIENT_ID, IDP_CLIENT_SECRET_FILE (mode 0600,
# one line) and IDP_USERS_FILE ({username: {password, sub}}, mode 0600); its log is WORK/idp.log.
start_idp_provider() {
  local work=$1 callback=${2:-} client_id=${3:-latchkey}
  local root
  root="$(repo_root)"
  command -v openssl >/dev/null || ensure_apt_packages openssl
  ensure_python_venv e2e/idp/requirements.txt
  local python="$root/.venv/bin/python" data="$work/idp"
  mkdir -p "$data"
  chmod 700 "$data"
  openssl genrsa -out "$data/oidc-rsa.pem" 2048 2>/dev/null
  od -An -N32 -tx1 /dev/urandom | tr -d ' \n' >"$data/django-secret-key"
  local port
  port=$(free_loopback_port)
  IDP_ISSUER="http://127.0.0.1:$port/o"
  export IDP_DATA_DIR="$data" IDP_ISSUER
  local manage=("$python" "$root/e2e/idp/manage.py")
  "${manage[@]}" migrate --verbosity 0
  IDP_USERS_FILE="$data/users.json"
  "${manage[@]}" seed_users "$root/e2e/idp/users.json" "$IDP_USERS_FILE" >/dev/null
  IDP_CLIENT_ID="$client_id"
  IDP_CLIENT_SECRET_FILE="$data/client-secret"
  if [ -n "$callback" ]; then idp_register_client "$callback" "$client_id"; fi
  idp_serve "$work"
}

# Starts the provider prepared by start_idp_provider (runserver --noreload on IDP_ISSUER's
# port, log appended to WORK/idp.log) and waits up to 30 s for its discovery document.
idp_serve() {
  local work=$1
  local root python port discovery="$IDP_ISSUER/.well-known/openid-configuration"
  root="$(repo_root)"
  python="$root/.venv/bin/python"
  port=${IDP_ISSUER#http://127.0.0.1:}
  port=${port%%/*}
  "$python" "$root/e2e/idp/manage.py" runserver "127.0.0.1:$port" --noreload \
    >>"$work/idp.log" 2>&1 &
  IDP_PID=$!
  for _ in $(seq 1 300); do
    "$python" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)' \
      "$discovery" 2>/dev/null && return 0
    kill -0 "$IDP_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "the OpenID provider did not answer at $discovery; its log:" >&2
  cat "$work/idp.log" >&2
  return 1
}

# A signing key rotation as an operator does it: the provider is restarted with a new RSA key
# (openssl); the previous one stays in its JWKS as inactive (OIDC_RSA_PRIVATE_KEYS_INACTIVE),
# so id_tokens now carry a `kid` that relying parties have not cached yet.
rotate_idp_provider_key() {
  local work=$1 data="$1/idp"
  stop_idp_provider
  echo "=== signing key rotated" >>"$work/idp.log"
  mv "$data/oidc-rsa.pem" "$data/oidc-rsa-inactive-$(date +%s%N).pem"
  openssl genrsa -out "$data/oidc-rsa.pem" 2048 2>/dev/null
  idp_serve "$work"
}

# Registers a client at the provider started by start_idp_provider (IDP_DATA_DIR, IDP_ISSUER
# set): `manage.py createapplication` confidential authorization-code RS256 with a fresh secret
# (stored hashed by the provider) written to SECRET_FILE (default IDP_CLIENT_SECRET_FILE).
idp_register_client() {
  local callback=$1 client_id=${2:-latchkey} secret_file=${3:-$IDP_CLIENT_SECRET_FILE}
  local root secret
  root="$(repo_root)"
  secret="idp-client-$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')"
  (umask 077 && echo "$secret" >"$secret_file")
  local out
  out=$("$root/.venv/bin/python" "$root/e2e/idp/manage.py" createapplication \
    --client-id "$client_id" --client-secret "$secret" --redirect-uris "$callback" \
    --name "Latchkey" --algorithm RS256 confidential authorization-code)
  # createapplication reports a refused application on stdout and still exits 0.
  if ! grep -q "created successfully" <<<"$out"; then
    echo "createapplication failed: $out" >&2
    return 1
  fi
}

# Stops the provider started by start_idp_provider (SIGTERM, then SIGKILL after 5 s).
stop_idp_provider() {
  [ -n "${IDP_PID:-}" ] || return 0
  kill -TERM "$IDP_PID" 2>/dev/null || true
  for _ in $(seq 1 50); do
    kill -0 "$IDP_PID" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$IDP_PID" 2>/dev/null || true
  wait "$IDP_PID" 2>/dev/null || true
  IDP_PID=""
}
