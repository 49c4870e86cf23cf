#!/bin/sh
# Stop what wordpress-up.sh STATE started: PHP's built-in server (its whole process group)
# and the private MariaDB. The state dir (database, env, logs) is kept; delete it yourself.
#
#   usage: sh tests/real/wordpress-down.sh STATE
set -eu
REAL_DIR=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
LOG_TAG=wordpress-down
. "$REAL_DIR/lib.sh"

[ $# -eq 1 ] && [ -d "$1" ] || die "usage: wordpress-down.sh STATE (the dir given to wordpress-up.sh)"
STATE=$(CDPATH= cd -- "$1" && pwd)

stop_group "$STATE/php.pgid" 5

if [ -S "$STATE/mysqld.sock" ] && command -v mariadb-admin >/dev/null 2>&1; then
    mariadb-admin --no-defaults --socket="$STATE/mysqld.sock" -uroot shutdown >/dev/null 2>&1 || true
fi
# mariadbd leaves on its own after shutdown; the group stop catches anything left.
i=0
while group_alive "$STATE/mysqld.pgid" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
stop_group "$STATE/mysqld.pgid" 10
rm -f "$STATE/mysqld.sock" "$STATE/mysqld.pid"
log "stopped (state kept in $STATE)"
