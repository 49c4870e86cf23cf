/* Inside the guard module: what model/guard*.c share and nobody else may use. The public
 * interface is model/guard.h. */
#ifndef TACTFUL_GUARD_IMPL_H
#define TACTFUL_GUARD_IMPL_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdint.h>
#include <string.h>

#include "model/guard.h"
#include "model/strarena.h"
#include "model/xmalloc.h"

/* Bounds on what rule files may ask for. */
#define GUARD_FILE_MAX (1024 * 1024) /* bytes in one rule, policy or list file */
#define GUARD_LINE_MAX 4096          /* bytes in one line */
#define GUARD_ERRORS_MAX 100         /* problems reported before giving up */
#define GUARD_RULES_MAX 2000
#define GUARD_ENTRIES_MAX 50000      /* match, except and allow entries in all */
#define GUARD_PHRASE_TOKENS 12       /* tokens in one phrase */
#define GUARD_ID_MAX 64              /* bytes in a rule id or pack name */
#define GUARD_PACKS_MAX 64
#define GUARD_REGEX_PAD 32           /* zero bytes after a regex subject (JIT reads ahead) */

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Whether the n bytes at a and b are the same: the first byte is compared inline, since most
 * words a matcher is offered differ there. */
static inline bool
guard_same_bytes(const char *a, const char *b, size_t n)
{
    return n == 0 || (a[0] == b[0] && memcmp(a, b, n) == 0);
}

/* Whether byte c is one of the characters of set; never true for NUL (texts may hold NUL
 * bytes, and strchr would match the terminator). Written as a loop rather than strchr so
 * that, inlined with a constant set, it becomes a few comparisons instead of a call. */
static inline bool
guard_in_set(const char *set, char c)
{
    if (c == '\0')
        return false;
    for (; *set != '\0'; set++)
        if (*set == c)
            return true;
    return false;
}

/* Whether a quotation mark (' " ‘ “) ends just before byte at of s: one that opens a quote. */
static inline bool
guard_quote_opens_before(const char *s, size_t at)
{
    if (at >= 1 && (s[at - 1] == '\'' || s[at - 1] == '"'))
        return true;
    return at >= 3 && (memcmp(s + at - 3, "\xe2\x80\x98", 3) == 0 ||
                       memcmp(s + at - 3, "\xe2\x80\x9c", 3) == 0);
}

/* Whether a quotation mark (' " ’ ”) starts at byte at of s (len bytes): one that closes a
 * quote. */
static inline bool
guard_quote_closes_at(const char *s, size_t len, size_t at)
{
    if (at < len && (s[at] == '\'' || s[at] == '"'))
        return true;
    return at + 3 <= len && (memcmp(s + at, "\xe2\x80\x99", 3) == 0 ||
                             memcmp(s + at, "\xe2\x80\x9d", 3) == 0);
}

/* Which file a rule or change came from; later layers win. */
enum guard_layer { LAYER_SHIPPED, LAYER_POLICY, LAYER_USER };

enum guard_applies { APPLIES_DRAFT = 1, APPLIES_INCOMING = 2, APPLIES_BOTH = 3 };

/* Rule kinds: the checks a rule file can ask for (names in guard_kind_names). */
enum guard_kind {
    KIND_PHRASE,  /* word sequences from match/list, one merged matcher */
    KIND_REGEX,   /* PCRE2 patterns */
    KIND_PII,     /* a hand-written personal-data scanner (detect =) */
    KIND_CAPS,    /* runs of capitalised words, minus acronyms */
    KIND_METRIC,  /* sentence length or reading grade */
    KIND_LENGTH,  /* the platform's length limit */
    KIND_LINK,    /* domains, shorteners, plain http */
    KIND_EXPECT,  /* something the draft must contain in a situation */
    KIND_ECHO,    /* the post's personal data repeated in the draft */
    KIND_PATTERN, /* token patterns: words, forms, classes, gaps, antipatterns */
    KIND_MODEL,   /* a trained word model (guard_model.c) */
    KIND_COUNT
};
extern const char *const guard_kind_names[KIND_COUNT];

enum pii_type {
    PII_EMAIL, PII_PHONE, PII_NINO, PII_POSTCODE, PII_ADDRESS, PII_DOB, PII_CARD, PII_NHS,
    PII_REFERENCE, PII_COUNT
};
extern const char *const guard_pii_names[PII_COUNT];

enum link_check { LINK_DOMAIN, LINK_SHORTENER, LINK_HTTP, LINK_COUNT };
enum metric_type { METRIC_SENTENCE, METRIC_GRADE, METRIC_COUNT };
enum expect_need { NEED_LINK, NEED_OFFICIAL_LINK, NEED_CHANNEL, NEED_PATTERN, NEED_COUNT };

/* The categories a rule id may start with. */
extern const char *const guard_categories[];
#define GUARD_NCATEGORIES 13
/* The category of rules that read the post answered to suggest response patterns (rules of
 * it never give findings in guard_check; guard_suggest runs them). */
#define GUARD_SUGGEST_CATEGORY "suggest"
#define GUARD_RULE_SUGGESTS_MAX 8         /* patterns one suggest rule names */

/* One match or except entry as written. */
struct guard_entry {
    char *text;               /* (rules' entries and class members: in the guard's texts or
                               * strings) */
    char *replacement;        /* from "text => replacement", or NULL (as text) */
    const char *file;         /* interned in the guard */
    int line;
    bool except;
    bool user;                /* added by the user's file (ignored when the rule is locked) */
    bool anti;                /* pattern rules: an antipattern (except = is a phrase) */
    uint16_t ntok;            /* checked as a phrase when read: its tokens in the guard's
                               * phrases from tok (0: not checked so, or not a phrase) */
    uint32_t tok;
};

