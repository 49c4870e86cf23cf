/* The ready-reckoner: a panel beside the thread view listing the response patterns by key,
 * with the selected one's purpose, when to use it and when not, and its template for the
 * thread's platform previewed filled in ({author} of the post answered, {topic}, {link},
 * {signature}). A number key picks a pattern; Enter makes a draft of the preview and opens
 * the composer; another key starts a blank reply. Opening it warns when another officer is
 * at work on the thread, and offers to resume a draft of one's own instead. */
#include "tui/internal.h"

#include "model/draft.h"
#include "model/guard.h"
#include "model/pattern.h"
#include "model/text.h"
#include "model/thread.h"
#include "model/upstream.h"
#include "model/xmalloc.h"
#include "tui/editbuf.h"
#include "tui/list.h"
#include "tui/composer.h"
#include "tui/draw.h"
#include "tui/prompt.h"
#include "tui/reckoner.h"
#include "tui/thread.h"

#include <stdlib.h>
#include <string.h>

struct reckoner {
    long thread;
    char *in_reply_to;          /* remote id of the post answered */
    char *platform, *author, *topic;
    char *busy;                 /* draft_busy's warning, or NULL */
    size_t order[PATTERN_MAX];  /* pattern indexes by key */
    size_t n;
    struct tui_list list;       /* the cursor on the selected pattern: an index into order */
    struct guard_suggestions suggested; /* patterns the suggest rules propose for the post */
};

/* This file's state in the interface (tui/screen_list.h), or NULL when there is none. */
static inline struct reckoner *
reckoner_state(const struct tui *t)
{
    return TUI_STATE(t, reckoner);
}

/* Frees a reckoner. */
static void
reckoner_free(struct reckoner *r)
{
    if (r == NULL)
        return;
    free(r->in_reply_to);
    free(r->platform);
    free(r->author);
    free(r->topic);
    free(r->busy);
    guard_suggestions_free(&r->suggested);
    free(r);
}

int
tui_reckoner_showing(struct tui *t)
{
    return reckoner_state(t) != NULL;
}

void
tui_reckoner_close(struct tui *t)
{
    reckoner_free(reckoner_state(t));
    TUI_STATE(t, reckoner) = NULL;
}

/* Sorts the patterns by key (those without one last) into r->order. */
static void
order_patterns(struct reckoner *r, const struct pattern_set *set)
{
    r->n = 0;
    for (int key = 1; key <= 10; key++)
        for (size_t i = 0; i < set->n; i++)
            if ((key <= 9 && set->items[i].key == key) ||
                (key == 10 && (set->items[i].key < 1 || set->items[i].key > 9)))
                r->order[r->n++] = i;
    r->list.n = (long)r->n;
}

/* The pattern selected, or NULL. */
static const struct pattern *
selected(const struct tui *t)
{
    const struct reckoner *r = reckoner_state(t);
    if (r == NULL || r->n == 0 || t->opts->patterns == NULL)
        return NULL;
    return &t->opts->patterns->items[r->order[r->list.cur]];
}

/* Asks the guardrails which patterns fit the post answered (text), for the markers. */
static void
suggest_for(struct tui *t, struct reckoner *r, const char *text)
{
    if (t->opts->guard == NULL || text == NULL)
        return;
    char *err = NULL;
    if (guard_suggest(t->opts->guard, text, strlen(text), &r->suggested, &err) != 0)
        tui_error_take(t, "cannot suggest patterns for the post", err);
}

/* The suggestion for pattern id, or NULL when the rules do not suggest it. */
static const struct guard_suggestion *
suggestion_of(const struct reckoner *r, const char *id)
{
    for (size_t i = 0; i < r->suggested.n; i++)
        if (strcmp(r->suggested.v[i].pattern, id) == 0)
            return &r->suggested.v[i];
    return NULL;
}

