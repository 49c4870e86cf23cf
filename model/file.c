/* Opening regular files with a size cap. */
#include "model/file.h"
#include "model/xmalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Whether st is /dev/null, which reads as an empty file ("--config /dev/null" means none). */
static int
is_dev_null(const struct stat *st)
{
    struct stat null;
    return S_ISCHR(st->st_mode) && stat("/dev/null", &null) == 0 && S_ISCHR(null.st_mode) &&
           st->st_rdev == null.st_rdev;
}

FILE *
file_open_regular(const char *path, size_t cap)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return NULL;
    struct stat st;
    int e = 0;
    if (fstat(fd, &st) != 0)
        e = errno;
    else if (S_ISDIR(st.st_mode))
        e = EISDIR;
    else if (!S_ISREG(st.st_mode) && !is_dev_null(&st))
        e = EINVAL;
    else if ((unsigned long long)st.st_size > (unsigned long long)cap)
        e = EFBIG;
    else if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) != 0)
        e = errno;
    FILE *f = e == 0 ? fdopen(fd, "rb") : NULL;
    if (f == NULL) {
        if (e == 0)
            e = errno;
        close(fd);
        errno = e;
    }
    return f;
}

/* Writes a size as "N MiB", "N KiB" or "N bytes". */
static char *
size_words(size_t n)
{
    if (n >= 1024 * 1024 && n % (1024 * 1024) == 0)
        return xasprintf("%zu MiB", n / (1024 * 1024));
    if (n >= 1024 && n % 1024 == 0)
        return xasprintf("%zu KiB", n / 1024);
    return xasprintf("%zu bytes", n);
}

char *
file_write_error(const char *path, int e)
{
    if (e == ENOSPC || e == EDQUOT)
        return xasprintf("the disk holding %s is full: free some space and try again", path);
    return xasprintf("cannot write %s: %s", path, strerror(e));
}

char *
file_problem(int e, size_t cap)
{
    if (e == EISDIR)
        return xstrdup("it is a folder, not a file");
    if (e == EINVAL)
        return xstrdup("it is not a regular file (a device, a FIFO or a socket)");
    if (e == EFBIG) {
        char *size = size_words(cap);
        char *s = xasprintf("it is larger than %s", size);
        free(size);
        return s;
    }
    return xstrdup(strerror(e));
}

int
file_mkdir_p(const char *dir)
{
    char *p = xstrdup(dir);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0700) != 0 && errno != EEXIST) {
            free(p);
            return -1;
        }
        *s = '/';
    }
    int rc = mkdir(p, 0700) != 0 && errno != EEXIST ? -1 : 0;
    free(p);
    return rc;
}
