#!/bin/sh
# What changes upstream after a sync, against the fake servers: posts deleted or hidden
# there are kept, marked and never answered (reply, submit and outbox send refuse, a queued
# reply is held); recent threads are read again, so quiet replies, edits and late-approved
# comments arrive; threads the platform would refuse a reply in say so; the outbox list keeps
# the reason a reply could not even be tried.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/net_lib.sh"

BROOT0=at://did:plc:alice0test/app.bsky.feed.post/3k00000000001
BLEAF0=at://did:plc:bob1test/app.bsky.feed.post/3k00000000003
BROOT1=at://did:plc:alice1test/app.bsky.feed.post/3k00000000004
BREPLY1=at://did:plc:bob0test/app.bsky.feed.post/3k00000000005
BLEAF1=at://did:plc:bob1test/app.bsky.feed.post/3k00000000006

test_mastodon_deleted_post_is_kept_marked_and_never_answered() {
    fake_start '{"tenants": {"m": {"platform": "mastodon", "threads": 1, "replies": 2, "recent": true}}}' &&
        account_mastodon m m || return 1
    expect_status 0 t sync || return 1
    th=$(thread_of m 1001)
    id=$(enqueue "$th" 1001 "Thanks, we are on it.") || return 1
    printf 'Thanks for letting us know.\n' >r.txt
    expect_status 0 t reply "$th" --to 1001 --pattern acknowledgement --text-file r.txt || return 1
    fake_ctl '{"delete": {"m": "1001"}, "clear_log": true}' || return 1
    expect_status 0 t sync || return 1
    expect_out '^sync: 1 post was deleted or hidden upstream since the last sync, kept and marked \[deleted\]' || return 1
    expect_eq 1 "$(fake_hits /api/v1/statuses/1001/context)" "the thread read again" || return 1
    expect_eq "Root 0 about bins & recycling|deleted on Mastodon|1" "$(db_count "select body, deleted_reason, deleted_at is not null from posts where remote_id = '1001'")" "kept and marked" || return 1
    expect_status 0 t show "$th" || return 1
    expect_out '\[deleted\]' || return 1
    expect_out '\(deleted on Mastodon, found .*; kept here for the record, it cannot be answered\)' || return 1
    expect_status 0 t show "$th" --json || return 1
    expect_eq "deleted on Mastodon None" "$(jpy "[p['deleted_reason'] for p in j['posts_tree'] if p['id'] in ('1001', '1002')]")" "show --json" || return 1
    # Never answered: a new reply, the draft written before, the queued reply.
    expect_status 1 t reply "$th" --to 1001 --pattern acknowledgement --text-file r.txt || return 1
    expect_err 'the post answered \(1001\) was deleted on Mastodon \(found .*\), so a reply to it cannot be sent' || return 1
    expect_status 1 t submit 1 || return 1
    expect_err 'draft 1 cannot be submitted: the post answered \(1001\) was deleted on Mastodon' || return 1
    expect_status 1 t outbox send || return 1
    expect_err "outbox $id \\(m, thread $th\\) not sent: held, not sent: the post answered \\(1001\\) was deleted on Mastodon" || return 1
    expect_eq "failed 0" "$(db_count "select state || ' ' || attempts from outbox where id = $id")" "held row" || return 1
    expect_eq 0 "$(fake_hits /api/v1/statuses POST)" "posts to the server" || return 1
    expect_status 0 t outbox list || return 1
    expect_out "^ +$id failed " || return 1
    expect_out 'last error: held, not sent: the post answered \(1001\) was deleted on Mastodon' || return 1
    expect_status 0 t audit --thread "$th" --json || return 1
    expect_out '"reply_held"' || return 1
    # Another post of the thread can still be answered; the held reply is not tried again.
    id2=$(enqueue "$th" 1003 "Thanks, Bob.") || return 1
    expect_status 0 t outbox send || return 1
    expect_out '^outbox: 1 sent, 0 found already sent, 0 failed, 0 skipped$' || return 1
    expect_eq 1 "$(fake_hits /api/v1/statuses POST)" "one post to the server" || return 1
    # A thread whose root is gone is not read again.
    fake_ctl '{"clear_log": true}' || return 1
    expect_status 0 t sync || return 1
    expect_eq 0 "$(fake_hits /api/v1/statuses/1001/context)" "the gone thread read again" || return 1
    expect_eq 1 "$(db_count 'select count(*) from posts where deleted_at is not null')" "deleted posts"
}

