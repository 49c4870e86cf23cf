/* Unit tests for model/xmalloc.c's xgrow: an array grown one item at a time keeps every item,
 * and is reallocated only when its count is 0 or a power of two. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>

#include "model/xmalloc.h"

/* Items appended through xgrow all read back as written. */
static void
test_grow_keeps_items(void **state)
{
    (void)state;
    enum { N = 5000 };
    int *v = NULL;
    for (size_t n = 0; n < N; n++) {
        v = xgrow(v, n, sizeof *v);
        v[n] = (int)(n * 7 + 1);
    }
    for (size_t n = 0; n < N; n++)
        assert_int_equal(v[n], (int)(n * 7 + 1));
    free(v);
}

/* Between powers of two the array is handed back as it is: it already has room. */
static void
test_grow_only_at_powers_of_two(void **state)
{
    (void)state;
    char *v = xgrow(NULL, 0, 1); /* room for 1 */
    assert_non_null(v);
    v = xgrow(v, 1, 1);          /* room for 2 */
    v = xgrow(v, 2, 1);          /* room for 4 */
    assert_ptr_equal(xgrow(v, 3, 1), v);
    v = xgrow(v, 4, 1);          /* room for 8 */
    for (size_t n = 5; n < 8; n++)
        assert_ptr_equal(xgrow(v, n, 1), v);
    free(v);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grow_keeps_items),
        cmocka_unit_test(test_grow_only_at_powers_of_two),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
