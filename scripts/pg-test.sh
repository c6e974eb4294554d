#!/usr/bin/env bash
# Starts (or stops) a throwaway PostgreSQL 15 on 127.0.0.1 for the test suite, from
# Debian's `postgresql` package, in a temporary directory. Prints the admin URL.
#   scripts/pg-test.sh start   → prints postgres://… and leaves the server running
#   scripts/pg-test.sh stop
# OPSLOOM_TEST_PG_DURABLE=1 keeps PostgreSQL's durability settings (fsync, synchronous commit,
# full-page writes) as in production, for benchmarks; the tests run without them.
set -euo pipefail
PGBIN="${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"
PGPORT="${OPSLOOM_TEST_PG_PORT:-54329}"
PGROOT="${OPSLOOM_TEST_PG_DIR:-/tmp/opsloom-test-pg-$PGPORT}"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "${1:-start}" in
  start)
    [ -x "$PGBIN/initdb" ] || { echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }
    if [ -f "$PGROOT/data/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl" -D "$PGROOT/data" status >/dev/null 2>&1; then
      echo "postgres://postgres@127.0.0.1:$PGPORT/postgres"; exit 0
    fi
    rm -rf "$PGROOT"; mkdir -p "$PGROOT"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$PGROOT"
    as_pg "$PGBIN/initdb" -D "$PGROOT/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    # Throwaway data: durability off for speed; nothing here outlives the test run.
    durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    [ "${OPSLOOM_TEST_PG_DURABLE:-0}" = 1 ] && durability=""
    as_pg "$PGBIN/pg_ctl" -D "$PGROOT/data" -l "$PGROOT/log" -w -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGROOT $durability -c max_connections=300" start >/dev/null
    echo "postgres://postgres@127.0.0.1:$PGPORT/postgres"
    ;;
  stop)
    [ -d "$PGROOT/data" ] && as_pg "$PGBIN/pg_ctl" -D "$PGROOT/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$PGROOT"
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
