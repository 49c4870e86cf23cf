#!/bin/sh
# Command-line basics: version, help, usage errors and exit statuses.
. "$(dirname "$0")/lib.sh"

test_version() {
    expect_status 0 t --version
    expect_out '^tactful [0-9]+\.[0-9]+\.[0-9]+$'
}

test_unknown_option_exits_2_with_hint() {
    expect_status 2 t --frobnicate
    expect_err "unknown option '--frobnicate'; try 'tactful --help'"
}

test_import_then_list() {
    expect_status 0 t import "$DEMO"
    expect_err 'new threads'
    expect_status 0 t list --json
    n=$(grep -c '"id":' "$WORK/out")
    [ "$n" -ge 38 ] || fail "expected about 40 threads, got $n"
}

run_tests
