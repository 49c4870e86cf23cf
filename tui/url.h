/* Copying and opening URLs (tui/url.c). */
#ifndef TACTFUL_TUI_URL_H
#define TACTFUL_TUI_URL_H

#include "tui/internal.h"

/* Nonzero when url may be copied or opened: http:// or https://, at most 4096 bytes, and
 * nothing a sanitizer would change (no controls, spaces, bidi or invisible characters). */
int tui_url_ok(const char *url);
/* Writes the OSC 52 sequence that puts url on the clipboard to fd; with screen set, wrapped
 * in a DCS passthrough for GNU screen. Refuses (-1) a url that is not tui_url_ok. */
int tui_url_osc52(int fd, const char *url, int screen);
/* Splits open_cmd into a NULL-terminated argv (blanks separate words, "double quotes" group
 * them) with url as the last word, or in place of a word "%u". NULL when cmd has no words. */
char **tui_url_argv(const char *open_cmd, const char *url);
void tui_url_argv_free(char **argv);
/* Runs open_cmd for url without a shell, its output discarded. Returns the child's pid, or
 * -1 with *err set. */
pid_t tui_url_open(const char *open_cmd, const char *url, char **err);

/* Action handlers named by the table in tui/actions.c. */
void tui_url_act_copy(struct tui *t, const struct tui_action *a);
void tui_url_act_open(struct tui *t, const struct tui_action *a);

#endif
