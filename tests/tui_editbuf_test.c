/* The composer's text buffer: graphemes, words, lines, wrapping with wide characters, undo
 * and redo, kill and yank, the size bound and what is cleaned out of inserted text. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "tui/editbuf.h"

#include <stdlib.h>
#include <string.h>

#define ACUTE "\xcc\x81"                                   /* U+0301, combining */
#define FLAG_GB "\xf0\x9f\x87\xac\xf0\x9f\x87\xa7"         /* two regional indicators */
#define FLAG_FR "\xf0\x9f\x87\xab\xf0\x9f\x87\xb7"
#define FAMILY "\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7"
#define SCOTLAND "\xf0\x9f\x8f\xb4\xf3\xa0\x81\xa7\xf3\xa0\x81\xa2\xf3\xa0\x81\xb3" \
                 "\xf3\xa0\x81\xa3\xf3\xa0\x81\xb4\xf3\xa0\x81\xbf"
#define THUMBS "\xf0\x9f\x91\x8d"                           /* width 2 */
#define KAN "\xe6\xbc\xa2"                                  /* 漢, width 2 */
#define JI "\xe5\xad\x97"                                   /* 字, width 2 */

/* A buffer holding text (bound 64 KiB) with the cursor at pos. */
static struct editbuf *
with(const char *text, size_t pos)
{
    struct editbuf *eb = editbuf_new(64 * 1024);
    assert_int_equal(editbuf_load(eb, text, strlen(text)), 0);
    editbuf_set_cursor(eb, pos);
    return eb;
}

/* Types s one character (code point) at a time, as keys arrive. */
static void
type(struct editbuf *eb, const char *s)
{
    while (*s) {
        size_t n = 1;
        while (((unsigned char)s[n] & 0xc0) == 0x80)
            n++;
        editbuf_insert(eb, s, n);
        s += n;
    }
}

static void
test_insert_and_versions(void **state)
{
    (void)state;
    struct editbuf *eb = editbuf_new(100);
    assert_string_equal(editbuf_text(eb), "");
    unsigned long v = editbuf_version(eb);
    assert_int_equal(editbuf_insert(eb, "h\xc3\xa9llo", 6), 0);
    assert_string_equal(editbuf_text(eb), "h\xc3\xa9llo");
    assert_int_equal(editbuf_len(eb), 6);
    assert_int_equal(editbuf_cursor(eb), 6);
    assert_true(editbuf_version(eb) > v);
    editbuf_set_cursor(eb, 1);
    editbuf_insert(eb, "X", 1);
    assert_string_equal(editbuf_text(eb), "hX\xc3\xa9llo");
    assert_int_equal(editbuf_cursor(eb), 2);
    v = editbuf_version(eb);
    editbuf_left(eb);
    assert_int_equal(editbuf_version(eb), v); /* moving changes nothing */
    editbuf_free(eb);
}

static void
test_graphemes_move_and_delete_whole(void **state)
{
    (void)state;
    const char *text = "e" ACUTE FLAG_GB FLAG_FR FAMILY SCOTLAND KAN;
    struct editbuf *eb = with(text, strlen(text));
    size_t ends[] = {0, 3, 11, 19, 19 + 18, 19 + 18 + 28, 19 + 18 + 28 + 3};
    for (int i = 6; i > 0; i--) {
        assert_int_equal(editbuf_cursor(eb), ends[i]);
        assert_true(editbuf_left(eb));
    }
    assert_int_equal(editbuf_cursor(eb), 0);
    assert_false(editbuf_left(eb));
    for (int i = 1; i <= 6; i++) {
        assert_true(editbuf_right(eb));
        assert_int_equal(editbuf_cursor(eb), ends[i]);
    }
    assert_false(editbuf_right(eb));
    /* A cursor set inside a grapheme goes to its start. */
    editbuf_set_cursor(eb, 5);
    assert_int_equal(editbuf_cursor(eb), 3);
    editbuf_set_cursor(eb, 30);
    assert_int_equal(editbuf_cursor(eb), 19);
    /* Deleting takes whole graphemes: the second flag, then the family forward. */
    assert_true(editbuf_delete_back(eb));
    assert_string_equal(editbuf_text(eb), "e" ACUTE FLAG_GB FAMILY SCOTLAND KAN);
    assert_true(editbuf_delete_forward(eb));
    assert_string_equal(editbuf_text(eb), "e" ACUTE FLAG_GB SCOTLAND KAN);
    editbuf_set_cursor(eb, 3);
    assert_true(editbuf_delete_back(eb));
    assert_string_equal(editbuf_text(eb), FLAG_GB SCOTLAND KAN);
    editbuf_text_end(eb);
    assert_false(editbuf_delete_forward(eb));
    editbuf_text_start(eb);
    assert_false(editbuf_delete_back(eb));
    editbuf_free(eb);
}

