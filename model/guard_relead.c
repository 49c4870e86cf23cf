/* A regex rule's leads: the short literals one of which every match of its expression must
 * start with (after zero-width assertions), read from the expression's text on first use, so
 * that PCRE2 is tried only where a lead stands in the text rather than at every character
 * (most regex rules start with a list of words and find nothing in most drafts, and PCRE2
 * walking a long draft costs 5-40 microseconds a rule).
 *
 * Only what is provably so is taken. An expression's top-level alternatives each need a lead;
 * an alternative's lead is its first plain characters (letters, digits and punctuation with no
 * meaning in an expression, or escaped punctuation), past \b, ^ and lookaround groups, ended by
 * anything else and cut before a character a quantifier allows to be left out; a group there
 * (plain, atomic, capturing or (?i:) gives the leads of each of its alternatives; a short class
 * of ASCII punctuation gives each of its characters. Anything else (a class of letters, \w, a
 * dot, an optional group) and the expression has no leads, and runs as before. An expression
 * that could read otherwise (\Q, \K, \G, verbs, conditions, recursion, comments, options other
 * than a leading (?i) or a (?i:) group) gets none, nor does one the loader compiles without
 * PCRE2's shortcuts so that it fails closed. An expression that starts at a sentence start,
 * (?:^|(?<=[.!?:]\s)|(?<=\n)), is tried at the text's start and after each newline and each
 * [.!?:] with one character after it.
 *
 * Read the same way, a run of plain characters at the top level of an expression without
 * top-level alternatives (none of them made optional), and the leads of a group there that is
 * not optional, must stand somewhere in any text the expression matches: a text without them
 * is passed over. Dashes, curly quotes and the ellipsis (U+2010 to U+2027, which have no other
 * case) can lead, as plain characters do; so can any character beyond ASCII in a lead that is
 * not caseless ("Lôn" in a case-sensitive list of street words, rather than "L").
 *
 * Caseless leads are held in lower case and looked for in the text with ASCII letters in lower
 * case; a text holding the Kelvin sign or the long s (which PCRE2 folds to k and s) runs the
 * caseless expressions as before. A text is indexed once, by its places' first two bytes in
 * lower case; the regex subjects made from it (with links blanked, or not) are found through
 * that index by each lead's longest part without a space, which blanking cannot make. */
#include "model/guard_impl.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define LEAD_LEN_MAX 15        /* bytes of one lead */

#define BUCKETS 1024           /* a text's index of places by their first two bytes */

static const char sentence_start[] = "(?:^|(?<=[.!?:]\\s)|(?<=\\n))";

/* Whether c stands for itself outside a class (not in extended mode). */
static bool
plain_char(unsigned char c)
{
    return c < 0x80 && (isalnum(c) || (c != '\0' && strchr(" ,;:'\"!@%&=<>/-_#~`", c)));
}

/* The length of the character at p when it is punctuation from U+2010 to U+2027 (dashes,
 * curly quotes, the ellipsis), which has no other case; 0 otherwise. */
static size_t
uncased_punct(const char *p)
{
    const unsigned char *u = (const unsigned char *)p;
    return u[0] == 0xe2 && u[1] == 0x80 && u[2] >= 0x90 && u[2] <= 0xa7 ? 3 : 0;
}

/* The length of the character at p when it is any other than ASCII, for a lead that is not
 * caseless (which would have to find its other cases too); 0 otherwise. */
static size_t
exact_char(const char *p, bool fold)
{
    if (fold || (unsigned char)*p < 0x80)
        return 0;
    int32_t cp;
    size_t n = guard_utf8_next(p, strnlen(p, 4), 0, &cp);
    return cp >= 0x80 ? n : 0;
}

/* Whether the escape \e stands for the character e (punctuation), or a newline or tab. */
static bool
literal_escape(char e, char *out)
{
    if (e == 'n' || e == 't') {
        *out = e == 'n' ? '\n' : '\t';
        return true;
    }
    if ((unsigned char)e < 0x80 && ispunct((unsigned char)e)) {
        *out = e;
        return true;
    }
    return false;
}

