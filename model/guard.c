/* The guard: loads and compiles the rules once, then checks drafts. A check tokenises the
 * draft (and the post it answers) once, runs the merged phrase matcher once, then each rule in
 * force by its kind (one table of runners), and returns the findings sorted and de-duplicated.
 * Rules about the post run first, so that rules about the draft can depend on what they found
 * (a casework post calls for a service channel in the reply). */
#include "model/guard_impl.h"
#include "model/platform.h"

#include <ctype.h>
#include <libstemmer.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define FINDINGS_MAX 1000 /* findings kept from one check */
#define MATCH_SHOWN_MAX 80 /* bytes of matched text quoted in a message */
#define ECHO_ITEMS_MAX 64  /* personal details taken from the post for echo checks */

const char *
guard_severity_name(enum guard_severity s)
{
    static const char *const names[] = {"info", "warning", "error"};
    return (unsigned)s < NELEM(names) ? names[s] : "?";
}

/* Frees one rule's contents. */
static void
rule_free(struct guard_rule *r)
{
    free(r->id);
    free(r->pack);
    free(r->message);
    free(r->fix);
    free(r->platform);
    free(r->pattern);
    free(r->need_pattern);
    guard_lexmodel_free(r->lexmodel);
    free(r->entries); /* (their texts are the guard's texts or strings) */
    for (size_t i = 0; i < r->nre; i++) {
        pcre2_code_free(r->re[i]);
        pcre2_code_free(r->re_broken[i]);
        pcre2_code_free(r->re_anchored[i]);
        free(r->re_lead[i]);
        free(r->re_text[i]);
    }
    free(r->re);
    free(r->re_jit);
    free(r->re_broken);
    free(r->re_lead);
    free(r->re_anchored);
    free(r->re_text);
    free(r->vmatch); /* (their texts, and vexcept's, are the guard's strings) */
    free(r->vexcept);
    free(r->examples); /* (their texts are the guard's texts) */
    free(r->example_post);
}

/* Frees a list of values. */
static void
values_free(struct guard_value *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i].text);
    free(v);
}

void
guard_free(struct guard *g)
{
    if (g == NULL)
        return;
    for (size_t i = 0; i < g->nrules; i++)
        rule_free(&g->rules[i]);
    free(g->rules);
    for (size_t i = 0; i < g->nfiles; i++)
        free(g->files[i]);
    free(g->files);
    for (size_t i = 0; i < g->npacks; i++)
        free(g->packs[i]);
    free(g->packs);
    for (size_t i = 0; i < g->nallow; i++)
        free(g->allow[i].text);
    free(g->allow);
    values_free(g->domains, g->ndomains);
    values_free(g->contacts, g->ncontacts);
    free(g->official); /* (its texts are the guard's strings) */
    guard_phrase_free(&g->phrases);
    guard_tokpat_free(&g->tp);
    pcre2_match_context_free(g->mctx);
    pcre2_code_free(g->utf_probe);
    strarena_free(&g->strings);
    for (size_t i = 0; i < g->ntexts; i++)
        free(g->texts[i]);
    free(g->texts);
    free(g);
}

/* Appends a value to a list, its text copied into g's strings. The list grows by doubling
 * (xgrow), so that it needs no count of room. */
static void
push_value(struct guard *g, struct guard_value **list, size_t *n, const char *text, bool user)
{
    *list = xgrow(*list, *n, sizeof **list);
    size_t len = strlen(text);
    (*list)[(*n)++] = (struct guard_value){strarena_dupn(&g->strings, text, len), user,
                                           (uint32_t)len};
}

/* Adds entry e to the phrase matcher for rule ri: by the tokens kept when it was checked as a
 * phrase as it was read, else from its text (a problem ignored: it only reads as a phrase). */
static void
phrase_entry(struct guard *g, const struct guard_entry *e, uint32_t ri, uint16_t flags,
             const char *replacement)
{
    if (e->ntok != 0) {
        guard_phrase_push(&g->phrases, e->tok, e->ntok, ri, flags, replacement);
        return;
    }
    char *err = NULL;
    guard_phrase_add(&g->phrases, e->text, ri, flags, replacement, &err);
    free(err);
}

/* Turns a rule's entries into what its kind checks against: phrases in the merged matcher,
 * or normalised values for personal data and domains. Entries were checked when read. */
