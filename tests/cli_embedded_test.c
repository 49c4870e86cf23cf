/* Tests for cli/embedded.c: this test brings its own table of built-in files (so the library's
 * empty one is not linked), unpacks it into a temporary cache folder and checks where shipped
 * data and terminal descriptions are then found. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cli/cli.h"
#include "cli/embedded.h"
#include "model/xmalloc.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The test's built-in files, stored as they are (zlen == total: see cli_embedded_expand). */
const unsigned char cli_embedded_blob[] = "[tone.test]\ncompiled terminfo";
const size_t cli_embedded_zlen = sizeof cli_embedded_blob - 1;
const size_t cli_embedded_total = sizeof cli_embedded_blob - 1;
const struct cli_embedded_file cli_embedded_files[] = {
    {"rules/test.rules", 0, 12},
    {"terminfo/x/xterm-embedded-test", 12, 17},
    {0, 0, 0},
};
const size_t cli_embedded_count = 2;
const char cli_embedded_id[] = "0123456789ab";

/* Copies the stored bytes: the test's blob is not compressed. */
int
cli_embedded_expand(unsigned char *out)
{
    memcpy(out, cli_embedded_blob, cli_embedded_total);
    return 0;
}

/* Removes one entry of the temporary folder (nftw callback). */
static int
remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)type;
    (void)ftw;
    remove(path);
    return 0;
}

/* Gives each test a fresh temporary folder as XDG_CACHE_HOME, and a clean environment. */
static int
setup(void **state)
{
    char *dir = xstrdup("/tmp/tactful-embedded-test.XXXXXX");
    if (mkdtemp(dir) == NULL)
        return -1;
    setenv("XDG_CACHE_HOME", dir, 1);
    unsetenv("TACTFUL_DATADIR");
    unsetenv("TERMINFO");
    unsetenv("TERMINFO_DIRS");
    *state = dir;
    return 0;
}

/* Removes the test's folder. */
static int
teardown(void **state)
{
    nftw(*state, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
    free(*state);
    return 0;
}

/* The path the table unpacks to under the test's cache folder. */
static char *
expected_root(const char *dir)
{
    return xasprintf("%s/tactful/share-%s-%s", dir, TACTFUL_VERSION, cli_embedded_id);
}

/* Files and folders of the table are known by whole path components only. */
static void
test_has(void **state)
{
    (void)state;
    assert_true(cli_embedded_has("rules"));
    assert_true(cli_embedded_has("rules/test.rules"));
    assert_true(cli_embedded_has("terminfo/x/xterm-embedded-test"));
    assert_false(cli_embedded_has("rule"));
    assert_false(cli_embedded_has("rules/test"));
    assert_false(cli_embedded_has("keymaps/default.keys"));
}

/* The tree is unpacked once, privately, and later calls reuse it as it is. */
static void
test_root_unpacks_once_privately(void **state)
{
    char *want = expected_root(*state);
    char *root = cli_embedded_root();
    assert_non_null(root);
    assert_string_equal(root, want);
    char *file = xasprintf("%s/rules/test.rules", root);
    struct stat st;
    assert_int_equal(stat(root, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    assert_int_equal(stat(file, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(st.st_size, (off_t)strlen("[tone.test]\n"));

    FILE *f = fopen(file, "w"); /* an edited copy shows whether a later call unpacks again */
    assert_non_null(f);
    fputs("edited", f);
    fclose(f);
    char *again = cli_embedded_root();
    assert_string_equal(again, want);
    assert_int_equal(stat(file, &st), 0);
    assert_int_equal(st.st_size, 6);
    free(again);
    free(file);
    free(root);
    free(want);
}

/* Without a writable cache folder, or any idea where home is, nothing is unpacked. */
static void
test_root_fails_cleanly(void **state)
{
    char *blocker = xasprintf("%s/a-file", (char *)*state);
    FILE *f = fopen(blocker, "w");
    assert_non_null(f);
    fclose(f);
    setenv("XDG_CACHE_HOME", blocker, 1); /* a file, so no folder can be made under it */
    assert_null(cli_embedded_root());
    char *home = getenv("HOME") ? xstrdup(getenv("HOME")) : NULL;
    unsetenv("XDG_CACHE_HOME");
    unsetenv("HOME");
    assert_null(cli_embedded_root());
    if (home)
        setenv("HOME", home, 1);
    free(home);
    free(blocker);
}

/* Shipped data: an office's folder on disk wins; without one, the unpacked copy serves. */
static void
test_data_path_falls_back_to_the_built_in_copy(void **state)
{
    char *want_root = expected_root(*state);
    char *want = xasprintf("%s/rules/test.rules", want_root);
    char *p = cli_data_path("rules/test.rules");
    assert_non_null(p);
    assert_string_equal(p, want);
    free(p);

    char *office = xasprintf("%s/office", (char *)*state);
    char *rules = xasprintf("%s/rules", office);
    char *own = xasprintf("%s/test.rules", rules);
    assert_int_equal(cli_mkdir_p(rules), 0);
    FILE *f = fopen(own, "w");
    assert_non_null(f);
    fclose(f);
    setenv("TACTFUL_DATADIR", office, 1);
    p = cli_data_path("rules/test.rules");
    assert_string_equal(p, own);
    assert_null(cli_data_path("rules/none.rules"));
    free(p);
    free(own);
    free(rules);
    free(office);
    free(want);
    free(want_root);
}

/* TERMINFO points at the built-in descriptions only when none on disk describes $TERM. */
static void
test_terminfo_fallback(void **state)
{
    setenv("TERM", "xterm-embedded-test", 1);
    cli_terminfo_fallback();
    char *root = expected_root(*state);
    char *want = xasprintf("%s/terminfo", root);
    assert_non_null(getenv("TERMINFO"));
    assert_string_equal(getenv("TERMINFO"), want);

    /* A description on disk (here in $TERMINFO_DIRS) is left to ncurses. */
    unsetenv("TERMINFO");
    char *mine = xasprintf("%s/mine", (char *)*state);
    char *x = xasprintf("%s/x", mine);
    char *entry = xasprintf("%s/xterm-embedded-test", x);
    assert_int_equal(cli_mkdir_p(x), 0);
    FILE *f = fopen(entry, "w");
    assert_non_null(f);
    fclose(f);
    setenv("TERMINFO_DIRS", mine, 1);
    cli_terminfo_fallback();
    assert_null(getenv("TERMINFO"));

    /* A terminal the binary does not carry changes nothing either. */
    setenv("TERM", "no-such-terminal", 1);
    cli_terminfo_fallback();
    assert_null(getenv("TERMINFO"));
    free(entry);
    free(x);
    free(mine);
    free(want);
    free(root);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_has, setup, teardown),
        cmocka_unit_test_setup_teardown(test_root_unpacks_once_privately, setup, teardown),
        cmocka_unit_test_setup_teardown(test_root_fails_cleanly, setup, teardown),
        cmocka_unit_test_setup_teardown(test_data_path_falls_back_to_the_built_in_copy, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_terminfo_fallback, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