/* What a regex expression's matches need (guard_relead.c): leads, literals one of which starts
 * every match (or sentence starts); a literal every match holds somewhere (req); leads of a
 * group every match holds (anyof, one of them somewhere). */
#define GUARD_LEADS_MAX 64
#define GUARD_ANYOF_MAX 32
enum guard_relead_kind {
    RELEAD_NONE,              /* none: the expression is tried everywhere */
    RELEAD_LITS,              /* leads */
    RELEAD_SENTENCE,          /* matches start only at sentence starts */
};
struct guard_lead {
    char text[15];
    uint8_t len;
    uint8_t seg, seglen;      /* its longest part without a space */
    bool fold;                /* caseless: held in lower case */
    uint8_t after;            /* a match starts this many bytes after it (a lookbehind's) */
};
struct guard_relead {
    uint8_t kind;             /* enum guard_relead_kind */
    bool fold;                /* some lead (or req) is caseless, or the sentence start is */
    bool has_req;
    struct guard_lead req;    /* a literal every match holds somewhere */
    struct guard_lead anyof[GUARD_ANYOF_MAX]; /* leads of which every match holds one */
    size_t nanyof;
    size_t n;
    struct guard_lead leads[GUARD_LEADS_MAX];
};
/* A quote mark or line end in a view's text: kind '"' (straight), '(' and ')' (curly opening
 * and closing), '\n'. */
struct guard_qmark {
    size_t at;
    char kind;
};

/* Places where an expression is tried, in order. */
struct guard_recands {
    uint32_t *at;
    size_t n, cap;
};
/* A view's index for finding leads: the places of its text s by their first two bytes in
 * ASCII lower case (head[b] to head[b + 1] in pos); the sentence starts of its two regex
 * subjects (masked and raw), made on first need. */
struct guard_reindex {
    const char *s;            /* the view's, not owned */
    size_t len;
    uint32_t *head, *pos;
    bool exotic;              /* holds a character PCRE2 folds to an ASCII letter */
    struct guard_recands sentences[2];
    bool sentences_made[2];
};

/* A rule's example: a text it must fire on, or must not (counterexample). */
struct guard_rule_example {
    char *text;               /* (in the guard's texts) */
    const char *file;
    int line;
    bool must_fire;
};

/* A plain string with where it came from (allow-lists, normalised values). */
struct guard_value {
    char *text;
    bool user;
    uint32_t len;             /* strlen(text) as made (hosts are not changed after) */
};

#define GUARD_RULE_WAIVERS_MAX 4 /* `waive` lines one expect rule takes */

/* One `waive = PATTERN [!PATTERN]...` line: the post fits every pattern named and none marked. */
struct guard_waiver {
    const char *pattern[GUARD_RULE_SUGGESTS_MAX]; /* guard_patterns' ids */
    bool not[GUARD_RULE_SUGGESTS_MAX];
    size_t n;
};

struct guard_rule {
    char *id;
    uint32_t idhash;          /* guard_hash of id, for finding a rule by it */
    const char *category;     /* one of guard_categories */
    char *pack;               /* pack name, "policy" or "user" */
    const char *file;         /* where it is defined (interned) */
    int line;
    enum guard_layer layer;
    enum guard_severity level;
    enum guard_severity election_level;
    bool election_set;        /* election = LEVEL given; the stricter of the two applies */
    enum guard_applies applies;
    enum guard_kind kind;
    bool election_only;
    char *message;            /* templates with {match} and friends */
    char *fix;
    bool case_sensitive;
    bool raw_scope;           /* regex: also inside links, handles and hashtags */
    int sub;                  /* pii_type, link_check, metric_type or expect_need */
    long max, min, max_bytes, warn;
    char *platform;           /* length */
    char *pattern;            /* expect: run only for this pattern */
    char *need_pattern;       /* expect: need = pattern NAME */
    int when;                 /* expect: a category index that must fire on the post, or -1 */
    const char *suggests[GUARD_RULE_SUGGESTS_MAX]; /* suggest: pattern ids (guard_patterns') */
    size_t nsuggests;
    struct guard_waiver waivers[GUARD_RULE_WAIVERS_MAX]; /* expect: `waive` lines, any one */
    size_t nwaivers;
    struct guard_entry *entries;
    size_t nentries, capentries;
    pcre2_code **re;          /* regex: one per match entry, in order, for valid UTF-8 */
    size_t nre;
    uint8_t *re_jit;          /* per pattern: JIT-compiled yet (done on first use) */
    char **re_text;           /* per pattern: its text */
    pcre2_code **re_broken;   /* per pattern: compiled for broken UTF-8, on first need */
    struct guard_relead **re_lead; /* per pattern: its leads, read on first use */
    pcre2_code **re_anchored; /* per pattern: compiled anchored, on first need */
    struct guard_value *vmatch;  /* pii and link: normalised match values */
    size_t nvmatch;
    struct guard_value *vexcept; /* pii and link: normalised except values */
    size_t nvexcept;
    bool enabled, locked, approval;
    const char *changed_file; /* the last policy or user file that changed it */
    int changed_line;
    const char *lock_file;
    int lock_line;
    struct guard_rule_example *examples;
    size_t nexamples;
    char *example_post;       /* the post the examples answer (rules that read the post) */
    struct guard_lexmodel *lexmodel; /* model: its file, read on first use */
    double threshold;         /* model: fires when the score is above this */
};

/* ---- Token patterns (guard_tokpat.c) ---- */

#define TP_NODES_MAX 64       /* nodes in one pattern, groups included */
#define TP_SKIP_MAX 8         /* the most tokens one gap may skip */
#define TP_DEPTH_MAX 8        /* nesting of groups and classes */
#define TP_STEPS_MAX 20000    /* matcher steps for one pattern at one place */

