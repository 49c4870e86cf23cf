#!/bin/sh
# Replying in the terminal interface: the ready-reckoner beside the thread (a number key picks
# a pattern, its template is previewed, Enter makes a draft), the composer (editing, the live
# counter, findings that appear and clear as you type), submitting through the guardrails with
# an override, approval, the outbox while offline, autosave surviving kill -9, the $EDITOR
# hand-off and the warning when another officer is at work on the thread.
. "$(dirname "$0")/lib.sh"

POSTS='{"platform":"mastodon","account":"dept","thread":"100","id":"100","parent":null,"author":"@alice@example.social","author_name":"Alice","created_at":"2026-11-20T09:15:00Z","text":"The bin collection on Elm Street was missed again","url":"https://example.social/@alice/100","own":false}'

# setup: one Mastodon thread from Alice, and a signature.
setup() {
    printf '%s\n' "$POSTS" >posts.jsonl
    "$TACTFUL" import posts.jsonl >/dev/null 2>&1
    printf '[tactful]\nsignature = SP\n' >"$TACTFUL_CONFIG"
}

# drafts_json EXPR: evaluates the expression with `d` bound to `tactful drafts --json`.
drafts_json() {
    "$TACTFUL" drafts --json | python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"
}

# open_reply: opens the thread and the ready-reckoner.
open_reply() {
    wait_for 'tester │ 1/1'
    keys Enter
    wait_for 'Thread 1 · mastodon'
    keys R
    wait_for 'Ready-reckoner · reply to @alice@example.social'
}

# blank_reply: opens a blank reply in the composer.
blank_reply() {
    open_reply
    keys 0
    wait_for 'Reply · draft [0-9]+ · thread 1 · mastodon · blank reply · editing'
}

# quit_from_composer: leaves the composer, the thread and tactful, which must exit cleanly (under
# the sanitizers, with no leak).
quit_from_composer() {
    keys Escape
    wait_for 'draft [0-9]+ kept'
    keys q
    wait_for 'tester │ 1/1'
    keys q
    wait_for 'EXITED 0'
}

# tactful_pid: the process id of tactful running in the test's tmux pane.
tactful_pid() {
    pane=$(tmux -L "$SOCK" display -p -t tt '#{pane_pid}')
    ps -o pid= -o comm= --ppid "$pane" | awk '$2 == "tactful" {print $1}'
}

test_pick_a_pattern_preview_and_edit() {
    setup
    start 110 32
    open_reply
    wait_for '1 acknowledgement'
    wait_for '7 clarification'
    keys 4
    wait_for 'preview \(mastodon\):'
    wait_for 'Hi @alice@example.social, take a look at \{link\} for'
    wait_for 'Signposting · needs a link'
    keys 1
    wait_for 'Thanks for the feedback, @alice@example.social'
    keys Enter
    wait_for 'Reply · draft 1 · thread 1 · mastodon · acknowledgement · editing'
    wait_for 'answering Alice:'
    wait_for 'The bin collection on Elm Street was missed again'
    wait_for 'Thanks for the feedback, @alice@example.social\. We.ve passed your'
    # The template's {topic} is left for the officer: replace the text after "about ".
    keys C-a
    i=0
    while [ $i -lt 13 ]; do keys M-f; i=$((i + 1)); done
    keys C-k
    keys -l ' the bins. SP'
    wait_for "passed your comments about the bins\\. SP"
    [ "$(drafts_json 'd[0]["body"]')" = "Thanks for the feedback, @alice@example.social. We've passed your comments about the bins. SP" ] ||
        fail "the edited text was not saved as typed"
    # Undo takes the typing back in one step, redo brings it again.
    keys C-_
    wait_for "passed your comments about *$"
    keys C-r
    wait_for "about the bins\\. SP"
    # Esc leaves; the draft is kept.
    keys Escape
    wait_for 'draft 1 kept \(editing\)'
    wait_for 'Thread 1 · mastodon'
    [ "$(drafts_json 'd[0]["state"], d[0]["pattern"]')" = "editing acknowledgement" ] ||
        fail "the draft should stay editing"
    keys q
    wait_for 'tester │ 1/1'
    keys q
    wait_for 'EXITED 0'
}

