/* The cache of compiled token patterns and regex-rule codes (guard_options.cache_dir): rules
 * loaded from it find exactly what rules compiled from their text find; a change to a pattern,
 * an expression or its case is never answered from an older file; a load keeps its mapped file's
 * contents when the file is replaced; a damaged file is ignored
 * and written again; a cache folder that cannot be written only costs time, and one others
 * may write to is not used. */
#include "guardtest.h"

#include "model/guard_impl.h"

#include <sys/stat.h>

#define POLICY "tests/guardrails/policy"

/* Drafts and posts that make many kinds of rule fire (and some that make none). */
static const char *const drafts[] = {
    "Thanks for getting in touch. We will definitely fix the pothole by Friday, I promise!!",
    "That is simply not the case; we reject that suggestion entirely.",
    "PLEASE don't vote Labour, the Lib Dem candidate is useless. Call me on 07700 900123.",
    "Email j.bloggs [at] example [dot] com or see https://bit.ly/xyz for more. Cheers, Dave",
    "The library will stay open and collections will be one day later next week.",
    "Thanks for getting in touch about the grit bins on Moorside Rise.",
    "",
};

static const char *const posts[] = {
    NULL,
    "@northmoor Still waiting for my housing benefit claim, ref HB-2026-118204.",
    "I can't see the point in carrying on. My daughter is frightened to go home tonight.",
};

/* Every finding of every draft against every post, as text. */
static char *
findings_text(const struct guard *g)
{
    struct buf b = {0};
    for (size_t d = 0; d < sizeof drafts / sizeof drafts[0]; d++) {
        for (size_t p = 0; p < sizeof posts / sizeof posts[0]; p++) {
            struct guard_input in = {.draft = drafts[d], .draft_len = strlen(drafts[d]),
                                     .platform = "mastodon", .context = posts[p],
                                     .context_len = posts[p] ? strlen(posts[p]) : 0,
                                     .today = "2026-11-25", .keep_all = true};
            struct guard_result r;
            char *err = NULL;
            if (guard_check(g, &in, &r, &err) != 0)
                fail_msg("guard_check: %s", err);
            for (size_t i = 0; i < r.n; i++) {
                const struct guard_finding *f = &r.findings[i];
                buf_printf(&b, "%zu %zu %s %d %d %zu %zu %s | %s\n", d, p, f->rule,
                           (int)f->severity, (int)f->source, f->start, f->end, f->message,
                           f->suggestion);
            }
            guard_result_free(&r);
        }
    }
    return buf_take(&b);
}

/* Loads the shipped rules and the labelled set's policy, with a cache folder or none. */
static struct guard *
load(const char *cache)
{
    struct guard_options o = {.rules_dir = GT_RULES, .policy = POLICY, .cache_dir = cache};
    char *err = NULL;
    struct guard *g = guard_new(&o, &err);
    if (g == NULL)
        fail_msg("guard_new: %s", err);
    return g;
}

/* The path of the one file in dir whose name starts with prefix (newly allocated); fails
 * the test when there is not exactly one. */
static char *
only_file(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    char *found = NULL;
    size_t n = 0;
    for (struct dirent *de; (de = readdir(d)) != NULL;) {
        if (strncmp(de->d_name, prefix, strlen(prefix)) != 0)
            continue;
        n++;
        free(found);
        found = xasprintf("%s/%s", dir, de->d_name);
    }
    closedir(d);
    assert_int_equal(n, 1);
    return found;
}

/* The inode of path (a file written again gets a new one: it is renamed into place). */
static ino_t
inode(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return st.st_ino;
}

/* Fails unless g finds exactly want (findings_text). */
static void
assert_finds(const struct guard *g, const char *want)
{
    char *got = findings_text(g);
    assert_string_equal(got, want);
    free(got);
}

/* The findings of rules compiled without a cache: what every cached load must find. */
static char *
plain_findings(void)
{
    struct guard *plain = load(NULL);
    char *want = findings_text(plain);
    guard_free(plain);
    return want;
}

