/* Reading rule files: the shipped packs, the office policy and the officer's own rules, all in
 * one INI-like format (tactful(5), "RULE FILES"), plus the one-entry-a-line list files they
 * name. Every problem is reported as FILE:LINE with a sentence; reading goes on after a
 * problem so that one run shows them all.
 *
 * A section's lines are collected first and applied when the section ends, so keys may come
 * in any order (kind after match is fine). A section for a rule that exists already changes
 * it (policy and user files only); the user's file may not weaken a rule the policy locked. */
#include "model/file.h"
#include "model/guard_impl.h"
#include "model/platform.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utf8proc.h>

const char *const guard_kind_names[KIND_COUNT] = {
    [KIND_PHRASE] = "phrase", [KIND_REGEX] = "regex",   [KIND_PII] = "pii",
    [KIND_CAPS] = "caps",     [KIND_METRIC] = "metric", [KIND_LENGTH] = "length",
    [KIND_LINK] = "link",     [KIND_EXPECT] = "expect", [KIND_ECHO] = "echo",
    [KIND_PATTERN] = "pattern", [KIND_MODEL] = "model",
};

const char *const guard_pii_names[PII_COUNT] = {
    [PII_EMAIL] = "email",       [PII_PHONE] = "phone", [PII_NINO] = "nino",
    [PII_POSTCODE] = "postcode", [PII_ADDRESS] = "address", [PII_DOB] = "dob",
    [PII_CARD] = "card",         [PII_NHS] = "nhs",     [PII_REFERENCE] = "reference",
};

static const char *const link_names[LINK_COUNT] = {"domain", "shortener", "http"};
static const char *const metric_names[METRIC_COUNT] = {"sentence", "grade"};
static const char *const need_names[NEED_COUNT] = {"link", "official-link", "channel",
                                                    "pattern"};

const char *const guard_categories[GUARD_NCATEGORIES] = {
    "political", "rebuttal", "commitment", "personal-data", "tone", "plain-english",
    "links", "length", "self-id", "service-request", "escalation", "election",
    GUARD_SUGGEST_CATEGORY,
};

static const char *const layer_names[] = {"shipped pack", "office policy", "user rules file"};

/* One "key = value" line of the current section. */
struct key_spec;

struct item {
    const char *key;          /* both in the file's text, which the guard keeps */
    char *value;
    int line;
    const struct key_spec *spec; /* a rule section's key: its spec (looked up once), or NULL
                                  * when it has none */
};

enum section { SEC_NONE, SEC_RULE, SEC_PACK, SEC_ALLOW, SEC_ELECTION, SEC_CLASS, SEC_BAD };

/* The state of reading one file. */
struct loader {
    struct guard *g;
    enum guard_layer layer;
    const char *file;         /* interned */
    char *dir;                /* for relative list files */
    const char *pack;
    struct buf *errors;
    size_t *nerrors;
    enum section sec;
    char name[GUARD_ID_MAX + 8];
    int sec_line;
    struct item *items;
    size_t nitems, capitems;
    bool anti;                 /* the entry being added is an antipattern */
    const struct key_spec *lastkey; /* the rule key last looked up (most lines repeat the
                               * key before them: match, example) */
    const struct key_spec *prevkey; /* the one looked up before it */
};

static void lerr(struct loader *L, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Records a problem at file:line (file NULL: the current file), up to GUARD_ERRORS_MAX. */
static void
lerr(struct loader *L, const char *file, int line, const char *fmt, ...)
{
    if (*L->nerrors > GUARD_ERRORS_MAX)
        return;
    if (L->errors->len)
        buf_addc(L->errors, '\n');
    if (++*L->nerrors > GUARD_ERRORS_MAX) {
        buf_printf(L->errors, "%s: too many problems; stopped reading here", L->file);
        return;
    }
    buf_printf(L->errors, "%s:%d: ", file ? file : L->file, line);
    va_list ap;
    va_start(ap, fmt);
    char msg[1024];
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    buf_adds(L->errors, msg);
}

const char *
guard_intern(struct guard *g, const char *file)
{
    for (size_t i = 0; i < g->nfiles; i++)
        if (strcmp(g->files[i], file) == 0)
            return g->files[i];
    g->files = xreallocarray(g->files, g->nfiles + 1, sizeof *g->files);
    g->files[g->nfiles] = xstrdup(file);
    return g->files[g->nfiles++];
}

int
guard_category_index(const char *category, size_t len)
{
    for (int i = 0; i < GUARD_NCATEGORIES; i++)
        if (strlen(guard_categories[i]) == len && memcmp(guard_categories[i], category, len) == 0)
            return i;
    return -1;
}

/* Returns the index of name in a table of n names, or -1. */
static int
name_index(const char *const *names, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (names[i] && strcmp(names[i], name) == 0)
            return (int)i;
    return -1;
}

/* Writes "a, b or c" for a table of names into b. */
static void
names_list(struct buf *b, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_adds(b, i + 1 == n ? " or " : ", ");
        buf_adds(b, names[i]);
    }
}

/* Reports that value is not one of names. */
static void
bad_name(struct loader *L, const struct item *it, const char *const *names, size_t n)
{
    struct buf b = {0};
    names_list(&b, names, n);
    lerr(L, NULL, it->line, "%s = '%s' is not known; use %s", it->key, it->value, b.data);
    buf_free(&b);
}

static const char *const template_vars[] = {"match", "replacement", "count", "max", "over",
                                            "platform", "unit", "pattern", "grade"};

bool
guard_template_valid(const char *t, char **bad)
{
    for (const char *p = t; *p; p++) {
        if (p[0] == '{' && p[1] == '{') {
            p++;
            continue;
        }
        if (*p != '{')
            continue;
        const char *e = strchr(p, '}');
        if (e == NULL) {
            *bad = xstrdup(p);
            return false;
        }
        bool known = false;
        for (size_t i = 0; i < NELEM(template_vars); i++)
            if (strlen(template_vars[i]) == (size_t)(e - p - 1) &&
                strncmp(template_vars[i], p + 1, (size_t)(e - p - 1)) == 0)
                known = true;
        if (!known) {
            *bad = xstrndup(p, (size_t)(e - p + 1));
            return false;
        }
        p = e;
    }
    return true;
}

/* Parses info|suggestion|warning|error. Returns -1 when it is none of them. */
static int
parse_level(const char *v)
{
    static const struct {
        const char *name;
        enum guard_severity sev;
    } levels[] = {{"info", GUARD_INFO},
                  {"suggestion", GUARD_INFO},
                  {"warning", GUARD_WARNING},
                  {"error", GUARD_ERROR}};
    for (size_t i = 0; i < NELEM(levels); i++)
        if (strcmp(v, levels[i].name) == 0)
            return (int)levels[i].sev;
    return -1;
}

/* Parses yes|no|true|false|on|off. Returns -1 when it is none of them. */
static int
parse_bool(const char *v)
{
    if (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "on"))
        return 1;
    if (!strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "off"))
        return 0;
    return -1;
}

/* Parses a whole number in [lo, hi]. Returns -1 with nothing set when it is not one. */
static int
parse_long(const char *v, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || end == v || *end || n < lo || n > hi)
        return -1;
    *out = n;
    return 0;
}

/* Whether s is "YYYY-MM-DD" naming a real day. */
static bool
valid_date(const char *s)
{
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
            return false;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    if (y < 1970 || m < 1 || m > 12 || d < 1 || d > days[m - 1])
        return false;
    return !(m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)));
}

/* Whether s is a host name or "*.host": lowercase labels of letters, digits and hyphens. */
static bool
valid_host(const char *s)
{
    if (strncmp(s, "*.", 2) == 0)
        s += 2;
    size_t labels = 0, n = 0;
    for (const char *p = s;; p++) {
        if (*p == '.' || *p == '\0') {
            if (n == 0)
                return false;
            labels++;
            n = 0;
            if (*p == '\0')
                break;
        } else if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-') {
            n++;
        } else {
            return false;
        }
    }
    return labels >= 1;
}

/* Checks a phrase as adding it to a matcher would, keeping its tokens in the guard's matcher
 * (*tok, *ntok), where the phrase is added once the rules are loaded. Reports and returns -1
 * when bad. */
static int
check_phrase(struct loader *L, const char *file, int line, const char *text, uint32_t *tok,
             uint16_t *ntok)
{
    char *err = NULL;
    int rc = guard_phrase_tokens(&L->g->phrases, text, tok, ntok, &err);
    if (rc != 0) {
        lerr(L, file, line, "%s", err);
        free(err);
    }
    return rc;
}

/* Adds a match or except entry to r after checking it for r's kind. file/line say where it
 * was written (a list file's line for list entries). */
