/* Token-pattern rules (kind = pattern): gaps, word forms, classes, regex tokens, optional and
 * capitalised words, negation, sentence bounds, antipatterns, load errors; and the checker
 * failing closed (too many findings, a rule that cannot finish). */
#include "guardtest.h"


/* A policy holding one pattern rule with the given match, antipattern and class lines. */
static struct guard *
load_rule(const char *lines)
{
    char *policy = xasprintf("[tone.test]\nkind = pattern\nlevel = warning\n"
                             "message = \"{match}\" matched.\n%s\n",
                             lines);
    struct guard *g = gt_shipped(policy, NULL);
    free(policy);
    return g;
}

/* Whether tone.test fires on text, and if so on which words (*start, *end). */
static bool
fires(const struct guard *g, const char *text, size_t *start, size_t *end)
{
    struct guard_input in = {.draft = text, .draft_len = strlen(text), .today = "2026-11-25",
                             .keep_all = true};
    struct guard_result r;
    char *err = NULL;
    if (guard_check(g, &in, &r, &err) != 0)
        fail_msg("guard_check: %s", err);
    const struct guard_finding *f = gt_find(&r, "tone.test");
    bool hit = f != NULL;
    if (hit && start) {
        *start = f->start;
        *end = f->end;
    }
    guard_result_free(&r);
    return hit;
}

/* Asserts that the rule fires on text and covers exactly the words want. */
static void
assert_fires_on(const struct guard *g, const char *text, const char *want)
{
    size_t s = 0, e = 0;
    if (!fires(g, text, &s, &e))
        fail_msg("no finding on: %s", text);
    if (want && (e - s != strlen(want) || strncmp(text + s, want, e - s) != 0))
        fail_msg("on '%s' the finding covers '%.*s', not '%s'", text, (int)(e - s), text + s,
                 want);
}

static void
assert_quiet_on(const struct guard *g, const char *text)
{
    if (fires(g, text, NULL, NULL))
        fail_msg("a finding on: %s", text);
}

static void
test_gaps_and_forms(void **state)
{
    (void)state;
    struct guard *g = load_rule("match = we <0-3> ~refute (the|that|this|these)? ~claim\n");
    assert_fires_on(g, "We refute the claim.", "We refute the claim");
    assert_fires_on(g, "We would strongly refute these claims.",
                    "We would strongly refute these claims");
    assert_fires_on(g, "we REFUTED claims of that kind", "we REFUTED claims");
    assert_fires_on(g, "We are refuting that claim", NULL);
    /* More than three words between, another sentence, another verb. */
    assert_quiet_on(g, "We really do very strongly refute the claim.");
    assert_quiet_on(g, "We did. Refute the claim!");
    assert_quiet_on(g, "We\nrefute the claim");
    assert_quiet_on(g, "We accept the claim.");
    guard_free(g);
}

/* A contraction typed without its apostrophe is read as the contraction, in the text and in
 * the rule alike; words that are English in their own right are not touched. */
static void
test_contractions_without_apostrophes(void **state)
{
    (void)state;
    struct guard *g = load_rule("match = bin (wasn't|hasn't been) ~empty\n");
    assert_fires_on(g, "my bin wasnt emptied again", "bin wasnt emptied");
    assert_fires_on(g, "bin WASNT emptied", "bin WASNT emptied");
    assert_fires_on(g, "bin hasnt been emptied", "bin hasnt been emptied");
    assert_fires_on(g, "the bin wasn't emptied", "bin wasn't emptied");
    assert_quiet_on(g, "the bin was emptied");
    guard_free(g);
    g = load_rule("match = (dont|its) stop\n");
    assert_fires_on(g, "please don't stop", "don't stop");
    assert_fires_on(g, "please dont stop", "dont stop");
    assert_fires_on(g, "its stop is near", "its stop");
    assert_quiet_on(g, "it's stop time");
    guard_free(g);
}

