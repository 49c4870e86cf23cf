/* Thread queries for the inbox, the CLI and exports. */
#include "model/thread.h"
#include "model/triage_state.h"

#include "model/isotime.h"
#include "model/xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* How many SQLite steps a stoppable count runs between asking whether to stop: about a
 * tenth of a millisecond. */
#define COUNT_STOP_STEPS 2000
/* The SQL condition each filter key adds; ?N is its value. */
static const char *const filter_sql[QK_COUNT] = {
    [QK_STATE] = "t.state = ?",
    [QK_PLATFORM] = "a.platform = ?",
    [QK_ACCOUNT] = "a.name = ?",
    [QK_ASSIGNEE] = "coalesce(t.assignee, 'none') = ?",
    [QK_TAG] = "EXISTS (SELECT 1 FROM thread_tags g WHERE g.thread_id = t.id AND g.tag = ?)",
    [QK_FROM] = "EXISTS (SELECT 1 FROM posts fp JOIN authors fa ON fa.id = fp.author_id"
                " WHERE fp.thread_id = t.id AND (instr(fold(fa.handle), fold(?1)) > 0"
                " OR instr(fold(fa.display_name), fold(?1)) > 0))",
};

static const char *const sort_sql[] = {
    [THREAD_SORT_ACTIVITY] = "t.last_activity DESC, t.id DESC",
    [THREAD_SORT_PRIORITY] = "t.priority DESC, t.last_activity DESC, t.id DESC",
    [THREAD_SORT_AGE] = "t.first_activity ASC, t.id ASC",
};

/* The same orders backwards, for reading a listing from its end. */
static const char *const sort_sql_rev[] = {
    [THREAD_SORT_ACTIVITY] = "t.last_activity ASC, t.id ASC",
    [THREAD_SORT_PRIORITY] = "t.priority ASC, t.last_activity ASC, t.id ASC",
    [THREAD_SORT_AGE] = "t.first_activity DESC, t.id DESC",
};

/* Each order's sort key as a row value, and the comparison with a row's key that means
 * "comes after it" in that order. The indexes on (last_activity, id) and (state,
 * last_activity) serve these as ranges. */
static const struct {
    const char *key;
    const char *after;
} sort_key[] = {
    [THREAD_SORT_ACTIVITY] = {"(t.last_activity, t.id)", "<"},
    [THREAD_SORT_PRIORITY] = {"(t.priority, t.last_activity, t.id)", "<"},
    [THREAD_SORT_AGE] = {"(t.first_activity, t.id)", ">"},
};

#define ROW_COLUMNS                                                                            \
    "t.id, a.name, a.platform, t.root_remote_id, t.title, t.url, t.last_activity,"             \
    " t.first_activity, t.state, t.priority, t.assignee,"                                      \
    " (SELECT group_concat(tag, char(31)) FROM (SELECT tag FROM thread_tags"                   \
    "   WHERE thread_id = t.id ORDER BY tag)),"                                                \
    " t.snoozed_until, t.post_count, (t.seen_at IS NULL OR t.seen_at < t.last_activity),"      \
    " lp.body, la.handle, la.display_name, t.seen_at,"                                       \
    " (SELECT coalesce(sum(DISTINCT CASE d.state WHEN 'editing' THEN 1 WHEN 'returned' THEN 2"  \
    "   WHEN 'pending_approval' THEN 4 END), 0) FROM drafts d WHERE d.thread_id = t.id"        \
    "   AND d.state IN ('editing', 'returned', 'pending_approval'))"                           \
    " | (SELECT coalesce(sum(DISTINCT CASE o.state WHEN 'queued' THEN 8 WHEN 'sending' THEN 8" \
    "   WHEN 'failed' THEN 16 WHEN 'sent' THEN 32 END), 0) FROM outbox o"                     \
    "   WHERE o.thread_id = t.id)"                                                            \
    " | (CASE WHEN lp.deleted_at IS NOT NULL THEN 64 ELSE 0 END)"                              \
    " | (CASE WHEN t.reply_refused IS NOT NULL THEN 128 ELSE 0 END)"                           \
    " | (CASE WHEN json_valid(lp.meta) AND json_extract(lp.meta, '$.visibility')"              \
    "   IN ('private', 'direct') THEN 256 ELSE 0 END),"                                        \
    " t.topic"
#define ROW_FROM                                                                               \
    " FROM threads t JOIN accounts a ON a.id = t.account_id"                                   \
    " LEFT JOIN posts lp ON lp.id = t.last_post_id LEFT JOIN authors la ON la.id = lp.author_id"

/* Appends one filter's condition with its value as the next numbered parameter (from: uses
 * its value twice, as ?1 in filter_sql). */
static void
add_filter(struct buf *sql, int key, const char *value, const char ***vals, size_t *nvals)
{
    for (const char *c = filter_sql[key]; *c; c++) {
        if (*c == '?') {
            buf_printf(sql, "?%zu", *nvals + 1);
            if (c[1] == '1')
                c++;
        } else {
            buf_addc(sql, *c);
        }
    }
    *vals = xreallocarray(*vals, *nvals + 1, sizeof **vals);
    (*vals)[(*nvals)++] = value;
}

/* How build_where tests full-text terms. WHERE_MATCHES finds every matching post once and
 * keeps their threads (cost: the matches, whatever is listed; right for counts, whole
 * listings and rare words). WHERE_PROBE tests each thread as the listing walks its index in
 * order, through the thread's posts (cost: the threads walked; right for a page of a common
 * word, where the walk stops as soon as the page is full). */
enum where_fts { WHERE_MATCHES, WHERE_PROBE };

