/* Word-model rules (kind = model): a linear model over the words and word pairs of a text,
 * trained on the labelled replies by tests/guardrails/train-model.py. Patterns catch the
 * wordings someone thought of; the model catches posts that read like the labelled ones in
 * words nobody wrote a pattern for (risk told indirectly, for example). The model file is read
 * on the first check that needs it, so loading the rules stays quick; a model that cannot be
 * read holds the reply. */
#include "model/guard_impl.h"
#include "model/file.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MODEL_WORD_MAX 64      /* bytes of one word; longer words are cut */
#define MODEL_FEATURES_MAX 200000
#define MODEL_TOKENS_MAX 20000 /* words of one text that are scored */
#define MODEL_FILTER_BITS 32768 /* bits of a model's filter of its features (4 KiB) */

/* A slot of a model's table: a feature's key and weight side by side, read together. */
struct model_slot {
    uint64_t key;              /* 0 = empty */
    float weight;
    bool terse;                /* its text is shorter than 5 bytes: as a word, it explains
                                  nothing */
};

struct guard_lexmodel {
    char *path;
    bool loaded, failed;
    char *why;                 /* why it could not be read */
    double bias;
    struct model_slot *slots;  /* open addressing */
    char **names;              /* the feature's text, for explanations */
    size_t cap, n;
    uint64_t *filter;          /* a bit per feature's hash: most of a text's words and pairs
                                  are not features, and this small table says so without
                                  reaching into the large one */
};

/* The bit of key in a model's filter. */
static size_t
filter_bit(uint64_t key)
{
    return (size_t)((key >> 32) ^ key) % MODEL_FILTER_BITS;
}

#define FNV_START 1469598103934665603ULL

/* Carries FNV-1a state h over s[0..len). */
static uint64_t
fnv_add(uint64_t h, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

/* FNV-1a of a feature's text. Never 0 (0 marks an empty slot). */
static uint64_t
feature_hash(const char *s, size_t len)
{
    uint64_t h = fnv_add(FNV_START, s, len);
    return h ? h : 1;
}

/* Returns the slot of key: where it is, or the empty one where it would go. */
static size_t
slot_of(const struct guard_lexmodel *m, uint64_t key)
{
    size_t i = (size_t)(key & (m->cap - 1));
    while (m->slots[i].key != 0 && m->slots[i].key != key)
        i = (i + 1) & (m->cap - 1);
    return i;
}

struct guard_lexmodel *
guard_lexmodel_new(const char *path)
{
    struct guard_lexmodel *m = xcalloc(1, sizeof *m);
    m->path = xstrdup(path);
    return m;
}

const char *
guard_lexmodel_path(const struct guard_lexmodel *m)
{
    return m->path;
}

void
guard_lexmodel_free(struct guard_lexmodel *m)
{
    if (m == NULL)
        return;
    for (size_t i = 0; i < m->cap; i++)
        free(m->names[i]);
    free(m->names);
    free(m->slots);
    free(m->filter);
    free(m->why);
    free(m->path);
    free(m);
}

/* Records why the model cannot be used. Returns -1. */
static int
model_fail(struct guard_lexmodel *m, char *why)
{
    m->failed = true;
    free(m->why);
    m->why = why;
    return -1;
}

/* Reads the model file: "bias B" and "WEIGHT FEATURE" lines, '#' comments. */
static int
model_load(struct guard_lexmodel *m)
{
    if (m->loaded)
        return 0;
    if (m->failed)
        return -1;
    FILE *f = file_open_regular(m->path, GUARD_FILE_MAX * 4);
    if (f == NULL) {
        char *why = file_problem(errno, GUARD_FILE_MAX * 4);
        int rc = model_fail(m, xasprintf("cannot read the model %s: %s", m->path, why));
        free(why);
        return rc;
    }
    m->cap = 1024;
    m->slots = xcalloc(m->cap, sizeof *m->slots);
    m->names = xcalloc(m->cap, sizeof *m->names);
    char line[512];
    int lineno = 0, rc = 0;
    bool have_bias = false;
    while (rc == 0 && fgets(line, sizeof line, f) != NULL) {
        lineno++;
        size_t len = strcspn(line, "\r\n");
        line[len] = '\0';
        if (len == 0 || line[0] == '#')
            continue;
        char *sp = strchr(line, ' ');
        char *end = NULL;
        if (sp == NULL || sp[1] == '\0') {
            rc = -1;
            break;
        }
        *sp = '\0';
        if (strcmp(line, "bias") == 0) {
            m->bias = strtod(sp + 1, &end);
            have_bias = end != sp + 1 && *end == '\0' && isfinite(m->bias);
            rc = have_bias ? 0 : -1;
            continue;
        }
        double w = strtod(line, &end);
        if (end == line || *end != '\0' || !isfinite(w) || m->n >= MODEL_FEATURES_MAX) {
            rc = -1;
            break;
        }
        if ((m->n + 1) * 2 > m->cap) {
            struct guard_lexmodel grown = {.cap = m->cap * 2};
            grown.slots = xcalloc(grown.cap, sizeof *grown.slots);
            grown.names = xcalloc(grown.cap, sizeof *grown.names);
            for (size_t i = 0; i < m->cap; i++) {
                if (m->slots[i].key == 0)
                    continue;
                size_t s = slot_of(&grown, m->slots[i].key);
                grown.slots[s] = m->slots[i];
                grown.names[s] = m->names[i];
            }
            free(m->slots);
            free(m->names);
            m->slots = grown.slots;
            m->names = grown.names;
            m->cap = grown.cap;
        }
        uint64_t key = feature_hash(sp + 1, strlen(sp + 1));
        size_t s = slot_of(m, key);
        if (m->slots[s].key == 0) {
            m->slots[s].key = key;
            m->slots[s].terse = strlen(sp + 1) < 5;
            m->names[s] = xstrdup(sp + 1);
            m->n++;
        }
        m->slots[s].weight = (float)w;
    }
    bool failed_read = ferror(f);
    fclose(f);
    if (rc != 0 || failed_read || !have_bias)
        return model_fail(m, xasprintf("the model %s is damaged%s (line %d); make it again "
                                       "with tests/guardrails/train-model.py",
                                       m->path, have_bias ? "" : " or has no bias line",
                                       lineno));
    m->filter = xcalloc(MODEL_FILTER_BITS / 64, sizeof *m->filter);
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i].key != 0)
            m->filter[filter_bit(m->slots[i].key) / 64] |= 1ull << (filter_bit(m->slots[i].key) % 64);
    m->loaded = true;
    return 0;
}

