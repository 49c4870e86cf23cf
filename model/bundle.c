/* Offline review bundles: writing them, recognising them and opening one safely for a merge.
 * The merge itself is in model/bundle_merge.c. */
#include "model/bundle.h"

#include "model/audit.h"
#include "model/bundle_impl.h"
#include "model/isotime.h"
#include "model/schema.h"
#include "model/triage_state.h"
#include "model/xmalloc.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

/* Reads the cache's identity (cache_info 'id'); newly allocated. */
char *
bundle_cache_id(struct db *db, char **err)
{
    sqlite3_stmt *st = db_prepare(db, "SELECT value FROM cache_info WHERE key = 'id'", err);
    if (st == NULL)
        return NULL;
    char *id = sqlite3_step(st) == SQLITE_ROW ? db_column_strdup(st, 0) : NULL;
    sqlite3_finalize(st);
    if (id == NULL)
        *err = xasprintf("the cache %s has no identity; it is damaged", db->path);
    return id;
}

int
bundle_info_get(struct db *db, struct bundle_info *info, char **err)
{
    memset(info, 0, sizeof *info);
    sqlite3_stmt *st = db_prepare(db, "SELECT id, origin, origin_path, host, exported_at,"
                                      " exported_by, audit_max, note_max FROM bundle", err);
    if (st == NULL)
        return -1;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        info->id = db_column_strdup(st, 0);
        info->origin = db_column_strdup(st, 1);
        info->origin_path = db_column_strdup(st, 2);
        info->host = db_column_strdup(st, 3);
        info->exported_at = db_column_strdup(st, 4);
        info->exported_by = db_column_strdup(st, 5);
        info->audit_max = (long)sqlite3_column_int64(st, 6);
        info->note_max = (long)sqlite3_column_int64(st, 7);
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    *err = db_error(db, "cannot read the bundle record");
    return -1;
}

void
bundle_info_clear(struct bundle_info *info)
{
    free(info->id);
    free(info->origin);
    free(info->origin_path);
    free(info->host);
    free(info->exported_at);
    free(info->exported_by);
    memset(info, 0, sizeof *info);
}

int
bundle_refuse_network(struct db *db, const char *what, char **err)
{
    struct bundle_info info;
    int rc = bundle_info_get(db, &info, err);
    if (rc <= 0)
        return rc;
    *err = xasprintf("%s is an offline review bundle (exported from %s on %s by %s at %s); "
                     "a bundle cannot %s: merge it into the connected cache with `tactful "
                     "import --bundle %s` there, and nothing approved in it is sent before",
                     db->path, info.origin_path, info.host, info.exported_by, info.exported_at,
                     what, db->path);
    bundle_info_clear(&info);
    return -1;
}

/* Writes 16 random bytes as 32 hex digits to out. */
static void
random_id(char out[33])
{
    unsigned char b[16] = {0};
    if (getrandom(b, sizeof b, 0) != (ssize_t)sizeof b) {
        unsigned long seed = (unsigned long)time(NULL) ^ ((unsigned long)getpid() << 16);
        for (size_t i = 0; i < sizeof b; i++) {
            seed = seed * 6364136223846793005UL + 1442695040888963407UL;
            b[i] = (unsigned char)(seed >> 56);
        }
    }
    for (size_t i = 0; i < sizeof b; i++)
        snprintf(out + 2 * i, 3, "%02x", b[i]);
}

/* Runs one query returning one integer on db. */
static long
count_of(struct db *db, const char *sql)
{
    sqlite3_stmt *st = db_prepare(db, sql, NULL);
    long n = st && sqlite3_step(st) == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    return n;
}

