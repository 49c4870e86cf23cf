/* Offline review bundles (issue 6). A bundle is a tactful cache file holding some threads with
 * their posts, authors, accounts (names and platforms; never credentials), triage, notes,
 * drafts and audit history, plus a record (the bundle table) of where, when and by whom it was
 * exported and a baseline: each exported thread's triage and each draft as they were then.
 *
 * On a desktop without network an officer opens the bundle itself (`tactful --db FILE`, the
 * main path) or loads it into an empty cache (`tactful import --bundle FILE`, which makes that
 * cache a copy of the bundle), and reviews there. A bundle never talks to the platforms:
 * bundle_refuse_network says why. Back on the connected machine, bundle_import merges the
 * bundle into the cache it was exported from: for each thread field, tag, note and draft it
 * compares the baseline, the bundle and the cache. A change made only in the bundle is applied
 * through the model's own functions (so it is validated and audited as the officer who made
 * it offline, followed by a "bundle.apply" entry naming the bundle and when it was made); a
 * change made on both sides is reported as a conflict and nothing is overwritten. Drafts
 * submitted offline go through the guardrails again; a draft approved offline is queued only
 * by its offline approver. Merging the same bundle again changes nothing. */
#ifndef TACTFUL_BUNDLE_H
#define TACTFUL_BUNDLE_H

#include "model/db.h"
#include "model/guard.h"
#include "model/pattern.h"

#include <stddef.h>

#define BUNDLE_MAX_BYTES (512L * 1024 * 1024)   /* a bundle file's size */
#define BUNDLE_MAX_THREADS 10000
#define BUNDLE_MAX_ROWS 200000                  /* drafts, notes or audit entries */

/* What a cache knows about the bundle it is. Strings are newly allocated. */
struct bundle_info {
    char *id;
    char *origin;          /* the cache_info id of the cache it came from */
    char *origin_path;
    char *host;
    char *exported_at;
    char *exported_by;
    long audit_max;        /* later audit entries were made offline */
    long note_max;         /* later notes were written offline */
};

/* Which threads to export: those whose ids are listed, else those in state (NULL: all). */
struct bundle_selection {
    const char *state;
    const long *threads;
    size_t nthreads;
};

struct bundle_export_stats {
    char id[40];
    long threads, posts, drafts, notes;
};

/* Writes the selected threads of db into a new bundle at path (through a temporary file
 * renamed into place; an existing file is replaced), as officer, and audits the export as
 * "bundle.export". Refuses a cache that is itself a bundle, an empty selection and more than
 * BUNDLE_MAX_THREADS threads. Returns 0 or -1 with *err set. */
int bundle_export(struct db *db, const char *path, const char *officer,
                  const struct bundle_selection *sel, struct bundle_export_stats *stats,
                  char **err);

/* Whether db is a bundle: 1 with *info filled (release it with bundle_info_clear), 0 when it
 * is an ordinary cache, -1 with *err set. */
int bundle_info_get(struct db *db, struct bundle_info *info, char **err);
void bundle_info_clear(struct bundle_info *info);

/* Returns 0 when db may talk to the platforms, or -1 with *err set to a sentence saying why
 * not (what: "sync", "send replies" ...): db is a bundle, or cannot be read. */
int bundle_refuse_network(struct db *db, const char *what, char **err);

/* A change made on both sides since the export: nothing was changed for it. */
struct bundle_conflict {
    long thread;
    long draft;            /* 0 for a thread field */
    char *field;           /* state, priority, assignee, snoozed_until, topic, draft state,
                              body */
    char *here;            /* the value in this cache (NULL: unset) */
    char *bundle;          /* the value in the bundle */
};

/* What a merge did. Lines are sentences, newly allocated. */
struct bundle_result {
    int loaded;                        /* the bundle was loaded into an empty cache */
    struct bundle_info info;           /* the bundle's record */
    char **applied;                    /* one line per change applied */
    size_t napplied;
    struct bundle_conflict *conflicts;
    size_t nconflicts;
    char **problems;                   /* changes from the bundle that could not be applied */
    size_t nproblems;
};

/* What submissions replayed from a bundle are checked with. */
struct bundle_merge_opts {
    const struct guard *guard;
    const struct pattern_set *patterns;   /* for the patterns that want approval; may be NULL */
    const char *today;                    /* "YYYY-MM-DD"; NULL: today */
    const char *officer;                  /* who merges (audited as "bundle.merge") */
};

/* Reads the bundle at path (read-only, in its own connection, after checking its size,
 * integrity, schema and record) and merges it into db, or loads it when db is an empty
 * cache. Returns 0 with *res filled (release it with bundle_result_free; it may hold
 * conflicts and problems), or -1 with *err set when the bundle is refused (not a bundle,
 * damaged, from a newer tactful or from another cache) and nothing was changed. */
int bundle_import(struct db *db, const char *path, const struct bundle_merge_opts *opts,
                  struct bundle_result *res, char **err);

void bundle_result_free(struct bundle_result *res);

#endif
