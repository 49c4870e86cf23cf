/* Every platform tactful knows, one entry each, in the order they are listed to users:
 *
 *     PLATFORM(id, designated initializers of struct platform (model/platform.h))
 *
 * id is the name used in the configuration, in posts and in queries, and names the platform's
 * adapter, id_adapter, defined in net/id.c. A new platform is this one entry and that one
 * file: the configuration, the guardrails' length checks, imports, searches, the inbox and
 * sync all read this list. No include guard: each reader defines PLATFORM and includes it. */

PLATFORM(mastodon,
         .label = "Mastodon", .short_name = "mast", .user = NULL,
         .counting = PLATFORM_COUNT_MASTODON, .max_chars = 500, .url_chars = 23,
         .help = "mentions with their threads; a link counts 23 characters, @user@domain "
                 "counts as @user; the instance may set another limit")
PLATFORM(bluesky,
         .label = "Bluesky", .short_name = "bsky", .user = "the Bluesky handle",
         .counting = PLATFORM_COUNT_BLUESKY, .max_chars = 300, .max_bytes = 3000,
         .help = "mentions, replies and quotes with their threads; 300 characters and 3000 "
                 "bytes, a link sent and counted in the short form the Bluesky app shows")
PLATFORM(wordpress,
         .label = "WordPress", .short_name = "wp", .user = "the WordPress user name",
         .counting = PLATFORM_COUNT_GRAPHEMES, .max_chars = 65525,
         .help = "approved comments on the site's posts; comments are practically unlimited")

#ifdef TACTFUL_PLATFORM_EXTRA
/* A build with one more entry (tests/platform_fake_test.c proves a new platform is one entry
 * and one file). */
#include TACTFUL_PLATFORM_EXTRA
#endif
