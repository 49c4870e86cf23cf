/* The pure parts of HTTP: the retry policy (backoff, jitter, rate-limit headers), Link header
 * parsing, escaping and the environment knobs. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "net/http.h"
#include "net/retry.h"

#include <stdlib.h>
#include <string.h>

static struct retry_policy
policy(void)
{
    struct retry_policy p;
    retry_policy_default(&p);
    p.backoff_ms = 1000;
    p.backoff_max_ms = 8000;
    p.max_retries = 4;
    p.max_wait_ms = 60000;
    return p;
}

static void
test_backoff(void **state)
{
    (void)state;
    struct retry_policy p = policy();
    time_t reset;
    struct retry_attempt a = {.failure = RF_CONNECT, .now = 1000};
    /* Doubling, capped, with jitter between half and the whole step. */
    long want_max[] = {1000, 2000, 4000, 8000};
    for (int i = 1; i <= 4; i++) {
        a.attempt = i;
        long lo = retry_delay_ms(&p, RETRY_SAFE, &a, 0, &reset);
        long hi = retry_delay_ms(&p, RETRY_SAFE, &a, (unsigned)want_max[i - 1] / 2, &reset);
        assert_int_equal(lo, want_max[i - 1] / 2);
        assert_int_equal(hi, want_max[i - 1]);
        long mid = retry_delay_ms(&p, RETRY_SAFE, &a, 12345, &reset);
        assert_true(mid >= lo && mid <= hi);
    }
    a.attempt = 5; /* out of retries */
    assert_int_equal(retry_delay_ms(&p, RETRY_SAFE, &a, 0, &reset), -1);
    p.backoff_max_ms = 3000;
    a.attempt = 4;
    assert_true(retry_delay_ms(&p, RETRY_SAFE, &a, 99999, &reset) <= 3000);
}

static void
test_which_failures_retry(void **state)
{
    (void)state;
    struct retry_policy p = policy();
    time_t reset;
    struct retry_attempt a = {.attempt = 1, .now = 1000};
    a.failure = RF_CONNECT; /* never sent: even a write may go again */
    assert_true(retry_delay_ms(&p, RETRY_UNSENT, &a, 0, &reset) >= 0);
    a.failure = RF_TRANSFER; /* may have been acted on */
    assert_true(retry_delay_ms(&p, RETRY_SAFE, &a, 0, &reset) >= 0);
    assert_int_equal(retry_delay_ms(&p, RETRY_UNSENT, &a, 0, &reset), -1);
    a.failure = RF_FATAL;
    assert_int_equal(retry_delay_ms(&p, RETRY_SAFE, &a, 0, &reset), -1);
    a.failure = RF_NONE;
    long retried[] = {500, 502, 503, 504};
    for (size_t i = 0; i < 4; i++) {
        a.status = retried[i];
        assert_true(retry_delay_ms(&p, RETRY_SAFE, &a, 0, &reset) >= 0);
        assert_int_equal(retry_delay_ms(&p, RETRY_UNSENT, &a, 0, &reset), -1);
    }
    long final[] = {200, 201, 400, 401, 403, 404, 409, 422, 501};
    for (size_t i = 0; i < sizeof final / sizeof final[0]; i++) {
        a.status = final[i];
        assert_int_equal(retry_delay_ms(&p, RETRY_SAFE, &a, 0, &reset), -1);
    }
}

