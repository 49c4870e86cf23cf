/* `tactful` with no command: the terminal interface. */
#include "cli/cmd_reply.h"

#include "model/bundle.h"
#include "model/text.h"
#include "model/xmalloc.h"
#include "tui/keymap.h"
#include "tui/tui.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* This program's own path, for the interface to run `tactful outbox send` with: the kernel's
 * link, else argv[0] when it names a file. Newly allocated, or NULL. */
static char *
own_exe(void)
{
    char buf[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n > 0) {
        buf[n] = '\0';
        return xstrdup(buf);
    }
    return NULL;
}

int
cmd_inbox(struct cli *cli, int argc, char **argv)
{
    (void)argv;
    if (argc > 1)
        return cli_usage("inbox", "the inbox takes no arguments");
    /* The colour roles and the columns are the interface's words: read the file again with
     * its checks. */
    char *cerr = NULL;
    struct config *checked = cli->cfg && cli->cfg->path ? cli_config_load_checked(cli, &cerr)
                                                        : NULL;
    if (cerr) {
        char *safe = text_sanitize(cerr, strlen(cerr), TEXT_MULTILINE);
        fprintf(stderr, "%s\ntactful: fix the configuration (`tactful check --config` lists "
                        "every problem)\n", safe);
        free(safe);
        free(cerr);
        return EXIT_FAIL;
    }
    config_free(checked);
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        cli_error("the inbox needs a terminal; for scripts use `tactful list` or "
                  "`tactful list --json`");
        return EXIT_FAIL;
    }
    struct keymap *km = NULL;
    int rc = cli_keymap_load(cli, &km);
    if (rc != EXIT_OK)
        return rc;
    /* Replying needs the patterns and the guardrails; broken files stop us here, with every
     * problem printed, as `tactful check` and `tactful patterns` do. */
    struct pattern_set *patterns = NULL;
    rc = cli_patterns_load(cli, &patterns);
    if (rc != EXIT_OK) {
        keymap_free(km);
        return rc;
    }
    struct guard *guard = cli_guard_open(cli, "inbox", NULL);
    if (guard == NULL) {
        pattern_set_free(patterns);
        keymap_free(km);
        return EXIT_USAGE;
    }
    if (cli_open_db(cli) != 0) {
        guard_free(guard);
        pattern_set_free(patterns);
        keymap_free(km);
        return EXIT_FAIL;
    }
    /* A review bundle never reaches the platforms: the interface says so and works offline. */
    struct bundle_info info;
    char *berr = NULL;
    int bundle = bundle_info_get(cli->db, &info, &berr);
    if (bundle == 1)
        bundle_info_clear(&info);
    free(berr);
    char *exe = own_exe();
    struct tui_opts opts = {
        .db = cli->db,
        .officer = cli->officer,
        .offline = cli->offline || bundle == 1,
        .bundle = bundle == 1,
        .autosend = !cli->offline && bundle == 0 && cli->cfg && cli->cfg->naccounts > 0,
        .keymap = km,
        .open_cmd = cli->cfg ? cli->cfg->open_cmd : NULL,
        .guard = guard,
        .patterns = patterns,
        .signature = cli->cfg ? cli->cfg->signature : NULL,
        .inbox_columns = cli->cfg ? cli->cfg->inbox_columns : NULL,
        .business_hours = cli->cfg ? cli->cfg->business_hours : NULL,
        .colours = cli->cfg ? cli->cfg->colours : NULL,
        .ncolours = cli->cfg ? cli->cfg->ncolours : 0,
        .searches = cli->cfg ? cli->cfg->searches : NULL,
        .nsearches = cli->cfg ? cli->cfg->nsearches : 0,
        .config = cli->cfg,
        .exe = exe,
        .db_path = cli->db_path,
        .config_path = cli->config_explicit ? cli->config_path : NULL,
    };
    char *err = NULL;
    rc = EXIT_OK;
    if (tui_run(&opts, &err) != 0) {
        cli_error("%s", err);
        free(err);
        rc = EXIT_FAIL;
    }
    free(exe);
    guard_free(guard);
    pattern_set_free(patterns);
    keymap_free(km);
    return rc;
}