/* Fills the temporary table of selected thread ids on db's connection; sets *n. */
static int
select_threads(struct db *db, const struct bundle_selection *sel, long *n, char **err)
{
    if (db_exec(db, "CREATE TEMP TABLE IF NOT EXISTS bundle_sel (id INTEGER PRIMARY KEY);"
                    "DELETE FROM temp.bundle_sel;", err) != 0)
        return -1;
    if (sel->state && triage_state_index(sel->state) < 0) {
        *err = triage_state_unknown(sel->state);
        return -1;
    }
    sqlite3_stmt *st;
    if (sel->nthreads > 0) {
        st = db_prepare(db, "INSERT OR IGNORE INTO temp.bundle_sel (id)"
                            " SELECT id FROM main.threads WHERE id = ?1", err);
        if (st == NULL)
            return -1;
        for (size_t i = 0; i < sel->nthreads; i++) {
            sqlite3_reset(st);
            sqlite3_bind_int64(st, 1, sel->threads[i]);
            if (sqlite3_step(st) != SQLITE_DONE) {
                *err = db_error(db, "cannot select the threads");
                sqlite3_finalize(st);
                return -1;
            }
        }
        sqlite3_finalize(st);
        for (size_t i = 0; i < sel->nthreads; i++) {
            char sql[80];
            snprintf(sql, sizeof sql, "SELECT count(*) FROM temp.bundle_sel WHERE id = %ld",
                     sel->threads[i]);
            if (count_of(db, sql) == 0) {
                *err = xasprintf("no thread %ld; `tactful list` shows the threads",
                                 sel->threads[i]);
                return -1;
            }
        }
    } else {
        st = db_prepare(db, "INSERT INTO temp.bundle_sel (id) SELECT id FROM main.threads"
                            " WHERE ?1 IS NULL OR state = ?1", err);
        if (st == NULL)
            return -1;
        db_bind_text(st, 1, sel->state);
        int rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE) {
            *err = db_error(db, "cannot select the threads");
            return -1;
        }
    }
    st = db_prepare(db, "SELECT count(*) FROM temp.bundle_sel", err);
    if (st == NULL)
        return -1;
    *n = sqlite3_step(st) == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    if (*n == 0) {
        *err = sel->state ? xasprintf("no thread is %s; nothing to export", sel->state)
                          : xstrdup("the cache holds no threads; nothing to export");
        return -1;
    }
    if (*n > BUNDLE_MAX_THREADS) {
        *err = xasprintf("%ld threads are more than a bundle holds (%d); choose fewer with "
                         "--state or --thread", *n, BUNDLE_MAX_THREADS);
        return -1;
    }
    return 0;
}

/* The copy from the cache (main) into the new bundle (attached as b), selected threads only.
 * Accounts lose their sync position and last error: a bundle never syncs. */
static const char copy_sql[] =
    "INSERT INTO b.accounts (id, name, platform, base_url, limits, remote_user)"
    " SELECT id, name, platform, base_url, limits, remote_user FROM main.accounts"
    " WHERE id IN (SELECT account_id FROM main.threads WHERE id IN temp.bundle_sel);"
    "INSERT INTO b.authors (id, account_id, handle, display_name)"
    " SELECT id, account_id, handle, display_name FROM main.authors WHERE id IN"
    " (SELECT author_id FROM main.posts WHERE thread_id IN temp.bundle_sel);"
    "INSERT INTO b.threads (id, account_id, root_remote_id, title, url, first_activity,"
    " last_activity, last_post_id, post_count, state, priority, assignee, snoozed_until,"
    " seen_at, topic) SELECT id, account_id, root_remote_id, title, url, first_activity,"
    " last_activity, last_post_id, post_count, state, priority, assignee, snoozed_until,"
    " seen_at, topic FROM main.threads WHERE id IN temp.bundle_sel;"
    "INSERT INTO b.posts (id, account_id, thread_id, remote_id, parent_remote_id, author_id,"
    " created_at, body, html, url, own, meta) SELECT id, account_id, thread_id, remote_id,"
    " parent_remote_id, author_id, created_at, body, html, url, own, meta FROM main.posts"
    " WHERE thread_id IN temp.bundle_sel;"
    "INSERT INTO b.posts_fts (rowid, body, author) SELECT p.id, p.body,"
    " a.handle || ' ' || a.display_name FROM b.posts p JOIN b.authors a ON a.id = p.author_id;"
    "INSERT INTO b.thread_tags (thread_id, tag) SELECT thread_id, tag FROM main.thread_tags"
    " WHERE thread_id IN temp.bundle_sel;"
    "INSERT INTO b.notes (id, thread_id, officer, created_at, body) SELECT id, thread_id,"
    " officer, created_at, body FROM main.notes WHERE thread_id IN temp.bundle_sel;"
    "INSERT INTO b.drafts (id, thread_id, in_reply_to, pattern, body, state, officer,"
    " created_at, updated_at, reviewer, review_comment) SELECT id, thread_id, in_reply_to,"
    " pattern, body, state, officer, created_at, updated_at, reviewer, review_comment"
    " FROM main.drafts WHERE thread_id IN temp.bundle_sel;"
    "INSERT INTO b.audit (id, at, officer, action, thread_id, details) SELECT id, at, officer,"
    " action, thread_id, details FROM main.audit WHERE thread_id IN temp.bundle_sel;"
    "INSERT INTO b.bundle_threads (thread_id, state, priority, assignee, snoozed_until, topic,"
    " tags) SELECT id, state, priority, assignee, snoozed_until, topic,"
    " (SELECT json_group_array(tag) FROM (SELECT tag FROM main.thread_tags"
    " WHERE thread_id = t.id ORDER BY tag)) FROM main.threads t WHERE id IN temp.bundle_sel;"
    "INSERT INTO b.bundle_drafts (draft_id, thread_id, state, body, officer, updated_at)"
    " SELECT id, thread_id, state, body, officer, updated_at FROM main.drafts"
    " WHERE thread_id IN temp.bundle_sel;";

