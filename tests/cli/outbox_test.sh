#!/bin/sh
# tactful outbox against the fake servers: what each platform receives for a reply, failures
# that stay queued, and at-most-once delivery when tactful is killed between the request and
# recording its answer.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/net_lib.sh"

# synced TENANTS_JSON ACCOUNT_FUNCTION...: starts the server, configures, syncs.
synced() {
    fake_start "$1" || return 1
    shift
    for a in "$@"; do $a || return 1; done
    t sync >/dev/null 2>"$WORK/sync.err" || fail "sync: $(cat "$WORK/sync.err")" || return 1
    fake_ctl '{"clear_log": true}'
}

test_mastodon_reply_keeps_visibility_and_sends_key() {
    synced '{"tenants": {"m": {"platform": "mastodon", "threads": 1, "replies": 2, "visibility": "private"}}}' \
        "account_mastodon m m" || return 1
    printf 'language = en-GB\n' >>"$TACTFUL_CONFIG"
    th=$(thread_of m 1003)
    id=$(enqueue "$th" 1003 "Thanks, we have passed this to the crew.") || return 1
    expect_status 0 t outbox list || return 1
    expect_out "^ +$id queued +0 m " || return 1
    expect_status 0 t outbox send || return 1
    expect_out "^outbox $id \\(m, thread $th\\): sent as https://remote.example/@dept/" || return 1
    expect_out '^outbox: 1 sent, 0 found already sent, 0 failed, 0 skipped$' || return 1
    key=$(db_count "select idempotency_key from outbox where id = $id")
    expect_eq "$key" "$(fake_py "hits('/api/v1/statuses', 'POST')[0]['headers']['Idempotency-Key']")" "Idempotency-Key" || return 1
    expect_eq "private 1003 en" "$(fake_py "[body(hits('/api/v1/statuses', 'POST')[0])[k] for k in ('visibility', 'in_reply_to_id', 'language')]")" "visibility, parent and language" || return 1
    expect_eq "@bob1@remote.example Thanks, we have passed this to the crew." "$(fake_py "body(hits('/api/v1/statuses', 'POST')[0])['status']")" "mention added" || return 1
    expect_eq "sent 1" "$(db_count "select state || ' ' || attempts from outbox where id = $id")" "row" || return 1
    expect_eq replied "$(db_count "select state from threads where id = $th")" "thread state" || return 1
    expect_eq 1 "$(db_count "select count(*) from posts where own = 1 and parent_remote_id = '1003' and thread_id = $th")" "our reply in the cache" || return 1
    expect_status 0 t audit --thread "$th" --json || return 1
    expect_eq "reply_queued reply_sent" "$(jpy '[e["action"] for e in j]')" "audit" || return 1
    # Nothing left to send.
    expect_status 0 t outbox send || return 1
    expect_out '^outbox: 0 sent' || return 1
    expect_eq 1 "$(fake_hits /api/v1/statuses POST)" "posts to the server"
}

test_failure_stays_queued_then_sends_once() {
    synced '{"tenants": {"m": {"platform": "mastodon", "threads": 1, "replies": 1}}}' \
        "account_mastodon m m" || return 1
    th=$(thread_of m 1002)
    id=$(enqueue "$th" 1002 "We will look into it.") || return 1
    fake_ctl '{"rules": {"m": [{"match": "POST /api/v1/statuses", "status": 422, "times": 1, "body": {"error": "Validation failed: Text character limit of 5 exceeded"}}]}}' || return 1
    expect_status 1 t outbox send || return 1
    expect_err "outbox $id \\(m, thread $th\\) not sent: sending the reply: .*HTTP 422: Validation failed" || return 1
    expect_eq "queued 1" "$(db_count "select state || ' ' || attempts from outbox where id = $id")" "row after the failure" || return 1
    expect_status 0 t outbox list || return 1
    expect_out 'last error: sending the reply: .*HTTP 422' || return 1
    expect_status 0 t outbox list --json || return 1
    expect_eq "queued 1" "$(jpy '[j[0]["state"], j[0]["attempts"]]')" "json" || return 1
    # The next run looks for the reply first (it was tried before), then sends it.
    expect_status 0 t outbox send || return 1
    expect_eq "sent 2" "$(db_count "select state || ' ' || attempts from outbox where id = $id")" "row" || return 1
    expect_eq 1 "$(fake_hits '/api/v1/statuses/1002/context')" "looked for an earlier attempt" || return 1
    expect_eq 2 "$(fake_hits /api/v1/statuses POST)" "POSTs (one refused)"
}

test_reply_too_long_is_refused_before_sending() {
    synced '{"tenants": {"m": {"platform": "mastodon", "threads": 1, "replies": 1, "max_characters": 30}}}' \
        "account_mastodon m m" || return 1
    id=$(enqueue "$(thread_of m 1002)" 1002 "This reply is certainly longer than thirty characters.") || return 1
    expect_status 1 t outbox send || return 1
    expect_err 'the server allows 30, so shorten it' || return 1
    expect_eq 0 "$(fake_hits /api/v1/statuses POST)" "POSTs"
}

