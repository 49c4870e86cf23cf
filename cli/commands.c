/* The command table: each command's name, usage, summary, options and help in one place,
 * read by the dispatcher, getopt_long (cli_getopt), `tactful --help`, `tactful help COMMAND`,
 * `tactful COMMAND --help` and the manual's OPTIONS and COMMANDS sections (cli/cmd_help.c).
 * The markup of the help text is described in cli/cli.h. */
#include "cli/cli.h"

#include <string.h>

const struct cli_option cli_global_options[] = {
    {"db", CLI_GOPT_DB, 0, "PATH",
     "Use the cache at PATH, overriding `TACTFUL_DB`.\n"
     "The default is $XDG_DATA_HOME/tactful/cache.db.\n"
     "Missing parent folders are created, with mode 0700, when a command opens the cache.\n"
     "Ignored with `--demo`.\n"},
    {"config", CLI_GOPT_CONFIG, 0, "PATH",
     "Read the configuration from PATH, overriding `TACTFUL_CONFIG`.\n"
     "A file named this way (or by `TACTFUL_CONFIG`) must exist.\n"
     "The default is $XDG_CONFIG_HOME/tactful/config; when the default file does not exist,\n"
     "`tactful` runs with an empty configuration.\n"},
    {"offline", CLI_GOPT_OFFLINE, 0, NULL,
     "Never touch the network.\n"
     "`sync`, `outbox send` and `accounts check` refuse to run (exit status 1, saying so);\n"
     "everything else, including `outbox list`, works on the cache as usual.\n"
     "With this option the inbox shows `OFFLINE` in its status bar.\n"},
    {"demo", CLI_GOPT_DEMO, 0, NULL,
     "Work on a private copy of the demo workspace, removed when `tactful` exits.\n"
     "A new folder tactful-demo-XXXXXX is made in `$TMPDIR` (or /tmp), a cache in it is\n"
     "loaded from demo/demo.jsonl in the shipped data folder (see `FILES`), and the command\n"
     "runs on that cache.\n"
     "Changes made in the demo are therefore lost.\n"
     "`--db` and `TACTFUL_DB` are ignored.\n"
     "You work as the demo officer `sam.patel` unless `TACTFUL_OFFICER` or the configuration's\n"
     "`officer` names you.\n"},
    {"help", 'h', 1, NULL,
     "Show this help: the usage, the commands and the global options, then exit.\n"
     "`tactful help COMMAND` (or `tactful COMMAND --help`) explains one command.\n"},
    {"version", 'V', 1, NULL, "Print `tactful` and its version, then exit.\n"},
    {NULL, 0, 0, NULL, NULL},
};

static const struct cli_option list_options[] = {
    {"state", 's', 0, "S", "Only threads in state S: {states}.\n"},
    {"account", 'a', 0, "A", "Only threads of the account named A.\n"},
    {"platform", 'p', 0, "P", "Only threads from {platforms}.\n"},
    {"tag", 't', 0, "T", "Only threads tagged T.\n"},
    {"assignee", 'o', 0, "O", "Only threads assigned to O; `none` selects unassigned threads.\n"},
    {"sort", 'S', 0, "KEY",
     "`activity` (the default): latest activity first;\n"
     "`priority`: highest priority first, then latest activity;\n"
     "`age`: oldest first, by the time of the thread's first post.\n"},
    {"limit", 'n', 0, "N",
     "At most N threads; N must be a positive number.\n"
     "The default is all.\n"},
    {"all", 'A', 0, NULL,
     "Include threads snoozed until a later time, which are otherwise left out.\n"},
    {"json", 'j', 0, NULL,
     "Print a JSON array with one object per thread, with the members `id`, `account`,\n"
     "`platform`, `thread` (the remote id of the root post), `title`, `url`, `state`,\n"
     "`priority`, `assignee`, `topic`, `tags`, `posts`, `unread`, `first_activity`,\n"
     "`last_activity`, `snoozed_until`, `latest_author` and `latest_text`.\n"
     "Absent values are `null`.\n"},
    {NULL, 0, 0, NULL, NULL},
};

/* search parses its words by hand (-word is a query term); these are for its help. */
static const struct cli_option search_options[] = {
    {"limit", 'n', 0, "N", "At most N threads (also written `--limit=N`).\n"},
    {"json", 'j', 0, NULL,
     "Print a JSON array as `tactful list --json` does; each thread object also has a\n"
     "`snippet` member when the query has words.\n"},
    {NULL, 0, 0, NULL, NULL},
};

static const struct cli_option show_options[] = {
    {"json", 'j', 0, NULL,
     "Print one JSON object: the members listed under `tactful list --json`, plus\n"
     "`posts_tree` (the posts in tree order, each with `id`, `parent`, `author`,\n"
     "`author_name`, `created_at`, `text`, `url`, `own`, `depth`, `private`, `edited_at`,\n"
     "`deleted_at`, `deleted_reason` and `extras`), `reply_refused` (why the platform would\n"
     "refuse a reply in the thread, or null) and `notes` (each with `officer`, `created_at`\n"
     "and `text`).\n"},
    {NULL, 0, 0, NULL, NULL},
};

static const struct cli_option audit_options[] = {
    {"thread", 't', 0, "ID", "Only the entries for thread ID.\n"},
    {"json", 'j', 0, NULL,
     "Print a JSON array of objects with the members `id`, `at`, `officer`, `action`,\n"
     "`thread` and `details`.\n"},
    {"csv", 'c', 0, NULL,
     "Write CSV with a header row (`id,at,officer,action,thread,details`); as in\n"
     "`tactful export`, a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return\n"
     "is prefixed with `'` so a spreadsheet shows it rather than running it.\n"},
    {NULL, 0, 0, NULL, NULL},
};

