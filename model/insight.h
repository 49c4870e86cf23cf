/* Insight: posts an officer marks as an opinion on a policy topic, and the digest a policy
 * team reads (counts by stance and platform, the marked quotes with links). Quotes reach a
 * digest only through the personal-data guardrails (model/insight_digest.c). */
#ifndef TACTFUL_INSIGHT_H
#define TACTFUL_INSIGHT_H

#include "model/db.h"

#include <stddef.h>

#define INSIGHT_MAX_QUOTE 2000  /* bytes of an edited quote */
#define INSIGHT_MAX_REASON 500  /* bytes of an override's reason */

/* The stances an opinion can take, in the order digests list them. */
extern const char *const insight_stances[];
#define INSIGHT_NSTANCES 4

/* What insight_add marks. */
struct insight_in {
    long thread;              /* the thread's id */
    const char *post;         /* the post's remote id, or NULL: the thread's latest post that
                               * is not the office's own */
    const char *topic;        /* what the opinion is about (triage_topic_valid) */
    const char *stance;       /* one of insight_stances, or NULL: not said */
    int quote;                /* quote the post's own text */
    const char *quote_text;   /* or quote these words (an edited excerpt); NULL: no quote */
    int name_author;          /* the digest may name the post's author */
    const char *override;     /* why the quote may appear despite personal-data findings;
                               * NULL: it may not */
};

/* Marks a post as an opinion on a topic (marking it again replaces the mark), audited as
 * "insight". Returns 0 with *id set and, when quote is not NULL, *quote set to the words the
 * mark quotes (newly allocated; NULL when none), or -1 with *err. */
int insight_add(struct db *db, const char *officer, const struct insight_in *in, long *id,
                char **quote, char **err);

/* Removes the mark on post (as insight_in.post) of thread for topic, audited as
 * "insight-remove". Returns 0, 1 when there was none, or -1 with *err. */
int insight_remove(struct db *db, const char *officer, long thread, const char *post,
                   const char *topic, char **err);

/* One marked post, as digests and listings read it. Every string is owned. */
struct insight_row {
    long id;
    long thread;
    char *post;           /* remote id */
    char *platform;
    char *account;
    char *url;            /* the post's link, or NULL */
    char *posted_at;      /* when the post was made */
    char *author;         /* handle; shown only when name_author is set */
    char *topic;
    char *stance;         /* NULL: not said */
    char *quote;          /* the words to quote, or NULL */
    int name_author;
    char *override;       /* NULL: none */
    char *officer;
    char *marked_at;
};

struct insight_list {
    struct insight_row *rows;
    size_t n;
};

/* Reads the marks on topic (every topic when NULL) whose posts were made in [since, until)
 * (either may be NULL: open), oldest post first. Returns 0 or -1 with *err. */
int insight_list(struct db *db, const char *topic, const char *since, const char *until,
                 struct insight_list *out, char **err);

void insight_list_free(struct insight_list *l);

/* One topic with how many posts are marked on it and the span of their times. */
struct insight_topic {
    char *topic;
    long count;
    char *first, *last;
};

/* Lists the topics, most marked first. Returns 0 or -1 with *err. */
int insight_topics(struct db *db, struct insight_topic **out, size_t *n, char **err);

void insight_topics_free(struct insight_topic *t, size_t n);

/* The index of stance in insight_stances, or -1. */
int insight_stance_index(const char *stance);

#endif
