/* JSON Lines import: idempotent upserts, updates, validation and all-or-nothing files. */
#include "testutil.h"

#include "model/cw.h"
#include "model/export.h"
#include "model/extras.h"
#include "model/isotime.h"
#include "model/thread.h"

#include <jansson.h>
#include <unistd.h>

/* Importing the same posts twice changes nothing the second time. */
static void
test_idempotent(void **state)
{
    (void)state;
    struct tcache c;
    struct import_stats s;
    char *err = NULL;
    tcache_open(&c);
    assert_int_equal(tcache_import(&c, FIXTURE, &s, &err), 0);
    assert_int_equal(s.new_posts, 6);
    assert_int_equal(s.new_threads, 3);
    int before = sqlite3_total_changes(c.db->sql);
    assert_int_equal(tcache_import(&c, FIXTURE, &s, &err), 0);
    assert_int_equal(s.new_posts, 0);
    assert_int_equal(s.updated_posts, 0);
    assert_int_equal(s.unchanged_posts, 6);
    assert_int_equal(s.new_threads, 0);
    assert_int_equal(sqlite3_total_changes(c.db->sql), before);
    assert_int_equal(tcache_int(&c, "SELECT count(*) FROM posts"), 6);
    assert_int_equal(tcache_int(&c, "SELECT count(*) FROM posts_fts_docsize"), 6);
    assert_int_equal(tcache_int(&c, "SELECT post_count FROM threads WHERE root_remote_id='100'"),
                     3);
    tcache_close(&c);
}

/* A changed post is updated in place and the search index follows it. */
static void
test_update_reindexes(void **state)
{
    (void)state;
    struct tcache c;
    struct import_stats s;
    char *err = NULL;
    tcache_open(&c);
    assert_int_equal(tcache_import(&c, FIXTURE, &s, &err), 0);
    const char *edit =
        "{\"platform\":\"mastodon\",\"account\":\"dept\",\"thread\":\"100\",\"id\":\"102\","
        "\"parent\":\"101\",\"author\":\"@alice@example.social\",\"author_name\":\"Alice H\","
        "\"created_at\":\"2026-11-20T11:00:00Z\",\"text\":\"Edited: garden waste too\","
        "\"url\":\"https://example.social/@alice/102\",\"own\":false}\n";
    assert_int_equal(tcache_import(&c, edit, &s, &err), 0);
    assert_int_equal(s.updated_posts, 1);
    assert_int_equal(tcache_int(&c, "SELECT count(*) FROM posts"), 6);
    assert_int_equal(
        tcache_int(&c, "SELECT count(*) FROM posts_fts WHERE posts_fts MATCH 'garden'"), 1);
    assert_int_equal(
        tcache_int(&c, "SELECT count(*) FROM posts_fts WHERE posts_fts MATCH 'weeks'"), 0);
    /* The author's new display name is searchable on all their posts. */
    assert_int_equal(
        tcache_int(&c, "SELECT count(*) FROM posts_fts WHERE posts_fts MATCH 'author:H'"), 2);
    tcache_close(&c);
}

/* A post given twice in one file, changed the second time, is indexed once with its last
 * text, and so is a post whose author is renamed later in the same file. */
