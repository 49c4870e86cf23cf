/* Bluesky through XRPC: the adapter for the "bluesky" entry of model/platform_list.h. */
#include "net/bluesky.h"

#include "model/isotime.h"
#include "model/xmalloc.h"
#include "net/extras.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define PAGE_LIMIT 100
#define THREAD_DEPTH 100
#define MAX_FACETS 100
#define POST_COLLECTION "app.bsky.feed.post"

/* The account's session: tokens and where its PDS is. Tokens are wiped when freed. */
struct session {
    char *access;
    char *refresh;
    char *did;
    char *handle;
    char *pds;
    int kept;           /* taken from an earlier run, not refreshed yet */
};

/* The operation's scratch. */
struct bpriv {
    /* the last request, rebuilt with fresh tokens after a refresh */
    char *last_method;
    char *last_path;
    json_t *last_body;
    int refreshing;
    int refreshes;
    /* fetch_new */
    char *stop_at;       /* indexed_at of the newest notification already read */
    char *stop_uri;
    char *newest_at;     /* newest notification of this run */
    char *newest_uri;
    json_t *roots;       /* thread roots to read */
    size_t next_root;
    json_t *reread;      /* roots whose whole thread was read -> true */
    json_t *missing;     /* [root, uri] of known posts those threads lacked, looked up */
    int first_sync;
    int reached;         /* the last page reached what was read before */
    char *page_cursor;   /* the last page's cursor to the next */
    size_t page_count;   /* notifications on the last page */
    /* post_reply */
    json_t *handles;     /* mentions to resolve */
    size_t next_handle;
    json_t *dids;        /* handle -> DID */
    char rkey[14];
};

enum { CK_START, CK_SESSION, CK_REFRESH };
enum { FN_START, FN_PAGE, FN_THREAD, FN_CONFIRM };
enum { FT_START, FT_THREAD };
enum { FR_START, FR_RECORD };
enum { PR_START, PR_RESOLVE, PR_CREATED };

static struct bpriv *
priv(struct net_op *op)
{
    if (op->priv == NULL)
        op->priv = xcalloc(1, sizeof(struct bpriv));
    return op->priv;
}

/* Wipes and frees a token. */
static void
wipe_free(char *s)
{
    if (s)
        explicit_bzero(s, strlen(s));
    free(s);
}

static void
session_free(void *p)
{
    struct session *s = p;
    if (s == NULL)
        return;
    wipe_free(s->access);
    wipe_free(s->refresh);
    free(s->did);
    free(s->handle);
    free(s->pds);
    free(s);
}

/* The session's tokens, for redaction (see net_account_redact). */
static size_t
session_secrets(const void *p, const char **out, size_t max)
{
    const struct session *s = p;
    size_t n = 0;
    if (s && s->access && n < max)
        out[n++] = s->access;
    if (s && s->refresh && n < max)
        out[n++] = s->refresh;
    return n;
}

static void
bluesky_op_free(struct net_op *op)
{
    struct bpriv *b = op->priv;
    if (b == NULL)
        return;
    free(b->last_method);
    free(b->last_path);
    json_decref(b->last_body);
    free(b->stop_at);
    free(b->stop_uri);
    free(b->newest_at);
    free(b->newest_uri);
    free(b->page_cursor);
    json_decref(b->roots);
    json_decref(b->reread);
    json_decref(b->missing);
    json_decref(b->handles);
    json_decref(b->dids);
    free(b);
    op->priv = NULL;
}

/* Builds an XRPC request to the PDS ("/xrpc/NSID?query" as path) with the access token; body
 * (stolen, may be NULL) makes it a POST. Remembers it so it can be sent again after a token
 * refresh. */
static struct http_request *
xrpc(struct net_op *op, const char *path, json_t *body)
{
    struct bpriv *b = priv(op);
    struct session *s = op->acct->session;
    if (b->last_path != path) {
        free(b->last_path);
        b->last_path = xstrdup(path);
    }
    if (b->last_body != body) {
        json_decref(b->last_body);
        b->last_body = body;
    }
    char *url = xasprintf("%s%s", s->pds, path);
    struct http_request *r = net_request(op, body ? "POST" : "GET", url);
    free(url);
    http_request_bearer(r, s->access);
    if (body)
        http_request_json(r, json_incref(body));
    return r;
}

/* Stores the tokens of a createSession or refreshSession answer. Returns 0 or -1. */
static int
session_take(struct net_op *op, const json_t *j)
{
    const char *access = net_str(j, "accessJwt"), *refresh = net_str(j, "refreshJwt");
    const char *did = net_str(j, "did"), *handle = net_str(j, "handle");
    if (access == NULL || refresh == NULL || did == NULL)
        return -1;
    struct session *s = op->acct->session;
    if (s == NULL)
        s = op->acct->session = xcalloc(1, sizeof *s);
    wipe_free(s->access);
    wipe_free(s->refresh);
    s->access = xstrdup(access);
    s->refresh = xstrdup(refresh);
    op->acct->session_changed = 1;
    free(s->did);
    s->did = xstrdup(did);
    if (handle) {
        free(s->handle);
        s->handle = xstrdup(handle);
    }
    if (s->pds == NULL) {
        s->pds = xstrdup(op->acct->cfg->url);
        /* The DID document names the account's own PDS; use it when it is https. */
        size_t i;
        json_t *svc;
        json_array_foreach(json_object_get(json_object_get(j, "didDoc"), "service"), i, svc) {
            const char *id = net_str(svc, "id"), *ep = net_str(svc, "serviceEndpoint");
            if (id && ep && strcmp(id, "#atproto_pds") == 0 && strncmp(ep, "https://", 8) == 0 &&
                strlen(ep) < 512 && strpbrk(ep, "?#@ ") == NULL) {
                free(s->pds);
                s->pds = xstrndup(ep, strlen(ep) - (ep[strlen(ep) - 1] == '/'));
            }
        }
    }
    return 0;
}

/* The session as kept for the next run: whose it is and its tokens. */
static json_t *
session_export(const struct net_account *a)
{
    const struct session *s = a->session;
    if (s == NULL || s->access == NULL || s->refresh == NULL || s->did == NULL)
        return NULL;
    return json_pack("{s:i, s:s, s:s?, s:s, s:s?, s:s, s:s}", "version", 1, "url", a->cfg->url,
                     "user", a->cfg->user, "did", s->did, "handle", s->handle, "accessJwt",
                     s->access, "refreshJwt", s->refresh);
}

