/* The guardrails' speed: a 5,000-character draft dense with problems checked against every
 * shipped rule (election rules on, a post as context, a platform and a pattern, so that every
 * kind of rule runs), 2,000 times: median, 99th percentile and CPU time; then a clean
 * 5,000-character reply, the common case. The composer checks on every keystroke, so the
 * target is under 1 ms median; then loading the rules, under 5 ms median with the compiled
 * patterns cached (as at every start but the first after a change to the rules; the figure
 * without the cache is shown too). The exit status is 1 when the first median or the cached
 * loading misses its target. Runs from the source tree's top
 * folder. */
#include "bench.h"

#include "model/guard.h"
#include "model/xmalloc.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RUNS 2000
#define LOADS 200
#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))
#define DRAFT_CHARS 5000

/* Realistic paragraphs, some clean and some with problems, repeated to the length wanted. */
static const char *const paragraphs[] = {
    "Thanks for getting in touch about the grit bins on Moorside Rise. Our crews treat "
    "priority routes when ice or snow is forecast, around 45% of the borough's roads, "
    "including all bus routes and the roads to schools and hospitals. ",
    "You can report an empty grit bin at https://www.northmoor.gov.uk/report and the depot "
    "will refill it. For urgent problems call 0300 123 4567 at any time. ",
    "We're sorry the collection was missed at 14 Fenwick Street, NM4 7QX. The crew will "
    "return tomorrow, and we'll fix the rota by Friday. ",
    "PLEASE don't put garden waste in the blue bin!! It cannot be recycled, obviously. ",
    "The Labour group raised this at full council, but the labour market figures are on our "
    "data page. Personally I think the new calendar is clearer. ",
    "If you need help with Universal Credit, the DWP helpline is 0800 328 5644 and HMRC can "
    "help with tax codes: https://www.gov.uk/contact-hmrc ",
    "Please don't post your account number here; send us a direct message and the council "
    "tax team will call you on 07700 900123 about the double payment. ",
    "In order to streamline the service going forward, we will utilise a new booking system "
    "that is robust and easy to use, e.g. for bulky waste, garden waste and so on. ",
    "More details at bit.ly/nmr-bins or http://northmoor-bins.example.com/calendar. ",
    "Café opening hours: 8am to 6pm on weekdays 🙂 and 9am to 4pm at weekends. ",
};

/* A clean reply's paragraphs, for the common case: nothing to report. */
static const char *const clean_paragraphs[] = {
    "Thanks for getting in touch about the grit bins on Moorside Rise. Our crews treat "
    "priority routes when ice or snow is forecast, including all bus routes. ",
    "You can report an empty grit bin at https://www.northmoor.gov.uk/report and the depot "
    "will refill it. For urgent problems call 0300 123 4567 at any time. ",
    "If you need help with Universal Credit, the DWP helpline is 0800 328 5644 and HMRC can "
    "help with tax codes: https://www.gov.uk/contact-hmrc ",
    "Café opening hours are 8am to 6pm on weekdays and 9am to 4pm at weekends. ",
};

/* Builds a draft of about DRAFT_CHARS characters from n paragraphs. */
static char *
make_draft(const char *const *paras, size_t n)
{
    struct buf b = {0};
    for (size_t i = 0; b.len < DRAFT_CHARS; i++)
        buf_adds(&b, paras[i % n]);
    return buf_take(&b);
}

/* Seconds of CPU time this thread has used: unlike the wall clock, not inflated when other
 * work on a shared machine takes the processor. */
static double
cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Removes the cache folder the bench made, and the files in it. */
static void
remove_folder(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return;
    for (struct dirent *de; (de = readdir(d)) != NULL;) {
        if (de->d_name[0] == '.')
            continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        unlink(path);
    }
    closedir(d);
    rmdir(dir);
}

