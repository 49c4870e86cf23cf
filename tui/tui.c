/* The interface's main loop: terminal setup, reading keys, dispatching them through the
 * keymap, drawing once per key, and the handful of actions that belong to no screen. */
#include "tui/internal.h"

#include "model/thread.h"
#include "model/xmalloc.h"
#include "tui/approvals.h"
#include "tui/help.h"
#include "tui/inbox.h"
#include "tui/outbox.h"
#include "tui/prompt.h"
#include "tui/sync.h"
#include "tui/triage.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

/* How long getch waits before the loop does its idle work (reaping children: open_cmd, and
 * the outbox send whose result the status bar reports). */
#define TUI_TICK_MS 500
/* After this long without a key, the screens reread the cache to show others' changes. */
#define TUI_IDLE_RELOAD_S 15
/* Esc is told apart from the start of a function key after this long (unless ESCDELAY is
 * set): short enough to feel immediate, long enough for an arrow key's bytes over SSH. */
#define TUI_ESCDELAY_MS 100

/* Set by the signal handler: the one piece of state outside struct tui, because a handler
 * cannot reach it. The loop checks it after every key and tick. */
static volatile sig_atomic_t tui_stop_signal;

/* Records a SIGINT, SIGTERM or SIGHUP; the loop then ends cleanly and restores the terminal. */
static void
on_stop_signal(int sig)
{
    tui_stop_signal = sig;
}

/* Formats a message into the status bar. */
static void __attribute__((format(printf, 3, 0)))
vset_message(struct tui *t, int error, const char *fmt, va_list ap)
{
    vsnprintf(t->message, sizeof t->message, fmt, ap);
    t->message_error = error;
}

void
tui_message(struct tui *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vset_message(t, 0, fmt, ap);
    va_end(ap);
}

void
tui_error(struct tui *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vset_message(t, 1, fmt, ap);
    va_end(ap);
}

void
tui_error_take(struct tui *t, const char *what, char *err)
{
    if (what)
        tui_error(t, "%s: %s", what, err ? err : "unknown error");
    else
        tui_error(t, "%s", err ? err : "unknown error");
    free(err);
}

enum keymap_context
tui_context(const struct tui *t)
{
    const struct tui_screen *s = t->screen;
    return s->context ? s->context((struct tui *)t) : s->ctx;
}

size_t
tui_targets(struct tui *t, long **ids)
{
    const struct tui_screen *s = t->screen;
    if (s->targets)
        return s->targets(t, ids);
    long one = s->thread ? s->thread(t) : 0;
    *ids = xmalloc(sizeof **ids);
    (*ids)[0] = one;
    return one > 0 ? 1 : 0;
}

void
tui_refresh_data(struct tui *t, int how)
{
    tui_inbox_reload(t, how);
    if (t->screen->reload)
        t->screen->reload(t);
    tui_outbox_refresh(t);
}

void
tui_screen_push(struct tui *t, const struct tui_screen *s)
{
    if (t->screen == s)
        return;
    if (t->nback == TUI_BACK_MAX) {
        memmove(&t->back[0], &t->back[1], (TUI_BACK_MAX - 1) * sizeof t->back[0]);
        t->nback--;
    }
    t->back[t->nback++] = t->screen;
    t->screen = s;
}

void
tui_screen_back(struct tui *t)
{
    /* A thread view left earlier may have been closed since: skip it. */
    while (t->nback > 0) {
        const struct tui_screen *s = t->back[--t->nback];
        if (s->live && !s->live(t))
            continue;
        t->screen = s;
        return;
    }
    t->screen = &tui_inbox_screen;
}

void
tui_act_quit(struct tui *t, const struct tui_action *a)
{
    (void)a;
    t->quit = 1;
}

void
tui_act_redraw(struct tui *t, const struct tui_action *a)
{
    (void)a;
    (void)t;
    clearok(curscr, TRUE);
}

void
tui_act_reload(struct tui *t, const struct tui_action *a)
{
    (void)a;
    tui_refresh_data(t, TUI_RELOAD_ALL);
    if (!t->message_error)
        tui_message(t, "reloaded");
}

