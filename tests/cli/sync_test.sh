#!/bin/sh
# tactful sync against the fake Mastodon, Bluesky and WordPress servers: what reaches the
# cache, what the servers received, paging and cursors, failures of every kind, and a kill -9
# in the middle of a sync.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/net_lib.sh"

three_platforms() {
    fake_start '{"tenants": {"m": {"platform": "mastodon", "threads": 2, "replies": 3},
                             "b": {"platform": "bluesky", "threads": 2, "replies": 3},
                             "w": {"platform": "wordpress", "posts": 2, "comments": 3}}}' &&
        account_mastodon m m && account_bluesky b b && account_wordpress w w
}

test_sync_three_platforms() {
    three_platforms || return 1
    expect_status 0 t sync || return 1
    expect_out '^sync: 3 accounts, 0 failed; 6 new threads, 24 new posts, 0 updated$' || return 1
    expect_eq "2 2 2" "$(db_count "select group_concat(n, ' ') from (select count(*) n from threads t join accounts a on a.id = t.account_id group by a.name)")" "threads per account" || return 1
    expect_eq 8 "$(db_count "select count(*) from posts p join accounts a on a.id = p.account_id where a.name = 'b'")" "bluesky posts" || return 1
    # Bluesky: a bsky.app URL for every post, cid kept, the shortened link expanded.
    expect_eq 0 "$(db_count "select count(*) from posts p join accounts a on a.id = p.account_id where a.name = 'b' and (url not like 'https://bsky.app/profile/%/post/%' or meta ->> '\$.cid' is null)")" "bluesky posts without URL or cid" || return 1
    expect_eq 1 "$(db_count "select count(*) from posts where body = 'Root 0: see https://example.org/long/path'")" "expanded facet" || return 1
    # Mastodon: HTML to text, entities decoded, visibility kept.
    expect_eq 1 "$(db_count "select count(*) from posts where body = 'Root 0 about bins & recycling' and meta ->> '\$.visibility' = 'public'")" "mastodon text" || return 1
    # WordPress: the post is the thread's root with the post title as the thread title.
    expect_eq 2 "$(db_count "select count(*) from threads where title like 'Post “1_”' and root_remote_id like 'post-%'")" "wordpress titles" || return 1
    expect_eq 1 "$(db_count "select count(*) from posts where remote_id = '3' and parent_remote_id = '2'")" "wordpress nesting" || return 1
    # What the servers received.
    expect_eq True "$(fake_py "all(e['headers'].get('User-Agent') == 'tactful/0.1.0' for e in log)")" "User-Agent" || return 1
    expect_eq True "$(fake_py "all('Accept-Encoding' in e['headers'] for e in log)")" "Accept-Encoding" || return 1
    expect_eq True "$(fake_py "all(e['headers'].get('Authorization') == 'Bearer tok-m' for e in hits('/m/'))")" "mastodon token" || return 1
    expect_eq True "$(fake_py "all(e['headers'].get('Authorization', '').startswith('Basic ') for e in hits('/w/wp-json/wp/v2'))")" "wordpress basic auth" || return 1
    # A second sync brings nothing new and changes nothing.
    expect_status 0 t sync || return 1
    expect_out '6 new threads|0 new threads, 0 new posts, 0 updated' || return 1
    expect_out '0 new threads, 0 new posts, 0 updated$' || return 1
    expect_eq 24 "$(db_count 'select count(*) from posts')" "posts after two syncs"
}

test_sync_named_account_only() {
    three_platforms || return 1
    expect_status 0 t sync w || return 1
    expect_out '^sync: 1 account, 0 failed; 2 new threads, 8 new posts' || return 1
    expect_eq 0 "$(fake_hits /m/)" "mastodon requests" || return 1
    expect_status 2 t sync nosuch || return 1
    expect_err "no account 'nosuch' in the configuration; the accounts are: m, b, w"
}

