/* The insight digest in Markdown, CSV and JSON, with each quote screened for personal data. */
#include "model/insight_digest.h"

#include "model/guard.h"
#include "model/text.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum insight_quote
insight_quote_screen(const struct guard *g, const char *quote, char **why)
{
    if (g == NULL) {
        *why = xstrdup("the guardrails could not be loaded, so it was not checked");
        return INSIGHT_QUOTE_WITHHELD;
    }
    struct guard_input in = {.draft = quote, .draft_len = strlen(quote), .keep_all = true};
    struct guard_result r = {0};
    char *err = NULL;
    if (guard_check(g, &in, &r, &err) != 0) {
        *why = xasprintf("it could not be checked: %s", err);
        free(err);
        return INSIGHT_QUOTE_WITHHELD;
    }
    struct buf found = {0};
    for (size_t i = 0; i < r.n; i++) {
        const struct guard_finding *f = &r.findings[i];
        int pd = strcmp(f->category, "personal-data") == 0 && f->severity >= GUARD_WARNING;
        if (!pd && !f->incomplete)
            continue;
        buf_printf(&found, "%s%s", found.len ? " " : "", f->message);
    }
    guard_result_free(&r);
    if (found.len == 0) {
        buf_free(&found);
        return INSIGHT_QUOTE_SHOWN;
    }
    *why = buf_take(&found);
    return INSIGHT_QUOTE_WITHHELD;
}

/* A mark's quote as the digest shows it: its fate, and the reason when withheld. */
struct quote_fate {
    enum insight_quote fate;
    char *why;
};

/* Screens every quote of l. Returns an array of l->n fates (caller frees with fates_free). */
static struct quote_fate *
fates_make(const struct insight_list *l, const struct guard *g, size_t *withheld)
{
    struct quote_fate *f = xcalloc(l->n ? l->n : 1, sizeof *f);
    *withheld = 0;
    for (size_t i = 0; i < l->n; i++) {
        const struct insight_row *r = &l->rows[i];
        if (r->quote == NULL) {
            f[i].fate = INSIGHT_QUOTE_NONE;
            continue;
        }
        f[i].fate = insight_quote_screen(g, r->quote, &f[i].why);
        if (f[i].fate == INSIGHT_QUOTE_WITHHELD && r->override)
            f[i].fate = INSIGHT_QUOTE_OVERRIDDEN;
        if (f[i].fate == INSIGHT_QUOTE_WITHHELD)
            (*withheld)++;
    }
    return f;
}

static void
fates_free(struct quote_fate *f, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(f[i].why);
    free(f);
}

/* The date part of an RFC 3339 time ("2026-11-30"), into out. */
static void
day_of(const char *t, char out[11])
{
    snprintf(out, 11, "%.10s", t ? t : "");
}

/* Whether the digest links to r's post: an http or https address, and one that does not
 * name an author the officer chose not to name (Mastodon's /@user/ and Bluesky's
 * /profile/handle/ addresses carry the author's handle). */
static int
web_link(const struct insight_row *r)
{
    const char *url = r->url;
    if (url == NULL || (strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0))
        return 0;
    if (r->name_author || r->author == NULL)
        return 1;
    const char *h = r->author + (r->author[0] == '@');
    size_t n = strcspn(h, "@");
    if (n == 0)
        return 1;
    for (const char *p = url; *p; p++)
        if (strncasecmp(p, h, n) == 0)
            return 0;
    return 1;
}

/* Appends s to b with Markdown's inline punctuation escaped and newlines as line breaks
 * inside a block quote: remote text cannot add links, HTML or headings. */
static void
md_text(struct buf *b, const char *s)
{
    char *safe = text_sanitize(s, strlen(s), TEXT_MULTILINE);
    for (const char *p = safe; *p; p++) {
        if (*p == '\n') {
            buf_adds(b, "\n> ");
            continue;
        }
        if (strchr("\\`*_{}[]<>()#+!|&~", *p))
            buf_addc(b, '\\');
        buf_addc(b, *p);
    }
    free(safe);
}

/* Appends url to b for a Markdown link target: anything but unreserved and a few safe
 * characters is percent-encoded, so the target cannot end early or carry markup. */
static void
md_url(struct buf *b, const char *url)
{
    for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~:/?=&%#@+,;", *p))
            buf_addc(b, (char)*p);
        else
            buf_printf(b, "%%%02X", *p);
    }
}

