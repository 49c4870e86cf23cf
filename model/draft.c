/* Drafts: storing, reading and listing them, and the simple transitions (return, discard) and
 * the warning about others at work on a thread. Submitting and approving are in
 * model/draft_submit.c. */
#include "model/draft.h"

#include "model/cw.h"

#include "model/audit.h"
#include "model/draft_impl.h"
#include "model/isotime.h"
#include "model/upstream.h"
#include "model/xmalloc.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const draft_states[] = {"editing", "pending_approval", "returned",
                                           "approved", "queued", "sent", "discarded", NULL};

/* Whether state is one of the draft states. */
bool
draft_state_valid(const char *state)
{
    for (size_t i = 0; state && draft_states[i]; i++)
        if (strcmp(draft_states[i], state) == 0)
            return true;
    return false;
}

const char *
draft_placeholder_left(const char *body)
{
    static const char *const names[] = {"{author}", "{topic}", "{link}", "{signature}"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strstr(body, names[i]))
            return names[i];
    return NULL;
}

const char *
draft_placeholder_first(const char *body)
{
    static const char *const names[] = {"{author}", "{topic}", "{link}", "{signature}"};
    const char *first = NULL;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *at = strstr(body, names[i]);
        if (at && (first == NULL || at < first))
            first = at;
    }
    return first;
}

const char *
draft_signature_missing(const char *body, const char *signature)
{
    if (signature == NULL || *signature == '\0' || strstr(body, signature))
        return NULL;
    return signature;
}

char *
draft_signed(const char *body, const char *signature)
{
    const char *sig = draft_signature_missing(body, signature);
    if (sig == NULL)
        return xstrdup(body);
    size_t n = strlen(body);
    int space = n > 0 && body[n - 1] != ' ' && body[n - 1] != '\n';
    return xasprintf("%s%s%s", body, space ? " " : "", sig);
}

/* Checks a body: 0 to DRAFT_MAX_BODY bytes. */
static int
body_valid(const char *body, char **err)
{
    if (strlen(body) > DRAFT_MAX_BODY) {
        *err = xasprintf("the draft is longer than %d bytes", DRAFT_MAX_BODY);
        return -1;
    }
    return 0;
}

/* Audits a draft action with details {"draft": id, key: value}. */
int
draft_audit(struct db *db, const char *officer, const char *action, long thread, long id,
            const char *key, const char *value, char **err)
{
    json_t *o = json_object();
    json_object_set_new(o, "draft", json_integer(id));
    if (key && value)
        json_object_set_new(o, key, json_string(value));
    char *details = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    int rc = audit_append(db, officer, action, thread, details, NULL, err);
    free(details);
    return rc;
}

/* Creates an editing draft and audits it. */
int
draft_create(struct db *db, const char *officer, long thread, const char *in_reply_to,
             const char *pattern, const char *body, long *id, char **err)
{
    if (body_valid(body, err) != 0)
        return -1;
    char now[ISOTIME_LEN];
    isotime_now(now);
    if (db_begin(db, err) != 0)
        return -1;
    sqlite3_stmt *st = db_prepare(db, "SELECT (SELECT count(*) FROM threads WHERE id = ?1),"
                                      " (SELECT count(*) FROM posts WHERE thread_id = ?1"
                                      "  AND remote_id = ?2)", err);
    if (st == NULL)
        goto fail;
    sqlite3_bind_int64(st, 1, thread);
    db_bind_text(st, 2, in_reply_to);
    int ok = sqlite3_step(st) == SQLITE_ROW;
    int has_thread = ok && sqlite3_column_int(st, 0) > 0;
    int has_post = ok && sqlite3_column_int(st, 1) > 0;
    sqlite3_finalize(st);
    if (!has_thread || (in_reply_to && !has_post)) {
        *err = !has_thread ? xasprintf("no thread %ld", thread)
                           : xasprintf("thread %ld has no post %s", thread, in_reply_to);
        goto fail;
    }
    char *why = NULL;
    int refused = upstream_reply_refused(db, thread, in_reply_to, &why, err);
    if (refused != 0) {
        if (refused > 0)
            *err = why;
        goto fail;
    }
    /* The reply starts with the content warning of the post it answers (model/cw.h). */
    char *cw = NULL;
    if (cw_of_post(db, thread, in_reply_to, &cw, err) != 0)
        goto fail;
    char *carried = cw_carry(cw, body);
    free(cw);
    if (carried && body_valid(carried, err) != 0) {
        free(carried);
        goto fail;
    }
    st = db_prepare(db, "INSERT INTO drafts (thread_id, in_reply_to, pattern, body, officer,"
                        " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?6)", err);
    if (st == NULL) {
        free(carried);
        goto fail;
    }
    sqlite3_bind_int64(st, 1, thread);
    db_bind_text(st, 2, in_reply_to);
    db_bind_text(st, 3, pattern);
    db_bind_text(st, 4, carried ? carried : body);
    db_bind_text(st, 5, officer);
    db_bind_text(st, 6, now);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    free(carried);
    if (rc != SQLITE_DONE) {
        *err = db_error(db, "cannot save the draft");
        goto fail;
    }
    *id = (long)sqlite3_last_insert_rowid(db->sql);
    if (draft_audit(db, officer, "draft.create", thread, *id, "pattern", pattern, err) != 0)
        goto fail;
    return db_commit(db, err);
fail:
    db_rollback(db);
    return -1;
}

