/* Display-safe text: the boundary between hostile remote strings and the terminal. Nothing that
 * a terminal could interpret (C0, DEL, C1) and nothing invisible or direction-changing (bidi
 * controls, format characters) leaves text_sanitize unmarked; widths and cuts work on grapheme
 * clusters so that a cut never splits a character from its combining marks. */
#include "model/text.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "model/xmalloc.h"

#define REPLACEMENT "\xEF\xBF\xBD" /* U+FFFD in UTF-8 */
#define ELLIPSIS "\xE2\x80\xA6"    /* U+2026 in UTF-8, one column */

#define ZWJ 0x200D
#define VS16 0xFE0F
#define BLACK_FLAG 0x1F3F4
#define CANCEL_TAG 0xE007F
#define MAX_FLAG_TAGS 7 /* unicode_subdivision_id: 2 letters or 3 digits, then 1 to 4 alnum */

/* Decodes the code point at s[pos] (pos < len) into *cp and returns its length in bytes (>= 1).
 * Broken UTF-8 (overlong, surrogate, truncated, out of range) sets *cp to -1 and consumes one
 * byte, so decoding resynchronises at the next byte. Never reads at or past s[len]. */
static size_t
decode(const unsigned char *s, size_t len, size_t pos, int32_t *cp)
{
    size_t avail = len - pos;
    utf8proc_int32_t c = -1;
    utf8proc_ssize_t n = utf8proc_iterate(s + pos, (utf8proc_ssize_t)(avail < 4 ? avail : 4), &c);
    if (n <= 0 || c < 0) {
        *cp = -1;
        return 1;
    }
    *cp = c;
    return (size_t)n;
}

/* Whether cp counts as pictographic for the emoji ZWJ rule. */
static int
is_pictographic(int32_t cp)
{
    if (cp < 0)
        return 0;
    if ((cp >= 0x1F000 && cp <= 0x1FAFF) || (cp >= 0x2600 && cp <= 0x27BF))
        return 1;
    return utf8proc_category(cp) == UTF8PROC_CATEGORY_SO;
}

/* Whether cp is a variation selector (U+FE00..U+FE0F, U+E0100..U+E01EF). */
static int
is_variation_selector(int32_t cp)
{
    return (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF);
}

/* Whether cp is a bidirectional control (embeddings, overrides, isolates, marks). All are
 * category Cf today; listed explicitly so that a Unicode data change cannot let one through. */
static int
is_bidi_control(int32_t cp)
{
    return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E ||
           cp == 0x200F || cp == 0x061C;
}

/* Whether the code point at s[pos] exists and is pictographic (the "next" half of the ZWJ
 * rule: end of string does not count). */
static int
next_is_pictographic(const unsigned char *s, size_t len, size_t pos)
{
    int32_t cp;
    if (pos >= len)
        return 0;
    decode(s, len, pos, &cp);
    return is_pictographic(cp);
}

/* Returns the byte length of a well-formed subdivision-flag tag sequence starting at s[pos]:
 * 1 to MAX_FLAG_TAGS tag digits or tag lowercase letters followed by U+E007F CANCEL TAG; 0 if
 * there is none. Anything looser would be an invisible channel for arbitrary ASCII. */
static size_t
flag_tags(const unsigned char *s, size_t len, size_t pos)
{
    size_t start = pos;
    int count = 0;
    while (pos < len) {
        int32_t cp;
        pos += decode(s, len, pos, &cp);
        if (cp == CANCEL_TAG)
            return count > 0 ? pos - start : 0;
        int tag_alnum = (cp >= 0xE0030 && cp <= 0xE0039) || (cp >= 0xE0061 && cp <= 0xE007A);
        if (!tag_alnum || ++count > MAX_FLAG_TAGS)
            return 0;
    }
    return 0;
}

/* Appends a visible "<U+XXXX>" (4 to 6 uppercase hex digits) standing for cp. */
static void
add_visible(struct buf *b, int32_t cp)
{
    buf_printf(b, "<U+%04X>", (unsigned)cp);
}

/* Makes the first len bytes of s safe to print (see text.h); one pass, with lookahead only for
 * the ZWJ and flag-tag rules. */
char *
text_sanitize(const char *s, size_t len, int flags)
{
    const unsigned char *u = (const unsigned char *)s;
    struct buf b = {0};
    int32_t prev = -1; /* previous code point, skipping U+FE0F (for the ZWJ rule) */
    int32_t base = -1; /* previous code point if it was copied verbatim, else -1 */
    size_t pos = 0;

    if (s == NULL)
        len = 0;
    while (pos < len) {
        int32_t cp;
        size_t n = decode(u, len, pos, &cp);
        int32_t copied = -1;

        if (cp < 0) {
            buf_adds(&b, REPLACEMENT);
        } else if (cp == '\n' || cp == '\r' || cp == 0x2028 || cp == 0x2029) {
            if (cp == '\r' && pos + 1 < len && u[pos + 1] == '\n')
                n = 2;
            buf_addc(&b, (flags & TEXT_MULTILINE) ? '\n' : ' ');
        } else if (cp == '\t') {
            buf_addc(&b, ' ');
        } else if (cp < 0x20) {
            buf_addc(&b, '^');
            buf_addc(&b, (char)(cp + 0x40));
        } else if (cp == 0x7F) {
            buf_adds(&b, "^?");
        } else if (cp >= 0x80 && cp <= 0x9F) {
            add_visible(&b, cp);
        } else if (cp == ZWJ) {
            if (is_pictographic(prev) && next_is_pictographic(u, len, pos + n)) {
                buf_add(&b, s + pos, n);
                copied = cp;
            } else {
                add_visible(&b, cp);
            }
        } else if (cp == BLACK_FLAG) {
            size_t tags = flag_tags(u, len, pos + n);
            buf_add(&b, s + pos, n + tags);
            if (tags > 0) {
                n += tags;
                cp = CANCEL_TAG;
            }
            copied = cp;
        } else if (is_bidi_control(cp) || utf8proc_category(cp) == UTF8PROC_CATEGORY_CF) {
            add_visible(&b, cp);
        } else if (is_variation_selector(cp) && (base < 0 || is_variation_selector(base))) {
            /* A selector selects for one base character; a run of them, or one with nothing
             * to attach to, is invisible data. */
            add_visible(&b, cp);
        } else {
            buf_add(&b, s + pos, n);
            copied = cp;
        }

        if (cp != VS16 || copied != VS16)
            prev = cp < 0 ? 0xFFFD : cp;
        base = copied;
        pos += n;
    }
    return buf_take(&b);
}

