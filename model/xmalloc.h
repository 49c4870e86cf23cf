/* Allocation helpers that never return NULL: tactful cannot do anything useful out of memory,
 * so these print one line and exit(1), as tmux's xmalloc does. */
#ifndef TACTFUL_XMALLOC_H
#define TACTFUL_XMALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
void *xreallocarray(void *p, size_t n, size_t size);
void *xgrow(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A growable byte buffer; data is always NUL-terminated. Owns data; free with buf_free. */
struct buf {
    char *data;
    size_t len;
    size_t cap;
};

void buf_add(struct buf *b, const char *s, size_t len);
void buf_adds(struct buf *b, const char *s);
void buf_addc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hands the buffer's string to the caller (never NULL) and resets the buffer. */
char *buf_take(struct buf *b);
void buf_free(struct buf *b);

#endif
