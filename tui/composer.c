/* The composer: writing a reply to a post. The text (tui/editbuf.c) is soft-wrapped under the
 * post answered, with a live counter against the platform's limit, the guardrails' findings
 * marked on their spans and listed below, and the message of the finding under the cursor in
 * the status bar. The draft is saved to the cache whenever no more keys are waiting, so a
 * kill -9 loses at most keys not yet read. Submitting goes through draft_submit, as
 * `tactful submit` does; a refusal asks for a reason per blocking rule.
 *
 * The signature ([tactful] signature) is part of what is sent exactly once: templates place
 * it with {signature}; when the text does not contain it, it is shown under the text and
 * appended (after a space) when submitting, so the counter and the guardrails count it. */
#include "tui/internal.h"

#include "model/cw.h"
#include "model/draft.h"
#include "model/extras.h"
#include "model/file.h"
#include "model/guard.h"
#include "model/pattern.h"
#include "model/platform.h"
#include "model/text.h"
#include "model/thread.h"
#include "model/xmalloc.h"
#include "tui/editbuf.h"
#include "tui/composer.h"
#include "tui/draw.h"
#include "tui/outbox.h"
#include "tui/prompt.h"
#include "tui/url.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utf8proc.h>

extern char **environ;

#define CONTEXT_LINES 3   /* lines of the post answered shown above the text */

struct composer {
    long draft, thread;
    char *state;                /* editing or returned */
    char *pattern;              /* NULL: a blank reply */
    char *review;               /* "returned by X: comment", or NULL */
    char *platform;
    char *context;              /* the post answered (raw), or NULL */
    char *answering;            /* its author, raw */
    const char *privacy;        /* what a private post answered means for the reply, or NULL */
    struct editbuf *eb;
    unsigned long saved, checked; /* the text versions last saved and checked */
    int save_failed;
    struct guard_result findings;
    int has_length;
    struct guard_length length;
    size_t top;                 /* first text row shown */
    int width, page;            /* the wrap width and text rows at the last draw */
    int cy, cx;                 /* where the cursor was drawn */
    /* A refused submission's override prompts: the rules and the reasons given so far. */
    char **rules;
    char **reasons;
    size_t nrules, asked;
    /* The finding shown in full over the composer (explain-finding), or -1; any key closes
     * it. An index into findings, which do not change while it is open. */
    long explained;
};

/* This file's state in the interface (tui/screen_list.h), or NULL when there is none. */
static inline struct composer *
composer_state(const struct tui *t)
{
    return TUI_STATE(t, composer);
}

/* The signature to append, or NULL when there is none or the text holds it already. */
static const char *
missing_signature(const struct tui *t, const char *body)
{
    return draft_signature_missing(body, t->opts->signature);
}

/* The text as it would be sent: the body, and the signature after a space when missing.
 * Newly allocated. */
static char *
as_sent(const struct tui *t, const char *body)
{
    return draft_signed(body, t->opts->signature);
}

/* Frees the override prompts' state. */
static void
overrides_clear(struct composer *c)
{
    for (size_t i = 0; i < c->nrules; i++) {
        free(c->rules[i]);
        free(c->reasons ? c->reasons[i] : NULL);
    }
    free(c->rules);
    free(c->reasons);
    c->rules = c->reasons = NULL;
    c->nrules = c->asked = 0;
}

/* Frees a composer. */
static void
composer_free(struct composer *c)
{
    if (c == NULL)
        return;
    overrides_clear(c);
    guard_result_free(&c->findings);
    editbuf_free(c->eb);
    free(c->state);
    free(c->pattern);
    free(c->review);
    free(c->platform);
    free(c->context);
    free(c->answering);
    free(c);
}

/* Runs the guardrails and the counter over the text as it would be sent. */
static void
check(struct tui *t)
{
    struct composer *c = composer_state(t);
    guard_result_free(&c->findings);
    c->checked = editbuf_version(c->eb);
    c->has_length = 0;
    if (t->opts->guard == NULL)
        return;
    char *text = as_sent(t, editbuf_text(c->eb));
    const char *platform = c->platform && platform_find(c->platform) ? c->platform
                                                                            : NULL;
    struct guard_input in = {
        .draft = text,
        .draft_len = strlen(text),
        .platform = platform,
        .context = c->context,
        .context_len = c->context ? strlen(c->context) : 0,
        .pattern = c->pattern && guard_pattern_find(c->pattern) ? c->pattern : NULL,
        .today = t->opts->today,
    };
    char *err = NULL;
    if (guard_check(t->opts->guard, &in, &c->findings, &err) != 0)
        tui_error_take(t, "cannot check the draft", err);
    c->has_length = guard_length_count(t->opts->guard, platform, text, strlen(text),
                                       &c->length);
    free(text);
}

/* Saves the text to the cache when it changed since the last save. Returns 0 or -1. */
static int
save(struct tui *t)
{
    struct composer *c = composer_state(t);
    if (c->saved == editbuf_version(c->eb))
        return 0;
    char *err = NULL;
    if (draft_save(t->db, t->opts->officer, c->draft, editbuf_text(c->eb), &err) != 0) {
        if (!c->save_failed)
            tui_error_take(t, "the draft was NOT saved", err);
        else
            free(err);
        c->save_failed = 1;
        return -1;
    }
    c->save_failed = 0;
    c->saved = editbuf_version(c->eb);
    return 0;
}

