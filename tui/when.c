/* Snooze times as an officer types them: "2h", "tomorrow", "friday", "14:00", a date, or a
 * full RFC 3339 time. Times of day are local; the result is stored in UTC. */
#include "tui/internal.h"

#include "model/xmalloc.h"
#include "tui/when.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The hour a day-only answer ("tomorrow", a weekday, a date) means. */
#define WHEN_MORNING 9

/* Relative units and their length in seconds. */
static const struct {
    char unit;
    long seconds;
} units[] = {{'m', 60}, {'h', 3600}, {'d', 86400}, {'w', 7 * 86400}};

static const char *const weekdays[] = {"sunday",   "monday", "tuesday", "wednesday",
                                       "thursday", "friday", "saturday"};

/* Local midnight-based time: day (relative to today) at hour:minute. */
static time_t
local_at(time_t now, int days, int hour, int minute)
{
    struct tm tm;
    localtime_r(&now, &tm);
    tm.tm_mday += days;
    tm.tm_hour = hour;
    tm.tm_min = minute;
    tm.tm_sec = 0;
    tm.tm_isdst = -1;
    return mktime(&tm);
}

/* Reads "Nm", "Nh", "Nd" or "Nw" (N 1..9999); returns 0 and sets *t, or -1. */
static int
parse_relative(const char *s, time_t now, time_t *t)
{
    char *end;
    long n = strtol(s, &end, 10);
    if (end == s || n < 1 || n > 9999 || end[0] == '\0' || end[1] != '\0' || !isdigit(*s))
        return -1;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (tolower((unsigned char)*end) == units[i].unit) {
            *t = now + (time_t)(n * units[i].seconds);
            return 0;
        }
    return -1;
}

/* Reads "tomorrow" or a weekday (the next one, a week on if it is today). */
static int
parse_day(const char *s, time_t now, time_t *t)
{
    if (strcasecmp(s, "tomorrow") == 0) {
        *t = local_at(now, 1, WHEN_MORNING, 0);
        return 0;
    }
    struct tm tm;
    localtime_r(&now, &tm);
    for (int d = 0; d < 7; d++) {
        size_t n = strlen(s);
        if (n >= 3 && strncasecmp(s, weekdays[d], n) == 0) {
            int ahead = (d - tm.tm_wday + 7) % 7;
            *t = local_at(now, ahead ? ahead : 7, WHEN_MORNING, 0);
            return 0;
        }
    }
    return -1;
}

/* Reads "HH:MM": today at that time, or tomorrow once it has passed. */
static int
parse_clock(const char *s, time_t now, time_t *t)
{
    int h, m, used = 0;
    if (sscanf(s, "%2d:%2d%n", &h, &m, &used) != 2 || s[used] != '\0' || h > 23 || m > 59 ||
        h < 0 || m < 0)
        return -1;
    *t = local_at(now, 0, h, m);
    if (*t <= now)
        *t = local_at(now, 1, h, m);
    return 0;
}

/* Reads "YYYY-MM-DD": that day at WHEN_MORNING local time. */
static int
parse_date(const char *s, time_t now, time_t *t)
{
    int y, mo, d, used = 0;
    if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &used) != 3 || s[used] != '\0' || mo < 1 ||
        mo > 12 || d < 1 || d > 31)
        return -1;
    (void)now;
    struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d,
                    .tm_hour = WHEN_MORNING, .tm_isdst = -1};
    *t = mktime(&tm);
    return tm.tm_mday == d ? 0 : -1; /* 2026-02-31 is not a day */
}

int
tui_when_parse(const char *text, time_t now, char out[ISOTIME_LEN], char **err)
{
    char s[64];
    const char *p = text + strspn(text, " ");
    snprintf(s, sizeof s, "%s", p);
    for (size_t n = strlen(s); n > 0 && s[n - 1] == ' '; n--)
        s[n - 1] = '\0';
    if (strcasecmp(s, "off") == 0 || strcasecmp(s, "wake") == 0)
        return 1;
    time_t t;
    if (parse_relative(s, now, &t) != 0 && parse_day(s, now, &t) != 0 &&
        parse_clock(s, now, &t) != 0 && parse_date(s, now, &t) != 0 &&
        isotime_parse(s, &t) != 0) {
        *err = xasprintf("'%.40s' is not a time; try 2h, 3d, tomorrow, friday, 14:00, "
                         "2026-12-01, 2026-12-01T09:00:00Z or off", s);
        return -1;
    }
    if (!isotime_in_range(t)) {
        *err = xasprintf("'%.40s' is not between 1970 and 9999 in UTC; pick a nearer time", s);
        return -1;
    }
    if (t <= now) {
        *err = xasprintf("'%.40s' has already passed; snooze until a later time", s);
        return -1;
    }
    isotime_format(t, out);
    return 0;
}
