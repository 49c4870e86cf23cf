#!/bin/sh
# What a post carries besides its text, synced from the fake Mastodon and Bluesky servers:
# content warnings, labels, media with their alt text (or none), quoted posts and link cards,
# hostile and huge strings among them; how `tactful show` and --json show them; and a reply
# carrying the content warning (Mastodon's spoiler_text) and the visibility of the post it
# answers.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/net_lib.sh"

# synced_extras: both servers with their extras (tests/fake/server.py add_extras), synced.
synced_extras() {
    fake_start '{"tenants": {"m": {"platform": "mastodon", "threads": 2, "replies": 2, "extras": true},
                             "b": {"platform": "bluesky", "threads": 2, "replies": 2, "extras": true}}}' &&
        account_mastodon m m && account_bluesky b b || return 1
    expect_status 0 t sync || return 1
    fake_ctl '{"clear_log": true}'
}

# post_json ACCOUNT REMOTE_ID EXPRS: the comma-separated expressions, with p bound to that post
# of `tactful show --json`, printed space-separated.
post_json() {
    expect_status 0 t show "$(thread_of "$1" "$2")" --json || return 1
    jpy "(lambda p: [$3])([p for p in j['posts_tree'] if p['id'] == '$2'][0])"
}

test_mastodon_cw_media_card_quote() {
    synced_extras || return 1
    # The meta keeps the visibility beside the extras, under the cache's limit for it.
    expect_eq "public 0" "$(db_count "select meta ->> '\$.visibility' || ' ' || (length(meta) > 12288) from posts where remote_id = '1001'")" "meta of the root" || return 1
    expect_eq "$(printf 'Council tax \033[31mrates\033[0m')" "$(db_count "select meta ->> '\$.cw' from posts where remote_id = '1001'")" "cw kept raw" || return 1
    expect_eq "['sensitive'] 5 4" "$(post_json m 1001 "p['extras']['labels'], p['extras']['media_total'], len(p['extras']['media'])")" "labels and media" || return 1
    expect_eq "A bin overflowing onto the pavement|None" "$(post_json m 1001 "'|'.join(str(m['alt']) for m in p['extras']['media'][:2])")" "alt texts" || return 1
    # A huge hostile alt text is cut to 1,000 characters, ending in an ellipsis.
    expect_eq "1000 True" "$(post_json m 1001 "len(p['extras']['media'][2]['alt']), p['extras']['media'][2]['alt'].endswith('…')")" "huge alt" || return 1
    expect_eq "news.example.org|https://news.example.org/bins?day=1" "$(post_json m 1001 "p['extras']['card']['host'] + '|' + p['extras']['card']['url']")" "card" || return 1
    expect_eq "@alice1@remote.example|Root 1 about bins & recycling" "$(post_json m 1002 "p['extras']['quote']['author'] + '|' + p['extras']['quote']['text']")" "quote" || return 1
    expect_status 0 t show "$(thread_of m 1001)" || return 1
    expect_out '^  CW: Council tax \^\[\[31mrates\^\[\[0m$' || return 1
    expect_out '^  Labels: sensitive$' || return 1
    expect_out '^  Media 1/5, image: alt "A bin overflowing onto the pavement"$' || return 1
    expect_out '^  Media 2/5, image: no description$' || return 1
    expect_out '^  Media 3/5, video: alt "pwn \^\[\]0;owned\^G .*<U\+202E>A+…"$' || return 1
    expect_out '^  … and 1 more attachment$' || return 1
    expect_out '^  Link: Bin day changes \^\[\]0;owned\^G · news\.example\.org$' || return 1
    expect_out '^    From March, collections move to Thursdays\.$' || return 1
    expect_out '^      Quoting @alice1@remote\.example: Root 1 about bins & recycling$' || return 1
    expect_out '^        https://remote\.example/@alice1/1004$' || return 1
    expect_no_bytes "$WORK/out" 1b || return 1
    expect_no_bytes "$WORK/out" 07
}

