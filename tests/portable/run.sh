#!/bin/sh
# tactful-portable on a bare system: the binary alone in an empty root (no libraries, no
# terminfo, no locales, no /tmp, no network), with a temporary home and /dev/null. It prints
# its version, lists the demo, checks a draft (with the built-in rules, with a word form found
# through the stemmer, and with an office's own rules folder taking their place), loads a
# review bundle from the connected side, draws the inbox in tmux (tmux runs outside the root,
# tactful inside) where a second officer approves the draft, and the connected side merges the
# result back. Then: no dynamic section, the size budget, nothing written outside the home, and
# the Debian package unpacked into a clean folder runs the demo (and lintian reports no error).
# Needs root (chroot, mknod). Usage: run.sh ./tactful-portable ./tactful [tactful_*.deb]
set -u
PORTABLE=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
CONNECTED=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
DEB=${3:-}
MAX_BYTES=12582912 # 12 MiB
CHROOT=$(command -v chroot || echo /usr/sbin/chroot)
# A new network namespace, so the root has no network at all (where unshare is allowed).
NONET=
if unshare --net true 2>/dev/null; then NONET="$(command -v unshare) --net"; fi
SOCK=tactful-portable-$$
ROOT=$(mktemp -d)
WORK=$(mktemp -d)
passed=0
failed=0

cleanup() {
    tmux -L "$SOCK" kill-server 2>/dev/null
    rm -rf "$ROOT" "$WORK"
}
trap cleanup EXIT

fail() {
    echo "    FAIL: $*" >&2
    return 1
}

# inside CMD...: runs tactful-portable in the empty root with a clean environment (the
# home is /home, officer bob, plus INSIDE_ENV); output goes to $WORK/out and $WORK/err, the
# status is kept.
inside() {
    env -i HOME=/home LANG=C.UTF-8 TACTFUL_OFFICER=bob ${INSIDE_ENV:-} $NONET "$CHROOT" "$ROOT" \
        /tactful-portable "$@" >"$WORK/out" 2>"$WORK/err"
}

# connected CMD...: the installed tactful on the connected machine, cache $WORK/home.db.
connected() {
    env HOME="$WORK/connected" XDG_CONFIG_HOME="$WORK/connected/cfg" TACTFUL_CONFIG=/dev/null \
        TACTFUL_DB="$WORK/home.db" "$CONNECTED" "$@" >"$WORK/out" 2>"$WORK/err"
}

# expect_out REGEX: fails unless the last command's stdout matches.
expect_out() {
    grep -Eq -- "$1" "$WORK/out" ||
        fail "stdout did not match /$1/: $(head -c 400 "$WORK/out") $(head -c 400 "$WORK/err")"
}

# screen / keys / wait_for REGEX: the tmux pane, typing into it, waiting up to 10 s for it.
screen() { tmux -L "$SOCK" capture-pane -p -t tp; }
keys() { tmux -L "$SOCK" send-keys -t tp "$@"; }
wait_for() {
    i=0
    while [ $i -lt 100 ]; do
        screen | grep -Eq -- "$1" && return 0
        sleep 0.1
        i=$((i + 1))
    done
    fail "screen never showed /$1/; it was:
$(screen | sed 's/^/    | /')"
}

# make_root: the empty root: the binary, an empty home, /dev/null.
make_root() {
    mkdir -p "$ROOT/home" "$ROOT/dev" || return 1
    cp "$PORTABLE" "$ROOT/tactful-portable" || return 1
    mknod -m 666 "$ROOT/dev/null" c 1 3 || fail "cannot make $ROOT/dev/null (needs root)"
}

test_version() {
    inside --version || fail "--version failed: $(cat "$WORK/err")" || return 1
    expect_out '^tactful [0-9]+\.[0-9]+\.[0-9]+$'
}

test_demo_lists_from_the_built_in_share_tree() {
    inside --demo list --json || fail "--demo list failed: $(cat "$WORK/err")" || return 1
    n=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$WORK/out")
    [ "${n:-0}" -gt 10 ] || fail "the demo should list its threads, got ${n:-none}" || return 1
    ls -d "$ROOT"/home/.cache/tactful/share-*/rules >/dev/null 2>&1 ||
        fail "the share tree should be unpacked into ~/.cache/tactful"
}

test_check_a_draft() {
    printf 'Hello,\nCall Dave on 07700 900123 today.\n' >"$ROOT/home/draft.txt"
    inside check /home/draft.txt
    [ $? -eq 1 ] || fail "check should find an error: $(cat "$WORK/out" "$WORK/err")" || return 1
    expect_out '^/home/draft.txt:2:[0-9]+: error: .*\[personal-data\.phone\]'
}

# Only the English stemmer is linked in (portable/stemmer.c): a word form still matches.
test_word_forms_match_through_the_stemmer() {
    printf 'We vehemently repudiated that story.\n' >"$ROOT/home/forms.txt"
    inside check /home/forms.txt
    expect_out '^/home/forms.txt:1:15: warning: .*repudiated.*\[rebuttal\.dispute\]'
}

test_office_rules_on_disk_override_the_built_in_ones() {
    mkdir -p "$ROOT/home/office/rules"
    printf '[tone.office]\nlevel = error\nkind = regex\nmessage = Say "item", not "{match}".\nmatch = \\bwidget\\b\n' \
        >"$ROOT/home/office/rules/office.rules"
    printf 'Your widget is ready.\n' >"$ROOT/home/widget.txt"
    INSIDE_ENV=TACTFUL_DATADIR=/home/office inside check /home/widget.txt
    [ $? -eq 1 ] || fail "the office's rule should fire: $(cat "$WORK/out" "$WORK/err")" ||
        return 1
    expect_out '\[tone\.office\]' || return 1
    inside check /home/widget.txt || fail "the built-in rules know no widget: $(cat "$WORK/out")"
}

