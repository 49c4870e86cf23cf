/* The outbox table: queueing replies, claiming them for sending, recording the outcome. */
#include "model/outbox.h"

#include "model/audit.h"
#include "model/isotime.h"
#include "model/upstream.h"
#include "model/xmalloc.h"

#include <errno.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

/* After this long a claim is stale even if a process with its pid exists (pids are reused). */
#define OUTBOX_CLAIM_STALE_S (60 * 60)

#define ROW_SELECT                                                                             \
    "SELECT o.id, coalesce(o.draft_id, 0), o.thread_id, a.name, a.platform, t.root_remote_id," \
    " o.in_reply_to, pa.handle, p.meta, o.body, o.idempotency_key, o.state, o.attempts,"       \
    " o.last_error, o.remote_id, o.remote_url, o.created_at, o.sent_at, o.officer,"            \
    " o.claimed_at, o.claimed_by"                                                              \
    " FROM outbox o JOIN accounts a ON a.id = o.account_id"                                    \
    " JOIN threads t ON t.id = o.thread_id"                                                    \
    " LEFT JOIN posts p ON p.account_id = o.account_id AND p.remote_id = o.in_reply_to"        \
    " LEFT JOIN authors pa ON pa.id = p.author_id"

/* Returns nonzero when s holds a control character other than newline and tab. */
static int
body_has_control(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7f)
            return 1;
    return 0;
}

/* Returns nonzero when s is well-formed UTF-8. */
static int
utf8_valid(const char *s)
{
    json_t *j = json_string(s); /* Jansson refuses broken UTF-8 */
    int ok = j != NULL;
    json_decref(j);
    return ok;
}

/* Writes a random (version 4) UUID to out. */
static void
uuid_random(char out[37])
{
    unsigned char b[16];
    size_t got = 0;
    while (got < sizeof b) {
        ssize_t n = getrandom(b + got, sizeof b - got, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) { /* no entropy source at all: fall back to time and pid */
            unsigned long seed = (unsigned long)time(NULL) ^ ((unsigned long)getpid() << 16);
            for (size_t i = got; i < sizeof b; i++) {
                seed = seed * 6364136223846793005UL + 1442695040888963407UL;
                b[i] = (unsigned char)(seed >> 56);
            }
            break;
        }
        got += (size_t)n;
    }
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
             b[13], b[14], b[15]);
}

/* Checks the reply text; returns 0 or -1 with *err set. */
static int
body_check(const char *body, char **err)
{
    size_t n = strlen(body);
    size_t blank = strspn(body, " \t\n");
    if (n == 0 || blank == n) {
        *err = xstrdup("the reply is empty; write something before queueing it");
        return -1;
    }
    if (n > OUTBOX_MAX_BODY) {
        *err = xasprintf("the reply is %zu bytes long; the limit is %d", n, OUTBOX_MAX_BODY);
        return -1;
    }
    if (body_has_control(body) || !utf8_valid(body)) {
        *err = xstrdup("the reply holds control characters or broken UTF-8; retype it");
        return -1;
    }
    return 0;
}

/* Finds the thread's account and checks that in_reply_to (NULL: the root) is one of its
 * posts; sets *account and *parent (newly allocated). Returns 0 or -1 with *err set. */
static int
reply_target(struct db *db, long thread, const char *in_reply_to, sqlite3_int64 *account,
             char **parent, char **err)
{
    sqlite3_stmt *st = db_prepare(db, "SELECT t.account_id, p.remote_id FROM threads t"
                                      " LEFT JOIN posts p ON p.thread_id = t.id"
                                      " AND p.remote_id = coalesce(?2, t.root_remote_id)"
                                      " WHERE t.id = ?1",
                                  err);
    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, thread);
    db_bind_text(st, 2, in_reply_to);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *account = sqlite3_column_int64(st, 0);
        *parent = db_column_strdup(st, 1);
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE) {
        *err = xasprintf("no thread %ld; `tactful list` shows the threads", thread);
        return -1;
    }
    if (rc != SQLITE_ROW) {
        *err = db_error(db, "cannot read the thread");
        return -1;
    }
    if (*parent == NULL) {
        if (in_reply_to)
            *err = xasprintf("thread %ld has no post '%.100s' to reply to; `tactful show %ld` "
                             "lists its posts", thread, in_reply_to, thread);
        else
            *err = xasprintf("the first post of thread %ld is not in the cache; sync the "
                             "account, then reply to one of the posts `tactful show %ld` lists",
                             thread, thread);
        return -1;
    }
    char *why = NULL;
    int refused = upstream_reply_refused(db, thread, *parent, &why, err);
    if (refused != 0) {
        free(*parent);
        *parent = NULL;
        if (refused > 0)
            *err = why;
        return -1;
    }
    return 0;
}

