#!/usr/bin/env bash
# System packages and services the test suite needs. Idempotent: safe to run twice.
#
# PostgreSQL: the store's tests run against SQLite and against a real PostgreSQL server. This
# creates a private cluster (not Debian's `main`), listening on 127.0.0.1 and a socket only,
# starts it, creates the test database and writes its URL to build/postgres-url, which
# tests/store/conftest.py reads (QUOTETRACE_TEST_POSTGRES_URL overrides it).
set -euo pipefail
cd "$(dirname "$0")/.."

PGPORT="${QUOTETRACE_PGPORT:-54329}"
PGDATA="${QUOTETRACE_PGDATA:-/var/tmp/quotetrace-pg/data}"
PGSOCK="$(dirname "$PGDATA")/socket"
PGLOG="$(dirname "$PGDATA")/server.log"
TEST_DB=quotetrace_test

find_pg_bin() {
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

if [ -z "$(find_pg_bin)" ]; then
    echo "services: installing PostgreSQL (Debian's postgresql)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq postgresql >/dev/null
fi
PGBIN="$(find_pg_bin)"
if [ -z "$PGBIN" ]; then
    echo "services: PostgreSQL binaries not found after install" >&2
    exit 1
fi

as_postgres() {
    if [ "$(id -un)" = postgres ]; then
        "$@"
    else
        runuser -u postgres -- "$@"
    fi
}

mkdir -p "$(dirname "$PGDATA")" "$PGSOCK"
chown postgres:postgres "$(dirname "$PGDATA")" "$PGSOCK"

if [ ! -s "$PGDATA/PG_VERSION" ]; then
    echo "services: creating a PostgreSQL cluster in $PGDATA"
    mkdir -p "$PGDATA"
    chown postgres:postgres "$PGDATA"
    # trust is safe here: the server listens on loopback and a private socket only.
    as_postgres "$PGBIN/initdb" -D "$PGDATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
fi

start_pg() {
    as_postgres "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGLOG" -w -t 60 start \
        -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGSOCK -c fsync=off"
}
if ! as_postgres "$PGBIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
    echo "services: starting PostgreSQL on 127.0.0.1:$PGPORT"
    if ! start_pg; then
        # A server killed without shutting down can leave a pid file that a new process now
        # owns; with no server running it is stale, so remove it and try once more.
        echo "services: first start failed; retrying without a stale postmaster.pid"
        rm -f "$PGDATA/postmaster.pid"
        start_pg
    fi
fi

psql_cmd=("$PGBIN/psql" -h "$PGSOCK" -p "$PGPORT" -U postgres -d postgres -tAq)
if [ "$(as_postgres "${psql_cmd[@]}" -c "SELECT 1 FROM pg_database WHERE datname = '$TEST_DB'")" != 1 ]; then
    as_postgres "${psql_cmd[@]}" -c "CREATE DATABASE $TEST_DB"
fi

mkdir -p build
echo "postgresql://postgres@127.0.0.1:$PGPORT/$TEST_DB" >build/postgres-url
echo "services: PostgreSQL ready at $(cat build/postgres-url)"

# Chromium: the web UI's browser tests (tests/web/test_web_browser.py) drive Debian's build
# through Playwright; `playwright install` would download a browser, so it is never used.
if [ ! -x /usr/bin/chromium ]; then
    echo "services: installing Chromium (Debian's chromium) for the browser tests"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium >/dev/null
fi
echo "services: Chromium ready at /usr/bin/chromium ($(/usr/bin/chromium --version 2>/dev/null || echo 'version unknown'))"
