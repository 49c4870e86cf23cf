/* WordPress's REST API for comments: the adapter for the "wordpress" entry of
 * model/platform_list.h. */
#include "net/wordpress.h"

#include "model/isotime.h"
#include "model/xmalloc.h"
#include "net/html.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <utf8proc.h>

#define PER_PAGE 100
#define OVERLAP_S (24 * 60 * 60) /* `after` is site-local time: look back a day */
#define COMMENT_FIELDS "id,post,parent,author,author_name,date_gmt,content,link,status"
#define POST_FIELDS "id,title,link,date_gmt,excerpt,comment_status,author"

/* How the site's REST API is reached. */
struct session {
    int rest_route;   /* ?rest_route=/wp/v2/... instead of /wp-json/wp/v2/... */
};

/* The operation's scratch. */
struct wpriv {
    int page;
    char after[24];
    char *newest;        /* newest comment date_gmt seen (stored form) */
    json_t *posts;       /* post ids whose titles are still to be read */
    json_t *authors;     /* user ids of those posts' authors */
    json_t *post_objs;   /* the posts read, waiting for their authors' names */
    json_t *names;       /* user id -> name */
    int searched_held;   /* find_reply: comments held for moderation were searched too */
    size_t page_count;   /* comments on the last page read */
    int found;           /* find_reply, post_reply: the last page held our reply */
    size_t recheck_status; /* fetch_new: which of recheck_statuses is being read */
};

/* Comments on recent posts read again, by status: approved ones (approved late, or edited),
 * then those taken down since, each with what the cache says of it. */
static const struct {
    const char *status;
    const char *gone;    /* NULL: the comments are read in */
} recheck_statuses[] = {
    {"approve", NULL},
    {"hold", "no longer approved on WordPress (held for moderation)"},
    {"spam", "marked as spam on WordPress"},
    {"trash", "moved to the trash on WordPress"},
};

enum { CK_START, CK_INDEX, CK_ME };
enum { FN_START, FN_COMMENTS, FN_RECHECK, FN_POSTS, FN_USERS };
enum { FT_START, FT_COMMENTS, FT_POSTS, FT_USERS };
enum { FR_START, FR_COMMENTS };
enum { PR_START, PR_SENT, PR_FIND };

static struct wpriv *
priv(struct net_op *op)
{
    if (op->priv == NULL)
        op->priv = xcalloc(1, sizeof(struct wpriv));
    return op->priv;
}

static void
wordpress_op_free(struct net_op *op)
{
    struct wpriv *w = op->priv;
    if (w == NULL)
        return;
    free(w->newest);
    json_decref(w->posts);
    json_decref(w->authors);
    json_decref(w->post_objs);
    json_decref(w->names);
    free(w);
    op->priv = NULL;
}

static void
session_free(void *s)
{
    free(s);
}

/* A request for route (e.g. "/wp/v2/comments") with query (may be NULL), authenticated as the
 * account's user with its Application Password. */
static struct http_request *
api(const struct net_op *op, const char *method, const char *route, const char *query)
{
    const struct session *s = op->acct->session;
    const char *base = op->acct->cfg->url;
    char *url;
    if (s && s->rest_route)
        url = xasprintf("%s/?rest_route=%s%s%s", base, route, query ? "&" : "",
                        query ? query : "");
    else
        url = xasprintf("%s/wp-json%s%s%s", base, route, query ? "?" : "", query ? query : "");
    struct http_request *r = net_request(op, method, url);
    free(url);
    http_request_basic(r, op->acct->cfg->user ? op->acct->cfg->user : "", op->acct->secret);
    return r;
}

int
wordpress_cursor_after(const char *cursor, char out[24])
{
    json_t *j = cursor ? json_loads(cursor, 0, NULL) : NULL;
    time_t t;
    int rc = -1;
    if (isotime_parse(net_str(j, "newest") ? net_str(j, "newest") : "", &t) == 0) {
        t -= OVERLAP_S;
        strftime(out, 24, "%Y-%m-%dT%H:%M:%S", gmtime(&t));
        rc = 0;
    }
    json_decref(j);
    return rc;
}