/* A query is common, and its pages are found by probing, when at least one post in
 * FTS_DENSITY among the newest has a match: its FTS_SAMPLE newest matches lie within the
 * newest FTS_SAMPLE * FTS_DENSITY posts. A walk then meets a matching thread every few
 * threads; a rarer query (a phrase of two common words, say) is found by its matches. */
#define FTS_SAMPLE 500
#define FTS_DENSITY 20

/* The condition that a thread has a post matching ?N, by probing its posts. */
#define PROBE_SQL                                                                              \
    "EXISTS (SELECT 1 FROM posts p CROSS JOIN posts_fts ON posts_fts.rowid = p.id"             \
    " WHERE p.thread_id = t.id AND posts_fts MATCH ?%zu)"

static void add_conditions(const struct query *q, int skip_state, enum where_fts how,
                           struct buf *sql, const char ***vals, size_t *nvals);

/* Appends the WHERE clause for q to sql and collects the values to bind, in order. A filter
 * key given several times matches any of its values; skip_state leaves state: out. */
static void
build_where(const struct query *q, int skip_state, enum where_fts how, struct buf *sql,
            const char ***vals, size_t *nvals)
{
    buf_adds(sql, " WHERE 1");
    if (q == NULL || !q->include_snoozed)
        buf_adds(sql, " AND (t.snoozed_until IS NULL"
                      " OR t.snoozed_until <= strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))");
    if (q != NULL)
        add_conditions(q, skip_state, how, sql, vals, nvals);
}

/* Appends " AND ..." for q's filters and words (not its snooze flag) to sql and collects the
 * values to bind, in order; skip_state leaves state: out. */
static void
add_conditions(const struct query *q, int skip_state, enum where_fts how, struct buf *sql,
               const char ***vals, size_t *nvals)
{
    for (int key = 0; key < QK_COUNT; key++) {
        if (skip_state && key == QK_STATE)
            continue;
        int any = 0;
        for (size_t i = 0; i < q->nterms; i++) {
            const struct query_term *t = &q->terms[i];
            if ((int)t->key != key || t->negate)
                continue;
            buf_adds(sql, any ? " OR (" : " AND ((");
            add_filter(sql, key, t->value, vals, nvals);
            buf_adds(sql, ")");
            any = 1;
        }
        if (any)
            buf_adds(sql, ")");
        for (size_t i = 0; i < q->nterms; i++) {
            const struct query_term *t = &q->terms[i];
            if ((int)t->key != key || !t->negate)
                continue;
            buf_adds(sql, " AND NOT (");
            add_filter(sql, key, t->value, vals, nvals);
            buf_adds(sql, ")");
        }
    }
    if (q->fts) {
        if (how == WHERE_PROBE)
            buf_printf(sql, " AND " PROBE_SQL, *nvals + 1);
        else
            buf_printf(sql, " AND t.id IN (SELECT p.thread_id FROM posts_fts JOIN posts p"
                            " ON p.id = posts_fts.rowid WHERE posts_fts MATCH ?%zu)",
                       *nvals + 1);
        *vals = xreallocarray(*vals, *nvals + 1, sizeof **vals);
        (*vals)[(*nvals)++] = q->fts;
    }
    if (q->fts_not) {
        if (how == WHERE_PROBE)
            buf_printf(sql, " AND NOT " PROBE_SQL, *nvals + 1);
        else
            buf_printf(sql, " AND t.id NOT IN (SELECT p.thread_id FROM posts_fts JOIN posts p"
                            " ON p.id = posts_fts.rowid WHERE posts_fts MATCH ?%zu)",
                       *nvals + 1);
        *vals = xreallocarray(*vals, *nvals + 1, sizeof **vals);
        (*vals)[(*nvals)++] = q->fts_not;
    }
}

/* Whether the FTS5 expression fts has a prefix term (word*). FTS5 gathers every word with
 * the prefix for each query it runs, so such a query costs its matches however it is
 * narrowed: it is run once for a whole page, never once per thread. */
static int
fts_prefix(const char *fts)
{
    return strchr(fts, '*') != NULL;
}

/* Whether the FTS5 expression fts is common among the newest posts (FTS_DENSITY), found by
 * reading FTS_SAMPLE entries of the index and no more. */
static int
fts_common(struct db *db, const char *fts)
{
    sqlite3_stmt *st = db_prepare(db, "SELECT (SELECT max(id) FROM posts) - rowid FROM posts_fts"
                                      " WHERE posts_fts MATCH ?1 ORDER BY rowid DESC"
                                      " LIMIT 1 OFFSET ?2", NULL);
    if (st == NULL)
        return 0;
    db_bind_text(st, 1, fts);
    sqlite3_bind_int(st, 2, FTS_SAMPLE - 1);
    int common = sqlite3_step(st) == SQLITE_ROW &&
                 sqlite3_column_int64(st, 0) < (sqlite3_int64)FTS_SAMPLE * FTS_DENSITY;
    sqlite3_finalize(st);
    return common;
}

/* How a page of up to limit threads (-1: all) for q tests its full-text terms: probing when
 * it is a page, q leaves no word out, has no prefix term, and is common. */
static enum where_fts
where_for_page(struct db *db, const struct query *q, long limit)
{
    /* A left-out word is tested by its matches: probing would walk every thread when most
     * have the word, and few or none are left to fill the page. */
    if (q == NULL || q->fts == NULL || q->fts_not || fts_prefix(q->fts) || limit < 0)
        return WHERE_MATCHES;
    return fts_common(db, q->fts) ? WHERE_PROBE : WHERE_MATCHES;
}

