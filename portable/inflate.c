/* Expands the files built into tactful-portable (see cli/embedded.h); linked only into it. */
#include "cli/embedded.h"

#include <lzma.h>
#include <stdint.h>

int
cli_embedded_expand(unsigned char *out)
{
    uint64_t memlimit = (uint64_t)256 << 20;
    size_t in_pos = 0, out_pos = 0;
    lzma_ret rc = lzma_stream_buffer_decode(&memlimit, 0, NULL, cli_embedded_blob, &in_pos,
                                            cli_embedded_zlen, out, &out_pos,
                                            cli_embedded_total);
    return rc == LZMA_OK && in_pos == cli_embedded_zlen && out_pos == cli_embedded_total ? 0
                                                                                        : -1;
}
