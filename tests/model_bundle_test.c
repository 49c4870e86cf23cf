/* Offline review bundles: export, the bundle as a cache of its own, and every merge case:
 * one-side triage changes applied, both-side conflicts reported with nothing overwritten,
 * notes from both sides kept, drafts approved, returned, edited or written offline replayed
 * through the same checks, a second merge changing nothing, and foreign, damaged or newer
 * bundles refused; a bundle never syncs or sends. */
#include "guardtest.h"

#include "model/audit.h"
#include "model/bundle.h"
#include "model/draft.h"
#include "model/outbox.h"
#include "model/triage.h"
#include "net/outbox_send.h"
#include "net/sync.h"

#include <unistd.h>

#define TODAY "2026-01-15"

/* The connected cache (FIXTURE: threads 1 to 3), its guardrails, and a bundle of it opened
 * as the offline desktop would. */
struct fixture {
    struct tcache c;
    struct guard *g;
    char *bpath;
    struct db *off;
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
    fx->bpath = xasprintf("%s/bundle.db", fx->c.dir);
    *state = fx;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *fx = *state;
    db_close(fx->off);
    guard_free(fx->g);
    tcache_close(&fx->c);
    free(fx->bpath);
    free(fx);
    return 0;
}

/* Exports every thread into the bundle as ann and opens it as the offline cache. */
static void
export_all(struct fixture *fx)
{
    struct bundle_selection sel = {0};
    struct bundle_export_stats st;
    char *err = NULL;
    if (bundle_export(fx->c.db, fx->bpath, "ann", &sel, &st, &err) != 0)
        fail_msg("bundle_export: %s", err);
    assert_int_equal(st.threads, 3);
    fx->off = db_open(fx->bpath, &err);
    if (fx->off == NULL)
        fail_msg("db_open bundle: %s", err);
}

/* Merges the bundle into the connected cache as cat; returns bundle_import's result. */
static int
merge(struct fixture *fx, struct bundle_result *res, char **err)
{
    struct bundle_merge_opts o = {.guard = fx->g, .today = TODAY, .officer = "cat"};
    return bundle_import(fx->c.db, fx->bpath, &o, res, err);
}

/* Merges and expects success with the given numbers of changes, conflicts and problems. */
static void
merge_expect(struct fixture *fx, size_t napplied, size_t nconflicts, size_t nproblems)
{
    struct bundle_result r;
    char *err = NULL;
    if (merge(fx, &r, &err) != 0)
        fail_msg("bundle_import: %s", err);
    for (size_t i = 0; i < r.nproblems; i++)
        print_message("problem: %s\n", r.problems[i]);
    for (size_t i = 0; i < r.napplied; i++)
        print_message("applied: %s\n", r.applied[i]);
    assert_int_equal(r.napplied, napplied);
    assert_int_equal(r.nconflicts, nconflicts);
    assert_int_equal(r.nproblems, nproblems);
    bundle_result_free(&r);
}

