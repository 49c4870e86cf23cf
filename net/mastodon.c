/* Mastodon's REST API: the adapter for the "mastodon" entry of model/platform_list.h. */
#include "net/mastodon.h"

#include "model/cw.h"
#include "model/xmalloc.h"
#include "net/extras.h"
#include "net/html.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PAGE_LIMIT 80
#define CONTEXTS_AT_ONCE 6   /* threads read at once for one account: a few connections */

/* The operation's scratch. */
struct mpriv {
    json_t *pending;     /* mention statuses whose threads are still to be read */
    size_t next;         /* the next of them */
    json_t *current;     /* the status whose context was asked for */
    json_t *asked;       /* contexts in flight: request URL -> its status, or (a string) the
                            root of a recent thread read again */
    size_t next_recheck; /* the next of op->recheck */
    json_t *reread;      /* roots of recent threads read again in full -> true */
    json_t *missing;     /* [root, id] of known posts those threads lacked, to look up */
    size_t next_missing;
    char *newest;        /* newest notification id seen */
    int reading_older;   /* first sync: paging back in time through rel="next" */
    size_t page_count;   /* notifications on the last page read */
    char *sent_text;     /* post_reply: the text as sent */
};

enum { CK_START, CK_VERIFY, CK_INSTANCE2, CK_INSTANCE1 };
enum { FN_START, FN_PAGE, FN_CONTEXT, FN_CONFIRM };
enum { FT_START, FT_ROOT, FT_CONTEXT };
enum { FR_START, FR_CONTEXT };
enum { PR_START, PR_SENT };

static struct mpriv *
priv(struct net_op *op)
{
    if (op->priv == NULL)
        op->priv = xcalloc(1, sizeof(struct mpriv));
    return op->priv;
}

/* Frees the operation's scratch. */
static void
mastodon_op_free(struct net_op *op)
{
    struct mpriv *m = op->priv;
    if (m == NULL)
        return;
    json_decref(m->pending);
    json_decref(m->current);
    json_decref(m->asked);
    json_decref(m->reread);
    json_decref(m->missing);
    free(m->newest);
    free(m->sent_text);
    free(m);
    op->priv = NULL;
}

/* An authenticated request to the account's server; path starts with '/'. */
static struct http_request *
api(const struct net_op *op, const char *method, const char *path)
{
    char *url = xasprintf("%s%s", op->acct->cfg->url, path);
    struct http_request *r = net_request(op, method, url);
    free(url);
    http_request_bearer(r, op->acct->secret);
    return r;
}

/* An authenticated GET of a full URL given by the server (a Link header). */
static struct http_request *
api_url(const struct net_op *op, const char *url)
{
    struct http_request *r = net_request(op, "GET", url);
    http_request_bearer(r, op->acct->secret);
    return r;
}

char *
mastodon_cursor_min_id(const char *cursor)
{
    if (cursor == NULL)
        return NULL;
    json_t *j = json_loads(cursor, 0, NULL);
    const char *id = net_str(j, "min_id");
    char *out = id && net_id_safe(id) ? xstrdup(id) : NULL;
    json_decref(j);
    return out;
}

char *
mastodon_cursor_make(const char *min_id)
{
    json_t *j = json_pack("{s:s}", "min_id", min_id);
    char *s = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    return s;
}

/* Reads verify_credentials: who the account is. */
static int
read_verify(struct net_op *op, json_t *j, char **err)
{
    struct net_account *a = op->acct;
    char *id = net_id(j, "id");
    const char *acct = net_str(j, "acct");
    if (id == NULL || acct == NULL) {
        free(id);
        *err = xasprintf("verify_credentials gave no account id; is url a Mastodon server?");
        return -1;
    }
    free(a->me);
    free(a->me_name);
    a->me = id;
    char *host = net_host(op);
    a->me_name = strchr(acct, '@') ? xasprintf("@%s", acct) : xasprintf("@%s@%s", acct, host);
    free(host);
    return 0;
}

