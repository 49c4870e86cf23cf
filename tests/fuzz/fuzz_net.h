/* What the three platform fuzzers share: an input is a script of server answers replayed to
 * one adapter operation through its real steps (net_op_step, hence net_read and its readers),
 * with no network; what the operation read then goes through sync_store_batch into a cache
 * in a transaction that is rolled back, so the mapping to the cache is fuzzed too. Regenerate
 * the seeds taken from the fake server with tests/fuzz/capture_seeds.py.
 *
 * Input: a first line naming the operation ("check", "fetch_new", "fetch_thread",
 * "find_reply" or "post_reply"; anything else picks one by its first byte), optionally
 * followed by a space and the cursor fetch_new starts from. Then the answers, in the order
 * the requests are made, separated by lines "--". An answer is a status line ("200"), header
 * lines ("Link: <...>; rel=\"next\"", "X-WP-TotalPages: 3"), an empty line and the body. */
#ifndef TACTFUL_FUZZ_NET_H
#define TACTFUL_FUZZ_NET_H

#define FUZZ_NET_MAX_DUE 64 /* requests asked for and not answered yet, at most */

#include "model/account.h"
#include "model/db.h"
#include "model/extras.h"
#include "model/isotime.h"
#include "model/post.h"
#include "model/xmalloc.h"
#include "net/adapter.h"
#include "net/sync.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What one platform's fuzzer fixes: its account and the inputs of the operations. */
struct fuzz_platform {
    const char *platform;
    const char *url;
    const char *user;
    const char *root;               /* fetch_thread */
    struct net_reply reply;         /* find_reply, post_reply */
};

/* Finds the next "\n--\n" in [p, end) and returns where it starts, or end. */
static const char *
fuzz_net_split(const char *p, const char *end)
{
    for (const char *q = p; q + 4 <= end; q++)
        if (memcmp(q, "\n--\n", 4) == 0)
            return q;
    return end;
}

