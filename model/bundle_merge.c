/* Merging an offline review bundle back into the cache it came from (see model/bundle.h):
 * a three-way comparison of the baseline, the bundle and the cache for each thread field,
 * tag, note and draft. Values read from the bundle are bounded here and validated again by
 * the model functions that apply them. */
#include "model/bundle.h"

#include "model/audit.h"
#include "model/bundle_impl.h"
#include "model/draft.h"
#include "model/guard_override.h"
#include "model/isotime.h"
#include "model/triage.h"
#include "model/xmalloc.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_EVENTS 1000        /* offline audit entries replayed for one draft */
#define MAX_TAGS 256           /* tags on one thread */
#define MAX_SHORT 4096         /* names, states, times, comments read from a bundle */

/* One merge in progress. */
struct merge {
    struct db *db;             /* this cache */
    struct db *b;              /* the bundle, read-only */
    const char *path;
    const struct bundle_merge_opts *opts;
    struct bundle_result *res;
};

/* Appends a line to a list of sentences. */
static void
push(char ***v, size_t *n, char *line)
{
    *v = xreallocarray(*v, *n + 1, sizeof **v);
    (*v)[(*n)++] = line;
}

/* Formats a sentence, newly allocated. */
static char *__attribute__((format(printf, 1, 0)))
vformat(const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0)
        return xstrdup("(unprintable)");
    char *s = xmalloc((size_t)n + 1);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

/* Records a change that could not be applied. */
static void __attribute__((format(printf, 2, 3)))
problem(struct merge *m, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = vformat(fmt, ap);
    va_end(ap);
    push(&m->res->problems, &m->res->nproblems, s);
}

/* Records a change applied. */
static void __attribute__((format(printf, 2, 3)))
applied(struct merge *m, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = vformat(fmt, ap);
    va_end(ap);
    push(&m->res->applied, &m->res->napplied, s);
}

/* Records a conflict: field of thread (and draft) differs on both sides. */
static void
conflict(struct merge *m, long thread, long draft, const char *field, const char *here,
         const char *bundle)
{
    struct bundle_result *r = m->res;
    r->conflicts = xreallocarray(r->conflicts, r->nconflicts + 1, sizeof *r->conflicts);
    struct bundle_conflict *c = &r->conflicts[r->nconflicts++];
    c->thread = thread;
    c->draft = draft;
    c->field = xstrdup(field);
    c->here = here ? xstrdup(here) : NULL;
    c->bundle = bundle ? xstrdup(bundle) : NULL;
}

/* A text column of a bundle row, newly allocated, or NULL for SQL NULL; sets *bad when it is
 * longer than max bytes. */
static char *
col_text(sqlite3_stmt *st, int col, size_t max, int *bad)
{
    if (sqlite3_column_type(st, col) == SQLITE_NULL)
        return NULL;
    const unsigned char *s = sqlite3_column_text(st, col);
    if (s == NULL || (size_t)sqlite3_column_bytes(st, col) > max) {
        *bad = 1;
        return NULL;
    }
    return xstrdup((const char *)s);
}

/* Whether two optional strings are equal. */
static int
same(const char *a, const char *b)
{
    return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

/* Whether this cache has a bundle.apply entry of this bundle for kind/id (and field when not
 * NULL). */
static int
already_applied(struct merge *m, const char *kind, long id, const char *field)
{
    sqlite3_stmt *st = db_prepare(m->db, "SELECT 1 FROM audit WHERE action = 'bundle.apply'"
                                         " AND details ->> '$.bundle' = ?1"
                                         " AND details ->> '$.kind' = ?2"
                                         " AND details ->> '$.id' = ?3"
                                         " AND (?4 IS NULL OR details ->> '$.field' = ?4)"
                                         " LIMIT 1", NULL);
    if (st == NULL)
        return 0;
    db_bind_text(st, 1, m->res->info.id);
    db_bind_text(st, 2, kind);
    sqlite3_bind_int64(st, 3, id);
    db_bind_text(st, 4, field);
    int found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return found;
}

/* Writes the bundle.apply entry that says a change came from this bundle: who made it offline
 * and when. */
static int
record(struct merge *m, const char *officer, long thread, const char *kind, long id,
       const char *field, const char *value, const char *offline_at, char **err)
{
    json_t *d = json_pack("{s:s, s:s, s:s, s:I}", "bundle", m->res->info.id, "file", m->path,
                          "kind", kind, "id", (json_int_t)id);
    if (field)
        json_object_set_new(d, "field", json_string(field));
    if (value)
        json_object_set_new(d, "value", json_string(value));
    if (offline_at)
        json_object_set_new(d, "offline_at", json_string(offline_at));
    char *details = json_dumps(d, JSON_COMPACT);
    json_decref(d);
    int rc = details ? audit_append(m->db, officer, "bundle.apply", thread, details, NULL, err) : -1;
    if (details == NULL)
        *err = xstrdup("cannot record the change: the bundle holds broken text");
    free(details);
    return rc;
}

/* The officer and time of the last offline audit entry on thread for action (an undo of it
 * counts too). Returns 0 with both newly allocated, or -1 when the bundle has none. */
static int
offline_actor(struct merge *m, long thread, const char *action, char **officer, char **at)
{
    *officer = *at = NULL;
    sqlite3_stmt *st = db_prepare(m->b, "SELECT officer, at FROM audit WHERE id > ?1"
                                        " AND thread_id = ?2 AND (action = ?3 OR"
                                        " (action = 'undo' AND json_valid(details) AND"
                                        " details ->> '$.action' = ?3))"
                                        " ORDER BY id DESC LIMIT 1", NULL);
    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, m->res->info.audit_max);
    sqlite3_bind_int64(st, 2, thread);
    db_bind_text(st, 3, action);
    int bad = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        *officer = col_text(st, 0, TRIAGE_MAX_NAME, &bad);
        *at = col_text(st, 1, 64, &bad);
    }
    sqlite3_finalize(st);
    char norm[ISOTIME_LEN];
    if (*at != NULL && isotime_normalize(*at, norm) != 0)
        bad = 1; /* not a time in 1970..9999: the entry is not trusted */
    char *why = NULL;
    if (bad || *officer == NULL || *at == NULL || triage_name_valid(*officer, &why) != 0) {
        free(why);
        free(*officer);
        free(*at);
        *officer = *at = NULL;
        return -1;
    }
    return 0;
}

