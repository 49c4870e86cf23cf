#!/bin/sh
# Syncing from the terminal interface against the fake Mastodon server (tests/fake/server.py):
# the sync runs in the background while the officer writes a reply (no key lost, the draft
# intact, the open thread and the cursor left where they were), new threads appear with the
# tab's "N new" and the next-unread key; a failing account shows its reason in the status bar
# and the help until its next good sync; another tactful's sync lock is named; --offline
# never syncs. The server holds a request until the test releases it: every wait is for a
# state, never a duration.
. "$(dirname "$0")/lib.sh"
PYTHON=${PYTHON:-python3}
. "$SRC/tests/cli/net_lib.sh"

# A thread already in the cache (account dept, older than anything the server has), so the
# composer can be opened at once and the server's threads sort above it.
LOCAL='{"platform":"mastodon","account":"dept","thread":"100","id":"100","parent":null,"author":"@alice@example.social","author_name":"Alice","created_at":"2025-06-01T09:15:00Z","text":"The bin collection on Elm Street was missed again","url":"https://example.social/@alice/100","own":false}'

# setup RULES: the local thread, and a fake Mastodon server with three threads whose tenant
# has the fault rules RULES (a JSON list), as account m.
setup() {
    printf '%s\n' "$LOCAL" >posts.jsonl
    "$TACTFUL" import posts.jsonl >/dev/null 2>&1
    fake_start "{\"tenants\": {\"m\": {\"platform\": \"mastodon\", \"threads\": 3, \"replies\": 1,
                                     \"rules\": $1}}}" || return 1
    account_mastodon m m
}

# drafts_json EXPR: evaluates the expression with `d` bound to `tactful drafts --json`.
drafts_json() {
    "$TACTFUL" drafts --json | python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"
}

# wait_draft TEXT: waits until the newest draft's body is TEXT (the composer saves as it
# idles).
wait_draft() {
    i=0
    while [ $i -lt "$WAIT_TENTHS" ]; do
        [ "$(drafts_json 'd[0]["body"] if d else ""')" = "$1" ] && return 0
        sleep 0.1
        i=$((i + 1))
    done
    fail "the draft never read '$1' (it reads '$(drafts_json 'd[0]["body"] if d else ""')')"
}

# children_named NAME: how many processes called NAME the tactful in the pane has started.
children_named() {
    pane=$(tmux -L "$SOCK" display -p -t tt '#{pane_pid}')
    top=$(ps -o pid= -o comm= --ppid "$pane" | awk '$2 == "tactful" {print $1}')
    [ -n "$top" ] || { echo 0; return; }
    ps -o args= --ppid "$top" | grep -c "$1" || true
}

test_sync_while_writing_a_reply() {
    setup '[{"match": "/api/v1/notifications", "hold": "sync", "pass": true, "times": 1}]'
    START_ENV=TOK_m=tok-m
    start 120 30
    # The start-up sync is under way and held by the server; the screen is the officer's.
    wait_for 'syncing 0/1'
    wait_hits /api/v1/notifications 1
    wait_for 'tester │ 1/1'
    keys Enter
    wait_for 'Thread 1 · mastodon'
    keys R
    wait_for 'Ready-reckoner'
    keys 0
    wait_for 'Reply · draft [0-9]+ · thread 1 · mastodon · blank reply · editing'
    wait_for 'syncing 0/1'
    keys -l 'Thanks for telling us, we have asked'
    wait_for 'Thanks for telling us, we have asked'
    # The server answers while the officer goes on typing.
    fake_ctl '{"release": "sync"}'
    keys -l ' the crew to come back today.'
    wait_for 'synced [0-9]{2}:[0-9]{2} · 3 new'
    keys -l ' Sorry!'
    wait_for 'come back today\. Sorry!'
    wait_draft 'Thanks for telling us, we have asked the crew to come back today. Sorry!'
    # Still the same reply, on the same thread.
    wait_for 'Reply · draft [0-9]+ · thread 1 · mastodon · blank reply · editing'
    keys Escape
    wait_for 'draft [0-9]+ kept'
    wait_for 'Thread 1 · mastodon'
    keys q
    # The new threads are there, above the old one; the cursor stayed on its thread.
    wait_for 'all 4 · 3 new'
    wait_for 'tester │ 4/4'
    [ "$(screen | grep -c '@dept Reply [0-2]\.0')" -eq 3 ] || fail "the new threads are not listed"
    # The help says how each account's last sync went.
    keys '?'
    wait_for 'm \(every 5 min\): synced [0-9]{2}:[0-9]{2}, 3 new'
    keys q
    wait_gone 'tactful keys'
    # The next unread thread, from the top.
    keys g
    wait_for 'tester │ 1/4'
    keys U
    wait_for 'tester │ 2/4'
    keys G
    wait_for 'tester │ 4/4'
    keys U
    wait_for 'no unread thread below this one'
    wait_for 'tester │ 4/4'
    # Coming to the tab again: nothing is new since.
    keys 0
    wait_for ' all 4 '
    wait_gone 'all 4 · 3 new'
    [ "$("$TACTFUL" accounts | grep -c 'last sync: ok at .*, 3 new threads')" -eq 1 ] ||
        fail "tactful accounts does not show the last sync"
    keys q
    wait_for 'EXITED 0'
}

