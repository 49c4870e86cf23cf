/* Response reporting (model/report.c) against the hand-checked cache of
 * tests/report_fixture.h, whose comment works every figure out. */
#include "guardtest.h"

#include "model/report.h"
#include "report_fixture.h"

struct fixture {
    struct tcache c;
    struct guard *g;
};

static int
setup(void **state)
{
    struct fixture *fx = xcalloc(1, sizeof *fx);
    tcache_open(&fx->c);
    fx->g = gt_shipped(NULL, NULL);
    assert_int_equal(rf_build(fx->c.db, fx->g), 0);
    *state = fx;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *fx = *state;
    guard_free(fx->g);
    tcache_close(&fx->c);
    free(fx);
    return 0;
}

/* The report of the fixture's period (2026-11-02 to 2026-11-15) grouped by by. */
static struct report *
period_report(struct fixture *fx, enum report_by by, int business)
{
    struct hours h;
    char *err = NULL;
    assert_int_equal(hours_parse("Mon-Fri 09:00-17:00", &h, &err), 0);
    struct report_opts o = {.since = "2026-11-02T00:00:00Z", .until = "2026-11-16T00:00:00Z",
                            .by = by, .hours = business ? &h : NULL};
    struct report *r = NULL;
    if (report_build(fx->c.db, &o, &r, &err) != 0)
        fail_msg("report_build: %s", err);
    return r;
}

static void
assert_figures(const struct report_figures *f, const char *group, long in, long answered,
               long long median, long long p90, long long bmedian, long long bp90,
               long returned, long escalated)
{
    assert_string_equal(f->group, group);
    assert_int_equal(f->in, in);
    assert_int_equal(f->answered, answered);
    assert_int_equal(f->median_s, median);
    assert_int_equal(f->p90_s, p90);
    assert_int_equal(f->median_bh_s, bmedian);
    assert_int_equal(f->p90_bh_s, bp90);
    assert_int_equal(f->returned, returned);
    assert_int_equal(f->escalated, escalated);
}

/* The totals, with and without business hours, and the histogram. */
static void
test_totals(void **state)
{
    struct fixture *fx = *state;
    struct report *r = period_report(fx, REPORT_BY_NONE, 1);
    assert_figures(&r->total, "all", 7, 5, 54000, 234000, 1800, 7200, 1, 2);
    assert_int_equal(r->ngroups, 0);
    long hist[REPORT_BUCKETS] = {3, 2, 0, 0, 0, 0};
    assert_memory_equal(r->total.hist, hist, sizeof hist);
    assert_string_equal(r->hours, "Mon,Tue,Wed,Thu,Fri 09:00-17:00");
    report_free(r);

    r = period_report(fx, REPORT_BY_NONE, 0);
    assert_figures(&r->total, "all", 7, 5, 54000, 234000, -1, -1, 1, 2);
    long wall[REPORT_BUCKETS] = {2, 0, 0, 2, 1, 0}; /* 20m 30m | 15h 18h | 65h */
    assert_memory_equal(r->total.hist, wall, sizeof wall);
    report_free(r);
}

/* Each grouping's rows, sorted by name. */
static void
test_groups(void **state)
{
    struct fixture *fx = *state;
    struct report *r = period_report(fx, REPORT_BY_ACCOUNT, 1);
    assert_int_equal(r->ngroups, 2);
    assert_figures(&r->groups[0], "b", 3, 2, 1200, 234000, 1200, 3600, 0, 1);
    assert_figures(&r->groups[1], "m", 4, 3, 54000, 64800, 1800, 7200, 1, 1);
    report_free(r);

    r = period_report(fx, REPORT_BY_PLATFORM, 0);
    assert_int_equal(r->ngroups, 2);
    assert_string_equal(r->groups[0].group, "bluesky");
    assert_string_equal(r->groups[1].group, "mastodon");
    assert_int_equal(r->groups[1].in, 4);
    report_free(r);

    r = period_report(fx, REPORT_BY_OFFICER, 0);
    assert_int_equal(r->ngroups, 3);
    assert_figures(&r->groups[0], "-", 5, 3, 54000, 234000, -1, -1, 0, 2);
    assert_figures(&r->groups[1], "jo.khan", 1, 1, 1800, 1800, -1, -1, 0, 0);
    assert_figures(&r->groups[2], "sam.patel", 1, 1, 64800, 64800, -1, -1, 1, 0);
    report_free(r);

    r = period_report(fx, REPORT_BY_PATTERN, 0);
    assert_int_equal(r->ngroups, 2);
    assert_string_equal(r->groups[0].group, "-");
    assert_int_equal(r->groups[0].in, 6);
    assert_figures(&r->groups[1], "acknowledgement", 1, 1, 64800, 64800, -1, -1, 1, 0);
    report_free(r);

    r = period_report(fx, REPORT_BY_TAG, 0);
    assert_int_equal(r->ngroups, 3);
    assert_figures(&r->groups[0], "-", 5, 3, 54000, 64800, -1, -1, 1, 2);
    assert_figures(&r->groups[1], "bins", 2, 2, 1800, 234000, -1, -1, 0, 0);
    assert_figures(&r->groups[2], "roads", 1, 1, 234000, 234000, -1, -1, 0, 0);
    report_free(r);

    r = period_report(fx, REPORT_BY_WEEK, 0);
    assert_int_equal(r->ngroups, 2);
    assert_figures(&r->groups[0], "2026-11-02", 4, 4, 54000, 234000, -1, -1, 1, 0);
    assert_figures(&r->groups[1], "2026-11-09", 3, 1, 1200, 1200, -1, -1, 0, 2);
    report_free(r);
}

