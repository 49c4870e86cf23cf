/* Requests over libcurl's multi interface, with retries, timeouts and a size cap. */
#include "net/http.h"

#include "model/xmalloc.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#ifndef TACTFUL_VERSION
#define TACTFUL_VERSION "dev"
#endif

struct http_request {
    char *method;
    char *url;
    struct curl_slist *headers;
    char *body;
    size_t body_len;
    char *userpwd;       /* secret: wiped when freed */
    char *ca_file;
    enum retry_kind retry;
    struct http_request *also;   /* more requests returned by the same step */
};

/* A job: a chain of requests driven by its step function. */
struct job {
    http_step_fn step;
    http_done_fn done;
    void *ctx;
    int inflight;        /* its requests not answered yet */
    int ended;           /* the step said DONE or FAIL; answers still due are dropped */
    int ok;
    char *err;
};

/* The request budget of one server and set of credentials, and when the next request to it
 * may start. */
struct pace {
    char *key;              /* origin and a hash of the credentials, never the credentials */
    struct retry_budget budget;
    double next_at;         /* monotonic seconds */
    struct pace *next;
};

#define HTTP_MAX_PACES 256  /* servers and credentials tracked at once; more go unpaced */

/* One request on its way, across its attempts. */
struct transfer {
    struct http_client *client;
    struct pace *pace;       /* its server's budget, or NULL */
    struct job *job;
    struct http_request *req;
    CURL *easy;
    struct http_response resp;
    struct buf body;
    int too_big;
    double not_before;   /* monotonic seconds: when the next attempt may start */
    char errbuf[CURL_ERROR_SIZE];
    struct transfer *next;   /* in the waiting list */
};

struct http_client {
    CURLM *multi;
    struct http_options o;
    struct transfer *waiting;   /* not started yet, or waiting to be retried */
    int active;                 /* transfers inside the multi handle */
    int jobs;
    unsigned rng;
    struct pace *paces;
    int npaces;
};

/* Seconds on a monotonic clock. */
static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
http_options_default(struct http_options *o)
{
    o->connect_timeout_ms = 10000;
    o->timeout_ms = 60000;
    o->max_body = 16 * 1024 * 1024;
    o->max_parallel = 16;
    retry_policy_default(&o->retry);
}

/* Reads a duration in seconds (fractions allowed) from env var name into *ms. */
static int
env_seconds(const char *name, long *ms, char **err)
{
    const char *v = getenv(name);
    if (v == NULL || *v == '\0')
        return 0;
    char *end;
    errno = 0;
    double d = strtod(v, &end);
    if (errno || end == v || *end != '\0' || !(d >= 0) || d > 86400) {
        *err = xasprintf("%s='%.40s' is not a number of seconds (0 to 86400)", name, v);
        return -1;
    }
    *ms = (long)(d * 1000 + 0.5);
    return 0;
}

/* Reads a whole number between lo and hi from env var name into *out. */
static int
env_long(const char *name, long lo, long hi, long *out, char **err)
{
    const char *v = getenv(name);
    if (v == NULL || *v == '\0')
        return 0;
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || end == v || *end != '\0' || n < lo || n > hi) {
        *err = xasprintf("%s='%.40s' is not a whole number from %ld to %ld", name, v, lo, hi);
        return -1;
    }
    *out = n;
    return 0;
}

int
http_options_from_env(struct http_options *o, char **err)
{
    long retries = o->retry.max_retries, body = (long)o->max_body;
    if (env_seconds("TACTFUL_HTTP_TIMEOUT", &o->timeout_ms, err) != 0 ||
        env_seconds("TACTFUL_HTTP_CONNECT_TIMEOUT", &o->connect_timeout_ms, err) != 0 ||
        env_seconds("TACTFUL_HTTP_BACKOFF", &o->retry.backoff_ms, err) != 0 ||
        env_seconds("TACTFUL_HTTP_MAX_WAIT", &o->retry.max_wait_ms, err) != 0 ||
        env_long("TACTFUL_HTTP_RETRIES", 0, 20, &retries, err) != 0 ||
        env_long("TACTFUL_HTTP_MAX_BODY", 1024, 1024L * 1024 * 1024, &body, err) != 0)
        return -1;
    o->retry.max_retries = (int)retries;
    o->max_body = (size_t)body;
    if (o->timeout_ms <= 0)
        o->timeout_ms = 1;
    if (o->connect_timeout_ms <= 0)
        o->connect_timeout_ms = 1;
    return 0;
}

