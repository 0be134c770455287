#!/usr/bin/env bash
# A throwaway PostgreSQL 15 for the tests, on 127.0.0.1 only, in a folder of its own.
#   postgres.sh start DIR [durable]
#                           initialises DIR, starts the server on a free loopback port and prints
#                           its Npgsql connection string (user lethe, no password, database postgres);
#                           with `durable`, a commit is acknowledged only once its WAL is written, so a
#                           server stopped at once (pause) loses no commit it acknowledged
#   postgres.sh stop DIR    stops that server and removes DIR
#   postgres.sh pause DIR   stops that server at once (an outage), keeping its data
#   postgres.sh resume DIR  starts it again on the same port
# Uses Debian's binaries (/usr/lib/postgresql/15/bin). PostgreSQL refuses to run as root, so as root
# the server runs as the `postgres` user the Debian package creates.
set -euo pipefail
bin=/usr/lib/postgresql/15/bin

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 40000))
    if ! ss -Htln "sport = :$port" 2>/dev/null | grep -q .; then echo "$port"; return; fi
  done
  echo "postgres.sh: no free port found" >&2; exit 1
}

start() {
  local dir=$1 durable=${2:-} port
  [ -x "$bin/initdb" ] || { echo "postgres.sh: PostgreSQL 15 is not installed ($bin/initdb missing)" >&2; exit 1; }
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
  # Asynchronous commit (the default here, for speed) acknowledges commits whose WAL a crash can still lose.
  if [ "$durable" = durable ]; then echo on >"$dir/synchronous_commit"; else echo off >"$dir/synchronous_commit"; fi
  as_owner "$bin/initdb" -D "$dir/data" -U lethe --auth=trust --encoding=UTF8 --no-sync >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  for _ in 1 2 3 4 5; do
    port=$(free_port)
    if run_server "$dir" "$port"; then
      echo "$port" >"$dir/port"
      echo "Host=127.0.0.1;Port=$port;Username=lethe;Database=postgres"
      return
    fi
  done
  cat "$dir/server.log" >&2
  echo "postgres.sh: the server did not start" >&2; exit 1
}

run_server() {
  local dir=$1 port=$2
  # fsync off: a test server whose data is thrown away (the machine does not crash under it, the server may);
  # connections: three silos and the tests.
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=$(cat "$dir/synchronous_commit") -c full_page_writes=off -c max_connections=300" \
    start >/dev/null
}

pause() {
  as_owner "$bin/pg_ctl" -D "$1/data" -m immediate -w stop >/dev/null
}

resume() {
  local dir=$1
  run_server "$dir" "$(cat "$dir/port")" || { cat "$dir/server.log" >&2; echo "postgres.sh: the server did not start again" >&2; exit 1; }
}

stop() {
  local dir=$1
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start "${2:?usage: postgres.sh start DIR [durable]}" "${3:-}" ;;
  stop) stop "${2:?usage: postgres.sh stop DIR}" ;;
  pause) pause "${2:?usage: postgres.sh pause DIR}" ;;
  resume) resume "${2:?usage: postgres.sh resume DIR}" ;;
  *) echo "usage: postgres.sh start|stop|pause|resume DIR" >&2; exit 2 ;;
esac
