/* The thread view: the conversation as an indented tree in the upper pane, the selected post
 * in full in the lower one with the chain of posts it replies to above it. Opening a thread
 * marks it read; posts newer than the previous visit stay marked unread while it is open. A
 * sub-thread collapses to one line of its first post (tui/thread_fold.h). */
#include "tui/internal.h"

#include "model/text.h"
#include "model/thread.h"
#include "model/xmalloc.h"
#include "tui/drafts.h"
#include "tui/draw.h"
#include "tui/inbox.h"
#include "tui/reckoner.h"
#include "tui/thread.h"
#include "tui/thread_media.h"
#include "tui/thread_fold.h"

#include <stdlib.h>
#include <string.h>

/* Ancestors shown above the selected post; more are summarised in one line. */
#define CHAIN_MAX 3

struct tview {
    struct thread *t;
    char *seen_before;   /* the read marker before this visit; NULL when never opened */
    long *parent;        /* per post: the index of the post it replies to, or -1 */
    long *next_sibling;  /* per post: the index of the next reply to the same post, or -1 */
    struct tui_fold *fold; /* which posts the tree shows (collapsed sub-threads hide some) */
    long cur;            /* the selected post (always shown) */
    int picked;          /* whether the officer moved onto a post since opening the thread */
    long tree_top;       /* first tree line shown (rows of the fold, then the notes) */
    long body_top;       /* first line of the selected post's text shown */
    long body_lines;     /* lines the post's text took at the last draw */
    int body_h;          /* lines the text had room for at the last draw */
    int tree_h;          /* lines the tree had at the last draw */
};

/* This file's state in the interface (tui/screen_list.h), or NULL when there is none. */
static inline struct tview *
thread_state(const struct tui *t)
{
    return TUI_STATE(t, thread);
}

/* Works out each post's parent and next sibling from the depth-first order thread_get gives:
 * a post's parent is the nearest earlier post one level up. */
static void
link_posts(struct tview *tv)
{
    size_t n = tv->t->nposts;
    tv->parent = xreallocarray(NULL, n + 1, sizeof *tv->parent);
    tv->next_sibling = xreallocarray(NULL, n + 1, sizeof *tv->next_sibling);
    for (size_t i = 0; i < n; i++) {
        int d = tv->t->posts[i].depth;
        tv->parent[i] = -1;
        tv->next_sibling[i] = -1;
        for (size_t j = i; d > 0 && j-- > 0;)
            if (tv->t->posts[j].depth == d - 1) {
                tv->parent[i] = (long)j;
                break;
            }
    }
    for (size_t i = 0; i < n; i++) {
        int d = tv->t->posts[i].depth;
        for (size_t j = i + 1; j < n && tv->t->posts[j].depth >= d; j++)
            if (tv->t->posts[j].depth == d && tv->parent[j] == tv->parent[i]) {
                tv->next_sibling[i] = (long)j;
                break;
            }
    }
}

/* Whether post i is newer than the previous visit. */
static int
post_unread(const struct tview *tv, size_t i)
{
    const char *at = tv->t->posts[i].created_at;
    return tv->seen_before == NULL || (at && strcmp(at, tv->seen_before) > 0);
}

static void select_post(struct tview *tv, long i);

/* Frees the view's thread data. */
static void
tview_free(struct tview *tv)
{
    if (tv == NULL)
        return;
    thread_free(tv->t);
    free(tv->seen_before);
    free(tv->parent);
    free(tv->next_sibling);
    tui_fold_free(tv->fold);
    free(tv);
}

/* Loads thread id into a new view; NULL after showing the error. */
static struct tview *
tview_load(struct tui *t, long id)
{
    char *err = NULL;
    struct thread *th = thread_get(t->db, id, &err);
    if (th == NULL) {
        tui_error_take(t, NULL, err);
        return NULL;
    }
    struct tview *tv = xcalloc(1, sizeof *tv);
    tv->t = th;
    tv->seen_before = th->info.seen_at ? xstrdup(th->info.seen_at) : NULL;
    link_posts(tv);
    tv->fold = tui_fold_new(th->posts, th->nposts);
    return tv;
}