/* Takes a kept session when it was made for this account's url and user. */
static void
session_import(struct net_account *a, const json_t *kept)
{
    const char *url = net_str(kept, "url"), *user = net_str(kept, "user");
    const char *access = net_str(kept, "accessJwt"), *refresh = net_str(kept, "refreshJwt");
    const char *did = net_str(kept, "did"), *handle = net_str(kept, "handle");
    if (url == NULL || strcmp(url, a->cfg->url) != 0 ||
        (user ? a->cfg->user == NULL || strcmp(user, a->cfg->user) != 0 : a->cfg->user != NULL) ||
        access == NULL || refresh == NULL || did == NULL || strlen(access) > 8192 ||
        strlen(refresh) > 8192 || strlen(did) > 2048 || (handle && strlen(handle) > 256) ||
        a->session != NULL)
        return;
    struct session *s = xcalloc(1, sizeof *s);
    s->access = xstrdup(access);
    s->refresh = xstrdup(refresh);
    s->did = xstrdup(did);
    s->handle = handle ? xstrdup(handle) : NULL;
    s->kept = 1;
    a->session = s; /* pds stays unset: the refresh's answer says where it is */
}

/* Drops the session's tokens (a kept session that could not be refreshed). */
static void
session_drop(struct net_account *a)
{
    session_free(a->session);
    a->session = NULL;
}

/* A createSession request with the handle and app password. */
static struct http_request *
create_session(struct net_op *op)
{
    struct net_account *a = op->acct;
    char *url = xasprintf("%s/xrpc/com.atproto.server.createSession", a->cfg->url);
    struct http_request *r = net_request(op, "POST", url);
    free(url);
    json_t *body = json_pack("{s:s, s:s}", "identifier", a->cfg->user ? a->cfg->user : "",
                             "password", a->secret);
    http_request_json(r, json_incref(body));
    /* Jansson keeps its own copy of the password: wipe it before letting go. */
    char *pw = (char *)json_string_value(json_object_get(body, "password"));
    explicit_bzero(pw, strlen(pw));
    json_decref(body);
    http_request_retry(r, RETRY_SAFE); /* another session is harmless */
    return r;
}

/* Login: refreshSession with a session kept by an earlier run, else (or when refreshing
 * fails) createSession with the handle and app password. */
static enum http_step
check(void *ctx, const struct http_response *resp, struct http_request **next, char **err)
{
    struct net_op *op = ctx;
    struct session *s = op->acct->session;
    switch (op->state) {
    case CK_START:
        if (s && s->kept) {
            s->kept = 0;
            char *url = xasprintf("%s/xrpc/com.atproto.server.refreshSession",
                                  op->acct->cfg->url);
            struct http_request *r = net_request(op, "POST", url);
            free(url);
            http_request_bearer(r, s->refresh);
            *next = r;
            op->state = CK_REFRESH;
            return HTTP_STEP_MORE;
        }
        *next = create_session(op);
        op->state = CK_SESSION;
        return HTTP_STEP_MORE;
    case CK_REFRESH: {
        char *why = NULL;
        if (resp->error == NULL && resp->status >= 200 && resp->status <= 299 &&
            net_take(op, resp, &why) == 0)
            return HTTP_STEP_DONE;
        free(why); /* whatever went wrong, a new session is the way on */
        session_drop(op->acct);
        *next = create_session(op);
        op->state = CK_SESSION;
        return HTTP_STEP_MORE;
    }
    case CK_SESSION:
        return net_take(op, resp, err) == 0 ? HTTP_STEP_DONE : HTTP_STEP_FAIL;
    }
    return HTTP_STEP_FAIL;
}

/* Reads createSession's answer: the session, who the account is, Bluesky's limits. */
static int
read_session(struct net_op *op, json_t *j, char **err)
{
    struct net_account *a = op->acct;
    if (session_take(op, j) != 0) {
        *err = xasprintf("logging in: the answer has no session; is url a Bluesky "
                         "PDS or bsky.social?");
        return -1;
    }
    struct session *s = a->session;
    free(a->me);
    free(a->me_name);
    a->me = xstrdup(s->did);
    a->me_name = xasprintf("@%s", s->handle ? s->handle : s->did);
    json_decref(a->limits);
    a->limits = json_pack("{s:I, s:I}", "max_graphemes", (json_int_t)a->platform->max_chars,
                          "max_bytes", (json_int_t)a->platform->max_bytes);
    return 0;
}

/* Returns nonzero when resp says the access token has expired. */
static int
expired(const struct http_response *resp)
{
    if (resp == NULL || (resp->status != 400 && resp->status != 401))
        return 0;
    json_t *j = http_response_json(resp);
    const char *e = net_str(j, "error");
    int yes = e && strcmp(e, "ExpiredToken") == 0;
    json_decref(j);
    return yes;
}

/* Runs an operation's step, first refreshing the session when the last answer says the access
 * token expired, then sending that request again. */
static enum http_step
with_refresh(struct net_op *op, const struct http_response *resp, struct http_request **next,
             char **err, http_step_fn inner)
{
    struct bpriv *b = priv(op);
    struct session *s = op->acct->session;
    if (b->refreshing) {
        b->refreshing = 0;
        json_t *j = net_json(op, resp, JSON_OBJECT, "refreshing the session", err);
        if (j == NULL)
            return HTTP_STEP_FAIL;
        int bad = session_take(op, j);
        json_decref(j);
        if (bad) {
            *err = xasprintf("refreshing the session gave no tokens; sync again");
            return HTTP_STEP_FAIL;
        }
        *next = xrpc(op, b->last_path, json_incref(b->last_body));
        json_decref(b->last_body); /* xrpc kept the reference it was given */
        return HTTP_STEP_MORE;
    }
    if (expired(resp) && s && s->refresh && b->refreshes < 2 && b->last_path) {
        b->refreshes++;
        b->refreshing = 1;
        char *url = xasprintf("%s/xrpc/com.atproto.server.refreshSession", s->pds);
        struct http_request *r = net_request(op, "POST", url);
        free(url);
        http_request_bearer(r, s->refresh);
        *next = r;
        return HTTP_STEP_MORE;
    }
    return inner(op, resp, next, err);
}

