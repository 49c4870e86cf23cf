/* Shared between model/bundle.c and model/bundle_merge.c; not for other modules. */
#ifndef TACTFUL_BUNDLE_IMPL_H
#define TACTFUL_BUNDLE_IMPL_H

#include "model/bundle.h"

/* The cache's identity (cache_info 'id'), newly allocated; NULL with *err set. */
char *bundle_cache_id(struct db *db, char **err);

/* Opens the bundle at path read-only in its own connection (triggers, views and untrusted
 * schema functions off) after checking that it is a regular file of at most BUNDLE_MAX_BYTES,
 * a SQLite file of this tactful's schema version whose integrity check passes, whose tables
 * are exactly the ones this tactful writes, with bounded row counts and one bundle record,
 * which is read into *info. Returns the connection (close it with db_close) or NULL with *err
 * set to a sentence. */
struct db *bundle_open(const char *path, struct bundle_info *info, char **err);

#endif
