#!/bin/sh
# Search and list on the demo data: the query language, each filter, sorting and limits, and
# the usage errors. Thread numbers are the demo's (imported into an empty cache).
. "$(dirname "$0")/lib.sh"

# The demo's 10 WordPress and 12 Bluesky threads, latest activity first.
BLOG_IDS="20 21 28 27 23 25 22 26 24 19"
BSKY_IDS="30 40 29 37 38 35 32 33 39 31 36 34"

test_search_phrase_needs_words_in_order() {
    import_demo || return 1
    expect_eq "21 3 34" "$(search_ids '"cycle lane"')" '"cycle lane"' || return 1
    expect_eq "" "$(search_ids '"lane cycle"')" '"lane cycle"' || return 1
    expect_eq "21 3 34" "$(search_ids lane cycle)" "lane cycle as two words"
}

test_search_phrase_snippet_brackets_the_hit() {
    import_demo || return 1
    expect_status 0 t search '"bin collection"' --json || return 1
    expect_eq 7 "$(jpy '[r["id"] for r in j]')" '"bin collection"' || return 1
    expect_eq True "$(jpy '"New [bin collection] calendars" in j[0]["snippet"]')" "snippet marks the hit"
}

test_search_prefix_matches_longer_words() {
    import_demo || return 1
    expect_eq "18 20 13" "$(search_ids grit)" "grit" || return 1
    expect_eq "18 40 20 13" "$(search_ids 'grit*')" "grit*"
}

test_search_or_matches_either_word() {
    import_demo || return 1
    expect_eq 1 "$(search_ids pothole)" "pothole" || return 1
    expect_eq "20 13" "$(search_ids gritting)" "gritting" || return 1
    expect_eq "20 13 1" "$(search_ids pothole OR gritting)" "pothole OR gritting" || return 1
    expect_eq "" "$(search_ids pothole gritting)" "pothole gritting (both words)"
}

test_search_minus_word_excludes() {
    import_demo || return 1
    expect_eq "21 22 6 2" "$(search_ids Eastgate)" "Eastgate" || return 1
    expect_eq "21 6 2" "$(search_ids Eastgate -Sunday)" "Eastgate -Sunday"
}

test_search_minus_word_leaves_out_whole_threads() {
    import_demo || return 1
    # 13 and 20 have other posts matching grit*, but each has a post with "gritting".
    expect_eq "18 40" "$(search_ids 'grit*' -gritting)" "grit* -gritting"
}

test_search_minus_phrase_excludes() {
    import_demo || return 1
    expect_eq "20 17 21 27 15 26 3 1 34" "$(search_ids lane)" "lane" || return 1
    expect_eq "20 17 27 15 26 1" "$(search_ids lane -'"cycle lane"')" 'lane -"cycle lane"'
}

test_search_ignores_accents() {
    import_demo || return 1
    expect_eq "21 22 9 6" "$(search_ids Zoë)" "Zoë" || return 1
    expect_eq "21 22 9 6" "$(search_ids Zoe)" "Zoe" || return 1
    expect_eq "21 22 9 6" "$(search_ids zoe)" "zoe" || return 1
    expect_eq "25 9" "$(search_ids Greenbank cafe)" "Greenbank cafe (text has café)"
}

test_search_matches_author_display_name() {
    import_demo || return 1
    expect_eq "17 1" "$(search_ids Hartley)" "Hartley (Dave Hartley's display name)"
}

test_search_filter_platform() {
    import_demo || return 1
    expect_eq 40 "$(search_ids 'grit*' platform:bluesky)" "grit* platform:bluesky"
}

test_search_filter_account() {
    import_demo || return 1
    expect_eq 20 "$(search_ids 'grit*' account:northmoor-blog)" "grit* account:northmoor-blog"
}

test_search_filter_from_handle_and_name() {
    import_demo || return 1
    expect_eq "17 1" "$(search_ids from:dave_h)" "from:dave_h" || return 1
    expect_eq "17 1" "$(search_ids from:hartley)" "from:hartley" || return 1
    expect_eq 1 "$(search_ids pothole from:dave_h)" "pothole from:dave_h"
}

test_search_filter_value_in_quotes_may_have_spaces() {
    import_demo || return 1
    expect_eq "17 1" "$(search_ids 'from:"Dave Hartley"')" 'from:"Dave Hartley"' || return 1
    expect_eq 1 "$(search_ids 'from:"Dave Hartley" pothole')" 'from:"Dave Hartley" pothole' ||
        return 1
    expect_status 2 t search 'from:"Dave' || return 1
    expect_err 'a quote is not closed'
}

