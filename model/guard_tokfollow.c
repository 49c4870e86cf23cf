/* What may follow a token pattern's first word. Most tries of a pattern start at a common
 * word ("we", "the", "you") and fail at the next one; so the words that can come second in a
 * match are noted at load in a small bit filter, and a try whose second word is not in it is
 * passed over without running the matcher.
 *
 * The filter only passes over tries that cannot match: every part that could take the second
 * word is a word, a prefix of 3 letters or more, a stem, or a set of those (anything else, a
 * gap, '!', /re/ or '*', leaves the pattern without a filter), and no match is one word long.
 * And it passes over only tries that could not have hit a limit either: the matcher's steps
 * on the way to failing at the second word are bounded at load, and a pattern whose bound
 * could pass TP_STEPS_MAX, that nests to the limit or that can try a /re/ (or a '!') at its
 * first word keeps no filter, so that a limit reached still fails closed as before.
 *
 * The same walk bounds a whole try on any text: a pattern whose tries all stay within the
 * limits is marked bounded, and a check may then pass over its tries in a sentence that lacks
 * one of the words every match holds (guard_tokpat.c). */
#include "model/guard_impl.h"

#define BOUND_MAX ((uint64_t)1 << 40) /* saturation for step bounds */

/* What the matcher can do from a node of a sequence to the sequence's end, in two places: at
 * a word that nothing can take (the second word, when it is not in the filter), and at the
 * match's first word, which may be taken once. */
struct sfx {
    uint64_t b, e;            /* at the second word: steps, and ways to the end taking none */
    uint64_t w, c;            /* at the first: steps, and ways to the end taking just it */
    uint64_t first[TP_FOLLOW_WORDS];  /* words that can be taken first from here */
    uint64_t second[TP_FOLLOW_WORDS]; /* words that can be taken second from here */
    bool fopen, sopen;        /* something other than words could be taken first, second */
    bool fstems, sstems;      /* stems among them */
    bool bad;                 /* a /re/ could be tried at the first word (its limit met) */
    uint64_t f, o;            /* on any words: steps to the end, and ways to reach it */
    bool re;                  /* a /re/ could be tried anywhere (its limit met) */
};

/* Saturating sum and product of bounds. */
static uint64_t
add_bound(uint64_t a, uint64_t b)
{
    return a + b >= BOUND_MAX ? BOUND_MAX : a + b;
}

static uint64_t
mul_bound(uint64_t a, uint64_t b)
{
    return a && b > BOUND_MAX / a ? BOUND_MAX : a * b;
}

/* Adds a hash of the given kind to a filter. */
static void
bits_add(uint64_t *bits, unsigned kind, uint32_t hash)
{
    unsigned b = tp_follow_bit(kind, hash);
    bits[b / 64] |= (uint64_t)1 << (b % 64);
}

/* Adds filter from into filter to. */
static void
bits_or(uint64_t *to, const uint64_t *from)
{
    for (size_t k = 0; k < TP_FOLLOW_WORDS; k++)
        to[k] |= from[k];
}

/* Notes in x->first the words a one-word node takes; sets x->fopen when they cannot be
 * told by a word. */
static void
node_keys(const struct tp_store *s, const struct tp_node *n, struct sfx *x)
{
    uint32_t set, nset;
    switch (n->op) {
    case TP_WORD:
        bits_add(x->first, TP_FOLLOW_WORD, guard_hash(s->pool + n->str, n->len));
        break;
    case TP_PREFIX:
        if (n->len >= 3)
            bits_add(x->first, TP_FOLLOW_PREFIX, guard_hash(s->pool + n->str, 3));
        else
            x->fopen = true;
        break;
    case TP_STEM:
        bits_add(x->first, TP_FOLLOW_STEM, guard_hash(s->pool + n->str, n->len));
        bits_add(x->first, TP_FOLLOW_STEM_START,
                 guard_hash(s->pool + n->str, tp_stem_start(n->len)));
        x->fstems = true;
        break;
    case TP_GROUP:
    case TP_CLASS: /* a word set */
        tp_node_set(s, n, &set, &nset);
        for (uint32_t k = 0; k < nset; k++) {
            const struct tp_setent *m = &s->sets[set + k];
            bool stem = s->nodes[m->node].op == TP_STEM;
            bits_add(x->first, stem ? TP_FOLLOW_STEM : TP_FOLLOW_WORD, m->hash);
            if (stem) {
                const struct tp_node *sn = &s->nodes[m->node];
                bits_add(x->first, TP_FOLLOW_STEM_START,
                         guard_hash(s->pool + sn->str, tp_stem_start(sn->len)));
            }
            x->fstems |= stem;
        }
        break;
    default: /* any word, a regular expression */
        x->fopen = true;
        break;
    }
}

/* Whether one-word node n is or holds (through '!' of a group or class) a regular
 * expression, which the matcher may try on a word. */
