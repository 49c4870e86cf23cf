/* The compiled token patterns kept in a cache file, so that loading the rules does not parse
 * and index every pattern again when nothing it depends on has changed. Compiling them is
 * more than half of loading (a few milliseconds with the shipped packs); reading them back is
 * a fraction of that.
 *
 * The file is named by a key made of everything the compiled patterns depend on: the bytes of
 * every rule and list file read, in order, each with the layer it is read as (the classes,
 * rules and patterns are made from those alone; hashed as each file is read, so that the key
 * needs no second pass over the entries, and a change to any line of a rule file, even one no
 * pattern reads, is a new key), the layout of the compiled structures, and the identity
 * (device, inode, size, modification time) of the program and of every shared library it
 * has loaded (the stemmer, PCRE2, utf8proc), so a new build or an upgraded library is a new
 * key. The file holds the key again, the sizes of its arrays and a checksum of their bytes; a
 * file that is missing, short, damaged, of another key or whose contents do not hold together
 * is ignored and the patterns are compiled from their text as without a cache (and the file
 * written anew). Only a folder of the user's that no one else may write to is used. A cache
 * can only make loading faster: it never changes what the rules find. Files are written under
 * a private name and renamed into place, so a reader never sees half of one. */
#define _GNU_SOURCE /* dl_iterate_phdr */
#include "model/guard_impl.h"

#include "model/file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define CACHE_MAGIC "TFTPAT\r\n"
#define CACHE_FORMAT 10u /* 2: regex expressions for valid UTF-8; 3: "wasnt" read as "wasn't";
                         * 4: patterns note whether their tries are bounded, a word's /re/ its
                         * first bytes, the follow filters stems' first bytes; 5: each array
                         * ends with a zeroed item and is padded to 8 bytes, so that the file
                         * is mapped and used in place; 6: the checksum sums in four lanes;
                         * 7: the required-word sets stored packed (reqbits, reqstart), not
                         * as TP_REQS_MAX fixed sets a pattern; 8: the sets also listed by
                         * their words' bits (reqpost, reqposts); 9: patterns open at their
                         * first word indexed by a later word or set of words; 10: a word's
                         * /re/ notes the ASCII code unit it requires (in min, max) */
#define CACHE_PREFIX "tokpat-"
#define CACHE_SUFFIX ".cache"
#define CACHE_MAX ((uint64_t)256 << 20) /* a file claiming more is damaged */

/* The counts of the store's arrays, in the order their bytes follow the header. */
enum { C_NODES, C_SEQS, C_ALTS, C_POOL, C_ENTRIES, C_BUCKETS, C_LINKS, C_SETS, C_OPEN,
       C_CLASSES, C_REGEX, C_REBYTES, C_REQBITS, C_REQPOSTS, C_COUNT };

struct cache_header {
    char magic[8];
    uint32_t format, pad;
    uint64_t key[2];
    uint64_t count[C_COUNT];
    uint64_t sum[2];          /* checksum of everything after the header */
};

/* A class's compiled fields, as stored. */
struct cache_class {
    uint32_t alt, nalt, set, nset;
    uint32_t setstems;
};

/* ---- The key ---- */

/* Two 64-bit lanes of a hash, fed eight bytes at a time. */
struct keyhash {
    uint64_t a, b;
};

/* Mixes one 64-bit value into both lanes. */
static void
key_mix(struct keyhash *k, uint64_t v)
{
    k->a = (k->a ^ v) * 0x9E3779B97F4A7C15ull;
    k->a ^= k->a >> 29;
    k->b = (k->b + v) * 0xBF58476D1CE4E5B9ull;
    k->b ^= k->b >> 31;
}

/* Rotates v left by r bits (0 < r < 64). */
static inline uint64_t
rotl64(uint64_t v, unsigned r)
{
    return v << r | v >> (64 - r);
}

/* Mixes len bytes (and their length) into the key. A long text (the patterns are) is taken
 * 32 bytes at a step in four lanes that do not wait on each other, each word multiplied into
 * its lane and the lane rotated (each step a bijection of the lane, so that texts of a length
 * that differ in one word always leave a lane different), and the lanes mixed in after; the
 * rest 8 bytes at a time. */
static void
key_bytes(struct keyhash *k, const void *data, size_t len)
{
    const unsigned char *p = data;
    key_mix(k, len);
    if (len >= 32) {
        const uint64_t m = 0x9E3779B97F4A7C15ull;
        uint64_t h0 = k->a, h1 = k->b, h2 = k->a ^ 0x452821E638D01377ull,
                 h3 = k->b ^ 0xBE5466CF34E90C6Cull;
        for (; len >= 32; p += 32, len -= 32) {
            uint64_t v0, v1, v2, v3;
            memcpy(&v0, p, 8);
            memcpy(&v1, p + 8, 8);
            memcpy(&v2, p + 16, 8);
            memcpy(&v3, p + 24, 8);
            h0 = rotl64((h0 ^ v0) * m, 31);
            h1 = rotl64((h1 ^ v1) * m, 31);
            h2 = rotl64((h2 ^ v2) * m, 31);
            h3 = rotl64((h3 ^ v3) * m, 31);
        }
        key_mix(k, h0);
        key_mix(k, h1);
        key_mix(k, h2);
        key_mix(k, h3);
    }
    for (; len >= 8; p += 8, len -= 8) {
        uint64_t v;
        memcpy(&v, p, 8);
        key_mix(k, v);
    }
    uint64_t v = 0;
    memcpy(&v, p, len);
    key_mix(k, v);
}

/* Mixes a string into the key. */
static void
key_str(struct keyhash *k, const char *s)
{
    key_bytes(k, s, strlen(s));
}

