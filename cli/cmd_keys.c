/* `tactful keys`: the key bindings in force (as a keymap file), the actions they can name, a
 * check of keymap files, and the manual's key list; and the loading of the bindings the
 * inbox uses. */
#include "cli/cli.h"

#include "model/text.h"
#include "model/xmalloc.h"
#include "tui/actions.h"
#include "tui/keymap.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Prints keymap problems ("FILE:LINE: message" lines) made safe for a terminal, then what to
 * do about them. */
static void
print_problems(const char *err)
{
    char *safe = text_sanitize(err, strlen(err), TEXT_MULTILINE);
    fprintf(stderr, "%s\n", safe);
    free(safe);
}

/* The shipped default keymap's path and its folder, or an error printed. */
static int
shipped(char **path, char **dir)
{
    *path = cli_data_path("keymaps/default.keys");
    if (*path == NULL) {
        cli_error("cannot find the shipped key bindings (keymaps/default.keys); reinstall "
                  "tactful or set TACTFUL_DATADIR to its share folder");
        return -1;
    }
    char *slash = strrchr(*path, '/');
    *dir = slash ? xstrndup(*path, (size_t)(slash - *path)) : xstrdup(".");
    return 0;
}

/* The user's keymap file: the keymap setting (a path or a shipped flavour), else the keys
 * file in the configuration folder when there is one; NULL for none. Sets *bad when the
 * setting names no flavour. */
static char *
user_keymap(struct cli *cli, const char *dir, int *bad)
{
    const char *setting = cli->cfg ? cli->cfg->keymap : NULL;
    *bad = 0;
    if (setting && strchr(setting, '/') == NULL) {
        char *path = xasprintf("%s/%s.keys", dir, setting);
        if (access(path, R_OK) == 0)
            return path;
        cli_error("keymap = %s: no such shipped keymap (shipped: default, vi, emacs); give a "
                  "file's path instead", setting);
        free(path);
        *bad = 1;
        return NULL;
    }
    if (setting)
        return xstrdup(setting);
    char *path = cli_config_file("keys");
    if (access(path, F_OK) == 0)
        return path;
    free(path);
    return NULL;
}

int
cli_keymap_load(struct cli *cli, struct keymap **out)
{
    char *def, *dir, *err = NULL;
    *out = NULL;
    if (shipped(&def, &dir) != 0)
        return EXIT_FAIL;
    struct keymap *km = keymap_new();
    int bad = 0, rc = EXIT_OK;
    char *user = NULL;
    if (keymap_load(km, def, dir, &err) != 0) {
        rc = EXIT_FAIL; /* the shipped file is broken: an installation problem */
    } else {
        user = user_keymap(cli, dir, &bad);
        if (bad || (user && keymap_load(km, user, dir, &err) != 0))
            rc = EXIT_USAGE;
    }
    if (err) {
        print_problems(err);
        fprintf(stderr, "tactful: fix the key bindings; `tactful keys --check FILE` checks "
                        "a keymap file\n");
        free(err);
    }
    free(user);
    free(def);
    free(dir);
    if (rc != EXIT_OK) {
        keymap_free(km);
        return rc;
    }
    *out = km;
    return EXIT_OK;
}

/* Prints the bindings in force as a keymap file that would recreate them. */
static void
list_bindings(const struct keymap *km)
{
    printf("# The key bindings in force, in keymap file form (see tactful(5)).\n");
    for (int ctx = 0; ctx < KM_NCONTEXTS; ctx++) {
        int any = 0;
        for (size_t i = 0; i < km->n; i++) {
            const struct keymap_binding *b = &km->bindings[i];
            if ((int)b->ctx != ctx)
                continue;
            if (!any++)
                printf("\n# %s\n", keymap_context_name(ctx));
            char name[KEYMAP_NAME_MAX];
            keymap_key_name(b->key, name);
            char *line = xasprintf("bind %s %s %s", keymap_context_name(ctx), name,
                                   b->action->name);
            char *safe = text_sanitize(line, strlen(line), 0); /* a key may be any character */
            printf("%-40s # %s\n", safe, b->action->help);
            free(safe);
            free(line);
        }
    }
}

/* Prints every action with its context and description. */
static void
list_actions(void)
{
    printf("%-9s %-16s %s\n", "CONTEXT", "ACTION", "WHAT IT DOES");
    for (const struct tui_action *a = tui_actions; a->name; a++)
        for (int ctx = 0; ctx < KM_NCONTEXTS; ctx++)
            if (tui_action_in(a, ctx))
                printf("%-9s %-16s %s\n", keymap_context_name(ctx), a->name, a->help);
}

/* Writes s for roff: backslashes, minus signs and a leading dot or quote escaped. */
static void
roff(FILE *f, const char *s)
{
    if (*s == '.' || *s == '\'')
        fputs("\\&", f);
    for (; *s; s++) {
        if (*s == '\\')
            fputs("\\e", f);
        else if (*s == '-')
            fputs("\\-", f);
        else
            fputc(*s, f);
    }
}

