/* The command table: names, usage and help text in one place, read by the dispatcher,
 * `tactful --help` and `tactful help COMMAND`. */
#include "cli/cli.h"

#include <string.h>

static int cmd_help(struct cli *cli, int argc, char **argv);

static const char global_help[] =
    "Global options:\n"
    "  --db PATH       the cache (env TACTFUL_DB; default $XDG_DATA_HOME/tactful/cache.db)\n"
    "  --config PATH   the configuration (env TACTFUL_CONFIG;\n"
    "                  default $XDG_CONFIG_HOME/tactful/config)\n"
    "  --offline       never touch the network\n"
    "  --demo          work on a private copy of the demo workspace\n"
    "  -h, --help      show this help; `tactful help COMMAND` explains one command\n"
    "  -V, --version   print the version\n";

#define QUERY_HELP                                                                             \
    "Query syntax: words must all appear in one post (its text or its author's name);\n"       \
    "\"a phrase\" in quotes; pre* matches a prefix; OR between words matches either;\n"        \
    "-word leaves out threads where any post has the word. Filters: state:S\n"                 \
    "platform:P account:A from:AUTHOR tag:T assignee:OFFICER (assignee:none for\n"             \
    "unassigned); key:\"a value\" allows spaces; a filter given twice matches either\n"       \
    "value, -key:value excludes. Search includes snoozed threads; -- ends options.\n"

