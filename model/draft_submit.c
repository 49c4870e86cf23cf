/* Submitting and approving drafts: the guardrails decide whether a draft is refused, waits
 * for a second officer or goes straight to the outbox. See model/draft.h. */
#include "model/draft.h"

#include "model/draft_impl.h"
#include "model/guard_override.h"
#include "model/outbox.h"
#include "model/platform.h"
#include "model/upstream.h"
#include "model/xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define APPROVAL_REASON "Submitted for a second officer's approval."

/* The thread's platform and the text of the post answered (newly allocated; NULL when the
 * post is not in the cache). Returns 0 or -1 with *err set. */
static int
thread_context(struct db *db, const struct draft *d, char **platform, char **context,
               char **err)
{
    *platform = *context = NULL;
    sqlite3_stmt *st = db_prepare(
        db, "SELECT a.platform, (SELECT body FROM posts WHERE thread_id = t.id AND remote_id ="
            " coalesce(?2, t.root_remote_id)) FROM threads t JOIN accounts a"
            " ON a.id = t.account_id WHERE t.id = ?1", err);
    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, d->thread);
    db_bind_text(st, 2, d->in_reply_to);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *platform = db_column_strdup(st, 0);
        *context = db_column_strdup(st, 1);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW) {
        *err = xasprintf("no thread %ld", d->thread);
        return -1;
    }
    return 0;
}

/* Runs the guardrails over draft d. Returns 0 with *res filled or -1 with *err set. */
int
draft_findings(struct db *db, const struct guard *g, const struct draft *d, const char *today,
            struct guard_result *res, char **err)
{
    char *platform, *context;
    if (thread_context(db, d, &platform, &context, err) != 0)
        return -1;
    struct guard_input in = {
        .draft = d->body,
        .draft_len = strlen(d->body),
        .platform = platform_find(platform) ? platform : NULL,
        .context = context,
        .context_len = context ? strlen(context) : 0,
        .pattern = d->pattern && guard_pattern_find(d->pattern) ? d->pattern : NULL,
        .today = today,
    };
    int rc = guard_check(g, &in, res, err);
    free(platform);
    free(context);
    return rc;
}

/* The override given for rule, or NULL. */
static const struct draft_override *
find_override(const struct draft_check *c, const char *rule)
{
    for (size_t i = 0; i < c->noverrides; i++)
        if (strcmp(c->overrides[i].rule, rule) == 0)
            return &c->overrides[i];
    return NULL;
}

/* Checks the overrides: a valid reason each, and a finding of each rule. */
static int
overrides_valid(const struct draft_check *c, const struct guard_result *r, char **err)
{
    if (c->noverrides > DRAFT_MAX_OVERRIDES) {
        *err = xasprintf("at most %d overrides", DRAFT_MAX_OVERRIDES);
        return -1;
    }
    for (size_t i = 0; i < c->noverrides; i++) {
        bool found = false;
        for (size_t k = 0; k < r->n && !found; k++)
            found = strcmp(r->findings[k].rule, c->overrides[i].rule) == 0;
        if (!found) {
            *err = xasprintf("nothing to override: the draft has no finding of %s",
                             c->overrides[i].rule);
            return -1;
        }
        char *why = NULL;
        if (!guard_reason_valid(c->overrides[i].reason, &why)) {
            *err = xasprintf("the reason to override %s: %s", c->overrides[i].rule, why);
            free(why);
            return -1;
        }
    }
    return 0;
}

/* Appends word to a ", "-separated list unless it is there already. */
static void
list_add(struct buf *b, const char *word)
{
    size_t n = strlen(word);
    for (const char *at = b->data; at && (at = strstr(at, word)) != NULL; at += n)
        if ((at == b->data || at[-1] == ' ') && (at[n] == '\0' || at[n] == ','))
            return;
    if (b->len)
        buf_adds(b, ", ");
    buf_adds(b, word);
}

/* Goes through the findings inside the transaction: records overrides, asks for approvals,
 * and collects what blocks the draft and why it needs approval. */
