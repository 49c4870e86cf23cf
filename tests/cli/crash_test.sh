#!/bin/sh
# Crash safety: tactful killed with SIGKILL in the middle of an import or of triage leaves a
# cache that opens, passes PRAGMA integrity_check, holds no half-written transaction and no
# duplicate, and loses nothing that had been acknowledged; two processes work on one cache at
# once, even while a long import runs.
. "$(dirname "$0")/lib.sh"

# big_jsonl N FILE: N synthetic posts in N/10 threads.
big_jsonl() {
    "$PYTHON" - "$1" >"$2" <<'PY'
import json, sys
n = int(sys.argv[1])
for i in range(n):
    t = i // 10
    print(json.dumps({"platform": "mastodon", "account": "big", "thread": str(t * 10),
                      "id": str(i), "parent": None if i % 10 == 0 else str(i - 1),
                      "author": "@u%d@example.social" % (i % 97),
                      "created_at": "2026-11-%02dT%02d:%02d:00Z" % (1 + i % 28, i % 24, i % 60),
                      "text": "bins recycling gritting post number %d" % i}))
PY
}

# posts_now: the number of posts, read while another process may be writing.
posts_now() { sqlite3 -cmd '.timeout 5000' "$TACTFUL_DB" 'select count(*) from posts'; }

# consistent: the cache passes the integrity check, holds no duplicate, and its full-text
# index and thread summaries agree with its posts.
consistent() {
    expect_eq ok "$(db_count 'pragma integrity_check')" "integrity" &&
    expect_eq 0 "$(db_count 'select count(*) from (select 1 from posts group by account_id, remote_id having count(*) > 1)')" "duplicates" &&
    expect_eq "$(db_count 'select count(*) from posts')" "$(db_count 'select count(*) from posts_fts_docsize')" "indexed posts" &&
    expect_eq "$(db_count 'select count(*) from posts')" "$(db_count 'select sum(post_count) from threads')" "thread counts"
}

test_kill_9_during_import_keeps_whole_transactions() {
    import_demo
    big_jsonl 300000 big.jsonl
    before=$(db_count 'select count(*) from posts')
    "$TACTFUL" import big.jsonl >/dev/null 2>&1 &
    pid=$!
    # Kill it once it has committed part of the file (the whole file is checked first).
    i=0
    while [ "$(posts_now)" -eq "$before" ] && kill -0 $pid 2>/dev/null && [ $i -lt 3000 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    kill -9 $pid 2>/dev/null || fail "the import ended before it could be killed" || return 1
    wait $pid 2>/dev/null || true
    consistent || return 1
    kept=$(($(db_count 'select count(*) from posts') - before))
    [ "$kept" -gt 0 ] && [ "$kept" -lt 300000 ] || fail "kept $kept posts of a killed import" || return 1
    # Importing the file again completes it without duplicating anything.
    expect_status 0 t import big.jsonl
    expect_err "300000 posts: $((300000 - kept)) new, 0 updated, $kept unchanged"
    expect_eq "$((before + 300000))" "$(db_count 'select count(*) from posts')" "posts after re-import"
    consistent || return 1
    expect_status 0 t search 'gritting number 299999'
    expect_out 'post number 299999|299999'
}

# index_names: the names of the indexes on posts and threads, sorted, one line.
index_names() {
    db_count "select group_concat(name, ' ') from (select name from sqlite_master
              where type = 'index' and tbl_name in ('posts', 'threads') order by name)"
}