/* Whether the expression holds something that would make the reading here wrong. */
static bool
unreadable(const char *p)
{
    for (const char *s = p; *s; s++) {
        if (*s == '\\') {
            if (s[1] == '\0' || strchr("QEKGc", s[1]))
                return true;
            s++;
            continue;
        }
        if (*s != '(')
            continue;
        if (s[1] == '*')
            return true;
        if (s[1] != '?')
            continue;
        char k = s[2];
        if (k == ':' || k == '=' || k == '!' || k == '>')
            continue;
        if (k == '<' && (s[3] == '=' || s[3] == '!'))
            continue;
        if (k == 'i' && s[3] == ':')
            continue;
        if (k == 'i' && s[3] == ')' && s == p)
            continue;
        return true; /* options, conditions, recursion, comments, named groups, (?| */
    }
    return false;
}

/* Moves past a class starting at p ('['); NULL when it does not end. */
static const char *
skip_class(const char *p)
{
    p++;
    if (*p == '^')
        p++;
    if (*p == ']')
        p++;
    while (*p && *p != ']') {
        if (*p == '\\' && p[1])
            p += 2;
        else if (*p == '[' && p[1] == ':' && strstr(p + 2, ":]"))
            p = strstr(p + 2, ":]") + 2;
        else
            p++;
    }
    return *p ? p + 1 : NULL;
}

/* Moves past the escape at p ('\\'), with what it reads after its letter: {...}, a property
 * letter, hex or octal digits, a back reference's digits; NULL when it does not end. */
static const char *
skip_escape(const char *p)
{
    char e = p[1];
    if (e == '\0')
        return NULL;
    p += 2;
    if (*p == '{' && strchr("pPxoNgku", e)) {
        const char *close = strchr(p, '}');
        return close ? close + 1 : NULL;
    }
    if ((e == 'p' || e == 'P') && *p)
        return p + 1;
    if (e == 'x') {
        for (int i = 0; i < 2 && isxdigit((unsigned char)*p); i++)
            p++;
    } else if (isdigit((unsigned char)e)) {
        while (isdigit((unsigned char)*p))
            p++;
    }
    return p;
}

/* Moves past the atom at p (an escape, class, group or character); NULL when it does not end. */
static const char *
skip_atom(const char *p)
{
    if (*p == '\\')
        return skip_escape(p);
    if (*p == '[')
        return skip_class(p);
    if (*p != '(')
        return p + 1;
    int depth = 0;
    while (*p) {
        if (*p == '\\' && p[1]) {
            p += 2;
        } else if (*p == '[') {
            if ((p = skip_class(p)) == NULL)
                return NULL;
        } else {
            if (*p == '(')
                depth++;
            else if (*p == ')' && --depth == 0)
                return p + 1;
            p++;
        }
    }
    return NULL;
}

/* What the quantifier at p allows of the atom before it: 0 none (it may be left out), 1 at
 * least one, 2 no quantifier; *end is past it. */
static int
quantifier(const char *p, const char **end)
{
    *end = p;
    int q;
    if (*p == '?' || *p == '*') {
        q = 0;
        p++;
    } else if (*p == '+') {
        q = 1;
        p++;
    } else if (*p == '{' && p[1] == ',') {
        return 0; /* {,n}: none allowed (and a plain '{' where that is not a quantifier) */
    } else if (*p == '{' && isdigit((unsigned char)p[1]) && strchr(p, '}')) {
        const char *close = strchr(p, '}');
        for (const char *d = p + 1; d < close; d++)
            if (!isdigit((unsigned char)*d) && *d != ',')
                return 2; /* not a quantifier: a plain '{' */
        q = strtol(p + 1, NULL, 10) >= 1 ? 1 : 0;
        p = close + 1;
    } else {
        return 2;
    }
    if (*p == '?' || *p == '+')
        p++;
    *end = p;
    return q;
}