/* Writes the bundle record into b and the export's audit entry into main. */
static int
write_record(struct db *db, const char *path, const char *officer, const char *id,
             struct bundle_export_stats *stats, char **err)
{
    char *origin = bundle_cache_id(db, err);
    if (origin == NULL)
        return -1;
    char host[256] = "unknown", now[ISOTIME_LEN];
    if (gethostname(host, sizeof host) != 0)
        snprintf(host, sizeof host, "unknown");
    host[sizeof host - 1] = '\0';
    isotime_now(now);
    char *abs = realpath(db->path, NULL);
    sqlite3_stmt *st = db_prepare(db, "INSERT INTO b.bundle (id, origin, origin_path, host,"
                                      " exported_at, exported_by, audit_max, note_max)"
                                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
                                      " (SELECT coalesce(max(id), 0) FROM b.audit),"
                                      " (SELECT coalesce(max(id), 0) FROM b.notes))", err);
    int rc = -1;
    if (st) {
        db_bind_text(st, 1, id);
        db_bind_text(st, 2, origin);
        db_bind_text(st, 3, abs ? abs : db->path);
        db_bind_text(st, 4, host);
        db_bind_text(st, 5, now);
        db_bind_text(st, 6, officer);
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
        if (rc != 0)
            *err = db_error(db, "cannot write the bundle record");
        sqlite3_finalize(st);
    }
    free(abs);
    free(origin);
    if (rc != 0)
        return -1;
    stats->threads = count_of(db, "SELECT count(*) FROM b.threads");
    stats->posts = count_of(db, "SELECT count(*) FROM b.posts");
    stats->drafts = count_of(db, "SELECT count(*) FROM b.drafts");
    stats->notes = count_of(db, "SELECT count(*) FROM b.notes");
    json_t *d = json_pack("{s:s, s:s, s:I, s:I}", "bundle", id, "file", path, "threads",
                          (json_int_t)stats->threads, "drafts", (json_int_t)stats->drafts);
    char *details = json_dumps(d, JSON_COMPACT);
    json_decref(d);
    rc = audit_append(db, officer, "bundle.export", 0, details, NULL, err);
    free(details);
    return rc;
}

/* Creates an empty cache file at tmp with the current schema, as one file (no WAL left). */
static int
create_empty(const char *tmp, char **err)
{
    struct db *b = db_open(tmp, err);
    if (b == NULL)
        return -1;
    db_close(b);
    return 0;
}

/* Switches the finished bundle at tmp out of WAL mode so it is one self-contained file, and
 * flushes it to disk. */