static int
resolve(struct db *db, const struct draft_check *c, const char *officer, const struct draft *d,
        const struct guard_result *r, struct buf *blocking, struct buf *held, struct buf *why,
        char **err)
{
    size_t len = strlen(d->body);
    for (size_t i = 0; i < r->n; i++) {
        const struct guard_finding *f = &r->findings[i];
        const struct draft_override *o = find_override(c, f->rule);
        if (f->incomplete) {
            list_add(blocking, f->rule);
            list_add(held, f->rule);
            continue;
        }
        bool approval = f->approval || guard_rule_needs_approval(c->guard, f->rule);
        if (approval) {
            if (guard_approval_request(db, officer, d->thread, d->body, len, f,
                                       o ? o->reason : APPROVAL_REASON, err) != 0)
                return -1;
            list_add(why, f->rule);
            continue;
        }
        if (f->severity != GUARD_ERROR)
            continue;
        if (o == NULL) {
            list_add(blocking, f->rule);
            continue;
        }
        enum guard_override_result rc = guard_override(db, c->guard, officer, d->thread,
                                                       d->body, len, f, o->reason, err);
        if (rc == GUARD_OVERRIDE_FAILED)
            return -1;
    }
    return 0;
}

/* Sets the draft's state (and reviewer when not NULL). */
static int
set_state(struct db *db, long id, const char *state, const char *reviewer, char **err)
{
    sqlite3_stmt *st = db_prepare(db, "UPDATE drafts SET state = ?2, updated_at ="
                                      " strftime('%Y-%m-%dT%H:%M:%SZ', 'now'),"
                                      " reviewer = coalesce(?3, reviewer) WHERE id = ?1", err);
    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    db_bind_text(st, 2, state);
    db_bind_text(st, 3, reviewer);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        *err = db_error(db, "cannot update the draft");
        return -1;
    }
    return 0;
}

/* Queues draft d into the outbox as officer and marks it queued. */
static int
queue(struct db *db, const char *officer, const struct draft *d, long *outbox_id, char **err)
{
    if (outbox_enqueue(db, officer, d->thread, d->in_reply_to, d->body, d->id, outbox_id,
                       err) != 0)
        return -1;
    if (set_state(db, d->id, "queued", NULL, err) != 0)
        return -1;
    char num[32];
    snprintf(num, sizeof num, "%ld", *outbox_id);
    return draft_audit(db, officer, "draft.queue", d->thread, d->id, "outbox", num, err);
}

/* Reads draft id, failing with a sentence when it does not exist. */
static int
load(struct db *db, long id, struct draft *d, char **err)
{
    int got = draft_get(db, id, d, err);
    if (got == 1)
        *err = xasprintf("no draft %ld", id);
    return got == 0 ? 0 : -1;
}

/* The submission's decision inside the transaction. */
static int
decide(struct db *db, const char *officer, const struct draft *d, const struct draft_check *c,
       struct draft_submission *res, char **err)
{
    struct buf blocking = {0}, held = {0}, why = {0};
    buf_adds(&blocking, "");
    buf_adds(&held, "");
    buf_adds(&why, "");
    if (c->pattern_approval)
        list_add(&why, d->pattern ? d->pattern : "the pattern");
    int rc = resolve(db, c, officer, d, &res->findings, &blocking, &held, &why, err);
    res->blocking = buf_take(&blocking);
    res->held = buf_take(&held);
    res->why_approval = buf_take(&why);
    if (rc != 0)
        return -1;
    if (res->blocking[0]) {
        res->outcome = DRAFT_REFUSED;
        return 1;
    }
    const char *next = res->why_approval[0] ? "pending_approval" : "approved";
    if (set_state(db, d->id, next, NULL, err) != 0 ||
        draft_audit(db, officer, "draft.submit", d->thread, d->id, "state", next, err) != 0)
        return -1;
    if (res->why_approval[0]) {
        res->outcome = DRAFT_PENDING;
        return 0;
    }
    res->outcome = DRAFT_QUEUED;
    return queue(db, officer, d, &res->outbox_id, err);
}

