/* `tactful import` and `tactful export`: JSON Lines in, JSON Lines or CSV out. */
#include "cli/cli.h"

#include "model/export.h"
#include "model/import.h"
#include "model/xmalloc.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
    return 0;
}

int
cmd_import(struct cli *cli, int argc, char **argv)
{
    if (argc < 2)
        return cli_usage("import", "give a JSON Lines file, or - for standard input");
    for (int i = 1; i < argc; i++)
        if (argv[i][0] == '-' && argv[i][1] != '\0')
            return cli_usage("import", "unknown option '%s'", argv[i]);
    if (cli_open_db(cli) != 0)
        return EXIT_FAIL;
    int failed = 0;
    for (int i = 1; i < argc; i++)
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
    long n = export_posts(cli->db, f, thread, fmt, &err);
    int bad = n < 0 || fflush(f) != 0 || fsync(fileno(f)) != 0;
    if (fclose(f) != 0)
        bad = 1;
    if (!bad && rename(tmp, path) != 0)
        bad = 1;
    if (bad) {
        cli_error("cannot write %s: %s", path, err ? err : strerror(errno));
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
    static const struct option opts[] = {
        {"thread", required_argument, NULL, 't'},
        {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        {NULL, 0, NULL, 0},
    };
    enum export_format fmt = EXPORT_JSONL;
    const char *output = NULL;
    long thread = 0;
    int c;
    char *err = NULL;

    optind = 0;
    while ((c = getopt_long(argc, argv, ":o:", opts, NULL)) != -1) {
        switch (c) {
        case 't':
            if ((thread = cli_thread_id("export", optarg)) < 0)
                return EXIT_USAGE;
            break;
        case 'f':
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
        case ':':
            return cli_usage("export", "option '%s' needs a value", argv[optind - 1]);
        default:
            return cli_usage("export", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage("export", "unexpected argument '%s'", argv[optind]);
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
    if (export_posts(cli->db, stdout, thread, fmt, &err) < 0 || fflush(stdout) != 0) {
        cli_error("%s", err ? err : "cannot write the export to standard output");
        free(err);
        return EXIT_FAIL;
    }
    return EXIT_OK;
}