int
tui_thread_open(struct tui *t, long id)
{
    struct tview *tv = tview_load(t, id);
    if (tv == NULL)
        return -1;
    char *err = NULL;
    /* A read-only cache keeps its unread marks; the status bar already says READ-ONLY. */
    if (!t->db->readonly && thread_mark_seen(t->db, id, &err) != 0)
        tui_error_take(t, "cannot mark the thread read", err);
    /* Start at the first post the officer has not seen. */
    for (size_t i = 0; i < tv->t->nposts; i++)
        if (post_unread(tv, i)) {
            tv->cur = (long)i;
            break;
        }
    tview_free(thread_state(t));
    TUI_STATE(t, thread) = tv;
    tui_screen_push(t, &tui_thread_screen);
    return 0;
}

void
tui_thread_close(struct tui *t)
{
    if (thread_state(t) == NULL)
        return;
    tview_free(thread_state(t));
    TUI_STATE(t, thread) = NULL;
    if (t->screen == &tui_thread_screen)
        tui_screen_back(t);
    tui_inbox_reload(t, TUI_RELOAD_PAGE);
    if (t->screen == &tui_drafts_screen)
        tui_drafts_reload(t);
}

/* Collapses in tv the posts that were collapsed in old (the same thread read again). */
static void
keep_collapsed(const struct tview *old, struct tview *tv)
{
    size_t n = tv->t->nposts;
    unsigned char *which = xcalloc(n + 1, 1);
    for (size_t i = 0, j = 0; i < old->t->nposts; i++) {
        if (!tui_fold_collapsed(old->fold, (long)i))
            continue;
        /* Posts keep their order, and new ones rarely come before old ones: search on. */
        for (size_t k = 0; k < n; k++, j = (j + 1) % n)
            if (tv->t->posts[j].id == old->t->posts[i].id) {
                which[j] = 1;
                break;
            }
    }
    tui_fold_load(tv->fold, which);
    free(which);
}

void
tui_thread_reload(struct tui *t)
{
    struct tview *old = thread_state(t);
    if (old == NULL)
        return;
    long keep = old->cur < (long)old->t->nposts ? old->t->posts[old->cur].id : 0;
    struct tview *tv = tview_load(t, old->t->info.id);
    if (tv == NULL)
        return;
    free(tv->seen_before);
    tv->seen_before = old->seen_before; /* what was unread stays marked during the visit */
    old->seen_before = NULL;
    keep_collapsed(old, tv);
    for (size_t i = 0; i < tv->t->nposts; i++)
        if (tv->t->posts[i].id == keep)
            tv->cur = (long)i;
    tui_fold_reveal(tv->fold, tv->cur);
    tv->tree_top = old->tree_top;
    tv->body_top = old->body_top;
    tv->picked = old->picked;
    tview_free(old);
    TUI_STATE(t, thread) = tv;
}

long
tui_thread_id(struct tui *t)
{
    return thread_state(t) ? thread_state(t)->t->info.id : 0;
}

const char *
tui_thread_url(struct tui *t)
{
    struct tview *tv = thread_state(t);
    if (tv == NULL || tv->cur >= (long)tv->t->nposts)
        return NULL;
    return tv->t->posts[tv->cur].url;
}

const struct thread_row *
tui_thread_info(struct tui *t)
{
    return thread_state(t) ? &thread_state(t)->t->info : NULL;
}

const struct thread_post *
tui_thread_post(struct tui *t)
{
    struct tview *tv = thread_state(t);
    if (tv == NULL || tv->cur >= (long)tv->t->nposts)
        return NULL;
    return &tv->t->posts[tv->cur];
}

/* The index of the latest post not written by the office (the later one of two at the same
 * time), or -1 when every post is the office's own. */
static long
latest_public(const struct tview *tv)
{
    long latest = -1;
    const char *at = "";
    for (size_t i = 0; i < tv->t->nposts; i++) {
        const struct thread_post *p = &tv->t->posts[i];
        const char *when = p->created_at ? p->created_at : "";
        if (!p->own && (latest < 0 || strcmp(when, at) >= 0)) {
            latest = (long)i;
            at = when;
        }
    }
    return latest;
}

const struct thread_post *
tui_thread_reply_post(struct tui *t)
{
    struct tview *tv = thread_state(t);
    if (tv == NULL || tv->t->nposts == 0)
        return NULL;
    if (!tv->picked)
        select_post(tv, latest_public(tv)); /* -1 keeps the selection */
    return tui_thread_post(t);
}

