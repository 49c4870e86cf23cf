/* The reports screen (tui/reports.c). */
#ifndef TACTFUL_TUI_REPORTS_H
#define TACTFUL_TUI_REPORTS_H

#include "tui/internal.h"

void tui_reports_draw(struct tui *t);
void tui_reports_reload(struct tui *t);

/* Action handlers named by the table in tui/actions.c. */
void tui_reports_act_open(struct tui *t, const struct tui_action *a);
void tui_reports_act_group(struct tui *t, const struct tui_action *a);

#endif
