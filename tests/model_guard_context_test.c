/* Links, platform lengths, response patterns, rules about the post being answered (casework,
 * escalation) and the election period. */
#include "guardtest.h"

#include "model/guard_impl.h"

static int
setup(void **state)
{
    *state = gt_shipped("[election]\nstart = 2027-04-01\nend = 2027-05-06\n"
                        "[allow]\ndomain = northmoor.example\n",
                        NULL);
    return 0;
}

static int
teardown(void **state)
{
    guard_free(*state);
    return 0;
}

static void
test_links(void **state)
{
    const struct guard *g = *state;
    gt_fires(g, "See https://example.com/page for more.", "links.domain",
             "https://example.com/page");
    gt_fires(g, "See www.cyclingweekly.com/northmoor today", "links.domain",
             "www.cyclingweekly.com/northmoor");
    gt_fires(g, "Details: https://bit.ly/3xYz.", "links.shortener", "https://bit.ly/3xYz");
    gt_fires(g, "Details: tinyurl.com/nmr-buses", "links.shortener", "tinyurl.com/nmr-buses");
    gt_fires(g, "Map: http://www.northmoor.gov.uk/gritting", "links.http",
             "http://www.northmoor.gov.uk/gritting");
    /* A shortener is reported as a shortener, not also as an unknown domain. */
    struct guard_result r = gt_check(g, "Go to https://bit.ly/abc now");
    assert_null(gt_find(&r, "links.domain"));
    guard_result_free(&r);
    /* Official domains and their subdomains; the policy's own domain; brackets and full
     * stops after a link. */
    gt_quiet(g, "See https://www.gov.uk/universal-credit.", "links.");
    gt_quiet(g, "See (https://111.nhs.uk) or https://www.nhs.uk/conditions/flu/.", "links.");
    gt_quiet(g, "See https://www.northmoor.example/bins and gov.uk/council-tax.", "links.");
    gt_quiet(g, "Email contact@northmoor.gov.uk, e.g. today, etc.", "links.");
    /* A look-alike is not official. */
    gt_fires(g, "See https://gov.uk.example.com/pay", "links.domain", NULL);
    gt_fires(g, "See https://notgov.uk/pay", "links.domain", NULL);
}

static void
test_grapheme_count(void **state)
{
    (void)state;
    assert_int_equal(guard_count_graphemes("abc", 3), 3);
    assert_int_equal(guard_count_graphemes("caf\xC3\xA9", 5), 4);      /* é precomposed */
    assert_int_equal(guard_count_graphemes("cafe\xCC\x81", 6), 4);     /* e + combining */
    assert_int_equal(guard_count_graphemes("\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2"
                                           "\x80\x8D\xF0\x9F\x91\xA7",
                                           18),
                     1); /* family emoji: three people joined by ZWJ */
    assert_int_equal(guard_count_graphemes("\xF0\x9F\x87\xAC\xF0\x9F\x87\xA7", 8), 1); /* 🇬🇧 */
    assert_int_equal(guard_count_graphemes("a\r\nb", 4), 3);
}

/* A draft of n copies of s. */
static char *
repeat(const char *s, int n)
{
    struct buf b = {0};
    for (int i = 0; i < n; i++)
        buf_adds(&b, s);
    return buf_take(&b);
}

/* The length finding for draft on platform, or NULL; the result must be freed. */
static const struct guard_finding *
length_of(const struct guard *g, const char *draft, const char *platform,
          struct guard_result *r)
{
    *r = gt_check_full(g, draft, NULL, platform, NULL, NULL);
    return gt_find(r, "length.");
}