const struct cli_command cli_commands[] = {
    {"inbox", "", "open the terminal interface (the default)",
     "Opens the inbox: state tabs with counts, one line per thread, newest activity\n"
     "first. Enter reads a thread; s, p, a, t, n and z triage it (state, priority,\n"
     "assignee, tags, note, snooze) and u undoes; / searches; x selects threads for\n"
     "a bulk change; R in a thread replies (the ready-reckoner, then the composer:\n"
     "C-x submits, F2 hands the text to $EDITOR, Esc keeps the draft); q quits.\n"
     "? lists the keys in force: keymaps/default.keys, then the keymap setting\n"
     "(a file, or vi or emacs) or ~/.config/tactful/keys. Broken keymap, pattern\n"
     "or rule files stop it with status 2 before the screen is touched.\n"
     "See `tactful keys` and THE INBOX in tactful(1).\n",
     cmd_inbox},
    {"list", "[--state S] [--account A] [--platform P] [--tag T] [--assignee O]\n"
             "       [--sort activity|priority|age] [--limit N] [--all] [--json]",
     "list threads, latest activity first",
     "Options:\n"
     "  --state S       only threads in state S (new, to_reply, waiting, replied,\n"
     "                  no_action, escalated, closed)\n"
     "  --account A     only threads of account A\n"
     "  --platform P    only threads from mastodon, bluesky or wordpress\n"
     "  --tag T         only threads tagged T\n"
     "  --assignee O    only threads assigned to O (none: unassigned)\n"
     "  --sort KEY      activity (default), priority, or age (oldest first)\n"
     "  --limit N       at most N threads (default: all)\n"
     "  --all           include threads snoozed until a later time\n"
     "  --json          a JSON array of thread objects\n"
     "A filter option given twice matches either value. A '*' before the id marks a\n"
     "thread with activity nobody has opened in the inbox yet.\n",
     cmd_list},
    {"search", "[--limit N] [--json] QUERY...", "full-text search with filters",
     QUERY_HELP
     "Example: tactful search '\"bin collection\" state:new -from:northmoor'\n"
     "Prints matching threads with the best-matching text, hits in [brackets].\n",
     cmd_search},
    {"show", "ID [--json]", "show a thread as a conversation tree",
     "ID is the local thread number from `tactful list`. Our own posts are marked\n"
     "[ours]; internal notes follow the conversation.\n",
     cmd_show},
    {"mark", "ID STATE", "set a thread's triage state",
     "STATE is one of new, to_reply, waiting, replied, no_action, escalated, closed.\n"
     "Recorded in the audit log with your officer identity.\n",
     cmd_mark},
    {"tag", "ID +TAG|-TAG...", "add or remove tags",
     "Example: tactful tag 12 +bins -urgent\n"
     "A tag is up to 64 bytes with no spaces, commas or control characters. Audited.\n",
     cmd_tag},
    {"assign", "ID OFFICER|-", "assign a thread to an officer (- unassigns)", "Audited.\n",
     cmd_assign},
    {"priority", "ID 0|1|2|3", "set priority: 0 none, 1 low, 2 high, 3 urgent", "Audited.\n",
     cmd_priority},
    {"snooze", "ID TIME|off", "hide a thread until TIME (RFC 3339, UTC)",
     "Example: tactful snooze 12 2026-12-01T09:00:00Z\n"
     "A snoozed thread is left out of `tactful list` and the inbox until then\n"
     "(`tactful list --all` shows it). A time with an offset is stored as UTC.\n"
     "`off` wakes the thread. Audited.\n",
     cmd_snooze},
    {"note", "ID TEXT", "add an internal note to a thread",
     "Notes stay in the cache; they are never posted. Audited.\n", cmd_note},
    {"audit", "[--thread ID] [--json | --csv]", "show or export the audit log",
     "Every triage change, draft submission, override, approval, return, discard and send,\n"
     "with who made it and when, oldest first. --json writes a JSON array; --csv writes\n"
     "CSV with a header row (id,at,officer,action,thread,details), a cell starting with\n"
     "= + - @, a tab or a carriage return prefixed with ' so a spreadsheet does not run it.\n"
     "In the terminal interface L shows the log, newest first.\n", cmd_audit},
    {"import", "FILE|-... | --bundle FILE", "load posts from JSON Lines, or merge a bundle",
     "Each FILE (or - for standard input) is checked whole first: a malformed line\n"
     "is reported as FILE:LINE: reason and nothing from that file is kept. Then its\n"
     "posts are written in transactions of half a second at most, so triage in\n"
     "another tactful goes on meanwhile. An import that is killed keeps the posts of\n"
     "the transactions it finished, each complete; importing the file again adds the\n"
     "rest, since loading the same posts again changes nothing. The format is in\n"
     "tactful(5).\n"
     "\n"
     "--bundle FILE merges an offline review bundle (see `tactful help export`) back\n"
     "into the cache it was exported from. For each thread and draft it compares the\n"
     "bundle with how things stood at export and how they stand here: a change made\n"
     "only in the bundle is applied as the officer who made it (audited, with a\n"
     "bundle.apply entry saying when); a change made on both sides is printed as a\n"
     "conflict and left as it is here. Notes from both sides are kept. Drafts\n"
     "submitted offline go through the guardrails again; a draft approved offline is\n"
     "queued by the officer who approved it. Merging the same bundle again changes\n"
     "nothing. Into an empty cache, --bundle loads the bundle instead: that cache\n"
     "becomes a copy of it, reviewed offline and merged back like the bundle.\n"
     "A bundle from another cache, a damaged one or one from a newer tactful is\n"
     "refused. Exit status 1 when the bundle is refused or a change was left undone.\n",
     cmd_import},
    {"export", "[--thread ID] [--format jsonl|csv] [--output|-o FILE] | "
     "--bundle FILE [--state S | --thread ID...]",
     "write posts as JSON Lines or CSV, or an offline review bundle",
     "Writes every post (or one thread's) to standard output or FILE. JSON Lines\n"
     "output imports back unchanged. In CSV, a cell starting with = + - @, a tab or\n"
     "a carriage return is prefixed with ' so spreadsheets do not run it as a formula.\n"
     "When standard output is a terminal, CSV is shown with control characters and\n"
     "escape sequences made visible (^[, <U+202E>); a file or pipe gets the exact text.\n"
     "JSON escapes every control character, DEL included.\n"
     "\n"
     "--bundle FILE writes an offline review bundle: the threads in state S, the\n"
     "threads given (--thread may repeat) or every thread, with their posts, triage,\n"
     "tags, notes, drafts and audit history, and a record of where, when and by whom\n"
     "it was exported. No credentials are in it. On a desktop without network, open\n"
     "it with `tactful --db FILE` to review, edit, approve or return drafts and\n"
     "change triage; a bundle never syncs or sends. Bring it back and merge it with\n"
     "`tactful import --bundle FILE`.\n",
     cmd_export},
    {"keys", "[--actions | --man | --check FILE...]", "show or check the key bindings",
     "With no option, prints the key bindings in force as a keymap file.\n"
     "  --actions       every action a key can be bound to, with its context\n"
     "  --check FILE    check keymap files: each problem is printed as FILE:LINE: message\n"
     "                  and the exit status is 2 when there is any\n"
     "  --man           the manual's key list (roff), from the shipped bindings\n"
     "Keymap files are described in tactful(5).\n",
     cmd_keys},
    {"sync", "[ACCOUNT...]", "read what is new from the platforms",
     "Syncs every configured account (or those named) at once: mentions and replies\n"
     "from Mastodon and Bluesky, comments from WordPress, each with its whole thread.\n"
     "On a terminal it prints a line per account (new threads, new posts); otherwise\n"
     "one summary line. An account that fails is reported with the reason and the\n"
     "exit status is 1; the others still sync. Each account's posts and its sync\n"
     "position are saved together, so an interrupted sync loses nothing and\n"
     "repeats nothing. Refused with --offline.\n",
     cmd_sync},
    {"outbox", "[list [--json] | send]", "show or send the replies waiting to go",
     "list (the default) shows each queued reply with its state, attempts and last\n"
     "error. send sends them: each reply reaches its platform at most once, even if\n"
     "tactful was stopped between sending and recording it (it looks for the reply\n"
     "before sending again). A sent reply records its address and marks the thread\n"
     "replied in the audit log; a failed one stays queued with the error. Replies are\n"
     "queued by `tactful submit` and `tactful approve`. send is refused with --offline.\n",
     cmd_outbox},
    {"accounts", "[check [ACCOUNT...]]", "list accounts, or check their credentials",
     "Lists each configured account with its platform, last sync and last error.\n"
     "check signs each account in (all at once) and says who it is and how long a\n"
     "reply may be; exit status 1 when any check fails. check is refused with\n"
     "--offline.\n",
     cmd_accounts},
    {"check", "[--platform P] [--context FILE] [--pattern ID] [--policy FILE]\n"
              "       [--format text|json] [--suggestions] [FILE...|-]",
     "check draft replies against the guardrails",
     "Checks each FILE (or - or nothing: standard input) as one draft reply and prints\n"
     "what may be wrong, like a compiler: FILE:LINE:COL: SEVERITY: MESSAGE [RULE]\n"
     "(COL counts characters). Severities are info, warning and error.\n"
     "Options:\n"
     "  --platform P    also check P's length limit: mastodon (500, a link counts 23),\n"
     "                  bluesky (300 characters and 3000 bytes) or wordpress (none)\n"
     "  --context FILE  the post being answered: flags casework and topics to escalate,\n"
     "                  and personal details the draft repeats\n"
     "  --pattern ID    the response pattern the draft follows: acknowledgement,\n"
     "                  encouragement, exhortation, signposting, mea-culpa, exploratory\n"
     "                  or clarification (signposting needs a link, clarification an\n"
     "                  official source)\n"
     "  --policy FILE   use this office policy instead of [tactful] policy\n"
     "  --format F      text (default) or json: an array of objects with file, rule,\n"
     "                  category, severity, start, end (bytes), line, column, message,\n"
     "                  suggestion ...\n"
     "  --suggestions   text: print each finding's suggested fix on an indented line\n"
     "                  under it (\"    suggestion: ...\")\n"
     "Rules come from the shipped packs, the office policy and your own file 'rules'\n"
     "beside the configuration; `tactful rules` lists them. Exit status 1 when an error\n"
     "remains, 0 otherwise, 2 for a usage error, an unreadable file or a bad rule file.\n",
     cmd_check},
    {"rules", "[--policy FILE] [--all] [--json] [--explain RULE] [--test]",
     "list, explain or test the guardrail rules in force",
     "Lists each rule in force with its level, kind, what it reads (the draft or the\n"
     "incoming post) and the file and line it comes from, noting rules the policy locked,\n"
     "rules needing a second officer's approval and changes made by the policy or your\n"
     "own rules file. --all includes rules that are off; --json prints a JSON array.\n"
     "  --explain RULE  print one rule: what it reads, its level, message and fix, its\n"
     "                  patterns, antipatterns and exceptions, the word classes they use\n"
     "                  and its examples\n"
     "  --test          check every rule against its own examples (each example must make\n"
     "                  it fire, each counterexample must not); exit status 1 when one\n"
     "                  fails, so an office can test its policy before rolling it out\n",
     cmd_rules},
    {"patterns", "[--json] [--for ID [--to POST] | --for-text TEXT|-]",
     "list the response patterns, or those that fit a post",
     "Lists each response pattern with its key, id and purpose, and what it expects:\n"
     "a link, an official source, a second officer's approval. The seven core patterns\n"
     "ship in share/patterns; an office adds or overrides patterns in its own folder\n"
     "([tactful] patterns = DIR, else ~/.config/tactful/patterns/). --json prints every\n"
     "field, templates included. The format is PATTERN FILES in tactful(5).\n"
     "With --for ID it lists instead the patterns the suggest rules propose for a post\n"
     "of thread ID (--to POST: a post's remote id; default the thread's first post),\n"
     "best first, each with its key and why (\"asks a question\"); --for-text TEXT\n"
     "reads the post from TEXT (- for standard input). --json then prints objects with\n"
     "id, key, name, reason, rule, score, start, end (bytes) and match.\n",
     cmd_patterns},
    {"reply", "ID [--to POST] --pattern P (--text-file F | --template)\n"
              "       [--override RULE=REASON]... [--submit]",
     "write a draft reply to a thread",
     "Creates a draft on thread ID answering POST (a post's remote id; default the\n"
     "thread's first post), following pattern P, with the text of file F (- for\n"
     "standard input) or P's template filled in ({author}, {topic}, {signature}).\n"
     "Warns when another officer has a draft or a reply on the thread. With --submit\n"
     "it is submitted at once (see `tactful help submit`).\n",
     cmd_reply},
    {"submit", "ID [--text-file F] [--override RULE=REASON]...", "submit a draft",
     "Checks draft ID against the guardrails and prints the findings like `check`.\n"
     "An error finding refuses the draft (exit status 1) unless overridden with\n"
     "--override RULE=REASON (a written reason, recorded in the audit log). A draft\n"
     "whose pattern, findings or the policy need a second officer waits as\n"
     "pending_approval; any other goes to the outbox (also with --offline; sending is\n"
     "`tactful outbox send`). --text-file replaces the text first (after a return).\n"
     "The signature ([tactful] signature) is appended, after a space, when the text\n"
     "does not hold it already, so it is sent exactly once.\n",
     cmd_submit},
    {"drafts", "[--state S] [--thread ID] [--json]", "list drafts",
     "Lists drafts, newest first: all but discarded and sent ones, or those in state\n"
     "S (editing, pending_approval, returned, approved, queued, sent, discarded).\n",
     cmd_drafts},
    {"approve", "ID", "approve another officer's draft and queue it",
     "Approves pending draft ID (you cannot approve your own) and puts it in the\n"
     "outbox. Audited.\n",
     cmd_approve},
    {"return", "ID --comment TEXT", "return a pending draft with a comment",
     "Sends pending draft ID back to its officer with your comment; they change it and\n"
     "submit it again (`tactful submit ID --text-file F`). Audited.\n",
     cmd_return},
    {"discard", "ID", "discard a draft", "Any draft not yet queued. Audited.\n", cmd_discard},
    {"help", "[COMMAND]", "explain tactful or one of its commands", "", cmd_help},
    {NULL, NULL, NULL, NULL, NULL},
};

