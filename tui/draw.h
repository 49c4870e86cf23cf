/* Drawing with roles, shared by every screen: every string from the cache goes through
 * tui_put_raw, and scrollable panes are lines with roles. */
#ifndef TACTFUL_TUI_DRAW_H
#define TACTFUL_TUI_DRAW_H

#include "tui/internal.h"

attr_t tui_attr(const struct tui *t, enum tui_role role);
/* Draws safe (already sanitized) text at y, x, cut and padded to exactly cols columns. */
void tui_put(int y, int x, const char *safe, int cols, attr_t attr);
/* Draws text from the cache or the network at y, x: sanitized onto one line, fitted to cols. */
void tui_put_raw(int y, int x, const char *raw, int cols, attr_t attr);
/* Returns a newly allocated, sanitized first line of raw text. */
char *tui_first_line(const char *raw);
/* Splits raw text into display lines of width columns: sanitized, paragraphs kept, long lines
 * wrapped, each indented by indent spaces. The lines are NUL-separated in the returned buffer
 * (at least one line); *n is their number. */
char *tui_wrap_text(const char *raw, int indent, int width, size_t *n);

/* Lines of a scrollable pane, each safe text with its role. */
struct tui_lines {
    struct tui_line {
        char *text;
        enum tui_role role;
    } *v;
    size_t n;
};
/* Appends safe (already sanitized) text as one line. */
void tui_lines_add(struct tui_lines *l, enum tui_role role, const char *safe);
/* Appends raw text wrapped to width columns with indent (see tui_wrap_text). */
void tui_lines_wrap(struct tui_lines *l, enum tui_role role, const char *raw, int indent,
                    int width);
void tui_lines_free(struct tui_lines *l);
/* Draws lines [top, top + h) of l at y; returns the top actually used (clamped). */
long tui_lines_draw(struct tui *t, const struct tui_lines *l, long top, int y, int h);
/* Draws the status bar on the last line: mode, counts, sync, OFFLINE, the message. */
void tui_status_draw(struct tui *t, const char *mode, const char *where);

#endif