static void
test_bluesky_length(void **state)
{
    const struct guard *g = *state;
    struct guard_result r;
    char *ok = repeat("x", 300), *over = repeat("x", 301);
    const struct guard_finding *f = length_of(g, ok, "bluesky", &r);
    assert_non_null(f); /* at the limit: the near-limit note */
    assert_int_equal(f->severity, GUARD_INFO);
    guard_result_free(&r);
    f = length_of(g, over, "bluesky", &r);
    assert_non_null(f);
    assert_int_equal(f->severity, GUARD_ERROR);
    assert_string_equal(f->message, "1 characters over Bluesky's limit of 300 characters.");
    assert_int_equal(f->start, 300);
    assert_int_equal(f->end, 301);
    guard_result_free(&r);
    /* 300 emoji families are 300 characters but 5,400 bytes: over the byte limit. */
    char *emoji = repeat("\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F"
                         "\x91\xA7", 200);
    f = length_of(g, emoji, "bluesky", &r);
    assert_non_null(f);
    assert_int_equal(f->severity, GUARD_ERROR);
    assert_string_equal(f->message, "600 bytes over Bluesky's limit of 3000 bytes.");
    guard_result_free(&r);
    /* No platform, or WordPress: no length rule. */
    f = length_of(g, over, NULL, &r);
    assert_null(f);
    guard_result_free(&r);
    char *huge = repeat("Thank you. ", 1000);
    f = length_of(g, huge, "wordpress", &r);
    assert_null(f);
    guard_result_free(&r);
    free(ok);
    free(over);
    free(emoji);
    free(huge);
}

/* The live counter's figures match what the length rule counts. */
static void
test_length_count(void **state)
{
    const struct guard *g = *state;
    struct guard_length l;
    const char *t = "  Hi \xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9 see "
                    "https://example.org/a/very/long/path/indeed/that/goes/on/and/on @bo@x.org \n";
    assert_int_equal(guard_length_count(g, "mastodon", t, strlen(t), &l), 1);
    /* "Hi " 3 + family 1 + " see " 5 + link 23 + " " 1 + "@bo" 3 = 36 */
    assert_int_equal(l.count, 36);
    assert_int_equal(l.max, 500);
    assert_int_equal(l.warn, 90);
    assert_int_equal(guard_length_count(g, "bluesky", t, strlen(t), &l), 1);
    assert_int_equal(l.max, 300);
    assert_int_equal(l.max_bytes, 3000);
    /* Bluesky counts the link in the short form it is sent in, the handle whole, and the
     * bytes of the text sent. */
    const char *link = "https://example.org/a/very/long/path/indeed/that/goes/on/and/on";
    const char *sent = "example.org/a/very/long/...";
    assert_int_equal(l.bytes, (long)strlen(t) - 4 - (long)(strlen(link) - strlen(sent)));
    assert_int_equal(l.count, 3 + 1 + 5 + (long)strlen(sent) + 1 + 9);
    assert_int_equal(guard_length_count(g, "wordpress", t, strlen(t), &l), 0);
    assert_int_equal(guard_length_count(g, NULL, t, strlen(t), &l), 0);
    assert_int_equal(guard_length_count(g, "mastodon", "", 0, &l), 1);
    assert_int_equal(l.count, 0);
}

static void
test_mastodon_length(void **state)
{
    const struct guard *g = *state;
    struct guard_result r;
    /* 480 characters of text, a 100-character link counting 23, and a mention whose domain
     * is free: 480 + 1 + 23 = 504, over 500. */
    char *text = repeat("y", 480);
    char *link = xasprintf("https://www.northmoor.gov.uk/%s", "a/very/long/path/that/goes/"
                           "on/and/on/and/on/until/it/is/about/a/hundred/chars/ok");
    char *draft = xasprintf("%s %s", text, link);
    const struct guard_finding *f = length_of(g, draft, "mastodon", &r);
    assert_non_null(f);
    assert_int_equal(f->severity, GUARD_ERROR);
    assert_string_equal(f->message, "4 characters over Mastodon's limit of 500.");
    assert_int_equal(f->start, 481); /* where the link starts */
    guard_result_free(&r);
    free(draft);
    free(text);
    /* 440 characters, then @dan_p@mstdn.example counts as @dan_p (6), then a link (23): 471,
     * under the limit although the raw text is much longer. */
    text = repeat("z", 440);
    draft = xasprintf("%s @dan_p@mstdn.example %s", text, link);
    f = length_of(g, draft, "mastodon", &r);
    assert_non_null(f);
    assert_int_equal(f->severity, GUARD_INFO);
    assert_string_equal(f->message, "471 of the 500 characters mastodon allows are used.");
    guard_result_free(&r);
    free(draft);
    free(text);
    free(link);
    /* Trailing blank lines do not count. */
    text = repeat("w", 500);
    draft = xasprintf("%s\n\n\n", text);
    f = length_of(g, draft, "mastodon", &r);
    assert_int_equal(f->severity, GUARD_INFO);
    guard_result_free(&r);
    free(draft);
    free(text);
}