/* ---- drawing ---- */

/* Builds the tree glyphs before post i ("│ ├─"), at most max_cols columns wide (deeper
 * levels keep their rightmost glyphs after a "…"). */
static void
tree_prefix(const struct tview *tv, size_t i, int max_cols, struct buf *b)
{
    int d = tv->t->posts[i].depth;
    if (d == 0)
        return;
    const char **cells = xreallocarray(NULL, (size_t)d, sizeof *cells);
    long a = tv->parent[i];
    cells[d - 1] = tv->next_sibling[i] >= 0 ? "├─" : "└─";
    for (int k = d - 2; k >= 0; k--) {
        cells[k] = a >= 0 && tv->next_sibling[a] >= 0 ? "│ " : "  ";
        a = a >= 0 ? tv->parent[a] : -1;
    }
    int first = 0, cap = max_cols / 2;
    if (d > cap && cap > 1) {
        first = d - cap + 1;
        buf_adds(b, "… ");
    }
    for (int k = first; k < d; k++)
        buf_adds(b, cells[k]);
    free(cells);
}

/* The name to show for a post's author: the display name, else the handle. */
static const char *
author_of(const struct thread_post *p)
{
    return p->author_name && *p->author_name ? p->author_name : p->author;
}

/* What a collapsed post's line says about the replies it hides (" [+3, 1 new]"), else "". */
static char *
collapsed_label(const struct tview *tv, long i)
{
    if (!tui_fold_collapsed(tv->fold, i))
        return xstrdup("");
    long n = tui_fold_replies(tv->fold, i), unread = 0;
    for (long j = i + 1; j <= i + n; j++)
        unread += post_unread(tv, (size_t)j);
    return unread ? xasprintf(" [+%ld, %ld new]", n, unread) : xasprintf(" [+%ld]", n);
}

/* Draws the tree line of post i at y. */
static void
draw_tree_line(struct tui *t, size_t i, int y, time_t now)
{
    struct tview *tv = thread_state(t);
    const struct thread_post *p = &tv->t->posts[i];
    int is_cur = (long)i == tv->cur, unread = post_unread(tv, i);
    struct buf b = {0};
    buf_addc(&b, ' ');
    tree_prefix(tv, i, COLS / 3, &b);
    char age[16] = "-";
    time_t when;
    if (p->created_at && isotime_parse(p->created_at, &when) == 0)
        isotime_age(when, now, age);
    char *who = text_sanitize(author_of(p), strlen(author_of(p)), 0);
    char *first = tui_first_line(p->text);
    char *folded = collapsed_label(tv, (long)i);
    buf_printf(&b, "%s %s · %s%s%s%s  %s", unread ? "*" : " ", who, age,
               p->deleted_at ? " [deleted]" : "", p->own ? " [ours]" : "", folded, first);
    free(folded);
    free(who);
    free(first);
    enum tui_role role = is_cur ? ROLE_CURSOR : p->own ? ROLE_OURS : ROLE_NORMAL;
    attr_t attr = tui_attr(t, role) | (unread ? tui_attr(t, ROLE_UNREAD) : 0);
    tui_put(y, 0, b.data, COLS, attr);
    buf_free(&b);
}

/* Draws internal note k as a tree line at y. */
static void
draw_note_line(struct tui *t, size_t k, int y)
{
    const struct thread_note *note = &thread_state(t)->t->notes[k];
    struct buf b = {0};
    buf_printf(&b, " ✎ note by %s · %.10s %.5s · %s", note->officer,
               note->created_at ? note->created_at : "",
               note->created_at && strlen(note->created_at) > 11 ? note->created_at + 11 : "",
               note->text);
    tui_put_raw(y, 0, b.data, COLS, tui_attr(t, ROLE_NOTE));
    buf_free(&b);
}

/* Lines the tree pane needs: one per post shown, a notes heading and one per note. */
static long
tree_lines(const struct tview *tv)
{
    return tui_fold_rows(tv->fold) + (tv->t->nnotes ? (long)tv->t->nnotes + 1 : 0);
}

