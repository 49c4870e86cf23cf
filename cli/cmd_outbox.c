/* `tactful outbox [list|send]`: the replies waiting to be sent, and sending them. */
#include "cli/cli.h"
#include "cli/cmd_bundle.h"

#include "model/isotime.h"
#include "model/outbox.h"
#include "model/text.h"
#include "net/outbox_send.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Returns a JSON string, or null. */
static json_t *
jstr(const char *s)
{
    return s ? json_string(s) : json_null();
}

/* The state shown for a row: a row left `sending` by a process that died is "in doubt". */
static const char *
shown_state(const struct outbox_row *r)
{
    return r->in_doubt ? "in-doubt" : r->state;
}

/* `outbox list [--json]`. */
static int
outbox_list_cmd(struct cli *cli, int json)
{
    struct outbox_row *rows;
    size_t n;
    char *err = NULL;
    if (outbox_list(cli->db, OUTBOX_ALL, &rows, &n, &err) != 0) {
        cli_error("%s", err);
        free(err);
        return EXIT_FAIL;
    }
    json_t *a = json ? json_array() : NULL;
    time_t now = time(NULL);
    if (!json && n > 0)
        printf("%5s %-9s %3s %-16s %6s %4s %s\n", "ID", "STATE", "TRY", "ACCOUNT", "THREAD",
               "AGE", "REPLY");
    for (size_t i = 0; i < n; i++) {
        const struct outbox_row *r = &rows[i];
        if (json) {
            json_t *o = json_pack("{s:I, s:s, s:i, s:s, s:I, s:o, s:s, s:o, s:o, s:o, s:s, s:o,"
                                  " s:o}",
                                  "id", (json_int_t)r->id, "state", shown_state(r), "attempts",
                                  r->attempts, "account", r->account, "thread",
                                  (json_int_t)r->thread_id, "in_reply_to", jstr(r->in_reply_to),
                                  "body", r->body, "last_error", jstr(r->last_error),
                                  "remote_id", jstr(r->remote_id), "remote_url",
                                  jstr(r->remote_url), "created_at", r->created_at, "sent_at",
                                  jstr(r->sent_at), "queued_by", jstr(r->officer));
            json_array_append_new(a, o);
            continue;
        }
        char age[16] = "-";
        time_t t;
        if (isotime_parse(r->created_at, &t) == 0)
            isotime_age(t, now, age);
        printf("%5ld %-9s %3d ", r->id, shown_state(r), r->attempts);
        char *acct = text_sanitize(r->account, strlen(r->account), 0);
        char *cell = text_pad(acct, 16);
        printf("%s %6ld %4s ", cell, r->thread_id, age);
        free(cell);
        free(acct);
        char *body = text_sanitize(r->body, strlen(r->body), 0);
        char *fit = text_fit(body, 60, 1);
        printf("%s\n", fit);
        free(fit);
        free(body);
        if (r->remote_url) {
            printf("%30s sent as ", "");
            out_safe(stdout, r->remote_url, 0);
            printf("\n");
        }
        if (r->last_error && strcmp(r->state, "sent") != 0) {
            printf("%30s last error: ", "");
            out_safe(stdout, r->last_error, 0);
            printf("\n");
        }
    }
    if (json)
        out_json(stdout, a);
    else if (n == 0)
        printf("The outbox is empty.\n");
    outbox_rows_free(rows, n);
    return EXIT_OK;
}

/* Totals of a send. */
struct send_out {
    long sent, found, failed, skipped;
};

/* One line per reply sent, found or failed. */
static void
on_sent(const struct outbox_send_report *r, void *arg)
{
    struct send_out *o = arg;
    if (r->skipped) {
        o->skipped++;
        printf("outbox %ld (%s, thread %ld): skipped, another tactful is sending it\n", r->id,
               r->account, r->thread);
        return;
    }
    if (!r->ok) {
        o->failed++;
        cli_error("outbox %ld (%s, thread %ld) not sent: %s", r->id, r->account, r->thread,
                  r->error);
        return;
    }
    if (r->found_earlier)
        o->found++;
    else
        o->sent++;
    printf("outbox %ld (", r->id);
    out_safe(stdout, r->account, 0);
    printf(", thread %ld): %s ", r->thread, r->found_earlier ? "already posted by an earlier "
                                                               "attempt, recorded as" : "sent as");
    out_safe(stdout, r->remote_url ? r->remote_url : r->remote_id, 0);
    printf("\n");
    if (r->note) {
        printf("  ");
        out_safe(stdout, r->note, 0);
        printf("\n");
    }
    fflush(stdout);
}

/* `outbox send`. */
static int
outbox_send_cmd(struct cli *cli)
{
    if (cli->offline) {
        cli_error("offline (--offline): sending replies needs the network, so nothing was "
                  "sent; run `tactful outbox send` without --offline");
        return EXIT_FAIL;
    }
    if (bundle_refuse_cmd(cli, "send replies") != 0)
        return EXIT_FAIL;
    struct http_options opts;
    char *err = NULL;
    http_options_default(&opts);
    if (http_options_from_env(&opts, &err) != 0) {
        cli_error("%s", err);
        free(err);
        return EXIT_USAGE;
    }
    struct send_out o = {0};
    int failed = outbox_send_all(cli->db, cli->cfg, cli->officer, &opts, on_sent, &o, &err);
    if (failed < 0) {
        cli_error("%s", err);
        free(err);
        return EXIT_FAIL;
    }
    printf("outbox: %ld sent, %ld found already sent, %ld failed, %ld skipped\n", o.sent,
           o.found, o.failed, o.skipped);
    return failed ? EXIT_FAIL : EXIT_OK;
}

int
cmd_outbox(struct cli *cli, int argc, char **argv)
{
    int json = 0, c;
    optind = 0;
    while ((c = cli_getopt("outbox", argc, argv)) != -1) {
        if (c == CLI_OPT_ERROR)
            return EXIT_USAGE;
        json = 1;
    }
    const char *sub = optind < argc ? argv[optind] : "list";
    if (strcmp(sub, "list") != 0 && strcmp(sub, "send") != 0)
        return cli_usage("outbox", "unknown action '%s'; use list or send", sub);
    if (optind + 1 < argc)
        return cli_usage("outbox", "unexpected argument '%s'", argv[optind + 1]);
    if (json && strcmp(sub, "send") == 0)
        return cli_usage("outbox", "--json goes with list, not send");
    if (cli_open_db(cli) != 0)
        return EXIT_FAIL;
    return strcmp(sub, "send") == 0 ? outbox_send_cmd(cli) : outbox_list_cmd(cli, json);
}
