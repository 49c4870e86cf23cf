/* The per-account sync lock in the sync_locks table. */
#include "model/synclock.h"

#include "model/isotime.h"
#include "model/xmalloc.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void
synclock_self_init(struct synclock_self *self)
{
    memset(self, 0, sizeof *self);
    self->pid = (long)getpid();
    if (gethostname(self->host, sizeof self->host - 1) != 0 || self->host[0] == '\0')
        strcpy(self->host, "localhost");
    self->now = time(NULL);
    self->max_age_s = SYNCLOCK_MAX_AGE_S;
}

/* Whether process pid still runs on this host. */
static int
system_alive(long pid)
{
    if (pid <= 0)
        return 0;
    return kill((pid_t)pid, 0) == 0 || errno == EPERM;
}

/* Reads the holder row of account into *h. Returns 1, 0 when there is none, or -1. */
static int
holder_read(struct db *db, const char *account, struct synclock_holder *h, char **err)
{
    memset(h, 0, sizeof *h);
    sqlite3_stmt *q = db_prepare(db, "SELECT holder_pid, holder_host, started_at FROM sync_locks"
                                     " WHERE account = ?1", err);
    if (q == NULL)
        return -1;
    db_bind_text(q, 1, account);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        const char *host = (const char *)sqlite3_column_text(q, 1);
        const char *at = (const char *)sqlite3_column_text(q, 2);
        h->pid = (long)sqlite3_column_int64(q, 0);
        snprintf(h->host, sizeof h->host, "%s", host ? host : "");
        snprintf(h->started_at, sizeof h->started_at, "%s", at ? at : "");
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        *err = db_error(db, "cannot read the sync lock from the cache");
        return -1;
    }
    return rc == SQLITE_ROW;
}

int
synclock_holder_get(struct db *db, const char *account, struct synclock_holder *holder,
                    char **err)
{
    return holder_read(db, account, holder, err);
}

/* Whether holder h no longer counts: gone from this host, or older than the bound. */
static int
stale(const struct synclock_holder *h, const struct synclock_self *self)
{
    time_t at;
    if (isotime_parse(h->started_at, &at) != 0 || self->now - at > self->max_age_s ||
        at - self->now > self->max_age_s)
        return 1; /* unreadable, too old, or from a clock far ahead */
    if (strcmp(h->host, self->host) != 0)
        return 0; /* another host's process: only its age tells */
    return !(self->alive ? self->alive(h->pid) : system_alive(h->pid));
}

int
synclock_take(struct db *db, const char *account, const struct synclock_self *self,
              struct synclock_holder *holder, char **err)
{
    struct synclock_holder h;
    if (db_begin(db, err) != 0)
        return -1;
    int has = holder_read(db, account, &h, err);
    if (has < 0)
        goto fail;
    int mine = has && h.pid == self->pid && strcmp(h.host, self->host) == 0;
    if (has && !mine && !stale(&h, self)) {
        db_rollback(db);
        if (holder)
            *holder = h;
        return 1;
    }
    char now[ISOTIME_LEN];
    isotime_format(self->now, now);
    sqlite3_stmt *st = db_prepare(db, "INSERT INTO sync_locks (account, holder_pid, holder_host,"
                                      " started_at) VALUES (?1, ?2, ?3, ?4)"
                                      " ON CONFLICT (account) DO UPDATE SET"
                                      " holder_pid = ?2, holder_host = ?3, started_at = ?4",
                                  err);
    if (st == NULL)
        goto fail;
    db_bind_text(st, 1, account);
    sqlite3_bind_int64(st, 2, self->pid);
    db_bind_text(st, 3, self->host);
    db_bind_text(st, 4, now);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        *err = db_error(db, "cannot write the sync lock to the cache");
        goto fail;
    }
    return db_commit(db, err) == 0 ? 0 : -1;
fail:
    db_rollback(db);
    return -1;
}

int
synclock_release(struct db *db, const char *account, const struct synclock_self *self,
                 char **err)
{
    sqlite3_stmt *st = db_prepare(db, "DELETE FROM sync_locks WHERE account = ?1"
                                      " AND holder_pid = ?2 AND holder_host = ?3", err);
    if (st == NULL)
        return -1;
    db_bind_text(st, 1, account);
    sqlite3_bind_int64(st, 2, self->pid);
    db_bind_text(st, 3, self->host);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        *err = db_error(db, "cannot give back the sync lock");
        return -1;
    }
    return 0;
}

char *
synclock_busy_message(const char *account, const struct synclock_holder *h,
                      const struct synclock_self *self)
{
    const char *since = h->started_at;
    const char *t = strchr(since, 'T');
    char when[16] = "";
    if (t && strlen(t) >= 9)
        snprintf(when, sizeof when, "%.8s UTC", t + 1);
    int here = self && strcmp(h->host, self->host) == 0;
    return xasprintf("%s is being synced by another tactful (process %ld%s%s, since %s); it "
                     "was skipped, and what that sync reads reaches this cache too",
                     account, h->pid, here ? "" : " on ", here ? "" : h->host,
                     when[0] ? when : since);
}
