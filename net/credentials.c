/* Secrets from a command, a private file or an environment variable. */
#include "net/credentials.h"

#include "model/text.h"
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

/* How much of token_cmd's standard error is kept to explain its failure. */
#define CMD_ERR_KEEP 300

/* What token_cmd wrote: its standard output (where the secret is) and the start of its
 * standard error, which never reaches the terminal as it is. */
struct cmd_output {
    char *out; /* CREDENTIALS_MAX_OUTPUT + 1 bytes */
    size_t len;
    char err[CMD_ERR_KEEP];
    size_t err_len;
    int timed_out, too_long;
};

/* Reads the command's standard output (out_fd) until it closes, is too long or the deadline
 * passes, reading its standard error (err_fd) meanwhile so that it never blocks on a full
 * pipe: the first CMD_ERR_KEEP bytes are kept, the rest dropped. */
static void
collect(int out_fd, int err_fd, long long deadline, struct cmd_output *o)
{
    struct pollfd p[2] = {{.fd = out_fd, .events = POLLIN}, {.fd = err_fd, .events = POLLIN}};
    while (p[0].fd >= 0) {
        long long left = deadline - now_ms();
        if (left <= 0) {
            o->timed_out = 1;
            return;
        }
        if (poll(p, 2, (int)(left > 1000 ? 1000 : left)) <= 0)
            continue;
        if (p[1].fd >= 0 && p[1].revents) {
            char buf[512];
            ssize_t got = read(err_fd, buf, sizeof buf);
            if (got == 0 || (got < 0 && errno != EINTR)) {
                p[1].fd = -1;
            } else if (got > 0) {
                size_t keep = CMD_ERR_KEEP - o->err_len;
                keep = keep < (size_t)got ? keep : (size_t)got;
                memcpy(o->err + o->err_len, buf, keep);
                o->err_len += keep;
            }
        }
        if (p[0].revents) {
            ssize_t got = read(out_fd, o->out + o->len, CREDENTIALS_MAX_OUTPUT - o->len);
            if (got == 0 || (got < 0 && errno != EINTR))
                p[0].fd = -1;
            else if (got > 0 && (o->len += (size_t)got) == CREDENTIALS_MAX_OUTPUT)
                o->too_long = 1;
            if (o->too_long)
                return;
        }
    }
}

/* Takes what is left in the standard error pipe once the command has ended, without
 * waiting (a daemon it started may hold the pipe open). */
static void
drain_err(int err_fd, struct cmd_output *o)
{
    fcntl(err_fd, F_SETFL, fcntl(err_fd, F_GETFL) | O_NONBLOCK);
    char buf[512];
    ssize_t got;
    while (o->err_len < CMD_ERR_KEEP && (got = read(err_fd, buf, sizeof buf)) > 0) {
        size_t keep = CMD_ERR_KEEP - o->err_len;
        keep = keep < (size_t)got ? keep : (size_t)got;
        memcpy(o->err + o->err_len, buf, keep);
        o->err_len += keep;
    }
}

/* ": it said: TEXT" for the command's standard error on one line, made safe for a terminal
 * (escape sequences shown, not sent), or "" when it said nothing. Newly allocated. */
static char *
said(const struct cmd_output *o)
{
    char *safe = text_sanitize(o->err, o->err_len, 0);
    size_t n = strlen(safe);
    while (n > 0 && safe[n - 1] == ' ')
        safe[--n] = '\0';
    char *s = n ? xasprintf(": it said: %s%s", safe, o->err_len == CMD_ERR_KEEP ? "..." : "")
                : xstrdup("");
    free(safe);
    return s;
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
    int fds[2], efds[2] = {-1, -1};
    if (pipe(fds) != 0 || fcntl(fds[0], F_SETFD, FD_CLOEXEC) != 0 ||
        fcntl(fds[1], F_SETFD, FD_CLOEXEC) != 0 || pipe(efds) != 0 ||
        fcntl(efds[0], F_SETFD, FD_CLOEXEC) != 0 || fcntl(efds[1], F_SETFD, FD_CLOEXEC) != 0) {
        *err = xasprintf("cannot run token_cmd for account %s: %s", a->name, strerror(errno));
        credentials_argv_free(argv);
        return NULL;
    }
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_adddup2(&fa, efds[1], 2); /* never the terminal itself */
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
    close(efds[1]);
    if (rc != 0) {
        *err = xasprintf("cannot run token_cmd '%s' for account %s: %s; check the program "
                         "name and PATH", argv[0], a->name, strerror(rc));
        close(fds[0]);
        close(efds[0]);
        credentials_argv_free(argv);
        return NULL;
    }
    struct cmd_output o = {.out = xmalloc(CREDENTIALS_MAX_OUTPUT + 1)};
    collect(fds[0], efds[0], now_ms() + timeout_ms, &o);
    close(fds[0]);
    int timed_out = o.timed_out, too_long = o.too_long;
    char *out = o.out;
    size_t len = o.len;
    if (timed_out || too_long)
        kill(-pid, SIGKILL);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    drain_err(efds[0], &o);
    close(efds[0]);
    char *secret = NULL, *told = said(&o);
    if (timed_out)
        *err = xasprintf("token_cmd '%s' for account %s did not finish within %ld s; check that "
                         "it runs without asking anything", argv[0], a->name,
                         (timeout_ms + 999) / 1000);
    else if (too_long)
        *err = xasprintf("token_cmd '%s' for account %s printed more than %d bytes; it should "
                         "print the secret alone", argv[0], a->name, CREDENTIALS_MAX_OUTPUT);
    else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        *err = xasprintf("token_cmd '%s' for account %s failed (%s %d)%s; run it yourself to "
                         "see why", argv[0], a->name,
                         WIFEXITED(status) ? "exit status" : "signal",
                         WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), told);
    else if ((secret = first_line(out, len)) == NULL)
        *err = xasprintf("token_cmd '%s' for account %s printed no secret%s", argv[0], a->name,
                         told);
    free(told);
    explicit_bzero(o.err, sizeof o.err);
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
