/* Thread queries for the inbox, the CLI and exports. */
#include "model/thread.h"

#include "model/isotime.h"
#include "model/xmalloc.h"

#include <stdlib.h>
#include <string.h>

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

#define ROW_COLUMNS                                                                            \
    "t.id, a.name, a.platform, t.root_remote_id, t.title, t.url, t.last_activity,"             \
    " t.first_activity, t.state, t.priority, t.assignee,"                                      \
    " (SELECT group_concat(tag, char(31)) FROM (SELECT tag FROM thread_tags"                   \
    "   WHERE thread_id = t.id ORDER BY tag)),"                                                \
    " t.snoozed_until, t.post_count, (t.seen_at IS NULL OR t.seen_at < t.last_activity),"      \
    " lp.body, la.handle, la.display_name"
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

/* Appends the WHERE clause for q to sql and collects the values to bind, in order. A filter
 * key given several times matches any of its values; skip_state leaves state: out. */
static void
build_where(const struct query *q, int skip_state, struct buf *sql, const char ***vals,
            size_t *nvals)
{
    buf_adds(sql, " WHERE 1");
    if (q == NULL || !q->include_snoozed)
        buf_adds(sql, " AND (t.snoozed_until IS NULL"
                      " OR t.snoozed_until <= strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))");
    if (q == NULL)
        return;
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
        buf_printf(sql, " AND t.id IN (SELECT p.thread_id FROM posts_fts JOIN posts p"
                        " ON p.id = posts_fts.rowid WHERE posts_fts MATCH ?%zu)",
                   *nvals + 1);
        *vals = xreallocarray(*vals, *nvals + 1, sizeof **vals);
        (*vals)[(*nvals)++] = q->fts;
    }
    if (q->fts_not) {
        buf_printf(sql, " AND t.id NOT IN (SELECT p.thread_id FROM posts_fts JOIN posts p"
                        " ON p.id = posts_fts.rowid WHERE posts_fts MATCH ?%zu)",
                   *nvals + 1);
        *vals = xreallocarray(*vals, *nvals + 1, sizeof **vals);
        (*vals)[(*nvals)++] = q->fts_not;
    }
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
}

/* Frees what a row owns. */
static void
row_clear(struct thread_row *r)
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

/* Adds the best-matching snippet of each listed thread. */
static void
add_snippets(struct db *db, const char *fts, struct thread_list *out)
{
    sqlite3_stmt *st = db_prepare(db,
                                  "SELECT snippet(posts_fts, -1, '[', ']', '…', 12)"
                                  " FROM posts_fts JOIN posts p ON p.id = posts_fts.rowid"
                                  " WHERE posts_fts MATCH ?1 AND p.thread_id = ?2"
                                  " ORDER BY rank LIMIT 1",
                                  NULL);
    if (st == NULL)
        return;
    for (size_t i = 0; i < out->n; i++) {
        db_bind_text(st, 1, fts);
        sqlite3_bind_int64(st, 2, out->rows[i].id);
        if (sqlite3_step(st) == SQLITE_ROW)
            out->rows[i].snippet = db_column_strdup(st, 0);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
}

int
thread_list(struct db *db, const struct query *q, enum thread_sort sort, long limit,
            long offset, struct thread_list *out, char **err)
{
    struct buf sql = {0};
    const char **vals = NULL;
    size_t nvals = 0, cap = 0;
    int rc;

    memset(out, 0, sizeof *out);
    buf_adds(&sql, "SELECT " ROW_COLUMNS ROW_FROM);
    build_where(q, 0, &sql, &vals, &nvals);
    buf_printf(&sql, " ORDER BY %s LIMIT %ld OFFSET %ld", sort_sql[sort], limit < 0 ? -1 : limit,
               offset < 0 ? 0 : offset);
    sqlite3_stmt *st = prepare_bound(db, sql.data, vals, nvals, err);
    buf_free(&sql);
    free(vals);
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
    if (q && q->fts)
        add_snippets(db, q->fts, out);
    return 0;
}

int
thread_count_states(struct db *db, const struct query *q, long counts[QUERY_NSTATES],
                    char **err)
{
    struct buf sql = {0};
    const char **vals = NULL;
    size_t nvals = 0;
    int rc;

    memset(counts, 0, sizeof(long) * QUERY_NSTATES);
    buf_adds(&sql, "SELECT t.state, count(*) FROM threads t JOIN accounts a"
                   " ON a.id = t.account_id");
    build_where(q, 1, &sql, &vals, &nvals);
    buf_adds(&sql, " GROUP BY t.state");
    sqlite3_stmt *st = prepare_bound(db, sql.data, vals, nvals, err);
    buf_free(&sql);
    free(vals);
    if (st == NULL)
        return -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *s = (const char *)sqlite3_column_text(st, 0);
        for (int i = 0; i < QUERY_NSTATES; i++)
            if (strcmp(s, query_states[i]) == 0)
                counts[i] = (long)sqlite3_column_int64(st, 1);
    }
    if (rc != SQLITE_DONE)
        *err = db_error(db, "cannot count threads");
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

void
thread_list_free(struct thread_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        row_clear(&l->rows[i]);
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
                                  " au.display_name, p.created_at, p.body, p.html, p.url, p.own"
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
        p->depth = 0;
    }
    sqlite3_finalize(st);
    order_tree(t);

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
    row_clear(&t->info);
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

int
thread_mark_seen(struct db *db, long id, char **err)
{
    sqlite3_stmt *st = db_prepare(db, "UPDATE threads SET seen_at = last_activity WHERE id = ?1"
                                      " AND seen_at IS NOT last_activity", err);
    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        *err = db_error(db, "cannot mark the thread read");
        return -1;
    }
    return 0;
}
