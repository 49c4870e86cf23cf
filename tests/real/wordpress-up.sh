#!/bin/sh
# Bring up a real WordPress (Debian's 6.1 package) on http://127.0.0.1:8080 with a private
# MariaDB on 127.0.0.1:3307, seeded with a post, nested comments and an Application Password.
#
#   usage: sh tests/real/wordpress-up.sh [STATE]
#
# STATE (default: a new mktemp dir) holds the database, logs, pid files and `env`, the facts
# for tests (WP_URL, WP_USER, WP_APP_PASSWORD, WP_POST_ID, WP_COMMENT_IDS, ...). The path of
# that env file is the only thing printed on stdout. Running it again on the same STATE
# reuses the install (and the servers, if they still run). Stop with wordpress-down.sh STATE.
set -eu
REAL_DIR=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
LOG_TAG=wordpress-up
. "$REAL_DIR/lib.sh"

START=$(now_ms)
STATE=${1:-}
if [ -z "$STATE" ]; then
    STATE=$(mktemp -d /tmp/tactful-wp.XXXXXX)
fi
mkdir -p "$STATE"
STATE=$(CDPATH= cd -- "$STATE" && pwd)

WP_PORT=8080
DB_PORT=3307
DB_NAME=tactful_wp
DB_USER=tactful
DB_PASS=tactful-test-db
DATADIR=$STATE/mysql
SOCK=$STATE/mysqld.sock
WP_ROOT=/usr/share/wordpress
WP_CONFIG=/etc/wordpress/config-127.0.0.1.php

ensure_packages $WP_PACKAGES

mkdir -p "$STATE/tmp"

# --- MariaDB -----------------------------------------------------------------------------
db() { mariadb --no-defaults --socket="$SOCK" -uroot "$@"; }
if group_alive "$STATE/mysqld.pgid" && mariadb-admin --no-defaults --socket="$SOCK" -uroot ping >/dev/null 2>&1; then
    log "MariaDB already running (state $STATE)"
else
    if port_busy $DB_PORT; then
        die "port $DB_PORT is already in use by another program (another test site? stop it with wordpress-down.sh)"
    fi
    if [ ! -d "$DATADIR/mysql" ]; then
        log "initialising MariaDB data directory in $DATADIR"
        rm -rf "$DATADIR" "$STATE/env"
        mariadb-install-db --no-defaults --datadir="$DATADIR" --user=root \
            --auth-root-authentication-method=socket --skip-test-db >"$STATE/mysql-install.log" 2>&1 ||
            { tail -n 20 "$STATE/mysql-install.log" >&2; die "mariadb-install-db failed"; }
    fi
    rm -f "$SOCK"
    start_group "$STATE/mysqld.pgid" "$STATE/mysqld.log" \
        mariadbd --no-defaults --user=root --datadir="$DATADIR" --socket="$SOCK" \
        --port=$DB_PORT --bind-address=127.0.0.1 --skip-name-resolve \
        --pid-file="$STATE/mysqld.pid" --tmpdir="$STATE/tmp" --log-error="$STATE/mysqld.err" \
        --innodb-buffer-pool-size=32M --performance-schema=OFF --skip-log-bin
    i=0
    until mariadb-admin --no-defaults --socket="$SOCK" -uroot ping >/dev/null 2>&1; do
        i=$((i + 1))
        if [ $i -gt 300 ] || ! group_alive "$STATE/mysqld.pgid"; then
            tail -n 20 "$STATE/mysqld.err" >&2 2>/dev/null || true
            die "MariaDB did not start (see $STATE/mysqld.err)"
        fi
        sleep 0.1
    done
    log "MariaDB up on 127.0.0.1:$DB_PORT"
fi

