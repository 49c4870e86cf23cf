/* Helpers every command shares: messages, argument checks, the cache, shipped data, the demo. */
#include "cli/cli.h"

#include "cli/embedded.h"

#include "model/file.h"
#include "model/import.h"
#include "model/text.h"
#include "model/xmalloc.h"

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Prints prefix and the formatted message, made safe for a terminal, to stderr. */
static void
vmessage(const char *prefix, const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0)
        return;
    char *msg = xmalloc((size_t)n + 1);
    vsnprintf(msg, (size_t)n + 1, fmt, ap);
    char *safe = text_sanitize(msg, (size_t)n, TEXT_MULTILINE);
    fprintf(stderr, "%s%s\n", prefix, safe);
    free(safe);
    free(msg);
}

void
cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage("tactful: ", fmt, ap);
    va_end(ap);
}

int
cli_output_gone(void)
{
    if (errno == EPIPE)
        return EXIT_OK;
    cli_error("cannot write the output: %s", strerror(errno));
    return EXIT_FAIL;
}

int
cli_usage(const char *name, const char *fmt, ...)
{
    char prefix[64];
    va_list ap;
    snprintf(prefix, sizeof prefix, "tactful %s: ", name);
    va_start(ap, fmt);
    vmessage(prefix, fmt, ap);
    va_end(ap);
    const struct cli_command *c = cli_command_find(name);
    if (c)
        fprintf(stderr, "usage: tactful %s %s\n(see 'tactful help %s')\n", name, c->usage, name);
    return EXIT_USAGE;
}

long
cli_thread_id(const char *cmd, const char *s)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end != '\0' || v <= 0) {
        cli_usage(cmd, "'%s' is not a thread number; `tactful list` shows them", s);
        return -1;
    }
    return v;
}

int
cli_mkdir_p(const char *dir)
{
    return file_mkdir_p(dir);
}

int
cli_open_db(struct cli *cli)
{
    char *err = NULL;
    if (cli->db)
        return 0;
    char *dir = xstrdup(cli->db_path);
    char *slash = strrchr(dir, '/');
    if (slash && slash != dir) {
        *slash = '\0';
        if (cli_mkdir_p(dir) != 0) {
            cli_error("cannot create the folder %s for the cache: %s", dir, strerror(errno));
            free(dir);
            return -1;
        }
    }
    free(dir);
    cli->db = db_open(cli->db_path, &err);
    if (cli->db == NULL) {
        cli_error("%s", err);
        free(err);
        return -1;
    }
    return 0;
}

/* Returns a newly allocated path when dir/rel exists, else NULL. */
static char *
try_path(const char *dir, const char *rel)
{
    char *p = xasprintf("%s/%s", dir, rel);
    if (access(p, R_OK) == 0)
        return p;
    free(p);
    return NULL;
}

char *
cli_data_path(const char *rel)
{
    char *p;
    const char *env = getenv("TACTFUL_DATADIR");
    /* A list of folders, like PATH: a source tree keeps the demo in share/ and the keymaps at
     * its top, so running from one needs both. */
    for (const char *d = env; d && *d; d += strcspn(d, ":") + (d[strcspn(d, ":")] == ':')) {
        size_t n = strcspn(d, ":");
        if (n == 0)
            continue;
        char *dir = xstrndup(d, n);
        p = try_path(dir, rel);
        free(dir);
        if (p)
            return p;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            char *src = xasprintf("%s/share", exe);        /* running from a source tree */
            char *pre = xasprintf("%s/../share/tactful", exe); /* PREFIX/bin/tactful */
            p = try_path(src, rel);
            if (p == NULL)
                p = try_path(exe, rel); /* a source tree's top-level keymaps/ */
            if (p == NULL)
                p = try_path(pre, rel);
            free(src);
            free(pre);
            if (p)
                return p;
        }
    }
    p = try_path(TACTFUL_DATADIR, rel);
    if (p == NULL && cli_embedded_has(rel)) { /* tactful-portable: its built-in copy */
        char *root = cli_embedded_root();
        p = root ? try_path(root, rel) : NULL;
        free(root);
    }
    return p;
}