/* ---- Threads: state, priority, assignee, snooze, topic, tags, notes. ---- */

/* The triage fields merged one by one, with the audit action that changes each. */
static const struct {
    const char *field;
    const char *action;
} thread_fields[] = {
    {"state", "mark"},
    {"priority", "priority"},
    {"assignee", "assign"},
    {"snoozed_until", "snooze"},
    {"topic", "topic"},
};
#define NFIELDS (sizeof thread_fields / sizeof thread_fields[0])

/* One thread's triage as text: the fields above and its tags as a JSON array. */
struct triage_vals {
    char *v[NFIELDS];
    char *tags;
};

static void
triage_vals_clear(struct triage_vals *t)
{
    for (size_t i = 0; i < NFIELDS; i++)
        free(t->v[i]);
    free(t->tags);
    memset(t, 0, sizeof *t);
}

/* Reads a thread's current triage from db (the cache or the bundle). Returns 0, 1 when there
 * is no such thread, -1 when a value is out of bounds or the read fails. */
static int
read_triage(struct db *db, long thread, struct triage_vals *t)
{
    memset(t, 0, sizeof *t);
    sqlite3_stmt *st = db_prepare(db, "SELECT state, priority, assignee, snoozed_until, topic,"
                                      " (SELECT json_group_array(tag) FROM (SELECT tag"
                                      " FROM thread_tags WHERE thread_id = ?1 ORDER BY tag))"
                                      " FROM threads WHERE id = ?1", NULL);
    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, thread);
    int rc = sqlite3_step(st), bad = 0;
    if (rc == SQLITE_ROW) {
        for (size_t i = 0; i < NFIELDS; i++)
            t->v[i] = col_text(st, (int)i, MAX_SHORT, &bad);
        t->tags = col_text(st, (int)NFIELDS, (size_t)MAX_TAGS * (TRIAGE_MAX_TAG + 8), &bad);
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE)
        return 1;
    if (rc != SQLITE_ROW || bad) {
        triage_vals_clear(t);
        return -1;
    }
    return 0;
}

/* Applies field i of the bundle's value o to thread as the officer who changed it offline. */
static int
apply_field(struct merge *m, long thread, size_t i, const char *o, char **err)
{
    char *officer, *at;
    if (offline_actor(m, thread, thread_fields[i].action, &officer, &at) != 0) {
        *err = xstrdup("the bundle has no audit entry saying who changed it");
        return -1;
    }
    int rc;
    if (i == 0)
        rc = o ? triage_set_state(m->db, officer, thread, o, NULL, err) : -1;
    else if (i == 1) {
        char *end = NULL;
        long p = o ? strtol(o, &end, 10) : -1;
        rc = o && *end == '\0' && p >= 0 && p <= 3
                 ? triage_set_priority(m->db, officer, thread, (int)p, NULL, err)
                 : (*err = xstrdup("not a priority"), -1);
    } else if (i == 2)
        rc = triage_assign(m->db, officer, thread, o, NULL, err);
    else if (i == 3)
        rc = triage_snooze(m->db, officer, thread, o, NULL, err);
    else
        rc = triage_set_topic(m->db, officer, thread, o, NULL, err);
    if (rc >= 0)
        rc = record(m, officer, thread, "thread", thread, thread_fields[i].field,
                    o ? o : "", at, err);
    if (rc == 0)
        applied(m, "thread %ld: %s set to %s (by %s, offline at %s)", thread,
                thread_fields[i].field, o ? o : "unset", officer, at);
    free(officer);
    free(at);
    return rc;
}

/* Whether tag is in the JSON array text list. */
static int
has_tag(json_t *list, const char *tag)
{
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v) {
        if (json_is_string(v) && strcmp(json_string_value(v), tag) == 0)
            return 1;
    }
    return 0;
}

/* Merges tags tag by tag: one added or removed offline and untouched here is applied; the two
 * sides cannot conflict over a tag (each either has it or not). */
