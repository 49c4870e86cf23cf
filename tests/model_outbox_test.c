/* The outbox and per-account sync state: queueing with validation and audit, claiming before
 * a send, in-doubt detection after a crash, marking sent or failed; cursors and errors. */
#include "testutil.h"

#include "model/account.h"
#include "model/audit.h"
#include "model/outbox.h"

#include <sys/wait.h>
#include <unistd.h>

/* Opens a cache holding FIXTURE (thread 1: Mastodon 100 <- 101 <- 102). */
static void
open_fixture(struct tcache *c)
{
    struct import_stats s;
    char *err = NULL;
    tcache_open(c);
    assert_int_equal(tcache_import(c, FIXTURE, &s, &err), 0);
}

/* Queueing validates the text and the post answered, audits, and gives each row its own
 * idempotency key. */
static void
test_enqueue(void **state)
{
    (void)state;
    struct tcache c;
    char *err = NULL;
    long id1 = 0, id2 = 0, id;
    open_fixture(&c);
    assert_int_equal(outbox_enqueue(c.db, "sam", 1, "102", "Thanks Alice, passing it on.", 0,
                                    &id1, &err),
                     0);
    assert_int_equal(outbox_enqueue(c.db, "sam", 1, NULL, "Root reply", 0, &id2, &err), 0);
    assert_true(id2 > id1);

    struct outbox_row r;
    assert_int_equal(outbox_get(c.db, id1, &r, &err), 0);
    assert_string_equal(r.state, "queued");
    assert_string_equal(r.account, "dept");
    assert_string_equal(r.platform, "mastodon");
    assert_string_equal(r.root, "100");
    assert_string_equal(r.in_reply_to, "102");
    assert_string_equal(r.parent_author, "@alice@example.social");
    assert_string_equal(r.officer, "sam");
    assert_int_equal(r.attempts, 0);
    assert_int_equal(strlen(r.idempotency_key), 36);
    assert_int_equal(r.idempotency_key[14], '4');
    char *key1 = xstrdup(r.idempotency_key);
    outbox_row_clear(&r);
    assert_int_equal(outbox_get(c.db, id2, &r, &err), 0);
    assert_string_equal(r.in_reply_to, "100");
    assert_string_not_equal(r.idempotency_key, key1);
    outbox_row_clear(&r);
    free(key1);
    assert_int_equal(tcache_int(&c, "SELECT count(*) FROM audit WHERE action = 'reply_queued'"
                                    " AND officer = 'sam' AND thread_id = 1"),
                     2);

    /* Refusals leave nothing behind. */
    const char *bad[] = {"", "  \n ", "bell \a here", "\xff\xfe broken"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(outbox_enqueue(c.db, "sam", 1, NULL, bad[i], 0, &id, &err), -1);
        free(err);
        err = NULL;
    }
    char *big = xmalloc(OUTBOX_MAX_BODY + 2);
    memset(big, 'a', OUTBOX_MAX_BODY + 1);
    big[OUTBOX_MAX_BODY + 1] = '\0';
    assert_int_equal(outbox_enqueue(c.db, "sam", 1, NULL, big, 0, &id, &err), -1);
    free(big);
    free(err);
    assert_int_equal(outbox_enqueue(c.db, "sam", 1, "999", "hello", 0, &id, &err), -1);
    assert_non_null(strstr(err, "no post '999'"));
    free(err);
    assert_int_equal(outbox_enqueue(c.db, "sam", 2, "100", "hello", 0, &id, &err), -1);
    free(err); /* post 100 is not in thread 2 */
    assert_int_equal(outbox_enqueue(c.db, "sam", 99, NULL, "hello", 0, &id, &err), -1);
    assert_non_null(strstr(err, "no thread 99"));
    free(err);
    assert_int_equal(tcache_int(&c, "SELECT count(*) FROM outbox"), 2);
    assert_int_equal(tcache_int(&c, "SELECT count(*) FROM audit"), 2);
    tcache_close(&c);
}

/* A claim is committed before any request: the row is `sending` with one more attempt; a
 * second claim by this live process is refused; sent rows cannot be claimed. */
