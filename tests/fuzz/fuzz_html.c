/* Fuzzes HTML to text (Mastodon statuses, WordPress comments): any bytes give bounded text,
 * never a crash, and valid UTF-8 input gives valid UTF-8 output. */
#include "net/html.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Returns nonzero when s is valid UTF-8. */
static int
valid_utf8(const char *s)
{
    utf8proc_int32_t cp;
    for (const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s; *p;) {
        utf8proc_ssize_t n = utf8proc_iterate(p, -1, &cp);
        if (n <= 0)
            return 0;
        p += n;
    }
    return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *in = malloc(size + 1);
    memcpy(in, data, size);
    in[size] = '\0';
    char *text = html_to_text((const char *)data, size);
    if (text == NULL || strlen(text) > HTML_MAX_OUTPUT)
        abort();
    if (strlen(in) == size && valid_utf8(in) && !valid_utf8(text))
        abort();
    free(text);
    free(in);
    return 0;
}