test_kill_9_during_import_into_an_empty_cache_keeps_its_indexes() {
    # A new cache's indexes, to compare with.
    expect_status 0 t list
    all=$(index_names)
    big_jsonl 300000 big.jsonl
    "$TACTFUL" import big.jsonl >/dev/null 2>&1 &
    pid=$!
    # Kill it once it has committed part of the file: it has dropped the indexes its writes
    # do not read, to build them after the rows.
    i=0
    while [ "$(posts_now)" -eq 0 ] && kill -0 $pid 2>/dev/null && [ $i -lt 3000 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    kill -9 $pid 2>/dev/null || fail "the import ended before it could be killed" || return 1
    wait $pid 2>/dev/null || true
    expect_eq 1 "$(db_count "select count(*) from cache_info where key = 'indexes_pending'")" \
        "indexes recorded as pending" || return 1
    [ "$(index_names)" != "$all" ] || fail "the killed import had not dropped any index" ||
        return 1
    # The next tactful to open the cache builds them, and everything reads as before.
    kept=$(db_count 'select count(*) from posts')
    expect_status 0 t search 'gritting number 10'
    expect_out 'post \[number\] \[10\]'
    expect_eq "$all" "$(index_names)" "indexes after the next open"
    expect_eq 0 "$(db_count "select count(*) from cache_info where key = 'indexes_pending'")" \
        "pending indexes after the next open"
    consistent || return 1
    expect_status 0 t search --limit 100000 from:@u5@ --json
    expect_eq "$(db_count "select count(distinct thread_id) from posts p join authors a
                           on a.id = p.author_id where a.handle like '@u5@%'")" \
        "$(jpy 'len(j)')" "threads listed by author" || return 1
    expect_eq 0 "$(db_count "select count(*) from (select 1 from posts
        where author_id = 6 except select 1 from posts indexed by posts_author
        where author_id = 6)")" "posts_author agrees with its table" || return 1
    # Importing the file again completes it.
    expect_status 0 t import big.jsonl
    expect_err "300000 posts: $((300000 - kept)) new, 0 updated, $kept unchanged"
    expect_eq "$all" "$(index_names)" "indexes after the second import"
    consistent
}

test_import_into_an_empty_cache_builds_its_indexes_after_the_rows() {
    expect_status 0 t list
    all=$(index_names)
    big_jsonl 3000 big.jsonl
    big_jsonl 3100 more.jsonl
    tail -n 100 more.jsonl >>big.jsonl
    # An author renamed at the end: the rename needs posts_author, which is built then.
    "$PYTHON" - >>big.jsonl <<'PY'
import json
print(json.dumps({"platform": "mastodon", "account": "big", "thread": "0", "id": "r1",
                  "author": "@u5@example.social", "author_name": "Renamed Person",
                  "created_at": "2026-11-29T10:00:00Z", "text": "a renamed author"}))
PY
    expect_status 0 t import big.jsonl
    expect_err "3101 posts: 3101 new"
    expect_eq "$all" "$(index_names)" "indexes after the import"
    expect_eq 0 "$(db_count "select count(*) from cache_info where key = 'indexes_pending'")" \
        "pending indexes after the import"
    consistent || return 1
    expect_status 0 t search 'renamed person'
    expect_out '@u5@example.social \[Renamed\] \[Person\]'
    # Into a cache that holds posts, nothing is dropped.
    big_jsonl 3200 more.jsonl
    tail -n 100 more.jsonl | expect_status 0 t import -
    expect_eq "$all" "$(index_names)" "indexes after a second import"
    consistent
}

test_bad_line_at_the_end_imports_nothing() {
    import_demo
    big_jsonl 30000 big.jsonl
    echo '{"platform": "mastodon", "account": "big"}' >>big.jsonl
    before=$(db_count 'select count(*) from posts')
    expect_status 1 t import big.jsonl
    expect_err 'big.jsonl:30001: missing "thread"; nothing from big.jsonl was imported'
    expect_eq "$before" "$(db_count 'select count(*) from posts')" "posts after a refused file"
    # The same from standard input, which is read once.
    expect_status 1 sh -c '"$0" import - <big.jsonl' "$TACTFUL"
    expect_err '<stdin>:30001: missing "thread"'
    expect_eq "$before" "$(db_count 'select count(*) from posts')" "posts after a refused stream"
    head -n 30000 big.jsonl | expect_status 0 t import -
    expect_eq "$((before + 30000))" "$(db_count 'select count(*) from posts')" "posts from a stream"
}

test_triage_during_a_long_import() {
    import_demo
    before=$(db_count 'select count(*) from posts')
    big_jsonl 150000 big.jsonl
    "$TACTFUL" import big.jsonl >import.out 2>&1 &
    pid=$!
    # Once the import has committed its first transaction (a state, not a moment), triage
    # writes from another process again and again while it runs. Each must get the cache
    # between the import's transactions (a write that waits longer than the 10 s busy
    # timeout fails); one that commits while the import is still short of its last post
    # counts as "during".
    i=0
    while [ "$(posts_now)" -eq "$before" ] && kill -0 $pid 2>/dev/null && [ $i -lt 6000 ]; do
        sleep 0.02
        i=$((i + 1))
    done
    n=0
    during=0
    for s in to_reply waiting escalated to_reply waiting escalated to_reply; do
        expect_status 0 t mark 5 "$s" || { kill -9 $pid; return 1; }
        n=$((n + 1))
        [ "$(posts_now)" -ge $((before + 150000)) ] || during=$((during + 1))
    done
    while kill -0 $pid 2>/dev/null; do
        expect_status 0 t mark 5 waiting || { kill -9 $pid; return 1; }
        expect_status 0 t mark 5 to_reply || { kill -9 $pid; return 1; }
        n=$((n + 2))
    done
    wait $pid || fail "the import failed: $(cat import.out)" || return 1
    [ "$during" -ge 1 ] || fail "no triage write committed during the import" || return 1
    expect_eq to_reply "$(db_count 'select state from threads where id = 5')" "state of thread 5"
    expect_eq "$n" "$(db_count "select count(*) from audit where action = 'mark' and thread_id = 5")" "audited changes"
    expect_eq 150181 "$(db_count 'select count(*) from posts')" "posts"
    consistent
}

test_kill_9_during_triage_loses_nothing_acknowledged() {
    import_demo
    i=0
    while [ $i -lt 20 ]; do
        t note 3 "note $i" >/dev/null
        i=$((i + 1))
    done
    "$TACTFUL" note 3 "the last one" >/dev/null &
    pid=$!
    kill -9 $pid 2>/dev/null || true
    wait $pid 2>/dev/null || true
    expect_eq ok "$(db_count 'pragma integrity_check')" "integrity"
    n=$(db_count 'select count(*) from notes where thread_id = 3')
    [ "$n" -eq 20 ] || [ "$n" -eq 21 ] || fail "expected 20 or 21 notes, found $n"
    expect_eq "$n" "$(db_count "select count(*) from audit where action = 'note' and thread_id = 3")" "one audit entry per note"
}

# A helper that saves one draft again and again until it is killed, printing "SAVES LENGTH"
# after each committed save (tests/helper_draftsave.c).
DRAFTSAVE=${DRAFTSAVE:-$SRC/build/tests/helper_draftsave}

# wait_saves N: waits until the helper ($pid, writing saves.out) has acknowledged N saves;
# fails if it died first or did not get there in 120 s however busy the machine.
wait_saves() {
    _i=0
    while :; do
        _n=$(tail -n 1 saves.out 2>/dev/null | sed -n 's/^\([0-9][0-9]*\) [0-9][0-9]*$/\1/p')
        [ "${_n:-0}" -lt "$1" ] || return 0
        kill -0 $pid 2>/dev/null || { fail "the helper died after ${_n:-0} saves: $(cat saves.err)"; return 1; }
        _i=$((_i + 1))
        [ $_i -lt 6000 ] || { kill -9 $pid; fail "only ${_n:-0} of $1 saves in 120 s"; return 1; }
        sleep 0.02
    done
}

test_kill_9_during_draft_saves_loses_no_acknowledged_save() {
    import_demo
    id=""
    acked=0
    for round in 1 2 3 4 5; do
        "$DRAFTSAVE" "$TACTFUL_DB" 3 $id >saves.out 2>saves.err &
        pid=$!
        # Some saves in, and a random number more: the helper keeps saving until it is
        # killed, so the kill always lands among its saves, on a quiet machine or a busy one.
        extra=$(awk -v s="$round$$" 'BEGIN { srand(s); print 1 + int(rand() * 400) }')
        wait_saves $((20 + extra)) || return 1
        kill -9 $pid 2>/dev/null || fail "the helper ended before the kill: $(cat saves.err)" || return 1
        wait $pid 2>/dev/null || true
        [ -n "$id" ] || id=$(sed -n 's/^draft //p' saves.out)
        last=$(grep '^[0-9]' saves.out | tail -n 1 | cut -d' ' -f2)
        [ -z "$last" ] || acked=$last
        expect_eq ok "$(db_count 'pragma integrity_check')" "integrity after kill $round" || return 1
        expect_eq 1 "$(db_count "select count(*) from drafts where thread_id = 3")" "drafts on the thread" || return 1
        len=$(db_count "select length(body) from drafts where id = $id")
        [ "$len" -ge "$acked" ] || fail "kill $round: the draft holds $len bytes, $acked were acknowledged" || return 1
    done
    [ "$acked" -gt 0 ] || fail "no save was acknowledged"
    # The cache is still usable: tactful reads the draft.
    expect_status 0 t drafts
}

run_tests
