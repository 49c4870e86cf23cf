/* Personal-data scanners, written by hand rather than as regular expressions so that they can
 * check what a pattern cannot: Luhn for card numbers, the NINO prefix rules, the NHS number
 * check digit, UK phone number ranges (service lines starting 03 or 08 are not personal),
 * and digits spread out with spaces, dots or dashes to slip past a filter. Each text is
 * scanned once; rules then pick the types they want. */
#include "model/guard_impl.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define RUN_DIGITS 32 /* digits kept from one run of separated digits */

#define W(s) GUARD_WORD(s)

/* Words that introduce a reference or case number. */
static const struct guard_word ref_keywords[] = {
    W("ref"), W("reference"), W("case"), W("claim"), W("account"), W("acct"), W("customer"),
    W("complaint"), W("crime"), W("incident"), W("booking"), W("order"), W("ticket"),
    W("application"), W("tenancy"), W("pcn"), W("utr"), W("crn"), W("enquiry"), W("tracking"),
    W("membership"), W("invoice"), W("permit"), W("licence"), W("patient"), W("repair"),
    W("job"), W("request"), W("appeal"), W("penalty"), W("notice"),
};

/* Words allowed between such a keyword and the number. */
static const struct guard_word ref_fillers[] = {
    W("no"), W("nr"), W("number"), W("num"), W("id"), W("ref"), W("reference"), W("is"),
    W("was"), W("code"), W("my"), W("your"),
};

/* Last words of a street name. */
static const struct guard_word street_types[] = {
    W("street"), W("st"), W("road"), W("rd"), W("avenue"), W("ave"), W("lane"), W("close"),
    W("drive"), W("way"), W("crescent"), W("place"), W("court"), W("gardens"), W("terrace"),
    W("grove"), W("rise"), W("row"), W("walk"), W("mews"), W("square"), W("hill"), W("view"),
    W("parade"), W("side"), W("wynd"), W("yard"), W("croft"), W("vale"),
};

/* Words before a number that show it is a count or a route, not a house number. */
static const struct guard_word not_house[] = {
    W("over"), W("about"), W("around"), W("nearly"), W("almost"), W("all"), W("those"),
    W("these"), W("some"), W("route"), W("bus"), W("platform"), W("junction"), W("page"),
    W("section"), W("only"), W("just"), W("past"), W("the"), W("than"),
    W("every"), W("each"),
};

/* Words naming a public building or site: an address right after one ("the clinic at 4 Mill
 * Lane", "Ashton Library, 12 Bank Street") is the building's, not someone's home. */
static const struct guard_word public_places[] = {
    W("centre"), W("center"), W("hall"), W("library"), W("hospital"), W("surgery"),
    W("clinic"), W("station"), W("museum"), W("school"), W("academy"), W("college"),
    W("offices"), W("hub"), W("building"), W("pharmacy"), W("depot"), W("chambers"),
    W("church"), W("theatre"), W("stadium"), W("market"), W("site"), W("practice"),
    W("campus"), W("gallery"), W("baths"),
};

static const char *const months[] = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec",
};

size_t
guard_normalise(const char *s, size_t len, char *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < len && n + 1 < cap; i++) {
        unsigned char c = (unsigned char)s[i];
        if (isdigit(c) || isalpha(c))
            out[n++] = (char)tolower(c);
    }
    if (cap)
        out[n] = '\0';
    return n;
}

bool
guard_luhn_valid(const char *digits, size_t n)
{
    int sum = 0;
    for (size_t i = 0; i < n; i++) {
        int d = digits[n - 1 - i] - '0';
        if (d < 0 || d > 9)
            return false;
        if (i % 2 == 1) {
            d *= 2;
            if (d > 9)
                d -= 9;
        }
        sum += d;
    }
    return n > 0 && sum % 10 == 0;
}

bool
guard_nino_prefix_valid(char a, char b)
{
    static const char *const banned[] = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"};
    a = (char)toupper((unsigned char)a);
    b = (char)toupper((unsigned char)b);
    if (a < 'A' || a > 'Z' || b < 'A' || b > 'Z')
        return false;
    if (a == 'D' || a == 'F' || a == 'I' || a == 'Q' || a == 'U' || a == 'V')
        return false;
    if (b == 'D' || b == 'F' || b == 'I' || b == 'O' || b == 'Q' || b == 'U' || b == 'V')
        return false;
    for (size_t i = 0; i < NELEM(banned); i++)
        if (banned[i][0] == a && banned[i][1] == b)
            return false;
    return true;
}

/* Whether ten digits pass the NHS number check (modulus 11). */
static bool
nhs_valid(const char *d)
{
    int sum = 0;
    for (int i = 0; i < 9; i++)
        sum += (d[i] - '0') * (10 - i);
    int check = 11 - sum % 11;
    if (check == 11)
        check = 0;
    return check != 10 && check == d[9] - '0';
}

bool
guard_tok_in(const struct guard_view *v, const struct guard_tok *t,
             const struct guard_word *words, size_t n)
{
    const char *f = v->fold + t->fold;
    for (size_t i = 0; i < n; i++)
        if (words[i].n == t->fold_len && words[i].s[0] == f[0] &&
            memcmp(words[i].s, f, t->fold_len) == 0)
            return true;
    return false;
}

