/* Sending the outbox: each queued reply goes to its platform at most once. For every row the
 * claim (state `sending`, one more attempt) is committed before any request; a row that was
 * tried before, or left `sending` by a process that died, is first looked for on the platform
 * (find_reply) and only sent when it is not there. Mastodon sends also carry the row's
 * Idempotency-Key. A success records the remote id and URL, stores the sent post, marks the
 * thread replied and audits it, all in one transaction; a failure puts the row back in the
 * queue with its error. Accounts send in parallel, each account's rows in order. */
#ifndef TACTFUL_NET_OUTBOX_SEND_H
#define TACTFUL_NET_OUTBOX_SEND_H

#include "model/config.h"
#include "model/db.h"
#include "net/http.h"

/* How one reply went. Strings are borrowed for the callback's duration. */
struct outbox_send_report {
    long id;               /* outbox row */
    long thread;
    const char *account;
    int ok;                /* sent now, or found sent by an earlier attempt */
    int found_earlier;     /* it was already on the platform */
    int skipped;           /* another live tactful is sending it */
    const char *error;
    const char *remote_id;
    const char *remote_url;
    const char *note;
};

typedef void (*outbox_send_fn)(const struct outbox_send_report *r, void *arg);

/* Sends every pending reply, as officer. Returns the number that failed (skipped ones do not
 * count), or -1 with *err set when the outbox cannot be read. */
int outbox_send_all(struct db *db, const struct config *cfg, const char *officer,
                    const struct http_options *o, outbox_send_fn report, void *arg, char **err);

#endif
