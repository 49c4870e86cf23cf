/* The outbox line of the status bar and the background send (tui/outbox.c). */
#ifndef TACTFUL_TUI_OUTBOX_H
#define TACTFUL_TUI_OUTBOX_H

#include "tui/internal.h"

/* Rereads the counts the status bar shows. */
void tui_outbox_refresh(struct tui *t);
/* Writes the status bar's outbox and approvals fields ("" when there is nothing). */
void tui_outbox_status(struct tui *t, char *out, size_t cap);
/* After a reply was queued: sends the outbox in the background when autosend is on and no
 * send runs; says nothing itself (the status bar shows "sending…"). */
void tui_outbox_autosend(struct tui *t);
/* Called by the loop with each child reaped: the send's result reaches the status bar. */
void tui_outbox_reaped(struct tui *t, pid_t pid, int status);

/* Action handlers named by the table in tui/actions.c. */
void tui_outbox_act_send(struct tui *t, const struct tui_action *a);

#endif
