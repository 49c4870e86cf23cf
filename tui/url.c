/* Handing a post's URL on: to the clipboard with OSC 52 (the terminal does it, so it works
 * over SSH), or to open_cmd run directly with posix_spawnp, never through a shell. Only
 * http(s) URLs that survive the sanitizer unchanged are ever handed on. */
#include "tui/internal.h"

#include "model/post.h"
#include "model/text.h"
#include "model/xmalloc.h"
#include "tui/inbox.h"
#include "tui/url.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

extern char **environ;

int
tui_url_ok(const char *url)
{
    if (url == NULL)
        return 0;
    size_t n = strlen(url);
    if (n > POST_MAX_URL || n < 8)
        return 0;
    size_t scheme = strncasecmp(url, "https://", 8) == 0  ? 8
                    : strncasecmp(url, "http://", 7) == 0 ? 7
                                                          : 0;
    if (scheme == 0 || url[scheme] == '\0' || url[scheme] == '/')
        return 0;
    if (strpbrk(url, " \t\"'\\<>`") != NULL)
        return 0;
    char *safe = text_sanitize(url, n, 0);
    int same = strcmp(safe, url) == 0;
    free(safe);
    return same;
}

/* Encodes n bytes of s as base64 (RFC 4648, padded). */
static char *
base64(const char *s, size_t n)
{
    static const char tab[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const unsigned char *u = (const unsigned char *)s;
    char *out = xmalloc((n + 2) / 3 * 4 + 1), *o = out;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)u[i] << 16 | (i + 1 < n ? (unsigned)u[i + 1] << 8 : 0) |
                     (i + 2 < n ? u[i + 2] : 0);
        *o++ = tab[v >> 18 & 63];
        *o++ = tab[v >> 12 & 63];
        *o++ = i + 1 < n ? tab[v >> 6 & 63] : '=';
        *o++ = i + 2 < n ? tab[v & 63] : '=';
    }
    *o = '\0';
    return out;
}

int
tui_url_osc52(int fd, const char *url, int screen)
{
    if (!tui_url_ok(url))
        return -1;
    char *b64 = base64(url, strlen(url));
    /* GNU screen passes a sequence to the real terminal only inside a DCS string. */
    char *seq = xasprintf("%s\033]52;c;%s\a%s", screen ? "\033P" : "", b64,
                          screen ? "\033\\" : "");
    size_t len = strlen(seq), off = 0;
    int rc = 0;
    while (off < len) {
        ssize_t w = write(fd, seq + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            rc = -1;
            break;
        }
        off += (size_t)w;
    }
    free(seq);
    free(b64);
    return rc;
}

/* Appends one word to a growing argv. */
static void
argv_add(char ***argv, size_t *n, char *word)
{
    *argv = xreallocarray(*argv, *n + 2, sizeof **argv);
    (*argv)[(*n)++] = word;
    (*argv)[*n] = NULL;
}

char **
tui_url_argv(const char *open_cmd, const char *url)
{
    char **argv = NULL;
    size_t n = 0;
    int placed = 0;
    const char *s = open_cmd ? open_cmd : "";
    for (;;) {
        s += strspn(s, " \t");
        if (*s == '\0')
            break;
        struct buf w = {0};
        int quoted = 0;
        while (*s && (quoted || (*s != ' ' && *s != '\t'))) {
            if (*s == '"')
                quoted = !quoted;
            else
                buf_addc(&w, *s);
            s++;
        }
        char *word = buf_take(&w);
        if (strcmp(word, "%u") == 0) {
            free(word);
            word = xstrdup(url);
            placed = 1;
        }
        argv_add(&argv, &n, word);
    }
    if (n == 0)
        return NULL;
    if (!placed)
        argv_add(&argv, &n, xstrdup(url));
    return argv;
}

void
tui_url_argv_free(char **argv)
{
    for (size_t i = 0; argv && argv[i]; i++)
        free(argv[i]);
    free(argv);
}

pid_t
tui_url_open(const char *open_cmd, const char *url, char **err)
{
    if (!tui_url_ok(url)) {
        *err = xstrdup("only http:// and https:// addresses are opened");
        return -1;
    }
    char **argv = tui_url_argv(open_cmd, url);
    if (argv == NULL) {
        *err = xstrdup("set open_cmd in the [tactful] section of the configuration, such as "
                       "open_cmd = xdg-open");
        return -1;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    /* The screen belongs to tactful: the opener gets no terminal to draw on. */
    posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
        *err = xasprintf("cannot run %s: %s", argv[0], strerror(rc));
        pid = -1;
    }
    tui_url_argv_free(argv);
    return pid;
}

/* The URL the current screen offers: the selected post's, else the thread's. */
static const char *
current_url(struct tui *t)
{
    return t->screen->url ? t->screen->url(t) : tui_inbox_url(t);
}

/* Checks the URL before it is handed on; says why not otherwise. */
static const char *
usable_url(struct tui *t)
{
    const char *url = current_url(t);
    if (url == NULL || *url == '\0') {
        tui_message(t, "no URL here");
        return NULL;
    }
    if (!tui_url_ok(url)) {
        tui_error(t, "not copied or opened: only plain http:// and https:// addresses are "
                     "handed on");
        return NULL;
    }
    return url;
}

void
tui_url_act_copy(struct tui *t, const struct tui_action *a)
{
    (void)a;
    const char *url = usable_url(t);
    if (url == NULL)
        return;
    const char *term = getenv("TERM");
    int screen = getenv("STY") && !getenv("TMUX") && term && strncmp(term, "screen", 6) == 0;
    if (tui_url_osc52(STDOUT_FILENO, url, screen) != 0) {
        tui_error(t, "cannot write to the terminal");
        return;
    }
    tui_message(t, "copied %s (if the terminal allows OSC 52 clipboard access)", url);
}

void
tui_url_act_open(struct tui *t, const struct tui_action *a)
{
    (void)a;
    const char *url = usable_url(t);
    if (url == NULL)
        return;
    char *err = NULL;
    if (tui_url_open(t->opts->open_cmd, url, &err) < 0) {
        tui_error_take(t, NULL, err);
        return;
    }
    tui_message(t, "opening %s", url);
}
