/* Fuzzes the guardrail rule-file reader: any text, read as a shipped pack or as an office
 * policy over a small pack, loads or is refused with FILE:LINE messages; a pack that loads
 * can check a draft. Runs from the source tree's top folder. */
#include "model/guard.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Writes size bytes to path; returns 0 or -1. */
static int
write_file(const char *path, const void *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        return -1;
    size_t n = fwrite(data, 1, size, f);
    fclose(f);
    return n == size ? 0 : -1;
}

static const char base_pack[] = "[tone.base]\nkind = phrase\nlevel = warning\n"
                                "message = m {match}\nmatch = bad word\n";

static const char draft[] = "We promise! The Labour group, 07700 900123, https://bit.ly/x "
                            "PLEASE STOP. A bad word, NM4 7QX, fake news.";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    bool as_policy = data[0] & 1;
    char dir[] = "/tmp/tactful-fuzz-guard-XXXXXX";
    if (mkdtemp(dir) == NULL)
        return 0;
    char pack[64], policy[64];
    snprintf(pack, sizeof pack, "%s/fuzz.rules", dir);
    snprintf(policy, sizeof policy, "%s/policy", dir);
    int rc = as_policy ? write_file(pack, base_pack, sizeof base_pack - 1) |
                             write_file(policy, data + 1, size - 1)
                       : write_file(pack, data + 1, size - 1);
    if (rc == 0) {
        struct guard_options o = {.rules_dir = dir, .policy = as_policy ? policy : NULL};
        char *err = NULL;
        struct guard *g = guard_new(&o, &err);
        if (g == NULL) {
            /* Every message names a file in the folder (or a list it could not read). */
            if (err == NULL || (strncmp(err, dir, strlen(dir)) != 0 &&
                                strncmp(err, "cannot read", 11) != 0 &&
                                strncmp(err, "no rule packs", 13) != 0))
                abort();
            free(err);
        } else {
            struct guard_input in = {.draft = draft, .draft_len = sizeof draft - 1,
                                     .context = draft, .context_len = sizeof draft - 1,
                                     .platform = "bluesky", .pattern = "signposting",
                                     .today = "2027-04-20"};
            struct guard_result r;
            if (guard_check(g, &in, &r, &err) != 0)
                abort();
            for (size_t i = 0; i < r.n; i++)
                if (r.findings[i].start > r.findings[i].end ||
                    r.findings[i].end > sizeof draft - 1 || r.findings[i].message == NULL)
                    abort();
            guard_result_free(&r);
            guard_free(g);
        }
    }
    unlink(pack);
    unlink(policy);
    rmdir(dir);
    return 0;
}