struct http_request *
http_request_new(const char *method, const char *url)
{
    struct http_request *r = xcalloc(1, sizeof *r);
    r->method = xstrdup(method);
    r->url = xstrdup(url);
    r->retry = strcmp(method, "GET") == 0 ? RETRY_SAFE : RETRY_UNSENT;
    return r;
}

/* Overwrites a secret string before it is freed. */
static void
wipe(char *s)
{
    if (s)
        explicit_bzero(s, strlen(s));
}

void
http_request_free(struct http_request *r)
{
    if (r == NULL)
        return;
    while (r->also) { /* the requests chained after it */
        struct http_request *more = r->also;
        r->also = more->also;
        more->also = NULL;
        http_request_free(more);
    }
    for (struct curl_slist *h = r->headers; h; h = h->next)
        wipe(h->data); /* the Authorization header among them */
    curl_slist_free_all(r->headers);
    wipe(r->userpwd);
    free(r->userpwd);
    free(r->method);
    free(r->url);
    wipe(r->body); /* a login body carries a password */
    free(r->body);
    free(r->ca_file);
    free(r);
}

int
http_request_header(struct http_request *r, const char *name, const char *value)
{
    if (strpbrk(name, "\r\n:") || strpbrk(value, "\r\n"))
        return -1;
    char *line = xasprintf("%s: %s", name, value);
    struct curl_slist *h = curl_slist_append(r->headers, line);
    wipe(line);
    free(line);
    if (h == NULL)
        return -1;
    r->headers = h;
    return 0;
}

void
http_request_bearer(struct http_request *r, const char *token)
{
    char *value = xasprintf("Bearer %s", token);
    http_request_header(r, "Authorization", value);
    wipe(value);
    free(value);
}

void
http_request_basic(struct http_request *r, const char *user, const char *password)
{
    if (r->userpwd) {
        wipe(r->userpwd);
        free(r->userpwd);
    }
    r->userpwd = xasprintf("%s:%s", user, password);
}

void
http_request_json(struct http_request *r, json_t *j)
{
    free(r->body);
    r->body = json_dumps(j, JSON_COMPACT);
    r->body_len = r->body ? strlen(r->body) : 0;
    json_decref(j);
    http_request_header(r, "Content-Type", "application/json");
}

void
http_request_ca_file(struct http_request *r, const char *path)
{
    free(r->ca_file);
    r->ca_file = path ? xstrdup(path) : NULL;
}

void
http_request_retry(struct http_request *r, enum retry_kind kind)
{
    r->retry = kind;
}

const char *
http_request_url(const struct http_request *r)
{
    return r->url;
}

struct http_request *
http_request_also(struct http_request *r, struct http_request *more)
{
    struct http_request **pp = &r->also;
    while (*pp)
        pp = &(*pp)->also;
    *pp = more;
    return r;
}

struct http_request *
http_request_detach(struct http_request *r)
{
    struct http_request *more = r->also;
    r->also = NULL;
    return more;
}

json_t *
http_response_json(const struct http_response *resp)
{
    if (resp->body == NULL || resp->len == 0)
        return NULL;
    return json_loadb(resp->body, resp->len, JSON_REJECT_DUPLICATES, NULL);
}

/* Frees what a response owns and zeroes it. */
static void
response_clear(struct http_response *r)
{
    free(r->error);
    free(r->body);
    free(r->url);
    free(r->link);
    free(r->location);
    free(r->content_type);
    free(r->retry_after);
    free(r->ratelimit_reset_iso);
    free(r->ratelimit_reset);
    free(r->ratelimit_limit);
    free(r->ratelimit_remaining);
    memset(r, 0, sizeof *r);
    r->wp_total_pages = -1;
}

char *
http_origin(const char *url)
{
    const char *p = strstr(url, "://");
    if (p == NULL)
        return xstrndup(url, 200);
    p += 3;
    p += strcspn(p, "/?#");
    return xstrndup(url, (size_t)(p - url) < 300 ? (size_t)(p - url) : 300);
}