/* The period a digest covers: as asked, else from its first to its last post. */
static void
period(const struct insight_list *l, const struct insight_digest_opts *o, char from[11],
       char to[11])
{
    day_of(o->since ? o->since : l->n ? l->rows[0].posted_at : NULL, from);
    day_of(o->until ? o->until : l->n ? l->rows[l->n - 1].posted_at : NULL, to);
}

/* Counts l's marks by stance (INSIGHT_NSTANCES is "not said"). */
static void
count_stances(const struct insight_list *l, long counts[INSIGHT_NSTANCES + 1])
{
    memset(counts, 0, sizeof(long) * (INSIGHT_NSTANCES + 1));
    for (size_t i = 0; i < l->n; i++) {
        int s = insight_stance_index(l->rows[i].stance);
        counts[s < 0 ? INSIGHT_NSTANCES : s]++;
    }
}

/* The platforms of l's marks with their counts, first seen first, in a JSON object. */
static json_t *
count_platforms(const struct insight_list *l)
{
    json_t *o = json_object();
    for (size_t i = 0; i < l->n; i++) {
        const char *p = l->rows[i].platform;
        json_t *n = json_object_get(o, p);
        json_object_set_new(o, p, json_integer(n ? json_integer_value(n) + 1 : 1));
    }
    return o;
}

static void
digest_markdown(const struct insight_list *l, const struct quote_fate *f,
                const struct insight_digest_opts *o, size_t withheld, struct buf *b)
{
    char from[11], to[11];
    period(l, o, from, to);
    buf_adds(b, "# Insight: ");
    md_text(b, o->topic);
    buf_printf(b, "\n\nPeriod covered: %s to %s. Posts marked: %zu.\n", from[0] ? from : "-",
               to[0] ? to : "-", l->n);
    buf_adds(b, "Authors are not named unless the officer chose to name them.\n");
    long st[INSIGHT_NSTANCES + 1];
    count_stances(l, st);
    buf_adds(b, "\n## By stance\n\n| stance | posts |\n|---|---:|\n");
    for (int i = 0; i <= INSIGHT_NSTANCES; i++)
        buf_printf(b, "| %s | %ld |\n", i < INSIGHT_NSTANCES ? insight_stances[i] : "not said",
                   st[i]);
    buf_adds(b, "\n## By platform\n\n| platform | posts |\n|---|---:|\n");
    json_t *pl = count_platforms(l);
    const char *key;
    json_t *v;
    json_object_foreach(pl, key, v)
        buf_printf(b, "| %s | %lld |\n", key, (long long)json_integer_value(v));
    json_decref(pl);
    buf_adds(b, "\n## Quotes\n");
    size_t shown = 0;
    for (size_t i = 0; i < l->n; i++) {
        const struct insight_row *r = &l->rows[i];
        if (f[i].fate != INSIGHT_QUOTE_SHOWN && f[i].fate != INSIGHT_QUOTE_OVERRIDDEN)
            continue;
        char day[11];
        day_of(r->posted_at, day);
        buf_adds(b, "\n> ");
        md_text(b, r->quote);
        buf_printf(b, "\n\n%s, %s, %s", r->stance ? r->stance : "stance not said",
                   r->platform, day);
        if (r->name_author && r->author) {
            buf_adds(b, ", by ");
            md_text(b, r->author);
        }
        buf_printf(b, ", thread %ld", r->thread);
        if (web_link(r)) {
            buf_adds(b, ", [link](");
            md_url(b, r->url);
            buf_adds(b, ")");
        }
        if (f[i].fate == INSIGHT_QUOTE_OVERRIDDEN) {
            buf_adds(b, " (personal-data check overridden: ");
            md_text(b, r->override);
            buf_adds(b, ")");
        }
        buf_adds(b, "\n");
        shown++;
    }
    if (shown == 0)
        buf_adds(b, "\nNo quotes.\n");
    if (withheld)
        buf_printf(b, "\n%zu quote%s withheld: the personal-data check found something in "
                      "%s (an officer can edit the quote or override with a reason).\n",
                   withheld, withheld == 1 ? "" : "s", withheld == 1 ? "it" : "them");
}

/* Appends s as one CSV field: always quoted, quotes doubled, and a leading = + - @ (which a
 * spreadsheet would run as a formula) kept as text with a leading apostrophe. */
