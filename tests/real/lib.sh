# Shared helpers for the real-server scripts in tests/real (POSIX sh, sourced).
# Everything here binds or talks to 127.0.0.1 only.

REAL_DIR=${REAL_DIR:-$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)}

# Debian packages each server needs (see shared docs: real-servers.md).
WP_PACKAGES="wordpress wordpress-theme-twentytwentythree php8.2-cli php8.2-mysql php8.2-curl php8.2-xml php8.2-mbstring mariadb-server mariadb-client curl"
BSKY_PACKAGES="postgresql redis-server curl build-essential python3"

# Downloads that can be shared between runs and clones (Node 22, the npm tree).
TACTFUL_TEST_CACHE=${TACTFUL_TEST_CACHE:-/var/cache/tactful-test}

log() { printf '%s: %s\n' "${LOG_TAG:-real}" "$*" >&2; }
die() { log "error: $*"; exit 1; }

now_ms() { date +%s%3N; }

# packages_missing PKG... : print the ones not installed
packages_missing() {
    _m=""
    for _p in "$@"; do
        dpkg-query -W -f='${Status}' "$_p" 2>/dev/null | grep -q 'install ok installed' ||
            _m="$_m $_p"
    done
    printf '%s' "$_m"
}

_policy_backup=""
_restore_policy_rc() {
    if grep -q 'tactful-test' /usr/sbin/policy-rc.d 2>/dev/null; then
        rm -f /usr/sbin/policy-rc.d
    fi
    if [ -n "$_policy_backup" ]; then
        mv -f "$_policy_backup" /usr/sbin/policy-rc.d
        _policy_backup=""
    fi
}

# ensure_packages PKG... : apt-get install whatever is missing, starting no services.
ensure_packages() {
    _missing=$(packages_missing "$@")
    [ -z "$_missing" ] && return 0
    [ "$(id -u)" = 0 ] || die "missing Debian packages:$_missing (run as root, or install them)"
    log "installing Debian packages:$_missing"
    if [ -e /usr/sbin/policy-rc.d ] && ! grep -q 'tactful-test' /usr/sbin/policy-rc.d; then
        _policy_backup=$(mktemp /usr/sbin/policy-rc.d.bak.XXXXXX)
        cp -p /usr/sbin/policy-rc.d "$_policy_backup"
    fi
    printf '#!/bin/sh\n# tactful-test: start no services while installing\nexit 101\n' \
        >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    trap '_restore_policy_rc; exit 130' INT TERM HUP
    _rc=0
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=600 update -q >&2 || _rc=$?
    if [ $_rc = 0 ]; then
        # shellcheck disable=SC2086
        apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends $_missing >&2 ||
            _rc=$?
    fi
    _restore_policy_rc
    trap - INT TERM HUP
    [ $_rc = 0 ] || die "apt-get failed ($_rc) installing:$_missing"
    _missing=$(packages_missing "$@")
    [ -z "$_missing" ] || die "still missing after apt-get:$_missing"
}

# start_group PIDFILE LOGFILE CMD... : run CMD in its own session/process group.
# PIDFILE gets the group id (the leader's pid), so `kill -TERM -PGID` stops all of it.
start_group() {
    _pidfile=$1 _logfile=$2
    shift 2
    rm -f "$_pidfile"
    setsid sh -c 'echo $$ >"$0"; exec "$@"' "$_pidfile" "$@" </dev/null >>"$_logfile" 2>&1 &
    _i=0
    while [ ! -s "$_pidfile" ] && [ $_i -lt 50 ]; do sleep 0.1; _i=$((_i + 1)); done
    [ -s "$_pidfile" ] || die "could not start $1"
}

# group_alive PIDFILE : true when the group leader in PIDFILE still runs
group_alive() {
    [ -s "$1" ] || return 1
    kill -0 "$(cat "$1")" 2>/dev/null
}

# stop_group PIDFILE [SECONDS] : TERM the whole group, KILL it after SECONDS (default 10)
stop_group() {
    [ -s "$1" ] || return 0
    _pg=$(cat "$1")
    if kill -0 "-$_pg" 2>/dev/null; then
        kill -TERM "-$_pg" 2>/dev/null || true
        _i=0 _lim=$((${2:-10} * 10))
        while kill -0 "-$_pg" 2>/dev/null && [ $_i -lt $_lim ]; do
            sleep 0.1
            _i=$((_i + 1))
        done
        if kill -0 "-$_pg" 2>/dev/null; then
            log "process group $_pg did not stop; killing it"
            kill -KILL "-$_pg" 2>/dev/null || true
            sleep 0.2
        fi
    fi
    rm -f "$1"
}

# port_busy PORT : true when something listens on 127.0.0.1:PORT (or any address)
port_busy() {
    ss -Hltn "sport = :$1" 2>/dev/null | grep -q .
}

# wait_http URL SECONDS WHAT [LOGFILE] : poll until URL answers 2xx
wait_http() {
    _url=$1 _secs=$2 _what=$3 _logf=${4:-}
    _end=$(($(date +%s) + _secs))
    while :; do
        if curl -fsS -o /dev/null --max-time 5 "$_url" 2>/dev/null; then return 0; fi
        if [ "$(date +%s)" -ge "$_end" ]; then
            log "timed out after ${_secs}s waiting for $_what ($_url)"
            if [ -n "$_logf" ] && [ -f "$_logf" ]; then
                log "last lines of $_logf:"
                tail -n 30 "$_logf" >&2
            fi
            return 1
        fi
        sleep 0.3
    done
}

# shell_quote VALUE : single-quoted for a sourceable env file
shell_quote() {
    printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

# group_rss_kb PIDFILE : resident memory of the whole process group, in kB
group_rss_kb() {
    [ -s "$1" ] || { echo 0; return; }
    ps -e -o pgid=,rss= | awk -v g="$(cat "$1")" '$1 == g { s += $2 } END { print s + 0 }'
}