test_mastodon_pages_and_min_id_cursor() {
    fake_start '{"tenants": {"m": {"platform": "mastodon", "threads": 30, "replies": 3}}}' &&
        account_mastodon m m || return 1
    expect_status 0 t sync || return 1
    # 90 mentions: the first sync reads back through rel="next" (80 a page) to an empty page.
    expect_eq 3 "$(fake_hits /api/v1/notifications)" "notification pages" || return 1
    expect_eq True "$(fake_py "'max_id=5011' in hits('/api/v1/notifications')[1]['path']")" "rel=next followed" || return 1
    expect_eq 120 "$(db_count 'select count(*) from posts')" "posts" || return 1
    expect_eq '{"min_id":"5090"}' "$(db_count "select cursor from accounts")" "cursor" || return 1
    fake_ctl '{"add_mentions": {"m": 100}, "clear_log": true}' || return 1
    expect_status 0 t sync || return 1
    expect_out '0 new threads, 100 new posts' || return 1
    # Newer pages through min_id and rel="prev", until an empty page.
    expect_eq True "$(fake_py "'min_id=5090' in hits('/api/v1/notifications')[0]['path']")" "first page from the cursor" || return 1
    expect_eq 3 "$(fake_hits /api/v1/notifications)" "pages after the cursor" || return 1
    expect_eq '{"min_id":"5190"}' "$(db_count "select cursor from accounts")" "new cursor" || return 1
    expect_eq 0 "$(db_count 'select count(*) from (select remote_id from posts group by remote_id having count(*) > 1)')" "duplicates"
}

test_bluesky_refresh_and_cursor() {
    fake_start '{"tenants": {"b": {"platform": "bluesky", "threads": 2, "replies": 2, "expire_first": true}}}' &&
        account_bluesky b b || return 1
    expect_status 0 t sync || return 1
    expect_eq 1 "$(fake_hits com.atproto.server.refreshSession)" "refreshes" || return 1
    expect_eq 1 "$(fake_hits com.atproto.server.createSession)" "logins" || return 1
    expect_eq 6 "$(db_count 'select count(*) from posts')" "posts" || return 1
    fake_ctl '{"add_mentions": {"b": 3}, "clear_log": true}' || return 1
    expect_status 0 t sync || return 1
    expect_out '0 new threads, 3 new posts' || return 1
    expect_eq True "$(fake_py "all('reasons=mention&reasons=reply&reasons=quote' in e['path'] for e in hits('listNotifications'))")" "reasons" || return 1
}

test_wordpress_pages_without_pretty_permalinks() {
    fake_start '{"tenants": {"w": {"platform": "wordpress", "posts": 3, "comments": 120, "pretty": false}}}' &&
        account_wordpress w w || return 1
    expect_status 0 t sync || return 1
    expect_eq 363 "$(db_count 'select count(*) from posts')" "posts" || return 1
    expect_eq 4 "$(fake_hits 'rest_route=/wp/v2/comments')" "comment pages (X-WP-TotalPages)" || return 1
    expect_eq True "$(fake_py "all('per_page=100' in e['path'] for e in hits('rest_route=/wp/v2/comments'))")" "per_page" || return 1
    fake_ctl '{"clear_log": true}' || return 1
    expect_status 0 t sync || return 1
    expect_eq True "$(fake_py "all('&after=' in e['path'] for e in hits('rest_route=/wp/v2/comments'))")" "after cursor" || return 1
    expect_out '0 new posts, 0 updated$'
}

test_failing_account_does_not_stop_others() {
    three_platforms || return 1
    export TOK_m=wrong-token
    expect_status 1 t sync || return 1
    expect_err '^tactful: sync of m failed: checking the access token: http://127\.0\.0\.1:[0-9]+ answered HTTP 401: The access token is invalid; check the account.s secret' || return 1
    expect_out '^sync: 3 accounts, 1 failed; 4 new threads, 16 new posts' || return 1
    expect_status 0 t accounts || return 1
    expect_out 'last error: checking the access token: .*HTTP 401' || return 1
    expect_out 'last sync: failed at [0-9]{4}-' || return 1
    expect_out 'last sync: ok at [0-9]{4}-[^,]*, 2 new threads$' || return 1
    expect_eq "" "$(db_count "select cursor from accounts where name = 'm'")" "cursor of the failed account"
}

