/* The drafts view: every officer's drafts, newest first, one state or all live ones at a
 * time, with the selected draft in full in the lower pane (its review comment when returned;
 * why it waits, the post it answers and the guardrails' findings from tui/approvals.c).
 * Shown on pending_approval it is the approvals view, where approve and return act. From
 * here a draft's thread opens, a draft is discarded (after a question), or edited. */
#include "tui/internal.h"

#include "model/text.h"
#include "model/xmalloc.h"
#include "tui/list.h"
#include "tui/approvals.h"
#include "tui/composer.h"
#include "tui/drafts.h"
#include "tui/draw.h"
#include "tui/outbox.h"
#include "tui/prompt.h"
#include "tui/thread.h"

#include <stdlib.h>
#include <string.h>

/* The states a Tab steps through; NULL is every draft not discarded or sent. */
static const char *const filters[] = {
    NULL, "pending_approval", "returned", "editing", "approved", "queued", "sent", "discarded",
};
#define NFILTERS (sizeof filters / sizeof filters[0])

struct drafts {
    size_t filter;         /* index into filters */
    struct draft *list;
    size_t n;
    struct tui_list view;  /* the cursor on the selected draft; n is always n */
    long body_top;         /* first line of the lower pane shown */
    int body_h;            /* lines the lower pane had at the last draw */
    long asked;            /* the draft "discard draft N?" is about */
};

/* This file's state in the interface (tui/screen_list.h), or NULL when there is none. */
static inline struct drafts *
drafts_state(const struct tui *t)
{
    return TUI_STATE(t, drafts);
}

/* Frees the state of drafts. */
static void
drafts_free_state(struct drafts *d)
{
    if (d == NULL)
        return;
    draft_list_free(d->list, d->n);
    free(d);
}

/* Whether the view shows the drafts waiting for approval. */
static int
approvals_mode(const struct drafts *d)
{
    return filters[d->filter] && strcmp(filters[d->filter], "pending_approval") == 0;
}

void
tui_drafts_reload(struct tui *t)
{
    struct drafts *d = drafts_state(t);
    if (d == NULL)
        return;
    long keep = d->view.cur < (long)d->n ? d->list[d->view.cur].id : 0;
    struct draft *list;
    size_t n;
    char *err = NULL;
    if (draft_list(t->db, 0, filters[d->filter], &list, &n, &err) != 0) {
        tui_error_take(t, "cannot read the drafts", err);
        return;
    }
    draft_list_free(d->list, d->n);
    d->list = list;
    d->n = n;
    d->view.n = (long)n;
    d->view.cur = 0;
    for (size_t i = 0; i < n; i++)
        if (list[i].id == keep)
            d->view.cur = (long)i;
    tui_list_clamp(&d->view);
}

void
tui_drafts_show(struct tui *t, const char *state)
{
    if (drafts_state(t) == NULL)
        TUI_STATE(t, drafts) = xcalloc(1, sizeof(struct drafts));
    struct drafts *d = drafts_state(t);
    d->filter = 0;
    for (size_t i = 1; state && i < NFILTERS; i++)
        if (strcmp(filters[i], state) == 0)
            d->filter = i;
    d->view.cur = d->view.top = d->body_top = 0;
    tui_screen_push(t, &tui_drafts_screen);
    tui_drafts_reload(t);
    tui_outbox_refresh(t);
}

const struct draft *
tui_drafts_current(struct tui *t)
{
    struct drafts *d = drafts_state(t);
    if (d == NULL || d->view.cur >= (long)d->n)
        return NULL;
    return &d->list[d->view.cur];
}

long
tui_drafts_thread(struct tui *t)
{
    const struct draft *dr = tui_drafts_current(t);
    return dr ? dr->thread : 0;
}

/* ---- drawing ---- */

/* Writes "YYYY-MM-DD HH:MM" of an RFC 3339 time to out. */
static void
short_time(const char *at, char out[20])
{
    snprintf(out, 20, "%.10s %.5s", at ? at : "", at && strlen(at) > 11 ? at + 11 : "");
}