void
tui_act_close(struct tui *t, const struct tui_action *a)
{
    (void)a;
    if (t->screen->close)
        t->screen->close(t);
}

/* Draws the whole screen into curses' buffer and sends what changed. */
static void
draw(struct tui *t)
{
    erase();
    t->screen->draw(t);
    if (tui_help_showing(t))
        tui_help_draw(t);
    if (tui_prompt_showing(t))
        tui_prompt_draw(t);
    else if (t->screen->cursor && !tui_help_showing(t))
        t->screen->cursor(t);
    else
        curs_set(0);
    refresh();
}

/* Reads one key as keymap.h encodes it; -1 when the tick passed without one. An Esc with
 * another key already waiting behind it is Meta plus that key. */
static int
read_key(void)
{
    wint_t wc;
    int r = get_wch(&wc);
    if (r == ERR)
        return -1;
    if (r == KEY_CODE_YES)
        return keymap_key_normalize(KEYMAP_FN | (int)wc);
    if (wc != 27)
        return keymap_key_normalize((int)wc);
    timeout(0);
    wint_t next;
    r = get_wch(&next);
    timeout(TUI_TICK_MS);
    if (r == ERR)
        return 27;
    int k = r == KEY_CODE_YES ? KEYMAP_FN | (int)next : (int)next;
    return keymap_key_normalize(k | KEYMAP_META);
}

/* Runs the action bound to key on the current screen, or says there is none. */
static void
dispatch(struct tui *t, int key)
{
    if (tui_prompt_showing(t)) {
        /* The prompt's own bindings only: other characters type themselves. */
        const struct tui_action *p = keymap_lookup(t->opts->keymap, KM_PROMPT, key);
        if (p && p->run)
            p->run(t, p);
        else if (keymap_key_typed(key))
            tui_prompt_type(t, key);
        return;
    }
    if (tui_help_showing(t)) {
        /* The help's own bindings only: any other key closes it. */
        const struct tui_action *h = keymap_lookup(t->opts->keymap, KM_HELP, key);
        if (h && h->run)
            h->run(t, h);
        else
            tui_help_close(t);
        return;
    }
    const struct tui_screen *s = t->screen;
    if (s->key && s->key(t, key))
        return;
    enum keymap_context ctx = tui_context(t);
    const struct tui_action *a = keymap_lookup(t->opts->keymap, ctx, key);
    if (a == NULL && s->type && keymap_key_typed(key)) {
        s->type(t, key);
        return;
    }
    if (a == NULL && ctx != KM_GLOBAL)
        a = keymap_lookup(t->opts->keymap, KM_GLOBAL, key);
    if (a && a->run) {
        a->run(t, a);
        return;
    }
    char name[KEYMAP_NAME_MAX];
    keymap_key_name(key, name);
    tui_message(t, "no action on %s here; the help lists the keys", name);
}

/* Whether a key is already waiting in the input (typed ahead or pasted), without taking it. */
static int
key_waiting(void)
{
    timeout(0);
    wint_t wc;
    int r = get_wch(&wc);
    timeout(TUI_TICK_MS);
    if (r == ERR)
        return 0;
    if (r == KEY_CODE_YES)
        ungetch((int)wc);
    else
        unget_wch((wchar_t)wc);
    return 1;
}

/* Reaps finished children (open_cmd, outbox send, sync) so none is left a zombie; the outbox hears
 * about each, to report its send. */
static void
reap_children(struct tui *t)
{
    pid_t pid;
    int status;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        tui_outbox_reaped(t, pid, status);
        tui_sync_reaped(t, pid, status);
    }
}

/* Turns off XON/XOFF flow control so C-s and C-q reach tactful (emacs.keys binds C-s). */
static void
no_flow_control(void)
{
    struct termios tio;
    if (tcgetattr(STDIN_FILENO, &tio) != 0)
        return;
    tio.c_iflag &= (tcflag_t)~IXON;
    tcsetattr(STDIN_FILENO, TCSANOW, &tio);
    def_prog_mode();
}

