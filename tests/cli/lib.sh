# Shared helpers for the command-line tests: each test is a shell function run in a fresh
# temporary folder with its own cache and configuration; nothing touches the user's files.
# Source this, define test_* functions, then call run_tests.

TACTFUL=${TACTFUL:-./tactful}
case $TACTFUL in /*) ;; *) TACTFUL=$(cd "$(dirname "$TACTFUL")" && pwd)/$(basename "$TACTFUL") ;; esac
SRC=$(cd "$(dirname "$0")/../.." && pwd)
DEMO=$SRC/share/demo/demo.jsonl

# TACTFUL_WRAP runs the binary under a tool, e.g. valgrind (make valgrind).
t() { ${TACTFUL_WRAP:-} "$TACTFUL" "$@"; }

fail() {
    echo "    FAIL: $*" >&2
    return 1
}

# expect_status N CMD...: runs CMD and checks its exit status; output goes to $WORK/out, err.
expect_status() {
    want=$1
    shift
    got=0
    "$@" >"$WORK/out" 2>"$WORK/err" || got=$?
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
        export XDG_STATE_HOME="$WORK/state"
        : >"$TACTFUL_CONFIG"
        mkdir -p "$HOME"
        # Not inside `if`, so set -e stops a test at its first failing check.
        (set -e; cd "$WORK"; "$fn")
        rc=$?
        if [ "$rc" -eq 0 ]; then
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

# ---- Helpers shared by the import, query, triage, config, export and help tests. ----
# run_tests runs each test function as the condition of an `if`, where `set -e` has no
# effect, so a failed check does not stop a test by itself: tests that use these helpers end
# every check with `|| return 1`.

PYTHON=${PYTHON:-python3}

# expect_eq WANT GOT WHAT: fails unless the two strings are equal.
expect_eq() { [ "$1" = "$2" ] || fail "$3: expected '$1', got '$2'"; }

# jpy EXPR: evaluates the Python expression EXPR with j bound to the JSON on the last
# command's stdout and prints the result (a list space-separated, None as "None"). When the
# JSON or EXPR is bad it prints <jpy failed> instead, which no expected value equals.
jpy() {
    _jpy "$1" || echo '<jpy failed>'
}
_jpy() {
    "$PYTHON" - "$WORK/out" "$1" <<'PY'
import json, sys
j = json.load(open(sys.argv[1], encoding="utf-8"))
v = eval(sys.argv[2], {"j": j, "json": json})
print(" ".join(str(x) for x in v) if isinstance(v, list) else v)
PY
}

# import_demo: loads the demo workspace into the test's cache.
import_demo() {
    t import "$DEMO" >/dev/null 2>"$WORK/import.err" ||
        fail "cannot import the demo: $(cat "$WORK/import.err")"
}

# list_ids ARGS... / search_ids ARGS...: the thread ids `tactful list|search ARGS --json`
# prints, space-separated, in its order (empty when nothing matches, <failed> when the
# command does not exit 0).
list_ids() { expect_status 0 t list "$@" --json && jpy '[r["id"] for r in j]' || echo '<failed>'; }
search_ids() {
    expect_status 0 t search "$@" --json && jpy '[r["id"] for r in j]' || echo '<failed>'
}

# hex_of FILE: the bytes of FILE as " xx xx ... " (lowercase hex pairs between spaces).
hex_of() { printf ' %s \n' "$(od -An -v -tx1 "$1" | tr -s ' \n' '  ' | sed 's/^ //; s/ $//')"; }

# expect_no_bytes FILE HEX...: fails when FILE holds the byte sequence (hex pairs: 1b, c2 9b).
expect_no_bytes() {
    _f=$1
    shift
    case $(hex_of "$_f") in
    *" $* "*) fail "$_f holds the bytes $*: $(head -c 300 "$_f" | cat -v)" ;;
    esac
}

# expect_bytes FILE HEX...: fails unless FILE holds the byte sequence.
expect_bytes() {
    _f=$1
    shift
    case $(hex_of "$_f") in
    *" $* "*) ;;
    *) fail "$_f lacks the bytes $*" ;;
    esac
}

# post_json KEY=VALUE...: prints one JSON Lines post. Defaults: platform=mastodon
# account=acc thread=t1 id=p1 author=@a created_at=2026-01-01T00:00:00Z text=hello; parent,
# author_name and title are left out unless given. Values go in as they are (write JSON
# escapes such as \u001b yourself); extra=,"key":value appends raw members.
post_json() {
    _platform=mastodon _account=acc _thread=t1 _id=p1 _parent='' _author=@a _name=''
    _created=2026-01-01T00:00:00Z _text=hello _title='' _extra=''
    for _kv in "$@"; do
        case $_kv in
        platform=*) _platform=${_kv#*=} ;;
        account=*) _account=${_kv#*=} ;;
        thread=*) _thread=${_kv#*=} ;;
        id=*) _id=${_kv#*=} ;;
        parent=*) _parent=${_kv#*=} ;;
        author=*) _author=${_kv#*=} ;;
        author_name=*) _name=${_kv#*=} ;;
        created_at=*) _created=${_kv#*=} ;;
        text=*) _text=${_kv#*=} ;;
        title=*) _title=${_kv#*=} ;;
        extra=*) _extra=${_kv#*=} ;;
        *)
            fail "post_json: unknown argument '$_kv'"
            return 1
            ;;
        esac
    done
    printf '{"platform":"%s","account":"%s","thread":"%s","id":"%s",' \
        "$_platform" "$_account" "$_thread" "$_id"
    [ -z "$_parent" ] || printf '"parent":"%s",' "$_parent"
    printf '"author":"%s",' "$_author"
    [ -z "$_name" ] || printf '"author_name":"%s",' "$_name"
    [ -z "$_title" ] || printf '"title":"%s",' "$_title"
    printf '"created_at":"%s","text":"%s"%s}\n' "$_created" "$_text" "$_extra"
}

# db_count SQL: runs a counting query on the test's cache with sqlite3 and prints the result.
db_count() { sqlite3 -cmd ".timeout 10000" "$TACTFUL_DB" "$1"; }

# expect_failure CMD...: like expect_status, but any refusal (exit 1 or 2) will do.
expect_failure() {
    "$@" >"$WORK/out" 2>"$WORK/err"
    _got=$?
    [ "$_got" -eq 1 ] || [ "$_got" -eq 2 ] ||
        fail "exit status $_got, expected 1 or 2 (command: $*; stderr: $(head -c 300 "$WORK/err"))"
}
