/* The outbox: replies waiting to be sent, and what became of them. A reply enters as `queued`,
 * is `sending` from the moment a process claims it until the platform's answer is committed,
 * then `sent` (with the remote id and URL) or back to `queued` with the error and the attempt
 * count. A row left `sending` by a process that died is "in doubt": the sender must look for
 * the reply on the platform before sending it again. A reply the platform cannot take any
 * more (the post answered was deleted since, the thread stopped taking replies) is `failed`,
 * with the reason as its last error (outbox_hold). */
#ifndef TACTFUL_OUTBOX_H
#define TACTFUL_OUTBOX_H

#include "model/db.h"

#include <stddef.h>

#define OUTBOX_MAX_BODY (64 * 1024)
#define OUTBOX_MAX_ERROR 2048

/* One outbox row with what a sender needs about the post it answers. Strings are newly
 * allocated, NULL when the column is NULL. */
struct outbox_row {
    long id;
    long draft_id;          /* 0 when it did not come from a draft */
    long thread_id;
    char *account;
    char *platform;
    char *root;             /* remote id of the thread's root post */
    char *in_reply_to;      /* remote id of the post answered */
    char *parent_author;    /* handle of that post's author */
    char *parent_meta;      /* its platform extras (JSON), see posts.meta */
    char *body;
    char *idempotency_key;  /* stable for the row's life: the same on every attempt */
    char *state;
    int attempts;
    char *last_error;
    char *remote_id;
    char *remote_url;
    char *created_at;
    char *sent_at;
    char *officer;          /* who queued it */
    char *claimed_at;       /* when the last attempt started */
    char *claimed_by;       /* "host:pid" of the process that made it */
    int in_doubt;           /* `sending`, and that process is gone: check before resending */
};

/* Which rows outbox_list returns. */
enum outbox_filter { OUTBOX_ALL, OUTBOX_PENDING /* queued or sending */ };

/* Queues body as a reply in thread (a local thread id) to the post whose remote id is
 * in_reply_to (NULL: the thread's root post), on behalf of officer, and audits it. The body
 * is 1 to OUTBOX_MAX_BODY bytes of UTF-8 without control characters other than newline and
 * tab. draft_id is 0 or the draft it came from. Runs in its own transaction unless the caller
 * holds one. Sets *id. Returns 0, or -1 with *err set. */
int outbox_enqueue(struct db *db, const char *officer, long thread, const char *in_reply_to,
                   const char *body, long draft_id, long *id, char **err);

/* Reads the rows matching filter, oldest first. Returns 0 or -1 with *err set. */
int outbox_list(struct db *db, enum outbox_filter filter, struct outbox_row **rows, size_t *n,
                char **err);

/* Reads one row. Returns 0, 1 when there is no such row, or -1 with *err set. */
int outbox_get(struct db *db, long id, struct outbox_row *row, char **err);

void outbox_row_clear(struct outbox_row *row);
void outbox_rows_free(struct outbox_row *rows, size_t n);

/* Claims row id for sending in a committed transaction, before any request is made: state
 * `sending`, one more attempt, claimed_at now and claimed_by this process. Only a queued row or
 * one in doubt can be claimed. Returns 0 when claimed, 1 when the row is sent already or being
 * sent by a live process, -1 with *err set on a cache error. */
int outbox_claim(struct db *db, long id, char **err);

/* Records that row id reached the platform as remote_id (with its URL, may be NULL): state
 * `sent`, the thread marked `replied`, both audited as officer. Must run inside the caller's
 * transaction (so the caller can store the sent post in the same one). Returns 0 or -1. */
int outbox_mark_sent(struct db *db, long id, const char *officer, const char *remote_id,
                     const char *remote_url, char **err);

/* Puts row id back to `queued` with reason as its last error (its attempt count stays), in its
 * own transaction unless the caller holds one. Returns 0 or -1 with *err set. */
int outbox_mark_failed(struct db *db, long id, const char *reason, char **err);

/* Records reason as the last error of row id while it waits in the queue (a reply that could
 * not even be tried: its account is not configured, its secret cannot be read), without
 * claiming it. A row being sent is left alone. Returns 0 or -1 with *err set. */
int outbox_note_error(struct db *db, long id, const char *reason, char **err);

/* Gives row id up for good (state `failed`) with reason as its last error, and audits it as
 * officer: a reply the platform cannot take any more (the post answered was deleted, the
 * thread stopped taking replies). Runs in its own transaction unless the caller holds one.
 * Returns 0 or -1 with *err set. */
int outbox_hold(struct db *db, long id, const char *officer, const char *reason, char **err);

/* Returns "host:pid" for this process (newly allocated), as stored in claimed_by. */
char *outbox_claimer(void);

/* Returns nonzero when the process named by claimer ("host:pid") may still be running: it is
 * on another host, or on this one and alive. */
int outbox_claimer_alive(const char *claimer);

#endif
