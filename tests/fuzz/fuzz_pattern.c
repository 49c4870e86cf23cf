/* Fuzzes pattern files: any text loads or is refused with FILE:LINE messages, and every loaded
 * pattern renders its templates without a crash. */
#include "model/pattern.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[] = "/tmp/tactful-fuzz-pattern-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return 0;
    if (write(fd, data, size) != (ssize_t)size) {
        close(fd);
        unlink(path);
        return 0;
    }
    close(fd);
    struct pattern_set *set = pattern_set_new();
    char *err = NULL;
    if (pattern_load_file(set, path, &err) != 0) {
        if (err == NULL || strncmp(err, path, strlen(path)) != 0)
            abort(); /* every message names the file */
    } else {
        struct pattern_vars vars = {"@alice", "bins", "https://www.gov.uk/", "^SP"};
        for (size_t i = 0; i < set->n; i++) {
            char *text = pattern_render(&set->items[i], "bluesky", &vars);
            free(text);
        }
    }
    free(err);
    pattern_set_free(set);
    unlink(path);
    return 0;
}
