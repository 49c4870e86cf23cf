/* `tactful sync [ACCOUNT...]`: read what is new from the platforms into the cache. */
#include "cli/cli.h"
#include "cli/cmd_bundle.h"

#include "model/text.h"
#include "model/xmalloc.h"
#include "net/sync.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Longest reason a progress line carries, in columns (cut with an ellipsis). */
#define PROGRESS_REASON_COLS 200

/* Totals over the run, and whether to print a line per account. */
struct sync_out {
    int progress;
    int progress_fd;      /* --progress-fd: the interface's pipe, or -1 */
    long accounts, failed, skipped, new_posts, updated_posts, new_threads, shortened, refused,
        deleted;
};

/* Writes one line to the progress stream, whole; a reader that has gone is not an error. */
static void
progress_line(struct sync_out *o, const char *line)
{
    if (o->progress_fd < 0)
        return;
    size_t len = strlen(line), off = 0;
    while (off < len) {
        ssize_t w = write(o->progress_fd, line + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            o->progress_fd = -1;
            return;
        }
        off += (size_t)w;
    }
}

/* The progress line of a finished account: "done ACCOUNT RESULT NEW REASON", separated by
 * tabs, the reason on one line, display-safe and bounded. */
static void
progress_done(struct sync_out *o, const struct sync_report *r)
{
    const char *result = !r->ok ? "failed" : r->skipped ? "busy" : "ok";
    const char *why = !r->ok ? r->error : r->skipped ? r->skipped : "";
    char *clean = text_sanitize(why ? why : "", strlen(why ? why : ""), 0);
    char *fit = text_fit(clean, PROGRESS_REASON_COLS, 1);
    char *line = xasprintf("done\t%s\t%s\t%ld\t%s\n", r->account, result,
                           r->ok && !r->skipped ? r->new_threads : 0L, fit);
    progress_line(o, line);
    free(line);
    free(fit);
    free(clean);
}

/* Called as each account starts. */
static void
on_start(const char *account, void *arg)
{
    struct sync_out *o = arg;
    char *line = xasprintf("start\t%s\n", account);
    progress_line(o, line);
    free(line);
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
    progress_done(o, r);
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

/* Takes the hidden --progress-fd N (the interface's pipe) out of argv. Returns the fd, -1
 * when not given, or -2 after a usage message. */
static int
progress_option(int *argc, char **argv)
{
    int fd = -1;
    for (int i = 1; i < *argc; i++) {
        if (strcmp(argv[i], "--progress-fd") != 0)
            continue;
        char *end;
        long v = i + 1 < *argc ? strtol(argv[i + 1], &end, 10) : -1;
        if (i + 1 >= *argc || *end != '\0' || v < 3 || v > INT_MAX ||
            fcntl((int)v, F_GETFD) < 0) {
            cli_usage("sync", "--progress-fd needs an open file descriptor from 3 up");
            return -2;
        }
        fd = (int)v;
        fcntl(fd, F_SETFD, FD_CLOEXEC); /* not for a token_cmd the sync runs */
        memmove(&argv[i], &argv[i + 2], (size_t)(*argc - i - 2) * sizeof *argv);
        *argc -= 2;
        i--;
    }
    return fd;
}

int
cmd_sync(struct cli *cli, int argc, char **argv)
{
    int progress_fd = progress_option(&argc, argv);
    if (progress_fd == -2)
        return EXIT_USAGE;
    for (int i = 1; i < argc; i++)
        if (argv[i][0] == '-')
            return cli_usage("sync", "unknown option '%s'", argv[i]);
    if (progress_fd >= 0)
        signal(SIGPIPE, SIG_IGN); /* an interface that quits must not stop the sync midway */
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
    struct sync_out o = {.progress = isatty(STDOUT_FILENO), .progress_fd = progress_fd};
    int failed = sync_accounts(cli->db, cli->cfg, argv + 1, (size_t)(argc - 1), &opts, on_start,
                               on_report, &o, &err);
    if (failed < 0) {
        /* Nothing could start: the interface hears why, on one line. */
        char *clean = text_sanitize(err, strlen(err), 0);
        char *fit = text_fit(clean, PROGRESS_REASON_COLS, 1);
        char *line = xasprintf("error\t%s\n", fit);
        progress_line(&o, line);
        free(line);
        free(fit);
        free(clean);
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
