/* Platform sessions kept between runs (Bluesky's access and refresh tokens), so that each run
 * refreshes the session it had instead of logging in again. One file per account under
 * $XDG_STATE_HOME/tactful/sessions/ (else ~/.local/state/tactful/sessions/), a JSON object,
 * readable only by the user (0600 in a 0700 folder); never in the cache, so never in a bundle
 * or an export. */
#ifndef TACTFUL_NET_SESSION_FILE_H
#define TACTFUL_NET_SESSION_FILE_H

#include <jansson.h>

#define SESSION_FILE_MAX (64 * 1024) /* larger files are ignored */

/* The file for account, newly allocated (the name is percent-encoded outside [A-Za-z0-9._-]),
 * or NULL when neither XDG_STATE_HOME (absolute) nor HOME is set. */
char *session_file_path(const char *account);

/* Reads the session kept for account: a JSON object, or NULL when there is none or it cannot
 * be trusted (not a regular file owned by the user, readable by others, too large, not JSON).
 * Never fails loudly: without a kept session the platform is logged in afresh. */
json_t *session_file_load(const char *account);

/* Replaces the session kept for account with j (written to a new 0600 file, synced, then
 * renamed over the old one, so a crash leaves either). Returns 0, or -1 with *err set. */
int session_file_save(const char *account, const json_t *j, char **err);

#endif
