/* Reading threads: the inbox list (paged, filtered, sorted), per-state counts, and one thread
 * with its posts in conversation order. */
#ifndef TACTFUL_THREAD_H
#define TACTFUL_THREAD_H

#include "model/db.h"
#include "model/query.h"
#include "model/triage_state.h"

#include <stddef.h>

enum thread_sort { THREAD_SORT_ACTIVITY, THREAD_SORT_PRIORITY, THREAD_SORT_AGE };

/* One inbox line. Strings are raw (unsanitised) and owned by the row. */
struct thread_row {
    long id;
    char *account;
    char *platform;
    char *root;           /* remote id of the root post */
    char *title;          /* NULL when the platform has none */
    char *url;
    char *last_activity;
    char *first_activity;
    char *state;
    int priority;
    char *assignee;       /* NULL when unassigned */
    char **tags;          /* sorted */
    size_t ntags;
    char *snoozed_until;
    long posts;
    int unread;
    char *latest_text;    /* body of the latest post */
    char *latest_author;  /* its author's handle */
    char *latest_author_name;
    char *snippet;        /* search only: matching text with [ ] around hits */
    char *seen_at;        /* the thread's last_activity when it was last opened, or NULL */
    char *topic;          /* what the thread is about, set by an officer for {topic}, or NULL */
};

struct thread_list {
    struct thread_row *rows;
    size_t n;
};

/* Fills out with up to limit threads matching q (NULL for all), sorted, skipping offset.
 * Threads snoozed until a later time are left out unless q->include_snoozed.
 * Returns 0, or -1 with *err set (for instance an FTS syntax problem). */
int thread_list(struct db *db, const struct query *q, enum thread_sort sort, long limit,
                long offset, struct thread_list *out, char **err);

/* Counts threads matching q per triage state, in triage_state_names order, ignoring q's state:
 * filters so every tab can show its count. Returns 0 or -1 with *err. */
int thread_count_states(struct db *db, const struct query *q, long counts[TRIAGE_NSTATES],
                        char **err);

void thread_list_free(struct thread_list *l);

/* Where thread_list_seek starts, relative to a row of the same listing (same q and sort). */
enum thread_seek {
    THREAD_SEEK_FIRST,  /* the first threads; from is ignored */
    THREAD_SEEK_LAST,   /* the last threads (still in listing order); from is ignored */
    THREAD_SEEK_FROM,   /* from's place on, including from itself while it still matches */
    THREAD_SEEK_AFTER,  /* the threads strictly after from */
    THREAD_SEEK_BEFORE, /* the limit threads just before from (in listing order) */
};

/* Keyset paging for the inbox: like thread_list, but positioned by a row's sort key (its
 * activity times, priority and id) instead of an offset, so every page costs the same however
 * deep it is and a page stays put when threads above it come or go. from is a row returned by
 * an earlier call with the same q and sort (it need not still exist). Returns 0, or -1 with
 * *err set. */
int thread_list_seek(struct db *db, const struct query *q, enum thread_sort sort,
                     enum thread_seek seek, const struct thread_row *from, long limit,
                     struct thread_list *out, char **err);

/* Sets *n to the number of threads matching q that come before row in the listing: row's
 * position, counting from 0. Costs a scan of those threads. Returns 0 or -1 with *err. */
int thread_count_before(struct db *db, const struct query *q, enum thread_sort sort,
                        const struct thread_row *row, long *n, char **err);

/* The distinct values in use for a filter key, sorted, to offer as completions: account
 * names, platforms, tags, assignees or the states (none for from:). At most limit values.
 * The caller frees them with thread_values_free. Returns 0 or -1 with *err set. */
int thread_values(struct db *db, enum query_key key, long limit, char ***out, size_t *n,
                  char **err);

void thread_values_free(char **values, size_t n);

/* One post of a thread in conversation order. */
struct thread_post {
    long id;
    char *remote_id;
    char *parent;         /* remote id, NULL for a root */
    char *author;
    char *author_name;
    char *created_at;
    char *text;
    char *html;
    char *url;
    int own;
    int shortened;        /* stored shortened: it was longer than the cache keeps */
    int depth;            /* 0 for roots and for posts whose parent is not in the cache */
};

struct thread_note {
    char *officer;
    char *created_at;
    char *text;
};

struct thread {
    struct thread_row info;
    struct thread_post *posts;
    size_t nposts;
    struct thread_note *notes;
    size_t nnotes;
};

/* Loads thread id with its posts as a depth-first tree (siblings by time) and its notes.
 * Returns NULL with *err set; a missing id is "no thread N". */
struct thread *thread_get(struct db *db, long id, char **err);

void thread_free(struct thread *t);

/* Marks a thread read up to its latest activity. Returns 0 or -1 with *err. */
int thread_mark_seen(struct db *db, long id, char **err);

#endif
