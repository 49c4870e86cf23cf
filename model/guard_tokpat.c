/* Token patterns: rules written as sequences of words rather than fixed phrases, so that one
 * line covers the ways people actually write a thing. A pattern is matched on the same
 * normalised tokens as phrases (case and accents folded, apostrophes unified) and never
 * crosses a sentence or a line break. The syntax (tactful(5), TOKEN PATTERNS):
 *
 *   word      the word in any case; "party" also matches "party's"
 *   word*     a word starting so
 *   ~word     any form of the word (a Snowball stem): ~refute = refutes, refuted, refuting
 *   /re/      a word matching a regular expression as a whole (folded: lowercase, no accents)
 *   *         any one word
 *   @name     a word class defined once in a [class NAME] section
 *   (a|b c)   one of several sequences; x? or (...)? may be left out
 *   <N-M>     a gap of N to M words (<M> is <0-M>, at most 8)
 *   ^x        x written with a capital letter (Title Case or ALL CAPS)
 *   !x        one word that is not x
 *
 * All patterns of all rules are indexed by the words they can start with, so a check looks at
 * each token once and tries only the patterns that could start there. */
#include "model/guard_impl.h"

#include <libstemmer.h>
#include <utf8proc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define TP_ALTS_MAX 64        /* alternatives in one group */
#define TP_BOUND_MAX ((uint64_t)1 << 32) /* saturation for bounds on a try's steps */
#define TP_KEYS_MAX 64        /* first words indexed for one pattern */
#define WORD_BITS TP_WORD_BITS /* bits in a text's word filter (guard_impl.h) */
#define SENT_BITS 1024        /* bits in a sentence's word filter (a divisor of WORD_BITS) */

/* ---- The store ---- */

/* Appends len bytes and a NUL to the pool; returns their offset. */
static uint32_t
pool_add(struct tp_store *s, const char *str, size_t len)
{
    if (s->poollen + len + 1 > s->poolcap) {
        s->poolcap = (s->poollen + len + 1) * 2;
        s->pool = xrealloc(s->pool, s->poolcap);
    }
    uint32_t off = (uint32_t)s->poollen;
    memcpy(s->pool + off, str, len);
    s->poollen += len + 1;
    s->pool[off + len] = '\0';
    return off;
}

/* Appends n nodes as one sequence; returns its id. */
static uint32_t
seq_add(struct tp_store *s, const struct tp_node *nodes, size_t n)
{
    if (s->nnodes + n > s->capnodes) {
        s->capnodes = (s->nnodes + n) * 2 + 64;
        s->nodes = xreallocarray(s->nodes, s->capnodes, sizeof *s->nodes);
    }
    if (n)
        memcpy(s->nodes + s->nnodes, nodes, n * sizeof *nodes);
    if (s->nseqs == s->capseqs) {
        s->capseqs = s->capseqs ? s->capseqs * 2 : 64;
        s->seqs = xreallocarray(s->seqs, s->capseqs, sizeof *s->seqs);
    }
    s->seqs[s->nseqs] = (struct tp_seq){(uint32_t)s->nnodes, (uint32_t)n, 0, 0};
    s->nnodes += n;
    return (uint32_t)s->nseqs++;
}

/* Appends n sequence ids as one list of alternatives; returns where it starts. */
static uint32_t
alts_add(struct tp_store *s, const uint32_t *ids, size_t n)
{
    if (s->nalts + n > s->capalts) {
        s->capalts = (s->nalts + n) * 2 + 64;
        s->alts = xreallocarray(s->alts, s->capalts, sizeof *s->alts);
    }
    if (n)
        memcpy(s->alts + s->nalts, ids, n * sizeof *ids);
    s->nalts += n;
    return (uint32_t)(s->nalts - n);
}

/* Frees what checks made on first need. */
static void
lazy_free(struct tp_lazy *lazy)
{
    if (lazy != NULL)
        free(lazy->linkfilter);
    free(lazy);
}

void
guard_tokpat_free(struct tp_store *s)
{
    if (s->renodes != NULL) { /* (read from the cache: only these can hold a code) */
        for (size_t i = 0; i < s->nrenodes; i++)
            pcre2_code_free(s->nodes[s->renodes[i]].re);
    } else {
        for (size_t i = 0; i < s->nnodes; i++)
            if (s->nodes[i].op == TP_REGEX)
                pcre2_code_free(s->nodes[i].re);
    }
    free(s->renodes);
    if (s->map == NULL) {
        free(s->nodes);
        free(s->seqs);
        free(s->alts);
        free(s->pool);
        free(s->entries);
        free(s->exact);
        free(s->prefix);
        free(s->open);
        free(s->reqs);
        free(s->sets);
        free(s->links);
        free(s->follow);
        free(s->reqbits); /* (read from the cache, they are in its mapping) */
        free(s->reqstart);
        free(s->reqpost);
        free(s->reqposts);
    } else {
        munmap(s->map, s->maplen);
    }
    for (size_t i = 0; i < s->nclasses; i++) {
        free(s->classes[i].members); /* (their texts are the guard's) */
        free(s->classes[i].name);
    }
    free(s->classes);
    free(s->altfirst);
    free(s->altsecond);
    free(s->altbloom);
    free(s->altmask);
    lazy_free(s->lazy);
    free(s->openstart);
    free(s->openbytes);
    free(s->openunits);
    memset(s, 0, sizeof *s);
}

void
tp_node_alts(const struct tp_store *s, const struct tp_node *n, uint32_t *alt, uint32_t *nalt)
{
    if (n->op == TP_GROUP) {
        *alt = n->alt;
        *nalt = n->nalt;
    } else {
        *alt = s->classes[n->alt].alt;
        *nalt = s->classes[n->alt].nalt;
    }
}

/* ---- Parsing ---- */

struct tp_parser {
    const char *p;
    const char *text;
    struct tp_store *s;
    const struct tp_store *classes; /* for @name; NULL: syntax only */
    struct sb_stemmer *stemmer;     /* NULL: syntax only */
    char *err;
    int depth;
    size_t nodes;
};

static int parse_seq(struct tp_parser *P, uint32_t *seq);

/* Records the first problem. Returns -1. */
static int
perr(struct tp_parser *P, const char *what)
{
    if (P->err == NULL)
        P->err = xasprintf("pattern '%s': %s", P->text, what);
    return -1;
}

/* The bytes that end a word in a pattern, looked up rather than compared in turn: patterns
 * are read a byte at a time at every load. */
static const bool word_ends[256] = {
    ['\0'] = true, [' '] = true, ['\t'] = true, ['('] = true, [')'] = true,
    ['|'] = true,  ['?'] = true, ['<'] = true,  ['>'] = true,
};

/* Whether c ends a word in a pattern. */
static bool
word_end(char c)
{
    return word_ends[(unsigned char)c];
}

/* Reads a class name after '@' into the pool; returns -1 when there is none. */
static int
parse_class_ref(struct tp_parser *P, struct tp_node *n)
{
    const char *a = P->p;
    while ((*P->p >= 'a' && *P->p <= 'z') || (*P->p >= '0' && *P->p <= '9') || *P->p == '-')
        P->p++;
    if (P->p == a)
        return perr(P, "'@' needs a class name (lowercase letters, digits, hyphens)");
    n->op = TP_CLASS;
    n->str = pool_add(P->s, a, (size_t)(P->p - a));
    n->len = (uint32_t)(P->p - a);
    n->alt = UINT32_MAX;
    if (P->classes) {
        for (size_t i = 0; i < P->classes->nclasses; i++)
            if (strlen(P->classes->classes[i].name) == n->len &&
                memcmp(P->classes->classes[i].name, a, n->len) == 0)
                n->alt = (uint32_t)i;
        if (n->alt == UINT32_MAX) {
            char *msg = xasprintf("no word class @%.*s; define it in a [class %.*s] section",
                                  (int)n->len, a, (int)n->len, a);
            perr(P, msg);
            free(msg);
            return -1;
        }
    }
    return 0;
}

/* Reads "<N-M>", "<M>" or "<skip N-M>". */
static int
parse_skip(struct tp_parser *P, struct tp_node *n)
{
    const char *p = P->p + 1;
    if (strncmp(p, "skip", 4) == 0)
        p += 4;
    while (*p == ' ')
        p++;
    char *end;
    long lo = strtol(p, &end, 10), hi = lo;
    if (end == p)
        return perr(P, "write a gap as <N-M> or <M>, in words");
    p = end;
    if (*p == '-') {
        hi = strtol(p + 1, &end, 10);
        if (end == p + 1)
            return perr(P, "write a gap as <N-M> or <M>, in words");
        p = end;
    } else {
        lo = 0;
    }
    while (*p == ' ')
        p++;
    if (*p != '>')
        return perr(P, "a gap <...> has no closing '>'");
    if (lo < 0 || hi < lo || hi > TP_SKIP_MAX)
        return perr(P, "a gap may skip from 0 to 8 words, the smaller number first");
    P->p = p + 1;
    n->op = TP_SKIP;
    n->min = (uint16_t)lo;
    n->max = (uint16_t)hi;
    return 0;
}

/* Reads "/re/" and compiles it to match a whole folded token. */
static int
parse_regex(struct tp_parser *P, struct tp_node *n)
{
    const char *a = ++P->p;
    while (*P->p && *P->p != '/') {
        if (*P->p == '\\' && P->p[1])
            P->p++;
        P->p++;
    }
    if (*P->p != '/')
        return perr(P, "a /regular expression/ has no closing '/'");
    char *body = xasprintf("(?:%.*s)", (int)(P->p - a), a);
    P->p++;
    char *err = NULL;
    pcre2_code *re = guard_regex_compile_jit(body, false, false, &err);
    free(body);
    if (re == NULL) {
        perr(P, err);
        free(err);
        return -1;
    }
    n->op = TP_REGEX;
    n->re = re;
    return 0;
}

/* The forms of stem st a "~word" cannot find, written as the pattern that finds them all, or
 * NULL when it finds them all: the matcher reaches a stem's words by their first three
 * letters, and Snowball stems a few words irregularly ("lying" to "lie") or turns a 'y' within
 * them to 'i' ("try", "trying" and "tried" all to "tri"). The result must be freed. */
static char *
stem_unreachable(struct sb_stemmer *stemmer, const char *st, size_t sl)
{
    static const char *const forms[][2] = {
        {"die", "(die|dies|died|dying)"}, {"lie", "(lie|lies|lied|lying)"},
        {"tie", "(tie|ties|tied|tying)"}, {"vie", "(vie|vies|vied|vying)"},
        {"sky", "(sky|skies)"},
    };
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++)
        if (sl == strlen(forms[i][0]) && memcmp(st, forms[i][0], sl) == 0)
            return xstrdup(forms[i][1]);
    /* A short stem ending in 'i' that the same word with 'y' stems to ("try" to "tri"). */
    if (sl < 2 || sl > 3 || st[sl - 1] != 'i')
        return NULL;
    char y[4];
    memcpy(y, st, sl);
    y[sl - 1] = 'y';
    const sb_symbol *ys = sb_stemmer_stem(stemmer, (const sb_symbol *)y, (int)sl);
    if (ys == NULL || (size_t)sb_stemmer_length(stemmer) != sl || memcmp(ys, st, sl) != 0)
        return NULL;
    int n = (int)sl - 1;
    return xasprintf("(%.*sy|%.*sies|%.*sied|%.*sying)", n, st, n, st, n, st, n, st);
}

/* Reads a stem "~word": the word's Snowball stem, folded. */
static int
parse_stem(struct tp_parser *P, struct tp_node *n)
{
    const char *a = ++P->p;
    while (!word_end(*P->p))
        P->p++;
    char fold[256];
    size_t len = guard_fold(a, (size_t)(P->p - a), fold, sizeof fold);
    for (size_t i = 0; i < len; i++)
        if (!((fold[i] >= 'a' && fold[i] <= 'z') || (unsigned char)fold[i] >= 0x80))
            return perr(P, "'~' takes one plain word, such as ~refute");
    if (len == 0 || len >= sizeof fold)
        return perr(P, "'~' takes one plain word, such as ~refute");
    n->op = TP_STEM;
    if (P->stemmer) {
        const sb_symbol *st = sb_stemmer_stem(P->stemmer, (const sb_symbol *)fold, (int)len);
        int sl = sb_stemmer_length(P->stemmer);
        char stem[sizeof fold];
        if (st && sl > 0 && (size_t)sl < sizeof stem) {
            memcpy(stem, st, (size_t)sl); /* (the stemmer's buffer, which the check reuses) */
            char *forms = stem_unreachable(P->stemmer, stem, (size_t)sl);
            if (forms) {
                char *why = xasprintf("~%.*s cannot find all its forms (Snowball stems some "
                                      "irregularly, and a stem's words are found by their first "
                                      "letters); write them out instead: %s",
                                      (int)len, fold, forms);
                perr(P, why);
                free(why);
                free(forms);
                return -1;
            }
            n->str = pool_add(P->s, stem, (size_t)sl);
            n->len = (uint32_t)sl;
            return 0;
        }
    }
    n->str = pool_add(P->s, fold, len);
    n->len = (uint32_t)len;
    return 0;
}

