/* The triage-state table: its names, labels and messages, and that the cache's CHECK
 * constraint (model/schema.c), which must hold the same names, accepts every state in it. */
#include "testutil.h"

#include "model/triage.h"
#include "model/triage_state.h"

static void
test_table(void **state)
{
    (void)state;
    assert_int_equal(TRIAGE_NSTATES, 7);
    assert_string_equal(triage_state_names[0], "new");
    assert_string_equal(triage_state_names[TRIAGE_STATE_no_action], "no_action");
    assert_string_equal(triage_states[TRIAGE_STATE_to_reply].label, "to_rep");
    assert_string_equal(triage_states[TRIAGE_STATE_to_reply].help, "threads to reply to");
    assert_int_equal(triage_state_index("closed"), TRIAGE_STATE_closed);
    assert_int_equal(triage_state_index("clos"), -1);
    assert_int_equal(triage_state_index(NULL), -1);
    char *msg = triage_state_unknown("finished");
    assert_string_equal(msg, "unknown state 'finished'; states are new, to_reply, waiting, "
                             "replied, no_action, escalated and closed");
    free(msg);
    for (int i = 0; i < TRIAGE_NSTATES; i++) {
        assert_string_equal(triage_states[i].name, triage_state_names[i]);
        assert_true(strlen(triage_states[i].label) <= 6); /* the narrowest tab bar */
    }
}

/* Every state in the table can be stored, and one that is not in it is refused by the cache
 * itself, not only by the model's check. */
static void
test_cache_holds_every_state(void **state)
{
    (void)state;
    struct tcache c;
    tcache_open(&c);
    struct import_stats st;
    char *err = NULL;
    if (tcache_import(&c, FIXTURE, &st, &err) != 0)
        fail_msg("import: %s", err);
    for (int i = 0; i < TRIAGE_NSTATES; i++) {
        int rc = triage_set_state(c.db, "sam", 1, triage_state_names[i], NULL, &err);
        if (rc < 0)
            fail_msg("%s: %s", triage_state_names[i], err);
    }
    assert_int_equal(triage_set_state(c.db, "sam", 1, "finished", NULL, &err), -1);
    free(err);
    err = NULL;
    assert_int_not_equal(db_exec(c.db, "UPDATE threads SET state = 'finished' WHERE id = 1",
                                 &err),
                         0);
    free(err);
    tcache_close(&c);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_cache_holds_every_state),
    };
    return cmocka_run_group_tests_name("model_triage_state", tests, NULL, NULL);
}
