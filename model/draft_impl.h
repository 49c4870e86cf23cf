/* Shared between model/draft.c and model/draft_submit.c; not for other modules. */
#ifndef TACTFUL_DRAFT_IMPL_H
#define TACTFUL_DRAFT_IMPL_H

#include "model/db.h"

/* Audits action on draft id with details {"draft": id, key: value} (key NULL: just the id).
 * Runs inside the caller's transaction. Returns 0 or -1 with *err set. */
int draft_audit(struct db *db, const char *officer, const char *action, long thread, long id,
                const char *key, const char *value, char **err);

#endif
