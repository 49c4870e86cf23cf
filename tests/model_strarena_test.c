/* Unit tests for model/strarena.c: strings kept in shared blocks stay whole and apart. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/strarena.h"

/* Many strings, more than one block holds, each still reads as it was written after the
 * others were added. */
static void
test_many_strings_stay_whole(void **state)
{
    (void)state;
    struct strarena a = {0};
    enum { N = 20000 };
    static char *got[N];
    char want[64];
    for (int i = 0; i < N; i++) {
        snprintf(want, sizeof want, "entry %d of the rule file", i);
        got[i] = strarena_dup(&a, want);
    }
    for (int i = 0; i < N; i++) {
        snprintf(want, sizeof want, "entry %d of the rule file", i);
        assert_string_equal(got[i], want);
    }
    strarena_free(&a);
    assert_null(a.head);
}

/* A string longer than a block, between short ones, and a copy of part of a text (which is
 * ended with a NUL) and of an empty one. */
static void
test_long_part_and_empty(void **state)
{
    (void)state;
    struct strarena a = {0};
    size_t n = 200000;
    char *big = malloc(n + 1);
    assert_non_null(big);
    for (size_t i = 0; i < n; i++)
        big[i] = (char)('a' + i % 26);
    big[n] = '\0';
    char *before = strarena_dup(&a, "before");
    char *copy = strarena_dup(&a, big);
    char *part = strarena_dupn(&a, "match = the council", 5);
    char *empty = strarena_dup(&a, "");
    assert_string_equal(before, "before");
    assert_string_equal(copy, big);
    assert_ptr_not_equal(copy, big);
    assert_string_equal(part, "match");
    assert_string_equal(empty, "");
    copy[0] = 'Z'; /* the copies are the caller's to change in place */
    assert_string_equal(before, "before");
    assert_string_equal(part, "match");
    free(big);
    strarena_free(&a);
    strarena_free(&a); /* an emptied arena frees again as an empty one */
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_many_strings_stay_whole),
        cmocka_unit_test(test_long_part_and_empty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
