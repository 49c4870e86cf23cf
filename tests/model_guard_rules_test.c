/* Rule files, the office policy and the user's rules: the format, every error reported as
 * FILE:LINE, list files, templates, and what each layer may change (locks, approval, packs,
 * allow-lists, the election period). */
#include "guardtest.h"

/* A small pack used by most tests here. */
static const char pack[] = "# a test pack\n"
                           "[tone.test]\n"
                           "level   = warning\n"
                           "kind    = phrase\n"
                           "message = \"{match}\" is on the test list.\n"
                           "fix     = Say something else.\n"
                           "match   = bad word\n"
                           "match   = grim*\n"
                           "\n"
                           "[commitment.test]\n"
                           "level = warning ; a comment\n"
                           "kind = phrase\n"
                           "message = Promise: {match}.\n"
                           "match = we promise\n";

/* Makes a rules folder holding the test pack; the caller frees it with gt_dir_free. */
static void
pack_dir(struct gt_dir *d)
{
    gt_dir_new(d);
    free(gt_write(d, "test.rules", pack));
}

/* Asserts that err holds the line want. */
static void
has_line(const char *err, const char *want)
{
    if (strstr(err, want) == NULL)
        fail_msg("expected \"%s\" in:\n%s", want, err);
}

/* The first finding of rule on text with guard g, or fails. */
static void
severity_is(const struct guard *g, const char *text, const char *rule, enum guard_severity s)
{
    struct guard_result r = gt_check(g, text);
    const struct guard_finding *f = gt_find(&r, rule);
    if (f == NULL)
        fail_msg("%s did not fire on \"%s\"", rule, text);
    assert_int_equal(f->severity, s);
    guard_result_free(&r);
}

static void
test_pack_loads_and_matches(void **state)
{
    (void)state;
    struct gt_dir d;
    pack_dir(&d);
    struct guard *g = gt_load(d.path, NULL, NULL);
    assert_int_equal(guard_rule_count(g), 2);
    struct guard_rule_info info;
    guard_rule_info(g, 0, &info);
    assert_string_equal(info.id, "tone.test");
    assert_string_equal(info.category, "tone");
    assert_string_equal(info.pack, "test");
    assert_string_equal(info.kind, "phrase");
    assert_int_equal(info.line, 2);
    assert_true(strstr(info.file, "/test.rules") != NULL);
    struct guard_result r = gt_check(g, "What a Bad  Word, and grimly so.");
    assert_int_equal(r.n, 2);
    /* {match} shows the text with runs of spaces as one. */
    assert_string_equal(r.findings[0].message, "\"Bad Word\" is on the test list.");
    assert_string_equal(r.findings[0].suggestion, "Say something else.");
    assert_string_equal(r.findings[1].rule, "tone.test");
    assert_int_equal(r.findings[1].start, 22);
    guard_result_free(&r);
    /* No fix: an empty suggestion. */
    r = gt_check(g, "We promise.");
    assert_string_equal(r.findings[0].message, "Promise: We promise.");
    assert_string_equal(r.findings[0].suggestion, "");
    guard_result_free(&r);
    guard_free(g);
    gt_dir_free(&d);
}

static void
test_file_errors_have_lines(void **state)
{
    (void)state;
    struct gt_dir d;
    gt_dir_new(&d);
    free(gt_write(&d, "bad.rules",
                  "level = error\n"                         /* 1: before any section */
                  "[tone.ok]\n"                             /* 2 */
                  "level = loud\n"                          /* 3: bad level */
                  "kind = phrase\n"                         /* 4 */
                  "message = {nope} here\n"                 /* 5: unknown variable */
                  "match = fine words\n"                    /* 6 */
                  "colour = blue\n"                         /* 7: unknown key */
                  "[nocategory]\n"                          /* 8: not a rule id */
                  "[weird.one]\n"                           /* 9: unknown category */
                  "[tone.regex]\n"                          /* 10 */
                  "kind = regex\n"                          /* 11 */
                  "level = warning\n"                       /* 12 */
                  "message = m\n"                           /* 13 */
                  "match = (unclosed\n"                     /* 14: bad regex */
                  "[tone.nokind]\n"                         /* 15: no kind */
                  "level = info\n"                          /* 16 */
                  "[tone.ok]\n"                             /* 17: duplicate */
                  "kind = phrase\nlevel = info\nmessage = m\nmatch = x\n"
                  "[tone.twice]\n"                          /* 22 */
                  "kind = phrase\nlevel = info\nlevel = error\n" /* 25: set twice */
                  "message = m\nmatch = /s\n"               /* 27: punctuation phrase */
                  "[tone.list]\n"                           /* 28 */
                  "kind = phrase\nlevel = info\nmessage = m\n"
                  "list = missing.txt\n"));                 /* 32: missing list */
    char *err = gt_load_fails(d.path, NULL, NULL);
    char *at = xasprintf("%s/bad.rules:", d.path);
    static const char *const want[] = {
        "1: level = ... comes before any [section]",
        "3: level = 'loud' is not known; use info, warning or error",
        "5: message uses {nope}, which is not known",
        "7: unknown key 'colour' in [tone.ok]",
        "8: unknown section [nocategory]; a shipped pack holds [CATEGORY.NAME] rule and [class NAME] sections",
        "9: [weird.one]: unknown category 'weird'",
        "14: the regular expression '(unclosed' is broken",
        "15: rule tone.nokind has no kind",
        "17: rule tone.ok is already defined at",
        "25: level is set twice in [tone.twice] (first on line 24)",
        "27: '/s' in '/s' starts with punctuation",
        "32: cannot read the list",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        char *line = xasprintf("%s%s", at, want[i]);
        has_line(err, line);
        free(line);
    }
    /* A refused value is reported once, not again as missing. */
    assert_null(strstr(err, "rule tone.ok has no level"));
    free(at);
    free(err);
    gt_dir_free(&d);
}

