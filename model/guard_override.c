/* Overrides and approvals of guardrail findings, kept in the audit log (see
 * model/guard_override.h). */
#include "model/guard_override.h"

#include "model/audit.h"
#include "model/xmalloc.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <utf8proc.h>

#define ACTION_OVERRIDE "guard.override"
#define ACTION_REQUEST "guard.approval-request"
#define ACTION_APPROVE "guard.approve"

bool
guard_reason_valid(const char *reason, char **err)
{
    const char *why = NULL;
    size_t len = reason ? strlen(reason) : 0;
    size_t chars = 0, words = 0;
    bool in_word = false, distinct = false;
    if (len > GUARD_REASON_MAX)
        why = "the reason is longer than 1000 bytes; keep it to a few sentences";
    for (size_t i = 0; why == NULL && i < len;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)reason + i,
                                              (utf8proc_ssize_t)(len - i), &cp);
        if (n <= 0) {
            why = "the reason is not valid UTF-8";
            break;
        }
        if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) {
            why = "the reason holds a control character; write it on one line";
            break;
        }
        bool space = cp == ' ' || utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS;
        if (!space) {
            chars++;
            if (!in_word)
                words++;
            distinct |= chars > 1 && (unsigned char)reason[i] != (unsigned char)reason[0];
        }
        in_word = !space;
        i += (size_t)n;
    }
    if (why == NULL && (chars < GUARD_REASON_MIN || words < 2 || !distinct))
        why = "give a reason of at least 12 characters, in words, saying why this reply "
              "should go out as it is";
    if (why && err)
        *err = xstrdup(why);
    return why == NULL;
}

/* The fingerprint of the matched text: FNV-1a 64 of it in lowercase with runs of spaces as
 * one, as 16 hex digits. */
static void
fingerprint(const char *s, size_t len, char out[17])
{
    uint64_t h = 14695981039346656037u;
    bool space = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = true;
            continue;
        }
        if (space) {
            h = (h ^ ' ') * 1099511628211u;
            space = false;
        }
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c + 32);
        h = (h ^ c) * 1099511628211u;
    }
    snprintf(out, 17, "%016llx", (unsigned long long)h);
}

/* Clamps f's range to the draft and fingerprints the text it covers. */
static void
finding_text(const char *draft, size_t draft_len, const struct guard_finding *f, size_t *start,
             size_t *end, char fp[17])
{
    *start = f->start <= draft_len ? f->start : draft_len;
    *end = f->end <= draft_len && f->end >= *start ? f->end : *start;
    fingerprint(draft + *start, *end - *start, fp);
}

/* Returns the audit details for finding f as JSON text (newly allocated). */
static char *
details(const char *draft, size_t draft_len, const struct guard_finding *f, const char *reason,
        const char *requested_by)
{
    size_t start, end;
    char fp[17];
    finding_text(draft, draft_len, f, &start, &end, fp);
    json_t *o = json_object();
    json_object_set_new(o, "rule", json_string(f->rule));
    json_object_set_new(o, "category", json_string(f->category));
    json_object_set_new(o, "severity", json_string(guard_severity_name(f->severity)));
    json_object_set_new(o, "fingerprint", json_string(fp));
    if (strcmp(f->category, "personal-data") != 0) {
        json_t *m = json_stringn(draft + start, end - start);
        json_object_set_new(o, "match", m ? m : json_null());
    }
    json_object_set_new(o, "reason", json_string(reason));
    if (requested_by)
        json_object_set_new(o, "requested_by", json_string(requested_by));
    char *s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(o);
    return s;
}

/* Checks the officer and the reason; returns 0 or -1 with *err. */
static int
check_who_and_why(const char *officer, const char *reason, char **err)
{
    if (officer == NULL || *officer == '\0') {
        *err = xstrdup("no officer identity: set officer in the configuration or "
                       "TACTFUL_OFFICER");
        return -1;
    }
    return guard_reason_valid(reason, err) ? 0 : -1;
}

/* Appends one entry; returns 0 or -1 with *err. */
static int
record(struct db *db, const char *officer, const char *action, long thread, const char *draft,
       size_t draft_len, const struct guard_finding *f, const char *reason,
       const char *requested_by, char **err)
{
    char *d = details(draft, draft_len, f, reason, requested_by);
    if (d == NULL) {
        *err = xstrdup("cannot record the override: the reason is not valid text");
        return -1;
    }
    int rc = audit_append(db, officer, action, thread, d, NULL, err);
    free(d);
    return rc;
}