static void
test_repeat_in_one_file_indexed_once(void **state)
{
    (void)state;
    struct tcache c;
    struct import_stats s;
    char *err = NULL;
    tcache_open(&c);
    assert_int_equal(tcache_import(&c, FIXTURE, &s, &err), 0);
    const char *twice =
        "{\"platform\":\"mastodon\",\"account\":\"dept\",\"thread\":\"200\",\"id\":\"200\","
        "\"author\":\"@carl@example.social\",\"author_name\":\"Carl\","
        "\"created_at\":\"2026-11-22T09:00:00Z\",\"text\":\"Streetlight out\"}\n"
        "{\"platform\":\"mastodon\",\"account\":\"dept\",\"thread\":\"200\",\"id\":\"200\","
        "\"author\":\"@carl@example.social\",\"author_name\":\"Carl\","
        "\"created_at\":\"2026-11-22T09:00:00Z\",\"text\":\"Streetlight fixed\"}\n"
        "{\"platform\":\"mastodon\",\"account\":\"dept\",\"thread\":\"200\",\"id\":\"201\","
        "\"author\":\"@carl@example.social\",\"author_name\":\"Carl Jones\","
        "\"created_at\":\"2026-11-22T10:00:00Z\",\"text\":\"Thanks\"}\n";
    assert_int_equal(tcache_import(&c, twice, &s, &err), 0);
    assert_int_equal(tcache_int(&c, "SELECT count(*) FROM posts_fts_docsize"), 8);
    assert_int_equal(
        tcache_int(&c, "SELECT count(*) FROM posts_fts WHERE posts_fts MATCH 'streetlight'"), 1);
    assert_int_equal(
        tcache_int(&c, "SELECT count(*) FROM posts_fts WHERE posts_fts MATCH 'fixed'"), 1);
    assert_int_equal(
        tcache_int(&c, "SELECT count(*) FROM posts_fts WHERE posts_fts MATCH 'out'"), 0);
    assert_int_equal(
        tcache_int(&c, "SELECT count(*) FROM posts_fts WHERE posts_fts MATCH 'author:jones'"), 2);
    tcache_fts_intact(&c);
    tcache_close(&c);
}