void
tui_composer_idle(struct tui *t)
{
    struct composer *c = composer_state(t);
    if (c == NULL)
        return;
    save(t);
    if (c->checked != editbuf_version(c->eb))
        check(t);
}

/* What answering p means for the reply's privacy, or NULL when p is public: the send keeps
 * the visibility of the post answered (net/mastodon.c). */
static const char *
privacy_of(const struct thread_post *p)
{
    if (!p->is_private)
        return NULL;
    struct extras x;
    extras_read(p->meta, &x);
    int direct = x.visibility && strcmp(x.visibility, "direct") == 0;
    extras_clear(&x);
    return direct ? " private: a reply to a direct message goes only to the people it names"
                  : " private: a reply to a followers-only post stays followers-only";
}

/* The post draft d answers in th: its in_reply_to, else the root. */
static const struct thread_post *
answered_post(const struct thread *th, const struct draft *d)
{
    const char *want = d->in_reply_to ? d->in_reply_to : th->info.root;
    for (size_t i = 0; i < th->nposts; i++)
        if (want && strcmp(th->posts[i].remote_id, want) == 0)
            return &th->posts[i];
    return NULL;
}

int
tui_composer_open_draft(struct tui *t, long draft_id)
{
    struct draft d;
    char *err = NULL;
    int got = draft_get(t->db, draft_id, &d, &err);
    if (got != 0) {
        if (got == 1)
            tui_error(t, "no draft %ld", draft_id);
        else
            tui_error_take(t, "cannot read the draft", err);
        return -1;
    }
    if (strcmp(d.officer, t->opts->officer) != 0 ||
        (strcmp(d.state, "editing") != 0 && strcmp(d.state, "returned") != 0)) {
        tui_error(t, "draft %ld is %s by %s; only your own editing or returned drafts can be "
                  "edited", draft_id, d.state, d.officer);
        draft_clear(&d);
        return -1;
    }
    struct thread *th = thread_get(t->db, d.thread, &err);
    if (th == NULL) {
        tui_error_take(t, "cannot read the draft's thread", err);
        draft_clear(&d);
        return -1;
    }
    struct composer *c = xcalloc(1, sizeof *c);
    c->draft = d.id;
    c->thread = d.thread;
    c->state = xstrdup(d.state);
    c->pattern = d.pattern ? xstrdup(d.pattern) : NULL;
    if (strcmp(d.state, "returned") == 0)
        c->review = xasprintf("returned by %s: %s", d.reviewer ? d.reviewer : "a reviewer",
                              d.review_comment ? d.review_comment : "");
    c->platform = th->info.platform ? xstrdup(th->info.platform) : NULL;
    const struct thread_post *p = answered_post(th, &d);
    if (p) {
        c->context = xstrdup(p->text ? p->text : "");
        c->answering = xstrdup(p->author_name && *p->author_name ? p->author_name : p->author);
        c->privacy = privacy_of(p);
    }
    c->eb = editbuf_new(DRAFT_MAX_BODY);
    editbuf_load(c->eb, d.body ? d.body : "", d.body ? strlen(d.body) : 0);
    /* What the cache holds is saved already, unless loading had to clean it. */
    c->saved = strcmp(editbuf_text(c->eb), d.body ? d.body : "") == 0
                   ? editbuf_version(c->eb) : (unsigned long)-1;
    /* Start where the officer has to write: the first placeholder the template left. */
    const char *at = draft_placeholder_first(editbuf_text(c->eb));
    char *cw = NULL;
    const char *rest;
    if (at == NULL && cw_split(editbuf_text(c->eb), &cw, &rest))
        at = rest; /* under the content warning carried from the post answered */
    free(cw);
    if (at)
        editbuf_set_cursor(c->eb, (size_t)(at - editbuf_text(c->eb)));
    c->checked = (unsigned long)-1;
    c->explained = -1;
    thread_free(th);
    draft_clear(&d);
    tui_composer_close(t);
    TUI_STATE(t, composer) = c;
    tui_screen_push(t, &tui_composer_screen);
    check(t);
    return 0;
}

void
tui_composer_close(struct tui *t)
{
    struct composer *c = composer_state(t);
    if (c == NULL)
        return;
    save(t);
    if (t->screen == &tui_composer_screen)
        tui_screen_back(t);
    composer_free(c);
    TUI_STATE(t, composer) = NULL;
}

/* Whether a reply is being written (back skips a composer closed since). */
static int
composer_screen_live(struct tui *t)
{
    return composer_state(t) != NULL;
}

/* Leaves the composer, keeping the draft as it is. */
void
tui_composer_leave(struct tui *t)
{
    struct composer *c = composer_state(t);
    long id = c->draft;
    int failed = save(t) != 0;
    char state[32];
    snprintf(state, sizeof state, "%s", c->state);
    tui_composer_close(t);
    if (failed)
        tui_error(t, "draft %ld could not be saved; see the previous message", id);
    else
        tui_message(t, "draft %ld kept (%s); reply on the thread offers to resume it", id,
                    state);
    tui_refresh_data(t, TUI_RELOAD_PAGE);
}

