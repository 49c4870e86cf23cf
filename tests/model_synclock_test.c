/* The per-account sync lock: taken once, refused to a second live holder with its name, taken
 * over from a holder that has gone or is too old, given back only by its holder. */
#include "testutil.h"

#include "model/synclock.h"

#include <sys/wait.h>
#include <unistd.h>

/* Liveness as the tests decide it: pids below 1000 run, the others have gone. */
static int
alive_below_1000(long pid)
{
    return pid < 1000;
}

/* A holder on host "ws1" with the given pid, at time now. */
static struct synclock_self
self_of(long pid, const char *host, time_t now)
{
    struct synclock_self s = {.pid = pid, .now = now, .max_age_s = 3600,
                              .alive = alive_below_1000};
    snprintf(s.host, sizeof s.host, "%s", host);
    return s;
}

/* A second live process is refused and told who holds the lock; the holder takes it again. */
static void
test_second_process_refused(void **state)
{
    (void)state;
    struct tcache c;
    tcache_open(&c);
    char *err = NULL;
    time_t t0 = 1796000000;
    struct synclock_self a = self_of(10, "ws1", t0), b = self_of(20, "ws1", t0 + 5);
    struct synclock_holder h;
    assert_int_equal(synclock_take(c.db, "m", &a, &h, &err), 0);
    assert_int_equal(synclock_take(c.db, "m", &b, &h, &err), 1);
    assert_int_equal(h.pid, 10);
    assert_string_equal(h.host, "ws1");
    char *msg = synclock_busy_message("m", &h, &b);
    assert_non_null(strstr(msg, "m is being synced by another tactful (process 10, since "));
    free(msg);
    /* Another account is free; the holder may take its own lock again. */
    assert_int_equal(synclock_take(c.db, "w", &b, NULL, &err), 0);
    assert_int_equal(synclock_take(c.db, "m", &a, NULL, &err), 0);
    /* Only the holder gives it back. */
    assert_int_equal(synclock_release(c.db, "m", &b, &err), 0);
    assert_int_equal(synclock_take(c.db, "m", &b, NULL, &err), 1);
    assert_int_equal(synclock_release(c.db, "m", &a, &err), 0);
    assert_int_equal(synclock_holder_get(c.db, "m", &h, &err), 0);
    assert_int_equal(synclock_take(c.db, "m", &b, NULL, &err), 0);
    tcache_close(&c);
}

/* A holder that has gone from this host, or any holder older than the bound, is stale. */
static void
test_stale_holders_taken_over(void **state)
{
    (void)state;
    struct tcache c;
    tcache_open(&c);
    char *err = NULL;
    time_t t0 = 1796000000;
    struct synclock_self gone = self_of(4242, "ws1", t0), b = self_of(20, "ws1", t0 + 1);
    assert_int_equal(synclock_take(c.db, "m", &gone, NULL, &err), 0);
    assert_int_equal(synclock_take(c.db, "m", &b, NULL, &err), 0);
    struct synclock_holder h;
    assert_int_equal(synclock_holder_get(c.db, "m", &h, &err), 1);
    assert_int_equal(h.pid, 20);
    /* On another host a pid means nothing here: only age makes it stale. */
    struct synclock_self far = self_of(4242, "ws2", t0 + 10);
    assert_int_equal(synclock_take(c.db, "m", &far, &h, &err), 1);
    char *msg = synclock_busy_message("m", &h, &far);
    assert_non_null(strstr(msg, "(process 20 on ws1, since "));
    free(msg);
    struct synclock_self b2 = self_of(30, "ws1", t0 + 11);
    assert_int_equal(synclock_take(c.db, "m", &b2, NULL, &err), 1);
    far.now = t0 + 1 + 3601;
    assert_int_equal(synclock_take(c.db, "m", &far, NULL, &err), 0);
    b2.now = t0 + 3700;
    assert_int_equal(synclock_take(c.db, "m", &b2, &h, &err), 1);
    assert_string_equal(h.host, "ws2");
    tcache_close(&c);
}

/* The real liveness check: this process runs; a child that has exited does not. */
static void
test_system_liveness(void **state)
{
    (void)state;
    struct tcache c;
    tcache_open(&c);
    char *err = NULL;
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0)
        _exit(0);
    int status;
    assert_int_equal(waitpid(child, &status, 0), child);
    struct synclock_self me, dead;
    synclock_self_init(&me);
    synclock_self_init(&dead);
    dead.pid = (long)child;
    assert_int_equal(synclock_take(c.db, "m", &dead, NULL, &err), 0);
    assert_int_equal(synclock_take(c.db, "m", &me, NULL, &err), 0); /* the child has gone */
    dead.pid = (long)getppid();  /* a live process that is not us */
    assert_int_equal(synclock_take(c.db, "m", &dead, NULL, &err), 1);
    tcache_close(&c);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_second_process_refused),
        cmocka_unit_test(test_stale_holders_taken_over),
        cmocka_unit_test(test_system_liveness),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
