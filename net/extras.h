/* What a post carries besides its text, as the adapters read it: a content warning, labels,
 * media with their alt text, a quoted post and a link card. The adapters put them into the
 * post's meta object (see posts.meta) through these functions, which bound every string and
 * count, so that a hostile server cannot make the meta too big to keep (model/post.h) and lose
 * the visibility that rides with it. model/extras.h reads them back for display. */
#ifndef TACTFUL_NET_EXTRAS_H
#define TACTFUL_NET_EXTRAS_H

#include <jansson.h>

#define NET_EXTRAS_MEDIA 4        /* attachments kept; more are counted (media_total) */
#define NET_EXTRAS_LABELS 8       /* labels kept */
#define NET_EXTRAS_ALT 1000       /* characters of alt text kept */
#define NET_EXTRAS_TEXT 500       /* characters of a warning, quote or card text kept */
#define NET_EXTRAS_SHORT 200      /* characters of a type, label, author or title kept */
#define NET_EXTRAS_URL 1000       /* characters of a URL kept */
#define NET_EXTRAS_BUDGET (12 * 1024) /* bytes the whole meta object may take as JSON */

/* Sets meta's content warning ("cw"); NULL or empty sets nothing. */
void net_extras_cw(json_t *meta, const char *cw);

/* Adds a label ("labels"), once each. */
void net_extras_label(json_t *meta, const char *label);

/* Adds an attachment ("media": type, alt or null, url); past NET_EXTRAS_MEDIA it is only
 * counted ("media_total"). */
void net_extras_media(json_t *meta, const char *type, const char *alt, const char *url);

/* Sets the quoted post ("quote": author, text, url; state when it cannot be shown, such as
 * "deleted" or "blocked"). */
void net_extras_quote(json_t *meta, const char *author, const char *text, const char *url,
                      const char *state);

/* Sets the link card ("card": title, url, description). */
void net_extras_card(json_t *meta, const char *title, const char *url, const char *description);

/* Shortens the extras until meta as compact JSON fits NET_EXTRAS_BUDGET bytes (escapes can
 * make a bounded string six times its size), then drops them if it still does not. */
void net_extras_fit(json_t *meta);

#endif