/* A bad line anywhere rolls back the whole file and names the line. */
static void
test_bad_line_rolls_back(void **state)
{
    (void)state;
    static const struct {
        const char *line;
        const char *reason;
    } bad[] = {
        {"{not json}", "not valid JSON"},
        {"[1,2]", "expected a JSON object"},
        {"{\"platform\":\"mastodon\",\"account\":\"d\",\"thread\":\"1\",\"id\":\"9\","
         "\"author\":\"a\",\"created_at\":\"2026-11-20T09:15:00Z\"}",
         "missing \"text\""},
        {"{\"platform\":\"myspace\",\"account\":\"d\",\"thread\":\"1\",\"id\":\"9\","
         "\"author\":\"a\",\"created_at\":\"2026-11-20T09:15:00Z\",\"text\":\"x\"}",
         "unknown platform"},
        {"{\"platform\":\"mastodon\",\"account\":\"d\",\"thread\":\"1\",\"id\":\"9\","
         "\"author\":\"a\",\"created_at\":\"20 Nov 2026\",\"text\":\"x\"}",
         "\"created_at\" is not an RFC 3339 time"},
        {"{\"platform\":\"mastodon\",\"account\":\"d\",\"thread\":\"1\",\"id\":\"9\","
         "\"author\":\"a\",\"created_at\":\"2026-02-31T09:15:00Z\",\"text\":\"x\"}",
         "not an RFC 3339 time"},
        {"{\"platform\":\"mastodon\",\"account\":\"d\",\"thread\":\"1\",\"id\":\"9\","
         "\"author\":\"a\",\"created_at\":\"2026-11-20T09:15:00Z\",\"text\":\"x\",\"x\":1}",
         "unknown field \"x\""},
        {"{\"platform\":\"mastodon\",\"account\":\"d\",\"thread\":\"1\",\"id\":\"9\","
         "\"author\":\"a\",\"created_at\":\"2026-11-20T09:15:00Z\",\"text\":\"x\",\"own\":1}",
         "\"own\" must be true or false"},
        {"{\"platform\":\"mastodon\",\"account\":\"d\",\"thread\":\"1\",\"id\":\"9\","
         "\"author\":\"a\",\"created_at\":\"2026-11-20T09:15:00Z\",\"text\":\"x\","
         "\"id\":\"10\"}",
         "duplicate"},
        /* The account "dept" is a Mastodon account already (from the good lines). */
        {"{\"platform\":\"bluesky\",\"account\":\"dept\",\"thread\":\"1\",\"id\":\"9\","
         "\"author\":\"a\",\"created_at\":\"2026-11-20T09:15:00Z\",\"text\":\"x\"}",
         "is a mastodon account"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct tcache c;
        struct import_stats s;
        char *err = NULL;
        tcache_open(&c);
        /* Two good lines, then the bad one on line 3. */
        char *text = xasprintf(
            "{\"platform\":\"mastodon\",\"account\":\"dept\",\"thread\":\"100\",\"id\":\"100\","
            "\"author\":\"@a\",\"created_at\":\"2026-11-20T09:15:00Z\",\"text\":\"one\"}\n"
            "\n"
            "%s\n",
            bad[i].line);
        if (tcache_import(&c, text, &s, &err) != -1)
            fail_msg("case %zu was accepted", i);
        assert_non_null(err);
        if (strncmp(err, "fixture:3: ", 11) != 0 || strstr(err, bad[i].reason) == NULL)
            fail_msg("case %zu: got \"%s\", want fixture:3: ...%s", i, err, bad[i].reason);
        assert_int_equal(tcache_int(&c, "SELECT count(*) FROM posts"), 0);
        assert_int_equal(tcache_int(&c, "SELECT count(*) FROM threads"), 0);
        assert_int_equal(tcache_int(&c, "SELECT count(*) FROM accounts"), 0);
        free(err);
        free(text);
        tcache_close(&c);
    }
}

/* Content over its limit is stored shortened (text cut on a character boundary, a link left
 * out), marked and counted; the same post again is unchanged; an identifier over its limit
 * refuses the file with the field named, and nothing is written. */
static void
test_oversized_content_shortened(void **state)
{
    (void)state;
    struct tcache c;
    struct import_stats s;
    char *err = NULL;
    tcache_open(&c);
    struct buf b = {0};
    buf_adds(&b, "{\"platform\":\"mastodon\",\"account\":\"d\",\"thread\":\"1\",\"id\":\"1\","
                 "\"author\":\"a\",\"created_at\":\"2026-11-20T09:15:00Z\",\"url\":\"https://x/");
    for (int i = 0; i < POST_MAX_URL; i++)
        buf_addc(&b, 'u');
    buf_adds(&b, "\",\"text\":\"");
    for (int i = 0; i < POST_MAX_TEXT - 1; i++)
        buf_addc(&b, 'a');
    buf_adds(&b, "é and more\"}\n"); /* é straddles the limit */
    buf_adds(&b, "{\"platform\":\"mastodon\",\"account\":\"d\",\"thread\":\"1\",\"id\":\"2\","
                 "\"parent\":\"1\",\"author\":\"b\",\"created_at\":\"2026-11-20T09:16:00Z\","
                 "\"text\":\"short\"}\n");
    if (tcache_import(&c, b.data, &s, &err) != 0)
        fail_msg("import: %s", err);
    assert_int_equal(s.new_posts, 2);
    assert_int_equal(s.shortened_posts, 1);
    assert_int_equal(tcache_int(&c, "SELECT length(CAST(body AS BLOB)) FROM posts"
                                    " WHERE remote_id = '1'"), POST_MAX_TEXT - 1);
    assert_int_equal(tcache_int(&c, "SELECT shortened + (url IS NULL) FROM posts"
                                    " WHERE remote_id = '1'"), 2);
    assert_int_equal(tcache_int(&c, "SELECT shortened FROM posts WHERE remote_id = '2'"), 0);
    /* Again: nothing changes, nothing is counted as shortened. */
    if (tcache_import(&c, b.data, &s, &err) != 0)
        fail_msg("import: %s", err);
    assert_int_equal(s.unchanged_posts, 2);
    assert_int_equal(s.shortened_posts, 0);
    buf_free(&b);

    buf_adds(&b, "{\"platform\":\"mastodon\",\"account\":\"d\",\"thread\":\"9\",\"id\":\"");
    for (int i = 0; i < POST_MAX_ID + 1; i++)
        buf_addc(&b, '7');
    buf_adds(&b, "\",\"author\":\"a\",\"created_at\":\"2026-11-20T09:15:00Z\",\"text\":\"x\"}\n");
    assert_int_equal(tcache_import(&c, b.data, &s, &err), -1);
    assert_non_null(strstr(err, "\"id\" is 1025 bytes, more than the 1024 allowed"));
    assert_int_equal(tcache_int(&c, "SELECT count(*) FROM posts"), 2);
    free(err);
    buf_free(&b);
    tcache_close(&c);
}

/* Offsets become UTC and threads summarise their posts. */
static void
test_times_and_summaries(void **state)
{
    (void)state;
    struct tcache c;
    struct import_stats s;
    char *err = NULL;
    tcache_open(&c);
    assert_int_equal(tcache_import(&c,
                                   "{\"platform\":\"mastodon\",\"account\":\"d\",\"thread\":\"1\","
                                   "\"id\":\"1\",\"author\":\"a\",\"created_at\":"
                                   "\"2026-11-20T09:15:30.123+01:00\",\"text\":\"x\"}\n",
                                   &s, &err),
                     0);
    sqlite3_stmt *st = db_prepare(c.db, "SELECT created_at FROM posts", NULL);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "2026-11-20T08:15:30Z");
    sqlite3_finalize(st);
    tcache_close(&c);

    tcache_open(&c);
    assert_int_equal(tcache_import(&c, FIXTURE, &s, &err), 0);
    struct thread *t = thread_get(c.db, 3, &err);
    assert_non_null(t);
    assert_string_equal(t->info.title, "Winter gritting");
    assert_string_equal(t->info.url, "https://blog.example/grit");
    assert_string_equal(t->info.first_activity, "2026-11-19T12:00:00Z");
    assert_string_equal(t->info.last_activity, "2026-11-22T12:00:00Z");
    assert_string_equal(t->info.latest_author, "Bob");
    thread_free(t);
    tcache_close(&c);
}

