#!/bin/sh
# Stop what bluesky-up.sh STATE started: the network launcher (its whole process group),
# Redis and the private PostgreSQL. The state dir is kept; delete it yourself (a PostgreSQL
# cluster outside it, named in STATE/pgdir, goes with it only if you delete that too).
#
#   usage: sh tests/real/bluesky-down.sh STATE
set -eu
REAL_DIR=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
LOG_TAG=bluesky-down
. "$REAL_DIR/lib.sh"

[ $# -eq 1 ] && [ -d "$1" ] || die "usage: bluesky-down.sh STATE (the dir given to bluesky-up.sh)"
STATE=$(CDPATH= cd -- "$1" && pwd)

stop_group "$STATE/net.pgid" 10
stop_group "$STATE/redis.pgid" 5

if [ -s "$STATE/pgdir" ]; then
    PGDIR=$(cat "$STATE/pgdir")
    PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [ -f "$PGDIR/data/postmaster.pid" ] && [ -x "$PG_BIN/pg_ctl" ]; then
        if [ "$(id -u)" = 0 ]; then
            runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PGDIR/data" -m fast -w -t 30 stop >/dev/null 2>&1 || true
        else
            "$PG_BIN/pg_ctl" -D "$PGDIR/data" -m fast -w -t 30 stop >/dev/null 2>&1 || true
        fi
        if [ -f "$PGDIR/data/postmaster.pid" ]; then
            pm=$(head -n 1 "$PGDIR/data/postmaster.pid")
            if [ -n "$pm" ] && kill -0 "$pm" 2>/dev/null; then
                log "PostgreSQL did not stop; killing postmaster $pm"
                kill -KILL "$pm" 2>/dev/null || true
            fi
        fi
    fi
fi
log "stopped (state kept in $STATE)"
