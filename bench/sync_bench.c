/* Sync benchmarks against the local fake server (tests/fake/server.py), as `make bench` runs
 * them from the source tree:
 * - ingest: one WordPress account with 20,000 comments, fetched, parsed and written to a
 *   fresh cache (posts per second; target at least 20,000);
 * - parallel: 10 Mastodon accounts on a server 40 ms away, synced one by one and then all
 *   at once (target: all at once no slower than the slowest alone plus 20 %);
 * - threads: the first sync of one Mastodon account with 800 mentions, each in its own
 *   thread, on a server 40 ms away (target: under 8 s; one thread at a time took 32 s);
 * - recheck: a later sync of a Mastodon account with nothing new but 45 recent threads, of
 *   which it reads the 40 most recent again, on a server 40 ms away (what reading recent
 *   threads again adds to every sync). */
#include "bench/bench.h"

#include "model/config.h"
#include "model/db.h"
#include "model/xmalloc.h"
#include "net/sync.h"

#include <errno.h>
#include <ftw.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define PARALLEL_ACCOUNTS 10

extern char **environ;

/* A fake server running for the benchmark, in its own folder. */
struct fake {
    char dir[64];
    pid_t pid;
    int port;
};

/* Writes text to path. Returns 0 or -1. */
static int
write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return -1;
    fputs(text, f);
    return fclose(f);
}

/* Starts tests/fake/server.py with the tenants in json; waits for its port. */
static int
fake_start(struct fake *fk, const char *json)
{
    snprintf(fk->dir, sizeof fk->dir, "/tmp/tactful-bench-XXXXXX");
    if (mkdtemp(fk->dir) == NULL)
        return -1;
    char *cfg = xasprintf("%s/fake.json", fk->dir);
    char *port = xasprintf("%s/port", fk->dir);
    write_file(cfg, json);
    char *argv[] = {(char *)"python3", (char *)"tests/fake/server.py", (char *)"--config", cfg,
                    (char *)"--port-file", port, NULL};
    int rc = posix_spawnp(&fk->pid, "python3", NULL, NULL, argv, environ);
    for (int i = 0; rc == 0 && i < 200; i++) {
        FILE *f = fopen(port, "r");
        if (f && fscanf(f, "%d", &fk->port) == 1) {
            fclose(f);
            break;
        }
        if (f)
            fclose(f);
        usleep(50000);
    }
    free(cfg);
    free(port);
    return rc == 0 && fk->port > 0 ? 0 : -1;
}

/* Removes one entry of a benchmark folder (nftw callback). */
static int
rm_entry(const char *p, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)type;
    (void)ftw;
    return remove(p);
}

