/* The configuration file, read with libinih through a line-counting reader.
 *
 * What inih (Debian 55) does on its own, found by experiment, and what this file does about it:
 * - A line longer than ini_max_line - 1 (default 200) is split: the value is silently cut
 *   (to 187 bytes for "signature = ...") and the rest is parsed as further lines, so inih's
 *   line numbers drift. ini_allow_realloc only grows the buffer up to ini_max_line, and only
 *   when ini_use_stack is off. We raise ini_max_line for the parse, and our reader reads whole
 *   lines itself, so a line over the limit is reported instead of split.
 * - Inline comments cut a value at the first ';' after whitespace, even inside quotes. We turn
 *   them off for the parse and strip comments ourselves, so a value can be quoted.
 * - Section names are silently cut to 49 bytes, text after ']' is ignored, the handler never
 *   hears about a section without keys, an indented line continues the previous key, and a
 *   line without '=' is dropped (only the first such line shows in the return value). Our
 *   reader therefore handles comments, section headers and lines without '=' or ':' itself and
 *   hands inih only "key = value" lines, without leading whitespace.
 * inih's runtime knobs are process-wide: they are set for the duration of one parse and put
 * back afterwards. */
#include "model/config.h"

#include "model/file.h"
#include "model/hours.h"
#include "model/platform.h"
#include "model/query.h"
#include "model/xmalloc.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LINE_MAX_BYTES 8192 /* longest accepted line, without its line ending */
#define CONFIG_MAX_FILE (1024 * 1024) /* a larger configuration file is refused */
#define VALUE_MAX_BYTES 4096
#define ACCOUNT_NAME_MAX 64
#define ERRORS_MAX 100 /* stop reading after this many problems (e.g. a binary file) */

/* The sections a key can be in; SEC_NONE before any header, SEC_BAD after a broken one. */
enum section_kind { SEC_NONE, SEC_TACTFUL, SEC_ACCOUNT, SEC_COLOURS, SEC_SEARCHES, SEC_BAD };

struct parser;

/* Checks (and may rewrite) a value for key; returns 0, or -1 after reporting the problem. */
typedef int (*value_check)(struct parser *p, const char *key, char **value);

/* One key a section accepts: where its value goes, how it is checked, and its documentation
 * (rendered into tactful(5) by `tactful help --man config`). */
struct key_spec {
    const char *name;
    size_t offset; /* of the char * field in struct config or struct config_account */
    value_check check;
    bool token;    /* one of the secret sources, of which exactly one must be set */
    const char *value; /* what it takes: TEXT, PATH ... */
    const char *def;   /* what holds when it is not set, or NULL: required, or nothing */
    const char *help;  /* what it is for; markup as described in cli/cli.h */
};

/* A problem found; sorted by line (then by order found) before they are joined. */
struct problem {
    int line;
    size_t seq;
    char *msg;
};

/* Everything one config_load needs while inih runs. */
struct parser {
    FILE *fp;
    const char *path;
    int lineno;              /* physical line the reader handed over last */
    int read_errno;          /* nonzero after a read error */
    bool stop;               /* too many problems: the reader reports end of file */
    struct config *cfg;
    const struct config_checks *checks; /* the interface's checks, or NULL */
    struct problem *problems;
    size_t nproblems;
    enum section_kind kind;  /* the section the current line is in */
    size_t account;          /* index into cfg->accounts when kind is SEC_ACCOUNT */
    int tactful_line;        /* line of the [tactful] header, 0 if none yet */
    int colours_line;        /* line of the [colours] header, 0 if none yet */
    int searches_line;       /* line of the [searches] header, 0 if none yet */
    int key_line[12];        /* per key of the current section: line it was set on, or 0 */
    char label[ACCOUNT_NAME_MAX + 16]; /* "[tactful]" or "[account NAME]" for messages */
    char text[LINE_MAX_BYTES + 3];     /* the current line; room for '\r', one byte too many
                                        * and '\0' */
};

