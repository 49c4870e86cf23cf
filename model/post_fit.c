/* The post writer's one policy for what does not fit the cache's limits (model/post.h):
 * an identifier that is too long refuses the post, content that is too long is shortened and
 * the post marked. Imports and syncs both go through it. */
#include "model/post.h"

#include "model/xmalloc.h"

#include <stdlib.h>
#include <string.h>

/* The identifiers: a cut one would name another post, so a post with one too long is
 * refused. */
static const struct {
    const char *name;
    size_t offset;
    size_t max;
} id_fields[] = {
    {"platform", offsetof(struct post_in, platform), POST_MAX_PLATFORM},
    {"account", offsetof(struct post_in, account), POST_MAX_NAME},
    {"thread", offsetof(struct post_in, thread), POST_MAX_ID},
    {"id", offsetof(struct post_in, id), POST_MAX_ID},
    {"parent", offsetof(struct post_in, parent), POST_MAX_ID},
    {"author", offsetof(struct post_in, author), POST_MAX_NAME},
    {"created_at", offsetof(struct post_in, created_at), POST_MAX_TIME},
};

/* The content: text is cut on a UTF-8 boundary; a link or the JSON extras cannot be cut, so
 * an over-long one is left out (cut = 0). */
static const struct {
    size_t offset;
    size_t max;
    int cut;
} content_fields[] = {
    {offsetof(struct post_in, author_name), POST_MAX_NAME, 1},
    {offsetof(struct post_in, text), POST_MAX_TEXT, 1},
    {offsetof(struct post_in, html), POST_MAX_HTML, 1},
    {offsetof(struct post_in, title), POST_MAX_NAME, 1},
    {offsetof(struct post_in, url), POST_MAX_URL, 0},
    {offsetof(struct post_in, meta), POST_MAX_META, 0},
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

_Static_assert(NELEM(content_fields) == POST_FIT_FIELDS, "POST_FIT_FIELDS is out of date");

/* The string field at offset in p. */
static const char **
field(const struct post_in *p, size_t offset)
{
    return (const char **)((char *)p + offset);
}

int
post_check(const struct post_in *p, char **err)
{
    for (size_t i = 0; i < NELEM(id_fields); i++) {
        const char *v = *field(p, id_fields[i].offset);
        size_t len = v ? strlen(v) : 0;
        if (len > id_fields[i].max) {
            *err = xasprintf("\"%s\" is %zu bytes, more than the %zu allowed", id_fields[i].name,
                             len, id_fields[i].max);
            return -1;
        }
    }
    return 0;
}

int
post_fit(const struct post_in *p, struct post_in *out, char *owned[POST_FIT_FIELDS])
{
    *out = *p;
    int shortened = 0;
    for (size_t i = 0; i < NELEM(content_fields); i++) {
        owned[i] = NULL;
        const char **slot = field(out, content_fields[i].offset);
        if (*slot == NULL || strlen(*slot) <= content_fields[i].max)
            continue;
        shortened = 1;
        if (!content_fields[i].cut) {
            *slot = NULL;
            continue;
        }
        size_t max = content_fields[i].max;
        while (max > 0 && ((unsigned char)(*slot)[max] & 0xC0) == 0x80)
            max--;
        *slot = owned[i] = xstrndup(*slot, max);
    }
    return shortened;
}

void
post_fit_free(char *owned[POST_FIT_FIELDS])
{
    for (size_t i = 0; i < NELEM(content_fields); i++)
        free(owned[i]);
}
