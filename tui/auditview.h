/* The audit view (tui/auditview.c). */
#ifndef TACTFUL_TUI_AUDITVIEW_H
#define TACTFUL_TUI_AUDITVIEW_H

#include "tui/internal.h"

void tui_audit_draw(struct tui *t);
void tui_audit_reload(struct tui *t);
long tui_audit_thread(struct tui *t);

/* Action handlers named by the table in tui/actions.c. */
void tui_audit_act_open(struct tui *t, const struct tui_action *a);
void tui_audit_act_back(struct tui *t, const struct tui_action *a);
void tui_audit_act_all(struct tui *t, const struct tui_action *a);
void tui_audit_act_open_thread(struct tui *t, const struct tui_action *a);

#endif
