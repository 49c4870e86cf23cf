/* Appending to and reading the audit log. */
#include "model/audit.h"

#include "model/isotime.h"
#include "model/xmalloc.h"

#include <stdlib.h>
#include <string.h>

int
audit_append(struct db *db, const char *officer, const char *action, long thread,
             const char *details_json, long *id, char **err)
{
    char now[ISOTIME_LEN];
    isotime_now(now);
    sqlite3_stmt *st = db_prepare(db, "INSERT INTO audit (at, officer, action, thread_id, details)"
                                      " VALUES (?1, ?2, ?3, ?4, json(?5))", err);
    if (st == NULL)
        return -1;
    db_bind_text(st, 1, now);
    db_bind_text(st, 2, officer);
    db_bind_text(st, 3, action);
    if (thread > 0)
        sqlite3_bind_int64(st, 4, thread);
    db_bind_text(st, 5, details_json ? details_json : "{}");
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        *err = db_error(db, "cannot write the audit log");
        return -1;
    }
    /* Right after the insert, on the same connection: this entry's id. */
    if (id)
        *id = (long)sqlite3_last_insert_rowid(db->sql);
    return 0;
}

/* Steps st to its end, collecting its rows (id, at, officer, action, thread_id, details) into
 * *out; finalizes st. Returns 0 or -1 with *err set. */
static int
read_entries(struct db *db, sqlite3_stmt *st, struct audit_entry **out, size_t *n, char **err)
{
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 32;
            *out = xreallocarray(*out, cap, sizeof **out);
        }
        struct audit_entry *e = &(*out)[(*n)++];
        e->id = (long)sqlite3_column_int64(st, 0);
        e->at = db_column_strdup(st, 1);
        e->officer = db_column_strdup(st, 2);
        e->action = db_column_strdup(st, 3);
        e->thread = (long)sqlite3_column_int64(st, 4);
        e->details = db_column_strdup(st, 5);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        *err = db_error(db, "cannot read the audit log");
        audit_entries_free(*out, *n);
        *out = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}

int
audit_list(struct db *db, long thread, struct audit_entry **out, size_t *n, char **err)
{
    sqlite3_stmt *st = db_prepare(db, "SELECT id, at, officer, action, thread_id, details"
                                      " FROM audit WHERE ?1 = 0 OR thread_id = ?1 ORDER BY id",
                                  err);
    *out = NULL;
    *n = 0;
    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, thread);
    return read_entries(db, st, out, n, err);
}

int
audit_page(struct db *db, long thread, long offset, long limit, struct audit_entry **out,
           size_t *n, char **err)
{
    *out = NULL;
    *n = 0;
    if (limit <= 0)
        return 0;
    sqlite3_stmt *st = db_prepare(db, "SELECT id, at, officer, action, thread_id, details"
                                      " FROM audit WHERE ?1 = 0 OR thread_id = ?1"
                                      " ORDER BY id DESC LIMIT ?2 OFFSET ?3", err);
    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, thread);
    sqlite3_bind_int64(st, 2, limit);
    sqlite3_bind_int64(st, 3, offset > 0 ? offset : 0);
    return read_entries(db, st, out, n, err);
}

int
audit_count_newer(struct db *db, long thread, long newer_than, long *count, char **err)
{
    *count = 0;
    sqlite3_stmt *st = db_prepare(db, "SELECT count(*) FROM audit"
                                      " WHERE (?1 = 0 OR thread_id = ?1) AND id > ?2", err);
    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, thread);
    sqlite3_bind_int64(st, 2, newer_than);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *count = (long)sqlite3_column_int64(st, 0);
    else
        *err = db_error(db, "cannot count the audit log");
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : -1;
}

int
audit_get(struct db *db, long id, struct audit_entry *out, char **err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = db_prepare(db, "SELECT id, at, officer, action, thread_id, details"
                                      " FROM audit WHERE id = ?1", err);
    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->id = (long)sqlite3_column_int64(st, 0);
        out->at = db_column_strdup(st, 1);
        out->officer = db_column_strdup(st, 2);
        out->action = db_column_strdup(st, 3);
        out->thread = (long)sqlite3_column_int64(st, 4);
        out->details = db_column_strdup(st, 5);
    } else {
        *err = rc == SQLITE_DONE ? xasprintf("no audit entry %ld", id)
                                 : db_error(db, "cannot read the audit log");
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : -1;
}

void
audit_entry_clear(struct audit_entry *e)
{
    free(e->at);
    free(e->officer);
    free(e->action);
    free(e->details);
    memset(e, 0, sizeof *e);
}

void
audit_entries_free(struct audit_entry *e, size_t n)
{
    for (size_t i = 0; i < n; i++)
        audit_entry_clear(&e[i]);
    free(e);
}
