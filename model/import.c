/* JSON Lines import: the whole file checked first, then written in chunks. */
#include "model/import.h"

#include "model/isotime.h"
#include "model/platform.h"
#include "model/post_index.h"
#include "model/xmalloc.h"

#include <errno.h>
#include <time.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

/* One field of a record: its name, whether it must be there, and where in a post_in its value
 * goes. Sizes are the post writer's to judge (post_check, post_fit in model/post.h). */
struct field {
    const char *name;
    int required;
    size_t offset;
};

#define F(n, req) {#n, req, offsetof(struct post_in, n)}
static const struct field string_fields[] = {
    F(platform, 1), F(account, 1), F(thread, 1), F(id, 1), F(parent, 0), F(author, 1),
    F(author_name, 0), F(created_at, 1), F(text, 1), F(html, 0), F(url, 0), F(title, 0),
};
#undef F

static const char *const known_keys[] = {
    "platform", "account", "thread", "id", "parent", "author", "author_name",
    "created_at", "text", "html", "url", "title", "own", "meta",
};

/* The keys of a post's meta (posts.meta) that tactful reads, and the JSON type each must have:
 * a record that gives one another type is refused, since the adapters and the thread view
 * would take it for something else (other keys are kept as they come). */
static const struct {
    const char *key;
    json_type type;
} meta_keys[] = {
    /* What the thread view and the reply read (model/extras.h, model/cw.h). */
    {"visibility", JSON_STRING}, {"cw", JSON_STRING}, {"labels", JSON_ARRAY},
    {"media", JSON_ARRAY}, {"media_total", JSON_INTEGER}, {"quote", JSON_OBJECT},
    {"card", JSON_OBJECT}, {"edited_at", JSON_STRING},
    /* The platforms' own references, which a reply and a later sync use. */
    {"acct", JSON_STRING}, {"uri", JSON_STRING}, {"language", JSON_STRING},
    {"cid", JSON_STRING}, {"did", JSON_STRING}, {"indexed_at", JSON_STRING},
    {"root", JSON_OBJECT}, {"post", JSON_STRING}, {"status", JSON_STRING},
    {"comment_status", JSON_STRING},
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
    if (f->required && len == 0 && strcmp(f->name, "text") != 0) {
        *err = xasprintf("\"%s\" is empty", f->name);
        return -1;
    }
    *slot = json_string_value(v);
    return 0;
}

/* Checks the record's "meta" (absent or null: none, and the cache keeps what it holds) and
 * puts it in p as compact JSON, the form a sync stores: the object's text replaces it in obj,
 * which owns it. Its size is the writer's to judge (POST_MAX_META: a bigger one is left out
 * and the post counted as shortened, as for a sync). Returns 0, or -1 with *err set. */
static int
take_meta(json_t *obj, struct post_in *p, char **err)
{
    json_t *v = json_object_get(obj, "meta");
    p->meta = NULL;
    if (v == NULL || json_is_null(v))
        return 0;
    if (!json_is_object(v)) {
        *err = xstrdup("\"meta\" must be a JSON object (the post's extras), or null");
        return -1;
    }
    for (size_t i = 0; i < sizeof meta_keys / sizeof meta_keys[0]; i++) {
        json_t *m = json_object_get(v, meta_keys[i].key);
        if (m && !json_is_null(m) && json_typeof(m) != meta_keys[i].type) {
            static const char *const names[] = {
                [JSON_OBJECT] = "an object", [JSON_ARRAY] = "an array",
                [JSON_STRING] = "a string", [JSON_INTEGER] = "a whole number"};
            *err = xasprintf("\"meta\".\"%s\" must be %s", meta_keys[i].key,
                             names[meta_keys[i].type]);
            return -1;
        }
    }
    char *text = json_dumps(v, JSON_COMPACT);
    if (text == NULL) {
        *err = xstrdup("\"meta\" cannot be written back as JSON (out of memory)");
        return -1;
    }
    json_t *str = json_string(text);
    free(text);
    if (str == NULL) {
        *err = xstrdup("\"meta\" cannot be kept (out of memory)");
        return -1;
    }
    json_object_set_new(obj, "meta", str);
    p->meta = json_string_value(str);
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
    /* What the writer would refuse refuses the file, before anything is written. */
    if (post_check(p, err) != 0)
        return -1;
    if (platform_find(p->platform) == NULL) {
        char *names = platform_names(" or ");
        *err = xasprintf("unknown platform \"%.32s\"; expected %s", p->platform, names);
        free(names);
        return -1;
    }
    json_t *own = json_object_get(obj, "own");
    if (own && !json_is_boolean(own) && !json_is_null(own)) {
        *err = xstrdup("\"own\" must be true or false");
        return -1;
    }
    p->own = json_is_true(own);
    if (take_meta(obj, p, err) != 0)
        return -1;
    if (isotime_normalize(p->created_at, created_buf) != 0) {
        *err = xasprintf("\"created_at\" is not an RFC 3339 time such as "
                         "2026-11-20T09:15:00Z between 1970 and 9999 in UTC: \"%.64s\"",
                         p->created_at);
        return -1;
    }
    p->created_at = created_buf;
    if (p->parent && strcmp(p->parent, p->id) == 0) {
        *err = xstrdup("a post cannot be its own parent");
        return -1;
    }
    return 0;
}