/* Runs an UPDATE of one draft with body/state and checks that it changed a row. */
static int
update_draft(struct db *db, const char *sql, long id, const char *a, const char *b, char **err)
{
    char now[ISOTIME_LEN];
    isotime_now(now);
    sqlite3_stmt *st = db_prepare(db, sql, err);
    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    db_bind_text(st, 2, now);
    db_bind_text(st, 3, a);
    db_bind_text(st, 4, b);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        *err = db_error(db, "cannot update the draft");
        return -1;
    }
    return sqlite3_changes(db->sql) == 1 ? 0 : 1;
}

/* Autosaves a body. */
int
draft_save(struct db *db, const char *officer, long id, const char *body, char **err)
{
    if (body_valid(body, err) != 0)
        return -1;
    int rc = update_draft(db, "UPDATE drafts SET body = ?3, updated_at = ?2 WHERE id = ?1"
                              " AND officer = ?4 AND state IN ('editing', 'returned')",
                          id, body, officer, err);
    if (rc == 1)
        *err = xasprintf("draft %ld cannot be edited: it is not yours, or it was submitted", id);
    return rc == 0 ? 0 : -1;
}

/* Fills d from a row of SELECT_DRAFT. */
static void
read_row(sqlite3_stmt *st, struct draft *d)
{
    d->id = (long)sqlite3_column_int64(st, 0);
    d->thread = (long)sqlite3_column_int64(st, 1);
    d->in_reply_to = db_column_strdup(st, 2);
    d->pattern = db_column_strdup(st, 3);
    d->body = db_column_strdup(st, 4);
    d->state = db_column_strdup(st, 5);
    d->officer = db_column_strdup(st, 6);
    d->created_at = db_column_strdup(st, 7);
    d->updated_at = db_column_strdup(st, 8);
    d->reviewer = db_column_strdup(st, 9);
    d->review_comment = db_column_strdup(st, 10);
}

#define SELECT_DRAFT                                                                           \
    "SELECT id, thread_id, in_reply_to, pattern, body, state, officer, created_at,"          \
    " updated_at, reviewer, review_comment FROM drafts "

/* Reads one draft. */
int
draft_get(struct db *db, long id, struct draft *out, char **err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = db_prepare(db, SELECT_DRAFT "WHERE id = ?", err);
    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_row(st, out);
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW)
        return 0;
    if (rc == SQLITE_DONE)
        return 1;
    *err = db_error(db, "cannot read the draft");
    return -1;
}

/* Reads drafts of a thread and state, newest first. */
int
draft_list(struct db *db, long thread, const char *state, struct draft **out, size_t *n,
           char **err)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = db_prepare(db, SELECT_DRAFT "WHERE (?1 = 0 OR thread_id = ?1) AND"
                                      " (CASE WHEN ?2 IS NULL THEN state NOT IN ('discarded',"
                                      " 'sent') ELSE state = ?2 END) ORDER BY id DESC", err);
    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, thread);
    db_bind_text(st, 2, state);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            *out = xreallocarray(*out, cap, sizeof **out);
        }
        read_row(st, &(*out)[(*n)++]);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        draft_list_free(*out, *n);
        *out = NULL;
        *n = 0;
        *err = db_error(db, "cannot list drafts");
        return -1;
    }
    return 0;
}

