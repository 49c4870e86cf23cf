/* Writing posts out of the cache as JSON Lines or CSV (see man/tactful.5). */
#ifndef TACTFUL_EXPORT_H
#define TACTFUL_EXPORT_H

#include "model/db.h"

#include <stdio.h>

enum export_format { EXPORT_JSONL, EXPORT_CSV };

/* Writes the posts of thread (a local thread id) or of every thread when thread is 0, ordered
 * by thread and time. JSON Lines output imports back to the same cache content. CSV has a header
 * row and guards cells that a spreadsheet would run as a formula. Returns the number of posts
 * written, or -1 with *err set when the cache cannot be read, or -1 with *err NULL and errno
 * set when writing to out fails (ENOSPC: the disk is full). */
long export_posts(struct db *db, FILE *out, long thread, enum export_format format, char **err);

/* Writes one CSV cell (nothing for NULL), quoted; a cell starting with = + - @, a tab or a
 * carriage return is prefixed with ' so a spreadsheet shows the text rather than running it
 * as a formula. Used by every CSV tactful writes. */
void export_csv_cell(FILE *out, const char *v);

#endif