enum tp_op { TP_WORD, TP_PREFIX, TP_STEM, TP_REGEX, TP_ANY, TP_SKIP, TP_GROUP, TP_CLASS };

#define TP_OPT 0x1            /* may be left out: "x?" */
#define TP_CAP 0x2            /* written with a capital (Title or ALL CAPS): "^x" */
#define TP_NOT 0x4            /* one word that is not this: "!x" */

struct tp_node {
    uint8_t op, flags;
    uint16_t min, max;        /* skip: how many tokens */
    bool setstems;            /* group: its word set holds stems */
    uint32_t str, len;        /* word, prefix or stem (folded) in the pool; regex: the bits
                               * (byte % 64, low half in str) of the first bytes PCRE2 lets it
                               * start at, 0 when it checks none (regex_first in tokpat.c) */
    uint32_t alt, nalt;       /* group: alternatives in alts; class: the class index */
    union {                   /* (32 bytes a node, so that none straddles two cache lines) */
        struct {
            uint32_t set, nset; /* group of single words or stems: its members in sets */
        };
        pcre2_code *re;       /* regex: matched against the whole folded token */
    };
};

/* A sequence of nodes, stored together. */
struct tp_seq {
    uint32_t node, n;
    uint32_t first;           /* hash of the word (or stem) it must start with, when it must */
    uint8_t firstkind;        /* 0: none, 1: a word, 2: a stem */
};

/* A word class ([class NAME]): alternatives, each a sequence. */
struct tp_class {
    char *name;
    struct guard_entry *members;
    size_t nmembers;
    uint32_t alt, nalt;       /* compiled: in alts */
    uint32_t set, nset;       /* when every alternative is one word or stem: in sets */
    bool setstems;            /* the set holds stems */
    const char *file;
    int line;
};

/* A member of a set of single words or stems, looked up by hash. */
struct tp_setent {
    uint32_t hash;            /* of the word's fold, or of the stem */
    uint32_t node;            /* the member's node, to compare the text */
};

/* One compiled pattern of a rule (a match or an antipattern). */
struct tp_entry {
    uint32_t rule;
    uint32_t seq;
    uint32_t entry;           /* index in the rule's entries */
    bool anti;
    bool user;
    uint8_t nreq;             /* what every match holds: nreq sets of words, one of each */
    uint8_t follow;           /* 0: no filter of second words; 1: a filter; 2: one with stems */
    uint8_t bounded;          /* 1: a try stays within the limits on any text (tokfollow.c) */
    struct tp_req *req;       /* (owned by the store's reqs) */
};

/* The filter of a pattern's second words (guard_tokfollow.c): TP_FOLLOW_WORDS 64-bit words a
 * pattern, bits set by the hash of a word, a 3-letter prefix or a stem, and of a stem's first
 * bytes (as many as the matcher compares before stemming a word: tp_stem_start). */
#define TP_FOLLOW_WORDS 8
enum { TP_FOLLOW_WORD, TP_FOLLOW_PREFIX, TP_FOLLOW_STEM, TP_FOLLOW_STEM_START };

/* How many of a stem's first bytes a word must start with to have that stem: the matcher
 * compares them before it stems the word. */
static inline size_t
tp_stem_start(size_t len)
{
    return len < 2 ? len : 2;
}

/* The bit of the follow filter for a hash of a kind. */
static inline unsigned
tp_follow_bit(unsigned kind, uint32_t hash)
{
    uint32_t x = hash + kind * 0x9E3779B9u;
    x ^= x >> 15;
    x *= 0x2C1B3C6Du;
    x ^= x >> 12;
    return x % (TP_FOLLOW_WORDS * 64);
}

/* Whether the follow filter bits hold a hash of a kind. */
static inline bool
tp_follow_has(const uint64_t *bits, unsigned kind, uint32_t hash)
{
    unsigned b = tp_follow_bit(kind, hash);
    return (bits[b / 64] >> (b % 64)) & 1;
}

#define TP_WORD_BITS 8192     /* bits in a text's word filter (1 KiB); as many again for the
                               * 3-letter prefixes */
#define TP_REQ_WORDS 16       /* words in one "one of these" set */
#define TP_REQS_MAX 4         /* sets noted for one pattern */

/* A set of words of which a match holds at least one: hashes of the fold, or (bit i of
 * prefix set) of a prefix's or stem's first 3 bytes. */
struct tp_req {
    uint8_t n;
    uint16_t prefix;
    uint32_t h[TP_REQ_WORDS];
};

/* What a scan passes a link's tries over by, side by side for the links of a bucket: its
 * pattern's follow filter folded to 64 bits, and for a link of the exact table, the bits
 * (tp_alt_bit) of the second words its pattern's first list takes after the words of the
 * link's bucket (see link_second in tokpat.c); each UINT64_MAX when there is none, second 0
 * until a check first needs them. */
struct tp_linkfilter {
    uint64_t follow, second;
};

/* What checks make on first need and keep in the store (allocated there only then, so that a
 * load that is never checked does not pay for it). */
struct tp_lazy {
    struct tp_linkfilter *linkfilter; /* per link: what a scan passes its tries over by (see
                               * live_link_make in tokpat.c); NULL until the first scan */
};

/* A link in an index bucket's chain. */
struct tp_link {
    uint32_t entry;
    uint32_t next;            /* while building: the next in the chain, +1; 0 ends */
    uint8_t lo, hi;           /* the match starts lo to hi words before the indexed word */
};

