#!/bin/sh
# The thread view and the composer on posts synced from the fake servers with their extras
# (tests/fake/server.py add_extras), at 80x24: media with their alt text or "no description",
# labels, quoted posts and link cards, hostile strings kept on their lines; a reply carrying
# the post's content warning as an editable first line that survives kill -9; and the notice
# that a reply to a private post stays private.
. "$(dirname "$0")/lib.sh"
PYTHON=${PYTHON:-python3}
. "$SRC/tests/cli/net_lib.sh"

# db_count SQL: runs a query on the test's cache with sqlite3 (net_lib.sh's thread_of uses it).
db_count() { sqlite3 -cmd ".timeout 10000" "$TACTFUL_DB" "$1"; }

# synced: both fake servers with their extras, synced into the test's cache.
synced() {
    fake_start '{"tenants": {"m": {"platform": "mastodon", "threads": 2, "replies": 2, "extras": true},
                             "b": {"platform": "bluesky", "threads": 2, "replies": 2, "extras": true}}}' &&
        account_mastodon m m && account_bluesky b b || return 1
    "$TACTFUL" sync >/dev/null 2>&1 || fail "sync failed"
}

# drafts_json EXPR: evaluates the expression with `d` bound to `tactful drafts --json`.
drafts_json() {
    "$TACTFUL" drafts --json | python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"
}

# tactful_pid: the process id of tactful running in the test's tmux pane.
tactful_pid() {
    pane=$(tmux -L "$SOCK" display -p -t tt '#{pane_pid}')
    ps -o pid= -o comm= --ppid "$pane" | awk '$2 == "tactful" {print $1}'
}

# scroll_until PATTERN: pages down the selected post (Space), one page at a time once the
# screen has drawn the last, until the screen matches PATTERN (at most 8 pages).
scroll_until() {
    n=0
    while ! screen | grep -Eq -- "$1"; do
        [ $n -lt 8 ] || { fail "paging never showed /$1/"; return 1; }
        before=$(screen)
        keys Space
        i=0
        while [ "$(screen)" = "$before" ] && [ $i -lt "$WAIT_TENTHS" ]; do
            sleep 0.1
            i=$((i + 1))
        done
        n=$((n + 1))
    done
}

# open_thread ACCOUNT REMOTE_ID: opens the thread holding that post.
open_thread() {
    th=$(thread_of "$1" "$2")
    goto "$th"
    keys Enter
    wait_for "^ Thread $th · "
}

test_thread_view_lists_media_quotes_and_cards() {
    synced
    start 80 24 --offline
    wait_for 'tester │ 1/4'
    open_thread m 1001
    wait_for '^ CW: Council tax \^\[\[31mrates\^\[\[0m'
    wait_for '^ Labels: sensitive'
    wait_for '^ Media 1/5, image: alt "A bin overflowing onto the pavement"'
    wait_for '^ Media 2/5, image: no description'
    wait_for '^ Media 3/5, video: alt "pwn \^\[\]0;owned\^G'
    # The huge alt text scrolls with the post; the screen keeps its shape.
    wait_line 24 'THREAD'
    [ "$(screen | wc -l)" -eq 24 ] || fail "the screen is not 24 lines"
    # Page down the post to its end: its link card is last, before its URL.
    scroll_until '^ Link: Bin day changes \^\[\]0;owned\^G · news\.example\.org'
    wait_for '^ Link: Bin day changes \^\[\]0;owned\^G · news\.example\.org'
    wait_for '^   From March, collections move to Thursdays\.'
    wait_for '^ Media 4/5, image: alt "fourth"|^ … and 1 more attachment'
    keys j
    wait_for '^ Quoting @alice1@remote\.example: Root 1 about bins & recycling'
    wait_for '^   https://remote\.example/@alice1/1004'
    keys q
    wait_for 'tester │'
    open_thread b at://did:plc:alice0test/app.bsky.feed.post/3k00000000001
    wait_for '^ Labels: graphic-media'
    wait_for '^ Media 2/3, image: no description'
    keys G
    wait_for '^ Link: Roadworks map · www\.example\.gov\.uk'
    wait_for '^   Closures this week <U\+202E>evil'
    keys q
    keys q
    wait_for 'EXITED 0'
}

test_reply_carries_an_editable_cw_through_kill_9() {
    synced
    start 80 24 --offline
    wait_for 'tester │ 1/4'
    open_thread m 1001
    keys g
    keys R
    wait_for 'Ready-reckoner'
    keys 0
    wait_for 'Reply · draft 1 · thread [0-9]+ · mastodon · blank reply'
    wait_for '^ CW sent with the reply \(edit or delete its line\): Council tax \[31mrates\['
    wait_for '^ CW: Council tax \[31mrates\[0m'
    # The cursor starts under the warning.
    keys -l 'We will look into it.'
    wait_for '^ We will look into it\.'
    [ "$(drafts_json 'd[0]["body"]')" = "$(printf 'CW: Council tax [31mrates[0m\n\nWe will look into it.')" ] ||
        fail "the draft lacks the carried warning"
    # The officer empties the warning's line and writes another.
    keys Up Up C-a C-k
    wait_gone 'CW sent with the reply'
    keys -l 'CW: Bins'
    wait_for '^ CW sent with the reply \(edit or delete its line\): Bins'
    # The counter counts what Mastodon counts: the warning and the text, not "CW: " nor the
    # blank line (4 + 21).
    wait_for '── 25/500 *$'
    pid=$(tactful_pid)
    [ -n "$pid" ] || fail "cannot find the tactful process"
    kill -9 "$pid"
    wait_for 'EXITED 137'
    [ "$(drafts_json 'd[0]["body"]')" = "$(printf 'CW: Bins\n\nWe will look into it.')" ] ||
        fail "the draft lost its edited warning: $(drafts_json 'repr(d[0]["body"])')"
}

test_composer_says_a_private_reply_stays_private() {
    synced
    start 80 24 --offline
    wait_for 'tester │ 1/4'
    # The inbox says which thread's latest post is private (thread 1's is a direct message).
    th=$(thread_of m 1006)
    wait_for "^[* ] *$th .*\[private\] "
    [ "$(screen | grep -c '\[private\]')" -eq 1 ] || fail "only thread $th's latest post is private"
    open_thread m 1006
    keys G
    wait_for '^ Private: a direct message; a reply goes only to the people it names\.'
    keys R
    wait_for 'Ready-reckoner'
    keys 0
    wait_for '^ private: a reply to a direct message goes only to the people it names'
    keys Escape
    wait_for 'draft [0-9]+ kept'
    keys k
    wait_for '^ Private: followers only; a reply stays followers-only\.'
    keys R
    wait_for 'resume your draft, or new'
    keys -l new
    keys Enter
    wait_for 'Ready-reckoner'
    keys 0
    wait_for '^ private: a reply to a followers-only post stays followers-only'
    # tactful leaves cleanly (under the sanitizers, with no leak).
    keys Escape
    wait_for 'draft [0-9]+ kept'
    keys q
    wait_for 'tester │'
    keys q
    wait_for 'EXITED 0'
}

run_tests
