/* `tactful reply` and `tactful submit`: writing a draft from a file or a pattern's template
 * and submitting it through the guardrails (model/draft.h). */
#include "cli/cmd_bundle.h"
#include "cli/cmd_reply.h"

#include "model/cw.h"
#include "model/thread.h"
#include "model/xmalloc.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

/* Prints the findings of a draft. */
void
reply_print_findings(long id, const char *body, const struct guard_result *r)
{
    for (size_t i = 0; i < r->n; i++) {
        const struct guard_finding *f = &r->findings[i];
        if (f->source == GUARD_DRAFT) {
            int line, col;
            guard_position(body, strlen(body), f->start, &line, &col);
            printf("draft %ld:%d:%d: ", id, line, col);
        } else {
            printf("post answered: ");
        }
        printf("%s: ", guard_severity_name(f->severity));
        out_safe(stdout, f->message, 0);
        printf(" [%s]\n", f->rule);
    }
}

/* Parses a draft number. */
long
reply_draft_id(const char *cmd, const char *s)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end != '\0' || v <= 0) {
        cli_usage(cmd, "'%s' is not a draft number; `tactful drafts` shows them", s);
        return -1;
    }
    return v;
}

/* Parses RULE=REASON. */
int
reply_parse_override(const char *cmd, char *arg, struct draft_override *o)
{
    char *eq = strchr(arg, '=');
    if (eq == NULL || eq == arg)
        return cli_usage(cmd, "--override takes RULE=REASON, such as "
                              "personal-data.phone='It is the depot's public line.'");
    *eq = '\0';
    o->rule = arg;
    o->reason = eq + 1;
    return EXIT_OK;
}

/* Submits draft id and prints what became of it. */
int
reply_submit(struct cli *cli, const char *cmd, long id, const struct draft_override *o,
             size_t no)
{
    char *err = NULL;
    struct draft d;
    int got = draft_get(cli->db, id, &d, &err);
    if (got != 0) {
        if (got == 1)
            cli_error("no draft %ld; `tactful drafts` shows them", id);
        else
            cli_error("%s", err);
        free(err);
        return EXIT_FAIL;
    }
    const char *left = draft_placeholder_left(d.body);
    if (left) {
        cli_error("draft %ld still holds %s; fill it in (tactful submit %ld --text-file F) "
                  "before submitting", id, left, id);
        draft_clear(&d);
        return EXIT_FAIL;
    }
    /* The signature is sent exactly once, as from the composer: appended when missing. */
    const char *signature = cli->cfg ? cli->cfg->signature : NULL;
    if (draft_signature_missing(d.body, signature)) {
        char *signed_body = draft_signed(d.body, signature);
        int saved = draft_save(cli->db, cli->officer, id, signed_body, &err);
        free(signed_body);
        if (saved != 0) {
            cli_error("%s", err);
            free(err);
            draft_clear(&d);
            return EXIT_FAIL;
        }
    }
    struct pattern_set *set = NULL;
    int rc = cli_patterns_load(cli, &set);
    struct guard *g = rc == EXIT_OK ? cli_guard_open(cli, cmd, NULL) : NULL;
    if (g == NULL) {
        pattern_set_free(set);
        draft_clear(&d);
        return rc == EXIT_OK ? EXIT_USAGE : rc;
    }
    const struct pattern *p = pattern_find(set, d.pattern);
    struct draft_check c = {.guard = g, .pattern_approval = p && p->approval,
                            .overrides = o, .noverrides = no};
    struct draft_submission res;
    rc = EXIT_FAIL;
    if (draft_submit(cli->db, cli->officer, id, &c, &res, &err) != 0) {
        cli_error("%s", err);
        free(err);
    } else {
        reply_print_findings(id, d.body, &res.findings);
        if (res.outcome == DRAFT_REFUSED && res.held && res.held[0]) {
            cli_error("draft %ld not submitted: the guardrails could not check it to the end "
                      "(%s), and no override passes that; shorten or split the reply, or ask "
                      "whoever keeps the rules to fix them", id, res.held);
        } else if (res.outcome == DRAFT_REFUSED) {
            cli_error("draft %ld not submitted: an error stands (%s); change the text or "
                      "override with --override RULE=REASON", id, res.blocking);
        } else if (res.outcome == DRAFT_PENDING) {
            printf("draft %ld: pending_approval (%s); another officer approves it with "
                   "`tactful approve %ld`\n", id, res.why_approval, id);
            rc = EXIT_OK;
        } else {
            printf("draft %ld: queued as outbox entry %ld%s\n", id, res.outbox_id,
                   cli_queue_note(cli));
            rc = EXIT_OK;
        }
    }
    draft_submission_free(&res);
    guard_free(g);
    pattern_set_free(set);
    draft_clear(&d);
    return rc;
}

