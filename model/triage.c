/* Triage changes, each audited in the same transaction as the change itself. */
#include "model/triage.h"

#include "model/audit.h"
#include "model/isotime.h"
#include "model/text.h"
#include "model/triage_state.h"
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

/* Reads one column of the thread; *old is newly allocated or NULL for SQL NULL. Returns 0, or
 * -1 with *err set when the thread does not exist or the read fails. */
static int
read_column(struct db *db, long thread, const char *column, char **old, char **err)
{
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT %s FROM threads WHERE id = ?1", column);
    sqlite3_stmt *st = db_prepare(db, sql, err);
    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, thread);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *old = db_column_strdup(st, 0);
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW)
        return 0;
    *err = rc == SQLITE_DONE ? xasprintf("no thread %ld; `tactful list` shows the threads", thread)
                             : db_error(db, "cannot read the thread");
    return -1;
}

/* Starts the transaction and reads one column of the thread, so the caller knows the old
 * value and that the thread exists. *old is newly allocated or NULL for SQL NULL. */
static int
begin_on(struct db *db, long thread, const char *column, char **old, char **err)
{
    if (db_begin(db, err) != 0)
        return -1;
    if (read_column(db, thread, column, old, err) == 0)
        return 0;
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

/* Writes the audit entry (details: from/to), sets *entry (when not NULL) to its id and
 * commits; rolls back on failure. */
static int
audit_commit(struct db *db, const char *officer, const char *action, long thread,
             json_t *details, long *entry, char **err)
{
    char *json = json_dumps(details, JSON_COMPACT);
    json_decref(details);
    int rc = audit_append(db, officer, action, thread, json, entry, err);
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
              const char *action, const char *value, long *entry, char **err)
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
    return audit_commit(db, officer, action, thread, d, entry, err);
}

int
triage_set_state(struct db *db, const char *officer, long thread, const char *state,
                 long *entry, char **err)
{
    if (triage_state_index(state) < 0) {
        *err = triage_state_unknown(state);
        return -1;
    }
    return change_column(db, officer, thread, "state", "mark", state, entry, err);
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
              long *entry, char **err)
{
    if (assignee && triage_name_valid(assignee, err) != 0)
        return -1;
    return change_column(db, officer, thread, "assignee", "assign", assignee, entry, err);
}

int
triage_topic_valid(const char *topic, char **err)
{
    if (strspn(topic, " ") == strlen(topic) || strlen(topic) > TRIAGE_MAX_TOPIC ||
        has_control(topic)) {
        *err = xasprintf("a topic is 1 to %d bytes of text with no control or invisible "
                         "characters", TRIAGE_MAX_TOPIC);
        return -1;
    }
    return 0;
}

int
triage_set_topic(struct db *db, const char *officer, long thread, const char *topic,
                 long *entry, char **err)
{
    if (topic && triage_topic_valid(topic, err) != 0)
        return -1;
    return change_column(db, officer, thread, "topic", "topic", topic, entry, err);
}

int
triage_set_priority(struct db *db, const char *officer, long thread, int priority,
                    long *entry, char **err)
{
    if (priority < 0 || priority > 3) {
        *err = xstrdup("priority is 0 (none), 1 (low), 2 (high) or 3 (urgent)");
        return -1;
    }
    char value[4];
    snprintf(value, sizeof value, "%d", priority);
    return change_column(db, officer, thread, "priority", "priority", value, entry, err);
}

int
triage_snooze(struct db *db, const char *officer, long thread, const char *until,
              long *entry, char **err)
{
    char norm[ISOTIME_LEN];
    if (until && isotime_normalize(until, norm) != 0) {
        *err = xasprintf("'%.40s' is not a time such as 2026-11-30T09:00:00Z", until);
        return -1;
    }
    return change_column(db, officer, thread, "snoozed_until", "snooze", until ? norm : NULL,
                         entry, err);
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
           size_t nadd, const char *const *del, size_t ndel, long *entry, char **err)
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
                        json_pack("{s:o, s:o}", "added", added, "removed", removed), entry,
                        err);
fail:
    json_decref(added);
    json_decref(removed);
    db_rollback(db);
    return -1;
}

int
triage_note(struct db *db, const char *officer, long thread, const char *text, long *entry,
            char **err)
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
    return audit_commit(db, officer, "note", thread, json_pack("{s:s}", "text", text), entry,
                        err);
}

/* The thread column each single-value action changes, for undo. */
static const struct {
    const char *action;
    const char *column;
} undo_columns[] = {
    {"mark", "state"},
    {"assign", "assignee"},
    {"topic", "topic"},
    {"priority", "priority"},
    {"snooze", "snoozed_until"},
};

