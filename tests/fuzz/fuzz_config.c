/* Fuzzes the configuration parser: any file loads or is refused with FILE:LINE messages. */
#include "model/config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[] = "/tmp/tactful-fuzz-config-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return 0;
    if (write(fd, data, size) != (ssize_t)size) {
        close(fd);
        unlink(path);
        return 0;
    }
    close(fd);
    char *err = NULL;
    struct config *cfg = config_load(path, 0, &err);
    if (cfg == NULL) {
        if (err == NULL || strncmp(err, path, strlen(path)) != 0)
            abort(); /* every message names the file */
        free(err);
    } else {
        for (size_t i = 0; i < cfg->naccounts; i++)
            if (!cfg->accounts[i].platform || !cfg->accounts[i].url)
                abort();
        config_free(cfg);
    }
    unlink(path);
    return 0;
}
