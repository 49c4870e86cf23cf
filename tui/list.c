/* The list widget's movement, shared by every list of the interface (tui/list.h), and the
 * movement actions that drive the list of whatever screen or overlay has the keys. */
#include "tui/list.h"

#include "tui/internal.h"
#include "tui/help.h"

/* The highest top that still fills the page. */
static long
max_top(const struct tui_list *l)
{
    return l->n > l->page ? l->n - l->page : 0;
}

void
tui_list_clamp(struct tui_list *l)
{
    if (l->page < 1)
        l->page = 1;
    if (l->n < 0)
        l->n = 0;
    if (l->cur >= l->n)
        l->cur = l->n - 1;
    if (l->cur < 0)
        l->cur = 0;
    if (l->fetch)
        return; /* the window is where the fetch put it */
    if (l->top > max_top(l))
        l->top = max_top(l);
    if (l->top < 0)
        l->top = 0;
}

/* Puts the top at top (clamped), fetching the rows when the list holds a window. */
static void
set_top(struct tui *t, struct tui_list *l, long top)
{
    if (top > max_top(l))
        top = max_top(l);
    if (top < 0)
        top = 0;
    if (top == l->top)
        return;
    if (l->fetch == NULL) {
        l->top = top;
        return;
    }
    long before = l->top;
    if (l->fetch(t, l, top) != 0)
        l->top = before;
}

/* Keeps the cursor inside the page after the top moved. */
static void
cursor_into_page(struct tui_list *l)
{
    if (l->cur < l->top)
        l->cur = l->top;
    if (l->cur > l->top + l->page - 1)
        l->cur = l->top + l->page - 1;
    tui_list_clamp(l);
}

void
tui_list_set_page(struct tui_list *l, int page)
{
    l->page = page > 0 ? page : 1;
    tui_list_clamp(l);
    if (l->bare) {
        if (l->top > max_top(l))
            l->top = max_top(l);
        l->cur = l->top;
        return;
    }
    if (l->fetch)
        return;
    if (l->cur < l->top)
        l->top = l->cur;
    if (l->cur >= l->top + l->page)
        l->top = l->cur - l->page + 1;
    tui_list_clamp(l);
}

void
tui_list_move(struct tui *t, struct tui_list *l, long to)
{
    tui_list_clamp(l);
    if (l->bare) {
        set_top(t, l, to);
        l->cur = l->top;
        return;
    }
    if (to >= l->n)
        to = l->n - 1;
    if (to < 0)
        to = 0;
    long top = l->top;
    if (to < top)
        top = to;
    if (to >= top + l->page)
        top = to - l->page + 1;
    set_top(t, l, top);
    l->cur = to;
    cursor_into_page(l);
}

void
tui_list_scroll(struct tui *t, struct tui_list *l, long rows)
{
    tui_list_clamp(l);
    long cur = l->cur + rows;
    set_top(t, l, l->top + rows);
    if (l->bare) {
        l->cur = l->top;
        return;
    }
    l->cur = cur;
    cursor_into_page(l);
}

/* ---- the actions ---- */

/* The list the keys move: the help's while it is open, else the screen's (NULL: none). */
static struct tui_list *
current_list(struct tui *t)
{
    if (tui_help_showing(t))
        return tui_help_list(t);
    return t->screen->list ? t->screen->list(t) : NULL;
}

/* Lets the screen know its cursor moved from row before (the drafts view starts the draft's
 * pane over). */
static void
moved(struct tui *t, const struct tui_list *l, long before)
{
    if (!tui_help_showing(t) && l->cur != before && t->screen->moved)
        t->screen->moved(t);
}

void
tui_list_act_down(struct tui *t, const struct tui_action *a)
{
    (void)a;
    struct tui_list *l = current_list(t);
    if (l == NULL)
        return;
    long before = l->cur;
    tui_list_move(t, l, l->cur + 1);
    moved(t, l, before);
}

void
tui_list_act_up(struct tui *t, const struct tui_action *a)
{
    (void)a;
    struct tui_list *l = current_list(t);
    if (l == NULL)
        return;
    long before = l->cur;
    tui_list_move(t, l, l->cur - 1);
    moved(t, l, before);
}

void
tui_list_act_first(struct tui *t, const struct tui_action *a)
{
    (void)a;
    struct tui_list *l = current_list(t);
    if (l == NULL)
        return;
    long before = l->cur;
    tui_list_move(t, l, 0);
    moved(t, l, before);
}

void
tui_list_act_last(struct tui *t, const struct tui_action *a)
{
    (void)a;
    struct tui_list *l = current_list(t);
    if (l == NULL)
        return;
    long before = l->cur;
    tui_list_move(t, l, l->n - 1);
    moved(t, l, before);
}

void
tui_list_act_page_down(struct tui *t, const struct tui_action *a)
{
    (void)a;
    struct tui_list *l = current_list(t);
    if (l == NULL)
        return;
    long before = l->cur;
    tui_list_scroll(t, l, l->page);
    moved(t, l, before);
}

void
tui_list_act_page_up(struct tui *t, const struct tui_action *a)
{
    (void)a;
    struct tui_list *l = current_list(t);
    if (l == NULL)
        return;
    long before = l->cur;
    tui_list_scroll(t, l, -(long)l->page);
    moved(t, l, before);
}

void
tui_list_act_half_down(struct tui *t, const struct tui_action *a)
{
    (void)a;
    struct tui_list *l = current_list(t);
    if (l == NULL)
        return;
    long before = l->cur;
    tui_list_scroll(t, l, l->page > 1 ? l->page / 2 : 1);
    moved(t, l, before);
}

void
tui_list_act_half_up(struct tui *t, const struct tui_action *a)
{
    (void)a;
    struct tui_list *l = current_list(t);
    if (l == NULL)
        return;
    long before = l->cur;
    tui_list_scroll(t, l, -(long)(l->page > 1 ? l->page / 2 : 1));
    moved(t, l, before);
}
