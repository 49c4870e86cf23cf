/* Insight marks: which post says what about a topic, kept in the insights table. */
#include "model/insight.h"

#include "model/audit.h"
#include "model/isotime.h"
#include "model/text.h"
#include "model/triage.h"
#include "model/xmalloc.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

const char *const insight_stances[INSIGHT_NSTANCES] = {"for", "against", "mixed", "question"};

int
insight_stance_index(const char *stance)
{
    for (int i = 0; stance && i < INSIGHT_NSTANCES; i++)
        if (strcmp(stance, insight_stances[i]) == 0)
            return i;
    return -1;
}

/* Checks what insight_add is given. Returns 0 or -1 with *err. */
static int
input_valid(const struct insight_in *in, char **err)
{
    if (triage_topic_valid(in->topic, err) != 0)
        return -1;
    if (in->stance && insight_stance_index(in->stance) < 0) {
        *err = xasprintf("the stance is for, against, mixed or question, not '%.40s'",
                         in->stance);
        return -1;
    }
    if (in->quote_text && (*in->quote_text == '\0' ||
                           strlen(in->quote_text) > INSIGHT_MAX_QUOTE)) {
        *err = xasprintf("an edited quote is 1 to %d bytes", INSIGHT_MAX_QUOTE);
        return -1;
    }
    if (in->override && (*in->override == '\0' || strlen(in->override) > INSIGHT_MAX_REASON ||
                         !text_is_plain(in->override))) {
        *err = xasprintf("an override's reason is 1 to %d bytes of plain text",
                         INSIGHT_MAX_REASON);
        return -1;
    }
    return 0;
}

/* Returns nonzero when the cache holds thread (0 also when it cannot be read: the caller
 * reports the lookup that failed). */
static int
thread_exists(struct db *db, long thread)
{
    char *err = NULL;
    sqlite3_stmt *st = db_prepare(db, "SELECT 1 FROM threads WHERE id = ?1", &err);
    if (st == NULL) {
        free(err);
        return 0;
    }
    sqlite3_bind_int64(st, 1, thread);
    int found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return found;
}

/* Finds the post a mark is on: remote id post of thread, or the thread's latest post that is
 * not the office's own. Returns its row id, or 0 with *err set. */
static sqlite3_int64
find_post(struct db *db, long thread, const char *post, char **err)
{
    sqlite3_stmt *st = db_prepare(
        db,
        post ? "SELECT id FROM posts WHERE thread_id = ?1 AND remote_id = ?2"
             : "SELECT id FROM posts WHERE thread_id = ?1 AND NOT own"
               " ORDER BY created_at DESC, id DESC LIMIT 1",
        err);
    if (st == NULL)
        return 0;
    sqlite3_bind_int64(st, 1, thread);
    if (post)
        db_bind_text(st, 2, post);
    int rc = sqlite3_step(st);
    sqlite3_int64 id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW)
        return id;
    if (rc != SQLITE_DONE)
        *err = db_error(db, "cannot read the cache");
    else if (!thread_exists(db, thread))
        *err = xasprintf("there is no thread %ld (tactful list shows the threads)", thread);
    else if (post)
        *err = xasprintf("thread %ld has no post '%.80s' (tactful show %ld lists them)", thread,
                         post, thread);
    else
        *err = xasprintf("thread %ld has no post from the public to mark; name one of its "
                         "posts with --to (tactful show %ld --json lists them)", thread, thread);
    return 0;
}

/* Writes the audit entry for a mark or its removal inside the open transaction, then
 * commits. Returns 0 or -1 (rolled back) with *err. */
static int
audit_and_commit(struct db *db, const char *officer, const char *action, long thread,
                 json_t *details, char **err)
{
    char *d = json_dumps(details, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(details);
    int rc = audit_append(db, officer, action, thread, d, NULL, err);
    free(d);
    if (rc != 0 || db_commit(db, err) != 0) {
        db_rollback(db);
        return -1;
    }
    return 0;
}

int
insight_add(struct db *db, const char *officer, const struct insight_in *in, long *id,
            char **quote, char **err)
{
    if (input_valid(in, err) != 0)
        return -1;
    if (db_begin(db, err) != 0)
        return -1;
    sqlite3_int64 post = find_post(db, in->thread, in->post, err);
    if (post == 0) {
        db_rollback(db);
        return -1;
    }
    char now[ISOTIME_LEN];
    isotime_now(now);
    sqlite3_stmt *st = db_prepare(
        db,
        "INSERT INTO insights (post_id, topic, stance, quote, name_author, override, officer,"
        " marked_at) VALUES (?1, ?2, ?3, CASE WHEN ?4 IS NOT NULL THEN ?4 WHEN ?5 THEN"
        " (SELECT body FROM posts WHERE id = ?1) END, ?6, ?7, ?8, ?9)"
        " ON CONFLICT (post_id, topic) DO UPDATE SET stance = excluded.stance,"
        " quote = excluded.quote, name_author = excluded.name_author,"
        " override = excluded.override, officer = excluded.officer,"
        " marked_at = excluded.marked_at RETURNING id, quote",
        err);
    if (st == NULL) {
        db_rollback(db);
        return -1;
    }
    sqlite3_bind_int64(st, 1, post);
    db_bind_text(st, 2, in->topic);
    db_bind_text(st, 3, in->stance);
    db_bind_text(st, 4, in->quote_text);
    sqlite3_bind_int(st, 5, in->quote != 0);
    sqlite3_bind_int(st, 6, in->name_author != 0);
    db_bind_text(st, 7, in->override);
    db_bind_text(st, 8, officer);
    db_bind_text(st, 9, now);
    int rc = sqlite3_step(st);
    long got = rc == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
    char *words = rc == SQLITE_ROW ? db_column_strdup(st, 1) : NULL;
    if (rc == SQLITE_ROW)
        rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        free(words);
        *err = db_error(db, "cannot mark the post");
        db_rollback(db);
        return -1;
    }
    json_t *d = json_pack("{s:s, s:s?, s:s?, s:b, s:b, s:s?}", "topic", in->topic, "post",
                          in->post, "stance", in->stance, "quote",
                          in->quote || in->quote_text, "name_author", in->name_author != 0,
                          "override", in->override);
    if (audit_and_commit(db, officer, "insight", in->thread, d, err) != 0) {
        free(words);
        return -1;
    }
    if (id)
        *id = got;
    if (quote)
        *quote = words;
    else
        free(words);
    return 0;
}