static bool
holds_regex(const struct tp_store *s, const struct tp_node *n, int depth)
{
    if (n->op == TP_REGEX)
        return true;
    if ((n->op != TP_GROUP && n->op != TP_CLASS) || (n->op == TP_CLASS && n->alt == UINT32_MAX))
        return false;
    if (depth >= TP_DEPTH_MAX)
        return true; /* (deeper than the matcher goes: assume the worst) */
    uint32_t alt, nalt;
    tp_node_alts(s, n, &alt, &nalt);
    for (uint32_t a = 0; a < nalt; a++) {
        const struct tp_seq *q = &s->seqs[s->alts[alt + a]];
        for (uint32_t k = 0; k < q->n; k++)
            if (holds_regex(s, &s->nodes[q->node + k], depth + 1))
                return true;
    }
    return false;
}

/* What a group's or class's alternatives do, summed: the parts of struct sfx, with nest the
 * deepest nesting of groups in them. */
struct summary {
    struct sfx sum;
    int nest;
    bool done;
};

/* Work done once per load: the summaries of the word classes, which many patterns share. */
struct follow_work {
    const struct tp_store *s;
    struct summary *classes;
};

static void suffix(struct follow_work *W, uint32_t seq, uint32_t i, struct sfx *x, int *nest);

/* The summary of the alternatives of a group or class node: a class's is made once and kept
 * in W, a group's in *own. */
static const struct summary *
summarise(struct follow_work *W, const struct tp_node *n, struct summary *own)
{
    const struct tp_store *s = W->s;
    struct summary *g = n->op == TP_CLASS ? &W->classes[n->alt] : own;
    if (n->op == TP_CLASS && g->done)
        return g;
    uint32_t alt, nalt;
    tp_node_alts(s, n, &alt, &nalt);
    memset(g, 0, sizeof *g);
    for (uint32_t a = 0; a < nalt; a++) {
        const struct tp_seq *q = &s->seqs[s->alts[alt + a]];
        const struct tp_node *only = q->n == 1 ? &s->nodes[q->node] : NULL;
        if (only && only->flags == 0 &&
            (only->op == TP_WORD || only->op == TP_STEM ||
             (only->op == TP_PREFIX && only->len >= 3))) {
            /* One word, the common case: a step, and the end reached by taking it. */
            g->sum.b = add_bound(g->sum.b, 1);
            g->sum.w = add_bound(g->sum.w, 1);
            g->sum.c = add_bound(g->sum.c, 1);
            g->sum.f = add_bound(g->sum.f, 1);
            g->sum.o = add_bound(g->sum.o, 1);
            node_keys(s, only, &g->sum);
            continue;
        }
        struct sfx x;
        int nest;
        suffix(W, s->alts[alt + a], 0, &x, &nest);
        g->sum.b = add_bound(g->sum.b, x.b);
        g->sum.e = add_bound(g->sum.e, x.e);
        g->sum.w = add_bound(g->sum.w, x.w);
        g->sum.c = add_bound(g->sum.c, x.c);
        g->sum.f = add_bound(g->sum.f, x.f);
        g->sum.o = add_bound(g->sum.o, x.o);
        g->sum.re |= x.re;
        bits_or(g->sum.first, x.first);
        bits_or(g->sum.second, x.second);
        g->sum.fopen |= x.fopen;
        g->sum.sopen |= x.sopen;
        g->sum.fstems |= x.fstems;
        g->sum.sstems |= x.sstems;
        g->sum.bad |= x.bad;
        if (nest > g->nest)
            g->nest = nest;
    }
    g->nest++; /* the group itself */
    g->done = true;
    return g;
}

/* Adds what follows (next) to x where a part can be passed without taking a word. */
static void
pass_on(struct sfx *x, const struct sfx *next)
{
    bits_or(x->first, next->first);
    bits_or(x->second, next->second);
    x->fopen |= next->fopen;
    x->sopen |= next->sopen;
    x->fstems |= next->fstems;
    x->sstems |= next->sstems;
}