char *
bluesky_web_url(const char *uri, const char *handle)
{
    static const char prefix[] = "at://";
    const char *coll = uri ? strstr(uri, "/" POST_COLLECTION "/") : NULL;
    if (uri == NULL || strncmp(uri, prefix, 5) != 0 || coll == NULL)
        return NULL;
    const char *rkey = coll + strlen("/" POST_COLLECTION "/");
    if (!net_id_safe(rkey))
        return NULL;
    char *did = xstrndup(uri + 5, (size_t)(coll - uri - 5));
    const char *who = handle && *handle && strcmp(handle, "handle.invalid") != 0 &&
                              net_id_safe(handle)
                          ? handle
                          : did;
    char *url = net_id_safe(who) ? xasprintf("https://bsky.app/profile/%s/post/%s", who, rkey)
                                 : NULL;
    free(did);
    return url;
}

/* One facet's byte range; for sorting link facets. */
struct range {
    size_t start, end;
    const char *uri;
};

/* qsort order: by start. */
static int
range_cmp(const void *a, const void *b)
{
    const struct range *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

char *
bluesky_record_text(const json_t *record)
{
    const char *text = net_str(record, "text");
    if (text == NULL)
        return xstrdup("");
    size_t len = strlen(text), n = 0;
    struct range r[MAX_FACETS];
    size_t i, k;
    json_t *f, *feat;
    json_array_foreach(json_object_get(record, "facets"), i, f) {
        if (n == MAX_FACETS)
            break;
        json_t *idx = json_object_get(f, "index");
        json_int_t s = json_integer_value(json_object_get(idx, "byteStart"));
        json_int_t e = json_integer_value(json_object_get(idx, "byteEnd"));
        json_array_foreach(json_object_get(f, "features"), k, feat) {
            const char *type = net_str(feat, "$type"), *uri = net_str(feat, "uri");
            if (type && uri && strcmp(type, "app.bsky.richtext.facet#link") == 0 && s >= 0 &&
                e > s && (size_t)e <= len && (text[s] & 0xC0) != 0x80 &&
                ((size_t)e == len || (text[e] & 0xC0) != 0x80)) {
                r[n++] = (struct range){(size_t)s, (size_t)e, uri};
                break;
            }
        }
    }
    qsort(r, n, sizeof r[0], range_cmp);
    struct buf b = {0};
    size_t at = 0;
    for (i = 0; i < n; i++) {
        if (r[i].start < at)
            continue; /* overlapping: ignore */
        buf_add(&b, text + at, r[i].start - at);
        size_t slen = r[i].end - r[i].start;
        if (strlen(r[i].uri) == slen && strncmp(text + r[i].start, r[i].uri, slen) == 0)
            buf_add(&b, text + r[i].start, slen);
        else
            buf_adds(&b, r[i].uri);
        at = r[i].end;
    }
    buf_add(&b, text + at, len - at);
    return buf_take(&b);
}

/* Characters a handle may hold. */
static const char handle_chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                   "0123456789.-";

/* Length of an @handle starting at s[0] == '@' (0 when it is not one): a dot inside, not at
 * the end. */
static size_t
mention_len(const char *s)
{
    size_t n = strspn(s + 1, handle_chars);
    while (n > 0 && (s[n] == '.' || s[n] == '-'))
        n--;
    if (n < 3 || memchr(s + 1, '.', n) == NULL || n > 253)
        return 0;
    return n + 1;
}

/* Returns nonzero when position i of text starts a word. */
static int
word_start(const char *text, size_t i)
{
    return i == 0 || strchr(" \t\n(", text[i - 1]) != NULL;
}

json_t *
bluesky_mentions(const char *text)
{
    json_t *out = json_array();
    for (size_t i = 0; text[i]; i++) {
        size_t n;
        if (text[i] == '@' && word_start(text, i) && (n = mention_len(text + i)) > 0) {
            char *h = xstrndup(text + i + 1, n - 1);
            json_array_append_new(out, json_string(h));
            free(h);
            i += n - 1;
        }
    }
    return out;
}

json_t *
bluesky_facets(const char *text, const json_t *dids, const struct platform_link *links,
               size_t nlinks)
{
    json_t *facets = json_array();
    size_t l = 0;
    for (size_t i = 0; text[i] && json_array_size(facets) < MAX_FACETS; i++) {
        while (l < nlinks && links[l].start < i)
            l++;
        if (l < nlinks && links[l].start == i) {
            json_array_append_new(
                facets, json_pack("{s:{s:I, s:I}, s:[{s:s, s:s}]}", "index", "byteStart",
                                  (json_int_t)i, "byteEnd", (json_int_t)links[l].end,
                                  "features", "$type", "app.bsky.richtext.facet#link", "uri",
                                  links[l].uri));
            i = links[l].end - 1;
            continue;
        }
        size_t n;
        if (text[i] == '@' && word_start(text, i) && (n = mention_len(text + i)) > 0) {
            char *h = xstrndup(text + i + 1, n - 1);
            const char *did = net_str(dids, h);
            if (did)
                json_array_append_new(
                    facets, json_pack("{s:{s:I, s:I}, s:[{s:s, s:s}]}", "index", "byteStart",
                                      (json_int_t)i, "byteEnd", (json_int_t)(i + n), "features",
                                      "$type", "app.bsky.richtext.facet#mention", "did", did));
            free(h);
            i += n - 1;
        }
    }
    if (json_array_size(facets) == 0) {
        json_decref(facets);
        return NULL;
    }
    return facets;
}

void
bluesky_tid(uint64_t micros, unsigned clock_id, char out[14])
{
    static const char alphabet[] = "234567abcdefghijklmnopqrstuvwxyz";
    uint64_t v = ((micros & ((UINT64_C(1) << 53) - 1)) << 10) | (clock_id & 1023u);
    for (int i = 12; i >= 0; i--) {
        out[i] = alphabet[v & 31];
        v >>= 5;
    }
    out[13] = '\0';
}

void
bluesky_reply_rkey(long outbox_id, const char *created_at, char out[14])
{
    time_t t = 0;
    if (created_at == NULL || isotime_parse(created_at, &t) != 0)
        t = 0;
    uint64_t micros = (uint64_t)t * 1000000u + (uint64_t)(outbox_id % 1000000);
    bluesky_tid(micros, (unsigned)((outbox_id / 1000000) % 1024), out);
}

/* Whether an embed's $type is name, as a view ("...#view") or as the record's own embed. */
static int
embed_is(const char *type, const char *name)
{
    size_t n = strlen(name);
    return type && strncmp(type, name, n) == 0 && (type[n] == '\0' || strcmp(type + n, "#view") == 0);
}

/* Puts an embed's media (images, a video) into meta; from a view or from the record. */
static void
bluesky_embed_media(const json_t *e, json_t *meta)
{
    const char *type = net_str(e, "$type");
    size_t i;
    json_t *img;
    if (embed_is(type, "app.bsky.embed.images")) {
        json_array_foreach(json_object_get(e, "images"), i, img)
            net_extras_media(meta, "image", net_str(img, "alt"), net_str(img, "fullsize"));
    } else if (embed_is(type, "app.bsky.embed.video")) {
        net_extras_media(meta, "video", net_str(e, "alt"), net_str(e, "playlist"));
    } else if (embed_is(type, "app.bsky.embed.external")) {
        const json_t *x = json_object_get(e, "external");
        net_extras_card(meta, net_str(x, "title"), net_str(x, "uri"), net_str(x, "description"));
    }
}

/* Puts a quoted record into meta: a post (viewRecord, or a bare strong reference from the
 * record), or why it cannot be shown. */
static void
bluesky_embed_quote(const json_t *rec, json_t *meta)
{
    const char *type = net_str(rec, "$type");
    static const struct {
        const char *suffix, *state;
    } gone[] = {{"#viewNotFound", "deleted"},
                {"#viewBlocked", "blocked"},
                {"#viewDetached", "detached by its author"}};
    for (size_t i = 0; type && i < sizeof gone / sizeof gone[0]; i++) {
        size_t tl = strlen(type), sl = strlen(gone[i].suffix);
        if (tl >= sl && strcmp(type + tl - sl, gone[i].suffix) == 0) {
            net_extras_quote(meta, NULL, NULL, NULL, gone[i].state);
            return;
        }
    }
    const char *uri = net_str(rec, "uri");
    const json_t *author = json_object_get(rec, "author");
    const char *handle = net_str(author, "handle");
    char *who = handle ? xasprintf("@%s", handle) : NULL;
    const json_t *value = json_object_get(rec, "value");
    const char *text = net_str(value, "text");
    if (text == NULL)
        text = net_str(rec, "displayName"); /* a feed, list or starter pack */
    char *url = bluesky_web_url(uri, handle);
    net_extras_quote(meta, who, text, url ? url : uri, NULL);
    free(url);
    free(who);
}

/* Puts a post's extras into meta: its labels (the author's self-labels and those of labelers),
 * media with their alt text, a quoted post and a link card, from the view's embed when there
 * is one, else from the record's, all bounded (net/extras.h). */
static void
bluesky_media_meta(const json_t *v, const json_t *rec, json_t *meta)
{
    size_t i;
    json_t *l;
    json_array_foreach(json_object_get(v, "labels"), i, l) net_extras_label(meta, net_str(l, "val"));
    json_array_foreach(json_object_get(json_object_get(rec, "labels"), "values"), i, l)
        net_extras_label(meta, net_str(l, "val"));
    const json_t *e = json_object_get(v, "embed");
    if (!json_is_object(e))
        e = json_object_get(rec, "embed");
    const char *type = net_str(e, "$type");
    if (embed_is(type, "app.bsky.embed.record")) {
        bluesky_embed_quote(json_object_get(e, "record"), meta);
    } else if (embed_is(type, "app.bsky.embed.recordWithMedia")) {
        const json_t *r = json_object_get(json_object_get(e, "record"), "record");
        bluesky_embed_quote(r, meta);
        bluesky_embed_media(json_object_get(e, "media"), meta);
    } else if (json_is_object(e)) {
        bluesky_embed_media(e, meta);
    }
    net_extras_fit(meta);
}

/* Turns a post (a PostView, or a notification: both have uri, cid, author, record and
 * indexedAt) into a post of thread root (NULL: from its record's reply.root). Returns 0, or -1
 * when it lacks what a post needs. */
static int
view_post(struct net_op *op, const json_t *v, const char *root, struct net_post *p)
{
    memset(p, 0, sizeof *p);
    const char *uri = net_str(v, "uri"), *cid = net_str(v, "cid");
    const json_t *author = json_object_get(v, "author");
    const json_t *rec = json_object_get(v, "record");
    const char *did = net_str(author, "did"), *handle = net_str(author, "handle");
    const char *rtype = net_str(rec, "$type");
    if (uri == NULL || did == NULL || !json_is_object(rec) ||
        (rtype && strcmp(rtype, POST_COLLECTION) != 0))
        return -1;
    char created[24];
    if (net_time(net_str(rec, "createdAt"), created) != 0 &&
        net_time(net_str(v, "indexedAt"), created) != 0)
        return -1;
    const json_t *reply = json_object_get(rec, "reply");
    const char *root_uri = net_str(json_object_get(reply, "root"), "uri");
    const char *parent_uri = net_str(json_object_get(reply, "parent"), "uri");
    p->id = xstrdup(uri);
    p->thread = xstrdup(root ? root : root_uri ? root_uri : uri);
    p->parent = parent_uri ? xstrdup(parent_uri) : NULL;
    p->author = xasprintf("@%s", handle && strcmp(handle, "handle.invalid") ? handle : did);
    const char *dn = net_str(author, "displayName");
    p->author_name = xstrdup(dn && *dn ? dn : handle ? handle : did);
    p->created_at = xstrdup(created);
    p->text = bluesky_record_text(rec);
    p->url = bluesky_web_url(uri, handle);
    p->own = op->acct->me && strcmp(did, op->acct->me) == 0;
    json_t *meta = json_pack("{s:s?, s:s, s:s?}", "cid", cid, "did", did, "indexed_at",
                             net_str(v, "indexedAt"));
    json_t *r = json_object_get(reply, "root");
    if (net_str(r, "uri") && net_str(r, "cid"))
        json_object_set_new(meta, "root", json_pack("{s:s, s:s}", "uri", net_str(r, "uri"), "cid",
                                                    net_str(r, "cid")));
    bluesky_media_meta(v, rec, meta);
    p->meta = json_dumps(meta, JSON_COMPACT);
    json_decref(meta);
    return 0;
}

/* Notes a thread node that stands for a post gone from the account's view: deleted
 * (notFoundPost) or hidden by a block (blockedPost). Returns nonzero when node was one. */
static int
note_gone(struct net_op *op, const json_t *node)
{
    const char *type = net_str(node, "$type");
    const char *uri = net_str(node, "uri");
    if (type == NULL || uri == NULL)
        return 0;
    if (strcmp(type, "app.bsky.feed.defs#notFoundPost") == 0) {
        net_marks_add(&op->res.gone, uri, "deleted on Bluesky");
        return 1;
    }
    if (strcmp(type, "app.bsky.feed.defs#blockedPost") == 0) {
        net_marks_add(&op->res.gone, uri, "hidden on Bluesky by a block between its author "
                                          "and the account");
        return 1;
    }
    return 0;
}

/* Notes whether the thread whose root is root takes replies from the account: Bluesky sets
 * viewer.replyDisabled on its posts when a threadgate (the author's limit on who may reply)
 * leaves the account out. */
static void
note_reply_gate(struct net_op *op, const json_t *j, const char *root)
{
    const json_t *node = json_object_get(j, "thread");
    const json_t *post = json_object_get(node, "post");
    const json_t *viewer = json_object_get(post, "viewer");
    const char *uri = net_str(post, "uri");
    if (root == NULL || uri == NULL || strcmp(uri, root) != 0)
        return;
    if (json_is_true(json_object_get(viewer, "replyDisabled")))
        net_marks_add(&op->res.refusals, root,
                      json_is_object(json_object_get(j, "threadgate"))
                          ? "its author limits who can reply on Bluesky (a threadgate), and "
                            "the account is not among them"
                          : "Bluesky does not let the account reply to it");
    else
        net_marks_add(&op->res.refusals, root, NULL);
}

/* Adds a thread view and its replies to the batch, depth-first, bounded. */
static void
add_thread(struct net_op *op, const json_t *node, const char *root, int depth)
{
    const char *type = net_str(node, "$type");
    if (depth <= THREAD_DEPTH && note_gone(op, node))
        return;
    if (depth > THREAD_DEPTH || (type && strcmp(type, "app.bsky.feed.defs#threadViewPost") != 0))
        return;
    struct net_post p;
    if (view_post(op, json_object_get(node, "post"), root, &p) == 0 &&
        net_batch_add(&op->res.batch, &p) != 0)
        return;
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(node, "replies"), i, r) add_thread(op, r, root, depth + 1);
}