/* Cuts a trailing suffix the way the trainer does ("waiting" -> "wait"). */
static size_t
strip_suffix(const char *w, size_t len)
{
    static const struct {
        char text[4];
        size_t len;
    } suffixes[] = {{"ing", 3}, {"ed", 2}, {"es", 2}, {"s", 1}, {"ly", 2}};
    for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
        size_t sl = suffixes[i].len;
        if (len > sl + 3 && memcmp(w + len - sl, suffixes[i].text, sl) == 0)
            return len - sl;
    }
    return len;
}

/* A word of a text as the models see it: where it is, and the keys of its feature and of
 * the pair it starts with the next word (0 for the last word). */
struct model_word {
    uint32_t start, end;       /* bytes in the text */
    uint64_t key, pair;
};

/* A distinct key of a text's words and pairs, at its first place: a feature counts once, as
 * in training, so the models look up each key once, in the order the text first has it. */
struct model_key {
    uint64_t key;
    uint32_t at;               /* the word it is, or the first word of the pair */
    bool pair;
};

/* A view's words for the word models, split and hashed once for every model rule. */
struct guard_modelwords {
    struct model_word *w;
    size_t n;
    struct model_key *k;       /* the words' and pairs' distinct keys, word before its pair */
    size_t nk;
};

void
guard_modelwords_free(struct guard_modelwords *w)
{
    if (w == NULL)
        return;
    free(w->w);
    free(w->k);
    free(w);
}

/* Lists the distinct keys of out's words and pairs in the order a scan of the text meets
 * them (a word, then the pair it starts), each at its first place. */
static void
distinct_keys(struct guard_modelwords *out)
{
    size_t size = 16;
    while (size < out->n * 4)
        size *= 2;
    uint64_t *set = xcalloc(size, sizeof *set);
    out->k = xreallocarray(NULL, out->n * 2 + 1, sizeof *out->k);
    for (size_t i = 0; i < out->n * 2; i++) {
        size_t at = i / 2;
        bool pair = i % 2 == 1;
        if (pair && at + 1 >= out->n)
            continue;
        uint64_t key = pair ? out->w[at].pair : out->w[at].key;
        size_t b = (size_t)(key ^ (key >> 29)) & (size - 1);
        while (set[b] != 0 && set[b] != key)
            b = (b + 1) & (size - 1);
        if (set[b] == key)
            continue;
        set[b] = key;
        out->k[out->nk++] = (struct model_key){key, (uint32_t)at, pair};
    }
    free(set);
}

/* Adds a finished word (its text cut at MODEL_WORD_MAX - 1 bytes, its suffix not yet
 * stripped) to out, and gives the word before it the key of their pair. */
