/* The audit view: the audit log newest first (who, when, what, which thread, the details),
 * scrollable, with the selected entry's details in full at the bottom. Opened from the thread
 * view it shows that thread's entries; a key switches between the thread and the whole log.
 *
 * Only the entries on screen are held: the list widget pages them from the cache (newest
 * first, by offset), so a log of any length opens as fast as a short one. */
#include "tui/internal.h"

#include "model/audit.h"
#include "model/text.h"
#include "model/xmalloc.h"
#include "tui/list.h"
#include "tui/auditview.h"
#include "tui/draw.h"
#include "tui/thread.h"

#include <stdlib.h>
#include <string.h>

/* Lines at the bottom for the selected entry's details. */
#define DETAIL_LINES 4

struct auditv {
    long thread;              /* the thread shown, 0: the whole log */
    long from_thread;         /* the thread the view was opened on, 0 when none */
    struct audit_entry *e;    /* the entries on screen, newest first: e[0] is row list.top */
    size_t n;
    struct tui_list list;     /* n: the entries shown (the thread's, or every one) */
};

/* This file's state in the interface (tui/screen_list.h), or NULL when there is none. */
static inline struct auditv *
audit_state(const struct tui *t)
{
    return TUI_STATE(t, audit);
}

/* Frees the state of auditview. */
static void
auditv_free(struct auditv *a)
{
    if (a == NULL)
        return;
    audit_entries_free(a->e, a->n);
    free(a);
}

/* Row i of the view (0 the newest), or NULL when it is not held. */
static const struct audit_entry *
entry_at(const struct auditv *a, long i)
{
    long k = i - a->list.top;
    return k >= 0 && k < (long)a->n ? &a->e[k] : NULL;
}

/* Reads the page of entries from row top (the list's fetch). */
static int
audit_fetch(struct tui *t, struct tui_list *l, long top)
{
    struct auditv *a = audit_state(t);
    struct audit_entry *e;
    size_t n;
    char *err = NULL;
    if (audit_page(t->db, a->thread, top, l->page, &e, &n, &err) != 0) {
        tui_error_take(t, "cannot read the audit log", err);
        return -1;
    }
    audit_entries_free(a->e, a->n);
    a->e = e;
    a->n = n;
    l->top = top;
    if ((long)n < l->page && top + (long)n < l->n)
        l->n = top + (long)n; /* the log is shorter than counted */
    return 0;
}

/* Reads the page that shows the cursor, keeping the top where it can. */
static void
fetch_around_cursor(struct tui *t)
{
    struct tui_list *l = &audit_state(t)->list;
    tui_list_clamp(l);
    long top = l->top;
    if (l->cur < top)
        top = l->cur;
    if (l->cur >= top + l->page)
        top = l->cur - l->page + 1;
    if (top > l->n - l->page)
        top = l->n - l->page;
    audit_fetch(t, l, top > 0 ? top : 0);
    tui_list_clamp(l);
}

void
tui_audit_reload(struct tui *t)
{
    struct auditv *a = audit_state(t);
    if (a == NULL)
        return;
    const struct audit_entry *cur = entry_at(a, a->list.cur);
    long keep = cur ? cur->id : 0, n = 0, newer = 0;
    char *err = NULL;
    if (audit_count_newer(t->db, a->thread, 0, &n, &err) != 0 ||
        (keep && audit_count_newer(t->db, a->thread, keep, &newer, &err) != 0)) {
        tui_error_take(t, "cannot read the audit log", err);
        return;
    }
    a->list.n = n;
    a->list.cur = newer; /* the entry kept, where newer ones have pushed it */
    fetch_around_cursor(t);
}

long
tui_audit_thread(struct tui *t)
{
    struct auditv *a = audit_state(t);
    const struct audit_entry *e = a ? entry_at(a, a->list.cur) : NULL;
    return e ? e->thread : 0;
}

/* ---- drawing ---- */

/* Draws one entry at y. */
static void
draw_row(struct tui *t, const struct audit_entry *e, int y, int is_cursor)
{
    attr_t base = tui_attr(t, is_cursor ? ROLE_CURSOR : ROLE_NORMAL);
    char when[24], thread[24] = "-";
    snprintf(when, sizeof when, "%.10s %.8s", e->at, strlen(e->at) > 11 ? e->at + 11 : "");
    if (e->thread)
        snprintf(thread, sizeof thread, "%ld", e->thread);
    tui_put(y, 0, "", COLS, base);
    tui_put(y, 1, when, 19, is_cursor ? base : tui_attr(t, ROLE_DIM));
    tui_put_raw(y, 21, e->officer, 14, base);
    tui_put_raw(y, 36, e->action, 22, base);
    tui_put(y, 59, thread, 6, base);
    tui_put_raw(y, 66, e->details, COLS - 66, is_cursor ? base : tui_attr(t, ROLE_DIM));
}

