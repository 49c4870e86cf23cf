/* Helpers for the guardrails unit tests: loading the shipped rules (with an optional policy
 * and user rules file written to a temporary folder), checking a draft, and asserting what
 * fired where. Run from the source tree's top folder, as `make check` does. */
#ifndef TACTFUL_GUARDTEST_H
#define TACTFUL_GUARDTEST_H

#include "testutil.h"

#include "model/guard.h"

#include <dirent.h>
#include <unistd.h>

#define GT_RULES "share/rules"

/* A temporary folder for rule files. */
struct gt_dir {
    char path[64];
};

static inline void
gt_dir_new(struct gt_dir *d)
{
    snprintf(d->path, sizeof d->path, "/tmp/tactful-guard-XXXXXX");
    assert_non_null(mkdtemp(d->path));
}

/* Writes text to the file name in d; returns its path (newly allocated). */
static inline char *
gt_write(const struct gt_dir *d, const char *name, const char *text)
{
    char *path = xasprintf("%s/%s", d->path, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static inline void
gt_dir_free(struct gt_dir *d)
{
    nftw(d->path, tcache_rm, 8, FTW_DEPTH | FTW_PHYS);
}

/* Loads rules from dir with an optional policy and user file given as text; fails the test
 * when they do not load. */
static inline struct guard *
gt_load(const char *dir, const char *policy_text, const char *user_text)
{
    struct gt_dir d;
    gt_dir_new(&d);
    char *policy = policy_text ? gt_write(&d, "policy", policy_text) : NULL;
    char *user = user_text ? gt_write(&d, "rules", user_text) : NULL;
    struct guard_options o = {.rules_dir = dir, .policy = policy, .user_rules = user};
    char *err = NULL;
    struct guard *g = guard_new(&o, &err);
    if (g == NULL)
        fail_msg("guard_new: %s", err);
    free(policy);
    free(user);
    gt_dir_free(&d);
    return g;
}

/* Loads rules expecting failure; returns the error text (newly allocated). */
static inline char *
gt_load_fails(const char *dir, const char *policy_text, const char *user_text)
{
    struct gt_dir d;
    gt_dir_new(&d);
    char *policy = policy_text ? gt_write(&d, "policy", policy_text) : NULL;
    char *user = user_text ? gt_write(&d, "rules", user_text) : NULL;
    struct guard_options o = {.rules_dir = dir, .policy = policy, .user_rules = user};
    char *err = NULL;
    struct guard *g = guard_new(&o, &err);
    if (g != NULL)
        fail_msg("guard_new succeeded; expected an error");
    free(policy);
    free(user);
    gt_dir_free(&d);
    return err;
}

/* The shipped rules with an optional policy and user file. */
static inline struct guard *
gt_shipped(const char *policy_text, const char *user_text)
{
    return gt_load(GT_RULES, policy_text, user_text);
}

/* Checks a draft with optional context, platform and pattern, outside any election period
 * unless today is given. */
static inline struct guard_result
gt_check_full(const struct guard *g, const char *draft, const char *context,
              const char *platform, const char *pattern, const char *today)
{
    struct guard_input in = {
        .draft = draft,
        .draft_len = strlen(draft),
        .context = context,
        .context_len = context ? strlen(context) : 0,
        .platform = platform,
        .pattern = pattern,
        .today = today ? today : "2026-11-25",
    };
    struct guard_result r;
    char *err = NULL;
    if (guard_check(g, &in, &r, &err) != 0)
        fail_msg("guard_check: %s", err);
    return r;
}

static inline struct guard_result
gt_check(const struct guard *g, const char *draft)
{
    return gt_check_full(g, draft, NULL, NULL, NULL, NULL);
}

/* Returns the first finding of rule (or of a category when rule ends in '.'), or NULL. */
static inline const struct guard_finding *
gt_find(const struct guard_result *r, const char *rule)
{
    size_t n = strlen(rule);
    for (size_t i = 0; i < r->n; i++) {
        const struct guard_finding *f = &r->findings[i];
        if (rule[n - 1] == '.' ? strncmp(f->rule, rule, n) == 0 : strcmp(f->rule, rule) == 0)
            return f;
    }
    return NULL;
}

/* Prints a result's findings (for failure messages). */
static inline void
gt_dump(const char *draft, const struct guard_result *r)
{
    fprintf(stderr, "  draft: %s\n", draft);
    for (size_t i = 0; i < r->n; i++)
        fprintf(stderr, "  %s %s [%zu,%zu)\n", guard_severity_name(r->findings[i].severity),
                r->findings[i].rule, r->findings[i].start, r->findings[i].end);
}

/* Checks a draft keeping every finding, before overlapping ones of a category are merged:
 * to see what one rule does whatever the others find. */
static inline struct guard_result
gt_check_all(const struct guard *g, const char *draft)
{
    struct guard_input in = {.draft = draft, .draft_len = strlen(draft), .today = "2026-11-25",
                             .keep_all = true};
    struct guard_result r;
    char *err = NULL;
    if (guard_check(g, &in, &r, &err) != 0)
        fail_msg("guard_check: %s", err);
    return r;
}

/* Asserts that rule fires on draft (before findings are merged) and that its first finding
 * covers exactly `covers` (NULL: anything). */
static inline void
gt_fires(const struct guard *g, const char *draft, const char *rule, const char *covers)
{
    struct guard_result r = gt_check_all(g, draft);
    const struct guard_finding *f = gt_find(&r, rule);
    if (f == NULL) {
        gt_dump(draft, &r);
        fail_msg("%s did not fire", rule);
    }
    if (covers && (f->end - f->start != strlen(covers) ||
                   memcmp(draft + f->start, covers, strlen(covers)) != 0)) {
        gt_dump(draft, &r);
        fail_msg("%s covers \"%.*s\", expected \"%s\"", rule, (int)(f->end - f->start),
                 draft + f->start, covers);
    }
    guard_result_free(&r);
}

/* Asserts that rule (or category, ending in '.') does not fire on draft. */
static inline void
gt_quiet(const struct guard *g, const char *draft, const char *rule)
{
    struct guard_result r = gt_check(g, draft);
    if (gt_find(&r, rule) != NULL) {
        gt_dump(draft, &r);
        fail_msg("%s fired", rule);
    }
    guard_result_free(&r);
}

/* ---- The labelled records (tests/guardrails/SPLIT/\*.txt; format in its README) ---- */

/* What reading a records file calls, with ctx: begin at each "=== ID" line, header for each
 * header line (without its newline; blank and # lines left out), draft for each line after
 * "---" as read, but for comment lines ("# ...": a hash and a space) (NULL: drafts are not
 * wanted), end once a record is whole. */
struct gt_records {
    void *ctx;
    void (*begin)(void *ctx, const char *id);
    void (*header)(void *ctx, const char *line);
    void (*draft)(void *ctx, const char *line, size_t len);
    void (*end)(void *ctx);
};

/* Reads the records file at path through k. */
static inline void
gt_records_read(const char *path, const struct gt_records *k)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[8192];
    bool have = false, in_draft = false;
    while (fgets(line, sizeof line, f)) {
        size_t n = strlen(line);
        if (strncmp(line, "=== ", 4) == 0) {
            if (have)
                k->end(k->ctx);
            if (n && line[n - 1] == '\n')
                line[--n] = '\0';
            k->begin(k->ctx, line + 4);
            have = true;
            in_draft = false;
            continue;
        }
        if (in_draft) {
            /* A line starting "# " (a hash and a space, never a hashtag) is a comment
             * wherever it is: writers head groups of records with them. */
            if (line[0] == '#' && (line[1] == ' ' || line[1] == '\n'))
                continue;
            if (k->draft)
                k->draft(k->ctx, line, n);
            continue;
        }
        if (n && line[n - 1] == '\n')
            line[--n] = '\0';
        if (!have || n == 0 || line[0] == '#')
            continue;
        if (strcmp(line, "---") == 0)
            in_draft = true;
        else
            k->header(k->ctx, line);
    }
    if (have)
        k->end(k->ctx);
    fclose(f);
}

/* Orders file names. */
static inline int
gt_cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The paths of the *.txt files in dir, in name order, as a newly allocated array of newly
 * allocated strings; *n is how many (0, and NULL returned, when dir cannot be read or holds
 * none). Every file is returned: a split's figures must never leave one out. */
static inline char **
gt_records_files(const char *dir, size_t *n)
{
    *n = 0;
    DIR *d = opendir(dir);
    if (d == NULL)
        return NULL;
    char **names = NULL;
    size_t cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);
        if (l <= 4 || strcmp(e->d_name + l - 4, ".txt") != 0)
            continue;
        if (*n == cap) {
            cap = cap ? 2 * cap : 64;
            names = xrealloc(names, cap * sizeof *names);
        }
        names[(*n)++] = xasprintf("%s/%s", dir, e->d_name);
    }
    closedir(d);
    if (*n)
        qsort(names, *n, sizeof *names, gt_cmp_names);
    return names;
}

#endif
