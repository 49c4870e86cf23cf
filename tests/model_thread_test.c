/* Thread listing for the inbox: keyset paging against offset paging, positions, per-state
 * counts, the values offered as completions, and the read marker. */
#include "testutil.h"

#include "model/draft.h"
#include "model/query.h"
#include "model/thread.h"
#include "model/triage.h"
#include "model/upstream.h"

#define NTHREADS 30

/* Creates a cache of NTHREADS one-post threads on two platforms. Several share a time, so the
 * id must break ties; priorities and states vary. */
static int
setup(void **state)
{
    struct tcache *c = xcalloc(1, sizeof *c);
    tcache_open(c);
    struct buf b = {0};
    for (int i = 0; i < NTHREADS; i++) {
        const char *platform = i % 3 ? "mastodon" : "bluesky";
        buf_printf(&b,
                   "{\"platform\":\"%s\",\"account\":\"%s\",\"thread\":\"r%d\",\"id\":\"r%d\","
                   "\"author\":\"@a%d\",\"created_at\":\"2026-11-%02dT09:00:00Z\","
                   "\"text\":\"post number %d\"}\n",
                   platform, i % 3 ? "masto" : "sky", i, i, i % 4, 1 + i / 3, i);
    }
    struct import_stats st;
    char *err = NULL;
    if (tcache_import(c, b.data, &st, &err) != 0)
        fail_msg("import: %s", err);
    buf_free(&b);
    for (long id = 1; id <= NTHREADS; id++) {
        if (id % 4 == 0)
            assert_int_equal(triage_set_priority(c->db, "t", id, (int)(id % 3) + 1, NULL, &err), 0);
        if (id % 5 == 0)
            assert_int_equal(triage_set_state(c->db, "t", id, "to_reply", NULL, &err), 0);
    }
    *state = c;
    return 0;
}

static int
teardown(void **state)
{
    struct tcache *c = *state;
    tcache_close(c);
    free(c);
    return 0;
}

/* The ids of every thread in the reference (offset) listing. */
static size_t
reference_ids(struct db *db, const struct query *q, enum thread_sort sort, long *ids)
{
    struct thread_list l;
    char *err = NULL;
    if (thread_list(db, q, sort, -1, 0, &l, &err) != 0)
        fail_msg("thread_list: %s", err);
    for (size_t i = 0; i < l.n; i++)
        ids[i] = l.rows[i].id;
    size_t n = l.n;
    thread_list_free(&l);
    return n;
}

/* Walks the listing forwards and backwards in pages of 4 with keyset paging and checks it
 * against the offset listing, and that every row's position is its index. */
static void
check_walk(struct db *db, const struct query *q, enum thread_sort sort)
{
    long ref[NTHREADS], got[NTHREADS];
    size_t nref = reference_ids(db, q, sort, ref), n = 0;
    char *err = NULL;
    struct thread_list page, next;
    assert_int_equal(thread_list_seek(db, q, sort, THREAD_SEEK_FIRST, NULL, 4, &page, &err), 0);
    while (page.n > 0) {
        for (size_t i = 0; i < page.n; i++) {
            assert_true(n < NTHREADS);
            got[n++] = page.rows[i].id;
            long pos = -1;
            assert_int_equal(thread_count_before(db, q, sort, &page.rows[i], &pos, &err), 0);
            assert_int_equal(pos, (long)n - 1);
        }
        assert_int_equal(thread_list_seek(db, q, sort, THREAD_SEEK_AFTER,
                                          &page.rows[page.n - 1], 4, &next, &err), 0);
        thread_list_free(&page);
        page = next;
    }
    thread_list_free(&page);
    assert_int_equal(n, nref);
    assert_memory_equal(got, ref, n * sizeof *ref);

    /* Backwards from the end, pages still come in listing order. */
    assert_int_equal(thread_list_seek(db, q, sort, THREAD_SEEK_LAST, NULL, 4, &page, &err), 0);
    size_t end = n;
    while (page.n > 0) {
        assert_true(end >= page.n);
        for (size_t i = 0; i < page.n; i++)
            assert_int_equal(page.rows[i].id, ref[end - page.n + i]);
        end -= page.n;
        assert_int_equal(thread_list_seek(db, q, sort, THREAD_SEEK_BEFORE, &page.rows[0], 4,
                                          &next, &err), 0);
        thread_list_free(&page);
        page = next;
    }
    thread_list_free(&page);
    assert_int_equal(end, 0);
}

