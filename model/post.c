/* Idempotent upserts of accounts, authors, threads and posts. */
#include "model/post.h"

#include "model/post_index.h"
#include "model/xmalloc.h"

#include <stdlib.h>
#include <string.h>

enum {
    ST_ACCOUNT_GET,
    ST_ACCOUNT_ADD,
    ST_AUTHOR_GET,
    ST_AUTHOR_ADD,
    ST_AUTHOR_NAME,
    ST_THREAD_GET,
    ST_THREAD_ADD,
    ST_THREAD_TITLE,
    ST_THREAD_URL,
    ST_POST_ADD,
    ST_POST_PUT,
    ST_NOTE_THREAD,
    ST_COUNT
};

static const char *const writer_sql[ST_COUNT] = {
    [ST_ACCOUNT_GET] = "SELECT id, platform FROM accounts WHERE name = ?1",
    [ST_ACCOUNT_ADD] = "INSERT INTO accounts (name, platform) VALUES (?1, ?2)",
    [ST_AUTHOR_GET] = "SELECT id, display_name FROM authors WHERE account_id = ?1 AND handle = ?2",
    [ST_AUTHOR_ADD] = "INSERT INTO authors (account_id, handle, display_name) VALUES (?1, ?2, ?3)",
    [ST_AUTHOR_NAME] = "UPDATE authors SET display_name = ?2 WHERE id = ?1",
    [ST_THREAD_GET] = "SELECT id FROM threads WHERE account_id = ?1 AND root_remote_id = ?2",
    [ST_THREAD_ADD] = "INSERT INTO threads (account_id, root_remote_id, title) VALUES (?1, ?2, ?3)",
    [ST_THREAD_TITLE] = "UPDATE threads SET title = ?2 WHERE id = ?1 AND title IS NOT ?2",
    [ST_THREAD_URL] = "UPDATE threads SET url = ?2 WHERE id = ?1 AND url IS NOT ?2",
    /* A new post first, as a plain insert: a statement that writes one row and fires no
     * trigger needs no statement journal, which the upsert below does (its update fires
     * triggers), and most posts an import or a sync writes are new. */
    [ST_POST_ADD] =
        "INSERT OR IGNORE INTO posts (account_id, thread_id, remote_id, parent_remote_id,"
        " author_id, created_at, body, html, url, own, meta, shortened)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    [ST_POST_PUT] =
        "INSERT INTO posts (account_id, thread_id, remote_id, parent_remote_id, author_id,"
        " created_at, body, html, url, own, meta, shortened)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
        " ON CONFLICT (account_id, remote_id) DO UPDATE SET thread_id = excluded.thread_id,"
        " parent_remote_id = excluded.parent_remote_id, author_id = excluded.author_id,"
        " created_at = excluded.created_at, body = excluded.body, html = excluded.html,"
        " url = excluded.url, own = excluded.own, meta = coalesce(excluded.meta, meta),"
        " shortened = excluded.shortened"
        " WHERE thread_id IS NOT excluded.thread_id"
        " OR parent_remote_id IS NOT excluded.parent_remote_id"
        " OR author_id IS NOT excluded.author_id OR created_at IS NOT excluded.created_at"
        " OR body IS NOT excluded.body OR html IS NOT excluded.html"
        " OR url IS NOT excluded.url OR own IS NOT excluded.own"
        " OR (excluded.meta IS NOT NULL AND meta IS NOT excluded.meta)"
        " OR shortened IS NOT excluded.shortened",
    [ST_NOTE_THREAD] = "INSERT OR IGNORE INTO temp.writer_threads (id) VALUES (?1)",
};

/* What post_writer_finish runs: index the new posts, refresh the touched threads, forget.
 * New posts are exactly those above the highest indexed id (schema.c, migration 9): a row id
 * is one more than the highest, and every writer indexes its posts before its transaction
 * ends. So one range of the posts table is read, with no list of them kept on the way (a
 * lookup per post made the indexing grow faster than the cache). */
static const char *const finish_sql =
    "INSERT INTO posts_fts (rowid, body, author)"
    " SELECT p.id, p.body, a.handle || ' ' || a.display_name"
    " FROM posts p JOIN authors a ON a.id = p.author_id"
    " WHERE p.id > (SELECT coalesce(max(id), 0) FROM posts_fts_docsize);"
    "UPDATE threads SET"
    "  post_count = (SELECT count(*) FROM posts p WHERE p.thread_id = threads.id),"
    "  first_activity = coalesce((SELECT min(created_at) FROM posts p"
    "    WHERE p.thread_id = threads.id), ''),"
    "  last_activity = coalesce((SELECT max(created_at) FROM posts p"
    "    WHERE p.thread_id = threads.id), ''),"
    "  last_post_id = (SELECT id FROM posts p WHERE p.thread_id = threads.id"
    "    ORDER BY created_at DESC, id DESC LIMIT 1)"
    " WHERE id IN (SELECT id FROM temp.writer_threads);"
    "DELETE FROM temp.writer_threads;";

