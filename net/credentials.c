/* Secrets from a command, a private file or an environment variable. */
#include "net/credentials.h"

#include "model/xmalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

void
credentials_free(char *secret)
{
    if (secret == NULL)
        return;
    explicit_bzero(secret, strlen(secret));
    free(secret);
}

void
credentials_argv_free(char **argv)
{
    if (argv == NULL)
        return;
    for (char **a = argv; *a; a++)
        free(*a);
    free(argv);
}

int
credentials_split(const char *cmd, char ***argv_out, char **err)
{
    char **argv = xcalloc(CREDENTIALS_MAX_ARGS + 1, sizeof *argv);
    int argc = 0;
    const char *s = cmd;
    *argv_out = NULL;
    for (;;) {
        while (*s == ' ' || *s == '\t')
            s++;
        if (*s == '\0')
            break;
        if (argc == CREDENTIALS_MAX_ARGS) {
            *err = xasprintf("token_cmd has more than %d arguments", CREDENTIALS_MAX_ARGS);
            goto fail;
        }
        struct buf b = {0};
        buf_add(&b, "", 0);
        while (*s && *s != ' ' && *s != '\t') {
            if (*s == '\'') {
                const char *close = strchr(s + 1, '\'');
                if (close == NULL) {
                    buf_free(&b);
                    *err = xstrdup("token_cmd has a ' without its closing '");
                    goto fail;
                }
                buf_add(&b, s + 1, (size_t)(close - s - 1));
                s = close + 1;
            } else if (*s == '"') {
                for (s++; *s && *s != '"'; s++) {
                    if (*s == '\\' && (s[1] == '"' || s[1] == '\\'))
                        s++;
                    buf_addc(&b, *s);
                }
                if (*s != '"') {
                    buf_free(&b);
                    *err = xstrdup("token_cmd has a \" without its closing \"");
                    goto fail;
                }
                s++;
            } else if (*s == '\\' && s[1]) {
                buf_addc(&b, s[1]);
                s += 2;
            } else {
                buf_addc(&b, *s++);
            }
        }
        argv[argc++] = buf_take(&b);
    }
    if (argc == 0) {
        *err = xstrdup("token_cmd names no program");
        goto fail;
    }
    *argv_out = argv;
    return argc;
fail:
    credentials_argv_free(argv);
    return -1;
}

/* Keeps the first line of buf, trimmed of surrounding whitespace; returns it newly allocated
 * or NULL when it is empty. */
static char *
first_line(const char *buf, size_t len)
{
    size_t end = 0;
    while (end < len && buf[end] != '\n' && buf[end] != '\0')
        end++;
    size_t start = 0;
    while (start < end && (buf[start] == ' ' || buf[start] == '\t'))
        start++;
    while (end > start && (buf[end - 1] == ' ' || buf[end - 1] == '\t' || buf[end - 1] == '\r'))
        end--;
    if (end == start)
        return NULL;
    return xstrndup(buf + start, end - start);
}

/* Returns nonzero when the secret holds a control character (it goes into HTTP headers). */
static int
has_control(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return 1;
    return 0;
}