static void
test_regional_indicators_pair_in_context(void **state)
{
    (void)state;
    /* Three flags in a row: moving left from the end must pair the indicators from the
     * start, not from wherever the cursor is. */
    const char *text = "x" FLAG_GB FLAG_FR FLAG_GB;
    struct editbuf *eb = with(text, strlen(text));
    editbuf_left(eb);
    assert_int_equal(editbuf_cursor(eb), 17);
    editbuf_left(eb);
    assert_int_equal(editbuf_cursor(eb), 9);
    editbuf_left(eb);
    assert_int_equal(editbuf_cursor(eb), 1);
    editbuf_free(eb);
}

static void
test_insert_cleans_controls_and_broken_utf8(void **state)
{
    (void)state;
    struct editbuf *eb = editbuf_new(1000);
    const char *paste = "a\x1b[31mb\x07" "c\r\nd\re\tf\x7f\xc2\x9bg";
    assert_int_equal(editbuf_insert(eb, paste, strlen(paste)), EDITBUF_CLEANED);
    assert_string_equal(editbuf_text(eb), "a[31mbc\nd\ne fg");
    editbuf_load(eb, "", 0);
    const char *broken = "\xff\xfe ok \xc3";
    assert_int_equal(editbuf_insert(eb, broken, strlen(broken)), EDITBUF_CLEANED);
    assert_string_equal(editbuf_text(eb), " ok ");
    editbuf_load(eb, "", 0);
    /* Bidi overrides, zero-width space and BOM go; joiners and tag letters stay. */
    const char *tricky = "\xe2\x80\xae" "evil\xe2\x80\xac\xe2\x80\x8b\xef\xbb\xbf" FAMILY
                         SCOTLAND "\xe2\x80\xa8" "x";
    assert_int_equal(editbuf_insert(eb, tricky, strlen(tricky)), EDITBUF_CLEANED);
    assert_string_equal(editbuf_text(eb), "evil" FAMILY SCOTLAND "\nx");
    /* Nothing left after cleaning: nothing changes. */
    unsigned long v = editbuf_version(eb);
    assert_int_equal(editbuf_insert(eb, "\x01\x02", 2), EDITBUF_CLEANED);
    assert_int_equal(editbuf_version(eb), v);
    /* NUL bytes inside the given length are dropped too. */
    assert_int_equal(editbuf_insert(eb, "y\0z", 3), EDITBUF_CLEANED);
    assert_string_equal(editbuf_text(eb), "evil" FAMILY SCOTLAND "\nxyz");
    editbuf_free(eb);
    /* Loading cleans the same way. */
    eb = editbuf_new(100);
    assert_int_equal(editbuf_load(eb, "a\x1b" "b", 3), EDITBUF_CLEANED);
    assert_string_equal(editbuf_text(eb), "ab");
    editbuf_free(eb);
}