static void
test_seek_matches_offsets_in_every_order(void **state)
{
    struct tcache *c = *state;
    check_walk(c->db, NULL, THREAD_SORT_ACTIVITY);
    check_walk(c->db, NULL, THREAD_SORT_PRIORITY);
    check_walk(c->db, NULL, THREAD_SORT_AGE);
}

static void
test_seek_with_filters(void **state)
{
    struct tcache *c = *state;
    struct query q;
    char *err = NULL;
    assert_int_equal(query_parse("platform:mastodon", &q, &err), 0);
    check_walk(c->db, &q, THREAD_SORT_ACTIVITY);
    check_walk(c->db, &q, THREAD_SORT_PRIORITY);
    query_free(&q);
    assert_int_equal(query_parse("state:new number", &q, &err), 0);
    check_walk(c->db, &q, THREAD_SORT_AGE);
    check_walk(c->db, &q, THREAD_SORT_ACTIVITY);
    query_free(&q);
}

static void
test_seek_from_includes_the_row_and_survives_its_removal(void **state)
{
    struct tcache *c = *state;
    char *err = NULL;
    struct query q = {0};
    query_add(&q, QK_STATE, "new");
    struct thread_list all, page;
    assert_int_equal(thread_list(c->db, &q, THREAD_SORT_ACTIVITY, -1, 0, &all, &err), 0);
    assert_true(all.n > 6);
    assert_int_equal(thread_list_seek(c->db, &q, THREAD_SORT_ACTIVITY, THREAD_SEEK_FROM,
                                      &all.rows[3], 2, &page, &err), 0);
    assert_int_equal(page.n, 2);
    assert_int_equal(page.rows[0].id, all.rows[3].id);
    assert_int_equal(page.rows[1].id, all.rows[4].id);
    thread_list_free(&page);
    /* The row leaves the listing (triaged elsewhere): the page starts at its successor. */
    assert_int_equal(triage_set_state(c->db, "t", all.rows[3].id, "closed", NULL, &err), 0);
    assert_int_equal(thread_list_seek(c->db, &q, THREAD_SORT_ACTIVITY, THREAD_SEEK_FROM,
                                      &all.rows[3], 2, &page, &err), 0);
    assert_int_equal(page.rows[0].id, all.rows[4].id);
    thread_list_free(&page);
    assert_int_equal(triage_set_state(c->db, "t", all.rows[3].id, "new", NULL, &err), 0);
    thread_list_free(&all);
    query_free(&q);
}

static void
test_counts_with_and_without_account_filters(void **state)
{
    struct tcache *c = *state;
    long counts[TRIAGE_NSTATES];
    char *err = NULL;
    assert_int_equal(thread_count_states(c->db, NULL, counts, &err), 0);
    assert_int_equal(counts[0], 24); /* new */
    assert_int_equal(counts[1], 6);  /* to_reply: ids 5, 10, ... 30 */
    struct query q;
    assert_int_equal(query_parse("platform:bluesky state:new", &q, &err), 0);
    assert_int_equal(thread_count_states(c->db, &q, counts, &err), 0);
    /* bluesky threads are i = 0, 3, ... 27 (ids 1, 4, ... 28): ten, of which id 10 and 25
     * are to_reply; state: is ignored so every tab has its count. */
    assert_int_equal(counts[0], 8);
    assert_int_equal(counts[1], 2);
    query_free(&q);
}

