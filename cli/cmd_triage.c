/* Triage from the command line: mark, tag, assign, priority, snooze, note. Each change is
 * audited by the model with the officer's identity. */
#include "cli/cli.h"

#include "model/isotime.h"
#include "model/triage.h"
#include "model/triage_state.h"
#include "model/xmalloc.h"

#include <stdlib.h>
#include <string.h>

/* Reports the outcome of a triage call: rc 0 changed, 1 unchanged, -1 failed. */
static int
finish(const char *what, long id, int rc, char *err)
{
    if (rc < 0) {
        cli_error("%s", err);
        free(err);
        return EXIT_FAIL;
    }
    if (rc == 1)
        printf("thread %ld: unchanged\n", id);
    else
        printf("thread %ld: %s\n", id, what);
    return EXIT_OK;
}

/* Checks for "ID VALUE" arguments and opens the cache; returns the id or -1 (usage) / -2. */
static long
id_and_value(struct cli *cli, const char *cmd, int argc, char **argv)
{
    if (argc != 3) {
        cli_usage(cmd, "give a thread number and one value");
        return -1;
    }
    long id = cli_thread_id(cmd, argv[1]);
    if (id < 0)
        return -1;
    return cli_open_db(cli) == 0 ? id : -2;
}

#define ID_OR_RETURN(id)                                                                       \
    do {                                                                                       \
        if ((id) < 0)                                                                          \
            return (id) == -1 ? EXIT_USAGE : EXIT_FAIL;                                        \
    } while (0)

int
cmd_mark(struct cli *cli, int argc, char **argv)
{
    char *err = NULL;
    if (argc == 3 && triage_state_index(argv[2]) < 0) {
        char *msg = triage_state_unknown(argv[2]);
        int rc = cli_usage("mark", "%s", msg);
        free(msg);
        return rc;
    }
    long id = id_and_value(cli, "mark", argc, argv);
    ID_OR_RETURN(id);
    int rc = triage_set_state(cli->db, cli->officer, id, argv[2], NULL, &err);
    char *what = xasprintf("state %s", argv[2]);
    int ex = finish(what, id, rc, err);
    free(what);
    return ex;
}

int
cmd_assign(struct cli *cli, int argc, char **argv)
{
    char *err = NULL;
    if (argc == 3 && strcmp(argv[2], "-") != 0 && triage_name_valid(argv[2], &err) != 0) {
        int rc = cli_usage("assign", "%s", err);
        free(err);
        return rc;
    }
    long id = id_and_value(cli, "assign", argc, argv);
    ID_OR_RETURN(id);
    const char *who = strcmp(argv[2], "-") == 0 ? NULL : argv[2];
    int rc = triage_assign(cli->db, cli->officer, id, who, NULL, &err);
    char *what = who ? xasprintf("assigned to %s", who) : xstrdup("unassigned");
    int ex = finish(what, id, rc, err);
    free(what);
    return ex;
}

/* The words after the thread number, joined with spaces. */
static struct buf
words_after_id(int argc, char **argv)
{
    struct buf text = {0};
    for (int i = 2; i < argc; i++) {
        if (i > 2)
            buf_addc(&text, ' ');
        buf_adds(&text, argv[i]);
    }
    return text;
}

int
cmd_topic(struct cli *cli, int argc, char **argv)
{
    char *err = NULL;
    if (argc < 3)
        return cli_usage("topic", "give a thread number and the topic's words, or - to clear it");
    long id = cli_thread_id("topic", argv[1]);
    if (id < 0)
        return EXIT_USAGE;
    struct buf text = words_after_id(argc, argv);
    const char *topic = strcmp(text.data, "-") == 0 ? NULL : text.data;
    if (topic && triage_topic_valid(topic, &err) != 0) {
        int rc = cli_usage("topic", "%s", err);
        free(err);
        buf_free(&text);
        return rc;
    }
    if (cli_open_db(cli) != 0) {
        buf_free(&text);
        return EXIT_FAIL;
    }
    int rc = triage_set_topic(cli->db, cli->officer, id, topic, NULL, &err);
    char *what = topic ? xasprintf("topic %s", topic) : xstrdup("topic cleared");
    buf_free(&text);
    int ex = finish(what, id, rc, err);
    free(what);
    return ex;
}

