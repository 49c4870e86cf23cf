/* What the fuzzers that need a real cache share: a scratch folder (removed at exit) and small
 * caches in it, made with the model's own functions and filled from tests/fuzz/origin.jsonl
 * (a few threads of the demo on each platform). The fuzzers run from the source tree's top
 * folder, as `make fuzz` and `make check-fuzz` run them. */
#ifndef TACTFUL_FUZZ_CACHE_H
#define TACTFUL_FUZZ_CACHE_H

#include "model/db.h"
#include "model/import.h"
#include "model/xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FUZZ_ORIGIN_JSONL "tests/fuzz/origin.jsonl"
#define FUZZ_ORIGIN_ID "f0220000000000000000000000000001" /* the origin cache's identity */

/* The scratch folder's path (made on first use). */
static char fuzz_cache_dirname[64];

/* Removes a cache file and its companions. */
static void
fuzz_cache_remove(const char *path)
{
    static const char *const sides[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof sides / sizeof sides[0]; i++) {
        char p[160];
        snprintf(p, sizeof p, "%s%s", path, sides[i]);
        unlink(p);
    }
}

/* At exit: empties and removes the scratch folder. */
static void
fuzz_cache_cleanup(void)
{
    char cmd[128];
    if (fuzz_cache_dirname[0] == '\0')
        return;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fuzz_cache_dirname);
    if (system(cmd) != 0)
        fprintf(stderr, "fuzz: could not remove %s\n", fuzz_cache_dirname);
}

/* Writes the path of the scratch file name into out (size 160). */
static void
fuzz_cache_path(const char *name, char out[160])
{
    if (fuzz_cache_dirname[0] == '\0') {
        snprintf(fuzz_cache_dirname, sizeof fuzz_cache_dirname, "/tmp/tactful-fuzz-XXXXXX");
        if (mkdtemp(fuzz_cache_dirname) == NULL)
            abort();
        atexit(fuzz_cache_cleanup);
    }
    snprintf(out, 160, "%s/%s", fuzz_cache_dirname, name);
}

/* Imports the origin posts into db; aborts when that fails (the seed data must load). */
static void
fuzz_cache_fill(struct db *db)
{
    FILE *in = fopen(FUZZ_ORIGIN_JSONL, "r");
    struct import_stats st = {0};
    char *err = NULL;
    if (in == NULL || import_jsonl(db, in, FUZZ_ORIGIN_JSONL, &st, &err) != 0) {
        fprintf(stderr, "fuzz: cannot load %s (run from the source tree): %s\n",
                FUZZ_ORIGIN_JSONL, err ? err : "cannot open it");
        abort();
    }
    fclose(in);
}

/* Opens a new cache called name in the scratch folder (replacing any earlier one), filled
 * with the origin posts when fill is set. Aborts on failure. */
static struct db *
fuzz_cache_new(const char *name, int fill)
{
    char path[160];
    fuzz_cache_path(name, path);
    fuzz_cache_remove(path);
    char *err = NULL;
    struct db *db = db_open(path, &err);
    if (db == NULL) {
        fprintf(stderr, "fuzz: %s\n", err);
        abort();
    }
    if (fill)
        fuzz_cache_fill(db);
    return db;
}

/* Writes len bytes to the scratch file name; sets path to it. Aborts on failure. Not every
 * fuzzer needs it. */
static void __attribute__((unused))
fuzz_cache_write(const char *name, const void *data, size_t len, char path[160])
{
    fuzz_cache_path(name, path);
    fuzz_cache_remove(path);
    FILE *f = fopen(path, "wb");
    if (f == NULL || (len > 0 && fwrite(data, 1, len, f) != len) || fclose(f) != 0)
        abort();
}

#endif