/* Terminal columns of one decoded code point (-1 stands for a U+FFFD replacement). */
static int
cp_width(int32_t cp)
{
    if (cp < 0)
        return 1;
    if (cp == VS16)
        return 0;
    int w = utf8proc_charwidth(cp);
    return w > 0 ? w : 0;
}

/* Sums code point widths of s; each byte of broken UTF-8 counts 1, as its U+FFFD would. */
int
text_width(const char *s)
{
    if (s == NULL)
        return 0;
    const unsigned char *u = (const unsigned char *)s;
    size_t len = strlen(s), pos = 0;
    int width = 0;
    while (pos < len) {
        int32_t cp;
        pos += decode(u, len, pos, &cp);
        int w = cp_width(cp);
        width = width > INT_MAX - w ? INT_MAX : width + w;
    }
    return width;
}

/* Appends to out the longest prefix of s made of whole grapheme clusters whose total width is
 * at most budget (broken UTF-8 becomes U+FFFD); returns 1 if that prefix is all of s. */
static int
take_clusters(const char *s, int budget, struct buf *out)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t len = strlen(s), pos = 0;
    size_t mark = out->len; /* where the current cluster starts in out */
    utf8proc_int32_t state = 0;
    int32_t prev = -1;
    long used = 0; /* width of the clusters before the current one */
    long cw = 0;   /* width of the current cluster so far */

    while (pos < len) {
        int32_t cp;
        size_t n = decode(u, len, pos, &cp);
        int32_t g = cp < 0 ? 0xFFFD : cp;
        if (prev >= 0 && utf8proc_grapheme_break_stateful(prev, g, &state)) {
            used += cw;
            cw = 0;
            mark = out->len;
        }
        cw += cp_width(cp);
        if (used + cw > budget) {
            out->len = mark;
            if (out->data != NULL)
                out->data[mark] = '\0';
            return 0;
        }
        if (cp < 0)
            buf_adds(out, REPLACEMENT);
        else
            buf_add(out, s + pos, n);
        prev = g;
        pos += n;
    }
    return 1;
}

/* Cuts s to cols columns on cluster boundaries, reserving one column for "…" when cut. */
char *
text_fit(const char *s, int cols, int ellipsis)
{
    struct buf b = {0};
    if (s == NULL || cols <= 0)
        return buf_take(&b);
    if (take_clusters(s, cols, &b) || !ellipsis)
        return buf_take(&b);
    b.len = 0;
    take_clusters(s, cols - 1, &b);
    buf_adds(&b, ELLIPSIS);
    return buf_take(&b);
}

/* Cuts s as text_fit with an ellipsis, then pads with spaces to exactly cols columns. */
char *
text_pad(const char *s, int cols)
{
    struct buf b = {0};
    if (cols <= 0)
        return buf_take(&b);
    char *fit = text_fit(s, cols, 1);
    buf_adds(&b, fit);
    for (int w = text_width(fit); w < cols; w++)
        buf_addc(&b, ' ');
    free(fit);
    return buf_take(&b);
}

int
text_is_plain(const char *s)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_int32_t cp;
    while (*p) {
        utf8proc_ssize_t n = utf8proc_iterate(p, -1, &cp);
        if (n <= 0)
            return 0;
        utf8proc_category_t cat = utf8proc_category(cp);
        if (cat == UTF8PROC_CATEGORY_CC || cat == UTF8PROC_CATEGORY_CF ||
            cat == UTF8PROC_CATEGORY_ZL || cat == UTF8PROC_CATEGORY_ZP)
            return 0;
        p += n;
    }
    return 1;
}

char *
text_fold(const char *s)
{
    utf8proc_uint8_t *out = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &out,
                                      UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_DECOMPOSE |
                                          UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK);
    if (n < 0)
        return NULL;
    /* utf8proc allocates with malloc; hand back a copy from our allocator family anyway. */
    char *r = xstrdup((const char *)out);
    free(out);
    return r;
}

/* The edit distance between a[0..an) and b[0..bn), letters swapped counting as one; both at
 * most 63 bytes (longer words are never near). */
static size_t
edit_distance(const char *a, size_t an, const char *b, size_t bn)
{
    size_t d[64][64];
    for (size_t i = 0; i <= an; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= bn; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= an; i++)
        for (size_t j = 1; j <= bn; j++) {
            size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[an][bn];
}

const char *
text_nearest(const char *word, size_t len, const char *const *names, size_t n)
{
    if (len == 0 || len > 63)
        return NULL;
    size_t most = len <= 4 ? 1 : 2, best = most + 1;
    const char *found = NULL;
    for (size_t i = 0; i < n; i++) {
        size_t nl = strlen(names[i]);
        if (nl > 63)
            continue;
        size_t dist = edit_distance(word, len, names[i], nl);
        if (dist < best) {
            best = dist;
            found = names[i];
        }
    }
    return found;
}