/* ---- drawing ---- */

/* The attribute that marks a grapheme at [b, e) of the text: the worst finding over it. */
static attr_t
mark_attr(struct tui *t, size_t b, size_t e, attr_t base)
{
    const struct guard_result *r = &composer_state(t)->findings;
    int worst = -1;
    for (size_t i = 0; i < r->n; i++) {
        const struct guard_finding *f = &r->findings[i];
        if (f->source == GUARD_DRAFT && f->start < e && f->end > b && (int)f->severity > worst)
            worst = (int)f->severity;
    }
    if (worst == GUARD_ERROR)
        return tui_attr(t, ROLE_URGENT) | A_UNDERLINE;
    if (worst == GUARD_WARNING)
        return tui_attr(t, ROLE_HIGH) | A_UNDERLINE;
    return base; /* notes (such as nearing the length limit) are listed, not marked */
}

void
tui_compose_draw_rows(struct tui *t, const struct editbuf *eb, const struct editbuf_row *rows,
                      size_t nrows, size_t top, int y, int x, int h, int marks, attr_t base)
{
    const char *text = editbuf_text(eb);
    for (int i = 0; i < h && top + (size_t)i < nrows; i++) {
        const struct editbuf_row *r = &rows[top + (size_t)i];
        int cx = x;
        for (size_t b = r->start; b < r->end;) {
            size_t e = editbuf_next(eb, b);
            if (e > r->end)
                e = r->end;
            int w;
            char *s = editbuf_show(text + b, e - b, &w);
            if (cx + w <= COLS) {
                attrset(marks ? mark_attr(t, b, e, base) : base);
                mvaddstr(y + i, cx, s);
            }
            free(s);
            cx += w;
            b = e;
        }
        attrset(A_NORMAL);
    }
}

/* Draws what the reply's content warning line (model/cw.h) will do, when the text starts
 * with one; returns the lines used (0 or 1). */
static int
draw_cw_notice(struct tui *t, int y)
{
    struct composer *c = composer_state(t);
    char *cw;
    const char *rest;
    if (!cw_split(editbuf_text(c->eb), &cw, &rest))
        return 0;
    int mastodon = c->platform && strcmp(c->platform, "mastodon") == 0;
    char *line = !mastodon ? xasprintf(" %s has no content warnings: the CW line is sent as "
                                       "text", c->platform ? c->platform : "this platform")
                 : *cw ? xasprintf(" CW sent with the reply (edit or delete its line): %s",
                                   cw)
                       : xstrdup(" empty CW: line: the reply is sent with no content warning");
    tui_put_raw(y, 0, line, COLS, tui_attr(t, ROLE_HIGH));
    free(line);
    free(cw);
    return 1;
}

/* Draws up to CONTEXT_LINES of the post answered from y; returns the lines used. */
static int
draw_context(struct tui *t, int y)
{
    struct composer *c = composer_state(t);
    int used = 0;
    if (c->review) {
        tui_put_raw(y + used++, 0, c->review, COLS, tui_attr(t, ROLE_HIGH) | A_BOLD);
    }
    if (c->privacy)
        tui_put(y + used++, 0, c->privacy, COLS, tui_attr(t, ROLE_HIGH) | A_BOLD);
    used += draw_cw_notice(t, y + used);
    if (c->context == NULL) {
        tui_put(y + used++, 0, " (the post answered is not in the cache)", COLS,
                tui_attr(t, ROLE_DIM));
        return used;
    }
    char *head = xasprintf(" answering %s:", c->answering ? c->answering : "?");
    tui_put_raw(y + used++, 0, head, COLS, tui_attr(t, ROLE_HEADER));
    free(head);
    struct editbuf *eb = editbuf_new(DRAFT_MAX_BODY);
    editbuf_load(eb, c->context, strlen(c->context));
    struct editbuf_row *rows;
    size_t n = editbuf_wrap(eb, COLS - 4, &rows);
    int h = n < CONTEXT_LINES ? (int)n : CONTEXT_LINES;
    tui_compose_draw_rows(t, eb, rows, n, 0, y + used, 3, h, 0, tui_attr(t, ROLE_DIM));
    if (n > CONTEXT_LINES)
        tui_put(y + used + h - 1, COLS - 3, " …", 2, tui_attr(t, ROLE_DIM));
    used += h;
    free(rows);
    editbuf_free(eb);
    return used;
}

/* Draws the rule above the text with the counter at its right. */
static void
draw_counter_rule(struct tui *t, int y)
{
    struct composer *c = composer_state(t);
    char count[96];
    enum tui_role role = ROLE_DIM;
    if (c->has_length) {
        const struct guard_length *l = &c->length;
        snprintf(count, sizeof count, " %ld/%ld ", l->count, l->max);
        if (l->count > l->max || (l->max_bytes && l->bytes > l->max_bytes))
            role = ROLE_ERROR;
        else if (l->warn && l->count * 100 >= l->warn * l->max)
            role = ROLE_HIGH;
        if (l->max_bytes && l->bytes > l->max_bytes)
            snprintf(count, sizeof count, " %ld/%ld · %ld/%ld bytes ", l->count, l->max,
                     l->bytes, l->max_bytes);
    } else {
        snprintf(count, sizeof count, " no length limit on %s ",
                 c->platform ? c->platform : "this platform");
    }
    struct buf b = {0};
    buf_adds(&b, "── your reply ");
    int cw = text_width(count);
    for (int x = 14; x < COLS - cw - 2; x++)
        buf_adds(&b, "─");
    tui_put(y, 0, b.data, COLS, tui_attr(t, ROLE_HEADER));
    buf_free(&b);
    tui_put(y, COLS - cw - 2, count, cw, tui_attr(t, role));
}