/* Rules compiled, written to the cache, and read back from it find the same things. */
static void
test_cache_same_findings(void **state)
{
    (void)state;
    struct gt_dir d;
    gt_dir_new(&d);
    char *cache = xasprintf("%s/cache", d.path);
    char *want = plain_findings();
    assert_true(strlen(want) > 1000);

    struct guard *cold = load(cache); /* compiles and writes the files */
    assert_finds(cold, want);
    guard_free(cold);
    char *tok = only_file(cache, "tokpat-"), *re = only_file(cache, "regex-");
    ino_t tok_ino = inode(tok), re_ino = inode(re);

    struct guard *warm = load(cache); /* reads them, writes nothing */
    assert_finds(warm, want);
    guard_free(warm);
    assert_int_equal(inode(tok), tok_ino);
    assert_int_equal(inode(re), re_ino);
    free(tok);
    free(re);
    free(want);
    free(cache);
    gt_dir_free(&d);
}

/* Rules read from the cache use the file's mapping in place: two loads at once are apart (one
 * freed, the other still finds the same), and a load keeps finding the same after its file is
 * removed and another written under its name, as a start after a change does. */
static void
test_cache_mapping_kept(void **state)
{
    (void)state;
    struct gt_dir d;
    gt_dir_new(&d);
    char *cache = xasprintf("%s/cache", d.path);
    char *want = plain_findings();
    guard_free(load(cache)); /* compiles and writes the files */
    char *tok = only_file(cache, "tokpat-");

    struct guard *a = load(cache), *b = load(cache);
    guard_free(a);
    assert_finds(b, want);
    assert_int_equal(unlink(tok), 0);
    FILE *f = fopen(tok, "w");
    assert_non_null(f);
    fputs("not a cache\n", f);
    assert_int_equal(fclose(f), 0);
    ino_t junk_ino = inode(tok);
    assert_finds(b, want);
    guard_free(b);

    struct guard *again = load(cache); /* the other file is ignored and written anew */
    assert_finds(again, want);
    guard_free(again);
    assert_true(inode(tok) != junk_ino);
    free(tok);
    free(want);
    free(cache);
    gt_dir_free(&d);
}

/* Overwrites len bytes of path at offset (from the end when offset is negative). */
static void
damage(const char *path, long offset, const char *bytes, size_t len)
{
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    assert_int_equal(fseek(f, offset, offset < 0 ? SEEK_END : SEEK_SET), 0);
    assert_int_equal(fwrite(bytes, 1, len, f), len);
    fclose(f);
}

/* Cuts path to len bytes. */
static void
cut(const char *path, off_t len)
{
    assert_int_equal(truncate(path, len), 0);
}

/* A damaged, cut or foreign file is ignored: the rules are compiled from their text, find
 * what they always find, and the file is written again. */
static void
test_cache_damaged(void **state)
{
    (void)state;
    struct gt_dir d;
    gt_dir_new(&d);
    char *cache = xasprintf("%s/cache", d.path);
    char *want = plain_findings();
    guard_free(load(cache));
    for (int round = 0; round < 6; round++) {
        char *tok = only_file(cache, "tokpat-"), *re = only_file(cache, "regex-");
        ino_t tok_ino = inode(tok), re_ino = inode(re);
        switch (round) {
        case 0: damage(tok, 100000, "\x5a\xa5", 2); break;  /* a pattern's bytes */
        case 1: cut(tok, 5000); break;                        /* short */
        case 2: damage(tok, 0, "NOTACACHE", 9); break;        /* not ours */
        case 3: damage(re, -40, "\x01\x02\x03", 3); break;    /* an expression's code */
        case 4: cut(re, 20); break;
        case 5: cut(tok, 0); cut(re, 0); break;               /* empty */
        }
        struct guard *g = load(cache);
        assert_finds(g, want);
        guard_free(g);
        /* The damaged file was replaced by a good one. */
        char *tok2 = only_file(cache, "tokpat-"), *re2 = only_file(cache, "regex-");
        if (round <= 2 || round == 5)
            assert_int_not_equal(inode(tok2), tok_ino);
        if (round >= 3)
            assert_int_not_equal(inode(re2), re_ino);
        free(tok);
        free(re);
        free(tok2);
        free(re2);
    }
    free(want);
    free(cache);
    gt_dir_free(&d);
}

