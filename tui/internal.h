/* What the modules of the terminal interface share; nothing outside tui/ includes this.
 *
 * One struct tui holds the interface's shared state and is passed to every function: the
 * screen showing and the ones back leads to, a slot for each place's own state (a screen's,
 * a panel's or an overlay's, tui/screen_list.h), whose type only its own file defines and
 * whose slot only its own file names (TUI_STATE), the undo stack and the status message. Each
 * module has its own header (tui/inbox.h, tui/list.h ...) for what others may call; a screen
 * is one row of the screen interface (tui/screen.h) that the main loop drives. Keys reach
 * the screens only through the action table (tui/actions.c), looked up in the keymap in
 * force. */
#ifndef TACTFUL_TUI_INTERNAL_H
#define TACTFUL_TUI_INTERNAL_H

#include "model/db.h"
#include "model/draft.h"
#include "model/isotime.h"
#include "tui/actions.h"
#include "tui/colour.h"
#include "tui/keymap.h"
#include "tui/screen.h"
#include "tui/screen_list.h"
#include "tui/tui.h"

#include <curses.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

struct editbuf;
struct editbuf_row;
struct thread_row;
struct thread_post;

/* The screens back leads to, most recent last; the oldest is dropped when it is full. */
#define TUI_BACK_MAX 16

/* What the status bar says about replies waiting and drafts to approve (tui/outbox.c). */
struct tui_outbox {
    long queued;        /* queued or sending */
    long failed;        /* of those, the ones whose last attempt failed */
    long in_doubt;      /* left `sending` by a process that died */
    long to_approve;    /* other officers' drafts waiting for approval */
    long returned;      /* this officer's drafts a reviewer returned, to be edited again */
    pid_t send_pid;     /* the running `tactful outbox send`, or 0 */
    long send_before;   /* replies waiting when it started */
};

/* One undoable triage action: the audit entries it wrote (one per thread changed). */
struct undo_step {
    char *what;     /* "state to_reply on thread 21" */
    long *entries;
    size_t n;
};

/* The slots of the places that keep state (tui/screen_list.h), in the list's order. */
#define TUI_SLOT_ROW(id, ...) TUI_SLOT_##id,
#define TUI_SLOT_PART(id) TUI_SLOT_##id,
enum tui_slot {
    TUI_PLACES(TUI_PLACE_NONE, TUI_SLOT_ROW, TUI_SLOT_ROW, TUI_SLOT_PART)
    TUI_NSLOTS
};
#undef TUI_SLOT_ROW
#undef TUI_SLOT_PART

/* The state of place id, or NULL when it has none (closed, or not yet opened). Its type is
 * defined in the place's own file, which alone names the slot and reaches it through a typed
 * accessor of its own (`drafts_state(t)`); other files ask it through the functions its
 * header exports. The check in tests/cli/screens_test.sh holds every file to this. */
#define TUI_STATE(t, id) ((t)->state[TUI_SLOT_##id])

#define TUI_UNDO_MAX 50
#define TUI_MESSAGE_MAX 512

struct tui {
    const struct tui_opts *opts;
    struct db *db;
    struct tui_colours colours;
    const struct tui_screen *screen; /* the screen showing (tui/screen.h) */
    const struct tui_screen *back[TUI_BACK_MAX];
    size_t nback;
    struct tui_outbox outbox;
    void *state[TUI_NSLOTS];       /* each place's own state: see TUI_STATE */
    struct undo_step undo[TUI_UNDO_MAX];
    size_t nundo;
    char message[TUI_MESSAGE_MAX]; /* for the status bar; cleared by the next key */
    int message_error;
    int quit;
};

/* tui/tui.c */
void tui_message(struct tui *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tui_error(struct tui *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Shows err (a model error) as the message, prefixed by what failed, and frees it. */
void tui_error_take(struct tui *t, const char *what, char *err);
enum keymap_context tui_context(const struct tui *t);
/* The threads a triage action applies to: the open thread, else the threads selected in the
 * inbox, else the one under the cursor. Returns their number (0 when there is none); *ids is
 * newly allocated. */
size_t tui_targets(struct tui *t, long **ids);
/* How much a reload rereads: the page; also the counts; also the page's position. */
enum { TUI_RELOAD_PAGE, TUI_RELOAD_COUNTS, TUI_RELOAD_ALL };
/* Rereads what the screens show from the cache (how: as for tui_inbox_reload). */
void tui_refresh_data(struct tui *t, int how);
/* Shows screen s, remembering the current one for tui_screen_back. */
void tui_screen_push(struct tui *t, const struct tui_screen *s);
/* Goes back to the screen before (the inbox when there is none). */
void tui_screen_back(struct tui *t);

/* Action handlers of tui/tui.c named by the table in tui/actions.c. */
void tui_act_quit(struct tui *t, const struct tui_action *a);
void tui_act_redraw(struct tui *t, const struct tui_action *a);
void tui_act_reload(struct tui *t, const struct tui_action *a);
void tui_act_close(struct tui *t, const struct tui_action *a);

#endif
