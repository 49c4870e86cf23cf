/* Word-model rules (kind = model): scoring, the word that explains a finding, the threshold,
 * fail-closed when the model cannot be read, load errors; and that the shipped escalation
 * model fires on risk told in words the escalation patterns do not hold. */
#include "guardtest.h"

#include <string.h>

/* Writes a rules folder with one model rule and the model file; returns the folder. */
static void
write_rules(struct gt_dir *d, const char *model_text, const char *threshold)
{
    gt_dir_new(d);
    char *rules = xasprintf("[escalation.test]\nlevel = error\nkind = model\napplies = incoming\n"
                            "model = t.model\nthreshold = %s\n"
                            "message = reads like risk: {match}\n",
                            threshold);
    free(gt_write(d, "t.rules", rules));
    free(rules);
    if (model_text)
        free(gt_write(d, "t.model", model_text));
}

/* Checks a reply to post into *r, every finding kept or overlapping ones merged. */
static void
reply_to(const struct guard *g, const char *post, bool keep_all, struct guard_result *r)
{
    struct guard_input in = {.draft = "Thanks for your message.", .draft_len = 24,
                             .context = post, .context_len = strlen(post),
                             .today = "2026-11-25", .keep_all = keep_all};
    char *err = NULL;
    if (guard_check(g, &in, r, &err) != 0)
        fail_msg("guard_check: %s", err);
}

/* Checks a reply to post; returns the test rule's finding copied into *out (or false). */
static bool
check_post(const struct guard *g, const char *post, struct guard_finding *out, char *match,
           size_t matchcap)
{
    struct guard_result r;
    reply_to(g, post, true, &r);
    const struct guard_finding *f = gt_find(&r, "escalation.test");
    bool hit = f != NULL;
    if (hit) {
        *out = *f;
        snprintf(match, matchcap, "%.*s", (int)(f->end - f->start), post + f->start);
        out->message = NULL;
        out->suggestion = NULL;
    }
    guard_result_free(&r);
    return hit;
}

static const char *const model_text =
    "# a small model\n"
    "bias -2.0\n"
    "1.5 carry on\n"
    "1.0 point\n"
    "0.8 tonight\n"
    "-3.0 pool\n"
    "0.6 wait\n";

static void
test_scores_and_explains(void **state)
{
    (void)state;
    struct gt_dir d;
    write_rules(&d, model_text, "0");
    struct guard *g = gt_load(d.path, NULL, NULL);
    struct guard_finding f;
    char match[64];
    /* carry on (1.5) + point (1.0) - 2.0 > 0: fires, on the strongest feature's words. */
    assert_true(check_post(g, "I can't see the point. I can't carry on.", &f, match, sizeof match));
    assert_int_equal(f.severity, GUARD_ERROR);
    assert_string_equal(match, "carry on");
    /* Each feature counts once: "point point point" is 1.0 - 2.0 < 0. */
    assert_false(check_post(g, "point point point", &f, match, sizeof match));
    /* A negative feature outweighs: 1.5 + 1.0 + 0.8 - 3.0 - 2.0 < 0. */
    assert_false(check_post(g, "what's the point, carry on tonight at the pool", &f, match,
                            sizeof match));
    /* Words are lower-cased and suffixes cut as the trainer does ("waiting" -> "wait"). */
    assert_true(check_post(g, "CARRY ON waiting TONIGHT", &f, match, sizeof match));
    assert_string_equal(match, "CARRY ON");
    guard_free(g);
    gt_dir_free(&d);
    /* A higher threshold needs more evidence. */
    write_rules(&d, model_text, "1.0");
    g = gt_load(d.path, NULL, NULL);
    assert_false(check_post(g, "I can't see the point. I can't carry on.", &f, match,
                            sizeof match));
    assert_true(check_post(g, "no point, can't carry on, not tonight", &f, match, sizeof match));
    guard_free(g);
    gt_dir_free(&d);
}

/* Counts the findings of rule in the check of a reply to post. */
static size_t
count_rule(const struct guard *g, const char *post, const char *rule)
{
    struct guard_result r;
    reply_to(g, post, false, &r);
    size_t n = 0;
    for (size_t i = 0; i < r.n; i++)
        n += strcmp(r.findings[i].rule, rule) == 0;
    guard_result_free(&r);
    return n;
}

/* A model's guess is dropped when a rule of its category found something as grave in the same
 * text (it would say the same thing less precisely), and kept when the rule's finding is
 * milder (the guess carries the level) or the rule found nothing. */
