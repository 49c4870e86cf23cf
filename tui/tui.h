/* The terminal interface. */
#ifndef TACTFUL_TUI_H
#define TACTFUL_TUI_H

#include "model/db.h"

struct tui_opts {
    struct db *db;
    const char *officer;
    int offline;
};

/* Runs the interface until the officer quits. Returns 0, or -1 with *err set. */
int tui_run(const struct tui_opts *opts, char **err);

#endif
