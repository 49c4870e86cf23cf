/* The editing actions the composer and the prompt share: each runs one operation of the
 * editing buffer (tui/editbuf.h) on the buffer that has the keys, the prompt's while a
 * question is asked, else the composer's. The action table names these handlers; nothing
 * looks an operation up by its name. */
#include "tui/internal.h"

#include "model/draft.h"
#include "tui/editbuf.h"
#include "tui/composer.h"
#include "tui/edit.h"
#include "tui/prompt.h"

/* The buffer the keys edit, or NULL when nothing is being written. */
static struct editbuf *
focus(struct tui *t)
{
    if (tui_prompt_showing(t))
        return tui_prompt_editbuf(t);
    return tui_composer_editbuf(t);
}

/* Runs op on the buffer that has the keys. */
static void
edit(struct tui *t, bool (*op)(struct editbuf *eb))
{
    struct editbuf *eb = focus(t);
    if (eb)
        op(eb);
}

void
tui_edit_act_forward_char(struct tui *t, const struct tui_action *a)
{
    (void)a;
    edit(t, editbuf_right);
}

void
tui_edit_act_backward_char(struct tui *t, const struct tui_action *a)
{
    (void)a;
    edit(t, editbuf_left);
}

void
tui_edit_act_forward_word(struct tui *t, const struct tui_action *a)
{
    (void)a;
    edit(t, editbuf_word_right);
}

void
tui_edit_act_backward_word(struct tui *t, const struct tui_action *a)
{
    (void)a;
    edit(t, editbuf_word_left);
}

void
tui_edit_act_line_start(struct tui *t, const struct tui_action *a)
{
    (void)a;
    edit(t, editbuf_line_start);
}

void
tui_edit_act_line_end(struct tui *t, const struct tui_action *a)
{
    (void)a;
    edit(t, editbuf_line_end);
}

void
tui_edit_act_text_start(struct tui *t, const struct tui_action *a)
{
    (void)a;
    edit(t, editbuf_text_start);
}

void
tui_edit_act_text_end(struct tui *t, const struct tui_action *a)
{
    (void)a;
    edit(t, editbuf_text_end);
}

void
tui_edit_act_delete_char(struct tui *t, const struct tui_action *a)
{
    (void)a;
    edit(t, editbuf_delete_forward);
}

void
tui_edit_act_delete_backward(struct tui *t, const struct tui_action *a)
{
    (void)a;
    edit(t, editbuf_delete_back);
}

void
tui_edit_act_kill_line(struct tui *t, const struct tui_action *a)
{
    (void)a;
    edit(t, editbuf_kill_line);
}

void
tui_edit_act_kill_word_backward(struct tui *t, const struct tui_action *a)
{
    (void)a;
    edit(t, editbuf_kill_word_back);
}

void
tui_edit_act_kill_to_line_start(struct tui *t, const struct tui_action *a)
{
    (void)a;
    edit(t, editbuf_kill_line_start);
}

void
tui_edit_act_yank(struct tui *t, const struct tui_action *a)
{
    (void)a;
    struct editbuf *eb = focus(t);
    int flags = 0;
    if (eb == NULL)
        return;
    if (!editbuf_yank(eb, &flags))
        tui_message(t, "nothing killed yet to yank");
    else if ((flags & EDITBUF_FULL) && tui_prompt_showing(t))
        tui_error(t, "the answer is at its limit");
    else if (flags & EDITBUF_FULL)
        tui_error(t, "the reply is at its limit of %d bytes", DRAFT_MAX_BODY);
}

void
tui_edit_act_undo(struct tui *t, const struct tui_action *a)
{
    (void)a;
    struct editbuf *eb = focus(t);
    if (eb && !editbuf_undo(eb))
        tui_message(t, "nothing to undo");
}

void
tui_edit_act_redo(struct tui *t, const struct tui_action *a)
{
    (void)a;
    struct editbuf *eb = focus(t);
    if (eb && !editbuf_redo(eb))
        tui_message(t, "nothing to redo");
}