static void
word_done(struct guard_modelwords *out, const char *text, size_t len, size_t start, size_t end)
{
    len = strip_suffix(text, len);
    struct model_word *w = &out->w[out->n];
    w->start = (uint32_t)start;
    w->end = (uint32_t)end;
    uint64_t own = fnv_add(FNV_START, text, len);
    w->key = own ? own : 1; /* (as feature_hash) */
    if (out->n > 0) {
        /* The pair's text is the first word, a space and this word: its hash carries on
         * from the first word's own, unfinished. */
        uint64_t h = fnv_add(w[-1].pair, " ", 1);
        h = fnv_add(h, text, len);
        w[-1].pair = h ? h : 1;
    }
    /* Until the next word comes, pair holds this word's unfinished hash. */
    w->pair = own;
    out->n++;
}

/* Splits text into the trainer's words: ASCII letters (lower-cased), digits and apostrophes
 * (curly ones made straight); everything else separates. Stops at max words. */
static struct guard_modelwords *
split_words(const char *s, size_t len, size_t max)
{
    struct guard_modelwords *out = xcalloc(1, sizeof *out);
    out->w = xreallocarray(NULL, max ? max : 1, sizeof *out->w);
    char text[MODEL_WORD_MAX];
    size_t tlen = 0, start = 0, end = 0;
    bool in = false;
    for (size_t i = 0; i <= len && out->n < max; i++) {
        unsigned char ch = i < len ? (unsigned char)s[i] : ' ';
        size_t step = 1;
        char c = 0;
        if (ch >= 'A' && ch <= 'Z')
            c = (char)(ch - 'A' + 'a');
        else if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '\'')
            c = (char)ch;
        else if (ch == 0xE2 && i + 2 < len && (unsigned char)s[i + 1] == 0x80 &&
                 ((unsigned char)s[i + 2] == 0x98 || (unsigned char)s[i + 2] == 0x99)) {
            c = '\'';
            step = 3;
        }
        if (c) {
            if (!in) {
                tlen = 0;
                start = i;
                in = true;
            }
            if (tlen < MODEL_WORD_MAX - 1)
                text[tlen++] = c;
            end = i + step;
            i += step - 1;
            continue;
        }
        if (in) {
            word_done(out, text, tlen, start, end);
            in = false;
        }
    }
    if (out->n > 0)
        out->w[out->n - 1].pair = 0; /* the last word starts no pair */
    distinct_keys(out);
    return out;
}

/* The view's words for the models, made on first use. */
static const struct guard_modelwords *
view_words(struct guard_view *v)
{
    if (v->mwords == NULL) {
        /* A word takes at least one byte and a separator, so len / 2 + 1 words at most. */
        size_t cap = v->len / 2 + 1 < MODEL_TOKENS_MAX ? v->len / 2 + 1 : MODEL_TOKENS_MAX;
        v->mwords = split_words(v->s, v->len, cap);
    }
    return v->mwords;
}

void
guard_run_model(struct guard_ctx *c, const struct guard_rule *r, struct guard_view *v)
{
    struct guard_lexmodel *m = r->lexmodel;
    if (m == NULL || model_load(m) != 0) {
        guard_emit_unfinished(c, r, v, m && m->why ? m->why : "no model file");
        return;
    }
    const struct guard_modelwords *mw = view_words(v);
    const struct model_word *w = mw->w;
    size_t nw = mw->n;
    if (nw == MODEL_TOKENS_MAX) {
        guard_emit_unfinished(c, r, v, "the text has too many words to score");
        return;
    }
    /* Each feature counts once, as in training (the view's keys are distinct); the strongest
     * one shows where and why. */
    double score = m->bias, best = 0;
    size_t best_word = 0, best_slot = 0;
    bool any = false;
    for (size_t i = 0; i < mw->nk; i++) {
        const struct model_key *k = &mw->k[i];
        size_t bit = filter_bit(k->key);
        if (!((m->filter[bit / 64] >> (bit % 64)) & 1))
            continue; /* not a feature: slot_of would find an empty slot */
        const struct model_slot *sl = &m->slots[slot_of(m, k->key)];
        if (sl->key == 0)
            continue;
        score += sl->weight;
        /* Short single words ("if", "her") weigh in the score but explain nothing. */
        if (!k->pair && sl->terse)
            continue;
        if (sl->weight > best) {
            best = sl->weight;
            best_word = k->at;
            best_slot = (size_t)(sl - m->slots);
            any = true;
        }
    }
    if (score > r->threshold && nw > 0) {
        if (!any) { /* only short words weighed: show the first word */
            best_word = 0;
            best_slot = slot_of(m, w[0].key);
        }
        const char *name = m->names[best_slot] ? m->names[best_slot] : "";
        size_t end = strchr(name, ' ') && best_word + 1 < nw ? w[best_word + 1].end
                                                                : w[best_word].end;
        struct guard_vars vars = {.match = v->s + w[best_word].start,
                                  .match_len = end - w[best_word].start,
                                  .grade = score};
        guard_emit(c, r, v, w[best_word].start, end, &vars);
    }
}
