/* The search language and thread listing: FTS5 expressions, filters, sorting, paging. */
#include "testutil.h"

#include "model/query.h"
#include "model/thread.h"
#include "model/triage.h"

/* Parses text and checks the FTS expression it builds. */
static void
expect_fts(const char *text, const char *fts)
{
    struct query q;
    char *err = NULL;
    if (query_parse(text, &q, &err) != 0)
        fail_msg("query_parse(%s): %s", text, err);
    if (fts == NULL)
        assert_null(q.fts);
    else
        assert_string_equal(q.fts, fts);
    query_free(&q);
}

static void
test_parse_text(void **state)
{
    (void)state;
    expect_fts("bins", "\"bins\"");
    expect_fts("bin collection", "\"bin\" \"collection\"");
    expect_fts("\"bin collection\"", "\"bin collection\"");
    expect_fts("grit*", "\"grit\"*");
    expect_fts("bins OR recycling", "\"bins\" OR \"recycling\"");
    expect_fts("bins -garden -food", "\"bins\"");
    struct query q;
    char *err = NULL;
    assert_int_equal(query_parse("bins -garden -food -state:closed", &q, &err), 0);
    assert_string_equal(q.fts_not, "\"garden\" OR \"food\"");
    assert_int_equal(q.nterms, 1);
    assert_int_equal(q.terms[0].negate, 1);
    assert_string_equal(q.terms[0].value, "closed");
    query_free(&q);
    /* FTS5 syntax in user input is quoted, never run as syntax. */
    expect_fts("NEAR(a col:x", "\"NEAR(a\" \"col:x\"");
}

static void
test_parse_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        const char *msg;
    } bad[] = {
        {"state:sleeping", "unknown state 'sleeping'"},
        {"platform:myspace", "unknown platform"},
        {"\"open quote", "quote is not closed"},
        {"-only -exclusions", "cannot only exclude"},
        {"tag:", "needs a value"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct query q;
        char *err = NULL;
        assert_int_equal(query_parse(bad[i].text, &q, &err), -1);
        if (strstr(err, bad[i].msg) == NULL)
            fail_msg("%s: got \"%s\"", bad[i].text, err);
        free(err);
    }
}

/* Lists threads for a query and returns their ids as "1,3" for easy comparison. */
static char *
ids(struct tcache *c, const char *text, enum thread_sort sort)
{
    struct query q;
    struct thread_list l;
    char *err = NULL;
    if (query_parse(text, &q, &err) != 0)
        fail_msg("query_parse(%s): %s", text, err);
    if (thread_list(c->db, &q, sort, -1, 0, &l, &err) != 0)
        fail_msg("thread_list(%s): %s", text, err);
    struct buf b = {0};
    for (size_t i = 0; i < l.n; i++)
        buf_printf(&b, "%s%ld", i ? "," : "", l.rows[i].id);
    thread_list_free(&l);
    query_free(&q);
    return buf_take(&b);
}

#define EXPECT_IDS(c, text, want)                                                              \
    do {                                                                                       \
        char *got_ = ids(c, text, THREAD_SORT_ACTIVITY);                                       \
        if (strcmp(got_, want) != 0)                                                           \
            fail_msg("query '%s': got [%s], want [%s]", text, got_, want);                     \
        free(got_);                                                                            \
    } while (0)

/* Threads in FIXTURE: 1 mastodon (bins, last 11:00 on 20th), 2 bluesky (café, 21st),
 * 3 wordpress (gritting, last 22nd). Activity order: 3, 2, 1. */
static void
test_search_with_filters(void **state)
{
    (void)state;
    struct tcache c;
    struct import_stats s;
    char *err = NULL;
    tcache_open(&c);
    assert_int_equal(tcache_import(&c, FIXTURE, &s, &err), 0);
    const char *tags[] = {"bins"};
    assert_int_equal(triage_tag(c.db, "sam", 1, tags, 1, NULL, 0, NULL, &err), 0);
    assert_int_equal(triage_set_state(c.db, "sam", 2, "replied", NULL, &err), 0);
    assert_int_equal(triage_assign(c.db, "sam", 3, "jo", NULL, &err), 0);

    EXPECT_IDS(&c, "", "3,2,1");
    EXPECT_IDS(&c, "collection", "1");
    EXPECT_IDS(&c, "\"three weeks\"", "1");
    EXPECT_IDS(&c, "\"weeks three\"", "");
    EXPECT_IDS(&c, "recycl*", "1");
    EXPECT_IDS(&c, "cafe", "2");          /* diacritics folded */
    EXPECT_IDS(&c, "Zoe", "2");           /* author display name */
    EXPECT_IDS(&c, "gritting OR library", "3,2");
    EXPECT_IDS(&c, "sorry -recycling", ""); /* another post of thread 1 has recycling */
    EXPECT_IDS(&c, "sorry -gritting", "1");
    EXPECT_IDS(&c, "state:new", "3,1");
    EXPECT_IDS(&c, "-state:new", "2");
    EXPECT_IDS(&c, "state:new state:replied", "3,2,1");
    EXPECT_IDS(&c, "platform:bluesky", "2");
    EXPECT_IDS(&c, "account:blog", "3");
    EXPECT_IDS(&c, "from:alice", "1");
    EXPECT_IDS(&c, "from:\"Alice Hughes\"", "1");
    EXPECT_IDS(&c, "from:\"Hughes Alice\"", "");
    EXPECT_IDS(&c, "from:bob state:new", "3");
    EXPECT_IDS(&c, "tag:bins", "1");
    EXPECT_IDS(&c, "-tag:bins", "3,2");
    EXPECT_IDS(&c, "assignee:jo", "3");
    EXPECT_IDS(&c, "assignee:none", "2,1");
    EXPECT_IDS(&c, "bin platform:bluesky", "");
    /* Quotes and FTS operators in input are data, never syntax errors. */
    EXPECT_IDS(&c, "NEAR( col:x AND", "");

    char *age = ids(&c, "", THREAD_SORT_AGE);
    assert_string_equal(age, "3,1,2");
    free(age);
    assert_int_equal(triage_set_priority(c.db, "sam", 1, 3, NULL, &err), 0);
    char *prio = ids(&c, "", THREAD_SORT_PRIORITY);
    assert_string_equal(prio, "1,3,2");
    free(prio);
    tcache_close(&c);
}