/* A filter of the first bytes and lengths of a list of words: a token not in it is none of
 * them, and needs no comparing with each. */
struct word_filter {
    uint64_t bits[4];
};

/* The bit of a word whose first byte is first and whose length is len. */
static unsigned
word_filter_bit(unsigned char first, size_t len)
{
    return (first * 31u + (unsigned)len) & 255u;
}

/* Makes the filter of the n words. */
static struct word_filter
word_filter_make(const struct guard_word *words, size_t n)
{
    struct word_filter f = {{0}};
    for (size_t i = 0; i < n; i++) {
        unsigned b = word_filter_bit((unsigned char)words[i].s[0], words[i].n);
        f.bits[b / 64] |= 1ull << (b % 64);
    }
    return f;
}

/* Whether token t of v may be one of the words filter f was made from. */
static bool
word_filter_may(const struct word_filter *f, const struct guard_view *v,
                const struct guard_tok *t)
{
    if (t->fold_len == 0)
        return true; /* (guard_tok_in decides) */
    unsigned b = word_filter_bit((unsigned char)v->fold[t->fold], t->fold_len);
    return (f->bits[b / 64] >> (b % 64)) & 1;
}

/* Whether token i of v exists and is the folded word w (of n bytes; see tok_is). */
static bool
tok_is_n(const struct guard_view *v, size_t i, const char *w, size_t n)
{
    return i < v->ntoks && v->toks[i].fold_len == n &&
           memcmp(v->fold + v->toks[i].fold, w, n) == 0;
}
#define tok_is(v, i, w) tok_is_n(v, i, w, sizeof(w) - 1)

/* Adds a match unless it overlaps one found earlier (earlier scanners take precedence). */
static void
pii_add(struct guard_view *v, enum pii_type type, size_t start, size_t end, const char *norm_src,
        size_t norm_len, uint8_t official)
{
    if (v->claimed == NULL)
        v->claimed = xcalloc(v->len / 8 + 1, 1);
    for (size_t i = start; i < end; i++)
        if (v->claimed[i / 8] & (1u << (i % 8)))
            return;
    for (size_t i = start; i < end; i++)
        v->claimed[i / 8] |= (uint8_t)(1u << (i % 8));
    if (v->npii == v->cappii) {
        v->cappii = v->cappii ? v->cappii * 2 : 8;
        v->pii = xreallocarray(v->pii, v->cappii, sizeof *v->pii);
    }
    struct pii_match *m = &v->pii[v->npii++];
    m->start = (uint32_t)start;
    m->end = (uint32_t)end;
    m->type = (uint8_t)type;
    m->official = official;
    guard_normalise(norm_src, norm_len, m->norm, sizeof m->norm);
}

/* Whether byte pos lies inside a span (a link, address, handle or hashtag). */
static bool
in_span(const struct guard_view *v, size_t pos)
{
    return guard_span_at(v, pos) >= 0;
}

/* E-mail addresses, marked official when their domain is on an allow-list. */
static void
scan_emails(const struct guard *g, struct guard_view *v)
{
    for (size_t i = 0; i < v->nspans; i++) {
        const struct guard_span *sp = &v->spans[i];
        if (sp->kind != SPAN_EMAIL)
            continue;
        const char *host = v->s + sp->host;
        size_t hlen = sp->host_end - sp->host;
        uint8_t official = guard_host_official(g, host, hlen, false) ? 1
                           : guard_host_official(g, host, hlen, true) ? 2
                                                                      : 0;
        pii_add(v, PII_EMAIL, sp->start, sp->end, v->s + sp->start, sp->end - sp->start,
                official);
    }
}

/* A run of digits with single separators between groups: "07700 900 123", "0.7.7.0.0". */
struct digit_run {
    size_t n;
    char d[RUN_DIGITS + 1];
    uint32_t at[RUN_DIGITS];    /* byte of each digit */
    uint8_t group[RUN_DIGITS];  /* group number of each digit */
    char sep[RUN_DIGITS];       /* separator before each group (0 for the first) */
    size_t ngroups;
    size_t lead;                /* byte where the run starts, with any '+' or '(' */
    bool plus;
};

/* Whether c may separate groups of digits. */
static bool
is_digit_sep(unsigned char c)
{
    return c == ' ' || c == '.' || c == '-' || c == '(' || c == ')';
}