/* Reads a plain word (or "word*"), tokenised as drafts are; adds one node per token. */
static int
parse_word(struct tp_parser *P, struct tp_node *out, size_t *n, uint8_t flags)
{
    const char *a = P->p;
    while (!word_end(*P->p))
        P->p++;
    size_t wlen = (size_t)(P->p - a);
    bool prefix = wlen > 1 && a[wlen - 1] == '*';
    if (prefix)
        wlen--;
    bool alnum = ((*a | 32) >= 'a' && (*a | 32) <= 'z') || (*a >= '0' && *a <= '9');
    if (!alnum && strchr("/\\.,;:!?[]{}\"&%+=|~^", *a) != NULL)
        return perr(P, "a word starts with punctuation, which patterns ignore");
    if (guard_plain_word(a, wlen) && !guard_unapostrophed(a, wlen)) {
        if (*n >= TP_NODES_MAX)
            return perr(P, "the pattern has too many parts");
        struct tp_node *node = &out[(*n)++];
        memset(node, 0, sizeof *node);
        node->op = prefix ? TP_PREFIX : TP_WORD;
        node->flags = flags;
        node->str = pool_add(P->s, a, wlen);
        node->len = (uint32_t)wlen;
        char *fold = P->s->pool + node->str; /* folded in place: lowercasing alone */
        for (size_t i = 0; i < wlen; i++)
            fold[i] = (char)(fold[i] >= 'A' && fold[i] <= 'Z' ? fold[i] + 32 : fold[i]);
        if (node->op == TP_PREFIX && node->len < 2)
            return perr(P, "a word before '*' needs at least 2 letters");
        return 0;
    }
    struct guard_view v;
    guard_view_init(&v, a, wlen, GUARD_DRAFT);
    guard_view_tokenize(&v);
    int rc = 0;
    if (v.ntoks == 0 || v.nspans)
        rc = perr(P, v.nspans ? "links, addresses, @handles and #hashtags are never matched"
                              : "a word has nothing to match");
    else if (v.ntoks > 1 && (flags & TP_NOT))
        rc = perr(P, "'!' takes one word; put several in brackets: !(lib dem)");
    else if (*n + v.ntoks > TP_NODES_MAX)
        rc = perr(P, "the pattern has too many parts");
    for (size_t i = 0; rc == 0 && i < v.ntoks; i++) {
        const struct guard_tok *t = &v.toks[i];
        struct tp_node *node = &out[(*n)++];
        memset(node, 0, sizeof *node);
        node->op = prefix && i + 1 == v.ntoks ? TP_PREFIX : TP_WORD;
        node->flags = flags;
        node->str = pool_add(P->s, v.fold + t->fold, t->fold_len);
        node->len = t->fold_len;
        if (node->op == TP_PREFIX && node->len < 2)
            rc = perr(P, "a word before '*' needs at least 2 letters");
    }
    guard_view_free(&v);
    return rc;
}

/* Reads "( seq | seq ... )". */
static int
parse_group(struct tp_parser *P, struct tp_node *n)
{
    if (++P->depth > TP_DEPTH_MAX)
        return perr(P, "brackets are nested too deeply");
    P->p++;
    uint32_t ids[TP_ALTS_MAX];
    size_t nids = 0;
    for (;;) {
        if (nids == TP_ALTS_MAX)
            return perr(P, "a group has more than 64 alternatives; use a word class");
        if (parse_seq(P, &ids[nids]) != 0)
            return -1;
        nids++;
        if (*P->p == '|') {
            P->p++;
            continue;
        }
        if (*P->p == ')') {
            P->p++;
            break;
        }
        return perr(P, "a '(' has no closing ')'");
    }
    P->depth--;
    n->op = TP_GROUP;
    n->alt = alts_add(P->s, ids, nids);
    n->nalt = (uint32_t)nids;
    return 0;
}

/* Reads one item with its '!' and '^' marks and its '?'. */
static int
parse_item(struct tp_parser *P, struct tp_node *out, size_t *n)
{
    uint8_t flags = 0;
    for (;; P->p++) {
        if (*P->p == '!')
            flags |= TP_NOT;
        else if (*P->p == '^')
            flags |= TP_CAP;
        else
            break;
    }
    if (*n >= TP_NODES_MAX || ++P->nodes > TP_NODES_MAX * 4)
        return perr(P, "the pattern has too many parts");
    struct tp_node node = {0};
    int rc;
    switch (*P->p) {
    case '(':
        rc = parse_group(P, &node);
        break;
    case '<':
        rc = parse_skip(P, &node);
        break;
    case '/':
        rc = parse_regex(P, &node);
        break;
    case '@':
        P->p++;
        rc = parse_class_ref(P, &node);
        break;
    case '~':
        rc = parse_stem(P, &node);
        break;
    case '*':
        if (word_end(P->p[1])) {
            P->p++;
            node.op = TP_ANY;
            rc = 0;
            break;
        }
        return perr(P, "'*' stands alone (any word) or ends a word (word*)");
    case ')':
    case '|':
    case '?':
    case '>':
        return perr(P, "a bracket, '|', '?' or '>' is out of place");
    default: {
        size_t before = *n;
        if (parse_word(P, out, n, flags & ~TP_OPT) != 0)
            return -1;
        if (*P->p == '?') {
            if (*n - before > 1)
                return perr(P, "'?' takes one word; put several in brackets: (lib dem)?");
            P->p++;
            out[*n - 1].flags |= TP_OPT;
        }
        return 0;
    }
    }
    if (rc == 0 && *P->p == '?') {
        flags |= TP_OPT;
        P->p++;
    }
    if (rc == 0 && node.op == TP_SKIP && flags)
        rc = perr(P, "a gap takes no '!', '^' or '?'");
    if (rc == 0 && (flags & TP_NOT) && node.op == TP_ANY)
        rc = perr(P, "'!*' matches nothing");
    if (rc != 0) {
        if (node.op == TP_REGEX)
            pcre2_code_free(node.re);
        return -1;
    }
    node.flags = flags;
    out[(*n)++] = node;
    return 0;
}

/* Reads items up to ')', '|' or the end into a new sequence. */
static int
parse_seq(struct tp_parser *P, uint32_t *seq)
{
    struct tp_node tmp[TP_NODES_MAX];
    size_t n = 0;
    for (;;) {
        while (*P->p == ' ' || *P->p == '\t')
            P->p++;
        if (*P->p == '\0' || *P->p == ')' || *P->p == '|')
            break;
        if (parse_item(P, tmp, &n) != 0) {
            for (size_t i = 0; i < n; i++)
                if (tmp[i].op == TP_REGEX)
                    pcre2_code_free(tmp[i].re);
            return -1;
        }
    }
    *seq = seq_add(P->s, tmp, n);
    return 0;
}

/* Whether sequence seq (from node i) can match no token at all. */
static bool
seq_can_be_empty(const struct tp_store *s, uint32_t seq, uint32_t i, int depth)
{
    const struct tp_seq *q = &s->seqs[seq];
    for (; i < q->n; i++) {
        const struct tp_node *n = &s->nodes[q->node + i];
        if (n->flags & TP_OPT || (n->op == TP_SKIP && n->min == 0))
            continue;
        if ((n->op == TP_GROUP || n->op == TP_CLASS) && !(n->flags & TP_NOT) &&
            depth < TP_DEPTH_MAX && n->alt != UINT32_MAX) {
            uint32_t alt, nalt;
            tp_node_alts(s, n, &alt, &nalt);
            bool empty = false;
            for (uint32_t k = 0; k < nalt && !empty; k++)
                empty = seq_can_be_empty(s, s->alts[alt + k], 0, depth + 1);
            if (empty)
                continue;
        }
        return false;
    }
    return true;
}

/* Parses text into s; returns the sequence id, or -1 with *err. */
static long
parse(struct tp_store *s, const struct tp_store *classes, struct sb_stemmer *stemmer,
      const char *text, bool whole, char **err)
{
    struct tp_parser P = {.p = text, .text = text, .s = s, .classes = classes,
                          .stemmer = stemmer};
    uint32_t seq;
    if (parse_seq(&P, &seq) == 0 && *P.p != '\0')
        perr(&P, "a ')' or '|' is out of place");
    if (P.err == NULL && whole) {
        const struct tp_seq *q = &s->seqs[seq];
        if (q->n == 0)
            perr(&P, "the pattern is empty");
        else if (s->nodes[q->node].op == TP_SKIP || s->nodes[q->node + q->n - 1].op == TP_SKIP)
            perr(&P, "a pattern cannot start or end with a gap");
        else if (classes && seq_can_be_empty(s, seq, 0, 0))
            perr(&P, "every part is optional, so it would match nothing");
    }
    if (P.err) {
        *err = P.err;
        return -1;
    }
    return seq;
}

void
guard_tokpat_class_add(struct guard *g, const char *name, const struct guard_entry *e)
{
    struct tp_store *s = &g->tp;
    struct tp_class *c = NULL;
    /* (From the last: a class's members come one after another.) */
    for (size_t i = s->nclasses; i-- > 0 && c == NULL;)
        if (strcmp(s->classes[i].name, name) == 0)
            c = &s->classes[i];
    if (c == NULL) {
        s->classes = xreallocarray(s->classes, s->nclasses + 1, sizeof *s->classes);
        c = &s->classes[s->nclasses++];
        *c = (struct tp_class){.name = xstrdup(name), .file = e->file, .line = e->line};
    }
    c->members = xgrow(c->members, c->nmembers, sizeof *c->members);
    c->members[c->nmembers++] = *e;
}

/* ---- Compiling and indexing ---- */

/* The first words a pattern can start with, for the index. */
struct keyset {
    uint32_t exact[TP_KEYS_MAX], prefix[TP_KEYS_MAX];
    size_t nexact, nprefix;
    bool open;                /* it can start with something not indexed */
};

/* Adds a key; too many makes the pattern open. */
static void
key_add(struct keyset *k, bool prefix, uint32_t hash)
{
    uint32_t *v = prefix ? k->prefix : k->exact;
    size_t *n = prefix ? &k->nprefix : &k->nexact;
    if (*n == TP_KEYS_MAX)
        k->open = true;
    else
        v[(*n)++] = hash;
}

/* Collects the keys of the tokens that can start seq from node i. Returns whether the rest
 * of the sequence can be empty (then what follows it can start the match too). */
static bool
first_keys(const struct tp_store *s, uint32_t seq, uint32_t i, struct keyset *k, int depth)
{
    const struct tp_seq *q = &s->seqs[seq];
    for (; i < q->n; i++) {
        const struct tp_node *n = &s->nodes[q->node + i];
        bool may_skip = (n->flags & TP_OPT) != 0;
        if (n->flags & TP_NOT) {
            k->open = true;
            return false;
        }
        switch (n->op) {
        case TP_WORD:
            key_add(k, false, guard_hash(s->pool + n->str, n->len));
            break;
        case TP_PREFIX:
        case TP_STEM:
            if (n->len >= 3)
                key_add(k, true, guard_hash(s->pool + n->str, 3));
            else
                k->open = true;
            break;
        case TP_GROUP:
        case TP_CLASS: {
            if (depth >= TP_DEPTH_MAX) {
                k->open = true;
                return false;
            }
            uint32_t alt, nalt;
            tp_node_alts(s, n, &alt, &nalt);
            for (uint32_t a = 0; a < nalt; a++)
                if (first_keys(s, s->alts[alt + a], 0, k, depth + 1))
                    may_skip = true;
            break;
        }
        case TP_SKIP:
            may_skip = n->min == 0;
            if (!may_skip)
                k->open = true;
            break;
        default:
            k->open = true;
            break;
        }
        if (!may_skip)
            return false;
    }
    return true;
}