static void
test_list_files(void **state)
{
    (void)state;
    struct gt_dir d;
    gt_dir_new(&d);
    free(gt_write(&d, "words.txt", "# comment\n\nutilise => use\n  going forward => from now on\n"
                                   "/bad\n"));
    free(gt_write(&d, "p.rules", "[plain-english.t]\nkind = phrase\nlevel = info\n"
                                 "message = {match}\nfix = try {replacement}\n"
                                 "list = words.txt\n"));
    char *err = gt_load_fails(d.path, NULL, NULL);
    char *want = xasprintf("%s/words.txt:5: '/bad' in '/bad' starts with punctuation", d.path);
    has_line(err, want);
    free(want);
    free(err);
    free(gt_write(&d, "words.txt", "utilise => use\ngoing forward => from now on\n"));
    struct guard *g = gt_load(d.path, NULL, NULL);
    struct guard_result r = gt_check(g, "We will utilise it going forward.");
    assert_int_equal(r.n, 2);
    assert_string_equal(r.findings[0].suggestion, "try use");
    assert_string_equal(r.findings[1].suggestion, "try from now on");
    guard_result_free(&r);
    guard_free(g);
    gt_dir_free(&d);
}

/* `when = CATEGORY` is read on expect and pattern rules; a rule it gates reads the draft only. */
static void
test_when_reads_draft(void **state)
{
    (void)state;
    struct gt_dir d;
    gt_dir_new(&d);
    free(gt_write(&d, "p.rules", "[tone.gated]\nkind = pattern\nlevel = warning\n"
                                 "applies = both\nwhen = escalation\nmessage = m\n"
                                 "match = calm down\n"));
    char *err = gt_load_fails(d.path, NULL, NULL);
    char *want = xasprintf("%s/p.rules:1: rule tone.gated: a rule with when = CATEGORY reads the "
                           "draft only (the post's findings decide whether it runs); remove "
                           "applies = ...",
                           d.path);
    has_line(err, want);
    free(want);
    free(err);
    free(gt_write(&d, "p.rules", "[tone.gated]\nkind = regex\nlevel = warning\n"
                                 "when = escalation\nmessage = m\nmatch = calm down\n"));
    err = gt_load_fails(d.path, NULL, NULL);
    assert_non_null(strstr(err, "when"));
    free(err);
    gt_dir_free(&d);
}

static void
test_policy_changes_rules(void **state)
{
    (void)state;
    struct gt_dir d;
    pack_dir(&d);
    const char *policy = "[tone.test]\n"
                         "level = error\n"
                         "except = bad words\n"
                         "match = awful\n"
                         "message = Policy says no to \"{match}\".\n"
                         "[commitment.test]\n"
                         "enabled = no\n"
                         "[self-id.office]\n"
                         "kind = regex\n"
                         "level = warning\n"
                         "message = Office rule: {match}.\n"
                         "match = \\bjane\\s+doe\\b\n";
    struct guard *g = gt_load(d.path, policy, NULL);
    severity_is(g, "a bad word", "tone.test", GUARD_ERROR);
    severity_is(g, "so awful", "tone.test", GUARD_ERROR);
    gt_quiet(g, "bad words", "tone.test");
    gt_quiet(g, "we promise", "commitment.test");
    gt_fires(g, "Ask JANE  DOE.", "self-id.office", "JANE  DOE");
    struct guard_result r = gt_check(g, "a bad word");
    assert_string_equal(r.findings[0].message, "Policy says no to \"bad word\".");
    guard_result_free(&r);
    struct guard_rule_info info;
    guard_rule_info(g, 1, &info);
    assert_false(info.enabled);
    assert_non_null(info.changed_file);
    assert_int_equal(info.changed_line, 7);
    guard_rule_info(g, 2, &info);
    assert_string_equal(info.pack, "policy");
    guard_free(g);
    /* A policy cannot change a rule's kind, and its own regex must compile. */
    char *err = gt_load_fails(d.path, "[tone.test]\nkind = regex\n[tone.x]\nkind = regex\n"
                                      "level = info\nmessage = m\nmatch = a(b\n", NULL);
    has_line(err, "policy:2: rule tone.test is defined at");
    has_line(err, "policy:7: the regular expression 'a(b' is broken");
    free(err);
    gt_dir_free(&d);
}