/* Draws the title line: which drafts are shown and how to see others. */
static void
draw_title(struct tui *t)
{
    struct drafts *d = drafts_state(t);
    char line[256];
    const char *state = filters[d->filter];
    if (approvals_mode(d))
        snprintf(line, sizeof line, " Approvals · drafts waiting for a second officer · %zu "
                 "· Tab shows other drafts", d->n);
    else
        snprintf(line, sizeof line, " Drafts · %s · %zu · Tab shows the next state",
                 state ? state : "every live draft (not sent or discarded)", d->n);
    tui_put(0, 0, line, COLS, tui_attr(t, ROLE_BAR));
}

/* The role that colours a draft's state. */
static enum tui_role
state_role(const char *state)
{
    if (strcmp(state, "pending_approval") == 0 || strcmp(state, "returned") == 0)
        return ROLE_HIGH;
    if (strcmp(state, "sent") == 0 || strcmp(state, "queued") == 0 ||
        strcmp(state, "discarded") == 0)
        return ROLE_DONE;
    return ROLE_NORMAL;
}

/* Column widths: id, thread, officer, pattern, state, updated; the text takes the rest. On
 * screens narrower than WIDE_COLS the update is shown as an age ("3h") in narrower columns. */
enum { W_ID = 5, W_THREAD = 6, W_STATE = 16, WIDE_COLS = 110 };

struct layout {
    int officer, pattern, updated;
    int wide;
};

/* Lays the columns out for COLS. */
static void
layout_for_screen(struct layout *l)
{
    l->wide = COLS >= WIDE_COLS;
    l->officer = l->wide ? 12 : 10;
    l->pattern = l->wide ? 15 : 12;
    l->updated = l->wide ? 16 : 4;
}

/* Draws one draft's line at y. */
static void
draw_row(struct tui *t, const struct layout *l, const struct draft *dr, int y, int is_cursor,
         time_t now)
{
    attr_t base = tui_attr(t, is_cursor ? ROLE_CURSOR : ROLE_NORMAL);
    char buf[32];
    int x = 0;
    tui_put(y, 0, "", COLS, base);
    snprintf(buf, sizeof buf, "%*ld", W_ID, dr->id);
    tui_put(y, x, buf, W_ID, base);
    x += W_ID + 1;
    snprintf(buf, sizeof buf, "%*ld", W_THREAD, dr->thread);
    tui_put(y, x, buf, W_THREAD, base);
    x += W_THREAD + 1;
    tui_put_raw(y, x, dr->officer, l->officer, base);
    x += l->officer + 1;
    tui_put_raw(y, x, dr->pattern ? dr->pattern : "-", l->pattern, base);
    x += l->pattern + 1;
    tui_put(y, x, dr->state, W_STATE, is_cursor ? base : tui_attr(t, state_role(dr->state)));
    x += W_STATE + 1;
    char when[20] = "-";
    time_t at;
    if (l->wide)
        short_time(dr->updated_at, when);
    else if (isotime_parse(dr->updated_at, &at) == 0)
        isotime_age(at, now, when);
    tui_put(y, x, when, l->updated, is_cursor ? base : tui_attr(t, ROLE_DIM));
    x += l->updated + 1;
    char *first = tui_first_line(dr->body);
    tui_put(y, x, first, COLS - x, base);
    free(first);
}

/* Draws the column headings at y. */
static void
draw_header(struct tui *t, const struct layout *l, int y)
{
    char line[160];
    snprintf(line, sizeof line, "%*s %*s %-*s %-*s %-*s %-*s %s", W_ID, "ID", W_THREAD,
             "THREAD", l->officer, "OFFICER", l->pattern, "PATTERN", W_STATE, "STATE",
             l->updated, l->wide ? "UPDATED (UTC)" : "AGE", "TEXT");
    tui_put(y, 0, line, COLS, tui_attr(t, ROLE_HEADER));
}