/* Splits a char(31)-joined list of tags. */
static void
split_tags(const char *s, struct thread_row *r)
{
    if (s == NULL || *s == '\0')
        return;
    const char *start = s;
    for (const char *p = s;; p++) {
        if (*p == '\x1f' || *p == '\0') {
            r->tags = xreallocarray(r->tags, r->ntags + 1, sizeof *r->tags);
            r->tags[r->ntags++] = xstrndup(start, (size_t)(p - start));
            if (*p == '\0')
                break;
            start = p + 1;
        }
    }
}

/* Fills r from the ROW_COLUMNS of the current result row. */
static void
read_row(sqlite3_stmt *st, struct thread_row *r)
{
    memset(r, 0, sizeof *r);
    r->id = (long)sqlite3_column_int64(st, 0);
    r->account = db_column_strdup(st, 1);
    r->platform = db_column_strdup(st, 2);
    r->root = db_column_strdup(st, 3);
    r->title = db_column_strdup(st, 4);
    r->url = db_column_strdup(st, 5);
    r->last_activity = db_column_strdup(st, 6);
    r->first_activity = db_column_strdup(st, 7);
    r->state = db_column_strdup(st, 8);
    r->priority = sqlite3_column_int(st, 9);
    r->assignee = db_column_strdup(st, 10);
    split_tags((const char *)sqlite3_column_text(st, 11), r);
    r->snoozed_until = db_column_strdup(st, 12);
    r->posts = (long)sqlite3_column_int64(st, 13);
    r->unread = sqlite3_column_int(st, 14);
    r->latest_text = db_column_strdup(st, 15);
    r->latest_author = db_column_strdup(st, 16);
    r->latest_author_name = db_column_strdup(st, 17);
    r->seen_at = db_column_strdup(st, 18);
    r->replies = (unsigned)sqlite3_column_int(st, 19);
    r->topic = db_column_strdup(st, 20);
}

/* Frees what a row owns. */
void
thread_row_clear(struct thread_row *r)
{
    free(r->account);
    free(r->platform);
    free(r->root);
    free(r->title);
    free(r->url);
    free(r->last_activity);
    free(r->first_activity);
    free(r->state);
    free(r->assignee);
    for (size_t i = 0; i < r->ntags; i++)
        free(r->tags[i]);
    free(r->tags);
    free(r->snoozed_until);
    free(r->latest_text);
    free(r->latest_author);
    free(r->latest_author_name);
    free(r->snippet);
    free(r->seen_at);
    free(r->topic);
}

/* Prepares sql and binds vals; on failure sets *err, turning FTS syntax errors into advice. */
static sqlite3_stmt *
prepare_bound(struct db *db, const char *sql, const char **vals, size_t nvals, char **err)
{
    sqlite3_stmt *st = db_prepare(db, sql, err);
    if (st == NULL)
        return NULL;
    for (size_t i = 0; i < nvals; i++)
        db_bind_text(st, (int)i + 1, vals[i]);
    return st;
}

/* The snippet of one thread (?2) for a full-text query (?1): from its newest matching post.
 * The thread's posts are read through their index and each is tested against the query by
 * its rowid, so the cost follows the thread's posts, never every post the query matches (a
 * common word matched 843,000 posts at 1,000,000). Choosing the best-ranked post instead
 * would rank every match: FTS5 computes its ranking statistics over the whole index for each
 * query. */
static const char snippet_sql[] =
    "SELECT snippet(posts_fts, -1, '[', ']', '…', 12)"
    " FROM posts p CROSS JOIN posts_fts ON posts_fts.rowid = p.id"
    " WHERE p.thread_id = ?2 AND posts_fts MATCH ?1"
    " ORDER BY p.created_at DESC, p.id DESC LIMIT 1";

/* Sets r's snippet from snip (snippet_sql with the query bound); none when it fails. */
static void
row_snippet(sqlite3_stmt *snip, struct thread_row *r)
{
    sqlite3_bind_int64(snip, 2, r->id);
    if (sqlite3_step(snip) == SQLITE_ROW)
        r->snippet = db_column_strdup(snip, 0);
    sqlite3_reset(snip);
}

/* The most threads whose snippets one full-text query finds (its cost: the matches, read once,
 * times the threads, compared in memory). */
#define SNIPPET_BATCH 64

/* Adds each listed thread's snippet, from its newest matching post: per thread (snippet_sql),
 * or, for a prefix query or when batch is set (a page found by its matches, whose matches
 * are few or must be read anyway), with one full-text query for the whole page. */
static void
add_snippets(struct db *db, const char *fts, int batch, struct thread_list *out)
{
    if (out->n == 0)
        return;
    if (!batch && !fts_prefix(fts)) {
        sqlite3_stmt *st = db_prepare(db, snippet_sql, NULL);
        if (st == NULL)
            return;
        db_bind_text(st, 1, fts);
        for (size_t i = 0; i < out->n; i++)
            row_snippet(st, &out->rows[i]);
        sqlite3_finalize(st);
        return;
    }
    struct buf ids = {0};
    buf_addc(&ids, '[');
    for (size_t i = 0; i < out->n; i++)
        buf_printf(&ids, "%s%ld", i ? "," : "", out->rows[i].id);
    buf_addc(&ids, ']');
    sqlite3_stmt *st = db_prepare(db,
                                  "SELECT p.thread_id, snippet(posts_fts, -1, '[', ']', '…', 12)"
                                  " FROM posts_fts JOIN posts p ON p.id = posts_fts.rowid"
                                  " WHERE posts_fts MATCH ?1 AND p.thread_id IN"
                                  " (SELECT value FROM json_each(?2))"
                                  " ORDER BY p.created_at DESC, p.id DESC",
                                  NULL);
    if (st != NULL) {
        db_bind_text(st, 1, fts);
        db_bind_text(st, 2, ids.data);
        size_t left = out->n;
        while (left > 0 && sqlite3_step(st) == SQLITE_ROW) {
            long id = (long)sqlite3_column_int64(st, 0);
            for (size_t i = 0; i < out->n; i++) {
                if (out->rows[i].id == id && out->rows[i].snippet == NULL) {
                    out->rows[i].snippet = db_column_strdup(st, 1);
                    left--;
                }
            }
        }
        sqlite3_finalize(st);
    }
    buf_free(&ids);
}

