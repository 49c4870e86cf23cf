/* Writing posts into the cache: the one path by which imports and syncs store what they read. */
#ifndef TACTFUL_POST_H
#define TACTFUL_POST_H

#include "model/db.h"

/* Largest sizes a post may carry; bigger input is refused, never truncated silently. */
#define POST_MAX_ID 1024
#define POST_MAX_NAME 1024
#define POST_MAX_URL 4096
#define POST_MAX_TEXT (256 * 1024)
#define POST_MAX_HTML (1024 * 1024)
#define POST_MAX_META (16 * 1024)

/* One post as read from outside. Strings are borrowed; parent, author_name, html, url and
 * title may be NULL. created_at is the stored UTC form (see isotime.h). */
struct post_in {
    const char *platform;
    const char *account;
    const char *thread;
    const char *id;
    const char *parent;
    const char *author;
    const char *author_name;
    const char *created_at;
    const char *text;
    const char *html;
    const char *url;
    const char *title;
    int own;
    const char *meta;  /* platform extras as a JSON object (see posts.meta), or NULL to keep
                        * what the cache holds */
};

enum post_result { POST_UNCHANGED, POST_NEW, POST_UPDATED };

/* Prepared statements for a run of writes; the caller holds the transaction. */
struct post_writer;

/* Returns a writer for db, or NULL with *err set. */
struct post_writer *post_writer_new(struct db *db, char **err);

/* Stores p, creating its account, author and thread as needed. Storing the same post twice
 * changes nothing (*result POST_UNCHANGED); a changed post is updated in place. Returns 0, or
 * -1 with *err set to a sentence (the account belongs to another platform, a SQL failure). */
int post_writer_put(struct post_writer *w, const struct post_in *p, enum post_result *result,
                    char **err);

/* Brings the full-text index and the thread summaries (post count, first and last activity,
 * latest post) up to date for everything put since the writer was made or last finished.
 * Must be called before the caller commits; until then new posts are not searchable and their
 * threads' summaries are stale. Returns 0, or -1 with *err set. */
int post_writer_finish(struct post_writer *w, char **err);

/* Number of threads created by this writer so far. */
long post_writer_new_threads(const struct post_writer *w);

void post_writer_free(struct post_writer *w);

#endif
