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

# start COLS ROWS ARGS...: starts tactful ARGS in a new tmux session of that size. Variables
# in START_ENV (such as NO_COLOR=1) are added to tactful's environment. Once tactful exits the
# pane shows "EXITED STATUS" and stays (however slow the machine) until the test ends it.
start() {
    cols=$1
    rows=$2
    shift 2
    tmux -L "$SOCK" -f /dev/null -u new-session -d -s tt -x "$cols" -y "$rows" \
        "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen-256color TACTFUL_DB='$TACTFUL_DB' \
         TACTFUL_CONFIG='$TACTFUL_CONFIG' TACTFUL_OFFICER=tester HOME='$HOME' \
         XDG_CONFIG_HOME='$XDG_CONFIG_HOME' XDG_STATE_HOME='$XDG_STATE_HOME' ${START_ENV:-} '$TACTFUL' $*; \
         echo EXITED \$?; sleep 600"
}

# screen_attrs: the screen with its colours and attributes as escape sequences.
screen_attrs() { tmux -L "$SOCK" capture-pane -p -e -t tt; }

# line N: line N (from 1) of the screen.
line() { screen | sed -n "${1}p"; }

# audit_json PYTHON-EXPR: evaluates the expression with `a` bound to the audit log (a list).
audit_json() {
    "$TACTFUL" audit --json | python3 -c "import json,sys; a=json.load(sys.stdin); print($1)"
}

# demo: loads the demo workspace into the test's cache.
demo() { "$TACTFUL" import "$DEMO" 2>/dev/null; }

# position_of ID: the 0-based place of thread ID in the inbox's default listing.
position_of() {
    "$TACTFUL" list --json | python3 -c "import json,sys; print([t['id'] for t in json.load(sys.stdin)].index($1))"
}

# goto ID: moves the inbox cursor onto thread ID (with j), from the top.
goto() {
    pos=$(position_of "$1")
    keys g
    i=0
    while [ "$i" -lt "$pos" ]; do keys j; i=$((i + 1)); done
    wait_for "│ $((pos + 1))/"
}

screen() { tmux -L "$SOCK" capture-pane -p -t tt; }
keys() { tmux -L "$SOCK" send-keys -t tt "$@"; }

# The screen tests wait for states, never for durations: each wait polls the screen and gives
# up only after WAIT_TENTHS tenths of a second, long enough for a heavily loaded machine.
WAIT_TENTHS=${WAIT_TENTHS:-300}

# wait_for PATTERN: waits for the screen to match the extended regex.
wait_for() {
    i=0
    while [ $i -lt "$WAIT_TENTHS" ]; do
        screen | grep -Eq -- "$1" && return 0
        sleep 0.1
        i=$((i + 1))
    done
    fail "screen never showed /$1/"
}

# wait_gone PATTERN: waits for the pattern to leave the screen.
wait_gone() {
    i=0
    while [ $i -lt "$WAIT_TENTHS" ]; do
        screen | grep -Eq -- "$1" || return 0
        sleep 0.1
        i=$((i + 1))
    done
    fail "screen still shows /$1/"
}

# wait_line N PATTERN: waits for line N of the screen to match the extended regex (after a
# resize: the new last line shows the status bar once tactful has drawn at the new size).
wait_line() {
    i=0
    while [ $i -lt "$WAIT_TENTHS" ]; do
        line "$1" | grep -Eq -- "$2" && return 0
        sleep 0.1
        i=$((i + 1))
    done
    fail "line $1 never showed /$2/"
}

# stop_server: ends this test's tmux server and waits until it and the tactful it ran have
# gone (tactful may still be saving as it exits), so that a new one can start.
stop_server() {
    _pane=$(tmux -L "$SOCK" display -p -t tt '#{pane_pid}' 2>/dev/null)
    _pids=$([ -z "$_pane" ] || ps -o pid= -o comm= --ppid "$_pane" | awk '$2 == "tactful" {print $1}')
    tmux -L "$SOCK" kill-server 2>/dev/null
    i=0
    while tmux -L "$SOCK" has-session 2>/dev/null && [ $i -lt "$WAIT_TENTHS" ]; do
        sleep 0.1
        i=$((i + 1))
    done
    for _p in $_pids; do
        while kill -0 "$_p" 2>/dev/null && [ $i -lt "$WAIT_TENTHS" ]; do
            sleep 0.1
            i=$((i + 1))
        done
    done
}

run_tests() {
    passed=0
    failed=0
    for fn in $(grep -Eo '^test_[a-z0-9_]+' "$0"); do
        WORK=$(mktemp -d)
        SOCK=tactful-test-$$-$fn
        export WORK SOCK
        export TACTFUL_DB="$WORK/cache.db" TACTFUL_CONFIG="$WORK/config"
        export HOME="$WORK/home" XDG_CONFIG_HOME="$WORK/cfg" TACTFUL_OFFICER=tester
        export XDG_STATE_HOME="$WORK/state"
        mkdir -p "$HOME" "$XDG_CONFIG_HOME/tactful"
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
