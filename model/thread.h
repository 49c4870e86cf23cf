/* Reading threads: the inbox list (paged, filtered, sorted), per-state counts, and one thread
 * with its posts in conversation order. */
#ifndef TACTFUL_THREAD_H
#define TACTFUL_THREAD_H

#include "model/db.h"
#include "model/isotime.h"
#include "model/query.h"
#include "model/triage_state.h"

#include <stddef.h>

enum thread_sort { THREAD_SORT_ACTIVITY, THREAD_SORT_PRIORITY, THREAD_SORT_AGE };

/* What is happening to a thread's replies: bits of thread_row.replies, read with the row
 * (drafts and outbox entries, by the indexes on thread and state; what upstream stands in
 * the way, from the thread and its latest post). */
enum thread_reply {
    THREAD_REPLY_DRAFT = 1,     /* a draft being written */
    THREAD_REPLY_RETURNED = 2,  /* a draft returned by the approver, to change */
    THREAD_REPLY_PENDING = 4,   /* a draft waiting for a second officer's approval */
    THREAD_REPLY_QUEUED = 8,    /* a reply in the outbox waiting to be sent */
    THREAD_REPLY_FAILED = 16,   /* a reply the platform refused */
    THREAD_REPLY_SENT = 32,     /* a reply sent */
    THREAD_REPLY_DELETED = 64,  /* its latest post was deleted upstream (model/upstream.h) */
    THREAD_REPLY_REFUSED = 128, /* its platform refuses replies in it (threads.reply_refused) */
    THREAD_REPLY_PRIVATE = 256, /* its latest post is a direct message or followers-only: a
                                 * reply stays as private */
};

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
    unsigned replies;     /* enum thread_reply bits */
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

/* Asked now and then during a long count; nonzero stops it (a key waiting, say). */
typedef int thread_stop_fn(void *arg);

/* As thread_count_states, but asks stop(arg) every few thousand steps and gives up when it
 * says so: returns 1 then, counts untouched (so does an error's -1). */
int thread_count_states_until(struct db *db, const struct query *q,
                              long counts[TRIAGE_NSTATES], thread_stop_fn *stop, void *arg,
                              char **err);

void thread_list_free(struct thread_list *l);

/* Frees what a row owns (not the row itself). */
void thread_row_clear(struct thread_row *r);

/* A listing read one row at a time, so its memory does not grow with its length (the CLI's
 * list and search). Same rows, order and snippets as thread_list with offset 0. */
struct thread_cursor;

/* Starts the listing, or returns NULL with *err set (for instance an FTS syntax problem). */
struct thread_cursor *thread_cursor_open(struct db *db, const struct query *q,
                                         enum thread_sort sort, long limit, char **err);

/* Fills r with the next row (the caller clears it with thread_row_clear). Returns 1 for a
 * row, 0 at the end, or -1 with *err set. */
int thread_cursor_next(struct thread_cursor *c, struct thread_row *r, char **err);

/* Ends the listing. NULL is fine. */
void thread_cursor_free(struct thread_cursor *c);

/* Sets *ids (ascending; the caller frees it) and *n to the threads that match q (as
 * thread_list does, snoozed ones left out unless q->include_snoozed) and also match every
 * filter and word of also (NULL: no more), at most limit of them. Returns 0 or -1 with *err. */
int thread_ids(struct db *db, const struct query *q, const struct query *also, long limit,
               long **ids, size_t *n, char **err);

/* Sets *n to the threads matching q (snoozed ones left out unless q->include_snoozed) that
 * arrived after thread after_id (a higher id) and are unread: the inbox's "N new". Returns 0
 * or -1 with *err set. */
int thread_count_new(struct db *db, const struct query *q, long after_id, long *n, char **err);

/* The highest thread id in the cache (0 when there is none): where "new" starts. */
long thread_max_id(struct db *db);

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
    int is_private;       /* seen only by whom it names or by the author's followers (Mastodon
                             visibility direct or private): a reply to it stays as private */
    char *edited_at;      /* when the author last edited it (stored UTC form), or NULL */
    char *deleted_at;     /* when it was found deleted upstream (model/upstream.h), or NULL */
    char *deleted_reason; /* and how ("deleted on Mastodon"), or NULL */
    char *meta;           /* its platform extras as JSON (posts.meta; model/extras.h), or NULL */
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
    char *reply_refused;  /* why the platform would refuse a reply here, or NULL */
};

/* Loads thread id with its posts as a depth-first tree (siblings by time) and its notes.
 * Returns NULL with *err set; a missing id is "no thread N". */
struct thread *thread_get(struct db *db, long id, char **err);

void thread_free(struct thread *t);

/* What an idle screen watches to know when its threads must be read again: the cache's data
 * version, and when the next snoozed thread wakes. */
struct thread_watch {
    long long version;
    char wake[ISOTIME_LEN];   /* "" when no thread is snoozed */
};

/* Takes the watch's starting point, after a (re)load. */
void thread_watch_start(struct db *db, struct thread_watch *w);

/* Rereads when the next snoozed thread wakes, keeping the version: after the screen's own
 * changes (a snooze set or cleared), which the screen shows itself. */
void thread_watch_wake(struct db *db, struct thread_watch *w);

/* Whether the threads must be read again: another process wrote to the cache, or a snoozed
 * thread woke, since thread_watch_start. Reads nothing from the cache file: an idle screen
 * with no change costs no disk reads. */
int thread_watch_due(struct db *db, const struct thread_watch *w);

/* Marks a thread read up to its latest activity. Returns 0 or -1 with *err. */
int thread_mark_seen(struct db *db, long id, char **err);

/* Marks a thread unread, as if never opened: the inbox shows it with its unread mark again and
 * the thread view treats every post as new. Returns 0 or -1 with *err. */
int thread_mark_unseen(struct db *db, long id, char **err);

#endif
