/* The ready-reckoner from the command line: loading the pattern files (shipped, then the
 * office's) and `tactful patterns`. */
#include "cli/cmd_reply.h"

#include "model/guard.h"
#include "model/text.h"
#include "model/thread.h"
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

/* What `patterns` was asked: every pattern, or those suggested for a post. */
struct patterns_opts {
    bool json;
    const char *thread;       /* --for ID: the thread, */
    long thread_id;           /* and its number */
    const char *to;           /* --to POST: the post's remote id (default the first post) */
    const char *text;         /* --for-text TEXT, or "-" for standard input */
};

/* Reads standard input (at most GUARD_TEXT_MAX bytes) into a new string, or NULL after
 * saying why. */
static char *
read_stdin(void)
{
    char *data = xmalloc(GUARD_TEXT_MAX + 2);
    size_t n = fread(data, 1, GUARD_TEXT_MAX + 1, stdin);
    if (ferror(stdin) || n > GUARD_TEXT_MAX) {
        cli_error(ferror(stdin) ? "cannot read standard input"
                                : "the post on standard input is larger than 1 MiB");
        free(data);
        return NULL;
    }
    data[n] = '\0';
    return data;
}

/* The text of the post to suggest for: --for-text's, or post --to (default the first) of
 * thread --for from the cache. Returns it newly allocated, or NULL after saying why. */
static char *
post_text(struct cli *cli, const struct patterns_opts *o)
{
    if (o->text)
        return strcmp(o->text, "-") == 0 ? read_stdin() : xstrdup(o->text);
    long id = o->thread_id;
    if (cli_open_db(cli) != 0)
        return NULL;
    char *err = NULL;
    struct thread *t = thread_get(cli->db, id, &err);
    if (t == NULL) {
        cli_error("%s", err);
        free(err);
        return NULL;
    }
    const char *want = o->to ? o->to : t->info.root;
    char *text = NULL;
    for (size_t i = 0; i < t->nposts && text == NULL; i++)
        if (want && strcmp(t->posts[i].remote_id, want) == 0)
            text = xstrdup(t->posts[i].text ? t->posts[i].text : "");
    if (text == NULL)
        cli_error("thread %ld has no post %s; `tactful show %ld` lists its posts", id,
                  want ? want : "(no first post)", id);
    thread_free(t);
    return text;
}

/* One suggestion as a JSON object: the pattern, why, and what in the post said so. */
static json_t *
suggestion_json(const struct guard_suggestion *s, const struct pattern *p, const char *post)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(s->pattern));
    json_object_set_new(o, "key", json_integer(p ? p->key : 0));
    json_object_set_new(o, "name", p && p->name ? json_string(p->name) : json_null());
    json_object_set_new(o, "reason", json_string(s->reason));
    json_object_set_new(o, "rule", json_string(s->rule));
    json_object_set_new(o, "score", json_integer(s->score));
    json_object_set_new(o, "start", json_integer((json_int_t)s->start));
    json_object_set_new(o, "end", json_integer((json_int_t)s->end));
    json_t *m = json_stringn(post + s->start, s->end - s->start);
    json_object_set_new(o, "match", m ? m : json_string(""));
    return o;
}

/* Prints the patterns the suggest rules propose for the post, best first, with reasons. */
static int
print_suggestions(struct cli *cli, const struct patterns_opts *o,
                  const struct pattern_set *set)
{
    char *post = post_text(cli, o);
    if (post == NULL)
        return o->text ? EXIT_USAGE : EXIT_FAIL;
    struct guard *g = cli_guard_open(cli, "patterns", NULL);
    if (g == NULL) {
        free(post);
        return EXIT_USAGE;
    }
    struct guard_suggestions sg;
    char *err = NULL;
    int rc = EXIT_OK;
    if (guard_suggest(g, post, strlen(post), &sg, &err) != 0) {
        cli_error("%s", err);
        free(err);
        rc = EXIT_FAIL;
    }
    json_t *all = o->json ? json_array() : NULL;
    for (size_t i = 0; rc == EXIT_OK && i < sg.n; i++) {
        const struct guard_suggestion *s = &sg.v[i];
        const struct pattern *p = pattern_find(set, s->pattern);
        if (all) {
            json_array_append_new(all, suggestion_json(s, p, post));
            continue;
        }
        printf("%c  %-16s ", p && p->key ? '0' + p->key : '-', s->pattern);
        out_safe(stdout, s->reason, 0);
        printf("\n");
    }
    if (all && rc == EXIT_OK)
        out_json(stdout, all);
    else if (all)
        json_decref(all);
    else if (rc == EXIT_OK && sg.n == 0)
        printf("no pattern suggested for this post; `tactful patterns` lists them all\n");
    guard_suggestions_free(&sg);
    guard_free(g);
    free(post);
    return rc;
}

/* Parses patterns' options; returns EXIT_OK or a usage error. */
static int
patterns_args(int argc, char **argv, struct patterns_opts *o)
{
    int c;
    optind = 0;
    while ((c = cli_getopt("patterns", argc, argv)) != -1) {
        if (c == CLI_OPT_ERROR)
            return EXIT_USAGE;
        if (c == 'j')
            o->json = true;
        else if (c == 'f')
            o->thread = optarg;
        else if (c == 'o')
            o->to = optarg;
        else if (c == 't')
            o->text = optarg;
    }
    if (optind != argc)
        return cli_usage("patterns", "takes no arguments");
    if (o->thread && o->text)
        return cli_usage("patterns", "give one of --for ID and --for-text TEXT");
    if (o->to && o->thread == NULL)
        return cli_usage("patterns", "--to POST goes with --for ID");
    if (o->thread && (o->thread_id = cli_thread_id("patterns", o->thread)) < 0)
        return EXIT_USAGE;
    return EXIT_OK;
}

int
cmd_patterns(struct cli *cli, int argc, char **argv)
{
    struct patterns_opts o = {0};
    int rc = patterns_args(argc, argv, &o);
    if (rc != EXIT_OK)
        return rc;
    struct pattern_set *set;
    rc = cli_patterns_load(cli, &set);
    if (rc != EXIT_OK)
        return rc;
    if (o.thread || o.text) {
        rc = print_suggestions(cli, &o, set);
        pattern_set_free(set);
        return rc;
    }
    json_t *all = o.json ? json_array() : NULL;
    for (size_t i = 0; i < set->n; i++) {
        if (o.json)
            json_array_append_new(all, pattern_json(&set->items[i]));
        else
            pattern_print(&set->items[i]);
    }
    if (o.json)
        out_json(stdout, all);
    pattern_set_free(set);
    return EXIT_OK;
}