/* Builds the lower pane for draft dr. */
static void
pane_lines(struct tui *t, const struct draft *dr, struct tui_lines *l)
{
    char when[20];
    short_time(dr->updated_at, when);
    char *officer = text_sanitize(dr->officer, strlen(dr->officer), 0);
    struct buf head = {0};
    buf_printf(&head, "── draft %ld · thread %ld · %s · by %s%s · updated %s UTC ", dr->id,
               dr->thread, dr->state, officer,
               strcmp(dr->officer, t->opts->officer) == 0 ? " (you)" : "", when);
    free(officer);
    for (int c = text_width(head.data); c < COLS; c++)
        buf_adds(&head, "─");
    tui_lines_add(l, ROLE_HEADER, head.data);
    buf_free(&head);
    if (dr->review_comment && strcmp(dr->state, "returned") == 0) {
        char *who = text_sanitize(dr->reviewer ? dr->reviewer : "?",
                                  strlen(dr->reviewer ? dr->reviewer : "?"), 0);
        char *label = xasprintf(" Returned by %s with this comment:", who);
        tui_lines_add(l, ROLE_HIGH, label);
        free(label);
        free(who);
        tui_lines_wrap(l, ROLE_HIGH, dr->review_comment, 3, COLS);
    }
    tui_approvals_head(t, dr, l);
    char *pattern = dr->pattern ? text_sanitize(dr->pattern, strlen(dr->pattern), 0) : NULL;
    char *label = pattern ? xasprintf(" The reply (pattern %s):", pattern)
                          : xstrdup(" The reply:");
    tui_lines_add(l, ROLE_DIM, label);
    free(label);
    free(pattern);
    tui_lines_wrap(l, ROLE_NORMAL, dr->body, 3, COLS);
    tui_approvals_findings(t, dr, l);
}

/* Says why the list is empty. */
static void
draw_empty(struct tui *t, int y)
{
    struct drafts *d = drafts_state(t);
    const char *why;
    if (approvals_mode(d))
        why = "Nothing waits for approval. Tab shows the other drafts.";
    else if (filters[d->filter] == NULL)
        why = "No drafts. `tactful reply ID --pattern P --template` starts one; Tab shows "
              "sent and discarded ones.";
    else
        why = "No drafts in this state. Tab shows the next state.";
    tui_put(y + 1, 2, why, COLS - 2, tui_attr(t, ROLE_NORMAL));
}

void
tui_drafts_draw(struct tui *t)
{
    struct drafts *d = drafts_state(t);
    struct layout lay;
    layout_for_screen(&lay);
    time_t now = time(NULL);
    draw_title(t);
    draw_header(t, &lay, 1);
    int avail = LINES - 3;
    int want = d->n ? (int)d->n : 2;
    int cap = avail * 2 / 5 > 3 ? avail * 2 / 5 : 3;
    int h = want < cap ? want : cap;
    tui_list_set_page(&d->view, h);
    for (long row = 0; row < h && d->view.top + row < (long)d->n; row++)
        draw_row(t, &lay, &d->list[d->view.top + row], 2 + (int)row,
                 d->view.top + row == d->view.cur, now);
    if (d->n == 0)
        draw_empty(t, 1);
    int py = 2 + h;
    d->body_h = LINES - 1 - py;
    const struct draft *dr = tui_drafts_current(t);
    if (dr && d->body_h > 0) {
        struct tui_lines l = {0};
        pane_lines(t, dr, &l);
        d->body_top = tui_lines_draw(t, &l, d->body_top, py, d->body_h);
        tui_lines_free(&l);
    }
    char where[64];
    snprintf(where, sizeof where, "%ld/%zu", d->n ? d->view.cur + 1 : 0, d->n);
    tui_status_draw(t, approvals_mode(d) ? "APPROVALS" : "DRAFTS", where);
}

/* ---- actions ---- */

void
tui_drafts_act_open_view(struct tui *t, const struct tui_action *a)
{
    tui_drafts_show(t, a->arg);
}

void
tui_drafts_act_back(struct tui *t, const struct tui_action *a)
{
    (void)a;
    tui_screen_back(t);
    tui_refresh_data(t, TUI_RELOAD_PAGE);
}

/* Shows the drafts of the filter step places on from the current one. */
static void
step_filter(struct tui *t, int step)
{
    struct drafts *d = drafts_state(t);
    d->filter = (d->filter + (size_t)((int)NFILTERS + step)) % NFILTERS;
    d->view.cur = d->view.top = d->body_top = 0;
    tui_drafts_reload(t);
}

void
tui_drafts_act_next_state(struct tui *t, const struct tui_action *a)
{
    (void)a;
    step_filter(t, 1);
}

void
tui_drafts_act_prev_state(struct tui *t, const struct tui_action *a)
{
    (void)a;
    step_filter(t, -1);
}

