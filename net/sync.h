/* Syncing accounts: every account named runs at once on one HTTP client; each that finishes
 * is written to the cache in one transaction (its posts through post_writer, then its new
 * cursor), so a cursor never covers data that is not committed. An account that fails is
 * reported with its reason and changes nothing but its last error; the others go on. Each
 * account is synced under its lock in the cache (model/synclock.h): one that another process
 * is syncing is skipped, and reported as such. */
#ifndef TACTFUL_NET_SYNC_H
#define TACTFUL_NET_SYNC_H

#include "model/config.h"
#include "model/db.h"
#include "net/http.h"

#include <stddef.h>

/* How one account's sync went. Strings are borrowed for the callback's duration. */
struct sync_report {
    const char *account;
    const char *platform;
    int ok;
    const char *error;     /* when !ok: a sentence */
    const char *skipped;   /* when ok: another process syncs the account now, a sentence
                              saying who (nothing was read); else NULL */
    const char *note;      /* something to know even on success, or NULL */
    long posts;            /* posts read */
    long new_posts;
    long updated_posts;
    long new_threads;
    long deleted_posts;    /* found deleted or hidden upstream since the last sync */
    long shortened_posts;  /* stored shortened to fit the cache's limits (model/post.h) */
    long refused_posts;    /* left out: an identifier longer than the cache keeps */
    double seconds;
};

typedef void (*sync_report_fn)(const struct sync_report *r, void *arg);

/* Called as each account starts (before any network traffic), for progress lines. */
typedef void (*sync_start_fn)(const char *account, void *arg);

/* Syncs the accounts called names (every configured account when nnames is 0), calling
 * report for each as it finishes. Returns the number of accounts that failed, or -1 with *err
 * set when nothing could start (an unknown account name, no accounts, bad HTTP settings). */
int sync_accounts(struct db *db, const struct config *cfg, char *const *names, size_t nnames,
                  const struct http_options *o, sync_start_fn start, sync_report_fn report,
                  void *arg, char **err);

/* Resolves names (all accounts when nnames is 0) to configured accounts, in order and each
 * once. Returns a newly allocated array and sets *n, or returns NULL with *err set. */
const struct config_account **sync_select(const struct config *cfg, char *const *names,
                                          size_t nnames, size_t *n, char **err);

struct post_writer;
struct net_batch;

/* Puts every post of b, read for the account cfg, through w with each remote field bounded
 * (over-long ids are left out, over-long text is cut on a UTF-8 boundary): the one mapping
 * from what an adapter read to what the cache stores, for syncs and for sent replies. own is
 * 1 or 0 to force the posts' own flag, -1 to keep the adapter's. Counts new and updated posts
 * into the counters that are not NULL. Returns 0 or -1 with *err set. */
int sync_store_batch(struct post_writer *w, const struct config_account *cfg,
                     const struct net_batch *b, int own, long *new_posts, long *updated_posts,
                     char **err);

#endif
