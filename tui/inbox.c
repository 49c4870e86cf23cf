/* The inbox screen: state tabs with counts, one line per thread, the search and filters in
 * force, and a selection for bulk triage.
 *
 * Only the rows on screen are held. They are paged from the cache by sort key
 * (thread_list_seek), so a page costs the same at the top of 100,000 threads as at the
 * bottom, and moving within the page costs no query at all. The per-state counts are read
 * when the view changes (tab, search, filters, a triage change) or on a reload, not per key. */
#include "tui/internal.h"

#include "model/platform.h"
#include "model/query.h"
#include "model/text.h"
#include "model/thread.h"
#include "model/triage_state.h"
#include "model/xmalloc.h"
#include "tui/list.h"
#include "tui/draw.h"
#include "tui/inbox.h"
#include "tui/prompt.h"
#include "tui/thread.h"

#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Most columns a line can show (the number of columns there are). */
#define NCOLS_MAX 16

/* Most threads one select-search selects. */
#define SELECT_MAX 10000

/* Most values offered as completions in a filter prompt. */
#define FILTER_CHOICES 500

/* The inbox's columns, in the order of the table below. */
enum column { COL_FLAGS, COL_ID, COL_PRI, COL_STATE, COL_REPLY, COL_PLATFORM, COL_ACCOUNT,
              COL_ASSIGNEE, COL_AUTHOR, COL_AGE, COL_POSTS, COL_TEXT, NCOLS };

/* Each column's name in inbox_columns, heading, alignment and widths. */
static const struct {
    const char *name;
    const char *head;
    int right;               /* right-aligned */
    int width[3];            /* narrow (< 100 columns), medium, wide (120 and up) */
} columns[NCOLS] = {
    [COL_FLAGS] = {"flags", "", 0, {2, 2, 2}},
    [COL_ID] = {"id", "ID", 1, {3, 3, 3}}, /* grows to the widest id on the page */
    [COL_PRI] = {"priority", "P", 0, {1, 1, 1}},
    [COL_STATE] = {"state", "STATE", 0, {6, 9, 9}}, /* the states' short labels when narrow */
    [COL_REPLY] = {"reply", "", 0, {1, 1, 1}},
    [COL_PLATFORM] = {"platform", "PLATFORM", 0, {4, 9, 9}},
    [COL_ACCOUNT] = {"account", "ACCOUNT", 0, {8, 12, 16}},
    [COL_ASSIGNEE] = {"assignee", "ASSIGNEE", 0, {9, 9, 12}},
    [COL_AUTHOR] = {"author", "AUTHOR", 0, {9, 15, 20}},
    [COL_AGE] = {"age", "AGE", 1, {3, 4, 4}},
    [COL_POSTS] = {"posts", "POSTS", 1, {3, 5, 5}},
    [COL_TEXT] = {"latest", "LATEST", 0, {0, 0, 0}}, /* takes the width left */
};

_Static_assert(NCOLS <= NCOLS_MAX, "a line can show every column once");

/* The columns shown when the configuration names none: everything fits 80 columns with
 * room for the latest post's text. */
#define DEFAULT_COLUMNS "flags id priority state reply platform account assignee author age latest"

/* The reply markers, most pressing first: a thread shows the first that applies. What
 * upstream stands in the way of any reply comes before what the replies are doing. */
static const struct {
    unsigned bit;
    char mark;
    const char *help;
} reply_marks[] = {
    {THREAD_REPLY_DELETED, 'X', "the latest post was deleted upstream (kept, never answered)"},
    {THREAD_REPLY_REFUSED, 'N', "no replies: the platform refuses them in this thread"},
    {THREAD_REPLY_FAILED, 'F', "a reply the platform refused"},
    {THREAD_REPLY_RETURNED, 'R', "a draft returned by the approver"},
    {THREAD_REPLY_PENDING, 'A', "a draft waiting for approval"},
    {THREAD_REPLY_DRAFT, 'D', "a draft being written"},
    {THREAD_REPLY_QUEUED, 'Q', "a reply queued to send"},
    {THREAD_REPLY_SENT, 'S', "a reply sent"},
};
#define NMARKS (sizeof reply_marks / sizeof reply_marks[0])

/* The column named by the len bytes at name, or NCOLS. */
static int
column_find(const char *name, size_t len)
{
    int c = 0;
    while (c < NCOLS && (strlen(columns[c].name) != len || strncmp(columns[c].name, name, len)))
        c++;
    return c;
}

/* Sets *err to why the word at p (len bytes) is not a column: a width given with a column
 * ("author:20"), a width on its own, or an unknown name (with the likely one when it looks
 * mistyped); each sentence says what to write instead. */
static void
column_unknown(const char *p, size_t len, char **err)
{
    int shown = (int)(len > 40 ? 40 : len);
    size_t name = strcspn(p, ":=(");
    if (name > len)
        name = len;
    if (strspn(p, "0123456789") >= len) {
        *err = xasprintf("inbox_columns: \"%.*s\" looks like a width, but the columns' widths "
                         "are fixed (they follow the terminal's width, and latest takes what is "
                         "left); remove it", shown, p);
        return;
    }
    if (name < len && column_find(p, name) < NCOLS) {
        *err = xasprintf("inbox_columns: \"%.*s\" gives the column %.*s a width, but the "
                         "columns' widths are fixed (they follow the terminal's width, and "
                         "latest takes what is left); write %.*s", shown, p, (int)name, p,
                         (int)name, p);
        return;
    }
    const char *names[NCOLS];
    struct buf all = {0};
    for (int k = 0; k < NCOLS; k++) {
        names[k] = columns[k].name;
        buf_printf(&all, "%s%s", k ? ", " : "", columns[k].name);
    }
    const char *near = text_nearest(p, name, names, NCOLS);
    char *hint = near ? xasprintf(" (did you mean %s?)", near) : xstrdup("");
    *err = xasprintf("inbox_columns: there is no column called \"%.*s\"; the columns are %s%s",
                     shown, p, all.data, hint);
    free(hint);
    buf_free(&all);
}

/* Parses spec (column names separated by spaces or commas) into cols; returns how many, or
 * -1 with *err set to a sentence naming the problem and what to write instead. */
static int
columns_parse(const char *spec, int cols[NCOLS_MAX], char **err)
{
    int n = 0;
    const char *p = spec;
    while (*(p += strspn(p, " \t,"))) {
        size_t len = strcspn(p, " \t,");
        int c = column_find(p, len);
        if (c == NCOLS) {
            column_unknown(p, len, err);
            return -1;
        }
        for (int k = 0; k < n; k++)
            if (cols[k] == c) {
                *err = xasprintf("inbox_columns: the column %s is named twice; name each "
                                 "column once", columns[c].name);
                return -1;
            }
        cols[n++] = c;
        p += len;
    }
    if (n == 0) {
        *err = xstrdup("inbox_columns: name at least one column, such as \"" DEFAULT_COLUMNS
                       "\"");
        return -1;
    }
    return n;
}

