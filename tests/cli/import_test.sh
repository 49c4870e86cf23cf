#!/bin/sh
# Import: counts, idempotence, lossless round trips, all-or-nothing files, updates, time
# zones, and hostile text that must never reach a terminal raw.
. "$(dirname "$0")/lib.sh"

# Two good lines then $1 as line 3, in bad.jsonl.
bad_third_line() {
    {
        post_json id=p1 text='first line alpha'
        post_json id=p2 parent=p1 author=@b created_at=2026-01-01T01:00:00Z \
            text='second line beta'
        printf '%s\n' "$1"
    } >bad.jsonl
}

# Imports bad.jsonl, expects exit 1 with "bad.jsonl:3: REASON" and an empty cache.
expect_line3_refused() {
    expect_status 1 t import bad.jsonl || return 1
    expect_err "^tactful: bad\.jsonl:3: $1" || return 1
    expect_err 'nothing from bad\.jsonl was imported' || return 1
    expect_eq 0 "$(db_count 'select count(*) from posts')" "posts after a refused file" ||
        return 1
    expect_eq 0 "$(db_count 'select count(*) from threads')" "threads after a refused file" ||
        return 1
    expect_status 0 t search alpha OR beta --json || return 1
    expect_eq '[]' "$(tr -d ' \n' <"$WORK/out")" "search for lines 1-2 of the refused file"
}

test_demo_import_reports_counts() {
    expect_status 0 t import "$DEMO" || return 1
    expect_err 'demo\.jsonl: 181 posts: 181 new, 0 updated, 0 unchanged; 40 new threads$'
}

test_demo_import_lists_40_threads_with_181_posts() {
    import_demo || return 1
    expect_status 0 t list --json || return 1
    expect_eq 40 "$(jpy 'len(j)')" "threads" || return 1
    expect_eq 181 "$(jpy 'sum(r["posts"] for r in j)')" "posts summed over threads" || return 1
    expect_eq "18 10 12" \
        "$(jpy '[sum(r["platform"] == p for r in j) for p in ("mastodon", "wordpress", "bluesky")]')" \
        "threads per platform"
}

