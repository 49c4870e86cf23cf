/* Measures of how a draft reads: words per sentence, a Flesch-Kincaid reading grade, and runs
 * of words in capitals (shouting), leaving acronyms such as NHS and DVLA alone. Links,
 * addresses, @handles and #hashtags are not words here. */
#include "model/guard_impl.h"

#include <string.h>

/* Whether c is a vowel for counting syllables (y included). */
static bool
is_vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

int
guard_syllables(const char *w, size_t n)
{
    int groups = 0;
    bool prev = false;
    for (size_t i = 0; i < n; i++) {
        bool v = is_vowel(w[i]);
        if (v && !prev)
            groups++;
        prev = v;
    }
    /* A final silent e ("close"), but not "-le" after a consonant ("table") or "the". */
    if (n > 2 && w[n - 1] == 'e' && groups > 1 &&
        !(w[n - 2] == 'l' && !is_vowel(w[n - 3])))
        groups--;
    /* A silent "-ed" ("closed"), but not after t or d ("wanted"). */
    if (n > 3 && w[n - 2] == 'e' && w[n - 1] == 'd' && groups > 1 && w[n - 3] != 't' &&
        w[n - 3] != 'd' && !is_vowel(w[n - 3]))
        groups--;
    return groups > 0 ? groups : 1;
}

/* Whether token i is a new word: a word token not joined to the previous one by a hyphen
 * alone ("kerb-separated" is one word). */
static bool
new_word(const struct guard_view *v, size_t i)
{
    const struct guard_tok *t = &v->toks[i];
    if (!(t->flags & TOK_WORD))
        return false;
    return !(i > 0 && v->toks[i - 1].end + 1 == t->start && v->s[t->start - 1] == '-');
}

/* Emits one finding per sentence longer than r->max words. */
static void
long_sentences(struct guard_ctx *c, const struct guard_rule *r, struct guard_view *v)
{
    size_t first = 0;
    long words = 0;
    for (size_t i = 0; i <= v->ntoks; i++) {
        bool end = i == v->ntoks || (i > first && (v->toks[i].flags & TOK_SENTENCE));
        if (end && words > r->max) {
            struct guard_vars vars = {.count = words, .max = r->max};
            guard_emit(c, r, v, v->toks[first].start, v->toks[i - 1].end, &vars);
        }
        if (i == v->ntoks)
            break;
        if (end) {
            first = i;
            words = 0;
        }
        words += new_word(v, i);
    }
}

/* Emits one finding for the whole text when its reading grade is over r->max; needs at least
 * r->min sentences and 30 words, as the score means little on shorter texts. */
static void
reading_grade(struct guard_ctx *c, const struct guard_rule *r, struct guard_view *v)
{
    long sentences = 0, words = 0, syllables = 0;
    for (size_t i = 0; i < v->ntoks; i++) {
        const struct guard_tok *t = &v->toks[i];
        if (i == 0 || (t->flags & TOK_SENTENCE))
            sentences++;
        if (!(t->flags & TOK_LETTER))
            continue;
        words += new_word(v, i);
        syllables += guard_syllables(v->fold + t->fold, t->fold_len);
    }
    if (sentences < r->min || words < 30)
        return;
    double grade = 0.39 * (double)words / (double)sentences +
                   11.8 * (double)syllables / (double)words - 15.59;
    if (grade <= (double)r->max)
        return;
    struct guard_vars vars = {.grade = grade, .max = r->max, .count = words};
    guard_emit(c, r, v, v->toks[0].start, v->toks[v->ntoks - 1].end, &vars);
}

void
guard_run_metric(struct guard_ctx *c, const struct guard_rule *r, struct guard_view *v)
{
    if (v->ntoks == 0)
        return;
    if (r->sub == METRIC_SENTENCE)
        long_sentences(c, r, v);
    else
        reading_grade(c, r, v);
}

/* Whether the capitals from byte start to end (tokens first to last) are a label quoted or
 * named as one: the words on a sign, a notice or a button ("PATH CLOSED signs", "press 'PAY
 * NOW'", "the bay is marked DROP OFF ONLY"), not shouting. */