/* Reads the run starting at pos (a digit, '+' or '('); returns the byte after it. */
static size_t
read_run(const struct guard_view *v, size_t pos, struct digit_run *r)
{
    const char *s = v->s;
    size_t len = v->len, i = pos;
    memset(r, 0, sizeof *r);
    r->lead = pos;
    if (s[i] == '+') {
        r->plus = true;
        i++;
    } else if (s[i] == '(') {
        i++;
    }
    char pending = 0;
    size_t last_end = i;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (isdigit(c)) {
            if (r->n == RUN_DIGITS)
                break;
            if (r->n == 0 || pending) {
                r->sep[r->ngroups] = pending;
                r->ngroups++;
            }
            r->d[r->n] = (char)c;
            r->at[r->n] = (uint32_t)i;
            r->group[r->n] = (uint8_t)(r->ngroups - 1);
            r->n++;
            pending = 0;
            i++;
            last_end = i;
            continue;
        }
        /* Up to two separator bytes (") " or "\xC2\xA0") may sit between groups; brackets
         * count as spaces, and two different separators (". ") count as mixed ('x'). */
        size_t j = i, k = 0;
        char kind = 0;
        bool mixed = false;
        while (j < len && k < 2) {
            unsigned char sc = (unsigned char)s[j];
            char this;
            if (is_digit_sep(sc)) {
                this = sc == '(' || sc == ')' ? ' ' : (char)sc;
                j++;
            } else if (sc == 0xC2 && j + 1 < len && (unsigned char)s[j + 1] == 0xA0) {
                this = ' ';
                j += 2;
            } else {
                break;
            }
            mixed |= kind && kind != this;
            kind = this;
            k++;
        }
        if (j == i || j >= len || !isdigit((unsigned char)s[j]) || in_span(v, j))
            break;
        pending = mixed ? 'x' : kind;
        i = j;
    }
    r->d[r->n] = '\0';
    return last_end;
}

/* Whether groups a..b of run r (digit indexes [from, to)) look like a date: 1-2 digits, 1-2
 * digits, with the same '.', '/' or '-' between them. */
static bool
run_is_date(const struct digit_run *r, size_t from, size_t to)
{
    size_t g0 = r->group[from];
    size_t len0 = 0, len1 = 0;
    for (size_t i = from; i < to; i++) {
        if (r->group[i] == g0)
            len0++;
        else if (r->group[i] == g0 + 1)
            len1++;
    }
    if (g0 + 1 >= r->ngroups || len0 > 2 || len1 == 0 || len1 > 2)
        return false;
    char s1 = r->sep[g0 + 1];
    return s1 == '.' || s1 == '-' || s1 == '/';
}

/* Whether the separators used in [from, to) mix kinds (dots with dashes, say). */
static bool
run_mixed(const struct digit_run *r, size_t from, size_t to)
{
    char kind = 0;
    for (size_t g = (size_t)r->group[from] + 1; g <= r->group[to - 1]; g++) {
        char s = r->sep[g];
        if (s == '(' || s == ')' || s == ' ')
            continue;
        if (s == 'x' || (kind && kind != s))
            return true;
        kind = s;
    }
    return false;
}

/* Classifies digits d[0..n) (plus: the run had a leading '+'): returns PII_PHONE, PII_CARD,
 * PII_NHS or -1. grouped_334 says the digits were written 3-3-4, nhs_ok that "NHS" comes just
 * before, card_groups that the groups are card-like (one group, or groups of 4 to 6 digits). */
static int
classify_digits(const char *d, size_t n, bool plus, bool grouped_334, bool nhs_ok,
                bool card_groups)
{
    if (!plus && card_groups && n >= 13 && n <= 19 && d[0] >= '2' && d[0] <= '6' &&
        guard_luhn_valid(d, n))
        return PII_CARD;
    const char *uk = NULL;
    size_t ukn = 0;
    if (plus && n >= 2 && d[0] == '4' && d[1] == '4') {
        uk = d + 2;
        ukn = n - 2;
    } else if (!plus && n >= 4 && memcmp(d, "0044", 4) == 0) {
        uk = d + 4;
        ukn = n - 4;
    }
    if (uk) {
        if (ukn && uk[0] == '0') {
            uk++;
            ukn--;
        }
        return ukn == 10 && (uk[0] == '7' || uk[0] == '1' || uk[0] == '2') ? PII_PHONE : -1;
    }
    if (plus)
        return n >= 8 && n <= 15 ? PII_PHONE : -1;
    if (n >= 2 && d[0] == '0' && d[1] == '0')
        return n >= 10 && n <= 17 ? PII_PHONE : -1;
    if (d[0] == '0') {
        if (d[1] == '7')
            return n == 11 ? PII_PHONE : -1;
        if (d[1] == '1' || d[1] == '2')
            return n == 10 || n == 11 ? PII_PHONE : -1;
        return -1; /* 03, 08 and 09 are service lines, not personal numbers */
    }
    if (n == 10 && (grouped_334 || nhs_ok) && nhs_valid(d))
        return PII_NHS;
    return -1;
}

/* Whether the folded word "nhs" appears within 40 bytes before pos. */
static bool
nhs_nearby(const struct guard_view *v, size_t pos)
{
    size_t from = pos > 40 ? pos - 40 : 0;
    for (size_t i = from; i + 3 <= pos; i++)
        if (strncasecmp(v->s + i, "nhs", 3) == 0)
            return true;
    return false;
}

/* Whether digits [from, to) of r are one group, or groups of 4 to 6 digits (the last may be
 * shorter) separated by spaces or dashes, as card numbers are written. */
