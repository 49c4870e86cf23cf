/* The prompt (tui/prompt.c): a one-line question at the bottom of the screen. */
#ifndef TACTFUL_TUI_PROMPT_H
#define TACTFUL_TUI_PROMPT_H

#include "tui/internal.h"

/* Called with the answer when Enter is pressed (text is never NULL). */
typedef void (*tui_prompt_done)(struct tui *t, const char *text);
struct prompt_spec {
    const char *label;              /* "state" */
    const char *hint;               /* shown after the label, or NULL */
    const char *initial;            /* text to start from, or NULL */
    const char *const *choices;     /* Tab completes from these, or NULL */
    size_t nchoices;
    int instant;                    /* a digit 1..nchoices (0..n-1 with zero_based) answers */
    int zero_based;
    tui_prompt_done done;
};
void tui_prompt_open(struct tui *t, const struct prompt_spec *spec);
void tui_prompt_close(struct tui *t);
void tui_prompt_draw(struct tui *t);
/* Types a character no binding of the prompt context took (a digit may answer at once). */
void tui_prompt_type(struct tui *t, int key);
/* Whether a question is being asked. */
int tui_prompt_showing(struct tui *t);
/* The answer being written, for the editing actions; NULL when no question is asked. */
struct editbuf *tui_prompt_editbuf(struct tui *t);

/* Action handlers named by the table in tui/actions.c. */
void tui_prompt_act_answer(struct tui *t, const struct tui_action *a);
void tui_prompt_act_cancel(struct tui *t, const struct tui_action *a);
void tui_prompt_act_complete(struct tui *t, const struct tui_action *a);

#endif
