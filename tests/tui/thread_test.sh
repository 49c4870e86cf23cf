#!/bin/sh
# The thread view's collapsed sub-threads at 80x24: a post's replies fold into its line with a
# count, a leaf folds its parent and the cursor moves onto the folded line, collapsing again
# goes a level out, expand and expand-all, collapse-all keeping inner folds, moving over
# folded lines, next-unread and reply opening what they need, folds kept across a reload,
# M-v toggling, the vi and emacs flavours' keys for them, and the actions rebindable, in the
# help overlay.
. "$(dirname "$0")/lib.sh"

# A thread of six posts, depth first:
#   Mill Lane (Alice)
#   ├─ bus (Bob)
#   │  ├─ route 7 (Dept, ours)
#   │  │  └─ Thanks (Bob)
#   │  └─ Which stops (Cy)
#   └─ How long (Dee)
setup() {
    {
        post() {
            printf '{"platform":"mastodon","account":"dept","thread":"300","id":"%s","parent":%s,"author":"@%s@example.social","author_name":"%s","created_at":"2026-11-20T09:%s:00Z","text":"%s","own":%s}\n' "$@"
        }
        post 300 null alice Alice 00 'Is Mill Lane closed?' false
        post 301 '"300"' bob Bob 05 'Is the bus diverted too?' false
        post 302 '"300"' dee Dee 30 'How long for?' false
        post 303 '"301"' dept Dept 10 'Yes, route 7 goes by the High Street' true
        post 304 '"301"' cy Cy 20 'Which stops are closed?' false
        post 305 '"303"' bob Bob 15 'Thanks' false
    } >thread.jsonl
    "$TACTFUL" import thread.jsonl 2>/dev/null
}

# open_thread: starts at 80x24 and opens the only thread.
open_thread() {
    start 80 24
    wait_for 'INBOX │ tester'
    keys Enter
    wait_for 'THREAD │ tester │ post 1/6'
}

# rows: the tree's lines (under the header), up to the selected post's heading.
rows() { screen | sed -n '2,/^──/p' | sed '$d'; }

test_collapse_and_expand_a_sub_thread() {
    setup
    open_thread
    keys j
    wait_for 'post 2/6'
    keys -- -
    wait_for 'Bob · .* \[\+3, 3 new\]  Is the bus diverted too\?'
    wait_for 'post 2/6 │ 6 new \(\*\) │ 3 collapsed'
    rows | grep -q 'Which stops' && fail "a folded reply still shows"
    [ "$(rows | wc -l)" -eq 3 ] || fail "expected 3 rows, got $(rows | wc -l)"
    # Moving down skips what is folded.
    keys j
    wait_for 'post 6/6'
    keys k
    wait_for 'post 2/6'
    keys +
    wait_for 'Which stops are closed\?'
    wait_gone 'collapsed'
    [ "$(rows | wc -l)" -eq 6 ] || fail "expected 6 rows after expanding"
    keys +
    wait_for 'nothing to expand'
}

test_collapse_from_a_leaf_goes_a_level_out_each_time() {
    setup
    open_thread
    keys j j j
    wait_for 'post 4/6'
    keys -- -
    wait_for 'post 3/6 .*│ 1 collapsed'
    wait_for 'Dept · .* \[ours\] \[\+1, 1 new\]  Yes, route 7'
    keys -- -
    wait_for 'post 2/6 .*│ 3 collapsed'
    keys -- -
    wait_for 'post 1/6 .*│ 5 collapsed'
    wait_for 'Alice · .* \[\+5, 5 new\]  Is Mill Lane closed\?'
    keys -- -
    wait_for 'nothing to collapse'
    # Expanding the outer post shows the inner ones as they were left: folded.
    keys +
    wait_for 'Bob · .* \[\+3, 3 new\]'
    wait_for 'post 1/6 .*│ 3 collapsed'
    keys E
    wait_gone 'collapsed'
    wait_for 'Thanks'
}

test_collapse_all_and_what_opens_a_fold() {
    setup
    open_thread
    keys G
    wait_for 'post 6/6'
    keys C
    wait_for 'post 1/6 .*│ 5 collapsed'
    [ "$(rows | wc -l)" -eq 1 ] || fail "expected one row, got $(rows | wc -l)"
    # Next unread opens what hides the post it goes to.
    keys Tab
    wait_for 'post 2/6 .*│ 3 collapsed'
    wait_for 'Bob · .* \[\+3, 3 new\]'
    # A reload keeps the folds.
    keys r
    wait_for 'post 2/6 .*│ 3 collapsed'
    # M-v toggles.
    keys M-v
    wait_for 'post 2/6 .*│ 1 collapsed'
    keys M-v
    wait_for 'post 2/6 .*│ 3 collapsed'
    keys E C
    wait_for 'post 1/6 .*│ 5 collapsed'
}

test_vi_flavour_folds_with_c_o_and_capital_m() {
    setup
    printf '[tactful]\nkeymap = vi\n' >"$TACTFUL_CONFIG"
    open_thread
    keys j c
    wait_for 'post 2/6 .*│ 3 collapsed'
    keys o
    wait_for 'Which stops are closed\?'
    wait_gone 'collapsed'
    keys G M
    wait_for 'post 1/6 .*│ 5 collapsed'
    keys E
    wait_gone 'collapsed'
}

test_emacs_flavour_folds_with_meta_keys() {
    setup
    printf '[tactful]\nkeymap = emacs\n' >"$TACTFUL_CONFIG"
    open_thread
    keys C-n M-h
    wait_for 'post 2/6 .*│ 3 collapsed'
    keys M-s
    wait_gone 'collapsed'
    keys M-t
    wait_for 'post 2/6 .*│ 3 collapsed'
    keys M-t
    wait_gone 'collapsed'
    keys 'M->' M-H
    wait_for 'post 1/6 .*│ 5 collapsed'
    keys M-S
    wait_gone 'collapsed'
    keys '?'
    wait_for 'tactful keys · thread'
    wait_for '^  M-t +collapse, or expand the collapsed post  \(toggle-collapse\)'
}

test_collapse_is_rebindable_and_in_the_help() {
    setup
    printf 'bind thread x toggle-collapse\n' >"$XDG_CONFIG_HOME/tactful/keys"
    open_thread
    keys j x
    wait_for 'post 2/6 .*│ 3 collapsed'
    keys x
    wait_gone 'collapsed'
    keys '?'
    wait_for 'tactful keys · thread'
    # The thread view's own rows come first, on the overlay's first page.
    wait_for '^  M-v, x +collapse, or expand the collapsed post  \(toggle-collapse\)'
    wait_for '^  - +collapse the post.s replies into its line  \(collapse\)'
}

run_tests
