/* The composer's text: a UTF-8 buffer edited by grapheme cluster (an emoji family, a flag, a
 * letter with its accents are each one step), with word and line movement, soft wrapping to
 * a width in terminal columns, undo and redo, and kill and yank. No curses: the composer
 * (tui/composer.c) draws it, tests/tui_editbuf_test.c drives it.
 *
 * The text is always valid UTF-8 without control characters other than '\n': whatever is
 * inserted (typed, pasted, read back from an editor) is cleaned first. It never grows past
 * the bound given to editbuf_new. The cursor is a byte offset at a grapheme boundary. */
#ifndef TACTFUL_EDITBUF_H
#define TACTFUL_EDITBUF_H

#include <stdbool.h>
#include <stddef.h>

struct editbuf;

/* editbuf_insert's result flags. */
#define EDITBUF_CLEANED 0x1 /* control characters or broken UTF-8 were dropped or converted */
#define EDITBUF_FULL 0x2    /* the bound cut the text short */

/* One display row of wrapped text: bytes [start, end), the newline left out. */
struct editbuf_row {
    size_t start, end;
};

/* A new empty buffer holding at most max bytes. */
struct editbuf *editbuf_new(size_t max);
void editbuf_free(struct editbuf *eb);

/* Replaces the text with s[0..n) (cleaned and bounded as an insert), cursor at the end, undo
 * history and kill ring kept, as one undoable step. Returns insert's flags. */
int editbuf_set_text(struct editbuf *eb, const char *s, size_t n);

/* Starts afresh with s[0..n) (cleaned and bounded), cursor at the end, no undo history. */
int editbuf_load(struct editbuf *eb, const char *s, size_t n);

/* The text (NUL-terminated, owned by the buffer) and its length in bytes. */
const char *editbuf_text(const struct editbuf *eb);
size_t editbuf_len(const struct editbuf *eb);

/* Counts every change of the text (undo and redo too), for autosave. */
unsigned long editbuf_version(const struct editbuf *eb);

size_t editbuf_cursor(const struct editbuf *eb);
/* Moves the cursor to pos, or to the grapheme boundary before it. */
void editbuf_set_cursor(struct editbuf *eb, size_t pos);

/* Inserts s[0..n) at the cursor after cleaning it: broken UTF-8, C0 and C1 controls, DEL,
 * bidirectional controls and invisible format characters (except the joiners emoji and
 * scripts need) are dropped, CR LF and lone CR become '\n', a tab a space. Cut at the last
 * grapheme that fits the bound. Consecutive inserts at the cursor undo as one step (a new
 * line starts another). Returns EDITBUF_CLEANED and EDITBUF_FULL flags (0: all as given). */
int editbuf_insert(struct editbuf *eb, const char *s, size_t n);

/* Erase the grapheme before / under the cursor; false at the start / end. */
bool editbuf_delete_back(struct editbuf *eb);
bool editbuf_delete_forward(struct editbuf *eb);

/* Movement; each returns false when the cursor cannot move. */
bool editbuf_left(struct editbuf *eb);
bool editbuf_right(struct editbuf *eb);
bool editbuf_word_left(struct editbuf *eb);   /* to the start of this or the previous word */
bool editbuf_word_right(struct editbuf *eb);  /* to the end of this or the next word */
bool editbuf_line_start(struct editbuf *eb);  /* of the line (up to the newline) */
bool editbuf_line_end(struct editbuf *eb);
bool editbuf_text_start(struct editbuf *eb);
bool editbuf_text_end(struct editbuf *eb);
/* Moves rows display rows down (negative: up) in the text wrapped to width columns (0: not
 * wrapped), keeping the column the cursor had when vertical movement began. */
bool editbuf_move_rows(struct editbuf *eb, int width, long rows);

/* Kills (cuts into the kill ring): to the end of the line (at its end, the newline), the
 * word before the cursor, to the start of the line. Consecutive kills join into one entry.
 * False when there was nothing to kill. */
bool editbuf_kill_line(struct editbuf *eb);
bool editbuf_kill_word_back(struct editbuf *eb);
bool editbuf_kill_line_start(struct editbuf *eb);
/* Inserts the latest kill at the cursor; false when nothing was killed yet. Returns through
 * *flags what insert would (NULL is fine). */
bool editbuf_yank(struct editbuf *eb, int *flags);
/* The latest kill (NULL when none) and the kill ring's size. */
const char *editbuf_killed(const struct editbuf *eb, size_t back);

bool editbuf_undo(struct editbuf *eb);
bool editbuf_redo(struct editbuf *eb);

/* Wraps the text to width columns (0: not at all), breaking after a space where a row has
 * one. Every line gives at least one row; the text's end after a newline is an empty row.
 * *rows is newly allocated; returns their number (at least 1). */
size_t editbuf_wrap(const struct editbuf *eb, int width, struct editbuf_row **rows);

/* The row (index into rows) and column of byte pos in wrapped rows. */
void editbuf_locate(const struct editbuf *eb, const struct editbuf_row *rows, size_t nrows,
                    size_t pos, size_t *row, int *col);

/* The end of the grapheme starting at pos (a boundary). */
size_t editbuf_next(const struct editbuf *eb, size_t pos);

/* The display form of the grapheme g[0..n): newly allocated, safe for a terminal (what
 * text_sanitize makes of it), with its width in columns in *width. */
char *editbuf_show(const char *g, size_t n, int *width);

#endif