/* Adds entry e to the chain of bucket b in heads. */
static void
link_add(struct tp_store *s, uint32_t *heads, uint32_t hash, uint32_t e, uint8_t lo,
         uint8_t hi)
{
    size_t b = hash & s->mask;
    for (uint32_t l = heads[b]; l; l = s->links[l - 1].next)
        if (s->links[l - 1].entry == e && s->links[l - 1].lo == lo && s->links[l - 1].hi == hi)
            return;
    if (s->nlinks == s->caplinks) {
        s->caplinks = s->caplinks ? s->caplinks * 2 : 256;
        s->links = xreallocarray(s->links, s->caplinks, sizeof *s->links);
    }
    s->links[s->nlinks] = (struct tp_link){e, heads[b], lo, hi};
    heads[b] = (uint32_t)++s->nlinks;
}

/* How many words node n takes: *lo to *hi. Returns false when that is not a small range of
 * single words (a group with longer alternatives). */
static bool
node_width(const struct tp_store *s, const struct tp_node *n, unsigned *lo, unsigned *hi)
{
    if (n->op == TP_SKIP) {
        *lo = n->min;
        *hi = n->max;
        return true;
    }
    if (n->op == TP_GROUP || n->op == TP_CLASS) {
        uint32_t alt, nalt;
        tp_node_alts(s, n, &alt, &nalt);
        for (uint32_t a = 0; a < nalt; a++) {
            const struct tp_seq *q = &s->seqs[s->alts[alt + a]];
            const struct tp_node *only = &s->nodes[q->node];
            if (q->n != 1 || only->op == TP_GROUP || only->op == TP_CLASS ||
                only->op == TP_SKIP || (only->flags & TP_OPT))
                return false;
        }
    }
    *lo = (n->flags & TP_OPT) ? 0 : 1;
    *hi = 1;
    return true;
}

/* For a pattern that cannot be indexed by its first word: the first word it must hold and
 * how far after the start that word can be, when that is a short range. Returns false when
 * there is no such word. */
static bool
anchor_word(const struct tp_store *s, const struct tp_entry *e, uint32_t *hash, bool *prefix,
            uint8_t *lo, uint8_t *hi)
{
    const struct tp_seq *q = &s->seqs[e->seq];
    unsigned min = 0, max = 0;
    for (uint32_t i = 0; i < q->n; i++) {
        const struct tp_node *n = &s->nodes[q->node + i];
        bool plain = !(n->flags & (TP_OPT | TP_NOT | TP_CAP));
        if (plain && n->op == TP_WORD) {
            *hash = guard_hash(s->pool + n->str, n->len);
            *prefix = false;
        } else if (plain && (n->op == TP_PREFIX || n->op == TP_STEM) && n->len >= 3) {
            *hash = guard_hash(s->pool + n->str, 3);
            *prefix = true;
        } else {
            unsigned a, b;
            if (!node_width(s, n, &a, &b) || max + b > 8)
                return false;
            min += a;
            max += b;
            continue;
        }
        *lo = (uint8_t)min;
        *hi = (uint8_t)max;
        return max > 0;
    }
    return false;
}

static bool any_width(const struct tp_store *s, const struct tp_node *n, unsigned *lo,
                      unsigned *hi, int depth);

/* How many words sequence seq takes: *lo to *hi, through its groups and classes. Returns
 * false when that is not a short range (more than TP_SKIP_MAX) or nests too deep. */
static bool
seq_width(const struct tp_store *s, uint32_t seq, unsigned *lo, unsigned *hi, int depth)
{
    const struct tp_seq *q = &s->seqs[seq];
    unsigned min = 0, max = 0;
    for (uint32_t i = 0; i < q->n; i++) {
        unsigned a, b;
        if (!any_width(s, &s->nodes[q->node + i], &a, &b, depth) || max + b > TP_SKIP_MAX)
            return false;
        min += a;
        max += b;
    }
    *lo = min;
    *hi = max;
    return true;
}

/* How many words node n takes: *lo to *hi, a group or class by its alternatives of any
 * length. Returns false when that is not a short range. */
static bool
any_width(const struct tp_store *s, const struct tp_node *n, unsigned *lo, unsigned *hi,
          int depth)
{
    if (n->op == TP_SKIP) {
        *lo = n->min;
        *hi = n->max;
        return true;
    }
    *lo = *hi = 1;
    if ((n->op == TP_GROUP || n->op == TP_CLASS) && !(n->flags & TP_NOT)) {
        if (depth >= TP_DEPTH_MAX)
            return false;
        uint32_t alt, nalt;
        tp_node_alts(s, n, &alt, &nalt);
        *lo = TP_SKIP_MAX + 1;
        *hi = 0;
        for (uint32_t a = 0; a < nalt; a++) {
            unsigned x, y;
            if (!seq_width(s, s->alts[alt + a], &x, &y, depth + 1))
                return false;
            *lo = x < *lo ? x : *lo;
            *hi = y > *hi ? y : *hi;
        }
        if (nalt == 0)
            *lo = 0;
    }
    if (n->flags & TP_OPT)
        *lo = 0;
    return true;
}

/* The words group or class node n must start with, into k: false when one of its
 * alternatives can be empty or start with something not indexed. */
static bool
group_keys(const struct tp_store *s, const struct tp_node *n, struct keyset *k)
{
    if ((n->op != TP_GROUP && n->op != TP_CLASS) || (n->flags & (TP_OPT | TP_NOT)))
        return false;
    uint32_t alt, nalt;
    tp_node_alts(s, n, &alt, &nalt);
    for (uint32_t a = 0; a < nalt; a++)
        if (first_keys(s, s->alts[alt + a], 0, k, 1))
            return false;
    /* (Whole words only: a stem's word need not start as the stem does.) */
    return nalt > 0 && !k->open && k->nprefix == 0;
}

/* For a pattern anchor_word cannot index: the first word or set of words (a group or class
 * each of whose alternatives starts with an indexed word) it must hold after its start, into
 * k, and how far after the start that is (*lo to *hi words), seen through groups and classes
 * of any fixed-ish length. Returns false when there is none within TP_SKIP_MAX words. */
static bool
anchor_set(const struct tp_store *s, const struct tp_entry *e, struct keyset *k, uint8_t *lo,
           uint8_t *hi, uint32_t *at)
{
    const struct tp_seq *q = &s->seqs[e->seq];
    unsigned min = 0, max = 0;
    for (uint32_t i = 0; i < q->n; i++) {
        const struct tp_node *n = &s->nodes[q->node + i];
        bool plain = !(n->flags & (TP_OPT | TP_NOT | TP_CAP));
        *k = (struct keyset){0};
        if (plain && n->op == TP_WORD)
            key_add(k, false, guard_hash(s->pool + n->str, n->len));
        else if (plain && n->op == TP_PREFIX && n->len >= 3) /* (a stem's word need not
                                                               * start as the stem does) */
            key_add(k, true, guard_hash(s->pool + n->str, 3));
        else if (!group_keys(s, n, k)) {
            unsigned a, b;
            if (!any_width(s, n, &a, &b, 0) || max + b > TP_SKIP_MAX)
                return false;
            min += a;
            max += b;
            continue;
        }
        *lo = (uint8_t)min;
        *hi = (uint8_t)max;
        *at = i;
        return max > 0;
    }
    return false;
}

/* Bounds on the matcher's work through sequence seq's nodes [from, to): how many ways through
 * them (*ways) and how many steps one way takes at most (*len), *ways saturating at
 * TP_BOUND_MAX. Returns false when a /re/ could be tried there or groups nest near
 * TP_DEPTH_MAX. */
static bool
nodes_bound(const struct tp_store *s, uint32_t seq, uint32_t from, uint32_t to, int depth,
            uint64_t *ways, uint64_t *len)
{
    const struct tp_seq *q = &s->seqs[seq];
    *ways = 1;
    *len = 0;
    for (uint32_t i = from; i < to && i < q->n; i++) {
        const struct tp_node *n = &s->nodes[q->node + i];
        uint64_t w = 1, l = 1;
        if (n->op == TP_REGEX)
            return false;
        if (n->op == TP_SKIP)
            w = (uint64_t)n->max - n->min + 1;
        if (n->op == TP_GROUP || n->op == TP_CLASS) {
            if (depth + 2 >= TP_DEPTH_MAX)
                return false;
            uint32_t alt, nalt;
            tp_node_alts(s, n, &alt, &nalt);
            w = 0;
            for (uint32_t a = 0; a < nalt; a++) {
                uint64_t aw, al;
                uint32_t seqa = s->alts[alt + a];
                if (!nodes_bound(s, seqa, 0, s->seqs[seqa].n, depth + 1, &aw, &al))
                    return false;
                w = w + aw > TP_BOUND_MAX ? TP_BOUND_MAX : w + aw;
                l = 1 + al > l ? 1 + al : l;
            }
            w = w ? w : 1;
        }
        if (n->flags & TP_OPT) {
            w++;
            l++;
        }
        *ways = *ways > TP_BOUND_MAX / w ? TP_BOUND_MAX : *ways * w;
        *len += l;
    }
    return true;
}

/* Whether a try of entry e that fails at its node at (nothing there can take a word) stays
 * within the limits on any text: its steps up to that node and through it are bounded, it
 * nests within the limit and tries no /re/ on the way. */
static bool
try_bounded(const struct tp_store *s, const struct tp_entry *e, uint32_t at)
{
    uint64_t ways, len;
    return nodes_bound(s, e->seq, 0, at + 1, 0, &ways, &len) &&
           ways * (len + 2) <= (uint64_t)TP_STEPS_MAX;
}

/* Adds to req the word that alternative seq must hold (its first word or stem that cannot
 * be left out). Returns false when it has none or req is full. */
static bool
alt_required(const struct tp_store *s, uint32_t seq, struct tp_req *req)
{
    const struct tp_seq *q = &s->seqs[seq];
    for (uint32_t i = 0; i < q->n; i++) {
        const struct tp_node *n = &s->nodes[q->node + i];
        if (n->flags & (TP_OPT | TP_NOT))
            continue;
        bool word = n->op == TP_WORD;
        bool stem = (n->op == TP_PREFIX || n->op == TP_STEM) && n->len >= 3;
        if (!word && !stem)
            continue;
        if (req->n == TP_REQ_WORDS)
            return false;
        if (stem)
            req->prefix |= (uint16_t)(1u << req->n);
        req->h[req->n++] = guard_hash(s->pool + n->str, word ? n->len : 3);
        return true;
    }
    return false;
}

/* Notes what every match of entry e must hold: its own words and stems that cannot be left
 * out, and for a group or class that cannot, one word of each alternative; so a text
 * holding none of a set's words need not be scanned for the pattern. */
static void
required_words(struct tp_store *s, struct tp_entry *e)
{
    const struct tp_seq *q = &s->seqs[e->seq];
    for (uint32_t i = 0; i < q->n && e->nreq < TP_REQS_MAX; i++) {
        const struct tp_node *n = &s->nodes[q->node + i];
        if (n->flags & (TP_OPT | TP_NOT))
            continue;
        struct tp_req req = {0};
        bool ok = false;
        if (n->op == TP_GROUP || n->op == TP_CLASS) {
            uint32_t alt, nalt;
            tp_node_alts(s, n, &alt, &nalt);
            ok = nalt > 0;
            for (uint32_t k = 0; k < nalt && ok; k++)
                ok = alt_required(s, s->alts[alt + k], &req);
        } else {
            bool word = n->op == TP_WORD;
            bool stem = (n->op == TP_PREFIX || n->op == TP_STEM) && n->len >= 3;
            if (word || stem) {
                req.prefix = stem ? 1 : 0;
                req.h[req.n++] = guard_hash(s->pool + n->str, word ? n->len : 3);
                ok = true;
            }
        }
        if (ok)
            e->req[e->nreq++] = req;
    }
}

/* Orders set members by hash. */
static int
cmp_setent(const void *a, const void *b)
{
    const struct tp_setent *x = a, *y = b;
    return x->hash < y->hash ? -1 : x->hash > y->hash;
}

/* When every alternative from alt is one plain word or stem, stores them as a set sorted by
 * hash (*set, *nset); else leaves *nset 0, and the alternatives are tried one by one. */