test_reckoner_marks_the_patterns_suggested_for_the_post() {
    setup
    start 110 32
    open_reply
    # Alice reports a missed collection: the suggest rules propose signposting.
    wait_for '4\*signposting +Point them'
    wait_for '1 acknowledgement +Thank them'
    wait_for '6 exploratory +Ask them'
    wait_for '\* suggested for this post: 4 signposting$'
    keys 4
    wait_for 'Signposting · needs a link'
    wait_for 'suggested: the post reports a problem or asks for a'
    wait_for '│ service$'
    keys 1
    wait_for 'Acknowledgement'
    wait_gone 'suggested: the post'
    keys Escape
    wait_gone 'Ready-reckoner'
    keys q
    wait_for 'tester │ 1/1'
    keys q
    wait_for 'EXITED 0'
}

test_warning_appears_and_clears_counter_moves() {
    setup
    start 110 32
    blank_reply
    wait_for '── your reply ─+ 2/500$'
    wait_for '\+ signature, added when sent: SP'
    keys -l 'Call 07700 900123'
    wait_for 'error +1:6 +personal-data\.phone'
    wait_for '─ 20/500$'
    screen_attrs | grep -q '07700 900123' || fail "the number is not on screen"
    # The cursor on the span shows the finding's message in the status bar.
    keys Left Left
    wait_for 'COMPOSE .*error: .*phone number'
    keys End
    i=0
    while [ $i -lt 13 ]; do keys BSpace; i=$((i + 1)); done
    wait_for 'Call SP|Call *$'
    wait_gone 'personal-data\.phone'
    wait_for '─ 7/500$'
    # A party's name from the shipped rules is marked as it is typed, and cleared by undo.
    keys -l ' the Labour Party'
    wait_for 'political\.party'
    keys C-_
    wait_gone 'political\.party'
    quit_from_composer
}

test_refused_then_overridden_with_a_reason_and_queued_offline() {
    setup
    start 110 32 --offline
    blank_reply
    keys -l 'Thanks Alice. Call 07700 900123.'
    wait_for 'personal-data\.phone'
    keys C-x
    wait_for 'reason to send past personal-data\.phone \(1 of 1'
    keys -l "It is the depot's public line."
    keys Enter
    wait_for 'draft 1 is in the outbox \(ent'
    wait_for 'Thread 1 · mastodon'
    [ "$(drafts_json 'd[0]["state"]')" = queued ] || fail "the draft should be queued"
    # The signature was appended exactly once.
    [ "$(drafts_json 'd[0]["body"]')" = "Thanks Alice. Call 07700 900123. SP" ] ||
        fail "the body sent should end with the signature once"
    [ "$(audit_json '[e["details"].get("reason") for e in a if e["action"] == "guard.override"][0]')" = \
        "It is the depot's public line." ] || fail "the override and its reason are not audited"
    "$TACTFUL" --offline outbox list | grep -q queued || fail "the reply is not in the outbox"
}

test_refusal_cancelled_keeps_editing() {
    setup
    start 110 32
    blank_reply
    keys -l 'Call 07700 900123.'
    keys C-x
    wait_for 'reason to send past personal-data\.phone'
    keys Escape
    wait_for 'cancelled'
    wait_for 'Reply · draft 1'
    [ "$(drafts_json 'd[0]["state"]')" = editing ] || fail "a refused draft stays editing"
}

test_mea_culpa_waits_for_approval() {
    setup
    start 110 32
    open_reply
    keys 5
    wait_for 'mea culpa · needs approval'
    keys Enter
    wait_for 'Reply · draft 1 · .* mea-culpa'
    keys C-x
    wait_for 'still holds \{topic\}; replace it before submitting'
    keys M-'<' C-k
    keys -l 'Sorry Alice, we meant Tuesday. SP'
    wait_for 'Sorry Alice, we meant Tuesday\. SP'
    keys C-x
    wait_for 'draft 1 waits for approval \(mea-culpa\)'
    [ "$(drafts_json 'd[0]["state"]')" = pending_approval ] || fail "should wait for approval"
    env TACTFUL_OFFICER=lee.chan "$TACTFUL" approve 1 | grep -q 'approved by lee.chan' ||
        fail "a second officer could not approve"
}

