/* Fuzzes the display sanitizer: whatever the bytes, the output is valid UTF-8 with nothing a
 * terminal would act on, and fitting never exceeds the width asked for. */
#include "model/text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    for (int flags = 0; flags <= TEXT_MULTILINE; flags++) {
        char *s = text_sanitize((const char *)data, size, flags);
        for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
            if ((*p < 0x20 && !(*p == '\n' && flags)) || *p == 0x7f)
                abort();
            if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
                abort(); /* a C1 control */
        }
        for (int cols = 0; cols < 12; cols++) {
            char *fit = text_fit(s, cols, cols & 1);
            if (text_width(fit) > cols)
                abort();
            free(fit);
        }
        free(s);
    }
    return 0;
}