/* Export then import into a new cache then export again gives the same bytes. */
static void
test_export_roundtrip(void **state)
{
    (void)state;
    struct tcache a, b;
    struct import_stats s;
    char *err = NULL, *out1 = NULL, *out2 = NULL;
    size_t n1 = 0, n2 = 0;
    tcache_open(&a);
    assert_int_equal(tcache_import(&a, FIXTURE, &s, &err), 0);
    FILE *f = open_memstream(&out1, &n1);
    assert_int_equal(export_posts(a.db, f, 0, EXPORT_JSONL, 0, &err), 6);
    fclose(f);
    tcache_open(&b);
    assert_int_equal(tcache_import(&b, out1, &s, &err), 0);
    f = open_memstream(&out2, &n2);
    assert_int_equal(export_posts(b.db, f, 0, EXPORT_JSONL, 0, &err), 6);
    fclose(f);
    assert_int_equal(n1, n2);
    assert_string_equal(out1, out2);
    assert_non_null(strstr(out1, "\"parent\":null"));
    assert_non_null(strstr(out1, "\"title\":\"Winter gritting\""));
    free(out1);
    free(out2);
    tcache_close(&a);
    tcache_close(&b);
}

/* Meta as a sync stores it (compact JSON, text beyond ASCII, a Bluesky post's ids). */
static const char *const sync_meta[] = {
    "{\"visibility\":\"private\",\"cw\":\"Politique – élections\",\"labels\":[\"sensitive\"],"
    "\"media\":[{\"type\":\"image\",\"alt\":\"A flooded road 🌊\","
    "\"url\":\"https://m.example/1.jpg\"},"
    "{\"type\":\"video\",\"alt\":null,\"url\":\"https://m.example/2.mp4\"}],\"media_total\":5,"
    "\"quote\":{\"author\":\"@pat\",\"text\":\"see this\",\"url\":\"https://q.example/1\"},"
    "\"card\":{\"title\":\"Bins\",\"url\":\"https://c.example/\",\"description\":\"Rounds\"}}",
    "{\"cid\":\"bafyabc\",\"did\":\"did:plc:x\",\"indexed_at\":\"2026-11-20T09:16:00Z\","
    "\"root\":{\"uri\":\"at://did:plc:x/app.bsky.feed.post/1\",\"cid\":\"bafyroot\"}}",
};