static bool
card_groups(const struct digit_run *r, size_t from, size_t to)
{
    size_t first = r->group[from], last = r->group[to - 1];
    if (first == last)
        return true;
    for (size_t g = first; g <= last; g++) {
        size_t n = 0;
        for (size_t i = from; i < to; i++)
            n += r->group[i] == g;
        if ((n < 4 && g != last) || n > 6 || (g > first && r->sep[g] != ' ' && r->sep[g] != '-'))
            return false;
    }
    return true;
}

/* Tries every group-aligned slice of a run, longest first, and records what it finds. */
static void
classify_run(struct guard_view *v, const struct digit_run *r)
{
    size_t from = 0;
    while (from < r->n) {
        size_t found = 0;
        for (size_t to = r->n; to > from; to--) {
            if (to < r->n && r->group[to] == r->group[to - 1])
                continue; /* not at a group end */
            size_t n = to - from;
            if (n < 8 || run_is_date(r, from, to) || run_mixed(r, from, to))
                continue;
            bool grouped = r->group[to - 1] - r->group[from] == 2 && n == 10 &&
                           r->group[from + 3] != r->group[from + 2] &&
                           r->group[from + 6] != r->group[from + 5];
            int type = classify_digits(r->d + from, n, r->plus && from == 0, grouped,
                                       nhs_nearby(v, r->at[from]), card_groups(r, from, to));
            if (type < 0)
                continue;
            /* Start at a leading '+', or at a '(' closed inside the number. */
            size_t start = r->at[from];
            if (from == 0 && r->lead < start &&
                (v->s[r->lead] == '+' || memchr(v->s + start, ')', r->at[to - 1] - start)))
                start = r->lead;
            pii_add(v, (enum pii_type)type, start, r->at[to - 1] + 1, r->d + from, n, 0);
            found = to;
            break;
        }
        if (found) {
            from = found;
            continue;
        }
        /* Move to the next group. */
        size_t g = r->group[from];
        while (from < r->n && r->group[from] == g)
            from++;
    }
}

/* Phone, card and NHS numbers in runs of digits outside links and handles. */
static void
scan_digits(struct guard_view *v)
{
    const char *s = v->s;
    size_t i = 0;
    while (i < v->len) {
        unsigned char c = (unsigned char)s[i];
        bool starts = isdigit(c) || ((c == '+' || c == '(') && i + 1 < v->len &&
                                     isdigit((unsigned char)s[i + 1]));
        if (!starts || in_span(v, i) ||
            (i > 0 && (isalnum((unsigned char)s[i - 1]) || s[i - 1] == '/' ||
                       (isdigit(c) && s[i - 1] == '+')))) {
            i++;
            continue;
        }
        struct digit_run r;
        size_t end = read_run(v, i, &r);
        bool boundary = end >= v->len || !(isalnum((unsigned char)s[end]) || s[end] == '/');
        if (boundary && r.n >= 8)
            classify_run(v, &r);
        i = end > i ? end : i + 1;
        while (i < v->len && isalnum((unsigned char)s[i]))
            i++;
    }
}

/* National Insurance numbers: two letters, six digits, a letter A to D, with optional single
 * separators between the pairs ("QQ 12 34 56 C" is the example format, but QQ is not issued). */
static void
scan_nino(struct guard_view *v)
{
    const char *s = v->s;
    for (size_t i = 0; i + 9 <= v->len; i++) {
        /* A digit two or three bytes on first: rare in prose, it rules out most places. */
        if (!isdigit((unsigned char)s[i + 2]) && !isdigit((unsigned char)s[i + 3]))
            continue;
        if (!isalpha((unsigned char)s[i]) || (i > 0 && isalnum((unsigned char)s[i - 1])))
            continue;
        if (!isalpha((unsigned char)s[i + 1]))
            continue;
        /* A digit comes next, or after one separator (i + 9 <= len: both bytes are there);
         * in words a letter does, and the prefix need not be looked at. */
        if (!isdigit((unsigned char)s[i + 2]) &&
            !(guard_in_set(" .-", s[i + 2]) && isdigit((unsigned char)s[i + 3])))
            continue;
        if (!guard_nino_prefix_valid(s[i], s[i + 1]))
            continue;
        bool upper = isupper((unsigned char)s[i]);
        if ((bool)isupper((unsigned char)s[i + 1]) != upper)
            continue;
        size_t p = i + 2, digits = 0;
        for (int pair = 0; pair < 3; pair++) {
            if (p < v->len && guard_in_set(" .-", s[p]))
                p++;
            if (p + 2 > v->len || !isdigit((unsigned char)s[p]) ||
                !isdigit((unsigned char)s[p + 1]))
                break;
            p += 2;
            digits += 2;
        }
        if (digits != 6)
            continue;
        if (p < v->len && guard_in_set(" .-", s[p]))
            p++;
        if (p >= v->len || !guard_in_set(upper ? "ABCD" : "abcd", s[p]))
            continue;
        p++;
        if (p < v->len && isalnum((unsigned char)s[p]))
            continue;
        if (in_span(v, i))
            continue;
        pii_add(v, PII_NINO, i, p, s + i, p - i, 0);
        i = p;
    }
}

