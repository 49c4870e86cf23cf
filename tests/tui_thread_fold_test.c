/* Collapsed sub-threads of the thread view: rows shown, a post's replies at every depth, a
 * fold kept inside an outer one, revealing a hidden post, and the row standing for it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "model/thread.h"
#include "tui/thread_fold.h"

/* Six posts depth first, as the view gets them:
 *   0 root; 1 reply; 2 its reply; 3 reply to 2; 4 second reply to 1; 5 second reply to 0;
 * then a second root (6) whose parent is not in the cache, without replies. */
static const int depths[] = {0, 1, 2, 3, 2, 1, 0};
#define N (sizeof depths / sizeof depths[0])

static struct tui_fold *
fold_of_depths(void)
{
    static struct thread_post posts[N];
    for (size_t i = 0; i < N; i++)
        posts[i].depth = depths[i];
    return tui_fold_new(posts, N);
}

/* The posts shown, as a string of digits ("0156"). */
static const char *
shown(const struct tui_fold *f)
{
    static char s[N + 1];
    long n = tui_fold_rows(f);
    for (long r = 0; r < n; r++)
        s[r] = (char)('0' + tui_fold_post(f, r));
    s[n] = '\0';
    return s;
}

static void
test_replies_and_rows(void **state)
{
    (void)state;
    struct tui_fold *f = fold_of_depths();
    assert_string_equal(shown(f), "0123456");
    assert_int_equal(tui_fold_replies(f, 0), 5);
    assert_int_equal(tui_fold_replies(f, 1), 3);
    assert_int_equal(tui_fold_replies(f, 2), 1);
    assert_int_equal(tui_fold_replies(f, 3), 0);
    assert_int_equal(tui_fold_replies(f, 6), 0);
    assert_int_equal(tui_fold_hidden(f), 0);
    /* A post without replies does not collapse. */
    assert_int_equal(tui_fold_set(f, 3, 1), 0);
    assert_int_equal(tui_fold_set(f, 1, 1), 1);
    assert_int_equal(tui_fold_set(f, 1, 1), 0);
    assert_string_equal(shown(f), "0156");
    assert_int_equal(tui_fold_hidden(f), 3);
    assert_int_equal(tui_fold_row(f, 5), 2);
    assert_int_equal(tui_fold_row(f, 3), -1);
    assert_int_equal(tui_fold_shown(f, 3), 1);
    assert_int_equal(tui_fold_post(f, 4), -1);
    tui_fold_free(f);
}

static void
test_inner_folds_kept_and_revealed(void **state)
{
    (void)state;
    struct tui_fold *f = fold_of_depths();
    tui_fold_set(f, 2, 1);
    tui_fold_set(f, 0, 1);
    assert_string_equal(shown(f), "06");
    /* The outermost collapsed post stands for a post deep inside. */
    assert_int_equal(tui_fold_shown(f, 3), 0);
    tui_fold_set(f, 0, 0);
    assert_string_equal(shown(f), "012456");
    tui_fold_set(f, 0, 1);
    tui_fold_reveal(f, 3);
    assert_string_equal(shown(f), "0123456");
    tui_fold_all(f, 1);
    assert_string_equal(shown(f), "06");
    assert_true(tui_fold_collapsed(f, 2));
    assert_false(tui_fold_collapsed(f, 3));
    tui_fold_all(f, 0);
    assert_string_equal(shown(f), "0123456");
    /* Loading flags collapses those with replies, all at once. */
    const unsigned char which[N] = {0, 1, 0, 1, 0, 0, 1};
    tui_fold_load(f, which);
    assert_string_equal(shown(f), "0156");
    assert_false(tui_fold_collapsed(f, 3));
    tui_fold_free(f);
}

static void
test_empty_thread(void **state)
{
    (void)state;
    struct tui_fold *f = tui_fold_new(NULL, 0);
    assert_int_equal(tui_fold_rows(f), 0);
    assert_int_equal(tui_fold_post(f, 0), -1);
    assert_int_equal(tui_fold_shown(f, 0), -1);
    tui_fold_all(f, 1);
    assert_int_equal(tui_fold_set(f, 0, 1), 0);
    tui_fold_free(f);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_replies_and_rows),
        cmocka_unit_test(test_inner_folds_kept_and_revealed),
        cmocka_unit_test(test_empty_thread),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
