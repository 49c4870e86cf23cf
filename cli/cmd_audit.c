/* `tactful audit`: the audit log as text, JSON or CSV. */
#include "cli/cli.h"

#include "model/audit.h"
#include "model/export.h"

#include <getopt.h>
#include <stdlib.h>
#include <unistd.h>

/* Writes the entries as CSV with a header row, through the formula guard export uses; in
 * display form when standard output is a terminal. */
static void
audit_csv(const struct audit_entry *e, size_t n)
{
    int display = isatty(STDOUT_FILENO);
    printf("id,at,officer,action,thread,details\r\n");
    for (size_t i = 0; i < n; i++) {
        printf("%ld,", e[i].id);
        export_csv_cell(stdout, e[i].at, display);
        putchar(',');
        export_csv_cell(stdout, e[i].officer, display);
        putchar(',');
        export_csv_cell(stdout, e[i].action, display);
        putchar(',');
        if (e[i].thread)
            printf("%ld", e[i].thread);
        putchar(',');
        export_csv_cell(stdout, e[i].details, display);
        printf("\r\n");
    }
}

int
cmd_audit(struct cli *cli, int argc, char **argv)
{
    long thread = 0;
    int json = 0, csv = 0, c;
    char *err = NULL;

    optind = 0;
    while ((c = cli_getopt("audit", argc, argv)) != -1) {
        if (c == CLI_OPT_ERROR) {
            return EXIT_USAGE;
        } else if (c == 't') {
            if ((thread = cli_thread_id("audit", optarg)) < 0)
                return EXIT_USAGE;
        } else if (c == 'j') {
            json = 1;
        } else if (c == 'c') {
            csv = 1;
        }
    }
    if (optind < argc)
        return cli_usage("audit", "unexpected argument '%s'", argv[optind]);
    if (json && csv)
        return cli_usage("audit", "choose one of --json and --csv");
    if (cli_open_db(cli) != 0)
        return EXIT_FAIL;
    struct audit_entry *e;
    size_t n;
    if (audit_list(cli->db, thread, &e, &n, &err) != 0) {
        cli_error("%s", err);
        free(err);
        return EXIT_FAIL;
    }
    if (csv) {
        audit_csv(e, n);
        audit_entries_free(e, n);
        return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAIL;
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