/* Whether t (all one case) is a postcode's outward part: A9, A99, A9A, AA9, AA99, AA9A. */
static bool
outward(const char *t, size_t n)
{
    if (n < 2 || n > 4 || !isalpha((unsigned char)t[0]))
        return false;
    int a = toupper((unsigned char)t[0]);
    if (a == 'Q' || a == 'V' || a == 'X') /* (compared, not strchr'd: most words come here) */
        return false;
    size_t i = 1;
    if (isalpha((unsigned char)t[1])) {
        int b = toupper((unsigned char)t[1]);
        if (b == 'I' || b == 'J' || b == 'Z')
            return false;
        i = 2;
    }
    if (i >= n || !isdigit((unsigned char)t[i]))
        return false;
    i++;
    if (i < n)
        i++; /* a digit or a letter */
    return i == n && (n - 1 < 1 || isalnum((unsigned char)t[n - 1]));
}

/* Whether letter c may be one of a postcode's inward letters: not C, I, K, M, O or V. */
static bool
inward_letter(char c)
{
    int u = toupper((unsigned char)c);
    return u != 'C' && u != 'I' && u != 'K' && u != 'M' && u != 'O' && u != 'V';
}

/* Whether t is a postcode's inward part: 9AA, letters not C, I, K, M, O or V. */
static bool
inward(const char *t, size_t n)
{
    return n == 3 && isdigit((unsigned char)t[0]) && isalpha((unsigned char)t[1]) &&
           isalpha((unsigned char)t[2]) && inward_letter(t[1]) && inward_letter(t[2]);
}

/* Whether s[0..n) has letters of one case only: 1 upper, 2 lower, 0 mixed or none. */
static int
one_case(const char *s, size_t n)
{
    int up = 0, lo = 0;
    for (size_t i = 0; i < n; i++) {
        up += isupper((unsigned char)s[i]) != 0;
        lo += islower((unsigned char)s[i]) != 0;
    }
    return up && !lo ? 1 : lo && !up ? 2 : 0;
}

/* Whether the postcode at token i is the office's own or a public building's: in its sentence,
 * within the ten words before it, "we're at" or "find us at", or a public building named ("our
 * office at Stainton Wharf, Wharf Road, NM4 2QP"), with no word of someone's home between. */
static bool
public_postcode(const struct guard_view *v, size_t i)
{
    static const struct guard_word homes[] = {
        W("flat"), W("apartment"), W("my"), W("his"), W("her"), W("their"), W("your"),
        W("lives"), W("live"), W("home"), W("house"), W("mr"), W("mrs"), W("ms"), W("miss"),
    };
    static const struct guard_word ours[] = {W("office"), W("reception"), W("wharf")};
    static const struct guard_word us[] = {W("we're"), W("us")};
    for (size_t k = 1; k <= 10 && k <= i; k++) {
        const struct guard_tok *t = &v->toks[i - k];
        if (guard_tok_in(v, t, homes, NELEM(homes)))
            return false;
        if (guard_tok_in(v, t, public_places, NELEM(public_places)) ||
            guard_tok_in(v, t, ours, NELEM(ours)))
            return true;
        if (guard_tok_in(v, t, us, NELEM(us)) && k >= 2 && v->toks[i - k + 1].fold_len == 2 &&
            memcmp(v->fold + v->toks[i - k + 1].fold, "at", 2) == 0)
            return true;
        if (t->flags & TOK_SENTENCE)
            break;
    }
    return false;
}

/* UK postcodes, written in capitals or all in lowercase, with or without the space; the
 * office's own or a public building's is marked so (public_postcode). */
static void
scan_postcodes(struct guard_view *v)
{
    for (size_t i = 0; i < v->ntoks; i++) {
        const struct guard_tok *t = &v->toks[i];
        const char *a = v->s + t->start;
        size_t an = t->end - t->start;
        if (!(t->flags & TOK_WORD) || an < 2 || an > 7)
            continue;
        if (i + 1 < v->ntoks && (v->toks[i + 1].flags & TOK_JOINED) &&
            v->s[t->end] == ' ' && outward(a, an)) {
            const struct guard_tok *u = &v->toks[i + 1];
            const char *b = v->s + u->start;
            size_t bn = u->end - u->start;
            int c1 = one_case(a, an), c2 = one_case(b, bn);
            if (inward(b, bn) && c1 && c1 == c2) {
                pii_add(v, PII_POSTCODE, t->start, u->end, a, u->end - t->start,
                        public_postcode(v, i) ? PII_PUBLIC_PLACE : 0);
                i++;
                continue;
            }
        }
        if (an >= 5 && one_case(a, an) == 1 && outward(a, an - 3) && inward(a + an - 3, 3))
            pii_add(v, PII_POSTCODE, t->start, t->end, a, an,
                    public_postcode(v, i) ? PII_PUBLIC_PLACE : 0);
    }
}

/* Whether token t is a house number: 1 to 4 digits (not a year 1900-2099), maybe with one
 * letter ("14a"). */