struct tp_store {
    struct tp_node *nodes;
    size_t nnodes, capnodes;
    struct tp_seq *seqs;
    size_t nseqs, capseqs;
    uint32_t *alts;           /* sequence ids of group and class alternatives */
    size_t nalts, capalts;
    char *pool;
    size_t poollen, poolcap;
    struct tp_class *classes;
    size_t nclasses;
    struct tp_entry *entries;
    size_t nentries, capentries;
    uint32_t *exact, *prefix; /* by the first token's hash: where a bucket's run of links
                               * starts (mask + 2 of them; while building, chain heads +1) */
    struct tp_link *links;
    size_t nlinks, caplinks;
    struct tp_req *reqs;      /* TP_REQS_MAX a pattern */
    struct tp_setent *sets;   /* members of word sets, each set sorted by hash */
    size_t nsets, capsets;
    uint32_t *open;           /* entries that may start at any token */
    size_t nopen;
    uint64_t *follow;         /* TP_FOLLOW_WORDS a pattern: what may follow its first word */
    size_t mask;
    uint16_t *reqbits;        /* reqs packed for a check (made from reqs after compiling;
                               * read from the cache as they are, where reqs are not kept):
                               * per set, its size, then each word's bit in a text's word
                               * filter (prefixes in its second half) */
    size_t nreqbits;
    uint32_t *reqstart;       /* where each pattern's sets start in reqbits */
    uint32_t *reqpost;        /* the sets by their words' bits: per bit of a text's word filter
                               * and prefix filter (2 * TP_WORD_BITS), where its run in
                               * reqposts starts, and one more (nreqbits) after the last; made
                               * and cached as reqbits, so that a check reads only the runs of
                               * the words its text holds rather than every pattern's sets */
    uint32_t *reqposts;       /* per run: TP_REQS_MAX * pattern + the set's place in reqbits */
    size_t nreqposts;         /* (the sets' words) */
    uint32_t *altfirst;       /* per alternative in alts: the hash of the word it must start
                               * with, 0 when it need not start with a word (made with its
                               * list's altbloom, so that trying a list of alternatives reads
                               * one short array rather than each sequence) */
    uint32_t *altsecond;      /* per alternative: the hash of its second word when it starts
                               * with two plain words ("the council"), else 0 (made with its
                               * list's altbloom) */
    uint64_t *altbloom;       /* at the start of a group's or class's alternatives in alts: the
                               * bits (tp_alt_bit) of their first words, all set when one need
                               * not start with a word; 0 until a check first needs it */
    uint64_t *altmask;        /* per alternative in alts: the bits (tp_alt_bit) of every word
                               * it can start with, seen through leading groups and classes;
                               * all set when it can start otherwise (a stem, a regex, or
                               * nothing); made with its list's altbloom */
    struct tp_lazy *lazy;     /* what checks make on first need and keep */
    uint8_t *openstart;       /* per open pattern: where it can start (TP_START_* bits; made as
                               * reqbits) */
    uint64_t *openbytes;      /* per open pattern: the first bytes of its words that can start
                               * it (TP_START_BYTES) */
    uint32_t *openunits;      /* per open pattern: the ASCII code units (each + 1, the low and
                               * high halves) every /re/ that can start it requires (see
                               * regex_last), 0 when not known: a word holding neither cannot
                               * start it by a /re/ */
    uint32_t *renodes;        /* read from the cache: the regex nodes' indices, in order (so
                               * that giving them codes and freeing those reads no other node);
                               * NULL otherwise */
    size_t nrenodes;
    void *map;                /* read from the cache: the file's private mapping, which holds
                               * nodes to follow (they are not freed apart); NULL otherwise */
    size_t maplen;
};

/* The bit of a word's hash in an altbloom. */
static inline unsigned
tp_alt_bit(uint32_t hash)
{
    return (hash * 0x9E3779B1u) >> 26;
}

/* Where an open pattern (one not indexed by its first words) can start: at any word, or
 * at a word that one of the others allows. */
enum {
    TP_START_ANY = 1,         /* at any word */
    TP_START_CAPITAL = 2,     /* at a word with a capital (a first part needs one) */
    TP_START_FIRST = 4,       /* at a first word of its first group's alternatives */
    TP_START_BYTES = 8        /* at a word starting with one of openbytes (a first /re/'s) */
};

/* A token-pattern hit. */
struct tp_hit {
    uint32_t entry;
    uint32_t start, end;      /* bytes */
};

/* ---- Phrase matcher (guard_phrase.c) ---- */

#define PHRASE_EXCEPT 0x1     /* suppresses the rule's matches it overlaps */
#define PHRASE_CASE 0x2       /* compare tokens as written */
#define PHRASE_ALLOW 0x4      /* an [allow] word: suppresses every prose rule */
#define PHRASE_USER 0x8       /* from the user's file: locked rules ignore it */

#define WILD_NONE 0
#define WILD_PREFIX 1         /* "stem*" */
#define WILD_ANY 2            /* "*": any one word */

struct phrase_tok {
    uint32_t fold, fold_len;  /* in the pool */
    uint32_t raw, raw_len;
    uint32_t hash;
    uint8_t wild;
};

struct phrase {
    uint32_t rule;            /* index into guard->rules (unused for allow words) */
    uint16_t ntok;
    uint16_t flags;
    uint32_t tok;             /* first of ntok in toks */
    const char *replacement;  /* borrowed from the entry */
    uint32_t next;            /* next in the bucket chain, +1 (0 ends) */
};

struct phrase_set {
    struct phrase *v;
    size_t n, cap;
    struct phrase_tok *toks;
    size_t ntoks, captoks;
    char *pool;
    size_t poollen, poolcap;
    uint32_t *exact;          /* bucket heads +1, keyed by the first token's hash */
    uint32_t *prefix;         /* bucket heads +1, keyed by the hash of a stem's first 3 bytes */
    size_t mask;
};

/* ---- Tokenised text (guard_token.c) ---- */

