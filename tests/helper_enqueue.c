/* Test helper: queues a reply through the model API, as the composer (issue 6) will. Not
 * installed and not a tactful command: replies are never typed straight into the outbox.
 * usage: helper_enqueue DB THREAD IN_REPLY_TO|- BODY [OFFICER]; prints the outbox id. */
#include "model/db.h"
#include "model/outbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: %s DB THREAD IN_REPLY_TO|- BODY [OFFICER]\n", argv[0]);
        return 2;
    }
    char *err = NULL;
    struct db *db = db_open(argv[1], &err);
    if (db == NULL) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    long id;
    const char *parent = strcmp(argv[3], "-") == 0 ? NULL : argv[3];
    if (outbox_enqueue(db, argc > 5 ? argv[5] : "tester", atol(argv[2]), parent, argv[4], 0, &id,
                       &err) != 0) {
        fprintf(stderr, "%s\n", err);
        db_close(db);
        return 1;
    }
    printf("%ld\n", id);
    db_close(db);
    return 0;
}
