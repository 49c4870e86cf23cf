/* The append-only audit log: who did what, when, to which thread. */
#ifndef TACTFUL_AUDIT_H
#define TACTFUL_AUDIT_H

#include "model/db.h"

#include <stddef.h>

struct audit_entry {
    long id;
    char *at;
    char *officer;
    char *action;
    long thread;     /* 0 when the action concerns no thread */
    char *details;   /* a JSON object */
};

/* Appends an entry; details_json must be a JSON object (NULL means {}). Runs inside the
 * caller's transaction when there is one. Returns 0 and sets *id (when id is not NULL) to the
 * new entry's id, or -1 with *err set. */
int audit_append(struct db *db, const char *officer, const char *action, long thread,
                 const char *details_json, long *id, char **err);

/* Reads the log oldest first, for one thread or all (thread 0). Returns 0 or -1 with *err. */
int audit_list(struct db *db, long thread, struct audit_entry **out, size_t *n, char **err);

/* Reads up to limit entries newest first, after skipping the offset newest, for one thread or
 * all (thread 0): one page of a long log. Returns 0 or -1 with *err. */
int audit_page(struct db *db, long thread, long offset, long limit, struct audit_entry **out,
               size_t *n, char **err);

/* Counts the entries of one thread or all (thread 0) newer than entry newer_than (0: every
 * entry; an entry's place in the log newest first is the count of those newer). Returns 0 or
 * -1 with *err. */
int audit_count_newer(struct db *db, long thread, long newer_than, long *count, char **err);

/* Reads entry id into *out (which the caller releases with audit_entry_clear). Returns 0, or
 * -1 with *err set ("no audit entry N" when there is none). */
int audit_get(struct db *db, long id, struct audit_entry *out, char **err);

/* Frees what one entry owns (not the entry itself). */
void audit_entry_clear(struct audit_entry *e);

void audit_entries_free(struct audit_entry *e, size_t n);

#endif
