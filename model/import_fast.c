/* The common JSON Lines record read without building a JSON tree: one pass over the line,
 * strings decoded into a scratch buffer. Anything out of the ordinary is left to
 * import_parse_line (Jansson), which gives every verdict and message, so this reader only
 * ever accepts what that one accepts, with the same values. */
#include "model/import.h"

#include "model/isotime.h"
#include "model/platform.h"
#include "model/xmalloc.h"

#include <stdlib.h>
#include <string.h>

/* The record's fields in the order of struct field_slot below: the twelve strings of a
 * post_in, then "own" and "meta". */
enum { F_TEXT = 8, F_STRINGS = 12, F_OWN = 12, F_COUNT = 14 };

static const char *const names[F_COUNT] = {
    "platform", "account", "thread", "id", "parent", "author", "author_name",
    "created_at", "text", "html", "url", "title", "own", "meta",
};
static const unsigned char required[F_STRINGS] = {1, 1, 1, 1, 0, 1, 0, 1, 1, 0, 0, 0};

/* The string slot of field i in p. */
static const char **
slot(struct post_in *p, int i)
{
    const char **f[F_STRINGS] = {&p->platform, &p->account, &p->thread, &p->id,
                                 &p->parent, &p->author, &p->author_name, &p->created_at,
                                 &p->text, &p->html, &p->url, &p->title};
    return f[i];
}

/* Skips JSON white space. */
static const char *
skip_ws(const char *s, const char *end)
{
    while (s < end && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'))
        s++;
    return s;
}

/* Reads 4 hex digits at s (end permitting). Returns the value, or -1. */
static long
hex4(const char *s, const char *end)
{
    if (end - s < 4)
        return -1;
    long v = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= c - '0';
        else if (c >= 'a' && c <= 'f')
            v |= c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            v |= c - 'A' + 10;
        else
            return -1;
    }
    return v;
}

/* Writes code point u (valid, not a surrogate, not 0) as UTF-8 at out; returns the end. */
static char *
put_utf8(char *out, long u)
{
    if (u < 0x80) {
        *out++ = (char)u;
    } else if (u < 0x800) {
        *out++ = (char)(0xC0 | (u >> 6));
        *out++ = (char)(0x80 | (u & 0x3F));
    } else if (u < 0x10000) {
        *out++ = (char)(0xE0 | (u >> 12));
        *out++ = (char)(0x80 | ((u >> 6) & 0x3F));
        *out++ = (char)(0x80 | (u & 0x3F));
    } else {
        *out++ = (char)(0xF0 | (u >> 18));
        *out++ = (char)(0x80 | ((u >> 12) & 0x3F));
        *out++ = (char)(0x80 | ((u >> 6) & 0x3F));
        *out++ = (char)(0x80 | (u & 0x3F));
    }
    return out;
}

/* The length of the well-formed UTF-8 sequence at s (RFC 3629: no overlong form, no
 * surrogate, nothing past U+10FFFF), or 0. */
static size_t
utf8_len(const unsigned char *s, const unsigned char *end)
{
    unsigned c = s[0];
    size_t n;
    unsigned lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if (c >= 0xE0 && c <= 0xEF)
        n = 3, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
    else if (c >= 0xF0 && c <= 0xF4)
        n = 4, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
    else
        return 0;
    if ((size_t)(end - s) < n || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++)
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    return n;
}

/* Decodes the string whose opening quote is at s into *out (NUL-terminated), advancing
 * *out. Returns the position after the closing quote, or NULL for anything this reader
 * leaves to Jansson (a control character, malformed UTF-8, an unknown escape, \u0000, a
 * lone surrogate, no closing quote). */
