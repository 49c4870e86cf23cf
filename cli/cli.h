/* The command line: global options, the command table and shared output helpers. */
#ifndef TACTFUL_CLI_H
#define TACTFUL_CLI_H

#include "model/config.h"
#include "model/db.h"
#include "model/thread.h"

#include <jansson.h>
#include <stdio.h>
#include <time.h>

/* Exit statuses. */
#define EXIT_OK 0
#define EXIT_FAIL 1
#define EXIT_USAGE 2

/* The officer the demo workspace is worked as when none is named. */
#define CLI_DEMO_OFFICER "sam.patel"

/* What every command gets: global options, the configuration and (opened on demand) the
 * cache. Owned by main. */
struct cli {
    char *db_path;
    char *config_path;
    int config_explicit;    /* --config or TACTFUL_CONFIG given: the file must exist */
    int offline;
    int demo;
    char *demo_dir;         /* the private demo copy, removed at exit */
    struct config *cfg;
    char *officer;
    struct db *db;
};

/* Help text in the tables (commands, options, configuration and rule-file keys) is written
 * once and rendered both for a terminal and for the manual (cli/doc.c): sentences on lines
 * of their own, joined and refilled; a blank line starts a paragraph; a line starting with
 * two spaces is kept as it is (an example); `text in backquotes` is literal, bold in the
 * manual. */

/* One option of a command (or a global option): what getopt_long is given, and its help. */
struct cli_option {
    const char *name;       /* the long name, without "--" */
    int key;                /* what cli_getopt returns for it */
    int has_short;          /* key is also its short form, as in -o */
    const char *arg;        /* the value's name in the help, or NULL when it takes none */
    const char *help;       /* what it does */
};

struct cli_command {
    const char *name;
    const char *usage;      /* arguments after the command name */
    const char *summary;    /* one line for `tactful --help` */
    const struct cli_option *options; /* ending with a zeroed entry, or NULL for none */
    const char *help;       /* the rest of `tactful help NAME` and the manual's entry */
    int (*run)(struct cli *cli, int argc, char **argv);
};

/* The keys of the global options without a short form (-h and -V have theirs). */
enum cli_global_key { CLI_GOPT_DB = 256, CLI_GOPT_CONFIG, CLI_GOPT_OFFLINE, CLI_GOPT_DEMO };

/* The global options (before the command name), ending with a zeroed entry. */
extern const struct cli_option cli_global_options[];

/* The command table, ending with a zeroed entry. */
extern const struct cli_command cli_commands[];

/* The commands, one file each or grouped by what they share (cli/cmd_*.c). */
int cmd_inbox(struct cli *cli, int argc, char **argv);
int cmd_list(struct cli *cli, int argc, char **argv);
int cmd_search(struct cli *cli, int argc, char **argv);
int cmd_show(struct cli *cli, int argc, char **argv);
int cmd_mark(struct cli *cli, int argc, char **argv);
int cmd_tag(struct cli *cli, int argc, char **argv);
int cmd_assign(struct cli *cli, int argc, char **argv);
int cmd_priority(struct cli *cli, int argc, char **argv);
int cmd_snooze(struct cli *cli, int argc, char **argv);
int cmd_topic(struct cli *cli, int argc, char **argv);
int cmd_note(struct cli *cli, int argc, char **argv);
int cmd_audit(struct cli *cli, int argc, char **argv);
int cmd_import(struct cli *cli, int argc, char **argv);
int cmd_export(struct cli *cli, int argc, char **argv);
int cmd_keys(struct cli *cli, int argc, char **argv);
int cmd_sync(struct cli *cli, int argc, char **argv);
int cmd_outbox(struct cli *cli, int argc, char **argv);
int cmd_accounts(struct cli *cli, int argc, char **argv);
int cmd_check(struct cli *cli, int argc, char **argv);
int cmd_rules(struct cli *cli, int argc, char **argv);
int cmd_patterns(struct cli *cli, int argc, char **argv);
int cmd_reply(struct cli *cli, int argc, char **argv);
int cmd_drafts(struct cli *cli, int argc, char **argv);
int cmd_approve(struct cli *cli, int argc, char **argv);
int cmd_return(struct cli *cli, int argc, char **argv);
int cmd_discard(struct cli *cli, int argc, char **argv);
int cmd_submit(struct cli *cli, int argc, char **argv);
int cmd_insight(struct cli *cli, int argc, char **argv);
int cmd_help(struct cli *cli, int argc, char **argv);

struct guard;

/* Loads the guardrails for command cmd: the shipped packs, the policy (policy, else
 * [tactful] policy) and the officer's rules file beside the configuration. Prints every
 * problem and returns NULL on failure (cli/cmd_check.c). */
