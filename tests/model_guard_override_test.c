/* Overriding findings with a reason, and approval by a second officer, in the audit log. */
#include "guardtest.h"

#include "model/audit.h"
#include "model/guard_override.h"

#include <jansson.h>

/* A cache, the shipped rules with political.party needing approval, and a draft's findings. */
struct fixture {
    struct tcache c;
    struct guard *g;
    const char *draft;
    struct guard_result r;
};

static int
setup(void **state)
{
    struct fixture *fx = xcalloc(1, sizeof *fx);
    tcache_open(&fx->c);
    fx->g = gt_shipped("[political.party]\napproval = yes\nlock = yes\n", NULL);
    fx->draft = "We'll fix it by Friday. The Labour group agreed. Call 07700 900123.";
    fx->r = gt_check(fx->g, fx->draft);
    *state = fx;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *fx = *state;
    guard_result_free(&fx->r);
    guard_free(fx->g);
    tcache_close(&fx->c);
    free(fx);
    return 0;
}

/* The finding of rule (or category ending in '.') in the fixture's result. */
static const struct guard_finding *
finding(struct fixture *fx, const char *rule)
{
    const struct guard_finding *f = gt_find(&fx->r, rule);
    if (f == NULL)
        fail_msg("no %s finding", rule);
    return f;
}

static void
test_reasons(void **state)
{
    (void)state;
    char *err = NULL;
    assert_true(guard_reason_valid("The resident asked us to confirm the date publicly.", &err));
    static const char *const bad[] = {NULL, "", "ok", "fine fine", "                  x",
                                      "xxxxxxxxxxxxxxxxxxxxx", "aaaaaaaaaaaa aaaaaaaa",
                                      "line one\nline two here", "bad \xff utf8 here ok"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (guard_reason_valid(bad[i], &err))
            fail_msg("reason %zu accepted", i);
        assert_non_null(err);
        free(err);
        err = NULL;
    }
    char *longr = xmalloc(GUARD_REASON_MAX + 2);
    memset(longr, 'a', GUARD_REASON_MAX + 1);
    longr[3] = ' ';
    longr[GUARD_REASON_MAX + 1] = '\0';
    assert_false(guard_reason_valid(longr, &err));
    assert_string_equal(err, "the reason is longer than 1000 bytes; keep it to a few sentences");
    free(err);
    free(longr);
}

