# Shared helpers for the command-line tests: each test is a shell function run in a fresh
# temporary folder with its own cache and configuration; nothing touches the user's files.
# Source this, define test_* functions, then call run_tests.

TACTFUL=${TACTFUL:-./tactful}
case $TACTFUL in /*) ;; *) TACTFUL=$(cd "$(dirname "$TACTFUL")" && pwd)/$(basename "$TACTFUL") ;; esac
SRC=$(cd "$(dirname "$0")/../.." && pwd)
DEMO=$SRC/share/demo/demo.jsonl

t() { "$TACTFUL" "$@"; }

fail() {
    echo "    FAIL: $*" >&2
    return 1
}

# expect_status N CMD...: runs CMD and checks its exit status; output goes to $WORK/out, err.
expect_status() {
    want=$1
    shift
    "$@" >"$WORK/out" 2>"$WORK/err"
    got=$?
    if [ "$got" -ne "$want" ]; then
        echo "    command: $*" >&2
        echo "    stdout: $(head -c 600 "$WORK/out")" >&2
        echo "    stderr: $(head -c 600 "$WORK/err")" >&2
        fail "exit status $got, expected $want"
        return 1
    fi
}

# expect_out PATTERN / expect_err PATTERN: grep -E on the last command's stdout / stderr.
expect_out() { grep -Eq -- "$1" "$WORK/out" || fail "stdout lacks /$1/: $(head -c 400 "$WORK/out")"; }
expect_err() { grep -Eq -- "$1" "$WORK/err" || fail "stderr lacks /$1/: $(head -c 400 "$WORK/err")"; }
expect_no_out() { ! grep -Eq -- "$1" "$WORK/out" || fail "stdout has /$1/"; }

run_tests() {
    passed=0
    failed=0
    for fn in $(grep -Eo '^test_[a-z0-9_]+' "$0"); do
        WORK=$(mktemp -d)
        export WORK
        export TACTFUL_DB="$WORK/cache.db" TACTFUL_CONFIG="$WORK/config" HOME="$WORK/home"
        export TACTFUL_OFFICER=tester XDG_DATA_HOME="$WORK/data" XDG_CONFIG_HOME="$WORK/cfg"
        : >"$TACTFUL_CONFIG"
        mkdir -p "$HOME"
        if (set -e; cd "$WORK" && "$fn"); then
            passed=$((passed + 1))
        else
            echo "  not ok: $fn" >&2
            failed=$((failed + 1))
        fi
        rm -rf "$WORK"
    done
    echo "$(basename "$0" .sh): $passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}
