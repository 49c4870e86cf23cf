/* Fuzzes whole JSON Lines files through import_jsonl into a real cache: any file is imported
 * or refused with "NAME:LINE: reason", and a refused file writes nothing. Both ways of
 * writing the checked posts are taken (kept from the first pass, or read again), picked by
 * the first byte. */
#include "fuzz_cache.h"

#include "model/import.h"

#include <sqlite3.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_FRESH_EVERY 256 /* inputs between fresh caches, so the cache stays small */

/* Number of posts in the cache. */
static long
post_count(struct db *db)
{
    sqlite3_stmt *st = db_prepare(db, "SELECT count(*) FROM posts", NULL);
    long n = st && sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct db *db; /* reused across inputs, made fresh now and then */
    static unsigned runs;
    if (db == NULL || runs++ % FUZZ_FRESH_EVERY == 0) {
        db_close(db);
        db = fuzz_cache_new("import.db", 1);
    }
    FILE *in = fmemopen((void *)data, size ? size : 1, "r");
    if (in == NULL)
        abort();
    if (size == 0)
        fseek(in, 0, SEEK_END);
    long before = post_count(db);
    struct import_stats st = {0};
    char *err = NULL;
    int rc = size > 0 && (data[0] & 1) ? import_jsonl_memo(db, in, "f.jsonl", 0, &st, &err)
                                       : import_jsonl(db, in, "f.jsonl", &st, &err);
    fclose(in);
    long after = post_count(db);
    if (rc == 0) {
        if (err != NULL || st.new_posts + st.updated_posts + st.unchanged_posts != st.lines ||
            after != before + st.new_posts)
            abort();
    } else {
        /* Refused: a sentence naming the file, and nothing from it in the cache. */
        if (err == NULL || strncmp(err, "f.jsonl", 7) != 0 || after != before)
            abort();
    }
    free(err);
    return 0;
}
