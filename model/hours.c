/* Business hours: the setting and the business time between two instants (model/hours.h). */
#include "model/hours.h"

#include "model/xmalloc.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *const day_names[7] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};

#define HOURS_HINT "write the days and the hours as in Mon-Fri 09:00-17:00"

/* The weekday named by the three letters at s, or -1. */
static int
day_at(const char *s)
{
    for (int d = 0; d < 7; d++)
        if (strncasecmp(s, day_names[d], 3) == 0)
            return d;
    return -1;
}

/* Reads "HH:MM" at s into minutes after midnight (24:00 allowed); returns the length read, 0
 * when it is not one. */
static int
clock_at(const char *s, int *minutes)
{
    if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) || s[2] != ':' ||
        !isdigit((unsigned char)s[3]) || !isdigit((unsigned char)s[4]))
        return 0;
    int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    if (h > 24 || m > 59 || (h == 24 && m != 0))
        return 0;
    *minutes = h * 60 + m;
    return 5;
}

int
hours_parse(const char *s, struct hours *out, char **err)
{
    struct hours h = {0};
    const char *p = s;
    while (*p == ' ')
        p++;
    for (;;) {
        int from = day_at(p);
        if (from < 0) {
            *err = xasprintf("'%s' does not start with a day name (Mon, Tue ...); " HOURS_HINT,
                             s);
            return -1;
        }
        p += 3;
        int to = from;
        if (*p == '-') {
            if ((to = day_at(p + 1)) < 0) {
                *err = xasprintf("'%s' has a day range without a day after '-'; " HOURS_HINT, s);
                return -1;
            }
            p += 4;
        }
        for (int d = from;; d = (d + 1) % 7) {
            h.days |= 1u << d;
            if (d == to)
                break;
        }
        if (*p != ',')
            break;
        p++;
    }
    if (*p != ' ') {
        *err = xasprintf("'%s' needs a space between the days and the hours; " HOURS_HINT, s);
        return -1;
    }
    while (*p == ' ')
        p++;
    int n = clock_at(p, &h.open), m = 0;
    if (n == 0 || p[n] != '-' || (m = clock_at(p + n + 1, &h.close)) == 0 ||
        p[n + 1 + m] != '\0') {
        *err = xasprintf("'%s' does not end with opening and closing times HH:MM-HH:MM; "
                         HOURS_HINT, s);
        return -1;
    }
    if (h.close <= h.open) {
        *err = xasprintf("'%s' closes before it opens; give the closing time after the "
                         "opening time, on the same day", s);
        return -1;
    }
    *out = h;
    return 0;
}

void
hours_format(const struct hours *h, char out[48])
{
    size_t len = 0;
    out[0] = '\0';
    for (int i = 0; i < 7; i++) {
        int d = (i + 1) % 7; /* Monday first */
        if (h->days & (1u << d))
            len += (size_t)snprintf(out + len, 48 - len, "%s%s", len ? "," : "", day_names[d]);
    }
    snprintf(out + len, 48 - len, " %02d:%02d-%02d:%02d", h->open / 60, h->open % 60,
             h->close / 60, h->close % 60);
}

/* The local day number (days since 1970-01-01 in local time) of t, and the offset from UTC
 * in force at t. localtime_r, unlike mktime, does not look at the zone file again each call. */
static long long
local_day(time_t t, long *off)
{
    struct tm tm;
    localtime_r(&t, &tm);
    *off = tm.tm_gmtoff;
    long long x = (long long)t + tm.tm_gmtoff;
    return x >= 0 ? x / 86400 : -((-x + 86399) / 86400);
}

/* The business seconds of one week. */
static long long
week_seconds(const struct hours *h)
{
    int open_days = 0;
    for (int d = 0; d < 7; d++)
        open_days += (h->days >> d) & 1;
    return (long long)open_days * (h->close - h->open) * 60;
}

long long
hours_between(const struct hours *h, time_t a, time_t b)
{
    if (b <= a || h->days == 0)
        return 0;
    long long total = 0;
    long off;
    long long day = local_day(a, &off);
    /* Whole weeks at once: from a to the same local clock time k weeks later every open
     * weekday's hours come round k times. Two weeks or less are left for the days. */
    long long weeks = (long long)(b - a) / (7 * 86400) - 2;
    if (weeks > 0) {
        long later_off;
        time_t later = a + (time_t)(weeks * 7 * 86400);
        local_day(later, &later_off);
        later += off - later_off; /* the same local clock time across a change of offset */
        if (later > a && later <= b) {
            total += weeks * week_seconds(h);
            a = later;
            day = local_day(a, &off);
        }
    }
    /* Day by day; each day's hours are placed with the offset in force at its noon. */
    for (int i = 0; i < 32; i++, day++) {
        time_t noon = (time_t)(day * 86400 + 43200 - off);
        local_day(noon, &off);
        time_t midnight = (time_t)(day * 86400 - off);
        time_t open = midnight + h->open * 60, close = midnight + h->close * 60;
        if (open >= b)
            break;
        int wday = (int)(((day + 4) % 7 + 7) % 7); /* 1970-01-01 was a Thursday */
        if (h->days & (1u << wday)) {
            time_t from = open > a ? open : a, to = close < b ? close : b;
            if (to > from)
                total += to - from;
        }
    }
    return total;
}