static void
make_set(struct tp_store *s, uint32_t alt, uint32_t nalt, uint32_t *set, uint32_t *nset,
         bool *stems)
{
    *nset = 0;
    *stems = false;
    if (nalt < 3)
        return;
    for (uint32_t a = 0; a < nalt; a++) {
        const struct tp_seq *q = &s->seqs[s->alts[alt + a]];
        const struct tp_node *n = q->n == 1 ? &s->nodes[q->node] : NULL;
        if (n == NULL || n->flags || (n->op != TP_WORD && n->op != TP_STEM))
            return;
    }
    if (s->nsets + nalt > s->capsets) {
        s->capsets = (s->nsets + nalt) * 2 + 64;
        s->sets = xreallocarray(s->sets, s->capsets, sizeof *s->sets);
    }
    *set = (uint32_t)s->nsets;
    for (uint32_t a = 0; a < nalt; a++) {
        uint32_t node = s->seqs[s->alts[alt + a]].node;
        const struct tp_node *n = &s->nodes[node];
        s->sets[s->nsets++] = (struct tp_setent){guard_hash(s->pool + n->str, n->len), node};
        *stems |= n->op == TP_STEM;
    }
    *nset = nalt;
    qsort(s->sets + *set, nalt, sizeof *s->sets, cmp_setent);
}

/* Adds byte b to a filter of first bytes. */
static uint64_t
first_bit(unsigned b)
{
    return (uint64_t)1 << (b % 64);
}

/* Notes in regex node n the first bytes that PCRE2, before an anchored match, lets a subject
 * start with (its first code unit in either case, or its start bitmap): a word starting
 * otherwise is no match, found without running the expression (nor nearing its limits). */
static void
regex_first(struct tp_node *n)
{
    uint32_t opts = 0, type = 0, cu = 0;
    const uint8_t *map = NULL;
    uint64_t bits = 0;
    if (pcre2_pattern_info(n->re, PCRE2_INFO_ALLOPTIONS, &opts) != 0 ||
        (opts & PCRE2_NO_START_OPTIMIZE) ||
        pcre2_pattern_info(n->re, PCRE2_INFO_FIRSTCODETYPE, &type) != 0) {
        bits = 0;
    } else if (type == 1 && pcre2_pattern_info(n->re, PCRE2_INFO_FIRSTCODEUNIT, &cu) == 0) {
        /* The other case PCRE2 also accepts: ASCII's, or a code point's of the same value. */
        bits = first_bit(cu);
        if ((cu | 32) >= 'a' && (cu | 32) <= 'z')
            bits |= first_bit(cu ^ 32);
        int32_t up = utf8proc_toupper((int32_t)cu), low = utf8proc_tolower((int32_t)cu);
        if (cu > 127 && up < 256)
            bits |= first_bit((unsigned)up);
        if (cu > 127 && low < 256)
            bits |= first_bit((unsigned)low);
    } else if (type == 0 && pcre2_pattern_info(n->re, PCRE2_INFO_FIRSTBITMAP, &map) == 0 &&
               map != NULL) {
        for (unsigned b = 0; b < 256; b++)
            if ((map[b / 8] >> (b % 8)) & 1)
                bits |= first_bit(b);
    }
    n->str = (uint32_t)bits;
    n->len = (uint32_t)(bits >> 32);
}

/* Notes in regex node n (min, max: the byte + 1 in either case) the ASCII code unit PCRE2
 * requires in any match after its first (PCRE2_INFO_LASTCODEUNIT), 0 when none: a short ASCII
 * word without it is no match, found without running the expression (PCRE2 looks for it
 * before matching, so no limit is near). */
static void
regex_last(struct tp_node *n)
{
    uint32_t opts = 0, type = 0, cu = 0;
    n->min = n->max = 0;
    if (pcre2_pattern_info(n->re, PCRE2_INFO_ALLOPTIONS, &opts) != 0 ||
        (opts & PCRE2_NO_START_OPTIMIZE) ||
        pcre2_pattern_info(n->re, PCRE2_INFO_LASTCODETYPE, &type) != 0 || type != 1 ||
        pcre2_pattern_info(n->re, PCRE2_INFO_LASTCODEUNIT, &cu) != 0 || cu == 0 || cu > 127)
        return;
    n->min = (uint16_t)(cu + 1);
    n->max = (uint16_t)(((cu | 32) >= 'a' && (cu | 32) <= 'z' ? cu ^ 32 : cu) + 1);
}

/* Makes the word sets of classes and groups, and notes the word each sequence must start
 * with, so that alternatives that cannot start at a word are passed over at once. */
static void
build_sets(struct tp_store *s)
{
    for (size_t q = 0; q < s->nseqs; q++) {
        struct tp_seq *seq = &s->seqs[q];
        const struct tp_node *n = seq->n ? &s->nodes[seq->node] : NULL;
        if (n == NULL || (n->flags & (TP_OPT | TP_NOT)) ||
            (n->op != TP_WORD && n->op != TP_STEM))
            continue;
        seq->first = guard_hash(s->pool + n->str, n->len);
        seq->firstkind = n->op == TP_WORD ? 1 : 2;
    }
    for (size_t i = 0; i < s->nnodes; i++)
        if (s->nodes[i].op == TP_REGEX) {
            regex_first(&s->nodes[i]);
            regex_last(&s->nodes[i]);
        }
    for (size_t c = 0; c < s->nclasses; c++)
        make_set(s, s->classes[c].alt, s->classes[c].nalt, &s->classes[c].set,
                 &s->classes[c].nset, &s->classes[c].setstems);
    for (size_t i = 0; i < s->nnodes; i++)
        if (s->nodes[i].op == TP_GROUP)
            make_set(s, s->nodes[i].alt, s->nodes[i].nalt, &s->nodes[i].set, &s->nodes[i].nset,
                     &s->nodes[i].setstems);
}

/* Lays each bucket's chain out in one run of links, in chain order, so that a check reads a
 * word's patterns from consecutive memory: exact and prefix then hold where each bucket's run
 * starts (bucket b's ends where b + 1's starts). */
static void
pack_chains(struct tp_store *s)
{
    size_t nb = s->mask + 1, n = 0;
    struct tp_link *packed = xcalloc(s->nlinks + 1, sizeof *packed);
    uint32_t **tables[2] = {&s->exact, &s->prefix};
    for (size_t t = 0; t < 2; t++) {
        uint32_t *heads = *tables[t], *starts = xcalloc(nb + 1, sizeof *starts);
        for (size_t b = 0; b < nb; b++) {
            starts[b] = (uint32_t)n;
            for (uint32_t l = heads[b]; l; l = s->links[l - 1].next)
                packed[n++] = s->links[l - 1];
        }
        starts[nb] = (uint32_t)n;
        free(heads);
        *tables[t] = starts;
    }
    free(s->links);
    s->links = packed;
    s->caplinks = s->nlinks + 1;
}

/* Indexes every entry by the words it can start with. */
static void
build_index(struct tp_store *s)
{
    size_t size = 64;
    while (size < s->nentries * 4)
        size *= 2;
    s->mask = size - 1;
    s->exact = xcalloc(size, sizeof *s->exact);
    s->prefix = xcalloc(size, sizeof *s->prefix);
    s->reqs = xcalloc(s->nentries * TP_REQS_MAX + 1, sizeof *s->reqs);
    for (size_t e = 0; e < s->nentries; e++) {
        s->entries[e].req = &s->reqs[e * TP_REQS_MAX];
        required_words(s, &s->entries[e]);
        struct keyset k = {0};
        first_keys(s, s->entries[e].seq, 0, &k, 0);
        uint32_t hash;
        bool prefix;
        uint8_t lo, hi;
        if (k.open && anchor_word(s, &s->entries[e], &hash, &prefix, &lo, &hi)) {
            link_add(s, prefix ? s->prefix : s->exact, hash, (uint32_t)e, lo, hi);
            continue;
        }
        /* Indexed by a later word or set of words instead of tried at every word: only for
         * a pattern whose tries cannot reach a limit, or at least not those that fail at that
         * word, as the tries passed over do. */
        struct keyset ak;
        uint32_t at;
        if (k.open && anchor_set(s, &s->entries[e], &ak, &lo, &hi, &at) &&
            (s->entries[e].bounded || try_bounded(s, &s->entries[e], at))) {
            for (size_t i = 0; i < ak.nexact; i++)
                link_add(s, s->exact, ak.exact[i], (uint32_t)e, lo, hi);
            for (size_t i = 0; i < ak.nprefix; i++)
                link_add(s, s->prefix, ak.prefix[i], (uint32_t)e, lo, hi);
            continue;
        }
        if (k.open) {
            s->open = xreallocarray(s->open, s->nopen + 1, sizeof *s->open);
            s->open[s->nopen++] = (uint32_t)e;
            continue;
        }
        for (size_t i = 0; i < k.nexact; i++)
            link_add(s, s->exact, k.exact[i], (uint32_t)e, 0, 0);
        for (size_t i = 0; i < k.nprefix; i++)
            link_add(s, s->prefix, k.prefix[i], (uint32_t)e, 0, 0);
    }
    pack_chains(s);
}

/* Packs the required-word sets: per pattern, each set's size, then its words' bits. */
static void
pack_reqs(struct tp_store *s)
{
    size_t n = 0;
    for (size_t e = 0; e < s->nentries; e++)
        for (uint8_t k = 0; k < s->entries[e].nreq; k++)
            n += 1 + (size_t)s->entries[e].req[k].n;
    free(s->reqbits);
    free(s->reqstart);
    s->reqbits = xcalloc(n + 1, sizeof *s->reqbits);
    s->reqstart = xcalloc(s->nentries + 1, sizeof *s->reqstart);
    s->nreqbits = n;
    size_t at = 0;
    for (size_t e = 0; e < s->nentries; e++) {
        s->reqstart[e] = (uint32_t)at;
        /* Smallest sets first: a text lacks a pattern's one rare word more often than all
         * of a long list, and a set with no word in the text is read to its end. */
        const struct tp_req *req = s->entries[e].req;
        uint8_t order[TP_REQS_MAX], nreq = s->entries[e].nreq;
        for (uint8_t k = 0; k < nreq; k++) {
            uint8_t j = k;
            for (; j > 0 && req[order[j - 1]].n > req[k].n; j--)
                order[j] = order[j - 1];
            order[j] = k;
        }
        for (uint8_t k = 0; k < nreq; k++) {
            const struct tp_req *r = &req[order[k]];
            s->reqbits[at++] = r->n;
            for (uint8_t w = 0; w < r->n; w++)
                s->reqbits[at++] = (uint16_t)(r->h[w] % WORD_BITS +
                                              ((r->prefix >> w) & 1 ? WORD_BITS : 0));
        }
    }
}

/* Makes room for each alternative's first word beside the others of its list; they and the
 * lists' filters of first words are made as the check needs them (see alt_bloom), as most
 * lists are never tried. */
static void
pack_alts(struct tp_store *s)
{
    free(s->altfirst);
    free(s->altsecond);
    free(s->altbloom);
    free(s->altmask);
    s->altbloom = xcalloc(s->nalts + 1, sizeof *s->altbloom);
    /* (Written for a list when its altbloom is made, before any is read: left unzeroed.) */
    s->altfirst = xreallocarray(NULL, s->nalts + 1, sizeof *s->altfirst);
    s->altsecond = xreallocarray(NULL, s->nalts + 1, sizeof *s->altsecond);
    s->altmask = xreallocarray(NULL, s->nalts + 1, sizeof *s->altmask);
    lazy_free(s->lazy);
    s->lazy = xcalloc(1, sizeof *s->lazy);
}

static uint32_t set_size(const struct tp_store *s, const struct tp_node *n);
static uint64_t alt_bloom(const struct tp_store *s, uint32_t alt, uint32_t nalt);

/* Whether node n is one word that must have a capital: a try at a word without one fails at
 * it, in one step. */
static bool
needs_capital(const struct tp_node *n)
{
    return (n->flags & (TP_CAP | TP_OPT | TP_NOT)) == TP_CAP && n->op != TP_SKIP &&
           n->op != TP_GROUP && n->op != TP_CLASS;
}

/* The code units open patterns' /re/s need, before the first is merged (see unit_merge). */
#define UNITS_UNSET UINT32_MAX

/* Merges regex node n's required code units (regex_last) into units, the ones every /re/
 * that can start an open pattern requires: UNITS_UNSET before the first, 0 when they differ
 * or one requires none. */
static uint32_t
unit_merge(uint32_t units, const struct tp_node *n)
{
    uint32_t mine = n->min ? (uint32_t)n->min | (uint32_t)n->max << 16 : 0;
    if (units == UNITS_UNSET)
        return mine;
    return units == mine ? units : 0;
}

