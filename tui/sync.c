/* Syncing from the interface: this program's own `tactful sync --progress-fd 3` runs as a
 * child, without a shell and in its own process group, with its progress on a pipe that the
 * main loop reads without waiting; the cache's own sync locks keep it from syncing an account
 * that a cron job or another interface is syncing (the child reports it "busy", saying who).
 * What it wrote reaches the screens by a reload that keeps the cursor on its thread. */
#include "tui/internal.h"

#include "model/account.h"
#include "model/text.h"
#include "model/xmalloc.h"
#include "tui/prompt.h"
#include "tui/spawn.h"
#include "tui/sync.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* The fd the child writes its progress to (`--progress-fd`). */
#define PROGRESS_FD 3
/* Longest progress line kept; the rest of a longer one is dropped. */
#define LINE_MAX_BYTES 1024
/* Columns of a failure's reason in the status bar (the help shows more). */
#define STATUS_REASON_COLS 60

/* One configured account as the interface syncs it. */
struct sync_acct {
    const struct config_account *cfg;
    long interval;                  /* seconds between background syncs; 0: on the key only */
    double due;                     /* monotonic time of its next background sync; 0: none */
    enum tui_sync_result result;
    long new_threads;               /* brought by its last good sync; -1: not known */
    char when[8];                   /* local "HH:MM" of its last result, or "" */
    char reason[TUI_SYNC_REASON_MAX]; /* why it failed or who syncs it (busy), or "" */
};

struct tui_sync {
    struct sync_acct *acct;
    size_t n;
    int allowed;                    /* online, not a review bundle, the program's path known */
    enum config_notify notify;
    pid_t pid;                      /* the running sync, or 0 */
    int fd;                         /* its progress pipe, or -1 */
    char line[LINE_MAX_BYTES + 1];  /* the progress line being read */
    size_t len;
    int overlong;                   /* the line being read is past LINE_MAX_BYTES: dropped */
    long done, total;               /* accounts finished and asked, of the running sync */
    long run_new;                   /* new threads of the running (then the last) sync */
    int ran;                        /* a sync has finished since the interface started */
    char finished[8];               /* local "HH:MM" when the last sync finished */
    char error[TUI_SYNC_REASON_MAX]; /* why the last sync could not run at all, or "" */
    int reload;                     /* the cache changed: reload once no question is open */
};

/* This file's state in the interface (tui/screen_list.h), or NULL when there is none. */
static inline struct tui_sync *
sync_state(const struct tui *t)
{
    return TUI_STATE(t, sync);
}

/* Seconds on a monotonic clock. */
static double
mono_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Writes the local "HH:MM" of t into out. */
static void
clock_text(time_t t, char out[8])
{
    struct tm tm;
    if (localtime_r(&t, &tm) == NULL || strftime(out, 8, "%H:%M", &tm) == 0)
        snprintf(out, 8, "?");
}

/* Copies s into out (cap bytes) display-safe, on one line and cut to cols columns. */
static void
safe_copy(const char *s, char *out, size_t cap, int cols)
{
    char *clean = text_sanitize(s, strlen(s), 0);
    char *fit = text_fit(clean, cols, 1);
    snprintf(out, cap, "%s", fit);
    free(fit);
    free(clean);
}