static void
test_patterns(void **state)
{
    const struct guard *g = *state;
    const char *nolink = "Hi Deb, you can book a bulky waste collection on our website.";
    struct guard_result r = gt_check_full(g, nolink, NULL, NULL, "signposting", NULL);
    const struct guard_finding *f = gt_find(&r, "links.signpost");
    assert_non_null(f);
    assert_int_equal(f->start, strlen(nolink));
    assert_int_equal(f->end, f->start);
    guard_result_free(&r);
    r = gt_check_full(g, "Book at https://www.northmoor.gov.uk/bulky", NULL, NULL,
                      "signposting", NULL);
    assert_null(gt_find(&r, "links."));
    guard_result_free(&r);
    /* A clarification needs an official source: any link is not enough. */
    r = gt_check_full(g, "It's £95: https://example.com/prices", NULL, NULL, "clarification",
                      NULL);
    assert_non_null(gt_find(&r, "links.source"));
    guard_result_free(&r);
    r = gt_check_full(g, "It's £95: https://www.gov.uk/prices", NULL, NULL, "clarification",
                      NULL);
    assert_null(gt_find(&r, "links.source"));
    guard_result_free(&r);
    /* Other patterns expect nothing. */
    r = gt_check_full(g, nolink, NULL, NULL, "acknowledgement", NULL);
    assert_null(gt_find(&r, "links."));
    guard_result_free(&r);
    assert_non_null(guard_pattern_find("mea-culpa"));
    assert_null(guard_pattern_find("rebuttal"));
    size_t n = 0;
    while (guard_patterns[n].id)
        n++;
    assert_int_equal(n, 7);
}

static void
test_casework_context(void **state)
{
    const struct guard *g = *state;
    const char *post = "@northmoor Still waiting for my housing benefit claim. Applied in "
                       "October and haven't heard anything.";
    struct guard_result r = gt_check_full(g, "Sorry to hear that, Kim.", post, NULL, NULL, NULL);
    const struct guard_finding *f = gt_find(&r, "service-request.casework");
    assert_non_null(f);
    assert_int_equal(f->source, GUARD_CONTEXT);
    assert_int_equal(f->severity, GUARD_INFO);
    assert_memory_equal(post + f->start, "Still waiting", 13);
    f = gt_find(&r, "service-request.channel");
    assert_non_null(f);
    assert_int_equal(f->source, GUARD_DRAFT);
    assert_int_equal(f->severity, GUARD_WARNING);
    guard_result_free(&r);
    /* Any official channel satisfies it: a link, a mailbox, a service line, a DM. */
    static const char *const fine[] = {
        "Sorry, Kim: https://www.northmoor.gov.uk/benefits/contact",
        "Sorry, Kim: email benefits@northmoor.gov.uk",
        "Sorry, Kim: call 0300 123 4567",
        "Sorry, Kim: please send us a direct message.",
    };
    for (size_t i = 0; i < sizeof fine / sizeof fine[0]; i++) {
        r = gt_check_full(g, fine[i], post, NULL, "signposting", NULL);
        if (gt_find(&r, "service-request.channel") || gt_find(&r, "service-request.pattern")) {
            gt_dump(fine[i], &r);
            fail_msg("casework channel not recognised");
        }
        guard_result_free(&r);
    }
    /* Casework suggests the signposting pattern. */
    r = gt_check_full(g, fine[0], post, NULL, "acknowledgement", NULL);
    f = gt_find(&r, "service-request.pattern");
    assert_non_null(f);
    assert_string_equal(f->message, "The post is casework; the signposting pattern fits best.");
    guard_result_free(&r);
    /* Thanks for the poster's own case asks for no channel (the rules' `waive`); thanks with
     * a case still open does. */
    const char *thanks = "Thanks for sorting my bursary so quickly, really appreciated";
    r = gt_check_full(g, "Glad we could help, Kim!", thanks, NULL, "acknowledgement", NULL);
    assert_non_null(gt_find(&r, "service-request.own-case"));
    assert_null(gt_find(&r, "service-request.channel"));
    assert_null(gt_find(&r, "service-request.pattern"));
    guard_result_free(&r);
    r = gt_check_full(g, "Glad we could help, Kim!",
                      "Thanks for the reply but my bursary is still not sorted", NULL,
                      "acknowledgement", NULL);
    assert_non_null(gt_find(&r, "service-request.channel"));
    guard_result_free(&r);
    /* An idea that mentions the poster's own journey is read as encouragement: waived too. */
    r = gt_check_full(g, "Thanks, we'll pass that on.",
                      "It would be good if the 07:12 ran ten minutes later, it means my daughter "
                      "gets to college 20 min early every day", NULL, "encouragement", NULL);
    assert_non_null(gt_find(&r, "service-request.problem"));
    assert_null(gt_find(&r, "service-request.channel"));
    guard_result_free(&r);
    /* A post that is not casework asks for nothing. */
    r = gt_check_full(g, "Thanks!", "Lovely to see the library open on Sundays.", NULL, NULL,
                      NULL);
    assert_int_equal(r.n, 0);
    guard_result_free(&r);
}

