/* Content warnings on replies. A reply carries the content warning of the post it answers,
 * as Mastodon's own client does: its draft starts with a line "CW: TEXT" and a blank line,
 * which the officer may edit (a new warning), empty ("CW:" sends none) or delete, and which is
 * saved with the draft like the rest of its text. The Mastodon adapter sends that line as the
 * reply's spoiler_text and the rest as its text (cw_split). */
#ifndef TACTFUL_CW_H
#define TACTFUL_CW_H

#include "model/db.h"

#include <stddef.h>

#define CW_PREFIX "CW:"

/* Whether body starts with a content-warning line. When it does, returns 1 with *cw the
 * warning (newly allocated, trimmed; "" when the officer emptied it) and *rest where the text
 * after the line and the blank lines under it begins; else returns 0 with *cw NULL and *rest
 * body. */
int cw_split(const char *body, char **cw, const char **rest);

/* The same test on s[0..len), which need not end in a NUL, by offsets: returns 1 with the
 * warning at s[*cw_from..*cw_to) (trimmed; empty when the officer emptied it) and the text
 * after the line and the blank lines under it from *rest; else returns 0 and leaves the
 * offsets alone. The one place the line's shape is read (cw_split and the length counter). */
int cw_find(const char *s, size_t len, size_t *cw_from, size_t *cw_to, size_t *rest);

/* The content warning of post remote_id of thread (NULL: the thread's root), newly
 * allocated, or NULL when it has none. Returns 0, or -1 with *err set. */
int cw_of_post(struct db *db, long thread, const char *remote_id, char **cw, char **err);

/* body with the warning line of cw put before it: "CW: cw", a blank line, then body. Newly
 * allocated; NULL when cw is NULL or empty or body starts with a warning line already. */
char *cw_carry(const char *cw, const char *body);

#endif
