#!/bin/sh
# tactful audit: every step of a reply's life is in the log with who did it (draft, submit,
# override, approval, return, discard, queue, send), and --csv exports it with the formula
# guard export uses.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/net_lib.sh"

test_every_reply_event_is_audited_and_exported() {
    fake_start '{"tenants": {"m": {"platform": "mastodon", "threads": 1, "replies": 1}}}' || return 1
    account_mastodon m m
    t sync >/dev/null 2>&1 || fail "sync" || return 1
    th=$(thread_of m 1002)
    # An error finding overridden with a reason, then queued.
    printf 'Thanks. Call 07700 900123.\n' >r1.txt
    expect_status 0 t reply "$th" --to 1002 --pattern acknowledgement --text-file r1.txt --submit \
        --override "personal-data.phone=It is the depot's public line." || return 1
    # A mea culpa approved by a second officer; another returned; a third discarded.
    printf 'Sorry, we meant Tuesday.\n' >r2.txt
    expect_status 0 t reply "$th" --pattern mea-culpa --text-file r2.txt --submit || return 1
    expect_status 0 env TACTFUL_OFFICER=lee.chan "$TACTFUL" approve 2 || return 1
    expect_status 0 t reply "$th" --pattern mea-culpa --text-file r2.txt --submit || return 1
    expect_status 0 env TACTFUL_OFFICER=lee.chan "$TACTFUL" return 3 --comment 'Which Tuesday?' \
        || return 1
    expect_status 0 t discard 3 || return 1
    expect_status 0 t outbox send || return 1
    expect_status 0 t audit --json || return 1
    for want in "draft.create tester" "draft.submit tester" "guard.override tester" \
        "draft.approve lee.chan" "draft.return lee.chan" "draft.discard tester" \
        "draft.queue tester" "draft.queue lee.chan" "reply_queued tester" "reply_sent tester"; do
        expect_eq True "$(jpy "'$want' in [e['action'] + ' ' + e['officer'] for e in j]")" \
            "audited: $want" || return 1
    done
    total=$(jpy 'len(j)')
    expect_status 0 t audit --csv || return 1
    expect_eq 'id,at,officer,action,thread,details' "$(head -n 1 "$WORK/out" | tr -d '\r')" \
        "CSV header" || return 1
    expect_eq "$((total + 1))" "$(wc -l <"$WORK/out" | tr -d ' ')" "one CSV row per entry" || return 1
    expect_out "^[0-9]+,\"[0-9T:-]+Z\",\"lee.chan\",\"draft.approve\",$th,\"\\{\"\"draft\"\":2," || return 1
    expect_status 0 t audit --thread "$th" --csv || return 1
    expect_eq "$((total + 1))" "$(wc -l <"$WORK/out" | tr -d ' ')" "the thread's rows" || return 1
}

test_csv_guards_formulas_and_options_conflict() {
    printf '{"platform":"mastodon","account":"dept","thread":"1","id":"1","parent":null,"author":"@a@x.social","created_at":"2026-11-20T09:15:00Z","text":"hi","own":false}\n' >p.jsonl
    t import p.jsonl >/dev/null 2>&1
    expect_status 0 env TACTFUL_OFFICER='=HYPERLINK("http://evil.example")' "$TACTFUL" mark 1 to_reply \
        || return 1
    expect_status 0 t audit --csv || return 1
    expect_out "^[0-9]+,\"[0-9T:-]+Z\",\"'=HYPERLINK\\(\"\"http://evil.example\"\"\\)\",\"mark\",1," ||
        return 1
    expect_status 2 t audit --csv --json || return 1
    expect_err 'choose one of --json and --csv' || return 1
    expect_status 0 t help audit || return 1
    expect_out '^  --csv +Write CSV with a header row' || return 1
}

run_tests
