/* Unit tests for model/extras.c (a post's media, quote, card and labels read back from its
 * meta, bounded, and shown on their own lines), net/extras.c (the bounds the adapters write
 * under) and model/cw.c (the content warning a reply carries, in a real cache). */
#include "testutil.h"

#include "model/cw.h"
#include "model/draft.h"
#include "model/extras.h"
#include "net/extras.h"

#define ELL "\xE2\x80\xA6"

/* Code points in s. */
static size_t
code_points(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void
test_cut(void **state)
{
    (void)state;
    char *s = extras_cut("abcdef", 6);
    assert_string_equal(s, "abcdef");
    free(s);
    s = extras_cut("abcdefg", 6);
    assert_string_equal(s, "abcde" ELL);
    free(s);
    /* Never inside a character. */
    s = extras_cut("\xC3\xA9\xC3\xA9\xC3\xA9", 2);
    assert_string_equal(s, "\xC3\xA9" ELL);
    free(s);
    assert_null(extras_cut(NULL, 3));
}

static void
test_nothing_to_show(void **state)
{
    (void)state;
    struct extras x;
    assert_int_equal(extras_read(NULL, &x), 0);
    extras_clear(&x);
    assert_int_equal(extras_read("not json", &x), 0);
    extras_clear(&x);
    assert_int_equal(extras_read("{\"visibility\":\"direct\"}", &x), 0);
    assert_string_equal(x.visibility, "direct");
    char *text = extras_text(&x);
    assert_string_equal(text, "");
    free(text);
    extras_clear(&x);
    /* Wrong types are ignored, not trusted. */
    assert_int_equal(extras_read("{\"media\":[1,\"x\"],\"labels\":[2],\"quote\":3}", &x), 0);
    extras_clear(&x);
}

static void
test_text_lines(void **state)
{
    (void)state;
    struct extras x;
    const char *meta =
        "{\"cw\":\"Politics\",\"labels\":[\"nudity\",\"spam\"],"
        "\"media\":[{\"type\":\"image\",\"alt\":\"A bin\\nover\\u001b[2Jflowing\",\"url\":\"u\"},"
        "{\"type\":\"video\",\"alt\":null}],\"media_total\":3,"
        "\"quote\":{\"author\":\"@bob\",\"text\":\"look\\u202e here\",\"url\":\"https://q/1\"},"
        "\"card\":{\"title\":\"Bins\",\"url\":\"https://user:pw@news.example:8080/a?b\","
        "\"description\":\"d\"}}";
    assert_int_equal(extras_read(meta, &x), 1);
    char *text = extras_text(&x);
    assert_string_equal(text, "Labels: nudity, spam\n"
                              "Media 1/3, image: alt \"A bin over^[[2Jflowing\"\n"
                              "Media 2/3, video: no description\n"
                              ELL " and 1 more attachment\n"
                              "Quoting @bob: look<U+202E> here\n"
                              "  https://q/1\n"
                              "Link: Bins · news.example\n"
                              "  d\n"
                              "  https://user:pw@news.example:8080/a?b\n");
    free(text);
    json_t *j = extras_json(&x);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "card"), "host")),
                        "news.example");
    assert_true(json_is_null(json_object_get(json_array_get(json_object_get(j, "media"), 1),
                                             "alt")));
    json_decref(j);
    extras_clear(&x);
    assert_int_equal(extras_read("{\"quote\":{\"state\":\"deleted\"}}", &x), 1);
    text = extras_text(&x);
    assert_string_equal(text, "Quoting a post that cannot be shown: deleted\n");
    free(text);
    extras_clear(&x);
}

static void
test_read_bounds(void **state)
{
    (void)state;
    /* Ten attachments with 5,000-character alt texts: four listed, each alt cut. */
    json_t *meta = json_object(), *media = json_array();
    char *alt = xmalloc(5001);
    memset(alt, 'a', 5000);
    alt[5000] = '\0';
    for (int i = 0; i < 10; i++)
        json_array_append_new(media, json_pack("{s:s, s:s}", "type", "image", "alt", alt));
    json_object_set_new(meta, "media", media);
    char *s = json_dumps(meta, JSON_COMPACT);
    struct extras x;
    assert_int_equal(extras_read(s, &x), 1);
    assert_int_equal(x.nmedia, EXTRAS_SHOW_MEDIA);
    assert_int_equal(x.media_total, 10);
    assert_int_equal(code_points(x.media[0].alt), EXTRAS_MAX_ALT);
    extras_clear(&x);
    free(s);
    free(alt);
    json_decref(meta);
}

