/* The help overlay: the keys in force on the current screen, generated from the keymap and
 * the action table each time it opens, so it cannot drift from what the keys really do. */
#include "tui/internal.h"

#include "model/text.h"
#include "model/xmalloc.h"
#include "tui/list.h"
#include "tui/draw.h"
#include "tui/help.h"
#include "tui/inbox.h"
#include "tui/sync.h"

#include <stdlib.h>
#include <string.h>

/* Appends the names of the keys that run action a on a screen of context ctx, as bound in
 * bctx: global bindings that the screen's own bindings shadow are left out. */
static void
keys_of(const struct keymap *km, enum keymap_context ctx, enum keymap_context bctx,
        const struct tui_action *a, struct buf *out)
{
    for (size_t i = 0; i < km->n; i++) {
        const struct keymap_binding *b = &km->bindings[i];
        if (b->ctx != bctx || b->action != a)
            continue;
        if (bctx == KM_GLOBAL && ctx != KM_GLOBAL && keymap_lookup(km, ctx, b->key))
            continue;
        if (bctx == KM_GLOBAL && ctx == KM_COMPOSER && keymap_key_typed(b->key))
            continue; /* in the composer, characters type themselves */
        char name[KEYMAP_NAME_MAX];
        keymap_key_name(b->key, name);
        buf_printf(out, "%s%s", out->len ? ", " : "", name);
    }
}

/* One line of the overlay: keys (NULL for a line of plain text) and the text. */
struct help_line {
    char *keys;
    char *text;
    enum tui_role role;
};

/* Appends a line to the overlay; takes keys (may be NULL) and text. */
static void
add_keys(struct help_line **lines, size_t *n, enum tui_role role, char *keys, char *text)
{
    *lines = xreallocarray(*lines, *n + 1, sizeof **lines);
    (*lines)[*n].keys = keys;
    (*lines)[*n].text = text;
    (*lines)[*n].role = role;
    (*n)++;
}

/* Appends a line of plain text; takes text. */
static void
add_line(struct help_line **lines, size_t *n, enum tui_role role, char *text)
{
    add_keys(lines, n, role, NULL, text);
}

/* Appends the section of actions of context bctx (for a screen of context ctx), titled from
 * the context table; actions with no key are collected in unbound. */
static void
add_section(struct tui *t, enum keymap_context ctx, enum keymap_context bctx,
            struct help_line **lines, size_t *n, struct buf *unbound)
{
    add_line(lines, n, ROLE_HEADER, keymap_context_title(bctx, 0));
    for (const struct tui_action *a = tui_actions; a->name; a++) {
        if (!tui_action_in(a, bctx))
            continue;
        struct buf keys = {0};
        keys_of(t->opts->keymap, ctx, bctx, a, &keys);
        if (keys.len == 0) {
            buf_printf(unbound, "%s%s", unbound->len ? ", " : "", a->name);
            buf_free(&keys);
            continue;
        }
        add_keys(lines, n, ROLE_NORMAL, buf_take(&keys), xasprintf("%s  (%s)", a->help, a->name));
    }
    add_line(lines, n, ROLE_NORMAL, xstrdup(""));
}

/* The first key bound to action name in the help overlay, or "" when none is. */
static void
help_key(const struct keymap *km, const char *name, char *out, size_t cap)
{
    out[0] = '\0';
    const struct tui_action *a = tui_action_find(KM_HELP, name);
    if (a == NULL || keymap_keys_for(km, KM_HELP, a, out, cap) == 0)
        out[0] = '\0';
    out[strcspn(out, ",")] = '\0';
}

/* The title line, with the keys that scroll and close the overlay as bound. */
static char *
title_line(const struct keymap *km, const char *name)
{
    char down[KEYMAP_NAME_MAX * 4], up[KEYMAP_NAME_MAX * 4];
    help_key(km, "down", down, sizeof down);
    help_key(km, "up", up, sizeof up);
    struct buf b = {0};
    buf_printf(&b, " tactful keys · %s", name);
    if (*down && *up)
        buf_printf(&b, " · %s/%s scroll", down, up);
    buf_adds(&b, " · any other key goes back");
    return buf_take(&b);
}

/* The line saying how to quit tactful from this screen (ctx), from the keys in force, so the
 * first page says it whatever the keymap. */
static char *
quit_line(const struct keymap *km, enum keymap_context ctx)
{
    const struct tui_action *quit = tui_action_find(KM_GLOBAL, "quit");
    struct buf here = {0}, inbox = {0};
    char *line;
    if (quit)
        keys_of(km, ctx, KM_GLOBAL, quit, &here);
    if (quit && here.len == 0 && ctx != KM_INBOX)
        keys_of(km, KM_INBOX, KM_GLOBAL, quit, &inbox);
    if (here.len)
        line = xasprintf("  To quit tactful: %s, once this help is closed.", here.data);
    else if (inbox.len)
        line = xasprintf("  To quit tactful: go back to the inbox, then %s.", inbox.data);
    else
        line = xstrdup("  No key quits tactful: bind one to quit (see tactful(5)).");
    buf_free(&here);
    buf_free(&inbox);
    return line;
}

