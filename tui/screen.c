/* The table of screens: adding a screen is its file and one row here. */
#include "tui/screen.h"

#include <stddef.h>

const struct tui_screen *const tui_screens[] = {
    &tui_composer_screen, &tui_thread_screen,  &tui_drafts_screen, &tui_audit_screen,
    &tui_reports_screen,  &tui_inbox_screen,   NULL,
};