test_review_bundle_goes_offline_and_back() {
    printf '%s\n' '{"platform":"mastodon","account":"dept","thread":"100","id":"100","parent":null,"author":"@alice@example.social","author_name":"Alice","created_at":"2026-11-20T09:15:00Z","text":"The bin collection on Elm Street was missed again","url":"https://example.social/@alice/100","own":false}' \
        >"$WORK/posts.jsonl"
    printf 'Sorry Alice, we missed Elm Street. The crew is there today.\n' >"$WORK/d1.txt"
    connected import "$WORK/posts.jsonl" || fail "import: $(cat "$WORK/err")" || return 1
    TACTFUL_OFFICER=ann connected reply 1 --pattern mea-culpa --text-file "$WORK/d1.txt" \
        --submit || fail "reply: $(cat "$WORK/err")" || return 1
    TACTFUL_OFFICER=ann connected export --bundle "$WORK/review.db" ||
        fail "export: $(cat "$WORK/err")" || return 1
    cp "$WORK/review.db" "$ROOT/home/review.db"

    # The locked-down desktop: load the bundle, approve in the inbox drawn without terminfo.
    inside --db /home/desk.db import --bundle /home/review.db ||
        fail "import --bundle: $(cat "$WORK/err")" || return 1
    expect_out 'loaded the bundle' || return 1
    tmux -L "$SOCK" -f /dev/null new-session -d -s tp -x 120 -y 40 \
        "env -i HOME=/home LANG=C.UTF-8 TERM=xterm-256color TACTFUL_OFFICER=bob \
         $NONET '$CHROOT' '$ROOT' /tactful-portable --db /home/desk.db; echo EXITED \$?; \
         sleep 30" ||
        return 1
    wait_for 'INBOX │ bob │ 1/1 │ 1 to approve' || return 1
    keys V
    wait_for 'Approvals · drafts waiting for a second officer · 1' || return 1
    keys a
    wait_for 'approve draft 1 and queue it for sending\? y to approve:' || return 1
    keys y Enter
    wait_for 'draft 1 approved' || return 1
    keys q
    wait_for 'INBOX │ bob' || return 1
    keys q
    wait_for 'EXITED 0' || return 1
    ls "$ROOT"/home/.cache/tactful/share-*/terminfo/x/xterm-256color >/dev/null 2>&1 ||
        fail "the built-in xterm-256color description should have been unpacked" || return 1

    # Back on the connected side: the approval merges, the reply waits in the outbox.
    cp "$ROOT/home/desk.db" "$WORK/desk.db"
    TACTFUL_OFFICER=ann connected import --bundle "$WORK/desk.db" ||
        fail "merge: $(cat "$WORK/out" "$WORK/err")" || return 1
    expect_out 'applied: draft 1: queued here \(offline: approved by bob' || return 1
    connected outbox list --json || return 1
    expect_out '"queued_by": *"bob"'
}

test_nothing_written_outside_the_home() {
    extra=$(cd "$ROOT" && find . -mindepth 1 ! -path './home' ! -path './home/*' \
        ! -path ./tactful-portable ! -path ./dev ! -path ./dev/null)
    [ -z "$extra" ] || fail "written outside the home: $extra"
}

test_no_dynamic_dependencies() {
    readelf -d "$PORTABLE" >"$WORK/out" 2>&1
    grep -q 'NEEDED' "$WORK/out" && fail "shared libraries needed: $(grep NEEDED "$WORK/out")"
    grep -q 'There is no dynamic section' "$WORK/out" || fail "the binary should be static"
}

test_size_budget() {
    size=$(wc -c <"$PORTABLE")
    [ "$size" -lt $MAX_BYTES ] || fail "$size bytes is over the 12 MiB budget"
}

test_debian_package_runs_from_a_clean_root() {
    [ -n "$DEB" ] || { echo "    (no .deb given: skipped)"; return 0; }
    dpkg-deb -x "$DEB" "$WORK/deb" || fail "dpkg-deb -x failed" || return 1
    for f in usr/bin/tactful usr/share/tactful/rules/tone.rules usr/share/tactful/demo/demo.jsonl \
        usr/share/man/man1/tactful.1.gz usr/share/man/man5/tactful.5.gz \
        usr/share/doc/tactful/README.Debian usr/share/doc/tactful/copyright; do
        [ -e "$WORK/deb/$f" ] || fail "the package lacks /$f" || return 1
    done
    env HOME="$WORK/debhome" TACTFUL_CONFIG=/dev/null "$WORK/deb/usr/bin/tactful" --demo list \
        >"$WORK/out" 2>"$WORK/err" || fail "tactful --demo list: $(cat "$WORK/err")" || return 1
    expect_out 'Winter gritting' || return 1
    if command -v lintian >/dev/null; then
        lintian --tag-display-limit 0 "$DEB" >"$WORK/lintian" 2>&1
        ! grep -q '^E:' "$WORK/lintian" || fail "lintian errors: $(grep '^E:' "$WORK/lintian")"
    else
        echo "    (lintian not installed: not run)"
    fi
}

if [ "$(id -u)" != 0 ]; then
    echo "portable: these tests need root (they chroot into an empty root); run as root" >&2
    exit 1
fi
make_root || exit 1
for fn in $(grep -Eo '^test_[a-z0-9_]+' "$0"); do
    if "$fn"; then
        passed=$((passed + 1))
    else
        echo "  not ok: $fn" >&2
        failed=$((failed + 1))
    fi
done
echo "portable: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
