/* The approvals mode of the drafts view (tui/approvals.c): a draft's review. */
#ifndef TACTFUL_TUI_APPROVALS_H
#define TACTFUL_TUI_APPROVALS_H

#include "tui/draw.h"
#include "tui/internal.h"

/* Appends what the review of draft d needs, before its text: why it waits for approval and
 * the post it answers. */
void tui_approvals_head(struct tui *t, const struct draft *d, struct tui_lines *l);
/* Appends the guardrails' findings on draft d (found once per version of the draft). */
void tui_approvals_findings(struct tui *t, const struct draft *d, struct tui_lines *l);
/* Frees what tui_approvals_* keep, at the end. */
void tui_approvals_free(struct tui *t);

/* Action handlers named by the table in tui/actions.c. */
void tui_approvals_act_approve(struct tui *t, const struct tui_action *a);
void tui_approvals_act_return(struct tui *t, const struct tui_action *a);

#endif