/* Draws the tree pane in lines [y, y + h), scrolled so the selected post shows. */
static void
draw_tree(struct tui *t, int y, int h, time_t now)
{
    struct tview *tv = thread_state(t);
    long cur = tui_fold_row(tv->fold, tv->cur);
    if (cur < 0)
        cur = 0;
    if (cur < tv->tree_top)
        tv->tree_top = cur;
    if (cur >= tv->tree_top + h)
        tv->tree_top = cur - h + 1;
    long total = tree_lines(tv);
    if (tv->tree_top > total - h)
        tv->tree_top = total - h > 0 ? total - h : 0;
    if (tv->tree_top > cur)
        tv->tree_top = cur;
    for (int row = 0; row < h; row++) {
        long line = tv->tree_top + row;
        long nposts = tui_fold_rows(tv->fold);
        if (line < nposts)
            draw_tree_line(t, (size_t)tui_fold_post(tv->fold, line), y + row, now);
        else if (line == nposts && tv->t->nnotes)
            tui_put(y + row, 0, " ── internal notes (never posted) ──", COLS,
                    tui_attr(t, ROLE_NOTE));
        else if (line > nposts && line - nposts - 1 < (long)tv->t->nnotes)
            draw_note_line(t, (size_t)(line - nposts - 1), y + row);
    }
}

/* Draws the chain of posts the selected one replies to, root first; returns lines used. */
static int
draw_chain(struct tui *t, int y, int max)
{
    struct tview *tv = thread_state(t);
    long chain[CHAIN_MAX];
    int n = 0, more = 0;
    for (long a = tv->parent[tv->cur]; a >= 0; a = tv->parent[a]) {
        if (n < CHAIN_MAX)
            chain[n++] = a;
        else
            more++;
    }
    int used = 0;
    if (more && used < max) {
        char line[96];
        snprintf(line, sizeof line, " ↑ … %d earlier post%s", more, more == 1 ? "" : "s");
        tui_put(y + used++, 0, line, COLS, tui_attr(t, ROLE_DIM));
    }
    for (int k = n - 1; k >= 0 && used < max; k--) {
        const struct thread_post *p = &tv->t->posts[chain[k]];
        char *who = text_sanitize(author_of(p), strlen(author_of(p)), 0);
        char *first = tui_first_line(p->text);
        char *line = xasprintf(" ↑ %s%s: %s", who, p->own ? " [ours]" : "", first);
        tui_put(y + used++, 0, line, COLS, tui_attr(t, ROLE_DIM));
        free(line);
        free(first);
        free(who);
    }
    return used;
}

/* Draws the selected post in full in lines [y, y + h). */
static void
draw_post(struct tui *t, int y, int h)
{
    struct tview *tv = thread_state(t);
    if (tv->t->nposts == 0 || h <= 0)
        return;
    const struct thread_post *p = &tv->t->posts[tv->cur];
    char *who = text_sanitize(author_of(p), strlen(author_of(p)), 0);
    char *handle = text_sanitize(p->author, strlen(p->author), 0);
    char *paren = strcmp(who, handle) ? xasprintf(" (%s)", handle) : xstrdup("");
    char *head = xasprintf("── %s%s · %.10s %.5s UTC%s%s%s%s ", who, paren,
                           p->created_at ? p->created_at : "",
                           p->created_at && strlen(p->created_at) > 11 ? p->created_at + 11
                                                                       : "",
                           p->deleted_at ? " · [deleted] gone upstream, kept for the record"
                                         : "",
                           p->own ? " · [ours] sent by the office" : "",
                           p->shortened ? " · [shortened] longer than the cache keeps" : "",
                           post_unread(tv, (size_t)tv->cur) ? " · new" : "");
    int hw = text_width(head);
    struct buf line = {0};
    buf_adds(&line, head);
    for (int c = hw; c < COLS; c++)
        buf_adds(&line, "─");
    tui_put(y, 0, line.data, COLS, tui_attr(t, p->own ? ROLE_OURS : ROLE_HEADER));
    buf_free(&line);
    free(head);
    free(paren);
    free(handle);
    free(who);
    int used = 1 + draw_chain(t, y + 1, h / 3);
    size_t n;
    char *text = tui_wrap_text(p->text, 1, COLS, &n);
    /* Its media, quote and link card follow the text (tui/thread_media.c), then the URL,
     * after a blank line. */
    struct tui_lines extras = {0};
    tui_thread_media_lines(p, COLS, &extras);
    long total = (long)n + (long)extras.n + (p->url ? 2 : 0);
    tv->body_lines = total;
    tv->body_h = h - used;
    if (tv->body_top > total - tv->body_h)
        tv->body_top = total - tv->body_h > 0 ? total - tv->body_h : 0;
    const char *s = text;
    for (long i = 0; i < (long)n; i++, s += strlen(s) + 1)
        if (i >= tv->body_top && i - tv->body_top < tv->body_h)
            tui_put(y + used + (int)(i - tv->body_top), 0, s, COLS, tui_attr(t, ROLE_NORMAL));
    for (size_t i = 0; i < extras.n; i++) {
        long at = (long)n + (long)i;
        if (at >= tv->body_top && at - tv->body_top < tv->body_h)
            tui_put(y + used + (int)(at - tv->body_top), 0, extras.v[i].text, COLS,
                    tui_attr(t, extras.v[i].role));
    }
    long url_line = (long)n + (long)extras.n + 1;
    tui_lines_free(&extras);
    if (p->url && url_line >= tv->body_top && url_line - tv->body_top < tv->body_h) {
        char *u = xasprintf(" %s", p->url);
        tui_put_raw(y + used + (int)(url_line - tv->body_top), 0, u, COLS,
                    tui_attr(t, ROLE_DIM));
        free(u);
    }
    free(text);
}