/* Asks once for the posts that the threads read lacked (getPosts answers those that still
 * exist); returns HTTP_STEP_DONE when there are none, or they were asked for already. */
static enum http_step
ask_missing(struct net_op *op, struct http_request **next)
{
    struct bpriv *b = priv(op);
    if (b->missing)
        return HTTP_STEP_DONE;
    b->missing = net_missing(op, b->reread);
    if (json_array_size(b->missing) == 0)
        return HTTP_STEP_DONE;
    struct buf q = {0};
    buf_adds(&q, "/xrpc/app.bsky.feed.getPosts?");
    size_t i;
    json_t *v;
    json_array_foreach(b->missing, i, v) {
        char *e = http_escape(json_string_value(json_array_get(v, 1)));
        buf_printf(&q, "%suris=%s", i ? "&" : "", e);
        free(e);
    }
    *next = xrpc(op, q.data, NULL);
    buf_free(&q);
    op->state = FN_CONFIRM;
    return HTTP_STEP_MORE;
}

/* Reads getPosts' answer: the posts asked for that it does not return are gone. */
static int
read_found_posts(struct net_op *op, json_t *j, char **err)
{
    struct bpriv *b = priv(op);
    (void)err;
    const json_t *posts = json_object_get(j, "posts");
    size_t i, k;
    json_t *v, *p;
    json_array_foreach(b->missing, i, v) {
        const char *uri = json_string_value(json_array_get(v, 1));
        int found = 0;
        json_array_foreach(posts, k, p) {
            const char *u = net_str(p, "uri");
            found |= u && uri && strcmp(u, uri) == 0;
        }
        if (uri && !found)
            net_marks_add(&op->res.gone, uri, "deleted on Bluesky");
    }
    return 0;
}