test_demo_export_has_181_lines() {
    import_demo || return 1
    expect_status 0 t export || return 1
    expect_eq 181 "$(wc -l <"$WORK/out" | tr -d ' ')" "exported lines" || return 1
    threads=$("$PYTHON" -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
print(len({(r["account"], r["thread"]) for r in rows}))' "$WORK/out") || return 1
    expect_eq 40 "$threads" "distinct threads in the export"
}

test_second_import_reports_nothing_new() {
    import_demo || return 1
    expect_status 0 t import "$DEMO" || return 1
    expect_err '181 posts: 0 new, 0 updated, 181 unchanged; 0 new threads$'
}

test_second_import_leaves_export_and_rows_unchanged() {
    import_demo || return 1
    t export >before.jsonl || return 1
    before=$(db_count 'select count(*) from posts')
    expect_eq 181 "$before" "posts after the first import" || return 1
    expect_status 0 t import "$DEMO" || return 1
    t export >after.jsonl || return 1
    cmp -s before.jsonl after.jsonl || fail "export changed after importing the same file" ||
        return 1
    expect_eq "$before" "$(db_count 'select count(*) from posts')" "posts after the second import"
}

test_export_import_export_is_lossless() {
    import_demo || return 1
    t export >first.jsonl || return 1
    TACTFUL_DB="$WORK/fresh.db" t import first.jsonl 2>/dev/null ||
        fail "cannot import the export" || return 1
    TACTFUL_DB="$WORK/fresh.db" t export >second.jsonl || return 1
    expect_eq 181 "$(wc -l <first.jsonl | tr -d ' ')" "lines in the first export" || return 1
    cmp first.jsonl second.jsonl || fail "export -> import -> export changed the bytes"
}

test_import_from_stdin() {
    expect_status 0 sh -c '"$1" import - <"$2"' sh "$TACTFUL" "$DEMO" || return 1
    expect_err '^<stdin>: 181 posts: 181 new, 0 updated, 0 unchanged; 40 new threads$' ||
        return 1
    expect_eq 181 "$(db_count 'select count(*) from posts')" "posts read from stdin"
}

test_bad_json_on_line_3_keeps_nothing() {
    bad_third_line '{"platform":"mastodon",'
    expect_line3_refused 'not valid JSON'
}

test_missing_field_on_line_3_keeps_nothing() {
    bad_third_line '{"platform":"mastodon","account":"acc","thread":"t1","id":"p3","author":"@c","created_at":"2026-01-01T02:00:00Z"}'
    expect_line3_refused 'missing "text"'
}

test_bad_created_at_on_line_3_keeps_nothing() {
    bad_third_line "$(post_json id=p3 created_at=yesterday)"
    expect_line3_refused '"created_at" is not an RFC 3339 time.*"yesterday"'
}

test_unknown_platform_on_line_3_keeps_nothing() {
    bad_third_line "$(post_json id=p3 platform=myspace)"
    expect_line3_refused 'unknown platform "myspace"'
}

test_unknown_field_on_line_3_keeps_nothing() {
    bad_third_line "$(post_json id=p3 extra=',"likes":3')"
    expect_line3_refused 'unknown field "likes"'
}

test_oversized_id_on_line_3_keeps_nothing() {
    big=$(head -c 1025 /dev/zero | tr '\0' 7)
    bad_third_line "$(post_json id="$big" text=long)"
    expect_line3_refused '"id" is 1025 bytes, more than the 1024 allowed'
}

test_oversized_text_is_stored_shortened_and_reported() {
    bad_third_line "$(post_json id=p3 text="$(head -c 262150 /dev/zero | tr '\0' x)")"
    expect_status 0 t import bad.jsonl || return 1
    expect_err '^bad\.jsonl: 3 posts: 3 new, 0 updated, 0 unchanged; 1 new threads$' || return 1
    expect_err '^bad\.jsonl: 1 post was longer than the cache keeps, stored shortened and marked \[shortened\]' || return 1
    expect_eq "262144 1" "$(db_count "select length(body) || ' ' || shortened from posts where remote_id = 'p3'")" "the shortened post" || return 1
    expect_status 0 t show 1 || return 1
    expect_out '\[shortened\]$'
}

test_text_at_the_size_cap_is_accepted() {
    post_json text="$(head -c 262144 /dev/zero | tr '\0' x)" >cap.jsonl
    expect_status 0 t import cap.jsonl || return 1
    expect_eq 262144 "$(db_count 'select length(body) from posts')" "stored text length"
}

test_refused_file_neither_undoes_nor_stops_the_others() {
    post_json account=good id=g1 text='kept gamma' >good.jsonl
    post_json account=good id=g2 text='kept delta' >good2.jsonl
    bad_third_line '{'
    expect_status 1 t import good.jsonl bad.jsonl good2.jsonl || return 1
    expect_err '^good\.jsonl: 1 posts: 1 new' || return 1
    expect_err 'bad\.jsonl:3: ' || return 1
    expect_err '^good2\.jsonl: 1 posts: 1 new' || return 1
    expect_eq "kept gamma,kept delta" \
        "$(db_count 'select group_concat(body) from (select body from posts order by id)')" \
        "posts kept"
}

test_line_numbers_count_blank_lines() {
    {
        post_json id=p1
        printf '\n   \n'
        post_json id=p2 extra=',"own":"yes"'
    } >blank.jsonl
    expect_status 1 t import blank.jsonl || return 1
    expect_err '^tactful: blank\.jsonl:4: "own" must be true or false; nothing from blank\.jsonl was imported$'
}

test_crlf_lines_and_blank_lines_are_accepted() {
    {
        post_json id=p1 | sed 's/$/\r/'
        printf '\r\n\n'
        post_json id=p2 parent=p1 | sed 's/$/\r/'
    } >crlf.jsonl
    expect_status 0 t import crlf.jsonl || return 1
    expect_err '2 posts: 2 new, 0 updated, 0 unchanged; 1 new threads$'
}

test_import_has_no_options() {
    expect_status 2 t import --json "$DEMO" || return 1
    expect_err "unknown option '--json'" || return 1
    [ ! -e "$TACTFUL_DB" ] || fail "a usage error created the cache"
}

test_missing_file_fails() {
    expect_status 1 t import nothere.jsonl || return 1
    expect_err '^tactful: cannot open nothere\.jsonl: No such file or directory$'
}

test_nul_in_text_is_refused() {
    post_json text='a\u0000b' >nul.jsonl
    expect_status 1 t import nul.jsonl || return 1
    expect_err '^tactful: nul\.jsonl:1: not valid JSON'
}

test_post_that_is_its_own_parent_is_refused() {
    post_json id=p1 parent=p1 >self.jsonl
    expect_status 1 t import self.jsonl || return 1
    expect_err 'self\.jsonl:1: a post cannot be its own parent'
}

test_wrong_member_type_is_refused() {
    printf '%s\n' '{"platform":"mastodon","account":"acc","thread":"t1","id":5,"author":"@a","created_at":"2026-01-01T00:00:00Z","text":"x"}' >type.jsonl
    expect_status 1 t import type.jsonl || return 1
    expect_err 'type\.jsonl:1: "id" must be a string'
}

test_updated_post_counts_as_updated_and_search_follows() {
    post_json text='original zebra' >a.jsonl
    post_json text='revised giraffe' >b.jsonl
    t import a.jsonl 2>/dev/null || return 1
    expect_status 0 t import b.jsonl || return 1
    expect_err '1 posts: 0 new, 1 updated, 0 unchanged; 0 new threads$' || return 1
    expect_eq 1 "$(search_ids giraffe)" "threads with the new text" || return 1
    expect_eq "" "$(search_ids zebra)" "threads with the old text" || return 1
    expect_eq 1 "$(db_count 'select count(*) from posts')" "posts after the update"
}

test_account_on_another_platform_is_refused() {
    post_json account=acc platform=mastodon >m.jsonl
    post_json account=acc platform=bluesky thread=t2 id=q1 text='other platform' >b.jsonl
    t import m.jsonl 2>/dev/null || return 1
    expect_status 1 t import b.jsonl || return 1
    expect_err "b\.jsonl:1: account 'acc' is a mastodon account in this cache, not bluesky" ||
        return 1
    expect_eq 1 "$(db_count 'select count(*) from posts')" "posts after the refusal" || return 1
    expect_eq mastodon "$(db_count 'select group_concat(platform) from accounts')" "accounts"
}

test_created_at_beyond_9999_in_utc_is_refused() {
    # Year 10000 once in UTC; it used to be stored as 10000-01-01T23:58:59Z.
    post_json created_at=9999-12-31T23:59:59-23:59 >far.jsonl
    expect_status 1 t import far.jsonl || return 1
    expect_err 'far\.jsonl:1: "created_at" is not an RFC 3339 time .*between 1970 and 9999 in UTC: "9999-12-31T23:59:59-23:59"' || return 1
    expect_eq 0 "$(db_count 'select count(*) from posts')" "posts" || return 1
    post_json created_at=1970-01-01T00:00:00+00:01 >early.jsonl
    expect_status 1 t import early.jsonl || return 1
    post_json created_at=9999-12-31T23:59:59Z >last.jsonl
    expect_status 0 t import last.jsonl || return 1
    expect_eq 9999-12-31T23:59:59Z "$(db_count 'select created_at from posts')" "the last second"
}

test_created_at_offset_is_stored_as_utc() {
    post_json created_at=2026-01-01T10:00:00+01:00 >tz.jsonl
    t import tz.jsonl 2>/dev/null || return 1
    expect_status 0 t show 1 --json || return 1
    expect_eq 2026-01-01T09:00:00Z "$(jpy 'j["posts_tree"][0]["created_at"]')" "created_at" ||
        return 1
    expect_status 0 t export || return 1
    expect_out '"created_at":"2026-01-01T09:00:00Z"'
}

test_created_at_forms_are_stored_as_utc_seconds() {
    n=0
    for ts in 2026-11-20T10:15:00.250+01:00 2026-11-20t09:15:00z '2026-11-20 09:15:00Z' \
        2026-11-20T09:15:00,5Z 2026-11-20T04:15:00-05:00; do
        n=$((n + 1))
        post_json id="p$n" created_at="$ts"
    done >times.jsonl
    post_json id=leap created_at=2026-12-31T23:59:60Z >>times.jsonl
    expect_status 0 t import times.jsonl || return 1
    expect_eq "2026-11-20T09:15:00Z 2026-12-31T23:59:59Z" \
        "$(db_count "select group_concat(created_at, ' ') from (select distinct created_at from posts order by created_at)")" \
        "stored times"
}

test_impossible_times_are_refused() {
    for ts in 2026-02-29T00:00:00Z 2026-04-31T00:00:00Z 1969-12-31T23:59:59Z \
        2026-11-20T09:15:00+24:00 2026-11-20T09:15:00 2026-11-20T25:00:00Z; do
        post_json created_at="$ts" >time.jsonl
        expect_status 1 t import time.jsonl || return 1
        expect_err "time\.jsonl:1: \"created_at\" is not an RFC 3339 time" || return 1
    done
    expect_eq 0 "$(db_count 'select count(*) from posts')" "posts"
}

test_import_never_changes_triage_data() {
    import_demo || return 1
    t mark 5 closed >/dev/null || return 1
    t tag 5 +bins >/dev/null || return 1
    t assign 5 alice >/dev/null || return 1
    t priority 5 2 >/dev/null || return 1
    t note 5 seen >/dev/null || return 1
    expect_status 0 t export --thread 5 || return 1
    sed 's/Diolch yn fawr/Diolch yn fawr iawn/' "$WORK/out" >changed.jsonl
    expect_status 0 t import changed.jsonl "$DEMO" || return 1
    expect_err 'changed\.jsonl: 3 posts: 0 new, 1 updated, 2 unchanged' || return 1
    expect_status 0 t show 5 --json || return 1
    expect_eq "closed bins alice 2 1" \
        "$(jpy '[j["state"], " ".join(j["tags"]), j["assignee"], j["priority"], len(j["notes"])]')" \
        "triage of thread 5 after the imports" || return 1
    expect_eq 5 "$(db_count 'select count(*) from audit')" "audit rows"
}

test_later_title_replaces_and_missing_title_keeps() {
    post_json id=p1 title='First title' >a.jsonl
    post_json id=p2 parent=p1 title='Second title' >b.jsonl
    post_json id=p3 parent=p1 >c.jsonl
    t import a.jsonl b.jsonl 2>/dev/null || return 1
    expect_status 0 t list --json || return 1
    expect_eq "Second title" "$(jpy 'j[0]["title"]')" "title after a later post" || return 1
    t import c.jsonl 2>/dev/null || return 1
    expect_status 0 t list --json || return 1
    expect_eq "Second title" "$(jpy 'j[0]["title"]')" "title after a post without one"
}

# A post with every trick a remote user could use on a terminal: ESC [2J (clear), OSC 52
# (clipboard write), C1 CSI (U+009B), RLO (U+202E) and a zero-width space.
HOSTILE='wipe \u001b[2J clip \u001b]52;c;ZXZpbA==\u0007 csi \u009b31m flip \u202eevil\u202c zero\u200bwidth hostilemarker'
HOSTILE_PY='"wipe \x1b[2J clip \x1b]52;c;ZXZpbA==\x07 csi \x9b31m flip \u202eevil\u202c zero\u200bwidth hostilemarker"'

import_hostile() {
    post_json author='@x\u001b[31m' author_name='Bad \u202eName \u009b1m' \
        title='Title \u001b]0;pwned\u0007' text="$HOSTILE" >h.jsonl
    t import h.jsonl 2>/dev/null || fail "cannot import the hostile post"
}

# Fails when FILE holds ESC, C1 CSI (as UTF-8: c2 9b) or RLO (e2 80 ae) raw.
expect_terminal_safe() {
    expect_eq 0 "$(grep -c "$(printf '\033')" "$1")" "lines with ESC in $1" || return 1
    expect_no_bytes "$1" 1b || return 1
    expect_no_bytes "$1" c2 9b || return 1
    expect_no_bytes "$1" e2 80 ae || return 1
    expect_no_bytes "$1" 07 || return 1
    expect_no_bytes "$1" e2 80 8b
}

test_hostile_text_is_defused_in_show() {
    import_hostile || return 1
    expect_status 0 t show 1 || return 1
    expect_out 'hostilemarker' || return 1
    expect_out 'wipe \^\[\[2J clip' || return 1
    expect_out '<U\+202E>evil<U\+202C>' || return 1
    expect_terminal_safe "$WORK/out"
}

test_hostile_text_is_defused_in_list() {
    import_hostile || return 1
    expect_status 0 t list || return 1
    expect_out '@x\^\[\[31m' || return 1
    expect_terminal_safe "$WORK/out"
}

test_hostile_text_is_defused_in_search() {
    import_hostile || return 1
    expect_status 0 t search hostilemarker || return 1
    expect_out '\[hostilemarker\]' || return 1
    expect_terminal_safe "$WORK/out"
}

test_hostile_text_is_kept_exactly_in_json() {
    import_hostile || return 1
    expect_status 0 t show 1 --json || return 1
    "$PYTHON" -m json.tool <"$WORK/out" >/dev/null || fail "show --json is not valid JSON" ||
        return 1
    expect_eq True "$(jpy "j['posts_tree'][0]['text'] == $HOSTILE_PY")" "text kept exactly" ||
        return 1
    expect_eq True "$(jpy "j['title'] == 'Title \x1b]0;pwned\x07'")" "title kept exactly" ||
        return 1
    expect_status 0 t list --json || return 1
    "$PYTHON" -m json.tool <"$WORK/out" >/dev/null || fail "list --json is not valid JSON" ||
        return 1
    expect_eq True "$(jpy "j[0]['latest_text'] == $HOSTILE_PY")" "list latest_text" || return 1
    expect_status 0 t search hostilemarker --json || return 1
    "$PYTHON" -m json.tool <"$WORK/out" >/dev/null || fail "search --json is not valid JSON" ||
        return 1
    expect_eq True "$(jpy "j[0]['latest_text'] == $HOSTILE_PY")" "search latest_text" ||
        return 1
    expect_no_bytes "$WORK/out" 1b
}

# tactful(1) SECURITY says --json output carries remote text "unchanged (JSON escapes
# control characters)", but jansson writes C1 controls raw: U+009B (CSI) leaves as the bytes
# c2 9b, so `tactful show ID --json` on a terminal passes it through.
test_json_output_escapes_c1_controls() {
    import_hostile || return 1
    expect_status 0 t show 1 --json || return 1
    expect_eq True "$(jpy "j['posts_tree'][0]['text'] == $HOSTILE_PY")" "text kept exactly" ||
        return 1
    expect_no_bytes "$WORK/out" c2 9b
}

test_hostile_field_name_is_defused_in_the_error() {
    printf '{"\\u001b[2Jx":1}\n' >k.jsonl
    expect_status 1 t import k.jsonl || return 1
    expect_err 'k\.jsonl:1: unknown field "\^\[\[2Jx"' || return 1
    expect_no_bytes "$WORK/err" 1b
}

# The thread summary (last activity, latest post) should follow a post whose time is
# corrected by a later import; the summary is only maintained by an INSERT trigger.
test_updated_post_time_moves_thread_last_activity() {
    {
        post_json id=p1 created_at=2026-01-01T09:00:00Z text=root
        post_json id=p2 parent=p1 created_at=2026-01-01T10:00:00Z text=reply
    } >a.jsonl
    post_json id=p2 parent=p1 created_at=2026-01-03T10:00:00Z text=reply >b.jsonl
    t import a.jsonl 2>/dev/null || return 1
    expect_status 0 t import b.jsonl || return 1
    expect_err '0 new, 1 updated' || return 1
    expect_status 0 t list --json || return 1
    expect_eq 2026-01-03T10:00:00Z "$(jpy 'j[0]["last_activity"]')" "thread last_activity"
}

# A post re-imported under another thread should leave the old thread's count and move to
# the new one; today the old thread keeps counting it and the new one shows 0 posts.
test_post_moved_to_another_thread_updates_both_summaries() {
    {
        post_json id=p1 created_at=2026-01-01T09:00:00Z text=root
        post_json id=p2 parent=p1 created_at=2026-01-01T10:00:00Z text=reply
    } >a.jsonl
    post_json thread=t2 id=p2 created_at=2026-01-02T10:00:00Z text=moved >b.jsonl
    t import a.jsonl 2>/dev/null || return 1
    t import b.jsonl 2>/dev/null || return 1
    expect_status 0 t list --json || return 1
    expect_eq "1 1" "$(jpy '[r["posts"] for r in sorted(j, key=lambda r: r["id"])]')" \
        "posts of threads t1, t2" || return 1
    expect_eq "root moved" \
        "$(jpy '[r["latest_text"] for r in sorted(j, key=lambda r: r["id"])]')" \
        "latest text of threads t1, t2"
}

run_tests
