/* The response patterns a draft can follow (the ready-reckoner's seven core patterns). Kept
 * in this one table so that pattern files can replace it later; rules refer to patterns by
 * id (pattern = ..., need = pattern ...). */
#include "model/guard_impl.h"

#include <string.h>

const struct guard_pattern guard_patterns[] = {
    {"acknowledgement", "thank them and say what happens next"},
    {"encouragement", "welcome a contribution and invite more"},
    {"exhortation", "ask people to do something, such as take part or stay safe"},
    {"signposting", "point them to the page or service that can help (needs a link)"},
    {"mea-culpa", "own an administrative mistake and say how it is put right"},
    {"exploratory", "ask them to say more so the right team can help"},
    {"clarification", "correct a factual error calmly, citing an official source"},
    {NULL, NULL},
};

const struct guard_pattern *
guard_pattern_find(const char *id)
{
    for (const struct guard_pattern *p = guard_patterns; id && p->id; p++)
        if (strcmp(p->id, id) == 0)
            return p;
    return NULL;
}
