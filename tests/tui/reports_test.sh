#!/bin/sh
# The reports screen (I) at 80x24 on the hand-checked cache of tests/report_fixture.h: the
# figures table, the sparkline, the bars per group (b changes the grouping) and the histogram
# of response times, in colour, with NO_COLOR, and in ASCII when the locale is not UTF-8.
. "$(dirname "$0")/lib.sh"

FIXTURE=${FIXTURE:-$SRC/build/tests/helper_reportfixture}

# The SGR colour codes (30-37, 40-47, 90-107, 38;5 / 48;5) in the screen with attributes.
colour_codes() {
    screen_attrs | grep -Eo "$(printf '\033')\\[([0-9;]*;)?(3[0-7]|4[0-7]|9[0-7]|10[0-7]|38;5;[0-9]+|48;5;[0-9]+)m" | head -5
}

# The fixture with business hours, and the reports screen open at 80x24 (extra environment
# in START_ENV).
open_reports() {
    "$FIXTURE" "$TACTFUL_DB" "$SRC/share/rules" || fail "cannot build the fixture" || return 1
    printf '[tactful]\nbusiness_hours = Mon-Fri 09:00-17:00\n' >"$TACTFUL_CONFIG"
    START_ENV="TZ=UTC ${START_ENV:-}" start 80 24
    wait_for 'INBOX .* tester' || return 1
    keys I
    wait_for 'REPORTS .* tester .* 1 returned' || return 1
}

# Every thread of the cache: 9 in (t8 and t9 too), 6 answered (t8's reply after 10m).
test_figures_and_charts_in_colour() {
    open_reports || return 1
    wait_for '^ Reports · threads in 2026-11-01 to .* · by account \(b changes\)' || return 1
    wait_for '^ account +IN +ANSWD +% +BH-MED +BH-P90 +RET +ESC' || return 1
    wait_for '^ b +4 +2 +50% +20m +1h00m +0 +1 *$' || return 1
    wait_for '^ m +5 +4 +80% +10m +2h00m +1 +1 *$' || return 1
    wait_for '^ all +9 +6 +67% +20m +2h00m +1 +2 *$' || return 1
    wait_for '^ Threads in per day, 2026-11-01 to [0-9-]+ \(most in a day: 2\)' || return 1
    # 2026-11-01: t8 (1 of 2, half height), 11-02: t1 t2 (full), Friday 11-06: t3 t4.
    wait_for '^ ▄█   █' || return 1
    wait_for '^ Threads in per account +Time to first reply \(business hours\)' || return 1
    wait_for '^ m +5 ████████████████ +1-4h +2 ████████████▌' || return 1
    wait_for '<1h +4 █{25}' || return 1
    wait_for '^ Backlog now: new 7 to_rep 0 wait 0 repl 1 no_act 0 escal 1 closed 0' || return 1
    [ -n "$(colour_codes)" ] || fail "expected colours without NO_COLOR" || return 1
    keys b
    wait_for '^ platform +IN' || return 1
    wait_for '^ mastodon +5 +4 +80%' || return 1
    keys b
    wait_for '^ officer +IN' || return 1
    wait_for '^ sam.patel +1 +1 +100% +2h00m +2h00m +1 +0' || return 1
    keys b b b b
    wait_for '^ account +IN' || return 1
    keys q
    wait_for 'INBOX │ tester' || return 1
}

test_no_color_is_legible() {
    START_ENV="NO_COLOR=1" open_reports || return 1
    wait_for '^ all +9 +6 +67% +20m +2h00m +1 +2 *$' || return 1
    wait_for '^ m +5 ████████████████' || return 1
    [ -z "$(colour_codes)" ] || fail "NO_COLOR set, yet colours: $(colour_codes | cat -v)" ||
        return 1
}

test_ascii_without_utf8() {
    START_ENV="LANG=C LC_ALL=C" open_reports || return 1
    wait_for '^ all +9 +6 +67%' || return 1
    wait_for '^ m +5 #{16}' || return 1
    wait_for '^ b +4 #{12}\+' || return 1
    wait_for '<1h +4 #{25}' || return 1
    wait_for '^ =@   @' || return 1
    screen | grep -q '█' && fail "block characters in a locale that is not UTF-8" && return 1
    return 0
}

test_rebindable() {
    printf 'unbind global I\nbind global C-r reports\nbind reports x back\n' \
        >"$XDG_CONFIG_HOME/tactful/keys"
    "$FIXTURE" "$TACTFUL_DB" "$SRC/share/rules" || return 1
    START_ENV="TZ=UTC" start 80 24
    wait_for 'INBOX │ tester' || return 1
    keys I
    keys C-r
    wait_for 'REPORTS │ tester' || return 1
    keys x
    wait_for 'INBOX │ tester' || return 1
}

run_tests
