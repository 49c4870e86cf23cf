/* What changed upstream (model/upstream.h): deleted posts kept and marked, threads that refuse
 * replies, the refusal every path that makes a reply reads, the recent threads a sync reads
 * again, and the outbox rows held or noted because of them. */
#include "testutil.h"

#include "model/draft.h"
#include "model/outbox.h"
#include "model/thread.h"
#include "model/triage.h"
#include "model/upstream.h"

/* Opens a cache holding FIXTURE (thread 1: Mastodon 100 <- 101 <- 102; thread 2: Bluesky;
 * thread 3: WordPress 7 <- 21). */
static void
open_fixture(struct tcache *c)
{
    struct import_stats s;
    char *err = NULL;
    tcache_open(c);
    assert_int_equal(tcache_import(c, FIXTURE, &s, &err), 0);
}

/* A deleted post keeps its text, is marked once (its first time stays) and shows as such in
 * the thread; an unknown post changes nothing. */
static void
test_mark_deleted(void **state)
{
    (void)state;
    struct tcache c;
    char *err = NULL;
    int changed = -1;
    open_fixture(&c);
    assert_int_equal(upstream_mark_deleted(c.db, "dept", "102", "deleted on Mastodon", &changed,
                                           &err), 0);
    assert_int_equal(changed, 1);
    assert_int_equal(db_exec(c.db, "UPDATE posts SET deleted_at = '2026-01-01T00:00:00Z'"
                                   " WHERE remote_id = '102'", &err), 0);
    assert_int_equal(upstream_mark_deleted(c.db, "dept", "102", "again", &changed, &err), 0);
    assert_int_equal(changed, 0);
    assert_int_equal(upstream_mark_deleted(c.db, "dept", "999", "gone", &changed, &err), 0);
    assert_int_equal(changed, 0);
    assert_int_equal(upstream_mark_deleted(c.db, "sky", "102", "gone", &changed, &err), 0);
    assert_int_equal(changed, 0); /* another account's post of that id */
    assert_int_equal(tcache_int(&c, "SELECT count(*) FROM posts WHERE deleted_at IS NOT NULL"),
                     1);

    struct thread *t = thread_get(c.db, 1, &err);
    assert_non_null(t);
    size_t marked = 0;
    for (size_t i = 0; i < t->nposts; i++) {
        if (t->posts[i].deleted_at == NULL)
            continue;
        marked++;
        assert_string_equal(t->posts[i].remote_id, "102");
        assert_string_equal(t->posts[i].deleted_at, "2026-01-01T00:00:00Z");
        assert_string_equal(t->posts[i].deleted_reason, "deleted on Mastodon");
        assert_string_equal(t->posts[i].text, "Recycling too, three weeks running");
    }
    assert_int_equal(marked, 1);
    assert_null(t->reply_refused);
    thread_free(t);
    tcache_close(&c);
}

/* A reply to a deleted post, or in a thread that refuses replies, is refused by every path
 * that makes one, with the reason; other posts stay answerable until the thread refuses. */
static void
test_replies_refused(void **state)
{
    (void)state;
    struct tcache c;
    char *err = NULL, *why = NULL;
    long id;
    open_fixture(&c);
    assert_int_equal(upstream_reply_refused(c.db, 1, "102", &why, &err), 0);
    assert_int_equal(upstream_mark_deleted(c.db, "dept", "102", "deleted on Mastodon", NULL,
                                           &err), 0);
    assert_int_equal(upstream_reply_refused(c.db, 1, "102", &why, &err), 1);
    assert_non_null(strstr(why, "the post answered (102) was deleted on Mastodon"));
    free(why);
    why = NULL;
    assert_int_equal(draft_create(c.db, "sam", 1, "102", NULL, "Thanks", &id, &err), -1);
    assert_non_null(strstr(err, "was deleted on Mastodon"));
    free(err);
    err = NULL;
    assert_int_equal(outbox_enqueue(c.db, "sam", 1, "102", "Thanks", 0, &id, &err), -1);
    assert_non_null(strstr(err, "was deleted on Mastodon"));
    free(err);
    err = NULL;
    assert_int_equal(tcache_int(&c, "SELECT count(*) FROM outbox"), 0);
    assert_int_equal(tcache_int(&c, "SELECT count(*) FROM drafts"), 0);
    /* The root is still there: answering it works. */
    assert_int_equal(upstream_reply_refused(c.db, 1, NULL, &why, &err), 0);
    assert_int_equal(draft_create(c.db, "sam", 1, NULL, NULL, "Thanks", &id, &err), 0);

    /* WordPress post 7 closes its comments: no reply anywhere in thread 3, until it opens. */
    assert_int_equal(upstream_set_refusal(c.db, "blog", "7", "comments are closed on the "
                                          "WordPress post", &err), 0);
    assert_int_equal(upstream_reply_refused(c.db, 3, "21", &why, &err), 1);
    assert_string_equal(why, "thread 3 does not take replies: comments are closed on the "
                             "WordPress post; the platform would refuse one");
    free(why);
    why = NULL;
    assert_int_equal(outbox_enqueue(c.db, "sam", 3, NULL, "Thanks", 0, &id, &err), -1);
    free(err);
    err = NULL;
    struct thread *t = thread_get(c.db, 3, &err);
    assert_non_null(t);
    assert_string_equal(t->reply_refused, "comments are closed on the WordPress post");
    thread_free(t);
    assert_int_equal(upstream_set_refusal(c.db, "blog", "7", NULL, &err), 0);
    assert_int_equal(upstream_reply_refused(c.db, 3, "21", &why, &err), 0);
    assert_int_equal(outbox_enqueue(c.db, "sam", 3, "21", "Thanks", 0, &id, &err), 0);
    /* An unknown thread is not refused here: the callers say it does not exist. */
    assert_int_equal(upstream_reply_refused(c.db, 99, NULL, &why, &err), 0);
    tcache_close(&c);
}

