/* The thread view's opinion mark: the post under the cursor, filed under the thread's topic
 * with a stance and its words as the quote (model/insight.h). */
#include "tui/insight.h"

#include "tui/internal.h"

#include "model/insight.h"
#include "model/insight_digest.h"
#include "model/thread.h"
#include "model/xmalloc.h"
#include "tui/prompt.h"
#include "tui/thread.h"

#include <stdlib.h>
#include <string.h>

/* Takes the stance prompt's answer (a stance, the start of one, or nothing: not said) and
 * marks the post; says when its quote will be withheld from digests. */
static void
stance_done(struct tui *t, const char *text)
{
    const struct thread_row *info = tui_thread_info(t);
    const struct thread_post *p = tui_thread_post(t);
    if (info == NULL || p == NULL || info->topic == NULL)
        return;
    const char *stance = NULL;
    size_t n = strlen(text);
    for (int i = 0; n && i < INSIGHT_NSTANCES; i++)
        if (strncmp(text, insight_stances[i], n) == 0)
            stance = insight_stances[i];
    if (n && stance == NULL) {
        tui_error(t, "'%.40s' is not a stance: for, against, mixed or question (Enter alone: "
                     "not said)", text);
        return;
    }
    struct insight_in in = {.thread = info->id, .post = p->remote_id, .topic = info->topic,
                            .stance = stance, .quote = 1};
    char *err = NULL;
    if (insight_add(t->db, t->opts->officer, &in, NULL, NULL, &err) != 0) {
        tui_error_take(t, "cannot mark the post", err);
        return;
    }
    char *why = NULL;
    int held = insight_quote_screen(t->opts->guard, p->text ? p->text : "", &why) ==
               INSIGHT_QUOTE_WITHHELD;
    free(why);
    tui_message(t, "post marked%s%s as an opinion on %s%s", stance ? " " : "",
                stance ? stance : "", info->topic,
                held ? "; its quote is withheld from digests (personal data): see tactful "
                       "insight add --quote-text"
                     : "");
}

void
tui_insight_act_mark(struct tui *t, const struct tui_action *a)
{
    (void)a;
    const struct thread_row *info = tui_thread_info(t);
    if (info == NULL || tui_thread_post(t) == NULL)
        return;
    if (info->topic == NULL) {
        tui_error(t, "give the thread a topic first (i): opinions are filed under it");
        return;
    }
    struct prompt_spec spec = {
        .label = "stance",
        .hint = "Enter alone: not said",
        .choices = insight_stances,
        .nchoices = INSIGHT_NSTANCES,
        .instant = 1,
        .done = stance_done,
    };
    tui_prompt_open(t, &spec);
}
