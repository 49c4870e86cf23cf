/* Fuzzes the redaction of secrets from server text (net/redact.c): the input's first line is
 * the secret (the user of the Basic form follows a tab, if any), the rest the text. Whatever
 * they are, the secret never survives in the result, except where it could be made of the
 * mark's own characters. */
#include "model/xmalloc.h"
#include "net/redact.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data, *nl = memchr(p, '\n', size);
    size_t first = nl ? (size_t)(nl - p) : size;
    char *line = xstrndup(p, first);
    char *text = nl ? xstrndup(nl + 1, size - first - 1) : xstrdup("");
    char *tab = strchr(line, '\t');
    if (tab)
        *tab = '\0';
    const char *secret = line, *user = tab ? tab + 1 : NULL;
    struct redactor r = {0};
    redact_add(&r, secret, user);
    char *out = redact_apply(&r, text);
    if (out == NULL)
        abort();
    if (strlen(secret) >= REDACT_MIN_FORM && strlen(secret) <= REDACT_MAX_SECRET &&
        strstr(out, secret) != NULL && strpbrk(secret, REDACT_MARK) == NULL)
        abort();
    redact_in_place(&r, &text);
    if (strcmp(out, text) != 0) /* the two ways agree */
        abort();
    free(out);
    free(text);
    free(line);
    redact_clear(&r);
    return 0;
}