# The interface's progress stream: a line as each account starts and as it finishes (its
# result, new threads and a reason on one line); the ordinary output is unchanged.
test_progress_fd_lines() {
    three_platforms || return 1
    export TOK_m=wrong-token
    expect_status 1 t sync --progress-fd 3 3>"$WORK/progress" || return 1
    expect_out '^sync: 3 accounts, 1 failed; 4 new threads' || return 1
    expect_eq 3 "$(grep -c '^start	[mbw]$' "$WORK/progress")" "start lines" || return 1
    expect_eq 1 "$(grep -Ec '^done	m	failed	0	checking the access token: .*HTTP 401' "$WORK/progress")" "failed line" || return 1
    expect_eq 2 "$(grep -Ec '^done	[bw]	ok	2	$' "$WORK/progress")" "ok lines" || return 1
    expect_eq 6 "$(wc -l <"$WORK/progress" | tr -d ' ')" "lines in all" || return 1
    expect_status 2 t sync --progress-fd 9 || return 1
    expect_err 'progress-fd needs an open file descriptor' || return 1
    expect_status 2 t sync --progress-fd || return 1
    # Nothing could start: the stream says why, on one line.
    expect_status 2 t sync --progress-fd 3 nosuch 3>"$WORK/progress" || return 1
    expect_eq 1 "$(grep -c "^error	no account 'nosuch' in the configuration" "$WORK/progress")" "error line" || return 1
    # All good now; the account named after the option.
    export TOK_m=tok-m
    expect_status 0 t sync --progress-fd 3 m 3>"$WORK/progress" || return 1
    expect_eq "start	m|done	m	ok	2	|" "$(tr '\n' '|' <"$WORK/progress")" "progress of a good sync"
}

test_500_then_success_is_retried() {
    three_platforms || return 1
    fake_ctl '{"rules": {"m": [{"match": "/api/v1/notifications", "status": 500, "times": 2}]}}' || return 1
    expect_status 0 t sync m || return 1
    # Two 500s, the page, then the empty page that ends the list.
    expect_eq 4 "$(fake_hits /api/v1/notifications)" "attempts" || return 1
    expect_eq True "$(fake_py "hits('/api/v1/notifications')[0]['path'] == hits('/api/v1/notifications')[2]['path']")" "the same request retried" || return 1
    expect_eq 8 "$(db_count 'select count(*) from posts')" "posts"
}

test_persistent_500_gives_up_after_the_retries() {
    three_platforms || return 1
    fake_ctl '{"rules": {"w": [{"match": "/wp/v2/comments", "status": 503, "times": -1, "body": "<html>down</html>"}]}}' || return 1
    TACTFUL_HTTP_RETRIES=2 expect_status 1 t sync || return 1
    expect_eq 3 "$(fake_hits /wp/v2/comments)" "attempts" || return 1
    expect_err 'sync of w failed: reading comments: http://127\.0\.0\.1:[0-9]+ answered HTTP 503 \(not a JSON error; is the url right\?\); the server has a problem, try again later'
}

test_429_honours_retry_after() {
    three_platforms || return 1
    fake_ctl '{"rules": {"b": [{"match": "listNotifications", "status": 429, "times": 1, "headers": {"Retry-After": "1"}, "body": {"error": "RateLimitExceeded", "message": "slow down"}}]}}' || return 1
    start=$(date +%s.%N)
    expect_status 0 t sync b || return 1
    took=$("$PYTHON" -c "import sys; print(float(sys.argv[2]) - float(sys.argv[1]) >= 0.95)" "$start" "$(date +%s.%N)")
    expect_eq True "$took" "waited for Retry-After" || return 1
    expect_eq 2 "$(fake_hits listNotifications)" "attempts"
}