/* The whole of the file at path (newly allocated); its length in *len. */
static char *
slurp_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    struct buf b = {0};
    char chunk[65536];
    for (size_t n; (n = fread(chunk, 1, sizeof chunk, f)) > 0;)
        buf_add(&b, chunk, n);
    fclose(f);
    *len = b.len;
    return buf_take(&b);
}

/* The checksum guard_cache.c keeps after a tokpat file's header: four lanes, each a sum of
 * every fourth 8-byte word and a running total of those sums, the last words padded with
 * zeros, folded to two words. Made again here so that a test can forge a file whose checksum
 * is right, to reach the checks made after it. */
static void
forge_sum(const unsigned char *p, size_t len, uint64_t out[2])
{
    uint64_t a[4] = {0}, b[4] = {0};
    unsigned char block[32];
    size_t tail = len % 32;
    for (size_t at = 0; at < len; at += 32) {
        memset(block, 0, sizeof block);
        memcpy(block, p + at, len - at < 32 ? len - at : 32);
        for (int l = 0; l < 4; l++) {
            uint64_t v;
            memcpy(&v, block + 8 * l, 8);
            a[l] += v;
            b[l] += a[l];
        }
    }
    uint64_t x = 0x5851F42D4C957F2Dull, y = (uint64_t)tail;
    for (int l = 0; l < 4; l++) {
        x = (x ^ a[l]) * 0x9E3779B97F4A7C15ull;
        y = (y ^ b[l]) * 0xBF58476D1CE4E5B9ull;
    }
    out[0] = x;
    out[1] = y;
}

/* Where a tokpat file's header keeps the counts, the regex count and the checksum, and how
 * long it is (struct cache_header); where the nodes start, and a node's size and fields. */
#define FORGE_COUNTS 32
#define FORGE_REGEX (FORGE_COUNTS + 10 * 8)
#define FORGE_SUM (FORGE_COUNTS + 14 * 8)
#define FORGE_HEADER (FORGE_SUM + 16)
#define FORGE_NODE 32
#define FORGE_NODE_STR 8
#define FORGE_NODE_ALT 16
#define FORGE_NODE_SET 24

/* The bytes an array of n items of size bytes takes in a tokpat file (stored_size). */
static size_t
forge_stored(uint64_t n, size_t size)
{
    return (size_t)(((n + 1) * size + 7) & ~(uint64_t)7);
}

/* The first node of op (a tp_op) in a tokpat file's bytes. */
static size_t
forge_node(const unsigned char *data, uint64_t nnodes, unsigned op)
{
    size_t i = 0;
    while (i < nnodes && data[FORGE_HEADER + i * FORGE_NODE] != op)
        i++;
    assert_true(i < nnodes);
    return FORGE_HEADER + i * FORGE_NODE;
}

/* Changes a tokpat file's bytes as how says and makes its checksum right again: 0 gives the
 * first regex node's code stray bytes, 1 and 2 make the header's count of regex nodes one
 * more and far more than the nodes hold, 3 points the last alternative one past the
 * sequences and 4 the first past them; 5 gives the first group a text past the pool, 6 the
 * first gap alternatives past the others and 7 the first "any word" a set past the sets
 * (fields those ops do not use, held to the store's bounds all the same); 8 gives the first class node an index past
 * the classes (though within the alternatives). */
