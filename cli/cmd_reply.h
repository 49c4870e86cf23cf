/* Shared by the reply commands (cli/cmd_patterns.c, cli/cmd_reply.c, cli/cmd_drafts.c). */
#ifndef TACTFUL_CMD_REPLY_H
#define TACTFUL_CMD_REPLY_H

#include "cli/cli.h"
#include "model/draft.h"
#include "model/guard.h"
#include "model/pattern.h"

#include <stdbool.h>

/* Loads the pattern files; see cli/cmd_patterns.c. */
int cli_patterns_load(struct cli *cli, struct pattern_set **out);

/* Prints findings of draft id (body) as "draft ID:LINE:COL: SEVERITY: MESSAGE [RULE]";
 * those in the post answered as "post answered: SEVERITY: ...". */
void reply_print_findings(long id, const char *body, const struct guard_result *r);

/* Parses a positive draft number; prints a usage error and returns -1 when it is not one. */
long reply_draft_id(const char *cmd, const char *s);

/* Parses "RULE=REASON" into o (pointing into arg). Returns 0, or a usage error status. */
int reply_parse_override(const char *cmd, char *arg, struct draft_override *o);

/* Submits draft id as the officer with the overrides, loading the guard and patterns; prints
 * the outcome. Returns the exit status. */
int reply_submit(struct cli *cli, const char *cmd, long id, const struct draft_override *o,
                 size_t no);

#endif
