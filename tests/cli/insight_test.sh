#!/bin/sh
# Insight: posts marked as opinions on a topic, the topics list, and the digest (Markdown, CSV,
# JSON) with its counts by stance and platform, its period, and its quotes, none of which may
# carry a phone number, e-mail address or NI number unless the officer overrode the check.
. "$(dirname "$0")/lib.sh"

TOPIC='Station Road cycle lane'

# pii_posts: imports three posts from the public that carry personal data (a mobile number,
# an e-mail address written out, an NI number) and one clean one, on two platforms; prints
# nothing. Their threads are found with thread_of.
pii_posts() {
    cat >"$WORK/pii.jsonl" <<'EOF'
{"platform":"mastodon","account":"m","thread":"p1","id":"p1","author":"@jo@x.example","author_name":"Jo","created_at":"2026-11-20T10:00:00Z","text":"The lane is dangerous, ring me on 07700 900123 any time","url":"https://x.example/@jo/1"}
{"platform":"mastodon","account":"m","thread":"p2","id":"p2","author":"@al@x.example","author_name":"Al","created_at":"2026-11-21T10:00:00Z","text":"Against it. Write to al.jones@gmail.com with the plans [link](javascript:x) <b>","url":"https://x.example/@al/2"}
{"platform":"bluesky","account":"b","thread":"p3","id":"p3","author":"kim.bsky.example","author_name":"Kim","created_at":"2026-11-22T10:00:00Z","text":"My NI number is QQ 12 34 56 C, I was refused a permit for the lane works","url":"https://bsky.example/profile/kim/post/3"}
{"platform":"bluesky","account":"b","thread":"p4","id":"p4","author":"lee.bsky.example","author_name":"Lee","created_at":"2026-11-23T10:00:00Z","text":"=cmd|' /C calc'!A0 Love the lane, but what about the crossing?","url":"https://bsky.example/profile/lee/post/4"}
EOF
    t import "$WORK/pii.jsonl" >/dev/null 2>&1
}

# thread_of REMOTE: the cache's thread id for the thread whose root has remote id REMOTE.
thread_of() {
    t list --json >"$WORK/list.json" &&
        "$PYTHON" -c "import json,sys; print([x['id'] for x in json.load(open(sys.argv[1])) if x['thread'] == sys.argv[2]][0])" \
            "$WORK/list.json" "$1"
}

# no_personal_data FILE: fails when FILE holds any of the personal data in pii_posts.
no_personal_data() {
    ! grep -Eq '07700 ?900 ?123|al\.jones@gmail\.com|QQ ?12 ?34 ?56 ?C' "$1" ||
        fail "the digest leaks personal data: $(grep -E '07700|gmail|QQ' "$1" | head -3)"
}

test_add_list_topics_and_remove() {
    import_demo || return 1
    expect_status 0 t insight add 3 --topic "$TOPIC" --stance for --quote || return 1
    expect_out "^thread 3: marked as an opinion on $TOPIC$" || return 1
    expect_status 0 t insight add 4 --topic "$TOPIC" --stance against || return 1
    expect_status 0 t insight add 5 --topic 'Library hours' --stance question || return 1
    expect_status 0 t insight topics --json || return 1
    expect_eq "$TOPIC 2" "$(jpy 'j[0]["topic"] + " " + str(j[0]["posts"])')" "topics, most first" || return 1
    expect_eq "Library hours 1" "$(jpy 'j[1]["topic"] + " " + str(j[1]["posts"])')" "second topic" || return 1
    # Marking again replaces the mark rather than adding one.
    expect_status 0 t insight add 4 --topic "$TOPIC" --stance mixed || return 1
    expect_status 0 t insight "$TOPIC" --json || return 1
    expect_eq "2 1 0 1 0" "$(jpy '[j["posts_marked"], j["stances"]["for"], j["stances"]["against"], j["stances"]["mixed"], j["stances"]["question"]]')" "counts after a re-mark" || return 1
    expect_status 0 t insight remove 4 --topic "$TOPIC" || return 1
    expect_out 'mark on .* removed' || return 1
    expect_status 0 t insight remove 4 --topic "$TOPIC" || return 1
    expect_out 'no mark on' || return 1
    expect_status 0 t audit --json || return 1
    expect_eq "insight insight insight insight insight-remove" \
        "$(jpy '[e["action"] for e in j]')" "audited" || return 1
}