/* Opens the panel for the post selected in the thread view. */
static void
open_panel(struct tui *t)
{
    const struct thread_row *info = tui_thread_info(t);
    const struct thread_post *p = tui_thread_reply_post(t);
    if (info == NULL)
        return;
    char *refusal = NULL, *rerr = NULL;
    int refused = upstream_reply_refused(t->db, info->id, p ? p->remote_id : NULL, &refusal,
                                         &rerr);
    if (refused != 0) {
        if (refused > 0)
            tui_error(t, "no reply: %s", refusal);
        else
            tui_error_take(t, "cannot tell whether the post can be answered", rerr);
        free(refusal);
        return;
    }
    struct reckoner *r = xcalloc(1, sizeof *r);
    r->thread = info->id;
    r->platform = xstrdup(info->platform ? info->platform : "");
    r->topic = info->topic ? xstrdup(info->topic) : NULL;
    if (p) {
        r->in_reply_to = xstrdup(p->remote_id);
        r->author = xstrdup(p->author);
        suggest_for(t, r, p->text);
    }
    if (t->opts->patterns)
        order_patterns(r, t->opts->patterns);
    char *why = NULL, *err = NULL;
    int busy = draft_busy(t->db, t->opts->officer, r->thread, &why, &err);
    if (busy == 1)
        r->busy = why;
    else if (busy < 0)
        tui_error_take(t, "cannot tell whether others are at work on the thread", err);
    tui_reckoner_close(t);
    TUI_STATE(t, reckoner) = r;
}

/* Answers the resume question: a draft's number resumes it; "new" opens the panel. */
static void
resume_answered(struct tui *t, const char *text)
{
    if (tui_thread_id(t) == 0)
        return;
    if (*text == '\0') {
        tui_message(t, "cancelled");
        return;
    }
    if (strcmp(text, "new") == 0) {
        open_panel(t);
        return;
    }
    char *end;
    long id = strtol(text + (strncmp(text, "draft ", 6) == 0 ? 6 : 0), &end, 10);
    if (id <= 0 || (*end != '\0' && *end != ' ')) {
        tui_error(t, "'%s' is neither a draft of yours here nor new", text);
        return;
    }
    tui_composer_open_draft(t, id);
}

void
tui_reckoner_act_reply(struct tui *t, const struct tui_action *a)
{
    (void)a;
    const struct thread_row *info = tui_thread_info(t);
    if (info == NULL)
        return;
    if (t->opts->patterns == NULL || t->opts->guard == NULL) {
        tui_error(t, "replying needs the patterns and the guardrails, which are not loaded");
        return;
    }
    struct draft *drafts = NULL;
    size_t n = 0;
    char *err = NULL;
    if (draft_list(t->db, info->id, NULL, &drafts, &n, &err) != 0) {
        tui_error_take(t, "cannot read the thread's drafts", err);
        return;
    }
    /* Drafts of ours still being written: offer them first. */
    char *choices[9];
    size_t nc = 0;
    for (size_t i = 0; i < n && nc < 8; i++)
        if (strcmp(drafts[i].officer, t->opts->officer) == 0 &&
            (strcmp(drafts[i].state, "editing") == 0 || strcmp(drafts[i].state, "returned") == 0))
            choices[nc++] = xasprintf("draft %ld %s", drafts[i].id, drafts[i].state);
    draft_list_free(drafts, n);
    if (nc == 0) {
        open_panel(t);
        return;
    }
    choices[nc++] = xstrdup("new");
    struct prompt_spec spec = {
        .label = "resume your draft, or new",
        .hint = NULL,
        .initial = NULL,
        .choices = (const char *const *)choices,
        .nchoices = nc,
        .instant = 1,
        .done = resume_answered,
    };
    tui_prompt_open(t, &spec);
    for (size_t i = 0; i < nc; i++)
        free(choices[i]);
}

/* The selected pattern's template filled in for this thread, newly allocated, or NULL. */
static char *
preview(const struct tui *t, const struct pattern *p)
{
    const struct reckoner *r = reckoner_state(t);
    struct pattern_vars v = {
        .author = r->author,
        .topic = r->topic,
        .link = NULL, /* the officer fills {link} in */
        .signature = t->opts->signature,
    };
    return pattern_render(p, r->platform, &v);
}

