/* Live credential checks: log each account in (all at once) and read who it is and its
 * limits, without reading or writing any posts. */
#ifndef TACTFUL_NET_CHECK_H
#define TACTFUL_NET_CHECK_H

#include "model/config.h"
#include "net/http.h"

#include <stddef.h>

struct check_report {
    const char *account;
    int ok;
    const char *error;     /* when !ok */
    const char *who;       /* the account as the platform names it */
    long max_characters;   /* 0 when the platform gives none */
};

typedef void (*check_report_fn)(const struct check_report *r, void *arg);

/* Checks the accounts called names (all when nnames is 0), reporting each in configuration
 * order once all are done. Returns the number that failed, or -1 with *err set. */
int check_accounts(const struct config *cfg, char *const *names, size_t nnames,
                   const struct http_options *o, check_report_fn report, void *arg, char **err);

#endif