char *
wordpress_cursor_make(const char *date)
{
    json_t *j = json_pack("{s:s}", "newest", date);
    char *s = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    return s;
}

/* Login: find how the REST API is reached, then who the user is. */
static enum http_step
check(void *ctx, const struct http_response *resp, struct http_request **next, char **err)
{
    struct net_op *op = ctx;
    struct net_account *a = op->acct;
    switch (op->state) {
    case CK_START: {
        if (a->session == NULL)
            a->session = xcalloc(1, sizeof(struct session));
        char *url = xasprintf("%s/wp-json/", a->cfg->url);
        *next = net_request(op, "GET", url);
        free(url);
        op->state = CK_INDEX;
        return HTTP_STEP_MORE;
    }
    case CK_INDEX:
        if (resp->error) {
            *err = net_http_error(op, resp, "reaching the site");
            return HTTP_STEP_FAIL;
        }
        /* Without pretty permalinks /wp-json/ is not there: use ?rest_route=. */
        ((struct session *)a->session)->rest_route = 1;
        if (resp->status == 200 && net_take(op, resp, err) != 0) {
            free(*err);
            *err = NULL;
        }
        *next = api(op, "GET", "/wp/v2/users/me", "context=edit&_fields=id,name,slug");
        op->state = CK_ME;
        return HTTP_STEP_MORE;
    case CK_ME:
        return net_take(op, resp, err) == 0 ? HTTP_STEP_DONE : HTTP_STEP_FAIL;
    }
    return HTTP_STEP_FAIL;
}

/* Reads the REST API's index: it is there, so pretty permalinks are on. */
static int
read_index(struct net_op *op, json_t *j, char **err)
{
    (void)j;
    (void)err;
    if (op->acct->session == NULL)
        op->acct->session = xcalloc(1, sizeof(struct session));
    ((struct session *)op->acct->session)->rest_route = 0;
    return 0;
}

/* Reads users/me: who the Application Password belongs to. */
static int
read_me(struct net_op *op, json_t *j, char **err)
{
    struct net_account *a = op->acct;
    char *id = net_id(j, "id");
    if (id == NULL) {
        *err = xasprintf("the site did not say who the user is; is url a WordPress site?");
        return -1;
    }
    free(a->me);
    free(a->me_name);
    a->me = id;
    const char *name = net_str(j, "name");
    a->me_name = xstrdup(name ? name : a->cfg->user ? a->cfg->user : id);
    json_decref(a->limits);
    a->limits = json_pack("{s:I}", "max_characters", (json_int_t)a->platform->max_chars);
    return 0;
}

/* Turns a comment into a post of thread "post-POST". Returns 0 or -1 to skip it. */
static int
comment_post(struct net_op *op, const json_t *c, struct net_post *p)
{
    memset(p, 0, sizeof *p);
    char *id = net_id(c, "id"), *post = net_id(c, "post"), *parent = net_id(c, "parent");
    char created[24];
    if (id == NULL || post == NULL || net_time(net_str(c, "date_gmt"), created) != 0) {
        free(id);
        free(post);
        free(parent);
        return -1;
    }
    p->id = id;
    p->thread = xasprintf("post-%s", post);
    p->parent = parent && strcmp(parent, "0") != 0 ? xstrdup(parent) : xstrdup(p->thread);
    const char *name = net_str(c, "author_name");
    p->author = xstrdup(name && *name ? name : "Anonymous");
    p->author_name = xstrdup(p->author);
    p->created_at = xstrdup(created);
    const char *html = net_str(json_object_get(c, "content"), "rendered");
    p->html = xstrdup(html ? html : "");
    p->text = html_to_text(p->html, strlen(p->html));
    const char *link = net_str(c, "link");
    p->url = link ? xstrdup(link) : NULL;
    char *author = net_id(c, "author");
    p->own = author && op->acct->me && strcmp(author, "0") != 0 &&
             strcmp(author, op->acct->me) == 0;
    free(author);
    json_t *meta = json_pack("{s:s, s:s?}", "post", post, "status", net_str(c, "status"));
    p->meta = json_dumps(meta, JSON_COMPACT);
    json_decref(meta);
    free(post);
    free(parent);
    return 0;
}