static void
test_guess_behind_a_rule(void **state)
{
    (void)state;
    struct gt_dir d;
    write_rules(&d, model_text, "0");
    free(gt_write(&d, "u.rules", "[escalation.words]\nlevel = error\nkind = phrase\n"
                                 "applies = incoming\nmessage = m\nmatch = carry on\n"
                                 "[escalation.mild]\nlevel = warning\nkind = phrase\n"
                                 "applies = incoming\nmessage = m\nmatch = tonight\n"));
    struct guard *g = gt_load(d.path, NULL, NULL);
    /* The phrase rule (error) and the model (error) both read it: the rule's finding stays. */
    assert_int_equal(count_rule(g, "I can't see the point. I can't carry on.", "escalation.words"),
                     1);
    assert_int_equal(count_rule(g, "I can't see the point. I can't carry on.", "escalation.test"),
                     0);
    /* Only a milder rule of the category fired: the model's error stays beside it. */
    assert_int_equal(count_rule(g, "no point waiting, not tonight", "escalation.mild"), 1);
    assert_int_equal(count_rule(g, "no point waiting, not tonight", "escalation.test"), 1);
    guard_free(g);
    gt_dir_free(&d);
}

/* A model that is gone or damaged when first needed holds the reply with an error finding
 * naming the rule; a missing file at load is a load error. */
static void
test_fails_closed(void **state)
{
    (void)state;
    struct gt_dir d;
    write_rules(&d, "bias 0\nnot-a-number word\n", "0");
    struct guard *g = gt_load(d.path, NULL, NULL);
    struct guard_input in = {.draft = "Thanks.", .draft_len = 7, .context = "hello there",
                             .context_len = 11, .today = "2026-11-25"};
    struct guard_result r;
    char *err = NULL;
    assert_int_equal(guard_check(g, &in, &r, &err), 0);
    const struct guard_finding *f = gt_find(&r, "escalation.test");
    assert_non_null(f);
    assert_int_equal(f->severity, GUARD_ERROR);
    assert_true(f->incomplete);
    assert_non_null(strstr(f->message, "damaged"));
    guard_result_free(&r);
    guard_free(g);
    gt_dir_free(&d);

    write_rules(&d, NULL, "0");
    char *msg = gt_load_fails(d.path, NULL, NULL);
    assert_non_null(strstr(msg, "cannot read the model"));
    free(msg);
    gt_dir_free(&d);
}

/* The shipped model reads the post: risk told indirectly fires, routine posts do not. */
static void
test_shipped_model(void **state)
{
    (void)state;
    struct guard *g = gt_load(GT_RULES, NULL, NULL);
    static const char *const risky[] = {
        "been giving my stuff away this week, sorted the cat with my sister. just want to know "
        "if the bins are still weds so nothing's left for anyone to deal with",
        /* No rule reads this one (a blind batch's post; escalation.at-risk knows "locked me
         * and the kids in the bathroom", the model need not). */
        "My 14 year old has barely eaten anything for five days and fainted at school today. "
        "The GP just says to wait for your letter. How long is the wait for the young people's "
        "eating disorder team?",
    };
    static const char *const routine[] = {
        "What time does the library open on Saturday?",
        "Can I put greasy pizza boxes in the recycling?",
        "Thanks to the crew who fixed the streetlight on Elm Road, brilliant service.",
    };
    for (size_t i = 0; i < sizeof risky / sizeof *risky; i++) {
        struct guard_input in = {.draft = "Thanks.", .draft_len = 7, .context = risky[i],
                                 .context_len = strlen(risky[i]), .today = "2026-11-25",
                                 .keep_all = true};
        struct guard_result r;
        char *err = NULL;
        assert_int_equal(guard_check(g, &in, &r, &err), 0);
        if (gt_find(&r, "escalation.reads-at-risk") == NULL)
            fail_msg("the escalation model is quiet on: %s", risky[i]);
        guard_result_free(&r);
    }
    for (size_t i = 0; i < sizeof routine / sizeof *routine; i++) {
        struct guard_input in = {.draft = "Thanks.", .draft_len = 7, .context = routine[i],
                                 .context_len = strlen(routine[i]), .today = "2026-11-25",
                                 .keep_all = true};
        struct guard_result r;
        char *err = NULL;
        assert_int_equal(guard_check(g, &in, &r, &err), 0);
        if (gt_find(&r, "escalation.reads-at-risk") != NULL)
            fail_msg("the escalation model fires on: %s", routine[i]);
        guard_result_free(&r);
    }
    guard_free(g);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scores_and_explains),
        cmocka_unit_test(test_fails_closed),
        cmocka_unit_test(test_shipped_model),
        cmocka_unit_test(test_guess_behind_a_rule),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