/* Returns a JSON member as a string, or NULL for null or a missing member. */
static const char *
json_member_str(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* Puts a one-column change back, when the thread still has the value the change set. */
static int
undo_column(struct db *db, const char *officer, const struct audit_entry *e, json_t *d,
            const char *column, char **err)
{
    const char *from = json_member_str(d, "from"), *to = json_member_str(d, "to");
    char *now = NULL;
    if (read_column(db, e->thread, column, &now, err) != 0)
        return -1;
    int same = (now == NULL && to == NULL) || (now && to && strcmp(now, to) == 0);
    if (!same) {
        *err = xasprintf("thread %ld has changed since (its %s is now %s); nothing was undone",
                         e->thread, e->action, now ? now : "unset");
        free(now);
        return -1;
    }
    free(now);
    if (update_column(db, e->thread, column, from, err) != 0)
        return -1;
    json_t *u = json_pack("{s:I, s:s, s:o, s:o}", "entry", (json_int_t)e->id, "action",
                          e->action, "from", json_str_or_null(to), "to", json_str_or_null(from));
    char *text = json_dumps(u, JSON_COMPACT);
    json_decref(u);
    int rc = audit_append(db, officer, "undo", e->thread, text, NULL, err);
    free(text);
    return rc;
}

/* Removes the tags a change added and restores those it removed. */
static int
undo_tags(struct db *db, const char *officer, const struct audit_entry *e, json_t *d,
          char **err)
{
    json_t *added = json_object_get(d, "added"), *removed = json_object_get(d, "removed");
    size_t i;
    json_t *v;
    json_array_foreach(added, i, v) {
        if (json_is_string(v) &&
            tag_write(db, "DELETE FROM thread_tags WHERE thread_id = ?1 AND tag = ?2",
                      e->thread, json_string_value(v), err) < 0)
            return -1;
    }
    json_array_foreach(removed, i, v) {
        if (json_is_string(v) &&
            tag_write(db, "INSERT OR IGNORE INTO thread_tags (thread_id, tag) VALUES (?1, ?2)",
                      e->thread, json_string_value(v), err) < 0)
            return -1;
    }
    json_t *u = json_pack("{s:I, s:s, s:o, s:o}", "entry", (json_int_t)e->id, "action",
                          e->action, "added", removed ? json_incref(removed) : json_array(),
                          "removed", added ? json_incref(added) : json_array());
    char *text = json_dumps(u, JSON_COMPACT);
    json_decref(u);
    int rc = audit_append(db, officer, "undo", e->thread, text, NULL, err);
    free(text);
    return rc;
}

/* Deletes the note a change added (the officer's latest note on the thread with that text). */
static int
undo_note(struct db *db, const char *officer, const struct audit_entry *e, json_t *d,
          char **err)
{
    const char *text = json_member_str(d, "text");
    sqlite3_stmt *st = db_prepare(db, "DELETE FROM notes WHERE id = (SELECT max(id) FROM notes"
                                      " WHERE thread_id = ?1 AND officer = ?2 AND body = ?3)",
                                  err);
    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, e->thread);
    db_bind_text(st, 2, e->officer);
    db_bind_text(st, 3, text ? text : "");
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        *err = db_error(db, "cannot remove the note");
        return -1;
    }
    if (sqlite3_changes(db->sql) == 0) {
        *err = xasprintf("the note on thread %ld is gone; nothing was undone", e->thread);
        return -1;
    }
    json_t *u = json_pack("{s:I, s:s, s:s}", "entry", (json_int_t)e->id, "action", e->action,
                          "text", text ? text : "");
    char *details = json_dumps(u, JSON_COMPACT);
    json_decref(u);
    rc = audit_append(db, officer, "undo", e->thread, details, NULL, err);
    free(details);
    return rc;
}

/* Undoes one entry inside the caller's transaction. */
static int
undo_entry(struct db *db, const char *officer, long id, char **err)
{
    struct audit_entry e;
    if (audit_get(db, id, &e, err) != 0)
        return -1;
    int rc = -1;
    json_t *d = json_loads(e.details ? e.details : "{}", 0, NULL);
    if (strcmp(e.officer, officer) != 0) {
        *err = xasprintf("audit entry %ld was made by %s, not by you; nothing was undone", id,
                         e.officer);
        goto out;
    }
    if (!json_is_object(d) || e.thread <= 0) {
        *err = xasprintf("audit entry %ld is not a triage change; nothing was undone", id);
        goto out;
    }
    for (size_t i = 0; i < sizeof undo_columns / sizeof undo_columns[0]; i++)
        if (strcmp(e.action, undo_columns[i].action) == 0) {
            rc = undo_column(db, officer, &e, d, undo_columns[i].column, err);
            goto out;
        }
    if (strcmp(e.action, "tag") == 0)
        rc = undo_tags(db, officer, &e, d, err);
    else if (strcmp(e.action, "note") == 0)
        rc = undo_note(db, officer, &e, d, err);
    else
        *err = xasprintf("audit entry %ld (%s) cannot be undone; nothing was undone", id,
                         e.action);
out:
    json_decref(d);
    audit_entry_clear(&e);
    return rc;
}

int
triage_undo(struct db *db, const char *officer, const long *entries, size_t n, char **err)
{
    if (db_begin(db, err) != 0)
        return -1;
    for (size_t i = n; i-- > 0;) {
        if (undo_entry(db, officer, entries[i], err) != 0) {
            db_rollback(db);
            return -1;
        }
    }
    return db_commit(db, err);
}
