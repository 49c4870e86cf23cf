/* HTTP for the platform adapters, on libcurl's multi interface: many requests in flight at
 * once (several accounts sync together) driven by one loop that a caller can also step from
 * its own event loop. Each "job" is a chain of requests: a step function receives the answer
 * to one request and returns the next, until it is done. Retries (see retry.h) happen below
 * the step function, which sees only final answers.
 *
 * Always on: TLS verification, connect and total timeouts, a cap on response size (applied to
 * the decompressed body), compressed responses, User-Agent tactful/VERSION, proxies from the
 * usual environment variables (libcurl's own handling), no redirects followed. Requests to one
 * server with one set of credentials share the budget the server reports (rate-limit headers)
 * and are spaced out as it falls (retry_pace_ms). */
#ifndef TACTFUL_NET_HTTP_H
#define TACTFUL_NET_HTTP_H

#include "net/retry.h"

#include <jansson.h>
#include <stddef.h>

#define HTTP_MAX_HEADER 8192 /* longest header value kept */

struct http_options {
    long connect_timeout_ms;
    long timeout_ms;          /* whole transfer, per attempt */
    size_t max_body;          /* larger responses are refused */
    int max_parallel;         /* transfers in flight at once */
    struct retry_policy retry;
};

/* Fills o with the defaults (connect 10 s, total 60 s, 16 MiB, 16 parallel, retry defaults). */
void http_options_default(struct http_options *o);

/* Overrides o from TACTFUL_HTTP_TIMEOUT, TACTFUL_HTTP_CONNECT_TIMEOUT, TACTFUL_HTTP_BACKOFF,
 * TACTFUL_HTTP_MAX_WAIT (seconds, fractions allowed), TACTFUL_HTTP_RETRIES and
 * TACTFUL_HTTP_MAX_BODY (bytes). Returns 0, or -1 with *err naming the bad variable. */
int http_options_from_env(struct http_options *o, char **err);

/* One request. Build with http_request_new and the setters; the client takes ownership. */
struct http_request;

struct http_request *http_request_new(const char *method, const char *url);
/* Frees r and the requests chained after it. NULL is fine. */
void http_request_free(struct http_request *r);
/* Adds a header line "Name: value". Values holding CR or LF are refused (returns -1). */
int http_request_header(struct http_request *r, const char *name, const char *value);
/* Adds "Authorization: Bearer TOKEN"; the header is wiped from memory when freed. */
void http_request_bearer(struct http_request *r, const char *token);
/* Uses HTTP Basic authentication; the credentials are wiped from memory when freed. */
void http_request_basic(struct http_request *r, const char *user, const char *password);
/* Sets a JSON body (Content-Type: application/json) and steals j. */
void http_request_json(struct http_request *r, json_t *j);
/* A PEM file of CA certificates to trust instead of the system's (NULL: the system's). */
void http_request_ca_file(struct http_request *r, const char *path);
/* How the request may be retried; the default is RETRY_SAFE for GET, RETRY_UNSENT otherwise. */
void http_request_retry(struct http_request *r, enum retry_kind kind);
const char *http_request_url(const struct http_request *r);
/* Chains more after r, so that a step returns several requests to run at once; returns r. */
struct http_request *http_request_also(struct http_request *r, struct http_request *more);
/* Unlinks the requests chained after r and returns them (NULL when there are none). */
struct http_request *http_request_detach(struct http_request *r);

/* A final answer. Header values are NULL when absent. */
struct http_response {
    long status;              /* 0 when no HTTP answer arrived: see error */
    char *error;              /* why no answer arrived, a sentence; NULL otherwise */
    char *body;               /* NUL-terminated; never NULL */
    size_t len;
    char *url;                /* the request's URL */
    char *link;               /* Link */
    char *location;
    char *content_type;
    char *retry_after;
    char *ratelimit_reset_iso;   /* X-RateLimit-Reset */
    char *ratelimit_reset;       /* RateLimit-Reset */
    char *ratelimit_limit;       /* X-RateLimit-Limit or RateLimit-Limit */
    char *ratelimit_remaining;   /* X-RateLimit-Remaining or RateLimit-Remaining */
    long wp_total_pages;      /* X-WP-TotalPages, -1 when absent */
    int attempts;
};

/* Parses the body as a JSON value; returns NULL when it is not JSON. */
json_t *http_response_json(const struct http_response *resp);

/* What a step function returns. */
enum http_step { HTTP_STEP_MORE, HTTP_STEP_DONE, HTTP_STEP_FAIL };

/* Advances a job: resp is the answer to one of its requests (NULL on the first call). Sets
 * *next and returns HTTP_STEP_MORE, or returns DONE, or FAIL with *err set (a sentence).
 * A job may have several requests in flight: *next may be a chain (http_request_also), and
 * MORE with *next NULL waits for the answers still due. The step is called once per answer,
 * in the order they arrive (resp->url tells them apart). After DONE or FAIL, answers still
 * due are dropped and requests not yet started are cancelled; done runs when none is left. */
typedef enum http_step (*http_step_fn)(void *ctx, const struct http_response *resp,
                                       struct http_request **next, char **err);

/* Called once when a job ends: ok nonzero on success, else err is the reason (owned by the
 * callee). */
typedef void (*http_done_fn)(void *ctx, int ok, char *err);

struct http_client;

/* Returns a client, or NULL with *err set. */
struct http_client *http_client_new(const struct http_options *o, char **err);
void http_client_free(struct http_client *c);

/* Starts a job: calls step(ctx, NULL, ...) for its first request right away; done runs when
 * it ends (perhaps before this returns, when the first step is already DONE or FAIL). */
void http_client_start(struct http_client *c, http_step_fn step, http_done_fn done, void *ctx);

/* Moves transfers along, waiting at most timeout_ms for network activity; runs step and done
 * functions of jobs whose answers arrived. Returns the number of jobs still running. For a
 * caller's event loop. */
int http_client_poll(struct http_client *c, int timeout_ms);

/* Runs until every job has ended. */
void http_client_run(struct http_client *c);

/* Returns the value of rel ("next", "prev") in a Link header, newly allocated, or NULL. */
char *http_link_rel(const char *link, const char *rel);

/* Returns a newly allocated copy of s percent-encoded for a URL query value. */
char *http_escape(const char *s);

/* Returns "scheme://host[:port]" of url, newly allocated, for messages. */
char *http_origin(const char *url);

#endif