/* Authors and threads already written by this writer, so a run of posts by the same people
 * in the same threads (a sync, an import) skips their statements. Entries are only valid
 * inside the caller's transaction, which the writer's life lies within. */
#define CACHE_SLOTS 32768 /* a power of two; the cache is emptied when half full */

struct cache_entry {
    sqlite3_int64 account;
    char *key;          /* author handle or thread root id; NULL when the slot is free */
    char *value;        /* author display name or thread title (NULL: none) */
    int has_url;        /* thread: the root's URL was written */
    sqlite3_int64 id;
};

struct cache {
    struct cache_entry *slots;
    size_t used;
};

struct post_writer {
    struct db *db;
    sqlite3_stmt *st[ST_COUNT];
    char *account;     /* the last account looked up, to skip repeat lookups */
    char *platform;    /* and its platform */
    sqlite3_int64 account_id;
    long new_threads;
    long shortened;    /* posts stored shortened */
    long refused;      /* posts refused: an identifier too long */
    sqlite3_int64 last_noted_thread; /* skips noting the same thread post after post */
    int index_pending; /* an import dropped posts_author (model/post_index.h) */
    struct cache authors;
    struct cache threads;
};

/* FNV-1a over the account id and key. */
static size_t
cache_hash(sqlite3_int64 account, const char *key)
{
    size_t h = 1469598103934665603ULL ^ (size_t)account;
    for (; *key; key++)
        h = (h ^ (unsigned char)*key) * 1099511628211ULL;
    return h;
}

/* Empties a cache. */
static void
cache_clear(struct cache *c)
{
    for (size_t i = 0; c->slots && i < CACHE_SLOTS; i++) {
        free(c->slots[i].key);
        free(c->slots[i].value);
    }
    free(c->slots);
    c->slots = NULL;
    c->used = 0;
}

/* Returns the slot for (account, key): the entry, or the free slot where it would go. */
static struct cache_entry *
cache_slot(struct cache *c, sqlite3_int64 account, const char *key)
{
    if (c->slots == NULL)
        c->slots = xcalloc(CACHE_SLOTS, sizeof *c->slots);
    size_t i = cache_hash(account, key) & (CACHE_SLOTS - 1);
    while (c->slots[i].key &&
           (c->slots[i].account != account || strcmp(c->slots[i].key, key) != 0))
        i = (i + 1) & (CACHE_SLOTS - 1);
    return &c->slots[i];
}

/* Stores an entry in a free slot found by cache_slot (emptying a full cache first). */
static void
cache_put(struct cache *c, struct cache_entry *e, sqlite3_int64 account, const char *key,
          const char *value, sqlite3_int64 id)
{
    if (e->key == NULL && c->used * 2 >= CACHE_SLOTS) {
        cache_clear(c);
        e = cache_slot(c, account, key);
    }
    if (e->key == NULL) {
        e->key = xstrdup(key);
        e->account = account;
        c->used++;
    }
    free(e->value);
    e->value = value ? xstrdup(value) : NULL;
    e->id = id;
}

/* Returns nonzero when two optional strings are equal. */
static int
same(const char *a, const char *b)
{
    return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

struct post_writer *
post_writer_new(struct db *db, char **err)
{
    struct post_writer *w = xcalloc(1, sizeof *w);
    w->db = db;
    /* A per-connection scratch list of the threads finish must refresh. */
    if (db_exec(db, "CREATE TEMP TABLE IF NOT EXISTS writer_threads (id INTEGER PRIMARY KEY);",
                err) != 0) {
        free(w);
        return NULL;
    }
    for (int i = 0; i < ST_COUNT; i++) {
        if ((w->st[i] = db_prepare(db, writer_sql[i], err)) == NULL) {
            post_writer_free(w);
            return NULL;
        }
    }
    w->index_pending = post_index_pending(db) == 1;
    return w;
}

void
post_writer_free(struct post_writer *w)
{
    if (w == NULL)
        return;
    for (int i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(w->st[i]);
    cache_clear(&w->authors);
    cache_clear(&w->threads);
    free(w->account);
    free(w->platform);
    free(w);
}

long
post_writer_new_threads(const struct post_writer *w)
{
    return w->new_threads;
}

long
post_writer_shortened(const struct post_writer *w)
{
    return w->shortened;
}

long
post_writer_refused(const struct post_writer *w)
{
    return w->refused;
}

/* Runs a statement that returns no rows (or whose rows are not wanted). Returns 0 or -1. */
static int
run(struct post_writer *w, sqlite3_stmt *st, char **err)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        *err = db_error(w->db, "cannot write to the cache");
        return -1;
    }
    return 0;
}

