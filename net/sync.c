/* Parallel sync of accounts into the cache. */
#include "net/sync.h"

#include "model/account.h"
#include "model/bundle.h"
#include "model/isotime.h"
#include "model/post.h"
#include "model/synclock.h"
#include "model/upstream.h"
#include "model/xmalloc.h"
#include "net/adapter.h"
#include "net/credentials.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Recent threads are read again at each sync, so that replies which do not mention the
 * account, edits and deletions arrive: those with activity in the last RECHECK_DAYS days,
 * the RECHECK_MAX most recent of them. */
#define RECHECK_DAYS 3
#define RECHECK_MAX 40
#define RECHECK_MAX_POSTS 4000   /* posts of those threads the fetch is told of */

/* Everything the accounts of one run share. */
struct sync_run {
    struct db *db;
    struct synclock_self self;   /* this process, as the sync locks name it */
    sync_report_fn report;
    void *arg;
    int failed;
};

/* One account's sync. */
struct sync_job {
    struct sync_run *run;
    const struct config_account *cfg;
    struct net_account *acct;
    struct net_op op;
    char *cursor;
    char **recheck;      /* roots of recent threads to read again */
    size_t nrecheck;
    struct upstream_post *known;  /* and the posts the cache holds in them */
    size_t nknown;
    double start;
    int locked;          /* this run holds the account's sync lock */
};

/* Seconds on a monotonic clock. */
static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

const struct config_account **
sync_select(const struct config *cfg, char *const *names, size_t nnames, size_t *n, char **err)
{
    *n = 0;
    if (cfg == NULL || cfg->naccounts == 0) {
        *err = xstrdup("no accounts are configured; add an [account NAME] section as "
                       "described in tactful(5)");
        return NULL;
    }
    const struct config_account **out = xcalloc(cfg->naccounts, sizeof *out);
    if (nnames == 0) {
        for (size_t i = 0; i < cfg->naccounts; i++)
            out[(*n)++] = &cfg->accounts[i];
        return out;
    }
    for (size_t i = 0; i < nnames; i++) {
        const struct config_account *a = config_account_find(cfg, names[i]);
        if (a == NULL) {
            struct buf b = {0};
            for (size_t k = 0; k < cfg->naccounts; k++)
                buf_printf(&b, "%s%s", k ? ", " : "", cfg->accounts[k].name);
            *err = xasprintf("no account '%.64s' in the configuration; the accounts are: %s",
                             names[i], b.data);
            buf_free(&b);
            free(out);
            return NULL;
        }
        int dup = 0;
        for (size_t k = 0; k < *n; k++)
            dup |= out[k] == a;
        if (!dup)
            out[(*n)++] = a;
    }
    return out;
}

int
sync_store_batch(struct post_writer *w, const struct config_account *cfg,
                 const struct net_batch *b, int own, long *new_posts, long *updated_posts,
                 char **err)
{
    for (size_t i = 0; i < b->n; i++) {
        const struct net_post *p = &b->posts[i];
        /* The writer owns the limits: what is too long is shortened and marked, or (an
         * identifier) refused, and counted (post_writer_shortened, post_writer_refused). */
        struct post_in in = {
            .platform = cfg->platform,
            .account = cfg->name,
            .thread = p->thread,
            .id = p->id,
            .parent = p->parent,
            .author = p->author,
            .author_name = p->author_name,
            .created_at = p->created_at,
            .text = p->text,
            .html = p->html,
            .url = p->url,
            .title = p->title,
            .own = own < 0 ? p->own : own,
            .meta = p->meta,
        };
        enum post_result res;
        int rc = post_writer_put(w, &in, &res, err);
        if (rc != 0)
            return -1;
        if (new_posts)
            *new_posts += res == POST_NEW;
        if (updated_posts)
            *updated_posts += res == POST_UPDATED;
    }
    return 0;
}

/* Stores what the fetch learnt besides content: posts gone upstream (counted) and threads
 * that take no replies, or take them again. Inside commit's transaction. Returns 0 or -1. */
