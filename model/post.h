/* Writing posts into the cache: the one path by which imports and syncs store what they read. */
#ifndef TACTFUL_POST_H
#define TACTFUL_POST_H

#include "model/db.h"

/* Largest sizes a post may carry. The writer has one policy for what is bigger, whether it
 * comes from an import or a sync: a post with an identifier (platform, account, thread, id,
 * parent, author, created_at) over its limit is refused, since a cut one would name another
 * post; content over its limit is stored shortened (author_name, text, html and title cut on
 * a UTF-8 boundary; url and meta, which a cut would break, left out), the post is marked
 * (posts.shortened) and the writer counts it, so that the import's report and the sync's
 * summary can say so. Nothing is shortened silently. */
#define POST_MAX_PLATFORM 32
#define POST_MAX_TIME 64
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

/* What the writer did with a post. POST_REFUSED: an identifier was too long (post_check); the
 * post was not stored. */
enum post_result { POST_UNCHANGED, POST_NEW, POST_UPDATED, POST_REFUSED };

/* Checks p's identifiers against the limits. Returns 0, or -1 with *err naming the field and
 * its size; the writer refuses such a post, and an import refuses the file before writing. */
int post_check(const struct post_in *p, char **err);

/* The number of content fields post_fit may shorten: the size of its owned array. */
#define POST_FIT_FIELDS 6

/* Copies p into out with its content fitted to the limits, the cut copies in owned (freed with
 * post_fit_free). Returns 1 when something was shortened or left out, else 0. */
int post_fit(const struct post_in *p, struct post_in *out, char *owned[POST_FIT_FIELDS]);
void post_fit_free(char *owned[POST_FIT_FIELDS]);

/* Prepared statements for a run of writes; the caller holds the transaction. */
struct post_writer;

/* Returns a writer for db, or NULL with *err set. */
struct post_writer *post_writer_new(struct db *db, char **err);

/* Stores p, creating its account, author and thread as needed, under the limits above (a post
 * with an identifier too long: *result POST_REFUSED, nothing stored). Storing the same post
 * twice changes nothing (*result POST_UNCHANGED); a changed post is updated in place. Returns
 * 0, or -1 with *err set to a sentence (the account belongs to another platform, a SQL
 * failure). */
int post_writer_put(struct post_writer *w, const struct post_in *p, enum post_result *result,
                    char **err);

/* Brings the full-text index and the thread summaries (post count, first and last activity,
 * latest post) up to date for everything put since the writer was made or last finished.
 * Must be called before the caller commits; until then new posts are not searchable and their
 * threads' summaries are stale. Returns 0, or -1 with *err set. */
int post_writer_finish(struct post_writer *w, char **err);

/* Number of threads created by this writer so far. */
long post_writer_new_threads(const struct post_writer *w);

/* Number of posts this writer stored shortened (new or updated ones), and refused, so far. */
long post_writer_shortened(const struct post_writer *w);
long post_writer_refused(const struct post_writer *w);

void post_writer_free(struct post_writer *w);

#endif