/* Paging returns the right slice; counts per state ignore the state filter. */
static void
test_paging_and_counts(void **state)
{
    (void)state;
    struct tcache c;
    struct import_stats s;
    struct thread_list l;
    long counts[TRIAGE_NSTATES];
    char *err = NULL;
    tcache_open(&c);
    assert_int_equal(tcache_import(&c, FIXTURE, &s, &err), 0);
    assert_int_equal(triage_set_state(c.db, "sam", 1, "escalated", NULL, &err), 0);
    assert_int_equal(thread_list(c.db, NULL, THREAD_SORT_ACTIVITY, 1, 1, &l, &err), 0);
    assert_int_equal(l.n, 1);
    assert_int_equal(l.rows[0].id, 2);
    assert_int_equal(l.rows[0].unread, 1);
    thread_list_free(&l);

    struct query q;
    assert_int_equal(query_parse("state:new", &q, &err), 0);
    assert_int_equal(thread_count_states(c.db, &q, counts, &err), 0);
    assert_int_equal(counts[0], 2); /* new */
    assert_int_equal(counts[5], 1); /* escalated */
    query_free(&q);

    assert_int_equal(thread_mark_seen(c.db, 2, &err), 0);
    assert_int_equal(thread_list(c.db, NULL, THREAD_SORT_ACTIVITY, 1, 1, &l, &err), 0);
    assert_int_equal(l.rows[0].unread, 0);
    thread_list_free(&l);
    tcache_close(&c);
}

/* A thread comes back as a tree: replies under their parents, depth first. */
static void
test_thread_tree(void **state)
{
    (void)state;
    struct tcache c;
    struct import_stats s;
    char *err = NULL;
    tcache_open(&c);
    /* Replies arrive before their parents and one parent is missing from the cache. */
    const char *posts =
        "{\"platform\":\"mastodon\",\"account\":\"d\",\"thread\":\"1\",\"id\":\"4\","
        "\"parent\":\"2\",\"author\":\"c\",\"created_at\":\"2026-11-20T09:04:00Z\",\"text\":\"4\"}\n"
        "{\"platform\":\"mastodon\",\"account\":\"d\",\"thread\":\"1\",\"id\":\"1\","
        "\"parent\":null,\"author\":\"a\",\"created_at\":\"2026-11-20T09:01:00Z\",\"text\":\"1\"}\n"
        "{\"platform\":\"mastodon\",\"account\":\"d\",\"thread\":\"1\",\"id\":\"3\","
        "\"parent\":\"1\",\"author\":\"b\",\"created_at\":\"2026-11-20T09:03:00Z\",\"text\":\"3\"}\n"
        "{\"platform\":\"mastodon\",\"account\":\"d\",\"thread\":\"1\",\"id\":\"2\","
        "\"parent\":\"1\",\"author\":\"b\",\"created_at\":\"2026-11-20T09:02:00Z\",\"text\":\"2\"}\n"
        "{\"platform\":\"mastodon\",\"account\":\"d\",\"thread\":\"1\",\"id\":\"6\","
        "\"parent\":\"5\",\"author\":\"e\",\"created_at\":\"2026-11-20T09:06:00Z\",\"text\":\"6\"}\n";
    assert_int_equal(tcache_import(&c, posts, &s, &err), 0);
    struct thread *t = thread_get(c.db, 1, &err);
    assert_non_null(t);
    assert_int_equal(t->nposts, 5);
    static const char *order[] = {"1", "2", "4", "3", "6"};
    static const int depth[] = {0, 1, 2, 1, 0};
    for (size_t i = 0; i < 5; i++) {
        assert_string_equal(t->posts[i].remote_id, order[i]);
        assert_int_equal(t->posts[i].depth, depth[i]);
    }
    thread_free(t);
    assert_null(thread_get(c.db, 99, &err));
    assert_non_null(strstr(err, "no thread 99"));
    free(err);
    tcache_close(&c);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_text),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_search_with_filters),
        cmocka_unit_test(test_paging_and_counts),
        cmocka_unit_test(test_thread_tree),
    };
    return cmocka_run_group_tests_name("model_query", tests, NULL, NULL);
}
