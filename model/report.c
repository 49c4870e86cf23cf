/* Response reporting: the figures of model/report.h, computed from the cache and its audit
 * log without writing anything. One statement reads each thread in the period with its first
 * post from the public, its first reply and what the audit log says about it (one index seek
 * each, so the cost follows the threads, not the posts); grouping, percentiles and the weekly
 * backlog are done here in C. */
#include "model/report.h"

#include "model/xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *const report_bucket_labels[REPORT_BUCKETS] = {"<1h", "1-4h", "4-8h", "8-24h",
                                                          "1-3d", ">3d"};

static const char *const by_names[] = {
    [REPORT_BY_NONE] = "none",       [REPORT_BY_ACCOUNT] = "account",
    [REPORT_BY_OFFICER] = "officer", [REPORT_BY_PATTERN] = "pattern",
    [REPORT_BY_TAG] = "tag",         [REPORT_BY_WEEK] = "week",
    [REPORT_BY_PLATFORM] = "platform",
};

int
report_by_parse(const char *name)
{
    for (size_t i = 1; i < sizeof by_names / sizeof by_names[0]; i++)
        if (name && strcmp(name, by_names[i]) == 0)
            return (int)i;
    return -1;
}

const char *
report_by_name(enum report_by by)
{
    return by_names[by];
}

void
report_duration(long long s, char out[32])
{
    if (s < 0)
        snprintf(out, 32, "-");
    else if (s < 60)
        snprintf(out, 32, "%llds", s);
    else if (s < 3600)
        snprintf(out, 32, "%lldm", s / 60);
    else if (s < 86400)
        snprintf(out, 32, "%lldh%02lldm", s / 3600, s % 3600 / 60);
    else
        snprintf(out, 32, "%lldd%02lldh", s / 86400, s % 86400 / 3600);
}

int
report_answered_pct(const struct report_figures *f)
{
    return f->in > 0 ? (int)((f->answered * 200 + f->in) / (2 * f->in)) : -1;
}

/* One thread in the period, as the statement below reads it. */
struct trow {
    long id;
    char *account, *platform, *officer, *pattern;
    time_t in;             /* its first post from the public */
    time_t reply;          /* its first reply, or 0 */
    int escalated;
    long returned;
    char week[11];         /* the Monday of `in` */
    char **tags;
    size_t ntags;
};

/* Each thread whose first post from the public falls in [?1, ?2), with the office's first own
 * post after it. What the outbox and the audit log say is read apart (read_sent,
 * read_escalated, read_returns): those tables are small, and a subquery each per thread cost
 * more than the rest at 100,000 threads. */
static const char thread_sql[] =
    "WITH f AS MATERIALIZED (SELECT t.id AS tid, (SELECT min(p.created_at) FROM posts p"
    "    WHERE p.thread_id = t.id AND p.own = 0) AS first_in"
    "  FROM threads t WHERE t.first_activity < ?2)"
    "SELECT t.id, a.name, a.platform, f.first_in,"
    "  (SELECT min(p.created_at) FROM posts p WHERE p.thread_id = t.id AND p.own = 1"
    "    AND p.created_at > f.first_in),"
    "  t.assignee, t.state = 'escalated'"
    " FROM f JOIN threads t ON t.id = f.tid JOIN accounts a ON a.id = t.account_id"
    " WHERE f.first_in >= ?1 AND f.first_in < ?2 ORDER BY t.id";

/* Seconds of a stored time, or 0 when it is NULL or not one. */
static time_t
column_time(sqlite3_stmt *st, int col)
{
    const char *s = (const char *)sqlite3_column_text(st, col);
    time_t t;
    return s && isotime_parse(s, &t) == 0 ? t : 0;
}

/* Writes the date (YYYY-MM-DD, UTC) of day number d since 1970-01-01. */
static void
day_format(long long d, char out[11])
{
    char iso[ISOTIME_LEN];
    isotime_format((time_t)(d * 86400), iso);
    memcpy(out, iso, 10);
    out[10] = '\0';
}