/* Draws the header line: the thread's number, place, triage data and title. */
static void
draw_header(struct tui *t)
{
    const struct thread_row *r = &thread_state(t)->t->info;
    struct buf b = {0};
    buf_printf(&b, " Thread %ld · %s · %s · %s", r->id, r->platform, r->account, r->state);
    if (r->priority)
        buf_printf(&b, " · priority %d", r->priority);
    if (r->assignee)
        buf_printf(&b, " · %s", r->assignee);
    for (size_t i = 0; i < r->ntags; i++)
        buf_printf(&b, "%s#%s", i ? " " : " · ", r->tags[i]);
    if (r->topic)
        buf_printf(&b, " · about: %s", r->topic);
    if (r->snoozed_until)
        buf_printf(&b, " · snoozed until %s", r->snoozed_until);
    size_t nposts = thread_state(t)->t->nposts;
    buf_printf(&b, " · %zu post%s", nposts, nposts == 1 ? "" : "s");
    if (thread_state(t)->t->nnotes)
        buf_printf(&b, " · %zu note%s", thread_state(t)->t->nnotes,
                   thread_state(t)->t->nnotes == 1 ? "" : "s");
    if (r->title && *r->title)
        buf_printf(&b, " · %s", r->title);
    tui_put_raw(0, 0, b.data, COLS, tui_attr(t, ROLE_BAR));
    buf_free(&b);
}

/* Draws the latest internal note under the header, so colleagues' notes are seen first;
 * returns the lines used (0 or 1). */
static int
draw_notes_strip(struct tui *t, int y)
{
    const struct thread *th = thread_state(t)->t;
    if (th->nnotes == 0)
        return 0;
    const struct thread_note *note = &th->notes[th->nnotes - 1];
    struct buf b = {0};
    buf_printf(&b, " ✎ note by %s: %s", note->officer, note->text);
    if (th->nnotes > 1)
        buf_printf(&b, "  (%zu notes, all at the end of the tree)", th->nnotes);
    tui_put_raw(y, 0, b.data, COLS, tui_attr(t, ROLE_NOTE) | A_BOLD);
    buf_free(&b);
    return 1;
}

void
tui_thread_draw(struct tui *t)
{
    struct tview *tv = thread_state(t);
    if (tv == NULL)
        return;
    time_t now = time(NULL);
    draw_header(t);
    int top = 1 + draw_notes_strip(t, 1);
    int avail = LINES - 1 - top;
    long want = tree_lines(tv);
    int cap = avail * 2 / 5 > 3 ? avail * 2 / 5 : 3;
    int h = want < cap ? (int)want : cap;
    if (h < 1)
        h = 1;
    tv->tree_h = h;
    draw_tree(t, top, h, now);
    draw_post(t, top + h, avail - h);
    size_t unread = 0;
    for (size_t i = 0; i < tv->t->nposts; i++)
        unread += (size_t)post_unread(tv, i);
    char where[96];
    int n = snprintf(where, sizeof where, "post %ld/%zu", tv->t->nposts ? tv->cur + 1 : 0,
                     tv->t->nposts);
    if (unread && n > 0 && (size_t)n < sizeof where)
        n += snprintf(where + n, sizeof where - (size_t)n, " │ %zu new (*)", unread);
    long hidden = tui_fold_hidden(tv->fold);
    if (hidden && n > 0 && (size_t)n < sizeof where)
        snprintf(where + n, sizeof where - (size_t)n, " │ %ld collapsed", hidden);
    tui_status_draw(t, "THREAD", where);
}

