/* Guardrails: checks a draft reply against the shipped rule packs, the office policy and the
 * officer's own rules, and says what may be wrong with it, where, and how to fix it.
 *
 * Rules live in files (the *.rules files in share/rules, the office policy, the user's rules
 * file; the format is in tactful(5)). guard_new reads them all once; guard_check is then
 * cheap enough to run on every keystroke. A guard's rules do not change after guard_new, but a
 * check compiles a regular expression to machine code the first time it runs it, so one guard
 * serves one thread at a time. No curses, no network. */
#ifndef TACTFUL_GUARD_H
#define TACTFUL_GUARD_H

#include <stdbool.h>
#include <stddef.h>

enum guard_severity { GUARD_INFO, GUARD_WARNING, GUARD_ERROR };

/* Which text a finding's offsets point into. */
enum guard_source { GUARD_DRAFT, GUARD_CONTEXT };

struct guard_finding {
    const char *rule;       /* "personal-data.phone"; owned by the guard */
    const char *category;   /* "personal-data"; owned by the guard */
    enum guard_severity severity;
    enum guard_source source;
    size_t start, end;      /* [start, end) in bytes into the draft or the context */
    char *message;          /* what may be wrong, a sentence; owned by the result */
    char *suggestion;       /* how to fix it; "" when the rule offers nothing */
    bool approval;          /* the policy wants a second officer to approve sending past it */
    bool locked;            /* the policy locked the rule */
    bool incomplete;        /* the check could not finish (a limit); the reply is held and
                               this cannot be overridden */
    bool guess;             /* from a word model: what the text reads like, not a rule's match */
};

/* Findings sorted by source (draft first), then start, then worst severity. */
struct guard_result {
    struct guard_finding *findings;
    size_t n;
    size_t cap;
};

/* Where the rules come from. Later files win, except that the user's file cannot weaken a rule
 * the policy locked. */
struct guard_options {
    const char *rules_dir;   /* folder of the shipped *.rules files (required) */
    const char *policy;      /* the office policy file, or NULL; it must exist */
    const char *user_rules;  /* the officer's own rules file, or NULL; may be missing */
    const char *cache_dir;   /* a folder for the compiled token patterns (created when
                                missing), or NULL: compile them at every load */
};

/* What to check. */
struct guard_input {
    const char *draft;       /* UTF-8 (broken bytes are tolerated); need not end in '\0' */
    size_t draft_len;
    const char *platform;    /* a platform table name (model/platform.h), or NULL: no length */
    const char *context;     /* the post being answered, or NULL */
    size_t context_len;
    const char *pattern;     /* a response pattern id (guard_pattern_find), or NULL */
    const char *today;       /* "YYYY-MM-DD" for the election period; NULL: the local date */
    bool election;           /* check as if the election period were on, whatever the day */
    bool keep_all;           /* keep every finding (no merging of overlapping ones) */
};

/* A rule as `tactful rules` shows it. Strings are owned by the guard. */
struct guard_rule_info {
    const char *id;
    const char *category;
    const char *pack;        /* the shipped pack, "policy" or "user" */
    const char *kind;        /* "phrase", "regex", "pii" ... */
    const char *applies;     /* "draft", "incoming" or "both" */
    enum guard_severity level;
    enum guard_severity election_level; /* the level during the election period */
    bool election_only;      /* mode = election */
    bool enabled;
    bool locked;
    bool approval;
    const char *file;        /* where it is defined */
    int line;
    const char *changed_file; /* the last policy or user file that changed it, or NULL */
    int changed_line;
};

/* A response pattern (the ready-reckoner's core patterns). */
struct guard_pattern {
    const char *id;          /* "signposting" */
    const char *summary;     /* one line for help texts */
};

struct guard;

/* Reads the shipped packs (every *.rules file in rules_dir, in name order), then the policy,
 * then the user's rules, and compiles them. On any problem returns NULL and sets *err to a
 * newly allocated text of one "FILE:LINE: message" line per problem (all of them, up to a
 * bound, joined with '\n'); a file that cannot be read gives "cannot read ...". */
struct guard *guard_new(const struct guard_options *opts, char **err);

/* Frees a guard. NULL is fine. Results of guard_check must be freed first or not used after:
 * their rule and category strings belong to the guard. */
void guard_free(struct guard *g);

/* Checks a draft. Fills *out (which the caller frees with guard_result_free, also on failure)
 * and returns 0; returns -1 with *err (newly allocated) for an unknown platform or pattern or
 * a text over GUARD_TEXT_MAX bytes. */
int guard_check(const struct guard *g, const struct guard_input *in, struct guard_result *out,
                char **err);

#define GUARD_TEXT_MAX (1024 * 1024)

/* Frees what a result owns and empties it. */
void guard_result_free(struct guard_result *r);

