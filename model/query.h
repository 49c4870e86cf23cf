/* The search language shared by `tactful search`, `tactful list` filters and the inbox's `/`:
 * free text (words, "quoted phrases", prefix*) combined with filters state:, platform:,
 * account:, from:, tag:, assignee:. A filter given twice matches either value; different
 * filters must all match; -word leaves out threads where any post has the word, -filter:value excludes. */
#ifndef TACTFUL_QUERY_H
#define TACTFUL_QUERY_H

#include <stddef.h>

enum query_key {
    QK_STATE,
    QK_PLATFORM,
    QK_ACCOUNT,
    QK_FROM,
    QK_TAG,
    QK_ASSIGNEE,
    QK_COUNT
};

struct query_term {
    enum query_key key;
    int negate;
    char *value;
};

struct query {
    char *fts;                 /* FTS5 MATCH expression for the words wanted, or NULL */
    char *fts_not;             /* FTS5 expression for -words: threads with a match are left out */
    struct query_term *terms;  /* filters, owned */
    size_t nterms;
    int include_snoozed;       /* nonzero: also threads snoozed until a later time */
};

/* Parses text into q (which the caller releases with query_free). Returns 0, or -1 with *err
 * set to a sentence naming the problem (unknown state, unterminated quote, nothing but
 * exclusions ...). */
int query_parse(const char *text, struct query *q, char **err);

/* Checks a filter value where the set of values is known (states, platforms). Returns 0, or
 * -1 with *err set to a sentence listing the valid values. */
int query_check_value(enum query_key key, const char *value, char **err);

/* Adds one filter, as if key:value had been typed. */
void query_add(struct query *q, enum query_key key, const char *value);

void query_free(struct query *q);

/* The name of a filter key ("state" ...). */
const char *query_key_name(enum query_key key);

#endif