static void
test_lock_stops_the_user_file(void **state)
{
    (void)state;
    struct gt_dir d;
    pack_dir(&d);
    const char *policy = "[tone.test]\nlock = yes\napproval = yes\n";
    const char *weakening = "[tone.test]\n"
                            "enabled = no\n"
                            "level = info\n"
                            "except = bad word\n"
                            "[pack test]\n"
                            "enabled = no\n"
                            "[commitment.test]\n"
                            "lock = yes\n";
    char *err = gt_load_fails(d.path, policy, weakening);
    has_line(err, "rules:2: rule tone.test is locked by the office policy");
    has_line(err, "so your rules file cannot turn it off");
    has_line(err, "rules:3: rule tone.test is locked");
    has_line(err, "cannot lower its level");
    has_line(err, "rules:4: rule tone.test is locked");
    has_line(err, "rules:8: lock = ... belongs in the office policy, not in a user rules file");
    free(err);
    /* Turning off the pack leaves the locked rule on; strengthening is fine. */
    struct guard *g = gt_load(d.path, policy,
                              "[pack test]\nenabled = no\n[tone.test]\nlevel = error\n"
                              "match = dire\n[allow]\nword = bad word\n");
    severity_is(g, "a bad word", "tone.test", GUARD_ERROR);
    severity_is(g, "how dire", "tone.test", GUARD_ERROR);
    gt_quiet(g, "we promise", "commitment.test");
    assert_true(guard_rule_needs_approval(g, "tone.test"));
    assert_false(guard_rule_needs_approval(g, "commitment.test"));
    struct guard_result r = gt_check(g, "a bad word");
    assert_true(r.findings[0].locked);
    assert_true(r.findings[0].approval);
    guard_result_free(&r);
    guard_free(g);
    /* Without the lock, the user's file may turn the rule off and allow words. */
    g = gt_load(d.path, NULL, "[tone.test]\nenabled = no\n");
    gt_quiet(g, "a bad word", "tone.test");
    guard_free(g);
    g = gt_load(d.path, NULL, "[allow]\nword = bad word\n");
    gt_quiet(g, "a bad word", "tone.test");
    guard_free(g);
    gt_dir_free(&d);
}

static void
test_policy_file_problems(void **state)
{
    (void)state;
    struct gt_dir d;
    pack_dir(&d);
    char *err = gt_load_fails(d.path, "[pack nosuch]\nenabled = no\n"
                                      "[allow]\ndomain = not a domain\ncolour = red\n"
                                      "[election]\nstart = 2027-02-30\n"
                                      "[commitment.test]\napproval = maybe\n",
                              NULL);
    has_line(err, "policy:1: [pack nosuch]: no such shipped pack; the packs are test");
    has_line(err, "policy:4: 'not a domain' is not a domain name");
    has_line(err, "policy:5: unknown key 'colour' in [allow]");
    has_line(err, "policy:7: start = '2027-02-30' is not a date");
    has_line(err, "policy:6: [election] needs both start");
    has_line(err, "policy:9: approval = 'maybe': use yes or no");
    free(err);
    err = gt_load_fails(d.path, "[election]\nstart = 2027-05-06\nend = 2027-04-01\n", NULL);
    has_line(err, "policy:3: the election period ends (2027-04-01) before it starts");
    free(err);
    /* A missing policy is an error; a missing user file is not. */
    struct guard_options o = {.rules_dir = d.path, .policy = "/nonexistent/policy"};
    assert_null(guard_new(&o, &err));
    has_line(err, "cannot read the office policy /nonexistent/policy: No such file");
    free(err);
    o = (struct guard_options){.rules_dir = d.path, .user_rules = "/nonexistent/rules"};
    struct guard *g = guard_new(&o, &err);
    assert_non_null(g);
    guard_free(g);
    /* An election period only in the policy. */
    err = gt_load_fails(d.path, NULL, "[election]\nstart = 2027-04-01\nend = 2027-05-06\n");
    has_line(err, "rules:1: unknown section [election]");
    free(err);
    gt_dir_free(&d);
}

