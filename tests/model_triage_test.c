/* Undoing triage changes: every kind of change goes back, is audited as an undo, and nothing
 * is undone when a thread has changed since or the entry is not the officer's to undo. */
#include "testutil.h"

#include "model/audit.h"
#include "model/thread.h"
#include "model/triage.h"

#include <jansson.h>

static int
setup(void **state)
{
    struct tcache *c = xcalloc(1, sizeof *c);
    tcache_open(c);
    struct import_stats st;
    char *err = NULL;
    if (tcache_import(c, FIXTURE, &st, &err) != 0)
        fail_msg("import: %s", err);
    *state = c;
    return 0;
}

static int
teardown(void **state)
{
    struct tcache *c = *state;
    tcache_close(c);
    free(c);
    return 0;
}

/* Reads one text column of thread 1 ("" for NULL). */
static char *
column(struct tcache *c, const char *col)
{
    char *sql = xasprintf("SELECT coalesce(%s, '') FROM threads WHERE id = 1", col);
    sqlite3_stmt *st = db_prepare(c->db, sql, NULL);
    free(sql);
    assert_non_null(st);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    char *v = db_column_strdup(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* Asserts that thread 1's column holds want. */
static void
expect_column(struct tcache *c, const char *col, const char *want)
{
    char *v = column(c, col);
    assert_string_equal(v, want);
    free(v);
}

/* Asserts that the newest audit entry is an undo of entry with the given details. */
static void
expect_undo_entry(struct tcache *c, long entry, const char *details)
{
    struct audit_entry e;
    char *err = NULL;
    long last = tcache_int(c, "SELECT max(id) FROM audit");
    assert_int_equal(audit_get(c->db, last, &e, &err), 0);
    assert_string_equal(e.action, "undo");
    assert_string_equal(e.officer, "sam");
    assert_int_equal(e.thread, 1);
    json_t *got = json_loads(e.details, 0, NULL), *want = json_loads(details, 0, NULL);
    assert_non_null(want);
    json_object_set_new(want, "entry", json_integer(entry));
    if (!json_equal(got, want))
        fail_msg("details %s, expected %s with entry %ld", e.details, details, entry);
    json_decref(got);
    json_decref(want);
    audit_entry_clear(&e);
}

static void
test_undo_each_single_value_change(void **state)
{
    struct tcache *c = *state;
    char *err = NULL;
    long e;

    assert_int_equal(triage_set_state(c->db, "sam", 1, "to_reply", &e, &err), 0);
    assert_int_equal(triage_undo(c->db, "sam", &e, 1, &err), 0);
    expect_column(c, "state", "new");
    expect_undo_entry(c, e, "{\"action\":\"mark\",\"from\":\"to_reply\",\"to\":\"new\"}");

    assert_int_equal(triage_assign(c->db, "sam", 1, "ann", &e, &err), 0);
    assert_int_equal(triage_undo(c->db, "sam", &e, 1, &err), 0);
    expect_column(c, "assignee", "");
    expect_undo_entry(c, e, "{\"action\":\"assign\",\"from\":\"ann\",\"to\":null}");

    assert_int_equal(triage_set_topic(c->db, "sam", 1, "the bins", &e, &err), 0);
    expect_column(c, "topic", "the bins");
    assert_int_equal(triage_set_topic(c->db, "sam", 1, "the bins", NULL, &err), 1);
    assert_int_equal(triage_undo(c->db, "sam", &e, 1, &err), 0);
    expect_column(c, "topic", "");
    expect_undo_entry(c, e, "{\"action\":\"topic\",\"from\":\"the bins\",\"to\":null}");
    assert_int_equal(triage_set_topic(c->db, "sam", 1, "bins\x1b[2J", &e, &err), -1);
    free(err);
    err = NULL;
    assert_int_equal(triage_set_topic(c->db, "sam", 1, "  ", &e, &err), -1);
    free(err);
    err = NULL;

    assert_int_equal(triage_set_priority(c->db, "sam", 1, 3, &e, &err), 0);
    assert_int_equal(triage_undo(c->db, "sam", &e, 1, &err), 0);
    expect_column(c, "priority", "0");
    assert_int_equal(tcache_int(c, "SELECT typeof(priority) = 'integer' FROM threads"
                                   " WHERE id = 1"), 1);

    assert_int_equal(triage_snooze(c->db, "sam", 1, "2030-01-01T09:00:00+01:00", &e, &err), 0);
    assert_int_equal(triage_undo(c->db, "sam", &e, 1, &err), 0);
    expect_column(c, "snoozed_until", "");
    expect_undo_entry(c, e,
                      "{\"action\":\"snooze\",\"from\":\"2030-01-01T08:00:00Z\",\"to\":null}");
}

static void
test_undo_tags_and_notes(void **state)
{
    struct tcache *c = *state;
    char *err = NULL;
    const char *keep[] = {"keep"}, *add[] = {"bins", "urgent"}, *del[] = {"keep"};
    assert_int_equal(triage_tag(c->db, "sam", 1, keep, 1, NULL, 0, NULL, &err), 0);
    long e = 0;
    assert_int_equal(triage_tag(c->db, "sam", 1, add, 2, del, 1, &e, &err), 0);
    assert_int_equal(triage_undo(c->db, "sam", &e, 1, &err), 0);
    assert_int_equal(tcache_int(c, "SELECT count(*) FROM thread_tags WHERE thread_id = 1"), 1);
    assert_int_equal(tcache_int(c, "SELECT count(*) FROM thread_tags WHERE thread_id = 1"
                                   " AND tag = 'keep'"), 1);
    expect_undo_entry(c, e, "{\"action\":\"tag\",\"added\":[\"keep\"],"
                            "\"removed\":[\"bins\",\"urgent\"]}");

    assert_int_equal(triage_note(c->db, "sam", 1, "first", NULL, &err), 0);
    assert_int_equal(triage_note(c->db, "sam", 1, "second", &e, &err), 0);
    assert_int_equal(triage_undo(c->db, "sam", &e, 1, &err), 0);
    assert_int_equal(tcache_int(c, "SELECT count(*) FROM notes WHERE thread_id = 1"), 1);
    assert_int_equal(tcache_int(c, "SELECT count(*) FROM notes WHERE body = 'first'"), 1);
    expect_undo_entry(c, e, "{\"action\":\"note\",\"text\":\"second\"}");
}

static void
test_undo_several_entries_at_once(void **state)
{
    struct tcache *c = *state;
    char *err = NULL;
    long e[3];
    assert_int_equal(triage_set_state(c->db, "sam", 1, "waiting", &e[0], &err), 0);
    assert_int_equal(triage_set_state(c->db, "sam", 2, "waiting", &e[1], &err), 0);
    assert_int_equal(triage_set_state(c->db, "sam", 1, "closed", &e[2], &err), 0);
    /* Last first: closed goes back to waiting, then waiting to new. */
    assert_int_equal(triage_undo(c->db, "sam", e, 3, &err), 0);
    expect_column(c, "state", "new");
    assert_int_equal(tcache_int(c, "SELECT state = 'new' FROM threads WHERE id = 2"), 1);
    assert_int_equal(tcache_int(c, "SELECT count(*) FROM audit WHERE action = 'undo'"), 3);
}

static void
test_nothing_is_undone_after_a_later_change(void **state)
{
    struct tcache *c = *state;
    char *err = NULL;
    long e[2];
    assert_int_equal(triage_set_state(c->db, "sam", 2, "to_reply", &e[0], &err), 0);
    assert_int_equal(triage_set_state(c->db, "sam", 1, "to_reply", &e[1], &err), 0);
    assert_int_equal(triage_set_state(c->db, "ann", 2, "escalated", NULL, &err), 0);
    long before = tcache_int(c, "SELECT count(*) FROM audit");
    assert_int_equal(triage_undo(c->db, "sam", e, 2, &err), -1);
    assert_non_null(strstr(err, "thread 2 has changed since"));
    free(err);
    err = NULL;
    /* All or nothing: thread 1 keeps its state too, and nothing is audited. */
    expect_column(c, "state", "to_reply");
    assert_int_equal(tcache_int(c, "SELECT count(*) FROM audit"), before);
}

static void
test_refuses_other_officers_undos_and_unknown_entries(void **state)
{
    struct tcache *c = *state;
    char *err = NULL;
    long e = 0;
    assert_int_equal(triage_set_state(c->db, "ann", 1, "replied", &e, &err), 0);
    assert_int_equal(triage_undo(c->db, "sam", &e, 1, &err), -1);
    assert_non_null(strstr(err, "made by ann"));
    free(err);
    err = NULL;
    assert_int_equal(triage_undo(c->db, "ann", &e, 1, &err), 0);
    long u = tcache_int(c, "SELECT max(id) FROM audit");
    assert_int_equal(triage_undo(c->db, "ann", &u, 1, &err), -1);
    assert_non_null(strstr(err, "(undo) cannot be undone"));
    free(err);
    err = NULL;
    long missing = 999999;
    assert_int_equal(triage_undo(c->db, "ann", &missing, 1, &err), -1);
    assert_string_equal(err, "no audit entry 999999");
    free(err);
}

/* The entry a change gives back is its own audit entry, whatever the connection inserted
 * afterwards; a call that changes nothing leaves it alone. */
static void
test_entry_is_the_changes_audit_entry(void **state)
{
    struct tcache *c = *state;
    char *err = NULL;
    long e = 0;
    assert_int_equal(triage_set_state(c->db, "sam", 1, "waiting", &e, &err), 0);
    assert_int_equal(e, tcache_int(c, "SELECT id FROM audit WHERE action = 'mark'"
                                      " AND thread_id = 1"));
    struct import_stats st;
    const char *more = "{\"platform\":\"mastodon\",\"account\":\"dept\",\"thread\":\"100\","
                       "\"id\":\"103\",\"parent\":\"102\",\"author\":\"@bo@x.example\","
                       "\"created_at\":\"2026-11-20T12:00:00Z\",\"text\":\"later\"}\n";
    if (tcache_import(c, more, &st, &err) != 0)
        fail_msg("import: %s", err);
    assert_int_equal(triage_undo(c->db, "sam", &e, 1, &err), 0);
    expect_column(c, "state", "new");
    long untouched = -7;
    assert_int_equal(triage_set_state(c->db, "sam", 1, "new", &untouched, &err), 1);
    assert_int_equal(untouched, -7);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_undo_each_single_value_change, setup, teardown),
        cmocka_unit_test_setup_teardown(test_undo_tags_and_notes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_undo_several_entries_at_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nothing_is_undone_after_a_later_change, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_entry_is_the_changes_audit_entry, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refuses_other_officers_undos_and_unknown_entries,
                                        setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
