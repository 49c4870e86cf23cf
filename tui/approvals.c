/* The approvals side of the drafts view: for the selected draft, why it waits for a second
 * officer, the post it answers and the guardrails' findings; and the approve and return
 * actions, which only another officer than the draft's may take (model/draft.h). The
 * findings are worked out once per version of a draft, not at every draw. */
#include "tui/internal.h"

#include "model/guard.h"
#include "model/pattern.h"
#include "model/text.h"
#include "model/thread.h"
#include "model/xmalloc.h"
#include "tui/approvals.h"
#include "tui/drafts.h"
#include "tui/draw.h"
#include "tui/outbox.h"
#include "tui/prompt.h"

#include <stdlib.h>
#include <string.h>

/* What the pane shows about one version of one draft. */
struct review {
    long id;
    char *updated_at;       /* the version: the draft's updated_at and state */
    char *state;
    int checked;            /* findings holds the guardrails' verdict */
    struct guard_result findings;
    char *error;            /* why there are no findings, or NULL */
    char *why;              /* why it waits for approval ("" when it does not) */
    char *answered_author;  /* the post answered, NULL when not in the cache */
    char *answered_text;
};

/* Frees a review. */
static void
review_free(struct review *r)
{
    if (r == NULL)
        return;
    free(r->updated_at);
    free(r->state);
    guard_result_free(&r->findings);
    free(r->error);
    free(r->why);
    free(r->answered_author);
    free(r->answered_text);
    free(r);
}

/* What this file keeps: the review of the selected draft, and the draft a question is about. */
struct approvals {
    struct review *review; /* the selected draft's findings, or NULL */
    long asked;            /* the draft "approve draft N?" or a return's comment is about */
};

/* This file's state in the interface (tui/screen_list.h), made when first needed. */
static inline struct approvals *
approvals_state(struct tui *t)
{
    if (TUI_STATE(t, approvals) == NULL)
        TUI_STATE(t, approvals) = xcalloc(1, sizeof(struct approvals));
    return TUI_STATE(t, approvals);
}

/* Forgets the review worked out last. */
static void
forget_review(struct tui *t)
{
    struct approvals *ap = approvals_state(t);
    review_free(ap->review);
    ap->review = NULL;
}

void
tui_approvals_free(struct tui *t)
{
    struct approvals *ap = TUI_STATE(t, approvals);
    if (ap == NULL)
        return;
    review_free(ap->review);
    free(ap);
    TUI_STATE(t, approvals) = NULL;
}

/* Appends word to a ", "-separated list unless it is there already. */
static void
why_add(struct buf *b, const char *word)
{
    if (b->data && strstr(b->data, word))
        return;
    buf_printf(b, "%s%s", b->len ? ", " : "", word);
}

/* Finds the post d answers (its in_reply_to, else the thread's root) for r. */
static void
load_answered(struct tui *t, const struct draft *d, struct review *r)
{
    char *err = NULL;
    struct thread *th = thread_get(t->db, d->thread, &err);
    if (th == NULL) {
        free(err);
        return;
    }
    const char *want = d->in_reply_to ? d->in_reply_to : th->info.root;
    for (size_t i = 0; want && i < th->nposts; i++) {
        const struct thread_post *p = &th->posts[i];
        if (p->remote_id && strcmp(p->remote_id, want) == 0) {
            const char *who = p->author_name && *p->author_name ? p->author_name : p->author;
            r->answered_author = xasprintf("%s (%s)", who, p->author);
            r->answered_text = xstrdup(p->text ? p->text : "");
            break;
        }
    }
    thread_free(th);
}

