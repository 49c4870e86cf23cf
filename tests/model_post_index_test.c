/* Indexes built after the rows: dropped only for an empty cache, recorded as pending, built
 * by the import at its end, by the writer before a rename, or by the next open when the
 * import that dropped them is gone. */
#include "testutil.h"

#include "model/post.h"
#include "model/post_index.h"

#include <unistd.h>

/* The number of indexes on posts and threads. */
static long
index_count(struct tcache *c)
{
    return tcache_int(c, "SELECT count(*) FROM sqlite_master WHERE type = 'index'"
                         " AND tbl_name IN ('posts', 'threads')");
}

/* The number of pending records. */
static long
pending_count(struct tcache *c)
{
    return tcache_int(c, "SELECT count(*) FROM cache_info WHERE key = 'indexes_pending'");
}

/* An import into an empty cache ends with every index there and nothing pending. */
static void
test_import_builds_them(void **state)
{
    (void)state;
    struct tcache c;
    char *err = NULL;
    struct import_stats s;
    tcache_open(&c);
    long all = index_count(&c);
    assert_int_equal(tcache_import(&c, FIXTURE, &s, &err), 0);
    assert_int_equal(index_count(&c), all);
    assert_int_equal(pending_count(&c), 0);
    assert_int_equal(post_index_pending(c.db), 0);
    tcache_close(&c);
}

/* Only an empty cache has them dropped, and only once. */
static void
test_defer_only_when_empty(void **state)
{
    (void)state;
    struct tcache c;
    char *err = NULL;
    struct import_stats s;
    tcache_open(&c);
    long all = index_count(&c);
    assert_int_equal(post_index_defer(c.db, &err), 1);
    assert_true(index_count(&c) < all);
    assert_int_equal(pending_count(&c), 1);
    assert_int_equal(post_index_pending(c.db), 1);
    /* Pending already: not again. */
    assert_int_equal(post_index_defer(c.db, &err), 0);
    assert_int_equal(db_begin(c.db, &err), 0);
    assert_int_equal(post_index_build(c.db, &err), 0);
    assert_int_equal(db_commit(c.db, &err), 0);
    assert_int_equal(index_count(&c), all);
    assert_int_equal(pending_count(&c), 0);
    assert_int_equal(tcache_import(&c, FIXTURE, &s, &err), 0);
    assert_int_equal(post_index_defer(c.db, &err), 0);
    assert_int_equal(index_count(&c), all);
    tcache_close(&c);
}

/* The next open builds them when the import that dropped them is gone, and leaves them to
 * an import that still runs (here: this process). */
static void
test_open_repairs_after_a_dead_import(void **state)
{
    (void)state;
    struct tcache c;
    char *err = NULL;
    tcache_open(&c);
    long all = index_count(&c);
    assert_int_equal(post_index_defer(c.db, &err), 1);
    tcache_reopen(&c);
    assert_true(index_count(&c) < all);
    assert_int_equal(pending_count(&c), 1);
    /* A process on another host that began long ago: gone. */
    assert_int_equal(db_exec(c.db, "UPDATE cache_info SET value = '4242 elsewhere.example 0'"
                                   " WHERE key = 'indexes_pending'", &err), 0);
    tcache_reopen(&c);
    assert_int_equal(index_count(&c), all);
    assert_int_equal(pending_count(&c), 0);
    /* This very process, but a day ago: its pid may be another's by now. */
    assert_int_equal(post_index_defer(c.db, &err), 1);
    char *sql = xasprintf("UPDATE cache_info SET value = '%ld localhost 0'"
                          " WHERE key = 'indexes_pending'", (long)getpid());
    assert_int_equal(db_exec(c.db, sql, &err), 0);
    free(sql);
    tcache_reopen(&c);
    assert_int_equal(index_count(&c), all);
    assert_int_equal(pending_count(&c), 0);
    tcache_close(&c);
}

/* Writes one post by @al@x named name, in a transaction and writer of its own. */
static void
write_one(struct tcache *c, const char *id, const char *name, const char *text)
{
    struct post_in p = {.platform = "mastodon", .account = "dept", .thread = "1", .id = id,
                        .author = "@al@x", .author_name = name,
                        .created_at = "2026-11-20T09:15:00Z", .text = text};
    tcache_put(c, &p, POST_NEW);
}

/* An author renamed while posts_author is pending: the writer builds the indexes first (the
 * rename reaches the author's indexed posts through them), and the new name is searchable in
 * the author's earlier posts. */
static void
test_rename_builds_them(void **state)
{
    (void)state;
    struct tcache c;
    char *err = NULL;
    tcache_open(&c);
    long all = index_count(&c);
    assert_int_equal(post_index_defer(c.db, &err), 1);
    write_one(&c, "1", "Al", "pothole");
    assert_true(index_count(&c) < all);
    write_one(&c, "2", "Alfred", "still there");
    assert_int_equal(index_count(&c), all);
    assert_int_equal(pending_count(&c), 0);
    assert_int_equal(
        tcache_int(&c, "SELECT count(*) FROM posts_fts WHERE posts_fts MATCH 'alfred'"), 2);
    tcache_fts_intact(&c);
    tcache_close(&c);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_import_builds_them),
        cmocka_unit_test(test_defer_only_when_empty),
        cmocka_unit_test(test_open_repairs_after_a_dead_import),
        cmocka_unit_test(test_rename_builds_them),
    };
    return cmocka_run_group_tests_name("model_post_index", tests, NULL, NULL);
}
