#!/bin/sh
# tactful against the real servers: brings up WordPress (Debian's packages) and a Bluesky
# network (@atproto/dev-env) on loopback with the scripts beside this one, syncs each with
# tactful, sends replies the officer's own way (`reply --submit`, then `outbox send`), reads
# each back from the server with the right parent (WordPress `parent`; Bluesky `reply.root`
# and `reply.parent`) and counts it there (exactly one), also after a kill -9 between the
# server doing the request and tactful reading its answer; checks that later runs reuse the
# Bluesky session (one createSession in all); and what changes upstream (a comment trashed,
# one approved late, comments closed; a post deleted, a threadgate). Tears both down at the
# end. tactful reaches each server through tests/real/holdproxy.py, which logs every request
# and can hold an answer back.
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
    for p in "$WORK"/proxy-*/pid; do
        [ -f "$p" ] && kill "$(cat "$p")" 2>/dev/null
    done
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

# proxy_start NAME TARGET: starts holdproxy.py in front of TARGET (files in $WORK/proxy-NAME);
# sets PROXY to its URL.
proxy_start() {
    _d="$WORK/proxy-$1"
    mkdir -p "$_d"
    "$PYTHON" "$REAL_DIR/holdproxy.py" --target "$2" --port-file "$_d/port" --log "$_d/log" \
        --arm "$_d/arm" --held "$_d/held" >"$_d/out" 2>&1 &
    echo $! >"$_d/pid"
    _i=0
    while [ ! -s "$_d/port" ] && [ $_i -lt 600 ]; do sleep 0.1; _i=$((_i + 1)); done
    [ -s "$_d/port" ] || return 1
    PROXY="http://127.0.0.1:$(cat "$_d/port")"
}

# proxy_count NAME TEXT: how many requests through the proxy had TEXT in "METHOD PATH".
proxy_count() { grep -c -- "$2" "$WORK/proxy-$1/log" 2>/dev/null || true; }

# killed_send NAME MATCH: runs `tactful outbox send` with the proxy holding back the answer to
# the request matching MATCH, and kill -9s tactful once the server has done that request.
killed_send() {
    _kd="$WORK/proxy-$1"
    rm -f "$_kd/held"
    printf '%s' "$2" >"$_kd/arm"
    "$TACTFUL" outbox send >"$_kd/killed.out" 2>&1 &
    _kpid=$!
    _ki=0
    while [ ! -f "$_kd/held" ] && [ $_ki -lt 1200 ]; do sleep 0.1; _ki=$((_ki + 1)); done
    kill -9 "$_kpid" 2>/dev/null
    wait "$_kpid" 2>/dev/null
    rm -f "$_kd/arm"
    [ -f "$_kd/held" ]
}

# api METHOD URL AUTH [JSON]: a request to a server directly (AUTH: USER:PASSWORD or
# "Bearer TOKEN"); prints the answer's body.
api() {
    "$PYTHON" - "$@" <<'PY'
import base64, sys, urllib.request
method, url, auth = sys.argv[1:4]
data = sys.argv[4].encode() if len(sys.argv) > 4 else None
req = urllib.request.Request(url, data=data, method=method)
if data is not None:
    req.add_header("Content-Type", "application/json")
if auth:
    req.add_header("Authorization", auth if auth.startswith("Bearer ") else
                   "Basic " + base64.b64encode(auth.encode()).decode())
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
try:
    sys.stdout.write(opener.open(req, timeout=30).read().decode())
except urllib.error.HTTPError as e:
    sys.stdout.write(e.read().decode())
    sys.exit(1)
PY
}