static void
compile_rule(struct guard *g, uint32_t ri)
{
    struct guard_rule *r = &g->rules[ri];
    for (size_t i = 0; i < r->nentries; i++) {
        const struct guard_entry *e = &r->entries[i];
        uint16_t flags = (uint16_t)((e->except ? PHRASE_EXCEPT : 0) |
                                    (r->case_sensitive ? PHRASE_CASE : 0) |
                                    (e->user ? PHRASE_USER : 0));
        switch (r->kind) {
        case KIND_PHRASE:
        case KIND_EXPECT:
            phrase_entry(g, e, ri, flags, e->replacement);
            break;
        case KIND_PATTERN:
            if (e->except && !e->anti)
                phrase_entry(g, e, ri, flags, NULL);
            break;
        case KIND_CAPS:
            phrase_entry(g, e, ri, flags, NULL);
            break;
        case KIND_REGEX:
            if (e->except)
                phrase_entry(g, e, ri, flags, NULL);
            break;
        case KIND_PII: {
            char norm[48];
            guard_normalise(e->text, strlen(e->text), norm, sizeof norm);
            guard_canon_phone(norm);
            push_value(g, &r->vexcept, &r->nvexcept, norm, e->user);
            /* Also a phrase when it reads as one ("planning application"). */
            phrase_entry(g, e, ri, flags | PHRASE_EXCEPT, NULL);
            break;
        }
        case KIND_LINK:
            if (e->except)
                push_value(g, &r->vexcept, &r->nvexcept, e->text, e->user);
            else
                push_value(g, &r->vmatch, &r->nvmatch, e->text, e->user);
            break;
        default:
            break;
        }
    }
    if (r->kind == KIND_LINK && r->sub == LINK_DOMAIN && r->enabled)
        for (size_t i = 0; i < r->nvexcept; i++)
            push_value(g, &g->official, &g->nofficial, r->vexcept[i].text, r->vexcept[i].user);
}

/* Builds the matchers once every file has been read. */
static void
compile(struct guard *g)
{
    for (uint32_t i = 0; i < g->nrules; i++)
        compile_rule(g, i);
    for (size_t i = 0; i < g->ndomains; i++)
        push_value(g, &g->official, &g->nofficial, g->domains[i].text, g->domains[i].user);
    for (size_t i = 0; i < g->ncontacts; i++)
        guard_canon_phone(g->contacts[i].text);
    for (size_t i = 0; i < g->nallow; i++) {
        uint16_t flags = PHRASE_ALLOW | (g->allow[i].user ? PHRASE_USER : 0);
        phrase_entry(g, &g->allow[i], 0, flags, NULL);
    }
    guard_phrase_build(&g->phrases);
}

struct guard *
guard_new(const struct guard_options *opts, char **err)
{
    *err = NULL;
    if (opts == NULL || opts->rules_dir == NULL) {
        *err = xstrdup("no rules folder was given; reinstall tactful or set TACTFUL_DATADIR");
        return NULL;
    }
    struct guard *g = xcalloc(1, sizeof *g);
    struct buf errors = {0};
    size_t nerrors = 0;
    g->recache = guard_recache_open(opts->cache_dir);
    guard_load_dir(g, opts->rules_dir, &errors, &nerrors);
    if (opts->policy)
        guard_load_file(g, opts->policy, LAYER_POLICY, 0, &errors, &nerrors);
    if (opts->user_rules)
        guard_load_file(g, opts->user_rules, LAYER_USER, 1, &errors, &nerrors);
    if (nerrors == 0)
        nerrors += guard_tokpat_compile(g, opts->cache_dir, &errors);
    guard_recache_close(g->recache, nerrors == 0);
    g->recache = NULL;
    if (nerrors) {
        *err = buf_take(&errors);
        guard_free(g);
        return NULL;
    }
    buf_free(&errors);
    compile(g);
    g->mctx = pcre2_match_context_create(NULL);
    pcre2_set_match_limit(g->mctx, 200000);
    pcre2_set_depth_limit(g->mctx, 5000);
    g->utf_probe = guard_regex_utf_probe();
    return g;
}

/* Writes today's local date as "YYYY-MM-DD" into buf (at least 11 bytes). */
static const char *
local_day(char *buf, size_t size)
{
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(buf, size, "%Y-%m-%d", &tm);
    return buf;
}

bool
guard_election_active(const struct guard *g, const char *today)
{
    if (g->election_start[0] == '\0')
        return false;
    char buf[16];
    if (today == NULL)
        today = local_day(buf, sizeof buf);
    return strcmp(today, g->election_start) >= 0 && strcmp(today, g->election_end) <= 0;
}

bool
guard_election_period(const struct guard *g, const char **start, const char **end)
{
    *start = g->election_start;
    *end = g->election_end;
    return g->election_start[0] != '\0';
}

size_t
guard_rule_count(const struct guard *g)
{
    return g->nrules;
}

