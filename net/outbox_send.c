/* Sending queued replies, at most once each. */
#include "net/outbox_send.h"

#include "model/bundle.h"
#include "model/outbox.h"
#include "model/post.h"
#include "model/upstream.h"
#include "model/xmalloc.h"
#include "net/adapter.h"
#include "net/credentials.h"
#include "net/sync.h"

#include <stdlib.h>
#include <string.h>

struct send_run {
    struct db *db;
    struct http_client *client;
    const char *officer;
    outbox_send_fn report;
    void *arg;
    int failed;
};

/* One account's rows, sent one after another. */
struct sender {
    struct send_run *run;
    const struct config_account *cfg;
    struct net_account *acct;
    struct outbox_row **rows;
    size_t n, next;
    struct outbox_row *row;     /* the row being sent */
    struct net_reply reply;
    struct net_op op;
    int tried_before;           /* the row had attempts before this run, or is in doubt */
};

static void send_next(struct sender *s);

/* Reports the current row's outcome; err (owned) is the failure, or NULL. */
static void
report(struct sender *s, char *err, int found, int skipped)
{
    struct outbox_send_report r = {
        .id = s->row->id,
        .thread = s->row->thread_id,
        .account = s->row->account,
        .ok = err == NULL && !skipped,
        .found_earlier = found,
        .skipped = skipped,
        .error = err,
        .remote_id = s->op.res.remote_id,
        .remote_url = s->op.res.remote_url,
        .note = s->op.res.note,
    };
    if (err)
        s->run->failed++;
    s->run->report(&r, s->run->arg);
    free(err);
}

/* Records a failure on the row (back to the queue with its error) and reports it. */
static void
fail_row(struct sender *s, char *err)
{
    char *e2 = NULL;
    if (outbox_mark_failed(s->run->db, s->row->id, err, &e2) != 0) {
        char *both = xasprintf("%s (and it could not be recorded: %s)", err, e2);
        free(err);
        free(e2);
        err = both;
    }
    report(s, err, 0, 0);
}

/* Stores the sent post and marks the row sent, the thread replied, in one transaction. */
static int
commit_sent(struct sender *s, char **err)
{
    struct db *db = s->run->db;
    if (db_begin(db, err) != 0)
        return -1;
    struct post_writer *w = post_writer_new(db, err);
    if (w == NULL)
        goto fail;
    if (sync_store_batch(w, s->cfg, &s->op.res.batch, 1, NULL, NULL, err) != 0)
        goto fail;
    if (post_writer_finish(w, err) != 0)
        goto fail;
    post_writer_free(w);
    w = NULL;
    if (outbox_mark_sent(db, s->row->id, s->run->officer, s->op.res.remote_id,
                         s->op.res.remote_url, err) != 0)
        goto fail;
    return db_commit(db, err);
fail:
    post_writer_free(w);
    db_rollback(db);
    return -1;
}

/* After post_reply: record the success or the failure, then the next row. */
static void
posted(struct net_op *op, int ok, char *err, void *arg)
{
    (void)op;
    struct sender *s = arg;
    if (ok && commit_sent(s, &err) != 0) {
        /* Sent, but not recorded: the row stays `sending` under this (ending) process, so
         * the next run finds the reply instead of sending it again. */
        char *msg = xasprintf("the reply was sent but the cache could not record it (%s); the "
                              "next `tactful outbox send` will find it", err);
        free(err);
        report(s, msg, 0, 0);
    } else if (ok) {
        report(s, NULL, 0, 0);
    } else {
        fail_row(s, err);
    }
    net_op_clear(&s->op);
    send_next(s);
}

/* Starts post_reply for the current row. */
static void
start_post(struct sender *s)
{
    net_op_clear(&s->op);
    s->op.kind = NET_POST_REPLY;
    s->op.acct = s->acct;
    s->op.reply = &s->reply;
    net_op_start(s->run->client, &s->op, posted, s);
}

/* After find_reply: an earlier attempt got through (record it) or not (send now). */
static void
looked(struct net_op *op, int ok, char *err, void *arg)
{
    (void)op;
    struct sender *s = arg;
    if (!ok) {
        /* Not knowing whether it is there, sending again could post it twice: wait. */
        char *msg = xasprintf("%s; not sent again until tactful can check whether an earlier "
                              "attempt got through", err);
        free(err);
        fail_row(s, msg);
        net_op_clear(&s->op);
        send_next(s);
        return;
    }
    if (!s->op.res.found) {
        start_post(s);
        return;
    }
    if (commit_sent(s, &err) != 0)
        report(s, err, 1, 0);
    else
        report(s, NULL, 1, 0);
    net_op_clear(&s->op);
    send_next(s);
}

/* Holds the current row, unsent, when the platform would not take it any more (the post
 * answered was deleted since it was queued, the thread stopped taking replies): the row is
 * given up with the reason (outbox_hold) and reported. Returns nonzero when it was held.
 * A row in doubt is not held: an earlier attempt may have got through, and is looked for. */