/* Runs a listing query (sql, with vals bound, its full-text terms tested as how says) and
 * fills out with its rows; reverses them when reversed is set, so a listing read from its end
 * comes back in listing order. */
static int
run_list(struct db *db, const struct query *q, enum where_fts how, const char *sql,
         const char **vals, size_t nvals, int reversed, struct thread_list *out, char **err)
{
    size_t cap = 0;
    int rc;
    sqlite3_stmt *st = prepare_bound(db, sql, vals, nvals, err);
    if (st == NULL)
        return -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->n == cap) {
            cap = cap ? cap * 2 : 32;
            out->rows = xreallocarray(out->rows, cap, sizeof *out->rows);
        }
        read_row(st, &out->rows[out->n++]);
    }
    if (rc != SQLITE_DONE) {
        *err = db_error(db, "cannot list threads");
        sqlite3_finalize(st);
        thread_list_free(out);
        return -1;
    }
    sqlite3_finalize(st);
    for (size_t i = 0; reversed && i < out->n / 2; i++) {
        struct thread_row tmp = out->rows[i];
        out->rows[i] = out->rows[out->n - 1 - i];
        out->rows[out->n - 1 - i] = tmp;
    }
    if (q && q->fts)
        add_snippets(db, q->fts, how == WHERE_MATCHES && out->n <= SNIPPET_BATCH, out);
    return 0;
}

int
thread_list(struct db *db, const struct query *q, enum thread_sort sort, long limit,
            long offset, struct thread_list *out, char **err)
{
    struct buf sql = {0};
    const char **vals = NULL;
    size_t nvals = 0;

    memset(out, 0, sizeof *out);
    enum where_fts how = where_for_page(db, q, limit < 0 || offset > 0 ? -1 : limit);
    buf_adds(&sql, "SELECT " ROW_COLUMNS ROW_FROM);
    build_where(q, 0, how, &sql, &vals, &nvals);
    buf_printf(&sql, " ORDER BY %s LIMIT %ld OFFSET %ld", sort_sql[sort], limit < 0 ? -1 : limit,
               offset < 0 ? 0 : offset);
    int rc = run_list(db, q, how, sql.data, vals, nvals, 0, out, err);
    buf_free(&sql);
    free(vals);
    return rc;
}


struct thread_cursor {
    struct db *db;
    sqlite3_stmt *rows;
    sqlite3_stmt *snip;   /* snippet_sql, for a query with full-text terms; else NULL */
    char *fts;            /* snippets by batch (add_snippets) for this query; else NULL */
    struct thread_list ahead;
    size_t next;          /* the next row of ahead to give out */
    int done;             /* rows has no more */
};

struct thread_cursor *
thread_cursor_open(struct db *db, const struct query *q, enum thread_sort sort, long limit,
                   char **err)
{
    struct buf sql = {0};
    const char **vals = NULL;
    size_t nvals = 0;

    buf_adds(&sql, "SELECT " ROW_COLUMNS ROW_FROM);
    build_where(q, 0, where_for_page(db, q, limit), &sql, &vals, &nvals);
    buf_printf(&sql, " ORDER BY %s LIMIT %ld", sort_sql[sort], limit < 0 ? -1 : limit);
    struct thread_cursor *c = xcalloc(1, sizeof *c);
    c->db = db;
    c->rows = prepare_bound(db, sql.data, vals, nvals, err);
    buf_free(&sql);
    free(vals);
    /* Snippets by batch where one query for a batch reads few matches (a rare query), or
     * must read them all anyway (a prefix query); else thread by thread (FTS5 opens its
     * index for each query, a cost a rare query's probes would pay for every post). */
    if (c->rows != NULL && q && q->fts && (fts_prefix(q->fts) || !fts_common(db, q->fts)))
        c->fts = xstrdup(q->fts);
    else if (c->rows != NULL && q && q->fts && (c->snip = db_prepare(db, snippet_sql, err)))
        db_bind_text(c->snip, 1, q->fts);
    if (c->rows == NULL || (q && q->fts && c->snip == NULL && c->fts == NULL)) {
        thread_cursor_free(c);
        return NULL;
    }
    return c;
}

/* Reads the next batch of up to SNIPPET_BATCH rows into c->ahead with their snippets.
 * Returns 0 or -1 with *err set. */
static int
cursor_fill(struct thread_cursor *c, char **err)
{
    thread_list_free(&c->ahead);
    c->next = 0;
    c->ahead.rows = xcalloc(SNIPPET_BATCH, sizeof *c->ahead.rows);
    while (!c->done && c->ahead.n < SNIPPET_BATCH) {
        int rc = sqlite3_step(c->rows);
        if (rc == SQLITE_DONE) {
            c->done = 1;
        } else if (rc == SQLITE_ROW) {
            read_row(c->rows, &c->ahead.rows[c->ahead.n++]);
        } else {
            *err = db_error(c->db, "cannot list threads");
            return -1;
        }
    }
    add_snippets(c->db, c->fts, 1, &c->ahead);
    return 0;
}

