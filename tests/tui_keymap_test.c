/* Keymap files: key names both ways, bind/unbind/include, layering, lookups, and every kind
 * of problem reported as FILE:LINE with the keymap left untouched. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "model/xmalloc.h"
#include "tui/actions.h"
#include "tui/keymap.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Parses name, expecting success, and returns the key. */
static int
key(const char *name)
{
    int k = -1;
    if (keymap_key_parse(name, &k) != 0)
        fail_msg("key name '%s' was refused", name);
    return k;
}

/* Asserts that name parses and prints back as canonical. */
static void
round_trip(const char *name, const char *canonical)
{
    char out[KEYMAP_NAME_MAX];
    keymap_key_name(key(name), out);
    if (strcmp(out, canonical) != 0)
        fail_msg("'%s' printed as '%s', expected '%s'", name, out, canonical);
}

static void
test_key_names(void **state)
{
    (void)state;
    assert_int_equal(key("j"), 'j');
    assert_int_equal(key("Enter"), '\r');
    assert_int_equal(key("C-m"), '\r');
    assert_int_equal(key("C-j"), '\r');
    assert_int_equal(key("Tab"), '\t');
    assert_int_equal(key("C-i"), '\t');
    assert_int_equal(key("Esc"), 27);
    assert_int_equal(key("C-["), 27);
    assert_int_equal(key("C-h"), KEYMAP_FN | KEY_BACKSPACE);
    assert_int_equal(key("Backspace"), KEYMAP_FN | KEY_BACKSPACE);
    assert_int_equal(key("C-x"), 24);
    assert_int_equal(key("C-X"), 24);
    assert_int_equal(key("C-Space"), 0);
    assert_int_equal(key("M-x"), KEYMAP_META | 'x');
    assert_int_equal(key("M-C-x"), KEYMAP_META | 24);
    assert_int_equal(key("C-M-x"), KEYMAP_META | 24);
    assert_int_equal(key("PgDn"), KEYMAP_FN | KEY_NPAGE);
    assert_int_equal(key("pagedown"), KEYMAP_FN | KEY_NPAGE);
    assert_int_equal(key("F1"), KEYMAP_FN | KEY_F(1));
    assert_int_equal(key("F12"), KEYMAP_FN | KEY_F(12));
    assert_int_equal(key("é"), 0xe9);

    round_trip("j", "j");
    round_trip("C-m", "Enter");
    round_trip("Return", "Enter");
    round_trip("escape", "Esc");
    round_trip("C-x", "C-x");
    round_trip("M-C-x", "M-C-x");
    round_trip("M-<", "M-<");
    round_trip("F5", "F5");
    round_trip("PageUp", "PgUp");
    round_trip("S-Tab", "BTab");
    round_trip("C-Space", "C-Space");
    round_trip("C-_", "C-_");
    round_trip("ü", "ü");
    round_trip("M-Enter", "M-Enter");

    int k;
    static const char *const bad[] = {"", "jj", "F13", "F0", "C-1", "Hyper-x", "C-", "\x7f",
                                      "Ctrl-x", "\xc3", "ab\xc3\xa9", "M-"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (keymap_key_parse(bad[i], &k) == 0)
            fail_msg("key name '%s' should be refused", bad[i]);
}

/* Loads text into km, expecting success. */
static void
load_ok(struct keymap *km, const char *text)
{
    char *err = NULL;
    if (keymap_load_text(km, text, "test.keys", NULL, &err) != 0)
        fail_msg("unexpected problems:\n%s", err);
}

/* The name of the action key runs in ctx, or "-". */
static const char *
runs(const struct keymap *km, enum keymap_context ctx, const char *name)
{
    const struct tui_action *a = keymap_resolve(km, ctx, key(name));
    return a ? a->name : "-";
}

static void
test_bind_lookup_and_global_fallback(void **state)
{
    (void)state;
    struct keymap *km = keymap_new();
    load_ok(km, "# comment\n"
                "\n"
                "bind global q quit\n"
                "  bind inbox j down   # trailing comment\n"
                "bind thread q back\n"
                "bind\tinbox\tEnter\topen\r\n"
                "bind inbox s set-state\n"
                "bind inbox # help\n");
    assert_int_equal(km->n, 6);
    assert_string_equal(runs(km, KM_INBOX, "j"), "down");
    assert_string_equal(runs(km, KM_INBOX, "C-j"), "open"); /* C-j is Enter */
    assert_string_equal(runs(km, KM_INBOX, "q"), "quit");   /* from global */
    assert_string_equal(runs(km, KM_THREAD, "q"), "back");  /* the screen's own wins */
    assert_string_equal(runs(km, KM_THREAD, "j"), "-");
    assert_string_equal(runs(km, KM_INBOX, "#"), "help");
    /* A global action bound in a screen context is that global action. */
    assert_ptr_equal(keymap_lookup(km, KM_INBOX, 's'), tui_action_find(KM_GLOBAL, "set-state"));
    /* Same name, different rows: down in the inbox is not down in the thread view. */
    assert_ptr_not_equal(tui_action_find(KM_INBOX, "down"), tui_action_find(KM_THREAD, "down"));
    assert_null(tui_action_find(KM_GLOBAL, "down"));

    char keys[64];
    load_ok(km, "bind inbox Down down\n");
    assert_int_equal(keymap_keys_for(km, KM_INBOX, tui_action_find(KM_INBOX, "down"), keys,
                                     sizeof keys), 2);
    assert_string_equal(keys, "j, Down");
    keymap_free(km);
}

static void
test_layers_override_and_unbind(void **state)
{
    (void)state;
    struct keymap *km = keymap_new();
    load_ok(km, "bind inbox j down\nbind inbox k up\nbind global q quit\n");
    /* A later file may rebind a key an earlier one bound: no duplicate there. */
    load_ok(km, "bind inbox j up\nunbind inbox k\nunbind inbox z\n");
    assert_string_equal(runs(km, KM_INBOX, "j"), "up");
    assert_string_equal(runs(km, KM_INBOX, "k"), "-");
    assert_string_equal(runs(km, KM_INBOX, "q"), "quit");
    assert_int_equal(km->n, 2);
    assert_string_equal(km->bindings[0].file, "test.keys");
    keymap_free(km);
}

/* Loads text expecting problems; checks the report and that km did not change. */
static void
load_fails(const char *text, const char *want)
{
    struct keymap *km = keymap_new();
    load_ok(km, "bind inbox j down\n");
    char *err = NULL;
    assert_int_equal(keymap_load_text(km, text, "my.keys", NULL, &err), -1);
    if (strcmp(err, want) != 0)
        fail_msg("problems:\n%s\nexpected:\n%s", err, want);
    free(err);
    assert_int_equal(km->n, 1);
    assert_string_equal(runs(km, KM_INBOX, "j"), "down");
    keymap_free(km);
}

static void
test_problems_name_file_and_line(void **state)
{
    (void)state;
    load_fails("bind inbox x explode\n"
               "bind lobby q quit\n"
               "bind inbox Hyper-q quit\n"
               "bind thread j down\n"
               "bind thread j up\n"
               "bind inbox q\n"
               "bind inbox q quit now\n"
               "bnid inbox q quit\n"
               "bind inbox q quit\n"
               "bind global back back\n"
               "bind thread C-j back\n"
               "bind thread Enter down\n",
               "my.keys:1: unknown action 'explode' in context inbox; `tactful keys --actions` "
               "lists them\n"
               "my.keys:2: unknown context 'lobby'; contexts are global, inbox, thread, "
               "reckoner, composer, drafts, audit, reports, help and prompt\n"
               "my.keys:3: unknown key 'Hyper-q'; write a character, a name such as Enter, "
               "Esc, Tab, Space, Up, PgDn or F1, or C-x and M-x\n"
               "my.keys:5: j is bound twice in context thread (first at line 4)\n"
               "my.keys:6: expected 'bind CONTEXT KEY ACTION'\n"
               "my.keys:7: expected 'bind CONTEXT KEY ACTION'; a comment after it starts with "
               "#\n"
               "my.keys:8: unknown directive 'bnid'; lines are bind, unbind, include or # "
               "comments\n"
               "my.keys:10: unknown key 'back'; write a character, a name such as Enter, Esc, "
               "Tab, Space, Up, PgDn or F1, or C-x and M-x\n"
               "my.keys:12: Enter is bound twice in context thread (first at line 11)");
    load_fails("bind inbox j\x1b[2J down\n", "my.keys:1: the line contains a control character");
    load_fails("bind reckoner q open\n", "my.keys:1: unknown action 'open' in context reckoner; "
                                         "`tactful keys --actions` lists them");
}

static void
test_include_and_files(void **state)
{
    (void)state;
    char dir[] = "/tmp/tactful-keymap-test-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *shipped = xasprintf("%s/flavour.keys", dir), *mine = xasprintf("%s/mine.keys", dir);
    char *loop = xasprintf("%s/loop.keys", dir);
    FILE *f = fopen(shipped, "w");
    fputs("bind inbox C-f page-down\nbind inbox j down\n", f);
    fclose(f);
    f = fopen(mine, "w");
    fputs("include flavour\nbind inbox j up   # rebinding an included key is fine\n", f);
    fclose(f);
    f = fopen(loop, "w");
    fputs("include loop.keys\n", f);
    fclose(f);

    struct keymap *km = keymap_new();
    char *err = NULL;
    assert_int_equal(keymap_load(km, mine, dir, &err), 0);
    assert_string_equal(runs(km, KM_INBOX, "C-f"), "page-down");
    assert_string_equal(runs(km, KM_INBOX, "j"), "up");
    assert_string_equal(km->bindings[0].file, shipped);

    assert_int_equal(keymap_load(km, loop, dir, &err), -1);
    assert_non_null(strstr(err, "loop.keys:1: includes nested more than 8 deep"));
    free(err);
    err = NULL;

    char *missing = xasprintf("%s/missing.keys", dir);
    assert_int_equal(keymap_load(km, missing, dir, &err), -1);
    char *want = xasprintf("%s: cannot read the keymap: No such file or directory", missing);
    assert_string_equal(err, want);
    free(want);
    free(err);
    err = NULL;
    f = fopen(mine, "w");
    fputs("include nothing-here\n", f);
    fclose(f);
    assert_int_equal(keymap_load(km, mine, dir, &err), -1);
    assert_non_null(strstr(err, "mine.keys:1: cannot include"));
    free(err);
    assert_int_equal(km->n, 2); /* untouched by the failed loads */

    keymap_free(km);
    unlink(shipped);
    unlink(mine);
    unlink(loop);
    rmdir(dir);
    free(shipped);
    free(mine);
    free(loop);
    free(missing);
}

/* The shipped keymaps load cleanly, alone and as the flavours on top of the default, every
 * action of the inbox and thread view has a key by default, and no flavour takes the last
 * key of an action away (the emacs flavour's M-v scrolls, so toggle-collapse has M-t). */
static void
test_shipped_keymaps(void **state)
{
    (void)state;
    struct keymap *km = keymap_new();
    char *err = NULL;
    if (keymap_load(km, "keymaps/default.keys", "keymaps", &err) != 0)
        fail_msg("default.keys:\n%s", err);
    for (const struct tui_action *a = tui_actions; a->name; a++) {
        char keys[64];
        if (tui_action_in(a, KM_GLOBAL) && a->arg && strncmp(a->name, "state-", 6) == 0)
            continue; /* one-key states are for users who want them */
        if (tui_action_in(a, KM_GLOBAL) && strcmp(a->name, "unassign") == 0)
            continue;
        for (int ctx = 0; ctx < KM_NCONTEXTS; ctx++)
            if (tui_action_in(a, ctx) && keymap_keys_for(km, ctx, a, keys, sizeof keys) == 0)
                fail_msg("action %s (%s) has no default key", a->name,
                         keymap_context_name(ctx));
    }
    static const char *const flavours[] = {"keymaps/vi.keys", "keymaps/emacs.keys"};
    for (size_t i = 0; i < 2; i++) {
        struct keymap *layered = keymap_new();
        assert_int_equal(keymap_load(layered, "keymaps/default.keys", "keymaps", &err), 0);
        if (keymap_load(layered, flavours[i], "keymaps", &err) != 0)
            fail_msg("%s:\n%s", flavours[i], err);
        for (const struct tui_action *a = tui_actions; a->name; a++) {
            char keys[64];
            for (int ctx = 0; ctx < KM_NCONTEXTS; ctx++)
                if (tui_action_in(a, ctx) && keymap_keys_for(km, ctx, a, keys, sizeof keys) &&
                    keymap_keys_for(layered, ctx, a, keys, sizeof keys) == 0)
                    fail_msg("%s leaves action %s (%s) without a key", flavours[i], a->name,
                             keymap_context_name(ctx));
        }
        keymap_free(layered);
    }
    keymap_free(km);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_names),
        cmocka_unit_test(test_bind_lookup_and_global_fallback),
        cmocka_unit_test(test_layers_override_and_unbind),
        cmocka_unit_test(test_problems_name_file_and_line),
        cmocka_unit_test(test_include_and_files),
        cmocka_unit_test(test_shipped_keymaps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