const char *
tui_inbox_mark(size_t i, char *mark)
{
    if (i >= NMARKS)
        return NULL;
    *mark = reply_marks[i].mark;
    return reply_marks[i].help;
}

int
tui_inbox_columns_check(const char *spec, char **err)
{
    int cols[NCOLS_MAX];
    *err = NULL;
    return spec == NULL || columns_parse(spec, cols, err) >= 0 ? 0 : -1;
}

struct inbox {
    int tab;                    /* -1: every state; below TRIAGE_NSTATES an index into
                                 * triage_state_names; from it, a saved search's tab */
    enum thread_sort sort;
    char *search;               /* the text given to /, or NULL */
    char *filter[QK_COUNT];     /* platform:, account:, tag:, assignee: filters, or NULL */
    int show_snoozed;
    enum query_key asking;      /* the filter a prompt is asking for */
    struct query q;             /* the listing's query, built from the above */
    long counts[TRIAGE_NSTATES]; /* per state, under the search and filters */
    int counts_due;             /* counts wait for the screen to be drawn (a search's words) */
    int counts_say;             /* and then the message line says how many threads match */
    struct thread_list page;    /* the rows on screen; page.rows[0] is row list.top */
    struct tui_list list;       /* n: the threads in the listing; page: the lines for them */
    long *selected;             /* thread ids picked for a bulk action, sorted */
    size_t nselected;
    const struct config_search *saved; /* the saved searches' tabs ([searches]), not owned */
    size_t nsaved;
    int cols[NCOLS_MAX];        /* the columns shown, in order (enum column) */
    int ncols;
    long *seen;                 /* per tab (index tab + 1): the newest thread id when the
                                 * officer last came to it; what arrived since is "new" */
    long nnew;                  /* unread threads of the tab in view that are new */
};

/* This file's state in the interface (tui/screen_list.h), or NULL when there is none. */
static inline struct inbox *
inbox_state(const struct tui *t)
{
    return TUI_STATE(t, inbox);
}

static const char *const sort_names[] = {
    [THREAD_SORT_ACTIVITY] = "activity",
    [THREAD_SORT_PRIORITY] = "priority",
    [THREAD_SORT_AGE] = "age",
};

/* The filters the inbox offers, in the order they are shown. */
static const enum query_key filter_keys[] = {QK_PLATFORM, QK_ACCOUNT, QK_TAG, QK_ASSIGNEE};
#define NFILTERS (sizeof filter_keys / sizeof filter_keys[0])

/* The saved search whose tab is in view, or NULL. */
static const struct config_search *
saved_tab(const struct inbox *in)
{
    size_t i = (size_t)(in->tab - TRIAGE_NSTATES);
    return in->tab >= TRIAGE_NSTATES && i < in->nsaved ? &in->saved[i] : NULL;
}

/* Whether a search, a filter or the snoozed view is in force (the filter line is shown). */
static int
narrowed(const struct inbox *in)
{
    if (in->search || in->show_snoozed || saved_tab(in))
        return 1;
    for (size_t i = 0; i < NFILTERS; i++)
        if (in->filter[filter_keys[i]])
            return 1;
    return 0;
}

/* The first screen line of the thread list. */
static int
list_y(const struct inbox *in)
{
    return narrowed(in) ? 3 : 2;
}

/* Lines available for threads: the screen less the bars, headings and filter line. */
static int
list_rows(const struct inbox *in)
{
    int n = LINES - list_y(in) - 1;
    return n > 1 ? n : 1;
}

/* Whether q has a state: term (given in the search). */
static int
query_has_state(const struct query *q)
{
    for (size_t i = 0; i < q->nterms; i++)
        if (q->terms[i].key == QK_STATE)
            return 1;
    return 0;
}

/* Rebuilds the listing's query from the tab, search and filters. The search was checked when
 * it was given, so it parses. */
static void
build_query(struct inbox *in)
{
    char *err = NULL;
    query_free(&in->q);
    /* A saved search's tab and the search given with / both apply, as if typed together. */
    const struct config_search *saved = saved_tab(in);
    char *text = saved && in->search ? xasprintf("%s %s", saved->query, in->search)
                 : xstrdup(saved ? saved->query : in->search ? in->search : "");
    if (*text == '\0' || query_parse(text, &in->q, &err) != 0) {
        free(err);
        memset(&in->q, 0, sizeof in->q);
    }
    free(text);
    for (size_t i = 0; i < NFILTERS; i++)
        if (in->filter[filter_keys[i]])
            query_add(&in->q, filter_keys[i], in->filter[filter_keys[i]]);
    in->q.include_snoozed = in->show_snoozed;
    if (in->tab >= 0 && in->tab < TRIAGE_NSTATES && !query_has_state(&in->q))
        query_add(&in->q, QK_STATE, triage_state_names[in->tab]);
}

/* Whether threads in state i are in the listing, by its state: terms. */
static int
state_listed(const struct query *q, int i)
{
    int any = 0, hit = 0;
    for (size_t k = 0; k < q->nterms; k++) {
        const struct query_term *term = &q->terms[k];
        if (term->key != QK_STATE)
            continue;
        int same = strcmp(term->value, triage_state_names[i]) == 0;
        if (term->negate && same)
            return 0;
        if (!term->negate) {
            any = 1;
            hit |= same;
        }
    }
    return !any || hit;
}

/* Sets total from the counts: the threads of the states the listing shows. */
static void
set_total(struct inbox *in)
{
    in->list.n = 0;
    for (int i = 0; i < TRIAGE_NSTATES; i++)
        if (state_listed(&in->q, i))
            in->list.n += in->counts[i];
}

/* Counts the unread threads of the listing that arrived since the officer came to its tab
 * (nothing to read when no thread is newer than that). */
static void
count_new(struct tui *t)
{
    struct inbox *in = inbox_state(t);
    long seen = in->seen[in->tab + 1];
    char *err = NULL;
    in->nnew = 0;
    if (thread_max_id(t->db) > seen && thread_count_new(t->db, &in->q, seen, &in->nnew,
                                                        &err) != 0)
        tui_error_take(t, "cannot count the new threads", err);
}

/* Reads the per-state counts and how many threads are new, or with words to search for
 * (whose counts can take a second on a large cache) leaves both to inbox_later, after the
 * first screen is drawn. */
