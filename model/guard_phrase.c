/* The phrase matcher: every phrase of every rule (matches, excepts and allow-listed words) in
 * one table keyed by the hash of its first word, so that a check looks each word of the draft
 * up once instead of running one pattern per rule. Phrases are tokenised exactly as drafts
 * are, so word boundaries never need writing by hand. */
#include "model/guard_impl.h"

#include <string.h>

/* Appends len bytes to the pool; returns their offset. */
static uint32_t
pool_add(struct phrase_set *set, const char *s, size_t len)
{
    if (set->poollen + len + 1 > set->poolcap) {
        set->poolcap = (set->poollen + len + 1) * 2;
        set->pool = xrealloc(set->pool, set->poolcap);
    }
    uint32_t off = (uint32_t)set->poollen;
    memcpy(set->pool + off, s, len);
    set->poollen += len;
    set->pool[set->poollen] = '\0';
    return off;
}

/* Adds one phrase token; its folded form shares the raw one's bytes when they are the same
 * (most words are written in lower case). */
static void
tok_add(struct phrase_set *set, const char *raw, size_t raw_len, const char *fold,
        size_t fold_len, uint8_t wild)
{
    if (set->ntoks == set->captoks) {
        set->captoks = set->captoks ? set->captoks * 2 : 256;
        set->toks = xreallocarray(set->toks, set->captoks, sizeof *set->toks);
    }
    struct phrase_tok *t = &set->toks[set->ntoks++];
    t->raw = pool_add(set, raw, raw_len);
    t->raw_len = (uint32_t)raw_len;
    bool same = fold_len == raw_len && memcmp(raw, fold, raw_len) == 0;
    t->fold = same ? t->raw : pool_add(set, fold, fold_len);
    t->fold_len = (uint32_t)fold_len;
    t->wild = wild;
    t->hash = wild == WILD_PREFIX && fold_len >= 3 ? guard_hash(fold, 3)
                                                   : guard_hash(fold, fold_len);
}

int
guard_phrase_tokens(struct phrase_set *set, const char *text, uint32_t *tok, uint16_t *ntoks,
                    char **err)
{
    size_t first_tok = set->ntoks, ntok = 0;
    const char *p = text;
    *err = NULL;
    while (*p) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '\0')
            break;
        const char *w = p;
        while (*p && *p != ' ' && *p != '\t')
            p++;
        size_t wlen = (size_t)(p - w);
        uint8_t wild = WILD_NONE;
        if (wlen == 1 && *w == '*') {
            if (ntok == 0) {
                *err = xasprintf("'%s' starts with '*'; a phrase must start with a word", text);
                goto fail;
            }
            tok_add(set, "*", 1, "*", 1, WILD_ANY);
            ntok++;
            continue;
        }
        if (w[wlen - 1] == '*') {
            wild = WILD_PREFIX;
            wlen--;
        }
        if (strchr("/\\.,;:!?()[]{}<>\"&%+=|~^", *w) != NULL) {
            *err = xasprintf("'%.*s' in '%s' starts with punctuation, which phrases ignore; "
                             "use a regex rule to match punctuation",
                             (int)wlen, w, text);
            goto fail;
        }
        if (guard_plain_word(w, wlen)) {
            if (ntok + 1 > GUARD_PHRASE_TOKENS) {
                *err = xasprintf("'%s' has more than %d words", text, GUARD_PHRASE_TOKENS);
                goto fail;
            }
            if (wild == WILD_PREFIX && ntok == 0 && wlen < 3) {
                *err = xasprintf("'%s': a phrase's first word needs at least 3 letters "
                                 "before '*'",
                                 text);
                goto fail;
            }
            char fold[64];
            for (size_t i = 0; i < wlen; i++)
                fold[i] = (char)(w[i] >= 'A' && w[i] <= 'Z' ? w[i] + 32 : w[i]);
            tok_add(set, w, wlen, fold, wlen, wild);
            ntok++;
            continue;
        }
        struct guard_view v;
        guard_view_init(&v, w, wlen, GUARD_DRAFT);
        guard_view_tokenize(&v);
        if (v.ntoks == 0 || v.nspans > 0) {
            *err = v.nspans ? xasprintf("'%s' holds a link, address, @handle or #hashtag, "
                                        "which phrases never see; use a regex rule with "
                                        "scope = raw",
                                        text)
                            : xasprintf("'%.*s' in '%s' has no word to match", (int)wlen, w, text);
            guard_view_free(&v);
            goto fail;
        }
        if (ntok + v.ntoks > GUARD_PHRASE_TOKENS) {
            *err = xasprintf("'%s' has more than %d words", text, GUARD_PHRASE_TOKENS);
            guard_view_free(&v);
            goto fail;
        }
        for (size_t i = 0; i < v.ntoks; i++) {
            const struct guard_tok *t = &v.toks[i];
            uint8_t tw = i + 1 == v.ntoks ? wild : WILD_NONE;
            if (tw == WILD_PREFIX && ntok == 0 && t->fold_len < 3) {
                *err = xasprintf("'%s': a phrase's first word needs at least 3 letters "
                                 "before '*'",
                                 text);
                guard_view_free(&v);
                goto fail;
            }
            tok_add(set, w + t->start, t->end - t->start, v.fold + t->fold, t->fold_len, tw);
            ntok++;
        }
        guard_view_free(&v);
    }
    if (ntok == 0) {
        *err = xasprintf("the phrase is empty");
        goto fail;
    }
    *tok = (uint32_t)first_tok;
    *ntoks = (uint16_t)ntok;
    return 0;