static void
test_values_for_completion(void **state)
{
    struct tcache *c = *state;
    char **v = NULL;
    size_t n = 0;
    char *err = NULL;
    assert_int_equal(thread_values(c->db, QK_ACCOUNT, 100, &v, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_string_equal(v[0], "masto");
    assert_string_equal(v[1], "sky");
    thread_values_free(v, n);
    assert_int_equal(thread_values(c->db, QK_PLATFORM, 100, &v, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_string_equal(v[0], "bluesky");
    thread_values_free(v, n);
    assert_int_equal(thread_values(c->db, QK_STATE, 3, &v, &n, &err), 0);
    assert_int_equal(n, 3);
    assert_string_equal(v[2], "waiting");
    thread_values_free(v, n);

    const char *tags[] = {"zeta", "alpha"};
    assert_int_equal(triage_tag(c->db, "t", 2, tags, 2, NULL, 0, NULL, &err), 0);
    assert_int_equal(triage_tag(c->db, "t", 3, tags, 1, NULL, 0, NULL, &err), 0);
    assert_int_equal(thread_values(c->db, QK_TAG, 100, &v, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_string_equal(v[0], "alpha");
    assert_string_equal(v[1], "zeta");
    thread_values_free(v, n);

    assert_int_equal(triage_assign(c->db, "t", 2, "sam", NULL, &err), 0);
    assert_int_equal(triage_assign(c->db, "t", 3, "ann", NULL, &err), 0);
    assert_int_equal(triage_assign(c->db, "t", 4, "sam", NULL, &err), 0);
    assert_int_equal(thread_values(c->db, QK_ASSIGNEE, 1, &v, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(v[0], "ann");
    thread_values_free(v, n);
    assert_int_equal(thread_values(c->db, QK_FROM, 100, &v, &n, &err), 0);
    assert_int_equal(n, 0);
}

static void
test_seen_at_follows_the_read_marker(void **state)
{
    struct tcache *c = *state;
    char *err = NULL;
    struct thread *t = thread_get(c->db, 7, &err);
    assert_non_null(t);
    assert_null(t->info.seen_at);
    assert_int_equal(t->info.unread, 1);
    thread_free(t);
    assert_int_equal(thread_mark_seen(c->db, 7, &err), 0);
    t = thread_get(c->db, 7, &err);
    assert_string_equal(t->info.seen_at, t->info.last_activity);
    assert_int_equal(t->info.unread, 0);
    thread_free(t);
    assert_int_equal(thread_mark_unseen(c->db, 7, &err), 0);
    t = thread_get(c->db, 7, &err);
    assert_null(t->info.seen_at);
    assert_int_equal(t->info.unread, 1);
    thread_free(t);
}

/* thread_ids: every thread, then those both queries match (a state: in each is an and). */
static void
test_ids_match_both_queries(void **state)
{
    struct tcache *c = *state;
    char *err = NULL;
    long *ids = NULL, *all = NULL;
    size_t n = 0, nall = 0;
    struct thread_list l;
    assert_int_equal(thread_list(c->db, NULL, THREAD_SORT_ACTIVITY, -1, 0, &l, &err), 0);
    assert_int_equal(thread_ids(c->db, NULL, NULL, 100000, &all, &nall, &err), 0);
    assert_int_equal(nall, l.n);
    for (size_t i = 1; i < nall; i++)
        assert_true(all[i - 1] < all[i]);
    thread_list_free(&l);
    assert_int_equal(thread_ids(c->db, NULL, NULL, 2, &ids, &n, &err), 0);
    assert_int_equal(n, 2);
    free(ids);
    struct query q, also;
    assert_int_equal(query_parse("state:new", &q, &err), 0);
    assert_int_equal(query_parse("-state:new", &also, &err), 0);
    assert_int_equal(thread_ids(c->db, &q, &also, 100000, &ids, &n, &err), 0);
    assert_int_equal(n, 0);
    free(ids);
    query_free(&also);
    assert_int_equal(query_parse("state:new", &also, &err), 0);
    assert_int_equal(thread_ids(c->db, &q, &also, 100000, &ids, &n, &err), 0);
    assert_true(n > 0 && n <= nall);
    free(ids);
    free(all);
    query_free(&also);
    query_free(&q);
}

/* The reply bits come with the row: a draft, then the same draft discarded. */
static void
test_reply_bits_follow_drafts(void **state)
{
    struct tcache *c = *state;
    char *err = NULL;
    struct thread *t = thread_get(c->db, 7, &err);
    assert_non_null(t);
    assert_int_equal(t->info.replies, 0);
    thread_free(t);
    long id = 0;
    assert_int_equal(draft_create(c->db, "ann", 7, NULL, "acknowledgement", "Thanks.", &id, &err),
                     0);
    t = thread_get(c->db, 7, &err);
    assert_int_equal(t->info.replies, THREAD_REPLY_DRAFT);
    thread_free(t);
    assert_int_equal(draft_discard(c->db, "ann", id, &err), 0);
    t = thread_get(c->db, 7, &err);
    assert_int_equal(t->info.replies, 0);
    thread_free(t);
}

/* The row says what upstream stands in the way: its latest post deleted there (and only
 * that post: an older one deleted leaves the row alone), its platform refusing replies. */
static void
test_reply_bits_say_deleted_and_refused(void **state)
{
    struct tcache *c = *state;
    char *err = NULL;
    const char *lines =
        "{\"platform\":\"mastodon\",\"account\":\"masto\",\"thread\":\"up\",\"id\":\"up\","
        "\"author\":\"@a1\",\"created_at\":\"2026-12-01T09:00:00Z\",\"text\":\"first\"}\n"
        "{\"platform\":\"mastodon\",\"account\":\"masto\",\"thread\":\"up\",\"id\":\"up2\","
        "\"parent\":\"up\",\"author\":\"@a2\",\"created_at\":\"2026-12-01T10:00:00Z\","
        "\"text\":\"latest\"}\n";
    struct import_stats is;
    assert_int_equal(tcache_import(c, lines, &is, &err), 0);
    sqlite3_stmt *st = db_prepare(c->db, "SELECT id FROM threads WHERE root_remote_id = 'up'",
                                  &err);
    assert_non_null(st);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long id = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);

    /* An older post deleted leaves the row alone. */
    assert_int_equal(upstream_mark_deleted(c->db, "masto", "up", "deleted on Mastodon", NULL,
                                           &err), 0);
    struct thread *t = thread_get(c->db, id, &err);
    assert_non_null(t);
    assert_int_equal(t->nposts, 2);
    assert_int_equal(t->info.replies, 0);
    thread_free(t);
    assert_int_equal(upstream_mark_deleted(c->db, "masto", "up2", "deleted on Mastodon", NULL,
                                           &err), 0);
    assert_int_equal(upstream_set_refusal(c->db, "masto", "up", "comments are closed", &err), 0);
    t = thread_get(c->db, id, &err);
    assert_int_equal(t->info.replies, THREAD_REPLY_DELETED | THREAD_REPLY_REFUSED);
    thread_free(t);
    assert_int_equal(upstream_set_refusal(c->db, "masto", "up", NULL, &err), 0);
    t = thread_get(c->db, id, &err);
    assert_int_equal(t->info.replies, THREAD_REPLY_DELETED);
    thread_free(t);
}

/* A page of a common word (matched by more posts than FTS_COMMON, so the listing probes each
 * thread in order) is the start of the whole listing (which finds every match), with the same
 * snippets; so is a page with a word left out. The cursor gives the whole listing too. */
static void
test_common_word_page_is_the_listing_start(void **state)
{
    (void)state;
    struct tcache c;
    tcache_open(&c);
    struct buf b = {0};
    for (int i = 0; i < 2600; i++)
        buf_printf(&b,
                   "{\"platform\":\"mastodon\",\"account\":\"m\",\"thread\":\"t%d\","
                   "\"id\":\"p%d\",\"author\":\"@a%d\",\"created_at\":"
                   "\"2026-11-%02dT%02d:%02d:00Z\",\"text\":\"bins %s %s\"}\n",
                   i / 4, i, i % 7, 1 + i % 28, i % 24, i % 60, i % 3 ? "missed" : "collected",
                   i % 5 ? "again" : "late");
    struct import_stats st;
    char *err = NULL;
    if (tcache_import(&c, b.data, &st, &err) != 0)
        fail_msg("import: %s", err);
    buf_free(&b);
    static const char *const queries[] = {"bins", "bins -late", "missed", "late", "miss*"};
    for (size_t k = 0; k < sizeof queries / sizeof queries[0]; k++) {
        struct query q;
        struct thread_list all, page;
        assert_int_equal(query_parse(queries[k], &q, &err), 0);
        assert_int_equal(thread_list(c.db, &q, THREAD_SORT_ACTIVITY, -1, 0, &all, &err), 0);
        assert_int_equal(thread_list(c.db, &q, THREAD_SORT_ACTIVITY, 25, 0, &page, &err), 0);
        assert_true(all.n > 25);
        assert_int_equal(page.n, 25);
        for (size_t i = 0; i < page.n; i++) {
            assert_int_equal(page.rows[i].id, all.rows[i].id);
            assert_string_equal(page.rows[i].snippet, all.rows[i].snippet);
        }
        struct thread_cursor *cur = thread_cursor_open(c.db, &q, THREAD_SORT_ACTIVITY, -1, &err);
        assert_non_null(cur);
        struct thread_row r;
        size_t n = 0;
        while (thread_cursor_next(cur, &r, &err) == 1) {
            assert_true(n < all.n);
            assert_int_equal(r.id, all.rows[n].id);
            assert_string_equal(r.snippet, all.rows[n].snippet);
            thread_row_clear(&r);
            n++;
        }
        assert_int_equal(n, all.n);
        thread_cursor_free(cur);
        thread_list_free(&all);
        thread_list_free(&page);
        query_free(&q);
    }
    tcache_close(&c);
}

/* stop for thread_count_states_until: counts its calls and says stop from call *arg on. */
struct stop_at {
    int calls, from;
};

static int
stop_when(void *arg)
{
    struct stop_at *s = arg;
    return ++s->calls >= s->from;
}

/* A search's counts can be given up when a key arrives: stopped, they are left untouched and
 * the call says so; not stopped, they are the plain count's. */
static void
test_counts_until_stop(void **state)
{
    (void)state;
    struct tcache c;
    tcache_open(&c);
    struct buf b = {0};
    for (int i = 0; i < 3000; i++)
        buf_printf(&b,
                   "{\"platform\":\"mastodon\",\"account\":\"m\",\"thread\":\"t%d\","
                   "\"id\":\"p%d\",\"author\":\"@a%d\",\"created_at\":"
                   "\"2026-11-%02dT%02d:%02d:00Z\",\"text\":\"bins %s\"}\n",
                   i / 3, i, i % 7, 1 + i % 28, i % 24, i % 60, i % 2 ? "missed" : "late");
    struct import_stats st;
    char *err = NULL;
    if (tcache_import(&c, b.data, &st, &err) != 0)
        fail_msg("import: %s", err);
    buf_free(&b);
    struct query q;
    assert_int_equal(query_parse("bins", &q, &err), 0);
    long want[TRIAGE_NSTATES], got[TRIAGE_NSTATES];
    assert_int_equal(thread_count_states(c.db, &q, want, &err), 0);
    assert_int_equal(want[0], 1000);

    for (int i = 0; i < TRIAGE_NSTATES; i++)
        got[i] = -7;
    struct stop_at now = {0, 1};
    assert_int_equal(thread_count_states_until(c.db, &q, got, stop_when, &now, &err), 1);
    assert_true(now.calls >= 1);
    for (int i = 0; i < TRIAGE_NSTATES; i++)
        assert_int_equal(got[i], -7);

    struct stop_at never = {0, 1 << 30};
    assert_int_equal(thread_count_states_until(c.db, &q, got, stop_when, &never, &err), 0);
    assert_true(never.calls >= 1); /* it was asked, and said go on */
    assert_memory_equal(got, want, sizeof want);
    /* The handler is gone afterwards: a plain count is never stopped by it. */
    assert_int_equal(thread_count_states(c.db, &q, got, &err), 0);
    assert_memory_equal(got, want, sizeof want);
    query_free(&q);
    tcache_close(&c);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seek_matches_offsets_in_every_order),
        cmocka_unit_test(test_common_word_page_is_the_listing_start),
        cmocka_unit_test(test_seek_with_filters),
        cmocka_unit_test(test_seek_from_includes_the_row_and_survives_its_removal),
        cmocka_unit_test(test_counts_with_and_without_account_filters),
        cmocka_unit_test(test_counts_until_stop),
        cmocka_unit_test(test_values_for_completion),
        cmocka_unit_test(test_seen_at_follows_the_read_marker),
        cmocka_unit_test(test_reply_bits_follow_drafts),
        cmocka_unit_test(test_reply_bits_say_deleted_and_refused),
        cmocka_unit_test(test_ids_match_both_queries),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
