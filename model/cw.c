/* Content warnings on replies: see model/cw.h. */
#include "model/cw.h"

#include "model/xmalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

int
cw_find(const char *s, size_t len, size_t *cw_from, size_t *cw_to, size_t *rest)
{
    size_t plen = strlen(CW_PREFIX);
    if (s == NULL || len < plen || strncasecmp(s, CW_PREFIX, plen) != 0)
        return 0;
    size_t a = plen, eol = plen;
    while (eol < len && s[eol] != '\n')
        eol++;
    size_t b = eol;
    while (a < b && (s[a] == ' ' || s[a] == '\t'))
        a++;
    while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t' || s[b - 1] == '\r'))
        b--;
    size_t r = eol;
    while (r < len && (s[r] == '\n' || s[r] == '\r'))
        r++;
    *cw_from = a;
    *cw_to = b;
    *rest = r;
    return 1;
}

int
cw_split(const char *body, char **cw, const char **rest)
{
    *cw = NULL;
    *rest = body;
    size_t a, b, r;
    if (body == NULL || !cw_find(body, strlen(body), &a, &b, &r))
        return 0;
    *cw = xstrndup(body + a, b - a);
    *rest = body + r;
    return 1;
}

/* Whether s starts with a bidirectional control (U+202A..U+202E, U+2066..U+2069). */
static int
bidi_control(const unsigned char *s)
{
    return s[0] == 0xE2 && ((s[1] == 0x80 && s[2] >= 0xAA && s[2] <= 0xAE) ||
                            (s[1] == 0x81 && s[2] >= 0xA6 && s[2] <= 0xA9));
}

/* A warning from a post made fit for the officer's own reply: one line (a newline would end
 * the CW line early), without control characters or bidirectional controls, which would go
 * back out in the officer's name. Newly allocated; NULL when nothing is left. */
static char *
clean(const char *s)
{
    char *out = xmalloc(strlen(s) + 1), *o = out;
    for (const unsigned char *c = (const unsigned char *)s; *c;) {
        if (*c == '\n' || *c == '\r' || *c == '\t') {
            *o++ = ' ';
            c++;
        } else if (*c < 0x20 || *c == 0x7F) {
            c++;
        } else if (bidi_control(c)) {
            c += 3;
        } else {
            *o++ = (char)*c++;
        }
    }
    *o = '\0';
    if (*out == '\0') {
        free(out);
        return NULL;
    }
    return out;
}

int
cw_of_post(struct db *db, long thread, const char *remote_id, char **cw, char **err)
{
    *cw = NULL;
    sqlite3_stmt *st = db_prepare(db, "SELECT json_extract(p.meta, '$.cw') FROM posts p"
                                      " JOIN threads t ON t.id = p.thread_id"
                                      " WHERE p.thread_id = ?1"
                                      " AND p.remote_id = coalesce(?2, t.root_remote_id)"
                                      " AND json_valid(p.meta)", err);
    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, thread);
    db_bind_text(st, 2, remote_id);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_TEXT) {
        const char *s = (const char *)sqlite3_column_text(st, 0);
        if (s && *s)
            *cw = clean(s);
    }
    sqlite3_finalize(st);
    return 0;
}

char *
cw_carry(const char *cw, const char *body)
{
    char *had;
    const char *rest;
    if (cw == NULL || *cw == '\0')
        return NULL;
    if (cw_split(body, &had, &rest)) {
        free(had);
        return NULL;
    }
    return xasprintf(CW_PREFIX " %s\n\n%s", cw, body ? body : "");
}