static void
fake_stop(struct fake *fk)
{
    if (fk->pid > 0) {
        kill(fk->pid, SIGTERM);
        waitpid(fk->pid, NULL, 0);
    }
    nftw(fk->dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

/* Counts what a sync brought in and whether any account failed. */
struct tally {
    long posts;
    int failed;
};

static void
on_report(const struct sync_report *r, void *arg)
{
    struct tally *t = arg;
    t->posts += r->new_posts;
    if (!r->ok) {
        t->failed = 1;
        fprintf(stderr, "bench: %s: %s\n", r->account, r->error);
    }
}

/* Syncs the accounts named (all when n is 0) of config text into the cache dir/cache (NULL: a
 * fresh one); returns seconds, or -1 on failure. *posts gets the posts written. */
static double
timed_sync_into(const char *dir, const char *cache, const char *config_text, char *const *names,
                size_t n, long *posts)
{
    char *cpath = xasprintf("%s/config", dir);
    char *dbpath = cache ? xasprintf("%s/%s", dir, cache)
                         : xasprintf("%s/cache-%ld.db", dir, (long)random());
    char *err = NULL;
    write_file(cpath, config_text);
    struct config *cfg = config_load(cpath, 0, &err);
    struct db *db = cfg ? db_open(dbpath, &err) : NULL;
    double secs = -1;
    if (db) {
        struct http_options o;
        http_options_default(&o);
        o.max_parallel = 16;
        struct tally t = {0};
        double start = bench_now();
        int failed = sync_accounts(db, cfg, names, n, &o, NULL, on_report, &t, &err);
        secs = bench_now() - start;
        if (failed != 0 || t.failed)
            secs = -1;
        *posts = t.posts;
    }
    if (err)
        fprintf(stderr, "bench: %s\n", err);
    free(err);
    db_close(db);
    config_free(cfg);
    free(cpath);
    free(dbpath);
    return secs;
}

/* timed_sync_into a fresh cache. */
static double
timed_sync(const char *dir, const char *config_text, char *const *names, size_t n, long *posts)
{
    return timed_sync_into(dir, NULL, config_text, names, n, posts);
}

/* Ingest rate from one WordPress account with 20,000 comments. */
static int
bench_ingest(void)
{
    struct fake fk = {0};
    if (fake_start(&fk, "{\"log\": false, \"tenants\": {\"w\": {\"platform\": \"wordpress\","
                        " \"posts\": 20, \"comments\": 500, \"cache\": true}}}") != 0) {
        fprintf(stderr, "bench: cannot start the fake server (python3 tests/fake/server.py)\n");
        fake_stop(&fk);
        return 1;
    }
    setenv("BENCH_WP_TOKEN", "abcd efgh ijkl mnop qrst uvwx", 1);
    char *cfg = xasprintf("[account w]\nplatform = wordpress\nurl = http://127.0.0.1:%d/w\n"
                          "user = editor\ntoken_env = BENCH_WP_TOKEN\n", fk.port);
    long posts = 0;
    /* Warm the server's page cache, then measure a fresh cache. */
    timed_sync(fk.dir, cfg, NULL, 0, &posts);
    double secs = timed_sync(fk.dir, cfg, NULL, 0, &posts);
    free(cfg);
    fake_stop(&fk);
    if (secs <= 0)
        return 1;
    bench_row("sync ingest (fetch, parse, upsert), 20k posts", (double)posts / secs, "posts/s",
              ">= 20000 posts/s");
    return 0;
}

/* 10 accounts alone and together. */
static int
bench_parallel(void)
{
    struct buf json = {0}, cfg = {0};
    struct fake fk = {0};
    buf_adds(&json, "{\"log\": false, \"tenants\": {");
    for (int i = 0; i < PARALLEL_ACCOUNTS; i++)
        buf_printf(&json, "%s\"m%d\": {\"platform\": \"mastodon\", \"threads\": %d, "
                   "\"replies\": 2, \"latency\": 0.04, \"cache\": true, \"token\": \"tok\"}",
                   i ? ", " : "", i, 6 + i);
    buf_adds(&json, "}}");
    int rc = fake_start(&fk, json.data);
    buf_free(&json);
    if (rc != 0) {
        fprintf(stderr, "bench: cannot start the fake server\n");
        fake_stop(&fk);
        return 1;
    }
    setenv("BENCH_M_TOKEN", "tok", 1);
    for (int i = 0; i < PARALLEL_ACCOUNTS; i++)
        buf_printf(&cfg, "[account m%d]\nplatform = mastodon\nurl = http://127.0.0.1:%d/m%d\n"
                   "token_env = BENCH_M_TOKEN\n\n", i, fk.port, i);
    double slowest = 0;
    long posts;
    for (int i = 0; i < PARALLEL_ACCOUNTS; i++) {
        char name[16];
        snprintf(name, sizeof name, "m%d", i);
        char *names[] = {name};
        double s = timed_sync(fk.dir, cfg.data, names, 1, &posts);
        if (s < 0) {
            fake_stop(&fk);
            buf_free(&cfg);
            return 1;
        }
        if (s > slowest)
            slowest = s;
    }
    double all = timed_sync(fk.dir, cfg.data, NULL, 0, &posts);
    buf_free(&cfg);
    fake_stop(&fk);
    if (all < 0)
        return 1;
    bench_row("sync 10 accounts at once, slowest alone", slowest * 1000, "ms", "");
    bench_row("sync 10 accounts at once", all * 1000, "ms", "");
    bench_row("sync 10 at once vs slowest alone", (all / slowest - 1) * 100, "%",
              "<= +20 %");
    return 0;
}

/* The first sync of a Mastodon account with 800 mentions in 800 threads, 40 ms away. */
static int
bench_threads(void)
{
    struct fake fk = {0};
    if (fake_start(&fk, "{\"log\": false, \"tenants\": {\"m\": {\"platform\": \"mastodon\","
                        " \"threads\": 800, \"replies\": 1, \"latency\": 0.04,"
                        " \"cache\": true, \"token\": \"tok\"}}}") != 0) {
        fprintf(stderr, "bench: cannot start the fake server\n");
        fake_stop(&fk);
        return 1;
    }
    setenv("BENCH_M_TOKEN", "tok", 1);
    char *cfg = xasprintf("[account m]\nplatform = mastodon\nurl = http://127.0.0.1:%d/m\n"
                          "token_env = BENCH_M_TOKEN\n", fk.port);
    long posts = 0;
    double secs = timed_sync(fk.dir, cfg, NULL, 0, &posts);
    free(cfg);
    fake_stop(&fk);
    if (secs <= 0 || posts != 1600) {
        fprintf(stderr, "bench: the 800-thread sync read %ld posts, not 1600\n", posts);
        return 1;
    }
    bench_row("Mastodon first sync, 800 threads, 40 ms away", secs, "s", "< 8 s");
    return 0;
}

/* A later sync with nothing new: the 40 most recent of 45 recent threads read again. */
static int
bench_recheck(void)
{
    struct fake fk = {0};
    if (fake_start(&fk, "{\"log\": false, \"tenants\": {\"m\": {\"platform\": \"mastodon\","
                        " \"threads\": 45, \"replies\": 1, \"latency\": 0.04, \"recent\": true,"
                        " \"token\": \"tok\"}}}") != 0) {
        fprintf(stderr, "bench: cannot start the fake server\n");
        fake_stop(&fk);
        return 1;
    }
    setenv("BENCH_M_TOKEN", "tok", 1);
    char *cfg = xasprintf("[account m]\nplatform = mastodon\nurl = http://127.0.0.1:%d/m\n"
                          "token_env = BENCH_M_TOKEN\n", fk.port);
    long posts = 0;
    double first = timed_sync_into(fk.dir, "recheck.db", cfg, NULL, 0, &posts);
    double later = first > 0 ? timed_sync_into(fk.dir, "recheck.db", cfg, NULL, 0, &posts) : -1;
    free(cfg);
    fake_stop(&fk);
    if (later <= 0 || posts != 0) {
        fprintf(stderr, "bench: the later sync failed or brought %ld posts\n", posts);
        return 1;
    }
    bench_row("Mastodon later sync, 40 recent threads read again, 40 ms away", later * 1000,
              "ms", "");
    return 0;
}

int
main(void)
{
    signal(SIGPIPE, SIG_IGN);
    srandom((unsigned)getpid());
    unsetenv("http_proxy");
    unsetenv("HTTP_PROXY");
    setenv("NO_PROXY", "*", 1);
    int rc = bench_ingest();
    rc |= bench_parallel();
    rc |= bench_threads();
    rc |= bench_recheck();
    return rc;
}