/* Orders doubles. */
static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int
main(void)
{
    const char *policy = "bench/guard_bench.policy";
    struct guard_options opts = {.rules_dir = "share/rules", .policy = policy};
    char *err = NULL;
    struct guard *g = guard_new(&opts, &err);
    if (g == NULL) {
        fprintf(stderr, "guard_bench: %s\n", err);
        return 1;
    }
    char *draft = make_draft(paragraphs, NELEMS(paragraphs));
    const char *context = "@northmoor Still waiting for my housing benefit claim, ref "
                          "HB-2026-118204. My solicitor says this is a data breach.";
    struct guard_input in = {
        .draft = draft,
        .draft_len = strlen(draft),
        .platform = "mastodon",
        .context = context,
        .context_len = strlen(context),
        .pattern = "signposting",
        .today = "2027-04-20", /* inside the bench policy's election period */
    };
    static double t[RUNS], cpu[RUNS];
    size_t findings = 0;
    for (int i = 0; i < RUNS; i++) {
        struct guard_result res;
        double t0 = bench_now(), c0 = cpu_now();
        if (guard_check(g, &in, &res, &err) != 0) {
            fprintf(stderr, "guard_bench: %s\n", err);
            return 1;
        }
        cpu[i] = cpu_now() - c0;
        t[i] = bench_now() - t0;
        findings = res.n;
        guard_result_free(&res);
    }
    qsort(t, RUNS, sizeof t[0], cmp_double);
    qsort(cpu, RUNS, sizeof cpu[0], cmp_double);
    char what[64];
    snprintf(what, sizeof what, "guard check, %zu-byte draft, %zu rules", strlen(draft),
             guard_rule_count(g));
    bench_row(what, t[RUNS / 2] * 1e3, "ms", "median < 1 ms");
    int status = t[RUNS / 2] < 1e-3 ? 0 : 1;
    bench_row("guard check, 99th percentile", t[RUNS * 99 / 100] * 1e3, "ms", "(no target)");
    bench_row("guard check, CPU time median", cpu[RUNS / 2] * 1e3, "ms", "(own cost)");
    printf("%-46s %14zu  %s\n", "guard check, findings per run", findings, "");
    /* The common case: a long clean reply, no post, no pattern. */
    char *clean = make_draft(clean_paragraphs, NELEMS(clean_paragraphs));
    struct guard_input cin = {.draft = clean,
                              .draft_len = strlen(clean),
                              .platform = "wordpress",
                              .today = "2026-11-25"};
    for (int i = 0; i < RUNS; i++) {
        struct guard_result res;
        double t0 = bench_now();
        if (guard_check(g, &cin, &res, &err) != 0)
            return 1;
        t[i] = bench_now() - t0;
        guard_result_free(&res);
    }
    qsort(t, RUNS, sizeof t[0], cmp_double);
    bench_row("guard check, clean 5,000-char reply, median", t[RUNS / 2] * 1e3, "ms",
              "median < 1 ms");
    /* Loading: every shipped pack, the classes and the policy, read and compiled; first as
     * after a change to the rules (every pattern compiled), then as at every other start (the
     * compiled patterns read from the cache, which the first of these loads writes). */
    static double load[LOADS], cload[LOADS];
    for (int i = 0; i < LOADS; i++) {
        double t0 = bench_now(), c0 = cpu_now();
        struct guard *lg = guard_new(&opts, &err);
        load[i] = bench_now() - t0;
        cload[i] = cpu_now() - c0;
        if (lg == NULL)
            return 1;
        guard_free(lg);
    }
    qsort(load, LOADS, sizeof load[0], cmp_double);
    qsort(cload, LOADS, sizeof cload[0], cmp_double);
    bench_row("guard rules loaded and compiled, no cache", load[LOADS / 2] * 1e3, "ms",
              "(after a change)");
    bench_row("guard rules compiled, no cache, CPU", cload[LOADS / 2] * 1e3, "ms",
              "(own cost)");
    char cache[] = "/tmp/guard_bench.XXXXXX";
    if (mkdtemp(cache) == NULL) {
        perror("guard_bench: mkdtemp");
        return 1;
    }
    struct guard_options copts = opts;
    copts.cache_dir = cache;
    for (int i = 0; i <= LOADS; i++) {
        double t0 = bench_now(), c0 = cpu_now();
        struct guard *lg = guard_new(&copts, &err);
        if (i > 0) {
            load[i - 1] = bench_now() - t0;
            cload[i - 1] = cpu_now() - c0;
        }
        if (lg == NULL)
            return 1;
        guard_free(lg);
    }
    qsort(load, LOADS, sizeof load[0], cmp_double);
    qsort(cload, LOADS, sizeof cload[0], cmp_double);
    bench_row("guard rules loaded, patterns cached, median", load[LOADS / 2] * 1e3, "ms",
              "median < 5 ms");
    bench_row("guard rules loaded, patterns cached, CPU", cload[LOADS / 2] * 1e3, "ms",
              "(own cost)");
    if (load[LOADS / 2] >= 5e-3)
        status = 1;
    remove_folder(cache);
    free(clean);
    free(draft);
    guard_free(g);
    return status;
}
