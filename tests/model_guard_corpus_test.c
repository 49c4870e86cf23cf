/* The guardrails against the labelled replies in tests/guardrails/ (see its README), split once
 * into dev (rules are tuned on it) and test (never tuned on). Prints recall and precision per
 * category for both splits, and fails when on dev an error-level label's recall is under
 * 95 %, a warning-level one's under 90 %, or more than 3 % of clean replies are flagged; with
 * GUARD_CORPUS_STRICT=1 (make check-quality) the same targets hold on test. Misses
 * are shown for dev only (GUARD_CORPUS_SHOW=test shows test's, for a final look, not for
 * tuning); GUARD_CORPUS_VERBOSE=1 shows every finding, GUARD_CORPUS_CACHE=DIR loads through
 * the pattern cache in DIR. Runs from the source tree's top folder,
 * as `make check` does. */
#include "guardtest.h"

#define CORPUS_DIR "tests/guardrails"
#define RULES_DIR "share/rules"
#define DEFAULT_DAY "2026-11-25" /* outside the test policy's election period */
#define MIN_RECORDS 200 /* in each split */
#define MIN_CLEAN 80
#define MAX_LABELS 8

/* One labelled reply. */
struct record {
    char id[64];
    char file[128];
    char platform[16];
    char pattern[32];
    char date[16];
    struct buf context;
    struct buf draft;
    char errors[MAX_LABELS][32];
    size_t nerrors;
    char warns[MAX_LABELS][32];
    size_t nwarns;
    char quiet[MAX_LABELS][32];
    size_t nquiet;
    bool clean;
    bool suggest;
};

/* The categories the table reports, and the level their labels are held to. */
static const char *const categories[] = {
    "personal-data", "political", "election", "escalation", "length", "rebuttal",
    "commitment", "tone", "self-id", "service-request", "links",
};
#define NCAT (sizeof categories / sizeof categories[0])

/* What one category scored. Precision counts a firing on a reply labelled with the category
 * as right, and one on a clean reply (or one whose quiet: names it) as wrong; a firing on a
 * reply labelled only with other categories is not counted either way. */
struct cat_tally {
    size_t error_labels, error_hits;  /* errors: CATEGORY */
    size_t warn_labels, warn_hits;    /* warns: CATEGORY */
    size_t true_fires, false_fires;
};

/* The figures of one split. */
struct tally {
    const char *split;
    bool show_misses;
    size_t records, clean, clean_alarms;
    size_t quiet_labels, quiet_violations;
    struct cat_tally cat[NCAT];
};

/* The index of a category in the table, or -1. */
static int
cat_index(const char *name)
{
    for (size_t i = 0; i < NCAT; i++)
        if (strcmp(categories[i], name) == 0)
            return (int)i;
    return -1;
}

/* Splits a label line's categories into a table. */
static void
split_labels(const char *s, char (*out)[32], size_t *n)
{
    char copy[512];
    snprintf(copy, sizeof copy, "%s", s);
    for (char *tok = strtok(copy, " \t"); tok && *n < MAX_LABELS; tok = strtok(NULL, " \t"))
        snprintf(out[(*n)++], 32, "%s", tok);
}

/* Reads one header line into r. */
static void
header_line(struct record *r, const char *line)
{
    const char *colon = strchr(line, ':');
    if (colon == NULL)
        fail_msg("%s %s: bad header line '%s'", r->file, r->id, line);
    size_t klen = (size_t)(colon - line);
    const char *v = colon + 1;
    while (*v == ' ')
        v++;
#define KEY(k) (klen == sizeof(k) - 1 && strncmp(line, k, klen) == 0)
    if (KEY("platform"))
        snprintf(r->platform, sizeof r->platform, "%s", v);
    else if (KEY("pattern"))
        snprintf(r->pattern, sizeof r->pattern, "%s", v);
    else if (KEY("date"))
        snprintf(r->date, sizeof r->date, "%s", v);
    else if (KEY("context")) {
        if (r->context.len)
            buf_addc(&r->context, '\n');
        buf_adds(&r->context, v);
    } else if (KEY("errors"))
        split_labels(v, r->errors, &r->nerrors);
    else if (KEY("warns"))
        split_labels(v, r->warns, &r->nwarns);
    else if (KEY("quiet"))
        split_labels(v, r->quiet, &r->nquiet);
    else if (KEY("clean"))
        r->clean = strcmp(v, "yes") == 0;
    else if (KEY("fits"))
        r->suggest = true; /* the reckoner's suggestions, scored by model_guard_suggest_test */
    else
        fail_msg("%s %s: unknown header '%.*s'", r->file, r->id, (int)klen, line);
#undef KEY
}