/* Runs a lookup returning one integer: 1 found, 0 not found, -1 error. */
static int
lookup(struct post_writer *w, sqlite3_stmt *st, sqlite3_int64 *id, char **err)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        *err = db_error(w->db, "cannot read the cache");
        return -1;
    }
    return rc == SQLITE_ROW;
}

/* Finds or creates the account, refusing one that belongs to another platform. */
static int
account_id(struct post_writer *w, const struct post_in *p, sqlite3_int64 *id, char **err)
{
    if (w->account && strcmp(w->account, p->account) == 0 &&
        strcmp(w->platform, p->platform) == 0) {
        *id = w->account_id;
        return 0;
    }
    sqlite3_stmt *st = w->st[ST_ACCOUNT_GET];
    db_bind_text(st, 1, p->account);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const char *platform = (const char *)sqlite3_column_text(st, 1);
        if (strcmp(platform, p->platform) != 0) {
            *err = xasprintf("account '%s' is a %s account in this cache, not %s", p->account,
                             platform, p->platform);
            sqlite3_reset(st);
            return -1;
        }
        *id = sqlite3_column_int64(st, 0);
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_ROW) {
        if (rc != SQLITE_DONE) {
            *err = db_error(w->db, "cannot read the cache");
            return -1;
        }
        st = w->st[ST_ACCOUNT_ADD];
        db_bind_text(st, 1, p->account);
        db_bind_text(st, 2, p->platform);
        if (run(w, st, err) != 0)
            return -1;
        *id = sqlite3_last_insert_rowid(w->db->sql);
    }
    free(w->account);
    free(w->platform);
    w->account = xstrdup(p->account);
    w->platform = xstrdup(p->platform);
    w->account_id = *id;
    return 0;
}

/* Finds or creates the author, keeping the display name current. */
static int
author_id(struct post_writer *w, sqlite3_int64 account, const struct post_in *p,
          sqlite3_int64 *id, char **err)
{
    const char *name = p->author_name ? p->author_name : "";
    struct cache_entry *e = cache_slot(&w->authors, account, p->author);
    if (e->key && same(e->value, name)) {
        *id = e->id;
        return 0;
    }
    sqlite3_stmt *st = w->st[ST_AUTHOR_GET];
    sqlite3_bind_int64(st, 1, account);
    db_bind_text(st, 2, p->author);
    int rc = sqlite3_step(st);
    int renamed = 0;
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        renamed = !same((const char *)sqlite3_column_text(st, 1), name);
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        *err = db_error(w->db, "cannot read the cache");
        return -1;
    }
    if (rc == SQLITE_DONE) {
        st = w->st[ST_AUTHOR_ADD];
        sqlite3_bind_int64(st, 1, account);
        db_bind_text(st, 2, p->author);
        db_bind_text(st, 3, name);
        if (run(w, st, err) != 0)
            return -1;
        *id = sqlite3_last_insert_rowid(w->db->sql);
    } else if (renamed) {
        /* A new name reaches the author's indexed posts through a trigger that finds them by
         * posts_author: without it, every rename would read the whole table. */
        if (w->index_pending) {
            if (post_index_build(w->db, err) != 0)
                return -1;
            w->index_pending = 0;
        }
        st = w->st[ST_AUTHOR_NAME];
        sqlite3_bind_int64(st, 1, *id);
        db_bind_text(st, 2, name);
        if (run(w, st, err) != 0)
            return -1;
    }
    cache_put(&w->authors, e, account, p->author, name, *id);
    return 0;
}

