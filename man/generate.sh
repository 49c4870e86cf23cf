#!/bin/sh
# Regenerates the sections of the manual pages that come from tactful's tables, between their
# `.\" BEGIN NAME` and `.\" END NAME` lines: man/generate.sh ./tactful (make man runs it).
# tests/cli/man_test.sh and keys_test.sh fail when a page is out of date.
set -e
bin=${1:-./tactful}
dir=$(dirname "$0")

# replace FILE NAME COMMAND...: puts COMMAND's output between FILE's NAME markers.
replace() {
    file=$1 name=$2
    shift 2
    grep -q "^\.\\\\\" BEGIN $name\$" "$file" || { echo "$file: no BEGIN $name" >&2; exit 1; }
    "$@" >"$file.part"
    {
        sed "/^\.\\\\\" BEGIN $name\$/q" "$file"
        cat "$file.part"
        sed -n "/^\.\\\\\" END $name\$/,\$p" "$file"
    } >"$file.tmp"
    rm -f "$file.part"
    mv "$file.tmp" "$file"
}

replace "$dir/tactful.1" OPTIONS "$bin" help --man options
replace "$dir/tactful.1" COMMANDS "$bin" help --man commands
replace "$dir/tactful.1" KEYS "$bin" keys --man
replace "$dir/tactful.5" CONFIG "$bin" help --man config
replace "$dir/tactful.5" COLOURS "$bin" help --man colours
replace "$dir/tactful.5" CONFIG-ACCOUNT "$bin" help --man config-account
replace "$dir/tactful.5" RULE-KEYS "$bin" help --man rule-keys
