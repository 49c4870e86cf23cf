/* The adapter table, running operations, and what the adapters share. */
#include "net/adapter.h"

#include "model/isotime.h"
#include "model/platform.h"
#include "model/xmalloc.h"
#include "net/credentials.h"
#include "net/redact.h"
#include "net/session_file.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <utf8proc.h>

/* Every platform tactful can sync: the adapter ID_adapter (net/ID.c) of each entry in the
 * platform table (model/platform_list.h). */
#define PLATFORM(id, ...) extern const struct net_adapter id##_adapter;
#include "model/platform_list.h"
#undef PLATFORM

#define PLATFORM(id, ...) &id##_adapter,
static const struct net_adapter *const adapters[] = {
#include "model/platform_list.h"
};
#undef PLATFORM

const struct net_adapter *
net_adapter_find(const char *platform)
{
    for (size_t i = 0; platform && i < sizeof adapters / sizeof adapters[0]; i++)
        if (strcmp(adapters[i]->platform, platform) == 0)
            return adapters[i];
    return NULL;
}

/* FNV-1a hash of a string. */
static size_t
hash(const char *s)
{
    size_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

/* Returns the slot for id: where it is, or the empty slot where it would go. */
static size_t
slot_of(const struct net_batch *b, const char *id)
{
    size_t i = hash(id) & (b->nslots - 1);
    while (b->slots[i] != 0 && strcmp(b->posts[b->slots[i] - 1].id, id) != 0)
        i = (i + 1) & (b->nslots - 1);
    return i;
}

/* Doubles the index and puts every post back in it. */
static void
index_grow(struct net_batch *b)
{
    free(b->slots);
    b->nslots = b->nslots ? b->nslots * 2 : 64;
    b->slots = xcalloc(b->nslots, sizeof *b->slots);
    for (size_t k = 0; k < b->n; k++)
        b->slots[slot_of(b, b->posts[k].id)] = k + 1;
}

void
net_post_clear(struct net_post *p)
{
    char **s[] = {&p->thread, &p->id, &p->parent, &p->author, &p->author_name, &p->created_at,
                  &p->text, &p->html, &p->url, &p->title, &p->meta};
    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
        free(*s[i]);
    memset(p, 0, sizeof *p);
}

int
net_batch_add(struct net_batch *b, struct net_post *p)
{
    if ((b->n + 1) * 2 > b->nslots)
        index_grow(b);
    size_t i = slot_of(b, p->id);
    if (b->slots[i] != 0) {
        struct net_post *old = &b->posts[b->slots[i] - 1];
        net_post_clear(old);
        *old = *p;
        memset(p, 0, sizeof *p);
        return 0;
    }
    if (b->n >= NET_MAX_POSTS) {
        net_post_clear(p);
        return -1;
    }
    if (b->n == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 64;
        b->posts = xreallocarray(b->posts, b->cap, sizeof *b->posts);
    }
    b->posts[b->n] = *p;
    memset(p, 0, sizeof *p);
    b->slots[i] = ++b->n;
    return 0;
}

const struct net_post *
net_batch_find(const struct net_batch *b, const char *id)
{
    if (b->nslots == 0)
        return NULL;
    size_t i = slot_of(b, id);
    return b->slots[i] ? &b->posts[b->slots[i] - 1] : NULL;
}

void
net_batch_clear(struct net_batch *b)
{
    for (size_t i = 0; i < b->n; i++)
        net_post_clear(&b->posts[i]);
    free(b->posts);
    free(b->slots);
    memset(b, 0, sizeof *b);
}

struct net_account *
net_account_new(const struct config_account *cfg, char *secret, char **err)
{
    const struct net_adapter *ad = net_adapter_find(cfg->platform);
    const struct platform *plat = platform_find(cfg->platform);
    if (ad == NULL || plat == NULL) {
        credentials_free(secret);
        *err = xasprintf("account %s: tactful cannot sync %s accounts", cfg->name,
                         cfg->platform ? cfg->platform : "(no platform)");
        return NULL;
    }
    struct net_account *a = xcalloc(1, sizeof *a);
    a->cfg = cfg;
    a->adapter = ad;
    a->platform = plat;
    a->secret = secret;
    return a;
}

void
net_account_free(struct net_account *a)
{
    if (a == NULL)
        return;
    credentials_free(a->secret);
    if (a->session && a->adapter->session_free)
        a->adapter->session_free(a->session);
    free(a->me);
    free(a->me_name);
    json_decref(a->limits);
    free(a);
}

void
net_account_redact(const struct net_account *a, char **text)
{
    if (a == NULL || text == NULL || *text == NULL)
        return;
    struct redactor r = {0};
    redact_add(&r, a->secret, a->cfg->user);
    const char *tokens[REDACT_MAX_SECRETS - 1];
    size_t n = a->session && a->adapter->session_secrets
                   ? a->adapter->session_secrets(a->session, tokens, REDACT_MAX_SECRETS - 1)
                   : 0;
    for (size_t i = 0; i < n; i++)
        redact_add(&r, tokens[i], NULL);
    redact_in_place(&r, text);
    redact_clear(&r);
}

void
net_op_clear(struct net_op *op)
{
    if (op->acct && op->acct->adapter->op_free)
        op->acct->adapter->op_free(op);
    net_batch_clear(&op->res.batch);
    free(op->res.cursor);
    free(op->res.remote_id);
    free(op->res.remote_url);
    free(op->res.note);
    net_marks_clear(&op->res.gone);
    net_marks_clear(&op->res.refusals);
    memset(&op->res, 0, sizeof op->res);
    op->priv = NULL;
}

enum http_step
net_op_step(void *ctx, const struct http_response *resp, struct http_request **next, char **err)
{
    struct net_op *op = ctx;
    const struct net_adapter *ad = op->acct->adapter;
    struct retry_budget b;
    if (resp && retry_budget_parse(resp->ratelimit_limit, resp->ratelimit_remaining,
                                   resp->ratelimit_reset_iso, resp->ratelimit_reset, time(NULL),
                                   &b) == 0 &&
        (op->low.limit <= 0 || b.remaining < op->low.remaining))
        op->low = b;
    if (!op->logged_in) {
        enum http_step s = ad->check(op, resp, next, err);
        if (s != HTTP_STEP_DONE)
            return s;
        op->logged_in = 1;
        if (op->kind == NET_CHECK)
            return HTTP_STEP_DONE;
        resp = NULL;
        op->state = 0;
    }
    http_step_fn fn = op->kind == NET_FETCH_NEW      ? ad->fetch_new
                      : op->kind == NET_FETCH_THREAD ? ad->fetch_thread
                      : op->kind == NET_FIND_REPLY   ? ad->find_reply
                                                     : ad->post_reply;
    return fn(op, resp, next, err);
}

/* The reader for the answer op awaits, or NULL. */
static const struct net_reader *
reader_of(const struct net_op *op)
{
    const struct net_adapter *ad = op->acct->adapter;
    int kind = op->logged_in ? (int)op->kind : NET_CHECK;
    for (size_t i = 0; i < ad->nreaders; i++)
        if (ad->readers[i].kind == kind && ad->readers[i].state == op->state)
            return &ad->readers[i];
    return NULL;
}

/* Parses body as JSON of the given type; NULL with *err set when it is not. */
static json_t *
json_of(const struct net_op *op, const char *url, const char *body, size_t len, json_type type,
        const char *what, char **err)
{
    json_t *j = len > 0 ? json_loadb(body, len, JSON_REJECT_DUPLICATES, NULL) : NULL;
    if (j != NULL && json_typeof(j) == type)
        return j;
    char *origin = http_origin(url ? url : op->acct->cfg->url);
    *err = xasprintf("%s: %s answered with %s, not the JSON %s expected; check the "
                     "account's url and platform", what, origin,
                     j ? "other JSON" : "something that is not JSON",
                     type == JSON_ARRAY ? "list" : "object");
    free(origin);
    json_decref(j);
    return NULL;
}

/* net_read, naming url (NULL: the account's) in messages. */
static int
read_body(struct net_op *op, const char *url, const char *body, size_t len, char **err)
{
    const struct net_reader *r = reader_of(op);
    if (r == NULL) {
        *err = xasprintf("%s: no answer was expected in step %d", op->acct->cfg->name,
                         op->state);
        return -1;
    }
    json_t *j = json_of(op, url, body, len, r->type, r->what, err);
    if (j == NULL)
        return -1;
    int rc = r->read(op, j, err);
    json_decref(j);
    return rc;
}

int
net_read(struct net_op *op, const char *body, size_t len, char **err)
{
    return read_body(op, NULL, body, len, err);
}

int
net_take(struct net_op *op, const struct http_response *resp, char **err)
{
    if (resp->error || resp->status < 200 || resp->status > 299) {
        const struct net_reader *r = reader_of(op);
        *err = net_http_error(op, resp, r ? r->what : "reading an answer");
        return -1;
    }
    return read_body(op, resp->url, resp->body, resp->len, err);
}

/* Overwrites the string members of a session object (tokens) before it is let go. */
static void
wipe_strings(json_t *j)
{
    const char *key;
    json_t *v;
    json_object_foreach(j, key, v) {
        if (json_is_string(v)) {
            char *s = (char *)json_string_value(v);
            explicit_bzero(s, strlen(s));
        }
    }
}

/* Takes up the session an earlier run kept for op's account, once per account. A check
 * (`tactful accounts check`) does not: it is there to try the configured secret itself. */
static void
session_take_up(struct net_op *op)
{
    struct net_account *a = op->acct;
    if (a->session_loaded || a->adapter->session_import == NULL)
        return;
    a->session_loaded = 1;
    if (op->kind == NET_CHECK)
        return;
    json_t *kept = session_file_load(a->cfg->name);
    if (kept)
        a->adapter->session_import(a, kept);
    wipe_strings(kept);
    json_decref(kept);
}

/* Keeps the account's session for the next run when op changed it; a failure to write it
 * becomes the op's note (the next run then logs in afresh). */
static void
session_keep(struct net_op *op)
{
    struct net_account *a = op->acct;
    if (!a->session_changed || a->adapter->session_export == NULL)
        return;
    a->session_changed = 0;
    json_t *j = a->adapter->session_export(a);
    char *err = NULL;
    if (j && session_file_save(a->cfg->name, j, &err) != 0) {
        if (op->res.note == NULL)
            op->res.note = err;
        else
            free(err);
    }
    wipe_strings(j);
    json_decref(j);
}

/* Adds to op's note that the server's request budget ran below half (so requests were spaced
 * out), when it did. */
static void
note_budget(struct net_op *op)
{
    const struct retry_budget *b = &op->low;
    if (b->limit <= 0 || b->remaining * 2 >= b->limit)
        return;
    char when[32];
    struct tm tm;
    gmtime_r(&b->reset_at, &tm);
    strftime(when, sizeof when, "%H:%M UTC", &tm);
    char *origin = http_origin(op->acct->cfg->url);
    char *line = xasprintf("%s allowed only %ld more of its %ld requests until %s, so tactful "
                           "spaced its requests out to stay under the limit", origin,
                           b->remaining, b->limit, when);
    free(origin);
    char *note = op->res.note ? xasprintf("%s; %s", op->res.note, line) : line;
    if (note != line)
        free(line);
    free(op->res.note);
    op->res.note = note;
}

/* The HTTP client's done callback: hands the outcome to the op's owner, with the account's
 * secrets taken out of everything a server may have put in it (the error, the note, the name
 * the account goes by), since that is printed and stored. */
static void
op_done(void *ctx, int ok, char *err)
{
    struct net_op *op = ctx;
    session_keep(op);
    note_budget(op);
    net_account_redact(op->acct, &err);
    net_account_redact(op->acct, &op->res.note);
    net_account_redact(op->acct, &op->acct->me_name);
    op->done(op, ok, err, op->done_arg);
}

void
net_op_start(struct http_client *c, struct net_op *op, net_op_done_fn done, void *arg)
{
    op->done = done;
    op->done_arg = arg;
    session_take_up(op);
    op->state = 0;
    op->pages = 0;
    op->low = (struct retry_budget){0};
    /* An account logged in by an earlier operation skips the check. */
    op->logged_in = op->kind != NET_CHECK && op->acct->me != NULL;
    http_client_start(c, net_op_step, op_done, op);
}

struct http_request *
net_request(const struct net_op *op, const char *method, const char *url)
{
    struct http_request *r = http_request_new(method, url);
    http_request_ca_file(r, op->acct->cfg->ca_file);
    return r;
}

/* Copies at most n bytes of s, stopping at a control character, for quoting server text. */
static char *
quote_server_text(const char *s, size_t n)
{
    size_t i = 0;
    while (s[i] && i < n && (unsigned char)s[i] >= 0x20)
        i++;
    return xstrndup(s, i);
}

char *
net_http_error(const struct net_op *op, const struct http_response *resp, const char *what)
{
    if (resp->error) {
        char *out = xasprintf("%s: %s", what, resp->error);
        net_account_redact(op->acct, &out);
        return out;
    }
    json_t *j = http_response_json(resp);
    const char *code = NULL, *msg = NULL;
    if (json_is_object(j)) {
        code = net_str(j, "code");         /* WordPress */
        if (code == NULL)
            code = net_str(j, "error");    /* Mastodon's sentence, Bluesky's name */
        msg = net_str(j, "message");
        if (msg && code && strcmp(msg, code) == 0)
            msg = NULL;
    }
    struct buf detail = {0};
    if (code || msg) {
        /* Secrets out before the text is cut, so no part of one is left at the cut. */
        char *rc = code ? xstrdup(code) : NULL, *rm = msg ? xstrdup(msg) : NULL;
        net_account_redact(op->acct, &rc);
        net_account_redact(op->acct, &rm);
        char *c = rc ? quote_server_text(rc, 200) : NULL;
        char *m = rm ? quote_server_text(rm, 300) : NULL;
        free(rc);
        free(rm);
        buf_printf(&detail, ": %s%s%s", c ? c : "", c && m ? ": " : "", m ? m : "");
        free(c);
        free(m);
    } else if (resp->len > 0) {
        buf_adds(&detail, " (not a JSON error; is the url right?)");
    }
    const char *hint = "";
    if (resp->status == 401 || resp->status == 403)
        hint = "; check the account's secret (token_cmd, token_file or token_env), its user "
               "and its permissions";
    else if (resp->status == 404)
        hint = "; check the account's url";
    else if (resp->status >= 500)
        hint = "; the server has a problem, try again later";
    else if (resp->status == 429)
        hint = "; the server is rate limiting this account, try again later";
    char *origin = http_origin(resp->url ? resp->url : op->acct->cfg->url);
    char *out = xasprintf("%s: %s answered HTTP %ld%s%s", what, origin,
                          resp->status, detail.data ? detail.data : "", hint);
    free(origin);
    buf_free(&detail);
    json_decref(j);
    return out;
}

json_t *
net_json(const struct net_op *op, const struct http_response *resp, json_type type,
         const char *what, char **err)
{
    if (resp->error || resp->status < 200 || resp->status > 299) {
        *err = net_http_error(op, resp, what);
        return NULL;
    }
    return json_of(op, resp->url, resp->body, resp->len, type, what, err);
}

const char *
net_str(const json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

char *
net_id(const json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    if (json_is_string(v))
        return xstrdup(json_string_value(v));
    if (json_is_integer(v))
        return xasprintf("%" JSON_INTEGER_FORMAT, json_integer_value(v));
    return NULL;
}

int
net_time(const char *s, char out[24])
{
    if (s == NULL)
        return -1;
    char norm[ISOTIME_LEN];
    if (isotime_normalize(s, norm) == 0) {
        memcpy(out, norm, ISOTIME_LEN);
        return 0;
    }
    /* WordPress date_gmt: "2024-05-01T10:20:30", UTC without a zone. */
    if (strlen(s) == 19) {
        char *z = xasprintf("%sZ", s);
        int rc = isotime_normalize(z, norm);
        free(z);
        if (rc == 0) {
            memcpy(out, norm, ISOTIME_LEN);
            return 0;
        }
    }
    return -1;
}

int
net_id_safe(const char *id)
{
    if (id == NULL || *id == '\0' || strlen(id) > 512)
        return 0;
    return strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:~") ==
           strlen(id);
}

int
net_same_origin(const struct net_op *op, const char *base, const char *url)
{
    char *want = http_origin(base ? base : op->acct->cfg->url);
    char *got = http_origin(url);
    int same = strcasecmp(want, got) == 0 && url[strlen(got)] != '@';
    free(want);
    free(got);
    return same;
}

char *
net_host(const struct net_op *op)
{
    const char *u = strstr(op->acct->cfg->url, "://");
    u = u ? u + 3 : op->acct->cfg->url;
    size_t n = u[0] == '[' ? strcspn(u, "]") + 1 : strcspn(u, ":/");
    return xstrndup(u, n);
}

int
net_id_cmp(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la != lb)
        return la < lb ? -1 : 1;
    return strcmp(a, b);
}