/* A finding as one line of the findings pane. */
static char *
finding_line(const struct composer *c, const struct guard_finding *f, int signed_later)
{
    const char *where = "post answered";
    char pos[32];
    if (f->source == GUARD_DRAFT) {
        size_t len = editbuf_len(c->eb);
        if (signed_later && f->start >= len && f->end > f->start) {
            where = "signature";
        } else {
            int line, col;
            guard_position(editbuf_text(c->eb), len, f->start < len ? f->start : len, &line,
                           &col);
            snprintf(pos, sizeof pos, "%d:%d", line, col);
            where = pos;
        }
    }
    return xasprintf(" %-7s %-6s %s  %s%s%s", guard_severity_name(f->severity), where, f->rule,
                     f->message, *f->suggestion ? " — " : "", f->suggestion);
}

/* Draws the findings pane in lines [y, y + h). */
static void
draw_findings(struct tui *t, int y, int h)
{
    struct composer *c = composer_state(t);
    const struct guard_result *r = &c->findings;
    size_t counts[3] = {0};
    for (size_t i = 0; i < r->n; i++)
        counts[r->findings[i].severity]++;
    char head[160];
    if (r->n == 0)
        snprintf(head, sizeof head, "── findings: none ");
    else
        snprintf(head, sizeof head, "── findings: %zu error%s, %zu warning%s, %zu note%s ",
                 counts[GUARD_ERROR], counts[GUARD_ERROR] == 1 ? "" : "s",
                 counts[GUARD_WARNING], counts[GUARD_WARNING] == 1 ? "" : "s",
                 counts[GUARD_INFO], counts[GUARD_INFO] == 1 ? "" : "s");
    struct buf b = {0};
    buf_adds(&b, head);
    for (int x = text_width(head); x < COLS; x++)
        buf_adds(&b, "─");
    tui_put(y, 0, b.data, COLS, tui_attr(t, ROLE_HEADER));
    buf_free(&b);
    for (int i = 1; i < h && (size_t)(i - 1) < r->n; i++) {
        const struct guard_finding *f = &r->findings[i - 1];
        if (i == h - 1 && r->n > (size_t)(h - 1)) {
            char more[64];
            snprintf(more, sizeof more, " … and %zu more", r->n - (size_t)(h - 2));
            tui_put(y + i, 0, more, COLS, tui_attr(t, ROLE_DIM));
            break;
        }
        char *line = finding_line(c, f, missing_signature(t, editbuf_text(c->eb)) != NULL);
        enum tui_role role = f->severity == GUARD_ERROR     ? ROLE_URGENT
                             : f->severity == GUARD_WARNING ? ROLE_HIGH
                                                            : ROLE_NORMAL;
        tui_put_raw(y + i, 0, line, COLS, tui_attr(t, role));
        free(line);
    }
}

/* The finding whose span holds the cursor, or NULL. */
static const struct guard_finding *
finding_at_cursor(const struct composer *c)
{
    size_t pos = editbuf_cursor(c->eb);
    for (size_t i = 0; i < c->findings.n; i++) {
        const struct guard_finding *f = &c->findings.findings[i];
        if (f->source == GUARD_DRAFT && f->start <= pos && pos < f->end)
            return f;
        if (f->source == GUARD_DRAFT && f->start == f->end && f->start == pos)
            return f;
    }
    return NULL;
}

/* Where a finding is, for its panel ("at line 1, column 6", "in the signature added when
 * sent", "in the post answered"). Writes into out. */
static void
finding_where(const struct tui *t, const struct guard_finding *f, char *out, size_t cap)
{
    const struct composer *c = composer_state(t);
    size_t len = editbuf_len(c->eb);
    if (f->source == GUARD_CONTEXT) {
        snprintf(out, cap, "in the post answered");
    } else if (f->start >= len && f->end > f->start &&
               missing_signature(t, editbuf_text(c->eb)) != NULL) {
        snprintf(out, cap, "in the signature added when sent");
    } else {
        int line, col;
        guard_position(editbuf_text(c->eb), len, f->start < len ? f->start : len, &line, &col);
        snprintf(out, cap, "at line %d, column %d", line, col);
    }
}

/* What the office policy says about a finding's rule, for its panel, or NULL. */
static const char *
policy_note(const struct guard_finding *f)
{
    if (f->locked && f->approval)
        return "The office policy locked this rule; sending past it needs a second officer's "
               "approval.";
    if (f->locked)
        return "The office policy locked this rule.";
    if (f->approval)
        return "Sending past it needs a second officer's approval.";
    return NULL;
}