/* ---- actions ---- */

/* Selects post i (when it exists) with its text scrolled to the top, expanding what hides
 * it. */
static void
select_post(struct tview *tv, long i)
{
    if (i < 0 || i >= (long)tv->t->nposts)
        return;
    tui_fold_reveal(tv->fold, i);
    tv->cur = i;
    tv->body_top = 0;
    tv->picked = 1;
}

void
tui_thread_act_back(struct tui *t, const struct tui_action *a)
{
    (void)a;
    tui_thread_close(t);
}

/* Selects the post rows further down the tree (negative: up), as far as there are rows. */
static void
select_row(struct tview *tv, long rows)
{
    long row = tui_fold_row(tv->fold, tv->cur) + rows, last = tui_fold_rows(tv->fold) - 1;
    select_post(tv, tui_fold_post(tv->fold, row < 0 ? 0 : row > last ? last : row));
}

void
tui_thread_act_down(struct tui *t, const struct tui_action *a)
{
    (void)a;
    struct tview *tv = thread_state(t);
    if (tui_fold_row(tv->fold, tv->cur) + 1 < tui_fold_rows(tv->fold))
        select_row(tv, 1);
}

void
tui_thread_act_up(struct tui *t, const struct tui_action *a)
{
    (void)a;
    if (tui_fold_row(thread_state(t)->fold, thread_state(t)->cur) > 0)
        select_row(thread_state(t), -1);
}

void
tui_thread_act_parent(struct tui *t, const struct tui_action *a)
{
    (void)a;
    struct tview *tv = thread_state(t);
    if (tv->t->nposts == 0 || tv->parent[tv->cur] < 0) {
        tui_message(t, "this post starts the conversation (or replies to one not in the cache)");
        return;
    }
    select_post(tv, tv->parent[tv->cur]);
}

void
tui_thread_act_next_sibling(struct tui *t, const struct tui_action *a)
{
    (void)a;
    struct tview *tv = thread_state(t);
    if (tv->t->nposts == 0 || tv->next_sibling[tv->cur] < 0) {
        tui_message(t, "no later reply to the same post");
        return;
    }
    select_post(tv, tv->next_sibling[tv->cur]);
}

void
tui_thread_act_prev_sibling(struct tui *t, const struct tui_action *a)
{
    (void)a;
    struct tview *tv = thread_state(t);
    for (long j = 0; j < tv->cur; j++)
        if (tv->next_sibling[j] == tv->cur) {
            select_post(tv, j);
            return;
        }
    tui_message(t, "no earlier reply to the same post");
}

void
tui_thread_act_next_unread(struct tui *t, const struct tui_action *a)
{
    (void)a;
    struct tview *tv = thread_state(t);
    for (long j = tv->cur + 1; j < (long)tv->t->nposts; j++)
        if (post_unread(tv, (size_t)j)) {
            select_post(tv, j);
            return;
        }
    tui_message(t, "no unread post after this one");
}

void
tui_thread_act_first(struct tui *t, const struct tui_action *a)
{
    (void)a;
    select_post(thread_state(t), 0);
}

void
tui_thread_act_last(struct tui *t, const struct tui_action *a)
{
    (void)a;
    struct tview *tv = thread_state(t);
    select_post(tv, tui_fold_post(tv->fold, tui_fold_rows(tv->fold) - 1));
}

void
tui_thread_act_scroll_down(struct tui *t, const struct tui_action *a)
{
    (void)a;
    struct tview *tv = thread_state(t);
    long step = tv->body_h > 2 ? tv->body_h - 1 : 1;
    if (tv->body_top + tv->body_h < tv->body_lines)
        tv->body_top += step;
    else if (tui_fold_row(tv->fold, tv->cur) + 1 < tui_fold_rows(tv->fold))
        select_row(tv, 1);
    else
        tui_message(t, "end of the thread");
}

