#!/bin/sh
# The cache on awkward media: a read-only disk (everything reads, every change is refused with
# a sentence saying so) and a full disk (the sentence says the disk is full and which file).
# Real mounts, not permission bits (the tests run as root, which ignores them): a tmpfs
# remounted read-only, and a tmpfs of a few hundred KiB. The script runs itself in a private
# mount namespace (unshare -m), so its mounts vanish with it even if a test fails midway.
if [ -z "${TACTFUL_MEDIA_NS:-}" ]; then
    if [ "$(id -u)" = 0 ] && unshare -m --propagation private true 2>/dev/null; then
        TACTFUL_MEDIA_NS=1 exec unshare -m --propagation private sh "$0" "$@"
    fi
    echo "$(basename "$0" .sh): skipped (needs root and unshare -m to mount test disks)"
    exit 0
fi
. "$(dirname "$0")/lib.sh"

# ro_cache: a cache with the demo in it on a tmpfs at $WORK/ro, then remounted read-only;
# TACTFUL_DB points at it.
ro_cache() {
    mkdir -p "$WORK/ro" && mount -t tmpfs -o size=16m tmpfs "$WORK/ro" || return 1
    export TACTFUL_DB="$WORK/ro/cache.db"
    import_demo || return 1
    expect_status 0 t mark 5 to_reply || return 1
    mount -o remount,ro "$WORK/ro" || return 1
    [ ! -e "$WORK/ro/cache.db-shm" ] || fail "the -shm file outlived tactful"
}

# unmount: removes the test's disks (the namespace would anyway, at the end of the script).
unmount() {
    for m in "$WORK/ro" "$WORK/full"; do
        ! mountpoint -q "$m" 2>/dev/null || umount "$m"
    done
}

test_read_only_cache_reads() {
    ro_cache || { unmount; return 1; }
    expect_status 0 t list || { unmount; return 1; }
    expect_out ' 5 +to_reply ' || { unmount; return 1; }
    expect_status 0 t list --json || { unmount; return 1; }
    expect_status 0 t show 21 || { unmount; return 1; }
    expect_out 'Thread 21' || { unmount; return 1; }
    expect_status 0 t search 'grit*' || { unmount; return 1; }
    expect_out 'gritting|grit' || { unmount; return 1; }
    expect_status 0 t export --format csv || { unmount; return 1; }
    [ "$(wc -l <"$WORK/out")" -gt 100 ] || { unmount; fail "short CSV export"; return 1; }
    expect_status 0 t export --output "$WORK/posts.jsonl" || { unmount; return 1; }
    expect_status 0 t audit --thread 5 || { unmount; return 1; }
    expect_out 'to_reply' || { unmount; return 1; }
    expect_status 0 t drafts || { unmount; return 1; }
    expect_status 0 t outbox || { unmount; return 1; }
    unmount
}

test_read_only_cache_refuses_changes_with_a_sentence() {
    ro_cache || { unmount; return 1; }
    ro="the cache $WORK/ro/cache\\.db is read-only: tactful can show it but not change it; copy it to a writable disk \\(or make it and its folder writable\\) to make changes"
    for cmd in "mark 5 closed" "note 5 hello" "tag 5 +x" "assign 5 al" "snooze 5 2099-01-01T09:00:00Z" \
        "priority 5 2"; do
        # shellcheck disable=SC2086
        expect_status 1 t $cmd || { unmount; return 1; }
        expect_err "$ro" || { unmount; return 1; }
    done
    printf '{"platform":"mastodon","account":"a","thread":"1","id":"1","author":"@x","created_at":"2026-11-20T09:00:00Z","text":"hi"}\n' >p.jsonl
    expect_status 1 t import p.jsonl || { unmount; return 1; }
    expect_err "is read-only" || { unmount; return 1; }
    # Nothing changed, and the disk is untouched (no -wal or -shm appeared).
    expect_eq to_reply "$(sqlite3 "file:$WORK/ro/cache.db?immutable=1" 'select state from threads where id = 5')" "state" || { unmount; return 1; }
    expect_eq "cache.db" "$(ls "$WORK/ro")" "files on the read-only disk" || { unmount; return 1; }
    unmount
}

test_read_only_cache_with_an_old_schema_says_what_to_do() {
    mkdir -p "$WORK/ro" && mount -t tmpfs -o size=4m tmpfs "$WORK/ro" || return 1
    sqlite3 "$WORK/ro/cache.db" 'pragma journal_mode = wal; create table t (x); pragma user_version = 1;' >/dev/null
    mount -o remount,ro "$WORK/ro" || { unmount; return 1; }
    TACTFUL_DB="$WORK/ro/cache.db" expect_status 1 t list || { unmount; return 1; }
    expect_err "the cache $WORK/ro/cache\\.db is read-only and was written by an older tactful \\(schema 1\\); open it once where it can be written" || { unmount; return 1; }
    unmount
}

test_full_disk_says_so() {
    mkdir -p "$WORK/full" && mount -t tmpfs -o size=3m tmpfs "$WORK/full" || return 1
    export TACTFUL_DB="$WORK/full/cache.db"
    import_demo || { unmount; return 1; }
    # Fill what is left (dd stops at the end of the disk).
    dd if=/dev/zero of="$WORK/full/filler" bs=4k 2>/dev/null || true
    full="the disk holding $WORK/full/cache\\.db is full: free some space and try again"
    long=$(head -c 8000 /dev/zero | tr '\0' x)
    i=0
    got=0
    # Changes go on until one no longer fits; that one says the disk is full.
    while [ $i -lt 200 ]; do
        i=$((i + 1))
        got=0
        t note 5 "$long $i" >"$WORK/out" 2>"$WORK/err" || got=$?
        [ "$got" -eq 0 ] || break
    done
    [ "$got" -eq 1 ] || { unmount; fail "notes never filled the disk (exit $got)"; return 1; }
    expect_err "^tactful: $full$" || { unmount; return 1; }
    # A larger import is refused whole with the same sentence.
    big_demo=$(mktemp)
    sed 's/"account": "northmoor-/"account": "other-/' "$DEMO" >"$big_demo"
    expect_status 1 t import "$big_demo" || { rm -f "$big_demo"; unmount; return 1; }
    rm -f "$big_demo"
    expect_err "$full" || { unmount; return 1; }
    # Freeing space lets the next change through; the cache is whole.
    rm "$WORK/full/filler"
    expect_status 0 t note 5 "after freeing space" || { unmount; return 1; }
    expect_eq ok "$(db_count 'pragma integrity_check')" "integrity" || { unmount; return 1; }
    unmount
}

test_export_to_a_full_disk_says_so() {
    import_demo || return 1
    mkdir -p "$WORK/full" && mount -t tmpfs -o size=64k tmpfs "$WORK/full" || return 1
    expect_status 1 t export --output "$WORK/full/posts.jsonl" || { unmount; return 1; }
    expect_err "^tactful: the disk holding $WORK/full/posts\\.jsonl is full: free some space and try again$" || { unmount; return 1; }
    expect_eq "" "$(ls "$WORK/full")" "files left on the full disk" || { unmount; return 1; }
    expect_status 1 sh -c '"$0" export >"$1"' "$TACTFUL" "$WORK/full/out.jsonl" || { unmount; return 1; }
    expect_err "the disk holding standard output is full: free some space and try again" || { unmount; return 1; }
    unmount
}

run_tests