/* Reads the instance's limits (v2 or v1), with defaults for what it leaves out. */
static int
read_instance(struct net_op *op, json_t *j, char **err)
{
    struct net_account *a = op->acct;
    (void)err;
    json_t *st = json_object_get(json_object_get(j, "configuration"), "statuses");
    json_int_t max = json_integer_value(json_object_get(st, "max_characters"));
    json_int_t url = json_integer_value(json_object_get(st, "characters_reserved_per_url"));
    json_decref(a->limits);
    a->limits = json_pack("{s:I, s:I}", "max_characters",
                          max > 0 && max < 1000000 ? max : (json_int_t)a->platform->max_chars,
                          "characters_per_url",
                          url > 0 && url < 1000 ? url : (json_int_t)a->platform->url_chars);
    return 0;
}

/* Login: verify_credentials for who we are, then the instance's limits. */
static enum http_step
check(void *ctx, const struct http_response *resp, struct http_request **next, char **err)
{
    struct net_op *op = ctx;
    switch (op->state) {
    case CK_START:
        op->state = CK_VERIFY;
        *next = api(op, "GET", "/api/v1/accounts/verify_credentials");
        return HTTP_STEP_MORE;
    case CK_VERIFY:
        if (net_take(op, resp, err) != 0)
            return HTTP_STEP_FAIL;
        op->state = CK_INSTANCE2;
        *next = api(op, "GET", "/api/v2/instance");
        return HTTP_STEP_MORE;
    case CK_INSTANCE2:
    case CK_INSTANCE1:
        if (op->state == CK_INSTANCE2 && resp->status == 404) {
            op->state = CK_INSTANCE1; /* before Mastodon 4.0 */
            *next = api(op, "GET", "/api/v1/instance");
            return HTTP_STEP_MORE;
        }
        return net_take(op, resp, err) == 0 ? HTTP_STEP_DONE : HTTP_STEP_FAIL;
    }
    return HTTP_STEP_FAIL;
}

/* Puts a status's extras into meta: its content warning, media with their alt text, the
 * status it quotes (Mastodon's quote, as {state, quoted_status}, or a status itself as some
 * servers give it) and its link card, all bounded (net/extras.h). */
static void
mastodon_media_meta(const json_t *st, json_t *meta)
{
    net_extras_cw(meta, net_str(st, "spoiler_text"));
    if (json_is_true(json_object_get(st, "sensitive")))
        net_extras_label(meta, "sensitive");
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(st, "media_attachments"), i, m) {
        const char *url = net_str(m, "url");
        net_extras_media(meta, net_str(m, "type"), net_str(m, "description"),
                         url ? url : net_str(m, "remote_url"));
    }
    const json_t *q = json_object_get(st, "quote");
    if (json_is_object(q)) {
        const json_t *qs = json_object_get(q, "quoted_status");
        if (!json_is_object(qs) && net_str(q, "content"))
            qs = q;
        if (json_is_object(qs)) {
            const char *content = net_str(qs, "content");
            char *text = content ? html_to_text(content, strlen(content)) : NULL;
            const char *acct = net_str(json_object_get(qs, "account"), "acct");
            char *who = acct ? xasprintf("@%s", acct) : NULL;
            const char *url = net_str(qs, "url");
            net_extras_quote(meta, who, text, url ? url : net_str(qs, "uri"), NULL);
            free(who);
            free(text);
        } else {
            const char *state = net_str(q, "state");
            net_extras_quote(meta, NULL, NULL, NULL, state ? state : "unavailable");
        }
    }
    const json_t *card = json_object_get(st, "card");
    if (json_is_object(card))
        net_extras_card(meta, net_str(card, "title"), net_str(card, "url"),
                        net_str(card, "description"));
    net_extras_fit(meta);
}