# ---------------------------------------------------------------------------- WordPress
wordpress() {
    env=$(sh "$REAL_DIR/wordpress-up.sh" "$WORK/wp") || { bad "WordPress came up"; return; }
    # shellcheck disable=SC1090
    . "$env"
    export TOK_BLOG="$WP_APP_PASSWORD"
    proxy_start wp "$WP_URL" || { bad "wordpress: the proxy came up"; return; }
    printf '[account blog]\nplatform = wordpress\nurl = %s\nuser = %s\ntoken_env = TOK_BLOG\n\n' \
        "$PROXY" "$WP_USER" >>"$TACTFUL_CONFIG"
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

    printf 'Hi Dan, the gritting map is on our winter page: https://northmoor.example/winter\n' \
        >"$WORK/wp-reply.txt"
    check "wordpress: reply --submit queues the reply" t reply "$th" --to "$WP_UNANSWERED_COMMENT_ID" \
        --pattern acknowledgement --text-file "$WORK/wp-reply.txt" --submit
    check "wordpress: outbox send" t outbox send
    remote=$(sql "select remote_id from outbox where thread_id = $th and in_reply_to = '$WP_UNANSWERED_COMMENT_ID' and state = 'sent'")
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
    check "wordpress: exactly one reply on the server" \
        eq "$(wp_replies "$WP_UNANSWERED_COMMENT_ID")" 1

    # kill -9 after WordPress made the comment, before tactful read the answer: the next
    # send finds it and sends nothing.
    printf 'Thanks, we will send a crew to the school gates this evening.\n' >"$WORK/wp-reply2.txt"
    check "wordpress: second reply --submit" t reply "$th" --to "$WP_DEEPEST_COMMENT_ID" \
        --pattern acknowledgement --text-file "$WORK/wp-reply2.txt" --submit
    check "wordpress: outbox send killed -9 between request and answer" \
        killed_send wp "POST /wp-json/wp/v2/comments"
    check "wordpress: the comment was made before the kill" eq "$(wp_replies "$WP_DEEPEST_COMMENT_ID")" 1
    check "wordpress: the next send finds it" sh -c "'$TACTFUL' outbox send | grep -q 'already posted by an earlier attempt'"
    check "wordpress: still exactly one reply on the server after the kill" \
        eq "$(wp_replies "$WP_DEEPEST_COMMENT_ID")" 1
    check "wordpress: nothing left to send" sh -c "'$TACTFUL' outbox send | grep -q '^outbox: 0 sent'"

    # What changes upstream: the closed post refuses replies; a comment trashed is kept and
    # marked; the held comment approved late comes in.
    closed=$(sql "select id from threads where root_remote_id = 'post-$WP_CLOSED_POST_ID'")
    check "wordpress: the closed post refuses replies" \
        eq "$(sql "select reply_refused from threads where id = '$closed'")" \
        "comments are closed on the WordPress post"
    check "wordpress: reply refused on the closed post" sh -c "! '$TACTFUL' reply '$closed' --pattern acknowledgement --text-file '$WORK/wp-reply2.txt' 2>/dev/null"
    api DELETE "${WP_API%/}/wp/v2/comments/$WP_DEEPEST_COMMENT_ID" "$WP_USER:$WP_APP_PASSWORD" >/dev/null ||
        bad "wordpress: a comment trashed"
    api POST "${WP_API%/}/wp/v2/comments/$WP_HELD_COMMENT_ID" "$WP_USER:$WP_APP_PASSWORD" \
        '{"status": "approve"}' >/dev/null || bad "wordpress: the held comment approved"
    check "wordpress: sync after the changes" t sync blog
    check "wordpress: the trashed comment is kept, marked" \
        eq "$(sql "select deleted_reason from posts where remote_id = '$WP_DEEPEST_COMMENT_ID'")" \
        "moved to the trash on WordPress"
    check "wordpress: the comment approved late is in" \
        eq "$(sql "select count(*) from posts where remote_id = '$WP_HELD_COMMENT_ID' and deleted_at is null")" 1
}

# wp_replies PARENT: the officer's comments on the server answering comment PARENT.
wp_replies() {
    api GET "${WP_API%/}/wp/v2/comments?post=$WP_POST_ID&parent=$1&author=$WP_USER_ID&context=edit&per_page=100" \
        "$WP_USER:$WP_APP_PASSWORD" >"$WORK/wp-count.json" || { echo "?"; return; }
    py 'len(j)' "$WORK/wp-count.json"
}