static int
add_entry(struct loader *L, struct guard_rule *r, const char *file, int line, char *text,
          bool except)
{
    struct guard *g = L->g;
    if (g->nentries >= GUARD_ENTRIES_MAX) {
        lerr(L, file, line, "more than %d match, except and allow entries in all; split or "
                            "shorten the lists", GUARD_ENTRIES_MAX);
        return -1;
    }
    bool phrase_like = r->kind == KIND_PHRASE || r->kind == KIND_EXPECT ||
                       r->kind == KIND_CAPS || (except && r->kind == KIND_REGEX);
    /* The entry is the file's text, which the guard keeps, unless it is to be rewritten
     * (a replacement split off, a domain lowercased): then a copy, so that a problem is
     * reported with the text as written. */
    bool rewrite = r->kind == KIND_LINK || (phrase_like && !except && strstr(text, "=>"));
    char *body = rewrite ? strarena_dup(&g->strings, text) : text, *replacement = NULL;
    char *arrow = phrase_like && !except && rewrite ? strstr(body, "=>") : NULL;
    if (arrow) {
        char *rep = arrow + 2;
        while (*rep == ' ' || *rep == '\t')
            rep++;
        while (arrow > body && (arrow[-1] == ' ' || arrow[-1] == '\t'))
            arrow--;
        *arrow = '\0';
        if (*rep == '\0' || *body == '\0') {
            lerr(L, file, line, "'%s': write 'words => replacement' with something on both "
                                "sides of =>", text);
            return -1;
        }
        replacement = strarena_dup(&g->strings, rep);
    }
    int rc = 0;
    bool anti = false;
    uint32_t tok = 0;
    uint16_t ntok = 0;
    if (r->kind == KIND_PATTERN && (!except || L->anti)) {
        anti = except; /* parsed once, when compiled; problems are reported then */
    } else if (phrase_like || r->kind == KIND_PATTERN) {
        rc = check_phrase(L, file, line, body, &tok, &ntok);
    } else if (r->kind == KIND_REGEX) {
        char *err = NULL;
        pcre2_code *re = guard_recache_compile(L->g->recache, body, r->case_sensitive, &err);
        if (re == NULL) {
            lerr(L, file, line, "%s", err);
            free(err);
            rc = -1;
        } else {
            r->re = xgrow(r->re, r->nre, sizeof *r->re);
            r->re_jit = xgrow(r->re_jit, r->nre, 1);
            r->re_jit[r->nre] = 0;
            r->re_text = xgrow(r->re_text, r->nre, sizeof *r->re_text);
            r->re_text[r->nre] = xstrdup(body);
            r->re_broken = xgrow(r->re_broken, r->nre, sizeof *r->re_broken);
            r->re_broken[r->nre] = NULL;
            r->re_lead = xgrow(r->re_lead, r->nre, sizeof *r->re_lead);
            r->re_lead[r->nre] = NULL;
            r->re_anchored = xgrow(r->re_anchored, r->nre, sizeof *r->re_anchored);
            r->re_anchored[r->nre] = NULL;
            r->re[r->nre++] = re;
        }
    } else if (r->kind == KIND_LINK) {
        for (char *p = body; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        if (!valid_host(body)) {
            lerr(L, file, line, "'%s' is not a domain name such as gov.uk or *.nhs.uk", text);
            rc = -1;
        }
    } else if (r->kind == KIND_PII) {
        char norm[64];
        if (guard_normalise(body, strlen(body), norm, sizeof norm) == 0) {
            lerr(L, file, line, "'%s' has no letters or digits to compare with", text);
            rc = -1;
        }
    }
    if (rc != 0)
        return -1; /* (body and replacement stay in the guard's strings until it is freed) */
    if (r->nentries == r->capentries) {
        r->capentries = r->capentries ? r->capentries * 2 : 8;
        r->entries = xreallocarray(r->entries, r->capentries, sizeof *r->entries);
    }
    r->entries[r->nentries++] = (struct guard_entry){body, replacement, file, line, except,
                                                     L->layer == LAYER_USER, anti, ntok, tok};
    g->nentries++;
    return 0;
}

/* Reads a whole regular file of at most GUARD_FILE_MAX bytes into a new NUL-terminated
 * string. Returns NULL with errno set as file_open_regular does (EFBIG when too large, EISDIR
 * for a folder, EINVAL for a device or FIFO); file_problem words it. */
static char *
slurp(const char *path, size_t *len)
{
    FILE *f = file_open_regular(path, GUARD_FILE_MAX);
    if (f == NULL)
        return NULL;
    /* Sized by the file (it may still grow or shrink while read), so that loading a dozen
     * small packs does not map and unmap a megabyte each. */
    struct stat st;
    size_t guess = fstat(fileno(f), &st) == 0 && st.st_size >= 0 &&
                           (unsigned long long)st.st_size < GUARD_FILE_MAX
                       ? (size_t)st.st_size + 1
                       : GUARD_FILE_MAX + 1;
    char *data = xmalloc(guess + 1);
    size_t n = fread(data, 1, guess, f);
    while (n == guess && guess <= GUARD_FILE_MAX && !ferror(f)) {
        guess = GUARD_FILE_MAX + 1;
        data = xrealloc(data, guess + 1);
        n += fread(data + n, 1, guess - n, f);
    }
    int failed = ferror(f);
    fclose(f);
    if (failed || n > GUARD_FILE_MAX) {
        free(data);
        errno = failed ? EIO : EFBIG;
        return NULL;
    }
    data[n] = '\0';
    *len = n;
    return data;
}

/* Hands g a file's text once it is read, for its entries, examples and class members to
 * point into (so that each is not copied); freed with g. */
static void
keep_text(struct guard *g, char *data)
{
    g->texts = xgrow(g->texts, g->ntexts, sizeof *g->texts);
    g->texts[g->ntexts++] = data;
}

/* Splits the next line off *p (ending at end) and strips its "\r\n"; *rawlen is its length
 * in bytes, which is more than strlen when the line holds a NUL. Returns NULL at the end. */
static char *
next_line(char **p, const char *end, size_t *rawlen)
{
    if (*p >= end)
        return NULL;
    char *line = *p, *nl = memchr(line, '\n', (size_t)(end - line));
    size_t n = nl ? (size_t)(nl - line) : (size_t)(end - line);
    *p = nl ? nl + 1 : (char *)end;
    line[n] = '\0';
    if (n && line[n - 1] == '\r')
        line[--n] = '\0';
    *rawlen = n;
    return line;
}

/* Whether s[0..n) is all printable ASCII (a space to '~'), eight bytes at a time: most lines
 * of a rule file are, and need no decoding. Over the words x of s, the or of x and x + 1 has
 * no high bit when no byte is 0x7f or over, and then the and of x + 0x60 has every high bit
 * when no byte is under 0x20 (the sums carry out of no byte, each at most 0x7f + 0x60; when
 * some byte is 0x80 or over, the or says so whatever the carries did). */
static bool
plain_ascii(const char *s, size_t n)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    uint64_t any = 0, all = highs;
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        uint64_t x0, x1, x2, x3;
        memcpy(&x0, s + i, 8);
        memcpy(&x1, s + i + 8, 8);
        memcpy(&x2, s + i + 16, 8);
        memcpy(&x3, s + i + 24, 8);
        any |= x0 | (x0 + ones) | x1 | (x1 + ones) | x2 | (x2 + ones) | x3 | (x3 + ones);
        all &= (x0 + ones * 0x60) & (x1 + ones * 0x60) & (x2 + ones * 0x60) &
               (x3 + ones * 0x60);
    }
    for (; i + 8 <= n; i += 8) {
        uint64_t x;
        memcpy(&x, s + i, 8);
        any |= x | (x + ones);
        all &= x + ones * 0x60;
    }
    if (i < n && n >= 8) { /* the last bytes, as the 8 that end s (some already seen) */
        uint64_t x;
        memcpy(&x, s + n - 8, 8);
        any |= x | (x + ones);
        all &= x + ones * 0x60;
        i = n;
    }
    for (; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f)
            return false;
    return (any & highs) == 0 && (all & highs) == highs;
}

/* check_line for a line that is not short printable ASCII: measures and decodes it. */
static int
line_problem(struct loader *L, const char *file, int lineno, const char *line, size_t rawlen)
{
    size_t n = strlen(line);
    if (n != rawlen) {
        lerr(L, file, lineno, "the line holds a NUL byte; save the file as plain UTF-8 text");
        return -1;
    }
    if (n > GUARD_LINE_MAX) {
        lerr(L, file, lineno, "the line is longer than %d bytes; split the entry",
             GUARD_LINE_MAX);
        return -1;
    }
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)line[i];
        if ((c < 0x20 && c != '\t') || c == 0x7f) {
            lerr(L, file, lineno, "the line holds a control character (byte 0x%02x); remove it",
                 c);
            return -1;
        }
        if (c < 0x80) { /* (ASCII: one byte, as guard_utf8_next would say) */
            i++;
            continue;
        }
        int32_t cp;
        i += guard_utf8_next(line, n, i, &cp);
        if (cp < 0) {
            lerr(L, file, lineno, "the line is not valid UTF-8; save the file as UTF-8");
            return -1;
        }
    }
    return 0;
}

/* Checks one line for length, control characters and broken UTF-8. Reports and returns -1.
 * Most lines are short and printable ASCII, which holds no NUL: that is tested in line (this
 * is inlined in the loops over lines), and only the others are measured and decoded. */
static inline int
check_line(struct loader *L, const char *file, int lineno, const char *line, size_t rawlen)
{
    if (rawlen <= GUARD_LINE_MAX && plain_ascii(line, rawlen))
        return 0;
    return line_problem(L, file, lineno, line, rawlen);
}

/* Reads a list file named by a list or except-list key into r's entries. */
static void
read_list(struct loader *L, struct guard_rule *r, const struct item *it, bool except)
{
    char *path = it->value[0] == '/' ? xstrdup(it->value)
                                     : xasprintf("%s/%s", L->dir, it->value);
    size_t len = 0;
    char *data = slurp(path, &len);
    if (data == NULL) {
        char *why = file_problem(errno, GUARD_FILE_MAX);
        lerr(L, NULL, it->line, "cannot read the list %s: %s; check the %s path", path, why,
             it->key);
        free(why);
        free(path);
        return;
    }
    const char *file = guard_intern(L->g, path);
    free(path);
    guard_cache_text(L->g, data, len, L->layer);
    char *p = data, *line;
    int lineno = 0;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    size_t raw;
    while ((line = next_line(&p, data + len, &raw)) != NULL) {
        lineno++;
        if (check_line(L, file, lineno, line, raw) != 0)
            continue;
        while (*line == ' ' || *line == '\t')
            line++;
        size_t n = strlen(line);
        while (n && (line[n - 1] == ' ' || line[n - 1] == '\t'))
            line[--n] = '\0';
        if (n == 0 || line[0] == '#')
            continue;
        if (add_entry(L, r, file, lineno, line, except) != 0 && *L->nerrors > GUARD_ERRORS_MAX)
            break;
    }
    keep_text(L->g, data);
}

