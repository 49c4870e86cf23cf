/* The insight digest: a topic's marked opinions for a policy team, as Markdown, CSV or JSON.
 * Every quote passes the personal-data guardrails first; one with a finding (or one that could
 * not be checked) is withheld unless the officer overrode it with a reason. Authors are named
 * only where the officer chose to. */
#ifndef TACTFUL_INSIGHT_DIGEST_H
#define TACTFUL_INSIGHT_DIGEST_H

#include "model/insight.h"
#include "model/xmalloc.h"

struct guard;

enum insight_format { INSIGHT_MARKDOWN, INSIGHT_CSV, INSIGHT_JSON };

/* What became of a mark's quote. */
enum insight_quote {
    INSIGHT_QUOTE_NONE,       /* the officer quoted nothing */
    INSIGHT_QUOTE_SHOWN,      /* checked, no personal data found */
    INSIGHT_QUOTE_OVERRIDDEN, /* findings, shown with the officer's reason */
    INSIGHT_QUOTE_WITHHELD,   /* findings (or the check could not finish): left out */
};

/* Screens quote with the personal-data rules of g (NULL: the guardrails could not be loaded,
 * so nothing passes). Returns INSIGHT_QUOTE_SHOWN or, with *why set to what was found (a
 * sentence, owned by the caller), INSIGHT_QUOTE_WITHHELD. */
enum insight_quote insight_quote_screen(const struct guard *g, const char *quote, char **why);

/* What a digest covers and how it is written. */
struct insight_digest_opts {
    const char *topic;
    const char *since, *until; /* as given, or NULL */
    enum insight_format format;
};

/* Writes the digest of l (one topic's marks, insight_list) to out. Sets *withheld to the
 * number of quotes left out. */
void insight_digest(const struct insight_list *l, const struct guard *g,
                    const struct insight_digest_opts *o, struct buf *out, size_t *withheld);

#endif