char *
http_escape(const char *s)
{
    struct buf b = {0};
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '_' || *p == '.' || *p == '~') {
            buf_addc(&b, (char)*p);
        } else {
            buf_addc(&b, '%');
            buf_addc(&b, hex[*p >> 4]);
            buf_addc(&b, hex[*p & 15]);
        }
    }
    return buf_take(&b);
}

char *
http_link_rel(const char *link, const char *rel)
{
    if (link == NULL)
        return NULL;
    const char *p = link;
    /* Link: <url>; rel="next", <url>; rel="prev" -- bounded by the header's own length. */
    while ((p = strchr(p, '<')) != NULL) {
        const char *close = strchr(p, '>');
        if (close == NULL)
            return NULL;
        const char *params = close + 1;
        size_t plen = strcspn(params, "<");
        const char *r = params;
        while ((r = strstr(r, "rel=")) != NULL && r < params + plen) {
            r += 4;
            int quoted = *r == '"';
            if (quoted)
                r++;
            size_t vlen = strcspn(r, quoted ? "\"" : " ;,");
            /* rel may hold several space-separated values */
            for (const char *v = r; v < r + vlen;) {
                size_t w = strcspn(v, " ");
                if (w > (size_t)(r + vlen - v))
                    w = (size_t)(r + vlen - v);
                if (w == strlen(rel) && strncasecmp(v, rel, w) == 0)
                    return xstrndup(p + 1, (size_t)(close - p - 1));
                v += w + 1;
            }
            r += vlen;
        }
        p = close + 1;
    }
    return NULL;
}

/* libcurl write callback: collects the body up to the size cap. */
static size_t
on_body(char *data, size_t size, size_t n, void *arg)
{
    struct transfer *t = arg;
    size_t len = size * n;
    if (t->body.len + len > t->client->o.max_body) {
        t->too_big = 1;
        return 0;
    }
    buf_add(&t->body, data, len);
    return len;
}

/* Stores (or, for Link, appends to) one remembered header value. */
static void
keep_header(char **slot, const char *value, size_t len, int append)
{
    if (len > HTTP_MAX_HEADER)
        len = HTTP_MAX_HEADER;
    if (append && *slot && strlen(*slot) + len + 2 <= 4 * HTTP_MAX_HEADER) {
        char *joined = xasprintf("%s, %.*s", *slot, (int)len, value);
        free(*slot);
        *slot = joined;
        return;
    }
    free(*slot);
    *slot = xstrndup(value, len);
}

/* libcurl header callback: remembers the headers the adapters and the retry policy read. */
static size_t
on_header(char *data, size_t size, size_t n, void *arg)
{
    struct transfer *t = arg;
    size_t len = size * n;
    struct http_response *r = &t->resp;
    if (len >= 5 && strncmp(data, "HTTP/", 5) == 0) {
        /* A new status line (after 100 Continue): forget earlier headers. */
        char *url = r->url;
        int attempts = r->attempts;
        r->url = NULL;
        response_clear(r);
        r->url = url;
        r->attempts = attempts;
        return len;
    }
    const char *colon = memchr(data, ':', len);
    if (colon == NULL)
        return len;
    size_t nlen = (size_t)(colon - data);
    const char *v = colon + 1;
    size_t vlen = len - nlen - 1;
    while (vlen && (*v == ' ' || *v == '\t')) {
        v++;
        vlen--;
    }
    while (vlen && (v[vlen - 1] == '\r' || v[vlen - 1] == '\n' || v[vlen - 1] == ' '))
        vlen--;
    static const struct {
        const char *name;
        size_t off;
        int append;
    } wanted[] = {
        {"link", offsetof(struct http_response, link), 1},
        {"location", offsetof(struct http_response, location), 0},
        {"content-type", offsetof(struct http_response, content_type), 0},
        {"retry-after", offsetof(struct http_response, retry_after), 0},
        {"x-ratelimit-reset", offsetof(struct http_response, ratelimit_reset_iso), 0},
        {"ratelimit-reset", offsetof(struct http_response, ratelimit_reset), 0},
        {"x-ratelimit-limit", offsetof(struct http_response, ratelimit_limit), 0},
        {"ratelimit-limit", offsetof(struct http_response, ratelimit_limit), 0},
        {"x-ratelimit-remaining", offsetof(struct http_response, ratelimit_remaining), 0},
        {"ratelimit-remaining", offsetof(struct http_response, ratelimit_remaining), 0},
    };
    for (size_t i = 0; i < sizeof wanted / sizeof wanted[0]; i++) {
        if (strlen(wanted[i].name) == nlen && strncasecmp(data, wanted[i].name, nlen) == 0) {
            keep_header((char **)((char *)r + wanted[i].off), v, vlen, wanted[i].append);
            return len;
        }
    }
    if (nlen == 15 && strncasecmp(data, "x-wp-totalpages", 15) == 0) {
        char num[24];
        snprintf(num, sizeof num, "%.*s", (int)(vlen < 20 ? vlen : 20), v);
        char *end;
        long pages = strtol(num, &end, 10);
        r->wp_total_pages = end != num && *end == '\0' && pages >= 0 ? pages : -1;
    }
    return len;
}

