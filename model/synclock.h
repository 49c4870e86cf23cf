/* One syncer per account: a lock row in the cache that a tactful process takes before it syncs
 * an account and gives back when that account's sync ends, so that two processes on one cache
 * (a cron `tactful sync` and an open interface, two officers) never sync the same account at
 * once. The second is told who holds it. A lock is stale, and taken over, when its holder is a
 * process on this host that has gone, or when it is older than max_age_s (a holder on another
 * host, or a pid reused since). */
#ifndef TACTFUL_SYNCLOCK_H
#define TACTFUL_SYNCLOCK_H

#include "model/db.h"

#include <time.h>

#define SYNCLOCK_MAX_AGE_S (60 * 60) /* longer than any sync: fetch, waits and commit */
#define SYNCLOCK_MAX_HOST 255

/* Who asks for a lock, and when: filled by synclock_self_init, set by hand in tests. */
struct synclock_self {
    long pid;
    char host[SYNCLOCK_MAX_HOST + 1];
    time_t now;
    long max_age_s;
    /* Whether process pid on this host still runs; NULL asks the system (kill(pid, 0)). */
    int (*alive)(long pid);
};

/* Who holds a lock. */
struct synclock_holder {
    long pid;
    char host[SYNCLOCK_MAX_HOST + 1];
    char started_at[24];   /* stored UTC form */
};

/* Fills self with this process, this host, the present time and SYNCLOCK_MAX_AGE_S. */
void synclock_self_init(struct synclock_self *self);

/* Takes the lock of account for self, in its own transaction. Returns 0 when self holds it now
 * (a lock self already held is taken again), 1 when another live process holds it (*holder
 * says who; may be NULL), or -1 with *err set. */
int synclock_take(struct db *db, const char *account, const struct synclock_self *self,
                  struct synclock_holder *holder, char **err);

/* Gives back the lock of account if self holds it. Returns 0, or -1 with *err set. */
int synclock_release(struct db *db, const char *account, const struct synclock_self *self,
                     char **err);

/* Reads who holds the lock of account now, stale or not. Returns 1 and fills *holder when
 * someone does, 0 when no one, -1 with *err set. */
int synclock_holder_get(struct db *db, const char *account, struct synclock_holder *holder,
                        char **err);

/* A sentence saying who syncs account, for the one who was refused. Newly allocated. */
char *synclock_busy_message(const char *account, const struct synclock_holder *holder,
                            const struct synclock_self *self);

#endif
