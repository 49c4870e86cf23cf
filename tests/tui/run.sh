#!/bin/sh
# Runs every terminal-interface test script (tmux-driven) and prints their summary lines.
dir=$(dirname "$0")
export TACTFUL=${1:-./tactful}
if ! command -v tmux >/dev/null; then
    echo "tui: tmux is not installed; run 'make deps'" >&2
    exit 1
fi
status=0
for s in "$dir"/*_test.sh; do
    sh "$s" || status=1
done
exit $status