char *
cli_config_file(const char *rel)
{
    const char *base = getenv("XDG_CONFIG_HOME");
    if (base && *base == '/')
        return xasprintf("%s/tactful/%s", base, rel);
    const char *home = getenv("HOME");
    return xasprintf("%s/.config/tactful/%s", home && *home ? home : ".", rel);
}

/* Creates the demo's private folder in $TMPDIR, else $XDG_RUNTIME_DIR, else /tmp, else (a bare
 * system without one) the cache folder. Returns its newly allocated path, or prints why not
 * and returns NULL. */
static char *
demo_folder(void)
{
    const char *tmp = getenv("TMPDIR"), *run = getenv("XDG_RUNTIME_DIR");
    char *cache = cli_cache_folder();
    const char *tries[] = {tmp && *tmp ? tmp : NULL, run && *run == '/' ? run : NULL, "/tmp",
                           cache};
    const char *first = NULL;
    int e = 0;
    for (size_t i = 0; i < sizeof tries / sizeof *tries; i++) {
        if (tries[i] == NULL)
            continue;
        char *tmpl = xasprintf("%s/tactful-demo-XXXXXX", tries[i]);
        if ((tries[i] != cache || cli_mkdir_p(cache) == 0) && mkdtemp(tmpl) != NULL) {
            free(cache);
            return tmpl;
        }
        if (first == NULL) {
            first = tries[i];
            e = errno;
        }
        free(tmpl);
    }
    cli_error("cannot create a folder for the demo in %s: %s", first, strerror(e));
    free(cache);
    return NULL;
}

/* Whether the officer was named (TACTFUL_OFFICER or the configuration's officer) rather than
 * taken from the login name. */
static int
officer_named(const struct cli *cli)
{
    const char *env = getenv("TACTFUL_OFFICER");
    return (env && *env) || (cli->cfg && cli->cfg->officer && *cli->cfg->officer);
}

int
cli_demo_setup(struct cli *cli)
{
    /* The login name (root, in a container) is nobody in the demo's office. */
    if (!officer_named(cli)) {
        free(cli->officer);
        cli->officer = xstrdup(CLI_DEMO_OFFICER);
    }
    char *demo = cli_data_path("demo/demo.jsonl");
    if (demo == NULL) {
        cli_error("cannot find the demo workspace (demo/demo.jsonl); reinstall tactful or set "
                  "TACTFUL_DATADIR to its share folder");
        return -1;
    }
    char *tmpl = demo_folder();
    if (tmpl == NULL) {
        free(demo);
        return -1;
    }
    cli->demo_dir = tmpl;
    free(cli->db_path);
    cli->db_path = xasprintf("%s/cache.db", tmpl);
    FILE *f = fopen(demo, "r");
    if (f == NULL) {
        cli_error("cannot read the demo %s: %s", demo, strerror(errno));
        free(demo);
        return -1;
    }
    struct import_stats stats;
    char *err = NULL;
    int rc = cli_open_db(cli) == 0 ? import_jsonl(cli->db, f, demo, &stats, &err) : -1;
    fclose(f);
    free(demo);
    if (err) {
        cli_error("%s", err);
        free(err);
    }
    return rc;
}

/* Removes one file or folder of a tree being deleted (nftw callback). */
static int
remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)type;
    (void)ftw;
    remove(path);
    return 0;
}

void
cli_remove_tree(const char *dir)
{
    nftw(dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}

void
cli_demo_cleanup(struct cli *cli)
{
    if (cli->demo_dir == NULL)
        return;
    db_close(cli->db);
    cli->db = NULL;
    cli_remove_tree(cli->demo_dir);
    free(cli->demo_dir);
    cli->demo_dir = NULL;
}
