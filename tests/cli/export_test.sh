#!/bin/sh
# Export: CSV layout, RFC 4180 quoting and the spreadsheet formula guard, one thread only,
# writing to a file atomically, and the errors.
. "$(dirname "$0")/lib.sh"

CSV_HEADER='platform,account,thread,id,parent,author,author_name,created_at,text,url,own,html,title'

# csv_py EXPR: EXPR evaluated with rows = the CSV on the last command's stdout (dicts).
csv_py() {
    "$PYTHON" - "$WORK/out" "$1" <<'PY'
import csv, sys
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    rows = list(csv.DictReader(f))
v = eval(sys.argv[2], {"rows": rows})
print(" ".join(str(x) for x in v) if isinstance(v, list) else v)
PY
}

# Two posts whose texts need quoting (a quote and a newline) and the formula guard.
import_tricky() {
    {
        post_json id=p1 author=plain text='She said \"hi\"\nthen left, quickly'
        post_json id=p2 parent=p1 author=plain created_at=2026-01-01T01:00:00Z \
            text='=HYPERLINK(\"http://evil.example\",\"x\")'
        post_json id=p3 parent=p1 author=plain created_at=2026-01-01T02:00:00Z text='+1 agree'
        post_json id=p4 parent=p1 author=plain created_at=2026-01-01T03:00:00Z text='-5 degrees'
    } >tricky.jsonl
    t import tricky.jsonl 2>/dev/null || fail "cannot import tricky.jsonl"
}

test_csv_starts_with_the_header_row() {
    import_demo || return 1
    expect_status 0 t export --format csv || return 1
    expect_eq "$CSV_HEADER" "$(head -n 1 "$WORK/out" | tr -d '\r')" "header row" || return 1
    expect_bytes "$WORK/out" 74 69 74 6c 65 0d 0a || return 1
    expect_eq 181 "$(csv_py 'len(rows)')" "CSV records of the demo"
}

test_csv_quotes_quotes_and_newlines() {
    import_tricky || return 1
    expect_status 0 t export --format csv || return 1
    expect_out '^"mastodon","acc","t1","p1",,"plain","","2026-01-01T00:00:00Z","She said ""hi""$' ||
        return 1
    expect_out "^then left, quickly\",,false,,$(printf '\r')\$" || return 1
    expect_eq 'She said "hi"|then left, quickly' \
        "$(csv_py 'rows[0]["text"].replace("\n", "|")')" "text read back by a CSV reader"
}

test_csv_guards_formulas() {
    import_tricky || return 1
    expect_status 0 t export --format csv || return 1
    expect_out ',"'"'"'=HYPERLINK\(""http://evil\.example"",""x""\)",' || return 1
    expect_eq "'=HYPERLINK(\"http://evil.example\",\"x\") '+1 agree '-5 degrees" \
        "$(csv_py '[r["text"] for r in rows[1:]]')" "guarded texts" || return 1
    expect_eq "She" "$(csv_py 'rows[0]["text"][:3]')" "an unguarded text"
}

test_csv_guards_handles_starting_with_at() {
    post_json author=@marj text=hi >m.jsonl
    t import m.jsonl 2>/dev/null || return 1
    expect_status 0 t export --format csv || return 1
    expect_eq "'@marj" "$(csv_py 'rows[0]["author"]')" "author cell"
}

test_csv_guard_covers_every_text_column() {
    post_json author=plain author_name='=cmd|calc' title='-2+3' text='\tstarts with a tab' >g.jsonl
    t import g.jsonl 2>/dev/null || return 1
    expect_status 0 t export --format csv || return 1
    expect_eq "$(printf "'=cmd|calc|'-2+3|'\\tstarts with a tab")" \
        "$(csv_py 'rows[0]["author_name"] + "|" + rows[0]["title"] + "|" + rows[0]["text"]')" \
        "guarded cells"
}

test_jsonl_export_keeps_text_exactly() {
    import_tricky || return 1
    expect_status 0 t export || return 1
    expect_eq "$(printf 'She said "hi"|then left, quickly|=HYPERLINK')" \
        "$("$PYTHON" -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
print(rows[0]["text"].replace("\n", "|") + "|" + rows[1]["text"][:10])' "$WORK/out")" \
        "texts in the JSON Lines export"
}