/* ---- Keys of rule sections ---- */

#define LY(l) (1u << (l))
#define ALL_LAYERS (LY(LAYER_SHIPPED) | LY(LAYER_POLICY) | LY(LAYER_USER))
#define POLICY_ONLY LY(LAYER_POLICY)
#define KD(k) (1u << (k))
#define PROSE_KINDS (KD(KIND_PHRASE) | KD(KIND_REGEX) | KD(KIND_CAPS) | KD(KIND_PATTERN))
#define W_DEFINE 1 /* when defining a rule */
#define W_CHANGE 2 /* when changing one defined earlier */

typedef int (*key_setter)(struct loader *L, struct guard_rule *r, const struct item *it);

struct key_spec {
    const char *name;
    unsigned layers;
    unsigned when;
    unsigned kinds;           /* 0: every kind */
    bool repeat;
    key_setter set;
    const char *value;        /* what it takes, for the documentation: TEXT, yes|no ... */
    const char *help;         /* what it does; rendered into tactful(5) (see cli/cli.h) */
};

/* Reports that the user's file tries to weaken a locked rule. */
static int
locked_error(struct loader *L, const struct guard_rule *r, const struct item *it,
             const char *what)
{
    lerr(L, NULL, it->line,
         "rule %s is locked by the office policy (%s:%d), so your rules file cannot %s; "
         "remove this line or ask the policy's owner",
         r->id, r->lock_file, r->lock_line, what);
    return -1;
}

/* Whether a change from the user's file to a locked rule must be refused. */
static bool
user_on_locked(const struct loader *L, const struct guard_rule *r)
{
    return L->layer == LAYER_USER && r->locked;
}

static int
set_level(struct loader *L, struct guard_rule *r, const struct item *it)
{
    int lv = parse_level(it->value);
    if (lv < 0) {
        lerr(L, NULL, it->line, "level = '%s' is not known; use info, warning or error",
             it->value);
        return -1;
    }
    if (user_on_locked(L, r) && lv < (int)r->level)
        return locked_error(L, r, it, "lower its level");
    r->level = (enum guard_severity)lv;
    return 0;
}

static int
set_election(struct loader *L, struct guard_rule *r, const struct item *it)
{
    int lv = parse_level(it->value);
    if (lv < 0) {
        lerr(L, NULL, it->line, "election = '%s' is not known; use info, warning or error",
             it->value);
        return -1;
    }
    if (user_on_locked(L, r) && r->election_set && lv < (int)r->election_level)
        return locked_error(L, r, it, "lower its election-period level");
    r->election_level = (enum guard_severity)lv;
    r->election_set = true;
    return 0;
}

static int
set_applies(struct loader *L, struct guard_rule *r, const struct item *it)
{
    static const char *const names[] = {"draft", "incoming", "both"};
    static const enum guard_applies values[] = {APPLIES_DRAFT, APPLIES_INCOMING, APPLIES_BOTH};
    int i = name_index(names, NELEM(names), it->value);
    if (i < 0) {
        bad_name(L, it, names, NELEM(names));
        return -1;
    }
    r->applies = values[i];
    return 0;
}

static int
set_mode(struct loader *L, struct guard_rule *r, const struct item *it)
{
    static const char *const names[] = {"always", "election"};
    int i = name_index(names, NELEM(names), it->value);
    if (i < 0) {
        bad_name(L, it, names, NELEM(names));
        return -1;
    }
    r->election_only = i == 1;
    return 0;
}

/* Sets a message or fix template after checking its {variables}. */
static int
set_template(struct loader *L, const struct item *it, char **dst)
{
    char *bad = NULL;
    if (!guard_template_valid(it->value, &bad)) {
        lerr(L, NULL, it->line,
             "%s uses %s, which is not known; use {match}, {replacement}, {count}, {max}, "
             "{over}, {platform}, {unit}, {pattern} or {grade} (write {{ for a brace)",
             it->key, bad);
        free(bad);
        return -1;
    }
    free(*dst);
    *dst = xstrdup(it->value);
    return 0;
}

static int
set_message(struct loader *L, struct guard_rule *r, const struct item *it)
{
    return set_template(L, it, &r->message);
}

static int
set_fix(struct loader *L, struct guard_rule *r, const struct item *it)
{
    return set_template(L, it, &r->fix);
}

static int
set_match(struct loader *L, struct guard_rule *r, const struct item *it)
{
    if (r->kind == KIND_LINK && r->sub != LINK_SHORTENER) {
        lerr(L, NULL, it->line, "a links %s rule takes except = DOMAIN, not match",
             link_names[r->sub]);
        return -1;
    }
    return add_entry(L, r, L->file, it->line, it->value, false);
}

static int
set_except(struct loader *L, struct guard_rule *r, const struct item *it)
{
    if (user_on_locked(L, r))
        return locked_error(L, r, it, "add exceptions to it");
    return add_entry(L, r, L->file, it->line, it->value, true);
}

static int
set_list(struct loader *L, struct guard_rule *r, const struct item *it)
{
    if (r->kind == KIND_LINK && r->sub != LINK_SHORTENER) {
        lerr(L, NULL, it->line, "a links %s rule takes except-list = FILE, not list",
             link_names[r->sub]);
        return -1;
    }
    read_list(L, r, it, false);
    return 0;
}

static int
set_except_list(struct loader *L, struct guard_rule *r, const struct item *it)
{
    if (user_on_locked(L, r))
        return locked_error(L, r, it, "add exceptions to it");
    read_list(L, r, it, true);
    return 0;
}

static int
set_case(struct loader *L, struct guard_rule *r, const struct item *it)
{
    static const char *const names[] = {"insensitive", "sensitive"};
    int i = name_index(names, NELEM(names), it->value);
    if (i < 0) {
        bad_name(L, it, names, NELEM(names));
        return -1;
    }
    r->case_sensitive = i == 1;
    return 0;
}

static int
set_scope(struct loader *L, struct guard_rule *r, const struct item *it)
{
    static const char *const names[] = {"prose", "raw"};
    int i = name_index(names, NELEM(names), it->value);
    if (i < 0) {
        bad_name(L, it, names, NELEM(names));
        return -1;
    }
    r->raw_scope = i == 1;
    return 0;
}

/* Sets r->sub from a table of names. */
static int
set_sub(struct loader *L, struct guard_rule *r, const struct item *it,
        const char *const *names, size_t n)
{
    int i = name_index(names, n, it->value);
    if (i < 0) {
        bad_name(L, it, names, n);
        return -1;
    }
    r->sub = i;
    return 0;
}

static int
set_detect(struct loader *L, struct guard_rule *r, const struct item *it)
{
    return set_sub(L, r, it, guard_pii_names, PII_COUNT);
}

static int
set_check(struct loader *L, struct guard_rule *r, const struct item *it)
{
    return set_sub(L, r, it, link_names, LINK_COUNT);
}

static int
set_metric(struct loader *L, struct guard_rule *r, const struct item *it)
{
    return set_sub(L, r, it, metric_names, METRIC_COUNT);
}

/* Sets a numeric parameter in [lo, hi]. */
static int
set_number(struct loader *L, struct guard_rule *r, const struct item *it, long *dst, long lo,
           long hi)
{
    long v;
    if (parse_long(it->value, lo, hi, &v) != 0) {
        lerr(L, NULL, it->line, "%s = '%s' must be a whole number from %ld to %ld", it->key,
             it->value, lo, hi);
        return -1;
    }
    if (user_on_locked(L, r) && v != *dst)
        return locked_error(L, r, it, "change its limits");
    *dst = v;
    return 0;
}

static int
set_max(struct loader *L, struct guard_rule *r, const struct item *it)
{
    return set_number(L, r, it, &r->max, 1, 1000000);
}

static int
set_min(struct loader *L, struct guard_rule *r, const struct item *it)
{
    return set_number(L, r, it, &r->min, 1, 1000);
}

static int
set_max_bytes(struct loader *L, struct guard_rule *r, const struct item *it)
{
    return set_number(L, r, it, &r->max_bytes, 1, 10000000);
}

static int
set_warn(struct loader *L, struct guard_rule *r, const struct item *it)
{
    return set_number(L, r, it, &r->warn, 1, 99);
}

static int
set_platform(struct loader *L, struct guard_rule *r, const struct item *it)
{
    if (platform_find(it->value) == NULL) {
        char *names = platform_names(" or ");
        lerr(L, NULL, it->line, "%s = '%s' is not known; use %s", it->key, it->value, names);
        free(names);
        return -1;
    }
    free(r->platform);
    r->platform = xstrdup(it->value);
    return 0;
}

static int
set_need(struct loader *L, struct guard_rule *r, const struct item *it)
{
    if (strncmp(it->value, "pattern ", 8) == 0) {
        const char *id = it->value + 8;
        while (*id == ' ')
            id++;
        if (guard_pattern_find(id) == NULL) {
            lerr(L, NULL, it->line, "need = pattern '%s': no such response pattern", id);
            return -1;
        }
        r->sub = NEED_PATTERN;
        free(r->need_pattern);
        r->need_pattern = xstrdup(id);
        return 0;
    }
    int i = name_index(need_names, NEED_PATTERN, it->value);
    if (i < 0) {
        lerr(L, NULL, it->line,
             "need = '%s' is not known; use link, official-link, channel or pattern NAME",
             it->value);
        return -1;
    }
    r->sub = i;
    return 0;
}

