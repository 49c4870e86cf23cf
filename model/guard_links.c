/* Links in a draft: official domains, URL shorteners and plain http; and "expect" rules, which
 * fire when a draft lacks something its situation calls for (a link for signposting, a
 * service channel for casework). */
#include "model/guard_impl.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

bool
guard_host_in(const struct guard_value *list, size_t n, const char *host, size_t len,
              bool with_user)
{
    while (len && host[len - 1] == '.')
        len--;
    /* (Each length known, most entries are ruled out by it or by the dot before them.) */
    for (size_t i = 0; i < n; i++) {
        if (list[i].user && !with_user)
            continue;
        const char *d = list[i].text;
        size_t dl = list[i].len;
        bool subs_only = d[0] == '*' && d[1] == '.';
        if (subs_only)
            d += 2, dl -= 2;
        if (len == dl && !subs_only && strncasecmp(host, d, dl) == 0)
            return true;
        if (len > dl && host[len - dl - 1] == '.' && strncasecmp(host + len - dl, d, dl) == 0)
            return true;
    }
    return false;
}

bool
guard_host_official(const struct guard *g, const char *host, size_t len, bool with_user)
{
    return guard_host_in(g->official, g->nofficial, host, len, with_user);
}

/* Whether host is a shortener by any active shortener rule. */
static bool
is_shortener(const struct guard_ctx *c, const char *host, size_t len)
{
    for (size_t i = 0; i < c->g->nrules; i++) {
        const struct guard_rule *r = &c->g->rules[i];
        if (c->active[i] && r->kind == KIND_LINK && r->sub == LINK_SHORTENER &&
            guard_host_in(r->vmatch, r->nvmatch, host, len, true) &&
            !guard_host_in(r->vexcept, r->nvexcept, host, len, !r->locked))
            return true;
    }
    return false;
}

void
guard_run_link(struct guard_ctx *c, const struct guard_rule *r, struct guard_view *v)
{
    for (size_t i = 0; i < v->nspans; i++) {
        const struct guard_span *sp = &v->spans[i];
        if (sp->kind != SPAN_URL)
            continue;
        const char *host = v->s + sp->host;
        size_t hl = sp->host_end - sp->host;
        bool user_ok = !r->locked;
        bool fire = false;
        switch (r->sub) {
        case LINK_HTTP:
            fire = sp->scheme == 1 && !guard_host_in(r->vexcept, r->nvexcept, host, hl, user_ok);
            break;
        case LINK_SHORTENER:
            fire = guard_host_in(r->vmatch, r->nvmatch, host, hl, true) &&
                   !guard_host_in(r->vexcept, r->nvexcept, host, hl, user_ok);
            break;
        default:
            fire = !guard_host_official(c->g, host, hl, user_ok) &&
                   !guard_host_in(r->vexcept, r->nvexcept, host, hl, user_ok) &&
                   !is_shortener(c, host, hl);
            break;
        }
        if (fire) {
            struct guard_vars vars = {.match = host, .match_len = hl};
            guard_emit(c, r, v, sp->start, sp->end, &vars);
        }
    }
}

/* Whether the draft gives an official service channel: an official link or mailbox, a
 * service line (03, 0800 ...), or a number the policy allows. */
static bool
has_channel(struct guard_ctx *c, struct guard_view *v)
{
    for (size_t i = 0; i < v->nspans; i++) {
        const struct guard_span *sp = &v->spans[i];
        if ((sp->kind == SPAN_URL || sp->kind == SPAN_EMAIL) &&
            guard_host_official(c->g, v->s + sp->host, sp->host_end - sp->host, true))
            return true;
    }
    if (guard_has_service_number(v))
        return true;
    guard_pii_scan(c->g, v);
    for (size_t i = 0; i < v->npii; i++)
        if (guard_contact_allowed(c->g, &v->pii[i], true))
            return true;
    return false;
}

/* The patterns the suggest rules find the post answered fits, read once a check; NULL when
 * there is no post or it cannot be read (then nothing is waived). */
static const struct guard_suggestions *
post_fits(struct guard_ctx *c)
{
    const struct guard_input *in = c->in;
    if (c->fits_read == 0) {
        char *err = NULL;
        bool ok = in->context && in->context_len &&
                  guard_suggest_all(c->g, in->context, in->context_len, &c->fits, &err) == 0;
        free(err);
        c->fits_read = ok ? 1 : -1;
    }
    return c->fits_read == 1 ? &c->fits : NULL;
}

/* Whether the post answered fits one of rule r's `waive` lines, as the suggest rules read it. */
static bool
waived(struct guard_ctx *c, const struct guard_rule *r)
{
    const struct guard_suggestions *s = r->nwaivers ? post_fits(c) : NULL;
    if (s == NULL)
        return false;
    for (size_t w = 0; w < r->nwaivers; w++) {
        const struct guard_waiver *v = &r->waivers[w];
        bool ok = true;
        for (size_t i = 0; i < v->n && ok; i++) {
            bool fits = false;
            for (size_t k = 0; k < s->n && !fits; k++)
                fits = s->v[k].pattern == v->pattern[i];
            ok = fits != v->not[i];
        }
        if (ok)
            return true;
    }
    return false;
}

void
guard_run_expect(struct guard_ctx *c, const struct guard_rule *r, struct guard_view *v)
{
    const struct guard_input *in = c->in;
    if (v->source != GUARD_DRAFT)
        return;
    if (r->pattern && (in->pattern == NULL || strcmp(in->pattern, r->pattern) != 0))
        return;
    size_t ri = (size_t)(r - c->g->rules);
    for (size_t i = 0; i < v->nhits; i++)
        if (c->g->phrases.v[v->hits[i].phrase].rule == ri)
            return; /* one of its match phrases stands in for what it needs */
    bool ok = false;
    switch (r->sub) {
    case NEED_LINK:
    case NEED_OFFICIAL_LINK:
        for (size_t i = 0; i < v->nspans && !ok; i++) {
            const struct guard_span *sp = &v->spans[i];
            ok = sp->kind == SPAN_URL &&
                 (r->sub == NEED_LINK || guard_host_official(c->g, v->s + sp->host,
                                                             sp->host_end - sp->host, true));
        }
        break;
    case NEED_CHANNEL:
        ok = has_channel(c, v);
        break;
    default:
        ok = in->pattern && r->need_pattern && strcmp(in->pattern, r->need_pattern) == 0;
        break;
    }
    if (ok || waived(c, r))
        return;
    /* Point at the end of the text, where the missing part would go. */
    size_t end = v->len;
    while (end > 0 && guard_in_set(" \t\r\n", v->s[end - 1]))
        end--;
    struct guard_vars vars = {.pattern = r->need_pattern ? r->need_pattern : in->pattern};
    guard_emit(c, r, v, end, end, &vars);
}
