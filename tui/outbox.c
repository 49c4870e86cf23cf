/* The outbox in the interface: the status bar's count of replies waiting (and of drafts
 * waiting for this officer's approval, and of this officer's drafts returned by a reviewer),
 * and the send action. Sending runs this program's own
 * `tactful outbox send` as a child, without a shell, so the screen never waits on the
 * network; the loop reaps it in its idle tick and its result reaches the status bar. */
#include "tui/internal.h"

#include "model/outbox.h"
#include "model/xmalloc.h"
#include "tui/outbox.h"
#include "tui/spawn.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

void
tui_outbox_refresh(struct tui *t)
{
    struct tui_outbox *o = &t->outbox;
    struct outbox_row *rows;
    size_t n;
    char *err = NULL;
    if (outbox_list(t->db, OUTBOX_PENDING, &rows, &n, &err) != 0) {
        free(err); /* the count stays as it was; the next refresh tries again */
        return;
    }
    o->queued = (long)n;
    o->failed = o->in_doubt = 0;
    for (size_t i = 0; i < n; i++) {
        if (rows[i].in_doubt)
            o->in_doubt++;
        else if (rows[i].last_error && strcmp(rows[i].state, "queued") == 0)
            o->failed++;
    }
    outbox_rows_free(rows, n);
    struct draft *d;
    if (draft_list(t->db, 0, "pending_approval", &d, &n, &err) != 0) {
        free(err);
        return;
    }
    o->to_approve = 0;
    for (size_t i = 0; i < n; i++)
        if (strcmp(d[i].officer, t->opts->officer) != 0)
            o->to_approve++;
    draft_list_free(d, n);
    if (draft_list(t->db, 0, "returned", &d, &n, &err) != 0) {
        free(err);
        return;
    }
    o->returned = 0;
    for (size_t i = 0; i < n; i++)
        if (strcmp(d[i].officer, t->opts->officer) == 0)
            o->returned++;
    draft_list_free(d, n);
}

void
tui_outbox_status(struct tui *t, char *out, size_t cap)
{
    const struct tui_outbox *o = &t->outbox;
    struct buf b = {0};
    buf_adds(&b, "");
    if (o->send_pid > 0)
        buf_adds(&b, "sending…");
    else if (o->queued && t->opts->bundle)
        buf_printf(&b, "%ld repl%s approved (sent after the merge)", o->queued,
                   o->queued == 1 ? "y" : "ies");
    else if (o->queued && t->opts->offline)
        buf_printf(&b, "%ld repl%s waiting (offline)", o->queued, o->queued == 1 ? "y" : "ies");
    else if (o->queued)
        buf_printf(&b, "%ld queued", o->queued);
    if (o->failed)
        buf_printf(&b, ", %ld failed!", o->failed);
    if (o->in_doubt)
        buf_printf(&b, ", %ld in doubt!", o->in_doubt);
    if (o->to_approve)
        buf_printf(&b, "%s%ld to approve", b.len ? " │ " : "", o->to_approve);
    if (o->returned)
        buf_printf(&b, "%s%ld returned to you", b.len ? " │ " : "", o->returned);
    snprintf(out, cap, "%s", b.data);
    buf_free(&b);
}

/* Starts `EXE [--db P] [--config P] outbox send` with no terminal and as the same officer;
 * returns its pid, or -1 with *err set. */
static pid_t
spawn_send(struct tui *t, char **err)
{
    const struct tui_opts *o = t->opts;
    static const char *const args[] = {"outbox", "send", NULL};
    /* The same officer: TACTFUL_OFFICER wins over the configuration in the child. */
    size_t nenv = 0;
    while (environ[nenv])
        nenv++;
    char **env = xreallocarray(NULL, nenv + 2, sizeof *env);
    size_t k = 0;
    for (size_t i = 0; i < nenv; i++)
        if (strncmp(environ[i], "TACTFUL_OFFICER=", 16) != 0)
            env[k++] = environ[i];
    char *officer = xasprintf("TACTFUL_OFFICER=%s", o->officer);
    env[k++] = officer;
    env[k] = NULL;
    pid_t pid;
    int rc = tui_spawn_self(o, args, env, -1, -1, &pid);
    free(officer);
    free(env);
    if (rc != 0) {
        *err = xasprintf("cannot run %s outbox send: %s", o->exe, strerror(rc));
        return -1;
    }
    return pid;
}

/* Starts the background send and remembers it; returns 0, or -1 with the reason shown. */
static int
start_send(struct tui *t)
{
    char *err = NULL;
    pid_t pid = spawn_send(t, &err);
    if (pid < 0) {
        tui_error_take(t, NULL, err);
        return -1;
    }
    t->outbox.send_pid = pid;
    t->outbox.send_before = t->outbox.queued;
    return 0;
}

void
tui_outbox_act_send(struct tui *t, const struct tui_action *a)
{
    (void)a;
    struct tui_outbox *o = &t->outbox;
    tui_outbox_refresh(t);
    if (t->opts->bundle) {
        tui_message(t, "a review bundle sends nothing; replies go out after the merge");
        return;
    }
    if (t->opts->offline) {
        tui_message(t, "offline: replies wait until you are online");
        return;
    }
    if (o->send_pid > 0) {
        tui_message(t, "the outbox is being sent already");
        return;
    }
    if (o->queued == 0) {
        tui_message(t, "the outbox is empty: nothing to send");
        return;
    }
    if (t->opts->exe == NULL) {
        tui_error(t, "cannot find tactful's own program to send with; run `tactful outbox "
                     "send`");
        return;
    }
    if (start_send(t) == 0)
        tui_message(t, "sending %ld repl%s in the background…", o->queued,
                    o->queued == 1 ? "y" : "ies");
}

void
tui_outbox_autosend(struct tui *t)
{
    struct tui_outbox *o = &t->outbox;
    if (!t->opts->autosend || t->opts->exe == NULL || o->send_pid > 0)
        return;
    tui_outbox_refresh(t);
    if (o->queued > 0)
        start_send(t);
}

void
tui_outbox_reaped(struct tui *t, pid_t pid, int status)
{
    struct tui_outbox *o = &t->outbox;
    if (pid != o->send_pid || pid <= 0)
        return;
    o->send_pid = 0;
    tui_refresh_data(t, TUI_RELOAD_COUNTS);
    long sent = o->send_before - o->queued;
    if (sent < 0)
        sent = 0;
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (code == 0)
        tui_message(t, "outbox sent: %ld repl%s posted", sent, sent == 1 ? "y" : "ies");
    else if (code == 1 && o->queued)
        tui_error(t, "outbox: %ld sent, %ld still waiting (%ld failed); `tactful outbox list` "
                     "shows why", sent, o->queued, o->failed);
    else
        tui_error(t, "the outbox send stopped (%s %d); `tactful outbox send` shows why",
                  code >= 0 ? "exit status" : "signal",
                  code >= 0 ? code : WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}
