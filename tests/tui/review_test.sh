#!/bin/sh
# Reviewing drafts in the interface: the approvals view as a second officer (the draft, its
# findings, the post it answers; approve, return with a comment), the officer's own draft
# refused, the drafts view (returned comment, discard, edit), the audit view, and the outbox
# line of the status bar with the send action (offline it refuses; online it sends in the
# background to a fake server on 127.0.0.1).
. "$(dirname "$0")/lib.sh"
PYTHON=${PYTHON:-python3}
. "$SRC/tests/cli/net_lib.sh"

POSTS='{"platform":"mastodon","account":"dept","thread":"100","id":"100","parent":null,"author":"@alice@example.social","author_name":"Alice","created_at":"2026-11-20T09:15:00Z","text":"The bin collection on Elm Street was missed again","url":"https://example.social/@alice/100","own":false}
{"platform":"mastodon","account":"dept","thread":"100","id":"102","parent":"100","author":"@bob@example.social","author_name":"Bob","created_at":"2026-11-20T11:00:00Z","text":"Recycling too","url":"https://example.social/@bob/102","own":false}'

setup() {
    printf '%s\n' "$POSTS" >posts.jsonl
    "$TACTFUL" import posts.jsonl >/dev/null 2>&1
}

# as OFFICER CMD...: runs tactful as another officer.
as() {
    who=$1
    shift
    TACTFUL_OFFICER=$who "$TACTFUL" "$@"
}

# pending OFFICER TEXT: a mea culpa draft (it needs approval by default) answering post 100,
# submitted as OFFICER.
pending() {
    printf '%s\n' "$2" >r.txt
    as "$1" reply 1 --to 100 --pattern mea-culpa --text-file r.txt --submit >/dev/null 2>&1
}

# draft_field ID FIELD: a field of draft ID in `tactful drafts --json` (every state).
draft_field() {
    python3 - "$TACTFUL" "$1" "$2" <<'PY'
import json, subprocess, sys
for s in ("editing", "pending_approval", "returned", "approved", "queued", "sent", "discarded"):
    out = subprocess.check_output([sys.argv[1], "drafts", "--state", s, "--json"])
    for d in json.loads(out):
        if d["id"] == int(sys.argv[2]):
            print(d[sys.argv[3]])
PY
}

test_second_officer_approves_with_findings_shown() {
    setup
    pending amy 'Sorry Alice, we meant Tuesday. We guarantee it is fixed by Friday.'
    [ "$(draft_field 1 state)" = pending_approval ] || fail "draft 1 should wait for approval"
    start 120 40
    wait_for 'INBOX │ tester │ 1/1 │ 1 to approve'
    keys V
    wait_for '^ Approvals · drafts waiting for a second officer · 1'
    wait_for '^ +1 +1 amy +mea-culpa +pending_approval .* Sorry Alice, we meant Tuesday'
    wait_for 'Waits for a second officer.s approval because of: mea-culpa'
    wait_for '^ In reply to Alice \(@alice@example.social\):'
    wait_for '^   The bin collection on Elm Street was missed again'
    wait_for 'Guardrails: 1 finding'
    wait_for 'warning 1:32: "We guarantee" promises an outcome.*\[commitment.promise\]'
    keys a
    wait_for 'approve draft 1 and queue it for sending\? y to approve:'
    keys Escape
    wait_for 'cancelled'
    [ "$(draft_field 1 state)" = pending_approval ] || fail "Esc must leave the draft waiting"
    keys a y Enter
    wait_for 'draft 1 approved: outbox entry 1'
    wait_for 'Nothing waits for approval'
    wait_for 'APPROVALS │ tester │ 0/0 │ 1 queued'
    [ "$(draft_field 1 state)" = queued ] || fail "draft 1 should be queued"
    [ "$("$TACTFUL" outbox list --json | python3 -c 'import json,sys; o=json.load(sys.stdin); print(len(o), o[0]["state"], o[0]["queued_by"])')" = \
        "1 queued tester" ] || fail "the outbox should hold the approved reply"
    [ "$(audit_json '[e["officer"] for e in a if e["action"] == "draft.approve"]')" = "['tester']" ] ||
        fail "the approval should be audited as tester"
    # The audit view shows it, newest first.
    keys L
    wait_for '^ Audit log · every thread'
    wait_for '^ [0-9-]+ [0-9:]+ tester +draft.approve +1 +\{"draft":1,"officer":"amy"\}'
    keys q
    wait_for 'APPROVALS │ tester'
}

