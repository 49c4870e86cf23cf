/* Length rules: a draft over its platform's limit, counted the way the platform counts
 * (model/platform_length.c, the same count the adapters make before a send); Bluesky also caps
 * the bytes. */
#include "model/guard_impl.h"
#include "model/platform.h"

#include <stdio.h>
#include <string.h>
#include <utf8proc.h>

long
guard_count_graphemes(const char *s, size_t len)
{
    long n = 0;
    utf8proc_int32_t prev = -1, state = 0;
    for (size_t i = 0; i < len;) {
        int32_t cp;
        i += guard_utf8_next(s, len, i, &cp);
        if (cp < 0)
            cp = 0xFFFD;
        if (prev < 0) {
            n++;
        } else if (prev < 0x80 && cp < 0x80) {
            state = 0;
            n += !(prev == '\r' && cp == '\n');
        } else if (utf8proc_grapheme_break_stateful(prev, cp, &state)) {
            n++;
        }
        prev = cp;
    }
    return n;
}

/* Emits the near-limit note: info, with a message of its own. */
static void
near_limit(struct guard_ctx *c, const struct guard_rule *r, const struct guard_view *v,
           long count, size_t from, size_t to)
{
    struct guard_rule note = *r;
    char msg[160];
    snprintf(msg, sizeof msg, "{count} of the {max} characters %s allows are used.",
             r->platform);
    note.message = msg;
    note.fix = NULL;
    struct guard_vars vars = {.count = count, .max = r->max, .platform = r->platform,
                              .unit = "characters"};
    guard_emit_severity(c, &note, v, from, to, &vars, GUARD_INFO);
}

void
guard_run_length(struct guard_ctx *c, const struct guard_rule *r, struct guard_view *v)
{
    if (v->source != GUARD_DRAFT || c->in->platform == NULL ||
        strcmp(c->in->platform, r->platform) != 0)
        return;
    size_t from, to, over_at;
    platform_length_trim(v->s, v->len, &from, &to);
    long count = platform_length_view(platform_find(r->platform), v, from, to, 0, r->max,
                                      &over_at);
    struct guard_vars vars = {.count = count, .max = r->max, .over = count - r->max,
                              .platform = r->platform, .unit = "characters"};
    if (count > r->max) {
        guard_emit(c, r, v, over_at, to, &vars);
        return;
    }
    long bytes;
    if (r->max_bytes > 0 && (long)(to - from) > r->max_bytes &&
        (bytes = platform_sent_bytes(platform_find(r->platform), v, from, to)) > r->max_bytes) {
        size_t at = from + (size_t)r->max_bytes;
        while (at > from && ((unsigned char)v->s[at] & 0xC0) == 0x80)
            at--;
        vars.count = bytes;
        vars.max = r->max_bytes;
        vars.over = vars.count - r->max_bytes;
        vars.unit = "bytes";
        guard_emit(c, r, v, at, to, &vars);
        return;
    }
    if (r->warn > 0 && count * 100 >= r->warn * r->max)
        near_limit(c, r, v, count, from, to);
}

int
guard_length_count(const struct guard *g, const char *platform, const char *text, size_t len,
                   struct guard_length *out)
{
    memset(out, 0, sizeof *out);
    if (platform == NULL || len > GUARD_TEXT_MAX)
        return 0;
    const struct guard_rule *r = NULL;
    for (size_t i = 0; i < g->nrules; i++)
        if (g->rules[i].kind == KIND_LENGTH && g->rules[i].enabled &&
            strcmp(g->rules[i].platform, platform) == 0)
            r = &g->rules[i];
    if (r == NULL)
        return 0;
    struct guard_view v;
    guard_view_init(&v, text ? text : "", text ? len : 0, GUARD_DRAFT);
    guard_view_tokenize(&v);
    size_t from, to, over_at;
    platform_length_trim(v.s, v.len, &from, &to);
    out->count = platform_length_view(platform_find(platform), &v, from, to, 0, r->max,
                                      &over_at);
    out->max = r->max;
    out->warn = r->warn;
    out->bytes = platform_sent_bytes(platform_find(platform), &v, from, to);
    out->max_bytes = r->max_bytes;
    guard_view_free(&v);
    return 1;
}
