#!/bin/sh
# Remakes the seed bundles of fuzz_bundle (tests/fuzz/corpus/bundle/) with ./tactful: a cache
# of tests/fuzz/origin.jsonl with the identity fuzz_bundle gives its origin cache, bundles
# exported from it with offline changes made in them, each shrunk to 512-byte pages so it
# fits libFuzzer's input size. Run from the source tree's top folder after `make`.
set -eu
out=tests/fuzz/corpus/bundle
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp" TACTFUL_CONFIG=/dev/null TACTFUL_OFFICER=ann TACTFUL_DATADIR="$PWD/share"
export TACTFUL_DB="$tmp/home.db"
./tactful import tests/fuzz/origin.jsonl >/dev/null
sqlite3 "$tmp/home.db" "UPDATE cache_info SET value = 'f0220000000000000000000000000001' WHERE key = 'id'"
mkdir -p "$out"
# shrink FILE NAME: the bundle at 512-byte pages, as a seed.
shrink() {
    sqlite3 "$1" "PRAGMA journal_mode = DELETE; PRAGMA page_size = 512; VACUUM;" >/dev/null
    cp "$1" "$out/$2"
}
# 1: triage, tags, a note, an assignee and a topic changed offline.
./tactful export --bundle "$tmp/b1.db" >/dev/null
TACTFUL_DB="$tmp/b1.db" TACTFUL_OFFICER=bob sh -c './tactful mark 1 closed && ./tactful tag 2 +bins -x &&
    ./tactful note 3 "Checked with Highways" && ./tactful assign 1 sam.patel && ./tactful priority 2 1 &&
    ./tactful topic 3 "the Station Road bins"' >/dev/null
shrink "$tmp/b1.db" triage
# 2: a draft written and submitted offline.
./tactful export --bundle "$tmp/b2.db" --thread 2 >/dev/null
printf 'Thanks for letting us know, we have passed this to the crew.\n' >"$tmp/reply.txt"
TACTFUL_DB="$tmp/b2.db" TACTFUL_OFFICER=bob ./tactful reply 2 --pattern acknowledgement \
    --text-file "$tmp/reply.txt" --submit >/dev/null 2>&1 || true
shrink "$tmp/b2.db" draft
# 3: nothing changed.
./tactful export --bundle "$tmp/b3.db" --state new >/dev/null
shrink "$tmp/b3.db" unchanged
ls -l "$out"