static void
test_bound_never_splits_a_grapheme(void **state)
{
    (void)state;
    struct editbuf *eb = editbuf_new(10);
    assert_int_equal(editbuf_insert(eb, "0123456789abc", 13), EDITBUF_FULL);
    assert_string_equal(editbuf_text(eb), "0123456789");
    assert_int_equal(editbuf_insert(eb, "x", 1), EDITBUF_FULL);
    assert_int_equal(editbuf_len(eb), 10);
    editbuf_free(eb);
    eb = editbuf_new(4);
    assert_int_equal(editbuf_insert(eb, "abe" ACUTE, 5), EDITBUF_FULL);
    assert_string_equal(editbuf_text(eb), "ab");
    editbuf_free(eb);
    eb = editbuf_new(19);
    assert_int_equal(editbuf_insert(eb, "ab" FAMILY, 20), EDITBUF_FULL);
    assert_string_equal(editbuf_text(eb), "ab");
    assert_int_equal(editbuf_insert(eb, FLAG_GB FLAG_FR FLAG_GB, 24), EDITBUF_FULL);
    assert_string_equal(editbuf_text(eb), "ab" FLAG_GB FLAG_FR);
    editbuf_free(eb);
    /* Loading and replacing are bounded too. */
    eb = editbuf_new(5);
    assert_int_equal(editbuf_load(eb, "abcdefgh", 8), EDITBUF_FULL);
    assert_string_equal(editbuf_text(eb), "abcde");
    assert_int_equal(editbuf_set_text(eb, "12345678", 8), EDITBUF_FULL);
    assert_string_equal(editbuf_text(eb), "12345");
    editbuf_free(eb);
}

static void
test_words(void **state)
{
    (void)state;
    const char *text = "Hello, w\xc3\xb6rld  foo_bar\nnext line";
    struct editbuf *eb = with(text, 0);
    assert_true(editbuf_word_right(eb));
    assert_int_equal(editbuf_cursor(eb), 5);
    editbuf_word_right(eb);
    assert_int_equal(editbuf_cursor(eb), 13);
    editbuf_word_right(eb);
    assert_int_equal(editbuf_cursor(eb), 22);
    editbuf_word_right(eb);
    assert_int_equal(editbuf_cursor(eb), 27); /* across the newline: "next" */
    editbuf_text_end(eb);
    assert_false(editbuf_word_right(eb));
    editbuf_word_left(eb);
    assert_int_equal(editbuf_cursor(eb), 28);
    editbuf_word_left(eb);
    assert_int_equal(editbuf_cursor(eb), 23);
    editbuf_word_left(eb);
    assert_int_equal(editbuf_cursor(eb), 15);
    editbuf_set_cursor(eb, 10); /* inside wörld */
    editbuf_word_left(eb);
    assert_int_equal(editbuf_cursor(eb), 7);
    editbuf_word_left(eb);
    assert_int_equal(editbuf_cursor(eb), 0);
    assert_false(editbuf_word_left(eb));
    editbuf_free(eb);
    /* Ideographs are letters; combining marks stay inside their word. */
    eb = with(KAN JI " cafe" ACUTE "s!", 0);
    editbuf_word_right(eb);
    assert_int_equal(editbuf_cursor(eb), 6);
    editbuf_word_right(eb);
    assert_int_equal(editbuf_cursor(eb), 14);
    editbuf_free(eb);
}

static void
test_lines_and_ends(void **state)
{
    (void)state;
    struct editbuf *eb = with("first\nsecond\nthird", 8);
    assert_true(editbuf_line_start(eb));
    assert_int_equal(editbuf_cursor(eb), 6);
    assert_false(editbuf_line_start(eb));
    assert_true(editbuf_line_end(eb));
    assert_int_equal(editbuf_cursor(eb), 12);
    assert_true(editbuf_text_start(eb));
    assert_int_equal(editbuf_cursor(eb), 0);
    assert_true(editbuf_text_end(eb));
    assert_int_equal(editbuf_cursor(eb), 18);
    editbuf_line_start(eb);
    assert_int_equal(editbuf_cursor(eb), 13);
    /* Left at a line's start goes onto the newline's near side. */
    editbuf_left(eb);
    assert_int_equal(editbuf_cursor(eb), 12);
    editbuf_free(eb);
}