int
insight_remove(struct db *db, const char *officer, long thread, const char *post,
               const char *topic, char **err)
{
    if (db_begin(db, err) != 0)
        return -1;
    sqlite3_int64 pid = find_post(db, thread, post, err);
    if (pid == 0) {
        db_rollback(db);
        return -1;
    }
    sqlite3_stmt *st = db_prepare(db, "DELETE FROM insights WHERE post_id = ?1 AND topic = ?2",
                                  err);
    if (st == NULL) {
        db_rollback(db);
        return -1;
    }
    sqlite3_bind_int64(st, 1, pid);
    db_bind_text(st, 2, topic);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        *err = db_error(db, "cannot remove the mark");
        db_rollback(db);
        return -1;
    }
    if (sqlite3_changes(db->sql) == 0) {
        db_rollback(db);
        return 1;
    }
    json_t *d = json_pack("{s:s, s:s?}", "topic", topic, "post", post);
    return audit_and_commit(db, officer, "insight-remove", thread, d, err);
}

int
insight_list(struct db *db, const char *topic, const char *since, const char *until,
             struct insight_list *out, char **err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = db_prepare(
        db,
        "SELECT i.id, p.thread_id, p.remote_id, ac.platform, ac.name, p.url, p.created_at,"
        " au.handle, i.topic, i.stance, i.quote, i.name_author, i.override, i.officer,"
        " i.marked_at"
        " FROM insights i JOIN posts p ON p.id = i.post_id"
        " JOIN accounts ac ON ac.id = p.account_id"
        " LEFT JOIN authors au ON au.id = p.author_id"
        " WHERE (?1 IS NULL OR i.topic = ?1) AND (?2 IS NULL OR p.created_at >= ?2)"
        " AND (?3 IS NULL OR p.created_at < ?3)"
        " ORDER BY p.created_at, i.id",
        err);
    if (st == NULL)
        return -1;
    db_bind_text(st, 1, topic);
    db_bind_text(st, 2, since);
    db_bind_text(st, 3, until);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->n == cap) {
            cap = cap ? cap * 2 : 16;
            out->rows = xreallocarray(out->rows, cap, sizeof *out->rows);
        }
        struct insight_row *r = &out->rows[out->n++];
        r->id = (long)sqlite3_column_int64(st, 0);
        r->thread = (long)sqlite3_column_int64(st, 1);
        r->post = db_column_strdup(st, 2);
        r->platform = db_column_strdup(st, 3);
        r->account = db_column_strdup(st, 4);
        r->url = db_column_strdup(st, 5);
        r->posted_at = db_column_strdup(st, 6);
        r->author = db_column_strdup(st, 7);
        r->topic = db_column_strdup(st, 8);
        r->stance = db_column_strdup(st, 9);
        r->quote = db_column_strdup(st, 10);
        r->name_author = sqlite3_column_int(st, 11);
        r->override = db_column_strdup(st, 12);
        r->officer = db_column_strdup(st, 13);
        r->marked_at = db_column_strdup(st, 14);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        *err = db_error(db, "cannot read the insight marks");
        insight_list_free(out);
        return -1;
    }
    return 0;
}

void
insight_list_free(struct insight_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        struct insight_row *r = &l->rows[i];
        free(r->post);
        free(r->platform);
        free(r->account);
        free(r->url);
        free(r->posted_at);
        free(r->author);
        free(r->topic);
        free(r->stance);
        free(r->quote);
        free(r->override);
        free(r->officer);
        free(r->marked_at);
    }
    free(l->rows);
    memset(l, 0, sizeof *l);
}

int
insight_topics(struct db *db, struct insight_topic **out, size_t *n, char **err)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = db_prepare(db,
                                  "SELECT i.topic, count(*), min(p.created_at), max(p.created_at)"
                                  " FROM insights i JOIN posts p ON p.id = i.post_id"
                                  " GROUP BY i.topic ORDER BY count(*) DESC, i.topic",
                                  err);
    if (st == NULL)
        return -1;
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            *out = xreallocarray(*out, cap, sizeof **out);
        }
        struct insight_topic *t = &(*out)[(*n)++];
        t->topic = db_column_strdup(st, 0);
        t->count = (long)sqlite3_column_int64(st, 1);
        t->first = db_column_strdup(st, 2);
        t->last = db_column_strdup(st, 3);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        *err = db_error(db, "cannot read the insight topics");
        insight_topics_free(*out, *n);
        *out = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}

void
insight_topics_free(struct insight_topic *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(t[i].topic);
        free(t[i].first);
        free(t[i].last);
    }
    free(t);
}
