#!/bin/sh
# Runs every command-line test script and prints one closing summary line.
dir=$(dirname "$0")
export TACTFUL=${1:-./tactful}
status=0
for s in "$dir"/*_test.sh; do
    sh "$s" || status=1
done
exit $status
