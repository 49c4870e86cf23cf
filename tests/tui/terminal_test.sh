#!/bin/sh
# Terminal behaviour: colours by role and none with NO_COLOR, wide characters in their
# columns, resizing the thread view, the clipboard (OSC 52) only for http(s) URLs, and
# open_cmd run without a shell.
. "$(dirname "$0")/lib.sh"

# The SGR colour codes (30-37, 40-47, 90-107, 38;5 / 48;5) in the screen with attributes.
colour_codes() {
    screen_attrs | grep -Eo "$(printf '\033')\\[([0-9;]*;)?(3[0-7]|4[0-7]|9[0-7]|10[0-7]|38;5;[0-9]+|48;5;[0-9]+)m" | head -5
}

test_colours_by_default_none_with_no_color() {
    demo
    start 100 30
    wait_for 'tester │ 1/40'
    [ -n "$(colour_codes)" ] || fail "expected colours by default"
    stop_server
    START_ENV="NO_COLOR=1" start 100 30
    wait_for 'tester │ 1/40'
    [ -z "$(colour_codes)" ] || fail "NO_COLOR set, yet colours: $(colour_codes | cat -v)"
    # Without colour the cursor line and the tabs still stand out, by reverse video.
    screen_attrs | grep -Eq "$(printf '\033')\\[([0-9;]*;)?7m" || fail "expected reverse video without colour"
    keys Enter
    wait_for 'Thread 30'
    [ -z "$(colour_codes)" ] || fail "NO_COLOR set, yet colours in the thread view"
}

# sgr_on LINE CODE: whether screen line LINE (from 1) sets SGR code CODE (31, 42 ...).
sgr_on() {
    screen_attrs | sed -n "${1}p" | grep -Eq "$(printf '\033')\\[([0-9;]*;)?$2(;[0-9;]*)?m"
}

test_colour_theme_by_role_and_no_color_still_wins() {
    demo
    printf '[colours]\ncursor = bold red on green ; a theme\nbar = default on magenta\n' >"$TACTFUL_CONFIG"
    start 100 30
    wait_for 'tester │ 1/40'
    # Line 3 is the cursor's thread: red (31) on green (42), not the shipped black on cyan.
    sgr_on 3 31 || fail "the cursor line should be red"
    sgr_on 3 42 || fail "the cursor line should be on green"
    sgr_on 3 46 && fail "the shipped cyan should be gone from the cursor line"
    sgr_on 30 45 || fail "the status bar should be on magenta"
    stop_server
    START_ENV="NO_COLOR=1" start 100 30
    wait_for 'tester │ 1/40'
    [ -z "$(colour_codes)" ] || fail "NO_COLOR set, yet colours: $(colour_codes | cat -v)"
}

test_colour_theme_mistakes_are_refused() {
    demo
    printf '[colours]\ncursour = black on cyan\n' >"$TACTFUL_CONFIG"
    start 200 30
    wait_for "config:2: there is no colour role called 'cursour' in \\[colours\\]; the roles are normal, bar"
    wait_for 'EXITED 1'
    stop_server
    printf '[colours]\ncursor = black on teal\n' >"$TACTFUL_CONFIG"
    start 200 30
    wait_for "config:2: \\[colours\\] cursor: 'teal' is not a colour or an attribute"
    wait_for 'EXITED 2'
}

