/* Fuzzes the Bluesky adapter's reading of server answers (createSession, listNotifications
 * pages and cursors, getPostThread, getRecord, resolveHandle, createRecord, XRPC errors)
 * through its real steps, and the mapping of what it read into the cache (see fuzz_net.h). */
#include "tests/fuzz/fuzz_net.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct fuzz_platform fp = {
        .platform = "bluesky",
        .url = "https://pds.example",
        .user = "council.example",
        .root = "at://did:plc:alice/app.bsky.feed.post/3kroot",
        .reply = {.outbox_id = 7, .root = "at://did:plc:alice/app.bsky.feed.post/3kroot",
                  .in_reply_to = "at://did:plc:bob/app.bsky.feed.post/3kparent",
                  .parent_author = "@bob.example",
                  .parent_meta = "{\"cid\":\"bafyparent\",\"root\":{\"uri\":\"at://did:plc:"
                                 "alice/app.bsky.feed.post/3kroot\",\"cid\":\"bafyroot\"}}",
                  .body = "Thanks @bob.example, see https://example.gov/help",
                  .idempotency_key = "k-7", .created_at = "2026-01-01T00:00:00.000Z",
                  .claimed_at = "2026-01-01T00:00:05.000Z"},
    };
    return fuzz_net_run(&fp, data, size);
}
