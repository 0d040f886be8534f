/* parser.c - the dependency parser: greedy arc-hybrid transitions, averaged perceptron. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* ==================================================================== design
 *
 * Transitions (arc-hybrid, Kuhlmann et al. 2011) over a stack and a buffer; the buffer ends
 * with an artificial ROOT token (index n + 1):
 *   SHIFT  push the buffer front b0
 *   LEFT   b0 becomes the head of the stack top s0, pop s0 (onto ROOT only when s0 is alone)
 *   RIGHT  s1 becomes the head of s0, pop s0
 * Every token is popped exactly once, by an arc, so the result is always one projective tree
 * with exactly one token attached to ROOT.
 *
 * Two linear classifiers: one picks the transition (3 classes), the other the relation of each
 * arc when it is made (the dependent is complete at that moment).  Features are hashed to 64
 * bits (template id + atoms) and looked up in tables stored in the model:
 *   "parse.cfg"    struct pcfg: versions, relation ids, table sizes
 *   "parse.thot"   tbucket[hot_buckets]: the transition features looked up most often
 *   "parse.trans"  tbucket[trans_buckets]: the other transition features
 *   "parse.tfilt"  u64[filter_words]: a filter of the features of "parse.trans"
 *   "parse.lslot"  lslot[label_slots]: 32-bit fingerprint + byte offset of a row (open
 *                  addressing, linear probing)
 *   "parse.lrows"  sparse rows, 2-byte aligned: u8 nnz, u8 0, int16 weight[nnz],
 *                  u8 class[nnz] (padded to an even length): 4 classes on average
 * The transition classifier does most of the look-ups (90 features per decision), and
 * its tables are laid out for the cache: a bucket is one 64-byte line of 7 features (16-bit
 * fingerprint + 3 int16 weights each) and a `more` flag; a feature lives in its home bucket
 * unless that was full, so a look-up, found or not, usually reads one line.  When the model
 * is trained, the exported parser parses its training corpus and counts the look-ups of each
 * feature: the most frequent go to the hot table ("parse.thot", 1 MB, the size of a core's L2
 * cache; on EWT test it holds 9 in 10 of the features found, 7 in 10 of all look-ups), the
 * rest to the cold one.  A feature the hot table lacks is checked in "parse.tfilt", a Bloom
 * filter of the cold table (8 bits per feature, blocked by 64-bit words), and only the ones
 * it lets through (most absent features are not) read the cold table.  Every step branches
 * on what it loads, so the lines are prefetched a step ahead.  The layout does not change
 * any weight, only which table holds a feature.
 * Besides words and tags, features see the tagger's close second tag of a token (tag2: the
 * tagger's hedge, so that a likely tagging error does not mislead the parser), the universal
 * tags alone, and how many verbs and punctuation marks lie between s1, s0 and b0.
 * The time of a decision grows with its look-ups, so the templates are few: 90 for the
 * transition, 25 for the relation (feature set 9).  They are what was left of 123 and 43
 * after dropping those whose absence cost the development set nothing (each template masked
 * in turn at run time, then the model retrained without the ones dropped): the parser is 1.4
 * times as fast for about half a point of test UAS and LAS (models/README.md).
 * Training: averaged perceptron with the dynamic oracle of Goldberg & Nivre (2013) and
 * exploration of the model's own errors; non-projective gold trees are projectivised by
 * lifting arcs.  The parser learns from each sentence with the tags of a jackknifed tagger
 * and with the gold tags; two perceptrons trained in different orders are mixed (their
 * averaged weights summed), then pruned and quantised to int16.  The tables are
 * little-endian and used in place (the host must be little-endian). */

#define PARSER_FORMAT 3u      /* layout of the sections */
#define FEATSET 9u            /* the feature templates below: bump when they change */
#define NTRANS 3
enum { T_SHIFT = 0, T_LEFT = 1, T_RIGHT = 2 };
#define MAX_LABELS 64
#define MAX_TF 96             /* transition features (90); also holds a relation's */
#define JACKKNIFE_FOLDS 5     /* the parser learns from tags predicted by fold taggers */
#define FOLD_TAGGER_EPOCHS 6
#define DEFAULT_EPOCHS 10
#define MAX_RUNS 4
#define MIXED_RUNS 2          /* perceptrons mixed into the parser trained on predicted tags */
/* Features whose averaged weights all stay below this (in perceptron updates) are dropped
 * from the model: on UD English EWT this halves the tables for < 0.1 point of accuracy. */
#define PRUNE_BELOW 1.0
#define PRUNE_LABELS_BELOW 0.5
#define LSTRIDE 56            /* the most relation classes (scores per arc) */
#define MAX_LF 32             /* relation features (25) */

typedef struct pcfg {
    uint32_t format;
    uint32_t featset;
    uint32_t nlabels;       /* classes of the relation classifier */
    uint32_t label_stride;  /* LSTRIDE: the most classes */
    uint32_t trans_buckets; /* of "parse.trans" (the cold table) */
    uint32_t hot_buckets;   /* of "parse.thot" */
    uint32_t filter_words;  /* of "parse.tfilt" */
    uint32_t label_slots;
    uint32_t label_pool;    /* bytes of "parse.lrows" */
    uint32_t root_label;    /* relation id of the ROOT arc */
    uint16_t label_ids[MAX_LABELS];  /* class -> relation id (dyad_deprel_name) */
} pcfg;

/* A bucket of the transition tables: one 64-byte cache line holding up to TB_WAYS features.
 * A feature lives in its home bucket or, when that is full, in the first later bucket with
 * room (wrapping around); `more` marks a full bucket that a feature passed by, so a look-up
 * of an absent feature ends at its home bucket unless that is set. */
#define TB_WAYS 7
typedef struct tbucket {
    uint16_t fp[TB_WAYS];   /* 0: empty */
    uint16_t more;          /* 1: a feature that came here lies further on */
    int16_t w[TB_WAYS][NTRANS];
    uint16_t pad[3];
} tbucket;
_Static_assert(sizeof(tbucket) == 64, "a transition bucket is one cache line");

typedef struct lslot {
    uint32_t fp;            /* 0: empty */
    uint32_t row;
} lslot;

struct dyad_parser {
    pcfg cfg;
    const tbucket *hot, *cold;
    const uint64_t *filter;
    const lslot *lslots;
    const unsigned char *lrows;
};

/* ==================================================================== hashing */

static inline uint64_t hmix(uint64_t h, uint64_t v)
{
    h = (h ^ v) * 0xff51afd7ed558ccdull;
    return h ^ (h >> 32);
}

static inline uint64_t hfin(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return h;
}

static inline uint64_t tid(unsigned id) { return (uint64_t)(id + 1) * 0x9e3779b97f4a7c15ull; }

static inline uint32_t slot_of(uint64_t h, uint32_t n)
{
    return (uint32_t)(((h & 0xffffffffull) * n) >> 32);
}
static inline uint16_t tfp(uint64_t h)
{
    uint16_t f = (uint16_t)(h >> 48);
    return f ? f : 1;
}
/* The filter of the cold table, a Bloom filter blocked by words: each feature sets
 * FILTER_BITS bits of one 64-bit word (FILTER_KEY_BITS bits of filter per feature); a
 * feature some of whose bits are clear is not in the table.  The word and the bits come from
 * a remix of the key, independent of its bucket and fingerprint. */
#define FILTER_BITS 4
static inline uint64_t filter_mix(uint64_t h)
{
    h *= 0x9e3779b97f4a7c15ull;
    return h ^ (h >> 29);
}
static inline uint64_t filter_mask(uint64_t g)
{
    uint64_t m = 0;
    for (int k = 0; k < FILTER_BITS; k++)
        m |= 1ull << (g >> (40 + 6 * k) & 63);
    return m;
}

static inline uint32_t lfp(uint64_t h)
{
    uint32_t f = (uint32_t)(h >> 32);
    return f ? f : 1;
}

/* Hash of a word form, ASCII letters folded to lower case and digits to 0. */
static uint64_t word_hash(dyad_slice s)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.ptr[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c + 32);
        else if (c >= '0' && c <= '9')
            c = '0';
        h = (h ^ c) * 0x100000001b3ull;
    }
    return hfin(h ^ s.len);
}

/* Hash of the last three bytes of a word, folded like word_hash. */
static uint64_t suffix_hash(dyad_slice s)
{
    size_t k = s.len > 3 ? s.len - 3 : 0;
    return word_hash(dyad__slice(s.ptr + k, s.len - k)) ^ 0x5f5f5f5full;
}

#define W_NONE 0x6e6f6e65ull
#define W_ROOT 0x726f6f74ull
#define T_NONE 0xfffeu
#define T_ROOTTAG 0xffffu

static inline uint32_t tag_atom(const dyad_token *t)
{
    return (uint32_t)t->xpos << 5 | (t->upos & 31u);
}

/* ==================================================================== parser state */

/* Arrays indexed by token: 0 is "none", 1..n the words, n + 1 ROOT. */
typedef struct pstate {
    int n;
    int sp;                /* stack size */
    int b;                 /* buffer front: the buffer is b..n+1 */
    int32_t *stack;
    int32_t *head, *lab;   /* lab: class index + 1 (0: none) */
    int32_t *lc1, *lc2, *rc1, *rc2;
    int32_t *nl, *nr;
    int32_t *cv, *cp;      /* verbs / punctuation marks among tokens 1..i */
    uint64_t *ls, *rs;     /* sets of relation classes of left / right children */
    uint64_t *w;
    uint64_t *x;           /* word suffix (last three bytes, folded) */
    uint32_t *t;
    uint32_t *a;           /* the tagger's close second tag (tag_atom layout; 0: none) */
} pstate;

static size_t state_bytes(size_t n)
{
    return (n + 2) * (11 * sizeof(int32_t) + 4 * sizeof(uint64_t) + 2 * sizeof(uint32_t)) + 64;
}

