/* The triage-state table, built from TRIAGE_STATES (model/triage_state.h). */
#include "model/triage_state.h"

#include "model/xmalloc.h"

#include <stdlib.h>
#include <string.h>

#define ROW(id, label, help) {#id, label, help},
const struct triage_state triage_states[TRIAGE_NSTATES] = {TRIAGE_STATES(ROW)};
#undef ROW

#define NAME(id, label, help) #id,
const char *const triage_state_names[TRIAGE_NSTATES] = {TRIAGE_STATES(NAME)};
#undef NAME

int
triage_state_index(const char *name)
{
    for (int i = 0; name && i < TRIAGE_NSTATES; i++)
        if (strcmp(name, triage_states[i].name) == 0)
            return i;
    return -1;
}

char *
triage_state_list(const char *last)
{
    struct buf b = {0};
    for (int i = 0; i < TRIAGE_NSTATES; i++) {
        if (i > 0)
            buf_adds(&b, i + 1 == TRIAGE_NSTATES ? last : ", ");
        buf_adds(&b, triage_states[i].name);
    }
    return buf_take(&b);
}

char *
triage_state_unknown(const char *name)
{
    char *names = triage_state_list(" and ");
    char *msg = xasprintf("unknown state '%.40s'; states are %s", name, names);
    free(names);
    return msg;
}
