/* The prompt: a one-line question on the bottom line (state, tags, a note, a search ...),
 * edited with the usual line keys, with Tab completion from a list of choices and, for short
 * lists, a digit to answer at once. Its keys are fixed, like a shell's line editor:
 * Enter answers, Esc or C-g cancels, Left/Right/Home/End (C-b C-f C-a C-e) move, Backspace
 * and Delete (C-d) erase, C-u and C-k erase to the start or end, C-w erases a word. */
#include "tui/internal.h"

#include "model/text.h"
#include "model/xmalloc.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define PROMPT_MAX 8192 /* bytes of answer; a note's limit */

struct prompt {
    char *label;
    char *hint;
    char **choices;
    size_t nchoices;
    int instant;
    int zero_based;
    tui_prompt_done done;
    char text[PROMPT_MAX + 1];
    size_t len;
    size_t pos;           /* the cursor, a byte offset at a character boundary */
};

/* Frees a prompt. */
static void
prompt_free(struct prompt *p)
{
    if (p == NULL)
        return;
    free(p->label);
    free(p->hint);
    for (size_t i = 0; i < p->nchoices; i++)
        free(p->choices[i]);
    free(p->choices);
    free(p);
}

void
tui_prompt_open(struct tui *t, const struct prompt_spec *spec)
{
    struct prompt *p = xcalloc(1, sizeof *p);
    p->label = xstrdup(spec->label);
    p->hint = spec->hint ? xstrdup(spec->hint) : NULL;
    p->instant = spec->instant;
    p->zero_based = spec->zero_based;
    p->done = spec->done;
    if (spec->nchoices) {
        p->choices = xreallocarray(NULL, spec->nchoices, sizeof *p->choices);
        for (size_t i = 0; i < spec->nchoices; i++)
            p->choices[i] = xstrdup(spec->choices[i]);
        p->nchoices = spec->nchoices;
    }
    if (spec->initial) {
        snprintf(p->text, sizeof p->text, "%s", spec->initial);
        p->len = p->pos = strlen(p->text);
    }
    tui_prompt_close(t);
    t->prompt = p;
}

void
tui_prompt_close(struct tui *t)
{
    prompt_free(t->prompt);
    t->prompt = NULL;
}

/* The byte offset of the character before (dir < 0) or after the one at pos. */
static size_t
step(const struct prompt *p, size_t pos, int dir)
{
    if (dir < 0) {
        if (pos == 0)
            return 0;
        pos--;
        while (pos > 0 && ((unsigned char)p->text[pos] & 0xc0) == 0x80)
            pos--;
        return pos;
    }
    if (pos >= p->len)
        return p->len;
    pos++;
    while (pos < p->len && ((unsigned char)p->text[pos] & 0xc0) == 0x80)
        pos++;
    return pos;
}

/* Removes bytes [from, to) of the text. */
static void
erase_span(struct prompt *p, size_t from, size_t to)
{
    if (to <= from)
        return;
    memmove(p->text + from, p->text + to, p->len - to + 1);
    p->len -= to - from;
    if (p->pos > to)
        p->pos -= to - from;
    else if (p->pos > from)
        p->pos = from;
}

/* Inserts s at the cursor when it fits. */
static void
insert(struct prompt *p, const char *s, size_t n)
{
    if (p->len + n > PROMPT_MAX)
        return;
    memmove(p->text + p->pos + n, p->text + p->pos, p->len - p->pos + 1);
    memcpy(p->text + p->pos, s, n);
    p->len += n;
    p->pos += n;
}

/* Completes the word before the cursor (after any + or -) from the choices: to the only
 * match, or to the longest prefix several share, listing them as the hint. */
static void
complete(struct prompt *p)
{
    size_t start = p->pos;
    while (start > 0 && p->text[start - 1] != ' ')
        start--;
    if (start < p->pos && (p->text[start] == '+' || p->text[start] == '-'))
        start++;
    size_t n = p->pos - start;
    const char *first = NULL;
    size_t common = 0, matches = 0;
    struct buf list = {0};
    for (size_t i = 0; i < p->nchoices; i++) {
        const char *c = p->choices[i];
        if (strncmp(c, p->text + start, n) != 0)
            continue;
        if (first == NULL) {
            first = c;
            common = strlen(c);
        } else {
            size_t k = 0;
            while (k < common && c[k] == first[k])
                k++;
            common = k;
        }
        if (matches++ < 12)
            buf_printf(&list, "%s%s", matches > 1 ? " " : "", c);
    }
    if (first == NULL) {
        buf_free(&list);
        return;
    }
    if (common > n)
        insert(p, first + n, common - n);
    free(p->hint);
    p->hint = matches > 1 ? buf_take(&list) : NULL;
    buf_free(&list);
}

/* Answers: closes the prompt, then hands its text to the asker (which may ask again). */
static void
answer(struct tui *t, const char *text)
{
    tui_prompt_done done = t->prompt->done;
    char *copy = xstrdup(text);
    tui_prompt_close(t);
    done(t, copy);
    free(copy);
}

/* Moves the cursor one character left. */
static void
ed_left(struct prompt *p)
{
    p->pos = step(p, p->pos, -1);
}

/* Moves the cursor one character right. */
static void
ed_right(struct prompt *p)
{
    p->pos = step(p, p->pos, 1);
}

