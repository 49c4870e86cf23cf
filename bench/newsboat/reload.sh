#!/bin/sh
# Times newsboat's reload of ITEMS items (ITEMS/1000 feeds of 1,000, from feeds.py) served on
# 127.0.0.1, into an empty cache, the way README.md's scale table compares it with `tactful
# import`: items stored per second of wall time, peak memory, cache bytes per item.
# Needs newsboat, sqlite3 and GNU time (apt-get install newsboat sqlite3 time).
# Usage: reload.sh ITEMS   (100000 or 1000000; 1,000,000 takes about six minutes)
set -eu
items=${1:?usage: reload.sh ITEMS}
feeds=$((items / 1000))
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
server=
cleanup() {
    [ -z "$server" ] || kill "$server" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT INT TERM
mkdir -p "$work/feeds"
python3 "$here/feeds.py" "$work/feeds" "$feeds"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
(cd "$work/feeds" && exec python3 -m http.server "$port" --bind 127.0.0.1) >/dev/null 2>&1 &
server=$!
# Wait until the server answers (a state, not a duration).
until python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/f0000.xml')" 2>/dev/null; do
    kill -0 "$server" || { echo "reload.sh: the feed server did not start" >&2; exit 1; }
    sleep 0.1
done
i=0
while [ "$i" -lt "$feeds" ]; do
    printf 'http://127.0.0.1:%s/f%04d.xml\n' "$port" "$i"
    i=$((i + 1))
done >"$work/urls"
printf 'max-items 0\nreload-threads 2\nsuppress-first-reload no\n' >"$work/config"
/usr/bin/time -v newsboat -u "$work/urls" -c "$work/cache.db" -C "$work/config" -x reload \
    >/dev/null 2>"$work/time"
stored=$(sqlite3 "$work/cache.db" 'select count(*) from rss_item')
bytes=$(stat -c %s "$work/cache.db")
wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time")
rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time")
python3 - "$stored" "$bytes" "$wall" "$rss" <<'PY'
import sys
stored, size, wall, rss = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
secs = 0.0
for part in wall.split(":"):
    secs = secs * 60 + float(part)
print(f"newsboat reload, {stored} items   {secs:.1f} s   {stored / secs:,.0f} items/s   "
      f"peak {rss / 1024:.0f} MiB   {size / stored:.0f} bytes/item")
PY
