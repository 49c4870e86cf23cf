/* Secondary indexes an import into an empty cache builds after its rows. */
#include "model/post_index.h"

#include "model/xmalloc.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The indexes on posts and threads that no statement of the post writer reads (its lookups
 * use the unique keys, and its thread summaries posts_thread), each as the schema makes it. */
static const struct {
    const char *name;
    const char *create;
} deferred[] = {
    {"posts_author", "CREATE INDEX IF NOT EXISTS posts_author ON posts (author_id)"},
    {"threads_activity",
     "CREATE INDEX IF NOT EXISTS threads_activity ON threads (last_activity DESC, id DESC)"},
    {"threads_state",
     "CREATE INDEX IF NOT EXISTS threads_state ON threads (state, last_activity DESC)"},
    {"threads_priority", "CREATE INDEX IF NOT EXISTS threads_priority ON threads"
                         " (priority DESC, last_activity DESC, id DESC)"},
    {"threads_age", "CREATE INDEX IF NOT EXISTS threads_age ON threads (first_activity, id)"},
    {"threads_state_snooze",
     "CREATE INDEX IF NOT EXISTS threads_state_snooze ON threads (state, snoozed_until)"},
};
#define NDEFERRED (sizeof deferred / sizeof deferred[0])

/* The cache_info key of the record: "<pid> <host> <seconds since the epoch>". */
#define PENDING_KEY "indexes_pending"

/* This host's name as a record holds it (one word) in host, of HOST_MAX bytes. */
#define HOST_MAX 256
static void
host_name(char *host)
{
    host[HOST_MAX - 1] = '\0';
    if (gethostname(host, HOST_MAX - 1) != 0 || host[0] == '\0')
        strcpy(host, "localhost");
    for (char *c = host; *c; c++)
        if (*c == ' ')
            *c = '_';
}

/* This process's record. Newly allocated. */
static char *
self_record(void)
{
    char host[HOST_MAX];
    host_name(host);
    return xasprintf("%ld %s %lld", (long)getpid(), host, (long long)time(NULL));
}

/* The pending record, newly allocated, or NULL when there is none (or it cannot be read:
 * *failed is then set when failed is not NULL). */
static char *
pending_record(struct db *db, int *failed)
{
    if (failed)
        *failed = 0;
    sqlite3_stmt *st =
        db_prepare(db, "SELECT value FROM cache_info WHERE key = '" PENDING_KEY "'", NULL);
    if (st == NULL) {
        if (failed)
            *failed = 1;
        return NULL;
    }
    int rc = sqlite3_step(st);
    char *value = rc == SQLITE_ROW ? db_column_strdup(st, 0) : NULL;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE && failed)
        *failed = 1;
    sqlite3_finalize(st);
    return value;
}

/* Whether the cache holds no post: 1, 0, or -1 when it cannot be read. */
static int
no_posts(struct db *db)
{
    sqlite3_stmt *st = db_prepare(db, "SELECT NOT EXISTS (SELECT 1 FROM posts)", NULL);
    if (st == NULL)
        return -1;
    int rc = sqlite3_step(st);
    int empty = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
    return empty;
}

int
post_index_defer(struct db *db, char **err)
{
    if (db_begin(db, err) != 0)
        return -1;
    int failed;
    char *pending = pending_record(db, &failed);
    int empty = no_posts(db);
    if (failed || empty < 0) {
        free(pending);
        *err = db_error(db, "cannot read the cache");
        db_rollback(db);
        return -1;
    }
    if (pending || !empty) {
        free(pending);
        db_rollback(db);
        return 0;
    }
    sqlite3_stmt *st = db_prepare(
        db, "INSERT INTO cache_info (key, value) VALUES ('" PENDING_KEY "', ?1)", err);
    if (st == NULL) {
        db_rollback(db);
        return -1;
    }
    char *me = self_record();
    db_bind_text(st, 1, me);
    free(me);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        *err = db_error(db, "cannot write to the cache");
        db_rollback(db);
        return -1;
    }
    for (size_t i = 0; i < NDEFERRED; i++) {
        char *drop = xasprintf("DROP INDEX IF EXISTS %s", deferred[i].name);
        rc = db_exec(db, drop, err);
        free(drop);
        if (rc != 0) {
            db_rollback(db);
            return -1;
        }
    }
    return db_commit(db, err) == 0 ? 1 : -1;
}

int
post_index_pending(struct db *db)
{
    int failed;
    char *pending = pending_record(db, &failed);
    free(pending);
    return failed ? -1 : pending != NULL;
}

int
post_index_build(struct db *db, char **err)
{
    int pending = post_index_pending(db);
    if (pending < 0) {
        *err = db_error(db, "cannot read the cache");
        return -1;
    }
    if (pending == 0)
        return 0;
    for (size_t i = 0; i < NDEFERRED; i++)
        if (db_exec(db, deferred[i].create, err) != 0)
            return -1;
    return db_exec(db, "DELETE FROM cache_info WHERE key = '" PENDING_KEY "'", err);
}

/* Whether the import that wrote record may still be running. */
static int
owner_running(const char *record)
{
    long pid = 0;
    long long started = 0;
    char host[HOST_MAX] = "", my_host[HOST_MAX];
    if (sscanf(record, "%ld %255s %lld", &pid, host, &started) != 3)
        return 0;
    host_name(my_host);
    /* No import runs that long: past it, the pid may be another process's by now. */
    if ((long long)time(NULL) - started >= POST_INDEX_MAX_AGE_S)
        return 0;
    if (strcmp(host, my_host) != 0)
        return 1;
    if (pid <= 0)
        return 0;
    return pid == (long)getpid() || kill((pid_t)pid, 0) == 0 || errno == EPERM;
}

int
post_index_repair(struct db *db, char **err)
{
    char *record = pending_record(db, NULL);
    if (record == NULL || owner_running(record)) {
        free(record);
        return 0;
    }
    if (db_begin(db, err) != 0) {
        free(record);
        return -1;
    }
    /* Read again inside the transaction: another process may have built them meanwhile. */
    char *now = pending_record(db, NULL);
    int same = now && strcmp(now, record) == 0;
    free(now);
    free(record);
    if (!same) {
        db_rollback(db);
        return 0;
    }
    if (post_index_build(db, err) != 0) {
        db_rollback(db);
        return -1;
    }
    return db_commit(db, err);
}
