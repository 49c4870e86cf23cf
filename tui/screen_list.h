/* The interface's places, one line each: the screens, the panels and overlays that lie on or
 * beside them, and the parts that keep state but have no keys of their own. The key contexts
 * (tui/keymap.h) with their words and titles, the screens' table (tui/screen.c) and the slots
 * that hold each one's state (tui/internal.h) are all built from this list, in its order,
 * which is also the order the help, `tactful keys` and the manual list the keys in.
 *
 *   KEYS(id, CTX, screen, place, note)      a key context no screen owns (global)
 *   SCREEN(id, CTX, list, screen, place, note)
 *                                           a screen: `tui_<id>_screen` in its file, its
 *                                           state's slot and its key context
 *   PANEL(id, CTX, list, screen, place, note)
 *                                           a panel or overlay: its state's slot and its
 *                                           key context; the loop or its screen calls it
 *   PART(id)                                a part with state and no keys: its slot only
 *
 * id is the word keymap files use for the context (and the slot's name), CTX names the
 * context's enum entry (KM_<CTX>), list is 1 when the list movement actions apply there
 * (tui/list.h), screen is what the help overlay's title calls it, place is where its keys
 * apply in the help's and the manual's section titles ("In <place>") and note is what the
 * manual adds in brackets, or NULL. */
#ifndef TACTFUL_TUI_SCREEN_LIST_H
#define TACTFUL_TUI_SCREEN_LIST_H

#define TUI_PLACES(KEYS, SCREEN, PANEL, PART)                                                  \
    KEYS(global, GLOBAL, "every screen", NULL, NULL)                                           \
    SCREEN(inbox, INBOX, 1, "inbox", "the inbox", NULL)                                        \
    SCREEN(thread, THREAD, 0, "thread view", "the thread view", NULL)                          \
    PANEL(reckoner, RECKONER, 1, "ready-reckoner", "the ready-reckoner",                       \
          "beside the thread view")                                                            \
    SCREEN(composer, COMPOSER, 0, "composer", "the composer", "other characters type themselves") \
    SCREEN(drafts, DRAFTS, 1, "drafts and approvals", "the drafts and approvals view", NULL)   \
    SCREEN(audit, AUDIT, 1, "audit log", "the audit log", NULL)                                \
    SCREEN(reports, REPORTS, 0, "reports", "the reports", NULL)                                \
    PANEL(help, HELP, 1, "help", "the help overlay", "any other key closes it")                \
    PANEL(prompt, PROMPT, 0, "prompt", "the prompt on the bottom line",                        \
          "other characters type themselves")                                                  \
    PART(approvals)                                                                            \
    PART(sync)

/* Expansions the users of the list share: nothing, and a row's arguments dropped. */
#define TUI_PLACE_NONE(...)

#endif
