/* Strings kept in large blocks, freed together (see strarena.h). */
#include "model/strarena.h"

#include "model/xmalloc.h"

#include <stdlib.h>
#include <string.h>

#define STRARENA_BLOCK 65536 /* bytes a block holds, unless one string needs more */

struct strarena_block {
    struct strarena_block *next;
    size_t used, cap;
    char data[];
};

char *
strarena_dupn(struct strarena *a, const char *s, size_t n)
{
    struct strarena_block *b = a->head;
    if (b == NULL || b->cap - b->used < n + 1) {
        size_t cap = n + 1 > STRARENA_BLOCK ? n + 1 : STRARENA_BLOCK;
        b = xmalloc(sizeof *b + cap);
        b->used = 0;
        b->cap = cap;
        b->next = a->head;
        a->head = b;
    }
    char *p = b->data + b->used;
    memcpy(p, s, n);
    p[n] = '\0';
    b->used += n + 1;
    return p;
}

char *
strarena_dup(struct strarena *a, const char *s)
{
    return strarena_dupn(a, s, strlen(s));
}

void
strarena_free(struct strarena *a)
{
    for (struct strarena_block *b = a->head, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    a->head = NULL;
}