/* Sets up curses on the terminal; returns the screen, or NULL when TERM is unusable. */
static SCREEN *
terminal_start(struct tui *t)
{
    if (getenv("ESCDELAY") == NULL)
        set_escdelay(TUI_ESCDELAY_MS);
    SCREEN *scr = newterm(NULL, stdout, stdin);
    if (scr == NULL)
        return NULL;
    set_term(scr);
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    intrflush(stdscr, FALSE);
    curs_set(0);
    timeout(TUI_TICK_MS);
    no_flow_control();
    tui_colours_init(&t->colours, tui_colours_wanted(), t->opts->colours, t->opts->ncolours);
    return scr;
}

/* Installs the handlers that turn SIGINT, SIGTERM and SIGHUP into a clean exit. */
static void
catch_stop_signals(struct sigaction *old)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < 3; i++)
        sigaction(sigs[i], &sa, &old[i]);
}

/* Puts the previous handlers back. */
static void
restore_signals(const struct sigaction *old)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t i = 0; i < 3; i++)
        sigaction(sigs[i], &old[i], NULL);
}

/* Frees what the interface owns (the options stay the caller's). */
static void
tui_free(struct tui *t)
{
    tui_prompt_close(t);
    tui_help_close(t);
    /* From the inbox, with nothing to go back to: a screen closing goes back to no screen
     * already freed. The inbox goes last, as the others reread it when they close. */
    t->screen = &tui_inbox_screen;
    t->nback = 0;
    size_t n = 0;
    while (tui_screens[n])
        n++;
    while (n-- > 0)
        if (tui_screens[n]->free)
            tui_screens[n]->free(t);
    tui_approvals_free(t);
    tui_undo_clear(t);
    tui_sync_free(t);
}

int
tui_run(const struct tui_opts *opts, char **err)
{
    struct tui t;
    memset(&t, 0, sizeof t);
    t.opts = opts;
    t.db = opts->db;
    t.screen = &tui_inbox_screen;
    SCREEN *scr = terminal_start(&t);
    if (scr == NULL) {
        *err = xasprintf("cannot start the terminal interface: TERM=%s is not a terminal "
                         "type this system knows", getenv("TERM") ? getenv("TERM") : "");
        return -1;
    }
    struct sigaction old[3];
    tui_stop_signal = 0;
    catch_stop_signals(old);
    tui_inbox_open(&t);
    tui_outbox_refresh(&t);
    tui_sync_start(&t);
    time_t last_key = time(NULL);
    struct thread_watch watch;
    thread_watch_start(t.db, &watch);
    while (!t.quit && !tui_stop_signal) {
        /* While writing, keys typed ahead (or pasted) are taken first; once none waits the
         * draft is saved and checked, then drawn: what the screen shows is in the cache. */
        if (t.screen->type == NULL || !key_waiting()) {
            if (t.screen->idle)
                t.screen->idle(&t);
            draw(&t);
            if (t.screen->later && t.screen->later(&t))
                draw(&t);
        }
        int key = read_key();
        if (tui_stop_signal)
            break;
        /* A sync's progress is read after every key as well as every tick: typing never
         * holds it up, and it never holds typing up. */
        tui_sync_poll(&t);
        if (key < 0) {
            reap_children(&t);
            if (!tui_prompt_showing(&t) && time(NULL) - last_key >= TUI_IDLE_RELOAD_S) {
                /* Only when another process wrote or a snoozed thread woke: an idle
                 * screen over an unchanged cache reads nothing. */
                if (thread_watch_due(t.db, &watch)) {
                    tui_refresh_data(&t, TUI_RELOAD_ALL);
                    thread_watch_start(t.db, &watch);
                }
                last_key = time(NULL);
            }
            continue;
        }
        last_key = time(NULL);
        if (key == (KEYMAP_FN | KEY_RESIZE))
            continue; /* curses knows the new size; the next draw lays out for it */
        t.message[0] = '\0';
        t.message_error = 0;
        dispatch(&t, key);
        thread_watch_wake(t.db, &watch);
    }
    endwin();
    delscreen(scr);
    restore_signals(old);
    reap_children(&t);
    tui_free(&t);
    return 0;
}
