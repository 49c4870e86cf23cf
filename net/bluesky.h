/* The Bluesky adapter (AT Protocol XRPC): an app-password session (createSession, refreshed
 * when it expires), mentions, replies and quotes from listNotifications, whole threads from
 * getPostThread, replies through createRecord with root and parent strong references, link
 * and mention facets (UTF-8 byte offsets), langs, the 300-grapheme limit, and a bsky.app URL
 * for every post. A reply's record key is derived from its outbox row, so an earlier attempt
 * is found with getRecord before any retry. */
#ifndef TACTFUL_NET_BLUESKY_H
#define TACTFUL_NET_BLUESKY_H

#include "net/adapter.h"

#include <stdint.h>


extern const struct net_adapter bluesky_adapter;

/* Writes the 13-character TID (timestamp identifier, base32-sortable) for micros since the
 * epoch and clock id to out. */
void bluesky_tid(uint64_t micros, unsigned clock_id, char out[14]);

/* The record key of the reply queued as outbox row id at created_at (stored UTC form). */
void bluesky_reply_rkey(long outbox_id, const char *created_at, char out[14]);

/* A post record's text with each link facet's range replaced by its full URI (the apps show
 * shortened link text). Newly allocated. */
char *bluesky_record_text(const json_t *record);

/* The @handle mentions in text (handles with a dot), as a JSON array of strings. */
json_t *bluesky_mentions(const char *text);

/* The facets for text, the text sent (model/platform.h: platform_send_text): a #link for each
 * of its links[0..nlinks) and a #mention for each @handle that dids (an object handle -> DID)
 * resolves. Byte offsets; NULL when there are none. */
json_t *bluesky_facets(const char *text, const json_t *dids, const struct platform_link *links,
                       size_t nlinks);

/* The bsky.app web address of at://DID/app.bsky.feed.post/RKEY by handle (newly allocated),
 * or NULL when uri is not a post URI. */
char *bluesky_web_url(const char *uri, const char *handle);

#endif
