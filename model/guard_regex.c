/* Regular-expression rules, with PCRE2: UTF-8 and Unicode properties on (so \b, \w and \d know
 * more than ASCII), case-insensitive unless a rule says otherwise, compiled once at load (JIT
 * when available) and run with a match limit, so a careless pattern cannot hang the composer.
 * A rule's code is for valid UTF-8, checked once per text (quicker than code that tolerates
 * broken UTF-8 and runs its own checks); a text with broken UTF-8 is matched with code that
 * tolerates it, compiled on first need. */
#include "model/guard_impl.h"

#include <stdlib.h>
#include <string.h>

#define REGEX_MATCHES_MAX 1000 /* matches taken from one pattern on one text */
#define REGEX_ANCHORED_MAX 256 /* places tried one by one; past that, searched from the first */

/* Whether p (at a '{') opens an unbounded repeat such as {2,}. */
static bool
unbounded_brace(const char *p)
{
    const char *close = strchr(p, '}');
    return close && close > p + 1 && close[-1] == ',';
}

/* Whether the quantifier at p (if any) repeats without bound: *, + or {n,}. */
static bool
unbounded_at(const char *p)
{
    return *p == '*' || *p == '+' || (*p == '{' && unbounded_brace(p));
}

/* Moves past an atom's quantifier (and a lazy or possessive mark after it). */
static const char *
skip_quantifier(const char *p)
{
    if (*p == '*' || *p == '+' || *p == '?')
        p++;
    else if (*p == '{' && strchr(p, '}'))
        p = strchr(p, '}') + 1;
    if (*p == '?' || *p == '+')
        p++;
    return p;
}

/* Whether a pattern repeats without bound a group that itself holds an unbounded repeat and
 * nothing it must match each time, as in (x+x+)+y or (\w+\s?)*: such a pattern can take
 * exponential time on some text. A group with a required item in it, like (?:[a-z]+\.)*, is
 * delimited and not counted. */
static bool
nested_repeat(const char *p)
{
    int depth = 0;
    bool repeat[33] = {0}, required[33] = {0};
    while (*p) {
        bool atom = true;
        if (*p == '\\' && p[1]) {
            atom = strchr("bBAzZGK", p[1]) == NULL;
            p += 2;
        } else if (*p == '[') {
            p++;
            if (*p == '^')
                p++;
            if (*p == ']')
                p++;
            while (*p && *p != ']')
                p += *p == '\\' && p[1] ? 2 : 1;
            if (*p == '\0')
                return false;
            p++;
        } else if (*p == '(') {
            p++;
            if (*p == '?') /* (?: (?= (?! (?<name> and the like */
                while (*p && !strchr(":=!>)", *p))
                    p++;
            if (*p && *p != ')' && p[-1] == '?')
                p++;
            else if (*p && strchr(":=!>", *p))
                p++;
            if (depth < 32) {
                depth++;
                repeat[depth] = required[depth] = false;
            }
            continue;
        } else if (*p == ')') {
            p++;
            if (depth == 0)
                continue;
            bool rep = repeat[depth], req = required[depth];
            depth--;
            if (unbounded_at(p) && rep && !req)
                return true;
            if (unbounded_at(p) || rep)
                repeat[depth] = true;
            else if (req && (*p != '?' && *p != '*' && !(*p == '{' && p[1] == '0')))
                required[depth] = true;
            p = skip_quantifier(p);
            continue;
        } else if (strchr("|^$.", *p)) {
            atom = *p == '.';
            p++;
        } else {
            p++;
        }
        if (!atom)
            continue;
        if (unbounded_at(p))
            repeat[depth] = true;
        else if (*p != '?' && *p != '*' && !(*p == '{' && p[1] == '0'))
            required[depth] = true;
        p = skip_quantifier(p);
    }
    return false;
}

/* Compiles a pattern; broken_utf makes code that tolerates broken UTF-8 in subjects, anchored
 * code that matches only where it is started. */
static pcre2_code *
compile_as(const char *pattern, bool case_sensitive, bool jit, bool broken_utf, bool anchored,
           char **err)
{
    int code;
    PCRE2_SIZE offset;
    uint32_t opts = PCRE2_UTF | PCRE2_UCP | (broken_utf ? PCRE2_MATCH_INVALID_UTF : 0) |
                    (case_sensitive ? 0 : PCRE2_CASELESS) | (anchored ? PCRE2_ANCHORED : 0);
    /* A pattern that can backtrack exponentially is run without the shortcuts that hide its
     * cost on most texts, so that it fails closed (a held reply) on every long text rather than
     * passing some and hanging on others: the office sees the rule needs fixing at once. */
    if (nested_repeat(pattern))
        opts |= PCRE2_NO_START_OPTIMIZE | PCRE2_NO_AUTO_POSSESS | PCRE2_NO_DOTSTAR_ANCHOR;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, opts, &code,
                                   &offset, NULL);
    if (re == NULL) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(code, msg, sizeof msg);
        *err = xasprintf("the regular expression '%s' is broken: %s (at character %zu); "
                         "fix it or write the rule as a phrase",
                         pattern, (const char *)msg, (size_t)offset + 1);
        return NULL;
    }
    if (jit)
        pcre2_jit_compile(re, PCRE2_JIT_COMPLETE); /* the interpreter is the fallback */
    return re;
}

