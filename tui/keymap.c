/* Keymap files: key names both ways, the bind/unbind/include parser, and lookups. */
#include "tui/keymap.h"

#include "model/file.h"
#include "model/xmalloc.h"
#include "tui/actions.h"

#include <curses.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#define KEYMAP_MAX_FILE (1024 * 1024) /* a keymap file larger than this is refused */
#define KEYMAP_MAX_DEPTH 8            /* includes nested deeper than this are refused */
#define KEYMAP_MAX_PROBLEMS 100       /* stop reporting after this many */
#define KEYMAP_MAX_WORDS 8

/* The contexts, one row each, from tui/screen_list.h: the word keymap files use, what the
 * screen is called (the help overlay's title), where its keys apply (the help's and the
 * manual's section titles) and a note the manual adds. */
#define CONTEXT_KEYS(id, CTX, screen, place, note) [KM_##CTX] = {#id, screen, place, note},
#define CONTEXT_PLACE(id, CTX, list, screen, place, note) [KM_##CTX] = {#id, screen, place, note},
static const struct {
    const char *name, *screen, *place, *note;
} contexts[KM_NCONTEXTS] = {
    TUI_PLACES(CONTEXT_KEYS, CONTEXT_PLACE, CONTEXT_PLACE, TUI_PLACE_NONE)
};
#undef CONTEXT_KEYS
#undef CONTEXT_PLACE