int
thread_cursor_next(struct thread_cursor *c, struct thread_row *r, char **err)
{
    if (c->fts) {
        if (c->next == c->ahead.n && cursor_fill(c, err) != 0)
            return -1;
        if (c->next == c->ahead.n)
            return 0;
        *r = c->ahead.rows[c->next];
        memset(&c->ahead.rows[c->next++], 0, sizeof *r); /* the row is the caller's now */
        return 1;
    }
    int rc = sqlite3_step(c->rows);
    if (rc == SQLITE_DONE)
        return 0;
    if (rc != SQLITE_ROW) {
        *err = db_error(c->db, "cannot list threads");
        return -1;
    }
    read_row(c->rows, r);
    if (c->snip)
        row_snippet(c->snip, r);
    return 1;
}

void
thread_cursor_free(struct thread_cursor *c)
{
    if (c == NULL)
        return;
    sqlite3_finalize(c->rows);
    sqlite3_finalize(c->snip);
    free(c->fts);
    thread_list_free(&c->ahead);
    free(c);
}


int
thread_ids(struct db *db, const struct query *q, const struct query *also, long limit,
           long **ids, size_t *n, char **err)
{
    struct buf sql = {0};
    const char **vals = NULL;
    size_t nvals = 0;
    *ids = NULL;
    *n = 0;
    buf_adds(&sql, "SELECT t.id FROM threads t JOIN accounts a ON a.id = t.account_id");
    build_where(q, 0, WHERE_MATCHES, &sql, &vals, &nvals);
    if (also)
        add_conditions(also, 0, WHERE_MATCHES, &sql, &vals, &nvals);
    buf_printf(&sql, " ORDER BY t.id LIMIT %ld", limit);
    sqlite3_stmt *st = prepare_bound(db, sql.data, vals, nvals, err);
    buf_free(&sql);
    free(vals);
    if (st == NULL)
        return -1;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        *ids = xreallocarray(*ids, *n + 1, sizeof **ids);
        (*ids)[(*n)++] = (long)sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        free(*ids);
        *ids = NULL;
        *n = 0;
        *err = db_error(db, "cannot list the matching threads");
        return -1;
    }
    return 0;
}

int
thread_count_new(struct db *db, const struct query *q, long after_id, long *n, char **err)
{
    struct buf sql = {0};
    const char **vals = NULL;
    size_t nvals = 0;
    *n = 0;
    buf_adds(&sql, "SELECT count(*) FROM threads t JOIN accounts a ON a.id = t.account_id");
    build_where(q, 0, WHERE_MATCHES, &sql, &vals, &nvals);
    buf_printf(&sql, " AND t.id > %ld AND (t.seen_at IS NULL OR t.seen_at < t.last_activity)",
               after_id);
    sqlite3_stmt *st = prepare_bound(db, sql.data, vals, nvals, err);
    buf_free(&sql);
    free(vals);
    if (st == NULL)
        return -1;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *n = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW) {
        *err = db_error(db, "cannot count the new threads");
        return -1;
    }
    return 0;
}

long
thread_max_id(struct db *db)
{
    sqlite3_stmt *st = db_prepare(db, "SELECT coalesce(max(id), 0) FROM threads", NULL);
    if (st == NULL)
        return 0;
    long id = sqlite3_step(st) == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    return id;
}

/* Appends " AND KEY OP (values of row's key)" for sort. The values are numbers and stored
 * timestamps; the timestamps are bound as the next parameters. */
static void
add_key_condition(struct buf *sql, enum thread_sort sort, const char *op,
                  const struct thread_row *row, const char ***vals, size_t *nvals)
{
    buf_printf(sql, " AND %s %s (", sort_key[sort].key, op);
    if (sort == THREAD_SORT_PRIORITY)
        buf_printf(sql, "%d, ", row->priority);
    const char *time = sort == THREAD_SORT_AGE ? row->first_activity : row->last_activity;
    buf_printf(sql, "?%zu, %ld)", *nvals + 1, row->id);
    *vals = xreallocarray(*vals, *nvals + 1, sizeof **vals);
    (*vals)[(*nvals)++] = time ? time : "";
}

/* The comparison that selects the rows before a key: the reverse of "after". */
static const char *
before_op(enum thread_sort sort)
{
    return sort_key[sort].after[0] == '<' ? ">" : "<";
}

int
thread_list_seek(struct db *db, const struct query *q, enum thread_sort sort,
                 enum thread_seek seek, const struct thread_row *from, long limit,
                 struct thread_list *out, char **err)
{
    struct buf sql = {0};
    const char **vals = NULL;
    size_t nvals = 0;

    memset(out, 0, sizeof *out);
    if (from == NULL && seek != THREAD_SEEK_LAST)
        seek = THREAD_SEEK_FIRST;
    int backward = seek == THREAD_SEEK_LAST || seek == THREAD_SEEK_BEFORE;
    enum where_fts how = where_for_page(db, q, limit);
    buf_adds(&sql, "SELECT " ROW_COLUMNS ROW_FROM);
    build_where(q, 0, how, &sql, &vals, &nvals);
    if (seek == THREAD_SEEK_AFTER)
        add_key_condition(&sql, sort, sort_key[sort].after, from, &vals, &nvals);
    else if (seek == THREAD_SEEK_FROM)
        add_key_condition(&sql, sort, sort_key[sort].after[0] == '<' ? "<=" : ">=", from,
                          &vals, &nvals);
    else if (seek == THREAD_SEEK_BEFORE)
        add_key_condition(&sql, sort, before_op(sort), from, &vals, &nvals);
    buf_printf(&sql, " ORDER BY %s LIMIT %ld", backward ? sort_sql_rev[sort] : sort_sql[sort],
               limit < 0 ? -1 : limit);
    int rc = run_list(db, q, how, sql.data, vals, nvals, backward, out, err);
    buf_free(&sql);
    free(vals);
    return rc;
}

