/* HTML to text by walking libxml2's parse tree. */
#include "net/html.h"

#include "model/xmalloc.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <string.h>
#include <strings.h>

#define HTML_MAX_DEPTH 200

/* The text being written and the whitespace owed before the next word. */
struct out {
    struct buf b;
    int space;      /* a space is owed */
    int newlines;   /* line breaks owed (a paragraph owes 2) */
    int pre;        /* inside <pre>: whitespace is kept */
    int full;       /* HTML_MAX_OUTPUT reached */
};

static void walk(struct out *o, xmlNode *n, int depth, int ordinal);

/* Elements that stand apart as paragraphs. */
static int
is_block(const char *name)
{
    static const char *const blocks[] = {"p", "div", "blockquote", "ul", "ol", "pre", "h1",
                                         "h2", "h3", "h4", "h5", "h6", "table", "section",
                                         "article", "header", "footer", "figure", "hr",
                                         "dl", "address", "aside", "main", "nav"};
    for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++)
        if (strcasecmp(name, blocks[i]) == 0)
            return 1;
    return 0;
}

/* Elements whose content is never shown. */
static int
is_hidden(const char *name)
{
    return strcasecmp(name, "script") == 0 || strcasecmp(name, "style") == 0 ||
           strcasecmp(name, "head") == 0 || strcasecmp(name, "template") == 0;
}

/* Asks for at least n line breaks before the next text (none at the very start). */
static void
owe_newlines(struct out *o, int n)
{
    if (o->b.len > 0 && o->newlines < n)
        o->newlines = n;
}

/* Appends raw bytes, paying owed whitespace first. */
static void
emit(struct out *o, const char *s, size_t len)
{
    if (o->full || len == 0)
        return;
    if (o->newlines) {
        for (int i = 0; i < o->newlines; i++)
            buf_addc(&o->b, '\n');
        o->newlines = 0;
        o->space = 0;
    } else if (o->space && o->b.len > 0) {
        buf_addc(&o->b, ' ');
    }
    o->space = 0;
    if (o->b.len + len > HTML_MAX_OUTPUT) {
        /* Cut on a UTF-8 character boundary. */
        len = HTML_MAX_OUTPUT - o->b.len;
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
            len--;
        o->full = 1;
    }
    buf_add(&o->b, s, len);
}

/* Appends a text node's content, collapsing whitespace unless inside <pre>. */
static void
emit_text(struct out *o, const char *s)
{
    if (o->pre) {
        emit(o, s, strlen(s));
        return;
    }
    while (*s) {
        size_t ws = 0;
        /* ASCII whitespace and the no-break space (C2 A0) separate words. */
        for (;;) {
            if (s[ws] == ' ' || s[ws] == '\t' || s[ws] == '\n' || s[ws] == '\r' ||
                s[ws] == '\f')
                ws++;
            else if ((unsigned char)s[ws] == 0xC2 && (unsigned char)s[ws + 1] == 0xA0)
                ws += 2;
            else
                break;
        }
        if (ws) {
            o->space = 1;
            s += ws;
            continue;
        }
        size_t w = 0;
        while (s[w] && s[w] != ' ' && s[w] != '\t' && s[w] != '\n' && s[w] != '\r' &&
               s[w] != '\f' && !((unsigned char)s[w] == 0xC2 && (unsigned char)s[w + 1] == 0xA0))
            w++;
        emit(o, s, w);
        s += w;
    }
}

/* Returns nonzero when link text looks cut short ("example.com/long/pa…"). */
static int
looks_truncated(const char *text)
{
    size_t n = strlen(text);
    return (n >= 3 && strcmp(text + n - 3, "...") == 0) ||
           (n >= 3 && strcmp(text + n - 3, "\xE2\x80\xA6") == 0);
}

