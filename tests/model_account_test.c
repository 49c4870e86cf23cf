/* The last sync of each account as the cache keeps it (model/account.h): when it was last
 * tried, how it went and why it failed, and how many new threads its last good sync brought,
 * for the interface's status bar and help and for `tactful accounts`. */
#include "testutil.h"

#include "model/account.h"
#include "model/isotime.h"

/* A good sync records its time as both the last sync and the last attempt, and its count. */
static void
test_good_sync_counts(void **state)
{
    (void)state;
    struct tcache c;
    struct account_state st;
    char *err = NULL;
    tcache_open(&c);
    assert_int_equal(account_state_get(c.db, "masto", &st, &err), 0);
    assert_null(st.last_attempt);
    assert_int_equal(st.last_new, -1); /* never synced: not known */
    account_state_clear(&st);

    assert_int_equal(db_begin(c.db, &err), 0);
    assert_int_equal(account_sync_ok(c.db, "masto", "mastodon", "https://m.example", "c1",
                                     NULL, NULL, &err), 0);
    assert_int_equal(account_sync_counted(c.db, "masto", 6, &err), 0);
    assert_int_equal(db_commit(c.db, &err), 0);
    assert_int_equal(account_state_get(c.db, "masto", &st, &err), 0);
    assert_non_null(st.last_sync);
    assert_non_null(st.last_attempt);
    assert_string_equal(st.last_attempt, st.last_sync);
    time_t when;
    assert_int_equal(isotime_parse(st.last_attempt, &when), 0);
    assert_null(st.last_error);
    assert_int_equal(st.last_new, 6);
    account_state_clear(&st);
    tcache_close(&c);
}

/* A failed sync keeps the last good sync and its count, records the attempt and the reason
 * (bounded), and the next good sync clears the reason. */
static void
test_failure_until_next_good_sync(void **state)
{
    (void)state;
    struct tcache c;
    struct account_state st;
    char *err = NULL;
    tcache_open(&c);
    assert_int_equal(db_begin(c.db, &err), 0);
    assert_int_equal(account_sync_ok(c.db, "masto", "mastodon", "https://m.example", "c1",
                                     NULL, NULL, &err), 0);
    assert_int_equal(account_sync_counted(c.db, "masto", 2, &err), 0);
    assert_int_equal(db_commit(c.db, &err), 0);
    /* The attempt's time moves on: make the good one older by hand. */
    assert_int_equal(db_exec(c.db, "UPDATE accounts SET last_sync = '2020-01-01T00:00:00Z',"
                                   " last_attempt = '2020-01-01T00:00:00Z'", &err), 0);

    char *huge = xmalloc(ACCOUNT_MAX_ERROR * 2 + 1);
    memset(huge, 'x', ACCOUNT_MAX_ERROR * 2);
    huge[ACCOUNT_MAX_ERROR * 2] = '\0';
    memcpy(huge, "401: ", 5);
    assert_int_equal(account_sync_failed(c.db, "masto", "mastodon", "https://m.example", huge,
                                         &err), 0);
    free(huge);
    assert_int_equal(account_state_get(c.db, "masto", &st, &err), 0);
    assert_string_equal(st.last_sync, "2020-01-01T00:00:00Z");
    assert_string_not_equal(st.last_attempt, "2020-01-01T00:00:00Z");
    assert_non_null(st.last_error);
    assert_int_equal(strncmp(st.last_error, "401: ", 5), 0);
    assert_int_equal(strlen(st.last_error), ACCOUNT_MAX_ERROR);
    assert_int_equal(st.last_new, 2);
    account_state_clear(&st);

    assert_int_equal(db_begin(c.db, &err), 0);
    assert_int_equal(account_sync_ok(c.db, "masto", "mastodon", "https://m.example", NULL,
                                     NULL, NULL, &err), 0);
    assert_int_equal(account_sync_counted(c.db, "masto", 0, &err), 0);
    assert_int_equal(db_commit(c.db, &err), 0);
    assert_int_equal(account_state_get(c.db, "masto", &st, &err), 0);
    assert_null(st.last_error);
    assert_int_equal(st.last_new, 0);
    assert_string_equal(st.last_attempt, st.last_sync);
    account_state_clear(&st);
    tcache_close(&c);
}

/* A cache from before the status columns (schema 11) migrates with its accounts intact; what
 * it never recorded reads as not known. */
static void
test_migrates_v13(void **state)
{
    (void)state;
    struct tcache c;
    struct account_state st;
    char *err = NULL;
    tcache_open(&c);
    assert_int_equal(db_begin(c.db, &err), 0);
    assert_int_equal(account_sync_ok(c.db, "blog", "wordpress", "https://b.example", "c",
                                     NULL, NULL, &err), 0);
    assert_int_equal(db_commit(c.db, &err), 0);
    assert_int_equal(db_exec(c.db, "ALTER TABLE accounts DROP COLUMN last_attempt;"
                                   " ALTER TABLE accounts DROP COLUMN last_new;"
                                   " DROP INDEX posts_thread_own;"
                                   " ALTER TABLE posts DROP COLUMN deleted_at;"
                                   " ALTER TABLE posts DROP COLUMN deleted_reason;"
                                   " ALTER TABLE threads DROP COLUMN reply_refused;"
                                   " PRAGMA user_version = 13;", &err), 0);
    tcache_reopen(&c);
    assert_int_equal(db_schema_version(c.db), DB_SCHEMA_VERSION);
    assert_int_equal(account_state_get(c.db, "blog", &st, &err), 0);
    assert_string_equal(st.cursor, "c");
    assert_non_null(st.last_sync);
    assert_null(st.last_attempt);
    assert_int_equal(st.last_new, -1);
    account_state_clear(&st);
    tcache_close(&c);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_sync_counts),
        cmocka_unit_test(test_failure_until_next_good_sync),
        cmocka_unit_test(test_migrates_v13),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
