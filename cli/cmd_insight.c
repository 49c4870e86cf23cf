/* tactful insight: mark posts as opinions on a topic, list the topics, write a digest. */
#include "cli/cli.h"

#include "model/guard.h"
#include "model/insight.h"
#include "model/insight_digest.h"
#include "model/isotime.h"
#include "model/text.h"
#include "model/xmalloc.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct insight_opts {
    struct insight_in in;
    const char *since, *until;
    enum insight_format format;
    int json;
};

/* Turns a day ("2026-11-30") or an RFC 3339 time into a normalised time in out. Returns 0, or
 * prints a usage error and returns -1. */
static int
time_arg(const char *opt, const char *s, char out[ISOTIME_LEN])
{
    char buf[64];
    if (strlen(s) == 10)
        snprintf(buf, sizeof buf, "%sT00:00:00Z", s);
    else
        snprintf(buf, sizeof buf, "%.40s", s);
    if (isotime_normalize(buf, out) == 0)
        return 0;
    cli_usage("insight", "--%s takes a day such as 2026-11-30 or a time such as "
                         "2026-11-30T09:00:00Z, not '%.40s'", opt, s);
    return -1;
}

/* Reads the options; returns the index of the first operand, or -1 after a usage error. */
static int
parse(int argc, char **argv, struct insight_opts *o, char since[ISOTIME_LEN],
      char until[ISOTIME_LEN])
{
    int c;
    optind = 0;
    while ((c = cli_getopt("insight", argc, argv)) != -1) {
        switch (c) {
        case CLI_OPT_ERROR: return -1;
        case 'o': o->in.post = optarg; break;
        case 'T': o->in.topic = optarg; break;
        case 's': o->in.stance = optarg; break;
        case 'q': o->in.quote = 1; break;
        case 'Q': o->in.quote_text = optarg; break;
        case 'N': o->in.name_author = 1; break;
        case 'O': o->in.override = optarg; break;
        case 'j': o->json = 1; break;
        case 'S':
            if (time_arg("since", optarg, since) != 0)
                return -1;
            o->since = since;
            break;
        case 'U':
            if (time_arg("until", optarg, until) != 0)
                return -1;
            o->until = until;
            break;
        case 'f':
            if (strcmp(optarg, "markdown") == 0)
                o->format = INSIGHT_MARKDOWN;
            else if (strcmp(optarg, "csv") == 0)
                o->format = INSIGHT_CSV;
            else if (strcmp(optarg, "json") == 0)
                o->format = INSIGHT_JSON;
            else {
                cli_usage("insight", "--format is markdown, csv or json, not '%.40s'", optarg);
                return -1;
            }
            break;
        }
    }
    return optind;
}

/* insight add ID: marks a post, and says when its quote would be withheld from digests. */
static int
insight_add_cmd(struct cli *cli, struct insight_opts *o, const char *id_arg)
{
    long id = cli_thread_id("insight", id_arg);
    if (id < 0)
        return EXIT_USAGE;
    if (o->in.topic == NULL)
        return cli_usage("insight", "say what the opinion is about with --topic TOPIC");
    if (o->in.quote && o->in.quote_text)
        return cli_usage("insight", "give --quote or --quote-text, not both");
    if (o->in.stance && insight_stance_index(o->in.stance) < 0)
        return cli_usage("insight", "the stance is for, against, mixed or question, not '%.40s'",
                         o->in.stance);
    if (cli_open_db(cli) != 0)
        return EXIT_FAIL;
    o->in.thread = id;
    char *err = NULL, *quote = NULL;
    if (insight_add(cli->db, cli->officer, &o->in, NULL, &quote, &err) != 0) {
        cli_error("%s", err);
        free(err);
        return EXIT_FAIL;
    }
    printf("thread %ld: marked as an opinion on %s\n", id, o->in.topic);
    if (quote == NULL)
        return EXIT_OK;
    struct guard *g = cli_guard_open(cli, "insight", NULL);
    char *why = NULL;
    if (insight_quote_screen(g, quote, &why) == INSIGHT_QUOTE_WITHHELD) {
        char *safe = text_sanitize(why, strlen(why), 0);
        printf("%s: %s\n", o->in.override ? "the quote's personal-data findings are overridden"
                                          : "the quote is withheld from digests",
               safe);
        if (!o->in.override)
            printf("Give an edited quote with --quote-text, or --override REASON.\n");
        free(safe);
    }
    free(why);
    guard_free(g);
    free(quote);
    return EXIT_OK;
}

