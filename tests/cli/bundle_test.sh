#!/bin/sh
# Offline review bundles, the whole story with two officers and two cache files: export on
# the connected machine, review on a desktop without network (the bundle opened with --db, or
# loaded into an empty cache), merge back with conflicts reported and nothing overwritten
# (the thread's topic with its other triage),
# nothing sent that was not approved, a second merge changing nothing; usage and refusals.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/net_lib.sh"

POSTS='{"platform":"mastodon","account":"dept","thread":"100","id":"100","parent":null,"author":"@alice@example.social","author_name":"Alice","created_at":"2026-11-20T09:15:00Z","text":"The bin collection on Elm Street was missed again","url":"https://example.social/@alice/100","own":false}
{"platform":"mastodon","account":"dept","thread":"200","id":"200","parent":null,"author":"@bob@example.social","author_name":"Bob","created_at":"2026-11-21T11:00:00Z","text":"Is the library open on Sunday?","url":"https://example.social/@bob/200","own":false}'

# home: the connected cache with two threads; ann has a mea-culpa draft waiting for
# approval on thread 1 and a draft being written on thread 2.
setup_home() {
    export TACTFUL_DB="$WORK/home.db"
    printf '%s\n' "$POSTS" >posts.jsonl
    t import posts.jsonl >/dev/null 2>&1 || return 1
    printf 'Sorry Alice, we missed Elm Street. The crew is there today.\n' >d1.txt
    TACTFUL_OFFICER=ann t reply 1 --pattern mea-culpa --text-file d1.txt --submit >/dev/null ||
        return 1
    printf 'Hello Bob, the library is open 10 till 4.\n' >d2.txt
    TACTFUL_OFFICER=ann t reply 2 --pattern acknowledgement --text-file d2.txt >/dev/null
}

# home_sql SQL / bundle_sql FILE SQL: one value from a cache file.
home_sql() { sqlite3 "$WORK/home.db" "$1"; }

test_offline_review_story() {
    setup_home || return 1
    expect_status 0 env TACTFUL_OFFICER=ann "$TACTFUL" export --bundle review.db --state new ||
        return 1
    expect_out 'review\.db: offline review bundle [0-9a-f]{32}: 2 threads' || return 1
    [ -s review.db ] && [ ! -e review.db-wal ] || fail "the bundle is one file" || return 1

    # The offline desktop: bob reviews in the bundle itself.
    export TACTFUL_DB="$WORK/review.db"
    expect_status 0 t list || return 1
    expect_out 'Elm Street|Is the library' || return 1
    expect_status 1 env TACTFUL_OFFICER=ann "$TACTFUL" approve 1 || return 1
    expect_err 'cannot approve your own draft' || return 1
    expect_status 0 env TACTFUL_OFFICER=bob "$TACTFUL" approve 1 || return 1
    expect_out "queued as outbox entry 1 \\(in an offline review bundle" || return 1
    expect_status 1 t sync || return 1
    expect_err 'offline review bundle .*cannot sync' || return 1
    expect_status 1 t outbox send || return 1
    expect_err 'cannot send replies' || return 1
    expect_status 0 env TACTFUL_OFFICER=bob "$TACTFUL" mark 2 closed || return 1
    expect_status 0 env TACTFUL_OFFICER=bob "$TACTFUL" note 1 "Crew booked for today" || return 1
    printf 'Hello Bob, the library is open 10 till 4 on Sundays.\n' >d2b.txt
    expect_status 0 env TACTFUL_OFFICER=ann "$TACTFUL" submit 2 --text-file d2b.txt || return 1

    # Meanwhile at home cat escalates thread 2; nothing is in the outbox yet.
    export TACTFUL_DB="$WORK/home.db"
    expect_status 0 env TACTFUL_OFFICER=cat "$TACTFUL" mark 2 escalated || return 1
    expect_eq 0 "$(home_sql 'select count(*) from outbox')" "outbox before the merge" || return 1

    # The merge: three changes applied, one conflict reported, exit 1.
    expect_status 1 env TACTFUL_OFFICER=cat "$TACTFUL" import --bundle review.db || return 1
    expect_out '^bundle review\.db: exported from .*home\.db .* by ann at ' || return 1
    expect_out 'applied: draft 1: queued here \(offline: approved by bob' || return 1
    expect_out 'applied: thread 1: note by bob added' || return 1
    expect_out 'applied: draft 2: queued here \(offline: submitted by ann' || return 1
    expect_out 'conflict: thread 2: state is "escalated" here and "closed" in the bundle' ||
        return 1
    expect_out '^merged: 3 changes applied, 1 conflict, 0 not applied' || return 1
    expect_err 'left undone and nothing was overwritten' || return 1
    expect_eq escalated "$(home_sql 'select state from threads where id = 2')" "thread 2" ||
        return 1
    expect_eq "1|bob 2|ann" "$(home_sql "select group_concat(draft_id || '|' || officer, ' ') from (select * from outbox order by draft_id)")" \
        "outbox: draft 1 queued by its approver, draft 2 by its author" || return 1
    expect_eq "Hello Bob, the library is open 10 till 4 on Sundays." \
        "$(home_sql 'select body from drafts where id = 2')" "draft 2's offline text" || return 1
    expect_status 0 t audit --thread 1 --json || return 1
    expect_out '"bundle\.apply"' || return 1

    # Again: nothing changes, the conflict is still reported.
    n=$(home_sql 'select count(*) from audit')
    expect_status 1 env TACTFUL_OFFICER=cat "$TACTFUL" import --bundle review.db || return 1
    expect_out '^merged: 0 changes applied, 1 conflict' || return 1
    expect_eq "$n" "$(home_sql 'select count(*) from audit')" "audit after a second merge" ||
        return 1
    # Settled by hand, the bundle merges cleanly.
    expect_status 0 env TACTFUL_OFFICER=cat "$TACTFUL" mark 2 closed || return 1
    expect_status 0 env TACTFUL_OFFICER=cat "$TACTFUL" import --bundle review.db || return 1
    expect_out '^merged: 0 changes applied, 0 conflicts, 0 not applied' || return 1
}