static int
finish_file(const char *tmp, char **err)
{
    sqlite3 *s = NULL;
    int ok = sqlite3_open_v2(tmp, &s, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
             sqlite3_exec(s, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) == SQLITE_OK;
    if (!ok)
        *err = xasprintf("cannot finish the bundle %s: %s", tmp,
                         s ? sqlite3_errmsg(s) : "out of memory");
    sqlite3_close(s);
    if (!ok)
        return -1;
    FILE *f = fopen(tmp, "r+");
    if (f == NULL || fsync(fileno(f)) != 0) {
        *err = xasprintf("cannot write the bundle %s: %s", tmp, strerror(errno));
        if (f)
            fclose(f);
        return -1;
    }
    fclose(f);
    return 0;
}

/* Removes a temporary bundle and its companion files. */
static void
remove_tmp(const char *tmp)
{
    char *side;
    unlink(tmp);
    side = xasprintf("%s-wal", tmp);
    unlink(side);
    free(side);
    side = xasprintf("%s-shm", tmp);
    unlink(side);
    free(side);
    side = xasprintf("%s-journal", tmp);
    unlink(side);
    free(side);
}

int
bundle_export(struct db *db, const char *path, const char *officer,
              const struct bundle_selection *sel, struct bundle_export_stats *stats,
              char **err)
{
    memset(stats, 0, sizeof *stats);
    struct bundle_info info;
    int is = bundle_info_get(db, &info, err);
    if (is < 0)
        return -1;
    if (is == 1) {
        bundle_info_clear(&info);
        *err = xasprintf("%s is itself an offline review bundle; export from the cache it came "
                         "from", db->path);
        return -1;
    }
    char *tmp = xasprintf("%s.tmp-XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        *err = xasprintf("cannot write %s: %s", path, strerror(errno));
        free(tmp);
        return -1;
    }
    close(fd);
    long n = 0;
    int attached = 0;
    random_id(stats->id);
    if (create_empty(tmp, err) != 0)
        goto fail;
    sqlite3_stmt *st = db_prepare(db, "ATTACH DATABASE ?1 AS b", err);
    if (st == NULL)
        goto fail;
    db_bind_text(st, 1, tmp);
    attached = sqlite3_step(st) == SQLITE_DONE;
    sqlite3_finalize(st);
    if (!attached) {
        *err = db_error(db, "cannot write the bundle");
        goto fail;
    }
    if (db_begin(db, err) != 0)
        goto fail;
    if (select_threads(db, sel, &n, err) != 0 || db_exec(db, copy_sql, err) != 0 ||
        write_record(db, path, officer, stats->id, stats, err) != 0) {
        db_rollback(db);
        goto fail;
    }
    if (db_commit(db, err) != 0)
        goto fail;
    db_exec(db, "DETACH DATABASE b", NULL);
    attached = 0;
    if (finish_file(tmp, err) != 0)
        goto fail;
    if (rename(tmp, path) != 0) {
        *err = xasprintf("cannot write %s: %s", path, strerror(errno));
        goto fail;
    }
    remove_tmp(tmp);
    free(tmp);
    return 0;
fail:
    if (attached)
        db_exec(db, "DETACH DATABASE b", NULL);
    remove_tmp(tmp);
    free(tmp);
    return -1;
}

/* Builds the schema this tactful writes in the (empty, in-memory) connection mem. */
static int
build_schema(sqlite3 *mem)
{
    for (int v = 1; v <= DB_SCHEMA_VERSION; v++)
        if (sqlite3_exec(mem, schema_migration(v), NULL, NULL, NULL) != SQLITE_OK)
            return -1;
    return 0;
}

/* The schema of connection s as one string of its sqlite_master rows (sorted). */
static char *
schema_text(sqlite3 *s)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s, "SELECT type, name, tbl_name, coalesce(sql, '')"
                              " FROM sqlite_master ORDER BY type, name", -1, &st,
                           NULL) != SQLITE_OK)
        return NULL;
    struct buf b = {0};
    buf_adds(&b, "");
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        buf_printf(&b, "%s %s %s %s\n", (const char *)sqlite3_column_text(st, 0),
                   (const char *)sqlite3_column_text(st, 1),
                   (const char *)sqlite3_column_text(st, 2),
                   (const char *)sqlite3_column_text(st, 3));
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        buf_free(&b);
        return NULL;
    }
    return buf_take(&b);
}