fail:
    set->ntoks = first_tok;
    return -1;
}

void
guard_phrase_push(struct phrase_set *set, uint32_t tok, uint16_t ntok, uint32_t rule,
                  uint16_t flags, const char *replacement)
{
    if (set->n == set->cap) {
        set->cap = set->cap ? set->cap * 2 : 128;
        set->v = xreallocarray(set->v, set->cap, sizeof *set->v);
    }
    set->v[set->n++] = (struct phrase){.rule = rule,
                                       .ntok = ntok,
                                       .flags = flags,
                                       .tok = tok,
                                       .replacement = replacement};
}

int
guard_phrase_add(struct phrase_set *set, const char *text, uint32_t rule, uint16_t flags,
                 const char *replacement, char **err)
{
    uint32_t tok;
    uint16_t ntok;
    if (guard_phrase_tokens(set, text, &tok, &ntok, err) != 0)
        return -1;
    guard_phrase_push(set, tok, ntok, rule, flags, replacement);
    return 0;
}

void
guard_phrase_build(struct phrase_set *set)
{
    size_t size = 64;
    while (size < set->n * 2)
        size *= 2;
    free(set->exact);
    free(set->prefix);
    set->exact = xcalloc(size, sizeof *set->exact);
    set->prefix = xcalloc(size, sizeof *set->prefix);
    set->mask = size - 1;
    /* Chains are built back to front so that each lists its phrases in load order. */
    for (size_t i = set->n; i-- > 0;) {
        struct phrase *p = &set->v[i];
        const struct phrase_tok *t = &set->toks[p->tok];
        uint32_t *heads = t->wild == WILD_PREFIX ? set->prefix : set->exact;
        size_t b = t->hash & set->mask;
        p->next = heads[b];
        heads[b] = (uint32_t)i + 1;
    }
}

void
guard_phrase_free(struct phrase_set *set)
{
    free(set->v);
    free(set->toks);
    free(set->pool);
    free(set->exact);
    free(set->prefix);
    memset(set, 0, sizeof *set);
}

/* Whether phrase token pt matches text token vt of view v. */
static bool
tok_matches(const struct phrase_set *set, const struct phrase_tok *pt, bool case_sensitive,
            const struct guard_view *v, const struct guard_tok *vt)
{
    if (pt->wild == WILD_ANY)
        return (vt->flags & TOK_WORD) != 0;
    const char *want, *have;
    size_t wlen, hlen;
    if (case_sensitive) {
        want = set->pool + pt->raw;
        wlen = pt->raw_len;
        have = v->s + vt->start;
        hlen = vt->end - vt->start;
    } else {
        want = set->pool + pt->fold;
        wlen = pt->fold_len;
        have = v->fold + vt->fold;
        hlen = vt->fold_len;
    }
    if (pt->wild == WILD_PREFIX)
        return hlen >= wlen && guard_same_bytes(want, have, wlen);
    if (hlen == wlen)
        return guard_same_bytes(want, have, wlen);
    /* A possessive matches the plain word: "Party's" and "Party’s" match "Party". */
    return hlen > wlen && guard_same_bytes(want, have, wlen) &&
           ((hlen == wlen + 2 && memcmp(have + wlen, "'s", 2) == 0) ||
            (hlen == wlen + 4 && memcmp(have + wlen, "\xE2\x80\x99s", 4) == 0));
}

/* Whether only spaces and commas stand between token t and the one before it: an except
 * phrase reads a list written with commas ("STOP, CHALLENGE, PROTECT") as its words. */
