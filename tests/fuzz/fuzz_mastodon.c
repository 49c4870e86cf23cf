/* Fuzzes the Mastodon adapter's reading of server answers (login, notification pages with
 * their Link headers, contexts, statuses, error bodies) through its real steps, and the
 * mapping of what it read into the cache (see fuzz_net.h for the input's form). */
#include "tests/fuzz/fuzz_net.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct fuzz_platform fp = {
        .platform = "mastodon",
        .url = "https://example.social",
        .root = "110000000000000001",
        .reply = {.outbox_id = 7, .root = "110000000000000001",
                  .in_reply_to = "110000000000000002", .parent_author = "@alice@other.example",
                  .parent_meta = "{\"visibility\":\"unlisted\"}", .body = "Thanks, we will look.",
                  .idempotency_key = "k-7", .created_at = "2026-01-01T00:00:00.000Z",
                  .claimed_at = "2026-01-01T00:00:05.000Z"},
    };
    return fuzz_net_run(&fp, data, size);
}