test_topic_travels_and_merges_back() {
    setup_home || return 1
    expect_status 0 env TACTFUL_OFFICER=ann "$TACTFUL" topic 1 the Elm Street bins || return 1
    expect_status 0 env TACTFUL_OFFICER=ann "$TACTFUL" export --bundle review.db || return 1
    export TACTFUL_DB="$WORK/review.db"
    expect_status 0 t show 1 || return 1
    expect_out 'the Elm Street bins' || return 1
    expect_status 0 env TACTFUL_OFFICER=bob "$TACTFUL" topic 1 the missed Elm Street bins ||
        return 1
    expect_status 0 env TACTFUL_OFFICER=bob "$TACTFUL" topic 2 Sunday opening || return 1
    export TACTFUL_DB="$WORK/home.db"
    expect_status 0 env TACTFUL_OFFICER=cat "$TACTFUL" import --bundle review.db || return 1
    expect_out 'applied: thread 1: topic set to the missed Elm Street bins \(by bob, offline at ' ||
        return 1
    expect_out 'applied: thread 2: topic set to Sunday opening \(by bob' || return 1
    expect_eq "the missed Elm Street bins|Sunday opening" \
        "$(home_sql "select group_concat(topic, '|') from (select topic from threads order by id)")" \
        "topics after the merge"
}

test_load_into_an_empty_desktop_cache() {
    setup_home || return 1
    expect_status 0 t export --bundle review.db --thread 2 || return 1
    expect_out '1 thread,' || return 1
    export TACTFUL_DB="$WORK/desk.db"
    expect_status 0 env TACTFUL_OFFICER=bob "$TACTFUL" import --bundle "$WORK/review.db" ||
        return 1
    expect_out 'loaded the bundle .*review\.db into .*desk\.db' || return 1
    expect_status 0 env TACTFUL_OFFICER=bob "$TACTFUL" mark 2 no_action || return 1
    expect_status 1 t sync || return 1
    expect_err 'offline review bundle' || return 1
    expect_status 1 t import --bundle "$WORK/review.db" || return 1
    expect_err 'already loaded here' || return 1
    export TACTFUL_DB="$WORK/home.db"
    expect_status 0 env TACTFUL_OFFICER=cat "$TACTFUL" import --bundle desk.db || return 1
    expect_out 'applied: thread 2: state set to no_action \(by bob' || return 1
    expect_eq no_action "$(home_sql 'select state from threads where id = 2')" "thread 2"
}

# Found by fuzz_bundle: a bundle with another page size (another SQLite's, or vacuumed) could
# not be loaded into an empty WAL cache ("attempt to write a readonly database").
test_load_a_bundle_with_another_page_size() {
    setup_home || return 1
    expect_status 0 t export --bundle review.db --thread 2 || return 1
    sqlite3 review.db 'PRAGMA page_size = 512; VACUUM;' || return 1
    expect_eq 512 "$(sqlite3 review.db 'PRAGMA page_size')" "the bundle's page size" || return 1
    export TACTFUL_DB="$WORK/desk.db"
    expect_status 0 env TACTFUL_OFFICER=bob "$TACTFUL" import --bundle "$WORK/review.db" ||
        return 1
    expect_out 'loaded the bundle' || return 1
    expect_eq wal "$(sqlite3 desk.db 'PRAGMA journal_mode')" "the loaded cache's journal" || return 1
    expect_status 0 env TACTFUL_OFFICER=bob "$TACTFUL" mark 2 no_action || return 1
    export TACTFUL_DB="$WORK/home.db"
    expect_status 0 env TACTFUL_OFFICER=cat "$TACTFUL" import --bundle desk.db || return 1
    expect_eq no_action "$(home_sql 'select state from threads where id = 2')" "thread 2"
}