/* Named keys; the first name of a key is the one it is shown with. */
static const struct {
    const char *name;
    int key;
} key_names[] = {
    {"Enter", '\r'},
    {"Esc", 27},
    {"Tab", '\t'},
    {"BTab", KEYMAP_FN | KEY_BTAB},
    {"Space", ' '},
    {"Backspace", KEYMAP_FN | KEY_BACKSPACE},
    {"Delete", KEYMAP_FN | KEY_DC},
    {"Insert", KEYMAP_FN | KEY_IC},
    {"Up", KEYMAP_FN | KEY_UP},
    {"Down", KEYMAP_FN | KEY_DOWN},
    {"Left", KEYMAP_FN | KEY_LEFT},
    {"Right", KEYMAP_FN | KEY_RIGHT},
    {"PgUp", KEYMAP_FN | KEY_PPAGE},
    {"PgDn", KEYMAP_FN | KEY_NPAGE},
    {"Home", KEYMAP_FN | KEY_HOME},
    {"End", KEYMAP_FN | KEY_END},
    /* Other spellings people write. */
    {"Return", '\r'},
    {"Escape", 27},
    {"S-Tab", KEYMAP_FN | KEY_BTAB},
    {"BSpace", KEYMAP_FN | KEY_BACKSPACE},
    {"Del", KEYMAP_FN | KEY_DC},
    {"PageUp", KEYMAP_FN | KEY_PPAGE},
    {"PageDown", KEYMAP_FN | KEY_NPAGE},
    {"PPage", KEYMAP_FN | KEY_PPAGE},
    {"NPage", KEYMAP_FN | KEY_NPAGE},
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Folds keys that terminals send in several ways to one: C-j and the keypad's Enter to
 * Enter, C-h and DEL to Backspace. */
static int
key_normalize(int key)
{
    int meta = key & KEYMAP_META, k = key & ~KEYMAP_META;
    if (k == '\n' || k == (KEYMAP_FN | KEY_ENTER))
        k = '\r';
    else if (k == 8 || k == 127)
        k = KEYMAP_FN | KEY_BACKSPACE;
    return meta | k;
}

int
keymap_key_normalize(int key)
{
    return key_normalize(key);
}

int
keymap_key_typed(int key)
{
    return !(key & (KEYMAP_FN | KEYMAP_META)) && key >= 0x20 && key != 0x7f;
}

const char *
keymap_context_name(enum keymap_context ctx)
{
    return ctx < KM_NCONTEXTS ? contexts[ctx].name : "?";
}

const char *
keymap_context_screen(enum keymap_context ctx)
{
    return ctx < KM_NCONTEXTS ? contexts[ctx].screen : "?";
}

char *
keymap_context_title(enum keymap_context ctx, int manual)
{
    if (ctx >= KM_NCONTEXTS || contexts[ctx].place == NULL)
        return xstrdup(manual ? "Keys on every screen" : "Everywhere");
    const char *note = manual ? contexts[ctx].note : NULL;
    return xasprintf("%s %s%s%s%s", manual ? "Keys in" : "In", contexts[ctx].place,
                     note ? " (" : "", note ? note : "", note ? ")" : "");
}

int
keymap_context_parse(const char *name)
{
    for (int i = 0; i < KM_NCONTEXTS; i++)
        if (strcmp(name, contexts[i].name) == 0)
            return i;
    return -1;
}

/* The contexts' names as a list ("global, inbox, ... and prompt"), newly allocated. */
static char *
context_list(void)
{
    struct buf b = {0};
    for (int i = 0; i < KM_NCONTEXTS; i++)
        buf_printf(&b, "%s%s", i == 0 ? "" : i + 1 < KM_NCONTEXTS ? ", " : " and ",
                   contexts[i].name);
    return buf_take(&b);
}

/* Parses the part of a key name after any M- and C- prefixes. */
static int
parse_base(const char *s, int *key)
{
    for (size_t i = 0; i < NELEM(key_names); i++)
        if (strcasecmp(s, key_names[i].name) == 0) {
            *key = key_names[i].key;
            return 0;
        }
    if ((s[0] == 'F' || s[0] == 'f') && s[1] >= '1' && s[1] <= '9') {
        char *end;
        long n = strtol(s + 1, &end, 10);
        if (*end == '\0' && n >= 1 && n <= 12) {
            *key = KEYMAP_FN | KEY_F((int)n);
            return 0;
        }
    }
    size_t n = strlen(s);
    if (n == 0)
        return -1;
    utf8proc_int32_t cp;
    utf8proc_ssize_t len = utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &cp);
    if (len <= 0 || s[len] != '\0' || cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
        return -1;
    *key = cp;
    return 0;
}

int
keymap_key_parse(const char *name, int *key)
{
    int meta = 0, ctrl = 0;
    for (;;) {
        if (strncmp(name, "M-", 2) == 0 && name[2] != '\0' && !meta) {
            meta = 1;
            name += 2;
        } else if (strncmp(name, "C-", 2) == 0 && name[2] != '\0' && !ctrl) {
            ctrl = 1;
            name += 2;
        } else {
            break;
        }
    }
    int k;
    if (parse_base(name, &k) != 0)
        return -1;
    if (ctrl) {
        if (k == ' ')
            k = 0;
        else if (k >= 'a' && k <= 'z')
            k = k - 'a' + 1;
        else if (k >= 'A' && k <= 'Z')
            k = k - 'A' + 1;
        else if (k >= '@' && k <= '_')
            k = k - '@';
        else
            return -1;
    }
    *key = key_normalize(k | (meta ? KEYMAP_META : 0));
    return 0;
}

void
keymap_key_name(int key, char out[KEYMAP_NAME_MAX])
{
    const char *meta = key & KEYMAP_META ? "M-" : "";
    int k = key & ~KEYMAP_META;
    for (size_t i = 0; i < NELEM(key_names); i++)
        if (key_names[i].key == k) {
            snprintf(out, KEYMAP_NAME_MAX, "%s%s", meta, key_names[i].name);
            return;
        }
    if (k & KEYMAP_FN) {
        int fn = k & ~KEYMAP_FN;
        if (fn >= KEY_F(1) && fn <= KEY_F(12))
            snprintf(out, KEYMAP_NAME_MAX, "%sF%d", meta, fn - KEY_F0);
        else
            snprintf(out, KEYMAP_NAME_MAX, "%sKey%o", meta, fn);
        return;
    }
    if (k == 0) {
        snprintf(out, KEYMAP_NAME_MAX, "%sC-Space", meta);
        return;
    }
    if (k < 0x20) {
        snprintf(out, KEYMAP_NAME_MAX, "%sC-%c", meta, k <= 26 ? 'a' + k - 1 : '@' + k);
        return;
    }
    utf8proc_uint8_t buf[8] = {0};
    utf8proc_ssize_t n = utf8proc_encode_char(k, buf);
    buf[n > 0 ? n : 0] = '\0';
    snprintf(out, KEYMAP_NAME_MAX, "%s%s", meta, (const char *)buf);
}

struct keymap *
keymap_new(void)
{
    return xcalloc(1, sizeof(struct keymap));
}

/* Frees the bindings of km, leaving it empty. */
static void
keymap_clear(struct keymap *km)
{
    for (size_t i = 0; i < km->n; i++)
        free(km->bindings[i].file);
    free(km->bindings);
    km->bindings = NULL;
    km->n = 0;
}

void
keymap_free(struct keymap *km)
{
    if (km == NULL)
        return;
    keymap_clear(km);
    free(km);
}

/* Returns the index of the binding of key in ctx, or -1. */
static long
binding_find(const struct keymap *km, enum keymap_context ctx, int key)
{
    for (size_t i = 0; i < km->n; i++)
        if (km->bindings[i].ctx == ctx && km->bindings[i].key == key)
            return (long)i;
    return -1;
}

const struct tui_action *
keymap_lookup(const struct keymap *km, enum keymap_context ctx, int key)
{
    long i = binding_find(km, ctx, key_normalize(key));
    return i < 0 ? NULL : km->bindings[i].action;
}

const struct tui_action *
keymap_resolve(const struct keymap *km, enum keymap_context ctx, int key)
{
    const struct tui_action *a = keymap_lookup(km, ctx, key);
    return a || ctx == KM_GLOBAL ? a : keymap_lookup(km, KM_GLOBAL, key);
}

size_t
keymap_keys_for(const struct keymap *km, enum keymap_context ctx,
                const struct tui_action *action, char *out, size_t cap)
{
    size_t n = 0, len = 0;
    if (cap)
        out[0] = '\0';
    for (size_t i = 0; i < km->n; i++) {
        const struct keymap_binding *b = &km->bindings[i];
        if (b->ctx != ctx || b->action != action)
            continue;
        char name[KEYMAP_NAME_MAX];
        keymap_key_name(b->key, name);
        int w = snprintf(out + len, cap > len ? cap - len : 0, "%s%s", n ? ", " : "", name);
        if (w > 0)
            len = len + (size_t)w < cap ? len + (size_t)w : (cap ? cap - 1 : 0);
        n++;
    }
    return n;
}

/* The problems found while reading one layer of files. */
struct problems {
    struct buf text;
    int count;
};

static void problem(struct problems *p, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Records "FILE:LINE: message"; after KEYMAP_MAX_PROBLEMS, says so once. */
static void
problem(struct problems *p, const char *file, int line, const char *fmt, ...)
{
    if (p->count > KEYMAP_MAX_PROBLEMS)
        return;
    if (p->text.len)
        buf_addc(&p->text, '\n');
    if (++p->count > KEYMAP_MAX_PROBLEMS) {
        buf_printf(&p->text, "%s:%d: too many problems; stopped reporting", file, line);
        return;
    }
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (line > 0)
        buf_printf(&p->text, "%s:%d: %s", file, line, msg);
    else
        buf_printf(&p->text, "%s: %s", file, msg);
}

/* What one file being read knows: its name, the folder for its relative includes, and the
 * lines at which it bound each key (to report a key it binds twice). */
struct reader {
    struct keymap *km;
    struct problems *problems;
    const char *name;
    const char *dir;
    const char *shipped_dir;
    int depth;
    struct keymap mine; /* this file's own bindings: only ctx, key and line are used */
};

static int load_file(struct keymap *km, struct problems *pr, const char *path,
                     const char *shipped_dir, int depth, const char *from, int from_line);

/* Sets (or replaces) the binding of key in ctx. */
static void
binding_set(struct keymap *km, enum keymap_context ctx, int key, const struct tui_action *a,
            const char *file, int line)
{
    long i = binding_find(km, ctx, key);
    if (i < 0) {
        km->bindings = xreallocarray(km->bindings, km->n + 1, sizeof *km->bindings);
        i = (long)km->n++;
    } else {
        free(km->bindings[i].file);
    }
    km->bindings[i] = (struct keymap_binding){ctx, key, a, xstrdup(file ? file : ""), line};
}

/* Removes the binding of key in ctx, if any, keeping the others in order. */
static void
binding_unset(struct keymap *km, enum keymap_context ctx, int key)
{
    long i = binding_find(km, ctx, key);
    if (i < 0)
        return;
    free(km->bindings[i].file);
    memmove(&km->bindings[i], &km->bindings[i + 1],
            (km->n - (size_t)i - 1) * sizeof *km->bindings);
    km->n--;
}

/* Checks CONTEXT and KEY words, reporting problems; returns 0 or -1. */
static int
parse_ctx_key(struct reader *r, int line, const char *ctxw, const char *keyw, int *ctx,
              int *key)
{
    *ctx = keymap_context_parse(ctxw);
    if (*ctx < 0) {
        char *all = context_list();
        problem(r->problems, r->name, line, "unknown context '%.40s'; contexts are %s", ctxw,
                all);
        free(all);
        return -1;
    }
    if (keymap_key_parse(keyw, key) != 0) {
        problem(r->problems, r->name, line,
                "unknown key '%.40s'; write a character, a name such as Enter, Esc, Tab, "
                "Space, Up, PgDn or F1, or C-x and M-x", keyw);
        return -1;
    }
    return 0;
}

/* Handles "bind CONTEXT KEY ACTION". */
static void
do_bind(struct reader *r, int line, char **w)
{
    int ctx, key;
    if (parse_ctx_key(r, line, w[1], w[2], &ctx, &key) != 0)
        return;
    const struct tui_action *a = tui_action_find(ctx, w[3]);
    if (a == NULL) {
        problem(r->problems, r->name, line,
                "unknown action '%.40s' in context %s; `tactful keys --actions` lists them",
                w[3], contexts[ctx].name);
        return;
    }
    long dup = binding_find(&r->mine, ctx, key);
    if (dup >= 0) {
        char kn[KEYMAP_NAME_MAX];
        keymap_key_name(key, kn);
        problem(r->problems, r->name, line, "%s is bound twice in context %s (first at line %d)",
                kn, contexts[ctx].name, r->mine.bindings[dup].line);
        return;
    }
    binding_set(&r->mine, ctx, key, a, NULL, line);
    binding_set(r->km, ctx, key, a, r->name, line);
}

/* Handles "unbind CONTEXT KEY". */
static void
do_unbind(struct reader *r, int line, char **w)
{
    int ctx, key;
    if (parse_ctx_key(r, line, w[1], w[2], &ctx, &key) != 0)
        return;
    binding_unset(r->km, ctx, key);
}

/* Handles "include NAME|PATH". */
static void
do_include(struct reader *r, int line, char **w)
{
    const char *what = w[1];
    char *path;
    if (strchr(what, '/') == NULL && r->shipped_dir != NULL) {
        size_t n = strlen(what);
        path = n > 5 && strcmp(what + n - 5, ".keys") == 0
                   ? xasprintf("%s/%s", r->dir, what)
                   : xasprintf("%s/%s.keys", r->shipped_dir, what);
    } else if (what[0] == '/') {
        path = xstrdup(what);
    } else {
        path = xasprintf("%s/%s", r->dir, what);
    }
    load_file(r->km, r->problems, path, r->shipped_dir, r->depth + 1, r->name, line);
    free(path);
}

/* One directive: its word, how many words it takes, and its handler. */
static const struct {
    const char *name;
    int words;
    const char *usage;
    void (*run)(struct reader *r, int line, char **w);
} directives[] = {
    {"bind", 4, "bind CONTEXT KEY ACTION", do_bind},
    {"unbind", 3, "unbind CONTEXT KEY", do_unbind},
    {"include", 2, "include NAME|PATH", do_include},
};

/* Splits line into at most KEYMAP_MAX_WORDS blank-separated words, in place. */
static int
split_words(char *line, char **w)
{
    int n = 0;
    char *save = NULL;
    for (char *tok = strtok_r(line, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
        if (n == KEYMAP_MAX_WORDS)
            return n + 1;
        w[n++] = tok;
    }
    return n;
}

/* Reads one line: a comment, a blank line or a directive. */
static void
parse_line(struct reader *r, int lineno, char *line)
{
    for (const unsigned char *c = (const unsigned char *)line; *c; c++)
        if ((*c < 0x20 && *c != '\t') || *c == 0x7f) {
            problem(r->problems, r->name, lineno, "the line contains a control character");
            return;
        }
    char *w[KEYMAP_MAX_WORDS];
    int n = split_words(line, w);
    if (n == 0 || w[0][0] == '#')
        return;
    for (size_t d = 0; d < NELEM(directives); d++) {
        if (strcmp(w[0], directives[d].name) != 0)
            continue;
        int want = directives[d].words;
        if (n < want || (n > want && w[want][0] != '#')) {
            problem(r->problems, r->name, lineno, "expected '%s'%s", directives[d].usage,
                    n > want ? "; a comment after it starts with #" : "");
            return;
        }
        directives[d].run(r, lineno, w);
        return;
    }
    problem(r->problems, r->name, lineno,
            "unknown directive '%.40s'; lines are bind, unbind, include or # comments", w[0]);
}

/* Reads text (a whole file) into km, line by line. */
static void
parse_text(struct reader *r, const char *text)
{
    int lineno = 0;
    const char *s = text;
    if (strncmp(s, "\xef\xbb\xbf", 3) == 0)
        s += 3;
    while (*s) {
        size_t len = strcspn(s, "\n");
        lineno++;
        char *line = xstrndup(s, len);
        if (len && line[len - 1] == '\r')
            line[len - 1] = '\0';
        parse_line(r, lineno, line);
        free(line);
        s += len;
        if (*s == '\n')
            s++;
    }
}

/* Returns a newly allocated copy of the folder part of path ("." when there is none). */
static char *
dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL)
        return xstrdup(".");
    if (slash == path)
        return xstrdup("/");
    return xstrndup(path, (size_t)(slash - path));
}

/* Reads text named name into km at include depth. */
static void
load_layer(struct keymap *km, struct problems *pr, const char *text, const char *name,
           const char *shipped_dir, int depth)
{
    char *dir = dir_of(name);
    struct reader r = {km, pr, name, dir, shipped_dir, depth, {0}};
    parse_text(&r, text);
    keymap_clear(&r.mine);
    free(dir);
}

/* Reads the whole file at path (at most KEYMAP_MAX_FILE bytes). */
static char *
read_file(const char *path, char **why)
{
    FILE *f = file_open_regular(path, KEYMAP_MAX_FILE);
    if (f == NULL) {
        *why = file_problem(errno, KEYMAP_MAX_FILE);
        return NULL;
    }
    struct buf b = {0};
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        buf_add(&b, chunk, n);
        if (b.len > KEYMAP_MAX_FILE) {
            *why = file_problem(EFBIG, KEYMAP_MAX_FILE);
            fclose(f);
            buf_free(&b);
            return NULL;
        }
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        *why = xstrdup("read error");
        buf_free(&b);
        return NULL;
    }
    if (memchr(b.data ? b.data : "", '\0', b.len) != NULL) {
        *why = xstrdup("it contains a NUL byte; is it a keymap file?");
        buf_free(&b);
        return NULL;
    }
    return buf_take(&b);
}

