#!/bin/sh
# Runs each cmocka test binary given as an argument and prints one closing summary line.
# --wrap "CMD" runs each under CMD (valgrind, for instance).
wrap=""
if [ "${1:-}" = "--wrap" ]; then
    wrap=$2
    shift 2
fi
passed=0
failed=0
for t in "$@"; do
    if $wrap "$t"; then
        passed=$((passed + 1))
    else
        echo "FAILED: $t" >&2
        failed=$((failed + 1))
    fi
done
echo "unit: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
