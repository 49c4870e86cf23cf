/* Opening the cache, migrations and small SQLite helpers. */
#include "model/db.h"

#include "model/post_index.h"
#include "model/schema.h"
#include "model/text.h"
#include "model/xmalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* How long a writer waits for another tactful process before giving up. */
#define DB_BUSY_TIMEOUT_MS 10000
#define DB_BUSY_STEP_MS 2
#define DB_BUSY_FAST_TRIES 25      /* tries at DB_BUSY_STEP_MS before the steps grow */
#define DB_BUSY_MAX_STEP_MS 16

char *
db_readonly_error(const struct db *db)
{
    return xasprintf("the cache %s is read-only: tactful can show it but not change it; copy "
                     "it to a writable disk (or make it and its folder writable) to make "
                     "changes", db->path);
}

/* When the last failure on db is a full disk (SQLITE_FULL, or an I/O error whose system
 * error is ENOSPC or EDQUOT), the sentence saying so; else NULL. Newly allocated. */
static char *
full_error(struct db *db)
{
    int code = sqlite3_extended_errcode(db->sql), sys = sqlite3_system_errno(db->sql);
    if ((code & 0xff) == SQLITE_FULL || ((code & 0xff) == SQLITE_IOERR &&
                                         (sys == ENOSPC || sys == EDQUOT)))
        return xasprintf("the disk holding %s is full: free some space and try again",
                         db->path);
    return NULL;
}

/* The sentence for the last failure on db when it has a better one than SQLite's words (a
 * read-only cache, a full disk), else NULL. Newly allocated. */
static char *
known_error(struct db *db)
{
    int code = sqlite3_extended_errcode(db->sql);
    if ((code & 0xff) == SQLITE_READONLY && db->readonly)
        return db_readonly_error(db);
    return full_error(db);
}

char *
db_error(struct db *db, const char *what)
{
    char *known = known_error(db);
    if (known != NULL)
        return known;
    return xasprintf("%s: %s", what, sqlite3_errmsg(db->sql));
}

sqlite3_stmt *
db_prepare(struct db *db, const char *sql, char **err)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL) != SQLITE_OK) {
        if (err)
            *err = db_error(db, "cannot prepare a cache query");
        return NULL;
    }
    return st;
}