# Threads that arrive inside the page, between the top and the cursor, leave the cursor on
# its thread rather than on its row.
test_cursor_stays_on_its_thread() {
    setup '[]'
    printf '%s\n' '{"platform":"mastodon","account":"dept","thread":"200","id":"200","parent":null,"author":"@dan@example.social","author_name":"Dan","created_at":"2027-01-05T10:00:00Z","text":"Newest local thread","url":"https://example.social/@dan/200","own":false}' >newer.jsonl
    "$TACTFUL" import newer.jsonl >/dev/null 2>&1
    printf '[tactful]\nsync_interval = 0\n' >>"$TACTFUL_CONFIG"
    START_ENV=TOK_m=tok-m
    start 120 30
    wait_for 'tester │ 1/2'
    keys j
    wait_for 'tester │ 2/2'
    keys F5
    wait_for 'synced [0-9]{2}:[0-9]{2} · 3 new'
    # The old thread is now fifth, and the cursor is still on it.
    wait_for 'tester │ 5/5'
    keys Enter
    wait_for 'The bin collection on Elm Street was missed again'
    keys q
    wait_for 'tester │ 5/5'
    keys q
    wait_for 'EXITED 0'
}

test_failure_shown_until_next_good_sync() {
    setup '[{"match": "verify_credentials", "status": 401, "times": 1}]'
    printf '[tactful]\nsync_interval = 0\n' >>"$TACTFUL_CONFIG"
    START_ENV=TOK_m=tok-m
    start 160 30
    # sync_interval = 0: no sync until the key.
    wait_for 'tester │ 1/1'
    [ "$(fake_hits /api/v1/)" -eq 0 ] || fail "it synced with sync_interval = 0"
    keys F5
    wait_for 'm failed: checking the access token: http://127.0.0.1:[0-9]+ answered'
    keys '?'
    wait_for 'm \(on the key only\): failed [0-9]{2}:[0-9]{2}: checking the access token: .*HTTP 401'
    keys q
    wait_gone 'tactful keys'
    "$TACTFUL" accounts >accounts.out
    grep -q 'last sync: failed at ' accounts.out || fail "tactful accounts: $(cat accounts.out)"
    # The next good sync clears it.
    keys '$'
    wait_for 'synced [0-9]{2}:[0-9]{2} · 3 new'
    wait_gone 'm failed'
    keys q
    wait_for 'EXITED 0'
}

test_another_tactful_holds_the_account() {
    setup '[]'
    printf '[tactful]\nsync_interval = 0\n' >>"$TACTFUL_CONFIG"
    # This test's shell holds m's sync lock, as a cron `tactful sync` would.
    sqlite3 "$TACTFUL_DB" "INSERT INTO sync_locks VALUES ('m', $$, '$(hostname)', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))"
    START_ENV=TOK_m=tok-m
    start 200 30
    wait_for 'tester │ 1/1'
    keys F5
    wait_for "m busy: m is being synced by another tactful \\(process $$"
    [ "$(fake_hits /api/v1/)" -eq 0 ] || fail "it synced an account another tactful holds"
    keys q
    wait_for 'EXITED 0'
}

test_offline_never_syncs() {
    setup '[]'
    START_ENV=TOK_m=tok-m
    start 120 30 --offline
    wait_for 'OFFLINE'
    wait_for 'tester │ 1/1'
    keys F5
    wait_for 'offline: syncing needs the network'
    [ "$(children_named ' sync ')" -eq 0 ] || fail "a sync child runs"
    [ "$(fake_hits /api/v1/)" -eq 0 ] || fail "the server was asked"
    keys q
    wait_for 'EXITED 0'
}

run_tests
