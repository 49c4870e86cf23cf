/* What the guardrail fuzzers share: the shipped rules, loaded once (they are the same for
 * every input). The fuzzers run from the source tree's top folder. */
#ifndef TACTFUL_FUZZ_GUARD_H
#define TACTFUL_FUZZ_GUARD_H

#include "model/guard.h"

#include <stdlib.h>

/* The guard of every shipped rule file; aborts when they do not load. */
static struct guard *
fuzz_guard_shipped(void)
{
    static struct guard *g;
    if (g == NULL) {
        char *err = NULL;
        struct guard_options o = {.rules_dir = "share/rules"};
        g = guard_new(&o, &err);
        if (g == NULL)
            abort(); /* the shipped rules must load */
    }
    return g;
}

#endif