# A post's meta (content warning, visibility, media with alt text, quote, card) goes out with
# the export and comes back with the import into another cache: tactful show says the same
# there, and the meta is stored byte for byte as it was.
test_jsonl_export_carries_meta_into_another_cache() {
    meta='{"visibility":"private","cw":"Floods","media":[{"type":"image","alt":"A flooded road","url":"https://m.example/1.jpg"},{"type":"video","alt":null,"url":"https://m.example/2.mp4"}],"media_total":2,"quote":{"author":"@pat","text":"look at this","url":"https://q.example/1"},"card":{"title":"Road closures","url":"https://c.example/roads","description":"This week"}}'
    post_json text='Is the road shut?' extra=",\"meta\":$meta" >m.jsonl
    t import m.jsonl 2>/dev/null || fail "cannot import m.jsonl"
    expect_status 0 t show 1 || return 1
    expect_out 'no description' || return 1
    cp "$WORK/out" before.txt
    expect_status 0 t export --output all.jsonl || return 1
    grep -q '"meta":{"visibility":"private","cw":"Floods","media":\[' all.jsonl ||
        fail "the export lacks the meta: $(head -c 400 all.jsonl)"
    t --db "$WORK/other.db" import all.jsonl 2>/dev/null || fail "cannot import the export"
    expect_status 0 t --db "$WORK/other.db" show 1 || return 1
    cmp -s before.txt "$WORK/out" || fail "show differs: $(diff before.txt "$WORK/out")"
    expect_eq "$meta" "$(sqlite3 "$WORK/other.db" "select meta from posts")" "stored meta"
}

# import_hostile: one post whose text clears the screen, sets the clipboard (OSC 52) and the
# title, holds a C1 CSI, a right-to-left override and a DEL.
import_hostile() {
    "$PYTHON" -c '
import json
t = "clear\x1b[2Jcopy\x1b]52;c;ZXZpbA==\x07title\x1b]0;pwned\x07c1\u009b31mbidi\u202eevil del\x7f end"
print(json.dumps({"platform": "mastodon", "account": "a", "thread": "1", "id": "1",
                  "author": "@x", "created_at": "2026-11-20T09:00:00Z", "text": t}))' >hostile.jsonl
    t import hostile.jsonl 2>/dev/null || fail "cannot import hostile.jsonl"
}

# no_raw_controls FILE: FILE holds no ESC, BEL, DEL, C1 CSI (UTF-8 C2 9B) or U+202E.
no_raw_controls() {
    "$PYTHON" - "$1" <<'PY' || fail "raw control characters in $1: $(head -c 300 "$1" | od -c | head -5)"
import sys
data = open(sys.argv[1], "rb").read()
bad = [b for b in (b"\x1b", b"\x07", b"\x7f", b"\xc2\x9b", b"\xe2\x80\xae") if b in data]
sys.exit(1 if bad else 0)
PY
}

test_csv_to_a_terminal_shows_escapes_instead_of_running_them() {
    import_hostile || return 1
    # script gives tactful a terminal for its standard output.
    expect_status 0 script -qec "$TACTFUL export --format csv" /dev/null || return 1
    no_raw_controls "$WORK/out" || return 1
    expect_out 'clear\^\[\[2Jcopy\^\[\]52;c;ZXZpbA==\^Gtitle' || return 1
    expect_out 'c1<U\+009B>31mbidi<U\+202E>evil del\^\? end' || return 1
    # A file or a pipe gets the exact text.
    expect_status 0 t export --format csv || return 1
    expect_eq 2 "$("$PYTHON" -c 'import sys; d = open(sys.argv[1], "rb").read(); print(d.count(b"\x1b]"))' "$WORK/out")" "OSC sequences kept in a pipe"
}

test_json_escapes_del_everywhere() {
    import_hostile || return 1
    for cmd in "export" "list --json" "show 1 --json" "search del --json"; do
        # shellcheck disable=SC2086
        expect_status 0 t $cmd || return 1
        no_raw_controls "$WORK/out" || return 1
        expect_out 'del\\u007f end' || return 1
    done
    # The JSON still says exactly what the post said.
    expect_status 0 t export || return 1
    expect_eq True "$("$PYTHON" -c 'import json, sys; print(json.loads(open(sys.argv[1]).read())["text"].endswith("del\x7f end"))' "$WORK/out")" "DEL decoded"
    expect_status 0 script -qec "$TACTFUL export" /dev/null || return 1
    no_raw_controls "$WORK/out"
}

