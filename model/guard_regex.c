/* Regular-expression rules, with PCRE2: UTF-8 and Unicode properties on (so \b, \w and \d know
 * more than ASCII), case-insensitive unless a rule says otherwise, broken UTF-8 tolerated,
 * compiled once at load (JIT when available) and run with a match limit, so a careless
 * pattern cannot hang the composer. */
#include "model/guard_impl.h"

#include <string.h>

#define REGEX_MATCHES_MAX 1000 /* matches taken from one pattern on one text */

pcre2_code *
guard_regex_compile(const char *pattern, bool case_sensitive, char **err)
{
    int code;
    PCRE2_SIZE offset;
    uint32_t opts = PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF |
                    (case_sensitive ? 0 : PCRE2_CASELESS);
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
    pcre2_jit_compile(re, PCRE2_JIT_COMPLETE); /* the interpreter is the fallback */
    return re;
}

/* Moves pos past one code point of s (at least one byte). */
static size_t
next_cp(const char *s, size_t len, size_t pos)
{
    int32_t cp;
    return pos < len ? pos + guard_utf8_next(s, len, pos, &cp) : pos + 1;
}

void
guard_run_regex(struct guard_ctx *c, const struct guard_rule *r, struct guard_view *v)
{
    const char *subject = r->raw_scope ? guard_view_raw(v) : guard_view_masked(v);
    for (size_t k = 0; k < r->nre; k++) {
        size_t pos = 0;
        for (int n = 0; n < REGEX_MATCHES_MAX && pos <= v->len; n++) {
            int rc = pcre2_match(r->re[k], (PCRE2_SPTR)subject, v->len, pos, 0, c->md,
                                 c->g->mctx);
            if (rc < 0)
                break; /* no match, or a limit was hit: stop this pattern */
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(c->md);
            size_t start = ov[0], end = ov[1];
            pos = end > start ? end : next_cp(v->s, v->len, end);
            if (end <= start || guard_suppressed(c, r, v, start, end, true))
                continue;
            struct guard_vars vars = {.match = v->s + start, .match_len = end - start};
            guard_emit(c, r, v, start, end, &vars);
        }
    }
}
