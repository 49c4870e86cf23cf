/* Unit tests for model/text.c: sanitizing hostile strings, widths, cuts and padding. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/text.h"

#define FFFD "\xEF\xBF\xBD"
#define ELL "\xE2\x80\xA6"
#define ZWJ "\xE2\x80\x8D"
#define VS16 "\xEF\xB8\x8F"
#define MAN "\xF0\x9F\x91\xA8"
#define WOMAN "\xF0\x9F\x91\xA9"
#define GIRL "\xF0\x9F\x91\xA7"
#define BOY "\xF0\x9F\x91\xA6"
#define FAMILY MAN ZWJ WOMAN ZWJ GIRL ZWJ BOY
#define BLACK_FLAG "\xF0\x9F\x8F\xB4"
#define TAG_G "\xF3\xA0\x81\xA7"
#define TAG_B "\xF3\xA0\x81\xA2"
#define TAG_S "\xF3\xA0\x81\xB3"
#define TAG_C "\xF3\xA0\x81\xA3"
#define TAG_T "\xF3\xA0\x81\xB4"
#define TAG_E "\xF3\xA0\x81\xA5"
#define TAG_N "\xF3\xA0\x81\xAE"
#define CANCEL_TAG "\xF3\xA0\x81\xBF"
#define SCOTLAND BLACK_FLAG TAG_G TAG_B TAG_S TAG_C TAG_T CANCEL_TAG
#define HAN "\xE6\xBC\xA2"  /* U+6F22, width 2 */
#define HAN2 "\xE5\xAD\x97" /* U+5B57, width 2 */
#define GRIN "\xF0\x9F\x98\x80"
#define ACUTE "\xCC\x81" /* U+0301 COMBINING ACUTE ACCENT */

/* Sanitizes a NUL-terminated literal and compares with the expected output. */
static void
check_sanitize(const char *in, int flags, const char *want)
{
    char *got = text_sanitize(in, strlen(in), flags);
    assert_string_equal(got, want);
    free(got);
}

/* Sanitizes exactly len bytes copied into a heap buffer of that size (no NUL terminator), so
 * that AddressSanitizer catches any read past len, and compares with the expected output. */
static void
check_sanitize_bytes(const char *in, size_t len, int flags, const char *want)
{
    char *copy = malloc(len ? len : 1);
    assert_non_null(copy);
    memcpy(copy, in, len);
    char *got = text_sanitize(copy, len, flags);
    assert_string_equal(got, want);
    free(got);
    free(copy);
}

/* Checks text_fit's output. */
static void
check_fit(const char *in, int cols, int ellipsis, const char *want)
{
    char *got = text_fit(in, cols, ellipsis);
    assert_string_equal(got, want);
    assert_true(text_width(got) <= (cols > 0 ? cols : 0));
    free(got);
}

/* Checks text_pad's output and that it is exactly cols columns wide. */
static void
check_pad(const char *in, int cols, const char *want)
{
    char *got = text_pad(in, cols);
    assert_string_equal(got, want);
    assert_int_equal(text_width(got), cols > 0 ? cols : 0);
    free(got);
}

/* Decodes one code point of well-formed UTF-8 at s[*pos] (strictly, independently of
 * utf8proc); returns -1 on any malformation. */
