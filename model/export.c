/* JSON Lines and CSV export. */
#include "model/export.h"

#include "model/text.h"
#include "model/xmalloc.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static const char *const columns[] = {
    "platform", "account", "thread", "id", "parent", "author", "author_name",
    "created_at", "text", "url", "own", "html", "title",
};
#define NCOLUMNS (sizeof columns / sizeof columns[0])

static const char export_sql[] =
    "SELECT a.platform, a.name, t.root_remote_id, p.remote_id, p.parent_remote_id, au.handle,"
    " au.display_name, p.created_at, p.body, p.url, p.own, p.html, t.title, p.meta"
    " FROM posts p JOIN threads t ON t.id = p.thread_id JOIN accounts a ON a.id = p.account_id"
    " JOIN authors au ON au.id = p.author_id"
    " WHERE ?1 = 0 OR p.thread_id = ?1"
    " ORDER BY p.thread_id, p.created_at, p.id";

/* The post's meta (posts.meta, the column after the CSV's) as a JSON object, or NULL when
 * it has none or what the cache holds is not an object (it is left out, not guessed at). */
static json_t *
meta_of(sqlite3_stmt *st)
{
    const char *v = (const char *)sqlite3_column_text(st, (int)NCOLUMNS);
    if (v == NULL)
        return NULL;
    json_t *m = json_loadb(v, (size_t)sqlite3_column_bytes(st, (int)NCOLUMNS),
                           JSON_REJECT_DUPLICATES, NULL);
    if (m && !json_is_object(m)) {
        json_decref(m);
        m = NULL;
    }
    return m;
}

/* Writes one row as a JSON object on one line; optional fields that are empty are left out.
 * The post's meta (media, quote, card, content warning, visibility, the platform's ids)
 * goes as an object, so that an import gives the cache back the same extras. */
static int
write_jsonl(FILE *out, sqlite3_stmt *st)
{
    json_t *o = json_object();
    for (size_t i = 0; i < NCOLUMNS; i++) {
        const char *v = (const char *)sqlite3_column_text(st, (int)i);
        if (strcmp(columns[i], "own") == 0)
            json_object_set_new(o, "own", json_boolean(sqlite3_column_int(st, (int)i)));
        else if (v)
            json_object_set_new(o, columns[i], json_stringn(v, strlen(v)));
        else if (strcmp(columns[i], "parent") == 0)
            json_object_set_new(o, "parent", json_null());
    }
    json_t *meta = meta_of(st);
    if (meta)
        json_object_set_new(o, "meta", meta);
    int rc = export_json_write(out, o, JSON_COMPACT);
    json_decref(o);
    if (rc == 0 && fputc('\n', out) == EOF)
        rc = -1;
    return rc;
}

int
export_json_write(FILE *out, json_t *j, size_t flags)
{
    char *s = json_dumps(j, flags | JSON_ENSURE_ASCII);
    if (s == NULL) {
        errno = ENOMEM;
        return -1;
    }
    int rc = 0;
    /* Outside strings Jansson writes only ASCII punctuation, digits and letters, so a DEL
     * byte is always inside a string, where \u007f means the same. */
    for (const char *p = s, *del; rc == 0 && *p; p = del + 1) {
        del = strchr(p, 0x7f);
        size_t n = del ? (size_t)(del - p) : strlen(p);
        if (fwrite(p, 1, n, out) != n || (del && fputs("\\u007f", out) == EOF))
            rc = -1;
        if (del == NULL)
            break;
    }
    free(s);
    return rc;
}

void
export_csv_cell(FILE *out, const char *v, int display)
{
    if (v == NULL)
        return;
    char *safe = display ? text_sanitize(v, strlen(v), TEXT_MULTILINE) : NULL;
    if (safe)
        v = safe;
    fputc('"', out);
    if (strchr("=+-@\t\r", v[0]) && v[0] != '\0')
        fputc('\'', out);
    for (const char *p = v; *p; p++) {
        if (*p == '"')
            fputc('"', out);
        fputc(*p, out);
    }
    fputc('"', out);
    free(safe);
}

/* Writes one row as a CSV record (cells in display form when display is set). */
static int
write_csv(FILE *out, sqlite3_stmt *st, int display)
{
    for (size_t i = 0; i < NCOLUMNS; i++) {
        if (i > 0)
            fputc(',', out);
        if (strcmp(columns[i], "own") == 0)
            fputs(sqlite3_column_int(st, (int)i) ? "true" : "false", out);
        else
            export_csv_cell(out, (const char *)sqlite3_column_text(st, (int)i), display);
    }
    return fputs("\r\n", out) == EOF ? -1 : 0;
}

long
export_posts(struct db *db, FILE *out, long thread, enum export_format format, int display,
             char **err)
{
    sqlite3_stmt *st = db_prepare(db, export_sql, err);
    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, thread);
    if (format == EXPORT_CSV) {
        for (size_t i = 0; i < NCOLUMNS; i++)
            fprintf(out, "%s%s", i ? "," : "", columns[i]);
        fputs("\r\n", out);
    }
    long n = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int wrc = format == EXPORT_CSV ? write_csv(out, st, display) : write_jsonl(out, st);
        if (wrc != 0) {
            int e = errno ? errno : EIO;
            *err = NULL;
            sqlite3_finalize(st);
            errno = e;
            return -1;
        }
        n++;
    }
    if (rc != SQLITE_DONE) {
        *err = db_error(db, "cannot read the cache for export");
        n = -1;
    }
    sqlite3_finalize(st);
    return n;
}