/* The lines of a finding's panel, wrapped to width columns. */
static void
explained_lines(struct tui *t, const struct guard_finding *f, int width, struct tui_lines *l)
{
    char where[64];
    finding_where(t, f, where, sizeof where);
    char *head = xasprintf("%s %s, %s", f->rule, guard_severity_name(f->severity), where);
    enum tui_role role = f->severity == GUARD_ERROR     ? ROLE_URGENT
                         : f->severity == GUARD_WARNING ? ROLE_HIGH
                                                        : ROLE_NORMAL;
    tui_lines_wrap(l, role, head, 0, width);
    free(head);
    tui_lines_add(l, ROLE_NORMAL, "");
    tui_lines_wrap(l, ROLE_NORMAL, f->message, 0, width);
    if (*f->suggestion) {
        tui_lines_add(l, ROLE_NORMAL, "");
        tui_lines_add(l, ROLE_HEADER, "Suggestion:");
        tui_lines_wrap(l, ROLE_NORMAL, f->suggestion, 2, width);
    }
    const char *note = policy_note(f);
    if (note) {
        tui_lines_add(l, ROLE_NORMAL, "");
        tui_lines_wrap(l, ROLE_DIM, note, 0, width);
    }
}

/* Draws finding f in full in a framed panel over the composer (explain-finding). */
static void
draw_explained(struct tui *t, const struct guard_finding *f)
{
    int w = COLS - 2 > 20 ? COLS - 2 : COLS, x = (COLS - w) / 2;
    struct tui_lines l = {0};
    explained_lines(t, f, w - 4, &l);
    int room = LINES - 4; /* lines for the panel, frame included, between bar and status */
    int h = (int)l.n + 2 < room ? (int)l.n + 2 : room, y = 1 + (room - h) / 2 + 1;
    attr_t frame = tui_attr(t, ROLE_HEADER);
    struct buf top = {0}, bottom = {0};
    buf_adds(&top, "┌─ Finding ");
    buf_adds(&bottom, "└");
    for (int i = 11; i < w - 1; i++)
        buf_adds(&top, "─");
    for (int i = 1; i < w - 1; i++)
        buf_adds(&bottom, "─");
    buf_adds(&top, "┐");
    buf_adds(&bottom, "┘");
    tui_put(y, x, top.data, w, frame);
    tui_put(y + h - 1, x, bottom.data, w, frame);
    buf_free(&top);
    buf_free(&bottom);
    for (int i = 1; i < h - 1; i++) {
        tui_put(y + i, x, "│", 1, frame);
        tui_put(y + i, x + 1, "", w - 2, tui_attr(t, ROLE_NORMAL));
        tui_put(y + i, x + w - 1, "│", 1, frame);
        size_t k = (size_t)(i - 1);
        bool cut = i == h - 2 && l.n > (size_t)(h - 2);
        if (k < l.n)
            tui_put(y + i, x + 2, cut ? "…" : l.v[k].text, w - 4, tui_attr(t, l.v[k].role));
    }
    tui_lines_free(&l);
}

/* The finding to explain: the one under the cursor, else the worst, the nearest the cursor
 * among equals (the draft's before the post's); -1 when there is none. */
static long
finding_to_explain(const struct composer *c)
{
    const struct guard_finding *at = finding_at_cursor(c);
    if (at)
        return at - c->findings.findings;
    size_t pos = editbuf_cursor(c->eb);
    long best = -1;
    size_t best_dist = 0;
    for (size_t i = 0; i < c->findings.n; i++) {
        const struct guard_finding *f = &c->findings.findings[i];
        size_t dist = f->source == GUARD_CONTEXT ? (size_t)-1
                      : f->start > pos           ? f->start - pos
                      : f->end < pos             ? pos - f->end
                                                 : 0;
        const struct guard_finding *b = best >= 0 ? &c->findings.findings[best] : NULL;
        if (b == NULL || f->severity > b->severity ||
            (f->severity == b->severity && dist < best_dist)) {
            best = (long)i;
            best_dist = dist;
        }
    }
    return best;
}

void
tui_composer_act_explain(struct tui *t, const struct tui_action *a)
{
    (void)a;
    struct composer *c = composer_state(t);
    if (c == NULL)
        return;
    if (c->checked != editbuf_version(c->eb))
        check(t);
    c->explained = finding_to_explain(c);
    if (c->explained < 0)
        tui_message(t, "no findings to explain");
}

