/* Running this tactful again in the background (an outbox send, a sync) on the same cache and
 * configuration. */
#ifndef TACTFUL_TUI_SPAWN_H
#define TACTFUL_TUI_SPAWN_H

#include <sys/types.h>

struct tui_opts;

/* Starts `EXE [--db P] [--config P] ARGS...` (args ends with NULL) with no terminal (standard
 * input, output and error on /dev/null), in its own process group (a C-c meant for the
 * interface must not stop it midway), with env as its environment and, when keep_fd >= 0,
 * keep_fd as its descriptor to_fd. Returns 0 with *pid set, or an errno value. */
int tui_spawn_self(const struct tui_opts *o, const char *const *args, char *const *env,
                   int keep_fd, int to_fd, pid_t *pid);

#endif
