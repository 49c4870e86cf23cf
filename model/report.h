/* Response reporting (`tactful report`, the reports screen): figures about the threads that
 * came in during a period, read-only from the cache and its audit log.
 *
 * What each figure counts (the README's Reports section and tactful(1) say the same):
 * - a thread is *in* the period when its first post from the public (posts.own = 0) was made
 *   in it (since inclusive, until exclusive; UTC); every other figure is about those threads;
 * - its *first reply* is the earliest of the office's own posts (own = 1) made after that
 *   first post and of the replies tactful sent (outbox entries sent after it, at sent_at);
 *   the thread is *answered* when it has one, at any time up to now;
 * - the *time to first reply* is from that first post to the first reply; the median and the
 *   90th percentile are nearest-rank (the value at rank ceil(p * n / 100) of the n times in
 *   ascending order), in wall-clock seconds and, with business hours, in business seconds;
 * - *returned*: the draft returns (draft.return audit entries) on the thread, each with its
 *   reviewer's comment;
 * - *escalated*: the thread is in state escalated now, was ever marked escalated (a mark audit
 *   entry), or its incoming post fired an escalation rule that an officer overrode or asked a
 *   second officer to approve (a guard.* audit entry of category escalation);
 * - the *backlog* at the end of a week (Monday to Sunday, UTC): every thread whose first post
 *   came before that end, by the triage state it was in then (the last state change of the
 *   audit log by then: mark, undo of a mark, reply_sent; before its first change a thread was
 *   in that change's from state; a thread never changed is in its state now).
 * Groups: account, platform, tag (a thread counts under each of its tags, `-` when it has
 * none), week (of the first post from the public, by its Monday), officer (who wrote the
 * draft of the first reply tactful sent, else the thread's assignee, else `-`) and pattern
 * (that draft's pattern, else `-`). */
#ifndef TACTFUL_REPORT_H
#define TACTFUL_REPORT_H

#include "model/db.h"
#include "model/hours.h"
#include "model/isotime.h"
#include "model/triage_state.h"

#include <stddef.h>

enum report_by {
    REPORT_BY_NONE,
    REPORT_BY_ACCOUNT,
    REPORT_BY_OFFICER,
    REPORT_BY_PATTERN,
    REPORT_BY_TAG,
    REPORT_BY_WEEK,
    REPORT_BY_PLATFORM
};

/* The grouping called name ("account" ...), or -1. */
int report_by_parse(const char *name);

/* The name of a grouping ("none" for REPORT_BY_NONE). */
const char *report_by_name(enum report_by by);

/* Writes a duration as the table and the screen show it: "45s", "12m", "3h05m", "2d04h", or
 * "-" for a negative s (none). */
void report_duration(long long s, char out[32]);



/* The response-time histogram's buckets: under 1 hour, 1-4 h, 4-8 h, 8-24 h, 1-3 days, over
 * 3 days (business time when business hours are set). */
#define REPORT_BUCKETS 6
extern const char *const report_bucket_labels[REPORT_BUCKETS];

/* The most weeks of backlog and days of volume a report holds (the latest ones). */
#define REPORT_MAX_WEEKS 104
#define REPORT_MAX_DAYS 366

struct report_opts {
    const char *since;          /* stored UTC form, inclusive; NULL: from the first thread */
    const char *until;          /* stored UTC form, exclusive; NULL: up to now */
    enum report_by by;
    const struct hours *hours;  /* business hours, or NULL */
};

/* The figures of one group (or of every thread in, the total). */
struct report_figures {
    char *group;            /* "all" for the total */
    long in;
    long answered;
    long returned;
    long escalated;
    long long median_s;     /* wall-clock seconds to first reply; -1 when none answered */
    long long p90_s;
    long long median_bh_s;  /* business seconds; -1 when none answered or no business hours */
    long long p90_bh_s;
    long hist[REPORT_BUCKETS]; /* answered threads by time to first reply */
};

/* A draft returned by a reviewer on a thread in the period. */
struct report_return {
    char *at;
    char *reviewer;
    char *officer;          /* who wrote the draft, or NULL when it is gone */
    char *pattern;          /* the draft's pattern, or NULL */
    long draft;
    long thread;
    char *comment;          /* why (officer's text: sanitize before display) */
};

/* The backlog at the end of one week. */
struct report_week {
    char monday[11];        /* YYYY-MM-DD, the week's first day */
    long n[TRIAGE_NSTATES];
};

/* Threads in on one day (UTC). */
struct report_day {
    char day[11];
    long in;
};

/* A whole report; owns everything in it. */
struct report {
    char since[ISOTIME_LEN];    /* the period covered: the first thread's time when not set */
    char until[ISOTIME_LEN];    /* exclusive: now when not set */
    enum report_by by;
    int business;               /* business hours were given */
    char hours[48];             /* their form, when given */
    struct report_figures total;
    struct report_figures *groups; /* sorted by name; empty with REPORT_BY_NONE */
    size_t ngroups;
    struct report_return *returns; /* oldest first */
    size_t nreturns;
    struct report_week *weeks;  /* oldest first */
    size_t nweeks;
    struct report_day *days;    /* oldest first, every day of the period (the latest
                                 * REPORT_MAX_DAYS) */
    size_t ndays;
};

/* Builds the report for o from db, reading only. Returns 0 with *out set (free it with
 * report_free), or -1 with *err set. */
int report_build(struct db *db, const struct report_opts *o, struct report **out, char **err);

void report_free(struct report *r);

/* The share of f's threads answered, in whole per cent rounded to nearest; -1 when none came
 * in. */
int report_answered_pct(const struct report_figures *f);

#endif