int
tui_sync_line_parse(const char *line, struct tui_sync_line *out)
{
    memset(out, 0, sizeof *out);
    char *copy = xstrdup(line);
    char *f[5] = {0};
    size_t nf = 0;
    for (char *p = copy; nf < 5 && p; nf++) {
        f[nf] = p;
        char *tab = nf < 4 ? strchr(p, '\t') : NULL; /* the reason is the rest */
        if (tab)
            *tab++ = '\0';
        p = tab;
    }
    int rc = -1;
    if (nf == 2 && strcmp(f[0], "error") == 0) {
        out->kind = TUI_SYNC_LINE_ERROR;
        safe_copy(f[1], out->reason, sizeof out->reason, TUI_SYNC_REASON_COLS);
        rc = 0;
    } else if (nf >= 2 && strlen(f[1]) > 0 && strlen(f[1]) < TUI_SYNC_NAME_MAX &&
               text_is_plain(f[1])) {
        snprintf(out->account, sizeof out->account, "%s", f[1]);
        if (nf == 2 && strcmp(f[0], "start") == 0) {
            out->kind = TUI_SYNC_LINE_START;
            rc = 0;
        } else if (nf == 5 && strcmp(f[0], "done") == 0) {
            out->kind = TUI_SYNC_LINE_DONE;
            char *end;
            long v = strtol(f[3], &end, 10);
            out->result = strcmp(f[2], "ok") == 0       ? TUI_SYNC_OK
                          : strcmp(f[2], "failed") == 0 ? TUI_SYNC_FAILED
                          : strcmp(f[2], "busy") == 0   ? TUI_SYNC_BUSY
                                                        : TUI_SYNC_NEVER;
            out->new_threads = v >= 0 ? v : 0;
            safe_copy(f[4], out->reason, sizeof out->reason, TUI_SYNC_REASON_COLS);
            rc = out->result != TUI_SYNC_NEVER && *end == '\0' && end != f[3] ? 0 : -1;
        }
    }
    free(copy);
    return rc;
}

size_t
tui_sync_notify_text(enum config_notify mode, long n, char *out, size_t cap)
{
    int w = 0;
    const char *s = n == 1 ? "" : "s";
    if (mode == CONFIG_NOTIFY_BELL)
        w = snprintf(out, cap, "\a");
    else if (mode == CONFIG_NOTIFY_OSC9)
        w = snprintf(out, cap, "\033]9;tactful: %ld new thread%s\a", n, s);
    else if (mode == CONFIG_NOTIFY_OSC777)
        w = snprintf(out, cap, "\033]777;notify;tactful;%ld new thread%s\033\\", n, s);
    else if (cap)
        out[0] = '\0';
    return w > 0 && (size_t)w < cap ? (size_t)w : 0;
}

/* The account called name, or NULL. */
static struct sync_acct *
find_acct(struct tui_sync *s, const char *name)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->acct[i].cfg->name, name) == 0)
            return &s->acct[i];
    return NULL;
}

/* Reads each account's last sync from the cache, for the status bar and the help. */
static void
load_last(struct tui *t)
{
    struct tui_sync *s = sync_state(t);
    for (size_t i = 0; i < s->n; i++) {
        struct sync_acct *a = &s->acct[i];
        struct account_state st;
        char *err = NULL;
        if (account_state_get(t->db, a->cfg->name, &st, &err) != 0) {
            free(err); /* the account shows as never synced */
            continue;
        }
        time_t when;
        const char *at = st.last_attempt ? st.last_attempt : st.last_sync;
        if (at && isotime_parse(at, &when) == 0)
            clock_text(when, a->when);
        if (st.last_error) {
            a->result = TUI_SYNC_FAILED;
            safe_copy(st.last_error, a->reason, sizeof a->reason, TUI_SYNC_REASON_COLS);
        } else if (st.last_sync) {
            a->result = TUI_SYNC_OK;
            a->new_threads = st.last_new;
        }
        account_state_clear(&st);
    }
}

void
tui_sync_start(struct tui *t)
{
    struct tui_sync *s = xcalloc(1, sizeof *s);
    const struct tui_opts *o = t->opts;
    TUI_STATE(t, sync) = s;
    s->fd = -1;
    s->notify = config_notify_mode(o->config);
    s->allowed = !o->offline && !o->bundle && o->exe != NULL;
    s->n = o->config ? o->config->naccounts : 0;
    s->acct = xcalloc(s->n ? s->n : 1, sizeof *s->acct);
    double now = mono_now();
    for (size_t i = 0; i < s->n; i++) {
        struct sync_acct *a = &s->acct[i];
        a->cfg = &o->config->accounts[i];
        a->interval = config_sync_interval(o->config, a->cfg);
        a->new_threads = -1;
        a->due = s->allowed && a->interval > 0 ? now : 0;
    }
    load_last(t);
    tui_sync_poll(t);
}