static void
test_override_is_audited(void **state)
{
    struct fixture *fx = *state;
    const struct guard_finding *f = finding(fx, "commitment.");
    char *err = NULL;
    size_t len = strlen(fx->draft);
    assert_int_equal(guard_override(fx->c.db, fx->g, "sam.patel", 21, fx->draft, len, f,
                                    "too short", &err),
                     GUARD_OVERRIDE_FAILED);
    assert_non_null(strstr(err, "at least 12 characters"));
    free(err);
    assert_int_equal(guard_override(fx->c.db, fx->g, "", 21, fx->draft, len, f,
                                    "The repair is booked for Friday already.", &err),
                     GUARD_OVERRIDE_FAILED);
    free(err);
    assert_int_equal(tcache_int(&fx->c, "SELECT count(*) FROM audit"), 0);
    assert_int_equal(guard_override(fx->c.db, fx->g, "sam.patel", 21, fx->draft, len, f,
                                    "The repair is booked for Friday already.", &err),
                     GUARD_OVERRIDDEN);
    struct audit_entry *e;
    size_t n;
    assert_int_equal(audit_list(fx->c.db, 21, &e, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(e[0].officer, "sam.patel");
    assert_string_equal(e[0].action, "guard.override");
    json_t *d = json_loads(e[0].details, 0, NULL);
    assert_non_null(d);
    assert_string_equal(json_string_value(json_object_get(d, "rule")), f->rule);
    assert_string_equal(json_string_value(json_object_get(d, "severity")), "warning");
    assert_string_equal(json_string_value(json_object_get(d, "reason")),
                        "The repair is booked for Friday already.");
    assert_string_equal(json_string_value(json_object_get(d, "match")),
                        "We'll fix it by Friday");
    assert_int_equal(strlen(json_string_value(json_object_get(d, "fingerprint"))), 16);
    json_decref(d);
    audit_entries_free(e, n);
}

static void
test_personal_data_is_not_copied_to_the_log(void **state)
{
    struct fixture *fx = *state;
    const struct guard_finding *f = finding(fx, "personal-data.phone");
    char *err = NULL;
    assert_int_equal(guard_override(fx->c.db, fx->g, "sam.patel", 21, fx->draft,
                                    strlen(fx->draft), f,
                                    "This is the resident's own published business line.", &err),
                     GUARD_OVERRIDDEN);
    assert_int_equal(tcache_int(&fx->c, "SELECT count(*) FROM audit WHERE details LIKE "
                                        "'%07700%'"),
                     0);
    assert_int_equal(tcache_int(&fx->c, "SELECT count(*) FROM audit WHERE json_extract(details,"
                                        " '$.rule') = 'personal-data.phone'"),
                     1);
}

static void
test_approval_by_a_second_officer(void **state)
{
    struct fixture *fx = *state;
    const struct guard_finding *f = finding(fx, "political.party");
    size_t len = strlen(fx->draft);
    char *err = NULL;
    assert_true(f->approval);
    /* It cannot be overridden, whatever the reason; nothing is recorded. */
    assert_int_equal(guard_override(fx->c.db, fx->g, "sam.patel", 21, fx->draft, len, f,
                                    "Quoting the group's name from the minutes.", &err),
                     GUARD_NEEDS_APPROVAL);
    assert_int_equal(tcache_int(&fx->c, "SELECT count(*) FROM audit"), 0);
    enum guard_approval st;
    assert_int_equal(guard_approval_status(fx->c.db, 21, fx->draft, len, f, &st, &err), 0);
    assert_int_equal(st, GUARD_APPROVAL_NONE);
    /* Approving what nobody asked for fails. */
    assert_int_equal(guard_approval_grant(fx->c.db, "lee.chan", 21, fx->draft, len, f,
                                          "Checked with the monitoring officer.", &err),
                     -1);
    assert_non_null(strstr(err, "nobody has asked"));
    free(err);
    assert_int_equal(guard_approval_request(fx->c.db, "sam.patel", 21, fx->draft, len, f,
                                            "Quoting the group's name from the minutes.", &err),
                     0);
    assert_int_equal(guard_approval_status(fx->c.db, 21, fx->draft, len, f, &st, &err), 0);
    assert_int_equal(st, GUARD_APPROVAL_PENDING);
    /* The officer who asked cannot approve. */
    assert_int_equal(guard_approval_grant(fx->c.db, "sam.patel", 21, fx->draft, len, f,
                                          "I have checked it myself again.", &err),
                     -1);
    assert_string_equal(err, "a second officer must approve: sam.patel asked for this approval");
    free(err);
    /* Another thread's request does not count. */
    assert_int_equal(guard_approval_status(fx->c.db, 22, fx->draft, len, f, &st, &err), 0);
    assert_int_equal(st, GUARD_APPROVAL_NONE);
    assert_int_equal(guard_approval_grant(fx->c.db, "lee.chan", 21, fx->draft, len, f,
                                          "Checked with the monitoring officer.", &err),
                     0);
    assert_int_equal(guard_approval_status(fx->c.db, 21, fx->draft, len, f, &st, &err), 0);
    assert_int_equal(st, GUARD_APPROVAL_GRANTED);
    assert_int_equal(tcache_int(&fx->c, "SELECT count(*) FROM audit WHERE action = "
                                        "'guard.approve' AND officer = 'lee.chan' AND "
                                        "json_extract(details, '$.requested_by') = 'sam.patel'"),
                     1);
    /* An edit elsewhere in the draft keeps the approval; a changed match does not. */
    const char *edited = "We'll fix it soon.  The Labour   group agreed. Call 07700 900123.";
    struct guard_result r = gt_check(fx->g, edited);
    assert_int_equal(guard_approval_status(fx->c.db, 21, edited, strlen(edited),
                                           gt_find(&r, "political.party"), &st, &err),
                     0);
    assert_int_equal(st, GUARD_APPROVAL_GRANTED);
    guard_result_free(&r);
    const char *other = "The Tories agreed.";
    r = gt_check(fx->g, other);
    assert_int_equal(guard_approval_status(fx->c.db, 21, other, strlen(other),
                                           gt_find(&r, "political.party"), &st, &err),
                     0);
    assert_int_equal(st, GUARD_APPROVAL_NONE);
    guard_result_free(&r);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reasons),
        cmocka_unit_test_setup_teardown(test_override_is_audited, setup, teardown),
        cmocka_unit_test_setup_teardown(test_personal_data_is_not_copied_to_the_log, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_approval_by_a_second_officer, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
