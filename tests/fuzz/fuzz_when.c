/* Fuzzes the snooze time parser (what the inbox's snooze prompt reads: 2h, tomorrow, friday,
 * 14:00, a date, RFC 3339) and the RFC 3339 reader under it: any text is a time after now in
 * the stored form, "off", or refused with a sentence; every stored form reads back as
 * itself. The first byte moves "now" (by up to about a year) and picks a time zone. */
#include "model/isotime.h"
#include "model/xmalloc.h"
#include "tui/when.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const zones[] = {"UTC0", "GMT0BST,M3.5.0/1,M10.5.0",
                                    "NZST-12NZDT,M9.5.0,M4.1.0/3", "EST5EDT,M3.2.0,M11.1.0"};

/* Aborts unless s is a stored time that reads back as itself. */
static void
check_stored(const char *s)
{
    char again[ISOTIME_LEN], fmt[ISOTIME_LEN];
    time_t t;
    if (strlen(s) != ISOTIME_LEN - 1 || isotime_normalize(s, again) != 0 ||
        strcmp(again, s) != 0 || isotime_parse(s, &t) != 0)
        abort();
    isotime_format(t, fmt);
    if (strcmp(fmt, s) != 0)
        abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    setenv("TZ", zones[data[0] & 3], 1);
    tzset();
    time_t now = 1764000000 + (time_t)(data[0] >> 2) * 7 * 86400 + (time_t)data[0] * 3607;
    char *text = xstrndup((const char *)data + 1, size - 1);
    char out[ISOTIME_LEN] = "";
    char *err = NULL;
    int rc = tui_when_parse(text, now, out, &err);
    if (rc == 0) {
        time_t t;
        check_stored(out);
        if (err != NULL || isotime_parse(out, &t) != 0 || t <= now)
            abort();
    } else if (rc == 1) {
        if (err != NULL)
            abort();
    } else if (err == NULL || *err == '\0') {
        abort();
    }
    free(err);
    char norm[ISOTIME_LEN];
    if (isotime_normalize(text, norm) == 0)
        check_stored(norm);
    free(text);
    return 0;
}
