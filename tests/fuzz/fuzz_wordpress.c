/* Fuzzes the WordPress adapter's reading of server answers (the REST index, users/me, comment
 * pages with X-WP-TotalPages, posts, users, sent comments, error bodies) through its real
 * steps, and the mapping of what it read into the cache (see fuzz_net.h). */
#include "tests/fuzz/fuzz_net.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct fuzz_platform fp = {
        .platform = "wordpress",
        .url = "https://blog.example",
        .user = "editor",
        .root = "post-12",
        .reply = {.outbox_id = 7, .root = "post-12", .in_reply_to = "345",
                  .parent_author = "Alice", .parent_meta = "{\"post\":\"12\"}",
                  .body = "Thanks, we will look.", .idempotency_key = "k-7",
                  .created_at = "2026-01-01T00:00:00.000Z",
                  .claimed_at = "2026-01-01T00:00:05.000Z"},
    };
    return fuzz_net_run(&fp, data, size);
}
