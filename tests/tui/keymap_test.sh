#!/bin/sh
# Key bindings: the help overlay is generated from the keymap in force, a user keymap
# overrides the shipped one binding by binding, the vi and emacs flavours work (Meta keys
# included), and a broken keymap stops tactful before the screen with FILE:LINE messages.
. "$(dirname "$0")/lib.sh"

test_help_lists_the_default_bindings() {
    demo
    start 120 40
    wait_for 'tester │ 1/40'
    keys '?'
    wait_for 'tactful keys · inbox'
    wait_for '^  from .*keymaps/default.keys'
    wait_for '^  Enter, l, Right +read the thread +\(open\)'
    wait_for '^  j, Down +next row +\(down\)'
    keys Space # the help's own page-down: the global keys follow the inbox's
    wait_for '^  s +set the triage state'
    keys Escape
    wait_gone 'tactful keys'
    keys Enter
    wait_for 'Thread 30'
    keys '?'
    wait_for 'tactful keys · thread view'
    wait_for '^  h, Left +the post this one replies to +\(parent\)'
    # In the thread view q goes back, so the global q (quit) is not listed there.
    screen | grep -q '^  q +quit' && fail "a shadowed binding is listed"
    wait_for '^  q, Esc +back to the inbox'
}

test_user_keymap_overrides_one_binding() {
    demo
    cat >"$XDG_CONFIG_HOME/tactful/keys" <<'KEYS'
# my keys
bind inbox n down        # n walks the list like j
unbind inbox j
bind global F5 reload
KEYS
    start 120 40
    wait_for 'tester │ 1/40'
    keys n n
    wait_for 'tester │ 3/40'
    keys j
    wait_for 'no action on j here'
    tmux -L "$SOCK" resize-window -t tt -x 250 -y 40
    keys '?'
    wait_for '^  from .*/keymaps/default.keys$'
    wait_for '^   and .*/cfg/tactful/keys$'
    wait_for '^  Down, n +next row +\(down\)'
    keys Space
    wait_for '^  r, F5 +reread the cache'
    keys q
    keys k
    wait_for 'tester │ 2/40'
}

test_user_keymap_rebinds_the_prompt() {
    demo
    cat >"$XDG_CONFIG_HOME/tactful/keys" <<'KEYS'
bind prompt F5    answer     # answers, as Enter still does
bind prompt F2    cancel
bind prompt C-t   line-start # an editing action of the composer, in the prompt
KEYS
    start 120 40
    wait_for 'tester │ 1/40'
    keys /
    wait_for ' search:$'
    keys -l 'rit bin'
    keys C-t
    keys -l 'g'
    wait_for ' search: grit bin$'
    keys F5
    wait_for 'Showing: search: grit bin  '
    keys /
    wait_for ' search: grit bin$'
    keys F2
    wait_for 'cancelled'
    keys '?'
    keys End
    wait_for '^  Enter, F5 +answer the question +\(answer\)'
    wait_for '^  [^ ]*.*C-t.* +move to the start of the line +\(line-start\)'
    wait_for '^  Esc, C-g, F2 +cancel the question +\(cancel\)'
}

test_vi_flavour_from_the_configuration() {
    demo
    printf '[tactful]\nkeymap = vi\n' >"$TACTFUL_CONFIG"
    start 80 24
    wait_for 'tester │ 1/40'
    keys C-f
    wait_for 'tester │ 22/40'
    keys C-b
    wait_for 'tester │ 1/40'
    # Wide enough for the keymaps' full paths, wherever the source tree is.
    tmux -L "$SOCK" resize-window -t tt -x 250 -y 40
    keys '?'
    wait_for '^  from .*/keymaps/default.keys$'
    wait_for '^   and .*/keymaps/vi.keys$'
    wait_for 'PgDn, Space, C-f +next page'
}

test_emacs_flavour_meta_keys() {
    demo
    printf '[tactful]\nkeymap = emacs\n' >"$TACTFUL_CONFIG"
    start 100 30
    wait_for 'tester │ 1/40'
    keys C-n C-n
    wait_for 'tester │ 3/40'
    keys 'M->'
    wait_for 'tester │ 40/40'
    keys 'M-<'
    wait_for 'tester │ 1/40'
    keys C-s
    wait_for ' search:$'
    keys C-g
    wait_for 'cancelled'
    # A lone Esc is still Esc once the escape delay has passed.
    keys -l /
    keys -l bins
    keys Enter
    wait_for 'Showing: search: bins'
    keys Escape
    wait_for 'search and filters cleared'
}

test_broken_keymap_stops_before_the_screen() {
    demo
    cat >"$WORK/bad.keys" <<'KEYS'
bind inbox j down
bind inbox x explode
bind lobby q quit
bind inbox j up
bind inbox Hyper-q quit
KEYS
    printf '[tactful]\nkeymap = %s\n' "$WORK/bad.keys" >"$TACTFUL_CONFIG"
    start 120 30
    wait_for 'EXITED 2'
    wait_for "bad.keys:2: unknown action 'explode' in context inbox"
    wait_for "bad.keys:3: unknown context 'lobby'"
    wait_for 'bad.keys:4: j is bound twice in context inbox \(first at line 1\)'
    wait_for "bad.keys:5: unknown key 'Hyper-q'"
    screen | grep -q 'tester │' && fail "the inbox should not have started"
    return 0
}

test_missing_flavour_is_a_configuration_error() {
    printf '[tactful]\nkeymap = dvorak\n' >"$TACTFUL_CONFIG"
    start 100 30
    wait_for 'EXITED 2'
    wait_for 'keymap = dvorak: no such shipped keymap'
}

test_help_first_page_says_how_to_quit_from_the_keys_in_force() {
    demo
    start 100 30
    wait_for 'tester │ 1/40'
    keys '?'
    wait_for 'tactful keys · inbox · j/k scroll'
    wait_for '^  To quit tactful: q, once this help is closed\.'
    keys Escape
    wait_gone 'tactful keys'
    keys Enter
    wait_for 'Thread 30'
    keys '?'
    wait_for '^  To quit tactful: go back to the inbox, then q\.'
    keys Escape
    wait_gone 'tactful keys'
    keys q
    wait_for 'tester │ 1/40'
    keys q
    wait_for 'EXITED 0'
    stop_server
    # Rebound, the line names the new key.
    cat >"$XDG_CONFIG_HOME/tactful/keys" <<'KEYS'
unbind global q
bind global C-q quit
KEYS
    start 100 30
    wait_for 'tester │ 1/40'
    keys '?'
    wait_for '^  To quit tactful: C-q, once this help is closed\.'
}

run_tests