/* Where a sequence whose first node is n can start (TP_START_* bits), adding a first /re/'s
 * bytes to *bytes and merging its required code units into *units: a word with a capital for
 * a part that needs one, a word its /re/ can start with. */
static uint8_t
node_start(const struct tp_node *n, uint64_t *bytes, uint32_t *units)
{
    if (needs_capital(n))
        return TP_START_CAPITAL;
    uint64_t first = (uint64_t)n->len << 32 | n->str;
    if (n->op != TP_REGEX || (n->flags & (TP_OPT | TP_NOT)) || first == 0)
        return TP_START_ANY;
    *bytes |= first;
    *units = unit_merge(*units, n);
    return TP_START_BYTES;
}

/* Where open pattern e can start (TP_START_* bits), with *bytes the first bytes of words that
 * can and *units the code units such words need (see unit_merge). A try at a word it cannot
 * start at fails at its first part within a few steps, without running an expression, and
 * cannot reach a limit, so it need not be made. */
static uint8_t
open_start(const struct tp_store *s, uint32_t e, uint64_t *bytes, uint32_t *units)
{
    const struct tp_seq *q = &s->seqs[s->entries[e].seq];
    if (q->n == 0)
        return TP_START_ANY;
    const struct tp_node *n = &s->nodes[q->node];
    if (n->op != TP_GROUP && n->op != TP_CLASS)
        return node_start(n, bytes, units);
    if ((n->flags & (TP_OPT | TP_NOT)) || set_size(s, n) != 0)
        return TP_START_ANY;
    uint32_t alt, nalt;
    tp_node_alts(s, n, &alt, &nalt);
    if (nalt > 0)
        alt_bloom(s, alt, nalt); /* (makes the list's altfirst) */
    uint8_t start = 0;
    for (uint32_t a = 0; a < nalt; a++) {
        const struct tp_seq *aq = &s->seqs[s->alts[alt + a]];
        if (s->altfirst[alt + a] != 0)
            start |= TP_START_FIRST;
        else if (aq->n == 0)
            return TP_START_ANY;
        else
            start |= node_start(&s->nodes[aq->node], bytes, units);
    }
    return start & TP_START_ANY ? TP_START_ANY : start;
}

/* Notes where each open pattern can start. */
static void
pack_open(struct tp_store *s)
{
    free(s->openstart);
    free(s->openbytes);
    free(s->openunits);
    s->openstart = xcalloc(s->nopen + 1, 1);
    s->openbytes = xcalloc(s->nopen + 1, sizeof *s->openbytes);
    s->openunits = xcalloc(s->nopen + 1, sizeof *s->openunits);
    for (size_t k = 0; k < s->nopen; k++) {
        uint32_t units = UNITS_UNSET;
        s->openstart[k] = open_start(s, s->open[k], &s->openbytes[k], &units);
        s->openunits[k] = units == UNITS_UNSET ? 0 : units;
    }
}

/* Lists the required sets by their words' bits (reqpost, reqposts): counts each bit's words,
 * makes the counts the ends of the runs, then puts each word at the end of its run, moving the
 * end back, so that each run's end becomes its start. */
static void
pack_posts(struct tp_store *s)
{
    free(s->reqpost);
    free(s->reqposts);
    s->reqpost = xcalloc(2 * WORD_BITS + 1, sizeof *s->reqpost);
    s->reqposts = xreallocarray(NULL, s->nreqbits + 1, sizeof *s->reqposts); /* (room) */
    const uint16_t *bits = s->reqbits;
    for (size_t e = 0; e < s->nentries; e++) {
        const uint16_t *p = bits + s->reqstart[e];
        for (uint8_t k = 0; k < s->entries[e].nreq; p += 1 + *p, k++)
            for (uint16_t w = 1; w <= *p; w++)
                s->reqpost[p[w]]++;
    }
    for (size_t b = 1; b <= 2 * WORD_BITS; b++)
        s->reqpost[b] += s->reqpost[b - 1];
    s->nreqposts = s->reqpost[2 * WORD_BITS];
    for (size_t e = 0; e < s->nentries; e++) {
        const uint16_t *p = bits + s->reqstart[e];
        for (uint8_t k = 0; k < s->entries[e].nreq; p += 1 + *p, k++)
            for (uint16_t w = 1; w <= *p; w++)
                s->reqposts[--s->reqpost[p[w]]] = (uint32_t)(e * TP_REQS_MAX + k);
    }
}

void
guard_tokpat_pack(struct tp_store *s)
{
    if (s->map == NULL) { /* read from the cache, the sets come packed and listed */
        pack_reqs(s);
        pack_posts(s);
    }
    pack_alts(s);
    pack_open(s);
}

/* Marks in have[e], bit k, each pattern e whose required set k holds a word of the text, by
 * the text's word filter bits (2 * WORD_BITS of them). */
static void
sets_met(const struct tp_store *s, const uint64_t *bits, uint8_t *have)
{
    for (size_t w = 0; w < 2 * WORD_BITS / 64; w++) {
        for (uint64_t m = bits[w]; m != 0; m &= m - 1) {
            size_t b = w * 64 + (size_t)__builtin_ctzll(m);
            for (uint32_t p = s->reqpost[b]; p < s->reqpost[b + 1]; p++) {
                uint32_t post = s->reqposts[p];
                have[post / TP_REQS_MAX] |= (uint8_t)(1u << post % TP_REQS_MAX);
            }
        }
    }
}

bool
guard_tokpat_reqs_valid(const struct tp_store *s)
{
    /* Every item, a set's size or a word's bit, is under 2 * WORD_BITS (a power of two): all
     * are checked at once, four in a 64-bit word, for a bit at or above it. */
    _Static_assert((2 * WORD_BITS & (2 * WORD_BITS - 1)) == 0 && 2 * WORD_BITS <= 0x8000 &&
                       TP_REQ_WORDS < 2 * WORD_BITS,
                   "the word bits are checked by their high bits");
    const uint64_t high = (uint64_t)(uint16_t)~(2 * WORD_BITS - 1) * 0x0001000100010001ull;
    uint64_t seen = 0;
    size_t i = 0;
    for (; i + 4 <= s->nreqbits; i += 4) {
        uint64_t v;
        memcpy(&v, s->reqbits + i, 8);
        seen |= v;
    }
    for (; i < s->nreqbits; i++)
        seen |= s->reqbits[i];
    if (seen & high)
        return false;
    for (size_t e = 0; e < s->nentries; e++) {
        size_t at = s->reqstart[e];
        for (uint8_t k = 0; k < s->entries[e].nreq; k++) {
            if (at >= s->nreqbits || s->reqbits[at] > TP_REQ_WORDS ||
                s->reqbits[at] > s->nreqbits - at - 1)
                return false;
            at += 1 + (size_t)s->reqbits[at];
        }
    }
    return true;
}

/* Whether class ci refers to itself through its members, up to a depth. */
static bool
class_loops(const struct tp_store *s, uint32_t seq, uint32_t ci, int depth)
{
    const struct tp_seq *q = &s->seqs[seq];
    for (uint32_t i = 0; i < q->n; i++) {
        const struct tp_node *n = &s->nodes[q->node + i];
        if (n->op != TP_GROUP && n->op != TP_CLASS)
            continue;
        if (n->op == TP_CLASS && (n->alt == ci || depth >= TP_DEPTH_MAX))
            return true;
        uint32_t alt, nalt;
        tp_node_alts(s, n, &alt, &nalt);
        for (uint32_t a = 0; a < nalt; a++)
            if (class_loops(s, s->alts[alt + a], ci, depth + 1))
                return true;
    }
    return false;
}

/* Appends a problem line to errors. */
static void
compile_error(struct buf *errors, const char *file, int line, const char *msg)
{
    if (errors->len)
        buf_addc(errors, '\n');
    buf_printf(errors, "%s:%d: %s", file, line, msg);
}

/* Sizes the store's arrays for the patterns' text at once (shipped patterns take about five
 * bytes a node), so that compiling them does not copy the arrays again and again as they grow
 * (they still grow when a text needs more). */
static void
reserve(struct guard *g)
{
    struct tp_store *s = &g->tp;
    size_t bytes = 0;
    for (size_t c = 0; c < s->nclasses; c++)
        for (size_t m = 0; m < s->classes[c].nmembers; m++)
            bytes += strlen(s->classes[c].members[m].text) + 1;
    for (size_t ri = 0; ri < g->nrules; ri++)
        if (g->rules[ri].kind == KIND_PATTERN)
            for (size_t i = 0; i < g->rules[ri].nentries; i++)
                bytes += strlen(g->rules[ri].entries[i].text) + 1;
    if (s->capnodes < bytes / 4) {
        s->capnodes = bytes / 4;
        s->nodes = xreallocarray(s->nodes, s->capnodes, sizeof *s->nodes);
    }
    if (s->capseqs < bytes / 6) {
        s->capseqs = bytes / 6;
        s->seqs = xreallocarray(s->seqs, s->capseqs, sizeof *s->seqs);
    }
    if (s->capalts < bytes / 6) {
        s->capalts = bytes / 6;
        s->alts = xreallocarray(s->alts, s->capalts, sizeof *s->alts);
    }
    if (s->poolcap < bytes) {
        s->poolcap = bytes;
        s->pool = xrealloc(s->pool, s->poolcap);
    }
}

/* Compiles the members of every class into alternatives. */
static size_t
compile_classes(struct guard *g, struct sb_stemmer *stemmer, struct buf *errors)
{
    struct tp_store *s = &g->tp;
    size_t nerr = 0;
    for (size_t c = 0; c < s->nclasses; c++) {
        uint32_t *ids = xcalloc(s->classes[c].nmembers + 1, sizeof *ids);
        size_t n = 0;
        for (size_t m = 0; m < s->classes[c].nmembers; m++) {
            const struct guard_entry *e = &s->classes[c].members[m];
            char *err = NULL;
            long seq = parse(s, s, stemmer, e->text, false, &err);
            if (seq < 0) {
                compile_error(errors, e->file, e->line, err);
                free(err);
                nerr++;
                continue;
            }
            ids[n++] = (uint32_t)seq;
        }
        s->classes[c].alt = alts_add(s, ids, n);
        s->classes[c].nalt = (uint32_t)n;
        free(ids);
    }
    for (size_t c = 0; c < s->nclasses && nerr == 0; c++) {
        for (uint32_t a = 0; a < s->classes[c].nalt; a++) {
            if (!class_loops(s, s->alts[s->classes[c].alt + a], (uint32_t)c, 0))
                continue;
            char *msg = xasprintf("word class @%s refers to itself (or nests too deeply)",
                                  s->classes[c].name);
            compile_error(errors, s->classes[c].file, s->classes[c].line, msg);
            free(msg);
            nerr++;
            break;
        }
    }
    return nerr;
}

size_t
guard_tokpat_compile(struct guard *g, const char *cache_dir, struct buf *errors)
{
    struct tp_store *s = &g->tp;
    if (guard_cache_load(g, cache_dir))
        return 0;
    reserve(g);
    struct sb_stemmer *stemmer = sb_stemmer_new("english", NULL);
    size_t nerr = compile_classes(g, stemmer, errors);
    for (size_t ri = 0; ri < g->nrules && nerr == 0; ri++) {
        const struct guard_rule *r = &g->rules[ri];
        if (r->kind != KIND_PATTERN)
            continue;
        for (size_t i = 0; i < r->nentries; i++) {
            const struct guard_entry *e = &r->entries[i];
            if (e->except && !e->anti)
                continue; /* except = is a phrase, in the phrase matcher */
            char *err = NULL;
            long seq = parse(s, s, stemmer, e->text, true, &err);
            if (seq < 0) {
                compile_error(errors, e->file, e->line, err);
                free(err);
                nerr++;
                continue;
            }
            if (s->nentries == s->capentries) {
                s->capentries = s->capentries ? s->capentries * 2 : 64;
                s->entries = xreallocarray(s->entries, s->capentries, sizeof *s->entries);
            }
            s->entries[s->nentries++] = (struct tp_entry){
                .rule = (uint32_t)ri, .seq = (uint32_t)seq, .entry = (uint32_t)i,
                .anti = e->anti, .user = e->user};
        }
    }
    if (stemmer)
        sb_stemmer_delete(stemmer);
    if (nerr == 0) {
        build_sets(s);
        guard_tokfollow_build(s); /* (before the index, which reads which are bounded) */
        build_index(s);
        guard_tokpat_pack(s);
        guard_cache_save(g, cache_dir);
    }
    return nerr;
}