struct guard *cli_guard_open(struct cli *cli, const char *cmd, const char *policy);

const struct cli_command *cli_command_find(const char *name);

/* Prints the overall help: usage, the commands, the global options. */
void cli_print_help(FILE *f);

/* Prints `tactful help NAME` for command c: usage, summary, what it does, its options. */
void cli_print_command_help(FILE *f, const struct cli_command *c);

/* What cli_getopt returns after printing a usage error (an unknown option, a missing value). */
#define CLI_OPT_ERROR (-2)

/* The next option of command name's table in argv, parsed by getopt_long (start with
 * optind = 0): the option's key, -1 when the options end (optind is then the first operand),
 * or CLI_OPT_ERROR after printing the usage error. Operands and options may mix. */
int cli_getopt(const char *name, int argc, char **argv);

/* The next global option in argv (cli_global_options), stopping at the command name: its
 * key, -1 at the end, ':' when it needs a value, '?' when unknown. */
int cli_getopt_global(int argc, char **argv);

/* Writes help text (markup as above) for a terminal: paragraphs refilled to width columns,
 * every line indented by indent; col is the column the first line starts at. */
void cli_doc_text(FILE *f, const char *text, int col, int indent, int width);

/* Writes help text as roff: one source line per line, backquoted text bold, a blank line
 * as para (".PP" at the top level, ".IP" inside an item), examples unfilled. */
void cli_doc_roff(FILE *f, const char *text, const char *para);

/* Writes s as roff inline text: backslashes and minus signs escaped, a leading dot or quote
 * protected. */
void cli_roff_escape(FILE *f, const char *s);

/* Opens the cache (creating its folder) unless already open. Returns 0, or prints the reason
 * and returns -1. */
int cli_open_db(struct cli *cli);

/* Prints "tactful: MESSAGE" to stderr with the message made safe for a terminal. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints a usage error for command name with a hint to its help; returns EXIT_USAGE. */
int cli_usage(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* After a failed write to standard output (errno set by it): a reader that has gone away
 * (EPIPE, when SIGPIPE is ignored; otherwise SIGPIPE has already ended the process quietly)
 * ends the command quietly with EXIT_OK, since what is left would go nowhere; any other
 * failure (a full disk) is reported and gives EXIT_FAIL. */
int cli_output_gone(void);

/* Parses a positive thread id; prints a usage error and returns -1 when it is not one. */
long cli_thread_id(const char *cmd, const char *s);

/* Finds a shipped data file (the demo, keymaps ...) and returns its newly allocated path, or
 * NULL. Looks in the folders of $TACTFUL_DATADIR (':'-separated), then next to the binary (BINDIR/share/REL and BINDIR/REL
 * in a source tree, BINDIR/../share/tactful/REL when installed), then the compiled-in data
 * folder, then (tactful-portable) the copy built into the binary, unpacked into the cache. */
char *cli_data_path(const char *rel);

/* Creates dir and its parents with mode 0700. Returns 0 or -1 with errno set. */
int cli_mkdir_p(const char *dir);

/* Removes dir and everything under it, following no links; what cannot be removed stays. */
void cli_remove_tree(const char *dir);

/* The newly allocated path of rel in tactful's configuration folder:
 * $XDG_CONFIG_HOME/tactful/REL, else ~/.config/tactful/REL. */
char *cli_config_file(const char *rel);

struct keymap;

/* Loads the key bindings in force: the shipped keymaps/default.keys, then the [tactful]
 * keymap setting (a path, or a shipped flavour's name such as vi), else
 * $XDG_CONFIG_HOME/tactful/keys when it exists. Prints every problem as FILE:LINE: message.
 * Returns EXIT_OK with *out set, EXIT_USAGE for a broken keymap, EXIT_FAIL when the shipped
 * keymap cannot be found. */
int cli_keymap_load(struct cli *cli, struct keymap **out);

/* Sets up the private demo workspace: a temporary cache loaded with the demo threads, worked
 * as CLI_DEMO_OFFICER when no officer is named. */
int cli_demo_setup(struct cli *cli);

/* Removes the demo workspace, if any. */
void cli_demo_cleanup(struct cli *cli);

/* Output helpers (cli/output.c). */
void out_safe(FILE *f, const char *s, int flags);
void out_thread_line(FILE *f, const struct thread_row *r, int width, time_t now);
void out_thread_header(FILE *f, int width);
json_t *out_thread_json(const struct thread_row *r);
/* Prints j followed by a newline and releases it. */
void out_json(FILE *f, json_t *j);
/* The width to lay text out to: the terminal's when f is one, else 0 (no limit). */
int out_width(FILE *f);

#endif