static void
merge_tags(struct merge *m, long thread, const char *base, const char *off, const char *here)
{
    json_t *b = json_loads(base ? base : "[]", 0, NULL), *o = json_loads(off ? off : "[]", 0, NULL);
    json_t *h = json_loads(here ? here : "[]", 0, NULL);
    const char **add = NULL, **del = NULL;
    size_t nadd = 0, ndel = 0;
    if (!json_is_array(b) || !json_is_array(o) || !json_is_array(h) ||
        json_array_size(o) > MAX_TAGS || json_array_size(b) > MAX_TAGS) {
        problem(m, "thread %ld: the bundle's tags are unreadable; they were not merged", thread);
        goto out;
    }
    add = xcalloc(json_array_size(o) + 1, sizeof *add);
    del = xcalloc(json_array_size(b) + 1, sizeof *del);
    size_t i;
    json_t *v;
    json_array_foreach(o, i, v) {
        const char *tag = json_string_value(v);
        if (tag && !has_tag(b, tag) && !has_tag(h, tag))
            add[nadd++] = tag;
    }
    json_array_foreach(b, i, v) {
        const char *tag = json_string_value(v);
        if (tag && !has_tag(o, tag) && has_tag(h, tag))
            del[ndel++] = tag;
    }
    if (nadd + ndel == 0)
        goto out;
    char *officer, *at, *err = NULL;
    if (offline_actor(m, thread, "tag", &officer, &at) != 0) {
        problem(m, "thread %ld: tags changed in the bundle without an audit entry saying who "
                "changed them; they were not merged", thread);
        goto out;
    }
    int rc = triage_tag(m->db, officer, thread, add, nadd, del, ndel, NULL, &err);
    if (rc >= 0)
        rc = record(m, officer, thread, "tags", thread, "tags", off ? off : "[]", at, &err);
    if (rc < 0)
        problem(m, "thread %ld: the bundle's tags could not be applied: %s", thread, err);
    else
        applied(m, "thread %ld: %zu tag%s added, %zu removed (by %s, offline at %s)", thread,
                nadd, nadd == 1 ? "" : "s", ndel, officer, at);
    free(err);
    free(officer);
    free(at);
out:
    free(add);
    free(del);
    json_decref(b);
    json_decref(o);
    json_decref(h);
}

/* Merges one exported thread's triage: baseline base, bundle off, this cache here. */
static void
merge_thread(struct merge *m, long thread, const struct triage_vals *base,
             const struct triage_vals *off, const struct triage_vals *here)
{
    for (size_t i = 0; i < NFIELDS; i++) {
        const char *b = base->v[i], *o = off->v[i], *h = here->v[i];
        if (same(o, b) || same(o, h) || already_applied(m, "thread", thread,
                                                        thread_fields[i].field))
            continue;
        if (!same(h, b)) {
            conflict(m, thread, 0, thread_fields[i].field, h, o);
            continue;
        }
        char *err = NULL;
        if (apply_field(m, thread, i, o, &err) != 0)
            problem(m, "thread %ld: its %s from the bundle (%s) was not applied: %s", thread,
                    thread_fields[i].field, o ? o : "unset", err ? err : "cache error");
        free(err);
    }
    merge_tags(m, thread, base->tags, off->tags, here->tags);
}

/* Merges the triage of every exported thread. */
static int
merge_threads(struct merge *m, char **err)
{
    sqlite3_stmt *st = db_prepare(m->b, "SELECT thread_id, state, priority, assignee,"
                                        " snoozed_until, topic, tags FROM bundle_threads"
                                        " ORDER BY thread_id", err);
    if (st == NULL)
        return -1;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long thread = (long)sqlite3_column_int64(st, 0);
        struct triage_vals base = {0}, off, here;
        int bad = 0;
        for (size_t i = 0; i < NFIELDS; i++)
            base.v[i] = col_text(st, (int)i + 1, MAX_SHORT, &bad);
        base.tags = col_text(st, (int)NFIELDS + 1, (size_t)MAX_TAGS * (TRIAGE_MAX_TAG + 8), &bad);
        int ro = read_triage(m->b, thread, &off), rh = read_triage(m->db, thread, &here);
        if (bad || ro != 0 || rh != 0)
            problem(m, "thread %ld: its triage in the bundle is unreadable; it was not merged",
                    thread);
        else
            merge_thread(m, thread, &base, &off, &here);
        triage_vals_clear(&base);
        if (ro == 0)
            triage_vals_clear(&off);
        if (rh == 0)
            triage_vals_clear(&here);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        *err = db_error(m->b, "cannot read the bundle");
        return -1;
    }
    return 0;
}

