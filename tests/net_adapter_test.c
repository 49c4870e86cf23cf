/* The adapters' pure parts: cursors, Bluesky's record keys, facets and links, the batch that
 * deduplicates posts, and the adapter table built from the platform table. (Lengths are
 * counted in model/, tested in tests/model_platform_test.c.) */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "model/xmalloc.h"
#include "net/adapter.h"
#include "net/bluesky.h"
#include "net/mastodon.h"
#include "net/wordpress.h"

#include <stdlib.h>
#include <string.h>

static void
test_cursors(void **state)
{
    (void)state;
    char *c = mastodon_cursor_make("109876543210");
    assert_string_equal(c, "{\"min_id\":\"109876543210\"}");
    char *id = mastodon_cursor_min_id(c);
    assert_string_equal(id, "109876543210");
    free(id);
    free(c);
    assert_null(mastodon_cursor_min_id(NULL));
    assert_null(mastodon_cursor_min_id("garbage"));
    assert_null(mastodon_cursor_min_id("{\"min_id\":\"1&max_id=2\"}")); /* never into a URL */
    assert_null(mastodon_cursor_min_id("{\"min_id\":5}"));

    char after[24];
    c = wordpress_cursor_make("2026-03-02T10:20:30Z");
    assert_int_equal(wordpress_cursor_after(c, after), 0);
    assert_string_equal(after, "2026-03-01T10:20:30"); /* a day back, no zone */
    free(c);
    assert_int_equal(wordpress_cursor_after(NULL, after), -1);
    assert_int_equal(wordpress_cursor_after("{\"newest\":\"yesterday\"}", after), -1);
}

static void
test_bluesky_tid_and_rkey(void **state)
{
    (void)state;
    char tid[14];
    bluesky_tid(0, 0, tid);
    assert_string_equal(tid, "2222222222222");
    bluesky_tid(1, 0, tid);
    assert_string_equal(tid, "2222222222322"); /* 1 << 10 */
    /* Later times sort later. */
    char a[14], b[14];
    bluesky_tid(1767225600000000ULL, 5, a);
    bluesky_tid(1767225600000001ULL, 5, b);
    assert_true(strcmp(a, b) < 0);
    assert_int_equal(strlen(a), 13);
    assert_true(strchr("234567abcdefghij", a[0]) != NULL);
    /* The reply key is the same on every attempt and differs between rows. */
    char k1[14], k2[14], k3[14];
    bluesky_reply_rkey(42, "2026-01-01T00:00:00Z", k1);
    bluesky_reply_rkey(42, "2026-01-01T00:00:00Z", k2);
    bluesky_reply_rkey(43, "2026-01-01T00:00:00Z", k3);
    assert_string_equal(k1, k2);
    assert_string_not_equal(k1, k3);
}

static void
test_bluesky_text_and_links(void **state)
{
    (void)state;
    json_t *rec = json_loads(
        "{\"text\":\"Grüße see example.org/lon... and https://x.example/a\",\"facets\":["
        "{\"index\":{\"byteStart\":12,\"byteEnd\":30},\"features\":[{\"$type\":"
        "\"app.bsky.richtext.facet#link\",\"uri\":\"https://example.org/long/path\"}]},"
        "{\"index\":{\"byteStart\":35,\"byteEnd\":54},\"features\":[{\"$type\":"
        "\"app.bsky.richtext.facet#link\",\"uri\":\"https://x.example/a\"}]},"
        "{\"index\":{\"byteStart\":2,\"byteEnd\":200},\"features\":[{\"$type\":"
        "\"app.bsky.richtext.facet#link\",\"uri\":\"https://bad\"}]}]}",
        0, NULL);
    assert_non_null(rec);
    char *t = bluesky_record_text(rec);
    assert_string_equal(t, "Grüße see https://example.org/long/path and https://x.example/a");
    free(t);
    json_decref(rec);

    char *u = bluesky_web_url("at://did:plc:abc/app.bsky.feed.post/3k2a", "alice.test");
    assert_string_equal(u, "https://bsky.app/profile/alice.test/post/3k2a");
    free(u);
    u = bluesky_web_url("at://did:plc:abc/app.bsky.feed.post/3k2a", "handle.invalid");
    assert_string_equal(u, "https://bsky.app/profile/did:plc:abc/post/3k2a");
    free(u);
    assert_null(bluesky_web_url("at://did:plc:abc/app.bsky.feed.like/3k2a", "a"));
    assert_null(bluesky_web_url("https://example.org", "a"));
}

/* The facets of a reply as sent: its links in the short form Bluesky's app shows, each with a
 * link facet to the whole address, and a mention facet for each handle resolved. */
