/* The platforms tactful knows, read from one table (model/platform_list.h): their names, how a
 * reply's length is counted there and its limits, and what an account's user = means. The
 * configuration, the guardrails, imports, searches, the inbox and the adapters ask here. */
#ifndef TACTFUL_PLATFORM_H
#define TACTFUL_PLATFORM_H

#include <stddef.h>

/* How a platform counts a post's length. All count user-perceived characters (grapheme
 * clusters), without the blank space around the text, which the platforms strip. */
enum platform_counting {
    PLATFORM_COUNT_GRAPHEMES,  /* every character counts */
    PLATFORM_COUNT_MASTODON,   /* an http(s) link counts url_chars, @user@domain as @user */
    PLATFORM_COUNT_BLUESKY,    /* an http(s) link is sent and counted in its short form */
};

struct platform {
    const char *name;        /* in the configuration, posts and queries: "mastodon" */
    const char *label;       /* in sentences: "Mastodon" */
    const char *short_name;  /* in narrow columns: "mast" */
    const char *user;        /* what an account's user = is there; NULL: none is needed */
    enum platform_counting counting;
    long max_chars;          /* a reply's limit in counted characters */
    long max_bytes;          /* and in UTF-8 bytes; 0: no byte limit */
    long url_chars;          /* PLATFORM_COUNT_MASTODON: what a link counts as */
    const char *help;        /* one line: what is read there and how replies are limited */
};

/* The platform called name, or NULL (name may be NULL). */
const struct platform *platform_find(const char *name);

/* The i-th platform in the table, or NULL past its end. */
const struct platform *platform_at(size_t i);

/* The platforms' names joined as "mastodon, bluesky or wordpress", last between the last two
 * (" or ", " and ", ", "); newly allocated, for messages. */
char *platform_names(const char *last);

/* The platform's short name for narrow columns; name itself when it is not in the table. */
const char *platform_short_name(const char *name);

/* The length of text[0..len) as p counts it (p NULL: every character counts), a link counting
 * url_chars when p counts links the Mastodon way (0: p's own url_chars) and as its short form
 * (platform_short_link) when p counts the Bluesky way. The composer's counter, the guard's
 * length check and the adapters' checks before a send all count with this one function. When
 * p counts the Mastodon way and text starts with a content-warning line (model/cw.h), the
 * count is what the server counts once the line is sent as spoiler_text: the warning's
 * characters plus the text's, without the "CW:" prefix and the blank line. */
long platform_length(const struct platform *p, const char *text, size_t len, long url_chars);

/* The bytes of text[0..len) as p sends it: on Bluesky with each link in its short form (the
 * length of platform_send_text's text), for the adapter's check before a send. */
long platform_bytes(const struct platform *p, const char *text, size_t len);

/* The same count for a reply already split, for the adapter that sends the two apart: the
 * warning cw (NULL or "": none; every character counts) plus text[0..len) as p counts it
 * (never read for a warning line: it is the status text as sent). */
long platform_length_parts(const struct platform *p, const char *cw, const char *text,
                           size_t len, long url_chars);

/* A link in the text a platform is sent: its bytes there and where it goes. */
struct platform_link {
    size_t start, end;  /* bytes of the text sent */
    char *uri;          /* the link in full; owned */
};

/* Room for any short form platform_short_link writes, with its NUL. */
#define PLATFORM_SHORT_LINK_MAX 512

/* Writes the short form in which Bluesky's app shows the http(s) link url[0..len), as
 * "host/path" with the scheme left out and a path (with query and fragment) of more than 15
 * characters cut to its first 13 and "...", into out (a NUL-terminated string of at most cap - 1
 * bytes). Returns its length, or 0 when it does not fit (the link is then sent whole). */
size_t platform_short_link(const char *url, size_t len, char *out, size_t cap);

/* The text p sends for text[0..len): for a platform that counts the Bluesky way every http(s)
 * link (as the guard's tokenizer finds it) replaced by its short form, the links themselves in
 * *links (*nlinks of them, in order; free with platform_links_free), as Bluesky's own app
 * sends them; elsewhere a copy and no links. Newly allocated. */
char *platform_send_text(const struct platform *p, const char *text, size_t len,
                         struct platform_link **links, size_t *nlinks);

/* Frees what platform_send_text left in *links. */
void platform_links_free(struct platform_link *links, size_t n);

/* For the model's counters, on a text the guard's tokenizer has read (model/guard_impl.h). */
struct guard_span;
struct guard_view;

/* The short form in which span sp of v is sent (a link with an http(s) scheme whose short form
 * fits), written into out as platform_short_link does; 0 when the span is sent as written. */
size_t platform_span_short(const struct guard_view *v, const struct guard_span *sp, char *out,
                           size_t cap);

/* The bytes of v->s[from..to) as p sends it: on a platform that counts the Bluesky way, with
 * each link in its short form (the length of platform_send_text's text). */
long platform_sent_bytes(const struct platform *p, const struct guard_view *v, size_t from,
                         size_t to);

#endif
