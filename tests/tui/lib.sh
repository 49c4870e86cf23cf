# Helpers for terminal-interface tests: run the real binary inside a private tmux server, type
# with send-keys and read the screen with capture-pane. Source this, define test_* functions,
# then call run_tests.

TACTFUL=${TACTFUL:-./tactful}
case $TACTFUL in /*) ;; *) TACTFUL=$(cd "$(dirname "$TACTFUL")" && pwd)/$(basename "$TACTFUL") ;; esac
SRC=$(cd "$(dirname "$0")/../.." && pwd)
DEMO=$SRC/share/demo/demo.jsonl

fail() {
    echo "    FAIL: $*" >&2
    echo "    screen was:" >&2
    tmux -L "$SOCK" capture-pane -p -t tt 2>/dev/null | sed 's/^/    | /' >&2
    return 1
}

# start COLS ROWS ARGS...: starts tactful ARGS in a new tmux session of that size.
start() {
    cols=$1
    rows=$2
    shift 2
    tmux -L "$SOCK" -f /dev/null -u new-session -d -s tt -x "$cols" -y "$rows" \
        "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen-256color TACTFUL_DB='$TACTFUL_DB' \
         TACTFUL_CONFIG='$TACTFUL_CONFIG' TACTFUL_OFFICER=tester '$TACTFUL' $*; \
         echo EXITED \$?; sleep 30"
}

screen() { tmux -L "$SOCK" capture-pane -p -t tt; }
keys() { tmux -L "$SOCK" send-keys -t tt "$@"; }

# wait_for PATTERN: waits up to 5 s for the screen to match the extended regex.
wait_for() {
    i=0
    while [ $i -lt 50 ]; do
        screen | grep -Eq -- "$1" && return 0
        sleep 0.1
        i=$((i + 1))
    done
    fail "screen never showed /$1/"
}

# wait_gone PATTERN: waits up to 5 s for the pattern to leave the screen.
wait_gone() {
    i=0
    while [ $i -lt 50 ]; do
        screen | grep -Eq -- "$1" || return 0
        sleep 0.1
        i=$((i + 1))
    done
    fail "screen still shows /$1/"
}

run_tests() {
    passed=0
    failed=0
    for fn in $(grep -Eo '^test_[a-z0-9_]+' "$0"); do
        WORK=$(mktemp -d)
        SOCK=tactful-test-$$-$fn
        export WORK SOCK
        export TACTFUL_DB="$WORK/cache.db" TACTFUL_CONFIG="$WORK/config"
        : >"$TACTFUL_CONFIG"
        # Not inside `if`, so set -e stops a test at its first failing check.
        (set -e; cd "$WORK"; "$fn")
        rc=$?
        if [ "$rc" -eq 0 ]; then
            passed=$((passed + 1))
        else
            echo "  not ok: $fn" >&2
            failed=$((failed + 1))
        fi
        tmux -L "$SOCK" kill-server 2>/dev/null
        rm -rf "$WORK"
    done
    echo "$(basename "$0" .sh): $passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}