/* Asks for the next thread root not read yet, or finishes with the new cursor. */
static enum http_step
next_root(struct net_op *op, struct http_request **next)
{
    struct bpriv *b = priv(op);
    while (b->next_root < json_array_size(b->roots) && b->next_root < NET_MAX_THREADS) {
        const char *root = json_string_value(json_array_get(b->roots, b->next_root++));
        char *q = http_escape(root);
        char *path = xasprintf("/xrpc/app.bsky.feed.getPostThread?uri=%s&depth=%d&parentHeight=0",
                               q, THREAD_DEPTH);
        *next = xrpc(op, path, NULL);
        free(path);
        free(q);
        op->state = FN_THREAD;
        return HTTP_STEP_MORE;
    }
    if (ask_missing(op, next) == HTTP_STEP_MORE)
        return HTTP_STEP_MORE;
    if (b->newest_at && b->newest_uri) {
        json_t *c = json_pack("{s:s, s:s}", "indexed_at", b->newest_at, "uri", b->newest_uri);
        op->res.cursor = json_dumps(c, JSON_COMPACT);
        json_decref(c);
    }
    return HTTP_STEP_DONE;
}

/* Asks for a page of notifications. */
static struct http_request *
notifications(struct net_op *op, const char *cursor)
{
    char *q = cursor ? http_escape(cursor) : NULL;
    char *path = xasprintf("/xrpc/app.bsky.notification.listNotifications?limit=%d"
                           "&reasons=mention&reasons=reply&reasons=quote%s%s",
                           PAGE_LIMIT, q ? "&cursor=" : "", q ? q : "");
    struct http_request *r = xrpc(op, path, NULL);
    free(path);
    free(q);
    return r;
}

