/* Prose rules: party politics, rebuttal, commitments, tone, plain English and
 * self-identification; word boundaries, case, possessives, and the masking of links, handles
 * and hashtags. */
#include "guardtest.h"

static int
setup(void **state)
{
    *state = gt_shipped(NULL, NULL);
    return 0;
}

static int
teardown(void **state)
{
    guard_free(*state);
    return 0;
}

static void
test_party_names(void **state)
{
    const struct guard *g = *state;
    gt_fires(g, "The Labour group voted for it.", "political.party", "Labour group");
    gt_fires(g, "The Tories blocked it.", "political.party", "Tories");
    gt_fires(g, "A Lib Dem motion.", "political.party", "Lib Dem");
    gt_fires(g, "The Green Party's motion failed.", "political.party", NULL);
    gt_fires(g, "Labour’s plan was different.", "political.party", NULL);
    gt_fires(g, "Sinn Féin and the DUP agreed.", "political.party", "Sinn Féin");
    /* The same words in other senses. */
    gt_quiet(g, "The labour market figures are out.", "political.");
    gt_quiet(g, "Labour market figures are out today.", "political.");
    gt_quiet(g, "Labour costs are in the report.", "political.");
    gt_quiet(g, "The pothole on Green Street is filled.", "political.");
    gt_quiet(g, "Greenbank's green spaces and the village green.", "political.");
    gt_quiet(g, "A conservative estimate is 1,100 homes.", "political.");
    gt_quiet(g, "Conservation area rules apply.", "political.");
    gt_quiet(g, "We will reform the booking system.", "political.");
    gt_quiet(g, "The Labour Club and the Conservative Club are polling stations.", "political.");
    /* Inside a word is not the word. */
    gt_quiet(g, "Laboured breathing and Toryglen Road.", "political.party");
}

static void
test_partisan(void **state)
{
    const struct guard *g = *state;
    gt_fires(g, "Vote for someone who will fund libraries.", "political.partisan", "Vote for someone");
    gt_fires(g, "It was in their manifesto.", "political.partisan", "manifesto");
    gt_fires(g, "That was the previous government's doing.", "political.partisan",
             "the previous government's");
    gt_quiet(g, "Polling stations are open 7am to 10pm; bring photo ID to vote.", "political.");
}

static void
test_phrase_boundaries(void **state)
{
    const struct guard *g = *state;
    /* Extra spaces, line breaks and hyphens inside a phrase still match. */
    gt_fires(g, "We   categorically   reject it.", "rebuttal.combative", NULL);
    gt_fires(g, "It is so-called progress 🙄", "tone.sarcasm", NULL);
    /* Punctuation between the words breaks a phrase. */
    gt_quiet(g, "Is it false? No.", "rebuttal.");
    gt_quiet(g, "We will, of course, ensure nothing.", "commitment.promise");
    /* Matching ignores case, but only whole words. */
    gt_fires(g, "NONSENSE.", "rebuttal.", "NONSENSE");
    gt_quiet(g, "Nonsensical is not on the list.", "rebuttal.");
}

static void
test_masking(void **state)
{
    const struct guard *g = *state;
    /* Links, @handles and #hashtags are not prose. */
    gt_quiet(g, "See https://www.northmoor.gov.uk/labour-market-report for figures.",
             "political.");
    gt_quiet(g, "Thanks @Labour_Lou for the photo!", "political.");
    gt_quiet(g, "Photos from #LabourDay in the park.", "political.");
    gt_quiet(g, "Ask @liberal.democrat.bsky.social.", "political.");
    /* But the text around them is. */
    gt_fires(g, "Thanks @lou, the Tories said so.", "political.party", "Tories");
}

static void
test_rebuttal_and_commitments(void **state)
{
    const struct guard *g = *state;
    gt_fires(g, "That claim is completely untrue.", "rebuttal.combative", "completely untrue");
    gt_fires(g, "This is fake news.", "rebuttal.combative", "fake news");
    gt_quiet(g, "That isn't quite right: collections restart in March.", "rebuttal.");
    gt_quiet(g, "Sorry, our rubbish collection was late.", "rebuttal.");
    gt_fires(g, "We promise it will be done.", "commitment.promise", "We promise");
    gt_fires(g, "We'll fix the light by Friday.", "commitment.", NULL);
    gt_fires(g, "We guarantee the crew will repair it.", "commitment.promise", "We guarantee");
    gt_fires(g, "Your bin will be emptied tomorrow.", "commitment.deadline", NULL);
    gt_fires(g, "You'll get a full refund.", "commitment.money", NULL);
    /* Service standards and next steps are not promises. */
    gt_quiet(g, "We aim to reply within 10 working days.", "commitment.");
    gt_quiet(g, "We'll pass this on to the highways team.", "commitment.");
    gt_quiet(g, "We'll make sure the team gets your message.", "commitment.");
    gt_quiet(g, "Our Patient Experience team will pass your thanks on to the crew.", "commitment.");
    gt_quiet(g, "Garden waste costs £45 a year.", "commitment.");
    /* One finding for one promise, even when two commitment rules see it. */
    struct guard_result r = gt_check(g, "We'll fix the streetlight by Friday.");
    size_t n = 0;
    for (size_t i = 0; i < r.n; i++)
        n += strcmp(r.findings[i].category, "commitment") == 0;
    assert_int_equal(n, 1);
    guard_result_free(&r);
}