static void
test_vertical_keeps_the_column(void **state)
{
    (void)state;
    struct editbuf *eb = with("abcdef\nab\nabcdefgh", 5);
    assert_true(editbuf_move_rows(eb, 0, 1));
    assert_int_equal(editbuf_cursor(eb), 9); /* the short line's end */
    editbuf_move_rows(eb, 0, 1);
    assert_int_equal(editbuf_cursor(eb), 15); /* back at column 5 */
    editbuf_move_rows(eb, 0, -2);
    assert_int_equal(editbuf_cursor(eb), 5);
    assert_false(editbuf_move_rows(eb, 0, -1));
    editbuf_move_rows(eb, 0, 10);
    assert_int_equal(editbuf_cursor(eb), 15);
    /* Another movement forgets the goal column. */
    editbuf_line_start(eb);
    editbuf_right(eb);
    editbuf_move_rows(eb, 0, -2);
    assert_int_equal(editbuf_cursor(eb), 1);
    editbuf_free(eb);
    /* Over soft-wrapped rows. */
    eb = with("aaaa bbbb cccc", 1);
    editbuf_move_rows(eb, 5, 1);
    assert_int_equal(editbuf_cursor(eb), 6);
    editbuf_move_rows(eb, 5, 1);
    assert_int_equal(editbuf_cursor(eb), 11);
    editbuf_free(eb);
    /* Display columns, not bytes: column 1 lands before a wide character. */
    eb = with("ab\n" KAN JI, 1);
    editbuf_move_rows(eb, 0, 1);
    assert_int_equal(editbuf_cursor(eb), 3);
    editbuf_set_cursor(eb, 2);
    editbuf_move_rows(eb, 0, 1);
    assert_int_equal(editbuf_cursor(eb), 6);
    editbuf_free(eb);
    /* The end of a soft-wrapped row is not a place to stop: it is the next row's start. */
    eb = with("abcdefgh", 7);
    editbuf_move_rows(eb, 4, -1);
    assert_int_equal(editbuf_cursor(eb), 3);
    editbuf_free(eb);
}

/* Wraps text to width and checks the rows against want ({start, end} pairs). */
static void
check_wrap(const char *text, int width, const size_t *want, size_t nwant)
{
    struct editbuf *eb = with(text, 0);
    struct editbuf_row *rows;
    size_t n = editbuf_wrap(eb, width, &rows);
    assert_int_equal(n, nwant);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(rows[i].start, want[2 * i]);
        assert_int_equal(rows[i].end, want[2 * i + 1]);
    }
    free(rows);
    editbuf_free(eb);
}

static void
test_wrap_by_display_width(void **state)
{
    (void)state;
    check_wrap("hello world foo", 11, (size_t[]){0, 12, 12, 15}, 2);
    check_wrap("abcdefghij", 4, (size_t[]){0, 4, 4, 8, 8, 10}, 3);
    check_wrap(KAN JI KAN JI KAN, 5, (size_t[]){0, 6, 6, 12, 12, 15}, 3);
    check_wrap(THUMBS THUMBS THUMBS, 4, (size_t[]){0, 8, 8, 12}, 2);
    check_wrap("", 10, (size_t[]){0, 0}, 1);
    check_wrap("a\n", 10, (size_t[]){0, 1, 2, 2}, 2);
    check_wrap("one\n\ntwo", 0, (size_t[]){0, 3, 4, 4, 5, 8}, 3);
    /* A combining mark adds no width: "e" + acute five times fits 5 columns. */
    check_wrap("e" ACUTE "e" ACUTE "e" ACUTE "e" ACUTE "e" ACUTE, 5, (size_t[]){0, 15}, 1);
    /* Wrapping never splits a flag. */
    check_wrap("abc" FLAG_GB, 4, (size_t[]){0, 3, 3, 11}, 2);
    /* No wrapping at width 0. */
    check_wrap("aaaa bbbb cccc", 0, (size_t[]){0, 14}, 1);

    struct editbuf *eb = with("aaaa bbbb", 9);
    struct editbuf_row *rows;
    size_t n = editbuf_wrap(eb, 5, &rows), r;
    int col;
    editbuf_locate(eb, rows, n, 9, &r, &col);
    assert_int_equal(r, 1);
    assert_int_equal(col, 4);
    editbuf_locate(eb, rows, n, 5, &r, &col); /* a soft break: the next row's start */
    assert_int_equal(r, 1);
    assert_int_equal(col, 0);
    free(rows);
    editbuf_free(eb);
    eb = with(KAN JI "x", 0);
    n = editbuf_wrap(eb, 0, &rows);
    editbuf_locate(eb, rows, n, 6, &r, &col);
    assert_int_equal(col, 4);
    free(rows);
    editbuf_free(eb);
}

