/* The tables' help text rendered two ways: refilled for a terminal (`tactful help`) and as
 * roff for the manual pages (`tactful help --man`). The markup is described in cli/cli.h. */
#include "cli/cli.h"

#include "model/platform.h"
#include "model/triage_state.h"
#include "model/xmalloc.h"

#include <stdlib.h>
#include <string.h>

/* Whether line (up to its newline) is blank. */
static int
line_blank(const char *line)
{
    for (; *line && *line != '\n'; line++)
        if (*line != ' ' && *line != '\t')
            return 0;
    return 1;
}

/* Whether line is kept as it is: it starts with two spaces. */
static int
line_verbatim(const char *line)
{
    return line[0] == ' ' && line[1] == ' ';
}

/* The length of the line starting at s, without its newline. */
static size_t
line_len(const char *s)
{
    const char *nl = strchr(s, '\n');
    return nl ? (size_t)(nl - s) : strlen(s);
}

/* Writes the words of one paragraph (from p to end) filled to width, each line indented. */
static void
fill(FILE *f, const char *p, const char *end, int col, int indent, int width)
{
    int first = 1;
    while (p < end) {
        while (p < end && (*p == ' ' || *p == '\n' || *p == '\t'))
            p++;
        if (p == end)
            break;
        const char *w = p;
        while (p < end && *p != ' ' && *p != '\n' && *p != '\t')
            p++;
        int n = (int)(p - w);
        if (!first && col + 1 + n > width) {
            fprintf(f, "\n%*s", indent, "");
            col = indent;
        } else if (!first) {
            fputc(' ', f);
            col++;
        } else if (col < indent) {
            fprintf(f, "%*s", indent - col, "");
            col = indent;
        }
        fwrite(w, 1, (size_t)n, f);
        col += n;
        first = 0;
    }
    fputc('\n', f);
}

/* A copy of text for a terminal: backquotes dropped around a single word (`json`), kept
 * around words that are typed together (`tactful list`). */
static char *
text_plain(const char *text)
{
    char *out = xstrdup(text), *o = out;
    for (const char *s = text; *s; s++) {
        const char *close = *s == '`' ? strchr(s + 1, '`') : NULL;
        if (close == NULL) {
            *o++ = *s;
            continue;
        }
        int spaced = memchr(s + 1, ' ', (size_t)(close - s - 1)) != NULL;
        if (spaced)
            *o++ = '`';
        memcpy(o, s + 1, (size_t)(close - s - 1));
        o += close - s - 1;
        if (spaced)
            *o++ = '`';
        s = close;
    }
    *o = '\0';
    return out;
}

/* The n names as "`a`, `b` or `c`"; newly allocated. */
static char *
name_list(const char *const *names, size_t n)
{
    size_t cap = 1;
    for (size_t i = 0; i < n; i++)
        cap += strlen(names[i]) + 6;
    char *out = xmalloc(cap);
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            strcat(out, i + 1 == n ? " or " : ", ");
        strcat(out, "`");
        strcat(out, names[i]);
        strcat(out, "`");
    }
    return out;
}

/* The triage states' names, listed. */
static char *
state_list(void)
{
    return name_list(triage_state_names, TRIAGE_NSTATES);
}

/* The platforms' names, listed. */
static char *
platform_list(void)
{
    const char *names[32];
    size_t n = 0;
    for (const struct platform *p; n < 32 && (p = platform_at(n)) != NULL; n++)
        names[n] = p->name;
    return name_list(names, n);
}

/* The text with {states} and {platforms} replaced by the vocabulary tables' names, so help
 * never lists them by hand; newly allocated. */
static char *
doc_expand(const char *text)
{
    char *states = NULL, *platforms = NULL;
    size_t len = strlen(text), extra = 0;
    for (const char *p = strchr(text, '{'); p; p = strchr(p + 1, '{')) {
        if (strncmp(p, "{states}", 8) == 0 && states == NULL)
            states = state_list();
        else if (strncmp(p, "{platforms}", 11) == 0 && platforms == NULL)
            platforms = platform_list();
    }
    extra = (states ? strlen(states) : 0) + (platforms ? strlen(platforms) : 0);
    char *out = xmalloc(len + 1 + extra * 8);
    char *o = out;
    for (const char *p = text; *p;) {
        if (states && strncmp(p, "{states}", 8) == 0) {
            o += sprintf(o, "%s", states);
            p += 8;
        } else if (platforms && strncmp(p, "{platforms}", 11) == 0) {
            o += sprintf(o, "%s", platforms);
            p += 11;
        } else {
            *o++ = *p++;
        }
    }
    *o = '\0';
    free(states);
    free(platforms);
    return out;
}

void
cli_doc_text(FILE *f, const char *text, int col, int indent, int width)
{
    char *expanded = doc_expand(text);
    char *plain = text_plain(expanded);
    free(expanded);
    const char *s = plain;
    int wrote = 0;
    while (*s) {
        size_t n = line_len(s);
        if (line_blank(s)) {
            fputc('\n', f);
            col = 0;
        } else if (line_verbatim(s)) {
            if (col > indent) {
                fputc('\n', f);
                col = 0;
            }
            fprintf(f, "%*s%.*s\n", indent - col, "", (int)n, s);
            col = 0;
        } else {
            /* A paragraph: this line and the following ordinary ones. */
            const char *end = s;
            while (*end && !line_blank(end) && !line_verbatim(end)) {
                end += line_len(end);
                if (*end == '\n')
                    end++;
            }
            fill(f, s, end, col, indent, width);
            col = 0;
            s = end;
            wrote = 1;
            continue;
        }
        wrote = 1;
        s += n;
        if (*s == '\n')
            s++;
    }
    if (!wrote && col > 0)
        fputc('\n', f);
    free(plain);
}

/* Writes n bytes of s as roff, backquoted text bold; a leading dot or quote protected. */
static void
roff_line(FILE *f, const char *s, size_t n)
{
    int bold = 0;
    if (n && (*s == '.' || *s == '\''))
        fputs("\\&", f);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '`') {
            fputs(bold ? "\\fR" : "\\fB", f);
            bold = !bold;
        } else if (s[i] == '\\') {
            fputs("\\e", f);
        } else if (s[i] == '-') {
            fputs("\\-", f);
        } else {
            fputc(s[i], f);
        }
    }
    if (bold)
        fputs("\\fR", f);
    fputc('\n', f);
}

void
cli_roff_escape(FILE *f, const char *s)
{
    size_t n = strlen(s);
    if (n && (*s == '.' || *s == '\''))
        fputs("\\&", f);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\')
            fputs("\\e", f);
        else if (s[i] == '-')
            fputs("\\-", f);
        else
            fputc(s[i], f);
    }
}

void
cli_doc_roff(FILE *f, const char *text, const char *para)
{
    char *expanded = doc_expand(text);
    const char *s = expanded;
    int verbatim = 0;
    while (*s) {
        size_t n = line_len(s);
        if (line_blank(s)) {
            if (verbatim)
                fputs(".fi\n", f);
            verbatim = 0;
            fprintf(f, "%s\n", para);
        } else if (line_verbatim(s)) {
            if (!verbatim)
                fputs(".nf\n", f);
            verbatim = 1;
            roff_line(f, s, n);
        } else {
            if (verbatim)
                fputs(".fi\n", f);
            verbatim = 0;
            while (n && (*s == ' ' || *s == '\t')) {
                s++;
                n--;
            }
            roff_line(f, s, n);
        }
        s += n;
        if (*s == '\n')
            s++;
    }
    if (verbatim)
        fputs(".fi\n", f);
    free(expanded);
}