static void
forge(const char *path, int how)
{
    size_t len = 0;
    unsigned char *data = (unsigned char *)slurp_file(path, &len);
    assert_true(len > FORGE_HEADER);
    uint64_t nnodes, nseqs, nalts, nre;
    memcpy(&nnodes, data + FORGE_COUNTS, 8);
    memcpy(&nseqs, data + FORGE_COUNTS + 8, 8);
    memcpy(&nalts, data + FORGE_COUNTS + 16, 8);
    memcpy(&nre, data + FORGE_REGEX, 8);
    /* (Whether the last alternative is read apart from the lanes of four depends on how many
     * the shipped rules make; either way a forged one must be refused.) */
    assert_true(nre > 0 && nalts > 1);
    if (how == 8) {
        size_t at = forge_node(data, nnodes, TP_CLASS);
        uint32_t past = 1000; /* (more classes than any pack has, fewer alternatives) */
        assert_true(past < nalts);
        memcpy(data + at + FORGE_NODE_ALT, &past, 4);
    } else if (how >= 5) {
        unsigned op = how == 5 ? TP_GROUP : how == 6 ? TP_SKIP : TP_ANY;
        size_t at = forge_node(data, nnodes, op);
        uint32_t far = 0x7fffff00u;
        memcpy(data + at + (how == 5 ? FORGE_NODE_STR : how == 6 ? FORGE_NODE_ALT
                                                                 : FORGE_NODE_SET),
               &far, 4);
    } else if (how >= 3) {
        size_t alts = FORGE_HEADER + forge_stored(nnodes, sizeof(struct tp_node)) +
                      forge_stored(nseqs, sizeof(struct tp_seq));
        uint32_t past = (uint32_t)nseqs;
        memcpy(data + alts + (how == 3 ? nalts - 1 : 0) * 4, &past, 4);
    } else if (how == 0) {
        size_t at = forge_node(data, nnodes, TP_REGEX);
        memcpy(data + at + FORGE_NODE_SET, "\x10\x20\x30\x40", 4);
    } else {
        nre = how == 1 ? nre + 1 : (uint64_t)1 << 27;
        memcpy(data + FORGE_REGEX, &nre, 8);
    }
    uint64_t sum[2];
    forge_sum(data + FORGE_HEADER, len - FORGE_HEADER, sum);
    memcpy(data + FORGE_SUM, sum, 16);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    free(data);
}

/* A file whose checksum is right but whose regex nodes or alternatives do not hold together
 * (a code stored where none may be, a count of them the nodes do not have, an alternative
 * past the sequences, last or first, a node's text, alternatives or set out of bounds though
 * its op does not use them, a class node's index past the classes) is ignored like a damaged
 * one:
 * the rules find what they always find, nothing frees a stray code, and the file is written
 * again. The first forgery is checked to be right but for the change: unchanged, the file
 * is used. */
static void
test_cache_forged(void **state)
{
    (void)state;
    struct gt_dir d;
    gt_dir_new(&d);
    char *cache = xasprintf("%s/cache", d.path);
    char *want = plain_findings();
    guard_free(load(cache));
    for (int how = -1; how < 9; how++) {
        char *tok = only_file(cache, "tokpat-");
        if (how < 0) { /* the sum made again, nothing changed: still used */
            size_t len = 0;
            unsigned char *data = (unsigned char *)slurp_file(tok, &len);
            uint64_t sum[2];
            forge_sum(data + FORGE_HEADER, len - FORGE_HEADER, sum);
            assert_memory_equal(sum, data + FORGE_SUM, 16);
            free(data);
        } else {
            forge(tok, how);
        }
        ino_t ino = inode(tok);
        struct guard *g = load(cache);
        assert_finds(g, want);
        guard_free(g);
        char *tok2 = only_file(cache, "tokpat-");
        if (how < 0)
            assert_int_equal(inode(tok2), ino);
        else
            assert_int_not_equal(inode(tok2), ino);
        free(tok);
        free(tok2);
    }
    free(want);
    free(cache);
    gt_dir_free(&d);
}

/* The packed required-word sets read from a cache (guard_tokpat_reqs_valid): a set's size
 * at most TP_REQ_WORDS and within the array, and every item, in a set or not, under twice
 * TP_WORD_BITS (checked four at a time, so the items are tried at each place of four). */
