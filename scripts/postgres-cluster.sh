# A throwaway PostgreSQL cluster for scripts/postgres-test and scripts/bench-postgres. Sourced.
# pg_cluster_start MODE   (MODE: test = fsync off, bench = default durability)
#   sets PG_BIN, PG_WORK, PG_PORT, PG_URL_BASE (postgres://latchkey@127.0.0.1:PORT),
#   PG_STOP / PG_START (shell commands), PG_PID_FILE
# pg_createdb NAME, pg_postmaster_pid, pg_cluster_cleanup (stop + delete the temp dir)

pg_find_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1
}

pg_cluster_start() {
  local mode="${1:-test}"
  PG_BIN=$(pg_find_bin)
  if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
    ensure_apt_packages postgresql
    PG_BIN=$(pg_find_bin)
  fi
  PG_WORK=$(mktemp -d /tmp/latchkey-pg-XXXXXX)
  chmod 755 "$PG_WORK"
  mkdir -p "$PG_WORK/data" "$PG_WORK/socket" "$PG_WORK/log"
  # PostgreSQL refuses to run as root: run it as an unprivileged user when we are root.
  PG_AS=()
  if [ "$(id -u)" -eq 0 ]; then
    chown -R nobody "$PG_WORK/data" "$PG_WORK/socket" "$PG_WORK/log"
    PG_AS=(runuser -u nobody --)
  fi
  PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "${PG_AS[@]}" "$PG_BIN/initdb" -D "$PG_WORK/data" -U latchkey --auth=trust --locale=C \
    -E UTF8 >"$PG_WORK/initdb.log" 2>&1 || { cat "$PG_WORK/initdb.log" >&2; return 1; }
  local options="-p $PG_PORT -k $PG_WORK/socket -c listen_addresses=127.0.0.1"
  options+=" -c max_connections=400 -c shared_buffers=128MB"
  if [ "$mode" = test ]; then options+=" -c fsync=off -c full_page_writes=off"; fi
  local ctl="${PG_AS[*]} $PG_BIN/pg_ctl -D $PG_WORK/data -l $PG_WORK/log/postgres.log"
  PG_START="$ctl -o '$options' -w start"
  PG_STOP="$ctl -m fast -w stop"
  PG_PID_FILE="$PG_WORK/data/postmaster.pid"
  PG_URL_BASE="postgres://latchkey@127.0.0.1:$PG_PORT"
  eval "$PG_START" >/dev/null
  echo "==> PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT ($PG_WORK)" >&2
}

pg_createdb() {
  "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U latchkey "$1"
}

pg_postmaster_pid() {
  head -1 "$PG_PID_FILE"
}

pg_cluster_cleanup() {
  if [ -n "${PG_WORK:-}" ] && [ -d "$PG_WORK" ]; then
    if [ -f "$PG_WORK/data/postmaster.pid" ]; then eval "$PG_STOP" >/dev/null 2>&1 || true; fi
    rm -rf "$PG_WORK"
  fi
}
