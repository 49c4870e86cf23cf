/* Drafts of replies and what happens to them (issue 6). A draft is `editing` while it is
 * written (saved cheaply as it is typed), then submitted: refused while an error finding of the
 * guardrails stands without an override; `pending_approval` when its pattern, a finding or the
 * policy wants a second officer; otherwise approved and queued into the outbox at once. A
 * second officer approves (then it is queued) or returns it with a comment (`returned`, to be
 * edited and submitted again); any draft not yet queued can be discarded. Every step is
 * audited with who and when: draft.create, draft.submit, draft.refused is not kept (nothing
 * changes), guard.override / guard.approval-request / guard.approve (model/guard_override.h),
 * draft.approve, draft.return, draft.discard, draft.queue and outbox.enqueue. */
#ifndef TACTFUL_DRAFT_H
#define TACTFUL_DRAFT_H

#include "model/db.h"
#include "model/guard.h"

#include <stdbool.h>
#include <stddef.h>

#define DRAFT_MAX_BODY (64 * 1024)
#define DRAFT_MAX_COMMENT 2000
#define DRAFT_MAX_OVERRIDES 32

/* One draft. Strings are newly allocated, NULL when the column is NULL. */
struct draft {
    long id;
    long thread;
    char *in_reply_to;     /* remote id of the post answered; NULL: the thread's root */
    char *pattern;
    char *body;
    char *state;           /* editing, pending_approval, returned, approved, queued, sent,
                            * discarded */
    char *officer;         /* who wrote it */
    char *created_at;
    char *updated_at;
    char *reviewer;
    char *review_comment;
};

/* An officer's written reason to send past a rule's findings. */
struct draft_override {
    const char *rule;
    const char *reason;
};

/* What a submission is checked with. */
struct draft_check {
    const struct guard *guard;
    bool pattern_approval;           /* the pattern wants a second officer */
    const struct draft_override *overrides;
    size_t noverrides;
    const char *today;               /* "YYYY-MM-DD" for the election period; NULL: today */
};

enum draft_outcome {
    DRAFT_REFUSED,                   /* an error finding stands; nothing changed */
    DRAFT_PENDING,                   /* waits for a second officer */
    DRAFT_QUEUED,                    /* approved and in the outbox */
};

/* What became of a submission. findings holds every finding (free with
 * guard_result_free); blocking lists the rules that refused it, held those among them that
 * could not be checked to the end (no override passes them), why_approval why it waits (all
 * newly allocated, "" when none). */
struct draft_submission {
    enum draft_outcome outcome;
    long outbox_id;
    struct guard_result findings;
    char *blocking;
    char *held;
    char *why_approval;
};

/* Creates an `editing` draft in thread (which must exist) answering in_reply_to (a post of
 * that thread, or NULL) and audits it. Sets *id. Returns 0 or -1 with *err set. */
int draft_create(struct db *db, const char *officer, long thread, const char *in_reply_to,
                 const char *pattern, const char *body, long *id, char **err);

/* Saves a new body (autosave: the body and updated_at only, not audited). Only the draft's
 * own officer may, and only while it is editing or returned. Returns 0 or -1 with *err. */
int draft_save(struct db *db, const char *officer, long id, const char *body, char **err);

/* Reads draft id into *out. Returns 0, 1 when there is none, -1 with *err set. */
int draft_get(struct db *db, long id, struct draft *out, char **err);

/* Reads drafts, newest first: of one thread (0: all) and in one state (NULL: all but
 * discarded and sent). Returns 0 or -1 with *err set. */
int draft_list(struct db *db, long thread, const char *state, struct draft **out, size_t *n,
               char **err);

void draft_clear(struct draft *d);
void draft_list_free(struct draft *d, size_t n);

/* Whether state is one of the draft states. */
bool draft_state_valid(const char *state);

/* The first template placeholder ({author}, {topic}, {link}, {signature}) left in body, or
 * NULL: a draft holding one is not ready to submit. */
const char *draft_placeholder_left(const char *body);

/* Where the first placeholder ({author}, {topic}, {link}, {signature}) in body begins, in
 * reading order, or NULL when there is none: where the officer starts writing. */
const char *draft_placeholder_first(const char *body);

/* The signature to append to body, or NULL when signature is NULL or empty or body already
 * holds it: the signature is sent exactly once. */
const char *draft_signature_missing(const char *body, const char *signature);

/* body as it is sent: with the signature appended after a space when it is missing. Newly
 * allocated. */
char *draft_signed(const char *body, const char *signature);

/* Runs the guardrails over draft d as a submission would (its thread's platform, the post it
 * answers, its pattern when the guardrails know it), changing nothing. Fills *res (free it with
 * guard_result_free) and returns 0, or -1 with *err set. */
int draft_findings(struct db *db, const struct guard *g, const struct draft *d,
                   const char *today, struct guard_result *res, char **err);

/* Submits draft id as its officer, through the guardrails (see the top of this file). Returns
 * 0 with *res filled (the caller frees it with draft_submission_free), or -1 with *err set: no
 * such draft, not the officer's, not editing or returned, a bad override reason or an
 * override naming a rule with no finding. */
int draft_submit(struct db *db, const char *officer, long id, const struct draft_check *check,
                 struct draft_submission *res, char **err);

void draft_submission_free(struct draft_submission *res);

/* Approves a pending draft as approver, who must not be its officer: grants the approvals its
 * findings asked for and queues it. Sets *outbox_id. Returns 0 or -1 with *err set. */
int draft_approve(struct db *db, const struct guard *g, const char *approver, long id,
                  const char *today, long *outbox_id, char **err);

/* Returns a pending draft to its officer with a comment (1 to DRAFT_MAX_COMMENT bytes);
 * reviewer must not be its officer. Returns 0 or -1 with *err set. */
int draft_return(struct db *db, const char *reviewer, long id, const char *comment,
                 char **err);

/* Discards a draft that is not queued or sent. Returns 0 or -1 with *err set. */
int draft_discard(struct db *db, const char *officer, long id, char **err);

/* Whether someone else is at work on thread: another officer's live draft, or a reply of ours
 * (sent or queued) in the last 24 hours. Returns 1 with *why (newly allocated sentence), 0
 * when not, -1 with *err set. */
int draft_busy(struct db *db, const char *officer, long thread, char **why, char **err);

#endif