/* Fills resp from the answer text [p, end): status, headers, body. Strings are allocated. */
static void
fuzz_net_answer(const char *p, const char *end, const char *url, struct http_response *resp)
{
    memset(resp, 0, sizeof *resp);
    resp->wp_total_pages = -1;
    resp->url = xstrdup(url);
    resp->status = 200;
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    if (eol == NULL)
        eol = end;
    if (eol - p >= 3 && p[0] >= '0' && p[0] <= '9' && p[1] >= '0' && p[1] <= '9' &&
        p[2] >= '0' && p[2] <= '9')
        resp->status = (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
    p = eol < end ? eol + 1 : end;
    /* Header lines up to an empty one (or the end, when there is none). */
    while (p < end) {
        eol = memchr(p, '\n', (size_t)(end - p));
        if (eol == NULL)
            eol = end;
        size_t n = (size_t)(eol - p);
        if (n == 0) {
            p = eol + 1;
            break;
        }
        if (n > 6 && strncasecmp(p, "Link: ", 6) == 0) {
            free(resp->link);
            resp->link = xstrndup(p + 6, n - 6 < HTTP_MAX_HEADER ? n - 6 : HTTP_MAX_HEADER);
        } else if (n > 17 && strncasecmp(p, "X-WP-TotalPages: ", 17) == 0) {
            char *v = xstrndup(p + 17, n - 17 < 20 ? n - 17 : 20);
            resp->wp_total_pages = strtol(v, NULL, 10);
            free(v);
        } else if (n > 0 && (p[0] == '{' || p[0] == '[')) {
            break; /* no headers: the body starts here */
        }
        p = eol < end ? eol + 1 : end;
    }
    if (p > end)
        p = end;
    resp->len = (size_t)(end - p);
    resp->body = xstrndup(p, resp->len);
}

/* The open cache every input is stored into (and rolled back from). */
static struct db *
fuzz_net_db(void)
{
    static struct db *db;
    if (db == NULL) {
        char dir[] = "/tmp/tactful-fuzz-XXXXXX";
        if (mkdtemp(dir) == NULL)
            abort();
        char path[64];
        snprintf(path, sizeof path, "%s/cache.db", dir);
        char *err = NULL;
        db = db_open(path, &err);
        if (db == NULL) {
            fprintf(stderr, "fuzz: %s\n", err);
            abort();
        }
        /* Nothing outlives the run: the files go now, the open handle keeps them. */
        char side[80];
        unlink(path);
        snprintf(side, sizeof side, "%s-wal", path);
        unlink(side);
        snprintf(side, sizeof side, "%s-shm", path);
        unlink(side);
        rmdir(dir);
    }
    return db;
}

/* Checks what the operation read and stores it, then rolls back. */
static void
fuzz_net_store(const struct config_account *cfg, struct net_op *op)
{
    const struct net_batch *b = &op->res.batch;
    for (size_t i = 0; i < b->n; i++) {
        const struct net_post *p = &b->posts[i];
        if (!p->id || !p->thread || !p->author || !p->text || !p->created_at ||
            strlen(p->created_at) != ISOTIME_LEN - 1 || net_batch_find(b, p->id) != p)
            abort();
        /* Its extras read back and shown: no terminal control survives. */
        struct extras x;
        extras_read(p->meta, &x);
        char *shown = extras_text(&x);
        if (strchr(shown, '\x1b') || strchr(shown, '\a'))
            abort();
        free(shown);
        json_decref(extras_json(&x));
        extras_clear(&x);
    }
    struct db *db = fuzz_net_db();
    char *err = NULL;
    if (db_begin(db, &err) != 0)
        abort();
    struct post_writer *w = post_writer_new(db, &err);
    if (w == NULL)
        abort();
    long added = 0, updated = 0;
    if (sync_store_batch(w, cfg, b, -1, &added, &updated, &err) != 0 ||
        post_writer_finish(w, &err) != 0) {
        fprintf(stderr, "fuzz: storing failed: %s\n", err);
        abort();
    }
    post_writer_free(w);
    char *limits = op->acct->limits ? json_dumps(op->acct->limits, JSON_COMPACT) : NULL;
    if (account_sync_ok(db, cfg->name, cfg->platform, cfg->url, op->res.cursor, limits,
                        op->acct->me_name, &err) != 0) {
        fprintf(stderr, "fuzz: storing the account failed: %s\n", err);
        abort();
    }
    free(limits);
    db_rollback(db);
}

/* Replays the input to an operation of fp's adapter. */
static int
fuzz_net_run(const struct fuzz_platform *fp, const uint8_t *data, size_t size)
{
    static const char *const kinds[] = {"check", "fetch_new", "fetch_thread", "find_reply",
                                        "post_reply"};
    const char *p = (const char *)data, *end = p + size;
    const char *eol = memchr(p, '\n', size);
    if (eol == NULL)
        eol = end;
    int kind = size > 0 ? (unsigned char)p[0] % 5 : 0;
    char *cursor = NULL;
    for (int k = 0; k < 5; k++) {
        size_t n = strlen(kinds[k]);
        if ((size_t)(eol - p) >= n && memcmp(p, kinds[k], n) == 0) {
            kind = k;
            if (eol - p > (long)n + 1 && p[n] == ' ')
                cursor = xstrndup(p + n + 1, (size_t)(eol - p) - n - 1);
        }
    }
    p = eol < end ? eol + 1 : end;

    struct config_account cfg = {.name = "acct", .platform = (char *)fp->platform,
                                 .url = (char *)fp->url, .user = (char *)fp->user,
                                 .language = "en-GB"};
    char *err = NULL;
    struct net_account *acct = net_account_new(&cfg, xstrdup("secret"), &err);
    if (acct == NULL)
        abort();
    struct net_op op = {0};
    op.kind = (enum net_op_kind)kind;
    op.acct = acct;
    op.cursor = cursor;
    op.root = fp->root;
    op.reply = &fp->reply;
    struct http_request *next = NULL;
    enum http_step s = net_op_step(&op, NULL, &next, &err);
    /* The requests asked for and not answered yet, answered in the order asked (a step may
     * ask for several at once). */
    char *due[FUZZ_NET_MAX_DUE];
    size_t ndue = 0;
    /* Every request goes by bounds: at most a few hundred answers per input. */
    for (int steps = 0; s == HTTP_STEP_MORE && steps < 500; steps++) {
        while (next) {
            struct http_request *more = http_request_detach(next);
            if (ndue == FUZZ_NET_MAX_DUE)
                abort(); /* far more at once than any adapter asks for */
            due[ndue++] = xstrdup(http_request_url(next));
            http_request_free(next);
            next = more;
        }
        if (ndue == 0)
            abort(); /* MORE always leaves a request to answer */
        char *url = due[0];
        memmove(due, due + 1, --ndue * sizeof *due);
        if (p >= end) {
            free(url);
            break;
        }
        const char *stop = fuzz_net_split(p, end);
        struct http_response resp;
        fuzz_net_answer(p, stop, url, &resp);
        free(url);
        p = stop < end ? stop + 4 : end;
        s = net_op_step(&op, &resp, &next, &err);
        free(resp.url);
        free(resp.link);
        free(resp.body);
    }
    if (getenv("FUZZ_NET_VERBOSE"))   /* for writing seeds: how far an input gets */
        fprintf(stderr, "fuzz: %s %s: %s, %zu posts, cursor %s, found %d%s%s\n", fp->platform,
                kinds[kind], s == HTTP_STEP_DONE ? "done" : s == HTTP_STEP_FAIL ? "failed"
                                                                      : "answers ran out",
                op.res.batch.n, op.res.cursor ? op.res.cursor : "-", op.res.found,
                err ? ": " : "", err ? err : "");
    if (s == HTTP_STEP_MORE)
        http_request_free(next);
    while (ndue > 0)
        free(due[--ndue]);
    if (s == HTTP_STEP_FAIL && (err == NULL || *err == '\0'))
        abort(); /* a failure always says why */
    if (s != HTTP_STEP_FAIL && err != NULL)
        abort();
    free(err);
    if (s != HTTP_STEP_FAIL) /* done, or the answers ran out: store what was read so far */
        fuzz_net_store(&cfg, &op);
    net_op_clear(&op);
    net_account_free(acct);
    free(cursor);
    return 0;
}

#endif