void
tui_composer_draw(struct tui *t)
{
    struct composer *c = composer_state(t);
    if (c->checked != editbuf_version(c->eb))
        check(t);
    struct buf head = {0};
    buf_printf(&head, " Reply · draft %ld · thread %ld · %s · %s · %s", c->draft, c->thread,
               c->platform ? c->platform : "?", c->pattern ? c->pattern : "blank reply",
               c->state);
    tui_put_raw(0, 0, head.data, COLS, tui_attr(t, ROLE_BAR));
    buf_free(&head);
    int y = 1 + draw_context(t, 1);
    draw_counter_rule(t, y++);
    const char *sig = missing_signature(t, editbuf_text(c->eb));
    int fh = (int)c->findings.n + 1;
    int fmax = (LINES - y) / 3 > 2 ? (LINES - y) / 3 : 2;
    if (fh > fmax)
        fh = fmax;
    int h = LINES - 1 - y - fh - (sig ? 1 : 0);
    if (h < 1)
        h = 1;
    c->width = COLS - 2 > 1 ? COLS - 2 : 1; /* a column for the cursor after a full row */
    c->page = h;
    struct editbuf_row *rows;
    size_t n = editbuf_wrap(c->eb, c->width, &rows), crow;
    int ccol;
    editbuf_locate(c->eb, rows, n, editbuf_cursor(c->eb), &crow, &ccol);
    if (crow < c->top)
        c->top = crow;
    if (crow >= c->top + (size_t)h)
        c->top = crow - (size_t)h + 1;
    tui_compose_draw_rows(t, c->eb, rows, n, c->top, y, 1, h, 1, tui_attr(t, ROLE_NORMAL));
    free(rows);
    c->cy = y + (int)(crow - c->top);
    c->cx = 1 + ccol;
    if (sig) {
        char *line = xasprintf(" + signature, added when sent: %s", sig);
        tui_put_raw(y + h, 0, line, COLS, tui_attr(t, ROLE_DIM));
        free(line);
    }
    draw_findings(t, y + h + (sig ? 1 : 0), fh);
    char where[256];
    int line, col;
    guard_position(editbuf_text(c->eb), editbuf_len(c->eb), editbuf_cursor(c->eb), &line, &col);
    snprintf(where, sizeof where, "line %d col %d", line, col);
    if (c->explained >= 0 && (size_t)c->explained < c->findings.n) {
        draw_explained(t, &c->findings.findings[c->explained]);
        tui_status_draw(t, "COMPOSE", "any key closes");
        return;
    }
    c->explained = -1;
    const struct guard_finding *f = finding_at_cursor(c);
    if (f && t->message[0] == '\0') {
        snprintf(t->message, sizeof t->message, "%s: %s [%s]", guard_severity_name(f->severity),
                 f->message, f->rule);
        t->message_error = f->severity == GUARD_ERROR;
        tui_status_draw(t, "COMPOSE", where);
        t->message[0] = '\0';
        t->message_error = 0;
        return;
    }
    tui_status_draw(t, "COMPOSE", where);
}

void
tui_composer_cursor(struct tui *t)
{
    if (composer_state(t)->explained >= 0) {
        curs_set(0);
        return;
    }
    curs_set(1);
    move(composer_state(t)->cy, composer_state(t)->cx);
}

/* ---- editing ---- */

/* Inserts what a key typed. */
static void
insert(struct tui *t, const char *s, size_t n)
{
    int flags = editbuf_insert(composer_state(t)->eb, s, n);
    if (flags & EDITBUF_FULL)
        tui_error(t, "the reply is at its limit of %d bytes", DRAFT_MAX_BODY);
}

/* Any key closes the finding's panel, and does no more. */
static int
composer_screen_key(struct tui *t, int key)
{
    (void)key;
    if (composer_state(t)->explained < 0)
        return 0;
    composer_state(t)->explained = -1;
    return 1;
}

/* Types a character no composer binding took. */
static void
composer_screen_type(struct tui *t, int key)
{
    utf8proc_uint8_t buf[8];
    utf8proc_ssize_t n = utf8proc_encode_char(key, buf);
    if (n > 0)
        insert(t, (const char *)buf, (size_t)n);
}

struct editbuf *
tui_composer_editbuf(struct tui *t)
{
    return composer_state(t) ? composer_state(t)->eb : NULL;
}

void
tui_composer_act_next_line(struct tui *t, const struct tui_action *a)
{
    (void)a;
    struct composer *c = composer_state(t);
    if (c)
        editbuf_move_rows(c->eb, c->width, 1);
}

void
tui_composer_act_previous_line(struct tui *t, const struct tui_action *a)
{
    (void)a;
    struct composer *c = composer_state(t);
    if (c)
        editbuf_move_rows(c->eb, c->width, -1);
}

/* Moves the cursor a page (the text's lines on screen, less one) down, or up with dir -1. */
static void
move_page(struct tui *t, long dir)
{
    struct composer *c = composer_state(t);
    if (c == NULL)
        return;
    long page = c->page > 2 ? c->page - 1 : 1;
    editbuf_move_rows(c->eb, c->width, dir * page);
}

void
tui_composer_act_page_down(struct tui *t, const struct tui_action *a)
{
    (void)a;
    move_page(t, 1);
}

void
tui_composer_act_page_up(struct tui *t, const struct tui_action *a)
{
    (void)a;
    move_page(t, -1);
}

void
tui_composer_act_newline(struct tui *t, const struct tui_action *a)
{
    (void)a;
    if (composer_state(t))
        insert(t, "\n", 1);
}

/* ---- the external editor ---- */

