/* How many officers one cache serves: N officers, each a separate process with its own
 * connection, work on one cache at a steady pace through the model API (open a thread, change
 * its triage, write a note every third time, save a draft), while a sync-like writer imports
 * new posts continuously through the import path. For each N it reports the p50, p99 and
 * worst latency of a triage change and of a draft save, and how many operations failed with
 * "database is locked" (SQLITE_BUSY), which must be none.
 *
 * Tuning (environment): TACTFUL_BENCH_TEAM ("5 20 50 100", the team sizes),
 * TACTFUL_BENCH_TEAM_SECONDS (15 per size), TACTFUL_BENCH_TEAM_PACE_MS (1000: one cycle per
 * officer per second), TACTFUL_BENCH_TEAM_BATCH (500 posts per import) and
 * TACTFUL_BENCH_TEAM_SYNC_MS (0: a pause between imports; none, the writer never stops). */
#include "bench.h"

#include "model/db.h"
#include "model/draft.h"
#include "model/import.h"
#include "model/query.h"
#include "model/thread.h"
#include "model/triage.h"
#include "model/xmalloc.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define TEAM_MAX_SIZES 8
#define TEAM_MAX_OFFICERS 500
#define TEAM_MAX_SAMPLES 4096      /* latencies one process keeps of each kind */
#define TEAM_BASE_THREADS 2000     /* threads in the cache before the run (5 posts each) */
#define TEAM_TARGET_MS 100.0       /* the p99 an officer should see */

/* What one run's settings are. */
struct team_cfg {
    int sizes[TEAM_MAX_SIZES];
    int nsizes;
    double seconds;
    double pace;         /* seconds between an officer's cycles */
    int batch;           /* posts per import */
    double sync_pause;   /* seconds between imports */
    long threads;        /* threads an officer picks from */
};

/* Latencies in milliseconds, at most TEAM_MAX_SAMPLES (later ones are counted, not kept). */
struct samples {
    double ms[TEAM_MAX_SAMPLES];
    long n;
};

/* What one process reports back (written whole to its result file). */
struct outcome {
    struct samples triage, draft, import;   /* import: the writer's, one per batch */
    long cycles, busy, failed, imported, imports;
    char first_error[200];
};

/* Adds one latency. */
static void
samples_add(struct samples *s, double ms)
{
    if (s->n < TEAM_MAX_SAMPLES)
        s->ms[s->n] = ms;
    s->n++;
}

/* Counts a failure: busy when SQLite said the cache was locked; keeps the first message. */
static void
outcome_fail(struct outcome *o, char *err)
{
    const char *e = err ? err : "(no message)";
    if (strstr(e, "locked") || strstr(e, "busy") || strstr(e, "BUSY"))
        o->busy++;
    else
        o->failed++;
    if (o->first_error[0] == '\0')
        snprintf(o->first_error, sizeof o->first_error, "%s", e);
    free(err);
}