static void
test_rate_limits(void **state)
{
    (void)state;
    struct retry_policy p = policy();
    time_t reset;
    /* 2026-01-01T00:00:00Z */
    struct retry_attempt a = {.failure = RF_NONE, .status = 429, .attempt = 1,
                              .now = 1767225600};
    a.retry_after = "3";
    long d = retry_delay_ms(&p, RETRY_UNSENT, &a, 0, &reset);
    assert_true(d >= 3000 && d < 3250);
    a.retry_after = "Thu, 01 Jan 2026 00:00:07 GMT";
    d = retry_delay_ms(&p, RETRY_UNSENT, &a, 0, &reset);
    assert_true(d >= 7000 && d < 7250);
    a.retry_after = NULL;
    a.ratelimit_reset_iso = "2026-01-01T00:00:05.000Z"; /* Mastodon */
    d = retry_delay_ms(&p, RETRY_SAFE, &a, 0, &reset);
    assert_true(d >= 5000 && d < 5250);
    a.ratelimit_reset_iso = NULL;
    a.ratelimit_reset = "1767225610"; /* Bluesky: epoch seconds */
    d = retry_delay_ms(&p, RETRY_SAFE, &a, 0, &reset);
    assert_true(d >= 10000 && d < 10250);
    a.ratelimit_reset = "4"; /* a delta */
    d = retry_delay_ms(&p, RETRY_SAFE, &a, 0, &reset);
    assert_true(d >= 4000 && d < 4250);
    /* A reset in the past means now. */
    a.ratelimit_reset = "1767225000";
    assert_true(retry_delay_ms(&p, RETRY_SAFE, &a, 0, &reset) < 250);
    /* Longer than the policy waits: give up and say when. */
    a.ratelimit_reset = "1767229200";
    assert_int_equal(retry_delay_ms(&p, RETRY_SAFE, &a, 0, &reset), -1);
    assert_int_equal(reset, 1767229200);
    /* No header at all: ordinary backoff. */
    a.ratelimit_reset = NULL;
    d = retry_delay_ms(&p, RETRY_SAFE, &a, 0, &reset);
    assert_int_equal(d, 500);
    /* 503 with Retry-After is honoured even for a write. */
    a.status = 503;
    a.retry_after = "1";
    assert_true(retry_delay_ms(&p, RETRY_UNSENT, &a, 0, &reset) >= 1000);

    long s;
    assert_int_equal(retry_after_parse(" 12 ", 0, &s), 0);
    assert_int_equal(s, 12);
    assert_int_equal(retry_after_parse("soon", 0, &s), -1);
    assert_int_equal(retry_after_parse("-5", 0, &s), -1);
    assert_int_equal(retry_after_parse("Thu, 01 Jan 2026 00:00:00 GMT", 1767225700, &s), 0);
    assert_int_equal(s, 0);
}

static void
test_link_header(void **state)
{
    (void)state;
    const char *mastodon =
        "<https://m.example/api/v1/notifications?max_id=7>; rel=\"next\", "
        "<https://m.example/api/v1/notifications?min_id=9&types[]=mention>; rel=\"prev\"";
    char *v = http_link_rel(mastodon, "next");
    assert_string_equal(v, "https://m.example/api/v1/notifications?max_id=7");
    free(v);
    v = http_link_rel(mastodon, "prev");
    assert_string_equal(v, "https://m.example/api/v1/notifications?min_id=9&types[]=mention");
    free(v);
    assert_null(http_link_rel(mastodon, "last"));
    assert_null(http_link_rel(NULL, "next"));
    assert_null(http_link_rel("<broken; rel=next", "next"));
    v = http_link_rel("<https://w.example/wp-json/wp/v2/comments?page=2>; rel=next", "next");
    assert_string_equal(v, "https://w.example/wp-json/wp/v2/comments?page=2");
    free(v);
    v = http_link_rel("<https://a/1>; rel=\"prev first\", <https://a/2>; rel=\"next\"", "first");
    assert_string_equal(v, "https://a/1");
    free(v);
    /* "nextish" is not "next". */
    assert_null(http_link_rel("<https://a/1>; rel=\"nextish\"", "next"));
}

static void
test_escape_origin_env(void **state)
{
    (void)state;
    char *e = http_escape("at://did:plc:x/app.bsky.feed.post/3k é&=");
    assert_string_equal(e, "at%3A%2F%2Fdid%3Aplc%3Ax%2Fapp.bsky.feed.post%2F3k%20%C3%A9%26%3D");
    free(e);
    char *o = http_origin("https://social.example:8443/api/v1/x?y=1");
    assert_string_equal(o, "https://social.example:8443");
    free(o);

    struct http_options opt;
    char *err = NULL;
    http_options_default(&opt);
    setenv("TACTFUL_HTTP_TIMEOUT", "0.5", 1);
    setenv("TACTFUL_HTTP_RETRIES", "2", 1);
    setenv("TACTFUL_HTTP_MAX_BODY", "4096", 1);
    assert_int_equal(http_options_from_env(&opt, &err), 0);
    assert_int_equal(opt.timeout_ms, 500);
    assert_int_equal(opt.retry.max_retries, 2);
    assert_int_equal(opt.max_body, 4096);
    setenv("TACTFUL_HTTP_RETRIES", "many", 1);
    assert_int_equal(http_options_from_env(&opt, &err), -1);
    assert_non_null(strstr(err, "TACTFUL_HTTP_RETRIES"));
    free(err);
    unsetenv("TACTFUL_HTTP_RETRIES");
    setenv("TACTFUL_HTTP_TIMEOUT", "-1", 1);
    assert_int_equal(http_options_from_env(&opt, &err), -1);
    free(err);
    unsetenv("TACTFUL_HTTP_TIMEOUT");
    unsetenv("TACTFUL_HTTP_MAX_BODY");
}