static bool
house_number(const struct guard_view *v, const struct guard_tok *t)
{
    const char *s = v->s + t->start;
    size_t n = t->end - t->start, d = 0;
    while (d < n && isdigit((unsigned char)s[d]))
        d++;
    if (d == 0 || d > 4 || (n != d && !(n == d + 1 && isalpha((unsigned char)s[d]))))
        return false;
    if (d == 4 && (s[0] == '1' ? s[1] == '9' : s[0] == '2' && s[1] == '0'))
        return false;
    return !(d == 1 && s[0] == '0');
}

/* Whether one of the three words before token i names a public building or site, with no
 * flat or apartment between ("the hub at 12 High Street", not "Flat 2, Mill House"). */
static bool
after_public_place(const struct guard_view *v, size_t i)
{
    static const struct guard_word homes[] = {W("flat"), W("apartment"), W("my"), W("his"),
                                        W("her"), W("their"), W("lives"), W("live")};
    for (size_t k = 1; k <= 3 && k <= i; k++) {
        const struct guard_tok *t = &v->toks[i - k];
        if (guard_tok_in(v, t, homes, NELEM(homes)))
            return false;
        if (guard_tok_in(v, t, public_places, NELEM(public_places)))
            return true;
    }
    return false;
}

/* Addresses: a house number then one to three capitalised words ending in a street type
 * ("14 Fenwick Street", "Flat 12, Ashby Court"). */
static void
scan_addresses(struct guard_view *v)
{
    static const struct guard_word flat_words[] = {W("flat"), W("apartment"), W("number"), W("no")};
    for (size_t i = 0; i + 2 <= v->ntoks; i++) {
        const struct guard_tok *num = &v->toks[i];
        if (!house_number(v, num))
            continue;
        bool flat = i > 0 && guard_tok_in(v, &v->toks[i - 1], flat_words, NELEM(flat_words));
        if (!flat && i > 0 && (num->flags & TOK_JOINED) &&
            guard_tok_in(v, &v->toks[i - 1], not_house, NELEM(not_house)))
            continue;
        if (i > 0 && v->s[num->start - 1] == '\xa3') /* after "£" (its last byte) */
            continue;
        if (!flat && after_public_place(v, i))
            continue;
        size_t last = 0; /* the last street word found, so "Beck Side Lane" is whole */
        for (size_t k = 1; k <= 3 && i + k < v->ntoks; k++) {
            const struct guard_tok *w = &v->toks[i + k];
            bool joined = (w->flags & TOK_JOINED) != 0;
            if (k == 1 && !joined && flat) {
                /* "Flat 12, Ashby Court": only ", " between */
                const char *g = v->s + num->end;
                size_t gl = w->start - num->end;
                joined = (gl == 2 && g[0] == ',' && g[1] == ' ') || (gl == 1 && g[0] == ',');
            }
            if (!joined || !(w->flags & TOK_CAPITAL) || (w->flags & TOK_DIGITS))
                break;
            if (guard_tok_in(v, w, street_types, NELEM(street_types)) && k >= 2)
                last = i + k;
        }
        if (last) {
            size_t start = flat ? v->toks[i - 1].start : num->start, end = v->toks[last].end;
            pii_add(v, PII_ADDRESS, start, end, v->s + start, end - start, 0);
        }
    }
}

