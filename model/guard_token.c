/* Tokenising a text once for every rule: first the spans prose rules must not read (links,
 * e-mail addresses, @handles, #hashtags), then words and symbols with their case-folded form,
 * whether they follow the previous token directly, and where sentences start. */
#include "model/guard_impl.h"

#include <string.h>
#include <utf8proc.h>

/* Top-level domains a bare "name.tld" must end in to count as a link. Words such as "it",
 * "in" or "is" are left out so that "done.It" stays prose. */
static const char *const bare_tlds[] = {
    "uk", "com", "org", "net", "io", "ly", "gl", "gd", "co", "me", "info", "app", "social",
    "scot", "wales", "cymru", "eu", "ie", "to", "be", "at", "gov", "edu", "page", "site",
    "online", "news", "blog", "tv", "link", "li", "cc", "us", "ai", "dev", "xyz", "biz",
    "example",
};

/* Words after which a full stop does not end a sentence. */
static const char *const abbreviations[] = {
    "mr", "mrs", "ms", "dr", "st", "no", "nos", "vs", "etc", "approx", "dept", "cllr", "tel",
    "rd", "ave", "ref", "prof", "rev",
};

/* The word hash (FNV-1a): its start, one byte's step, and its end, where 0, which means "no
 * hash" in a token, becomes 1. guard_hash and token_hashes share them. */
#define HASH_START 2166136261u

static inline uint32_t
hash_step(uint32_t h, unsigned char c)
{
    return (h ^ c) * 16777619u;
}

static inline uint32_t
hash_end(uint32_t h)
{
    return h ? h : 1;
}

uint32_t
guard_hash(const char *s, size_t len)
{
    uint32_t h = HASH_START;
    for (size_t i = 0; i < len; i++)
        h = hash_step(h, (unsigned char)s[i]);
    return hash_end(h);
}

size_t
guard_utf8_next(const char *s, size_t len, size_t pos, int32_t *cp)
{
    unsigned char c = (unsigned char)s[pos];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t avail = len - pos;
    utf8proc_int32_t v = -1;
    utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + pos,
                                          (utf8proc_ssize_t)(avail < 4 ? avail : 4), &v);
    if (n <= 0 || v < 0) {
        *cp = -1;
        return 1;
    }
    *cp = v;
    return (size_t)n;
}

/* Appends the folded form of code point cp (lowercase, accents stripped, curly apostrophes
 * straightened) to out[*n], staying within cap. */
static void
fold_cp(int32_t cp, char *out, size_t *n, size_t cap)
{
    if (cp < 0x80) {
        if (*n < cap)
            out[(*n)++] = (char)(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
        return;
    }
    if (cp == 0x2019 || cp == 0x02BC || cp == 0x2018) {
        if (*n < cap)
            out[(*n)++] = '\'';
        return;
    }
    utf8proc_int32_t buf[8];
    int bc = 0;
    utf8proc_ssize_t m = utf8proc_decompose_char(
        cp, buf, 8, UTF8PROC_CASEFOLD | UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK, &bc);
    if (m <= 0 || m > 8) {
        buf[0] = cp;
        m = 1;
    }
    for (utf8proc_ssize_t i = 0; i < m; i++) {
        utf8proc_uint8_t enc[4];
        utf8proc_ssize_t k = utf8proc_encode_char(buf[i], enc);
        if (k <= 0 || *n + (size_t)k > cap)
            return;
        memcpy(out + *n, enc, (size_t)k);
        *n += (size_t)k;
    }
}

size_t
guard_fold(const char *s, size_t len, char *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        int32_t cp;
        i += guard_utf8_next(s, len, i, &cp);
        fold_cp(cp < 0 ? 0xFFFD : cp, out, &n, cap);
    }
    return n;
}

/* Whether s[0..len) is one token as drafts are tokenised, and folds by lowercasing alone:
 * ASCII letters and digits, with straight apostrophes between letters. */