static const struct cli_option report_options[] = {
    {"since", 's', 0, "DATE",
     "Threads whose first post from the public was made at or after DATE: a day\n"
     "(`2026-11-02`, from its start in UTC) or an RFC 3339 time.\n"
     "The default is the first such post in the cache.\n"},
    {"until", 'u', 0, "DATE",
     "Threads whose first post from the public was made before DATE: a day includes that\n"
     "whole day (UTC); an RFC 3339 time is excluded.\n"
     "The default is now.\n"},
    {"by", 'b', 0, "GROUP",
     "A row of figures per `account`, `officer`, `pattern`, `tag`, `week` or `platform`,\n"
     "above the row `all`, as described above.\n"},
    {"format", 'f', 0, "FORMAT",
     "`text` (the default): a table for an 80-column terminal, then the response-time\n"
     "histogram, the returned drafts with their reviewer's comment and the weekly backlog.\n"
     "`json`: one object with `since`, `until`, `by`, `business_hours`, `total` and\n"
     "`groups` (each with `group`, `in`, `answered`, `median_s`, `p90_s`,\n"
     "`median_business_s`, `p90_business_s`, `returned`, `escalated` and `histogram`;\n"
     "times in seconds, `null` when there is none), `returns` (`at`, `thread`, `draft`,\n"
     "`officer`, `pattern`, `reviewer`, `comment`), `backlog` (`week` and a count per state)\n"
     "and `volume` (`day`, `in`).\n"
     "`csv`: the table's rows with a header row\n"
     "(`group,in,answered,median_s,p90_s,median_business_s,p90_business_s,returned,escalated`),\n"
     "the row `all` last, through the formula guard of `tactful export`.\n"},
    {NULL, 0, 0, NULL, NULL},
};

static const struct cli_option import_options[] = {
    {"bundle", 'b', 0, "FILE",
     "Merge the offline review bundle FILE (see `tactful help export`) into the cache it was\n"
     "exported from, as described below.\n"},
    {NULL, 0, 0, NULL, NULL},
};

static const struct cli_option export_options[] = {
    {"thread", 't', 0, "ID",
     "Only the posts of thread ID; with `--bundle` the threads given (it may repeat, up to\n"
     "1000 times).\n"},
    {"format", 'f', 0, "FORMAT", "`jsonl` (the default) or `csv`.\n"},
    {"output", 'o', 1, "FILE",
     "Write to a temporary file next to FILE that is renamed over it once complete, so a\n"
     "reader never sees half a file; the number of posts written is then printed to\n"
     "standard error.\n"},
    {"bundle", 'b', 0, "FILE", "Write an offline review bundle to FILE, as described below.\n"},
    {"state", 's', 0, "STATE", "With `--bundle`: the threads in state STATE.\n"},
    {NULL, 0, 0, NULL, NULL},
};

static const struct cli_option keys_options[] = {
    {"actions", 'a', 0, NULL,
     "List every action a key can be bound to, with its context and description.\n"},
    {"check", 'c', 0, NULL,
     "Read each FILE on its own as a keymap and print \"FILE: N bindings, no problems\" or\n"
     "every problem as FILE:LINE: message on standard error; the exit status is 2 when any\n"
     "file has a problem.\n"},
    {"man", 'm', 0, NULL, "Print the key list of the manual, in roff.\n"},
    {NULL, 0, 0, NULL, NULL},
};

static const struct cli_option insight_options[] = {
    {"topic", 'T', 0, "TOPIC",
     "With `add` and `remove`: what the opinion is about, 1 to 200 bytes (a policy, a\n"
     "consultation, a service), such as `Station Road cycle lane`.\n"},
    {"to", 'o', 0, "POST",
     "With `add` and `remove`: the post, by its remote id (`tactful show ID --json` lists\n"
     "them); the default is the thread's latest post that is not the office's own.\n"},
    {"stance", 's', 0, "S", "With `add`: `for`, `against`, `mixed` or `question`.\n"},
    {"quote", 'q', 0, NULL, "With `add`: quote the post's words in digests.\n"},
    {"quote-text", 'Q', 0, "TEXT",
     "With `add`: quote TEXT instead, an excerpt the officer edited (1 to 2,000 bytes),\n"
     "for instance with personal details taken out.\n"},
    {"name-author", 'N', 0, NULL,
     "With `add`: the digest may name the post's author (it does not otherwise).\n"},
    {"override", 'O', 0, "REASON",
     "With `add`: let the quote into digests although the personal-data check finds\n"
     "something in it, for the reason given (kept with the mark and audited).\n"},
    {"since", 'S', 0, "DAY", "Digest: only posts made on or after DAY (`2026-11-01`) or a time.\n"},
    {"until", 'U', 0, "DAY", "Digest: only posts made before DAY or a time.\n"},
    {"format", 'f', 0, "F",
     "Digest: `markdown` (the default), `csv` (one row per marked post, the columns topic,\n"
     "stance, platform, account, thread, posted_at, url, author, quote and quote_status) or\n"
     "`json`.\n"},
    {"json", 'j', 0, NULL, "`topics` as a JSON array; a digest as with `--format json`.\n"},
    {NULL, 0, 0, NULL, NULL},
};

static const struct cli_option outbox_options[] = {
    {"json", 'j', 0, NULL, "With `list`: print an array of objects instead.\n"},
    {NULL, 0, 0, NULL, NULL},
};

static const struct cli_option check_options[] = {
    {"platform", 'p', 0, "P",
     "Also check the length limit of {platforms}, counted the\n"
     "platform's way: user-perceived characters (grapheme clusters); on Mastodon a link\n"
     "counts as 23 and @user@domain as @user; on Bluesky a link counts as the short form\n"
     "it is sent in (see outbox send), and Bluesky also limits bytes.\n"
     "WordPress comments have no limit.\n"
     "Without this option no length is checked.\n"},
    {"context", 'c', 0, "FILE",
     "The post being answered.\n"
     "Rules that read incoming posts run on it: casework (the sender's own claim, case or\n"
     "account) calls for the signposting pattern and an official channel in the reply;\n"
     "risks to safety, threats, legal action, the press, politicians, data breaches,\n"
     "injuries and deaths call for escalation; personal details from the post must not be\n"
     "repeated in the draft.\n"},
    {"pattern", 'P', 0, "ID",
     "The response pattern the draft follows: `acknowledgement`, `encouragement`,\n"
     "`exhortation`, `signposting`, `mea-culpa`, `exploratory` or `clarification`.\n"
     "A signposting reply needs a link and a clarification an official source.\n"},
    {"policy", 'y', 0, "FILE",
     "Use this office policy instead of the one the configuration names.\n"},
    {"format", 'f', 0, "FORMAT",
     "`text` (the default), or `json`: one JSON array of findings, each an object with\n"
     "`file` (the draft or context file), `source` (`draft` or `context`), `rule`,\n"
     "`category`, `severity`, `start` and `end` (a half-open range of bytes), `line`,\n"
     "`column` (as above), `end_line`, `end_column`, `match` (the text), `message`,\n"
     "`suggestion` (empty when the rule offers none), `approval` (the policy wants a second\n"
     "officer to approve sending past it) and `locked`.\n"},
    {"suggestions", 's', 0, NULL,
     "In text output, print each finding's suggested fix (when its rule offers one) on the\n"
     "line under it, indented by four spaces:\n"
     "  reply.txt:2:6: error: This looks like a personal phone number; [...]\n"
     "      suggestion: Remove it; give the service's own line [...]\n"},
    {"config", 'C', 0, NULL,
     "Check the configuration file in force instead of a draft (see `tactful`(5)), with\n"
     "what only the inbox knows: each `[colours]` key must be a colour role and\n"
     "`inbox_columns` must name columns there are, without widths.\n"
     "Every problem is printed as PATH:LINE: message, saying what to write instead; the\n"
     "exit status is 1 when there is one.\n"},
    {NULL, 0, 0, NULL, NULL},
};

