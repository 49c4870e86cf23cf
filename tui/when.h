/* Reading snooze times (tui/when.c). */
#ifndef TACTFUL_TUI_WHEN_H
#define TACTFUL_TUI_WHEN_H

#include "tui/internal.h"

/* Reads a snooze time: "off" (returns 1), or 30m, 2h, 3d, 1w from now; "tomorrow" or a
 * weekday (09:00 local); HH:MM (the next time the clock shows it); YYYY-MM-DD (09:00 local);
 * or an RFC 3339 time. Writes the UTC time to out and returns 0; returns -1 with *err set for
 * anything else, or a time not after now. */
int tui_when_parse(const char *text, time_t now, char out[ISOTIME_LEN], char **err);

#endif
