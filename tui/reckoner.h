/* The ready-reckoner panel beside the thread view (tui/reckoner.c). */
#ifndef TACTFUL_TUI_RECKONER_H
#define TACTFUL_TUI_RECKONER_H

#include "tui/internal.h"

/* Whether the ready-reckoner is open beside the thread view. */
int tui_reckoner_showing(struct tui *t);
void tui_reckoner_close(struct tui *t);
void tui_reckoner_draw(struct tui *t);
/* The patterns' list while the ready-reckoner is open, else NULL. */
struct tui_list *tui_reckoner_list(struct tui *t);

/* Action handlers named by the table in tui/actions.c. */
void tui_reckoner_act_reply(struct tui *t, const struct tui_action *a);
void tui_reckoner_act_pick(struct tui *t, const struct tui_action *a);
void tui_reckoner_act_insert(struct tui *t, const struct tui_action *a);
void tui_reckoner_act_blank(struct tui *t, const struct tui_action *a);

#endif
