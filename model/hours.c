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

/* The instant of minute `minutes` of the local day of *day (its date fields only). */
static time_t
local_at(const struct tm *day, int minutes)
{
    struct tm t = *day;
    t.tm_hour = minutes / 60;
    t.tm_min = minutes % 60;
    t.tm_sec = 0;
    t.tm_isdst = -1;
    return mktime(&t);
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
    /* Whole weeks at once: from a to the same local clock time k weeks later every open
     * weekday's hours come round k times. Two weeks or less are left for the days. */
    long long weeks = (long long)(b - a) / (7 * 86400) - 2;
    if (weeks > 0) {
        struct tm t;
        localtime_r(&a, &t);
        t.tm_mday += (int)(weeks * 7);
        t.tm_isdst = -1;
        time_t later = mktime(&t);
        if (later > a && later <= b) {
            total += weeks * week_seconds(h);
            a = later;
        }
    }
    struct tm day;
    localtime_r(&a, &day);
    for (int i = 0; i < 32; i++) {
        time_t open = local_at(&day, h->open), close = local_at(&day, h->close);
        if (open >= b)
            break;
        if (h->days & (1u << day.tm_wday)) {
            time_t from = open > a ? open : a, to = close < b ? close : b;
            if (to > from)
                total += to - from;
        }
        day.tm_mday++;
        day.tm_hour = 12; /* mktime normalises the date and the weekday */
        day.tm_isdst = -1;
        mktime(&day);
    }
    return total;
}
