/* `tactful report`: response reporting (model/report.h) as an 80-column text table, JSON or
 * CSV. Read-only: it works with --offline and on a review bundle. */
#include "cli/cli.h"

#include "model/export.h"
#include "model/hours.h"
#include "model/report.h"
#include "model/text.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Parses a --since or --until value: a date (YYYY-MM-DD: the start of that day in UTC, or
 * with end set the start of the next, so that --until includes the day) or an RFC 3339 time.
 * Returns 0, or -1 after a usage message. */
static int
period_arg(const char *opt, const char *v, int end, char out[ISOTIME_LEN])
{
    char buf[ISOTIME_LEN + 8];
    int date = strlen(v) == 10 && v[4] == '-' && v[7] == '-';
    snprintf(buf, sizeof buf, date ? "%sT00:00:00Z" : "%s", v);
    time_t t;
    if (isotime_normalize(buf, out) != 0 || isotime_parse(out, &t) != 0) {
        cli_usage("report", "--%s '%s' is not a date (YYYY-MM-DD) or an RFC 3339 time", opt, v);
        return -1;
    }
    if (date && end)
        isotime_format(t + 86400, out);
    return 0;
}

/* A cell of the group column: sanitized, fitted and padded to cols. */
static void
group_cell(const char *s, int cols)
{
    char *safe = text_sanitize(s, strlen(s), 0);
    char *fit = text_fit(safe, cols, 1);
    char *pad = text_pad(fit, cols);
    fputs(pad, stdout);
    free(pad);
    free(fit);
    free(safe);
}

/* One row of the figures table. */
static void
text_row(const struct report *r, const struct report_figures *f)
{
    char med[32], p90[32], bmed[32], bp90[32], pct[24] = "-";
    report_duration(f->median_s, med);
    report_duration(f->p90_s, p90);
    report_duration(f->median_bh_s, bmed);
    report_duration(f->p90_bh_s, bp90);
    if (f->in)
        snprintf(pct, sizeof pct, "%d%%", report_answered_pct(f));
    group_cell(f->group, 18);
    printf(" %6ld %6ld %4s %7s %7s", f->in, f->answered, pct, med, p90);
    if (r->business)
        printf(" %7s %7s", bmed, bp90);
    printf(" %4ld %4ld\n", f->returned, f->escalated);
}

/* The text form: the table, the histogram, the returns and the weekly backlog. */
static void
report_text(const struct report *r)
{
    printf("Threads in from %.10s %.5s to %.10s %.5s UTC (the end excluded)\n", r->since,
           r->since + 11, r->until, r->until + 11);
    if (r->business)
        printf("BH: business hours only, %s local time\n", r->hours);
    printf("\n");
    char head[24];
    snprintf(head, sizeof head, "%s", r->by == REPORT_BY_NONE ? "" : report_by_name(r->by));
    for (char *c = head; *c; c++)
        *c = (char)(*c >= 'a' && *c <= 'z' ? *c - 32 : *c);
    printf("%-18s %6s %6s %4s %7s %7s", head, "IN", "ANSWD", "%", "MEDIAN", "P90");
    if (r->business)
        printf(" %7s %7s", "BH-MED", "BH-P90");
    printf(" %4s %4s\n", "RET", "ESC");
    for (size_t i = 0; i < r->ngroups; i++)
        text_row(r, &r->groups[i]);
    text_row(r, &r->total);

    printf("\nTime to first reply%s (answered threads):\n", r->business ? " in business hours"
                                                                       : "");
    for (int b = 0; b < REPORT_BUCKETS; b++)
        printf("%s%s %ld", b ? "   " : "  ", report_bucket_labels[b], r->total.hist[b]);
    printf("\n");

    printf("\nReturned by approval: %zu\n", r->nreturns);
    for (size_t i = 0; i < r->nreturns; i++) {
        const struct report_return *x = &r->returns[i];
        printf("  %.10s  thread %ld, draft %ld by ", x->at ? x->at : "", x->thread, x->draft);
        out_safe(stdout, x->officer ? x->officer : "-", 0);
        printf(" (");
        out_safe(stdout, x->pattern ? x->pattern : "no pattern", 0);
        printf(")\n      ");
        out_safe(stdout, x->reviewer, 0);
        printf(": ");
        out_safe(stdout, x->comment ? x->comment : "", 0);
        printf("\n");
    }

    printf("\nBacklog at the end of each week (threads by state):\n%-10s", "WEEK OF");
    for (int s = 0; s < TRIAGE_NSTATES; s++)
        printf(" %8s", triage_states[s].label);
    printf("\n");
    for (size_t w = 0; w < r->nweeks; w++) {
        printf("%-10s", r->weeks[w].monday);
        for (int s = 0; s < TRIAGE_NSTATES; s++)
            printf(" %8ld", r->weeks[w].n[s]);
        printf("\n");
    }
}

/* A duration as JSON: seconds, or null for none. */
static json_t *
json_secs(long long s)
{
    return s < 0 ? json_null() : json_integer((json_int_t)s);
}

/* One row of figures as a JSON object. */
static json_t *
figures_json(const struct report_figures *f)
{
    json_t *hist = json_object();
    for (int b = 0; b < REPORT_BUCKETS; b++)
        json_object_set_new(hist, report_bucket_labels[b], json_integer(f->hist[b]));
    return json_pack("{s:s, s:I, s:I, s:o, s:o, s:o, s:o, s:I, s:I, s:o}", "group", f->group,
                     "in", (json_int_t)f->in, "answered", (json_int_t)f->answered,
                     "median_s", json_secs(f->median_s), "p90_s", json_secs(f->p90_s),
                     "median_business_s", json_secs(f->median_bh_s), "p90_business_s",
                     json_secs(f->p90_bh_s), "returned", (json_int_t)f->returned,
                     "escalated", (json_int_t)f->escalated, "histogram", hist);
}

