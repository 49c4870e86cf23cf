/* The guardrails against the labelled test set in tests/guardrails/ (see its README): recall
 * of error-level labels must stay at 95 % or more, and at most 5 % of clean replies may get a
 * warning or an error. Prints the figures and every miss; set GUARD_CORPUS_VERBOSE=1 to see
 * every finding of every reply. Runs from the source tree's top folder, as `make check` does. */
#include "testutil.h"

#include "model/guard.h"

#include <dirent.h>

#define CORPUS_DIR "tests/guardrails"
#define RULES_DIR "share/rules"
#define DEFAULT_DAY "2026-11-25" /* outside the test policy's election period */
#define MIN_RECORDS 150
#define MIN_CLEAN 60
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
};

/* The figures. */
struct tally {
    size_t records, clean, clean_alarms;
    size_t error_labels, error_hits;
    size_t warn_labels, warn_hits;
    size_t quiet_labels, quiet_violations;
};

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

/* Checks one reply and adds it to the tally. */
static void
judge(const struct guard *g, struct record *r, struct tally *t)
{
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
    for (size_t i = 0; i < r->nerrors; i++) {
        t->error_labels++;
        if (fired(&res, r->errors[i], GUARD_ERROR))
            t->error_hits++;
        else
            printf("    MISS %s: no %s error\n", r->id, r->errors[i]), missed = true;
    }
    for (size_t i = 0; i < r->nwarns; i++) {
        t->warn_labels++;
        if (fired(&res, r->warns[i], GUARD_WARNING))
            t->warn_hits++;
        else
            printf("    MISS %s: no %s warning\n", r->id, r->warns[i]), missed = true;
    }
    for (size_t i = 0; i < r->nquiet; i++) {
        t->quiet_labels++;
        if (fired(&res, r->quiet[i], GUARD_WARNING)) {
            t->quiet_violations++;
            printf("    NOISE %s: %s fired\n", r->id, r->quiet[i]);
            missed = true;
        }
    }
    if (r->clean) {
        t->clean++;
        bool alarm = false;
        for (size_t i = 0; i < res.n; i++)
            alarm |= res.findings[i].severity >= GUARD_WARNING;
        if (alarm) {
            t->clean_alarms++;
            printf("    FALSE ALARM %s\n", r->id);
            missed = true;
        }
    }
    if (missed || getenv("GUARD_CORPUS_VERBOSE"))
        show_findings(r, &res);
    guard_result_free(&res);
}

/* Reads one corpus file and judges each of its records. */
static void
run_file(const struct guard *g, const char *path, struct tally *t)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[8192];
    struct record r;
    bool have = false, in_draft = false;
    memset(&r, 0, sizeof r);
    while (fgets(line, sizeof line, f)) {
        size_t n = strlen(line);
        if (strncmp(line, "=== ", 4) == 0) {
            if (have)
                judge(g, &r, t);
            buf_free(&r.draft);
            buf_free(&r.context);
            memset(&r, 0, sizeof r);
            line[n - 1] = '\0';
            snprintf(r.id, sizeof r.id, "%.60s", line + 4);
            snprintf(r.file, sizeof r.file, "%s", path);
            have = true;
            in_draft = false;
            continue;
        }
        if (in_draft) {
            buf_add(&r.draft, line, n);
            continue;
        }
        if (n && line[n - 1] == '\n')
            line[--n] = '\0';
        if (!have || n == 0 || line[0] == '#')
            continue;
        if (strcmp(line, "---") == 0)
            in_draft = true;
        else
            header_line(&r, line);
    }
    if (have)
        judge(g, &r, t);
    buf_free(&r.draft);
    buf_free(&r.context);
    fclose(f);
}

/* Orders file names. */
static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
test_corpus(void **state)
{
    (void)state;
    struct guard_options opts = {.rules_dir = RULES_DIR, .policy = CORPUS_DIR "/policy"};
    char *err = NULL;
    struct guard *g = guard_new(&opts, &err);
    if (g == NULL)
        fail_msg("cannot load the rules: %s", err);
    DIR *d = opendir(CORPUS_DIR);
    assert_non_null(d);
    char *names[64];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 64) {
        size_t l = strlen(e->d_name);
        if (l > 4 && strcmp(e->d_name + l - 4, ".txt") == 0)
            names[n++] = xasprintf("%s/%s", CORPUS_DIR, e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_str);
    struct tally t = {0};
    for (size_t i = 0; i < n; i++) {
        run_file(g, names[i], &t);
        free(names[i]);
    }
    guard_free(g);

    double recall = t.error_labels ? 100.0 * (double)t.error_hits / (double)t.error_labels : 0;
    double warn_recall = t.warn_labels ? 100.0 * (double)t.warn_hits / (double)t.warn_labels : 0;
    double alarms = t.clean ? 100.0 * (double)t.clean_alarms / (double)t.clean : 100;
    printf("guardrails test set: %zu replies (%zu clean)\n", t.records, t.clean);
    printf("  error-level recall:          %5.1f %% (%zu of %zu labels; must be >= 95 %%)\n",
           recall, t.error_hits, t.error_labels);
    printf("  clean replies with an alarm: %5.1f %% (%zu of %zu; must be <= 5 %%)\n", alarms,
           t.clean_alarms, t.clean);
    printf("  warning-level recall:        %5.1f %% (%zu of %zu labels)\n", warn_recall,
           t.warn_hits, t.warn_labels);
    printf("  quiet labels violated:       %zu of %zu\n", t.quiet_violations, t.quiet_labels);
    assert_true(t.records >= MIN_RECORDS);
    assert_true(t.clean >= MIN_CLEAN);
    assert_true(recall >= 95.0);
    assert_true(alarms <= 5.0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corpus),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
