/* Triage from either screen: state, priority, assignee, tags, topic, notes and snooze, on the
 * open thread or on every thread selected in the inbox, each change audited by
 * model/triage.c.
 * Every action that changed something is pushed on an undo stack as the audit entries it
 * wrote; undo hands them back to triage_undo, which reverts and audits them in turn. */
#include "tui/internal.h"

#include "model/query.h"
#include "model/thread.h"
#include "model/triage.h"
#include "model/triage_state.h"
#include "model/xmalloc.h"
#include "tui/inbox.h"
#include "tui/prompt.h"
#include "tui/thread.h"
#include "tui/triage.h"
#include "tui/when.h"

#include <stdlib.h>
#include <string.h>

/* Most tags and assignees offered as completions. */
#define TRIAGE_CHOICES 500

/* One triage change applied to one thread: returns what the model's triage call returns
 * (0 changed, with *entry the audit entry written; 1 nothing to change; -1 with *err). */
typedef int (*triage_fn)(struct tui *t, long id, const void *arg, long *entry, char **err);

void
tui_undo_clear(struct tui *t)
{
    for (size_t i = 0; i < t->nundo; i++) {
        free(t->undo[i].what);
        free(t->undo[i].entries);
    }
    t->nundo = 0;
}

/* Pushes an undoable step, dropping the oldest when the stack is full. Takes what and
 * entries. */
static void
undo_push(struct tui *t, char *what, long *entries, size_t n)
{
    if (t->nundo == TUI_UNDO_MAX) {
        free(t->undo[0].what);
        free(t->undo[0].entries);
        memmove(&t->undo[0], &t->undo[1], (TUI_UNDO_MAX - 1) * sizeof t->undo[0]);
        t->nundo--;
    }
    t->undo[t->nundo++] = (struct undo_step){what, entries, n};
}

/* Writes " (KEY undoes)" naming a key bound to undo, or nothing when none is. */
static void
undo_hint(struct tui *t, char *out, size_t cap)
{
    char keys[48];
    out[0] = '\0';
    const struct tui_action *undo = tui_action_find(KM_GLOBAL, "undo");
    if (keymap_keys_for(t->opts->keymap, KM_GLOBAL, undo, keys, sizeof keys) == 0)
        return;
    keys[strcspn(keys, ",")] = '\0';
    snprintf(out, cap, " (%s undoes)", keys);
}

/* Applies fn to every target thread, records the changes for undo and says what happened.
 * what describes the change ("state to_reply"). */
static void
apply(struct tui *t, const char *what, triage_fn fn, const void *arg)
{
    long *ids;
    size_t n = tui_targets(t, &ids);
    if (n == 0) {
        free(ids);
        tui_message(t, "no thread to change here");
        return;
    }
    long *entries = xreallocarray(NULL, n, sizeof *entries);
    size_t changed = 0, done = 0;
    char *err = NULL;
    for (; done < n; done++) {
        long entry = 0;
        int rc = fn(t, ids[done], arg, &entry, &err);
        if (rc < 0)
            break;
        if (rc == 0)
            entries[changed++] = entry;
    }
    char subject[64], hint[80];
    if (n == 1)
        snprintf(subject, sizeof subject, "thread %ld", ids[0]);
    else
        snprintf(subject, sizeof subject, "%zu threads", n);
    undo_hint(t, hint, sizeof hint);
    if (changed) {
        undo_push(t, xasprintf("%s on %s", what, subject), entries, changed);
        if (t->screen == &tui_inbox_screen && done == n)
            tui_inbox_clear_selection(t);
    } else {
        free(entries);
    }
    if (done < n) {
        char *msg = xasprintf("%s (%zu of %zu changed)", err ? err : "failed", changed, n);
        free(err);
        tui_error_take(t, NULL, msg);
    } else if (changed == 0) {
        tui_message(t, "%s: unchanged", subject);
    } else if (changed < n) {
        tui_message(t, "%s: %s (%zu already were)%s", subject, what, n - changed,
                    changed ? hint : "");
    } else {
        tui_message(t, "%s: %s%s", subject, what, hint);
    }
    free(ids);
    tui_refresh_data(t, TUI_RELOAD_COUNTS);
}

/* Sets the state named by arg. */
static int
set_state(struct tui *t, long id, const void *arg, long *entry, char **err)
{
    return triage_set_state(t->db, t->opts->officer, id, arg, entry, err);
}

/* Takes the state prompt's answer: a state, or the start of exactly one. */
static void
state_done(struct tui *t, const char *text)
{
    const char *match = NULL;
    size_t n = strlen(text), hits = 0;
    for (int i = 0; n && i < TRIAGE_NSTATES; i++) {
        if (strcmp(text, triage_state_names[i]) == 0) {
            match = triage_state_names[i];
            hits = 1;
            break;
        }
        if (strncmp(text, triage_state_names[i], n) == 0) {
            match = triage_state_names[i];
            hits++;
        }
    }
    if (hits != 1) {
        char *names = triage_state_list(" and ");
        tui_error(t, "'%.40s' is not a state; states are %s", text, names);
        free(names);
        return;
    }
    char what[48];
    snprintf(what, sizeof what, "state %s", match);
    apply(t, what, set_state, match);
}