static void
test_cache_reqs_valid(void **state)
{
    (void)state;
    struct tp_entry entries[2] = {{.nreq = 2}, {.nreq = 1}};
    uint32_t reqstart[3] = {0, 5, 0};
    /* Entry 0: a set of 2 words, then one of 1; entry 1: a set of 1; one item spare. */
    uint16_t good[9] = {2, 7, 2 * TP_WORD_BITS - 1, 1, 0, 1, 9, 3, 0};
    uint16_t bits[9];
    struct tp_store s = {.entries = entries, .nentries = 2, .reqstart = reqstart,
                         .reqbits = bits, .nreqbits = 8};
    memcpy(bits, good, sizeof bits);
    assert_true(guard_tokpat_reqs_valid(&s));
    for (size_t i = 0; i < 8; i++) { /* any item at or over the bound */
        memcpy(bits, good, sizeof bits);
        bits[i] = 2 * TP_WORD_BITS;
        assert_false(guard_tokpat_reqs_valid(&s));
        bits[i] = 0xffff;
        assert_false(guard_tokpat_reqs_valid(&s));
    }
    memcpy(bits, good, sizeof bits);
    bits[5] = TP_REQ_WORDS + 1; /* a set too large */
    assert_false(guard_tokpat_reqs_valid(&s));
    memcpy(bits, good, sizeof bits);
    bits[5] = 3; /* a set running past the end */
    assert_false(guard_tokpat_reqs_valid(&s));
    memcpy(bits, good, sizeof bits);
    reqstart[1] = 8; /* a set starting past the end */
    assert_false(guard_tokpat_reqs_valid(&s));
}

/* Loads the shipped rules with a policy holding the given text, and the cache folder. */
static struct guard *
load_policy(const struct gt_dir *d, const char *cache, const char *text)
{
    char *policy = gt_write(d, "policy", text);
    struct guard_options o = {.rules_dir = GT_RULES, .policy = policy, .cache_dir = cache};
    char *err = NULL;
    struct guard *g = guard_new(&o, &err);
    if (g == NULL)
        fail_msg("guard_new: %s", err);
    free(policy);
    return g;
}

#define PATTERN_RULE(MATCH)                                                                  \
    "[tone.cachetest]\nkind = pattern\nlevel = warning\nmessage = Found.\nmatch = " MATCH "\n"
#define REGEX_RULE(CASE, MATCH)                                                              \
    "[tone.cacheregex]\nkind = regex\nlevel = warning\nmessage = Found.\ncase = " CASE       \
    "\nmatch = " MATCH "\n"

/* A changed pattern, expression or case is compiled anew, never taken from an older file. */
static void
test_cache_follows_changes(void **state)
{
    (void)state;
    struct gt_dir d;
    gt_dir_new(&d);
    char *cache = xasprintf("%s/cache", d.path);
    const char *v1 = PATTERN_RULE("zorbly <0-2> ~quibble") REGEX_RULE("insensitive", "Frobnic\\d");
    const char *v2 = PATTERN_RULE("zorbly <0-2> ~wibble") REGEX_RULE("sensitive", "Frobnic\\d");
    for (int pass = 0; pass < 2; pass++) { /* the second pass reads what the first wrote */
        struct guard *g = load_policy(&d, cache, v1);
        gt_fires(g, "The zorbly old quibbles are back.", "tone.cachetest", "zorbly old quibbles");
        gt_quiet(g, "The zorbly old wibbles are back.", "tone.cachetest");
        gt_fires(g, "See frobnic7 today.", "tone.cacheregex", "frobnic7");
        guard_free(g);
        g = load_policy(&d, cache, v2);
        gt_quiet(g, "The zorbly old quibbles are back.", "tone.cachetest");
        gt_fires(g, "The zorbly old wibbles are back.", "tone.cachetest", "zorbly old wibbles");
        gt_quiet(g, "See frobnic7 today.", "tone.cacheregex");
        gt_fires(g, "See Frobnic7 today.", "tone.cacheregex", "Frobnic7");
        guard_free(g);
    }
    free(cache);
    gt_dir_free(&d);
}

