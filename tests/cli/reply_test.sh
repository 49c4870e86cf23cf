#!/bin/sh
# Replying from the command line: patterns, drafts, submission through the guardrails,
# overrides with a reason, approval and return by a second officer, and the outbox.
. "$(dirname "$0")/lib.sh"

POSTS='{"platform":"mastodon","account":"dept","thread":"100","id":"100","parent":null,"author":"@alice@example.social","author_name":"Alice","created_at":"2026-11-20T09:15:00Z","text":"The bin collection on Elm Street was missed again","url":"https://example.social/@alice/100","own":false}
{"platform":"mastodon","account":"dept","thread":"100","id":"102","parent":"100","author":"@bob@example.social","author_name":"Bob","created_at":"2026-11-20T11:00:00Z","text":"Recycling too","url":"https://example.social/@bob/102","own":false}'

setup() {
    printf '%s\n' "$POSTS" >posts.jsonl
    t import posts.jsonl >/dev/null 2>&1
}

test_patterns_lists_the_seven() {
    expect_status 0 t patterns
    expect_out '^1  acknowledgement '
    expect_out '^5  mea-culpa .*\(needs approval\)'
    expect_out '^4  signposting .*\(needs a link\)'
    [ "$(wc -l <"$WORK/out")" -eq 7 ] || fail "seven patterns"
    expect_status 0 t patterns --json
    expect_out '"id": ?"clarification"'
}

test_patterns_suggested_for_a_post() {
    setup
    # Thread 1's first post reports a missed collection: signposting.
    expect_status 0 t patterns --for 1
    expect_out '^4  signposting +reports a problem or asks for a service$'
    expect_eq 1 "$(wc -l <"$WORK/out")" "suggestions"
    # Bob's reply, by its remote id, says nothing the rules read.
    expect_status 0 t patterns --for 1 --to 102
    expect_out '^no pattern suggested for this post'
    expect_status 1 t patterns --for 1 --to 999
    expect_err 'thread 1 has no post 999'
    expect_status 0 t patterns --for-text 'Thank you so much! When does the tip open?' --json
    expect_eq "acknowledgement exploratory" \
        "$(jpy '" ".join(s["id"] for s in j if s["id"] in ("exploratory", "acknowledgement"))')" \
        "suggested patterns" || return 1
    expect_eq "asks a question 6 ?" \
        "$(jpy '" ".join(str(x) for x in [[s["reason"], s["key"], s["match"]] for s in j if s["id"] == "exploratory"][0])')" \
        "the question's reason, key and match"
    printf 'Great idea: could we have a water fountain in the park?\n' | expect_status 0 t patterns --for-text -
    expect_out '^2  encouragement +offers an idea or a suggestion$'
    expect_status 2 t patterns --for 1 --for-text x
    expect_status 2 t patterns --to 100
    expect_status 2 t patterns --for abc
    expect_err "'abc' is not a thread number"
    expect_status 1 t patterns --for 99
    expect_err 'no thread 99'
}

test_office_patterns_override_and_errors() {
    mkdir -p office
    printf '[acknowledgement]\nkey = 1\nname = Thanks\npurpose = Our own thanks.\ntemplate = Cheers {author}\n' >office/ours.pattern
    printf '[tactful]\npatterns = %s/office\n' "$WORK" >"$TACTFUL_CONFIG"
    expect_status 0 t patterns
    expect_out '^1  acknowledgement +Our own thanks\.'
    printf '[x]\ncolour = red\n' >office/bad.pattern
    expect_status 2 t patterns
    expect_err 'office/bad\.pattern:2: unknown key .colour.'
}

test_clean_reply_is_queued_while_offline() {
    setup
    printf 'Thanks Alice, we have passed this to the waste team.\n' >r.txt
    expect_status 0 t --offline reply 1 --to 100 --pattern acknowledgement --text-file r.txt --submit
    expect_out '^draft 1 created on thread 1'
    expect_out 'queued as outbox entry 1 \(offline'
    expect_status 0 t --offline outbox list
    expect_out 'queued'
    expect_status 0 t drafts --state queued
    expect_out '^ +1 +1 queued +tester +acknowledgement +Thanks Alice'
}

test_error_refuses_until_overridden_with_reason() {
    setup
    printf 'Thanks Alice. Call 07700 900123.\n' >r.txt
    expect_status 1 t reply 1 --pattern acknowledgement --text-file r.txt --submit
    expect_out '^draft 1:1:20: error: .*\[personal-data\.phone\]'
    expect_err 'not submitted: an error stands \(personal-data\.phone\)'
    expect_status 0 t drafts --state editing
    expect_out '^ +1 '
    expect_status 1 t submit 1 --override personal-data.phone=ok
    expect_err 'reason'
    expect_status 0 t submit 1 --override "personal-data.phone=It is the depot's public line."
    expect_out 'queued as outbox entry'
    expect_status 0 t audit --thread 1 --json
    expect_out "guard.override"
    expect_out "depot's public line"
    expect_out '"officer": ?"tester"'
}

