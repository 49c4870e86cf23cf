/* The platform table and the one length counter that the guard, the composer and the adapters'
 * sends share. */
#include "testutil.h"

#include "model/guard.h"
#include "model/platform.h"

/* A guard with the shipped rules; the test fails when they do not load. */
static struct guard *
shipped_guard(void)
{
    struct guard_options o = {.rules_dir = "share/rules"};
    char *err = NULL;
    struct guard *g = guard_new(&o, &err);
    if (g == NULL)
        fail_msg("guard_new: %s", err);
    return g;
}

/* Counts text as the platform called name counts it, with its own link weight. */
static long
len_of(const char *name, const char *text)
{
    return platform_length(platform_find(name), text, strlen(text), 0);
}

static void
test_table(void **state)
{
    (void)state;
    const struct platform *m = platform_find("mastodon");
    assert_non_null(m);
    assert_string_equal(m->label, "Mastodon");
    assert_null(m->user);
    assert_int_equal(m->max_chars, 500);
    assert_int_equal(m->url_chars, 23);
    assert_string_equal(platform_find("bluesky")->user, "the Bluesky handle");
    assert_int_equal(platform_find("bluesky")->max_bytes, 3000);
    assert_null(platform_find("twitter"));
    assert_null(platform_find(NULL));
    assert_string_equal(platform_short_name("wordpress"), "wp");
    assert_string_equal(platform_short_name("myspace"), "myspace");
    char *names = platform_names(" or ");
    assert_string_equal(names, "mastodon, bluesky or wordpress");
    free(names);
    size_t n = 0;
    while (platform_at(n))
        n++;
    assert_int_equal(n, 3);
}

static void
test_mastodon_count(void **state)
{
    (void)state;
    assert_int_equal(len_of("mastodon", "hello"), 5);
    assert_int_equal(len_of("mastodon", "see https://www.northmoor.gov.uk/a/very/long/path ok"),
                     4 + 23 + 3);
    assert_int_equal(len_of("mastodon", "@alice@example.social hi"), 9);
    assert_int_equal(len_of("mastodon", "mail bob@example.org"), 20); /* not a mention */
    assert_int_equal(len_of("mastodon", "café 👍🏽 🇬🇧"), 8);            /* graphemes */
    assert_int_equal(len_of("mastodon", ""), 0);
    /* Where the send and the guard used to disagree: a full stop after a link is not part of it,
     * a local part may hold dots, the space around the text is stripped, CR LF is one. */
    assert_int_equal(len_of("mastodon", "See https://northmoor.gov.uk/bins."), 4 + 23 + 1);
    assert_int_equal(len_of("mastodon", "(https://northmoor.gov.uk/bins)"), 1 + 23 + 1);
    assert_int_equal(len_of("mastodon", "hi @sam.patel@mstdn.example!"), 3 + 10 + 1);
    assert_int_equal(len_of("mastodon", "  hello\n\n"), 5);
    assert_int_equal(len_of("mastodon", "a\r\nb"), 3);
    /* The instance's own link weight. */
    const char *t = "https://northmoor.gov.uk/";
    assert_int_equal(platform_length(platform_find("mastodon"), t, strlen(t), 30), 30);
    /* Bluesky counts a mention whole, WordPress links and mentions whole. */
    assert_int_equal(len_of("bluesky", "@alice@example.social hi"), 24);
    assert_int_equal(len_of("wordpress", t), 25);
    assert_int_equal(platform_length(NULL, t, strlen(t), 0), 25);
}

/* Bluesky sends and counts a link in the short form its app shows: no scheme, a path longer
 * than 15 characters cut to 13 and "...". */
