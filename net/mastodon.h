/* The Mastodon adapter: mentions from notifications (Link-header paging, a min_id cursor),
 * whole threads from statuses/:id/context, replies with in_reply_to_id, the parent's
 * visibility (never wider) and an Idempotency-Key from the outbox row. */
#ifndef TACTFUL_NET_MASTODON_H
#define TACTFUL_NET_MASTODON_H

#include "net/adapter.h"

extern const struct net_adapter mastodon_adapter;

/* The newest notification id a cursor holds (newly allocated), or NULL for none or a cursor
 * this version does not understand. */
char *mastodon_cursor_min_id(const char *cursor);

/* The cursor for newest notification id min_id (newly allocated). */
char *mastodon_cursor_make(const char *min_id);

#endif