static int
set_pattern(struct loader *L, struct guard_rule *r, const struct item *it)
{
    if (guard_pattern_find(it->value) == NULL) {
        lerr(L, NULL, it->line, "pattern = '%s': no such response pattern", it->value);
        return -1;
    }
    free(r->pattern);
    r->pattern = xstrdup(it->value);
    return 0;
}

static int
set_when(struct loader *L, struct guard_rule *r, const struct item *it)
{
    int i = guard_category_index(it->value, strlen(it->value));
    if (i < 0) {
        bad_name(L, it, guard_categories, GUARD_NCATEGORIES);
        return -1;
    }
    r->when = i;
    return 0;
}

/* Reads item it, a list of response pattern ids separated by blanks or commas (`key = ...`),
 * into ids[] (guard_patterns' own strings, at most GUARD_RULE_SUGGESTS_MAX) and *n; with nots,
 * an id may start with '!', noted in nots[]. Returns 0, or -1 after reporting an unknown id or
 * too many. */
static int
pattern_list(struct loader *L, const struct item *it, const char *key, const char **ids,
             bool *nots, size_t *n)
{
    *n = 0;
    for (const char *p = it->value + strspn(it->value, " \t,"); *p; p += strspn(p, " \t,")) {
        size_t len = strcspn(p, " \t,");
        bool not = nots && *p == '!';
        char id[GUARD_ID_MAX + 1];
        snprintf(id, sizeof id, "%.*s", (int)(len - not < GUARD_ID_MAX ? len - not : GUARD_ID_MAX),
                 p + not);
        p += len;
        const struct guard_pattern *gp = guard_pattern_find(id);
        if (gp == NULL) {
            lerr(L, NULL, it->line, "%s = ... names '%s', which is no response pattern; see "
                                    "`tactful patterns`", key, id);
            return -1;
        }
        if (*n == GUARD_RULE_SUGGESTS_MAX) {
            lerr(L, NULL, it->line, "%s = ... names more than %d patterns", key,
                 GUARD_RULE_SUGGESTS_MAX);
            return -1;
        }
        if (nots)
            nots[*n] = not;
        ids[(*n)++] = gp->id;
    }
    return 0;
}

/* suggests = PATTERN [PATTERN...]: the response patterns a suggest rule proposes when it
 * matches the post answered, best first; each must be a known pattern id. */
static int
set_suggests(struct loader *L, struct guard_rule *r, const struct item *it)
{
    const char *ids[GUARD_RULE_SUGGESTS_MAX];
    size_t n;
    if (pattern_list(L, it, "suggests", ids, NULL, &n) != 0)
        return -1;
    if (n == 0) {
        lerr(L, NULL, it->line, "suggests = ... names no pattern; see `tactful patterns`");
        return -1;
    }
    memcpy(r->suggests, ids, n * sizeof *ids);
    r->nsuggests = n;
    return 0;
}

/* waive = PATTERN [!PATTERN...]: an expect rule is waived when the suggest rules find that
 * the post answered fits every PATTERN named and none named with a leading '!'; each `waive`
 * line is one more way to be waived. */
static int
set_waive(struct loader *L, struct guard_rule *r, const struct item *it)
{
    if (r->nwaivers == GUARD_RULE_WAIVERS_MAX) {
        lerr(L, NULL, it->line, "a rule takes at most %d waive lines", GUARD_RULE_WAIVERS_MAX);
        return -1;
    }
    struct guard_waiver w = {0};
    if (pattern_list(L, it, "waive", w.pattern, w.not, &w.n) != 0)
        return -1;
    size_t plain = 0;
    for (size_t i = 0; i < w.n; i++)
        plain += !w.not[i];
    if (plain == 0) {
        lerr(L, NULL, it->line, "waive = ... names no pattern the post must fit "
                                "(`waive = acknowledgement !signposting`)");
        return -1;
    }
    r->waivers[r->nwaivers++] = w;
    return 0;
}

static int
set_enabled(struct loader *L, struct guard_rule *r, const struct item *it)
{
    int b = parse_bool(it->value);
    if (b < 0) {
        lerr(L, NULL, it->line, "enabled = '%s': use yes or no", it->value);
        return -1;
    }
    if (user_on_locked(L, r) && !b)
        return locked_error(L, r, it, "turn it off");
    r->enabled = b;
    return 0;
}

static int
set_lock(struct loader *L, struct guard_rule *r, const struct item *it)
{
    int b = parse_bool(it->value);
    if (b < 0) {
        lerr(L, NULL, it->line, "lock = '%s': use yes or no", it->value);
        return -1;
    }
    r->locked = b;
    r->lock_file = L->file;
    r->lock_line = it->line;
    return 0;
}

static int
set_approval(struct loader *L, struct guard_rule *r, const struct item *it)
{
    int b = parse_bool(it->value);
    if (b < 0) {
        lerr(L, NULL, it->line, "approval = '%s': use yes or no", it->value);
        return -1;
    }
    r->approval = b;
    return 0;
}

static int
set_antipattern(struct loader *L, struct guard_rule *r, const struct item *it)
{
    if (user_on_locked(L, r))
        return locked_error(L, r, it, "add antipatterns to it");
    L->anti = true;
    int rc = add_entry(L, r, L->file, it->line, it->value, true);
    L->anti = false;
    return rc;
}

/* Adds an example (must_fire) or a counterexample to r. */
static int
add_example(struct loader *L, struct guard_rule *r, const struct item *it, bool must_fire)
{
    if (r->nexamples >= 64) {
        lerr(L, NULL, it->line, "rule %s has more than 64 examples", r->id);
        return -1;
    }
    r->examples = xgrow(r->examples, r->nexamples, sizeof *r->examples);
    r->examples[r->nexamples++] = (struct guard_rule_example){it->value, L->file, it->line,
                                                              must_fire};
    return 0;
}

static int
set_example(struct loader *L, struct guard_rule *r, const struct item *it)
{
    return add_example(L, r, it, true);
}

static int
set_counterexample(struct loader *L, struct guard_rule *r, const struct item *it)
{
    return add_example(L, r, it, false);
}

static int
set_example_post(struct loader *L, struct guard_rule *r, const struct item *it)
{
    (void)L;
    free(r->example_post);
    r->example_post = xstrdup(it->value);
    return 0;
}

/* model = FILE: the word model's file, beside the rule file unless absolute. */
static int
set_model(struct loader *L, struct guard_rule *r, const struct item *it)
{
    char *path = it->value[0] == '/' ? xstrdup(it->value)
                                     : xasprintf("%s/%s", L->dir, it->value);
    if (access(path, R_OK) != 0) {
        lerr(L, NULL, it->line, "cannot read the model %s: %s; check the model path", path,
             strerror(errno));
        free(path);
        return -1;
    }
    guard_lexmodel_free(r->lexmodel);
    r->lexmodel = guard_lexmodel_new(path);
    r->sub = 0;
    free(path);
    return 0;
}

/* threshold = NUMBER: the score above which a model rule fires. */
static int
set_threshold(struct loader *L, struct guard_rule *r, const struct item *it)
{
    char *end = NULL;
    double t = strtod(it->value, &end);
    if (end == it->value || *end != '\0' || !isfinite(t) || t < -100 || t > 100) {
        lerr(L, NULL, it->line, "threshold takes a number from -100 to 100, not %s", it->value);
        return -1;
    }
    r->threshold = t;
    return 0;
}

