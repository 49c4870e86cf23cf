/* Checking accounts' credentials against their platforms. */
#include "net/check.h"

#include "model/xmalloc.h"
#include "net/adapter.h"
#include "net/credentials.h"
#include "net/sync.h"

#include <stdlib.h>

struct check_job {
    struct net_account *acct;
    struct net_op op;
    int done, ok;
    char *error;
};

/* The check's done callback: keeps the outcome for the report. */
static void
checked(struct net_op *op, int ok, char *err, void *arg)
{
    (void)op;
    struct check_job *j = arg;
    j->done = 1;
    j->ok = ok;
    j->error = err;
}

int
check_accounts(const struct config *cfg, char *const *names, size_t nnames,
               const struct http_options *o, check_report_fn report, void *arg, char **err)
{
    size_t n;
    const struct config_account **sel = sync_select(cfg, names, nnames, &n, err);
    if (sel == NULL)
        return -1;
    struct http_client *client = http_client_new(o, err);
    if (client == NULL) {
        free(sel);
        return -1;
    }
    struct check_job *jobs = xcalloc(n, sizeof *jobs);
    for (size_t i = 0; i < n; i++) {
        struct check_job *j = &jobs[i];
        char *secret = credentials_read(sel[i], credentials_timeout_ms(), &j->error);
        if (secret == NULL || (j->acct = net_account_new(sel[i], secret, &j->error)) == NULL)
            continue;
        j->op.kind = NET_CHECK;
        j->op.acct = j->acct;
        net_op_start(client, &j->op, checked, j);
    }
    http_client_run(client);
    http_client_free(client);
    int failed = 0;
    for (size_t i = 0; i < n; i++) {
        struct check_job *j = &jobs[i];
        struct check_report r = {.account = sel[i]->name, .ok = j->ok, .error = j->error};
        if (j->ok) {
            r.who = j->acct->me_name;
            json_t *m = json_object_get(j->acct->limits, "max_characters");
            if (m == NULL)
                m = json_object_get(j->acct->limits, "max_graphemes");
            r.max_characters = (long)json_integer_value(m);
        } else if (r.error == NULL) {
            r.error = "the check did not finish";
        }
        failed += !j->ok;
        report(&r, arg);
        net_op_clear(&j->op);
        net_account_free(j->acct);
        free(j->error);
    }
    free(jobs);
    free(sel);
    return failed;
}
