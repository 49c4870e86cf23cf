/* The reports screen (I): the figures of `tactful report` for every thread in the cache, as a
 * table and small charts drawn with characters: a sparkline of threads in per day, bars of
 * threads in per group (account, platform, officer, pattern, tag or week; b changes which)
 * beside a histogram of times to first reply, and the backlog now. Legible without colour:
 * the charts are characters, not colours; when the locale is not UTF-8 they are drawn in
 * ASCII. Read-only, like the command. */
#include "tui/internal.h"

#include "model/report.h"
#include "model/text.h"
#include "model/xmalloc.h"
#include "tui/draw.h"
#include "tui/reports.h"

#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The groupings b steps through, in order. */
static const enum report_by steps[] = {REPORT_BY_ACCOUNT, REPORT_BY_PLATFORM, REPORT_BY_OFFICER,
                                       REPORT_BY_PATTERN, REPORT_BY_TAG, REPORT_BY_WEEK};
#define NSTEPS (sizeof steps / sizeof steps[0])

/* The rows of the table and of the bars at most, so that the screen fits 80x24. */
#define MAX_GROUP_ROWS 5

struct reportsv {
    struct report *r;     /* NULL until read, or when reading failed */
    size_t step;          /* index into steps */
    int utf8;             /* the locale's characters are UTF-8: block characters */
};

/* This file's state in the interface (tui/screen_list.h), or NULL when there is none. */
static inline struct reportsv *
reports_state(const struct tui *t)
{
    return TUI_STATE(t, reports);
}

/* Frees the state of reports. */
static void
reportsv_free(struct reportsv *v)
{
    if (v == NULL)
        return;
    report_free(v->r);
    free(v);
}

void
tui_reports_reload(struct tui *t)
{
    struct reportsv *v = reports_state(t);
    if (v == NULL)
        return;
    struct hours h;
    char *err = NULL;
    struct report_opts o = {.by = steps[v->step]};
    if (t->opts->business_hours && hours_parse(t->opts->business_hours, &h, &err) == 0)
        o.hours = &h;
    free(err);
    err = NULL;
    struct report *r;
    if (report_build(t->db, &o, &r, &err) != 0) {
        tui_error_take(t, "cannot read the report", err);
        return;
    }
    report_free(v->r);
    v->r = r;
}

/* ---- drawing ---- */

/* One row of the figures table at y. */
static void
table_row(struct tui *t, const struct report_figures *f, int y, enum tui_role role)
{
    const struct report *r = reports_state(t)->r;
    char med[32], p90[32], cells[128], pct[24] = "-";
    int bh = r->business;
    report_duration(bh ? f->median_bh_s : f->median_s, med);
    report_duration(bh ? f->p90_bh_s : f->p90_s, p90);
    if (f->in)
        snprintf(pct, sizeof pct, "%d%%", report_answered_pct(f));
    snprintf(cells, sizeof cells, "%6ld %6ld %4s %7s %7s %4ld %4ld", f->in, f->answered, pct, med,
             p90, f->returned, f->escalated);
    tui_put(y, 0, "", COLS, tui_attr(t, role));
    tui_put_raw(y, 1, f->group, 18, tui_attr(t, role));
    tui_put(y, 20, cells, COLS - 20, tui_attr(t, role));
}

/* A bar of n of max units over cols columns: whole cells and, in UTF-8, an eighth-step end. */
static void
bar(char *out, size_t cap, long n, long max, int cols, int utf8)
{
    static const char *const eighths[8] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
    long eighth = max > 0 ? (n * cols * 8 + max - 1) / max : 0;
    if (n > 0 && eighth == 0)
        eighth = 1;
    size_t len = 0;
    out[0] = '\0';
    for (long i = 0; i < eighth / 8 && len + 4 < cap; i++)
        len += (size_t)snprintf(out + len, cap - len, "%s", utf8 ? "█" : "#");
    if (eighth % 8 && len + 4 < cap)
        snprintf(out + len, cap - len, "%s", utf8 ? eighths[eighth % 8] : (n ? "+" : ""));
}