static void
test_bluesky_links(void **state)
{
    (void)state;
    char out[PLATFORM_SHORT_LINK_MAX];
    const struct {
        const char *url, *short_form;
    } cases[] = {
        {"https://www.northmoor.gov.uk/a/very/long/path", "www.northmoor.gov.uk/a/very/long/..."},
        {"https://x.example/a", "x.example/a"},
        {"http://northmoor.gov.uk/", "northmoor.gov.uk"},
        {"https://northmoor.gov.uk", "northmoor.gov.uk"},
        {"https://x.example/?q=1", "x.example?q=1"},
        {"https://x.example:8443/bins", "x.example:8443/bins"},
        {"https://me:secret@x.example/bins", "x.example/bins"},
        {"https://x.example/12345678901234", "x.example/12345678901234"}, /* 15: whole */
        {"https://x.example/123456789012345", "x.example/123456789012..."},
        {"https://x.example/caf\xc3\xa9s-et-th\xc3\xa9s-du-parc",
         "x.example/caf\xc3\xa9s-et-th\xc3\xa9..."}, /* characters, not bytes */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = platform_short_link(cases[i].url, strlen(cases[i].url), out, sizeof out);
        assert_string_equal(out, cases[i].short_form);
        assert_int_equal(n, strlen(cases[i].short_form));
    }
    assert_int_equal(platform_short_link("www.x.example/a", 15, out, sizeof out), 0);
    assert_int_equal(platform_short_link("https://x.example/a", 19, out, 5), 0); /* no room */
    /* The count is the short form's. */
    assert_int_equal(len_of("bluesky", "see https://www.northmoor.gov.uk/a/very/long/path ok"),
                     4 + 36 + 3);
    assert_int_equal(len_of("bluesky", "See https://northmoor.gov.uk/bins."), 4 + 21 + 1);
    assert_int_equal(len_of("bluesky", "See www.northmoor.gov.uk/bins"), 29); /* no scheme */
    /* A reply of 330 characters whose link is long fits once the link is short. */
    char reply[400];
    snprintf(reply, sizeof reply, "%0250d https://www.northmoor.gov.uk/waste/bulky-items/"
             "book-a-collection-online", 0);
    assert_true(strlen(reply) > 300);
    assert_int_equal(len_of("bluesky", reply), 251 + 36);
    /* The text sent is the one counted, the links kept whole beside it. */
    struct platform_link *links;
    size_t nlinks;
    char *text = platform_send_text(platform_find("bluesky"), reply, strlen(reply), &links,
                                    &nlinks);
    assert_int_equal(nlinks, 1);
    assert_int_equal(strlen(text), 251 + 36);
    assert_int_equal(platform_bytes(platform_find("bluesky"), reply, strlen(reply)), 251 + 36);
    assert_int_equal(platform_bytes(platform_find("mastodon"), reply, strlen(reply)),
                     (long)strlen(reply));
    assert_string_equal(links[0].uri,
                        "https://www.northmoor.gov.uk/waste/bulky-items/book-a-collection-online");
    assert_memory_equal(text + links[0].start, "www.northmoor.gov.uk/waste/bulky-...", 36);
    assert_int_equal(links[0].end - links[0].start, 36);
    platform_links_free(links, nlinks);
    free(text);
    /* A link with accented letters is a link to its end, and its short form is cut between
     * characters, never inside one. */
    const char *accented = "See https://northmoor.gov.uk/events/summer-f\xc3\xaate-2026 for times";
    text = platform_send_text(platform_find("bluesky"), accented, strlen(accented), &links,
                              &nlinks);
    assert_string_equal(text, "See northmoor.gov.uk/events/summe... for times");
    assert_int_equal(nlinks, 1);
    assert_string_equal(links[0].uri, "https://northmoor.gov.uk/events/summer-f\xc3\xaate-2026");
    platform_links_free(links, nlinks);
    free(text);
    const char *cafe = "See https://northmoor.gov.uk/caf\xc3\xa9 for times";
    text = platform_send_text(platform_find("bluesky"), cafe, strlen(cafe), &links, &nlinks);
    assert_string_equal(text, "See northmoor.gov.uk/caf\xc3\xa9 for times");
    assert_int_equal(nlinks, 1);
    assert_string_equal(links[0].uri, "https://northmoor.gov.uk/caf\xc3\xa9");
    assert_int_equal(len_of("bluesky", cafe), 4 + 21 + 10);
    platform_links_free(links, nlinks);
    free(text);
    /* Mastodon's text is sent as written. */
    text = platform_send_text(platform_find("mastodon"), reply, strlen(reply), &links, &nlinks);
    assert_string_equal(text, reply);
    assert_int_equal(nlinks, 0);
    free(text);
}

/* Bluesky's byte limit is on the text sent: a draft over 3,000 bytes only because of a long
 * link fits once the link is short, for the guard's check and the composer's counter alike. */
