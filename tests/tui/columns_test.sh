#!/bin/sh
# The inbox's columns: the reply markers (a draft, one waiting for approval, a queued reply, a
# latest post deleted upstream, a thread that takes no replies) and the assignee at the default
# 80 columns, the columns chosen with [tactful] inbox_columns,
# and a wrong column name refused before the screen is taken.
. "$(dirname "$0")/lib.sh"

# thread N: one post from the public on its own thread, N minutes past nine.
thread() {
    printf '{"platform":"mastodon","account":"dept","thread":"10%s","id":"10%s","parent":null,"author":"@pat%s@example.social","created_at":"2026-11-20T09:%02d:00Z","text":"Question number %s","own":false}\n' \
        "$1" "$1" "$1" "$1" "$1"
}

setup() {
    for i in 1 2 3 4; do thread "$i"; done >posts.jsonl
    "$TACTFUL" import posts.jsonl >/dev/null 2>&1
    printf 'Thanks, we have passed this on.\n' >r.txt
    # 1: a draft being written; 2: queued (offline); 3: waiting for approval; 4: nothing.
    "$TACTFUL" reply 1 --pattern acknowledgement --text-file r.txt >/dev/null 2>&1
    "$TACTFUL" --offline reply 2 --pattern acknowledgement --text-file r.txt --submit \
        >/dev/null 2>&1
    printf 'Sorry, we got that wrong.\n' >m.txt
    "$TACTFUL" reply 3 --pattern mea-culpa --text-file m.txt --submit >/dev/null 2>&1
    "$TACTFUL" assign 4 sam.patel >/dev/null
}

test_markers_and_assignee_at_80_columns() {
    setup
    start 80 24
    wait_for 'INBOX │ tester'
    # Newest first: 4 (assigned, no reply), 3 (A), 2 (Q), 1 (D).
    wait_for '^ +ID P STATE +R? +PLAT ACCOUNT +ASSIGNEE +AUTHOR +AGE LATEST'
    wait_for '^\* +4   new      mast dept     sam.patel @pat4@ex… +[0-9]+[a-z]+ Question'
    wait_for '^\* +3   new    A mast dept     -         @pat3'
    wait_for '^\* +2   new    Q mast dept     -         @pat2'
    wait_for '^\* +1   new    D mast dept     -         @pat1'
    # The latest post's text still has room at 80 columns.
    wait_for '@pat1@ex… +[0-9]+[a-z]+ Question number 1 *$'
    # A draft that is discarded leaves no marker.
    "$TACTFUL" discard 1 >/dev/null
    keys r
    wait_for '^\* +1   new      mast dept     -         @pat1'
}

# A thread whose latest post was deleted upstream shows X (before its draft's D) and its text
# after [deleted]; one whose platform refuses replies shows N; the 80-column rows keep their
# layout and the legend names both.
test_deleted_and_refused_markers_at_80_columns() {
    setup
    sqlite3 "$TACTFUL_DB" "update posts set deleted_at = '2026-11-21T10:00:00Z', deleted_reason = 'deleted on Mastodon' where remote_id = '101'"
    sqlite3 "$TACTFUL_DB" "update threads set reply_refused = 'comments are closed' where root_remote_id = '104'"
    start 80 24
    wait_for 'INBOX │ tester'
    wait_for '^\* +4   new    N mast dept     sam.patel @pat4@ex… +[0-9]+[a-z]+ Question number 4'
    wait_for '^\* +3   new    A mast dept     -         @pat3'
    wait_for '^\* +1   new    X mast dept     -         @pat1@ex… +[0-9]+[a-z]+ \[deleted\] Question numbe'
    # Undeleted upstream (a sync that finds it again is not how it goes, but the mark is read
    # fresh): the draft's D is back once the mark is gone.
    sqlite3 "$TACTFUL_DB" "update posts set deleted_at = NULL, deleted_reason = NULL where remote_id = '101'"
    keys r
    wait_for '^\* +1   new    D mast dept     -         @pat1@ex… +[0-9]+[a-z]+ Question number 1'
    keys '?'
    wait_for 'tactful keys · inbox'
    i=0
    while ! screen | grep -q 'N no replies: the platform refuses them' && [ $i -lt 60 ]; do
        keys j
        i=$((i + 1))
    done
    wait_for 'X the latest post was deleted upstream'
    wait_for 'N no replies: the platform refuses them'
}

test_columns_from_the_configuration() {
    setup
    printf '[tactful]\ninbox_columns = id, reply, assignee latest\n' >"$TACTFUL_CONFIG"
    start 80 24
    wait_for 'INBOX │ tester'
    wait_for '^ +ID +ASSIGNEE +LATEST'
    wait_for '^ +4   sam.patel Question number 4'
    wait_for '^ +3 A -         Question number 3'
    screen | grep -q 'STATE' && fail "the state column was not chosen"
    keys q
    wait_for 'EXITED 0'
}

test_unknown_column_is_refused_with_the_list() {
    setup
    printf '[tactful]\ninbox_columns = id subject\n' >"$TACTFUL_CONFIG"
    start 200 24
    wait_for 'no column called "subject"; the columns are flags, id, priority'
    wait_for 'EXITED 1'
}

test_legend_in_the_help() {
    setup
    start 100 30
    wait_for 'INBOX │ tester'
    keys '?'
    wait_for 'tactful keys · inbox'
    i=0
    while ! screen | grep -q 'D a draft being written' && [ $i -lt 60 ]; do keys j; i=$((i + 1)); done
    wait_for 'D a draft being written'
}

run_tests
