/* The empty table of built-in files for an ordinary build, which reads share/ from disk.
 * This file holds nothing else, so that a generated table linked ahead of the library
 * replaces it (see cli/embedded.h). */
#include "cli/embedded.h"

const struct cli_embedded_file cli_embedded_files[] = {{0, 0, 0}};
const size_t cli_embedded_count = 0;
const unsigned char cli_embedded_blob[] = {0};
const size_t cli_embedded_zlen = 0, cli_embedded_total = 0;
const char cli_embedded_id[] = "";

/* Never called: there is nothing to expand. */
int
cli_embedded_expand(unsigned char *out)
{
    (void)out;
    return -1;
}