static void
load_counts(struct tui *t)
{
    struct inbox *in = inbox_state(t);
    if (in->q.fts || in->q.fts_not) {
        in->counts_due = 1;
        return;
    }
    in->counts_due = 0;
    char *err = NULL;
    if (thread_count_states(t->db, &in->q, in->counts, &err) != 0)
        tui_error_take(t, "cannot count the threads", err);
    set_total(in);
    count_new(t);
}

/* Whether a key is waiting to be read, for a count to give way to it. */
static int
key_arrived(void *arg)
{
    (void)arg;
    struct pollfd fd = {.fd = STDIN_FILENO, .events = POLLIN};
    return poll(&fd, 1, 0) > 0;
}

/* Counts a search's threads per state once its first screen is shown, giving way to any key
 * pressed meanwhile (it tries again when keys stop). Returns whether the counts changed. */
static int
inbox_later(struct tui *t)
{
    struct inbox *in = inbox_state(t);
    if (!in->counts_due)
        return 0;
    char *err = NULL;
    int rc = thread_count_states_until(t->db, &in->q, in->counts, key_arrived, NULL, &err);
    if (rc == 1)
        return 0;
    in->counts_due = 0;
    if (rc != 0) {
        tui_error_take(t, "cannot count the threads", err);
        return 1;
    }
    long shown = in->list.top + (long)in->page.n;
    set_total(in);
    count_new(t);
    if (in->list.n < shown) /* the cache changed between the page and the count */
        in->list.n = shown;
    if (in->counts_say) {
        in->counts_say = 0;
        tui_message(t, "%ld thread%s match", in->list.n, in->list.n == 1 ? "" : "s");
    }
    return 1;
}

/* Reads up to limit rows relative to from; returns 0, or -1 after showing the error. */
static int
seek(struct tui *t, enum thread_seek how, const struct thread_row *from, long limit,
     struct thread_list *out)
{
    struct inbox *in = inbox_state(t);
    char *err = NULL;
    if (thread_list_seek(t->db, &in->q, in->sort, how, from, limit, out, &err) == 0)
        return 0;
    tui_error_take(t, "cannot list the threads", err);
    return -1;
}

/* Frees rows [from, from + n) of l's array (not the array). */
static void
rows_free(struct thread_list *l, size_t from, size_t n)
{
    if (n == 0)
        return;
    struct thread_list gone = {xmalloc(n * sizeof *gone.rows), n};
    memcpy(gone.rows, l->rows + from, n * sizeof *gone.rows);
    thread_list_free(&gone);
}

/* Keeps at most max rows of l: drops them from its front when front is set, else from its
 * end. Returns how many were dropped. */
static size_t
rows_trim(struct thread_list *l, size_t max, int front)
{
    if (l->n <= max)
        return 0;
    size_t drop = l->n - max;
    if (front) {
        rows_free(l, 0, drop);
        memmove(l->rows, l->rows + drop, max * sizeof *l->rows);
    } else {
        rows_free(l, max, drop);
    }
    l->n = max;
    return drop;
}

/* Moves b's rows to the end (or with front set, the start) of a; b is left empty. */
static void
rows_join(struct thread_list *a, struct thread_list *b, int front)
{
    a->rows = xreallocarray(a->rows, a->n + b->n + 1, sizeof *a->rows);
    if (front) {
        memmove(a->rows + b->n, a->rows, a->n * sizeof *a->rows);
        memcpy(a->rows, b->rows, b->n * sizeof *b->rows);
    } else {
        memcpy(a->rows + a->n, b->rows, b->n * sizeof *b->rows);
    }
    a->n += b->n;
    free(b->rows);
    b->rows = NULL;
    b->n = 0;
}

/* Replaces the page with l. */
static void
page_set(struct inbox *in, struct thread_list *l)
{
    thread_list_free(&in->page);
    in->page = *l;
    memset(l, 0, sizeof *l);
}

/* Keeps the cursor on the page. */
static void
clamp_cursor(struct inbox *in)
{
    struct tui_list *l = &in->list;
    if (l->top < 0)
        l->top = 0;
    if (l->cur > l->top + (long)in->page.n - 1)
        l->cur = l->top + (long)in->page.n - 1;
    if (l->cur < l->top)
        l->cur = l->top;
}

/* Shows the first page of the listing. */
static void
go_first(struct tui *t)
{
    struct inbox *in = inbox_state(t);
    struct thread_list l;
    in->list.page = list_rows(in);
    if (seek(t, THREAD_SEEK_FIRST, NULL, in->list.page, &l) != 0)
        return;
    page_set(in, &l);
    in->list.top = 0;
    in->list.cur = 0;
}

/* Shows the last page of the listing with the cursor on its last thread. */
static void
go_last(struct tui *t)
{
    struct inbox *in = inbox_state(t);
    struct thread_list l;
    in->list.page = list_rows(in);
    if (seek(t, THREAD_SEEK_LAST, NULL, in->list.page, &l) != 0)
        return;
    page_set(in, &l);
    in->list.top = in->list.n - (long)in->page.n;
    in->list.cur = in->list.top + (long)in->page.n - 1;
    clamp_cursor(in);
}

static const struct thread_row *current(const struct inbox *in);

/* Rereads the page from its first row's place, filling it from above when rows have gone. */
static void
reload_page(struct tui *t)
{
    struct inbox *in = inbox_state(t);
    struct thread_list l, more;
    in->list.page = list_rows(in);
    if (in->page.n == 0) {
        go_first(t);
        return;
    }
    if (seek(t, THREAD_SEEK_FROM, &in->page.rows[0], in->list.page, &l) != 0)
        return;
    if ((long)l.n < in->list.page && in->list.top > 0) {
        const struct thread_row *from = l.n ? &l.rows[0] : &in->page.rows[0];
        if (seek(t, THREAD_SEEK_BEFORE, from, in->list.page - (long)l.n, &more) == 0) {
            in->list.top -= (long)more.n;
            rows_join(&l, &more, 1);
        }
    }
    page_set(in, &l);
    clamp_cursor(in);
}

/* Moves the page so it starts at row top (the list's fetch): up to a page either way is read
 * next to the page, by sort key; farther, from the first or the last thread. */