/* The budget headers of both platforms are read; anything missing or malformed means no
 * budget (no pacing). */
static void
test_budget_headers(void **state)
{
    (void)state;
    struct retry_budget b;
    time_t now = 1767225600; /* 2026-01-01T00:00:00Z */
    assert_int_equal(retry_budget_parse("300", "42", "2026-01-01T00:05:00.000Z", NULL, now, &b),
                     0);
    assert_int_equal(b.limit, 300);
    assert_int_equal(b.remaining, 42);
    assert_int_equal(b.reset_at, now + 300);
    assert_int_equal(retry_budget_parse("3000", "7", NULL, "1767225660", now, &b), 0);
    assert_int_equal(b.reset_at, now + 60);
    assert_int_equal(retry_budget_parse("100", "500", NULL, "30", now, &b), 0); /* a delta */
    assert_int_equal(b.reset_at, now + 30);
    assert_int_equal(b.remaining, 100); /* never more than the limit */
    assert_int_equal(retry_budget_parse(NULL, "7", NULL, "30", now, &b), -1);
    assert_int_equal(retry_budget_parse("300", "x", NULL, "30", now, &b), -1);
    assert_int_equal(retry_budget_parse("0", "0", NULL, "30", now, &b), -1);
    assert_int_equal(retry_budget_parse("300", "7", "soon", NULL, now, &b), -1);
    assert_int_equal(b.limit, -1);
}

/* The pace: full speed while half the budget is left, then slower and slower as it falls,
 * until the reset when nothing is left; never longer than the policy's longest wait. */
static void
test_pace_schedule(void **state)
{
    (void)state;
    struct retry_policy p = policy();
    p.max_wait_ms = 300000;
    time_t now = 1000;
    struct retry_budget b = {.limit = 300, .reset_at = now + 300};
    static const struct {
        long remaining, ms;
    } want[] = {{300, 0}, {151, 0}, {150, 0}, {100, 1000}, {75, 2000}, {30, 8000},
                {10, 28000}, {1, 298000}, {0, 300000}};
    long last = -1;
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        b.remaining = want[i].remaining;
        long ms = retry_pace_ms(&p, &b, now);
        assert_int_equal(ms, want[i].ms);
        assert_true(ms >= last);
        last = ms;
    }
    b.remaining = 149; /* just below half: a little */
    assert_true(retry_pace_ms(&p, &b, now) > 0 && retry_pace_ms(&p, &b, now) < 100);
    p.max_wait_ms = 60000;
    b.remaining = 0;
    assert_int_equal(retry_pace_ms(&p, &b, now), 60000);
    b.reset_at = now; /* the budget has reset: no wait */
    assert_int_equal(retry_pace_ms(&p, &b, now), 0);
    b.limit = -1; /* unknown */
    b.reset_at = now + 300;
    assert_int_equal(retry_pace_ms(&p, &b, now), 0);

    /* Paced from half the budget, requests never use it up before it resets, and they go on
     * at once when it has (a clock stepped by the computed waits). */
    p.max_wait_ms = 300000;
    b = (struct retry_budget){.limit = 300, .remaining = 150, .reset_at = now + 300};
    double t = (double)now;
    int sent = 0;
    while (t < (double)b.reset_at) {
        long ms = retry_pace_ms(&p, &b, (time_t)t);
        t += (double)ms / 1000.0;
        if (t >= (double)b.reset_at)
            break;
        assert_true(b.remaining > 0);
        b.remaining--;
        sent++;
    }
    assert_true(b.remaining > 0);
    assert_true(sent > 100); /* slowed down, not stopped */
    assert_int_equal(retry_pace_ms(&p, &b, b.reset_at), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_backoff),
        cmocka_unit_test(test_which_failures_retry),
        cmocka_unit_test(test_rate_limits),
        cmocka_unit_test(test_link_header),
        cmocka_unit_test(test_budget_headers),
        cmocka_unit_test(test_pace_schedule),
        cmocka_unit_test(test_escape_origin_env),
    };
    return cmocka_run_group_tests_name("net_http", tests, NULL, NULL);
}