/* A platform's length limit and how much of it a text uses, counted as guard_check counts
 * (grapheme clusters; on Mastodon a link is 23 and @user@domain is @user; surrounding blank
 * space left out). For a live counter in an editor. */
struct guard_length {
    long count;              /* characters used */
    long max;                /* the limit in force (the policy may change it) */
    long warn;               /* per cent of max where a note starts; 0: none */
    long bytes, max_bytes;   /* bytes used, and the byte limit (0: none) */
};

/* Fills *out for platform's length rule in force and returns 1; returns 0 when the platform
 * has none (wordpress, an unknown platform, NULL, a disabled rule). */
int guard_length_count(const struct guard *g, const char *platform, const char *text,
                       size_t len, struct guard_length *out);

/* Whether an election period in the policy covers today ("YYYY-MM-DD"; NULL: the local date). */
bool guard_election_active(const struct guard *g, const char *today);

/* The policy's election period as "YYYY-MM-DD" strings owned by the guard; false when the
 * policy sets none. */
bool guard_election_period(const struct guard *g, const char **start, const char **end);

/* The rules, in load order, for listing. */
size_t guard_rule_count(const struct guard *g);
void guard_rule_info(const struct guard *g, size_t i, struct guard_rule_info *info);

/* Checks rule i against its own examples: each `example` must make it fire and each
 * `counterexample` must not. Returns how many fail; when report is not NULL, *report is a new
 * text with one "FILE:LINE: rule ID ..." line per failure (NULL when none fail). A rule that is
 * off is not tested. */
size_t guard_rule_test(const struct guard *g, size_t i, char **report);

/* How many examples and counterexamples rule i carries. */
void guard_rule_example_count(const struct guard *g, size_t i, size_t *examples,
                              size_t *counterexamples);

/* The definition of rule id as `tactful rules --explain` prints it (what it reads, its level,
 * message and fix, its patterns, antipatterns and exceptions, the word classes they use and
 * its examples), newly allocated; NULL when there is no such rule. */
char *guard_rule_explain(const struct guard *g, const char *id);

/* Whether the rule id needs a second officer's approval; false for an unknown id. */
bool guard_rule_needs_approval(const struct guard *g, const char *rule);

/* One key of a rule section as the documentation describes it (tactful(5)). Strings are
 * static, but kinds, which is filled in. */
struct guard_rule_key_doc {
    const char *name;
    const char *value;    /* what it takes: TEXT, yes|no ... */
    const char *help;     /* what it does; markup as described in cli/cli.h */
    char kinds[128];      /* the rule kinds it belongs to ("phrase and regex"), "" for all */
    bool policy_only;     /* only the policy may give it */
    bool repeat;          /* may be given more than once */
    bool changeable;      /* a later file may give it for a rule defined earlier */
};

/* Fills *out with the i-th key a rule section accepts; returns 0, or -1 past the last. */
int guard_rule_key_doc(size_t i, struct guard_rule_key_doc *out);

/* "info", "warning" or "error". */
const char *guard_severity_name(enum guard_severity s);

/* The response patterns, ending with a zeroed entry, and lookup by id (NULL when unknown). */
extern const struct guard_pattern guard_patterns[];
const struct guard_pattern *guard_pattern_find(const char *id);

/* A response pattern that fits the post answered, and why (guard_suggest). */
struct guard_suggestion {
    const char *pattern;     /* a guard_patterns id; owned by the guard */
    char *reason;            /* "asks a question" (the messages of the rules that found it,
                              * joined by "; "); owned by the result */
    const char *rule;        /* the first rule that suggested it; owned by the guard */
    size_t start, end;       /* [start, end) in bytes of the post: what that rule read */
    int score;               /* the sum of its rules' weights (info 1, warning 2, error 3) */
};

/* Suggestions, best first: highest score, then earliest in the post, then the order of
 * guard_patterns. */
struct guard_suggestions {
    struct guard_suggestion *v;
    size_t n;
};

/* Runs the suggest rules ([suggest.NAME] in the rule files) over the post being answered and
 * fills *out with the response patterns they propose, each once, best first (at most
 * GUARD_SUGGEST_MAX). Returns 0 (with none when nothing matched), or -1 with *err (newly
 * allocated) for a post over GUARD_TEXT_MAX bytes. The caller frees *out with
 * guard_suggestions_free, also on failure; its pattern and rule strings belong to the guard. */
int guard_suggest(const struct guard *g, const char *post, size_t len,
                  struct guard_suggestions *out, char **err);

#define GUARD_SUGGEST_MAX 3

/* Frees what suggestions own and empties them. */
void guard_suggestions_free(struct guard_suggestions *s);

/* Converts a byte offset in text to a 1-based line and a 1-based column counted in characters
 * (code points; a broken byte counts as one). */
void guard_position(const char *text, size_t len, size_t offset, int *line, int *col);

#endif
