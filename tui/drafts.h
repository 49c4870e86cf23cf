/* The drafts view (tui/drafts.c): every draft, newest first, with the selected one in full;
 * filtered to pending_approval it is the approvals view (tui/approvals.c). */
#ifndef TACTFUL_TUI_DRAFTS_H
#define TACTFUL_TUI_DRAFTS_H

#include "tui/internal.h"

void tui_drafts_draw(struct tui *t);
void tui_drafts_reload(struct tui *t);
/* The thread of the selected draft, or 0. */
long tui_drafts_thread(struct tui *t);
/* Opens the drafts view on state (NULL: every live draft). */
void tui_drafts_show(struct tui *t, const char *state);
/* The selected draft, or NULL. */
const struct draft *tui_drafts_current(struct tui *t);

/* Action handlers named by the table in tui/actions.c. */
void tui_drafts_act_open_view(struct tui *t, const struct tui_action *a);
void tui_drafts_act_back(struct tui *t, const struct tui_action *a);
void tui_drafts_act_next_state(struct tui *t, const struct tui_action *a);
void tui_drafts_act_prev_state(struct tui *t, const struct tui_action *a);
void tui_drafts_act_open_thread(struct tui *t, const struct tui_action *a);
void tui_drafts_act_discard(struct tui *t, const struct tui_action *a);
void tui_drafts_act_edit(struct tui *t, const struct tui_action *a);
void tui_drafts_act_scroll_down(struct tui *t, const struct tui_action *a);
void tui_drafts_act_scroll_up(struct tui *t, const struct tui_action *a);

#endif