/* Prints the findings of draft id without submitting it. Returns the exit status: EXIT_OK
 * (the draft is saved whatever they say) or the failure to load the guardrails. */
static int
reply_show_findings(struct cli *cli, long id)
{
    char *err = NULL;
    struct draft d;
    if (draft_get(cli->db, id, &d, &err) != 0) {
        free(err);
        return EXIT_FAIL;
    }
    struct guard *g = cli_guard_open(cli, "reply", NULL);
    int rc = g ? EXIT_OK : EXIT_USAGE;
    struct guard_result r = {0};
    if (g && draft_findings(cli->db, g, &d, NULL, &r, &err) == 0) {
        reply_print_findings(id, d.body, &r);
    } else if (g) {
        cli_error("%s", err);
        free(err);
        rc = EXIT_FAIL;
    }
    guard_result_free(&r);
    guard_free(g);
    draft_clear(&d);
    return rc;
}

/* Reads a draft's text from path ("-": standard input), at most DRAFT_MAX_BODY bytes, with a
 * final newline removed. Returns it or NULL after printing why. */
static char *
read_body(const char *path)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (f == NULL) {
        cli_error("cannot read %s: %s", path, strerror(errno));
        return NULL;
    }
    char *data = xmalloc(DRAFT_MAX_BODY + 2);
    size_t n = fread(data, 1, DRAFT_MAX_BODY + 1, f);
    int failed = ferror(f);
    if (f != stdin)
        fclose(f);
    if (failed || n > DRAFT_MAX_BODY) {
        cli_error(failed ? "cannot read %s" : "%s is longer than a reply can be", path);
        free(data);
        return NULL;
    }
    while (n && (data[n - 1] == '\n' || data[n - 1] == '\r'))
        n--;
    data[n] = '\0';
    return data;
}

/* The post of t with remote id (NULL: the root), or NULL. */
static const struct thread_post *
find_post(const struct thread *t, const char *remote)
{
    for (size_t i = 0; i < t->nposts; i++)
        if (strcmp(t->posts[i].remote_id, remote ? remote : t->info.root) == 0)
            return &t->posts[i];
    return NULL;
}

/* The text of a new draft on thread t: the file's, or p's template filled in. */
static char *
draft_text(struct cli *cli, const struct thread *t, const char *to, const struct pattern *p,
           const char *file)
{
    if (file)
        return read_body(file);
    const struct thread_post *post = find_post(t, to);
    struct pattern_vars v = {
        .author = post ? post->author : NULL,
        .topic = t->info.topic,
        .signature = cli->cfg ? cli->cfg->signature : NULL,
    };
    char *s = pattern_render(p, t->info.platform, &v);
    if (s == NULL)
        cli_error("pattern %s has no template", p->id);
    return s;
}

/* What `reply` was asked. */
struct reply_opts {
    const char *to, *pattern, *file;
    bool template, submit;
    struct draft_override overrides[DRAFT_MAX_OVERRIDES];
    size_t noverrides;
};

/* Parses reply's options; returns EXIT_OK or a usage error. */
static int
reply_args(int argc, char **argv, struct reply_opts *o)
{
    int c;
    optind = 0;
    while ((c = cli_getopt("reply", argc, argv)) != -1) {
        if (c == CLI_OPT_ERROR)
            return EXIT_USAGE;
        if (c == 'o')
            o->to = optarg;
        else if (c == 'p')
            o->pattern = optarg;
        else if (c == 'f')
            o->file = optarg;
        else if (c == 't')
            o->template = true;
        else if (c == 's')
            o->submit = true;
        else if (c == 'O' && o->noverrides == DRAFT_MAX_OVERRIDES)
            return cli_usage("reply", "at most %d overrides", DRAFT_MAX_OVERRIDES);
        else if (c == 'O') {
            int rc = reply_parse_override("reply", optarg, &o->overrides[o->noverrides++]);
            if (rc != EXIT_OK)
                return rc;
        }
    }
    if (optind + 1 != argc)
        return cli_usage("reply", "give one thread number");
    if (o->pattern == NULL)
        return cli_usage("reply", "--pattern P is required; `tactful patterns` lists them");
    if ((o->file == NULL) == !o->template)
        return cli_usage("reply", "give exactly one of --text-file F and --template");
    return EXIT_OK;
}

