/* `tactful drafts`, `approve`, `return` and `discard`: the drafts and their review from the
 * command line (model/draft.h). */
#include "cli/cmd_bundle.h"
#include "cli/cmd_reply.h"

#include "model/xmalloc.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

/* A draft as a JSON object. */
static json_t *
draft_json(const struct draft *d)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(d->id));
    json_object_set_new(o, "thread", json_integer(d->thread));
    json_object_set_new(o, "in_reply_to", d->in_reply_to ? json_string(d->in_reply_to)
                                                         : json_null());
    json_object_set_new(o, "pattern", d->pattern ? json_string(d->pattern) : json_null());
    json_object_set_new(o, "state", json_string(d->state));
    json_object_set_new(o, "officer", json_string(d->officer));
    json_object_set_new(o, "created_at", json_string(d->created_at));
    json_object_set_new(o, "updated_at", json_string(d->updated_at));
    json_object_set_new(o, "reviewer", d->reviewer ? json_string(d->reviewer) : json_null());
    json_object_set_new(o, "review_comment",
                        d->review_comment ? json_string(d->review_comment) : json_null());
    json_t *body = json_string(d->body);
    json_object_set_new(o, "body", body ? body : json_string(""));
    return o;
}

/* A draft as one line: id, thread, state, officer, pattern, first line of the text. */
static void
draft_line(const struct draft *d)
{
    printf("%4ld %6ld %-16s %-12.12s %-15s ", d->id, d->thread, d->state, d->officer,
           d->pattern ? d->pattern : "-");
    size_t n = strcspn(d->body, "\n");
    char *first = xstrndup(d->body, n > 60 ? 60 : n);
    out_safe(stdout, first, 0);
    free(first);
    printf("\n");
    if (d->review_comment) {
        printf("     returned by %s: ", d->reviewer ? d->reviewer : "?");
        out_safe(stdout, d->review_comment, 0);
        printf("\n");
    }
}

int
cmd_drafts(struct cli *cli, int argc, char **argv)
{
    const char *state = NULL;
    long thread = 0;
    bool json = false;
    int c;
    optind = 0;
    while ((c = cli_getopt("drafts", argc, argv)) != -1) {
        if (c == CLI_OPT_ERROR)
            return EXIT_USAGE;
        if (c == 's' && !draft_state_valid(optarg))
            return cli_usage("drafts", "unknown state '%s'", optarg);
        if (c == 's')
            state = optarg;
        else if (c == 't' && (thread = cli_thread_id("drafts", optarg)) < 0)
            return EXIT_USAGE;
        else if (c == 'j')
            json = true;
    }
    if (optind != argc)
        return cli_usage("drafts", "takes no arguments");
    if (cli_open_db(cli) != 0)
        return EXIT_FAIL;
    struct draft *d;
    size_t n;
    char *err = NULL;
    if (draft_list(cli->db, thread, state, &d, &n, &err) != 0) {
        cli_error("%s", err);
        free(err);
        return EXIT_FAIL;
    }
    json_t *all = json ? json_array() : NULL;
    if (!json && n)
        printf("  ID THREAD STATE            OFFICER      PATTERN         TEXT\n");
    for (size_t i = 0; i < n; i++) {
        if (json)
            json_array_append_new(all, draft_json(&d[i]));
        else
            draft_line(&d[i]);
    }
    if (json)
        out_json(stdout, all);
    draft_list_free(d, n);
    return EXIT_OK;
}

/* Parses "ID" (and nothing else) for approve and discard, and opens the cache. Returns the id,
 * -1 after a usage error, -2 when the cache cannot be opened. */
static long
draft_id_arg(struct cli *cli, const char *cmd, int argc, char **argv)
{
    if (argc != 2) {
        cli_usage(cmd, "give one draft number");
        return -1;
    }
    long id = reply_draft_id(cmd, argv[1]);
    if (id < 0)
        return -1;
    return cli_open_db(cli) == 0 ? id : -2;
}

/* Prints err (and frees it) and returns EXIT_FAIL. */
static int
failed(char *err)
{
    cli_error("%s", err);
    free(err);
    return EXIT_FAIL;
}

int
cmd_approve(struct cli *cli, int argc, char **argv)
{
    long id = draft_id_arg(cli, "approve", argc, argv);
    if (id < 0)
        return id == -1 ? EXIT_USAGE : EXIT_FAIL;
    struct guard *g = cli_guard_open(cli, "approve", NULL);
    if (g == NULL)
        return EXIT_USAGE;
    char *err = NULL;
    long ob = 0;
    int rc = draft_approve(cli->db, g, cli->officer, id, NULL, &ob, &err);
    guard_free(g);
    if (rc != 0)
        return failed(err);
    printf("draft %ld: approved by %s and queued as outbox entry %ld%s\n", id, cli->officer, ob,
           cli_queue_note(cli));
    return EXIT_OK;
}

int
cmd_return(struct cli *cli, int argc, char **argv)
{
    const char *comment = NULL;
    int c;
    optind = 0;
    while ((c = cli_getopt("return", argc, argv)) != -1) {
        if (c == CLI_OPT_ERROR)
            return EXIT_USAGE;
        comment = optarg;
    }
    if (comment == NULL || optind + 1 != argc)
        return cli_usage("return", "give one draft number and --comment TEXT");
    long id = reply_draft_id("return", argv[optind]);
    if (id < 0)
        return EXIT_USAGE;
    if (cli_open_db(cli) != 0)
        return EXIT_FAIL;
    char *err = NULL;
    if (draft_return(cli->db, cli->officer, id, comment, &err) != 0)
        return failed(err);
    printf("draft %ld: returned to its officer with your comment\n", id);
    return EXIT_OK;
}

int
cmd_discard(struct cli *cli, int argc, char **argv)
{
    long id = draft_id_arg(cli, "discard", argc, argv);
    if (id < 0)
        return id == -1 ? EXIT_USAGE : EXIT_FAIL;
    char *err = NULL;
    if (draft_discard(cli->db, cli->officer, id, &err) != 0)
        return failed(err);
    printf("draft %ld: discarded\n", id);
    return EXIT_OK;
}