test_search_words_ignore_punctuation() {
    import_demo || return 1
    expect_eq 1 "$(search_ids @marj)" "@marj" || return 1
    expect_eq 1 "$(search_ids MARJ)" "MARJ"
}

test_search_lowercase_or_is_an_ordinary_word() {
    import_demo || return 1
    expect_eq "" "$(search_ids pothole or gritting)" "pothole or gritting" || return 1
    expect_eq "30 8" "$(search_ids ward OR councillor)" "ward OR councillor" || return 1
    expect_eq 30 "$(search_ids ward or councillor)" "ward or councillor (three words)"
}

test_search_filters_alone_list_threads_without_snippets() {
    import_demo || return 1
    expect_status 0 t search platform:wordpress --json || return 1
    expect_eq "$BLOG_IDS" "$(jpy '[r["id"] for r in j]')" "platform:wordpress" || return 1
    expect_eq False "$(jpy 'any("snippet" in r for r in j)')" "snippets without words" ||
        return 1
    expect_status 0 t search pothole --json || return 1
    expect_eq True "$(jpy 'all("snippet" in r for r in j)')" "snippets with words"
}

# from: is documented to ignore case, but SQLite's lower() folds ASCII only: from:ZOË
# misses Zoë Ferrand, while from:zoë and from:FERRAND find her.
test_from_filter_ignores_case_beyond_ascii() {
    import_demo || return 1
    expect_eq "21 22 9 6" "$(search_ids from:FERRAND)" "from:FERRAND" || return 1
    expect_eq "21 22 9 6" "$(search_ids from:ZOË)" "from:ZOË"
}

test_search_filter_state() {
    import_demo || return 1
    t mark 13 to_reply >/dev/null || return 1
    expect_eq 13 "$(search_ids 'grit*' state:to_reply)" "grit* state:to_reply" || return 1
    expect_eq "18 40 20" "$(search_ids 'grit*' state:new)" "grit* state:new"
}

test_search_filter_tag() {
    import_demo || return 1
    t tag 20 +winter >/dev/null || return 1
    t tag 5 +winter >/dev/null || return 1
    expect_eq 20 "$(search_ids 'grit*' tag:winter)" "grit* tag:winter" || return 1
    expect_eq "20 5" "$(search_ids tag:winter)" "tag:winter alone"
}

test_search_filter_assignee_and_none() {
    import_demo || return 1
    t assign 18 alice >/dev/null || return 1
    expect_eq 18 "$(search_ids 'grit*' assignee:alice)" "grit* assignee:alice" || return 1
    expect_eq "40 20 13" "$(search_ids 'grit*' assignee:none)" "grit* assignee:none"
}

test_search_same_filter_twice_matches_either() {
    import_demo || return 1
    expect_eq "40 20" "$(search_ids 'grit*' platform:bluesky platform:wordpress)" \
        "grit* with two platforms" || return 1
    t mark 13 closed >/dev/null || return 1
    t mark 40 waiting >/dev/null || return 1
    expect_eq "40 13" "$(search_ids 'grit*' state:closed state:waiting)" \
        "grit* with two states"
}

test_search_negated_filter_excludes() {
    import_demo || return 1
    expect_eq "18 20 13" "$(search_ids 'grit*' -platform:bluesky)" "grit* -platform:bluesky" ||
        return 1
    t mark 20 to_reply >/dev/null || return 1
    t mark 13 closed >/dev/null || return 1
    expect_eq "20 13" "$(search_ids 'grit*' -state:new)" "grit* -state:new"
}

test_search_limit() {
    import_demo || return 1
    expect_eq "18 40" "$(search_ids 'grit*' --limit 2)" "grit* --limit 2" || return 1
    expect_eq "18" "$(search_ids --limit=1 'grit*')" "--limit=1 grit*" || return 1
    expect_status 2 t search 'grit*' --limit 0 || return 1
    expect_err '--limit needs a positive number'
}

test_search_unknown_option_is_a_usage_error() {
    expect_status 2 t search --frobnicate 'grit*' || return 1
    expect_err "unknown option '--frobnicate'" || return 1
    expect_err '^usage: tactful search '
}

test_search_double_dash_ends_options() {
    import_demo || return 1
    expect_status 0 t search --json -- grit || return 1
    expect_eq "18 20 13" "$(jpy '[r["id"] for r in j]')" "--json -- grit" || return 1
    expect_status 2 t search -- --json || return 1
    expect_err 'cannot only exclude words'
}

