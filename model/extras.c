/* A post's extras for display: see model/extras.h. */
#include "model/extras.h"

#include "model/text.h"
#include "model/xmalloc.h"

#include <stdlib.h>
#include <string.h>

#define EXTRAS_MAX_SHORT 200     /* characters of a type, label, author or title shown */
#define EXTRAS_MAX_URL 1000      /* characters of a URL shown */

char *
extras_cut(const char *s, size_t max)
{
    if (s == NULL)
        return NULL;
    size_t n = 0, i = 0;
    for (; s[i]; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80 && n++ == max)
            break;
    if (s[i] == '\0')
        return xstrdup(s);
    /* Cut one code point earlier, to make room for the ellipsis. */
    while (i > 0 && max > 0) {
        i--;
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            break;
    }
    return xasprintf("%.*s…", (int)i, s);
}

/* A bounded copy of obj's string key, or NULL. */
static char *
get(const json_t *obj, const char *key, size_t max)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s && *s ? extras_cut(s, max) : NULL;
}

int
extras_read(const char *meta, struct extras *x)
{
    memset(x, 0, sizeof *x);
    json_t *j = meta ? json_loads(meta, 0, NULL) : NULL;
    if (!json_is_object(j)) {
        json_decref(j);
        return 0;
    }
    x->cw = get(j, "cw", EXTRAS_MAX_TEXT);
    x->visibility = get(j, "visibility", EXTRAS_MAX_SHORT);
    const json_t *labels = json_object_get(j, "labels");
    size_t i;
    json_t *v;
    json_array_foreach(labels, i, v) {
        if (x->nlabels == EXTRAS_SHOW_LABELS)
            break;
        const char *s = json_string_value(v);
        if (s == NULL || *s == '\0')
            continue;
        x->labels = xreallocarray(x->labels, x->nlabels + 1, sizeof *x->labels);
        x->labels[x->nlabels++] = extras_cut(s, EXTRAS_MAX_SHORT);
    }
    const json_t *media = json_object_get(j, "media");
    json_array_foreach(media, i, v) {
        if (!json_is_object(v))
            continue;
        x->media_total++;
        if (x->nmedia == EXTRAS_SHOW_MEDIA)
            continue;
        x->media = xreallocarray(x->media, x->nmedia + 1, sizeof *x->media);
        struct extras_media *m = &x->media[x->nmedia++];
        m->type = get(v, "type", EXTRAS_MAX_SHORT);
        m->alt = get(v, "alt", EXTRAS_MAX_ALT);
        m->url = get(v, "url", EXTRAS_MAX_URL);
    }
    json_int_t total = json_integer_value(json_object_get(j, "media_total"));
    if (total > x->media_total && total < 1000000)
        x->media_total = (long)total;
    const json_t *q = json_object_get(j, "quote");
    if (json_is_object(q)) {
        x->has_quote = 1;
        x->quote_author = get(q, "author", EXTRAS_MAX_SHORT);
        x->quote_text = get(q, "text", EXTRAS_MAX_TEXT);
        x->quote_url = get(q, "url", EXTRAS_MAX_URL);
        x->quote_state = get(q, "state", EXTRAS_MAX_SHORT);
    }
    const json_t *c = json_object_get(j, "card");
    if (json_is_object(c)) {
        x->has_card = 1;
        x->card_title = get(c, "title", EXTRAS_MAX_SHORT);
        x->card_url = get(c, "url", EXTRAS_MAX_URL);
        x->card_description = get(c, "description", EXTRAS_MAX_TEXT);
    }
    json_decref(j);
    return x->cw || x->nlabels || x->media_total || x->has_quote || x->has_card;
}

void
extras_clear(struct extras *x)
{
    free(x->cw);
    free(x->visibility);
    for (size_t i = 0; i < x->nlabels; i++)
        free(x->labels[i]);
    free(x->labels);
    for (size_t i = 0; i < x->nmedia; i++) {
        free(x->media[i].type);
        free(x->media[i].alt);
        free(x->media[i].url);
    }
    free(x->media);
    free(x->quote_author);
    free(x->quote_text);
    free(x->quote_url);
    free(x->quote_state);
    free(x->card_title);
    free(x->card_url);
    free(x->card_description);
    memset(x, 0, sizeof *x);
}