/* The value of the n digits at s (which need not be NUL-terminated). */
static int
digits_value(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n && isdigit((unsigned char)s[i]); i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/* Parses a date at pos: "12/03/1985", "12.3.85", "3rd March 1985", "March 3, 1985"; returns
 * its end or 0, and sets *year (0 for a two-digit year). */
static size_t
parse_date(const struct guard_view *v, size_t pos, int *year)
{
    *year = 0;
    const char *s = v->s;
    size_t len = v->len, i = pos, n = 0;
    while (i < len && isdigit((unsigned char)s[i]) && n < 3)
        i++, n++;
    if (n >= 1 && n <= 2 && i < len && guard_in_set("/.-", s[i])) {
        char sep = s[i++];
        size_t m = 0;
        while (i < len && isdigit((unsigned char)s[i]) && m < 3)
            i++, m++;
        if (m < 1 || m > 2 || i >= len || s[i] != sep)
            return 0;
        i++;
        size_t y = 0;
        while (i < len && isdigit((unsigned char)s[i]) && y < 5)
            i++, y++;
        if (y == 4)
            *year = digits_value(s + i - 4, 4);
        return (y == 2 || y == 4) ? i : 0;
    }
    /* Textual: [day[st|nd|rd|th] [of]] month [day[st...]] [,] year */
    size_t j = pos;
    bool day = false;
    if (n >= 1 && n <= 2) {
        day = true;
        j = pos + n;
        static const char *const ordinals[] = {"st", "nd", "rd", "th"};
        for (size_t k = 0; k < NELEM(ordinals) && j + 2 <= len; k++)
            if (strncasecmp(s + j, ordinals[k], 2) == 0) {
                j += 2;
                break;
            }
        while (j < len && s[j] == ' ')
            j++;
        if (j + 3 <= len && strncasecmp(s + j, "of ", 3) == 0)
            j += 3;
    }
    size_t m = j;
    while (m < len && isalpha((unsigned char)s[m]))
        m++;
    bool month = false;
    for (size_t k = 0; k < NELEM(months); k++)
        if (strlen(months[k]) == m - j && strncasecmp(s + j, months[k], m - j) == 0)
            month = true;
    if (!month)
        return 0;
    j = m;
    if (j < len && s[j] == '.')
        j++;
    while (j < len && s[j] == ' ')
        j++;
    if (!day) {
        size_t d = 0;
        while (j < len && isdigit((unsigned char)s[j]) && d < 3)
            j++, d++;
        if (d < 1 || d > 2)
            return 0;
        if (j + 2 <= len && isalpha((unsigned char)s[j]) && isalpha((unsigned char)s[j + 1]))
            j += 2;
        if (j < len && s[j] == ',')
            j++;
        while (j < len && s[j] == ' ')
            j++;
    }
    size_t y = 0, ys = j;
    while (j < len && isdigit((unsigned char)s[j]) && y < 5)
        j++, y++;
    if (y != 4 || !(s[ys] == '1' || s[ys] == '2'))
        return 0;
    *year = digits_value(s + ys, 4);
    return j;
}

/* Whether "born" at token i names a group or a title rather than someone's birthday: "born
 * between 1 September 2022 and 31 August 2023", "born on or after", "'Born in 1927' runs
 * at the museum". */
static bool
born_cohort(const struct guard_view *v, size_t i)
{
    static const struct guard_word cohort[] = {W("between"), W("after"), W("before"), W("from"),
                                         W("since"), W("during")};
    if (i + 1 < v->ntoks && guard_tok_in(v, &v->toks[i + 1], cohort, NELEM(cohort)))
        return true;
    if (tok_is(v, i + 1, "on") && tok_is(v, i + 2, "or"))
        return true;
    return guard_quote_opens_before(v->s, v->toks[i].start);
}

/* Dates of birth: "DOB", "D.O.B.", "date of birth", "birth date" or "born (on|in)" followed
 * closely by a date (or, after "born in", a year). */
static void
scan_dob(struct guard_view *v)
{
    for (size_t i = 0; i < v->ntoks; i++) {
        const struct guard_tok *t = &v->toks[i];
        size_t kw_end = 0, next = i + 1;
        bool born = false;
        if (tok_is(v, i, "dob")) {
            kw_end = t->end;
        } else if (tok_is(v, i, "d") && tok_is(v, i + 1, "o") && tok_is(v, i + 2, "b")) {
            kw_end = v->toks[i + 2].end; /* D.O.B. */
            next = i + 3;
        } else if (tok_is(v, i, "date") && tok_is(v, i + 1, "of") && tok_is(v, i + 2, "birth")) {
            kw_end = v->toks[i + 2].end;
            next = i + 3;
        } else if (tok_is(v, i, "birth") && tok_is(v, i + 1, "date")) {
            kw_end = v->toks[i + 1].end;
            next = i + 2;
        } else if (tok_is(v, i, "born")) {
            kw_end = t->end;
            born = true;
        }
        if (kw_end == 0 || (born && born_cohort(v, i)))
            continue;
        /* A date within the next few words of the same sentence: "DOB 12/03/1944", "born
         * on 14.07.1938", "the date of birth you gave us, 3rd March 1985". */
        size_t end = 0, from = 0;
        for (size_t k = next; k < v->ntoks && k < next + 4 && end == 0; k++) {
            const struct guard_tok *u = &v->toks[k];
            if ((u->flags & (TOK_SENTENCE | TOK_LINE)) || u->start - kw_end > 40)
                break;
            int year = 0;
            from = u->start;
            end = parse_date(v, u->start, &year);
            if (end == 0 && born && k <= next + 1 && (u->flags & TOK_DIGITS) &&
                u->end - u->start == 4 && (v->s[u->start] == '1' || v->s[u->start] == '2')) {
                end = u->end; /* "born in 1984" */
                year = digits_value(v->s + u->start, 4);
            }
            if (end && v->year && year > v->year)
                end = 0; /* a date to come is not a birthday */
        }
        if (end)
            pii_add(v, PII_DOB, t->start, end, v->s + from, end - from, 0);
    }
}

/* Whether the n digits at d make a UK service line: 10 or 11 of them, starting 03 or 08. */
static bool
service_digits(const char *d, size_t n)
{
    return (n == 10 || n == 11) && d[0] == '0' && (d[1] == '3' || d[1] == '8');
}

/* Whether the n bytes at s are a public service line and nothing else (its digits, spaces
 * allowed): "Help to Claim: 0800 144 8 444" names a helpline. */
static bool
service_line(const char *s, size_t n)
{
    char d[12];
    size_t nd = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == ' ')
            continue;
        if (!isdigit((unsigned char)s[i]) || nd == sizeof d - 1)
            return false;
        d[nd++] = s[i];
    }
    return service_digits(d, nd);
}

/* Whether the line before byte pos (up to PLANNING_BACK bytes) names the planning register:
 * "comment at https://www.example.gov.uk/planning (reference NP/26/0312)", "the planning
 * application, reference 26/0412". A planning application and its reference are public. */