/* Mixes in the identity of the file at path (or only its name when it cannot be read). */
static void
key_file(struct keyhash *k, const char *path)
{
    struct stat st;
    key_str(k, path);
    if (stat(path, &st) != 0)
        return;
    key_mix(k, (uint64_t)st.st_dev);
    key_mix(k, (uint64_t)st.st_ino);
    key_mix(k, (uint64_t)st.st_size);
    key_mix(k, (uint64_t)st.st_mtim.tv_sec);
    key_mix(k, (uint64_t)st.st_mtim.tv_nsec);
}

/* dl_iterate_phdr's callback: mixes in each shared library the program has loaded. */
static int
key_library(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    if (info->dlpi_name && info->dlpi_name[0])
        key_file(data, info->dlpi_name);
    return 0;
}

/* Starts a key with the identity of this program and its libraries and the cache format;
 * false when the program cannot be identified (then no cache is used). */
static bool
key_program(struct keyhash *k)
{
    *k = (struct keyhash){0x243F6A8885A308D3ull, 0x13198A2E03707344ull};
    struct stat st;
    if (stat("/proc/self/exe", &st) != 0)
        return false;
    key_file(k, "/proc/self/exe");
    dl_iterate_phdr(key_library, k);
    key_mix(k, CACHE_FORMAT);
    return true;
}

static bool recache_program(const struct guard_recache *c, struct keyhash *k);

void
guard_cache_text(struct guard *g, const char *text, size_t len, enum guard_layer layer)
{
    struct keyhash k = {g->textkey[0], g->textkey[1]};
    key_mix(&k, (uint64_t)layer);
    key_bytes(&k, text, len);
    g->textkey[0] = k.a;
    g->textkey[1] = k.b;
}

/* The key of g's patterns as they are to be compiled; false when the program cannot be
 * identified (then no cache is used). The rules' part is the hash of every file read
 * (g->textkey): the patterns, classes and rules are made from those texts alone, so the same
 * texts in the same order and layers make the same store (a change to anything else in a
 * rule file, a message say, makes a new key too: a needless compile, never a wrong store). */
static bool
cache_key(const struct guard *g, uint64_t key[2])
{
    struct keyhash k;
    if (!recache_program(g->recache, &k) && !key_program(&k))
        return false;
    const uint64_t layout[] = {sizeof(struct tp_node), sizeof(struct tp_seq),
                               sizeof(struct tp_entry), sizeof(struct tp_req),
                               sizeof(struct tp_link), sizeof(struct tp_setent),
                               TP_REQS_MAX, TP_FOLLOW_WORDS, TP_NODES_MAX, TP_DEPTH_MAX};
    key_bytes(&k, layout, sizeof layout);
    key_mix(&k, g->ntexts);
    key_mix(&k, g->textkey[0]);
    key_mix(&k, g->textkey[1]);
    key[0] = k.a;
    key[1] = k.b;
    return true;
}

/* Whether dir is a folder of this user's that no one else may write to: only such a folder's
 * files are read or written. */
static bool
dir_trusted(const char *dir)
{
    struct stat st;
    return stat(dir, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == geteuid() &&
           (st.st_mode & (S_IWGRP | S_IWOTH)) == 0;
}

/* A cache file's path for a kind of file and a key (newly allocated). */
static char *
cache_path(const char *dir, const char *prefix, const uint64_t key[2])
{
    return xasprintf("%s/%s%016llx%016llx" CACHE_SUFFIX, dir, prefix,
                     (unsigned long long)key[0], (unsigned long long)key[1]);
}

/* ---- The checksum ---- */

/* A running sum of the stored bytes: four lanes, each two 64-bit sums over every fourth
 * 8-byte word (a word and a running total of the words), enough to find a short or damaged
 * file. The lanes do not wait on each other, so a 5 MB file is summed four words at a step. */
struct checksum {
    uint64_t a[4], b[4];
    unsigned char tail[32];
    size_t ntail;
};

/* Adds one 32-byte block at p to the lanes. */
static inline void
sum_block(uint64_t a[4], uint64_t b[4], const unsigned char *p)
{
    for (int l = 0; l < 4; l++) {
        uint64_t v;
        memcpy(&v, p + 8 * l, 8);
        a[l] += v;
        b[l] += a[l];
    }
}

/* Adds len bytes to the sum. */
static void
sum_add(struct checksum *c, const void *data, size_t len)
{
    const unsigned char *p = data;
    if (c->ntail) {
        size_t take = sizeof c->tail - c->ntail < len ? sizeof c->tail - c->ntail : len;
        memcpy(c->tail + c->ntail, p, take);
        c->ntail += take;
        p += take;
        len -= take;
        if (c->ntail < sizeof c->tail) /* all of data went into the tail, not full yet */
            return;
        sum_block(c->a, c->b, c->tail);
        c->ntail = 0;
    }
    /* (The lanes in locals of their own, so that they stay in registers.) */
    uint64_t a0 = c->a[0], a1 = c->a[1], a2 = c->a[2], a3 = c->a[3];
    uint64_t b0 = c->b[0], b1 = c->b[1], b2 = c->b[2], b3 = c->b[3];
    for (; len >= 32; p += 32, len -= 32) {
        uint64_t v0, v1, v2, v3; /* (one by one: an array here is copied through the stack) */
        memcpy(&v0, p, 8);
        memcpy(&v1, p + 8, 8);
        memcpy(&v2, p + 16, 8);
        memcpy(&v3, p + 24, 8);
        a0 += v0, a1 += v1, a2 += v2, a3 += v3;
        b0 += a0, b1 += a1, b2 += a2, b3 += a3;
    }
    c->a[0] = a0, c->a[1] = a1, c->a[2] = a2, c->a[3] = a3;
    c->b[0] = b0, c->b[1] = b1, c->b[2] = b2, c->b[3] = b3;
    memcpy(c->tail, p, len);
    c->ntail = len;
}

/* Ends the sum. */
static void
sum_end(struct checksum *c, uint64_t out[2])
{
    if (c->ntail) {
        memset(c->tail + c->ntail, 0, sizeof c->tail - c->ntail);
        sum_block(c->a, c->b, c->tail);
    }
    uint64_t x = 0x5851F42D4C957F2Dull, y = (uint64_t)c->ntail;
    for (int l = 0; l < 4; l++) {
        x = (x ^ c->a[l]) * 0x9E3779B97F4A7C15ull;
        y = (y ^ c->b[l]) * 0xBF58476D1CE4E5B9ull;
    }
    out[0] = x;
    out[1] = y;
}

/* ---- Reading ---- */

/* The bytes an array of n items of size bytes takes in the file: the items, one zeroed item
 * after them (as a reader may rely on) and zeros up to a multiple of 8 bytes, so that the next
 * array is aligned where the file is mapped. */
static uint64_t
stored_size(uint64_t n, uint64_t size)
{
    return ((n + 1) * size + 7) & ~(uint64_t)7;
}

/* A cursor over the mapped arrays after the header. */
struct mapped {
    unsigned char *p, *end;
};

/* The next array of n items of size bytes in the mapping, or NULL when the file is short or
 * the zeroed item and padding after it are not zero. */
static void *
take_array(struct mapped *m, uint64_t n, uint64_t size)
{
    uint64_t len = stored_size(n, size);
    if (len > (uint64_t)(m->end - m->p))
        return NULL;
    unsigned char *p = m->p;
    for (uint64_t i = n * size; i < len; i++)
        if (p[i] != 0)
            return NULL;
    m->p += len;
    return p;
}

/* The largest of n indices (0 when there are none), four lanes at a step so that they do
 * not wait on each other: an array of indices is checked by its largest alone. */
static uint32_t
max_index(const uint32_t *v, size_t n)
{
    uint32_t m0 = 0, m1 = 0, m2 = 0, m3 = 0;
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        m0 = v[i] > m0 ? v[i] : m0;
        m1 = v[i + 1] > m1 ? v[i + 1] : m1;
        m2 = v[i + 2] > m2 ? v[i + 2] : m2;
        m3 = v[i + 3] > m3 ? v[i + 3] : m3;
    }
    for (; i < n; i++)
        m0 = v[i] > m0 ? v[i] : m0;
    m0 = m1 > m0 ? m1 : m0;
    m2 = m3 > m2 ? m3 : m2;
    return m2 > m0 ? m2 : m0;
}