/* The key holds every file the rules are read from, list files too, and the layer each is read
 * as: a pattern list changed under the same policy is compiled anew, and the same text read as
 * the officer's rules rather than the policy makes another file (its entries are the user's). */
static void
test_cache_follows_files(void **state)
{
    (void)state;
    struct gt_dir d;
    gt_dir_new(&d);
    char *cache = xasprintf("%s/cache", d.path);
    const char *rule = "[tone.cachelist]\nkind = pattern\nlevel = warning\nmessage = Found.\n"
                       "list = cachelist.txt\n";
    for (int pass = 0; pass < 2; pass++) { /* the second pass reads what the first wrote */
        free(gt_write(&d, "cachelist.txt", "zorbly <0-2> ~quibble\n"));
        struct guard *g = load_policy(&d, cache, rule);
        gt_fires(g, "The zorbly old quibbles are back.", "tone.cachelist", "zorbly old quibbles");
        gt_quiet(g, "The zorbly old wibbles are back.", "tone.cachelist");
        guard_free(g);
        free(gt_write(&d, "cachelist.txt", "zorbly <0-2> ~wibble\n"));
        g = load_policy(&d, cache, rule);
        gt_quiet(g, "The zorbly old quibbles are back.", "tone.cachelist");
        gt_fires(g, "The zorbly old wibbles are back.", "tone.cachelist", "zorbly old wibbles");
        guard_free(g);
    }
    char *as_policy = only_file(cache, "tokpat-");
    char *user = gt_write(&d, "user", rule);
    struct guard_options o = {.rules_dir = GT_RULES, .user_rules = user, .cache_dir = cache};
    char *err = NULL;
    struct guard *g = guard_new(&o, &err);
    if (g == NULL)
        fail_msg("guard_new: %s", err);
    gt_fires(g, "The zorbly old wibbles are back.", "tone.cachelist", "zorbly old wibbles");
    guard_free(g);
    char *as_user = only_file(cache, "tokpat-");
    assert_string_not_equal(as_policy, as_user);
    free(as_user);
    free(as_policy);
    free(user);
    free(cache);
    gt_dir_free(&d);
}

/* A cache folder that cannot be made or written is no obstacle to loading the rules. */
static void
test_cache_unwritable(void **state)
{
    (void)state;
    struct gt_dir d;
    gt_dir_new(&d);
    char *file = gt_write(&d, "not-a-folder", "x");
    char *cache = xasprintf("%s/below", file);
    char *want = plain_findings();
    for (int i = 0; i < 2; i++) {
        struct guard *g = load(i ? file : cache);
        assert_finds(g, want);
        guard_free(g);
    }
    free(want);
    free(cache);
    free(file);
    gt_dir_free(&d);
}

/* A cache folder others may write to is neither read nor written: its files could have been
 * put there by someone else. */
static void
test_cache_shared_folder(void **state)
{
    (void)state;
    struct gt_dir d;
    gt_dir_new(&d);
    char *cache = xasprintf("%s/cache", d.path);
    guard_free(load(cache));
    char *tok = only_file(cache, "tokpat-");
    ino_t tok_ino = inode(tok);
    assert_int_equal(chmod(cache, 0777), 0);
    damage(tok, 100000, "\x5a\xa5", 2); /* would be rewritten if the folder were used */
    char *want = plain_findings();
    struct guard *g = load(cache);
    assert_finds(g, want);
    assert_int_equal(inode(tok), tok_ino);
    guard_free(g);
    free(want);
    free(tok);
    free(cache);
    gt_dir_free(&d);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cache_same_findings),
        cmocka_unit_test(test_cache_mapping_kept),
        cmocka_unit_test(test_cache_damaged),
        cmocka_unit_test(test_cache_forged),
        cmocka_unit_test(test_cache_reqs_valid),
        cmocka_unit_test(test_cache_follows_changes),
        cmocka_unit_test(test_cache_follows_files),
        cmocka_unit_test(test_cache_unwritable),
        cmocka_unit_test(test_cache_shared_folder),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