/* Reads one line of at most IMPORT_MAX_LINE bytes into b (NUL bytes included, so a line is
 * never cut short). Returns 1 for a line, 0 at end of input, -1 when the line is too long (the
 * rest of it is left unread: an endless input such as /dev/zero has no end to skip to). */
static int
read_line(FILE *in, struct buf *b)
{
    char chunk[4096];
    size_t n = 0;
    int c, rc = 0;
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
    flockfile(in);
    while ((c = getc_unlocked(in)) != EOF) {
        if (c == '\n') {
            rc = 1;
            break;
        }
        if (b->len + n >= IMPORT_MAX_LINE) {
            funlockfile(in);
            return -1;
        }
        chunk[n++] = (char)c;
        if (n == sizeof chunk) {
            buf_add(b, chunk, n);
            n = 0;
        }
    }
    funlockfile(in);
    buf_add(b, chunk, n);
    return rc || b->len > 0 ? 1 : 0;
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

/* How long one transaction of the import lasts at most, and how many posts it holds at most:
 * short enough that another process waiting for the cache (triage, a sync) gets it well within
 * its busy timeout, long enough to keep the rate (every commit adds a full-text segment that
 * later has to be merged). The time includes the indexing and the commit at its end, which
 * the last transaction's cost per post foretells. */
#define IMPORT_CHUNK_SECONDS 0.5
#define IMPORT_CHUNK_MAX 25000
#define IMPORT_GAP_MS 10         /* the pause between two transactions */

/* The memory an import's page cache and memo of checked posts share (the process stays under
 * 64 MiB with the rest, statement journals included: see import_jsonl_memo), the page
 * cache's least share, the -wal size in pages at which a checkpoint runs, and the size the
 * -wal file is cut back to after one (bytes). */
#define IMPORT_MEMORY ((size_t)32 * 1024 * 1024)
#define IMPORT_CACHE_MIN ((size_t)16 * 1024 * 1024)
#define IMPORT_WAL_PAGES "16384"
#define IMPORT_WAL_LIMIT "67108864"

/* Seconds on a monotonic clock. */
static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* What the first pass learnt: the checked posts, so that the second pass need not parse the
 * file again, and each account's platform (in the file, and in the cache for accounts it
 * already holds). */
struct import_check {
    long start;           /* where in the input the posts start; -1: it cannot seek */
    json_t *platforms;    /* account -> platform */
    sqlite3_stmt *account;
    struct buf memo;      /* the checked posts (memo_put), up to memo_max bytes in memory */
    size_t memo_max;
    FILE *spill;          /* the memo's overflow: a temporary file, or NULL */
    int memo_dropped;     /* no memo: the second pass reads and parses the input again */
};

/* How many bytes of checked posts the first pass keeps in memory for the second; past it they
 * go on to a temporary file (the page cache has the rest of IMPORT_MEMORY), and where no
 * temporary file can be made, the second pass reads and parses the file again instead. */
#define IMPORT_MEMO_MAX ((size_t)4 * 1024 * 1024)
#define MEMO_FIELDS 13