test_bluesky_labels_images_quote_card() {
    synced_extras || return 1
    root=at://did:plc:alice0test/app.bsky.feed.post/3k00000000001
    r0=at://did:plc:bob0test/app.bsky.feed.post/3k00000000002
    r1=at://did:plc:bob1test/app.bsky.feed.post/3k00000000003
    expect_eq "['graphic-media'] 3" "$(post_json b "$root" "p['extras']['labels'], p['extras']['media_total']")" "labels and images" || return 1
    expect_eq "Flooded underpass on Mill Road|None" "$(post_json b "$root" "'|'.join(str(m['alt']) for m in p['extras']['media'][:2])")" "alt texts" || return 1
    expect_eq "@alice1.test|https://bsky.app/profile/alice1.test/post/3k00000000004|1" "$(post_json b "$r0" "p['extras']['quote']['author'] + '|' + p['extras']['quote']['url'] + '|' + str(p['extras']['media_total'])")" "quote with media" || return 1
    expect_eq "Roadworks map|www.example.gov.uk" "$(post_json b "$r1" "p['extras']['card']['title'] + '|' + p['extras']['card']['host']")" "link card" || return 1
    expect_status 0 t show "$(thread_of b "$root")" || return 1
    expect_out '^  Labels: graphic-media$' || return 1
    expect_out '^  Media 2/3, image: no description$' || return 1
    expect_out '^      Quoting @alice1\.test: Root 1: see example\.org/lon\.\.\.$' || return 1
    expect_out '^        Link: Roadworks map · www\.example\.gov\.uk$' || return 1
    expect_out '^          Closures this week <U\+202E>evil$' || return 1
    expect_no_bytes "$WORK/out" 1b || return 1
    expect_status 0 t show "$(thread_of b at://did:plc:alice1test/app.bsky.feed.post/3k00000000004)" || return 1
    expect_out 'Quoting a post that cannot be shown: deleted$'
}

test_huge_extras_keep_the_meta() {
    # Every alt text escapes to six bytes a character in JSON: too much for the meta, so the
    # extras are shortened and the visibility kept with them.
    fake_start '{"tenants": {"m": {"platform": "mastodon", "threads": 2, "replies": 2, "extras": "huge"}}}' &&
        account_mastodon m m || return 1
    expect_status 0 t sync || return 1
    expect_eq "public 1 4" "$(db_count "select meta ->> '\$.visibility' || ' ' || (length(meta) <= 12288) || ' ' || json_array_length(meta, '\$.media') from posts where remote_id = '1001'")" "meta kept" || return 1
    expect_eq 0 "$(db_count "select count(*) from posts where meta is null")" "posts without meta"
}

test_reply_carries_cw_and_mastodon_sends_spoiler_text() {
    synced_extras || return 1
    th=$(thread_of m 1001)
    printf 'We have asked the team to look at this.\n' >r.txt
    expect_status 0 t reply "$th" --to 1001 --pattern acknowledgement --text-file r.txt || return 1
    expect_out "^it starts with the post's content warning \(\"CW: Council tax \[31mrates\[0m\"\)" || return 1
    expect_status 0 t drafts --json || return 1
    expect_eq "CW: Council tax [31mrates[0m

We have asked the team to look at this." "$(jpy 'j[0]["body"]')" "draft body" || return 1
    expect_status 0 t submit 1 || return 1
    expect_status 0 t outbox send || return 1
    expect_eq "Council tax [31mrates[0m|@alice0@remote.example We have asked the team to look at this.|public" "$(fake_py "'|'.join(body(hits('/api/v1/statuses', 'POST')[0])[k] for k in ('spoiler_text', 'status', 'visibility'))")" "what Mastodon received" || return 1
    # Our reply comes back with its warning.
    expect_eq 1 "$(db_count "select count(*) from posts where own = 1 and meta ->> '\$.cw' = 'Council tax [31mrates[0m'")" "our reply's cw" || return 1
    # The officer changes the warning, or empties it: none is sent.
    printf 'CW: Bins\n\nA second answer.\n' >r2.txt
    expect_status 0 t reply "$th" --to 1001 --pattern acknowledgement --text-file r2.txt --submit || return 1
    printf 'CW:\n\nA third answer.\n' >r3.txt
    expect_status 0 t reply "$th" --to 1001 --pattern acknowledgement --text-file r3.txt --submit || return 1
    expect_status 0 t outbox send || return 1
    expect_eq "Bins|None" "$(fake_py "'|'.join(str(body(e).get('spoiler_text')) for e in hits('/api/v1/statuses', 'POST')[1:])")" "edited and emptied" || return 1
    expect_eq "@alice0@remote.example A third answer." "$(fake_py "body(hits('/api/v1/statuses', 'POST')[2])['status']")" "no CW line in the text"
}

test_reply_keeps_private_visibility() {
    synced_extras || return 1
    # Thread 1 is followers-only and its last reply a direct message (1006).
    th=$(thread_of m 1006)
    id=$(enqueue "$th" 1005 "Followers-only answer.") || return 1
    id2=$(enqueue "$th" 1006 "Direct answer.") || return 1
    # A post whose visibility is not known is answered as narrowly as can be.
    db_count "update posts set meta = null where remote_id = '1004'" >/dev/null
    id3=$(enqueue "$th" 1004 "Unknown answer.") || return 1
    expect_status 0 t outbox send || return 1
    expect_eq "private direct direct" "$(fake_py "[body(e)['visibility'] for e in hits('/api/v1/statuses', 'POST')]")" "visibilities" || return 1
    expect_status 0 t show "$th" || return 1
    expect_out '\[private\]'
}

run_tests