static const char *
string_at(const char *s, const char *end, char **out)
{
    char *o = *out;
    s++;
    while (s < end) {
        unsigned char c = (unsigned char)*s;
        if (c == '"') {
            *o++ = '\0';
            *out = o;
            return s + 1;
        }
        if (c < 0x20)
            return NULL;
        if (c < 0x80 && c != '\\') {
            *o++ = (char)c;
            s++;
            continue;
        }
        if (c >= 0x80) {
            size_t n = utf8_len((const unsigned char *)s, (const unsigned char *)end);
            if (n == 0)
                return NULL;
            memcpy(o, s, n);
            o += n;
            s += n;
            continue;
        }
        if (end - s < 2)
            return NULL;
        char e = s[1];
        s += 2;
        static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
        const char *k = e ? strchr(from, e) : NULL;
        if (k) {
            *o++ = to[k - from];
            continue;
        }
        if (e != 'u')
            return NULL;
        long u = hex4(s, end);
        if (u <= 0 || (u >= 0xDC00 && u <= 0xDFFF))
            return NULL;
        s += 4;
        if (u >= 0xD800 && u <= 0xDBFF) {
            long lo = end - s >= 6 && s[0] == '\\' && s[1] == 'u' ? hex4(s + 2, end) : -1;
            if (lo < 0xDC00 || lo > 0xDFFF)
                return NULL;
            u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
            s += 6;
        }
        o = put_utf8(o, u);
    }
    return NULL;
}

int
import_parse_fast(const char *line, size_t len, struct post_in *p, char *created_buf,
                  struct buf *scratch)
{
    /* Decoded strings are never longer than their JSON form, plus a NUL each. */
    if (scratch->cap < len + 1) {
        buf_free(scratch);
        scratch->data = xmalloc(len + 1);
        scratch->cap = len + 1;
    }
    char *out = scratch->data;
    const char *s = line, *end = line + len;
    unsigned seen = 0;
    memset(p, 0, sizeof *p);
    s = skip_ws(s, end);
    if (s == end || *s != '{')
        return 0;
    s = skip_ws(s + 1, end);
    if (s < end && *s == '}')
        return 0; /* no field: Jansson says which is missing */
    for (;;) {
        if (s == end || *s != '"')
            return 0;
        char *key = out;
        if ((s = string_at(s, end, &out)) == NULL)
            return 0;
        int f = 0;
        while (f < F_COUNT && strcmp(key, names[f]) != 0)
            f++;
        if (f == F_COUNT || (seen & (1u << f)))
            return 0;
        seen |= 1u << f;
        out = key; /* the key is not kept */
        s = skip_ws(s, end);
        if (s == end || *s != ':')
            return 0;
        s = skip_ws(s + 1, end);
        if (s == end)
            return 0;
        if (*s == '"' && f < F_STRINGS) {
            *slot(p, f) = out;
            if ((s = string_at(s, end, &out)) == NULL)
                return 0;
        } else if (end - s >= 4 && memcmp(s, "null", 4) == 0) {
            s += 4;
        } else if (f == F_OWN && end - s >= 4 && memcmp(s, "true", 4) == 0) {
            p->own = 1;
            s += 4;
        } else if (f == F_OWN && end - s >= 5 && memcmp(s, "false", 5) == 0) {
            s += 5;
        } else {
            return 0; /* a number, an object, an array, or a type the field does not take */
        }
        s = skip_ws(s, end);
        if (s == end)
            return 0;
        if (*s == '}')
            break;
        if (*s != ',')
            return 0;
        s = skip_ws(s + 1, end);
    }
    if (skip_ws(s + 1, end) != end)
        return 0;
    /* What import_parse_line checks once the record is read; any refusal is left to it. */
    for (int f = 0; f < F_STRINGS; f++) {
        const char *v = *slot(p, f);
        if (required[f] && (v == NULL || (*v == '\0' && f != F_TEXT)))
            return 0;
    }
    char *why = NULL;
    if (post_check(p, &why) != 0) {
        free(why);
        return 0;
    }
    if (platform_find(p->platform) == NULL ||
        isotime_normalize(p->created_at, created_buf) != 0)
        return 0;
    p->created_at = created_buf;
    if (p->parent && strcmp(p->parent, p->id) == 0)
        return 0;
    return 1;
}