/* The certificate bundle to trust when the account names none. libcurl's own default (from
 * the machine it was built on) serves an ordinary build; tactful-portable runs on systems that
 * keep the bundle elsewhere, so it takes $SSL_CERT_FILE, else the first bundle found where
 * Debian, Fedora, SUSE, Arch or Alpine keep theirs. NULL leaves libcurl's default. */
static const char *
system_ca_bundle(void)
{
#ifdef TACTFUL_PORTABLE
    static const char *const bundles[] = {
        "/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt",
        "/etc/ssl/ca-bundle.pem", "/etc/pki/tls/cacert.pem", "/etc/ssl/cert.pem",
    };
    const char *env = getenv("SSL_CERT_FILE");
    if (env && *env && access(env, R_OK) == 0)
        return env;
    for (size_t i = 0; i < sizeof bundles / sizeof *bundles; i++)
        if (access(bundles[i], R_OK) == 0)
            return bundles[i];
#endif
    return NULL;
}

/* Creates the easy handle for the transfer's next attempt. Returns 0 or -1 with t->resp.error. */
static int
easy_setup(struct transfer *t)
{
    const struct http_options *o = &t->client->o;
    struct http_request *q = t->req;
    CURL *e = curl_easy_init();
    if (e == NULL) {
        t->resp.error = xstrdup("cannot start an HTTP transfer (libcurl failed to initialise)");
        return -1;
    }
    t->easy = e;
    t->errbuf[0] = '\0';
    curl_easy_setopt(e, CURLOPT_URL, q->url);
    curl_easy_setopt(e, CURLOPT_PRIVATE, t);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->errbuf);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_USERAGENT, "tactful/" TACTFUL_VERSION);
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
    const char *ca = q->ca_file ? q->ca_file : system_ca_bundle();
    if (ca)
        curl_easy_setopt(e, CURLOPT_CAINFO, ca);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, o->connect_timeout_ms);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, o->timeout_ms);
    curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_body);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, t);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, t);
    if (strcmp(q->method, "GET") != 0) {
        if (strcmp(q->method, "POST") == 0)
            curl_easy_setopt(e, CURLOPT_POST, 1L);
        else
            curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, q->method);
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)q->body_len);
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, q->body ? q->body : "");
    }
    if (q->userpwd) {
        curl_easy_setopt(e, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
        curl_easy_setopt(e, CURLOPT_USERPWD, q->userpwd);
    }
    if (q->headers)
        curl_easy_setopt(e, CURLOPT_HTTPHEADER, q->headers);
    return 0;
}

/* Frees a transfer and what it owns. */
static void
transfer_free(struct transfer *t)
{
    if (t->easy) {
        curl_multi_remove_handle(t->client->multi, t->easy);
        curl_easy_cleanup(t->easy);
    }
    http_request_free(t->req);
    response_clear(&t->resp);
    buf_free(&t->body);
    free(t);
}