test_mea_culpa_needs_a_second_officer() {
    setup
    printf 'Sorry Alice, we meant Tuesday.\n' >r.txt
    expect_status 0 t reply 1 --pattern mea-culpa --text-file r.txt --submit
    expect_out 'pending_approval \(mea-culpa\)'
    expect_status 0 t outbox list
    expect_no_out 'queued'
    expect_status 1 t approve 1
    expect_err 'cannot approve your own draft 1'
    expect_status 0 env TACTFUL_OFFICER=lee.chan "$TACTFUL" approve 1
    expect_out 'approved by lee.chan and queued as outbox entry 1'
    expect_status 0 t audit --thread 1
    expect_out 'draft.approve'
    expect_out 'lee.chan'
}

test_return_with_comment_then_resubmit() {
    setup
    printf 'Sorry, we meant it.\n' >r.txt
    expect_status 0 t reply 1 --pattern mea-culpa --text-file r.txt --submit
    expect_status 2 env TACTFUL_OFFICER=lee.chan "$TACTFUL" return 1
    expect_status 0 env TACTFUL_OFFICER=lee.chan "$TACTFUL" return 1 --comment "Say which day"
    expect_status 0 t drafts --state returned
    expect_out 'returned by lee.chan: Say which day'
    printf 'Sorry Alice, we meant Tuesday.\n' >r2.txt
    expect_status 0 t submit 1 --text-file r2.txt
    expect_out 'pending_approval'
    expect_status 0 env TACTFUL_OFFICER=lee.chan "$TACTFUL" approve 1
    expect_status 0 t audit --thread 1
    expect_out 'draft.return'
}

test_template_and_warning_and_discard() {
    setup
    expect_status 0 t reply 1 --to 102 --pattern acknowledgement --template
    expect_out '^submit it with `tactful submit 1`'
    expect_status 0 t drafts --json
    expect_out 'Thanks for the feedback, @bob@example.social'
    expect_status 0 env TACTFUL_OFFICER=lee.chan "$TACTFUL" reply 1 --pattern encouragement --template
    expect_err 'warning: tester has a draft \(editing\) on thread 1'
    expect_status 1 t submit 1
    expect_err 'still holds \{topic\}'
    expect_status 0 t discard 1
    expect_status 1 t discard 1
    expect_status 2 t reply 1 --pattern nosuch --template
    expect_err "no pattern 'nosuch'"
    expect_status 2 t reply 1 --pattern acknowledgement
    expect_status 2 t approve x1
    expect_err "'x1' is not a draft number"
    expect_status 1 t submit 9
    expect_err 'no draft 9'
}

test_reply_without_submit_prints_findings() {
    setup
    printf 'Thanks Alice. Call 07700 900123.\n' >r.txt
    expect_status 0 t reply 1 --pattern acknowledgement --text-file r.txt
    expect_out '^draft 1:1:20: error: .*\[personal-data\.phone\]'
    expect_status 0 t drafts --state editing
    expect_out '^ +1 +1 editing'
}

test_signature_is_sent_exactly_once() {
    setup
    printf '[tactful]\nsignature = "- Sam, Parks team"\n' >"$TACTFUL_CONFIG"
    printf 'Thanks Alice, we have passed this to the waste team.\n' >r.txt
    expect_status 0 t --offline reply 1 --pattern acknowledgement --text-file r.txt --submit
    body=$(t outbox list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["body"])')
    [ "$body" = "Thanks Alice, we have passed this to the waste team. - Sam, Parks team" ] ||
        fail "the signature should be appended once, got: $body"
    printf 'Thanks Bob. - Sam, Parks team\n' >r2.txt
    expect_status 0 t --offline reply 1 --to 102 --pattern acknowledgement --text-file r2.txt --submit
    body=$(t outbox list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[1]["body"])')
    [ "$body" = "Thanks Bob. - Sam, Parks team" ] ||
        fail "a signature already there is not added again, got: $body"
}

test_held_reply_cannot_be_overridden() {
    setup
    printf '[tone.evil]\nkind = regex\nlevel = info\nmessage = x\nmatch = (x+x+)+y\n' >"$WORK/policy"
    printf '[tactful]\npolicy = %s/policy\n' "$WORK" >"$TACTFUL_CONFIG"
    python3 -c 'print("x" * 3000)' >r.txt
    expect_status 1 t reply 1 --pattern acknowledgement --text-file r.txt --submit
    expect_err 'not submitted: the guardrails could not check it to the end \(tone\.evil\), and no override passes that'
    expect_status 1 t submit 1 --override "tone.evil=I have read it and it is fine."
    expect_err 'could not check it to the end \(tone\.evil\)'
    expect_status 0 t drafts --state editing
    expect_out '^ +1 '
}

run_tests
