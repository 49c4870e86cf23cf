/* Marking the post under the cursor as an opinion on the thread's topic (tactful insight). */
#ifndef TACTFUL_TUI_INSIGHT_H
#define TACTFUL_TUI_INSIGHT_H

struct tui;
struct tui_action;

/* Action handler named by the table in tui/actions.c: asks the stance, then marks. */
void tui_insight_act_mark(struct tui *t, const struct tui_action *a);

#endif
