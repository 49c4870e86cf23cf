#!/bin/sh
# The inbox, driven through tmux like an officer would: open, move, read, help, resize, quit,
# and hostile post text that must never reach the terminal raw.
. "$(dirname "$0")/lib.sh"

test_opens_demo_with_counts() {
    "$TACTFUL" import "$DEMO" 2>/dev/null
    start 100 30
    wait_for 'all 40 │ new 40 │ to_reply 0'
    wait_for 'tester │ 1/40'
    screen | grep -q 'OFFLINE' && fail "OFFLINE shown without --offline"
    keys q
    wait_for 'EXITED 0'
}

test_offline_marker() {
    "$TACTFUL" import "$DEMO" 2>/dev/null
    start 100 30 --offline
    wait_for 'OFFLINE +INBOX │ tester'
    # The marker sits at the very start of the status bar, where the eye lands.
    line 30 | grep -q '^ OFFLINE ' || fail "OFFLINE is not at the start of the status bar"
}

test_move_and_open_thread() {
    "$TACTFUL" import "$DEMO" 2>/dev/null
    "$TACTFUL" mark 21 to_reply >/dev/null
    start 120 30
    wait_for '1/40'
    keys j j
    wait_for '3/40'
    keys G
    wait_for '40/40'
    keys g
    wait_for '1/40'
    # Walk down to thread 21 (the cycle lane consultation) wherever it sits by activity.
    pos=$("$TACTFUL" list --json | python3 -c 'import json,sys; print([t["id"] for t in json.load(sys.stdin)].index(21))')
    i=0
    while [ "$i" -lt "$pos" ]; do keys j; i=$((i + 1)); done
    wait_for "$((pos + 1))/40"
    keys Enter
    wait_for 'Thread 21 · wordpress · northmoor-blog · to_reply'
    wait_for 'Have your say|cycle lane'
    keys q
    wait_for 'all 40'
}

test_shortened_post_is_marked_in_the_thread() {
    big=$(head -c 262200 /dev/zero | tr '\0' x)
    printf '{"platform":"mastodon","account":"acc","thread":"t1","id":"p1","author":"@a","created_at":"2026-01-01T00:00:00Z","text":"Long %s"}\n' "$big" >long.jsonl
    "$TACTFUL" import long.jsonl 2>/dev/null
    start 120 30
    wait_for '1/1'
    keys Enter
    wait_for '\[shortened\] longer than the cache keeps'
    keys q
    wait_for 'all 1'
}

test_opening_marks_read() {
    "$TACTFUL" import "$DEMO" 2>/dev/null
    start 120 30
    wait_for '^\* +30 '
    keys Enter
    wait_for 'Thread 30'
    keys q
    wait_for '^  +30 '
}

test_mark_unread_brings_the_mark_back() {
    "$TACTFUL" import "$DEMO" 2>/dev/null
    start 120 30
    wait_for '^\* +30 '
    keys M
    wait_for '^  +30 '
    keys N
    wait_for 'thread marked unread'
    wait_for '^\* +30 '
    # On a selection it marks every selected thread and clears the selection.
    keys M j M k
    wait_for '^  +30 '
    keys x x
    wait_for '2 selected'
    keys N
    wait_for '2 threads marked unread'
    wait_gone 'selected'
    [ "$(screen | grep -c '^\*+\? ')" -ge 2 ] || fail "both threads should be unread"
    wait_for '^\* +30 '
}

