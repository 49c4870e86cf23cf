/* The inbox: one line per thread, paged from the cache, with per-state counts, a status bar
 * and a simple thread reader. Every string from the cache is sanitized before it is drawn. */
#include "tui/tui.h"

#include "model/isotime.h"
#include "model/text.h"
#include "model/thread.h"
#include "model/xmalloc.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

/* What the inbox screen holds between keys. */
struct inbox {
    const struct tui_opts *opts;
    struct thread_list page;   /* the threads on screen */
    long total;                /* threads in the cache */
    long counts[QUERY_NSTATES];
    long top;                  /* offset of the first line on screen */
    long cursor;               /* absolute index of the selected thread */
    char message[160];         /* one-line message for the status bar */
};

/* Rows available for thread lines: the screen less the tab bar, header and status bar. */
static int
list_rows(void)
{
    return LINES > 4 ? LINES - 3 : 1;
}

/* Draws s (already sanitized) at y, x, cut and padded to cols columns. */
static void
put(int y, int x, const char *s, int cols)
{
    if (cols <= 0)
        return;
    char *p = text_pad(s, cols);
    mvaddstr(y, x, p);
    free(p);
}

/* Draws raw text from the cache at y, x: sanitized, on one line, fitted to cols. */
static void
put_raw(int y, int x, const char *raw, int cols)
{
    char *safe = text_sanitize(raw ? raw : "", raw ? strlen(raw) : 0, 0);
    put(y, x, safe, cols);
    free(safe);
}

/* Reloads the counts and the page of threads around the cursor. */
static int
inbox_load(struct inbox *in, char **err)
{
    if (thread_count_states(in->opts->db, NULL, in->counts, err) != 0)
        return -1;
    in->total = 0;
    for (int i = 0; i < QUERY_NSTATES; i++)
        in->total += in->counts[i];
    if (in->cursor >= in->total)
        in->cursor = in->total ? in->total - 1 : 0;
    if (in->cursor < in->top)
        in->top = in->cursor;
    if (in->cursor >= in->top + list_rows())
        in->top = in->cursor - list_rows() + 1;
    thread_list_free(&in->page);
    return thread_list(in->opts->db, NULL, THREAD_SORT_ACTIVITY, list_rows(), in->top, &in->page,
                       err);
}

/* Draws the state tabs with their counts. */
static void
draw_tabs(const struct inbox *in)
{
    char line[512];
    int n = snprintf(line, sizeof line, " tactful  all %ld", in->total);
    for (int i = 0; i < QUERY_NSTATES && n < (int)sizeof line; i++)
        n += snprintf(line + n, sizeof line - (size_t)n, " │ %s %ld", query_states[i],
                      in->counts[i]);
    attron(A_REVERSE);
    put(0, 0, line, COLS);
    attroff(A_REVERSE);
}

/* Draws one thread line at screen row y. */
static void
draw_row(const struct thread_row *r, int y, int selected, time_t now)
{
    char age[16] = "-", id[16];
    time_t t;
    if (r->last_activity && isotime_parse(r->last_activity, &t) == 0)
        isotime_age(t, now, age);
    if (selected)
        attron(A_REVERSE);
    snprintf(id, sizeof id, "%c%5ld", r->unread ? '*' : ' ', r->id);
    put(y, 0, id, 7);
    put(y, 7, r->state, 10);
    put(y, 17, r->platform, 10);
    put_raw(y, 27, r->latest_author, 20);
    char meta[24];
    snprintf(meta, sizeof meta, "%4s %4ld ", age, r->posts);
    put(y, 47, meta, 10);
    const char *text = r->title && *r->title ? r->title : r->latest_text;
    put_raw(y, 57, text, COLS - 57);
    if (selected)
        attroff(A_REVERSE);
}

/* Draws the whole inbox screen. */
static void
inbox_draw(const struct inbox *in)
{
    time_t now = time(NULL);
    erase();
    draw_tabs(in);
    attron(A_BOLD);
    put(1, 0, "    ID STATE     PLATFORM  AUTHOR               AGE POSTS LATEST", COLS);
    attroff(A_BOLD);
    for (size_t i = 0; i < in->page.n; i++)
        draw_row(&in->page.rows[i], 2 + (int)i, in->top + (long)i == in->cursor, now);
    if (in->total == 0)
        put(3, 2, "The cache is empty: import posts with `tactful import FILE`, or try --demo.",
            COLS - 2);
    char status[256];
    snprintf(status, sizeof status, " %s%s │ %ld/%ld │ j/k move  Enter open  ? help  q quit%s%s",
             in->opts->offline ? "OFFLINE │ " : "", in->opts->officer,
             in->total ? in->cursor + 1 : 0, in->total, in->message[0] ? " │ " : "",
             in->message);
    char *safe = text_sanitize(status, strlen(status), 0);
    attron(A_REVERSE);
    put(LINES - 1, 0, safe, COLS);
    attroff(A_REVERSE);
    free(safe);
    refresh();
}

/* Appends text to lines[], wrapped at cols columns on spaces where possible. */
static void
wrap_into(char ***lines, size_t *n, const char *safe_line, int indent, int cols)
{
    const char *s = safe_line;
    int avail = cols - indent > 10 ? cols - indent : 10;
    do {
        char *piece = text_fit(s, avail, 0);
        size_t len = strlen(piece);
        if (s[len] != '\0') {
            char *space = strrchr(piece, ' ');
            if (space && space > piece) {
                len = (size_t)(space - piece) + 1;
                piece[len] = '\0';
            }
        }
        if (len == 0) { /* a character wider than the line: take it anyway */
            free(piece);
            piece = xstrndup(s, 1);
            len = 1;
        }
        *lines = xreallocarray(*lines, *n + 1, sizeof **lines);
        (*lines)[(*n)++] = xasprintf("%*s%s", indent, "", piece);
        free(piece);
        s += len;
    } while (*s);
}

