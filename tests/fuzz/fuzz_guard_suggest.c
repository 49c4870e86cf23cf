/* Fuzzes the pattern suggester with every shipped suggest rule: any post gets at most
 * GUARD_SUGGEST_MAX known patterns, each once, best first, with a reason and a span inside
 * the post. Runs from the source tree's top folder. */
#include "fuzz_guard.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts unless suggestion i of s is sound for a post of len bytes. */
static void
check_one(const struct guard_suggestions *s, size_t i, size_t len)
{
    const struct guard_suggestion *v = &s->v[i];
    if (guard_pattern_find(v->pattern) == NULL || v->reason == NULL || v->rule == NULL ||
        v->start > v->end || v->end > len || v->score <= 0)
        abort();
    for (size_t j = 0; j < i; j++)
        if (strcmp(s->v[j].pattern, v->pattern) == 0 || s->v[j].score < v->score)
            abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct guard *g = fuzz_guard_shipped();
    struct guard_suggestions s;
    char *err = NULL;
    if (guard_suggest(g, (const char *)data, size, &s, &err) != 0)
        abort();
    if (s.n > GUARD_SUGGEST_MAX)
        abort();
    for (size_t i = 0; i < s.n; i++)
        check_one(&s, i, size);
    guard_suggestions_free(&s);
    return 0;
}
