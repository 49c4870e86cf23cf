/* Option parsing from the tables: getopt_long's arrays are built from a command's (or the
 * global) option table, so what is parsed is what the help describes. */
#include "cli/cli.h"

#include <getopt.h>
#include <string.h>

/* The most options one table holds. */
#define OPTIONS_MAX 16

/* Fills longopts (ending with a zeroed entry) and shortopts (":" and the letters, "+" first
 * when stop is set) from opts. */
static void
options_build(const struct cli_option *opts, int stop, struct option *longopts,
              char *shortopts)
{
    size_t n = 0, k = 0;
    if (stop)
        shortopts[k++] = '+';
    shortopts[k++] = ':';
    for (; opts && opts[n].name && n < OPTIONS_MAX; n++) {
        longopts[n] = (struct option){opts[n].name,
                                      opts[n].arg ? required_argument : no_argument, NULL,
                                      opts[n].key};
        if (opts[n].has_short) {
            shortopts[k++] = (char)opts[n].key;
            if (opts[n].arg)
                shortopts[k++] = ':';
        }
    }
    longopts[n] = (struct option){NULL, 0, NULL, 0};
    shortopts[k] = '\0';
}

/* getopt_long over the option table opts; stop: stop at the first operand. */
static int
options_next(const struct cli_option *opts, int stop, int argc, char **argv)
{
    struct option longopts[OPTIONS_MAX + 1];
    char shortopts[2 * OPTIONS_MAX + 3];
    options_build(opts, stop, longopts, shortopts);
    return getopt_long(argc, argv, shortopts, longopts, NULL);
}

int
cli_getopt(const char *name, int argc, char **argv)
{
    const struct cli_command *cmd = cli_command_find(name);
    int c = options_next(cmd ? cmd->options : NULL, 0, argc, argv);
    if (c == ':') {
        cli_usage(name, "option '%s' needs a value", argv[optind - 1]);
        return CLI_OPT_ERROR;
    }
    if (c == '?') {
        cli_usage(name, "unknown option '%s'", argv[optind - 1]);
        return CLI_OPT_ERROR;
    }
    return c;
}

int
cli_getopt_global(int argc, char **argv)
{
    return options_next(cli_global_options, 1, argc, argv);
}
