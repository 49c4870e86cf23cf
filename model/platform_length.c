/* A post's length counted the way its platform counts: user-perceived characters (grapheme
 * clusters, UAX #29 via utf8proc), so an emoji family or a flag is one, CR LF is one, and the
 * blank space around the text is left out, as the platforms strip it. Mastodon counts every
 * http(s) link as its instance's characters_reserved_per_url (23 by default), wherever the
 * link ends (trailing punctuation is not part of it), and a mention @user@domain as @user.
 * Bluesky counts a link as the short form its app shows and tactful sends in its place
 * (model/platform_link.c). Links and mentions are found by the guard's tokenizer, so the
 * guard, the composer and the send all agree on what is a link. A Mastodon draft's
 * content-warning line (model/cw.h) is sent as the reply's spoiler_text, which the server
 * counts with the text: so its warning counts every character (links and mentions in it are
 * not shortened), and neither the "CW:" prefix nor the blank line under it counts. */
#include "model/cw.h"
#include "model/guard_impl.h"
#include "model/platform.h"

#include <limits.h>
#include <string.h>
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

/* Counts the ASCII characters of s from *i up to stop (or the first other byte) as
 * user-perceived characters: each one, but LF after CR (*prev is the character before, -1 at
 * the start). Moves *i and *prev past them; sets *over_at to the byte where the count first
 * exceeds room, unless it is set already (not to). */
static long
count_ascii(const char *s, size_t *i, size_t stop, int32_t *prev, long room, size_t *over_at,
            size_t to)
{
    long n = 0;
    size_t k = *i;
    int32_t p = *prev;
    for (; k < stop && (unsigned char)s[k] < 0x80; k++) {
        if (!(p == '\r' && s[k] == '\n') && ++n > room && *over_at == to)
            *over_at = k;
        p = (unsigned char)s[k];
    }
    *i = k;
    *prev = p;
    return n;
}

/* What span sp of v counts as on p when p does not count its characters, or -1 when it does:
 * on Mastodon a link counts url_chars and @user@domain its @user, on Bluesky a link its short
 * form. */
static long
span_weight(const struct platform *p, const struct guard_view *v, const struct guard_span *sp,
            long url_chars)
{
    if (p == NULL)
        return -1;
    if (p->counting == PLATFORM_COUNT_MASTODON) {
        if (sp->kind == SPAN_URL && sp->scheme)
            return url_chars;
        if (sp->kind == SPAN_HANDLE && sp->at2) /* the domain is free */
            return guard_count_graphemes(v->s + sp->start, sp->at2 - sp->start);
        return -1;
    }
    char short_form[PLATFORM_SHORT_LINK_MAX];
    size_t n;
    if (p->counting == PLATFORM_COUNT_BLUESKY &&
        (n = platform_span_short(v, sp, short_form, sizeof short_form)) > 0)
        return guard_count_graphemes(short_form, n);
    return -1;
}

/* Counts v->s[i..to) as p counts a post's text, adding to n (what is counted before it), and
 * sets *over_at to the byte where the total first exceeds max, unless it is set already (not
 * to). */
static long
count_text(const struct platform *p, const struct guard_view *v, size_t i, size_t to,
           long url_chars, long n, long max, size_t *over_at)
{
    bool spans = p && p->counting != PLATFORM_COUNT_GRAPHEMES;
    if (url_chars <= 0)
        url_chars = p ? p->url_chars : 0;
    size_t span = 0;
    utf8proc_int32_t prev = -1, state = 0;
    while (i < to) {
        while (span < v->nspans && v->spans[span].end <= i)
            span++;
        const struct guard_span *sp = span < v->nspans ? &v->spans[span] : NULL;
        long w;
        if (spans && sp && sp->start == i && (w = span_weight(p, v, sp, url_chars)) >= 0) {
            n += w;
            if (n > max && *over_at == to)
                *over_at = i;
            i = sp->end;
            prev = 'x';
            state = 0;
            continue;
        }
        /* A run of ASCII after ASCII: every character is one, but LF after CR. */
        if (prev < 0x80 && (unsigned char)v->s[i] < 0x80) {
            size_t stop = to; /* (the next link or mention, which may count less) */
            for (size_t j = span; spans && j < v->nspans; j++)
                if (v->spans[j].start > i) {
                    stop = v->spans[j].start < to ? v->spans[j].start : to;
                    break;
                }
            n += count_ascii(v->s, &i, stop, &prev, max - n, over_at, to);
            state = 0;
            continue;
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
platform_length_view(const struct platform *p, const struct guard_view *v, size_t from,
                     size_t to, long url_chars, long max, size_t *over_at)
{
    *over_at = to;
    size_t cw_from, cw_to, rest;
    if (p == NULL || p->counting != PLATFORM_COUNT_MASTODON ||
        !cw_find(v->s + from, to - from, &cw_from, &cw_to, &rest))
        return count_text(p, v, from, to, url_chars, 0, max, over_at);
    /* The warning goes as spoiler_text: its characters count, the line around them not. */
    long n = guard_count_graphemes(v->s + from + cw_from, cw_to - cw_from);
    if (n > max)
        *over_at = from + cw_from;
    size_t a, b;
    platform_length_trim(v->s + from + rest, to - from - rest, &a, &b);
    return count_text(p, v, from + rest + a, from + rest + b, url_chars, n, max, over_at);
}

long
platform_length_parts(const struct platform *p, const char *cw, const char *text, size_t len,
                      long url_chars)
{
    long n = 0;
    if (cw) {
        size_t a, b;
        platform_length_trim(cw, strlen(cw), &a, &b);
        n = guard_count_graphemes(cw + a, b - a);
    }
    if (text == NULL)
        return n;
    struct guard_view v;
    guard_view_init(&v, text, len, GUARD_DRAFT);
    if (p && p->counting != PLATFORM_COUNT_GRAPHEMES)
        guard_view_tokenize(&v);
    size_t from, to, over_at = len;
    platform_length_trim(text, len, &from, &to);
    n = count_text(p, &v, from, to, url_chars, n, LONG_MAX, &over_at);
    guard_view_free(&v);
    return n;
}

long
platform_length(const struct platform *p, const char *text, size_t len, long url_chars)
{
    if (text == NULL)
        return 0;
    struct guard_view v;
    guard_view_init(&v, text, len, GUARD_DRAFT);
    if (p && p->counting != PLATFORM_COUNT_GRAPHEMES)
        guard_view_tokenize(&v);
    size_t from, to, over_at;
    platform_length_trim(text, len, &from, &to);
    long n = platform_length_view(p, &v, from, to, url_chars, LONG_MAX, &over_at);
    guard_view_free(&v);
    return n;
}

long
platform_bytes(const struct platform *p, const char *text, size_t len)
{
    if (text == NULL)
        return 0;
    struct guard_view v;
    guard_view_init(&v, text, len, GUARD_DRAFT);
    if (p && p->counting == PLATFORM_COUNT_BLUESKY)
        guard_view_tokenize(&v);
    long n = platform_sent_bytes(p, &v, 0, len);
    guard_view_free(&v);
    return n;
}