/* Adds the notes written offline on exported threads. */
static int
merge_notes(struct merge *m, char **err)
{
    sqlite3_stmt *st = db_prepare(m->b, "SELECT id, thread_id, officer, created_at, body"
                                        " FROM notes WHERE id > ?1 AND thread_id IN"
                                        " (SELECT thread_id FROM bundle_threads) ORDER BY id",
                                  err);
    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, m->res->info.note_max);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long id = (long)sqlite3_column_int64(st, 0), thread = (long)sqlite3_column_int64(st, 1);
        int bad = 0;
        char *officer = col_text(st, 2, TRIAGE_MAX_NAME, &bad);
        char *at = col_text(st, 3, 64, &bad);
        char *body = col_text(st, 4, TRIAGE_MAX_NOTE, &bad);
        char *why = NULL, norm[ISOTIME_LEN];
        if (at != NULL && isotime_normalize(at, norm) != 0) {
            free(at); /* not a time in 1970..9999: shown as unknown */
            at = NULL;
        }
        if (already_applied(m, "note", id, NULL)) {
            /* merged before */
        } else if (bad || !officer || !body || triage_name_valid(officer, &why) != 0) {
            problem(m, "thread %ld: a note written offline is unreadable; it was not merged",
                    thread);
        } else if (triage_note(m->db, officer, thread, body, NULL, &why) != 0 ||
                   record(m, officer, thread, "note", id, NULL, NULL, at, &why) != 0) {
            problem(m, "thread %ld: a note by %s was not merged: %s", thread, officer,
                    why ? why : "cache error");
        } else {
            applied(m, "thread %ld: note by %s added (offline at %s)", thread, officer,
                    at ? at : "an unknown time");
        }
        free(why);
        free(officer);
        free(at);
        free(body);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        *err = db_error(m->b, "cannot read the bundle's notes");
        return -1;
    }
    return 0;
}

/* ---- Drafts. ---- */

/* One offline audit entry about a draft (submit, approve, return, discard). */
struct event {
    long id;
    char *at;
    char *officer;
    char *action;
    char *details;
};

static void
events_free(struct event *e, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(e[i].at);
        free(e[i].officer);
        free(e[i].action);
        free(e[i].details);
    }
    free(e);
}

/* Reads the offline events of draft id from the bundle, oldest first. Returns 0 or -1. */
static int
load_events(struct merge *m, long id, struct event **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = db_prepare(m->b, "SELECT id, at, officer, action, details FROM audit"
                                        " WHERE id > ?1 AND action IN ('draft.submit',"
                                        " 'draft.approve', 'draft.return', 'draft.discard')"
                                        " AND json_valid(details)"
                                        " AND details ->> '$.draft' = ?2 ORDER BY id", NULL);
    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, m->res->info.audit_max);
    sqlite3_bind_int64(st, 2, id);
    int rc, bad = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < MAX_EVENTS) {
        *out = xreallocarray(*out, *n + 1, sizeof **out);
        struct event *e = &(*out)[(*n)++];
        e->id = (long)sqlite3_column_int64(st, 0);
        e->at = col_text(st, 1, 64, &bad);
        e->officer = col_text(st, 2, TRIAGE_MAX_NAME, &bad);
        e->action = col_text(st, 3, 64, &bad);
        e->details = col_text(st, 4, MAX_SHORT, &bad);
        char *why = NULL;
        if (!e->at || !e->officer || !e->action || !e->details ||
            triage_name_valid(e->officer, &why) != 0)
            bad = 1;
        free(why);
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW || (rc != SQLITE_DONE) || bad) {
        events_free(*out, *n);
        *out = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}

/* A member of an event's details as a string (NULL when absent). Owned by *json. */
static const char *
detail(const struct event *e, const char *key, json_t **json)
{
    *json = json_loads(e->details, 0, NULL);
    return json_string_value(json_object_get(*json, key));
}

/* The overrides the submitting officer gave offline on thread between audit entries after and
 * before: read from guard.override entries. *reasons holds their text. */
static size_t
load_overrides(struct merge *m, long thread, const char *officer, long after, long before,
               struct draft_override *ov, char **texts)
{
    sqlite3_stmt *st = db_prepare(m->b, "SELECT details ->> '$.rule', details ->> '$.reason'"
                                        " FROM audit WHERE id > ?1 AND id < ?2"
                                        " AND thread_id = ?3 AND officer = ?4"
                                        " AND action = 'guard.override' AND json_valid(details)"
                                        " ORDER BY id", NULL);
    if (st == NULL)
        return 0;
    sqlite3_bind_int64(st, 1, after);
    sqlite3_bind_int64(st, 2, before);
    sqlite3_bind_int64(st, 3, thread);
    db_bind_text(st, 4, officer);
    size_t n = 0;
    while (n < DRAFT_MAX_OVERRIDES && sqlite3_step(st) == SQLITE_ROW) {
        int bad = 0;
        char *rule = col_text(st, 0, 128, &bad), *reason = col_text(st, 1, GUARD_REASON_MAX,
                                                                    &bad);
        if (bad || !rule || !reason) {
            free(rule);
            free(reason);
            continue;
        }
        texts[2 * n] = rule;
        texts[2 * n + 1] = reason;
        ov[n].rule = rule;
        ov[n].reason = reason;
        n++;
    }
    sqlite3_finalize(st);
    return n;
}

/* Whether the draft's pattern wants a second officer. */
static int
pattern_wants_approval(struct merge *m, const char *pattern)
{
    if (pattern == NULL || m->opts->patterns == NULL)
        return 0;
    const struct pattern *p = pattern_find(m->opts->patterns, pattern);
    return p && p->approval;
}

