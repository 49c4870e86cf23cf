/* Fuzzes one JSON Lines record through validation: any input is accepted into a consistent
 * post or refused with a reason, never a crash or a leak; and the reader without Jansson
 * (import_parse_fast) accepts only what import_parse_line accepts, with the same values. */
#include "model/import.h"
#include "model/isotime.h"
#include "model/platform.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct post_in p;
    char created[ISOTIME_LEN];
    void *json = NULL;
    char *err = NULL;
    int rc = import_parse_line((const char *)data, size, &p, created, &json, &err);
    if (rc == 0) {
        /* An accepted record has every required field and a normalised time. */
        if (!p.platform || !p.account || !p.thread || !p.id || !p.author || !p.text ||
            strlen(p.created_at) != ISOTIME_LEN - 1 || platform_find(p.platform) == NULL)
            abort();
    } else if (err == NULL || *err == '\0') {
        abort();
    }
    struct post_in q;
    char created_q[ISOTIME_LEN];
    struct buf scratch = {0};
    if (import_parse_fast((const char *)data, size, &q, created_q, &scratch)) {
        if (rc != 0 || q.own != p.own || q.meta != NULL || p.meta != NULL)
            abort();
        const char *a[] = {p.platform, p.account, p.thread, p.id, p.parent, p.author,
                           p.author_name, p.created_at, p.text, p.html, p.url, p.title};
        const char *b[] = {q.platform, q.account, q.thread, q.id, q.parent, q.author,
                           q.author_name, q.created_at, q.text, q.html, q.url, q.title};
        for (size_t i = 0; i < sizeof a / sizeof a[0]; i++)
            if ((a[i] == NULL) != (b[i] == NULL) || (a[i] && strcmp(a[i], b[i]) != 0))
                abort();
    }
    buf_free(&scratch);
    free(err);
    json_decref(json);
    return 0;
}