/* The fields of a post_in in the order the memo keeps them. */
static const char **
memo_field(struct post_in *p, int i)
{
    const char **f[MEMO_FIELDS] = {&p->platform, &p->account, &p->thread, &p->id, &p->parent,
                                   &p->author, &p->author_name, &p->created_at, &p->text,
                                   &p->html, &p->url, &p->title, &p->meta};
    return f[i];
}

/* Moves the memo's bytes to the spill file (made on first use). Returns 0, or -1 when no
 * temporary file can be made or written. */
static int
memo_flush(struct import_check *c)
{
    if (c->spill == NULL && (c->spill = tmpfile()) == NULL)
        return -1;
    if (fwrite(c->memo.data, 1, c->memo.len, c->spill) != c->memo.len)
        return -1;
    c->memo.len = 0;
    return 0;
}

/* Gives up the memo (the second pass will parse the input again); -1 when that cannot be,
 * because the input cannot be read twice. */
static int
memo_drop(struct import_check *c)
{
    if (c->spill) {
        fclose(c->spill);
        c->spill = NULL;
    }
    buf_free(&c->memo);
    c->memo_dropped = 1;
    return c->start < 0 ? -1 : 0;
}

/* Appends checked post p of line lineno to the memo: the record's size, the line number, own,
 * then each field as a presence byte and its NUL-terminated text. Past memo_max bytes the
 * memo moves to the spill file. Returns 0, or -1 when the memo is needed (the input cannot
 * be read twice) and cannot be kept. */
static int
memo_put(struct import_check *c, struct post_in *p, long lineno)
{
    if (c->memo_dropped)
        return 0;
    size_t head = c->memo.len;
    size_t size = 0;
    buf_add(&c->memo, (const char *)&size, sizeof size);
    buf_add(&c->memo, (const char *)&lineno, sizeof lineno);
    buf_addc(&c->memo, p->own ? 1 : 0);
    for (int i = 0; i < MEMO_FIELDS; i++) {
        const char *v = *memo_field(p, i);
        buf_addc(&c->memo, v ? 1 : 0);
        if (v)
            buf_add(&c->memo, v, strlen(v) + 1);
    }
    size = c->memo.len - head - sizeof size;
    memcpy(c->memo.data + head, &size, sizeof size);
    if (c->memo.len > c->memo_max && memo_flush(c) != 0)
        return memo_drop(c);
    return 0;
}

/* Reads the post in rec (a record memo_put wrote, after its size) into p, pointing into rec,
 * and its line number. */
static void
memo_parse(const char *rec, struct post_in *p, long *lineno)
{
    size_t pos = 0;
    memset(p, 0, sizeof *p);
    memcpy(lineno, rec, sizeof *lineno);
    pos += sizeof *lineno;
    p->own = rec[pos++];
    for (int i = 0; i < MEMO_FIELDS; i++) {
        if (rec[pos++] == 0)
            continue;
        const char *v = rec + pos;
        *memo_field(p, i) = v;
        pos += strlen(v) + 1;
    }
}

/* Where the second pass is in the memo: first the spill file, then what is in memory. */
struct memo_reader {
    FILE *spill;          /* NULL once read to its end */
    const struct buf *memo;
    size_t pos;           /* in memo */
    struct buf rec;       /* the record read from the spill */
};

/* Reads the next checked post into p (valid until the next call). Returns 1, 0 at the end,
 * -1 when the spill file cannot be read. */
static int
memo_next(struct memo_reader *r, struct post_in *p, long *lineno)
{
    size_t size;
    if (r->spill) {
        if (fread(&size, sizeof size, 1, r->spill) == 1) {
            if (r->rec.cap < size + 1) {
                r->rec.data = xrealloc(r->rec.data, size + 1);
                r->rec.cap = size + 1;
            }
            if (fread(r->rec.data, 1, size, r->spill) != size)
                return -1;
            memo_parse(r->rec.data, p, lineno);
            return 1;
        }
        if (ferror(r->spill))
            return -1;
        r->spill = NULL;
    }
    if (r->pos >= r->memo->len)
        return 0;
    memcpy(&size, r->memo->data + r->pos, sizeof size);
    memo_parse(r->memo->data + r->pos + sizeof size, p, lineno);
    r->pos += sizeof size + size;
    return 1;
}

/* Checks that p's account keeps one platform, in the file and against the cache. Returns 0
 * or -1 with *why set. */
