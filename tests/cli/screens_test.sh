#!/bin/sh
# Each place of the interface (tui/screen_list.h: the screens, panels and parts that keep
# state) owns its state: one file names its slot, defines its state's type and reaches it;
# every other file asks through the functions that file exports. Checked on the source, and
# on a copy with a cross reference added, which the check must refuse.
. "$(dirname "$0")/lib.sh"

# The ids of the places that keep state, one a line, from the list in tree $1.
slots() {
    sed -n 's/^ *\(SCREEN\|PANEL\|PART\)(\([a-z_]*\).*/\2/p' "$1/tui/screen_list.h"
}

# check_places TREE: prints one line per breach of the rule in TREE and fails when there is one.
check_places() {
    tree=$1
    bad=0
    ids=$(slots "$tree")
    [ "$(echo "$ids" | wc -w)" -ge 10 ] || { echo "screen_list.h lists too few places"; bad=1; }
    for id in $ids; do
        owners=$(grep -l "TUI_STATE([a-z]*, $id)" "$tree"/tui/*.c "$tree"/cli/*.c 2>/dev/null)
        if [ "$(echo "$owners" | wc -w)" -ne 1 ]; then
            echo "slot $id is reached from $(echo $owners | wc -w) files:" $owners
            bad=1
            continue
        fi
        # The owner's state type: what its accessor returns; defined there and nowhere else.
        type=$(sed -n "/^static inline struct [a-z_]* \*\$/{N;s/^static inline struct \([a-z_]*\) \*\n${id}_state(.*/\1/p}" "$owners")
        if [ -z "$type" ]; then
            echo "$owners has no ${id}_state accessor"
            bad=1
            continue
        fi
        defs=$(grep -l "^struct $type {" "$tree"/tui/*.[ch] "$tree"/cli/*.[ch] "$tree"/model/*.h)
        [ "$defs" = "$owners" ] || { echo "struct $type is defined in:" $defs; bad=1; }
    done
    # Only internal.h names the slot array and the slot enum; the screens' rows live in the
    # file that owns their state.
    others=$(grep -l -e '->state\[' -e 'TUI_SLOT_' "$tree"/tui/*.c "$tree"/cli/*.c)
    [ -z "$others" ] || { echo "the slots are reached around TUI_STATE in:" $others; bad=1; }
    for id in $(sed -n 's/^ *SCREEN(\([a-z_]*\).*/\1/p' "$tree/tui/screen_list.h"); do
        row=$(grep -l "^const struct tui_screen tui_${id}_screen = {" "$tree"/tui/*.c)
        grep -q "TUI_STATE([a-z]*, $id)" $row /dev/null ||
            { echo "tui_${id}_screen is not defined beside its state"; bad=1; }
    done
    return $bad
}

test_every_place_owns_its_state() {
    check_places "$SRC" >report || fail "$(cat report)" || return 1
}

test_a_screen_reaching_another_screens_state_is_refused() {
    mkdir tree
    cp -R "$SRC/tui" "$SRC/cli" "$SRC/model" tree/
    # The drafts view reads the inbox's slot.
    sed 's/^\(    long id = drafts_state(t)->asked;\)$/\1 (void)TUI_STATE(t, inbox);/' \
        "$SRC/tui/drafts.c" >tree/tui/drafts.c
    ! cmp -s "$SRC/tui/drafts.c" tree/tui/drafts.c || fail "the sabotage did not apply" || return 1
    ! check_places tree >report || fail "a cross reference passed the check" || return 1
    grep -q "slot inbox is reached from 2 files" report || fail "$(cat report)" || return 1
    # A state type defined in a shared header.
    cp "$SRC/tui/drafts.c" tree/tui/drafts.c
    printf 'struct reckoner {\n    int x;\n};\n' >>tree/tui/list.h
    ! check_places tree >report || fail "a shared state type passed the check" || return 1
    grep -q "struct reckoner is defined in" report || fail "$(cat report)" || return 1
}

run_tests
