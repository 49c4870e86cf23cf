/* Display-safe text. Every remote string passes through text_sanitize before it reaches a
 * terminal (CLI output or the curses screen); raw strings stay raw in the cache. */
#ifndef TACTFUL_TEXT_H
#define TACTFUL_TEXT_H

#include <stddef.h>

/* text_sanitize flags. */
#define TEXT_MULTILINE 0x1 /* keep '\n' (a CR LF or lone CR becomes '\n'); else newlines become ' ' */

/* Returns a newly allocated display-safe copy of the first len bytes of s (caller frees;
 * never NULL). Broken UTF-8 becomes U+FFFD; C0 controls become caret notation ("^[" for ESC,
 * DEL is "^?"); C1 controls, bidirectional controls (U+202A..U+202E, U+2066..U+2069, U+200E,
 * U+200F, U+061C) and zero-width or other invisible format characters (category Cf: U+200B,
 * U+200C, U+2060, U+FEFF, U+00AD, tag characters ...) become a visible "<U+XXXX>"; a tab becomes
 * one space; U+2028/U+2029 are treated as newlines. Legitimate uses stay intact: U+200D between
 * two pictographic characters (emoji ZWJ sequences; a U+FE0F before the ZWJ is skipped) and a
 * complete subdivision-flag tag sequence after U+1F3F4 (1 to 7 tag digits or lowercase tag
 * letters then U+E007F, as in Scotland's flag). A variation selector passes only directly after
 * a character copied as is; a run of them is shown. Output is at most 4 * len bytes. */
char *text_sanitize(const char *s, size_t len, int flags);

/* Terminal columns the (already sanitized) UTF-8 string s takes, counting wide CJK and emoji
 * as 2 and combining marks as 0. Widths are summed per code point, so an emoji ZWJ sequence
 * counts all its emoji; each byte of broken UTF-8 counts 1. */
int text_width(const char *s);

/* Returns a newly allocated copy of s (sanitized UTF-8) cut to at most cols columns without
 * splitting a grapheme cluster; when cut and ellipsis is nonzero the last column is "…". */
char *text_fit(const char *s, int cols, int ellipsis);

/* Returns a newly allocated copy of s cut to fit cols columns (as text_fit) and padded with
 * spaces to exactly cols columns. */
char *text_pad(const char *s, int cols);

/* Returns nonzero when s is valid UTF-8 holding no control, format (bidi, zero-width), line or
 * paragraph separator characters: fit for a name or tag an officer types. */
int text_is_plain(const char *s);

/* Returns a newly allocated form of s for comparisons that ignore case and accents
 * ("Zoë" and "ZOE" both become "zoe"), or NULL when s is not valid UTF-8. */
char *text_fold(const char *s);

/* The name of names[0..n) nearest to the word's len bytes by edit distance (letters added,
 * removed, changed or two swapped), when it is near enough to be a likely typing slip (at most
 * one slip in a word of up to four letters, two in a longer one); else NULL. For "did you
 * mean" hints in messages. */
const char *text_nearest(const char *word, size_t len, const char *const *names, size_t n);

#endif
