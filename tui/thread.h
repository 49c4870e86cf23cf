/* The thread view (tui/thread.c): what other modules ask of it. */
#ifndef TACTFUL_TUI_THREAD_H
#define TACTFUL_TUI_THREAD_H

#include "tui/internal.h"

/* Opens thread id in the thread view (marking it read); returns 0 or -1 with a message. */
int tui_thread_open(struct tui *t, long id);
void tui_thread_close(struct tui *t);
void tui_thread_draw(struct tui *t);
void tui_thread_reload(struct tui *t);
long tui_thread_id(struct tui *t);
/* The URL of the selected post, or NULL. */
const char *tui_thread_url(struct tui *t);
/* The open thread's row and its selected post (NULL when none). */
const struct thread_row *tui_thread_info(struct tui *t);
const struct thread_post *tui_thread_post(struct tui *t);
/* The post a reply answers: the selected one once the officer has moved onto a post, else the
 * latest post from the public (which it then selects, so the view shows it), else the
 * selected one. NULL when the thread has no posts. */
const struct thread_post *tui_thread_reply_post(struct tui *t);

/* Action handlers named by the table in tui/actions.c. */
void tui_thread_act_back(struct tui *t, const struct tui_action *a);
void tui_thread_act_down(struct tui *t, const struct tui_action *a);
void tui_thread_act_up(struct tui *t, const struct tui_action *a);
void tui_thread_act_parent(struct tui *t, const struct tui_action *a);
void tui_thread_act_next_sibling(struct tui *t, const struct tui_action *a);
void tui_thread_act_prev_sibling(struct tui *t, const struct tui_action *a);
void tui_thread_act_next_unread(struct tui *t, const struct tui_action *a);
void tui_thread_act_first(struct tui *t, const struct tui_action *a);
void tui_thread_act_last(struct tui *t, const struct tui_action *a);
void tui_thread_act_scroll_down(struct tui *t, const struct tui_action *a);
void tui_thread_act_scroll_up(struct tui *t, const struct tui_action *a);
void tui_thread_act_page_down(struct tui *t, const struct tui_action *a);
void tui_thread_act_page_up(struct tui *t, const struct tui_action *a);
void tui_thread_act_collapse(struct tui *t, const struct tui_action *a);
void tui_thread_act_expand(struct tui *t, const struct tui_action *a);
void tui_thread_act_toggle_collapse(struct tui *t, const struct tui_action *a);
void tui_thread_act_collapse_all(struct tui *t, const struct tui_action *a);
void tui_thread_act_expand_all(struct tui *t, const struct tui_action *a);

#endif