/* Reads the file at path into km; from/from_line name the include line that asked for it
 * (NULL for a top-level file). Returns 0, or -1 after recording a problem. */
static int
load_file(struct keymap *km, struct problems *pr, const char *path, const char *shipped_dir,
          int depth, const char *from, int from_line)
{
    if (depth > KEYMAP_MAX_DEPTH) {
        problem(pr, from, from_line, "includes nested more than %d deep; do two files include "
                "each other?", KEYMAP_MAX_DEPTH);
        return -1;
    }
    char *why = NULL;
    char *text = read_file(path, &why);
    if (text == NULL) {
        if (from)
            problem(pr, from, from_line, "cannot include %s: %s", path, why);
        else
            problem(pr, path, 0, "cannot read the keymap: %s", why);
        free(why);
        return -1;
    }
    load_layer(km, pr, text, path, shipped_dir, depth);
    free(text);
    return 0;
}

/* Copies src's bindings into an empty dst. */
static void
keymap_copy(struct keymap *dst, const struct keymap *src)
{
    dst->n = 0;
    dst->bindings = NULL;
    for (size_t i = 0; i < src->n; i++) {
        const struct keymap_binding *b = &src->bindings[i];
        binding_set(dst, b->ctx, b->key, b->action, b->file, b->line);
    }
}

/* Finishes a load: keeps work in km on success, else reports the problems. */
static int
finish(struct keymap *km, struct keymap *work, struct problems *pr, char **err)
{
    if (pr->count == 0) {
        keymap_clear(km);
        *km = *work;
        buf_free(&pr->text);
        return 0;
    }
    keymap_clear(work);
    *err = buf_take(&pr->text);
    return -1;
}

int
keymap_load(struct keymap *km, const char *path, const char *shipped_dir, char **err)
{
    struct keymap work;
    struct problems pr = {0};
    keymap_copy(&work, km);
    load_file(&work, &pr, path, shipped_dir, 0, NULL, 0);
    return finish(km, &work, &pr, err);
}

int
keymap_load_text(struct keymap *km, const char *text, const char *name,
                 const char *shipped_dir, char **err)
{
    struct keymap work;
    struct problems pr = {0};
    keymap_copy(&work, km);
    load_layer(&work, &pr, text, name, shipped_dir, 0);
    return finish(km, &work, &pr, err);
}