#define TOK_WORD 0x1          /* letters, digits and marks */
#define TOK_SYMBOL 0x2        /* one symbol: emoji, currency */
#define TOK_JOINED 0x4        /* only spaces, tabs or hyphens since the previous token */
#define TOK_SENTENCE 0x8      /* first token of a sentence */
#define TOK_UPPER 0x10        /* two or more letters, none lowercase */
#define TOK_DIGITS 0x20       /* digits only */
#define TOK_CAPITAL 0x40      /* starts with an uppercase letter */
#define TOK_LETTER 0x80       /* has a letter */
#define TOK_LINE 0x100        /* a line break since the previous token */
#define TOK_HASDIGIT 0x200    /* has a digit */

struct guard_tok {
    uint32_t start, end;      /* bytes in the text */
    uint32_t fold;            /* case-folded, accents stripped, in view->fold */
    uint32_t fold_len;
    uint32_t hash, phash;     /* of the fold, and of its first 3 bytes (0 when shorter) */
    uint32_t shash;           /* of the fold without a possessive "'s", or 0 */
    uint16_t flags;
};

/* A word and its length, for quick comparison with tokens. */
struct guard_word {
    const char *s;
    size_t n;
};
#define GUARD_WORD(s) {s, sizeof(s) - 1}

enum span_kind { SPAN_URL, SPAN_EMAIL, SPAN_HANDLE, SPAN_HASHTAG };

/* Text kept away from prose rules: links, addresses, @handles and #hashtags. */
struct guard_span {
    uint32_t start, end;
    uint32_t host, host_end;  /* URL host or e-mail domain */
    uint32_t at2;             /* @user@domain: offset of the second '@', else 0 */
    uint8_t kind;
    uint8_t scheme;           /* URL: 0 none, 1 http, 2 https */
};

#define PII_PUBLIC_PLACE 3 /* pii_match.official: the office's or a public building's postcode */

struct pii_match {
    uint32_t start, end;
    uint8_t type;             /* enum pii_type */
    uint8_t official;         /* e-mail on an official domain: 1 by policy, 2 only by user;
                                 a postcode: PII_PUBLIC_PLACE when a public building's */
    char norm[48];            /* lowercase letters and digits, for allow-lists and echoes */
};

/* A phrase matcher hit. */
struct guard_hit {
    uint32_t phrase;
    uint32_t start, end;      /* bytes */
};

struct guard_modelwords;

struct guard_view {
    const char *s;
    size_t len;
    enum guard_source source;
    struct guard_tok *toks;
    size_t ntoks, captoks;
    char *fold;
    size_t foldlen, foldcap;
    struct guard_span *spans;
    size_t nspans, capspans;
    struct guard_hit *hits;   /* match phrases, in token order */
    size_t nhits, caphits;
    struct guard_hit *sup;    /* except and allow phrases (suppressors), in token order */
    size_t nsup, capsup;
    size_t sup_maxlen;        /* the longest suppressor, for searching them by position */
    struct pii_match *pii;
    size_t npii, cappii;
    bool pii_done;
    uint8_t *claimed;         /* a bit per byte already in a personal-data match */
    char *masked;             /* s with spans blanked, made on first use by regex rules */
    char *raw;                /* s copied with padding, for regex rules with scope = raw */
    int8_t masked_utf, raw_utf; /* 1: valid UTF-8, -1: broken, 0: not checked yet */
    struct guard_reindex *reindex; /* for regex rules' leads, made on first use */
    struct guard_qmark *qmarks; /* quote marks and line ends, listed on first need */
    size_t nqmarks;
    bool qmarks_made;
    int year;                 /* this year, to tell birthdays from dates to come (0: unknown) */
    struct tp_hit *tphits;    /* token-pattern matches and antipatterns, in token order */
    size_t ntphits, captphits;
    uint32_t *stems;          /* per token: offset+1 of its stem in stempool (0: not yet) */
    char *stempool;
    size_t stemlen, stemcap;
    uint32_t *stemmed;        /* open addressing by fold hash (stemmask + 1 slots): index+1 of
                               * a token stemmed already, so that a word met again takes its
                               * stem rather than the stemmer's time; 0 when free */
    size_t stemmask;
    struct guard_modelwords *mwords; /* the word models' words, made once (guard_model.c) */
};

struct guard {
    struct guard_rule *rules;
    size_t nrules, caprules;
    char **files;             /* interned file names */
    size_t nfiles;
    char **packs;             /* shipped pack names, in load order */
    size_t npacks;
    struct strarena strings;  /* entry texts a load rewrote (replacements, domains) and
                               * normalised values (owned here, not by each rule) */
    char **texts;             /* the rule and list files as read, each line ended in place:
                               * the rules' entries and examples and the classes' members
                               * point into them rather than into copies */
    size_t ntexts;
    uint64_t textkey[2];      /* a hash of every rule and list file read, in order, with its
                               * layer (guard_cache_text): what the compiled patterns' key
                               * holds of the rules */
    struct guard_entry *allow;   /* [allow] word */
    size_t nallow;
    struct guard_value *domains; /* [allow] domain */
    size_t ndomains;
    struct guard_value *contacts; /* [allow] contact, normalised */
    size_t ncontacts;
    struct guard_value *official; /* official domains: link-domain excepts and [allow] domains */
    size_t nofficial;
    char election_start[11], election_end[11];
    struct phrase_set phrases;
    struct tp_store tp;
    pcre2_match_context *mctx;
    pcre2_code *utf_probe;    /* the empty expression: matching it checks a text's UTF-8 */
    size_t nentries;          /* for GUARD_ENTRIES_MAX */
    struct guard_recache *recache; /* while loading: compiled regex-rule expressions kept */
};

struct sb_stemmer;
struct guard_recache;

