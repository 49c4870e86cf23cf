/* Collapsed sub-threads of the thread view: a flag per post, the extent of each post's replies
 * in depth-first order, and the list of rows shown, rebuilt after every change. */
#include "tui/thread_fold.h"

#include "model/thread.h"
#include "model/xmalloc.h"

#include <stdlib.h>
#include <string.h>

struct tui_fold {
    size_t n;
    long *end;              /* per post: one past its last reply (at any depth) */
    unsigned char *folded;  /* per post: collapsed */
    long *rows;             /* the posts shown, in order */
    long nrows;
    long *row;              /* per post: its row, or -1 when hidden */
};

/* Rebuilds the rows from the collapsed flags: a collapsed post's replies are skipped. */
static void
rebuild(struct tui_fold *f)
{
    f->nrows = 0;
    for (size_t i = 0; i < f->n; i++)
        f->row[i] = -1;
    for (size_t i = 0; i < f->n;) {
        f->row[i] = f->nrows;
        f->rows[f->nrows++] = (long)i;
        i = f->folded[i] ? (size_t)f->end[i] : i + 1;
    }
}

struct tui_fold *
tui_fold_new(const struct thread_post *posts, size_t n)
{
    struct tui_fold *f = xcalloc(1, sizeof *f);
    f->n = n;
    f->end = xreallocarray(NULL, n + 1, sizeof *f->end);
    f->folded = xcalloc(n + 1, 1);
    f->rows = xreallocarray(NULL, n + 1, sizeof *f->rows);
    f->row = xreallocarray(NULL, n + 1, sizeof *f->row);
    /* A post's replies are the posts after it that are deeper, up to the next one that is
     * not: found for every post in one pass with a stack of the posts still open. */
    long *open = xreallocarray(NULL, n + 1, sizeof *open);
    size_t nopen = 0;
    for (size_t i = 0; i < n; i++) {
        while (nopen > 0 && posts[open[nopen - 1]].depth >= posts[i].depth)
            f->end[open[--nopen]] = (long)i;
        open[nopen++] = (long)i;
    }
    while (nopen > 0)
        f->end[open[--nopen]] = (long)n;
    free(open);
    rebuild(f);
    return f;
}

void
tui_fold_free(struct tui_fold *f)
{
    if (f == NULL)
        return;
    free(f->end);
    free(f->folded);
    free(f->rows);
    free(f->row);
    free(f);
}

long
tui_fold_rows(const struct tui_fold *f)
{
    return f->nrows;
}

long
tui_fold_post(const struct tui_fold *f, long row)
{
    return row >= 0 && row < f->nrows ? f->rows[row] : -1;
}

long
tui_fold_row(const struct tui_fold *f, long post)
{
    return post >= 0 && (size_t)post < f->n ? f->row[post] : -1;
}

long
tui_fold_replies(const struct tui_fold *f, long post)
{
    return post >= 0 && (size_t)post < f->n ? f->end[post] - post - 1 : 0;
}

int
tui_fold_collapsed(const struct tui_fold *f, long post)
{
    return post >= 0 && (size_t)post < f->n && f->folded[post];
}

int
tui_fold_set(struct tui_fold *f, long post, int collapsed)
{
    if (tui_fold_replies(f, post) == 0 || f->folded[post] == (collapsed != 0))
        return 0;
    f->folded[post] = collapsed != 0;
    rebuild(f);
    return 1;
}

void
tui_fold_all(struct tui_fold *f, int collapsed)
{
    for (size_t i = 0; i < f->n; i++)
        f->folded[i] = collapsed && f->end[i] > (long)i + 1;
    rebuild(f);
}

void
tui_fold_load(struct tui_fold *f, const unsigned char *which)
{
    for (size_t i = 0; i < f->n; i++)
        f->folded[i] = which[i] && f->end[i] > (long)i + 1;
    rebuild(f);
}

void
tui_fold_reveal(struct tui_fold *f, long post)
{
    if (tui_fold_row(f, post) >= 0)
        return;
    for (long j = 0; j < post; j++)
        if (f->end[j] > post)
            f->folded[j] = 0;
    rebuild(f);
}

long
tui_fold_shown(const struct tui_fold *f, long post)
{
    if (post < 0 || (size_t)post >= f->n)
        return -1;
    /* The ancestors come first in depth-first order: the first collapsed one is outermost. */
    for (long j = 0; j < post; j++)
        if (f->folded[j] && f->end[j] > post)
            return f->row[j];
    return f->row[post];
}

long
tui_fold_hidden(const struct tui_fold *f)
{
    return (long)f->n - f->nrows;
}
