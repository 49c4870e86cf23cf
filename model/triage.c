/* Triage changes, each audited in the same transaction as the change itself. */
#include "model/triage.h"

#include "model/audit.h"
#include "model/isotime.h"
#include "model/query.h"
#include "model/text.h"
#include "model/xmalloc.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* Returns nonzero when s holds a control, format or separator character, or broken UTF-8. */
static int
has_control(const char *s)
{
    return !text_is_plain(s);
}

int
triage_tag_valid(const char *tag, char **err)
{
    size_t n = strlen(tag);
    if (n == 0 || n > TRIAGE_MAX_TAG || has_control(tag) || strpbrk(tag, " ,\t")) {
        *err = xasprintf("'%.80s' is not a usable tag: use 1 to %d characters without spaces "
                         "or commas", tag, TRIAGE_MAX_TAG);
        return -1;
    }
    return 0;
}

/* Starts the transaction and reads one column of the thread, so the caller knows the old
 * value and that the thread exists. *old is newly allocated or NULL for SQL NULL. */
static int
begin_on(struct db *db, long thread, const char *column, char **old, char **err)
{
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT %s FROM threads WHERE id = ?1", column);
    if (db_begin(db, err) != 0)
        return -1;
    sqlite3_stmt *st = db_prepare(db, sql, err);
    if (st == NULL)
        goto fail;
    sqlite3_bind_int64(st, 1, thread);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *old = db_column_strdup(st, 0);
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW)
        return 0;
    *err = rc == SQLITE_DONE ? xasprintf("no thread %ld; `tactful list` shows the threads", thread)
                             : db_error(db, "cannot read the thread");
fail:
    db_rollback(db);
    return -1;
}

/* Runs an UPDATE of one thread column with one text (or NULL) value. */
static int
update_column(struct db *db, long thread, const char *column, const char *value, char **err)
{
    char sql[96];
    snprintf(sql, sizeof sql, "UPDATE threads SET %s = ?2 WHERE id = ?1", column);
    sqlite3_stmt *st = db_prepare(db, sql, err);
    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, thread);
    db_bind_text(st, 2, value);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        *err = db_error(db, "cannot update the thread");
        return -1;
    }
    return 0;
}

/* Writes the audit entry (details: from/to) and commits; rolls back on failure. */
static int
audit_commit(struct db *db, const char *officer, const char *action, long thread,
             json_t *details, char **err)
{
    char *json = json_dumps(details, JSON_COMPACT);
    json_decref(details);
    int rc = audit_append(db, officer, action, thread, json, err);
    free(json);
    if (rc != 0) {
        db_rollback(db);
        return -1;
    }
    return db_commit(db, err);
}

/* Returns a JSON string, or null for NULL. */
static json_t *
json_str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

/* The shared shape of a one-column change: validate, compare, update, audit. */
static int
change_column(struct db *db, const char *officer, long thread, const char *column,
              const char *action, const char *value, char **err)
{
    char *old = NULL;
    if (begin_on(db, thread, column, &old, err) != 0)
        return -1;
    if ((old == NULL && value == NULL) || (old && value && strcmp(old, value) == 0)) {
        free(old);
        db_rollback(db);
        return 1;
    }
    if (update_column(db, thread, column, value, err) != 0) {
        free(old);
        db_rollback(db);
        return -1;
    }
    json_t *d = json_pack("{s:o, s:o}", "from", json_str_or_null(old), "to",
                          json_str_or_null(value));
    free(old);
    return audit_commit(db, officer, action, thread, d, err);
}

int
triage_set_state(struct db *db, const char *officer, long thread, const char *state,
                 char **err)
{
    if (!query_state_valid(state)) {
        *err = xasprintf("unknown state '%.40s'; states are new, to_reply, waiting, replied, "
                         "no_action, escalated and closed", state);
        return -1;
    }
    return change_column(db, officer, thread, "state", "mark", state, err);
}

int
triage_name_valid(const char *name, char **err)
{
    if (*name == '\0' || strlen(name) > TRIAGE_MAX_NAME || has_control(name)) {
        *err = xasprintf("an officer name is 1 to %d bytes of text with no control or "
                         "invisible characters", TRIAGE_MAX_NAME);
        return -1;
    }
    return 0;
}