/* Adds the recent threads to read again (op->recheck) to the roots to read, each once. */
static void
add_rechecks(struct net_op *op)
{
    struct bpriv *b = priv(op);
    for (size_t i = 0; i < op->nrecheck && json_array_size(b->roots) < NET_MAX_THREADS; i++) {
        int known = 0;
        for (size_t k = 0; k < json_array_size(b->roots) && !known; k++)
            known = strcmp(json_string_value(json_array_get(b->roots, k)), op->recheck[i]) == 0;
        if (!known)
            json_array_append_new(b->roots, json_string(op->recheck[i]));
    }
}

/* A thread asked for was not found: when Bluesky says so (NotFound), its root is gone. */
static void
root_not_found(struct net_op *op, const struct http_response *resp)
{
    struct bpriv *b = priv(op);
    json_t *j = http_response_json(resp);
    const char *e = net_str(j, "error");
    const char *root = b->next_root > 0
                           ? json_string_value(json_array_get(b->roots, b->next_root - 1))
                           : NULL;
    if (root && e && strcmp(e, "NotFound") == 0)
        net_marks_add(&op->res.gone, root, "deleted on Bluesky");
    json_decref(j);
}

/* Fetch new: notification pages from the newest back to the last one already read, then the
 * whole thread of each. */
static enum http_step
fetch_new_steps(void *ctx, const struct http_response *resp, struct http_request **next,
                char **err)
{
    struct net_op *op = ctx;
    struct bpriv *b = priv(op);
    switch (op->state) {
    case FN_START: {
        json_t *c = op->cursor ? json_loads(op->cursor, 0, NULL) : NULL;
        if (net_str(c, "indexed_at") && net_str(c, "uri")) {
            b->stop_at = xstrdup(net_str(c, "indexed_at"));
            b->stop_uri = xstrdup(net_str(c, "uri"));
        }
        json_decref(c);
        b->first_sync = b->stop_at == NULL;
        b->roots = json_array();
        *next = notifications(op, NULL);
        op->state = FN_PAGE;
        return HTTP_STEP_MORE;
    }
    case FN_PAGE: {
        if (net_take(op, resp, err) != 0)
            return HTTP_STEP_FAIL;
        op->pages++;
        const char *cursor = b->page_cursor;
        int limit = b->first_sync ? NET_MAX_FIRST_PAGES : NET_MAX_PAGES;
        if (!b->reached && cursor && b->page_count > 0 && op->pages < limit) {
            *next = notifications(op, cursor);
            return HTTP_STEP_MORE;
        }
        if (!b->reached && !b->first_sync && cursor && op->pages >= limit)
            op->res.note = xasprintf("read the newest %d pages of notifications; older ones "
                                     "since the last sync were skipped", limit);
        add_rechecks(op);
        return next_root(op, next);
    }
    case FN_THREAD:
        if (resp->status == 400 || resp->status == 404) { /* NotFound: keep what we have */
            root_not_found(op, resp);
            return next_root(op, next);
        }
        if (net_take(op, resp, err) != 0)
            return HTTP_STEP_FAIL;
        return next_root(op, next);
    case FN_CONFIRM:
        /* Not knowing which exist, mark none: the next sync looks again. */
        if (resp->status / 100 == 2 && net_take(op, resp, err) != 0)
            return HTTP_STEP_FAIL;
        return next_root(op, next);
    }
    return HTTP_STEP_FAIL;
}

/* Reads a page of notifications down to the newest one already read: the mentions, replies
 * and quotes into the batch, their threads' roots to read, where the next page starts. */
static int
read_notifications(struct net_op *op, json_t *j, char **err)
{
    struct bpriv *b = priv(op);
    if (b->roots == NULL)
        b->roots = json_array();
    b->reached = 0;
    size_t i;
    json_t *n;
    json_array_foreach(json_object_get(j, "notifications"), i, n) {
        const char *at = net_str(n, "indexedAt"), *uri = net_str(n, "uri");
        const char *reason = net_str(n, "reason");
        if (at == NULL || uri == NULL)
            continue;
        if (b->stop_at && (strcmp(at, b->stop_at) < 0 || strcmp(uri, b->stop_uri) == 0)) {
            b->reached = 1;
            break;
        }
        if (b->newest_at == NULL || strcmp(at, b->newest_at) > 0) {
            free(b->newest_at);
            free(b->newest_uri);
            b->newest_at = xstrdup(at);
            b->newest_uri = xstrdup(uri);
        }
        if (reason == NULL || (strcmp(reason, "mention") && strcmp(reason, "reply") &&
                               strcmp(reason, "quote")))
            continue;
        struct net_post p;
        if (view_post(op, n, NULL, &p) != 0)
            continue;
        int known = 0;
        for (size_t k = 0; k < json_array_size(b->roots) && !known; k++)
            known = strcmp(json_string_value(json_array_get(b->roots, k)), p.thread) == 0;
        if (!known && json_array_size(b->roots) < NET_MAX_THREADS)
            json_array_append_new(b->roots, json_string(p.thread));
        if (net_batch_add(&op->res.batch, &p) != 0) {
            *err = xasprintf("more than %d posts at once; sync again to read the rest",
                             NET_MAX_POSTS);
            return -1;
        }
    }
    const char *cursor = net_str(j, "cursor");
    free(b->page_cursor);
    b->page_cursor = cursor ? xstrdup(cursor) : NULL;
    b->page_count = json_array_size(json_object_get(j, "notifications"));
    return 0;
}

/* Reads the thread of the root fetch_new asked for last. */
static int
read_root_thread(struct net_op *op, json_t *j, char **err)
{
    struct bpriv *b = priv(op);
    (void)err;
    const char *root = b->next_root > 0
                           ? json_string_value(json_array_get(b->roots, b->next_root - 1))
                           : NULL;
    const json_t *node = json_object_get(j, "thread");
    add_thread(op, node, root, 0);
    note_reply_gate(op, j, root);
    const char *type = net_str(node, "$type");
    if (root && type && strcmp(type, "app.bsky.feed.defs#threadViewPost") == 0) {
        if (b->reread == NULL)
            b->reread = json_object();
        json_object_set_new(b->reread, root, json_true());
    }
    return 0;
}

/* Reads the thread fetch_thread asked for. */
static int
read_thread(struct net_op *op, json_t *j, char **err)
{
    (void)err;
    add_thread(op, json_object_get(j, "thread"), op->root, 0);
    note_reply_gate(op, j, op->root);
    return 0;
}