int
db_exec(struct db *db, const char *sql, char **err)
{
    char *msg = NULL;
    if (sqlite3_exec(db->sql, sql, NULL, NULL, &msg) != SQLITE_OK) {
        char *known = known_error(db);
        if (err)
            *err = known ? known
                         : xasprintf("cache error in %s: %s", db->path,
                                     msg ? msg : sqlite3_errmsg(db->sql));
        else
            free(known);
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

int
db_begin(struct db *db, char **err)
{
    if (db->readonly) {
        if (err)
            *err = db_readonly_error(db);
        return -1;
    }
    return db_exec(db, "BEGIN IMMEDIATE", err);
}

int
db_commit(struct db *db, char **err)
{
    if (db_exec(db, "COMMIT", err) != 0) {
        db_rollback(db);
        return -1;
    }
    return 0;
}

void
db_rollback(struct db *db)
{
    if (!sqlite3_get_autocommit(db->sql))
        sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
}

int
db_bind_text(sqlite3_stmt *st, int idx, const char *s)
{
    if (s == NULL)
        return sqlite3_bind_null(st, idx);
    return sqlite3_bind_text(st, idx, s, -1, SQLITE_TRANSIENT);
}

char *
db_column_strdup(sqlite3_stmt *st, int col)
{
    const unsigned char *s = sqlite3_column_text(st, col);
    return s ? xstrdup((const char *)s) : NULL;
}

long long
db_data_version(struct db *db)
{
    sqlite3_stmt *st = db_prepare(db, "PRAGMA data_version", NULL);
    long long v = -1;
    if (st && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

int
db_schema_version(struct db *db)
{
    sqlite3_stmt *st = db_prepare(db, "PRAGMA user_version", NULL);
    int v = -1;
    if (st && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

int
db_migrate(struct db *db, int target, char **err)
{
    if (db_begin(db, err) != 0)
        return -1;
    /* Read the version inside the write transaction so two processes cannot both migrate. */
    int v = db_schema_version(db);
    if (v > DB_SCHEMA_VERSION) {
        db_rollback(db);
        *err = xasprintf("the cache %s was written by a newer tactful (schema %d, this tactful "
                         "knows up to %d); upgrade tactful or use another --db",
                         db->path, v, DB_SCHEMA_VERSION);
        return -1;
    }
    for (int next = v + 1; next <= target; next++) {
        char sql[48];
        if (db_exec(db, schema_migration(next), err) != 0)
            goto fail;
        snprintf(sql, sizeof sql, "PRAGMA user_version = %d", next);
        if (db_exec(db, sql, err) != 0)
            goto fail;
    }
    return db_commit(db, err);
fail:
    db_rollback(db);
    return -1;
}

/* SQL fold(x): x without case or accents (see text_fold), for comparisons such as from:. */
static void
sql_fold(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *s = (const char *)sqlite3_value_text(argv[0]);
    if (s == NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    char *f = text_fold(s);
    if (f == NULL)
        sqlite3_result_text(ctx, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_result_text(ctx, f, -1, free);
}

/* Milliseconds on a monotonic clock. */
static double
busy_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* SQLite's busy handler: waits for another process's transaction, up to DB_BUSY_TIMEOUT_MS
 * of real time. It polls every DB_BUSY_STEP_MS at first: SQLite's own timeout sleeps 100 ms
 * between tries once it has waited a while, so a waiter could miss every gap between a long
 * import's transactions; short steps let it in at the first. After DB_BUSY_FAST_TRIES tries
 * the steps grow, with jitter, up to DB_BUSY_MAX_STEP_MS: a hundred processes polling every
 * 2 ms would take the processor from the writer they wait for (the team benchmark collapsed
 * at 300 officers that way). */
static int
busy_wait(void *arg, int count)
{
    struct db *db = arg;
    double now = busy_now_ms();
    if (count == 0)
        db->busy_since_ms = now;
    if (now - db->busy_since_ms >= DB_BUSY_TIMEOUT_MS)
        return 0;
    long step = DB_BUSY_STEP_MS;
    if (count >= DB_BUSY_FAST_TRIES) {
        int doublings = (count - DB_BUSY_FAST_TRIES) / DB_BUSY_FAST_TRIES + 1;
        step = doublings >= 4 ? DB_BUSY_MAX_STEP_MS : DB_BUSY_STEP_MS << doublings;
        if (step > DB_BUSY_MAX_STEP_MS)
            step = DB_BUSY_MAX_STEP_MS;
        /* Jitter from the process and the try, so waiters spread out. */
        unsigned h = (unsigned)getpid() * 2654435761u ^ (unsigned)count * 40503u;
        step = step / 2 + (long)(h % (unsigned)(step / 2 + 1));
    }
    struct timespec ts = {0, step * 1000000L};
    nanosleep(&ts, NULL);
    return 1;
}

/* Opens the file and sets the connection up, without touching the schema. */
static struct db *
db_connect(const char *path, char **err)
{
    struct db *db = xcalloc(1, sizeof *db);
    db->path = xstrdup(path);
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &db->sql, flags, NULL) != SQLITE_OK) {
        *err = xasprintf("cannot open the cache %s: %s; check the path and its permissions",
                         path, db->sql ? sqlite3_errmsg(db->sql) : "out of memory");
        db_close(db);
        return NULL;
    }
    sqlite3_busy_handler(db->sql, busy_wait, db);
    sqlite3_extended_result_codes(db->sql, 1);
    sqlite3_create_function(db->sql, "fold", 1,
                            SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL, sql_fold,
                            NULL, NULL);
    /* Refuse a newer cache before anything (even the journal mode) is changed. */
    int v = db_schema_version(db);
    if (v > DB_SCHEMA_VERSION) {
        *err = xasprintf("the cache %s was written by a newer tactful (schema %d, this tactful "
                         "knows up to %d); upgrade tactful or use another --db",
                         path, v, DB_SCHEMA_VERSION);
        db_close(db);
        return NULL;
    }
    /* journal_mode returns a row; "wal" is what we want to read back. */
    sqlite3_stmt *st = db_prepare(db, "PRAGMA journal_mode = WAL", NULL);
    int ok = st && sqlite3_step(st) == SQLITE_ROW &&
             strcmp((const char *)sqlite3_column_text(st, 0), "wal") == 0;
    sqlite3_finalize(st);
    if (!ok) {
        char *full = full_error(db);
        *err = full ? full
                    : xasprintf("cannot open the cache %s: %s; is it a tactful cache on a "
                                "local disk?", path, sqlite3_errmsg(db->sql));
        db_close(db);
        return NULL;
    }
    if (db_exec(db, "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;", err) != 0) {
        db_close(db);
        return NULL;
    }
    return db;
}

/* Whether the existing cache at path must be opened read-only: the file, or the folder that
 * must hold its -wal and -shm files, cannot be written (read-only media even for root, or
 * permissions). A cache that does not exist yet is created read-write. */
static int
must_read_only(const char *path)
{
    if (access(path, F_OK) != 0)
        return 0;
    if (access(path, W_OK) != 0)
        return 1;
    char *dir = xstrdup(path);
    char *slash = strrchr(dir, '/');
    if (slash == NULL)
        strcpy(dir, ".");
    else
        slash[slash == dir] = '\0'; /* "/cache.db" keeps "/" */
    int ro = access(dir, W_OK) != 0;
    free(dir);
    return ro;
}

/* The "file:" URI for path with the query q: bytes other than letters, digits and "/._~-"
 * are percent-encoded, so "?", "#" and "%" in a path stay part of it. Newly allocated. */
static char *
file_uri(const char *path, const char *q)
{
    struct buf b = {0};
    buf_adds(&b, "file:");
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("/._~-", *p) != NULL)
            buf_addc(&b, (char)*p);
        else
            buf_printf(&b, "%%%02X", *p);
    }
    buf_printf(&b, "?%s", q);
    return buf_take(&b);
}

/* Opens path read-only with the URI query q and reads its schema version; -1 when it cannot
 * be read that way. Leaves the connection in db->sql either way. */
static int
connect_ro_with(struct db *db, const char *q)
{
    char *uri = file_uri(db->path, q);
    int flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(uri, &db->sql, flags, NULL);
    free(uri);
    if (rc != SQLITE_OK)
        return -1;
    sqlite3_busy_handler(db->sql, busy_wait, NULL);
    sqlite3_extended_result_codes(db->sql, 1);
    return db_schema_version(db);
}

/* Opens an existing cache that cannot be written. A WAL cache needs its -shm file; on
 * read-only media with none (the cache was closed cleanly elsewhere) it is opened as
 * immutable, which reads the file as it is. Refuses a cache whose schema is not current,
 * since bringing it up to date would write. */
static struct db *
db_connect_ro(const char *path, char **err)
{
    struct db *db = xcalloc(1, sizeof *db);
    db->path = xstrdup(path);
    db->readonly = 1;
    int v = connect_ro_with(db, "mode=ro");
    if (v < 0) {
        sqlite3_close_v2(db->sql);
        db->sql = NULL;
        v = connect_ro_with(db, "immutable=1");
    }
    if (v < 0) {
        *err = xasprintf("cannot read the cache %s: %s; it is read-only, and may not be a "
                         "tactful cache", path,
                         db->sql ? sqlite3_errmsg(db->sql) : "out of memory");
    } else if (v > DB_SCHEMA_VERSION) {
        *err = xasprintf("the cache %s was written by a newer tactful (schema %d, this tactful "
                         "knows up to %d); upgrade tactful or use another --db",
                         path, v, DB_SCHEMA_VERSION);
    } else if (v != DB_SCHEMA_VERSION) {
        *err = xasprintf("the cache %s is read-only and was written by an older tactful "
                         "(schema %d); open it once where it can be written so that this "
                         "tactful brings it up to date (schema %d)", path, v,
                         DB_SCHEMA_VERSION);
    } else if (db_exec(db, "PRAGMA query_only = ON; PRAGMA foreign_keys = ON;", err) == 0) {
        sqlite3_create_function(db->sql, "fold", 1,
                                SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
                                sql_fold, NULL, NULL);
        return db;
    }
    db_close(db);
    return NULL;
}

struct db *
db_open(const char *path, char **err)
{
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        *err = xasprintf("cannot open the cache %s: %s; name a cache file with --db", path,
                         S_ISDIR(st.st_mode) ? "it is a folder, not a file"
                                             : "it is not a regular file (a device, a FIFO or "
                                               "a socket)");
        return NULL;
    }
    if (must_read_only(path))
        return db_connect_ro(path, err);
    struct db *db = db_connect(path, err);
    if (db == NULL)
        return NULL;
    int v = db_schema_version(db);
    if (v < 0) {
        *err = xasprintf("cannot read the cache %s: %s; it may not be a tactful cache", path,
                         sqlite3_errmsg(db->sql));
        db_close(db);
        return NULL;
    }
    if (v != DB_SCHEMA_VERSION && db_migrate(db, DB_SCHEMA_VERSION, err) != 0) {
        db_close(db);
        return NULL;
    }
    /* Indexes that an import dropped and did not live to build: everything works without
     * them, only slower, so a failure here is not the caller's (the next open tries again). */
    char *why = NULL;
    if (post_index_repair(db, &why) != 0)
        free(why);
    return db;
}

void
db_close(struct db *db)
{
    if (db == NULL)
        return;
    sqlite3_close_v2(db->sql);
    free(db->path);
    free(db);
}