/* The returned draft with its reviewer and why, volume per day and the weekly backlog. */
static void
test_returns_days_backlog(void **state)
{
    struct fixture *fx = *state;
    struct report *r = period_report(fx, REPORT_BY_NONE, 0);
    assert_int_equal(r->nreturns, 1);
    assert_int_equal(r->returns[0].thread, 2);
    assert_int_equal(r->returns[0].draft, 1);
    assert_string_equal(r->returns[0].reviewer, "lee.chan");
    assert_string_equal(r->returns[0].officer, "sam.patel");
    assert_string_equal(r->returns[0].pattern, "acknowledgement");
    assert_string_equal(r->returns[0].comment, "Say which day the bins go out");

    assert_int_equal(r->ndays, 14);
    assert_string_equal(r->days[0].day, "2026-11-02");
    assert_int_equal(r->days[0].in, 2);  /* t1 t2 */
    assert_int_equal(r->days[4].in, 2);  /* Friday: t3 t4 */
    assert_int_equal(r->days[8].in, 1);  /* t5 */
    assert_int_equal(r->days[9].in, 1);  /* t6 */
    assert_int_equal(r->days[10].in, 1); /* t7 */
    assert_int_equal(r->days[13].in, 0);

    assert_int_equal(r->nweeks, 2);
    assert_string_equal(r->weeks[0].monday, "2026-11-02");
    assert_int_equal(r->weeks[0].n[TRIAGE_STATE_new], 5);
    assert_string_equal(r->weeks[1].monday, "2026-11-09");
    assert_int_equal(r->weeks[1].n[TRIAGE_STATE_new], 8);
    for (int s = 1; s < TRIAGE_NSTATES; s++)
        assert_int_equal(r->weeks[0].n[s] + r->weeks[1].n[s], 0);
    report_free(r);

    /* Up to now, the changes the audit log records have happened. */
    struct report_opts o = {.since = "2026-11-30T00:00:00Z"};
    char *err = NULL;
    assert_int_equal(report_build(fx->c.db, &o, &r, &err), 0);
    assert_int_equal(r->total.in, 0);
    assert_int_equal(r->total.median_s, -1);
    const struct report_week *last = &r->weeks[r->nweeks - 1];
    assert_int_equal(last->n[TRIAGE_STATE_new], 7);
    assert_int_equal(last->n[TRIAGE_STATE_replied], 1);
    assert_int_equal(last->n[TRIAGE_STATE_escalated], 1);
    report_free(r);
}

/* Business hours: parsing, refusals, and counting across a weekend and whole weeks. */
static void
test_hours(void **state)
{
    (void)state;
    struct hours h;
    char *err = NULL;
    assert_int_equal(hours_parse("mon-thu,sat 08:30-12:00", &h, &err), 0);
    char out[48];
    hours_format(&h, out);
    assert_string_equal(out, "Mon,Tue,Wed,Thu,Sat 08:30-12:00");
    assert_int_equal(hours_parse("Sat-Sun 10:00-16:00", &h, &err), 0);
    assert_int_equal(h.days, 0x41u);
    static const char *const bad[] = {"", "Mon-Fri", "Fri 17:00-09:00", "Xyz 09:00-17:00",
                                      "Mon-Fri 9:00-17:00", "Mon-Fri 09:00-25:00"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(hours_parse(bad[i], &h, &err), -1);
        assert_non_null(strstr(err, "Mon-Fri 09:00-17:00") ? err : strstr(err, "closes"));
        free(err);
        err = NULL;
    }
    assert_int_equal(hours_parse("Mon-Fri 09:00-17:00", &h, &err), 0);
    time_t fri = 1793984400; /* 2026-11-06T17:00:00Z, Friday */
    assert_int_equal(hours_between(&h, fri, fri + 2 * 86400), 0);       /* to Sunday 17:00 */
    assert_int_equal(hours_between(&h, fri, fri + 3 * 86400), 8 * 3600); /* to Monday 17:00 */
    /* Five weeks and a day from Friday 17:00: 25 working days and Monday 09:00-17:00. */
    assert_int_equal(hours_between(&h, fri, fri + 38 * 86400), 26LL * 8 * 3600);
    assert_int_equal(hours_between(&h, fri, fri), 0);

    /* Local time: in London summer time ends on Sunday 2026-10-25. A post at 16:00 UTC on
     * Friday 23 October (17:00 BST, closed) answered at 10:00 UTC on Monday 26 (10:00 GMT):
     * one business hour, 09:00-10:00 on Monday. Friday 08:30 UTC is 09:30 BST: 7h30m that day. */
    setenv("TZ", "Europe/London", 1);
    tzset();
    time_t fri_bst = 1792771200; /* 2026-10-23T16:00:00Z */
    assert_int_equal(hours_between(&h, fri_bst, fri_bst + 3 * 86400 - 6 * 3600), 3600);
    assert_int_equal(hours_between(&h, fri_bst - 27000, fri_bst), 27000);
    setenv("TZ", "UTC", 1);
    tzset();
}

int
main(void)
{
    setenv("TZ", "UTC", 1); /* business hours are local time */
    tzset();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_totals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_groups, setup, teardown),
        cmocka_unit_test_setup_teardown(test_returns_days_backlog, setup, teardown),
        cmocka_unit_test(test_hours),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