test_kill_9_while_typing_keeps_every_shown_character() {
    setup
    start 110 32
    blank_reply
    keys -l 'Hello Alice, the crew is on its way'
    wait_for 'Hello Alice, the crew is on its way'
    pid=$(tactful_pid)
    [ -n "$pid" ] || fail "cannot find the tactful process"
    kill -9 "$pid"
    wait_for 'EXITED 137'
    [ "$(drafts_json 'd[0]["body"]')" = 'Hello Alice, the crew is on its way' ] ||
        fail "the draft lost typed characters"
    stop_server
    start 110 32
    wait_for 'tester │ 1/1'
    keys Enter
    wait_for 'Thread 1 · mastodon'
    keys R
    wait_for 'resume your draft, or new'
    wait_for '1 draft 1 editing +2 new'
    keys 1
    wait_for 'Reply · draft 1'
    wait_for 'Hello Alice, the crew is on its way'
    # A second reply on the same thread is possible too.
    keys Escape
    wait_for 'draft 1 kept'
    keys R
    wait_for 'resume your draft, or new'
    keys 2
    wait_for 'Ready-reckoner'
}

test_editor_hand_off() {
    setup
    mkdir tmp
    printf '#!/bin/sh\nprintf "appended by the editor\\n" >>"$1"\n' >ed.sh
    chmod +x ed.sh
    START_ENV="VISUAL= EDITOR='$WORK/ed.sh' TMPDIR='$WORK/tmp'" start 110 32
    blank_reply
    keys -l 'Typed first.'
    wait_for 'Typed first\.'
    keys F2
    wait_for 'back from the editor: [0-9]+ finding'
    wait_for 'appended by the editor'
    [ "$(drafts_json 'repr(d[0]["body"])')" = "'Typed first.\\nappended by the editor'" ] ||
        fail "the editor's text was not saved"
    [ -z "$(ls tmp)" ] || fail "the editor's file was left behind"
    # An editor that fails leaves the draft as it was.
    printf '#!/bin/sh\necho junk >>"$1"; exit 3\n' >ed.sh
    keys F2
    wait_for 'the editor exited with status 3; the draft is unchanged'
    screen | grep -q junk && fail "a failed edit must not be taken"
    [ -z "$(ls tmp)" ] || fail "the failed editor's file was left behind"
    quit_from_composer
}

test_busy_warning_when_another_officer_has_a_draft() {
    setup
    env TACTFUL_OFFICER=other "$TACTFUL" reply 1 --pattern acknowledgement --template \
        >/dev/null 2>&1
    start 110 32
    open_reply
    wait_for 'warning: other has a draft \(editing\) on thread 1'
    keys 0
    wait_for 'Reply · draft 2'
}

# A post deleted upstream is marked in the thread view and cannot be answered: the
# ready-reckoner does not open, the status bar says why.
test_deleted_post_is_marked_and_not_answered() {
    setup
    sqlite3 "$TACTFUL_DB" "update posts set deleted_at = '2026-11-21T10:00:00Z', deleted_reason = 'deleted on Mastodon' where remote_id = '100'"
    start 110 32
    wait_for 'tester │ 1/1'
    keys Enter
    wait_for 'Thread 1 · mastodon'
    wait_for 'Alice · [0-9a-z]+ \[deleted\]  The bin collection'
    wait_for '\[deleted\] gone upstream, kept for the record'
    keys R
    wait_for 'no reply: the post answered \(100\) was deleted on Mastodon'
    wait_gone 'Ready-reckoner'
    [ "$(sqlite3 "$TACTFUL_DB" 'select count(*) from drafts')" = 0 ] || fail "a draft was made"
    keys q
    wait_for 'tester │ 1/1'
    keys q
    wait_for 'EXITED 0'
}

test_help_in_composer_lists_its_keys() {
    setup
    start 110 40
    blank_reply
    keys -l '?'
    wait_for '^ \?'
    keys F1
    wait_for 'tactful keys · composer'
    wait_for 'submit the reply through the guardrails'
    wait_for 'F3, M-i +show the finding under the cursor'
    wait_for 'Every other character types itself'
}

