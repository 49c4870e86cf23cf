/* `tactful help`: the overall help, one command's help, and the manual's generated sections
 * (`tactful help --man SECTION`), all rendered from the tables: the commands and their
 * options (cli/commands.c), the configuration keys (model/config.c) and the rule-file keys
 * (model/guard_rules.c). */
#include "cli/cli.h"

#include "model/config.h"
#include "model/guard.h"
#include "model/xmalloc.h"
#include "tui/tui.h"

#include <ctype.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

/* The width help text is filled to on a terminal. */
#define HELP_WIDTH 79
/* The column option help starts at. */
#define HELP_OPTCOL 18

/* Writes an option's name and value as they are typed: "-o, --output FILE". */
static int
option_label(FILE *f, const struct cli_option *o)
{
    int n = 0;
    if (o->has_short)
        n += fprintf(f, "-%c, ", o->key);
    n += fprintf(f, "--%s", o->name);
    if (o->arg)
        n += fprintf(f, " %s", o->arg);
    return n;
}

/* Prints an option table for a terminal, each option's help beside its name. */
static void
print_options(FILE *f, const struct cli_option *opts, int first_sentence)
{
    for (const struct cli_option *o = opts; o->name; o++) {
        int col = fprintf(f, "  ");
        col += option_label(f, o);
        if (col >= HELP_OPTCOL - 1) {
            fputc('\n', f);
            col = 0;
        }
        if (!first_sentence) {
            cli_doc_text(f, o->help, col, HELP_OPTCOL, HELP_WIDTH);
            continue;
        }
        /* The overview gives the first sentence only; `help` of a command gives the rest. */
        const char *end = strstr(o->help, ".\n");
        size_t n = end ? (size_t)(end - o->help) + 1 : strlen(o->help);
        char sentence[512];
        snprintf(sentence, sizeof sentence, "%.*s\n", (int)n, o->help);
        cli_doc_text(f, sentence, col, HELP_OPTCOL, HELP_WIDTH);
    }
}

void
cli_print_help(FILE *f)
{
    fprintf(f, "usage: tactful [OPTIONS] [COMMAND [ARGS]]\n\n"
               "A keyboard-driven terminal inbox for public-sector social media officers.\n"
               "With no command, tactful opens the terminal interface.\n\nCommands:\n");
    for (const struct cli_command *c = cli_commands; c->name; c++)
        fprintf(f, "  %-10s %s\n", c->name, c->summary);
    fprintf(f, "\nGlobal options:\n");
    print_options(f, cli_global_options, 1);
    fprintf(f, "\nExit status: 0 success, 1 failure, 2 usage or configuration error.\n"
               "See tactful(1) and tactful(5).\n");
}

void
cli_print_command_help(FILE *f, const struct cli_command *c)
{
    fprintf(f, "usage: tactful %s%s%s\n\n%s\n", c->name, *c->usage ? " " : "", c->usage,
            c->summary);
    if (*c->help) {
        fputc('\n', f);
        cli_doc_text(f, c->help, 0, 0, HELP_WIDTH);
    }
    if (c->options && c->options->name) {
        fprintf(f, "\nOptions:\n");
        print_options(f, c->options, 0);
    }
}

/* ---- The manual's sections, in roff. ---- */

/* Writes a usage line in roff: options and literal words bold, placeholders italic. */
static void
usage_roff(FILE *f, const char *usage)
{
    const char *s = usage;
    int space = 0;
    while (*s) {
        if (isspace((unsigned char)*s)) {
            while (isspace((unsigned char)*s))
                s++;
            space = 1;
            continue;
        }
        if (space)
            fputc(' ', f);
        space = 0;
        if (strchr("[]|()", *s)) {
            fputc(*s++, f);
            continue;
        }
        const char *w = s;
        while (*s && !isspace((unsigned char)*s) && !strchr("[]|()", *s))
            s++;
        size_t n = (size_t)(s - w);
        size_t dots = n >= 3 && strncmp(s - 3, "...", 3) == 0 ? 3 : 0;
        size_t sign = (w[0] == '+' || w[0] == '-') && n > 1 && isupper((unsigned char)w[1]);
        if (sign)
            fputs(w[0] == '-' ? "\\-" : "+", f);
        int upper = 0;
        for (size_t i = sign; i < n - dots; i++)
            upper |= isupper((unsigned char)w[i]) != 0;
        fputs(upper ? "\\fI" : "\\fB", f);
        for (size_t i = sign; i < n - dots; i++)
            fputs(w[i] == '-' ? "\\-" : (char[2]){w[i], 0}, f);
        fputs("\\fR", f);
        if (dots)
            fputs("...", f);
    }
}

/* Writes an option table as roff .TP items. */
static void
options_roff(FILE *f, const struct cli_option *opts)
{
    for (const struct cli_option *o = opts; o->name; o++) {
        fputs(".TP\n", f);
        if (o->has_short)
            fprintf(f, "\\fB\\-%c\\fR, ", o->key);
        fputs("\\fB\\-\\-", f);
        cli_roff_escape(f, o->name);
        fputs("\\fR", f);
        if (o->arg) {
            fputs(" \\fI", f);
            cli_roff_escape(f, o->arg);
            fputs("\\fR", f);
        }
        fputc('\n', f);
        cli_doc_roff(f, o->help, ".IP");
    }
}

