/* A post's length counted the way its platform counts: user-perceived characters (grapheme
 * clusters, UAX #29 via utf8proc), so an emoji family or a flag is one, CR LF is one, and the
 * blank space around the text is left out, as the platforms strip it. Mastodon counts every
 * http(s) link as its instance's characters_reserved_per_url (23 by default), wherever the
 * link ends (trailing punctuation is not part of it), and a mention @user@domain as @user.
 * Links and mentions are found by the guard's tokenizer, so the guard, the composer and the
 * send all agree on what is a link. */
#include "model/guard_impl.h"
#include "model/platform.h"

#include <limits.h>
#include <utf8proc.h>

void
platform_length_trim(const char *s, size_t len, size_t *from, size_t *to)
{
    size_t a = 0, b = len;
    while (a < b && guard_in_set(" \t\r\n", s[a]))
        a++;
    while (b > a && guard_in_set(" \t\r\n", s[b - 1]))
        b--;
    *from = a;
    *to = b;
}

long
platform_length_view(const struct platform *p, const struct guard_view *v, size_t from,
                     size_t to, long url_chars, long max, size_t *over_at)
{
    bool mastodon = p && p->counting == PLATFORM_COUNT_MASTODON;
    if (url_chars <= 0)
        url_chars = p ? p->url_chars : 0;
    long n = 0;
    size_t span = 0, i = from;
    utf8proc_int32_t prev = -1, state = 0;
    *over_at = to;
    while (i < to) {
        while (span < v->nspans && v->spans[span].end <= i)
            span++;
        const struct guard_span *sp = span < v->nspans ? &v->spans[span] : NULL;
        if (mastodon && sp && sp->start == i) {
            if (sp->kind == SPAN_URL && sp->scheme) {
                n += url_chars;
                if (n > max && *over_at == to)
                    *over_at = i;
                i = sp->end;
                prev = 'x';
                state = 0;
                continue;
            }
            if (sp->kind == SPAN_HANDLE && sp->at2) {
                /* Count @user; the domain is free. */
                n += guard_count_graphemes(v->s + i, sp->at2 - i);
                if (n > max && *over_at == to)
                    *over_at = i;
                i = sp->end;
                prev = 'x';
                state = 0;
                continue;
            }
        }
        int32_t cp;
        size_t step = guard_utf8_next(v->s, v->len, i, &cp);
        if (cp < 0)
            cp = 0xFFFD;
        bool brk;
        if (prev < 0) {
            brk = true;
        } else if (prev < 0x80 && cp < 0x80) {
            state = 0;
            brk = !(prev == '\r' && cp == '\n');
        } else {
            brk = utf8proc_grapheme_break_stateful(prev, cp, &state);
        }
        if (brk) {
            n++;
            if (n > max && *over_at == to)
                *over_at = i;
        }
        prev = cp;
        i += step;
    }
    return n;
}

long
platform_length(const struct platform *p, const char *text, size_t len, long url_chars)
{
    if (text == NULL)
        return 0;
    struct guard_view v;
    guard_view_init(&v, text, len, GUARD_DRAFT);
    if (p && p->counting == PLATFORM_COUNT_MASTODON)
        guard_view_tokenize(&v);
    size_t from, to, over_at;
    platform_length_trim(text, len, &from, &to);
    long n = platform_length_view(p, &v, from, to, url_chars, LONG_MAX, &over_at);
    guard_view_free(&v);
    return n;
}