# panel_text: the finding's panel (explain-finding) as one line: frame and wrapping removed.
panel_text() {
    screen | sed -n '/┌─ Finding/,/└/p' | sed '1d;$d' | sed 's/^ *│//; s/│ *$//' |
        tr '\n' ' ' | tr -s ' '
}

# narrow_blank_reply: opens a blank reply in a terminal too narrow for the reckoner's title.
narrow_blank_reply() {
    wait_for 'tester │ 1/1'
    keys Enter
    wait_for 'Thread 1 · mastodon'
    keys R
    wait_for 'Ready-reckoner · reply to'
    keys 0
    wait_for 'Reply · draft [0-9]+ · thread 1 · mastodon · blank reply · editing'
}

test_finding_explained_in_full_at_80_columns() {
    setup
    start 80 24
    narrow_blank_reply
    keys -l 'Thanks Alice. Call 07700 900123 and we will sort it'
    wait_for 'personal-data\.phone'
    wait_for 'commitment\.promise'
    # In the findings pane, at 80 columns, the suggestions are cut off.
    screen | grep -q "send them a direct message\|ask them to send a direct message" &&
        fail "the suggestion should not fit in the findings pane at 80 columns"
    # The cursor is on no finding: F3 shows the worst, the phone number, in full.
    keys F3
    wait_for '┌─ Finding'
    wait_for 'COMPOSE .*any key closes'
    panel=$(panel_text)
    case $panel in
    *"personal-data.phone error, at line 1, column 20 This looks like a personal phone number; never publish personal details. Suggestion: Remove it; give the service's own line or ask them to send a direct message. "*) ;;
    *) fail "the panel should give the rule, level, message and suggestion in full: '$panel'" ;;
    esac
    # Any key closes it and does nothing else.
    keys x
    wait_gone '┌─ Finding'
    wait_for 'COMPOSE .*line 1 col 52'
    wait_for '^ Thanks Alice\. Call 07700 900123 and we will sort it *$'
    # On the promise, M-i explains the finding under the cursor.
    keys Left Left Left Left Left Left Left Left
    wait_for 'COMPOSE .*warning: .*promises'
    keys M-i
    wait_for '┌─ Finding'
    panel=$(panel_text)
    case $panel in
    *'commitment.promise warning, at line 1, column 37 "we will sort" promises an outcome the council may not be able to guarantee. Suggestion: Say what happens next instead, for example "The team will look at this." '*) ;;
    *) fail "the panel should explain the promise under the cursor: '$panel'" ;;
    esac
    keys Escape
    wait_gone '┌─ Finding'
    wait_for 'Reply · draft 1'
    quit_from_composer
}

test_explain_with_no_findings_says_so() {
    setup
    start 80 24
    narrow_blank_reply
    keys -l 'Thanks Alice'
    wait_for '── findings: none'
    keys F3
    wait_for 'no findings to explain'
    quit_from_composer
}

test_explained_finding_says_what_the_policy_wants() {
    setup
    printf '[tactful]\nsignature = SP\npolicy = %s/policy\n' "$WORK" >"$TACTFUL_CONFIG"
    printf '[personal-data.phone]\nlock = yes\napproval = yes\n' >policy
    start 80 24
    narrow_blank_reply
    keys -l 'Call 07700 900123'
    wait_for 'personal-data\.phone'
    keys F3
    wait_for '┌─ Finding'
    panel=$(panel_text)
    case $panel in
    *"The office policy locked this rule; sending past it needs a second officer's approval. "*) ;;
    *) fail "the panel should say the rule is locked and needs approval: '$panel'" ;;
    esac
    keys Escape
    wait_gone '┌─ Finding'
    quit_from_composer
}

test_held_reply_is_refused_without_asking_for_a_reason() {
    # A rule that cannot be checked to the end holds the reply: no override is offered.
    setup
    printf '[tactful]\nsignature = SP\npolicy = %s/policy\n' "$WORK" >"$TACTFUL_CONFIG"
    printf '[tone.evil]\nkind = regex\nlevel = info\nmessage = x\nmatch = (x+x+)+y\n' >policy
    start 110 32 --offline
    blank_reply
    keys -l 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'
    wait_for 'tone\.evil'
    keys C-x
    wait_for 'draft 1 not submitted: the guardrails could not check it to the'
    case $(screen) in
    *"reason to send past"*) fail "an override was offered for a held reply" ;;
    esac
    [ "$(drafts_json 'd[0]["state"]')" = editing ] || fail "a held draft stays editing"
}