static int
check_account(struct db *db, struct import_check *c, const struct post_in *p, char **why)
{
    json_t *seen = json_object_get(c->platforms, p->account);
    if (seen == NULL) {
        if (c->account == NULL &&
            (c->account = db_prepare(db, "SELECT platform FROM accounts WHERE name = ?",
                                     why)) == NULL)
            return -1;
        db_bind_text(c->account, 1, p->account);
        int rc = sqlite3_step(c->account);
        char *cached = rc == SQLITE_ROW ? db_column_strdup(c->account, 0) : NULL;
        sqlite3_reset(c->account);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
            *why = db_error(db, "cannot read the cache");
            return -1;
        }
        seen = json_pack("{s:s, s:s}", "platform", cached ? cached : p->platform, "where",
                         cached ? "in this cache" : "earlier in this file");
        json_object_set_new(c->platforms, p->account, seen);
        free(cached);
    }
    const char *known = json_string_value(json_object_get(seen, "platform"));
    if (strcmp(known, p->platform) != 0) {
        *why = xasprintf("account '%s' is a %s account %s, not %s", p->account, known,
                         json_string_value(json_object_get(seen, "where")), p->platform);
        return -1;
    }
    return 0;
}

/* Reads one record: the common kind without Jansson, anything else (and every refusal) with
 * it. Returns 0, or -1 with *why set; *json (NULL when not used) is the caller's to release. */
static int
parse_record(const struct buf *line, struct post_in *p, char *created, struct buf *scratch,
             void **json, char **why)
{
    *json = NULL;
    if (import_parse_fast(line->data, line->len, p, created, scratch))
        return 0;
    return import_parse_line(line->data, line->len, p, created, json, why);
}

/* The first pass: every line is read and checked, nothing is written; the checked posts go
 * to the memo (in memory, then in a temporary file), so the file is parsed once. A stream
 * that cannot seek (standard input) must keep its memo. Returns 0 with the memo ready to
 * read from the start, or the input (c->memo_dropped), or -1 with *err set. */
static int
import_check(struct db *db, FILE *in, const char *name, struct import_check *c, char **err)
{
    struct buf line = {0}, scratch = {0};
    char *why = NULL;
    long lineno = 0;
    int rc;
    c->start = fseek(in, 0, SEEK_CUR) == 0 ? ftell(in) : -1;
    /* No memo in memory: a file is read again, a stream's memo goes to the temporary file. */
    if (c->memo_max == 0 && c->start >= 0)
        c->memo_dropped = 1;
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
        int bad = parse_record(&line, &p, created, &scratch, &json, &why) != 0 ||
                  check_account(db, c, &p, &why) != 0;
        int kept = bad || memo_put(c, &p, lineno) == 0;
        json_decref(json);
        if (bad)
            goto fail_line;
        if (!kept)
            goto fail_spill;
    }
    if (ferror(in)) {
        *err = xasprintf("%s: cannot read: read error; nothing was imported", name);
        goto fail;
    }
    buf_free(&line);
    buf_free(&scratch);
    /* The second pass reads the spill file, then what is still in memory. */
    if (c->spill && (fflush(c->spill) != 0 || fseek(c->spill, 0, SEEK_SET) != 0) &&
        memo_drop(c) != 0)
        goto fail_spill;
    if (c->memo_dropped && fseek(in, c->start, SEEK_SET) != 0) {
        *err = xasprintf("%s: cannot read it again: %s; nothing was imported", name,
                         strerror(errno));
        return -1;
    }
    return 0;

fail_spill:
    *err = xasprintf("%s: cannot make a temporary copy of it: %s; nothing was imported", name,
                     strerror(errno));
    buf_free(&line);
    buf_free(&scratch);
    return -1;

fail_line:
    *err = xasprintf("%s:%ld: %s; nothing from %s was imported", name, lineno, why, name);
    free(why);
fail:
    buf_free(&line);
    buf_free(&scratch);
    return -1;
}

static int build_indexes(struct db *db, const char *name, int import_rc, char **err);
static int import_run(struct db *db, FILE *in, struct memo_reader *memo, const char *name,
                      struct import_stats *stats, char **err);