static int
inbox_fetch(struct tui *t, struct tui_list *l, long top)
{
    struct inbox *in = inbox_state(t);
    struct thread_list more;
    long shift = top - l->top;
    if (in->page.n == 0 || shift < -(long)l->page || shift > (long)l->page) {
        if (shift < 0 || in->page.n == 0)
            go_first(t);
        else
            go_last(t);
        return 0;
    }
    if (shift > 0) {
        long want = top + l->page - (l->top + (long)in->page.n);
        if (want <= 0)
            return 0;
        if (seek(t, THREAD_SEEK_AFTER, &in->page.rows[in->page.n - 1], want, &more) != 0)
            return -1;
        long got = (long)more.n;
        rows_join(&in->page, &more, 0);
        l->top += (long)rows_trim(&in->page, (size_t)l->page, 1);
        if (got < want) /* the listing ends sooner than counted */
            l->n = l->top + (long)in->page.n;
        return 0;
    }
    if (shift == 0)
        return 0;
    if (seek(t, THREAD_SEEK_BEFORE, &in->page.rows[0], -shift, &more) != 0)
        return -1;
    long got = (long)more.n;
    l->top -= got;
    rows_join(&in->page, &more, 1);
    rows_trim(&in->page, (size_t)l->page, 0);
    if (got < -shift) /* the listing starts sooner than the page's place said */
        l->top = 0;
    return 0;
}

/* Puts the cursor back on thread id when it is still on the page (threads that arrived or
 * moved above it in the page would otherwise shift it onto another thread). */
static void
keep_cursor_on(struct inbox *in, long id)
{
    for (size_t i = 0; id > 0 && i < in->page.n; i++)
        if (in->page.rows[i].id == id) {
            in->list.cur = in->list.top + (long)i;
            return;
        }
}

void
tui_inbox_reload(struct tui *t, int how)
{
    struct inbox *in = inbox_state(t);
    if (in == NULL)
        return;
    long cur_id = current(in) ? current(in)->id : 0;
    if (how >= TUI_RELOAD_COUNTS)
        load_counts(t);
    reload_page(t);
    keep_cursor_on(in, cur_id);
    /* Threads above may have come or gone: find the page's true position again. This scans
     * the threads above the page, so it is done on reloads, not after every change. A page
     * at the top stays at the top, showing what arrived above, while the cursor's thread
     * stays on it; otherwise the page stays put. */
    if (how >= TUI_RELOAD_ALL && in->page.n) {
        char *err = NULL;
        long pos, top = in->list.top;
        if (thread_count_before(t->db, &in->q, in->sort, &in->page.rows[0], &pos, &err) == 0) {
            in->list.cur += pos - top;
            in->list.top = pos;
            if (top == 0 && pos > 0 && in->list.cur < in->list.page) {
                long cur = in->list.cur;
                go_first(t);
                in->list.cur = cur;
                clamp_cursor(in);
            }
        } else {
            tui_error_take(t, "cannot place the page", err);
        }
    }
    keep_cursor_on(in, cur_id);
}

/* Starts the listing over after the tab, sort, search or filters changed. */
static void
view_changed(struct tui *t, int counts)
{
    struct inbox *in = inbox_state(t);
    build_query(in);
    if (counts) {
        load_counts(t);
    } else {
        set_total(in);
        count_new(t);
    }
    if (in->counts_due)
        in->list.n = LONG_MAX; /* until counted: the first page says where the list ends */
    go_first(t);
    if (in->counts_due)
        in->list.n = (long)in->page.n;
}

/* Makes the inbox's state and reads its first page. */
void
tui_inbox_open(struct tui *t)
{
    struct inbox *in = xcalloc(1, sizeof *in);
    in->tab = -1;
    in->sort = THREAD_SORT_ACTIVITY;
    in->list.fetch = inbox_fetch;
    in->saved = t->opts->searches;
    in->nsaved = t->opts->nsearches;
    char *err = NULL;
    const char *spec = t->opts->inbox_columns ? t->opts->inbox_columns : DEFAULT_COLUMNS;
    in->ncols = columns_parse(spec, in->cols, &err);
    if (in->ncols < 0) { /* checked before the interface started; never shows an empty list */
        free(err);
        in->ncols = columns_parse(DEFAULT_COLUMNS, in->cols, &err);
    }
    in->seen = xcalloc((size_t)TRIAGE_NSTATES + 1 + in->nsaved, sizeof *in->seen);
    long newest = thread_max_id(t->db);
    for (size_t i = 0; i < (size_t)TRIAGE_NSTATES + 1 + in->nsaved; i++)
        in->seen[i] = newest;
    TUI_STATE(t, inbox) = in;
    view_changed(t, 1);
}

/* Frees an inbox's state. */
static void
inbox_free(struct inbox *in)
{
    if (in == NULL)
        return;
    thread_list_free(&in->page);
    query_free(&in->q);
    free(in->search);
    for (int i = 0; i < QK_COUNT; i++)
        free(in->filter[i]);
    free(in->selected);
    free(in->seen);
    free(in);
}

/* The row under the cursor, or NULL when the listing is empty. */
static const struct thread_row *
current(const struct inbox *in)
{
    long i = in->list.cur - in->list.top;
    return i >= 0 && i < (long)in->page.n ? &in->page.rows[i] : NULL;
}

/* Adjusts the page to a new screen size, keeping the cursor's thread on it. */
static void
fit_to_screen(struct tui *t)
{
    struct inbox *in = inbox_state(t);
    int rows = list_rows(in);
    if (rows == in->list.page)
        return;
    if (in->list.cur - in->list.top >= rows) {
        long drop = in->list.cur - in->list.top - rows + 1;
        rows_trim(&in->page, in->page.n - (size_t)drop, 1);
        in->list.top += drop;
    }
    reload_page(t);
}