void
tui_sync_free(struct tui *t)
{
    struct tui_sync *s = sync_state(t);
    if (s == NULL)
        return;
    if (s->fd >= 0)
        close(s->fd);
    free(s->acct);
    free(s);
    TUI_STATE(t, sync) = NULL;
}

/* Starts `EXE [--db P] [--config P] sync --progress-fd 3 ACCOUNT...` for the accounts
 * marked in want; returns 0, or -1 with *err set. */
static int
spawn_sync(struct tui *t, const int *want, char **err)
{
    struct tui_sync *s = sync_state(t);
    const struct tui_opts *o = t->opts;
    const char **args = xcalloc(s->n + 4, sizeof *args);
    size_t n = 0;
    args[n++] = "sync";
    args[n++] = "--progress-fd";
    args[n++] = "3";
    long total = 0;
    for (size_t i = 0; i < s->n; i++)
        if (want[i]) {
            args[n++] = s->acct[i].cfg->name;
            total++;
        }
    args[n] = NULL;
    int p[2];
    if (pipe(p) != 0) {
        *err = xasprintf("cannot start a sync: %s", strerror(errno));
        free(args);
        return -1;
    }
    /* Neither end reaches other children (an outbox send, open_cmd); ours never blocks; the
     * child's is dup2'd to PROGRESS_FD, which clears close-on-exec there. */
    fcntl(p[0], F_SETFD, FD_CLOEXEC);
    fcntl(p[1], F_SETFD, FD_CLOEXEC);
    fcntl(p[0], F_SETFL, fcntl(p[0], F_GETFL) | O_NONBLOCK);
    if (p[1] == PROGRESS_FD) {
        int w = fcntl(p[1], F_DUPFD_CLOEXEC, PROGRESS_FD + 1);
        close(p[1]);
        p[1] = w;
    }
    pid_t pid;
    int rc = p[1] < 0 ? EBADF : tui_spawn_self(o, args, environ, p[1], PROGRESS_FD, &pid);
    free(args);
    if (p[1] >= 0)
        close(p[1]);
    if (rc != 0) {
        close(p[0]);
        *err = xasprintf("cannot run %s sync: %s", o->exe, strerror(rc));
        return -1;
    }
    s->pid = pid;
    s->fd = p[0];
    s->len = 0;
    s->overlong = 0;
    s->done = 0;
    s->total = total;
    s->run_new = 0;
    s->error[0] = '\0';
    for (size_t i = 0; i < s->n; i++)
        if (want[i])
            s->acct[i].due = 0; /* set again when its sync ends */
    return 0;
}

/* Starts a sync of the accounts in want (all when want is NULL). Returns 0, or -1 after
 * showing why not. */
static int
start_sync(struct tui *t, const int *want)
{
    struct tui_sync *s = sync_state(t);
    int *all = NULL;
    if (want == NULL) {
        all = xcalloc(s->n ? s->n : 1, sizeof *all);
        for (size_t i = 0; i < s->n; i++)
            all[i] = 1;
        want = all;
    }
    char *err = NULL;
    int rc = spawn_sync(t, want, &err);
    free(all);
    if (rc != 0) {
        snprintf(s->error, sizeof s->error, "%s", err);
        tui_error_take(t, NULL, err);
    }
    return rc;
}