int
import_jsonl(struct db *db, FILE *in, const char *name, struct import_stats *stats,
             char **err)
{
    return import_jsonl_memo(db, in, name, IMPORT_MEMO_MAX, stats, err);
}

int
import_jsonl_memo(struct db *db, FILE *in, const char *name, size_t memo_max,
                  struct import_stats *stats, char **err)
{
    memset(stats, 0, sizeof *stats);
    struct import_check c = {.platforms = json_object(), .memo_max = memo_max};
    int rc = import_check(db, in, name, &c, err);
    sqlite3_finalize(c.account);
    json_decref(c.platforms);
    if (rc == 0) {
        /* A big import touches many pages; a larger page cache for its duration avoids
         * rereading them from the file (the default is 2 MiB): what the memo left of
         * IMPORT_MEMORY. Checkpoints stay automatic but
         * wait for IMPORT_WAL_PAGES: rarer than usual, so the same pages are not copied into
         * the database file after every chunk, yet bounded, so the log never grows with the
         * import (unbounded, it reached 1.9 GB at 1,000,000 posts, and reads slowed as it
         * grew); journal_size_limit gives the space back after each checkpoint. Foreign
         * keys are not checked while the import runs: the post writer makes each account,
         * author and thread before the posts that refer to them, in the same transaction,
         * and nothing is deleted, so the checks could only cost their lookups. Statement
         * journals (the pages a statement changes, kept to undo it alone: the indexing at
         * the end of each transaction, a new thread and its counting trigger) are kept in
         * memory rather than written to a temporary file and read back; what they hold is
         * bounded by a transaction's posts (IMPORT_CHUNK_MAX), and IMPORT_MEMORY leaves
         * room for them. */
        /* Into an empty cache, the indexes the writes do not read are built after the rows
         * (model/post_index.h). */
        char *why = NULL;
        int deferred = post_index_defer(db, &why);
        if (deferred < 0) {
            *err = xasprintf("%s: cannot prepare the cache for the import: %s; nothing was "
                             "imported", name, why);
            free(why);
            rc = -1;
            goto done;
        }
        size_t memo = c.memo_dropped ? 0 : c.memo.cap;
        size_t cache = memo < IMPORT_MEMORY - IMPORT_CACHE_MIN ? IMPORT_MEMORY - memo
                                                               : IMPORT_CACHE_MIN;
        char *pragmas = xasprintf("PRAGMA cache_size = -%zu;"
                                  " PRAGMA wal_autocheckpoint = " IMPORT_WAL_PAGES ";"
                                  " PRAGMA journal_size_limit = " IMPORT_WAL_LIMIT ";"
                                  " PRAGMA foreign_keys = OFF; PRAGMA temp_store = MEMORY",
                                  cache / 1024);
        db_exec(db, pragmas, NULL);
        free(pragmas);
        struct memo_reader r = {.spill = c.spill, .memo = &c.memo};
        rc = import_run(db, in, c.memo_dropped ? NULL : &r, name, stats, err);
        free(r.rec.data);
        db_exec(db, "PRAGMA wal_autocheckpoint = 1000; PRAGMA cache_size = -2000;"
                    " PRAGMA foreign_keys = ON; PRAGMA temp_store = DEFAULT", NULL);
        /* The indexes dropped for an import into an empty cache, whether it ended well or
         * not: each is one sort of what was written (the sorter spills to temporary files,
         * so memory stays bounded). */
        if (deferred && build_indexes(db, name, rc, err) != 0)
            rc = -1;
        db_exec(db, "PRAGMA wal_checkpoint(PASSIVE)", NULL);
    }
done:
    if (c.spill)
        fclose(c.spill);
    buf_free(&c.memo);
    return rc;
}

/* Builds the indexes post_index_defer dropped, in a transaction of its own. import_rc is the
 * import's outcome: when it failed, *err already says why and a failure here is added to it.
 * Returns 0, or -1 with *err set. */
static int
build_indexes(struct db *db, const char *name, int import_rc, char **err)
{
    char *why = NULL;
    if (db_begin(db, &why) == 0 && post_index_build(db, &why) == 0 &&
        db_commit(db, &why) == 0)
        return 0;
    db_rollback(db);
    char *msg = xasprintf("%s: the cache's indexes could not be built after the import: %s; "
                          "tactful builds them the next time it opens this cache", name, why);
    free(why);
    if (import_rc == 0) {
        *err = msg;
    } else {
        char *both = xasprintf("%s; %s", *err, msg);
        free(*err);
        free(msg);
        *err = both;
    }
    return -1;
}

