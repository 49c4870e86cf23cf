/* Business hours ([tactful] business_hours = "Mon-Fri 09:00-17:00"): parsing the setting and
 * counting the business time between two instants, in the local time zone (TZ). */
#ifndef TACTFUL_HOURS_H
#define TACTFUL_HOURS_H

#include <time.h>

/* Open hours: the same opening and closing time on each open weekday. */
struct hours {
    unsigned days; /* bit d set: open on weekday d (0 Sunday .. 6 Saturday, as tm_wday) */
    int open;      /* minutes after local midnight */
    int close;     /* minutes after local midnight, after open */
};

/* Parses "DAYS HH:MM-HH:MM", where DAYS is a day (Mon), a range (Mon-Fri, wrapping as in
 * Sat-Sun) or a comma-separated list of them (Mon-Thu,Sat); day names are English, three
 * letters, any case. Returns 0, or -1 with *err set to a sentence saying how to write it. */
int hours_parse(const char *s, struct hours *out, char **err);

/* Writes h back in the form hours_parse reads ("Mon-Fri 09:00-17:00" comes out as
 * "Mon,Tue,Wed,Thu,Fri 09:00-17:00"); out holds at least 48 bytes. */
void hours_format(const struct hours *h, char out[48]);

/* The seconds of business hours between a and b (0 when b <= a), counted day by day in the
 * local time zone: each day's hours are placed with the offset from UTC in force at its noon,
 * so summer time moves them with the clock. */
long long hours_between(const struct hours *h, time_t a, time_t b);

#endif
