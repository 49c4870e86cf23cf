/* The retry policy: which failures are worth another attempt and how long to wait. */
#include "net/retry.h"

#include "model/isotime.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

void
retry_policy_default(struct retry_policy *p)
{
    p->max_retries = 4;
    p->backoff_ms = 500;
    p->backoff_max_ms = 30000;
    p->max_wait_ms = 5 * 60 * 1000;
}

/* Parses a whole non-negative decimal number; returns 0 or -1. */
static int
parse_long(const char *s, long *v)
{
    while (*s == ' ' || *s == '\t')
        s++;
    if (!isdigit((unsigned char)*s))
        return -1;
    char *end;
    long n = strtol(s, &end, 10);
    while (*end == ' ' || *end == '\t')
        end++;
    if (*end != '\0' || n < 0 || n == LONG_MAX)
        return -1;
    *v = n;
    return 0;
}

int
retry_iso8601_parse(const char *value, time_t *t)
{
    return value ? isotime_parse(value, t) : -1;
}

int
retry_after_parse(const char *value, time_t now, long *seconds)
{
    if (value == NULL)
        return -1;
    if (parse_long(value, seconds) == 0)
        return 0;
    /* An HTTP-date: "Wed, 21 Oct 2015 07:28:00 GMT". */
    struct tm tm = {0};
    const char *end = strptime(value, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    if (end == NULL || *end != '\0')
        return -1;
    time_t at = timegm(&tm);
    *seconds = at > now ? (long)(at - now) : 0;
    return 0;
}

/* The wait a rate-limited answer asks for, in seconds: Retry-After, else the reset time. */
static int
rate_limit_wait(const struct retry_attempt *a, long *seconds)
{
    if (retry_after_parse(a->retry_after, a->now, seconds) == 0)
        return 0;
    time_t at;
    if (retry_iso8601_parse(a->ratelimit_reset_iso, &at) == 0) {
        *seconds = at > a->now ? (long)(at - a->now) : 0;
        return 0;
    }
    long v;
    if (a->ratelimit_reset && parse_long(a->ratelimit_reset, &v) == 0) {
        /* Bluesky sends epoch seconds; the IETF draft's form is a delta. */
        if (v > 1000000000L)
            *seconds = v > a->now ? (long)(v - a->now) : 0;
        else
            *seconds = v;
        return 0;
    }
    return -1;
}

/* Exponential backoff with "equal jitter": half the step fixed, half random. */
static long
backoff(const struct retry_policy *p, int attempt, unsigned rnd)
{
    long d = p->backoff_ms;
    for (int i = 1; i < attempt && d < p->backoff_max_ms; i++)
        d *= 2;
    if (d > p->backoff_max_ms)
        d = p->backoff_max_ms;
    long half = d / 2;
    return half + (long)(rnd % (unsigned long)(half + 1));
}

long
retry_delay_ms(const struct retry_policy *p, enum retry_kind kind,
               const struct retry_attempt *a, unsigned rnd, time_t *reset_at)
{
    *reset_at = 0;
    if (a->attempt > p->max_retries)
        return -1;
    switch (a->failure) {
    case RF_FATAL:
        return -1;
    case RF_CONNECT:
        return backoff(p, a->attempt, rnd);
    case RF_TRANSFER:
        return kind == RETRY_SAFE ? backoff(p, a->attempt, rnd) : -1;
    case RF_NONE:
        break;
    }
    long wait;
    if (a->status == 429 || (a->status == 503 && a->retry_after != NULL)) {
        /* Refused before any work was done, so even a write may be sent again. */
        if (rate_limit_wait(a, &wait) != 0)
            return backoff(p, a->attempt, rnd);
        if (wait * 1000 > p->max_wait_ms) {
            *reset_at = a->now + wait;
            return -1;
        }
        return wait * 1000 + (long)(rnd % 250); /* a little jitter, never early */
    }
    if (a->status == 500 || a->status == 502 || a->status == 503 || a->status == 504)
        return kind == RETRY_SAFE ? backoff(p, a->attempt, rnd) : -1;
    return -1;
}

/* Seconds from now to a RateLimit-Reset value: epoch seconds or a delta. Returns 0 or -1. */
static int
reset_parse(const char *reset_iso, const char *reset, time_t now, time_t *at)
{
    if (retry_iso8601_parse(reset_iso, at) == 0)
        return 0;
    long v;
    if (reset == NULL || parse_long(reset, &v) != 0)
        return -1;
    *at = v > 1000000000L ? (time_t)v : now + v;
    return 0;
}

int
retry_budget_parse(const char *limit, const char *remaining, const char *reset_iso,
                   const char *reset, time_t now, struct retry_budget *b)
{
    b->limit = b->remaining = -1;
    b->reset_at = 0;
    long l, r;
    time_t at;
    if (limit == NULL || remaining == NULL || parse_long(limit, &l) != 0 ||
        parse_long(remaining, &r) != 0 || l <= 0 || reset_parse(reset_iso, reset, now, &at) != 0)
        return -1;
    b->limit = l;
    b->remaining = r < l ? r : l;
    b->reset_at = at;
    return 0;
}

long
retry_pace_ms(const struct retry_policy *p, const struct retry_budget *b, time_t now)
{
    if (b->limit <= 0 || b->remaining < 0 || b->reset_at <= now)
        return 0;
    if (b->remaining * 2 >= b->limit)
        return 0;
    double window_ms = (double)(b->reset_at - now) * 1000.0;
    double d = b->remaining == 0
                   ? window_ms
                   : window_ms / (double)b->remaining *
                         (1.0 - 2.0 * (double)b->remaining / (double)b->limit);
    if (d > (double)p->max_wait_ms)
        d = (double)p->max_wait_ms;
    return (long)d;
}
