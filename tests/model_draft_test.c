/* Drafts: create, autosave, list; submit refused while an error stands, overridden with a
 * reason, queued when unrestricted, pending when the pattern or the policy asks; approval by a
 * different officer only; return with a comment and resubmit; discard; the busy warning; and
 * every step in the audit log. */
#include "guardtest.h"

#include "model/audit.h"
#include "model/draft.h"
#include "model/outbox.h"

/* A cache holding FIXTURE (thread 1) and the shipped rules with political.party needing
 * approval. */
struct fixture {
    struct tcache c;
    struct guard *g;
};

static int
setup(void **state)
{
    struct fixture *fx = xcalloc(1, sizeof *fx);
    struct import_stats s;
    char *err = NULL;
    tcache_open(&fx->c);
    assert_int_equal(tcache_import(&fx->c, FIXTURE, &s, &err), 0);
    fx->g = gt_shipped("[political.party]\napproval = yes\n", NULL);
    *state = fx;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *fx = *state;
    guard_free(fx->g);
    tcache_close(&fx->c);
    free(fx);
    return 0;
}

/* The state of draft id. */
static char *
state_of(struct fixture *fx, long id)
{
    static char buf[32];
    struct draft d;
    char *err = NULL;
    assert_int_equal(draft_get(fx->c.db, id, &d, &err), 0);
    snprintf(buf, sizeof buf, "%s", d.state);
    draft_clear(&d);
    return buf;
}

/* Whether the audit log of thread 1 has an entry with action (and details containing sub). */
static bool
audited(struct fixture *fx, const char *action, const char *sub)
{
    struct audit_entry *e;
    size_t n;
    char *err = NULL;
    assert_int_equal(audit_list(fx->c.db, 1, &e, &n, &err), 0);
    bool found = false;
    for (size_t i = 0; i < n && !found; i++)
        found = strcmp(e[i].action, action) == 0 && (sub == NULL || strstr(e[i].details, sub));
    audit_entries_free(e, n);
    return found;
}

/* Submits id as officer with overrides; returns the outcome (-1 when it failed). */
static int
submit(struct fixture *fx, const char *officer, long id, bool pattern_approval,
       const struct draft_override *o, size_t no, char **err)
{
    struct draft_check c = {.guard = fx->g, .pattern_approval = pattern_approval,
                            .overrides = o, .noverrides = no, .today = "2026-01-15"};
    struct draft_submission res;
    if (draft_submit(fx->c.db, officer, id, &c, &res, err) != 0) {
        draft_submission_free(&res);
        return -1;
    }
    int out = (int)res.outcome;
    draft_submission_free(&res);
    return out;
}