test_search_unknown_state_is_a_usage_error() {
    import_demo || return 1
    expect_status 2 t search 'grit*' state:bogus || return 1
    expect_err "unknown state 'bogus'; states are new, to_reply, waiting, replied, no_action, escalated and closed" ||
        return 1
    expect_err '^usage: tactful search' || return 1
    [ ! -s "$WORK/out" ] || fail "stdout not empty: $(head -c 200 "$WORK/out")"
}

test_search_unknown_platform_is_a_usage_error() {
    expect_status 2 t search 'grit*' platform:myspace || return 1
    expect_err "unknown platform 'myspace'"
}

test_search_unclosed_quote_is_a_usage_error() {
    import_demo || return 1
    expect_status 2 t search '"cycle lane' || return 1
    expect_err 'a quote is not closed'
}

test_search_without_text_is_a_usage_error() {
    expect_status 2 t search || return 1
    expect_err 'say what to search for' || return 1
    expect_status 2 t search --json || return 1
    expect_err 'say what to search for' || return 1
    expect_status 2 t search '' || return 1
    expect_err 'say what to search for'
}

test_search_only_exclusions_is_a_usage_error() {
    expect_status 2 t search -- -gritting || return 1
    expect_err 'cannot only exclude words'
}

# A query of white space only is as empty as no query, but it lists every thread today.
test_search_blank_text_is_a_usage_error() {
    import_demo || return 1
    expect_status 2 t search ' ' || return 1
    expect_err 'say what to search for'
}

test_list_default_order_is_latest_activity_first() {
    import_demo || return 1
    ids=$(list_ids) || return 1
    expect_eq "30 18 40 20" "$(echo "$ids" | cut -d' ' -f1-4)" "first four threads" ||
        return 1
    expect_eq "1 34" "$(echo "$ids" | cut -d' ' -f39-40)" "last two threads"
}

test_list_state() {
    import_demo || return 1
    t mark 7 escalated >/dev/null || return 1
    t mark 22 escalated >/dev/null || return 1
    t mark 30 closed >/dev/null || return 1
    expect_eq "22 7" "$(list_ids --state escalated)" "--state escalated" || return 1
    expect_eq "30 22 7" "$(list_ids --state escalated --state closed)" "two states" ||
        return 1
    expect_eq 37 "$(list_ids --state new | wc -w | tr -d ' ')" "threads still new"
}

test_list_account() {
    import_demo || return 1
    expect_eq "$BLOG_IDS" "$(list_ids --account northmoor-blog)" "--account northmoor-blog" ||
        return 1
    expect_eq "" "$(list_ids --account nobody)" "--account nobody"
}

test_list_platform() {
    import_demo || return 1
    expect_eq "$BSKY_IDS" "$(list_ids --platform bluesky)" "--platform bluesky" || return 1
    expect_eq 22 "$(list_ids --platform bluesky --platform wordpress | wc -w | tr -d ' ')" \
        "two platforms"
}

test_list_tag() {
    import_demo || return 1
    t tag 9 +pool +cafe >/dev/null || return 1
    t tag 25 +pool >/dev/null || return 1
    expect_eq "25 9" "$(list_ids --tag pool)" "--tag pool" || return 1
    expect_eq 9 "$(list_ids --tag cafe)" "--tag cafe"
}

test_list_assignee_and_none() {
    import_demo || return 1
    t assign 11 alice >/dev/null || return 1
    t assign 28 alice >/dev/null || return 1
    t assign 12 bob >/dev/null || return 1
    expect_eq "28 11" "$(list_ids --assignee alice)" "--assignee alice" || return 1
    none=$(list_ids --assignee none) || return 1
    expect_eq 37 "$(echo "$none" | wc -w | tr -d ' ')" "--assignee none count" || return 1
    case " $none " in
    *" 11 "* | *" 12 "* | *" 28 "*) fail "--assignee none lists an assigned thread: $none" ;;
    esac
}

test_list_sort_priority() {
    import_demo || return 1
    t priority 1 3 >/dev/null || return 1
    t priority 9 2 >/dev/null || return 1
    t priority 34 2 >/dev/null || return 1
    t priority 30 1 >/dev/null || return 1
    ids=$(list_ids --sort priority) || return 1
    expect_eq "1 9 34 30 18" "$(echo "$ids" | cut -d' ' -f1-5)" "first five by priority"
}