void
tui_triage_act_state(struct tui *t, const struct tui_action *a)
{
    if (a->arg) {
        state_done(t, a->arg);
        return;
    }
    struct prompt_spec spec = {
        .label = "state",
        .choices = triage_state_names,
        .nchoices = TRIAGE_NSTATES,
        .instant = 1,
        .done = state_done,
    };
    tui_prompt_open(t, &spec);
}

/* Sets the priority pointed to by arg. */
static int
set_priority(struct tui *t, long id, const void *arg, long *entry, char **err)
{
    return triage_set_priority(t->db, t->opts->officer, id, *(const int *)arg, entry, err);
}

/* Takes the priority prompt's answer. */
static void
priority_done(struct tui *t, const char *text)
{
    if (strlen(text) != 1 || text[0] < '0' || text[0] > '3') {
        tui_error(t, "priority is 0 (none), 1 (low), 2 (high) or 3 (urgent)");
        return;
    }
    int p = text[0] - '0';
    char what[32];
    snprintf(what, sizeof what, "priority %d", p);
    apply(t, what, set_priority, &p);
}

void
tui_triage_act_priority(struct tui *t, const struct tui_action *a)
{
    (void)a;
    static const char *const levels[] = {"0", "1", "2", "3"};
    struct prompt_spec spec = {
        .label = "priority",
        .hint = "0 none, 1 low, 2 high, 3 urgent",
        .choices = levels,
        .nchoices = 4,
        .instant = 1,
        .zero_based = 1,
        .done = priority_done,
    };
    tui_prompt_open(t, &spec);
}

/* Assigns to arg (NULL unassigns). */
static int
set_assignee(struct tui *t, long id, const void *arg, long *entry, char **err)
{
    return triage_assign(t->db, t->opts->officer, id, arg, entry, err);
}

/* Takes the assignee prompt's answer: a name, "me", or "-" to unassign. */
static void
assign_done(struct tui *t, const char *text)
{
    const char *who = text + strspn(text, " ");
    if (*who == '\0') {
        tui_message(t, "nothing changed; - unassigns");
        return;
    }
    if (strcmp(who, "-") == 0) {
        apply(t, "unassigned", set_assignee, NULL);
        return;
    }
    if (strcmp(who, "me") == 0)
        who = t->opts->officer;
    char *what = xasprintf("assigned to %s", who);
    apply(t, what, set_assignee, who);
    free(what);
}

void
tui_triage_act_assign(struct tui *t, const struct tui_action *a)
{
    if (a->arg) {
        assign_done(t, a->arg);
        return;
    }
    char **values = NULL;
    size_t n = 0;
    char *err = NULL;
    if (thread_values(t->db, QK_ASSIGNEE, TRIAGE_CHOICES, &values, &n, &err) != 0) {
        free(err);
        values = NULL;
        n = 0;
    }
    values = xreallocarray(values, n + 1, sizeof *values);
    values[n++] = xstrdup(t->opts->officer);
    struct prompt_spec spec = {
        .label = "assign to",
        .hint = "an officer; me for yourself; - unassigns; Tab completes",
        .choices = (const char *const *)values,
        .nchoices = n,
        .done = assign_done,
    };
    tui_prompt_open(t, &spec);
    thread_values_free(values, n);
}

/* Sets the topic to arg (NULL clears it). */
static int
set_topic(struct tui *t, long id, const void *arg, long *entry, char **err)
{
    return triage_set_topic(t->db, t->opts->officer, id, arg, entry, err);
}

/* Takes the topic prompt's answer: the words, or "-" to clear the topic. */
static void
topic_done(struct tui *t, const char *text)
{
    const char *topic = text + strspn(text, " ");
    char *err = NULL;
    if (*topic == '\0') {
        tui_message(t, "nothing changed; - clears the topic");
        return;
    }
    if (strcmp(topic, "-") == 0) {
        apply(t, "topic cleared", set_topic, NULL);
        return;
    }
    if (triage_topic_valid(topic, &err) != 0) {
        tui_error_take(t, NULL, err);
        return;
    }
    char *what = xasprintf("topic %s", topic);
    apply(t, what, set_topic, topic);
    free(what);
}

void
tui_triage_act_topic(struct tui *t, const struct tui_action *a)
{
    (void)a;
    const struct thread_row *info = t->screen == &tui_thread_screen ? tui_thread_info(t) : NULL;
    struct prompt_spec spec = {
        .label = "topic",
        .hint = "what the thread is about, for {topic} in replies; - clears",
        .initial = info ? info->topic : NULL,
        .done = topic_done,
    };
    tui_prompt_open(t, &spec);
}