/* Everything one check needs. */
struct guard_ctx {
    const struct guard *g;
    const struct guard_input *in;
    bool election;
    uint8_t *active;          /* per rule: runs in this check */
    uint32_t context_categories; /* bit per category that fired on the post */
    struct guard_view draft, context;
    bool has_context;
    struct guard_result *out;
    pcre2_match_data *md;
    struct guard_recands cands; /* scratch for regex rules' places */
    struct sb_stemmer *stemmer; /* made on first use */
    uint8_t *unfinished;      /* per rule: a limit stopped it (reported as an error) */
    bool overflow;            /* more findings than kept */
    struct guard_suggestions fits; /* the patterns the post fits, for `waive`: read once */
    int fits_read;            /* 0 not yet, 1 read, -1 the post could not be read */
};

/* Template variables for messages and fixes. */
struct guard_vars {
    const char *match;
    size_t match_len;
    const char *replacement;
    long count, max, over;
    const char *platform, *unit, *pattern;
    double grade;
};

/* guard_rules.c: reading rule, policy and list files. Problems are appended to *errors as
 * "FILE:LINE: message" lines and counted in *nerrors (reading stops at GUARD_ERRORS_MAX). */

/* Reads every *.rules file in dir, in name order, as shipped packs. Returns 0 or -1. */
int guard_load_dir(struct guard *g, const char *dir, struct buf *errors, size_t *nerrors);
/* Reads one rule file as the given layer; a missing file is fine when missing_ok. */
int guard_load_file(struct guard *g, const char *path, enum guard_layer layer, int missing_ok,
                    struct buf *errors, size_t *nerrors);
/* Returns the guard's own copy of a file name, made once. */
const char *guard_intern(struct guard *g, const char *file);
/* Whether template t uses only known {variables}; else *bad is the first unknown one. */
bool guard_template_valid(const char *t, char **bad);
/* The index of a category name in guard_categories, or -1. */
int guard_category_index(const char *category, size_t len);

/* guard_token.c: spans, tokens, folding. */

/* Starts a view of s[0..len) with nothing found yet. */
void guard_view_init(struct guard_view *v, const char *s, size_t len, enum guard_source src);
/* Frees what a view found. */
void guard_view_free(struct guard_view *v);
/* Finds the spans, then the tokens, of a view. */
void guard_view_tokenize(struct guard_view *v);
/* The text with its spans blanked, padded for PCRE2, made once. */
const char *guard_view_masked(struct guard_view *v);
/* The text padded for PCRE2, made once. */
const char *guard_view_raw(struct guard_view *v);
/* Folds s[0..len) (lowercase, accents stripped) into out; returns the bytes written. */
size_t guard_fold(const char *s, size_t len, char *out, size_t cap);
/* Whether s[0..len) is one word token as texts are tokenised, folding by lowercasing alone:
 * ASCII letters and digits, with straight apostrophes between letters (under 64 bytes). Such a
 * word needs no tokenising to be added to a matcher. */
bool guard_plain_word(const char *s, size_t len);
/* Whether s[0..len) is a contraction typed without its apostrophe ("wasnt"), which the
 * tokeniser reads as the contraction (so it is no plain word to a matcher). */
bool guard_unapostrophed(const char *s, size_t len);
/* FNV-1a of s[0..len), never 0. */
uint32_t guard_hash(const char *s, size_t len);
/* Decodes the code point at s[pos] into *cp (-1 for broken UTF-8); returns its length. */
size_t guard_utf8_next(const char *s, size_t len, size_t pos, int32_t *cp);

/* guard_phrase.c: the merged phrase matcher. */

/* Checks a phrase and adds its tokens to set (*tok the first, *ntok of them), for
 * guard_phrase_push; returns 0, or -1 with *err saying what is wrong (nothing added). The
 * loader checks each phrase so as it is read, and the tokens wait for the rules' compiling. */
int guard_phrase_tokens(struct phrase_set *set, const char *text, uint32_t *tok, uint16_t *ntok,
                        char **err);
/* Adds a phrase for rule with flags whose tokens guard_phrase_tokens added to set. */
void guard_phrase_push(struct phrase_set *set, uint32_t tok, uint16_t ntok, uint32_t rule,
                       uint16_t flags, const char *replacement);
/* Adds a phrase for rule with flags (guard_phrase_tokens, then guard_phrase_push); returns 0,
 * or -1 with *err saying what is wrong. */
int guard_phrase_add(struct phrase_set *set, const char *text, uint32_t rule, uint16_t flags,
                     const char *replacement, char **err);
/* Builds the lookup tables once every phrase is added. */
void guard_phrase_build(struct phrase_set *set);
/* Frees a matcher. */
void guard_phrase_free(struct phrase_set *set);
/* Records in v->hits every phrase of a rule in force that matches the view. */
void guard_phrase_scan(const struct guard_ctx *c, struct guard_view *v);
/* Whether token t is a one-word match (or, with except, except or allow) entry of rule. */
bool guard_phrase_token_listed(const struct guard *g, uint32_t rule,
                               const struct guard_view *v, const struct guard_tok *t,
                               bool except);

/* guard_pii.c: personal-data scanners. */

/* Finds the personal data in a view once (v->pii, by start). */
void guard_pii_scan(const struct guard *g, struct guard_view *v);
/* Whether the folded token t of v equals one of the n words. */
bool guard_tok_in(const struct guard_view *v, const struct guard_tok *t,
                  const struct guard_word *words, size_t n);
/* Writes the ASCII letters (lowercased) and digits of s into out; returns how many. */
size_t guard_normalise(const char *s, size_t len, char *out, size_t cap);
/* Whether n digits pass the Luhn check. */
bool guard_luhn_valid(const char *digits, size_t n);
/* Whether two letters may start a National Insurance number. */
bool guard_nino_prefix_valid(char a, char b);
/* Rewrites a normalised UK number given with +44 or 0044 in its national form (07...). */
void guard_canon_phone(char *norm);
/* Whether a match is one of the office's allowed contacts ([allow] contact). */
bool guard_contact_allowed(const struct guard *g, const struct pii_match *m, bool with_user);
/* Whether the view gives a UK service line (03, 08). */
bool guard_has_service_number(const struct guard_view *v);

