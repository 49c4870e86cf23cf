/* A rule explained and tested by its own examples: `tactful rules --explain RULE` and
 * `tactful rules --test` (and `make check`, for every shipped rule). */
#include "model/guard_impl.h"

#include <stdlib.h>
#include <string.h>

/* Whether check result res holds a finding of rule id. */
static bool
rule_fired(const struct guard_result *res, const char *id)
{
    for (size_t i = 0; i < res->n; i++)
        if (strcmp(res->findings[i].rule, id) == 0)
            return true;
    return false;
}

/* Checks text as rule r's example would be written: the post for rules that read only the
 * post, else the draft (with the example post when the rule gives one). */
static int
check_example(const struct guard *g, const struct guard_rule *r, const char *text,
              struct guard_result *res, char **err)
{
    bool post_only = r->applies == APPLIES_INCOMING;
    struct guard_input in = {
        .draft = post_only ? "" : text,
        .draft_len = post_only ? 0 : strlen(text),
        .context = post_only ? text : r->example_post,
        .context_len = post_only ? strlen(text) : r->example_post ? strlen(r->example_post) : 0,
        .platform = r->kind == KIND_LENGTH ? r->platform : NULL,
        .pattern = r->pattern,
        .election = r->election_only,
        .keep_all = true,
    };
    return guard_check(g, &in, res, err);
}

size_t
guard_rule_test(const struct guard *g, size_t i, char **report)
{
    const struct guard_rule *r = &g->rules[i];
    struct buf b = {0};
    size_t failed = 0;
    if (report)
        *report = NULL;
    if (!r->enabled)
        return 0;
    for (size_t k = 0; k < r->nexamples; k++) {
        const struct guard_rule_example *ex = &r->examples[k];
        struct guard_result res = {0};
        char *err = NULL;
        bool ok;
        if (guard_rule_suggests(r)) {
            ok = guard_suggest_rule_matches(g, r->id, ex->text) == ex->must_fire;
            if (!ok)
                buf_printf(&b, "%s%s:%d: rule %s %s its %s: %s", b.len ? "\n" : "", ex->file,
                           ex->line, r->id, ex->must_fire ? "does not match" : "matches",
                           ex->must_fire ? "example" : "counterexample", ex->text);
        } else if (check_example(g, r, ex->text, &res, &err) != 0) {
            ok = false;
            buf_printf(&b, "%s%s:%d: rule %s: cannot check the example: %s", b.len ? "\n" : "",
                       ex->file, ex->line, r->id, err);
            free(err);
        } else {
            ok = rule_fired(&res, r->id) == ex->must_fire;
            if (!ok)
                buf_printf(&b, "%s%s:%d: rule %s %s its %s: %s", b.len ? "\n" : "", ex->file,
                           ex->line, r->id, ex->must_fire ? "does not fire on" : "fires on",
                           ex->must_fire ? "example" : "counterexample", ex->text);
        }
        guard_result_free(&res);
        failed += !ok;
    }
    if (report && failed)
        *report = buf_take(&b);
    else
        buf_free(&b);
    return failed;
}

void
guard_rule_example_count(const struct guard *g, size_t i, size_t *examples,
                         size_t *counterexamples)
{
    const struct guard_rule *r = &g->rules[i];
    *examples = *counterexamples = 0;
    for (size_t k = 0; k < r->nexamples; k++) {
        if (r->examples[k].must_fire)
            ++*examples;
        else
            ++*counterexamples;
    }
}

/* Adds the names of the classes a pattern text uses ("@name") to b, once each. */
static void
classes_used(const char *text, struct buf *names)
{
    for (const char *p = strchr(text, '@'); p; p = strchr(p + 1, '@')) {
        size_t n = strspn(p + 1, "abcdefghijklmnopqrstuvwxyz0123456789-");
        if (n == 0)
            continue;
        char *name = xasprintf(" %.*s ", (int)n, p + 1);
        if (names->data == NULL || strstr(names->data, name) == NULL)
            buf_adds(names, name);
        free(name);
    }
}