/* Creates the draft and reports others at work on the thread. */
static int
reply_create(struct cli *cli, long thread, const struct reply_opts *o, const struct pattern *p,
             long *id)
{
    char *err = NULL;
    struct thread *t = thread_get(cli->db, thread, &err);
    if (t == NULL) {
        cli_error("%s", err);
        free(err);
        return EXIT_FAIL;
    }
    char *body = draft_text(cli, t, o->to, p, o->file);
    thread_free(t);
    if (body == NULL)
        return EXIT_FAIL;
    char *why = NULL;
    if (draft_busy(cli->db, cli->officer, thread, &why, &err) == 1) {
        cli_error("warning: %s", why);
        free(why);
    }
    free(err);
    err = NULL;
    int rc = draft_create(cli->db, cli->officer, thread, o->to, p->id, body, id, &err);
    free(body);
    if (rc != 0) {
        cli_error("%s", err);
        free(err);
        return EXIT_FAIL;
    }
    printf("draft %ld created on thread %ld (pattern %s)\n", *id, thread, p->id);
    char *cw = NULL;
    if (cw_of_post(cli->db, thread, o->to, &cw, &err) == 0 && cw) {
        printf("it starts with the post's content warning (\"CW: ");
        out_safe(stdout, cw, 0);
        printf("\"); edit or delete that line with `tactful submit %ld --text-file F`\n", *id);
    }
    free(cw);
    free(err);
    return EXIT_OK;
}

int
cmd_reply(struct cli *cli, int argc, char **argv)
{
    struct reply_opts o = {0};
    int rc = reply_args(argc, argv, &o);
    if (rc != EXIT_OK)
        return rc;
    long thread = cli_thread_id("reply", argv[optind]);
    if (thread < 0)
        return EXIT_USAGE;
    struct pattern_set *set;
    rc = cli_patterns_load(cli, &set);
    if (rc != EXIT_OK)
        return rc;
    const struct pattern *p = pattern_find(set, o.pattern);
    long id = 0;
    if (p == NULL)
        rc = cli_usage("reply", "no pattern '%s'; `tactful patterns` lists them", o.pattern);
    else if (cli_open_db(cli) != 0)
        rc = EXIT_FAIL;
    else
        rc = reply_create(cli, thread, &o, p, &id);
    pattern_set_free(set);
    if (rc != EXIT_OK)
        return rc;
    if (o.submit)
        return reply_submit(cli, "reply", id, o.overrides, o.noverrides);
    rc = reply_show_findings(cli, id);
    printf("submit it with `tactful submit %ld`\n", id);
    return rc;
}

int
cmd_submit(struct cli *cli, int argc, char **argv)
{
    struct draft_override ov[DRAFT_MAX_OVERRIDES];
    size_t no = 0;
    const char *file = NULL;
    int c;
    optind = 0;
    while ((c = cli_getopt("submit", argc, argv)) != -1) {
        if (c == CLI_OPT_ERROR)
            return EXIT_USAGE;
        if (c == 'f')
            file = optarg;
        else if (c == 'O' && no == DRAFT_MAX_OVERRIDES)
            return cli_usage("submit", "at most %d overrides", DRAFT_MAX_OVERRIDES);
        else if (c == 'O') {
            int rc = reply_parse_override("submit", optarg, &ov[no++]);
            if (rc != EXIT_OK)
                return rc;
        }
    }
    if (optind + 1 != argc)
        return cli_usage("submit", "give one draft number");
    long id = reply_draft_id("submit", argv[optind]);
    if (id < 0)
        return EXIT_USAGE;
    if (cli_open_db(cli) != 0)
        return EXIT_FAIL;
    if (file) {
        char *body = read_body(file), *err = NULL;
        if (body == NULL)
            return EXIT_FAIL;
        int rc = draft_save(cli->db, cli->officer, id, body, &err);
        free(body);
        if (rc != 0) {
            cli_error("%s", err);
            free(err);
            return EXIT_FAIL;
        }
    }
    return reply_submit(cli, "submit", id, ov, no);
}