static void
test_claim_and_send(void **state)
{
    (void)state;
    struct tcache c;
    char *err = NULL;
    long id;
    open_fixture(&c);
    assert_int_equal(outbox_enqueue(c.db, "sam", 1, "102", "On it.", 0, &id, &err), 0);
    assert_int_equal(outbox_claim(c.db, id, &err), 0);
    struct outbox_row r;
    assert_int_equal(outbox_get(c.db, id, &r, &err), 0);
    assert_string_equal(r.state, "sending");
    assert_int_equal(r.attempts, 1);
    assert_false(r.in_doubt); /* claimed by this process, which is alive */
    char *me = outbox_claimer();
    assert_string_equal(r.claimed_by, me);
    free(me);
    outbox_row_clear(&r);
    assert_int_equal(outbox_claim(c.db, id, &err), 1);

    /* A failure puts it back in the queue with the reason; the attempt count stays. */
    assert_int_equal(outbox_mark_failed(c.db, id, "the server answered 503", &err), 0);
    assert_int_equal(outbox_get(c.db, id, &r, &err), 0);
    assert_string_equal(r.state, "queued");
    assert_string_equal(r.last_error, "the server answered 503");
    assert_int_equal(r.attempts, 1);
    outbox_row_clear(&r);

    assert_int_equal(outbox_claim(c.db, id, &err), 0);
    assert_int_equal(db_begin(c.db, &err), 0);
    assert_int_equal(outbox_mark_sent(c.db, id, "kim", "555", "https://gov.example/555", &err),
                     0);
    assert_int_equal(db_commit(c.db, &err), 0);
    assert_int_equal(outbox_get(c.db, id, &r, &err), 0);
    assert_string_equal(r.state, "sent");
    assert_string_equal(r.remote_id, "555");
    assert_string_equal(r.remote_url, "https://gov.example/555");
    assert_int_equal(r.attempts, 2);
    assert_null(r.last_error);
    assert_non_null(r.sent_at);
    outbox_row_clear(&r);
    assert_int_equal(tcache_int(&c, "SELECT count(*) FROM threads WHERE id = 1"
                                    " AND state = 'replied'"),
                     1);
    assert_int_equal(tcache_int(&c, "SELECT count(*) FROM audit WHERE action = 'reply_sent'"
                                    " AND officer = 'kim' AND details ->> '$.remote_id' = '555'"
                                    " AND details ->> '$.queued_by' = 'sam'"
                                    " AND details ->> '$.from' = 'new'"),
                     1);
    assert_int_equal(outbox_claim(c.db, id, &err), 1);
    /* A sent row is not put back by a late failure report. */
    assert_int_equal(outbox_mark_failed(c.db, id, "late", &err), 0);
    assert_int_equal(tcache_int(&c, "SELECT count(*) FROM outbox WHERE state = 'sent'"), 1);

    struct outbox_row *rows;
    size_t n;
    assert_int_equal(outbox_list(c.db, OUTBOX_PENDING, &rows, &n, &err), 0);
    assert_int_equal(n, 0);
    outbox_rows_free(rows, n);
    assert_int_equal(outbox_list(c.db, OUTBOX_ALL, &rows, &n, &err), 0);
    assert_int_equal(n, 1);
    outbox_rows_free(rows, n);
    tcache_close(&c);
}

/* A row claimed by a process that died (kill -9 between request and commit) is in doubt and
 * can be claimed again; one claimed by a live process on another host is not. */