/* Whether a finding of category cat at severity min or worse is in res. */
static bool
fired(const struct guard_result *res, const char *cat, enum guard_severity min)
{
    for (size_t i = 0; i < res->n; i++)
        if (strcmp(res->findings[i].category, cat) == 0 && res->findings[i].severity >= min)
            return true;
    return false;
}

/* Prints a reply's findings, for misses and verbose runs. */
static void
show_findings(const struct record *r, const struct guard_result *res)
{
    for (size_t i = 0; i < res->n; i++) {
        const struct guard_finding *f = &res->findings[i];
        const char *text = f->source == GUARD_DRAFT ? r->draft.data : r->context.data;
        printf("      %s %s [%zu,%zu) \"%.*s\"\n", guard_severity_name(f->severity), f->rule,
               f->start, f->end, (int)(f->end - f->start), text + f->start);
    }
}

/* Whether a list of labels holds name. */
static bool
has_label(char (*labels)[32], size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(labels[i], name) == 0)
            return true;
    return false;
}

/* Adds to the precision figures: which categories fired, and whether the labels agree. */
static void
count_fires(const struct record *r, const struct guard_result *res, struct tally *t)
{
    for (size_t c = 0; c < NCAT; c++) {
        if (!fired(res, categories[c], GUARD_WARNING))
            continue;
        bool labelled = has_label((char(*)[32])r->errors, r->nerrors, categories[c]) ||
                        has_label((char(*)[32])r->warns, r->nwarns, categories[c]);
        bool wrong = r->clean || has_label((char(*)[32])r->quiet, r->nquiet, categories[c]);
        if (labelled)
            t->cat[c].true_fires++;
        else if (wrong)
            t->cat[c].false_fires++;
    }
}

/* Checks one reply and adds it to the tally. */
static void
judge(const struct guard *g, struct record *r, struct tally *t)
{
    if (r->suggest)
        return;
    while (r->draft.len && r->draft.data[r->draft.len - 1] == '\n')
        r->draft.data[--r->draft.len] = '\0';
    struct guard_input in = {
        .draft = r->draft.data ? r->draft.data : "",
        .draft_len = r->draft.len,
        .platform = r->platform[0] ? r->platform : NULL,
        .context = r->context.len ? r->context.data : NULL,
        .context_len = r->context.len,
        .pattern = r->pattern[0] ? r->pattern : NULL,
        .today = r->date[0] ? r->date : DEFAULT_DAY,
    };
    struct guard_result res;
    char *err = NULL;
    if (guard_check(g, &in, &res, &err) != 0)
        fail_msg("%s %s: %s", r->file, r->id, err);
    bool missed = false;
    t->records++;
    for (size_t i = 0; i < r->nerrors + r->nwarns; i++) {
        bool error = i < r->nerrors;
        const char *name = error ? r->errors[i] : r->warns[i - r->nerrors];
        int c = cat_index(name);
        if (c < 0)
            fail_msg("%s %s: unknown category '%s'", r->file, r->id, name);
        bool hit = fired(&res, name, error ? GUARD_ERROR : GUARD_WARNING);
        if (error) {
            t->cat[c].error_labels++;
            t->cat[c].error_hits += hit;
        } else {
            t->cat[c].warn_labels++;
            t->cat[c].warn_hits += hit;
        }
        if (!hit) {
            missed = true;
            if (t->show_misses)
                printf("    MISS %s: no %s %s\n", r->id, name, error ? "error" : "warning");
        }
    }
    for (size_t i = 0; i < r->nquiet; i++) {
        t->quiet_labels++;
        if (fired(&res, r->quiet[i], GUARD_WARNING)) {
            t->quiet_violations++;
            missed = true;
            if (t->show_misses)
                printf("    NOISE %s: %s fired\n", r->id, r->quiet[i]);
        }
    }
    if (r->clean) {
        t->clean++;
        bool alarm = false;
        for (size_t i = 0; i < res.n; i++)
            alarm |= res.findings[i].severity >= GUARD_WARNING;
        if (alarm) {
            t->clean_alarms++;
            missed = true;
            if (t->show_misses)
                printf("    FALSE ALARM %s\n", r->id);
        }
    }
    count_fires(r, &res, t);
    if ((missed && t->show_misses) || getenv("GUARD_CORPUS_VERBOSE"))
        show_findings(r, &res);
    guard_result_free(&res);
}