/* Builds every line of the overlay for the current screen. */
static struct help_line *
build(struct tui *t, size_t *n)
{
    struct help_line *lines = NULL;
    struct buf unbound = {0}, files = {0};
    enum keymap_context ctx = tui_context(t);
    *n = 0;
    const struct keymap *km = t->opts->keymap;
    add_line(&lines, n, ROLE_BAR, title_line(km, keymap_context_screen(ctx)));
    add_line(&lines, n, ROLE_HEADER, quit_line(km, ctx));
    /* Each account's last sync, result and reason (tui/sync.c), display-safe already. */
    char acct[TUI_SYNC_REASON_MAX + 160];
    for (size_t i = 0; tui_sync_account_line(t, i, acct, sizeof acct) == 0; i++) {
        if (i == 0)
            add_line(&lines, n, ROLE_HEADER, xstrdup("Each account's last sync"));
        add_line(&lines, n, ROLE_NORMAL, xasprintf("  %s", acct));
    }
    /* Where the bindings came from, one file a line, in the order they were read. */
    for (size_t i = 0; i < km->n; i++) {
        const char *f = km->bindings[i].file;
        if (f == NULL || *f == '\0' || (files.data && strstr(files.data, f)))
            continue;
        buf_printf(&files, "%s\n", f);
        add_line(&lines, n, ROLE_DIM, xasprintf("  %s %s", files.len == strlen(f) + 1 ?
                                                "from" : " and", f));
    }
    add_line(&lines, n, ROLE_NORMAL, xstrdup(""));
    add_section(t, ctx, ctx, &lines, n, &unbound);
    if (ctx == KM_COMPOSER)
        add_line(&lines, n, ROLE_DIM, xstrdup("  Every other character types itself."));
    if (ctx == KM_INBOX) {
        add_line(&lines, n, ROLE_HEADER, xstrdup("Marks in the inbox"));
        add_line(&lines, n, ROLE_NORMAL, xstrdup("  * unread since last opened   + selected"));
        char mark;
        const char *what;
        for (size_t i = 0; (what = tui_inbox_mark(i, &mark)) != NULL; i++)
            add_line(&lines, n, ROLE_NORMAL, xasprintf("  %c %s", mark, what));
        add_line(&lines, n, ROLE_NORMAL, xstrdup(""));
    }
    add_section(t, ctx, KM_GLOBAL, &lines, n, &unbound);
    add_section(t, KM_PROMPT, KM_PROMPT, &lines, n, &unbound);
    add_line(&lines, n, ROLE_DIM,
             xstrdup("  A digit picks a listed choice at once; other characters type "
                     "themselves."));
    if (unbound.len) {
        add_line(&lines, n, ROLE_NORMAL, xstrdup(""));
        add_line(&lines, n, ROLE_HEADER, xstrdup("Not bound to any key (see tactful(5))"));
        add_line(&lines, n, ROLE_DIM, xasprintf("  %s", unbound.data));
    }
    buf_free(&unbound);
    buf_free(&files);
    return lines;
}

/* Frees the overlay's lines. */
static void
lines_free(struct help_line *lines, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(lines[i].keys);
        free(lines[i].text);
    }
    free(lines);
}

struct help {
    struct tui_list list; /* the lines below the title; bare: the keys scroll them */
};

/* This file's state in the interface (tui/screen_list.h), or NULL when there is none. */
static inline struct help *
help_state(const struct tui *t)
{
    return TUI_STATE(t, help);
}

void
tui_help_act_open(struct tui *t, const struct tui_action *a)
{
    (void)a;
    if (help_state(t) == NULL)
        TUI_STATE(t, help) = xcalloc(1, sizeof(struct help));
    help_state(t)->list = (struct tui_list){.page = 1, .bare = 1};
}

int
tui_help_showing(struct tui *t)
{
    return help_state(t) != NULL;
}

void
tui_help_close(struct tui *t)
{
    free(help_state(t));
    TUI_STATE(t, help) = NULL;
}

void
tui_help_act_close(struct tui *t, const struct tui_action *a)
{
    (void)a;
    tui_help_close(t);
}

struct tui_list *
tui_help_list(struct tui *t)
{
    return help_state(t) ? &help_state(t)->list : NULL;
}

void
tui_help_draw(struct tui *t)
{
    size_t n;
    struct help_line *lines = build(t, &n);
    int h = LINES - 1, kw = 12;
    for (size_t i = 0; i < n; i++)
        if (lines[i].keys && text_width(lines[i].keys) > kw)
            kw = text_width(lines[i].keys);
    if (kw > COLS / 3)
        kw = COLS / 3;
    /* The title stays put; the rest scrolls. */
    struct tui_list *l = &help_state(t)->list;
    l->n = n > 0 ? (long)n - 1 : 0;
    tui_list_set_page(l, h - 1);
    for (int y = 0; y < h; y++) {
        size_t i = y == 0 ? 0 : (size_t)(y + l->top);
        if (i >= n) {
            tui_put(y, 0, "", COLS, tui_attr(t, ROLE_NORMAL));
            continue;
        }
        tui_put(y, 0, "", COLS, tui_attr(t, lines[i].role));
        int x = 0;
        if (lines[i].keys) {
            tui_put_raw(y, 2, lines[i].keys, kw, tui_attr(t, ROLE_KEY));
            x = kw + 3;
        }
        tui_put_raw(y, x, lines[i].text, COLS - x, tui_attr(t, lines[i].role));
    }
    lines_free(lines, n);
}
