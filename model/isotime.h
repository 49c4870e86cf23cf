/* UTC timestamps as the cache stores them: "YYYY-MM-DDTHH:MM:SSZ". */
#ifndef TACTFUL_ISOTIME_H
#define TACTFUL_ISOTIME_H

#include <time.h>

#define ISOTIME_LEN 21 /* including the NUL */

/* Parses an RFC 3339 timestamp ("2026-11-20T09:15:00Z", optional fraction, "Z" or "+HH:MM")
 * and writes its UTC form (fractions dropped) to out. Returns 0, or -1 when s is not one. */
int isotime_normalize(const char *s, char out[ISOTIME_LEN]);

/* Parses the stored form (or any RFC 3339 timestamp) to a time_t. Returns 0 or -1. */
int isotime_parse(const char *s, time_t *t);

/* Writes t as the stored form. */
void isotime_format(time_t t, char out[ISOTIME_LEN]);

/* Writes the current time as the stored form. */
void isotime_now(char out[ISOTIME_LEN]);

/* Writes a short age such as "5m", "3h", "2d", "7w" of t relative to now. */
void isotime_age(time_t t, time_t now, char out[16]);

#endif
