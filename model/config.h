/* The configuration file: an INI file with a [tactful] section, a [colours] section (ROLE =
 * a colour description), a [searches] section (NAME = a saved search) and one [account NAME]
 * section per platform account. See man/tactful.5.
 *
 * Syntax (parsed with libinih, see model/config.c for how its limits are worked around):
 * - One item per line; lines end in "\n" or "\r\n"; a UTF-8 BOM at the start is ignored.
 *   Leading whitespace is ignored (indentation never continues the previous line).
 * - A line whose first non-blank character is ';' or '#' is a comment, as is a blank line.
 * - "[tactful]", "[colours]" and "[searches]" (each at most once) and "[account NAME]", NAME
 *   being 1 to 64 characters of A-Z a-z 0-9 . _ - and unique, start sections; after the ']'
 *   only a comment may follow.
 *   Section and key names are case-sensitive.
 * - "key = value" ("key: value" also works) inside a section. The value is trimmed. A ';' that
 *   follows a space or tab starts a comment, so "officer = Sam Patel ; audit name" sets
 *   "Sam Patel"; "a;b" and "#tag" are kept. To keep " ;", leading or trailing spaces, or a
 *   value starting with ';' or '"', write the value in double quotes: signature = "SP ;)".
 *   Inside quotes \" is a quote and \\ a backslash (other backslashes are literal); after the
 *   closing quote only a ';' comment may follow.
 * - Empty values, a key twice in one section, unknown keys and sections, and lines that are
 *   none of the above are errors. Limits: 4096 bytes per value, 8192 bytes per line; control
 *   characters other than tab are refused. Reading stops after 100 errors.
 * - token_file, ca_file, policy, keymap and patterns: a leading "~/" is replaced by $HOME ("~user" is
 *   refused).
 *
 * config_load sets libinih's process-wide runtime knobs (ini_max_line and friends) for the
 * duration of the parse and restores them, so it must not run while another thread uses inih. */
#ifndef TACTFUL_CONFIG_H
#define TACTFUL_CONFIG_H

#include <stddef.h>

struct config_account {
    char *name;       /* from the section header [account NAME] */
    char *platform;   /* a name in the platform table (model/platform.h) */
    char *url;        /* base URL, https:// (http:// only for 127.0.0.1, [::1], localhost);
                       * no user:password@, '?' or '#'; trailing '/' removed */
    char *user;       /* WordPress user name or Bluesky handle (required there); Mastodon
                       * needs none, so it is NULL unless the file sets it anyway */
    char *token_cmd;  /* exactly one of these three is set */
    char *token_file;
    char *token_env;
    char *ca_file;    /* extra CA certificates (PEM) to trust, e.g. an office's inspecting
                       * proxy; NULL for the system's. TLS is always verified. */
    char *language;   /* language of our replies, a BCP 47 tag such as "en" or "cy-GB";
                       * NULL to let the platform decide */
    char *sync_interval; /* this account's own sync_interval (config_interval_parse), or NULL */
    int line;         /* line of the section header, for messages */
};

/* A colour description of the [colours] section: "[bold] [underline] [reverse] [dim]
 * [COLOUR] [on COLOUR]", COLOUR one of black, red, green, yellow, blue, magenta, cyan, white
 * (0 to 7, the terminal's order) or default. */
#define CONFIG_COLOUR_DEFAULT (-1)
enum config_attr {
    CONFIG_ATTR_BOLD = 1,
    CONFIG_ATTR_UNDERLINE = 2,
    CONFIG_ATTR_REVERSE = 4,
    CONFIG_ATTR_DIM = 8,
};

struct config_colour {
    char *role;       /* the key: a role of the interface's colour table (tui/colour.c) */
    int fg, bg;       /* 0..7, or CONFIG_COLOUR_DEFAULT */
    unsigned attrs;   /* enum config_attr bits */
    int line;         /* where it was set, for messages */
};

/* A saved search of the [searches] section: an extra tab of the inbox. */
struct config_search {
    char *name;       /* the key: the tab's label (at most 32 bytes) */
    char *query;      /* in the query language (model/query.h), checked */
    int line;
};

