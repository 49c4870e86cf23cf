/* The triage states: one table, in inbox order, from which the query language (state:), the
 * commands (mark, list --state, bundle --state), the inbox's tabs, the state prompt and the
 * key actions (state-ID, tab-ID in tui/actions.c) are built. The cache's CHECK constraint
 * (model/schema.c) holds the same names: a new state also needs a schema migration. */
#ifndef TACTFUL_TRIAGE_STATE_H
#define TACTFUL_TRIAGE_STATE_H

#include <stddef.h>

/* TRIAGE_STATES(X) calls X(id, label, help) for each state, in inbox order:
 *   id     the name in the cache, queries, commands and keymaps (a C identifier)
 *   label  the inbox tab's short label on narrow screens
 *   help   the threads in the state, as a phrase for help texts ("show " help)
 * The arguments are literals so that tables of literals can be built from them. */
#define TRIAGE_STATES(X)                                                                       \
    X(new, "new", "new threads")                                                              \
    X(to_reply, "to_rep", "threads to reply to")                                              \
    X(waiting, "wait", "waiting threads")                                                     \
    X(replied, "repl", "replied threads")                                                     \
    X(no_action, "no_act", "threads needing no action")                                       \
    X(escalated, "escal", "escalated threads")                                                \
    X(closed, "closed", "closed threads")

#define TRIAGE_STATE_ENUM_(id, label, help) TRIAGE_STATE_##id,
enum triage_state_id { TRIAGE_STATES(TRIAGE_STATE_ENUM_) TRIAGE_NSTATES };
#undef TRIAGE_STATE_ENUM_

struct triage_state {
    const char *name;
    const char *label;
    const char *help;
};

/* The table, and the names alone (for prompts' choices), both in inbox order. */
extern const struct triage_state triage_states[TRIAGE_NSTATES];
extern const char *const triage_state_names[TRIAGE_NSTATES];

/* The index of the state called name, or -1 (name may be NULL). */
int triage_state_index(const char *name);

/* The states' names joined as "new, to_reply, ... and closed", last between the last two;
 * newly allocated, for messages. */
char *triage_state_list(const char *last);

/* "unknown state 'NAME'; states are new, to_reply, ... and closed" (newly allocated). */
char *triage_state_unknown(const char *name);

#endif
