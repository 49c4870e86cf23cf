/* The one file of the fake platform: its adapter, as net/ID.c is for a real one. It has no
 * server, so every operation fails with a sentence that says so. */
#include "model/xmalloc.h"
#include "net/adapter.h"

/* Every operation: refused, there being no Fakebook to talk to. */
static enum http_step
no_server(void *ctx, const struct http_response *resp, struct http_request **next, char **err)
{
    (void)ctx;
    (void)resp;
    (void)next;
    *err = xstrdup("Fakebook exists only in the tests; there is no server to talk to");
    return HTTP_STEP_FAIL;
}

const struct net_adapter fakebook_adapter = {
    .platform = "fakebook",
    .check = no_server,
    .fetch_new = no_server,
    .fetch_thread = no_server,
    .find_reply = no_server,
    .post_reply = no_server,
};
