/* Running this tactful again in the background, with the interface's cache and configuration. */
#include "tui/spawn.h"

#include "tui/tui.h"

#include "model/xmalloc.h"

#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <unistd.h>

int
tui_spawn_self(const struct tui_opts *o, const char *const *args, char *const *env,
               int keep_fd, int to_fd, pid_t *pid)
{
    size_t nargs = 0;
    while (args[nargs])
        nargs++;
    char **argv = xcalloc(nargs + 6, sizeof *argv);
    size_t n = 0;
    argv[n++] = (char *)o->exe;
    if (o->db_path) {
        argv[n++] = (char *)"--db";
        argv[n++] = (char *)o->db_path;
    }
    if (o->config_path) {
        argv[n++] = (char *)"--config";
        argv[n++] = (char *)o->config_path;
    }
    for (size_t i = 0; i < nargs; i++)
        argv[n++] = (char *)args[i];
    argv[n] = NULL;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    if (keep_fd >= 0)
        posix_spawn_file_actions_adddup2(&fa, keep_fd, to_fd);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);
    int rc = posix_spawn(pid, o->exe, &fa, &attr, argv, env);
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&fa);
    free(argv);
    return rc;
}