/* Adds a comment page to the batch and notes its posts; returns -1 when the batch is full. */
static int
add_comments(struct net_op *op, const json_t *page)
{
    struct wpriv *w = priv(op);
    size_t i;
    json_t *c;
    json_array_foreach(page, i, c) {
        struct net_post p;
        if (comment_post(op, c, &p) != 0)
            continue;
        if (w->newest == NULL || strcmp(p.created_at, w->newest) > 0) {
            free(w->newest);
            w->newest = xstrdup(p.created_at);
        }
        json_t *post = json_object_get(c, "post");
        int known = 0;
        size_t k;
        json_t *v;
        json_array_foreach(w->posts, k, v) known |= json_equal(v, post);
        if (!known && json_array_size(w->posts) < NET_MAX_THREADS)
            json_array_append(w->posts, post);
        if (net_batch_add(&op->res.batch, &p) != 0)
            return -1;
    }
    return 0;
}

/* Joins up to PER_PAGE ids of arr from index from as "1,2,3" (newly allocated). */
static char *
id_list(const json_t *arr, size_t from)
{
    struct buf b = {0};
    buf_add(&b, "", 0);
    for (size_t i = from; i < json_array_size(arr) && i < from + PER_PAGE; i++) {
        const json_t *v = json_array_get(arr, i);
        char *id = json_is_integer(v)
                       ? xasprintf("%" JSON_INTEGER_FORMAT, json_integer_value(v))
                       : xstrdup(json_is_string(v) ? json_string_value(v) : "0");
        if (net_id_safe(id))
            buf_printf(&b, "%s%s", b.len ? "," : "", id);
        free(id);
    }
    return buf_take(&b);
}

/* Asks for the posts (thread roots) the comments belong to, or finishes. */
static enum http_step
ask_posts(struct net_op *op, struct http_request **next, int state)
{
    struct wpriv *w = priv(op);
    if (json_array_size(w->posts) == 0)
        return HTTP_STEP_DONE;
    char *ids = id_list(w->posts, 0);
    char *q = xasprintf("include=%s&per_page=%d&_fields=" POST_FIELDS, ids, PER_PAGE);
    *next = api(op, "GET", "/wp/v2/posts", q);
    free(q);
    free(ids);
    op->state = state;
    return HTTP_STEP_MORE;
}

/* Notes whether the thread root ("post-ID") takes comments: WordPress refuses a new comment
 * on a post whose comment_status is "closed". */
static void
note_comment_status(struct net_op *op, const char *root, const char *status)
{
    if (status == NULL)
        return;
    net_marks_add(&op->res.refusals, root,
                  strcmp(status, "closed") == 0 ? "comments are closed on the WordPress post"
                                                : NULL);
}

/* Adds each post read as its thread's root, titled, with its author's name when known. */
static void
add_roots(struct net_op *op, const json_t *users)
{
    struct wpriv *w = priv(op);
    size_t i, k;
    json_t *p, *u;
    json_array_foreach(w->post_objs, i, p) {
        char *id = net_id(p, "id");
        char created[24];
        if (id == NULL || net_time(net_str(p, "date_gmt"), created) != 0) {
            free(id);
            continue;
        }
        const char *author = NULL;
        json_array_foreach(users, k, u) {
            if (k >= PER_PAGE)
                break;
            if (json_equal(json_object_get(u, "id"), json_object_get(p, "author")))
                author = net_str(u, "name");
        }
        const char *title = net_str(json_object_get(p, "title"), "rendered");
        const char *excerpt = net_str(json_object_get(p, "excerpt"), "rendered");
        struct net_post r = {0};
        r.id = xasprintf("post-%s", id);
        r.thread = xstrdup(r.id);
        r.title = title ? html_to_text(title, strlen(title)) : NULL;
        r.html = excerpt ? xstrdup(excerpt) : NULL;
        r.text = excerpt ? html_to_text(excerpt, strlen(excerpt)) : xstrdup("");
        if (r.text[0] == '\0' && r.title) {
            free(r.text);
            r.text = xstrdup(r.title);
        }
        r.author = xstrdup(author ? author : op->acct->cfg->name);
        r.author_name = xstrdup(r.author);
        r.created_at = xstrdup(created);
        const char *link = net_str(p, "link");
        r.url = link ? xstrdup(link) : NULL;
        r.own = 1; /* the site's own post */
        note_comment_status(op, r.id, net_str(p, "comment_status"));
        json_t *meta = json_pack("{s:s, s:s?}", "post", id, "comment_status",
                                 net_str(p, "comment_status"));
        r.meta = json_dumps(meta, JSON_COMPACT);
        json_decref(meta);
        net_batch_add(&op->res.batch, &r);
        free(id);
    }
}