int
triage_assign(struct db *db, const char *officer, long thread, const char *assignee,
              char **err)
{
    if (assignee && triage_name_valid(assignee, err) != 0)
        return -1;
    return change_column(db, officer, thread, "assignee", "assign", assignee, err);
}

int
triage_set_priority(struct db *db, const char *officer, long thread, int priority, char **err)
{
    if (priority < 0 || priority > 3) {
        *err = xstrdup("priority is 0 (none), 1 (low), 2 (high) or 3 (urgent)");
        return -1;
    }
    char value[4];
    snprintf(value, sizeof value, "%d", priority);
    return change_column(db, officer, thread, "priority", "priority", value, err);
}

int
triage_snooze(struct db *db, const char *officer, long thread, const char *until, char **err)
{
    char norm[ISOTIME_LEN];
    if (until && isotime_normalize(until, norm) != 0) {
        *err = xasprintf("'%.40s' is not a time such as 2026-11-30T09:00:00Z", until);
        return -1;
    }
    return change_column(db, officer, thread, "snoozed_until", "snooze", until ? norm : NULL,
                         err);
}

/* Runs one tag insert or delete; returns the number of rows changed or -1. */
static int
tag_write(struct db *db, const char *sql, long thread, const char *tag, char **err)
{
    sqlite3_stmt *st = db_prepare(db, sql, err);
    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, thread);
    db_bind_text(st, 2, tag);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        *err = db_error(db, "cannot change tags");
        return -1;
    }
    return sqlite3_changes(db->sql);
}

int
triage_tag(struct db *db, const char *officer, long thread, const char *const *add,
           size_t nadd, const char *const *del, size_t ndel, char **err)
{
    for (size_t i = 0; i < nadd; i++)
        if (triage_tag_valid(add[i], err) != 0)
            return -1;
    for (size_t i = 0; i < ndel; i++)
        if (triage_tag_valid(del[i], err) != 0)
            return -1;
    char *unused = NULL;
    if (begin_on(db, thread, "id", &unused, err) != 0)
        return -1;
    free(unused);
    json_t *added = json_array(), *removed = json_array();
    for (size_t i = 0; i < nadd; i++) {
        int n = tag_write(db, "INSERT OR IGNORE INTO thread_tags (thread_id, tag) VALUES (?1, ?2)",
                          thread, add[i], err);
        if (n < 0)
            goto fail;
        if (n > 0)
            json_array_append_new(added, json_string(add[i]));
    }
    for (size_t i = 0; i < ndel; i++) {
        int n = tag_write(db, "DELETE FROM thread_tags WHERE thread_id = ?1 AND tag = ?2", thread,
                          del[i], err);
        if (n < 0)
            goto fail;
        if (n > 0)
            json_array_append_new(removed, json_string(del[i]));
    }
    if (json_array_size(added) == 0 && json_array_size(removed) == 0) {
        json_decref(added);
        json_decref(removed);
        db_rollback(db);
        return 1;
    }
    return audit_commit(db, officer, "tag", thread,
                        json_pack("{s:o, s:o}", "added", added, "removed", removed), err);
fail:
    json_decref(added);
    json_decref(removed);
    db_rollback(db);
    return -1;
}

int
triage_note(struct db *db, const char *officer, long thread, const char *text, char **err)
{
    size_t n = strlen(text);
    if (n == 0 || n > TRIAGE_MAX_NOTE) {
        *err = xasprintf("a note is 1 to %d bytes of text", TRIAGE_MAX_NOTE);
        return -1;
    }
    char *unused = NULL;
    if (begin_on(db, thread, "id", &unused, err) != 0)
        return -1;
    free(unused);
    char now[ISOTIME_LEN];
    isotime_now(now);
    sqlite3_stmt *st = db_prepare(db, "INSERT INTO notes (thread_id, officer, created_at, body)"
                                      " VALUES (?1, ?2, ?3, ?4)", err);
    if (st == NULL) {
        db_rollback(db);
        return -1;
    }
    sqlite3_bind_int64(st, 1, thread);
    db_bind_text(st, 2, officer);
    db_bind_text(st, 3, now);
    db_bind_text(st, 4, text);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        *err = db_error(db, "cannot save the note");
        db_rollback(db);
        return -1;
    }
    return audit_commit(db, officer, "note", thread, json_pack("{s:s}", "text", text), err);
}