# Found by fuzz_bundle: SQLite's integrity check skips CHECK constraints on a read-only
# connection, so a bundle whose rows break them (an audit entry that is not JSON, an unknown
# state) was loaded as it was, leaving a cache that fails its own integrity check.
test_bundle_breaking_a_check_constraint_is_refused() {
    setup_home || return 1
    for broken in "INSERT INTO audit (at, officer, action, thread_id, details)
                       VALUES ('2026-11-25T10:00:00Z', 'bob', 'mark', 2, 'not json')" \
                  "UPDATE threads SET state = 'bogus' WHERE id = 2"; do
        expect_status 0 t export --bundle review.db --thread 2 || return 1
        sqlite3 review.db "PRAGMA ignore_check_constraints = 1; $broken" || return 1
        export TACTFUL_DB="$WORK/desk.db"
        rm -f desk.db
        expect_status 1 t import --bundle "$WORK/review.db" || return 1
        expect_err 'the bundle .*review\.db is damaged \(a row breaks a rule of its table\)' ||
            return 1
        export TACTFUL_DB="$WORK/home.db"
        expect_status 1 t import --bundle review.db || return 1
        expect_err 'is damaged' || return 1
        rm -f review.db
    done
}

test_usage_and_refused_bundles() {
    setup_home || return 1
    expect_status 2 t export --bundle b.db --format csv || return 1
    expect_status 2 t export --bundle b.db --state new --thread 1 || return 1
    expect_status 2 t export --state new || return 1
    expect_status 2 t export --thread 1 --thread 2 || return 1
    expect_status 1 t export --bundle b.db --state nonsense || return 1
    expect_err "unknown state 'nonsense'" || return 1
    expect_status 1 t export --bundle b.db --thread 99 || return 1
    expect_err 'no thread 99' || return 1
    [ ! -e b.db ] || fail "no bundle is left behind by a failed export" || return 1
    expect_status 2 t import --bundle || return 1
    expect_status 2 t import --bundle b.db extra || return 1
    expect_status 1 t import --bundle missing.db || return 1
    expect_err 'cannot open the bundle missing\.db' || return 1
    expect_status 1 t import --bundle posts.jsonl || return 1
    expect_err 'not an offline review bundle' || return 1
    expect_status 1 t import --bundle home.db || return 1
    expect_err 'not an offline review bundle' || return 1

    expect_status 0 t export --bundle b.db || return 1
    cp b.db newer.db
    sqlite3 newer.db 'pragma user_version = 99' || return 1
    expect_status 1 t import --bundle newer.db || return 1
    expect_err 'written by a newer tactful \(schema 99' || return 1
    # Another cache with content of its own refuses the bundle.
    expect_status 0 env TACTFUL_DB="$WORK/other.db" "$TACTFUL" import posts.jsonl || return 1
    expect_status 1 env TACTFUL_DB="$WORK/other.db" "$TACTFUL" import --bundle b.db || return 1
    expect_err 'exported from another cache' || return 1
    # A bundle is not exported again.
    expect_status 1 env TACTFUL_DB="$WORK/b.db" "$TACTFUL" export --bundle c.db || return 1
    expect_err 'itself an offline review bundle' || return 1
}

SECRET=Zq9-very-secret-token-4711

test_bundle_holds_no_secret() {
    fake_start "{\"tenants\": {\"m\": {\"platform\": \"mastodon\", \"token\": \"$SECRET\", \"threads\": 2, \"replies\": 1}}}" || return 1
    printf '%s\n' "$SECRET" >"$WORK/token"
    chmod 600 "$WORK/token"
    printf '[account m]\nplatform = mastodon\nurl = %s/m\ntoken_file = %s\n' "$FAKE" \
        "$WORK/token" >>"$TACTFUL_CONFIG"
    expect_status 0 t sync || return 1
    expect_status 0 t export --bundle "$WORK/b.db" || return 1
    ! grep -aq -- "$SECRET" "$WORK/b.db" || fail "the bundle holds the token" || return 1
    expect_eq 0 "$(sqlite3 "$WORK/b.db" 'select count(*) from accounts where cursor is not null or last_error is not null')" \
        "sync positions in the bundle" || return 1
    expect_status 1 env TACTFUL_DB="$WORK/b.db" "$TACTFUL" sync || return 1
    expect_err 'cannot sync' || return 1
}

test_help_mentions_bundles() {
    expect_status 0 t help export || return 1
    expect_out '--bundle FILE' || return 1
    expect_status 0 t help import || return 1
    expect_out '--bundle FILE' || return 1
}

run_tests
