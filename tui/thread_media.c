/* The thread view's lines for a post's labels, media, quote and link card, and its privacy:
 * see tui/thread_media.h. */
#include "tui/thread_media.h"

#include "model/extras.h"
#include "model/thread.h"
#include "model/xmalloc.h"

#include <stdlib.h>
#include <string.h>

/* What a private post's visibility means for the reply, or NULL for a public one. */
static const char *
private_line(const struct thread_post *p, const struct extras *x)
{
    if (!p->is_private)
        return NULL;
    if (x->visibility && strcmp(x->visibility, "direct") == 0)
        return "Private: a direct message; a reply goes only to the people it names.";
    return "Private: followers only; a reply stays followers-only.";
}

void
tui_thread_media_lines(const struct thread_post *p, int width, struct tui_lines *l)
{
    struct extras x;
    extras_read(p->meta, &x);
    char *text = extras_text(&x);
    const char *priv = private_line(p, &x);
    if (*text || priv)
        tui_lines_add(l, ROLE_NORMAL, "");
    if (priv)
        tui_lines_wrap(l, ROLE_HIGH, priv, 1, width);
    /* One wrapped paragraph per extra, so a long alt text stays under its own heading. */
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
        tui_lines_wrap(l, line[0] == ' ' ? ROLE_DIM : ROLE_INFO, line, 1, width);
    free(text);
    extras_clear(&x);
}
