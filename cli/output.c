/* How threads look on standard output: aligned text lines for people, JSON for scripts. */
#include "cli/cli.h"

#include "model/export.h"
#include "model/isotime.h"
#include "model/text.h"
#include "model/xmalloc.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* Column widths of the thread table; the last column takes what is left. */
#define W_ID 6
#define W_STATE 9
#define W_PLATFORM 9
#define W_ACCOUNT 16
#define W_AUTHOR 18
#define W_AGE 4
#define W_POSTS 5

void
out_safe(FILE *f, const char *s, int flags)
{
    if (s == NULL)
        return;
    char *safe = text_sanitize(s, strlen(s), flags);
    fputs(safe, f);
    free(safe);
}

int
out_width(FILE *f)
{
    struct winsize ws;
    if (isatty(fileno(f)) && ioctl(fileno(f), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    return 0;
}

/* Writes s sanitized into a column of exactly cols columns followed by a space. */
static void
cell(FILE *f, const char *s, int cols)
{
    char *safe = text_sanitize(s ? s : "-", strlen(s ? s : "-"), 0);
    char *padded = text_pad(safe, cols);
    fputs(padded, f);
    fputc(' ', f);
    free(padded);
    free(safe);
}

void
out_thread_header(FILE *f, int width)
{
    (void)width;
    fprintf(f, "%*s %-*s %-*s %-*s %-*s %*s %*s %s\n", W_ID, "ID", W_STATE, "STATE", W_PLATFORM,
            "PLATFORM", W_ACCOUNT, "ACCOUNT", W_AUTHOR, "AUTHOR", W_AGE, "AGE", W_POSTS, "POSTS",
            "LATEST");
}

void
out_thread_line(FILE *f, const struct thread_row *r, int width, time_t now)
{
    char age[16] = "-";
    time_t t;
    if (r->last_activity && isotime_parse(r->last_activity, &t) == 0)
        isotime_age(t, now, age);
    fprintf(f, "%c%*ld ", r->unread ? '*' : ' ', W_ID - 1, r->id);
    cell(f, r->state, W_STATE);
    cell(f, r->platform, W_PLATFORM);
    cell(f, r->account, W_ACCOUNT);
    cell(f, r->latest_author, W_AUTHOR);
    fprintf(f, "%*s %*ld ", W_AGE, age, W_POSTS, r->posts);
    /* The title when the platform has one, else the latest post's text, on one line. */
    const char *text = r->title && *r->title ? r->title : r->latest_text;
    char *safe = text_sanitize(text ? text : "", text ? strlen(text) : 0, 0);
    int used = W_ID + 1 + W_STATE + 1 + W_PLATFORM + 1 + W_ACCOUNT + 1 + W_AUTHOR + 1 + W_AGE +
               1 + W_POSTS + 1;
    if (width > used) {
        char *fit = text_fit(safe, width - used, 1);
        fputs(fit, f);
        free(fit);
    } else {
        fputs(safe, f);
    }
    free(safe);
    fputc('\n', f);
}

/* Returns a JSON string for s, or null. */
static json_t *
str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

json_t *
out_thread_json(const struct thread_row *r)
{
    json_t *tags = json_array();
    for (size_t i = 0; i < r->ntags; i++)
        json_array_append_new(tags, json_string(r->tags[i]));
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(r->id));
    json_object_set_new(o, "account", json_string(r->account));
    json_object_set_new(o, "platform", json_string(r->platform));
    json_object_set_new(o, "thread", json_string(r->root));
    json_object_set_new(o, "title", str_or_null(r->title));
    json_object_set_new(o, "url", str_or_null(r->url));
    json_object_set_new(o, "state", json_string(r->state));
    json_object_set_new(o, "priority", json_integer(r->priority));
    json_object_set_new(o, "assignee", str_or_null(r->assignee));
    json_object_set_new(o, "topic", str_or_null(r->topic));
    json_object_set_new(o, "tags", tags);
    json_object_set_new(o, "posts", json_integer(r->posts));
    json_object_set_new(o, "unread", json_boolean(r->unread));
    json_object_set_new(o, "first_activity", str_or_null(r->first_activity));
    json_object_set_new(o, "last_activity", str_or_null(r->last_activity));
    json_object_set_new(o, "snoozed_until", str_or_null(r->snoozed_until));
    json_object_set_new(o, "latest_author", str_or_null(r->latest_author));
    json_object_set_new(o, "latest_text", str_or_null(r->latest_text));
    if (r->snippet)
        json_object_set_new(o, "snippet", json_string(r->snippet));
    return o;
}

void
out_json(FILE *f, json_t *j)
{
    export_json_write(f, j, JSON_INDENT(2));
    fputc('\n', f);
    json_decref(j);
}