test_mastodon_recent_threads_read_again() {
    fake_start '{"tenants": {"m": {"platform": "mastodon", "threads": 2, "replies": 1, "recent": true},
                             "o": {"platform": "mastodon", "threads": 2, "replies": 1}}}' &&
        account_mastodon m m && account_mastodon o o || return 1
    expect_status 0 t sync || return 1
    fake_ctl '{"reply_quietly": {"m": "1001"}, "edit": {"m": {"id": "1002", "content": "<p>@dept Reply corrected</p>"}}, "delete": {"m": "1004"}, "clear_log": true}' || return 1
    expect_status 0 t sync || return 1
    expect_out '^sync: 2 accounts, 0 failed; 0 new threads, 1 new posts, 1 updated$' || return 1
    expect_out '^sync: 1 post was deleted' || return 1
    # Both recent threads of m read again, and the reply missing from one looked up; the old
    # threads of o are not read again.
    expect_eq 2 "$(fake_hits /context)" "m's threads read again" || return 1
    expect_eq 1 "$(fake_hits /m/api/v1/statuses/1004)" "the missing reply looked up" || return 1
    expect_eq "deleted on Mastodon" "$(db_count "select deleted_reason from posts where remote_id = '1004' and account_id = (select id from accounts where name = 'm')")" "the deleted reply" || return 1
    expect_eq 0 "$(fake_hits /o/api/v1/statuses/)" "o's old threads read again" || return 1
    th=$(thread_of m 1001)
    expect_eq "$th" "$(db_count "select p.thread_id from posts p join authors a on a.id = p.author_id where a.handle = '@dora@remote.example'")" "the quiet reply, in its thread" || return 1
    # The edit changed the stored text and what search finds.
    expect_eq "@dept Reply corrected" "$(db_count "select body from posts where remote_id = '1002' and account_id = (select id from accounts where name = 'm')")" "edited text" || return 1
    expect_status 0 t search corrected --json || return 1
    expect_eq "$th" "$(jpy "[r['id'] for r in j]")" "search finds the new words" || return 1
    expect_status 0 t search '"0.0"' account:m --json || return 1
    expect_eq "" "$(jpy "[r['id'] for r in j]")" "search forgets the old words" || return 1
    fake_ctl '{"clear_log": true}' || return 1
    expect_status 0 t sync || return 1
    expect_out '0 new threads, 0 new posts, 0 updated$' || return 1
    expect_eq 0 "$(fake_hits /m/api/v1/statuses/1004)" "a deleted reply looked up again"
}

test_mastodon_recheck_is_bounded() {
    fake_start '{"tenants": {"m": {"platform": "mastodon", "threads": 45, "replies": 1, "recent": true}}}' &&
        account_mastodon m m || return 1
    expect_status 0 t sync || return 1
    fake_ctl '{"clear_log": true}' || return 1
    expect_status 0 t sync || return 1
    expect_eq 40 "$(fake_hits /context)" "threads read again" || return 1
    expect_eq 1 "$(fake_hits /api/v1/notifications)" "notification pages"
}