test_broken_rules_stop_before_the_screen() {
    setup
    printf '[tactful]\npolicy = %s/policy\n' "$WORK" >"$TACTFUL_CONFIG"
    printf '[personal-data.phone]\nlevel = loud\n' >policy
    start 110 32
    wait_for 'policy:2: '
    wait_for 'tactful inbox: fix the rule files named above'
    wait_for 'EXITED 2'
}

test_reply_starts_on_the_latest_post_from_the_public() {
    # The office posted first; Alice and then Bob answered; the office answered Alice last.
    {
        echo '{"platform":"mastodon","account":"dept","thread":"200","id":"200","parent":null,"author":"@dept@example.social","author_name":"Dept","created_at":"2026-11-20T09:00:00Z","text":"Consultation on the new cycle lanes opens today","url":"https://example.social/@dept/200","own":true}'
        echo '{"platform":"mastodon","account":"dept","thread":"200","id":"201","parent":"200","author":"@alice@example.social","author_name":"Alice","created_at":"2026-11-20T09:10:00Z","text":"Where do I send comments?","url":"https://example.social/@alice/201","own":false}'
        echo '{"platform":"mastodon","account":"dept","thread":"200","id":"202","parent":"200","author":"@bob@example.social","author_name":"Bob","created_at":"2026-11-20T09:20:00Z","text":"Will Elm Street get one?","url":"https://example.social/@bob/202","own":false}'
        echo '{"platform":"mastodon","account":"dept","thread":"200","id":"203","parent":"201","author":"@dept@example.social","author_name":"Dept","created_at":"2026-11-20T09:30:00Z","text":"Through the consultation page","url":"https://example.social/@dept/203","own":true}'
    } >posts.jsonl
    "$TACTFUL" import posts.jsonl >/dev/null 2>&1
    start 110 32
    wait_for 'tester │ 1/1'
    keys Enter
    wait_for 'Thread 1 · mastodon'
    wait_for 'post 1/4'
    # Not the root (the office's own post) but Bob's, the latest from the public.
    keys R
    wait_for 'Ready-reckoner · reply to @bob@example.social'
    wait_for '── Bob \(@bob@example.social\)'
    keys Escape
    wait_gone 'Ready-reckoner'
    wait_for 'post 4/4'
    # A post the officer selects is the one answered.
    keys g
    wait_for 'post 1/4'
    keys j
    wait_for 'post 2/4'
    keys R
    wait_for 'Ready-reckoner · reply to @alice@example.social'
    keys 0
    wait_for 'Reply · draft 1 · thread 1 · mastodon · blank reply'
    wait_for 'answering Alice:'
    quit_from_composer
}

test_topic_fills_the_template_and_the_cursor_starts_at_a_placeholder() {
    setup
    start 110 32
    open_reply
    keys 1
    wait_for 'passed your comments about \{topic\} to the'
    keys Escape
    wait_gone 'Ready-reckoner'
    # The officer says what the thread is about; the header shows it.
    keys i
    wait_for 'topic'
    keys -l 'the bins'
    keys Enter
    wait_for 'thread 1: topic the bins'
    wait_for 'Thread 1 · mastodon .* · about: the bins'
    [ "$("$TACTFUL" show 1 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["topic"])')" = "the bins" ] ||
        fail "the topic was not saved"
    keys R
    wait_for 'Ready-reckoner · reply to @alice@example.social'
    keys 1
    wait_for 'passed your comments about the bins to the'
    # Signposting leaves {link}: the composer starts there, not after the signature.
    keys 4
    wait_for 'take a look at \{link\} for'
    keys Enter
    wait_for 'Reply · draft 1 · thread 1 · mastodon · signposting · editing'
    keys -l 'XYZ'
    wait_for 'take a look at XYZ\{link\}'
    quit_from_composer
}

run_tests