static const struct cli_option rules_options[] = {
    {"policy", 'y', 0, "FILE",
     "Use this office policy instead of the one the configuration names.\n"},
    {"all", 'a', 0, NULL, "Include rules that are off (level `off`).\n"},
    {"json", 'j', 0, NULL,
     "Print an array of objects with `rule`, `category`, `pack`, `kind`, `applies`,\n"
     "`level`, `election_level`, `election_only`, `enabled`, `locked`, `approval`, `file`,\n"
     "`line`, `changed_file` and `changed_line`.\n"},
    {"explain", 'e', 0, "RULE",
     "Print one rule instead: what it reads, its level, message and fix, its patterns,\n"
     "antipatterns and exceptions, the word classes its patterns use with their\n"
     "alternatives, and its examples (exit status 2 for an unknown rule).\n"},
    {"test", 't', 0, NULL,
     "Check every rule in force against its own `example` and `counterexample` lines (see\n"
     "`tactful`(5)) and print one FILE:LINE line for each that fails and a closing count;\n"
     "the exit status is 1 when one fails, so an office can test a policy before rolling\n"
     "it out.\n"},
    {NULL, 0, 0, NULL, NULL},
};

static const struct cli_option patterns_options[] = {
    {"json", 'j', 0, NULL,
     "Print every field, templates included; with `--for`, each suggestion is an object\n"
     "with `id`, `key`, `name`, `reason` (the messages of the rules that suggested it,\n"
     "joined by \"; \"), `rule` (the first of them), `score` (the sum of their levels: info\n"
     "1, warning 2, error 3), `start` and `end` (bytes of the post) and `match`.\n"},
    {"for", 'f', 0, "ID",
     "List instead the patterns that fit a post of thread ID, as the `suggest` rules (see\n"
     "`GUARDRAILS`) find them: at most three, best first, each as its key, id and reason,\n"
     "such as\n"
     "  6  exploratory      asks a question\n"
     "When no rule matches, a line says so (exit status 0).\n"},
    {"to", 'o', 0, "POST",
     "With `--for`: the post's remote id; the default is the thread's first post.\n"},
    {"for-text", 't', 0, "TEXT",
     "As `--for`, with the post's text given instead (`-`: standard input).\n"},
    {NULL, 0, 0, NULL, NULL},
};

static const struct cli_option reply_options[] = {
    {"to", 'o', 0, "POST",
     "The post answered, by its remote id; the default is the thread's first post.\n"},
    {"pattern", 'p', 0, "P", "The response pattern followed (required).\n"},
    {"text-file", 'f', 0, "F", "The draft's text, from file F (`-`: standard input).\n"},
    {"template", 't', 0, NULL,
     "The pattern's template filled in (`{author}`, `{topic}`, `{signature}`).\n"},
    {"override", 'O', 0, "RULE=REASON",
     "Send past an error finding of RULE, with a written reason (audited with your name);\n"
     "may repeat.\n"},
    {"submit", 's', 0, NULL, "Submit the draft at once, as by `tactful submit`.\n"},
    {NULL, 0, 0, NULL, NULL},
};

static const struct cli_option submit_options[] = {
    {"text-file", 'f', 0, "F",
     "Replace the draft's text first with file F (`-`: standard input), for a returned\n"
     "draft.\n"},
    {"override", 'O', 0, "RULE=REASON",
     "Send past an error finding of RULE, with a written reason (audited with your name);\n"
     "may repeat.\n"},
    {NULL, 0, 0, NULL, NULL},
};

static const struct cli_option drafts_options[] = {
    {"state", 's', 0, "S",
     "Only drafts in state S: `editing`, `pending_approval`, `returned`, `approved`,\n"
     "`queued`, `sent` or `discarded`.\n"},
    {"thread", 't', 0, "ID", "Only the drafts of thread ID.\n"},
    {"json", 'j', 0, NULL, "Print a JSON array of draft objects.\n"},
    {NULL, 0, 0, NULL, NULL},
};

static const struct cli_option return_options[] = {
    {"comment", 'c', 0, "TEXT", "The comment for the draft's officer (required).\n"},
    {NULL, 0, 0, NULL, NULL},
};

static const struct cli_option help_options[] = {
    {"man", 'm', 0, "SECTION",
     "Print a section of the manual pages, in roff, as generated from the tables:\n"
     "`options` and `commands` (tactful(1)); `config`, `colours`, `config-account` and\n"
     "`rule-keys`"
     " (tactful(5)).\n"
     "`make man` puts them in man/.\n"},
    {NULL, 0, 0, NULL, NULL},
};

