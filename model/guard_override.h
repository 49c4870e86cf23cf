/* Overriding a guardrail finding: an officer may send a draft past a finding only with a
 * written reason, recorded in the audit log with their identity. A rule the policy marks
 * `approval` cannot be overridden; it needs a second officer's approval instead, asked for and
 * given through the same log. The composer (issue 6) calls these; nothing is sent here.
 *
 * Audit actions: "guard.override", "guard.approval-request", "guard.approve". Their details
 * hold the rule, category, severity, a fingerprint of the matched text (FNV-1a 64 of it in
 * lowercase with spaces collapsed, so edits elsewhere in the draft keep approvals valid), the
 * matched text itself except for personal data, and the reason. */
#ifndef TACTFUL_GUARD_OVERRIDE_H
#define TACTFUL_GUARD_OVERRIDE_H

#include "model/db.h"
#include "model/guard.h"

#define GUARD_REASON_MIN 12    /* characters in a reason, after trimming */
#define GUARD_REASON_MAX 1000  /* bytes in a reason */

enum guard_override_result {
    GUARD_OVERRIDE_FAILED = -1,  /* *err says why: a bad reason, or the log cannot be written */
    GUARD_OVERRIDDEN = 0,        /* recorded: the draft may go out past this finding */
    GUARD_NEEDS_APPROVAL = 1,    /* the rule needs a second officer; nothing was recorded */
};

enum guard_approval {
    GUARD_APPROVAL_NONE,         /* nobody has asked */
    GUARD_APPROVAL_PENDING,      /* asked for, not yet given */
    GUARD_APPROVAL_GRANTED,      /* a second officer approved it */
};

/* Checks a reason: at least GUARD_REASON_MIN characters and two words after trimming, at most
 * GUARD_REASON_MAX bytes, valid UTF-8, no control characters. Returns true, or false with
 * *err set to a sentence saying what to write (err may be NULL). */
bool guard_reason_valid(const char *reason, char **err);

/* Overrides finding f of draft (which f points into) for thread (0: none) as officer, with a
 * reason. Returns GUARD_OVERRIDDEN once recorded, GUARD_NEEDS_APPROVAL when g's policy says the
 * rule needs a second officer (call guard_approval_request instead), or GUARD_OVERRIDE_FAILED
 * with *err. */
enum guard_override_result guard_override(struct db *db, const struct guard *g,
                                          const char *officer, long thread, const char *draft,
                                          size_t draft_len, const struct guard_finding *f,
                                          const char *reason, char **err);

/* Asks a second officer to approve sending the draft past finding f; reason says why it
 * should go out. Returns 0 once recorded, or -1 with *err. */
int guard_approval_request(struct db *db, const char *officer, long thread, const char *draft,
                           size_t draft_len, const struct guard_finding *f, const char *reason,
                           char **err);

/* Approves a request made earlier for the same thread, rule and matched text by another
 * officer. Returns 0 once recorded, or -1 with *err: no such request, or approver is the
 * officer who asked. */
int guard_approval_grant(struct db *db, const char *approver, long thread, const char *draft,
                         size_t draft_len, const struct guard_finding *f, const char *reason,
                         char **err);

/* Where approval for finding f of draft on thread stands. Returns -1 with *err when the log
 * cannot be read. */
int guard_approval_status(struct db *db, long thread, const char *draft, size_t draft_len,
                          const struct guard_finding *f, enum guard_approval *status,
                          char **err);

#endif
