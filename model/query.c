/* Parsing the search language into an FTS5 expression and filters. */
#include "model/query.h"

#include "model/platform.h"
#include "model/post.h"
#include "model/triage_state.h"
#include "model/xmalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const char *const key_names[QK_COUNT] = {
    [QK_STATE] = "state", [QK_PLATFORM] = "platform", [QK_ACCOUNT] = "account",
    [QK_FROM] = "from",   [QK_TAG] = "tag",           [QK_ASSIGNEE] = "assignee",
};

/* Longest query accepted, so a pasted essay cannot build a giant SQL statement. */
#define QUERY_MAX 4096

const char *
query_key_name(enum query_key key)
{
    return key_names[key];
}

void
query_add(struct query *q, enum query_key key, const char *value)
{
    q->terms = xreallocarray(q->terms, q->nterms + 1, sizeof *q->terms);
    q->terms[q->nterms].key = key;
    q->terms[q->nterms].negate = 0;
    q->terms[q->nterms].value = xstrdup(value);
    q->nterms++;
}

void
query_free(struct query *q)
{
    for (size_t i = 0; i < q->nterms; i++)
        free(q->terms[i].value);
    free(q->terms);
    free(q->fts);
    free(q->fts_not);
    memset(q, 0, sizeof *q);
}

/* Returns the filter key named by the n bytes at s, or -1. */
static int
key_lookup(const char *s, size_t n)
{
    for (int i = 0; i < QK_COUNT; i++)
        if (strlen(key_names[i]) == n && strncmp(s, key_names[i], n) == 0)
            return i;
    return -1;
}

/* Appends the n bytes at s to b as one FTS5 string, doubling any quote. */
static void
add_fts_string(struct buf *b, const char *s, size_t n)
{
    buf_addc(b, '"');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            buf_addc(b, '"');
        buf_addc(b, s[i]);
    }
    buf_addc(b, '"');
}

/* Reads one token at *p: a quoted phrase or a run of non-space bytes. Sets *quoted and returns
 * the token's bytes through *tok and *n; advances *p. Returns -1 on an unterminated quote. */
static int
next_token(const char **p, const char **tok, size_t *n, int *quoted)
{
    const char *s = *p;
    *quoted = 0;
    if (*s == '"') {
        const char *end = strchr(s + 1, '"');
        if (end == NULL)
            return -1;
        *tok = s + 1;
        *n = (size_t)(end - s - 1);
        *quoted = 1;
        *p = end + 1;
        if (**p == '*') /* "phrase"* is a prefix phrase */
            (*p)++;
        return 0;
    }
    while (**p && !isspace((unsigned char)**p))
        (*p)++;
    *tok = s;
    *n = (size_t)(*p - s);
    return 0;
}

int
query_check_value(enum query_key key, const char *v, char **err)
{
    if (key == QK_STATE && triage_state_index(v) < 0) {
        *err = triage_state_unknown(v);
        return -1;
    }
    if (key == QK_PLATFORM && platform_find(v) == NULL) {
        char *names = platform_names(" and ");
        *err = xasprintf("unknown platform '%.40s'; platforms are %s", v, names);
        free(names);
        return -1;
    }
    return 0;
}

int
query_parse(const char *text, struct query *q, char **err)
{
    struct buf pos = {0}, neg = {0};
    memset(q, 0, sizeof *q);
    if (strlen(text) > QUERY_MAX) {
        *err = xasprintf("the search is longer than %d bytes; shorten it", QUERY_MAX);
        return -1;
    }
    const char *p = text;
    while (*p) {
        if (isspace((unsigned char)*p)) {
            p++;
            continue;
        }
        int negate = 0;
        if (*p == '-' && p[1] && !isspace((unsigned char)p[1])) {
            negate = 1;
            p++;
        }
        const char *tok;
        size_t n;
        int quoted;
        int prefix = 0;
        if (next_token(&p, &tok, &n, &quoted) != 0) {
            *err = xstrdup("a quote is not closed; end the phrase with \"");
            goto fail;
        }
        if (quoted && p[-1] == '*')
            prefix = 1;
        const char *colon = quoted ? NULL : memchr(tok, ':', n);
        int key = colon ? key_lookup(tok, (size_t)(colon - tok)) : -1;
        if (key >= 0) {
            const char *vstart = colon + 1;
            size_t vlen = n - (size_t)(vstart - tok);
            if (*vstart == '"') {
                /* key:"a value with spaces" */
                const char *end = strchr(vstart + 1, '"');
                if (end == NULL) {
                    *err = xstrdup("a quote is not closed; end the phrase with \"");
                    goto fail;
                }
                p = end + 1;
                vstart++;
                vlen = (size_t)(end - vstart);
            }
            char *v = xstrndup(vstart, vlen);
            if (*v == '\0' || query_check_value(key, v, err) != 0) {
                if (*v == '\0')
                    *err = xasprintf("'%s:' needs a value, as in %s:VALUE", key_names[key],
                                     key_names[key]);
                free(v);
                goto fail;
            }
            query_add(q, key, v);
            q->terms[q->nterms - 1].negate = negate;
            free(v);
            continue;
        }
        if (!quoted && n > 1 && tok[n - 1] == '*') {
            prefix = 1;
            n--;
        }
        if (n == 0 || (!quoted && n == 1 && *tok == '*'))
            continue;
        if (!quoted && !negate && n == 2 && strncmp(tok, "OR", 2) == 0) {
            if (pos.len && pos.data[pos.len - 1] != ' ')
                buf_adds(&pos, " OR ");
            continue;
        }
        struct buf *b = negate ? &neg : &pos;
        if (b->len && b->data[b->len - 1] != ' ')
            buf_adds(b, negate ? " OR " : " ");
        add_fts_string(b, tok, n);
        if (prefix)
            buf_addc(b, '*');
    }
    if (neg.len && !pos.len) {
        *err = xstrdup("a search cannot only exclude words; add a word to look for");
        goto fail;
    }
    if (pos.len > 4 && strcmp(pos.data + pos.len - 4, " OR ") == 0) {
        pos.len -= 4; /* a dangling OR means nothing */
        pos.data[pos.len] = '\0';
    }
    if (pos.len)
        q->fts = buf_take(&pos);
    if (neg.len)
        q->fts_not = buf_take(&neg);
    buf_free(&pos);
    buf_free(&neg);
    return 0;
fail:
    buf_free(&pos);
    buf_free(&neg);
    query_free(q);
    return -1;
}
