/* The inbox screen (tui/inbox.c): what other modules ask of it. */
#ifndef TACTFUL_TUI_INBOX_H
#define TACTFUL_TUI_INBOX_H

#include "tui/internal.h"

/* Makes the inbox's state and reads its first page; the interface starts with it. */
void tui_inbox_open(struct tui *t);
void tui_inbox_draw(struct tui *t);
/* Rereads the page from the cache, and with how >= TUI_RELOAD_COUNTS the per-state counts,
 * and with TUI_RELOAD_ALL the page's position too; nothing once the inbox is freed. */
void tui_inbox_reload(struct tui *t, int how);
size_t tui_inbox_targets(struct tui *t, long **ids);
void tui_inbox_clear_selection(struct tui *t);
/* The URL of the thread under the cursor, or NULL. */
const char *tui_inbox_url(struct tui *t);
/* The position and count of the inbox for the status bar. */
void tui_inbox_where(struct tui *t, char *out, size_t cap);

/* The i-th reply marker of the inbox's reply column, most pressing first: sets *mark and
 * returns what it means, or returns NULL past the last. */
const char *tui_inbox_mark(size_t i, char *mark);

/* Action handlers named by the table in tui/actions.c. */
void tui_inbox_act_open(struct tui *t, const struct tui_action *a);
void tui_inbox_act_next_tab(struct tui *t, const struct tui_action *a);
void tui_inbox_act_prev_tab(struct tui *t, const struct tui_action *a);
void tui_inbox_act_tab(struct tui *t, const struct tui_action *a);
void tui_inbox_act_sort(struct tui *t, const struct tui_action *a);
void tui_inbox_act_search(struct tui *t, const struct tui_action *a);
void tui_inbox_act_filter(struct tui *t, const struct tui_action *a);
void tui_inbox_act_clear(struct tui *t, const struct tui_action *a);
void tui_inbox_act_snoozed(struct tui *t, const struct tui_action *a);
void tui_inbox_act_select(struct tui *t, const struct tui_action *a);
void tui_inbox_act_select_none(struct tui *t, const struct tui_action *a);
void tui_inbox_act_mark_read(struct tui *t, const struct tui_action *a);
void tui_inbox_act_select_search(struct tui *t, const struct tui_action *a);
void tui_inbox_act_mark_unread(struct tui *t, const struct tui_action *a);
void tui_inbox_act_next_unread(struct tui *t, const struct tui_action *a);

#endif
