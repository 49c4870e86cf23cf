/* The ready-reckoner's pattern files: a small INI-like parser with FILE:LINE errors, lookup
 * and template filling. See model/pattern.h. */
#include "model/pattern.h"

#include "model/file.h"
#include "model/guard.h"
#include "model/platform.h"
#include "model/xmalloc.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX_BYTES 8192
#define PATTERN_FILE_MAX (1024 * 1024) /* a larger pattern file is refused */
#define ERRORS_MAX 50

/* A file being read: its path, the errors so far, the patterns it defines. */
struct ploader {
    const char *path;
    struct buf errors;
    int nerrors;
    struct pattern_set got;
};

/* Records an error at line. */
static void
perr(struct ploader *L, int line, const char *msg, const char *arg)
{
    if (L->nerrors++ >= ERRORS_MAX)
        return;
    if (L->errors.len)
        buf_addc(&L->errors, '\n');
    buf_printf(&L->errors, "%s:%d: ", L->path, line);
    const char *hole = strstr(msg, "%s");
    if (hole == NULL) {
        buf_adds(&L->errors, msg);
        return;
    }
    buf_add(&L->errors, msg, (size_t)(hole - msg));
    buf_adds(&L->errors, arg ? arg : "");
    buf_adds(&L->errors, hole + 2);
}

/* Frees what one pattern owns and zeroes it. */
static void
pattern_clear(struct pattern *p)
{
    free(p->id);
    free(p->name);
    free(p->purpose);
    free(p->use_when);
    free(p->avoid_when);
    for (size_t i = 0; i < p->ntemplates; i++) {
        free(p->templates[i].platform);
        free(p->templates[i].text);
    }
    free(p->file);
    memset(p, 0, sizeof *p);
}

/* A new, empty set. */
struct pattern_set *
pattern_set_new(void)
{
    return xcalloc(1, sizeof(struct pattern_set));
}

/* Frees a set and its patterns. */
void
pattern_set_free(struct pattern_set *set)
{
    if (set == NULL)
        return;
    for (size_t i = 0; i < set->n; i++)
        pattern_clear(&set->items[i]);
    free(set);
}

/* Trims blanks at both ends of s in place and returns it. */
static char *
trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        s[--n] = '\0';
    return s;
}

/* A copy of value with "\n" turned into a newline and "\\" into a backslash. */
static char *
unescape(const char *v)
{
    struct buf b = {0};
    buf_adds(&b, "");
    for (; *v; v++) {
        if (v[0] == '\\' && v[1] == 'n') {
            buf_addc(&b, '\n');
            v++;
        } else if (v[0] == '\\' && v[1] == '\\') {
            buf_addc(&b, '\\');
            v++;
        } else {
            buf_addc(&b, *v);
        }
    }
    return buf_take(&b);
}

/* Whether id is 1-64 characters of a-z 0-9 and '-'. */
static bool
id_valid(const char *id)
{
    size_t n = strlen(id);
    if (n == 0 || n > 64)
        return false;
    for (; *id; id++)
        if (!(islower((unsigned char)*id) || isdigit((unsigned char)*id) || *id == '-'))
            return false;
    return true;
}

/* Sets a yes/no flag from value; false with an error otherwise. */
static bool
set_flag(struct ploader *L, int line, bool *flag, const char *v)
{
    if (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0) {
        *flag = true;
        return true;
    }
    if (strcmp(v, "no") == 0 || strcmp(v, "false") == 0) {
        *flag = false;
        return true;
    }
    perr(L, line, "'%s' is not yes or no", v);
    return false;
}

/* Sets a string field once; a second value is an error. */
static void
set_once(struct ploader *L, int line, char **field, const char *key, const char *v)
{
    if (*field != NULL) {
        perr(L, line, "%s given twice", key);
        return;
    }
    *field = unescape(v);
}

