/* `tactful show`: one thread as a conversation tree. */
#include "cli/cli.h"

#include "model/extras.h"
#include "model/text.h"
#include "model/xmalloc.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

/* Deeper replies are drawn at this depth, so a long chain stays readable. */
#define SHOW_MAX_INDENT 8

/* Returns a JSON string for s, or null. */
static json_t *
str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

/* The thread, its posts in tree order (with depth) and its notes, as JSON. */
static json_t *
thread_json(const struct thread *t)
{
    json_t *o = out_thread_json(&t->info);
    json_t *posts = json_array(), *notes = json_array();
    for (size_t i = 0; i < t->nposts; i++) {
        const struct thread_post *p = &t->posts[i];
        json_array_append_new(
            posts, json_pack("{s:s, s:o, s:s, s:s, s:s, s:s, s:o, s:b, s:b, s:i, s:b, s:o}",
                             "id", p->remote_id, "parent", str_or_null(p->parent), "author",
                             p->author, "author_name", p->author_name, "created_at",
                             p->created_at, "text", p->text, "url", str_or_null(p->url), "own",
                             p->own, "shortened", p->shortened, "depth", p->depth, "private",
                             p->is_private, "edited_at", str_or_null(p->edited_at)));
        json_t *po = json_array_get(posts, json_array_size(posts) - 1);
        json_object_set_new(po, "deleted_at", str_or_null(p->deleted_at));
        json_object_set_new(po, "deleted_reason", str_or_null(p->deleted_reason));
        struct extras x;
        extras_read(p->meta, &x);
        json_object_set_new(po, "extras", extras_json(&x));
        extras_clear(&x);
    }
    json_object_set_new(o, "reply_refused", str_or_null(t->reply_refused));
    for (size_t i = 0; i < t->nnotes; i++)
        json_array_append_new(notes, json_pack("{s:s, s:s, s:s}", "officer", t->notes[i].officer,
                                               "created_at", t->notes[i].created_at, "text",
                                               t->notes[i].text));
    json_object_set_new(o, "posts_tree", posts);
    json_object_set_new(o, "notes", notes);
    return o;
}

/* Prints text (sanitized, multi-line) with every line indented by indent columns. */
static void
print_indented(const char *text, int indent)
{
    char *safe = text_sanitize(text, strlen(text), TEXT_MULTILINE);
    char *line = safe;
    for (;;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        printf("%*s%s\n", indent, "", line);
        if (nl == NULL)
            break;
        line = nl + 1;
    }
    free(safe);
}

/* Prints a post's labels, media, quote and link card (model/extras.h) under its text. */
static void
print_extras(const struct thread_post *p, int indent)
{
    struct extras x;
    if (extras_read(p->meta, &x)) {
        char *text = extras_text(&x);
        size_t n = strlen(text);
        if (n > 0) {
            text[n - 1] = '\0'; /* the last line's newline */
            print_indented(text, indent);
        }
        free(text);
    }
    extras_clear(&x);
}

/* Prints "YYYY-MM-DD HH:MM" from a stored timestamp. */
static void
print_when(const char *iso)
{
    printf("%.10s %.5s UTC", iso, strlen(iso) > 11 ? iso + 11 : "");
}

/* The thread as text for people. */
static void
thread_print(const struct thread *t)
{
    const struct thread_row *r = &t->info;
    printf("Thread %ld · ", r->id);
    out_safe(stdout, r->platform, 0);
    printf(" · ");
    out_safe(stdout, r->account, 0);
    printf(" · %s · priority %d · ", r->state, r->priority);
    if (r->assignee) {
        printf("assigned to ");
        out_safe(stdout, r->assignee, 0);
    } else {
        printf("unassigned");
    }
    printf(" · tags: ");
    for (size_t i = 0; i < r->ntags; i++) {
        printf("%s", i ? ", " : "");
        out_safe(stdout, r->tags[i], 0);
    }
    printf("%s\n", r->ntags ? "" : "-");
    if (r->topic) {
        printf("Topic: ");
        out_safe(stdout, r->topic, 0);
        printf("\n");
    }
    if (r->title) {
        printf("Title: ");
        out_safe(stdout, r->title, 0);
        printf("\n");
    }
    if (r->url) {
        printf("URL: ");
        out_safe(stdout, r->url, 0);
        printf("\n");
    }
    if (r->snoozed_until)
        printf("Snoozed until %s\n", r->snoozed_until);
    if (t->reply_refused) {
        printf("Replies: refused by the platform (");
        out_safe(stdout, t->reply_refused, 0);
        printf(")\n");
    }
    for (size_t i = 0; i < t->nposts; i++) {
        const struct thread_post *p = &t->posts[i];
        int depth = p->depth > SHOW_MAX_INDENT ? SHOW_MAX_INDENT : p->depth;
        int indent = depth * 2;
        printf("\n%*s%s", indent, "", depth ? "↳ " : "");
        if (p->author_name && *p->author_name && strcmp(p->author_name, p->author) != 0) {
            out_safe(stdout, p->author_name, 0);
            printf(" (");
            out_safe(stdout, p->author, 0);
            printf(")");
        } else {
            out_safe(stdout, p->author, 0);
        }
        printf(" · ");
        print_when(p->created_at);
        if (p->depth > SHOW_MAX_INDENT)
            printf(" · reply depth %d", p->depth);
        if (p->edited_at) {
            printf(" · edited ");
            print_when(p->edited_at);
        }
        printf("%s%s%s%s\n", p->deleted_at ? " [deleted]" : "",
               p->is_private ? " [private]" : "", p->own ? " [ours]" : "",
               p->shortened ? " [shortened]" : "");
        if (p->deleted_at) {
            printf("%*s(", indent + (depth ? 2 : 0) + 2, "");
            out_safe(stdout, p->deleted_reason ? p->deleted_reason : "deleted upstream", 0);
            printf(", found ");
            print_when(p->deleted_at);
            printf("; kept here for the record, it cannot be answered)\n");
        }
        print_indented(p->text, indent + (depth ? 2 : 0) + 2);
        print_extras(p, indent + (depth ? 2 : 0) + 2);
    }
    if (t->nnotes) {
        printf("\nInternal notes:\n");
        for (size_t i = 0; i < t->nnotes; i++) {
            printf("  ");
            print_when(t->notes[i].created_at);
            printf(" ");
            out_safe(stdout, t->notes[i].officer, 0);
            printf(":\n");
            print_indented(t->notes[i].text, 4);
        }
    }
}

int
cmd_show(struct cli *cli, int argc, char **argv)
{
    int json = 0, c;
    char *err = NULL;

    optind = 0;
    while ((c = cli_getopt("show", argc, argv)) != -1) {
        if (c == CLI_OPT_ERROR)
            return EXIT_USAGE;
        json = 1;
    }
    if (argc - optind != 1)
        return cli_usage("show", "give one thread number");
    long id = cli_thread_id("show", argv[optind]);
    if (id < 0)
        return EXIT_USAGE;
    if (cli_open_db(cli) != 0)
        return EXIT_FAIL;
    struct thread *t = thread_get(cli->db, id, &err);
    if (t == NULL) {
        cli_error("%s", err);
        free(err);
        return EXIT_FAIL;
    }
    if (json)
        out_json(stdout, thread_json(t));
    else
        thread_print(t);
    thread_free(t);
    return EXIT_OK;
}
