/* Secrets: token_cmd without a shell (quoting, failures, timeouts, output cap), token_file
 * permissions, token_env; no message ever carries the secret. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "model/xmalloc.h"
#include "net/credentials.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SECRET "s3cr3t-Tok3n-VALUE"

/* Splits cmd and compares with the expected arguments (NULL-terminated). */
static void
split_is(const char *cmd, const char *const *want)
{
    char **argv;
    char *err = NULL;
    int n = credentials_split(cmd, &argv, &err);
    if (n < 0)
        fail_msg("split(%s): %s", cmd, err);
    int i = 0;
    for (; want[i]; i++) {
        assert_non_null(argv[i]);
        assert_string_equal(argv[i], want[i]);
    }
    assert_null(argv[i]);
    assert_int_equal(n, i);
    credentials_argv_free(argv);
}

static void
test_split(void **state)
{
    (void)state;
    split_is("pass show tactful/blog", (const char *[]){"pass", "show", "tactful/blog", NULL});
    split_is("  a\t b  ", (const char *[]){"a", "b", NULL});
    split_is("cat '/path with spaces/tok'", (const char *[]){"cat", "/path with spaces/tok",
                                                             NULL});
    split_is("printf \"%s \\\"x\\\" \\\\ $HOME\"",
             (const char *[]){"printf", "%s \"x\" \\ $HOME", NULL});
    split_is("a\\ b 'it'\"s\"", (const char *[]){"a b", "its", NULL});
    split_is("echo ''", (const char *[]){"echo", "", NULL});
    /* Shell syntax has no meaning: these are plain arguments. */
    split_is("echo $(id) ; rm -rf / | x > y", (const char *[]){"echo", "$(id)", ";", "rm", "-rf",
                                                               "/", "|", "x", ">", "y", NULL});
    char **argv;
    char *err = NULL;
    assert_int_equal(credentials_split("echo 'open", &argv, &err), -1);
    free(err);
    assert_int_equal(credentials_split("echo \"open", &argv, &err), -1);
    free(err);
    assert_int_equal(credentials_split("   ", &argv, &err), -1);
    free(err);
    struct buf many = {0};
    for (int i = 0; i < CREDENTIALS_MAX_ARGS + 1; i++)
        buf_adds(&many, "x ");
    assert_int_equal(credentials_split(many.data, &argv, &err), -1);
    free(err);
    buf_free(&many);
}

/* Reads the secret for an account whose only source is set by the caller. */
static char *
read_with(struct config_account *a, long timeout_ms, char **err)
{
    a->name = (char *)"acct";
    *err = NULL;
    return credentials_read(a, timeout_ms, err);
}

/* Fails unless err exists and does not contain the secret. */
static void
err_clean(char *err, const char *must_have)
{
    assert_non_null(err);
    if (strstr(err, SECRET))
        fail_msg("the message leaks the secret: %s", err);
    if (must_have && strstr(err, must_have) == NULL)
        fail_msg("message lacks '%s': %s", must_have, err);
    free(err);
}

