/* The editing actions the composer and the prompt share (tui/edit.c). */
#ifndef TACTFUL_TUI_EDIT_H
#define TACTFUL_TUI_EDIT_H

#include "tui/internal.h"

/* Action handlers named by the table in tui/actions.c: each edits the prompt's answer while
 * a question is asked, else the composer's reply. */
void tui_edit_act_forward_char(struct tui *t, const struct tui_action *a);
void tui_edit_act_backward_char(struct tui *t, const struct tui_action *a);
void tui_edit_act_forward_word(struct tui *t, const struct tui_action *a);
void tui_edit_act_backward_word(struct tui *t, const struct tui_action *a);
void tui_edit_act_line_start(struct tui *t, const struct tui_action *a);
void tui_edit_act_line_end(struct tui *t, const struct tui_action *a);
void tui_edit_act_text_start(struct tui *t, const struct tui_action *a);
void tui_edit_act_text_end(struct tui *t, const struct tui_action *a);
void tui_edit_act_delete_char(struct tui *t, const struct tui_action *a);
void tui_edit_act_delete_backward(struct tui *t, const struct tui_action *a);
void tui_edit_act_kill_line(struct tui *t, const struct tui_action *a);
void tui_edit_act_kill_word_backward(struct tui *t, const struct tui_action *a);
void tui_edit_act_kill_to_line_start(struct tui *t, const struct tui_action *a);
void tui_edit_act_yank(struct tui *t, const struct tui_action *a);
void tui_edit_act_undo(struct tui *t, const struct tui_action *a);
void tui_edit_act_redo(struct tui *t, const struct tui_action *a);

#endif