/* The day number (UTC, days since 1970-01-01, a Thursday) of t. */
static long long
day_of(time_t t)
{
    long long d = (long long)t / 86400;
    return (long long)t < 0 && (long long)t % 86400 ? d - 1 : d;
}

/* The day number of the Monday of t's week (UTC). */
static long long
monday_of(time_t t)
{
    long long d = day_of(t);
    return d - (((d + 3) % 7) + 7) % 7;
}

/* Frees what one thread's row owns. */
static void
trow_clear(struct trow *r)
{
    free(r->account);
    free(r->platform);
    free(r->officer);
    free(r->pattern);
    for (size_t i = 0; i < r->ntags; i++)
        free(r->tags[i]);
    free(r->tags);
}

/* Reads the threads in [since, until) into *rows (sorted by id). Returns 0 or -1 with *err. */
static int
read_threads(struct db *db, const char *since, const char *until, struct trow **rows,
             size_t *n, char **err)
{
    sqlite3_stmt *st = db_prepare(db, thread_sql, err);
    if (st == NULL)
        return -1;
    db_bind_text(st, 1, since);
    db_bind_text(st, 2, until);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap)
            *rows = xreallocarray(*rows, cap = cap ? cap * 2 : 256, sizeof **rows);
        struct trow *r = &(*rows)[(*n)++];
        memset(r, 0, sizeof *r);
        r->id = (long)sqlite3_column_int64(st, 0);
        r->account = db_column_strdup(st, 1);
        r->platform = db_column_strdup(st, 2);
        r->in = column_time(st, 3);
        r->reply = column_time(st, 4);
        r->officer = db_column_strdup(st, 5); /* the assignee, until a sent reply says who */
        r->escalated = sqlite3_column_int(st, 6) != 0;
        day_format(monday_of(r->in), r->week);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        *err = db_error(db, "cannot read the threads for the report");
        return -1;
    }
    return 0;
}

/* The row of thread id, or NULL when it is not in the period. */
static struct trow *
find_row(struct trow *rows, size_t n, long id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (rows[mid].id == id)
            return &rows[mid];
        if (rows[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Takes the first reply tactful sent after each thread's first post from the public: its
 * time when earlier than the first own post, and its draft's officer and pattern. Returns 0
 * or -1 with *err. */
static int
read_sent(struct db *db, struct trow *rows, size_t n, char **err)
{
    sqlite3_stmt *st = db_prepare(db,
                                  "SELECT o.thread_id, o.sent_at, d.officer, d.pattern"
                                  " FROM outbox o LEFT JOIN drafts d ON d.id = o.draft_id"
                                  " WHERE o.state = 'sent' AND o.sent_at IS NOT NULL"
                                  " ORDER BY o.thread_id, o.sent_at, o.id",
                                  err);
    if (st == NULL)
        return -1;
    int rc;
    long done = 0; /* the last thread whose first sent reply was taken */
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long id = (long)sqlite3_column_int64(st, 0);
        struct trow *r = id == done ? NULL : find_row(rows, n, id);
        time_t sent = column_time(st, 1);
        if (r == NULL || sent <= r->in)
            continue;
        done = id;
        if (r->reply == 0 || sent < r->reply)
            r->reply = sent;
        if (sqlite3_column_type(st, 2) != SQLITE_NULL) {
            free(r->officer);
            r->officer = db_column_strdup(st, 2);
        }
        r->pattern = db_column_strdup(st, 3);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        *err = db_error(db, "cannot read the sent replies for the report");
        return -1;
    }
    return 0;
}

/* Marks the threads the audit log shows escalated: marked so, or an escalation rule's
 * finding overridden or sent for approval. Returns 0 or -1 with *err. */
static int
read_escalated(struct db *db, struct trow *rows, size_t n, char **err)
{
    sqlite3_stmt *st = db_prepare(
        db,
        "SELECT DISTINCT thread_id FROM audit WHERE thread_id > 0 AND"
        " ((action = 'mark' AND json_extract(details, '$.to') = 'escalated') OR"
        "  (action LIKE 'guard.%' AND json_extract(details, '$.category') = 'escalation'))",
        err);
    if (st == NULL)
        return -1;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct trow *r = find_row(rows, n, (long)sqlite3_column_int64(st, 0));
        if (r)
            r->escalated = 1;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        *err = db_error(db, "cannot read the escalations for the report");
        return -1;
    }
    return 0;
}

/* Adds each thread's tags to its row. Returns 0 or -1 with *err. */
static int
read_tags(struct db *db, struct trow *rows, size_t n, char **err)
{
    sqlite3_stmt *st = db_prepare(db, "SELECT thread_id, tag FROM thread_tags", err);
    if (st == NULL)
        return -1;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct trow *r = find_row(rows, n, (long)sqlite3_column_int64(st, 0));
        if (r == NULL)
            continue;
        r->tags = xreallocarray(r->tags, r->ntags + 1, sizeof *r->tags);
        r->tags[r->ntags++] = db_column_strdup(st, 1);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        *err = db_error(db, "cannot read the threads' tags for the report");
        return -1;
    }
    return 0;
}