test_return_with_comment_reaches_the_officer() {
    setup
    pending amy 'Sorry Alice, we meant Tuesday.'
    start 120 40
    wait_for '1 to approve'
    keys V
    wait_for 'pending_approval'
    keys R
    wait_for 'comment for amy \(returns draft 1\):'
    keys Enter
    wait_for 'a return needs a comment of 1 to 2000 bytes; draft 1 was not returned'
    [ "$(draft_field 1 state)" = pending_approval ] || fail "an empty comment must not return it"
    keys R
    wait_for 'comment for amy'
    keys -l 'Say which Tuesday, please: the 24th.'
    keys Enter
    wait_for 'draft 1 returned to its officer with your comment'
    [ "$(draft_field 1 state) $(draft_field 1 reviewer)" = "returned tester" ] ||
        fail "draft 1 should be returned by tester"
    [ "$(draft_field 1 review_comment)" = 'Say which Tuesday, please: the 24th.' ] ||
        fail "the comment should be stored"
    [ "$(audit_json '[e["officer"] for e in a if e["action"] == "draft.return"]')" = "['tester']" ] ||
        fail "the return should be audited"
    screen | grep -q 'returned to you' && fail "the draft was returned to amy, not to tester"
    keys q
    stop_server
    # amy's status bar counts it; her drafts view shows it with the comment.
    START_ENV=TACTFUL_OFFICER=amy start 120 40
    wait_for 'INBOX │ amy │ 1/1 │ 1 returned to you'
    keys D
    wait_for '^ Drafts · every live draft'
    wait_for '^ +1 +1 amy +mea-culpa +returned '
    wait_for '^ Returned by tester with this comment:'
    wait_for '^   Say which Tuesday, please: the 24th\.'
    wait_for 'by amy \(you\)'
}

test_own_draft_cannot_be_approved_or_returned() {
    setup
    pending tester 'Sorry Alice, we meant Tuesday.'
    start 120 40
    wait_for 'INBOX │ tester │ 1/1'
    screen | grep -q 'to approve' && fail "one's own draft is not waiting for one's approval"
    keys V
    wait_for 'This is your draft: another officer approves or returns it'
    keys a
    wait_for 'draft 1 is your own: another officer must approve or return it; nothing was changed'
    keys R
    wait_for 'draft 1 is your own: another officer must approve or return it'
    [ "$(draft_field 1 state)" = pending_approval ] || fail "the draft must be unchanged"
    [ "$(audit_json 'len([e for e in a if e["action"] in ("draft.approve", "draft.return")])')" = 0 ] ||
        fail "nothing should be audited"
}

test_offline_outbox_waits_and_send_refuses() {
    setup
    printf 'Thanks Bob, we have passed this to the waste team.\n' >r.txt
    "$TACTFUL" --offline reply 1 --to 102 --pattern acknowledgement --text-file r.txt --submit \
        >/dev/null 2>&1
    start 120 30 --offline
    wait_for 'OFFLINE  INBOX │ tester │ 1/1 │ 1 reply waiting \(offline\)'
    keys S
    wait_for 'offline: replies wait until you are online'
    [ "$("$TACTFUL" outbox list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["state"])')" = queued ] ||
        fail "nothing may be sent offline"
    keys D
    wait_for 'DRAFTS │ tester │ 1/1 │ 1 reply waiting \(offline\)'
}

test_discard_and_edit_from_the_drafts_view() {
    setup
    printf 'Thanks Bob, we have passed this to the waste team.\n' >r.txt
    "$TACTFUL" --offline reply 1 --to 102 --pattern acknowledgement --text-file r.txt --submit \
        >/dev/null 2>&1
    "$TACTFUL" reply 1 --pattern acknowledgement --template >/dev/null 2>&1
    start 120 40
    wait_for 'INBOX │ tester'
    keys D
    wait_for '^ +2 +1 tester +acknowledgement +editing '
    wait_for '^ +1 +1 tester +acknowledgement +queued '
    wait_for 'DRAFTS │ tester │ 1/2'
    # e edits the officer's own draft in the composer; leaving it comes back here.
    keys e
    wait_for '^ Reply · draft 2 · thread 1 · mastodon'
    keys C-e
    keys -l ' Edited.'
    wait_for 'Edited\.'
    keys Escape
    wait_for '^ Drafts · every live draft'
    case "$(draft_field 2 body)" in *' Edited.') ;; *) fail "the edit was not saved" ;; esac
    keys j d
    wait_for 'draft 1 is queued and cannot be discarded; it is in the outbox'
    keys k d
    wait_for 'discard draft 2\? y to discard:'
    keys n Enter
    wait_for 'draft 2 kept'
    [ "$(draft_field 2 state)" = editing ] || fail "n must keep the draft"
    keys d y Enter
    wait_for 'draft 2 discarded'
    wait_gone '^ +2 +1 tester'
    [ "$(draft_field 2 state)" = discarded ] || fail "draft 2 should be discarded"
    [ "$(audit_json '[e["officer"] for e in a if e["action"] == "draft.discard"]')" = "['tester']" ] ||
        fail "the discard should be audited"
    # Tab steps through the states; discarded is the last.
    keys BTab
    wait_for '^ Drafts · discarded · 1'
    wait_for '^ +2 +1 tester +acknowledgement +discarded '
}

