/* What the modules of the terminal interface share; nothing outside tui/ includes this.
 *
 * One struct tui holds the whole interface's state and is passed to every function: the
 * screens (each a module with a _draw function and action handlers), the prompt, the help
 * overlay, the undo stack and the status message. Keys reach the screens only through the
 * action table (tui/actions.c), looked up in the keymap in force. */
#ifndef TACTFUL_TUI_INTERNAL_H
#define TACTFUL_TUI_INTERNAL_H

#include "model/db.h"
#include "model/draft.h"
#include "model/isotime.h"
#include "tui/actions.h"
#include "tui/colour.h"
#include "tui/keymap.h"
#include "tui/screen.h"
#include "tui/tui.h"

#include <curses.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

struct inbox;   /* tui/inbox.c */
struct tview;   /* tui/thread.c */
struct prompt;  /* tui/prompt.c */
struct drafts;  /* tui/drafts.c */
struct auditv;  /* tui/auditview.c */
struct review;  /* tui/approvals.c */
struct reckoner; /* tui/reckoner.c */
struct composer; /* tui/composer.c */
struct help;    /* tui/help.c */
struct editbuf;
struct editbuf_row;
struct thread_row;
struct thread_post;

/* The screens back leads to, most recent last; the oldest is dropped when it is full. */
#define TUI_BACK_MAX 16

/* What the status bar says about replies waiting and drafts to approve (tui/outbox.c). */
struct tui_outbox {
    long queued;        /* queued or sending */
    long failed;        /* of those, the ones whose last attempt failed */
    long in_doubt;      /* left `sending` by a process that died */
    long to_approve;    /* other officers' drafts waiting for approval */
    pid_t send_pid;     /* the running `tactful outbox send`, or 0 */
    long send_before;   /* replies waiting when it started */
};

/* One undoable triage action: the audit entries it wrote (one per thread changed). */
struct undo_step {
    char *what;     /* "state to_reply on thread 21" */
    long *entries;
    size_t n;
};

#define TUI_UNDO_MAX 50
#define TUI_MESSAGE_MAX 512

struct tui {
    const struct tui_opts *opts;
    struct db *db;
    struct tui_colours colours;
    const struct tui_screen *screen; /* the screen showing (tui/screen.h) */
    struct inbox *inbox;
    struct tview *thread;          /* the open thread, or NULL */
    struct drafts *drafts;         /* the drafts view, or NULL before it is first opened */
    struct auditv *audit;          /* the audit view, or NULL when closed */
    const struct tui_screen *back[TUI_BACK_MAX];
    size_t nback;
    struct tui_outbox outbox;
    struct review *review;         /* the selected draft's findings (tui/approvals.c) */
    long draft_asked;              /* the draft a question of the drafts view is about */
    struct reckoner *reckoner;     /* the ready-reckoner beside the thread, or NULL */
    struct composer *composer;     /* the reply being written (screen TUI_COMPOSER), or NULL */
    struct prompt *prompt;         /* the question being asked, or NULL */
    struct help *help;             /* the help overlay (tui/help.c), or NULL when closed */
    struct undo_step undo[TUI_UNDO_MAX];
    size_t nundo;
    char message[TUI_MESSAGE_MAX]; /* for the status bar; cleared by the next key */
    int message_error;
    int quit;
    struct {                       /* progress of a sync, for the status bar (none yet) */
        int active;
        long done, total;
        char label[64];
    } sync;
};

