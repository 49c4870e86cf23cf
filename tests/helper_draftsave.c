/* Test helper for the crash tests: saves one draft again and again with a growing body, as
 * the composer's autosave does, printing the body's length after each save has committed.
 * Not installed and not a tactful command.
 * usage: helper_draftsave DB THREAD [DRAFT]: makes a draft on THREAD (its id is printed as
 * "draft ID"), or carries on growing DRAFT; stops when the body is near its size limit. */
#include "model/db.h"
#include "model/draft.h"
#include "model/xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    static const char words[] = "Thank you for telling us about the bins. ";
    for (size_t i = 0; body.len + 16 < DRAFT_MAX_BODY; i++) {
        buf_add(&body, words + i % (sizeof words - 13), 13);
        if (draft_save(db, "tester", id, body.data, &err) != 0) {
            fprintf(stderr, "%s\n", err);
            return 1;
        }
        printf("%zu\n", body.len); /* acknowledged: the save has committed */
        fflush(stdout);
    }
    buf_free(&body);
    db_close(db);
    return 0;
}