/* Shows one thread read-only until q or Escape; marks it read. */
static void
thread_view(const struct inbox *in, long id)
{
    char *err = NULL;
    struct thread *t = thread_get(in->opts->db, id, &err);
    if (t == NULL) {
        free(err);
        return;
    }
    thread_mark_seen(in->opts->db, id, &err);
    free(err);
    char **lines = NULL;
    size_t n = 0;
    for (size_t i = 0; i < t->nposts; i++) {
        const struct thread_post *p = &t->posts[i];
        int indent = (p->depth > 8 ? 8 : p->depth) * 2;
        char *head = xasprintf("%s%s (%s) · %.10s %.5s%s", p->depth ? "↳ " : "",
                               p->author_name && *p->author_name ? p->author_name : p->author,
                               p->author, p->created_at,
                               strlen(p->created_at) > 11 ? p->created_at + 11 : "",
                               p->own ? " [ours]" : "");
        char *safe = text_sanitize(head, strlen(head), 0);
        wrap_into(&lines, &n, safe, indent, COLS);
        free(safe);
        free(head);
        char *body = text_sanitize(p->text, strlen(p->text), TEXT_MULTILINE);
        for (char *line = strtok(body, "\n"); line; line = strtok(NULL, "\n"))
            wrap_into(&lines, &n, line, indent + 2, COLS);
        free(body);
        lines = xreallocarray(lines, n + 1, sizeof *lines);
        lines[n++] = xstrdup("");
    }
    long top = 0;
    for (;;) {
        erase();
        char *title = xasprintf(" Thread %ld · %s · %s · %s", id, t->info.platform,
                                t->info.account, t->info.state);
        char *safe = text_sanitize(title, strlen(title), 0);
        attron(A_REVERSE);
        put(0, 0, safe, COLS);
        put(LINES - 1, 0, " j/k scroll  q back", COLS);
        attroff(A_REVERSE);
        free(safe);
        free(title);
        for (int y = 1; y < LINES - 1 && top + y - 1 < (long)n; y++)
            put(y, 0, lines[top + y - 1], COLS);
        refresh();
        int c = getch();
        long max = (long)n - (LINES - 2) > 0 ? (long)n - (LINES - 2) : 0;
        if (c == 'q' || c == 27 || c == KEY_LEFT || c == 'h')
            break;
        if ((c == 'j' || c == KEY_DOWN) && top < max)
            top++;
        else if ((c == 'k' || c == KEY_UP) && top > 0)
            top--;
        else if (c == ' ' || c == KEY_NPAGE)
            top = top + LINES - 2 < max ? top + LINES - 2 : max;
        else if (c == KEY_PPAGE || c == 'b')
            top = top - (LINES - 2) > 0 ? top - (LINES - 2) : 0;
    }
    for (size_t i = 0; i < n; i++)
        free(lines[i]);
    free(lines);
    thread_free(t);
}

/* Shows the keys until any key is pressed. */
static void
help_view(void)
{
    static const char *const keys[] = {
        "j, Down      next thread",      "k, Up        previous thread",
        "PgDn, Space  next page",        "PgUp, b      previous page",
        "g, Home      first thread",     "G, End       last thread",
        "Enter, l     read the thread",  "r            reload from the cache",
        "?            this help",        "q            quit",
    };
    erase();
    attron(A_BOLD);
    put(0, 0, " tactful keys (press any key to go back)", COLS);
    attroff(A_BOLD);
    for (size_t i = 0; i < sizeof keys / sizeof keys[0] && (int)i + 2 < LINES; i++)
        put((int)i + 2, 2, keys[i], COLS - 2);
    refresh();
    getch();
}

int
tui_run(const struct tui_opts *opts, char **err)
{
    struct inbox in = {.opts = opts};
    if (initscr() == NULL) {
        *err = xstrdup("cannot start the terminal interface; check TERM");
        return -1;
    }
    cbreak();
    noecho();
    keypad(stdscr, TRUE);
    curs_set(0);
    int rc = 0;
    for (;;) {
        if (inbox_load(&in, err) != 0) {
            rc = -1;
            break;
        }
        inbox_draw(&in);
        in.message[0] = '\0';
        int c = getch();
        long page = list_rows();
        if (c == 'q')
            break;
        switch (c) {
        case 'j':
        case KEY_DOWN:
            if (in.cursor + 1 < in.total)
                in.cursor++;
            break;
        case 'k':
        case KEY_UP:
            if (in.cursor > 0)
                in.cursor--;
            break;
        case ' ':
        case KEY_NPAGE:
            in.cursor = in.cursor + page < in.total ? in.cursor + page : in.total - 1;
            in.top = in.cursor;
            break;
        case 'b':
        case KEY_PPAGE:
            in.cursor = in.cursor > page ? in.cursor - page : 0;
            in.top = in.top > page ? in.top - page : 0;
            break;
        case 'g':
        case KEY_HOME:
            in.cursor = 0;
            break;
        case 'G':
        case KEY_END:
            in.cursor = in.total ? in.total - 1 : 0;
            break;
        case '\n':
        case KEY_ENTER:
        case 'l':
            if (in.cursor >= in.top && in.cursor - in.top < (long)in.page.n)
                thread_view(&in, in.page.rows[in.cursor - in.top].id);
            break;
        case '?':
            help_view();
            break;
        case 'r':
            snprintf(in.message, sizeof in.message, "reloaded");
            break;
        case KEY_RESIZE:
            break;
        default:
            snprintf(in.message, sizeof in.message, "no action on that key; ? lists the keys");
            break;
        }
    }
    endwin();
    thread_list_free(&in.page);
    return rc;
}
