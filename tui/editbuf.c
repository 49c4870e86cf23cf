/* The composer's text buffer: grapheme-wise editing, wrapping, undo, kill and yank. See
 * tui/editbuf.h. Grapheme boundaries are found with utf8proc from a point known to be one (a
 * line's start, or between two ASCII characters), so a flag's pairs and an emoji's joiners
 * are read in their context. */
#include "tui/editbuf.h"

#include "model/text.h"
#include "model/xmalloc.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define UNDO_MAX 1000    /* undo steps kept; the oldest go first */
#define KILL_RING 8      /* kills kept */

/* What the last operation was, to join typing into one undo step and kills into one entry,
 * and to keep the goal column of vertical movement. */
enum last_op { OP_NONE, OP_INSERT, OP_DELBACK, OP_KILL, OP_VERT, OP_OTHER };

/* One undoable change: at pos, del was replaced by ins. */
struct step {
    size_t pos;
    char *del, *ins;
    size_t ndel, nins;
    size_t cur_before, cur_after;
};

struct editbuf {
    char *text;
    size_t len, cap, max;
    size_t cursor;
    unsigned long version;
    enum last_op last;
    int goal;                 /* column kept by vertical movement */
    struct step *undo, *redo;
    size_t nundo, nredo, capundo, capredo;
    char *kills[KILL_RING];   /* kills[0] is the latest */
    size_t killn[KILL_RING];
};

/* Decodes the code point at s[i] into *cp (U+FFFD for a broken byte); returns its length. */
static size_t
dec(const char *s, size_t len, size_t i, int32_t *cp)
{
    utf8proc_int32_t c;
    utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                          (utf8proc_ssize_t)(len - i), &c);
    if (n <= 0) {
        *cp = 0xFFFD;
        return 1;
    }
    *cp = c;
    return (size_t)n;
}

/* The end of the grapheme starting at boundary pos of s[0..len); *state carries utf8proc's
 * break state from the graphemes before (0 at a safe point). */
static size_t
gnext(const char *s, size_t len, size_t pos, utf8proc_int32_t *state)
{
    if (pos >= len)
        return len;
    int32_t prev, cp;
    size_t i = pos + dec(s, len, pos, &prev);
    while (i < len) {
        size_t n = dec(s, len, i, &cp);
        int brk;
        if (prev < 0x80 && cp < 0x80) {
            *state = 0;
            brk = !(prev == '\r' && cp == '\n');
        } else {
            brk = utf8proc_grapheme_break_stateful(prev, cp, state);
        }
        if (brk)
            break;
        prev = cp;
        i += n;
    }
    return i;
}

/* A grapheme boundary at or before pos from which scanning forward is exact: the text's
 * start, a line's start, or between two ASCII characters. */
static size_t
safe_point(const char *s, size_t pos)
{
    while (pos > 0) {
        unsigned char a = (unsigned char)s[pos - 1], b = (unsigned char)s[pos];
        if (a == '\n' || (a < 0x80 && b < 0x80))
            return pos;
        pos--;
    }
    return 0;
}

/* The grapheme boundary at or before pos. */
static size_t
boundary_at_or_before(const struct editbuf *eb, size_t pos)
{
    if (pos >= eb->len)
        return eb->len;
    size_t b = safe_point(eb->text, pos);
    utf8proc_int32_t state = 0;
    while (b < pos) {
        size_t e = gnext(eb->text, eb->len, b, &state);
        if (e > pos)
            break;
        b = e;
    }
    return b;
}

/* The boundary before pos (pos itself at 0). */
static size_t
prev_boundary(const struct editbuf *eb, size_t pos)
{
    if (pos == 0)
        return 0;
    return boundary_at_or_before(eb, pos - 1);
}

size_t
editbuf_next(const struct editbuf *eb, size_t pos)
{
    if (pos >= eb->len)
        return eb->len;
    size_t b = safe_point(eb->text, pos);
    utf8proc_int32_t state = 0;
    size_t e = gnext(eb->text, eb->len, b, &state);
    while (b < pos) {
        b = e;
        e = gnext(eb->text, eb->len, b, &state);
    }
    return e;
}