/* The index of id in the selection, or -1. */
static long
selected_index(const struct inbox *in, long id)
{
    size_t lo = 0, hi = in->nselected;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (in->selected[mid] == id)
            return (long)mid;
        if (in->selected[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* Adds id to the selection or takes it out. */
static void
selection_toggle(struct inbox *in, long id)
{
    long i = selected_index(in, id);
    if (i >= 0) {
        memmove(&in->selected[i], &in->selected[i + 1],
                (in->nselected - (size_t)i - 1) * sizeof *in->selected);
        in->nselected--;
        return;
    }
    size_t at = 0;
    while (at < in->nselected && in->selected[at] < id)
        at++;
    in->selected = xreallocarray(in->selected, in->nselected + 1, sizeof *in->selected);
    memmove(&in->selected[at + 1], &in->selected[at],
            (in->nselected - at) * sizeof *in->selected);
    in->selected[at] = id;
    in->nselected++;
}

/* Adds the ascending ids to the selection (those already in it stay once). */
static void
selection_merge(struct inbox *in, const long *ids, size_t n)
{
    long *out = xreallocarray(NULL, in->nselected + n + 1, sizeof *out);
    size_t i = 0, j = 0, k = 0;
    while (i < in->nselected || j < n) {
        if (j == n || (i < in->nselected && in->selected[i] < ids[j]))
            out[k++] = in->selected[i++];
        else if (i == in->nselected || ids[j] < in->selected[i])
            out[k++] = ids[j++];
        else {
            out[k++] = in->selected[i++];
            j++;
        }
    }
    free(in->selected);
    in->selected = out;
    in->nselected = k;
}

size_t
tui_inbox_targets(struct tui *t, long **ids)
{
    struct inbox *in = inbox_state(t);
    *ids = NULL;
    if (in->nselected) {
        *ids = xreallocarray(NULL, in->nselected, sizeof **ids);
        memcpy(*ids, in->selected, in->nselected * sizeof **ids);
        return in->nselected;
    }
    const struct thread_row *r = current(in);
    if (r == NULL)
        return 0;
    *ids = xmalloc(sizeof **ids);
    (*ids)[0] = r->id;
    return 1;
}

void
tui_inbox_clear_selection(struct tui *t)
{
    free(inbox_state(t)->selected);
    inbox_state(t)->selected = NULL;
    inbox_state(t)->nselected = 0;
}

const char *
tui_inbox_url(struct tui *t)
{
    const struct thread_row *r = current(inbox_state(t));
    return r ? r->url : NULL;
}

void
tui_inbox_where(struct tui *t, char *out, size_t cap)
{
    struct inbox *in = inbox_state(t);
    long pos = in->page.n ? in->list.cur + 1 : 0;
    long total = in->list.n > pos ? in->list.n : pos;
    int n = in->counts_due ? snprintf(out, cap, "%ld/…", pos)
                           : snprintf(out, cap, "%ld/%ld", pos, total);
    if (in->nselected && n > 0 && (size_t)n < cap)
        n += snprintf(out + n, cap - (size_t)n, " │ %zu selected", in->nselected);
    if (in->sort != THREAD_SORT_ACTIVITY && n > 0 && (size_t)n < cap)
        snprintf(out + n, cap - (size_t)n, " │ by %s", sort_names[in->sort]);
}

/* ---- drawing ---- */

/* Writes n as it fits a tab: exact, or shortened to 12k / 1.2M when compact is set. */
static void
count_text(long n, int compact, char *out, size_t cap)
{
    if (!compact || n < 10000)
        snprintf(out, cap, "%ld", n);
    else if (n < 1000000)
        snprintf(out, cap, "%ldk", n / 1000);
    else
        snprintf(out, cap, "%.1fM", (double)n / 1e6);
}

/* Appends the tab in view's "N new" (threads that arrived since the officer came to it and
 * are unread), or "+N" when compact; nothing when none is. */
static void
new_mark(const struct inbox *in, int compact, struct buf *b)
{
    if (in->nnew <= 0)
        return;
    char num[24];
    count_text(in->nnew, compact, num, sizeof num);
    buf_printf(b, compact ? " +%s" : " · %s new", num);
}

/* Builds the tab bar in one of the layouts (0 widest .. 4 narrowest); returns its width and
 * the column span of the active tab. */
static int
tabs_text(const struct inbox *in, int layout, struct buf *b, int *act_x, int *act_w)
{
    const char *sep = layout >= 4 ? "│" : " │ ";
    int shortl = layout >= 2, compact = layout >= 3;
    long all = 0;
    for (int i = 0; i < TRIAGE_NSTATES; i++)
        all += in->counts[i];
    buf_adds(b, layout == 0 ? " tactful  " : " ");
    for (int i = -1; i < TRIAGE_NSTATES; i++) {
        char num[24];
        if (in->counts_due) /* a search being counted */
            snprintf(num, sizeof num, "…");
        else
            count_text(i < 0 ? all : in->counts[i], compact, num, sizeof num);
        if (i >= 0)
            buf_adds(b, sep);
        int x = text_width(b->data);
        buf_printf(b, "%s %s", i < 0 ? "all" : shortl ? triage_states[i].label : triage_states[i].name, num);
        if (i == in->tab)
            new_mark(in, compact, b);
        if (i == in->tab) {
            *act_x = x;
            *act_w = text_width(b->data) - x;
        }
    }
    for (size_t k = 0; k < in->nsaved; k++) {
        buf_adds(b, sep);
        int x = text_width(b->data);
        char *name = text_sanitize(in->saved[k].name, strlen(in->saved[k].name), 0);
        buf_adds(b, name);
        free(name);
        if (in->tab == TRIAGE_NSTATES + (int)k)
            new_mark(in, compact, b);
        if (in->tab == TRIAGE_NSTATES + (int)k) {
            *act_x = x;
            *act_w = text_width(b->data) - x;
        }
    }
    return text_width(b->data);
}

/* Draws the state tabs and their counts on line 0, the tab in view highlighted. */
static void
draw_tabs(struct tui *t)
{
    struct inbox *in = inbox_state(t);
    struct buf b = {0};
    int act_x = 0, act_w = 0;
    for (int layout = 0; layout <= 4; layout++) {
        buf_free(&b);
        if (tabs_text(in, layout, &b, &act_x, &act_w) <= COLS)
            break;
    }
    tui_put(0, 0, b.data, COLS, tui_attr(t, ROLE_BAR));
    if (act_w > 0 && act_x < COLS) {
        char *seg = text_fit(b.data, act_x + act_w, 0);
        char *tail = text_fit(b.data, act_x, 0);
        tui_put(0, act_x, seg + strlen(tail), act_w, tui_attr(t, ROLE_TAB_ACTIVE));
        free(seg);
        free(tail);
    }
    buf_free(&b);
}

/* Draws the line naming the search and filters in force. */
static void
draw_filters(struct tui *t, int y)
{
    struct inbox *in = inbox_state(t);
    struct buf b = {0};
    buf_adds(&b, " Showing:");
    const struct config_search *saved = saved_tab(in);
    if (saved) {
        char *q = text_sanitize(saved->query, strlen(saved->query), 0);
        buf_printf(&b, " %s (%s)", saved->name, q);
        free(q);
    }
    for (size_t i = 0; i < NFILTERS; i++) {
        const char *v = in->filter[filter_keys[i]];
        if (v)
            buf_printf(&b, " %s:%s", query_key_name(filter_keys[i]), v);
    }
    if (in->search)
        buf_printf(&b, "%s search: %s", b.len > 9 ? " ·" : "", in->search);
    if (in->show_snoozed)
        buf_adds(&b, " +snoozed");
    buf_adds(&b, "   (Esc clears)");
    tui_put_raw(y, 0, b.data, COLS, tui_attr(t, ROLE_FILTER));
    buf_free(&b);
}

/* Where each column starts and how wide it is on this screen (w 0: not shown). */
struct layout {
    int x[NCOLS];
    int w[NCOLS];
};

/* Lays the chosen columns out for COLS, in their order; the text takes what is left. */
static void
layout_columns(const struct inbox *in, struct layout *l)
{
    int size = COLS < 100 ? 0 : COLS < 120 ? 1 : 2;
    int idw = columns[COL_ID].width[size];
    for (size_t i = 0; i < in->page.n; i++) {
        char id[24];
        int n = snprintf(id, sizeof id, "%ld", in->page.rows[i].id);
        if (n > idw)
            idw = n;
    }
    memset(l, 0, sizeof *l);
    int used = 0, text = 0;
    for (int k = 0; k < in->ncols; k++) {
        int c = in->cols[k];
        l->w[c] = c == COL_ID ? idw : columns[c].width[size];
        used += l->w[c] + (c == COL_FLAGS || k == in->ncols - 1 ? 0 : 1);
        text |= c == COL_TEXT;
    }
    if (text && COLS > used)
        l->w[COL_TEXT] = COLS - used;
    int x = 0;
    for (int k = 0; k < in->ncols; k++) {
        int c = in->cols[k];
        l->x[c] = x < COLS ? x : COLS;
        if (l->x[c] + l->w[c] > COLS)
            l->w[c] = COLS - l->x[c];
        x += l->w[c] + (c == COL_FLAGS ? 0 : 1);
    }
}

/* Draws text right-aligned in w columns. */
static void
put_right(int y, int x, const char *s, int w, attr_t attr)
{
    int sw = text_width(s);
    if (sw < w)
        tui_put(y, x, "", w - sw, attr);
    tui_put(y, x + (sw < w ? w - sw : 0), s, sw < w ? sw : w, attr);
}

/* The role that colours a state. */
static enum tui_role
state_role(const char *state)
{
    static const enum tui_role roles[TRIAGE_NSTATES] = {
        [TRIAGE_STATE_new] = ROLE_NORMAL,      [TRIAGE_STATE_to_reply] = ROLE_HIGH,
        [TRIAGE_STATE_waiting] = ROLE_NORMAL,  [TRIAGE_STATE_replied] = ROLE_DONE,
        [TRIAGE_STATE_no_action] = ROLE_DONE,  [TRIAGE_STATE_escalated] = ROLE_URGENT,
        [TRIAGE_STATE_closed] = ROLE_DONE,
    };
    for (int i = 0; i < TRIAGE_NSTATES; i++)
        if (strcmp(state, triage_state_names[i]) == 0)
            return roles[i];
    return ROLE_NORMAL;
}

/* Draws one thread line at screen line y. */
static void
draw_row(struct tui *t, const struct layout *l, const struct thread_row *r, int y,
         int is_cursor, time_t now)
{
    struct inbox *in = inbox_state(t);
    int marked = selected_index(in, r->id) >= 0;
    attr_t base = tui_attr(t, is_cursor ? ROLE_CURSOR : marked ? ROLE_MARKED : ROLE_NORMAL);
    attr_t strong = base | (r->unread ? tui_attr(t, ROLE_UNREAD) : 0);
    /* On the cursor line one colour keeps it readable; elsewhere roles colour the cells. */
    attr_t dim = is_cursor || marked ? base : tui_attr(t, ROLE_DIM);
    char buf[64], age[16] = "-";
    time_t when;

    tui_put(y, 0, "", COLS, base);
    snprintf(buf, sizeof buf, "%c%c", r->unread ? '*' : ' ', marked ? '+' : ' ');
    tui_put(y, l->x[COL_FLAGS], buf, l->w[COL_FLAGS], strong);
    snprintf(buf, sizeof buf, "%ld", r->id);
    put_right(y, l->x[COL_ID], buf, l->w[COL_ID], dim);
    if (r->priority > 0) {
        snprintf(buf, sizeof buf, "%d", r->priority);
        enum tui_role pr = r->priority >= 3 ? ROLE_URGENT : r->priority == 2 ? ROLE_HIGH
                                                                              : ROLE_NORMAL;
        tui_put(y, l->x[COL_PRI], buf, l->w[COL_PRI], is_cursor ? base : tui_attr(t, pr));
    }
    int si = triage_state_index(r->state);
    const char *state = l->w[COL_STATE] < 9 && si >= 0 ? triage_states[si].label : r->state;
    tui_put(y, l->x[COL_STATE], state, l->w[COL_STATE],
            is_cursor || marked ? base : tui_attr(t, state_role(r->state)));
    for (size_t i = 0; i < NMARKS; i++)
        if (r->replies & reply_marks[i].bit) {
            snprintf(buf, sizeof buf, "%c", reply_marks[i].mark);
            tui_put(y, l->x[COL_REPLY], buf, l->w[COL_REPLY], strong);
            break;
        }
    tui_put_raw(y, l->x[COL_PLATFORM], l->w[COL_PLATFORM] < 8 ? platform_short_name(r->platform)
                                                                : r->platform,
                l->w[COL_PLATFORM], base);
    tui_put_raw(y, l->x[COL_ACCOUNT], r->account, l->w[COL_ACCOUNT], base);
    tui_put_raw(y, l->x[COL_ASSIGNEE], r->assignee ? r->assignee : "-", l->w[COL_ASSIGNEE],
                r->assignee ? base : dim);
    tui_put_raw(y, l->x[COL_AUTHOR], r->latest_author, l->w[COL_AUTHOR], strong);
    if (r->last_activity && isotime_parse(r->last_activity, &when) == 0)
        isotime_age(when, now, age);
    put_right(y, l->x[COL_AGE], age, l->w[COL_AGE], dim);
    snprintf(buf, sizeof buf, "%ld", r->posts);
    put_right(y, l->x[COL_POSTS], buf, l->w[COL_POSTS], dim);
    char *text = r->snippet ? tui_first_line(r->snippet) : tui_first_line(r->latest_text);
    if (r->replies & (THREAD_REPLY_DELETED | THREAD_REPLY_PRIVATE)) {
        /* Said as the thread view says it, before the text (kept for the audit trail when
         * deleted; seen only by whom it names or by the author's followers when private). */
        char *marked_text = xasprintf("%s%s%s", r->replies & THREAD_REPLY_DELETED
                                      ? "[deleted] " : "",
                                      r->replies & THREAD_REPLY_PRIVATE ? "[private] " : "", text);
        free(text);
        text = marked_text;
    }
    tui_put(y, l->x[COL_TEXT], text, l->w[COL_TEXT], strong);
    free(text);
}

/* Draws the column headings at y. */
static void
draw_header(struct tui *t, const struct layout *l, int y)
{
    attr_t h = tui_attr(t, ROLE_HEADER);
    tui_put(y, 0, "", COLS, h);
    for (int k = 0; k < inbox_state(t)->ncols; k++) {
        int c = inbox_state(t)->cols[k];
        const char *head = columns[c].head;
        if (l->w[c] < text_width(head))
            head = c == COL_PLATFORM ? "PLAT" : c == COL_POSTS ? "N" : c == COL_ASSIGNEE ? "WHO"
                 : head;
        if (columns[c].right)
            put_right(y, l->x[c], head, l->w[c], h);
        else
            tui_put(y, l->x[c], head, l->w[c], h);
    }
}

/* Says why the list is empty and what to do about it. */
static void
draw_empty(struct tui *t, int y)
{
    struct inbox *in = inbox_state(t);
    long all = 0;
    for (int i = 0; i < TRIAGE_NSTATES; i++)
        all += in->counts[i];
    const char *why;
    char buf[160];
    if (narrowed(in)) {
        why = "No threads match. Esc clears the search and filters.";
    } else if (all == 0) {
        why = "The cache is empty: import posts with `tactful import FILE`, or try --demo.";
    } else {
        snprintf(buf, sizeof buf, "No threads in state %s. Tab shows the next state; 0 shows "
                 "every state.", in->tab >= 0 && in->tab < TRIAGE_NSTATES
                                     ? triage_state_names[in->tab] : "?");
        why = buf;
    }
    tui_put(y + 1, 2, why, COLS - 2, tui_attr(t, ROLE_NORMAL));
}

void
tui_inbox_draw(struct tui *t)
{
    struct inbox *in = inbox_state(t);
    fit_to_screen(t);
    time_t now = time(NULL);
    draw_tabs(t);
    if (narrowed(in))
        draw_filters(t, 1);
    struct layout l;
    layout_columns(in, &l);
    int y0 = list_y(in);
    draw_header(t, &l, y0 - 1);
    for (size_t i = 0; i < in->page.n && (int)i < in->list.page; i++)
        draw_row(t, &l, &in->page.rows[i], y0 + (int)i,
                 in->list.top + (long)i == in->list.cur, now);
    if (in->page.n == 0)
        draw_empty(t, y0);
    char where[128];
    tui_inbox_where(t, where, sizeof where);
    tui_status_draw(t, "INBOX", where);
}

/* ---- actions ---- */

void
tui_inbox_act_open(struct tui *t, const struct tui_action *a)
{
    (void)a;
    const struct thread_row *r = current(inbox_state(t));
    if (r == NULL) {
        tui_message(t, "no thread to open");
        return;
    }
    tui_thread_open(t, r->id);
}

/* Shows tab (-1 for every state). */
static void
set_tab(struct tui *t, int tab)
{
    /* State tabs share one set of counts; a saved search's tab has its own. */
    int saved = saved_tab(inbox_state(t)) != NULL;
    inbox_state(t)->tab = tab;
    inbox_state(t)->seen[tab + 1] = thread_max_id(t->db); /* the officer looks at it now */
    view_changed(t, saved || saved_tab(inbox_state(t)) != NULL);
}

void
tui_inbox_act_next_tab(struct tui *t, const struct tui_action *a)
{
    (void)a;
    int last = TRIAGE_NSTATES + (int)inbox_state(t)->nsaved - 1;
    set_tab(t, inbox_state(t)->tab < last ? inbox_state(t)->tab + 1 : -1);
}

void
tui_inbox_act_prev_tab(struct tui *t, const struct tui_action *a)
{
    (void)a;
    set_tab(t, inbox_state(t)->tab > -1 ? inbox_state(t)->tab - 1
                                  : TRIAGE_NSTATES + (int)inbox_state(t)->nsaved - 1);
}

void
tui_inbox_act_tab(struct tui *t, const struct tui_action *a)
{
    int tab = -1;
    for (int i = 0; a->arg && i < TRIAGE_NSTATES; i++)
        if (strcmp(a->arg, triage_state_names[i]) == 0)
            tab = i;
    set_tab(t, tab);
}

void
tui_inbox_act_sort(struct tui *t, const struct tui_action *a)
{
    (void)a;
    struct inbox *in = inbox_state(t);
    in->sort = in->sort == THREAD_SORT_AGE ? THREAD_SORT_ACTIVITY : in->sort + 1;
    view_changed(t, 0);
    tui_message(t, "sorted by %s%s", sort_names[in->sort],
                in->sort == THREAD_SORT_AGE ? " (oldest first)" : "");
}

/* Takes the answer to the search prompt: checks it, then lists what it finds. */
static void
search_done(struct tui *t, const char *text)
{
    struct inbox *in = inbox_state(t);
    struct query q;
    char *err = NULL;
    const char *s = text + strspn(text, " ");
    if (*s && query_parse(s, &q, &err) != 0) {
        tui_error_take(t, "search", err);
        return;
    }
    if (*s && query_has_state(&q))
        in->tab = -1; /* the search names its states; a tab would only narrow them */
    if (*s)
        query_free(&q);
    free(in->search);
    in->search = *s ? xstrdup(s) : NULL;
    view_changed(t, 1);
    if (in->search && in->counts_due)
        in->counts_say = 1;
    else if (in->search)
        tui_message(t, "%ld thread%s match", in->list.n, in->list.n == 1 ? "" : "s");
}

void
tui_inbox_act_search(struct tui *t, const struct tui_action *a)
{
    (void)a;
    struct prompt_spec spec = {
        .label = "search",
        .hint = "words \"a phrase\" pre* -word state: platform: account: from: tag: assignee:",
        .initial = inbox_state(t)->search,
        .done = search_done,
    };
    tui_prompt_open(t, &spec);
}

/* Takes the answer to a filter prompt: an empty answer removes the filter. */
static void
filter_done(struct tui *t, const char *text)
{
    struct inbox *in = inbox_state(t);
    enum query_key key = in->asking;
    char *err = NULL;
    const char *v = text + strspn(text, " ");
    if (*v && query_check_value(key, v, &err) != 0) {
        tui_error_take(t, NULL, err);
        return;
    }
    free(in->filter[key]);
    in->filter[key] = *v ? xstrdup(v) : NULL;
    view_changed(t, 1);
}

void
tui_inbox_act_filter(struct tui *t, const struct tui_action *a)
{
    struct inbox *in = inbox_state(t);
    enum query_key key = QK_PLATFORM;
    for (size_t i = 0; i < NFILTERS; i++)
        if (strcmp(a->arg, query_key_name(filter_keys[i])) == 0)
            key = filter_keys[i];
    in->asking = key;
    char **values = NULL;
    size_t n = 0;
    char *err = NULL;
    if (thread_values(t->db, key, FILTER_CHOICES, &values, &n, &err) != 0) {
        free(err);
        values = NULL;
        n = 0;
    }
    if (key == QK_ASSIGNEE) {
        values = xreallocarray(values, n + 1, sizeof *values);
        values[n++] = xstrdup("none");
    }
    char label[32];
    snprintf(label, sizeof label, "%s filter", query_key_name(key));
    struct prompt_spec spec = {
        .label = label,
        .hint = "Tab completes; empty removes the filter",
        .initial = in->filter[key],
        .choices = (const char *const *)values,
        .nchoices = n,
        .done = filter_done,
    };
    tui_prompt_open(t, &spec);
    thread_values_free(values, n);
}

void
tui_inbox_act_clear(struct tui *t, const struct tui_action *a)
{
    (void)a;
    struct inbox *in = inbox_state(t);
    if (!narrowed(in)) {
        tui_message(t, "no search or filter to clear");
        return;
    }
    free(in->search);
    in->search = NULL;
    for (int i = 0; i < QK_COUNT; i++) {
        free(in->filter[i]);
        in->filter[i] = NULL;
    }
    in->show_snoozed = 0;
    view_changed(t, 1);
    tui_message(t, "search and filters cleared");
}

void
tui_inbox_act_snoozed(struct tui *t, const struct tui_action *a)
{
    (void)a;
    struct inbox *in = inbox_state(t);
    in->show_snoozed = !in->show_snoozed;
    view_changed(t, 1);
    tui_message(t, in->show_snoozed ? "showing snoozed threads too" : "hiding snoozed threads");
}

void
tui_inbox_act_select(struct tui *t, const struct tui_action *a)
{
    const struct thread_row *r = current(inbox_state(t));
    if (r == NULL)
        return;
    (void)a;
    selection_toggle(inbox_state(t), r->id);
    tui_list_move(t, &inbox_state(t)->list, inbox_state(t)->list.cur + 1);
}

/* Takes the answer to the select-search prompt: selects every thread of the listing that the
 * query also matches, adding to the selection. */
static void
select_search_done(struct tui *t, const char *text)
{
    struct inbox *in = inbox_state(t);
    struct query q;
    char *err = NULL;
    const char *s = text + strspn(text, " ");
    if (*s == '\0') {
        tui_message(t, "nothing selected: give a search");
        return;
    }
    if (query_parse(s, &q, &err) != 0) {
        tui_error_take(t, "select", err);
        return;
    }
    long *ids = NULL;
    size_t n = 0;
    int rc = thread_ids(t->db, &in->q, &q, SELECT_MAX, &ids, &n, &err);
    query_free(&q);
    if (rc != 0) {
        tui_error_take(t, "select", err);
        return;
    }
    selection_merge(in, ids, n);
    free(ids);
    if (n == 0)
        tui_message(t, "no thread in the listing matches");
    else
        tui_message(t, "%zu thread%s match%s; %zu selected%s", n, n == 1 ? "" : "s",
                    n == 1 ? "es" : "", in->nselected,
                    n == (size_t)SELECT_MAX ? " (the most one search selects)" : "");
}

void
tui_inbox_act_select_search(struct tui *t, const struct tui_action *a)
{
    (void)a;
    struct prompt_spec spec = {
        .label = "select matching",
        .hint = "a search, as for /: words, state: platform: account: from: tag: assignee:",
        .done = select_search_done,
    };
    tui_prompt_open(t, &spec);
}

void
tui_inbox_act_select_none(struct tui *t, const struct tui_action *a)
{
    (void)a;
    size_t n = inbox_state(t)->nselected;
    tui_inbox_clear_selection(t);
    tui_message(t, n ? "selection cleared" : "nothing was selected");
}

void
tui_inbox_act_mark_read(struct tui *t, const struct tui_action *a)
{
    (void)a;
    const struct thread_row *r = current(inbox_state(t));
    char *err = NULL;
    if (r == NULL)
        return;
    if (thread_mark_seen(t->db, r->id, &err) != 0) {
        tui_error_take(t, NULL, err);
        return;
    }
    reload_page(t);
}

void
tui_inbox_act_mark_unread(struct tui *t, const struct tui_action *a)
{
    (void)a;
    long *ids;
    size_t n = tui_inbox_targets(t, &ids);
    char *err = NULL;
    for (size_t i = 0; i < n; i++)
        if (thread_mark_unseen(t->db, ids[i], &err) != 0) {
            tui_error_take(t, NULL, err);
            break;
        }
    free(ids);
    if (n == 0 || err != NULL)
        return;
    tui_inbox_clear_selection(t);
    if (n > 1)
        tui_message(t, "%zu threads marked unread", n);
    else
        tui_message(t, "thread marked unread");
    reload_page(t);
}

/* Frees the inbox at the end. */
static void
inbox_screen_free(struct tui *t)
{
    inbox_free(inbox_state(t));
    TUI_STATE(t, inbox) = NULL;
}

/* The list of threads, for the movement actions. */
static struct tui_list *
inbox_screen_list(struct tui *t)
{
    return &inbox_state(t)->list;
}

const struct tui_screen tui_inbox_screen = {
    .ctx = KM_INBOX,
    .list = inbox_screen_list,
    .draw = tui_inbox_draw,
    .later = inbox_later,
    .free = inbox_screen_free,
    .targets = tui_inbox_targets,
    .url = tui_inbox_url,
};

/* Pages next-unread reads below the cursor before it gives up. */
#define NEXT_UNREAD_PAGES 200

void
tui_inbox_act_next_unread(struct tui *t, const struct tui_action *a)
{
    (void)a;
    struct inbox *in = inbox_state(t);
    long start = in->list.cur;
    long from = start + 1; /* the first row not yet looked at */
    for (int pages = 0; pages < NEXT_UNREAD_PAGES && from < in->list.n; pages++) {
        for (long r = from; r < in->list.top + (long)in->page.n; r++)
            if (in->page.rows[r - in->list.top].unread) {
                tui_list_move(t, &in->list, r);
                return;
            }
        from = in->list.top + (long)in->page.n;
        if (from >= in->list.n)
            break;
        /* The next page: its last row under the cursor brings rows from on. */
        long to = from + in->list.page - 1 < in->list.n ? from + in->list.page - 1
                                                        : in->list.n - 1;
        tui_list_move(t, &in->list, to);
        if (in->list.top > from || in->list.top + (long)in->page.n <= from)
            break; /* the listing ends sooner than counted */
    }
    tui_list_move(t, &in->list, start);
    tui_message(t, "no unread thread below this one");
}