static bool
caps_label(const struct guard_view *v, size_t first, size_t last, size_t start, size_t end)
{
    static const struct guard_word marked[] = {
        GUARD_WORD("marked"),   GUARD_WORD("signed"),   GUARD_WORD("signposted"),
        GUARD_WORD("labelled"), GUARD_WORD("labeled"),  GUARD_WORD("stamped"),
        GUARD_WORD("headed"),   GUARD_WORD("titled"),   GUARD_WORD("reading"),
    };
    static const struct guard_word labels[] = {
        GUARD_WORD("sign"),    GUARD_WORD("signs"),   GUARD_WORD("notice"),
        GUARD_WORD("notices"), GUARD_WORD("banner"),  GUARD_WORD("banners"),
        GUARD_WORD("label"),   GUARD_WORD("labels"),  GUARD_WORD("sticker"),
        GUARD_WORD("stickers"), GUARD_WORD("button"), GUARD_WORD("buttons"),
        GUARD_WORD("tab"),     GUARD_WORD("option"),  GUARD_WORD("board"),
        GUARD_WORD("boards"),  GUARD_WORD("tape"),    GUARD_WORD("signage"),
        GUARD_WORD("campaign"), GUARD_WORD("campaigns"), GUARD_WORD("slogan"),
    };
    if (guard_quote_opens_before(v->s, start) && guard_quote_closes_at(v->s, v->len, end))
        return true;
    if (first > 0 && guard_tok_in(v, &v->toks[first - 1], marked, NELEM(marked)))
        return true;
    return last + 1 < v->ntoks && guard_tok_in(v, &v->toks[last + 1], labels, NELEM(labels));
}

/* Whether an except or allow phrase silences the run [start, end): one that covers it, or one
 * of several words inside it ("SAVE THE DATE"). An acronym inside a run ("THE NHS IS CLOSED")
 * was passed over word by word and does not silence the rest. */
static bool
caps_excepted(const struct guard_ctx *c, const struct guard_rule *r, const struct guard_view *v,
              size_t start, size_t end)
{
    for (size_t i = 0; i < v->nsup; i++) {
        const struct guard_hit *h = &v->sup[i];
        if (!(h->start < end && start < h->end) || !guard_hit_silences(c, r, h, true))
            continue;
        if (h->start <= start && end <= h->end)
            return true;
        if (memchr(v->s + h->start, ' ', h->end - h->start) != NULL)
            return true;
    }
    return false;
}

/* Ends a run of capitalised words: emits it when it has at least r->min words, or when it
 * is one word the rule lists as shouting on its own ("NOT", "NEVER"). */
static void
caps_run_end(struct guard_ctx *c, const struct guard_rule *r, struct guard_view *v,
             size_t first, size_t last, long count)
{
    uint32_t ri = (uint32_t)(r - c->g->rules);
    if (count < r->min &&
        !(count == 1 && guard_phrase_token_listed(c->g, ri, v, &v->toks[first], false)))
        return;
    size_t start = v->toks[first].start, end = v->toks[last].end;
    if (caps_label(v, first, last, start, end) || caps_excepted(c, r, v, start, end))
        return;
    struct guard_vars vars = {.match = v->s + start, .match_len = end - start, .count = count};
    guard_emit(c, r, v, start, end, &vars);
}

void
guard_run_caps(struct guard_ctx *c, const struct guard_rule *r, struct guard_view *v)
{
    uint32_t ri = (uint32_t)(r - c->g->rules);
    size_t first = 0, last = 0;
    long count = 0;
    for (size_t i = 0; i < v->ntoks; i++) {
        const struct guard_tok *t = &v->toks[i];
        if (!(t->flags & TOK_WORD) || !(t->flags & TOK_LETTER) || (t->flags & TOK_HASDIGIT))
            continue; /* numbers, codes and symbols neither start nor end a run */
        if ((t->start > 0 && v->s[t->start - 1] == '/') || (t->end < v->len && v->s[t->end] == '/'))
            continue; /* part of a reference or a path: "25/00341/OUT" */
        if (t->start > 0 && v->s[t->start - 1] == '^')
            continue; /* an officer's initials signing off: "^LP" */
        bool single_capital = t->fold_len == 1 && (t->flags & TOK_CAPITAL);
        bool acronym = (t->flags & TOK_UPPER) && guard_phrase_token_listed(c->g, ri, v, t, true);
        if (single_capital || acronym)
            continue;
        if (t->flags & TOK_UPPER) {
            if (count == 0)
                first = i;
            last = i;
            count++;
            continue;
        }
        if (count)
            caps_run_end(c, r, v, first, last, count);
        count = 0;
    }
    if (count)
        caps_run_end(c, r, v, first, last, count);
}