/* Writes the text to a new private file; returns its path (newly allocated) or NULL. */
static char *
write_temp(const char *text, char **err)
{
    const char *dir = getenv("TMPDIR");
    char *path = xasprintf("%s/tactful-draft-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path); /* mode 0600 */
    if (fd < 0) {
        *err = xasprintf("cannot create a file for the editor in %s: %s",
                         dir && *dir ? dir : "/tmp", strerror(errno));
        free(path);
        return NULL;
    }
    size_t len = strlen(text), off = 0;
    while (off < len) {
        ssize_t w = write(fd, text + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    int bad = off < len || (len && text[len - 1] != '\n' && write(fd, "\n", 1) != 1);
    int e = errno;
    if (close(fd) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    if (bad) {
        *err = file_write_error(path, e); /* a full disk says so */
        unlink(path);
        free(path);
        return NULL;
    }
    return path;
}

/* Reads the file back, at most DRAFT_MAX_BODY bytes, without its final newlines; sets *cut
 * when it was longer. Returns the text or NULL with *err set. */
static char *
read_back(const char *path, int *cut, char **err)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW);
    if (fd < 0) {
        *err = xasprintf("cannot read the edited text back: %s", strerror(errno));
        return NULL;
    }
    char *data = xmalloc(DRAFT_MAX_BODY + 2);
    size_t n = 0;
    for (;;) {
        ssize_t r = read(fd, data + n, DRAFT_MAX_BODY + 1 - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        n += (size_t)r;
        if (n > DRAFT_MAX_BODY)
            break;
    }
    close(fd);
    *cut = n > DRAFT_MAX_BODY;
    if (*cut)
        n = DRAFT_MAX_BODY;
    while (n && (data[n - 1] == '\n' || data[n - 1] == '\r'))
        n--;
    data[n] = '\0';
    return data;
}

/* Runs argv with the terminal handed over and waits for it; returns its exit status, or -1
 * with *err set when it could not start. */
static int
run_editor(char **argv, char **err)
{
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t def;
    sigemptyset(&def);
    sigaddset(&def, SIGINT);
    sigaddset(&def, SIGQUIT);
    sigaddset(&def, SIGTERM);
    sigaddset(&def, SIGHUP);
    posix_spawnattr_setsigdefault(&attr, &def);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF);
    /* Like system(): C-c in the editor is the editor's, not a reason for us to stop. */
    struct sigaction ign, old_int, old_quit;
    memset(&ign, 0, sizeof ign);
    ign.sa_handler = SIG_IGN;
    sigemptyset(&ign.sa_mask);
    sigaction(SIGINT, &ign, &old_int);
    sigaction(SIGQUIT, &ign, &old_quit);
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], NULL, &attr, argv, environ);
    posix_spawnattr_destroy(&attr);
    int status = -1;
    if (rc != 0) {
        *err = xasprintf("cannot run the editor %s: %s", argv[0], strerror(rc));
    } else {
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
        status = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
    }
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGQUIT, &old_quit, NULL);
    return status;
}

void
tui_composer_act_editor(struct tui *t, const struct tui_action *a)
{
    (void)a;
    struct composer *c = composer_state(t);
    if (c == NULL)
        return;
    const char *editor = getenv("VISUAL");
    if (editor == NULL || *editor == '\0')
        editor = getenv("EDITOR");
    if (editor == NULL || *editor == '\0')
        editor = "vi";
    char *err = NULL;
    char *path = write_temp(editbuf_text(c->eb), &err);
    if (path == NULL) {
        tui_error_take(t, NULL, err);
        return;
    }
    char **argv = tui_url_argv(editor, path);
    if (argv == NULL) {
        unlink(path);
        free(path);
        tui_error(t, "the editor setting ($VISUAL or $EDITOR) names no program");
        return;
    }
    def_prog_mode();
    endwin();
    int status = run_editor(argv, &err);
    tui_url_argv_free(argv);
    reset_prog_mode();
    clearok(curscr, TRUE);
    if (status != 0) {
        unlink(path);
        free(path);
        if (err)
            tui_error_take(t, NULL, err);
        else
            tui_error(t, "the editor exited with status %d; the draft is unchanged", status);
        return;
    }
    int cut = 0;
    char *text = read_back(path, &cut, &err);
    unlink(path);
    free(path);
    if (text == NULL) {
        tui_error_take(t, NULL, err);
        return;
    }
    int flags = editbuf_set_text(c->eb, text, strlen(text));
    free(text);
    save(t);
    check(t);
    size_t n = c->findings.n;
    if (cut || (flags & EDITBUF_FULL))
        tui_error(t, "the edited text was longer than %d bytes and was cut", DRAFT_MAX_BODY);
    else
        tui_message(t, "back from the editor%s: %zu finding%s", flags & EDITBUF_CLEANED ?
                    " (control characters removed)" : "", n, n == 1 ? "" : "s");
}

/* ---- submitting ---- */

static void submit(struct tui *t);

/* Asks for the reason to send past the next blocking rule. */
static void
ask_reason(struct tui *t);

/* Takes the reason for the rule being asked about, then asks the next or submits. */
static void
reason_given(struct tui *t, const char *text)
{
    struct composer *c = composer_state(t);
    if (c == NULL || c->asked >= c->nrules)
        return;
    if (*text == '\0') {
        overrides_clear(c);
        tui_message(t, "not submitted; an override needs a reason");
        return;
    }
    c->reasons[c->asked++] = xstrdup(text);
    if (c->asked < c->nrules)
        ask_reason(t);
    else
        submit(t);
}