/* Works out *x for node n, given next, what follows it in its sequence. */
static void
node_suffix(struct follow_work *W, const struct tp_node *n, const struct sfx *next,
            struct sfx *x, int *nest)
{
    const struct tp_store *s = W->s;
    uint32_t set, nset;
    tp_node_set(s, n, &set, &nset);
    if ((n->op == TP_GROUP || n->op == TP_CLASS) && !(n->flags & TP_NOT) && nset == 0) {
        struct summary own;
        const struct summary *g = summarise(W, n, &own);
        const struct sfx *a = &g->sum;
        if (g->nest > *nest)
            *nest = g->nest;
        x->bad = a->bad || (a->e && next->bad);
        x->b = add_bound(1, add_bound(a->b, mul_bound(a->e, next->b)));
        x->e = mul_bound(a->e, next->e);
        x->w = add_bound(1, add_bound(a->w, add_bound(mul_bound(a->e, next->w),
                                                      mul_bound(a->c, next->b))));
        x->c = add_bound(mul_bound(a->e, next->c), mul_bound(a->c, next->e));
        x->f = add_bound(1, add_bound(a->f, mul_bound(a->o, next->f)));
        x->o = mul_bound(a->o, next->o);
        x->re = a->re || (a->o && next->re);
        memcpy(x->first, a->first, sizeof x->first);
        memcpy(x->second, a->second, sizeof x->second);
        x->fopen = a->fopen;
        x->sopen = a->sopen;
        x->fstems = a->fstems;
        x->sstems = a->sstems;
        if (a->e) /* it can be passed without a word: what follows it counts */
            pass_on(x, next);
        if (a->c) { /* it can take just the first word: what follows is second */
            bits_or(x->second, next->first);
            x->sopen |= next->fopen;
            x->sstems |= next->fstems;
        }
    } else { /* a part that takes one word: a word, prefix, stem, set, '*', /re/, '!x' */
        x->b = 1;
        x->e = 0;
        x->w = add_bound(1, next->b);
        x->c = next->e;
        x->f = add_bound(1, next->f);
        x->o = next->o;
        x->re = next->re || holds_regex(s, n, 0);
        memset(x->first, 0, sizeof x->first);
        x->fopen = x->fstems = false;
        if (n->flags & TP_NOT)
            x->fopen = true;
        else
            node_keys(s, n, x);
        /* A word's regular expression can hit its limit (also inside a '!'). */
        x->bad = n->op == TP_REGEX || (n->flags & TP_NOT);
        memcpy(x->second, next->first, sizeof x->second);
        x->sopen = next->fopen;
        x->sstems = next->fstems;
    }
    if (n->flags & TP_OPT) { /* it can be left out */
        x->b = add_bound(x->b, next->b);
        x->e = add_bound(x->e, next->e);
        x->w = add_bound(x->w, next->w);
        x->c = add_bound(x->c, next->c);
        x->f = add_bound(x->f, next->f);
        x->o = add_bound(x->o, next->o);
        x->re |= next->re;
        x->bad |= next->bad;
        pass_on(x, next);
    }
}

/* Works out *x for sequence seq from node i to its end, and *nest, the deepest nesting of
 * groups in it (a group whose frames would reach TP_DEPTH_MAX is found by its caller). */
static void
suffix(struct follow_work *W, uint32_t seq, uint32_t i, struct sfx *x, int *nest)
{
    const struct tp_store *s = W->s;
    const struct tp_seq *q = &s->seqs[seq];
    struct sfx other, *next = x, *cur = &other; /* from node k + 1, and for node k */
    memset(next, 0, sizeof *next);
    next->e = next->o = 1; /* the end itself */
    *nest = 0;
    for (uint32_t k = q->n; k-- > i;) {
        const struct tp_node *n = &s->nodes[q->node + k];
        if (n->op == TP_SKIP) { /* one more step; a gap of words takes any word */
            next->b = add_bound(next->b, 1);
            next->w = add_bound(next->w, 1);
            next->f = add_bound(1, mul_bound((uint64_t)n->max - n->min + 1, next->f));
            next->o = mul_bound((uint64_t)n->max - n->min + 1, next->o);
            if (n->max > 0)
                next->fopen = next->sopen = true;
            if (n->min > 0)
                next->e = next->c = 0;
            continue;
        }
        node_suffix(W, n, next, cur, nest);
        struct sfx *t = next;
        next = cur;
        cur = t;
    }
    if (next != x)
        *x = *next;
}

void
guard_tokfollow_build(struct tp_store *s)
{
    free(s->follow);
    s->follow = xcalloc(s->nentries * TP_FOLLOW_WORDS + 1, sizeof *s->follow);
    struct follow_work W = {.s = s, .classes = xcalloc(s->nclasses + 1, sizeof *W.classes)};
    for (size_t e = 0; e < s->nentries; e++) {
        struct tp_entry *te = &s->entries[e];
        struct sfx x;
        int nest;
        suffix(&W, te->seq, 0, &x, &nest);
        /* Bounded when every try, whatever the text, ends within the limits: its steps are
         * bounded (a call for each part tried, and one for each way to the end), it nests
         * within the limit and no /re/ can meet its own. */
        te->bounded = !x.re && nest <= TP_DEPTH_MAX &&
                      add_bound(x.f, x.o) <= (uint64_t)TP_STEPS_MAX;
        /* The filter holds when nothing but words can come second, no match is one word
         * long, and failing at the second word stays within the limits (a group at the top
         * has frames at depth 0, its alternatives' groups at 1, and so on). */
        te->follow = 0;
        if (x.bad || x.sopen || x.c != 0 || x.w > TP_STEPS_MAX || nest > TP_DEPTH_MAX)
            continue;
        memcpy(s->follow + e * TP_FOLLOW_WORDS, x.second, sizeof x.second);
        te->follow = x.sstems ? 2 : 1;
    }
    free(W.classes);
}
