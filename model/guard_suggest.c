/* Suggesting response patterns: the suggest rules ([suggest.NAME], applies = incoming,
 * suggests = PATTERN...) read the post being answered like any other rule reads it, through
 * the same kinds (phrase, regex ...); each match proposes the rule's patterns with the rule's
 * message as the reason. guard_check never runs these rules; this is their only caller. */
#include "model/guard_impl.h"


#include <stdlib.h>
#include <string.h>
#include <time.h>

#define REASON_MAX 200 /* bytes of joined reasons kept for one pattern */

/* The weight a suggest rule's level gives each pattern it proposes. */
static int
level_weight(enum guard_severity level)
{
    return level == GUARD_ERROR ? 3 : level == GUARD_WARNING ? 2 : 1;
}

/* The rule a finding of a suggest run came from (findings point at the rule's own id). */
static const struct guard_rule *
finding_rule(const struct guard *g, const struct guard_finding *f)
{
    for (size_t i = 0; i < g->nrules; i++)
        if (g->rules[i].id == f->rule)
            return &g->rules[i];
    return NULL;
}

/* Adds reason to s's reasons unless it is there already (or they are full). */
static void
add_reason(struct guard_suggestion *s, const char *reason)
{
    if (s->reason == NULL) {
        s->reason = xstrdup(reason);
        return;
    }
    if (strstr(s->reason, reason) || strlen(s->reason) + strlen(reason) + 2 > REASON_MAX)
        return;
    char *joined = xasprintf("%s; %s", s->reason, reason);
    free(s->reason);
    s->reason = joined;
}

/* Credits pattern with what finding f of rule r says; adds the pattern when it is new. */
static void
credit(struct guard_suggestions *out, size_t *cap, const char *pattern,
       const struct guard_rule *r, const struct guard_finding *f)
{
    struct guard_suggestion *s = NULL;
    for (size_t i = 0; i < out->n && s == NULL; i++)
        if (out->v[i].pattern == pattern)
            s = &out->v[i];
    if (s == NULL) {
        if (out->n == *cap) {
            *cap = *cap ? *cap * 2 : 8;
            out->v = xreallocarray(out->v, *cap, sizeof *out->v);
        }
        s = &out->v[out->n++];
        *s = (struct guard_suggestion){.pattern = pattern, .rule = r->id, .start = f->start,
                                       .end = f->end};
    }
    s->score += level_weight(r->level);
    add_reason(s, f->message);
}

/* The place of a pattern id in guard_patterns, for a stable order. */
static size_t
pattern_rank(const char *id)
{
    size_t i = 0;
    while (guard_patterns[i].id && guard_patterns[i].id != id)
        i++;
    return i;
}

/* Orders suggestions best first: score, then where in the post, then the pattern table. */
static int
cmp_suggestions(const void *a, const void *b)
{
    const struct guard_suggestion *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    size_t rx = pattern_rank(x->pattern), ry = pattern_rank(y->pattern);
    return rx < ry ? -1 : rx > ry;
}

/* Orders findings by where they start in the post. */
static int
cmp_found(const void *a, const void *b)
{
    const struct guard_finding *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* Whether an earlier finding than found->findings[i] came from the same rule. */
static bool
rule_seen(const struct guard_result *found, size_t i)
{
    for (size_t j = 0; j < i; j++)
        if (found->findings[j].rule == found->findings[i].rule)
            return true;
    return false;
}

/* Runs the suggest rules in force over the post; their findings go to *found. */
static void
run_suggest_rules(const struct guard *g, const char *post, size_t len,
                  struct guard_result *found)
{
    struct guard_input in = {.context = post, .context_len = len};
    struct guard_ctx c = {.g = g, .in = &in, .out = found, .has_context = true};
    c.election = guard_election_active(g, NULL);
    c.active = xcalloc(g->nrules + 1, 1);
    for (size_t i = 0; i < g->nrules; i++)
        c.active[i] = g->rules[i].enabled && guard_rule_suggests(&g->rules[i]) &&
                      (!g->rules[i].election_only || c.election);
    c.md = pcre2_match_data_create(16, NULL);
    c.unfinished = xcalloc(g->nrules + 1, 1);
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    guard_view_init(&c.draft, "", 0, GUARD_DRAFT);
    guard_view_init(&c.context, post, len, GUARD_CONTEXT);
    c.context.year = tm.tm_year + 1900;
    guard_view_prepare(&c, &c.context); /* as guard_check prepares the post */
    for (size_t i = 0; i < g->nrules; i++)
        if (c.active[i] && guard_rule_applies(&g->rules[i], &c.context))
            guard_run_rule(&c, &g->rules[i], &c.context);
    guard_ctx_release(&c);
}

bool
guard_suggest_rule_matches(const struct guard *g, const char *rule, const char *post)
{
    struct guard_result found = {0};
    run_suggest_rules(g, post, strlen(post), &found);
    bool hit = false;
    for (size_t i = 0; i < found.n && !hit; i++)
        hit = strcmp(found.findings[i].rule, rule) == 0;
    guard_result_free(&found);
    return hit;
}

int
guard_suggest_all(const struct guard *g, const char *post, size_t len,
                  struct guard_suggestions *out, char **err)
{
    memset(out, 0, sizeof *out);
    *err = NULL;
    if (len > GUARD_TEXT_MAX) {
        *err = xasprintf("the post is longer than %d bytes", GUARD_TEXT_MAX);
        return -1;
    }
    struct guard_result found = {0};
    run_suggest_rules(g, post ? post : "", post ? len : 0, &found);
    size_t cap = 0;
    if (found.n > 1)
        qsort(found.findings, found.n, sizeof *found.findings, cmp_found);
    /* Each rule counts once, where it first matched. */
    for (size_t i = 0; i < found.n; i++) {
        const struct guard_finding *f = &found.findings[i];
        if (rule_seen(&found, i))
            continue;
        const struct guard_rule *r = finding_rule(g, f);
        for (size_t k = 0; r && k < r->nsuggests; k++)
            credit(out, &cap, r->suggests[k], r, f);
    }
    guard_result_free(&found);
    if (out->n > 1)
        qsort(out->v, out->n, sizeof *out->v, cmp_suggestions);
    return 0;
}

int
guard_suggest(const struct guard *g, const char *post, size_t len,
              struct guard_suggestions *out, char **err)
{
    if (guard_suggest_all(g, post, len, out, err) != 0)
        return -1;
    while (out->n > GUARD_SUGGEST_MAX)
        free(out->v[--out->n].reason);
    return 0;
}

void
guard_suggestions_free(struct guard_suggestions *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i].reason);
    free(s->v);
    memset(s, 0, sizeof *s);
}