/* A one-value query on db with one text parameter (NULL: none), as text (static buffer). */
static const char *
q(struct db *db, const char *sql, const char *arg)
{
    static char buf[256];
    sqlite3_stmt *st = db_prepare(db, sql, NULL);
    assert_non_null(st);
    if (arg)
        db_bind_text(st, 1, arg);
    buf[0] = '\0';
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(buf, sizeof buf, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return buf;
}

/* The number of audit entries in the connected cache. */
static long
audit_count(struct fixture *fx)
{
    return tcache_int(&fx->c, "SELECT count(*) FROM audit");
}

/* Submits draft id on db as officer; returns the outcome. */
static int
submit_on(struct fixture *fx, struct db *db, const char *officer, long id, bool approval)
{
    struct draft_check c = {.guard = fx->g, .pattern_approval = approval, .today = TODAY};
    struct draft_submission res;
    char *err = NULL;
    if (draft_submit(db, officer, id, &c, &res, &err) != 0)
        fail_msg("draft_submit: %s", err);
    int out = res.outcome;
    draft_submission_free(&res);
    return out;
}

/* The bundle is a cache of the current schema holding the threads, posts, drafts, notes and
 * audit history with the same ids, a record and a baseline; no sync position; the cache
 * audits the export. */
static void
test_export_contents(void **state)
{
    struct fixture *fx = *state;
    char *err = NULL;
    long id;
    assert_int_equal(db_exec(fx->c.db, "UPDATE accounts SET cursor = 'c-123',"
                                       " last_error = 'boom'", &err), 0);
    assert_int_equal(triage_note(fx->c.db, "ann", 1, "Call the depot", NULL, &err), 0);
    assert_int_equal(draft_create(fx->c.db, "ann", 1, NULL, NULL, "Thanks Alice.", &id, &err),
                     0);
    export_all(fx);
    assert_int_equal(db_schema_version(fx->off), DB_SCHEMA_VERSION);
    struct bundle_info info;
    assert_int_equal(bundle_info_get(fx->off, &info, &err), 1);
    assert_string_equal(info.exported_by, "ann");
    assert_string_equal(info.origin, q(fx->c.db, "SELECT value FROM cache_info", NULL));
    assert_true(info.audit_max >= 2);
    bundle_info_clear(&info);
    assert_int_equal(bundle_info_get(fx->c.db, &info, &err), 0);
    assert_string_equal(q(fx->off, "SELECT count(*) FROM posts", NULL), "6");
    assert_string_equal(q(fx->off, "SELECT body FROM drafts WHERE id = 1", NULL),
                        "Thanks Alice.");
    assert_string_equal(q(fx->off, "SELECT count(*) FROM notes", NULL), "1");
    assert_string_equal(q(fx->off, "SELECT count(*) FROM bundle_threads", NULL), "3");
    assert_string_equal(q(fx->off, "SELECT count(*) FROM accounts WHERE cursor IS NULL"
                                   " AND last_error IS NULL", NULL), "3");
    assert_string_equal(q(fx->off, "SELECT count(*) FROM posts_fts WHERE posts_fts MATCH"
                                   " 'recycling'", NULL), "1");
    assert_string_equal(q(fx->c.db, "SELECT count(*) FROM audit WHERE action ="
                                    " 'bundle.export'", NULL), "1");
    /* A bundle is not exported again, and --state picks threads. */
    struct bundle_selection sel = {.state = "closed"};
    struct bundle_export_stats st;
    char *other = xasprintf("%s/b2.db", fx->c.dir);
    assert_int_equal(bundle_export(fx->off, other, "ann", &sel, &st, &err), -1);
    assert_non_null(strstr(err, "itself an offline review bundle"));
    free(err);
    assert_int_equal(bundle_export(fx->c.db, other, "ann", &sel, &st, &err), -1);
    assert_non_null(strstr(err, "no thread is closed"));
    free(err);
    long two = 2;
    struct bundle_selection one = {.threads = &two, .nthreads = 1};
    assert_int_equal(bundle_export(fx->c.db, other, "ann", &one, &st, &err), 0);
    assert_int_equal(st.threads, 1);
    free(other);
}

/* A triage change made only offline is applied, as its offline officer, with a bundle.apply
 * entry; a change made only here stays. */
static void
test_one_side_triage(void **state)
{
    struct fixture *fx = *state;
    char *err = NULL;
    export_all(fx);
    assert_int_equal(triage_set_state(fx->off, "bob", 1, "to_reply", NULL, &err), 0);
    assert_int_equal(triage_set_priority(fx->off, "bob", 1, 2, NULL, &err), 0);
    assert_int_equal(triage_assign(fx->off, "bob", 1, "dee", NULL, &err), 0);
    assert_int_equal(triage_snooze(fx->off, "bob", 1, "2026-12-01T09:00:00Z", NULL, &err), 0);
    const char *add[] = {"bins"};
    assert_int_equal(triage_tag(fx->off, "bob", 1, add, 1, NULL, 0, NULL, &err), 0);
    assert_int_equal(triage_set_state(fx->c.db, "cat", 2, "waiting", NULL, &err), 0);
    merge_expect(fx, 5, 0, 0);
    assert_string_equal(q(fx->c.db, "SELECT state || priority || assignee || snoozed_until"
                                    " FROM threads WHERE id = 1", NULL),
                        "to_reply2dee2026-12-01T09:00:00Z");
    assert_string_equal(q(fx->c.db, "SELECT group_concat(tag) FROM thread_tags", NULL), "bins");
    assert_string_equal(q(fx->c.db, "SELECT state FROM threads WHERE id = 2", NULL), "waiting");
    assert_string_equal(q(fx->c.db, "SELECT officer FROM audit WHERE action = 'mark'"
                                    " AND thread_id = 1", NULL), "bob");
    assert_string_equal(q(fx->c.db, "SELECT officer || ' ' || (details ->> '$.offline_at'"
                                    " IS NOT NULL) FROM audit WHERE action = 'bundle.apply'"
                                    " AND details ->> '$.field' = 'state'", NULL), "bob 1");
    assert_string_equal(q(fx->c.db, "SELECT count(*) FROM audit WHERE action ="
                                    " 'bundle.merge' AND officer = 'cat'", NULL), "1");
}

/* The same field changed on both sides is a conflict: reported with both values, and neither
 * side is overwritten. Tags changed on both sides merge tag by tag. */
static void
test_both_sides_conflict(void **state)
{
    struct fixture *fx = *state;
    char *err = NULL;
    export_all(fx);
    assert_int_equal(triage_set_state(fx->off, "bob", 1, "closed", NULL, &err), 0);
    assert_int_equal(triage_set_state(fx->c.db, "cat", 1, "escalated", NULL, &err), 0);
    const char *a[] = {"offline"}, *b[] = {"home"};
    assert_int_equal(triage_tag(fx->off, "bob", 1, a, 1, NULL, 0, NULL, &err), 0);
    assert_int_equal(triage_tag(fx->c.db, "cat", 1, b, 1, NULL, 0, NULL, &err), 0);
    struct bundle_result r;
    assert_int_equal(merge(fx, &r, &err), 0);
    assert_int_equal(r.nconflicts, 1);
    assert_int_equal(r.conflicts[0].thread, 1);
    assert_int_equal(r.conflicts[0].draft, 0);
    assert_string_equal(r.conflicts[0].field, "state");
    assert_string_equal(r.conflicts[0].here, "escalated");
    assert_string_equal(r.conflicts[0].bundle, "closed");
    assert_int_equal(r.napplied, 1);   /* the tag */
    bundle_result_free(&r);
    assert_string_equal(q(fx->c.db, "SELECT state FROM threads WHERE id = 1", NULL),
                        "escalated");
    assert_string_equal(q(fx->c.db, "SELECT group_concat(tag, ',') FROM (SELECT tag FROM"
                                    " thread_tags ORDER BY tag)", NULL), "home,offline");
    assert_string_equal(q(fx->off, "SELECT state FROM threads WHERE id = 1", NULL), "closed");
}

/* The thread's topic travels in the bundle and merges back like the other triage fields: set,
 * changed or cleared offline it is applied as its offline officer; changed on both sides it is
 * a conflict and neither side is overwritten. */
static void
test_topic(void **state)
{
    struct fixture *fx = *state;
    char *err = NULL;
    assert_int_equal(triage_set_topic(fx->c.db, "ann", 2, "the Station Road bins", NULL, &err),
                     0);
    assert_int_equal(triage_set_topic(fx->c.db, "ann", 3, "parking", NULL, &err), 0);
    export_all(fx);
    assert_string_equal(q(fx->off, "SELECT topic FROM threads WHERE id = 2", NULL),
                        "the Station Road bins");
    assert_string_equal(q(fx->off, "SELECT topic FROM bundle_threads WHERE thread_id = 2",
                          NULL), "the Station Road bins");
    assert_int_equal(triage_set_topic(fx->off, "bob", 1, "the library's hours", NULL, &err), 0);
    assert_int_equal(triage_set_topic(fx->off, "bob", 2, NULL, NULL, &err), 0);
    assert_int_equal(triage_set_topic(fx->off, "bob", 3, "parking permits", NULL, &err), 0);
    assert_int_equal(triage_set_topic(fx->c.db, "cat", 3, "parking fines", NULL, &err), 0);
    struct bundle_result r;
    assert_int_equal(merge(fx, &r, &err), 0);
    assert_int_equal(r.napplied, 2);
    assert_int_equal(r.nproblems, 0);
    assert_int_equal(r.nconflicts, 1);
    assert_int_equal(r.conflicts[0].thread, 3);
    assert_string_equal(r.conflicts[0].field, "topic");
    assert_string_equal(r.conflicts[0].here, "parking fines");
    assert_string_equal(r.conflicts[0].bundle, "parking permits");
    bundle_result_free(&r);
    assert_string_equal(q(fx->c.db, "SELECT topic FROM threads WHERE id = 1", NULL),
                        "the library's hours");
    assert_string_equal(q(fx->c.db, "SELECT coalesce(topic, 'unset') FROM threads WHERE id = 2",
                          NULL), "unset");
    assert_string_equal(q(fx->c.db, "SELECT topic FROM threads WHERE id = 3", NULL),
                        "parking fines");
    assert_string_equal(q(fx->c.db, "SELECT group_concat(officer, ',') FROM audit WHERE action"
                                    " = 'topic' AND thread_id IN (1, 2) AND id > (SELECT"
                                    " max(id) FROM audit WHERE action = 'bundle.export')", NULL),
                        "bob,bob");
    /* Merging again changes nothing. */
    merge_expect(fx, 0, 1, 0);
}

/* Notes written on both sides are all kept, once. */
static void
test_notes_both_sides(void **state)
{
    struct fixture *fx = *state;
    char *err = NULL;
    assert_int_equal(triage_note(fx->c.db, "ann", 1, "Before export", NULL, &err), 0);
    export_all(fx);
    assert_int_equal(triage_note(fx->off, "bob", 1, "Written offline", NULL, &err), 0);
    assert_int_equal(triage_note(fx->c.db, "cat", 1, "Written at home", NULL, &err), 0);
    merge_expect(fx, 1, 0, 0);
    assert_string_equal(q(fx->c.db, "SELECT group_concat(officer || ':' || body, '|') FROM"
                                    " (SELECT * FROM notes ORDER BY id)", NULL),
                        "ann:Before export|cat:Written at home|bob:Written offline");
}

/* Times in a bundle outside 1970..9999 in UTC are never taken: a snooze until year 10000
 * (9999-12-31T23:59:59-23:59) is not merged, and a note's out-of-range time is shown as
 * unknown. */
static void
test_bad_times_in_a_bundle(void **state)
{
    struct fixture *fx = *state;
    char *err = NULL;
    export_all(fx);
    assert_int_equal(triage_snooze(fx->off, "bob", 1, "2026-12-01T09:00:00Z", NULL, &err), 0);
    assert_int_equal(triage_note(fx->off, "bob", 1, "Written offline", NULL, &err), 0);
    assert_int_equal(db_exec(fx->off, "UPDATE threads SET snoozed_until ="
                                      " '9999-12-31T23:59:59-23:59' WHERE id = 1;"
                                      "UPDATE notes SET created_at = '9999-12-31T23:59:59-23:59'",
                             &err), 0);
    struct bundle_result r;
    assert_int_equal(merge(fx, &r, &err), 0);
    int note_unknown = 0, snooze_problem = 0;
    for (size_t i = 0; i < r.napplied; i++)
        note_unknown |= strstr(r.applied[i], "note by bob added (offline at an unknown time)")
                        != NULL;
    for (size_t i = 0; i < r.nproblems; i++)
        snooze_problem |= strstr(r.problems[i], "snooze") != NULL ||
                          strstr(r.problems[i], "snoozed_until") != NULL;
    for (size_t i = 0; i < r.nproblems; i++)
        print_message("problem: %s\n", r.problems[i]);
    assert_true(note_unknown);
    assert_true(snooze_problem);
    bundle_result_free(&r);
    assert_string_equal(q(fx->c.db, "SELECT ifnull(snoozed_until, 'none') FROM threads"
                                    " WHERE id = 1", NULL), "none");
    assert_string_equal(q(fx->c.db, "SELECT count(*) FROM threads WHERE snoozed_until"
                                    " LIKE '1%'", NULL), "0");
}

/* A draft approved offline is queued on merge by its offline approver, never its author. */
static void
test_draft_approved_offline(void **state)
{
    struct fixture *fx = *state;
    char *err = NULL;
    long id, ob;
    assert_int_equal(draft_create(fx->c.db, "ann", 1, NULL, "mea-culpa",
                                  "Sorry Alice, we missed Elm Street. It is on today's round.",
                                  &id, &err), 0);
    assert_int_equal(submit_on(fx, fx->c.db, "ann", id, true), DRAFT_PENDING);
    export_all(fx);
    assert_int_equal(draft_approve(fx->off, fx->g, "ann", id, TODAY, &ob, &err), -1);
    free(err);
    assert_int_equal(draft_approve(fx->off, fx->g, "bob", id, TODAY, &ob, &err), 0);
    assert_string_equal(q(fx->c.db, "SELECT count(*) FROM outbox", NULL), "0");
    merge_expect(fx, 1, 0, 0);
    assert_string_equal(q(fx->c.db, "SELECT state || ' ' || reviewer FROM drafts", NULL),
                        "queued bob");
    assert_string_equal(q(fx->c.db, "SELECT group_concat(officer) FROM outbox", NULL), "bob");
    assert_string_equal(q(fx->c.db, "SELECT officer FROM audit WHERE action ="
                                    " 'draft.approve'", NULL), "bob");
    assert_string_equal(q(fx->c.db, "SELECT officer || ' ' || (details ->> '$.kind') FROM audit"
                                    " WHERE action = 'bundle.apply'", NULL), "bob draft");
}

/* A draft returned offline is returned here with the reviewer's comment. */
static void
test_draft_returned_offline(void **state)
{
    struct fixture *fx = *state;
    char *err = NULL;
    long id;
    assert_int_equal(draft_create(fx->c.db, "ann", 1, NULL, "mea-culpa",
                                  "Sorry Alice, we missed it.", &id, &err), 0);
    assert_int_equal(submit_on(fx, fx->c.db, "ann", id, true), DRAFT_PENDING);
    export_all(fx);
    assert_int_equal(draft_return(fx->off, "bob", id, "Say when it will be collected.", &err),
                     0);
    merge_expect(fx, 1, 0, 0);
    assert_string_equal(q(fx->c.db, "SELECT state || '|' || reviewer || '|' || review_comment"
                                    " FROM drafts", NULL),
                        "returned|bob|Say when it will be collected.");
    assert_string_equal(q(fx->c.db, "SELECT count(*) FROM outbox", NULL), "0");
}

/* A draft edited offline and untouched here takes the offline text; edited on both sides it
 * is a conflict and keeps this side's text. */
static void
test_draft_edited(void **state)
{
    struct fixture *fx = *state;
    char *err = NULL;
    long a, b;
    assert_int_equal(draft_create(fx->c.db, "ann", 1, NULL, NULL, "First go", &a, &err), 0);
    assert_int_equal(draft_create(fx->c.db, "ann", 3, NULL, NULL, "Other first", &b, &err), 0);
    export_all(fx);
    assert_int_equal(draft_save(fx->off, "ann", a, "Edited offline", &err), 0);
    assert_int_equal(draft_save(fx->off, "ann", b, "Other offline", &err), 0);
    assert_int_equal(draft_save(fx->c.db, "ann", b, "Other at home", &err), 0);
    struct bundle_result r;
    assert_int_equal(merge(fx, &r, &err), 0);
    assert_int_equal(r.napplied, 1);
    assert_int_equal(r.nconflicts, 1);
    assert_int_equal(r.conflicts[0].draft, b);
    assert_int_equal(r.conflicts[0].thread, 3);
    assert_string_equal(r.conflicts[0].field, "text");
    assert_string_equal(r.conflicts[0].here, "Other at home");
    assert_string_equal(r.conflicts[0].bundle, "Other offline");
    bundle_result_free(&r);
    assert_string_equal(q(fx->c.db, "SELECT group_concat(body, '|') FROM (SELECT body FROM"
                                    " drafts ORDER BY id)", NULL),
                        "Edited offline|Other at home");
}

/* Drafts written offline are created here as their officer and their submissions go through
 * the guardrails again: an error finding refuses it here (it stays editing, nothing queued)
 * even when the bundle claims it was let through; an override given offline is carried. */
static void
test_new_draft_through_guardrails(void **state)
{
    struct fixture *fx = *state;
    char *err = NULL;
    long ok, bad, over;
    export_all(fx);
    assert_int_equal(draft_create(fx->off, "bob", 1, NULL, NULL, "Thanks Alice, it is on "
                                  "today's round.", &ok, &err), 0);
    assert_int_equal(submit_on(fx, fx->off, "bob", ok, false), DRAFT_QUEUED);
    /* A laxer desktop let this one through: the bundle says submitted and queued. */
    assert_int_equal(draft_create(fx->off, "bob", 3, NULL, NULL,
                                  "Call Bob on 07700 900123 about Heather Close.", &bad, &err),
                     0);
    assert_int_equal(bad, 2);
    assert_int_equal(db_exec(fx->off, "UPDATE drafts SET state = 'queued' WHERE id = 2;"
                                      "INSERT INTO audit (at, officer, action, thread_id,"
                                      " details) VALUES ('2026-01-15T10:00:00Z', 'bob',"
                                      " 'draft.submit', 3, '{\"draft\":2,\"state\":"
                                      "\"approved\"}')", &err), 0);
    assert_int_equal(draft_create(fx->off, "bob", 2, NULL, NULL,
                                  "Ring the depot on 07700 900123.", &over, &err), 0);
    struct draft_override o = {"personal-data.phone", "This is the depot's public line."};
    struct draft_check c = {.guard = fx->g, .overrides = &o, .noverrides = 1, .today = TODAY};
    struct draft_submission res;
    assert_int_equal(draft_submit(fx->off, "bob", over, &c, &res, &err), 0);
    assert_int_equal(res.outcome, DRAFT_QUEUED);
    draft_submission_free(&res);

    /* Three drafts created here (one of them refused, so a problem as well). */
    merge_expect(fx, 3, 0, 1);
    assert_string_equal(q(fx->c.db, "SELECT group_concat(thread_id || ':' || state || ':' ||"
                                    " officer, '|') FROM (SELECT * FROM drafts ORDER BY id)",
                          NULL), "1:queued:bob|3:editing:bob|2:queued:bob");
    assert_string_equal(q(fx->c.db, "SELECT group_concat(thread_id) FROM (SELECT thread_id"
                                    " FROM outbox ORDER BY id)", NULL), "1,2");
    assert_string_equal(q(fx->c.db, "SELECT officer FROM audit WHERE action ="
                                    " 'guard.override'", NULL), "bob");
}

/* Merging the same bundle twice changes nothing the second time, conflicts included. */
static void
test_merge_twice(void **state)
{
    struct fixture *fx = *state;
    char *err = NULL;
    long id, ob;
    assert_int_equal(draft_create(fx->c.db, "ann", 1, NULL, "mea-culpa", "Sorry Alice.", &id,
                                  &err), 0);
    assert_int_equal(submit_on(fx, fx->c.db, "ann", id, true), DRAFT_PENDING);
    export_all(fx);
    assert_int_equal(draft_approve(fx->off, fx->g, "bob", id, TODAY, &ob, &err), 0);
    assert_int_equal(triage_set_state(fx->off, "bob", 2, "closed", NULL, &err), 0);
    assert_int_equal(triage_set_state(fx->off, "bob", 3, "closed", NULL, &err), 0);
    assert_int_equal(triage_set_state(fx->c.db, "cat", 3, "waiting", NULL, &err), 0);
    assert_int_equal(triage_note(fx->off, "bob", 2, "offline", NULL, &err), 0);
    long nd;
    assert_int_equal(draft_create(fx->off, "bob", 2, NULL, NULL, "New one", &nd, &err), 0);
    merge_expect(fx, 4, 1, 0);
    long audits = audit_count(fx);
    /* Even after this side moves on (the thread reopened here), nothing is reapplied. */
    assert_int_equal(triage_set_state(fx->c.db, "cat", 2, "new", NULL, &err), 0);
    audits++;
    merge_expect(fx, 0, 1, 0);
    assert_int_equal(audit_count(fx), audits);
    assert_string_equal(q(fx->c.db, "SELECT count(*) FROM outbox", NULL), "1");
    assert_string_equal(q(fx->c.db, "SELECT count(*) FROM drafts", NULL), "2");
    assert_string_equal(q(fx->c.db, "SELECT count(*) FROM notes", NULL), "1");
    assert_string_equal(q(fx->c.db, "SELECT state FROM threads WHERE id = 2", NULL), "new");
}

/* Writes a copy of the bundle file with the given change to dst. */
static void
copy_file(const char *src, const char *dst)
{
    FILE *in = fopen(src, "rb"), *out = fopen(dst, "wb");
    assert_non_null(in);
    assert_non_null(out);
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        assert_int_equal(fwrite(buf, 1, n, out), n);
    fclose(in);
    fclose(out);
}

/* Expects the bundle at path to be refused with a message containing want, and the cache
 * unchanged. */
static void
expect_refused(struct fixture *fx, const char *path, const char *want)
{
    struct bundle_merge_opts o = {.guard = fx->g, .today = TODAY, .officer = "cat"};
    struct bundle_result r;
    char *err = NULL;
    long before = audit_count(fx);
    assert_int_equal(bundle_import(fx->c.db, path, &o, &r, &err), -1);
    if (strstr(err, want) == NULL)
        fail_msg("expected '%s' in: %s", want, err);
    free(err);
    assert_int_equal(audit_count(fx), before);
}

/* Bundles from another cache, damaged, newer, not bundles at all, or with tables of their own
 * are refused with a sentence and change nothing. */
static void
test_refused_bundles(void **state)
{
    struct fixture *fx = *state;
    char *err = NULL;
    export_all(fx);
    assert_int_equal(triage_set_state(fx->off, "bob", 1, "closed", NULL, &err), 0);
    db_close(fx->off);
    fx->off = NULL;
    char *p = xasprintf("%s/x.db", fx->c.dir);

    /* From another (non-empty) cache. */
    struct tcache other;
    struct import_stats s;
    tcache_open(&other);
    assert_int_equal(tcache_import(&other, FIXTURE, &s, &err), 0);
    struct bundle_merge_opts o = {.guard = fx->g, .today = TODAY, .officer = "cat"};
    struct bundle_result r;
    assert_int_equal(bundle_import(other.db, fx->bpath, &o, &r, &err), -1);
    assert_non_null(strstr(err, "exported from another cache"));
    free(err);
    assert_string_equal(q(other.db, "SELECT state FROM threads WHERE id = 1", NULL), "new");
    tcache_close(&other);

    /* Newer schema. */
    copy_file(fx->bpath, p);
    sqlite3 *raw;
    assert_int_equal(sqlite3_open(p, &raw), SQLITE_OK);
    assert_int_equal(sqlite3_exec(raw, "PRAGMA user_version = 99", NULL, NULL, NULL), 0);
    sqlite3_close(raw);
    expect_refused(fx, p, "newer tactful");

    /* A table of its own (a trigger, say) is not a bundle this tactful wrote. */
    copy_file(fx->bpath, p);
    assert_int_equal(sqlite3_open(p, &raw), SQLITE_OK);
    assert_int_equal(sqlite3_exec(raw, "CREATE TRIGGER evil AFTER INSERT ON notes BEGIN"
                                       " DELETE FROM posts; END", NULL, NULL, NULL), 0);
    sqlite3_close(raw);
    expect_refused(fx, p, "tables differ");

    /* An ordinary cache. */
    expect_refused(fx, fx->c.path, "not an offline review bundle");

    /* Damaged: garbage over a page in the middle, then cut short. */
    copy_file(fx->bpath, p);
    FILE *f = fopen(p, "r+b");
    assert_non_null(f);
    fseek(f, 4096L * 6, SEEK_SET);
    for (int i = 0; i < 4096; i++)
        fputc(0x5a, f);
    fclose(f);
    expect_refused(fx, p, "damaged");
    assert_int_equal(truncate(p, 3000), 0);
    expect_refused(fx, p, "damaged");

    /* Not a database; missing. */
    f = fopen(p, "w");
    fputs("these are somebody's notes, not a bundle\n", f);
    fclose(f);
    expect_refused(fx, p, "not an offline review bundle");
    unlink(p);
    expect_refused(fx, p, "cannot open the bundle");
    assert_string_equal(q(fx->c.db, "SELECT state FROM threads WHERE id = 1", NULL), "new");
    free(p);
}

/* A bundle loaded into an empty cache makes it a copy of the bundle, which merges back into
 * the cache it came from like the bundle itself. */
static void
test_load_into_empty_cache(void **state)
{
    struct fixture *fx = *state;
    char *err = NULL;
    export_all(fx);
    db_close(fx->off);
    fx->off = NULL;
    struct tcache desk;
    tcache_open(&desk);
    struct bundle_merge_opts o = {.guard = fx->g, .today = TODAY, .officer = "bob"};
    struct bundle_result r;
    assert_int_equal(bundle_import(desk.db, fx->bpath, &o, &r, &err), 0);
    assert_true(r.loaded);
    bundle_result_free(&r);
    assert_string_equal(q(desk.db, "SELECT count(*) FROM threads", NULL), "3");
    assert_string_equal(q(desk.db, "PRAGMA journal_mode", NULL), "wal");
    assert_int_equal(bundle_import(desk.db, fx->bpath, &o, &r, &err), -1);
    assert_non_null(strstr(err, "already loaded"));
    free(err);
    assert_int_equal(triage_set_state(desk.db, "bob", 3, "no_action", NULL, &err), 0);
    struct bundle_merge_opts home = {.guard = fx->g, .today = TODAY, .officer = "cat"};
    assert_int_equal(bundle_import(fx->c.db, desk.path, &home, &r, &err), 0);
    assert_false(r.loaded);
    assert_int_equal(r.napplied, 1);
    bundle_result_free(&r);
    assert_string_equal(q(fx->c.db, "SELECT state FROM threads WHERE id = 3", NULL),
                        "no_action");
    tcache_close(&desk);
}

/* A bundle never reaches the platforms: sync and send refuse it with a sentence, even with
 * an approved reply waiting in its outbox. */
static void
test_bundle_refuses_network(void **state)
{
    struct fixture *fx = *state;
    char *err = NULL;
    long id, ob;
    assert_int_equal(bundle_refuse_network(fx->c.db, "sync", &err), 0);
    export_all(fx);
    assert_int_equal(draft_create(fx->off, "bob", 1, NULL, NULL, "Thanks Alice.", &id, &err),
                     0);
    assert_int_equal(submit_on(fx, fx->off, "bob", id, false), DRAFT_QUEUED);
    (void)ob;
    assert_int_equal(bundle_refuse_network(fx->off, "send replies", &err), -1);
    assert_non_null(strstr(err, "offline review bundle"));
    assert_non_null(strstr(err, "cannot send replies"));
    free(err);
    struct config cfg = {0};
    struct http_options ho;
    http_options_default(&ho);
    assert_int_equal(outbox_send_all(fx->off, &cfg, "bob", &ho, NULL, NULL, &err), -1);
    assert_non_null(strstr(err, "offline review bundle"));
    free(err);
    assert_int_equal(sync_accounts(fx->off, &cfg, NULL, 0, &ho, NULL, NULL, NULL, &err), -1);
    assert_non_null(strstr(err, "cannot sync"));
    free(err);
    assert_string_equal(q(fx->off, "SELECT state FROM outbox", NULL), "queued");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_export_contents, setup, teardown),
        cmocka_unit_test_setup_teardown(test_one_side_triage, setup, teardown),
        cmocka_unit_test_setup_teardown(test_both_sides_conflict, setup, teardown),
        cmocka_unit_test_setup_teardown(test_topic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_notes_both_sides, setup, teardown),
        cmocka_unit_test_setup_teardown(test_draft_approved_offline, setup, teardown),
        cmocka_unit_test_setup_teardown(test_draft_returned_offline, setup, teardown),
        cmocka_unit_test_setup_teardown(test_draft_edited, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_times_in_a_bundle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_new_draft_through_guardrails, setup, teardown),
        cmocka_unit_test_setup_teardown(test_merge_twice, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refused_bundles, setup, teardown),
        cmocka_unit_test_setup_teardown(test_load_into_empty_cache, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bundle_refuses_network, setup, teardown),
    };
    return cmocka_run_group_tests_name("model_bundle", tests, NULL, NULL);
}
