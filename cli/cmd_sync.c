/* `tactful sync [ACCOUNT...]`: read what is new from the platforms into the cache. */
#include "cli/cli.h"
#include "cli/cmd_bundle.h"

#include "net/sync.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Totals over the run, and whether to print a line per account. */
struct sync_out {
    int progress;
    long accounts, failed, skipped, new_posts, updated_posts, new_threads, shortened, refused,
        deleted;
};

/* Called as each account starts. */
static void
on_start(const char *account, void *arg)
{
    struct sync_out *o = arg;
    if (!o->progress)
        return;
    printf("%-20s syncing...\n", account);
    fflush(stdout);
}

/* Called as each account finishes: its line on a terminal, its error always. */
static void
on_report(const struct sync_report *r, void *arg)
{
    struct sync_out *o = arg;
    o->accounts++;
    if (!r->ok) {
        o->failed++;
        cli_error("sync of %s failed: %s", r->account, r->error);
        return;
    }
    if (r->skipped) {
        o->skipped++;
        cli_error("%s", r->skipped);
        return;
    }
    o->new_posts += r->new_posts;
    o->updated_posts += r->updated_posts;
    o->new_threads += r->new_threads;
    o->shortened += r->shortened_posts;
    o->refused += r->refused_posts;
    o->deleted += r->deleted_posts;
    if (o->progress) {
        printf("%-20s %ld new threads, %ld new posts", r->account, r->new_threads,
               r->new_posts);
        if (r->updated_posts)
            printf(", %ld updated", r->updated_posts);
        if (r->deleted_posts)
            printf(", %ld deleted upstream", r->deleted_posts);
        printf(" (%.1f s)\n", r->seconds);
        fflush(stdout);
    }
    if (r->note)
        cli_error("%s: %s", r->account, r->note);
}

int
cmd_sync(struct cli *cli, int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (argv[i][0] == '-')
            return cli_usage("sync", "unknown option '%s'", argv[i]);
    if (cli->offline) {
        cli_error("offline (--offline): sync needs the network, so nothing was synced; run it "
                  "without --offline");
        return EXIT_FAIL;
    }
    struct http_options opts;
    char *err = NULL;
    http_options_default(&opts);
    if (http_options_from_env(&opts, &err) != 0) {
        cli_error("%s", err);
        free(err);
        return EXIT_USAGE;
    }
    if (cli_open_db(cli) != 0 || bundle_refuse_cmd(cli, "sync") != 0)
        return EXIT_FAIL;
    struct sync_out o = {.progress = isatty(STDOUT_FILENO)};
    int failed = sync_accounts(cli->db, cli->cfg, argv + 1, (size_t)(argc - 1), &opts, on_start,
                               on_report, &o, &err);
    if (failed < 0) {
        cli_error("%s", err);
        free(err);
        return argc > 1 ? EXIT_USAGE : EXIT_FAIL;
    }
    printf("sync: %ld account%s, %ld failed; %ld new threads, %ld new posts, %ld updated",
           o.accounts, o.accounts == 1 ? "" : "s", o.failed, o.new_threads, o.new_posts,
           o.updated_posts);
    if (o.skipped)
        printf("; %ld skipped (being synced by another tactful)", o.skipped);
    printf("\n");
    if (o.deleted > 0)
        printf("sync: %ld post%s deleted or hidden upstream since the last sync, kept and "
               "marked [deleted]; they cannot be answered\n", o.deleted,
               o.deleted == 1 ? " was" : "s were");
    if (o.shortened > 0)
        printf("sync: %ld post%s longer than the cache keeps, stored shortened and marked "
               "[shortened] (see JSON LINES in tactful(5))\n", o.shortened,
               o.shortened == 1 ? " was" : "s were");
    if (o.refused > 0)
        printf("sync: %ld post%s left out: an id, author or time longer than the cache keeps\n",
               o.refused, o.refused == 1 ? " was" : "s were");
    return failed ? EXIT_FAIL : EXIT_OK;
}
