/* A new platform is one table entry (tests/platform_fake/entry.h, added to
 * model/platform_list.h) and one file (tests/platform_fake/fakebook.c, its adapter): built so,
 * the configuration, the guardrails' length check, imports, searches, the inbox's short label
 * and the adapter table all accept it with no other change. The Makefile builds this test with
 * model/platform.c and net/adapter.c compiled again with -DTACTFUL_PLATFORM_EXTRA. */
#include "guardtest.h"

#include "model/config.h"
#include "model/platform.h"
#include "model/query.h"
#include "model/thread.h"
#include "net/adapter.h"

extern const struct net_adapter fakebook_adapter;

static void
test_table(void **state)
{
    (void)state;
    const struct platform *p = platform_find("fakebook");
    assert_non_null(p);
    assert_string_equal(p->label, "Fakebook");
    char *names = platform_names(" or ");
    assert_string_equal(names, "mastodon, bluesky, wordpress or fakebook");
    free(names);
    /* The inbox's platform column, when narrow. */
    assert_string_equal(platform_short_name("fakebook"), "fb");
}

/* Writes text to a config file in d and loads it; returns the config or NULL with *err. */
static struct config *
load_config(const struct gt_dir *d, const char *text, char **err)
{
    char *path = gt_write(d, "config", text);
    struct config *cfg = config_load(path, 0, err);
    free(path);
    return cfg;
}

static void
test_config(void **state)
{
    (void)state;
    struct gt_dir d;
    gt_dir_new(&d);
    char *err = NULL;
    /* The table says what user = means there, and that it is needed. */
    struct config *cfg = load_config(&d, "[account page]\nplatform = fakebook\n"
                                          "url = https://fakebook.example\n"
                                          "token_env = FAKEBOOK_TOKEN\n", &err);
    assert_null(cfg);
    assert_non_null(strstr(err, "fakebook accounts need user = ... (the Fakebook page name)"));
    free(err);
    err = NULL;
    cfg = load_config(&d, "[account page]\nplatform = fakebook\nuser = northmoor\n"
                          "url = https://fakebook.example\ntoken_env = FAKEBOOK_TOKEN\n", &err);
    if (cfg == NULL)
        fail_msg("config_load: %s", err);
    assert_int_equal(cfg->naccounts, 1);
    assert_string_equal(cfg->accounts[0].platform, "fakebook");
    /* The adapter table found its adapter in the one file. */
    assert_ptr_equal(net_adapter_find("fakebook"), &fakebook_adapter);
    struct net_account *a = net_account_new(&cfg->accounts[0], xstrdup("secret"), &err);
    assert_non_null(a);
    assert_ptr_equal(a->platform, platform_find("fakebook"));
    net_account_free(a);
    config_free(cfg);
    /* An unknown platform's message lists it with the others. */
    assert_null(load_config(&d, "[account x]\nplatform = myspace\n", &err));
    assert_non_null(strstr(err, "expected one of: mastodon, bluesky, wordpress, fakebook"));
    free(err);
    gt_dir_free(&d);
}

static void
test_guard_length(void **state)
{
    (void)state;
    struct gt_dir d;
    gt_dir_new(&d);
    char *rules = gt_write(&d, "length.rules",
                           "[length.fakebook]\nlevel = error\nkind = length\n"
                           "platform = fakebook\nmax = 120\n"
                           "message = {over} {unit} over Fakebook's limit of {max}.\n");
    free(rules);
    struct guard *g = gt_load(d.path, NULL, NULL);
    char *draft = xasprintf("%0125d", 0);
    struct guard_input in = {.draft = draft, .draft_len = strlen(draft), .platform = "fakebook"};
    struct guard_result r;
    char *err = NULL;
    assert_int_equal(guard_check(g, &in, &r, &err), 0);
    const struct guard_finding *f = gt_find(&r, "length.fakebook");
    assert_non_null(f);
    assert_string_equal(f->message, "5 characters over Fakebook's limit of 120.");
    guard_result_free(&r);
    struct guard_length l;
    assert_int_equal(guard_length_count(g, "fakebook", draft, strlen(draft), &l), 1);
    assert_int_equal(l.count, 125);
    assert_int_equal(l.max, 120);
    free(draft);
    guard_free(g);
    gt_dir_free(&d);
}

static void
test_import_and_search(void **state)
{
    (void)state;
    struct tcache c;
    tcache_open(&c);
    struct import_stats st;
    char *err = NULL;
    const char *line = "{\"platform\":\"fakebook\",\"account\":\"page\",\"thread\":\"f1\","
                       "\"id\":\"f1\",\"parent\":null,\"author\":\"Ann\","
                       "\"created_at\":\"2026-11-20T09:15:00Z\",\"text\":\"Hello from "
                       "Fakebook\",\"own\":false}\n";
    if (tcache_import(&c, line, &st, &err) != 0)
        fail_msg("import: %s", err);
    struct query q;
    assert_int_equal(query_parse("platform:fakebook", &q, &err), 0);
    struct thread_list l;
    assert_int_equal(thread_list(c.db, &q, THREAD_SORT_ACTIVITY, 10, 0, &l, &err), 0);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.rows[0].platform, "fakebook");
    thread_list_free(&l);
    query_free(&q);
    tcache_close(&c);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_config),
        cmocka_unit_test(test_guard_length),
        cmocka_unit_test(test_import_and_search),
    };
    return cmocka_run_group_tests_name("platform_fake", tests, NULL, NULL);
}