/* Finds or creates the thread and keeps its title and URL current. */
static int
thread_id(struct post_writer *w, sqlite3_int64 account, const struct post_in *p,
          sqlite3_int64 *id, char **err)
{
    int root = p->url && strcmp(p->id, p->thread) == 0;
    struct cache_entry *e = cache_slot(&w->threads, account, p->thread);
    if (e->key && (p->title == NULL || same(e->value, p->title)) && (!root || e->has_url)) {
        *id = e->id;
        return 0;
    }
    sqlite3_stmt *st = w->st[ST_THREAD_GET];
    sqlite3_bind_int64(st, 1, account);
    db_bind_text(st, 2, p->thread);
    int found = lookup(w, st, id, err);
    if (found < 0)
        return -1;
    if (!found) {
        st = w->st[ST_THREAD_ADD];
        sqlite3_bind_int64(st, 1, account);
        db_bind_text(st, 2, p->thread);
        db_bind_text(st, 3, p->title);
        if (run(w, st, err) != 0)
            return -1;
        *id = sqlite3_last_insert_rowid(w->db->sql);
        w->new_threads++;
    } else if (p->title) {
        st = w->st[ST_THREAD_TITLE];
        sqlite3_bind_int64(st, 1, *id);
        db_bind_text(st, 2, p->title);
        if (run(w, st, err) != 0)
            return -1;
    }
    if (root) {
        st = w->st[ST_THREAD_URL];
        sqlite3_bind_int64(st, 1, *id);
        db_bind_text(st, 2, p->url);
        if (run(w, st, err) != 0)
            return -1;
    }
    int had_url = e->key && e->has_url;
    const char *title = p->title ? p->title : e->key ? e->value : NULL;
    char *keep = title ? xstrdup(title) : NULL; /* e->value may be what title points to */
    cache_put(&w->threads, e, account, p->thread, keep, *id);
    free(keep);
    e = cache_slot(&w->threads, account, p->thread);
    e->has_url = had_url || root;
    return 0;
}

/* Stores p, whose fields fit the limits; shortened marks it. See post_writer_put. */
static int
put_fitted(struct post_writer *w, const struct post_in *p, int shortened,
           enum post_result *result, char **err)
{
    sqlite3_int64 account, author, thread;
    if (account_id(w, p, &account, err) != 0 || author_id(w, account, p, &author, err) != 0 ||
        thread_id(w, account, p, &thread, err) != 0)
        return -1;
    /* The new post, else (it is there already, or a constraint refused it: the upsert
     * says which) the upsert. Row ids start at 1, so a zero left here means the upsert
     * updated rather than inserted. */
    *result = POST_NEW;
    for (int i = ST_POST_ADD; i <= ST_POST_PUT; i++) {
        sqlite3_stmt *st = w->st[i];
        sqlite3_set_last_insert_rowid(w->db->sql, 0);
        sqlite3_bind_int64(st, 1, account);
        sqlite3_bind_int64(st, 2, thread);
        db_bind_text(st, 3, p->id);
        db_bind_text(st, 4, p->parent);
        sqlite3_bind_int64(st, 5, author);
        db_bind_text(st, 6, p->created_at);
        db_bind_text(st, 7, p->text);
        db_bind_text(st, 8, p->html);
        db_bind_text(st, 9, p->url);
        sqlite3_bind_int(st, 10, p->own != 0);
        db_bind_text(st, 11, p->meta);
        sqlite3_bind_int(st, 12, shortened != 0);
        if (run(w, st, err) != 0)
            return -1;
        if (sqlite3_changes(w->db->sql) > 0) {
            *result = sqlite3_last_insert_rowid(w->db->sql) != 0 ? POST_NEW : POST_UPDATED;
            break;
        }
        *result = POST_UNCHANGED;
    }
    if (*result != POST_UNCHANGED && thread != w->last_noted_thread) {
        sqlite3_bind_int64(w->st[ST_NOTE_THREAD], 1, thread);
        if (run(w, w->st[ST_NOTE_THREAD], err) != 0)
            return -1;
        w->last_noted_thread = thread;
    }
    return 0;
}

int
post_writer_put(struct post_writer *w, const struct post_in *in, enum post_result *result,
                char **err)
{
    char *why = NULL;
    if (post_check(in, &why) != 0) {
        free(why);
        w->refused++;
        *result = POST_REFUSED;
        return 0;
    }
    struct post_in fitted;
    char *owned[POST_FIT_FIELDS];
    int shortened = post_fit(in, &fitted, owned);
    int rc = put_fitted(w, &fitted, shortened, result, err);
    post_fit_free(owned);
    if (rc == 0 && shortened && *result != POST_UNCHANGED)
        w->shortened++;
    return rc;
}

int
post_writer_finish(struct post_writer *w, char **err)
{
    w->last_noted_thread = 0;
    return db_exec(w->db, finish_sql, err);
}