test_429_with_distant_reset_gives_up() {
    three_platforms || return 1
    fake_ctl '{"rules": {"m": [{"match": "/api/v1/notifications", "status": 429, "times": -1, "headers": {"X-RateLimit-Reset": "2099-01-01T00:00:00.000Z"}, "body": {"error": "Too many requests"}}]}}' || return 1
    TACTFUL_HTTP_MAX_WAIT=2 expect_status 1 t sync || return 1
    expect_err 'sync of m failed: reading mentions: http://127\.0\.0\.1:[0-9]+ is rate limiting this account until 2099-01-01 00:00 UTC; try again after that' || return 1
    expect_eq 1 "$(fake_hits /api/v1/notifications)" "requests"
}

test_stalled_server_times_out() {
    three_platforms || return 1
    fake_ctl '{"rules": {"w": [{"match": "/wp/v2/comments", "stall": 20, "times": -1}]}}' || return 1
    start=$(date +%s)
    TACTFUL_HTTP_TIMEOUT=0.5 TACTFUL_HTTP_RETRIES=1 expect_status 1 t sync || return 1
    # Two attempts of 0.5 s; without the timeout the stalls alone would take 40 s.
    [ $(($(date +%s) - start)) -lt 19 ] || fail "the stalled sync took too long" || return 1
    expect_err 'sync of w failed: reading comments: http://127\.0\.0\.1:[0-9]+ did not answer in time' || return 1
    expect_out '3 accounts, 1 failed; 4 new threads' || return 1
    expect_eq 2 "$(fake_hits /wp/v2/comments)" "attempts (one retry)"
}

test_malformed_json_keeps_cursor() {
    three_platforms || return 1
    expect_status 0 t sync m || return 1
    cursor=$(db_count "select cursor from accounts where name = 'm'")
    fake_ctl '{"add_mentions": {"m": 2}, "rules": {"m": [{"match": "/api/v1/notifications", "status": 200, "body": "[{\"id\": \"9\", broken"}]}}' || return 1
    expect_status 1 t sync m || return 1
    expect_err 'sync of m failed: reading mentions: .* answered with something that is not JSON' || return 1
    expect_eq "$cursor" "$(db_count "select cursor from accounts where name = 'm'")" "cursor after a bad page" || return 1
    expect_status 0 t sync m || return 1
    expect_out '2 new posts'
}

test_body_over_the_cap_is_refused() {
    three_platforms || return 1
    fake_ctl '{"rules": {"b": [{"match": "listNotifications", "big": 3000000}]}}' || return 1
    TACTFUL_HTTP_MAX_BODY=100000 expect_status 1 t sync b || return 1
    expect_err 'sync of b failed: reading notifications: the answer from http://127\.0\.0\.1:[0-9]+ is larger than 100000 bytes' || return 1
    expect_eq 0 "$(db_count 'select count(*) from posts')" "posts"
}

test_over_long_post_is_shortened_marked_and_counted() {
    fake_start '{"tenants": {"m": {"platform": "mastodon", "threads": 1, "replies": 2, "long": true}}}' &&
        account_mastodon m m || return 1
    expect_status 0 t sync || return 1
    expect_out '^sync: 1 account, 0 failed; 1 new threads, 3 new posts, 0 updated$' || return 1
    expect_out '^sync: 1 post was longer than the cache keeps, stored shortened and marked \[shortened\]' || return 1
    expect_eq 1 "$(db_count "select count(*) from posts where shortened = 1 and length(cast(body as blob)) = 262144 and body like '@dept Reply 0.0 xxx%'")" "the shortened post" || return 1
    expect_eq 2 "$(db_count "select count(*) from posts where shortened = 0")" "posts kept whole" || return 1
    expect_status 0 t show 1 || return 1
    expect_out '\[shortened\]' || return 1
    # Again: nothing new, nothing shortened again.
    expect_status 0 t sync || return 1
    expect_no_out 'shortened'
}