/* The boundary at or after pos. */
static size_t
boundary_at_or_after(const struct editbuf *eb, size_t pos)
{
    size_t b = boundary_at_or_before(eb, pos);
    return b == pos ? b : editbuf_next(eb, b);
}

/* Whether code point cp may stay in the text; *as is what it becomes ('\n', ' ', itself). */
static bool
keep_cp(int32_t cp, int32_t *as)
{
    *as = cp;
    if (cp == '\n')
        return true;
    if (cp == '\t') {
        *as = ' ';
        return true;
    }
    if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
        return false;
    if (cp == 0x2028 || cp == 0x2029) {
        *as = '\n';
        return true;
    }
    if (cp == 0x200c || cp == 0x200d || (cp >= 0xe0020 && cp <= 0xe007f) || cp == 0xad)
        return true; /* joiners, tag characters of subdivision flags, the soft hyphen */
    return utf8proc_category(cp) != UTF8PROC_CATEGORY_CF;
}

/* Cleans s[0..n) into a new buffer (see editbuf_insert); sets *flags. */
static char *
clean(const char *s, size_t n, size_t *out_len, int *flags)
{
    char *out = xmalloc(n + 1);
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0) {
            *flags |= EDITBUF_CLEANED;
            i++;
            continue;
        }
        i += (size_t)k;
        if (cp == '\r') {
            if (i < n && s[i] == '\n')
                continue; /* the '\n' follows */
            cp = '\n';
        }
        int32_t as;
        if (!keep_cp(cp, &as)) {
            *flags |= EDITBUF_CLEANED;
            continue;
        }
        if (as != cp)
            *flags |= EDITBUF_CLEANED;
        o += (size_t)utf8proc_encode_char(as, (utf8proc_uint8_t *)out + o);
    }
    out[o] = '\0';
    *out_len = o;
    return out;
}

/* Cuts s[0..*n) at the last grapheme boundary within room bytes. */
static void
cut_to(const char *s, size_t *n, size_t room)
{
    if (*n <= room)
        return;
    size_t b = 0;
    utf8proc_int32_t state = 0;
    for (;;) {
        size_t e = gnext(s, *n, b, &state);
        if (e > room || e == b)
            break;
        b = e;
    }
    *n = b;
}

/* Grows the text to hold need bytes and a NUL. */
static void
reserve(struct editbuf *eb, size_t need)
{
    if (need + 1 <= eb->cap)
        return;
    size_t cap = eb->cap ? eb->cap : 256;
    while (cap < need + 1)
        cap *= 2;
    eb->text = xrealloc(eb->text, cap);
    eb->cap = cap;
}

/* Replaces bytes [pos, pos + ndel) with ins[0..nins), without recording it. */
static void
splice(struct editbuf *eb, size_t pos, size_t ndel, const char *ins, size_t nins)
{
    reserve(eb, eb->len - ndel + nins);
    memmove(eb->text + pos + nins, eb->text + pos + ndel, eb->len - pos - ndel + 1);
    memcpy(eb->text + pos, ins, nins);
    eb->len = eb->len - ndel + nins;
    eb->version++;
}