static void
test_bluesky_facets(void **state)
{
    (void)state;
    const char *body = "Hi @bob.test, café: https://council.example/bins/collections-and-"
                       "recycling. (@nobody) @x.y https://x.example/a";
    json_t *m = bluesky_mentions(body);
    assert_int_equal(json_array_size(m), 2);
    assert_string_equal(json_string_value(json_array_get(m, 0)), "bob.test");
    assert_string_equal(json_string_value(json_array_get(m, 1)), "x.y");
    json_decref(m);
    struct platform_link *links;
    size_t nlinks;
    char *text = platform_send_text(platform_find("bluesky"), body, strlen(body), &links,
                                    &nlinks);
    assert_string_equal(text, "Hi @bob.test, café: council.example/bins/collect.... (@nobody) "
                              "@x.y x.example/a");
    assert_int_equal(nlinks, 2);
    json_t *dids = json_pack("{s:s}", "bob.test", "did:plc:bob");
    json_t *f = bluesky_facets(text, dids, links, nlinks);
    assert_int_equal(json_array_size(f), 3);
    json_t *f0 = json_array_get(f, 0), *f1 = json_array_get(f, 1), *f2 = json_array_get(f, 2);
    /* Byte offsets: "Hi " is 3 bytes; "é" is two. */
    assert_int_equal(json_integer_value(json_object_get(json_object_get(f0, "index"),
                                                        "byteStart")), 3);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(f0, "index"),
                                                        "byteEnd")), 12);
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(f0, "features"), 0), "did")),
                        "did:plc:bob");
    size_t start = (size_t)(strstr(text, "council.example") - text);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(f1, "index"),
                                                        "byteStart")), (json_int_t)start);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(f1, "index"),
                                                        "byteEnd")),
                     (json_int_t)(start + strlen("council.example/bins/collect...")));
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(f1, "features"), 0), "uri")),
                        "https://council.example/bins/collections-and-recycling");
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(f2, "features"), 0), "uri")),
                        "https://x.example/a");
    /* Read back, the record gives the reply as written. */
    json_t *record = json_pack("{s:s, s:o}", "text", text, "facets", f);
    char *back = bluesky_record_text(record);
    assert_string_equal(back, body);
    free(back);
    json_decref(record);
    platform_links_free(links, nlinks);
    free(text);
    json_decref(dids);
    assert_null(bluesky_facets("nothing to link here", NULL, NULL, 0));
}

static void
test_batch(void **state)
{
    (void)state;
    struct net_batch b = {0};
    for (int i = 0; i < 1000; i++) {
        struct net_post p = {.id = xasprintf("id%d", i % 700), .thread = xstrdup("t"),
                             .text = xasprintf("v%d", i)};
        assert_int_equal(net_batch_add(&b, &p), 0);
        assert_null(p.id); /* taken */
    }
    assert_int_equal(b.n, 700);
    const struct net_post *p = net_batch_find(&b, "id5");
    assert_non_null(p);
    assert_string_equal(p->text, "v705"); /* the later copy won */
    assert_null(net_batch_find(&b, "id700"));
    net_batch_clear(&b);
    assert_null(net_batch_find(&b, "id5"));
}

static void
test_helpers(void **state)
{
    (void)state;
    char out[24];
    assert_int_equal(net_time("2024-05-01T10:20:30", out), 0);
    assert_string_equal(out, "2024-05-01T10:20:30Z");
    assert_int_equal(net_time("2019-11-23T07:49:01.940Z", out), 0);
    assert_string_equal(out, "2019-11-23T07:49:01Z");
    assert_int_equal(net_time("2026-01-01T01:00:00+01:00", out), 0);
    assert_string_equal(out, "2026-01-01T00:00:00Z");
    assert_int_equal(net_time("soon", out), -1);
    assert_int_equal(net_time("9999-12-31T23:59:59-23:59", out), -1); /* year 10000 in UTC */
    assert_int_equal(net_time("9999-12-31T23:59:59.999-00:01", out), -1);
    assert_int_equal(net_id_cmp("99", "100"), -1);
    assert_int_equal(net_id_cmp("109", "108"), 1);
    assert_true(net_id_safe("at:did.x-1_~"));
    assert_false(net_id_safe("1/../2"));
    assert_false(net_id_safe("1&x=2"));
    assert_false(net_id_safe(""));
    assert_null(net_adapter_find("twitter"));
    /* Every platform in the table has its adapter, under the same name. */
    for (size_t i = 0; platform_at(i); i++) {
        const struct net_adapter *ad = net_adapter_find(platform_at(i)->name);
        assert_non_null(ad);
        assert_string_equal(ad->platform, platform_at(i)->name);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cursors),
        cmocka_unit_test(test_bluesky_tid_and_rkey),
        cmocka_unit_test(test_bluesky_text_and_links),
        cmocka_unit_test(test_bluesky_facets),
        cmocka_unit_test(test_batch),
        cmocka_unit_test(test_helpers),
    };
    return cmocka_run_group_tests_name("net_adapter", tests, NULL, NULL);
}
