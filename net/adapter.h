/* The one interface every platform adapter implements (net/mastodon.c, net/bluesky.c,
 * net/wordpress.c): a table of step functions, one per operation, that the HTTP client runs as
 * jobs. A new platform is one new file, net/ID.c defining ID_adapter, and one entry,
 * PLATFORM(ID, ...) in model/platform_list.h, from which the adapter table is built.
 *
 * Operations:
 * - check: log in or verify the credentials, learn who the account is (acct->me) and read the
 *   platform's limits (acct->limits). Every other operation runs it first when the account has
 *   no session yet.
 * - fetch_new: read what is new since op->cursor into op->res.batch and set op->res.cursor to
 *   the cursor that covers it. The caller stores both in one transaction.
 * - fetch_thread: read the whole thread whose root is op->root into op->res.batch.
 * - Both fetches note what they learn besides content in op->res.gone (posts deleted or
 *   hidden upstream) and op->res.refusals (threads whose platform would refuse a reply);
 *   fetch_new also reads again the threads named by op->recheck, and looks up the posts of
 *   op->known that those threads no longer hold (at most NET_MAX_CONFIRM).
 * - find_reply: look on the platform for op->reply as sent by an earlier attempt that may have
 *   been cut short; sets op->res.found with the remote id and URL.
 * - post_reply: send op->reply; sets the remote id and URL and puts the sent post in the batch.
 * Adapters read and write nothing but their op: the callers own the cache. */
#ifndef TACTFUL_NET_ADAPTER_H
#define TACTFUL_NET_ADAPTER_H

#include "model/config.h"
#include "model/platform.h"
#include "model/post.h"
#include "model/upstream.h"
#include "net/http.h"

#include <jansson.h>
#include <stddef.h>

#define NET_MAX_PAGES 100          /* pages one fetch reads at most */
#define NET_MAX_FIRST_PAGES 10     /* pages of history the first sync of an account reads */
#define NET_MAX_THREADS 2000       /* threads one fetch reads at most */
#define NET_MAX_POSTS 200000       /* posts one fetch keeps at most */
#define NET_MAX_CONFIRM 25         /* posts missing from threads read again, looked up */

/* A post as an adapter read it. Every string is owned; parent, author_name, html, url, title
 * and meta may be NULL. */
struct net_post {
    char *thread;
    char *id;
    char *parent;
    char *author;
    char *author_name;
    char *created_at;   /* stored UTC form */
    char *text;
    char *html;
    char *url;
    char *title;
    char *meta;         /* JSON object */
    int own;
};

/* Posts collected by one operation, each id once (a later copy replaces an earlier one). */
struct net_batch {
    struct net_post *posts;
    size_t n, cap;
    size_t *slots;      /* open-addressing index of posts by id: index + 1, 0 when empty */
    size_t nslots;
};

/* Adds p to the batch, taking ownership of its strings (p is zeroed). Returns 0, or -1 when
 * the batch is full (NET_MAX_POSTS), in which case p is freed. */
int net_batch_add(struct net_batch *b, struct net_post *p);
/* Returns the post with remote id id, or NULL. */
const struct net_post *net_batch_find(const struct net_batch *b, const char *id);
void net_batch_clear(struct net_batch *b);
void net_post_clear(struct net_post *p);

/* Something a fetch learnt about a post or thread besides its content (net/marks.c): a post
 * gone upstream (id: its remote id; why: "deleted on Mastodon"), or a thread whose platform
 * would refuse a reply (id: its root's remote id; why: the reason, NULL when it would not).
 * Strings are owned. */
struct net_mark {
    char *id;
    char *why;
};

struct net_marks {
    struct net_mark *v;
    size_t n, cap;
};

/* Adds (id, why) to m; a later mark for the same id replaces the earlier one. Keeps at most
 * NET_MAX_THREADS marks (the rest are dropped: the next sync finds them again). */
void net_marks_add(struct net_marks *m, const char *id, const char *why);
void net_marks_clear(struct net_marks *m);

struct net_op;

/* The posts of op->known in the threads reread names (a JSON object whose keys are the roots
 * of threads read again in full) that op's batch lacks, at most NET_MAX_CONFIRM, as a new
 * JSON array of [root, id] pairs: the posts to look up, to tell a deleted one from one the
 * thread's reading left out. */