void
guard_rule_info(const struct guard *g, size_t i, struct guard_rule_info *info)
{
    static const char *const applies[] = {"", "draft", "incoming", "both"};
    const struct guard_rule *r = &g->rules[i];
    *info = (struct guard_rule_info){
        .id = r->id,
        .category = r->category,
        .pack = r->pack,
        .kind = guard_kind_names[r->kind],
        .applies = applies[r->applies],
        .level = r->level,
        .election_level = r->election_set && r->election_level > r->level ? r->election_level
                                                                          : r->level,
        .election_only = r->election_only,
        .enabled = r->enabled,
        .locked = r->locked,
        .approval = r->approval,
        .file = r->file,
        .line = r->line,
        .changed_file = r->changed_file,
        .changed_line = r->changed_line,
    };
}

bool
guard_rule_needs_approval(const struct guard *g, const char *rule)
{
    for (size_t i = 0; rule && i < g->nrules; i++)
        if (strcmp(g->rules[i].id, rule) == 0)
            return g->rules[i].approval;
    return false;
}

bool
guard_rule_applies(const struct guard_rule *r, const struct guard_view *v)
{
    return (r->applies & (v->source == GUARD_DRAFT ? APPLIES_DRAFT : APPLIES_INCOMING)) != 0;
}

/* Whether rule r may run: a rule with `when = CATEGORY` runs only once a rule of that category
 * has found something in the post being answered (post rules run first). */
static bool
rule_when_met(const struct guard_ctx *c, const struct guard_rule *r)
{
    return r->when < 0 || (c->context_categories & (1u << r->when)) != 0;
}

bool
guard_hit_silences(const struct guard_ctx *c, const struct guard_rule *r,
                   const struct guard_hit *h, bool allow_words)
{
    const struct phrase *p = &c->g->phrases.v[h->phrase];
    if ((p->flags & PHRASE_EXCEPT) && p->rule == (uint32_t)(r - c->g->rules))
        return true;
    return allow_words && (p->flags & PHRASE_ALLOW) && !((p->flags & PHRASE_USER) && r->locked);
}

bool
guard_suppressed(const struct guard_ctx *c, const struct guard_rule *r,
                 const struct guard_view *v, size_t start, size_t end, bool allow_words)
{
    /* Suppressors are in order of start and at most sup_maxlen long: find the first one
     * starting at or after end, then look back over those that could reach start. */
    size_t lo = 0, hi = v->nsup;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v->sup[mid].start < end)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i-- > 0;) {
        const struct guard_hit *h = &v->sup[i];
        if (h->start + v->sup_maxlen <= start)
            break;
        if (h->start < end && start < h->end && guard_hit_silences(c, r, h, allow_words))
            return true;
    }
    return false;
}

/* Appends the matched text to b for a message: whitespace runs as one space, cut at
 * MATCH_SHOWN_MAX bytes on a character boundary. */
static void
add_match(struct buf *b, const char *s, size_t len)
{
    bool space = false;
    size_t shown = 0;
    for (size_t i = 0; i < len;) {
        int32_t cp;
        size_t n = guard_utf8_next(s, len, i, &cp);
        if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r') {
            space = true;
            i += n;
            continue;
        }
        if (shown + n > MATCH_SHOWN_MAX) {
            buf_adds(b, "\xE2\x80\xA6");
            return;
        }
        if (space && shown)
            buf_addc(b, ' ');
        space = false;
        buf_add(b, s + i, n);
        shown += n;
        i += n;
    }
}

/* Expands a message or fix template. */
static char *
expand(const char *t, const struct guard_vars *vars)
{
    struct buf b = {0};
    buf_adds(&b, "");
    for (const char *p = t; *p; p++) {
        if (p[0] == '{' && p[1] == '{') {
            buf_addc(&b, '{');
            p++;
            continue;
        }
        const char *e = *p == '{' ? strchr(p, '}') : NULL;
        if (e == NULL) {
            size_t run = strcspn(p + 1, "{") + 1;
            buf_add(&b, p, run);
            p += run - 1;
            continue;
        }
        size_t n = (size_t)(e - p - 1);
        const char *name = p + 1;
#define IS(s) (n == sizeof(s) - 1 && strncmp(name, s, n) == 0)
        if (IS("match") && vars->match)
            add_match(&b, vars->match, vars->match_len);
        else if (IS("replacement") && vars->replacement)
            buf_adds(&b, vars->replacement);
        else if (IS("count"))
            buf_printf(&b, "%ld", vars->count);
        else if (IS("max"))
            buf_printf(&b, "%ld", vars->max);
        else if (IS("over"))
            buf_printf(&b, "%ld", vars->over);
        else if (IS("platform") && vars->platform)
            buf_adds(&b, vars->platform);
        else if (IS("unit") && vars->unit)
            buf_adds(&b, vars->unit);
        else if (IS("pattern") && vars->pattern)
            buf_adds(&b, vars->pattern);
        else if (IS("grade"))
            buf_printf(&b, "%.1f", vars->grade);
#undef IS
        p = e;
    }
    return buf_take(&b);
}