/* Writes the comment that opens a generated section. */
static void
generated(FILE *f, const char *what, const char *from)
{
    fprintf(f, ".\\\" Generated by `tactful help --man %s` from %s;\n"
               ".\\\" do not edit by hand (make man updates it).\n",
            what, from);
}

/* tactful(1)'s OPTIONS: the global options. */
static void
man_options(FILE *f)
{
    generated(f, "options", "the global option table in cli/commands.c");
    options_roff(f, cli_global_options);
}

/* tactful(1)'s COMMANDS: each command's usage, summary, help and options. */
static void
man_commands(FILE *f)
{
    generated(f, "commands", "the command table in cli/commands.c");
    for (const struct cli_command *c = cli_commands; c->name; c++) {
        fprintf(f, ".TP\n\\fBtactful %s\\fR", c->name);
        if (*c->usage) {
            fputc(' ', f);
            usage_roff(f, c->usage);
        }
        fputc('\n', f);
        char *summary = xasprintf("%c%s.", toupper((unsigned char)c->summary[0]),
                                  c->summary + 1);
        cli_roff_escape(f, summary);
        fputc('\n', f);
        free(summary);
        cli_doc_roff(f, c->help, ".IP");
        if (c->options && c->options->name) {
            fputs(".RS\n", f);
            options_roff(f, c->options);
            fputs(".RE\n", f);
        }
    }
}

/* Writes a "key = VALUE" item label: the key bold, what it takes as in a usage line. */
static void
key_label(FILE *f, const char *key, const char *value)
{
    fputs(".TP\n\\fB", f);
    cli_roff_escape(f, key);
    fputs("\\fR = ", f);
    usage_roff(f, value);
    fputc('\n', f);
}

/* The keys of one configuration section as .TP items, each with its default. */
static void
man_config_section(FILE *f, enum config_section section)
{
    struct config_key_doc d;
    for (size_t i = 0; config_key_doc(section, i, &d) == 0; i++) {
        key_label(f, d.name, d.value);
        cli_doc_roff(f, d.help, ".IP");
        if (d.def) {
            fputs("Without it: ", f);
            cli_roff_escape(f, d.def);
            fputs(".\n", f);
        }
    }
}

/* tactful(5)'s keys of the [tactful] section. */
static void
man_config(FILE *f)
{
    generated(f, "config", "the key table in model/config.c");
    man_config_section(f, CONFIG_SECTION_TACTFUL);
}

/* tactful(5)'s keys of an [account NAME] section. */
static void
man_config_account(FILE *f)
{
    generated(f, "config-account", "the key table in model/config.c");
    man_config_section(f, CONFIG_SECTION_ACCOUNT);
}

/* tactful(5)'s colour roles of the [colours] section. */
static void
man_colours(FILE *f)
{
    generated(f, "colours", "the role table in tui/colour.c");
    const char *name, *help;
    for (size_t i = 0; (help = tui_role_help(i, &name)) != NULL; i++) {
        fputs(".TP\n\\fB", f);
        cli_roff_escape(f, name);
        fputs("\\fR\n", f);
        cli_roff_escape(f, help);
        fputs(".\n", f);
    }
}

/* tactful(5)'s keys of a rule section, each with where it may be given. */
static void
man_rule_keys(FILE *f)
{
    generated(f, "rule-keys", "the rule key table in model/guard_rules.c");
    struct guard_rule_key_doc d;
    for (size_t i = 0; guard_rule_key_doc(i, &d) == 0; i++) {
        key_label(f, d.name, d.value);
        cli_doc_roff(f, d.help, ".IP");
        if (*d.kinds)
            fprintf(f, "Only in %s rules.\n", d.kinds);
        if (d.policy_only)
            fputs("Only in the policy.\n", f);
        if (d.repeat)
            fputs("May be given more than once.\n", f);
        if (d.changeable)
            fputs("A later file may change it on a rule defined earlier.\n", f);
    }
}

/* The manual's generated sections. */
static const struct {
    const char *name;
    void (*print)(FILE *f);
} man_sections[] = {
    {"options", man_options},
    {"commands", man_commands},
    {"config", man_config},
    {"config-account", man_config_account},
    {"colours", man_colours},
    {"rule-keys", man_rule_keys},
};

int
cmd_help(struct cli *cli, int argc, char **argv)
{
    (void)cli;
    const char *man = NULL;
    int c;
    optind = 0;
    while ((c = cli_getopt("help", argc, argv)) != -1) {
        if (c == CLI_OPT_ERROR)
            return EXIT_USAGE;
        man = optarg;
    }
    if (man) {
        if (optind < argc)
            return cli_usage("help", "--man prints a section of the manual; give no command");
        for (size_t i = 0; i < sizeof man_sections / sizeof man_sections[0]; i++) {
            if (strcmp(man_sections[i].name, man) == 0) {
                man_sections[i].print(stdout);
                return EXIT_OK;
            }
        }
        return cli_usage("help", "no manual section '%s'; use options, commands, config, "
                                 "config-account or rule-keys", man);
    }
    if (optind >= argc) {
        cli_print_help(stdout);
        return EXIT_OK;
    }
    if (argc - optind > 1)
        return cli_usage("help", "give one command, as in `tactful help list`");
    const struct cli_command *cmd = cli_command_find(argv[optind]);
    if (cmd == NULL)
        return cli_usage("help", "no command '%s'", argv[optind]);
    cli_print_command_help(stdout, cmd);
    return EXIT_OK;
}
