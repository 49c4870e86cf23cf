/* Secondary indexes built after the rows: an import into an empty cache drops the indexes on
 * posts and threads that its writes do not read, and builds each once at the end with one sort,
 * instead of inserting into them post by post (posts_author takes its entries in no useful
 * order, so every transaction touched most of its pages). The cache records that they are
 * pending, in the same transaction as the drop, so a cache whose import was killed gets them
 * back the next time it is opened (db_open calls post_index_repair). */
#ifndef TACTFUL_POST_INDEX_H
#define TACTFUL_POST_INDEX_H

#include "model/db.h"

/* Drops the deferred indexes when the cache holds no post and none are pending, recording
 * that this process will build them, in its own transaction. Returns 1 when they were
 * dropped, 0 when the cache keeps them (it holds posts), -1 with *err set. */
int post_index_defer(struct db *db, char **err);

/* Whether indexes are pending (dropped by an import, not yet built): 1, 0, or -1 when the
 * cache cannot be read. */
int post_index_pending(struct db *db);

/* Builds every pending index and clears the record, inside the caller's transaction (none is
 * begun here). Does nothing when none are pending. Returns 0, or -1 with *err set. */
int post_index_build(struct db *db, char **err);

/* At open: builds the pending indexes, in a transaction of its own, when the import that
 * dropped them is gone: its process on this host has ended, or it began more than
 * POST_INDEX_MAX_AGE_S ago (on another host, or with a pid reused since). An import still
 * running is left to finish its own. Returns 0, or -1 with *err set. */
int post_index_repair(struct db *db, char **err);

#define POST_INDEX_MAX_AGE_S (24 * 60 * 60)

#endif