/* Turns a status into a post of thread root. Returns 0, or -1 when it lacks what a post needs
 * (it is then skipped). */
static int
status_post(struct net_op *op, const json_t *st, const char *root, struct net_post *p)
{
    memset(p, 0, sizeof *p);
    const json_t *acc = json_object_get(st, "account");
    const char *acct = net_str(acc, "acct");
    char created[24];
    char *id = net_id(st, "id");
    if (id == NULL || acct == NULL || net_time(net_str(st, "created_at"), created) != 0 ||
        json_is_object(json_object_get(st, "reblog"))) {
        free(id);
        return -1;
    }
    char *host = net_host(op);
    p->id = id;
    p->thread = xstrdup(root);
    p->parent = net_id(st, "in_reply_to_id");
    p->author = strchr(acct, '@') ? xasprintf("@%s", acct) : xasprintf("@%s@%s", acct, host);
    const char *dn = net_str(acc, "display_name");
    p->author_name = xstrdup(dn && *dn ? dn : acct);
    p->created_at = xstrdup(created);
    const char *content = net_str(st, "content");
    p->html = xstrdup(content ? content : "");
    char *text = html_to_text(p->html, strlen(p->html));
    const char *cw = net_str(st, "spoiler_text");
    if (cw && *cw) {
        p->text = xasprintf("CW: %s\n\n%s", cw, text);
        free(text);
    } else {
        p->text = text;
    }
    const char *url = net_str(st, "url");
    if (url == NULL)
        url = net_str(st, "uri");
    p->url = url ? xstrdup(url) : NULL;
    char *author_id = net_id(acc, "id");
    p->own = author_id && op->acct->me && strcmp(author_id, op->acct->me) == 0;
    free(author_id);
    char edited[24];
    int was_edited = net_time(net_str(st, "edited_at"), edited) == 0;
    json_t *meta = json_pack("{s:s?, s:s, s:s?, s:s?, s:s?}", "visibility",
                             net_str(st, "visibility"), "acct", acct, "uri", net_str(st, "uri"),
                             "language", net_str(st, "language"), "edited_at",
                             was_edited ? edited : NULL);
    mastodon_media_meta(st, meta);
    p->meta = json_dumps(meta, JSON_COMPACT);
    json_decref(meta);
    free(host);
    return 0;
}

/* Adds a status to the batch; returns -1 when the batch is full. */
static int
add_status(struct net_op *op, const json_t *st, const char *root)
{
    struct net_post p;
    if (status_post(op, st, root, &p) != 0)
        return 0;
    return net_batch_add(&op->res.batch, &p);
}

/* Adds a context's ancestors, the status itself and its descendants, all under the root that
 * the first ancestor (or the status) is. */
static int
add_context(struct net_op *op, const json_t *status, const json_t *ctx)
{
    const json_t *anc = json_object_get(ctx, "ancestors");
    const json_t *desc = json_object_get(ctx, "descendants");
    const json_t *first = json_array_size(anc) > 0 ? json_array_get(anc, 0) : status;
    char *root = net_id(first, "id");
    if (root == NULL)
        return 0;
    size_t i;
    json_t *v;
    int rc = 0;
    json_array_foreach(anc, i, v) rc |= add_status(op, v, root);
    rc |= add_status(op, status, root);
    json_array_foreach(desc, i, v) rc |= add_status(op, v, root);
    free(root);
    return rc;
}

/* Asks for the context of status id unless the batch has it or it is asked for already;
 * what stands for the status in m->asked (a mention's status, or a recheck root's id). */
static void
ask_context(struct net_op *op, const char *id, json_t *what, struct http_request **next)
{
    struct mpriv *m = priv(op);
    if (id == NULL || !net_id_safe(id) || net_batch_find(&op->res.batch, id) != NULL)
        return;
    char *path = xasprintf("/api/v1/statuses/%s/context", id);
    struct http_request *r = api(op, "GET", path);
    free(path);
    if (json_object_get(m->asked, http_request_url(r)) == NULL) {
        json_object_set(m->asked, http_request_url(r), what);
        *next = *next ? http_request_also(*next, r) : r;
    } else {
        http_request_free(r);
    }
}

