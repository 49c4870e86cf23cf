/* The screen interface: what the main loop needs from a screen, as one table row each.
 *
 * A screen is one file that defines one `const struct tui_screen` and keeps its state
 * private. The loop draws, reloads and dispatches keys through these rows and never asks
 * which screen is showing; the overlays (the help, the prompt) lie on top of any screen.
 *
 * Adding a screen, say tui/outboxview.c, is that file and one line, besides its actions:
 * - the file: its state struct, with a typed accessor over its slot
 *   (`static inline struct outboxview *outboxview_state(const struct tui *t)` returning
 *   TUI_STATE(t, outboxview), tui/internal.h), its draw (and whichever other members it needs),
 *   the `tui_outboxview_screen` row, and its action handlers (declared in tui/outboxview.h,
 *   with whatever other screens may ask of it). No other file names its slot or sees its
 *   state's type; tests/cli/screens_test.sh checks both;
 * - its line in tui/screen_list.h, SCREEN(outboxview, OUTBOXVIEW, 1, "outbox", "the outbox",
 *   NULL): its key context KM_OUTBOXVIEW (the word keymap files use, the help overlay's title,
 *   the help's and the manual's section heading), its slot in struct tui, its extern below and
 *   its row in tui_screens[], and with list set the list movement actions;
 * - its actions: rows in tui/actions.c in KM_BIT(KM_OUTBOXVIEW) (one of them opens it, with
 *   tui_screen_push) and default keys in keymaps/default.keys; the help overlay, `tactful
 *   keys` and the manual follow (`make man` refreshes the manual's key list). */
#ifndef TACTFUL_TUI_SCREEN_H
#define TACTFUL_TUI_SCREEN_H

#include "tui/keymap.h"
#include "tui/list.h"
#include "tui/screen_list.h"

#include <stddef.h>

struct tui;

struct tui_screen {
    enum keymap_context ctx; /* where its keys are looked up */
    /* The context in force when it varies (the thread view with its ready-reckoner); NULL
     * means ctx. */
    enum keymap_context (*context)(struct tui *t);
    /* Draws the whole screen, status bar included. */
    void (*draw)(struct tui *t);
    /* Rereads what it shows from the cache (the inbox is always reread too); NULL: none. */
    void (*reload)(struct tui *t);
    /* What the close action does here; NULL: nothing. */
    void (*close)(struct tui *t);
    /* Frees its state when the interface ends; NULL: nothing to free. */
    void (*free)(struct tui *t);
    /* Whether it still has something to show (back skips a screen closed since); NULL:
     * always. */
    int (*live)(struct tui *t);
    /* The threads triage acts on, as tui_targets; NULL: the one of thread below. */
    size_t (*targets)(struct tui *t, long **ids);
    /* The thread triage acts on, or 0; NULL: none. */
    long (*thread)(struct tui *t);
    /* The URL copy-url and open-url offer, or NULL; NULL: the inbox's. */
    const char *(*url)(struct tui *t);
    /* Sees a key before the bindings do; returns nonzero when it took it. NULL: none. */
    int (*key)(struct tui *t, int key);
    /* Types a character no binding of its context took; NULL: characters are keys like any
     * other (and fall back to the global bindings). */
    void (*type)(struct tui *t, int key);
    /* Work to do when no key is waiting, before drawing; NULL: none. */
    void (*idle)(struct tui *t);
    /* Work put off until the screen is drawn (a search's counts): run when no key is waiting,
     * stopping as soon as one arrives; returns nonzero when the screen must be drawn again.
     * NULL: none. */
    int (*later)(struct tui *t);
    /* The list the movement actions move (tui/list.h), or NULL when there is none. */
    struct tui_list *(*list)(struct tui *t);
    /* Called after a movement action moved the list's cursor; NULL: nothing to do. */
    void (*moved)(struct tui *t);
    /* Places the terminal's cursor after drawing; NULL hides it. */
    void (*cursor)(struct tui *t);
};

/* The screens, one per SCREEN line of tui/screen_list.h; each is defined in its file
 * (tui_audit_screen in tui/auditview.c, the others in the file of their name). */
#define TUI_SCREEN_EXTERN(id, ...) extern const struct tui_screen tui_##id##_screen;
TUI_PLACES(TUI_PLACE_NONE, TUI_SCREEN_EXTERN, TUI_PLACE_NONE, TUI_PLACE_NONE)
#undef TUI_SCREEN_EXTERN

/* Every screen, in the list's order; ends with NULL. */
extern const struct tui_screen *const tui_screens[];

#endif
