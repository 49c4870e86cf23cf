#!/bin/sh
# tactful accounts: the list from the configuration and the cache, and live checks.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/net_lib.sh"

test_accounts_list_and_check() {
    fake_start '{"tenants": {"m": {"platform": "mastodon", "v2_instance": false, "max_characters": 1000},
                             "b": {"platform": "bluesky"},
                             "w": {"platform": "wordpress", "pretty": false}}}' || return 1
    account_mastodon m m && account_bluesky b b && account_wordpress w w || return 1
    expect_status 0 t accounts || return 1
    expect_out '^m +mastodon +never +http://127\.0\.0\.1:[0-9]+/m$' || return 1
    expect_status 0 t accounts check || return 1
    expect_out '^m +ok: signed in as @dept@127\.0\.0\.1, replies up to 1000 characters$' || return 1
    expect_out '^b +ok: signed in as @council\.test, replies up to 300 characters$' || return 1
    expect_out '^w +ok: signed in as Comms Team, replies up to 65525 characters$' || return 1
    # A check reads no posts and writes nothing.
    expect_eq 0 "$(fake_hits notifications)" "notification reads" || return 1
    expect_eq 0 "$(db_count 'select count(*) from posts')" "posts" || return 1
    expect_status 0 t sync || return 1
    expect_status 0 t accounts || return 1
    expect_out '^w +wordpress +20[0-9-]+T[0-9:]+Z ' || return 1
    expect_out 'as @council\.test' || return 1
    export TOK_b=nope
    expect_status 1 t accounts check || return 1
    expect_err '^tactful: b: check failed: logging in: .*HTTP 401: AuthenticationRequired: Invalid identifier or password; check the account.s secret' || return 1
    expect_out '^m +ok' || return 1
    expect_status 1 t accounts check b || return 1
    expect_status 2 t accounts check nosuch || return 1
    expect_status 2 t accounts frobnicate
}

test_no_accounts() {
    expect_status 0 t accounts || return 1
    expect_out 'No accounts are configured' || return 1
    expect_status 1 t sync || return 1
    expect_err 'no accounts are configured; add an \[account NAME\] section'
}

run_tests
