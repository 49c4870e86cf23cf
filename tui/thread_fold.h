/* Collapsed sub-threads of the thread view (tui/thread_fold.c): which posts show as rows of
 * the tree and which are hidden inside a collapsed post, as neomutt and aerc fold threads.
 *
 * Posts are numbered in the depth-first order thread_get gives, so a post's replies (and
 * theirs) follow it at once. Collapsing a post hides them all behind its one line; a reply
 * keeps its own collapsed state while hidden, so expanding the outer post shows it as it was. */
#ifndef TACTFUL_TUI_THREAD_FOLD_H
#define TACTFUL_TUI_THREAD_FOLD_H

#include <stddef.h>

struct thread_post;
struct tui_fold;

/* Nothing collapsed over the n posts (depth-first, with their depths). Free with
 * tui_fold_free. */
struct tui_fold *tui_fold_new(const struct thread_post *posts, size_t n);
void tui_fold_free(struct tui_fold *f);

/* The rows the tree shows, and the post shown at row (0 <= row < rows). */
long tui_fold_rows(const struct tui_fold *f);
long tui_fold_post(const struct tui_fold *f, long row);

/* The row showing post, or -1 when it is hidden in a collapsed post. */
long tui_fold_row(const struct tui_fold *f, long post);

/* The replies below post (all of them, at every depth). */
long tui_fold_replies(const struct tui_fold *f, long post);

/* Whether post is collapsed (its replies hidden). */
int tui_fold_collapsed(const struct tui_fold *f, long post);

/* Collapses (collapsed nonzero) or expands post; a post without replies stays as it is.
 * Returns nonzero when that changed anything. */
int tui_fold_set(struct tui_fold *f, long post, int collapsed);

/* Collapses every post with replies, or expands every post. */
void tui_fold_all(struct tui_fold *f, int collapsed);

/* Collapses the posts whose byte in which (one per post) is nonzero and expands the others,
 * at once (a reload restoring the folds). */
void tui_fold_load(struct tui_fold *f, const unsigned char *which);

/* Expands the posts that hide post, so it shows. */
void tui_fold_reveal(struct tui_fold *f, long post);

/* The row standing for post: its own, or that of the outermost collapsed post hiding it. */
long tui_fold_shown(const struct tui_fold *f, long post);

/* The posts hidden in collapsed posts. */
long tui_fold_hidden(const struct tui_fold *f);

#endif