/* Lay the state out in buf (state_bytes(n) bytes, 8-aligned). */
static void state_init(pstate *s, void *buf, int n)
{
    size_t m = (size_t)n + 2;
    uint64_t *q = buf;
    s->ls = q;
    s->rs = q + m;
    s->w = q + 2 * m;
    s->x = q + 3 * m;
    int32_t *p = (int32_t *)(q + 4 * m);
    s->stack = p;
    s->head = p + m;
    s->lab = p + 2 * m;
    s->lc1 = p + 3 * m;
    s->lc2 = p + 4 * m;
    s->rc1 = p + 5 * m;
    s->rc2 = p + 6 * m;
    s->nl = p + 7 * m;
    s->nr = p + 8 * m;
    s->cv = p + 9 * m;
    s->cp = p + 10 * m;
    s->t = (uint32_t *)(p + 11 * m);
    s->a = s->t + m;
    s->a[0] = s->a[n + 1] = 0;
    memset(s->ls, 0, 2 * m * sizeof(uint64_t));
    memset(s->head, 0, 8 * m * sizeof(int32_t));
    s->n = n;
    s->sp = 0;
    s->b = 1;
    s->w[0] = W_NONE;
    s->x[0] = W_NONE;
    s->t[0] = T_NONE;
    s->x[n + 1] = W_ROOT;
    s->w[n + 1] = W_ROOT;
    s->t[n + 1] = T_ROOTTAG;
    for (size_t i = 0; i < m; i++)
        s->head[i] = -1;
    s->head[0] = 0;
}

/* Prefix counts of verbs and punctuation, once the tags are in s->t. */
static void count_atoms(pstate *s)
{
    s->cv[0] = s->cp[0] = 0;
    for (int i = 1; i <= s->n; i++) {
        uint32_t u = s->t[i] & 31u;
        s->cv[i] = s->cv[i - 1] + (u == DYAD_UPOS_VERB);
        s->cp[i] = s->cp[i - 1] + (u == DYAD_UPOS_PUNCT);
    }
    s->cv[s->n + 1] = s->cv[s->n];
    s->cp[s->n + 1] = s->cp[s->n];
}

static inline bool legal(const pstate *s, int tr)
{
    switch (tr) {
    case T_SHIFT: return s->b <= s->n;
    case T_LEFT: return s->sp >= 1 && (s->b <= s->n || s->sp == 1);
    default: return s->sp >= 2;
    }
}

static inline bool terminal(const pstate *s) { return s->sp == 0 && s->b > s->n; }

static void add_arc(pstate *s, int h, int d, int lab)
{
    s->head[d] = h;
    s->lab[d] = lab;
    if (d < h) {
        if (!s->lc1[h] || d < s->lc1[h]) {
            s->lc2[h] = s->lc1[h];
            s->lc1[h] = d;
        } else if (!s->lc2[h] || d < s->lc2[h]) {
            s->lc2[h] = d;
        }
        s->nl[h]++;
        if (lab > 0)
            s->ls[h] |= 1ull << ((lab - 1) & 63);
    } else {
        if (!s->rc1[h] || d > s->rc1[h]) {
            s->rc2[h] = s->rc1[h];
            s->rc1[h] = d;
        } else if (!s->rc2[h] || d > s->rc2[h]) {
            s->rc2[h] = d;
        }
        s->nr[h]++;
        if (lab > 0)
            s->rs[h] |= 1ull << ((lab - 1) & 63);
    }
}

/* The head and the dependent of the arc transition tr. */
static inline void arc_of(const pstate *s, int tr, int *h, int *d)
{
    *d = s->stack[s->sp - 1];
    *h = tr == T_LEFT ? s->b : s->stack[s->sp - 2];
}

static void apply(pstate *s, int tr, int lab)
{
    if (tr == T_SHIFT) {
        s->stack[s->sp++] = s->b++;
        return;
    }
    int h, d;
    arc_of(s, tr, &h, &d);
    add_arc(s, h, d, lab);
    s->sp--;
}

/* ==================================================================== features */

static inline int bucket(int d)
{
    if (d < 0)
        d = -d;
    return d <= 5 ? d : d <= 7 ? 6 : d <= 10 ? 7 : d <= 15 ? 8 : 9;
}
static inline uint64_t cap7(int v) { return (uint64_t)(v < 7 ? v : 7); }
static inline uint64_t cap3(int v) { return (uint64_t)(v < 3 ? v : 3); }

#define F1(a) (f[k] = hfin(hmix(tid(k), (a))), k++)
#define F2(a, b) (f[k] = hfin(hmix(hmix(tid(k), (a)), (b))), k++)
#define F3(a, b, c) (f[k] = hfin(hmix(hmix(hmix(tid(k), (a)), (b)), (c))), k++)
#define WT(i) (s->w[i] ^ ((uint64_t)s->t[i] << 47))

/* Features of the transition decision; returns their count. */
static int trans_feats(const pstate *s, uint64_t *f)
{
    int k = 0;
    int sp = s->sp, n1 = s->n + 1;
    int s0 = sp > 0 ? s->stack[sp - 1] : 0;
    int s1 = sp > 1 ? s->stack[sp - 2] : 0;
    int s2 = sp > 2 ? s->stack[sp - 3] : 0;
    int b0 = s->b <= n1 ? s->b : 0;
    int b1 = s->b + 1 <= n1 ? s->b + 1 : 0;
    int b2 = s->b + 2 <= n1 ? s->b + 2 : 0;
    int s0l = s->lc1[s0], s0r = s->rc1[s0], s0l2 = s->lc2[s0], s0r2 = s->rc2[s0];
    int s1l = s->lc1[s1], s1r = s->rc1[s1];
    int b0l = s->lc1[b0], b0l2 = s->lc2[b0];
    uint64_t s0w = s->w[s0], s1w = s->w[s1], s2w = s->w[s2], b0w = s->w[b0], b2w = s->w[b2];
    uint64_t s0t = s->t[s0], s1t = s->t[s1], s2t = s->t[s2], b0t = s->t[b0], b1t = s->t[b1],
             b2t = s->t[b2];
    uint64_t s0wt = WT(s0), s1wt = WT(s1), b0wt = WT(b0), b1wt = WT(b1);
    uint64_t d1 = (uint64_t)(s0 && b0 ? bucket(b0 - s0) : 0);
    uint64_t d2 = (uint64_t)(s0 && s1 ? bucket(s0 - s1) : 0);

    /* words and tags */
    F1(s0w); F1(s0wt);
    F1(s1w); F1(s1t); F1(s1wt);
    F1(s2w); F1(s2t);
    F1(b0t); F1(b1t); F1(b1wt); F1(b2w);
    F1(s->x[s0]); F1(s->x[s1]); F1(s->x[b0]); F2(s->x[s1], s0t);
    /* s0 with b0 */
    F2(s0wt, b0wt); F2(s0w, b0wt);
    F2(s0w, b0w); F2(s0t, b0t);
    /* s1 with s0 */
    F2(s1wt, s0wt); F2(s1w, s0wt); F2(s1wt, s0t);
    F2(s1t, s0t);
    F2(b0t, b1t);
    /* tag triples */
    F3(s0t, b0t, b1t); F3(s1t, s0t, b0t); F3(s2t, s1t, s0t);
    F3(s0t, s->t[s0l], b0t); F3(s0t, b0t, s->t[b0l]);
    F3(s1t, s->t[s1l], s0t); F3(s1t, s0t, s->t[s0l]);
    F3(s1t, s0t, s->t[s0r]);
    F3(s1t, s0t, b1t); F3(s0w, b0t, b1t); F2(s1w, b0w);
    /* universal tags alone: the parser's fallback when the Penn tag is wrong (NN / NNP,
     * VBD / VBN) */
    uint64_t s0u = s0t & 31u, b0u = b0t & 31u, b1u = b1t & 31u,
             b3t = s->t[s->b + 3 <= n1 ? s->b + 3 : 0];
    F2(s0u, b0u); F3(s0u, b0u, b1u); F2(s0w, b0u); F2(s0u, b0w);
    F3(b1t, b2t, b3t);
    /* the tagger's hedges: a token's tag with its close second */
    uint64_t as0 = s->a[s0], as1 = s->a[s1], ab0 = s->a[b0], ab1 = s->a[b1];
    F2(s0t, as0); F2(b0t, ab0); F2(s1t, as1); F2(b1t, ab1);
    F3(s0t, b0t, ab0);
    /* distance */
    F2(s0w, d1); F2(s0t, d1); F2(b0t, d1); F3(s0w, b0w, d1); F3(s0t, b0t, d1);
    F2(s1w, d2); F2(s1t, d2);
    /* valency */
    F2(s0w, cap7(s->nl[s0])); F2(s0t, cap7(s->nl[s0])); F2(s0w, cap7(s->nr[s0]));
    F2(s0t, cap7(s->nr[s0])); F2(s1t, cap7(s->nr[s1])); F2(b0t, cap7(s->nl[b0]));
    /* children */
    F1(s->w[s0l]); F1(s->t[s0l]); F1((uint64_t)s->lab[s0l]);
    F1(s->w[s0r]); F1(s->t[s0r]); F1((uint64_t)s->lab[s0r]);
    F1((uint64_t)s->lab[s1l]);
    F1(s->w[s1r]); F1((uint64_t)s->lab[s1r]);
    F1(s->w[b0l]); F1(s->t[b0l]); F1((uint64_t)s->lab[b0l]);
    F1(s->t[s0l2]); F1((uint64_t)s->lab[s0l2]);
    F1(s->t[s0r2]); F1((uint64_t)s->lab[s0r2]);
    F1(s->t[b0l2]);
    F3(s0t, s->t[s0r], s->t[s0r2]); F3(b0t, s->t[b0l], s->t[b0l2]);
    F2(s0t, (uint64_t)s->lab[s0r]);
    F2(s1t, (uint64_t)s->lab[s1r]); F2(b0t, (uint64_t)s->lab[b0l]);
    /* sets of relations of the children */
    F2(s0w, s->ls[s0]); F2(s0w, s->rs[s0]); F2(s0t, s->rs[s0]);
    F2(s1w, s->rs[s1]); F2(s1t, s->rs[s1]);
    F2(b0t, s->ls[b0]);
    /* what lies between: verbs and punctuation between s0 and b0, and between s1 and s0
     * (7: no such pair) */
    uint64_t vb = 7, pb = 7, vs = 7, ps = 7;
    if (s0 && b0) {
        vb = cap3(s->cv[b0 - 1] - s->cv[s0]);
        pb = cap3(s->cp[b0 - 1] - s->cp[s0]);
    }
    if (s1 && s0) {
        vs = cap3(s->cv[s0 - 1] - s->cv[s1]);
        ps = cap3(s->cp[s0 - 1] - s->cp[s1]);
    }
    F3(s0t, b0t, pb); F3(s0w, b0t, vb | pb << 3);
    F3(s1t, s0t, vs); F3(s1w, s0t, vs | ps << 3);
    return k;
}

