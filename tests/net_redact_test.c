/* Redaction: every encoded form of a secret a server may echo back (plain, base64 at any
 * alignment and as Basic user:secret, URL-encoded, JSON-escaped) is replaced by the mark. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "model/xmalloc.h"
#include "net/redact.h"

#include <stdlib.h>
#include <string.h>

#define SECRET "Zq9/s3cret+tok \xc3\xa9n\"4711"

/* Redacts text with SECRET (and user "editor") and compares with want. */
static void
redacts_to(const char *text, const char *want)
{
    struct redactor r = {0};
    redact_add(&r, SECRET, "editor");
    char *out = redact_apply(&r, text);
    assert_string_equal(out, want);
    free(out);
    redact_clear(&r);
}

static void
test_plain_url_json(void **state)
{
    (void)state;
    redacts_to("token " SECRET " was sent", "token [redacted] was sent");
    redacts_to("q=Zq9/s3cret%2Btok%20%C3%A9n%224711&x", "q=[redacted]&x");
    redacts_to("q=Zq9%2Fs3cret%2Btok+%C3%A9n%224711", "q=[redacted]");
    redacts_to("q=Zq9%2fs3cret%2btok%20%c3%a9n%224711", "q=[redacted]");
    redacts_to("{\"password\":\"Zq9/s3cret+tok \\u00e9n\\\"4711\"}",
               "{\"password\":\"[redacted]\"}");
    redacts_to("{\"password\":\"Zq9\\/s3cret+tok \\u00E9n\\\"4711\"}",
               "{\"password\":\"[redacted]\"}");
    redacts_to("{\"p\":\"Zq9/s3cret+tok \xc3\xa9n\\\"4711\"}", "{\"p\":\"[redacted]\"}");
    redacts_to("Basic ZWRpdG9yOlpxOS9zM2NyZXQrdG9rIMOpbiI0NzEx", "Basic [redacted]");
    redacts_to("editor:" SECRET, "[redacted]");
    redacts_to("nothing secret here", "nothing secret here");
}

/* Base64 of a longer text holding the secret, as a server might echo a whole header. */
static char *
b64(const char *s)
{
    static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t n = strlen(s);
    struct buf b = {0};
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned char)s[i] << 16;
        v |= i + 1 < n ? (unsigned char)s[i + 1] << 8 : 0;
        v |= i + 2 < n ? (unsigned char)s[i + 2] : 0;
        for (size_t k = 0; k < 4; k++)
            buf_addc(&b, k <= n - i ? a[(v >> (18 - 6 * k)) & 63] : '=');
    }
    return buf_take(&b);
}

static void
test_base64_any_alignment(void **state)
{
    (void)state;
    struct redactor r = {0};
    redact_add(&r, SECRET, NULL);
    for (size_t pre = 0; pre < 7; pre++) {
        for (size_t post = 0; post < 4; post++) {
            char *text = xasprintf("%.*s%s%.*s", (int)pre, "abcdefg", SECRET, (int)post, "xyz");
            char *enc = b64(text);
            char *out = redact_apply(&r, enc);
            assert_non_null(strstr(out, REDACT_MARK));
            /* What is left is the surroundings' characters and at most one mixed one each
             * side, plus padding. */
            size_t left = strlen(out) - strlen(REDACT_MARK);
            assert_true(left <= (8 * pre + 5) / 6 + 1 + (8 * post + 5) / 6 + 1 + 2);
            free(out);
            free(enc);
            free(text);
        }
    }
    redact_clear(&r);
}

static void
test_short_and_bounds(void **state)
{
    (void)state;
    struct redactor r = {0};
    redact_add(&r, "abc", NULL); /* too short to look for */
    redact_add(&r, NULL, NULL);
    assert_int_equal(r.n, 0);
    for (int i = 0; i < 40; i++) {
        char *s = xasprintf("secret-number-%d-with/odd+chars %d", i, i);
        redact_add(&r, s, "user");
        free(s);
    }
    assert_true(r.n <= REDACT_MAX_FORMS);
    char *out = redact_apply(&r, "secret-number-0-with/odd+chars 0!");
    assert_string_equal(out, "[redacted]!");
    free(out);
    assert_null(redact_apply(&r, NULL));
    redact_clear(&r);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_url_json),
        cmocka_unit_test(test_base64_any_alignment),
        cmocka_unit_test(test_short_and_bounds),
    };
    return cmocka_run_group_tests_name("net_redact", tests, NULL, NULL);
}