/* The tags to add and remove, parsed from "+a -b c". */
struct tag_change {
    const char **add, **del;
    size_t nadd, ndel;
};

/* Changes the tags as arg (a struct tag_change) says. */
static int
set_tags(struct tui *t, long id, const void *arg, long *entry, char **err)
{
    const struct tag_change *c = arg;
    return triage_tag(t->db, t->opts->officer, id, c->add, c->nadd, c->del, c->ndel, entry,
                      err);
}

/* Takes the tag prompt's answer: words, +word adds, -word removes, a bare word adds. */
static void
tag_done(struct tui *t, const char *text)
{
    struct tag_change c = {0};
    char *copy = xstrdup(text), *save = NULL, *err = NULL;
    struct buf what = {0};
    buf_adds(&what, "tags");
    for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
        int del = w[0] == '-';
        const char *tag = w[0] == '+' || w[0] == '-' ? w + 1 : w;
        if (triage_tag_valid(tag, &err) != 0) {
            tui_error_take(t, NULL, err);
            goto out;
        }
        const char ***list = del ? &c.del : &c.add;
        size_t *n = del ? &c.ndel : &c.nadd;
        *list = xreallocarray(*list, *n + 1, sizeof **list);
        (*list)[(*n)++] = tag;
        buf_printf(&what, " %c%s", del ? '-' : '+', tag);
    }
    if (c.nadd + c.ndel == 0)
        tui_message(t, "no tags given; +tag adds, -tag removes");
    else
        apply(t, what.data, set_tags, &c);
out:
    free(c.add);
    free(c.del);
    free(copy);
    buf_free(&what);
}

void
tui_triage_act_tag(struct tui *t, const struct tui_action *a)
{
    (void)a;
    char **values = NULL;
    size_t n = 0;
    char *err = NULL;
    if (thread_values(t->db, QK_TAG, TRIAGE_CHOICES, &values, &n, &err) != 0) {
        free(err);
        values = NULL;
        n = 0;
    }
    struct prompt_spec spec = {
        .label = "tags",
        .hint = "+tag adds, -tag removes; Tab completes",
        .choices = (const char *const *)values,
        .nchoices = n,
        .done = tag_done,
    };
    tui_prompt_open(t, &spec);
    thread_values_free(values, n);
}

/* Adds the note arg. */
static int
add_note(struct tui *t, long id, const void *arg, long *entry, char **err)
{
    return triage_note(t->db, t->opts->officer, id, arg, entry, err);
}

/* Takes the note prompt's answer. */
static void
note_done(struct tui *t, const char *text)
{
    if (text[strspn(text, " ")] == '\0') {
        tui_message(t, "an empty note is not kept");
        return;
    }
    apply(t, "note added", add_note, text);
}

void
tui_triage_act_note(struct tui *t, const struct tui_action *a)
{
    (void)a;
    struct prompt_spec spec = {
        .label = "note",
        .hint = "internal: kept in the cache and the audit log, never posted",
        .done = note_done,
    };
    tui_prompt_open(t, &spec);
}

/* Snoozes until arg (NULL wakes). */
static int
set_snooze(struct tui *t, long id, const void *arg, long *entry, char **err)
{
    return triage_snooze(t->db, t->opts->officer, id, arg, entry, err);
}

/* Takes the snooze prompt's answer. */
static void
snooze_done(struct tui *t, const char *text)
{
    char until[ISOTIME_LEN], *err = NULL;
    int rc = tui_when_parse(text, time(NULL), until, &err);
    if (rc < 0) {
        tui_error_take(t, NULL, err);
        return;
    }
    if (rc == 1) {
        apply(t, "awake", set_snooze, NULL);
        return;
    }
    char what[64];
    snprintf(what, sizeof what, "snoozed until %s", until);
    apply(t, what, set_snooze, until);
}

void
tui_triage_act_snooze(struct tui *t, const struct tui_action *a)
{
    (void)a;
    struct prompt_spec spec = {
        .label = "snooze until",
        .hint = "30m 2h 3d 1w · tomorrow · friday · 14:00 · 2026-12-01 · RFC 3339 · off",
        .done = snooze_done,
    };
    tui_prompt_open(t, &spec);
}

void
tui_triage_act_undo(struct tui *t, const struct tui_action *a)
{
    (void)a;
    if (t->nundo == 0) {
        tui_message(t, "nothing to undo");
        return;
    }
    struct undo_step s = t->undo[--t->nundo];
    char *err = NULL;
    if (triage_undo(t->db, t->opts->officer, s.entries, s.n, &err) != 0)
        tui_error_take(t, "cannot undo", err);
    else
        tui_message(t, "undone: %s", s.what);
    free(s.what);
    free(s.entries);
    tui_refresh_data(t, TUI_RELOAD_COUNTS);
}