/* FNV-1a over len bytes, continuing from h. */
static unsigned long long
fnv(unsigned long long h, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

/* The budget that req draws on (its origin and credentials), made on first use; NULL when too
 * many are tracked already. */
static struct pace *
pace_of(struct http_client *c, const struct http_request *req)
{
    unsigned long long h = 1469598103934665603ULL;
    for (const struct curl_slist *l = req->headers; l; l = l->next)
        if (strncasecmp(l->data, "Authorization:", 14) == 0)
            h = fnv(h, l->data, strlen(l->data));
    if (req->userpwd)
        h = fnv(h, req->userpwd, strlen(req->userpwd));
    char *origin = http_origin(req->url);
    char *key = xasprintf("%s#%016llx", origin, h);
    free(origin);
    for (struct pace *p = c->paces; p; p = p->next) {
        if (strcmp(p->key, key) == 0) {
            free(key);
            return p;
        }
    }
    if (c->npaces >= HTTP_MAX_PACES) {
        free(key);
        return NULL;
    }
    struct pace *p = xcalloc(1, sizeof *p);
    p->key = key;
    p->budget.limit = p->budget.remaining = -1;
    p->next = c->paces;
    c->paces = p;
    c->npaces++;
    return p;
}

/* Queues a new transfer for req on behalf of job, to start as soon as there is room. */
static void
transfer_queue(struct http_client *c, struct job *job, struct http_request *req)
{
    struct transfer *t = xcalloc(1, sizeof *t);
    t->client = c;
    t->job = job;
    t->req = req;
    t->pace = pace_of(c, req);
    t->resp.wp_total_pages = -1;
    t->not_before = 0;
    /* First come, first served: a busy account must not starve the others. */
    struct transfer **pp = &c->waiting;
    while (*pp)
        pp = &(*pp)->next;
    *pp = t;
}

/* Removes the job's requests that have not started yet from the waiting list. */
static void
job_cancel_waiting(struct http_client *c, struct job *job)
{
    struct transfer **pp = &c->waiting;
    while (*pp) {
        struct transfer *t = *pp;
        if (t->job != job) {
            pp = &t->next;
            continue;
        }
        *pp = t->next;
        transfer_free(t);
        job->inflight--;
    }
}

/* Hands a final answer (NULL for the job's start) to the job's step function and carries on
 * with what it returns; ends the job once it is over and nothing of it is in flight. */
static void
job_advance(struct http_client *c, struct job *job, const struct http_response *resp)
{
    if (resp)
        job->inflight--;
    if (!job->ended) {
        struct http_request *next = NULL;
        char *err = NULL;
        enum http_step s = job->step(job->ctx, resp, &next, &err);
        if (s == HTTP_STEP_MORE && (next != NULL || job->inflight > 0)) {
            while (next) {
                struct http_request *r = next;
                next = http_request_detach(r);
                transfer_queue(c, job, r);
                job->inflight++;
            }
            return;
        }
        http_request_free(next);
        if (s == HTTP_STEP_MORE) {
            s = HTTP_STEP_FAIL;
            err = xstrdup("internal error: a sync step asked for no request");
        }
        job->ended = 1;
        job->ok = s == HTTP_STEP_DONE;
        if (job->ok)
            free(err);
        else
            job->err = err;
        job_cancel_waiting(c, job);
    }
    if (job->inflight > 0)
        return; /* answers still due are dropped as they come */
    job->done(job->ctx, job->ok, job->err);
    free(job);
    c->jobs--;
}

void
http_client_start(struct http_client *c, http_step_fn step, http_done_fn done, void *ctx)
{
    struct job *job = xcalloc(1, sizeof *job);
    job->step = step;
    job->done = done;
    job->ctx = ctx;
    c->jobs++;
    job_advance(c, job, NULL);
}

struct http_client *
http_client_new(const struct http_options *o, char **err)
{
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        *err = xstrdup("cannot initialise libcurl");
        return NULL;
    }
    struct http_client *c = xcalloc(1, sizeof *c);
    c->o = *o;
    c->multi = curl_multi_init();
    if (c->multi == NULL) {
        free(c);
        curl_global_cleanup();
        *err = xstrdup("cannot initialise libcurl's multi interface");
        return NULL;
    }
    curl_multi_setopt(c->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)o->max_parallel);
    c->rng = (unsigned)time(NULL) ^ ((unsigned)getpid() << 8);
    return c;
}

void
http_client_free(struct http_client *c)
{
    if (c == NULL)
        return;
    while (c->waiting) {
        struct transfer *t = c->waiting;
        c->waiting = t->next;
        transfer_free(t);
    }
    while (c->paces) {
        struct pace *p = c->paces;
        c->paces = p->next;
        free(p->key);
        free(p);
    }
    curl_multi_cleanup(c->multi);
    free(c);
    curl_global_cleanup();
}