/* Sets lead l to text; false when it has no part without a space to find it by. */
static bool
set_lead(struct guard_lead *l, const char *text, size_t len, bool fold)
{
    for (size_t i = 0; i < len; i++)
        l->text[i] = fold ? (char)tolower((unsigned char)text[i]) : text[i];
    l->len = (uint8_t)len;
    l->fold = fold;
    l->after = 0;
    /* The longest part without a space, by which it is found. */
    l->seg = l->seglen = 0;
    for (size_t i = 0; i < len;) {
        size_t j = i;
        while (j < len && text[j] != ' ')
            j++;
        if (j - i > l->seglen)
            l->seg = (uint8_t)i, l->seglen = (uint8_t)(j - i);
        i = j + 1;
    }
    return l->seglen > 0;
}

/* Adds a lead; false when there are too many, or it cannot be found by the index. */
static bool
add_lead(struct guard_relead *out, const char *text, size_t len, bool fold)
{
    if (len == 0 || out->n == GUARD_LEADS_MAX)
        return false;
    if (!set_lead(&out->leads[out->n], text, len, fold))
        return false;
    out->n++;
    return true;
}

/* Finds in *req the longest run of plain characters that every match holds: at the top level
 * of an expression without top-level alternatives, each character not made optional by a
 * quantifier (one that must repeat ends the run after it); groups, classes and escapes other
 * than escaped punctuation end a run and are not looked into. False when there is none. */
static bool
required(const char *p, bool fold, struct guard_lead *req)
{
    char best[LEAD_LEN_MAX], run[LEAD_LEN_MAX];
    size_t bestlen = 0, len = 0;
    while (*p) {
        char ch = 0;
        const char *next = NULL;
        if (plain_char((unsigned char)*p)) {
            ch = *p;
            next = p + 1;
        } else if (*p == '\\' && literal_escape(p[1], &ch)) {
            next = p + 2;
        }
        if (next == NULL) {
            if (*p == '|' || *p == ')')
                return false; /* alternatives at the top: nothing is required of all */
            if ((next = skip_atom(p)) == NULL)
                return false;
        }
        const char *after;
        int q = quantifier(next, &after);
        if (ch != 0 && q != 0 && len < LEAD_LEN_MAX)
            run[len++] = ch;
        if (ch == 0 || q != 2 || len == LEAD_LEN_MAX) {
            if (len > bestlen) {
                memcpy(best, run, len);
                bestlen = len;
            }
            len = 0;
        }
        p = after;
    }
    if (len > bestlen) {
        memcpy(best, run, len);
        bestlen = len;
    }
    return bestlen > 0 && set_lead(req, best, bestlen, fold);
}

static bool alternatives(const char *p, bool fold, struct guard_relead *out, const char **end);

/* Adds the leads of a lookbehind at p, (?<=[...]) with a class of ASCII punctuation and
 * nothing else: a match starts right after one of its characters, so each is a lead whose
 * place is the byte after it (after = 1). False when it is not of that form. */
static bool
behind_leads(const char *p, struct guard_relead *out)
{
    if (strncmp(p, "(?<=[", 5) != 0 || p[5] == '^' || p[5] == ']')
        return false;
    const char *close = strchr(p + 5, ']');
    if (close == NULL || close[1] != ')' || close - (p + 5) > 8)
        return false;
    for (const char *c = p + 5; c < close; c++) {
        unsigned char ch = (unsigned char)*c;
        if (ch >= 0x80 || !ispunct(ch) || ch == '\\' || ch == '[' || ch == '-' ||
            !add_lead(out, c, 1, false))
            return false;
        out->leads[out->n - 1].after = 1;
    }
    return true;
}

static bool first_leads(const char *p, bool fold, struct guard_relead *out);

/* Adds the leads of the alternative at p (up to its '|' or ')'): those of what it starts
 * with, past zero-width items, or failing them those of a lookbehind among the zero-width
 * items (behind_leads); false when it has none. */