/* Fetch a thread: getPostThread of the root. */
static enum http_step
fetch_thread_steps(void *ctx, const struct http_response *resp, struct http_request **next,
                   char **err)
{
    struct net_op *op = ctx;
    if (op->state == FT_START) {
        char *q = http_escape(op->root);
        char *path = xasprintf("/xrpc/app.bsky.feed.getPostThread?uri=%s&depth=%d&parentHeight=0",
                               q, THREAD_DEPTH);
        *next = xrpc(op, path, NULL);
        free(path);
        free(q);
        op->state = FT_THREAD;
        return HTTP_STEP_MORE;
    }
    return net_take(op, resp, err) == 0 ? HTTP_STEP_DONE : HTTP_STEP_FAIL;
}

/* Records the reply found or created as uri/cid with text, in the result and the batch. */
static void
reply_result(struct net_op *op, const char *uri, const char *cid, const char *text,
             const char *created)
{
    const struct net_reply *r = op->reply;
    struct session *s = op->acct->session;
    json_t *pm = r->parent_meta ? json_loads(r->parent_meta, 0, NULL) : NULL;
    json_t *root = json_object_get(pm, "root");
    json_t *meta = json_pack("{s:s, s:s}", "cid", cid, "did", s->did);
    if (net_str(root, "uri"))
        json_object_set(meta, "root", root);
    else if (net_str(pm, "cid"))
        json_object_set_new(meta, "root", json_pack("{s:s, s:s}", "uri", r->in_reply_to, "cid",
                                                    net_str(pm, "cid")));
    struct net_post p = {0};
    char norm[24];
    p.id = xstrdup(uri);
    p.thread = xstrdup(r->root);
    p.parent = xstrdup(r->in_reply_to);
    p.author = xasprintf("@%s", s->handle ? s->handle : s->did);
    p.author_name = xstrdup(s->handle ? s->handle : s->did);
    if (net_time(created, norm) != 0)
        isotime_now(norm);
    p.created_at = xstrdup(norm);
    p.text = xstrdup(text ? text : r->body);
    p.url = bluesky_web_url(uri, s->handle);
    p.own = 1;
    p.meta = json_dumps(meta, JSON_COMPACT);
    json_decref(meta);
    json_decref(pm);
    op->res.remote_id = xstrdup(uri);
    op->res.remote_url = p.url ? xstrdup(p.url) : NULL;
    net_batch_add(&op->res.batch, &p);
}

/* Find our reply: the record under the key derived from the outbox row, read straight from
 * our own repository (no index lag). */
static enum http_step
find_reply_steps(void *ctx, const struct http_response *resp, struct http_request **next,
                 char **err)
{
    struct net_op *op = ctx;
    struct bpriv *b = priv(op);
    struct session *s = op->acct->session;
    if (op->state == FR_START) {
        bluesky_reply_rkey(op->reply->outbox_id, op->reply->created_at, b->rkey);
        char *did = http_escape(s->did);
        char *path = xasprintf("/xrpc/com.atproto.repo.getRecord?repo=%s&collection="
                               POST_COLLECTION "&rkey=%s", did, b->rkey);
        *next = xrpc(op, path, NULL);
        free(path);
        free(did);
        op->state = FR_RECORD;
        return HTTP_STEP_MORE;
    }
    if (resp->status == 400 || resp->status == 404) {
        json_t *j = http_response_json(resp);
        const char *e = net_str(j, "error");
        int missing = resp->status == 404 || (e && strcmp(e, "RecordNotFound") == 0);
        json_decref(j);
        if (missing)
            return HTTP_STEP_DONE;
    }
    return net_take(op, resp, err) == 0 ? HTTP_STEP_DONE : HTTP_STEP_FAIL;
}

/* Reads getRecord's answer: the reply an earlier attempt created. */
static int
read_record(struct net_op *op, json_t *j, char **err)
{
    (void)err;
    const char *uri = net_str(j, "uri"), *cid = net_str(j, "cid");
    json_t *value = json_object_get(j, "value");
    if (uri && cid) {
        op->res.found = 1;
        reply_result(op, uri, cid, net_str(value, "text"), net_str(value, "createdAt"));
    }
    return 0;
}

/* Builds and sends the createRecord for the reply. */
static enum http_step
create_record(struct net_op *op, struct http_request **next, char **err)
{
    struct bpriv *b = priv(op);
    const struct net_reply *r = op->reply;
    struct session *s = op->acct->session;
    json_t *pm = r->parent_meta ? json_loads(r->parent_meta, 0, NULL) : NULL;
    const char *pcid = net_str(pm, "cid");
    if (pcid == NULL) {
        json_decref(pm);
        *err = xasprintf("the cache lacks what Bluesky needs to reply to this post (its "
                         "cid); run `tactful sync %s` first",
                         op->acct->cfg->name);
        return HTTP_STEP_FAIL;
    }
    json_t *parent = json_pack("{s:s, s:s}", "uri", r->in_reply_to, "cid", pcid);
    json_t *root = json_object_get(pm, "root");
    root = net_str(root, "uri") && net_str(root, "cid") ? json_deep_copy(root)
                                                         : json_deep_copy(parent);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    char created[40], sec[24];
    strftime(sec, sizeof sec, "%Y-%m-%dT%H:%M:%S", gmtime(&ts.tv_sec));
    snprintf(created, sizeof created, "%s.%03ldZ", sec, ts.tv_nsec / 1000000);
    struct platform_link *links;
    size_t nlinks;
    char *text = platform_send_text(op->acct->platform, r->body, strlen(r->body), &links,
                                    &nlinks);
    json_t *record = json_pack("{s:s, s:s, s:s, s:{s:o, s:o}}", "$type", POST_COLLECTION, "text",
                               text, "createdAt", created, "reply", "root", root, "parent",
                               parent);
    if (record == NULL) {
        platform_links_free(links, nlinks);
        free(text);
        json_decref(pm);
        *err = xstrdup("the reply's text is not valid UTF-8, so Bluesky cannot take it; "
                       "edit the draft and submit it again");
        return HTTP_STEP_FAIL;
    }
    json_t *facets = bluesky_facets(text, b->dids, links, nlinks);
    platform_links_free(links, nlinks);
    free(text);
    if (facets)
        json_object_set_new(record, "facets", facets);
    if (op->acct->cfg->language)
        json_object_set_new(record, "langs", json_pack("[s]", op->acct->cfg->language));
    json_decref(pm);
    bluesky_reply_rkey(r->outbox_id, r->created_at, b->rkey);
    json_t *body = json_pack("{s:s, s:s, s:s, s:o}", "repo", s->did, "collection",
                             POST_COLLECTION, "rkey", b->rkey, "record", record);
    *next = xrpc(op, "/xrpc/com.atproto.repo.createRecord", body);
    op->state = PR_CREATED;
    return HTTP_STEP_MORE;
}

