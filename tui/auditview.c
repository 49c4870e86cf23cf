/* The audit view: the audit log newest first (who, when, what, which thread, the details),
 * scrollable, with the selected entry's details in full at the bottom. Opened from the thread
 * view it shows that thread's entries; a key switches between the thread and the whole log. */
#include "tui/internal.h"

#include "model/audit.h"
#include "model/text.h"
#include "model/xmalloc.h"

#include <stdlib.h>
#include <string.h>

/* Lines at the bottom for the selected entry's details. */
#define DETAIL_LINES 4

struct auditv {
    long thread;              /* the thread shown, 0: the whole log */
    long from_thread;         /* the thread the view was opened on, 0 when none */
    struct audit_entry *e;    /* oldest first, as the model reads them */
    size_t n;
    long cur;                 /* the selected line, 0 the newest */
    long top;
    int rows;
};

void
tui_audit_free(struct auditv *a)
{
    if (a == NULL)
        return;
    audit_entries_free(a->e, a->n);
    free(a);
}

/* Line i of the view (newest first). */
static const struct audit_entry *
entry_at(const struct auditv *a, long i)
{
    return &a->e[a->n - 1 - (size_t)i];
}

void
tui_audit_reload(struct tui *t)
{
    struct auditv *a = t->audit;
    if (a == NULL)
        return;
    long keep = a->cur < (long)a->n ? entry_at(a, a->cur)->id : 0;
    struct audit_entry *e;
    size_t n;
    char *err = NULL;
    if (audit_list(t->db, a->thread, &e, &n, &err) != 0) {
        tui_error_take(t, "cannot read the audit log", err);
        return;
    }
    audit_entries_free(a->e, a->n);
    a->e = e;
    a->n = n;
    a->cur = 0;
    for (long i = 0; i < (long)n; i++)
        if (entry_at(a, i)->id == keep)
            a->cur = i;
}

long
tui_audit_thread(struct tui *t)
{
    struct auditv *a = t->audit;
    if (a == NULL || a->cur >= (long)a->n)
        return 0;
    return entry_at(a, a->cur)->thread;
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
    struct auditv *a = t->audit;
    char title[160], which[48] = "every thread";
    if (a->thread)
        snprintf(which, sizeof which, "thread %ld", a->thread);
    snprintf(title, sizeof title, " Audit log · %s · %zu entr%s, newest first", which, a->n,
             a->n == 1 ? "y" : "ies");
    tui_put(0, 0, title, COLS, tui_attr(t, ROLE_BAR));
    char head[128];
    snprintf(head, sizeof head, " %-19s %-14s %-22s %-6s %s", "WHEN (UTC)", "OFFICER",
             "ACTION", "THREAD", "DETAILS");
    tui_put(1, 0, head, COLS, tui_attr(t, ROLE_HEADER));
    int h = LINES - 3 - DETAIL_LINES;
    if (h < 1)
        h = 1;
    a->rows = h;
    if (a->cur < a->top)
        a->top = a->cur;
    if (a->cur >= a->top + h)
        a->top = a->cur - h + 1;
    for (int row = 0; row < h && a->top + row < (long)a->n; row++)
        draw_row(t, entry_at(a, a->top + row), 2 + row, a->top + row == a->cur);
    if (a->n == 0)
        tui_put(3, 2, "The audit log has no entries here yet.", COLS - 2,
                tui_attr(t, ROLE_NORMAL));
    if (a->cur < (long)a->n) {
        struct tui_lines l = {0};
        tui_lines_add(&l, ROLE_HEADER, " Details of the selected entry:");
        tui_lines_wrap(&l, ROLE_NORMAL, entry_at(a, a->cur)->details, 2, COLS);
        tui_lines_draw(t, &l, 0, 2 + h, DETAIL_LINES);
        tui_lines_free(&l);
    }
    char where[64];
    snprintf(where, sizeof where, "%ld/%zu", a->n ? a->cur + 1 : 0, a->n);
    tui_status_draw(t, "AUDIT", where);
}

/* ---- actions ---- */

void
tui_audit_act_open(struct tui *t, const struct tui_action *act)
{
    (void)act;
    long thread = t->screen == &tui_thread_screen ? tui_thread_id(t) : 0;
    if (t->audit == NULL)
        t->audit = xcalloc(1, sizeof *t->audit);
    struct auditv *a = t->audit;
    a->thread = a->from_thread = thread;
    a->cur = a->top = 0;
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

/* Selects line i, kept within the log. */
static void
select_line(struct auditv *a, long i)
{
    if (i >= (long)a->n)
        i = (long)a->n - 1;
    a->cur = i < 0 ? 0 : i;
}

void
tui_audit_act_down(struct tui *t, const struct tui_action *act)
{
    (void)act;
    select_line(t->audit, t->audit->cur + 1);
}

void
tui_audit_act_up(struct tui *t, const struct tui_action *act)
{
    (void)act;
    select_line(t->audit, t->audit->cur - 1);
}

void
tui_audit_act_page_down(struct tui *t, const struct tui_action *act)
{
    (void)act;
    select_line(t->audit, t->audit->cur + t->audit->rows);
}

void
tui_audit_act_page_up(struct tui *t, const struct tui_action *act)
{
    (void)act;
    select_line(t->audit, t->audit->cur - t->audit->rows);
}

void
tui_audit_act_first(struct tui *t, const struct tui_action *act)
{
    (void)act;
    select_line(t->audit, 0);
}

void
tui_audit_act_last(struct tui *t, const struct tui_action *act)
{
    (void)act;
    select_line(t->audit, (long)t->audit->n - 1);
}

void
tui_audit_act_all(struct tui *t, const struct tui_action *act)
{
    (void)act;
    struct auditv *a = t->audit;
    long thread = a->thread ? 0 : a->from_thread ? a->from_thread : tui_audit_thread(t);
    if (thread == 0 && a->thread == 0) {
        tui_message(t, "this entry concerns no thread; the whole log is shown");
        return;
    }
    a->thread = thread;
    a->cur = a->top = 0;
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
    tui_audit_free(t->audit);
    t->audit = NULL;
}

const struct tui_screen tui_audit_screen = {
    .ctx = KM_AUDIT,
    .draw = tui_audit_draw,
    .reload = tui_audit_reload,
    .free = audit_screen_free,
    .thread = tui_audit_thread,
};
