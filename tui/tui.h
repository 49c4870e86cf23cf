/* The terminal interface: the inbox, the thread view, triage and the help overlay. It reads
 * and changes the cache only through model/. */
#ifndef TACTFUL_TUI_H
#define TACTFUL_TUI_H

#include "model/config.h"
#include "model/db.h"

#include <stddef.h>

struct keymap;
struct guard;
struct pattern_set;

struct tui_opts {
    struct db *db;
    const char *officer;          /* recorded in the audit log */
    int offline;                  /* show the OFFLINE marker */
    int bundle;                   /* the cache is an offline review bundle: nothing is sent */
    int autosend;                 /* send the outbox in the background once a reply is queued
                                   * (online, with accounts configured) */
    const struct keymap *keymap;  /* the bindings in force (see tui/keymap.h) */
    const char *open_cmd;         /* [tactful] open_cmd, or NULL */
    const struct guard *guard;    /* the guardrails drafts are checked with, or NULL */
    const struct pattern_set *patterns; /* the ready-reckoner's patterns, or NULL */
    const char *signature;        /* [tactful] signature, or NULL */
    const struct config_colour *colours; /* [colours] (roles checked with
                                          * tui_colour_role_check) */
    size_t ncolours;
    const struct config_search *searches; /* [searches]: extra tabs of the inbox */
    size_t nsearches;
    const char *inbox_columns;    /* [tactful] inbox_columns (checked with
                                   * tui_inbox_columns_check), or NULL for the default */
    const struct config *config;  /* the accounts to sync, sync_interval and notify; or NULL */
    const char *today;            /* "YYYY-MM-DD" for the election period; NULL: today */
    const char *business_hours;   /* [tactful] business_hours (checked at load), or NULL */
    /* How the send action runs `tactful outbox send` in a child: this program's path, and the
     * cache and configuration to give it (config_path NULL: the child finds its own). */
    const char *exe;
    const char *db_path;
    const char *config_path;
};

/* Checks an inbox_columns value (column names separated by spaces or commas): returns 0, or
 * -1 with *err set to a sentence that names the problem and the columns there are. */
int tui_inbox_columns_check(const char *spec, char **err);

/* Checks that a key of [colours] names a colour role there is: returns 0, or -1 with *err set
 * to a sentence naming the roles there are (and the likely one when it looks mistyped). */
int tui_colour_role_check(const char *role, char **err);

/* The i-th colour role's name (*name) and what has it, for tactful(5); NULL past the last. */
const char *tui_role_help(size_t i, const char **name);

/* Runs the interface on the terminal until the officer quits (or SIGINT, SIGTERM, SIGHUP).
 * Returns 0, or -1 with *err set when the terminal cannot be used. */
int tui_run(const struct tui_opts *opts, char **err);

#endif
