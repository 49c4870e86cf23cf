/* Fuzzes searches end to end: any text the search language accepts makes FTS5 expressions
 * and filters that run against a real small cache (the origin posts, with tags, an assignee
 * and a state set) without an error, listing and counting alike. The input's length picks
 * the sort. */
#include "fuzz_cache.h"

#include "model/query.h"
#include "model/thread.h"
#include "model/triage.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The cache every search runs against: origin posts and some triage to filter on. */
static struct db *
search_db(void)
{
    struct db *db = fuzz_cache_new("search.db", 1);
    char *err = NULL;
    const char *tags[] = {"urgent", "bins"};
    if (triage_tag(db, "fuzz", 1, tags, 2, NULL, 0, NULL, &err) != 0 ||
        triage_assign(db, "fuzz", 2, "sam.patel", NULL, &err) != 0 ||
        triage_set_state(db, "fuzz", 3, "to_reply", NULL, &err) != 0) {
        fprintf(stderr, "fuzz: %s\n", err);
        abort();
    }
    return db;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct db *db; /* made once: searches only read */
    if (db == NULL)
        db = search_db();
    char *text = xstrndup((const char *)data, size);
    struct query q;
    char *err = NULL;
    if (query_parse(text, &q, &err) != 0) {
        if (err == NULL)
            abort();
        free(err);
        free(text);
        return 0;
    }
    struct thread_list list = {0};
    long counts[TRIAGE_NSTATES];
    enum thread_sort sort = (enum thread_sort)(size % 3);
    if (thread_list(db, &q, sort, 50, 0, &list, &err) != 0 ||
        thread_count_states(db, &q, counts, &err) != 0) {
        fprintf(stderr, "fuzz: the search '%s' (fts %s, not %s) failed: %s\n", text,
                q.fts ? q.fts : "-", q.fts_not ? q.fts_not : "-", err);
        abort();
    }
    thread_list_free(&list);
    query_free(&q);
    free(text);
    return 0;
}
