/* Import and search figures: JSON Lines import rate into a fresh cache, and full-text search
 * latency on the result. Size: TACTFUL_BENCH_IMPORT_POSTS (default 200,000 posts). */
#include "bench.h"

#include "model/db.h"
#include "model/import.h"
#include "model/query.h"
#include "model/thread.h"
#include "model/xmalloc.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const words[] = {
    "bins", "recycling", "council", "tax", "library", "parking", "permit", "gritting",
    "road", "pothole", "housing", "repair", "mould", "planning", "consultation", "cycle",
    "lane", "thanks", "please", "when", "still", "waiting", "week", "collection",
};
#define NWORDS (sizeof words / sizeof words[0])

/* Writes n synthetic posts (10 per thread) as JSON Lines to f. */
static void
generate(FILE *f, long n)
{
    unsigned seed = 42;
    for (long i = 0; i < n; i++) {
        long thread = i / 10;
        char text[256] = "";
        for (int w = 0; w < 14; w++) {
            seed = seed * 1103515245u + 12345u;
            strcat(text, words[(seed >> 16) % NWORDS]);
            strcat(text, w == 13 ? "." : " ");
        }
        char parent[32] = "null";
        if (i % 10)
            snprintf(parent, sizeof parent, "\"%ld\"", i - 1);
        fprintf(f,
                "{\"platform\":\"mastodon\",\"account\":\"acct%ld\",\"thread\":\"%ld\","
                "\"id\":\"%ld\",\"parent\":%s,\"author\":\"@user%ld@example.social\","
                "\"author_name\":\"User %ld\",\"created_at\":\"2026-11-%02ldT%02ld:%02ld:00Z\","
                "\"text\":\"%s\",\"url\":\"https://example.social/@u/%ld\",\"own\":false}\n",
                thread % 10, thread * 10, i, parent, i % 997, i % 997, 1 + (i / 86400) % 28, (i / 3600) % 24,
                (i / 60) % 60, text, i);
    }
}

int
main(void)
{
    long n = getenv("TACTFUL_BENCH_IMPORT_POSTS") ? atol(getenv("TACTFUL_BENCH_IMPORT_POSTS"))
                                                  : 200000;
    char dir[] = "/tmp/tactful-bench-XXXXXX";
    if (mkdtemp(dir) == NULL)
        return 1;
    char *jsonl = xasprintf("%s/posts.jsonl", dir), *path = xasprintf("%s/cache.db", dir);
    FILE *f = fopen(jsonl, "w");
    generate(f, n);
    fclose(f);
    char *err = NULL;
    struct db *db = db_open(path, &err);
    if (db == NULL) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    f = fopen(jsonl, "r");
    struct import_stats st;
    double t0 = bench_now();
    if (import_jsonl(db, f, jsonl, &st, &err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    double t1 = bench_now();
    fclose(f);
    bench_row("import (JSON Lines)", (double)n / (t1 - t0), "posts/s",
              "(none set)");

    static const char *const queries[] = {"gritting", "\"cycle lane\"", "pot*",
                                          "bins state:new", "council -mould"};
    double worst = 0, total = 0;
    int runs = 0;
    for (int r = 0; r < 20; r++) {
        for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
            struct query q;
            struct thread_list l;
            query_parse(queries[i], &q, &err);
            double a = bench_now();
            thread_list(db, &q, THREAD_SORT_ACTIVITY, 50, 0, &l, &err);
            double b = bench_now() - a;
            thread_list_free(&l);
            query_free(&q);
            total += b;
            worst = b > worst ? b : worst;
            runs++;
        }
    }
    bench_row("search, first 50 threads (mean)", total / runs * 1000, "ms", "(none set)");
    bench_row("search, first 50 threads (worst)", worst * 1000, "ms", "(none set)");
    db_close(db);
    unlink(jsonl);
    unlink(path);
    char *wal = xasprintf("%s-wal", path), *shm = xasprintf("%s-shm", path);
    unlink(wal);
    unlink(shm);
    rmdir(dir);
    free(wal);
    free(shm);
    free(jsonl);
    free(path);
    return 0;
}
