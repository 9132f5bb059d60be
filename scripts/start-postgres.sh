#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster on 127.0.0.1 for the store and server tests, and prints
# its URL on stdout (everything else goes to stderr). Installs Debian's postgresql if missing.
#
#   export RAQIB_TEST_POSTGRES_URL="$(scripts/start-postgres.sh)"
#   cargo test -p store -p server
#   scripts/start-postgres.sh --stop      # stops it and deletes the cluster directory
#
# Environment: RAQIB_PG_DIR (default /tmp/raqib-pg), RAQIB_PG_PORT (default 15432).
# No systemd is assumed: the cluster is started and stopped with pg_ctl. Trust auth on
# loopback only; never use this cluster for real data.
set -euo pipefail

DIR="${RAQIB_PG_DIR:-/tmp/raqib-pg}"
PORT="${RAQIB_PG_PORT:-15432}"
URL="postgres://postgres@127.0.0.1:${PORT}/postgres"

find_bin() {
    local d
    for d in /usr/lib/postgresql/*/bin; do
        if [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
    done
    return 1
}

BIN="$(find_bin || true)"
if [ -z "$BIN" ]; then
    echo "start-postgres: installing postgresql (apt-get)" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends postgresql >&2
    BIN="$(find_bin)"
fi

# Run the server as the postgres user when we are root (initdb refuses to run as root).
as_pg() {
    if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ "${1:-}" = "--stop" ]; then
    if [ -f "$DIR/data/postmaster.pid" ]; then
        as_pg "$BIN/pg_ctl" -D "$DIR/data" -m fast stop >&2
    fi
    # Throwaway by design: every test makes a fresh database, so drop the whole cluster rather
    # than let it grow from run to run.
    rm -rf "$DIR"
    exit 0
fi

if [ -f "$DIR/data/postmaster.pid" ] && as_pg "$BIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
    echo "start-postgres: already running in $DIR" >&2
    echo "$URL"
    exit 0
fi

rm -rf "$DIR"
mkdir -p "$DIR"
if [ "$(id -u)" = "0" ]; then chown postgres "$DIR"; fi
as_pg "$BIN/initdb" -D "$DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 \
    || { cat "$DIR/initdb.log" >&2; exit 1; }
as_pg "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/log" \
    -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=on" \
    -w start >&2 || { cat "$DIR/log" >&2; exit 1; }
echo "start-postgres: running on 127.0.0.1:$PORT (data in $DIR/data, log in $DIR/log)" >&2
echo "$URL"
