/* Redaction of secrets from text a server sent back. A server's error answer may repeat what
 * it was sent (an Authorization header, a Basic user:password, a login body); before any such
 * text becomes a message that is printed or stored, every form of each secret tactful used is
 * replaced by "[redacted]": the secret itself, its base64 (at any alignment inside a longer
 * base64 text, and the Basic "user:secret" form), its URL encodings and its JSON escapes. */
#ifndef TACTFUL_NET_REDACT_H
#define TACTFUL_NET_REDACT_H

#include <stddef.h>

#define REDACT_MARK "[redacted]"
#define REDACT_MAX_SECRETS 8      /* secrets one redactor knows */
#define REDACT_MAX_FORMS 256      /* encoded forms it looks for, all secrets together */
#define REDACT_MAX_SECRET 4096    /* longer secrets are looked for by their first bytes only */
#define REDACT_MIN_FORM 4         /* shorter forms are not looked for (they would match words) */

/* The forms of the secrets to look for. Zero it ({0}) before use; redact_clear wipes it. */
struct redactor {
    char *forms[REDACT_MAX_FORMS];   /* longest first once redact_apply has sorted them */
    size_t n;
    int sorted;
};

/* Adds secret (and, when user is not NULL, the Basic "user:secret" form) to r. NULL or empty
 * secrets are ignored; beyond the bounds above, further forms are dropped. */
void redact_add(struct redactor *r, const char *secret, const char *user);

/* Returns a newly allocated copy of text with every known form replaced by REDACT_MARK.
 * NULL gives NULL. */
char *redact_apply(struct redactor *r, const char *text);

/* Replaces *text (owned, may be NULL) with its redacted copy. */
void redact_in_place(struct redactor *r, char **text);

/* Wipes and frees the forms. */
void redact_clear(struct redactor *r);

#endif
