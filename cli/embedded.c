/* Unpacking the files built into tactful-portable, and the fallbacks a static binary needs on
 * a system without terminfo or locale files (see cli/embedded.h). */
#include "cli/embedded.h"

#include "cli/cli.h"
#include "model/xmalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

int
cli_embedded_has(const char *rel)
{
    size_t n = strlen(rel);
    for (size_t i = 0; i < cli_embedded_count; i++) {
        const char *p = cli_embedded_files[i].path;
        if (strncmp(p, rel, n) == 0 && (p[n] == '\0' || p[n] == '/'))
            return 1;
    }
    return 0;
}

char *
cli_cache_folder(void)
{
    const char *base = getenv("XDG_CACHE_HOME");
    if (base && *base == '/')
        return xasprintf("%s/tactful", base);
    const char *home = getenv("HOME");
    if (home && *home == '/')
        return xasprintf("%s/.cache/tactful", home);
    return NULL;
}

/* Writes len bytes to a new file at path (mode 0600), creating its folders. Returns 0, or -1
 * with errno set. */
static int
write_file(const char *path, const unsigned char *data, size_t len)
{
    char *dir = xstrdup(path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    int rc = slash ? cli_mkdir_p(dir) : 0;
    free(dir);
    if (rc != 0)
        return -1;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return -1;
    for (size_t off = 0; off < len;) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            int e = errno;
            close(fd);
            errno = e;
            return -1;
        }
        off += (size_t)w;
    }
    return close(fd);
}

/* Writes every built-in file under dir. Returns 0, or -1 with errno set. */
static int
unpack_into(const char *dir)
{
    unsigned char *all = xmalloc(cli_embedded_total + 1);
    if (cli_embedded_expand(all) != 0) {
        free(all);
        errno = EILSEQ; /* a damaged binary */
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; i < cli_embedded_count && rc == 0; i++) {
        const struct cli_embedded_file *f = &cli_embedded_files[i];
        if (strstr(f->path, "..") || f->path[0] == '/' || f->offset > cli_embedded_total ||
            f->len > cli_embedded_total - f->offset)
            continue; /* the table is ours, but a path never leaves the folder */
        char *path = xasprintf("%s/%s", dir, f->path);
        rc = write_file(path, all + f->offset, f->len);
        free(path);
    }
    free(all);
    return rc;
}

char *
cli_embedded_root(void)
{
    if (cli_embedded_count == 0)
        return NULL;
    char *base = cli_cache_folder();
    if (base == NULL) {
        cli_error("cannot unpack the built-in share files: neither XDG_CACHE_HOME nor HOME "
                  "is set; set one, or TACTFUL_DATADIR to a share folder");
        return NULL;
    }
    char *root = xasprintf("%s/share-%s-%s", base, TACTFUL_VERSION, cli_embedded_id);
    struct stat st;
    if (stat(root, &st) == 0 && S_ISDIR(st.st_mode)) {
        free(base);
        return root;
    }
    char *tmp = xasprintf("%s/.share-XXXXXX", base);
    int ok = cli_mkdir_p(base) == 0 && mkdtemp(tmp) != NULL && unpack_into(tmp) == 0;
    int e = errno;
    /* Another tactful may have won the race: its complete tree is as good as ours. */
    if (ok && rename(tmp, root) != 0 && !(stat(root, &st) == 0 && S_ISDIR(st.st_mode))) {
        e = errno;
        ok = 0;
    }
    cli_remove_tree(tmp); /* gone after a successful rename */
    if (!ok) {
        cli_error("cannot unpack the built-in share files into %s: %s; set XDG_CACHE_HOME to a "
                  "writable folder, or TACTFUL_DATADIR to a share folder", base, strerror(e));
        free(root);
        root = NULL;
    }
    free(tmp);
    free(base);
    return root;
}