/* Ends the chunk in progress: the writer's indexes and summaries, then the commit. Adds the
 * writer's new threads to stats and frees it. Returns 0 or -1 with *err set. */
static int
commit_chunk(struct db *db, struct post_writer **w, struct import_stats *stats, char **err)
{
    int rc = post_writer_finish(*w, err);
    stats->new_threads += post_writer_new_threads(*w);
    stats->shortened_posts += post_writer_shortened(*w);
    post_writer_free(*w);
    *w = NULL;
    if (rc != 0) {
        db_rollback(db);
        return -1;
    }
    return db_commit(db, err);
}

/* The second pass, over a file the first found good: its posts in transactions of half a
 * second at most, so other processes get the cache in between. Each transaction has its own
 * writer, whose caches are valid only inside it. */
static int
import_run(struct db *db, FILE *in, struct memo_reader *memo, const char *name,
           struct import_stats *stats, char **err)
{
    struct buf line = {0}, scratch = {0};
    struct post_writer *w = NULL;
    char *why = NULL;
    long lineno = 0, in_chunk = 0, done_lines = 0;
    double chunk_start = 0, end_per_post = 0; /* seconds to finish and commit, per post */
    int rc;

    for (;;) {
        struct post_in p;
        char created[ISOTIME_LEN];
        void *json = NULL;
        if (memo) {
            /* The posts the first pass checked, without parsing them again. */
            if ((rc = memo_next(memo, &p, &lineno)) == 0)
                break;
            if (rc < 0) {
                why = xstrdup("cannot read the temporary copy of the checked posts");
                goto fail_line;
            }
        } else {
            if ((rc = read_line(in, &line)) == 0)
                break;
            lineno++;
            if (rc < 0) {
                why = xasprintf("line longer than %d bytes", IMPORT_MAX_LINE);
                goto fail_line;
            }
            if (blank(&line))
                continue;
            if (parse_record(&line, &p, created, &scratch, &json, &why) != 0) {
                json_decref(json);
                goto fail_line;
            }
        }
        if (w == NULL) {
            if (db_begin(db, &why) != 0 || (w = post_writer_new(db, &why)) == NULL) {
                json_decref(json);
                goto fail_line;
            }
            chunk_start = now_s();
            in_chunk = 0;
        }
        enum post_result result;
        int bad = post_writer_put(w, &p, &result, &why) != 0;
        if (!bad && result == POST_REFUSED) { /* post_check passed it: cannot happen */
            why = xstrdup("the post writer refused the post");
            bad = 1;
        }
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
        if (++in_chunk == IMPORT_CHUNK_MAX ||
            (in_chunk % 256 == 0 && now_s() - chunk_start + (double)in_chunk * end_per_post >=
                                        IMPORT_CHUNK_SECONDS)) {
            double end_start = now_s();
            if (commit_chunk(db, &w, stats, &why) != 0)
                goto fail_line;
            end_per_post = (now_s() - end_start) / (double)in_chunk;
            done_lines = lineno;
            /* A moment with the cache free: a process waiting for it (see busy_wait in
             * db.c) gets in now rather than after the whole import. */
            struct timespec gap = {0, IMPORT_GAP_MS * 1000000L};
            nanosleep(&gap, NULL);
        }
    }
    if (memo == NULL && ferror(in)) {
        why = xstrdup("read error");
        goto fail_line;
    }
    if (w && commit_chunk(db, &w, stats, &why) != 0)
        goto fail_line;
    buf_free(&line);
    buf_free(&scratch);
    return 0;

fail_line:
    if (done_lines == 0)
        *err = xasprintf("%s:%ld: %s; nothing from %s was imported", name, lineno, why, name);
    else
        *err = xasprintf("%s:%ld: %s; lines 1 to %ld were imported: import %s again once "
                         "this is fixed (what is already there is not duplicated)", name,
                         lineno, why, done_lines, name);
    free(why);
    post_writer_free(w);
    db_rollback(db);
    buf_free(&line);
    buf_free(&scratch);
    return -1;
}