void
tui_thread_act_scroll_up(struct tui *t, const struct tui_action *a)
{
    (void)a;
    struct tview *tv = thread_state(t);
    long step = tv->body_h > 2 ? tv->body_h - 1 : 1;
    tv->body_top = tv->body_top > step ? tv->body_top - step : 0;
}

void
tui_thread_act_page_down(struct tui *t, const struct tui_action *a)
{
    (void)a;
    select_row(thread_state(t), thread_state(t)->tree_h);
}

void
tui_thread_act_page_up(struct tui *t, const struct tui_action *a)
{
    (void)a;
    select_row(thread_state(t), -(long)thread_state(t)->tree_h);
}

/* Moves the selection onto the line standing for it after a collapse: the outermost collapsed
 * post hiding it (its text scrolled to the top), or itself when it still shows. */
static void
select_shown(struct tview *tv)
{
    long post = tui_fold_post(tv->fold, tui_fold_shown(tv->fold, tv->cur));
    if (post >= 0 && post != tv->cur)
        select_post(tv, post);
}

/* Collapses the sub-thread of post i: its replies, or when it has none (or they are already
 * collapsed), those of the post it replies to, so that collapsing again goes a level out. */
static void
collapse_at(struct tui *t, long i)
{
    struct tview *tv = thread_state(t);
    while (i >= 0 && (tui_fold_replies(tv->fold, i) == 0 || tui_fold_collapsed(tv->fold, i)))
        i = tv->parent[i];
    if (i < 0) {
        tui_message(t, "nothing to collapse: neither this post nor those it answers has "
                    "replies showing");
        return;
    }
    tui_fold_set(tv->fold, i, 1);
    select_shown(tv);
}

void
tui_thread_act_collapse(struct tui *t, const struct tui_action *a)
{
    (void)a;
    if (thread_state(t)->t->nposts > 0)
        collapse_at(t, thread_state(t)->cur);
}

void
tui_thread_act_expand(struct tui *t, const struct tui_action *a)
{
    (void)a;
    struct tview *tv = thread_state(t);
    if (!tui_fold_set(tv->fold, tv->cur, 0))
        tui_message(t, "nothing to expand: this post's replies are showing");
}

void
tui_thread_act_toggle_collapse(struct tui *t, const struct tui_action *a)
{
    struct tview *tv = thread_state(t);
    if (tui_fold_collapsed(tv->fold, tv->cur))
        tui_thread_act_expand(t, a);
    else
        tui_thread_act_collapse(t, a);
}

void
tui_thread_act_collapse_all(struct tui *t, const struct tui_action *a)
{
    (void)a;
    struct tview *tv = thread_state(t);
    tui_fold_all(tv->fold, 1);
    select_shown(tv);
}

void
tui_thread_act_expand_all(struct tui *t, const struct tui_action *a)
{
    (void)a;
    tui_fold_all(thread_state(t)->fold, 0);
}

/* ---- the screen ---- */

/* The ready-reckoner's keys while it is open beside the thread, else the thread view's. */
static enum keymap_context
thread_screen_context(struct tui *t)
{
    return tui_reckoner_showing(t) ? KM_RECKONER : KM_THREAD;
}

/* The thread, and the ready-reckoner beside it when open. */
static void
thread_screen_draw(struct tui *t)
{
    tui_thread_draw(t);
    if (tui_reckoner_showing(t))
        tui_reckoner_draw(t);
}

/* Closes the ready-reckoner when it is open, else the thread. */
static void
thread_screen_close(struct tui *t)
{
    if (tui_reckoner_showing(t))
        tui_reckoner_close(t);
    else
        tui_thread_close(t);
}

/* Frees the ready-reckoner and the thread at the end. */
static void
thread_screen_free(struct tui *t)
{
    tui_reckoner_close(t);
    tui_thread_close(t);
}

/* Whether a thread is still open (back skips a thread view closed since). */
static int
thread_screen_live(struct tui *t)
{
    return thread_state(t) != NULL;
}

const struct tui_screen tui_thread_screen = {
    .ctx = KM_THREAD,
    .list = tui_reckoner_list,
    .context = thread_screen_context,
    .draw = thread_screen_draw,
    .reload = tui_thread_reload,
    .close = thread_screen_close,
    .free = thread_screen_free,
    .live = thread_screen_live,
    .thread = tui_thread_id,
    .url = tui_thread_url,
};