void
guard_emit_severity(struct guard_ctx *c, const struct guard_rule *r,
                    const struct guard_view *v, size_t start, size_t end,
                    const struct guard_vars *vars, enum guard_severity sev)
{
    struct guard_result *out = c->out;
    if (out->n >= FINDINGS_MAX) {
        c->overflow = true;
        return;
    }
    if (out->n == out->cap) {
        out->cap = out->cap ? out->cap * 2 : 16;
        out->findings = xreallocarray(out->findings, out->cap, sizeof *out->findings);
    }
    struct guard_vars none = {0};
    if (vars == NULL)
        vars = &none;
    out->findings[out->n++] = (struct guard_finding){
        .rule = r->id,
        .category = r->category,
        .severity = sev,
        .source = v->source,
        .start = start,
        .end = end,
        .message = expand(r->message, vars),
        .suggestion = r->fix ? expand(r->fix, vars) : xstrdup(""),
        .approval = r->approval,
        .locked = r->locked,
        .guess = r->kind == KIND_MODEL,
    };
    if (v->source == GUARD_CONTEXT) {
        int cat = guard_category_index(r->category, strlen(r->category));
        if (cat >= 0)
            c->context_categories |= 1u << cat;
    }
}

void
guard_emit_unfinished(struct guard_ctx *c, const struct guard_rule *r,
                      const struct guard_view *v, const char *why)
{
    size_t before = c->out->n;
    struct guard_rule held = *r;
    char *msg = xasprintf("Rule %s could not be checked to the end (%s), so the reply is held.",
                          r->id, why);
    held.message = msg;
    held.fix = (char *)"Shorten or split the reply; if this keeps happening, ask whoever keeps the "
               "rules to simplify this rule.";
    guard_emit_severity(c, &held, v, 0, 0, NULL, GUARD_ERROR);
    free(msg);
    if (c->out->n > before) {
        c->out->findings[before].locked = true;
        c->out->findings[before].incomplete = true;
    }
}

/* Lists the quote marks (straight, and curly opening and closing: '"', '(' and ')') and line
 * ends of v's text in order, once. */
static void
quote_marks(struct guard_view *v)
{
    if (v->qmarks_made)
        return;
    v->qmarks_made = true;
    const char *s = v->s;
    size_t cap = 0;
    for (size_t i = 0; i < v->len; i++) {
        char kind;
        if (s[i] == '"' || s[i] == '\n')
            kind = s[i];
        else if (s[i] == '\xe2' && i + 3 <= v->len && memcmp(s + i, "\xe2\x80\x9c", 3) == 0)
            kind = '(';
        else if (s[i] == '\xe2' && i + 3 <= v->len && memcmp(s + i, "\xe2\x80\x9d", 3) == 0)
            kind = ')';
        else
            continue;
        if (v->nqmarks == cap) {
            cap = cap ? cap * 2 : 16;
            v->qmarks = xreallocarray(v->qmarks, cap, sizeof *v->qmarks);
        }
        v->qmarks[v->nqmarks++] = (struct guard_qmark){.at = i, .kind = kind};
    }
}

/* Whether bytes [start, end) of v begin inside double quotes opened and closed on the same line
 * (straight or curly): words someone else said, quoted in the reply. When title is set, they
 * must lie wholly inside, and the quoted words must read as a title: two or more, the first
 * with a capital ("It IS Rocket Science", "Owls, Pussycats and Nonsense"), not a single word
 * in scare quotes. A curly mark counts only when it lies wholly before start (or, after it,
 * before the line's end). */