/* Applies "key = value" to pattern p. */
static void
apply(struct ploader *L, struct pattern *p, int line, const char *key, const char *v)
{
    if (strcmp(key, "key") == 0) {
        if (strlen(v) != 1 || v[0] < '1' || v[0] > '9')
            perr(L, line, "key = '%s': use a digit 1 to 9", v);
        else
            p->key = v[0] - '0';
    } else if (strcmp(key, "name") == 0) {
        set_once(L, line, &p->name, key, v);
    } else if (strcmp(key, "purpose") == 0) {
        set_once(L, line, &p->purpose, key, v);
    } else if (strcmp(key, "use_when") == 0) {
        set_once(L, line, &p->use_when, key, v);
    } else if (strcmp(key, "avoid_when") == 0) {
        set_once(L, line, &p->avoid_when, key, v);
    } else if (strcmp(key, "approval") == 0) {
        set_flag(L, line, &p->approval, v);
    } else if (strcmp(key, "expect") == 0) {
        if (strcmp(v, "link") == 0)
            p->expect_link = true;
        else if (strcmp(v, "source") == 0)
            p->expect_source = true;
        else
            perr(L, line, "expect = '%s': use link or source", v);
    } else if (strcmp(key, "template") == 0 || strncmp(key, "template.", 9) == 0) {
        const char *plat = key[8] == '.' ? key + 9 : NULL;
        if (plat && platform_find(plat) == NULL) {
            char *names = platform_names(" or ");
            char *msg = xasprintf("%%s: no such platform (%s)", names);
            perr(L, line, msg, key);
            free(msg);
            free(names);
            return;
        }
        if (p->ntemplates == PATTERN_TEMPLATES) {
            perr(L, line, "more than 8 templates in one pattern%s", NULL);
            return;
        }
        struct pattern_template *t = &p->templates[p->ntemplates++];
        t->platform = plat ? xstrdup(plat) : NULL;
        t->text = unescape(v);
    } else {
        perr(L, line, "unknown key '%s' (key, name, purpose, use_when, avoid_when, template, "
                      "template.PLATFORM, expect, approval)", key);
    }
}

/* Checks a finished section: it needs a name, a purpose and a template. */
static void
finish(struct ploader *L, struct pattern *p)
{
    if (p->name == NULL)
        perr(L, p->line, "pattern '%s' has no name", p->id);
    if (p->purpose == NULL)
        perr(L, p->line, "pattern '%s' has no purpose", p->id);
    if (p->ntemplates == 0)
        perr(L, p->line, "pattern '%s' has no template", p->id);
}

/* Starts section [id] at line; returns it, or NULL after an error. */
static struct pattern *
start(struct ploader *L, int line, char *hdr)
{
    char *close = strchr(hdr, ']');
    if (close == NULL || *trim(close + 1) != '\0') {
        perr(L, line, "a section header is [ID]%s", NULL);
        return NULL;
    }
    *close = '\0';
    char *id = trim(hdr + 1);
    if (!id_valid(id)) {
        perr(L, line, "'%s' is not a pattern id (a-z, 0-9 and -)", id);
        return NULL;
    }
    if (pattern_find(&L->got, id)) {
        perr(L, line, "pattern '%s' defined twice in one file", id);
        return NULL;
    }
    if (L->got.n == PATTERN_MAX) {
        perr(L, line, "more than 64 patterns%s", NULL);
        return NULL;
    }
    struct pattern *p = &L->got.items[L->got.n++];
    p->id = xstrdup(id);
    p->file = xstrdup(L->path);
    p->line = line;
    return p;
}

/* Parses the lines of f into L->got. */
static void
parse(struct ploader *L, FILE *f)
{
    char line[LINE_MAX_BYTES];
    struct pattern *cur = NULL;
    bool skip = false;
    for (int no = 1; fgets(line, sizeof line, f); no++) {
        size_t n = strlen(line);
        if (n == sizeof line - 1 && line[n - 1] != '\n') {
            perr(L, no, "line longer than 8191 bytes%s", NULL);
            int c;
            while ((c = fgetc(f)) != EOF && c != '\n')
                ;
            continue;
        }
        char *s = trim(line);
        if (*s == '\0' || *s == '#' || *s == ';')
            continue;
        if (*s == '[') {
            if (cur)
                finish(L, cur);
            cur = start(L, no, s);
            skip = cur == NULL;
            continue;
        }
        char *eq = strchr(s, '=');
        if (eq == NULL) {
            perr(L, no, "expected key = value or [ID]%s", NULL);
            continue;
        }
        if (cur == NULL) {
            if (!skip)
                perr(L, no, "key = value before the first [ID]%s", NULL);
            continue;
        }
        *eq = '\0';
        char *key = trim(s), *v = trim(eq + 1);
        if (*v == '\0')
            perr(L, no, "%s has no value", key);
        else if (strlen(v) > PATTERN_VALUE_MAX)
            perr(L, no, "%s is longer than 2048 bytes", key);
        else
            apply(L, cur, no, key, v);
    }
    if (cur)
        finish(L, cur);
}

/* Moves the patterns L read into set, replacing any with the same id. */
static void
merge(struct pattern_set *set, struct ploader *L)
{
    for (size_t i = 0; i < L->got.n; i++) {
        struct pattern *p = &L->got.items[i];
        struct pattern *old = (struct pattern *)pattern_find(set, p->id);
        if (old == NULL && set->n == PATTERN_MAX) {
            pattern_clear(p);
            continue;
        }
        if (old)
            pattern_clear(old);
        else
            old = &set->items[set->n++];
        *old = *p;
        memset(p, 0, sizeof *p);
    }
    L->got.n = 0;
}

