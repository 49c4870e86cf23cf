/* `tactful accounts [check]`: the configured accounts, their last sync, and a live check. */
#include "cli/cli.h"

#include "model/account.h"
#include "model/synclock.h"
#include "net/check.h"

#include <stdlib.h>
#include <string.h>

/* Prints each account with what the cache knows about its syncs. */
static int
accounts_list(struct cli *cli)
{
    if (cli->cfg->naccounts == 0) {
        printf("No accounts are configured; see tactful(5) for [account NAME] sections.\n");
        return EXIT_OK;
    }
    printf("%-20s %-9s %-21s %s\n", "ACCOUNT", "PLATFORM", "LAST SYNC", "URL");
    int status = EXIT_OK;
    for (size_t i = 0; i < cli->cfg->naccounts; i++) {
        const struct config_account *a = &cli->cfg->accounts[i];
        struct account_state st;
        char *err = NULL;
        if (account_state_get(cli->db, a->name, &st, &err) != 0) {
            cli_error("%s", err);
            free(err);
            status = EXIT_FAIL;
            continue;
        }
        printf("%-20s %-9s %-21s ", a->name, a->platform, st.last_sync ? st.last_sync : "never");
        out_safe(stdout, a->url, 0);
        printf("\n");
        if (st.remote_user) {
            printf("%20s as ", "");
            out_safe(stdout, st.remote_user, 0);
            printf("\n");
        }
        const char *tried = st.last_attempt ? st.last_attempt : st.last_sync;
        if (st.last_error && tried)
            printf("%20s last sync: failed at %s\n", "", tried);
        else if (st.last_sync && st.last_new >= 0)
            printf("%20s last sync: ok at %s, %ld new thread%s\n", "", tried, st.last_new,
                   st.last_new == 1 ? "" : "s");
        else if (st.last_sync)
            printf("%20s last sync: ok at %s\n", "", tried);
        if (st.last_error) {
            printf("%20s last error: ", "");
            out_safe(stdout, st.last_error, 0);
            printf("\n");
        }
        account_state_clear(&st);
        struct synclock_holder h;
        if (synclock_holder_get(cli->db, a->name, &h, &err) == 1) {
            printf("%20s syncing now: process %ld on ", "", h.pid);
            out_safe(stdout, h.host, 0);
            printf(" since %s\n", h.started_at);
        }
        free(err);
    }
    return status;
}

/* One line per account checked. */
static void
on_checked(const struct check_report *r, void *arg)
{
    (void)arg;
    if (!r->ok) {
        cli_error("%s: check failed: %s", r->account, r->error);
        return;
    }
    printf("%-20s ok: signed in as ", r->account);
    out_safe(stdout, r->who ? r->who : "?", 0);
    if (r->max_characters > 0)
        printf(", replies up to %ld characters", r->max_characters);
    printf("\n");
}

int
cmd_accounts(struct cli *cli, int argc, char **argv)
{
    const char *sub = argc > 1 ? argv[1] : "list";
    if (strcmp(sub, "check") == 0) {
        if (cli->offline) {
            cli_error("offline (--offline): checking accounts needs the network; run `tactful "
                      "accounts check` without --offline");
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
        int failed = check_accounts(cli->cfg, argv + 2, (size_t)(argc - 2), &opts, on_checked,
                                    NULL, &err);
        if (failed < 0) {
            cli_error("%s", err);
            free(err);
            return EXIT_USAGE;
        }
        return failed ? EXIT_FAIL : EXIT_OK;
    }
    if (strcmp(sub, "list") != 0)
        return cli_usage("accounts", "unknown action '%s'; use check, or nothing to list", sub);
    if (argc > 2)
        return cli_usage("accounts", "unexpected argument '%s'", argv[2]);
    if (cli_open_db(cli) != 0)
        return EXIT_FAIL;
    return accounts_list(cli);
}