/* Compiles a pattern, not anchored. */
static pcre2_code *
compile(const char *pattern, bool case_sensitive, bool jit, bool broken_utf, char **err)
{
    return compile_as(pattern, case_sensitive, jit, broken_utf, false, err);
}

pcre2_code *
guard_regex_compile_jit(const char *pattern, bool case_sensitive, bool jit, char **err)
{
    return compile(pattern, case_sensitive, jit, true, err);
}

pcre2_code *
guard_regex_compile_valid(const char *pattern, bool case_sensitive, char **err)
{
    return compile(pattern, case_sensitive, false, false, err);
}

pcre2_code *
guard_regex_utf_probe(void)
{
    char *err = NULL;
    pcre2_code *re = compile("", true, false, false, &err);
    free(err);
    return re;
}

bool
guard_regex_utf_valid(const pcre2_code *probe, const char *s, size_t len, pcre2_match_data *md)
{
    /* Without PCRE2_NO_UTF_CHECK, PCRE2 checks the whole subject before matching. */
    return probe != NULL && pcre2_match(probe, (PCRE2_SPTR)s, len, 0, 0, md, NULL) >= 0;
}

pcre2_code *
guard_regex_compile(const char *pattern, bool case_sensitive, char **err)
{
    return guard_regex_compile_jit(pattern, case_sensitive, true, err);
}

/* Moves pos past one code point of s (at least one byte). */
static size_t
next_cp(const char *s, size_t len, size_t pos)
{
    int32_t cp;
    return pos < len ? pos + guard_utf8_next(s, len, pos, &cp) : pos + 1;
}

/* Whether a regex subject of v (raw or masked, made already) is valid UTF-8, checked once. */
static bool
subject_valid(const struct guard_ctx *c, struct guard_view *v, bool raw)
{
    int8_t *known = raw ? &v->raw_utf : &v->masked_utf;
    if (*known == 0)
        *known = guard_regex_utf_valid(c->g->utf_probe, raw ? v->raw : v->masked, v->len,
                                       c->md) ? 1 : -1;
    return *known > 0;
}

/* Pattern k of r for a subject with broken UTF-8, compiled (with JIT) on first need: rule
 * patterns are compiled for valid UTF-8, which nearly every text is. NULL when it cannot be
 * compiled, which does not happen to a pattern that compiled once. */
static pcre2_code *
broken_utf_code(const struct guard_rule *r, size_t k)
{
    if (r->re_broken[k] == NULL) {
        char *err = NULL;
        r->re_broken[k] = guard_regex_compile_jit(r->re_text[k], r->case_sensitive, true, &err);
        free(err);
    }
    return r->re_broken[k];
}

/* Pattern k of r compiled for valid UTF-8 and anchored (with JIT), on first need: to try it at
 * the few places a match can start. NULL when it cannot be compiled. */
static pcre2_code *
anchored_code(const struct guard_rule *r, size_t k)
{
    if (r->re_anchored[k] == NULL) {
        char *err = NULL;
        r->re_anchored[k] = compile_as(r->re_text[k], r->case_sensitive, true, false, true, &err);
        free(err);
    }
    return r->re_anchored[k];
}

/* Whether [start, end) lies inside a number or mailbox the office publishes (found by the
 * personal-data scanner and allowed by the policy): no personal-data regex reports it. */
static bool
published_contact(struct guard_ctx *c, const struct guard_rule *r, struct guard_view *v,
                  size_t start, size_t end)
{
    if (strcmp(r->category, "personal-data") != 0)
        return false;
    guard_pii_scan(c->g, v);
    for (size_t i = 0; i < v->npii; i++) {
        const struct pii_match *m = &v->pii[i];
        if (m->start <= start && end <= m->end && guard_contact_allowed(c->g, m, !r->locked))
            return true;
    }
    return false;
}

/* The places of v's subject where pattern k of r can start a match; NULL when it must be
 * tried everywhere (no leads, or a text with broken UTF-8). */
