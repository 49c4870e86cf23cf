/* A synthetic cache for the benchmarks: N posts in N/10 threads across six accounts on the
 * three platforms, written straight through model/post.h in one transaction (the path imports
 * and syncs use, triggers and full-text index included), then given a spread of triage data.
 * Deterministic: the same N always gives the same cache. Include from one bench file. */
#ifndef TACTFUL_BENCH_GEN_H
#define TACTFUL_BENCH_GEN_H

#include "model/db.h"
#include "model/isotime.h"
#include "model/xmalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Bumped whenever the generated content changes, so a cached cache of the old kind is not
 * reused (the version is part of its file name). */
#define GEN_VERSION 3

/* A word put in one post in a thousand, for timing a realistic search, and one put in four
 * posts in five, for the slowest kind of search (a word nearly every post has). */
#define GEN_RARE_WORD "heatwave"
#define GEN_COMMON_WORD "reported"

/* A small xorshift generator, so the cache does not depend on the C library's rand(). */
static inline uint32_t
gen_rand(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return (uint32_t)(*s >> 11);
}

/* Words for post text: plain English, accents, CJK and emoji, so widths are exercised. */
static const char *const gen_words[] = {
    "the", "bin", "collection", "was", "missed", "again", "on", "Elm", "Street", "thank",
    "you", "for", "fixing", "pothole", "outside", "school", "library", "café", "opening",
    "hours", "council", "tax", "bill", "parking", "permit", "Zoë", "naïve", "résumé",
    "gritting", "routes", "winter", "cycle", "lane", "consultation", "Station", "Road",
    "recycling", "three", "weeks", "running", "when", "will", "someone", "reply", "please",
    "図書館", "ごみ収集", "謝謝", "🙂", "👍", "🚲", "🗑️", "could", "you", "check", "the",
    "form", "website", "broken", "link", "ward", "councillor", "planning", "application",
    "noise", "complaint", "streetlight", "out", "since", "Tuesday", "flooding", "drain",
};

#define GEN_NWORDS (sizeof gen_words / sizeof gen_words[0])

/* Writes a sentence of 6 to 35 words into out. */
static inline void
gen_text(uint64_t *rng, char *out, size_t cap)
{
    size_t n = 0;
    int words = 6 + (int)(gen_rand(rng) % 30);
    out[0] = '\0';
    for (int i = 0; i < words; i++) {
        const char *w = gen_words[gen_rand(rng) % GEN_NWORDS];
        int k = snprintf(out + n, cap - n, "%s%s", i ? " " : "", w);
        if (k < 0 || (size_t)k >= cap - n)
            break;
        n += (size_t)k;
    }
}

static const char *const gen_accounts[][2] = {
    {"northmoor-social", "mastodon"}, {"northmoor-parks", "mastodon"},
    {"northmoor-bsky", "bluesky"},    {"northmoor-roads", "bluesky"},
    {"northmoor-blog", "wordpress"},  {"northmoor-news", "wordpress"},
};

/* Runs one statement that takes no parameters, printing the reason on failure. */
static inline int
gen_exec(struct db *db, const char *sql)
{
    char *err = NULL;
    if (db_exec(db, sql, &err) == 0)
        return 0;
    fprintf(stderr, "gen: %s\n", err);
    free(err);
    return -1;
}

/* Steps a bound insert and resets it; returns 0 or -1 after printing the reason. */
static inline int
gen_step(struct db *db, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return 0;
    fprintf(stderr, "gen: %s\n", sqlite3_errmsg(db->sql));
    return -1;
}

#define GEN_RESIDENTS 5000 /* authors per account besides the account itself */

/* Fills the (new) cache at path with nposts posts in nposts / 10 threads; returns 0 or -1
 * after printing the reason. Rows go in with plain INSERTs in one transaction, posts through
 * one INSERT ... SELECT from a staging table: measured on 50,000 posts, post_writer_put takes
 * 77 us a post, mostly because FTS5 flushes its pending terms at every statement, and this
 * path about 20 us. The full-text index and the thread summaries are then filled in bulk, as
 * post_writer_finish does at the end of an import or a sync. */