/* Replays a submission made offline: the guardrails decide again; a draft that waited for
 * approval offline waits here too, so only its offline reviewer can queue it. */
static int
replay_submit(struct merge *m, long id, const struct draft *d, const struct event *e,
              long after, struct buf *story)
{
    json_t *j;
    const char *state = detail(e, "state", &j);
    int waited = state && strcmp(state, "approved") != 0;
    json_decref(j);
    struct draft_override ov[DRAFT_MAX_OVERRIDES];
    char *texts[2 * DRAFT_MAX_OVERRIDES];
    size_t nov = load_overrides(m, d->thread, e->officer, after, e->id, ov, texts);
    struct draft_check c = {.guard = m->opts->guard,
                            .pattern_approval = waited || pattern_wants_approval(m, d->pattern),
                            .overrides = ov, .noverrides = nov, .today = m->opts->today};
    struct draft_submission res;
    char *err = NULL;
    int rc = draft_submit(m->db, e->officer, id, &c, &res, &err);
    for (size_t i = 0; i < 2 * nov; i++)
        free(texts[i]);
    if (rc != 0) {
        problem(m, "draft %ld: submitted offline by %s, but not here: %s", id, e->officer, err);
        free(err);
        return -1;
    }
    if (res.outcome == DRAFT_REFUSED) {
        problem(m, "draft %ld: submitted offline by %s, but the guardrails here refuse it (%s); "
                "it is back to be edited here", id, e->officer, res.blocking);
        draft_submission_free(&res);
        return -1;
    }
    buf_printf(story, "%ssubmitted by %s at %s", story->len ? ", " : "", e->officer, e->at);
    if (res.outcome == DRAFT_PENDING && res.why_approval[0])
        buf_printf(story, " (waits for approval here: %s)", res.why_approval);
    draft_submission_free(&res);
    return 0;
}

/* Replays one offline event on draft id of this cache. Returns 0, or -1 (a problem recorded)
 * when the replay must stop. */
static int
replay_event(struct merge *m, long id, const struct draft *d, const struct event *e,
             long after, int *body_pending, struct buf *story)
{
    char *err = NULL;
    int rc = 0;
    if (strcmp(e->action, "draft.submit") == 0) {
        if (*body_pending && draft_save(m->db, e->officer, id, d->body, &err) != 0) {
            problem(m, "draft %ld: its text from the bundle was not saved: %s", id, err);
            free(err);
            return -1;
        }
        *body_pending = 0;
        return replay_submit(m, id, d, e, after, story);
    }
    if (strcmp(e->action, "draft.approve") == 0) {
        long ob = 0;
        rc = draft_approve(m->db, m->opts->guard, e->officer, id, m->opts->today, &ob, &err);
        if (rc == 0)
            buf_printf(story, "%sapproved by %s at %s, queued as outbox entry %ld",
                       story->len ? ", " : "", e->officer, e->at, ob);
    } else if (strcmp(e->action, "draft.return") == 0) {
        json_t *j;
        const char *comment = detail(e, "comment", &j);
        rc = draft_return(m->db, e->officer, id, comment, &err);
        json_decref(j);
        if (rc == 0)
            buf_printf(story, "%sreturned by %s at %s", story->len ? ", " : "", e->officer,
                       e->at);
    } else if (strcmp(e->action, "draft.discard") == 0) {
        rc = draft_discard(m->db, e->officer, id, &err);
        if (rc == 0)
            buf_printf(story, "%sdiscarded by %s at %s", story->len ? ", " : "", e->officer,
                       e->at);
    }
    if (rc != 0) {
        problem(m, "draft %ld: %s offline by %s could not be applied here: %s", id,
                e->action + strlen("draft."), e->officer, err);
        free(err);
    }
    return rc;
}

/* Replays the offline life of a draft (here draft id, in the bundle draft d) on this cache,
 * then saves its text when it was edited and not submitted since. */
static void
replay(struct merge *m, long id, const struct draft *d, struct event *ev, size_t nev,
       int body_pending, struct buf *story)
{
    long after = m->res->info.audit_max;
    for (size_t i = 0; i < nev; i++) {
        if (replay_event(m, id, d, &ev[i], after, &body_pending, story) != 0)
            return;
        after = ev[i].id;
    }
    if (!body_pending)
        return;
    char *err = NULL;
    if (draft_save(m->db, d->officer, id, d->body, &err) != 0) {
        problem(m, "draft %ld: its text edited offline was not saved: %s", id, err);
        free(err);
        return;
    }
    buf_printf(story, "%stext edited", story->len ? ", " : "");
}

/* A draft state's outcome: approved, queued and sent are one (it was let out). */
static const char *
outcome(const char *state)
{
    if (strcmp(state, "queued") == 0 || strcmp(state, "sent") == 0)
        return "approved";
    return state;
}