/* Features of the relation of the arc h -> d (d = s0, complete). */
static int label_feats(const pstate *s, int h, int d, uint64_t *f)
{
    int k = 0;
    uint64_t dir = d < h ? 0x100 : 0x200;
    int n1 = s->n + 1;
    uint64_t dw = s->w[d], dt = s->t[d] | dir << 16, hw = s->w[h], ht = s->t[h];
    uint64_t dwt = WT(d) ^ dir, hwt = WT(h);
    uint64_t dist = (uint64_t)bucket(h - d);
    int dl = s->lc1[d], hl = s->lc1[h];
    uint64_t dpt = s->t[d - 1 >= 0 ? d - 1 : 0], dnt = s->t[d + 1 <= n1 ? d + 1 : 0];
    uint64_t hpt = s->t[h - 1], hnt = s->t[h + 1 <= n1 ? h + 1 : 0];
    uint64_t dll = (uint64_t)s->lab[dl];

    F1(dw ^ dir); F1(dt); F1(dwt);
    F2(hw, dir); F2(ht, dir); F2(hwt, dir);
    F2(dt, hw); F2(dw ^ dir, hw); F3(dt, ht, dist);
    F2(dt, dll); F2(dt, s->ls[d]); F1(s->ls[d] ^ dir);
    F2(dt, s->w[dl]); F3(dt, ht, s->w[dl]); F3(dt, ht, s->t[dl]); F3(dt, s->w[dl], dll);
    F2(ht ^ dir << 16, s->rs[h]); F3(ht, dt, s->ls[h]); F3(ht, dt, (uint64_t)s->lab[hl]);
    F2(dt, dnt); F3(dpt, dt, dnt);
    F3(ht, hpt, dir); F3(ht, hnt, dir);
    F3(dw ^ dir, hw, dist);
    F3(dt, ht, s->a[h]);
    return k;
}

#undef F1
#undef F2
#undef F3
#undef WT

/* ==================================================================== run time */

/* The slot of fingerprint fp in bucket b, or -1. */
static inline int tb_match(const tbucket *b, uint16_t fp)
{
#if defined(__SSE2__)
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)b->fp);
    unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi16(v, _mm_set1_epi16((short)fp)));
    m &= (1u << (2 * TB_WAYS)) - 1;   /* not the `more` lane */
    return m ? __builtin_ctz(m) >> 1 : -1;
#else
    for (int j = 0; j < TB_WAYS; j++)
        if (b->fp[j] == fp)
            return j;
    return -1;
#endif
}

/* The weights of feature h in the bucket table t (nb buckets), or NULL. */
static inline const int16_t *tb_find(const tbucket *t, uint32_t nb, uint64_t h)
{
    uint32_t i = slot_of(h, nb);
    uint16_t fp = tfp(h);
    for (;;) {
        const tbucket *b = &t[i];
        int j = tb_match(b, fp);
        if (j >= 0)
            return b->w[j];
        if (!b->more)
            return NULL;
        if (++i == nb)
            i = 0;
    }
}

static inline const unsigned char *label_find(const struct dyad_parser *p, uint64_t h)
{
    uint32_t n = p->cfg.label_slots, i = slot_of(h, n);
    uint32_t fp = lfp(h);
    for (;;) {
        const lslot *e = &p->lslots[i];
        if (e->fp == fp)
            return p->lrows + e->row;
        if (!e->fp)
            return NULL;
        if (++i == n)
            i = 0;
    }
}

static int predict_trans(const struct dyad_parser *p, const pstate *s, uint64_t *f)
{
    /* forced moves need no scoring: an empty stack, or the buffer down to ROOT */
    if (s->sp == 0)
        return T_SHIFT;
    if (s->b > s->n)
        return s->sp == 1 ? T_LEFT : T_RIGHT;
    int nf = trans_feats(s, f);
    /* the hot table (the features most looked up, small enough to stay in cache) first;
     * the features it lacks that the filter does not rule out go on to the cold table,
     * whose buckets are prefetched as soon as they are known so that the misses overlap */
    uint32_t nh = p->cfg.hot_buckets, nc = p->cfg.trans_buckets, nw = p->cfg.filter_words;
    int32_t sc[NTRANS] = {0, 0, 0};
    /* every step branches on what it reads: the lines are prefetched first, so that no
     * branch waits for a miss */
    for (int i = 0; i < nf; i++) {
        __builtin_prefetch(&p->hot[slot_of(f[i], nh)]);
        __builtin_prefetch(&p->filter[slot_of(filter_mix(f[i]), nw)]);
    }
    int nm = 0;
    for (int i = 0; i < nf; i++) {
        const int16_t *w = tb_find(p->hot, nh, f[i]);
        if (w) {
            sc[0] += w[0];
            sc[1] += w[1];
            sc[2] += w[2];
        } else {
            f[nm++] = f[i];
        }
    }
    int nc2 = 0;
    for (int i = 0; i < nm; i++) {
        uint64_t g = filter_mix(f[i]), m = filter_mask(g);
        if ((p->filter[slot_of(g, nw)] & m) == m) {   /* maybe in the cold table */
            __builtin_prefetch(&p->cold[slot_of(f[i], nc)]);
            f[nc2++] = f[i];
        }
    }
    nm = nc2;
    for (int i = 0; i < nm; i++) {
        const int16_t *w = tb_find(p->cold, nc, f[i]);
        if (w) {
            sc[0] += w[0];
            sc[1] += w[1];
            sc[2] += w[2];
        }
    }
    int best = -1;
    for (int tr = 0; tr < NTRANS; tr++)
        if (legal(s, tr) && (best < 0 || sc[tr] > sc[best]))
            best = tr;
    return best;
}

static int predict_label(const struct dyad_parser *p, const pstate *s, int h, int d, uint64_t *f)
{
    int nf = label_feats(s, h, d, f);
    for (int i = 0; i < nf; i++)
        __builtin_prefetch(&p->lslots[slot_of(f[i], p->cfg.label_slots)]);
    /* find the rows first and prefetch them, then add them up: the row loads overlap */
    const unsigned char *rows[MAX_LF];
    int nr = 0;
    for (int i = 0; i < nf; i++) {
        const unsigned char *r = label_find(p, f[i]);
        if (r) {
            __builtin_prefetch(r);
            rows[nr++] = r;
        }
    }
    int32_t sc[LSTRIDE] = {0};
    for (int i = 0; i < nr; i++) {
        const unsigned char *r = rows[i];
        unsigned nnz = r[0];
        const int16_t *w = (const int16_t *)(const void *)(r + 2);
        const unsigned char *cls = r + 2 + 2 * nnz;
        for (unsigned j = 0; j < nnz; j++)
            sc[cls[j]] += w[j];
    }
    uint32_t best = 0, L = p->cfg.nlabels;
    for (uint32_t c = 1; c < L; c++)
        if (sc[c] > sc[best])
            best = c;
    return (int)best;
}

/* Parse one sentence whose atoms are already in s (state_init done). */
static void parse_state(const struct dyad_parser *p, pstate *s)
{
    uint64_t f[MAX_TF];
    while (!terminal(s)) {
        int tr = predict_trans(p, s, f);
        int lab = 0;
        if (tr != T_SHIFT) {
            int h, d;
            arc_of(s, tr, &h, &d);
            if (h != s->n + 1)
                lab = 1 + predict_label(p, s, h, d, f);
        }
        apply(s, tr, lab);
    }
}

static void fill_atoms(pstate *s, const dyad_token *toks, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        s->w[i + 1] = word_hash(toks[i].form);
        s->x[i + 1] = suffix_hash(toks[i].form);
        s->t[i + 1] = tag_atom(&toks[i]);
        s->a[i + 1] = toks[i].tag2;
    }
    count_atoms(s);
}

static void write_tree(const struct dyad_parser *p, const pstate *s, dyad_token *toks, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int h = s->head[i + 1];
        if (h == (int)n + 1 || h <= 0) {
            toks[i].head = 0;
            toks[i].deprel = (uint16_t)p->cfg.root_label;
        } else {
            toks[i].head = h;
            int lab = s->lab[i + 1];
            toks[i].deprel = lab > 0 ? p->cfg.label_ids[lab - 1] : 0;
        }
    }
}

void dyad__parse(const dyad_model *m, dyad_worker *w, dyad_token *toks, size_t n)
{
    const struct dyad_parser *p = m ? m->parser : NULL;
    if (!n)
        return;
    if (!p || DYAD_GROW(w->parse_buf, w->cap_parse_buf, state_bytes(n))) {
        /* no parser or no memory: a flat tree under the first token keeps the output valid */
        for (size_t i = 0; i < n; i++) {
            toks[i].head = i ? 1 : 0;
            toks[i].deprel = (uint16_t)(i ? dyad_deprel_from_name(dyad__cstr("dep"))
                                          : dyad_deprel_from_name(dyad__cstr("root")));
        }
        return;
    }
    pstate s;
    state_init(&s, w->parse_buf, (int)n);
    fill_atoms(&s, toks, n);
    parse_state(p, &s);
    write_tree(p, &s, toks, n);
    dyad__repair_tree(toks, n);
}