/* Reads the returns on threads in the period, oldest first. Returns 0 or -1 with *err. */
static int
read_returns(struct db *db, struct trow *rows, size_t n, struct report *r, char **err)
{
    sqlite3_stmt *st = db_prepare(
        db,
        "SELECT a.at, a.officer, a.thread_id, json_extract(a.details, '$.draft'),"
        "  json_extract(a.details, '$.comment'), d.officer, d.pattern"
        " FROM audit a LEFT JOIN drafts d ON d.id = json_extract(a.details, '$.draft')"
        " WHERE a.action = 'draft.return' ORDER BY a.id",
        err);
    if (st == NULL)
        return -1;
    int rc;
    size_t cap = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long thread = (long)sqlite3_column_int64(st, 2);
        struct trow *row = find_row(rows, n, thread);
        if (row == NULL)
            continue;
        row->returned++;
        if (r->nreturns == cap)
            r->returns = xreallocarray(r->returns, cap = cap ? cap * 2 : 16, sizeof *r->returns);
        struct report_return *x = &r->returns[r->nreturns++];
        x->at = db_column_strdup(st, 0);
        x->reviewer = db_column_strdup(st, 1);
        x->thread = thread;
        x->draft = (long)sqlite3_column_int64(st, 3);
        x->comment = db_column_strdup(st, 4);
        x->officer = db_column_strdup(st, 5);
        x->pattern = db_column_strdup(st, 6);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        *err = db_error(db, "cannot read the returned drafts for the report");
        return -1;
    }
    return 0;
}

/* ---- figures ---- */