/* Whether the required sets listed by their words' bits (reqpost, reqposts) name patterns
 * of s and runs within reqposts. */
static bool
posts_valid(const struct tp_store *s)
{
    if (s->reqpost[0] != 0 || s->reqpost[2 * TP_WORD_BITS] != s->nreqposts)
        return false;
    for (size_t b = 0; b < 2 * TP_WORD_BITS; b++)
        if (s->reqpost[b] > s->reqpost[b + 1])
            return false;
    return s->nreqposts == 0 || max_index(s->reqposts, s->nreqposts) / TP_REQS_MAX < s->nentries;
}

/* Whether the nodes read into s (whose classes are still g's) stay within the store: a word's
 * text within the pool, a group's alternatives and set within theirs, a class among g's. The
 * one pass over them (the largest array) keeps the furthest each reaches rather than testing
 * node by node, and lists the regex nodes in s->renodes (nre of them, as the header says; a
 * file holding more or fewer is refused) for attach_regexes and guard_tokpat_free. A word (most
 * nodes) is held to its text; every other node but a regex to all three, whatever its op: the
 * fields an op does not use are zeros (a text of none at 0, no alternatives, no set), which
 * pass, so that the pass need not ask which apply (a class node's index is among the
 * alternatives too, as every class has one at least). A regex node's code is stored as zeros
 * and given by attach_regexes: one that is not zero is refused too, and every listed node's
 * code cleared before anything can free it. */
static bool
nodes_valid(const struct guard *g, struct tp_store *s, size_t nre)
{
    const struct tp_node *nodes = s->nodes;
    size_t nnodes = s->nnodes; /* (in locals: the stores to renodes could alias s) */
    size_t cap = nre < nnodes ? nre : nnodes; /* (a count past the nodes is refused) */
    uint32_t *renodes = s->renodes = xcalloc(cap + 1, sizeof *s->renodes);
    /* The furthest each reaches (a text's end before its NUL), and the ops' bits or'ed
     * together (one over TP_CLASS sets a higher bit). */
    uint64_t text = 0, alts = 0, sets = 0, bad = 0;
    unsigned ops = 0;
    uint32_t nclasses = (uint32_t)g->tp.nclasses;
    size_t count = 0;
    for (size_t i = 0; i < nnodes; i++) {
        const struct tp_node *n = &nodes[i];
        unsigned op = n->op;
        if (op == TP_REGEX) {
            if (count < cap)
                renodes[count] = (uint32_t)i;
            count++;
            bad |= n->set | n->nset; /* (the code's bytes, as two halves) */
            continue;
        }
        uint64_t end = (uint64_t)n->str + n->len;
        if (op == TP_WORD) { /* (most of them: a word's text is all it refers to) */
            text = end > text ? end : text;
            continue;
        }
        uint64_t altend = (uint64_t)n->alt + n->nalt;
        uint64_t setend = (uint64_t)n->set + n->nset;
        text = end > text ? end : text;
        alts = altend > alts ? altend : alts;
        sets = setend > sets ? setend : sets;
        ops |= op;
        if (op == TP_CLASS) /* (a branch: a few hundred of 100,000) */
            bad |= n->alt >= nclasses;
    }
    _Static_assert(TP_CLASS == 7, "every op but one over TP_CLASS is under 8");
    bad |= ops & ~7u;
    s->nrenodes = count < cap ? count : cap;
    if (bad != 0) /* (written only then, so that the pages stay shared) */
        for (size_t i = 0; i < s->nrenodes; i++)
            s->nodes[s->renodes[i]].re = NULL;
    /* (A text ends before the pool's last byte, its NUL; or no node has one, and an empty one
     * at 0 reads only the zeroed byte after the pool, which take_array checked.) */
    return count == nre && bad == 0 && (text < s->poollen || text == 0) &&
           alts <= s->nalts && sets <= s->nsets;
}