static bool
alternative(const char *p, bool fold, struct guard_relead *out)
{
    const char *behind = NULL; /* the first positive lookbehind */
    /* Zero-width items first. */
    for (;;) {
        const char *after;
        if (p[0] == '\\' && (p[1] == 'b' || p[1] == 'B')) {
            p += 2;
        } else if (*p == '^') {
            p++;
        } else if (p[0] == '(' && p[1] == '?' &&
                   (p[2] == '=' || p[2] == '!' ||
                    (p[2] == '<' && (p[3] == '=' || p[3] == '!')))) {
            if (behind == NULL && p[2] == '<' && p[3] == '=')
                behind = p;
            if ((p = skip_atom(p)) == NULL)
                return false;
        } else {
            break;
        }
        if (quantifier(p, &after) != 2)
            return false;
    }
    size_t had = out->n;
    if (first_leads(p, fold, out))
        return true;
    out->n = had; /* (what a failed group or class added) */
    return behind != NULL && behind_leads(behind, out);
}

/* Adds the leads of what an alternative starts with at p (past its zero-width items): a
 * group's, a short class's or its plain characters; false when it has none. */
static bool
first_leads(const char *p, bool fold, struct guard_relead *out)
{
    /* A group: the leads of each of its alternatives. */
    if (*p == '(') {
        bool inner = fold;
        const char *body = p + 1;
        if (body[0] == '?' && (body[1] == ':' || body[1] == '>'))
            body += 2;
        else if (body[0] == '?' && body[1] == 'i' && body[2] == ':')
            body += 3, inner = true;
        else if (body[0] == '?')
            return false;
        const char *close, *after;
        if (!alternatives(body, inner, out, &close) || *close != ')')
            return false;
        return quantifier(close + 1, &after) != 0;
    }
    /* A short class of punctuation: each of its characters. */
    if (*p == '[') {
        const char *close = skip_class(p), *after;
        if (close == NULL || p[1] == '^' || quantifier(close, &after) == 0 || close - p > 10)
            return false;
        for (const char *c = p + 1; c < close - 1; c++) {
            unsigned char ch = (unsigned char)*c;
            size_t n = ch >= 0x80 ? uncased_punct(c) : 1;
            if (n == 0 || isalnum(ch) || ch == '\\' || ch == '[' ||
                (ch == '-' && c > p + 1 && c < close - 2) || !add_lead(out, c, n, false))
                return false;
            c += n - 1;
        }
        return true;
    }
    /* Plain characters. */
    char text[LEAD_LEN_MAX];
    size_t len = 0;
    for (;;) {
        char ch[4];
        size_t n = 1;
        const char *next;
        if (plain_char((unsigned char)*p)) {
            ch[0] = *p;
            next = p + 1;
        } else if (*p == '\\' && literal_escape(p[1], &ch[0])) {
            next = p + 2;
        } else if ((n = uncased_punct(p)) > 0 || (n = exact_char(p, fold)) > 0) {
            memcpy(ch, p, n);
            next = p + n;
        } else {
            break;
        }
        const char *after;
        int q = quantifier(next, &after);
        if (q == 0 || len + n > LEAD_LEN_MAX)
            break;
        memcpy(text + len, ch, n);
        len += n;
        if (q == 1)
            break;
        p = next;
    }
    return add_lead(out, text, len, fold);
}

/* Adds the leads of the alternatives from p to the ')' or end that closes them (*end); false
 * when one has none. */
static bool
alternatives(const char *p, bool fold, struct guard_relead *out, const char **end)
{
    for (;;) {
        if (!alternative(p, fold, out))
            return false;
        while (*p && *p != '|' && *p != ')')
            if ((p = skip_atom(p)) == NULL)
                return false;
        if (*p != '|') {
            *end = p;
            return true;
        }
        p++;
    }
}

/* Finds in out->anyof the leads of a group every match holds somewhere: a group at the top
 * level of an expression without top-level alternatives, not made optional, each of whose
 * alternatives has leads; of several, the one whose shortest lead is longest. */
