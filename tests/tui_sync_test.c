/* The interface's reading of `tactful sync --progress-fd` lines (hostile text in a reason is
 * made display-safe and bounded; anything else is ignored) and what notify writes (a fixed
 * text with a count, nothing more). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "tui/sync.h"

#include <stdlib.h>
#include <string.h>

/* Start, done (ok, failed, busy) and error lines. */
static void
test_lines(void **state)
{
    (void)state;
    struct tui_sync_line l;
    assert_int_equal(tui_sync_line_parse("start\tcouncil-masto", &l), 0);
    assert_int_equal(l.kind, TUI_SYNC_LINE_START);
    assert_string_equal(l.account, "council-masto");

    assert_int_equal(tui_sync_line_parse("done\tcouncil-masto\tok\t6\t", &l), 0);
    assert_int_equal(l.kind, TUI_SYNC_LINE_DONE);
    assert_int_equal(l.result, TUI_SYNC_OK);
    assert_int_equal(l.new_threads, 6);
    assert_string_equal(l.reason, "");

    assert_int_equal(tui_sync_line_parse("done\tblog\tfailed\t0\tthe server answered 401\tx",
                                         &l), 0);
    assert_int_equal(l.result, TUI_SYNC_FAILED);
    assert_string_equal(l.reason, "the server answered 401 x"); /* a tab shows as a space */

    assert_int_equal(tui_sync_line_parse("done\tblog\tbusy\t0\tprocess 7 on h syncs it", &l),
                     0);
    assert_int_equal(l.result, TUI_SYNC_BUSY);

    assert_int_equal(tui_sync_line_parse("error\tno accounts are configured", &l), 0);
    assert_int_equal(l.kind, TUI_SYNC_LINE_ERROR);
    assert_string_equal(l.reason, "no accounts are configured");
}

/* What is not a line the sync writes is refused, and a reason cannot reach the terminal as
 * an escape sequence or overflow its bound. */
static void
test_hostile_lines(void **state)
{
    (void)state;
    struct tui_sync_line l;
    const char *bad[] = {"", "start", "start\t", "done\tblog\tok\tsix\t", "done\tblog\twhat\t1\t",
                         "done\tblog\tok\t1", "hello\tblog", "start\tbad\033name",
                         "start\t0123456789012345678901234567890123456789012345678901234567890"
                         "123456789"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(tui_sync_line_parse(bad[i], &l), -1);

    assert_int_equal(tui_sync_line_parse("done\tblog\tfailed\t0\t\033]0;pwned\a\033[2J", &l),
                     0);
    assert_null(strchr(l.reason, '\033'));
    assert_null(strchr(l.reason, '\a'));
    assert_non_null(strstr(l.reason, "^["));

    char *huge = malloc(20000);
    strcpy(huge, "done\tblog\tfailed\t0\t");
    memset(huge + strlen(huge), 'x', 15000);
    huge[19000] = '\0';
    assert_int_equal(tui_sync_line_parse(huge, &l), 0);
    assert_true(strlen(l.reason) < TUI_SYNC_REASON_MAX);
    assert_non_null(strstr(l.reason, "…"));
    free(huge);
}

/* Each notify mode writes its fixed form with the count; off writes nothing. */
static void
test_notify_text(void **state)
{
    (void)state;
    char out[128];
    assert_int_equal(tui_sync_notify_text(CONFIG_NOTIFY_OFF, 3, out, sizeof out), 0);
    assert_int_equal(tui_sync_notify_text(CONFIG_NOTIFY_BELL, 3, out, sizeof out), 1);
    assert_string_equal(out, "\a");
    tui_sync_notify_text(CONFIG_NOTIFY_OSC9, 3, out, sizeof out);
    assert_string_equal(out, "\033]9;tactful: 3 new threads\a");
    tui_sync_notify_text(CONFIG_NOTIFY_OSC777, 1, out, sizeof out);
    assert_string_equal(out, "\033]777;notify;tactful;1 new thread\033\\");
    assert_int_equal(tui_sync_notify_text(CONFIG_NOTIFY_OSC9, 3, out, 8), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lines),
        cmocka_unit_test(test_hostile_lines),
        cmocka_unit_test(test_notify_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