const struct cli_command cli_commands[] = {
    {"inbox", "", "open the terminal interface (the default)", NULL,
     "Takes no arguments.\n"
     "Standard input and standard output must both be terminals; otherwise `tactful`\n"
     "suggests `tactful list` and exits with status 1.\n"
     "Enter reads a thread; s, p, a, t, n and z triage it (state, priority, assignee, tags,\n"
     "note, snooze) and u undoes; / searches; x selects threads for a bulk change; R in a\n"
     "thread replies (the ready-reckoner, then the composer); q quits; ? lists the keys in\n"
     "force.\n"
     "The key bindings are read first: keymaps/default.keys, then the `keymap` setting (a\n"
     "file, or `vi` or `emacs`) or ~/.config/tactful/keys (see `KEYMAP FILES` in\n"
     "`tactful`(5)); a keymap with errors stops `tactful` with status 2 before the screen\n"
     "is touched, and so do pattern files and rule files with errors (every problem is\n"
     "printed, as by `tactful patterns` and `tactful check`).\n"
     "\n"
     "The interface syncs every account in the background as it starts, every\n"
     "`sync_interval` (5 minutes unless configured; `0` turns it off) and on F5 or `$`,\n"
     "by running `tactful sync` itself: the screen never waits for it.\n"
     "Not with `--offline` or on a review bundle.\n"
     "The status bar says `syncing 2/3`, then `synced 14:05 · 6 new`, and names an account\n"
     "that failed, with the reason, until its next good sync; the help (?) has a line per\n"
     "account.\n"
     "New threads appear in place (the cursor stays on its thread; the composer and the\n"
     "open thread are left alone); the tab in view says `N new` for unread threads that\n"
     "arrived since you came to it, and U goes to the next unread thread.\n"
     "An account that another tactful (a cron job, a colleague's interface) is syncing is\n"
     "skipped and the status bar says who; `notify` in `tactful`(5) rings the terminal when\n"
     "new threads arrive.\n"
     "See `tactful keys` and `THE INBOX`.\n",
     cmd_inbox},
    {"list",
     "[--state S] [--account A] [--platform P] [--tag T] [--assignee O]\n"
     "       [--sort activity|priority|age] [--limit N] [--all] [--json]",
     "list threads, latest activity first", list_options,
     "Each line shows the thread number, state, platform, account, the author of the latest\n"
     "post, the age of the latest activity (`5m`, `3h`, `2d`, `7w`, `1y`), the number of\n"
     "posts, and the thread's title or else the text of its latest post.\n"
     "A `*` before the number marks a thread with activity newer than the last time it was\n"
     "opened in the inbox.\n"
     "When nothing matches, it prints `No threads match.`\n"
     "\n"
     "Each filter option may be repeated: repeats of one option match any of their values,\n"
     "and different options must all match.\n"
     "An unknown state or platform is a usage error.\n"
     "`tactful list` takes no other arguments; to search text use `tactful search`.\n",
     cmd_list},
    {"search", "[--limit N] [--json] QUERY...", "full-text search with filters",
     search_options,
     "See `SEARCH SYNTAX`: words must all appear in one post (its text or its author's\n"
     "name); \"a phrase\" in quotes; pre* matches a prefix; OR between words matches either;\n"
     "-word leaves out threads where any post has the word.\n"
     "Filters: state:S platform:P account:A from:AUTHOR tag:T assignee:OFFICER\n"
     "(assignee:none for unassigned); key:\"a value\" allows spaces; a filter given twice\n"
     "matches either value, -key:value excludes.\n"
     "\n"
     "The words of QUERY are joined with spaces into one query, so a quoted phrase must be\n"
     "protected from the shell, as in\n"
     "  tactful search '\"bin collection\" state:new -from:northmoor'\n"
     "Matching threads are listed as by `tactful list`, latest activity first, each\n"
     "followed by the text of the thread's newest matching post with the hits in square\n"
     "brackets.\n"
     "The options may appear anywhere among the words; any other word starting with `--` is\n"
     "an unknown option, and `--` alone ends the options.\n"
     "Every other word, including one that starts with a single `-`, is part of the query.\n"
     "Search also finds snoozed threads.\n"
     "\n"
     "`list` and `search` write each thread as it is read from the cache, so their memory\n"
     "does not grow with the answer, and stop as soon as their reader goes away: in\n"
     "`tactful list --json | head`, tactful ends quietly once head has what it wants (killed\n"
     "by SIGPIPE, status 141 in a shell, as other programs are; where SIGPIPE is ignored, it\n"
     "stops at the failed write and exits with status 0).\n"
     "Any other failure to write, such as a full disk, is an error (status 1).\n",
     cmd_search},
    {"show", "ID [--json]", "show a thread as a conversation tree", show_options,
     "ID is the local thread number from `tactful list`.\n"
     "A header line gives the platform, account, state, priority, assignee and tags, then\n"
     "the title, URL and snooze time when there are any, then each post with its author,\n"
     "its time (UTC) and its text, replies indented under the post they answer.\n"
     "Replies deeper than eight levels are drawn at the eighth level and labelled with\n"
     "their depth; a post whose parent is not in the cache is shown as a root.\n"
     "Posts written from the organisation's own account are marked `[ours]`; followers-only\n"
     "and direct posts (Mastodon) are marked `[private]` (a reply to one stays as private),\n"
     "an edited post says when it was edited, and a post stored shortened to fit the cache is\n"
     "marked `[shortened]`.\n"
     "A post deleted on its platform, or hidden from the account there, is kept with its text\n"
     "for the record and marked `[deleted]` with how and when it was found gone; it cannot be\n"
     "answered.\n"
     "A thread whose platform would refuse a reply (a Bluesky threadgate that leaves the\n"
     "account out, a WordPress post with comments closed) says so under `Replies:`.\n"
     "Under a post's text come what it carries besides: its labels (Bluesky, and Mastodon's\n"
     "`sensitive`), each attachment with its alt text or `no description` (at most four\n"
     "listed, the rest counted; alt text up to 1,000 characters), the post it quotes (author,\n"
     "text, URL, or why it cannot be shown) and its link card (title, host, description,\n"
     "URL). A Mastodon post's content warning begins its text (`CW: ...`). Every one is\n"
     "sanitized onto its own line; URLs are printed, never opened. With --json each post\n"
     "has them as `extras` (cw, labels, media, media_total, quote, card).\n"
     "Internal notes follow the conversation.\n"
     "`show` does not mark the thread as read; opening it in the inbox does.\n",
     cmd_show},
    {"mark", "ID STATE", "set a thread's triage state", NULL,
     "STATE is one of {states}.\n"
     "Audited as `mark` with the old and new state and your officer identity.\n",
     cmd_mark},
    {"tag", "ID +TAG|-TAG...", "add or remove tags", NULL,
     "Add (+TAG) or remove (-TAG) tags, as in `tactful tag 12 +bins -urgent`.\n"
     "A tag is 1 to 64 bytes with no spaces, commas or control characters.\n"
     "Adding a tag the thread has, or removing one it lacks, changes nothing.\n"
     "Audited as `tag` with the tags actually added and removed.\n",
     cmd_tag},
    {"assign", "ID OFFICER|-", "assign a thread to an officer (- unassigns)", NULL,
     "OFFICER is 1 to 128 bytes, no control characters.\n"
     "Audited as `assign`.\n",
     cmd_assign},
    {"topic", "ID TEXT|-", "say what a thread is about, for a template's {topic}", NULL,
     "Several TEXT arguments are joined with single spaces; a topic is 1 to 200 bytes with no\n"
     "control characters, and `-` clears it.\n"
     "A pattern's `{topic}` is filled with the topic (\"we passed your comments about\n"
     "{topic}\"); without one it is left for the officer to write.\n"
     "The topic is shown by `tactful show`, in the thread's header in the inbox and in the\n"
     "`topic` member of JSON output.\n"
     "Audited as `topic`.\n",
     cmd_topic},
    {"priority", "ID 0|1|2|3", "set priority: 0 none, 1 low, 2 high, 3 urgent", NULL,
     "New threads have priority 0.\n"
     "Audited as `priority`.\n",
     cmd_priority},
    {"snooze", "ID TIME|off", "hide a thread until TIME (RFC 3339, UTC)", NULL,
     "TIME is an RFC 3339 time such as `2026-12-01T09:00:00Z`; a time with an offset is\n"
     "converted to UTC and fractional seconds are dropped.\n"
     "`off` wakes the thread.\n"
     "The snooze time is shown by `tactful show` and in the `snoozed_until` member of JSON\n"
     "output.\n"
     "Until that time the thread is left out of `tactful list` (unless `--all` is given) and\n"
     "of the inbox; `tactful search` still finds it.\n"
     "Audited as `snooze`.\n",
     cmd_snooze},
    {"note", "ID TEXT", "add an internal note to a thread", NULL,
     "Several TEXT arguments are joined with single spaces; a note is 1 to 8192 bytes.\n"
     "Notes stay in the cache and are never posted anywhere.\n"
     "Each note records the officer and the time.\n"
     "Audited as `note` with the note's text.\n",
     cmd_note},
    {"insight",
     "add ID --topic TOPIC [--to POST] [--stance S] [--quote | --quote-text TEXT]\n"
     "[--name-author] [--override REASON] | remove ID --topic TOPIC [--to POST] | topics\n"
     "[--json] | [digest] TOPIC [--since DAY] [--until DAY] [--format markdown|csv|json]",
     "mark posts as opinions on a topic; write a digest for a policy team", insight_options,
     "What the public tell the office about a policy or a service, gathered for the people\n"
     "who make it.\n"
     "`add` marks a post (by default the thread's latest post from the public) as an\n"
     "opinion on TOPIC, with its stance and, when asked, a quote; marking the same post\n"
     "on the same topic again replaces the mark.\n"
     "`remove` takes a mark away.\n"
     "Both are audited (`insight`, `insight-remove`).\n"
     "`topics` lists the topics with how many posts are marked on each and the days of\n"
     "the first and the last.\n"
     "\n"
     "`tactful insight TOPIC` (or `insight digest TOPIC`, for a topic named like an\n"
     "action) writes the digest: the period covered, the number of posts marked, counts\n"
     "by stance and by platform, then the quotes, each with its stance, platform, day and\n"
     "a link to the post.\n"
     "Authors are not named unless the officer chose `--name-author`; note that a link\n"
     "leads to the public post, and so to its author.\n"
     "Every quote goes through the personal-data guardrails first (phone numbers, e-mail\n"
     "addresses, postcodes, NI and NHS numbers, dates of birth ...): a quote with a\n"
     "finding is withheld and the digest says how many were, until the officer edits it\n"
     "(`--quote-text`) or overrides the check with a reason (`--override`); a quote that\n"
     "could not be checked (the rules failed to load) is withheld too.\n"
     "Remote text is escaped for Markdown, and CSV fields that a spreadsheet would run as a\n"
     "formula start with an apostrophe.\n"
     "The digest only reads the cache: it works `--offline` and on a review bundle.\n"
     "Example:\n"
     "  tactful insight add 12 --topic 'Station Road cycle lane' --stance against --quote\n"
     "  tactful insight 'Station Road cycle lane' --since 2026-11-01 --format csv\n",
     cmd_insight},
    {"audit", "[--thread ID] [--json | --csv]", "show or export the audit log", audit_options,
     "Shows the audit log, oldest first: every triage change, draft submission, override,\n"
     "approval, return, discard and send with its time (UTC), the officer, the action\n"
     "(`mark`, `tag`, `assign`, `topic`, `priority`, `snooze`, `note` ...), the thread and the\n"
     "details as a JSON object (`from` and `to` values, or the tags `added` and `removed`,\n"
     "or the note's `text`).\n"
     "In the terminal interface L shows the log, newest first.\n",
     cmd_audit},
    {"report", "[--since DATE] [--until DATE] [--by GROUP] [--format text|json|csv]",
     "response figures: threads in, answered, time to first reply", report_options,
     "Reports how the office answered the threads that came in during a period, read from\n"
     "the cache and the audit log without changing either (it works with `--offline` and on\n"
     "a review bundle).\n"
     "All times are UTC except business hours, which are local time.\n"
     "\n"
     "IN: threads whose first post from the public was made in the period.\n"
     "\n"
     "ANSWD: of those, the threads with a first reply: the earliest of the office's own\n"
     "posts made after that first post and of the replies `tactful` sent after it (at the\n"
     "time they were sent), at any time up to now.\n"
     "\n"
     "MEDIAN and P90: the median and 90th percentile of the time from that first post to the\n"
     "first reply over the answered threads, nearest-rank (the value at rank\n"
     "ceil(p x n / 100) of the n times in ascending order, so the median of 4 times is the\n"
     "second); the percentage of threads answered is rounded to the nearest whole one.\n"
     "\n"
     "BH-MED and BH-P90 (when `business_hours` is set, see `tactful`(5)): the same counting\n"
     "only the time within business hours.\n"
     "\n"
     "RET: drafts on those threads returned by a reviewer (`draft.return` in the audit log),\n"
     "listed below the table with why.\n"
     "\n"
     "ESC: threads escalated: in state `escalated` now, marked `escalated` at some time, or\n"
     "whose incoming post fired an escalation rule that an officer overrode or asked a\n"
     "second officer to approve.\n"
     "\n"
     "The backlog counts, at the end of each week (Monday to Sunday; the last week at the\n"
     "end of the period), every thread whose first post came before then, by the state it\n"
     "was in then according to the audit log (`mark`, its `undo`, `reply_sent`; a thread\n"
     "never changed counts in its state now).\n"
     "\n"
     "With `--by`, a thread counts under its account, its platform, each of its tags, the\n"
     "week (Monday) of its first post from the public, the officer who wrote the draft of\n"
     "its first reply sent through `tactful` (else its assignee), or that draft's pattern;\n"
     "`-` when there is none.\n"
     "In the terminal interface I shows the same figures with charts.\n",
     cmd_report},
    {"import", "FILE|-... | --bundle FILE", "load posts from JSON Lines, or merge a bundle",
     import_options,
     "Loads posts from JSON Lines files; the format is in `tactful`(5).\n"
     "`-` reads standard input.\n"
     "Each FILE is checked whole before anything is written: a malformed line is reported\n"
     "as FILE:LINE: reason and nothing from that file is kept.\n"
     "Its posts are then written in transactions of half a second at most, so another\n"
     "`tactful` (triage, a sync) gets the cache in between.\n"
     "An import that is killed keeps the posts of the transactions it finished, each\n"
     "complete (indexed for search, counted in its thread), and nothing of the one it was\n"
     "in; importing the file again adds the rest.\n"
     "Into an empty cache, some indexes are built once at the end; after a killed import,\n"
     "the next `tactful` command builds them first (see tactful(5), Loading).\n"
     "Loading the same posts again changes nothing; a post that has changed is updated in\n"
     "place.\n"
     "Triage data (state, tags, notes and so on) is never changed by an import.\n"
     "For each file loaded, a summary is printed to standard error: \"FILE: N posts: N new,\n"
     "N updated, N unchanged; N new threads\".\n"
     "A failed file does not stop the next; the exit status is 1 when any file failed.\n"
     "An argument starting with `-` (other than `-` itself and `--bundle`) is a usage\n"
     "error.\n"
     "\n"
     "With `--bundle`, the bundle is first checked, read-only and in its own connection: a\n"
     "regular file of at most 512 MiB, an SQLite database whose integrity check passes, of\n"
     "this `tactful`'s schema version with exactly the tables `tactful` writes, every row\n"
     "keeping its table's rules (known states, JSON where JSON belongs), with bounded row\n"
     "counts and a bundle record.\n"
     "A bundle written by a newer `tactful`, a damaged one, a file that is not a bundle and\n"
     "a bundle exported from another cache are refused with a sentence, and nothing\n"
     "changes.\n"
     "\n"
     "For each exported thread (state, priority, assignee, snooze time, topic, each tag),\n"
     "each note and each draft, the merge compares how it stood at export, how it stands in\n"
     "the bundle and how it stands here.\n"
     "A change made only in the bundle is applied through the same checks as a command, as\n"
     "the officer who made it offline, followed by a `bundle.apply` audit entry naming the\n"
     "bundle, the change and when it was made offline.\n"
     "A change made on both sides is a conflict: it is printed (thread or draft, field, the\n"
     "value here and in the bundle) and left as it is here.\n"
     "Notes written on either side are all kept.\n"
     "A draft submitted offline is submitted again here, through this machine's guardrails\n"
     "and with the overrides given offline: an error finding sends it back to be edited\n"
     "(printed as not applied), and a draft that waited for approval offline waits here\n"
     "too, so that only the officer who approved it offline queues it.\n"
     "Drafts written offline are created here as their officer.\n"
     "Merging the same bundle again changes nothing.\n"
     "Threads added to the bundle offline are not merged.\n"
     "The summary lists each change applied, each conflict and each change not applied;\n"
     "the exit status is 1 when the bundle is refused, there was a conflict or a change not\n"
     "applied, 0 otherwise.\n"
     "\n"
     "Into an empty cache, `import --bundle` loads the bundle instead: the cache becomes a\n"
     "copy of it, used offline like the bundle and merged back the same way.\n",
     cmd_import},
    {"export",
     "[--thread ID] [--format jsonl|csv] [--output|-o FILE] | "
     "--bundle FILE [--state S | --thread ID...]",
     "write posts as JSON Lines or CSV, or an offline review bundle", export_options,
     "Writes every post, or the posts of thread ID, ordered by thread and time, as JSON\n"
     "Lines (the default) or CSV, to standard output or FILE; both formats are described in\n"
     "`tactful`(5).\n"
     "JSON Lines output imports back unchanged; JSON escapes every control character, DEL\n"
     "included.\n"
     "On a terminal, CSV cells are shown with their control characters and escape sequences\n"
     "made visible (^[, <U+202E>; see `SECURITY`); a file or a pipe gets the exact text.\n"
     "In CSV, a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is\n"
     "prefixed with `'` so spreadsheets do not run it as a formula.\n"
     "\n"
     "`--bundle FILE` writes an offline review bundle for a desktop without network: the\n"
     "threads in STATE, the threads given with `--thread` or every thread (at most 10000),\n"
     "with their posts, authors, accounts, triage, tags, notes, drafts and audit history.\n"
     "Accounts are copied without their sync position or last error; no credential is ever\n"
     "in a cache, so none is in a bundle.\n"
     "The bundle is itself a `tactful` cache (one file, not in WAL mode until it is opened)\n"
     "with a record of the cache it came from, the host, the time and the officer who\n"
     "exported it, and how each thread and draft stood at export.\n"
     "It is written through a temporary file renamed into place, and the export is audited\n"
     "as `bundle.export`.\n"
     "On the offline desktop, open it with `tactful --db FILE` (the inbox or any command)\n"
     "to review, edit, approve or return drafts (by an officer other than the author, as\n"
     "always) and change triage; `sync` and `outbox send` refuse a bundle with exit status\n"
     "1, so nothing approved in it is sent until it is merged with\n"
     "`tactful import --bundle FILE`.\n"
     "`--format` and `--output` do not go with `--bundle`; a cache that is itself a bundle\n"
     "cannot be exported again.\n",
     cmd_export},
    {"keys", "[--actions | --man | --check FILE...]", "show or check the key bindings",
     keys_options,
     "With no option, prints the key bindings in force for the inbox (the shipped ones with\n"
     "the configured keymap on top) as a keymap file, one `bind` line each with the\n"
     "action's description as a comment.\n"
     "Keymap files are described in `tactful`(5).\n",
     cmd_keys},
    {"sync", "[ACCOUNT...]", "read what is new from the platforms", NULL,
     "Reads what is new into the cache: every configured account, or those named, all at\n"
     "once.\n"
     "Mastodon accounts bring in the statuses that mention the account, each with its whole\n"
     "thread (`statuses/:id/context`); Bluesky accounts the mentions, replies and quotes\n"
     "from the notifications, each with its whole thread (`getPostThread`); WordPress\n"
     "accounts the approved comments on the site's posts, with the post as the thread's\n"
     "first post and its title as the thread's title.\n"
     "HTML is turned into plain text (paragraphs, line breaks, lists, links and entities);\n"
     "the original is kept.\n"
     "\n"
     "Each account's posts and its new sync position (its cursor) are written in one\n"
     "transaction once everything it read has arrived, so an interrupted sync, even by\n"
     "`kill -9`, loses nothing and repeats nothing: the next sync starts from the last\n"
     "committed position.\n"
     "The first sync of an account reads the most recent pages only (10 pages of\n"
     "notifications; 100 pages of comments, and the next sync reads on).\n"
     "\n"
     "Every later sync also reads again the account's recent threads (activity in the last\n"
     "three days and not closed, the forty most recent): replies that do not mention the\n"
     "account arrive, edited posts update the stored text and the search index, and posts\n"
     "gone upstream are marked deleted, kept with their text (Mastodon: the thread's first\n"
     "post answers 404 or 410; Bluesky: `notFoundPost` or `blockedPost` in the thread, or the\n"
     "post not found; WordPress: the comments of those posts read again, approved ones in,\n"
     "held, spam and trashed ones marked).\n"
     "Threads the platform would refuse a reply in are noted on the thread: a Bluesky\n"
     "threadgate (`viewer.replyDisabled`), a WordPress post with comments closed; and\n"
     "cleared when that changes.\n"
     "A post marked deleted, or a thread refusing replies, is never answered: `reply`,\n"
     "`submit`, `approve` and the interface refuse with the reason, and `outbox send` holds a\n"
     "reply queued before (state `failed`, with the reason).\n"
     "\n"
     "On a terminal, `sync` prints a line per account as it finishes (new threads, new\n"
     "posts, time taken); otherwise one summary line \"sync: N accounts, F failed; T new\n"
     "threads, P new posts, U updated\", and a line when posts were found deleted.\n"
     "An account that fails (a refused secret, a server that does not answer, a malformed\n"
     "answer) is reported on standard error with the reason and recorded as its last error\n"
     "(see `tactful accounts`); the other accounts still sync and the exit status is 1.\n"
     "Requests time out, are retried with exponential backoff after network errors and 5xx\n"
     "answers, and wait as told after a 429 (see `ENVIRONMENT`).\n"
     "Refused with `--offline`.\n",
     cmd_sync},
    {"outbox", "[list [--json] | send]", "show or send the replies waiting to go",
     outbox_options,
     "Replies are queued after review, by `submit` and `approve`.\n"
     "`list` (the default) shows each with its number, state (`queued`, `sending`,\n"
     "`in-doubt` for one whose sender stopped between sending and recording, `sent`,\n"
     "`failed` for one held for good), attempts, account, thread, age and text, with the\n"
     "address it was sent as or its last error: why it failed, or why it waits without being\n"
     "tried (its account is not configured, its secret cannot be read).\n"
     "\n"
     "`send` sends them, each account's in order and the accounts at once.\n"
     "Each reply is marked `sending` in the cache (committed) before its request is made.\n"
     "A reply that was tried before, or left `sending` by a tactful that stopped, is first\n"
     "looked for on the platform (Bluesky: its record, whose key derives from the outbox\n"
     "entry; WordPress: the account's comments under the one answered; Mastodon: the\n"
     "account's replies under the post answered) and sent only when it is not there;\n"
     "Mastodon requests also carry an `Idempotency-Key` that stays the same on every\n"
     "attempt.\n"
     "So a reply reaches the platform at most once.\n"
     "A reply sent records its remote id and address, is stored in the cache as our post,\n"
     "marks the thread `replied` and is written to the audit log, all in one transaction.\n"
     "A reply that fails stays queued with its error and attempt count, and the exit status\n"
     "is 1.\n"
     "A reply to a post deleted since it was queued, or in a thread that stopped taking\n"
     "replies (see `sync`), is not sent: it is held as `failed` with that reason, audited as\n"
     "`reply_held`.\n"
     "Mastodon replies keep the visibility of the post answered (never wider; `direct` when\n"
     "it is not known), mention its author, and use the account's `language`; Bluesky\n"
     "replies carry root and parent references, link and mention facets and `langs`;\n"
     "length limits (the instance's `max_characters`; 300 characters on Bluesky) are\n"
     "checked before sending.\n"
     "`send` is refused with `--offline`.\n"
     "In the terminal interface `S` runs `tactful outbox send` in the background (the same\n"
     "cache, configuration and officer, without a shell) and shows its result in the status\n"
     "bar.\n"
     "When accounts are configured and `--offline` is not given, a reply queued in the\n"
     "interface (submitted from the composer or approved in the approvals view) starts that\n"
     "send by itself.\n",
     cmd_outbox},
    {"accounts", "[check [ACCOUNT...]]", "list accounts, or check their credentials", NULL,
     "Without arguments, lists each configured account with its platform, the time of its\n"
     "last successful sync (or `never`), its URL, who it is on the platform, how its last\n"
     "sync went (`last sync: ok at TIME, N new threads` or `last sync: failed at TIME:\n"
     "REASON`, the reason until its next good sync) and who is syncing it now, if anyone.\n"
     "`check` signs each account (or those named) in, all at once, and prints who it is and\n"
     "how long a reply may be; a failure is reported with its reason and makes the exit\n"
     "status 1.\n"
     "`check` reads no posts and writes nothing, and is refused with `--offline`.\n",
     cmd_accounts},
    {"check",
     "[--platform P] [--context FILE] [--pattern ID] [--policy FILE]\n"
     "       [--format text|json] [--suggestions] [FILE...|-] | --config",
     "check draft replies against the guardrails", check_options,
     "See `GUARDRAILS`.\n"
     "Each FILE is one draft; `-` or no file reads one draft from standard input, shown as\n"
     "`<stdin>`.\n"
     "Each finding is printed on one line, as a compiler does:\n"
     "  FILE:LINE:COL: SEVERITY: MESSAGE [RULE]\n"
     "where LINE and COL start at 1 and COL counts characters (Unicode code points), and\n"
     "SEVERITY is `info`, `warning` or `error`.\n"
     "Findings on the post given with `--context` name that file.\n"
     "Findings are sorted by where they start; nothing is printed for a clean draft.\n"
     "Rules come from the shipped packs, the office policy and your own file `rules` beside\n"
     "the configuration; `tactful rules` lists them.\n"
     "\n"
     "The exit status is 1 when any error finding remains, 0 otherwise (warnings and info do\n"
     "not count).\n"
     "A check that cannot finish holds the reply: more than 1,000 findings is an error\n"
     "(`guard.too-many-findings`), and so is a rule that hits a limit, named in the\n"
     "finding; neither can be overridden at `submit`.\n"
     "The exit status is 2 for a usage error, a file that cannot be read, or a rule, policy\n"
     "or list file with a problem; every such problem is printed as FILE:LINE: message\n"
     "before anything is checked.\n",
     cmd_check},
    {"rules", "[--policy FILE] [--all] [--json] [--explain RULE] [--test]",
     "list, explain or test the guardrail rules in force", rules_options,
     "Lists each rule's id, its level (today: during an election period, the election\n"
     "level), its kind, whether it reads the draft, the incoming post or both, and the file\n"
     "and line that define it, with notes: `locked`, `needs approval`,\n"
     "`election period only`, a stricter level in the election period, and the policy or\n"
     "user file line that last changed it.\n"
     "A line at the end gives the election period, if the policy sets one.\n"
     "A problem in a rule file is reported as for `check` (exit status 2).\n",
     cmd_rules},
    {"patterns", "[--json] [--for ID [--to POST] | --for-text TEXT|-]",
     "list the response patterns, or those that fit a post", patterns_options,
     "Lists the response patterns of the ready-reckoner: key, id, purpose and what each\n"
     "expects (a link, an official source, a second officer's approval).\n"
     "The seven core patterns (acknowledgement, encouragement, exhortation, signposting,\n"
     "mea-culpa, exploratory, clarification) ship in the patterns data folder; an office\n"
     "adds or overrides patterns in its own folder (`[tactful] patterns`, else\n"
     "~/.config/tactful/patterns/).\n"
     "See `PATTERN FILES` in `tactful`(5).\n",
     cmd_patterns},
    {"reply",
     "ID [--to POST] --pattern P (--text-file F | --template)\n"
     "       [--override RULE=REASON]... [--submit]",
     "write a draft reply to a thread", reply_options,
     "Creates a draft reply on thread ID answering POST in pattern P, with the text of F or\n"
     "the pattern's template filled in.\n"
     "When the post answered has a content warning (Mastodon), the draft starts with it as\n"
     "a line `CW: TEXT` and a blank line, as Mastodon's own client carries it: change or\n"
     "empty that line (`CW:` sends none) or delete it, with `tactful submit ID --text-file\n"
     "F` or in the composer. A Mastodon reply sends it as its content warning\n"
     "(`spoiler_text`); its length counts towards the limit, as the server counts it.\n"
     "Warns when another officer has a draft, or a reply went out in the last day, on the\n"
     "thread.\n"
     "Refused, with the reason, when POST was deleted on its platform or the thread does not\n"
     "take replies there (see `sync`).\n",
     cmd_reply},
    {"submit", "ID [--text-file F] [--override RULE=REASON]...", "submit a draft",
     submit_options,
     "Checks draft ID against the guardrails, prints the findings as\n"
     "`draft ID:LINE:COL: SEVERITY: MESSAGE [RULE]` and submits it: an error finding\n"
     "refuses it (exit status 1) unless overridden with a written reason (audited with your\n"
     "name); a draft whose pattern or findings need a second officer (the policy's\n"
     "`approval`) waits as `pending_approval`; any other is queued in the outbox at once,\n"
     "also with `--offline` (sending is `tactful outbox send`).\n"
     "A draft still holding a placeholder such as `{link}` is refused.\n"
     "The signature (`[tactful] signature`) is appended, after a space, when the text does\n"
     "not hold it already, so it is sent exactly once.\n"
     "A draft answering a post deleted since, or in a thread that stopped taking replies, is\n"
     "refused with the reason.\n",
     cmd_submit},
    {"drafts", "[--state S] [--thread ID] [--json]", "list drafts", drafts_options,
     "Lists drafts, newest first: every one but discarded and sent drafts, with a returned\n"
     "draft's comment.\n",
     cmd_drafts},
    {"approve", "ID", "approve another officer's draft and queue it", NULL,
     "Approves pending draft ID and puts it in the outbox.\n"
     "Approving your own draft is refused, and so is one answering a post deleted since or in\n"
     "a thread that stopped taking replies.\n"
     "Audited.\n",
     cmd_approve},
    {"return", "ID --comment TEXT", "return a pending draft with a comment", return_options,
     "Sends another officer's pending draft ID back with your comment; they change it and\n"
     "submit it again (`tactful submit ID --text-file F`).\n"
     "Audited.\n",
     cmd_return},
    {"discard", "ID", "discard a draft", NULL,
     "Discards a draft that is not yet queued.\n"
     "Every submission, override, approval, return, discard and queueing is in the audit\n"
     "log with who and when.\n",
     cmd_discard},
    {"help", "[COMMAND]", "explain tactful or one of its commands",
     help_options,
     "With no command, prints the same text as `tactful --help`.\n",
     cmd_help},
    {NULL, NULL, NULL, NULL, NULL, NULL},
};

const struct cli_command *
cli_command_find(const char *name)
{
    for (const struct cli_command *c = cli_commands; c->name; c++)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}