/* Reads the authors' names and adds the posts read as their threads' roots. */
static int
read_users(struct net_op *op, json_t *users, char **err)
{
    (void)err;
    add_roots(op, users);
    return 0;
}


/* Reads the posts (thread roots) the comments belong to and notes their authors. */
static int
read_posts(struct net_op *op, json_t *posts, char **err)
{
    struct wpriv *w = priv(op);
    (void)err;
    json_decref(w->post_objs);
    json_decref(w->authors);
    w->post_objs = json_incref(posts);
    w->authors = json_array();
    size_t i;
    json_t *p;
    json_array_foreach(w->post_objs, i, p) {
        json_t *a = json_object_get(p, "author");
        if (json_is_integer(a) && json_array_size(w->authors) < PER_PAGE)
            json_array_append(w->authors, a);
    }
    return 0;
}

/* Asks for the names of the posts' authors, or finishes with the posts as they are. */
static enum http_step
ask_users(struct net_op *op, struct http_request **next, int state)
{
    struct wpriv *w = priv(op);
    if (json_array_size(w->authors) == 0) {
        add_roots(op, NULL);
        return HTTP_STEP_DONE;
    }
    char *ids = id_list(w->authors, 0);
    char *q = xasprintf("include=%s&per_page=%d&_fields=id,name", ids, PER_PAGE);
    *next = api(op, "GET", "/wp/v2/users", q);
    free(q);
    free(ids);
    op->state = state;
    return HTTP_STEP_MORE;
}

/* Asks for a page of comments: from the cursor on, oldest first. */
static struct http_request *
comments_page(struct net_op *op)
{
    struct wpriv *w = priv(op);
    char *q = xasprintf("per_page=%d&page=%d&orderby=date_gmt&order=asc%s%s&_fields="
                        COMMENT_FIELDS, PER_PAGE, w->page, w->after[0] ? "&after=" : "",
                        w->after);
    struct http_request *r = api(op, "GET", "/wp/v2/comments", q);
    free(q);
    return r;
}

/* Reads a page of comments into the batch, noting the posts they are on and the newest. */
static int
read_comments(struct net_op *op, json_t *page, char **err)
{
    struct wpriv *w = priv(op);
    if (w->posts == NULL)
        w->posts = json_array();
    w->page_count = json_array_size(page);
    if (add_comments(op, page) != 0 && op->kind == NET_FETCH_NEW) {
        *err = xasprintf("more than %d comments at once; sync again to read the rest",
                         NET_MAX_POSTS);
        return -1;
    }
    if (op->kind == NET_FETCH_NEW && w->newest)
        op->res.cursor = (free(op->res.cursor), wordpress_cursor_make(w->newest));
    return 0;
}

/* Asks for the comments of the recent posts to read again (op->recheck), in the status
 * recheck_status names, newest first, one page; or, when every status is read, on to the
 * posts. */
