/* The cache: one SQLite file in WAL mode, shared safely by several tactful processes. */
#ifndef TACTFUL_DB_H
#define TACTFUL_DB_H

#include <sqlite3.h>

/* The schema version this tactful writes; a cache with a higher version is refused. */
#define DB_SCHEMA_VERSION 16

struct db {
    sqlite3 *sql;
    char *path;
    int readonly;           /* opened read-only: the file or its folder cannot be written */
    double busy_since_ms;   /* when the present wait for another process began (db.c) */
};

/* Opens (creating when needed) the cache at path, switches it to WAL mode with a busy timeout
 * and brings its schema up to DB_SCHEMA_VERSION. Returns NULL and sets *err (newly allocated
 * sentence) on failure; a cache written by a newer tactful is refused untouched.
 * An existing cache that cannot be written (read-only media, or the file or its folder not
 * writable) is opened read-only instead (db->readonly): everything reads, and every write
 * fails with db_readonly_error's sentence. Its schema must be current: migrating writes. */
struct db *db_open(const char *path, char **err);

/* The sentence for a change refused because the cache is read-only. Newly allocated. */
char *db_readonly_error(const struct db *db);

/* Closes the cache. NULL is fine. */
void db_close(struct db *db);

/* SQLite's data_version for this connection: it changes when another connection (another
 * process) commits to the cache. Read from the shared-memory index, not the file. -1 on
 * failure. */
long long db_data_version(struct db *db);

/* The schema version stored in the cache file. */
int db_schema_version(struct db *db);

/* Brings the schema from its current version up to target (used by db_open and the migration
 * tests). Returns 0, or -1 with *err set; nothing is changed on failure. */
int db_migrate(struct db *db, int target, char **err);

/* Starts a write transaction (BEGIN IMMEDIATE, so the lock is taken up front and the busy
 * timeout applies), commits it, or rolls it back. Begin/commit return 0 or -1 with *err. */
int db_begin(struct db *db, char **err);
int db_commit(struct db *db, char **err);
void db_rollback(struct db *db);

/* Prepares sql, returning NULL with *err set on failure. */
sqlite3_stmt *db_prepare(struct db *db, const char *sql, char **err);

/* Runs one or more statements that take no parameters. Returns 0 or -1 with *err set. */
int db_exec(struct db *db, const char *sql, char **err);

/* A newly allocated "what: sqlite message" error sentence for the last failure on db; when
 * the failure is a read-only cache or a full disk, the sentence says that and what to do. */
char *db_error(struct db *db, const char *what);

/* Binds a string, or NULL as SQL NULL; text is copied by SQLite. */
int db_bind_text(sqlite3_stmt *st, int idx, const char *s);

/* Returns a column as a newly allocated string, or NULL for SQL NULL. */
char *db_column_strdup(sqlite3_stmt *st, int col);

#endif
