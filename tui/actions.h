/* The actions a key can be bound to: one table, read by the keymap parser (to check names),
 * the dispatcher (to run them), the help overlay and `tactful keys` (to describe them). */
#ifndef TACTFUL_ACTIONS_H
#define TACTFUL_ACTIONS_H

#include "tui/keymap.h"

#include <stddef.h>

struct tui;
struct tui_action;

/* Runs an action on the interface; a is the table row, for its arg. */
typedef void (*tui_action_fn)(struct tui *t, const struct tui_action *a);

/* The bit of context ctx in an action's set of contexts. */
#define KM_BIT(ctx) (1u << (ctx))
/* The contexts that show a list (tui/list.h), as tui/screen_list.h marks them: the list
 * movement actions apply in each. */
#define KM_LIST_BIT(id, CTX, list, ...) | ((list) ? KM_BIT(KM_##CTX) : 0u)
#define KM_LISTS (0u TUI_PLACES(TUI_PLACE_NONE, KM_LIST_BIT, KM_LIST_BIT, TUI_PLACE_NONE))

struct tui_action {
    const char *name;          /* as written in keymap files */
    unsigned ctxs;             /* where it applies (KM_BIT of each context); global ones work
                                * on every screen */
    const char *help;          /* one line for the help overlay and the manual */
    tui_action_fn run;
    const char *arg;           /* a value for handlers that serve several rows (a state) */
};

/* The table, ending with a row whose name is NULL. */
extern const struct tui_action tui_actions[];

/* Whether action a applies in context ctx. */
int tui_action_in(const struct tui_action *a, enum keymap_context ctx);

/* The action called name that applies in ctx: ctx's own row, else a global one; NULL when
 * there is none. */
const struct tui_action *tui_action_find(enum keymap_context ctx, const char *name);

#endif