static void
test_classes(void **state)
{
    (void)state;
    struct guard *g = gt_shipped("[class fixverb]\nmatch = (fill|fix|repair|sort)\n"
                                 "match = sort out\n"
                                 "[tone.test]\nkind = pattern\nlevel = warning\n"
                                 "message = m\n"
                                 "match = @will be (~filled|~fixed|~repaired|sorted) <0-3> "
                                 "@deadline\n"
                                 "match = @we-will @fixverb <0-4> @deadline\n",
                                 NULL);
    assert_fires_on(g, "The pothole will be filled by Monday.", "will be filled by Monday");
    assert_fires_on(g, "This is going to be sorted within 24 hours.", NULL);
    assert_fires_on(g, "We'll sort out the bins by the end of the week", NULL);
    assert_fires_on(g, "we’ll fix it tomorrow", NULL); /* a curly apostrophe */
    assert_quiet_on(g, "Collections will be one day later next week.");
    assert_quiet_on(g, "We'll pass this to the team.");
    guard_free(g);
}

static void
test_capitals_regex_not_optional(void **state)
{
    (void)state;
    struct guard *g = load_rule("match = ^labour (party|group|council|candidate)?\n"
                                "match = ref /[a-z]{2}\\d{4,}/\n"
                                "match = the !council (said|says)\n"
                                "antipattern = ^labour ward\n");
    assert_fires_on(g, "LABOUR OUT", "LABOUR");
    assert_fires_on(g, "the Labour candidate said", "Labour candidate");
    assert_fires_on(g, "The Labour Party's leaflet", "Labour Party's");
    assert_quiet_on(g, "the labour market is tight");
    assert_quiet_on(g, "She is on the Labour Ward tonight.");
    assert_fires_on(g, "quote ref HB20261 please", "ref HB20261");
    assert_quiet_on(g, "quote ref 2026 please");
    assert_fires_on(g, "the minister said so", "the minister said");
    assert_quiet_on(g, "the council said so");
    guard_free(g);
    /* A '?' inside a /regex/ belongs to the regex: the token stays required. */
    g = load_rule("match = (staff|student)? number /[a-z]?\\d{5,}k?/\n");
    assert_fires_on(g, "my staff number a123456 is", "staff number a123456");
    assert_fires_on(g, "number 1234567k", "number 1234567k");
    assert_quiet_on(g, "the number when it is ready");
    assert_quiet_on(g, "student number please");
    guard_free(g);
}

static void
test_except_and_user_layers(void **state)
{
    (void)state;
    /* An except phrase silences an overlapping match; the user's file adds a pattern. */
    struct guard *g = gt_shipped("[tone.test]\nkind = pattern\nlevel = warning\nmessage = m\n"
                                 "match = ~shoot\nexcept = shoot a film\n",
                                 "[tone.test]\nantipattern = photo ~shoot\n");
    assert_fires_on(g, "I will shoot you", "shoot");
    assert_quiet_on(g, "We'd like to shoot a film in the park.");
    assert_quiet_on(g, "The photo shoot is on Friday.");
    guard_free(g);
}