/* insight remove ID: takes a mark away. */
static int
insight_remove_cmd(struct cli *cli, const struct insight_opts *o, const char *id_arg)
{
    long id = cli_thread_id("insight", id_arg);
    if (id < 0)
        return EXIT_USAGE;
    if (o->in.topic == NULL)
        return cli_usage("insight", "say which topic's mark to remove with --topic TOPIC");
    if (cli_open_db(cli) != 0)
        return EXIT_FAIL;
    char *err = NULL;
    int rc = insight_remove(cli->db, cli->officer, id, o->in.post, o->in.topic, &err);
    if (rc < 0) {
        cli_error("%s", err);
        free(err);
        return EXIT_FAIL;
    }
    if (rc == 1)
        printf("thread %ld: no mark on %s to remove\n", id, o->in.topic);
    else
        printf("thread %ld: mark on %s removed\n", id, o->in.topic);
    return EXIT_OK;
}

/* insight topics: each topic with its count and span. */
static int
insight_topics_cmd(struct cli *cli, int json)
{
    if (cli_open_db(cli) != 0)
        return EXIT_FAIL;
    struct insight_topic *t;
    size_t n;
    char *err = NULL;
    if (insight_topics(cli->db, &t, &n, &err) != 0) {
        cli_error("%s", err);
        free(err);
        return EXIT_FAIL;
    }
    json_t *arr = json ? json_array() : NULL;
    for (size_t i = 0; i < n; i++) {
        if (arr) {
            json_array_append_new(arr, json_pack("{s:s, s:I, s:s, s:s}", "topic", t[i].topic,
                                                 "posts", (json_int_t)t[i].count, "first",
                                                 t[i].first, "last", t[i].last));
            continue;
        }
        char *topic = text_sanitize(t[i].topic, strlen(t[i].topic), 0);
        printf("%6ld  %.10s to %.10s  %s\n", t[i].count, t[i].first, t[i].last, topic);
        free(topic);
    }
    if (arr) {
        char *s = json_dumps(arr, JSON_INDENT(2) | JSON_ENSURE_ASCII);
        printf("%s\n", s);
        free(s);
        json_decref(arr);
    } else if (n == 0) {
        printf("No posts are marked yet; `tactful insight add ID --topic TOPIC` marks one.\n");
    }
    insight_topics_free(t, n);
    return fflush(stdout) == 0 ? EXIT_OK : cli_output_gone();
}

/* insight [digest] TOPIC: the digest for a policy team. */
static int
insight_digest_cmd(struct cli *cli, const struct insight_opts *o, int argc, char **argv)
{
    struct buf topic = {0};
    for (int i = 0; i < argc; i++)
        buf_printf(&topic, "%s%s", i ? " " : "", argv[i]);
    if (cli_open_db(cli) != 0) {
        buf_free(&topic);
        return EXIT_FAIL;
    }
    struct insight_list l;
    char *err = NULL;
    if (insight_list(cli->db, topic.data, o->since, o->until, &l, &err) != 0) {
        cli_error("%s", err);
        free(err);
        buf_free(&topic);
        return EXIT_FAIL;
    }
    if (l.n == 0)
        fprintf(stderr, "tactful: no posts are marked on '%s'%s; `tactful insight topics` "
                        "lists the topics\n", topic.data,
                o->since || o->until ? " in that period" : "");
    /* A quote that cannot be checked is withheld, so a missing guard only costs quotes. */
    struct guard *g = cli_guard_open(cli, "insight", NULL);
    struct insight_digest_opts d = {topic.data, o->since, o->until,
                                    o->json ? INSIGHT_JSON : o->format};
    struct buf out = {0};
    size_t withheld;
    insight_digest(&l, g, &d, &out, &withheld);
    guard_free(g);
    insight_list_free(&l);
    buf_free(&topic);
    int ok = out.len == 0 || fwrite(out.data, 1, out.len, stdout) == out.len;
    buf_free(&out);
    if (!ok || fflush(stdout) != 0)
        return cli_output_gone();
    return EXIT_OK;
}

int
cmd_insight(struct cli *cli, int argc, char **argv)
{
    struct insight_opts o = {.format = INSIGHT_MARKDOWN};
    char since[ISOTIME_LEN], until[ISOTIME_LEN];
    int first = parse(argc, argv, &o, since, until);
    if (first < 0)
        return EXIT_USAGE;
    if (first >= argc)
        return cli_usage("insight", "give a topic, or add, remove or topics");
    const char *sub = argv[first];
    int nargs = argc - first - 1;
    char **args = argv + first + 1;
    if (strcmp(sub, "add") == 0 || strcmp(sub, "remove") == 0) {
        if (nargs != 1)
            return cli_usage("insight", "%s takes one thread number", sub);
        return sub[0] == 'a' ? insight_add_cmd(cli, &o, args[0])
                             : insight_remove_cmd(cli, &o, args[0]);
    }
    if (strcmp(sub, "topics") == 0) {
        if (nargs != 0)
            return cli_usage("insight", "topics takes no arguments");
        return insight_topics_cmd(cli, o.json);
    }
    if (strcmp(sub, "digest") == 0) {
        if (nargs == 0)
            return cli_usage("insight", "digest takes a topic");
        return insight_digest_cmd(cli, &o, nargs, args);
    }
    return insight_digest_cmd(cli, &o, argc - first, argv + first);
}