static void
test_shouting(void **state)
{
    const struct guard *g = *state;
    gt_fires(g, "PLEASE STOP putting garden waste in.", "tone.shouting", "PLEASE STOP");
    gt_fires(g, "Side roads are NOT gritted.", "tone.shouting", "NOT");
    gt_fires(g, "THE TIP IS OPEN ON SUNDAYS", "tone.shouting", "THE TIP IS OPEN ON SUNDAYS");
    gt_fires(g, "Open now!!", "tone.exclaim", "!!");
    gt_fires(g, "Seriously?!", "tone.exclaim", NULL);
    /* Acronyms, postcodes and codes are not shouting; nor is one capital word. */
    gt_quiet(g, "Ask the NHS, HMRC, DVLA or DWP.", "tone.");
    gt_quiet(g, "UK GDPR and the ICO apply.", "tone.");
    gt_quiet(g, "NHS 111 can help.", "tone.");
    gt_quiet(g, "Our office is at NM1 1AA.", "tone.");
    gt_quiet(g, "The A1 and M62 are clear. I am sure of it.", "tone.");
    gt_quiet(g, "Thanks so much! Have a lovely weekend!", "tone.");
    gt_quiet(g, "Huge thanks to the ULTRA team.", "tone.shouting");
    /* The words of a sign or a button, quoted or named as such, are a label. */
    gt_quiet(g, "The path is shut, with PATH CLOSED signs at both ends.", "tone.shouting");
    gt_quiet(g, "Press 'PAY NOW' at the bottom of the page.", "tone.shouting");
    gt_quiet(g, "Look for the \u201cPAY HERE\u201d machines.", "tone.shouting");
    gt_fires(g, "The path is CLOSED AT BOTH ENDS today.", "tone.shouting", "CLOSED AT BOTH ENDS");
    /* The words a bay or a gate is marked with are the sign's, not the writer's shouting. */
    gt_quiet(g, "The bay by the entrance is marked DROP OFF ONLY for that.", "tone.shouting");
    gt_quiet(g, "The gate is signed NO PARKING - FARM ACCESS.", "tone.shouting");
    gt_fires(g, "We have told you NOT TO PARK THERE.", "tone.shouting", "NOT TO PARK THERE");
    /* An acronym inside a shouted run does not excuse the rest of it. */
    gt_fires(g, "THE NHS IS CLOSED TODAY", "tone.shouting", "THE NHS IS CLOSED TODAY");
    gt_quiet(g, "SAVE THE DATE: Family Fun Day, Saturday.", "tone.shouting");
    gt_quiet(g, "Our STAY SAFE campaign with the RNLI has more.", "tone.shouting");
    /* A slogan the rule excepts is read with its commas; a list of shouted words is not. */
    gt_quiet(g, "Remember the advice: STOP, CHALLENGE, PROTECT.", "tone.shouting");
    gt_quiet(g, "In an attack: RUN, HIDE, TELL.", "tone.shouting");
    gt_fires(g, "WE SAID, NOT TODAY, THANKS.", "tone.shouting", "WE SAID, NOT TODAY, THANKS");
    gt_fires(g, "STOP; CHALLENGE, PROTECT YOURSELVES.", "tone.shouting", NULL);
    /* A reference or a path is not a word: the planning portal's 25/00341/OUT. */
    gt_quiet(g, "Search the portal under reference 25/00341/OUT for the report.", "tone.shouting");
    gt_fires(g, "Bins go OUT on Tuesday, not Monday.", "tone.shouting", "OUT");
    /* An officer's initials signing off are not a shouted word beside a capitalised one. */
    gt_quiet(g, "If you'd like to check your own order, send us a DM. ^LP", "tone.shouting");
    gt_fires(g, "Send us a DM NOW. ^LP", "tone.shouting", "DM NOW");
    /* A single word of delight is not shouting; one that insists is. */
    gt_quiet(g, "The teeth are VERY real. YES! Come and see them.", "tone.shouting");
    gt_fires(g, "The tip is CLOSED on Mondays.", "tone.shouting", "CLOSED");
    /* A quoted title is not the officer's tone or a rebuttal; scare quotes are no shield. */
    gt_quiet(g, "Try \"It IS Rocket Science\" at the library.", "tone.");
    gt_quiet(g, "\"Owls, Pussycats and Nonsense\" is on Wednesday.", "rebuttal.");
    gt_fires(g, "That claim is \"complete nonsense\".", "rebuttal.untrue", NULL);
}

