/* The hand-checked cache of the report tests (tests/model_report_test.c and, through
 * tests/helper_reportfixture.c, tests/cli/report_test.sh), built through the model's own
 * writers: the importer for posts (a sync writes the same way), triage, drafts with their
 * approval and return, the outbox and the guardrails' approval requests.
 *
 * Two accounts: m (Mastodon) and b (Bluesky). Times are UTC; 2026-11-02 is a Monday. The
 * period reported is 2026-11-02 to 2026-11-15 inclusive; business hours Mon-Fri 09:00-17:00,
 * read with TZ=UTC.
 *
 *  thread  acct  first post from the public   first reply                 wall     business
 *  1 t1    m     Mon 11-02 10:00              own post Mon 10:30            30m       30m
 *  2 t2    m     Mon 11-02 16:00              sent by tactful Tue 10:00     18h       1h+1h = 2h
 *  3 t3    m     Fri 11-06 18:00 (closed)     own post Sat 11-07 09:00      15h       0 (both outside)
 *  4 t4    b     Fri 11-06 16:30              own post Mon 11-09 09:30      65h       30m+30m = 1h
 *  5 t5    b     Tue 11-10 12:00              none (marked escalated)        -         -
 *  6 t6    b     Wed 11-11 11:00 (the office  own post Wed 11:20            20m       20m
 *                posted the root at 09:00)
 *  7 t7    m     Thu 11-12 14:00              none (escalation rule fired,   -         -
 *                                             approval asked)
 *  8 t8    m     Sun 11-01 23:00              before the period: not counted
 *  9 t9    b     Mon 11-16 08:00              after the period: not counted
 *
 * In: threads 1-7 = 7. Answered: 1, 2, 3, 4, 6 = 5 (71 %).
 * Wall times ascending: 1200 (t6), 1800 (t1), 54000 (t3), 64800 (t2), 234000 (t4);
 * nearest rank: median = rank ceil(5 * 50 / 100) = 3 -> 54000 (15h00m);
 * p90 = rank ceil(4.5) = 5 -> 234000 (2d17h).
 * Business: 0 (t3), 1200, 1800, 3600 (t4), 7200 (t2): median 1800 (30m), p90 7200 (2h00m).
 * Histogram (business time): <1h 3 (0, 1200, 1800), 1-4h 2 (3600, 7200).
 * Returned: draft 1 on thread 2, by lee.chan, "Say which day the bins go out". Escalated: 5
 * (marked) and 7 (guard approval request of category escalation) = 2.
 * Thread 2's first reply was written by sam.patel with the acknowledgement pattern; thread 1
 * is assigned to jo.khan; the rest have no officer (-). Tags: t1 bins; t4 bins and roads.
 *
 * By account: b = t4 t5 t6: in 3, answered 2, wall 1200 234000 (median rank 1: 1200; p90
 * rank 2: 234000), business 1200 3600 (1200, 3600), returned 0, escalated 1.
 * m = t1 t2 t3 t7: in 4, answered 3, wall 1800 54000 64800 (median rank 2: 54000; p90 rank
 * 3: 64800), business 0 1800 7200 (1800, 7200), returned 1, escalated 1.
 * By officer: - = t3..t7 (in 5, answered 3; business 0 1200 3600: median 1200, p90 3600),
 * jo.khan = t1 (1, 1), sam.patel = t2 (1, 1).
 * By tag: - = t2 t3 t5 t6 t7 (in 5, answered 3; business 0 1200 7200: median 1200), bins =
 * t1 t4 (2, 2: median 1800, p90 234000), roads = t4 (1, 1).
 *
 * Every audit entry is written now (the log is append-only), after the period, so the backlog
 * at the end of each week of the period shows the states before any change: week of 11-02
 * (to 11-09 00:00): t8 t1 t2 t3 t4 = 5 new; week of 11-09: also t5 t6 t7 = 8 new. At the end
 * of a period running up to now, t2 is replied (sent), t5 escalated and the other 7 new. */
#ifndef TACTFUL_REPORT_FIXTURE_H
#define TACTFUL_REPORT_FIXTURE_H