/* Whether the schema of s is exactly the one this tactful writes. */
static int
schema_matches(sqlite3 *s)
{
    sqlite3 *mem = NULL;
    if (sqlite3_open_v2(":memory:", &mem, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        sqlite3_close(mem);
        return 0;
    }
    char *want = build_schema(mem) == 0 ? schema_text(mem) : NULL;
    char *got = schema_text(s);
    int same = want && got && strcmp(want, got) == 0;
    free(want);
    free(got);
    sqlite3_close(mem);
    return same;
}

/* Runs a one-integer query on s; -1 on failure. */
static long
ro_int(sqlite3 *s, const char *sql)
{
    sqlite3_stmt *st = NULL;
    long v = -1;
    if (sqlite3_prepare_v2(s, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* Whether every row of s keeps the CHECK constraints of the schema (schema.c), one query
 * each. SQLite's integrity check leaves CHECK constraints out on a read-only connection, which
 * is how bundles are opened, so a damaged bundle (an audit entry whose details are not JSON, a
 * state no one knows) would otherwise be loaded or merged as it is (found by fuzz_bundle). */
static int
checks_hold(sqlite3 *s)
{
#define NOT_STATE(id, label, help) "state <> '" #id "' AND "
    static const char *const broken[] = {
        "SELECT count(*) FROM threads WHERE " TRIAGE_STATES(NOT_STATE) "1",
        "SELECT count(*) FROM drafts WHERE NOT (state IN ('editing', 'pending_approval',"
        " 'returned', 'approved', 'queued', 'sent', 'discarded'))",
        "SELECT count(*) FROM outbox WHERE NOT (state IN ('queued', 'sending', 'sent',"
        " 'failed'))",
        "SELECT count(*) FROM audit WHERE NOT (json_valid(details))",
        "SELECT count(*) FROM posts WHERE NOT (meta IS NULL OR json_valid(meta))",
        "SELECT count(*) FROM accounts WHERE NOT (limits IS NULL OR json_valid(limits))",
        "SELECT count(*) FROM bundle_threads WHERE NOT (json_valid(tags))",
    };
#undef NOT_STATE
    for (size_t i = 0; i < sizeof broken / sizeof broken[0]; i++)
        if (ro_int(s, broken[i]) != 0)
            return 0;
    return 1;
}

/* Checks the row counts of an opened bundle against the bounds. */
static int
counts_bounded(sqlite3 *s, const char *path, char **err)
{
    static const struct {
        const char *sql;
        long max;
        const char *what;
    } checks[] = {
        {"SELECT count(*) FROM threads", BUNDLE_MAX_THREADS, "threads"},
        {"SELECT count(*) FROM drafts", BUNDLE_MAX_ROWS, "drafts"},
        {"SELECT count(*) FROM notes", BUNDLE_MAX_ROWS, "notes"},
        {"SELECT count(*) FROM audit", BUNDLE_MAX_ROWS * 5L, "audit entries"},
        {"SELECT count(*) FROM bundle_threads", BUNDLE_MAX_THREADS, "baseline threads"},
        {"SELECT count(*) FROM bundle_drafts", BUNDLE_MAX_ROWS, "baseline drafts"},
    };
    for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
        long n = ro_int(s, checks[i].sql);
        if (n < 0 || n > checks[i].max) {
            *err = xasprintf("%s holds more %s than a bundle may (%ld); it was not written by "
                             "`tactful export --bundle`", path, checks[i].what, checks[i].max);
            return -1;
        }
    }
    return 0;
}

/* Whether the file at path starts like an SQLite database. */
static int
has_magic(const char *path)
{
    char head[16];
    FILE *f = fopen(path, "rb");
    int yes = f && fread(head, 1, sizeof head, f) == sizeof head &&
              memcmp(head, "SQLite format 3", sizeof head) == 0;
    if (f)
        fclose(f);
    return yes;
}

/* Whether the database file at path says its text is UTF-8: the big-endian 1 at byte 56 of
 * its header, or 0 as in a cache whose first page is still only in its write-ahead log (SQLite
 * reads the header from the log then), as is a file too short to hold a header. */
static int
utf8_header(const char *path)
{
    static const unsigned char one[4] = {0, 0, 0, 1}, zero[4] = {0, 0, 0, 0};
    unsigned char head[60];
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return 0;
    size_t n = fread(head, 1, sizeof head, f);
    fclose(f);
    return n < sizeof head || memcmp(head + 56, one, 4) == 0 || memcmp(head + 56, zero, 4) == 0;
}

/* Opens path read-only as a connection wrapped in a struct db. */
static struct db *
open_ro(const char *path, char **err)
{
    struct db *b = xcalloc(1, sizeof *b);
    b->path = xstrdup(path);
    if (sqlite3_open_v2(path, &b->sql, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK) {
        *err = xasprintf("cannot open the bundle %s: %s", path,
                         b->sql ? sqlite3_errmsg(b->sql) : "out of memory");
        db_close(b);
        return NULL;
    }
    sqlite3_db_config(b->sql, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    sqlite3_db_config(b->sql, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
    sqlite3_db_config(b->sql, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL);
    sqlite3_db_config(b->sql, SQLITE_DBCONFIG_ENABLE_VIEW, 0, NULL);
    sqlite3_busy_timeout(b->sql, 5000);
    return b;
}

struct db *
bundle_open(const char *path, struct bundle_info *info, char **err)
{
    memset(info, 0, sizeof *info);
    struct stat sb;
    if (stat(path, &sb) != 0) {
        *err = xasprintf("cannot open the bundle %s: %s", path, strerror(errno));
        return NULL;
    }
    if (!S_ISREG(sb.st_mode) || sb.st_size > BUNDLE_MAX_BYTES) {
        *err = !S_ISREG(sb.st_mode)
                   ? xasprintf("cannot open the bundle %s: %s", path,
                               S_ISDIR(sb.st_mode) ? "it is a folder, not a file"
                                                   : "it is not a regular file (a device, a "
                                                     "FIFO or a socket)")
                   : xasprintf("%s is %lld bytes, more than a bundle may be (%ld)", path,
                               (long long)sb.st_size, BUNDLE_MAX_BYTES);
        return NULL;
    }
    struct db *b = open_ro(path, err);
    if (b == NULL)
        return NULL;
    long v = ro_int(b->sql, "PRAGMA user_version");
    if (v < 0 && has_magic(path)) {
        *err = xasprintf("the bundle %s is damaged (it cannot be read as a database); export "
                         "a new one", path);
        goto fail;
    }
    if (v < 0) {
        *err = xasprintf("%s is not an offline review bundle (it is not a tactful cache); "
                         "make one with `tactful export --bundle`", path);
        goto fail;
    }
    if (v > DB_SCHEMA_VERSION) {
        *err = xasprintf("the bundle %s was written by a newer tactful (schema %ld, this tactful "
                         "knows up to %d); upgrade tactful here before merging it", path, v,
                         DB_SCHEMA_VERSION);
        goto fail;
    }
    sqlite3_stmt *st = NULL;
    /* tactful writes UTF-8 only. The header's encoding field is read from the file: a bundle
     * with any other value there would be copied as it is into an empty cache (the backup
     * copies the header too), which then could not take the audit log's entry. */
    if (!utf8_header(path)) {
        *err = xasprintf("%s is not an offline review bundle (its text is not UTF-8); make one "
                         "with `tactful export --bundle`", path);
        goto fail;
    }
    int ok = sqlite3_prepare_v2(b->sql, "PRAGMA integrity_check(1)", -1, &st, NULL) ==
                 SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
             strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0;
    sqlite3_finalize(st);
    if (!ok) {
        *err = xasprintf("the bundle %s is damaged (its integrity check fails); export a new "
                         "one", path);
        goto fail;
    }
    if (v < DB_SCHEMA_VERSION || !schema_matches(b->sql)) {
        *err = xasprintf("%s is not an offline review bundle of this tactful (its tables "
                         "differ from the ones tactful writes); make one with `tactful export "
                         "--bundle`", path);
        goto fail;
    }
    if (counts_bounded(b->sql, path, err) != 0)
        goto fail;
    if (!checks_hold(b->sql)) {
        *err = xasprintf("the bundle %s is damaged (a row breaks a rule of its table); export "
                         "a new one", path);
        goto fail;
    }
    int is = bundle_info_get(b, info, err);
    if (is < 0)
        goto fail;
    if (is == 0 || ro_int(b->sql, "SELECT count(*) FROM bundle") != 1) {
        bundle_info_clear(info);
        *err = xasprintf("%s is a tactful cache but not an offline review bundle; load posts "
                         "with `tactful import FILE.jsonl` instead", path);
        goto fail;
    }
    return b;
fail:
    db_close(b);
    return NULL;
}
