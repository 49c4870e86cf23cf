/* Sessions kept between runs, one private file per account. */
#include "net/session_file.h"

#include "model/file.h"
#include "model/xmalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The folder holding the session files, newly allocated, or NULL. */
static char *
folder(void)
{
    const char *base = getenv("XDG_STATE_HOME");
    if (base && *base == '/')
        return xasprintf("%s/tactful/sessions", base);
    const char *home = getenv("HOME");
    if (home == NULL || *home != '/')
        return NULL;
    return xasprintf("%s/.local/state/tactful/sessions", home);
}

char *
session_file_path(const char *account)
{
    char *dir = folder();
    if (dir == NULL)
        return NULL;
    struct buf b = {0};
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)account; *p && b.len < 600; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '_' || *p == '-' || (*p == '.' && p != (const unsigned char *)account)) {
            buf_addc(&b, (char)*p);
        } else {
            buf_addc(&b, '%');
            buf_addc(&b, hex[*p >> 4]);
            buf_addc(&b, hex[*p & 15]);
        }
    }
    buf_add(&b, "", 0);
    char *path = xasprintf("%s/%s.json", dir, b.data);
    buf_free(&b);
    free(dir);
    return path;
}

json_t *
session_file_load(const char *account)
{
    char *path = session_file_path(account);
    if (path == NULL)
        return NULL;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    free(path);
    if (fd < 0)
        return NULL;
    struct stat st;
    json_t *j = NULL;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == getuid() &&
        (st.st_mode & 077) == 0 && st.st_size > 0 && st.st_size <= SESSION_FILE_MAX) {
        char *data = xcalloc(1, (size_t)st.st_size + 1);
        ssize_t n = read(fd, data, (size_t)st.st_size);
        if (n == st.st_size)
            j = json_loadb(data, (size_t)n, JSON_REJECT_DUPLICATES, NULL);
        explicit_bzero(data, (size_t)st.st_size);
        free(data);
    }
    close(fd);
    if (j && !json_is_object(j)) {
        json_decref(j);
        j = NULL;
    }
    return j;
}

int
session_file_save(const char *account, const json_t *j, char **err)
{
    char *path = session_file_path(account);
    if (path == NULL) {
        *err = xstrdup("cannot keep the session: set HOME or XDG_STATE_HOME");
        return -1;
    }
    char *dir = xstrndup(path, (size_t)(strrchr(path, '/') - path));
    char *tmp = xasprintf("%s.%ld.tmp", path, (long)getpid());
    char *text = json_dumps(j, JSON_COMPACT);
    int rc = -1, fd = -1;
    if (text == NULL || file_mkdir_p(dir) != 0)
        goto out;
    unlink(tmp);
    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        goto out;
    size_t len = strlen(text);
    if (write(fd, text, len) != (ssize_t)len || fsync(fd) != 0)
        goto out;
    if (close(fd) != 0) {
        fd = -1;
        goto out;
    }
    fd = -1;
    if (rename(tmp, path) != 0)
        goto out;
    rc = 0;
out:
    if (rc != 0) {
        *err = xasprintf("cannot keep the session in %s (%s); the next run logs in again",
                         path, strerror(errno));
        if (fd >= 0)
            close(fd);
        unlink(tmp);
    }
    if (text) {
        explicit_bzero(text, strlen(text));
        free(text);
    }
    free(tmp);
    free(dir);
    free(path);
    return rc;
}
