#!/bin/sh
# `tactful keys`: the bindings in force, the action list, checking keymap files with
# FILE:LINE problems and exit status 2, and the manual's key list kept in step with the code.
. "$(dirname "$0")/lib.sh"

test_lists_the_bindings_in_force_as_a_keymap() {
    expect_status 0 t keys || return 1
    expect_out '^bind inbox j +down +# next row$' || return 1
    expect_out '^bind global q +quit' || return 1
    expect_out '^bind composer F3 +explain-finding +# show the finding under the cursor' || return 1
    expect_out '^bind composer M-i +explain-finding ' || return 1
    # The listing is itself a valid keymap.
    cp "$WORK/out" listed.keys
    expect_status 0 t keys --check listed.keys || return 1
    expect_out "listed.keys: [0-9]+ bindings, no problems" || return 1
}

test_user_keys_file_and_flavours_layer_on_top() {
    mkdir -p "$XDG_CONFIG_HOME/tactful"
    printf 'bind inbox n down\nunbind inbox j\n' >"$XDG_CONFIG_HOME/tactful/keys"
    expect_status 0 t keys || return 1
    expect_out '^bind inbox n +down' || return 1
    expect_no_out '^bind inbox j ' || return 1
    # A keymap setting replaces the keys file.
    printf '[tactful]\nkeymap = emacs\n' >"$TACTFUL_CONFIG"
    expect_status 0 t keys || return 1
    expect_out '^bind inbox C-n +down' || return 1
    expect_out '^bind inbox j +down' || return 1
    expect_no_out '^bind inbox n ' || return 1
    # Each flavour folds the thread with keys of its own (M-v scrolls in emacs).
    expect_out '^bind thread M-t +toggle-collapse' || return 1
    expect_out '^bind thread M-H +collapse-all' || return 1
    expect_no_out '^bind thread M-v +toggle-collapse' || return 1
    printf '[tactful]\nkeymap = vi\n' >"$TACTFUL_CONFIG"
    expect_status 0 t keys || return 1
    expect_out '^bind thread c +collapse +#' || return 1
    expect_out '^bind thread o +expand +#' || return 1
    expect_out '^bind thread M +collapse-all' || return 1
    expect_out '^bind thread M-v +toggle-collapse' || return 1
    printf '[tactful]\nkeymap = colemak\n' >"$TACTFUL_CONFIG"
    expect_status 2 t keys || return 1
    expect_err 'keymap = colemak: no such shipped keymap' || return 1
}

test_check_reports_every_problem_with_file_and_line() {
    printf 'bind inbox j down\nbind inbox j up\nbind nowhere q quit\nbind inbox q fly\n' >bad.keys
    printf 'include vi\nbind inbox n down\n' >good.keys
    expect_status 2 t keys --check good.keys bad.keys || return 1
    expect_out '^good.keys: [0-9]+ bindings, no problems$' || return 1
    expect_err '^bad.keys:2: j is bound twice in context inbox \(first at line 1\)$' || return 1
    expect_err "^bad.keys:3: unknown context 'nowhere'" || return 1
    expect_err "^bad.keys:4: unknown action 'fly' in context inbox" || return 1
    expect_status 2 t keys --check missing.keys || return 1
    expect_err '^missing.keys: cannot read the keymap' || return 1
    expect_status 2 t keys --check || return 1
    expect_status 2 t keys --bogus || return 1
}

test_shipped_keymaps_check_clean() {
    expect_status 0 t keys --check "$SRC/keymaps/default.keys" "$SRC/keymaps/vi.keys" \
        "$SRC/keymaps/emacs.keys" || return 1
}

test_actions_list_every_context() {
    expect_status 0 t keys --actions || return 1
    for c in global inbox thread reckoner composer drafts audit; do
        expect_out "^$c " || return 1
    done
    expect_out '^thread +next-unread +next unread post$' || return 1
}

test_manual_key_list_is_current() {
    expect_status 0 t keys --man || return 1
    sed -n '/^\.\\" BEGIN KEYS/,/^\.\\" END KEYS/p' "$SRC/man/tactful.1" | sed '1d;$d' >man.keys
    cmp -s man.keys "$WORK/out" ||
        fail "man/tactful.1's key list is out of date; run 'make man'" || return 1
}

run_tests