static void
test_show_is_safe(void **state)
{
    (void)state;
    int w;
    char *s = editbuf_show("a", 1, &w);
    assert_string_equal(s, "a");
    assert_int_equal(w, 1);
    free(s);
    s = editbuf_show(KAN, 3, &w);
    assert_int_equal(w, 2);
    free(s);
    s = editbuf_show("\x1b", 1, &w); /* never in the text, but safe if it were */
    assert_null(strchr(s, '\x1b'));
    free(s);
}

static void
test_typing_undoes_as_one_step(void **state)
{
    (void)state;
    struct editbuf *eb = editbuf_new(1000);
    type(eb, "hello w\xc3\xb6rld");
    assert_true(editbuf_undo(eb));
    assert_string_equal(editbuf_text(eb), "");
    assert_int_equal(editbuf_cursor(eb), 0);
    assert_false(editbuf_undo(eb));
    assert_true(editbuf_redo(eb));
    assert_string_equal(editbuf_text(eb), "hello w\xc3\xb6rld");
    assert_int_equal(editbuf_cursor(eb), 12);
    assert_false(editbuf_redo(eb));
    editbuf_free(eb);
    /* A new line starts another step; so does moving. */
    eb = editbuf_new(1000);
    type(eb, "ab\ncd");
    editbuf_left(eb);
    type(eb, "X");
    assert_string_equal(editbuf_text(eb), "ab\ncXd");
    editbuf_undo(eb);
    assert_string_equal(editbuf_text(eb), "ab\ncd");
    assert_int_equal(editbuf_cursor(eb), 4);
    editbuf_undo(eb);
    assert_string_equal(editbuf_text(eb), "ab");
    editbuf_undo(eb);
    assert_string_equal(editbuf_text(eb), "");
    /* A change after undoing forgets the redo steps. */
    editbuf_redo(eb);
    type(eb, "!");
    assert_false(editbuf_redo(eb));
    assert_string_equal(editbuf_text(eb), "ab!");
    editbuf_free(eb);
}

static void
test_erasing_undoes_as_one_step(void **state)
{
    (void)state;
    struct editbuf *eb = with("hello " FLAG_GB, 10);
    editbuf_text_end(eb);
    editbuf_delete_back(eb);
    editbuf_delete_back(eb);
    editbuf_delete_back(eb);
    assert_string_equal(editbuf_text(eb), "hell");
    editbuf_undo(eb);
    assert_string_equal(editbuf_text(eb), "hello " FLAG_GB);
    assert_int_equal(editbuf_cursor(eb), 14);
    editbuf_redo(eb);
    assert_string_equal(editbuf_text(eb), "hell");
    editbuf_free(eb);
    /* Delete forward, kill and yank are steps of their own. */
    eb = with("abc", 0);
    editbuf_delete_forward(eb);
    editbuf_delete_forward(eb);
    editbuf_undo(eb);
    assert_string_equal(editbuf_text(eb), "bc");
    editbuf_undo(eb);
    assert_string_equal(editbuf_text(eb), "abc");
    editbuf_free(eb);
}