static void
ask_reason(struct tui *t)
{
    struct composer *c = composer_state(t);
    char *label = xasprintf("reason to send past %s (%zu of %zu; Esc cancels)",
                            c->rules[c->asked], c->asked + 1, c->nrules);
    struct prompt_spec spec = {
        .label = label,
        .hint = "the policy decides which reasons are accepted; the reason is audited",
        .done = reason_given,
    };
    tui_prompt_open(t, &spec);
    free(label);
}

/* Splits the ", "-separated blocking rules into the override prompts' list. */
static void
start_overrides(struct composer *c, const char *blocking)
{
    overrides_clear(c);
    const char *s = blocking;
    while (*s && c->nrules < DRAFT_MAX_OVERRIDES) {
        size_t n = strcspn(s, ",");
        c->rules = xreallocarray(c->rules, c->nrules + 1, sizeof *c->rules);
        c->rules[c->nrules++] = xstrndup(s, n);
        s += n;
        while (*s == ',' || *s == ' ')
            s++;
    }
    c->reasons = xcalloc(c->nrules ? c->nrules : 1, sizeof *c->reasons);
}

/* What became of a submission, said and acted on. */
static void
outcome(struct tui *t, const struct draft_submission *res)
{
    struct composer *c = composer_state(t);
    long id = c->draft;
    if (res->outcome == DRAFT_REFUSED && res->held && res->held[0]) {
        tui_error(t, "draft %ld not submitted: the guardrails could not check it to the end "
                  "(%s), and no override passes that; shorten or split the reply", id,
                  res->held);
        return;
    }
    if (res->outcome == DRAFT_REFUSED) {
        start_overrides(c, res->blocking);
        tui_error(t, "draft %ld not submitted: an error stands (%s); give a reason to "
                  "override it, or Esc and change the text", id, res->blocking);
        if (c->nrules)
            ask_reason(t);
        return;
    }
    overrides_clear(c);
    c->saved = editbuf_version(c->eb); /* submitted: nothing more to save */
    tui_composer_close(t);
    if (res->outcome == DRAFT_PENDING)
        tui_message(t, "draft %ld waits for approval (%s): another officer approves it in "
                    "the approvals view or with `tactful approve %ld`", id, res->why_approval,
                    id);
    else if (t->opts->offline)
        tui_message(t, "draft %ld is in the outbox (entry %ld); offline, it waits there until "
                    "sent online", id, res->outbox_id);
    else if (t->opts->autosend)
        tui_message(t, "draft %ld is in the outbox (entry %ld); sending it", id,
                    res->outbox_id);
    else
        tui_message(t, "draft %ld is in the outbox (entry %ld); S or `tactful outbox send` "
                    "sends it", id, res->outbox_id);
    tui_refresh_data(t, TUI_RELOAD_ALL);
    if (res->outcome == DRAFT_QUEUED)
        tui_outbox_autosend(t);
}

/* Submits the draft with the overrides given so far. */
static void
submit(struct tui *t)
{
    struct composer *c = composer_state(t);
    if (t->opts->guard == NULL) {
        tui_error(t, "the guardrails are not loaded; submit with `tactful submit %ld`",
                  c->draft);
        return;
    }
    const char *sig = missing_signature(t, editbuf_text(c->eb));
    if (sig) {
        char *signed_text = as_sent(t, editbuf_text(c->eb));
        editbuf_set_text(c->eb, signed_text, strlen(signed_text));
        free(signed_text);
    }
    if (save(t) != 0)
        return;
    const char *left = draft_placeholder_left(editbuf_text(c->eb));
    if (left) {
        overrides_clear(c);
        tui_error(t, "the reply still holds %s; replace it before submitting", left);
        return;
    }
    struct draft_override ov[DRAFT_MAX_OVERRIDES];
    size_t no = 0;
    for (size_t i = 0; i < c->asked && i < c->nrules; i++)
        ov[no++] = (struct draft_override){c->rules[i], c->reasons[i]};
    const struct pattern *p =
        c->pattern && t->opts->patterns ? pattern_find(t->opts->patterns, c->pattern) : NULL;
    struct draft_check chk = {.guard = t->opts->guard, .pattern_approval = p && p->approval,
                              .overrides = ov, .noverrides = no, .today = t->opts->today};
    struct draft_submission res;
    memset(&res, 0, sizeof res);
    char *err = NULL;
    if (draft_submit(t->db, t->opts->officer, c->draft, &chk, &res, &err) != 0) {
        overrides_clear(c);
        tui_error_take(t, "not submitted", err);
        return;
    }
    outcome(t, &res);
    draft_submission_free(&res);
}

void
tui_composer_act_submit(struct tui *t, const struct tui_action *a)
{
    (void)a;
    if (composer_state(t) == NULL)
        return;
    overrides_clear(composer_state(t));
    submit(t);
}

/* ---- the screen ---- */

const struct tui_screen tui_composer_screen = {
    .ctx = KM_COMPOSER,
    .draw = tui_composer_draw,
    .close = tui_composer_leave,
    .free = tui_composer_close,
    .live = composer_screen_live,
    .key = composer_screen_key,
    .type = composer_screen_type,
    .idle = tui_composer_idle,
    .cursor = tui_composer_cursor,
};