/* Every key a rule section may hold. kind is read before the others (see apply_rule). */
static const struct key_spec rule_keys[] = {
    {"kind", ALL_LAYERS, W_DEFINE, 0, false, NULL, "KIND",
     "Required when defining a rule; see `Kinds`.\n"},
    {"level", ALL_LAYERS, W_DEFINE | W_CHANGE, 0, false, set_level,
     "info|suggestion|warning|error",
     "Required.\n"
     "`suggestion` is another name for `info`.\n"
     "Errors make `tactful check` exit with status 1; warnings and info never block a\n"
     "reply.\n"},
    {"election", ALL_LAYERS, W_DEFINE | W_CHANGE, 0, false, set_election, "LEVEL",
     "The level during the election period, if stricter.\n"},
    {"applies", ALL_LAYERS, W_DEFINE, 0, false, set_applies, "draft|incoming|both",
     "What the rule reads: the draft (the default) or the post being answered\n"
     "(`--context`).\n"
     "`length`, `metric`, `expect` and `echo` rules read the draft only.\n"},
    {"mode", ALL_LAYERS, W_DEFINE, 0, false, set_mode, "always|election",
     "`election` rules run only during the election period.\n"},
    {"message", ALL_LAYERS, W_DEFINE, 0, false, set_message, "TEXT",
     "Required: what may be wrong, a sentence.\n"
     "The policy may reword a rule defined elsewhere.\n"},
    {"fix", ALL_LAYERS, W_DEFINE, 0, false, set_fix, "TEXT",
     "How to put it right; the policy may reword it too.\n"
     "In both, `{match}` (the text found, spaces collapsed, at most 80 bytes),\n"
     "`{replacement}`, `{count}`, `{max}`, `{over}`, `{platform}`, `{unit}`, `{pattern}`\n"
     "and `{grade}` are replaced; write `{{` for a brace.\n"
     "Any other {NAME} is an error.\n"},
    {"match", ALL_LAYERS, W_DEFINE | W_CHANGE,
     KD(KIND_PHRASE) | KD(KIND_REGEX) | KD(KIND_EXPECT) | KD(KIND_LINK) | KD(KIND_CAPS) |
         KD(KIND_PATTERN),
     true, set_match, "ENTRY",
     "What the rule looks for (see `Kinds`).\n"
     "In phrases, `WORDS => PLAIN WORDS` gives a replacement for `{replacement}`.\n"},
    {"antipattern", ALL_LAYERS, W_DEFINE | W_CHANGE, KD(KIND_PATTERN), true, set_antipattern,
     "PATTERN",
     "A token pattern for a context in which the rule must stay silent: a match it\n"
     "overlaps is not reported (`antipattern = (photo|film) ~shoot`).\n"
     "This is how a false alarm is fixed: by a line, not by deleting a match.\n"},
    {"example", ALL_LAYERS, W_DEFINE | W_CHANGE, 0, true, set_example, "TEXT",
     "A reply the rule must fire on (for rules that read only the post being answered, a\n"
     "post).\n"
     "`tactful rules --test` checks every rule's examples, and `make check` those of\n"
     "every shipped rule, each of which carries at least one example and one\n"
     "counterexample.\n"},
    {"counterexample", ALL_LAYERS, W_DEFINE | W_CHANGE, 0, true, set_counterexample, "TEXT",
     "A reply (or post) the rule must not fire on.\n"},
    {"example-post", ALL_LAYERS, W_DEFINE | W_CHANGE, 0, false, set_example_post, "TEXT",
     "The post the examples answer, for rules that depend on it (`when = ...`).\n"},
    {"except", ALL_LAYERS, W_DEFINE | W_CHANGE, PROSE_KINDS | KD(KIND_PII) | KD(KIND_LINK),
     true, set_except, "ENTRY",
     "What the rule must leave alone.\n"
     "A phrase except suppresses any finding of the rule it overlaps\n"
     "(`except = labour market`).\n"},
    {"list", ALL_LAYERS, W_DEFINE | W_CHANGE,
     KD(KIND_PHRASE) | KD(KIND_EXPECT) | KD(KIND_LINK) | KD(KIND_CAPS) | KD(KIND_PATTERN), true,
     set_list, "FILE",
     "A file of `match` entries, one a line (blank lines and lines starting with `#` are\n"
     "skipped), relative to the rule file's folder.\n"
     "Its problems are reported with its own name and line.\n"},
    {"except-list", ALL_LAYERS, W_DEFINE | W_CHANGE,
     PROSE_KINDS | KD(KIND_PII) | KD(KIND_LINK), true, set_except_list, "FILE",
     "A file of `except` entries, read as `list` is.\n"},
    {"case", ALL_LAYERS, W_DEFINE, KD(KIND_PHRASE) | KD(KIND_REGEX), false, set_case,
     "insensitive|sensitive", "Phrase and regex rules ignore case unless `sensitive`.\n"},
    {"scope", ALL_LAYERS, W_DEFINE, KD(KIND_REGEX), false, set_scope, "prose|raw",
     "Regex rules read prose only: links, e-mail addresses, @handles and #hashtags are\n"
     "blanked out unless `raw`.\n"},
    {"detect", ALL_LAYERS, W_DEFINE, KD(KIND_PII), false, set_detect, "SCANNER",
     "The personal-data scanner: `email`, `phone`, `nino`, `postcode`, `address`, `dob`,\n"
     "`card`, `nhs` or `reference` (see `Kinds`).\n"},
    {"check", ALL_LAYERS, W_DEFINE, KD(KIND_LINK), false, set_check, "domain|shortener|http",
     "Which links are flagged: hosts that are not official, shorteners, or plain http\n"
     "(see `Kinds`).\n"},
    {"metric", ALL_LAYERS, W_DEFINE, KD(KIND_METRIC), false, set_metric, "sentence|grade",
     "Sentences of more than `max` words, or a reading grade over `max`.\n"},
    {"max", ALL_LAYERS, W_DEFINE | W_CHANGE, KD(KIND_METRIC) | KD(KIND_LENGTH), false,
     set_max, "N", "The most words, grade or characters allowed.\n"},
    {"min", ALL_LAYERS, W_DEFINE | W_CHANGE, KD(KIND_METRIC) | KD(KIND_CAPS), false,
     set_min, "N",
     "For `caps`, the shortest run of capitalised words flagged (default 2); for `grade`,\n"
     "the fewest sentences a draft needs to be graded (default 3).\n"},
    {"max-bytes", ALL_LAYERS, W_DEFINE | W_CHANGE, KD(KIND_LENGTH), false, set_max_bytes,
     "BYTES", "The most bytes allowed, for platforms that also limit bytes.\n"},
    {"warn", ALL_LAYERS, W_DEFINE | W_CHANGE, KD(KIND_LENGTH), false, set_warn, "PERCENT",
     "An info finding when that much of the limit is used.\n"},
    {"platform", ALL_LAYERS, W_DEFINE, KD(KIND_LENGTH), false, set_platform,
     "mastodon|bluesky|wordpress", "The platform whose limit the rule checks.\n"},
    {"need", ALL_LAYERS, W_DEFINE, KD(KIND_EXPECT), false, set_need,
     "link|official-link|channel|pattern ID",
     "What the draft must contain; see `expect` under `Kinds`.\n"},
    {"pattern", ALL_LAYERS, W_DEFINE, KD(KIND_EXPECT), false, set_pattern, "ID",
     "Run the rule only for drafts following response pattern ID.\n"},
    {"when", ALL_LAYERS, W_DEFINE, KD(KIND_EXPECT) | KD(KIND_PATTERN), false, set_when,
     "CATEGORY",
     "Run the rule only when a rule of that category found something in the post being\n"
     "answered (a pattern rule so made reads the draft only): a child's school year in a\n"
     "reply is a disclosure when the post spoke of the poster's child.\n"},
    {"waive", ALL_LAYERS, W_DEFINE, KD(KIND_EXPECT), true, set_waive, "PATTERN [!PATTERN]...",
     "Waive the rule when the suggest rules (see `suggests`) read the post being answered\n"
     "as fitting every PATTERN named and none named with a leading `!`: the channel a\n"
     "casework post needs is not asked of a reply to thanks for a case that went well\n"
     "(`waive = acknowledgement !signposting`). Each `waive` line is one more way to be\n"
     "waived (at most 4). Without a post nothing is waived.\n"},
    {"suggests", ALL_LAYERS, W_DEFINE, 0, false, set_suggests, "PATTERN...",
     "Only in [suggest.NAME] rules, which suggest response patterns instead of checking:\n"
     "when the rule matches the post being answered, these response patterns fit it, best\n"
     "first (ids as `tactful patterns` lists them; blanks or commas between them; at most\n"
     "8).\n"
     "A suggest rule needs `applies = incoming`, may be of any kind that reads the post\n"
     "(`phrase`, `regex` ...), and never gives findings; `tactful patterns --for` and the\n"
     "ready-reckoner show its patterns with its `message` as the reason, written to follow\n"
     "\"the post\" (`message = asks a question`).\n"
     "Its `level` weighs it: a pattern's score is the sum of the levels of the rules that\n"
     "suggest it (info 1, warning 2, error 3), each counted once; the three best are shown,\n"
     "ties going to the one found earlier in the post.\n"
     "For example:\n"
     "  [suggest.question]\n"
     "  level    = warning\n"
     "  kind     = regex\n"
     "  applies  = incoming\n"
     "  suggests = exploratory clarification\n"
     "  message  = asks a question\n"
     "  match    = \\?\n"},
    {"model", ALL_LAYERS, W_DEFINE, KD(KIND_MODEL), false, set_model, "FILE",
     "The word model's file (beside the rule file unless absolute), made by\n"
     "tests/guardrails/train-model.py; see `model` under `Kinds`.\n"},
    {"threshold", ALL_LAYERS, W_DEFINE | W_CHANGE, KD(KIND_MODEL), false, set_threshold,
     "NUMBER", "A model rule fires when the score is above this (default 0). An office that\n"
     "finds a model too eager can raise it in its policy (`[tone.reads-like]` then\n"
     "`threshold = 6`). The shipped thresholds (tone 3, service requests 5, escalation 1,\n"
     "election 0.5, personal data 5, commitments 8, self-identification 3.5) were chosen by\n"
     "replaying blind batches of labelled replies against the rules and models that had\n"
     "not yet seen them, and raised where a remade model read a plain sentence as a problem.\n"
     "The self-identification model assumes the account speaks as \"we\": an office that\n"
     "writes in the first person turns it off (`[self-id.reads-like]` then `enabled = no`).\n"},
    {"enabled", ALL_LAYERS, W_DEFINE | W_CHANGE, 0, false, set_enabled, "yes|no",
     "Turn a rule off or back on.\n"},
    {"lock", POLICY_ONLY, W_DEFINE | W_CHANGE, 0, false, set_lock, "yes|no",
     "The officer's rules file may not turn the rule off, lower its level or election\n"
     "level, add exceptions to it, or change its `max`, `min`, `max-bytes` or `warn`.\n"},
    {"approval", POLICY_ONLY, W_DEFINE | W_CHANGE, 0, false, set_approval, "yes|no",
     "A finding of this rule cannot be overridden by the officer alone: a second officer\n"
     "must approve sending past it.\n"},
};

int
guard_rule_key_doc(size_t i, struct guard_rule_key_doc *out)
{
    if (i >= NELEM(rule_keys))
        return -1;
    const struct key_spec *k = &rule_keys[i];
    *out = (struct guard_rule_key_doc){
        .name = k->name,
        .value = k->value,
        .help = k->help,
        .policy_only = k->layers == POLICY_ONLY,
        .repeat = k->repeat,
        .changeable = (k->when & W_CHANGE) != 0,
    };
    /* The kinds it belongs to, as "phrase, regex and pattern". */
    size_t n = 0, left = 0;
    for (int kind = 0; kind < KIND_COUNT; kind++)
        left += (k->kinds & KD(kind)) != 0;
    for (int kind = 0; kind < KIND_COUNT; kind++) {
        if (!(k->kinds & KD(kind)))
            continue;
        left--;
        n += (size_t)snprintf(out->kinds + n, sizeof out->kinds - n, "%s%s",
                              guard_kind_names[kind], left > 1 ? ", " : left ? " and " : "");
        if (n >= sizeof out->kinds)
            break;
    }
    return 0;
}

