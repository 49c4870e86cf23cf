/* Handing URLs on: which URLs are allowed out, the OSC 52 bytes, and open_cmd's argv. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "model/xmalloc.h"
#include "tui/internal.h"
#include "tui/url.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void
test_only_plain_http_urls(void **state)
{
    (void)state;
    assert_true(tui_url_ok("https://example.org/a?b=c#d"));
    assert_true(tui_url_ok("HTTP://example.org/"));
    assert_true(tui_url_ok("https://bsky.app/profile/zoë/post/1")); /* UTF-8 is fine */
    static const char *const bad[] = {
        NULL,
        "",
        "javascript:alert(1)",
        "ftp://example.org/file",
        "file:///etc/passwd",
        "https://",
        "https:///path",
        "https://example.org/a b",
        "https://example.org/\x1b]52;c;eA==\x07",
        "https://example.org/\xe2\x80\xae" "exe.gnp", /* U+202E */
        "https://example.org/\xe2\x80\x8b",           /* U+200B */
        "https://example.org/\"onclick",
        "https://example.org/\xc3",                   /* broken UTF-8 */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (tui_url_ok(bad[i]))
            fail_msg("'%s' should not be handed on", bad[i] ? bad[i] : "(null)");
    char *huge = xmalloc(5000);
    memset(huge, 'a', 4999);
    memcpy(huge, "https://", 8);
    huge[4999] = '\0';
    assert_false(tui_url_ok(huge));
    free(huge);
}

/* Runs tui_url_osc52 into a pipe and returns what it wrote. */
static char *
osc52(const char *url, int screen, int *rc)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    *rc = tui_url_osc52(fds[1], url, screen);
    close(fds[1]);
    char buf[512];
    ssize_t n = read(fds[0], buf, sizeof buf - 1);
    close(fds[0]);
    buf[n > 0 ? n : 0] = '\0';
    return xstrdup(buf);
}

static void
test_osc52_bytes(void **state)
{
    (void)state;
    int rc;
    char *out = osc52("https://a.example/x", 0, &rc);
    assert_int_equal(rc, 0);
    assert_string_equal(out, "\033]52;c;aHR0cHM6Ly9hLmV4YW1wbGUveA==\a");
    free(out);
    out = osc52("https://a.example/xy", 1, &rc);
    assert_string_equal(out, "\033P\033]52;c;aHR0cHM6Ly9hLmV4YW1wbGUveHk=\a\033\\");
    free(out);
    out = osc52("javascript:alert(1)", 0, &rc);
    assert_int_equal(rc, -1);
    assert_string_equal(out, ""); /* nothing at all reaches the terminal */
    free(out);
}

/* Checks that argv holds exactly the words in want (NULL-terminated). */
static void
expect_argv(char **argv, const char *const *want)
{
    size_t i = 0;
    for (; want[i]; i++) {
        assert_non_null(argv[i]);
        assert_string_equal(argv[i], want[i]);
    }
    assert_null(argv[i]);
    tui_url_argv_free(argv);
}

static void
test_open_cmd_argv(void **state)
{
    (void)state;
    const char *url = "https://x.example/a;b$(c)";
    expect_argv(tui_url_argv("xdg-open", url), (const char *const[]){"xdg-open", url, NULL});
    expect_argv(tui_url_argv("  firefox\t--new-tab  ", url),
                (const char *const[]){"firefox", "--new-tab", url, NULL});
    expect_argv(tui_url_argv("tmux new-window w3m %u", url),
                (const char *const[]){"tmux", "new-window", "w3m", url, NULL});
    expect_argv(tui_url_argv("\"/opt/My Browser/run\" --url %u --private", url),
                (const char *const[]){"/opt/My Browser/run", "--url", url, "--private", NULL});
    assert_null(tui_url_argv("   ", url));
    assert_null(tui_url_argv(NULL, url));
    char *err = NULL;
    assert_int_equal(tui_url_open(NULL, url, &err), -1);
    assert_non_null(strstr(err, "set open_cmd"));
    free(err);
    err = NULL;
    assert_int_equal(tui_url_open("true", "ftp://x", &err), -1);
    assert_non_null(strstr(err, "only http:// and https://"));
    free(err);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_only_plain_http_urls),
        cmocka_unit_test(test_osc52_bytes),
        cmocka_unit_test(test_open_cmd_argv),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