/* qsort order of long longs, ascending. */
static int
cmp_ll(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

/* The nearest-rank p-th percentile of the n sorted values. */
static long long
percentile(const long long *v, size_t n, int p)
{
    size_t rank = ((size_t)p * n + 99) / 100;
    return v[rank > 0 ? rank - 1 : 0];
}

/* The bucket of a response time. */
static int
bucket_of(long long s)
{
    static const long long upper[REPORT_BUCKETS - 1] = {3600, 4 * 3600, 8 * 3600, 86400,
                                                        3 * 86400};
    int b = 0;
    while (b < REPORT_BUCKETS - 1 && s >= upper[b])
        b++;
    return b;
}

/* Fills f from the rows idx[0..k-1]; wall and bh are scratch of k values. */
static void
figures(struct report_figures *f, struct trow *rows, const size_t *idx, size_t k,
        const struct hours *hours, long long *wall, long long *bh)
{
    size_t m = 0;
    f->median_s = f->p90_s = f->median_bh_s = f->p90_bh_s = -1;
    for (size_t i = 0; i < k; i++) {
        const struct trow *r = &rows[idx[i]];
        f->in++;
        f->returned += r->returned;
        f->escalated += r->escalated;
        if (r->reply == 0)
            continue;
        f->answered++;
        wall[m] = (long long)(r->reply - r->in);
        bh[m] = hours ? hours_between(hours, r->in, r->reply) : 0;
        f->hist[bucket_of(hours ? bh[m] : wall[m])]++;
        m++;
    }
    if (m == 0)
        return;
    qsort(wall, m, sizeof *wall, cmp_ll);
    f->median_s = percentile(wall, m, 50);
    f->p90_s = percentile(wall, m, 90);
    if (hours) {
        qsort(bh, m, sizeof *bh, cmp_ll);
        f->median_bh_s = percentile(bh, m, 50);
        f->p90_bh_s = percentile(bh, m, 90);
    }
}

/* One thread's place in one group. */
struct member {
    const char *key;
    size_t row;
};

/* qsort order of group members: by group name, then by row. */
static int
cmp_member(const void *a, const void *b)
{
    const struct member *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->row > y->row) - (x->row < y->row);
}

/* The group keys of row r under by: how many, written to keys (at most one unless tags). */
static size_t
keys_of(const struct trow *r, enum report_by by, const char **keys, size_t cap)
{
    const char *k = NULL;
    switch (by) {
    case REPORT_BY_ACCOUNT: k = r->account; break;
    case REPORT_BY_PLATFORM: k = r->platform; break;
    case REPORT_BY_OFFICER: k = r->officer; break;
    case REPORT_BY_PATTERN: k = r->pattern; break;
    case REPORT_BY_WEEK: k = r->week; break;
    case REPORT_BY_TAG:
        if (r->ntags == 0)
            break;
        for (size_t i = 0; i < r->ntags && i < cap; i++)
            keys[i] = r->tags[i];
        return r->ntags < cap ? r->ntags : cap;
    case REPORT_BY_NONE: return 0;
    }
    keys[0] = k && *k ? k : "-";
    return 1;
}

/* Computes the total and the groups. */
static void
compute_groups(struct report *r, struct trow *rows, size_t n, const struct hours *hours)
{
    long long *wall = xcalloc(n + 1, sizeof *wall), *bh = xcalloc(n + 1, sizeof *bh);
    size_t *idx = xcalloc(n + 1, sizeof *idx);
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    r->total.group = xstrdup("all");
    figures(&r->total, rows, idx, n, hours, wall, bh);
    size_t nm = 0, cap = n + 1;
    struct member *m = xcalloc(cap, sizeof *m);
    for (size_t i = 0; r->by != REPORT_BY_NONE && i < n; i++) {
        const char *keys[64];
        size_t k = keys_of(&rows[i], r->by, keys, 64);
        for (size_t j = 0; j < k; j++) {
            if (nm == cap)
                m = xreallocarray(m, cap *= 2, sizeof *m);
            m[nm++] = (struct member){keys[j], i};
        }
    }
    qsort(m, nm, sizeof *m, cmp_member);
    if (nm > n) {
        idx = xreallocarray(idx, nm, sizeof *idx);
        wall = xreallocarray(wall, nm, sizeof *wall);
        bh = xreallocarray(bh, nm, sizeof *bh);
    }
    for (size_t i = 0; i < nm;) {
        size_t j = i;
        while (j < nm && strcmp(m[j].key, m[i].key) == 0) {
            idx[j - i] = m[j].row;
            j++;
        }
        r->groups = xreallocarray(r->groups, r->ngroups + 1, sizeof *r->groups);
        struct report_figures *g = &r->groups[r->ngroups++];
        memset(g, 0, sizeof *g);
        g->group = xstrdup(m[i].key);
        figures(g, rows, idx, j - i, hours, wall, bh);
        i = j;
    }
    free(m);
    free(idx);
    free(wall);
    free(bh);
}

