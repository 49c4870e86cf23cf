#!/bin/sh
# Smoke test of the real test servers: brings up WordPress and the Bluesky network, checks
# from the outside with curl that they answer as the adapters expect, and tears both down.
#
#   usage: sh tests/real/smoke_test.sh
#
# Ends with `real-smoke: N passed, N failed` and exits non-zero if anything failed.
# Set KEEP_STATE=1 to keep the state folders (logs, databases) afterwards.
set -u
REAL_DIR=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
LOG_TAG=real-smoke
. "$REAL_DIR/lib.sh"

PASS=0
FAIL=0
ok() { PASS=$((PASS + 1)); echo "ok - $*"; }
bad() { FAIL=$((FAIL + 1)); echo "not ok - $*"; }
# check DESCRIPTION COMMAND... : pass when COMMAND succeeds
check() {
    _d=$1
    shift
    if "$@"; then ok "$_d"; else bad "$_d"; fi
}
eq() { [ "$1" = "$2" ] || { echo "#   expected '$2', got '$1'"; return 1; }; }

WORK=$(mktemp -d /tmp/tactful-real-smoke.XXXXXX)
WP_STATE=$WORK/wp
BSKY_STATE_DIR=$WORK/bsky
mkdir -p "$WP_STATE" "$BSKY_STATE_DIR"
chmod 711 "$WORK" # the postgres user must reach its cluster inside

finish() {
    rc=$?
    trap - EXIT INT TERM HUP
    sh "$REAL_DIR/wordpress-down.sh" "$WP_STATE" 2>/dev/null || true
    sh "$REAL_DIR/bluesky-down.sh" "$BSKY_STATE_DIR" 2>/dev/null || true
    left=""
    for p in 8080 3307 2582 2583 2584 2587 5433 6380; do
        port_busy $p && left="$left $p"
    done
    if [ -z "$left" ]; then ok "teardown left nothing listening"; else bad "still listening after teardown:$left"; fi
    if [ "${KEEP_STATE:-0}" = 1 ] || [ $FAIL -gt 0 ]; then
        echo "# state and logs kept in $WORK"
    else
        pgd=$(cat "$BSKY_STATE_DIR/pgdir" 2>/dev/null || true)
        case $pgd in /var/tmp/tactful-bsky-pg.*) rm -rf "$pgd" ;; esac
        rm -rf "$WORK"
    fi
    echo "real-smoke: $PASS passed, $FAIL failed"
    if [ $FAIL -gt 0 ] || [ $rc -ne 0 ]; then exit 1; fi
    exit 0
}
trap finish EXIT
trap 'bad "interrupted"; exit 130' INT TERM HUP

# Install everything both servers need with one apt-get update.
ensure_packages $WP_PACKAGES $BSKY_PACKAGES jq

# only_loopback PIDFILE... : every listening socket of these process groups is on 127.0.0.1
only_loopback() {
    _pids=$(for f in "$@"; do
        [ -s "$f" ] || continue
        ps -e -o pid=,pgid= | awk -v g="$(cat "$f")" '$2 == g { print $1 }'
    done)
    _pm=$(head -n 1 "$(cat "$BSKY_STATE_DIR/pgdir" 2>/dev/null)/data/postmaster.pid" 2>/dev/null || true)
    _bad=$(ss -Hltnp 2>/dev/null | while read -r _st _rq _sq _local _peer _proc; do
        for _p in $_pids $_pm; do
            case $_proc in
            *"pid=$_p,"*)
                case $_local in 127.0.0.1:*) ;; *) echo "$_local($_p)" ;; esac
                ;;
            esac
        done
    done)
    [ -z "$_bad" ] || { echo "#   listening beyond loopback: $_bad"; return 1; }
}

secs_since() { awk -v a="$1" -v b="$(now_ms)" 'BEGIN { printf "%.1f", (b - a) / 1000 }'; }

