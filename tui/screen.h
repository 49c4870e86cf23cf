/* The screen interface: what the main loop needs from a screen, as one table row each.
 *
 * A screen is one file that defines one `const struct tui_screen` and keeps its state
 * private. The loop draws, reloads and dispatches keys through these rows and never asks
 * which screen is showing; the overlays (the help, the prompt) lie on top of any screen. */
#ifndef TACTFUL_TUI_SCREEN_H
#define TACTFUL_TUI_SCREEN_H

#include "tui/keymap.h"
#include "tui/list.h"

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

/* The screens; each is defined in the file named for it. */
extern const struct tui_screen tui_inbox_screen;    /* tui/inbox.c */
extern const struct tui_screen tui_thread_screen;   /* tui/thread.c */
extern const struct tui_screen tui_drafts_screen;   /* tui/drafts.c */
extern const struct tui_screen tui_audit_screen;    /* tui/auditview.c */
extern const struct tui_screen tui_composer_screen; /* tui/composer.c */

/* Every screen, in the order their state is freed; ends with NULL. */
extern const struct tui_screen *const tui_screens[];

#endif