/* ---- volume per day ---- */

/* Counts the threads in per day of the period (its latest REPORT_MAX_DAYS days). */
static void
compute_days(struct report *r, const struct trow *rows, size_t n, time_t since, time_t until)
{
    long long first = day_of(since), last = day_of(until - 1);
    if (last < first)
        return;
    if (last - first + 1 > REPORT_MAX_DAYS)
        first = last - REPORT_MAX_DAYS + 1;
    r->ndays = (size_t)(last - first + 1);
    r->days = xcalloc(r->ndays, sizeof *r->days);
    for (size_t i = 0; i < r->ndays; i++)
        day_format(first + (long long)i, r->days[i].day);
    for (size_t i = 0; i < n; i++) {
        long long d = day_of(rows[i].in);
        if (d >= first && d <= last)
            r->days[d - first].in++;
    }
}

/* ---- backlog per week ---- */

/* One state change of the audit log. */
struct change {
    long thread;
    char at[ISOTIME_LEN];
    int from, to; /* state indexes, -1 when unknown */
};

static const char change_sql[] =
    "SELECT thread_id, at, json_extract(details, '$.from'),"
    "  CASE action WHEN 'reply_sent' THEN 'replied' ELSE json_extract(details, '$.to') END"
    " FROM audit WHERE thread_id > 0 AND (action IN ('mark', 'reply_sent') OR"
    "  (action = 'undo' AND json_extract(details, '$.action') = 'mark'))"
    " ORDER BY thread_id, id";

/* Reads every state change, by thread then oldest first. Returns 0 or -1 with *err. */
static int
read_changes(struct db *db, struct change **out, size_t *n, char **err)
{
    sqlite3_stmt *st = db_prepare(db, change_sql, err);
    if (st == NULL)
        return -1;
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap)
            *out = xreallocarray(*out, cap = cap ? cap * 2 : 64, sizeof **out);
        struct change *c = &(*out)[(*n)++];
        c->thread = (long)sqlite3_column_int64(st, 0);
        const char *at = (const char *)sqlite3_column_text(st, 1);
        snprintf(c->at, sizeof c->at, "%s", at ? at : "");
        c->from = triage_state_index((const char *)sqlite3_column_text(st, 2));
        c->to = triage_state_index((const char *)sqlite3_column_text(st, 3));
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        *err = db_error(db, "cannot read the state changes for the report");
        return -1;
    }
    return 0;
}

/* The state of a thread at `end` (exclusive) from its changes c[0..k-1] and its state now. */
static int
state_at(const struct change *c, size_t k, int now, const char *end)
{
    if (k == 0)
        return now;
    int s = c[0].from;
    for (size_t i = 0; i < k && strcmp(c[i].at, end) < 0; i++)
        s = c[i].to;
    return s;
}

/* Counts the backlog by state at the end of each week of the period (its latest
 * REPORT_MAX_WEEKS). Returns 0 or -1 with *err. */