# --- WordPress config (Debian reads /etc/wordpress/config-<host>.php) ----------------------
mkdir -p /etc/wordpress
cat >"$WP_CONFIG.tmp.$$" <<EOF
<?php
// Written by tactful tests/real/wordpress-up.sh: a loopback-only test site.
define('DB_NAME', '$DB_NAME');
define('DB_USER', '$DB_USER');
define('DB_PASSWORD', '$DB_PASS');
define('DB_HOST', '127.0.0.1:$DB_PORT');
define('WP_ENVIRONMENT_TYPE', 'local'); // Application Passwords over plain http
define('WP_HOME', 'http://127.0.0.1:$WP_PORT');
define('WP_SITEURL', 'http://127.0.0.1:$WP_PORT');
define('DISABLE_WP_CRON', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_HTTP_BLOCK_EXTERNAL', true); // no internet here: never wait on wordpress.org
define('WP_DEBUG', false);
EOF
if ! cmp -s "$WP_CONFIG.tmp.$$" "$WP_CONFIG" 2>/dev/null; then
    mv -f "$WP_CONFIG.tmp.$$" "$WP_CONFIG"
    chmod 644 "$WP_CONFIG"
else
    rm -f "$WP_CONFIG.tmp.$$"
fi

# --- Install and seed the site (once per state dir) ---------------------------------------
if [ ! -s "$STATE/env" ]; then
    log "installing the site and seeding it"
    db <<EOF
DROP DATABASE IF EXISTS $DB_NAME;
CREATE DATABASE $DB_NAME CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS '$DB_USER'@'127.0.0.1' IDENTIFIED BY '$DB_PASS';
CREATE USER IF NOT EXISTS '$DB_USER'@'localhost' IDENTIFIED BY '$DB_PASS';
GRANT ALL ON $DB_NAME.* TO '$DB_USER'@'127.0.0.1';
GRANT ALL ON $DB_NAME.* TO '$DB_USER'@'localhost';
EOF
    php -d display_errors=stderr -d error_reporting=E_ALL\&~E_DEPRECATED \
        "$REAL_DIR/wp-seed.php" >"$STATE/env.tmp" 2>"$STATE/seed.log" ||
        { cat "$STATE/seed.log" >&2; die "seeding WordPress failed"; }
    {
        cat "$STATE/env.tmp"
        echo "WP_DB_PORT=$DB_PORT"
        echo "WP_DB_SOCKET=$(shell_quote "$SOCK")"
        echo "WP_STATE=$(shell_quote "$STATE")"
    } >"$STATE/env.new"
    rm -f "$STATE/env.tmp"
    mv -f "$STATE/env.new" "$STATE/env"
else
    log "reusing the install in $STATE"
fi

# --- PHP's built-in server ----------------------------------------------------------------
if group_alive "$STATE/php.pgid" && curl -fsS -o /dev/null --max-time 5 "http://127.0.0.1:$WP_PORT/wp-json/"; then
    log "PHP server already running"
else
    stop_group "$STATE/php.pgid" 3
    if port_busy $WP_PORT; then
        die "port $WP_PORT is already in use by another program (another test site? stop it with wordpress-down.sh)"
    fi
    start_group "$STATE/php.pgid" "$STATE/php.log" \
        env PHP_CLI_SERVER_WORKERS=4 php -d display_errors=0 -d log_errors=1 \
        -d error_log="$STATE/php-errors.log" -d memory_limit=256M \
        -S 127.0.0.1:$WP_PORT -t "$WP_ROOT" "$REAL_DIR/wp-router.php"
    wait_http "http://127.0.0.1:$WP_PORT/wp-json/" 60 "WordPress REST API" "$STATE/php.log" ||
        die "WordPress did not become ready"
fi

# Application Passwords must be accepted (they need WP_ENVIRONMENT_TYPE=local over http).
. "$STATE/env"
code=$(curl -s -o /dev/null -w '%{http_code}' -u "$WP_USER:$WP_APP_PASSWORD" \
    "http://127.0.0.1:$WP_PORT/wp-json/wp/v2/users/me")
[ "$code" = 200 ] || die "the Application Password was refused (HTTP $code)"

log "ready in $(( ($(now_ms) - START) ))ms: http://127.0.0.1:$WP_PORT (state $STATE)"
printf '%s\n' "$STATE/env"
