/* Per-account sync state in the accounts table. */
#include "model/account.h"

#include "model/isotime.h"
#include "model/xmalloc.h"

#include <stdlib.h>
#include <string.h>

int
account_state_get(struct db *db, const char *name, struct account_state *st, char **err)
{
    memset(st, 0, sizeof *st);
    sqlite3_stmt *q = db_prepare(db, "SELECT platform, base_url, cursor, last_sync, last_error,"
                                     " limits, remote_user, last_attempt, coalesce(last_new, -1)"
                                     " FROM accounts WHERE name = ?1",
                                 err);
    if (q == NULL)
        return -1;
    db_bind_text(q, 1, name);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        st->platform = db_column_strdup(q, 0);
        st->base_url = db_column_strdup(q, 1);
        st->cursor = db_column_strdup(q, 2);
        st->last_sync = db_column_strdup(q, 3);
        st->last_error = db_column_strdup(q, 4);
        st->limits = db_column_strdup(q, 5);
        st->remote_user = db_column_strdup(q, 6);
        st->last_attempt = db_column_strdup(q, 7);
        st->last_new = (long)sqlite3_column_int64(q, 8);
    } else {
        st->last_new = -1;
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        *err = db_error(db, "cannot read the account from the cache");
        return -1;
    }
    return 0;
}

void
account_state_clear(struct account_state *st)
{
    free(st->platform);
    free(st->base_url);
    free(st->cursor);
    free(st->last_sync);
    free(st->last_error);
    free(st->limits);
    free(st->remote_user);
    free(st->last_attempt);
    memset(st, 0, sizeof *st);
    st->last_new = -1;
}

/* Creates the account row when missing and checks its platform. Returns 0 or -1. */
static int
ensure_row(struct db *db, const char *name, const char *platform, char **err)
{
    sqlite3_stmt *st = db_prepare(db, "INSERT INTO accounts (name, platform) VALUES (?1, ?2)"
                                      " ON CONFLICT (name) DO NOTHING",
                                  err);
    if (st == NULL)
        return -1;
    db_bind_text(st, 1, name);
    db_bind_text(st, 2, platform);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        *err = db_error(db, "cannot write the account to the cache");
        return -1;
    }
    st = db_prepare(db, "SELECT platform FROM accounts WHERE name = ?1", err);
    if (st == NULL)
        return -1;
    db_bind_text(st, 1, name);
    rc = sqlite3_step(st);
    int same = rc == SQLITE_ROW && strcmp((const char *)sqlite3_column_text(st, 0), platform) == 0;
    if (rc == SQLITE_ROW && !same)
        *err = xasprintf("account '%s' is a %s account in this cache, not %s; rename the "
                         "account in the configuration or use another --db",
                         name, (const char *)sqlite3_column_text(st, 0), platform);
    else if (rc != SQLITE_ROW)
        *err = db_error(db, "cannot read the account from the cache");
    sqlite3_finalize(st);
    return same ? 0 : -1;
}

int
account_sync_ok(struct db *db, const char *name, const char *platform, const char *base_url,
                const char *cursor, const char *limits, const char *remote_user, char **err)
{
    if (cursor && strlen(cursor) > ACCOUNT_MAX_CURSOR) {
        *err = xasprintf("the sync cursor of account '%s' is too long", name);
        return -1;
    }
    if (ensure_row(db, name, platform, err) != 0)
        return -1;
    char now[ISOTIME_LEN];
    isotime_now(now);
    sqlite3_stmt *st = db_prepare(db, "UPDATE accounts SET base_url = ?2,"
                                       " cursor = coalesce(?3, cursor), last_sync = ?4,"
                                      " last_attempt = ?4, last_new = NULL, last_error = NULL, limits = coalesce(json(?5), limits),"
                                      " remote_user = coalesce(?6, remote_user) WHERE name = ?1",
                                  err);
    if (st == NULL)
        return -1;
    db_bind_text(st, 1, name);
    db_bind_text(st, 2, base_url);
    db_bind_text(st, 3, cursor);
    db_bind_text(st, 4, now);
    db_bind_text(st, 5, limits);
    db_bind_text(st, 6, remote_user);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        *err = db_error(db, "cannot record the sync in the cache");
        return -1;
    }
    return 0;
}

int
account_sync_counted(struct db *db, const char *name, long new_threads, char **err)
{
    sqlite3_stmt *st = db_prepare(db, "UPDATE accounts SET last_new = ?2 WHERE name = ?1", err);
    if (st == NULL)
        return -1;
    db_bind_text(st, 1, name);
    sqlite3_bind_int64(st, 2, new_threads);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        *err = db_error(db, "cannot record the sync in the cache");
        return -1;
    }
    return 0;
}

int
account_sync_failed(struct db *db, const char *name, const char *platform, const char *base_url,
                    const char *reason, char **err)
{
    int own = sqlite3_get_autocommit(db->sql);
    if (own && db_begin(db, err) != 0)
        return -1;
    if (ensure_row(db, name, platform, err) != 0)
        goto fail;
    char *msg = xstrndup(reason ? reason : "unknown error", ACCOUNT_MAX_ERROR);
    char now[ISOTIME_LEN];
    isotime_now(now);
    sqlite3_stmt *st = db_prepare(db, "UPDATE accounts SET last_error = ?2, last_attempt = ?4,"
                                      " base_url = coalesce(base_url, ?3) WHERE name = ?1",
                                  err);
    if (st == NULL) {
        free(msg);
        goto fail;
    }
    db_bind_text(st, 1, name);
    db_bind_text(st, 2, msg);
    db_bind_text(st, 3, base_url);
    db_bind_text(st, 4, now);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    free(msg);
    if (rc != SQLITE_DONE) {
        *err = db_error(db, "cannot record the sync error in the cache");
        goto fail;
    }
    return own ? db_commit(db, err) : 0;
fail:
    if (own)
        db_rollback(db);
    return -1;
}

int
account_cursor_reset(struct db *db, const char *name, char **err)
{
    sqlite3_stmt *st = db_prepare(db, "UPDATE accounts SET cursor = NULL WHERE name = ?1", err);
    if (st == NULL)
        return -1;
    db_bind_text(st, 1, name);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        *err = db_error(db, "cannot reset the account's cursor");
        return -1;
    }
    return 0;
}
