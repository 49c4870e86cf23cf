/* `tactful` with no command: the terminal interface. */
#include "cli/cli.h"

#include "tui/keymap.h"
#include "tui/tui.h"

#include <stdlib.h>
#include <unistd.h>

int
cmd_inbox(struct cli *cli, int argc, char **argv)
{
    (void)argv;
    if (argc > 1)
        return cli_usage("inbox", "the inbox takes no arguments");
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        cli_error("the inbox needs a terminal; for scripts use `tactful list` or "
                  "`tactful list --json`");
        return EXIT_FAIL;
    }
    struct keymap *km = NULL;
    int rc = cli_keymap_load(cli, &km);
    if (rc != EXIT_OK)
        return rc;
    if (cli_open_db(cli) != 0) {
        keymap_free(km);
        return EXIT_FAIL;
    }
    struct tui_opts opts = {
        .db = cli->db,
        .officer = cli->officer,
        .offline = cli->offline,
        .keymap = km,
        .open_cmd = cli->cfg ? cli->cfg->open_cmd : NULL,
    };
    char *err = NULL;
    rc = EXIT_OK;
    if (tui_run(&opts, &err) != 0) {
        cli_error("%s", err);
        free(err);
        rc = EXIT_FAIL;
    }
    keymap_free(km);
    return rc;
}