#include "model/db.h"
#include "model/draft.h"
#include "model/guard_override.h"
#include "model/import.h"
#include "model/outbox.h"
#include "model/triage.h"
#include "model/xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The posts, thread by thread (thread ids follow the order of first appearance). */
static const char rf_posts[] =
    "{\"platform\":\"mastodon\",\"account\":\"m\",\"thread\":\"t1\",\"id\":\"t1\",\"parent\":null,"
    "\"author\":\"@ann@x.example\",\"created_at\":\"2026-11-02T10:00:00Z\",\"text\":\"Bins missed\","
    "\"own\":false}\n"
    "{\"platform\":\"mastodon\",\"account\":\"m\",\"thread\":\"t1\",\"id\":\"t1r\",\"parent\":\"t1\","
    "\"author\":\"@council@gov.example\",\"created_at\":\"2026-11-02T10:30:00Z\",\"text\":\"Sorry Ann\","
    "\"own\":true}\n"
    "{\"platform\":\"mastodon\",\"account\":\"m\",\"thread\":\"t2\",\"id\":\"t2\",\"parent\":null,"
    "\"author\":\"@ben@x.example\",\"created_at\":\"2026-11-02T16:00:00Z\",\"text\":\"When are bins?\","
    "\"own\":false}\n"
    "{\"platform\":\"mastodon\",\"account\":\"m\",\"thread\":\"t3\",\"id\":\"t3\",\"parent\":null,"
    "\"author\":\"@cat@x.example\",\"created_at\":\"2026-11-06T18:00:00Z\",\"text\":\"Pothole\","
    "\"own\":false}\n"
    "{\"platform\":\"mastodon\",\"account\":\"m\",\"thread\":\"t3\",\"id\":\"t3r\",\"parent\":\"t3\","
    "\"author\":\"@council@gov.example\",\"created_at\":\"2026-11-07T09:00:00Z\",\"text\":\"Thanks Cat\","
    "\"own\":true}\n"
    "{\"platform\":\"bluesky\",\"account\":\"b\",\"thread\":\"t4\",\"id\":\"t4\",\"parent\":null,"
    "\"author\":\"@dan.example\",\"created_at\":\"2026-11-06T16:30:00Z\",\"text\":\"Road closed?\","
    "\"own\":false}\n"
    "{\"platform\":\"bluesky\",\"account\":\"b\",\"thread\":\"t4\",\"id\":\"t4r\",\"parent\":\"t4\","
    "\"author\":\"@council.example\",\"created_at\":\"2026-11-09T09:30:00Z\",\"text\":\"Open again\","
    "\"own\":true}\n"
    "{\"platform\":\"bluesky\",\"account\":\"b\",\"thread\":\"t5\",\"id\":\"t5\",\"parent\":null,"
    "\"author\":\"@eve.example\",\"created_at\":\"2026-11-10T12:00:00Z\",\"text\":\"A complaint\","
    "\"own\":false}\n"
    "{\"platform\":\"bluesky\",\"account\":\"b\",\"thread\":\"t6\",\"id\":\"t6\",\"parent\":null,"
    "\"author\":\"@council.example\",\"created_at\":\"2026-11-11T09:00:00Z\",\"text\":\"Consultation\","
    "\"own\":true}\n"
    "{\"platform\":\"bluesky\",\"account\":\"b\",\"thread\":\"t6\",\"id\":\"t6a\",\"parent\":\"t6\","
    "\"author\":\"@fay.example\",\"created_at\":\"2026-11-11T11:00:00Z\",\"text\":\"How long?\","
    "\"own\":false}\n"
    "{\"platform\":\"bluesky\",\"account\":\"b\",\"thread\":\"t6\",\"id\":\"t6r\",\"parent\":\"t6a\","
    "\"author\":\"@council.example\",\"created_at\":\"2026-11-11T11:20:00Z\",\"text\":\"Six weeks\","
    "\"own\":true}\n"
    "{\"platform\":\"mastodon\",\"account\":\"m\",\"thread\":\"t7\",\"id\":\"t7\",\"parent\":null,"
    "\"author\":\"@gus@x.example\",\"created_at\":\"2026-11-12T14:00:00Z\",\"text\":\"I give up\","
    "\"own\":false}\n"
    "{\"platform\":\"mastodon\",\"account\":\"m\",\"thread\":\"t8\",\"id\":\"t8\",\"parent\":null,"
    "\"author\":\"@hal@x.example\",\"created_at\":\"2026-11-01T23:00:00Z\",\"text\":\"Sunday\","
    "\"own\":false}\n"
    "{\"platform\":\"mastodon\",\"account\":\"m\",\"thread\":\"t8\",\"id\":\"t8r\",\"parent\":\"t8\","
    "\"author\":\"@council@gov.example\",\"created_at\":\"2026-11-02T09:10:00Z\",\"text\":\"Monday\","
    "\"own\":true}\n"
    "{\"platform\":\"bluesky\",\"account\":\"b\",\"thread\":\"t9\",\"id\":\"t9\",\"parent\":null,"
    "\"author\":\"@ivy.example\",\"created_at\":\"2026-11-16T08:00:00Z\",\"text\":\"Later\","
    "\"own\":false}\n";

