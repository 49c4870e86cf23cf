/* Fuzzes one JSON Lines record through validation: any input is accepted into a consistent
 * post or refused with a reason, never a crash or a leak. */
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
    free(err);
    json_decref(json);
    return 0;
}