static void
test_net_bounds_and_fit(void **state)
{
    (void)state;
    json_t *meta = json_pack("{s:s}", "visibility", "private");
    char *big = xmalloc(3001);
    memset(big, 1, 3000); /* a control character: six bytes each as JSON */
    big[3000] = '\0';
    for (int i = 0; i < 6; i++)
        net_extras_media(meta, "image", big, "https://files.example/x");
    net_extras_media(meta, "image", "", NULL);
    for (int i = 0; i < 12; i++)
        net_extras_label(meta, i % 2 ? "same" : (i == 0 ? "first" : "other"));
    net_extras_cw(meta, "");
    net_extras_quote(meta, "@q", big, "https://q", NULL);
    net_extras_card(meta, NULL, NULL, "nothing to link to");
    assert_int_equal(json_array_size(json_object_get(meta, "media")), NET_EXTRAS_MEDIA);
    assert_int_equal(json_integer_value(json_object_get(meta, "media_total")), 7);
    assert_int_equal(json_array_size(json_object_get(meta, "labels")), 3);
    assert_null(json_object_get(meta, "cw"));
    assert_null(json_object_get(meta, "card"));
    const char *alt0 = json_string_value(
        json_object_get(json_array_get(json_object_get(meta, "media"), 0), "alt"));
    assert_int_equal(code_points(alt0), NET_EXTRAS_ALT);
    net_extras_fit(meta);
    char *s = json_dumps(meta, JSON_COMPACT);
    assert_true(strlen(s) <= NET_EXTRAS_BUDGET);
    assert_string_equal(json_string_value(json_object_get(meta, "visibility")), "private");
    assert_int_equal(json_array_size(json_object_get(meta, "media")), NET_EXTRAS_MEDIA);
    free(s);
    free(big);
    json_decref(meta);
}

static void
test_cw_split_and_carry(void **state)
{
    (void)state;
    char *cw;
    const char *rest;
    assert_int_equal(cw_split("CW: Politics \n\n\nHello", &cw, &rest), 1);
    assert_string_equal(cw, "Politics");
    assert_string_equal(rest, "Hello");
    free(cw);
    assert_int_equal(cw_split("cw:\nHello", &cw, &rest), 1);
    assert_string_equal(cw, "");
    assert_string_equal(rest, "Hello");
    free(cw);
    assert_int_equal(cw_split("Hello CW: x", &cw, &rest), 0);
    assert_null(cw);
    assert_string_equal(rest, "Hello CW: x");
    char *b = cw_carry("Bins", "Thanks");
    assert_string_equal(b, "CW: Bins\n\nThanks");
    free(b);
    assert_null(cw_carry("Bins", "CW: Mine\n\nThanks"));
    assert_null(cw_carry("", "Thanks"));
    assert_null(cw_carry(NULL, "Thanks"));
}

static void
test_draft_carries_the_cw(void **state)
{
    (void)state;
    struct tcache c;
    struct import_stats st;
    char *err = NULL;
    tcache_open(&c);
    assert_int_equal(tcache_import(&c, FIXTURE, &st, &err), 0);
    assert_int_equal(db_exec(c.db, "UPDATE posts SET meta = json_object('cw',"
                                   " 'Bins' || char(27) || '[2J' || char(10) || 'and'"
                                   " || char(0x202E) || ' more') WHERE remote_id = '100'",
                             &err),
                     0);
    long id;
    struct draft d;
    /* Answering the root (named or not): its warning, made one clean line, comes first. */
    assert_int_equal(draft_create(c.db, "sam", 1, NULL, NULL, "Thanks", &id, &err), 0);
    assert_int_equal(draft_get(c.db, id, &d, &err), 0);
    assert_string_equal(d.body, "CW: Bins[2J and more\n\nThanks");
    draft_clear(&d);
    assert_int_equal(draft_create(c.db, "sam", 1, "100", NULL, "CW: Mine\n\nHi", &id, &err), 0);
    assert_int_equal(draft_get(c.db, id, &d, &err), 0);
    assert_string_equal(d.body, "CW: Mine\n\nHi");
    draft_clear(&d);
    /* A post without one: the body as given. */
    assert_int_equal(draft_create(c.db, "sam", 1, "102", NULL, "Hello", &id, &err), 0);
    assert_int_equal(draft_get(c.db, id, &d, &err), 0);
    assert_string_equal(d.body, "Hello");
    draft_clear(&d);
    tcache_close(&c);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cut),
        cmocka_unit_test(test_nothing_to_show),
        cmocka_unit_test(test_text_lines),
        cmocka_unit_test(test_read_bounds),
        cmocka_unit_test(test_net_bounds_and_fit),
        cmocka_unit_test(test_cw_split_and_carry),
        cmocka_unit_test(test_draft_carries_the_cw),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