/* Reads one pattern file into set. */
int
pattern_load_file(struct pattern_set *set, const char *path, char **err)
{
    FILE *f = file_open_regular(path, PATTERN_FILE_MAX);
    if (f == NULL) {
        char *why = file_problem(errno, PATTERN_FILE_MAX);
        *err = xasprintf("cannot read %s: %s", path, why);
        free(why);
        return -1;
    }
    struct ploader *L = xcalloc(1, sizeof *L);
    L->path = path;
    parse(L, f);
    fclose(f);
    int rc = 0;
    if (L->nerrors) {
        *err = buf_take(&L->errors);
        for (size_t i = 0; i < L->got.n; i++)
            pattern_clear(&L->got.items[i]);
        rc = -1;
    } else {
        merge(set, L);
    }
    buf_free(&L->errors);
    free(L);
    return rc;
}

/* qsort comparator for file names. */
static int
cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads every *.pattern file of dir in name order. */
int
pattern_load_dir(struct pattern_set *set, const char *dir, bool missing_ok, char **err)
{
    DIR *d = opendir(dir);
    if (d == NULL) {
        if (missing_ok && errno == ENOENT)
            return 0;
        *err = xasprintf("cannot read %s: %s", dir, strerror(errno));
        return -1;
    }
    char *names[256];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 256) {
        size_t len = strlen(e->d_name);
        if (len > 8 && e->d_name[0] != '.' && strcmp(e->d_name + len - 8, ".pattern") == 0)
            names[n++] = xasprintf("%s/%s", dir, e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof names[0], cmp_names);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        if (rc == 0 && pattern_load_file(set, names[i], err) != 0)
            rc = -1;
        free(names[i]);
    }
    return rc;
}

/* The pattern with id, or NULL. */
const struct pattern *
pattern_find(const struct pattern_set *set, const char *id)
{
    for (size_t i = 0; id && i < set->n; i++)
        if (strcmp(set->items[i].id, id) == 0)
            return &set->items[i];
    return NULL;
}

/* The pattern with key, or NULL. */
const struct pattern *
pattern_find_key(const struct pattern_set *set, int key)
{
    for (size_t i = 0; key > 0 && i < set->n; i++)
        if (set->items[i].key == key)
            return &set->items[i];
    return NULL;
}

/* The value for placeholder name[0..len), or NULL when unknown or unset. */
static const char *
var_value(const struct pattern_vars *v, const char *name, size_t len)
{
    static const char *const names[] = {"author", "topic", "link", "signature"};
    const char *vals[] = {v->author, v->topic, v->link, v->signature};
    for (size_t i = 0; i < 4; i++)
        if (strlen(names[i]) == len && strncmp(names[i], name, len) == 0)
            return vals[i];
    return NULL;
}

/* Fills p's template for platform from vars. */
char *
pattern_render(const struct pattern *p, const char *platform, const struct pattern_vars *vars)
{
    const char *text = NULL;
    for (size_t i = 0; i < p->ntemplates && text == NULL; i++)
        if (platform && p->templates[i].platform && strcmp(p->templates[i].platform,
                                                           platform) == 0)
            text = p->templates[i].text;
    for (size_t i = 0; i < p->ntemplates && text == NULL; i++)
        if (p->templates[i].platform == NULL)
            text = p->templates[i].text;
    if (text == NULL)
        return NULL;
    struct buf b = {0};
    buf_adds(&b, "");
    for (const char *s = text; *s;) {
        if (s[0] == '{' && s[1] == '{') {
            buf_addc(&b, '{');
            s += 2;
            continue;
        }
        const char *close = s[0] == '{' ? strchr(s, '}') : NULL;
        if (close && close - s - 1 == 9 && strncmp(s + 1, "signature", 9) == 0 &&
            (vars->signature == NULL || *vars->signature == '\0')) {
            /* No signature configured: nothing to sign with, so the placeholder and the
             * blanks before it go rather than stop the reply from being submitted. */
            while (b.len > 0 && (b.data[b.len - 1] == ' ' || b.data[b.len - 1] == '\n'))
                b.data[--b.len] = '\0';
            s = close + 1;
            continue;
        }
        const char *val = close ? var_value(vars, s + 1, (size_t)(close - s - 1)) : NULL;
        if (val) {
            buf_adds(&b, val);
            s = close + 1;
            continue;
        }
        buf_addc(&b, *s++);
    }
    return buf_take(&b);
}
