#!/bin/sh
# Bluesky sessions kept between runs: one createSession for a day's worth of syncs and sends,
# each later run refreshing the kept session; the tokens only in a private state file; a new
# session only when refreshing fails or the kept file cannot be trusted.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/net_lib.sh"

SESSION_FILE='$XDG_STATE_HOME/tactful/sessions/b.json'

test_bluesky_session_reused_across_runs() {
    fake_start '{"tenants": {"b": {"platform": "bluesky", "threads": 1, "replies": 1}}}' &&
        account_bluesky b b || return 1
    runs=0
    # Twelve syncs (an hour of 5-minute syncs), new posts arriving between some.
    for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
        [ $((i % 3)) -ne 0 ] || fake_ctl '{"add_mentions": {"b": 1}}' || return 1
        expect_status 0 t sync || return 1
        runs=$((runs + 1))
    done
    expect_eq 6 "$(db_count 'select count(*) from posts')" "posts synced" || return 1
    # Three sends, each its own run.
    parent=at://did:plc:bob0test/app.bsky.feed.post/3k00000000002
    th=$(thread_of b "$parent")
    for i in 1 2 3; do
        enqueue "$th" "$parent" "Thanks, we are on it ($i)." >/dev/null || return 1
        expect_status 0 t outbox send || return 1
        runs=$((runs + 1))
    done
    expect_eq 3 "$(fake_hits createRecord)" "replies sent" || return 1
    expect_eq 1 "$(fake_hits com.atproto.server.createSession)" "createSession calls" || return 1
    expect_eq $((runs - 1)) "$(fake_hits com.atproto.server.refreshSession)" "refreshSession calls" || return 1
    # The tokens live in a private file, never in the cache.
    f=$(eval echo "$SESSION_FILE")
    expect_eq 600 "$(stat -c %a "$f")" "mode of the session file" || return 1
    expect_eq 700 "$(stat -c %a "$(dirname "$f")")" "mode of its folder" || return 1
    expect_eq "ref-b-$runs" "$("$PYTHON" -c 'import json,sys; print(json.load(open(sys.argv[1]))["refreshJwt"])' "$f")" "the newest refresh token kept" || return 1
    for db in "$TACTFUL_DB" "$TACTFUL_DB-wal"; do
        [ ! -e "$db" ] || ! grep -aq -- "-b-$runs" "$db" || fail "$db holds a session token" || return 1
    done
}

test_new_session_only_when_refresh_fails() {
    fake_start '{"tenants": {"b": {"platform": "bluesky", "threads": 1, "replies": 1}}}' &&
        account_bluesky b b || return 1
    expect_status 0 t sync || return 1
    expect_status 0 t sync || return 1
    expect_eq 1 "$(fake_hits com.atproto.server.createSession)" "logins" || return 1
    # The server no longer knows the kept refresh token: one refresh fails, one new session.
    fake_ctl '{"set": {"b": {"refresh": "revoked"}}, "add_mentions": {"b": 1}}' || return 1
    expect_status 0 t sync || return 1
    expect_out '0 new threads, 1 new posts' || return 1
    expect_eq 2 "$(fake_hits com.atproto.server.createSession)" "logins after a failed refresh" || return 1
    expect_eq 2 "$(fake_hits com.atproto.server.refreshSession)" "refreshes" || return 1
    # A kept file that others could read is not trusted: a new session, kept privately again.
    f=$(eval echo "$SESSION_FILE")
    chmod 644 "$f"
    expect_status 0 t sync || return 1
    expect_eq 3 "$(fake_hits com.atproto.server.createSession)" "logins after an open file" || return 1
    expect_eq 600 "$(stat -c %a "$f")" "mode of the rewritten file" || return 1
    # A session kept for another user of the same server is not used.
    sed -i 's/^user = council.test$/user = other.test/' "$TACTFUL_CONFIG"
    expect_status 1 t sync || return 1
    expect_eq 2 "$(fake_hits com.atproto.server.refreshSession)" "refreshes for another user" || return 1
    expect_eq 4 "$(fake_hits com.atproto.server.createSession)" "logins for another user"
}

run_tests