static void
test_bluesky_bytes_are_the_text_sent(void **state)
{
    (void)state;
    struct guard *g = shipped_guard();
    char draft[4000] = "Book here, thank you: https://northmoor.gov.uk/forms/bulky?ref=";
    while (strlen(draft) < 3290)
        strcat(draft, "a1b2c3d4");
    struct guard_length l;
    assert_int_equal(guard_length_count(g, "bluesky", draft, strlen(draft), &l), 1);
    assert_true(strlen(draft) > 3000);
    assert_int_equal(l.bytes, (long)strlen("Book here, thank you: northmoor.gov.uk/forms/bulky?..."));
    assert_int_equal(l.bytes, l.count);
    struct guard_input in = {.draft = draft, .draft_len = strlen(draft), .platform = "bluesky"};
    struct guard_result res = {0};
    char *err = NULL;
    if (guard_check(g, &in, &res, &err) != 0)
        fail_msg("guard_check: %s", err);
    for (size_t i = 0; i < res.n; i++)
        assert_string_not_equal(res.findings[i].rule, "length.bluesky");
    guard_result_free(&res);
    guard_free(g);
}

/* A content-warning line (model/cw.h) counts as Mastodon counts the spoiler_text it is sent
 * as: its warning's characters plus the text's, without "CW: " and the blank line; elsewhere
 * the line is sent as text and counts whole. */
static void
test_content_warning_count(void **state)
{
    (void)state;
    assert_int_equal(len_of("mastodon", "CW: Bins\n\nThanks"), 4 + 6);
    assert_int_equal(len_of("mastodon", "cw:  Bins \r\n\r\n\n  Thanks  "), 4 + 6);
    assert_int_equal(len_of("mastodon", "CW:\n\nThanks"), 6); /* emptied: no warning */
    assert_int_equal(len_of("mastodon", "CW: Bins"), 4);       /* no text yet */
    /* A link in the warning is not shortened, one in the text is. */
    assert_int_equal(
        len_of("mastodon", "CW: https://northmoor.gov.uk/\n\nhttps://northmoor.gov.uk/"),
        25 + 23);
    /* Only at the top; elsewhere it is text. */
    assert_int_equal(len_of("mastodon", "Thanks\nCW: Bins"), 15);
    assert_int_equal(len_of("bluesky", "CW: Bins\n\nThanks"), 16);
    /* The adapter's count of the parts it sends apart is the same. */
    const struct platform *m = platform_find("mastodon");
    const char *draft = "CW: Politics 👍🏽\n\nSee https://northmoor.gov.uk/bins.";
    const char *text = "See https://northmoor.gov.uk/bins.";
    assert_int_equal(platform_length_parts(m, "Politics 👍🏽", text, strlen(text), 0),
                     len_of("mastodon", draft));
    assert_int_equal(len_of("mastodon", draft), 10 + 4 + 23 + 1);
    /* The text as sent is never read for a warning line of its own. */
    assert_int_equal(platform_length_parts(m, "a", "CW: b", 5, 0), 1 + 5);
    assert_int_equal(platform_length_parts(m, NULL, "hi", 2, 0), 2);
}

/* The guard's length check and the composer's counter (guard_length_count) give the count the
 * send gives, on texts where the old send counter disagreed. */
static void
test_guard_counts_the_same(void **state)
{
    (void)state;
    struct guard *g = shipped_guard();
    const char *texts[] = {
        "See https://northmoor.gov.uk/bins. Thanks @sam.patel@mstdn.example!",
        "  (https://www.northmoor.gov.uk/roads/station-road), ok?\r\n",
        "@dan_p@mstdn.example @bev we'll look 👍🏽",
        "CW: Politics\n\nSee https://northmoor.gov.uk/bins. Thanks",
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        for (size_t k = 0; platform_at(k); k++) {
            const struct platform *p = platform_at(k);
            struct guard_length l;
            if (guard_length_count(g, p->name, texts[i], strlen(texts[i]), &l) == 0)
                continue; /* no length rule (WordPress) */
            assert_int_equal(l.count, platform_length(p, texts[i], strlen(texts[i]), 0));
        }
    }
    guard_free(g);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_mastodon_count),
        cmocka_unit_test(test_bluesky_links),
        cmocka_unit_test(test_bluesky_bytes_are_the_text_sent),
        cmocka_unit_test(test_content_warning_count),
        cmocka_unit_test(test_guard_counts_the_same),
    };
    return cmocka_run_group_tests_name("model_platform", tests, NULL, NULL);
}