/* Runs the guardrails over d and works out why it needs approval. */
static void
check(struct tui *t, const struct draft *d, struct review *r)
{
    struct buf why = {0};
    buf_adds(&why, "");
    const struct pattern *p = d->pattern && t->opts->patterns
                                  ? pattern_find(t->opts->patterns, d->pattern)
                                  : NULL;
    if (p && p->approval)
        why_add(&why, d->pattern);
    const struct guard *g = t->opts->guard;
    char *err = NULL;
    if (g == NULL) {
        r->error = xstrdup("the guardrails are not loaded, so no findings are shown");
    } else if (draft_findings(t->db, g, d, NULL, &r->findings, &err) != 0) {
        r->error = err;
    } else {
        r->checked = 1;
        for (size_t i = 0; i < r->findings.n; i++) {
            const struct guard_finding *f = &r->findings.findings[i];
            if (f->approval || guard_rule_needs_approval(g, f->rule))
                why_add(&why, f->rule);
        }
    }
    r->why = buf_take(&why);
}

/* The review of d's current version, worked out when it changed. */
static struct review *
review_of(struct tui *t, const struct draft *d)
{
    struct review *r = approvals_state(t)->review;
    if (r && r->id == d->id && strcmp(r->updated_at, d->updated_at) == 0 &&
        strcmp(r->state, d->state) == 0)
        return r;
    forget_review(t);
    r = xcalloc(1, sizeof *r);
    r->id = d->id;
    r->updated_at = xstrdup(d->updated_at);
    r->state = xstrdup(d->state);
    check(t, d, r);
    load_answered(t, d, r);
    approvals_state(t)->review = r;
    return r;
}

/* Whether the findings of a draft in this state are worth showing: it may still change or
 * wait for a decision. */
static int
under_review(const struct draft *d)
{
    return strcmp(d->state, "editing") == 0 || strcmp(d->state, "returned") == 0 ||
           strcmp(d->state, "pending_approval") == 0;
}

void
tui_approvals_head(struct tui *t, const struct draft *d, struct tui_lines *l)
{
    struct review *r = review_of(t, d);
    if (strcmp(d->state, "pending_approval") == 0) {
        char *line = xasprintf(" Waits for a second officer's approval because of: %s",
                               r->why[0] ? r->why : "the policy");
        char *safe = text_sanitize(line, strlen(line), 0);
        tui_lines_add(l, ROLE_HIGH, safe);
        free(safe);
        free(line);
        if (strcmp(d->officer, t->opts->officer) == 0)
            tui_lines_add(l, ROLE_DIM, " This is your draft: another officer approves or "
                                       "returns it.");
    }
    if (r->answered_author) {
        char *line = xasprintf(" In reply to %s:", r->answered_author);
        char *safe = text_sanitize(line, strlen(line), 0);
        tui_lines_add(l, ROLE_DIM, safe);
        free(safe);
        free(line);
        tui_lines_wrap(l, ROLE_DIM, r->answered_text, 3, COLS);
    }
}

void
tui_approvals_findings(struct tui *t, const struct draft *d, struct tui_lines *l)
{
    if (!under_review(d))
        return;
    struct review *r = review_of(t, d);
    if (!r->checked) {
        char *safe = text_sanitize(r->error, strlen(r->error), 0);
        char *line = xasprintf(" Findings: %s", safe);
        tui_lines_add(l, ROLE_DIM, line);
        free(line);
        free(safe);
        return;
    }
    if (r->findings.n == 0) {
        tui_lines_add(l, ROLE_DONE, " Guardrails: no findings.");
        return;
    }
    char *head = xasprintf(" Guardrails: %zu finding%s", r->findings.n,
                           r->findings.n == 1 ? "" : "s");
    tui_lines_add(l, ROLE_HEADER, head);
    free(head);
    for (size_t i = 0; i < r->findings.n; i++) {
        const struct guard_finding *f = &r->findings.findings[i];
        char where[48];
        if (f->source == GUARD_DRAFT) {
            int line, col;
            guard_position(d->body, strlen(d->body), f->start, &line, &col);
            snprintf(where, sizeof where, "%d:%d", line, col);
        } else {
            snprintf(where, sizeof where, "in the post answered");
        }
        char *text = xasprintf("%s %s: %s [%s]", guard_severity_name(f->severity), where,
                               f->message, f->rule);
        enum tui_role role = f->severity == GUARD_ERROR ? ROLE_URGENT
                             : f->severity == GUARD_WARNING ? ROLE_HIGH : ROLE_NORMAL;
        tui_lines_wrap(l, role, text, 3, COLS);
        free(text);
        if (f->suggestion && f->suggestion[0])
            tui_lines_wrap(l, ROLE_DIM, f->suggestion, 6, COLS);
    }
}

