/* Links as Bluesky sends them: its app shows an http(s) link in a post as a short form
 * ("northmoor.gov.uk/winter/gritt...") whose link facet carries the whole address, and the
 * 300-character limit counts the short form. tactful sends links the same way, so a reply
 * counts, and reads, as it would have from the app. The links are found by the guard's
 * tokenizer, so the count (model/platform_length.c) and the send agree on what is a link. */
#include "model/guard_impl.h"
#include "model/platform.h"
#include "model/xmalloc.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The longest path (with query and fragment) shown whole, and how many characters of a longer
 * one are kept before "...". */
#define SHORT_PATH_MAX 15
#define SHORT_PATH_KEEP 13

/* Bytes of the first n code points of s[0..len) (all of it when it has fewer). */
static size_t
code_points(const char *s, size_t len, size_t n)
{
    size_t i = 0;
    for (; i < len && n > 0; n--) {
        int32_t cp;
        i += guard_utf8_next(s, len, i, &cp);
    }
    return i;
}

/* Number of code points in s[0..len). */
static size_t
count_code_points(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; n++) {
        int32_t cp;
        i += guard_utf8_next(s, len, i, &cp);
    }
    return n;
}

size_t
platform_short_link(const char *url, size_t len, char *out, size_t cap)
{
    size_t at = 0;
    if (len > 8 && strncasecmp(url, "https://", 8) == 0)
        at = 8;
    else if (len > 7 && strncasecmp(url, "http://", 7) == 0)
        at = 7;
    else
        return 0;
    /* The host, with its port and without a user:password@. */
    size_t host = at, path = at, tail;
    while (path < len && url[path] != '/' && url[path] != '?' && url[path] != '#')
        path++;
    for (size_t i = at; i < path; i++)
        if (url[i] == '@')
            host = i + 1;
    tail = path;
    /* A path of only "/" is left out, before a query or fragment too. */
    if (path < len && url[path] == '/' && (path + 1 == len || url[path + 1] == '?' ||
                                            url[path + 1] == '#'))
        tail = path + 1;
    size_t rest = len - tail, keep = rest;
    bool cut = false;
    if (count_code_points(url + tail, rest) > SHORT_PATH_MAX) {
        keep = code_points(url + tail, rest, SHORT_PATH_KEEP);
        cut = true;
    }
    size_t n = (path - host) + keep + (cut ? 3 : 0);
    if (path == host || n + 1 > cap)
        return 0;
    memcpy(out, url + host, path - host);
    memcpy(out + (path - host), url + tail, keep);
    if (cut)
        memcpy(out + (path - host) + keep, "...", 3);
    out[n] = '\0';
    return n;
}

size_t
platform_span_short(const struct guard_view *v, const struct guard_span *sp, char *out,
                    size_t cap)
{
    if (sp->kind != SPAN_URL || !sp->scheme)
        return 0;
    return platform_short_link(v->s + sp->start, sp->end - sp->start, out, cap);
}

long
platform_sent_bytes(const struct platform *p, const struct guard_view *v, size_t from,
                    size_t to)
{
    long n = (long)(to - from);
    if (p == NULL || p->counting != PLATFORM_COUNT_BLUESKY)
        return n;
    for (size_t i = 0; i < v->nspans; i++) {
        const struct guard_span *sp = &v->spans[i];
        char short_form[PLATFORM_SHORT_LINK_MAX];
        size_t k;
        if (sp->start >= from && sp->end <= to &&
            (k = platform_span_short(v, sp, short_form, sizeof short_form)) > 0)
            n -= (long)(sp->end - sp->start - k);
    }
    return n;
}

char *
platform_send_text(const struct platform *p, const char *text, size_t len,
                   struct platform_link **links, size_t *nlinks)
{
    *links = NULL;
    *nlinks = 0;
    if (p == NULL || p->counting != PLATFORM_COUNT_BLUESKY)
        return xstrndup(text, len);
    struct guard_view v;
    guard_view_init(&v, text, len, GUARD_DRAFT);
    guard_view_tokenize(&v);
    struct buf b = {0};
    size_t at = 0, cap = 0;
    for (size_t i = 0; i < v.nspans; i++) {
        const struct guard_span *sp = &v.spans[i];
        char short_form[PLATFORM_SHORT_LINK_MAX];
        size_t n;
        if ((n = platform_span_short(&v, sp, short_form, sizeof short_form)) == 0)
            continue;
        buf_add(&b, text + at, sp->start - at);
        if (*nlinks == cap) {
            cap = cap ? cap * 2 : 4;
            *links = xreallocarray(*links, cap, sizeof **links);
        }
        (*links)[(*nlinks)++] = (struct platform_link){
            .start = b.len, .end = b.len + n,
            .uri = xstrndup(text + sp->start, sp->end - sp->start)};
        buf_add(&b, short_form, n);
        at = sp->end;
    }
    buf_add(&b, text + at, len - at);
    guard_view_free(&v);
    return buf_take(&b);
}

void
platform_links_free(struct platform_link *links, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(links[i].uri);
    free(links);
}
