/* Fuzzes the guardrails' checker with every shipped rule: any draft and post (split at the
 * first NUL), on any platform and pattern, checks without harm, and every finding points
 * inside its text with a message. Runs from the source tree's top folder. */
#include "fuzz_guard.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const platforms[] = {NULL, "mastodon", "bluesky", "wordpress"};
static const char *const patterns[] = {NULL, "signposting", "clarification", "mea-culpa"};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct guard *g = fuzz_guard_shipped();
    if (size == 0)
        return 0;
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    const char *nul = memchr(text, '\0', len);
    size_t draft_len = nul ? (size_t)(nul - text) : len;
    struct guard_input in = {
        .draft = text,
        .draft_len = draft_len,
        .context = nul ? nul + 1 : NULL,
        .context_len = nul ? len - draft_len - 1 : 0,
        .platform = platforms[data[0] & 3],
        .pattern = patterns[(data[0] >> 2) & 3],
        .today = data[0] & 16 ? "2027-04-20" : "2026-11-25",
    };
    struct guard_result r;
    char *err = NULL;
    if (guard_check(g, &in, &r, &err) != 0)
        abort();
    for (size_t i = 0; i < r.n; i++) {
        const struct guard_finding *f = &r.findings[i];
        size_t limit = f->source == GUARD_DRAFT ? in.draft_len : in.context_len;
        if (f->start > f->end || f->end > limit || f->message == NULL || f->suggestion == NULL)
            abort();
        if (f->source == GUARD_CONTEXT && in.context == NULL)
            abort();
    }
    guard_result_free(&r);
    return 0;
}