static bool
inside_quotes(struct guard_view *v, size_t start, size_t end, bool title)
{
    quote_marks(v);
    const struct guard_qmark *m = v->qmarks;
    size_t n = v->nqmarks, lo = 0, hi = n;
    while (lo < hi) { /* the first mark at or after start */
        size_t mid = lo + (hi - lo) / 2;
        if (m[mid].at < start)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t first = lo; /* the marks of the line before start are [first, lo) */
    while (first > 0 && m[first - 1].kind != '\n')
        first--;
    bool open = false; /* a quote opened before start and not yet closed */
    size_t text = 0;   /* where the quoted words begin */
    for (size_t i = first; i < lo; i++) {
        if (m[i].kind == '"') {
            open = !open;
            text = m[i].at + 1;
        } else if (m[i].kind == '(' && m[i].at + 3 <= start) {
            open = true;
            text = m[i].at + 3;
        } else if (m[i].kind == ')' && m[i].at + 3 <= start) {
            open = false;
        }
    }
    if (!open)
        return false;
    size_t to = v->len; /* the line's end: the first line end at or after end */
    for (size_t i = lo; i < n; i++) {
        if (m[i].kind == '\n' && m[i].at >= end) {
            to = m[i].at;
            break;
        }
    }
    const char *s = v->s;
    for (size_t i = lo; i < n && m[i].at < to; i++) {
        size_t at = m[i].at;
        if (m[i].kind == '"' || (m[i].kind == ')' && at + 3 <= to)) {
            if (!title)
                return true; /* it begins in someone else's words, wherever it ends */
            if (at < end)
                return false;
            return text < at && isupper((unsigned char)s[text]) &&
                   memchr(s + text, ' ', at - text) != NULL;
        }
        if (m[i].kind == '(' && at + 3 <= to)
            return false;
    }
    return false;
}

void
guard_emit(struct guard_ctx *c, const struct guard_rule *r, const struct guard_view *v,
           size_t start, size_t end, const struct guard_vars *vars)
{
    /* The officer quoting someone else ("One comment: \"I feel so much safer now.\"") is not
     * the officer speaking as themself, nor is a policy quoted ("the policy says: \"Band B will
     * be awarded where ...\"") the officer's promise; nor is a quoted title ("It IS Rocket
     * Science", a workshop called "Owls and Nonsense") the officer's tone or a rebuttal. */
    bool voice = strcmp(r->category, "self-id") == 0 || strcmp(r->category, "commitment") == 0;
    if (v == &c->draft && end > start &&
        (voice || strcmp(r->category, "tone") == 0 || strcmp(r->category, "rebuttal") == 0) &&
        inside_quotes(&c->draft, start, end, !voice))
        return;
    enum guard_severity sev = r->level;
    if (c->election && r->election_set && r->election_level > sev)
        sev = r->election_level;
    guard_emit_severity(c, r, v, start, end, vars, sev);
}

/* Orders a rule's hits by start, longest first. */
static int
cmp_hits(const void *a, const void *b)
{
    const struct guard_hit *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return x->end > y->end ? -1 : x->end < y->end;
}

/* Phrase rules: the matcher's hits for the rule, longest at each place, minus overlaps,
 * exceptions and allow-listed words. */
static void
run_phrase(struct guard_ctx *c, const struct guard_rule *r, struct guard_view *v)
{
    uint32_t ri = (uint32_t)(r - c->g->rules);
    struct guard_hit mine[64];
    size_t n = 0;
    for (size_t i = 0; i < v->nhits && n < NELEM(mine); i++)
        if (c->g->phrases.v[v->hits[i].phrase].rule == ri)
            mine[n++] = v->hits[i];
    if (n == 0)
        return;
    qsort(mine, n, sizeof *mine, cmp_hits);
    size_t last_end = 0;
    for (size_t i = 0; i < n; i++) {
        if (mine[i].start < last_end ||
            guard_suppressed(c, r, v, mine[i].start, mine[i].end, true))
            continue;
        last_end = mine[i].end;
        const struct phrase *p = &c->g->phrases.v[mine[i].phrase];
        struct guard_vars vars = {.match = v->s + mine[i].start,
                                  .match_len = mine[i].end - mine[i].start,
                                  .replacement = p->replacement};
        guard_emit(c, r, v, mine[i].start, mine[i].end, &vars);
    }
}

/* Whether a personal-data match is one the office publishes or allows (its own numbers and
 * mailboxes, a public building's postcode), or one the rule excepts. */
static bool
pii_allowed(const struct guard_ctx *c, const struct guard_rule *r, const struct pii_match *m)
{
    bool user_ok = !r->locked;
    if (m->type == PII_EMAIL && (m->official == 1 || (m->official == 2 && user_ok)))
        return true;
    if (m->type == PII_POSTCODE && m->official == PII_PUBLIC_PLACE)
        return true;
    if (guard_contact_allowed(c->g, m, user_ok))
        return true;
    char norm[sizeof m->norm];
    memcpy(norm, m->norm, sizeof norm);
    guard_canon_phone(norm);
    for (size_t i = 0; i < r->nvexcept; i++)
        if ((user_ok || !r->vexcept[i].user) && strcmp(r->vexcept[i].text, norm) == 0)
            return true;
    return false;
}

#define OFFICE_POSTCODE_GAP 40 /* bytes between a street address and the postcode after it */

/* Whether the address m is written with a postcode the office publishes as its own right after
 * it ("Riverside House, 1 Market Street, Northmoor NM1 1AA"): the office's address, not a home. */
static bool
office_address(const struct guard_ctx *c, const struct guard_rule *r,
               const struct guard_view *v, const struct pii_match *m)
{
    if (m->type != PII_ADDRESS)
        return false;
    for (size_t j = 0; j < v->npii; j++) {
        const struct pii_match *p = &v->pii[j];
        if (p->type == PII_POSTCODE && p->start >= m->end &&
            p->start - m->end <= OFFICE_POSTCODE_GAP &&
            memchr(v->s + m->end, '\n', p->start - m->end) == NULL &&
            guard_contact_allowed(c->g, p, !r->locked))
            return true;
    }
    return false;
}

/* Personal-data rules: the scanner's matches of the rule's type. */
static void
run_pii(struct guard_ctx *c, const struct guard_rule *r, struct guard_view *v)
{
    guard_pii_scan(c->g, v);
    for (size_t i = 0; i < v->npii; i++) {
        const struct pii_match *m = &v->pii[i];
        if (m->type != r->sub || pii_allowed(c, r, m) || office_address(c, r, v, m) ||
            guard_suppressed(c, r, v, m->start, m->end, false))
            continue;
        struct guard_vars vars = {.match = v->s + m->start, .match_len = m->end - m->start};
        guard_emit(c, r, v, m->start, m->end, &vars);
    }
}

/* The letters and digits of a text, lowercased, with where each came from and whether it
 * starts or ends a word there, for finding a detail again however it is spaced. */
struct alnum_stream {
    char *c;
    uint32_t *at;
    uint8_t *edge; /* 1: starts a word, 2: ends one */
    size_t n;
};

/* Whether byte ch is an ASCII letter or digit. */
static inline bool
ascii_alnum(char ch)
{
    return (ch >= '0' && ch <= '9') || ((ch | 32) >= 'a' && (ch | 32) <= 'z');
}

/* Builds the stream of v's letters and digits. */
static void
stream_build(const struct guard_view *v, struct alnum_stream *st)
{
    st->c = xmalloc(v->len + 1);
    st->at = xmalloc((v->len + 1) * sizeof *st->at);
    st->edge = xmalloc(v->len + 1);
    st->n = 0;
    /* Whether the byte before, this one and the next are letters or digits, carried along
     * so that each byte is judged once. */
    bool pa = false, an = v->len > 0 && ascii_alnum(v->s[0]);
    for (size_t i = 0; i < v->len; i++) {
        bool na = i + 1 < v->len && ascii_alnum(v->s[i + 1]);
        if (an) {
            char ch = v->s[i];
            st->c[st->n] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
            st->at[st->n] = (uint32_t)i;
            st->edge[st->n] = (uint8_t)((pa ? 0 : 1) | (na ? 0 : 2));
            st->n++;
        }
        pa = an;
        an = na;
    }
}

/* Frees a stream. */
static void
stream_free(struct alnum_stream *st)
{
    free(st->c);
    free(st->at);
    free(st->edge);
}

/* Echo rules: personal details found in the post that the draft repeats, however spaced. */
static void
run_echo(struct guard_ctx *c, const struct guard_rule *r, struct guard_view *v)
{
    if (!c->has_context || v->source != GUARD_DRAFT)
        return;
    guard_pii_scan(c->g, &c->context);
    const struct pii_match *items[ECHO_ITEMS_MAX];
    size_t nitems = 0;
    for (size_t i = 0; i < c->context.npii && nitems < ECHO_ITEMS_MAX; i++) {
        const struct pii_match *m = &c->context.pii[i];
        if (strlen(m->norm) >= 5 && !pii_allowed(c, r, m))
            items[nitems++] = m;
    }
    if (nitems == 0)
        return;
    guard_pii_scan(c->g, v);
    struct alnum_stream st;
    stream_build(v, &st);
    for (size_t i = 0; i < nitems; i++) {
        const struct pii_match *m = items[i];
        size_t n = strlen(m->norm);
        if (n > st.n)
            continue;
        /* Only the places that hold its first character are worth a closer look. */
        const char *last = st.c + (st.n - n);
        for (const char *q = st.c; q <= last; q++) {
            q = memchr(q, m->norm[0], (size_t)(last - q) + 1);
            if (q == NULL)
                break;
            size_t p = (size_t)(q - st.c);
            if (!(st.edge[p] & 1) || !(st.edge[p + n - 1] & 2) || memcmp(st.c + p, m->norm, n))
                continue;
            size_t start = st.at[p], end = st.at[p + n - 1] + 1;
            bool flagged = false;
            for (size_t k = start; k < end && v->claimed && !flagged; k++)
                flagged = v->claimed[k / 8] & (1u << (k % 8));
            if (flagged)
                continue; /* the draft's own personal-data rule reports it */
            struct guard_vars vars = {.match = v->s + start, .match_len = end - start};
            guard_emit(c, r, v, start, end, &vars);
        }
    }
    stream_free(&st);
}

typedef void (*kind_runner)(struct guard_ctx *c, const struct guard_rule *r,
                            struct guard_view *v);

static const kind_runner runners[KIND_COUNT] = {
    [KIND_PHRASE] = run_phrase,      [KIND_REGEX] = guard_run_regex,
    [KIND_PII] = run_pii,            [KIND_CAPS] = guard_run_caps,
    [KIND_METRIC] = guard_run_metric, [KIND_LENGTH] = guard_run_length,
    [KIND_LINK] = guard_run_link,    [KIND_EXPECT] = guard_run_expect,
    [KIND_ECHO] = run_echo,          [KIND_PATTERN] = guard_run_pattern,
    [KIND_MODEL] = guard_run_model,
};

/* Orders findings: source, start, worst first, end, rule. */
static int
cmp_findings(const void *a, const void *b)
{
    const struct guard_finding *x = a, *y = b;
    if (x->source != y->source)
        return x->source < y->source ? -1 : 1;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->severity != y->severity)
        return x->severity > y->severity ? -1 : 1;
    if (x->end != y->end)
        return x->end < y->end ? -1 : 1;
    return strcmp(x->rule, y->rule);
}