/* Returns nonzero when q filters on a column of the accounts table. */
static int
needs_accounts(const struct query *q)
{
    for (size_t i = 0; q && i < q->nterms; i++)
        if (q->terms[i].key == QK_PLATFORM || q->terms[i].key == QK_ACCOUNT)
            return 1;
    return 0;
}

int
thread_count_before(struct db *db, const struct query *q, enum thread_sort sort,
                    const struct thread_row *row, long *n, char **err)
{
    struct buf sql = {0};
    const char **vals = NULL;
    size_t nvals = 0;

    *n = 0;
    buf_printf(&sql, "SELECT count(*) FROM threads t%s",
               needs_accounts(q) ? " JOIN accounts a ON a.id = t.account_id" : "");
    build_where(q, 0, WHERE_MATCHES, &sql, &vals, &nvals);
    add_key_condition(&sql, sort, before_op(sort), row, &vals, &nvals);
    sqlite3_stmt *st = prepare_bound(db, sql.data, vals, nvals, err);
    buf_free(&sql);
    free(vals);
    if (st == NULL)
        return -1;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *n = (long)sqlite3_column_int64(st, 0);
    else
        *err = db_error(db, "cannot count threads");
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : -1;
}

/* Adds (sign 1) or takes away (sign -1) the per-state counts sql returns as (state, count)
 * rows. Returns 0 or -1 with *err. */
static int
add_counts(struct db *db, const char *sql, int sign, long counts[TRIAGE_NSTATES], char **err)
{
    sqlite3_stmt *st = db_prepare(db, sql, err);
    if (st == NULL)
        return -1;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *s = (const char *)sqlite3_column_text(st, 0);
        for (int i = 0; i < TRIAGE_NSTATES; i++)
            if (s && strcmp(s, triage_state_names[i]) == 0)
                counts[i] += sign * (long)sqlite3_column_int64(st, 1);
    }
    if (rc != SQLITE_DONE)
        *err = db_error(db, "cannot count threads");
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* Whether q narrows nothing but the state (which counting ignores). */
static int
only_states(const struct query *q)
{
    if (q == NULL)
        return 1;
    if (q->fts || q->fts_not)
        return 0;
    for (size_t i = 0; i < q->nterms; i++)
        if (q->terms[i].key != QK_STATE)
            return 0;
    return 1;
}

/* Counts for the unfiltered inbox, the one every start shows: every thread per state, read
 * from thread_state_counts (kept by triggers, so its cost does not grow with the cache), less
 * the threads snoozed until later, found through the (state, snoozed_until) index: one range
 * of it per state, so only snoozed threads are read. Scanning the table for them took 0.2 s
 * with a cold page cache at 1,000,000 posts. */
static int
count_states_plain(struct db *db, int include_snoozed, long counts[TRIAGE_NSTATES], char **err)
{
    if (add_counts(db, "SELECT state, n FROM thread_state_counts", 1, counts, err) != 0)
        return -1;
    if (include_snoozed)
        return 0;
    struct buf sql = {0};
    buf_adds(&sql, "SELECT state, count(*) FROM threads INDEXED BY threads_state_snooze"
                   " WHERE state IN (");
    for (int i = 0; i < TRIAGE_NSTATES; i++)
        buf_printf(&sql, "%s'%s'", i ? ", " : "", triage_state_names[i]);
    buf_adds(&sql, ") AND snoozed_until > strftime('%Y-%m-%dT%H:%M:%SZ', 'now') GROUP BY state");
    int rc = add_counts(db, sql.data, -1, counts, err);
    buf_free(&sql);
    return rc;
}

/* The progress handler of thread_count_states_until: asks the caller whether to stop. */
struct count_stop {
    thread_stop_fn *stop;
    void *arg;
    int stopped;
};

static int
count_progress(void *p)
{
    struct count_stop *cs = p;
    if (cs->stop(cs->arg))
        cs->stopped = 1;
    return cs->stopped;
}

int
thread_count_states_until(struct db *db, const struct query *q, long counts[TRIAGE_NSTATES],
                          thread_stop_fn *stop, void *arg, char **err)
{
    long got[TRIAGE_NSTATES];
    struct count_stop cs = {stop, arg, 0};
    if (stop)
        sqlite3_progress_handler(db->sql, COUNT_STOP_STEPS, count_progress, &cs);
    char *why = NULL;
    int rc = thread_count_states(db, q, got, &why);
    if (stop)
        sqlite3_progress_handler(db->sql, 0, NULL, NULL);
    if (cs.stopped) {
        free(why);
        return 1;
    }
    if (rc != 0) {
        *err = why;
        return -1;
    }
    memcpy(counts, got, sizeof got);
    return 0;
}