bool
guard_plain_word(const char *s, size_t len)
{
    if (len == 0 || len >= 64)
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        bool inner_apostrophe = c == '\'' && i > 0 && i + 1 < len &&
                                ((s[i - 1] | 32) >= 'a' && (s[i - 1] | 32) <= 'z') &&
                                ((s[i + 1] | 32) >= 'a' && (s[i + 1] | 32) <= 'z');
        if (!alnum && !inner_apostrophe)
            return false;
    }
    return true;
}

static bool
is_ascii_alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z');
}

/* Whether c may appear in a host label. */
static bool
is_host_char(unsigned char c)
{
    return is_ascii_alnum(c) || c == '-';
}

/* Whether a link or address may start at pos (nothing word-like just before it). */
static bool
at_word_start(const char *s, size_t pos)
{
    if (pos == 0)
        return true;
    unsigned char p = (unsigned char)s[pos - 1];
    return !(is_ascii_alnum(p) || p == '_' || p == '.' || p == '@' || p == '/' || p == '-' ||
             p == '#' || p >= 0x80);
}

/* Whether the code point at pos ends a link: whitespace, a control, quotes and brackets that
 * cannot be part of a URL, or a non-ASCII space or punctuation mark. */
static bool
ends_url(const char *s, size_t len, size_t pos)
{
    unsigned char c = (unsigned char)s[pos];
    if (c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == '"' || c == '`' || c == '{' ||
        c == '}' || c == '|' || c == '\\' || c == '^')
        return true;
    if (c < 0x80)
        return false;
    int32_t cp;
    guard_utf8_next(s, len, pos, &cp);
    if (cp < 0)
        return true;
    utf8proc_category_t cat = utf8proc_category(cp);
    return (cat >= UTF8PROC_CATEGORY_PC && cat <= UTF8PROC_CATEGORY_PO) ||
           (cat >= UTF8PROC_CATEGORY_ZS && cat <= UTF8PROC_CATEGORY_ZP);
}

/* Returns the end of a URL's path starting at pos: up to whitespace, minus trailing
 * punctuation and unbalanced closing brackets. */
static size_t
url_end(const char *s, size_t len, size_t pos)
{
    size_t e = pos;
    int parens = 0;
    while (e < len && !ends_url(s, len, e)) {
        if (s[e] == '(')
            parens++;
        else if (s[e] == ')')
            parens--;
        if ((unsigned char)s[e] < 0x80) {
            e++;
        } else {
            int32_t cp; /* a whole character: a link never ends inside one */
            e += guard_utf8_next(s, len, e, &cp);
        }
    }
    while (e > pos) {
        char c = s[e - 1];
        if (c == ')' && parens < 0) {
            parens++;
            e--;
        } else if (guard_in_set(".,;:!?'*]", c)) {
            e--;
        } else {
            break;
        }
    }
    return e;
}

/* Parses a host name "label(.label)+" at pos; returns its end, or 0 when there is none. The
 * last label must be letters only (2 or more). */
static size_t
host_end(const char *s, size_t len, size_t pos, size_t *labels)
{
    size_t e = pos, n = 0, last = pos;
    while (e < len) {
        size_t l = e;
        while (e < len && is_host_char((unsigned char)s[e]))
            e++;
        if (e == l)
            break;
        n++;
        last = l;
        if (e + 1 < len && s[e] == '.' && is_host_char((unsigned char)s[e + 1]))
            e++;
        else
            break;
    }
    if (n < 2 || e - last < 2)
        return 0;
    for (size_t i = last; i < e; i++)
        if (!((s[i] | 32) >= 'a' && (s[i] | 32) <= 'z'))
            return 0;
    *labels = n;
    return e;
}

/* Whether s[a..b) is one of the bare_tlds, in any case. */
static bool
is_bare_tld(const char *s, size_t a, size_t b)
{
    for (size_t i = 0; i < NELEM(bare_tlds); i++)
        if (strlen(bare_tlds[i]) == b - a && strncasecmp(s + a, bare_tlds[i], b - a) == 0)
            return true;
    return false;
}