/* Whether two findings cover overlapping text (two empty ones at one place overlap). */
static bool
overlapping(const struct guard_finding *a, const struct guard_finding *b)
{
    if (a->source != b->source)
        return false;
    return (a->start < b->end && b->start < a->end) ||
           (a->start == b->start && a->end == b->end);
}

/* Frees what one finding owns. */
static void
finding_free(struct guard_finding *f)
{
    free(f->message);
    free(f->suggestion);
}

/* Whether a rule (not a word model's guess) of f's category found something in the same text
 * at f's severity or worse: then the guess says nothing the rule does not say better. */
static bool
guess_redundant(const struct guard_result *out, const struct guard_finding *f)
{
    if (!f->guess)
        return false;
    for (size_t j = 0; j < out->n; j++) {
        const struct guard_finding *k = &out->findings[j];
        if (!k->guess && k->category == f->category && k->source == f->source &&
            k->severity >= f->severity)
            return true;
    }
    return false;
}

/* Sorts the findings and merges overlapping ones of one category (two commitment rules on
 * "We'll fix it by Friday" say one thing): the worse survives, then the longer. A word model's
 * guess is not merged with a rule's match, so neither the rule's reason nor the model's level
 * is lost; it is dropped when a rule of its category already found something as grave in the
 * same text. On the post being answered, one finding per rule is enough to say what it is. */
