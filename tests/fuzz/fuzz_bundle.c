/* Fuzzes review-bundle import: the input is written to a file and imported as a bundle, both
 * merged into the cache it claims to come from (the origin posts, identity FUZZ_ORIGIN_ID)
 * and loaded into an empty cache. Any file is merged, loaded or refused with a sentence, and
 * the caches stay sound (SQLite's quick_check). Seeds are bundles exported from such a
 * cache, with offline changes, shrunk to 512-byte pages (tests/fuzz/make_bundle_seeds.sh). */
#include "fuzz_cache.h"

#include "model/bundle.h"
#include "model/guard.h"

#include <sqlite3.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A cache file as bytes, made once, copied for each input. */
struct origin {
    char *bytes;
    size_t len;
};

/* Makes a cache (the origin, filled and with FUZZ_ORIGIN_ID, or an empty one) and reads its
 * file. */
static void
origin_make(struct origin *o, int origin)
{
    struct db *db = fuzz_cache_new(origin ? "origin.db" : "empty-template.db", origin);
    char *err = NULL;
    if (origin && db_exec(db, "UPDATE cache_info SET value = '" FUZZ_ORIGIN_ID "' WHERE key ="
                              " 'id'", &err) != 0)
        abort();
    char path[160];
    snprintf(path, sizeof path, "%s", db->path);
    db_close(db); /* the last connection: the WAL goes into the file */
    FILE *f = fopen(path, "rb");
    if (f == NULL || fseek(f, 0, SEEK_END) != 0)
        abort();
    o->len = (size_t)ftell(f);
    o->bytes = xmalloc(o->len);
    rewind(f);
    if (fread(o->bytes, 1, o->len, f) != o->len)
        abort();
    fclose(f);
}

/* Aborts unless the cache passes SQLite's quick_check. */
static void
check_sound(struct db *db)
{
    sqlite3_stmt *st = db_prepare(db, "PRAGMA quick_check", NULL);
    if (st == NULL || sqlite3_step(st) != SQLITE_ROW ||
        strcmp((const char *)sqlite3_column_text(st, 0), "ok") != 0)
        abort();
    sqlite3_finalize(st);
}

/* Imports the bundle at path into db; checks the outcome's shape. */
static void
import_into(struct db *db, const char *path, const struct bundle_merge_opts *opts)
{
    struct bundle_result res = {0};
    char *err = NULL;
    int rc = bundle_import(db, path, opts, &res, &err);
    if (getenv("FUZZ_VERBOSE")) /* for writing seeds: how far an input gets */
        fprintf(stderr, "fuzz: %s: %s, %zu applied, %zu conflicts, %zu problems%s%s\n",
                db->path, rc == 0 ? (res.loaded ? "loaded" : "merged") : "refused",
                res.napplied, res.nconflicts, res.nproblems, err ? ": " : "", err ? err : "");
    if (rc == 0) {
        if (err != NULL)
            abort();
        bundle_result_free(&res);
    } else if (err == NULL || *err == '\0') {
        abort();
    }
    free(err);
    check_sound(db);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct origin origin, empty; /* made once */
    static struct guard *guard;  /* loaded once: the rules are the same for every input */
    if (origin.bytes == NULL) {
        origin_make(&origin, 1);
        origin_make(&empty, 0);
        char *err = NULL;
        struct guard_options go = {.rules_dir = "share/rules"};
        if ((guard = guard_new(&go, &err)) == NULL)
            abort();
    }
    struct bundle_merge_opts opts = {.guard = guard, .today = "2026-11-25", .officer = "fuzz"};
    char bundle[160], work[160];
    fuzz_cache_write("bundle.db", data, size, bundle);
    fuzz_cache_write("work.db", origin.bytes, origin.len, work);
    char *err = NULL;
    struct db *db = db_open(work, &err);
    if (db == NULL)
        abort();
    import_into(db, bundle, &opts);
    db_close(db);
    fuzz_cache_write("empty.db", empty.bytes, empty.len, work);
    if ((db = db_open(work, &err)) == NULL)
        abort();
    import_into(db, bundle, &opts);
    db_close(db);
    return 0;
}