void
tui_drafts_act_scroll_down(struct tui *t, const struct tui_action *a)
{
    (void)a;
    struct drafts *d = drafts_state(t);
    d->body_top += d->body_h > 2 ? d->body_h - 1 : 1; /* the draw clamps it */
}

void
tui_drafts_act_scroll_up(struct tui *t, const struct tui_action *a)
{
    (void)a;
    struct drafts *d = drafts_state(t);
    long step = d->body_h > 2 ? d->body_h - 1 : 1;
    d->body_top = d->body_top > step ? d->body_top - step : 0;
}

/* The selected draft, or NULL after saying there is none. */
static const struct draft *
need_draft(struct tui *t)
{
    const struct draft *dr = tui_drafts_current(t);
    if (dr == NULL)
        tui_message(t, "no draft here");
    return dr;
}

void
tui_drafts_act_open_thread(struct tui *t, const struct tui_action *a)
{
    (void)a;
    const struct draft *dr = need_draft(t);
    if (dr)
        tui_thread_open(t, dr->thread);
}

/* Takes the answer to "discard draft N?". */
static void
discard_done(struct tui *t, const char *text)
{
    long id = drafts_state(t)->asked;
    if (strcmp(text, "y") != 0 && strcmp(text, "yes") != 0) {
        tui_message(t, "draft %ld kept", id);
        return;
    }
    char *err = NULL;
    if (draft_discard(t->db, t->opts->officer, id, &err) != 0) {
        tui_error_take(t, NULL, err);
        return;
    }
    tui_message(t, "draft %ld discarded (audited); Tab to `discarded` shows it", id);
    tui_refresh_data(t, TUI_RELOAD_COUNTS);
}

void
tui_drafts_act_discard(struct tui *t, const struct tui_action *a)
{
    (void)a;
    const struct draft *dr = need_draft(t);
    if (dr == NULL)
        return;
    if (strcmp(dr->state, "queued") == 0 || strcmp(dr->state, "sent") == 0 ||
        strcmp(dr->state, "discarded") == 0) {
        tui_error(t, "draft %ld is %s and cannot be discarded%s", dr->id, dr->state,
                  strcmp(dr->state, "queued") == 0 ? "; it is in the outbox" : "");
        return;
    }
    drafts_state(t)->asked = dr->id;
    char label[96];
    snprintf(label, sizeof label, "discard draft %ld? y to discard", dr->id);
    struct prompt_spec spec = {.label = label, .hint = "y and Enter discards it; Esc keeps it",
                               .done = discard_done};
    tui_prompt_open(t, &spec);
}

/* Opens draft dr in the composer (the composer says why when it cannot). */
static void
edit_draft(struct tui *t, const struct draft *dr)
{
    tui_composer_open_draft(t, dr->id);
}

void
tui_drafts_act_edit(struct tui *t, const struct tui_action *a)
{
    (void)a;
    const struct draft *dr = need_draft(t);
    if (dr == NULL)
        return;
    if (strcmp(dr->officer, t->opts->officer) != 0) {
        tui_error(t, "draft %ld is another officer's; only they can edit it (you can "
                     "approve or return it when it waits for approval)", dr->id);
        return;
    }
    if (strcmp(dr->state, "editing") != 0 && strcmp(dr->state, "returned") != 0) {
        tui_error(t, "draft %ld is %s; only a draft being edited or returned can be edited",
                  dr->id, dr->state);
        return;
    }
    edit_draft(t, dr);
}

/* Frees the view at the end. */
static void
drafts_screen_free(struct tui *t)
{
    drafts_free_state(drafts_state(t));
    TUI_STATE(t, drafts) = NULL;
}

/* The list of drafts, for the movement actions. */
static struct tui_list *
drafts_screen_list(struct tui *t)
{
    return &drafts_state(t)->view;
}

/* A draft newly selected shows its pane from the top. */
static void
drafts_screen_moved(struct tui *t)
{
    drafts_state(t)->body_top = 0;
}

const struct tui_screen tui_drafts_screen = {
    .ctx = KM_DRAFTS,
    .list = drafts_screen_list,
    .moved = drafts_screen_moved,
    .draw = tui_drafts_draw,
    .reload = tui_drafts_reload,
    .free = drafts_screen_free,
    .thread = tui_drafts_thread,
};