char *
extras_url_host(const char *url)
{
    const char *s = url ? strstr(url, "://") : NULL;
    if (s == NULL)
        return NULL;
    s += 3;
    size_t n = strcspn(s, "/?#");
    const char *at = memchr(s, '@', n); /* user:password@host */
    if (at) {
        n -= (size_t)(at + 1 - s);
        s = at + 1;
    }
    size_t port = n;
    for (size_t i = n; i > 0 && s[i - 1] != ']'; i--)
        if (s[i - 1] == ':') {
            port = i - 1;
            break;
        }
    return port ? xstrndup(s, port) : NULL;
}

/* Appends s sanitized onto one line. */
static void
add_safe(struct buf *b, const char *s)
{
    char *safe = text_sanitize(s, strlen(s), 0);
    buf_adds(b, safe);
    free(safe);
}

/* Appends a line: prefix (ours, safe) then s sanitized, then a newline. */
static void
add_line(struct buf *b, const char *prefix, const char *s)
{
    buf_adds(b, prefix);
    if (s)
        add_safe(b, s);
    buf_addc(b, '\n');
}

char *
extras_text(const struct extras *x)
{
    struct buf b = {0};
    if (x->nlabels) {
        buf_adds(&b, "Labels: ");
        for (size_t i = 0; i < x->nlabels; i++) {
            buf_adds(&b, i ? ", " : "");
            add_safe(&b, x->labels[i]);
        }
        buf_addc(&b, '\n');
    }
    for (size_t i = 0; i < x->nmedia; i++) {
        const struct extras_media *m = &x->media[i];
        buf_printf(&b, "Media %zu/%ld, ", i + 1, x->media_total);
        add_safe(&b, m->type ? m->type : "attachment");
        if (m->alt) {
            buf_adds(&b, ": alt \"");
            add_safe(&b, m->alt);
            buf_adds(&b, "\"\n");
        } else {
            buf_adds(&b, ": no description\n");
        }
    }
    if (x->media_total > (long)x->nmedia)
        buf_printf(&b, "… and %ld more attachment%s\n", x->media_total - (long)x->nmedia,
                   x->media_total - (long)x->nmedia == 1 ? "" : "s");
    if (x->has_quote) {
        if (x->quote_state && !x->quote_text && !x->quote_author) {
            add_line(&b, "Quoting a post that cannot be shown: ", x->quote_state);
        } else {
            buf_adds(&b, "Quoting ");
            add_safe(&b, x->quote_author ? x->quote_author : "a post");
            add_line(&b, ": ", x->quote_text ? x->quote_text : "(no text)");
        }
        if (x->quote_url)
            add_line(&b, "  ", x->quote_url);
    }
    if (x->has_card) {
        char *host = extras_url_host(x->card_url);
        buf_adds(&b, "Link: ");
        add_safe(&b, x->card_title ? x->card_title : "(no title)");
        if (host) {
            buf_adds(&b, " · ");
            add_safe(&b, host);
        }
        buf_addc(&b, '\n');
        free(host);
        if (x->card_description)
            add_line(&b, "  ", x->card_description);
        if (x->card_url)
            add_line(&b, "  ", x->card_url);
    }
    if (b.data == NULL)
        return xstrdup("");
    return buf_take(&b);
}

/* A JSON string of s, or null. */
static json_t *
str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

json_t *
extras_json(const struct extras *x)
{
    json_t *o = json_object();
    json_object_set_new(o, "cw", str_or_null(x->cw));
    json_t *labels = json_array(), *media = json_array();
    for (size_t i = 0; i < x->nlabels; i++)
        json_array_append_new(labels, json_string(x->labels[i]));
    for (size_t i = 0; i < x->nmedia; i++)
        json_array_append_new(media, json_pack("{s:o, s:o, s:o}", "type",
                                               str_or_null(x->media[i].type), "alt",
                                               str_or_null(x->media[i].alt), "url",
                                               str_or_null(x->media[i].url)));
    json_object_set_new(o, "labels", labels);
    json_object_set_new(o, "media", media);
    json_object_set_new(o, "media_total", json_integer(x->media_total));
    json_object_set_new(o, "quote",
                        x->has_quote ? json_pack("{s:o, s:o, s:o, s:o}", "author",
                                                 str_or_null(x->quote_author), "text",
                                                 str_or_null(x->quote_text), "url",
                                                 str_or_null(x->quote_url), "state",
                                                 str_or_null(x->quote_state))
                                     : json_null());
    char *host = extras_url_host(x->card_url);
    json_object_set_new(o, "card",
                        x->has_card ? json_pack("{s:o, s:o, s:o, s:o}", "title",
                                                str_or_null(x->card_title), "url",
                                                str_or_null(x->card_url), "host",
                                                str_or_null(host), "description",
                                                str_or_null(x->card_description))
                                    : json_null());
    free(host);
    return o;
}