/* Writes post id of thread 1 with meta through the writer, as a sync does. */
static void
put_with_meta(struct tcache *c, const char *platform, const char *id, const char *meta)
{
    struct post_in p = {.platform = platform, .account = platform, .thread = "1", .id = id,
                        .author = "@pat", .created_at = "2026-11-20T09:15:00Z",
                        .text = "Is the road shut?", .meta = meta};
    tcache_put(c, &p, POST_NEW);
}

/* The meta of post id in c, newly allocated (NULL: none). */
static char *
meta_in(struct tcache *c, const char *id)
{
    sqlite3_stmt *st = db_prepare(c->db, "SELECT meta FROM posts WHERE remote_id = ?1", NULL);
    assert_non_null(st);
    db_bind_text(st, 1, id);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    const char *v = (const char *)sqlite3_column_text(st, 0);
    char *out = v ? xstrdup(v) : NULL;
    sqlite3_finalize(st);
    return out;
}

/* A post's meta (media, quote, card, content warning, visibility, a Bluesky post's ids) goes
 * out with the export and comes back byte for byte: the thread view and the reply's
 * visibility and CW read the same from the imported cache, and exporting again gives the
 * same file. Importing it again changes nothing. */
static void
test_export_roundtrip_keeps_meta(void **state)
{
    (void)state;
    struct tcache a, b;
    struct import_stats s;
    char *err = NULL, *out1 = NULL, *out2 = NULL;
    size_t n1 = 0, n2 = 0;
    tcache_open(&a);
    put_with_meta(&a, "mastodon", "m1", sync_meta[0]);
    put_with_meta(&a, "bluesky", "b1", sync_meta[1]);
    FILE *f = open_memstream(&out1, &n1);
    assert_int_equal(export_posts(a.db, f, 0, EXPORT_JSONL, 0, &err), 2);
    fclose(f);
    assert_non_null(strstr(out1, "\"meta\":{\"visibility\":\"private\""));
    assert_null(strchr(out1, 0x7f));
    tcache_open(&b);
    if (tcache_import(&b, out1, &s, &err) != 0)
        fail_msg("import: %s", err);
    assert_int_equal(s.new_posts, 2);
    assert_int_equal(s.shortened_posts, 0);
    char *m1 = meta_in(&b, "m1"), *b1 = meta_in(&b, "b1");
    assert_string_equal(m1, sync_meta[0]);
    assert_string_equal(b1, sync_meta[1]);
    struct extras x;
    assert_int_equal(extras_read(m1, &x), 1);
    assert_string_equal(x.visibility, "private");
    assert_int_equal(x.nmedia, 2);
    assert_null(x.media[1].alt);
    assert_string_equal(x.card_title, "Bins");
    extras_clear(&x);
    char *cw = NULL;
    assert_int_equal(cw_of_post(b.db, 1, "m1", &cw, &err), 0);
    assert_string_equal(cw, "Politique – élections");
    free(cw);
    f = open_memstream(&out2, &n2);
    assert_int_equal(export_posts(b.db, f, 0, EXPORT_JSONL, 0, &err), 2);
    fclose(f);
    assert_string_equal(out1, out2);
    if (tcache_import(&b, out1, &s, &err) != 0)
        fail_msg("import: %s", err);
    assert_int_equal(s.unchanged_posts, 2);
    free(m1);
    free(b1);
    free(out1);
    free(out2);
    tcache_close(&a);
    tcache_close(&b);
}

/* An imported meta is checked as a record: it must be an object, the keys tactful reads must
 * have their types (else the file is refused, nothing written); one over the cache's limit is
 * left out and the post counted as shortened, as for a sync; null or none keeps what the
 * cache holds. */
