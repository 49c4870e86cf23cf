/* Shipped rules, each with a text it must fire on and a near miss it must leave alone, kept
 * as regressions from before the rules carried their own examples (every shipped rule now has
 * example and counterexample lines, checked by model_guard_tokpat_test). */
#include "guardtest.h"

/* One rule's examples. platform, pattern and today apply to both texts; context is the post
 * for the firing text, near_context for the near miss (NULL: the same post). A NULL fires
 * means a text too long for the platform; a NULL near_miss means the same text. */
struct example {
    const char *rule;
    const char *fires;
    const char *near_miss;
    const char *context;
    const char *near_context;
    const char *platform;
    const char *pattern;
    const char *today;
};

#define ELECTION "2027-04-20"
#define CASEWORK "Still waiting for my housing benefit claim."
#define CALM "Lovely to see the library open on Sundays."

static const struct example examples[] = {
    {.rule = "political.party",
     .fires = "The Labour group agreed.",
     .near_miss = "The labour market is strong."},
    {.rule = "political.partisan",
     .fires = "Vote for whoever funds libraries.",
     .near_miss = "Polling stations open at 7am."},
    {.rule = "rebuttal.combative",
     .fires = "That is fake news.",
     .near_miss = "That isn't quite right: it opens at 9."},
    {.rule = "commitment.promise",
     .fires = "We promise it will be fixed.",
     .near_miss = "We'll pass this to the team."},
    {.rule = "commitment.deadline",
     .fires = "We'll repair it by Friday.",
     .near_miss = "We aim to reply within 10 days."},
    {.rule = "commitment.money",
     .fires = "You'll get a full refund.",
     .near_miss = "Garden waste costs £45 a year."},
    {.rule = "personal-data.email",
     .fires = "Write to jo.bloggs@gmail.com now.",
     .near_miss = "Write to help@northmoor.gov.uk."},
    {.rule = "personal-data.phone",
     .fires = "Call him on 07700 900123.",
     .near_miss = "Call us on 0300 123 4567."},
    {.rule = "personal-data.nino",
     .fires = "Her number is AB 12 34 56 C.",
     .near_miss = "The example is QQ 12 34 56 C."},
    {.rule = "personal-data.postcode",
     .fires = "The bin at NM4 7QX was missed.",
     .near_miss = "Buses serve NM4 and NM7."},
    {.rule = "personal-data.address",
     .fires = "The bin at 14 Fenwick Street.",
     .near_miss = "Over 200 Station Road residents."},
    {.rule = "personal-data.dob",
     .fires = "Found him (DOB 12/03/1944).",
     .near_miss = "The consultation ends 12/03/2027."},
    {.rule = "personal-data.card",
     .fires = "Card 4111 1111 1111 1111.",
     .near_miss = "Tracking 4111 1111 1111 1112."},
    {.rule = "personal-data.nhs",
     .fires = "NHS number 943 476 5919.",
     .near_miss = "NHS number 943 476 5918."},
    {.rule = "personal-data.reference",
     .fires = "Your case number is CS/2026/118204.",
     .near_miss = "Planning application 26/01873/FUL is open."},
    {.rule = "personal-data.ask",
     .fires = "Please DM us your bank details.",
     .near_miss = "Don't post your bank details."},
    {.rule = "personal-data.echo",
     .fires = "We've chased HR-2026-04417.",
     .near_miss = "We've chased your repair.",
     .context = "Repair ref HR-2026-04417 still not done."},
    {.rule = "tone.shouting",
     .fires = "PLEASE STOP doing that.",
     .near_miss = "Ask the NHS, HMRC or DVLA."},
    {.rule = "tone.exclaim", .fires = "It's open!!", .near_miss = "It's open! See you there."},
    {.rule = "tone.condescend",
     .fires = "Obviously the tip is open.",
     .near_miss = "Of course the tip is open."},
    {.rule = "tone.sarcasm", .fires = "Nice try, Clive.", .near_miss = "Nice to see you, Clive."},
    {.rule = "plain-english.avoid",
     .fires = "We will utilise the depot.",
     .near_miss = "We will use the depot."},
    {.rule = "plain-english.sentence",
     .fires =
         "The plans include a new cycle track on the western side of Station Road, two new "
         "zebra crossings at Greenbank Parade and Chapel Street, and new trees along the route.",
     .near_miss = "The plans include a new cycle track. There are two new crossings."},
    {.rule = "plain-english.grade",
     .fires =
         "The authority's comprehensive infrastructure modernisation programme necessitates "
         "considerable organisational restructuring. Consequently, operational responsibilities "
         "are being reallocated between departments. Stakeholders' representations regarding "
         "implementation methodologies will be systematically evaluated. Additional "
         "documentation concerning eligibility determinations is obtainable electronically.",
     .near_miss =
         "Bins are emptied on Tuesdays. Put food waste in the caddy. Put cans and glass in the "
         "blue bin. The calendar is on our website. Call us if your bin is missed."},
    {.rule = "plain-english.style",
     .fires = "Click here to apply.",
     .near_miss = "Select the link to apply."},
    {.rule = "plain-english.abbreviation",
     .fires = "Bring ID, e.g. a passport.",
     .near_miss = "Bring ID, such as a passport."},
    {.rule = "links.domain",
     .fires = "See https://example.com/page",
     .near_miss = "See https://www.gov.uk/page"},
    {.rule = "links.shortener",
     .fires = "See https://bit.ly/abc",
     .near_miss = "See https://www.nhs.uk/flu"},
    {.rule = "links.http",
     .fires = "See http://www.gov.uk/page",
     .near_miss = "See https://www.gov.uk/page"},
    {.rule = "links.signpost",
     .fires = "Book a collection on our website.",
     .near_miss = "Book at https://www.gov.uk/x",
     .pattern = "signposting"},
    {.rule = "links.source",
     .fires = "It costs £95: https://example.com/p",
     .near_miss = "It costs £95: https://www.gov.uk/p",
     .pattern = "clarification"},
    {.rule = "length.mastodon", .near_miss = "Thanks!", .platform = "mastodon"},
    {.rule = "length.bluesky", .near_miss = "Thanks!", .platform = "bluesky"},
    {.rule = "self-id.personal", .fires = "Personally, I think so.", .near_miss = "We think so."},
    {.rule = "self-id.name",
     .fires = "I'm Jenny from highways.",
     .near_miss = "I'm sorry to hear that."},
    {.rule = "self-id.email",
     .fires = "Email jenny.hughes@northmoor.gov.uk.",
     .near_miss = "Email roads@northmoor.gov.uk."},
    {.rule = "service-request.casework",
     .fires = "Sorry to hear that.",
     .context = CASEWORK,
     .near_context = CALM},
    {.rule = "service-request.reference",
     .fires = "Sorry to hear that.",
     .context = "My claim ref HB-2026-118204.",
     .near_context = "Planning application 26/01873/FUL: I object."},
    {.rule = "service-request.pattern",
     .fires = "Call us on 0300 123 4567.",
     .context = CASEWORK,
     .near_context = CALM,
     .pattern = "acknowledgement"},
    {.rule = "service-request.channel",
     .fires = "Sorry to hear that.",
     .near_miss = "Please send us a direct message.",
     .context = CASEWORK},
    {.rule = "escalation.safeguarding",
     .fires = "Thanks.",
     .context = "I want to end it all.",
     .near_context = "I want to end the year on a high."},
    {.rule = "escalation.threat",
     .fires = "Thanks.",
     .context = "I know where you live.",
     .near_context = "I know where the tip is."},
    {.rule = "escalation.legal",
     .fires = "Thanks.",
     .context = "My solicitor will write.",
     .near_context = CALM},
    {.rule = "escalation.media",
     .fires = "Thanks.",
     .context = "I'm a reporter at the Echo.",
     .near_context = CALM},
    {.rule = "escalation.political",
     .fires = "Thanks.",
     .context = "As a councillor, I ask...",
     .near_context = CALM},
    {.rule = "escalation.data",
     .fires = "Thanks.",
     .context = "This is a data breach.",
     .near_context = "Thanks for protecting our data."},
    {.rule = "escalation.harm",
     .fires = "Thanks.",
     .context = "My son was killed crossing that road.",
     .near_context = "The hospital bus stop has moved."},
    {.rule = "escalation.death",
     .fires = "Thanks.",
     .context = "My dad died after waiting six hours for an ambulance.",
     .near_context = "My dad died in March; how do I stop his council tax?"},
    {.rule = "election.announce",
     .fires = "We're proud to announce a new scheme.",
     .near_miss = "The tip is open on bank holidays.",
     .today = ELECTION},
    {.rule = "election.politician",
     .fires = "Councillor Patel opened the park.",
     .near_miss = "The park is open.",
     .today = ELECTION},
    {.rule = "election.campaign",
     .fires = "Our new recycling campaign starts.",
     .near_miss = "Recycling day is Tuesday.",
     .today = ELECTION},
};