static const struct guard_recands *
lead_places(struct guard_ctx *c, const struct guard_rule *r, size_t k, struct guard_view *v,
            const char *subject, bool valid)
{
    if (r->re_lead[k] == NULL) {
        r->re_lead[k] = xmalloc(sizeof *r->re_lead[k]);
        guard_relead_find(r->re_text[k], r->case_sensitive, nested_repeat(r->re_text[k]),
                          r->re_lead[k]);
    }
    const struct guard_relead *lead = r->re_lead[k];
    if (!valid || (lead->kind == RELEAD_NONE && !lead->has_req && lead->nanyof == 0))
        return NULL;
    if (v->reindex == NULL)
        v->reindex = guard_reindex_new(v->s, v->len);
    return guard_relead_places(lead, v->reindex, r->raw_scope, subject, v->len, &c->cands);
}

/* The next match of re in subject at or after pos: tried only at the places in cands (from
 * *next on) with anchored (its anchored code) when those are given and few, searched from the
 * first of them on when many, everywhere when not given. The result is PCRE2's, as if the
 * whole subject had been searched. */
static int
next_match(struct guard_ctx *c, pcre2_code *re, pcre2_code *anchored, const char *subject,
           size_t len, size_t pos, uint32_t opts, const struct guard_recands *cands,
           size_t *next)
{
    if (cands == NULL)
        return pcre2_match(re, (PCRE2_SPTR)subject, len, pos, opts, c->md, c->g->mctx);
    while (*next < cands->n && cands->at[*next] < pos)
        (*next)++;
    if (*next == cands->n)
        return PCRE2_ERROR_NOMATCH;
    if (anchored == NULL || cands->n - *next > REGEX_ANCHORED_MAX)
        return pcre2_match(re, (PCRE2_SPTR)subject, len, cands->at[*next], opts, c->md,
                           c->g->mctx);
    for (; *next < cands->n; (*next)++) {
        /* The JIT's own entry, without pcre2_match's checks of its arguments (made once
         * here); pcre2_match when the code has no JIT. */
        int rc = pcre2_jit_match(anchored, (PCRE2_SPTR)subject, len, cands->at[*next], opts,
                                 c->md, c->g->mctx);
        if (rc == PCRE2_ERROR_JIT_BADOPTION)
            rc = pcre2_match(anchored, (PCRE2_SPTR)subject, len, cands->at[*next], opts, c->md,
                             c->g->mctx);
        if (rc != PCRE2_ERROR_NOMATCH)
            return rc;
    }
    return PCRE2_ERROR_NOMATCH;
}

void
guard_run_regex(struct guard_ctx *c, const struct guard_rule *r, struct guard_view *v)
{
    const char *subject = r->raw_scope ? guard_view_raw(v) : guard_view_masked(v);
    bool valid = subject_valid(c, v, r->raw_scope);
    for (size_t k = 0; k < r->nre; k++) {
        pcre2_code *re = r->re[k];
        if (valid && !r->re_jit[k]) {
            /* JIT-compiled when first run, not at load: most checks run only some regex
             * rules, and starting the composer should not wait for all of them. */
            pcre2_jit_compile(re, PCRE2_JIT_COMPLETE); /* the interpreter is the fallback */
            r->re_jit[k] = 1;
        } else if (!valid && (re = broken_utf_code(r, k)) == NULL) {
            guard_emit_unfinished(c, r, v, "its regular expression could not be compiled");
            return;
        }
        uint32_t opts = valid ? PCRE2_NO_UTF_CHECK : 0;
        const struct guard_recands *cands = lead_places(c, r, k, v, subject, valid);
        pcre2_code *anchored =
            cands && cands->n <= REGEX_ANCHORED_MAX ? anchored_code(r, k) : NULL;
        size_t pos = 0, next = 0;
        for (int n = 0; n < REGEX_MATCHES_MAX && pos <= v->len; n++) {
            int rc = next_match(c, re, anchored, subject, v->len, pos, opts, cands, &next);
            if (rc == PCRE2_ERROR_NOMATCH)
                break;
            if (rc < 0) {
                /* A limit was hit: fail closed, once for the rule. */
                guard_emit_unfinished(c, r, v, "its regular expression hit the match limit");
                return;
            }
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(c->md);
            size_t start = ov[0], end = ov[1];
            pos = end > start ? end : next_cp(v->s, v->len, end);
            if (end <= start || guard_suppressed(c, r, v, start, end, true) ||
                published_contact(c, r, v, start, end))
                continue;
            struct guard_vars vars = {.match = v->s + start, .match_len = end - start};
            guard_emit(c, r, v, start, end, &vars);
        }
    }
}
