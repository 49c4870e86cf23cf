/* Triage from any screen (tui/triage.c). */
#ifndef TACTFUL_TUI_TRIAGE_H
#define TACTFUL_TUI_TRIAGE_H

#include "tui/internal.h"

void tui_undo_clear(struct tui *t);

/* Action handlers named by the table in tui/actions.c. */
void tui_triage_act_state(struct tui *t, const struct tui_action *a);
void tui_triage_act_priority(struct tui *t, const struct tui_action *a);
void tui_triage_act_assign(struct tui *t, const struct tui_action *a);
void tui_triage_act_tag(struct tui *t, const struct tui_action *a);
void tui_triage_act_topic(struct tui *t, const struct tui_action *a);
void tui_triage_act_note(struct tui *t, const struct tui_action *a);
void tui_triage_act_snooze(struct tui *t, const struct tui_action *a);
void tui_triage_act_undo(struct tui *t, const struct tui_action *a);

#endif