/* Load errors name the file and line and say what is wrong. */
static void
test_load_errors(void **state)
{
    (void)state;
    static const struct {
        const char *match;
        const char *says;
    } bad[] = {
        {"match = we (refute", "no closing ')'"},
        {"match = <0-3> refute", "cannot start or end with a gap"},
        {"match = we <0-20> refute", "from 0 to 8 words"},
        {"match = we @nosuchclass", "no word class @nosuchclass"},
        {"match = we /(/ x", "broken"},
        {"match = (we)? (refute)?", "every part is optional"},
        {"match = ~", "one plain word"},
        /* Forms Snowball stems irregularly cannot be found through the stem: refused, with
         * the forms to write out ("lying" is not found by "~lie", "trying" by "~try"). */
        {"match = we ~lie", "~lie cannot find all its forms (Snowball stems some irregularly, "
                            "and a stem's words are found by their first letters); write them "
                            "out instead: (lie|lies|lied|lying)"},
        {"match = we ~try", "write them out instead: (try|tries|tried|trying)"},
        {"match = we ~tried", "write them out instead: (try|tries|tried|trying)"},
        {"antipattern = we )", "out of place"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *policy = xasprintf("[tone.test]\nkind = pattern\nlevel = warning\nmessage = m\n"
                                 "match = ok\n%s\n",
                                 bad[i].match);
        char *err = gt_load_fails(GT_RULES, policy, NULL);
        if (strstr(err, "policy:6:") == NULL || strstr(err, bad[i].says) == NULL)
            fail_msg("for '%s' the error is '%s'", bad[i].match, err);
        free(err);
        free(policy);
    }
    char *err = gt_load_fails(GT_RULES, "[class a]\nmatch = x @b\n[class b]\nmatch = @a\n", NULL);
    assert_non_null(strstr(err, "refers to itself"));
    free(err);
}

/* A draft with more findings than the checker keeps is held by an error that cannot be
 * overridden. */
static void
test_too_many_findings(void **state)
{
    (void)state;
    struct guard *g = gt_shipped(NULL, NULL);
    struct buf b = {0};
    for (int i = 0; i < 3000; i++)
        buf_adds(&b, "LOL!!! ");
    struct guard_result r = gt_check(g, b.data);
    const struct guard_finding *f = gt_find(&r, "guard.too-many-findings");
    assert_non_null(f);
    assert_int_equal(f->severity, GUARD_ERROR);
    assert_true(f->incomplete);
    assert_true(f->locked);
    guard_result_free(&r);
    buf_free(&b);
    guard_free(g);
}

/* A policy regex that hits PCRE2's match limit is an error finding naming the rule, also on a
 * text where a shortcut could have said "no match" at once. */
static void
test_regex_limit(void **state)
{
    (void)state;
    struct guard *g = gt_shipped("[tone.evil]\nkind = regex\nlevel = info\nmessage = m\n"
                                 "match = (x+x+)+y\n",
                                 NULL);
    char text[5001];
    memset(text, 'x', 5000);
    text[5000] = '\0';
    struct guard_result r = gt_check(g, text);
    const struct guard_finding *f = gt_find(&r, "tone.evil");
    assert_non_null(f);
    assert_int_equal(f->severity, GUARD_ERROR);
    assert_true(f->incomplete);
    assert_non_null(strstr(f->message, "tone.evil"));
    guard_result_free(&r);
    /* A short text it can finish is checked as usual. */
    r = gt_check(g, "xxy");
    f = gt_find(&r, "tone.evil");
    assert_non_null(f);
    assert_int_equal(f->severity, GUARD_INFO);
    assert_false(f->incomplete);
    guard_result_free(&r);
    guard_free(g);
}

/* Patterns are passed over at a word whose next word cannot come second in a match; every
 * way a second word can come still matches: a word, its possessive, a prefix, a stem, a word
 * set, a class member of two words, optional parts, a group that can be left out. */
static void
test_second_word(void **state)
{
    (void)state;
    struct guard *g = gt_shipped("[class tp-we]\nmatch = (we|i)\nmatch = i am\n"
                                 "[tone.test]\nkind = pattern\nlevel = warning\n"
                                 "message = m\n"
                                 "match = zorp (council|board) line\n"
                                 "match = @tp-we (truly|really)? ~vanquish\n"
                                 "match = blip (wib|wob)? flurb* now\n"
                                 "match = (the|a) (big|small|red|blue) quux\n",
                                 NULL);
    assert_fires_on(g, "Call the zorp council line.", "zorp council line");
    assert_fires_on(g, "The zorp council's line is open.", "zorp council's line");
    assert_fires_on(g, "We vanquished it.", "We vanquished");
    assert_fires_on(g, "I am really vanquishing it.", "I am really vanquishing");
    assert_fires_on(g, "I truly vanquish.", "I truly vanquish");
    assert_fires_on(g, "A blip flurbing now.", "blip flurbing now");
    assert_fires_on(g, "A blip wob flurbs now.", "blip wob flurbs now");
    assert_fires_on(g, "See the blue quux.", "the blue quux");
    assert_quiet_on(g, "Call the zorp. Council line.");
    assert_quiet_on(g, "We\nvanquished it.");
    assert_quiet_on(g, "I am not vanquishing it.");
    assert_quiet_on(g, "A blip flu now.");
    assert_quiet_on(g, "See the green quux.");
    guard_free(g);
}

/* A pattern is passed over in a sentence that lacks a word every match holds, and still
 * matches in one that has it: after other sentences, by a stem, as a possessive. */
static void
test_sentence_words(void **state)
{
    (void)state;
    struct guard *g = load_rule("match = (you|they) <0-3> ~fib (about|to) (^*|the zorp)\n"
                                "match = ^* ^* was (zorped|flurbed)\n");
    assert_fires_on(g, "Sorry. No. You really fibbed about Sam.", "You really fibbed about Sam");
    assert_fires_on(g, "They fibbed to the zorp.", "They fibbed to the zorp");
    assert_quiet_on(g, "You fibbed. About Sam.");
    assert_quiet_on(g, "You fibbed\nabout Sam.");
    assert_fires_on(g, "Nothing here. Then Jo Bloggs was zorped.", "Jo Bloggs was zorped");
    assert_fires_on(g, "Jo Bloggs's was flurbed.", "Jo Bloggs's was flurbed");
    assert_quiet_on(g, "Jo Bloggs was. Zorped it was.");
    guard_free(g);
}

/* A pattern that is not indexed by its first words, because its first part is any word with
 * a capital or a /re/, is tried at each word that can start it: one with a capital, one its
 * /re/ can start with, or a first word of its other alternatives. */
static void
test_open_starts(void **state)
{
    (void)state;
    struct guard *g = load_rule("match = (he|she|^*) was? /flurb[a-z]*/\n"
                                "match = ^/[a-z]+'s/ /zorp[a-z]*/\n"
                                "match = /[0-9]+x/ /blib[a-z]*/\n"
                                "match = (our|/£?[0-9]+k/) /quux[a-z]*/\n");
    assert_fires_on(g, "Yes, she was flurbed.", "she was flurbed");
    assert_fires_on(g, "Yes, he's was flurbed.", "he's was flurbed");
    assert_fires_on(g, "Then Jo was flurbed.", "Jo was flurbed");
    assert_fires_on(g, "Then JO was flurbed.", "JO was flurbed");
    assert_quiet_on(g, "Then the dog was flurbed.");
    assert_fires_on(g, "It is Sam's zorp.", "Sam's zorp");
    assert_quiet_on(g, "It is sam's zorp.");
    assert_fires_on(g, "It is 12x blibbing.", "12x blibbing");
    assert_quiet_on(g, "It is ax blibbing.");
    assert_fires_on(g, "It is our quuxes.", "our quuxes");
    assert_fires_on(g, "It is 30k quuxes.", "30k quuxes");
    assert_quiet_on(g, "It is their quuxes.");
    guard_free(g);
}

/* A word's regular expression is passed over at a word that cannot start a match of it
 * (its first byte is not one the expression starts with), and still matches every word that
 * can: a letter beyond ASCII, a letter in either case, an optional first part. */
static void
test_regex_first_byte(void **state)
{
    (void)state;
    struct guard *g = load_rule("match = owe /δ\\w+/ (in|of) arrears\n"
                                "match = the /zo+rp/ line\n"
                                "match = flat /[a-z]?\\d{2,}/ blurb\n");
    assert_fires_on(g, "You owe Δραχμές in arrears.", "owe Δραχμές in arrears");
    assert_quiet_on(g, "You owe Αραχμές in arrears.");
    assert_fires_on(g, "Call the ZOOORP line.", "the ZOOORP line");
    assert_quiet_on(g, "Call the oorp line.");
    assert_fires_on(g, "See flat b12 blurb.", "flat b12 blurb");
    assert_fires_on(g, "See flat 12 blurb.", "flat 12 blurb");
    assert_fires_on(g, "See flat Z12 blurb.", "flat Z12 blurb");
    assert_quiet_on(g, "See flat ab12 blurb.");
    guard_free(g);
}

/* A pattern that takes too many steps to fail is an error finding naming the rule, also
 * when its second word is one no match could have. */
static void
test_step_limit(void **state)
{
    (void)state;
    struct buf rule = {0};
    buf_adds(&rule, "match = zorp");
    for (int i = 0; i < 16; i++)
        buf_adds(&rule, " (blip?|blop?)");
    buf_adds(&rule, " flurb\n");
    struct guard *g = load_rule(rule.data);
    buf_free(&rule);
    struct guard_result r = gt_check(g, "A zorp and more. Then a flurb.");
    const struct guard_finding *f = gt_find(&r, "tone.test");
    assert_non_null(f);
    assert_int_equal(f->severity, GUARD_ERROR);
    assert_true(f->incomplete);
    guard_result_free(&r);
    assert_quiet_on(g, "No such word here.");
    guard_free(g);
}

/* The id of rule i. */
static const char *
gt_rule_id(const struct guard *g, size_t i)
{
    struct guard_rule_info info;
    guard_rule_info(g, i, &info);
    return info.id;
}

/* A rule's examples and counterexamples are checked, and --explain shows the rule. */
static void
test_examples_and_explain(void **state)
{
    (void)state;
    struct guard *g = gt_shipped("[class t-verb]\nmatch = ~refute\n"
                                 "[tone.test]\nkind = pattern\nlevel = warning\nmessage = m\n"
                                 "match = we <0-2> @t-verb\nantipattern = we refute nothing\n"
                                 "example = We firmly refute it.\n"
                                 "example = We agree.\n"
                                 "counterexample = We refute nothing.\n"
                                 "counterexample = We strongly refute that.\n",
                                 NULL);
    size_t i = 0;
    while (strcmp(gt_rule_id(g, i), "tone.test") != 0)
        i++;
    char *report = NULL;
    assert_int_equal(guard_rule_test(g, i, &report), 2);
    assert_non_null(strstr(report, "does not fire on its example: We agree."));
    assert_non_null(strstr(report, "fires on its counterexample: We strongly refute that."));
    free(report);
    char *text = guard_rule_explain(g, "tone.test");
    assert_non_null(strstr(text, "we <0-2> @t-verb"));
    assert_non_null(strstr(text, "@t-verb"));
    assert_non_null(strstr(text, "~refute"));
    assert_non_null(strstr(text, "We firmly refute it."));
    free(text);
    assert_null(guard_rule_explain(g, "tone.nosuchrule"));
    guard_free(g);
}

/* Every shipped rule passes its own examples, and every rule that matches words carries at
 * least one example and one counterexample. */
static void
test_shipped_examples(void **state)
{
    (void)state;
    struct guard *g = gt_shipped(NULL, NULL);
    size_t failed = 0, missing = 0, examples = 0;
    for (size_t i = 0; i < guard_rule_count(g); i++) {
        struct guard_rule_info info;
        guard_rule_info(g, i, &info);
        size_t ex, counter;
        guard_rule_example_count(g, i, &ex, &counter);
        examples += ex + counter;
        bool words = !strcmp(info.kind, "phrase") || !strcmp(info.kind, "pattern") ||
                     !strcmp(info.kind, "regex");
        if (words && (ex == 0 || counter == 0)) {
            printf("    %s has %zu examples and %zu counterexamples\n", info.id, ex, counter);
            missing++;
        }
        char *report = NULL;
        failed += guard_rule_test(g, i, &report);
        if (report)
            printf("    %s\n", report);
        free(report);
    }
    printf("  shipped rules: %zu examples checked, %zu failed, %zu rules without both kinds\n",
           examples, failed, missing);
    assert_int_equal(failed, 0);
    assert_int_equal(missing, 0);
    assert_true(examples > 0);
    guard_free(g);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gaps_and_forms),
        cmocka_unit_test(test_contractions_without_apostrophes),
        cmocka_unit_test(test_classes),
        cmocka_unit_test(test_capitals_regex_not_optional),
        cmocka_unit_test(test_except_and_user_layers),
        cmocka_unit_test(test_load_errors),
        cmocka_unit_test(test_too_many_findings),
        cmocka_unit_test(test_sentence_words),
        cmocka_unit_test(test_open_starts),
        cmocka_unit_test(test_regex_first_byte),
        cmocka_unit_test(test_regex_limit),
        cmocka_unit_test(test_second_word),
        cmocka_unit_test(test_step_limit),
        cmocka_unit_test(test_examples_and_explain),
        cmocka_unit_test(test_shipped_examples),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