/* Asks for the next post that a recent thread read again no longer holds (GET the status:
 * 404 or 410 means it is gone); returns HTTP_STEP_DONE when none is left. */
static enum http_step
next_missing(struct net_op *op, struct http_request **next)
{
    struct mpriv *m = priv(op);
    if (m->missing == NULL)
        m->missing = net_missing(op, m->reread);
    while (m->next_missing < json_array_size(m->missing)) {
        const char *id = json_string_value(json_array_get(
            json_array_get(m->missing, m->next_missing++), 1));
        if (id == NULL || !net_id_safe(id))
            continue;
        char *path = xasprintf("/api/v1/statuses/%s", id);
        *next = api(op, "GET", path);
        free(path);
        op->state = FN_CONFIRM;
        return HTTP_STEP_MORE;
    }
    return HTTP_STEP_DONE;
}

/* Asks for the contexts of the next pending mentions not yet in the batch, then of the recent
 * threads to read again (op->recheck), keeping up to CONTEXTS_AT_ONCE in flight; waits for
 * those in flight; or, when every thread is read, finishes. */
static enum http_step
next_context(struct net_op *op, struct http_request **next, char **err)
{
    struct mpriv *m = priv(op);
    (void)err;
    if (m->asked == NULL)
        m->asked = json_object();
    *next = NULL;
    while (json_object_size(m->asked) < CONTEXTS_AT_ONCE &&
           m->next < json_array_size(m->pending) && m->next < NET_MAX_THREADS) {
        json_t *st = json_array_get(m->pending, m->next++);
        char *id = net_id(st, "id");
        ask_context(op, id, st, next);
        free(id);
    }
    while (json_object_size(m->asked) < CONTEXTS_AT_ONCE && m->next >= json_array_size(m->pending)
           && m->next_recheck < op->nrecheck) {
        const char *root = op->recheck[m->next_recheck++];
        json_t *what = json_string(root);
        ask_context(op, root, what, next);
        json_decref(what);
    }
    op->state = FN_CONTEXT;
    if (*next || json_object_size(m->asked) > 0)
        return HTTP_STEP_MORE;
    if (next_missing(op, next) == HTTP_STEP_MORE)
        return HTTP_STEP_MORE;
    if (m->newest)
        op->res.cursor = mastodon_cursor_make(m->newest);
    return HTTP_STEP_DONE;
}

/* Makes the status whose context resp answers the current one. Returns 0, or -1 when resp
 * answers nothing that was asked. */
static int
answered(struct net_op *op, const struct http_response *resp)
{
    struct mpriv *m = priv(op);
    json_t *st = resp->url && m->asked ? json_object_get(m->asked, resp->url) : NULL;
    if (st == NULL)
        return -1;
    json_decref(m->current);
    m->current = json_incref(st);
    json_object_del(m->asked, resp->url);
    return 0;
}

/* Reads a page of mention notifications: the newest id and the statuses to read threads of. */
static int
read_mentions(struct net_op *op, json_t *page, char **err)
{
    struct mpriv *m = priv(op);
    (void)err;
    if (m->pending == NULL)
        m->pending = json_array();
    size_t i;
    json_t *n;
    json_array_foreach(page, i, n) {
        char *nid = net_id(n, "id");
        if (nid && net_id_safe(nid) && (m->newest == NULL || net_id_cmp(nid, m->newest) > 0)) {
            free(m->newest);
            m->newest = nid;
            nid = NULL;
        }
        free(nid);
        const char *type = net_str(n, "type");
        json_t *st = json_object_get(n, "status");
        if (type && strcmp(type, "mention") == 0 && json_is_object(st) &&
            json_array_size(m->pending) < NET_MAX_THREADS)
            json_array_append(m->pending, st);
    }
    m->page_count = json_array_size(page);
    return 0;
}

