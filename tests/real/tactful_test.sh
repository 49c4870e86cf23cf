#!/bin/sh
# tactful against the real servers: brings up WordPress (Debian's packages) and a Bluesky
# network (@atproto/dev-env) on loopback with the scripts beside this one, syncs each with
# tactful, sends a reply through the outbox, and reads the reply back from the server with
# the right parent (WordPress `parent`; Bluesky `reply.root` and `reply.parent`). Tears both
# down at the end.
#
#   usage: sh tests/real/tactful_test.sh [TACTFUL]      (make check-real)
#
# Ends with `real: N passed, N failed`; exits non-zero when anything failed. ONLY=wordpress
# or ONLY=bluesky runs one server; KEEP_STATE=1 keeps the state folder.
set -u
REAL_DIR=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
SRC=$(cd "$REAL_DIR/../.." && pwd)
LOG_TAG=real
. "$REAL_DIR/lib.sh"

TACTFUL=${1:-$SRC/tactful}
ENQUEUE=${ENQUEUE:-$SRC/build/tests/helper_enqueue}
ONLY=${ONLY:-}
PYTHON=${PYTHON:-python3}
PASS=0
FAIL=0
ok() { PASS=$((PASS + 1)); echo "ok - $*"; }
bad() { FAIL=$((FAIL + 1)); echo "not ok - $*"; }
# check DESCRIPTION COMMAND...: passes when COMMAND succeeds.
check() {
    _d=$1
    shift
    if "$@"; then ok "$_d"; else bad "$_d"; fi
}
# eq GOT WANT: prints both when they differ.
eq() { [ "$1" = "$2" ] || { echo "#   expected '$2', got '$1'"; return 1; }; }

WORK=$(mktemp -d /tmp/tactful-real.XXXXXX)
chmod 711 "$WORK" # the postgres user must reach its cluster inside
mkdir -p "$WORK/wp" "$WORK/bsky" "$WORK/home"
export HOME="$WORK/home" TACTFUL_DB="$WORK/cache.db" TACTFUL_CONFIG="$WORK/config"
export TACTFUL_OFFICER=real-test
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
export NO_PROXY='*' no_proxy='*'

finish() {
    rc=$?
    trap - EXIT INT TERM HUP
    sh "$REAL_DIR/wordpress-down.sh" "$WORK/wp" >/dev/null 2>&1 || true
    sh "$REAL_DIR/bluesky-down.sh" "$WORK/bsky" >/dev/null 2>&1 || true
    if [ "${KEEP_STATE:-0}" = 1 ] || [ $FAIL -gt 0 ]; then
        echo "# state and logs kept in $WORK"
    else
        pgd=$(cat "$WORK/bsky/pgdir" 2>/dev/null || true)
        case $pgd in /var/tmp/tactful-bsky-pg.*) rm -rf "$pgd" ;; esac
        rm -rf "$WORK"
    fi
    echo "real: $PASS passed, $FAIL failed"
    if [ $FAIL -gt 0 ] || [ $rc -ne 0 ]; then exit 1; fi
    exit 0
}
trap finish EXIT
trap 'bad "interrupted"; exit 130' INT TERM HUP

[ -x "$TACTFUL" ] || die "no tactful binary at $TACTFUL; run make first"
[ -x "$ENQUEUE" ] || die "no $ENQUEUE; run make build/tests/helper_enqueue first"

t() { "$TACTFUL" "$@"; }
sql() { sqlite3 "$TACTFUL_DB" "$1"; }

# py EXPR JSONFILE: evaluates EXPR with j bound to the JSON in the file.
py() {
    "$PYTHON" -c 'import json, sys; j = json.load(open(sys.argv[2])); v = eval(sys.argv[1]); print(" ".join(map(str, v)) if isinstance(v, list) else v)' "$1" "$2"
}

# fetch URL OUT [USER:PASSWORD | "Bearer TOKEN"]: GETs URL into OUT (Python, no proxies).
fetch() {
    "$PYTHON" - "$@" <<'PY'
import base64, sys, urllib.request
url, out = sys.argv[1], sys.argv[2]
req = urllib.request.Request(url)
if len(sys.argv) > 3:
    a = sys.argv[3]
    req.add_header("Authorization", a if a.startswith("Bearer ") else
                   "Basic " + base64.b64encode(a.encode()).decode())
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
open(out, "wb").write(opener.open(req, timeout=30).read())
PY
}

