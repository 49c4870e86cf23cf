/* Helpers for the model unit tests: a private temporary cache and fixture posts. */
#ifndef TACTFUL_TESTUTIL_H
#define TACTFUL_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "model/db.h"
#include "model/import.h"
#include "model/xmalloc.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A temporary folder holding one cache file. */
struct tcache {
    char dir[64];
    char *path;
    struct db *db;
};

/* Creates a fresh folder and opens an empty cache in it. */
static inline void
tcache_open(struct tcache *c)
{
    char *err = NULL;
    snprintf(c->dir, sizeof c->dir, "/tmp/tactful-test-XXXXXX");
    assert_non_null(mkdtemp(c->dir));
    c->path = xasprintf("%s/cache.db", c->dir);
    c->db = db_open(c->path, &err);
    if (c->db == NULL)
        fail_msg("db_open: %s", err);
}

/* Removes one entry of a test folder (nftw callback). */
static inline int
tcache_rm(const char *p, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)type;
    (void)ftw;
    return remove(p);
}

static inline void
tcache_close(struct tcache *c)
{
    db_close(c->db);
    c->db = NULL;
    nftw(c->dir, tcache_rm, 8, FTW_DEPTH | FTW_PHYS);
    free(c->path);
}

/* Closes the cache and opens the same file again, as the next command would. */
static inline void
tcache_reopen(struct tcache *c)
{
    char *err = NULL;
    db_close(c->db);
    c->db = db_open(c->path, &err);
    if (c->db == NULL)
        fail_msg("db_open: %s", err);
}

/* Asserts that the full-text index agrees with the posts (FTS5's integrity check). */
static inline void
tcache_fts_intact(struct tcache *c)
{
    char *err = NULL;
    assert_int_equal(db_exec(c->db, "INSERT INTO posts_fts (posts_fts, rank)"
                                    " VALUES ('integrity-check', 1)", &err), 0);
}

/* Imports JSON Lines text into the cache; returns import_jsonl's result and *err. */
static inline int
tcache_import(struct tcache *c, const char *jsonl, struct import_stats *st, char **err)
{
    FILE *f = fmemopen((void *)jsonl, strlen(jsonl), "r");
    assert_non_null(f);
    int rc = import_jsonl(c->db, f, "fixture", st, err);
    fclose(f);
    return rc;
}

/* Writes post p in a transaction and writer of its own, expecting the result want. */
static inline void
tcache_put(struct tcache *c, const struct post_in *p, enum post_result want)
{
    char *err = NULL;
    enum post_result r;
    assert_int_equal(db_begin(c->db, &err), 0);
    struct post_writer *w = post_writer_new(c->db, &err);
    assert_non_null(w);
    assert_int_equal(post_writer_put(w, p, &r, &err), 0);
    assert_int_equal(r, want);
    assert_int_equal(post_writer_finish(w, &err), 0);
    post_writer_free(w);
    assert_int_equal(db_commit(c->db, &err), 0);
}

/* Runs a query returning one integer. */
static inline long
tcache_int(struct tcache *c, const char *sql)
{
    sqlite3_stmt *st = db_prepare(c->db, sql, NULL);
    assert_non_null(st);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long v = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* A small conversation: a mention thread on Mastodon with a nested reply, a Bluesky thread
 * and a WordPress post with a comment. */
#define FIXTURE                                                                                \
    "{\"platform\":\"mastodon\",\"account\":\"dept\",\"thread\":\"100\",\"id\":\"100\","      \
    "\"parent\":null,\"author\":\"@alice@example.social\",\"author_name\":\"Alice Hughes\","   \
    "\"created_at\":\"2026-11-20T09:15:00Z\",\"text\":\"The bin collection on Elm Street "     \
    "was missed again\",\"url\":\"https://example.social/@alice/100\",\"own\":false}\n"        \
    "{\"platform\":\"mastodon\",\"account\":\"dept\",\"thread\":\"100\",\"id\":\"101\","      \
    "\"parent\":\"100\",\"author\":\"@dept@gov.example\",\"author_name\":\"Council\","         \
    "\"created_at\":\"2026-11-20T10:00:00Z\",\"text\":\"Sorry Alice, tell us more about "     \
    "that\",\"url\":\"https://gov.example/101\",\"own\":true}\n"                               \
    "{\"platform\":\"mastodon\",\"account\":\"dept\",\"thread\":\"100\",\"id\":\"102\","      \
    "\"parent\":\"101\",\"author\":\"@alice@example.social\",\"author_name\":\"Alice Hughes\","\
    "\"created_at\":\"2026-11-20T11:00:00Z\",\"text\":\"Recycling too, three weeks running\"," \
    "\"url\":\"https://example.social/@alice/102\",\"own\":false}\n"                           \
    "{\"platform\":\"bluesky\",\"account\":\"sky\",\"thread\":\"at://x/1\",\"id\":\"at://x/1\","\
    "\"parent\":null,\"author\":\"@zoe.bsky.social\",\"author_name\":\"Zoë\","                 \
    "\"created_at\":\"2026-11-21T08:00:00Z\",\"text\":\"Lovely café at the library, thank "    \
    "you!\",\"url\":\"https://bsky.app/profile/zoe/post/1\",\"own\":false}\n"                  \
    "{\"platform\":\"wordpress\",\"account\":\"blog\",\"thread\":\"7\",\"id\":\"7\","          \
    "\"parent\":null,\"author\":\"Council\",\"author_name\":\"Council\","                       \
    "\"created_at\":\"2026-11-19T12:00:00Z\",\"text\":\"Gritting routes this winter\","        \
    "\"url\":\"https://blog.example/grit\",\"own\":true,\"title\":\"Winter gritting\"}\n"      \
    "{\"platform\":\"wordpress\",\"account\":\"blog\",\"thread\":\"7\",\"id\":\"21\","         \
    "\"parent\":\"7\",\"author\":\"Bob\",\"author_name\":\"Bob\","                              \
    "\"created_at\":\"2026-11-22T12:00:00Z\",\"text\":\"What about Heather Close?\","          \
    "\"url\":\"https://blog.example/grit#comment-21\",\"own\":false,"                          \
    "\"title\":\"Winter gritting\"}\n"

#endif