/* Adds the descendants of a thread's root read again, under that root (the root itself is
 * not in its context). Returns -1 when the batch is full. */
static int
add_descendants(struct net_op *op, const char *root, const json_t *ctx)
{
    size_t i;
    json_t *v;
    int rc = 0;
    json_array_foreach(json_object_get(ctx, "descendants"), i, v) rc |= add_status(op, v, root);
    return rc;
}

/* Reads the context of a mention, or of a recent thread's root read again: its whole thread
 * into the batch. */
static int
read_mention_context(struct net_op *op, json_t *c, char **err)
{
    json_t *cur = priv(op)->current;
    int rc = json_is_string(cur) ? add_descendants(op, json_string_value(cur), c)
                                 : add_context(op, cur, c);
    if (rc != 0) {
        *err = xasprintf("more than %d posts at once; sync again to read the rest",
                         NET_MAX_POSTS);
        return -1;
    }
    return 0;
}

/* A recent thread read again answered: a root gone (404, 410) is marked deleted; otherwise
 * the context is read (read_mention_context) and the next thread asked for. */
static enum http_step
recheck_answered(struct net_op *op, const struct http_response *resp,
                 struct http_request **next, char **err)
{
    struct mpriv *m = priv(op);
    if (resp->status == 404 || resp->status == 410) {
        net_marks_add(&op->res.gone, json_string_value(m->current), "deleted on Mastodon");
        return next_context(op, next, err);
    }
    if (net_take(op, resp, err) != 0)
        return HTTP_STEP_FAIL;
    if (m->reread == NULL)
        m->reread = json_object();
    json_object_set_new(m->reread, json_string_value(m->current), json_true());
    return next_context(op, next, err);
}

/* A post missing from its thread looked up: gone (404, 410) is marked; found, it is read in
 * (read_confirmed); any other answer leaves it be until the next sync. */
static enum http_step
missing_answered(struct net_op *op, const struct http_response *resp,
                 struct http_request **next, char **err)
{
    struct mpriv *m = priv(op);
    const char *id = json_string_value(
        json_array_get(json_array_get(m->missing, m->next_missing - 1), 1));
    if (resp->status == 404 || resp->status == 410)
        net_marks_add(&op->res.gone, id, "deleted on Mastodon");
    else if (resp->status / 100 == 2 && net_take(op, resp, err) != 0)
        return HTTP_STEP_FAIL;
    return next_context(op, next, err);
}

/* Fetch new: pages of mention notifications since the cursor, then each thread. */
static enum http_step
fetch_new(void *ctx, const struct http_response *resp, struct http_request **next, char **err)
{
    struct net_op *op = ctx;
    struct mpriv *m = priv(op);
    switch (op->state) {
    case FN_START: {
        m->pending = json_array();
        m->newest = mastodon_cursor_min_id(op->cursor);
        m->reading_older = m->newest == NULL;
        char *path = m->newest ? xasprintf("/api/v1/notifications?types[]=mention&limit=%d"
                                           "&min_id=%s", PAGE_LIMIT, m->newest)
                               : xasprintf("/api/v1/notifications?types[]=mention&limit=%d",
                                           PAGE_LIMIT);
        *next = api(op, "GET", path);
        free(path);
        op->state = FN_PAGE;
        return HTTP_STEP_MORE;
    }
    case FN_PAGE: {
        if (net_take(op, resp, err) != 0)
            return HTTP_STEP_FAIL;
        op->pages++;
        /* Newer pages come through rel="prev" until one is empty; the first sync reads back
         * in time through rel="next" for a few pages. */
        char *link = http_link_rel(resp->link, m->reading_older ? "next" : "prev");
        int limit = m->reading_older ? NET_MAX_FIRST_PAGES : NET_MAX_PAGES;
        if (m->page_count > 0 && link && op->pages < limit && net_same_origin(op, NULL, link)) {
            *next = api_url(op, link);
            free(link);
            return HTTP_STEP_MORE;
        }
        free(link);
        return next_context(op, next, err);
    }
    case FN_CONTEXT:
        if (answered(op, resp) != 0) {
            *err = xasprintf("reading a thread: an answer came for no thread asked for");
            return HTTP_STEP_FAIL;
        }
        if (json_is_string(m->current)) /* a recent thread read again */
            return recheck_answered(op, resp, next, err);
        if (resp->status == 404) { /* private or deleted since: keep the mention alone */
            char *id = net_id(m->current, "id");
            if (id)
                add_status(op, m->current, id);
            free(id);
            return next_context(op, next, err);
        }
        if (net_take(op, resp, err) != 0)
            return HTTP_STEP_FAIL;
        return next_context(op, next, err);
    case FN_CONFIRM:
        return missing_answered(op, resp, next, err);
    }
    return HTTP_STEP_FAIL;
}