/* Milliseconds on a monotonic clock. */
static long long
now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Runs token_cmd and returns the first line it prints. */
static char *
from_command(const struct config_account *a, long timeout_ms, char **err)
{
    char **argv = NULL;
    char *why = NULL;
    if (credentials_split(a->token_cmd, &argv, &why) < 0) {
        *err = xasprintf("%s for account %s; fix it in the configuration", why, a->name);
        free(why);
        return NULL;
    }
    int fds[2];
    if (pipe(fds) != 0 || fcntl(fds[0], F_SETFD, FD_CLOEXEC) != 0 ||
        fcntl(fds[1], F_SETFD, FD_CLOEXEC) != 0) {
        *err = xasprintf("cannot run token_cmd for account %s: %s", a->name, strerror(errno));
        credentials_argv_free(argv);
        return NULL;
    }
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawnattr_init(&attr);
    sigset_t none, dflt;
    sigemptyset(&none);
    sigemptyset(&dflt);
    sigaddset(&dflt, SIGPIPE);
    sigaddset(&dflt, SIGINT);
    sigaddset(&dflt, SIGTERM);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &dflt);
    posix_spawnattr_setpgroup(&attr, 0); /* its own group, so a timeout stops its children */
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
                                        POSIX_SPAWN_SETSIGDEF);
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], &fa, &attr, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    close(fds[1]);
    if (rc != 0) {
        *err = xasprintf("cannot run token_cmd '%s' for account %s: %s; check the program "
                         "name and PATH", argv[0], a->name, strerror(rc));
        close(fds[0]);
        credentials_argv_free(argv);
        return NULL;
    }
    char *out = xmalloc(CREDENTIALS_MAX_OUTPUT + 1);
    size_t len = 0;
    int timed_out = 0, too_long = 0;
    long long deadline = now_ms() + timeout_ms;
    for (;;) {
        long long left = deadline - now_ms();
        if (left <= 0) {
            timed_out = 1;
            break;
        }
        struct pollfd p = {.fd = fds[0], .events = POLLIN};
        int n = poll(&p, 1, (int)(left > 1000 ? 1000 : left));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            continue;
        ssize_t got = read(fds[0], out + len, CREDENTIALS_MAX_OUTPUT - len);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        len += (size_t)got;
        if (len == CREDENTIALS_MAX_OUTPUT) {
            too_long = 1;
            break;
        }
    }
    close(fds[0]);
    if (timed_out || too_long)
        kill(-pid, SIGKILL);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    char *secret = NULL;
    if (timed_out)
        *err = xasprintf("token_cmd '%s' for account %s did not finish within %ld s; check that "
                         "it runs without asking anything", argv[0], a->name,
                         (timeout_ms + 999) / 1000);
    else if (too_long)
        *err = xasprintf("token_cmd '%s' for account %s printed more than %d bytes; it should "
                         "print the secret alone", argv[0], a->name, CREDENTIALS_MAX_OUTPUT);
    else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        *err = xasprintf("token_cmd '%s' for account %s failed (%s %d); run it yourself to "
                         "see why", argv[0], a->name,
                         WIFEXITED(status) ? "exit status" : "signal",
                         WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
    else if ((secret = first_line(out, len)) == NULL)
        *err = xasprintf("token_cmd '%s' for account %s printed no secret", argv[0], a->name);
    explicit_bzero(out, len);
    free(out);
    credentials_argv_free(argv);
    return secret;
}

/* Reads the first line of token_file, refusing a file others can read. */
static char *
from_file(const struct config_account *a, char **err)
{
    const char *path = a->token_file;
    /* Non-blocking so that a FIFO is refused below instead of waiting for a writer. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        *err = xasprintf("cannot read token_file %s for account %s: %s", path, a->name,
                         strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        *err = xasprintf("token_file %s for account %s is not a regular file", path, a->name);
        close(fd);
        return NULL;
    }
    if (st.st_mode & 077) {
        *err = xasprintf("token_file %s for account %s can be read by others (mode %03o); "
                         "run: chmod 600 %s", path, a->name, (unsigned)(st.st_mode & 0777), path);
        close(fd);
        return NULL;
    }
    if (st.st_uid != geteuid()) {
        *err = xasprintf("token_file %s for account %s belongs to another user; it must be "
                         "yours and private (chown it, then chmod 600 %s)", path, a->name, path);
        close(fd);
        return NULL;
    }
    char *buf = xmalloc(CREDENTIALS_MAX_OUTPUT + 1);
    size_t len = 0;
    ssize_t got;
    while (len < CREDENTIALS_MAX_OUTPUT &&
           ((got = read(fd, buf + len, CREDENTIALS_MAX_OUTPUT - len)) > 0 ||
            (got < 0 && errno == EINTR)))
        if (got > 0)
            len += (size_t)got;
    close(fd);
    char *secret = first_line(buf, len);
    explicit_bzero(buf, len);
    free(buf);
    if (secret == NULL)
        *err = xasprintf("token_file %s for account %s is empty; put the secret on its first "
                         "line", path, a->name);
    return secret;
}

char *
credentials_read(const struct config_account *a, long timeout_ms, char **err)
{
    char *secret = NULL;
    if (a->token_cmd) {
        secret = from_command(a, timeout_ms, err);
    } else if (a->token_file) {
        secret = from_file(a, err);
    } else if (a->token_env) {
        const char *v = getenv(a->token_env);
        if (v == NULL || (secret = first_line(v, strlen(v))) == NULL)
            *err = xasprintf("token_env %s for account %s is not set; export %s=... before "
                             "running tactful", a->token_env, a->name, a->token_env);
    } else {
        *err = xasprintf("account %s has no token source; add token_cmd, token_file or "
                         "token_env", a->name);
    }
    if (secret && has_control(secret)) {
        credentials_free(secret);
        *err = xasprintf("the secret for account %s holds control characters; check its "
                         "token source", a->name);
        return NULL;
    }
    return secret;
}

long
credentials_timeout_ms(void)
{
    const char *v = getenv("TACTFUL_TOKEN_TIMEOUT");
    char *end;
    double d = v && *v ? strtod(v, &end) : 0;
    if (v && *v && *end == '\0' && d > 0 && d <= 3600)
        return (long)(d * 1000 + 0.5);
    return 30000;
}