static void
test_command(void **state)
{
    (void)state;
    struct config_account a = {0};
    char *err;
    a.token_cmd = (char *)"printf '  " SECRET "  \\nsecond line\\n'";
    char *s = read_with(&a, 5000, &err);
    assert_non_null(s);
    assert_string_equal(s, SECRET);
    credentials_free(s);

    /* No shell: the ';' is an argument to echo, and nothing else runs. */
    a.token_cmd = (char *)"echo tok ; touch /tmp/tactful-should-not-exist";
    s = read_with(&a, 5000, &err);
    assert_string_equal(s, "tok ; touch /tmp/tactful-should-not-exist");
    credentials_free(s);
    assert_int_equal(access("/tmp/tactful-should-not-exist", F_OK), -1);

    a.token_cmd = (char *)"sh -c 'echo " SECRET "; exit 3'";
    assert_null(read_with(&a, 5000, &err));
    err_clean(err, "exit status 3");

    /* Its standard error never reaches the terminal raw: a failure quotes it on one line,
     * escape sequences and C1 controls shown, not sent. */
    a.token_cmd = (char *)"sh -c 'printf \"gpg: \\033]0;pwned\\007\\033[2J\\302\\233"
                          "31m no key\\n\" >&2; exit 2'";
    assert_null(read_with(&a, 5000, &err));
    assert_null(strchr(err, '\033'));
    assert_null(strstr(err, "\302\233"));
    err_clean(err, "failed (exit status 2): it said: gpg: ^[]0;pwned^G^[[2J<U+009B>31m no key; "
                   "run it yourself");

    /* posix_spawnp reports a missing program itself; under valgrind (which spawns by fork
     * and exec) the child exits 127 instead. Either way the message names the command. */
    a.token_cmd = (char *)"/nonexistent/tactful-helper";
    assert_null(read_with(&a, 5000, &err));
    assert_non_null(err);
    err_clean(err, strstr(err, "exit status 127") ? "token_cmd '/nonexistent/tactful-helper'"
                                                  : "cannot run token_cmd "
                                                    "'/nonexistent/tactful-helper'");

    a.token_cmd = (char *)"true";
    assert_null(read_with(&a, 5000, &err));
    err_clean(err, "printed no secret");

    /* A command that hangs (with a child of its own) is stopped at the timeout. */
    a.token_cmd = (char *)"sh -c 'sleep 30 & sleep 30'";
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_null(read_with(&a, 300, &err));
    clock_gettime(CLOCK_MONOTONIC, &t1);
    err_clean(err, "did not finish within 1 s");
    assert_true(t1.tv_sec - t0.tv_sec < 25); /* not the 30 s the command would take */

    /* On success what it said on standard error is dropped, not passed to the terminal. */
    fflush(stderr);
    int saved = dup(2);
    FILE *cap = tmpfile();
    assert_non_null(cap);
    dup2(fileno(cap), 2);
    a.token_cmd = (char *)"sh -c 'printf \"\\033[2Jnoise\\n\" >&2; echo tok'";
    char *tok = read_with(&a, 5000, &err);
    dup2(saved, 2);
    close(saved);
    assert_non_null(tok);
    assert_string_equal(tok, "tok");
    credentials_free(tok);
    assert_int_equal(ftell(cap) + lseek(fileno(cap), 0, SEEK_END), 0);
    fclose(cap);

    /* A torrent on standard error does not block it. */
    a.token_cmd = (char *)"sh -c 'head -c 300000 /dev/zero >&2; echo tok'";
    tok = read_with(&a, 5000, &err);
    assert_non_null(tok);
    credentials_free(tok);

    a.token_cmd = (char *)"yes " SECRET;
    assert_null(read_with(&a, 5000, &err));
    err_clean(err, "printed more than");

    a.token_cmd = (char *)"printf 'a\\033b\\n'";
    assert_null(read_with(&a, 5000, &err));
    err_clean(err, "control characters");
}

static void
test_file(void **state)
{
    (void)state;
    char dir[] = "/tmp/tactful-cred-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *path = xasprintf("%s/token", dir);
    FILE *f = fopen(path, "w");
    fputs(SECRET "\r\n", f);
    fclose(f);
    struct config_account a = {.token_file = path};
    char *err;

    chmod(path, 0644);
    assert_null(read_with(&a, 1000, &err));
    char *want = xasprintf("run: chmod 600 %s", path);
    err_clean(err, want);
    free(want);
    chmod(path, 0640);
    assert_null(read_with(&a, 1000, &err));
    err_clean(err, "mode 640");

    chmod(path, 0600);
    char *s = read_with(&a, 1000, &err);
    assert_non_null(s);
    assert_string_equal(s, SECRET);
    credentials_free(s);

    f = fopen(path, "w");
    fclose(f);
    assert_null(read_with(&a, 1000, &err));
    err_clean(err, "is empty");
    unlink(path);
    assert_null(read_with(&a, 1000, &err));
    err_clean(err, "cannot read token_file");
    a.token_file = dir;
    assert_null(read_with(&a, 1000, &err));
    err_clean(err, "not a regular file");
    rmdir(dir);
    free(path);
}

static void
test_env(void **state)
{
    (void)state;
    struct config_account a = {.token_env = (char *)"TACTFUL_TEST_TOKEN"};
    char *err;
    unsetenv("TACTFUL_TEST_TOKEN");
    assert_null(read_with(&a, 1000, &err));
    err_clean(err, "export TACTFUL_TEST_TOKEN=");
    setenv("TACTFUL_TEST_TOKEN", "", 1);
    assert_null(read_with(&a, 1000, &err));
    err_clean(err, "is not set");
    setenv("TACTFUL_TEST_TOKEN", SECRET, 1);
    char *s = read_with(&a, 1000, &err);
    assert_string_equal(s, SECRET);
    credentials_free(s);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split),
        cmocka_unit_test(test_command),
        cmocka_unit_test(test_file),
        cmocka_unit_test(test_env),
    };
    return cmocka_run_group_tests_name("net_credentials", tests, NULL, NULL);
}