/* ---- Matching ---- */

struct tp_match {
    struct guard_ctx *c;
    struct guard_view *v;
    const struct tp_store *s;
    size_t start, end;        /* tokens: where it starts, and the one after it */
    long steps;
    bool overflow;
};

/* A place in a sequence, and where to go on when the sequence is done. */
struct tp_frame {
    uint32_t seq, i;
    int depth;
    const struct tp_frame *up;
};

/* The slot of v's table of stemmed tokens for token i: the one holding a token with the same
 * fold, or the free one where i would go. */
static size_t
stemmed_slot(const struct guard_view *v, size_t i)
{
    const struct guard_tok *t = &v->toks[i];
    size_t k = t->hash & v->stemmask;
    for (; v->stemmed[k] != 0; k = (k + 1) & v->stemmask) {
        const struct guard_tok *u = &v->toks[v->stemmed[k] - 1];
        if (u->hash == t->hash && u->fold_len == t->fold_len &&
            memcmp(v->fold + u->fold, v->fold + t->fold, t->fold_len) == 0)
            break;
    }
    return k;
}

/* Makes v's per-token stems and its table of stemmed tokens, empty. */
static void
stems_new(struct guard_view *v)
{
    size_t size = 16;
    while (size < v->ntoks * 2)
        size *= 2;
    v->stems = xcalloc(v->ntoks + 1, sizeof *v->stems);
    v->stemmed = xcalloc(size, sizeof *v->stemmed);
    v->stemmask = size - 1;
}

/* The stem of token i of the view, made once for each word (the stemmer gives a word the
 * same stem wherever it stands); NULL when no stemmer can be had. */
static const char *
tok_stem(struct tp_match *m, size_t i, size_t *len)
{
    struct guard_view *v = m->v;
    if (v->stems == NULL)
        stems_new(v);
    size_t slot = 0;
    if (v->stems[i] == 0) {
        slot = stemmed_slot(v, i);
        if (v->stemmed[slot] != 0)
            v->stems[i] = v->stems[v->stemmed[slot] - 1];
    }
    if (v->stems[i] == 0) {
        if (m->c->stemmer == NULL)
            m->c->stemmer = sb_stemmer_new("english", NULL);
        if (m->c->stemmer == NULL)
            return NULL;
        const struct guard_tok *t = &v->toks[i];
        const sb_symbol *st = sb_stemmer_stem(m->c->stemmer,
                                              (const sb_symbol *)v->fold + t->fold,
                                              (int)t->fold_len);
        int n = st ? sb_stemmer_length(m->c->stemmer) : 0;
        if (n < 0)
            n = 0;
        if (v->stemlen + (size_t)n + 1 > v->stemcap) {
            v->stemcap = (v->stemlen + (size_t)n + 1) * 2 + 256;
            v->stempool = xrealloc(v->stempool, v->stemcap);
        }
        if (n)
            memcpy(v->stempool + v->stemlen, st, (size_t)n);
        v->stempool[v->stemlen + (size_t)n] = '\0';
        v->stems[i] = (uint32_t)v->stemlen + 1;
        v->stemlen += (size_t)n + 1;
        v->stemmed[slot] = (uint32_t)i + 1;
    }
    const char *s = v->stempool + v->stems[i] - 1;
    *len = strlen(s);
    return s;
}

/* Whether a short ASCII word (a longer one, or one with other bytes, is not judged) holds
 * neither code unit a nor b: then a regex requiring one of them cannot match it. */
static bool
lacks_unit(const char *have, size_t hlen, unsigned a, unsigned b)
{
    if (hlen >= 256)
        return false;
    for (size_t k = 0; k < hlen; k++) {
        unsigned char ch = (unsigned char)have[k];
        if (ch == a || ch == b || ch >= 128)
            return false;
    }
    return true;
}

/* Whether a word, prefix, stem, regex or any-word node matches token i (ignoring '!'). */
static bool
atom_matches(struct tp_match *m, const struct tp_node *n, size_t i)
{
    const struct guard_view *v = m->v;
    const struct guard_tok *t = &v->toks[i];
    if ((n->flags & TP_CAP) && !(t->flags & (TOK_CAPITAL | TOK_UPPER)))
        return false;
    const char *have = v->fold + t->fold;
    const char *want = n->op == TP_REGEX ? NULL : m->s->pool + n->str;
    size_t hlen = t->fold_len;
    switch (n->op) {
    case TP_ANY:
        return (t->flags & TOK_WORD) != 0;
    case TP_WORD:
        if (hlen == n->len)
            return guard_same_bytes(have, want, hlen);
        return hlen == n->len + 2 && guard_same_bytes(have, want, n->len) &&
               memcmp(have + n->len, "'s", 2) == 0;
    case TP_PREFIX:
        return hlen >= n->len && guard_same_bytes(have, want, n->len);
    case TP_STEM: {
        size_t pre = tp_stem_start(n->len);
        if (hlen < pre || memcmp(have, want, pre) != 0)
            return false;
        size_t slen;
        const char *st = tok_stem(m, i, &slen);
        return st && slen == n->len && memcmp(st, want, slen) == 0;
    }
    case TP_REGEX: {
        uint64_t first = (uint64_t)n->len << 32 | n->str;
        if (first && (hlen == 0 || !((first >> ((unsigned char)have[0] % 64)) & 1)))
            return false; /* as PCRE2 would find at once */
        if (n->min && lacks_unit(have, hlen, n->min - 1, n->max - 1))
            return false; /* and this too */
        int rc = pcre2_match(n->re, (PCRE2_SPTR)have, hlen, 0,
                             PCRE2_ANCHORED | PCRE2_ENDANCHORED, m->c->md, m->c->g->mctx);
        if (rc < 0 && rc != PCRE2_ERROR_NOMATCH)
            m->overflow = true;
        return rc >= 0;
    }
    default:
        return false;
    }
}

/* Whether a member of the set [set, set + nset) with this hash matches token i: a word
 * member by its fold, a stem member by the token's stem. */
static bool
set_has(struct tp_match *m, uint32_t set, uint32_t nset, uint32_t hash, size_t i)
{
    const struct tp_setent *v = m->s->sets + set;
    size_t lo = 0, hi = nset;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid].hash < hash)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < nset && v[lo].hash == hash; lo++)
        if (atom_matches(m, &m->s->nodes[v[lo].node], i))
            return true;
    return false;
}

/* Whether the word set of group or class node n matches token i (its own '^' applies). */
static bool
set_matches(struct tp_match *m, const struct tp_node *n, uint32_t set, uint32_t nset, size_t i)
{
    const struct guard_tok *t = &m->v->toks[i];
    if ((n->flags & TP_CAP) && !(t->flags & (TOK_CAPITAL | TOK_UPPER)))
        return false;
    if (set_has(m, set, nset, t->hash, i) || (t->shash && set_has(m, set, nset, t->shash, i)))
        return true;
    /* A word member matches by the token's own form, found above; only a stem member can
     * match by the token's stem, so a set without stems needs none made. */
    if (!(n->op == TP_CLASS ? m->s->classes[n->alt].setstems : n->setstems))
        return false;
    size_t slen;
    const char *st = tok_stem(m, i, &slen);
    return st && set_has(m, set, nset, guard_hash(st, slen), i);
}

void
tp_node_set(const struct tp_store *s, const struct tp_node *n, uint32_t *set, uint32_t *nset)
{
    if (n->op == TP_CLASS) {
        *set = s->classes[n->alt].set;
        *nset = s->classes[n->alt].nset;
    } else {
        *set = n->op == TP_GROUP ? n->set : 0;
        *nset = n->op == TP_GROUP ? n->nset : 0;
    }
}

/* Whether node n matches exactly the one token i (for '!'): atoms, and the one-word
 * alternatives of groups and classes. */
static bool
one_token_matches(struct tp_match *m, const struct tp_node *n, size_t i, int depth)
{
    if (n->op != TP_GROUP && n->op != TP_CLASS)
        return atom_matches(m, n, i);
    if (depth >= TP_DEPTH_MAX)
        return false;
    const struct tp_store *s = m->s;
    uint32_t set, nset;
    tp_node_set(s, n, &set, &nset);
    if (nset)
        return set_matches(m, n, set, nset, i);
    uint32_t alt, nalt;
    tp_node_alts(s, n, &alt, &nalt);
    for (uint32_t a = 0; a < nalt; a++) {
        const struct tp_seq *q = &s->seqs[s->alts[alt + a]];
        if (q->n == 1 && one_token_matches(m, &s->nodes[q->node], i, depth + 1))
            return true;
    }
    return false;
}

/* Whether token i may be part of the match: it exists, and no sentence or line starts at it
 * (except at the match's first token). */
static bool
tok_usable(const struct tp_match *m, size_t i)
{
    if (i >= m->v->ntoks)
        return false;
    return i == m->start || !(m->v->toks[i].flags & (TOK_SENTENCE | TOK_LINE));
}

/* Whether sequence q can start at token pos, judged by the word it must start with. */
static bool
may_start(struct tp_match *m, const struct tp_seq *q, size_t pos)
{
    if (q->firstkind == 0)
        return true;
    if (pos >= m->v->ntoks)
        return false;
    const struct guard_tok *t = &m->v->toks[pos];
    if (q->firstkind == 1)
        return q->first == t->hash || q->first == t->shash;
    size_t slen;
    const char *st = tok_stem(m, pos, &slen);
    return st == NULL || q->first == guard_hash(st, slen);
}

/* How many members the word set of group or class node n has (0: none). */
static uint32_t
set_size(const struct tp_store *s, const struct tp_node *n)
{
    uint32_t set, nset;
    tp_node_set(s, n, &set, &nset);
    return nset;
}

/* The bits of the words alternative seq can start with (all set when it can start with a
 * stem, a prefix, a regex or anything else, or be empty): the index's first words, seen
 * through leading groups and classes. */
static uint64_t
alt_mask(const struct tp_store *s, uint32_t seq)
{
    struct keyset k = {0};
    if (first_keys(s, seq, 0, &k, 0) || k.open || k.nprefix > 0)
        return ~(uint64_t)0;
    uint64_t mask = 0;
    for (size_t i = 0; i < k.nexact; i++)
        mask |= (uint64_t)1 << tp_alt_bit(k.exact[i]);
    return mask;
}

/* The filter of the first words of the alternatives from alt (nalt > 0), and each
 * alternative's first word (altfirst), own filter (altmask) and second word (altsecond), made
 * on first need and kept in the store: most lists are never tried, and making them all would
 * slow every load. Called before any of them is read. */
static uint64_t
alt_bloom(const struct tp_store *s, uint32_t alt, uint32_t nalt)
{
    if (s->altbloom[alt] != 0)
        return s->altbloom[alt];
    uint64_t bloom = 0;
    for (uint32_t a = 0; a < nalt; a++) {
        const struct tp_seq *fq = &s->seqs[s->alts[alt + a]];
        s->altfirst[alt + a] = fq->firstkind == 1 ? fq->first : 0;
    }
    for (uint32_t a = 0; a < nalt; a++) {
        uint32_t first = s->altfirst[alt + a];
        uint64_t mask = first ? (uint64_t)1 << tp_alt_bit(first) : alt_mask(s, s->alts[alt + a]);
        s->altmask[alt + a] = mask;
        bloom |= mask;
        const struct tp_seq *q = &s->seqs[s->alts[alt + a]];
        const struct tp_node *n2 = q->n >= 2 ? &s->nodes[q->node + 1] : NULL;
        bool two = first && n2 && n2->op == TP_WORD && !(n2->flags & (TP_OPT | TP_NOT));
        s->altsecond[alt + a] = two ? guard_hash(s->pool + n2->str, n2->len) : 0;
    }
    s->altbloom[alt] = bloom; /* (nalt > 0 here, and no mask is 0, so bloom is not 0) */
    return bloom;
}

/* Whether filter mask holds a word whose bit is hbit, or whose stem's is sbit (when it has a
 * stem). */
static inline bool
mask_has_word(uint64_t mask, unsigned hbit, unsigned sbit, bool stem)
{
    return ((mask >> hbit) & 1) || (stem && ((mask >> sbit) & 1));
}

