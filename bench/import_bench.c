/* Import and search figures: JSON Lines import into a fresh cache at each size of
 * TACTFUL_BENCH_IMPORT_SIZES (default "100000 1000000"; `make bench-large` adds 3,000,000):
 * the rate, the importing process's peak memory, the largest -wal file seen while it ran and
 * the cache's bytes per post; then full-text search latency on the largest cache. The import
 * runs in a child process so its memory is its own; the parent watches the -wal file. */
#include "bench.h"

#include "model/db.h"
#include "model/import.h"
#include "model/query.h"
#include "model/thread.h"
#include "model/xmalloc.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
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
                thread % 10, thread * 10, i, parent, i % 997, i % 997, 1 + (i / 86400) % 28,
                (i / 3600) % 24, (i / 60) % 60, text, i);
    }
}

/* Size of the file at path, 0 when it does not exist. */
static long long
file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long long)st.st_size : 0;
}

/* What one import run measured. */
struct run {
    double rate;         /* posts per second */
    double peak_mib;     /* the importing process's peak resident memory */
    double wal_mib;      /* the largest -wal file seen */
    double bytes_post;   /* the cache file's size per post, once closed */
};

/* Imports jsonl (n posts) into a new cache at path in a child process, watching its -wal
 * file every 10 ms. Returns 0 or -1 after printing the reason. */
static int
import_once(const char *jsonl, const char *path, long n, struct run *r)
{
    char *wal = xasprintf("%s-wal", path);
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        char *err = NULL;
        struct db *db = db_open(path, &err);
        FILE *f = fopen(jsonl, "r");
        struct import_stats st;
        if (db == NULL || f == NULL) {
            fprintf(stderr, "bench: %s\n", err ? err : "cannot open the input");
            _exit(1);
        }
        double t0 = bench_now();
        if (import_jsonl(db, f, jsonl, &st, &err) != 0) {
            fprintf(stderr, "bench: %s\n", err);
            _exit(1);
        }
        double secs = bench_now() - t0;
        fclose(f);
        db_close(db);
        if (write(fds[1], &secs, sizeof secs) != sizeof secs)
            _exit(1);
        _exit(0);
    }
    close(fds[1]);
    long long wal_max = 0;
    int status = 0;
    struct rusage ru;
    for (;;) {
        long long w = file_size(wal);
        wal_max = w > wal_max ? w : wal_max;
        pid_t done = wait4(pid, &status, WNOHANG, &ru);
        if (done == pid)
            break;
        usleep(10000);
    }
    double secs = 0;
    int ok = read(fds[0], &secs, sizeof secs) == sizeof secs && WIFEXITED(status) &&
             WEXITSTATUS(status) == 0;
    close(fds[0]);
    free(wal);
    if (!ok || secs <= 0)
        return -1;
    r->rate = (double)n / secs;
    r->peak_mib = (double)ru.ru_maxrss / 1024.0;
    r->wal_mib = (double)wal_max / (1024.0 * 1024.0);
    r->bytes_post = (double)file_size(path) / (double)n;
    return 0;
}

/* Times searches on the cache at path: the first 50 threads for a few queries. */
static void
time_search(const char *path, const char *label)
{
    char *err = NULL;
    struct db *db = db_open(path, &err);
    if (db == NULL) {
        fprintf(stderr, "bench: %s\n", err);
        free(err);
        return;
    }
    static const char *const queries[] = {"gritting", "\"cycle lane\"", "pot*",
                                          "bins state:new", "council -mould"};
    double worst = 0, total = 0;
    int runs = 0;
    for (int r = 0; r < 4; r++) {
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
    char what[96];
    snprintf(what, sizeof what, "search, first 50 threads, %s (mean)", label);
    bench_row(what, total / runs * 1000, "ms", "(none set)");
    snprintf(what, sizeof what, "search, first 50 threads, %s (worst)", label);
    bench_row(what, worst * 1000, "ms", "(none set)");
    db_close(db);
}

/* Removes the cache at path with its -wal and -shm files. */
static void
remove_cache(const char *path)
{
    char *wal = xasprintf("%s-wal", path), *shm = xasprintf("%s-shm", path);
    unlink(path);
    unlink(wal);
    unlink(shm);
    free(wal);
    free(shm);
}

int
main(void)
{
    const char *sizes = getenv("TACTFUL_BENCH_IMPORT_SIZES");
    if (sizes == NULL || *sizes == '\0')
        sizes = getenv("TACTFUL_BENCH_IMPORT_POSTS"); /* the older name, one size */
    if (sizes == NULL || *sizes == '\0')
        sizes = "100000 1000000";
    char dir[] = "/tmp/tactful-bench-XXXXXX";
    if (mkdtemp(dir) == NULL)
        return 1;
    char *jsonl = xasprintf("%s/posts.jsonl", dir), *path = xasprintf("%s/cache.db", dir);
    double first_rate = 0, last_rate = 0;
    long first_n = 0, last_n = 0;
    int status = 0;
    char *copy = xstrdup(sizes), *save = NULL;
    for (char *tok = strtok_r(copy, " ,", &save); tok; tok = strtok_r(NULL, " ,", &save)) {
        long n = atol(tok);
        if (n < 10)
            continue;
        FILE *f = fopen(jsonl, "w");
        if (f == NULL)
            break;
        generate(f, n);
        fclose(f);
        remove_cache(path);
        struct run r;
        char what[96];
        if (import_once(jsonl, path, n, &r) != 0) {
            fprintf(stderr, "bench: the import of %ld posts failed\n", n);
            status = 1;
            break;
        }
        snprintf(what, sizeof what, "import %ld posts (JSON Lines), rate", n);
        bench_row(what, r.rate, "posts/s", ">= 50,000 posts/s");
        snprintf(what, sizeof what, "import %ld posts, peak memory", n);
        bench_row(what, r.peak_mib, "MiB", "< 64 MiB");
        snprintf(what, sizeof what, "import %ld posts, largest -wal seen", n);
        bench_row(what, r.wal_mib, "MiB", "< 256 MiB");
        snprintf(what, sizeof what, "cache size after importing %ld posts", n);
        bench_row(what, r.bytes_post, "bytes/post", "<= 900 bytes/post");
        if (first_n == 0) {
            first_n = n;
            first_rate = r.rate;
        }
        last_n = n;
        last_rate = r.rate;
        unlink(jsonl);
    }
    free(copy);
    if (last_n > first_n && first_rate > 0) {
        char what[96];
        snprintf(what, sizeof what, "import rate at %ld / at %ld posts", last_n, first_n);
        bench_row(what, last_rate / first_rate, "", ">= 0.8 (flat)");
    }
    if (status == 0 && last_n > 0) {
        char label[32];
        snprintf(label, sizeof label, "%ld posts", last_n);
        time_search(path, label);
    }
    remove_cache(path);
    unlink(jsonl);
    rmdir(dir);
    free(jsonl);
    free(path);
    return status;
}