/* Create, autosave, get and list; only the author saves, and unknown threads and posts fail. */
static void
test_create_save_list(void **state)
{
    struct fixture *fx = *state;
    char *err = NULL;
    long id, id2;
    assert_int_equal(draft_create(fx->c.db, "sam", 1, "102", "acknowledgement", "Thanks", &id,
                                  &err), 0);
    assert_int_equal(draft_create(fx->c.db, "lee", 1, NULL, NULL, "", &id2, &err), 0);
    assert_int_equal(draft_save(fx->c.db, "sam", id, "Thanks Alice", &err), 0);
    assert_int_equal(draft_save(fx->c.db, "lee", id, "mine now", &err), -1);
    free(err);
    struct draft d;
    assert_int_equal(draft_get(fx->c.db, id, &d, &err), 0);
    assert_string_equal(d.body, "Thanks Alice");
    assert_string_equal(d.state, "editing");
    assert_string_equal(d.in_reply_to, "102");
    assert_string_equal(d.pattern, "acknowledgement");
    draft_clear(&d);
    assert_int_equal(draft_get(fx->c.db, 999, &d, &err), 1);
    struct draft *l;
    size_t n;
    assert_int_equal(draft_list(fx->c.db, 1, NULL, &l, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_int_equal(l[0].id, id2);
    draft_list_free(l, n);
    assert_int_equal(draft_list(fx->c.db, 0, "pending_approval", &l, &n, &err), 0);
    assert_int_equal(n, 0);
    draft_list_free(l, n);
    assert_int_equal(draft_create(fx->c.db, "sam", 7, NULL, NULL, "x", &id, &err), -1);
    assert_string_equal(err, "no thread 7");
    free(err);
    assert_int_equal(draft_create(fx->c.db, "sam", 1, "999", NULL, "x", &id, &err), -1);
    free(err);
    assert_true(audited(fx, "draft.create", "acknowledgement"));
    assert_true(draft_state_valid("returned"));
    assert_false(draft_state_valid("lost"));
}

/* A clean draft goes straight to the outbox, audited; it cannot be submitted twice. */
static void
test_unrestricted_is_queued(void **state)
{
    struct fixture *fx = *state;
    char *err = NULL;
    long id;
    assert_int_equal(draft_create(fx->c.db, "sam", 1, "102", "acknowledgement",
                                  "Thanks Alice, we have passed this to the waste team.", &id,
                                  &err), 0);
    assert_int_equal(submit(fx, "lee", id, false, NULL, 0, &err), -1);
    free(err);
    assert_int_equal(submit(fx, "sam", id, false, NULL, 0, &err), DRAFT_QUEUED);
    assert_string_equal(state_of(fx, id), "queued");
    struct outbox_row *rows;
    size_t n;
    assert_int_equal(outbox_list(fx->c.db, OUTBOX_ALL, &rows, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].draft_id, id);
    assert_string_equal(rows[0].in_reply_to, "102");
    outbox_rows_free(rows, n);
    assert_true(audited(fx, "draft.submit", "approved"));
    assert_true(audited(fx, "draft.queue", NULL));
    assert_int_equal(submit(fx, "sam", id, false, NULL, 0, &err), -1);
    free(err);
    assert_int_equal(draft_discard(fx->c.db, "sam", id, &err), -1);
    free(err);
}

/* An error finding refuses the draft and changes nothing; an override with a reason lets it
 * through and is audited; a bad reason or a rule with no finding is an error. */
static void
test_refused_then_overridden(void **state)
{
    struct fixture *fx = *state;
    char *err = NULL;
    long id;
    assert_int_equal(draft_create(fx->c.db, "sam", 1, NULL, NULL,
                                  "Thanks Alice. Call 07700 900123.", &id, &err), 0);
    struct draft d;
    struct guard_result r = {0};
    assert_int_equal(draft_get(fx->c.db, id, &d, &err), 0);
    assert_int_equal(draft_findings(fx->c.db, fx->g, &d, "2026-01-15", &r, &err), 0);
    assert_non_null(gt_find(&r, "personal-data.phone"));
    guard_result_free(&r);
    draft_clear(&d);
    struct draft_check c = {.guard = fx->g, .today = "2026-01-15"};
    struct draft_submission res;
    assert_int_equal(draft_submit(fx->c.db, "sam", id, &c, &res, &err), 0);
    assert_int_equal(res.outcome, DRAFT_REFUSED);
    assert_string_equal(res.blocking, "personal-data.phone");
    assert_true(res.findings.n >= 1);
    draft_submission_free(&res);
    assert_string_equal(state_of(fx, id), "editing");
    struct draft_override bad = {"personal-data.phone", "ok"};
    assert_int_equal(submit(fx, "sam", id, false, &bad, 1, &err), -1);
    free(err);
    struct draft_override none = {"political.party", "The resident asked for the party name."};
    assert_int_equal(submit(fx, "sam", id, false, &none, 1, &err), -1);
    assert_non_null(strstr(err, "no finding of political.party"));
    free(err);
    struct draft_override o = {"personal-data.phone", "This is the depot's public line."};
    assert_int_equal(submit(fx, "sam", id, false, &o, 1, &err), DRAFT_QUEUED);
    assert_true(audited(fx, "guard.override", "depot's public line"));
}

/* A pattern needing approval waits; its author cannot approve it; another officer can, and
 * it is queued by them. */
static void
test_pattern_approval(void **state)
{
    struct fixture *fx = *state;
    char *err = NULL;
    long id, ob = 0;
    assert_int_equal(draft_create(fx->c.db, "sam", 1, NULL, "mea-culpa",
                                  "Sorry Alice, we meant Tuesday.", &id, &err), 0);
    assert_int_equal(submit(fx, "sam", id, true, NULL, 0, &err), DRAFT_PENDING);
    assert_string_equal(state_of(fx, id), "pending_approval");
    assert_int_equal(draft_save(fx->c.db, "sam", id, "changed", &err), -1);
    free(err);
    assert_int_equal(draft_approve(fx->c.db, fx->g, "sam", id, "2026-01-15", &ob, &err), -1);
    assert_non_null(strstr(err, "cannot approve your own draft"));
    free(err);
    assert_int_equal(draft_approve(fx->c.db, fx->g, "lee", id, "2026-01-15", &ob, &err), 0);
    assert_true(ob > 0);
    struct draft d;
    assert_int_equal(draft_get(fx->c.db, id, &d, &err), 0);
    assert_string_equal(d.state, "queued");
    assert_string_equal(d.reviewer, "lee");
    draft_clear(&d);
    assert_true(audited(fx, "draft.approve", "sam"));
    assert_int_equal(draft_approve(fx->c.db, fx->g, "kim", id, NULL, &ob, &err), -1);
    free(err);
}

/* A rule the policy marks for approval makes the draft wait and the approval is granted in
 * the guardrails' log when a second officer approves. */
static void
test_policy_approval(void **state)
{
    struct fixture *fx = *state;
    char *err = NULL;
    long id, ob;
    assert_int_equal(draft_create(fx->c.db, "sam", 1, NULL, NULL,
                                  "Thanks Alice. The Labour group agreed.", &id, &err), 0);
    assert_int_equal(submit(fx, "sam", id, false, NULL, 0, &err), DRAFT_PENDING);
    assert_true(audited(fx, "guard.approval-request", "political.party"));
    assert_int_equal(draft_approve(fx->c.db, fx->g, "lee", id, "2026-01-15", &ob, &err), 0);
    assert_true(audited(fx, "guard.approve", "political.party"));
}

/* Returned with a comment, edited and submitted again; return needs a comment and another
 * officer; discard ends a draft. */
static void
test_return_and_discard(void **state)
{
    struct fixture *fx = *state;
    char *err = NULL;
    long id, ob;
    assert_int_equal(draft_create(fx->c.db, "sam", 1, NULL, "mea-culpa", "Sorry, we meant it.",
                                  &id, &err), 0);
    assert_int_equal(draft_return(fx->c.db, "lee", id, "too short", &err), -1);
    free(err);
    assert_int_equal(submit(fx, "sam", id, true, NULL, 0, &err), DRAFT_PENDING);
    assert_int_equal(draft_return(fx->c.db, "lee", id, "", &err), -1);
    free(err);
    assert_int_equal(draft_return(fx->c.db, "sam", id, "Mine", &err), -1);
    free(err);
    assert_int_equal(draft_return(fx->c.db, "lee", id, "Say which day", &err), 0);
    struct draft d;
    assert_int_equal(draft_get(fx->c.db, id, &d, &err), 0);
    assert_string_equal(d.state, "returned");
    assert_string_equal(d.review_comment, "Say which day");
    draft_clear(&d);
    assert_true(audited(fx, "draft.return", "Say which day"));
    assert_int_equal(draft_save(fx->c.db, "sam", id, "Sorry Alice, we meant Tuesday.", &err), 0);
    assert_int_equal(submit(fx, "sam", id, true, NULL, 0, &err), DRAFT_PENDING);
    assert_int_equal(draft_approve(fx->c.db, fx->g, "lee", id, NULL, &ob, &err), 0);

    assert_int_equal(draft_create(fx->c.db, "sam", 1, NULL, NULL, "later", &id, &err), 0);
    assert_int_equal(draft_discard(fx->c.db, "sam", id, &err), 0);
    assert_string_equal(state_of(fx, id), "discarded");
    assert_true(audited(fx, "draft.discard", "editing"));
    assert_int_equal(draft_discard(fx->c.db, "sam", id, &err), -1);
    free(err);
    assert_int_equal(draft_discard(fx->c.db, "sam", 99, &err), -1);
    free(err);
}

/* Another officer's live draft, or a recent reply, makes the thread busy. */
static void
test_busy(void **state)
{
    struct fixture *fx = *state;
    char *err = NULL, *why = NULL;
    long id;
    assert_int_equal(draft_busy(fx->c.db, "sam", 1, &why, &err), 0);
    assert_int_equal(draft_create(fx->c.db, "sam", 1, NULL, NULL, "x", &id, &err), 0);
    assert_int_equal(draft_busy(fx->c.db, "sam", 1, &why, &err), 0);
    assert_int_equal(draft_busy(fx->c.db, "lee", 1, &why, &err), 1);
    assert_string_equal(why, "sam has a draft (editing) on thread 1");
    free(why);
    assert_int_equal(draft_discard(fx->c.db, "sam", id, &err), 0);
    assert_int_equal(draft_busy(fx->c.db, "lee", 1, &why, &err), 0);
    long ob;
    assert_int_equal(outbox_enqueue(fx->c.db, "sam", 1, NULL, "Hi", 0, &ob, &err), 0);
    assert_int_equal(draft_busy(fx->c.db, "lee", 1, &why, &err), 1);
    assert_non_null(strstr(why, "a reply queued"));
    free(why);
}

/* The signature is appended once, after a space, and placeholders are found. */
static void
test_signature_and_placeholders(void **state)
{
    (void)state;
    char *s = draft_signed("Thanks Alice.", "- Sam");
    assert_string_equal(s, "Thanks Alice. - Sam");
    free(s);
    s = draft_signed("Thanks Alice. - Sam", "- Sam");
    assert_string_equal(s, "Thanks Alice. - Sam");
    free(s);
    s = draft_signed("Thanks\n", "- Sam");
    assert_string_equal(s, "Thanks\n- Sam");
    free(s);
    s = draft_signed("Thanks", NULL);
    assert_string_equal(s, "Thanks");
    free(s);
    assert_null(draft_signature_missing("x", ""));
    assert_string_equal(draft_placeholder_left("Hi {author}, see {link}"), "{author}");
    assert_string_equal(draft_placeholder_left("see {link}"), "{link}");
    assert_null(draft_placeholder_left("no placeholders {here}"));
    /* The first in reading order, whatever the order of the names. */
    const char *body = "Thanks about {topic}, see {link} {author}";
    assert_ptr_equal(draft_placeholder_first(body), body + 13);
    const char *sig = "done. {signature} {link}";
    assert_ptr_equal(draft_placeholder_first(sig), sig + 6);
    assert_null(draft_placeholder_first("no placeholders {here}"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_signature_and_placeholders),
        cmocka_unit_test_setup_teardown(test_create_save_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unrestricted_is_queued, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refused_then_overridden, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pattern_approval, setup, teardown),
        cmocka_unit_test_setup_teardown(test_policy_approval, setup, teardown),
        cmocka_unit_test_setup_teardown(test_return_and_discard, setup, teardown),
        cmocka_unit_test_setup_teardown(test_busy, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
