/* A post's extras for display: its content warning, labels, media with their alt text, the
 * post it quotes and its link card, read from posts.meta (written by net/extras.c). Whatever
 * the cache holds (an import may carry any meta), what is read is bounded again here. */
#ifndef TACTFUL_EXTRAS_H
#define TACTFUL_EXTRAS_H

#include <jansson.h>
#include <stddef.h>

#define EXTRAS_SHOW_MEDIA 4      /* attachments listed; more are counted */
#define EXTRAS_SHOW_LABELS 8     /* labels listed */
#define EXTRAS_MAX_ALT 1000      /* characters of alt text shown */
#define EXTRAS_MAX_TEXT 500      /* characters of other text shown */

struct extras_media {
    char *type;          /* image, video, gifv, audio ... */
    char *alt;           /* NULL: no description */
    char *url;           /* NULL when unknown */
};

/* Every string is owned, NULL when absent. */
struct extras {
    char *cw;
    char *visibility;    /* Mastodon: public, unlisted, private, direct */
    char **labels;
    size_t nlabels;
    struct extras_media *media;
    size_t nmedia;
    long media_total;    /* attachments the post has, listed or not */
    int has_quote;
    char *quote_author, *quote_text, *quote_url, *quote_state;
    int has_card;
    char *card_title, *card_url, *card_description;
};

/* Reads meta (a JSON object as text, or NULL) into *x, bounded. Returns 1 when the post has
 * a warning, labels, media, a quote or a card to show, else 0; *x is filled either way and
 * is freed with extras_clear. */
int extras_read(const char *meta, struct extras *x);
void extras_clear(struct extras *x);

/* The extras as lines for people, one thing a line, every remote string sanitized onto its
 * line: "Labels: …", "Media 1/2, image: alt \"…\"" or ", no description", "Quoting @who: …"
 * with its URL, "Link: title · host" with its description and URL. Newly allocated, "" when
 * there is nothing to show. The warning is not among them: the post's text begins with it. */
char *extras_text(const struct extras *x);

/* The extras as JSON for --json: cw, labels, media [{type, alt, url}], media_total, quote
 * {author, text, url, state}, card {title, url, host, description}; null or [] when absent. */
json_t *extras_json(const struct extras *x);

/* A newly allocated copy of s cut to at most max code points, "…" ending a cut one; NULL for
 * NULL. */
char *extras_cut(const char *s, size_t max);

/* The host of url ("example.org" of "https://example.org/a"), newly allocated, or NULL. */
char *extras_url_host(const char *url);

#endif
