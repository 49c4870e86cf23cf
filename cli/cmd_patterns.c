/* The ready-reckoner from the command line: loading the pattern files (shipped, then the
 * office's) and `tactful patterns`. */
#include "cli/cmd_reply.h"

#include "model/text.h"
#include "model/xmalloc.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

/* Prints a pattern loading error, made safe for a terminal. */
static void
print_problem(char *err)
{
    char *safe = text_sanitize(err, strlen(err), TEXT_MULTILINE);
    fprintf(stderr, "%s\ntactful: fix the pattern files named above; see PATTERN FILES in "
                    "tactful(5)\n", safe);
    free(safe);
    free(err);
}

/* Loads the shipped patterns, then [tactful] patterns (which must exist) or
 * $XDG_CONFIG_HOME/tactful/patterns (when it exists). Returns EXIT_OK with *out set,
 * EXIT_USAGE for a broken file, EXIT_FAIL when the shipped patterns are missing. */
int
cli_patterns_load(struct cli *cli, struct pattern_set **out)
{
    char *dir = cli_data_path("patterns");
    if (dir == NULL) {
        cli_error("cannot find the shipped patterns (the patterns folder); reinstall tactful "
                  "or set TACTFUL_DATADIR to its share folder");
        return EXIT_FAIL;
    }
    struct pattern_set *set = pattern_set_new();
    char *err = NULL;
    int rc = pattern_load_dir(set, dir, false, &err);
    free(dir);
    if (rc == 0) {
        const char *office = cli->cfg ? cli->cfg->patterns : NULL;
        char *mine = office ? xstrdup(office) : cli_config_file("patterns");
        rc = pattern_load_dir(set, mine, office == NULL, &err);
        free(mine);
    }
    if (rc != 0) {
        print_problem(err);
        pattern_set_free(set);
        return EXIT_USAGE;
    }
    *out = set;
    return EXIT_OK;
}

/* One pattern as a JSON object. */
static json_t *
pattern_json(const struct pattern *p)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(p->id));
    json_object_set_new(o, "key", json_integer(p->key));
    json_object_set_new(o, "name", json_string(p->name));
    json_object_set_new(o, "purpose", json_string(p->purpose));
    json_object_set_new(o, "use_when", p->use_when ? json_string(p->use_when) : json_null());
    json_object_set_new(o, "avoid_when",
                        p->avoid_when ? json_string(p->avoid_when) : json_null());
    json_t *t = json_array();
    for (size_t i = 0; i < p->ntemplates; i++) {
        json_t *e = json_object();
        json_object_set_new(e, "platform", p->templates[i].platform
                                               ? json_string(p->templates[i].platform)
                                               : json_null());
        json_object_set_new(e, "text", json_string(p->templates[i].text));
        json_array_append_new(t, e);
    }
    json_object_set_new(o, "templates", t);
    json_object_set_new(o, "expect_link", json_boolean(p->expect_link));
    json_object_set_new(o, "expect_source", json_boolean(p->expect_source));
    json_object_set_new(o, "approval", json_boolean(p->approval));
    json_object_set_new(o, "file", json_string(p->file));
    json_object_set_new(o, "line", json_integer(p->line));
    return o;
}

/* Prints one pattern as text: key, id, name, purpose and what it expects. */
static void
pattern_print(const struct pattern *p)
{
    printf("%c  %-16s ", p->key ? '0' + p->key : '-', p->id);
    out_safe(stdout, p->purpose, 0);
    if (p->expect_link)
        printf(" (needs a link)");
    if (p->expect_source)
        printf(" (needs an official source)");
    if (p->approval)
        printf(" (needs approval)");
    printf("\n");
}

int
cmd_patterns(struct cli *cli, int argc, char **argv)
{
    static const struct option longopts[] = {{"json", no_argument, NULL, 'j'}, {0}};
    bool json = false;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (c != 'j')
            return cli_usage("patterns", "unknown option");
        json = true;
    }
    if (optind != argc)
        return cli_usage("patterns", "takes no arguments");
    struct pattern_set *set;
    int rc = cli_patterns_load(cli, &set);
    if (rc != EXIT_OK)
        return rc;
    json_t *all = json ? json_array() : NULL;
    for (size_t i = 0; i < set->n; i++) {
        if (json)
            json_array_append_new(all, pattern_json(&set->items[i]));
        else
            pattern_print(&set->items[i]);
    }
    if (json)
        out_json(stdout, all);
    pattern_set_free(set);
    return EXIT_OK;
}