static inline int
gen_cache(const char *path, long nposts)
{
    char *err = NULL;
    struct db *db = db_open(path, &err);
    if (db == NULL) {
        fprintf(stderr, "gen: %s\n", err);
        free(err);
        return -1;
    }
    static const char *const sql[] = {
        "INSERT INTO accounts (id, name, platform) VALUES (?1, ?2, ?3)",
        "INSERT INTO authors (id, account_id, handle, display_name) VALUES (?1, ?2, ?3, ?4)",
        "INSERT INTO threads (id, account_id, root_remote_id, title, url)"
        " VALUES (?1, ?2, ?3, ?4, ?5)",
        "INSERT INTO temp.gen_posts VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    };
    enum { S_ACCOUNT, S_AUTHOR, S_THREAD, S_POST, S_COUNT };
    sqlite3_stmt *st[S_COUNT] = {0};
    int rc = gen_exec(db, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
                          " PRAGMA cache_size = -262144;"
                          " CREATE TEMP TABLE gen_posts (account_id, thread_id, remote_id,"
                          "   parent_remote_id, author_id, created_at, body, url, own);"
                          " BEGIN");
    for (int i = 0; rc == 0 && i < S_COUNT; i++)
        if ((st[i] = db_prepare(db, sql[i], &err)) == NULL) {
            fprintf(stderr, "gen: %s\n", err);
            free(err);
            rc = -1;
        }
    char text[512], id[64], parent[64], author[64], name[64], created[ISOTIME_LEN];
    char url[128];
    for (int a = 0; rc == 0 && a < 6; a++) {
        sqlite3_bind_int(st[S_ACCOUNT], 1, a + 1);
        db_bind_text(st[S_ACCOUNT], 2, gen_accounts[a][0]);
        db_bind_text(st[S_ACCOUNT], 3, gen_accounts[a][1]);
        rc = gen_step(db, st[S_ACCOUNT]);
        for (int who = 0; rc == 0 && who <= GEN_RESIDENTS; who++) {
            if (who == GEN_RESIDENTS) {
                snprintf(author, sizeof author, "@%s@gov.example", gen_accounts[a][0]);
                snprintf(name, sizeof name, "Northmoor Council");
            } else {
                snprintf(author, sizeof author, "@user%d@example.social", who);
                snprintf(name, sizeof name, "Resident %d", who);
            }
            sqlite3_bind_int64(st[S_AUTHOR], 1, (sqlite3_int64)a * (GEN_RESIDENTS + 1) + who + 1);
            sqlite3_bind_int(st[S_AUTHOR], 2, a + 1);
            db_bind_text(st[S_AUTHOR], 3, author);
            db_bind_text(st[S_AUTHOR], 4, name);
            rc = gen_step(db, st[S_AUTHOR]);
        }
    }
    uint64_t rng = 0x9e3779b97f4a7c15ULL;
    long nthreads = nposts / 10 > 0 ? nposts / 10 : 1;
    time_t end = 1795000000; /* late November 2026 */
    time_t span = 90L * 86400;
    long written = 0, prev = 10;
    for (long t = 0; rc == 0 && t < nthreads; t++) {
        /* Pairs of threads hold 20 posts between them, so the total is nposts exactly. */
        long count = t % 2 == 0 ? 1 + (long)(gen_rand(&rng) % 19) : 20 - prev;
        if (t == nthreads - 1 || written + count > nposts)
            count = nposts - written;
        if (count <= 0)
            break;
        prev = count;
        int a = (int)(t % 6);
        const char *platform = gen_accounts[a][1];
        time_t start = end - span + (time_t)((double)span * (double)t / (double)nthreads);
        snprintf(id, sizeof id, "t%ld", t);
        snprintf(url, sizeof url, "https://%s.example/%s", platform, id);
        sqlite3_bind_int64(st[S_THREAD], 1, t + 1);
        sqlite3_bind_int(st[S_THREAD], 2, a + 1);
        db_bind_text(st[S_THREAD], 3, id);
        db_bind_text(st[S_THREAD], 4,
                     strcmp(platform, "wordpress") == 0 ? "A post on the council blog" : NULL);
        db_bind_text(st[S_THREAD], 5, url);
        rc = gen_step(db, st[S_THREAD]);
        for (long k = 0; rc == 0 && k < count; k++) {
            int own = k > 0 && gen_rand(&rng) % 10 == 0;
            uint32_t who = own ? GEN_RESIDENTS : gen_rand(&rng) % GEN_RESIDENTS;
            long up = k > 0 ? (long)(gen_rand(&rng) % (uint32_t)k) : 0;
            if (k == 0)
                snprintf(id, sizeof id, "t%ld", t);
            else
                snprintf(id, sizeof id, "t%ld-%ld", t, k);
            if (up == 0)
                snprintf(parent, sizeof parent, "t%ld", t);
            else
                snprintf(parent, sizeof parent, "t%ld-%ld", t, up);
            isotime_format(start + (time_t)k * 600 + (time_t)(gen_rand(&rng) % 300), created);
            snprintf(url, sizeof url, "https://%s.example/%s", platform, id);
            gen_text(&rng, text, sizeof text - sizeof " " GEN_RARE_WORD " " GEN_COMMON_WORD);
            if ((written + 1) % 1000 == 0)
                strcat(text, " " GEN_RARE_WORD);
            if (written % 5 != 0)
                strcat(text, " " GEN_COMMON_WORD);
            sqlite3_stmt *p = st[S_POST];
            sqlite3_bind_int(p, 1, a + 1);
            sqlite3_bind_int64(p, 2, t + 1);
            db_bind_text(p, 3, id);
            db_bind_text(p, 4, k ? parent : NULL);
            sqlite3_bind_int64(p, 5, (sqlite3_int64)a * (GEN_RESIDENTS + 1) + who + 1);
            db_bind_text(p, 6, created);
            db_bind_text(p, 7, text);
            db_bind_text(p, 8, url);
            sqlite3_bind_int(p, 9, own);
            rc = gen_step(db, p);
            written++;
        }
    }
    for (int i = 0; i < S_COUNT; i++)
        sqlite3_finalize(st[i]);
    /* One statement moves the posts in, so the full-text index flushes once per megabyte
     * rather than once per post (FTS5 flushes at every statement's savepoint). */
    if (rc == 0)
        rc = gen_exec(db, "INSERT INTO posts (account_id, thread_id, remote_id,"
                          " parent_remote_id, author_id, created_at, body, url, own)"
                          " SELECT * FROM temp.gen_posts ORDER BY rowid; DROP TABLE temp.gen_posts;"
                          /* What post_writer_finish does for a write run, for all posts. */
                          "INSERT INTO posts_fts (rowid, body, author)"
                          " SELECT p.id, p.body, a.handle || ' ' || a.display_name"
                          " FROM posts p JOIN authors a ON a.id = p.author_id;"
                          "UPDATE threads SET"
                          "  post_count = (SELECT count(*) FROM posts p"
                          "    WHERE p.thread_id = threads.id),"
                          "  first_activity = coalesce((SELECT min(created_at) FROM posts p"
                          "    WHERE p.thread_id = threads.id), ''),"
                          "  last_activity = coalesce((SELECT max(created_at) FROM posts p"
                          "    WHERE p.thread_id = threads.id), ''),"
                          "  last_post_id = (SELECT id FROM posts p WHERE p.thread_id = threads.id"
                          "    ORDER BY created_at DESC, id DESC LIMIT 1)");
    /* A spread of triage data, as an office's cache would have after some weeks. */
    if (rc == 0)
        rc = gen_exec(db,
            "UPDATE threads SET state = CASE id % 20 WHEN 0 THEN 'to_reply'"
            " WHEN 1 THEN 'waiting' WHEN 2 THEN 'replied' WHEN 3 THEN 'no_action'"
            " WHEN 4 THEN 'escalated' WHEN 5 THEN 'closed' WHEN 6 THEN 'closed' ELSE 'new' END,"
            " priority = CASE WHEN id % 17 = 0 THEN 3 WHEN id % 7 = 0 THEN 2 ELSE 0 END,"
            " assignee = CASE WHEN id % 9 = 0 THEN 'sam.patel' WHEN id % 11 = 0 THEN 'jo.khan'"
            " ELSE NULL END,"
            " seen_at = CASE WHEN id % 3 = 0 THEN last_activity ELSE NULL END;"
            "INSERT INTO thread_tags (thread_id, tag) SELECT id, 'bins' FROM threads"
            " WHERE id % 13 = 0;"
            "INSERT INTO thread_tags (thread_id, tag) SELECT id, 'roads' FROM threads"
            " WHERE id % 19 = 0;"
            "COMMIT");
    if (rc != 0)
        db_rollback(db);
    else
        rc = gen_exec(db, "PRAGMA journal_mode = WAL"); /* as tactful leaves a cache */
    db_close(db);
    return rc;
}

#endif