/* Classifies a finished attempt for the retry policy and writes the sentence for a failure. */
static enum retry_failure
classify(struct transfer *t, CURLcode code)
{
    if (code == CURLE_OK)
        return RF_NONE;
    char *origin = http_origin(t->req->url);
    const char *detail = t->errbuf[0] ? t->errbuf : curl_easy_strerror(code);
    enum retry_failure f;
    free(t->resp.error);
    if (t->too_big || code == CURLE_FILESIZE_EXCEEDED) {
        t->resp.error = xasprintf("the answer from %s is larger than %zu bytes, more than "
                                  "tactful accepts; ask its administrator what changed",
                                  origin, t->client->o.max_body);
        f = RF_FATAL;
    } else if (code == CURLE_PEER_FAILED_VERIFICATION || code == CURLE_SSL_CACERT_BADFILE ||
               code == CURLE_SSL_CONNECT_ERROR || code == CURLE_SSL_CERTPROBLEM) {
        t->resp.error = xasprintf("cannot verify the TLS certificate of %s (%s); if your "
                                  "office inspects traffic, set ca_file for the account to its "
                                  "CA certificate", origin, detail);
        f = RF_FATAL;
    } else if (code == CURLE_URL_MALFORMAT || code == CURLE_UNSUPPORTED_PROTOCOL) {
        t->resp.error = xasprintf("cannot use the URL %s (%s); check the account's url",
                                  origin, detail);
        f = RF_FATAL;
    } else if (code == CURLE_OPERATION_TIMEDOUT) {
        t->resp.error = xasprintf("%s did not answer in time (%s); try again later, or raise "
                                  "TACTFUL_HTTP_TIMEOUT", origin, detail);
        f = RF_TRANSFER;
    } else if (code == CURLE_COULDNT_RESOLVE_HOST || code == CURLE_COULDNT_RESOLVE_PROXY ||
               code == CURLE_COULDNT_CONNECT) {
        t->resp.error = xasprintf("cannot connect to %s (%s); check the account's url, the "
                                  "network and any proxy settings", origin, detail);
        f = RF_CONNECT;
    } else {
        t->resp.error = xasprintf("the connection to %s failed (%s); try again later", origin,
                                  detail);
        f = RF_TRANSFER;
    }
    /* Nothing was sent yet (a failure while connecting): any request may be retried. */
    curl_off_t sent = 0;
    if (f == RF_TRANSFER && curl_easy_getinfo(t->easy, CURLINFO_REQUEST_SIZE, &sent) ==
            CURLE_OK && sent == 0)
        f = RF_CONNECT;
    free(origin);
    return f;
}

/* Deals with one finished attempt: schedules a retry or delivers the answer. */
static void
transfer_finish(struct http_client *c, struct transfer *t, CURLcode code)
{
    long status = 0;
    curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
    enum retry_failure f = classify(t, code);
    t->resp.status = f == RF_NONE ? status : 0;
    t->resp.attempts++;
    struct retry_attempt a = {
        .failure = f,
        .status = t->resp.status,
        .attempt = t->resp.attempts,
        .retry_after = t->resp.retry_after,
        .ratelimit_reset_iso = t->resp.ratelimit_reset_iso,
        .ratelimit_reset = t->resp.ratelimit_reset,
        .now = time(NULL),
    };
    struct retry_budget budget;
    if (t->pace && retry_budget_parse(t->resp.ratelimit_limit, t->resp.ratelimit_remaining,
                                      t->resp.ratelimit_reset_iso, t->resp.ratelimit_reset,
                                      a.now, &budget) == 0)
        t->pace->budget = budget; /* the server's word replaces the estimate */
    time_t reset_at = 0;
    long delay = retry_delay_ms(&c->o.retry, t->req->retry, &a, (unsigned)rand_r(&c->rng),
                                &reset_at);
    if (t->job->ended)
        delay = -1; /* its job is over: the answer will be dropped, so do not ask again */
    curl_multi_remove_handle(c->multi, t->easy);
    curl_easy_cleanup(t->easy);
    t->easy = NULL;
    c->active--;
    if (delay >= 0) {
        int attempts = t->resp.attempts;
        response_clear(&t->resp);
        t->resp.attempts = attempts;
        buf_free(&t->body);
        t->too_big = 0;
        t->not_before = now_s() + (double)delay / 1000.0;
        t->next = c->waiting;
        c->waiting = t;
        return;
    }
    if (reset_at) {
        char *origin = http_origin(t->req->url);
        struct tm tm;
        char when[32];
        gmtime_r(&reset_at, &tm);
        strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", &tm);
        free(t->resp.error);
        t->resp.error = xasprintf("%s is rate limiting this account until %s; try again after "
                                  "that", origin, when);
        free(origin);
    }
    free(t->resp.body);
    t->resp.len = t->body.len;
    t->resp.body = buf_take(&t->body);
    t->resp.url = xstrdup(t->req->url);
    struct job *job = t->job;
    struct http_response resp = t->resp;
    memset(&t->resp, 0, sizeof t->resp);
    transfer_free(t);
    job_advance(c, job, &resp);
    response_clear(&resp);
}