/* A NUL-terminated copy of s[0..n). */
static char *
memdup(const char *s, size_t n)
{
    char *d = xmalloc(n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

/* Frees what a step owns. */
static void
step_free(struct step *s)
{
    free(s->del);
    free(s->ins);
}

/* Forgets the redo steps (a new change was made). */
static void
redo_clear(struct editbuf *eb)
{
    for (size_t i = 0; i < eb->nredo; i++)
        step_free(&eb->redo[i]);
    eb->nredo = 0;
}

/* Pushes s onto a step stack. */
static void
push(struct step **stack, size_t *n, size_t *cap, struct step s)
{
    if (stack == NULL)
        return;
    if (*n == UNDO_MAX) {
        step_free(&(*stack)[0]);
        memmove(*stack, *stack + 1, (*n - 1) * sizeof **stack);
        (*n)--;
    }
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        *stack = xreallocarray(*stack, *cap, sizeof **stack);
    }
    (*stack)[(*n)++] = s;
}

/* Makes a change as an undoable step, joining it to the last step when join is set and it
 * continues it (typing on after typing, erasing back after erasing back). The cursor is then
 * cur_after. */
static void
change(struct editbuf *eb, size_t pos, size_t ndel, const char *ins, size_t nins,
       size_t cur_after, enum last_op op)
{
    struct step *last = eb->nundo ? &eb->undo[eb->nundo - 1] : NULL;
    bool joined = false;
    if (last && op == OP_INSERT && eb->last == OP_INSERT && ndel == 0 &&
        last->pos + last->nins == pos && !(nins && ins[0] == '\n')) {
        last->ins = xrealloc(last->ins, last->nins + nins + 1);
        memcpy(last->ins + last->nins, ins, nins);
        last->nins += nins;
        last->cur_after = cur_after;
        joined = true;
    } else if (last && op == OP_DELBACK && eb->last == OP_DELBACK && nins == 0 &&
               last->nins == 0 && pos + ndel == last->pos) {
        char *d = xmalloc(ndel + last->ndel + 1);
        memcpy(d, eb->text + pos, ndel);
        memcpy(d + ndel, last->del, last->ndel);
        free(last->del);
        last->del = d;
        last->ndel += ndel;
        last->pos = pos;
        last->cur_after = cur_after;
        joined = true;
    }
    if (!joined) {
        struct step s = {pos, memdup(eb->text + pos, ndel), memdup(ins, nins), ndel, nins,
                         eb->cursor, cur_after};
        push(&eb->undo, &eb->nundo, &eb->capundo, s);
    }
    redo_clear(eb);
    splice(eb, pos, ndel, ins, nins);
    eb->cursor = cur_after;
    eb->last = op;
}

struct editbuf *
editbuf_new(size_t max)
{
    struct editbuf *eb = xcalloc(1, sizeof *eb);
    eb->max = max;
    reserve(eb, 0);
    eb->text[0] = '\0';
    return eb;
}

void
editbuf_free(struct editbuf *eb)
{
    if (eb == NULL)
        return;
    for (size_t i = 0; i < eb->nundo; i++)
        step_free(&eb->undo[i]);
    redo_clear(eb);
    for (size_t i = 0; i < KILL_RING; i++)
        free(eb->kills[i]);
    free(eb->undo);
    free(eb->redo);
    free(eb->text);
    free(eb);
}

const char *
editbuf_text(const struct editbuf *eb)
{
    return eb->text;
}

size_t
editbuf_len(const struct editbuf *eb)
{
    return eb->len;
}

unsigned long
editbuf_version(const struct editbuf *eb)
{
    return eb->version;
}

size_t
editbuf_cursor(const struct editbuf *eb)
{
    return eb->cursor;
}

void
editbuf_set_cursor(struct editbuf *eb, size_t pos)
{
    eb->cursor = boundary_at_or_before(eb, pos > eb->len ? eb->len : pos);
    eb->last = OP_OTHER;
}

/* Inserts cleaned text at the cursor as operation op. */
static int
insert_as(struct editbuf *eb, const char *s, size_t n, enum last_op op)
{
    int flags = 0;
    size_t m;
    char *c = clean(s, n, &m, &flags);
    size_t room = eb->max > eb->len ? eb->max - eb->len : 0;
    if (m > room) {
        cut_to(c, &m, room);
        flags |= EDITBUF_FULL;
    }
    if (m > 0) {
        size_t pos = eb->cursor;
        change(eb, pos, 0, c, m, pos + m, op);
        eb->cursor = boundary_at_or_after(eb, pos + m);
    } else {
        eb->last = OP_OTHER;
    }
    free(c);
    return flags;
}

int
editbuf_insert(struct editbuf *eb, const char *s, size_t n)
{
    return insert_as(eb, s, n, OP_INSERT);
}

int
editbuf_set_text(struct editbuf *eb, const char *s, size_t n)
{
    int flags = 0;
    size_t m;
    char *c = clean(s, n, &m, &flags);
    if (m > eb->max) {
        cut_to(c, &m, eb->max);
        flags |= EDITBUF_FULL;
    }
    if (m != eb->len || memcmp(c, eb->text, m) != 0)
        change(eb, 0, eb->len, c, m, m, OP_OTHER);
    eb->cursor = eb->len;
    eb->last = OP_OTHER;
    free(c);
    return flags;
}

int
editbuf_load(struct editbuf *eb, const char *s, size_t n)
{
    for (size_t i = 0; i < eb->nundo; i++)
        step_free(&eb->undo[i]);
    eb->nundo = 0;
    redo_clear(eb);
    int flags = 0;
    size_t m;
    char *c = clean(s, n, &m, &flags);
    if (m > eb->max) {
        cut_to(c, &m, eb->max);
        flags |= EDITBUF_FULL;
    }
    splice(eb, 0, eb->len, c, m);
    eb->cursor = eb->len;
    eb->last = OP_NONE;
    free(c);
    return flags;
}

bool
editbuf_delete_back(struct editbuf *eb)
{
    if (eb->cursor == 0) {
        eb->last = OP_OTHER;
        return false;
    }
    size_t p = prev_boundary(eb, eb->cursor);
    change(eb, p, eb->cursor - p, "", 0, p, OP_DELBACK);
    return true;
}

bool
editbuf_delete_forward(struct editbuf *eb)
{
    eb->last = OP_OTHER;
    if (eb->cursor >= eb->len)
        return false;
    size_t e = editbuf_next(eb, eb->cursor);
    change(eb, eb->cursor, e - eb->cursor, "", 0, eb->cursor, OP_OTHER);
    return true;
}

/* Moves the cursor to pos; false when it was there already. */
static bool
move_to(struct editbuf *eb, size_t pos)
{
    eb->last = OP_OTHER;
    if (pos == eb->cursor)
        return false;
    eb->cursor = pos;
    return true;
}

bool
editbuf_left(struct editbuf *eb)
{
    return move_to(eb, prev_boundary(eb, eb->cursor));
}

bool
editbuf_right(struct editbuf *eb)
{
    return move_to(eb, editbuf_next(eb, eb->cursor));
}

/* The start of the line holding pos. */
static size_t
line_start(const struct editbuf *eb, size_t pos)
{
    while (pos > 0 && eb->text[pos - 1] != '\n')
        pos--;
    return pos;
}

/* The end of the line holding pos (its newline, or the text's end). */
static size_t
line_end(const struct editbuf *eb, size_t pos)
{
    const char *nl = memchr(eb->text + pos, '\n', eb->len - pos);
    return nl ? (size_t)(nl - eb->text) : eb->len;
}

/* Whether the grapheme at pos is part of a word: it starts with a letter, digit, mark or
 * connector (underscore). */
static bool
word_at(const struct editbuf *eb, size_t pos)
{
    int32_t cp;
    dec(eb->text, eb->len, pos, &cp);
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
               (cp >= '0' && cp <= '9') || cp == '_';
    utf8proc_category_t c = utf8proc_category(cp);
    return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_NO) || c == UTF8PROC_CATEGORY_PC;
}