/* Reading a corpus file: the record being read, and the split it is judged for. */
struct reading {
    const struct guard *g;
    struct tally *t;
    const char *path;
    struct record r;
};

/* Starts record id. */
static void
record_begin(void *ctx, const char *id)
{
    struct reading *rd = ctx;
    buf_free(&rd->r.draft);
    buf_free(&rd->r.context);
    memset(&rd->r, 0, sizeof rd->r);
    snprintf(rd->r.id, sizeof rd->r.id, "%.60s", id);
    snprintf(rd->r.file, sizeof rd->r.file, "%s", rd->path);
}

static void
record_header(void *ctx, const char *line)
{
    struct reading *rd = ctx;
    header_line(&rd->r, line);
}

static void
record_draft(void *ctx, const char *line, size_t len)
{
    struct reading *rd = ctx;
    buf_add(&rd->r.draft, line, len);
}

static void
record_end(void *ctx)
{
    struct reading *rd = ctx;
    judge(rd->g, &rd->r, rd->t);
}

/* Reads one corpus file and judges each of its records. */
static void
run_file(const struct guard *g, const char *path, struct tally *t)
{
    struct reading rd = {.g = g, .t = t, .path = path};
    struct gt_records k = {&rd, record_begin, record_header, record_draft, record_end};
    gt_records_read(path, &k);
    buf_free(&rd.r.draft);
    buf_free(&rd.r.context);
}

/* Judges every *.txt file of one split's folder. */
static void
run_split(const struct guard *g, struct tally *t)
{
    char *dir = xasprintf("%s/%s", CORPUS_DIR, t->split);
    size_t n;
    char **names = gt_records_files(dir, &n);
    if (n == 0)
        fail_msg("no records files in %s", dir);
    free(dir);
    for (size_t i = 0; i < n; i++) {
        run_file(g, names[i], t);
        free(names[i]);
    }
    free(names);
}

/* A percentage, or -1 when there is nothing to divide. */
static double
pct(size_t part, size_t whole)
{
    return whole ? 100.0 * (double)part / (double)whole : -1;
}

/* Prints a percentage in six columns ("   -  " when there is none). */
static void
print_pct(double p)
{
    if (p < 0)
        printf("    -  ");
    else
        printf(" %5.1f%%", p);
}