/* Sleeps until the monotonic time t. */
static void
sleep_until(double t)
{
    double d = t - bench_now();
    if (d <= 0)
        return;
    struct timespec ts = {(time_t)d, (long)((d - (double)(time_t)d) * 1e9)};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* A small random number generator per process (xorshift). */
static unsigned
rnd(unsigned *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

/* Writes posts for threads [first, first + nthreads) as JSON Lines to f, five per thread;
 * tag makes the ids of one writer's runs distinct. */
static void
write_posts(FILE *f, const char *tag, long first, long nthreads)
{
    static const char *const words[] = {"bins", "recycling", "council", "tax", "library",
                                        "parking", "gritting", "road", "pothole", "housing",
                                        "repair", "planning", "thanks", "please", "week"};
    for (long t = first; t < first + nthreads; t++) {
        for (int k = 0; k < 5; k++) {
            char parent[48] = "null";
            if (k)
                snprintf(parent, sizeof parent, "\"%s%ld-%d\"", tag, t, k - 1);
            fprintf(f,
                    "{\"platform\":\"mastodon\",\"account\":\"acct%ld\",\"thread\":\"%s%ld-0\","
                    "\"id\":\"%s%ld-%d\",\"parent\":%s,\"author\":\"@user%ld@example.social\","
                    "\"created_at\":\"2026-11-%02ldT%02d:%02d:00Z\",\"text\":\"About the %s "
                    "and the %s, %s.\",\"own\":false}\n",
                    t % 5, tag, t, tag, t, k, parent, (t * 7 + k) % 997, 1 + t % 28, (int)(t % 24),
                    k, words[t % 15], words[(t + k) % 15], words[(t * 3 + k) % 15]);
        }
    }
}

/* Imports posts for nthreads threads from first on; returns 0 or -1 with *err. */
static int
import_threads(struct db *db, const char *tag, long first, long nthreads,
               struct import_stats *st, char **err)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    if (mem == NULL)
        return -1;
    write_posts(mem, tag, first, nthreads);
    fclose(mem);
    FILE *in = fmemopen(buf, len, "r");
    int rc = in ? import_jsonl(db, in, "sync", st, err) : -1;
    if (in)
        fclose(in);
    free(buf);
    return rc;
}

/* One officer's cycle on a random thread: open it (read it, mark it read), change its triage
 * (timed), write a note every third cycle, save the officer's draft (timed). */
static void
officer_cycle(struct db *db, const char *me, long draft, long cycle, unsigned *seed,
              const struct team_cfg *c, struct outcome *o)
{
    long thread = 1 + (long)(rnd(seed) % (unsigned)c->threads);
    char *err = NULL;
    struct thread *t = thread_get(db, thread, &err);
    if (t == NULL)
        outcome_fail(o, err), err = NULL;
    thread_free(t);
    if (thread_mark_seen(db, thread, &err) != 0)
        outcome_fail(o, err), err = NULL;
    double t0 = bench_now();
    int rc;
    switch (cycle % 4) {
    case 0:
        rc = triage_set_state(db, me, thread, triage_state_names[rnd(seed) % TRIAGE_NSTATES], NULL, &err);
        break;
    case 1: {
        const char *tag[] = {"bins"};
        rc = cycle % 8 == 1 ? triage_tag(db, me, thread, tag, 1, NULL, 0, NULL, &err)
                            : triage_tag(db, me, thread, NULL, 0, tag, 1, NULL, &err);
        break;
    }
    case 2:
        rc = triage_assign(db, me, thread, me, NULL, &err);
        break;
    default:
        rc = triage_set_priority(db, me, thread, (int)(rnd(seed) % 4), NULL, &err);
        break;
    }
    samples_add(&o->triage, (bench_now() - t0) * 1000);
    if (rc < 0) /* 1 is "nothing to change": the thread already was so */
        outcome_fail(o, err), err = NULL;
    if (cycle % 3 == 0 && triage_note(db, me, thread, "Checked with the service first.", NULL, &err) < 0)
        outcome_fail(o, err), err = NULL;
    char body[160];
    snprintf(body, sizeof body, "Thanks for telling us. We have passed this to the team "
             "(draft %ld, revision %ld).", draft, cycle);
    t0 = bench_now();
    rc = draft_save(db, me, draft, body, &err);
    samples_add(&o->draft, (bench_now() - t0) * 1000);
    if (rc != 0)
        outcome_fail(o, err);
}

/* An officer's process: cycles at the configured pace from start until stop. */
static void
officer_run(const char *path, int k, double start, double stop, const struct team_cfg *c,
            struct outcome *o)
{
    char *err = NULL;
    struct db *db = db_open(path, &err);
    if (db == NULL) {
        outcome_fail(o, err);
        return;
    }
    char me[32];
    snprintf(me, sizeof me, "officer%d", k);
    unsigned seed = 2463534242u ^ (unsigned)(k * 7919 + 1);
    long draft = 0;
    sleep_until(start);
    if (draft_create(db, me, 1 + k % c->threads, NULL, "acknowledgement", "Thanks.", &draft,
                     &err) != 0)
        outcome_fail(o, err);
    /* Officers start spread over one pace, as people do. */
    double next = start + c->pace * (double)(rnd(&seed) % 1000) / 1000.0;
    for (long cycle = 0; bench_now() < stop; cycle++) {
        sleep_until(next);
        next += c->pace;
        if (bench_now() >= stop)
            break;
        officer_cycle(db, me, draft, cycle, &seed, c, o);
        o->cycles++;
    }
    db_close(db);
}

/* The sync-like writer's process: imports a batch of new posts, pauses, again until stop. */
static void
writer_run(const char *path, int size, double start, double stop, const struct team_cfg *c,
           struct outcome *o)
{
    char *err = NULL;
    struct db *db = db_open(path, &err);
    if (db == NULL) {
        outcome_fail(o, err);
        return;
    }
    char tag[16];
    snprintf(tag, sizeof tag, "n%d-", size);
    long per = c->batch / 5 > 0 ? c->batch / 5 : 1;
    sleep_until(start);
    for (long first = 0; bench_now() < stop; first += per) {
        struct import_stats st = {0};
        double t0 = bench_now();
        int rc = import_threads(db, tag, first, per, &st, &err);
        samples_add(&o->import, (bench_now() - t0) * 1000);
        if (rc != 0)
            outcome_fail(o, err), err = NULL;
        else
            o->imported += st.new_posts;
        o->imports++;
        sleep_until(bench_now() + c->sync_pause);
    }
    db_close(db);
}

/* Writes o to path whole; returns 0 or -1. */
static int
outcome_save(const char *path, const struct outcome *o)
{
    FILE *f = fopen(path, "wb");
    int ok = f && fwrite(o, sizeof *o, 1, f) == 1;
    if (f && fclose(f) != 0)
        ok = 0;
    return ok ? 0 : -1;
}

/* Starts a child process running fn's role k; returns its pid. */
static pid_t
spawn(const char *cache, const char *result, int k, int size, double start, double stop,
      const struct team_cfg *c)
{
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    struct outcome *o = xcalloc(1, sizeof *o);
    if (k < 0)
        writer_run(cache, size, start, stop, c, o);
    else
        officer_run(cache, k, start, stop, c, o);
    _exit(outcome_save(result, o) == 0 ? 0 : 1);
}

/* qsort order for latencies. */
static int
by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Percentile q (0..1) of n sorted values. */
static double
percentile(const double *v, long n, double q)
{
    if (n == 0)
        return 0;
    long i = (long)((double)n * q + 0.999999) - 1;
    return v[i < 0 ? 0 : i >= n ? n - 1 : i];
}

/* Which samples of an outcome. */
static const struct samples *
kind_of(const struct outcome *o, int kind)
{
    return kind == 0 ? &o->triage : kind == 1 ? &o->draft : &o->import;
}

/* All processes' samples of one kind (0 triage, 1 draft, 2 import), sorted; *count their
 * number. */
static double *
gather(const struct outcome *os, int n, int kind, long *count)
{
    long total = 0;
    for (int i = 0; i < n; i++) {
        const struct samples *s = kind_of(&os[i], kind);
        total += s->n < TEAM_MAX_SAMPLES ? s->n : TEAM_MAX_SAMPLES;
    }
    double *v = xcalloc((size_t)total + 1, sizeof *v);
    long k = 0;
    for (int i = 0; i < n; i++) {
        const struct samples *s = kind_of(&os[i], kind);
        for (long j = 0; j < s->n && j < TEAM_MAX_SAMPLES; j++)
            v[k++] = s->ms[j];
    }
    qsort(v, (size_t)k, sizeof *v, by_value);
    *count = k;
    return v;
}

/* One team size's figures. */
struct team_result {
    int size;
    long cycles, triages, drafts, imports, busy, failed, imported;
    double t50, t99, tmax, d50, d99, dmax, i50, imax;
    char first_error[200];
};

/* Runs one team size on a fresh copy of the base cache; fills r. Returns 0 or -1. */
static int
run_size(const char *dir, const char *base, int size, const struct team_cfg *c,
         struct team_result *r)
{
    char *cache = xasprintf("%s/team.db", dir);
    char *cmd = xasprintf("rm -f '%s' '%s-wal' '%s-shm' && cp '%s' '%s'", cache, cache, cache,
                          base, cache);
    int rc = system(cmd);
    free(cmd);
    if (rc != 0) {
        free(cache);
        return -1;
    }
    pid_t pids[TEAM_MAX_OFFICERS + 1];
    double start = bench_now() + 0.5 + size * 0.01, stop = start + c->seconds;
    for (int k = -1; k < size; k++) {
        char *res = xasprintf("%s/result%d", dir, k + 1);
        pids[k + 1] = spawn(cache, res, k, size, start, stop, c);
        free(res);
    }
    struct outcome *os = xcalloc((size_t)size + 1, sizeof *os);
    int bad = 0;
    for (int k = 0; k <= size; k++) {
        int status = 0;
        char *res = xasprintf("%s/result%d", dir, k);
        FILE *f = NULL;
        if (pids[k] < 0 || waitpid(pids[k], &status, 0) < 0 || !WIFEXITED(status) ||
            WEXITSTATUS(status) != 0 || (f = fopen(res, "rb")) == NULL ||
            fread(&os[k], sizeof os[k], 1, f) != 1)
            bad = 1;
        if (f)
            fclose(f);
        unlink(res);
        free(res);
    }
    memset(r, 0, sizeof *r);
    r->size = size;
    for (int k = 0; k <= size; k++) {
        r->cycles += os[k].cycles;
        r->busy += os[k].busy;
        r->failed += os[k].failed;
        r->imported += os[k].imported;
        if (r->first_error[0] == '\0' && os[k].first_error[0])
            memcpy(r->first_error, os[k].first_error, sizeof r->first_error);
    }
    double *t = gather(os + 1, size, 0, &r->triages), *d = gather(os + 1, size, 1, &r->drafts);
    r->t50 = percentile(t, r->triages, 0.50);
    r->t99 = percentile(t, r->triages, 0.99);
    r->tmax = r->triages ? t[r->triages - 1] : 0;
    r->d50 = percentile(d, r->drafts, 0.50);
    r->d99 = percentile(d, r->drafts, 0.99);
    r->dmax = r->drafts ? d[r->drafts - 1] : 0;
    double *w = gather(os, 1, 2, &r->imports);
    r->i50 = percentile(w, r->imports, 0.50);
    r->imax = r->imports ? w[r->imports - 1] : 0;
    free(w);
    free(t);
    free(d);
    free(os);
    free(cache);
    return bad ? -1 : 0;
}

/* A number from the environment, or def when unset or out of [lo, hi]. */
static double
env_num(const char *name, double def, double lo, double hi)
{
    const char *v = getenv(name);
    char *end;
    double d = v && *v ? strtod(v, &end) : def;
    return v && *v && *end == '\0' && d >= lo && d <= hi ? d : def;
}

/* Reads the settings from the environment. */
static void
team_cfg_read(struct team_cfg *c)
{
    const char *sizes = getenv("TACTFUL_BENCH_TEAM");
    char *copy = xstrdup(sizes && *sizes ? sizes : "5 20 50 100"), *save = NULL;
    c->nsizes = 0;
    for (char *tok = strtok_r(copy, " ,", &save); tok && c->nsizes < TEAM_MAX_SIZES;
         tok = strtok_r(NULL, " ,", &save)) {
        int n = atoi(tok);
        if (n >= 1 && n <= TEAM_MAX_OFFICERS)
            c->sizes[c->nsizes++] = n;
    }
    free(copy);
    c->seconds = env_num("TACTFUL_BENCH_TEAM_SECONDS", 15, 1, 600);
    c->pace = env_num("TACTFUL_BENCH_TEAM_PACE_MS", 1000, 10, 60000) / 1000;
    c->batch = (int)env_num("TACTFUL_BENCH_TEAM_BATCH", 500, 5, 100000);
    c->sync_pause = env_num("TACTFUL_BENCH_TEAM_SYNC_MS", 0, 0, 60000) / 1000;
    c->threads = TEAM_BASE_THREADS;
}

/* Prints one size's line of the detail table and its rows of the summary table. */
static void
report(const struct team_result *r)
{
    printf("  %4d %7ld %8.1f %8.1f %8.1f %9.1f %8.1f %8.1f %6ld %6ld %8ld %7.1f %7.1f\n",
           r->size, r->cycles, r->t50, r->t99, r->tmax, r->d50, r->d99, r->dmax, r->busy,
           r->failed, r->imported, r->i50, r->imax);
    if (r->first_error[0])
        printf("        first failure: %s\n", r->first_error);
}

int
main(void)
{
    struct team_cfg c;
    team_cfg_read(&c);
    signal(SIGPIPE, SIG_IGN);
    char dir[] = "/tmp/tactful-bench-team-XXXXXX";
    if (mkdtemp(dir) == NULL)
        return 1;
    char *base = xasprintf("%s/base.db", dir), *err = NULL;
    struct db *db = db_open(base, &err);
    struct import_stats st = {0};
    if (db == NULL || import_threads(db, "base", 0, c.threads, &st, &err) != 0) {
        fprintf(stderr, "team bench: %s\n", err ? err : "cannot make the cache");
        return 1;
    }
    db_close(db);
    printf("team: N officers (one process each) and one sync-like writer on one cache of "
           "%ld threads, %.0f s per N;\n  each officer every %.0f ms: open a thread, change "
           "its triage, a note every third time, save a draft;\n  the writer imports %d "
           "posts, pauses %.0f ms, again. Latencies in ms.\n", c.threads, c.seconds,
           c.pace * 1000, c.batch, c.sync_pause * 1000);
    printf("  %4s %7s %8s %8s %8s %9s %8s %8s %6s %6s %8s %7s %7s\n", "N", "cycles",
           "triage50", "p99", "worst", "draft50", "p99", "worst", "busy", "failed", "imported",
           "import50", "worst");
    struct team_result res[TEAM_MAX_SIZES];
    int status = 0, best = 0;
    for (int i = 0; i < c.nsizes; i++) {
        if (run_size(dir, base, c.sizes[i], &c, &res[i]) != 0)
            status = 1;
        report(&res[i]);
        if (res[i].busy || res[i].failed)
            status = 1;
        if (res[i].t99 < TEAM_TARGET_MS && res[i].d99 < TEAM_TARGET_MS && c.sizes[i] > best)
            best = c.sizes[i];
    }
    for (int i = 0; i < c.nsizes; i++) {
        char m[64];
        snprintf(m, sizeof m, "team of %d: triage change p99", res[i].size);
        bench_row(m, res[i].t99, "ms", "under 100 ms");
        snprintf(m, sizeof m, "team of %d: draft save p99", res[i].size);
        bench_row(m, res[i].d99, "ms", "under 100 ms");
        snprintf(m, sizeof m, "team of %d: database is locked", res[i].size);
        bench_row(m, (double)res[i].busy, "", "0");
    }
    bench_row("largest team with both p99 under 100 ms", best, "officers", "—");
    char *cmd = xasprintf("rm -rf '%s'", dir);
    if (system(cmd) != 0)
        status = 1;
    free(cmd);
    free(base);
    return status;
}