int
thread_count_states(struct db *db, const struct query *q, long counts[TRIAGE_NSTATES],
                    char **err)
{
    if (only_states(q)) {
        memset(counts, 0, sizeof(long) * TRIAGE_NSTATES);
        return count_states_plain(db, q && q->include_snoozed, counts, err);
    }
    struct buf sql = {0};
    const char **vals = NULL;
    size_t nvals = 0;
    int rc;

    memset(counts, 0, sizeof(long) * TRIAGE_NSTATES);
    /* The join is left out when no filter needs it: on 100,000 threads it triples the time. */
    buf_printf(&sql, "SELECT t.state, count(*) FROM threads t%s",
               needs_accounts(q) ? " JOIN accounts a ON a.id = t.account_id" : "");
    build_where(q, 1, WHERE_MATCHES, &sql, &vals, &nvals);
    buf_adds(&sql, " GROUP BY t.state");
    sqlite3_stmt *st = prepare_bound(db, sql.data, vals, nvals, err);
    buf_free(&sql);
    free(vals);
    if (st == NULL)
        return -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *s = (const char *)sqlite3_column_text(st, 0);
        for (int i = 0; i < TRIAGE_NSTATES; i++)
            if (strcmp(s, triage_state_names[i]) == 0)
                counts[i] = (long)sqlite3_column_int64(st, 1);
    }
    if (rc != SQLITE_DONE)
        *err = db_error(db, "cannot count threads");
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* The query listing each filter key's values in use. */
static const char *const values_sql[QK_COUNT] = {
    [QK_ACCOUNT] = "SELECT name FROM accounts ORDER BY name LIMIT ?1",
    [QK_PLATFORM] = "SELECT DISTINCT platform FROM accounts ORDER BY 1 LIMIT ?1",
    [QK_TAG] = "SELECT DISTINCT tag FROM thread_tags ORDER BY 1 LIMIT ?1",
    [QK_ASSIGNEE] = "SELECT DISTINCT assignee FROM threads WHERE assignee IS NOT NULL"
                    " ORDER BY 1 LIMIT ?1",
};

int
thread_values(struct db *db, enum query_key key, long limit, char ***out, size_t *n,
              char **err)
{
    *out = NULL;
    *n = 0;
    if (key == QK_STATE) {
        for (int i = 0; i < TRIAGE_NSTATES && i < limit; i++) {
            *out = xreallocarray(*out, *n + 1, sizeof **out);
            (*out)[(*n)++] = xstrdup(triage_state_names[i]);
        }
        return 0;
    }
    if ((int)key < 0 || key >= QK_COUNT || values_sql[key] == NULL)
        return 0;
    sqlite3_stmt *st = db_prepare(db, values_sql[key], err);
    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, limit);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        *out = xreallocarray(*out, *n + 1, sizeof **out);
        (*out)[(*n)++] = db_column_strdup(st, 0);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        *err = db_error(db, "cannot read the values in use");
        thread_values_free(*out, *n);
        *out = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}

void
thread_values_free(char **values, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(values[i]);
    free(values);
}

void
thread_list_free(struct thread_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        thread_row_clear(&l->rows[i]);
    free(l->rows);
    memset(l, 0, sizeof *l);
}

/* Frees what a post owns. */
static void
post_clear(struct thread_post *p)
{
    free(p->remote_id);
    free(p->parent);
    free(p->author);
    free(p->author_name);
    free(p->created_at);
    free(p->text);
    free(p->html);
    free(p->url);
    free(p->edited_at);
    free(p->deleted_at);
    free(p->deleted_reason);
    free(p->meta);
}

/* Appends to out, depth first, the posts in in[] whose parent is parent (NULL: the roots),
 * siblings in time order. done[] marks posts already placed, so a cycle cannot loop. */
static void
place_children(struct thread_post *in, size_t n, char *done, const char *parent, int depth,
               struct thread_post *out, size_t *nout)
{
    for (size_t i = 0; i < n; i++) {
        if (done[i])
            continue;
        int is_child = parent ? in[i].parent && strcmp(in[i].parent, parent) == 0 : 0;
        if (!is_child)
            continue;
        done[i] = 1;
        out[*nout] = in[i];
        out[*nout].depth = depth;
        (*nout)++;
        place_children(in, n, done, in[i].remote_id, depth + 1, out, nout);
    }
}

/* Orders the posts (already in time order) as a conversation tree. */
static void
order_tree(struct thread *t)
{
    size_t n = t->nposts, nout = 0;
    struct thread_post *out = xcalloc(n, sizeof *out);
    char *done = xcalloc(n, 1);
    for (size_t i = 0; i < n; i++) {
        if (done[i])
            continue;
        /* A root: no parent, or a parent the cache does not hold. */
        int has_parent = 0;
        for (size_t j = 0; t->posts[i].parent && j < n && !has_parent; j++)
            has_parent = strcmp(t->posts[j].remote_id, t->posts[i].parent) == 0;
        if (has_parent)
            continue;
        done[i] = 1;
        out[nout] = t->posts[i];
        out[nout++].depth = 0;
        place_children(t->posts, n, done, t->posts[i].remote_id, 1, out, &nout);
    }
    /* Posts caught in a parent cycle have no root; show them flat at the end. */
    for (size_t i = 0; i < n; i++)
        if (!done[i])
            out[nout++] = t->posts[i];
    free(t->posts);
    free(done);
    t->posts = out;
}

