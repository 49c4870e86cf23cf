#!/bin/sh
# Prints, one a line, NAME=FILE for every file tactful-portable carries: the shipped share tree
# (rule packs, word lists, patterns, the demo), keymaps, man pages, the terminal descriptions
# named on the command line (from this machine's terminfo) and the C.UTF-8 character table.
# Run from the top of the source tree. Usage: files.sh TERM...
set -eu
for f in share/rules/*.rules share/rules/*.txt share/rules/*.model share/patterns/*.pattern share/demo/*.jsonl; do
    [ -f "$f" ] && echo "${f#share/}=$f"
done
for f in keymaps/*.keys man/tactful.1 man/tactful.5; do
    [ -f "$f" ] && echo "$f=$f"
done
for t in "$@"; do
    c=$(printf %.1s "$t")
    found=
    for d in /etc/terminfo /lib/terminfo /usr/share/terminfo; do
        if [ -f "$d/$c/$t" ]; then
            found="$d/$c/$t"
            break
        fi
    done
    if [ -z "$found" ]; then
        echo "files.sh: no terminfo entry for $t on this machine (install ncurses-term)" >&2
        exit 1
    fi
    echo "terminfo/$c/$t=$found"
done
ctype=/usr/lib/locale/C.utf8/LC_CTYPE
if [ -f "$ctype" ]; then
    echo "locale/C.utf8/LC_CTYPE=$ctype"
else
    echo "files.sh: $ctype is missing: tactful-portable will draw ASCII only where no UTF-8" \
         "locale is installed" >&2
fi