#define PLANNING_BACK 100
static bool
planning_before(const struct guard_view *v, size_t pos)
{
    static const char *const names[] = {"/planning", "planning application", "planning portal",
                                        "planning register"};
    size_t from = pos > PLANNING_BACK ? pos - PLANNING_BACK : 0;
    for (size_t i = pos; i > from; i--)
        if (v->s[i - 1] == '\n') {
            from = i;
            break;
        }
    for (size_t k = 0; k < NELEM(names); k++) {
        size_t n = strlen(names[k]);
        for (size_t i = from; i + n <= pos; i++)
            if (strncasecmp(v->s + i, names[k], n) == 0)
                return true;
    }
    return false;
}

/* Reference and case numbers after a keyword: "ref HR-2026-04417", "claim no. 12345678",
 * "case number: AB/123456". The number needs six or more letters and digits, four of them
 * digits. A reference given with the planning register it is on is public (planning_before). */
static void
scan_references(struct guard_view *v)
{
    const char *s = v->s;
    struct word_filter keywords = word_filter_make(ref_keywords, NELEM(ref_keywords));
    for (size_t i = 0; i + 1 < v->ntoks; i++) {
        const struct guard_tok *k = &v->toks[i];
        if (!(k->flags & TOK_LETTER) || !word_filter_may(&keywords, v, k) ||
            !guard_tok_in(v, k, ref_keywords, NELEM(ref_keywords)))
            continue;
        size_t j = i + 1;
        while (j < v->ntoks && j - i <= 3 &&
               guard_tok_in(v, &v->toks[j], ref_fillers, NELEM(ref_fillers)) &&
               !(v->toks[j].flags & (TOK_SENTENCE | TOK_LINE)))
            j++;
        if (j >= v->ntoks || (v->toks[j].flags & (TOK_SENTENCE | TOK_LINE)) ||
            v->toks[j].start - v->toks[j - 1].end > 4)
            continue;
        size_t p = v->toks[j].start, alnum = 0, digits = 0, end = p;
        while (p < v->len && !in_span(v, p)) {
            unsigned char c = (unsigned char)s[p];
            if (isalnum(c)) {
                alnum++;
                digits += isdigit(c) != 0;
                p++;
                end = p;
            } else if ((c == '-' || c == '/') && p + 1 < v->len &&
                       isalnum((unsigned char)s[p + 1])) {
                p++;
            } else if (c == ' ' && p > 0 && isdigit((unsigned char)s[p - 1]) && p + 1 < v->len &&
                       isdigit((unsigned char)s[p + 1])) {
                p++;
            } else {
                break;
            }
        }
        if (alnum >= 6 && digits >= 4 && alnum <= 40 &&
            !service_line(s + v->toks[j].start, end - v->toks[j].start) &&
            !planning_before(v, k->start))
            pii_add(v, PII_REFERENCE, k->start, end, s + v->toks[j].start,
                    end - v->toks[j].start, 0);
    }
}

void
guard_canon_phone(char *norm)
{
    size_t n = strlen(norm), skip = 0;
    if (strspn(norm, "0123456789") != n)
        return;
    if (n == 12 && strncmp(norm, "44", 2) == 0)
        skip = 2;
    else if (n == 13 && strncmp(norm, "440", 3) == 0)
        skip = 3;
    else if (n == 14 && strncmp(norm, "0044", 4) == 0)
        skip = 4;
    if (skip == 0)
        return;
    norm[0] = '0';
    memmove(norm + 1, norm + skip, n - skip + 1);
}

bool
guard_contact_allowed(const struct guard *g, const struct pii_match *m, bool with_user)
{
    char norm[sizeof m->norm];
    memcpy(norm, m->norm, sizeof norm);
    guard_canon_phone(norm);
    for (size_t i = 0; i < g->ncontacts; i++)
        if ((with_user || !g->contacts[i].user) && strcmp(g->contacts[i].text, norm) == 0)
            return true;
    return false;
}

bool
guard_has_service_number(const struct guard_view *v)
{
    const char *s = v->s;
    for (size_t i = 0; i < v->len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!(isdigit(c) || c == '+' || c == '(') || (i > 0 && isalnum((unsigned char)s[i - 1])))
            continue;
        if (!isdigit(c) && !(i + 1 < v->len && isdigit((unsigned char)s[i + 1])))
            continue;
        struct digit_run r;
        size_t end = read_run(v, i, &r);
        char norm[RUN_DIGITS + 1];
        memcpy(norm, r.d, sizeof norm);
        guard_canon_phone(norm);
        if (service_digits(norm, strlen(norm)))
            return true;
        i = end > i ? end : i;
    }
    return false;
}

/* Orders matches by where they start. */
static int
cmp_pii(const void *a, const void *b)
{
    const struct pii_match *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

void
guard_pii_scan(const struct guard *g, struct guard_view *v)
{
    if (v->pii_done)
        return;
    v->pii_done = true;
    scan_emails(g, v);
    scan_nino(v);
    scan_digits(v);
    scan_dob(v);
    scan_references(v);
    scan_addresses(v);
    scan_postcodes(v);
    if (v->npii)
        qsort(v->pii, v->npii, sizeof *v->pii, cmp_pii);
}