/* ==================================================================== binding */

/* A bucket table is usable when every bucket's `more` is 0 or 1 and one of them is 0 (so
 * that every look-up ends). */
static bool tb_check(const tbucket *t, uint32_t nb)
{
    bool end = false;
    for (uint32_t i = 0; i < nb; i++) {
        if (t[i].more > 1)
            return false;
        end = end || !t[i].more;
    }
    return end;
}

dyad_status dyad__parser_bind(dyad_model *m, dyad_error *err)
{
    size_t ncfg, nt, nh, nls, nlr;
    const void *cfg = dyad__model_section(m, "parse.cfg", &ncfg);
    const void *trans = dyad__model_section(m, "parse.trans", &nt);
    const void *hot = dyad__model_section(m, "parse.thot", &nh);
    size_t nfl;
    const void *filt = dyad__model_section(m, "parse.tfilt", &nfl);
    const void *ls = dyad__model_section(m, "parse.lslot", &nls);
    const void *lr = dyad__model_section(m, "parse.lrows", &nlr);
    m->parser = NULL;
    if (!cfg && !trans && !hot && !filt && !ls && !lr)
        return DYAD_OK;
    dyad__where(err, m->path, 0, 0, dyad__slice("", 0));
    const uint16_t one = 1;
    unsigned char little;
    memcpy(&little, &one, 1);
    if (!little)
        return dyad__fail(err, DYAD_EUNSUPPORTED, "%s: the parser needs a little-endian machine",
                          m->path);
    if (!cfg || ncfg < 8)
        return dyad__fail(err, DYAD_ECORRUPT, "%s: parser sections missing or malformed", m->path);
    pcfg cf;   /* the versions first: another format may have other sections */
    memset(&cf, 0, sizeof cf);
    memcpy(&cf, cfg, ncfg < sizeof cf ? ncfg : sizeof cf);
    if (cf.format != PARSER_FORMAT || cf.featset != FEATSET)
        return dyad__fail(err, DYAD_EVERSION,
                          "%s: parser format %u/%u, this dyad reads %u/%u: retrain the model",
                          m->path, cf.format, cf.featset, PARSER_FORMAT, FEATSET);
    if (ncfg != sizeof(pcfg) || !trans || !hot || !filt || !ls || !lr)
        return dyad__fail(err, DYAD_ECORRUPT, "%s: parser sections missing or malformed", m->path);
    struct dyad_parser *p = calloc(1, sizeof *p);
    if (!p)
        return dyad__fail(err, DYAD_ENOMEM, "out of memory");
    p->cfg = cf;
    const pcfg *c = &p->cfg;
    bool ok = c->nlabels >= 1 && c->nlabels <= LSTRIDE && c->label_stride == LSTRIDE &&
              c->trans_buckets > 0 && c->hot_buckets > 0 && c->label_slots > 0 &&
              nt == (size_t)c->trans_buckets * sizeof(tbucket) &&
              nh == (size_t)c->hot_buckets * sizeof(tbucket) &&
              c->filter_words > 0 && nfl == (size_t)c->filter_words * sizeof(uint64_t) &&
              nls == (size_t)c->label_slots * sizeof(lslot) &&
              nlr == c->label_pool &&
              (int)c->root_label < dyad_deprel_count();
    for (uint32_t i = 0; ok && i < c->nlabels; i++)
        ok = c->label_ids[i] > 0 && (int)c->label_ids[i] < dyad_deprel_count();
    p->cold = trans;
    p->hot = hot;
    p->filter = filt;
    p->lslots = ls;
    p->lrows = lr;
    /* every probe sequence must end: each table needs a bucket that did not spill over, or
     * an empty slot; rows must exist */
    ok = ok && tb_check(p->cold, c->trans_buckets) && tb_check(p->hot, c->hot_buckets);
    bool empty = false;
    /* the rows lie end to end: walk them in order (classes in range), marking where each
     * starts, then check that every slot points at a row start; the walk reads the pool
     * once instead of once per slot at random */
    uint64_t *starts = ok ? calloc(nlr / 128 + 1, sizeof *starts) : NULL;
    ok = ok && starts;
    for (size_t off = 0; ok && off < nlr;) {
        const unsigned char *r = p->lrows + off;
        size_t nnz = r[0], len = (2 + 3 * nnz + 1) & ~(size_t)1;
        if (!nnz || off + 2 + 3 * nnz > nlr) {
            ok = false;
            break;
        }
        for (size_t j = 0; j < nnz; j++)
            ok = ok && r[2 + 2 * nnz + j] < c->nlabels;
        starts[off / 128] |= 1ull << (off / 2 % 64);
        off += len;
    }
    for (uint32_t i = 0; ok && i < c->label_slots; i++) {
        uint32_t off = p->lslots[i].row;
        if (p->lslots[i].fp == 0)
            empty = true;
        else if (off % 2 || off >= nlr || !(starts[off / 128] >> (off / 2 % 64) & 1))
            ok = false;
    }
    free(starts);
    if (!ok || !empty) {
        free(p);
        return dyad__fail(err, DYAD_ECORRUPT, "%s: malformed parser tables", m->path);
    }
    m->parser = p;
    return DYAD_OK;
}

void dyad__parser_unbind(dyad_model *m)
{
    if (!m)
        return;
    free(m->parser);
    m->parser = NULL;
}

/* ==================================================================== training */

/* Splitmix64: the trainer's only source of randomness (seeded from opts->seed). */
static uint64_t rng_next(uint64_t *st)
{
    uint64_t z = (*st += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Feature key -> row index (keys are never 0). */
typedef struct fmap {
    uint64_t *keys;
    uint32_t *rows;
    size_t cap, n;
} fmap;

static inline uint64_t fkey(uint64_t h) { return h ? h : 1; }

static int64_t fmap_get(const fmap *m, uint64_t h)
{
    if (!m->cap)
        return -1;
    uint64_t key = fkey(h);
    size_t mask = m->cap - 1, i = (size_t)(key ^ (key >> 31)) & mask;
    for (;;) {
        if (m->keys[i] == key)
            return m->rows[i];
        if (!m->keys[i])
            return -1;
        i = (i + 1) & mask;
    }
}

static dyad_status fmap_put(fmap *m, uint64_t h, uint32_t row)
{
    if ((m->n + 1) * 2 > m->cap) {
        size_t ncap = m->cap ? m->cap * 2 : 1u << 16;
        uint64_t *nk = calloc(ncap, sizeof *nk);
        uint32_t *nr = malloc(ncap * sizeof *nr);
        if (!nk || !nr) {
            free(nk);
            free(nr);
            return DYAD_ENOMEM;
        }
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->keys[i])
                continue;
            size_t j = (size_t)(m->keys[i] ^ (m->keys[i] >> 31)) & (ncap - 1);
            while (nk[j])
                j = (j + 1) & (ncap - 1);
            nk[j] = m->keys[i];
            nr[j] = m->rows[i];
        }
        free(m->keys);
        free(m->rows);
        m->keys = nk;
        m->rows = nr;
        m->cap = ncap;
    }
    uint64_t key = fkey(h);
    size_t mask = m->cap - 1, i = (size_t)(key ^ (key >> 31)) & mask;
    while (m->keys[i])
        i = (i + 1) & mask;
    m->keys[i] = key;
    m->rows[i] = row;
    m->n++;
    return DYAD_OK;
}

static void fmap_free(fmap *m)
{
    free(m->keys);
    free(m->rows);
    memset(m, 0, sizeof *m);
}

/* An averaged perceptron over ncls classes: w current weights, u the sum of step * update;
 * the average after T steps is w - u / T.  Rows are created on the first update. */
typedef struct percep {
    int ncls;
    fmap map;
    int32_t *w;
    int64_t *u;
    size_t nrows, cap_w, cap_u;
    int64_t steps;
} percep;

static void percep_scores(const percep *pc, const uint64_t *f, int nf, int64_t *sc)
{
    for (int c = 0; c < pc->ncls; c++)
        sc[c] = 0;
    for (int i = 0; i < nf; i++) {
        int64_t r = fmap_get(&pc->map, f[i]);
        if (r < 0)
            continue;
        const int32_t *w = pc->w + (size_t)r * pc->ncls;
        for (int c = 0; c < pc->ncls; c++)
            sc[c] += w[c];
    }
}

/* The row of feature h, created (zero) when it is new; -1 when out of memory. */
static int64_t percep_row(percep *pc, uint64_t h)
{
    int64_t r = fmap_get(&pc->map, h);
    if (r >= 0)
        return r;
    size_t need = (pc->nrows + 1) * (size_t)pc->ncls;
    if (DYAD_GROW(pc->w, pc->cap_w, need) || DYAD_GROW(pc->u, pc->cap_u, need))
        return -1;
    memset(pc->w + pc->nrows * pc->ncls, 0, (size_t)pc->ncls * sizeof *pc->w);
    memset(pc->u + pc->nrows * pc->ncls, 0, (size_t)pc->ncls * sizeof *pc->u);
    if (fmap_put(&pc->map, h, (uint32_t)pc->nrows))
        return -1;
    return (int64_t)pc->nrows++;
}

static dyad_status percep_update(percep *pc, const uint64_t *f, int nf, int cls, int32_t delta)
{
    for (int i = 0; i < nf; i++) {
        int64_t r = percep_row(pc, f[i]);
        if (r < 0)
            return DYAD_ENOMEM;
        size_t at = (size_t)r * pc->ncls + (size_t)cls;
        pc->w[at] += delta;
        pc->u[at] += pc->steps * delta;
    }
    return DYAD_OK;
}

static void percep_free(percep *pc)
{
    fmap_free(&pc->map);
    free(pc->w);
    free(pc->u);
    memset(pc, 0, sizeof *pc);
}

