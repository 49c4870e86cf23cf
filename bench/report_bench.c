/* `tactful report` against issue 17's target (under a second over 1,000,000 posts), on the
 * synthetic caches of bench/gen.h (TACTFUL_BENCH_POSTS, default "100000 1000000"; shared with
 * tui_bench, generated once into build/bench/): the real ./tactful is run as a user would run
 * it, with business hours set, for the whole cache and grouped by account and by tag; the
 * model's report_build is timed on its own too. Each figure is the median of three runs. */
#include "bench/bench.h"
#include "bench/gen.h"

#include "model/db.h"
#include "model/hours.h"
#include "model/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define BENCH_DIR "build/bench"
#define RUNS 3

/* qsort order of doubles, ascending. */
static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Runs ./tactful --db path report ARGS with its output to /dev/null; returns the seconds it
 * took, or -1 when it failed. */
static double
run_report(const char *path, const char *by)
{
    double t = bench_now();
    pid_t pid = fork();
    if (pid == 0) {
        if (freopen("/dev/null", "w", stdout) == NULL)
            _exit(127);
        if (by)
            execl("./tactful", "tactful", "--db", path, "report", "--by", by, (char *)NULL);
        else
            execl("./tactful", "tactful", "--db", path, "report", (char *)NULL);
        _exit(127);
    }
    int status;
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0)
        return -1;
    return bench_now() - t;
}

/* The median of RUNS runs of `tactful report [--by by]`, as one table row. */
static int
bench_command(const char *path, long nposts, const char *by)
{
    double s[RUNS];
    for (int i = 0; i < RUNS; i++)
        if ((s[i] = run_report(path, by)) < 0) {
            fprintf(stderr, "bench: tactful report failed on %s\n", path);
            return 1;
        }
    qsort(s, RUNS, sizeof s[0], cmp_double);
    char m[96];
    snprintf(m, sizeof m, "report%s%s, %ld posts (whole command)", by ? " --by " : "",
             by ? by : "", nposts);
    bench_row(m, s[RUNS / 2] * 1000, "ms", "< 1000 ms");
    return 0;
}

/* The model's report_build alone (business hours set, grouped by account). */
static int
bench_model(const char *path, long nposts)
{
    char *err = NULL;
    struct db *db = db_open(path, &err);
    struct hours h;
    if (db == NULL || hours_parse("Mon-Fri 09:00-17:00", &h, &err) != 0) {
        fprintf(stderr, "bench: %s\n", err);
        free(err);
        db_close(db);
        return 1;
    }
    double s[RUNS];
    long in = 0;
    for (int i = 0; i < RUNS; i++) {
        struct report_opts o = {.by = REPORT_BY_ACCOUNT, .hours = &h};
        struct report *r;
        double t = bench_now();
        if (report_build(db, &o, &r, &err) != 0) {
            fprintf(stderr, "bench: %s\n", err);
            free(err);
            db_close(db);
            return 1;
        }
        s[i] = bench_now() - t;
        in = r->total.in;
        report_free(r);
    }
    db_close(db);
    qsort(s, RUNS, sizeof s[0], cmp_double);
    char m[96];
    snprintf(m, sizeof m, "report_build (model), %ld posts, %ld threads", nposts, in);
    bench_row(m, s[RUNS / 2] * 1000, "ms", "-");
    return 0;
}

/* Makes sure the cache for nposts exists (the same file tui_bench uses). */
static int
ensure_cache(const char *path, long nposts)
{
    struct stat st;
    if (stat(path, &st) == 0)
        return 0;
    char tmp[512];
    snprintf(tmp, sizeof tmp, "%s.tmp-gen", path);
    unlink(tmp);
    fprintf(stderr, "bench: generating %ld posts into %s (once; reused afterwards)\n", nposts,
            path);
    if (gen_cache(tmp, nposts) != 0 || rename(tmp, path) != 0) {
        unlink(tmp);
        return -1;
    }
    return 0;
}

int
main(void)
{
    const char *env = getenv("TACTFUL_BENCH_POSTS");
    char *sizes = strdup(env && *env ? env : "100000 1000000"), *save = NULL;
    mkdir("build", 0700);
    mkdir(BENCH_DIR, 0700);
    FILE *cfg = fopen(BENCH_DIR "/report-config", "w");
    if (cfg == NULL) {
        fprintf(stderr, "bench: cannot write " BENCH_DIR "/report-config\n");
        free(sizes);
        return 1;
    }
    fputs("[tactful]\nbusiness_hours = Mon-Fri 09:00-17:00\n", cfg);
    fclose(cfg);
    setenv("TACTFUL_CONFIG", BENCH_DIR "/report-config", 1);
    int status = 0;
    for (char *tok = strtok_r(sizes, " ,", &save); tok; tok = strtok_r(NULL, " ,", &save)) {
        long nposts = atol(tok);
        char path[256];
        snprintf(path, sizeof path, BENCH_DIR "/cache-v%d-%ld.db", GEN_VERSION, nposts);
        if (nposts < 10 || ensure_cache(path, nposts) != 0) {
            status = 1;
            continue;
        }
        status |= bench_model(path, nposts);
        status |= bench_command(path, nposts, NULL);
        status |= bench_command(path, nposts, "account");
        status |= bench_command(path, nposts, "tag");
    }
    free(sizes);
    return status;
}
