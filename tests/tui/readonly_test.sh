#!/bin/sh
# The inbox on a cache that cannot be written (a tmpfs remounted read-only): it opens, says
# READ-ONLY in the status bar, reads threads, and refuses a change with a sentence. Runs in a
# private mount namespace (unshare -m) so the mount vanishes with the script.
if [ -z "${TACTFUL_MEDIA_NS:-}" ]; then
    if [ "$(id -u)" = 0 ] && unshare -m --propagation private true 2>/dev/null; then
        TACTFUL_MEDIA_NS=1 exec unshare -m --propagation private sh "$0" "$@"
    fi
    echo "$(basename "$0" .sh): skipped (needs root and unshare -m to mount a test disk)"
    exit 0
fi
. "$(dirname "$0")/lib.sh"

test_inbox_opens_a_read_only_cache() {
    mkdir -p "$WORK/ro" && mount -t tmpfs -o size=16m tmpfs "$WORK/ro" || return 1
    TACTFUL_DB="$WORK/ro/cache.db"
    export TACTFUL_DB
    demo
    mount -o remount,ro "$WORK/ro" || { umount "$WORK/ro"; return 1; }
    start 120 30
    wait_for 'READ-ONLY +INBOX │ tester │ 1/40' || { stop_server; umount "$WORK/ro"; return 1; }
    keys Enter
    wait_for 'READ-ONLY +THREAD │ tester │ post 1/' || { stop_server; umount "$WORK/ro"; return 1; }
    screen | grep -q 'cannot mark' && { fail "reading a thread should not try to mark it read"; stop_server; umount "$WORK/ro"; return 1; }
    keys q
    wait_for 'READ-ONLY +INBOX' || { stop_server; umount "$WORK/ro"; return 1; }
    keys s 2
    wait_for 'the cache .*/ro/cache.db is read-only: tactful can show it' || { stop_server; umount "$WORK/ro"; return 1; }
    keys q
    wait_for 'EXITED 0' || { stop_server; umount "$WORK/ro"; return 1; }
    stop_server
    umount "$WORK/ro"
}

run_tests