/* Prints the manual's list of actions with the shipped default keys, one section per
 * context, in roff. */
static void
print_man(const struct keymap *km)
{
    static const char *const titles[KM_NCONTEXTS] = {
        [KM_GLOBAL] = "Keys on every screen",
        [KM_INBOX] = "Keys in the inbox",
        [KM_THREAD] = "Keys in the thread view",
        [KM_RECKONER] = "Keys in the ready\\-reckoner (beside the thread view)",
        [KM_COMPOSER] = "Keys in the composer (other characters type themselves)",
        [KM_DRAFTS] = "Keys in the drafts and approvals view",
        [KM_AUDIT] = "Keys in the audit log",
        [KM_HELP] = "Keys in the help overlay (any other key closes it)",
        [KM_PROMPT] = "Keys when a question is asked on the bottom line (other characters "
                      "type themselves)",
    };
    printf(".\\\" Generated by `tactful keys --man` from the action table and\n"
           ".\\\" keymaps/default.keys; do not edit by hand (make man updates it).\n");
    for (int ctx = 0; ctx < KM_NCONTEXTS; ctx++) {
        printf(".SS %s\n", titles[ctx]);
        for (const struct tui_action *a = tui_actions; a->name; a++) {
            if (!tui_action_in(a, ctx))
                continue;
            printf(".TP 16\n");
            int any = 0;
            for (size_t i = 0; i < km->n; i++) {
                if (km->bindings[i].action != a || (int)km->bindings[i].ctx != ctx)
                    continue;
                char name[KEYMAP_NAME_MAX];
                keymap_key_name(km->bindings[i].key, name);
                printf("%s\\fB", any++ ? ", " : "");
                roff(stdout, name);
                printf("\\fR");
            }
            if (!any)
                printf("(no key)");
            /* The table's help is a phrase; the manual wants a sentence. */
            char *sentence = xasprintf("%c%s.", a->help[0] >= 'a' && a->help[0] <= 'z'
                                                    ? a->help[0] - 'a' + 'A'
                                                    : a->help[0],
                                       a->help + 1);
            printf("\n");
            roff(stdout, sentence);
            free(sentence);
            printf("\n(\\fB");
            roff(stdout, a->name);
            printf("\\fR)\n");
        }
    }
}

/* Checks keymap files on their own; prints each one's verdict. */
static int
check_files(int argc, char **argv)
{
    char *def = cli_data_path("keymaps/default.keys"), *dir = NULL;
    if (def) {
        char *slash = strrchr(def, '/');
        dir = xstrndup(def, slash ? (size_t)(slash - def) : 0);
    }
    int rc = EXIT_OK;
    for (int i = 0; i < argc; i++) {
        struct keymap *km = keymap_new();
        char *err = NULL;
        if (keymap_load(km, argv[i], dir, &err) != 0) {
            print_problems(err);
            free(err);
            rc = EXIT_USAGE;
        } else {
            char *safe = text_sanitize(argv[i], strlen(argv[i]), 0);
            printf("%s: %zu binding%s, no problems\n", safe, km->n, km->n == 1 ? "" : "s");
            free(safe);
        }
        keymap_free(km);
    }
    free(def);
    free(dir);
    return rc;
}

int
cmd_keys(struct cli *cli, int argc, char **argv)
{
    int c, mode = 0, nopts = 0;
    optind = 0;
    while ((c = cli_getopt("keys", argc, argv)) != -1) {
        if (c == CLI_OPT_ERROR)
            return EXIT_USAGE;
        mode = c;
        nopts++;
    }
    if (nopts > 1)
        return cli_usage("keys", "give at most one option");
    if (mode == 'c') {
        if (optind >= argc)
            return cli_usage("keys", "--check needs a keymap file");
        return check_files(argc - optind, argv + optind);
    }
    if (optind < argc)
        return cli_usage("keys", "unexpected argument '%s'", argv[optind]);
    if (mode == 'a') {
        list_actions();
        return EXIT_OK;
    }
    if (mode == 'm') {
        char *def, *dir, *err = NULL;
        if (shipped(&def, &dir) != 0)
            return EXIT_FAIL;
        struct keymap *km = keymap_new();
        int rc = EXIT_OK;
        if (keymap_load(km, def, dir, &err) == 0) {
            print_man(km);
        } else {
            print_problems(err);
            free(err);
            rc = EXIT_FAIL;
        }
        keymap_free(km);
        free(def);
        free(dir);
        return rc;
    }
    struct keymap *km;
    int rc = cli_keymap_load(cli, &km);
    if (rc != EXIT_OK)
        return rc;
    list_bindings(km);
    keymap_free(km);
    return EXIT_OK;
}