int
outbox_enqueue(struct db *db, const char *officer, long thread, const char *in_reply_to,
               const char *body, long draft_id, long *id, char **err)
{
    if (body_check(body, err) != 0)
        return -1;
    int own = sqlite3_get_autocommit(db->sql);
    if (own && db_begin(db, err) != 0)
        return -1;
    sqlite3_int64 account;
    char *parent = NULL;
    if (reply_target(db, thread, in_reply_to, &account, &parent, err) != 0)
        goto fail;
    char key[37], now[ISOTIME_LEN];
    uuid_random(key);
    isotime_now(now);
    sqlite3_stmt *st = db_prepare(db, "INSERT INTO outbox (draft_id, account_id, thread_id,"
                                      " in_reply_to, body, idempotency_key, state, created_at,"
                                      " officer)"
                                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'queued', ?7, ?8)",
                                  err);
    if (st == NULL)
        goto fail;
    if (draft_id > 0)
        sqlite3_bind_int64(st, 1, draft_id);
    sqlite3_bind_int64(st, 2, account);
    sqlite3_bind_int64(st, 3, thread);
    db_bind_text(st, 4, parent);
    db_bind_text(st, 5, body);
    db_bind_text(st, 6, key);
    db_bind_text(st, 7, now);
    db_bind_text(st, 8, officer);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        *err = db_error(db, "cannot queue the reply");
        goto fail;
    }
    *id = (long)sqlite3_last_insert_rowid(db->sql);
    json_t *d = json_pack("{s:I, s:s}", "outbox", (json_int_t)*id, "in_reply_to", parent);
    char *details = json_dumps(d, JSON_COMPACT);
    json_decref(d);
    rc = audit_append(db, officer, "reply_queued", thread, details, NULL, err);
    free(details);
    if (rc != 0)
        goto fail;
    free(parent);
    return own ? db_commit(db, err) : 0;
fail:
    free(parent);
    if (own)
        db_rollback(db);
    return -1;
}

char *
outbox_claimer(void)
{
    char host[256];
    if (gethostname(host, sizeof host) != 0)
        snprintf(host, sizeof host, "localhost");
    host[sizeof host - 1] = '\0';
    return xasprintf("%s:%ld", host, (long)getpid());
}

int
outbox_claimer_alive(const char *claimer)
{
    if (claimer == NULL)
        return 0;
    const char *colon = strrchr(claimer, ':');
    char *me = outbox_claimer();
    char *mine_colon = strrchr(me, ':');
    int same_host = colon && (size_t)(colon - claimer) == (size_t)(mine_colon - me) &&
                    strncmp(claimer, me, (size_t)(colon - claimer)) == 0;
    free(me);
    if (!same_host)
        return 1;
    char *end;
    long pid = strtol(colon + 1, &end, 10);
    if (*end != '\0' || pid <= 0)
        return 0;
    if (pid == (long)getpid())
        return 1;
    return kill((pid_t)pid, 0) == 0 || errno == EPERM;
}

/* Fills row from a statement positioned on a ROW_SELECT row. */
static void
row_read(sqlite3_stmt *st, struct outbox_row *r)
{
    memset(r, 0, sizeof *r);
    r->id = (long)sqlite3_column_int64(st, 0);
    r->draft_id = (long)sqlite3_column_int64(st, 1);
    r->thread_id = (long)sqlite3_column_int64(st, 2);
    r->account = db_column_strdup(st, 3);
    r->platform = db_column_strdup(st, 4);
    r->root = db_column_strdup(st, 5);
    r->in_reply_to = db_column_strdup(st, 6);
    r->parent_author = db_column_strdup(st, 7);
    r->parent_meta = db_column_strdup(st, 8);
    r->body = db_column_strdup(st, 9);
    r->idempotency_key = db_column_strdup(st, 10);
    r->state = db_column_strdup(st, 11);
    r->attempts = sqlite3_column_int(st, 12);
    r->last_error = db_column_strdup(st, 13);
    r->remote_id = db_column_strdup(st, 14);
    r->remote_url = db_column_strdup(st, 15);
    r->created_at = db_column_strdup(st, 16);
    r->sent_at = db_column_strdup(st, 17);
    r->officer = db_column_strdup(st, 18);
    r->claimed_at = db_column_strdup(st, 19);
    r->claimed_by = db_column_strdup(st, 20);
    if (strcmp(r->state, "sending") == 0) {
        time_t at, now = time(NULL);
        int stale = r->claimed_at == NULL || isotime_parse(r->claimed_at, &at) != 0 ||
                    now - at > OUTBOX_CLAIM_STALE_S;
        r->in_doubt = stale || !outbox_claimer_alive(r->claimed_by);
    }
}