static void
push_span(struct guard_view *v, const struct guard_span *sp)
{
    if (v->nspans == v->capspans) {
        v->capspans = v->capspans ? v->capspans * 2 : 16;
        v->spans = xreallocarray(v->spans, v->capspans, sizeof *v->spans);
    }
    v->spans[v->nspans++] = *sp;
}

/* Tries a URL (with a scheme or "www."), an e-mail address or a bare domain at pos, a word
 * start. Returns the end of what it found, or 0. */
static size_t
scan_link(struct guard_view *v, size_t pos)
{
    const char *s = v->s;
    size_t len = v->len, labels = 0;
    struct guard_span sp = {.start = (uint32_t)pos, .kind = SPAN_URL};
    size_t h = pos;
    bool hchar = (s[pos] | 32) == 'h';
    if (hchar && len - pos > 7 && strncasecmp(s + pos, "http://", 7) == 0) {
        sp.scheme = 1;
        h = pos + 7;
    } else if (hchar && len - pos > 8 && strncasecmp(s + pos, "https://", 8) == 0) {
        sp.scheme = 2;
        h = pos + 8;
    }
    if (sp.scheme) {
        size_t e = url_end(s, len, h);
        if (e <= h)
            return 0;
        /* Skip user:password@ before the host. */
        size_t hs = h;
        for (size_t i = h; i < e && s[i] != '/' && s[i] != '?' && s[i] != '#'; i++)
            if (s[i] == '@')
                hs = i + 1;
        size_t he = hs;
        while (he < e && s[he] != '/' && s[he] != ':' && s[he] != '?' && s[he] != '#')
            he++;
        sp.host = (uint32_t)hs;
        sp.host_end = (uint32_t)he;
        sp.end = (uint32_t)e;
        push_span(v, &sp);
        return e;
    }
    /* local@domain */
    size_t l = pos;
    while (l < len && (is_ascii_alnum((unsigned char)s[l]) || guard_in_set("._%+-", s[l])))
        l++;
    if (l < len && s[l] == '@' && l > pos) {
        size_t e = host_end(s, len, l + 1, &labels);
        if (e) {
            sp.kind = SPAN_EMAIL;
            sp.host = (uint32_t)(l + 1);
            sp.host_end = (uint32_t)e;
            sp.end = (uint32_t)e;
            push_span(v, &sp);
            return e;
        }
    }
    size_t e = host_end(s, len, pos, &labels);
    if (e == 0)
        return 0;
    size_t tld = e;
    while (tld > pos && s[tld - 1] != '.')
        tld--;
    bool www = len - pos > 4 && strncasecmp(s + pos, "www.", 4) == 0;
    if (!www && !is_bare_tld(s, tld, e))
        return 0;
    if (e < len && (is_ascii_alnum((unsigned char)s[e]) || s[e] == '_' || s[e] == '@'))
        return 0;
    sp.host = (uint32_t)pos;
    sp.host_end = (uint32_t)e;
    sp.end = (uint32_t)(e < len && (s[e] == '/' || s[e] == ':') ? url_end(s, len, e) : e);
    if (sp.end < e)
        sp.end = (uint32_t)e;
    push_span(v, &sp);
    return sp.end;
}

/* Tries an @handle (@user, @user@domain, @name.bsky.social) at pos, which holds '@'. */
static size_t
scan_handle(struct guard_view *v, size_t pos)
{
    const char *s = v->s;
    size_t len = v->len, e = pos + 1;
    if (e >= len || !(is_ascii_alnum((unsigned char)s[e]) || s[e] == '_'))
        return 0;
    while (e < len && (is_ascii_alnum((unsigned char)s[e]) || guard_in_set("_.-", s[e])))
        e++;
    struct guard_span sp = {.start = (uint32_t)pos, .kind = SPAN_HANDLE};
    if (e + 1 < len && s[e] == '@' && is_ascii_alnum((unsigned char)s[e + 1])) {
        sp.at2 = (uint32_t)e;
        e++;
        while (e < len && (is_host_char((unsigned char)s[e]) || s[e] == '.'))
            e++;
    }
    while (e > pos + 1 && (s[e - 1] == '.' || s[e - 1] == '-'))
        e--;
    if (sp.at2 && sp.at2 + 1 >= e)
        sp.at2 = 0;
    sp.end = (uint32_t)e;
    push_span(v, &sp);
    return e;
}