/* Matches from frame f at token pos; on success m->end is the token after the match. */
static bool
step(struct tp_match *m, const struct tp_frame *f, size_t pos)
{
    if (++m->steps > TP_STEPS_MAX) {
        m->overflow = true;
        return false;
    }
    while (f && f->i == m->s->seqs[f->seq].n)
        f = f->up;
    if (f == NULL) {
        m->end = pos;
        return pos > m->start;
    }
    const struct tp_seq *q = &m->s->seqs[f->seq];
    const struct tp_node *n = &m->s->nodes[q->node + f->i];
    struct tp_frame next = {f->seq, f->i + 1, f->depth, f->up};
    if (n->op == TP_SKIP) {
        for (size_t k = 0; k <= n->max; k++) {
            if (k > 0 && !tok_usable(m, pos + k - 1))
                return false;
            if (k >= n->min && step(m, &next, pos + k))
                return true;
            if (m->overflow)
                return false;
        }
        return false;
    }
    if (n->flags & TP_NOT) {
        if (tok_usable(m, pos) && (m->v->toks[pos].flags & TOK_WORD) &&
            !one_token_matches(m, n, pos, f->depth) && step(m, &next, pos + 1))
            return true;
    } else if ((n->op == TP_GROUP || n->op == TP_CLASS) && set_size(m->s, n)) {
        uint32_t set, nset;
        tp_node_set(m->s, n, &set, &nset);
        if (tok_usable(m, pos) && set_matches(m, n, set, nset, pos) && step(m, &next, pos + 1))
            return true;
    } else if (n->op == TP_GROUP || n->op == TP_CLASS) {
        if (f->depth >= TP_DEPTH_MAX) {
            m->overflow = true;
            return false;
        }
        const struct tp_store *s = m->s;
        uint32_t alt, nalt;
        tp_node_alts(s, n, &alt, &nalt);
        /* The first words, side by side, rule out most alternatives (as may_start would:
         * word hashes are never 0, so past the last token none matches). */
        const uint32_t *first = s->altfirst + alt;
        bool there = pos < m->v->ntoks;
        uint32_t hash = there ? m->v->toks[pos].hash : 0;
        uint32_t shash = there ? m->v->toks[pos].shash : 0;
        /* And all of them together first: often none can start here. */
        uint64_t bloom = alt_bloom(s, alt, nalt);
        unsigned hbit = tp_alt_bit(hash), sbit = tp_alt_bit(shash);
        if (!mask_has_word(bloom, hbit, sbit, shash != 0))
            nalt = 0;
        const uint64_t *mask = s->altmask + alt;
        const uint32_t *second = s->altsecond + alt;
        /* The word after, for alternatives of two words: 0 when none can follow here. */
        bool there2 = pos + 1 < m->v->ntoks &&
                      !(m->v->toks[pos + 1].flags & (TOK_SENTENCE | TOK_LINE));
        uint32_t hash2 = there2 ? m->v->toks[pos + 1].hash : 0;
        uint32_t shash2 = there2 ? m->v->toks[pos + 1].shash : 0;
        for (uint32_t a = 0; a < nalt && !m->overflow; a++) {
            if (first[a] != 0 && first[a] != hash && first[a] != shash)
                continue;
            if (second[a] != 0 && second[a] != hash2 && second[a] != shash2)
                continue;
            /* One led by a group or class: by the words those can start with. */
            if (first[a] == 0 && !mask_has_word(mask[a], hbit, sbit, shash != 0))
                continue;
            if (first[a] == 0 && !may_start(m, &s->seqs[s->alts[alt + a]], pos))
                continue;
            struct tp_frame sub = {s->alts[alt + a], 0, f->depth + 1, &next};
            if (step(m, &sub, pos))
                return true;
        }
    } else if (tok_usable(m, pos) && atom_matches(m, n, pos) && step(m, &next, pos + 1)) {
        return true;
    }
    if (m->overflow)
        return false;
    return (n->flags & TP_OPT) && step(m, &next, pos);
}

/* Records a hit of entry e on tokens [start, end). */
static void
hit_add(struct guard_view *v, uint32_t e, size_t start, size_t end)
{
    if (v->ntphits == v->captphits) {
        v->captphits = v->captphits ? v->captphits * 2 : 32;
        v->tphits = xreallocarray(v->tphits, v->captphits, sizeof *v->tphits);
    }
    v->tphits[v->ntphits++] = (struct tp_hit){e, v->toks[start].start, v->toks[end - 1].end};
}

/* Whether token j can be the second word of entry e's match, by its follow filter (for
 * entries that have one): a try that fails this cannot match, nor reach a limit. */
static bool
may_follow(struct tp_match *m, const struct tp_entry *te, size_t e, size_t j)
{
    if (j >= m->v->ntoks)
        return false;
    const struct guard_tok *t = &m->v->toks[j];
    if (t->flags & (TOK_SENTENCE | TOK_LINE))
        return false; /* a match never crosses into the next sentence or line */
    const uint64_t *bits = m->s->follow + e * TP_FOLLOW_WORDS;
    if (tp_follow_has(bits, TP_FOLLOW_WORD, t->hash) ||
        (t->shash && tp_follow_has(bits, TP_FOLLOW_WORD, t->shash)) ||
        (t->phash && tp_follow_has(bits, TP_FOLLOW_PREFIX, t->phash)))
        return true;
    if (te->follow != 2)
        return false;
    /* A stem takes only a word that starts as it does: most words need not be stemmed. */
    const char *f = m->v->fold + t->fold;
    bool starts = false;
    for (size_t k = 0; k <= tp_stem_start(t->fold_len) && !starts; k++)
        starts = tp_follow_has(bits, TP_FOLLOW_STEM_START, guard_hash(f, k));
    if (!starts)
        return false;
    size_t slen;
    const char *st = tok_stem(m, j, &slen);
    return st == NULL || tp_follow_has(bits, TP_FOLLOW_STEM, guard_hash(st, slen));
}

/* What a scan of one view keeps: per pattern, where it was last tried; per sentence (tokens
 * no match crosses), a filter of its words. */
struct tp_scan {
    uint32_t *tried;          /* per entry: token + 1 last tried, UINT32_MAX: never */
    uint32_t *sentok;         /* per entry: 2 * (sentence + 1) + whether it may match there */
    uint32_t *sentence;       /* per token: its sentence */
    uint64_t *sentbits;       /* per sentence: SENT_BITS bits of its words' hashes */
    const uint64_t *bits;     /* the whole text's words and prefixes (WORD_BITS each) */
};

/* Whether sentence k holds a word of each of entry e's required sets, as far as its filter
 * tells (a prefix or stem is looked for in the whole text, since a stem may not start as its
 * words do). */
static bool
sentence_may_match(const struct tp_store *s, const struct tp_scan *sc, uint32_t e, size_t k)
{
    const uint64_t *sb = sc->sentbits + k * (SENT_BITS / 64);
    const uint16_t *p = s->reqbits + s->reqstart[e];
    for (uint8_t r = 0; r < s->entries[e].nreq; r++) {
        uint16_t n = *p++;
        bool any = false;
        for (uint16_t w = 0; w < n && !any; w++) {
            unsigned b = p[w] < WORD_BITS ? p[w] % SENT_BITS : 0;
            any = p[w] < WORD_BITS ? (sb[b / 64] >> (b % 64)) & 1
                                   : (sc->bits[p[w] / 64] >> (p[w] % 64)) & 1;
        }
        p += n;
        if (!any)
            return false;
    }
    return true;
}

/* Whether open pattern k can start at token t of v (see open_start). */
static bool
may_start_open(const struct tp_store *s, size_t k, const struct guard_view *v,
               const struct guard_tok *t)
{
    uint8_t start = s->openstart[k];
    if ((start & TP_START_ANY) ||
        ((start & TP_START_CAPITAL) && (t->flags & (TOK_CAPITAL | TOK_UPPER))))
        return true;
    if ((start & TP_START_BYTES) && t->fold_len > 0 &&
        ((s->openbytes[k] >> ((unsigned char)v->fold[t->fold] % 64)) & 1) &&
        !(s->openunits[k] && lacks_unit(v->fold + t->fold, t->fold_len,
                                        (s->openunits[k] & 0xffff) - 1,
                                        (s->openunits[k] >> 16) - 1)))
        return true; /* (a word its /re/s' first bytes allow, holding the unit they need) */
    if (!(start & TP_START_FIRST))
        return false;
    const struct tp_node *n = &s->nodes[s->seqs[s->entries[s->open[k]].seq].node];
    uint32_t alt, nalt;
    tp_node_alts(s, n, &alt, &nalt);
    if (nalt > 0)
        alt_bloom(s, alt, nalt); /* (made at load by open_start already) */
    for (uint32_t a = 0; a < nalt; a++) {
        uint32_t first = s->altfirst[alt + a];
        if (first != 0 && (first == t->hash || first == t->shash))
            return true;
    }
    return false;
}

/* Tries entry e at token i unless it was tried there already: an entry's tries come in
 * order of their start (its links all share one range, tried from the farthest back), so
 * one at or before the last is a repeat. */
static void
try_entry(struct guard_ctx *c, struct guard_view *v, uint32_t e, size_t i, struct tp_scan *sc)
{
    const struct tp_store *s = &c->g->tp;
    const struct tp_entry *te = &s->entries[e];
    if (sc->tried[e] >= i + 1) /* (UINT32_MAX: never) */
        return;
    sc->tried[e] = (uint32_t)i + 1;
    /* The second word first: it rules out most tries. */
    struct tp_match m = {.c = c, .v = v, .s = s, .start = i};
    if (te->follow && !may_follow(&m, te, e, i + 1))
        return;
    /* Then the words every match holds, in the sentence where it would be; only for a
     * pattern whose tries cannot reach a limit, so that a limit reached still fails closed
     * as before. */
    if (te->bounded && te->nreq) {
        uint32_t k = sc->sentence[i];
        if (sc->sentok[e] >> 1 != k + 1)
            sc->sentok[e] = 2 * (k + 1) + sentence_may_match(s, sc, e, k);
        if (!(sc->sentok[e] & 1))
            return;
    }
    struct tp_frame f = {te->seq, 0, 0, NULL};
    if (step(&m, &f, i))
        hit_add(v, e, i, m.end);
    else if (m.overflow)
        c->unfinished[te->rule] |= v->source == GUARD_DRAFT ? 1 : 2;
}

/* A live link as a scan reads it: the link's pattern and range, copied side by side, and
 * its follow filter folded to 64 bits (each bit the OR of the filter's bits with that
 * remainder by 64), so that most tries the filter rules out are passed over without reading
 * the pattern's entry or its whole filter; and the second words its pattern's first list
 * takes after its bucket's words (see link_second). */
struct live_link {
    uint32_t entry;
    uint8_t lo, hi;
    bool folded;              /* follow is the fold of a filter of words (no stems) */
    bool seconds;             /* second holds them */
    uint64_t follow, second;
};

/* A scan's index buckets with the links of patterns dead for its text left out, each
 * bucket's made when a word first reaches it: common words ("the") reach long runs of
 * patterns whose other words the text lacks, and meet them again at each of their places. */
struct live_links {
    uint32_t *slot;           /* open addressing: 2 * bucket + table + 1, 0 when free */
    uint32_t *start, *n;      /* per slot: its links' place in run, and how many */
    struct live_link *run;    /* the live links, bucket after bucket */
    size_t mask, nrun;
};

/* Makes the table for a view of ntoks tokens (three keys a token at most). */
static struct live_links
live_links_new(const struct tp_store *s, size_t ntoks)
{
    size_t size = 64;
    while (size < ntoks * 4)
        size *= 2;
    struct live_links ll = {.mask = size - 1};
    ll.slot = xcalloc(size, sizeof *ll.slot);
    /* (The rest is written before it is read.) */
    ll.start = xreallocarray(NULL, 2 * size, sizeof *ll.start);
    ll.n = ll.start + size;
    ll.run = xreallocarray(NULL, s->nlinks + 1, sizeof *ll.run);
    if (s->lazy->linkfilter == NULL)
        s->lazy->linkfilter = xcalloc(s->nlinks + 1, sizeof *s->lazy->linkfilter);
    return ll;
}

/* Frees what live_links_new made. */
static void
live_links_free(struct live_links *ll)
{
    free(ll->slot);
    free(ll->start);
    free(ll->run);
}

/* The bits (tp_alt_bit) of the second words that pattern e, indexed by its first words
 * (lo = hi = 0), can take after a word of bucket b of the exact table, or UINT64_MAX when
 * that is not known: its first part is a list of alternatives, not optional, and every one
 * of them starting with a word of the bucket starts with two plain words ("the council").
 * Then at a word with no "'s" to strip (so that the alternatives step tries are those whose
 * first word is the word itself, all of them in the bucket), a try whose next word is none
 * of these fails at its first step, where step passes every alternative over by its first
 * and second words (altfirst, altsecond), without side effects. */