static void
test_import_meta_checked(void **state)
{
    (void)state;
    struct tcache c;
    struct import_stats s;
    char *err = NULL;
#define REC(meta)                                                                              \
    "{\"platform\":\"mastodon\",\"account\":\"d\",\"thread\":\"1\",\"id\":\"1\","                 \
    "\"author\":\"a\",\"created_at\":\"2026-11-20T09:15:00Z\",\"text\":\"x\",\"meta\":" meta "}\n"
    tcache_open(&c);
    assert_int_equal(tcache_import(&c, REC("\"private\""), &s, &err), -1);
    assert_non_null(strstr(err, "fixture:1: \"meta\" must be a JSON object"));
    free(err);
    err = NULL;
    assert_int_equal(tcache_import(&c, REC("{\"visibility\":[\"public\"]}"), &s, &err), -1);
    assert_non_null(strstr(err, "\"meta\".\"visibility\" must be a string"));
    free(err);
    err = NULL;
    assert_int_equal(tcache_import(&c, REC("{\"media\":{\"type\":\"image\"}}"), &s, &err), -1);
    assert_non_null(strstr(err, "\"meta\".\"media\" must be an array"));
    free(err);
    err = NULL;
    assert_int_equal(tcache_int(&c, "SELECT count(*) FROM posts"), 0);

    /* Spaces and all, it is stored in the compact form a sync stores. */
    assert_int_equal(tcache_import(&c, REC("{ \"visibility\" : \"direct\", \"x\": [1, 2] }"),
                                   &s, &err), 0);
    char *m = meta_in(&c, "1");
    assert_string_equal(m, "{\"visibility\":\"direct\",\"x\":[1,2]}");
    free(m);
    /* None, or null: the cache keeps it. */
    assert_int_equal(tcache_import(&c, REC("null"), &s, &err), 0);
    assert_int_equal(s.unchanged_posts, 1);
    m = meta_in(&c, "1");
    assert_string_equal(m, "{\"visibility\":\"direct\",\"x\":[1,2]}");
    free(m);

    /* Too big to keep: left out (the cache keeps what it held), counted as shortened. */
    struct buf b = {0};
    buf_adds(&b, "{\"platform\":\"mastodon\",\"account\":\"d\",\"thread\":\"1\",\"id\":\"2\","
                 "\"author\":\"a\",\"created_at\":\"2026-11-20T09:16:00Z\",\"text\":\"y\","
                 "\"meta\":{\"cw\":\"");
    for (int i = 0; i < POST_MAX_META; i++)
        buf_addc(&b, 'w');
    buf_adds(&b, "\"}}\n");
    if (tcache_import(&c, b.data, &s, &err) != 0)
        fail_msg("import: %s", err);
    assert_int_equal(s.new_posts, 1);
    assert_int_equal(s.shortened_posts, 1);
    assert_null(meta_in(&c, "2"));
    buf_free(&b);
#undef REC
    tcache_close(&c);
}

/* The second pass gives the same cache whether it reuses the first pass's checked posts from
 * memory or from the temporary file past the memory's limit (from the start for a stream,
 * which cannot be read twice), or reads and parses the file again, also after an update. */
