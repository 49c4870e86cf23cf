/* HTML to readable plain text, for Mastodon's status content and WordPress's rendered
 * comments: paragraphs become blank lines, <br> a line break, list items "- " lines, links
 * their text (or their address when the text is cut short), entities are decoded. Parsed
 * with libxml2's HTML parser, never with patterns. */
#ifndef TACTFUL_NET_HTML_H
#define TACTFUL_NET_HTML_H

#include <stddef.h>

#define HTML_MAX_INPUT (1024 * 1024)  /* longer input is cut here before parsing */
#define HTML_MAX_OUTPUT (256 * 1024)  /* the text is cut here */

/* Returns the plain text of the first len bytes of html (newly allocated, never NULL, valid
 * UTF-8 when the input is). Whitespace is collapsed as a browser would and there is none at
 * the start or end, except inside <pre>, which is kept as written. */
char *html_to_text(const char *html, size_t len);

#endif
