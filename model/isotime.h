/* UTC timestamps as the cache stores them: "YYYY-MM-DDTHH:MM:SSZ". */
#ifndef TACTFUL_ISOTIME_H
#define TACTFUL_ISOTIME_H

#include <time.h>

#define ISOTIME_LEN 21 /* including the NUL */

/* The times tactful accepts: UTC years 1970 to 9999, the ones the stored form can hold. */
#define ISOTIME_MIN ((time_t)0)                 /* 1970-01-01T00:00:00Z */
#define ISOTIME_MAX ((time_t)253402300799LL)    /* 9999-12-31T23:59:59Z */

/* Parses an RFC 3339 timestamp ("2026-11-20T09:15:00Z", optional fraction, "Z" or "+HH:MM")
 * and writes its UTC form (fractions dropped) to out. Returns 0, or -1 when s is not one or
 * its UTC form falls outside ISOTIME_MIN..ISOTIME_MAX (9999-12-31T23:59:59-23:59 is in year
 * 10000 in UTC, so it is refused). */
int isotime_normalize(const char *s, char out[ISOTIME_LEN]);

/* Parses the stored form (or any RFC 3339 timestamp) to a time_t. Returns 0, or -1 when s
 * is not one or falls outside ISOTIME_MIN..ISOTIME_MAX. */
int isotime_parse(const char *s, time_t *t);

/* Whether t is one tactful accepts (ISOTIME_MIN..ISOTIME_MAX). */
int isotime_in_range(time_t t);

/* Writes t as the stored form; a t outside ISOTIME_MIN..ISOTIME_MAX is written as the nearer
 * bound, so out always holds a whole, NUL-terminated timestamp. */
void isotime_format(time_t t, char out[ISOTIME_LEN]);

/* Writes the current time as the stored form. */
void isotime_now(char out[ISOTIME_LEN]);

/* Writes a short age such as "5m", "3h", "2d", "7w" of t relative to now. */
void isotime_age(time_t t, time_t now, char out[16]);

#endif
