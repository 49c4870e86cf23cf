#!/bin/sh
# Finding threads: state tabs, / search with the query syntax of `tactful search`, filters
# with completion, sorting, and paging through more threads than fit on the screen.
. "$(dirname "$0")/lib.sh"

test_tabs_show_one_state_each() {
    demo
    "$TACTFUL" mark 21 to_reply >/dev/null
    "$TACTFUL" mark 18 to_reply >/dev/null
    "$TACTFUL" mark 30 closed >/dev/null
    start 100 30
    wait_for 'new 37 │ to_reply 2 │'
    keys 2
    wait_for 'tester │ 1/2'
    [ "$(screen | grep -c '^[* ] *[0-9][0-9]* .*to_reply')" -eq 2 ] || fail "expected the two to_reply threads"
    keys Tab
    wait_for 'No threads in state waiting'
    keys 7
    wait_for 'tester │ 1/1'
    screen | grep -q '^[* ] *30 ' || fail "thread 30 should be the closed one"
    keys BTab BTab
    wait_for 'No threads in state no_action'
    keys 0
    wait_for 'tester │ 1/40'
}

test_search_uses_the_query_language() {
    demo
    start 100 30
    wait_for 'tester │ 1/40'
    keys /
    wait_for ' search:$'
    keys -l '"grit bin" platform:mastodon'
    keys Enter
    wait_for 'Showing: search: "grit bin" platform:mastodon  '
    want=$("$TACTFUL" search --json '"grit bin" platform:mastodon' | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
    wait_for "tester │ 1/$want"
    [ "$(screen | grep -c '^[* ] *[0-9][0-9]* ')" -eq "$want" ] || fail "expected $want threads"
    screen | grep -q '\[grit bin' || fail "the matching text should be shown with the hits marked"
    # The counts follow the search.
    wait_for "all $want │ new $want │"
    keys Escape
    wait_for 'search and filters cleared'
    wait_for 'tester │ 1/40'
    keys /
    keys -l 'state:nonsense'
    keys Enter
    wait_for "search: unknown state 'nonsense'"
    wait_for 'tester │ 1/40'
}

# A search's counts are made after its first screen is drawn (on a large cache they take a
# second), then the tabs, the position and the message show them, and the whole listing can
# be walked.
test_search_counts_follow_the_first_screen() {
    demo
    want=$("$TACTFUL" search --json council | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
    start 100 14
    wait_for 'tester │ 1/40'
    keys /
    wait_for ' search:$'
    keys -l 'council'
    keys Enter
    wait_for "$want threads match"
    wait_for "all $want │ new $want │"
    wait_for "tester │ 1/$want "
    keys G
    wait_for "tester │ $want/$want "
    keys g
    wait_for "tester │ 1/$want "
}

test_filters_with_completion_and_sort() {
    demo
    "$TACTFUL" tag 28 +newsletter >/dev/null
    "$TACTFUL" assign 27 sam.patel >/dev/null
    "$TACTFUL" priority 12 3 >/dev/null
    start 100 30
    wait_for 'tester │ 1/40'
    keys P
    wait_for ' platform filter:$'
    keys w Tab
    wait_for ' platform filter: wordpress'
    keys Enter
    want=$("$TACTFUL" list --platform wordpress --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
    wait_for "tester │ 1/$want"
    wait_for 'Showing: platform:wordpress'
    keys T
    keys Tab
    wait_for ' tag filter: newsletter'
    keys Enter
    wait_for 'tester │ 1/1'
    screen | grep -q '^[* ] *28 ' || fail "thread 28 carries the tag"
    keys Escape
    wait_for 'search and filters cleared'
    keys O
    keys -l 'sam.patel'
    keys Enter
    wait_for 'tester │ 1/1'
    screen | grep -q '^[* ] *27 ' || fail "thread 27 is sam.patel's"
    keys Escape
    wait_for 'search and filters cleared'
    keys P
    keys -l 'myspace'
    keys Enter
    wait_for "unknown platform 'myspace'"
    keys o
    wait_for 'sorted by priority'
    wait_for 'by priority'
    sed_line=$(screen | grep -m1 '^[* ] *[0-9]')
    echo "$sed_line" | grep -q '^[* ] *12 *3 ' || fail "the urgent thread 12 should come first: $sed_line"
    keys o
    wait_for 'sorted by age \(oldest first\)'
    keys o
    wait_for 'sorted by activity'
}

test_paging_through_many_threads() {
    # 300 one-post threads, one a minute, so the order is known.
    python3 -c '
for i in range(300):
    print("{\"platform\":\"mastodon\",\"account\":\"a\",\"thread\":\"t%d\",\"id\":\"t%d\",\"author\":\"@u%d\",\"created_at\":\"2026-11-20T%02d:%02d:00Z\",\"text\":\"post %d\"}" % (i, i, i, i // 60, i % 60, i))
' >many.jsonl
    "$TACTFUL" import many.jsonl 2>/dev/null
    start 80 24
    wait_for 'tester │ 1/300'
    keys PgDn
    wait_for 'tester │ 22/300'
    line 3 | grep -q 'post 278$' || fail "the second page should start at post 278"
    keys PgDn PgDn
    wait_for 'tester │ 64/300'
    keys k
    wait_for 'tester │ 63/300'
    keys G
    wait_for 'tester │ 300/300'
    line 23 | grep -q 'post 0$' || fail "the last line should be the oldest post"
    keys PgUp
    wait_for 'tester │ 279/300'
    keys g
    wait_for 'tester │ 1/300'
    keys k
    wait_for 'tester │ 1/300'
    line 3 | grep -q 'post 299$' || fail "the first line should be the newest post"
}

test_saved_searches_are_tabs() {
    demo
    "$TACTFUL" assign 21 sam.patel >/dev/null
    "$TACTFUL" assign 30 sam.patel >/dev/null
    printf '[searches]\nmine = assignee:sam.patel\ngrit = grit platform:mastodon\n' >"$TACTFUL_CONFIG"
    want=$("$TACTFUL" search --json 'grit platform:mastodon' | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
    start 160 30
    wait_for 'closed 0 │ mine │ grit'
    wait_for 'tester │ 1/40'
    # BTab from "all" goes to the last tab: the last saved search.
    keys BTab
    wait_for 'Showing: grit \(grit platform:mastodon\)'
    wait_for "tester │ 1/$want"
    keys BTab
    wait_for 'Showing: mine \(assignee:sam.patel\)'
    wait_for 'tester │ 1/2'
    screen | grep -Eq '^\* +(21|30) ' || fail "the assigned threads should be listed"
    # A search given with / narrows the saved search's threads further.
    keys /
    wait_for ' search:$'
    keys -l 'platform:wordpress'
    keys Enter
    wait_for '1 thread match'
    wait_for 'Showing: mine \(assignee:sam.patel\) · search: platform:wordpress'
    screen | grep -Eq '^\* +21 ' || fail "thread 21 (WordPress, assigned) should be listed"
    # 0 leaves the saved search for every state; the search given with / stays.
    keys 0
    wait_for 'Showing: search: platform:wordpress  '
    wait_gone 'Showing: mine'
}

test_saved_search_mistakes_are_refused() {
    printf '[searches]\nbad = state:nonsense\n' >"$TACTFUL_CONFIG"
    start 200 30
    wait_for "config:2: \\[searches\\] bad: unknown state 'nonsense'"
    wait_for 'EXITED 2'
}

run_tests