/* ---- actions ---- */

/* The selected draft when a second officer may decide on it; NULL after saying why not. */
static const struct draft *
decidable(struct tui *t, const char *verb)
{
    const struct draft *d = tui_drafts_current(t);
    if (d == NULL) {
        tui_message(t, "no draft here");
        return NULL;
    }
    if (strcmp(d->state, "pending_approval") != 0) {
        tui_error(t, "draft %ld is %s; only a draft waiting for approval can be %s", d->id,
                  d->state, verb);
        return NULL;
    }
    if (strcmp(d->officer, t->opts->officer) == 0) {
        tui_error(t, "draft %ld is your own: another officer must approve or return it; "
                     "nothing was changed", d->id);
        return NULL;
    }
    return d;
}

/* Takes the answer to "approve draft N?". */
static void
approve_done(struct tui *t, const char *text)
{
    long id = approvals_state(t)->asked;
    if (strcmp(text, "y") != 0 && strcmp(text, "yes") != 0) {
        tui_message(t, "draft %ld not approved", id);
        return;
    }
    char *err = NULL;
    long ob = 0;
    if (draft_approve(t->db, t->opts->guard, t->opts->officer, id, NULL, &ob, &err) != 0) {
        tui_error_take(t, "not approved", err);
        tui_refresh_data(t, TUI_RELOAD_PAGE);
        return;
    }
    tui_refresh_data(t, TUI_RELOAD_COUNTS);
    tui_message(t, "draft %ld approved: outbox entry %ld%s", id, ob,
                t->opts->offline ? " (waits until online)" :
                t->opts->autosend ? "; sending it" : "");
    tui_outbox_autosend(t);
}

void
tui_approvals_act_approve(struct tui *t, const struct tui_action *a)
{
    (void)a;
    const struct draft *d = decidable(t, "approved");
    if (d == NULL)
        return;
    if (t->opts->guard == NULL) {
        tui_error(t, "the guardrails are not loaded here; approve with `tactful approve %ld`",
                  d->id);
        return;
    }
    approvals_state(t)->asked = d->id;
    char label[96];
    snprintf(label, sizeof label, "approve draft %ld and queue it for sending? y to approve",
             d->id);
    struct prompt_spec spec = {.label = label, .hint = "y and Enter approves; Esc leaves it",
                               .done = approve_done};
    tui_prompt_open(t, &spec);
}

/* Takes the comment of a return. */
static void
return_done(struct tui *t, const char *text)
{
    long id = approvals_state(t)->asked;
    size_t n = strlen(text);
    if (n == 0 || n > DRAFT_MAX_COMMENT) {
        tui_error(t, "a return needs a comment of 1 to %d bytes; draft %ld was not returned",
                  DRAFT_MAX_COMMENT, id);
        return;
    }
    char *err = NULL;
    if (draft_return(t->db, t->opts->officer, id, text, &err) != 0) {
        tui_error_take(t, "not returned", err);
        tui_refresh_data(t, TUI_RELOAD_PAGE);
        return;
    }
    tui_refresh_data(t, TUI_RELOAD_COUNTS);
    tui_message(t, "draft %ld returned to its officer with your comment (audited)", id);
}

void
tui_approvals_act_return(struct tui *t, const struct tui_action *a)
{
    (void)a;
    const struct draft *d = decidable(t, "returned");
    if (d == NULL)
        return;
    approvals_state(t)->asked = d->id;
    char *officer = text_sanitize(d->officer, strlen(d->officer), 0);
    char *label = xasprintf("comment for %.40s (returns draft %ld)", officer, d->id);
    struct prompt_spec spec = {.label = label, .hint = "what to change; Enter returns the "
                                                       "draft, Esc leaves it",
                               .done = return_done};
    tui_prompt_open(t, &spec);
    free(label);
    free(officer);
}