/* Asks for the DID of the next mentioned handle, or sends the record. */
static enum http_step
next_handle(struct net_op *op, struct http_request **next, char **err)
{
    struct bpriv *b = priv(op);
    if (b->next_handle < json_array_size(b->handles) && b->next_handle < MAX_FACETS) {
        const char *h = json_string_value(json_array_get(b->handles, b->next_handle++));
        char *q = http_escape(h);
        char *path = xasprintf("/xrpc/com.atproto.identity.resolveHandle?handle=%s", q);
        *next = xrpc(op, path, NULL);
        free(path);
        free(q);
        op->state = PR_RESOLVE;
        return HTTP_STEP_MORE;
    }
    return create_record(op, next, err);
}

/* Post a reply: check the limits, resolve mentioned handles, createRecord. */
static enum http_step
post_reply_steps(void *ctx, const struct http_response *resp, struct http_request **next,
                 char **err)
{
    struct net_op *op = ctx;
    struct bpriv *b = priv(op);
    const struct net_reply *r = op->reply;
    switch (op->state) {
    case PR_START: {
        const struct platform *plat = op->acct->platform;
        long g = platform_length(plat, r->body, strlen(r->body), 0);
        long bytes = platform_bytes(plat, r->body, strlen(r->body)); /* links short */
        if (g > plat->max_chars || bytes > plat->max_bytes) {
            *err = xasprintf("the reply is %ld characters (%ld bytes); Bluesky allows %ld "
                             "characters and %ld bytes, so shorten it", g,
                             bytes, plat->max_chars, plat->max_bytes);
            return HTTP_STEP_FAIL;
        }
        b->handles = bluesky_mentions(r->body);
        b->dids = json_object();
        return next_handle(op, next, err);
    }
    case PR_RESOLVE:
        if (resp->status == 200 && net_take(op, resp, err) != 0) {
            free(*err); /* an unknown handle just gets no facet */
            *err = NULL;
        }
        return next_handle(op, next, err);
    case PR_CREATED:
        return net_take(op, resp, err) == 0 ? HTTP_STEP_DONE : HTTP_STEP_FAIL;
    }
    return HTTP_STEP_FAIL;
}

/* Reads resolveHandle's answer: the DID of the handle asked for last. */
static int
read_resolved(struct net_op *op, json_t *j, char **err)
{
    struct bpriv *b = priv(op);
    (void)err;
    const char *did = net_str(j, "did");
    const char *handle = b->next_handle > 0
                             ? json_string_value(json_array_get(b->handles, b->next_handle - 1))
                             : NULL;
    if (did && handle && strncmp(did, "did:", 4) == 0) {
        if (b->dids == NULL)
            b->dids = json_object();
        json_object_set_new(b->dids, handle, json_string(did));
    }
    return 0;
}

/* Reads createRecord's answer: the new post's uri and cid. */
static int
read_created(struct net_op *op, json_t *j, char **err)
{
    const char *uri = net_str(j, "uri"), *cid = net_str(j, "cid");
    if (uri == NULL || cid == NULL) {
        *err = xasprintf("the server's answer lacks the new post's uri; the reply may "
                         "have been posted, so it will be looked for before any retry");
        return -1;
    }
    reply_result(op, uri, cid, op->reply->body, NULL);
    return 0;
}

/* Every answer the steps read, by operation and state. */
static const struct net_reader readers[] = {
    {NET_CHECK, CK_SESSION, JSON_OBJECT, "logging in", read_session},
    {NET_CHECK, CK_REFRESH, JSON_OBJECT, "refreshing the kept session", read_session},
    {NET_FETCH_NEW, FN_PAGE, JSON_OBJECT, "reading notifications", read_notifications},
    {NET_FETCH_NEW, FN_THREAD, JSON_OBJECT, "reading a thread", read_root_thread},
    {NET_FETCH_NEW, FN_CONFIRM, JSON_OBJECT, "looking up posts missing from their threads",
     read_found_posts},
    {NET_FETCH_THREAD, FT_THREAD, JSON_OBJECT, "reading a thread", read_thread},
    {NET_FIND_REPLY, FR_RECORD, JSON_OBJECT, "looking for an earlier reply", read_record},
    {NET_POST_REPLY, PR_RESOLVE, JSON_OBJECT, "resolving a mentioned handle", read_resolved},
    {NET_POST_REPLY, PR_CREATED, JSON_OBJECT, "sending the reply", read_created},
};

/* The table entries: each operation's steps behind the session refresh. */
static enum http_step
fetch_new(void *ctx, const struct http_response *resp, struct http_request **next, char **err)
{
    return with_refresh(ctx, resp, next, err, fetch_new_steps);
}

static enum http_step
fetch_thread(void *ctx, const struct http_response *resp, struct http_request **next,
             char **err)
{
    return with_refresh(ctx, resp, next, err, fetch_thread_steps);
}

static enum http_step
find_reply(void *ctx, const struct http_response *resp, struct http_request **next, char **err)
{
    return with_refresh(ctx, resp, next, err, find_reply_steps);
}

static enum http_step
post_reply(void *ctx, const struct http_response *resp, struct http_request **next, char **err)
{
    return with_refresh(ctx, resp, next, err, post_reply_steps);
}

const struct net_adapter bluesky_adapter = {
    .platform = "bluesky",
    .readers = readers,
    .nreaders = sizeof readers / sizeof readers[0],
    .check = check,
    .fetch_new = fetch_new,
    .fetch_thread = fetch_thread,
    .find_reply = find_reply,
    .post_reply = post_reply,
    .op_free = bluesky_op_free,
    .session_free = session_free,
    .session_secrets = session_secrets,
    .session_export = session_export,
    .session_import = session_import,
};
