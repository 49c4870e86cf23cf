#!/bin/sh
# Triage from the keyboard: state, priority, assignee, tags, notes and snooze from the inbox
# and the thread view, bulk changes on selected threads, and undo. Every change must reach
# the audit log with the officer's name; an undo is audited too.
. "$(dirname "$0")/lib.sh"

test_state_from_inbox_then_undo() {
    demo
    start 100 30
    wait_for 'tester │ 1/40'
    top=$("$TACTFUL" list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
    keys s
    wait_for '1 new +2 to_reply +3 waiting'
    wait_for ' state:$'
    keys 2
    wait_for "thread $top: state to_reply \\(u undoes\\)"
    wait_for 'new 39 │ to_reply 1 │'
    [ "$(audit_json 'a[-1]["action"], a[-1]["thread"], a[-1]["details"]["to"], a[-1]["officer"]')" = \
        "mark $top to_reply tester" ] || fail "state change not audited"
    keys u
    wait_for "undone: state to_reply on thread $top"
    wait_for 'new 40 │ to_reply 0 │'
    [ "$(audit_json 'a[-1]["action"], a[-1]["details"]["entry"] == a[-2]["id"], a[-1]["details"]["to"]')" = \
        "undo True new" ] || fail "undo not audited"
    [ "$("$TACTFUL" show "$top" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])')" = new ] ||
        fail "state not restored"
    keys u
    wait_for 'nothing to undo'
}

test_state_prompt_takes_a_name_and_esc_cancels() {
    demo
    start 100 30
    wait_for 'tester │ 1/40'
    keys s
    wait_for ' state:$'
    keys Escape
    wait_for 'cancelled'
    keys s e s
    keys Tab
    wait_for ' state: escalated'
    keys Enter
    wait_for 'state escalated'
    wait_for 'escalated 1 │'
    keys s x y z Enter
    wait_for "'xyz' is not a state"
}

test_bulk_select_and_undo_all() {
    demo
    start 100 30
    wait_for 'tester │ 1/40'
    keys x x x
    wait_for '4/40 │ 3 selected'
    [ "$(screen | grep -c '^[* ]+')" -eq 3 ] || fail "three lines should be marked +"
    keys p
    wait_for '0 +0 +1 +1 +2 +2 +3 +3'
    keys 3
    wait_for '3 threads: priority 3'
    screen | grep -q 'selected' && fail "the selection should be cleared after the change"
    [ "$(audit_json 'len([e for e in a if e["action"] == "priority"])')" = 3 ] ||
        fail "three priority changes expected in the audit log"
    keys u
    wait_for 'undone: priority 3 on 3 threads'
    [ "$(audit_json 'len([e for e in a if e["action"] == "undo"])')" = 3 ] ||
        fail "three undo entries expected"
    [ "$("$TACTFUL" list --sort priority --json | python3 -c 'import json,sys; print(max(t["priority"] for t in json.load(sys.stdin)))')" = 0 ] ||
        fail "priorities not restored"
}

test_triage_in_thread_view_assign_tag_note() {
    demo
    start 120 30
    goto 21
    keys Enter
    wait_for 'Thread 21 · wordpress · northmoor-blog · new'
    keys m
    wait_for 'thread 21: assigned to tester'
    wait_for 'Thread 21 · .* · tester'
    keys t
    wait_for ' tags:$'
    keys -l '+cycling +consultation'
    keys Enter
    wait_for 'tags \+cycling \+consultation'
    wait_for '#consultation #cycling'
    keys t
    keys -l -- '-consultation'
    keys Enter
    wait_for 'tags -consultation'
    keys n
    wait_for 'never posted'
    keys -l 'Check the dates with Highways'
    keys Enter
    wait_for 'note added'
    wait_for 'note by tester: Check the dates with Highways'
    keys a
    wait_for ' assign to:$'
    keys -l -- '-'
    keys Enter
    wait_for 'thread 21: unassigned'
    [ "$(audit_json '" ".join(e["action"] for e in a if e["thread"] == 21)')" = \
        "assign tag tag note assign" ] || fail "thread view changes not all audited"
    # Undo walks back: the unassign, then the note (deleted, and audited as undone).
    keys u
    wait_for 'undone: unassigned on thread 21'
    keys u
    wait_for 'undone: note added on thread 21'
    wait_gone 'Check the dates with Highways'
    [ "$("$TACTFUL" show 21 --json | python3 -c 'import json,sys; t=json.load(sys.stdin); print(t["assignee"], len(t["notes"]), t["tags"])')" = \
        "tester 0 ['cycling']" ] || fail "undo left the wrong state"
}

test_snooze_leaves_inbox_and_wakes() {
    demo
    start 100 30
    wait_for 'tester │ 1/40'
    top=$("$TACTFUL" list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
    keys z
    wait_for 'snooze until:$'
    keys -l 'soon'
    keys Enter
    wait_for "'soon' is not a time"
    keys z
    keys -l '2h'
    keys Enter
    wait_for "thread $top: snoozed until 20"
    wait_for 'all 39 │'
    [ "$(audit_json 'a[-1]["action"]')" = snooze ] || fail "snooze not audited"
    keys Z
    wait_for 'showing snoozed threads too'
    wait_for 'all 40 │'
    keys u
    wait_for "undone: snoozed until"
    keys Escape
    wait_for 'all 40 │'
}

test_change_by_another_officer_blocks_undo() {
    demo
    start 100 30
    wait_for 'tester │ 1/40'
    top=$("$TACTFUL" list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
    keys s 3
    wait_for "thread $top: state waiting"
    TACTFUL_OFFICER=someone "$TACTFUL" mark "$top" closed >/dev/null
    keys u
    wait_for "cannot undo: thread $top has changed since"
    [ "$("$TACTFUL" show "$top" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])')" = closed ] ||
        fail "undo overwrote another officer's change"
}

run_tests