static void
test_quoting_and_comments(void **state)
{
    (void)state;
    struct gt_dir d;
    gt_dir_new(&d);
    free(gt_write(&d, "q.rules", "\xEF\xBB\xBF; a comment\r\n"
                                 "[tone.q]\r\n"
                                 "  kind = phrase   # hash is not a comment here\r\n"
                                 "level = info ; but this is\r\n"
                                 "message = \"  {match} ; kept  \"\r\n"
                                 "match = \"semi;colon\"\r\n"
                                 "match = #hashtag-free words\r\n"));
    char *err = gt_load_fails(d.path, NULL, NULL);
    has_line(err, "q.rules:3: kind = 'phrase   # hash is not a comment here' is not known");
    free(err);
    free(gt_write(&d, "q.rules", "[tone.q]\nkind = phrase\nlevel = info\n"
                                 "message = \"  {match} ; kept  \"\n"
                                 "match = \"semi colon\"\n"));
    struct guard *g = gt_load(d.path, NULL, NULL);
    struct guard_result r = gt_check(g, "a semi colon");
    assert_int_equal(r.n, 1);
    assert_string_equal(r.findings[0].message, "  semi colon ; kept  ");
    guard_result_free(&r);
    guard_free(g);
    gt_dir_free(&d);
}

static void
test_shipped_packs(void **state)
{
    (void)state;
    struct guard *g = gt_shipped(NULL, NULL);
    static const char *const categories[] = {
        "political", "rebuttal", "commitment", "personal-data", "tone", "plain-english",
        "links", "length", "self-id", "service-request", "escalation", "election"};
    for (size_t c = 0; c < sizeof categories / sizeof categories[0]; c++) {
        bool found = false;
        for (size_t i = 0; i < guard_rule_count(g); i++) {
            struct guard_rule_info info;
            guard_rule_info(g, i, &info);
            found |= strcmp(info.category, categories[c]) == 0;
        }
        if (!found)
            fail_msg("no shipped rule in category %s", categories[c]);
    }
    guard_free(g);
}

/* The keys tactful(5) documents are the keys a rule section accepts: each one given in a
 * policy's rule is never an unknown key (its value may still be wrong), and an undocumented
 * key is. Every key has its help. */
static void
test_documented_keys_are_accepted(void **state)
{
    (void)state;
    struct gt_dir packs;
    pack_dir(&packs);
    struct guard_rule_key_doc d;
    size_t n = 0;
    for (; guard_rule_key_doc(n, &d) == 0; n++) {
        assert_true(d.help != NULL && strlen(d.help) > 10);
        assert_non_null(d.value);
        char *policy = xasprintf("[tone.doc]\nlevel = warning\nkind = phrase\n"
                                 "message = m\nmatch = x\n%s = x\n",
                                 d.name);
        struct gt_dir dir;
        gt_dir_new(&dir);
        char *path = gt_write(&dir, "policy", policy);
        struct guard_options o = {.rules_dir = packs.path, .policy = path};
        char *err = NULL;
        struct guard *g = guard_new(&o, &err);
        if (err && strstr(err, "unknown key"))
            fail_msg("documented key %s is unknown: %s", d.name, err);
        guard_free(g);
        free(err);
        free(path);
        free(policy);
        gt_dir_free(&dir);
    }
    assert_true(n >= 30);
    char *err = gt_load_fails(packs.path, "[tone.doc]\nlevel = warning\nkind = phrase\n"
                                          "message = m\nmatch = x\nnot-a-key = x\n", NULL);
    has_line(err, "unknown key 'not-a-key'");
    free(err);
    assert_int_equal(guard_rule_key_doc(0, &d), 0);
    assert_string_equal(d.name, "kind");
    assert_int_equal(guard_rule_key_doc(n, &d), -1);
    gt_dir_free(&packs);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pack_loads_and_matches),
        cmocka_unit_test(test_file_errors_have_lines),
        cmocka_unit_test(test_list_files),
        cmocka_unit_test(test_when_reads_draft),
        cmocka_unit_test(test_policy_changes_rules),
        cmocka_unit_test(test_lock_stops_the_user_file),
        cmocka_unit_test(test_policy_file_problems),
        cmocka_unit_test(test_quoting_and_comments),
        cmocka_unit_test(test_shipped_packs),
        cmocka_unit_test(test_documented_keys_are_accepted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
