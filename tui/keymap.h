/* Key bindings: key names, keymap files and the lookup the dispatcher uses.
 *
 * A keymap file has one directive a line; blank lines and lines starting with '#' are
 * ignored, and a '#' word after a directive starts a comment:
 *
 *   bind CONTEXT KEY ACTION     bind KEY to ACTION in CONTEXT
 *   unbind CONTEXT KEY          remove the binding of KEY in CONTEXT
 *   include NAME|PATH           read another keymap first (NAME: a shipped flavour such as
 *                               "vi"; a relative PATH is relative to the including file)
 *
 * CONTEXT is global, inbox, thread, reckoner, composer, drafts, audit, reports, help or prompt
 * (tui/screen_list.h lists them). A screen looks a key up in its own context first, then in global; the help overlay only in its own
 * (any other key closes it), and so does the prompt (other characters type themselves).
 * ACTION names a row of the action table (tui/actions.h) for that context, or a global one.
 * KEY is a single character (UTF-8 is fine), a name (Enter Esc Tab BTab Space Backspace Delete
 * Insert Up Down Left Right PgUp PgDn Home End F1..F12), C-x for Control (C-a..C-z,
 * C-Space), M-x for Meta/Alt (Esc then the key), or both (M-C-x).
 * Enter and C-m, Tab and C-i, Esc and C-[, Backspace and C-h are the same key.
 *
 * Files are read in layers, each replacing the bindings of the one before key by key; within
 * one file a key bound twice in one context is an error. */
#ifndef TACTFUL_KEYMAP_H
#define TACTFUL_KEYMAP_H

#include "tui/screen_list.h"

#include <stddef.h>

/* Where a binding applies: one context per line of tui/screen_list.h, in its order (KM_GLOBAL,
 * KM_INBOX, KM_THREAD, KM_RECKONER, KM_COMPOSER, KM_DRAFTS, KM_AUDIT, KM_REPORTS, KM_HELP,
 * KM_PROMPT). */
#define KM_CONTEXT_ROW(id, CTX, ...) KM_##CTX,
enum keymap_context {
    TUI_PLACES(KM_CONTEXT_ROW, KM_CONTEXT_ROW, KM_CONTEXT_ROW, TUI_PLACE_NONE)
    KM_NCONTEXTS
};
#undef KM_CONTEXT_ROW

/* A key is a Unicode code point, or a curses KEY_* code with KEYMAP_FN set; KEYMAP_META adds
 * Meta (Alt) to either. */
#define KEYMAP_FN 0x01000000
#define KEYMAP_META 0x02000000

#define KEYMAP_NAME_MAX 32 /* longest key name keymap_key_name writes, with its NUL */

struct tui_action;

struct keymap_binding {
    enum keymap_context ctx;
    int key;
    const struct tui_action *action;
    char *file;   /* where it was bound, for messages */
    int line;
};

struct keymap {
    struct keymap_binding *bindings;
    size_t n;
};

struct keymap *keymap_new(void);
void keymap_free(struct keymap *km);

/* Reads the keymap file at path on top of km. shipped_dir is the folder of the shipped
 * keymaps, where include looks up a bare NAME (NAME.keys); NULL disables that. On problems
 * km is left as it was, and *err is set to one "FILE:LINE: message" line per problem (all of
 * them, joined with '\n'): unknown contexts, keys, actions and directives, and keys bound twice
 * in one context of one file. Returns 0 or -1. */
int keymap_load(struct keymap *km, const char *path, const char *shipped_dir, char **err);

/* As keymap_load, for text already in memory (named name in messages); include is resolved
 * against shipped_dir and the current folder. */
int keymap_load_text(struct keymap *km, const char *text, const char *name,
                     const char *shipped_dir, char **err);

/* The action bound to key in ctx (not falling back to global), or NULL. */
const struct tui_action *keymap_lookup(const struct keymap *km, enum keymap_context ctx,
                                       int key);

/* The action a key runs on a screen of context ctx: its own binding, else the global one. */
const struct tui_action *keymap_resolve(const struct keymap *km, enum keymap_context ctx,
                                        int key);

/* Writes the names of the keys bound to action in ctx, joined with ", " in file order, to
 * out (cut to cap bytes). Returns the number of keys. */
size_t keymap_keys_for(const struct keymap *km, enum keymap_context ctx,
                       const struct tui_action *action, char *out, size_t cap);

/* Folds the ways terminals send some keys into one (C-j and keypad Enter are Enter; C-h and
 * DEL are Backspace), as bindings are stored. */
int keymap_key_normalize(int key);

/* Whether key is a character a text field types (no Control, Meta or function key). */
int keymap_key_typed(int key);

/* Parses a key name; returns 0 and sets *key, or -1. */
int keymap_key_parse(const char *name, int *key);

/* Writes key's canonical name ("j", "C-x", "M-Enter", "PgDn" ...) to out. */
void keymap_key_name(int key, char out[KEYMAP_NAME_MAX]);

/* A context's name, and the context called name (or -1). */
const char *keymap_context_name(enum keymap_context ctx);
/* What its screen is called ("thread view"), for the help overlay's title. */
const char *keymap_context_screen(enum keymap_context ctx);
/* The title of its section of keys, newly allocated: "In the thread view" in the help
 * overlay, "Keys in the composer (other characters type themselves)" when manual is set. */
char *keymap_context_title(enum keymap_context ctx, int manual);
int keymap_context_parse(const char *name);

#endif