/* The start of the word before pos (skipping what is not a word first, across lines). */
static size_t
word_start_before(const struct editbuf *eb, size_t pos)
{
    for (;;) {
        size_t ls = line_start(eb, pos), b = ls, start = 0;
        bool found = false, in_word = false;
        utf8proc_int32_t state = 0;
        while (b < pos) {
            size_t e = gnext(eb->text, eb->len, b, &state);
            bool w = word_at(eb, b);
            if (w && !in_word) {
                start = b;
                found = true;
            }
            in_word = w;
            b = e;
        }
        if (found)
            return start;
        if (ls == 0)
            return 0;
        pos = ls - 1;
    }
}

/* The end of the word at or after pos. */
static size_t
word_end_after(const struct editbuf *eb, size_t pos)
{
    size_t b = safe_point(eb->text, pos);
    utf8proc_int32_t state = 0;
    while (b < pos)
        b = gnext(eb->text, eb->len, b, &state);
    while (b < eb->len && !word_at(eb, b))
        b = gnext(eb->text, eb->len, b, &state);
    while (b < eb->len && word_at(eb, b))
        b = gnext(eb->text, eb->len, b, &state);
    return b;
}

bool
editbuf_word_left(struct editbuf *eb)
{
    return move_to(eb, word_start_before(eb, eb->cursor));
}

bool
editbuf_word_right(struct editbuf *eb)
{
    return move_to(eb, word_end_after(eb, eb->cursor));
}