/* Draws the sparkline of threads in per day at y (label) and y + 1, the latest days that fit. */
static void
draw_sparkline(struct tui *t, int y)
{
    const struct report *r = reports_state(t)->r;
    static const char *const levels8[9] = {" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
    static const char levels_ascii[] = " .:-=+*#@";
    int utf8 = reports_state(t)->utf8;
    int w = COLS - 2;
    size_t first = r->ndays > (size_t)w ? r->ndays - (size_t)w : 0;
    long max = 0;
    for (size_t d = first; d < r->ndays; d++)
        if (r->days[d].in > max)
            max = r->days[d].in;
    char label[160];
    if (r->ndays == 0)
        snprintf(label, sizeof label, " Threads in per day: none yet");
    else
        snprintf(label, sizeof label, " Threads in per day, %s to %s (most in a day: %ld)",
                 r->days[first].day, r->days[r->ndays - 1].day, max);
    tui_put(y, 0, label, COLS, tui_attr(t, ROLE_HEADER));
    struct buf b = {0};
    buf_addc(&b, ' ');
    for (size_t d = first; d < r->ndays; d++) {
        long n = r->days[d].in;
        int lvl = max > 0 ? (int)((n * 8 + max - 1) / max) : 0;
        if (utf8)
            buf_adds(&b, levels8[lvl]);
        else
            buf_addc(&b, levels_ascii[lvl]);
    }
    char *line = buf_take(&b);
    tui_put(y + 1, 0, line, COLS, tui_attr(t, ROLE_HIGH));
    free(line);
}

/* Draws bars of threads in per group from x (width w) at y: a title and up to rows rows. */
static void
draw_group_bars(struct tui *t, int y, int x, int w, int rows)
{
    const struct report *r = reports_state(t)->r;
    char title[96];
    snprintf(title, sizeof title, "Threads in per %s", report_by_name(r->by));
    tui_put(y, x, title, w, tui_attr(t, ROLE_HEADER));
    long max = 0;
    for (size_t i = 0; i < r->ngroups; i++)
        if (r->groups[i].in > max)
            max = r->groups[i].in;
    int barw = w - 22;
    for (size_t i = 0; i < r->ngroups && (int)i < rows; i++) {
        char b[256], n[24];
        bar(b, sizeof b, r->groups[i].in, max, barw, reports_state(t)->utf8);
        snprintf(n, sizeof n, "%5ld ", r->groups[i].in);
        tui_put_raw(y + 1 + (int)i, x, r->groups[i].group, 14, tui_attr(t, ROLE_NORMAL));
        tui_put(y + 1 + (int)i, x + 15, n, 6, tui_attr(t, ROLE_NORMAL));
        tui_put(y + 1 + (int)i, x + 21, b, barw, tui_attr(t, ROLE_HIGH));
    }
    if (r->ngroups > (size_t)rows) {
        char more[48];
        snprintf(more, sizeof more, "... and %zu more", r->ngroups - (size_t)rows);
        tui_put(y + rows, x, more, w, tui_attr(t, ROLE_DIM));
    }
}

/* Draws the histogram of times to first reply from x (width w) at y. */
static void
draw_histogram(struct tui *t, int y, int x, int w)
{
    const struct report *r = reports_state(t)->r;
    tui_put(y, x, r->business ? "Time to first reply (business hours)" : "Time to first reply",
            w, tui_attr(t, ROLE_HEADER));
    long max = 0;
    for (int i = 0; i < REPORT_BUCKETS; i++)
        if (r->total.hist[i] > max)
            max = r->total.hist[i];
    int barw = w - 13;
    for (int i = 0; i < REPORT_BUCKETS; i++) {
        char b[256], label[32];
        bar(b, sizeof b, r->total.hist[i], max, barw, reports_state(t)->utf8);
        snprintf(label, sizeof label, "%-5s %5ld ", report_bucket_labels[i], r->total.hist[i]);
        tui_put(y + 1 + i, x, label, 12, tui_attr(t, ROLE_NORMAL));
        tui_put(y + 1 + i, x + 12, b, barw, tui_attr(t, ROLE_HIGH));
    }
}

void
tui_reports_draw(struct tui *t)
{
    struct reportsv *v = reports_state(t);
    const struct report *r = v->r;
    char title[200];
    erase();
    if (r == NULL) {
        tui_put(0, 0, " Reports", COLS, tui_attr(t, ROLE_BAR));
        tui_status_draw(t, "REPORTS", "");
        return;
    }
    snprintf(title, sizeof title, " Reports · threads in %.10s to %.10s · by %s (b changes)",
             r->since, r->until, report_by_name(r->by));
    tui_put(0, 0, title, COLS, tui_attr(t, ROLE_BAR));
    char head[160];
    snprintf(head, sizeof head, " %-18s %6s %6s %4s %7s %7s %4s %4s", report_by_name(r->by),
             "IN", "ANSWD", "%", r->business ? "BH-MED" : "MEDIAN",
             r->business ? "BH-P90" : "P90", "RET", "ESC");
    tui_put(1, 0, head, COLS, tui_attr(t, ROLE_HEADER));
    int y = 2;
    size_t shown = r->ngroups < MAX_GROUP_ROWS ? r->ngroups : MAX_GROUP_ROWS;
    for (size_t i = 0; i < shown; i++)
        table_row(t, &r->groups[i], y++, ROLE_NORMAL);
    table_row(t, &r->total, y++, ROLE_HEADER);
    y++;
    draw_sparkline(t, y);
    y += 3;
    int half = COLS / 2;
    draw_group_bars(t, y, 1, half - 2, MAX_GROUP_ROWS);
    draw_histogram(t, y, half + 1, COLS - half - 2);
    y += REPORT_BUCKETS + 2;
    if (r->nweeks > 0 && y < LINES - 1) {
        const struct report_week *w = &r->weeks[r->nweeks - 1];
        struct buf b = {0};
        buf_adds(&b, " Backlog now:");
        for (int s = 0; s < TRIAGE_NSTATES; s++)
            buf_printf(&b, " %s %ld", triage_states[s].label, w->n[s]);
        char *line = buf_take(&b);
        tui_put(y, 0, line, COLS, tui_attr(t, ROLE_NORMAL));
        free(line);
    }
    char where[64];
    snprintf(where, sizeof where, "%zu returned", r->nreturns);
    tui_status_draw(t, "REPORTS", where);
}

/* ---- actions ---- */

void
tui_reports_act_open(struct tui *t, const struct tui_action *act)
{
    (void)act;
    if (reports_state(t) == NULL) {
        TUI_STATE(t, reports) = xcalloc(1, sizeof(struct reportsv));
        const char *cs = nl_langinfo(CODESET);
        reports_state(t)->utf8 = cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
    }
    tui_screen_push(t, &tui_reports_screen);
    tui_reports_reload(t);
}

void
tui_reports_act_group(struct tui *t, const struct tui_action *act)
{
    (void)act;
    struct reportsv *v = reports_state(t);
    v->step = (v->step + 1) % NSTEPS;
    tui_reports_reload(t);
}

/* Frees the screen's state at the end. */
static void
reports_screen_free(struct tui *t)
{
    reportsv_free(reports_state(t));
    TUI_STATE(t, reports) = NULL;
}

const struct tui_screen tui_reports_screen = {
    .ctx = KM_REPORTS,
    .draw = tui_reports_draw,
    .reload = tui_reports_reload,
    .free = reports_screen_free,
};