/* Moves the cursor to the start. */
static void
ed_home(struct prompt *p)
{
    p->pos = 0;
}

/* Moves the cursor to the end. */
static void
ed_end(struct prompt *p)
{
    p->pos = p->len;
}

/* Erases the character before the cursor. */
static void
ed_backspace(struct prompt *p)
{
    erase_span(p, step(p, p->pos, -1), p->pos);
}

/* Erases the character under the cursor. */
static void
ed_delete(struct prompt *p)
{
    erase_span(p, p->pos, step(p, p->pos, 1));
}

/* Erases from the start to the cursor. */
static void
ed_kill_start(struct prompt *p)
{
    erase_span(p, 0, p->pos);
}

/* Erases from the cursor to the end. */
static void
ed_kill_end(struct prompt *p)
{
    erase_span(p, p->pos, p->len);
}

/* Erases the word before the cursor, and the spaces after it. */
static void
ed_kill_word(struct prompt *p)
{
    size_t from = p->pos;
    while (from > 0 && p->text[from - 1] == ' ')
        from--;
    while (from > 0 && p->text[from - 1] != ' ')
        from--;
    erase_span(p, from, p->pos);
}

/* The line-editing keys and what each does. */
static const struct {
    int key;
    void (*edit)(struct prompt *p);
} edit_keys[] = {
    {KEYMAP_FN | KEY_LEFT, ed_left},
    {2, ed_left}, /* C-b */
    {KEYMAP_FN | KEY_RIGHT, ed_right},
    {6, ed_right}, /* C-f */
    {KEYMAP_FN | KEY_HOME, ed_home},
    {1, ed_home}, /* C-a */
    {KEYMAP_FN | KEY_END, ed_end},
    {5, ed_end}, /* C-e */
    {KEYMAP_FN | KEY_BACKSPACE, ed_backspace},
    {KEYMAP_FN | KEY_DC, ed_delete},
    {4, ed_delete}, /* C-d */
    {21, ed_kill_start}, /* C-u */
    {11, ed_kill_end},   /* C-k */
    {23, ed_kill_word},  /* C-w */
};

void
tui_prompt_key(struct tui *t, int key)
{
    struct prompt *p = t->prompt;
    if (key == 27 || key == 7) { /* Esc, C-g */
        tui_prompt_close(t);
        tui_message(t, "cancelled");
        return;
    }
    if (key == '\r') {
        answer(t, p->text);
        return;
    }
    if (key == '\t') {
        complete(p);
        return;
    }
    for (size_t i = 0; i < sizeof edit_keys / sizeof edit_keys[0]; i++)
        if (edit_keys[i].key == key) {
            edit_keys[i].edit(p);
            return;
        }
    if (p->instant && p->len == 0 && key >= '0' && key <= '9') {
        size_t d = (size_t)(key - '0');
        size_t i = p->zero_based ? d : d - 1;
        if ((p->zero_based || d > 0) && i < p->nchoices) {
            answer(t, p->choices[i]);
            return;
        }
    }
    if ((key & (KEYMAP_FN | KEYMAP_META)) || key < 0x20 || key == 0x7f)
        return; /* other special keys do nothing while asking */
    utf8proc_uint8_t buf[8];
    utf8proc_ssize_t n = utf8proc_encode_char(key, buf);
    if (n > 0)
        insert(p, (const char *)buf, (size_t)n);
}

void
tui_prompt_draw(struct tui *t)
{
    struct prompt *p = t->prompt;
    int y = LINES - 1;
    if (p->hint || (p->instant && p->nchoices)) {
        struct buf h = {0};
        buf_adds(&h, " ");
        if (p->instant && p->nchoices && p->len == 0) {
            for (size_t i = 0; i < p->nchoices && i < 10; i++)
                buf_printf(&h, "%zu %s  ", p->zero_based ? i : i + 1, p->choices[i]);
            if (p->hint)
                buf_adds(&h, "· ");
        }
        if (p->hint)
            buf_adds(&h, p->hint);
        tui_put_raw(y - 1, 0, h.data, COLS, tui_attr(t, ROLE_DIM) | A_REVERSE);
        buf_free(&h);
    }
    char *label = xasprintf(" %s: ", p->label);
    int lw = text_width(label);
    tui_put(y, 0, label, COLS, tui_attr(t, ROLE_PROMPT));
    free(label);
    /* Typed or pasted text is shown sanitized too: a pasted escape must not reach the tty. */
    char *before = text_sanitize(p->text, p->pos, 0);
    char *all = text_sanitize(p->text, p->len, 0);
    int cw = text_width(before), room = COLS - lw - 1;
    int skip = cw > room ? cw - room : 0;
    const char *shown = all;
    while (skip > 0 && *shown) {
        char *one = text_fit(shown, 1, 0);
        size_t adv = strlen(one) ? strlen(one) : 1;
        skip -= text_width(one) ? text_width(one) : 1;
        shown += adv;
        free(one);
    }
    int scrolled = cw > room ? cw - room : 0;
    tui_put(y, lw, shown, room > 0 ? room : 0, tui_attr(t, ROLE_NORMAL));
    curs_set(1);
    move(y, lw + cw - scrolled);
    free(before);
    free(all);
}
