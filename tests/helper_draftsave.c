/* Test helper for the crash tests: saves one draft again and again, as the composer's
 * autosave does, printing a line after each save has committed. Not installed and not a
 * tactful command.
 * usage: helper_draftsave DB THREAD [DRAFT]: makes a draft on THREAD (its id is printed as
 * "draft ID"), or carries on with DRAFT. Each save appends to the body until it is near its
 * size limit, then changes its last words and keeps the length. After each committed save it
 * prints "SAVES LENGTH" (SAVES counts this run's saves). It never stops by itself before
 * SAVE_BOUND saves, so the test decides when it dies (it kills it after a count of saves, a
 * state, not after a duration); the bound only ends an orphan whose test has gone. */
#include "model/db.h"
#include "model/draft.h"
#include "model/xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { SAVE_BOUND = 2000000 };

static const char words[] = "Thank you for telling us about the bins. ";

/* grow: appends 13 bytes of words to BODY, or when the body is near DRAFT_MAX_BODY, rewrites
 * its last 13 bytes instead, so that every save changes the body and none shortens it. */
static void
grow(struct buf *body, size_t i)
{
    const char *w = words + i % (sizeof words - 13);
    if (body->len + 16 + 13 < DRAFT_MAX_BODY) {
        buf_add(body, w, 13);
        return;
    }
    memcpy(body->data + body->len - 13, w, 13);
}

int
main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s DB THREAD [DRAFT]\n", argv[0]);
        return 2;
    }
    char *err = NULL;
    struct db *db = db_open(argv[1], &err);
    if (db == NULL) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    struct buf body = {0};
    buf_add(&body, "", 0);
    long id;
    if (argc > 3) {
        id = atol(argv[3]);
        struct draft d;
        if (draft_get(db, id, &d, &err) != 0) {
            fprintf(stderr, "%s\n", err ? err : "no such draft");
            return 1;
        }
        buf_adds(&body, d.body);
        draft_clear(&d);
    } else if (draft_create(db, "tester", atol(argv[2]), NULL, NULL, "", &id, &err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    printf("draft %ld\n", id);
    fflush(stdout);
    for (size_t i = 0; i < SAVE_BOUND; i++) {
        grow(&body, i);
        if (draft_save(db, "tester", id, body.data, &err) != 0) {
            fprintf(stderr, "%s\n", err);
            return 1;
        }
        printf("%zu %zu\n", i + 1, body.len); /* acknowledged: the save has committed */
        fflush(stdout);
    }
    buf_free(&body);
    db_close(db);
    return 0;
}