/* Prints the per-category table of both splits. */
static void
print_table(const struct tally *dev, const struct tally *test)
{
    printf("guardrails labelled set: dev %zu replies (%zu clean), test %zu replies (%zu clean)\n",
           dev->records, dev->clean, test->records, test->clean);
    printf("  %-16s %26s   %26s\n", "", "------------ dev -----------",
           "------------ test ----------");
    printf("  %-16s %5s %7s %7s %6s   %5s %7s %7s %6s\n", "category", "cases", "recall",
           "need", "prec", "cases", "recall", "need", "prec");
    for (size_t c = 0; c < NCAT; c++) {
        printf("  %-16s", categories[c]);
        for (int s = 0; s < 2; s++) {
            const struct cat_tally *k = s ? &test->cat[c] : &dev->cat[c];
            size_t labels = k->error_labels + k->warn_labels;
            size_t hits = k->error_hits + k->warn_hits;
            printf(" %5zu", labels);
            print_pct(pct(hits, labels));
            printf("  %s", k->error_labels >= k->warn_labels ? ">=95%" : ">=90%");
            print_pct(pct(k->true_fires, k->true_fires + k->false_fires));
            printf("%s", s ? "\n" : "  ");
        }
    }
    for (int s = 0; s < 2; s++) {
        const struct tally *t = s ? test : dev;
        printf("  %-5s clean replies flagged: %5.1f %% (%zu of %zu; target <= 3 %%); "
               "quiet labels broken: %zu of %zu\n",
               t->split, pct(t->clean_alarms, t->clean), t->clean_alarms, t->clean,
               t->quiet_violations, t->quiet_labels);
    }
}

/* Whether every category of split t meets its recall target and at most 3 % of its clean
 * replies are flagged; prints a line for each miss. */
static bool
meets_targets(const struct tally *t)
{
    bool ok = true;
    for (size_t c = 0; c < NCAT; c++) {
        const struct cat_tally *k = &t->cat[c];
        double er = pct(k->error_hits, k->error_labels);
        double wr = pct(k->warn_hits, k->warn_labels);
        if (er >= 0 && er < 95.0) {
            printf("  BELOW %s: %s error recall %.1f %% is under 95 %%\n", t->split,
                   categories[c], er);
            ok = false;
        }
        if (wr >= 0 && wr < 90.0) {
            printf("  BELOW %s: %s warning recall %.1f %% is under 90 %%\n", t->split,
                   categories[c], wr);
            ok = false;
        }
    }
    double alarms = pct(t->clean_alarms, t->clean);
    if (alarms < 0 || alarms > 3.0) {
        printf("  BELOW %s: %.1f %% of clean replies flagged, over 3 %%\n", t->split, alarms);
        ok = false;
    }
    return ok;
}

static void
test_corpus(void **state)
{
    (void)state;
    /* GUARD_CORPUS_CACHE=DIR loads with the compiled patterns' cache in DIR (made when it is
     * missing), so that a findings dump can be compared cold and warm. */
    struct guard_options opts = {.rules_dir = RULES_DIR, .policy = CORPUS_DIR "/policy",
                                 .cache_dir = getenv("GUARD_CORPUS_CACHE")};
    char *err = NULL;
    struct guard *g = guard_new(&opts, &err);
    if (g == NULL)
        fail_msg("cannot load the rules: %s", err);
    /* The test split is never tuned on: its misses are not shown unless asked for. */
    const char *show = getenv("GUARD_CORPUS_SHOW");
    struct tally dev = {.split = "dev", .show_misses = true};
    struct tally test = {.split = "test", .show_misses = show && !strcmp(show, "test")};
    run_split(g, &dev);
    run_split(g, &test);
    guard_free(g);
    print_table(&dev, &test);
    assert_true(dev.records >= MIN_RECORDS && test.records >= MIN_RECORDS);
    assert_true(dev.clean >= MIN_CLEAN && test.clean >= MIN_CLEAN);
    /* The rules must hold their targets on what they were tuned on; the held-out split is the
     * honest measure, printed always and enforced by `make check-quality`. */
    bool dev_ok = meets_targets(&dev), test_ok = meets_targets(&test);
    printf("  targets: dev %s, test %s%s\n", dev_ok ? "met" : "NOT MET",
           test_ok ? "met" : "NOT MET",
           test_ok ? "" : " (make check-quality fails until they are)");
    assert_true(dev_ok);
    const char *strict = getenv("GUARD_CORPUS_STRICT");
    if (strict && strcmp(strict, "1") == 0)
        assert_true(test_ok);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corpus),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