/* A link: its text, or its address when the text is empty or cut short. */
static void
walk_link(struct out *o, xmlNode *n, int depth)
{
    struct out inner = {0};
    for (xmlNode *c = n->children; c; c = c->next)
        walk(&inner, c, depth + 1, 0);
    char *text = buf_take(&inner.b);
    xmlChar *href = xmlGetProp(n, (const xmlChar *)"href");
    int web = href && (strncasecmp((const char *)href, "http://", 7) == 0 ||
                       strncasecmp((const char *)href, "https://", 8) == 0);
    if ((text[0] == '\0' || looks_truncated(text)) && web)
        emit_text(o, (const char *)href);
    else
        emit(o, text, strlen(text));
    xmlFree(href);
    free(text);
}

/* Writes the text of node n and its siblings' subtrees in order; ordinal numbers <li> items
 * inside <ol> (0 inside <ul>). */
static void
walk(struct out *o, xmlNode *n, int depth, int ordinal)
{
    if (depth > HTML_MAX_DEPTH || o->full)
        return;
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
        if (n->content)
            emit_text(o, (const char *)n->content);
        return;
    }
    if (n->type != XML_ELEMENT_NODE && n->type != XML_DOCUMENT_NODE &&
        n->type != XML_HTML_DOCUMENT_NODE) {
        return;
    }
    const char *name = n->name ? (const char *)n->name : "";
    if (n->type == XML_ELEMENT_NODE) {
        if (is_hidden(name))
            return;
        if (strcasecmp(name, "br") == 0) {
            if (o->newlines < 1)
                o->newlines = 1;
            if (o->b.len == 0)
                o->newlines = 0;
            return;
        }
        if (strcasecmp(name, "a") == 0) {
            walk_link(o, n, depth);
            return;
        }
        if (strcasecmp(name, "img") == 0) {
            xmlChar *alt = xmlGetProp(n, (const xmlChar *)"alt");
            if (alt && alt[0]) {
                emit(o, "[", 1);
                emit_text(o, (const char *)alt);
                emit(o, "]", 1);
            }
            xmlFree(alt);
            return;
        }
    }
    int block = n->type == XML_ELEMENT_NODE && is_block(name);
    int li = n->type == XML_ELEMENT_NODE && strcasecmp(name, "li") == 0;
    int pre = n->type == XML_ELEMENT_NODE && strcasecmp(name, "pre") == 0;
    if (block)
        owe_newlines(o, 2);
    if (li) {
        owe_newlines(o, 1);
        char mark[24];
        if (ordinal > 0)
            snprintf(mark, sizeof mark, "%d.", ordinal);
        else
            snprintf(mark, sizeof mark, "-");
        emit(o, mark, strlen(mark));
        o->space = 1;
    }
    if (pre)
        o->pre++;
    int ol = n->type == XML_ELEMENT_NODE && strcasecmp(name, "ol") == 0;
    int item = 0;
    for (xmlNode *c = n->children; c; c = c->next) {
        int child_li = c->type == XML_ELEMENT_NODE && c->name &&
                       strcasecmp((const char *)c->name, "li") == 0;
        walk(o, c, depth + 1, ol && child_li ? ++item : 0);
    }
    if (pre)
        o->pre--;
    if (block)
        owe_newlines(o, 2);
    if (li)
        owe_newlines(o, 1);
}

char *
html_to_text(const char *html, size_t len)
{
    if (len > HTML_MAX_INPUT)
        len = HTML_MAX_INPUT;
    struct out o = {0};
    /* Plain text needs no parser: only whitespace to collapse. */
    if (memchr(html, '<', len) == NULL && memchr(html, '&', len) == NULL) {
        char *copy = xstrndup(html, len);
        emit_text(&o, copy);
        free(copy);
        return buf_take(&o.b);
    }
    htmlDocPtr doc = htmlReadMemory(html, (int)len, NULL, "UTF-8",
                                    HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
    if (doc == NULL)
        return xstrdup("");
    walk(&o, (xmlNode *)doc, 0, 0);
    xmlFreeDoc(doc);
    return buf_take(&o.b);
}
