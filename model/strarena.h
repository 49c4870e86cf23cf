/* Strings kept together in large blocks and freed all at once: for the many short texts a
 * load reads (rule entries, examples) that live exactly as long as their owner, so that each
 * costs a copy rather than an allocation and a free of its own. */
#ifndef TACTFUL_STRARENA_H
#define TACTFUL_STRARENA_H

#include <stddef.h>

struct strarena_block;

/* Owns its blocks; zero-initialised is empty. Free with strarena_free. */
struct strarena {
    struct strarena_block *head; /* the block being filled, then the older ones */
};

/* A NUL-terminated copy of s[0..n) (n bytes, which may hold no NUL) kept until the arena is
 * freed; never NULL. */
char *strarena_dupn(struct strarena *a, const char *s, size_t n);
/* A copy of the string s, as strarena_dupn. */
char *strarena_dup(struct strarena *a, const char *s);
/* Frees every string of the arena and empties it. */
void strarena_free(struct strarena *a);

#endif