static void
test_kill_and_yank(void **state)
{
    (void)state;
    struct editbuf *eb = with("one two three", 13);
    assert_true(editbuf_kill_word_back(eb));
    assert_string_equal(editbuf_text(eb), "one two ");
    assert_string_equal(editbuf_killed(eb, 0), "three");
    editbuf_kill_word_back(eb); /* joins, in text order */
    assert_string_equal(editbuf_text(eb), "one ");
    assert_string_equal(editbuf_killed(eb, 0), "two three");
    assert_true(editbuf_yank(eb, NULL));
    assert_string_equal(editbuf_text(eb), "one two three");
    editbuf_undo(eb);
    assert_string_equal(editbuf_text(eb), "one ");
    editbuf_free(eb);

    eb = with("line1\nline2", 0);
    assert_true(editbuf_kill_line(eb));
    assert_string_equal(editbuf_text(eb), "\nline2");
    assert_true(editbuf_kill_line(eb)); /* at the line's end: the newline */
    assert_string_equal(editbuf_text(eb), "line2");
    assert_string_equal(editbuf_killed(eb, 0), "line1\n");
    editbuf_text_end(eb);
    assert_false(editbuf_kill_line(eb));
    editbuf_yank(eb, NULL);
    assert_string_equal(editbuf_text(eb), "line2line1\n");
    editbuf_free(eb);

    eb = with("abc def", 4);
    assert_true(editbuf_kill_line_start(eb));
    assert_string_equal(editbuf_text(eb), "def");
    editbuf_right(eb); /* not a kill: the next kill is a new entry */
    editbuf_kill_line(eb);
    assert_string_equal(editbuf_killed(eb, 0), "ef");
    assert_string_equal(editbuf_killed(eb, 1), "abc ");
    editbuf_free(eb);

    eb = editbuf_new(100);
    assert_false(editbuf_yank(eb, NULL));
    editbuf_free(eb);

    /* Yanking respects the bound. */
    eb = editbuf_new(8);
    editbuf_insert(eb, "abcdef", 6);
    editbuf_kill_word_back(eb);
    editbuf_yank(eb, NULL);
    int flags = 0;
    editbuf_yank(eb, &flags);
    assert_int_equal(flags, EDITBUF_FULL);
    assert_string_equal(editbuf_text(eb), "abcdefab");
    editbuf_free(eb);
}

static void
test_set_text_is_one_undoable_step(void **state)
{
    (void)state;
    struct editbuf *eb = with("draft", 5);
    assert_int_equal(editbuf_set_text(eb, "new\r\ntext\x1b", 10), EDITBUF_CLEANED);
    assert_string_equal(editbuf_text(eb), "new\ntext");
    assert_int_equal(editbuf_cursor(eb), 8);
    editbuf_undo(eb);
    assert_string_equal(editbuf_text(eb), "draft");
    /* The same text again is no change at all. */
    unsigned long v = editbuf_version(eb);
    editbuf_set_text(eb, "draft", 5);
    assert_int_equal(editbuf_version(eb), v);
    editbuf_free(eb);
}

static void
test_many_steps_stay_bounded(void **state)
{
    (void)state;
    struct editbuf *eb = editbuf_new(64 * 1024);
    for (int i = 0; i < 3000; i++) {
        editbuf_insert(eb, "ab", 2);
        editbuf_left(eb); /* each insert its own step */
    }
    assert_int_equal(editbuf_len(eb), 6000);
    int undone = 0;
    while (editbuf_undo(eb))
        undone++;
    assert_int_equal(undone, 1000);
    assert_int_equal(editbuf_len(eb), 4000);
    editbuf_free(eb);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_insert_and_versions),
        cmocka_unit_test(test_graphemes_move_and_delete_whole),
        cmocka_unit_test(test_regional_indicators_pair_in_context),
        cmocka_unit_test(test_insert_cleans_controls_and_broken_utf8),
        cmocka_unit_test(test_bound_never_splits_a_grapheme),
        cmocka_unit_test(test_words),
        cmocka_unit_test(test_lines_and_ends),
        cmocka_unit_test(test_vertical_keeps_the_column),
        cmocka_unit_test(test_wrap_by_display_width),
        cmocka_unit_test(test_show_is_safe),
        cmocka_unit_test(test_typing_undoes_as_one_step),
        cmocka_unit_test(test_erasing_undoes_as_one_step),
        cmocka_unit_test(test_kill_and_yank),
        cmocka_unit_test(test_set_text_is_one_undoable_step),
        cmocka_unit_test(test_many_steps_stay_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