/* Whether the other arrays read into s (whose classes are still g's) hold together: every
 * index within its array, so that a check can never read outside them. */
static bool
store_valid(const struct guard *g, const struct tp_store *s, const struct cache_class *cls)
{
    size_t nb = s->mask + 1;
    if (nb < 64 || (nb & s->mask) != 0)
        return false;
    uint64_t seqend = 0; /* (the furthest a sequence reaches, checked once) */
    for (size_t i = 0; i < s->nseqs; i++) {
        uint64_t end = (uint64_t)s->seqs[i].node + s->seqs[i].n;
        seqend = end > seqend ? end : seqend;
    }
    if (seqend > s->nnodes)
        return false;
    if (s->nalts && max_index(s->alts, s->nalts) >= s->nseqs)
        return false;
    for (size_t i = 0; i < s->nentries; i++) {
        const struct tp_entry *e = &s->entries[i];
        if (e->rule >= g->nrules || g->rules[e->rule].kind != KIND_PATTERN ||
            e->entry >= g->rules[e->rule].nentries || e->seq >= s->nseqs ||
            e->nreq > TP_REQS_MAX || e->follow > 2 || e->bounded > 1 ||
            e->req != NULL) /* (stored as none: the sets are read packed, as reqbits) */
            return false;
    }
    if (!guard_tokpat_reqs_valid(s) || !posts_valid(s))
        return false;
    /* Each table's runs in order, the last ending within the links (then so do all). */
    const uint32_t *tables[2] = {s->exact, s->prefix};
    uint32_t down = 0;
    for (size_t t = 0; t < 2; t++) {
        for (size_t b = 0; b < nb; b++)
            down |= tables[t][b] > tables[t][b + 1];
        down |= tables[t][nb] > s->nlinks;
    }
    if (down)
        return false;
    for (size_t i = 0; i < s->nlinks; i++)
        if (s->links[i].entry >= s->nentries)
            return false;
    for (size_t i = 0; i < s->nsets; i++)
        if (s->sets[i].node >= s->nnodes)
            return false;
    if (s->nopen && max_index(s->open, s->nopen) >= s->nentries)
        return false;
    for (size_t c = 0; c < g->tp.nclasses; c++)
        if ((uint64_t)cls[c].alt + cls[c].nalt > s->nalts ||
            (uint64_t)cls[c].set + cls[c].nset > s->nsets)
            return false;
    return true;
}

/* Gives the regular-expression nodes of s (listed in renodes by nodes_valid) their compiled
 * codes from a serialised blob. Returns false when the header's count nre is not the nodes'
 * or the blob does not decode to exactly as many codes. */
static bool
attach_regexes(struct tp_store *s, const uint8_t *blob, size_t len, size_t nre)
{
    if (s->nrenodes != nre || (nre == 0) != (len == 0))
        return false;
    if (nre == 0)
        return true;
    int32_t count = pcre2_serialize_get_number_of_codes(blob);
    if (count < 0 || (size_t)count != nre)
        return false;
    pcre2_code **codes = xcalloc(nre, sizeof *codes);
    if (pcre2_serialize_decode(codes, (int32_t)nre, blob, NULL) != (int32_t)nre) {
        free(codes);
        return false;
    }
    for (size_t k = 0; k < nre; k++)
        s->nodes[s->renodes[k]].re = codes[k];
    free(codes);
    return true;
}

/* Points a fresh store t at the arrays after the header h in the file's mapping map of len
 * bytes, and hands t the mapping. Returns false when they are damaged or do not hold together
 * (t is then freed, and the mapping with it). */