static enum http_step
ask_recheck(struct net_op *op, struct http_request **next)
{
    struct wpriv *w = priv(op);
    json_t *ids = json_array();
    for (size_t i = 0; i < op->nrecheck && json_array_size(ids) < PER_PAGE; i++) {
        const char *root = op->recheck[i];
        if (strncmp(root, "post-", 5) == 0 && net_id_safe(root + 5))
            json_array_append_new(ids, json_string(root + 5));
    }
    size_t n = sizeof recheck_statuses / sizeof recheck_statuses[0];
    if (json_array_size(ids) == 0 || w->recheck_status >= n) {
        json_decref(ids);
        return ask_posts(op, next, FN_POSTS);
    }
    /* The posts read again are read themselves too: whether they still take comments. */
    size_t i;
    json_t *v;
    json_array_foreach(ids, i, v) {
        int known = 0;
        size_t k;
        json_t *p;
        json_array_foreach(w->posts, k, p) {
            char *pid = json_is_integer(p) ? xasprintf("%" JSON_INTEGER_FORMAT,
                                                       json_integer_value(p))
                                           : NULL;
            const char *sid = pid ? pid : json_string_value(p);
            known |= sid && strcmp(sid, json_string_value(v)) == 0;
            free(pid);
        }
        if (!known && json_array_size(w->posts) < NET_MAX_THREADS)
            json_array_append(w->posts, v);
    }
    char *list = id_list(ids, 0);
    char *q = xasprintf("post=%s&status=%s&per_page=%d&orderby=date_gmt&order=desc&_fields="
                        COMMENT_FIELDS, list, recheck_statuses[w->recheck_status].status,
                        PER_PAGE);
    *next = api(op, "GET", "/wp/v2/comments", q);
    free(q);
    free(list);
    json_decref(ids);
    op->state = FN_RECHECK;
    return HTTP_STEP_MORE;
}

/* Reads a page of comments on recent posts in one status: approved ones into the batch,
 * taken-down ones (not the account's own, which may wait for moderation) marked gone. */
static int
read_recheck(struct net_op *op, json_t *page, char **err)
{
    struct wpriv *w = priv(op);
    (void)err;
    const char *gone = recheck_statuses[w->recheck_status].gone;
    if (gone == NULL) {
        add_comments(op, page); /* a full batch keeps what fits */
        return 0;
    }
    size_t i;
    json_t *c;
    json_array_foreach(page, i, c) {
        char *id = net_id(c, "id"), *author = net_id(c, "author");
        int own = author && op->acct->me && strcmp(author, op->acct->me) == 0;
        if (id && !own)
            net_marks_add(&op->res.gone, id, gone);
        free(id);
        free(author);
    }
    return 0;
}

/* The answer to the posts asked for: on to their authors (a refusal leaves them unnamed). */
static enum http_step
got_posts(struct net_op *op, const struct http_response *resp, struct http_request **next,
          char **err, int state)
{
    if (net_take(op, resp, err) != 0)
        return HTTP_STEP_FAIL;
    return ask_users(op, next, state);
}

/* The answer to the authors' names: the posts become their threads' roots. */
static enum http_step
got_users(struct net_op *op, const struct http_response *resp, char **err)
{
    if (resp->status == 200 && net_take(op, resp, err) == 0)
        return HTTP_STEP_DONE;
    free(*err); /* names are a nicety: the posts go in without them */
    *err = NULL;
    add_roots(op, NULL);
    return HTTP_STEP_DONE;
}

/* Fetch new: comment pages since the cursor (less a day), then the posts they are on. */
static enum http_step
fetch_new(void *ctx, const struct http_response *resp, struct http_request **next, char **err)
{
    struct net_op *op = ctx;
    struct wpriv *w = priv(op);
    switch (op->state) {
    case FN_START:
        if (wordpress_cursor_after(op->cursor, w->after) != 0)
            w->after[0] = '\0';
        w->posts = json_array();
        w->page = 1;
        *next = comments_page(op);
        op->state = FN_COMMENTS;
        return HTTP_STEP_MORE;
    case FN_COMMENTS: {
        if (net_take(op, resp, err) != 0)
            return HTTP_STEP_FAIL;
        op->pages++;
        size_t n = w->page_count;
        if (n > 0 && resp->wp_total_pages > w->page && op->pages < NET_MAX_PAGES) {
            w->page++;
            *next = comments_page(op);
            return HTTP_STEP_MORE;
        }
        if (n > 0 && resp->wp_total_pages > w->page)
            op->res.note = xasprintf("read %d pages of comments; sync again for the rest",
                                     op->pages);
        return ask_recheck(op, next);
    }
    case FN_RECHECK:
        /* A site that will not list held, spam or trashed comments to this user (403): the
         * rest goes on without them. */
        if (resp->status != 401 && resp->status != 403 && net_take(op, resp, err) != 0)
            return HTTP_STEP_FAIL;
        w->recheck_status++;
        return ask_recheck(op, next);
    case FN_POSTS:
        return got_posts(op, resp, next, err, FN_USERS);
    case FN_USERS:
        return got_users(op, resp, err);
    }
    return HTTP_STEP_FAIL;
}

