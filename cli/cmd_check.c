/* `tactful check` and `tactful rules`: the guardrails from the command line. check lints
 * drafts like a compiler (FILE:LINE:COL: SEVERITY: MESSAGE [RULE], or JSON); rules lists the
 * rules in force and where each comes from. Both read the shipped packs, the office policy
 * (--policy, else [tactful] policy) and the officer's own rules file, the file "rules" beside
 * the configuration. `check --config` lints the configuration file instead. */
#include "cli/cli.h"
#include "cli/embedded.h"

#include "model/guard.h"
#include "model/platform.h"
#include "model/text.h"
#include "model/xmalloc.h"
#include "tui/tui.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* Returns the officer's own rules file: "rules" in the configuration's folder (newly
 * allocated). */
static char *
user_rules_path(const struct cli *cli)
{
    const char *slash = strrchr(cli->config_path, '/');
    if (slash == NULL)
        return xstrdup("rules");
    return xasprintf("%.*s/rules", (int)(slash - cli->config_path), cli->config_path);
}

/* Loads the rules for a command; prints every problem and returns NULL on failure. */
struct guard *
cli_guard_open(struct cli *cli, const char *cmd, const char *policy)
{
    char *dir = cli_data_path("rules");
    if (dir == NULL) {
        cli_error("cannot find the shipped rules (the rules folder); reinstall tactful or set "
                  "TACTFUL_DATADIR to its share folder");
        return NULL;
    }
    char *user = user_rules_path(cli);
    char *base = cli_cache_folder();
    char *cache = base ? xasprintf("%s/rules", base) : NULL; /* compiled patterns */
    free(base);
    struct guard_options opts = {
        .rules_dir = dir,
        .policy = policy ? policy : cli->cfg ? cli->cfg->policy : NULL,
        .user_rules = user,
        .cache_dir = cache,
    };
    char *err = NULL;
    struct guard *g = guard_new(&opts, &err);
    if (g == NULL) {
        char *safe = text_sanitize(err, strlen(err), TEXT_MULTILINE);
        fprintf(stderr, "%s\ntactful %s: fix the rule files named above; see RULE FILES in "
                        "tactful(5)\n", safe, cmd);
        free(safe);
        free(err);
    }
    free(cache);
    free(user);
    free(dir);
    return g;
}

/* Reads a whole file ("-": standard input) of at most GUARD_TEXT_MAX bytes. Returns the
 * text (newly allocated, NUL-terminated) or NULL after printing why. */
static char *
read_text(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (f == NULL) {
        cli_error("cannot read %s: %s", path, strerror(errno));
        return NULL;
    }
    char *data = xmalloc(GUARD_TEXT_MAX + 2);
    size_t n = fread(data, 1, GUARD_TEXT_MAX + 1, f);
    int failed = ferror(f);
    if (f != stdin)
        fclose(f);
    if (failed || n > GUARD_TEXT_MAX) {
        cli_error(failed ? "cannot read %s: read error" : "%s is larger than 1 MiB; check it "
                                                          "in parts", path);
        free(data);
        return NULL;
    }
    data[n] = '\0';
    *len = n;
    return data;
}

/* A text that findings point into, with the name to print for it, and a cursor so that
 * positions of findings (in order of start) are counted from the last one, not from the top. */
struct named_text {
    const char *name;
    const char *text;
    size_t len;
    size_t at;      /* the cursor: a byte offset, */
    int line, col;  /* and its line and column (0: not set yet) */
};

/* Line and column of byte offset in t, counted onwards from t's cursor when offset is at or
 * after it; moves the cursor there. */
static void
position(struct named_text *t, size_t offset, int *line, int *col)
{
    if (t->line == 0 || offset < t->at) {
        t->at = 0;
        t->line = t->col = 1;
    }
    int dl, dc;
    guard_position(t->text + t->at, t->len - t->at, offset - t->at, &dl, &dc);
    t->line = dl == 1 ? t->line : t->line + dl - 1;
    t->col = dl == 1 ? t->col + dc - 1 : dc;
    t->at = offset;
    *line = t->line;
    *col = t->col;
}

