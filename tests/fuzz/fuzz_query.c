/* Fuzzes the search language: any text parses or is refused with a sentence. */
#include "model/query.h"

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
    struct query q;
    char *err = NULL;
    if (query_parse(text, &q, &err) == 0) {
        for (size_t i = 0; i < q.nterms; i++)
            if (q.terms[i].value == NULL || q.terms[i].value[0] == '\0')
                abort();
        query_free(&q);
    } else if (err == NULL) {
        abort();
    }
    free(err);
    free(text);
    return 0;
}