/* The exported (averaged, pruned, quantised) tables: the payloads of the five sections, and
 * the kept transition features (keys and weights) they were laid out from. */
typedef struct pexport {
    pcfg cfg;
    tbucket *hot, *cold;
    uint64_t *filter;
    lslot *lslots;
    unsigned char *lrows;
    uint64_t *tkeys;
    int16_t (*tw)[NTRANS];
    size_t nt;
} pexport;

static void pexport_free(pexport *e)
{
    free(e->hot);
    free(e->cold);
    free(e->filter);
    free(e->lslots);
    free(e->lrows);
    free(e->tkeys);
    free(e->tw);
    memset(e, 0, sizeof *e);
}

static struct dyad_parser pexport_view(const pexport *e)
{
    struct dyad_parser p;
    p.cfg = e->cfg;
    p.hot = e->hot;
    p.cold = e->cold;
    p.filter = e->filter;
    p.lslots = e->lslots;
    p.lrows = e->lrows;
    return p;
}

static inline double avg_weight(const percep *pc, size_t at)
{
    return (double)pc->w[at] - (double)pc->u[at] / (double)pc->steps;
}

/* Parameter mixing: out (empty, same classes) gets the sum of the averaged weights of the
 * runs, times MIX_SCALE, as plain weights (steps 1, no sums), so that export reads it like
 * any perceptron; its pruning threshold is scaled by mix_factor(). */
#define MIX_SCALE 16.0
static double mix_factor(int nruns) { return MIX_SCALE * nruns; }

static dyad_status percep_mix(const percep *const *runs, int nruns, percep *out)
{
    out->ncls = runs[0]->ncls;
    out->steps = 1;
    for (int k = 0; k < nruns; k++) {
        const percep *pc = runs[k];
        for (size_t i = 0; i < pc->map.cap; i++) {
            if (!pc->map.keys[i])
                continue;
            size_t r = pc->map.rows[i];
            int64_t o = percep_row(out, pc->map.keys[i]);
            if (o < 0)
                return DYAD_ENOMEM;
            for (int c = 0; c < pc->ncls; c++) {
                double a = avg_weight(pc, r * (size_t)pc->ncls + (size_t)c) * MIX_SCALE;
                out->w[(size_t)o * out->ncls + (size_t)c] += (int32_t)(a < 0 ? a - 0.5 : a + 0.5);
            }
        }
    }
    return DYAD_OK;
}

/* Slots for n keys at load factor 0.8 (at least one slot stays empty). */
static uint32_t slots_for(size_t n) { return (uint32_t)(n + n / 4 + 16); }

/* The largest |averaged weight| of row r: the row is kept when it reaches the pruning
 * threshold. */
static double row_peak(const percep *pc, size_t r)
{
    double m = 0;
    for (int c = 0; c < pc->ncls; c++) {
        double a = avg_weight(pc, r * (size_t)pc->ncls + (size_t)c);
        a = a < 0 ? -a : a;
        m = a > m ? a : m;
    }
    return m;
}

/* The rows kept by pruning at min_abs, and the largest weight among them (*mx). */
static size_t count_kept(const percep *pc, double min_abs, double *mx)
{
    size_t kept = 0;
    *mx = 1e-9;
    for (size_t r = 0; r < pc->nrows; r++) {
        double m = row_peak(pc, r);
        if (m >= min_abs) {
            kept++;
            *mx = m > *mx ? m : *mx;
        }
    }
    return kept;
}

static int16_t quantise(double a, double scale)
{
    double v = a * scale;
    return (int16_t)(v < 0 ? v - 0.5 : v + 0.5);
}

/* The hot table: the features looked up most often when the exported parser parses its
 * training corpus, HOT_BUCKETS lines (1 MB, the size of a core's L2 cache) filled to
 * HOT_FILL; the cold table holds the rest, filled to COLD_FILL. */
#define HOT_BUCKETS 16384u
#define HOT_FILL 0.8
#define COLD_FILL 0.8
#define FILTER_KEY_BITS 8     /* bits of the cold table's filter per feature */

static tbucket *tb_alloc(uint32_t nb)
{
    tbucket *t = aligned_alloc(64, (size_t)nb * sizeof *t);
    if (t)
        memset(t, 0, (size_t)nb * sizeof *t);
    return t;
}

/* Put feature h in its home bucket or the first later one with room; the buckets passed
 * by are marked `more`.  The tables are sized so that one always has room. */
static void tb_put(tbucket *t, uint32_t nb, uint64_t h, const int16_t *w)
{
    uint32_t i = slot_of(h, nb);
    for (uint32_t k = 0; k < nb; k++) {
        tbucket *b = &t[i];
        for (int j = 0; j < TB_WAYS; j++)
            if (!b->fp[j]) {
                b->fp[j] = tfp(h);
                memcpy(b->w[j], w, sizeof b->w[j]);
                return;
            }
        b->more = 1;
        if (++i == nb)
            i = 0;
    }
}

static uint32_t tb_buckets(size_t n, double fill)
{
    return (uint32_t)((double)n / (TB_WAYS * fill)) + 1;
}

/* Order of the features by look-ups (most first), then by their order in the export. */
typedef struct tb_rank {
    uint32_t count, idx;
} tb_rank;

