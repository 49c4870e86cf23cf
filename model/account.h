/* What the cache knows about each configured account between syncs: its sync cursor, when it
 * last synced, the last error, the platform's limits and who the account is there. */
#ifndef TACTFUL_ACCOUNT_H
#define TACTFUL_ACCOUNT_H

#include "model/db.h"

#define ACCOUNT_MAX_CURSOR (64 * 1024)
#define ACCOUNT_MAX_ERROR 2048

/* One account's sync state; every string is newly allocated or NULL. */
struct account_state {
    char *platform;
    char *base_url;
    char *cursor;      /* opaque to the cache: each platform adapter writes its own */
    char *last_sync;   /* stored UTC time of the last successful sync */
    char *last_error;  /* reason the last sync failed, NULL after a success */
    char *limits;      /* JSON object, e.g. {"max_characters":500} */
    char *remote_user; /* who the account is there, as people see it */
    char *last_attempt; /* stored UTC time of the last sync tried, good or failed */
    long last_new;     /* new threads its last good sync brought; -1 when not known */
};

/* Reads the state of account name into st (all NULL when the cache has never seen it).
 * Returns 0, or -1 with *err set. */
int account_state_get(struct db *db, const char *name, struct account_state *st, char **err);

void account_state_clear(struct account_state *st);

/* Records a successful sync of account name inside the caller's transaction: creates the row
 * when needed, stores the new cursor (NULL keeps the old one), limits and remote user (NULL
 * keeps), sets last_sync to now and clears last_error. Refuses an account that the cache holds
 * for another platform. Returns 0, or -1 with *err set. */
int account_sync_ok(struct db *db, const char *name, const char *platform, const char *base_url,
                    const char *cursor, const char *limits, const char *remote_user,
                    char **err);

/* Records, inside the caller's transaction after account_sync_ok, how many new threads the
 * sync brought (for the status of the last sync). Returns 0, or -1 with *err set. */
int account_sync_counted(struct db *db, const char *name, long new_threads, char **err);

/* Records why a sync of account name failed (in its own transaction when none is open). The
 * cursor and the data are left alone. Returns 0, or -1 with *err set. */
int account_sync_failed(struct db *db, const char *name, const char *platform,
                        const char *base_url, const char *reason, char **err);

/* Forgets the cursor of account name, so the next sync starts afresh (used when the account's
 * URL changed). Returns 0, or -1 with *err set. */
int account_cursor_reset(struct db *db, const char *name, char **err);

#endif