test_bluesky_deleted_edited_and_gated() {
    fake_start '{"tenants": {"b": {"platform": "bluesky", "threads": 2, "replies": 2, "recent": true}}}' &&
        account_bluesky b b || return 1
    expect_status 0 t sync || return 1
    th0=$(thread_of b "$BROOT0")
    fake_ctl "{\"delete\": {\"b\": \"$BLEAF0\"}, \"block\": {\"b\": \"$BLEAF1\"}, \"gate\": {\"b\": \"$BROOT0\"}, \"edit\": {\"b\": {\"id\": \"$BREPLY1\", \"text\": \"Reply corrected @council.test\"}}, \"clear_log\": true}" || return 1
    expect_status 0 t sync || return 1
    expect_out '0 new threads, 0 new posts, 1 updated$' || return 1
    expect_out '^sync: 2 posts were deleted' || return 1
    expect_eq 2 "$(fake_hits app.bsky.feed.getPostThread)" "threads read again" || return 1
    # The deleted reply is left out of its thread: looked up (getPosts) and not found.
    expect_eq 1 "$(fake_hits app.bsky.feed.getPosts)" "missing posts looked up" || return 1
    expect_eq "deleted on Bluesky" "$(db_count "select deleted_reason from posts where remote_id = '$BLEAF0'")" "the deleted reply" || return 1
    expect_eq 1 "$(db_count "select count(*) from posts where remote_id = '$BLEAF1' and deleted_reason like 'hidden on Bluesky by a block%'")" "the blocked reply" || return 1
    expect_eq "Reply corrected @council.test" "$(db_count "select body from posts where remote_id = '$BREPLY1'")" "the edited record" || return 1
    expect_eq 1 "$(db_count "select count(*) from threads where id = $th0 and reply_refused like 'its author limits who can reply on Bluesky (a threadgate)%'")" "the threadgate" || return 1
    expect_eq 0 "$(db_count "select count(*) from threads where id <> $th0 and reply_refused is not null")" "the open thread" || return 1
    printf 'Thanks.\n' >r.txt
    expect_status 1 t reply "$th0" --pattern acknowledgement --text-file r.txt || return 1
    expect_err "thread $th0 does not take replies: its author limits who can reply on Bluesky" || return 1
    expect_status 0 t show "$th0" || return 1
    expect_out '^Replies: refused by the platform \(its author limits' || return 1
    expect_status 0 t show "$th0" --json || return 1
    expect_eq True "$(jpy "j['reply_refused'].startswith('its author limits')")" "show --json" || return 1
    # The gate lifted: replies are taken again.
    fake_ctl '{"set": {"b": {"gated": []}}}' || return 1
    expect_status 0 t sync || return 1
    expect_eq 0 "$(db_count "select count(*) from threads where reply_refused is not null")" "gate lifted"
}

test_wordpress_late_approval_trash_and_closed_comments() {
    fake_start '{"tenants": {"w": {"platform": "wordpress", "posts": 2, "comments": 3, "recent": true}}}' &&
        account_wordpress w w || return 1
    # Comment 8, written two days ago, waits for moderation: not read.
    fake_ctl '{"comment": {"w": {"post": 10, "status": "hold", "ago": 172800}}}' || return 1
    expect_status 0 t sync || return 1
    expect_eq 0 "$(db_count "select count(*) from posts where remote_id = '8'")" "the held comment" || return 1
    th11=$(thread_of w post-11)
    id=$(enqueue "$th11" - "Thanks for your comments.") || return 1
    fake_ctl '{"approve": {"w": 8}, "delete": {"w": 3}, "close": {"w": 11}, "clear_log": true}' || return 1
    expect_status 0 t sync || return 1
    expect_out '0 new threads, 1 new posts' || return 1
    expect_eq "Held comment|" "$(db_count "select body, deleted_at from posts where remote_id = '8'")" "approved late, read in" || return 1
    expect_eq "moved to the trash on WordPress" "$(db_count "select deleted_reason from posts where remote_id = '3'")" "the trashed comment" || return 1
    for s in hold spam trash; do
        expect_eq 1 "$(fake_hits "status=$s")" "comments in $s read" || return 1
    done
    expect_eq "comments are closed on the WordPress post" "$(db_count "select reply_refused from threads where id = $th11")" "closed post" || return 1
    expect_eq "" "$(db_count "select reply_refused from threads where root_remote_id = 'post-10'")" "open post" || return 1
    expect_status 1 t outbox send || return 1
    expect_err "held, not sent: thread $th11 does not take replies: comments are closed on the WordPress post" || return 1
    expect_eq 0 "$(fake_hits /wp/v2/comments POST)" "comments posted"
}

test_outbox_list_keeps_why_a_reply_waits() {
    fake_start '{"tenants": {"m": {"platform": "mastodon", "threads": 1, "replies": 1}}}' &&
        account_mastodon m m || return 1
    expect_status 0 t sync || return 1
    id=$(enqueue "$(thread_of m 1002)" 1002 "We will look into it.") || return 1
    : >"$TACTFUL_CONFIG"
    expect_status 1 t outbox send || return 1
    expect_err "account m is not in the configuration any more" || return 1
    expect_status 0 t outbox list || return 1
    expect_out "^ +$id queued +0 m " || return 1
    expect_out 'last error: account m is not in the configuration any more; add it back to send its replies' || return 1
    expect_status 0 t outbox list --json || return 1
    expect_eq "queued 0 True" "$(jpy "[j[0]['state'], j[0]['attempts'], j[0]['last_error'].startswith('account m is not in the configuration')]")" "json" || return 1
    expect_eq 0 "$(fake_hits /api/v1/statuses POST)" "posts to the server"
}

run_tests