test_bluesky_reply_strong_refs_facets_langs() {
    synced '{"tenants": {"b": {"platform": "bluesky", "threads": 1, "replies": 2}}}' \
        "account_bluesky b b" || return 1
    printf 'language = en-GB\n' >>"$TACTFUL_CONFIG"
    parent=at://did:plc:bob1test/app.bsky.feed.post/3k00000000003
    root=at://did:plc:alice0test/app.bsky.feed.post/3k00000000001
    th=$(thread_of b "$parent")
    id=$(enqueue "$th" "$parent" "Thanks @bob1.test, see https://council.example/bins for dates.") || return 1
    expect_status 0 t outbox send || return 1
    expect_out "sent as https://bsky.app/profile/council.test/post/" || return 1
    rec="body(hits('createRecord')[0])['record']"
    expect_eq "$root $parent" "$(fake_py "[$rec['reply']['root']['uri'], $rec['reply']['parent']['uri']]")" "root and parent" || return 1
    expect_eq True "$(fake_py "all($rec['reply'][k]['cid'].startswith('bafy') for k in ('root', 'parent'))")" "cids" || return 1
    expect_eq "en-GB" "$(fake_py "$rec['langs']")" "langs" || return 1
    # The link goes in the short form the Bluesky app shows, its facet to the whole address.
    expect_eq "Thanks @bob1.test, see council.example/bins for dates." "$(fake_py "$rec['text']")" "text" || return 1
    # Facets: UTF-8 byte offsets of the link and the resolved mention.
    expect_eq "app.bsky.richtext.facet#mention:7:17:did:plc:bob1test app.bsky.richtext.facet#link:23:43:https://council.example/bins" \
        "$(fake_py "[f['features'][0]['\$type'] + ':%d:%d:' % (f['index']['byteStart'], f['index']['byteEnd']) + f['features'][0].get('did', f['features'][0].get('uri', '')) for f in $rec['facets']]")" "facets" || return 1
    rkey=$(fake_py "body(hits('createRecord')[0])['rkey']")
    expect_eq 13 "${#rkey}" "record key (a TID)" || return 1
    expect_eq 1 "$(db_count "select count(*) from posts where own = 1 and meta ->> '\$.root.uri' = '$root'")" "our reply cached with its root"
}

test_bluesky_reply_over_300_graphemes_refused() {
    synced '{"tenants": {"b": {"platform": "bluesky", "threads": 1, "replies": 1}}}' \
        "account_bluesky b b" || return 1
    parent=at://did:plc:bob0test/app.bsky.feed.post/3k00000000002
    long=$("$PYTHON" -c 'print("é" * 301)')
    enqueue "$(thread_of b "$parent")" "$parent" "$long" >/dev/null || return 1
    expect_status 1 t outbox send || return 1
    expect_err 'the reply is 301 characters \(602 bytes\); Bluesky allows 300 characters' || return 1
    expect_eq 0 "$(fake_hits createRecord)" "createRecord calls"
}

test_wordpress_reply_parent() {
    synced '{"tenants": {"w": {"platform": "wordpress", "posts": 1, "comments": 2}}}' \
        "account_wordpress w w" || return 1
    th=$(thread_of w 3)
    a=$(enqueue "$th" 3 "Thanks for asking, it's on the map.") || return 1
    b=$(enqueue "$th" - "A note for everyone on this post.") || return 1
    expect_status 0 t outbox send || return 1
    expect_eq "10:3 10:0" "$(fake_py "['%d:%d' % (body(e)['post'], body(e)['parent']) for e in hits('/wp/v2/comments', 'POST')]")" "post and parent" || return 1
    expect_eq "sent sent" "$(db_count "select group_concat(state, ' ') from outbox")" "rows" || return 1
    expect_eq 2 "$(db_count "select count(*) from posts where own = 1 and parent_remote_id in ('3', 'post-10')")" "our comments cached"
}

# kill_during_post PATTERN: runs `outbox send` in the background, waits until the server is
# holding a POST whose path has PATTERN (a "hold" rule named "post" with "pass": true), kills
# tactful with -9, lets the server act on the request and waits until it has.
kill_during_post() {
    "$TACTFUL" outbox send >"$WORK/send1.out" 2>&1 &
    pid=$!
    wait_hits "$1" 1 POST || { kill -9 $pid; return 1; }
    kill -9 $pid
    wait $pid 2>/dev/null || true
    fake_ctl '{"release": "post"}' || return 1
    _i=0
    while [ "$(fake_py "len([e for e in hits('$1', 'POST') if e.get('done')])")" -lt 1 ]; do
        sleep 0.05
        _i=$((_i + 1))
        [ $_i -lt 2400 ] || { fail "the server never finished the POST for $1"; return 1; }
    done
}