/* Fetch a thread: every comment on the post, then the post. */
static enum http_step
fetch_thread(void *ctx, const struct http_response *resp, struct http_request **next,
             char **err)
{
    struct net_op *op = ctx;
    struct wpriv *w = priv(op);
    const char *post = op->root && strncmp(op->root, "post-", 5) == 0 ? op->root + 5 : NULL;
    switch (op->state) {
    case FT_START:
        if (!net_id_safe(post)) {
            *err = xasprintf("'%.60s' is not a WordPress thread",
                             op->root);
            return HTTP_STEP_FAIL;
        }
        w->posts = json_array();
        w->page = 1;
        /* fall through */
    case FT_COMMENTS: {
        if (op->state == FT_COMMENTS) {
            if (net_take(op, resp, err) != 0)
                return HTTP_STEP_FAIL;
            size_t n = w->page_count;
            if (n == 0 || resp->wp_total_pages <= w->page || ++op->pages >= NET_MAX_PAGES) {
                json_array_clear(w->posts);
                json_array_append_new(w->posts, json_string(post));
                return ask_posts(op, next, FT_POSTS);
            }
            w->page++;
        }
        char *q = xasprintf("post=%s&per_page=%d&page=%d&orderby=id&order=asc&_fields="
                            COMMENT_FIELDS, post, PER_PAGE, w->page);
        *next = api(op, "GET", "/wp/v2/comments", q);
        free(q);
        op->state = FT_COMMENTS;
        return HTTP_STEP_MORE;
    }
    case FT_POSTS:
        return got_posts(op, resp, next, err, FT_USERS);
    case FT_USERS:
        return got_users(op, resp, err);
    }
    return HTTP_STEP_FAIL;
}

/* Letters and digits of s, lowercased: WordPress rewrites quotes and wraps text in <p>, so
 * only these are compared when looking for our own comment. */
static char *
fold(const char *s)
{
    struct buf b = {0};
    buf_add(&b, "", 0);
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_ssize_t len = (utf8proc_ssize_t)strlen(s);
    utf8proc_int32_t cp;
    while (len > 0) {
        utf8proc_ssize_t n = utf8proc_iterate(p, len, &cp);
        if (n <= 0)
            n = 1, cp = -1;
        utf8proc_category_t c = cp >= 0 ? utf8proc_category(cp) : UTF8PROC_CATEGORY_CN;
        if (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) {
            utf8proc_uint8_t out[4];
            utf8proc_ssize_t w = utf8proc_encode_char(utf8proc_tolower(cp), out);
            buf_add(&b, (const char *)out, (size_t)w);
        } else if (c >= UTF8PROC_CATEGORY_ND && c <= UTF8PROC_CATEGORY_NO) {
            buf_add(&b, (const char *)p, (size_t)n);
        }
        p += n;
        len -= n;
    }
    return buf_take(&b);
}

/* Asks for our comments under the answered one (approved, or held for moderation). */
static struct http_request *
own_comments(struct net_op *op, int held)
{
    const struct net_reply *r = op->reply;
    const char *post = strncmp(r->root, "post-", 5) == 0 ? r->root + 5 : r->root;
    const char *parent = strncmp(r->in_reply_to, "post-", 5) == 0 ? "0" : r->in_reply_to;
    char *q = xasprintf("post=%s&parent=%s&author=%s&per_page=%d%s&_fields=" COMMENT_FIELDS,
                        post, parent, op->acct->me, PER_PAGE, held ? "&status=hold" : "");
    struct http_request *req = api(op, "GET", "/wp/v2/comments", q);
    free(q);
    return req;
}