# ------------------------------------------------------------------------------------------
echo "# WordPress"
t=$(now_ms)
if wp_env=$(sh "$REAL_DIR/wordpress-up.sh" "$WP_STATE"); then
    ok "wordpress-up.sh ($(secs_since "$t")s)"
    . "$wp_env"
    H=$WORK/wp-headers
    B=$WORK/wp-body
    code=$(curl -s -D "$H" -o "$B" -w '%{http_code}' \
        "$WP_URL/wp-json/wp/v2/comments?post=$WP_POST_ID&per_page=100")
    check "GET comments?post=$WP_POST_ID&per_page=100 answers 200" eq "$code" 200
    check "X-WP-Total counts the seeded comments" \
        eq "$(tr -d '\r' <"$H" | awk -F': ' 'tolower($1) == "x-wp-total" { print $2 }')" \
        "$(echo "$WP_COMMENT_IDS" | wc -w)"
    check "the seeded comments come back with their parents" \
        eq "$(jq -r 'sort_by(.id) | map("\(.id):\(.parent)") | join(" ")' "$B")" "$WP_COMMENT_PARENTS"
    check "comments nest at least 3 levels" \
        eq "$(jq -r --argjson d "$WP_DEEPEST_COMMENT_ID" '
            (map({key: (.id|tostring), value: .parent}) | from_entries) as $p |
            [$d | recurse(if . == 0 then empty else $p[tostring] end)] | length - 1' "$B")" 4
    check "several authors" \
        eq "$(jq -r '[.[].author_name] | unique | length >= 3' "$B")" true
    check "non-ASCII text survives" \
        eq "$(jq -r --argjson n "$WP_NONASCII_COMMENT_ID" '.[] | select(.id == $n) | .content.rendered | test("Brontë.*−3 °C.*❄")' "$B")" true
    check "the held comment is not public" \
        eq "$(jq -r --argjson n "$WP_HELD_COMMENT_ID" 'map(select(.id == $n)) | length' "$B")" 0

    body=$(jq -nc --argjson post "$WP_POST_ID" --argjson parent "$WP_DEEPEST_COMMENT_ID" \
        '{post: $post, parent: $parent, content: "Thanks Margaret — we have sent a crew to Brontë Court. (smoke test)"}')
    code=$(curl -s -D "$H" -o "$B" -w '%{http_code}' -u "$WP_USER:$WP_APP_PASSWORD" \
        -H 'Content-Type: application/json' -d "$body" "$WP_URL/wp-json/wp/v2/comments")
    check "POST comments with Basic auth (application password) answers 201" eq "$code" 201
    new_id=$(jq -r '.id // empty' "$B" 2>/dev/null)
    check "the new comment has the right post and parent" \
        eq "$(jq -r '"\(.post) \(.parent) \(.status)"' "$B" 2>/dev/null)" "$WP_POST_ID $WP_DEEPEST_COMMENT_ID approved"
    check "201 carries a Location header" grep -qi "^location: .*/wp/v2/comments/$new_id" "$H"
    code=$(curl -s -o "$B" -w '%{http_code}' "$WP_URL/wp-json/wp/v2/comments?post=$WP_POST_ID&per_page=100")
    check "the new comment reads back" \
        eq "$(jq -r --argjson n "${new_id:-0}" '.[] | select(.id == $n) | .parent' "$B")" "$WP_DEEPEST_COMMENT_ID"
    code=$(curl -s -o "$B" -w '%{http_code}' -u "$WP_USER:wrong-password" \
        -H 'Content-Type: application/json' \
        -d "{\"post\":$WP_POST_ID,\"parent\":$WP_TOP_COMMENT_ID,\"content\":\"wrong password\"}" \
        "$WP_URL/wp-json/wp/v2/comments")
    check "a wrong password gets 401" eq "$code" 401
    check "WordPress listens on 127.0.0.1 only" only_loopback "$WP_STATE/php.pgid" "$WP_STATE/mysqld.pgid"
    t=$(now_ms)
    sh "$REAL_DIR/wordpress-up.sh" "$WP_STATE" >/dev/null 2>&1
    check "a second wordpress-up.sh on the same state reuses it ($(secs_since "$t")s)" \
        eq "$(. "$WP_STATE/env"; echo "$WP_APP_PASSWORD")" "$WP_APP_PASSWORD"
else
    bad "wordpress-up.sh failed"
fi
sh "$REAL_DIR/wordpress-down.sh" "$WP_STATE" 2>/dev/null
check "wordpress-down.sh stops it" sh -c '! curl -s -o /dev/null --max-time 2 http://127.0.0.1:8080/'