void
tui_audit_draw(struct tui *t)
{
    struct auditv *a = audit_state(t);
    char title[160], which[48] = "every thread";
    if (a->thread)
        snprintf(which, sizeof which, "thread %ld", a->thread);
    snprintf(title, sizeof title, " Audit log · %s · %ld entr%s, newest first", which,
             a->list.n, a->list.n == 1 ? "y" : "ies");
    tui_put(0, 0, title, COLS, tui_attr(t, ROLE_BAR));
    char head[128];
    snprintf(head, sizeof head, " %-19s %-14s %-22s %-6s %s", "WHEN (UTC)", "OFFICER",
             "ACTION", "THREAD", "DETAILS");
    tui_put(1, 0, head, COLS, tui_attr(t, ROLE_HEADER));
    int h = LINES - 3 - DETAIL_LINES;
    if (h < 1)
        h = 1;
    if (h != a->list.page) {
        a->list.page = h;
        fetch_around_cursor(t);
    }
    for (long row = 0; row < h && row < (long)a->n; row++)
        draw_row(t, &a->e[row], 2 + (int)row, a->list.top + row == a->list.cur);
    if (a->list.n == 0)
        tui_put(3, 2, "The audit log has no entries here yet.", COLS - 2,
                tui_attr(t, ROLE_NORMAL));
    const struct audit_entry *cur = entry_at(a, a->list.cur);
    if (cur) {
        struct tui_lines l = {0};
        tui_lines_add(&l, ROLE_HEADER, " Details of the selected entry:");
        tui_lines_wrap(&l, ROLE_NORMAL, cur->details, 2, COLS);
        tui_lines_draw(t, &l, 0, 2 + h, DETAIL_LINES);
        tui_lines_free(&l);
    }
    char where[64];
    snprintf(where, sizeof where, "%ld/%ld", a->list.n ? a->list.cur + 1 : 0, a->list.n);
    tui_status_draw(t, "AUDIT", where);
}

/* ---- actions ---- */

void
tui_audit_act_open(struct tui *t, const struct tui_action *act)
{
    (void)act;
    long thread = t->screen == &tui_thread_screen ? tui_thread_id(t) : 0;
    if (audit_state(t) == NULL) {
        TUI_STATE(t, audit) = xcalloc(1, sizeof(struct auditv));
        audit_state(t)->list.fetch = audit_fetch;
        audit_state(t)->list.page = 1; /* until the first draw lays the screen out */
    }
    struct auditv *a = audit_state(t);
    a->thread = a->from_thread = thread;
    audit_entries_free(a->e, a->n);
    a->e = NULL;
    a->n = 0;
    a->list.cur = a->list.top = 0;
    tui_screen_push(t, &tui_audit_screen);
    tui_audit_reload(t);
}

void
tui_audit_act_back(struct tui *t, const struct tui_action *act)
{
    (void)act;
    tui_screen_back(t);
    tui_refresh_data(t, TUI_RELOAD_PAGE);
}

void
tui_audit_act_all(struct tui *t, const struct tui_action *act)
{
    (void)act;
    struct auditv *a = audit_state(t);
    long thread = a->thread ? 0 : a->from_thread ? a->from_thread : tui_audit_thread(t);
    if (thread == 0 && a->thread == 0) {
        tui_message(t, "this entry concerns no thread; the whole log is shown");
        return;
    }
    a->thread = thread;
    audit_entries_free(a->e, a->n);
    a->e = NULL;
    a->n = 0;
    a->list.cur = a->list.top = 0;
    tui_audit_reload(t);
}

void
tui_audit_act_open_thread(struct tui *t, const struct tui_action *act)
{
    (void)act;
    long id = tui_audit_thread(t);
    if (id == 0) {
        tui_message(t, "this entry concerns no thread");
        return;
    }
    tui_thread_open(t, id);
}

/* Frees the view at the end. */
static void
audit_screen_free(struct tui *t)
{
    auditv_free(audit_state(t));
    TUI_STATE(t, audit) = NULL;
}

/* The list of entries, for the movement actions. */
static struct tui_list *
audit_screen_list(struct tui *t)
{
    return &audit_state(t)->list;
}

const struct tui_screen tui_audit_screen = {
    .ctx = KM_AUDIT,
    .list = audit_screen_list,
    .draw = tui_audit_draw,
    .reload = tui_audit_reload,
    .free = audit_screen_free,
    .thread = tui_audit_thread,
};