/* Keys the policy may change on a rule defined elsewhere, beyond W_CHANGE ones: rewording. */
static bool
policy_may_reword(const struct loader *L, const struct key_spec *k)
{
    return L->layer == LAYER_POLICY && (k->set == set_message || k->set == set_fix);
}

/* The spec of a rule key, or NULL; the first two letters are compared before the rest, as
 * most keys share a first letter with several others (match, max, message, metric). */
static const struct key_spec *
rule_key(const char *name)
{
    for (size_t i = 0; i < NELEM(rule_keys); i++)
        if (rule_keys[i].name[0] == name[0] && rule_keys[i].name[1] == name[1] &&
            strcmp(rule_keys[i].name, name) == 0)
            return &rule_keys[i];
    return NULL;
}

/* The spec of a rule key, or NULL, for a line of L's file: the keys of the two lines before
 * (the last two keys told apart) are compared first, as sections repeat a key or alternate
 * two (example and counterexample, match and except). */
static const struct key_spec *
loader_rule_key(struct loader *L, const char *name)
{
    if (L->lastkey != NULL && strcmp(L->lastkey->name, name) == 0)
        return L->lastkey;
    const struct key_spec *k = L->prevkey != NULL && strcmp(L->prevkey->name, name) == 0
                                   ? L->prevkey
                                   : rule_key(name);
    L->prevkey = L->lastkey;
    L->lastkey = k;
    return k;
}

/* Returns the rule called id, or NULL; rules are compared by their ids' hashes first, as
 * every section looks through all the rules before it. */
static struct guard_rule *
find_rule(struct guard *g, const char *id)
{
    uint32_t h = guard_hash(id, strlen(id));
    for (size_t i = 0; i < g->nrules; i++)
        if (g->rules[i].idhash == h && strcmp(g->rules[i].id, id) == 0)
            return &g->rules[i];
    return NULL;
}

/* Checks that a rule id is CATEGORY.NAME with a known category. Reports and returns -1. */
static int
check_rule_id(struct loader *L, const char *id)
{
    const char *dot = strchr(id, '.');
    size_t n = strlen(id);
    bool ok = dot && dot > id && dot[1] && n <= GUARD_ID_MAX;
    for (const char *p = dot ? dot + 1 : id; ok && *p; p++)
        ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-';
    if (!ok) {
        lerr(L, NULL, L->sec_line,
             "[%s] is not a rule id; write [CATEGORY.NAME] with NAME in lowercase letters, "
             "digits and hyphens (at most %d characters in all)",
             id, GUARD_ID_MAX);
        return -1;
    }
    if (guard_category_index(id, (size_t)(dot - id)) < 0) {
        struct buf b = {0};
        names_list(&b, guard_categories, GUARD_NCATEGORIES);
        lerr(L, NULL, L->sec_line, "[%s]: unknown category '%.*s'; use %s", id,
             (int)(dot - id), id, b.data);
        buf_free(&b);
        return -1;
    }
    return 0;
}

/* Finds the item called key in the current section, or NULL. */
static const struct item *
section_item(const struct loader *L, const char *key)
{
    for (size_t i = 0; i < L->nitems; i++)
        if (L->items[i].key[0] == key[0] && strcmp(L->items[i].key, key) == 0)
            return &L->items[i];
    return NULL;
}

/* Starts a new rule from the current section with its defaults and kind. */
static struct guard_rule *
new_rule(struct loader *L, const char *id)
{
    struct guard *g = L->g;
    const struct item *kind = section_item(L, "kind");
    if (kind == NULL) {
        lerr(L, NULL, L->sec_line, "rule %s has no kind; add kind = phrase, pattern, regex, "
                                   "pii, caps, metric, length, link, expect or echo", id);
        return NULL;
    }
    int k = name_index(guard_kind_names, KIND_COUNT, kind->value);
    if (k < 0) {
        bad_name(L, kind, guard_kind_names, KIND_COUNT);
        return NULL;
    }
    if (g->nrules >= GUARD_RULES_MAX) {
        lerr(L, NULL, L->sec_line, "more than %d rules; this one is left out", GUARD_RULES_MAX);
        return NULL;
    }
    if (g->nrules == g->caprules) {
        g->caprules = g->caprules ? g->caprules * 2 : 64;
        g->rules = xreallocarray(g->rules, g->caprules, sizeof *g->rules);
    }
    struct guard_rule *r = &g->rules[g->nrules++];
    memset(r, 0, sizeof *r);
    r->id = xstrdup(id);
    r->idhash = guard_hash(id, strlen(id));
    /* Categories are one of guard_categories (checked by check_rule_id): share its strings. */
    r->category = guard_categories[guard_category_index(id, (size_t)(strchr(id, '.') - id))];
    r->pack = xstrdup(L->pack);
    r->file = L->file;
    r->line = L->sec_line;
    r->layer = L->layer;
    r->level = (enum guard_severity)-1;
    r->applies = APPLIES_DRAFT;
    r->kind = (enum guard_kind)k;
    r->sub = -1;
    r->when = -1;
    r->enabled = true;
    r->min = k == KIND_CAPS ? 2 : k == KIND_METRIC ? 3 : 0;
    return r;
}

/* Checks what a suggest rule needs once its keys are read: suggests = ... and applies =
 * incoming; and that no other rule has suggests. */
static void
finish_suggest(struct loader *L, struct guard_rule *r)
{
    if (!guard_rule_suggests(r)) {
        if (section_item(L, "suggests"))
            lerr(L, NULL, section_item(L, "suggests")->line,
                 "only suggest rules ([suggest.NAME]) take suggests = ...");
        return;
    }
    if (r->nsuggests == 0 && section_item(L, "suggests") == NULL)
        lerr(L, NULL, r->line, "rule %s needs suggests = PATTERN [PATTERN...]", r->id);
    if (r->applies != APPLIES_INCOMING)
        lerr(L, NULL, r->line, "rule %s: suggest rules read the post answered; add applies = "
                               "incoming", r->id);
}

/* Checks what a new rule must have once all its keys are read. */
static void
finish_rule(struct loader *L, struct guard_rule *r)
{
    static const char *const needs[KIND_COUNT] = {
        [KIND_PII] = "detect = email, phone, nino, postcode, address, dob, card, nhs or "
                     "reference",
        [KIND_LINK] = "check = domain, shortener or http",
        [KIND_METRIC] = "metric = sentence or grade",
        [KIND_EXPECT] = "need = link, official-link, channel or pattern NAME",
        [KIND_MODEL] = "model = FILE (made by tests/guardrails/train-model.py)",
    };
    /* A key given but refused was reported already; only a missing one is reported here. */
    static const char *const need_keys[KIND_COUNT] = {
        [KIND_PII] = "detect", [KIND_LINK] = "check", [KIND_METRIC] = "metric",
        [KIND_EXPECT] = "need", [KIND_MODEL] = "model"};
    if ((int)r->level < 0) {
        if (section_item(L, "level") == NULL)
            lerr(L, NULL, r->line, "rule %s has no level; add level = info, warning or error",
                 r->id);
        r->level = GUARD_WARNING;
    }
    if (r->message == NULL && section_item(L, "message") == NULL)
        lerr(L, NULL, r->line, "rule %s has no message; add message = a sentence saying what "
                               "may be wrong", r->id);
    if (r->message == NULL)
        r->message = xstrdup(r->id);
    if (needs[r->kind] && r->sub < 0 && section_item(L, need_keys[r->kind]) == NULL)
        lerr(L, NULL, r->line, "rule %s needs %s", r->id, needs[r->kind]);
    if ((r->kind == KIND_PHRASE || r->kind == KIND_REGEX || r->kind == KIND_PATTERN)) {
        bool any = section_item(L, "match") || section_item(L, "list");
        for (size_t i = 0; i < r->nentries; i++)
            any |= !r->entries[i].except;
        if (!any)
            lerr(L, NULL, r->line, "rule %s has nothing to match; add match = ... or list = FILE",
                 r->id);
    }
    if ((r->kind == KIND_METRIC || r->kind == KIND_LENGTH) && r->max == 0 &&
        section_item(L, "max") == NULL)
        lerr(L, NULL, r->line, "rule %s needs max = a number", r->id);
    if (r->kind == KIND_LENGTH && r->platform == NULL && section_item(L, "platform") == NULL)
    {
        char *names = platform_names(" or ");
        lerr(L, NULL, r->line, "rule %s needs platform = %s", r->id, names);
        free(names);
    }
    bool draft_only = r->kind == KIND_LENGTH || r->kind == KIND_METRIC ||
                      r->kind == KIND_EXPECT || r->kind == KIND_ECHO;
    if (draft_only && r->applies != APPLIES_DRAFT)
        lerr(L, NULL, r->line, "rule %s: %s rules read the draft only; remove applies = ...",
             r->id, guard_kind_names[r->kind]);
    else if (r->when >= 0 && r->applies != APPLIES_DRAFT)
        lerr(L, NULL, r->line, "rule %s: a rule with when = CATEGORY reads the draft only (the "
                               "post's findings decide whether it runs); remove applies = ...",
             r->id);
    finish_suggest(L, r);
    if (r->sub < 0)
        r->sub = 0;
}