static int32_t
strict_decode(const unsigned char *s, size_t len, size_t *pos)
{
    unsigned char c = s[*pos];
    int32_t cp, min;
    size_t n;
    if (c < 0x80) {
        (*pos)++;
        return c;
    } else if (c >= 0xC2 && c <= 0xDF) {
        n = 2, cp = c & 0x1F, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3, cp = c & 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4, cp = c & 0x07, min = 0x10000;
    } else {
        return -1;
    }
    if (*pos + n > len)
        return -1;
    for (size_t i = 1; i < n; i++) {
        if ((s[*pos + i] & 0xC0) != 0x80)
            return -1;
        cp = (cp << 6) | (s[*pos + i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return -1;
    *pos += n;
    return cp;
}

/* Asserts s is valid UTF-8 with nothing a terminal could interpret and nothing invisible
 * except ZWJ, variation selectors and tag characters (whose context the unit tests check). */
static void
assert_display_safe(const char *s, int multiline)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t len = strlen(s), pos = 0;
    while (pos < len) {
        int32_t cp = strict_decode(u, len, &pos);
        assert_true(cp >= 0);
        if (cp < 0x20)
            assert_true(multiline && cp == '\n');
        assert_true(cp != 0x7F);
        assert_false(cp >= 0x80 && cp <= 0x9F);
        assert_false(cp >= 0x202A && cp <= 0x202E);
        assert_false(cp >= 0x2066 && cp <= 0x2069);
        assert_false(cp == 0x200B || cp == 0x200C || cp == 0x200E || cp == 0x200F);
        assert_false(cp == 0x061C || cp == 0x2060 || cp == 0xFEFF || cp == 0x00AD);
        assert_false(cp == 0x2028 || cp == 0x2029);
    }
}

/* Plain text, accents, CJK, right-to-left letters, combining marks and private-use or
 * unassigned code points pass through unchanged. */
static void
test_passthrough(void **state)
{
    (void)state;
    check_sanitize("", 0, "");
    check_sanitize("Hello, world! <b>&amp;</b>", 0, "Hello, world! <b>&amp;</b>");
    check_sanitize("caf\xC3\xA9 na\xC3\xAFve \xC3\x85ngstr\xC3\xB6m", 0,
                   "caf\xC3\xA9 na\xC3\xAFve \xC3\x85ngstr\xC3\xB6m");
    check_sanitize("e" ACUTE "a\xCC\x88\xCC\xA3", 0, "e" ACUTE "a\xCC\x88\xCC\xA3");
    check_sanitize(HAN HAN2 " \xE3\x81\x8B\xE3\x81\xAA", 0, HAN HAN2 " \xE3\x81\x8B\xE3\x81\xAA");
    check_sanitize("\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D \xD8\xB3\xD9\x84\xD8\xA7\xD9\x85", 0,
                   "\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D \xD8\xB3\xD9\x84\xD8\xA7\xD9\x85");
    check_sanitize("\xEE\x80\x80 \xF1\x90\x80\x80 \xF4\x8F\xBF\xBF", 0,
                   "\xEE\x80\x80 \xF1\x90\x80\x80 \xF4\x8F\xBF\xBF");
    check_sanitize(FFFD, 0, FFFD);
    check_sanitize("\xF0\x9F\x87\xAB\xF0\x9F\x87\xB7", 0, "\xF0\x9F\x87\xAB\xF0\x9F\x87\xB7");
    check_sanitize("1" VS16 "\xE2\x83\xA3", 0, "1" VS16 "\xE2\x83\xA3"); /* keycap 1 */
}

/* ESC-based CSI, OSC and DCS sequences lose their ESC (and BEL) and become inert text. */
static void
test_escape_sequences(void **state)
{
    (void)state;
    check_sanitize("\x1b[2J", 0, "^[[2J");
    check_sanitize("\x1b]52;c;ZXZpbA==\x07", 0, "^[]52;c;ZXZpbA==^G");
    check_sanitize("\x1b]8;;http://evil/\x1b\\click\x1b]8;;\x1b\\", 0,
                   "^[]8;;http://evil/^[\\click^[]8;;^[\\");
    check_sanitize("\x1bP+q544e\x1b\\", 0, "^[P+q544e^[\\");
    check_sanitize("ok\x1b[31mred\x1b[0m", TEXT_MULTILINE, "ok^[[31mred^[[0m");
}

/* Every C0 control has its caret form, DEL is "^?", and embedded NULs are "^@". */
static void
test_c0_and_del(void **state)
{
    (void)state;
    for (int c = 1; c < 0x20; c++) {
        if (c == '\t' || c == '\n' || c == '\r')
            continue;
        char in[2] = {(char)c, '\0'};
        char want[3] = {'^', (char)(c + 0x40), '\0'};
        check_sanitize(in, 0, want);
        check_sanitize(in, TEXT_MULTILINE, want);
    }
    check_sanitize("\x01", 0, "^A");
    check_sanitize("\x1f", 0, "^_");
    check_sanitize("a\x7f" "b", 0, "a^?b");
    check_sanitize_bytes("a\0b\0", 4, 0, "a^@b^@");
    check_sanitize_bytes("\0", 1, TEXT_MULTILINE, "^@");
    check_sanitize("a\tb", 0, "a b");
    check_sanitize("a\tb", TEXT_MULTILINE, "a b");
}

/* C1 controls (UTF-8 encoded U+0080..U+009F) become "<U+00XX>"; a CSI by C1 is inert. */
static void
test_c1_controls(void **state)
{
    (void)state;
    check_sanitize("\xC2\x9B" "2J", 0, "<U+009B>2J");
    check_sanitize("\xC2\x9D" "52;c;eA==\xC2\x9C", 0, "<U+009D>52;c;eA==<U+009C>");
    check_sanitize("\xC2\x85", TEXT_MULTILINE, "<U+0085>");
    for (int c = 0x80; c <= 0x9F; c++) {
        char in[3] = {(char)0xC2, (char)c, '\0'};
        char want[16];
        snprintf(want, sizeof want, "<U+%04X>", (unsigned)c);
        check_sanitize(in, 0, want);
    }
    /* Raw C1 bytes are not UTF-8 at all. */
    check_sanitize("\x9B" "2J", 0, FFFD "2J");
}

/* Newline kinds: kept as '\n' in multiline mode, one space each otherwise. */
static void
test_newlines(void **state)
{
    (void)state;
    const char *in = "a\r\nb\rc\nd\xE2\x80\xA8" "e\xE2\x80\xA9" "f";
    check_sanitize(in, TEXT_MULTILINE, "a\nb\nc\nd\ne\nf");
    check_sanitize(in, 0, "a b c d e f");
    check_sanitize("\r\r\n\n", TEXT_MULTILINE, "\n\n\n");
    check_sanitize("\r\r\n\n", 0, "   ");
    check_sanitize("end\r", TEXT_MULTILINE, "end\n");
    check_sanitize_bytes("x\r", 2, 0, "x ");
}

/* Bidi controls ("Trojan Source") are shown, never applied. */
static void
test_bidi(void **state)
{
    (void)state;
    check_sanitize("\xE2\x80\xAE", 0, "<U+202E>");
    check_sanitize("invoice\xE2\x80\xAEgpj.exe", 0, "invoice<U+202E>gpj.exe");
    check_sanitize("\xE2\x80\xAA\xE2\x80\xAB\xE2\x80\xAC\xE2\x80\xAD", 0,
                   "<U+202A><U+202B><U+202C><U+202D>");
    check_sanitize("\xE2\x81\xA6\xE2\x81\xA7\xE2\x81\xA8\xE2\x81\xA9", 0,
                   "<U+2066><U+2067><U+2068><U+2069>");
    check_sanitize("\xE2\x80\x8E\xE2\x80\x8F\xD8\x9C", 0, "<U+200E><U+200F><U+061C>");
}

/* Zero-width and other format characters are shown. */
static void
test_invisible(void **state)
{
    (void)state;
    check_sanitize("pay\xE2\x80\x8Bpal", 0, "pay<U+200B>pal");
    check_sanitize("\xE2\x80\x8C\xE2\x81\xA0\xEF\xBB\xBF\xC2\xAD", 0,
                   "<U+200C><U+2060><U+FEFF><U+00AD>");
    check_sanitize("\xF3\xA0\x80\x81", 0, "<U+E0001>"); /* LANGUAGE TAG */
    check_sanitize("\xEF\xBF\xB9", 0, "<U+FFF9>");        /* INTERLINEAR ANNOTATION */
}

/* Emoji ZWJ sequences survive byte for byte; a ZWJ anywhere else is shown. */
static void
test_zwj(void **state)
{
    (void)state;
    check_sanitize(FAMILY, 0, FAMILY);
    check_sanitize("hi " FAMILY "!", 0, "hi " FAMILY "!");
    /* Heart on fire and rainbow flag: U+FE0F sits between the base and the ZWJ. */
    check_sanitize("\xE2\x9D\xA4" VS16 ZWJ "\xF0\x9F\x94\xA5", 0,
                   "\xE2\x9D\xA4" VS16 ZWJ "\xF0\x9F\x94\xA5");
    check_sanitize("\xF0\x9F\x8F\xB3" VS16 ZWJ "\xF0\x9F\x8C\x88", 0,
                   "\xF0\x9F\x8F\xB3" VS16 ZWJ "\xF0\x9F\x8C\x88");
    /* Woman technologist, medium skin tone: the modifier precedes the ZWJ. */
    check_sanitize(WOMAN "\xF0\x9F\x8F\xBD" ZWJ "\xF0\x9F\x92\xBB", 0,
                   WOMAN "\xF0\x9F\x8F\xBD" ZWJ "\xF0\x9F\x92\xBB");
    check_sanitize(BLACK_FLAG ZWJ "\xE2\x98\xA0" VS16, 0, BLACK_FLAG ZWJ "\xE2\x98\xA0" VS16);

    check_sanitize(MAN ZWJ, 0, MAN "<U+200D>");
    check_sanitize_bytes(MAN ZWJ, strlen(MAN ZWJ), 0, MAN "<U+200D>");
    check_sanitize(ZWJ, 0, "<U+200D>");
    check_sanitize(ZWJ MAN, 0, "<U+200D>" MAN);
    check_sanitize("a" ZWJ "b", 0, "a<U+200D>b");
    check_sanitize(MAN ZWJ "b", 0, MAN "<U+200D>b");
    check_sanitize("a" ZWJ MAN, 0, "a<U+200D>" MAN);
    check_sanitize(MAN ZWJ ZWJ WOMAN, 0, MAN "<U+200D><U+200D>" WOMAN);
    check_sanitize(MAN ZWJ "\xFF" WOMAN, 0, MAN "<U+200D>" FFFD WOMAN);
}

/* Subdivision flags survive; tag characters anywhere else, or in a malformed run, are shown. */
static void
test_tags(void **state)
{
    (void)state;
    check_sanitize(SCOTLAND, 0, SCOTLAND);
    check_sanitize("Go " SCOTLAND "!", 0, "Go " SCOTLAND "!");
    check_sanitize(BLACK_FLAG TAG_G TAG_B TAG_E TAG_N TAG_G CANCEL_TAG, 0,
                   BLACK_FLAG TAG_G TAG_B TAG_E TAG_N TAG_G CANCEL_TAG);
    check_sanitize(BLACK_FLAG, 0, BLACK_FLAG);
    check_sanitize("a" TAG_G TAG_B CANCEL_TAG, 0, "a<U+E0067><U+E0062><U+E007F>");
    /* No CANCEL TAG: an unterminated run could hide text. */
    check_sanitize(BLACK_FLAG TAG_G TAG_B, 0, BLACK_FLAG "<U+E0067><U+E0062>");
    check_sanitize(BLACK_FLAG CANCEL_TAG, 0, BLACK_FLAG "<U+E007F>");
    /* Eight tag characters is more than any subdivision code: invisible ASCII smuggling. */
    check_sanitize(BLACK_FLAG TAG_S TAG_E TAG_C TAG_T TAG_S TAG_E TAG_C TAG_T CANCEL_TAG, 0,
                   BLACK_FLAG "<U+E0073><U+E0065><U+E0063><U+E0074><U+E0073><U+E0065>"
                              "<U+E0063><U+E0074><U+E007F>");
    /* Tag space and uppercase tag letters are not part of a subdivision code. */
    check_sanitize(BLACK_FLAG "\xF3\xA0\x80\xA0" CANCEL_TAG, 0,
                   BLACK_FLAG "<U+E0020><U+E007F>");
    check_sanitize(BLACK_FLAG "\xF3\xA0\x81\x87" CANCEL_TAG, 0,
                   BLACK_FLAG "<U+E0047><U+E007F>");
    /* A second run after a complete flag is not part of it. */
    check_sanitize(SCOTLAND TAG_G CANCEL_TAG, 0, SCOTLAND "<U+E0067><U+E007F>");
    /* Truncated: the tag sequence must not be read past len. */
    check_sanitize_bytes(SCOTLAND, strlen(SCOTLAND) - 1, 0,
                         BLACK_FLAG "<U+E0067><U+E0062><U+E0073><U+E0063><U+E0074>" FFFD FFFD
                                    FFFD);
}

/* Variation selectors pass one at a time after a base character; runs are shown. */
static void
test_variation_selectors(void **state)
{
    (void)state;
    check_sanitize("\xE2\x98\xBA" VS16, 0, "\xE2\x98\xBA" VS16);
    check_sanitize(HAN "\xF3\xA0\x84\x80", 0, HAN "\xF3\xA0\x84\x80"); /* IVS U+E0100 */
    check_sanitize(VS16 "a", 0, "<U+FE0F>a");
    check_sanitize("a" VS16 VS16 "\xEF\xB8\x80", 0, "a" VS16 "<U+FE0F><U+FE00>");
    check_sanitize("\n" VS16, TEXT_MULTILINE, "\n<U+FE0F>");
}

/* Broken UTF-8 becomes U+FFFD, one per bad byte, resynchronising at the next byte. */
static void
test_broken_utf8(void **state)
{
    (void)state;
    check_sanitize("\xC0\xAF", 0, FFFD FFFD);             /* overlong '/' */
    check_sanitize("\xE0\x80\xAF", 0, FFFD FFFD FFFD);    /* overlong '/' */
    check_sanitize("\xF0\x80\x80\xAF", 0, FFFD FFFD FFFD FFFD);
    check_sanitize("\xC1\x9B", 0, FFFD FFFD);             /* overlong C1 CSI */
    check_sanitize("\xE0\x80\x9B", 0, FFFD FFFD FFFD);    /* overlong ESC */
    check_sanitize("\xED\xA0\x80", 0, FFFD FFFD FFFD);    /* surrogate U+D800 */
    check_sanitize("\xED\xBF\xBF", 0, FFFD FFFD FFFD);    /* surrogate U+DFFF */
    check_sanitize("\xF4\x90\x80\x80", 0, FFFD FFFD FFFD FFFD); /* U+110000 */
    check_sanitize("\xF5\x80\x80\x80", 0, FFFD FFFD FFFD FFFD);
    check_sanitize("\xFE\xFF", 0, FFFD FFFD);
    check_sanitize("\x80" "a", 0, FFFD "a");
    check_sanitize("\xE2\x82" "A", 0, FFFD FFFD "A");      /* truncated, then ASCII */
    check_sanitize("\xE2\x82\xE2\x82\xAC", 0, FFFD FFFD "\xE2\x82\xAC");
    check_sanitize("\xC3" "\x1b[2J", 0, FFFD "^[[2J");
    /* Truncated at len, in buffers with nothing after them. */
    check_sanitize_bytes("\xF0\x9F\x98", 3, 0, FFFD FFFD FFFD);
    check_sanitize_bytes("\xC3\xA9", 1, 0, FFFD);
    check_sanitize_bytes(GRIN, 4, 0, GRIN);
    check_sanitize_bytes("abc", 2, 0, "ab");
    check_sanitize_bytes("abc", 0, 0, "");
}

/* Column widths. */
static void
test_width(void **state)
{
    (void)state;
    assert_int_equal(text_width(""), 0);
    assert_int_equal(text_width(NULL), 0);
    assert_int_equal(text_width("abc"), 3);
    assert_int_equal(text_width("caf\xC3\xA9"), 4);
    assert_int_equal(text_width("e" ACUTE), 1);
    assert_int_equal(text_width("a\xCC\x88\xCC\xA3"), 1);
    assert_int_equal(text_width(ACUTE), 0);
    assert_int_equal(text_width(HAN HAN2), 4);
    assert_int_equal(text_width(GRIN), 2);
    assert_int_equal(text_width("\xE2\x9D\xA4" VS16), 1);
    assert_int_equal(text_width(ELL), 1);
    assert_int_equal(text_width("<U+202E>"), 8);
    assert_int_equal(text_width(FFFD), 1);
    /* Broken UTF-8 counts one column per bad byte, like the U+FFFD it would become. */
    assert_int_equal(text_width("\xFF"), 1);
    assert_int_equal(text_width("\xE2\x82"), 2);
    assert_int_equal(text_width("a\xF0\x9F\x98"), 4);
    assert_int_equal(text_width("\xE6\xBC"), 2);
}

/* Cutting to a column budget on grapheme cluster boundaries. */
static void
test_fit(void **state)
{
    (void)state;
    check_fit("hello", 10, 1, "hello");
    check_fit("hello", 5, 1, "hello");
    check_fit("hello world", 5, 1, "hell" ELL);
    check_fit("hello world", 5, 0, "hello");
    check_fit("hello", 1, 1, ELL);
    check_fit("hello", 0, 1, "");
    check_fit("hello", -3, 0, "");
    check_fit("", 4, 1, "");
    check_fit(NULL, 4, 1, "");
    /* e + combining acute is one cluster: never split. */
    check_fit("e" ACUTE "e" ACUTE "e" ACUTE, 2, 0, "e" ACUTE "e" ACUTE);
    check_fit("e" ACUTE "e" ACUTE "e" ACUTE, 2, 1, "e" ACUTE ELL);
    check_fit("e" ACUTE "e" ACUTE "e" ACUTE, 3, 1, "e" ACUTE "e" ACUTE "e" ACUTE);
    /* A wide character that does not fit is dropped whole. */
    check_fit(HAN HAN2, 3, 0, HAN);
    check_fit(HAN HAN2, 1, 0, "");
    check_fit(HAN HAN2, 3, 1, HAN ELL);
    check_fit(HAN HAN2, 2, 1, ELL);
    check_fit(HAN HAN2, 4, 1, HAN HAN2);
    check_fit("a" HAN, 2, 0, "a");
    check_fit(GRIN GRIN, 3, 0, GRIN);
    /* Emoji sequences are single clusters (width summed per code point). */
    check_fit(FAMILY, 7, 0, "");
    check_fit(FAMILY "x", 8, 0, FAMILY);
    check_fit(SCOTLAND "x", 2, 0, SCOTLAND);
    check_fit("\xE2\x9D\xA4" VS16 "x", 1, 0, "\xE2\x9D\xA4" VS16);
    /* Broken input comes out as valid UTF-8. */
    check_fit("\xFF\xFE" "abc", 3, 0, FFFD FFFD "a");
    check_fit("ab\xE2\x82", 10, 0, "ab" FFFD FFFD);
}

/* Padding to an exact column count. */
static void
test_pad(void **state)
{
    (void)state;
    check_pad("ab", 5, "ab   ");
    check_pad("abcde", 5, "abcde");
    check_pad("abcdef", 5, "abcd" ELL);
    check_pad("", 3, "   ");
    check_pad(HAN HAN2, 4, HAN HAN2);
    check_pad(HAN HAN2, 3, HAN ELL);
    check_pad(HAN HAN2 HAN, 4, HAN ELL " ");
    check_pad(HAN, 1, ELL);
    check_pad("e" ACUTE, 3, "e" ACUTE "  ");
    check_pad("abc", 0, "");
    check_pad("abc", -1, "");
}

/* Next value of a fixed-seed xorshift generator. */
static uint32_t
next_rand(uint32_t *seed)
{
    uint32_t x = *seed;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *seed = x;
    return x;
}

/* Random strings mixing raw bytes with hostile and legitimate fragments: output is always valid,
 * inert UTF-8, bounded in size, stable under re-sanitizing, and cuts respect their budget. */
static void
test_fuzz(void **state)
{
    (void)state;
    static const char *const frags[] = {
        "\x1b", "\x1b[", "\x07", "\r", "\n", "\r\n", "\t", "\x7f", "\xC2\x9B", "\xC2\x85",
        "\xE2\x80\xAE", "\xE2\x81\xA6", "\xE2\x80\x8B", ZWJ, VS16, MAN, WOMAN, GRIN, HAN,
        BLACK_FLAG, TAG_G, TAG_B, CANCEL_TAG, ACUTE, "e", "a", " ", FFFD, "\xE2\x80\xA8",
        "\xF0\x9F", "\xE2\x82", "\xED\xA0\x80", "\xC0\xAF", "\xF4\x90\x80\x80", "\xEF\xBB\xBF",
    };
    const size_t nfrags = sizeof frags / sizeof frags[0];
    uint32_t seed = 0x7AC7F001u;

    for (int iter = 0; iter < 4000; iter++) {
        unsigned char raw[96];
        size_t len = 0, want = next_rand(&seed) % 48;
        while (len < want) {
            uint32_t r = next_rand(&seed);
            if (r % 3 == 0) {
                raw[len++] = (unsigned char)(r >> 8);
            } else {
                const char *f = frags[(r >> 8) % nfrags];
                size_t flen = strlen(f);
                if (len + flen > sizeof raw)
                    break;
                memcpy(raw + len, f, flen);
                len += flen;
            }
        }
        char *in = malloc(len ? len : 1);
        assert_non_null(in);
        memcpy(in, raw, len);

        for (int flags = 0; flags <= TEXT_MULTILINE; flags++) {
            char *out = text_sanitize(in, len, flags);
            size_t olen = strlen(out);
            assert_true(olen <= 4 * len);
            assert_display_safe(out, flags & TEXT_MULTILINE);

            char *again = text_sanitize(out, olen, flags);
            assert_string_equal(again, out);
            free(again);

            int width = text_width(out);
            for (int n = 0; n <= 12; n++) {
                char *fit = text_fit(out, n, 1);
                assert_true(text_width(fit) <= n);
                assert_display_safe(fit, flags & TEXT_MULTILINE);
                if (n > 0 && width <= n)
                    assert_string_equal(fit, out);
                free(fit);

                fit = text_fit(out, n, 0);
                assert_true(text_width(fit) <= n);
                assert_memory_equal(fit, out, strlen(fit));
                free(fit);

                char *pad = text_pad(out, n);
                assert_int_equal(text_width(pad), n);
                free(pad);
            }
            free(out);
        }

        /* Unsanitized input to the width functions must not break them either. */
        char *z = malloc(len + 1);
        assert_non_null(z);
        memcpy(z, raw, len);
        z[len] = '\0';
        for (int n = 0; n <= 12; n += 3) {
            char *fit = text_fit(z, n, 1);
            size_t flen = strlen(fit), pos = 0;
            while (pos < flen)
                assert_true(strict_decode((const unsigned char *)fit, flen, &pos) >= 0);
            assert_true(text_width(fit) <= n);
            free(fit);
        }
        free(z);
        free(in);
    }
}

/* The nearest name catches a typing slip (a letter added, dropped, changed or two swapped)
 * and offers nothing for a word that is simply different. */
static void
test_nearest(void **state)
{
    (void)state;
    const char *const roles[] = {"normal", "bar", "cursor", "header", "dim"};
    assert_string_equal(text_nearest("cursour", 7, roles, 5), "cursor");
    assert_string_equal(text_nearest("hedaer", 6, roles, 5), "header");
    assert_string_equal(text_nearest("bra", 3, roles, 5), "bar");
    assert_string_equal(text_nearest("dim:9", 3, roles, 5), "dim");
    assert_null(text_nearest("subject", 7, roles, 5));
    assert_null(text_nearest("xy", 2, roles, 5));
    assert_null(text_nearest("", 0, roles, 5));
    char longw[100];
    memset(longw, 'a', sizeof longw);
    assert_null(text_nearest(longw, sizeof longw, roles, 5));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_passthrough),
        cmocka_unit_test(test_escape_sequences),
        cmocka_unit_test(test_c0_and_del),
        cmocka_unit_test(test_c1_controls),
        cmocka_unit_test(test_newlines),
        cmocka_unit_test(test_bidi),
        cmocka_unit_test(test_invisible),
        cmocka_unit_test(test_zwj),
        cmocka_unit_test(test_tags),
        cmocka_unit_test(test_variation_selectors),
        cmocka_unit_test(test_broken_utf8),
        cmocka_unit_test(test_width),
        cmocka_unit_test(test_fit),
        cmocka_unit_test(test_pad),
        cmocka_unit_test(test_fuzz),
        cmocka_unit_test(test_nearest),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