test_thread_option_exports_only_that_thread() {
    import_demo || return 1
    expect_status 0 t export --thread 5 || return 1
    expect_eq 3 "$(wc -l <"$WORK/out" | tr -d ' ')" "posts of thread 5" || return 1
    expect_eq "117592985426446201" "$("$PYTHON" -c '
import json, sys
print(" ".join(sorted({json.loads(l)["thread"] for l in open(sys.argv[1])})))' "$WORK/out")" \
        "threads in the export"
}

test_thread_option_with_csv() {
    import_demo || return 1
    expect_status 0 t export --thread 21 --format csv || return 1
    expect_eq "16 northmoor-blog" "$(csv_py '[len(rows), " ".join(sorted({r["account"] for r in rows}))]')" \
        "records and accounts of thread 21"
}

test_output_option_writes_the_file_and_nothing_else() {
    import_demo || return 1
    mkdir dest
    expect_status 0 t export --output dest/all.jsonl || return 1
    expect_err '^dest/all\.jsonl: 181 posts written$' || return 1
    [ ! -s "$WORK/out" ] || fail "stdout not empty with --output" || return 1
    expect_eq all.jsonl "$(ls -A dest)" "files in the output folder" || return 1
    t export >stdout.jsonl || return 1
    cmp -s dest/all.jsonl stdout.jsonl || fail "--output differs from standard output" ||
        return 1
    expect_eq 600 "$(stat -c %a dest/all.jsonl)" "mode of the export"
}

test_short_output_option() {
    import_demo || return 1
    expect_status 0 t export --thread 1 -o one.jsonl || return 1
    expect_err '^one\.jsonl: 3 posts written$' || return 1
    expect_eq 3 "$(wc -l <one.jsonl | tr -d ' ')" "lines in one.jsonl"
}

test_output_option_replaces_an_existing_file() {
    import_demo || return 1
    mkdir dest
    echo stale >dest/t5.csv
    expect_status 0 t export --thread 5 --format csv --output dest/t5.csv || return 1
    expect_err '^dest/t5\.csv: 3 posts written$' || return 1
    expect_eq "$CSV_HEADER" "$(head -n 1 dest/t5.csv | tr -d '\r')" "first line" || return 1
    ! grep -q stale dest/t5.csv || fail "the old content is still there" || return 1
    t export --thread 5 --format csv >stdout.csv || return 1
    cmp -s dest/t5.csv stdout.csv || fail "--output differs from standard output" || return 1
    expect_eq t5.csv "$(ls -A dest)" "files in the output folder"
}

test_output_into_missing_folder_fails() {
    import_demo || return 1
    expect_status 1 t export --output nowhere/all.jsonl || return 1
    expect_err '^tactful: cannot write nowhere/all\.jsonl: No such file or directory$' || return 1
    [ ! -e nowhere ] || fail "folder created"
}

test_unknown_thread_fails_and_writes_nothing() {
    import_demo || return 1
    expect_status 1 t export --thread 999 || return 1
    expect_err '^tactful: no thread 999; `tactful list` shows the threads$' || return 1
    [ ! -s "$WORK/out" ] || fail "stdout not empty" || return 1
    mkdir dest
    expect_status 1 t export --thread 999 --output dest/x.jsonl || return 1
    expect_eq "" "$(ls -A dest)" "files in the output folder"
}

test_bad_format_is_a_usage_error() {
    expect_status 2 t export --format xml || return 1
    expect_err "^tactful export: unknown format 'xml'; use jsonl or csv$" || return 1
    expect_err '^usage: tactful export '
}

test_bad_thread_number_is_a_usage_error() {
    expect_status 2 t export --thread abc || return 1
    expect_err "'abc' is not a thread number"
}

test_empty_cache_exports_only_the_header() {
    expect_status 0 t export --format csv || return 1
    expect_eq "$CSV_HEADER" "$(tr -d '\r' <"$WORK/out")" "CSV of an empty cache" || return 1
    expect_status 0 t export || return 1
    [ ! -s "$WORK/out" ] || fail "JSON Lines export of an empty cache is not empty"
}

run_tests
