/* Bounded extras in a post's meta object: see net/extras.h. */
#include "net/extras.h"

#include "model/extras.h"
#include "model/xmalloc.h"

#include <stdlib.h>
#include <string.h>

#define FIT_ROUNDS 8

/* The extras' keys in meta, which net_extras_fit may shorten or drop. */
static const char *const extras_keys[] = {"cw", "labels", "media", "media_total", "quote",
                                          "card"};

/* Code points in s. */
static size_t
code_points(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* Sets key of obj to s cut to max code points; NULL sets nothing, or null when nullable. */
static void
set_cut(json_t *obj, const char *key, const char *s, size_t max, int nullable)
{
    if (s == NULL) {
        if (nullable)
            json_object_set_new(obj, key, json_null());
        return;
    }
    char *cut = extras_cut(s, max);
    json_object_set_new(obj, key, json_string(cut));
    free(cut);
}

void
net_extras_cw(json_t *meta, const char *cw)
{
    if (cw && *cw)
        set_cut(meta, "cw", cw, NET_EXTRAS_TEXT, 0);
}

void
net_extras_label(json_t *meta, const char *label)
{
    if (label == NULL || *label == '\0')
        return;
    json_t *labels = json_object_get(meta, "labels");
    if (labels == NULL) {
        labels = json_array();
        json_object_set_new(meta, "labels", labels);
    }
    size_t i;
    json_t *v;
    json_array_foreach(labels, i, v) if (strcmp(json_string_value(v), label) == 0) return;
    if (json_array_size(labels) >= NET_EXTRAS_LABELS)
        return;
    char *cut = extras_cut(label, NET_EXTRAS_SHORT);
    json_array_append_new(labels, json_string(cut));
    free(cut);
}

void
net_extras_media(json_t *meta, const char *type, const char *alt, const char *url)
{
    json_t *media = json_object_get(meta, "media");
    if (media == NULL) {
        media = json_array();
        json_object_set_new(meta, "media", media);
    }
    json_int_t total = json_integer_value(json_object_get(meta, "media_total"));
    if (total == 0)
        total = (json_int_t)json_array_size(media);
    total++;
    if (json_array_size(media) < NET_EXTRAS_MEDIA) {
        json_t *m = json_object();
        set_cut(m, "type", type ? type : "attachment", NET_EXTRAS_SHORT, 0);
        set_cut(m, "alt", alt && *alt ? alt : NULL, NET_EXTRAS_ALT, 1);
        set_cut(m, "url", url, NET_EXTRAS_URL, 0);
        json_array_append_new(media, m);
    }
    if (total > (json_int_t)json_array_size(media))
        json_object_set_new(meta, "media_total", json_integer(total));
}

void
net_extras_quote(json_t *meta, const char *author, const char *text, const char *url,
                 const char *state)
{
    json_t *q = json_object();
    set_cut(q, "author", author, NET_EXTRAS_SHORT, 0);
    set_cut(q, "text", text, NET_EXTRAS_TEXT, 0);
    set_cut(q, "url", url, NET_EXTRAS_URL, 0);
    set_cut(q, "state", state, NET_EXTRAS_SHORT, 0);
    json_object_set_new(meta, "quote", q);
}

void
net_extras_card(json_t *meta, const char *title, const char *url, const char *description)
{
    if (title == NULL && url == NULL)
        return;
    json_t *c = json_object();
    set_cut(c, "title", title, NET_EXTRAS_SHORT, 0);
    set_cut(c, "url", url, NET_EXTRAS_URL, 0);
    set_cut(c, "description", description, NET_EXTRAS_TEXT, 0);
    json_object_set_new(meta, "card", c);
}

/* Bytes s takes as a JSON string, quotes included: a control character escapes to six. */
static size_t
string_size(const char *s)
{
    size_t n = 2;
    for (; *s; s++)
        n += (unsigned char)*s < 0x20 ? 6 : (*s == '"' || *s == '\\') ? 2 : 1;
    return n;
}

/* Bytes v takes at most as compact JSON: counted rather than written out, since escaping a
 * hostile string costs far more than counting it. */
static size_t
dumped_size(const json_t *v)
{
    size_t n = 2, i;
    const char *k;
    json_t *e;
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        json_object_foreach((json_t *)v, k, e) n += string_size(k) + 2 + dumped_size(e);
        return n;
    case JSON_ARRAY:
        json_array_foreach(v, i, e) n += 1 + dumped_size(e);
        return n;
    case JSON_STRING:
        return string_size(json_string_value(v));
    default:
        return 32; /* a number, true, false or null */
    }
}

/* Halves every string under v (an extra's value), in place. */
static void
halve(json_t *v)
{
    if (json_is_string(v)) {
        char *cut = extras_cut(json_string_value(v), code_points(json_string_value(v)) / 2);
        json_string_set(v, cut);
        free(cut);
        return;
    }
    size_t i;
    const char *k;
    json_t *e;
    if (json_is_array(v))
        json_array_foreach(v, i, e) halve(e);
    else if (json_is_object(v))
        json_object_foreach(v, k, e) halve(e);
}

void
net_extras_fit(json_t *meta)
{
    size_t nkeys = sizeof extras_keys / sizeof extras_keys[0];
    for (int round = 0; round < FIT_ROUNDS; round++) {
        if (dumped_size(meta) <= NET_EXTRAS_BUDGET)
            return;
        for (size_t k = 0; k < nkeys; k++)
            halve(json_object_get(meta, extras_keys[k]));
    }
    if (dumped_size(meta) <= NET_EXTRAS_BUDGET)
        return;
    for (size_t k = 0; k < nkeys; k++)
        json_object_del(meta, extras_keys[k]);
}
