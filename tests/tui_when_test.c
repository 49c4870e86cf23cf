/* Snooze times as typed in the prompt, in a fixed time zone and from a fixed "now". */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "tui/internal.h"
#include "tui/when.h"

#include <stdlib.h>
#include <string.h>

/* Wednesday 2026-11-25 10:30:00 UTC. */
#define NOW ((time_t)1795602600)

/* Parses text at NOW, expecting the UTC time want. */
static void
expect(const char *text, const char *want)
{
    char out[ISOTIME_LEN], *err = NULL;
    if (tui_when_parse(text, NOW, out, &err) != 0)
        fail_msg("'%s' refused: %s", text, err ? err : "(no reason)");
    if (strcmp(out, want) != 0)
        fail_msg("'%s' gave %s, expected %s", text, out, want);
}

/* Parses text at NOW, expecting a refusal whose reason contains why. */
static void
refused(const char *text, const char *why)
{
    char out[ISOTIME_LEN], *err = NULL;
    if (tui_when_parse(text, NOW, out, &err) != -1)
        fail_msg("'%s' should be refused", text);
    if (strstr(err, why) == NULL)
        fail_msg("'%s': reason '%s' lacks '%s'", text, err, why);
    free(err);
}

static int
in_london(void **state)
{
    (void)state;
    setenv("TZ", "GMT0BST,M3.5.0/1,M10.5.0", 1); /* London, without needing tzdata */
    tzset();
    char out[ISOTIME_LEN];
    isotime_format(NOW, out);
    assert_string_equal(out, "2026-11-25T10:30:00Z");
    return 0;
}

static void
test_relative_and_named_times(void **state)
{
    (void)state;
    expect("30m", "2026-11-25T11:00:00Z");
    expect("2h", "2026-11-25T12:30:00Z");
    expect(" 3d ", "2026-11-28T10:30:00Z");
    expect("1W", "2026-12-02T10:30:00Z");
    expect("tomorrow", "2026-11-26T09:00:00Z");
    expect("Friday", "2026-11-27T09:00:00Z");
    expect("wed", "2026-12-02T09:00:00Z"); /* today is Wednesday: next week's */
    expect("14:00", "2026-11-25T14:00:00Z");
    expect("09:15", "2026-11-26T09:15:00Z"); /* already past today */
    expect("2026-12-01", "2026-12-01T09:00:00Z");
    expect("2027-07-01", "2027-07-01T08:00:00Z"); /* 09:00 British Summer Time */
    expect("2026-12-01T09:00:00+01:00", "2026-12-01T08:00:00Z");
    char out[ISOTIME_LEN], *err = NULL;
    assert_int_equal(tui_when_parse("off", NOW, out, &err), 1);
    assert_int_equal(tui_when_parse(" Wake", NOW, out, &err), 1);
}

static void
test_refusals(void **state)
{
    (void)state;
    refused("soon", "is not a time");
    refused("", "is not a time");
    refused("0h", "is not a time");
    refused("-2h", "is not a time");
    refused("2x", "is not a time");
    refused("25:00", "is not a time");
    refused("2026-02-31", "is not a time");
    refused("mo", "is not a time"); /* too short to name a day */
    refused("2026-11-01", "has already passed");
    refused("2020-01-01T00:00:00Z", "has already passed");
    /* In year 10000 once in UTC: refused, never written as an over-long timestamp. */
    refused("9999-12-31T23:59:59-23:59", "is not a time");
    setenv("TZ", "XYZ+23", 1); /* 23 hours behind UTC: 9999-12-31 09:00 there is in 10000 */
    tzset();
    refused("9999-12-31", "between 1970 and 9999");
    setenv("TZ", "GMT0BST,M3.5.0/1,M10.5.0", 1);
    tzset();
}

/* Times outside 1970..9999 in UTC are refused by the parser every caller shares, and a
 * time_t out of range is never formatted past the buffer. */
static void
test_isotime_range(void **state)
{
    (void)state;
    char out[ISOTIME_LEN];
    time_t t;
    assert_int_equal(isotime_normalize("9999-12-31T23:59:59-23:59", out), -1);
    assert_int_equal(isotime_normalize("9999-12-31T23:59:59-00:01", out), -1);
    assert_int_equal(isotime_parse("9999-12-31T23:30:00-00:29", &t), 0);
    assert_int_equal(isotime_normalize("9999-12-31T23:59:59Z", out), 0);
    assert_string_equal(out, "9999-12-31T23:59:59Z");
    assert_int_equal(isotime_normalize("9999-12-31T23:59:59+23:59", out), 0);
    assert_string_equal(out, "9999-12-31T00:00:59Z");
    assert_int_equal(isotime_normalize("1970-01-01T00:00:00Z", out), 0);
    assert_int_equal(isotime_normalize("1970-01-01T00:00:00+00:01", out), -1);
    assert_int_equal(isotime_normalize("1969-12-31T23:59:59Z", out), -1);
    assert_int_equal(isotime_in_range(ISOTIME_MAX), 1);
    assert_int_equal(isotime_in_range(ISOTIME_MAX + 1), 0);
    assert_int_equal(isotime_in_range(-1), 0);
    memset(out, 'x', sizeof out);
    isotime_format(ISOTIME_MAX + 86400, out);
    assert_string_equal(out, "9999-12-31T23:59:59Z");
    isotime_format(-5, out);
    assert_string_equal(out, "1970-01-01T00:00:00Z");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_relative_and_named_times),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_isotime_range),
    };
    return cmocka_run_group_tests(tests, in_london, NULL);
}
