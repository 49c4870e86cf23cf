#!/bin/sh
# The manual's generated sections (global options, commands, configuration keys, rule-file
# keys, key list) are what the tables produce: `make man` has been run since they changed.
. "$(dirname "$0")/lib.sh"

test_manual_pages_match_the_tables() {
    cp -R "$SRC/man" pages
    sh pages/generate.sh "$TACTFUL" || fail "man/generate.sh failed" || return 1
    for page in tactful.1 tactful.5; do
        cmp -s "$SRC/man/$page" "pages/$page" ||
            fail "man/$page is out of date with the tables; run 'make man'" || return 1
    done
}

test_every_generated_section_is_marked_and_filled() {
    for name in OPTIONS COMMANDS KEYS; do
        n=$(sed -n "/^\.\\\\\" BEGIN $name\$/,/^\.\\\\\" END $name\$/p" "$SRC/man/tactful.1" | wc -l)
        [ "$n" -gt 10 ] || fail "tactful.1's $name section is missing or empty" || return 1
    done
    for name in CONFIG COLOURS CONFIG-ACCOUNT RULE-KEYS; do
        n=$(sed -n "/^\.\\\\\" BEGIN $name\$/,/^\.\\\\\" END $name\$/p" "$SRC/man/tactful.5" | wc -l)
        [ "$n" -gt 10 ] || fail "tactful.5's $name section is missing or empty" || return 1
    done
    grep -q '^\\fBtoken_env\\fR = \\fINAME\\fR$' "$SRC/man/tactful.5" ||
        fail "tactful.5 does not list token_env" || return 1
    grep -q '^\\fBantipattern\\fR = \\fIPATTERN\\fR$' "$SRC/man/tactful.5" ||
        fail "tactful.5 does not list antipattern" || return 1
    # Every command has its entry.
    for c in $(t --help | sed -n '/^Commands:$/,/^$/p' | sed -n 's/^  \([a-z][a-z]*\)  .*/\1/p'); do
        grep -q "^\\\\fBtactful $c\\\\fR" "$SRC/man/tactful.1" ||
            fail "tactful.1 has no entry for $c" || return 1
    done
}

test_help_man_rejects_unknown_sections() {
    expect_status 2 t help --man nosuch || return 1
    expect_err "no manual section 'nosuch'" || return 1
    expect_status 2 t help --man commands list || return 1
}

test_a_changed_table_is_caught() {
    # The comparison can fail: an edited page differs from what the tables produce.
    cp -R "$SRC/man" pages
    sed 's/^Only threads tagged T\.$/Only threads tagged X./' pages/tactful.1 >pages/edited.1
    ! cmp -s pages/tactful.1 pages/edited.1 || fail "the edit did not apply" || return 1
    cp pages/edited.1 pages/tactful.1
    sh pages/generate.sh "$TACTFUL" || return 1
    grep -q '^Only threads tagged T\.$' pages/tactful.1 || fail "generate did not restore it"
}

run_tests
