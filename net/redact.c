/* Replacing every encoded form of the secrets in use by a mark, in server text. */
#include "net/redact.h"

#include "model/xmalloc.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* Wipes and frees one form. */
static void
form_free(char *f)
{
    if (f)
        explicit_bzero(f, strlen(f));
    free(f);
}

/* Adds form f (owned) unless it is too short, already known, or there is no room. */
static void
add_form(struct redactor *r, char *f)
{
    if (f == NULL)
        return;
    int keep = strlen(f) >= REDACT_MIN_FORM && r->n < REDACT_MAX_FORMS;
    for (size_t i = 0; keep && i < r->n; i++)
        keep = strcmp(r->forms[i], f) != 0;
    if (!keep) {
        form_free(f);
        return;
    }
    r->forms[r->n++] = f;
    r->sorted = 0;
}

/* The base64 alphabet: standard, or URL-safe. */
static const char *
alphabet(int url)
{
    return url ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
               : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
}

/* Base64 of len bytes of s, with '=' padding when pad is set. */
static char *
base64(const unsigned char *s, size_t len, int url, int pad)
{
    const char *a = alphabet(url);
    struct buf b = {0};
    buf_add(&b, "", 0);
    for (size_t i = 0; i < len; i += 3) {
        unsigned v = (unsigned)s[i] << 16;
        if (i + 1 < len)
            v |= (unsigned)s[i + 1] << 8;
        if (i + 2 < len)
            v |= s[i + 2];
        size_t chars = len - i >= 3 ? 4 : len - i + 1;
        for (size_t k = 0; k < 4; k++)
            if (k < chars)
                buf_addc(&b, a[(v >> (18 - 6 * k)) & 63]);
            else if (pad)
                buf_addc(&b, '=');
    }
    return buf_take(&b);
}

/* The base64 characters that depend on the secret alone when it starts `shift` bytes into a
 * longer text (0-2): whatever surrounds it, its base64 holds this run. */
static char *
base64_core(const char *secret, size_t len, size_t shift, int url)
{
    unsigned char *bytes = xcalloc(len + shift + 1, 1);
    memcpy(bytes + shift, secret, len);
    char *all = base64(bytes, len + shift, url, 0);
    explicit_bzero(bytes, len + shift);
    free(bytes);
    /* Character i carries bits [6i, 6i + 6); keep those inside the secret's bits. */
    size_t first = (8 * shift + 5) / 6, last = (8 * (shift + len)) / 6; /* [first, last) */
    char *core = last > first ? xstrndup(all + first, last - first) : NULL;
    form_free(all);
    return core;
}

/* Percent-encoding of s: hex in lower or upper case, space as '+' or %20, '/' kept or not. */
static char *
url_encode(const char *s, int lower, int plus, int keep_slash)
{
    const char *hex = lower ? "0123456789abcdef" : "0123456789ABCDEF";
    struct buf b = {0};
    buf_add(&b, "", 0);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-_.~", *p) || (keep_slash && *p == '/')) {
            buf_addc(&b, (char)*p);
        } else if (plus && *p == ' ') {
            buf_addc(&b, '+');
        } else {
            buf_addc(&b, '%');
            buf_addc(&b, hex[*p >> 4]);
            buf_addc(&b, hex[*p & 15]);
        }
    }
    return buf_take(&b);
}

/* s as the inside of a JSON string, with jansson's flags; \u escapes in lower case when lower
 * is set (as Python writes them). */
static char *
json_escape(const char *s, size_t flags, int lower)
{
    json_t *str = json_string(s);
    char *d = str ? json_dumps(str, flags | JSON_ENCODE_ANY) : NULL;
    json_decref(str);
    if (d == NULL || strlen(d) < 2) {
        free(d);
        return NULL;
    }
    size_t n = strlen(d);
    char *inner = xstrndup(d + 1, n - 2);
    explicit_bzero(d, n);
    free(d);
    for (char *p = inner; lower && (p = strstr(p, "\\u")) != NULL; p += 2)
        for (int k = 2; k < 6 && p[k]; k++)
            if (p[k] >= 'A' && p[k] <= 'F')
                p[k] = (char)(p[k] - 'A' + 'a');
    return inner;
}

/* Adds the plain, URL-encoded and JSON-escaped forms of s. */
static void
add_text_forms(struct redactor *r, const char *s)
{
    add_form(r, xstrdup(s));
    for (int v = 0; v < 8; v++)
        add_form(r, url_encode(s, v & 1, v & 2, v & 4));
    static const size_t jflags[] = {0, JSON_ENSURE_ASCII, JSON_ESCAPE_SLASH,
                                    JSON_ENSURE_ASCII | JSON_ESCAPE_SLASH};
    for (size_t i = 0; i < sizeof jflags / sizeof jflags[0]; i++)
        for (int lower = 0; lower < 2; lower++)
            add_form(r, json_escape(s, jflags[i], lower));
}

/* Adds the base64 forms of len bytes of s: whole and padded, and its core at each shift. */
static void
add_base64_forms(struct redactor *r, const char *s, size_t len)
{
    for (int url = 0; url < 2; url++) {
        add_form(r, base64((const unsigned char *)s, len, url, 1));
        for (size_t shift = 0; shift < 3; shift++)
            add_form(r, base64_core(s, len, shift, url));
    }
}

void
redact_add(struct redactor *r, const char *secret, const char *user)
{
    if (secret == NULL || strlen(secret) < REDACT_MIN_FORM)
        return;
    size_t len = strnlen(secret, REDACT_MAX_SECRET);
    char *s = xstrndup(secret, len);
    add_text_forms(r, s);
    add_base64_forms(r, s, len);
    if (user) {
        char *basic = xasprintf("%s:%s", user, s);
        add_form(r, base64((const unsigned char *)basic, strlen(basic), 0, 1));
        add_text_forms(r, basic);
        form_free(basic);
    }
    form_free(s);
}

/* qsort order: longer forms first, so a whole encoding wins over a part of it. */
static int
longer_first(const void *a, const void *b)
{
    size_t la = strlen(*(char *const *)a), lb = strlen(*(char *const *)b);
    return la < lb ? 1 : la > lb ? -1 : 0;
}

char *
redact_apply(struct redactor *r, const char *text)
{
    if (text == NULL)
        return NULL;
    if (!r->sorted) {
        qsort(r->forms, r->n, sizeof r->forms[0], longer_first);
        r->sorted = 1;
    }
    size_t lens[REDACT_MAX_FORMS];
    for (size_t k = 0; k < r->n; k++)
        lens[k] = strlen(r->forms[k]);
    struct buf b = {0};
    buf_add(&b, "", 0);
    size_t n = strlen(text);
    for (size_t i = 0; i < n;) {
        size_t hit = 0;
        for (size_t k = 0; k < r->n && hit == 0; k++)
            if (lens[k] <= n - i && text[i] == r->forms[k][0] &&
                memcmp(text + i, r->forms[k], lens[k]) == 0)
                hit = lens[k];
        if (hit) {
            buf_adds(&b, REDACT_MARK);
            i += hit;
        } else {
            buf_addc(&b, text[i++]);
        }
    }
    return buf_take(&b);
}

void
redact_in_place(struct redactor *r, char **text)
{
    if (text == NULL || *text == NULL || r->n == 0)
        return;
    char *out = redact_apply(r, *text);
    free(*text);
    *text = out;
}

void
redact_clear(struct redactor *r)
{
    for (size_t i = 0; i < r->n; i++)
        form_free(r->forms[i]);
    memset(r, 0, sizeof *r);
}