test_list_sort_age_is_oldest_first() {
    import_demo || return 1
    ids=$(list_ids --sort age) || return 1
    expect_eq "19 20 21 34" "$(echo "$ids" | cut -d' ' -f1-4)" "oldest four" || return 1
    expect_eq "18 30" "$(echo "$ids" | cut -d' ' -f39-40)" "newest two"
}

test_list_limit() {
    import_demo || return 1
    expect_eq "30 18 40" "$(list_ids --limit 3)" "--limit 3" || return 1
    expect_eq "19 20" "$(list_ids --sort age --limit 2)" "--sort age --limit 2"
}

test_list_text_shows_header_and_unread_marker() {
    import_demo || return 1
    expect_status 0 t list --limit 1 || return 1
    expect_out '^ +ID STATE +PLATFORM +ACCOUNT +AUTHOR +AGE +POSTS +LATEST$' || return 1
    expect_out '^\* +30 new +bluesky +northmoor-bsky ' || return 1
    expect_eq 2 "$(wc -l <"$WORK/out" | tr -d ' ')" "lines for --limit 1"
}

test_list_prints_a_sentence_when_nothing_matches() {
    import_demo || return 1
    expect_status 0 t list --account nobody || return 1
    expect_eq "No threads match." "$(cat "$WORK/out")" "output"
}

test_show_does_not_mark_a_thread_read() {
    import_demo || return 1
    t show 5 >/dev/null || return 1
    expect_status 0 t list --json || return 1
    expect_eq True "$(jpy '[r["unread"] for r in j if r["id"] == 5][0]')" "thread 5 unread"
}

test_list_bogus_state_is_a_usage_error() {
    import_demo || return 1
    expect_status 2 t list --state bogus || return 1
    expect_err "unknown state 'bogus'; states are new, to_reply" || return 1
    expect_err '^usage: tactful list' || return 1
    [ ! -s "$WORK/out" ] || fail "stdout not empty"
}

test_list_bad_option_values_are_usage_errors() {
    expect_status 2 t list --platform myspace || return 1
    expect_err "unknown platform 'myspace'" || return 1
    expect_status 2 t list --sort newest || return 1
    expect_err "unknown sort 'newest'" || return 1
    expect_status 2 t list --limit 0 || return 1
    expect_err "--limit needs a positive number, not '0'" || return 1
    expect_status 2 t list gritting || return 1
    expect_err "unexpected argument 'gritting'; to search text use .tactful search."
}

# many_threads N: imports N one-post threads (more listing than a pipe holds).
many_threads() {
    "$PYTHON" - "$1" >"$WORK/many.jsonl" <<'PY'
import json, sys
for i in range(int(sys.argv[1])):
    print(json.dumps({"platform": "mastodon", "account": "many", "thread": str(i), "id": str(i),
                      "author": "@u%d@example.social" % (i % 50),
                      "created_at": "2026-11-%02dT%02d:%02d:00Z" % (1 + i % 28, i % 24, i % 60),
                      "text": "gritting bins number %d" % i}))
PY
    expect_status 0 t import "$WORK/many.jsonl"
}

# A listing streams: a reader that stops early (head) ends it quietly, both when SIGPIPE ends
# the process (status 141 from the shell) and when SIGPIPE is ignored (EPIPE: status 0); the
# whole listing is still valid JSON when read to the end.
test_list_reader_going_away_ends_quietly() {
    many_threads 3000 || return 1
    expect_status 0 t search gritting --json || return 1
    expect_eq 3000 "$(jpy 'len(j)')" "threads in the full answer" || return 1
    for cmd in "list --json" "search gritting --json" "list"; do
        # (set -e is on: the status is caught with || rather than read after the command.)
        st=$( { t $cmd 2>"$WORK/err" && echo 0 >"$WORK/status" || echo $? >"$WORK/status"; } |
              head -c 100 >/dev/null; cat "$WORK/status")
        case $st in 0|141) ;; *) fail "$cmd | head: exit status $st" || return 1 ;; esac
        expect_eq "" "$(cat "$WORK/err")" "$cmd | head: stderr" || return 1
        st=$( { (trap '' PIPE; t $cmd 2>"$WORK/err") && echo 0 >"$WORK/status" ||
                echo $? >"$WORK/status"; } | head -c 100 >/dev/null; cat "$WORK/status")
        expect_eq 0 "$st" "$cmd | head with SIGPIPE ignored: exit status" || return 1
        expect_eq "" "$(cat "$WORK/err")" "$cmd | head with SIGPIPE ignored: stderr" || return 1
    done
}

run_tests