/* Prints one finding as FILE:LINE:COL: SEVERITY: MESSAGE [RULE]; with suggestions, its fix
 * (when the rule offers one) follows on a line of its own, indented. */
static void
print_text(struct named_text *t, const struct guard_finding *f, bool suggestions)
{
    int line, col;
    position(t, f->start, &line, &col);
    out_safe(stdout, t->name, 0);
    printf(":%d:%d: %s: ", line, col, guard_severity_name(f->severity));
    out_safe(stdout, f->message, 0);
    printf(" [%s]\n", f->rule);
    if (suggestions && *f->suggestion) {
        printf("    suggestion: ");
        out_safe(stdout, f->suggestion, 0);
        printf("\n");
    }
}

/* Returns a JSON string for s[0..len) with broken UTF-8 replaced by U+FFFD (jansson refuses
 * broken UTF-8; drafts may hold it). */
static json_t *
json_text(const char *s, size_t len)
{
    struct buf b = {0};
    buf_adds(&b, "");
    for (size_t i = 0; i < len;) {
        utf8proc_int32_t cp;
        size_t avail = len - i;
        utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              (utf8proc_ssize_t)(avail < 4 ? avail : 4), &cp);
        if (n <= 0 || cp < 0) {
            buf_adds(&b, "\xEF\xBF\xBD");
            i++;
            continue;
        }
        buf_add(&b, s + i, (size_t)n);
        i += (size_t)n;
    }
    json_t *j = json_stringn(b.data, b.len);
    buf_free(&b);
    return j ? j : json_string("");
}

/* Returns a finding as a JSON object. */
static json_t *
finding_json(struct named_text *t, const struct guard_finding *f)
{
    int line, col, end_line, end_col, dl, dc;
    position(t, f->start, &line, &col);
    guard_position(t->text + f->start, t->len - f->start, f->end - f->start, &dl, &dc);
    end_line = line + dl - 1;
    end_col = dl == 1 ? col + dc - 1 : dc;
    json_t *o = json_object();
    json_object_set_new(o, "file", json_text(t->name, strlen(t->name)));
    json_object_set_new(o, "source", json_string(f->source == GUARD_DRAFT ? "draft" : "context"));
    json_object_set_new(o, "rule", json_string(f->rule));
    json_object_set_new(o, "category", json_string(f->category));
    json_object_set_new(o, "severity", json_string(guard_severity_name(f->severity)));
    json_object_set_new(o, "start", json_integer((json_int_t)f->start));
    json_object_set_new(o, "end", json_integer((json_int_t)f->end));
    json_object_set_new(o, "line", json_integer(line));
    json_object_set_new(o, "column", json_integer(col));
    json_object_set_new(o, "end_line", json_integer(end_line));
    json_object_set_new(o, "end_column", json_integer(end_col));
    json_object_set_new(o, "match", json_text(t->text + f->start, f->end - f->start));
    json_object_set_new(o, "message", json_text(f->message, strlen(f->message)));
    json_object_set_new(o, "suggestion", json_text(f->suggestion, strlen(f->suggestion)));
    json_object_set_new(o, "approval", json_boolean(f->approval));
    json_object_set_new(o, "locked", json_boolean(f->locked));
    return o;
}

/* What `check` was asked to do. */
struct check_opts {
    const char *platform;
    const char *context_path;
    const char *pattern;
    const char *policy;
    bool json;
    bool suggestions;         /* text: print each finding's fix under it */
};

/* Checks one draft and prints (or collects) its findings; context findings are shown only
 * with the first draft. Returns the number of error findings, or -1 when it failed. */