# ------------------------------------------------------------------------------------------
echo "# Bluesky"
t=$(now_ms)
if bs_env=$(sh "$REAL_DIR/bluesky-up.sh" "$BSKY_STATE_DIR"); then
    ok "bluesky-up.sh ($(secs_since "$t")s)"
    . "$bs_env"
    B=$WORK/bs-body
    body=$(jq -nc --arg id "$BSKY_HANDLE" --arg pw "$BSKY_APP_PASSWORD" '{identifier: $id, password: $pw}')
    code=$(curl -s -o "$B" -w '%{http_code}' -H 'Content-Type: application/json' -d "$body" \
        "$BSKY_PDS/xrpc/com.atproto.server.createSession")
    check "createSession with the app password answers 200" eq "$code" 200
    TOKEN=$(jq -r '.accessJwt // empty' "$B")
    check "the session is the council's" eq "$(jq -r '"\(.did) \(.handle)"' "$B")" "$BSKY_DID $BSKY_HANDLE"
    code=$(curl -s -o "$B" -w '%{http_code}' -H 'Content-Type: application/json' \
        -d "{\"identifier\":\"$BSKY_HANDLE\",\"password\":\"wrong-password\"}" \
        "$BSKY_PDS/xrpc/com.atproto.server.createSession")
    check "a wrong password gets 401 AuthenticationRequired" eq "$code $(jq -r .error "$B")" "401 AuthenticationRequired"

    code=$(curl -s -o "$B" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
        "$BSKY_PDS/xrpc/app.bsky.notification.listNotifications?limit=50")
    check "listNotifications through the PDS answers 200" eq "$code" 200
    check "it shows alice's mention of the council" \
        eq "$(jq -r --arg u "$BSKY_ROOT_URI" '[.notifications[] | select(.reason == "mention" and .uri == $u)] | length' "$B")" 1
    check "it shows bob's reply to the council" \
        eq "$(jq -r --arg u "$BSKY_BOB_REPLY_URI" '[.notifications[] | select(.reason == "reply" and .uri == $u and .author.handle == "bob.test")] | length' "$B")" 1
    check "it shows the deepest reply, with its record's root" \
        eq "$(jq -r --arg u "$BSKY_DEEPEST_URI" '.notifications[] | select(.reason == "reply" and .uri == $u) | .record.reply.root.uri' "$B")" "$BSKY_ROOT_URI"

    code=$(curl -s -o "$B" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
        "$BSKY_PDS/xrpc/app.bsky.feed.getPostThread?uri=$BSKY_ROOT_URI&depth=10")
    check "getPostThread through the PDS answers 200" eq "$code" 200
    chain=$(jq -r '[.thread | recurse((.replies // [])[]) | .post.uri] | join(" ")' "$B")
    depth=$(jq -r 'def d: 1 + ([(.replies // [])[] | d] | max // 0); (.thread | d) - 1' "$B")
    check "replies nest at least 4 deep under the root (got $depth)" test "$depth" -ge 4
    for u in $BSKY_THREAD_URIS; do
        case " $chain " in *" $u "*) ;; *) chain_missing="${chain_missing:-} $u" ;; esac
    done
    check "every seeded post of the thread is in it" eq "${chain_missing:-}" ""
    check "the root's record is alice's text with its mention facet" \
        eq "$(jq -r '.thread.post.record.facets[0].features[0]["$type"]' "$B")" "app.bsky.richtext.facet#mention"

    now=$(date -u +%Y-%m-%dT%H:%M:%S.000Z)
    body=$(jq -nc --arg repo "$BSKY_DID" --arg now "$now" \
        --arg ru "$BSKY_ROOT_URI" --arg rc "$BSKY_ROOT_CID" \
        --arg pu "$BSKY_DEEPEST_URI" --arg pc "$BSKY_DEEPEST_CID" \
        '{repo: $repo, collection: "app.bsky.feed.post", record: {
            "$type": "app.bsky.feed.post", text: "Glad to hear it, Alice — thanks for letting us know. (smoke test)",
            createdAt: $now, langs: ["en"],
            reply: {root: {uri: $ru, cid: $rc}, parent: {uri: $pu, cid: $pc}}}}')
    code=$(curl -s -o "$B" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
        -H 'Content-Type: application/json' -d "$body" "$BSKY_PDS/xrpc/com.atproto.repo.createRecord")
    check "createRecord of a reply (root + parent strong refs) answers 200" eq "$code" 200
    new_uri=$(jq -r '.uri // empty' "$B")
    check "it returns uri and cid" test -n "$new_uri" -a -n "$(jq -r '.cid // empty' "$B")"
    rkey=${new_uri##*/}
    code=$(curl -s -o "$B" -w '%{http_code}' \
        "$BSKY_PDS/xrpc/com.atproto.repo.getRecord?repo=$BSKY_DID&collection=app.bsky.feed.post&rkey=$rkey")
    check "the reply reads back from the PDS with reply.root and reply.parent" \
        eq "$code $(jq -r '"\(.value.reply.root.uri) \(.value.reply.parent.uri)"' "$B")" \
        "200 $BSKY_ROOT_URI $BSKY_DEEPEST_URI"
    seen=""
    i=0
    while [ $i -lt 40 ]; do
        curl -s -o "$B" -H "Authorization: Bearer $TOKEN" \
            "$BSKY_PDS/xrpc/app.bsky.feed.getPosts?uris=$new_uri"
        seen=$(jq -r '.posts[0].record.reply | "\(.root.uri) \(.parent.uri)"' "$B" 2>/dev/null)
        [ "$seen" = "$BSKY_ROOT_URI $BSKY_DEEPEST_URI" ] && break
        i=$((i + 1))
        sleep 0.25
    done
    check "the AppView indexes the reply with reply.root and reply.parent" \
        eq "$seen" "$BSKY_ROOT_URI $BSKY_DEEPEST_URI"
    check "the Bluesky network listens on 127.0.0.1 only" only_loopback \
        "$BSKY_STATE_DIR/net.pgid" "$BSKY_STATE_DIR/redis.pgid"
else
    bad "bluesky-up.sh failed"
fi
sh "$REAL_DIR/bluesky-down.sh" "$BSKY_STATE_DIR" 2>/dev/null
check "bluesky-down.sh stops it" sh -c '! curl -s -o /dev/null --max-time 2 http://127.0.0.1:2583/xrpc/_health'