/* Applies one progress line. */
static void
apply_line(struct tui *t, const char *text)
{
    struct tui_sync *s = sync_state(t);
    struct tui_sync_line l;
    if (tui_sync_line_parse(text, &l) != 0)
        return;
    if (l.kind == TUI_SYNC_LINE_ERROR) {
        snprintf(s->error, sizeof s->error, "%s", l.reason);
        return;
    }
    struct sync_acct *a = find_acct(s, l.account);
    if (a == NULL)
        return;
    if (l.kind == TUI_SYNC_LINE_START) {
        a->result = TUI_SYNC_RUNNING;
        return;
    }
    s->done++;
    clock_text(time(NULL), a->when);
    a->result = l.result;
    if (l.result == TUI_SYNC_OK) {
        a->new_threads = l.new_threads;
        a->reason[0] = '\0';
        s->run_new += l.new_threads;
        if (l.new_threads > 0)
            s->reload = 1; /* shown as each account is written, not at the end */
    } else {
        snprintf(a->reason, sizeof a->reason, "%s", l.reason);
    }
}

/* Reads what the child wrote so far and applies each whole line; closes the pipe at its
 * end. Never waits. */
static void
read_progress(struct tui *t)
{
    struct tui_sync *s = sync_state(t);
    char buf[512];
    while (s->fd >= 0) {
        ssize_t r = read(s->fd, buf, sizeof buf);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        if (r <= 0) {
            close(s->fd);
            s->fd = -1;
            return;
        }
        for (ssize_t i = 0; i < r; i++) {
            if (buf[i] == '\n') {
                s->line[s->len] = '\0';
                if (!s->overlong)
                    apply_line(t, s->line);
                s->len = 0;
                s->overlong = 0;
            } else if (s->len < LINE_MAX_BYTES) {
                s->line[s->len++] = buf[i];
            } else {
                s->overlong = 1;
            }
        }
    }
}

/* Announces n new threads as the configuration's notify asks. */
static void
notify(struct tui *t, long n)
{
    char text[128];
    size_t len = tui_sync_notify_text(sync_state(t)->notify, n, text, sizeof text);
    if (len == 0)
        return;
    fflush(stdout);
    ssize_t w = write(STDOUT_FILENO, text, len);
    (void)w; /* a terminal that cannot take it has nothing to tell */
}