static void
test_second_pass_with_and_without_memo(void **state)
{
    (void)state;
    struct tcache a, b;
    struct import_stats sa, sb;
    char *err = NULL, *out1 = NULL, *out2 = NULL;
    size_t n1 = 0, n2 = 0;
    tcache_open(&a);
    tcache_open(&b);
    assert_int_equal(tcache_import(&a, FIXTURE, &sa, &err), 0);
    FILE *f = fmemopen((void *)FIXTURE, strlen(FIXTURE), "r");
    assert_int_equal(import_jsonl_memo(b.db, f, "fixture", 0, &sb, &err), 0);
    fclose(f);
    assert_int_equal(sa.new_posts, sb.new_posts);
    assert_int_equal(sa.new_threads, sb.new_threads);
    assert_int_equal(sa.lines, sb.lines);
    /* A tiny memo goes on in the temporary file part way. */
    f = fmemopen((void *)FIXTURE, strlen(FIXTURE), "r");
    assert_int_equal(import_jsonl_memo(b.db, f, "fixture", 200, &sb, &err), 0);
    fclose(f);
    assert_int_equal(sb.unchanged_posts, sa.new_posts);
    /* A stream's posts all go to the temporary file, into a third cache. */
    struct tcache c3;
    struct import_stats sc;
    tcache_open(&c3);
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    assert_int_equal(write(fds[1], FIXTURE, strlen(FIXTURE)), (ssize_t)strlen(FIXTURE));
    close(fds[1]);
    f = fdopen(fds[0], "r");
    assert_int_equal(import_jsonl_memo(c3.db, f, "stream", 0, &sc, &err), 0);
    fclose(f);
    assert_int_equal(sc.new_posts, sa.new_posts);
    char *out3 = NULL;
    size_t n3 = 0;
    f = open_memstream(&out3, &n3);
    assert_int_equal(export_posts(c3.db, f, 0, EXPORT_JSONL, 0, &err), 6);
    fclose(f);
    assert_int_equal(tcache_int(&c3, "SELECT count(*) FROM posts_fts_docsize"), 6);
    const char *hughes = "SELECT count(*) FROM posts_fts WHERE posts_fts MATCH 'author:hughes'";
    assert_true(tcache_int(&c3, hughes) > 0);
    assert_int_equal(tcache_int(&c3, hughes), tcache_int(&a, hughes));
    f = open_memstream(&out1, &n1);
    assert_int_equal(export_posts(a.db, f, 0, EXPORT_JSONL, 0, &err), 6);
    fclose(f);
    f = open_memstream(&out2, &n2);
    assert_int_equal(export_posts(b.db, f, 0, EXPORT_JSONL, 0, &err), 6);
    fclose(f);
    assert_string_equal(out1, out2);
    assert_string_equal(out1, out3);
    assert_int_equal(tcache_int(&b, "SELECT count(*) FROM posts_fts_docsize"), 6);
    free(out1);
    free(out2);
    free(out3);
    tcache_close(&a);
    tcache_close(&b);
    tcache_close(&c3);
}

/* The reader without Jansson: the common record, escapes and all, read with the values
 * import_parse_line gives it; anything else left to import_parse_line. */
