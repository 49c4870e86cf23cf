/* Colours by role: every part of the screen asks for a role ("the cursor line", "an error"),
 * never a colour, so a monochrome terminal, NO_COLOR and the colour scheme all follow one
 * table. */
#ifndef TACTFUL_COLOUR_H
#define TACTFUL_COLOUR_H

#include "model/config.h"

#include <curses.h>
#include <stddef.h>

enum tui_role {
    ROLE_NORMAL,
    ROLE_BAR,         /* the tab bar and the status bar */
    ROLE_TAB_ACTIVE,  /* the tab in view */
    ROLE_HEADER,      /* column headings, the post header in the thread view */
    ROLE_CURSOR,      /* the selected line */
    ROLE_MARKED,      /* a thread picked for a bulk action */
    ROLE_UNREAD,      /* activity not yet opened */
    ROLE_DIM,         /* secondary text: ages, counts, tree lines */
    ROLE_OURS,        /* posts from the office's own accounts */
    ROLE_HIGH,        /* priority 2, and states that want attention */
    ROLE_URGENT,      /* priority 3 */
    ROLE_DONE,        /* states that need nothing more */
    ROLE_OFFLINE,     /* the OFFLINE marker */
    ROLE_ERROR,       /* error messages */
    ROLE_INFO,        /* other messages */
    ROLE_PROMPT,      /* the prompt line */
    ROLE_NOTE,        /* internal notes */
    ROLE_KEY,         /* key names in the help */
    ROLE_FILTER,      /* the line naming the search and filters in force */
    ROLE_COUNT
};

struct tui_colours {
    int enabled;                 /* nonzero when colour pairs are in use */
    attr_t attr[ROLE_COUNT];
};

/* Sets up the roles for the current screen: colours when want_colour is set and the terminal
 * has them, with the [colours] descriptions in theme (ntheme of them, roles checked with
 * tui_colour_role_check) over the shipped scheme; else the monochrome scheme (bold, underline,
 * reverse), whatever the theme says. Call after initscr. */
void tui_colours_init(struct tui_colours *c, int want_colour, const struct config_colour *theme,
                      size_t ntheme);

/* Whether the environment asks for no colour (NO_COLOR set to anything but ""). */
int tui_colours_wanted(void);

/* The name of a role ("cursor" ...), for tests and messages. */
const char *tui_role_name(enum tui_role role);

#endif
