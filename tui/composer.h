/* The composer (tui/composer.c): writing a reply. */
#ifndef TACTFUL_TUI_COMPOSER_H
#define TACTFUL_TUI_COMPOSER_H

#include "tui/internal.h"

/* Opens draft draft_id (the officer's own, editing or returned) in the composer; returns 0,
 * or -1 with the reason as the message. Leaving the composer returns to the screen it was
 * opened from. */
int tui_composer_open_draft(struct tui *t, long draft_id);
/* Saves the draft and closes the composer (for quitting and signals). */
void tui_composer_close(struct tui *t);
/* Saves and closes the composer, saying the draft is kept. */
void tui_composer_leave(struct tui *t);
void tui_composer_draw(struct tui *t);
/* The reply being written, for the editing actions; NULL when the composer is closed. */
struct editbuf *tui_composer_editbuf(struct tui *t);
/* Puts the terminal's cursor where the composer's is. */
void tui_composer_cursor(struct tui *t);
/* Saves and checks the draft if it changed; the loop calls it when no key is waiting. */
void tui_composer_idle(struct tui *t);
/* Draws rows [top, top + h) of eb's wrapped text at y, x in attribute base; with marks set,
 * the composer's findings are marked on their spans. */
void tui_compose_draw_rows(struct tui *t, const struct editbuf *eb,
                           const struct editbuf_row *rows, size_t nrows, size_t top, int y,
                           int x, int h, int marks, attr_t base);

/* Action handlers named by the table in tui/actions.c. */
void tui_composer_act_next_line(struct tui *t, const struct tui_action *a);
void tui_composer_act_previous_line(struct tui *t, const struct tui_action *a);
void tui_composer_act_page_down(struct tui *t, const struct tui_action *a);
void tui_composer_act_page_up(struct tui *t, const struct tui_action *a);
void tui_composer_act_newline(struct tui *t, const struct tui_action *a);
void tui_composer_act_submit(struct tui *t, const struct tui_action *a);
void tui_composer_act_editor(struct tui *t, const struct tui_action *a);
void tui_composer_act_explain(struct tui *t, const struct tui_action *a);

#endif