const struct cli_command *
cli_command_find(const char *name)
{
    for (const struct cli_command *c = cli_commands; c->name; c++)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}

void
cli_print_help(FILE *f)
{
    fprintf(f, "usage: tactful [OPTIONS] [COMMAND [ARGS]]\n\n"
               "A keyboard-driven terminal inbox for public-sector social media officers.\n"
               "With no command, tactful opens the terminal interface.\n\nCommands:\n");
    for (const struct cli_command *c = cli_commands; c->name; c++)
        fprintf(f, "  %-10s %s\n", c->name, c->summary);
    fprintf(f, "\n%s\nExit status: 0 success, 1 failure, 2 usage or configuration error.\n"
               "See tactful(1) and tactful(5).\n",
            global_help);
}

/* `tactful help [COMMAND]`. */
static int
cmd_help(struct cli *cli, int argc, char **argv)
{
    (void)cli;
    if (argc < 2) {
        cli_print_help(stdout);
        return EXIT_OK;
    }
    if (argc > 2)
        return cli_usage("help", "give one command, as in `tactful help list`");
    const struct cli_command *c = cli_command_find(argv[1]);
    if (c == NULL)
        return cli_usage("help", "no command '%s'", argv[1]);
    printf("usage: tactful %s%s%s\n\n%s\n", c->name, *c->usage ? " " : "", c->usage, c->summary);
    if (*c->help)
        printf("\n%s", c->help);
    return EXIT_OK;
}
