/* `tactful import` and `tactful export`: JSON Lines in, JSON Lines or CSV out; offline review
 * bundles (--bundle) are handed to cli/cmd_bundle.c. */
#include "cli/cli.h"
#include "cli/cmd_bundle.h"

#include "model/export.h"
#include "model/file.h"
#include "model/import.h"
#include "model/xmalloc.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* --thread options one bundle export takes. */
#define BUNDLE_CLI_MAX_THREADS 1000

/* Imports one file (or standard input for "-"); prints what it did. Returns 0 or -1. */
static int
import_one(struct cli *cli, const char *path)
{
    int is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "r");
    const char *name = is_stdin ? "<stdin>" : path;
    char *err = NULL;
    struct import_stats s;
    if (f == NULL) {
        cli_error("cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (!is_stdin && fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        cli_error("cannot import %s: it is a folder, not a file; name a JSON Lines file", path);
        fclose(f);
        return -1;
    }
    int rc = import_jsonl(cli->db, f, name, &s, &err);
    if (!is_stdin)
        fclose(f);
    if (rc != 0) {
        cli_error("%s", err);
        free(err);
        return -1;
    }
    fprintf(stderr, "%s: %ld posts: %ld new, %ld updated, %ld unchanged; %ld new threads\n", name,
            s.lines, s.new_posts, s.updated_posts, s.unchanged_posts, s.new_threads);
    if (s.shortened_posts > 0)
        fprintf(stderr, "%s: %ld post%s longer than the cache keeps, stored shortened and "
                        "marked [shortened] (see JSON LINES in tactful(5))\n",
                name, s.shortened_posts, s.shortened_posts == 1 ? " was" : "s were");
    return 0;
}

int
cmd_import(struct cli *cli, int argc, char **argv)
{
    if (argc < 2)
        return cli_usage("import", "give a JSON Lines file, or - for standard input");
    const char *bundle = NULL;
    int c;
    optind = 0;
    while ((c = cli_getopt("import", argc, argv)) != -1) {
        if (c == CLI_OPT_ERROR)
            return EXIT_USAGE;
        bundle = optarg;
    }
    if (bundle) {
        if (*bundle == '\0')
            return cli_usage("import", "--bundle needs the bundle file");
        if (optind < argc)
            return cli_usage("import", "give one bundle file; unexpected '%s'", argv[optind]);
        return bundle_import_cmd(cli, bundle);
    }
    if (optind >= argc)
        return cli_usage("import", "give a JSON Lines file, or - for standard input");
    if (cli_open_db(cli) != 0)
        return EXIT_FAIL;
    int failed = 0;
    for (int i = optind; i < argc; i++)
        failed |= import_one(cli, argv[i]) != 0;
    return failed ? EXIT_FAIL : EXIT_OK;
}

/* Writes the export to path through a temporary file renamed into place, so a reader never
 * sees half a file. */
static int
export_to_file(struct cli *cli, const char *path, long thread, enum export_format fmt)
{
    char *tmp = xasprintf("%s.tmp-XXXXXX", path);
    char *err = NULL;
    int fd = mkstemp(tmp);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (f == NULL) {
        cli_error("cannot write %s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        free(tmp);
        return EXIT_FAIL;
    }
    long n = export_posts(cli->db, f, thread, fmt, 0, &err);
    int bad = n < 0 || fflush(f) != 0 || fsync(fileno(f)) != 0;
    int e = errno;
    if (fclose(f) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    if (!bad && rename(tmp, path) != 0) {
        bad = 1;
        e = errno;
    }
    if (bad) {
        char *why = err ? xasprintf("cannot write %s: %s", path, err) : file_write_error(path, e);
        cli_error("%s", why);
        free(why);
        unlink(tmp);
        free(err);
        free(tmp);
        return EXIT_FAIL;
    }
    free(tmp);
    fprintf(stderr, "%s: %ld posts written\n", path, n);
    return EXIT_OK;
}

int
cmd_export(struct cli *cli, int argc, char **argv)
{
    enum export_format fmt = EXPORT_JSONL;
    const char *output = NULL, *bundle = NULL, *state = NULL;
    long thread = 0, threads[BUNDLE_CLI_MAX_THREADS];
    size_t nthreads = 0;
    int c, format_given = 0;
    char *err = NULL;

    optind = 0;
    while ((c = cli_getopt("export", argc, argv)) != -1) {
        switch (c) {
        case CLI_OPT_ERROR:
            return EXIT_USAGE;
        case 't':
            if ((thread = cli_thread_id("export", optarg)) < 0)
                return EXIT_USAGE;
            if (nthreads == BUNDLE_CLI_MAX_THREADS)
                return cli_usage("export", "at most %d --thread options; use --state",
                                 BUNDLE_CLI_MAX_THREADS);
            threads[nthreads++] = thread;
            break;
        case 'b':
            bundle = optarg;
            break;
        case 's':
            state = optarg;
            break;
        case 'f':
            format_given = 1;
            if (strcmp(optarg, "jsonl") == 0)
                fmt = EXPORT_JSONL;
            else if (strcmp(optarg, "csv") == 0)
                fmt = EXPORT_CSV;
            else
                return cli_usage("export", "unknown format '%s'; use jsonl or csv", optarg);
            break;
        case 'o':
            output = optarg;
            break;
        }
    }
    if (optind < argc)
        return cli_usage("export", "unexpected argument '%s'", argv[optind]);
    if (bundle) {
        if (format_given || output)
            return cli_usage("export", "--bundle writes its own file; leave out --format and "
                                       "--output");
        if (state && nthreads)
            return cli_usage("export", "choose threads with --state or with --thread, not both");
        return bundle_export_cmd(cli, bundle, state, threads, nthreads);
    }
    if (state)
        return cli_usage("export", "--state chooses the threads of a --bundle");
    if (nthreads > 1)
        return cli_usage("export", "give one --thread (several only with --bundle)");
    if (cli_open_db(cli) != 0)
        return EXIT_FAIL;
    if (thread) {
        struct thread *t = thread_get(cli->db, thread, &err);
        if (t == NULL) {
            cli_error("%s", err);
            free(err);
            return EXIT_FAIL;
        }
        thread_free(t);
    }
    if (output)
        return export_to_file(cli, output, thread, fmt);
    /* On a terminal the public's escape sequences are shown, not run (like ls); a file or a
     * pipe gets the exact text. JSON is safe either way: every control is escaped. */
    int display = isatty(STDOUT_FILENO);
    if (export_posts(cli->db, stdout, thread, fmt, display, &err) < 0 || fflush(stdout) != 0) {
        if (err == NULL)
            err = file_write_error("standard output", errno);
        cli_error("%s", err);
        free(err);
        return EXIT_FAIL;
    }
    return EXIT_OK;
}