json_t *net_missing(const struct net_op *op, const json_t *reread);

/* One configured account at run time. */
struct net_account {
    const struct config_account *cfg;
    const struct net_adapter *adapter;
    const struct platform *platform;   /* its entry in the platform table */
    char *secret;       /* wiped when freed */
    char *me;           /* who the account is there: Mastodon id, Bluesky DID, WordPress id */
    char *me_name;      /* and as people see it: @name@host, handle, user name */
    json_t *limits;     /* {"max_characters": N, ...} */
    void *session;      /* adapter-private: tokens, route style ... */
    int session_loaded; /* the session kept by an earlier run was looked for */
    int session_changed;/* the adapter changed the session: keep it for the next run */
};

/* Returns a run-time account for cfg (NULL with *err when its platform has no adapter). The
 * secret is stolen. */
struct net_account *net_account_new(const struct config_account *cfg, char *secret, char **err);
void net_account_free(struct net_account *a);

/* A reply to send, as the outbox holds it. Strings are borrowed. */
struct net_reply {
    long outbox_id;
    const char *root;             /* remote id of the thread's root */
    const char *in_reply_to;      /* remote id of the post answered */
    const char *parent_author;    /* its author's handle */
    const char *parent_meta;      /* its platform extras (JSON) or NULL */
    const char *body;
    const char *idempotency_key;
    const char *created_at;       /* when it was queued */
    const char *claimed_at;       /* when the previous attempt started, or NULL */
};

struct net_result {
    struct net_batch batch;
    char *cursor;        /* fetch_new: the cursor covering the batch, NULL to keep the old */
    int found;           /* find_reply */
    char *remote_id;     /* find_reply, post_reply */
    char *remote_url;
    char *note;          /* something the officer should know (held for moderation ...) */
    struct net_marks gone;      /* fetch_new, fetch_thread: posts found deleted or hidden */
    struct net_marks refusals;  /* fetch_new, fetch_thread: threads that take no replies, and
                                   (why NULL) threads found to take them */
};

enum net_op_kind { NET_CHECK, NET_FETCH_NEW, NET_FETCH_THREAD, NET_FIND_REPLY, NET_POST_REPLY };

struct net_op;
typedef void (*net_op_done_fn)(struct net_op *op, int ok, char *err, void *arg);

/* One operation in progress. The caller fills kind, acct and the inputs; the adapter's steps
 * keep their place in state and priv. */
struct net_op {
    enum net_op_kind kind;
    struct net_account *acct;
    const char *cursor;             /* fetch_new: NULL on the first sync */
    const char *root;               /* fetch_thread */
    char *const *recheck;           /* fetch_new: roots of recent threads to read again (new
                                       replies, edits, deletions), borrowed; may be NULL */
    size_t nrecheck;
    const struct upstream_post *known; /* fetch_new: the posts of those threads the cache
                                       holds; one missing when its thread is read again is
                                       looked up, and marked gone when it is. Borrowed. */
    size_t nknown;
    const struct net_reply *reply;  /* find_reply, post_reply */
    struct net_result res;
    int logged_in;                  /* the check part is done */
    int state;                      /* adapter's position in the operation */
    int pages;                      /* pages read so far */
    void *priv;                     /* adapter scratch, freed by op_free */
    struct retry_budget low;        /* the lowest request budget a server reported (limit 0:
                                       none), for the note that tactful slowed down */
    net_op_done_fn done;
    void *done_arg;
};

/* How an adapter reads the answer to the request it made in one state of an operation: the
 * parsers of everything a server sends, apart from the requests (see net_read). */
struct net_reader {
    int kind;             /* enum net_op_kind; NET_CHECK for the login that precedes any op */
    int state;            /* the op's state while the answer is awaited */
    json_type type;       /* what the body must be: JSON_OBJECT or JSON_ARRAY */
    const char *what;     /* what was being done, for messages ("reading mentions") */
    int (*read)(struct net_op *op, json_t *body, char **err);   /* 0, or -1 with *err */
};

