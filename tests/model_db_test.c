/* The cache file: WAL mode, migrations, refusal of newer caches, two writers at once. */
#include "testutil.h"

#include "model/post.h"
#include "model/schema.h"
#include "model/thread.h"
#include "model/triage.h"

#include <sys/wait.h>
#include <unistd.h>

/* A new cache is in WAL mode at the current schema version, with FTS5 and triggers. */
static void
test_fresh_cache(void **state)
{
    (void)state;
    struct tcache c;
    tcache_open(&c);
    assert_int_equal(db_schema_version(c.db), DB_SCHEMA_VERSION);
    sqlite3_stmt *st = db_prepare(c.db, "PRAGMA journal_mode", NULL);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
    sqlite3_finalize(st);
    assert_int_equal(tcache_int(&c, "SELECT count(*) FROM sqlite_master WHERE name = 'posts_fts'"),
                     1);
    tcache_close(&c);
}

/* A version-1 cache holding data is migrated forward with its data intact. */
static void
test_migrates_v1_with_data(void **state)
{
    (void)state;
    struct tcache c;
    char *err = NULL;
    struct import_stats s;
    snprintf(c.dir, sizeof c.dir, "/tmp/tactful-test-XXXXXX");
    assert_non_null(mkdtemp(c.dir));
    c.path = xasprintf("%s/cache.db", c.dir);
    /* Build a version-1 cache by hand, as an older tactful left it. */
    sqlite3 *raw;
    assert_int_equal(sqlite3_open(c.path, &raw), SQLITE_OK);
    assert_int_equal(sqlite3_exec(raw, schema_migration(1), NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(raw,
                                  "PRAGMA user_version = 1;"
                                  "INSERT INTO accounts (name, platform) VALUES ('old', 'mastodon');"
                                  "INSERT INTO threads (account_id, root_remote_id, state)"
                                  " VALUES (1, 'r1', 'waiting');",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(raw);

    c.db = db_open(c.path, &err);
    if (c.db == NULL)
        fail_msg("%s", err);
    assert_int_equal(db_schema_version(c.db), DB_SCHEMA_VERSION);
    assert_int_equal(tcache_int(&c, "SELECT count(*) FROM threads WHERE state = 'waiting'"
                                    " AND seen_at IS NULL"),
                     1);
    assert_int_equal(tcache_import(&c, FIXTURE, &s, &err), 0);
    assert_int_equal(s.new_posts, 6);
    tcache_close(&c);
}

/* A cache written by a newer tactful is refused with a clear message and left untouched. */
static void
test_refuses_newer_cache(void **state)
{
    (void)state;
    struct tcache c;
    char *err = NULL;
    tcache_open(&c);
    assert_int_equal(db_exec(c.db, "PRAGMA user_version = 99", NULL), 0);
    db_close(c.db);
    c.db = NULL;

    FILE *f = fopen(c.path, "rb");
    char before[4096], after[4096];
    size_t nb = fread(before, 1, sizeof before, f);
    fclose(f);

    struct db *db = db_open(c.path, &err);
    assert_null(db);
    assert_non_null(strstr(err, "newer tactful"));
    assert_non_null(strstr(err, "schema 99"));
    free(err);

    f = fopen(c.path, "rb");
    size_t na = fread(after, 1, sizeof after, f);
    fclose(f);
    assert_int_equal(na, nb);
    assert_memory_equal(before, after, nb);
    tcache_close(&c);
}

/* A file that is not a SQLite database is refused, not overwritten. */
static void
test_refuses_non_database(void **state)
{
    (void)state;
    char dir[] = "/tmp/tactful-test-XXXXXX";
    char *err = NULL;
    assert_non_null(mkdtemp(dir));
    char *path = xasprintf("%s/notes.txt", dir);
    FILE *f = fopen(path, "w");
    for (int i = 0; i < 100; i++)
        fputs("this is not a database, it is somebody's notes\n", f);
    fclose(f);
    assert_null(db_open(path, &err));
    assert_non_null(err);
    free(err);
    f = fopen(path, "r");
    char line[64];
    assert_non_null(fgets(line, sizeof line, f));
    assert_string_equal(line, "this is not a database, it is somebody's notes\n");
    fclose(f);
    remove(path);
    rmdir(dir);
    free(path);
}

/* Two processes writing to one cache at once both succeed (WAL + busy timeout). */
static void
test_two_writers(void **state)
{
    (void)state;
    struct tcache c;
    char *err = NULL;
    struct import_stats s;
    tcache_open(&c);
    assert_int_equal(tcache_import(&c, FIXTURE, &s, &err), 0);
    db_close(c.db);
    c.db = NULL;

    enum { CHILDREN = 2, NOTES = 150 };
    pid_t pids[CHILDREN];
    for (int i = 0; i < CHILDREN; i++) {
        pids[i] = fork();
        assert_true(pids[i] >= 0);
        if (pids[i] == 0) {
            struct db *db = db_open(c.path, &err);
            if (db == NULL)
                _exit(10);
            for (int n = 0; n < NOTES; n++) {
                char text[64];
                snprintf(text, sizeof text, "writer %d note %d", i, n);
                if (triage_note(db, i ? "b" : "a", 1, text, NULL, &err) != 0)
                    _exit(11);
                if (triage_set_state(db, "x", 1, n % 2 ? "waiting" : "to_reply", NULL, &err) < 0)
                    _exit(12);
            }
            db_close(db);
            _exit(0);
        }
    }
    for (int i = 0; i < CHILDREN; i++) {
        int status;
        assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
    }
    c.db = db_open(c.path, &err);
    assert_non_null(c.db);
    assert_int_equal(tcache_int(&c, "SELECT count(*) FROM notes"), CHILDREN * NOTES);
    assert_int_equal(tcache_int(&c, "SELECT count(*) FROM audit WHERE action = 'note'"),
                     CHILDREN * NOTES);
    sqlite3_stmt *st = db_prepare(c.db, "PRAGMA integrity_check", NULL);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
    sqlite3_finalize(st);
    tcache_close(&c);
}

/* The audit log refuses updates and deletes. */
static void
test_audit_append_only(void **state)
{
    (void)state;
    struct tcache c;
    char *err = NULL;
    struct import_stats s;
    tcache_open(&c);
    assert_int_equal(tcache_import(&c, FIXTURE, &s, &err), 0);
    assert_int_equal(triage_set_state(c.db, "sam", 1, "to_reply", NULL, &err), 0);
    assert_int_equal(db_exec(c.db, "UPDATE audit SET officer = 'someone else'", &err), -1);
    assert_non_null(strstr(err, "append-only"));
    free(err);
    err = NULL;
    assert_int_equal(db_exec(c.db, "DELETE FROM audit", &err), -1);
    free(err);
    assert_int_equal(tcache_int(&c, "SELECT count(*) FROM audit WHERE officer = 'sam'"), 1);
    tcache_close(&c);
}

/* A version-2 cache (as the foundation release left it) gains migrations 3 and 4 with its
 * data and triage intact; post meta is stored, kept when an import brings none, and replaced
 * when a sync brings new meta. */
static void
test_migrates_v2_meta(void **state)
{
    (void)state;
    struct tcache c;
    char *err = NULL;
    snprintf(c.dir, sizeof c.dir, "/tmp/tactful-test-XXXXXX");
    assert_non_null(mkdtemp(c.dir));
    c.path = xasprintf("%s/cache.db", c.dir);
    sqlite3 *raw;
    assert_int_equal(sqlite3_open(c.path, &raw), SQLITE_OK);
    assert_int_equal(sqlite3_exec(raw, schema_migration(1), NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(raw, schema_migration(2), NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(raw,
                                  "PRAGMA user_version = 2;"
                                  "INSERT INTO accounts (name, platform, cursor)"
                                  " VALUES ('dept', 'mastodon', 'c1');"
                                  "INSERT INTO threads (account_id, root_remote_id, state)"
                                  " VALUES (1, '100', 'to_reply');"
                                  "INSERT INTO authors (account_id, handle) VALUES (1, '@a');"
                                  "INSERT INTO posts (account_id, thread_id, remote_id,"
                                  " author_id, created_at, body) VALUES (1, 1, 'x', 1,"
                                  " '2026-01-02T00:00:00Z', 'hi');"
                                  /* summaries drifted, as migration 1's triggers allowed */
                                  "UPDATE threads SET post_count = 5, last_activity = '';",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(raw);
    c.db = db_open(c.path, &err);
    if (c.db == NULL)
        fail_msg("%s", err);
    assert_int_equal(db_schema_version(c.db), DB_SCHEMA_VERSION);
    assert_int_equal(tcache_int(&c, "SELECT count(*) FROM threads WHERE post_count = 1"
                                    " AND last_activity = '2026-01-02T00:00:00Z'"
                                    " AND first_activity = '2026-01-02T00:00:00Z'"
                                    " AND last_post_id = 1"),
                     1);
    assert_int_equal(tcache_int(&c, "SELECT count(*) FROM accounts WHERE cursor = 'c1'"
                                    " AND limits IS NULL AND remote_user IS NULL"),
                     1);
    assert_int_equal(tcache_int(&c, "SELECT count(*) FROM threads WHERE state = 'to_reply'"), 1);
    assert_int_equal(tcache_int(&c, "SELECT count(*) FROM pragma_table_info('outbox')"
                                    " WHERE name IN ('officer', 'claimed_at', 'claimed_by')"),
                     3);

    struct import_stats s;
    assert_int_equal(tcache_import(&c, FIXTURE, &s, &err), 0);
    struct post_writer *w = post_writer_new(c.db, &err);
    assert_non_null(w);
    struct post_in p = {.platform = "mastodon", .account = "dept", .thread = "100", .id = "102",
                        .parent = "101", .author = "@alice@example.social",
                        .author_name = "Alice Hughes", .created_at = "2026-11-20T11:00:00Z",
                        .text = "Recycling too, three weeks running",
                        .url = "https://example.social/@alice/102",
                        .meta = "{\"visibility\":\"private\"}"};
    enum post_result r;
    assert_int_equal(post_writer_put(w, &p, &r, &err), 0);
    assert_int_equal(r, POST_UPDATED);
    assert_int_equal(post_writer_put(w, &p, &r, &err), 0);
    assert_int_equal(r, POST_UNCHANGED);
    assert_int_equal(post_writer_finish(w, &err), 0);
    post_writer_free(w);
    /* Importing the same post without meta keeps the meta. */
    assert_int_equal(tcache_import(&c, FIXTURE, &s, &err), 0);
    assert_int_equal(s.unchanged_posts, 6);
    assert_int_equal(tcache_int(&c, "SELECT count(*) FROM posts WHERE remote_id = '102'"
                                    " AND meta ->> '$.visibility' = 'private'"),
                     1);
    /* Meta must be JSON. */
    assert_int_equal(db_exec(c.db, "UPDATE posts SET meta = 'not json'", &err), -1);
    free(err);
    tcache_close(&c);
}

/* Migration 6 gives every cache its own identity (for offline review bundles) and empty
 * bundle tables; a version-5 cache gains them with its data intact. */
static void
test_migrates_v5_identity(void **state)
{
    (void)state;
    struct tcache a, b;
    char *err = NULL;
    tcache_open(&a);
    tcache_open(&b);
    assert_int_equal(tcache_int(&a, "SELECT count(*) FROM cache_info WHERE key = 'id'"
                                    " AND length(value) = 32"), 1);
    assert_int_equal(tcache_int(&a, "SELECT (SELECT count(*) FROM bundle) +"
                                    " (SELECT count(*) FROM bundle_threads) +"
                                    " (SELECT count(*) FROM bundle_drafts)"), 0);
    sqlite3_stmt *st = db_prepare(a.db, "SELECT value FROM cache_info", NULL);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    char *ida = xstrdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    st = db_prepare(b.db, "SELECT value = ?1 FROM cache_info", NULL);
    db_bind_text(st, 1, ida);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 0);
    sqlite3_finalize(st);
    free(ida);
    tcache_close(&b);

    /* Back to version 5 by hand, with a thread, then forward again. */
    struct import_stats s;
    assert_int_equal(tcache_import(&a, FIXTURE, &s, &err), 0);
    assert_int_equal(db_exec(a.db, "DROP TABLE cache_info; DROP TABLE bundle;"
                                   " DROP TABLE bundle_threads; DROP TABLE bundle_drafts;"
                                   " ALTER TABLE posts DROP COLUMN shortened; DROP TABLE sync_locks;"
                                   " DROP VIEW post_search_source;"
                                   " DROP TABLE thread_state_counts;"
                                   " DROP TRIGGER threads_count_ins;"
                                   " DROP TRIGGER threads_count_upd;"
                                   " DROP TRIGGER threads_count_del;"
                                   " DROP INDEX outbox_thread; DROP INDEX drafts_thread;"
                                   " CREATE INDEX drafts_thread ON drafts (thread_id);"
                                   " ALTER TABLE threads DROP COLUMN topic;"
                                   " ALTER TABLE posts DROP COLUMN deleted_at;"
                                   " ALTER TABLE posts DROP COLUMN deleted_reason;"
                                   " ALTER TABLE threads DROP COLUMN reply_refused;"
                                   " DROP TABLE insights;"
                                   " ALTER TABLE accounts DROP COLUMN last_attempt;"
                                   " ALTER TABLE accounts DROP COLUMN last_new;"
                                   " DROP INDEX posts_thread_own;"
                                   " PRAGMA user_version = 5;", &err), 0);
    db_close(a.db);
    a.db = db_open(a.path, &err);
    if (a.db == NULL)
        fail_msg("%s", err);
    assert_int_equal(db_schema_version(a.db), DB_SCHEMA_VERSION);
    assert_int_equal(tcache_int(&a, "SELECT count(*) FROM cache_info"), 1);
    assert_int_equal(tcache_int(&a, "SELECT count(*) FROM threads"), 3);
    tcache_close(&a);
}

/* Migration 7: a version-6 cache, whose full-text index kept its own copy of the text, is
 * moved to an index that reads the posts table; it finds and quotes the same posts, stays
 * consistent through edits and renames, and its per-state counts are kept by triggers. */
static void
test_migrates_v6_search(void **state)
{
    (void)state;
    struct tcache c;
    char *err = NULL;
    snprintf(c.dir, sizeof c.dir, "/tmp/tactful-test-XXXXXX");
    assert_non_null(mkdtemp(c.dir));
    c.path = xasprintf("%s/cache.db", c.dir);
    sqlite3 *raw;
    assert_int_equal(sqlite3_open(c.path, &raw), SQLITE_OK);
    for (int v = 1; v <= 6; v++)
        assert_int_equal(sqlite3_exec(raw, schema_migration(v), NULL, NULL, NULL), SQLITE_OK);
    /* Rows and index entries as tactful 6's post writer left them. */
    assert_int_equal(
        sqlite3_exec(raw,
                     "PRAGMA user_version = 6;"
                     "INSERT INTO accounts (name, platform) VALUES ('dept', 'mastodon');"
                     "INSERT INTO authors (account_id, handle, display_name)"
                     " VALUES (1, '@alice@example.social', 'Alice'),"
                     " (1, '@bob@example.social', 'Bob');"
                     "INSERT INTO threads (account_id, root_remote_id, state, snoozed_until)"
                     " VALUES (1, 'r1', 'new', NULL), (1, 'r2', 'to_reply', NULL),"
                     " (1, 'r3', 'to_reply', '2999-01-01T00:00:00Z');"
                     "INSERT INTO posts (account_id, thread_id, remote_id, author_id,"
                     " created_at, body) VALUES"
                     " (1, 1, 'r1', 1, '2026-11-20T09:00:00Z', 'The garden waste bin'),"
                     " (1, 2, 'r2', 2, '2026-11-20T10:00:00Z', 'Pothole on the high street'),"
                     " (1, 3, 'r3', 1, '2026-11-20T11:00:00Z', 'Garden gate broken');"
                     "INSERT INTO posts_fts (rowid, body, author) SELECT p.id, p.body,"
                     " a.handle || ' ' || a.display_name FROM posts p"
                     " JOIN authors a ON a.id = p.author_id;",
                     NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(raw);

    c.db = db_open(c.path, &err);
    if (c.db == NULL)
        fail_msg("%s", err);
    assert_int_equal(db_schema_version(c.db), DB_SCHEMA_VERSION);
    assert_int_equal(tcache_int(&c, "SELECT count(*) FROM sqlite_master"
                                    " WHERE name = 'posts_fts_content'"), 0);
    assert_int_equal(
        tcache_int(&c, "SELECT count(*) FROM posts_fts WHERE posts_fts MATCH 'garden'"), 2);
    assert_int_equal(
        tcache_int(&c, "SELECT count(*) FROM posts_fts WHERE posts_fts MATCH 'author:bob'"), 1);
    struct query q;
    struct thread_list l;
    assert_int_equal(query_parse("pothole", &q, &err), 0);
    q.include_snoozed = 1;
    assert_int_equal(thread_list(c.db, &q, THREAD_SORT_ACTIVITY, -1, 0, &l, &err), 0);
    assert_int_equal(l.n, 1);
    assert_non_null(strstr(l.rows[0].snippet, "[Pothole]"));
    thread_list_free(&l);
    query_free(&q);
    tcache_fts_intact(&c);

    /* Counts: every thread per state, less the one snoozed until 2999. */
    long counts[TRIAGE_NSTATES];
    assert_int_equal(thread_count_states(c.db, NULL, counts, &err), 0);
    assert_int_equal(counts[0], 1);      /* new */
    assert_int_equal(counts[1], 1);      /* to_reply */
    assert_int_equal(db_exec(c.db, "UPDATE threads SET state = 'closed' WHERE id = 1", &err), 0);
    assert_int_equal(thread_count_states(c.db, NULL, counts, &err), 0);
    assert_int_equal(counts[0], 0);
    assert_int_equal(tcache_int(&c, "SELECT n FROM thread_state_counts WHERE state = 'closed'"),
                     1);

    /* An edit and a rename reach the index, which stays whole. */
    assert_int_equal(db_exec(c.db, "UPDATE posts SET body = 'Hedge trimming' WHERE id = 3;"
                                   "UPDATE authors SET display_name = 'Alicia' WHERE id = 1;",
                             &err), 0);
    assert_int_equal(
        tcache_int(&c, "SELECT count(*) FROM posts_fts WHERE posts_fts MATCH 'garden'"), 1);
    assert_int_equal(
        tcache_int(&c, "SELECT count(*) FROM posts_fts WHERE posts_fts MATCH 'alicia'"), 2);
    assert_int_equal(db_exec(c.db, "DELETE FROM posts WHERE id = 2", &err), 0);
    assert_int_equal(
        tcache_int(&c, "SELECT count(*) FROM posts_fts WHERE posts_fts MATCH 'pothole'"), 0);
    tcache_fts_intact(&c);
    tcache_close(&c);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fresh_cache),
        cmocka_unit_test(test_migrates_v1_with_data),
        cmocka_unit_test(test_migrates_v2_meta),
        cmocka_unit_test(test_refuses_newer_cache),
        cmocka_unit_test(test_refuses_non_database),
        cmocka_unit_test(test_two_writers),
        cmocka_unit_test(test_audit_append_only),
        cmocka_unit_test(test_migrates_v5_identity),
        cmocka_unit_test(test_migrates_v6_search),
    };
    return cmocka_run_group_tests_name("model_db", tests, NULL, NULL);
}