static bool
read_store(void *map, size_t len, const struct cache_header *h, const struct guard *g,
           struct tp_store *t)
{
    const uint64_t *n = h->count;
    size_t nb = (size_t)n[C_BUCKETS];
    struct mapped m = {(unsigned char *)map + sizeof *h, (unsigned char *)map + len};
    t->map = map;
    t->maplen = len;
    struct checksum sum = {0};
    uint64_t got[2];
    sum_add(&sum, m.p, (size_t)(m.end - m.p));
    sum_end(&sum, got);
    bool ok = got[0] == h->sum[0] && got[1] == h->sum[1];
    t->nodes = ok ? take_array(&m, n[C_NODES], sizeof *t->nodes) : NULL;
    t->seqs = t->nodes ? take_array(&m, n[C_SEQS], sizeof *t->seqs) : NULL;
    t->alts = t->seqs ? take_array(&m, n[C_ALTS], sizeof *t->alts) : NULL;
    t->pool = t->alts ? take_array(&m, n[C_POOL], 1) : NULL;
    t->entries = t->pool ? take_array(&m, n[C_ENTRIES], sizeof *t->entries) : NULL;
    t->exact = t->entries ? take_array(&m, nb + 1, sizeof *t->exact) : NULL;
    t->prefix = t->exact ? take_array(&m, nb + 1, sizeof *t->prefix) : NULL;
    t->links = t->prefix ? take_array(&m, n[C_LINKS], sizeof *t->links) : NULL;
    t->reqbits = t->links ? take_array(&m, n[C_REQBITS], sizeof *t->reqbits) : NULL;
    t->reqstart = t->reqbits ? take_array(&m, n[C_ENTRIES], sizeof *t->reqstart) : NULL;
    t->reqpost = t->reqstart ? take_array(&m, 2 * TP_WORD_BITS + 1, sizeof *t->reqpost) : NULL;
    t->reqposts = t->reqpost ? take_array(&m, n[C_REQPOSTS], sizeof *t->reqposts) : NULL;
    t->sets = t->reqposts ? take_array(&m, n[C_SETS], sizeof *t->sets) : NULL;
    t->open = t->sets ? take_array(&m, n[C_OPEN], sizeof *t->open) : NULL;
    t->follow = t->open ? take_array(&m, n[C_ENTRIES] * TP_FOLLOW_WORDS, sizeof *t->follow)
                        : NULL;
    const struct cache_class *cls =
        t->follow ? take_array(&m, n[C_CLASSES], sizeof *cls) : NULL;
    const uint8_t *blob = cls ? take_array(&m, n[C_REBYTES], 1) : NULL;
    if (blob == NULL || m.p != m.end) { /* the counts are not set: only the mapping to free */
        munmap(map, len);
        memset(t, 0, sizeof *t);
        return false;
    }
    t->nnodes = t->capnodes = n[C_NODES];
    t->nseqs = t->capseqs = n[C_SEQS];
    t->nalts = t->capalts = n[C_ALTS];
    t->poollen = t->poolcap = n[C_POOL];
    t->nentries = t->capentries = n[C_ENTRIES];
    t->nreqbits = n[C_REQBITS];
    t->nreqposts = n[C_REQPOSTS];
    t->nlinks = t->caplinks = n[C_LINKS];
    t->nsets = t->capsets = n[C_SETS];
    t->nopen = n[C_OPEN];
    t->mask = nb - 1;
    ok = nodes_valid(g, t, (size_t)n[C_REGEX]); /* (first, whatever else fails: it clears
                                                  * the codes) */
    ok = ok && n[C_CLASSES] == g->tp.nclasses && store_valid(g, t, cls) &&
         attach_regexes(t, blob, (size_t)n[C_REBYTES], (size_t)n[C_REGEX]);
    if (ok) {
        for (size_t c = 0; c < g->tp.nclasses; c++) {
            struct tp_class *k = &g->tp.classes[c];
            k->alt = cls[c].alt;
            k->nalt = cls[c].nalt;
            k->set = cls[c].set;
            k->nset = cls[c].nset;
            k->setstems = cls[c].setstems != 0;
        }
    }
    if (!ok) {
        t->nclasses = 0;
        guard_tokpat_free(t);
    }
    return ok;
}

/* Whether the counts in a header are within reason for a file of the given size. */
static bool
header_sane(const struct cache_header *h, uint64_t key0, uint64_t key1, off_t size)
{
    if (memcmp(h->magic, CACHE_MAGIC, 8) != 0 || h->format != CACHE_FORMAT ||
        h->key[0] != key0 || h->key[1] != key1)
        return false;
    const uint64_t *n = h->count;
    for (size_t i = 0; i < C_COUNT; i++)
        if (n[i] > CACHE_MAX)
            return false;
    uint64_t nb = n[C_BUCKETS];
    if (nb < 64 || (nb & (nb - 1)) != 0 || n[C_NODES] > UINT32_MAX || n[C_SEQS] > UINT32_MAX)
        return false;
    uint64_t need = sizeof *h + stored_size(n[C_NODES], sizeof(struct tp_node)) +
                    stored_size(n[C_SEQS], sizeof(struct tp_seq)) + stored_size(n[C_ALTS], 4) +
                    stored_size(n[C_POOL], 1) +
                    stored_size(n[C_ENTRIES], sizeof(struct tp_entry)) +
                    2 * stored_size(nb + 1, 4) + stored_size(n[C_LINKS], sizeof(struct tp_link)) +
                    stored_size(n[C_REQBITS], 2) + stored_size(n[C_ENTRIES], 4) +
                    stored_size(2 * TP_WORD_BITS + 1, 4) + stored_size(n[C_REQPOSTS], 4) +
                    stored_size(n[C_SETS], sizeof(struct tp_setent)) +
                    stored_size(n[C_OPEN], 4) +
                    stored_size(n[C_ENTRIES] * TP_FOLLOW_WORDS, 8) +
                    stored_size(n[C_CLASSES], sizeof(struct cache_class)) +
                    stored_size(n[C_REBYTES], 1);
    return need == (uint64_t)size;
}

bool
guard_cache_load(struct guard *g, const char *dir)
{
    uint64_t key[2];
    if (dir == NULL || !dir_trusted(dir) || !cache_key(g, key))
        return false;
    char *path = cache_path(dir, CACHE_PREFIX, key);
    FILE *f = file_open_regular(path, (size_t)CACHE_MAX);
    free(path);
    if (f == NULL)
        return false;
    struct stat st;
    struct cache_header h;
    bool ok = fstat(fileno(f), &st) == 0 && fread(&h, sizeof h, 1, f) == 1 &&
              header_sane(&h, key[0], key[1], st.st_size);
    /* Mapped rather than read: the pages are the file's own, not copied, and only those
     * written to below (the regex nodes' codes) become private copies. */
    void *map = ok ? mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_PRIVATE,
                          fileno(f), 0)
                   : MAP_FAILED;
    fclose(f);
    struct tp_store t = {0};
    if (map == MAP_FAILED || !read_store(map, (size_t)st.st_size, &h, g, &t))
        return false;
    /* The classes (names and members) were read from the rule files; the rest is the
     * cache's. */
    t.classes = g->tp.classes;
    t.nclasses = g->tp.nclasses;
    g->tp = t;
    guard_tokpat_pack(&g->tp);
    return true;
}