static void
required_group(const char *p, bool fold, struct guard_relead *out)
{
    struct guard_relead *tmp = xmalloc(sizeof *tmp);
    size_t best = 0;
    while (*p) {
        if (*p == '|' || *p == ')') {
            out->nanyof = 0;
            break; /* alternatives at the top: nothing is required of all */
        }
        const char *next = skip_atom(p), *after;
        if (next == NULL) {
            out->nanyof = 0;
            break;
        }
        int q = quantifier(next, &after);
        bool group = p[0] == '(' && q != 0;
        const char *body = p + 1;
        bool inner = fold;
        if (group && body[0] == '?' && (body[1] == ':' || body[1] == '>'))
            body += 2;
        else if (group && body[0] == '?' && body[1] == 'i' && body[2] == ':')
            body += 3, inner = true;
        else if (group && body[0] == '?')
            group = false; /* lookaround */
        const char *close;
        tmp->n = 0;
        if (group && alternatives(body, inner, tmp, &close) && *close == ')' &&
            tmp->n <= GUARD_ANYOF_MAX) {
            size_t shortest = SIZE_MAX;
            for (size_t i = 0; i < tmp->n; i++)
                if (tmp->leads[i].len < shortest)
                    shortest = tmp->leads[i].len;
            if (shortest > best) {
                best = shortest;
                memcpy(out->anyof, tmp->leads, tmp->n * sizeof *tmp->leads);
                out->nanyof = tmp->n;
            }
        }
        p = after;
    }
    free(tmp);
}

void
guard_relead_find(const char *pattern, bool case_sensitive, bool nested,
                  struct guard_relead *out)
{
    out->n = 0;
    out->kind = RELEAD_NONE;
    out->fold = out->has_req = false;
    out->nanyof = 0;
    /* A leading (?m) changes only what ^ and $ match: ^ is passed over as zero-width, and a
     * sentence start is not taken (^ then matches after more than a newline). */
    bool multiline = strncmp(pattern, "(?m)", 4) == 0;
    if (multiline)
        pattern += 4;
    if (nested || unreadable(pattern))
        return;
    bool fold = !case_sensitive;
    if (strncmp(pattern, "(?i)", 4) == 0) {
        pattern += 4;
        fold = true;
    }
    out->has_req = required(pattern, fold, &out->req);
    out->fold = out->has_req && fold;
    required_group(pattern, fold, out);
    for (size_t i = 0; i < out->nanyof; i++)
        out->fold |= out->anyof[i].fold;
    if (strncmp(pattern, sentence_start, sizeof sentence_start - 1) == 0) {
        if (multiline)
            return;
        const char *p = pattern + sizeof sentence_start - 1, *after;
        if (quantifier(p, &after) != 2)
            return;
        while (*p && *p != '|' && *p != ')')
            if ((p = skip_atom(p)) == NULL)
                return;
        if (*p != '\0')
            return; /* another alternative, which may match anywhere */
        out->kind = RELEAD_SENTENCE;
        out->fold |= fold;
        return;
    }
    const char *end;
    if (!alternatives(pattern, fold, out, &end) || *end != '\0') {
        out->n = 0;
        return;
    }
    out->kind = RELEAD_LITS;
    for (size_t i = 0; i < out->n; i++)
        out->fold |= out->leads[i].fold;
}

/* ---- A text's index of places ---- */

/* ASCII c in lower case. */
static inline unsigned char
lower(unsigned char c)
{
    return (unsigned char)(c | ((unsigned)(c - 'A') < 26u) << 5);
}

/* The bucket of two bytes (in lower case). */
static inline unsigned
bucket(unsigned char a, unsigned char b)
{
    return ((unsigned)lower(a) * 31u + lower(b)) & (BUCKETS - 1);
}

/* Whether s (len bytes) holds the n bytes of w. */
static bool
holds(const char *s, size_t len, const char *w, size_t n)
{
    for (const char *p = s; (p = memchr(p, w[0], len - (size_t)(p - s))) != NULL; p++)
        if ((size_t)(s + len - p) >= n && memcmp(p, w, n) == 0)
            return true;
    return false;
}