/* Frees what one draft owns. */
void
draft_clear(struct draft *d)
{
    free(d->in_reply_to);
    free(d->pattern);
    free(d->body);
    free(d->state);
    free(d->officer);
    free(d->created_at);
    free(d->updated_at);
    free(d->reviewer);
    free(d->review_comment);
    memset(d, 0, sizeof *d);
}

/* Frees a list of drafts. */
void
draft_list_free(struct draft *d, size_t n)
{
    for (size_t i = 0; i < n; i++)
        draft_clear(&d[i]);
    free(d);
}

/* Returns a pending draft with a comment. */
int
draft_return(struct db *db, const char *reviewer, long id, const char *comment, char **err)
{
    size_t len = comment ? strlen(comment) : 0;
    if (len == 0 || len > DRAFT_MAX_COMMENT) {
        *err = xasprintf("a return needs a comment of 1 to %d bytes", DRAFT_MAX_COMMENT);
        return -1;
    }
    struct draft d;
    int got = draft_get(db, id, &d, err);
    if (got != 0) {
        if (got == 1)
            *err = xasprintf("no draft %ld", id);
        return -1;
    }
    int rc = -1;
    if (strcmp(d.state, "pending_approval") != 0)
        *err = xasprintf("draft %ld is %s, not waiting for approval", id, d.state);
    else if (strcmp(d.officer, reviewer) == 0)
        *err = xasprintf("you cannot return your own draft %ld; discard it or ask another "
                         "officer to review it", id);
    else if (db_begin(db, err) == 0) {
        rc = update_draft(db, "UPDATE drafts SET state = 'returned', updated_at = ?2,"
                              " reviewer = ?3, review_comment = ?4 WHERE id = ?1"
                              " AND state = 'pending_approval'", id, reviewer, comment, err);
        if (rc == 1)
            *err = xasprintf("draft %ld changed meanwhile", id);
        if (rc == 0)
            rc = draft_audit(db, reviewer, "draft.return", d.thread, id, "comment", comment,
                             err);
        rc = rc == 0 ? db_commit(db, err) : (db_rollback(db), -1);
    }
    draft_clear(&d);
    return rc;
}

/* Discards a draft not yet queued. */
int
draft_discard(struct db *db, const char *officer, long id, char **err)
{
    struct draft d;
    int got = draft_get(db, id, &d, err);
    if (got != 0) {
        if (got == 1)
            *err = xasprintf("no draft %ld", id);
        return -1;
    }
    int rc = -1;
    if (strcmp(d.state, "queued") == 0 || strcmp(d.state, "sent") == 0 ||
        strcmp(d.state, "discarded") == 0)
        *err = xasprintf("draft %ld is %s already and cannot be discarded", id, d.state);
    else if (db_begin(db, err) == 0) {
        rc = update_draft(db, "UPDATE drafts SET state = 'discarded', updated_at = ?2"
                              " WHERE id = ?1 AND state = ?3", id, d.state, NULL, err);
        if (rc == 1)
            *err = xasprintf("draft %ld changed meanwhile", id);
        if (rc == 0)
            rc = draft_audit(db, officer, "draft.discard", d.thread, id, "was", d.state, err);
        rc = rc == 0 ? db_commit(db, err) : (db_rollback(db), -1);
    }
    draft_clear(&d);
    return rc;
}

/* Whether another officer is at work on thread, or we replied there recently. */
int
draft_busy(struct db *db, const char *officer, long thread, char **why, char **err)
{
    char since[ISOTIME_LEN];
    isotime_format(time(NULL) - 24 * 3600, since);
    sqlite3_stmt *st = db_prepare(
        db,
        "SELECT officer, 'a draft (' || state || ')' FROM drafts WHERE thread_id = ?1"
        " AND officer <> ?2 AND state IN ('editing', 'pending_approval', 'returned',"
        " 'approved') UNION ALL"
        " SELECT coalesce(officer, 'someone'), 'a reply ' || state FROM outbox"
        " WHERE thread_id = ?1 AND created_at >= ?3 AND state <> 'failed'"
        " UNION ALL SELECT 'the office', 'a reply posted' FROM posts WHERE thread_id = ?1"
        " AND own = 1 AND created_at >= ?3 LIMIT 1", err);
    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, thread);
    db_bind_text(st, 2, officer);
    db_bind_text(st, 3, since);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *why = xasprintf("%s has %s on thread %ld", (const char *)sqlite3_column_text(st, 0),
                         (const char *)sqlite3_column_text(st, 1), thread);
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    *err = db_error(db, "cannot read the thread's drafts");
    return -1;
}