/* Looks through a page of our comments for the reply; returns 1 when found. */
static int
match_reply(struct net_op *op, const json_t *page)
{
    char *want = fold(op->reply->body);
    size_t i;
    json_t *c;
    int found = 0;
    json_array_foreach(page, i, c) {
        struct net_post p;
        if (comment_post(op, c, &p) != 0)
            continue;
        char *got = fold(p.text);
        if (strcmp(got, want) == 0 && !found) {
            found = 1;
            op->res.found = 1;
            op->res.remote_id = xstrdup(p.id);
            op->res.remote_url = p.url ? xstrdup(p.url) : NULL;
            p.own = 1;
            net_batch_add(&op->res.batch, &p);
        }
        free(got);
        net_post_clear(&p);
    }
    free(want);
    return found;
}

/* Checks the reply's thread ids before they go into a query. */
static int
reply_ids_ok(struct net_op *op, char **err)
{
    const struct net_reply *r = op->reply;
    if (r->root && strncmp(r->root, "post-", 5) == 0 && net_id_safe(r->root + 5) &&
        net_id_safe(r->in_reply_to) && net_id_safe(op->acct->me))
        return 1;
    *err = xasprintf("this thread does not come from a WordPress sync; reply on the site");
    return 0;
}

/* Find our reply: our comments under the answered one whose text matches. */
static enum http_step
find_reply(void *ctx, const struct http_response *resp, struct http_request **next, char **err)
{
    struct net_op *op = ctx;
    struct wpriv *w = priv(op);
    switch (op->state) {
    case FR_START:
        if (!reply_ids_ok(op, err))
            return HTTP_STEP_FAIL;
        *next = own_comments(op, 0);
        op->state = FR_COMMENTS;
        return HTTP_STEP_MORE;
    case FR_COMMENTS: {
        /* Listing held comments needs moderation rights: a refusal there means none found. */
        if (w->searched_held && (resp->status == 400 || resp->status == 401 ||
                                 resp->status == 403))
            return HTTP_STEP_DONE;
        if (net_take(op, resp, err) != 0)
            return HTTP_STEP_FAIL;
        int found = w->found;
        if (found || w->searched_held)
            return HTTP_STEP_DONE;
        w->searched_held = 1;
        *next = own_comments(op, 1);
        return HTTP_STEP_MORE;
    }
    }
    return HTTP_STEP_FAIL;
}

/* Post a reply as a comment under the answered comment (or on the post). */
static enum http_step
post_reply(void *ctx, const struct http_response *resp, struct http_request **next, char **err)
{
    struct net_op *op = ctx;
    const struct net_reply *r = op->reply;
    switch (op->state) {
    case PR_START: {
        if (!reply_ids_ok(op, err))
            return HTTP_STEP_FAIL;
        const struct platform *plat = op->acct->platform;
        long n = platform_length(plat, r->body, strlen(r->body), 0);
        if (n > plat->max_chars) {
            *err = xasprintf("the reply is %ld characters; WordPress allows %ld", n,
                             plat->max_chars);
            return HTTP_STEP_FAIL;
        }
        json_int_t post = strtoll(r->root + 5, NULL, 10);
        json_int_t parent = strncmp(r->in_reply_to, "post-", 5) == 0
                                ? 0
                                : strtoll(r->in_reply_to, NULL, 10);
        struct http_request *q = api(op, "POST", "/wp/v2/comments", NULL);
        http_request_json(q, json_pack("{s:I, s:I, s:s}", "post", post, "parent", parent,
                                       "content", r->body));
        *next = q;
        op->state = PR_SENT;
        return HTTP_STEP_MORE;
    }
    case PR_SENT:
        if (resp->status == 409) {
            /* comment_duplicate: an earlier attempt got through; find it. */
            op->state = PR_FIND;
            *next = own_comments(op, 0);
            return HTTP_STEP_MORE;
        }
        return net_take(op, resp, err) == 0 ? HTTP_STEP_DONE : HTTP_STEP_FAIL;
    case PR_FIND:
        return net_take(op, resp, err) == 0 ? HTTP_STEP_DONE : HTTP_STEP_FAIL;
    }
    return HTTP_STEP_FAIL;
}

