#!/bin/sh
# Help and usage: every command is listed and explained, wrong argument counts are usage
# errors that name the command's usage, and the inbox refuses to start without a terminal.
. "$(dirname "$0")/lib.sh"

COMMANDS="inbox list search show mark tag assign topic priority snooze note insight audit import export keys sync outbox accounts check rules patterns reply submit drafts approve return discard help"

# The command names `tactful --help` lists (the lines under "Commands:").
listed_commands() {
    t --help | sed -n '/^Commands:$/,/^$/p' | sed -n 's/^  \([a-z][a-z]*\)  .*/\1/p' |
        tr '\n' ' ' | sed 's/ $//'
}

test_help_lists_every_command() {
    expect_status 0 t --help || return 1
    expect_out '^usage: tactful \[OPTIONS\] \[COMMAND \[ARGS\]\]$' || return 1
    expect_eq "$COMMANDS" "$(listed_commands)" "commands in --help"
}

test_short_h_and_help_command_print_the_same_help() {
    t --help >long.txt || return 1
    grep -qx 'Commands:' long.txt || fail "--help has no Commands: line" || return 1
    expect_status 0 t -h || return 1
    cmp -s long.txt "$WORK/out" || fail "-h differs from --help" || return 1
    expect_status 0 t help || return 1
    cmp -s long.txt "$WORK/out" || fail "'tactful help' differs from --help"
}

test_help_command_explains_every_listed_command() {
    cmds=$(listed_commands)
    [ -n "$cmds" ] || fail "no commands listed" || return 1
    for c in $cmds; do
        expect_status 0 t help "$c" || return 1
        first=$(head -n 1 "$WORK/out")
        case $first in
        "usage: tactful $c" | "usage: tactful $c "*) ;;
        *) fail "help $c starts with '$first'" || return 1 ;;
        esac
        summary=$(t --help | sed -n "s/^  $c  *//p")
        grep -qxF -- "$summary" "$WORK/out" || fail "help $c lacks its summary '$summary'" ||
            return 1
    done
}

# The options `tactful help CMD` lists are the ones the command accepts: every listed long
# option is parsed (an unlisted one is an unknown option), and `CMD --help` prints the same.
test_listed_options_are_the_parsed_ones() {
    for c in list search show audit export outbox check rules patterns reply submit drafts return keys; do
        t help "$c" >help.txt || return 1
        t "$c" --help >dash.txt || fail "$c --help failed" || return 1
        cmp -s help.txt dash.txt || fail "'$c --help' differs from 'help $c'" || return 1
        opts=$(sed -n '/^Options:$/,$p' help.txt | sed -n 's/^  \(-., \)\{0,1\}--\([a-z-]*\).*/\2/p')
        [ -n "$opts" ] || fail "help $c lists no options" || return 1
        for o in $opts; do
            t "$c" "--$o" 1 2 3 >/dev/null 2>err.txt || true
            ! grep -q "unknown option" err.txt || fail "$c rejects its listed --$o" || return 1
        done
    done
    expect_status 2 t list --bogus || return 1
    expect_err "^tactful list: unknown option '--bogus'$" || return 1
    expect_status 2 t drafts --state || return 1
    expect_err "^tactful drafts: option '--state' needs a value$" || return 1
    expect_out_nothing=$(t show --help 1 2>/dev/null | head -n 1)
    expect_eq "usage: tactful show ID [--json]" "$expect_out_nothing" "show --help"
}

test_overview_lists_the_global_options_from_their_table() {
    expect_status 0 t --help || return 1
    for o in '--db PATH' '--config PATH' '--offline' '--demo' '-h, --help' '-V, --version'; do
        grep -q -- "^  $o " "$WORK/out" || fail "--help lacks '$o'" || return 1
    done
}

test_help_works_with_a_broken_config() {
    printf '[nonsense\n' >"$TACTFUL_CONFIG"
    expect_status 0 t help mark || return 1
    expect_out '^usage: tactful mark ID STATE$'
}

test_help_unknown_command_is_a_usage_error() {
    expect_status 2 t help nosuch || return 1
    expect_err "^tactful help: no command 'nosuch'$" || return 1
    expect_err '^usage: tactful help \[COMMAND\]$'
}

test_unknown_command_is_a_usage_error() {
    expect_status 2 t frobnicate || return 1
    expect_err "^tactful: unknown command 'frobnicate'; try 'tactful --help'$"
}

test_wrong_argument_counts_are_usage_errors() {
    while read -r cmd args; do
        # shellcheck disable=SC2086 # split the arguments on purpose
        expect_status 2 t "$cmd" $args || return 1
        expect_err "^usage: tactful $cmd( |$)" || return 1
        expect_err "^\(see 'tactful help $cmd'\)$" || return 1
    done <<'EOF'
inbox extra
list extra
search
show
show 1 2
mark 1
mark 1 closed extra
tag 1
assign 1
assign 1 alice extra
priority 1
priority 1 2 3
snooze 1
snooze 1 off extra
note 1
audit extra
import
export extra
EOF
    [ ! -e "$TACTFUL_DB" ] || fail "a usage error created the cache"
}

# `tactful help list show` prints the help of list and exits 0; the extra command is ignored.
test_help_with_two_commands_is_a_usage_error() {
    expect_status 2 t help list show || return 1
    expect_err '^usage: tactful help \[COMMAND\]$'
}

test_no_command_without_terminal_points_at_list() {
    expect_status 1 sh -c '"$1" </dev/null' sh "$TACTFUL" || return 1
    expect_err '^tactful: the inbox needs a terminal; for scripts use `tactful list`' || return 1
    [ ! -s "$WORK/out" ] || fail "stdout not empty"
}

test_inbox_command_without_terminal_points_at_list() {
    expect_status 1 sh -c '"$1" inbox </dev/null' sh "$TACTFUL" || return 1
    expect_err 'the inbox needs a terminal; for scripts use `tactful list`'
}

# The help texts still write the states and platforms out by hand; these hold them to the
# tables in model/ (the states as the action table builds them, the platforms as the
# "unknown platform" message lists them).
test_help_names_every_state_and_platform() {
    expect_status 0 t keys --actions || return 1
    states=$(sed -n 's/^global *state-\([a-z_]*\) .*/\1/p' "$WORK/out" | tr '\n' ' ')
    expect_eq "new to_reply waiting replied no_action escalated closed " "$states" "states" ||
        return 1
    expect_status 2 t check --platform bogus || return 1
    platforms=$(sed -n "s/.*unknown platform 'bogus'; use //p" "$WORK/err" | sed 's/,\| or / /g')
    [ -n "$platforms" ] || fail "no platform list in: $(cat "$WORK/err")" || return 1
    for cmd in mark list; do
        expect_status 0 t help "$cmd" || return 1
        for s in $states; do
            grep -q "$s" "$WORK/out" || fail "tactful help $cmd does not name the state $s" ||
                return 1
        done
    done
    expect_status 0 t help list || return 1
    for p in $platforms; do
        grep -q "$p" "$WORK/out" || fail "tactful help list does not name the platform $p" ||
            return 1
    done
}

run_tests
