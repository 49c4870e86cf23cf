/* The terminal interface: the inbox, the thread view, triage and the help overlay. It reads
 * and changes the cache only through model/. */
#ifndef TACTFUL_TUI_H
#define TACTFUL_TUI_H

#include "model/db.h"

struct keymap;

struct tui_opts {
    struct db *db;
    const char *officer;          /* recorded in the audit log */
    int offline;                  /* show the OFFLINE marker */
    const struct keymap *keymap;  /* the bindings in force (see tui/keymap.h) */
    const char *open_cmd;         /* [tactful] open_cmd, or NULL */
};

/* Runs the interface on the terminal until the officer quits (or SIGINT, SIGTERM, SIGHUP).
 * Returns 0, or -1 with *err set when the terminal cannot be used. */
int tui_run(const struct tui_opts *opts, char **err);

#endif