/* Reads the root status of a thread asked for. */
static int
read_root(struct net_op *op, json_t *st, char **err)
{
    struct mpriv *m = priv(op);
    (void)err;
    json_decref(m->current);
    m->current = json_incref(st);
    return 0;
}

/* Reads the context of a thread asked for; a full batch keeps what fits. */
static int
read_thread_context(struct net_op *op, json_t *c, char **err)
{
    (void)err;
    add_context(op, priv(op)->current, c);
    return 0;
}

/* Reads a post that its thread read again lacked, found after all: into the batch, under the
 * thread it was known in. */
static int
read_confirmed(struct net_op *op, json_t *st, char **err)
{
    struct mpriv *m = priv(op);
    (void)err;
    const char *root = json_string_value(
        json_array_get(json_array_get(m->missing, m->next_missing - 1), 0));
    if (root && add_status(op, st, root) != 0) {
        *err = xasprintf("more than %d posts at once; sync again to read the rest",
                         NET_MAX_POSTS);
        return -1;
    }
    return 0;
}

/* Fetch a thread: the root status, then its context. */
static enum http_step
fetch_thread(void *ctx, const struct http_response *resp, struct http_request **next,
             char **err)
{
    struct net_op *op = ctx;
    switch (op->state) {
    case FT_START: {
        if (!net_id_safe(op->root)) {
            *err = xasprintf("'%.60s' is not a Mastodon status id",
                             op->root);
            return HTTP_STEP_FAIL;
        }
        char *path = xasprintf("/api/v1/statuses/%s", op->root);
        *next = api(op, "GET", path);
        free(path);
        op->state = FT_ROOT;
        return HTTP_STEP_MORE;
    }
    case FT_ROOT: {
        if (net_take(op, resp, err) != 0)
            return HTTP_STEP_FAIL;
        char *path = xasprintf("/api/v1/statuses/%s/context", op->root);
        *next = api(op, "GET", path);
        free(path);
        op->state = FT_CONTEXT;
        return HTTP_STEP_MORE;
    }
    case FT_CONTEXT:
        return net_take(op, resp, err) == 0 ? HTTP_STEP_DONE : HTTP_STEP_FAIL;
    }
    return HTTP_STEP_FAIL;
}

/* Reads the answered post's context for one of ours that answers it directly and was written
 * after the earlier attempt started (less five minutes of clock skew). */