/* Builds a draft of n characters for the length rules. */
static char *
long_text(size_t n)
{
    char *s = xmalloc(n + 1);
    memset(s, 'x', n);
    s[n] = '\0';
    return s;
}

/* Whether rule fires on text with the example's settings. */
static bool
fires(const struct guard *g, const struct example *e, const char *text, const char *context)
{
    struct guard_input in = {.draft = text, .draft_len = strlen(text), .context = context,
                             .context_len = context ? strlen(context) : 0,
                             .platform = e->platform, .pattern = e->pattern,
                             .today = e->today ? e->today : "2026-11-25", .keep_all = true};
    struct guard_result r;
    char *err = NULL;
    if (guard_check(g, &in, &r, &err) != 0)
        fail_msg("guard_check: %s", err);
    bool found = false;
    for (size_t i = 0; i < r.n; i++)
        found |= strcmp(r.findings[i].rule, e->rule) == 0;
    guard_result_free(&r);
    return found;
}

static void
test_every_rule_fires_and_has_a_near_miss(void **state)
{
    (void)state;
    struct guard *g = gt_shipped("[election]\nstart = 2027-04-01\nend = 2027-05-06\n", NULL);
    for (size_t i = 0; i < sizeof examples / sizeof examples[0]; i++) {
        const struct example *e = &examples[i];
        char *text = e->fires ? xstrdup(e->fires) : long_text(601);
        if (!fires(g, e, text, e->context))
            fail_msg("%s did not fire on \"%.60s\"", e->rule, text);
        free(text);
        const char *miss = e->near_miss ? e->near_miss : e->fires;
        const char *miss_context = e->near_context ? e->near_context : e->context;
        if (fires(g, e, miss, miss_context))
            fail_msg("%s fired on the near miss \"%s\"", e->rule, miss);
    }
    guard_free(g);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_rule_fires_and_has_a_near_miss),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
