/* When to try an HTTP request again, and how long to wait first: exponential backoff with
 * jitter after network errors and 5xx answers, and the server's own word after a 429
 * (Retry-After, Mastodon's ISO 8601 X-RateLimit-Reset, Bluesky's RateLimit-Reset); and, before
 * any 429, a pace that slows requests as the server's remaining budget falls. Pure functions,
 * so the policy is tested without a network. */
#ifndef TACTFUL_NET_RETRY_H
#define TACTFUL_NET_RETRY_H

#include <time.h>

/* The knobs: defaults from retry_policy_default, tests lower them through the environment. */
struct retry_policy {
    int max_retries;       /* tries after the first */
    long backoff_ms;       /* first wait after a network error or 5xx; doubles each time */
    long backoff_max_ms;   /* longest such wait */
    long max_wait_ms;      /* longest wait for a rate limit to reset; longer gives up */
};

void retry_policy_default(struct retry_policy *p);

/* What a request may safely be sent again after. */
enum retry_kind {
    RETRY_SAFE,    /* reads, and writes the server deduplicates (an Idempotency-Key) */
    RETRY_UNSENT,  /* writes: only when the server certainly did not act on it */
};

/* How one attempt ended. */
enum retry_failure {
    RF_NONE,          /* an HTTP answer arrived: see status */
    RF_CONNECT,       /* no connection was made: the request was not sent */
    RF_TRANSFER,      /* the connection broke or timed out: the request may have been acted on */
    RF_FATAL,         /* TLS verification, a bad URL, a response over the size cap: never retry */
};

struct retry_attempt {
    enum retry_failure failure;
    long status;                /* HTTP status when failure is RF_NONE */
    int attempt;                /* attempts made so far, 1 after the first */
    const char *retry_after;    /* header values or NULL */
    const char *ratelimit_reset_iso;   /* X-RateLimit-Reset (Mastodon) */
    const char *ratelimit_reset;       /* RateLimit-Reset (Bluesky): epoch seconds or delta */
    time_t now;
};

/* Returns how many milliseconds to wait before the next attempt, or -1 when the request must
 * not be retried. rnd is a random number for the jitter. When a rate limit resets later than
 * the policy waits for, returns -1 and sets *reset_at to that time (else *reset_at is 0). */
long retry_delay_ms(const struct retry_policy *p, enum retry_kind kind,
                    const struct retry_attempt *a, unsigned rnd, time_t *reset_at);

/* What a server says is left of an account's request budget: Mastodon's X-RateLimit-Limit,
 * -Remaining and -Reset (ISO 8601), Bluesky's RateLimit-Limit, -Remaining and -Reset (epoch
 * seconds). Fields are -1 (reset_at 0) when unknown. */
struct retry_budget {
    long limit;
    long remaining;
    time_t reset_at;
};

/* Reads the budget from header values (any may be NULL). Returns 0 when limit, remaining
 * and the reset are all known, else -1 (b is then unknown: no pacing). */
int retry_budget_parse(const char *limit, const char *remaining, const char *reset_iso,
                       const char *reset, time_t now, struct retry_budget *b);

/* How many milliseconds to wait before the next request against budget b at time now, so that
 * tactful slows down as the budget falls instead of running into a 429: nothing while at least
 * half of the limit remains; below that, the time to the reset shared among the requests left,
 * weighted by how far below half the budget is (remaining r of limit L, t ms to the reset:
 * t / r * (1 - 2r / L)); until the reset when nothing remains. Never more than
 * p->max_wait_ms. Pure, so the schedule is tested without a clock. */
long retry_pace_ms(const struct retry_policy *p, const struct retry_budget *b, time_t now);

/* Parses a Retry-After value (delta seconds or an HTTP-date) into seconds from now, 0 or more.
 * Returns 0, or -1 when it is neither. */
int retry_after_parse(const char *value, time_t now, long *seconds);

/* Parses an ISO 8601 / RFC 3339 time ("2026-11-20T09:15:00.123Z", offsets allowed) to a
 * time_t. Returns 0 or -1. */
int retry_iso8601_parse(const char *value, time_t *t);

#endif
