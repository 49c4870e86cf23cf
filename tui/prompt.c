/* The prompt: a one-line question on the bottom line (state, tags, a note, a search ...),
 * with Tab completion from a list of choices and, for short lists, a digit to answer at once.
 * Its keys are the `prompt` context of the keymap: answer, cancel and complete are its own
 * actions; it edits with the composer's editing actions (tui/edit.c) on the same editing
 * buffer (tui/editbuf.h), and characters no binding takes type themselves. */
#include "tui/internal.h"

#include "model/text.h"
#include "model/xmalloc.h"
#include "tui/editbuf.h"
#include "tui/draw.h"
#include "tui/prompt.h"

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
    struct editbuf *eb;   /* the answer being written */
};

/* This file's state in the interface (tui/screen_list.h), or NULL when there is none. */
static inline struct prompt *
prompt_state(const struct tui *t)
{
    return TUI_STATE(t, prompt);
}

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
    editbuf_free(p->eb);
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
    p->eb = editbuf_new(PROMPT_MAX);
    if (spec->initial)
        editbuf_load(p->eb, spec->initial, strlen(spec->initial));
    tui_prompt_close(t);
    TUI_STATE(t, prompt) = p;
}

void
tui_prompt_close(struct tui *t)
{
    prompt_free(prompt_state(t));
    TUI_STATE(t, prompt) = NULL;
}

int
tui_prompt_showing(struct tui *t)
{
    return prompt_state(t) != NULL;
}

struct editbuf *
tui_prompt_editbuf(struct tui *t)
{
    return prompt_state(t) ? prompt_state(t)->eb : NULL;
}

/* Completes the word before the cursor (after any + or -) from the choices: to the only
 * match, or to the longest prefix several share, listing them as the hint. */
static void
complete(struct prompt *p)
{
    const char *text = editbuf_text(p->eb);
    size_t pos = editbuf_cursor(p->eb), start = pos;
    while (start > 0 && text[start - 1] != ' ')
        start--;
    if (start < pos && (text[start] == '+' || text[start] == '-'))
        start++;
    size_t n = pos - start;
    const char *first = NULL;
    size_t common = 0, matches = 0;
    struct buf list = {0};
    for (size_t i = 0; i < p->nchoices; i++) {
        const char *c = p->choices[i];
        if (strncmp(c, text + start, n) != 0)
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
        editbuf_insert(p->eb, first + n, common - n);
    free(p->hint);
    p->hint = matches > 1 ? buf_take(&list) : NULL;
    buf_free(&list);
}

/* Answers: closes the prompt, then hands its text to the asker (which may ask again). */
static void
answer(struct tui *t, const char *text)
{
    tui_prompt_done done = prompt_state(t)->done;
    char *copy = xstrdup(text);
    tui_prompt_close(t);
    done(t, copy);
    free(copy);
}

void
tui_prompt_act_answer(struct tui *t, const struct tui_action *a)
{
    (void)a;
    if (prompt_state(t))
        answer(t, editbuf_text(prompt_state(t)->eb));
}

void
tui_prompt_act_cancel(struct tui *t, const struct tui_action *a)
{
    (void)a;
    tui_prompt_close(t);
    tui_message(t, "cancelled");
}

void
tui_prompt_act_complete(struct tui *t, const struct tui_action *a)
{
    (void)a;
    if (prompt_state(t))
        complete(prompt_state(t));
}

void
tui_prompt_type(struct tui *t, int key)
{
    struct prompt *p = prompt_state(t);
    if (p->instant && editbuf_len(p->eb) == 0 && key >= '0' && key <= '9') {
        size_t d = (size_t)(key - '0');
        size_t i = p->zero_based ? d : d - 1;
        if ((p->zero_based || d > 0) && i < p->nchoices) {
            answer(t, p->choices[i]);
            return;
        }
    }
    utf8proc_uint8_t buf[8];
    utf8proc_ssize_t n = utf8proc_encode_char(key, buf);
    if (n > 0)
        editbuf_insert(p->eb, (const char *)buf, (size_t)n);
}

void
tui_prompt_draw(struct tui *t)
{
    struct prompt *p = prompt_state(t);
    int y = LINES - 1;
    if (p->hint || (p->instant && p->nchoices)) {
        struct buf h = {0};
        buf_adds(&h, " ");
        if (p->instant && p->nchoices && editbuf_len(p->eb) == 0) {
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
    const char *text = editbuf_text(p->eb);
    char *before = text_sanitize(text, editbuf_cursor(p->eb), 0);
    char *all = text_sanitize(text, editbuf_len(p->eb), 0);
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