static void
test_fast_reader_agrees(void **state)
{
    (void)state;
#define BASE "\"platform\":\"mastodon\",\"account\":\"a\",\"thread\":\"1\",\"id\":\"2\"," \
             "\"author\":\"@b\",\"created_at\":\"2026-11-20T09:15:00Z\""
    static const char *const taken[] = {
        "{" BASE ",\"text\":\"hello\"}",
        " {" BASE " , \"text\" : \"\" , \"own\" : true , \"meta\" : null, \"parent\": null}\r",
        "{" BASE ",\"text\":\"caf\\u00e9 \\ud83d\\ude00 \\\"q\\\" \\\\ \\/ \\b\\f\\n\\r\\t\","
        "\"author_name\":\"Zo\xc3\xab \xe2\x98\x83 \xf0\x9f\x98\x80\",\"own\":false,"
        "\"html\":\"<p>x</p>\",\"url\":\"https://x/2\",\"title\":\"T\"}",
        "{\"pl\\u0061tform\":\"bluesky\",\"account\":\"a\",\"thread\":\"1\",\"id\":\"2\","
        "\"author\":\"@b\",\"created_at\":\"2026-11-20T10:15:00+01:00\",\"text\":\"x\"}",
    };
    static const char *const left[] = {
        "{" BASE ",\"text\":\"x\",\"meta\":{}}",          /* meta: Jansson checks it */
        "{" BASE ",\"text\":\"x\",\"text\":\"y\"}",       /* a duplicate */
        "{" BASE ",\"text\":\"a\\u0000b\"}",              /* NUL */
        "{" BASE ",\"text\":\"\\ud83d\"}",                /* a lone surrogate */
        "{" BASE ",\"text\":\"\\ude00\"}",
        "{" BASE ",\"text\":\"\xc3\"}",                   /* malformed UTF-8 */
        "{" BASE ",\"text\":\"\xed\xa0\x80\"}",           /* an encoded surrogate */
        "{" BASE ",\"text\":\"\xc0\xaf\"}",               /* an overlong form */
        "{" BASE ",\"text\":\"x\"} x",                    /* something after the object */
        "{" BASE ",\"text\":\"x\",\"colour\":\"red\"}",   /* an unknown field */
        "{" BASE ",\"text\":\"a\tb\"}",                   /* a control character */
        "{" BASE ",\"text\":\"\\x\"}",                    /* an unknown escape */
        "{" BASE ",\"text\":\"x\",\"own\":1}",            /* own not true or false */
        "{" BASE ",\"text\":\"x\",\"own\":\"true\"}",
        "{" BASE ",\"text\":5}",
        "{" BASE ",\"text\":null}",                       /* missing */
        "{" BASE ",\"text\":\"x\",\"author_name\":true}",
        "{" BASE ",\"text\":\"x\",\"id\":\"\"}",          /* a duplicate, and empty */
        "{" BASE ",\"text\":\"x\",}",                     /* a trailing comma */
        "{" BASE ",\"text\":\"x\"",                       /* no end */
        "{" BASE ",\"text\":\"x\",\"parent\":\"2\"}",     /* its own parent */
        "[1]",
        "{}",
    };
#undef BASE
    struct buf scratch = {0};
    for (size_t i = 0; i < sizeof taken / sizeof taken[0]; i++) {
        struct post_in p, q;
        char cp[ISOTIME_LEN], cq[ISOTIME_LEN];
        void *json = NULL;
        char *err = NULL;
        assert_int_equal(import_parse_line(taken[i], strlen(taken[i]), &p, cp, &json, &err), 0);
        assert_int_equal(import_parse_fast(taken[i], strlen(taken[i]), &q, cq, &scratch), 1);
        const char *a[] = {p.platform, p.account, p.thread, p.id, p.parent, p.author,
                           p.author_name, p.created_at, p.text, p.html, p.url, p.title};
        const char *b[] = {q.platform, q.account, q.thread, q.id, q.parent, q.author,
                           q.author_name, q.created_at, q.text, q.html, q.url, q.title};
        for (size_t f = 0; f < sizeof a / sizeof a[0]; f++) {
            if (a[f] == NULL)
                assert_null(b[f]);
            else
                assert_string_equal(a[f], b[f]);
        }
        assert_int_equal(p.own, q.own);
        assert_null(q.meta);
        json_decref(json);
    }
    for (size_t i = 0; i < sizeof left / sizeof left[0]; i++) {
        struct post_in q;
        char cq[ISOTIME_LEN];
        if (import_parse_fast(left[i], strlen(left[i]), &q, cq, &scratch) != 0)
            fail_msg("the fast reader took line %zu: %s", i, left[i]);
    }
    buf_free(&scratch);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_idempotent),
        cmocka_unit_test(test_fast_reader_agrees),
        cmocka_unit_test(test_update_reindexes),
        cmocka_unit_test(test_repeat_in_one_file_indexed_once),
        cmocka_unit_test(test_bad_line_rolls_back),
        cmocka_unit_test(test_oversized_content_shortened),
        cmocka_unit_test(test_times_and_summaries),
        cmocka_unit_test(test_export_roundtrip),
        cmocka_unit_test(test_export_roundtrip_keeps_meta),
        cmocka_unit_test(test_import_meta_checked),
        cmocka_unit_test(test_second_pass_with_and_without_memo),
    };
    return cmocka_run_group_tests_name("model_import", tests, NULL, NULL);
}