/* ---- Writing ---- */

/* Writes bytes to f and adds them to the sum; returns false on a failed write. */
static bool
put(FILE *f, const void *data, size_t len, struct checksum *sum)
{
    sum_add(sum, data, len);
    return len == 0 || fwrite(data, 1, len, f) == len;
}

/* Ends an array of n items of size bytes as stored_size says: a zeroed item and padding. */
static bool
put_end(FILE *f, size_t n, size_t size, struct checksum *sum)
{
    static const unsigned char zeros[sizeof(struct tp_req) + 8];
    size_t len = (size_t)stored_size(n, size) - n * size;
    return put(f, zeros, len, sum);
}

/* The store's arrays as stored: padding and pointers zeroed, so that the same patterns give
 * the same bytes. Writes them to f, adds them to the sum and fills the counts. */
static bool
put_store(FILE *f, const struct guard *g, const uint8_t *blob, size_t bloblen, size_t nre,
          struct cache_header *h, struct checksum *sum)
{
    const struct tp_store *s = &g->tp;
    bool ok = true;
    for (size_t i = 0; i < s->nnodes && ok; i++) {
        const struct tp_node *n = &s->nodes[i];
        struct tp_node c;
        memset(&c, 0, sizeof c);
        c.op = n->op;
        c.flags = n->flags;
        c.min = n->min;
        c.max = n->max;
        c.setstems = n->setstems;
        c.str = n->str;
        c.len = n->len;
        c.alt = n->alt;
        c.nalt = n->nalt;
        if (n->op != TP_REGEX) { /* a regex node's code is stored apart */
            c.set = n->set;
            c.nset = n->nset;
        }
        ok = put(f, &c, sizeof c, sum);
    }
    ok = ok && put_end(f, s->nnodes, sizeof *s->nodes, sum);
    for (size_t i = 0; i < s->nseqs && ok; i++) {
        struct tp_seq c;
        memset(&c, 0, sizeof c);
        c.node = s->seqs[i].node;
        c.n = s->seqs[i].n;
        c.first = s->seqs[i].first;
        c.firstkind = s->seqs[i].firstkind;
        ok = put(f, &c, sizeof c, sum);
    }
    ok = ok && put_end(f, s->nseqs, sizeof *s->seqs, sum);
    ok = ok && put(f, s->alts, s->nalts * sizeof *s->alts, sum) &&
         put_end(f, s->nalts, sizeof *s->alts, sum);
    ok = ok && put(f, s->pool, s->poollen, sum) && put_end(f, s->poollen, 1, sum);
    for (size_t i = 0; i < s->nentries && ok; i++) {
        const struct tp_entry *e = &s->entries[i];
        struct tp_entry c;
        memset(&c, 0, sizeof c);
        c.rule = e->rule;
        c.seq = e->seq;
        c.entry = e->entry;
        c.anti = e->anti;
        c.user = e->user;
        c.nreq = e->nreq;
        c.follow = e->follow;
        c.bounded = e->bounded;
        ok = put(f, &c, sizeof c, sum);
    }
    ok = ok && put_end(f, s->nentries, sizeof *s->entries, sum);
    size_t nb = s->mask + 1;
    ok = ok && put(f, s->exact, (nb + 1) * sizeof *s->exact, sum) &&
         put_end(f, nb + 1, sizeof *s->exact, sum);
    ok = ok && put(f, s->prefix, (nb + 1) * sizeof *s->prefix, sum) &&
         put_end(f, nb + 1, sizeof *s->prefix, sum);
    for (size_t i = 0; i < s->nlinks && ok; i++) {
        struct tp_link c;
        memset(&c, 0, sizeof c);
        c.entry = s->links[i].entry;
        c.next = s->links[i].next;
        c.lo = s->links[i].lo;
        c.hi = s->links[i].hi;
        ok = put(f, &c, sizeof c, sum);
    }
    ok = ok && put_end(f, s->nlinks, sizeof *s->links, sum);
    ok = ok && put(f, s->reqbits, s->nreqbits * sizeof *s->reqbits, sum) &&
         put_end(f, s->nreqbits, sizeof *s->reqbits, sum);
    ok = ok && put(f, s->reqstart, s->nentries * sizeof *s->reqstart, sum) &&
         put_end(f, s->nentries, sizeof *s->reqstart, sum);
    ok = ok && put(f, s->reqpost, (2 * TP_WORD_BITS + 1) * sizeof *s->reqpost, sum) &&
         put_end(f, 2 * TP_WORD_BITS + 1, sizeof *s->reqpost, sum);
    ok = ok && put(f, s->reqposts, s->nreqposts * sizeof *s->reqposts, sum) &&
         put_end(f, s->nreqposts, sizeof *s->reqposts, sum);
    ok = ok && put(f, s->sets, s->nsets * sizeof *s->sets, sum) &&
         put_end(f, s->nsets, sizeof *s->sets, sum);
    ok = ok && put(f, s->open, s->nopen * sizeof *s->open, sum) &&
         put_end(f, s->nopen, sizeof *s->open, sum);
    ok = ok && put(f, s->follow, s->nentries * TP_FOLLOW_WORDS * sizeof *s->follow, sum) &&
         put_end(f, s->nentries * TP_FOLLOW_WORDS, sizeof *s->follow, sum);
    for (size_t c = 0; c < s->nclasses && ok; c++) {
        const struct tp_class *k = &s->classes[c];
        struct cache_class cc = {k->alt, k->nalt, k->set, k->nset, k->setstems};
        ok = put(f, &cc, sizeof cc, sum);
    }
    ok = ok && put_end(f, s->nclasses, sizeof(struct cache_class), sum);
    ok = ok && put(f, blob, bloblen, sum) && put_end(f, bloblen, 1, sum);
    uint64_t *n = h->count;
    n[C_NODES] = s->nnodes;
    n[C_SEQS] = s->nseqs;
    n[C_ALTS] = s->nalts;
    n[C_POOL] = s->poollen;
    n[C_ENTRIES] = s->nentries;
    n[C_BUCKETS] = nb;
    n[C_LINKS] = s->nlinks;
    n[C_SETS] = s->nsets;
    n[C_OPEN] = s->nopen;
    n[C_CLASSES] = s->nclasses;
    n[C_REGEX] = nre;
    n[C_REBYTES] = bloblen;
    n[C_REQBITS] = s->nreqbits;
    n[C_REQPOSTS] = s->nreqposts;
    return ok;
}

