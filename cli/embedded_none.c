/* The empty table of built-in files for an ordinary build, which reads share/ from disk.
 * This file holds nothing else, so that a generated table linked ahead of the library
 * replaces it (see cli/embedded.h). */
#include "cli/embedded.h"

const struct cli_embedded_file cli_embedded_files[] = {{0, 0, 0, 0}};
const size_t cli_embedded_count = 0;
const char cli_embedded_id[] = "";

/* Never called: there is nothing to expand. */
int
cli_embedded_inflate(const struct cli_embedded_file *f, unsigned char *out)
{
    (void)f;
    (void)out;
    return -1;
}