int
outbox_list(struct db *db, enum outbox_filter filter, struct outbox_row **rows, size_t *n,
            char **err)
{
    *rows = NULL;
    *n = 0;
    sqlite3_stmt *st = db_prepare(db, ROW_SELECT " WHERE ?1 = 0 OR o.state IN ('queued',"
                                      " 'sending') ORDER BY o.id", err);
    if (st == NULL)
        return -1;
    sqlite3_bind_int(st, 1, filter == OUTBOX_PENDING);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            *rows = xreallocarray(*rows, cap, sizeof **rows);
        }
        row_read(st, &(*rows)[(*n)++]);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        *err = db_error(db, "cannot read the outbox");
        outbox_rows_free(*rows, *n);
        *rows = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}

int
outbox_get(struct db *db, long id, struct outbox_row *row, char **err)
{
    sqlite3_stmt *st = db_prepare(db, ROW_SELECT " WHERE o.id = ?1", err);
    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        row_read(st, row);
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW)
        return 0;
    if (rc == SQLITE_DONE)
        return 1;
    *err = db_error(db, "cannot read the outbox");
    return -1;
}

void
outbox_row_clear(struct outbox_row *r)
{
    char **s[] = {&r->account, &r->platform, &r->root, &r->in_reply_to, &r->parent_author,
                  &r->parent_meta, &r->body, &r->idempotency_key, &r->state, &r->last_error,
                  &r->remote_id, &r->remote_url, &r->created_at, &r->sent_at, &r->officer,
                  &r->claimed_at, &r->claimed_by};
    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
        free(*s[i]);
    memset(r, 0, sizeof *r);
}

void
outbox_rows_free(struct outbox_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++)
        outbox_row_clear(&rows[i]);
    free(rows);
}

int
outbox_claim(struct db *db, long id, char **err)
{
    if (db_begin(db, err) != 0)
        return -1;
    struct outbox_row row;
    int rc = outbox_get(db, id, &row, err);
    if (rc != 0) {
        db_rollback(db);
        if (rc == 1)
            *err = xasprintf("no outbox entry %ld", id);
        return -1;
    }
    int claimable = strcmp(row.state, "queued") == 0 ||
                    (strcmp(row.state, "sending") == 0 && row.in_doubt);
    outbox_row_clear(&row);
    if (!claimable) {
        db_rollback(db);
        return 1;
    }
    char now[ISOTIME_LEN];
    isotime_now(now);
    char *me = outbox_claimer();
    sqlite3_stmt *st = db_prepare(db, "UPDATE outbox SET state = 'sending', attempts = attempts"
                                      " + 1, claimed_at = ?2, claimed_by = ?3 WHERE id = ?1",
                                  err);
    if (st == NULL) {
        free(me);
        db_rollback(db);
        return -1;
    }
    sqlite3_bind_int64(st, 1, id);
    db_bind_text(st, 2, now);
    db_bind_text(st, 3, me);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    free(me);
    if (rc != SQLITE_DONE) {
        *err = db_error(db, "cannot claim the reply for sending");
        db_rollback(db);
        return -1;
    }
    return db_commit(db, err);
}

/* Runs an UPDATE with the row id as ?1 and up to three text values; returns 0 or -1. */
static int
update_row(struct db *db, const char *sql, long id, const char *a, const char *b, const char *c,
           char **err)
{
    sqlite3_stmt *st = db_prepare(db, sql, err);
    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    db_bind_text(st, 2, a);
    db_bind_text(st, 3, b);
    db_bind_text(st, 4, c);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        *err = db_error(db, "cannot update the outbox");
        return -1;
    }
    return 0;
}