int
cmd_priority(struct cli *cli, int argc, char **argv)
{
    char *err = NULL;
    if (argc == 3 && (strlen(argv[2]) != 1 || argv[2][0] < '0' || argv[2][0] > '3'))
        return cli_usage("priority", "priority is 0, 1, 2 or 3, not '%s'", argv[2]);
    long id = id_and_value(cli, "priority", argc, argv);
    ID_OR_RETURN(id);
    const char *v = argv[2];
    int rc = triage_set_priority(cli->db, cli->officer, id, v[0] - '0', NULL, &err);
    char *what = xasprintf("priority %s", v);
    int ex = finish(what, id, rc, err);
    free(what);
    return ex;
}

int
cmd_snooze(struct cli *cli, int argc, char **argv)
{
    char *err = NULL;
    char utc[ISOTIME_LEN];
    if (argc == 3 && strcmp(argv[2], "off") != 0 && isotime_normalize(argv[2], utc) != 0)
        return cli_usage("snooze", "'%s' is not a time such as 2026-12-01T09:00:00Z "
                                   "between 1970 and 9999 in UTC", argv[2]);
    long id = id_and_value(cli, "snooze", argc, argv);
    ID_OR_RETURN(id);
    const char *until = strcmp(argv[2], "off") == 0 ? NULL : utc;
    int rc = triage_snooze(cli->db, cli->officer, id, until, NULL, &err);
    char *what = until ? xasprintf("snoozed until %s", until) : xstrdup("awake");
    int ex = finish(what, id, rc, err);
    free(what);
    return ex;
}

int
cmd_note(struct cli *cli, int argc, char **argv)
{
    char *err = NULL;
    if (argc < 3)
        return cli_usage("note", "give a thread number and the note's text");
    long id = cli_thread_id("note", argv[1]);
    if (id < 0)
        return EXIT_USAGE;
    struct buf text = words_after_id(argc, argv);
    if (text.len == 0 || text.len > TRIAGE_MAX_NOTE) {
        buf_free(&text);
        return cli_usage("note", "a note is 1 to %d bytes of text", TRIAGE_MAX_NOTE);
    }
    if (cli_open_db(cli) != 0) {
        buf_free(&text);
        return EXIT_FAIL;
    }
    int rc = triage_note(cli->db, cli->officer, id, text.data, NULL, &err);
    buf_free(&text);
    return finish("note added", id, rc, err);
}

int
cmd_tag(struct cli *cli, int argc, char **argv)
{
    char *err = NULL;
    if (argc < 3)
        return cli_usage("tag", "give a thread number and +TAG or -TAG");
    long id = cli_thread_id("tag", argv[1]);
    if (id < 0)
        return EXIT_USAGE;
    const char **add = xcalloc((size_t)argc, sizeof *add);
    const char **del = xcalloc((size_t)argc, sizeof *del);
    size_t nadd = 0, ndel = 0;
    int ex = EXIT_USAGE;
    for (int i = 2; i < argc; i++) {
        if (argv[i][0] == '+' && argv[i][1])
            add[nadd++] = argv[i] + 1;
        else if (argv[i][0] == '-' && argv[i][1])
            del[ndel++] = argv[i] + 1;
        else {
            cli_usage("tag", "'%s' must start with + (add) or - (remove)", argv[i]);
            goto out;
        }
        if (triage_tag_valid(argv[i] + 1, &err) != 0) {
            cli_usage("tag", "%s", err);
            free(err);
            goto out;
        }
    }
    ex = EXIT_FAIL;
    if (cli_open_db(cli) != 0)
        goto out;
    int rc = triage_tag(cli->db, cli->officer, id, add, nadd, del, ndel, NULL, &err);
    ex = finish("tags changed", id, rc, err);
out:
    free(add);
    free(del);
    return ex;
}