struct config {
    char *path;       /* file it was read from, or NULL when none existed */
    char *officer;    /* [tactful] officer, or NULL */
    char *signature;  /* [tactful] signature, or NULL */
    char *policy;     /* [tactful] policy, or NULL */
    char *keymap;     /* [tactful] keymap: a key bindings file, or a shipped flavour's name
                       * ("vi", "emacs"), or NULL */
    char *open_cmd;   /* [tactful] open_cmd: a program and its arguments, split on blanks and
                       * run without a shell, to open a post's URL; or NULL */
    char *patterns;   /* [tactful] patterns: the office's folder of *.pattern files, or NULL */
    char *inbox_columns; /* [tactful] inbox_columns: the inbox's column names, or NULL */
    char *sync_interval; /* [tactful] sync_interval, checked; read with config_sync_interval */
    char *notify;     /* [tactful] notify, checked; read with config_notify_mode */
    char *business_hours; /* [tactful] business_hours, checked by hours_parse, or NULL */
    struct config_colour *colours; /* [colours], in file order */
    size_t ncolours;
    struct config_search *searches; /* [searches], in file order (at most 20) */
    size_t nsearches;
    struct config_account *accounts;
    size_t naccounts;
};

/* Reads the configuration at path. When the file does not exist and missing_ok is nonzero,
 * returns an empty configuration (its path NULL). On any error returns NULL and sets *err to a
 * newly allocated text of one "PATH:LINE: message" line per problem found (all of them, not
 * just the first, sorted by line, joined with '\n', no final newline): unknown sections and
 * keys, bad values, duplicate accounts, missing or several secret sources, a missing platform
 * or url. A file that cannot be opened gives the single line "cannot read config PATH:
 * REASON; HINT". On success *err is set to NULL. err may be NULL. */
struct config *config_load(const char *path, int missing_ok, char **err);

/* Checks of values whose words belong to the terminal interface's tables (model/ knows no
 * screen): each returns 0, or -1 with *err set to a sentence saying what to write instead.
 * A NULL member checks nothing. */
struct config_checks {
    int (*colour_role)(const char *role, char **err);     /* a key of [colours] */
    int (*inbox_columns)(const char *spec, char **err);   /* [tactful] inbox_columns */
};

/* As config_load, with the problems checks finds reported (on their lines) as well. */
struct config *config_load_checked(const char *path, int missing_ok,
                                   const struct config_checks *checks, char **err);

/* The sections of the configuration file, for config_key_doc. */
enum config_section { CONFIG_SECTION_TACTFUL, CONFIG_SECTION_ACCOUNT };

/* One key of a section as the documentation describes it. The strings are static. */
struct config_key_doc {
    const char *name;
    const char *value;   /* what it takes: TEXT, PATH ... */
    const char *def;     /* what holds when it is not set, or NULL */
    const char *help;    /* what it is for; markup as described in cli/cli.h */
};

/* Fills *out with the i-th key of section (in the order the file's table lists them);
 * returns 0, or -1 when there is no such key. */
int config_key_doc(enum config_section section, size_t i, struct config_key_doc *out);

/* Parses a colour description into out's fg, bg and attrs (not role and line). Returns 0, or
 * -1 with *err set to a sentence saying how to write it. */
int config_colour_parse(const char *value, struct config_colour *out, char **err);

#define CONFIG_INTERVAL_DEFAULT (5 * 60)
#define CONFIG_INTERVAL_MIN 30
#define CONFIG_INTERVAL_MAX (24 * 60 * 60)

/* Parses a sync_interval value: "0" or "off" (0, never), or digits with an optional unit s, m
 * or h (bare: minutes) from CONFIG_INTERVAL_MIN to CONFIG_INTERVAL_MAX seconds. Sets *seconds
 * and returns 0, or returns -1 with *err (when err is not NULL) set to a sentence. */
int config_interval_parse(const char *value, long *seconds, char **err);

/* The background sync interval of account a in seconds (0: never): its own sync_interval,
 * else [tactful] sync_interval, else CONFIG_INTERVAL_DEFAULT. a and cfg may be NULL. */
long config_sync_interval(const struct config *cfg, const struct config_account *a);

/* How the interface announces new threads ([tactful] notify). */
enum config_notify { CONFIG_NOTIFY_OFF, CONFIG_NOTIFY_BELL, CONFIG_NOTIFY_OSC9,
                     CONFIG_NOTIFY_OSC777 };

/* The notify mode cfg asks for (off when cfg is NULL or says nothing). */
enum config_notify config_notify_mode(const struct config *cfg);

/* Frees a configuration and everything it owns. NULL is fine. */
void config_free(struct config *cfg);

/* Returns the account section called name, or NULL. */
const struct config_account *config_account_find(const struct config *cfg, const char *name);

/* Returns the officer identity to record in the audit log: the TACTFUL_OFFICER environment
 * variable, else the config's officer, else the login user name (from the account database;
 * tactful-portable skips it), else $USER, else $LOGNAME, else "unknown". The returned string
 * is newly allocated. */
char *config_officer(const struct config *cfg);

#endif