test_wide_characters_keep_columns_aligned() {
    for a in '@山田太郎@example.jp' '@zoë@example.org' '@plain@example.org' '@emoji🎉fan@example.org'; do
        n=$((n + 1))
        printf '{"platform":"mastodon","account":"acc","thread":"t%d","id":"t%d","author":"%s","created_at":"2026-11-2%dT09:00:00Z","text":"東京 café 👍🏽 naïve %d"}\n' \
            "$n" "$n" "$a" "$n" "$n"
    done >wide.jsonl
    "$TACTFUL" import wide.jsonl 2>/dev/null
    start 100 30
    wait_for 'tester │ 1/4'
    # Every row's LATEST column (after the age) must start at the same display column.
    screen | python3 -c '
import sys, unicodedata, re
def width(s):
    return sum(0 if unicodedata.combining(c) or c in "\u200d\ufe0f" or 0x1f3fb <= ord(c) <= 0x1f3ff
               else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
cols = set()
for line in sys.stdin:
    m = re.search(r" +\d+[a-z]+ (?=東京)", line)
    if m and re.match(r"^[* ]", line):
        cols.add(width(line[:m.end()]))
sys.exit(0 if len(cols) == 1 else 1)
' || fail "the columns are not aligned"
    screen | grep -q '山田太郎' || fail "CJK author missing"
    screen | grep -q '👍🏽' || fail "emoji text missing"
}

test_thread_view_resizes() {
    demo
    start 200 60
    wait_for 'tester │ 1/40'
    goto 21
    keys Enter
    wait_for 'Thread 21 · wordpress'
    wait_for 'THREAD │ tester │ post 1/16'
    tmux -L "$SOCK" resize-window -t tt -x 80 -y 24
    wait_line 24 'THREAD │ tester │ post 1/16'
    keys j
    wait_for 'post 2/16'
    [ "$(screen | wc -l)" -eq 24 ] || fail "expected 24 lines"
    line 1 | grep -q '^ Thread 21' || fail "header lost after resize"
    line 24 | grep -q 'THREAD │ tester │ post 2/16' || fail "status bar is not on the last line"
    screen | grep -q '^── Ros Chandler' || fail "the selected post's heading should show"
    tmux -L "$SOCK" resize-window -t tt -x 200 -y 60
    wait_line 60 'THREAD │ tester │ post 2/16'
    keys J
    wait_for 'post 11/16'
    [ "$(screen | wc -l)" -eq 60 ] || fail "expected 60 lines"
    keys h
    wait_for 'post 1/16'
    keys Tab
    wait_for 'post 2/16'
    keys q
    wait_for 'INBOX │ tester'
}

test_copy_url_with_osc52() {
    demo
    start 120 30
    wait_for 'tester │ 1/40'
    tmux -L "$SOCK" set -s set-clipboard on
    goto 21
    keys Enter
    wait_for 'Thread 21'
    keys y
    wait_for 'copied https://blog.northmoor.example/2026/11/station-road'
    [ "$(tmux -L "$SOCK" show-buffer)" = \
        "https://blog.northmoor.example/2026/11/station-road-cycle-lane-consultation/" ] ||
        fail "the clipboard does not hold the post's URL: $(tmux -L "$SOCK" show-buffer)"
}

test_no_copy_for_other_urls() {
    printf '{"platform":"mastodon","account":"a","thread":"1","id":"1","author":"@x","created_at":"2026-11-20T09:00:00Z","text":"click me","url":"javascript:alert(1)"}\n' >bad.jsonl
    printf '{"platform":"mastodon","account":"a","thread":"2","id":"2","author":"@y","created_at":"2026-11-21T09:00:00Z","text":"spoofed","url":"https://bank.example/\\u202egnp.exe"}\n' >>bad.jsonl
    "$TACTFUL" import bad.jsonl 2>/dev/null
    start 100 30
    wait_for 'tester │ 1/2'
    tmux -L "$SOCK" set -s set-clipboard on
    keys y
    wait_for 'not copied or opened: only plain http:// and https://'
    keys j
    wait_for 'tester │ 2/2'
    keys y
    wait_for 'not copied or opened'
    [ -z "$(tmux -L "$SOCK" list-buffers)" ] || fail "something reached the clipboard"
}

test_open_cmd_runs_without_a_shell() {
    cat >opener <<'SH'
#!/bin/sh
for a in "$@"; do printf '%s\n' "$a"; done >"$(dirname "$0")/opened"
SH
    chmod +x opener
    printf '[tactful]\nopen_cmd = %s --new-tab %%u --end\n' "$WORK/opener" >"$TACTFUL_CONFIG"
    printf '{"platform":"mastodon","account":"a","thread":"1","id":"1","author":"@x","created_at":"2026-11-20T09:00:00Z","text":"hi","url":"https://x.example/a;touch${IFS}pwned$(touch${IFS}pwned2)"}\n' >p.jsonl
    "$TACTFUL" import p.jsonl 2>/dev/null
    start 100 30
    wait_for 'tester │ 1/1'
    keys w
    wait_for 'opening https://x.example/'
    i=0
    while [ ! -s opened ] && [ $i -lt "$WAIT_TENTHS" ]; do sleep 0.1; i=$((i + 1)); done
    [ "$(cat opened)" = "$(printf '%s\n' --new-tab 'https://x.example/a;touch${IFS}pwned$(touch${IFS}pwned2)' --end)" ] ||
        fail "open_cmd got the wrong arguments: $(cat opened)"
    [ ! -e pwned ] && [ ! -e pwned2 ] || fail "the URL went through a shell"
}

test_open_without_open_cmd_explains() {
    demo
    start 100 30
    wait_for 'tester │ 1/40'
    keys w
    wait_for 'set open_cmd in the \[tactful\] section'
}

run_tests
