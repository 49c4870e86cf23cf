/* The list widget: a cursor and a top row over rows numbered from 0, kept in range, moved a
 * row, half a page, a page or to either end by the same few functions for every list of the
 * interface (the inbox, the drafts and approvals, the audit log, the ready-reckoner's
 * patterns, the help). A list that holds only a window of its rows (the inbox, the audit
 * log) names a fetch callback that brings another window from the cache. */
#ifndef TACTFUL_TUI_LIST_H
#define TACTFUL_TUI_LIST_H

struct tui;
struct tui_list;

/* Brings rows [top, top + l->page) into the caller's window, as far as there are rows. It
 * sets l->top to where the window really starts (the cache may have changed since n was
 * counted) and corrects l->n when it finds the end sooner or later. Returns 0, or -1 after
 * showing the error (the list is then left where it was). */
typedef int (*tui_list_fetch)(struct tui *t, struct tui_list *l, long top);

struct tui_list {
    long n;               /* rows in the list */
    long cur;             /* the cursor's row */
    long top;             /* the first row shown */
    int page;             /* rows shown at once (at least 1), set by the screen as it draws */
    tui_list_fetch fetch; /* NULL when every row is held */
    int bare;             /* no cursor: the keys scroll, and the cursor is the top row */
};

/* Sets the rows shown at once and scrolls so the cursor stays among them (for rows held;
 * a list with a fetch callback refetches itself as it needs). */
void tui_list_set_page(struct tui_list *l, int page);

/* Keeps the cursor on a row (0 on an empty list) and the top where the page shows rows. */
void tui_list_clamp(struct tui_list *l);

/* Puts the cursor on row to (clamped), scrolling as little as shows it. */
void tui_list_move(struct tui *t, struct tui_list *l, long to);

/* Scrolls the view and the cursor by rows (negative: up), as paging does: both move by the
 * same amount where they can, and the cursor stops at either end. */
void tui_list_scroll(struct tui *t, struct tui_list *l, long rows);

/* Action handlers named by the table in tui/actions.c: they move the list of whatever has
 * the keys (the help while it is open, else the screen's). */
struct tui_action;
void tui_list_act_down(struct tui *t, const struct tui_action *a);
void tui_list_act_up(struct tui *t, const struct tui_action *a);
void tui_list_act_first(struct tui *t, const struct tui_action *a);
void tui_list_act_last(struct tui *t, const struct tui_action *a);
void tui_list_act_page_down(struct tui *t, const struct tui_action *a);
void tui_list_act_page_up(struct tui *t, const struct tui_action *a);
void tui_list_act_half_down(struct tui *t, const struct tui_action *a);
void tui_list_act_half_up(struct tui *t, const struct tui_action *a);

#endif
