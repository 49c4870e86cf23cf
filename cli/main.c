/* tactful's entry point: global options, configuration, then one command from the table. */
#include "cli/cli.h"

#include "cli/embedded.h"
#include "model/file.h"
#include "model/text.h"
#include "model/xmalloc.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Returns a newly allocated path under an XDG base folder. */
static char *
xdg_path(const char *env, const char *fallback, const char *rel)
{
    const char *base = getenv(env);
    if (base && *base == '/')
        return xasprintf("%s/tactful/%s", base, rel);
    const char *home = getenv("HOME");
    return xasprintf("%s/%s/tactful/%s", home && *home ? home : ".", fallback, rel);
}

/* Loads the configuration named by the options, printing every problem. */
static int
load_config(struct cli *cli)
{
    char *err = NULL;
    cli->cfg = config_load(cli->config_path, !cli->config_explicit, &err);
    if (cli->cfg == NULL) {
        char *safe = text_sanitize(err, strlen(err), TEXT_MULTILINE);
        fprintf(stderr, "%s\ntactful: fix the configuration, or point --config elsewhere\n",
                safe);
        free(safe);
        free(err);
        return -1;
    }
    cli->officer = config_officer(cli->cfg);
    return 0;
}

/* Whether a command's arguments hold option (such as --help) before any "--". */
static int
has_option(int argc, char **argv, const char *option)
{
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
        if (strcmp(argv[i], option) == 0)
            return 1;
    return 0;
}

/* Frees what the context owns and removes the demo copy. */
static void
cli_free(struct cli *cli)
{
    db_close(cli->db);
    cli->db = NULL;
    cli_demo_cleanup(cli);
    config_free(cli->cfg);
    free(cli->officer);
    free(cli->db_path);
    free(cli->config_path);
}

int
main(int argc, char **argv)
{
    struct cli cli = {0};
    int c, rc;

    cli_locale_init();
    cli_terminfo_fallback();
    umask(077); /* the cache holds personal data from posts: keep every file private */
    opterr = 0;
    while ((c = cli_getopt_global(argc, argv)) != -1) {
        switch (c) {
        case CLI_GOPT_DB:
            free(cli.db_path);
            cli.db_path = xstrdup(optarg);
            break;
        case CLI_GOPT_CONFIG:
            free(cli.config_path);
            cli.config_path = xstrdup(optarg);
            cli.config_explicit = 1;
            break;
        case CLI_GOPT_OFFLINE:
            cli.offline = 1;
            break;
        case CLI_GOPT_DEMO:
            cli.demo = 1;
            break;
        case 'h':
            cli_print_help(stdout);
            cli_free(&cli);
            return EXIT_OK;
        case 'V':
            printf("tactful %s\n", TACTFUL_VERSION);
            cli_free(&cli);
            return EXIT_OK;
        case ':':
            cli_error("option '%s' needs a value; try 'tactful --help'", argv[optind - 1]);
            cli_free(&cli);
            return EXIT_USAGE;
        default:
            cli_error("unknown option '%s'; try 'tactful --help'", argv[optind - 1]);
            cli_free(&cli);
            return EXIT_USAGE;
        }
    }
    if (cli.db_path == NULL && getenv("TACTFUL_DB") && *getenv("TACTFUL_DB"))
        cli.db_path = xstrdup(getenv("TACTFUL_DB"));
    if (cli.config_path == NULL && getenv("TACTFUL_CONFIG") && *getenv("TACTFUL_CONFIG")) {
        cli.config_path = xstrdup(getenv("TACTFUL_CONFIG"));
        cli.config_explicit = 1;
    }
    if (cli.config_path == NULL)
        cli.config_path = xdg_path("XDG_CONFIG_HOME", ".config", "config");

    const char *name = optind < argc ? argv[optind] : "inbox";
    const struct cli_command *cmd = cli_command_find(name);
    if (cmd == NULL) {
        cli_error("unknown command '%s'; try 'tactful --help'", name);
        cli_free(&cli);
        return EXIT_USAGE;
    }
    if (optind < argc && has_option(argc - optind, argv + optind, "--help")) {
        cli_print_command_help(stdout, cmd);
        cli_free(&cli);
        return EXIT_OK;
    }
    if (strcmp(cmd->name, "help") == 0) {
        rc = cmd->run(&cli, argc - optind, argv + optind);
        cli_free(&cli);
        return rc;
    }
    /* `check --config` reads the configuration itself, to list its problems as findings. */
    int checks_config = strcmp(cmd->name, "check") == 0 &&
                        has_option(argc - optind, argv + optind, "--config");
    if (!checks_config && load_config(&cli) != 0) {
        cli_free(&cli);
        return EXIT_USAGE;
    }
    if (cli.demo) {
        if (cli_demo_setup(&cli) != 0) {
            cli_free(&cli);
            return EXIT_FAIL;
        }
    } else if (cli.db_path == NULL) {
        cli.db_path = xdg_path("XDG_DATA_HOME", ".local/share", "cache.db");
    }
    /* Commands see their own name as argv[0], like a program of their own. */
    if (optind >= argc) {
        char *inbox_argv[] = {(char *)"inbox", NULL};
        rc = cmd->run(&cli, 1, inbox_argv);
    } else {
        rc = cmd->run(&cli, argc - optind, argv + optind);
    }
    cli_free(&cli);
    /* Output that did not fit on a full disk is a failure, said as such. */
    if (fflush(stdout) != 0 && (errno == ENOSPC || errno == EDQUOT)) {
        char *why = file_write_error("standard output", errno);
        cli_error("%s", why);
        free(why);
        rc = EXIT_FAIL;
    }
    return rc;
}