static void
sort_and_dedup(struct guard_result *out)
{
    /* Compacting as it goes is safe: guess_redundant reads only rules' findings, which are all
     * kept, each either still in place or already copied to an earlier slot. */
    size_t left = 0;
    for (size_t i = 0; i < out->n; i++) {
        if (guess_redundant(out, &out->findings[i]))
            finding_free(&out->findings[i]);
        else
            out->findings[left++] = out->findings[i];
    }
    out->n = left;
    if (out->n == 0)
        return;
    qsort(out->findings, out->n, sizeof *out->findings, cmp_findings);
    size_t kept = 0;
    for (size_t i = 0; i < out->n; i++) {
        struct guard_finding *f = &out->findings[i];
        struct guard_finding *same = NULL;
        for (size_t j = 0; j < kept && same == NULL; j++) {
            const struct guard_finding *k = &out->findings[j];
            if ((k->category == f->category && k->guess == f->guess && overlapping(k, f)) ||
                (f->source == GUARD_CONTEXT && k->source == GUARD_CONTEXT && k->rule == f->rule))
                same = &out->findings[j];
        }
        if (same == NULL) {
            out->findings[kept++] = *f;
            continue;
        }
        bool better = overlapping(same, f) &&
                      (f->severity > same->severity ||
                       (f->severity == same->severity &&
                        f->end - f->start > same->end - same->start));
        if (better) {
            finding_free(same);
            *same = *f;
        } else {
            finding_free(f);
        }
    }
    out->n = kept;
    qsort(out->findings, out->n, sizeof *out->findings, cmp_findings);
}

/* Adds the error that says the check stopped at FINDINGS_MAX findings (fail closed: what was
 * not kept may have been an error). It comes first and cannot be overridden. */