static int
store_marks(struct sync_job *j, struct sync_report *r, char **err)
{
    const struct net_marks *gone = &j->op.res.gone, *ref = &j->op.res.refusals;
    for (size_t i = 0; i < gone->n; i++) {
        int changed = 0;
        if (upstream_mark_deleted(j->run->db, j->cfg->name, gone->v[i].id,
                                  gone->v[i].why ? gone->v[i].why : "deleted upstream", &changed,
                                  err) != 0)
            return -1;
        r->deleted_posts += changed;
    }
    for (size_t i = 0; i < ref->n; i++)
        if (upstream_set_refusal(j->run->db, j->cfg->name, ref->v[i].id, ref->v[i].why, err) !=
            0)
            return -1;
    return 0;
}

/* Reads the roots of the account's recent threads to read again into j (none on a first
 * sync: there is nothing to read again). Returns 0 or -1 with *err set. */
static int
recent_threads(struct sync_job *j, char **err)
{
    if (j->cursor == NULL)
        return 0;
    char since[ISOTIME_LEN];
    isotime_format(time(NULL) - RECHECK_DAYS * 24 * 3600, since);
    if (upstream_recent_roots(j->run->db, j->cfg->name, since, RECHECK_MAX, &j->recheck,
                              &j->nrecheck, err) != 0)
        return -1;
    return upstream_thread_posts(j->run->db, j->cfg->name, j->recheck, j->nrecheck,
                                 RECHECK_MAX_POSTS, &j->known, &j->nknown, err);
}

/* Writes one account's batch and its new cursor in one transaction. Returns 0 or -1. */
static int
commit(struct sync_job *j, struct sync_report *r, char **err)
{
    struct db *db = j->run->db;
    if (db_begin(db, err) != 0)
        return -1;
    struct post_writer *w = post_writer_new(db, err);
    if (w == NULL)
        goto fail;
    if (sync_store_batch(w, j->cfg, &j->op.res.batch, -1, &r->new_posts, &r->updated_posts,
                         err) != 0)
        goto fail;
    if (post_writer_finish(w, err) != 0)
        goto fail;
    if (store_marks(j, r, err) != 0)
        goto fail;
    r->new_threads = post_writer_new_threads(w);
    r->shortened_posts = post_writer_shortened(w);
    r->refused_posts = post_writer_refused(w);
    post_writer_free(w);
    w = NULL;
    char *limits = j->acct->limits ? json_dumps(j->acct->limits, JSON_COMPACT) : NULL;
    int rc = account_sync_ok(db, j->cfg->name, j->cfg->platform, j->cfg->url,
                             j->op.res.cursor, limits, j->acct->me_name, err);
    free(limits);
    if (rc != 0 || account_sync_counted(db, j->cfg->name, r->new_threads, err) != 0)
        goto fail;
    return db_commit(db, err);
fail:
    post_writer_free(w);
    db_rollback(db);
    return -1;
}

/* Reports one account's outcome and records a failure in the cache. */
static void
finish(struct sync_job *j, struct sync_report *r, char *error)
{
    r->account = j->cfg->name;
    r->platform = j->cfg->platform;
    r->seconds = now_s() - j->start;
    r->ok = error == NULL;
    r->error = error;
    if (error) {
        char *e2 = NULL;
        j->run->failed++;
        if (account_sync_failed(j->run->db, j->cfg->name, j->cfg->platform, j->cfg->url, error,
                                &e2) != 0)
            free(e2); /* the sync error is what matters; it is reported below */
    }
    if (j->locked) {
        char *e3 = NULL;
        if (synclock_release(j->run->db, j->cfg->name, &j->run->self, &e3) != 0)
            free(e3); /* the lock goes stale with this process; nothing else to do */
        j->locked = 0;
    }
    j->run->report(r, j->run->arg);
    free(error);
}

/* Takes the account's sync lock. Returns 0 when this run holds it, else reports the account
 * (skipped, or failed when the cache could not say) and returns -1. */