/* tui/tui.c */
void tui_message(struct tui *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tui_error(struct tui *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Shows err (a model error) as the message, prefixed by what failed, and frees it. */
void tui_error_take(struct tui *t, const char *what, char *err);
enum keymap_context tui_context(const struct tui *t);
/* The threads a triage action applies to: the open thread, else the threads selected in the
 * inbox, else the one under the cursor. Returns their number (0 when there is none); *ids is
 * newly allocated. */
size_t tui_targets(struct tui *t, long **ids);
/* How much a reload rereads: the page; also the counts; also the page's position. */
enum { TUI_RELOAD_PAGE, TUI_RELOAD_COUNTS, TUI_RELOAD_ALL };
/* Rereads what the screens show from the cache (how: as for tui_inbox_reload). */
void tui_refresh_data(struct tui *t, int how);
/* Shows screen s, remembering the current one for tui_screen_back. */
void tui_screen_push(struct tui *t, const struct tui_screen *s);
/* Goes back to the screen before (the inbox when there is none). */
void tui_screen_back(struct tui *t);

/* tui/draw.c: drawing with roles; every string from the cache goes through put_raw. */
attr_t tui_attr(const struct tui *t, enum tui_role role);
/* Draws safe (already sanitized) text at y, x, cut and padded to exactly cols columns. */
void tui_put(int y, int x, const char *safe, int cols, attr_t attr);
/* Draws text from the cache or the network at y, x: sanitized onto one line, fitted to cols. */
void tui_put_raw(int y, int x, const char *raw, int cols, attr_t attr);
/* Returns a newly allocated, sanitized first line of raw text. */
char *tui_first_line(const char *raw);
/* Splits raw text into display lines of width columns: sanitized, paragraphs kept, long lines
 * wrapped, each indented by indent spaces. The lines are NUL-separated in the returned buffer
 * (at least one line); *n is their number. */
char *tui_wrap_text(const char *raw, int indent, int width, size_t *n);

/* Lines of a scrollable pane, each safe text with its role. */
struct tui_lines {
    struct tui_line {
        char *text;
        enum tui_role role;
    } *v;
    size_t n;
};
/* Appends safe (already sanitized) text as one line. */
void tui_lines_add(struct tui_lines *l, enum tui_role role, const char *safe);
/* Appends raw text wrapped to width columns with indent (see tui_wrap_text). */
void tui_lines_wrap(struct tui_lines *l, enum tui_role role, const char *raw, int indent,
                    int width);
void tui_lines_free(struct tui_lines *l);
/* Draws lines [top, top + h) of l at y; returns the top actually used (clamped). */
long tui_lines_draw(struct tui *t, const struct tui_lines *l, long top, int y, int h);
/* Draws the status bar on the last line: mode, counts, sync, OFFLINE, the message. */
void tui_status_draw(struct tui *t, const char *mode, const char *where);

/* tui/inbox.c */
struct inbox *tui_inbox_new(struct tui *t);
void tui_inbox_free(struct inbox *in);
void tui_inbox_draw(struct tui *t);
/* Rereads the page from the cache, and with how >= TUI_RELOAD_COUNTS the per-state counts,
 * and with TUI_RELOAD_ALL the page's position too. */
void tui_inbox_reload(struct tui *t, int how);
size_t tui_inbox_targets(struct tui *t, long **ids);
void tui_inbox_clear_selection(struct tui *t);
/* The URL of the thread under the cursor, or NULL. */
const char *tui_inbox_url(struct tui *t);
/* The position and count of the inbox for the status bar. */
void tui_inbox_where(struct tui *t, char *out, size_t cap);

/* tui/thread.c */
/* Opens thread id in the thread view (marking it read); returns 0 or -1 with a message. */
int tui_thread_open(struct tui *t, long id);
void tui_thread_close(struct tui *t);
void tui_thread_draw(struct tui *t);
void tui_thread_reload(struct tui *t);
long tui_thread_id(struct tui *t);
/* The URL of the selected post, or NULL. */
const char *tui_thread_url(struct tui *t);
/* The open thread's row and its selected post (NULL when none). */
const struct thread_row *tui_thread_info(struct tui *t);
const struct thread_post *tui_thread_post(struct tui *t);

/* tui/reckoner.c: the ready-reckoner panel beside the thread view. */
void tui_reckoner_close(struct tui *t);
void tui_reckoner_draw(struct tui *t);
/* The patterns' list while the ready-reckoner is open, else NULL. */
struct tui_list *tui_reckoner_list(struct tui *t);

/* tui/composer.c: writing a reply. */
/* Opens draft draft_id (the officer's own, editing or returned) in the composer; returns 0,
 * or -1 with the reason as the message. Leaving the composer returns to the screen it was
 * opened from. */
int tui_composer_open_draft(struct tui *t, long draft_id);
/* Saves the draft and closes the composer (for quitting and signals). */
void tui_composer_close(struct tui *t);
/* Saves and closes the composer, saying the draft is kept. */
void tui_composer_leave(struct tui *t);
void tui_composer_draw(struct tui *t);
/* The reply being written, for the editing actions; NULL when the composer is closed. */
struct editbuf *tui_composer_editbuf(struct tui *t);
/* Puts the terminal's cursor where the composer's is. */
void tui_composer_cursor(struct tui *t);
/* Saves and checks the draft if it changed; the loop calls it when no key is waiting. */
void tui_composer_idle(struct tui *t);
/* Draws rows [top, top + h) of eb's wrapped text at y, x in attribute base; with marks set,
 * the composer's findings are marked on their spans. */
void tui_compose_draw_rows(struct tui *t, const struct editbuf *eb,
                           const struct editbuf_row *rows, size_t nrows, size_t top, int y,
                           int x, int h, int marks, attr_t base);

/* tui/drafts.c: every draft, newest first, with the selected one in full; filtered to
 * pending_approval it is the approvals view (tui/approvals.c). */
void tui_drafts_free(struct drafts *d);
void tui_drafts_draw(struct tui *t);
void tui_drafts_reload(struct tui *t);
/* The thread of the selected draft, or 0. */
long tui_drafts_thread(struct tui *t);
/* Opens the drafts view on state (NULL: every live draft). */
void tui_drafts_show(struct tui *t, const char *state);
/* The selected draft, or NULL. */
const struct draft *tui_drafts_current(struct tui *t);

/* tui/approvals.c */
/* Appends what the review of draft d needs, before its text: why it waits for approval and
 * the post it answers. */
void tui_approvals_head(struct tui *t, const struct draft *d, struct tui_lines *l);
/* Appends the guardrails' findings on draft d (found once per version of the draft). */
void tui_approvals_findings(struct tui *t, const struct draft *d, struct tui_lines *l);
/* Forgets what tui_approvals_* cached. */
void tui_approvals_forget(struct tui *t);

/* tui/auditview.c */
void tui_audit_free(struct auditv *a);
void tui_audit_draw(struct tui *t);
void tui_audit_reload(struct tui *t);
long tui_audit_thread(struct tui *t);

/* tui/outbox.c */
/* Rereads the counts the status bar shows. */
void tui_outbox_refresh(struct tui *t);
/* Writes the status bar's outbox and approvals fields ("" when there is nothing). */
void tui_outbox_status(struct tui *t, char *out, size_t cap);
/* After a reply was queued: sends the outbox in the background when autosend is on and no
 * send runs; says nothing itself (the status bar shows "sending…"). */
void tui_outbox_autosend(struct tui *t);
/* Called by the loop with each child reaped: the send's result reaches the status bar. */
void tui_outbox_reaped(struct tui *t, pid_t pid, int status);

/* tui/prompt.c: a one-line question at the bottom of the screen. */
/* Called with the answer when Enter is pressed (text is never NULL). */
typedef void (*tui_prompt_done)(struct tui *t, const char *text);
struct prompt_spec {
    const char *label;              /* "state" */
    const char *hint;               /* shown after the label, or NULL */
    const char *initial;            /* text to start from, or NULL */
    const char *const *choices;     /* Tab completes from these, or NULL */
    size_t nchoices;
    int instant;                    /* a digit 1..nchoices (0..n-1 with zero_based) answers */
    int zero_based;
    tui_prompt_done done;
};
void tui_prompt_open(struct tui *t, const struct prompt_spec *spec);
void tui_prompt_close(struct tui *t);
void tui_prompt_draw(struct tui *t);
/* Types a character no binding of the prompt context took (a digit may answer at once). */
void tui_prompt_type(struct tui *t, int key);
/* The answer being written, for the editing actions; NULL when no question is asked. */
struct editbuf *tui_prompt_editbuf(struct tui *t);

/* tui/help.c */
void tui_help_draw(struct tui *t);
/* The help's lines, for the movement actions while it is open. */
struct tui_list *tui_help_list(struct tui *t);
/* Closes the overlay. */
void tui_help_close(struct tui *t);

/* tui/triage.c */
void tui_undo_clear(struct tui *t);

/* tui/url.c */
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

/* tui/when.c */
/* Reads a snooze time: "off" (returns 1), or 30m, 2h, 3d, 1w from now; "tomorrow" or a
 * weekday (09:00 local); HH:MM (the next time the clock shows it); YYYY-MM-DD (09:00 local);
 * or an RFC 3339 time. Writes the UTC time to out and returns 0; returns -1 with *err set for
 * anything else, or a time not after now. */
int tui_when_parse(const char *text, time_t now, char out[ISOTIME_LEN], char **err);

/* Action handlers named by the table in tui/actions.c. */
void tui_act_quit(struct tui *t, const struct tui_action *a);
void tui_act_redraw(struct tui *t, const struct tui_action *a);
void tui_act_reload(struct tui *t, const struct tui_action *a);
void tui_act_close(struct tui *t, const struct tui_action *a);
void tui_help_act_open(struct tui *t, const struct tui_action *a);
void tui_help_act_close(struct tui *t, const struct tui_action *a);
void tui_list_act_down(struct tui *t, const struct tui_action *a);
void tui_list_act_up(struct tui *t, const struct tui_action *a);
void tui_list_act_first(struct tui *t, const struct tui_action *a);
void tui_list_act_last(struct tui *t, const struct tui_action *a);
void tui_list_act_page_down(struct tui *t, const struct tui_action *a);
void tui_list_act_page_up(struct tui *t, const struct tui_action *a);
void tui_list_act_half_down(struct tui *t, const struct tui_action *a);
void tui_list_act_half_up(struct tui *t, const struct tui_action *a);
void tui_triage_act_state(struct tui *t, const struct tui_action *a);
void tui_triage_act_priority(struct tui *t, const struct tui_action *a);
void tui_triage_act_assign(struct tui *t, const struct tui_action *a);
void tui_triage_act_tag(struct tui *t, const struct tui_action *a);
void tui_triage_act_note(struct tui *t, const struct tui_action *a);
void tui_triage_act_snooze(struct tui *t, const struct tui_action *a);
void tui_triage_act_undo(struct tui *t, const struct tui_action *a);
void tui_url_act_copy(struct tui *t, const struct tui_action *a);
void tui_url_act_open(struct tui *t, const struct tui_action *a);
void tui_inbox_act_open(struct tui *t, const struct tui_action *a);
void tui_inbox_act_next_tab(struct tui *t, const struct tui_action *a);
void tui_inbox_act_prev_tab(struct tui *t, const struct tui_action *a);
void tui_inbox_act_tab(struct tui *t, const struct tui_action *a);
void tui_inbox_act_sort(struct tui *t, const struct tui_action *a);
void tui_inbox_act_search(struct tui *t, const struct tui_action *a);
void tui_inbox_act_filter(struct tui *t, const struct tui_action *a);
void tui_inbox_act_clear(struct tui *t, const struct tui_action *a);
void tui_inbox_act_snoozed(struct tui *t, const struct tui_action *a);
void tui_inbox_act_select(struct tui *t, const struct tui_action *a);
void tui_inbox_act_select_none(struct tui *t, const struct tui_action *a);
void tui_inbox_act_mark_read(struct tui *t, const struct tui_action *a);
void tui_thread_act_back(struct tui *t, const struct tui_action *a);
void tui_thread_act_down(struct tui *t, const struct tui_action *a);
void tui_thread_act_up(struct tui *t, const struct tui_action *a);
void tui_thread_act_parent(struct tui *t, const struct tui_action *a);
void tui_thread_act_next_sibling(struct tui *t, const struct tui_action *a);
void tui_thread_act_prev_sibling(struct tui *t, const struct tui_action *a);
void tui_thread_act_next_unread(struct tui *t, const struct tui_action *a);
void tui_thread_act_first(struct tui *t, const struct tui_action *a);
void tui_thread_act_last(struct tui *t, const struct tui_action *a);
void tui_thread_act_scroll_down(struct tui *t, const struct tui_action *a);
void tui_thread_act_scroll_up(struct tui *t, const struct tui_action *a);
void tui_thread_act_page_down(struct tui *t, const struct tui_action *a);
void tui_thread_act_page_up(struct tui *t, const struct tui_action *a);
void tui_drafts_act_open_view(struct tui *t, const struct tui_action *a);
void tui_drafts_act_back(struct tui *t, const struct tui_action *a);
void tui_drafts_act_next_state(struct tui *t, const struct tui_action *a);
void tui_drafts_act_prev_state(struct tui *t, const struct tui_action *a);
void tui_drafts_act_open_thread(struct tui *t, const struct tui_action *a);
void tui_drafts_act_discard(struct tui *t, const struct tui_action *a);
void tui_drafts_act_edit(struct tui *t, const struct tui_action *a);
void tui_drafts_act_scroll_down(struct tui *t, const struct tui_action *a);
void tui_drafts_act_scroll_up(struct tui *t, const struct tui_action *a);
void tui_approvals_act_approve(struct tui *t, const struct tui_action *a);
void tui_approvals_act_return(struct tui *t, const struct tui_action *a);
void tui_audit_act_open(struct tui *t, const struct tui_action *a);
void tui_audit_act_back(struct tui *t, const struct tui_action *a);
void tui_audit_act_all(struct tui *t, const struct tui_action *a);
void tui_audit_act_open_thread(struct tui *t, const struct tui_action *a);
void tui_outbox_act_send(struct tui *t, const struct tui_action *a);
void tui_reckoner_act_reply(struct tui *t, const struct tui_action *a);
void tui_reckoner_act_pick(struct tui *t, const struct tui_action *a);
void tui_reckoner_act_insert(struct tui *t, const struct tui_action *a);
void tui_reckoner_act_blank(struct tui *t, const struct tui_action *a);
void tui_composer_act_next_line(struct tui *t, const struct tui_action *a);
void tui_composer_act_previous_line(struct tui *t, const struct tui_action *a);
void tui_composer_act_page_down(struct tui *t, const struct tui_action *a);
void tui_composer_act_page_up(struct tui *t, const struct tui_action *a);
void tui_composer_act_newline(struct tui *t, const struct tui_action *a);
void tui_prompt_act_answer(struct tui *t, const struct tui_action *a);
void tui_prompt_act_cancel(struct tui *t, const struct tui_action *a);
void tui_prompt_act_complete(struct tui *t, const struct tui_action *a);
void tui_edit_act_forward_char(struct tui *t, const struct tui_action *a);
void tui_edit_act_backward_char(struct tui *t, const struct tui_action *a);
void tui_edit_act_forward_word(struct tui *t, const struct tui_action *a);
void tui_edit_act_backward_word(struct tui *t, const struct tui_action *a);
void tui_edit_act_line_start(struct tui *t, const struct tui_action *a);
void tui_edit_act_line_end(struct tui *t, const struct tui_action *a);
void tui_edit_act_text_start(struct tui *t, const struct tui_action *a);
void tui_edit_act_text_end(struct tui *t, const struct tui_action *a);
void tui_edit_act_delete_char(struct tui *t, const struct tui_action *a);
void tui_edit_act_delete_backward(struct tui *t, const struct tui_action *a);
void tui_edit_act_kill_line(struct tui *t, const struct tui_action *a);
void tui_edit_act_kill_word_backward(struct tui *t, const struct tui_action *a);
void tui_edit_act_kill_to_line_start(struct tui *t, const struct tui_action *a);
void tui_edit_act_yank(struct tui *t, const struct tui_action *a);
void tui_edit_act_undo(struct tui *t, const struct tui_action *a);
void tui_edit_act_redo(struct tui *t, const struct tui_action *a);
void tui_composer_act_submit(struct tui *t, const struct tui_action *a);
void tui_composer_act_editor(struct tui *t, const struct tui_action *a);
void tui_composer_act_explain(struct tui *t, const struct tui_action *a);

#endif