/* Whether code point cp is a letter, mark or digit. */
static bool
is_word_cp(int32_t cp)
{
    if (cp < 0x80)
        return cp >= 0 && is_ascii_alnum((unsigned char)cp);
    utf8proc_category_t cat = utf8proc_category(cp);
    return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_NO;
}

/* Tries a #hashtag at pos, which holds '#': word characters with at least one non-digit. */
static size_t
scan_hashtag(struct guard_view *v, size_t pos)
{
    size_t e = pos + 1;
    bool nondigit = false;
    while (e < v->len) {
        int32_t cp;
        size_t n = guard_utf8_next(v->s, v->len, e, &cp);
        if (!(is_word_cp(cp) || cp == '_'))
            break;
        if (!(cp >= '0' && cp <= '9'))
            nondigit = true;
        e += n;
    }
    if (e == pos + 1 || !nondigit)
        return 0;
    struct guard_span sp = {.start = (uint32_t)pos, .end = (uint32_t)e, .kind = SPAN_HASHTAG};
    push_span(v, &sp);
    return e;
}

/* Finds every span, in order. */
static void
find_spans(struct guard_view *v)
{
    const char *s = v->s;
    size_t i = 0;
    while (i < v->len) {
        unsigned char c = (unsigned char)s[i];
        size_t e = 0;
        if (is_ascii_alnum(c) && at_word_start(s, i)) {
            e = scan_link(v, i);
            if (e == 0) {
                while (i < v->len && (is_ascii_alnum((unsigned char)s[i]) || s[i] == '_'))
                    i++;
                continue;
            }
        } else if (c == '@' && at_word_start(s, i)) {
            e = scan_handle(v, i);
        } else if (c == '#' && at_word_start(s, i)) {
            e = scan_hashtag(v, i);
        }
        i = e > i ? e : i + 1;
    }
}

void
guard_view_init(struct guard_view *v, const char *s, size_t len, enum guard_source src)
{
    memset(v, 0, sizeof *v);
    v->s = s;
    v->len = len;
    v->source = src;
}

void
guard_view_free(struct guard_view *v)
{
    free(v->toks);
    free(v->fold);
    free(v->spans);
    free(v->hits);
    free(v->sup);
    free(v->pii);
    free(v->claimed);
    free(v->masked);
    free(v->raw);
    guard_reindex_free(v->reindex);
    free(v->qmarks);
    free(v->tphits);
    free(v->stems);
    free(v->stempool);
    free(v->stemmed);
    guard_modelwords_free(v->mwords);
    memset(v, 0, sizeof *v);
}

/* Whether the folded token t is in the abbreviation list or a single letter. */
static bool
is_abbreviation(const struct guard_view *v, const struct guard_tok *t)
{
    const char *f = v->fold + t->fold;
    if (t->fold_len == 1 && (t->flags & TOK_LETTER))
        return true;
    for (size_t i = 0; i < NELEM(abbreviations); i++)
        if (abbreviations[i][0] == f[0] && strlen(abbreviations[i]) == t->fold_len &&
            memcmp(abbreviations[i], f, t->fold_len) == 0)
            return true;
    return false;
}

/* What the text between two tokens does: whether it keeps the next token joined to the
 * previous one, breaks a line, or ends a sentence. */
struct gap {
    bool dirty;      /* something other than spaces and hyphens */
    bool line;
    bool sentence;
};

