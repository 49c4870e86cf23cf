/* HTML to readable plain text, for Mastodon's status content and WordPress's rendered
 * comments: paragraphs become blank lines, <br> a line break, list items "- " lines, links
 * their text (or their address when the text is cut short), entities are decoded. Parsed
 * with libxml2's HTML parser, never with patterns. */
#ifndef TACTFUL_NET_HTML_H
#define TACTFUL_NET_HTML_H

#include "model/post.h"

#include <stddef.h>

/* Longer input is cut here before parsing; it is the most of a post's HTML the cache keeps,
 * so the post writer marks such a post shortened. */
#define HTML_MAX_INPUT POST_MAX_HTML
/* The text is cut here: one byte past what the cache keeps of a post's text, so that the post
 * writer sees a longer text as too long, and shortens and marks it (model/post.h), rather
 * than the text being cut here unseen. */
#define HTML_MAX_OUTPUT (POST_MAX_TEXT + 1)

/* Returns the plain text of the first len bytes of html (newly allocated, never NULL, valid
 * UTF-8 when the input is). Whitespace is collapsed as a browser would and there is none at
 * the start or end, except inside <pre>, which is kept as written. */
char *html_to_text(const char *html, size_t len);

#endif