/* guard_links.c: hosts and the link rules. */

/* Whether host is official (an allow-listed domain or its subdomain). */
bool guard_host_official(const struct guard *g, const char *host, size_t len, bool with_user);
/* Whether host is in list, as itself or a subdomain ("*.x": subdomains only). */
bool guard_host_in(const struct guard_value *list, size_t n, const char *host, size_t len,
                   bool with_user);
/* The index of the span holding byte pos of v, or -1. */
long guard_span_at(const struct guard_view *v, size_t pos);
/* Runs a link rule over the view's links. */
void guard_run_link(struct guard_ctx *c, const struct guard_rule *r, struct guard_view *v);
/* Runs an expect rule: fires when the draft lacks what it needs. */
void guard_run_expect(struct guard_ctx *c, const struct guard_rule *r, struct guard_view *v);

/* guard_length.c: platform limits. */

/* Runs a length rule when the check is for its platform. */
void guard_run_length(struct guard_ctx *c, const struct guard_rule *r, struct guard_view *v);
/* The grapheme clusters in s[0..len). */
long guard_count_graphemes(const char *s, size_t len);

/* platform_length.c: the one length counter (model/platform.h), on a tokenized view. */

struct platform;
/* Where the counted text of s[0..len) starts and ends: without surrounding blank space. */
void platform_length_trim(const char *s, size_t len, size_t *from, size_t *to);
/* Counts v->s[from..to) as p counts it (NULL: every character), a link as url_chars (0: p's
 * own), and sets *over_at to the byte where the count first exceeds max (to when it does
 * not). */
long platform_length_view(const struct platform *p, const struct guard_view *v, size_t from,
                          size_t to, long url_chars, long max, size_t *over_at);

/* guard_metric.c: sentences, reading grade, capitals. */

/* Runs a metric rule (sentence length or reading grade). */
void guard_run_metric(struct guard_ctx *c, const struct guard_rule *r, struct guard_view *v);
/* Runs a caps rule (shouting). */
void guard_run_caps(struct guard_ctx *c, const struct guard_rule *r, struct guard_view *v);
/* The syllables of a folded English word, by vowel groups (at least 1). */
int guard_syllables(const char *word, size_t len);

/* guard_regex.c: PCRE2. */

/* Compiles a pattern (UTF, Unicode properties, caseless unless case_sensitive, JIT when it
 * can); returns NULL with *err saying what is wrong. */
pcre2_code *guard_regex_compile(const char *pattern, bool case_sensitive, char **err);
/* As guard_regex_compile, with JIT only when jit is true (worth its compile time for patterns
 * run over whole texts, not for those run on single words). */
pcre2_code *guard_regex_compile_jit(const char *pattern, bool case_sensitive, bool jit,
                                    char **err);
/* As guard_regex_compile_jit without JIT, for subjects known to be valid UTF-8 (matched with
 * PCRE2_NO_UTF_CHECK): quicker than code that tolerates broken UTF-8, and finding the same
 * matches in valid text. Regex rules are compiled so. */
pcre2_code *guard_regex_compile_valid(const char *pattern, bool case_sensitive, char **err);
/* The empty expression, for guard_regex_utf_valid. */
pcre2_code *guard_regex_utf_probe(void);
/* Whether s[0..len) is valid UTF-8, as PCRE2 judges it (probe from guard_regex_utf_probe; md
 * is any match data). */
bool guard_regex_utf_valid(const pcre2_code *probe, const char *s, size_t len,
                           pcre2_match_data *md);
/* guard_relead.c: reads the leads of an expression into out (kind RELEAD_NONE when it has
 * none or nested is true). */
void guard_relead_find(const char *pattern, bool case_sensitive, bool nested,
                       struct guard_relead *out);
/* Makes the index of a view's text s (len bytes), which must outlive it. */
struct guard_reindex *guard_reindex_new(const char *s, size_t len);
/* The places of subject s (len bytes, made from the text of index x; subject 0 masked, 1 raw)
 * where a match can start, in order (in c, or kept in x); NULL when the expression must be
 * tried everywhere. */
const struct guard_recands *guard_relead_places(const struct guard_relead *lead,
                                                struct guard_reindex *x, int subject,
                                                const char *s, size_t len,
                                                struct guard_recands *c);
/* Frees an index (NULL is fine). */
void guard_reindex_free(struct guard_reindex *x);
/* Runs a regex rule over the view. */
void guard_run_regex(struct guard_ctx *c, const struct guard_rule *r, struct guard_view *v);

/* guard_tokpat.c: token patterns. */

/* Adds a [class NAME] member (checked already); its text is e's, which must live as long as g
 * (a file's text the guard keeps). */
void guard_tokpat_class_add(struct guard *g, const char *name, const struct guard_entry *e);
/* Compiles classes and the patterns of every pattern rule, then the index. Problems (unknown
 * classes, loops) are appended to errors; returns their count. With cache_dir, takes the
 * compiled patterns from its cache file when that is current, and writes one when not. */
size_t guard_tokpat_compile(struct guard *g, const char *cache_dir, struct buf *errors);
/* Frees the store. */
void guard_tokpat_free(struct tp_store *s);
/* Records in v->tphits every pattern of a rule in force that matches the view. */
void guard_tokpat_scan(struct guard_ctx *c, struct guard_view *v);
/* Runs a pattern rule from the view's hits. */
void guard_run_pattern(struct guard_ctx *c, const struct guard_rule *r, struct guard_view *v);