test_escape_sequences_never_reach_the_terminal() {
    fake_start '{"tenants": {"b": {"platform": "bluesky", "threads": 1, "replies": 2, "evil": true},
                             "m": {"platform": "mastodon", "threads": 1, "replies": 2, "evil": true}}}' &&
        account_bluesky b b && account_mastodon m m || return 1
    expect_status 0 t sync || return 1
    # The cache keeps the raw text; every display shows it defused.
    expect_eq 1 "$(db_count "select count(*) from posts where instr(body, char(27)) > 0")" "raw text in the cache" || return 1
    for id in 1 2; do
        expect_status 0 t show "$id" || return 1
        expect_no_bytes "$WORK/out" 1b || return 1
        expect_no_bytes "$WORK/out" 07 || return 1
    done
    expect_status 0 t list || return 1
    expect_no_bytes "$WORK/out" 1b || return 1
    expect_status 0 t search pwn || return 1
    expect_no_bytes "$WORK/out" 1b || return 1
    expect_status 0 t show "$(thread_of b at://did:plc:bob0test/app.bsky.feed.post/3k00000000002)" || return 1
    expect_out '\^\[\]0;owned\^G' || return 1
    expect_out '<U\+202E>evil'
}

test_offline_refuses_the_network() {
    three_platforms || return 1
    expect_status 1 t --offline sync || return 1
    expect_err 'offline \(--offline\): sync needs the network' || return 1
    expect_status 1 t --offline accounts check || return 1
    expect_err 'offline' || return 1
    expect_status 0 t --offline accounts || return 1
    expect_eq 0 "$(fake_hits /)" "requests while offline"
}

# Two tactful processes on one cache: while the first syncs m (its notifications request held
# by the server), a second skips m, says which process syncs it, and syncs w; once the first
# ends, m is free again.
test_one_syncer_per_account() {
    fake_start '{"tenants": {"m": {"platform": "mastodon", "threads": 2, "replies": 1},
                             "w": {"platform": "wordpress", "posts": 1, "comments": 2}}}' &&
        account_mastodon m m && account_wordpress w w || return 1
    fake_ctl '{"rules": {"m": [{"match": "/api/v1/notifications", "hold": "m", "pass": true, "times": 1}]}}' || return 1
    ${TACTFUL_WRAP:-} "$TACTFUL" sync m >"$WORK/sync1.out" 2>"$WORK/sync1.err" &
    pid=$!
    wait_hits /api/v1/notifications 1 || { kill -9 $pid; return 1; }
    expect_eq "$pid" "$(db_count "select holder_pid from sync_locks where account = 'm'")" "the lock's holder" || { kill -9 $pid; return 1; }
    expect_status 0 t sync || { kill -9 $pid; return 1; }
    expect_err "^tactful: m is being synced by another tactful \\(process $pid, since [0-9:]{8} UTC\\); it was skipped" || { kill -9 $pid; return 1; }
    expect_out '^sync: 2 accounts, 0 failed; 1 new threads, 3 new posts, 0 updated; 1 skipped \(being synced by another tactful\)$' || { kill -9 $pid; return 1; }
    expect_eq 1 "$(fake_hits /api/v1/notifications)" "notification requests while m was held" || { kill -9 $pid; return 1; }
    expect_status 0 t accounts || { kill -9 $pid; return 1; }
    expect_out "^ +syncing now: process $pid on .+ since 20[0-9-]+T[0-9:]+Z$" || { kill -9 $pid; return 1; }
    fake_ctl '{"release": "m"}' || return 1
    wait $pid || fail "the first sync failed: $(cat "$WORK/sync1.err")" || return 1
    grep -Eq '^sync: 1 account, 0 failed; 2 new threads, 4 new posts' "$WORK/sync1.out" || fail "first sync: $(cat "$WORK/sync1.out")" || return 1
    expect_eq 0 "$(db_count 'select count(*) from sync_locks')" "locks left" || return 1
    expect_status 0 t accounts || return 1
    expect_no_out 'syncing now' || return 1
    expect_status 0 t sync || return 1
    expect_out '^sync: 2 accounts, 0 failed; 0 new threads, 0 new posts, 0 updated$'
}