/* Removes the other cache files of a kind (prefix) from dir: those of rules or a program as
 * they were before. */
static void
remove_stale(const char *dir, const char *prefix, const char *keep)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return;
    const char *base = strrchr(keep, '/') + 1;
    size_t plen = strlen(prefix), slen = strlen(CACHE_SUFFIX);
    for (struct dirent *de; (de = readdir(d)) != NULL;) {
        size_t len = strlen(de->d_name);
        if (len <= plen + slen || strncmp(de->d_name, prefix, plen) != 0 ||
            strcmp(de->d_name + len - slen, CACHE_SUFFIX) != 0 || strcmp(de->d_name, base) == 0)
            continue;
        char *p = xasprintf("%s/%s", dir, de->d_name);
        unlink(p);
        free(p);
    }
    closedir(d);
}

void
guard_cache_save(const struct guard *g, const char *dir)
{
    uint64_t key[2];
    if (dir == NULL || !cache_key(g, key) || file_mkdir_p(dir) != 0 || !dir_trusted(dir))
        return;
    const struct tp_store *s = &g->tp;
    size_t nre = 0;
    for (size_t i = 0; i < s->nnodes; i++)
        nre += s->nodes[i].op == TP_REGEX;
    const pcre2_code **codes = xcalloc(nre + 1, sizeof *codes);
    for (size_t i = 0, k = 0; i < s->nnodes; i++)
        if (s->nodes[i].op == TP_REGEX)
            codes[k++] = s->nodes[i].re;
    uint8_t *blob = NULL;
    PCRE2_SIZE bloblen = 0;
    if (nre && pcre2_serialize_encode(codes, (int32_t)nre, &blob, &bloblen, NULL) < 0) {
        free(codes);
        return; /* no cache rather than a wrong one */
    }
    free(codes);
    char *path = cache_path(dir, CACHE_PREFIX, key);
    char *tmp = xasprintf("%s.%ld.tmp", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (f == NULL && fd >= 0)
        close(fd);
    struct cache_header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, CACHE_MAGIC, 8);
    h.format = CACHE_FORMAT;
    h.key[0] = key[0];
    h.key[1] = key[1];
    bool ok = f != NULL && fwrite(&h, sizeof h, 1, f) == 1;
    struct checksum sum = {0};
    ok = ok && put_store(f, g, blob, bloblen, nre, &h, &sum);
    sum_end(&sum, h.sum);
    ok = ok && fseek(f, 0, SEEK_SET) == 0 && fwrite(&h, sizeof h, 1, f) == 1;
    if (f != NULL && fclose(f) != 0)
        ok = false;
    if (blob)
        pcre2_serialize_free(blob);
    if (ok && rename(tmp, path) == 0)
        remove_stale(dir, CACHE_PREFIX, path);
    else if (fd >= 0)
        unlink(tmp);
    free(tmp);
    free(path);
}

/* ---- Regex rules ----
 *
 * The regular expressions of regex rules are compiled while their files are read, before the
 * patterns' key can be known; so they have a file of their own, named by the program's
 * identity alone, holding each expression's text, case and compiled code. An expression is
 * taken from it only when its text and case are byte for byte the ones being compiled (then
 * it compiled before, without error, to exactly this code); any other is compiled, and the
 * file is written again once the rules are loaded. */

#define RE_PREFIX "regex-"
#define RE_MAGIC "TFREGEX\n"

/* One stored expression: its text and code within the file's bytes. */
struct re_stored {
    const char *text;
    uint32_t textlen, cs, codelen;
    const uint8_t *code;
};

/* One expression compiled in this load, to be written. */
struct re_seen {
    char *text;
    bool cs;
    const pcre2_code *code;   /* owned by its rule */
};

struct guard_recache {
    char *dir, *path;
    uint8_t *data;            /* the file read */
    struct re_stored *v;
    size_t n;
    struct re_seen *seen;
    size_t nseen, capseen;
    bool missed;              /* an expression was not in the file: write it again */
    struct keyhash program;   /* key_program's start of a key, for this load's other key */
};

/* Gives *k the start of a key made when c was opened (the program and its libraries cannot
 * change within one load); false when there is no c (then make it anew). */
static bool
recache_program(const struct guard_recache *c, struct keyhash *k)
{
    if (c == NULL)
        return false;
    *k = c->program;
    return true;
}

/* The header of a regex file. */
struct re_header {
    char magic[8];
    uint32_t format, count;
    uint64_t key[2];
    uint64_t sum[2];
};