/* Reads one draft row of the bundle into *d, bounded. Returns 0 or -1. */
static int
read_draft(sqlite3_stmt *st, struct draft *d)
{
    int bad = 0;
    memset(d, 0, sizeof *d);
    d->id = (long)sqlite3_column_int64(st, 0);
    d->thread = (long)sqlite3_column_int64(st, 1);
    d->in_reply_to = col_text(st, 2, MAX_SHORT, &bad);
    d->pattern = col_text(st, 3, 128, &bad);
    d->body = col_text(st, 4, DRAFT_MAX_BODY, &bad);
    d->state = col_text(st, 5, 32, &bad);
    d->officer = col_text(st, 6, TRIAGE_MAX_NAME, &bad);
    char *why = NULL;
    if (bad || !d->body || !draft_state_valid(d->state) || !d->officer ||
        triage_name_valid(d->officer, &why) != 0) {
        free(why);
        draft_clear(d);
        return -1;
    }
    return 0;
}

/* Merges a draft that was exported (baseline state bstate and body bbody). */
static void
merge_known(struct merge *m, const struct draft *o, const char *bstate, const char *bbody)
{
    struct event *ev;
    size_t nev;
    if (load_events(m, o->id, &ev, &nev) != 0) {
        problem(m, "draft %ld: its history in the bundle is unreadable; it was not merged",
                o->id);
        return;
    }
    if ((nev == 0 && strcmp(o->body, bbody) == 0) || already_applied(m, "draft", o->id, NULL))
        goto out;
    struct draft h;
    char *err = NULL;
    if (draft_get(m->db, o->id, &h, &err) != 0) {
        problem(m, "draft %ld: not found here: %s", o->id, err ? err : "no such draft");
        free(err);
        goto out;
    }
    int here_changed = strcmp(outcome(h.state), outcome(bstate)) != 0 ||
                       strcmp(h.body, bbody) != 0;
    if (here_changed) {
        if (strcmp(outcome(h.state), outcome(o->state)) != 0)
            conflict(m, o->thread, o->id, "state", h.state, o->state);
        if (strcmp(h.body, o->body) != 0)
            conflict(m, o->thread, o->id, "text", h.body, o->body);
        draft_clear(&h);
        goto out;
    }
    struct buf story = {0};
    buf_adds(&story, "");
    replay(m, o->id, o, ev, nev, strcmp(h.body, o->body) != 0, &story);
    struct draft now;
    const char *who = nev ? ev[nev - 1].officer : o->officer;
    if (draft_get(m->db, o->id, &now, &err) == 0) {
        if (record(m, who, o->thread, "draft", o->id, "state", now.state,
                   nev ? ev[nev - 1].at : NULL, &err) != 0)
            problem(m, "draft %ld: %s", o->id, err);
        else if (story.len)
            applied(m, "draft %ld: %s here (offline: %s)", o->id, now.state, story.data);
        draft_clear(&now);
    }
    free(err);
    buf_free(&story);
    draft_clear(&h);
out:
    events_free(ev, nev);
}

/* Brings in a draft written offline: created here as its officer, then its offline life is
 * replayed through the same checks. */
static void
merge_new(struct merge *m, const struct draft *o)
{
    if (strcmp(o->state, "discarded") == 0 || already_applied(m, "new-draft", o->id, NULL))
        return;
    struct event *ev;
    size_t nev;
    if (load_events(m, o->id, &ev, &nev) != 0) {
        problem(m, "draft %ld (written offline): its history in the bundle is unreadable; it "
                "was not merged", o->id);
        return;
    }
    char *err = NULL, num[32];
    long id = 0;
    if (draft_create(m->db, o->officer, o->thread, o->in_reply_to, o->pattern, o->body, &id,
                     &err) != 0) {
        problem(m, "draft %ld written offline by %s on thread %ld was not merged: %s", o->id,
                o->officer, o->thread, err);
        free(err);
        events_free(ev, nev);
        return;
    }
    snprintf(num, sizeof num, "%ld", id);
    if (record(m, o->officer, o->thread, "new-draft", o->id, "draft", num, NULL, &err) != 0) {
        problem(m, "draft %ld: %s", id, err);
        free(err);
    }
    struct buf story = {0};
    buf_printf(&story, "written by %s", o->officer);
    replay(m, id, o, ev, nev, 0, &story);
    struct draft now;
    if (draft_get(m->db, id, &now, &err) == 0) {
        applied(m, "draft %ld (new; draft %ld in the bundle): %s here (offline: %s)", id, o->id,
                now.state, story.data);
        draft_clear(&now);
    }
    free(err);
    buf_free(&story);
    events_free(ev, nev);
}

/* Merges every draft of the exported threads. */
static int
merge_drafts(struct merge *m, char **err)
{
    sqlite3_stmt *st = db_prepare(m->b, "SELECT d.id, d.thread_id, d.in_reply_to, d.pattern,"
                                        " d.body, d.state, d.officer, bd.draft_id IS NOT NULL,"
                                        " bd.state, bd.body FROM drafts d LEFT JOIN"
                                        " bundle_drafts bd ON bd.draft_id = d.id"
                                        " WHERE d.thread_id IN (SELECT thread_id FROM"
                                        " bundle_threads) ORDER BY d.id", err);
    if (st == NULL)
        return -1;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct draft o;
        int bad = 0;
        if (read_draft(st, &o) != 0) {
            problem(m, "draft %ld in the bundle is unreadable; it was not merged",
                    (long)sqlite3_column_int64(st, 0));
            continue;
        }
        if (sqlite3_column_int(st, 7)) {
            char *bstate = col_text(st, 8, 32, &bad), *bbody = col_text(st, 9, DRAFT_MAX_BODY,
                                                                        &bad);
            if (bad || !bstate || !bbody)
                problem(m, "draft %ld: its baseline in the bundle is unreadable", o.id);
            else
                merge_known(m, &o, bstate, bbody);
            free(bstate);
            free(bbody);
        } else {
            merge_new(m, &o);
        }
        draft_clear(&o);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        *err = db_error(m->b, "cannot read the bundle's drafts");
        return -1;
    }
    return 0;
}