enum guard_override_result
guard_override(struct db *db, const struct guard *g, const char *officer, long thread,
               const char *draft, size_t draft_len, const struct guard_finding *f,
               const char *reason, char **err)
{
    *err = NULL;
    if (check_who_and_why(officer, reason, err) != 0)
        return GUARD_OVERRIDE_FAILED;
    if (f->approval || guard_rule_needs_approval(g, f->rule))
        return GUARD_NEEDS_APPROVAL;
    if (record(db, officer, ACTION_OVERRIDE, thread, draft, draft_len, f, reason, NULL, err) != 0)
        return GUARD_OVERRIDE_FAILED;
    return GUARD_OVERRIDDEN;
}

int
guard_approval_request(struct db *db, const char *officer, long thread, const char *draft,
                       size_t draft_len, const struct guard_finding *f, const char *reason,
                       char **err)
{
    *err = NULL;
    if (check_who_and_why(officer, reason, err) != 0)
        return -1;
    return record(db, officer, ACTION_REQUEST, thread, draft, draft_len, f, reason, NULL, err);
}

/* Looks through thread's log for finding f: the state of its approval and who asked last.
 * *requester is newly allocated or NULL. Returns 0 or -1 with *err. */
static int
lookup(struct db *db, long thread, const char *draft, size_t draft_len,
       const struct guard_finding *f, enum guard_approval *status, char **requester, char **err)
{
    struct audit_entry *e;
    size_t n;
    *status = GUARD_APPROVAL_NONE;
    *requester = NULL;
    if (audit_list(db, thread, &e, &n, err) != 0)
        return -1;
    size_t start, end;
    char fp[17];
    finding_text(draft, draft_len, f, &start, &end, fp);
    for (size_t i = 0; i < n; i++) {
        bool req = strcmp(e[i].action, ACTION_REQUEST) == 0;
        bool ok = strcmp(e[i].action, ACTION_APPROVE) == 0;
        if ((!req && !ok) || e[i].thread != thread)
            continue;
        json_t *d = json_loads(e[i].details ? e[i].details : "{}", 0, NULL);
        const char *rule = json_string_value(json_object_get(d, "rule"));
        const char *dfp = json_string_value(json_object_get(d, "fingerprint"));
        if (rule && dfp && strcmp(rule, f->rule) == 0 && strcmp(dfp, fp) == 0) {
            if (ok) {
                *status = GUARD_APPROVAL_GRANTED;
            } else if (*status != GUARD_APPROVAL_GRANTED) {
                *status = GUARD_APPROVAL_PENDING;
                free(*requester);
                *requester = xstrdup(e[i].officer);
            }
        }
        json_decref(d);
    }
    audit_entries_free(e, n);
    return 0;
}

int
guard_approval_grant(struct db *db, const char *approver, long thread, const char *draft,
                     size_t draft_len, const struct guard_finding *f, const char *reason,
                     char **err)
{
    *err = NULL;
    if (check_who_and_why(approver, reason, err) != 0)
        return -1;
    enum guard_approval status;
    char *requester = NULL;
    if (lookup(db, thread, draft, draft_len, f, &status, &requester, err) != 0)
        return -1;
    int rc = -1;
    if (status == GUARD_APPROVAL_GRANTED) {
        *err = xstrdup("this finding is already approved");
    } else if (status == GUARD_APPROVAL_NONE) {
        *err = xasprintf("nobody has asked for approval of %s on this text; the officer "
                         "sending it asks first", f->rule);
    } else if (strcmp(requester, approver) == 0) {
        *err = xasprintf("a second officer must approve: %s asked for this approval", approver);
    } else {
        rc = record(db, approver, ACTION_APPROVE, thread, draft, draft_len, f, reason,
                    requester, err);
    }
    free(requester);
    return rc;
}

int
guard_approval_status(struct db *db, long thread, const char *draft, size_t draft_len,
                      const struct guard_finding *f, enum guard_approval *status, char **err)
{
    char *requester = NULL;
    *err = NULL;
    int rc = lookup(db, thread, draft, draft_len, f, status, &requester, err);
    free(requester);
    return rc;
}
