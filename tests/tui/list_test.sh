#!/bin/sh
# The list widget (tui/list.c): the same movement keys on every list, defined once. The audit
# log is paged from the cache over a long log (a row, half a page, a page, either end, the
# selected entry's details following the cursor); the drafts view moves the same way with its
# own keys for paging; the help overlay scrolls with its own context's keys; a user keymap
# binding the movement actions by their names in one list's context works there.
. "$(dirname "$0")/lib.sh"

# long_log N: appends N audit entries ({"n": 1} oldest .. {"n": N} newest) straight to the
# cache, as a long-lived office's log would hold.
long_log() {
    python3 - "$TACTFUL_DB" "$1" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.executemany("INSERT INTO audit (at, officer, action, thread_id, details)"
               " VALUES ('2026-11-20T09:00:00Z', 'amy', 'test', NULL, ?)",
               [('{"n":%d}' % i,) for i in range(1, int(sys.argv[2]) + 1)])
db.commit()
PY
}

test_audit_pages_over_a_long_log() {
    demo
    long_log 5000
    start 120 30 # 23 entries a page
    wait_for 'tester │ 1/40'
    keys L
    wait_for '^ Audit log · every thread · 5000 entries, newest first'
    wait_for 'AUDIT .*│ 1/5000'
    wait_for '^  \{"n":5000\}$'
    keys j
    wait_for 'AUDIT .*│ 2/5000'
    wait_for '^  \{"n":4999\}$'
    keys Space
    wait_for 'AUDIT .*│ 25/5000'
    wait_for '^  \{"n":4976\}$'
    keys C-d
    wait_for 'AUDIT .*│ 36/5000'
    wait_for '^  \{"n":4965\}$'
    keys G
    wait_for 'AUDIT .*│ 5000/5000'
    wait_for '^  \{"n":1\}$'
    keys k
    wait_for 'AUDIT .*│ 4999/5000'
    wait_for '^  \{"n":2\}$'
    keys b
    wait_for 'AUDIT .*│ 4976/5000'
    wait_for '^  \{"n":25\}$'
    keys j
    wait_for 'AUDIT .*│ 4977/5000'
    keys C-u
    wait_for 'AUDIT .*│ 4966/5000'
    keys g
    wait_for 'AUDIT .*│ 1/5000'
    keys k
    wait_for '^  \{"n":5000\}$'
    screen | grep -q 'AUDIT .*│ 1/5000' || fail "up at the first entry should stay there"
}

test_drafts_move_with_the_list_keys() {
    demo
    printf 'Thanks for letting us know\n' >r.txt
    for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
        "$TACTFUL" reply "$i" --pattern acknowledgement --text-file r.txt >/dev/null
    done
    start 80 24 # 8 drafts a page
    wait_for 'tester │ 1/40'
    keys D
    wait_for '^ Drafts · every live draft'
    wait_for 'DRAFTS .*│ 1/12'
    wait_for '^ +12 +12 tester'
    keys G
    wait_for 'DRAFTS .*│ 12/12'
    wait_for '^ +1 +1 tester'
    screen | grep -Eq '^ +12 +12 tester' && fail "the newest draft should have scrolled away"
    keys g
    wait_for 'DRAFTS .*│ 1/12'
    keys C-f
    wait_for 'DRAFTS .*│ 9/12'
    keys C-d
    wait_for 'DRAFTS .*│ 12/12'
    keys k k
    wait_for 'DRAFTS .*│ 10/12'
    keys C-b
    wait_for 'DRAFTS .*│ 2/12'
    keys End
    wait_for 'DRAFTS .*│ 12/12'
}

test_help_scrolls_with_its_own_keys() {
    demo
    start 100 30
    wait_for 'tester │ 1/40'
    keys '?'
    wait_for 'tactful keys · inbox'
    wait_for '^  j, Down +next row +\(down\)'
    keys End
    wait_gone '^  j, Down +next row +\(down\)'
    wait_for 'tactful keys · inbox'
    keys Home
    wait_for '^  j, Down +next row +\(down\)'
    keys x # bound to nothing in the help: closes it
    wait_gone 'tactful keys'
    wait_for 'tester │ 1/40'
}

test_user_keymap_binds_list_actions_by_their_old_names() {
    demo
    long_log 100
    cat >"$XDG_CONFIG_HOME/tactful/keys" <<'KEYS'
bind audit n       down
bind audit N       page-down
bind drafts n      down
bind reckoner n    down
KEYS
    start 120 30
    wait_for 'tester │ 1/40'
    keys L
    wait_for 'AUDIT .*│ 1/100'
    keys n
    wait_for 'AUDIT .*│ 2/100'
    keys N
    wait_for 'AUDIT .*│ 25/100'
}

run_tests
