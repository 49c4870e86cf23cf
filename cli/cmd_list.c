/* `tactful list` and `tactful search`: threads as a table or as JSON. */
#include "cli/cli.h"

#include "model/text.h"
#include "model/xmalloc.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

/* Prints the threads in l as JSON or as a table (with snippets for searches). */
static void
print_threads(const struct thread_list *l, int json)
{
    if (json) {
        json_t *a = json_array();
        for (size_t i = 0; i < l->n; i++)
            json_array_append_new(a, out_thread_json(&l->rows[i]));
        out_json(stdout, a);
        return;
    }
    int width = out_width(stdout);
    time_t now = time(NULL);
    if (l->n == 0) {
        printf("No threads match.\n");
        return;
    }
    out_thread_header(stdout, width);
    for (size_t i = 0; i < l->n; i++) {
        out_thread_line(stdout, &l->rows[i], width, now);
        if (l->rows[i].snippet) {
            char *safe = text_sanitize(l->rows[i].snippet, strlen(l->rows[i].snippet), 0);
            char *fit = width > 10 ? text_fit(safe, width - 8, 1) : xstrdup(safe);
            printf("        %s\n", fit);
            free(fit);
            free(safe);
        }
    }
}

/* Lists threads matching q and prints them. */
static int
run_query(struct cli *cli, const struct query *q, enum thread_sort sort, long limit, int json)
{
    struct thread_list l;
    char *err = NULL;
    if (cli_open_db(cli) != 0)
        return EXIT_FAIL;
    if (thread_list(cli->db, q, sort, limit, 0, &l, &err) != 0) {
        cli_error("%s", err);
        free(err);
        return EXIT_FAIL;
    }
    print_threads(&l, json);
    thread_list_free(&l);
    return EXIT_OK;
}

/* Parses a --limit value. Returns -2 when it is not a positive number. */
static long
parse_limit(const char *s)
{
    char *end;
    long v = strtol(s, &end, 10);
    return *s && *end == '\0' && v > 0 ? v : -2;
}

int
cmd_list(struct cli *cli, int argc, char **argv)
{
    static const struct {
        int opt;
        enum query_key key;
    } filters[] = {
        {'s', QK_STATE}, {'a', QK_ACCOUNT}, {'p', QK_PLATFORM}, {'t', QK_TAG}, {'o', QK_ASSIGNEE},
    };
    struct query q = {0};
    enum thread_sort sort = THREAD_SORT_ACTIVITY;
    long limit = -1;
    int json = 0, c, rc = EXIT_USAGE;

    optind = 0;
    while ((c = cli_getopt("list", argc, argv)) != -1) {
        if (c == CLI_OPT_ERROR)
            goto out;
        size_t i;
        for (i = 0; i < sizeof filters / sizeof filters[0]; i++)
            if (filters[i].opt == c)
                break;
        if (i < sizeof filters / sizeof filters[0]) {
            char *err = NULL;
            if (query_check_value(filters[i].key, optarg, &err) != 0) {
                cli_usage("list", "%s", err);
                free(err);
                goto out;
            }
            query_add(&q, filters[i].key, optarg);
            continue;
        }
        switch (c) {
        case 'S':
            if (strcmp(optarg, "activity") == 0)
                sort = THREAD_SORT_ACTIVITY;
            else if (strcmp(optarg, "priority") == 0)
                sort = THREAD_SORT_PRIORITY;
            else if (strcmp(optarg, "age") == 0)
                sort = THREAD_SORT_AGE;
            else {
                cli_usage("list", "unknown sort '%s'; use activity, priority or age", optarg);
                goto out;
            }
            break;
        case 'n':
            if ((limit = parse_limit(optarg)) < 0) {
                cli_usage("list", "--limit needs a positive number, not '%s'", optarg);
                goto out;
            }
            break;
        case 'j':
            json = 1;
            break;
        case 'A':
            q.include_snoozed = 1;
            break;
        }
    }
    if (optind < argc) {
        cli_usage("list", "unexpected argument '%s'; to search text use `tactful search`",
                  argv[optind]);
        goto out;
    }
    rc = run_query(cli, &q, sort, limit, json);
out:
    query_free(&q);
    return rc;
}

int
cmd_search(struct cli *cli, int argc, char **argv)
{
    struct buf text = {0};
    struct query q;
    long limit = -1;
    int json = 0, rc;
    char *err = NULL;

    /* Parsed by hand: -word and -from:x are query terms, not options. */
    int options = 1;
    for (int i = 1; i < argc; i++) {
        if (options && strcmp(argv[i], "--") == 0) {
            options = 0;
        } else if (!options) {
            if (text.len)
                buf_addc(&text, ' ');
            buf_adds(&text, argv[i]);
        } else if (strcmp(argv[i], "--json") == 0) {
            json = 1;
        } else if (strcmp(argv[i], "--limit") == 0 || strncmp(argv[i], "--limit=", 8) == 0) {
            const char *v = argv[i][7] == '=' ? argv[i] + 8 : i + 1 < argc ? argv[++i] : "";
            if ((limit = parse_limit(v)) < 0) {
                buf_free(&text);
                return cli_usage("search", "--limit needs a positive number");
            }
        } else if (strncmp(argv[i], "--", 2) == 0) {
            buf_free(&text);
            return cli_usage("search", "unknown option '%s'", argv[i]);
        } else {
            if (text.len)
                buf_addc(&text, ' ');
            buf_adds(&text, argv[i]);
        }
    }
    if (text.len == 0) {
        buf_free(&text);
        return cli_usage("search", "say what to search for");
    }
    if (query_parse(text.data, &q, &err) != 0) {
        rc = cli_usage("search", "%s", err);
        free(err);
        buf_free(&text);
        return rc;
    }
    buf_free(&text);
    if (q.fts == NULL && q.nterms == 0) {
        query_free(&q);
        return cli_usage("search", "say what to search for: a word, a \"phrase\" or a filter");
    }
    q.include_snoozed = 1; /* a search looks everywhere */
    rc = run_query(cli, &q, THREAD_SORT_ACTIVITY, limit, json);
    query_free(&q);
    return rc;
}