struct net_adapter {
    const char *platform;
    const struct net_reader *readers;   /* every answer the steps read */
    size_t nreaders;
    http_step_fn check;        /* every step function gets the struct net_op as ctx */
    http_step_fn fetch_new;
    http_step_fn fetch_thread;
    http_step_fn find_reply;
    http_step_fn post_reply;
    void (*op_free)(struct net_op *op);        /* frees op->priv; may be NULL */
    void (*session_free)(void *session);       /* may be NULL */
    /* Puts the session's own secrets (tokens) in out, at most max; returns how many. May be
     * NULL (the account's secret is all there is). */
    size_t (*session_secrets)(const void *session, const char **out, size_t max);
    /* The session to keep for the next run (tokens included, see net/session_file.h) as a new
     * JSON object, or NULL when there is none. May be NULL (nothing is kept). */
    json_t *(*session_export)(const struct net_account *a);
    /* Takes the session an earlier run kept; the login then refreshes it rather than making a
     * new one, and makes a new one when that fails. Ignores a session kept for another url
     * or user. May be NULL. */
    void (*session_import)(struct net_account *a, const json_t *kept);
};

/* Returns the adapter for platform, or NULL. */
const struct net_adapter *net_adapter_find(const char *platform);

/* Starts op on client; done(op, ok, err, arg) runs when it ends (err owned by the callee).
 * The account's session kept by an earlier run is taken up before its first operation, and
 * kept again (net/session_file.h) whenever an operation changed it. */
void net_op_start(struct http_client *c, struct net_op *op, net_op_done_fn done, void *arg);

/* Removes every form of the account's secrets (its secret, the Basic user:secret, the
 * session's tokens; see net/redact.h) from *text (owned, may be NULL), in place. Every
 * message built from server text goes through it before it is printed or stored. */
void net_account_redact(const struct net_account *a, char **text);

/* Frees what op holds (its result and adapter scratch), not op itself. */
void net_op_clear(struct net_op *op);

/* The step function the HTTP client runs for op (the adapter's check until the account is
 * logged in, then the operation's own steps). Public so that answers can be replayed without
 * a network (tests/fuzz). */
enum http_step net_op_step(void *ctx, const struct http_response *resp,
                           struct http_request **next, char **err);

/* Reads one answer's body (len bytes, not necessarily NUL-terminated) as the answer to the
 * request op made in its present state, into op: its batch and result, the account (login)
 * and the adapter's scratch. No network: the steps call it with what arrived, the fuzzers
 * with anything. Returns 0, or -1 with *err set (not the JSON expected, or unusable). */
int net_read(struct net_op *op, const char *body, size_t len, char **err);

/* For a step: fails with net_http_error unless resp is a 2xx answer, then net_read's its
 * body. Returns 0 or -1 with *err set. */
int net_take(struct net_op *op, const struct http_response *resp, char **err);

/* ---- Helpers the adapters share. ---- */

/* A request to url with the account's ca_file. */
struct http_request *net_request(const struct net_op *op, const char *method, const char *url);

/* A sentence saying why a request failed: the transport error, or the HTTP status with the
 * platform's error text (Mastodon {"error"}, Bluesky {"error","message"}, WordPress {"code",
 * "message"}), with a hint for 401/403. what says what was being done ("reading mentions"). */
char *net_http_error(const struct net_op *op, const struct http_response *resp,
                     const char *what);

/* Parses resp's body as JSON of the given type (JSON_OBJECT or JSON_ARRAY). Returns NULL with
 * *err set when it is not. */
json_t *net_json(const struct net_op *op, const struct http_response *resp, json_type type,
                 const char *what, char **err);

/* A string member of obj, or NULL. */
const char *net_str(const json_t *obj, const char *key);
/* A string or integer member of obj as a newly allocated string, or NULL. */
char *net_id(const json_t *obj, const char *key);
/* Normalises a platform timestamp to the stored form in out; returns 0 or -1. A WordPress
 * date_gmt without a zone is read as UTC. */
int net_time(const char *s, char out[24]);
/* Returns nonzero when id looks safe to put in a URL path (letters, digits, - _ . : ~). */
int net_id_safe(const char *id);
/* Returns nonzero when url is on the account's own server (same scheme, host and port as its
 * configured url, or as base when base is not NULL): links from a server are followed, with
 * the account's credentials, only there. */
int net_same_origin(const struct net_op *op, const char *base, const char *url);
/* The host of the account's url, without scheme or port (newly allocated). */
char *net_host(const struct net_op *op);
/* Compares two numeric-looking ids (Mastodon's, WordPress's): longer is larger, then bytes. */
int net_id_cmp(const char *a, const char *b);

#endif
