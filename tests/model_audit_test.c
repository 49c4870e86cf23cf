/* The audit log read a page at a time, newest first, for one thread or all, and the count of
 * entries newer than one (its place in the log), as the audit view pages a long log. */
#include "testutil.h"

#include "model/audit.h"

/* Appends n entries, alternately on threads 1 and 2, with details {"n": i} from 1. */
static void
append(struct tcache *c, int n)
{
    char *err = NULL;
    for (int i = 1; i <= n; i++) {
        char details[32];
        snprintf(details, sizeof details, "{\"n\":%d}", i);
        assert_int_equal(audit_append(c->db, "amy", "test", i % 2 ? 1 : 2, details, NULL, &err), 0);
    }
}

/* A page of the whole log: newest first, from the offset, at most limit entries. */
static void
test_pages_newest_first(void **state)
{
    (void)state;
    struct tcache c;
    struct audit_entry *e;
    size_t n;
    char *err = NULL;
    tcache_open(&c);
    append(&c, 50);
    assert_int_equal(audit_page(c.db, 0, 0, 5, &e, &n, &err), 0);
    assert_int_equal(n, 5);
    assert_string_equal(e[0].details, "{\"n\":50}");
    assert_string_equal(e[4].details, "{\"n\":46}");
    audit_entries_free(e, n);
    assert_int_equal(audit_page(c.db, 0, 47, 5, &e, &n, &err), 0);
    assert_int_equal(n, 3); /* the last page is short */
    assert_string_equal(e[2].details, "{\"n\":1}");
    audit_entries_free(e, n);
    assert_int_equal(audit_page(c.db, 0, 50, 5, &e, &n, &err), 0);
    assert_int_equal(n, 0);
    assert_null(e);
    /* One thread's entries only. */
    assert_int_equal(audit_page(c.db, 2, 1, 2, &e, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_string_equal(e[0].details, "{\"n\":48}");
    assert_int_equal(e[1].thread, 2);
    audit_entries_free(e, n);
    tcache_close(&c);
}

/* The counts: every entry, one thread's, and those newer than an entry (its place). */
static void
test_counts_place_an_entry(void **state)
{
    (void)state;
    struct tcache c;
    long count = -1;
    char *err = NULL;
    tcache_open(&c);
    assert_int_equal(audit_count_newer(c.db, 0, 0, &count, &err), 0);
    assert_int_equal(count, 0);
    append(&c, 50);
    assert_int_equal(audit_count_newer(c.db, 0, 0, &count, &err), 0);
    assert_int_equal(count, 50);
    assert_int_equal(audit_count_newer(c.db, 1, 0, &count, &err), 0);
    assert_int_equal(count, 25);
    /* Entry 40 is the 11th newest: 10 entries come before it, newest first. */
    assert_int_equal(audit_count_newer(c.db, 0, 40, &count, &err), 0);
    assert_int_equal(count, 10);
    struct audit_entry *e;
    size_t n;
    assert_int_equal(audit_page(c.db, 0, count, 1, &e, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(e[0].id, 40);
    audit_entries_free(e, n);
    tcache_close(&c);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pages_newest_first),
        cmocka_unit_test(test_counts_place_an_entry),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