static int
check_one(const struct guard *g, const struct check_opts *o, struct named_text *draft,
          struct named_text *context, bool show_context, json_t *all)
{
    struct guard_input in = {
        .draft = draft->text,
        .draft_len = draft->len,
        .platform = o->platform,
        .context = context ? context->text : NULL,
        .context_len = context ? context->len : 0,
        .pattern = o->pattern,
    };
    struct guard_result res;
    char *err = NULL;
    if (guard_check(g, &in, &res, &err) != 0) {
        cli_error("%s: %s", draft->name, err);
        free(err);
        guard_result_free(&res);
        return -1;
    }
    int errors = 0;
    for (size_t i = 0; i < res.n; i++) {
        const struct guard_finding *f = &res.findings[i];
        if (f->source == GUARD_CONTEXT && !show_context)
            continue;
        struct named_text *t = f->source == GUARD_DRAFT ? draft : context;
        errors += f->severity == GUARD_ERROR;
        if (all)
            json_array_append_new(all, finding_json(t, f));
        else
            print_text(t, f, o->suggestions);
    }
    guard_result_free(&res);
    return errors;
}

struct config *
cli_config_load_checked(const struct cli *cli, char **err)
{
    static const struct config_checks checks = {
        .colour_role = tui_colour_role_check,
        .inbox_columns = tui_inbox_columns_check,
    };
    return config_load_checked(cli->config_path, !cli->config_explicit, &checks, err);
}

/* `check --config`: prints every problem of the configuration file in force; returns the exit
 * status (1 when there is one). */
static int
check_config(struct cli *cli)
{
    char *err = NULL;
    struct config *cfg = cli_config_load_checked(cli, &err);
    if (cfg == NULL) {
        char *safe = text_sanitize(err, strlen(err), TEXT_MULTILINE);
        printf("%s\n", safe);
        free(safe);
        free(err);
        return EXIT_FAIL;
    }
    if (cfg->path == NULL)
        fprintf(stderr, "tactful: there is no configuration file at %s; tactful runs with its "
                        "defaults (see tactful(5) to write one)\n", cli->config_path);
    config_free(cfg);
    return EXIT_OK;
}