/* Starts waiting transfers that are due, while there is room; returns seconds until the next
 * one is due (or a large number). */
static double
start_due(struct http_client *c)
{
    double now = now_s(), next = 1e9;
    struct transfer **pp = &c->waiting;
    while (*pp) {
        struct transfer *t = *pp;
        double due = t->not_before;
        if (t->pace && t->pace->next_at > due)
            due = t->pace->next_at;
        if (due > now || c->active >= c->o.max_parallel) {
            if (due - now < next)
                next = due > now ? due - now : 0.01;
            pp = &t->next;
            continue;
        }
        if (t->pace) {
            /* Space this server's requests by what is left of its budget, and count this
             * one against it until the server says otherwise. */
            struct retry_budget *b = &t->pace->budget;
            t->pace->next_at = now + (double)retry_pace_ms(&c->o.retry, b, time(NULL)) / 1000.0;
            if (b->remaining > 0)
                b->remaining--;
        }
        *pp = t->next;
        t->next = NULL;
        if (easy_setup(t) != 0 || curl_multi_add_handle(c->multi, t->easy) != CURLM_OK) {
            if (t->resp.error == NULL)
                t->resp.error = xstrdup("cannot start an HTTP transfer");
            free(t->resp.url);
            t->resp.url = xstrdup(t->req->url); /* which of the job's requests this was */
            struct job *job = t->job;
            struct http_response resp = t->resp;
            memset(&t->resp, 0, sizeof t->resp);
            if (t->easy) {
                curl_easy_cleanup(t->easy);
                t->easy = NULL;
            }
            transfer_free(t);
            job_advance(c, job, &resp);
            response_clear(&resp);
            pp = &c->waiting; /* the list may have changed */
            continue;
        }
        c->active++;
    }
    return next;
}

/* Hands every finished transfer to its job; returns how many finished. */
static int
drain(struct http_client *c)
{
    CURLMsg *m;
    int left, n = 0;
    while ((m = curl_multi_info_read(c->multi, &left)) != NULL) {
        if (m->msg != CURLMSG_DONE)
            continue;
        struct transfer *t = NULL;
        curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&t);
        transfer_finish(c, t, m->data.result);
        n++;
    }
    return n;
}

int
http_client_poll(struct http_client *c, int timeout_ms)
{
    /* Answers lead to new requests: start those at once, without waiting (bounded). */
    for (int round = 0; round < 8; round++) {
        int running = 0;
        start_due(c);
        curl_multi_perform(c->multi, &running);
        if (drain(c) == 0)
            break;
    }
    if (c->jobs == 0)
        return 0;
    double next = start_due(c);
    long wait = timeout_ms, curl_wait = -1;
    if (next * 1000 < wait)
        wait = (long)(next * 1000) + 1;
    if (curl_multi_timeout(c->multi, &curl_wait) == CURLM_OK && curl_wait >= 0 &&
        curl_wait < wait)
        wait = curl_wait;
    if (wait <= 0)
        return c->jobs;
    if (c->active > 0)
        curl_multi_poll(c->multi, NULL, 0, (int)wait, NULL);
    else
        usleep((useconds_t)wait * 1000);
    return c->jobs;
}

void
http_client_run(struct http_client *c)
{
    while (c->jobs > 0)
        http_client_poll(c, 1000);
}
