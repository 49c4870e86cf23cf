/* UTC timestamp parsing and formatting. */
#include "model/isotime.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* Reads exactly n digits at *p into *v, advancing *p. Returns 0 or -1. */
static int
digits(const char **p, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*p)[i]))
            return -1;
        *v = *v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    return 0;
}

int
isotime_parse(const char *s, time_t *t)
{
    struct tm tm = {0};
    int y, mo, d, h, mi, sec, oh = 0, om = 0, sign = 0;
    const char *p = s;
    if (digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) || *p++ != '-' ||
        digits(&p, 2, &d) || (*p != 'T' && *p != 't' && *p != ' '))
        return -1;
    p++;
    if (digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi) || *p++ != ':' ||
        digits(&p, 2, &sec))
        return -1;
    if (*p == '.' || *p == ',') {
        p++;
        if (!isdigit((unsigned char)*p))
            return -1;
        while (isdigit((unsigned char)*p))
            p++;
    }
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        sign = *p++ == '+' ? 1 : -1;
        if (digits(&p, 2, &oh) || *p++ != ':' || digits(&p, 2, &om))
            return -1;
    } else {
        return -1;
    }
    if (*p != '\0' || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
        sec > 60 || oh > 23 || om > 59 || y < 1970)
        return -1;
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = sec > 59 ? 59 : sec;
    time_t v = timegm(&tm);
    if (v == (time_t)-1)
        return -1;
    /* Reject dates that timegm had to normalise, such as 31 February. */
    struct tm back;
    gmtime_r(&v, &back);
    if (back.tm_mday != d)
        return -1;
    v -= sign * (oh * 3600 + om * 60);
    if (!isotime_in_range(v))
        return -1;
    *t = v;
    return 0;
}

int
isotime_in_range(time_t t)
{
    return t >= ISOTIME_MIN && t <= ISOTIME_MAX;
}

void
isotime_format(time_t t, char out[ISOTIME_LEN])
{
    if (t < ISOTIME_MIN)
        t = ISOTIME_MIN;
    if (t > ISOTIME_MAX)
        t = ISOTIME_MAX;
    struct tm tm;
    gmtime_r(&t, &tm);
    if (strftime(out, ISOTIME_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(out, ISOTIME_LEN, "1970-01-01T00:00:00Z"); /* cannot happen in range */
}

int
isotime_normalize(const char *s, char out[ISOTIME_LEN])
{
    time_t t;
    if (isotime_parse(s, &t) != 0)
        return -1;
    isotime_format(t, out);
    return 0;
}

void
isotime_now(char out[ISOTIME_LEN])
{
    isotime_format(time(NULL), out);
}

void
isotime_age(time_t t, time_t now, char out[16])
{
    long d = (long)(now - t);
    if (d < 0)
        d = 0;
    if (d < 3600)
        snprintf(out, 16, "%ldm", d / 60);
    else if (d < 86400)
        snprintf(out, 16, "%ldh", d / 3600);
    else if (d < 86400L * 14)
        snprintf(out, 16, "%ldd", d / 86400);
    else if (d < 86400L * 7 * 99)
        snprintf(out, 16, "%ldw", d / (86400L * 7));
    else
        snprintf(out, 16, "%ldy", d / (86400L * 365));
}
