/* `tactful audit`: the audit log as text or JSON. */
#include "cli/cli.h"

#include "model/audit.h"

#include <getopt.h>
#include <stdlib.h>

int
cmd_audit(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"thread", required_argument, NULL, 't'},
        {"json", no_argument, NULL, 'j'},
        {NULL, 0, NULL, 0},
    };
    long thread = 0;
    int json = 0, c;
    char *err = NULL;

    optind = 0;
    while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        if (c == 't') {
            if ((thread = cli_thread_id("audit", optarg)) < 0)
                return EXIT_USAGE;
        } else if (c == 'j') {
            json = 1;
        } else if (c == ':') {
            return cli_usage("audit", "option '%s' needs a value", argv[optind - 1]);
        } else {
            return cli_usage("audit", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage("audit", "unexpected argument '%s'", argv[optind]);
    if (cli_open_db(cli) != 0)
        return EXIT_FAIL;
    struct audit_entry *e;
    size_t n;
    if (audit_list(cli->db, thread, &e, &n, &err) != 0) {
        cli_error("%s", err);
        free(err);
        return EXIT_FAIL;
    }
    json_t *a = json ? json_array() : NULL;
    for (size_t i = 0; i < n; i++) {
        if (json) {
            json_t *details = json_loads(e[i].details, 0, NULL);
            json_array_append_new(a, json_pack("{s:I, s:s, s:s, s:s, s:o, s:o}", "id",
                                               (json_int_t)e[i].id, "at", e[i].at, "officer",
                                               e[i].officer, "action", e[i].action, "thread",
                                               e[i].thread ? json_integer(e[i].thread)
                                                           : json_null(),
                                               "details", details ? details : json_object()));
            continue;
        }
        printf("%s  ", e[i].at);
        out_safe(stdout, e[i].officer, 0);
        printf("  %s", e[i].action);
        if (e[i].thread)
            printf("  thread %ld", e[i].thread);
        printf("  ");
        out_safe(stdout, e[i].details, 0);
        printf("\n");
    }
    if (json)
        out_json(stdout, a);
    else if (n == 0)
        printf("The audit log is empty.\n");
    audit_entries_free(e, n);
    return EXIT_OK;
}
