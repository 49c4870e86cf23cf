/* What changed upstream that the cache remembers (schema 12): posts deleted on their platform
 * or hidden from the account there (kept with their text for the audit trail, marked with
 * when and why), and threads whose platform would refuse a reply (comments closed, replies
 * limited by the author). A reply to either is refused before it is written, submitted,
 * approved or sent. Syncs write the marks; every path that makes a reply reads them. */
#ifndef TACTFUL_UPSTREAM_H
#define TACTFUL_UPSTREAM_H

#include "model/db.h"

#include <stddef.h>

#define UPSTREAM_MAX_REASON 200   /* bytes of a reason kept; longer ones are cut */

/* Marks the post remote_id of account as gone upstream for reason (a short phrase such as
 * "deleted on Mastodon"), now. A post already marked keeps its first time; an unknown post
 * is left alone. Sets *changed (may be NULL) to 1 when a post was newly marked. Runs inside
 * the caller's transaction when it holds one. Returns 0 or -1 with *err set. */
int upstream_mark_deleted(struct db *db, const char *account, const char *remote_id,
                          const char *reason, int *changed, char **err);

/* Records why the platform would refuse a reply in the thread whose root is root (reason
 * NULL: it would not). An unknown thread is left alone. Returns 0 or -1 with *err set. */
int upstream_set_refusal(struct db *db, const char *account, const char *root,
                         const char *reason, char **err);

/* Whether a reply in thread to the post in_reply_to (NULL: the thread's root) can be made:
 * returns 0 when nothing upstream stands in the way, 1 with *why set to a sentence saying
 * why not (the post was deleted, the platform refuses replies in the thread), or -1 with
 * *err set. */
int upstream_reply_refused(struct db *db, long thread, const char *in_reply_to, char **why,
                           char **err);

/* The roots of account's threads with activity at or after since (stored UTC form), most
 * recent first, at most max, that are worth reading again: not closed and their root not
 * gone. Sets *roots (free with upstream_roots_free) and *n. Returns 0 or -1 with *err set. */
int upstream_recent_roots(struct db *db, const char *account, const char *since, size_t max,
                          char ***roots, size_t *n, char **err);

void upstream_roots_free(char **roots, size_t n);

/* A post of a thread read again, as the cache knows it: the thread's root and the post's
 * remote id. Strings are owned. */
struct upstream_post {
    char *root;
    char *id;
};

/* The posts the cache holds (not gone, not the roots themselves) in account's threads whose
 * roots are roots[0..nroots), at most max: what a sync expects to find again when it reads
 * those threads, so that a post missing there can be looked up and, when it is gone, marked.
 * Sets *posts (free with upstream_posts_free) and *n. Returns 0 or -1 with *err set. */
int upstream_thread_posts(struct db *db, const char *account, char *const *roots,
                          size_t nroots, size_t max, struct upstream_post **posts, size_t *n,
                          char **err);

void upstream_posts_free(struct upstream_post *posts, size_t n);

#endif
