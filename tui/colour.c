/* The colour scheme and its monochrome twin, one row per role. */
#include "tui/colour.h"

#include "model/text.h"
#include "model/xmalloc.h"
#include "tui/tui.h"

#include <stdlib.h>
#include <string.h>

/* One role: its colours (-1 is the terminal's default) with extra attributes, and the
 * attributes that stand in for them without colour. */
static const struct {
    const char *name;
    short fg, bg;
    attr_t colour_attr;
    attr_t mono_attr;
    const char *help;        /* what has the role, for tactful(5) */
} roles[ROLE_COUNT] = {
    [ROLE_NORMAL] = {"normal", -1, -1, 0, 0, "ordinary text"},
    [ROLE_BAR] = {"bar", COLOR_WHITE, COLOR_BLUE, 0, A_REVERSE, "the tab bar and the status bar"},
    [ROLE_TAB_ACTIVE] = {"tab-active", COLOR_BLACK, COLOR_CYAN, A_BOLD, A_BOLD,
                         "the tab in view"},
    [ROLE_HEADER] = {"header", -1, -1, A_BOLD, A_BOLD | A_UNDERLINE,
                     "column headings and the post headers of the thread view"},
    [ROLE_CURSOR] = {"cursor", COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE, "the line under the cursor"},
    [ROLE_MARKED] = {"marked", COLOR_YELLOW, -1, A_BOLD, A_BOLD | A_UNDERLINE,
                     "threads selected for a bulk action"},
    [ROLE_UNREAD] = {"unread", -1, -1, A_BOLD, A_BOLD, "threads with activity not yet opened"},
    [ROLE_DIM] = {"dim", COLOR_CYAN, -1, 0, 0, "secondary text: ages, counts, tree lines"},
    [ROLE_OURS] = {"ours", COLOR_GREEN, -1, 0, A_UNDERLINE,
                   "posts from the office's own accounts"},
    [ROLE_HIGH] = {"high", COLOR_YELLOW, -1, 0, A_BOLD,
                   "priority 2, and states that want attention"},
    [ROLE_URGENT] = {"urgent", COLOR_RED, -1, A_BOLD, A_BOLD | A_UNDERLINE, "priority 3"},
    [ROLE_DONE] = {"done", COLOR_CYAN, -1, 0, 0, "states that need nothing more"},
    [ROLE_OFFLINE] = {"offline", COLOR_WHITE, COLOR_RED, A_BOLD, A_BOLD, "the OFFLINE marker"},
    [ROLE_ERROR] = {"error", COLOR_WHITE, COLOR_RED, A_BOLD, A_BOLD, "error messages"},
    [ROLE_INFO] = {"info", COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE | A_BOLD,
                   "other messages"},
    [ROLE_PROMPT] = {"prompt", -1, -1, A_BOLD, A_BOLD, "the question on the bottom line"},
    [ROLE_NOTE] = {"note", COLOR_MAGENTA, -1, 0, 0, "internal notes"},
    [ROLE_KEY] = {"key", COLOR_YELLOW, -1, A_BOLD, A_BOLD, "key names in the help"},
    [ROLE_FILTER] = {"filter", COLOR_YELLOW, -1, 0, A_BOLD,
                     "the line naming the search and filters in force"},
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

const char *
tui_role_help(size_t i, const char **name)
{
    if (i >= ROLE_COUNT)
        return NULL;
    *name = roles[i].name;
    return roles[i].help;
}

/* The role called name, or -1. */
static int
role_index(const char *name)
{
    for (int r = 0; r < ROLE_COUNT; r++)
        if (strcmp(roles[r].name, name) == 0)
            return r;
    return -1;
}

int
tui_colour_role_check(const char *role, char **err)
{
    *err = NULL;
    if (role_index(role) >= 0)
        return 0;
    const char *names[ROLE_COUNT];
    struct buf b = {0};
    for (int r = 0; r < ROLE_COUNT; r++) {
        names[r] = roles[r].name;
        buf_printf(&b, "%s%s", r ? ", " : "", roles[r].name);
    }
    const char *near = text_nearest(role, strlen(role), names, ROLE_COUNT);
    char *hint = near ? xasprintf(" (did you mean %s?)", near) : xstrdup("");
    *err = xasprintf("there is no colour role called '%.40s' in [colours]; the roles are %s%s",
                     role, b.data, hint);
    free(hint);
    buf_free(&b);
    return -1;
}

/* The curses attributes of a description's attribute bits. */
static attr_t
theme_attrs(unsigned bits)
{
    return (bits & CONFIG_ATTR_BOLD ? A_BOLD : 0) | (bits & CONFIG_ATTR_UNDERLINE ? A_UNDERLINE : 0)
           | (bits & CONFIG_ATTR_REVERSE ? A_REVERSE : 0) | (bits & CONFIG_ATTR_DIM ? A_DIM : 0);
}

void
tui_colours_init(struct tui_colours *c, int want_colour, const struct config_colour *theme,
                 size_t ntheme)
{
    c->enabled = want_colour && has_colors() && start_color() == OK;
    /* Without default colours (-1), white on black stands in for the terminal's own. */
    int defaults = c->enabled && use_default_colors() == OK;
    for (int r = 0; r < ROLE_COUNT; r++) {
        if (!c->enabled || r + 1 >= COLOR_PAIRS) {
            c->attr[r] = roles[r].mono_attr;
            continue;
        }
        short fg = roles[r].fg, bg = roles[r].bg;
        attr_t extra = roles[r].colour_attr;
        for (size_t i = 0; i < ntheme; i++)
            if (role_index(theme[i].role) == r) {
                fg = (short)theme[i].fg;
                bg = (short)theme[i].bg;
                extra = theme_attrs(theme[i].attrs);
            }
        if (fg < 0 && bg < 0) { /* the terminal's own colours: no pair needed */
            c->attr[r] = extra;
            continue;
        }
        if (!defaults) {
            fg = fg < 0 ? COLOR_WHITE : fg;
            bg = bg < 0 ? COLOR_BLACK : bg;
        }
        init_pair((short)(r + 1), fg, bg);
        c->attr[r] = COLOR_PAIR(r + 1) | extra;
    }
}