/* Loads the posts and notes of t. */
static int
load_posts(struct db *db, struct thread *t, char **err)
{
    sqlite3_stmt *st = db_prepare(db,
                                  "SELECT p.id, p.remote_id, p.parent_remote_id, au.handle,"
                                  " au.display_name, p.created_at, p.body, p.html, p.url, p.own,"
                                  " p.shortened,"
                                  " coalesce(json_extract(p.meta, '$.visibility')"
                                  "   IN ('private', 'direct'), 0),"
                                  " json_extract(p.meta, '$.edited_at'),"
                                  " p.meta, p.deleted_at, p.deleted_reason"
                                  " FROM posts p JOIN authors au ON au.id = p.author_id"
                                  " WHERE p.thread_id = ?1 ORDER BY p.created_at, p.id",
                                  err);
    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, t->info.id);
    size_t cap = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (t->nposts == cap) {
            cap = cap ? cap * 2 : 16;
            t->posts = xreallocarray(t->posts, cap, sizeof *t->posts);
        }
        struct thread_post *p = &t->posts[t->nposts++];
        p->id = (long)sqlite3_column_int64(st, 0);
        p->remote_id = db_column_strdup(st, 1);
        p->parent = db_column_strdup(st, 2);
        p->author = db_column_strdup(st, 3);
        p->author_name = db_column_strdup(st, 4);
        p->created_at = db_column_strdup(st, 5);
        p->text = db_column_strdup(st, 6);
        p->html = db_column_strdup(st, 7);
        p->url = db_column_strdup(st, 8);
        p->own = sqlite3_column_int(st, 9);
        p->shortened = sqlite3_column_int(st, 10);
        p->is_private = sqlite3_column_int(st, 11);
        p->edited_at = sqlite3_column_type(st, 12) == SQLITE_TEXT ? db_column_strdup(st, 12)
                                                                  : NULL;
        p->meta = db_column_strdup(st, 13);
        p->deleted_at = db_column_strdup(st, 14);
        p->deleted_reason = db_column_strdup(st, 15);
        p->depth = 0;
    }
    sqlite3_finalize(st);
    order_tree(t);

    st = db_prepare(db, "SELECT reply_refused FROM threads WHERE id = ?1", err);
    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, t->info.id);
    if (sqlite3_step(st) == SQLITE_ROW)
        t->reply_refused = db_column_strdup(st, 0);
    sqlite3_finalize(st);

    st = db_prepare(db, "SELECT officer, created_at, body FROM notes WHERE thread_id = ?1"
                        " ORDER BY id", err);
    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, t->info.id);
    cap = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (t->nnotes == cap) {
            cap = cap ? cap * 2 : 4;
            t->notes = xreallocarray(t->notes, cap, sizeof *t->notes);
        }
        struct thread_note *n = &t->notes[t->nnotes++];
        n->officer = db_column_strdup(st, 0);
        n->created_at = db_column_strdup(st, 1);
        n->text = db_column_strdup(st, 2);
    }
    sqlite3_finalize(st);
    return 0;
}

struct thread *
thread_get(struct db *db, long id, char **err)
{
    sqlite3_stmt *st = db_prepare(db, "SELECT " ROW_COLUMNS ROW_FROM " WHERE t.id = ?1", err);
    if (st == NULL)
        return NULL;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        *err = rc == SQLITE_DONE ? xasprintf("no thread %ld; `tactful list` shows the threads",
                                             id)
                                 : db_error(db, "cannot read the thread");
        sqlite3_finalize(st);
        return NULL;
    }
    struct thread *t = xcalloc(1, sizeof *t);
    read_row(st, &t->info);
    sqlite3_finalize(st);
    if (load_posts(db, t, err) != 0) {
        thread_free(t);
        return NULL;
    }
    return t;
}

void
thread_free(struct thread *t)
{
    if (t == NULL)
        return;
    thread_row_clear(&t->info);
    free(t->reply_refused);
    for (size_t i = 0; i < t->nposts; i++)
        post_clear(&t->posts[i]);
    free(t->posts);
    for (size_t i = 0; i < t->nnotes; i++) {
        free(t->notes[i].officer);
        free(t->notes[i].created_at);
        free(t->notes[i].text);
    }
    free(t->notes);
    free(t);
}

/* Runs one UPDATE of a thread's seen_at (?1 is the thread). Returns 0 or -1 with *err. */
static int
set_seen(struct db *db, long id, const char *sql, const char *what, char **err)
{
    sqlite3_stmt *st = db_prepare(db, sql, err);
    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        *err = db_error(db, what);
        return -1;
    }
    return 0;
}

int
thread_mark_unseen(struct db *db, long id, char **err)
{
    return set_seen(db, id, "UPDATE threads SET seen_at = NULL WHERE id = ?1",
                    "cannot mark the thread unread", err);
}

int
thread_mark_seen(struct db *db, long id, char **err)
{
    return set_seen(db, id, "UPDATE threads SET seen_at = last_activity WHERE id = ?1"
                            " AND seen_at IS NOT last_activity",
                    "cannot mark the thread read", err);
}

void
thread_watch_start(struct db *db, struct thread_watch *w)
{
    w->version = db_data_version(db);
    thread_watch_wake(db, w);
}

void
thread_watch_wake(struct db *db, struct thread_watch *w)
{
    w->wake[0] = '\0';
    struct buf sql = {0};
    buf_adds(&sql, "SELECT min(snoozed_until) FROM threads INDEXED BY threads_state_snooze"
                   " WHERE state IN (");
    for (int i = 0; i < TRIAGE_NSTATES; i++)
        buf_printf(&sql, "%s'%s'", i ? ", " : "", triage_state_names[i]);
    buf_adds(&sql, ") AND snoozed_until > strftime('%Y-%m-%dT%H:%M:%SZ', 'now')");
    sqlite3_stmt *st = db_prepare(db, sql.data, NULL);
    buf_free(&sql);
    if (st && sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(w->wake, sizeof w->wake, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
}

int
thread_watch_due(struct db *db, const struct thread_watch *w)
{
    if (db_data_version(db) != w->version)
        return 1;
    if (w->wake[0] == '\0')
        return 0;
    char now[ISOTIME_LEN];
    isotime_now(now);
    return strcmp(now, w->wake) >= 0;
}
