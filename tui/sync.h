/* Syncing from the interface: `tactful sync` runs as a child of the interface (this program,
 * never a shell) on start, every sync_interval and on the sync action, and tells the
 * interface how each account went on a pipe (`--progress-fd`), which the main loop reads
 * without waiting. The status bar says what a sync is doing and how the last one went, the
 * help lists each account's last sync, and new threads may ring the terminal (notify). */
#ifndef TACTFUL_TUI_SYNC_H
#define TACTFUL_TUI_SYNC_H

#include "model/config.h"

#include <stddef.h>
#include <sys/types.h>

struct tui;
struct tui_action;

/* Bounds of what a progress line may set. */
#define TUI_SYNC_REASON_MAX 1024
#define TUI_SYNC_REASON_COLS 200 /* as `tactful sync --progress-fd` cuts it */
#define TUI_SYNC_NAME_MAX 65

/* How one account's last sync went, as the status bar and the help say it. */
enum tui_sync_result { TUI_SYNC_NEVER, TUI_SYNC_RUNNING, TUI_SYNC_OK, TUI_SYNC_FAILED,
                       TUI_SYNC_BUSY };

/* One progress line of `tactful sync --progress-fd`, parsed. */
struct tui_sync_line {
    enum { TUI_SYNC_LINE_START, TUI_SYNC_LINE_DONE, TUI_SYNC_LINE_ERROR } kind;
    char account[TUI_SYNC_NAME_MAX];
    enum tui_sync_result result;        /* done: ok, failed or busy */
    long new_threads;                   /* done: what an ok sync brought */
    char reason[TUI_SYNC_REASON_MAX];   /* done (failed, busy) and error: display-safe */
};

/* Parses one line (without its newline) into out. Returns 0, or -1 when it is not a line
 * the sync writes (it is then ignored). The reason is sanitised and bounded here. */
int tui_sync_line_parse(const char *line, struct tui_sync_line *out);

/* Writes what notify mode announces for n new threads into out (nothing for off): a fixed
 * text with the count, never anything a platform sent. Returns the bytes written. */
size_t tui_sync_notify_text(enum config_notify mode, long n, char *out, size_t cap);

/* Sets up the interface's syncing (its slot's state) from its options: the accounts, their
 * intervals and their last sync as the cache knows it; starts the first sync when one is due. */
void tui_sync_start(struct tui *t);

/* Reads what the running sync said since the last call, and starts a sync that is due.
 * Called by the main loop after every key and tick; never waits. */
void tui_sync_poll(struct tui *t);

/* Tells the sync that a child ended (the main loop reaps them all). */
void tui_sync_reaped(struct tui *t, pid_t pid, int status);

/* The status bar's sync field ("syncing 2/3", "synced 14:05 · 6 new", a failure and its
 * reason), or "" when there is nothing to say. */
void tui_sync_status(struct tui *t, char *out, size_t cap);

/* The i-th account's line for the help overlay (its last sync, result and reason), into out;
 * returns 0, or -1 past the last account. */
int tui_sync_account_line(struct tui *t, size_t i, char *out, size_t cap);

/* Frees the sync state; a running sync is left to finish on its own. */
void tui_sync_free(struct tui *t);

/* The sync action: syncs every account now, in the background. */
void tui_sync_act_sync(struct tui *t, const struct tui_action *a);

#endif