bool
editbuf_line_start(struct editbuf *eb)
{
    return move_to(eb, line_start(eb, eb->cursor));
}

bool
editbuf_line_end(struct editbuf *eb)
{
    return move_to(eb, line_end(eb, eb->cursor));
}

bool
editbuf_text_start(struct editbuf *eb)
{
    return move_to(eb, 0);
}

bool
editbuf_text_end(struct editbuf *eb)
{
    return move_to(eb, eb->len);
}

char *
editbuf_show(const char *g, size_t n, int *width)
{
    if (n == 1 && g[0] >= 0x20 && g[0] < 0x7f) {
        *width = 1;
        return xstrndup(g, 1);
    }
    char *s = text_sanitize(g, n, 0);
    *width = text_width(s);
    return s;
}

/* The columns the grapheme [pos, end) takes. */
static int
gwidth(const struct editbuf *eb, size_t pos, size_t end)
{
    if (end == pos + 1 && eb->text[pos] >= 0x20 && eb->text[pos] < 0x7f)
        return 1;
    int w;
    free(editbuf_show(eb->text + pos, end - pos, &w));
    return w;
}

/* Appends a row. */
static void
add_row(struct editbuf_row **rows, size_t *n, size_t *cap, size_t start, size_t end)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 32;
        *rows = xreallocarray(*rows, *cap, sizeof **rows);
    }
    (*rows)[(*n)++] = (struct editbuf_row){start, end};
}

/* Wraps the line [ls, le) into rows. */
static void
wrap_line(const struct editbuf *eb, size_t ls, size_t le, int width, struct editbuf_row **rows,
          size_t *n, size_t *cap)
{
    size_t row = ls, space = 0; /* space: the byte after the row's last space, 0 if none */
    int x = 0, space_x = 0;
    utf8proc_int32_t state = 0;
    for (size_t b = ls; b < le;) {
        size_t e = gnext(eb->text, le, b, &state);
        int w = gwidth(eb, b, e);
        bool is_space = e == b + 1 && eb->text[b] == ' ';
        if (width > 0 && x + w > width && x > 0 && is_space) {
            /* A space that does not fit hangs at the row's end (the caller leaves a column
             * for the cursor after it). */
            add_row(rows, n, cap, row, e);
            row = e;
            x = 0;
            space = 0;
            b = e;
            continue;
        }
        if (width > 0 && x + w > width && x > 0) {
            if (space > row && space <= b) {
                add_row(rows, n, cap, row, space);
                row = space;
                x -= space_x;
            } else {
                add_row(rows, n, cap, row, b);
                row = b;
                x = 0;
            }
            space = 0;
        }
        x += w;
        if (is_space) {
            space = e;
            space_x = x;
        }
        b = e;
    }
    add_row(rows, n, cap, row, le);
}

size_t
editbuf_wrap(const struct editbuf *eb, int width, struct editbuf_row **rows)
{
    size_t n = 0, cap = 0;
    *rows = NULL;
    size_t ls = 0;
    for (;;) {
        size_t le = line_end(eb, ls);
        wrap_line(eb, ls, le, width, rows, &n, &cap);
        if (le >= eb->len)
            break;
        ls = le + 1;
    }
    return n;
}

void
editbuf_locate(const struct editbuf *eb, const struct editbuf_row *rows, size_t nrows,
               size_t pos, size_t *row, int *col)
{
    size_t r = 0;
    while (r + 1 < nrows && rows[r + 1].start <= pos)
        r++;
    *row = r;
    *col = 0;
    utf8proc_int32_t state = 0;
    for (size_t b = rows[r].start; b < pos && b < rows[r].end;) {
        size_t e = gnext(eb->text, rows[r].end, b, &state);
        *col += gwidth(eb, b, e);
        b = e;
    }
}