/* Reads one gap code point at pos and updates g. prev is the token before the gap, or NULL. */
static void
gap_cp(const struct guard_view *v, size_t pos, int32_t cp, size_t n,
       const struct guard_tok *prev, struct gap *g)
{
    if (cp == ' ' || cp == '\t' || cp == '-' || cp == 0x2010 || cp == 0x2011)
        return;
    if (cp == '\n' || cp == '\r' || cp == 0x2028 || cp == 0x2029) {
        g->line = g->dirty = g->sentence = true;
        return;
    }
    if (cp >= 0x80) {
        utf8proc_category_t cat = utf8proc_category(cp);
        if (cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_CF ||
            cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_SK)
            return;
    }
    g->dirty = true;
    if (cp == '!' || cp == '?' || cp == 0x2026) {
        g->sentence = true;
    } else if (cp == '.') {
        size_t next = pos + n;
        bool spaced = next >= v->len || guard_in_set(" \t\r\n\"')]", v->s[next]) ||
                      (unsigned char)v->s[next] >= 0x80;
        bool abbrev = prev && prev->end == pos && is_abbreviation(v, prev);
        if (spaced && !abbrev)
            g->sentence = true;
    }
}

/* A contraction the public often type without its apostrophe, as folded: "wasnt" is read
 * as "wasn't" (from, its length, to). Only forms that are no other English word are listed
 * ("its", "well", "were", "ill", "lets", "shed" are left alone). */
struct unapostrophed {
    const char *from, *to;
    size_t len;
};

#define C(from, to) {from, to, sizeof from - 1}
static const struct unapostrophed unapostrophed[] = {
    /* (by length: see unapostrophed_from) */
    C("im", "i'm"),
    C("hes", "he's"), C("ive", "i've"),
    C("aint", "ain't"), C("cant", "can't"), C("dont", "don't"), C("isnt", "isn't"),
    C("shes", "she's"), C("weve", "we've"), C("wont", "won't"), C("youd", "you'd"),
    C("arent", "aren't"), C("didnt", "didn't"), C("hadnt", "hadn't"), C("hasnt", "hasn't"),
    C("thats", "that's"), C("wasnt", "wasn't"), C("whats", "what's"), C("youll", "you'll"),
    C("youre", "you're"), C("youve", "you've"),
    C("doesnt", "doesn't"), C("havent", "haven't"), C("mustnt", "mustn't"),
    C("neednt", "needn't"), C("theres", "there's"), C("theyll", "they'll"),
    C("theyre", "they're"), C("theyve", "they've"), C("werent", "weren't"),
    C("couldnt", "couldn't"), C("wouldnt", "wouldn't"),
    C("shouldnt", "shouldn't"),
};
/* Where the forms of each length (2 to 8) start in unapostrophed; [len + 1] ends them. */
static const uint8_t unapostrophed_from[10] = {0, 0, 0, 1, 3, 11, 21, 30, 32, 33};
#undef C

/* Whether c is a lowercase ASCII letter whose bit (a = 0) is set in letters. */
static bool
letter_in(char c, uint32_t letters)
{
    return c >= 'a' && c <= 'z' && ((letters >> (c - 'a')) & 1);
}

#define L(c) (1u << ((c) - 'a'))
/* The first and last letters of the forms listed, to pass most words over at once. */
static const uint32_t unapostrophed_first = L('a') | L('c') | L('d') | L('h') | L('i') | L('m') |
                                            L('n') | L('s') | L('t') | L('w') | L('y');
static const uint32_t unapostrophed_last = L('t') | L('s') | L('m') | L('e') | L('l') | L('d');
#undef L

/* Puts the apostrophe back into a folded contraction typed without one; returns the new
 * length (f has room for one more byte). */
static size_t
restore_apostrophe(char *f, size_t n)
{
    if (n < 2 || n > 8 || !letter_in(f[0], unapostrophed_first) ||
        !letter_in(f[n - 1], unapostrophed_last))
        return n;
    for (size_t i = unapostrophed_from[n]; i < unapostrophed_from[n + 1]; i++) {
        const struct unapostrophed *u = &unapostrophed[i];
        if (u->from[0] == f[0] && memcmp(f, u->from, n) == 0) {
            memcpy(f, u->to, n + 1);
            return n + 1;
        }
    }
    return n;
}