static void
test_condescension_and_sarcasm(void **state)
{
    const struct guard *g = *state;
    gt_fires(g, "As we have already said, it closes on Friday.", "tone.condescend", NULL);
    gt_fires(g, "Obviously we can't grit every road.", "tone.condescend", "Obviously");
    gt_fires(g, "Nice try, Clive.", "tone.sarcasm", "Nice try");
    gt_fires(g, "Sure 🙄", "tone.sarcasm", "🙄");
    gt_quiet(g, "It feels as if you've been waiting ages; sorry.", "tone.");
    gt_quiet(g, "Of course we can help with that.", "tone.");
}

static void
test_plain_english(void **state)
{
    const struct guard *g = *state;
    struct guard_result r = gt_check(g, "We will utilise the new system going forward.");
    const struct guard_finding *f = gt_find(&r, "plain-english.avoid");
    assert_non_null(f);
    assert_int_equal(f->severity, GUARD_INFO);
    assert_string_equal(f->message, "\"utilise\" is on GOV.UK's list of words to avoid.");
    assert_string_equal(f->suggestion, "Say what you mean: try \"use\".");
    guard_result_free(&r);
    /* Fostering is a council service, not jargon. */
    gt_quiet(g, "Find out about fostering and foster carers.", "plain-english.avoid");
    gt_fires(g, "We foster good relations.", "plain-english.avoid", "foster");
    gt_fires(g, "Bring ID, e.g. a passport.", "plain-english.abbreviation", "e.g.");
    const char *longs = "The plans include a kerb-separated two-way cycle track on the "
                        "western side of Station Road, new zebra crossings at Greenbank "
                        "Parade and Chapel Street, and two loading bays outside the shops.";
    r = gt_check(g, longs);
    f = gt_find(&r, "plain-english.sentence");
    assert_non_null(f);
    assert_string_equal(f->message, "This sentence has 31 words; GOV.UK suggests 25 at most.");
    guard_result_free(&r);
    gt_quiet(g, "Bins are collected on Tuesdays. Food waste goes in the caddy.",
             "plain-english.");
}

static void
test_reading_grade(void **state)
{
    const struct guard *g = *state;
    const char *hard = "The authority's comprehensive infrastructure modernisation "
                       "programme necessitates considerable organisational restructuring. "
                       "Consequently, operational responsibilities are being reallocated "
                       "between departments. Stakeholders' representations regarding "
                       "implementation methodologies will be systematically evaluated. "
                       "Additional documentation concerning eligibility determinations is "
                       "obtainable electronically.";
    gt_fires(g, hard, "plain-english.grade", NULL);
    const char *easy = "Bins are emptied on Tuesdays. Put food waste in the small caddy. "
                       "Put cans and glass in the blue bin. The calendar is on our website. "
                       "Call us if your bin is missed and we will come back.";
    gt_quiet(g, easy, "plain-english.grade");
    /* Short replies are not scored. */
    gt_quiet(g, "Consequently, comprehensive modernisation necessitates restructuring.",
             "plain-english.grade");
}