/* Applies one key of a rule section to r. */
static void
apply_key(struct loader *L, struct guard_rule *r, const struct item *it, bool defining)
{
    const struct key_spec *k = it->spec;
    if (k == NULL) {
        lerr(L, NULL, it->line, "unknown key '%s' in [%s]; see RULE FILES in tactful(5)",
             it->key, r->id);
        return;
    }
    if (k->set == NULL)
        return; /* kind, read by new_rule */
    if (!(k->layers & LY(L->layer))) {
        lerr(L, NULL, it->line, "%s = ... belongs in the office policy, not in a %s", k->name,
             layer_names[L->layer]);
        return;
    }
    if (!defining && !(k->when & W_CHANGE) && !policy_may_reword(L, k)) {
        lerr(L, NULL, it->line,
             "rule %s is defined at %s:%d; a %s can change its level, election, enabled, "
             "match, except, list, except-list, max, min, max-bytes and warn%s, not %s",
             r->id, r->file, r->line, layer_names[L->layer],
             L->layer == LAYER_POLICY ? ", message, fix, lock and approval" : "", k->name);
        return;
    }
    if (k->kinds && !(k->kinds & KD(r->kind))) {
        lerr(L, NULL, it->line, "%s does not apply to %s rules like %s", k->name,
             guard_kind_names[r->kind], r->id);
        return;
    }
    if (k->set(L, r, it) == 0 && !defining) {
        r->changed_file = L->file;
        r->changed_line = it->line;
    }
}

/* Whether a rule's key shapes how its entries are matched (case, check, detect, metric,
 * need), so that it is applied before them; compared only when the first letter could be one
 * of them, as match, example and counterexample lines are most of a section. */
static bool
shaping_key(const char *key)
{
    switch (key[0]) {
    case 'c':
        return key[1] != 'o' && (strcmp(key, "case") == 0 || strcmp(key, "check") == 0);
    case 'd':
        return strcmp(key, "detect") == 0;
    case 'm':
        return key[1] == 'e' && strcmp(key, "metric") == 0;
    case 'n':
        return strcmp(key, "need") == 0;
    default:
        return false;
    }
}

/* Applies the collected lines of a rule section: defines a rule or changes one. */
static void
apply_rule(struct loader *L)
{
    const char *id = L->name;
    if (check_rule_id(L, id) != 0)
        return;
    struct guard_rule *r = find_rule(L->g, id);
    bool defining = r == NULL;
    if (r && L->layer == LAYER_SHIPPED) {
        lerr(L, NULL, L->sec_line, "rule %s is already defined at %s:%d; rule ids must be "
                                   "unique", id, r->file, r->line);
        return;
    }
    if (defining) {
        r = new_rule(L, id);
        if (r == NULL)
            return;
    } else if (section_item(L, "kind")) {
        const struct item *it = section_item(L, "kind");
        lerr(L, NULL, it->line, "rule %s is defined at %s:%d; its kind cannot be changed "
                                "(give your rule a new name instead)", id, r->file, r->line);
    }
    /* The keys that shape matching come before match and except entries. */
    size_t ri = (size_t)(r - L->g->rules);
    for (size_t pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < L->nitems; i++) {
            if (shaping_key(L->items[i].key) == (pass == 0))
                apply_key(L, &L->g->rules[ri], &L->items[i], defining);
        }
    }
    if (defining)
        finish_rule(L, &L->g->rules[ri]);
}

/* [pack NAME] in a policy or user file: enabled = yes|no for every rule of a shipped pack. */
static void
apply_pack(struct loader *L)
{
    const char *name = L->name + 5;
    bool known = false;
    for (size_t i = 0; i < L->g->npacks; i++)
        known |= strcmp(L->g->packs[i], name) == 0;
    if (!known) {
        struct buf b = {0};
        names_list(&b, (const char *const *)L->g->packs, L->g->npacks);
        lerr(L, NULL, L->sec_line, "[pack %s]: no such shipped pack; the packs are %s", name,
             b.data ? b.data : "(none)");
        buf_free(&b);
        return;
    }
    for (size_t i = 0; i < L->nitems; i++) {
        const struct item *it = &L->items[i];
        if (strcmp(it->key, "enabled") != 0) {
            lerr(L, NULL, it->line, "unknown key '%s' in [pack %s]; a pack section takes only "
                                    "enabled = yes|no", it->key, name);
            continue;
        }
        int b = parse_bool(it->value);
        if (b < 0) {
            lerr(L, NULL, it->line, "enabled = '%s': use yes or no", it->value);
            continue;
        }
        for (size_t r = 0; r < L->g->nrules; r++) {
            struct guard_rule *rule = &L->g->rules[r];
            if (strcmp(rule->pack, name) != 0 || (user_on_locked(L, rule) && !b))
                continue;
            rule->enabled = b;
            rule->changed_file = L->file;
            rule->changed_line = it->line;
        }
    }
}

/* Adds a value to a guard list. */
static void
value_add(struct guard_value **list, size_t *n, const char *text, bool user)
{
    *list = xreallocarray(*list, *n + 1, sizeof **list);
    (*list)[(*n)++] = (struct guard_value){xstrdup(text), user, (uint32_t)strlen(text)};
}

/* [allow]: word = PHRASE, domain = HOST, contact = NUMBER OR ADDRESS (repeatable). */
static void
apply_allow(struct loader *L)
{
    struct guard *g = L->g;
    bool user = L->layer == LAYER_USER;
    for (size_t i = 0; i < L->nitems; i++) {
        const struct item *it = &L->items[i];
        if (g->nentries >= GUARD_ENTRIES_MAX) {
            lerr(L, NULL, it->line, "more than %d entries in all; shorten the lists",
                 GUARD_ENTRIES_MAX);
            return;
        }
        if (strcmp(it->key, "word") == 0) {
            uint32_t tok;
            uint16_t ntok;
            if (check_phrase(L, NULL, it->line, it->value, &tok, &ntok) != 0)
                continue;
            g->allow = xreallocarray(g->allow, g->nallow + 1, sizeof *g->allow);
            g->allow[g->nallow++] = (struct guard_entry){xstrdup(it->value), NULL, L->file,
                                                         it->line, false, user, false, ntok,
                                                         tok};
        } else if (strcmp(it->key, "domain") == 0) {
            char *h = xstrdup(it->value);
            for (char *p = h; *p; p++)
                *p = (char)tolower((unsigned char)*p);
            if (!valid_host(h))
                lerr(L, NULL, it->line, "'%s' is not a domain name such as northmoor.gov.uk",
                     it->value);
            else
                value_add(&g->domains, &g->ndomains, h, user);
            free(h);
        } else if (strcmp(it->key, "contact") == 0) {
            char norm[64];
            if (guard_normalise(it->value, strlen(it->value), norm, sizeof norm) == 0)
                lerr(L, NULL, it->line, "contact = '%s' has no letters or digits", it->value);
            else
                value_add(&g->contacts, &g->ncontacts, norm, user);
        } else {
            lerr(L, NULL, it->line, "unknown key '%s' in [allow]; use word, domain or contact",
                 it->key);
            continue;
        }
        g->nentries++;
    }
}

/* [election] in the policy: start = YYYY-MM-DD, end = YYYY-MM-DD (inclusive). */
static void
apply_election(struct loader *L)
{
    struct guard *g = L->g;
    const struct item *start = NULL, *end = NULL;
    for (size_t i = 0; i < L->nitems; i++) {
        const struct item *it = &L->items[i];
        if (strcmp(it->key, "start") == 0)
            start = it;
        else if (strcmp(it->key, "end") == 0)
            end = it;
        else
            lerr(L, NULL, it->line, "unknown key '%s' in [election]; use start and end",
                 it->key);
        if ((it == start || it == end) && !valid_date(it->value))
            lerr(L, NULL, it->line, "%s = '%s' is not a date; write YYYY-MM-DD", it->key,
                 it->value);
    }
    if (start == NULL || end == NULL) {
        lerr(L, NULL, L->sec_line, "[election] needs both start = YYYY-MM-DD and end = "
                                   "YYYY-MM-DD");
        return;
    }
    if (!valid_date(start->value) || !valid_date(end->value))
        return;
    if (strcmp(end->value, start->value) < 0) {
        lerr(L, NULL, end->line, "the election period ends (%s) before it starts (%s)",
             end->value, start->value);
        return;
    }
    memcpy(g->election_start, start->value, 11);
    memcpy(g->election_end, end->value, 11);
}

/* [class NAME]: a word class for token patterns, one alternative a match = line (or a line
 * of a list = FILE). A later file adds to a class. */
static void
apply_class(struct loader *L)
{
    const char *name = L->name + 6;
    for (size_t i = 0; i < L->nitems; i++) {
        const struct item *it = &L->items[i];
        if (strcmp(it->key, "match") != 0) {
            lerr(L, NULL, it->line, "unknown key '%s' in [class %s]; a class takes match = "
                                    "WORDS lines", it->key, name);
            continue;
        }
        struct guard_entry e = {.text = it->value, .file = L->file, .line = it->line,
                                .user = L->layer == LAYER_USER};
        guard_tokpat_class_add(L->g, name, &e);
    }
}

/* Whether s is a class name: lowercase letters, digits and hyphens. */
static bool
valid_class_name(const char *s)
{
    if (*s == '\0' || strlen(s) > GUARD_ID_MAX)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
            return false;
    return true;
}

/* Applies and forgets the current section. */
static void
end_section(struct loader *L)
{
    switch (L->sec) {
    case SEC_RULE:
        apply_rule(L);
        break;
    case SEC_PACK:
        apply_pack(L);
        break;
    case SEC_ALLOW:
        apply_allow(L);
        break;
    case SEC_ELECTION:
        apply_election(L);
        break;
    case SEC_CLASS:
        apply_class(L);
        break;
    case SEC_NONE:
    case SEC_BAD:
        break;
    }
    L->nitems = 0;
    L->sec = SEC_NONE;
}

