#!/bin/sh
# Marking an opinion from the thread view: O asks the stance and files the post under the
# thread's topic, as `tactful insight add` does; without a topic it says to set one first.
. "$(dirname "$0")/lib.sh"

test_mark_opinion_from_the_thread_view() {
    demo
    start 110 32
    wait_for 'tester │ 1/40'
    goto 3
    keys Enter
    wait_for 'Thread 3 · mastodon'
    keys O
    wait_for 'give the thread a topic first \(i\)'
    keys i
    wait_for 'topic'
    keys -l 'Station Road cycle lane'
    keys Enter
    wait_for 'about: Station Road cycle lane'
    keys G
    keys O
    wait_for '1 for  2 against  3 mixed  4 question'
    keys 2
    wait_for 'post marked against as an opinion on Station Road cycle lane'
    out=$("$TACTFUL" insight 'Station Road cycle lane' --json | python3 -c '
import json, sys
j = json.load(sys.stdin)
p = j["posts"][0]
print(j["posts_marked"], p["thread"], p["stance"], p["quote_status"])')
    [ "$out" = "1 3 against shown" ] || fail "the mark was not saved as expected: $out"
}

run_tests
