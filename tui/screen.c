/* The table of screens, built from tui/screen_list.h: adding a screen is its file and one
 * line there. */
#include "tui/screen.h"

#include <stddef.h>

#define SCREEN_ROW(id, ...) &tui_##id##_screen,
const struct tui_screen *const tui_screens[] = {
    TUI_PLACES(TUI_PLACE_NONE, SCREEN_ROW, TUI_PLACE_NONE, TUI_PLACE_NONE) NULL,
};