# ---------------------------------------------------------------------------- WordPress
wordpress() {
    env=$(sh "$REAL_DIR/wordpress-up.sh" "$WORK/wp") || { bad "WordPress came up"; return; }
    # shellcheck disable=SC1090
    . "$env"
    export TOK_BLOG="$WP_APP_PASSWORD"
    printf '[account blog]\nplatform = wordpress\nurl = %s\nuser = %s\ntoken_env = TOK_BLOG\n\n' \
        "$WP_URL" "$WP_USER" >>"$TACTFUL_CONFIG"
    check "wordpress: accounts check" t accounts check blog
    check "wordpress: sync" t sync blog
    th=$(sql "select t.id from threads t join accounts a on a.id = t.account_id where a.name = 'blog' and t.root_remote_id = 'post-$WP_POST_ID'")
    check "wordpress: the post is a thread titled with its title" \
        eq "$(sql "select title from threads where id = '$th'")" "$WP_POST_TITLE"
    n=$(echo "$WP_COMMENT_IDS" | wc -w)
    check "wordpress: every approved comment, not the held one" \
        eq "$(sql "select count(*) from posts where thread_id = '$th' and remote_id != 'post-$WP_POST_ID'")" "$n"
    check "wordpress: the held comment stays out" \
        eq "$(sql "select count(*) from posts where remote_id = '$WP_HELD_COMMENT_ID'")" 0
    for pair in $WP_COMMENT_PARENTS; do
        id=${pair%%:*} parent=${pair#*:}
        [ "$parent" = 0 ] && parent="post-$WP_POST_ID"
        check "wordpress: comment $id answers $parent" \
            eq "$(sql "select parent_remote_id from posts where remote_id = '$id'")" "$parent"
    done
    check "wordpress: non-ASCII text intact" \
        eq "$(sql "select count(*) from posts where remote_id = '$WP_NONASCII_COMMENT_ID' and body like '%Brontë%'")" 1
    check "wordpress: a second sync adds nothing" sh -c "'$TACTFUL' sync blog | grep -q ' 0 new posts, 0 updated'"

    "$ENQUEUE" "$TACTFUL_DB" "$th" "$WP_UNANSWERED_COMMENT_ID" \
        "Hi Dan, the gritting map is on our winter page: https://northmoor.example/winter" \
        >"$WORK/wp.id" || { bad "wordpress: reply queued"; return; }
    check "wordpress: outbox send" t outbox send
    remote=$(sql "select remote_id from outbox where id = $(cat "$WORK/wp.id") and state = 'sent'")
    if fetch "$WP_API/wp/v2/comments/$remote?context=edit" "$WORK/wp-reply.json" \
        "$WP_USER:$WP_APP_PASSWORD"; then
        check "wordpress: the reply reads back with parent $WP_UNANSWERED_COMMENT_ID" \
            eq "$(py '[j["post"], j["parent"], j["author"]]' "$WORK/wp-reply.json")" \
            "$WP_POST_ID $WP_UNANSWERED_COMMENT_ID $WP_USER_ID"
        check "wordpress: the reply's text" \
            eq "$(py 'j["content"]["raw"]' "$WORK/wp-reply.json")" \
            "Hi Dan, the gritting map is on our winter page: https://northmoor.example/winter"
    else
        bad "wordpress: the reply reads back (comment '$remote')"
    fi
    check "wordpress: the thread is marked replied" \
        eq "$(sql "select state from threads where id = '$th'")" replied
}

# ---------------------------------------------------------------------------- Bluesky
bluesky() {
    env=$(sh "$REAL_DIR/bluesky-up.sh" "$WORK/bsky") || { bad "Bluesky came up"; return; }
    # shellcheck disable=SC1090
    . "$env"
    export TOK_SKY="$BSKY_APP_PASSWORD"
    printf '[account sky]\nplatform = bluesky\nurl = %s\nuser = %s\ntoken_env = TOK_SKY\nlanguage = en\n\n' \
        "$BSKY_PDS" "$BSKY_HANDLE" >>"$TACTFUL_CONFIG"
    check "bluesky: accounts check" t accounts check sky
    check "bluesky: sync" t sync sky
    th=$(sql "select t.id from threads t join accounts a on a.id = t.account_id where a.name = 'sky' and t.root_remote_id = '$BSKY_ROOT_URI'")
    for uri in $BSKY_THREAD_URIS; do
        check "bluesky: $uri is in the thread" \
            eq "$(sql "select count(*) from posts where remote_id = '$uri' and thread_id = '$th'")" 1
    done
    check "bluesky: the second mention is a thread of its own" \
        eq "$(sql "select count(*) from threads where root_remote_id = '$BSKY_SECOND_ROOT_URI'")" 1
    check "bluesky: every post has a bsky.app URL and a cid" \
        eq "$(sql "select count(*) from posts p join accounts a on a.id = p.account_id where a.name = 'sky' and (url not like 'https://bsky.app/profile/%/post/%' or meta ->> '\$.cid' is null)")" 0
    check "bluesky: our own replies are marked ours" \
        eq "$(sql "select own from posts where remote_id = '$BSKY_COUNCIL_REPLY_URI'")" 1

    "$ENQUEUE" "$TACTFUL_DB" "$th" "$BSKY_DEEPEST_URI" \
        "Glad to hear it, @$BSKY_ALICE_HANDLE! Routes: https://northmoor.example/winter" \
        >"$WORK/sky.id" || { bad "bluesky: reply queued"; return; }
    check "bluesky: outbox send" t outbox send
    uri=$(sql "select remote_id from outbox where id = $(cat "$WORK/sky.id") and state = 'sent'")
    rkey=${uri##*/}
    if fetch "$BSKY_PDS/xrpc/com.atproto.repo.getRecord?repo=$BSKY_DID&collection=app.bsky.feed.post&rkey=$rkey" \
        "$WORK/sky-reply.json"; then
        check "bluesky: reply.root is the thread's root" \
            eq "$(py '[j["value"]["reply"]["root"]["uri"], j["value"]["reply"]["root"]["cid"]]' "$WORK/sky-reply.json")" \
            "$BSKY_ROOT_URI $BSKY_ROOT_CID"
        check "bluesky: reply.parent is the post answered" \
            eq "$(py '[j["value"]["reply"]["parent"]["uri"], j["value"]["reply"]["parent"]["cid"]]' "$WORK/sky-reply.json")" \
            "$BSKY_DEEPEST_URI $BSKY_DEEPEST_CID"
        check "bluesky: a mention facet and a link facet" \
            eq "$(py 'sorted(f["features"][0]["$type"].split("#")[1] for f in j["value"]["facets"])' "$WORK/sky-reply.json")" \
            "link mention"
        check "bluesky: langs" eq "$(py 'j["value"]["langs"]' "$WORK/sky-reply.json")" en
    else
        bad "bluesky: the reply reads back from the PDS ($uri)"
    fi
    # The AppView indexes it within a second or two, in the right place in the thread.
    i=0
    while [ $i -lt 20 ]; do
        fetch "$BSKY_APPVIEW/xrpc/app.bsky.feed.getPostThread?uri=$uri" "$WORK/sky-thread.json" 2>/dev/null && break
        sleep 0.5
        i=$((i + 1))
    done
    check "bluesky: the AppView shows the reply under the post answered" \
        eq "$(py 'j["thread"]["parent"]["post"]["uri"]' "$WORK/sky-thread.json" 2>/dev/null)" "$BSKY_DEEPEST_URI"
    # A second send finds nothing to do; a sync afterwards brings no duplicate.
    check "bluesky: nothing sent twice" sh -c "'$TACTFUL' outbox send | grep -q '^outbox: 0 sent'"
    check "bluesky: sync after the reply" t sync sky
    check "bluesky: the reply is cached once" eq "$(sql "select count(*) from posts where remote_id = '$uri'")" 1
}

: >"$TACTFUL_CONFIG"
case $ONLY in
'') wordpress; bluesky ;;
wordpress) wordpress ;;
bluesky) bluesky ;;
*) die "ONLY must be wordpress or bluesky" ;;
esac