/* A draft rule with `when = CATEGORY` runs only when that category found something in the post:
 * a school year and class in a reply is a disclosure when the post spoke of the poster's child,
 * and ordinary news of a school visit otherwise. */
static void
test_when_draft_rule(void **state)
{
    const struct guard *g = *state;
    const char *draft = "Thank you! We had a brilliant morning with Year 4 at St Oswald's Primary "
                        "last Wednesday.";
    const char *child = "My son was in the assembly you did last week and he hasn't stopped "
                        "talking about smoke alarms since";
    struct guard_result r = gt_check_full(g, draft, child, NULL, NULL, NULL);
    const struct guard_finding *f = gt_find(&r, "personal-data.post-child");
    assert_non_null(f);
    assert_int_equal(f->source, GUARD_CONTEXT);
    assert_int_equal(f->severity, GUARD_INFO);
    f = gt_find(&r, "personal-data.child-class");
    assert_non_null(f);
    assert_int_equal(f->source, GUARD_DRAFT);
    assert_int_equal(f->severity, GUARD_ERROR);
    assert_memory_equal(draft + f->start, "Year 4 at St Oswald's Primary", 29);
    guard_result_free(&r);
    /* A post about the visit that names no child of the poster's, or no post at all. */
    r = gt_check_full(g, draft, "Lovely to see the fire engine at the school today!", NULL, NULL,
                      NULL);
    assert_null(gt_find(&r, "personal-data.child-class"));
    guard_result_free(&r);
    gt_quiet(g, draft, "personal-data.child-class");
}

static void
test_escalation_context(void **state)
{
    const struct guard *g = *state;
    static const struct {
        const char *post, *rule;
        enum guard_severity sev;
    } cases[] = {
        {"Honestly I want to end it all.", "escalation.safeguarding", GUARD_ERROR},
        {"thinking about lying in front of a train tonight", "escalation.self-harm", GUARD_ERROR},
        {"I know where you live.", "escalation.threat", GUARD_ERROR},
        {"My solicitor will be in touch.", "escalation.legal", GUARD_WARNING},
        {"Hannah Reeve, local democracy reporter here.", "escalation.media", GUARD_WARNING},
        {"As the MP for Northmoor West, I ask...", "escalation.politician", GUARD_WARNING},
        {"This is a data breach.", "escalation.data", GUARD_WARNING},
        {"She's in hospital with a broken wrist.", "escalation.injury", GUARD_WARNING},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct guard_result r = gt_check_full(g, "Thanks for telling us.", cases[i].post, NULL,
                                              NULL, NULL);
        const struct guard_finding *f = gt_find(&r, cases[i].rule);
        if (f == NULL)
            fail_msg("%s did not fire on \"%s\"", cases[i].rule, cases[i].post);
        assert_int_equal(f->severity, cases[i].sev);
        assert_int_equal(f->source, GUARD_CONTEXT);
        guard_result_free(&r);
    }
    /* Incoming-only rules do not read the draft. */
    gt_quiet(g, "We're sorry to hear about the data breach; our data protection officer is "
                "looking into it.",
             "escalation.");
    gt_quiet(g, "Properties at risk of flooding can get sandbags.", "escalation.");
}