int
cmd_check(struct cli *cli, int argc, char **argv)
{
    struct check_opts o = {0};
    bool config = false;
    int c;
    optind = 0;
    while ((c = cli_getopt("check", argc, argv)) != -1) {
        switch (c) {
        case CLI_OPT_ERROR:
            return EXIT_USAGE;
        case 'p':
            if (platform_find(optarg) == NULL) {
                char *names = platform_names(" or ");
                int rc = cli_usage("check", "unknown platform '%s'; use %s", optarg, names);
                free(names);
                return rc;
            }
            o.platform = optarg;
            break;
        case 'c':
            o.context_path = optarg;
            break;
        case 'P':
            if (guard_pattern_find(optarg) == NULL) {
                struct buf b = {0};
                for (const struct guard_pattern *p = guard_patterns; p->id; p++)
                    buf_printf(&b, "%s%s", b.len ? ", " : "", p->id);
                int rc = cli_usage("check", "unknown pattern '%s'; use one of %s", optarg,
                                   b.data);
                buf_free(&b);
                return rc;
            }
            o.pattern = optarg;
            break;
        case 'y':
            o.policy = optarg;
            break;
        case 'f':
            if (strcmp(optarg, "text") != 0 && strcmp(optarg, "json") != 0)
                return cli_usage("check", "unknown format '%s'; use text or json", optarg);
            o.json = strcmp(optarg, "json") == 0;
            break;
        case 's':
            o.suggestions = true;
            break;
        case 'C':
            config = true;
            break;
        }
    }
    if (config) {
        if (optind < argc || o.platform || o.context_path || o.pattern || o.policy || o.json ||
            o.suggestions)
            return cli_usage("check", "--config checks the configuration alone; give no draft "
                                      "and no other option with it");
        return check_config(cli);
    }
    char *stdin_only[] = {(char *)"-"};
    char **files = optind < argc ? argv + optind : stdin_only;
    int nfiles = optind < argc ? argc - optind : 1;
    bool reads_stdin = false;
    for (int i = 0; i < nfiles; i++)
        reads_stdin |= strcmp(files[i], "-") == 0;
    if (o.context_path && reads_stdin && strcmp(o.context_path, "-") == 0)
        return cli_usage("check", "the draft and --context cannot both come from standard "
                                  "input; save one to a file");

    struct guard *g = cli_guard_open(cli, "check", o.policy);
    if (g == NULL)
        return EXIT_USAGE;
    struct named_text context = {0};
    char *context_text = NULL;
    if (o.context_path) {
        context_text = read_text(o.context_path, &context.len);
        if (context_text == NULL) {
            guard_free(g);
            return EXIT_USAGE;
        }
        context.name = strcmp(o.context_path, "-") == 0 ? "<stdin>" : o.context_path;
        context.text = context_text;
    }
    json_t *all = o.json ? json_array() : NULL;
    int errors = 0, failed = 0;
    for (int i = 0; i < nfiles; i++) {
        struct named_text draft = {.name = strcmp(files[i], "-") == 0 ? "<stdin>" : files[i]};
        char *text = read_text(files[i], &draft.len);
        if (text == NULL) {
            failed++;
            continue;
        }
        draft.text = text;
        int e = check_one(g, &o, &draft, o.context_path ? &context : NULL, i == 0, all);
        free(text);
        if (e < 0)
            failed++;
        else
            errors += e;
    }
    if (all)
        out_json(stdout, all);
    free(context_text);
    guard_free(g);
    return failed ? EXIT_USAGE : errors ? EXIT_FAIL : EXIT_OK;
}

/* Returns a rule as a JSON object. */
static json_t *
rule_json(const struct guard_rule_info *r)
{
    json_t *o = json_object();
    json_object_set_new(o, "rule", json_string(r->id));
    json_object_set_new(o, "category", json_string(r->category));
    json_object_set_new(o, "pack", json_string(r->pack));
    json_object_set_new(o, "kind", json_string(r->kind));
    json_object_set_new(o, "applies", json_string(r->applies));
    json_object_set_new(o, "level", json_string(guard_severity_name(r->level)));
    json_object_set_new(o, "election_level", json_string(guard_severity_name(r->election_level)));
    json_object_set_new(o, "election_only", json_boolean(r->election_only));
    json_object_set_new(o, "enabled", json_boolean(r->enabled));
    json_object_set_new(o, "locked", json_boolean(r->locked));
    json_object_set_new(o, "approval", json_boolean(r->approval));
    json_object_set_new(o, "file", json_string(r->file));
    json_object_set_new(o, "line", json_integer(r->line));
    json_object_set_new(o, "changed_file", r->changed_file ? json_string(r->changed_file)
                                                           : json_null());
    json_object_set_new(o, "changed_line", json_integer(r->changed_line));
    return o;
}

/* Prints one rule as a table line: id, level, kind, reads, where from, and notes. */
static void
rule_line(const struct guard_rule_info *r, bool election)
{
    enum guard_severity lv = election ? r->election_level : r->level;
    printf("%-30s %-7s %-6s %-8s ", r->id, r->enabled ? guard_severity_name(lv) : "off",
           r->kind, r->applies);
    out_safe(stdout, r->file, 0);
    printf(":%d", r->line);
    struct buf notes = {0};
    if (r->election_only)
        buf_adds(&notes, ", election period only");
    else if (r->election_level > r->level && !election)
        buf_printf(&notes, ", %s in the election period", guard_severity_name(r->election_level));
    if (r->locked)
        buf_adds(&notes, ", locked");
    if (r->approval)
        buf_adds(&notes, ", needs approval");
    if (r->changed_file)
        buf_printf(&notes, ", changed at %s:%d", r->changed_file, r->changed_line);
    if (notes.len) {
        printf(" (");
        out_safe(stdout, notes.data + 2, 0);
        printf(")");
    }
    buf_free(&notes);
    printf("\n");
}