static void problem(struct parser *p, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int check_platform(struct parser *p, const char *key, char **value);
static void colour_key(struct parser *p, const char *name, const char *raw);
static void search_key(struct parser *p, const char *name, const char *raw);
static int check_url(struct parser *p, const char *key, char **value);
static int check_path(struct parser *p, const char *key, char **value);
static int check_env_name(struct parser *p, const char *key, char **value);
static int check_language(struct parser *p, const char *key, char **value);
static int check_columns(struct parser *p, const char *key, char **value);
static int check_interval(struct parser *p, const char *key, char **value);
static int check_notify(struct parser *p, const char *key, char **value);

/* What sync_interval says, for tactful(5) and both sections that take it. */
#define SYNC_INTERVAL_HELP                                                                     \
    "How often the interface syncs in the background: a number followed by `s`, `m` or\n"      \
    "`h` (`90s`, `5m`, `1h`; a bare number is minutes), from 30 seconds to 24 hours, or\n"     \
    "`0` (or `off`) for never.\n"
static int check_hours(struct parser *p, const char *key, char **value);

static const struct key_spec tactful_keys[] = {
    {"officer", offsetof(struct config, officer), NULL, false, "NAME",
     "the login name",
     "The officer identity recorded in the audit log and on notes.\n"
     "The environment variable `TACTFUL_OFFICER` overrides it.\n"},
    {"signature", offsetof(struct config, signature), NULL, false, "TEXT", NULL,
     "The office's signature: `{signature}` in a pattern's template, and appended to a\n"
     "reply, after a space, when it is submitted without it.\n"},
    {"policy", offsetof(struct config, policy), check_path, false, "PATH", NULL,
     "The path of the office policy, a guardrail rule file set by an administrator (see\n"
     "`RULE FILES`).\n"
     "A leading ~/ is replaced by `$HOME`.\n"
     "`tactful check` and `tactful rules` read it (or the file given with `--policy`); a\n"
     "policy that is named but missing is an error.\n"},
    {"keymap", offsetof(struct config, keymap), check_path, false, "FLAVOUR|PATH",
     "$XDG_CONFIG_HOME/tactful/keys when it exists",
     "The key bindings to use in the inbox on top of the shipped ones: the name of a\n"
     "shipped flavour (`vi` or `emacs`), or the path of a keymap file (see\n"
     "`KEYMAP FILES`).\n"
     "A leading ~/ is replaced by `$HOME`.\n"},
    {"open_cmd", offsetof(struct config, open_cmd), NULL, false, "COMMAND", NULL,
     "The program that opens a post's address in the inbox (the `open-url` action), with\n"
     "its arguments, such as `open_cmd = xdg-open` or\n"
     "`open_cmd = tmux new-window w3m %u`.\n"
     "The value is split into words at spaces and tabs (a word in double quotes may\n"
     "contain spaces; as the value then starts with a quote, write the whole value in\n"
     "quotes with the inner ones escaped:\n"
     "`open_cmd = \"\\\"/opt/My Browser/run\\\" --new-tab\"`).\n"
     "The address replaces a word `%u`, or is added as the last word.\n"
     "The program is run directly, never through a shell, with its standard input and\n"
     "output on /dev/null, and only for `http://` and `https://` addresses; it must not\n"
     "need the terminal (run a terminal browser in a new tmux window, as above).\n"},
    {"patterns", offsetof(struct config, patterns), check_path, false, "FOLDER",
     "$XDG_CONFIG_HOME/tactful/patterns/ when it exists",
     "A folder of the office's own *.pattern files, read after the shipped ones (see\n"
     "`PATTERN FILES`); a leading ~/ is your home folder.\n"},
    {"inbox_columns", offsetof(struct config, inbox_columns), check_columns, false, "COLUMNS",
     "flags id priority state reply platform account assignee author age latest",
     "The inbox's columns, in order, separated by spaces or commas:\n"
     "`flags` (`*` unread, `+` selected), `id`, `priority`, `state`, `reply` (what the\n"
     "thread's replies are doing: `X` its latest post was deleted upstream, `N` the platform\n"
     "refuses replies in it (comments closed, replies limited), `F` a reply the platform\n"
     "refused, `R` a draft returned by the approver, `A` a draft waiting for approval, `D` a\n"
     "draft being written, `Q` a reply queued to send, `S` a reply sent; the first that\n"
     "applies), `platform`, `account`, `assignee`, `author` (of the latest post), `age`,\n"
     "`posts` and `latest` (the latest post's text, which takes the width left, after\n"
     "`[deleted]` when that post was deleted upstream and `[private]` when it is a direct\n"
     "message or followers-only).\n"
     "The widths are fixed: they follow the terminal's width.\n"
     "An unknown or repeated column, or a width given with a column, is an error when the\n"
     "inbox starts; `tactful check --config` finds it beforehand.\n"},
    {"sync_interval", offsetof(struct config, sync_interval), check_interval, false,
     "INTERVAL", "5m",
     SYNC_INTERVAL_HELP
     "The interface also syncs as it starts (unless `--offline` or on a review bundle)\n"
     "and on the `sync` action (F5, `$`); an account section's own `sync_interval` wins\n"
     "for that account, and an account at `0` is synced only on the key.\n"
     "On a shared server let one cron job or one interface sync, and set\n"
     "`sync_interval = 0` everywhere else.\n"},
    {"notify", offsetof(struct config, notify), check_notify, false, "off|bell|osc9|osc777",
     "off",
     "How the interface tells you that a sync brought new threads: `bell` rings the\n"
     "terminal bell, `osc9` and `osc777` send a desktop notification through the\n"
     "terminal (OSC 9 for iTerm2, Windows Terminal and others; OSC 777 for urxvt, foot\n"
     "and VTE terminals) whose text is fixed, with the count only: nothing from a post.\n"},
    {"business_hours", offsetof(struct config, business_hours), check_hours, false,
     "DAYS HH:MM-HH:MM", NULL,
     "The office's opening hours, such as `business_hours = Mon-Fri 09:00-17:00`, in the\n"
     "local time zone (`TZ`).\n"
     "DAYS is a day (`Mon`), a range (`Mon-Fri`) or a comma-separated list of them\n"
     "(`Mon-Thu,Sat`).\n"
     "When it is set, `tactful report` and the reports screen also count the time to a\n"
     "first reply in business hours only, so a post made on Friday evening and answered\n"
     "at 09:30 on Monday took 30 minutes.\n"},
};

/* Indexes into account_keys, for the checks at the end of an account section. */
enum {
    KEY_PLATFORM,
    KEY_URL,
    KEY_USER,
    KEY_TOKEN_CMD,
    KEY_TOKEN_FILE,
    KEY_TOKEN_ENV,
    KEY_CA_FILE,
    KEY_LANGUAGE,
    KEY_SYNC_INTERVAL
};

static const struct key_spec account_keys[] = {
    [KEY_PLATFORM] = {"platform", offsetof(struct config_account, platform), check_platform,
                      false, "PLATFORM", NULL,
                      "Required: `mastodon`, `bluesky` or `wordpress`.\n"},
    [KEY_URL] = {"url", offsetof(struct config_account, url), check_url, false, "URL", NULL,
                 "Required: the base URL of the account's server or site.\n"
                 "It must start with `https://` (in any case); `http://` is accepted only for\n"
                 "the hosts `127.0.0.1`, `[::1]` and `localhost`.\n"
                 "It must have a host name and must not contain spaces, tabs, a user name or\n"
                 "password (`user@`), `?` or `#`.\n"
                 "Trailing `/` characters are removed.\n"},
    [KEY_USER] = {"user", offsetof(struct config_account, user), NULL, false, "NAME", NULL,
                  "The Bluesky handle on `bluesky`, the WordPress user name on `wordpress`;\n"
                  "required there.\n"
                  "Mastodon accounts need none, but it is accepted.\n"},
    [KEY_TOKEN_CMD] = {"token_cmd", offsetof(struct config_account, token_cmd), NULL, true,
                       "COMMAND", NULL,
                       "A command that prints the account's secret on its first line.\n"
                       "It is run directly, never through a shell: the line is split into\n"
                       "arguments at spaces and tabs; `'...'` keeps everything inside as it\n"
                       "is, `\"...\"` keeps everything but `\\\"` and `\\\\` (a quote and a\n"
                       "backslash), and a backslash outside quotes keeps the next character.\n"
                       "Shell syntax such as `$HOME`, `|` or `;` has no special meaning.\n"
                       "Its standard input is /dev/null, and it must finish within 30 seconds\n"
                       "(`TACTFUL_TOKEN_TIMEOUT`) and print at most 64 KiB, or it is stopped.\n"
                       "Its error output never reaches the terminal as it is: when it fails,\n"
                       "the message about it quotes the first 300 bytes of what it said\n"
                       "there, on one line with control characters and escape sequences\n"
                       "shown (as `^[`, `<U+XXXX>`); when it succeeds, what it said there is\n"
                       "dropped.\n"
                       "Messages about it never show its standard output.\n"},
    [KEY_TOKEN_FILE] = {"token_file", offsetof(struct config_account, token_file), check_path,
                        true, "PATH", NULL,
                        "A file that holds the secret on its first line.\n"
                        "A leading ~/ is replaced by `$HOME`.\n"
                        "It must be a regular file belonging to you and readable by you alone:\n"
                        "a file that the group or others may read is refused with the message\n"
                        "to run `chmod 600`.\n"},
    [KEY_TOKEN_ENV] = {"token_env", offsetof(struct config_account, token_env), check_env_name,
                       true, "NAME", NULL,
                       "The name of an environment variable that holds the secret: letters,\n"
                       "digits and `_`, not starting with a digit.\n"},
    [KEY_CA_FILE] = {"ca_file", offsetof(struct config_account, ca_file), check_path, false,
                     "PATH", "the system's certificate authorities",
                     "A PEM file of certificate authorities to trust for this account instead\n"
                     "of the system's, for an office proxy that inspects TLS.\n"
                     "A leading ~/ is replaced by `$HOME`.\n"
                     "Certificates are always verified.\n"},
    [KEY_LANGUAGE] = {"language", offsetof(struct config_account, language), check_language,
                      false, "TAG", "the platform decides",
                      "The language of replies sent from this account, a BCP 47 tag such as\n"
                      "`en`, `cy` or `en-GB`: Bluesky replies carry it in `langs`, Mastodon\n"
                      "replies its language code (`en`).\n"},
    [KEY_SYNC_INTERVAL] = {"sync_interval", offsetof(struct config_account, sync_interval),
                           check_interval, false, "INTERVAL", "[tactful] sync_interval",
                           SYNC_INTERVAL_HELP
                           "For this account, instead of `[tactful] sync_interval`.\n"},
};

static const char *const loopback_hosts[] = {"127.0.0.1", "[::1]", "localhost"};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

_Static_assert(NELEM(account_keys) <= NELEM(((struct parser *)0)->key_line),
               "key_line too small");
_Static_assert(NELEM(tactful_keys) <= NELEM(((struct parser *)0)->key_line),
               "key_line too small");

/* Records a problem at line; after ERRORS_MAX of them, says so once and stops the reader. */
static void
problem(struct parser *p, int line, const char *fmt, ...)
{
    if (p->stop)
        return;
    char *msg;
    if (p->nproblems == ERRORS_MAX) {
        msg = xstrdup("too many errors; stopped reading here");
        p->stop = true;
    } else {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(NULL, 0, fmt, ap);
        va_end(ap);
        msg = xmalloc(n > 0 ? (size_t)n + 1 : 1);
        msg[0] = '\0';
        va_start(ap, fmt);
        if (n > 0)
            vsnprintf(msg, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    p->problems = xreallocarray(p->problems, p->nproblems + 1, sizeof(*p->problems));
    p->problems[p->nproblems] = (struct problem){line, p->nproblems, msg};
    p->nproblems++;
}

/* qsort order for problems: by line, then in the order they were found. */
static int
problem_cmp(const void *a, const void *b)
{
    const struct problem *x = a, *y = b;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Joins the problems as "PATH:LINE: message" lines and frees them. */
static char *
problems_take(struct parser *p)
{
    struct buf b = {0};
    qsort(p->problems, p->nproblems, sizeof(*p->problems), problem_cmp);
    for (size_t i = 0; i < p->nproblems; i++) {
        buf_printf(&b, "%s%s:%d: %s", i ? "\n" : "", p->path, p->problems[i].line,
                   p->problems[i].msg);
        free(p->problems[i].msg);
    }
    free(p->problems);
    p->problems = NULL;
    p->nproblems = 0;
    return buf_take(&b);
}

/* The keys a section kind accepts, and how many. */
static const struct key_spec *
section_keys(enum section_kind kind, size_t *n)
{
    if (kind == SEC_TACTFUL) {
        *n = NELEM(tactful_keys);
        return tactful_keys;
    }
    if (kind == SEC_ACCOUNT) {
        *n = NELEM(account_keys);
        return account_keys;
    }
    *n = 0;
    return NULL;
}

int
config_key_doc(enum config_section section, size_t i, struct config_key_doc *out)
{
    size_t n;
    const struct key_spec *keys =
        section_keys(section == CONFIG_SECTION_ACCOUNT ? SEC_ACCOUNT : SEC_TACTFUL, &n);
    if (i >= n)
        return -1;
    *out = (struct config_key_doc){keys[i].name, keys[i].value, keys[i].def, keys[i].help};
    return 0;
}

/* The struct the current section's values are stored in. */
static void *
section_target(struct parser *p)
{
    if (p->kind == SEC_ACCOUNT)
        return &p->cfg->accounts[p->account];
    return p->cfg;
}

/* Checks that platform is one tactful can talk to. */
static int
check_platform(struct parser *p, const char *key, char **value)
{
    (void)key;
    if (platform_find(*value) != NULL)
        return 0;
    char *names = platform_names(", ");
    problem(p, p->lineno, "unknown platform '%s' in %s; expected one of: %s", *value, p->label,
            names);
    free(names);
    return -1;
}

/* Returns whether host (as it appears in a URL, IPv6 in brackets) is the local machine. */
static bool
is_loopback(const char *host, size_t len)
{
    for (size_t i = 0; i < NELEM(loopback_hosts); i++)
        if (strlen(loopback_hosts[i]) == len && strncasecmp(loopback_hosts[i], host, len) == 0)
            return true;
    return false;
}

/* Checks a base URL: https:// (http:// only to the local machine), a host, no credentials,
 * query or fragment; drops trailing '/'. */
static int
check_url(struct parser *p, const char *key, char **value)
{
    char *url = *value;
    const char *rest;
    bool tls;
    if (strncasecmp(url, "https://", 8) == 0) {
        rest = url + 8;
        tls = true;
    } else if (strncasecmp(url, "http://", 7) == 0) {
        rest = url + 7;
        tls = false;
    } else {
        problem(p, p->lineno, "%s '%s' in %s must start with https://", key, url, p->label);
        return -1;
    }
    if (strpbrk(url, " \t") != NULL) {
        problem(p, p->lineno, "%s '%s' in %s contains a space", key, url, p->label);
        return -1;
    }
    size_t authority = strcspn(rest, "/?#");
    const char *at = memchr(rest, '@', authority);
    if (at != NULL) {
        problem(p, p->lineno, "%s in %s must not contain a user name or password; use "
                "token_cmd, token_file or token_env for the secret", key, p->label);
        return -1;
    }
    if (strpbrk(rest, "?#") != NULL) {
        problem(p, p->lineno, "%s '%s' in %s must be a base URL, without '?' or '#'", key, url,
                p->label);
        return -1;
    }
    size_t hostlen;
    if (rest[0] == '[') {
        const char *close = memchr(rest, ']', authority);
        hostlen = close ? (size_t)(close - rest) + 1 : authority;
    } else {
        hostlen = strcspn(rest, ":/");
    }
    if (hostlen == 0) {
        problem(p, p->lineno, "%s '%s' in %s has no host name", key, url, p->label);
        return -1;
    }
    if (!tls && !is_loopback(rest, hostlen)) {
        problem(p, p->lineno, "%s '%s' in %s must use https://: TLS is required, and http:// is "
                "only allowed for 127.0.0.1, [::1] and localhost", key, url, p->label);
        return -1;
    }
    size_t len = strlen(url);
    while (len > (size_t)(rest - url) + hostlen && url[len - 1] == '/')
        url[--len] = '\0';
    return 0;
}

/* Hands inbox_columns to the interface's check, when the caller gave one. */
static int
check_columns(struct parser *p, const char *key, char **value)
{
    (void)key;
    char *err = NULL;
    if (p->checks == NULL || p->checks->inbox_columns == NULL ||
        p->checks->inbox_columns(*value, &err) == 0)
        return 0;
    problem(p, p->lineno, "%s", err);
    free(err);
    return -1;
}

/* Expands a leading "~/" to $HOME; other "~" forms are refused rather than kept literally. */
static int
check_path(struct parser *p, const char *key, char **value)
{
    char *path = *value;
    if (path[0] != '~')
        return 0;
    if (path[1] != '/') {
        problem(p, p->lineno, "%s '%s' in %s: only a leading ~/ is expanded; write ~/... or a "
                "full path", key, path, p->label);
        return -1;
    }
    const char *home = getenv("HOME");
    if (home == NULL || home[0] == '\0') {
        problem(p, p->lineno, "%s '%s' in %s: cannot expand ~/ because HOME is not set", key,
                path, p->label);
        return -1;
    }
    size_t hlen = strlen(home);
    while (hlen > 0 && home[hlen - 1] == '/')
        hlen--;
    *value = xasprintf("%.*s%s", (int)hlen, home, path + 1);
    free(path);
    return 0;
}

/* Checks that token_env names a possible environment variable. */
static int
check_env_name(struct parser *p, const char *key, char **value)
{
    const char *s = *value;
    bool ok = isalpha((unsigned char)s[0]) || s[0] == '_';
    for (size_t i = 1; ok && s[i] != '\0'; i++)
        ok = isalnum((unsigned char)s[i]) || s[i] == '_';
    if (ok)
        return 0;
    problem(p, p->lineno, "%s '%s' in %s is not an environment variable name (letters, digits "
            "and '_', not starting with a digit)", key, s, p->label);
    return -1;
}

/* Checks that language is a BCP 47 tag of the common shape: a 2 or 3 letter language code
 * ("en", "cy") optionally followed by subtags of 2 to 8 letters or digits ("en-GB"). */
static int
check_language(struct parser *p, const char *key, char **value)
{
    const char *s = *value;
    size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyz");
    bool ok = n >= 2 && n <= 3;
    for (s += n; ok && *s == '-'; s += n) {
        s++;
        n = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
        ok = n >= 2 && n <= 8;
    }
    if (ok && *s == '\0')
        return 0;
    problem(p, p->lineno, "%s '%s' in %s is not a language tag; write a code such as en, cy "
            "or en-GB", key, *value, p->label);
    return -1;
}

int
config_interval_parse(const char *value, long *seconds, char **err)
{
    *seconds = 0;
    if (strcmp(value, "off") == 0 || strcmp(value, "0") == 0)
        return 0;
    size_t n = strspn(value, "0123456789");
    const char *unit = value + n;
    long mult = *unit == 's' ? 1 : *unit == 'h' ? 3600 : 60;
    bool ok = n > 0 && n <= 6 && (*unit == '\0' || (strchr("smh", *unit) && unit[1] == '\0'));
    long v = ok ? strtol(value, NULL, 10) * mult : 0;
    if (ok && v >= CONFIG_INTERVAL_MIN && v <= CONFIG_INTERVAL_MAX) {
        *seconds = v;
        return 0;
    }
    if (err)
        *err = xasprintf("'%.64s' is not an interval from 30 seconds to 24 hours; write such "
                         "as 90s, 5m or 1h, or 0 for never", value);
    return -1;
}

long
config_sync_interval(const struct config *cfg, const struct config_account *a)
{
    const char *v = a && a->sync_interval ? a->sync_interval
                    : cfg && cfg->sync_interval ? cfg->sync_interval : NULL;
    long s = CONFIG_INTERVAL_DEFAULT;
    if (v && config_interval_parse(v, &s, NULL) != 0)
        s = CONFIG_INTERVAL_DEFAULT; /* checked at load; never reached */
    return s;
}

static const char *const notify_names[] = {
    [CONFIG_NOTIFY_OFF] = "off",
    [CONFIG_NOTIFY_BELL] = "bell",
    [CONFIG_NOTIFY_OSC9] = "osc9",
    [CONFIG_NOTIFY_OSC777] = "osc777",
};

enum config_notify
config_notify_mode(const struct config *cfg)
{
    for (size_t i = 0; cfg && cfg->notify && i < NELEM(notify_names); i++)
        if (strcmp(cfg->notify, notify_names[i]) == 0)
            return (enum config_notify)i;
    return CONFIG_NOTIFY_OFF;
}

/* Checks a sync_interval value (config_interval_parse). */
static int
check_interval(struct parser *p, const char *key, char **value)
{
    long s;
    char *why = NULL;
    if (config_interval_parse(*value, &s, &why) == 0)
        return 0;
    problem(p, p->lineno, "%s in %s: %s", key, p->label, why);
    free(why);
    return -1;
}

/* Checks a business_hours value with the parser the reports use. */
static int
check_hours(struct parser *p, const char *key, char **value)
{
    struct hours h;
    char *why = NULL;
    if (hours_parse(*value, &h, &why) == 0)
        return 0;
    problem(p, p->lineno, "%s in %s: %s", key, p->label, why);
    free(why);
    return -1;
}

/* Checks a notify value: one of notify_names. */
static int
check_notify(struct parser *p, const char *key, char **value)
{
    for (size_t i = 0; i < NELEM(notify_names); i++)
        if (strcmp(*value, notify_names[i]) == 0)
            return 0;
    problem(p, p->lineno, "%s '%s' in %s is not one of off, bell, osc9, osc777", key, *value,
            p->label);
    return -1;
}

/* Turns the text after '=' (trimmed by inih) into the value: a "quoted" value is taken up to
 * its closing quote with \" and \\ unescaped, anything else up to a ';' that follows a space
 * or tab. Returns NULL after reporting a problem. */
static char *
value_parse(struct parser *p, const char *key, const char *raw)
{
    struct buf b = {0};
    if (raw[0] == '"') {
        const char *s = raw + 1;
        while (*s != '\0' && *s != '"') {
            if (s[0] == '\\' && (s[1] == '"' || s[1] == '\\'))
                s++;
            buf_addc(&b, *s++);
        }
        if (*s != '"') {
            problem(p, p->lineno, "value of %s in %s has no closing '\"'", key, p->label);
            buf_free(&b);
            return NULL;
        }
        for (s++; *s == ' ' || *s == '\t'; s++)
            ;
        if (*s != '\0' && *s != ';') {
            problem(p, p->lineno, "unexpected text after the closing '\"' of %s in %s; a "
                    "comment there starts with ';'", key, p->label);
            buf_free(&b);
            return NULL;
        }
    } else {
        size_t len = 0;
        while (raw[len] != '\0' &&
               !(raw[len] == ';' && (len == 0 || raw[len - 1] == ' ' || raw[len - 1] == '\t')))
            len++;
        while (len > 0 && (raw[len - 1] == ' ' || raw[len - 1] == '\t'))
            len--;
        buf_add(&b, raw, len);
    }
    if (b.len == 0) {
        problem(p, p->lineno, "%s in %s has an empty value", key, p->label);
        buf_free(&b);
        return NULL;
    }
    if (b.len > VALUE_MAX_BYTES) {
        problem(p, p->lineno, "value of %s in %s is %zu bytes long; the limit is %d", key,
                p->label, b.len, VALUE_MAX_BYTES);
        buf_free(&b);
        return NULL;
    }
    return buf_take(&b);
}

/* Runs the checks that need a whole section: those an account section needs at its end. */
static void
section_end(struct parser *p)
{
    if (p->kind != SEC_ACCOUNT)
        return;
    const struct config_account *a = &p->cfg->accounts[p->account];
    int tokens = 0;
    for (size_t i = 0; i < NELEM(account_keys); i++)
        if (account_keys[i].token && p->key_line[i] != 0)
            tokens++;
    if (p->key_line[KEY_PLATFORM] == 0) {
        char *names = platform_names(" or ");
        problem(p, a->line, "%s has no platform; add platform = %s", p->label, names);
        free(names);
    }
    if (p->key_line[KEY_URL] == 0)
        problem(p, a->line, "%s has no url; add url = https://...", p->label);
    const struct platform *plat = platform_find(a->platform);
    if (plat != NULL && plat->user != NULL && p->key_line[KEY_USER] == 0)
        problem(p, a->line, "%s has no user; %s accounts need user = ... (%s)", p->label,
                plat->name, plat->user);
    if (tokens == 0)
        problem(p, a->line, "%s has no token source; add one of token_cmd, token_file or "
                "token_env", p->label);
}

/* Returns whether name is 1 to ACCOUNT_NAME_MAX characters of [A-Za-z0-9._-]. */
static bool
account_name_ok(const char *name)
{
    size_t len = strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                              "0123456789._-");
    return len > 0 && len <= ACCOUNT_NAME_MAX && name[len] == '\0';
}

/* Starts the section whose header name (trimmed, between the brackets) is on the current
 * line: [tactful] or [account NAME]. */
static void
section_begin_named(struct parser *p, char *name)
{
    int line = p->lineno;
    if (strcmp(name, "tactful") == 0) {
        snprintf(p->label, sizeof(p->label), "[tactful]");
        if (p->tactful_line != 0) {
            problem(p, line, "duplicate section [tactful] (first at line %d)", p->tactful_line);
            return;
        }
        p->tactful_line = line;
        p->kind = SEC_TACTFUL;
        return;
    }
    if (strcmp(name, "searches") == 0) {
        snprintf(p->label, sizeof(p->label), "[searches]");
        if (p->searches_line != 0) {
            problem(p, line, "duplicate section [searches] (first at line %d)",
                    p->searches_line);
            return;
        }
        p->searches_line = line;
        p->kind = SEC_SEARCHES;
        return;
    }
    if (strcmp(name, "colours") == 0) {
        snprintf(p->label, sizeof(p->label), "[colours]");
        if (p->colours_line != 0) {
            problem(p, line, "duplicate section [colours] (first at line %d)", p->colours_line);
            return;
        }
        p->colours_line = line;
        p->kind = SEC_COLOURS;
        return;
    }
    if (strncmp(name, "account", 7) != 0 || (name[7] != '\0' && name[7] != ' ' &&
                                             name[7] != '\t')) {
        problem(p, line, "unknown section [%s]; expected [tactful], [colours], [searches] or "
                "[account NAME]", name);
        return;
    }
    char *acct = name + 7;
    acct += strspn(acct, " \t");
    if (!account_name_ok(acct)) {
        if (acct[0] == '\0')
            problem(p, line, "section [account] needs a name: [account NAME]");
        else
            problem(p, line, "invalid account name '%s' in [%s]; use 1 to %d of the "
                    "characters A-Z a-z 0-9 . _ -", acct, name, ACCOUNT_NAME_MAX);
        return;
    }
    snprintf(p->label, sizeof(p->label), "[account %s]", acct);
    const struct config_account *dup = config_account_find(p->cfg, acct);
    if (dup != NULL) {
        problem(p, line, "duplicate account %s (first at line %d)", p->label, dup->line);
        return;
    }
    struct config *cfg = p->cfg;
    cfg->accounts = xreallocarray(cfg->accounts, cfg->naccounts + 1, sizeof(*cfg->accounts));
    cfg->accounts[cfg->naccounts] = (struct config_account){.name = xstrdup(acct), .line = line};
    p->account = cfg->naccounts++;
    p->kind = SEC_ACCOUNT;
}

/* Handles a section header line (s points at its '['). A broken header makes the lines up to
 * the next header be ignored, so one mistake gives one message. */
static void
section_begin(struct parser *p, char *s)
{
    section_end(p);
    p->kind = SEC_BAD;
    memset(p->key_line, 0, sizeof(p->key_line));
    char *close = strchr(s, ']');
    if (close == NULL) {
        problem(p, p->lineno, "section header has no closing ']'");
        return;
    }
    const char *after = close + 1 + strspn(close + 1, " \t");
    if (*after != '\0' && *after != ';' && *after != '#') {
        problem(p, p->lineno, "unexpected text after ']' in section header");
        return;
    }
    *close = '\0';
    char *name = s + 1 + strspn(s + 1, " \t");
    size_t len = strlen(name);
    while (len > 0 && (name[len - 1] == ' ' || name[len - 1] == '\t'))
        name[--len] = '\0';
    section_begin_named(p, name);
}

/* Reads one physical line into p->text without its line ending ("\n" or "\r\n"), keeping at
 * most LINE_MAX_BYTES + 2 bytes of it. Returns its length, or -1 at end of file. */
static long
line_read(struct parser *p, bool *has_nul)
{
    size_t len = 0;
    int c;
    *has_nul = false;
    while ((c = getc(p->fp)) != EOF && c != '\n') {
        if (c == '\0')
            *has_nul = true;
        if (len < sizeof(p->text) - 1)
            p->text[len++] = (char)c;
    }
    if (c == EOF && ferror(p->fp))
        p->read_errno = errno ? errno : EIO;
    if (c == EOF && len == 0)
        return -1;
    if (len > 0 && p->text[len - 1] == '\r')
        len--;
    p->text[len] = '\0';
    return (long)len;
}

/* The ini_reader: hands inih the next "key = value" line, one physical line per call, and
 * deals with every other kind of line itself, counting lines as it goes. */
static char *
reader(char *str, int num, void *stream)
{
    struct parser *p = stream;
    bool has_nul;
    long len;
    while (!p->stop && (len = line_read(p, &has_nul)) >= 0) {
        p->lineno++;
        char *s = p->text;
        if (p->lineno == 1 && strncmp(s, "\xEF\xBB\xBF", 3) == 0)
            s += 3;
        if (len > LINE_MAX_BYTES) {
            problem(p, p->lineno, "line is longer than %d bytes", LINE_MAX_BYTES);
            continue;
        }
        bool ctrl = has_nul;
        for (const char *t = s; *t != '\0' && !ctrl; t++)
            ctrl = ((unsigned char)*t < 0x20 && *t != '\t') || *t == 0x7f;
        if (ctrl) {
            problem(p, p->lineno, "line contains a control character");
            continue;
        }
        s += strspn(s, " \t");
        if (*s == '\0' || *s == ';' || *s == '#')
            continue;
        if (*s == '[') {
            section_begin(p, s);
            continue;
        }
        if (strpbrk(s, "=:") == NULL) {
            problem(p, p->lineno, "expected 'key = value', [tactful] or [account NAME]");
            continue;
        }
        if (strlen(s) + 2 > (size_t)num) {
            problem(p, p->lineno, "line is too long for the INI parser");
            continue;
        }
        memcpy(str, s, strlen(s) + 1);
        return str;
    }
    return NULL;
}

/* The ini_handler: checks and stores one key = value of the current section. inih's section
 * name is ignored: the reader tracks sections. Always returns 1, problems are recorded. */
static int
handler(void *user, const char *section, const char *name, const char *raw)
{
    (void)section;
    struct parser *p = user;
    int line = p->lineno;
    if (name[0] == '\0') {
        problem(p, line, "missing key name before '='");
        return 1;
    }
    if (p->kind == SEC_BAD)
        return 1;
    if (p->kind == SEC_NONE) {
        problem(p, line, "key '%s' is outside any section; put it under [tactful] or "
                "[account NAME]", name);
        return 1;
    }
    if (p->kind == SEC_COLOURS) {
        colour_key(p, name, raw);
        return 1;
    }
    if (p->kind == SEC_SEARCHES) {
        search_key(p, name, raw);
        return 1;
    }
    size_t nkeys, i;
    const struct key_spec *keys = section_keys(p->kind, &nkeys);
    for (i = 0; i < nkeys && strcmp(keys[i].name, name) != 0; i++)
        ;
    if (i == nkeys) {
        struct buf b = {0};
        for (size_t k = 0; k < nkeys; k++)
            buf_printf(&b, "%s%s", k ? ", " : "", keys[k].name);
        problem(p, line, "unknown key '%s' in %s; expected one of: %s", name, p->label, b.data);
        buf_free(&b);
        return 1;
    }
    const struct key_spec *key = &keys[i];
    if (p->key_line[i] != 0) {
        problem(p, line, "duplicate key '%s' in %s (first at line %d)", name, p->label,
                p->key_line[i]);
        return 1;
    }
    p->key_line[i] = line;
    for (size_t k = 0; key->token && k < nkeys; k++) {
        if (k != i && keys[k].token && p->key_line[k] != 0) {
            problem(p, line, "%s conflicts with %s (line %d) in %s; set exactly one of "
                    "token_cmd, token_file or token_env", name, keys[k].name, p->key_line[k],
                    p->label);
            return 1;
        }
    }
    char *value = value_parse(p, name, raw);
    if (value == NULL)
        return 1;
    if (key->check != NULL && key->check(p, name, &value) != 0) {
        free(value);
        return 1;
    }
    char **slot = (char **)((char *)section_target(p) + key->offset);
    *slot = value;
    return 1;
}

/* Takes a line of the [colours] section: ROLE = a colour description. Which roles exist is the
 * interface's business (its check, when given); the description's words are checked here. */
static void
colour_key(struct parser *p, const char *name, const char *raw)
{
    struct config *cfg = p->cfg;
    for (size_t i = 0; i < cfg->ncolours; i++)
        if (strcmp(cfg->colours[i].role, name) == 0) {
            problem(p, p->lineno, "duplicate key '%s' in [colours] (first at line %d)", name,
                    cfg->colours[i].line);
            return;
        }
    char *err = NULL;
    int bad_role = p->checks && p->checks->colour_role && p->checks->colour_role(name, &err);
    if (bad_role) {
        problem(p, p->lineno, "%s", err);
        free(err);
        err = NULL;
    }
    char *value = value_parse(p, name, raw);
    if (value == NULL)
        return;
    struct config_colour c = {.line = p->lineno};
    if (config_colour_parse(value, &c, &err) != 0) {
        problem(p, p->lineno, "[colours] %s: %s", name, err);
        free(err);
        free(value);
        return;
    }
    free(value);
    if (bad_role)
        return;
    c.role = xstrdup(name);
    cfg->colours = xreallocarray(cfg->colours, cfg->ncolours + 1, sizeof *cfg->colours);
    cfg->colours[cfg->ncolours++] = c;
}

/* Most saved searches: each is a tab of the inbox. */
#define SEARCHES_MAX 20

/* Takes a line of the [searches] section: NAME = a search in the query language, checked. */
static void
search_key(struct parser *p, const char *name, const char *raw)
{
    struct config *cfg = p->cfg;
    for (size_t i = 0; i < cfg->nsearches; i++)
        if (strcmp(cfg->searches[i].name, name) == 0) {
            problem(p, p->lineno, "duplicate key '%s' in [searches] (first at line %d)", name,
                    cfg->searches[i].line);
            return;
        }
    if (cfg->nsearches == SEARCHES_MAX) {
        problem(p, p->lineno, "more than %d saved searches in [searches]; keep the ones you use",
                SEARCHES_MAX);
        return;
    }
    if (strlen(name) > 32) {
        problem(p, p->lineno, "the saved search name '%.32s...' is longer than 32 bytes; it is "
                "a tab's label, so keep it short", name);
        return;
    }
    char *value = value_parse(p, name, raw);
    if (value == NULL)
        return;
    struct query q;
    char *err = NULL;
    if (query_parse(value, &q, &err) != 0) {
        problem(p, p->lineno, "[searches] %s: %s", name, err);
        free(err);
        free(value);
        return;
    }
    query_free(&q);
    cfg->searches = xreallocarray(cfg->searches, cfg->nsearches + 1, sizeof *cfg->searches);
    cfg->searches[cfg->nsearches++] =
        (struct config_search){.name = xstrdup(name), .query = value, .line = p->lineno};
}

/* The colour names a description may use, in the terminal's own order (0 to 7). */
static const char *const colour_names[] = {"black", "red", "green", "yellow", "blue",
                                           "magenta", "cyan", "white"};
static const char *const colour_attr_names[] = {"bold", "underline", "reverse", "dim"};

/* The index of word (len bytes) in names, or -1. */
static int
word_index(const char *word, size_t len, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(names[i]) == len && strncmp(names[i], word, len) == 0)
            return (int)i;
    return -1;
}

int
config_colour_parse(const char *value, struct config_colour *out, char **err)
{
    out->fg = out->bg = CONFIG_COLOUR_DEFAULT;
    out->attrs = 0;
    int on = 0, fg_set = 0, bg_set = 0;
    const char *s = value;
    while (*(s += strspn(s, " \t"))) {
        size_t len = strcspn(s, " \t");
        int a = word_index(s, len, colour_attr_names, NELEM(colour_attr_names));
        int c = word_index(s, len, colour_names, NELEM(colour_names));
        if (len == 7 && strncmp(s, "default", 7) == 0)
            c = CONFIG_COLOUR_DEFAULT;
        else if (c < 0 && a < 0 && !(len == 2 && strncmp(s, "on", 2) == 0)) {
            *err = xasprintf("'%.*s' is not a colour or an attribute; write [bold] [underline] "
                             "[reverse] [dim] [COLOUR] [on COLOUR], COLOUR being black, red, "
                             "green, yellow, blue, magenta, cyan, white or default",
                             (int)(len > 40 ? 40 : len), s);
            return -1;
        }
        if (len == 2 && strncmp(s, "on", 2) == 0) {
            if (on) {
                *err = xstrdup("'on' is given twice; write FOREGROUND on BACKGROUND");
                return -1;
            }
            on = 1;
        } else if (a >= 0) {
            if (on || fg_set) {
                *err = xasprintf("put the attribute '%s' before the colours", colour_attr_names[a]);
                return -1;
            }
            out->attrs |= 1u << a;
        } else if (on) {
            if (bg_set) {
                *err = xstrdup("give one background colour after 'on'");
                return -1;
            }
            out->bg = c;
            bg_set = 1;
        } else {
            if (fg_set) {
                *err = xstrdup("give one foreground colour, then 'on' and the background");
                return -1;
            }
            out->fg = c;
            fg_set = 1;
        }
        s += len;
    }
    if (on && !bg_set) {
        *err = xstrdup("'on' needs a background colour after it");
        return -1;
    }
    if (!fg_set && !bg_set && out->attrs == 0) {
        *err = xstrdup("give a colour or an attribute, such as 'black on cyan' or 'bold'");
        return -1;
    }
    return 0;
}

/* The inih runtime knobs, so they can be set for one parse and restored afterwards. */
struct ini_knobs {
    bool use_stack, allow_realloc, allow_inline_comments, allow_multiline, allow_bom;
    bool allow_no_value, stop_on_first_error;
    int max_line, initial_alloc;
    char *start_comment_prefixes, *inline_comment_prefixes;
};

/* Exchanges the values in k with inih's knobs: once to apply k, once more to restore. */
static void
ini_knobs_swap(struct ini_knobs *k)
{
    struct ini_knobs old = {
        .use_stack = ini_use_stack,
        .allow_realloc = ini_allow_realloc,
        .allow_inline_comments = ini_allow_inline_comments,
        .allow_multiline = ini_allow_multiline,
        .allow_bom = ini_allow_bom,
        .allow_no_value = ini_allow_no_value,
        .stop_on_first_error = ini_stop_on_first_error,
        .max_line = ini_max_line,
        .initial_alloc = ini_initial_alloc,
        .start_comment_prefixes = ini_start_comment_prefixes,
        .inline_comment_prefixes = ini_inline_comment_prefixes,
    };
    ini_use_stack = k->use_stack;
    ini_allow_realloc = k->allow_realloc;
    ini_allow_inline_comments = k->allow_inline_comments;
    ini_allow_multiline = k->allow_multiline;
    ini_allow_bom = k->allow_bom;
    ini_allow_no_value = k->allow_no_value;
    ini_stop_on_first_error = k->stop_on_first_error;
    ini_max_line = k->max_line;
    ini_initial_alloc = k->initial_alloc;
    ini_start_comment_prefixes = k->start_comment_prefixes;
    ini_inline_comment_prefixes = k->inline_comment_prefixes;
    *k = old;
}

/* Parses the open file fp into p->cfg, recording every problem in p. */
static void
parse_file(struct parser *p)
{
    char start_prefixes[] = ";#", inline_prefixes[] = ";";
    struct ini_knobs knobs = {
        .use_stack = true, /* a line buffer of max_line bytes, no realloc */
        .allow_realloc = false,
        .allow_inline_comments = false, /* value_parse strips comments, minding quotes */
        .allow_multiline = false,
        .allow_bom = false, /* the reader drops the BOM */
        .allow_no_value = false,
        .stop_on_first_error = false,
        .max_line = LINE_MAX_BYTES + 3, /* '\r', '\n' and '\0', as ini.h says */
        .initial_alloc = LINE_MAX_BYTES + 3,
        .start_comment_prefixes = start_prefixes,
        .inline_comment_prefixes = inline_prefixes,
    };
    ini_knobs_swap(&knobs);
    int rc = ini_parse_stream(reader, p, handler, p);
    ini_knobs_swap(&knobs);
    if (rc != 0) /* not expected: the reader hands inih only lines it accepts */
        problem(p, p->lineno, "the INI parser failed (inih error %d)", rc);
    if (!p->stop)
        section_end(p);
    if (p->read_errno != 0)
        problem(p, p->lineno, "read error: %s", strerror(p->read_errno));
}

struct config *
config_load(const char *path, int missing_ok, char **err)
{
    return config_load_checked(path, missing_ok, NULL, err);
}

struct config *
config_load_checked(const char *path, int missing_ok, const struct config_checks *checks,
                    char **err)
{
    if (err != NULL)
        *err = NULL;
    FILE *fp = path != NULL ? file_open_regular(path, CONFIG_MAX_FILE) : NULL;
    int open_errno = path != NULL ? errno : ENOENT;
    if (fp == NULL) {
        if (open_errno == ENOENT && missing_ok)
            return xcalloc(1, sizeof(struct config));
        if (err != NULL) {
            char *why = file_problem(open_errno, CONFIG_MAX_FILE);
            *err = xasprintf("cannot read config %s: %s; %s", path ? path : "(none)", why,
                             open_errno == ENOENT ? "create it as described in tactful(5)"
                             : open_errno == EFBIG
                                 ? "a configuration file is at most 1 MiB"
                                 : "name a readable configuration file with --config");
            free(why);
        }
        return NULL;
    }
    struct parser *p = xcalloc(1, sizeof(*p));
    p->fp = fp;
    p->path = path;
    p->checks = checks;
    p->cfg = xcalloc(1, sizeof(struct config));
    p->cfg->path = xstrdup(path);
    parse_file(p);
    fclose(fp);
    struct config *cfg = p->cfg;
    if (p->nproblems > 0) {
        char *msg = problems_take(p);
        if (err != NULL)
            *err = msg;
        else
            free(msg);
        config_free(cfg);
        cfg = NULL;
    }
    free(p);
    return cfg;
}

void
config_free(struct config *cfg)
{
    if (cfg == NULL)
        return;
    for (size_t i = 0; i < cfg->naccounts; i++) {
        struct config_account *a = &cfg->accounts[i];
        free(a->name);
        free(a->platform);
        free(a->url);
        free(a->user);
        free(a->token_cmd);
        free(a->token_file);
        free(a->token_env);
        free(a->ca_file);
        free(a->language);
        free(a->sync_interval);
    }
    free(cfg->accounts);
    free(cfg->path);
    free(cfg->officer);
    free(cfg->signature);
    free(cfg->policy);
    free(cfg->keymap);
    free(cfg->open_cmd);
    free(cfg->patterns);
    free(cfg->inbox_columns);
    free(cfg->sync_interval);
    free(cfg->notify);
    free(cfg->business_hours);
    for (size_t i = 0; i < cfg->ncolours; i++)
        free(cfg->colours[i].role);
    free(cfg->colours);
    for (size_t i = 0; i < cfg->nsearches; i++) {
        free(cfg->searches[i].name);
        free(cfg->searches[i].query);
    }
    free(cfg->searches);
    free(cfg);
}

const struct config_account *
config_account_find(const struct config *cfg, const char *name)
{
    if (cfg == NULL || name == NULL)
        return NULL;
    for (size_t i = 0; i < cfg->naccounts; i++)
        if (strcmp(cfg->accounts[i].name, name) == 0)
            return &cfg->accounts[i];
    return NULL;
}

char *
config_officer(const struct config *cfg)
{
    const char *env = getenv("TACTFUL_OFFICER");
    if (env != NULL && env[0] != '\0')
        return xstrdup(env);
    if (cfg != NULL && cfg->officer != NULL && cfg->officer[0] != '\0')
        return xstrdup(cfg->officer);
#ifndef TACTFUL_PORTABLE /* a static binary cannot load the system's NSS modules safely */
    const struct passwd *pw = getpwuid(geteuid());
    if (pw != NULL && pw->pw_name != NULL && pw->pw_name[0] != '\0')
        return xstrdup(pw->pw_name);
#endif
    const char *user = getenv("USER");
    if (user != NULL && user[0] != '\0')
        return xstrdup(user);
    user = getenv("LOGNAME");
    if (user != NULL && user[0] != '\0')
        return xstrdup(user);
    return xstrdup("unknown");
}
