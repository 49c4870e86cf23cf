/* Marks for what changed upstream: deleted posts, threads that refuse replies. */
#include "model/upstream.h"

#include "model/isotime.h"
#include "model/xmalloc.h"

#include <stdlib.h>
#include <string.h>

/* reason cut to UPSTREAM_MAX_REASON bytes on a UTF-8 boundary (newly allocated). */
static char *
reason_copy(const char *reason)
{
    size_t n = strlen(reason);
    if (n > UPSTREAM_MAX_REASON) {
        n = UPSTREAM_MAX_REASON;
        while (n > 0 && ((unsigned char)reason[n] & 0xc0) == 0x80)
            n--;
    }
    return xstrndup(reason, n);
}

int
upstream_mark_deleted(struct db *db, const char *account, const char *remote_id,
                      const char *reason, int *changed, char **err)
{
    if (changed)
        *changed = 0;
    char now[ISOTIME_LEN];
    isotime_now(now);
    sqlite3_stmt *st = db_prepare(db, "UPDATE posts SET deleted_at = ?3, deleted_reason = ?4"
                                      " WHERE account_id = (SELECT id FROM accounts"
                                      "   WHERE name = ?1) AND remote_id = ?2"
                                      " AND deleted_at IS NULL", err);
    if (st == NULL)
        return -1;
    char *why = reason_copy(reason);
    db_bind_text(st, 1, account);
    db_bind_text(st, 2, remote_id);
    db_bind_text(st, 3, now);
    db_bind_text(st, 4, why);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    free(why);
    if (rc != SQLITE_DONE) {
        *err = db_error(db, "cannot mark a deleted post");
        return -1;
    }
    if (changed)
        *changed = sqlite3_changes(db->sql) > 0;
    return 0;
}

int
upstream_set_refusal(struct db *db, const char *account, const char *root, const char *reason,
                     char **err)
{
    sqlite3_stmt *st = db_prepare(db, "UPDATE threads SET reply_refused = ?3"
                                      " WHERE account_id = (SELECT id FROM accounts"
                                      "   WHERE name = ?1) AND root_remote_id = ?2"
                                      " AND reply_refused IS NOT ?3", err);
    if (st == NULL)
        return -1;
    char *why = reason ? reason_copy(reason) : NULL;
    db_bind_text(st, 1, account);
    db_bind_text(st, 2, root);
    db_bind_text(st, 3, why);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    free(why);
    if (rc != SQLITE_DONE) {
        *err = db_error(db, "cannot record whether the thread takes replies");
        return -1;
    }
    return 0;
}

int
upstream_reply_refused(struct db *db, long thread, const char *in_reply_to, char **why,
                       char **err)
{
    sqlite3_stmt *st = db_prepare(db, "SELECT t.reply_refused, p.remote_id, p.deleted_at,"
                                      " p.deleted_reason FROM threads t"
                                      " LEFT JOIN posts p ON p.thread_id = t.id"
                                      " AND p.remote_id = coalesce(?2, t.root_remote_id)"
                                      " WHERE t.id = ?1", err);
    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, thread);
    db_bind_text(st, 2, in_reply_to);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(st);
        if (rc == SQLITE_DONE)
            return 0; /* no such thread: the caller says so in its own words */
        *err = db_error(db, "cannot read the thread");
        return -1;
    }
    const char *refused = (const char *)sqlite3_column_text(st, 0);
    const char *post = (const char *)sqlite3_column_text(st, 1);
    const char *at = (const char *)sqlite3_column_text(st, 2);
    const char *reason = (const char *)sqlite3_column_text(st, 3);
    int out = 0;
    if (post && at) {
        *why = xasprintf("the post answered (%.100s) was %s (found %.20s), so a reply to it "
                         "cannot be sent; answer another post of thread %ld, or close it",
                         post, reason ? reason : "deleted upstream", at, thread);
        out = 1;
    } else if (refused) {
        *why = xasprintf("thread %ld does not take replies: %s; the platform would refuse "
                         "one", thread, refused);
        out = 1;
    }
    sqlite3_finalize(st);
    return out;
}

int
upstream_recent_roots(struct db *db, const char *account, const char *since, size_t max,
                      char ***roots, size_t *n, char **err)
{
    *roots = NULL;
    *n = 0;
    sqlite3_stmt *st = db_prepare(db, "SELECT t.root_remote_id FROM threads t"
                                      " JOIN accounts a ON a.id = t.account_id"
                                      " WHERE a.name = ?1 AND t.last_activity >= ?2"
                                      " AND t.state <> 'closed'"
                                      " AND NOT EXISTS (SELECT 1 FROM posts p"
                                      "   WHERE p.thread_id = t.id"
                                      "   AND p.remote_id = t.root_remote_id"
                                      "   AND p.deleted_at IS NOT NULL)"
                                      " ORDER BY t.last_activity DESC, t.id DESC LIMIT ?3",
                                  err);
    if (st == NULL)
        return -1;
    db_bind_text(st, 1, account);
    db_bind_text(st, 2, since);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)max);
    char **out = max ? xcalloc(max, sizeof *out) : NULL;
    size_t got = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && got < max)
        out[got++] = db_column_strdup(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        upstream_roots_free(out, got);
        *err = db_error(db, "cannot read the recent threads");
        return -1;
    }
    *roots = out;
    *n = got;
    return 0;
}

void
upstream_roots_free(char **roots, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(roots[i]);
    free(roots);
}

int
upstream_thread_posts(struct db *db, const char *account, char *const *roots, size_t nroots,
                      size_t max, struct upstream_post **posts, size_t *n, char **err)
{
    *posts = NULL;
    *n = 0;
    sqlite3_stmt *st = db_prepare(db, "SELECT p.remote_id FROM threads t"
                                      " JOIN accounts a ON a.id = t.account_id"
                                      " JOIN posts p ON p.thread_id = t.id"
                                      " WHERE a.name = ?1 AND t.root_remote_id = ?2"
                                      " AND p.remote_id <> t.root_remote_id"
                                      " AND p.deleted_at IS NULL ORDER BY p.id", err);
    if (st == NULL)
        return -1;
    struct upstream_post *out = NULL;
    size_t got = 0, cap = 0;
    int rc = SQLITE_DONE;
    for (size_t i = 0; i < nroots && got < max && rc == SQLITE_DONE; i++) {
        sqlite3_reset(st);
        db_bind_text(st, 1, account);
        db_bind_text(st, 2, roots[i]);
        while (got < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
            if (got == cap) {
                cap = cap ? cap * 2 : 64;
                out = xreallocarray(out, cap, sizeof *out);
            }
            out[got].root = xstrdup(roots[i]);
            out[got].id = db_column_strdup(st, 0);
            got++;
        }
        if (rc == SQLITE_ROW)
            rc = SQLITE_DONE; /* max reached */
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        upstream_posts_free(out, got);
        *err = db_error(db, "cannot read the recent threads' posts");
        return -1;
    }
    *posts = out;
    *n = got;
    return 0;
}

void
upstream_posts_free(struct upstream_post *posts, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(posts[i].root);
        free(posts[i].id);
    }
    free(posts);
}