# ---------------------------------------------------------------------------- Bluesky
bluesky() {
    env=$(sh "$REAL_DIR/bluesky-up.sh" "$WORK/bsky") || { bad "Bluesky came up"; return; }
    # shellcheck disable=SC1090
    . "$env"
    export TOK_SKY="$BSKY_APP_PASSWORD"
    proxy_start sky "$BSKY_PDS" || { bad "bluesky: the proxy came up"; return; }
    printf '[account sky]\nplatform = bluesky\nurl = %s\nuser = %s\ntoken_env = TOK_SKY\nlanguage = en\n\n' \
        "$PROXY" "$BSKY_HANDLE" >>"$TACTFUL_CONFIG"
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

    printf 'Glad to hear it, @%s! Routes: https://northmoor.example/winter/gritting-routes\n' \
        "$BSKY_ALICE_HANDLE" >"$WORK/sky-reply.txt"
    check "bluesky: reply --submit queues the reply" t reply "$th" --to "$BSKY_DEEPEST_URI" \
        --pattern acknowledgement --text-file "$WORK/sky-reply.txt" --submit
    check "bluesky: outbox send" t outbox send
    uri=$(sql "select remote_id from outbox where thread_id = $th and in_reply_to = '$BSKY_DEEPEST_URI' and state = 'sent'")
    check "bluesky: exactly one reply on the server" eq "$(sky_replies "$BSKY_DEEPEST_URI")" 1
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
        check "bluesky: the link is sent in the app's short form" \
            eq "$(py 'j["value"]["text"].split("Routes: ")[1]' "$WORK/sky-reply.json")" \
            "northmoor.example/winter/gritt..."
        check "bluesky: its link facet goes to the whole address" \
            eq "$(py '[f["features"][0]["uri"] for f in j["value"]["facets"] if "uri" in f["features"][0]]' "$WORK/sky-reply.json")" \
            "https://northmoor.example/winter/gritting-routes"
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
    check "bluesky: the cached reply reads as written, its link whole" \
        eq "$(sql "select body from posts where remote_id = '$uri'")" "$(cat "$WORK/sky-reply.txt")"

    # kill -9 after the PDS made the record, before tactful read the answer.
    printf 'Thanks Bob, good to hear.\n' >"$WORK/sky-reply2.txt"
    check "bluesky: second reply --submit" t reply "$th" --to "$BSKY_MENTION_REPLY_URI" \
        --pattern acknowledgement --text-file "$WORK/sky-reply2.txt" --submit
    check "bluesky: outbox send killed -9 between request and answer" \
        killed_send sky "com.atproto.repo.createRecord"
    check "bluesky: the record was made before the kill" eq "$(sky_replies "$BSKY_MENTION_REPLY_URI")" 1
    check "bluesky: the next send finds it" sh -c "'$TACTFUL' outbox send | grep -q 'already posted by an earlier attempt'"
    check "bluesky: still exactly one reply on the server after the kill" \
        eq "$(sky_replies "$BSKY_MENTION_REPLY_URI")" 1

    # What changes upstream: Bob deletes his own thread; Alice limits who may reply to hers.
    bob=$(api POST "$BSKY_PDS/xrpc/com.atproto.server.createSession" "" \
        "{\"identifier\": \"$BSKY_BOB_HANDLE\", \"password\": \"$BSKY_BOB_PASSWORD\"}" |
        "$PYTHON" -c 'import json, sys; print(json.load(sys.stdin)["accessJwt"])')
    api POST "$BSKY_PDS/xrpc/com.atproto.repo.deleteRecord" "Bearer $bob" \
        "{\"repo\": \"$BSKY_BOB_DID\", \"collection\": \"app.bsky.feed.post\", \"rkey\": \"${BSKY_SECOND_ROOT_URI##*/}\"}" \
        >/dev/null || bad "bluesky: Bob deletes his post"
    api POST "$BSKY_PDS/xrpc/com.atproto.repo.deleteRecord" "Bearer $bob" \
        "{\"repo\": \"$BSKY_BOB_DID\", \"collection\": \"app.bsky.feed.post\", \"rkey\": \"${BSKY_BOB_REPLY_URI##*/}\"}" \
        >/dev/null || bad "bluesky: Bob deletes his reply"
    alice=$(api POST "$BSKY_PDS/xrpc/com.atproto.server.createSession" "" \
        "{\"identifier\": \"$BSKY_ALICE_HANDLE\", \"password\": \"$BSKY_ALICE_PASSWORD\"}" |
        "$PYTHON" -c 'import json, sys; print(json.load(sys.stdin)["accessJwt"])')
    api POST "$BSKY_PDS/xrpc/com.atproto.repo.createRecord" "Bearer $alice" \
        "{\"repo\": \"$BSKY_ALICE_DID\", \"collection\": \"app.bsky.feed.threadgate\", \"rkey\": \"${BSKY_ROOT_URI##*/}\", \"record\": {\"\$type\": \"app.bsky.feed.threadgate\", \"post\": \"$BSKY_ROOT_URI\", \"allow\": [], \"createdAt\": \"$(date -u +%Y-%m-%dT%H:%M:%S.000Z)\"}}" \
        >/dev/null || bad "bluesky: Alice gates her thread"
    # Wait for the AppView to have all three (a state, not a time).
    i=0
    while [ $i -lt 600 ]; do
        if ! api GET "$BSKY_APPVIEW/xrpc/app.bsky.feed.getPostThread?uri=$BSKY_SECOND_ROOT_URI" "" >/dev/null 2>&1 &&
            ! api GET "$BSKY_APPVIEW/xrpc/app.bsky.feed.getPostThread?uri=$BSKY_BOB_REPLY_URI" "" >/dev/null 2>&1 &&
            api GET "$BSKY_APPVIEW/xrpc/app.bsky.feed.getPostThread?uri=$BSKY_ROOT_URI" "" 2>/dev/null |
            grep -q threadgate; then
            break
        fi
        sleep 0.1
        i=$((i + 1))
    done
    check "bluesky: sync after the changes" t sync sky
    check "bluesky: the deleted post is kept, marked" \
        eq "$(sql "select deleted_reason from posts where remote_id = '$BSKY_SECOND_ROOT_URI'")" "deleted on Bluesky"
    check "bluesky: the deleted reply is kept, marked" \
        eq "$(sql "select deleted_reason from posts where remote_id = '$BSKY_BOB_REPLY_URI'")" "deleted on Bluesky"
    check "bluesky: the replies under it are not marked" \
        eq "$(sql "select count(*) from posts where remote_id = '$BSKY_DEEPEST_URI' and deleted_at is null")" 1
    check "bluesky: the gated thread refuses replies" \
        eq "$(sql "select reply_refused like 'its author limits who can reply%' from threads where id = '$th'")" 1
    check "bluesky: reply refused in the gated thread" sh -c "! '$TACTFUL' reply '$th' --to '$BSKY_DEEPEST_URI' --pattern acknowledgement --text-file '$WORK/sky-reply2.txt' 2>/dev/null"

    # Every run after the first reused the session: one createSession through the proxy.
    check "bluesky: one createSession over every run" eq "$(proxy_count sky createSession)" 1
    check "bluesky: later runs refreshed the kept session" sh -c "[ $(proxy_count sky refreshSession) -ge 1 ]"
}

# sky_replies PARENT: the account's records on the PDS that answer post PARENT.
sky_replies() {
    api GET "$BSKY_PDS/xrpc/com.atproto.repo.listRecords?repo=$BSKY_DID&collection=app.bsky.feed.post&limit=100" "" \
        >"$WORK/sky-count.json" || { echo "?"; return; }
    "$PYTHON" -c 'import json, sys; j = json.load(open(sys.argv[1])); print(sum(1 for r in j["records"] if r["value"].get("reply", {}).get("parent", {}).get("uri") == sys.argv[2]))' \
        "$WORK/sky-count.json" "$1"
}

: >"$TACTFUL_CONFIG"
case $ONLY in
'') wordpress; bluesky ;;
wordpress) wordpress ;;
bluesky) bluesky ;;
*) die "ONLY must be wordpress or bluesky" ;;
esac
