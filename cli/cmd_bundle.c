/* `tactful export --bundle` and `tactful import --bundle`: offline review bundles (see
 * model/bundle.h). cmd_io.c hands these options over. */
#include "cli/cli.h"
#include "cli/cmd_bundle.h"
#include "cli/cmd_reply.h"

#include "model/bundle.h"
#include "model/text.h"
#include "model/xmalloc.h"

#include <stdlib.h>
#include <string.h>

int
bundle_export_cmd(struct cli *cli, const char *path, const char *state, const long *threads,
                  size_t nthreads)
{
    if (cli_open_db(cli) != 0)
        return EXIT_FAIL;
    struct bundle_selection sel = {.state = state, .threads = threads, .nthreads = nthreads};
    struct bundle_export_stats st;
    char *err = NULL;
    if (bundle_export(cli->db, path, cli->officer, &sel, &st, &err) != 0) {
        cli_error("%s", err);
        free(err);
        return EXIT_FAIL;
    }
    printf("%s: offline review bundle %s: %ld thread%s, %ld posts, %ld drafts, %ld notes\n",
           path, st.id, st.threads, st.threads == 1 ? "" : "s", st.posts, st.drafts, st.notes);
    printf("open it on the offline desktop with `tactful --db %s`; merge it back here with "
           "`tactful import --bundle %s`\n", path, path);
    return EXIT_OK;
}

/* Prints a value from either side of a conflict: one line, sanitized, at most 60 columns. */
static void
print_value(const char *v)
{
    if (v == NULL) {
        fputs("unset", stdout);
        return;
    }
    char *safe = text_sanitize(v, strlen(v), 0);
    char *fit = text_fit(safe, 60, 1);
    printf("\"%s\"", fit);
    free(fit);
    free(safe);
}

/* Prints what a merge did; returns the exit status (1 when anything was left undone). */
static int
print_result(struct cli *cli, const char *path, const struct bundle_result *r)
{
    if (r->loaded) {
        printf("loaded the bundle %s into %s; review there (sync and sending are refused in "
               "it), then merge that cache on the connected machine with `tactful import "
               "--bundle %s`\n", path, cli->db_path, cli->db_path);
        return EXIT_OK;
    }
    printf("bundle %s: exported from ", path);
    out_safe(stdout, r->info.origin_path, 0);
    printf(" on ");
    out_safe(stdout, r->info.host, 0);
    printf(" by ");
    out_safe(stdout, r->info.exported_by, 0);
    printf(" at ");
    out_safe(stdout, r->info.exported_at, 0);
    printf("\n");
    for (size_t i = 0; i < r->napplied; i++) {
        printf("  applied: ");
        out_safe(stdout, r->applied[i], 0);
        printf("\n");
    }
    for (size_t i = 0; i < r->nconflicts; i++) {
        const struct bundle_conflict *c = &r->conflicts[i];
        if (c->draft)
            printf("  conflict: draft %ld (thread %ld): %s is ", c->draft, c->thread, c->field);
        else
            printf("  conflict: thread %ld: %s is ", c->thread, c->field);
        print_value(c->here);
        printf(" here and ");
        print_value(c->bundle);
        printf(" in the bundle; left as it is here\n");
    }
    for (size_t i = 0; i < r->nproblems; i++) {
        printf("  not applied: ");
        out_safe(stdout, r->problems[i], 0);
        printf("\n");
    }
    printf("merged: %zu change%s applied, %zu conflict%s, %zu not applied\n", r->napplied,
           r->napplied == 1 ? "" : "s", r->nconflicts, r->nconflicts == 1 ? "" : "s",
           r->nproblems);
    if (r->nconflicts + r->nproblems == 0)
        return EXIT_OK;
    size_t n = r->nconflicts + r->nproblems;
    cli_error("%zu change%s from the bundle %s %s left undone and nothing was overwritten: "
              "decide each one above and make it here by hand", n, n == 1 ? "" : "s", path,
              n == 1 ? "was" : "were");
    return EXIT_FAIL;
}

int
bundle_import_cmd(struct cli *cli, const char *path)
{
    if (cli_open_db(cli) != 0)
        return EXIT_FAIL;
    struct pattern_set *set = NULL;
    int rc = cli_patterns_load(cli, &set);
    struct guard *g = rc == EXIT_OK ? cli_guard_open(cli, "import", NULL) : NULL;
    if (g == NULL) {
        pattern_set_free(set);
        return rc == EXIT_OK ? EXIT_USAGE : rc;
    }
    struct bundle_merge_opts opts = {.guard = g, .patterns = set, .officer = cli->officer};
    struct bundle_result res;
    char *err = NULL;
    if (bundle_import(cli->db, path, &opts, &res, &err) != 0) {
        cli_error("%s", err);
        free(err);
        rc = EXIT_FAIL;
    } else {
        rc = print_result(cli, path, &res);
        bundle_result_free(&res);
    }
    guard_free(g);
    pattern_set_free(set);
    return rc;
}

int
bundle_refuse_cmd(struct cli *cli, const char *what)
{
    char *err = NULL;
    if (bundle_refuse_network(cli->db, what, &err) == 0)
        return 0;
    cli_error("%s", err);
    free(err);
    return -1;
}

const char *
cli_queue_note(struct cli *cli)
{
    struct bundle_info info;
    char *err = NULL;
    int is = cli->db ? bundle_info_get(cli->db, &info, &err) : 0;
    free(err);
    if (is == 1) {
        bundle_info_clear(&info);
        return " (in an offline review bundle: it is sent only after the bundle is merged "
               "with `tactful import --bundle` on the connected machine)";
    }
    return cli->offline ? " (offline: it waits until `tactful outbox send`)" : "";
}