static void
test_self_identification(void **state)
{
    const struct guard *g = *state;
    gt_fires(g, "Personally, I think it's great.", "self-id.personal", "Personally");
    gt_fires(g, "Hi, I'm Jenny from the highways team.", "self-id.name", "I'm Jenny from");
    gt_fires(g, "Email me at jenny.hughes@northmoor.gov.uk.", "self-id.email",
             "jenny.hughes@northmoor.gov.uk");
    gt_quiet(g, "Email libraries@northmoor.gov.uk for help.", "self-id.");
    /* The organisation's own children's offer is not the officer's family. */
    gt_quiet(g, "Under-16s travel free at weekends, as part of our Kids Go Free scheme.",
             "self-id.opinion");
    gt_fires(g, "Our kids love that park.", "self-id.opinion", "Our kids");
    gt_quiet(g, "We think the new calendar is clearer.", "self-id.");
    gt_quiet(g, "I'm sorry to hear that.", "self-id.");
    /* Someone else's words quoted in the reply are not the officer's own voice. */
    gt_quiet(g, "One comment: \"Personally I feel much safer now.\" Full results online.",
             "self-id.");
    gt_quiet(g, "A resident wrote \u201cI think it's brilliant\u201d.", "self-id.");
    /* A match that begins in the quoted words and runs past them is still not the officer's. */
    gt_quiet(g, "Come to \"It IS Rocket Science\" at the library on Saturday.", "self-id.");
    gt_fires(g, "Hi, \"Tasha\" here from the library team.", "self-id.introduce", NULL);
    gt_fires(g, "Personally, I think \"now\" is the time.", "self-id.personal", "Personally");
    gt_fires(g, "Personally, \"we\" think it works.", "self-id.personal", "Personally");
    /* The quote must open and close on the line of the words. */
    gt_quiet(g, "Line one.\nA resident wrote \u201cPersonally I feel safer\u201d.", "self-id.");
    gt_fires(g, "One said \"fine\nPersonally I feel safer now.\" Thanks.", "self-id.personal",
             "Personally");
    gt_fires(g, "One said \"Personally I feel\nsafer now.\" Thanks.", "self-id.personal",
             "Personally");    /* A policy quoted is not the officer's promise; the same words unquoted are. */
    gt_quiet(g, "Our allocations policy says: \"Band B will be awarded where the home has a "
                "serious hazard that cannot be resolved within a reasonable time.\"",
             "commitment.");
    gt_fires(g, "Band B will be awarded to you within a week.", "commitment.", NULL);
}

static void
test_broken_input(void **state)
{
    const struct guard *g = *state;
    /* Broken UTF-8, NUL bytes and an empty draft are checked without harm. */
    static const char broken[] = "Labour \xff\xfe caf\xc3 \xe2\x80 ok 07700 900123";
    struct guard_input in = {.draft = broken, .draft_len = sizeof broken - 1,
                             .today = "2026-11-25"};
    struct guard_result r;
    char *err = NULL;
    assert_int_equal(guard_check(g, &in, &r, &err), 0);
    assert_non_null(gt_find(&r, "political.party"));
    assert_non_null(gt_find(&r, "personal-data.phone"));
    guard_result_free(&r);
    /* Regex rules find in text with broken UTF-8 what they find in the same text without it
     * (their code for valid UTF-8 is not used on it). */
    static const char loud[] = "Please stop!! \xff\xfe and stop again!!";
    static const char fine[] = "Please stop!! xx and stop again!!";
    struct guard_result rb, rf;
    in = (struct guard_input){.draft = loud, .draft_len = sizeof loud - 1,
                              .today = "2026-11-25"};
    assert_int_equal(guard_check(g, &in, &rb, &err), 0);
    in = (struct guard_input){.draft = fine, .draft_len = sizeof fine - 1,
                              .today = "2026-11-25"};
    assert_int_equal(guard_check(g, &in, &rf, &err), 0);
    size_t nb = 0, nf = 0;
    for (size_t i = 0; i < rb.n; i++)
        nb += strcmp(rb.findings[i].rule, "tone.exclaim") == 0;
    for (size_t i = 0; i < rf.n; i++)
        nf += strcmp(rf.findings[i].rule, "tone.exclaim") == 0;
    assert_int_equal(nb, 2);
    assert_int_equal(nf, 2);
    assert_int_equal(rb.n, rf.n);
    for (size_t i = 0; i < rb.n; i++) {
        assert_string_equal(rb.findings[i].rule, rf.findings[i].rule);
        assert_int_equal(rb.findings[i].start, rf.findings[i].start);
        assert_int_equal(rb.findings[i].end, rf.findings[i].end);
    }
    guard_result_free(&rb);
    guard_result_free(&rf);
    static const char nul[] = "We promise\0 Labour";
    in = (struct guard_input){.draft = nul, .draft_len = sizeof nul - 1, .today = "2026-11-25"};
    assert_int_equal(guard_check(g, &in, &r, &err), 0);
    assert_non_null(gt_find(&r, "political.party"));
    guard_result_free(&r);
    r = gt_check(g, "");
    assert_int_equal(r.n, 0);
    guard_result_free(&r);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_party_names),
        cmocka_unit_test(test_partisan),
        cmocka_unit_test(test_phrase_boundaries),
        cmocka_unit_test(test_masking),
        cmocka_unit_test(test_rebuttal_and_commitments),
        cmocka_unit_test(test_shouting),
        cmocka_unit_test(test_condescension_and_sarcasm),
        cmocka_unit_test(test_plain_english),
        cmocka_unit_test(test_reading_grade),
        cmocka_unit_test(test_self_identification),
        cmocka_unit_test(test_broken_input),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