int
outbox_mark_sent(struct db *db, long id, const char *officer, const char *remote_id,
                 const char *remote_url, char **err)
{
    struct outbox_row row;
    int rc = outbox_get(db, id, &row, err);
    if (rc != 0) {
        if (rc == 1)
            *err = xasprintf("no outbox entry %ld", id);
        return -1;
    }
    char now[ISOTIME_LEN];
    isotime_now(now);
    rc = update_row(db, "UPDATE outbox SET state = 'sent', remote_id = ?2, remote_url = ?3,"
                        " sent_at = ?4, last_error = NULL WHERE id = ?1",
                    id, remote_id, remote_url, now, err);
    char *old_state = NULL;
    if (rc == 0) {
        sqlite3_stmt *st = db_prepare(db, "SELECT state FROM threads WHERE id = ?1", err);
        rc = st ? 0 : -1;
        if (st) {
            sqlite3_bind_int64(st, 1, row.thread_id);
            if (sqlite3_step(st) == SQLITE_ROW)
                old_state = db_column_strdup(st, 0);
            sqlite3_finalize(st);
        }
    }
    if (rc == 0) {
        sqlite3_stmt *st = db_prepare(db, "UPDATE threads SET state = 'replied' WHERE id = ?1",
                                      err);
        rc = st ? 0 : -1;
        if (st) {
            sqlite3_bind_int64(st, 1, row.thread_id);
            if (sqlite3_step(st) != SQLITE_DONE) {
                *err = db_error(db, "cannot mark the thread replied");
                rc = -1;
            }
            sqlite3_finalize(st);
        }
    }
    if (rc == 0) {
        json_t *d = json_pack("{s:I, s:s?, s:s?, s:s?, s:s?, s:s}", "outbox", (json_int_t)id,
                              "in_reply_to", row.in_reply_to, "remote_id", remote_id, "url",
                              remote_url, "queued_by", row.officer, "from",
                              old_state ? old_state : "new");
        char *details = json_dumps(d, JSON_COMPACT);
        json_decref(d);
        rc = audit_append(db, officer, "reply_sent", row.thread_id, details, NULL, err);
        free(details);
    }
    free(old_state);
    outbox_row_clear(&row);
    return rc;
}

int
outbox_mark_failed(struct db *db, long id, const char *reason, char **err)
{
    int own = sqlite3_get_autocommit(db->sql);
    if (own && db_begin(db, err) != 0)
        return -1;
    char *msg = xstrndup(reason ? reason : "unknown error", OUTBOX_MAX_ERROR);
    int rc = update_row(db, "UPDATE outbox SET state = 'queued', last_error = ?2"
                            " WHERE id = ?1 AND state IN ('queued', 'sending')",
                        id, msg, NULL, NULL, err);
    free(msg);
    if (rc != 0) {
        if (own)
            db_rollback(db);
        return -1;
    }
    return own ? db_commit(db, err) : 0;
}

int
outbox_note_error(struct db *db, long id, const char *reason, char **err)
{
    char *msg = xstrndup(reason ? reason : "unknown error", OUTBOX_MAX_ERROR);
    int rc = update_row(db, "UPDATE outbox SET last_error = ?2 WHERE id = ?1"
                            " AND state = 'queued'", id, msg, NULL, NULL, err);
    free(msg);
    return rc;
}

int
outbox_hold(struct db *db, long id, const char *officer, const char *reason, char **err)
{
    int own = sqlite3_get_autocommit(db->sql);
    if (own && db_begin(db, err) != 0)
        return -1;
    struct outbox_row row;
    int rc = outbox_get(db, id, &row, err);
    if (rc == 1)
        *err = xasprintf("no outbox entry %ld", id);
    if (rc != 0)
        goto fail;
    char *msg = xstrndup(reason ? reason : "unknown error", OUTBOX_MAX_ERROR);
    rc = update_row(db, "UPDATE outbox SET state = 'failed', last_error = ?2"
                        " WHERE id = ?1 AND state IN ('queued', 'sending')",
                    id, msg, NULL, NULL, err);
    if (rc == 0) {
        json_t *d = json_pack("{s:I, s:s}", "outbox", (json_int_t)id, "reason", msg);
        char *details = json_dumps(d, JSON_COMPACT);
        json_decref(d);
        rc = audit_append(db, officer, "reply_held", row.thread_id, details, NULL, err);
        free(details);
    }
    free(msg);
    outbox_row_clear(&row);
    if (rc != 0)
        goto fail;
    return own ? db_commit(db, err) : 0;
fail:
    if (own)
        db_rollback(db);
    return -1;
}
