/* JSON Lines import: strict validation, one transaction per file. */
#include "model/import.h"

#include "model/isotime.h"
#include "model/xmalloc.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* One field of a record: its name, whether it must be there, its size bound, and where in a
 * post_in its value goes. */
struct field {
    const char *name;
    int required;
    size_t max;
    size_t offset;
};

#define F(n, req, max) {#n, req, max, offsetof(struct post_in, n)}
static const struct field string_fields[] = {
    F(platform, 1, 32),
    F(account, 1, POST_MAX_NAME),
    F(thread, 1, POST_MAX_ID),
    F(id, 1, POST_MAX_ID),
    F(parent, 0, POST_MAX_ID),
    F(author, 1, POST_MAX_NAME),
    F(author_name, 0, POST_MAX_NAME),
    F(created_at, 1, 64),
    F(text, 1, POST_MAX_TEXT),
    F(html, 0, POST_MAX_HTML),
    F(url, 0, POST_MAX_URL),
    F(title, 0, POST_MAX_NAME),
};
#undef F

static const char *const known_keys[] = {
    "platform", "account", "thread", "id", "parent", "author", "author_name",
    "created_at", "text", "html", "url", "title", "own",
};

/* Returns nonzero when key is a field of the format. */
static int
key_known(const char *key)
{
    for (size_t i = 0; i < sizeof known_keys / sizeof known_keys[0]; i++)
        if (strcmp(key, known_keys[i]) == 0)
            return 1;
    return 0;
}

/* Checks one string field and stores it in p. */
static int
take_string(json_t *obj, const struct field *f, struct post_in *p, char **err)
{
    json_t *v = json_object_get(obj, f->name);
    const char **slot = (const char **)((char *)p + f->offset);
    *slot = NULL;
    if (v == NULL || json_is_null(v)) {
        if (f->required) {
            *err = xasprintf("missing \"%s\"", f->name);
            return -1;
        }
        return 0;
    }
    if (!json_is_string(v)) {
        *err = xasprintf("\"%s\" must be a string", f->name);
        return -1;
    }
    size_t len = json_string_length(v);
    if (len > f->max) {
        *err = xasprintf("\"%s\" is %zu bytes, more than the %zu allowed", f->name, len, f->max);
        return -1;
    }
    if (f->required && len == 0 && strcmp(f->name, "text") != 0) {
        *err = xasprintf("\"%s\" is empty", f->name);
        return -1;
    }
    *slot = json_string_value(v);
    return 0;
}

int
import_parse_line(const char *line, size_t len, struct post_in *p, char *created_buf,
                  void **json, char **err)
{
    json_error_t jerr;
    *json = NULL;
    memset(p, 0, sizeof *p);
    json_t *obj = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
    if (obj == NULL) {
        *err = xasprintf("not valid JSON: %s (column %d)", jerr.text, jerr.column);
        return -1;
    }
    *json = obj;
    if (!json_is_object(obj)) {
        *err = xstrdup("expected a JSON object");
        return -1;
    }
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        if (!key_known(key)) {
            *err = xasprintf("unknown field \"%.64s\"", key);
            return -1;
        }
    }
    for (size_t i = 0; i < sizeof string_fields / sizeof string_fields[0]; i++)
        if (take_string(obj, &string_fields[i], p, err) != 0)
            return -1;
    if (!post_platform_known(p->platform)) {
        *err = xasprintf("unknown platform \"%.32s\"; expected mastodon, bluesky or wordpress",
                         p->platform);
        return -1;
    }
    json_t *own = json_object_get(obj, "own");
    if (own && !json_is_boolean(own) && !json_is_null(own)) {
        *err = xstrdup("\"own\" must be true or false");
        return -1;
    }
    p->own = json_is_true(own);
    if (isotime_normalize(p->created_at, created_buf) != 0) {
        *err = xasprintf("\"created_at\" is not an RFC 3339 time such as "
                         "2026-11-20T09:15:00Z: \"%.64s\"", p->created_at);
        return -1;
    }
    p->created_at = created_buf;
    if (p->parent && strcmp(p->parent, p->id) == 0) {
        *err = xstrdup("a post cannot be its own parent");
        return -1;
    }
    return 0;
}

/* Reads one line of at most IMPORT_MAX_LINE bytes into b. Returns 1 for a line, 0 at end of
 * input, -1 when the line is too long. */
static int
read_line(FILE *in, struct buf *b)
{
    int c;
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
    while ((c = getc(in)) != EOF) {
        if (c == '\n')
            return 1;
        if (b->len >= IMPORT_MAX_LINE) {
            while ((c = getc(in)) != EOF && c != '\n')
                ;
            return -1;
        }
        buf_addc(b, (char)c);
    }
    return b->len > 0 ? 1 : 0;
}

/* Returns nonzero when the line holds only white space. */
static int
blank(const struct buf *b)
{
    for (size_t i = 0; i < b->len; i++)
        if (!strchr(" \t\r", b->data[i]))
            return 0;
    return 1;
}

static int import_run(struct db *db, FILE *in, const char *name, struct import_stats *stats,
                      char **err);

int
import_jsonl(struct db *db, FILE *in, const char *name, struct import_stats *stats,
             char **err)
{
    memset(stats, 0, sizeof *stats);
    /* A big import touches many pages; a larger page cache for its duration avoids rereading
     * them from the file (the default is 2 MiB). */
    db_exec(db, "PRAGMA cache_size = -65536", NULL);
    int rc_import = import_run(db, in, name, stats, err);
    db_exec(db, "PRAGMA cache_size = -2000", NULL);
    return rc_import;
}

/* The body of import_jsonl, inside the larger page cache. */
static int
import_run(struct db *db, FILE *in, const char *name, struct import_stats *stats, char **err)
{
    struct buf line = {0};
    struct post_writer *w = NULL;
    char *why = NULL;
    long lineno = 0;
    int rc;

    if (db_begin(db, err) != 0)
        return -1;
    if ((w = post_writer_new(db, err)) == NULL)
        goto fail_db;
    while ((rc = read_line(in, &line)) != 0) {
        lineno++;
        if (rc < 0) {
            why = xasprintf("line longer than %d bytes", IMPORT_MAX_LINE);
            goto fail_line;
        }
        if (blank(&line))
            continue;
        struct post_in p;
        char created[ISOTIME_LEN];
        void *json;
        enum post_result result;
        int bad = import_parse_line(line.data, line.len, &p, created, &json, &why) != 0 ||
                  post_writer_put(w, &p, &result, &why) != 0;
        json_decref(json);
        if (bad)
            goto fail_line;
        stats->lines++;
        if (result == POST_NEW)
            stats->new_posts++;
        else if (result == POST_UPDATED)
            stats->updated_posts++;
        else
            stats->unchanged_posts++;
    }
    if (ferror(in)) {
        *err = xasprintf("%s: cannot read: read error; nothing was imported", name);
        goto fail_db;
    }
    if (post_writer_finish(w, err) != 0)
        goto fail_db;
    stats->new_threads = post_writer_new_threads(w);
    post_writer_free(w);
    buf_free(&line);
    return db_commit(db, err);

fail_line:
    *err = xasprintf("%s:%ld: %s; nothing from %s was imported", name, lineno, why, name);
    free(why);
fail_db:
    post_writer_free(w);
    buf_free(&line);
    db_rollback(db);
    return -1;
}