test_at_most_once_bluesky_after_kill() {
    synced '{"tenants": {"b": {"platform": "bluesky", "threads": 1, "replies": 1}}}' \
        "account_bluesky b b" || return 1
    parent=at://did:plc:bob0test/app.bsky.feed.post/3k00000000002
    id=$(enqueue "$(thread_of b "$parent")" "$parent" "Sorry about that, fixing it today.") || return 1
    fake_ctl '{"rules": {"b": [{"match": "createRecord", "hold": "post", "pass": true, "times": 1}]}}' || return 1
    kill_during_post createRecord || return 1
    expect_eq "sending 1" "$(db_count "select state || ' ' || attempts from outbox where id = $id")" "row after the kill" || return 1
    expect_status 0 t outbox list || return 1
    expect_out "^ +$id in-doubt" || return 1
    expect_status 0 t outbox send || return 1
    expect_out "already posted by an earlier attempt, recorded as https://bsky.app/profile/council.test/post/" || return 1
    expect_eq 1 "$(fake_hits createRecord)" "createRecord calls" || return 1
    expect_eq 1 "$(fake_hits com.atproto.repo.getRecord)" "looked for it" || return 1
    expect_eq sent "$(db_count "select state from outbox where id = $id")" "row"
}

test_at_most_once_wordpress_after_kill() {
    synced '{"tenants": {"w": {"platform": "wordpress", "posts": 1, "comments": 2}}}' \
        "account_wordpress w w" || return 1
    id=$(enqueue "$(thread_of w 3)" 3 "We're sorry, it's fixed now.") || return 1
    fake_ctl '{"rules": {"w": [{"match": "POST /wp-json/wp/v2/comments", "hold": "post", "pass": true, "times": 1}]}}' || return 1
    kill_during_post 'wp/v2/comments' || return 1
    expect_status 0 t outbox send || return 1
    expect_out "already posted by an earlier attempt" || return 1
    expect_eq 1 "$(fake_hits /wp/v2/comments POST)" "comment POSTs" || return 1
    expect_eq True "$(fake_py "'author=7' in hits('/wp/v2/comments', 'GET')[-1]['path'] or 'author=7' in hits('/wp/v2/comments', 'GET')[-2]['path']")" "looked for our own comments" || return 1
    expect_eq sent "$(db_count "select state from outbox where id = $id")" "row"
}

test_at_most_once_mastodon_after_kill() {
    synced '{"tenants": {"m": {"platform": "mastodon", "threads": 1, "replies": 1}}}' \
        "account_mastodon m m" || return 1
    id=$(enqueue "$(thread_of m 1002)" 1002 "Thank you, passed on.") || return 1
    fake_ctl '{"rules": {"m": [{"match": "POST /api/v1/statuses", "hold": "post", "pass": true, "times": 1}]}}' || return 1
    kill_during_post '/api/v1/statuses' || return 1
    expect_status 0 t outbox send || return 1
    expect_out "already posted by an earlier attempt" || return 1
    expect_eq 1 "$(fake_hits /api/v1/statuses POST)" "status POSTs"
}

test_mastodon_idempotency_key_when_context_lags() {
    # The server's thread view does not show the new reply yet: the resend carries the same
    # Idempotency-Key, and the server answers with the status it already made.
    synced '{"tenants": {"m": {"platform": "mastodon", "threads": 1, "replies": 1, "context_lag": true}}}' \
        "account_mastodon m m" || return 1
    id=$(enqueue "$(thread_of m 1002)" 1002 "Thank you, passed on.") || return 1
    fake_ctl '{"rules": {"m": [{"match": "POST /api/v1/statuses", "hold": "post", "pass": true, "times": 1}]}}' || return 1
    kill_during_post '/api/v1/statuses' || return 1
    expect_status 0 t outbox send || return 1
    expect_out "sent as" || return 1
    expect_eq 2 "$(fake_hits /api/v1/statuses POST)" "status POSTs" || return 1
    expect_eq True "$(fake_py "len({e['headers']['Idempotency-Key'] for e in hits('/api/v1/statuses', 'POST')}) == 1")" "one key for both" || return 1
    expect_eq 1 "$(db_count "select count(*) from posts where own = 1")" "our posts in the cache"
}

test_offline_outbox() {
    synced '{"tenants": {"m": {"platform": "mastodon", "threads": 1, "replies": 1}}}' \
        "account_mastodon m m" || return 1
    enqueue "$(thread_of m 1002)" 1002 "Thanks." >/dev/null || return 1
    before=$(fake_hits /)
    expect_status 1 t --offline outbox send || return 1
    expect_err 'offline \(--offline\): sending replies needs the network, so nothing was sent' || return 1
    expect_status 0 t --offline outbox list || return 1
    expect_out 'queued' || return 1
    expect_eq "$before" "$(fake_hits /)" "requests while offline" || return 1
    expect_eq queued "$(db_count 'select state from outbox')" "row"
}

test_no_command_posts_arbitrary_text() {
    expect_status 2 t outbox send "hello world" || return 1
    expect_status 2 t outbox add 1 "hello" || return 1
    expect_status 2 t outbox send --json || return 1
    expect_err 'json goes with list, not send' || return 1
    expect_status 2 t outbox list --bogus || return 1
    expect_err "unknown option '--bogus'" || return 1
    expect_status 0 t outbox --json || return 1
    expect_out '^\[\]$' || return 1
    expect_status 0 t outbox || return 1
    expect_out 'The outbox is empty'
}

run_tests