/* The threads a sync reads again: recent activity, not closed, root not gone, newest first,
 * at most max. */
static void
test_recent_roots(void **state)
{
    (void)state;
    struct tcache c;
    char *err = NULL;
    char **roots;
    size_t n;
    open_fixture(&c);
    assert_int_equal(upstream_recent_roots(c.db, "dept", "2026-11-20T00:00:00Z", 10, &roots, &n,
                                           &err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(roots[0], "100");
    upstream_roots_free(roots, n);
    assert_int_equal(upstream_recent_roots(c.db, "dept", "2026-11-21T00:00:00Z", 10, &roots, &n,
                                           &err), 0);
    assert_int_equal(n, 0);
    upstream_roots_free(roots, n);
    assert_int_equal(upstream_recent_roots(c.db, "dept", "2026-11-20T00:00:00Z", 0, &roots, &n,
                                           &err), 0);
    assert_int_equal(n, 0);
    upstream_roots_free(roots, n);
    /* Closed: not read again. */
    assert_int_equal(triage_set_state(c.db, "sam", 1, "closed", NULL, &err), 0);
    assert_int_equal(upstream_recent_roots(c.db, "dept", "2026-11-01T00:00:00Z", 10, &roots, &n,
                                           &err), 0);
    assert_int_equal(n, 0);
    upstream_roots_free(roots, n);
    /* Root gone: not read again either. */
    assert_int_equal(upstream_recent_roots(c.db, "blog", "2026-11-01T00:00:00Z", 10, &roots, &n,
                                           &err), 0);
    assert_int_equal(n, 1);
    upstream_roots_free(roots, n);
    assert_int_equal(upstream_mark_deleted(c.db, "blog", "7", "deleted", NULL, &err), 0);
    assert_int_equal(upstream_recent_roots(c.db, "blog", "2026-11-01T00:00:00Z", 10, &roots, &n,
                                           &err), 0);
    assert_int_equal(n, 0);
    upstream_roots_free(roots, n);
    tcache_close(&c);
}

/* A queued reply gets the reason it could not be tried without being claimed; a held one is
 * given up for good with its reason, audited, and no longer pending. */
static void
test_outbox_note_and_hold(void **state)
{
    (void)state;
    struct tcache c;
    char *err = NULL;
    long id, id2;
    open_fixture(&c);
    assert_int_equal(outbox_enqueue(c.db, "sam", 1, "102", "Thanks", 0, &id, &err), 0);
    assert_int_equal(outbox_enqueue(c.db, "sam", 1, "100", "Thanks", 0, &id2, &err), 0);
    assert_int_equal(outbox_note_error(c.db, id, "account dept is not in the configuration",
                                       &err), 0);
    struct outbox_row r;
    assert_int_equal(outbox_get(c.db, id, &r, &err), 0);
    assert_string_equal(r.state, "queued");
    assert_int_equal(r.attempts, 0);
    assert_string_equal(r.last_error, "account dept is not in the configuration");
    outbox_row_clear(&r);
    /* A row being sent keeps its own story. */
    assert_int_equal(outbox_claim(c.db, id2, &err), 0);
    assert_int_equal(outbox_note_error(c.db, id2, "elsewhere", &err), 0);
    assert_int_equal(outbox_get(c.db, id2, &r, &err), 0);
    assert_null(r.last_error);
    outbox_row_clear(&r);

    assert_int_equal(outbox_hold(c.db, id, "sam", "held, not sent: deleted", &err), 0);
    assert_int_equal(outbox_get(c.db, id, &r, &err), 0);
    assert_string_equal(r.state, "failed");
    assert_string_equal(r.last_error, "held, not sent: deleted");
    outbox_row_clear(&r);
    assert_int_equal(tcache_int(&c, "SELECT count(*) FROM audit WHERE action = 'reply_held'"
                                    " AND thread_id = 1"), 1);
    struct outbox_row *rows;
    size_t n;
    assert_int_equal(outbox_list(c.db, OUTBOX_PENDING, &rows, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].id, id2);
    outbox_rows_free(rows, n);
    assert_int_equal(outbox_hold(c.db, 99, "sam", "x", &err), -1);
    free(err);
    tcache_close(&c);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mark_deleted),
        cmocka_unit_test(test_replies_refused),
        cmocka_unit_test(test_recent_roots),
        cmocka_unit_test(test_outbox_note_and_hold),
    };
    return cmocka_run_group_tests_name("model_upstream", tests, NULL, NULL);
}