static int
read_earlier(struct net_op *op, json_t *c, char **err)
{
    const struct net_reply *r = op->reply;
    (void)err;
    char since[24] = "";
    time_t t;
    if (r->claimed_at && retry_iso8601_parse(r->claimed_at, &t) == 0) {
        t -= 300;
        strftime(since, sizeof since, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
    }
    size_t i;
    json_t *st;
    json_array_foreach(json_object_get(c, "descendants"), i, st) {
        char *author = net_id(json_object_get(st, "account"), "id");
        char *parent = net_id(st, "in_reply_to_id");
        char created[24];
        int mine = author && parent && op->acct->me && strcmp(author, op->acct->me) == 0 &&
                   strcmp(parent, r->in_reply_to) == 0 &&
                   net_time(net_str(st, "created_at"), created) == 0 &&
                   strcmp(created, since) >= 0;
        free(author);
        free(parent);
        if (!mine)
            continue;
        struct net_post p;
        if (status_post(op, st, r->root, &p) == 0) {
            op->res.found = 1;
            op->res.remote_id = xstrdup(p.id);
            op->res.remote_url = p.url ? xstrdup(p.url) : NULL;
            net_batch_add(&op->res.batch, &p);
        }
        break;
    }
    return 0;
}

/* Find our reply: among the answered post's descendants (see read_earlier). */
static enum http_step
find_reply(void *ctx, const struct http_response *resp, struct http_request **next, char **err)
{
    struct net_op *op = ctx;
    const struct net_reply *r = op->reply;
    switch (op->state) {
    case FR_START: {
        if (!net_id_safe(r->in_reply_to)) {
            *err = xasprintf("'%.60s' is not a Mastodon status id",
                             r->in_reply_to);
            return HTTP_STEP_FAIL;
        }
        char *path = xasprintf("/api/v1/statuses/%s/context", r->in_reply_to);
        *next = api(op, "GET", path);
        free(path);
        op->state = FR_CONTEXT;
        return HTTP_STEP_MORE;
    }
    case FR_CONTEXT:
        if (resp->status == 404)
            return HTTP_STEP_DONE; /* the post is gone: nothing of ours under it */
        return net_take(op, resp, err) == 0 ? HTTP_STEP_DONE : HTTP_STEP_FAIL;
    }
    return HTTP_STEP_FAIL;
}

/* Returns nonzero when needle occurs in hay, ignoring ASCII case. */
static int
contains_nocase(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return 1;
    return n == 0;
}

/* The limits the check read, or the defaults. */
static long
limit_of(const struct net_op *op, const char *key, long dflt)
{
    json_int_t v = json_integer_value(json_object_get(op->acct->limits, key));
    return v > 0 ? (long)v : dflt;
}

/* Post a reply: the text (with a mention of the author answered when it lacks one), the
 * parent's visibility, the account's language and the outbox row's Idempotency-Key. */
static enum http_step
post_reply(void *ctx, const struct http_response *resp, struct http_request **next, char **err)
{
    struct net_op *op = ctx;
    struct mpriv *m = priv(op);
    const struct net_reply *r = op->reply;
    switch (op->state) {
    case PR_START: {
        json_t *meta = r->parent_meta ? json_loads(r->parent_meta, 0, NULL) : NULL;
        const char *vis = net_str(meta, "visibility");
        /* Never wider than the post answered; when it is not known, the narrowest. */
        static const char *const known[] = {"public", "unlisted", "private", "direct"};
        const char *use = "direct";
        for (size_t i = 0; vis && i < 4; i++)
            if (strcmp(vis, known[i]) == 0)
                use = known[i];
        /* A first line "CW: ..." is the content warning (model/cw.h), sent apart. */
        char *cw;
        const char *text;
        cw_split(r->body, &cw, &text);
        const char *who = r->parent_author;
        int mention = who && *who == '@' && !contains_nocase(text, who) &&
                      !(op->acct->me_name && strcasecmp(who, op->acct->me_name) == 0);
        m->sent_text = mention ? xasprintf("%s %s", who, text) : xstrdup(text);
        const struct platform *plat = op->acct->platform;
        long max = limit_of(op, "max_characters", plat->max_chars);
        /* The server counts the warning with the text. */
        long len = platform_length_parts(plat, cw, m->sent_text, strlen(m->sent_text),
                                         limit_of(op, "characters_per_url", plat->url_chars));
        if (len > max) {
            free(cw);
            json_decref(meta);
            *err = xasprintf("the reply is %ld characters as Mastodon counts them%s; the "
                             "server allows %ld, so shorten it", len,
                             mention ? " with the mention" : "", max);
            return HTTP_STEP_FAIL;
        }
        json_t *body = json_pack("{s:s, s:s, s:s}", "status", m->sent_text, "in_reply_to_id",
                                 r->in_reply_to, "visibility", use);
        if (cw && *cw)
            json_object_set_new(body, "spoiler_text", json_string(cw));
        free(cw);
        const char *language = op->acct->cfg->language;
        if (language) {
            /* Mastodon takes the ISO 639 code alone: "en" of "en-GB". */
            char lang[4] = {0};
            size_t n = strcspn(language, "-");
            memcpy(lang, language, n < 3 ? n : 3);
            json_object_set_new(body, "language", json_string(lang));
        }
        json_decref(meta);
        struct http_request *q = api(op, "POST", "/api/v1/statuses");
        http_request_json(q, body);
        http_request_header(q, "Idempotency-Key", r->idempotency_key);
        /* The key makes a repeat harmless, so even an answer lost in transit is retried. */
        http_request_retry(q, RETRY_SAFE);
        *next = q;
        op->state = PR_SENT;
        return HTTP_STEP_MORE;
    }
    case PR_SENT:
        return net_take(op, resp, err) == 0 ? HTTP_STEP_DONE : HTTP_STEP_FAIL;
    }
    return HTTP_STEP_FAIL;
}

/* Reads the status the server made of the reply. */
static int
read_sent(struct net_op *op, json_t *st, char **err)
{
    struct net_post p;
    if (status_post(op, st, op->reply->root, &p) != 0) {
        *err = xasprintf("the server accepted the reply but its answer lacks the new "
                         "post's id; check the thread before sending again");
        return -1;
    }
    p.own = 1;
    op->res.remote_id = xstrdup(p.id);
    op->res.remote_url = p.url ? xstrdup(p.url) : NULL;
    net_batch_add(&op->res.batch, &p);
    return 0;
}

/* Every answer the steps read, by operation and state. */
static const struct net_reader readers[] = {
    {NET_CHECK, CK_VERIFY, JSON_OBJECT, "checking the access token", read_verify},
    {NET_CHECK, CK_INSTANCE2, JSON_OBJECT, "reading the server's limits", read_instance},
    {NET_CHECK, CK_INSTANCE1, JSON_OBJECT, "reading the server's limits", read_instance},
    {NET_FETCH_NEW, FN_PAGE, JSON_ARRAY, "reading mentions", read_mentions},
    {NET_FETCH_NEW, FN_CONTEXT, JSON_OBJECT, "reading a thread", read_mention_context},
    {NET_FETCH_NEW, FN_CONFIRM, JSON_OBJECT, "looking up a post missing from its thread",
     read_confirmed},
    {NET_FETCH_THREAD, FT_ROOT, JSON_OBJECT, "reading a thread", read_root},
    {NET_FETCH_THREAD, FT_CONTEXT, JSON_OBJECT, "reading a thread", read_thread_context},
    {NET_FIND_REPLY, FR_CONTEXT, JSON_OBJECT, "looking for an earlier reply", read_earlier},
    {NET_POST_REPLY, PR_SENT, JSON_OBJECT, "sending the reply", read_sent},
};

const struct net_adapter mastodon_adapter = {
    .platform = "mastodon",
    .readers = readers,
    .nreaders = sizeof readers / sizeof readers[0],
    .check = check,
    .fetch_new = fetch_new,
    .fetch_thread = fetch_thread,
    .find_reply = find_reply,
    .post_reply = post_reply,
    .op_free = mastodon_op_free,
    .session_free = NULL,
};
