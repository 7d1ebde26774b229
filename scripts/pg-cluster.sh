#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on loopback for the test suite (and for trying Paperboy on PostgreSQL).
#   scripts/pg-cluster.sh start   → starts one (if none runs) and prints its DATABASE_URL
#   scripts/pg-cluster.sh stop    → stops it and deletes its files
#   scripts/pg-cluster.sh status  → exit 0 when it runs
# Debian's server never starts by itself here (policy-rc.d), and PostgreSQL refuses to run as root: the cluster
# belongs to the postgres user. Port: PAPERBOY_PG_PORT (default 54329). Data: /tmp/paperboy-pg-$PORT.
set -euo pipefail
PORT="${PAPERBOY_PG_PORT:-54329}"
DIR="/tmp/paperboy-pg-$PORT"
PGBIN="${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}"
URL="postgres://postgres@127.0.0.1:$PORT/postgres"

as_postgres() {
  if [ "$(id -un)" = postgres ]; then "$@"; elif [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/sh -c "$(printf '%q ' "$@")"; else "$@"; fi
}

case "${1:-}" in
  start)
    if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
      echo "pg-cluster: PostgreSQL server binaries not found (install Debian's postgresql package)" >&2
      exit 1
    fi
    if [ -f "$DIR/data/postmaster.pid" ] && as_postgres "$PGBIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
      echo "$URL"
      exit 0
    fi
    rm -rf "$DIR"
    mkdir -p "$DIR"
    if [ "$(id -u)" -eq 0 ]; then chown postgres "$DIR"; fi
    as_postgres "$PGBIN/initdb" -D "$DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$DIR/initdb.log" 2>&1
    as_postgres "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/log" -w start \
      -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=200" >/dev/null
    echo "$URL"
    ;;
  status)
    [ -f "$DIR/data/postmaster.pid" ] && as_postgres "$PGBIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1
    ;;
  stop)
    if [ -d "$DIR/data" ]; then as_postgres "$PGBIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null 2>&1 || true; fi
    rm -rf "$DIR"
    ;;
  *)
    echo "usage: scripts/pg-cluster.sh start|stop|status" >&2
    exit 2
    ;;
esac