static void
csv_field(struct buf *b, const char *s, int last)
{
    char *safe = text_sanitize(s ? s : "", s ? strlen(s) : 0, TEXT_MULTILINE);
    buf_addc(b, '"');
    if (strchr("=+-@", safe[0]) && safe[0])
        buf_addc(b, '\'');
    for (const char *p = safe; *p; p++) {
        if (*p == '"')
            buf_addc(b, '"');
        buf_addc(b, *p);
    }
    buf_addc(b, '"');
    buf_adds(b, last ? "\r\n" : ",");
    free(safe);
}

static const char *const quote_names[] = {
    [INSIGHT_QUOTE_NONE] = "none",
    [INSIGHT_QUOTE_SHOWN] = "shown",
    [INSIGHT_QUOTE_OVERRIDDEN] = "overridden",
    [INSIGHT_QUOTE_WITHHELD] = "withheld",
};

static void
digest_csv(const struct insight_list *l, const struct quote_fate *f, struct buf *b)
{
    buf_adds(b, "topic,stance,platform,account,thread,posted_at,url,author,quote,quote_status\r\n");
    for (size_t i = 0; i < l->n; i++) {
        const struct insight_row *r = &l->rows[i];
        char thread[24];
        snprintf(thread, sizeof thread, "%ld", r->thread);
        int show = f[i].fate == INSIGHT_QUOTE_SHOWN || f[i].fate == INSIGHT_QUOTE_OVERRIDDEN;
        csv_field(b, r->topic, 0);
        csv_field(b, r->stance, 0);
        csv_field(b, r->platform, 0);
        csv_field(b, r->account, 0);
        csv_field(b, thread, 0);
        csv_field(b, r->posted_at, 0);
        csv_field(b, web_link(r) ? r->url : NULL, 0);
        csv_field(b, r->name_author ? r->author : NULL, 0);
        csv_field(b, show ? r->quote : NULL, 0);
        csv_field(b, quote_names[f[i].fate], 1);
    }
}

static void
digest_json(const struct insight_list *l, const struct quote_fate *f,
            const struct insight_digest_opts *o, size_t withheld, struct buf *b)
{
    char from[11], to[11];
    period(l, o, from, to);
    long st[INSIGHT_NSTANCES + 1];
    count_stances(l, st);
    json_t *stances = json_object();
    for (int i = 0; i <= INSIGHT_NSTANCES; i++)
        json_object_set_new(stances, i < INSIGHT_NSTANCES ? insight_stances[i] : "not_said",
                            json_integer(st[i]));
    json_t *posts = json_array();
    for (size_t i = 0; i < l->n; i++) {
        const struct insight_row *r = &l->rows[i];
        int show = f[i].fate == INSIGHT_QUOTE_SHOWN || f[i].fate == INSIGHT_QUOTE_OVERRIDDEN;
        json_array_append_new(
            posts, json_pack("{s:I, s:s?, s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:s, s:s?}",
                             "thread", (json_int_t)r->thread, "stance", r->stance, "platform",
                             r->platform, "account", r->account, "posted_at", r->posted_at,
                             "url", web_link(r) ? r->url : NULL, "author",
                             r->name_author ? r->author : NULL, "quote",
                             show ? r->quote : NULL, "quote_status", quote_names[f[i].fate],
                             "override", f[i].fate == INSIGHT_QUOTE_OVERRIDDEN ? r->override
                                                                               : NULL));
    }
    json_t *d = json_pack("{s:s, s:s, s:s, s:I, s:o, s:o, s:I, s:o}", "topic", o->topic, "from",
                          from, "to", to, "posts_marked", (json_int_t)l->n, "stances", stances,
                          "platforms", count_platforms(l), "quotes_withheld",
                          (json_int_t)withheld, "posts", posts);
    char *s = json_dumps(d, JSON_INDENT(2) | JSON_ENSURE_ASCII);
    buf_adds(b, s);
    buf_addc(b, '\n');
    free(s);
    json_decref(d);
}

void
insight_digest(const struct insight_list *l, const struct guard *g,
               const struct insight_digest_opts *o, struct buf *out, size_t *withheld)
{
    struct quote_fate *f = fates_make(l, g, withheld);
    if (o->format == INSIGHT_CSV)
        digest_csv(l, f, out);
    else if (o->format == INSIGHT_JSON)
        digest_json(l, f, o, *withheld, out);
    else
        digest_markdown(l, f, o, *withheld, out);
    fates_free(f, l->n);
}