test_digest_counts_period_and_quotes() {
    import_demo || return 1
    pii_posts
    p4=$(thread_of p4)
    expect_status 0 t insight add 3 --topic "$TOPIC" --stance for --quote || return 1
    expect_status 0 t insight add "$p4" --topic "$TOPIC" --stance question --quote --name-author || return 1
    expect_status 0 t insight "$TOPIC" || return 1
    expect_out "^# Insight: $TOPIC$" || return 1
    expect_out '^Period covered: 2026-11-08 to 2026-11-23\. Posts marked: 2\.$' || return 1
    expect_out '^\| for \| 1 \|$' || return 1
    expect_out '^\| question \| 1 \|$' || return 1
    expect_out '^\| mastodon \| 1 \|$' || return 1
    expect_out '^\| bluesky \| 1 \|$' || return 1
    expect_out '^> @sam Good shout' || return 1
    # The author is named only where the officer chose to, and a link that would name them
    # (Mastodon's /@user/ addresses) is left out otherwise.
    expect_out '^for, mastodon, 2026-11-08, thread 3$' || return 1
    expect_out 'question, bluesky, 2026-11-23, by lee\.bsky\.example, thread [0-9]+, \[link\]\(https://bsky\.example/profile/lee/post/4\)' || return 1
    expect_no_out 'sam@mstdn|kevp' || return 1
    # --since and --until narrow the period.
    expect_status 0 t insight "$TOPIC" --since 2026-11-20 --until 2026-12-01 || return 1
    expect_out 'Period covered: 2026-11-20 to 2026-12-01\. Posts marked: 1\.' || return 1
    t import "$DEMO" >/dev/null 2>&1
    wp=$(t list --json --platform wordpress | "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
    expect_status 0 t insight add "$wp" --topic "$TOPIC" --quote || return 1
    expect_status 0 t insight "$TOPIC" || return 1
    expect_out "stance not said, wordpress, .*, thread $wp, \\[link\\]\\(https://" || return 1
    # CSV: a formula-looking quote is kept as text.
    expect_status 0 t insight "$TOPIC" --format csv || return 1
    expect_out '^topic,stance,platform,account,thread,posted_at,url,author,quote,quote_status' || return 1
    expect_out "\"'=cmd\|" || return 1
    expect_eq 4 "$(wc -l <"$WORK/out" | tr -d ' ')" "CSV lines" || return 1
}

test_digest_never_leaks_personal_data() {
    pii_posts
    for r in p1 p2 p3; do
        expect_status 0 t insight add "$(thread_of $r)" --topic "$TOPIC" --stance against --quote || return 1
        expect_out 'withheld from digests' || return 1
    done
    expect_status 0 t insight add "$(thread_of p4)" --topic "$TOPIC" --quote || return 1
    for f in markdown csv json; do
        expect_status 0 t insight "$TOPIC" --format "$f" || return 1
        no_personal_data "$WORK/out" || return 1
    done
    expect_status 0 t insight "$TOPIC" || return 1
    expect_out '^3 quotes withheld' || return 1
    expect_out 'what about the crossing' || return 1
    expect_status 0 t insight "$TOPIC" --json || return 1
    expect_eq "withheld withheld withheld shown" "$(jpy '[p["quote_status"] for p in j["posts"]]')" "statuses" || return 1
    # Remote markup cannot become a link or HTML in the Markdown.
    t insight add "$(thread_of p2)" --topic "$TOPIC" --quote --override 'consent in writing' >/dev/null || return 1
    expect_status 0 t insight "$TOPIC" || return 1
    expect_out '\\\[link\\\]\\\(javascript:x\\\) \\<b\\>' || return 1
    expect_out 'personal-data check overridden: consent in writing' || return 1
    expect_out '^2 quotes withheld' || return 1
    # An edited quote replaces the post's words and is checked like them.
    t insight add "$(thread_of p1)" --topic "$TOPIC" --quote-text 'The lane is dangerous [number removed]' >/dev/null || return 1
    t insight add "$(thread_of p3)" --topic "$TOPIC" --quote-text 'My NI is QQ123456C' >/dev/null || return 1
    expect_status 0 t insight "$TOPIC" --format csv || return 1
    expect_out 'The lane is dangerous \[number removed\]' || return 1
    expect_no_out '07700 ?900 ?123|QQ ?12 ?34 ?56 ?C|QQ123456C' || return 1
    expect_out 'al\.jones@gmail\.com' || return 1 # overridden above, so it may appear
}

test_quotes_withheld_when_the_rules_cannot_load() {
    pii_posts
    t insight add "$(thread_of p4)" --topic "$TOPIC" --quote >/dev/null || return 1
    printf '[tactful]\npolicy = %s/missing.policy\n' "$WORK" >"$TACTFUL_CONFIG"
    expect_status 0 t insight "$TOPIC" || return 1
    expect_out '^1 quote withheld' || return 1
    expect_no_out 'what about the crossing' || return 1
}

test_usage_errors() {
    import_demo || return 1
    expect_status 2 t insight || return 1
    expect_status 2 t insight add 3 || return 1
    expect_err 'topic' || return 1
    expect_status 2 t insight add 3 --topic x --stance maybe || return 1
    expect_status 2 t insight "$TOPIC" --format pdf || return 1
    expect_status 2 t insight "$TOPIC" --since yesterday || return 1
    expect_status 1 t insight add 3 --topic x --to no-such-post || return 1
    expect_err 'thread 3 has no post' || return 1
    # A thread that does not exist is named as such, not as one without posts.
    expect_status 1 t insight add 999 --topic x || return 1
    expect_err "there is no thread 999" || return 1
    expect_status 0 t insight 'Nothing marked' || return 1
    expect_err 'no posts are marked' || return 1
}

run_tests