/* Draws wrapped text in [y, y + h) of the panel at x, w columns; returns the lines used. */
static int
draw_wrapped(struct tui *t, const char *text, int y, int x, int w, int h, attr_t attr)
{
    if (h <= 0)
        return 0;
    struct editbuf *eb = editbuf_new(DRAFT_MAX_BODY);
    editbuf_load(eb, text, strlen(text));
    struct editbuf_row *rows;
    size_t n = editbuf_wrap(eb, w, &rows);
    int used = n < (size_t)h ? (int)n : h;
    for (int i = 0; i < used; i++)
        tui_put(y + i, x, "", w, attr);
    tui_compose_draw_rows(t, eb, rows, n, 0, y, x, used, 0, attr);
    free(rows);
    editbuf_free(eb);
    return used;
}

/* The keys bound to action name in the reckoner, for the hint line. */
static void
keys_of(struct tui *t, const char *name, char *out, size_t cap)
{
    const struct tui_action *a = tui_action_find(KM_RECKONER, name);
    if (a == NULL || keymap_keys_for(t->opts->keymap, KM_RECKONER, a, out, cap) == 0)
        snprintf(out, cap, "(unbound)");
}

/* Draws the line under the list naming the suggested patterns by key, best first ("*
 * suggested for this post: 6 exploratory, 4 signposting"); returns the lines used. */
static int
draw_suggested(struct tui *t, int y, int x, int w)
{
    const struct reckoner *r = reckoner_state(t);
    if (r->suggested.n == 0)
        return 0;
    struct buf b = {0};
    buf_adds(&b, "* suggested for this post:");
    for (size_t i = 0; i < r->suggested.n; i++) {
        const struct pattern *p = pattern_find(t->opts->patterns, r->suggested.v[i].pattern);
        if (p && p->key >= 1 && p->key <= 9)
            buf_printf(&b, "%s %d %s", i ? "," : "", p->key, p->id);
        else
            buf_printf(&b, "%s %s", i ? "," : "", r->suggested.v[i].pattern);
    }
    int used = draw_wrapped(t, b.data, y, x, w, 2, tui_attr(t, ROLE_OURS));
    buf_free(&b);
    return used;
}