static uint64_t
link_second(const struct tp_store *s, uint32_t e, size_t b)
{
    const struct tp_seq *q = &s->seqs[s->entries[e].seq];
    if (q->n == 0)
        return UINT64_MAX;
    const struct tp_node *n = &s->nodes[q->node];
    if ((n->op != TP_GROUP && n->op != TP_CLASS) || (n->flags & (TP_OPT | TP_NOT)) ||
        set_size(s, n) != 0)
        return UINT64_MAX;
    uint32_t alt, nalt;
    tp_node_alts(s, n, &alt, &nalt);
    if (nalt == 0)
        return UINT64_MAX;
    alt_bloom(s, alt, nalt); /* (makes the list's altsecond) */
    uint64_t mask = 0;
    for (uint32_t a = 0; a < nalt; a++) {
        uint32_t first = s->altfirst[alt + a];
        if (first == 0)
            return UINT64_MAX; /* (one led by a group, a stem, a regex...) */
        if ((first & s->mask) != b)
            continue;
        if (s->altsecond[alt + a] == 0)
            return UINT64_MAX;
        mask |= (uint64_t)1 << tp_alt_bit(s->altsecond[alt + a]);
    }
    return mask != 0 ? mask : UINT64_MAX;
}

/* Link l's filters (of bucket b of the exact table, or of the prefix table), made on first
 * need: its pattern's follow filter folded when it has one of words only (a stem's may take a
 * word by its stem, which no bit of the word tells), and its second words. */
static struct tp_linkfilter
link_filter(const struct tp_store *s, uint32_t l, bool prefix, size_t b)
{
    const struct tp_link *ln = &s->links[l];
    struct tp_linkfilter f = {UINT64_MAX, UINT64_MAX};
    if (!prefix && ln->lo == 0 && ln->hi == 0)
        f.second = link_second(s, ln->entry, b);
    if (s->entries[ln->entry].follow != 1)
        return f;
    const uint64_t *bits = s->follow + (size_t)ln->entry * TP_FOLLOW_WORDS;
    f.follow = 0;
    for (size_t w = 0; w < TP_FOLLOW_WORDS; w++)
        f.follow |= bits[w];
    return f;
}

/* Link l as a scan reads it (see link_filter), its filters kept in the store. */
static struct live_link
live_link_make(const struct tp_store *s, uint32_t l, bool prefix, size_t b)
{
    const struct tp_link *ln = &s->links[l];
    struct tp_linkfilter *f = &s->lazy->linkfilter[l];
    if (f->second == 0)
        *f = link_filter(s, l, prefix, b);
    return (struct live_link){.entry = ln->entry, .lo = ln->lo, .hi = ln->hi,
                              .folded = f->follow != UINT64_MAX,
                              .seconds = f->second != UINT64_MAX,
                              .follow = f->follow, .second = f->second};
}

/* The live links of bucket b of the exact table (or of the prefix table): *n of them. */
static const struct live_link *
live_links_of(struct live_links *ll, const struct tp_store *s, const uint32_t *tried,
              bool prefix, size_t b, uint32_t *n)
{
    uint32_t key = (uint32_t)(2 * b + prefix + 1);
    size_t k = (key * 0x9E3779B1u) & ll->mask;
    while (ll->slot[k] != 0 && ll->slot[k] != key)
        k = (k + 1) & ll->mask;
    if (ll->slot[k] == 0) {
        const uint32_t *table = prefix ? s->prefix : s->exact;
        ll->slot[k] = key;
        ll->start[k] = (uint32_t)ll->nrun;
        for (uint32_t l = table[b]; l < table[b + 1]; l++)
            if (tried[s->links[l].entry] != UINT32_MAX) /* (most are not: their words are
                                                          * not all in the text) */
                ll->run[ll->nrun++] = live_link_make(s, l, prefix, b);
        ll->n[k] = (uint32_t)ll->nrun - ll->start[k];
    }
    *n = ll->n[k];
    return ll->run + ll->start[k];
}

/* Each token's bits in a folded follow filter (see struct live_link): those of its word,
 * its word without "'s" and its prefix, as may_follow reads them; 0 for a token no match
 * can take second (it starts a sentence or a line) and for the end, one past the last. */
static uint64_t *
follow_folds(const struct guard_view *v)
{
    uint64_t *fold = xcalloc(v->ntoks + 1, sizeof *fold);
    for (size_t j = 0; j < v->ntoks; j++) {
        const struct guard_tok *t = &v->toks[j];
        if (t->flags & (TOK_SENTENCE | TOK_LINE))
            continue;
        fold[j] = (uint64_t)1 << (tp_follow_bit(TP_FOLLOW_WORD, t->hash) % 64);
        if (t->shash)
            fold[j] |= (uint64_t)1 << (tp_follow_bit(TP_FOLLOW_WORD, t->shash) % 64);
        if (t->phash)
            fold[j] |= (uint64_t)1 << (tp_follow_bit(TP_FOLLOW_PREFIX, t->phash) % 64);
    }
    return fold;
}

/* Each token's bits (tp_alt_bit) of its word and its word without "'s", as step compares a
 * second word with altsecond; 0 for a token that cannot be second (it starts a sentence or a
 * line) and for the end. */
static uint64_t *
second_bits(const struct guard_view *v)
{
    uint64_t *bits = xcalloc(v->ntoks + 1, sizeof *bits);
    for (size_t j = 0; j < v->ntoks; j++) {
        const struct guard_tok *t = &v->toks[j];
        if (t->flags & (TOK_SENTENCE | TOK_LINE))
            continue;
        bits[j] = (uint64_t)1 << tp_alt_bit(t->hash);
        if (t->shash)
            bits[j] |= (uint64_t)1 << tp_alt_bit(t->shash);
    }
    return bits;
}

void
guard_tokpat_scan(struct guard_ctx *c, struct guard_view *v)
{
    const struct tp_store *s = &c->g->tp;
    v->ntphits = 0;
    if (s->nentries == 0 || v->ntoks == 0)
        return;
    size_t nsent = 1;
    for (size_t i = 1; i < v->ntoks; i++)
        nsent += (v->toks[i].flags & (TOK_SENTENCE | TOK_LINE)) != 0;
    uint32_t *tried = xcalloc(2 * s->nentries + v->ntoks + s->nopen, sizeof *tried);
    uint64_t *sentbits = xcalloc(nsent * (SENT_BITS / 64), sizeof *sentbits);
    /* Which words the text holds, as bits of their hashes; an entry whose required words are
     * not all there, or whose rule is not in force for this view (it reads only the other
     * one, say), is marked tried everywhere. */
    uint64_t bits[2 * WORD_BITS / 64] = {0}; /* words, then 3-letter prefixes */
    struct tp_scan sc = {tried, tried + s->nentries, tried + 2 * s->nentries, sentbits, bits};
    for (size_t i = 0, k = 0; i < v->ntoks; i++) {
        const struct guard_tok *t = &v->toks[i];
        if (i > 0 && (t->flags & (TOK_SENTENCE | TOK_LINE)))
            k++;
        sc.sentence[i] = (uint32_t)k;
        uint64_t *sb = sentbits + k * (SENT_BITS / 64);
        sb[(t->hash % SENT_BITS) / 64] |= 1ull << (t->hash % 64);
        bits[(t->hash % WORD_BITS) / 64] |= 1ull << (t->hash % 64);
        if (t->shash) {
            sb[(t->shash % SENT_BITS) / 64] |= 1ull << (t->shash % 64);
            bits[(t->shash % WORD_BITS) / 64] |= 1ull << (t->shash % 64);
        }
        if (t->phash)
            bits[(WORD_BITS + t->phash % WORD_BITS) / 64] |= 1ull << (t->phash % 64);
    }
    uint8_t *have = xcalloc(s->nentries + 1, 1);
    sets_met(s, bits, have);
    uint32_t last_rule = UINT32_MAX;
    bool in_force = false, locked = false;
    for (size_t e = 0; e < s->nentries; e++) {
        const struct tp_entry *te = &s->entries[e];
        if (te->rule != last_rule) { /* (a rule's patterns are side by side: looked up once) */
            const struct guard_rule *r = &c->g->rules[te->rule];
            last_rule = te->rule;
            in_force = c->active[te->rule] && guard_rule_applies(r, v);
            locked = r->locked;
        }
        if (!in_force || (te->user && locked)) {
            tried[e] = UINT32_MAX;
            continue;
        }
        if (have[e] != (1u << te->nreq) - 1) /* a set with none of its words in the text */
            tried[e] = UINT32_MAX;
    }
    free(have);
    /* The open patterns still in force for this text, tried at every word they can start at. */
    uint32_t *live = tried + 2 * s->nentries + v->ntoks;
    size_t nlive = 0;
    for (size_t k = 0; k < s->nopen; k++)
        if (tried[s->open[k]] != UINT32_MAX)
            live[nlive++] = (uint32_t)k;
    struct live_links ll = live_links_new(s, v->ntoks);
    uint64_t *folds = follow_folds(v), *seconds = second_bits(v);
    for (size_t i = 0; i < v->ntoks; i++) {
        const struct guard_tok *t = &v->toks[i];
        const uint32_t *tables[3] = {s->exact, t->shash ? s->exact : NULL,
                                     t->phash ? s->prefix : NULL};
        const uint32_t keys[3] = {t->hash, t->shash, t->phash};
        for (size_t h = 0; h < 3; h++) {
            if (tables[h] == NULL)
                continue;
            size_t b = keys[h] & s->mask;
            if (tables[h][b] == tables[h][b + 1])
                continue;
            uint32_t n;
            const struct live_link *run = live_links_of(&ll, s, tried, tables[h] == s->prefix,
                                                        b, &n);
            bool plain = h == 0 && t->shash == 0; /* (see link_second) */
            for (uint32_t l = 0; l < n; l++) {
                const struct live_link *lk = &run[l];
                if (plain && lk->seconds && !(lk->second & seconds[i + 1]))
                    continue;
                /* (A try the folded filter rules out, may_follow would too.) */
                for (size_t d = lk->hi + 1u; d-- > lk->lo;)
                    if (d <= i && (!lk->folded || (lk->follow & folds[i - d + 1])))
                        try_entry(c, v, lk->entry, i - d, &sc);
            }
        }
        for (size_t k = 0; k < nlive; k++)
            if (may_start_open(s, live[k], v, t))
                try_entry(c, v, s->open[live[k]], i, &sc);
    }
    free(folds);
    free(seconds);
    live_links_free(&ll);
    free(sentbits);
    free(tried);
}

/* Orders hits by start, longest first. */
static int
cmp_hits(const void *a, const void *b)
{
    const struct tp_hit *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return x->end > y->end ? -1 : x->end < y->end;
}

void
guard_run_pattern(struct guard_ctx *c, const struct guard_rule *r, struct guard_view *v)
{
    uint32_t ri = (uint32_t)(r - c->g->rules);
    const struct tp_store *s = &c->g->tp;
    if (c->unfinished[ri] & (v->source == GUARD_DRAFT ? 1 : 2))
        guard_emit_unfinished(c, r, v, "it took too many steps on this text");
    struct tp_hit mine[128], anti[64];
    size_t n = 0, na = 0;
    for (size_t i = 0; i < v->ntphits; i++) {
        const struct tp_entry *e = &s->entries[v->tphits[i].entry];
        if (e->rule != ri)
            continue;
        if (e->anti && na < NELEM(anti))
            anti[na++] = v->tphits[i];
        else if (!e->anti && n < NELEM(mine))
            mine[n++] = v->tphits[i];
    }
    if (n == 0)
        return;
    qsort(mine, n, sizeof *mine, cmp_hits);
    size_t last_end = 0;
    for (size_t i = 0; i < n; i++) {
        if (mine[i].start < last_end)
            continue;
        bool silenced = false;
        for (size_t k = 0; k < na && !silenced; k++)
            silenced = anti[k].start < mine[i].end && mine[i].start < anti[k].end;
        if (silenced || guard_suppressed(c, r, v, mine[i].start, mine[i].end, true))
            continue;
        last_end = mine[i].end;
        struct guard_vars vars = {.match = v->s + mine[i].start,
                                  .match_len = mine[i].end - mine[i].start};
        guard_emit(c, r, v, mine[i].start, mine[i].end, &vars);
    }
}
