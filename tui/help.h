/* The help overlay (tui/help.c). */
#ifndef TACTFUL_TUI_HELP_H
#define TACTFUL_TUI_HELP_H

#include "tui/internal.h"

void tui_help_draw(struct tui *t);
/* The help's lines, for the movement actions while it is open. */
struct tui_list *tui_help_list(struct tui *t);
/* Closes the overlay. */
void tui_help_close(struct tui *t);
/* Whether the help overlay is open. */
int tui_help_showing(struct tui *t);

/* Action handlers named by the table in tui/actions.c. */
void tui_help_act_open(struct tui *t, const struct tui_action *a);
void tui_help_act_close(struct tui *t, const struct tui_action *a);

#endif
