/* What a post's extras cost (issue 15): building the bounded meta of a hostile post as an
 * adapter does (net/extras.c: four attachments whose 1,000-character alt texts escape to six
 * bytes a character, a quote and a card, shortened to the meta budget), and reading it back as
 * the thread view and `tactful show` do (model/extras.c), per post; and the same for a typical
 * post (two photographs, a link card). Targets: a typical post under 50 us each way (the sync
 * ingest target is 20,000 posts a second, 50 us a post for everything), a hostile one under a
 * millisecond, so that neither a sync nor a redraw notices. */
#include "bench/bench.h"

#include "model/extras.h"
#include "model/xmalloc.h"
#include "net/extras.h"

#include <stdlib.h>
#include <string.h>

#define ROUNDS 2000

/* A meta object as the Mastodon adapter makes of a hostile status. */
static json_t *
hostile_meta(const char *alt)
{
    json_t *meta = json_pack("{s:s, s:s}", "visibility", "public", "acct", "a@b.example");
    net_extras_cw(meta, alt);
    for (int i = 0; i < 5; i++)
        net_extras_media(meta, "image", alt, "https://files.example/m.png");
    net_extras_quote(meta, "@q@b.example", alt, "https://b.example/@q/1", NULL);
    net_extras_card(meta, alt, "https://news.example/a", alt);
    net_extras_fit(meta);
    return meta;
}

/* A typical post's: two photographs described, a link card. */
static json_t *
typical_meta(void)
{
    json_t *meta = json_pack("{s:s, s:s}", "visibility", "public", "acct", "a@b.example");
    net_extras_media(meta, "image", "A bin overflowing onto the pavement on Elm Street",
                     "https://files.example/1.png");
    net_extras_media(meta, "image", NULL, "https://files.example/2.png");
    net_extras_card(meta, "Bin day changes", "https://news.example/bins",
                    "From March, collections move to Thursdays.");
    net_extras_fit(meta);
    return meta;
}

/* Microseconds per post to build and dump meta of typical posts, then to read one back and
 * show it; *build and *show are set. */
static void
typical(double *build, double *show)
{
    double start = bench_now();
    for (int i = 0; i < ROUNDS * 10; i++) {
        json_t *meta = typical_meta();
        free(json_dumps(meta, JSON_COMPACT));
        json_decref(meta);
    }
    *build = (bench_now() - start) / (ROUNDS * 10);
    json_t *meta = typical_meta();
    char *s = json_dumps(meta, JSON_COMPACT);
    json_decref(meta);
    start = bench_now();
    for (int i = 0; i < ROUNDS * 10; i++) {
        struct extras x;
        extras_read(s, &x);
        free(extras_text(&x));
        extras_clear(&x);
    }
    *show = (bench_now() - start) / (ROUNDS * 10);
    free(s);
}

int
main(void)
{
    char *alt = xmalloc(5001);
    for (int i = 0; i < 5000; i++)
        alt[i] = i % 3 ? '\x1b' : 'a';
    alt[5000] = '\0';
    double start = bench_now();
    size_t bytes = 0;
    for (int i = 0; i < ROUNDS; i++) {
        json_t *meta = hostile_meta(alt);
        char *s = json_dumps(meta, JSON_COMPACT);
        bytes = strlen(s);
        free(s);
        json_decref(meta);
    }
    double build = (bench_now() - start) / ROUNDS;
    json_t *meta = hostile_meta(alt);
    char *s = json_dumps(meta, JSON_COMPACT);
    json_decref(meta);
    start = bench_now();
    for (int i = 0; i < ROUNDS; i++) {
        struct extras x;
        extras_read(s, &x);
        char *text = extras_text(&x);
        free(text);
        extras_clear(&x);
    }
    double show = (bench_now() - start) / ROUNDS;
    free(s);
    free(alt);
    double tbuild, tshow;
    typical(&tbuild, &tshow);
    bench_row("extras: typical post's meta built", tbuild * 1e6, "us", "< 50 us");
    bench_row("extras: typical post's read back and shown", tshow * 1e6, "us", "< 50 us");
    bench_row("extras: hostile post's meta built and fitted", build * 1e6, "us", "< 1000 us");
    bench_row("extras: its meta as JSON", (double)bytes, "bytes", "<= 12288 bytes");
    bench_row("extras: read back and shown", show * 1e6, "us", "< 1000 us");
    return build < 1e-3 && show < 1e-3 && tbuild < 50e-6 && tshow < 50e-6 &&
                   bytes <= NET_EXTRAS_BUDGET
               ? 0
               : 1;
}