void
tui_reckoner_draw(struct tui *t)
{
    struct reckoner *r = reckoner_state(t);
    int w = COLS >= 100 ? COLS / 2 : COLS * 3 / 5;
    if (w < 40)
        w = COLS;
    int x = COLS - w, h = LINES - 1, y = 1;
    for (int i = 1; i < h; i++)
        tui_put(i, x, "", w, tui_attr(t, ROLE_NORMAL));
    if (x > 0)
        for (int i = 1; i < h; i++)
            tui_put(i, x, "│", 1, tui_attr(t, ROLE_DIM));
    int cx = x + 2, cw = w - 3;
    char *title = xasprintf("Ready-reckoner · reply to %s", r->author ? r->author : "the thread");
    tui_put_raw(y++, cx, title, cw, tui_attr(t, ROLE_HEADER));
    free(title);
    if (r->busy) {
        char *warn = xasprintf("warning: %s", r->busy);
        y += draw_wrapped(t, warn, y, cx, cw, 2, tui_attr(t, ROLE_URGENT));
        free(warn);
    }
    const struct pattern_set *set = t->opts->patterns;
    tui_list_set_page(&r->list, h - 8 - y);
    for (size_t i = (size_t)r->list.top; i < r->n && y < h - 8; i++) {
        const struct pattern *p = &set->items[r->order[i]];
        char key[4] = " ";
        if (p->key >= 1 && p->key <= 9)
            key[0] = (char)('0' + p->key);
        char *line = xasprintf("%s%s%-16s %s", key, suggestion_of(r, p->id) ? "*" : " ",
                               p->id, p->purpose ? p->purpose : "");
        enum tui_role role = (long)i == r->list.cur ? ROLE_CURSOR : ROLE_NORMAL;
        tui_put_raw(y++, cx, line, cw, tui_attr(t, role));
        free(line);
    }
    y += draw_suggested(t, y, cx, cw);
    const struct pattern *p = selected(t);
    if (p) {
        y++;
        struct buf b = {0};
        buf_printf(&b, "%s", p->name ? p->name : p->id);
        if (p->approval)
            buf_adds(&b, " · needs approval");
        if (p->expect_link)
            buf_adds(&b, " · needs a link");
        if (p->expect_source)
            buf_adds(&b, " · needs an official source");
        tui_put_raw(y++, cx, b.data, cw, tui_attr(t, ROLE_HEADER));
        buf_free(&b);
        const struct guard_suggestion *sg = suggestion_of(r, p->id);
        if (sg) {
            char *why = xasprintf("suggested: the post %s", sg->reason);
            y += draw_wrapped(t, why, y, cx, cw, 2, tui_attr(t, ROLE_OURS));
            free(why);
        }
        if (p->use_when) {
            char *s = xasprintf("use when: %s", p->use_when);
            y += draw_wrapped(t, s, y, cx, cw, 2, tui_attr(t, ROLE_NORMAL));
            free(s);
        }
        if (p->avoid_when && y < h - 3) {
            char *s = xasprintf("not when: %s", p->avoid_when);
            y += draw_wrapped(t, s, y, cx, cw, 2, tui_attr(t, ROLE_NORMAL));
            free(s);
        }
        char *text = preview(t, p);
        if (y < h - 3) {
            char *head = xasprintf("preview (%s):", r->platform);
            tui_put_raw(y++, cx, head, cw, tui_attr(t, ROLE_DIM));
            free(head);
            y += draw_wrapped(t, text ? text : "(this pattern has no template)", y, cx + 1,
                              cw - 1, h - 2 - y, tui_attr(t, ROLE_OURS));
        }
        free(text);
    }
    char ins[64], blank[64], close[64];
    keys_of(t, "insert", ins, sizeof ins);
    keys_of(t, "blank", blank, sizeof blank);
    keys_of(t, "close", close, sizeof close);
    char *hint = xasprintf("digit picks · %s insert · %s blank reply · %s close", ins, blank,
                           close);
    tui_put(h - 1, cx, hint, cw, tui_attr(t, ROLE_DIM));
    free(hint);
    tui_status_draw(t, "REPLY", "pick a pattern");
}

void
tui_reckoner_act_pick(struct tui *t, const struct tui_action *a)
{
    struct reckoner *r = reckoner_state(t);
    if (r == NULL)
        return;
    int key = atoi(a->arg);
    for (size_t i = 0; i < r->n; i++)
        if (t->opts->patterns->items[r->order[i]].key == key) {
            tui_list_move(t, &r->list, (long)i);
            return;
        }
    tui_message(t, "no pattern has the key %d", key);
}

/* Creates a draft of body in pattern (NULL: blank) and opens it in the composer. */
static void
compose(struct tui *t, const char *pattern, const char *body)
{
    struct reckoner *r = reckoner_state(t);
    long id = 0;
    char *err = NULL;
    if (draft_create(t->db, t->opts->officer, r->thread, r->in_reply_to, pattern, body, &id,
                     &err) != 0) {
        tui_error_take(t, "cannot create the draft", err);
        return;
    }
    tui_reckoner_close(t);
    tui_composer_open_draft(t, id);
}

void
tui_reckoner_act_insert(struct tui *t, const struct tui_action *a)
{
    (void)a;
    const struct pattern *p = selected(t);
    if (p == NULL)
        return;
    char *text = preview(t, p);
    compose(t, p->id, text ? text : "");
    free(text);
}

void
tui_reckoner_act_blank(struct tui *t, const struct tui_action *a)
{
    (void)a;
    if (reckoner_state(t))
        compose(t, NULL, "");
}

struct tui_list *
tui_reckoner_list(struct tui *t)
{
    return reckoner_state(t) ? &reckoner_state(t)->list : NULL;
}
