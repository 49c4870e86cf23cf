/* The ready-reckoner: response patterns read from human-editable files (NAME.pattern in share/patterns,
 * then an office's own folder). Each [ID] section gives a key (1-9), a name, a one-line purpose,
 * when to use it and when not to, one or more templates with {author} {topic} {link}
 * {signature} placeholders, per-platform variants (template.bluesky = ...) and expectations the
 * guardrails check (expect = link | source; approval = yes). A later file's section with the
 * same id replaces the earlier one whole. The seven core ids are the ones the guardrails know
 * (guard_patterns in model/guard_pattern.c); the shipped file must use exactly those.
 * Format: tactful(5), PATTERN FILES. No curses, no network. */
#ifndef TACTFUL_PATTERN_H
#define TACTFUL_PATTERN_H

#include <stdbool.h>
#include <stddef.h>

#define PATTERN_MAX 64           /* patterns in a set */
#define PATTERN_TEMPLATES 8      /* templates (plain and per platform) in a pattern */
#define PATTERN_VALUE_MAX 2048   /* bytes in a value */

struct pattern_template {
    char *platform;              /* NULL: any platform */
    char *text;                  /* "\n" in the file is a newline here */
};

struct pattern {
    char *id;                    /* "signposting" */
    int key;                     /* 1-9, 0 when unset */
    char *name;
    char *purpose;
    char *use_when;              /* may be NULL */
    char *avoid_when;            /* may be NULL */
    struct pattern_template templates[PATTERN_TEMPLATES];
    size_t ntemplates;
    bool expect_link;            /* the reply must carry a link */
    bool expect_source;          /* the reply must cite an official source */
    bool approval;               /* a second officer must approve replies in this pattern */
    char *file;                  /* where it is defined */
    int line;
};

struct pattern_set {
    struct pattern items[PATTERN_MAX];
    size_t n;
};

/* What a template's placeholders are filled with; NULL leaves the placeholder as is, except
 * {signature}: with no signature it is dropped with the blanks before it. */
struct pattern_vars {
    const char *author;
    const char *topic;
    const char *link;
    const char *signature;
};

/* A new, empty set. */
struct pattern_set *pattern_set_new(void);

/* Frees a set. NULL is fine. */
void pattern_set_free(struct pattern_set *set);

/* Reads one pattern file into set. Returns 0, or -1 with *err set to one "FILE:LINE: message"
 * line per problem joined with '\n' (nothing from the file is kept then). */
int pattern_load_file(struct pattern_set *set, const char *path, char **err);

/* Reads every *.pattern file of dir in name order. A missing dir is fine when missing_ok.
 * Returns 0 or -1 with *err as pattern_load_file. */
int pattern_load_dir(struct pattern_set *set, const char *dir, bool missing_ok, char **err);

/* The pattern with id, or with key; NULL when there is none. */
const struct pattern *pattern_find(const struct pattern_set *set, const char *id);
const struct pattern *pattern_find_key(const struct pattern_set *set, int key);

/* The first template of p (for platform when it has a variant for it), filled from vars:
 * newly allocated, or NULL when p has no template. "{{" is a literal brace. */
char *pattern_render(const struct pattern *p, const char *platform,
                     const struct pattern_vars *vars);

#endif