bool
guard_unapostrophed(const char *s, size_t len)
{
    char f[9];
    if (len < 2 || len > 8)
        return false;
    for (size_t i = 0; i < len; i++)
        f[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
    return restore_apostrophe(f, len) != len;
}

/* Folds an ASCII word s[0..len) to lowercase into out; returns len, or SIZE_MAX (out then
 * holds nothing of use) when s has a byte that is not ASCII. */
static size_t
fold_ascii(const char *s, size_t len, char *out)
{
    unsigned char any = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        any |= (unsigned char)c;
        out[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    return any >= 0x80 ? SIZE_MAX : len;
}

/* The hash of a word's folded form (as guard_hash), of its first 3 bytes when it has 3 or
 * more (else 0), and of it without a final "'s" (else 0), in one pass over its bytes. */
static void
token_hashes(struct guard_tok *t, const char *f, size_t n)
{
    bool poss = n > 2 && f[n - 2] == '\'' && f[n - 1] == 's';
    uint32_t h = HASH_START, p = 0, s = 0;
    for (size_t i = 0; i < n; i++) {
        if (i == 3)
            p = h;
        if (poss && i == n - 2)
            s = h;
        h = hash_step(h, (unsigned char)f[i]);
    }
    if (n == 3)
        p = h;
    t->hash = hash_end(h);
    t->phash = n >= 3 ? hash_end(p) : 0;
    t->shash = poss ? hash_end(s) : 0;
}

/* Adds the token s[start..end) with its folded form and flags. */
static void
push_token(struct guard_view *v, size_t start, size_t end, uint16_t flags, int upper,
           int lower, bool first_upper)
{
    if (v->ntoks == v->captoks) {
        v->captoks = v->captoks ? v->captoks * 2 : 64;
        v->toks = xreallocarray(v->toks, v->captoks, sizeof *v->toks);
    }
    size_t need = (end - start) * 3 + 8;
    if (v->foldlen + need > v->foldcap) {
        v->foldcap = (v->foldlen + need) * 2;
        v->fold = xrealloc(v->fold, v->foldcap);
    }
    struct guard_tok *t = &v->toks[v->ntoks++];
    t->start = (uint32_t)start;
    t->end = (uint32_t)end;
    t->fold = (uint32_t)v->foldlen;
    size_t n = fold_ascii(v->s + start, end - start, v->fold + v->foldlen);
    if (n == SIZE_MAX) /* (not ASCII) */
        n = guard_fold(v->s + start, end - start, v->fold + v->foldlen, need);
    n = restore_apostrophe(v->fold + v->foldlen, n);
    t->fold_len = (uint32_t)n;
    v->foldlen += n;
    token_hashes(t, v->fold + t->fold, n);
    if (upper + lower > 0)
        flags |= TOK_LETTER;
    if (upper >= 2 && lower == 0)
        flags |= TOK_UPPER;
    if (first_upper)
        flags |= TOK_CAPITAL;
    t->flags = flags;
}

/* Classifies a letter: 1 uppercase, 2 lowercase, 0 neither (or not a letter). */
static int
letter_case(int32_t cp)
{
    if (cp < 0x80)
        return cp >= 'A' && cp <= 'Z' ? 1 : cp >= 'a' && cp <= 'z' ? 2 : 0;
    utf8proc_category_t cat = utf8proc_category(cp);
    return cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT ? 1
           : cat == UTF8PROC_CATEGORY_LL                              ? 2
                                                                      : 0;
}

/* Whether cp is an apostrophe that can sit inside a word ("we'll"). */
static bool
is_apostrophe(int32_t cp)
{
    return cp == '\'' || cp == 0x2019 || cp == 0x02BC;
}

/* Whether cp is a symbol that makes a token of its own (emoji, currency). */
static bool
is_symbol_cp(int32_t cp)
{
    if (cp < 0x80)
        return false;
    utf8proc_category_t cat = utf8proc_category(cp);
    return cat == UTF8PROC_CATEGORY_SO || cat == UTF8PROC_CATEGORY_SC;
}

void
guard_view_tokenize(struct guard_view *v)
{
    const char *s = v->s;
    size_t len = v->len, pos = 0, span = 0;
    find_spans(v);
    struct gap g = {.dirty = true, .sentence = true};
    while (pos < len) {
        if (span < v->nspans && pos >= v->spans[span].start) {
            pos = v->spans[span].end > pos ? v->spans[span].end : pos + 1;
            span++;
            g.dirty = true;
            continue;
        }
        int32_t cp;
        size_t n = guard_utf8_next(s, len, pos, &cp);
        const struct guard_tok *prev = v->ntoks ? &v->toks[v->ntoks - 1] : NULL;
        if (is_symbol_cp(cp)) {
            uint16_t f = TOK_SYMBOL | (g.dirty ? 0 : TOK_JOINED) |
                         (g.sentence ? TOK_SENTENCE : 0) | (g.line ? TOK_LINE : 0);
            push_token(v, pos, pos + n, f, 0, 0, false);
            pos += n;
            g = (struct gap){0};
            continue;
        }
        if (!is_word_cp(cp)) {
            gap_cp(v, pos, cp, n, prev, &g);
            pos += n;
            continue;
        }
        /* A word: letters, marks and digits, with apostrophes between letters. */
        size_t start = pos, limit = span < v->nspans ? v->spans[span].start : len;
        int upper = 0, lower = 0, digits = 0, letters = 0;
        bool first_upper = letter_case(cp) == 1;
        int32_t last = -1;
        while (pos < limit) {
            n = guard_utf8_next(s, len, pos, &cp);
            if (is_apostrophe(cp) && last >= 0 && letter_case(last) && pos + n < limit) {
                int32_t next;
                guard_utf8_next(s, len, pos + n, &next);
                if (letter_case(next)) {
                    pos += n;
                    last = cp;
                    continue;
                }
            }
            if (!is_word_cp(cp))
                break;
            int lc = letter_case(cp);
            upper += lc == 1;
            lower += lc == 2;
            letters += lc != 0;
            digits += cp >= '0' && cp <= '9';
            last = cp;
            pos += n;
        }
        uint16_t f = TOK_WORD | (g.dirty ? 0 : TOK_JOINED) | (g.sentence ? TOK_SENTENCE : 0) |
                     (g.line ? TOK_LINE : 0);
        if (digits > 0)
            f |= TOK_HASDIGIT;
        if (digits > 0 && letters == 0 && (size_t)digits == pos - start)
            f |= TOK_DIGITS;
        push_token(v, start, pos, f, upper, lower, first_upper);
        g = (struct gap){0};
    }
}

long
guard_span_at(const struct guard_view *v, size_t pos)
{
    size_t lo = 0, hi = v->nspans;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v->spans[mid].end <= pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < v->nspans && v->spans[lo].start <= pos ? (long)lo : -1;
}

/* Returns a copy of the text with REGEX_PAD zero bytes after it: PCRE2's JIT reads ahead in
 * 16-byte steps, and the padding keeps those reads inside initialised memory (valgrind). */
static char *
padded_copy(const struct guard_view *v)
{
    char *p = xmalloc(v->len + GUARD_REGEX_PAD);
    memcpy(p, v->s, v->len);
    memset(p + v->len, 0, GUARD_REGEX_PAD);
    return p;
}

const char *
guard_view_masked(struct guard_view *v)
{
    if (v->masked)
        return v->masked;
    v->masked = padded_copy(v);
    for (size_t i = 0; i < v->nspans; i++)
        memset(v->masked + v->spans[i].start, ' ', v->spans[i].end - v->spans[i].start);
    return v->masked;
}

const char *
guard_view_raw(struct guard_view *v)
{
    if (v->raw == NULL)
        v->raw = padded_copy(v);
    return v->raw;
}
