/* Drawing helpers shared by the screens, and the status bar. Text reaches curses only through
 * tui_put (already safe) or tui_put_raw (sanitized here), always fitted to its columns with
 * text_pad so wide and combining characters never spill into the next column. */
#include "tui/internal.h"

#include "model/text.h"
#include "model/xmalloc.h"

#include <stdlib.h>
#include <string.h>

attr_t
tui_attr(const struct tui *t, enum tui_role role)
{
    return t->colours.attr[role];
}

/* Returns the length of s when it is all printable ASCII (one column a byte), else -1. */
static long
ascii_len(const char *s)
{
    const char *p = s;
    while (*p >= 0x20 && *p < 0x7f)
        p++;
    return *p ? -1 : p - s;
}

void
tui_put(int y, int x, const char *safe, int cols, attr_t attr)
{
    if (cols <= 0 || y < 0 || y >= LINES || x >= COLS)
        return;
    if (x + cols > COLS)
        cols = COLS - x;
    if (safe == NULL)
        safe = "";
    attrset(attr);
    long n = ascii_len(safe);
    if (n >= 0 && n <= cols) {
        /* Most cells are plain ASCII that fits: no need to measure graphemes. */
        mvaddnstr(y, x, safe, (int)n);
        if (n < cols)
            mvhline(y, x + (int)n, ' ', cols - (int)n);
    } else {
        char *p = text_pad(safe, cols);
        mvaddstr(y, x, p);
        free(p);
    }
    attrset(A_NORMAL);
}

void
tui_put_raw(int y, int x, const char *raw, int cols, attr_t attr)
{
    if (raw == NULL || ascii_len(raw) >= 0) { /* printable ASCII is already safe */
        tui_put(y, x, raw, cols, attr);
        return;
    }
    char *safe = text_sanitize(raw, strlen(raw), 0);
    tui_put(y, x, safe, cols, attr);
    free(safe);
}

char *
tui_first_line(const char *raw)
{
    if (raw == NULL)
        return xstrdup("");
    while (*raw == '\n' || *raw == '\r' || *raw == ' ')
        raw++;
    return text_sanitize(raw, strcspn(raw, "\r\n"), 0);
}

/* Appends one " │ "-separated field to the status line. */
static void
field(struct buf *b, const char *s)
{
    if (s == NULL || *s == '\0')
        return;
    if (b->len)
        buf_adds(b, " │ ");
    buf_adds(b, s);
}

void
tui_status_draw(struct tui *t, const char *mode, const char *where)
{
    int y = LINES - 1, x = 0;
    attr_t bar = tui_attr(t, ROLE_BAR);
    tui_put(y, 0, "", COLS, bar);
    if (t->opts->offline) {
        /* Unmistakable in every scheme: its own role, and words rather than a glyph. */
        tui_put(y, 0, " OFFLINE ", 9, tui_attr(t, ROLE_OFFLINE));
        x = 9;
    }
    struct buf b = {0};
    buf_addc(&b, ' ');
    buf_adds(&b, mode);
    char *officer = text_sanitize(t->opts->officer, strlen(t->opts->officer), 0);
    buf_printf(&b, " │ %s", officer);
    free(officer);
    field(&b, where);
    if (t->sync.active) {
        char sync[96];
        snprintf(sync, sizeof sync, "sync %s %ld/%ld", t->sync.label, t->sync.done,
                 t->sync.total);
        field(&b, sync);
    }
    /* The hint names the key that really opens the help, if any does. */
    char hint[160] = "";
    const struct tui_action *help = tui_action_find(KM_GLOBAL, "help");
    const struct keymap *km = t->opts->keymap;
    enum keymap_context ctx = tui_context(t);
    for (size_t i = 0; i < km->n && !hint[0]; i++) {
        const struct keymap_binding *kb = &km->bindings[i];
        if (kb->action != help || (kb->ctx != ctx && kb->ctx != KM_GLOBAL))
            continue;
        if (kb->ctx == KM_GLOBAL && ctx != KM_GLOBAL &&
            (keymap_lookup(km, ctx, kb->key) ||
             (ctx == KM_COMPOSER && keymap_key_typed(kb->key))))
            continue; /* shadowed here, or typed in the composer */
        char name[KEYMAP_NAME_MAX];
        keymap_key_name(kb->key, name);
        snprintf(hint, sizeof hint, " %s help ", name);
    }
    int help_w = text_width(hint);
    int left = COLS - x - help_w;
    char *text = buf_take(&b);
    int used = text_width(text);
    tui_put(y, x, text, left, bar);
    free(text);
    if (t->message[0]) {
        int mx = x + (used < left ? used : left);
        if (mx + 3 < COLS - help_w) {
            tui_put(y, mx, " │ ", 3, bar);
            mx += 3;
        }
        char *msg = text_sanitize(t->message, strlen(t->message), 0);
        char *padded = xasprintf(" %s ", msg);
        int w = text_width(padded);
        int room = COLS - help_w - mx;
        if (w > room)
            room = COLS - mx; /* a long message may cover the help hint */
        tui_put(y, mx, padded, w < room ? w : room,
                tui_attr(t, t->message_error ? ROLE_ERROR : ROLE_INFO));
        free(padded);
        free(msg);
        if (w >= COLS - help_w - mx)
            return;
    }
    tui_put(y, COLS - help_w, hint, help_w, bar);
}