struct guard_reindex *
guard_reindex_new(const char *s, size_t len)
{
    struct guard_reindex *x = xcalloc(1, sizeof *x);
    x->s = s;
    x->len = len;
    x->head = xcalloc(BUCKETS + 1, sizeof *x->head);
    x->pos = xmalloc((len + 1) * sizeof *x->pos);
    /* Counted, then placed: each place's bucket worked out once. */
    uint16_t *key = xmalloc((len + 1) * sizeof *key);
    const unsigned char *u = (const unsigned char *)s;
    unsigned prev = len ? lower(u[0]) : 0;
    for (size_t i = 0; i + 1 < len; i++) {
        unsigned cur = lower(u[i + 1]);
        key[i] = (uint16_t)((prev * 31u + cur) & (BUCKETS - 1));
        x->head[key[i] + 1]++;
        prev = cur;
    }
    for (size_t b = 0; b < BUCKETS; b++)
        x->head[b + 1] += x->head[b];
    uint32_t fill[BUCKETS];
    memcpy(fill, x->head, sizeof fill);
    for (size_t i = 0; i + 1 < len; i++)
        x->pos[fill[key[i]]++] = (uint32_t)i;
    free(key);
    x->exotic = holds(s, len, "\xe2\x84\xaa", 3) || holds(s, len, "\xc5\xbf", 2);
    return x;
}

void
guard_reindex_free(struct guard_reindex *x)
{
    if (x == NULL)
        return;
    free(x->head);
    free(x->pos);
    free(x->sentences[0].at);
    free(x->sentences[1].at);
    free(x);
}

/* Adds place p to the candidates. */
static void
add_cand(struct guard_recands *c, uint32_t p)
{
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 64;
        c->at = xreallocarray(c->at, c->cap, sizeof *c->at);
    }
    c->at[c->n++] = p;
}

