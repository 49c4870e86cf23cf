/* Reading posts from JSON Lines (see man/tactful.5) into the cache. */
#ifndef TACTFUL_IMPORT_H
#define TACTFUL_IMPORT_H

#include "model/db.h"
#include "model/post.h"
#include "model/xmalloc.h"

#include <stdio.h>

/* Longest line accepted; a longer one is an error, not a truncation. */
#define IMPORT_MAX_LINE (2 * 1024 * 1024)

struct import_stats {
    long lines;        /* non-blank lines read */
    long new_posts;
    long updated_posts;
    long unchanged_posts;
    long new_threads;
    long shortened_posts; /* stored shortened to fit the cache's limits (model/post.h) */
};

/* Parses one JSON Lines record into p; strings in p point into the returned json object,
 * which the caller releases with json_decref (passed back through *json). created_at is
 * normalised into created_buf. Returns 0, or -1 with *err set to the reason (no location). */
int import_parse_line(const char *line, size_t len, struct post_in *p, char *created_buf,
                      void **json, char **err);

/* Reads the common record (string fields, null, "own" as true or false, no "meta") without
 * Jansson, its strings decoded into scratch (which the caller keeps and frees with buf_free;
 * p points into it until the next call). Returns 1 with p filled as import_parse_line would
 * fill it, or 0 when the line is left to import_parse_line, which gives its verdict: this
 * reader accepts nothing that one refuses. */
int import_parse_fast(const char *line, size_t len, struct post_in *p, char *created_buf,
                      struct buf *scratch);

/* Loads every post of in (named name in messages). The whole file is checked first, the
 * checked posts kept for the writing (in memory, then in a temporary file; a file is read
 * again only where no temporary file can be made, and a stream that cannot seek needs it):
 * on the first bad line nothing from the file is written, and *err is "NAME:LINE: reason".
 * Then its posts are written in transactions of a few thousand, so other processes get the
 * cache in between; a run cut short keeps whole transactions, and importing the file again
 * completes it without duplicating anything. Returns 0 or -1. */
int import_jsonl(struct db *db, FILE *in, const char *name, struct import_stats *stats,
                 char **err);

/* import_jsonl keeping at most memo_max bytes of checked posts in memory from the first pass
 * for the second (import_jsonl keeps up to 4 MiB); past it, they go on in a temporary file.
 * 0 reads a file that can seek again and parses it again (for tests of that path). */
int import_jsonl_memo(struct db *db, FILE *in, const char *name, size_t memo_max,
                      struct import_stats *stats, char **err);

#endif
