/* Writing posts out of the cache as JSON Lines or CSV (see man/tactful.5). */
#ifndef TACTFUL_EXPORT_H
#define TACTFUL_EXPORT_H

#include "model/db.h"

#include <jansson.h>
#include <stdio.h>

enum export_format { EXPORT_JSONL, EXPORT_CSV };

/* Writes the posts of thread (a local thread id) or of every thread when thread is 0, ordered
 * by thread and time. JSON Lines output imports back to the same cache content, each post's
 * meta (its extras and the platform's references) included as an object. CSV has a header
 * row and guards cells that a spreadsheet would run as a formula. Returns the number of posts
 * written, or -1 with *err set when the cache cannot be read, or -1 with *err NULL and errno
 * set when writing to out fails (ENOSPC: the disk is full). */
long export_posts(struct db *db, FILE *out, long thread, enum export_format format, int display,
                  char **err);

/* Writes one CSV cell (nothing for NULL), quoted; a cell starting with = + - @, a tab or a
 * carriage return is prefixed with ' so a spreadsheet shows the text rather than running it
 * as a formula. Used by every CSV tactful writes. With display set (the output is a
 * terminal) the cell is written in text_sanitize's display form, newlines kept: escape
 * sequences, C1 and bidirectional controls from the public are shown, never sent to the
 * terminal; otherwise it is written byte for byte. */
void export_csv_cell(FILE *out, const char *v, int display);

/* Writes j as JSON (with JSON_ENSURE_ASCII added to flags) and nothing else: every control
 * character is escaped, DEL too (\u007f, which Jansson leaves raw), and everything beyond
 * ASCII is a \u escape, so the output is safe on a terminal and exact in a file. Used for all
 * JSON tactful prints. Returns 0, or -1 with errno set when writing fails. */
int export_json_write(FILE *out, json_t *j, size_t flags);

#endif