/* Orders places. */
static int
cmp_place(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* Whether lead l stands at place p of subject s (len bytes). */
static bool
lead_at(const struct guard_lead *l, const char *s, size_t len, size_t p)
{
    if (p + l->len > len)
        return false;
    if (!l->fold)
        return guard_same_bytes(s + p, l->text, l->len);
    for (size_t i = 0; i < l->len; i++)
        if (lower((unsigned char)s[p + i]) != (unsigned char)l->text[i])
            return false;
    return true;
}

/* Whether lead l stands at the place p of the indexed text, whose byte off bytes in begins
 * there; adds the place a match can start (the lead's start, or the byte after a
 * lookbehind's) to c when it does and c is not NULL. */
static bool
lead_take(const char *s, size_t len, const struct guard_lead *l, size_t off, size_t p,
          struct guard_recands *c)
{
    if (p < off || !lead_at(l, s, len, p - off))
        return false;
    if (c != NULL)
        add_cand(c, (uint32_t)(p - off + l->after));
    return true;
}

/* Where in lead l the two bytes of its part without a space stand whose bucket of index x
 * holds the fewest places: a lead looked up by its rarest pair reads fewer places than by its
 * first ("you'll" by "'l" rather than "yo"), and finds the same ones, in the same order. */
static size_t
rarest_pair(const struct guard_reindex *x, const struct guard_lead *l)
{
    size_t best = l->seg;
    uint32_t fewest = UINT32_MAX;
    for (size_t j = l->seg; j + 1 < (size_t)l->seg + l->seglen; j++) {
        unsigned b = bucket((unsigned char)l->text[j], (unsigned char)l->text[j + 1]);
        uint32_t n = x->head[b + 1] - x->head[b];
        if (n < fewest) {
            fewest = n;
            best = j;
        }
    }
    return best;
}

/* Adds the places of subject s (len bytes) where lead l stands to c, found through the index
 * of the text the subject was made from (the same but for runs of spaces put in, which a part
 * of the lead without spaces cannot fall in); with c NULL, stops at the first. Whether there
 * is one. */
static bool
lead_places(const struct guard_reindex *x, const char *s, size_t len, const struct guard_lead *l,
            struct guard_recands *c)
{
    size_t off = l->seg, n = l->seglen;
    bool found = false;
    if (n == 1) {
        unsigned char b = (unsigned char)l->text[off];
        for (int pass = 0; pass < 2; pass++) {
            unsigned char want = pass ? (unsigned char)(b & ~0x20u) : b;
            if (pass && (!l->fold || !isalpha(b)))
                break;
            for (const char *q = x->s; (q = memchr(q, want, x->len - (size_t)(q - x->s)));
                 q++) {
                if (lead_take(s, len, l, off, (size_t)(q - x->s), c)) {
                    if (c == NULL)
                        return true;
                    found = true;
                }
            }
        }
        return found;
    }
    off = rarest_pair(x, l);
    unsigned b = bucket((unsigned char)l->text[off], (unsigned char)l->text[off + 1]);
    for (uint32_t i = x->head[b]; i < x->head[b + 1]; i++) {
        if (lead_take(s, len, l, off, x->pos[i], c)) {
            if (c == NULL)
                return true;
            found = true;
        }
    }
    return found;
}

/* Adds the sentence starts of subject s (len bytes, a NUL after it): its start, after each
 * newline, and after each [.!?:] with one character after it (in order). */
static void
sentence_places(const char *s, size_t len, struct guard_recands *c)
{
    add_cand(c, 0);
    for (size_t i = strcspn(s, ".!?:\n"); i < len; i += 1 + strcspn(s + i + 1, ".!?:\n")) {
        if (s[i] == '\0')
            continue; /* a NUL in the text */
        if (s[i] == '\n') {
            add_cand(c, (uint32_t)(i + 1));
        } else if (i + 1 < len) {
            int32_t cp;
            add_cand(c, (uint32_t)(i + 1 + (size_t)guard_utf8_next(s, len, i + 1, &cp)));
        }
    }
}

/* Whether every match of the expression needs what the text lacks: one of its required
 * group's leads, or its required literal. */
static bool
lacks_required(const struct guard_relead *lead, const struct guard_reindex *x, const char *s,
               size_t len)
{
    bool any = lead->nanyof == 0;
    for (size_t i = 0; i < lead->nanyof && !any; i++)
        any = lead_places(x, s, len, &lead->anyof[i], NULL);
    return !any || (lead->has_req && !lead_places(x, s, len, &lead->req, NULL));
}

const struct guard_recands *
guard_relead_places(const struct guard_relead *lead, struct guard_reindex *x, int subject,
                    const char *s, size_t len, struct guard_recands *c)
{
    if (lead->fold && x->exotic)
        return NULL;
    const struct guard_recands *places = NULL; /* everywhere */
    c->n = 0;
    /* What every match needs first: looking for it stops at the first place it stands, and
     * a text without it needs no leads found (some, like "the", stand everywhere). */
    if (lacks_required(lead, x, s, len))
        return c; /* no place can hold a match */
    if (lead->kind == RELEAD_SENTENCE) {
        if (!x->sentences_made[subject])
            sentence_places(s, len, &x->sentences[subject]);
        x->sentences_made[subject] = true;
        places = &x->sentences[subject];
    } else if (lead->kind == RELEAD_LITS) {
        for (size_t i = 0; i < lead->n; i++)
            lead_places(x, s, len, &lead->leads[i], c);
        bool sorted = true;
        for (size_t i = 1; i < c->n && sorted; i++)
            sorted = c->at[i - 1] <= c->at[i];
        if (!sorted)
            qsort(c->at, c->n, sizeof *c->at, cmp_place);
        size_t kept = 0;
        for (size_t i = 0; i < c->n; i++)
            if (kept == 0 || c->at[kept - 1] != c->at[i])
                c->at[kept++] = c->at[i];
        c->n = kept;
        places = c;
    }
    return places;
}
