/* The platform table, built from model/platform_list.h, and the lookups on it. */
#include "model/platform.h"

#include "model/xmalloc.h"

#include <string.h>

#define PLATFORM(id, ...) {.name = #id, __VA_ARGS__},
static const struct platform platforms[] = {
#include "model/platform_list.h"
};
#undef PLATFORM

#define NPLATFORMS (sizeof platforms / sizeof platforms[0])

const struct platform *
platform_find(const char *name)
{
    for (size_t i = 0; name && i < NPLATFORMS; i++)
        if (strcmp(platforms[i].name, name) == 0)
            return &platforms[i];
    return NULL;
}

const struct platform *
platform_at(size_t i)
{
    return i < NPLATFORMS ? &platforms[i] : NULL;
}

char *
platform_names(const char *last)
{
    struct buf b = {0};
    for (size_t i = 0; i < NPLATFORMS; i++) {
        if (i > 0)
            buf_adds(&b, i + 1 == NPLATFORMS ? last : ", ");
        buf_adds(&b, platforms[i].name);
    }
    return buf_take(&b);
}

const char *
platform_short_name(const char *name)
{
    const struct platform *p = platform_find(name);
    return p ? p->short_name : name;
}
