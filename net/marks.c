/* Marks a fetch learnt about posts and threads besides their content (net/adapter.h). */
#include "net/adapter.h"

#include "model/xmalloc.h"

#include <stdlib.h>
#include <string.h>

void
net_marks_add(struct net_marks *m, const char *id, const char *why)
{
    if (id == NULL)
        return;
    for (size_t i = 0; i < m->n; i++) {
        if (strcmp(m->v[i].id, id) == 0) {
            free(m->v[i].why);
            m->v[i].why = why ? xstrdup(why) : NULL;
            return;
        }
    }
    if (m->n >= NET_MAX_THREADS)
        return;
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 8;
        m->v = xreallocarray(m->v, m->cap, sizeof *m->v);
    }
    m->v[m->n].id = xstrdup(id);
    m->v[m->n].why = why ? xstrdup(why) : NULL;
    m->n++;
}

void
net_marks_clear(struct net_marks *m)
{
    for (size_t i = 0; i < m->n; i++) {
        free(m->v[i].id);
        free(m->v[i].why);
    }
    free(m->v);
    memset(m, 0, sizeof *m);
}

json_t *
net_missing(const struct net_op *op, const json_t *reread)
{
    json_t *out = json_array();
    for (size_t i = 0; i < op->nknown && json_array_size(out) < NET_MAX_CONFIRM; i++) {
        const struct upstream_post *k = &op->known[i];
        if (json_object_get(reread, k->root) == NULL || net_batch_find(&op->res.batch, k->id))
            continue;
        int marked = 0; /* gone already (a blockedPost in its thread) */
        for (size_t g = 0; g < op->res.gone.n && !marked; g++)
            marked = strcmp(op->res.gone.v[g].id, k->id) == 0;
        if (marked)
            continue;
        json_array_append_new(out, json_pack("[s, s]", k->root, k->id));
    }
    return out;
}