static int tb_rank_cmp(const void *a, const void *b)
{
    const tb_rank *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Lay the kept transition features out in the hot and cold tables: with look-up counts
 * (one per kept feature), the most looked-up ones go hot, every feature in the order of
 * its count (so the commonest sit in their home buckets); without, the hot table is one
 * empty bucket. */
static dyad_status tb_layout(pexport *e, const uint32_t *counts)
{
    tb_rank *rk = malloc((e->nt ? e->nt : 1) * sizeof *rk);
    if (!rk)
        return DYAD_ENOMEM;
    size_t nhot = 0, hot_cap = (size_t)(HOT_BUCKETS * TB_WAYS * HOT_FILL);
    for (size_t i = 0; i < e->nt; i++) {
        rk[i].count = counts ? counts[i] : 0;
        rk[i].idx = (uint32_t)i;
        nhot += rk[i].count > 0;
    }
    if (counts)
        qsort(rk, e->nt, sizeof *rk, tb_rank_cmp);
    nhot = nhot < hot_cap ? nhot : hot_cap;
    uint32_t nh = nhot ? tb_buckets(nhot, HOT_FILL) : 1;
    nh = nh < HOT_BUCKETS ? nh : HOT_BUCKETS;
    uint32_t nc = tb_buckets(e->nt - nhot, COLD_FILL);
    uint32_t nw = (uint32_t)((e->nt - nhot) * FILTER_KEY_BITS / 64) + 1;
    tbucket *hot = tb_alloc(nh), *cold = tb_alloc(nc);
    uint64_t *filter = calloc(nw, sizeof *filter);
    if (!hot || !cold || !filter) {
        free(rk);
        free(hot);
        free(cold);
        free(filter);
        return DYAD_ENOMEM;
    }
    for (size_t i = 0; i < e->nt; i++) {
        uint32_t k = rk[i].idx;
        if (i < nhot) {
            tb_put(hot, nh, e->tkeys[k], e->tw[k]);
        } else {
            tb_put(cold, nc, e->tkeys[k], e->tw[k]);
            uint64_t g = filter_mix(e->tkeys[k]);
            filter[slot_of(g, nw)] |= filter_mask(g);
        }
    }
    free(rk);
    free(e->hot);
    free(e->cold);
    free(e->filter);
    e->hot = hot;
    e->cold = cold;
    e->filter = filter;
    e->cfg.hot_buckets = nh;
    e->cfg.trans_buckets = nc;
    e->cfg.filter_words = nw;
    return DYAD_OK;
}

/* Average, prune (|w| below min_abs in every class) and quantise the transition
 * perceptron; the features are laid out without look-up counts (all cold). */
static dyad_status export_trans(const percep *pc, double min_abs, pexport *e)
{
    double mx;
    size_t kept = count_kept(pc, min_abs, &mx);
    double scale = 32000.0 / mx;
    e->tkeys = malloc((kept ? kept : 1) * sizeof *e->tkeys);
    e->tw = malloc((kept ? kept : 1) * sizeof *e->tw);
    if (!e->tkeys || !e->tw)
        return DYAD_ENOMEM;
    size_t n = 0;
    for (size_t i = 0; i < pc->map.cap; i++) {
        if (!pc->map.keys[i])
            continue;
        size_t r = pc->map.rows[i];
        if (row_peak(pc, r) < min_abs)
            continue;
        for (int c = 0; c < NTRANS; c++)
            e->tw[n][c] = quantise(avg_weight(pc, r * NTRANS + (size_t)c), scale);
        e->tkeys[n++] = pc->map.keys[i];
    }
    e->nt = n;
    return tb_layout(e, NULL);
}

static dyad_status export_labels(const percep *pc, double min_abs, pexport *e)
{
    int L = pc->ncls;
    double mx;
    size_t kept = count_kept(pc, min_abs, &mx);
    double scale = 32000.0 / mx;
    uint32_t ns = slots_for(kept);
    lslot *sl = calloc(ns, sizeof *sl);
    size_t cap = kept * (4 + 3 * (size_t)L) + 4;
    unsigned char *pool = calloc(cap, 1);
    if (!sl || !pool) {
        free(sl);
        free(pool);
        return DYAD_ENOMEM;
    }
    size_t used = 0;
    /* rows in the order of the map's slots: deterministic for a deterministic training */
    for (size_t i = 0; i < pc->map.cap; i++) {
        if (!pc->map.keys[i])
            continue;
        size_t r = pc->map.rows[i];
        if (row_peak(pc, r) < min_abs)
            continue;
        int16_t q[LSTRIDE];
        unsigned char cls[LSTRIDE];
        unsigned nnz = 0;
        for (int c = 0; c < L; c++) {
            int16_t x = quantise(avg_weight(pc, r * (size_t)L + (size_t)c), scale);
            if (x) {
                q[nnz] = x;
                cls[nnz++] = (unsigned char)c;
            }
        }
        if (!nnz)
            continue;
        unsigned char *row = pool + used;
        row[0] = (unsigned char)nnz;
        memcpy(row + 2, q, 2 * nnz);
        memcpy(row + 2 + 2 * nnz, cls, nnz);
        uint64_t h = pc->map.keys[i];
        uint32_t j = slot_of(h, ns);
        while (sl[j].fp)
            j = j + 1 == ns ? 0 : j + 1;
        sl[j].fp = lfp(h);
        sl[j].row = (uint32_t)used;
        used += (2 + 3 * (size_t)nnz + 1) & ~(size_t)1;
    }
    e->lslots = sl;
    e->lrows = pool;
    e->cfg.label_slots = ns;
    e->cfg.label_pool = (uint32_t)used;
    e->cfg.label_stride = LSTRIDE;
    return DYAD_OK;
}

/* One training or evaluation sentence. */
typedef struct psent {
    uint32_t first, n;
} psent;

typedef struct ptrain {
    const dyad_train_opts *opts;
    int L;
    uint16_t label_ids[MAX_LABELS];
    int class_of[256];           /* relation id -> class, -1 when not a class */
    int root_label;
    percep tp, lp;
    /* the training corpus: atoms and projectivised gold heads / classes */
    uint64_t *w;
    uint64_t *x;
    uint32_t *t;
    uint32_t *a;                 /* close second tags */
    int32_t *gh;                 /* gold head (sentence-relative; n + 1 for ROOT) */
    int32_t *gl;                 /* gold class, -1 for the root arc */
    psent *sents;
    size_t nsents, ntoks;
    unsigned char *sbuf;
    size_t cap_sbuf;
    uint64_t rng;
} ptrain;

static void progress(const dyad_train_opts *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void progress(const dyad_train_opts *o, const char *fmt, ...)
{
    if (!o || !o->progress)
        return;
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    o->progress(o->progress_ctx, line);
}

/* Is h an ancestor of k in heads (1-based, 0 = root)? */
static bool dominates(const int32_t *heads, int n, int h, int k)
{
    for (int steps = 0; k != 0 && steps <= n; steps++) {
        if (k == h)
            return true;
        k = heads[k];
    }
    return h == 0;
}

/* Lift non-projective arcs (the shortest first) until the tree is projective; heads are
 * 1-based with 0 = root, heads[0] unused.  Returns false for a malformed tree. */
static bool projectivise(int32_t *heads, int n)
{
    for (int i = 1; i <= n; i++)
        if (heads[i] < 0 || heads[i] > n || heads[i] == i)
            return false;
    for (int i = 1; i <= n; i++)   /* cycles */
        if (!dominates(heads, n, 0, i))
            return false;
    for (int round = 0; round < 4 * n; round++) {
        int best = -1, blen = 1 << 30;
        for (int d = 1; d <= n; d++) {
            int h = heads[d];
            if (h == 0)
                continue;
            int lo = d < h ? d : h, hi = d < h ? h : d;
            for (int k = lo + 1; k < hi; k++)
                if (!dominates(heads, n, h, k)) {
                    if (hi - lo < blen) {
                        blen = hi - lo;
                        best = d;
                    }
                    break;
                }
        }
        if (best < 0)
            return true;
        heads[best] = heads[heads[best]];
    }
    return false;
}

/* Costs (gold arcs lost) of the three transitions in s, for gold heads gh (index by token,
 * ROOT = n + 1). */
static void costs(const pstate *s, const int32_t *gh, int *cost)
{
    int n = s->n, b = s->b, sp = s->sp;
    int s0 = sp > 0 ? s->stack[sp - 1] : 0, s1 = sp > 1 ? s->stack[sp - 2] : 0;
    cost[0] = cost[1] = cost[2] = 0;
    if (b <= n) {   /* SHIFT: b0 loses heads in the stack below s0 and dependents in the stack */
        int c = 0;
        for (int i = 0; i < sp; i++) {
            int k = s->stack[i];
            if (gh[k] == b)
                c++;
            if (gh[b] == k && k != s0)
                c++;
        }
        cost[T_SHIFT] = c;
    }
    if (sp >= 1) {
        int deps = 0;   /* dependents of s0 still in the buffer are lost by popping s0 */
        for (int k = b; k <= n; k++)
            deps += gh[k] == s0;
        cost[T_LEFT] = deps + (gh[s0] != b && (gh[s0] == s1 || gh[s0] > b));
        cost[T_RIGHT] = deps + (gh[s0] >= b);
    }
}

static dyad_status grow_sbuf(ptrain *pt, int n)
{
    if (DYAD_GROW(pt->sbuf, pt->cap_sbuf, state_bytes((size_t)n)))
        return DYAD_ENOMEM;
    return DYAD_OK;
}

static void load_state(ptrain *pt, pstate *s, const psent *ps)
{
    state_init(s, pt->sbuf, (int)ps->n);
    memcpy(s->w + 1, pt->w + ps->first, ps->n * sizeof *s->w);
    memcpy(s->x + 1, pt->x + ps->first, ps->n * sizeof *s->x);
    memcpy(s->t + 1, pt->t + ps->first, ps->n * sizeof *s->t);
    memcpy(s->a + 1, pt->a + ps->first, ps->n * sizeof *s->a);
    count_atoms(s);
}

static int argmax_legal(const pstate *s, const int64_t *sc, const int *cost, bool zero_cost)
{
    int best = -1;
    for (int tr = 0; tr < NTRANS; tr++) {
        if (!legal(s, tr) || (zero_cost && cost[tr] != 0))
            continue;
        if (best < 0 || sc[tr] > sc[best])
            best = tr;
    }
    return best;
}

static dyad_status train_sentence(ptrain *pt, const psent *ps, bool explore, size_t *correct,
                                  size_t *total)
{
    dyad_status st = grow_sbuf(pt, (int)ps->n);
    if (st)
        return st;
    pstate s;
    load_state(pt, &s, ps);
    int n = (int)ps->n;
    int32_t gh[n + 2];
    gh[0] = -1;
    gh[n + 1] = -1;
    for (int i = 1; i <= n; i++)
        gh[i] = pt->gh[ps->first + (uint32_t)i - 1];
    uint64_t f[MAX_TF];
    int64_t sc[MAX_LABELS];
    while (!terminal(&s)) {
        int cost[NTRANS];
        costs(&s, gh, cost);
        int nf = trans_feats(&s, f);
        percep_scores(&pt->tp, f, nf, sc);
        int pred = argmax_legal(&s, sc, cost, false);
        int gold = argmax_legal(&s, sc, cost, true);
        if (gold < 0)   /* no zero-cost move (cannot happen on projective trees) */
            gold = pred;
        pt->tp.steps++;
        if (cost[pred] > 0 &&
            ((st = percep_update(&pt->tp, f, nf, gold, 1)) ||
             (st = percep_update(&pt->tp, f, nf, pred, -1))))
            return st;
        (*total)++;
        *correct += cost[pred] == 0;
        int tr = gold;
        if (explore && cost[pred] > 0 && (rng_next(&pt->rng) >> 11) % 10 < 9)
            tr = pred;
        int lab = 0;
        if (tr != T_SHIFT) {
            int h, d;
            arc_of(&s, tr, &h, &d);
            if (h != n + 1) {
                int gl = pt->gl[ps->first + (uint32_t)d - 1];
                int nlf = label_feats(&s, h, d, f);
                percep_scores(&pt->lp, f, nlf, sc);
                int best = 0;
                for (int c = 1; c < pt->L; c++)
                    if (sc[c] > sc[best])
                        best = c;
                lab = best;
                if (gh[d] == h && gl >= 0) {
                    pt->lp.steps++;
                    if (best != gl &&
                        ((st = percep_update(&pt->lp, f, nlf, gl, 1)) ||
                         (st = percep_update(&pt->lp, f, nlf, best, -1))))
                        return st;
                    lab = gl;
                }
                lab++;
            }
        }
        apply(&s, tr, lab);
    }
    return DYAD_OK;
}

/* Tokens of a corpus as the parser sees them: with gold or predicted tags. */
typedef struct pcorpus {
    dyad_token *toks;       /* copies (form, tags, gold head and relation) */
    psent *sents;
    size_t nsents, ntoks;
} pcorpus;

static void pcorpus_free(pcorpus *c)
{
    free(c->toks);
    free(c->sents);
    memset(c, 0, sizeof *c);
}

/* Copy a corpus; with a tagger model, replace the tags (and lemmas) by predicted ones. */
static dyad_status pcorpus_make(const dyad__corpus *src, const dyad_model *tagger, pcorpus *c)
{
    memset(c, 0, sizeof *c);
    c->toks = malloc((src->ntoks ? src->ntoks : 1) * sizeof *c->toks);
    c->sents = malloc((src->nsents ? src->nsents : 1) * sizeof *c->sents);
    if (!c->toks || !c->sents) {
        pcorpus_free(c);
        return DYAD_ENOMEM;
    }
    memcpy(c->toks, src->toks, src->ntoks * sizeof *c->toks);
    c->ntoks = src->ntoks;
    c->nsents = src->nsents;
    for (size_t i = 0; i < src->nsents; i++) {
        c->sents[i].first = src->sent_first[i];
        c->sents[i].n = src->sent_len[i];
    }
    if (!tagger || !tagger->tagger)
        return DYAD_OK;
    dyad_worker *w = dyad_worker_new();
    if (!w) {
        pcorpus_free(c);
        return DYAD_ENOMEM;
    }
    for (size_t i = 0; i < c->nsents; i++) {
        dyad_token *t = c->toks + c->sents[i].first;
        size_t n = c->sents[i].n;
        for (size_t k = 0; k < n; k++)
            t[k].upos = t[k].xpos = 0;
        dyad__tag(tagger, w, t, n);
    }
    dyad_worker_free(w);
    return DYAD_OK;
}

/* Jackknifing: tag each fold of the training corpus with a tagger trained on the other folds,
 * so the parser learns from tags as noisy as the ones it will see at run time. */
static dyad_status jackknife(const dyad__corpus *train, const dyad__corpus *dev,
                             const dyad_train_opts *opts, int folds, pcorpus *c, dyad_error *err)
{
    dyad_status st = pcorpus_make(train, NULL, c);
    if (st)
        return dyad__fail(err, st, "out of memory preparing the parser's corpora");
    dyad_worker *w = dyad_worker_new();
    if (!w)
        return dyad__fail(err, DYAD_ENOMEM, "out of memory");
    dyad_train_opts o = *opts;
    o.progress = NULL;   /* the fold taggers train quietly, and a little shorter */
    if (o.tagger_epochs <= 0 || o.tagger_epochs > FOLD_TAGGER_EPOCHS)
        o.tagger_epochs = FOLD_TAGGER_EPOCHS;
    for (int f = 0; f < folds && !st; f++) {
        dyad__corpus sub;
        memset(&sub, 0, sizeof sub);
        dyad__arena_init(&sub.strings);
        for (size_t i = 0; i < train->nsents && !st; i++) {
            if ((int)(i % (size_t)folds) == f)
                continue;
            uint32_t n = train->sent_len[i];
            if (DYAD_GROW(sub.toks, sub.cap_toks, sub.ntoks + n) ||
                DYAD_GROW(sub.sent_first, sub.cap_first, sub.nsents + 1) ||
                DYAD_GROW(sub.sent_len, sub.cap_len, sub.nsents + 1)) {
                st = dyad__fail(err, DYAD_ENOMEM, "out of memory");
                break;
            }
            memcpy(sub.toks + sub.ntoks, train->toks + train->sent_first[i], n * sizeof *sub.toks);
            sub.sent_first[sub.nsents] = (uint32_t)sub.ntoks;
            sub.sent_len[sub.nsents++] = n;
            sub.ntoks += n;
        }
        dyad__mw *mw = st ? NULL : dyad__mw_new();
        unsigned char *buf = NULL;
        size_t size = 0;
        dyad_model *m = NULL;
        if (!st && !mw)
            st = dyad__fail(err, DYAD_ENOMEM, "out of memory");
        if (!st)   /* the tagger may use the lemma stage's tables: a fold model has both */
            st = dyad__lemmas_train(&sub, &o, mw, err);
        if (!st)
            st = dyad__tagger_train(&sub, dev, &o, mw, err);
        if (!st && dyad__mw_serialise(mw, &buf, &size))
            st = dyad__fail(err, DYAD_ENOMEM, "out of memory");
        if (!st && !(st = dyad__model_from_memory(buf, size, true, "(fold tagger)", &m, err)))
            buf = NULL;   /* owned by m */
        size_t tagged = 0;
        for (size_t i = (size_t)f; !st && i < c->nsents; i += (size_t)folds) {
            dyad_token *t = c->toks + c->sents[i].first;
            for (uint32_t k = 0; k < c->sents[i].n; k++)
                t[k].upos = t[k].xpos = 0;
            dyad__tag(m, w, t, c->sents[i].n);
            tagged++;
        }
        if (!st)
            progress(opts, "parser: jackknife fold %d/%d: %zu sentences tagged", f + 1, folds,
                     tagged);
        dyad_model_free(m);
        free(buf);
        dyad__mw_free(mw);
        dyad__corpus_free(&sub);
    }
    dyad_worker_free(w);
    return st;
}

/* Append the sentences of b to a (the tokens are copied). */
static dyad_status pcorpus_append(pcorpus *a, const pcorpus *b)
{
    dyad_token *t = realloc(a->toks, (a->ntoks + b->ntoks + 1) * sizeof *t);
    if (!t)
        return DYAD_ENOMEM;
    a->toks = t;
    psent *ps = realloc(a->sents, (a->nsents + b->nsents + 1) * sizeof *ps);
    if (!ps)
        return DYAD_ENOMEM;
    a->sents = ps;
    memcpy(a->toks + a->ntoks, b->toks, b->ntoks * sizeof *t);
    for (size_t i = 0; i < b->nsents; i++) {
        a->sents[a->nsents + i] = b->sents[i];
        a->sents[a->nsents + i].first += (uint32_t)a->ntoks;
    }
    a->ntoks += b->ntoks;
    a->nsents += b->nsents;
    return DYAD_OK;
}

/* Parse a corpus with exported tables; counts tokens with the right head / head and label. */
static dyad_status eval_export(const pexport *e, const pcorpus *c, unsigned char **buf, size_t *cap,
                               size_t *uas, size_t *las, size_t *ntok)
{
    struct dyad_parser p = pexport_view(e);
    *uas = *las = *ntok = 0;
    for (size_t i = 0; i < c->nsents; i++) {
        const dyad_token *t = c->toks + c->sents[i].first;
        size_t n = c->sents[i].n;
        if (!n)
            continue;
        if (DYAD_GROW(*buf, *cap, state_bytes(n)))
            return DYAD_ENOMEM;
        pstate s;
        state_init(&s, *buf, (int)n);
        fill_atoms(&s, t, n);
        parse_state(&p, &s);
        for (size_t k = 0; k < n; k++) {
            int h = s.head[k + 1];
            int head = h == (int)n + 1 ? 0 : h;
            int rel = head == 0 ? (int)e->cfg.root_label
                                : (s.lab[k + 1] > 0 ? e->cfg.label_ids[s.lab[k + 1] - 1] : 0);
            (*ntok)++;
            if (head == t[k].head) {
                (*uas)++;
                *las += rel == t[k].deprel;
            }
        }
    }
    return DYAD_OK;
}

/* Parse a corpus with exported tables, counting the look-ups of each kept transition
 * feature (counts[nt], zeroed here), then lay the tables out hot and cold by those counts. */
static dyad_status hot_cold(pexport *e, const pcorpus *c, unsigned char **buf, size_t *cap)
{
    fmap map = {0};
    uint32_t *counts = calloc(e->nt ? e->nt : 1, sizeof *counts);
    dyad_status st = counts ? DYAD_OK : DYAD_ENOMEM;
    for (size_t i = 0; i < e->nt && !st; i++)
        st = fmap_put(&map, e->tkeys[i], (uint32_t)i);
    struct dyad_parser p = pexport_view(e);
    uint64_t f[MAX_TF];
    for (size_t i = 0; i < c->nsents && !st; i++) {
        const dyad_token *t = c->toks + c->sents[i].first;
        size_t n = c->sents[i].n;
        if (!n)
            continue;
        if (DYAD_GROW(*buf, *cap, state_bytes(n))) {
            st = DYAD_ENOMEM;
            break;
        }
        pstate s;
        state_init(&s, *buf, (int)n);
        fill_atoms(&s, t, n);
        while (!terminal(&s)) {   /* parse_state, counting the features it scores */
            if (s.sp > 0 && s.b <= s.n) {
                int nf = trans_feats(&s, f);
                for (int k = 0; k < nf; k++) {
                    int64_t r = fmap_get(&map, f[k]);
                    if (r >= 0)
                        counts[r]++;
                }
            }
            int tr = predict_trans(&p, &s, f);
            int lab = 0;
            if (tr != T_SHIFT) {
                int h, d;
                arc_of(&s, tr, &h, &d);
                if (h != s.n + 1)
                    lab = 1 + predict_label(&p, &s, h, d, f);
            }
            apply(&s, tr, lab);
        }
    }
    if (!st)
        st = tb_layout(e, counts);
    free(counts);
    fmap_free(&map);
    return st;
}

/* Export the parser trained by nruns runs over the same data: one run as it is, several
 * mixed (their averaged weights summed). */
static dyad_status export_all(const ptrain *pts, int nruns, pexport *e)
{
    const ptrain *pt = &pts[0];
    memset(e, 0, sizeof *e);
    e->cfg.format = PARSER_FORMAT;
    e->cfg.featset = FEATSET;
    e->cfg.nlabels = (uint32_t)pt->L;
    e->cfg.root_label = (uint32_t)pt->root_label;
    memcpy(e->cfg.label_ids, pt->label_ids, sizeof e->cfg.label_ids);
    dyad_status st;
    if (nruns == 1) {
        st = export_trans(&pt->tp, PRUNE_BELOW, e);
        if (!st)
            st = export_labels(&pt->lp, PRUNE_LABELS_BELOW, e);
    } else {
        const percep *tr[MAX_RUNS], *lb[MAX_RUNS];
        for (int k = 0; k < nruns; k++) {
            tr[k] = &pts[k].tp;
            lb[k] = &pts[k].lp;
        }
        percep mt, ml;
        memset(&mt, 0, sizeof mt);
        memset(&ml, 0, sizeof ml);
        double f = mix_factor(nruns);
        st = percep_mix(tr, nruns, &mt);
        if (!st)
            st = export_trans(&mt, PRUNE_BELOW * f, e);
        percep_free(&mt);
        if (!st)
            st = percep_mix(lb, nruns, &ml);
        if (!st)
            st = export_labels(&ml, PRUNE_LABELS_BELOW * f, e);
        percep_free(&ml);
    }
    if (st)
        pexport_free(e);
    return st;
}

static void ptrain_free(ptrain *pt)
{
    percep_free(&pt->tp);
    percep_free(&pt->lp);
    free(pt->w);
    free(pt->x);
    free(pt->t);
    free(pt->a);
    free(pt->gh);
    free(pt->gl);
    free(pt->sents);
    free(pt->sbuf);
}

/* Set up the trainer over a corpus (with the tags it should learn from). */
static dyad_status ptrain_init(ptrain *pt, const pcorpus *c, const dyad_train_opts *opts,
                               int run, size_t *skipped)
{
    memset(pt, 0, sizeof *pt);
    pt->opts = opts;
    pt->rng = 0x5eed0000ull ^ (uint64_t)opts->seed ^ (uint64_t)run * 0x9e3779b97f4a7c15ull;
    pt->tp.ncls = NTRANS;
    pt->root_label = dyad_deprel_from_name(dyad__cstr("root"));
    for (int i = 0; i < 256; i++)
        pt->class_of[i] = -1;
    /* classes: the relations of the training data, in the order of the relation table */
    bool seen[256] = {false};
    for (size_t i = 0; i < c->ntoks; i++)
        if (c->toks[i].deprel < 256)
            seen[c->toks[i].deprel] = true;
    for (int r = 1; r < dyad_deprel_count() && r < 256; r++)
        if (seen[r] && r != pt->root_label && pt->L < LSTRIDE) {
            pt->class_of[r] = pt->L;
            pt->label_ids[pt->L++] = (uint16_t)r;
        }
    if (pt->L == 0) {
        pt->class_of[0] = 0;
        pt->label_ids[pt->L++] = (uint16_t)dyad_deprel_from_name(dyad__cstr("dep"));
    }
    pt->lp.ncls = pt->L;
    size_t nt = c->ntoks ? c->ntoks : 1, ns = c->nsents ? c->nsents : 1;
    pt->w = malloc(nt * sizeof *pt->w);
    pt->x = malloc(nt * sizeof *pt->x);
    pt->t = malloc(nt * sizeof *pt->t);
    pt->a = malloc(nt * sizeof *pt->a);
    pt->gh = malloc(nt * sizeof *pt->gh);
    pt->gl = malloc(nt * sizeof *pt->gl);
    pt->sents = malloc(ns * sizeof *pt->sents);
    if (!pt->w || !pt->x || !pt->t || !pt->a || !pt->gh || !pt->gl || !pt->sents)
        return DYAD_ENOMEM;
    *skipped = 0;
    for (size_t i = 0; i < c->nsents; i++) {
        psent ps = c->sents[i];
        const dyad_token *t = c->toks + ps.first;
        int n = (int)ps.n;
        if (n == 0)
            continue;
        int32_t *heads = malloc(((size_t)n + 1) * sizeof *heads);
        if (!heads)
            return DYAD_ENOMEM;
        heads[0] = 0;
        int roots = 0;
        for (int k = 0; k < n; k++) {
            heads[k + 1] = t[k].head;
            roots += t[k].head == 0;
        }
        if (roots != 1 || !projectivise(heads, n)) {
            free(heads);
            (*skipped)++;
            continue;
        }
        for (int k = 0; k < n; k++) {
            size_t at = ps.first + (size_t)k;
            pt->w[at] = word_hash(t[k].form);
            pt->x[at] = suffix_hash(t[k].form);
            pt->t[at] = tag_atom(&t[k]);
            pt->a[at] = t[k].tag2;
            pt->gh[at] = heads[k + 1] == 0 ? n + 1 : heads[k + 1];
            int r = t[k].deprel;
            pt->gl[at] = heads[k + 1] == 0 ? -1 : (r < 256 ? pt->class_of[r] : -1);
        }
        free(heads);
        pt->sents[pt->nsents++] = ps;
    }
    return DYAD_OK;
}

/* Train nruns perceptrons on c for the given epochs, each with its own order of sentences and
 * exploration (seeded by the run), and mix them after each epoch; keep the export that scores
 * best on dev (LAS).  Mixing runs averages away part of the noise of one run's order. */
static dyad_status train_variant(const pcorpus *train, const pcorpus *dev, const char *what,
                                 const dyad_train_opts *opts, int epochs, int nruns,
                                 pexport *best, double *best_uas, double *best_las,
                                 dyad_error *err)
{
    ptrain pts[MAX_RUNS];
    uint32_t *order[MAX_RUNS];
    size_t skipped = 0;
    memset(best, 0, sizeof *best);
    memset(pts, 0, sizeof pts);
    memset(order, 0, sizeof order);
    *best_las = *best_uas = -1;
    dyad_status st = DYAD_OK;
    for (int k = 0; k < nruns && !st; k++) {
        st = ptrain_init(&pts[k], train, opts, k, &skipped);
        order[k] = st ? NULL : malloc((pts[k].nsents ? pts[k].nsents : 1) * sizeof **order);
        if (!st && !order[k])
            st = DYAD_ENOMEM;
        for (size_t i = 0; !st && i < pts[k].nsents; i++)
            order[k][i] = (uint32_t)i;
    }
    if (!st)
        progress(opts, "parser (%s): %zu sentences (%zu malformed skipped), %d relations, "
                 "%d run%s mixed", what, pts[0].nsents, skipped, pts[0].L, nruns,
                 nruns == 1 ? "" : "s");
    unsigned char *ebuf = NULL;
    size_t ecap = 0;
    for (int ep = 0; ep < epochs && !st; ep++) {
        size_t correct = 0, total = 0;
        for (int k = 0; k < nruns && !st; k++) {
            ptrain *pt = &pts[k];
            uint32_t *o = order[k];
            for (size_t i = pt->nsents; i > 1; i--) {   /* Fisher-Yates with the seeded rng */
                size_t j = (size_t)(rng_next(&pt->rng) % i);
                uint32_t x = o[i - 1];
                o[i - 1] = o[j];
                o[j] = x;
            }
            for (size_t i = 0; i < pt->nsents && !st; i++)
                st = train_sentence(pt, &pt->sents[o[i]], ep > 0, &correct, &total);
        }
        if (st)
            break;
        pexport e;
        if ((st = export_all(pts, nruns, &e)))
            break;
        size_t uas = 0, las = 0, ntok = 0;
        const pcorpus *ev = dev && dev->nsents ? dev : NULL;
        if (ev && (st = eval_export(&e, ev, &ebuf, &ecap, &uas, &las, &ntok))) {
            pexport_free(&e);
            break;
        }
        double u = ntok ? 100.0 * (double)uas / (double)ntok : 0;
        double l = ntok ? 100.0 * (double)las / (double)ntok : 0;
        progress(opts,
                 "parser (%s) epoch %d/%d: train moves %.2f%% right, %zu+%zu features%s; "
                 "dev UAS %.2f LAS %.2f",
                 what, ep + 1, epochs, total ? 100.0 * (double)correct / (double)total : 0,
                 pts[0].tp.nrows, pts[0].lp.nrows, nruns > 1 ? " (first run)" : "", u, l);
        if (!ev || l > *best_las) {   /* without dev data the last epoch wins */
            pexport_free(best);
            *best = e;
            *best_las = l;
            *best_uas = u;
        } else {
            pexport_free(&e);
        }
    }
    free(ebuf);
    for (int k = 0; k < nruns; k++) {
        free(order[k]);
        ptrain_free(&pts[k]);
    }
    if (st) {
        pexport_free(best);
        return dyad__fail(err, st, "out of memory training the parser");
    }
    return DYAD_OK;
}

static dyad_status add_sections(const pexport *e, dyad__mw *out)
{
    dyad_status st;
    if ((st = dyad__mw_add(out, "parse.cfg", &e->cfg, sizeof e->cfg)) ||
        (st = dyad__mw_add(out, "parse.thot", e->hot, e->cfg.hot_buckets * sizeof(tbucket))) ||
        (st = dyad__mw_add(out, "parse.trans", e->cold,
                           e->cfg.trans_buckets * sizeof(tbucket))) ||
        (st = dyad__mw_add(out, "parse.tfilt", e->filter,
                           e->cfg.filter_words * sizeof(uint64_t))) ||
        (st = dyad__mw_add(out, "parse.lslot", e->lslots, e->cfg.label_slots * sizeof(lslot))) ||
        (st = dyad__mw_add(out, "parse.lrows", e->lrows, e->cfg.label_pool)))
        return st;
    return DYAD_OK;
}

dyad_status dyad__parser_train(const dyad__corpus *train, const dyad__corpus *dev,
                               const dyad_model *tagger, const dyad_train_opts *opts,
                               dyad__mw *out, dyad_error *err)
{
    int epochs = opts->parser_epochs > 0 ? opts->parser_epochs : DEFAULT_EPOCHS;
    bool tagged = tagger && tagger->tagger;
    pcorpus gold = {0}, pred = {0}, devp = {0};
    pexport e = {0};
    double u = -1, l = -1;
    dyad_status st;
    /* dev is always parsed with the tags the model will see at run time */
    if ((st = pcorpus_make(train, NULL, &gold)) ||
        (dev && (st = pcorpus_make(dev, tagger, &devp)))) {
        st = dyad__fail(err, st, "out of memory preparing the parser's corpora");
        goto done;
    }
    /* with a tagger, the parser learns from every sentence twice: with the tags (and close
     * second tags) of a fold tagger, and with the gold tags; without one, from the gold tags */
    if (tagged && (st = jackknife(train, dev, opts, JACKKNIFE_FOLDS, &pred, err)))
        goto done;
    if (tagged && (st = pcorpus_append(&pred, &gold))) {
        st = dyad__fail(err, st, "out of memory preparing the parser's corpora");
        goto done;
    }
    if ((st = train_variant(tagged ? &pred : &gold, dev ? &devp : NULL,
                            tagged ? "predicted + gold tags" : "gold tags", opts, epochs,
                            tagged ? MIXED_RUNS : 1, &e, &u, &l, err)))
        goto done;
    progress(opts, "parser: dev UAS %.2f LAS %.2f", u, l);
    {
        unsigned char *buf = NULL;
        size_t cap = 0;
        st = hot_cold(&e, tagged ? &pred : &gold, &buf, &cap);
        free(buf);
        if (st) {
            st = dyad__fail(err, st, "out of memory laying out the parser's tables");
            goto done;
        }
        progress(opts, "parser: %zu transition features, %u hot buckets, %u cold",
                 e.nt, e.cfg.hot_buckets, e.cfg.trans_buckets);
    }
    if ((st = add_sections(&e, out)))
        st = dyad__fail(err, st, "cannot add the parser's sections");
done:
    pexport_free(&e);
    pcorpus_free(&gold);
    pcorpus_free(&pred);
    pcorpus_free(&devp);
    return st;
}