static void
test_election_period(void **state)
{
    const struct guard *g = *state;
    assert_true(guard_election_active(g, "2027-04-01"));
    assert_true(guard_election_active(g, "2027-05-06"));
    assert_false(guard_election_active(g, "2027-03-31"));
    assert_false(guard_election_active(g, "2027-05-07"));
    const char *during = "2027-04-20", *after = "2027-05-20";
    const char *announce = "We're delighted to announce a new scheme.";
    struct guard_result r = gt_check_full(g, announce, NULL, NULL, NULL, during);
    const struct guard_finding *f = gt_find(&r, "election.announce");
    assert_non_null(f);
    assert_int_equal(f->severity, GUARD_ERROR);
    guard_result_free(&r);
    r = gt_check_full(g, announce, NULL, NULL, NULL, after);
    assert_null(gt_find(&r, "election."));
    guard_result_free(&r);
    /* Warnings the packs raise in the period. */
    const char *promise = "We'll fix the lights by Friday.";
    r = gt_check_full(g, promise, NULL, NULL, NULL, during);
    assert_int_equal(gt_find(&r, "commitment.")->severity, GUARD_ERROR);
    guard_result_free(&r);
    r = gt_check_full(g, promise, NULL, NULL, NULL, after);
    assert_int_equal(gt_find(&r, "commitment.")->severity, GUARD_WARNING);
    guard_result_free(&r);
    /* Essential information stays clean. */
    r = gt_check_full(g, "Polling stations are open from 7am to 10pm on 6 May.", NULL, NULL,
                      NULL, during);
    assert_int_equal(r.n, 0);
    guard_result_free(&r);
    /* Without dates in the policy there is no period. */
    struct guard *plain = gt_shipped(NULL, NULL);
    assert_false(guard_election_active(plain, during));
    const char *start, *end;
    assert_false(guard_election_period(plain, &start, &end));
    guard_free(plain);
}

static void
test_check_input_errors(void **state)
{
    const struct guard *g = *state;
    struct guard_input in = {.draft = "x", .draft_len = 1, .platform = "myspace"};
    struct guard_result r;
    char *err = NULL;
    assert_int_equal(guard_check(g, &in, &r, &err), -1);
    assert_string_equal(err, "unknown platform 'myspace'; use mastodon, bluesky or wordpress");
    free(err);
    guard_result_free(&r);
    in = (struct guard_input){.draft = "x", .draft_len = 1, .pattern = "rebuttal"};
    assert_int_equal(guard_check(g, &in, &r, &err), -1);
    free(err);
    guard_result_free(&r);
    in = (struct guard_input){.draft = "x", .draft_len = GUARD_TEXT_MAX + 1};
    assert_int_equal(guard_check(g, &in, &r, &err), -1);
    free(err);
    guard_result_free(&r);
}

static void
test_positions(void **state)
{
    (void)state;
    const char *t = "ab\ncé\xF0\x9F\x98\x80x";
    int line, col;
    guard_position(t, strlen(t), 0, &line, &col);
    assert_int_equal(line, 1);
    assert_int_equal(col, 1);
    guard_position(t, strlen(t), 3, &line, &col);
    assert_int_equal(line, 2);
    assert_int_equal(col, 1);
    guard_position(t, strlen(t), 10, &line, &col); /* after c, é and the emoji */
    assert_int_equal(line, 2);
    assert_int_equal(col, 4);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_links),
        cmocka_unit_test(test_grapheme_count),
        cmocka_unit_test(test_bluesky_length),
        cmocka_unit_test(test_length_count),
        cmocka_unit_test(test_mastodon_length),
        cmocka_unit_test(test_patterns),
        cmocka_unit_test(test_casework_context),
        cmocka_unit_test(test_when_draft_rule),
        cmocka_unit_test(test_escalation_context),
        cmocka_unit_test(test_election_period),
        cmocka_unit_test(test_check_input_errors),
        cmocka_unit_test(test_positions),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