static int
lock_account(struct sync_job *j)
{
    struct synclock_holder h;
    char *why = NULL;
    j->run->self.now = time(NULL);
    int rc = synclock_take(j->run->db, j->cfg->name, &j->run->self, &h, &why);
    if (rc == 0) {
        j->locked = 1;
        return 0;
    }
    if (rc < 0) {
        finish(j, &(struct sync_report){0}, why);
        return -1;
    }
    char *msg = synclock_busy_message(j->cfg->name, &h, &j->run->self);
    struct sync_report r = {.skipped = msg};
    finish(j, &r, NULL);
    free(msg);
    return -1;
}

/* The fetch's done callback: commit what it read, or report why it failed. */
static void
fetched(struct net_op *op, int ok, char *err, void *arg)
{
    (void)op;
    struct sync_job *j = arg;
    struct sync_report r = {0};
    r.posts = (long)j->op.res.batch.n;
    r.note = j->op.res.note;
    if (ok && commit(j, &r, &err) != 0)
        ok = 0;
    if (!ok) {
        r.new_posts = r.updated_posts = r.new_threads = r.deleted_posts = 0;
        r.shortened_posts = r.refused_posts = 0;
        char *msg = xasprintf("%s", err ? err : "the sync failed for an unknown reason");
        free(err);
        finish(j, &r, msg);
    } else {
        finish(j, &r, NULL);
    }
    /* The batch is written: free it now, not at the end of the run. */
    net_op_clear(&j->op);
}

int
sync_accounts(struct db *db, const struct config *cfg, char *const *names, size_t nnames,
              const struct http_options *o, sync_start_fn start, sync_report_fn report,
              void *arg, char **err)
{
    size_t n;
    if (bundle_refuse_network(db, "sync", err) != 0)
        return -1;
    const struct config_account **sel = sync_select(cfg, names, nnames, &n, err);
    if (sel == NULL)
        return -1;
    struct http_client *client = http_client_new(o, err);
    if (client == NULL) {
        free(sel);
        return -1;
    }
    struct sync_run run = {.db = db, .report = report, .arg = arg};
    synclock_self_init(&run.self);
    /* A large sync is one transaction: give SQLite room so it does not spill pages to the
     * WAL before the commit (64 MiB at most; pages are allocated only as used). */
    db_exec(db, "PRAGMA cache_size = -65536", NULL);
    struct sync_job *jobs = xcalloc(n, sizeof *jobs);
    for (size_t i = 0; i < n; i++) {
        struct sync_job *j = &jobs[i];
        j->run = &run;
        j->cfg = sel[i];
        j->start = now_s();
        if (start)
            start(j->cfg->name, arg);
        if (lock_account(j) != 0)
            continue;
        char *why = NULL;
        struct account_state st;
        if (account_state_get(db, j->cfg->name, &st, &why) != 0) {
            finish(j, &(struct sync_report){0}, why);
            continue;
        }
        /* A cursor belongs to the server it came from. */
        if (st.cursor && (st.base_url == NULL || strcmp(st.base_url, j->cfg->url) == 0))
            j->cursor = xstrdup(st.cursor);
        account_state_clear(&st);
        if (recent_threads(j, &why) != 0) {
            finish(j, &(struct sync_report){0}, why);
            continue;
        }
        char *secret = credentials_read(j->cfg, credentials_timeout_ms(), &why);
        if (secret == NULL) {
            finish(j, &(struct sync_report){0}, why);
            continue;
        }
        if ((j->acct = net_account_new(j->cfg, secret, &why)) == NULL) {
            finish(j, &(struct sync_report){0}, why);
            continue;
        }
        j->op.kind = NET_FETCH_NEW;
        j->op.acct = j->acct;
        j->op.cursor = j->cursor;
        j->op.recheck = j->recheck;
        j->op.nrecheck = j->nrecheck;
        j->op.known = j->known;
        j->op.nknown = j->nknown;
        net_op_start(client, &j->op, fetched, j);
    }
    http_client_run(client);
    http_client_free(client);
    for (size_t i = 0; i < n; i++) {
        net_op_clear(&jobs[i].op);
        net_account_free(jobs[i].acct);
        free(jobs[i].cursor);
        upstream_roots_free(jobs[i].recheck, jobs[i].nrecheck);
        upstream_posts_free(jobs[i].known, jobs[i].nknown);
    }
    free(jobs);
    free(sel);
    return run.failed;
}
