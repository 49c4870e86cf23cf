/* The colour scheme and its monochrome twin, one row per role. */
#include "tui/colour.h"

#include <stdlib.h>

/* One role: its colours (-1 is the terminal's default) with extra attributes, and the
 * attributes that stand in for them without colour. */
static const struct {
    const char *name;
    short fg, bg;
    attr_t colour_attr;
    attr_t mono_attr;
} roles[ROLE_COUNT] = {
    [ROLE_NORMAL] = {"normal", -1, -1, 0, 0},
    [ROLE_BAR] = {"bar", COLOR_WHITE, COLOR_BLUE, 0, A_REVERSE},
    [ROLE_TAB_ACTIVE] = {"tab-active", COLOR_BLACK, COLOR_CYAN, A_BOLD, A_BOLD},
    [ROLE_HEADER] = {"header", -1, -1, A_BOLD, A_BOLD | A_UNDERLINE},
    [ROLE_CURSOR] = {"cursor", COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE},
    [ROLE_MARKED] = {"marked", COLOR_YELLOW, -1, A_BOLD, A_BOLD | A_UNDERLINE},
    [ROLE_UNREAD] = {"unread", -1, -1, A_BOLD, A_BOLD},
    [ROLE_DIM] = {"dim", COLOR_CYAN, -1, 0, 0},
    [ROLE_OURS] = {"ours", COLOR_GREEN, -1, 0, A_UNDERLINE},
    [ROLE_HIGH] = {"high", COLOR_YELLOW, -1, 0, A_BOLD},
    [ROLE_URGENT] = {"urgent", COLOR_RED, -1, A_BOLD, A_BOLD | A_UNDERLINE},
    [ROLE_DONE] = {"done", COLOR_CYAN, -1, 0, 0},
    [ROLE_OFFLINE] = {"offline", COLOR_WHITE, COLOR_RED, A_BOLD, A_BOLD},
    [ROLE_ERROR] = {"error", COLOR_WHITE, COLOR_RED, A_BOLD, A_BOLD},
    [ROLE_INFO] = {"info", COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE | A_BOLD},
    [ROLE_PROMPT] = {"prompt", -1, -1, A_BOLD, A_BOLD},
    [ROLE_NOTE] = {"note", COLOR_MAGENTA, -1, 0, 0},
    [ROLE_KEY] = {"key", COLOR_YELLOW, -1, A_BOLD, A_BOLD},
    [ROLE_FILTER] = {"filter", COLOR_YELLOW, -1, 0, A_BOLD},
};

int
tui_colours_wanted(void)
{
    const char *no = getenv("NO_COLOR");
    return no == NULL || no[0] == '\0';
}

const char *
tui_role_name(enum tui_role role)
{
    return role < ROLE_COUNT ? roles[role].name : "?";
}

void
tui_colours_init(struct tui_colours *c, int want_colour)
{
    c->enabled = want_colour && has_colors() && start_color() == OK;
    /* Without default colours (-1), white on black stands in for the terminal's own. */
    int defaults = c->enabled && use_default_colors() == OK;
    for (int r = 0; r < ROLE_COUNT; r++) {
        if (!c->enabled || r + 1 >= COLOR_PAIRS) {
            c->attr[r] = roles[r].mono_attr;
            continue;
        }
        if (roles[r].fg < 0 && roles[r].bg < 0) {
            c->attr[r] = roles[r].colour_attr;
            continue;
        }
        short fg = roles[r].fg, bg = roles[r].bg;
        if (!defaults) {
            fg = fg < 0 ? COLOR_WHITE : fg;
            bg = bg < 0 ? COLOR_BLACK : bg;
        }
        init_pair((short)(r + 1), fg, bg);
        c->attr[r] = COLOR_PAIR(r + 1) | roles[r].colour_attr;
    }
}