test_select_by_search_then_bulk_triage() {
    "$TACTFUL" import "$DEMO" 2>/dev/null
    want=$("$TACTFUL" search --json 'platform:bluesky' | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
    [ "$want" -gt 1 ] || fail "the demo should have several Bluesky threads"
    start 120 30
    wait_for 'tester │ 1/40'
    keys +
    wait_for ' select matching:$'
    keys -l 'platform:bluesky'
    keys Enter
    wait_for "$want threads match; $want selected"
    wait_for "1/40 │ $want selected"
    # Only the listing's threads: in the to_reply tab (empty) a search selects nothing more.
    keys 2
    keys +
    wait_for ' select matching:$'
    keys -l 'platform:mastodon'
    keys Enter
    wait_for 'no thread in the listing matches'
    keys 0
    # The bulk state change takes every selected thread.
    keys s
    wait_for ' state:$'
    keys 7
    wait_for "$want threads: state closed"
    got=$("$TACTFUL" list --state closed --json | python3 -c 'import json,sys; print(sorted(t["platform"] for t in json.load(sys.stdin)) == ["bluesky"] * '"$want"')')
    [ "$got" = True ] || fail "every Bluesky thread, and only those, should be closed"
}

test_help_overlay() {
    "$TACTFUL" import "$DEMO" 2>/dev/null
    start 100 30
    wait_for '1/40'
    keys '?'
    wait_for 'tactful keys'
    wait_for 'read the thread'
    keys x
    wait_gone 'tactful keys'
    keys Q
    wait_for 'no action on Q here'
}

test_resize_small_and_large() {
    "$TACTFUL" import "$DEMO" 2>/dev/null
    start 200 60
    wait_for '1/40'
    tmux -L "$SOCK" resize-window -t tt -x 80 -y 24
    wait_line 24 'tester │ 1/40'
    keys j
    wait_for '2/40'
    [ "$(screen | wc -l)" -eq 24 ] || fail "expected 24 lines"
    screen | sed -n 24p | grep -q 'tester │ 2/40' || fail "status bar is not on the last line"
    screen | head -1 | grep -q 'all 40' || fail "tab bar lost after resize"
    [ "$(screen | grep -c '^[* ] *[0-9][0-9]* ')" -eq 21 ] || fail "expected 21 thread lines"
    tmux -L "$SOCK" resize-window -t tt -x 200 -y 60
    wait_line 60 'tester │ 2/40'
    keys k
    wait_for '1/40'
}

test_empty_cache_says_what_to_do() {
    start 100 30
    wait_for 'The cache is empty: import posts'
}

test_hostile_text_never_reaches_terminal() {
    esc=$(printf '\033')
    bel=$(printf '\007')
    rlo=$(printf '\342\200\256')
    csi=$(printf '\302\233')
    printf '{"platform":"mastodon","account":"a","thread":"1","id":"1","author":"@evil%s]2;PWNED%s@x","created_at":"2026-11-20T09:15:00Z","text":"hi %s[2J%s]52;c;ZXZpbA==%s %stxt.exe %s31m"}\n' \
        "$esc" "$bel" "$esc" "$esc" "$bel" "$rlo" "$csi" |
        sed "s/$esc/\\\\u001b/g; s/$bel/\\\\u0007/g" >hostile.jsonl
    "$TACTFUL" import hostile.jsonl 2>/dev/null || fail "import failed"
    start 120 30
    wait_for '\^\[\]2;PWNED\^G'
    wait_for 'hi \^\[\[2J'
    tmux -L "$SOCK" set -s set-clipboard on
    title=$(tmux -L "$SOCK" display -p -t tt '#{pane_title}')
    [ "$title" != "PWNED" ] || fail "the post set the terminal title"
    keys Enter
    wait_for '\^\[\[2J\^\[\]52;c;ZXZpbA==\^G'
    wait_for '<U\+202E>txt\.exe'
    wait_for '<U\+009B>31m'
    # The OSC 52 in the text never reached tmux: no clipboard buffer was made.
    [ -z "$(tmux -L "$SOCK" list-buffers 2>/dev/null)" ] || fail "a post set the clipboard"
    # The thread view must still show its header: a raw ESC [2J would have cleared it.
    wait_for 'Thread 1 · mastodon'
    title=$(tmux -L "$SOCK" display -p -t tt '#{pane_title}')
    [ "$title" != "PWNED" ] || fail "the post set the terminal title"
}

# An idle inbox shows what another process wrote (it reloads when the cache's data version
# moves; an unchanged cache is not reread, which `make bench` measures as disk reads).
test_idle_inbox_shows_another_process_change() {
    "$TACTFUL" import "$DEMO" 2>/dev/null
    start 100 30
    wait_for 'all 40 │ new 40 │ to_reply 0'
    "$TACTFUL" mark 21 to_reply >/dev/null
    wait_for 'all 40 │ new 39 │ to_reply 1'
}

test_demo_is_worked_as_a_demo_officer_not_the_login_name() {
    # No officer named: the demo's officer, whatever the login name is.
    START_ENV='TACTFUL_OFFICER= USER=root LOGNAME=root' start 100 30 --demo
    wait_for 'INBOX │ sam\.patel │ 1/40'
    keys q
    wait_for 'EXITED 0'
    stop_server
    # An officer the configuration names is kept.
    printf '[tactful]\nofficer = lee.chan\n' >"$TACTFUL_CONFIG"
    START_ENV='TACTFUL_OFFICER=' start 100 30 --demo
    wait_for 'INBOX │ lee\.chan │ 1/40'
}

run_tests