static int
compute_weeks(struct db *db, struct report *r, time_t since, time_t until, char **err)
{
    long long first = monday_of(since), last = monday_of(until - 1);
    if (last < first)
        return 0;
    if ((last - first) / 7 + 1 > REPORT_MAX_WEEKS)
        first = last - 7 * (REPORT_MAX_WEEKS - 1);
    r->nweeks = (size_t)((last - first) / 7 + 1);
    r->weeks = xcalloc(r->nweeks, sizeof *r->weeks);
    char(*ends)[ISOTIME_LEN] = xcalloc(r->nweeks, sizeof *ends);
    for (size_t w = 0; w < r->nweeks; w++) {
        long long monday = first + 7 * (long long)w;
        day_format(monday, r->weeks[w].monday);
        time_t end = (time_t)((monday + 7) * 86400);
        isotime_format(end < until ? end : until, ends[w]);
    }
    struct change *c = NULL;
    size_t nc = 0;
    int rc = read_changes(db, &c, &nc, err);
    sqlite3_stmt *st = rc == 0 ? db_prepare(db, "SELECT id, first_activity, state FROM threads"
                                                " WHERE first_activity <> '' ORDER BY id", err)
                               : NULL;
    if (st == NULL)
        rc = -1;
    size_t ci = 0;
    int step = SQLITE_DONE;
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
        long id = (long)sqlite3_column_int64(st, 0);
        const char *first_at = (const char *)sqlite3_column_text(st, 1);
        int now = triage_state_index((const char *)sqlite3_column_text(st, 2));
        while (ci < nc && c[ci].thread < id)
            ci++;
        size_t k = 0;
        while (ci + k < nc && c[ci + k].thread == id)
            k++;
        for (size_t w = 0; w < r->nweeks; w++) {
            if (first_at == NULL || strcmp(first_at, ends[w]) >= 0)
                continue;
            int s = state_at(c + ci, k, now, ends[w]);
            if (s >= 0)
                r->weeks[w].n[s]++;
        }
    }
    if (rc == 0 && step != SQLITE_DONE) {
        *err = db_error(db, "cannot read the threads' states for the report");
        rc = -1;
    }
    sqlite3_finalize(st);
    free(c);
    free(ends);
    return rc;
}

/* ---- the whole report ---- */

int
report_build(struct db *db, const struct report_opts *o, struct report **out, char **err)
{
    *out = NULL;
    struct report *r = xcalloc(1, sizeof *r);
    r->by = o->by;
    if (o->hours) {
        r->business = 1;
        hours_format(o->hours, r->hours);
    }
    time_t until, since = 0;
    if (o->until) {
        snprintf(r->until, sizeof r->until, "%s", o->until);
    } else {
        isotime_now(r->until);
        isotime_parse(r->until, &until);
        isotime_format(until + 1, r->until); /* a post made this second counts */
    }
    isotime_parse(r->until, &until);
    struct trow *rows = NULL;
    size_t n = 0;
    int rc = read_threads(db, o->since ? o->since : "", r->until, &rows, &n, err);
    if (rc == 0)
        rc = read_sent(db, rows, n, err);
    if (rc == 0)
        rc = read_escalated(db, rows, n, err);
    if (rc == 0 && o->by == REPORT_BY_TAG)
        rc = read_tags(db, rows, n, err);
    if (rc == 0)
        rc = read_returns(db, rows, n, r, err);
    if (o->since) {
        snprintf(r->since, sizeof r->since, "%s", o->since);
        isotime_parse(r->since, &since);
    } else {
        since = until;
        for (size_t i = 0; i < n; i++)
            if (rows[i].in < since)
                since = rows[i].in;
        isotime_format(since, r->since);
    }
    if (rc == 0) {
        compute_groups(r, rows, n, o->hours);
        compute_days(r, rows, n, since, until);
        rc = compute_weeks(db, r, since, until, err);
    }
    for (size_t i = 0; i < n; i++)
        trow_clear(&rows[i]);
    free(rows);
    if (rc != 0) {
        report_free(r);
        return -1;
    }
    *out = r;
    return 0;
}

void
report_free(struct report *r)
{
    if (r == NULL)
        return;
    free(r->total.group);
    for (size_t i = 0; i < r->ngroups; i++)
        free(r->groups[i].group);
    free(r->groups);
    for (size_t i = 0; i < r->nreturns; i++) {
        struct report_return *x = &r->returns[i];
        free(x->at);
        free(x->reviewer);
        free(x->officer);
        free(x->pattern);
        free(x->comment);
    }
    free(r->returns);
    free(r->weeks);
    free(r->days);
    free(r);
}