/* ---- Checks before anything changes, and loading into an empty cache. ---- */

/* Checks that the bundle's threads and drafts are this cache's: the same thread ids with the
 * same account and first post, the same drafts by the same officers. */
static int
check_matches(struct merge *m, char **err)
{
    sqlite3_stmt *st = db_prepare(m->b, "SELECT bt.thread_id, a.name, t.root_remote_id"
                                        " FROM bundle_threads bt LEFT JOIN threads t"
                                        " ON t.id = bt.thread_id LEFT JOIN accounts a"
                                        " ON a.id = t.account_id", err);
    sqlite3_stmt *here = db_prepare(m->db, "SELECT a.name = ?2 AND t.root_remote_id = ?3"
                                           " FROM threads t JOIN accounts a"
                                           " ON a.id = t.account_id WHERE t.id = ?1", err);
    long bad_thread = 0;
    int rc = SQLITE_DONE;
    while (st && here && bad_thread == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        sqlite3_reset(here);
        sqlite3_bind_int64(here, 1, sqlite3_column_int64(st, 0));
        sqlite3_bind_value(here, 2, sqlite3_column_value(st, 1));
        sqlite3_bind_value(here, 3, sqlite3_column_value(st, 2));
        if (sqlite3_step(here) != SQLITE_ROW || sqlite3_column_int(here, 0) != 1)
            bad_thread = (long)sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    sqlite3_finalize(here);
    if (st == NULL || here == NULL)
        return -1;
    if (bad_thread == 0 && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        *err = db_error(m->b, "cannot read the bundle");
        return -1;
    }
    if (bad_thread) {
        *err = xasprintf("thread %ld of the bundle %s is not the same thread here; it was "
                         "exported from another cache, so nothing was merged", bad_thread,
                         m->path);
        return -1;
    }
    st = db_prepare(m->b, "SELECT draft_id, thread_id, officer FROM bundle_drafts", err);
    here = db_prepare(m->db, "SELECT thread_id = ?2 AND officer = ?3 FROM drafts"
                             " WHERE id = ?1", err);
    long bad_draft = 0;
    while (st && here && bad_draft == 0 && sqlite3_step(st) == SQLITE_ROW) {
        sqlite3_reset(here);
        sqlite3_bind_int64(here, 1, sqlite3_column_int64(st, 0));
        sqlite3_bind_value(here, 2, sqlite3_column_value(st, 1));
        sqlite3_bind_value(here, 3, sqlite3_column_value(st, 2));
        if (sqlite3_step(here) != SQLITE_ROW || sqlite3_column_int(here, 0) != 1)
            bad_draft = (long)sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    sqlite3_finalize(here);
    if (st == NULL || here == NULL)
        return -1;
    if (bad_draft) {
        *err = xasprintf("draft %ld of the bundle %s is not the same draft here; it was "
                         "exported from another cache, so nothing was merged", bad_draft,
                         m->path);
        return -1;
    }
    return 0;
}

/* Whether db holds no accounts, threads or drafts. */
static int
cache_empty(struct db *db)
{
    sqlite3_stmt *st = db_prepare(db, "SELECT (SELECT count(*) FROM accounts) +"
                                      " (SELECT count(*) FROM threads) +"
                                      " (SELECT count(*) FROM drafts)", NULL);
    int empty = st && sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int64(st, 0) == 0;
    sqlite3_finalize(st);
    return empty;
}

/* The page size of a connection's main database, or -1. */
static long
page_size(struct db *db)
{
    sqlite3_stmt *st = db_prepare(db, "PRAGMA page_size", NULL);
    long n = st && sqlite3_step(st) == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return n;
}

/* Copies b over db with SQLite's backup; 0 or -1 with *err set. */
static int
copy_whole(struct db *db, struct db *b, char **err)
{
    sqlite3_backup *bk = sqlite3_backup_init(db->sql, "main", b->sql, "main");
    if (bk == NULL) {
        *err = db_error(db, "cannot load the bundle");
        return -1;
    }
    int rc = sqlite3_backup_step(bk, -1);
    sqlite3_backup_finish(bk);
    if (rc != SQLITE_DONE) {
        *err = db_error(db, "cannot load the bundle");
        return -1;
    }
    return 0;
}

/* Copies the checked bundle b whole into the empty cache db, which becomes a copy of it. A
 * bundle with another page size (written by another SQLite, or vacuumed) cannot be copied
 * into a WAL cache: the empty cache leaves WAL mode for the copy and goes back after. */
static int
load(struct db *db, struct db *b, const struct bundle_merge_opts *opts, const char *path,
     char **err)
{
    int other_size = page_size(db) != page_size(b);
    if (other_size && db_exec(db, "PRAGMA journal_mode = DELETE", err) != 0)
        return -1;
    int rc = copy_whole(db, b, err);
    if (other_size && db_exec(db, "PRAGMA journal_mode = WAL", rc == 0 ? err : NULL) != 0)
        rc = -1;
    if (rc != 0)
        return -1;
    json_t *d = json_pack("{s:s}", "file", path);
    char *details = json_dumps(d, JSON_COMPACT);
    json_decref(d);
    rc = audit_append(db, opts->officer ? opts->officer : "tactful", "bundle.load", 0, details, NULL,
                      err);
    free(details);
    return rc;
}

/* Reports threads that were added to the bundle offline (by an import there): they are not
 * merged. */
static void
report_added(struct merge *m)
{
    sqlite3_stmt *st = db_prepare(m->b, "SELECT count(*) FROM threads WHERE id NOT IN"
                                        " (SELECT thread_id FROM bundle_threads)", NULL);
    long n = st && sqlite3_step(st) == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    if (n > 0)
        problem(m, "%ld thread%s added to the bundle offline %s not merged; import %s posts "
                "here as JSON Lines instead", n, n == 1 ? "" : "s", n == 1 ? "was" : "were",
                n == 1 ? "its" : "their");
}

/* Writes the merge's own audit entry when it changed something. */
static void
audit_merge(struct merge *m)
{
    if (m->res->napplied == 0)
        return;
    json_t *d = json_pack("{s:s, s:s, s:I, s:I, s:I}", "bundle", m->res->info.id, "file",
                          m->path, "applied", (json_int_t)m->res->napplied, "conflicts",
                          (json_int_t)m->res->nconflicts, "problems",
                          (json_int_t)m->res->nproblems);
    char *details = json_dumps(d, JSON_COMPACT), *err = NULL;
    json_decref(d);
    if (audit_append(m->db, m->opts->officer ? m->opts->officer : "tactful", "bundle.merge", 0,
                     details, NULL, &err) != 0)
        problem(m, "the merge itself was not audited: %s", err);
    free(err);
    free(details);
}

/* Refuses a bundle this cache cannot take: it is a bundle itself, or the bundle came from
 * another cache and this one is not empty. Sets *load_it when db is empty. */
static int
decide(struct db *db, const struct bundle_info *info, const char *path, int *load_it,
       char **err)
{
    struct bundle_info mine;
    int is = bundle_info_get(db, &mine, err);
    if (is < 0)
        return -1;
    if (is == 1) {
        *err = strcmp(mine.id, info->id) == 0
                   ? xasprintf("%s is already loaded here (%s is a copy of it); merge this "
                               "cache on the connected machine with `tactful import --bundle "
                               "%s`", path, db->path, db->path)
                   : xasprintf("%s is itself an offline review bundle; a bundle is merged into "
                               "the cache it came from, not into another bundle", db->path);
        bundle_info_clear(&mine);
        return -1;
    }
    char *id = bundle_cache_id(db, err);
    if (id == NULL)
        return -1;
    int ours = strcmp(id, info->origin) == 0;
    free(id);
    *load_it = !ours && cache_empty(db);
    if (!ours && !*load_it) {
        *err = xasprintf("the bundle %s was exported from another cache (%s on %s), not from "
                         "%s; nothing was merged: merge it into the cache it came from, or "
                         "load it into an empty cache", path, info->origin_path, info->host,
                         db->path);
        return -1;
    }
    return 0;
}

int
bundle_import(struct db *db, const char *path, const struct bundle_merge_opts *opts,
              struct bundle_result *res, char **err)
{
    memset(res, 0, sizeof *res);
    struct db *b = bundle_open(path, &res->info, err);
    if (b == NULL)
        return -1;
    int load_it = 0, rc = decide(db, &res->info, path, &load_it, err);
    struct merge m = {.db = db, .b = b, .path = path, .opts = opts, .res = res};
    if (rc == 0 && load_it) {
        rc = load(db, b, opts, path, err);
        res->loaded = rc == 0;
    } else if (rc == 0) {
        rc = check_matches(&m, err);
        if (rc == 0)
            report_added(&m);
        if (rc == 0)
            rc = merge_threads(&m, err);
        if (rc == 0)
            rc = merge_notes(&m, err);
        if (rc == 0)
            rc = merge_drafts(&m, err);
        if (rc == 0)
            audit_merge(&m);
    }
    db_close(b);
    if (rc != 0) {
        char *keep = *err;
        bundle_result_free(res);
        *err = keep;
    }
    return rc;
}

void
bundle_result_free(struct bundle_result *res)
{
    bundle_info_clear(&res->info);
    for (size_t i = 0; i < res->napplied; i++)
        free(res->applied[i]);
    free(res->applied);
    for (size_t i = 0; i < res->nconflicts; i++) {
        free(res->conflicts[i].field);
        free(res->conflicts[i].here);
        free(res->conflicts[i].bundle);
    }
    free(res->conflicts);
    for (size_t i = 0; i < res->nproblems; i++)
        free(res->problems[i]);
    free(res->problems);
    memset(res, 0, sizeof *res);
}
