/* The ready-reckoner's pattern files: the shipped file matches the guardrails' ids, office
 * files override by id, errors name FILE:LINE, templates fill their placeholders. */
#include "testutil.h"

#include "model/guard.h"
#include "model/pattern.h"

#include <unistd.h>

/* Writes text to a new file in dir and returns its path (newly allocated). */
static char *
write_file(const char *dir, const char *name, const char *text)
{
    char *path = xasprintf("%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

/* The shipped file holds the seven core patterns, keys 1-7, with the guardrails' ids. */
static void
test_shipped(void **state)
{
    (void)state;
    struct pattern_set *set = pattern_set_new();
    char *err = NULL;
    if (pattern_load_dir(set, "share/patterns", false, &err) != 0)
        fail_msg("%s", err);
    assert_int_equal(set->n, 7);
    size_t core = 0;
    for (const struct guard_pattern *g = guard_patterns; g->id; g++, core++)
        assert_non_null(pattern_find(set, g->id));
    assert_int_equal(core, 7);
    for (int k = 1; k <= 7; k++)
        assert_non_null(pattern_find_key(set, k));
    assert_true(pattern_find(set, "signposting")->expect_link);
    assert_true(pattern_find(set, "clarification")->expect_source);
    assert_true(pattern_find(set, "mea-culpa")->approval);
    assert_false(pattern_find(set, "acknowledgement")->approval);
    pattern_set_free(set);
}

/* Placeholders are filled, a platform variant wins, unknown ones and {{ are kept. */
static void
test_render(void **state)
{
    (void)state;
    struct pattern_set *set = pattern_set_new();
    char *err = NULL;
    char dir[] = "/tmp/tactful-pattern-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *f = write_file(dir, "a.pattern",
                         "[x]\nname = X\npurpose = p\n"
                         "template = Hi {author}, {{see} {link} {other}\\nBye {signature}\n"
                         "template.bluesky = Short {topic}\n");
    assert_int_equal(pattern_load_file(set, f, &err), 0);
    struct pattern_vars v = {"@ann", "bins", "https://x.example", "^SP"};
    char *s = pattern_render(pattern_find(set, "x"), "mastodon", &v);
    assert_string_equal(s, "Hi @ann, {see} https://x.example {other}\nBye ^SP");
    free(s);
    s = pattern_render(pattern_find(set, "x"), "bluesky", &v);
    assert_string_equal(s, "Short bins");
    free(s);
    /* No signature configured: {signature} goes with the blanks before it. */
    struct pattern_vars nosig = {"@ann", NULL, NULL, NULL};
    s = pattern_render(pattern_find(set, "x"), "mastodon", &nosig);
    assert_string_equal(s, "Hi @ann, {see} {link} {other}\nBye");
    free(s);
    unlink(f);
    free(f);
    rmdir(dir);
    pattern_set_free(set);
}

/* A later file's section replaces the earlier one whole; new ids are added. */
static void
test_override(void **state)
{
    (void)state;
    struct pattern_set *set = pattern_set_new();
    char *err = NULL;
    char dir[] = "/tmp/tactful-pattern-XXXXXX";
    assert_non_null(mkdtemp(dir));
    assert_int_equal(pattern_load_dir(set, "share/patterns", false, &err), 0);
    char *f = write_file(dir, "office.pattern",
                         "# ours\n[acknowledgement]\nkey = 1\nname = Thanks\npurpose = ours\n"
                         "approval = yes\ntemplate = Cheers {author}\n\n"
                         "[holding]\nkey = 8\nname = Holding\npurpose = buy time\n"
                         "template = We'll come back to you.\n");
    assert_int_equal(pattern_load_dir(set, dir, false, &err), 0);
    assert_int_equal(set->n, 8);
    const struct pattern *p = pattern_find(set, "acknowledgement");
    assert_string_equal(p->purpose, "ours");
    assert_true(p->approval);
    assert_int_equal(p->ntemplates, 1);
    assert_string_equal(pattern_find_key(set, 8)->id, "holding");
    unlink(f);
    free(f);
    assert_int_equal(pattern_load_dir(set, "/nonexistent/x", true, &err), 0);
    assert_int_equal(pattern_load_dir(set, "/nonexistent/x", false, &err), -1);
    free(err);
    rmdir(dir);
    pattern_set_free(set);
}

/* Every problem is reported as FILE:LINE and nothing from a broken file is kept. */
static void
test_errors(void **state)
{
    (void)state;
    struct pattern_set *set = pattern_set_new();
    char *err = NULL;
    char dir[] = "/tmp/tactful-pattern-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *f = write_file(dir, "bad.pattern",
                         "stray = 1\n[ok]\nname = A\npurpose = b\ntemplate = t\n"
                         "[Bad Id]\n[two]\nkey = 12\ncolour = red\nexpect = maybe\n"
                         "template.myspace = x\nno equals here\nname = N\n");
    assert_int_equal(pattern_load_file(set, f, &err), -1);
    char *want = xasprintf("%s:1: key = value before the first [ID]", f);
    assert_non_null(strstr(err, want));
    free(want);
    assert_non_null(strstr(err, ":6: 'Bad Id' is not a pattern id"));
    assert_non_null(strstr(err, ":8: key = '12'"));
    assert_non_null(strstr(err, ":9: unknown key 'colour'"));
    assert_non_null(strstr(err, ":10: expect = 'maybe'"));
    assert_non_null(strstr(err, ":11: template.myspace: no such platform"));
    assert_non_null(strstr(err, ":12: expected key = value"));
    assert_non_null(strstr(err, ":7: pattern 'two' has no purpose"));
    assert_int_equal(set->n, 0);
    free(err);
    err = NULL;
    assert_int_equal(pattern_load_file(set, "/nonexistent/p.pattern", &err), -1);
    assert_non_null(strstr(err, "cannot read /nonexistent/p.pattern"));
    free(err);
    unlink(f);
    free(f);
    rmdir(dir);
    pattern_set_free(set);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped),
        cmocka_unit_test(test_render),
        cmocka_unit_test(test_override),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