bool
editbuf_move_rows(struct editbuf *eb, int width, long delta)
{
    struct editbuf_row *rows;
    size_t n = editbuf_wrap(eb, width, &rows), r;
    int col;
    editbuf_locate(eb, rows, n, eb->cursor, &r, &col);
    if (eb->last != OP_VERT)
        eb->goal = col;
    long target = (long)r + delta;
    if (target < 0)
        target = 0;
    if (target >= (long)n)
        target = (long)n - 1;
    size_t t = (size_t)target;
    /* A row that wraps on into the next ends before its last grapheme's end. */
    bool soft = t + 1 < n && rows[t + 1].start == rows[t].end;
    size_t pos = rows[t].start;
    int x = 0;
    utf8proc_int32_t state = 0;
    while (pos < rows[t].end) {
        size_t e = gnext(eb->text, rows[t].end, pos, &state);
        int w = gwidth(eb, pos, e);
        if (x + w > eb->goal || (soft && e == rows[t].end))
            break;
        x += w;
        pos = e;
    }
    free(rows);
    bool moved = pos != eb->cursor;
    eb->cursor = pos;
    eb->last = OP_VERT;
    return moved;
}

/* Records text[from, to) as killed: a new entry, or joined to the latest when the last
 * operation was a kill (before it when killing backwards). */
static void
kill_record(struct editbuf *eb, size_t from, size_t to, bool backwards)
{
    size_t n = to - from;
    if (eb->last == OP_KILL && eb->kills[0]) {
        char *k = xmalloc(eb->killn[0] + n + 1);
        if (backwards) {
            memcpy(k, eb->text + from, n);
            memcpy(k + n, eb->kills[0], eb->killn[0]);
        } else {
            memcpy(k, eb->kills[0], eb->killn[0]);
            memcpy(k + eb->killn[0], eb->text + from, n);
        }
        k[eb->killn[0] + n] = '\0';
        free(eb->kills[0]);
        eb->kills[0] = k;
        eb->killn[0] += n;
        return;
    }
    free(eb->kills[KILL_RING - 1]);
    memmove(eb->kills + 1, eb->kills, (KILL_RING - 1) * sizeof eb->kills[0]);
    memmove(eb->killn + 1, eb->killn, (KILL_RING - 1) * sizeof eb->killn[0]);
    eb->kills[0] = memdup(eb->text + from, n);
    eb->killn[0] = n;
}

/* Kills text[from, to) and leaves the cursor at from. */
static bool
kill_span(struct editbuf *eb, size_t from, size_t to, bool backwards)
{
    if (to <= from) {
        eb->last = OP_OTHER;
        return false;
    }
    kill_record(eb, from, to, backwards);
    change(eb, from, to - from, "", 0, from, OP_KILL);
    return true;
}

bool
editbuf_kill_line(struct editbuf *eb)
{
    size_t end = line_end(eb, eb->cursor);
    if (end == eb->cursor && end < eb->len)
        end++; /* at the line's end: the newline */
    return kill_span(eb, eb->cursor, end, false);
}

bool
editbuf_kill_word_back(struct editbuf *eb)
{
    return kill_span(eb, word_start_before(eb, eb->cursor), eb->cursor, true);
}

bool
editbuf_kill_line_start(struct editbuf *eb)
{
    return kill_span(eb, line_start(eb, eb->cursor), eb->cursor, true);
}

bool
editbuf_yank(struct editbuf *eb, int *flags)
{
    if (eb->kills[0] == NULL) {
        eb->last = OP_OTHER;
        return false;
    }
    int f = insert_as(eb, eb->kills[0], eb->killn[0], OP_OTHER);
    if (flags)
        *flags = f;
    return true;
}

const char *
editbuf_killed(const struct editbuf *eb, size_t back)
{
    return back < KILL_RING ? eb->kills[back] : NULL;
}

bool
editbuf_undo(struct editbuf *eb)
{
    eb->last = OP_OTHER;
    if (eb->nundo == 0)
        return false;
    struct step s = eb->undo[--eb->nundo];
    splice(eb, s.pos, s.nins, s.del, s.ndel);
    eb->cursor = s.cur_before;
    push(&eb->redo, &eb->nredo, &eb->capredo, s);
    return true;
}

bool
editbuf_redo(struct editbuf *eb)
{
    eb->last = OP_OTHER;
    if (eb->nredo == 0)
        return false;
    struct step s = eb->redo[--eb->nredo];
    splice(eb, s.pos, s.ndel, s.ins, s.nins);
    eb->cursor = s.cur_after;
    push(&eb->undo, &eb->nundo, &eb->capundo, s);
    return true;
}