static void
test_in_doubt_after_crash(void **state)
{
    (void)state;
    struct tcache c;
    char *err = NULL;
    long id;
    open_fixture(&c);
    assert_int_equal(outbox_enqueue(c.db, "sam", 1, "102", "On it.", 0, &id, &err), 0);
    db_close(c.db);
    c.db = NULL;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        /* The claim commits, then the process ends without finishing the send: a crash.
         * Its memory is released first so a leak checker wrapping the test stays quiet. */
        struct db *db = db_open(c.path, &err);
        int rc = db && outbox_claim(db, id, &err) == 0 ? 0 : 1;
        db_close(db);
        free(err);
        _exit(rc);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_int_equal(WEXITSTATUS(status), 0);
    c.db = db_open(c.path, &err);
    assert_non_null(c.db);

    struct outbox_row *rows;
    size_t n;
    assert_int_equal(outbox_list(c.db, OUTBOX_PENDING, &rows, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(rows[0].state, "sending");
    assert_true(rows[0].in_doubt);
    outbox_rows_free(rows, n);
    assert_int_equal(outbox_claim(c.db, id, &err), 0);
    assert_int_equal(tcache_int(&c, "SELECT attempts FROM outbox"), 2);

    assert_int_equal(db_exec(c.db, "UPDATE outbox SET claimed_by = 'elsewhere.example:1'",
                             &err),
                     0);
    assert_true(outbox_claimer_alive("elsewhere.example:1"));
    assert_int_equal(outbox_claim(c.db, id, &err), 1);
    /* ... unless the claim is over an hour old. */
    assert_int_equal(db_exec(c.db, "UPDATE outbox SET claimed_at = '2020-01-01T00:00:00Z'",
                             &err),
                     0);
    assert_int_equal(outbox_claim(c.db, id, &err), 0);
    tcache_close(&c);
}

/* Sync state: a success stores cursor, limits and who we are and clears the last error; a
 * failure records its reason and keeps the cursor; another platform's account is refused. */
static void
test_account_state(void **state)
{
    (void)state;
    struct tcache c;
    char *err = NULL;
    struct account_state st;
    tcache_open(&c);
    assert_int_equal(account_state_get(c.db, "blog", &st, &err), 0);
    assert_null(st.platform);
    assert_null(st.cursor);

    assert_int_equal(db_begin(c.db, &err), 0);
    assert_int_equal(account_sync_ok(c.db, "blog", "wordpress", "https://blog.example",
                                     "{\"a\":1}", "{\"max_characters\":5000}", "7", &err),
                     0);
    assert_int_equal(db_commit(c.db, &err), 0);
    assert_int_equal(account_sync_failed(c.db, "blog", "wordpress", "https://blog.example",
                                         "the server answered 500", &err),
                     0);
    assert_int_equal(account_state_get(c.db, "blog", &st, &err), 0);
    assert_string_equal(st.platform, "wordpress");
    assert_string_equal(st.cursor, "{\"a\":1}");
    assert_string_equal(st.limits, "{\"max_characters\":5000}");
    assert_string_equal(st.remote_user, "7");
    assert_string_equal(st.last_error, "the server answered 500");
    assert_non_null(st.last_sync);
    account_state_clear(&st);

    assert_int_equal(db_begin(c.db, &err), 0);
    assert_int_equal(account_sync_ok(c.db, "blog", "wordpress", "https://blog.example", NULL,
                                     NULL, NULL, &err),
                     0);
    assert_int_equal(db_commit(c.db, &err), 0);
    assert_int_equal(account_state_get(c.db, "blog", &st, &err), 0);
    assert_string_equal(st.cursor, "{\"a\":1}"); /* NULL keeps */
    assert_null(st.last_error);
    account_state_clear(&st);

    assert_int_equal(account_cursor_reset(c.db, "blog", &err), 0);
    assert_int_equal(account_state_get(c.db, "blog", &st, &err), 0);
    assert_null(st.cursor);
    account_state_clear(&st);

    assert_int_equal(db_begin(c.db, &err), 0);
    assert_int_equal(account_sync_ok(c.db, "blog", "mastodon", "https://x", "c", NULL, NULL,
                                     &err),
                     -1);
    assert_non_null(strstr(err, "is a wordpress account in this cache"));
    free(err);
    db_rollback(c.db);
    tcache_close(&c);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_enqueue),
        cmocka_unit_test(test_claim_and_send),
        cmocka_unit_test(test_in_doubt_after_crash),
        cmocka_unit_test(test_account_state),
    };
    return cmocka_run_group_tests_name("model_outbox", tests, NULL, NULL);
}
