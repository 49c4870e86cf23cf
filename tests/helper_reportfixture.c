/* Test helper: writes the hand-checked cache of tests/report_fixture.h to a new file, for the
 * command-line and screen tests of `tactful report` and the reports screen.
 * usage: helper_reportfixture DB RULES_DIR (the shipped rules, share/rules). */
#include "model/db.h"
#include "model/guard.h"
#include "report_fixture.h"

#include <stdio.h>
#include <stdlib.h>

int
main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s DB RULES_DIR\n", argv[0]);
        return 2;
    }
    char *err = NULL;
    struct guard_options o = {.rules_dir = argv[2]};
    struct guard *g = guard_new(&o, &err);
    struct db *db = g ? db_open(argv[1], &err) : NULL;
    if (db == NULL) {
        fprintf(stderr, "%s\n", err);
        free(err);
        guard_free(g);
        return 1;
    }
    int rc = rf_build(db, g);
    db_close(db);
    guard_free(g);
    return rc == 0 ? 0 : 1;
}