/* guard_cache.c: compiled token patterns kept between loads. */

/* Fills g's token-pattern store (classes read, nothing compiled yet) from dir's cache file
 * for exactly these patterns, this program and its libraries. Returns false, changing
 * nothing, when there is none or it is damaged; then compile as usual. */
bool guard_cache_load(struct guard *g, const char *dir);
/* Packs what the check reads from the store: the required-word sets (reqbits, reqstart) and
 * where open patterns can start (openstart); makes room for the alternatives' first words
 * (altfirst, made with altbloom, altmask and altsecond as a check first needs them). */
void guard_tokpat_pack(struct tp_store *s);
/* Whether the packed required-word sets read from a cache hold together with s's entries:
 * every set within reqbits, of at most TP_REQ_WORDS words, each a bit of a text's filter. */
bool guard_tokpat_reqs_valid(const struct tp_store *s);
/* Mixes a rule or list file's text (len bytes, as read, before it is parsed) and its layer
 * into g->textkey, the part of the compiled patterns' key that the rules make. */
void guard_cache_text(struct guard *g, const char *text, size_t len, enum guard_layer layer);
/* Writes g's compiled store to dir's cache file (creating dir), replacing older ones. A
 * failure is ignored: the cache only saves time. */
void guard_cache_save(const struct guard *g, const char *dir);
/* Opens dir's file of compiled regex-rule expressions for one load (NULL dir: none, and NULL
 * is returned). */
struct guard_recache *guard_recache_open(const char *dir);
/* Compiles a regex rule's expression as guard_regex_compile_valid(pattern, case_sensitive,
 * err) does, taking the code from c's file when it holds this very text and case. */
pcre2_code *guard_recache_compile(struct guard_recache *c, const char *pattern,
                                  bool case_sensitive, char **err);
/* Ends the load: when it loaded and compiled an expression the file lacked, writes the file
 * again; frees c (NULL is fine). */
void guard_recache_close(struct guard_recache *c, bool loaded);
/* Where the alternatives of a group or class node are: alts[*alt .. *alt + *nalt). */
void tp_node_alts(const struct tp_store *s, const struct tp_node *n, uint32_t *alt,
                  uint32_t *nalt);
/* The word set of a group or class node: sets[*set .. *set + *nset) (0 when it has none). */
void tp_node_set(const struct tp_store *s, const struct tp_node *n, uint32_t *set,
                 uint32_t *nset);

/* guard_tokfollow.c: notes, for each pattern, what its second word may be (s->follow, the
 * entries' follow), once the sets are made. */
void guard_tokfollow_build(struct tp_store *s);

/* guard_model.c: word-model rules. */
struct guard_lexmodel *guard_lexmodel_new(const char *path);
void guard_lexmodel_free(struct guard_lexmodel *m);
const char *guard_lexmodel_path(const struct guard_lexmodel *m);
void guard_run_model(struct guard_ctx *c, const struct guard_rule *r, struct guard_view *v);
/* Frees a view's words for the word models (NULL is fine). */
void guard_modelwords_free(struct guard_modelwords *w);
/* Reports a rule that could not be evaluated as an error finding (fail closed). */
void guard_emit_unfinished(struct guard_ctx *c, const struct guard_rule *r,
                           const struct guard_view *v, const char *why);

/* guard.c: a check's views and what it holds. */

/* Prepares view v of a check: its tokens, then each matcher's scan (every rule that reads v
 * needs them). */
void guard_view_prepare(struct guard_ctx *c, struct guard_view *v);
/* Frees what a check's context holds: both views, the match data, the stemmer and the flags. */
void guard_ctx_release(struct guard_ctx *c);

/* guard_suggest.c: whether suggest rule id matches post (for its examples). */
bool guard_suggest_rule_matches(const struct guard *g, const char *rule, const char *post);

/* guard.c: emitting findings. */

/* Adds a finding of rule r on [start, end) of v at its level (its election level when that
 * is stricter and the period is on). vars fill the message and fix; NULL is fine. */
void guard_emit(struct guard_ctx *c, const struct guard_rule *r, const struct guard_view *v,
                size_t start, size_t end, const struct guard_vars *vars);
/* As guard_emit, at severity sev. */
void guard_emit_severity(struct guard_ctx *c, const struct guard_rule *r,
                         const struct guard_view *v, size_t start, size_t end,
                         const struct guard_vars *vars, enum guard_severity sev);
/* Whether suppressor hit h silences r: an except phrase of r, or (with allow_words) an
 * [allow] word that applies to r. */
bool guard_hit_silences(const struct guard_ctx *c, const struct guard_rule *r,
                        const struct guard_hit *h, bool allow_words);
/* Whether an except phrase of r (or, with allow_words, an [allow] word that applies to r)
 * overlaps [start, end) of v. */
bool guard_suppressed(const struct guard_ctx *c, const struct guard_rule *r,
                      const struct guard_view *v, size_t start, size_t end, bool allow_words);
/* Whether r reads v (the draft or the post being answered). */
bool guard_rule_applies(const struct guard_rule *r, const struct guard_view *v);
/* Runs rule r over view v by its kind, adding what it finds to c->out. */
void guard_run_rule(struct guard_ctx *c, const struct guard_rule *r, struct guard_view *v);
/* Whether r is a suggest rule (category suggest), which guard_check leaves out. */
bool guard_rule_suggests(const struct guard_rule *r);
/* guard_suggest without its cut to the best GUARD_SUGGEST_MAX: every pattern the suggest rules
 * propose for the post (an expect rule's `waive` asks whether one is among them at all). */
int guard_suggest_all(const struct guard *g, const char *post, size_t len,
                      struct guard_suggestions *out, char **err);

#endif