/* The JSON form: one object (see the --format help in cli/commands.c). */
static void
report_json(const struct report *r)
{
    json_t *groups = json_array(), *returns = json_array(), *weeks = json_array(),
           *days = json_array();
    for (size_t i = 0; i < r->ngroups; i++)
        json_array_append_new(groups, figures_json(&r->groups[i]));
    for (size_t i = 0; i < r->nreturns; i++) {
        const struct report_return *x = &r->returns[i];
        json_array_append_new(returns,
                              json_pack("{s:s?, s:I, s:I, s:s?, s:s?, s:s?, s:s?}", "at", x->at,
                                        "thread", (json_int_t)x->thread, "draft",
                                        (json_int_t)x->draft, "officer", x->officer, "pattern",
                                        x->pattern, "reviewer", x->reviewer, "comment",
                                        x->comment));
    }
    for (size_t w = 0; w < r->nweeks; w++) {
        json_t *o = json_pack("{s:s}", "week", r->weeks[w].monday);
        for (int s = 0; s < TRIAGE_NSTATES; s++)
            json_object_set_new(o, triage_states[s].name, json_integer(r->weeks[w].n[s]));
        json_array_append_new(weeks, o);
    }
    for (size_t d = 0; d < r->ndays; d++)
        json_array_append_new(days, json_pack("{s:s, s:I}", "day", r->days[d].day, "in",
                                              (json_int_t)r->days[d].in));
    out_json(stdout, json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "since",
                               r->since, "until", r->until, "by", report_by_name(r->by),
                               "business_hours", r->business ? json_string(r->hours)
                                                             : json_null(),
                               "total", figures_json(&r->total), "groups", groups, "returns",
                               returns, "backlog", weeks, "volume", days));
}

/* A duration cell of the CSV: seconds, or empty for none. */
static void
csv_secs(long long s)
{
    if (s >= 0)
        printf("%lld", s);
    putchar(',');
}

/* The CSV form: the table's rows, `all` last, through export's formula guard. */
static void
report_csv(const struct report *r)
{
    int display = isatty(STDOUT_FILENO);
    printf("group,in,answered,median_s,p90_s,median_business_s,p90_business_s,returned,"
           "escalated\r\n");
    for (size_t i = 0; i <= r->ngroups; i++) {
        const struct report_figures *f = i < r->ngroups ? &r->groups[i] : &r->total;
        export_csv_cell(stdout, f->group, display);
        printf(",%ld,%ld,", f->in, f->answered);
        csv_secs(f->median_s);
        csv_secs(f->p90_s);
        csv_secs(f->median_bh_s);
        csv_secs(f->p90_bh_s);
        printf("%ld,%ld\r\n", f->returned, f->escalated);
    }
}

int
cmd_report(struct cli *cli, int argc, char **argv)
{
    char since[ISOTIME_LEN], until[ISOTIME_LEN];
    struct report_opts o = {0};
    const char *format = "text";
    int c;
    optind = 0;
    while ((c = cli_getopt("report", argc, argv)) != -1) {
        if (c == CLI_OPT_ERROR)
            return EXIT_USAGE;
        if (c == 's' && period_arg("since", optarg, 0, since) != 0)
            return EXIT_USAGE;
        if (c == 's')
            o.since = since;
        if (c == 'u' && period_arg("until", optarg, 1, until) != 0)
            return EXIT_USAGE;
        if (c == 'u')
            o.until = until;
        if (c == 'b') {
            int by = report_by_parse(optarg);
            if (by < 0)
                return cli_usage("report", "--by takes account, officer, pattern, tag, week or "
                                           "platform, not '%s'", optarg);
            o.by = (enum report_by)by;
        }
        if (c == 'f') {
            if (strcmp(optarg, "text") != 0 && strcmp(optarg, "json") != 0 &&
                strcmp(optarg, "csv") != 0)
                return cli_usage("report", "--format takes text, json or csv, not '%s'", optarg);
            format = optarg;
        }
    }
    if (optind < argc)
        return cli_usage("report", "unexpected argument '%s'", argv[optind]);
    if (o.since && o.until && strcmp(o.since, o.until) >= 0)
        return cli_usage("report", "--since must come before --until");
    struct hours hours;
    char *err = NULL;
    if (cli->cfg && cli->cfg->business_hours) {
        if (hours_parse(cli->cfg->business_hours, &hours, &err) != 0) {
            cli_error("business_hours: %s", err);
            free(err);
            return EXIT_USAGE;
        }
        o.hours = &hours;
    }
    if (cli_open_db(cli) != 0)
        return EXIT_FAIL;
    struct report *r;
    if (report_build(cli->db, &o, &r, &err) != 0) {
        cli_error("%s", err);
        free(err);
        return EXIT_FAIL;
    }
    if (strcmp(format, "json") == 0)
        report_json(r);
    else if (strcmp(format, "csv") == 0)
        report_csv(r);
    else
        report_text(r);
    report_free(r);
    if (fflush(stdout) != 0)
        return cli_output_gone();
    return EXIT_OK;
}
