/* Drawing helpers shared by the screens, and the status bar. Text reaches curses only through
 * tui_put (already safe) or tui_put_raw (sanitized here), always fitted to its columns with
 * text_pad so wide and combining characters never spill into the next column. */
#include "tui/internal.h"

#include "model/text.h"
#include "model/xmalloc.h"
#include "tui/draw.h"
#include "tui/outbox.h"
#include "tui/sync.h"

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

/* Appends the lines of safe text (one paragraph, no newlines) wrapped at width columns,
 * breaking at spaces where it can, each prefixed with indent spaces. */
static void
wrap(struct buf *lines_text, size_t *n, const char *safe, int indent, int width)
{
    const char *s = safe;
    int avail = width - indent > 10 ? width - indent : 10;
    do {
        char *piece = text_fit(s, avail, 0);
        size_t len = strlen(piece);
        if (s[len] != '\0') {
            char *space = strrchr(piece, ' ');
            if (space && space > piece)
                len = (size_t)(space - piece) + 1;
        }
        if (len == 0) /* a character wider than the line: take it anyway */
            len = 1;
        buf_printf(lines_text, "%*s%.*s", indent, "", (int)len, s);
        buf_addc(lines_text, '\0');
        (*n)++;
        free(piece);
        s += len;
    } while (*s);
}

char *
tui_wrap_text(const char *raw, int indent, int width, size_t *n)
{
    struct buf out = {0};
    *n = 0;
    char *safe = text_sanitize(raw ? raw : "", raw ? strlen(raw) : 0, TEXT_MULTILINE);
    char *save = NULL;
    for (char *line = strtok_r(safe, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
        wrap(&out, n, line, indent, width);
    free(safe);
    if (*n == 0) {
        buf_addc(&out, '\0');
        *n = 1;
    }
    buf_addc(&out, '\0');
    return buf_take(&out);
}

void
tui_lines_add(struct tui_lines *l, enum tui_role role, const char *safe)
{
    l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
    l->v[l->n].text = xstrdup(safe);
    l->v[l->n].role = role;
    l->n++;
}

void
tui_lines_wrap(struct tui_lines *l, enum tui_role role, const char *raw, int indent, int width)
{
    size_t n;
    char *text = tui_wrap_text(raw, indent, width, &n);
    const char *s = text;
    for (size_t i = 0; i < n; i++, s += strlen(s) + 1)
        tui_lines_add(l, role, s);
    free(text);
}

void
tui_lines_free(struct tui_lines *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].text);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

long
tui_lines_draw(struct tui *t, const struct tui_lines *l, long top, int y, int h)
{
    if (top > (long)l->n - h)
        top = (long)l->n - h;
    if (top < 0)
        top = 0;
    for (int row = 0; row < h && top + row < (long)l->n; row++) {
        const struct tui_line *line = &l->v[top + row];
        tui_put(y + row, 0, line->text, COLS, tui_attr(t, line->role));
    }
    return top;
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

/* Writes the status bar's help hint (" F1 help "): the key that really opens the help here,
 * or "" when none does. */
static void
status_hint(struct tui *t, char *hint, size_t cap)
{
    hint[0] = '\0';
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
        snprintf(hint, cap, " %s help ", name);
    }
}

/* The width of the status bar's help hint. */
static int
status_hint_width(struct tui *t)
{
    char hint[160];
    status_hint(t, hint, sizeof hint);
    return text_width(hint);
}

void
tui_status_draw(struct tui *t, const char *mode, const char *where)
{
    int y = LINES - 1, x = 0;
    attr_t bar = tui_attr(t, ROLE_BAR);
    tui_put(y, 0, "", COLS, bar);
    if (t->opts->bundle) {
        /* A review bundle: offline by nature, and its replies go out only after the merge. */
        tui_put(y, 0, " REVIEW BUNDLE ", 15, tui_attr(t, ROLE_OFFLINE));
        x = 15;
    } else if (t->opts->offline) {
        /* Unmistakable in every scheme: its own role, and words rather than a glyph. */
        tui_put(y, 0, " OFFLINE ", 9, tui_attr(t, ROLE_OFFLINE));
        x = 9;
    }
    if (t->db != NULL && t->db->readonly) {
        /* A cache on read-only media: it reads, and every change says why it cannot. */
        tui_put(y, x, " READ-ONLY ", 11, tui_attr(t, ROLE_OFFLINE));
        x += 11;
    }
    struct buf b = {0};
    buf_addc(&b, ' ');
    buf_adds(&b, mode);
    char *officer = text_sanitize(t->opts->officer, strlen(t->opts->officer), 0);
    buf_printf(&b, " │ %s", officer);
    free(officer);
    /* A message that would not fit beside the position and the outbox line takes their room
     * when that is enough to show it whole: it answers the key just pressed, and they are
     * back with the next one. */
    char outbox[160];
    tui_outbox_status(t, outbox, sizeof outbox);
    int msg_w = t->message[0] ? text_width(t->message) + 5 : 0;
    int fields_w = text_width(where ? where : "") + text_width(outbox) + 6;
    int base_w = text_width(b.data) + status_hint_width(t);
    if (msg_w == 0 || base_w + fields_w + msg_w <= COLS - x || base_w + msg_w > COLS - x) {
        field(&b, where);
        field(&b, outbox);
    }
    char sync[512];
    tui_sync_status(t, sync, sizeof sync);
    if (sync[0])
        field(&b, sync);
    char hint[160];
    status_hint(t, hint, sizeof hint);
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
