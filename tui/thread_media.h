/* The thread view's lines for what a post carries besides its text (tui/thread_media.c). */
#ifndef TACTFUL_TUI_THREAD_MEDIA_H
#define TACTFUL_TUI_THREAD_MEDIA_H

#include "tui/draw.h"

struct thread_post;

/* Appends to l, wrapped to width columns, post p's labels, media with their alt text (or "no
 * description"), the post it quotes and its link card (model/extras.h), and, for a private
 * post, that a reply stays private: after a blank line, nothing when it has none. URLs are
 * shown as text, never opened. */
void tui_thread_media_lines(const struct thread_post *p, int width, struct tui_lines *l);

#endif
