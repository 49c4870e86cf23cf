/* Offline review bundles on the command line (cli/cmd_bundle.c), called from cli/cmd_io.c
 * and the commands that reach the platforms. */
#ifndef TACTFUL_CMD_BUNDLE_H
#define TACTFUL_CMD_BUNDLE_H

#include "cli/cli.h"

#include <stddef.h>

/* `export --bundle PATH [--state S | --thread ID...]`. Returns the exit status. */
int bundle_export_cmd(struct cli *cli, const char *path, const char *state, const long *threads,
                      size_t nthreads);

/* `import --bundle PATH`: merge (or load into an empty cache) and print the summary. Returns
 * the exit status: 1 when the bundle was refused or a change was left undone. */
int bundle_import_cmd(struct cli *cli, const char *path);

/* For sync and send on the open cache: 0 when it may reach the platforms, else prints why not
 * (it is a bundle) and returns -1. */
int bundle_refuse_cmd(struct cli *cli, const char *what);

/* What to add after "queued as outbox entry N": that it waits, in a bundle until it is
 * merged, with --offline until `outbox send`; "" otherwise. */
const char *cli_queue_note(struct cli *cli);

#endif