/* Prints the members of each class named in names (" a  b "). */
static void
explain_classes(const struct guard *g, const char *names, struct buf *b)
{
    for (size_t c = 0; c < g->tp.nclasses; c++) {
        const struct tp_class *k = &g->tp.classes[c];
        char *key = xasprintf(" %s ", k->name);
        bool used = names && strstr(names, key);
        free(key);
        if (!used)
            continue;
        buf_printf(b, "  @%s (%s:%d):", k->name, k->file, k->line);
        for (size_t m = 0; m < k->nmembers; m++)
            buf_printf(b, "%s %s", m ? " |" : "", k->members[m].text);
        buf_adds(b, "\n");
    }
}

char *
guard_rule_explain(const struct guard *g, const char *id)
{
    const struct guard_rule *r = NULL;
    for (size_t i = 0; i < g->nrules && r == NULL; i++)
        if (strcmp(g->rules[i].id, id) == 0)
            r = &g->rules[i];
    if (r == NULL)
        return NULL;
    static const char *const applies[] = {"", "the draft", "the post being answered",
                                          "the draft and the post being answered"};
    struct buf b = {0};
    const char *kname = guard_kind_names[r->kind];
    buf_printf(&b, "%s: %s %s rule from %s:%d (pack %s)%s\n", r->id,
               strchr("aeiou", kname[0]) ? "an" : "a", kname,
               r->file, r->line, r->pack, r->enabled ? "" : ", turned off");
    buf_printf(&b, "reads:    %s%s\n", applies[r->applies],
               r->election_only ? ", in the election period only" : "");
    if (r->when >= 0)
        buf_printf(&b, "runs:     only when a %s rule found something in the post being "
                       "answered\n",
                   guard_categories[r->when]);
    buf_printf(&b, "level:    %s", guard_severity_name(r->level));
    if (r->election_set && r->election_level > r->level)
        buf_printf(&b, " (%s in the election period)", guard_severity_name(r->election_level));
    buf_printf(&b, "%s%s\n", r->locked ? ", locked by the policy" : "",
               r->approval ? ", needs a second officer's approval" : "");
    buf_printf(&b, "message:  %s\n", r->message);
    if (r->fix)
        buf_printf(&b, "fix:      %s\n", r->fix);
    for (size_t w = 0; w < r->nwaivers; w++) {
        const struct guard_waiver *v = &r->waivers[w];
        buf_printf(&b, "%s when the post fits", w ? "          or" : "waived:  ");
        for (size_t i = 0; i < v->n; i++)
            buf_printf(&b, "%s%s", v->not[i] ? " and not " : i ? " and " : " ", v->pattern[i]);
        buf_printf(&b, "%s\n",
                   w + 1 == r->nwaivers ? " (as `tactful patterns --for-text` reads it)" : "");
    }
    if (r->kind == KIND_MODEL && r->lexmodel)
        buf_printf(&b, "model:    %s, fires above a score of %g (the words and pairs that weigh "
                       "most are shown in each finding)\n",
                   guard_lexmodel_path(r->lexmodel), r->threshold);
    struct buf names = {0};
    static const char *const heads[] = {"matches", "antipatterns (silence a match they overlap)",
                                        "exceptions (phrases that silence a match)"};
    for (int kind = 0; kind < 3; kind++) {
        bool head = false;
        for (size_t i = 0; i < r->nentries; i++) {
            const struct guard_entry *e = &r->entries[i];
            int k = !e->except ? 0 : e->anti ? 1 : 2;
            if (k != kind)
                continue;
            if (!head)
                buf_printf(&b, "%s:\n", heads[kind]);
            head = true;
            buf_printf(&b, "  %s%s%s\n", e->text, e->replacement ? " => " : "",
                       e->replacement ? e->replacement : "");
            if (r->kind == KIND_PATTERN)
                classes_used(e->text, &names);
        }
    }
    if (names.len) {
        buf_adds(&b, "word classes:\n");
        explain_classes(g, names.data, &b);
    }
    buf_free(&names);
    if (r->example_post)
        buf_printf(&b, "example post: %s\n", r->example_post);
    for (int must = 1; must >= 0; must--) {
        bool head = false;
        for (size_t i = 0; i < r->nexamples; i++) {
            if (r->examples[i].must_fire != (must == 1))
                continue;
            if (!head)
                buf_adds(&b, must ? "fires on:\n" : "stays quiet on:\n");
            head = true;
            buf_printf(&b, "  %s\n", r->examples[i].text);
        }
    }
    return buf_take(&b);
}