test_audit_view_from_a_thread_shows_that_thread() {
    setup
    printf '{"platform":"mastodon","account":"dept","thread":"200","id":"200","parent":null,"author":"@cy@example.social","created_at":"2026-11-21T09:00:00Z","text":"Another","own":false}\n' >more.jsonl
    "$TACTFUL" import more.jsonl >/dev/null 2>&1
    "$TACTFUL" mark 1 to_reply >/dev/null
    "$TACTFUL" mark 2 waiting >/dev/null
    start 120 30
    wait_for 'INBOX │ tester'
    goto 1
    keys Enter
    wait_for '^ Thread 1 '
    keys L
    wait_for '^ Audit log · thread 1 · 1 entry, newest first'
    wait_for 'tester +mark +1 '
    screen | grep -q ' mark  *2 ' && fail "only thread 1's entries should show"
    keys f
    wait_for '^ Audit log · every thread · 2 entries'
    keys q
    wait_for '^ Thread 1 '
}

test_send_runs_in_the_background_and_reports() {
    fake_start '{"tenants": {"m": {"platform": "mastodon", "threads": 1, "replies": 1}}}'
    account_mastodon m m
    "$TACTFUL" sync >/dev/null 2>&1
    th=$(sqlite3 "$TACTFUL_DB" "select thread_id from posts where remote_id = '1002'")
    printf 'Thanks, we have passed this to the crew.\n' >r.txt
    "$TACTFUL" reply "$th" --to 1002 --pattern acknowledgement --text-file r.txt --submit \
        >/dev/null 2>&1
    fake_ctl '{"rules": {"m": [{"match": "POST /api/v1/statuses", "status": 422, "times": 1, "body": {"error": "Validation failed"}}]}}'
    start 120 30
    wait_for 'INBOX │ tester │ .* │ 1 queued'
    keys S
    wait_for 'outbox: 0 sent, 1 still waiting \(1 failed\)'
    # The long message took the outbox field's room; the next key brings it back.
    keys j
    wait_for '1 queued, 1 failed!'
    keys S
    wait_for 'outbox sent: 1 reply posted'
    wait_gone '1 queued'
    [ "$("$TACTFUL" outbox list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["state"])')" = sent ] ||
        fail "the reply should be sent"
    [ "$(audit_json '[e["officer"] for e in a if e["action"] == "reply_sent"]')" = "['tester']" ] ||
        fail "the send should be audited as tester"
}

test_offline_review_bundle_approves_and_merges_back() {
    setup
    pending amy 'Sorry Alice, we meant Tuesday.'
    "$TACTFUL" export --bundle "$WORK/review.tactful" >/dev/null 2>&1 || fail "export --bundle"
    home=$TACTFUL_DB
    TACTFUL_DB=$WORK/review.tactful
    start 120 40
    wait_for ' REVIEW BUNDLE  INBOX │ tester │ 1/1 │ 1 to approve'
    keys V
    wait_for 'pending_approval .* Sorry Alice, we meant Tuesday'
    keys a y Enter
    wait_for 'draft 1 approved'
    keys q
    wait_for '1 reply approved \(sent after the merge\)'
    keys S
    wait_for 'a review bundle sends nothing; replies go out after the merge'
    keys q
    wait_for 'EXITED 0'
    TACTFUL_DB=$home
    [ "$("$TACTFUL" outbox list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" = 0 ] ||
        fail "nothing may be queued at home before the merge"
    "$TACTFUL" import --bundle "$WORK/review.tactful" >/dev/null 2>&1 || fail "the merge should succeed"
    [ "$("$TACTFUL" outbox list --json | python3 -c 'import json,sys; o=json.load(sys.stdin); print(len(o), o[0]["state"], o[0]["queued_by"])')" = \
        "1 queued tester" ] || fail "the merge should queue the reply approved offline, by its approver"
}

test_approval_online_sends_by_itself() {
    fake_start '{"tenants": {"m": {"platform": "mastodon", "threads": 1, "replies": 1}}}'
    account_mastodon m m
    "$TACTFUL" sync >/dev/null 2>&1
    th=$(sqlite3 "$TACTFUL_DB" "select thread_id from posts where remote_id = '1002'")
    printf 'Sorry, we meant Tuesday, not Monday.\n' >r.txt
    as amy reply "$th" --to 1002 --pattern mea-culpa --text-file r.txt --submit >/dev/null 2>&1
    start 120 30
    wait_for '1 to approve'
    keys V
    wait_for 'pending_approval'
    keys a y Enter
    wait_for 'approved: outbox entry 1; sending it'
    wait_for 'outbox sent: 1 reply posted'
    [ "$("$TACTFUL" outbox list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["state"])')" = sent ] ||
        fail "the approved reply should have been sent without a further key"
}

run_tests