static void
add_overflow(struct guard_result *out)
{
    if (out->n == out->cap) {
        out->cap = out->cap ? out->cap * 2 : 16;
        out->findings = xreallocarray(out->findings, out->cap, sizeof *out->findings);
    }
    memmove(out->findings + 1, out->findings, out->n * sizeof *out->findings);
    out->findings[0] = (struct guard_finding){
        .rule = "guard.too-many-findings",
        .category = "guard",
        .severity = GUARD_ERROR,
        .source = GUARD_DRAFT,
        .message = xasprintf("The reply has more than %d findings, so it was not checked to "
                             "the end and is held.", FINDINGS_MAX),
        .suggestion = xstrdup("Fix the findings shown, or split the reply, and check it again."),
        .locked = true,
        .incomplete = true,
    };
    out->n++;
}

void
guard_run_rule(struct guard_ctx *c, const struct guard_rule *r, struct guard_view *v)
{
    runners[r->kind](c, r, v);
}

bool
guard_rule_suggests(const struct guard_rule *r)
{
    return strcmp(r->category, GUARD_SUGGEST_CATEGORY) == 0;
}

/* Runs every rule in force that reads view v. */
static void
run_rules(struct guard_ctx *c, struct guard_view *v)
{
    for (size_t i = 0; i < c->g->nrules; i++) {
        const struct guard_rule *r = &c->g->rules[i];
        if (c->active[i] && guard_rule_applies(r, v) && rule_when_met(c, r))
            runners[r->kind](c, r, v);
    }
}

int
guard_check(const struct guard *g, const struct guard_input *in, struct guard_result *out,
            char **err)
{
    memset(out, 0, sizeof *out);
    *err = NULL;
    if (in->draft_len > GUARD_TEXT_MAX || in->context_len > GUARD_TEXT_MAX) {
        *err = xasprintf("the text is longer than %d bytes; check it in parts", GUARD_TEXT_MAX);
        return -1;
    }
    if (in->platform && platform_find(in->platform) == NULL) {
        char *names = platform_names(" or ");
        *err = xasprintf("unknown platform '%s'; use %s", in->platform, names);
        free(names);
        return -1;
    }
    if (in->pattern && guard_pattern_find(in->pattern) == NULL) {
        *err = xasprintf("unknown response pattern '%s'", in->pattern);
        return -1;
    }
    struct guard_ctx c = {.g = g, .in = in, .out = out};
    c.election = in->election || guard_election_active(g, in->today);
    c.active = xcalloc(g->nrules + 1, 1);
    for (size_t i = 0; i < g->nrules; i++)
        c.active[i] = g->rules[i].enabled && (!g->rules[i].election_only || c.election) &&
                      !guard_rule_suggests(&g->rules[i]);
    c.md = pcre2_match_data_create(16, NULL);
    c.unfinished = xcalloc(g->nrules + 1, 1);
    char day[16];
    int year = atoi(in->today ? in->today : local_day(day, sizeof day));
    guard_view_init(&c.draft, in->draft ? in->draft : "", in->draft ? in->draft_len : 0,
                    GUARD_DRAFT);
    c.draft.year = year;
    guard_view_prepare(&c, &c.draft);
    if (in->context) {
        c.has_context = true;
        guard_view_init(&c.context, in->context, in->context_len, GUARD_CONTEXT);
        c.context.year = year;
        guard_view_prepare(&c, &c.context);
        run_rules(&c, &c.context);
    }
    run_rules(&c, &c.draft);
    if (in->keep_all && out->n > 1)
        qsort(out->findings, out->n, sizeof *out->findings, cmp_findings);
    else if (!in->keep_all)
        sort_and_dedup(out);
    if (c.overflow)
        add_overflow(out);
    guard_ctx_release(&c);
    return 0;
}

void
guard_view_prepare(struct guard_ctx *c, struct guard_view *v)
{
    guard_view_tokenize(v);
    guard_phrase_scan(c, v);
    guard_tokpat_scan(c, v);
}

void
guard_ctx_release(struct guard_ctx *c)
{
    guard_view_free(&c->draft);
    guard_view_free(&c->context);
    pcre2_match_data_free(c->md);
    free(c->cands.at);
    if (c->stemmer)
        sb_stemmer_delete(c->stemmer);
    free(c->unfinished);
    free(c->active);
    guard_suggestions_free(&c->fits);
}

void
guard_result_free(struct guard_result *r)
{
    for (size_t i = 0; i < r->n; i++)
        finding_free(&r->findings[i]);
    free(r->findings);
    memset(r, 0, sizeof *r);
}

void
guard_position(const char *text, size_t len, size_t offset, int *line, int *col)
{
    int l = 1, c = 1;
    if (offset > len)
        offset = len;
    for (size_t i = 0; i < offset;) {
        int32_t cp;
        size_t n = guard_utf8_next(text, len, i, &cp);
        if (i + n > offset)
            break;
        if (cp == '\n') {
            l++;
            c = 1;
        } else {
            c++;
        }
        i += n;
    }
    *line = l;
    *col = c;
}