/* Starts the section named in a "[...]" line. */
static void
begin_section(struct loader *L, char *line, int lineno)
{
    end_section(L);
    L->sec = SEC_BAD;
    L->sec_line = lineno;
    char *close = strchr(line, ']');
    if (close == NULL) {
        lerr(L, NULL, lineno, "the section header has no closing ']'");
        return;
    }
    const char *rest = close + 1;
    while (*rest == ' ' || *rest == '\t')
        rest++;
    if (*rest && *rest != '#' && *rest != ';') {
        lerr(L, NULL, lineno, "only a comment may follow a section header's ']'");
        return;
    }
    *close = '\0';
    char *name = line + 1;
    while (*name == ' ' || *name == '\t')
        name++;
    size_t n = strlen(name);
    while (n && (name[n - 1] == ' ' || name[n - 1] == '\t'))
        name[--n] = '\0';
    if (n == 0 || n > GUARD_ID_MAX + 5) {
        lerr(L, NULL, lineno, "the section name is empty or too long");
        return;
    }
    memcpy(L->name, name, n + 1); /* (n is at most GUARD_ID_MAX + 5: it fits) */
    bool shipped = L->layer == LAYER_SHIPPED;
    if (strncmp(name, "pack ", 5) == 0 && !shipped) {
        L->sec = SEC_PACK;
        memmove(L->name + 5, L->name + 5 + strspn(L->name + 5, " \t"),
                strlen(L->name + 5 + strspn(L->name + 5, " \t")) + 1);
    } else if (strncmp(name, "class ", 6) == 0) {
        const char *cn = name + 6 + strspn(name + 6, " \t");
        memmove(L->name + 6, cn, strlen(cn) + 1);
        if (valid_class_name(L->name + 6))
            L->sec = SEC_CLASS;
        else
            lerr(L, NULL, lineno, "[class %s]: a class name is lowercase letters, digits and "
                                  "hyphens", cn);
    } else if (strcmp(name, "allow") == 0 && !shipped) {
        L->sec = SEC_ALLOW;
    } else if (strcmp(name, "election") == 0 && L->layer == LAYER_POLICY) {
        L->sec = SEC_ELECTION;
    } else if (strchr(name, '.')) {
        L->sec = SEC_RULE;
    } else {
        lerr(L, NULL, lineno, "unknown section [%s]; a %s holds [CATEGORY.NAME] rule and "
                              "[class NAME] sections%s",
             name, layer_names[L->layer],
             shipped                      ? ""
             : L->layer == LAYER_POLICY ? ", [pack NAME], [allow] and [election]"
                                          : ", [pack NAME] and [allow]");
    }
}

/* Splits "key = value" (value trimmed, quotes and " ; comments" handled) from line, which ends
 * at end (its NUL). Returns 0, or -1 after reporting the problem. */
static int
parse_item(struct loader *L, char *line, const char *end, int lineno)
{
    char *eq = memchr(line, '=', (size_t)(end - line));
    if (eq == NULL) {
        lerr(L, NULL, lineno, "expected 'key = value', a [section] or a comment");
        return -1;
    }
    char *k = line, *ke = eq;
    while (ke > k && (ke[-1] == ' ' || ke[-1] == '\t'))
        ke--;
    *ke = '\0';
    if (*k == '\0') {
        lerr(L, NULL, lineno, "nothing before '='; write key = value");
        return -1;
    }
    char *v = eq + 1;
    while (*v == ' ' || *v == '\t')
        v++;
    char *value = NULL;
    if (*v == '"') {
        /* Quoted only when the quotes hold the whole value: "\"{match}\" is ..." is text. */
        char *p = v + 1;
        for (; *p && *p != '"'; p++)
            if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
                p++;
        if (*p != '"') {
            lerr(L, NULL, lineno, "the quoted value has no closing '\"'");
            return -1;
        }
        char *rest = p + 1;
        while (*rest == ' ' || *rest == '\t')
            rest++;
        if (*rest == '\0' || *rest == ';') {
            /* Unescaped in place: the value only gets shorter. */
            char *out = v;
            for (p = v + 1; *p != '"'; p++) {
                if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
                    p++;
                *out++ = *p;
            }
            *out = '\0';
            value = v;
        }
    }
    if (value == NULL) {
        char *c = v;
        for (;; c++) { /* the first ';' that starts the value or follows a space */
            c = memchr(c, ';', (size_t)(end - c));
            if (c == NULL) {
                c = (char *)end;
                break;
            }
            if (c == v || c[-1] == ' ' || c[-1] == '\t')
                break;
        }
        while (c > v && (c[-1] == ' ' || c[-1] == '\t'))
            c--;
        *c = '\0';
        value = v;
    }
    if (*value == '\0') {
        lerr(L, NULL, lineno, "%s has an empty value", k);
        return -1;
    }
    if (L->sec == SEC_NONE) {
        lerr(L, NULL, lineno, "%s = ... comes before any [section]", k);
        return -1;
    }
    if (L->sec == SEC_BAD)
        return 0; /* already reported at the header */
    /* A key given twice is a mistake unless the key is a list. */
    const struct key_spec *spec = L->sec == SEC_RULE ? loader_rule_key(L, k) : NULL;
    bool repeat = L->sec == SEC_ALLOW || L->sec == SEC_CLASS || (spec && spec->repeat);
    if (!repeat) {
        const struct item *prev = section_item(L, k);
        if (prev) {
            lerr(L, NULL, lineno, "%s is set twice in [%s] (first on line %d)", k, L->name,
                 prev->line);
            return -1;
        }
    }
    if (L->nitems == L->capitems) {
        L->capitems = L->capitems ? L->capitems * 2 : 16;
        L->items = xreallocarray(L->items, L->capitems, sizeof *L->items);
    }
    L->items[L->nitems++] = (struct item){k, value, lineno, spec};
    return 0;
}

int
guard_load_file(struct guard *g, const char *path, enum guard_layer layer, int missing_ok,
                struct buf *errors, size_t *nerrors)
{
    size_t len = 0;
    char *data = slurp(path, &len);
    if (data == NULL) {
        if (missing_ok && errno == ENOENT)
            return 0;
        if (errors->len)
            buf_addc(errors, '\n');
        char *why = file_problem(errno, GUARD_FILE_MAX);
        buf_printf(errors, "cannot read the %s %s: %s", layer_names[layer], path, why);
        free(why);
        ++*nerrors;
        return -1;
    }
    guard_cache_text(g, data, len, layer);
    size_t before = *nerrors;
    struct loader L = {.g = g, .layer = layer, .errors = errors, .nerrors = nerrors};
    L.file = guard_intern(g, path);
    const char *slash = strrchr(path, '/');
    L.dir = slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup(".");
    if (slash == path)
        L.dir[0] = '/', L.dir[1] = '\0';
    char *packname = NULL;
    if (layer == LAYER_SHIPPED) {
        const char *base = slash ? slash + 1 : path;
        size_t n = strlen(base);
        packname = xstrndup(base, n > 6 && !strcmp(base + n - 6, ".rules") ? n - 6 : n);
        L.pack = packname;
    } else {
        L.pack = layer == LAYER_POLICY ? "policy" : "user";
    }
    char *p = data, *line;
    int lineno = 0;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    size_t raw;
    while ((line = next_line(&p, data + len, &raw)) != NULL && *nerrors <= GUARD_ERRORS_MAX) {
        lineno++;
        if (check_line(&L, NULL, lineno, line, raw) != 0)
            continue;
        const char *start = line; /* (its raw bytes end the line: it holds no NUL) */
        while (*line == ' ' || *line == '\t')
            line++;
        if (*line == '\0' || *line == '#' || *line == ';')
            continue;
        if (*line == '[')
            begin_section(&L, line, lineno);
        else
            parse_item(&L, line, start + raw, lineno);
    }
    end_section(&L);
    free(L.items);
    free(L.dir);
    free(packname);
    keep_text(g, data);
    return *nerrors > before ? -1 : 0;
}

/* Orders file names for qsort. */
static int
cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int
guard_load_dir(struct guard *g, const char *dir, struct buf *errors, size_t *nerrors)
{
    DIR *d = opendir(dir);
    if (d == NULL) {
        if (errors->len)
            buf_addc(errors, '\n');
        buf_printf(errors, "cannot read the rules folder %s: %s; reinstall tactful or set "
                           "TACTFUL_DATADIR", dir, strerror(errno));
        ++*nerrors;
        return -1;
    }
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);
        if (l <= 6 || strcmp(e->d_name + l - 6, ".rules") != 0 || e->d_name[0] == '.')
            continue;
        if (n >= GUARD_PACKS_MAX)
            break;
        names = xreallocarray(names, n + 1, sizeof *names);
        names[n++] = xstrdup(e->d_name);
    }
    closedir(d);
    if (n == 0) {
        if (errors->len)
            buf_addc(errors, '\n');
        buf_printf(errors, "no rule packs (*.rules) in %s; reinstall tactful or set "
                           "TACTFUL_DATADIR", dir);
        ++*nerrors;
        return -1;
    }
    qsort(names, n, sizeof *names, cmp_names);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        g->packs = xreallocarray(g->packs, g->npacks + 1, sizeof *g->packs);
        g->packs[g->npacks++] = xstrndup(names[i], strlen(names[i]) - 6);
        char *path = xasprintf("%s/%s", dir, names[i]);
        if (guard_load_file(g, path, LAYER_SHIPPED, 0, errors, nerrors) != 0)
            rc = -1;
        free(path);
        free(names[i]);
    }
    free(names);
    return rc;
}