void
tui_sync_reaped(struct tui *t, pid_t pid, int status)
{
    struct tui_sync *s = sync_state(t);
    if (s == NULL || pid <= 0 || pid != s->pid)
        return;
    s->pid = 0;
    read_progress(t);
    if (s->fd >= 0) { /* a grandchild holds the pipe open: what it says no longer matters */
        close(s->fd);
        s->fd = -1;
    }
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (s->done == 0 && code != 0 && s->error[0] == '\0')
        snprintf(s->error, sizeof s->error, "the sync stopped (%s %d); run `tactful sync` to "
                 "see why", code >= 0 ? "exit status" : "signal",
                 code >= 0 ? code : WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    double now = mono_now();
    for (size_t i = 0; i < s->n; i++) {
        struct sync_acct *a = &s->acct[i];
        if (a->result == TUI_SYNC_RUNNING) {
            a->result = TUI_SYNC_FAILED;
            snprintf(a->reason, sizeof a->reason, "the sync stopped before this account "
                     "finished");
        }
        if (s->allowed && a->interval > 0 && a->due == 0)
            a->due = now + (double)a->interval;
    }
    s->ran = 1;
    clock_text(time(NULL), s->finished);
    s->reload = 1;
    if (s->run_new > 0)
        notify(t, s->run_new);
}

void
tui_sync_poll(struct tui *t)
{
    struct tui_sync *s = sync_state(t);
    if (s == NULL)
        return;
    if (s->fd >= 0)
        read_progress(t);
    if (s->reload && !tui_prompt_showing(t)) {
        s->reload = 0;
        tui_refresh_data(t, TUI_RELOAD_ALL);
    }
    if (!s->allowed || s->pid > 0 || s->n == 0)
        return;
    /* Called after every key: nothing is allocated unless a sync is due. */
    double now = mono_now();
    size_t due = 0;
    for (size_t i = 0; i < s->n; i++)
        due += s->acct[i].due > 0 && s->acct[i].due <= now;
    if (due == 0)
        return;
    int *want = xcalloc(s->n, sizeof *want);
    for (size_t i = 0; i < s->n; i++)
        want[i] = s->acct[i].due > 0 && s->acct[i].due <= now;
    start_sync(t, want);
    free(want);
}

void
tui_sync_act_sync(struct tui *t, const struct tui_action *a)
{
    (void)a;
    struct tui_sync *s = sync_state(t);
    if (t->opts->bundle) {
        tui_message(t, "a review bundle does not sync; sync the cache it came from");
        return;
    }
    if (t->opts->offline) {
        tui_message(t, "offline: syncing needs the network; start tactful without --offline");
        return;
    }
    if (s == NULL || s->n == 0) {
        tui_message(t, "no accounts are configured; add an [account NAME] section (see "
                       "tactful(5))");
        return;
    }
    if (!s->allowed) {
        tui_error(t, "cannot find tactful's own program to sync with; run `tactful sync`");
        return;
    }
    if (s->pid > 0) {
        tui_message(t, "a sync is running already");
        return;
    }
    if (start_sync(t, NULL) == 0)
        tui_message(t, "syncing %zu account%s in the background…", s->n, s->n == 1 ? "" : "s");
}

void
tui_sync_status(struct tui *t, char *out, size_t cap)
{
    struct tui_sync *s = sync_state(t);
    out[0] = '\0';
    if (s == NULL)
        return;
    struct buf b = {0};
    buf_adds(&b, "");
    if (s->pid > 0)
        buf_printf(&b, "syncing %ld/%ld", s->done, s->total);
    else if (s->error[0])
        buf_printf(&b, "sync failed: %s", s->error);
    else if (s->ran)
        buf_printf(&b, "synced %s · %ld new", s->finished, s->run_new);
    /* Accounts that failed (or another tactful syncs), until their next good sync. */
    for (size_t i = 0; i < s->n; i++) {
        const struct sync_acct *a = &s->acct[i];
        if (a->result != TUI_SYNC_FAILED && a->result != TUI_SYNC_BUSY)
            continue;
        char reason[STATUS_REASON_COLS * 4 + 1];
        safe_copy(a->reason, reason, sizeof reason, STATUS_REASON_COLS);
        buf_printf(&b, "%s%s %s: %s", b.len ? " · " : "", a->cfg->name,
                   a->result == TUI_SYNC_BUSY ? "busy" : "failed", reason);
    }
    snprintf(out, cap, "%s", b.data);
    buf_free(&b);
}

int
tui_sync_account_line(struct tui *t, size_t i, char *out, size_t cap)
{
    struct tui_sync *s = sync_state(t);
    if (s == NULL || i >= s->n)
        return -1;
    const struct sync_acct *a = &s->acct[i];
    char every[32];
    if (a->interval == 0)
        snprintf(every, sizeof every, "on the key only");
    else if (a->interval % 60)
        snprintf(every, sizeof every, "every %lds", a->interval);
    else
        snprintf(every, sizeof every, "every %ld min", a->interval / 60);
    const char *at = a->when[0] ? a->when : "";
    const char *name = a->cfg->name;
    switch (a->result) {
    case TUI_SYNC_NEVER:
        snprintf(out, cap, "%s (%s): not synced yet", name, every);
        break;
    case TUI_SYNC_RUNNING:
        snprintf(out, cap, "%s (%s): syncing now", name, every);
        break;
    case TUI_SYNC_OK:
        if (a->new_threads >= 0)
            snprintf(out, cap, "%s (%s): synced %s, %ld new", name, every, at, a->new_threads);
        else
            snprintf(out, cap, "%s (%s): synced %s", name, every, at);
        break;
    case TUI_SYNC_FAILED:
        snprintf(out, cap, "%s (%s): failed %s: %s", name, every, at, a->reason);
        break;
    case TUI_SYNC_BUSY:
        snprintf(out, cap, "%s (%s): skipped %s: %s", name, every, at, a->reason);
        break;
    }
    return 0;
}