# The servers' rate-limit headers: with most of the budget left nothing is said; once it runs
# below half, the sync says tactful spaced its requests out (Mastodon X-RateLimit-*, Bluesky
# RateLimit-*). The waits themselves are computed by retry_pace_ms (net_http_test).
test_rate_limit_budget_slows_down() {
    fake_start '{"tenants": {"m": {"platform": "mastodon", "threads": 2, "replies": 1,
                                   "ratelimit": {"limit": 300, "remaining": 290, "reset_in": 1}},
                             "b": {"platform": "bluesky", "threads": 1, "replies": 1,
                                   "ratelimit": {"limit": 3000, "remaining": 2900, "reset_in": 1}}}}' &&
        account_mastodon m m && account_bluesky b b || return 1
    expect_status 0 t sync || return 1
    ! grep -q 'spaced' "$WORK/err" || fail "a note with the budget full: $(cat "$WORK/err")" || return 1
    fake_ctl '{"ratelimit": {"m": {"limit": 300, "remaining": 40, "reset_in": 1},
                             "b": {"limit": 3000, "remaining": 12, "reset_in": 1}},
               "add_mentions": {"m": 1, "b": 1}}' || return 1
    expect_status 0 t sync || return 1
    expect_out '^sync: 2 accounts, 0 failed; 0 new threads, 2 new posts' || return 1
    expect_err "^tactful: m: http://127.0.0.1:[0-9]+ allowed only [0-9]+ more of its 300 requests until [0-9:]+ UTC, so tactful spaced its requests out" || return 1
    expect_err "^tactful: b: http://127.0.0.1:[0-9]+ allowed only [0-9]+ more of its 3000 requests"
}

# A Mastodon account's threads are read a few at once: six context requests are held by the
# server together (one at a time would never have two in flight), never a seventh before one
# of them is answered; a thread that cannot be read fails the account and commits nothing.
test_mastodon_threads_read_at_once() {
    fake_start '{"tenants": {"m": {"platform": "mastodon", "threads": 20, "replies": 1}}}' &&
        account_mastodon m m || return 1
    fake_ctl '{"rules": {"m": [{"match": "/context", "hold": "ctx", "pass": true, "times": 6}]}}' || return 1
    ${TACTFUL_WRAP:-} "$TACTFUL" sync >"$WORK/sync1.out" 2>"$WORK/sync1.err" &
    pid=$!
    wait_hits /context 6 || { kill -9 $pid; return 1; }
    expect_eq 0 "$(fake_py "len([e for e in hits('/context') if e.get('done')])")" "contexts answered while held" || { kill -9 $pid; return 1; }
    expect_eq 6 "$(fake_hits /context)" "contexts in flight" || { kill -9 $pid; return 1; }
    fake_ctl '{"release": "ctx"}' || return 1
    wait $pid || fail "the sync failed: $(cat "$WORK/sync1.err")" || return 1
    expect_eq 40 "$(db_count 'select count(*) from posts')" "posts" || return 1
    expect_eq 20 "$(fake_hits /context)" "one context per thread" || return 1
    # One thread's context fails for good: the account fails whole, nothing of it is written.
    fake_ctl '{"add_mentions": {"m": 3}, "rules": {"m": [{"match": "/api/v1/statuses/1002/context", "status": 500, "times": -1}]}}' || return 1
    rm -f "$TACTFUL_DB" "$TACTFUL_DB-wal" "$TACTFUL_DB-shm"
    expect_status 1 t sync || return 1
    expect_err 'sync of m failed' || return 1
    expect_eq 0 "$(db_count 'select count(*) from posts')" "posts after the failure"
}