/* Reports a failed step and returns -1. */
static inline int
rf_fail(const char *what, char *err)
{
    fprintf(stderr, "report fixture: %s: %s\n", what, err ? err : "failed");
    free(err);
    return -1;
}

/* Builds the fixture into the open, empty cache db with guard g (the shipped rules). Returns 0
 * or -1 after printing what failed. */
static inline int
rf_build(struct db *db, const struct guard *g)
{
    char *err = NULL;
    struct import_stats st;
    FILE *f = fmemopen((void *)rf_posts, strlen(rf_posts), "r");
    if (f == NULL)
        return rf_fail("fmemopen", NULL);
    int rc = import_jsonl(db, f, "report fixture", &st, &err);
    fclose(f);
    if (rc != 0)
        return rf_fail("import", err);

    /* Triage: t1 assigned and tagged, t4 tagged, t5 escalated. */
    const char *bins[] = {"bins"}, *bins_roads[] = {"bins", "roads"};
    if (triage_assign(db, "sam.patel", 1, "jo.khan", NULL, &err) != 0 ||
        triage_tag(db, "sam.patel", 1, bins, 1, NULL, 0, NULL, &err) != 0 ||
        triage_tag(db, "sam.patel", 4, bins_roads, 2, NULL, 0, NULL, &err) != 0 ||
        triage_set_state(db, "sam.patel", 5, "escalated", NULL, &err) != 0)
        return rf_fail("triage", err);

    /* t2: sam.patel's draft waits for approval, lee.chan returns it, it is submitted again,
     * approved, queued and sent. */
    long draft, outbox;
    struct draft_check check = {.guard = g, .pattern_approval = true, .today = "2026-11-03"};
    struct draft_submission res;
    if (draft_create(db, "sam.patel", 2, "t2", "acknowledgement",
                     "Thank you Ben, collections are on Tuesdays.", &draft, &err) != 0)
        return rf_fail("draft", err);
    rc = draft_submit(db, "sam.patel", draft, &check, &res, &err);
    enum draft_outcome outcome = res.outcome;
    draft_submission_free(&res);
    if (rc != 0 || outcome != DRAFT_PENDING)
        return rf_fail("submit", err);
    if (draft_return(db, "lee.chan", draft, "Say which day the bins go out", &err) != 0)
        return rf_fail("return", err);
    rc = draft_submit(db, "sam.patel", draft, &check, &res, &err);
    outcome = res.outcome;
    draft_submission_free(&res);
    if (rc != 0 || outcome != DRAFT_PENDING)
        return rf_fail("submit again", err);
    if (draft_approve(db, g, "lee.chan", draft, "2026-11-03", &outbox, &err) != 0)
        return rf_fail("approve", err);
    if (outbox_mark_sent(db, outbox, "sam.patel", "t2r", "https://m.example/t2r", &err) != 0)
        return rf_fail("send", err);
    /* outbox_mark_sent stamps the present time; the fixture's send was on Tuesday 10:00. */
    char *sql = xasprintf("UPDATE outbox SET sent_at = '2026-11-03T10:00:00Z' WHERE id = %ld",
                          outbox);
    rc = db_exec(db, sql, &err);
    free(sql);
    if (rc != 0)
        return rf_fail("send time", err);

    /* t7: an escalation rule fired on the incoming post; the officer asked for approval. */
    const char *text = "We are sorry to hear this. Please call us on our helpline.";
    struct guard_finding fnd = {.rule = "escalation.distress", .category = "escalation",
                                .severity = GUARD_ERROR, .source = GUARD_CONTEXT};
    if (guard_approval_request(db, "sam.patel", 7, text, strlen(text), &fnd,
                               "The helpline is the right place for this resident.", &err) != 0)
        return rf_fail("approval request", err);
    return 0;
}

#endif
