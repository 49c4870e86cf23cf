/* Expands a file built into tactful-portable (see cli/embedded.h); linked only into it. */
#include "cli/embedded.h"

#include <zlib.h>

int
cli_embedded_inflate(const struct cli_embedded_file *f, unsigned char *out)
{
    z_stream z = {0};
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) /* 16: a gzip stream */
        return -1;
    z.next_in = (unsigned char *)f->zdata;
    z.avail_in = (uInt)f->zlen;
    z.next_out = out;
    z.avail_out = (uInt)f->len;
    int rc = inflate(&z, Z_FINISH);
    int ok = rc == Z_STREAM_END && z.total_out == f->len;
    inflateEnd(&z);
    return ok ? 0 : -1;
}