/* Whether the terminfo folder dir describes term (in ncurses' letter or hex layout). */
static int
terminfo_in(const char *dir, size_t dirlen, const char *term)
{
    char *a = xasprintf("%.*s/%c/%s", (int)dirlen, dir, term[0], term);
    char *b = xasprintf("%.*s/%02x/%s", (int)dirlen, dir, (unsigned char)term[0], term);
    int found = access(a, R_OK) == 0 || access(b, R_OK) == 0;
    free(a);
    free(b);
    return found;
}

/* Whether ncurses would find a description of term on disk: $TERMINFO, ~/.terminfo,
 * $TERMINFO_DIRS, then the system folders Debian's ncurses searches. */
static int
terminfo_on_disk(const char *term)
{
    static const char *const system_dirs[] = {"/etc/terminfo", "/lib/terminfo",
                                              "/usr/share/terminfo"};
    const char *env = getenv("TERMINFO");
    if (env && *env && terminfo_in(env, strlen(env), term))
        return 1;
    const char *home = getenv("HOME");
    if (home && *home) {
        char *dot = xasprintf("%s/.terminfo", home);
        int found = terminfo_in(dot, strlen(dot), term);
        free(dot);
        if (found)
            return 1;
    }
    const char *dirs = getenv("TERMINFO_DIRS");
    for (const char *d = dirs; d && *d; d += strcspn(d, ":") + (d[strcspn(d, ":")] == ':')) {
        size_t n = strcspn(d, ":");
        if (n > 0 && terminfo_in(d, n, term))
            return 1;
    }
    for (size_t i = 0; i < sizeof system_dirs / sizeof *system_dirs; i++)
        if (terminfo_in(system_dirs[i], strlen(system_dirs[i]), term))
            return 1;
    return 0;
}

void
cli_terminfo_fallback(void)
{
    const char *term = getenv("TERM");
    if (term == NULL || *term == '\0' || strchr(term, '/') || strstr(term, ".."))
        return;
    char *rel = xasprintf("terminfo/%c/%s", term[0], term);
    int have = cli_embedded_has(rel);
    free(rel);
    if (!have || terminfo_on_disk(term))
        return;
    char *root = cli_embedded_root();
    if (root == NULL)
        return;
    char *dir = xasprintf("%s/terminfo", root);
    setenv("TERMINFO", dir, 1);
    free(dir);
    free(root);
}

/* Whether the locale the environment asks for (LC_ALL, LC_CTYPE, LANG) is a UTF-8 one. */
static int
wants_utf8(void)
{
    static const char *const vars[] = {"LC_ALL", "LC_CTYPE", "LANG"};
    for (size_t i = 0; i < sizeof vars / sizeof *vars; i++) {
        const char *v = getenv(vars[i]);
        if (v == NULL || *v == '\0')
            continue;
        const char *dot = strchr(v, '.');
        return dot && (strncasecmp(dot + 1, "utf-8", 5) == 0 ||
                       strncasecmp(dot + 1, "utf8", 4) == 0);
    }
    return 0;
}

/* Loads C.UTF-8 characters from the built-in table: LOCPATH points at it only while
 * setlocale reads it, so programs tactful starts still see the system's locales. */
static void
locale_from_embedded(void)
{
    if (!cli_embedded_has("locale/C.utf8/LC_CTYPE"))
        return;
    char *root = cli_embedded_root();
    if (root == NULL)
        return;
    const char *old = getenv("LOCPATH");
    char *saved = old ? xstrdup(old) : NULL;
    char *dir = xasprintf("%s/locale", root);
    setenv("LOCPATH", dir, 1);
    setlocale(LC_CTYPE, "C.UTF-8");
    if (saved)
        setenv("LOCPATH", saved, 1);
    else
        unsetenv("LOCPATH");
    free(saved);
    free(dir);
    free(root);
}

void
cli_locale_init(void)
{
    if (setlocale(LC_ALL, "") != NULL || !wants_utf8())
        return;
    /* The UTF-8 locale asked for is not installed here (a copied binary on a bare system):
     * the characters matter for drawing, the rest can stay "C". */
    if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
        locale_from_embedded();
}
