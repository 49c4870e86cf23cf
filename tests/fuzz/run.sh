#!/bin/sh
# Runs each libFuzzer target for SECONDS on its seed corpus, after replaying every saved crash
# in tests/fuzz/regress/NAME/ (each crash found becomes a regression input there).
# Usage: run.sh SECONDS BINARY...
set -u
secs=$1
shift
dir=$(cd "$(dirname "$0")" && pwd)
passed=0
failed=0
for bin in "$@"; do
    name=$(basename "$bin")
    seeds="$dir/corpus/${name#fuzz_}"
    regress="$dir/regress/${name#fuzz_}"
    work=$(mktemp -d)
    ok=1
    if [ -d "$regress" ] && [ -n "$(ls -A "$regress" 2>/dev/null)" ]; then
        "$bin" -runs=0 "$regress"/* >"$work/log" 2>&1 || ok=0
    fi
    if [ $ok = 1 ]; then
        # Run on a scratch copy of the seeds so a short run never rewrites the repository.
        mkdir -p "$work/corpus"
        cp "$seeds"/* "$work/corpus/" 2>/dev/null
        "$bin" -max_total_time="$secs" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
            -artifact_prefix="$work/" -print_final_stats=0 "$work/corpus" >"$work/log" 2>&1 || ok=0
    fi
    if [ $ok = 1 ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "  fuzz: $name failed; the input is in $work (copy it to $regress/):" >&2
        tail -30 "$work/log" >&2
        continue
    fi
    rm -rf "$work"
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
