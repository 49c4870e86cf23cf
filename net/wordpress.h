/* The WordPress adapter (REST API): comments on the site's posts (per_page=100,
 * X-WP-TotalPages, an `after` cursor with an overlap window), nesting through `parent`, post
 * titles as thread titles, replies as an Application Password user. Works with pretty
 * permalinks (/wp-json/) and without (?rest_route=). Thread roots are "post-ID"; comments
 * keep their numeric id. */
#ifndef TACTFUL_NET_WORDPRESS_H
#define TACTFUL_NET_WORDPRESS_H

#include "net/adapter.h"

extern const struct net_adapter wordpress_adapter;

/* The `after` value to ask for, given the newest comment date a cursor holds (stored UTC
 * form): a day earlier, because WordPress compares it with the site's local time. Writes
 * "YYYY-MM-DDTHH:MM:SS" to out; returns 0, or -1 for no usable cursor. */
int wordpress_cursor_after(const char *cursor, char out[24]);

/* The cursor for newest comment date date (stored UTC form). Newly allocated. */
char *wordpress_cursor_make(const char *date);

#endif