# Followers-only and direct posts are marked private; an edit reaches the cache with its time
# when the thread is read again, and `show` says both.
test_mastodon_private_and_edited_posts() {
    fake_start '{"tenants": {"m": {"platform": "mastodon", "threads": 1, "replies": 1, "visibility": "private"}}}' &&
        account_mastodon m m || return 1
    expect_status 0 t sync || return 1
    th=$(thread_of m 1002)
    expect_status 0 t show "$th" --json || return 1
    expect_eq "True True" "$(jpy "[p['private'] for p in j['posts_tree']]")" "private posts" || return 1
    expect_eq "None None" "$(jpy "[p['edited_at'] for p in j['posts_tree']]")" "edited before the edit" || return 1
    fake_ctl '{"edit": {"m": {"id": "1001", "content": "<p>Root 0, corrected</p>"}}, "add_mentions": {"m": 1}}' || return 1
    expect_status 0 t sync || return 1
    expect_out '0 new threads, 1 new posts, 1 updated' || return 1
    expect_status 0 t show "$th" --json || return 1
    expect_eq "True" "$(jpy "[p['edited_at'] is not None and p['text'].endswith('corrected') for p in j['posts_tree'] if p['id'] == '1001'][0]")" "the edit" || return 1
    expect_status 0 t show "$th" || return 1
    expect_out ' · edited .*\[private\]$'
}

test_kill_9_mid_sync_then_rerun() {
    fake_start '{"tenants": {"m": {"platform": "mastodon", "threads": 30, "replies": 3},
                             "w": {"platform": "wordpress", "posts": 3, "comments": 120}}}' &&
        account_mastodon m m && account_wordpress w w || return 1
    # WordPress hangs on its third page; Mastodon finishes and commits meanwhile.
    fake_ctl '{"rules": {"w": [{"match": "page=3", "stall": 30, "times": 1}]}}' || return 1
    "$TACTFUL" sync >"$WORK/sync1.out" 2>&1 &
    pid=$!
    wait_hits 'page=3' 1 || { kill -9 $pid; return 1; }
    wait_hits '/context' 30 || { kill -9 $pid; return 1; }
    # Mastodon has read everything; wait until its transaction has committed (a state).
    _i=0
    while [ "$(db_count "select count(*) from posts p join accounts a on a.id = p.account_id where a.name = 'm'")" -lt 120 ]; do
        sleep 0.05
        _i=$((_i + 1))
        [ $_i -lt 2400 ] || { kill -9 $pid; fail "the Mastodon posts were never committed"; return 1; }
    done
    kill -9 $pid
    wait $pid 2>/dev/null || true
    expect_eq 0 "$(db_count "select count(*) from posts p join accounts a on a.id = p.account_id where a.name = 'w'")" "WordPress posts after the kill" || return 1
    m_posts=$(db_count "select count(*) from posts p join accounts a on a.id = p.account_id where a.name = 'm'")
    expect_eq 120 "$m_posts" "Mastodon posts committed before the kill" || return 1
    # The killed process still holds w's lock; it has gone, so the rerun takes the lock over.
    expect_eq 1 "$(db_count "select count(*) from sync_locks where account = 'w'")" "w's lock after the kill" || return 1
    fake_ctl '{"rules": {"w": []}, "add_mentions": {"m": 5}}' || return 1
    expect_status 0 t sync || return 1
    expect_no_out skipped || return 1
    expect_eq 125 "$(db_count "select count(*) from posts p join accounts a on a.id = p.account_id where a.name = 'm'")" "Mastodon posts after the rerun" || return 1
    expect_eq 363 "$(db_count "select count(*) from posts p join accounts a on a.id = p.account_id where a.name = 'w'")" "WordPress posts after the rerun" || return 1
    expect_eq 0 "$(db_count 'select count(*) from (select account_id, remote_id from posts group by 1, 2 having count(*) > 1)')" "duplicates" || return 1
    expect_eq "$(db_count 'select count(*) from posts')" "$(db_count 'select sum(post_count) from threads')" "thread counts" || return 1
    expect_eq ok "$(db_count 'pragma integrity_check')" "integrity"
}

run_tests