static bool
comma_joined(const struct guard_view *v, const struct guard_tok *t)
{
    const struct guard_tok *prev = t - 1;
    bool comma = false;
    for (size_t k = prev->end; k < t->start; k++) {
        if (v->s[k] == ',' && !comma)
            comma = true;
        else if (v->s[k] != ' ')
            return false;
    }
    return true;
}

/* Whether phrase p matches the tokens of v from index i; sets *last to its last token. */
static bool
phrase_matches(const struct phrase_set *set, const struct phrase *p,
               const struct guard_view *v, size_t i, size_t *last)
{
    if (i + p->ntok > v->ntoks)
        return false;
    bool cs = (p->flags & PHRASE_CASE) != 0;
    for (size_t j = 0; j < p->ntok; j++) {
        const struct guard_tok *vt = &v->toks[i + j];
        if (j > 0 && !(vt->flags & TOK_JOINED) &&
            !((p->flags & PHRASE_EXCEPT) && comma_joined(v, vt)))
            return false;
        if (!tok_matches(set, &set->toks[p->tok + j], cs, v, vt))
            return false;
    }
    *last = i + p->ntok - 1;
    return true;
}

/* Whether phrase p takes part in this check for view v. */
static bool
phrase_live(const struct guard_ctx *c, const struct phrase *p, const struct guard_view *v)
{
    if (p->flags & PHRASE_ALLOW)
        return true;
    return c->active[p->rule] && guard_rule_applies(&c->g->rules[p->rule], v);
}

/* Records a hit of phrase on [start, end): with the suppressors when it is an except or
 * allow phrase, else with the matches. */
static void
hit_add(struct guard_view *v, const struct phrase *p, uint32_t phrase, uint32_t start,
        uint32_t end)
{
    bool sup = (p->flags & (PHRASE_EXCEPT | PHRASE_ALLOW)) != 0;
    struct guard_hit **list = sup ? &v->sup : &v->hits;
    size_t *n = sup ? &v->nsup : &v->nhits, *cap = sup ? &v->capsup : &v->caphits;
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 32;
        *list = xreallocarray(*list, *cap, sizeof **list);
    }
    (*list)[(*n)++] = (struct guard_hit){phrase, start, end};
    if (sup && end - start > v->sup_maxlen)
        v->sup_maxlen = end - start;
}

/* Looks up the chain starting at head+1 for token i and records every match. */
static void
scan_chain(const struct guard_ctx *c, struct guard_view *v, uint32_t head, size_t i)
{
    const struct phrase_set *set = &c->g->phrases;
    for (uint32_t k = head; k; k = set->v[k - 1].next) {
        const struct phrase *p = &set->v[k - 1];
        size_t last;
        if (phrase_live(c, p, v) && phrase_matches(set, p, v, i, &last))
            hit_add(v, p, k - 1, v->toks[i].start, v->toks[last].end);
    }
}

void
guard_phrase_scan(const struct guard_ctx *c, struct guard_view *v)
{
    const struct phrase_set *set = &c->g->phrases;
    v->nhits = v->nsup = v->sup_maxlen = 0;
    if (set->n == 0)
        return;
    for (size_t i = 0; i < v->ntoks; i++) {
        const struct guard_tok *t = &v->toks[i];
        scan_chain(c, v, set->exact[t->hash & set->mask], i);
        if (t->shash)
            scan_chain(c, v, set->exact[t->shash & set->mask], i);
        if (t->phash)
            scan_chain(c, v, set->prefix[t->phash & set->mask], i);
    }
}

bool
guard_phrase_token_listed(const struct guard *g, uint32_t rule, const struct guard_view *v,
                          const struct guard_tok *t, bool except)
{
    const struct phrase_set *set = &g->phrases;
    if (set->n == 0)
        return false;
    bool locked = g->rules[rule].locked;
    for (uint32_t k = set->exact[t->hash & set->mask]; k; k = set->v[k - 1].next) {
        const struct phrase *p = &set->v[k - 1];
        if (p->ntok != 1)
            continue;
        bool mine = p->rule == rule && !(p->flags & PHRASE_ALLOW) &&
                    ((p->flags & PHRASE_EXCEPT) != 0) == except;
        bool allowed = except && (p->flags & PHRASE_ALLOW) &&
                       !((p->flags & PHRASE_USER) && locked);
        if ((mine || allowed) &&
            tok_matches(set, &set->toks[p->tok], (p->flags & PHRASE_CASE) != 0, v, t))
            return true;
    }
    return false;
}
