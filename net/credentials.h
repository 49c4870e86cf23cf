/* Reading an account's secret from the source its configuration names: token_cmd (a program
 * run directly with its arguments, never through a shell), token_file (refused unless only its
 * owner can read it) or token_env. Secrets are held only in memory and wiped when freed; no
 * message ever quotes one. */
#ifndef TACTFUL_NET_CREDENTIALS_H
#define TACTFUL_NET_CREDENTIALS_H

#include "model/config.h"

#include <stddef.h>

#define CREDENTIALS_MAX_OUTPUT (64 * 1024) /* token_cmd output and token_file size cap */
#define CREDENTIALS_MAX_ARGS 64

/* Returns the secret of account a (newly allocated, first line of the source without its line
 * ending and surrounding whitespace), or NULL with *err set to a sentence that says what to
 * fix. timeout_ms bounds how long token_cmd may run. */
char *credentials_read(const struct config_account *a, long timeout_ms, char **err);

/* Wipes and frees a secret. NULL is fine. */
void credentials_free(char *secret);

/* Splits a token_cmd line into arguments: whitespace separates them; '...' keeps everything
 * literally; "..." keeps everything but \" and \\ (which become " and \); a backslash outside
 * quotes keeps the next character. Sets *argv (NULL-terminated, free with
 * credentials_argv_free) and returns the count, or returns -1 with *err set (an unterminated
 * quote, no program, more than CREDENTIALS_MAX_ARGS arguments). */
int credentials_split(const char *cmd, char ***argv, char **err);

void credentials_argv_free(char **argv);

/* How long token_cmd may run: TACTFUL_TOKEN_TIMEOUT seconds when set and valid, else 30 s. */
long credentials_timeout_ms(void);

#endif