/* Returns nonzero, with *err set, when the platform would not take a reply to d's post (it
 * was deleted since, the thread stopped taking replies) or the cache cannot say. */
static int
refused(struct db *db, const struct draft *d, char **err)
{
    char *why = NULL;
    int rc = upstream_reply_refused(db, d->thread, d->in_reply_to, &why, err);
    if (rc > 0)
        *err = xasprintf("draft %ld cannot be submitted: %s", d->id, why);
    free(why);
    return rc != 0;
}

/* Submits a draft through the guardrails. */
int
draft_submit(struct db *db, const char *officer, long id, const struct draft_check *c,
             struct draft_submission *res, char **err)
{
    memset(res, 0, sizeof *res);
    struct draft d;
    if (load(db, id, &d, err) != 0)
        return -1;
    int rc = -1;
    if (strcmp(d.officer, officer) != 0)
        *err = xasprintf("draft %ld is %s's; only they can submit it", id, d.officer);
    else if (strcmp(d.state, "editing") != 0 && strcmp(d.state, "returned") != 0)
        *err = xasprintf("draft %ld is %s; only a draft being edited or returned can be "
                         "submitted", id, d.state);
    else if (d.body[0] == '\0')
        *err = xasprintf("draft %ld is empty", id);
    else if (refused(db, &d, err))
        ; /* *err says why the platform would not take it */
    else if (draft_findings(db, c->guard, &d, c->today, &res->findings, err) == 0 &&
             overrides_valid(c, &res->findings, err) == 0 && db_begin(db, err) == 0) {
        rc = decide(db, officer, &d, c, res, err);
        if (rc == 0)
            rc = db_commit(db, err);
        else
            db_rollback(db);
        rc = rc == 1 ? 0 : rc;
    }
    draft_clear(&d);
    return rc;
}

/* Frees what a submission result owns. */
void
draft_submission_free(struct draft_submission *res)
{
    guard_result_free(&res->findings);
    free(res->blocking);
    free(res->held);
    free(res->why_approval);
    memset(res, 0, sizeof *res);
}

/* Grants every approval asked for on d's findings, as approver. */
static int
grant_all(struct db *db, const struct guard *g, const char *approver, const struct draft *d,
          const char *today, char **err)
{
    struct guard_result r = {0};
    if (draft_findings(db, g, d, today, &r, err) != 0) {
        guard_result_free(&r);
        return -1;
    }
    int rc = 0;
    size_t len = strlen(d->body);
    for (size_t i = 0; i < r.n && rc == 0; i++) {
        enum guard_approval st;
        rc = guard_approval_status(db, d->thread, d->body, len, &r.findings[i], &st, err);
        if (rc == 0 && st == GUARD_APPROVAL_PENDING)
            rc = guard_approval_grant(db, approver, d->thread, d->body, len, &r.findings[i],
                                      "Approved with the draft by a second officer.", err);
    }
    guard_result_free(&r);
    return rc;
}

/* Approves a pending draft and queues it. */
int
draft_approve(struct db *db, const struct guard *g, const char *approver, long id,
              const char *today, long *outbox_id, char **err)
{
    struct draft d;
    if (load(db, id, &d, err) != 0)
        return -1;
    int rc = -1;
    if (strcmp(d.state, "pending_approval") != 0)
        *err = xasprintf("draft %ld is %s, not waiting for approval", id, d.state);
    else if (strcmp(d.officer, approver) == 0)
        *err = xasprintf("you cannot approve your own draft %ld: another officer must approve "
                         "it", id);
    else if (db_begin(db, err) == 0) {
        rc = grant_all(db, g, approver, &d, today, err);
        if (rc == 0)
            rc = set_state(db, id, "approved", approver, err);
        if (rc == 0)
            rc = draft_audit(db, approver, "draft.approve", d.thread, id, "officer", d.officer,
                             err);
        if (rc == 0)
            rc = queue(db, approver, &d, outbox_id, err);
        rc = rc == 0 ? db_commit(db, err) : (db_rollback(db), -1);
    }
    draft_clear(&d);
    return rc;
}
