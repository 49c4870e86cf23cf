#!/bin/sh
# Runs every benchmark in build/bench and prints their figures as one table, each with the
# target it is measured against (targets come from the issues).
set -u
printf '%-46s %14s  %s\n' "measure" "figure" "target"
printf '%-46s %14s  %s\n' "-------" "------" "------"
status=0
for b in "$@"; do
    "$b" || status=1
done
exit $status