/* Reads a page of our comments, looking for the reply (see match_reply). */
static int
read_own(struct net_op *op, json_t *page, char **err)
{
    (void)err;
    priv(op)->found = match_reply(op, page);
    return 0;
}

/* Reads the comments listed after comment_duplicate: the earlier attempt must be there. */
static int
read_duplicate(struct net_op *op, json_t *page, char **err)
{
    if (!match_reply(op, page)) {
        *err = xasprintf("the site says the same comment was already posted "
                         "(comment_duplicate), but it is not visible; check the thread on "
                         "the site");
        return -1;
    }
    return 0;
}

/* Reads the comment the site made of the reply, noting when it is held for moderation. */
static int
read_sent(struct net_op *op, json_t *c, char **err)
{
    struct net_post p;
    if (comment_post(op, c, &p) != 0) {
        *err = xasprintf("the site accepted the reply but its answer lacks the new "
                         "comment's id; it will be looked for before any retry");
        return -1;
    }
    const char *status = net_str(c, "status");
    if (status && strcmp(status, "approved") != 0 && strcmp(status, "approve") != 0) {
        /* Secrets out before the status is cut, so no part of one is left at the cut. */
        char *said = xstrdup(status);
        net_account_redact(op->acct, &said);
        free(op->res.note);
        op->res.note = xasprintf("the site holds the reply for moderation (%.100s)", said);
        free(said);
    }
    p.own = 1;
    free(op->res.remote_id);
    free(op->res.remote_url);
    op->res.remote_id = xstrdup(p.id);
    op->res.remote_url = p.url ? xstrdup(p.url) : NULL;
    net_batch_add(&op->res.batch, &p);
    return 0;
}

/* Every answer the steps read, by operation and state. */
static const struct net_reader readers[] = {
    {NET_CHECK, CK_INDEX, JSON_OBJECT, "reaching the site", read_index},
    {NET_CHECK, CK_ME, JSON_OBJECT, "checking the Application Password", read_me},
    {NET_FETCH_NEW, FN_COMMENTS, JSON_ARRAY, "reading comments", read_comments},
    {NET_FETCH_NEW, FN_RECHECK, JSON_ARRAY, "reading recent posts' comments again",
     read_recheck},
    {NET_FETCH_NEW, FN_POSTS, JSON_ARRAY, "reading the site's posts", read_posts},
    {NET_FETCH_NEW, FN_USERS, JSON_ARRAY, "reading the posts' authors", read_users},
    {NET_FETCH_THREAD, FT_COMMENTS, JSON_ARRAY, "reading comments", read_comments},
    {NET_FETCH_THREAD, FT_POSTS, JSON_ARRAY, "reading the site's posts", read_posts},
    {NET_FETCH_THREAD, FT_USERS, JSON_ARRAY, "reading the posts' authors", read_users},
    {NET_FIND_REPLY, FR_COMMENTS, JSON_ARRAY, "looking for an earlier reply", read_own},
    {NET_POST_REPLY, PR_SENT, JSON_OBJECT, "sending the reply", read_sent},
    {NET_POST_REPLY, PR_FIND, JSON_ARRAY, "looking for the duplicate reply", read_duplicate},
};

const struct net_adapter wordpress_adapter = {
    .platform = "wordpress",
    .readers = readers,
    .nreaders = sizeof readers / sizeof readers[0],
    .check = check,
    .fetch_new = fetch_new,
    .fetch_thread = fetch_thread,
    .find_reply = find_reply,
    .post_reply = post_reply,
    .op_free = wordpress_op_free,
    .session_free = session_free,
};
