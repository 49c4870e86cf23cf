/* `tactful` with no command: the terminal interface. */
#include "cli/cli.h"

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
    if (cli_open_db(cli) != 0)
        return EXIT_FAIL;
    struct tui_opts opts = {cli->db, cli->officer, cli->offline};
    char *err = NULL;
    if (tui_run(&opts, &err) != 0) {
        cli_error("%s", err);
        free(err);
        return EXIT_FAIL;
    }
    return EXIT_OK;
}