/* Reads the records after the header into c->v; false when they do not fill the data exactly. */
static bool
re_index(struct guard_recache *c, const uint8_t *p, const uint8_t *end, uint32_t count)
{
    c->v = xcalloc((size_t)count + 1, sizeof *c->v);
    for (uint32_t i = 0; i < count; i++) {
        uint32_t h[3];
        if ((size_t)(end - p) < sizeof h)
            return false;
        memcpy(h, p, sizeof h);
        p += sizeof h;
        if ((uint64_t)h[0] + h[2] > (uint64_t)(end - p) || h[2] == 0)
            return false;
        c->v[c->n++] = (struct re_stored){(const char *)p, h[0], h[1], h[2], p + h[0]};
        p += (size_t)h[0] + h[2];
    }
    return p == end;
}

struct guard_recache *
guard_recache_open(const char *dir)
{
    struct keyhash k;
    if (dir == NULL || !key_program(&k))
        return NULL;
    uint64_t key[2] = {k.a, k.b};
    struct guard_recache *c = xcalloc(1, sizeof *c);
    c->program = k;
    c->dir = xstrdup(dir);
    c->path = cache_path(dir, RE_PREFIX, key);
    FILE *f = dir_trusted(dir) ? file_open_regular(c->path, (size_t)CACHE_MAX) : NULL;
    struct stat st;
    if (f == NULL)
        return c;
    if (fstat(fileno(f), &st) != 0 || (size_t)st.st_size < sizeof(struct re_header)) {
        fclose(f);
        return c;
    }
    size_t len = (size_t)st.st_size;
    c->data = xmalloc(len);
    bool ok = fread(c->data, 1, len, f) == len && getc(f) == EOF;
    fclose(f);
    struct re_header h;
    memcpy(&h, c->data, sizeof h);
    struct checksum sum = {0};
    uint64_t got[2];
    sum_add(&sum, c->data + sizeof h, len - sizeof h);
    sum_end(&sum, got);
    ok = ok && memcmp(h.magic, RE_MAGIC, 8) == 0 && h.format == CACHE_FORMAT &&
         h.key[0] == key[0] && h.key[1] == key[1] && got[0] == h.sum[0] &&
         got[1] == h.sum[1] && re_index(c, c->data + sizeof h, c->data + len, h.count);
    if (!ok) { /* start afresh */
        free(c->v);
        free(c->data);
        c->v = NULL;
        c->data = NULL;
        c->n = 0;
    }
    return c;
}

pcre2_code *
guard_recache_compile(struct guard_recache *c, const char *pattern, bool case_sensitive,
                      char **err)
{
    if (c == NULL)
        return guard_regex_compile_valid(pattern, case_sensitive, err);
    size_t len = strlen(pattern);
    pcre2_code *re = NULL;
    for (size_t i = 0; i < c->n && re == NULL; i++) {
        const struct re_stored *s = &c->v[i];
        if (s->textlen != len || s->cs != case_sensitive || memcmp(s->text, pattern, len) != 0)
            continue;
        if (pcre2_serialize_get_number_of_codes(s->code) != 1 ||
            pcre2_serialize_decode(&re, 1, s->code, NULL) != 1)
            re = NULL;
    }
    if (re == NULL) {
        c->missed = true;
        re = guard_regex_compile_valid(pattern, case_sensitive, err);
        if (re == NULL)
            return NULL;
    }
    if (c->nseen == c->capseen) {
        c->capseen = c->capseen ? c->capseen * 2 : 64;
        c->seen = xreallocarray(c->seen, c->capseen, sizeof *c->seen);
    }
    c->seen[c->nseen++] = (struct re_seen){xstrdup(pattern), case_sensitive, re};
    return re;
}

/* Writes the expressions compiled in this load to c's file. */
static void
re_write(const struct guard_recache *c)
{
    if (file_mkdir_p(c->dir) != 0 || !dir_trusted(c->dir))
        return;
    char *tmp = xasprintf("%s.%ld.tmp", c->path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (f == NULL && fd >= 0)
        close(fd);
    struct re_header h;
    memset(&h, 0, sizeof h);
    bool ok = f != NULL && fwrite(&h, sizeof h, 1, f) == 1;
    struct checksum sum = {0};
    uint32_t count = 0;
    for (size_t i = 0; i < c->nseen && ok; i++) {
        uint8_t *bytes = NULL;
        PCRE2_SIZE size = 0;
        const pcre2_code *codes[1] = {c->seen[i].code};
        if (pcre2_serialize_encode(codes, 1, &bytes, &size, NULL) != 1 || size > UINT32_MAX) {
            ok = false;
            break;
        }
        uint32_t rec[3] = {(uint32_t)strlen(c->seen[i].text), c->seen[i].cs, (uint32_t)size};
        ok = put(f, rec, sizeof rec, &sum) && put(f, c->seen[i].text, rec[0], &sum) &&
             put(f, bytes, size, &sum);
        pcre2_serialize_free(bytes);
        count++;
    }
    memcpy(h.magic, RE_MAGIC, 8);
    h.format = CACHE_FORMAT;
    h.count = count;
    struct keyhash k;
    ok = ok && key_program(&k);
    h.key[0] = k.a;
    h.key[1] = k.b;
    sum_end(&sum, h.sum);
    ok = ok && fseek(f, 0, SEEK_SET) == 0 && fwrite(&h, sizeof h, 1, f) == 1;
    if (f != NULL && fclose(f) != 0)
        ok = false;
    if (ok && rename(tmp, c->path) == 0)
        remove_stale(c->dir, RE_PREFIX, c->path);
    else if (fd >= 0)
        unlink(tmp);
    free(tmp);
}

void
guard_recache_close(struct guard_recache *c, bool loaded)
{
    if (c == NULL)
        return;
    if (loaded && c->missed)
        re_write(c);
    for (size_t i = 0; i < c->nseen; i++)
        free(c->seen[i].text);
    free(c->seen);
    free(c->v);
    free(c->data);
    free(c->path);
    free(c->dir);
    free(c);
}