static int
held(struct sender *s)
{
    if (s->row->in_doubt || strcmp(s->row->state, "queued") != 0)
        return 0;
    char *why = NULL, *err = NULL;
    int rc = upstream_reply_refused(s->run->db, s->row->thread_id, s->row->in_reply_to, &why,
                                    &err);
    if (rc < 0) {
        report(s, err, 0, 0);
        return 1;
    }
    if (rc == 0)
        return 0;
    char *msg = xasprintf("held, not sent: %s", why);
    free(why);
    if (outbox_hold(s->run->db, s->row->id, s->run->officer, msg, &err) != 0) {
        char *both = xasprintf("%s (and it could not be recorded: %s)", msg, err);
        free(msg);
        free(err);
        msg = both;
    }
    report(s, msg, 0, 0);
    return 1;
}

/* Claims the next row and looks for it or sends it; ends when the rows are done. */
static void
send_next(struct sender *s)
{
    while (s->next < s->n) {
        s->row = s->rows[s->next++];
        s->tried_before = s->row->attempts > 0 || s->row->in_doubt;
        char *err = NULL;
        if (held(s))
            continue;
        int rc = outbox_claim(s->run->db, s->row->id, &err);
        if (rc == 1) {
            report(s, NULL, 0, 1);
            continue;
        }
        if (rc < 0) {
            report(s, err, 0, 0);
            continue;
        }
        s->reply = (struct net_reply){
            .outbox_id = s->row->id,
            .root = s->row->root,
            .in_reply_to = s->row->in_reply_to,
            .parent_author = s->row->parent_author,
            .parent_meta = s->row->parent_meta,
            .body = s->row->body,
            .idempotency_key = s->row->idempotency_key,
            .created_at = s->row->created_at,
            .claimed_at = s->row->claimed_at,
        };
        net_op_clear(&s->op);
        if (s->tried_before) {
            s->op.kind = NET_FIND_REPLY;
            s->op.acct = s->acct;
            s->op.reply = &s->reply;
            net_op_start(s->run->client, &s->op, looked, s);
        } else {
            start_post(s);
        }
        return;
    }
}

int
outbox_send_all(struct db *db, const struct config *cfg, const char *officer,
                const struct http_options *o, outbox_send_fn report_fn, void *arg, char **err)
{
    struct outbox_row *rows;
    size_t n;
    if (bundle_refuse_network(db, "send replies", err) != 0)
        return -1;
    if (outbox_list(db, OUTBOX_PENDING, &rows, &n, err) != 0)
        return -1;
    struct http_client *client = http_client_new(o, err);
    if (client == NULL) {
        outbox_rows_free(rows, n);
        return -1;
    }
    struct send_run run = {.db = db, .client = client, .officer = officer, .report = report_fn,
                           .arg = arg};
    struct sender *senders = xcalloc(n ? n : 1, sizeof *senders);
    size_t nsenders = 0;
    for (size_t i = 0; i < n; i++) {
        struct sender *s = NULL;
        for (size_t k = 0; k < nsenders && !s; k++)
            if (strcmp(senders[k].rows[0]->account, rows[i].account) == 0)
                s = &senders[k];
        if (s == NULL) {
            s = &senders[nsenders++];
            s->run = &run;
            s->cfg = config_account_find(cfg, rows[i].account);
            s->rows = xcalloc(n, sizeof *s->rows);
        }
        s->rows[s->n++] = &rows[i];
    }
    for (size_t k = 0; k < nsenders; k++) {
        struct sender *s = &senders[k];
        char *why = NULL;
        const struct config_account *c = s->cfg;
        if (c == NULL)
            why = xasprintf("account %s is not in the configuration any more; add it back to "
                            "send its replies", s->rows[0]->account);
        else if (strcmp(c->platform, s->rows[0]->platform) != 0)
            why = xasprintf("account %s is configured as %s but its replies are for %s; fix "
                            "the configuration", c->name, c->platform, s->rows[0]->platform);
        char *secret = why ? NULL : credentials_read(c, credentials_timeout_ms(), &why);
        if (secret)
            s->acct = net_account_new(c, secret, &why);
        if (s->acct == NULL) {
            /* Nothing was claimed: report every row of the account, leave them queued. */
            for (size_t i = 0; i < s->n; i++) {
                s->row = s->rows[i];
                char *e2 = NULL;
                if (outbox_note_error(db, s->row->id, why, &e2) != 0)
                    free(e2); /* the reason is still reported below */
                report(s, xstrdup(why), 0, 0);
            }
            free(why);
            s->next = s->n;
            continue;
        }
        send_next(s);
    }
    http_client_run(client);
    http_client_free(client);
    for (size_t k = 0; k < nsenders; k++) {
        net_op_clear(&senders[k].op);
        net_account_free(senders[k].acct);
        free(senders[k].rows);
    }
    free(senders);
    outbox_rows_free(rows, n);
    return run.failed;
}