/* Writes text to f with control characters made visible (rule files are plain text, but a
 * policy can come from anywhere). */
static void
print_safe(FILE *f, const char *text)
{
    char *safe = text_sanitize(text, strlen(text), TEXT_MULTILINE);
    fputs(safe, f);
    free(safe);
}

/* Prints one rule's definition; exit 2 when there is no such rule. */
static int
rules_explain(struct guard *g, const char *id)
{
    char *text = guard_rule_explain(g, id);
    int rc = EXIT_OK;
    if (text == NULL) {
        fprintf(stderr, "tactful rules: there is no rule '%s'; `tactful rules --all` lists "
                        "them\n", id);
        rc = EXIT_USAGE;
    } else {
        print_safe(stdout, text);
    }
    free(text);
    guard_free(g);
    return rc;
}

/* Checks every rule in force against its examples; exit 1 when one fails. */
static int
rules_test(struct guard *g)
{
    size_t failed = 0, tested = 0, examples = 0;
    for (size_t i = 0; i < guard_rule_count(g); i++) {
        char *report = NULL;
        size_t ex, counter;
        guard_rule_example_count(g, i, &ex, &counter);
        if (ex + counter == 0)
            continue;
        tested++;
        examples += ex + counter;
        size_t n = guard_rule_test(g, i, &report);
        if (n) {
            print_safe(stdout, report);
            fputc('\n', stdout);
        }
        failed += n;
        free(report);
    }
    printf("%zu examples of %zu rules: %zu passed, %zu failed\n", examples, tested,
           examples - failed, failed);
    guard_free(g);
    return failed ? EXIT_FAIL : EXIT_OK;
}

int
cmd_rules(struct cli *cli, int argc, char **argv)
{
    const char *policy = NULL, *explain = NULL;
    bool all = false, json = false, test = false;
    int c;
    optind = 0;
    while ((c = cli_getopt("rules", argc, argv)) != -1) {
        switch (c) {
        case CLI_OPT_ERROR:
            return EXIT_USAGE;
        case 'y':
            policy = optarg;
            break;
        case 'a':
            all = true;
            break;
        case 'j':
            json = true;
            break;
        case 'e':
            explain = optarg;
            break;
        case 't':
            test = true;
            break;
        }
    }
    if (optind < argc)
        return cli_usage("rules", "unexpected argument '%s'", argv[optind]);
    if (explain && test)
        return cli_usage("rules", "--explain and --test do not go together");
    struct guard *g = cli_guard_open(cli, "rules", policy);
    if (g == NULL)
        return EXIT_USAGE;
    if (explain)
        return rules_explain(g, explain);
    if (test)
        return rules_test(g);
    bool election = guard_election_active(g, NULL);
    json_t *arr = json ? json_array() : NULL;
    if (!json)
        printf("%-30s %-7s %-6s %-8s %s\n", "RULE", "LEVEL", "KIND", "READS", "FROM");
    for (size_t i = 0; i < guard_rule_count(g); i++) {
        struct guard_rule_info r;
        guard_rule_info(g, i, &r);
        bool in_force = r.enabled && (!r.election_only || election);
        if (!all && !in_force)
            continue;
        if (arr)
            json_array_append_new(arr, rule_json(&r));
        else
            rule_line(&r, election);
    }
    const char *start, *end;
    if (arr) {
        out_json(stdout, arr);
    } else if (guard_election_period(g, &start, &end)) {
        printf("\nElection period %s to %s: %s.\n", start, end,
               election ? "in force today, so election rules and levels apply"
                        : "not in force today");
    }
    guard_free(g);
    return EXIT_OK;
}
