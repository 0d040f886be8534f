/* tagger.c - part-of-speech tagger: greedy averaged perceptron over hashed features. */
#include "tagger_lex.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <utf8proc.h>

/*
 * The tagger predicts one class per (UPOS, Penn XPOS) pair seen in training, left to right.
 * Each token is described by hashed features (templates below) of the token and its
 * neighbours; each feature's 64-bit key selects a sparse row of class weights in the model.
 *
 * Model sections (little-endian, pointer-free):
 *   "tag.meta"  struct tag_meta: sizes, the weight scale and the class table
 *   "tag.keys"  nslots x {u32 fingerprint, u32 row offset}: open addressing, linear probing;
 *               the slot is key & (nslots - 1), the fingerprint key >> 32 (0 = empty)
 *   "tag.rows"  rows, 2-byte aligned: u8 nnz, u8 dictionary class (0xff: none),
 *               u16 ambiguity class (word rows: the set of classes the word had in
 *               training, numbered; 0 for none), then either (sparse) i16 weight[nnz],
 *               u8 class[nnz], padded to even length, or (dense, nnz = 0xff) i16
 *               weight[nclasses rounded up to 16]
 * A word whose row has a dictionary class (a frequent word that had one class in
 * training) gets that class without scoring, unless it is capitalised inside a sentence.
 */

#define TAG_MAGIC 0x31474154u   /* "TAG1" */
#define TAG_VERSION 2u
#define MAX_CLASSES 128       /* a multiple of 16 */
#define NO_CLASS 0xffu
#define TAG_USES_WORDNET 1u

/* ---------------------------------------------------------------- templates */

enum {
    T_BIAS = 1, T_W, T_P1, T_P2, T_P3, T_S1, T_S2, T_S3, T_S4, T_SHAPE, T_SSHAPE, T_FLAGS,
    T_WM1, T_WM2, T_WP1, T_WP2, T_S3M1, T_S3P1, T_SSM1, T_SSP1, T_WM1_W,
    T_W_WP1, T_WP1_WP2, T_WM2_WM1, T_WX, T_WN, T_KS3, T_KSHAPE, T_AMB, T_AMBP1, T_AMBP2,
    T_AMB_AMBP1, T_TM1_AMB,
    /* tag history */
    T_TM1, T_TM2, T_TM12, T_TM1_W, T_TM1_S3, T_TM1_WP1, T_TM1_SSHAPE,
    /* the first pass's tags of the next tokens (second pass) */
    T_TP1, T_TP2, T_TP12, T_TM1_TP1, T_TP1_W,
    /* whether a finite verb comes before (and, second pass, after) the token */
    T_FINL, T_FINL_S3, T_FIN_S3, T_FINL_TM1, T_FIN_TM1,
    T_COUNT
};

/* Features per token: static (of the words), dynamic (of the previous tags), right (of the
 * first pass's next tags). */
#define NSTATIC 32
#define NDYNAMIC 11
#define NRIGHT 7
#define MAX_FEATS 64
_Static_assert(NSTATIC + NDYNAMIC + NRIGHT <= MAX_FEATS, "MAX_FEATS is too small");

/* Token flags used as features. */
enum {
    F_CAP = 1,       /* first character upper case */
    F_ALLCAP = 2,    /* every letter upper case (two or more letters) */
    F_DIGIT = 4,
    F_HYPHEN = 8,
    F_ALPHA = 16,    /* has a letter */
    F_INITIAL = 32,  /* first word of the sentence (after opening punctuation) */
    F_MIDCAP = 64    /* an upper-case letter after the first character */
};

typedef struct tok_info {
    uint64_t w, wx, pre[3], suf[4], shape, sshape;
    uint32_t flags;
    uint32_t wn;              /* WordNet parts of speech of the word and of its base forms */
    uint32_t known;           /* the model has a row for the word */
    uint32_t amb;             /* the word's ambiguity class (0: none) */
    const unsigned char *row; /* tagging: the word's row in the model, or NULL */
    uint64_t wkey;            /* tagging: the key of the word feature */
    uint32_t amb_whole;       /* training: the ambiguity class the model will hold */
} tok_info;

static inline uint64_t fkey(uint64_t t, uint64_t a)
{
    return dyad__mix64(a ^ (t * 0x9e3779b97f4a7c15ull));
}

static inline uint64_t fkey2(uint64_t t, uint64_t a, uint64_t b)
{
    return dyad__mix64(a * 0xd6e8feb86659fd93ull ^ dyad__mix64(b ^ (t * 0x9e3779b97f4a7c15ull)));
}

/* Character class for word shapes: X upper, x lower, d digit, else the ASCII character, or
 * o for other non-ASCII characters. */
static char shape_class(utf8proc_int32_t cp, bool fold)
{
    if (cp < 0x80) {
        if (cp >= 'A' && cp <= 'Z')
            return fold ? 'x' : 'X';
        if (cp >= 'a' && cp <= 'z')
            return 'x';
        if (cp >= '0' && cp <= '9')
            return 'd';
        return (char)cp;
    }
    utf8proc_category_t cat = utf8proc_category(cp);
    if (cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT)
        return fold ? 'x' : 'X';
    if (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO)
        return 'x';
    if (cat == UTF8PROC_CATEGORY_ND)
        return 'd';
    if (cat == UTF8PROC_CATEGORY_PD)
        return '-';
    if (cat == UTF8PROC_CATEGORY_PI || cat == UTF8PROC_CATEGORY_PF)
        return '"';
    return 'o';
}

/* WordNet's parts of speech of a word (low 4 bits) and of the base forms morphy finds for
 * it as a noun, verb and adjective (next 3 bits). */
static uint32_t word_wn(const dyad__wnset *wn, dyad_slice form)
{
    if (!wn || !wn->slots)
        return 0;
    char low[128], base[136];
    size_t n = dyad__fold(form.ptr, form.len, low, sizeof low);
    uint32_t m = dyad__wn_lookup(wn, low, n);
    for (int p = 0; p < 3; p++)
        if (dyad__morphy(wn, low, n, 1 << p, base, sizeof base))
            m |= 16u << p;
    return m;
}

/* Describe a token (all but its WordNet bits, which only a scored token needs).  fold: the
 * sentence is all upper case (a headline): describe the token as if it were written in
 * lower case. */
static void prepare(tok_info *ti, dyad_slice form, bool initial, bool fold)
{
    char low[128];
    size_t n = dyad__fold(form.ptr, form.len, low, sizeof low);
    ti->wn = 0;
    ti->known = 0;
    ti->amb = 0;
    ti->w = dyad__hash(low, n, 0);
    ti->wx = fold ? ti->w : dyad__hash(form.ptr, form.len < 128 ? form.len : 128, 5);
    for (size_t k = 0; k < 3; k++)
        ti->pre[k] = dyad__hash(low, n < k + 1 ? n : k + 1, 1);
    for (size_t k = 0; k < 4; k++) {
        size_t m = n < k + 1 ? n : k + 1;
        ti->suf[k] = dyad__hash(low + n - m, m, 2);
    }
    char shape[32], sshape[32];
    size_t ns = 0, nss = 0, run = 0;
    uint32_t flags = 0;
    size_t letters = 0, upper = 0;
    const unsigned char *s = (const unsigned char *)form.ptr;
    for (size_t i = 0; i < form.len;) {
        utf8proc_int32_t cp = s[i];
        utf8proc_ssize_t k = 1;
        if (cp >= 0x80) {
            k = utf8proc_iterate(s + i, (utf8proc_ssize_t)(form.len - i), &cp);
            if (k <= 0) {
                k = 1;
                cp = 0xfffd;
            }
        }
        char c = shape_class(cp, fold);
        if (c == 'X' || c == 'x') {
            letters++;
            if (c == 'X') {
                upper++;
                if (i == 0)
                    flags |= F_CAP;
                else
                    flags |= F_MIDCAP;
            }
        } else if (c == 'd') {
            flags |= F_DIGIT;
        } else if (c == '-') {
            flags |= F_HYPHEN;
        }
        if (ns && shape[ns - 1] == c) {
            run++;
        } else {
            run = 1;
            if (nss < sizeof sshape)
                sshape[nss++] = c;
        }
        if (run <= 3 && ns < sizeof shape)
            shape[ns++] = c;
        i += (size_t)k;
    }
    if (letters)
        flags |= F_ALPHA;
    if (letters >= 2 && upper == letters)
        flags |= F_ALLCAP;
    if (initial)
        flags |= F_INITIAL;
    ti->flags = flags;
    ti->shape = dyad__hash(shape, ns, 3);
    ti->sshape = dyad__hash(sshape, nss, 4);
}

static void prepare_boundary(tok_info *ti, uint64_t which)
{
    uint64_t h = dyad__mix64(which * 0x51afd7ed558ccd1dull);
    ti->w = h;
    ti->wx = h + 10;
    for (int k = 0; k < 3; k++)
        ti->pre[k] = h + 1 + (uint64_t)k;
    for (int k = 0; k < 4; k++)
        ti->suf[k] = h + 4 + (uint64_t)k;
    ti->shape = h + 8;
    ti->sshape = h + 9;
    ti->flags = 0;
    ti->wn = 0;
    ti->known = 1;
    ti->amb = 0xffff + (uint32_t)which;
}

/* Opening punctuation after which a word still counts as sentence-initial. */
static bool is_opener(dyad_slice f)
{
    if (f.len == 1)
        return f.ptr[0] == '"' || f.ptr[0] == '(' || f.ptr[0] == '[' || f.ptr[0] == '\'' ||
               f.ptr[0] == '-' || f.ptr[0] == '*';
    return (f.len == 2 && memcmp(f.ptr, "``", 2) == 0) ||
           (f.len == 3 && (memcmp(f.ptr, "\xe2\x80\x9c", 3) == 0 ||
                           memcmp(f.ptr, "\xe2\x80\x98", 3) == 0));
}

/* A headline in capitals: no lower-case letter, at least two words of two letters or more. */
static bool sentence_all_caps(const dyad_token *toks, size_t n)
{
    size_t words = 0;
    for (size_t i = 0; i < n; i++) {
        const unsigned char *s = (const unsigned char *)toks[i].form.ptr;
        size_t len = toks[i].form.len, letters = 0;
        for (size_t j = 0; j < len; j++) {
            if (s[j] >= 'a' && s[j] <= 'z')
                return false;
            if (s[j] >= 'A' && s[j] <= 'Z')
                letters++;
            else if (s[j] >= 0x80 && !dyad__is_folded((const char *)s + j, len - j)) {
                letters += 2;
                break;
            }
        }
        if (letters >= 2)
            words++;
    }
    return words >= 2;
}

/* Features that do not depend on the tags assigned so far. */
static size_t feats_static(const tok_info *m2, const tok_info *m1, const tok_info *c,
                           const tok_info *p1, const tok_info *p2, uint64_t *out)
{
    size_t k = 0;
    uint32_t init = c->flags & F_INITIAL ? 1 : 0;
    out[k++] = fkey(T_BIAS, 0);
    out[k++] = fkey(T_W, c->w);
    out[k++] = fkey(T_P1, c->pre[0]);
    out[k++] = fkey(T_P2, c->pre[1]);
    out[k++] = fkey(T_P3, c->pre[2]);
    out[k++] = fkey(T_S1, c->suf[0]);
    out[k++] = fkey(T_S2, c->suf[1]);
    out[k++] = fkey(T_S3, c->suf[2]);
    out[k++] = fkey(T_S4, c->suf[3]);
    out[k++] = fkey(T_SHAPE, c->shape);
    out[k++] = fkey(T_SSHAPE, c->sshape);
    out[k++] = fkey(T_FLAGS, c->flags);
    out[k++] = fkey(T_WM1, m1->w);
    out[k++] = fkey(T_WM2, m2->w);
    out[k++] = fkey(T_WP1, p1->w);
    out[k++] = fkey(T_WP2, p2->w);
    out[k++] = fkey(T_S3M1, m1->suf[2]);
    out[k++] = fkey(T_S3P1, p1->suf[2]);
    out[k++] = fkey(T_SSM1, m1->sshape);
    out[k++] = fkey(T_SSP1, p1->sshape);
    out[k++] = fkey2(T_WM1_W, m1->w, c->w);
    out[k++] = fkey2(T_W_WP1, c->w, p1->w);
    out[k++] = fkey2(T_WP1_WP2, p1->w, p2->w);
    out[k++] = fkey2(T_WM2_WM1, m2->w, m1->w);
    out[k++] = fkey(T_WX, c->wx);
    out[k++] = fkey2(T_WN, c->wn, c->flags & (F_CAP | F_INITIAL));
    out[k++] = fkey2(T_KS3, c->suf[2], c->known);
    out[k++] = fkey2(T_KSHAPE, c->shape, c->known * 2 + init);
    out[k++] = fkey(T_AMB, c->amb);
    out[k++] = fkey(T_AMBP1, p1->amb);
    out[k++] = fkey(T_AMBP2, p2->amb);
    out[k++] = fkey2(T_AMB_AMBP1, c->amb, p1->amb);
    return k;
}

/* What the tag-history features need of a token. */
typedef struct tok_keep {
    uint64_t w, s3, ss;
    uint32_t amb;
} tok_keep;

static inline void keep_of(tok_keep *k, const tok_info *c)
{
    k->w = c->w;
    k->s3 = c->suf[2];
    k->ss = c->sshape;
    k->amb = c->amb;
}

/* Features over the classes of the two previous tokens (nclasses = before the sentence). */
static size_t feats_dynamic(const tok_keep *c, uint64_t next_w, uint32_t t1, uint32_t t2,
                            uint32_t finl, uint64_t *out)
{
    size_t k = 0;
    out[k++] = fkey(T_TM1, t1);
    out[k++] = fkey(T_TM2, t2);
    out[k++] = fkey2(T_TM12, t1, t2);
    out[k++] = fkey2(T_TM1_W, t1, c->w);
    out[k++] = fkey2(T_TM1_S3, t1, c->s3);
    out[k++] = fkey2(T_TM1_WP1, t1, next_w);
    out[k++] = fkey2(T_TM1_SSHAPE, t1, c->ss);
    out[k++] = fkey2(T_TM1_AMB, t1, c->amb);
    out[k++] = fkey(T_FINL, finl);
    out[k++] = fkey2(T_FINL_S3, finl, c->s3);
    out[k++] = fkey2(T_FINL_TM1, finl, t1);
    return k;
}

/* Second pass: features over the first pass's classes of the next two tokens (nclasses + 1
 * = after the sentence). */
static size_t feats_right(const tok_keep *c, uint32_t t1, uint32_t r1, uint32_t r2,
                          uint32_t fin, uint64_t *out)
{
    size_t k = 0;
    out[k++] = fkey(T_TP1, r1);
    out[k++] = fkey(T_TP2, r2);
    out[k++] = fkey2(T_TP12, r1, r2);
    out[k++] = fkey2(T_TM1_TP1, t1, r1);
    out[k++] = fkey2(T_TP1_W, r1, c->w);
    out[k++] = fkey2(T_FIN_S3, fin, c->s3);
    out[k++] = fkey2(T_FIN_TM1, fin, t1);
    return k;
}

/* ---------------------------------------------------------------- the model view */

typedef struct tag_meta {
    uint32_t magic, version;
    uint32_t nclasses;
    uint32_t nslots;          /* power of two */
    uint32_t rows_size;       /* bytes */
    uint32_t nrows;
    float scale;              /* weight = round(averaged weight * scale) */
    uint32_t flags;           /* TAG_USES_WORDNET: features read the "lem.wn" section */
    uint16_t upos[MAX_CLASSES];
    uint16_t xpos[MAX_CLASSES];
} tag_meta;

struct dyad_tagger {
    const tag_meta *meta;
    const uint32_t *keys;     /* 2 x nslots */
    const unsigned char *rows;
    uint32_t mask;
    uint32_t nclasses;
    uint32_t kp;              /* nclasses rounded up to 16: the stride of score vectors */
    uint8_t finite[MAX_CLASSES + 2];   /* the class is a finite verb (VBD, VBZ, VBP, MD) */
    struct {
        uint16_t vbd, vbn, vbz, vbp, md, nn, nns, nnp, nnps, prp, dt, jj, cd, prps, to;
    } x;                      /* Penn tags the clause check reads */
    tok_info start, end;      /* the boundary tokens */
    dyad__wnset wn;           /* WordNet lemma set (empty when the model does not use it) */
};

/* Which classes are finite verbs (the boundary classes K and K + 1 are not). */
static void finite_classes(const uint16_t *xpos, uint32_t K, uint8_t *finite)
{
    static const char *const names[] = {"VBD", "VBZ", "VBP", "MD"};
    memset(finite, 0, MAX_CLASSES + 2);
    for (uint32_t k = 0; k < K; k++)
        for (int j = 0; j < 4; j++)
            if (xpos[k] == dyad_xpos_from_name(dyad__cstr(names[j])))
                finite[k] = 1;
}

static void view_init(struct dyad_tagger *t, const tag_meta *meta, const uint32_t *keys,
                      const unsigned char *rows, const dyad__wnset *wn)
{
    t->wn = *wn;
    t->meta = meta;
    t->keys = keys;
    t->rows = rows;
    t->mask = meta->nslots - 1;
    t->nclasses = meta->nclasses;
    t->kp = (meta->nclasses + 15) & ~15u;
    finite_classes(meta->xpos, meta->nclasses, t->finite);
#define XID(f, name) t->x.f = (uint16_t)dyad_xpos_from_name(dyad__cstr(name))
    XID(vbd, "VBD");
    XID(vbn, "VBN");
    XID(vbz, "VBZ");
    XID(vbp, "VBP");
    XID(md, "MD");
    XID(nn, "NN");
    XID(nns, "NNS");
    XID(nnp, "NNP");
    XID(nnps, "NNPS");
    XID(prp, "PRP");
    XID(dt, "DT");
    XID(jj, "JJ");
    XID(cd, "CD");
    XID(prps, "PRP$");
    XID(to, "TO");
#undef XID
    prepare_boundary(&t->start, 1);
    prepare_boundary(&t->end, 2);
}

static inline const unsigned char *find_row(const struct dyad_tagger *t, uint64_t key)
{
    uint32_t fp = (uint32_t)(key >> 32) | 1u;
    for (uint32_t i = (uint32_t)key & t->mask;; i = (i + 1) & t->mask) {
        uint32_t f = t->keys[2 * i];
        if (f == fp)
            return t->rows + t->keys[2 * i + 1];
        if (!f)
            return NULL;
    }
}

#define DENSE 0xffu

/* s[0..16) += w[0..16): a block the compiler turns into vector adds. */
static inline void add16(int32_t *restrict s, const int16_t *restrict w)
{
    for (int j = 0; j < 16; j++)
        s[j] += w[j];
}

/* scores[0..kp) += the row's weights (kp: the class count rounded up to 16). */
static inline void add_row(int32_t *scores, const unsigned char *row, uint32_t kp)
{
    uint32_t nnz = row[0];
    const int16_t *w = (const int16_t *)(const void *)(row + 4);
    if (nnz == DENSE) {
        for (uint32_t k = 0; k < kp; k += 16)
            add16(scores + k, w + k);
        return;
    }
    const unsigned char *cls = row + 4 + 2 * nnz;
    for (uint32_t j = 0; j < nnz; j++)
        scores[cls[j]] += w[j];
}

/* Describe the tokens of a sentence in order: calls prepare() exactly as tagging does. */
typedef struct describer {
    bool fold, initial;
} describer;

static void describer_init(describer *d, const dyad_token *toks, size_t n)
{
    d->fold = sentence_all_caps(toks, n);
    d->initial = true;
}

static void describer_next(describer *d, tok_info *ti, dyad_slice form)
{
    bool init = d->initial;
    if (d->initial && !is_opener(form))
        d->initial = false;
    prepare(ti, form, init, d->fold);
}

/* A frequent word with one class keeps it, unless capitalised inside the sentence. */
static inline bool dict_applies(const tok_info *c)
{
    return !(c->flags & F_CAP) || (c->flags & F_INITIAL);
}

static inline uint32_t argmax(const int32_t *scores, uint32_t K)
{
    uint32_t best = 0;
    for (uint32_t k = 1; k < K; k++)
        if (scores[k] > scores[best])
            best = k;
    return best;
}

/* The tagger's runner-up when its score is within TAG2_MARGIN averaged-weight units of the
 * best: the parser gets it as tag2 (0: none).  The parser's model is trained with the tag2
 * of this margin: changing it means bumping the parser's FEATSET and retraining. */
#define TAG2_MARGIN 20.0f
static uint16_t runner_up(const struct dyad_tagger *t, const int32_t *scores, uint32_t K,
                          uint32_t best)
{
    uint32_t second = K;
    for (uint32_t c = 0; c < K; c++)
        if (c != best && (second == K || scores[c] > scores[second]))
            second = c;
    if (second == K || (float)(scores[best] - scores[second]) > TAG2_MARGIN * t->meta->scale)
        return 0;
    return (uint16_t)(t->meta->xpos[second] << 5 | (t->meta->upos[second] & 31u));
}

/* Add the rows of keys[0..nk) to scores.  The table and the rows are larger than the
 * caches: every slot is prefetched first, then every row, so that the misses overlap. */
static void find_rows(const struct dyad_tagger *t, const uint64_t *keys, size_t nk,
                      const unsigned char **rows)
{
    for (size_t f = 0; f < nk; f++)
        __builtin_prefetch(&t->keys[2 * ((uint32_t)keys[f] & t->mask)]);
    for (size_t f = 0; f < nk; f++) {
        rows[f] = find_row(t, keys[f]);
        if (rows[f])
            __builtin_prefetch(rows[f]);
    }
}

static void add_rows(int32_t *scores, const unsigned char *const *rows, size_t nr,
                     uint32_t kp)
{
    for (size_t f = 0; f < nr; f++)
        if (rows[f])
            add_row(scores, rows[f], kp);
}

static void add_keys(const struct dyad_tagger *t, int32_t *scores, const uint64_t *keys,
                     size_t nk)
{
    const unsigned char *rows[MAX_FEATS];
    find_rows(t, keys, nk, rows);
    add_rows(scores, rows, nk, t->kp);
}

#define DICT_FLAG 0x80u

/* Scratch of one sentence, per token: the scores of the static features and of the first
 * pass, the tag history the first pass saw, word keys and the first-pass class. */
typedef struct tag_scratch {
    int32_t *stat;            /* n x kp: static features */
    int32_t *full;            /* n x kp: static and history features of the first pass */
    tok_keep *keep;
    uint32_t *hist;           /* the first pass's (t1, t2, finl) */
    uint8_t *cls;             /* first-pass class, | DICT_FLAG when the dictionary decided */
} tag_scratch;

static bool scratch_get(dyad_worker *w, size_t n, uint32_t kp, tag_scratch *sc)
{
    if (!w)
        return false;
    size_t vec = n * kp * sizeof(int32_t);
    size_t need = n * sizeof(tok_keep) + 2 * vec + n * sizeof(uint32_t) + n;
    if (dyad__grow(&w->tag_buf, &w->cap_tag_buf, need, 1))
        return false;
    unsigned char *p = w->tag_buf;
    sc->keep = (tok_keep *)(void *)p;
    sc->stat = (int32_t *)(void *)(p + n * sizeof(tok_keep));
    sc->full = (int32_t *)(void *)(p + n * sizeof(tok_keep) + vec);
    sc->hist = (uint32_t *)(void *)(p + n * sizeof(tok_keep) + 2 * vec);
    sc->cls = p + n * sizeof(tok_keep) + 2 * vec + n * sizeof(uint32_t);
    return true;
}

static inline uint32_t hist_of(uint32_t t1, uint32_t t2, uint32_t finl)
{
    return t1 | t2 << 8 | finl << 16;
}

/* A clause needs a finite verb: in a sentence with none, a past participle right after a
 * noun or pronoun and before what can start an object ("Rebels attacked government
 * positions", "Police arrested dozens") is a past tense. */
static bool to_past(const struct dyad_tagger *t, dyad_token *tok)
{
    tok->tag2 = (uint16_t)(tok->xpos << 5 | tok->upos);   /* the participle stays the hedge */
    tok->xpos = t->x.vbd;
    return true;
}

static bool form_in(dyad_slice f, const char *const *list)
{
    for (; *list; list++)
        if (f.len == strlen(*list) && strncasecmp(f.ptr, *list, f.len) == 0)
            return true;
    return false;
}

/* Forms of be, have and get: a participle after one of them is one. */
static const char *const participle_aux[] = {"is", "are", "was", "were", "be", "been", "being",
                                             "am", "'s", "'re", "'m", "has", "have", "had",
                                             "having", "'ve", "'d", "get", "gets", "got",
                                             "getting", NULL};
/* Participles that name ("a group called Hamas"): their object-like next word is a name. */
static const char *const naming[] = {"called", "named", "dubbed", "titled", "entitled", "known",
                                     "labelled", "labeled", "nicknamed", "termed", "styled",
                                     NULL};

static const char *const agent_by[] = {"by", NULL};

/* Adjectives that start a time phrase, not an object ("the soldiers killed last week"). */
static const char *const time_adjectives[] = {"last", "next", "early", "late", "previous",
                                              "past", "recent", "same", NULL};

/* Determiners before which "will" can only be the noun. */
static const char *const articles[] = {"the", "a", "an", NULL};
static const char *const will_forms[] = {"will", NULL};

static void finite_fix(const struct dyad_tagger *t, dyad_token *toks, size_t n)
{
    /* "the political will to return the dachas", "his will": after an adjective, an article
     * or a possessive, "will" is the noun (the modal stays the hedge) */
    for (size_t i = 1; i < n; i++) {
        uint16_t a = toks[i - 1].xpos;
        if (toks[i].xpos == t->x.md && form_in(toks[i].form, will_forms) &&
            (a == t->x.jj || a == t->x.prps ||
             (a == t->x.dt && form_in(toks[i - 1].form, articles)))) {
            toks[i].tag2 = (uint16_t)(toks[i].xpos << 5 | toks[i].upos);
            toks[i].xpos = t->x.nn;
            toks[i].upos = DYAD_UPOS_NOUN;
        }
    }
    bool finite = false;
    for (size_t i = 0; i < n && !finite; i++) {
        uint16_t x = toks[i].xpos;
        finite = x == t->x.vbd || x == t->x.vbz || x == t->x.vbp || x == t->x.md;
    }
    /* a sentence that ends with a full stop is not a headline: it needs a finite verb */
    bool full_stop = n > 1 && toks[n - 1].form.len == 1 && toks[n - 1].form.ptr[0] == '.';
    /* such a sentence with no verb at all: a noun right after a noun or pronoun whose close
     * second is a finite verb is that verb ("Russia shot down a drone.", "Japan lent money
     * to Sri Lanka."); the noun becomes the hedge */
    for (size_t i = 1; full_stop && !finite && i + 1 < n; i++) {
        uint16_t a = toks[i - 1].xpos, alt = (uint16_t)(toks[i].tag2 >> 5);
        if (toks[i].upos == DYAD_UPOS_VERB || toks[i].upos == DYAD_UPOS_AUX)
            break;
        if (toks[i].upos == DYAD_UPOS_NOUN && toks[i].tag2 &&
            (alt == t->x.vbd || alt == t->x.vbz || alt == t->x.vbp) &&
            (a == t->x.nn || a == t->x.nns || a == t->x.nnp || a == t->x.nnps || a == t->x.prp)) {
            uint16_t hedge = (uint16_t)(toks[i].xpos << 5 | toks[i].upos);
            toks[i].upos = (uint16_t)(toks[i].tag2 & 31u);
            toks[i].xpos = alt;
            toks[i].tag2 = hedge;
            finite = true;
        }
        /* an -ed adjective right after the subject and before an object is the past tense
         * ("Egypt eased restrictions on Gaza.", "Egypt relaxed its rules."); the adjective
         * becomes the hedge */
        uint16_t b = toks[i + 1].xpos;
        dyad_slice f = toks[i].form;
        if (!finite && toks[i].xpos == t->x.jj && f.len > 3 && f.ptr[f.len - 2] == 'e' &&
            f.ptr[f.len - 1] == 'd' &&
            (a == t->x.nn || a == t->x.nns || a == t->x.nnp || a == t->x.nnps || a == t->x.prp) &&
            (b == t->x.dt || b == t->x.nn || b == t->x.nns || b == t->x.nnp || b == t->x.nnps ||
             b == t->x.prps || b == t->x.jj || b == t->x.cd)) {
            toks[i].tag2 = (uint16_t)(toks[i].xpos << 5 | toks[i].upos);
            toks[i].xpos = t->x.vbd;
            toks[i].upos = DYAD_UPOS_VERB;
            finite = true;
        }
    }
    bool verb_seen = false;
    for (size_t i = 1; i + 1 < n; i++) {
        if (toks[i].xpos != t->x.vbn || toks[i].upos != DYAD_UPOS_VERB) {
            verb_seen = verb_seen || toks[i].upos == DYAD_UPOS_VERB;
            continue;
        }
        uint16_t a = toks[i - 1].xpos, b = toks[i + 1].xpos;
        bool noun_before = a == t->x.nn || a == t->x.nns || a == t->x.nnp || a == t->x.nnps;
        if (!finite) {
            bool object = b == t->x.dt || b == t->x.nn || b == t->x.nns || b == t->x.nnp ||
                          b == t->x.nnps || b == t->x.jj || b == t->x.cd || b == t->x.prp ||
                          b == t->x.prps || b == t->x.to;
            /* "Ethiopian troops clashed with Eritrean troops." */
            bool main = full_stop && !verb_seen && !form_in(toks[i + 1].form, agent_by);
            if ((noun_before || a == t->x.prp) && (object || main) && to_past(t, &toks[i]))
                return;
            verb_seen = true;
            continue;
        }
        /* a clause inside a sentence that has a finite verb elsewhere ("the Pentagon said
         * Russian jets bombed rebel positions"): a participle with no auxiliary before it,
         * after a noun and before a determiner, a pronoun, a noun or an adjective, takes an
         * object, so it is a past tense: passive participles take none */
        if (!noun_before || form_in(toks[i].form, naming))
            continue;
        if (!(b == t->x.dt || b == t->x.prp || b == t->x.prps || b == t->x.nns ||
              b == t->x.nnp || b == t->x.nnps || b == t->x.nn ||
              (b == t->x.jj && !form_in(toks[i + 1].form, time_adjectives))))
            continue;
        bool aux = false;
        for (size_t k = i >= 4 ? i - 4 : 0; k < i && !aux; k++)
            aux = form_in(toks[k].form, participle_aux);
        if (!aux)
            to_past(t, &toks[i]);
    }
}

/* Tag one sentence: fills upos and xpos of toks[0..n).  The first pass goes left to right
 * over the previous tags; the second rescores each token with the first pass's tags of the
 * next two tokens as well.  Without scratch memory only the first pass runs. */
static void tag_sentence(const struct dyad_tagger *t, dyad_worker *w, dyad_token *toks,
                         size_t n)
{
    tok_info ring[8];   /* token j in ring[j & 7], for j in [i-2, i+2] */
    describer d;
    describer_init(&d, toks, n);
    const uint32_t K = t->nclasses;
    tag_scratch sc = {NULL, NULL, NULL, NULL, NULL};
    const uint32_t kp = t->kp;
    const bool two = scratch_get(w, n, kp, &sc);
    size_t ready = 0, found = 0;
    uint32_t t1 = K, t2 = K, finl = 0;
    size_t nfinite = 0;
    uint64_t keys[MAX_FEATS];
    int32_t scores[MAX_CLASSES];
    for (size_t i = 0; i < n; i++) {
        /* tokens are described three ahead (their word's slot prefetched) and their word
         * rows found two ahead */
        while (ready < n && ready <= i + 3) {
            tok_info *r = &ring[ready & 7];
            describer_next(&d, r, toks[ready].form);
            r->wkey = fkey(T_W, r->w);
            __builtin_prefetch(&t->keys[2 * ((uint32_t)r->wkey & t->mask)]);
            ready++;
        }
        for (; found < ready && found <= i + 2; found++) {
            tok_info *r = &ring[found & 7];
            r->row = find_row(t, r->wkey);
            r->known = r->row != NULL;
            if (r->row)
                memcpy(&r->amb, r->row + 2, 2);   /* little-endian u16 into a zeroed u32 */
        }
        const tok_info *c = &ring[i & 7];
        const tok_info *m1 = i >= 1 ? &ring[(i - 1) & 7] : &t->start;
        const tok_info *m2 = i >= 2 ? &ring[(i - 2) & 7] : &t->start;
        const tok_info *p1 = i + 1 < n ? &ring[(i + 1) & 7] : &t->end;
        const tok_info *p2 = i + 2 < n ? &ring[(i + 2) & 7] : &t->end;
        tok_keep ck;
        keep_of(&ck, c);
        const unsigned char *wrow = c->row;
        uint32_t best;
        if (wrow && wrow[1] != NO_CLASS && dict_applies(c)) {
            best = wrow[1];
            if (two)
                sc.cls[i] = (uint8_t)(best | DICT_FLAG);
        } else {
            ring[i & 7].wn = word_wn(&t->wn, toks[i].form);
            int32_t *st = two ? sc.stat + i * kp : scores;
            const unsigned char *rows[MAX_FEATS];
            size_t ns = feats_static(m2, m1, c, p1, p2, keys);
            size_t nd = feats_dynamic(&ck, p1->w, t1, t2, finl, keys + ns);
            keys[1] = keys[0];   /* the word's row is known: the bias takes its place */
            find_rows(t, keys + 1, ns + nd - 1, rows + 1);
            rows[0] = wrow;
            memset(st, 0, kp * sizeof *st);
            add_rows(st, rows, ns, kp);
            if (two)
                memcpy(scores, st, kp * sizeof *st);
            add_rows(scores, rows + ns, nd, kp);
            best = argmax(scores, K);
            if (two) {
                sc.cls[i] = (uint8_t)best;
                sc.hist[i] = hist_of(t1, t2, finl);
                memcpy(sc.full + i * kp, scores, kp * sizeof *scores);
            }
        }
        if (two)
            sc.keep[i] = ck;
        toks[i].upos = t->meta->upos[best];
        toks[i].xpos = t->meta->xpos[best];
        toks[i].tag2 = 0;
        t2 = t1;
        t1 = best;
        finl |= t->finite[best];
        nfinite += t->finite[best];
    }
    if (!two) {
        finite_fix(t, toks, n);
        return;
    }
    t1 = t2 = K;
    finl = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t best, c1 = sc.cls[i] & ~DICT_FLAG;
        nfinite -= t->finite[c1];   /* now: finite verbs after token i in the first pass */
        if (sc.cls[i] & DICT_FLAG) {
            best = c1;
        } else {
            uint32_t r1 = i + 1 < n ? sc.cls[i + 1] & ~DICT_FLAG : K + 1;
            uint32_t r2 = i + 2 < n ? sc.cls[i + 2] & ~DICT_FLAG : K + 1;
            size_t nk = 0;
            if (sc.hist[i] == hist_of(t1, t2, finl)) {
                /* the same history as in the first pass: its scores stand */
                memcpy(scores, sc.full + i * kp, kp * sizeof *scores);
            } else {
                memcpy(scores, sc.stat + i * kp, kp * sizeof *scores);
                nk = feats_dynamic(&sc.keep[i], i + 1 < n ? sc.keep[i + 1].w : t->end.w, t1,
                                   t2, finl, keys);
            }
            nk += feats_right(&sc.keep[i], t1, r1, r2, finl | (nfinite > 0) << 1, keys + nk);
            add_keys(t, scores, keys, nk);
            best = argmax(scores, K);
            toks[i].tag2 = runner_up(t, scores, K, best);
        }
        toks[i].upos = t->meta->upos[best];
        toks[i].xpos = t->meta->xpos[best];
        t2 = t1;
        t1 = best;
        finl |= t->finite[best];
    }
    finite_fix(t, toks, n);
}

/* ---------------------------------------------------------------- run time */

void dyad__tag(const dyad_model *m, dyad_worker *w, dyad_token *toks, size_t n)
{
    const struct dyad_tagger *t = m ? m->tagger : NULL;
    if (t && n)
        tag_sentence(t, w, toks, n);
}

dyad_status dyad__tagger_bind(dyad_model *m, dyad_error *err)
{
    size_t nmeta, nkeys, nrows;
    const tag_meta *meta = dyad__model_section(m, "tag.meta", &nmeta);
    const uint32_t *keys = dyad__model_section(m, "tag.keys", &nkeys);
    const unsigned char *rows = dyad__model_section(m, "tag.rows", &nrows);
    m->tagger = NULL;
    if (!meta && !keys && !rows)
        return DYAD_OK;
    const uint32_t one = 1;
    unsigned char little;
    memcpy(&little, &one, 1);
    if (!little) {
        dyad__where(err, m->path, 0, 0, dyad__slice("", 0));
        return dyad__fail(err, DYAD_EUNSUPPORTED, "%s: the tagger needs a little-endian machine",
                          m->path);
    }
    if (meta && nmeta >= 8 && (meta->magic != TAG_MAGIC || meta->version != TAG_VERSION)) {
        dyad__where(err, m->path, 0, 0, dyad__slice("", 0));
        return dyad__fail(err, DYAD_EVERSION, "%s: tagger tables of another version: retrain",
                          m->path);
    }
    if (!meta || !keys || !rows || nmeta != sizeof *meta)
        goto corrupt;
    if (meta->nclasses < 2 || meta->nclasses > MAX_CLASSES || meta->nslots < 2 ||
        (meta->nslots & (meta->nslots - 1)) || nkeys != (size_t)meta->nslots * 8 ||
        nrows != meta->rows_size || !(meta->scale > 0))
        goto corrupt;
    for (uint32_t k = 0; k < meta->nclasses; k++)
        if (meta->upos[k] >= DYAD_UPOS_COUNT || (int)meta->xpos[k] >= dyad_xpos_count())
            goto corrupt;
    /* every slot must point at a whole row whose classes are in range, and the table must
     * have an empty slot (so that probing ends).  The rows lie end to end: one pass over
     * them checks each and marks where it starts, then the slots are checked against the
     * marks (reading the rows once, in order, rather than once per slot at random) */
    const size_t kp16 = (meta->nclasses + 15) & ~15u;
    uint64_t *starts = calloc(nrows / 128 + 1, sizeof *starts);
    if (!starts)
        return dyad__fail(err, DYAD_ENOMEM, "out of memory");
    bool ok = true;
    for (size_t off = 0; ok && off < nrows;) {
        const unsigned char *row = rows + off;
        size_t nnz = off + 4 <= nrows ? row[0] : 0;
        size_t len = nnz == DENSE ? 4 + 2 * kp16 : 4 + 3 * nnz;
        len += len & 1;
        ok = off + len <= nrows && (row[1] == NO_CLASS || row[1] < meta->nclasses);
        for (size_t j = 0; ok && nnz != DENSE && j < nnz; j++)
            ok = row[4 + 2 * nnz + j] < meta->nclasses;
        starts[off / 128] |= 1ull << (off / 2 % 64);
        off += len;
    }
    bool empty = false;
    for (uint32_t i = 0; ok && i < meta->nslots; i++) {
        uint32_t off = keys[2 * i + 1];
        if (!keys[2 * i])
            empty = true;
        else
            ok = off % 2 == 0 && off < nrows && (starts[off / 128] >> (off / 2 % 64) & 1);
    }
    free(starts);
    if (!ok)
        goto corrupt;
    if (!empty)
        goto corrupt;
    dyad__wnset wn = {NULL, 0};
    if (meta->flags & TAG_USES_WORDNET) {
        size_t nwn;
        wn.slots = dyad__model_section(m, "lem.wn", &nwn);
        if (!wn.slots) {
            dyad__where(err, m->path, 0, 0, dyad__slice("", 0));
            return dyad__fail(err, DYAD_ECORRUPT,
                              "%s: the tagger needs the lemma stage's WordNet set (lem.wn)",
                              m->path);
        }
        if (nwn < 8 || (nwn / 4 & (nwn / 4 - 1)) || nwn % 4)
            goto corrupt;
        wn.mask = (uint32_t)(nwn / 4 - 1);
        bool wn_empty = false;
        for (size_t i = 0; i < nwn / 4 && !wn_empty; i++)
            wn_empty = !wn.slots[i];
        if (!wn_empty)
            goto corrupt;
    }
    struct dyad_tagger *t = calloc(1, sizeof *t);
    if (!t)
        return dyad__fail(err, DYAD_ENOMEM, "out of memory");
    view_init(t, meta, keys, rows, &wn);
    m->tagger = t;
    return DYAD_OK;
corrupt:
    dyad__where(err, m->path, 0, 0, dyad__slice("", 0));
    return dyad__fail(err, DYAD_ECORRUPT, "%s: malformed tagger tables", m->path);
}

void dyad__tagger_unbind(dyad_model *m)
{
    if (!m)
        return;
    free(m->tagger);
    m->tagger = NULL;
}

/* ---------------------------------------------------------------- training */

#define MIN_FEATURE_COUNT 2       /* features seen fewer times get no weights */
#define MIN_CLASS_COUNT 5         /* rarer (UPOS, XPOS) pairs fold into a frequent one */
#define DICT_MIN_COUNT 20
#define AMB_MIN_COUNT 3
#define DICT_MIN_SHARE 0.995
#define DEFAULT_EPOCHS 10
#define DENSE_FROM 24             /* rows with this many weights are stored dense */
#define PRUNE_BELOW 0.1           /* averaged weights smaller than this are dropped */

/* A growable open-addressing map from 64-bit keys (never 0) to u32 values. */
typedef struct fmap {
    uint64_t *keys;
    uint32_t *vals;
    size_t cap, n;
} fmap;

static void fmap_free(fmap *f)
{
    free(f->keys);
    free(f->vals);
    memset(f, 0, sizeof *f);
}

static uint64_t nz(uint64_t k)
{
    return k ? k : 1;
}

static uint32_t *fmap_slot(fmap *f, uint64_t key, bool insert)
{
    key = nz(key);
    if (insert && (f->n + 1) * 2 > f->cap) {
        size_t ncap = f->cap ? f->cap * 2 : 1u << 16;
        uint64_t *nk = calloc(ncap, sizeof *nk);
        uint32_t *nv = calloc(ncap, sizeof *nv);
        if (!nk || !nv) {
            free(nk);
            free(nv);
            return NULL;
        }
        for (size_t i = 0; i < f->cap; i++) {
            if (!f->keys[i])
                continue;
            size_t j = dyad__mix64(f->keys[i]) & (ncap - 1);
            while (nk[j])
                j = (j + 1) & (ncap - 1);
            nk[j] = f->keys[i];
            nv[j] = f->vals[i];
        }
        free(f->keys);
        free(f->vals);
        f->keys = nk;
        f->vals = nv;
        f->cap = ncap;
    }
    if (!f->cap)
        return NULL;
    size_t j = dyad__mix64(key) & (f->cap - 1);
    while (f->keys[j]) {
        if (f->keys[j] == key)
            return &f->vals[j];
        j = (j + 1) & (f->cap - 1);
    }
    if (!insert)
        return NULL;
    f->keys[j] = key;
    f->vals[j] = 0;
    f->n++;
    return &f->vals[j];
}

typedef struct pair_count {
    uint16_t upos, xpos;
    uint32_t count;
} pair_count;

static int cmp_pair(const void *a, const void *b)
{
    const pair_count *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    if (x->upos != y->upos)
        return x->upos < y->upos ? -1 : 1;
    return (x->xpos > y->xpos) - (x->xpos < y->xpos);
}

typedef struct word_class {
    uint64_t w;
    uint32_t cls;
} word_class;

static int cmp_word_class(const void *a, const void *b)
{
    const word_class *x = a, *y = b;
    if (x->w != y->w)
        return x->w < y->w ? -1 : 1;
    return (x->cls > y->cls) - (x->cls < y->cls);
}

typedef struct trainer {
    const dyad__corpus *c;
    dyad__wnset wn;
    uint32_t K;
    uint16_t upos[MAX_CLASSES], xpos[MAX_CLASSES];
    uint8_t finite[MAX_CLASSES + 2];
    uint8_t *gold;            /* class of each training token */
    tok_info *info;           /* description of each training token */
    int32_t *srows;           /* NSTATIC rows per token (-1: none) */
    fmap feats;               /* feature key -> row + 1 (0: counted but not kept) */
    uint64_t *row_key;        /* key of each row */
    uint8_t *row_word;        /* the row is a word feature (kept even when empty) */
    uint16_t *row_amb;        /* ambiguity class of a word row */
    size_t cap_row_word, cap_row_amb;
    size_t nrows, cap_rows;
    int32_t *W;               /* nrows x K */
    int64_t *U;               /* nrows x K: sum of update time x update */
    int64_t clock;
    word_class *dict;         /* words with one class, sorted by word */
    size_t ndict;
    uint32_t namb;            /* ambiguity classes */
    /* the exported model */
    tag_meta meta;
    uint32_t *keys;
    unsigned char *rows;
    size_t nslots, rows_size, nrows_out;
} trainer;

static void trainer_free(trainer *t)
{
    free(t->gold);
    free(t->info);
    free(t->srows);
    fmap_free(&t->feats);
    free(t->row_key);
    free(t->row_word);
    free(t->row_amb);
    free(t->W);
    free(t->U);
    free(t->dict);
    free(t->keys);
    free(t->rows);
}

static uint32_t gold_class(const trainer *t, const dyad_token *tok, const uint32_t *pair_map)
{
    return pair_map[(size_t)tok->upos * 64 + (tok->xpos < 64 ? tok->xpos : 0)];
}

/* Classes: every (UPOS, XPOS) pair seen MIN_CLASS_COUNT times, most frequent first; a rarer
 * pair becomes the most frequent class with its XPOS (else with its UPOS). */
static dyad_status make_classes(trainer *t, uint32_t *pair_map)
{
    pair_count *pc = calloc((size_t)DYAD_UPOS_COUNT * 64, sizeof *pc);
    if (!pc)
        return DYAD_ENOMEM;
    for (uint32_t u = 0; u < DYAD_UPOS_COUNT; u++)
        for (uint32_t x = 0; x < 64; x++) {
            pc[u * 64 + x].upos = (uint16_t)u;
            pc[u * 64 + x].xpos = (uint16_t)x;
        }
    for (size_t i = 0; i < t->c->ntoks; i++) {
        const dyad_token *tok = &t->c->toks[i];
        if (tok->upos < DYAD_UPOS_COUNT && tok->xpos < 64)
            pc[tok->upos * 64u + tok->xpos].count++;
    }
    qsort(pc, (size_t)DYAD_UPOS_COUNT * 64, sizeof *pc, cmp_pair);
    t->K = 0;
    for (size_t i = 0; i < (size_t)DYAD_UPOS_COUNT * 64 && t->K < MAX_CLASSES; i++) {
        if (pc[i].count < MIN_CLASS_COUNT || !pc[i].upos || !pc[i].xpos)
            continue;
        t->upos[t->K] = pc[i].upos;
        t->xpos[t->K] = pc[i].xpos;
        t->K++;
    }
    free(pc);
    if (t->K < 2)
        return DYAD_EINVAL;
    for (uint32_t u = 0; u < DYAD_UPOS_COUNT; u++)
        for (uint32_t x = 0; x < 64; x++) {
            uint32_t best = UINT32_MAX, by_upos = UINT32_MAX;
            for (uint32_t k = 0; k < t->K && best == UINT32_MAX; k++) {
                if (t->upos[k] == u && t->xpos[k] == x)
                    best = k;
            }
            for (uint32_t k = 0; k < t->K && best == UINT32_MAX; k++)
                if (t->xpos[k] == x)
                    best = k;
            for (uint32_t k = 0; k < t->K && by_upos == UINT32_MAX; k++)
                if (t->upos[k] == u)
                    by_upos = k;
            pair_map[u * 64 + x] = best != UINT32_MAX ? best : by_upos != UINT32_MAX ? by_upos : 0;
        }
    return DYAD_OK;
}

static void describe_corpus(const dyad__corpus *c, size_t s, const dyad__wnset *wn,
                            tok_info *out)
{
    const dyad_token *toks = c->toks + c->sent_first[s];
    size_t n = c->sent_len[s];
    describer d;
    describer_init(&d, toks, n);
    for (size_t i = 0; i < n; i++) {
        describer_next(&d, &out[i], toks[i].form);
        out[i].wn = word_wn(wn, toks[i].form);
    }
}

static void static_keys(const trainer *t, const tok_info *info, size_t n, size_t i,
                        const tok_info *start, const tok_info *end, uint64_t *out)
{
    const tok_info *m2 = i >= 2 ? &info[i - 2] : start;
    const tok_info *m1 = i >= 1 ? &info[i - 1] : start;
    const tok_info *p1 = i + 1 < n ? &info[i + 1] : end;
    const tok_info *p2 = i + 2 < n ? &info[i + 2] : end;
    (void)t;
    feats_static(m2, m1, &info[i], p1, p2, out);
}

static int32_t row_of(fmap *f, uint64_t key)
{
    uint32_t *v = fmap_slot(f, key, false);
    return v && *v ? (int32_t)(*v - 1) : -1;
}

static bool dict_class(const trainer *t, uint64_t w, uint32_t *cls)
{
    size_t lo = 0, hi = t->ndict;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (t->dict[mid].w < w)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < t->ndict && t->dict[lo].w == w) {
        *cls = t->dict[lo].cls;
        return true;
    }
    return false;
}

/* Ambiguity classes: a word seen AMB_MIN_COUNT times gets the set of classes it had at least
 * 5% of the time, numbered from 1 as they are first met in order of the words' hashes.
 * The model's word rows carry the classes from the whole corpus; a training token gets the
 * class computed without its own tenth of the corpus (jackknifing), so that training sees
 * the classes as unreliable as they are on new text. */
#define AMB_FOLDS 10

typedef struct amb_item {
    uint64_t w;
    uint32_t cls, fold;
    uint32_t tok;
} amb_item;

static int cmp_amb_item(const void *a, const void *b)
{
    const amb_item *x = a, *y = b;
    if (x->w != y->w)
        return x->w < y->w ? -1 : 1;
    return (x->tok > y->tok) - (x->tok < y->tok);
}

static dyad_status amb_id(fmap *sets, uint32_t *nsets, const uint32_t *counts, size_t total,
                          uint32_t K, uint32_t *id)
{
    *id = 0;
    if (total < AMB_MIN_COUNT)
        return DYAD_OK;
    uint64_t mask[2] = {0, 0};
    for (uint32_t k = 0; k < K; k++)
        if (counts[k] && (size_t)counts[k] * 20 >= total)
            mask[k >> 6] |= 1ull << (k & 63);
    uint32_t *v = fmap_slot(sets, dyad__mix64(mask[0]) ^ mask[1] * 0x9e3779b97f4a7c15ull, true);
    if (!v)
        return DYAD_ENOMEM;
    if (!*v) {
        if (*nsets + 1 >= 0xffff)
            return DYAD_ELIMIT;
        *v = ++*nsets;
    }
    *id = *v;
    return DYAD_OK;
}

static dyad_status make_amb(trainer *t)
{
    const dyad__corpus *c = t->c;
    const uint32_t K = t->K;
    amb_item *it = malloc((c->ntoks ? c->ntoks : 1) * sizeof *it);
    uint32_t *full = calloc(K, sizeof *full);
    uint32_t *fold = calloc((size_t)K * AMB_FOLDS, sizeof *fold);
    size_t fold_total[AMB_FOLDS];
    fmap sets = {0};
    uint32_t nsets = 0;
    dyad_status st = DYAD_OK;
    if (!it || !full || !fold) {
        st = DYAD_ENOMEM;
        goto done;
    }
    for (size_t s = 0; s < c->nsents; s++)
        for (size_t i = c->sent_first[s]; i < c->sent_first[s] + c->sent_len[s]; i++) {
            it[i].w = t->info[i].w;
            it[i].cls = t->gold[i];
            it[i].fold = (uint32_t)(s % AMB_FOLDS);
            it[i].tok = (uint32_t)i;
        }
    qsort(it, c->ntoks, sizeof *it, cmp_amb_item);
    for (size_t i = 0; i < c->ntoks && !st;) {
        size_t j = i;
        while (j < c->ntoks && it[j].w == it[i].w)
            j++;
        memset(full, 0, K * sizeof *full);
        memset(fold, 0, (size_t)K * AMB_FOLDS * sizeof *fold);
        memset(fold_total, 0, sizeof fold_total);
        for (size_t a = i; a < j; a++) {
            full[it[a].cls]++;
            fold[it[a].fold * K + it[a].cls]++;
            fold_total[it[a].fold]++;
        }
        uint32_t whole, per_fold[AMB_FOLDS];
        st = amb_id(&sets, &nsets, full, j - i, K, &whole);
        for (uint32_t f = 0; f < AMB_FOLDS && !st; f++) {
            per_fold[f] = 0;
            if (!fold_total[f])
                continue;
            for (uint32_t k = 0; k < K; k++)
                fold[f * K + k] = full[k] - fold[f * K + k];
            st = amb_id(&sets, &nsets, fold + f * K, j - i - fold_total[f], K, &per_fold[f]);
        }
        for (size_t a = i; a < j && !st; a++) {
            t->info[it[a].tok].amb = per_fold[it[a].fold];
            t->info[it[a].tok].amb_whole = whole;
        }
        i = j;
    }
    t->namb = nsets;
done:
    free(it);
    free(full);
    free(fold);
    fmap_free(&sets);
    return st;
}

/* Words seen DICT_MIN_COUNT times (where the dictionary applies) with one class at least
 * DICT_MIN_SHARE of the time. */
static dyad_status make_dict(trainer *t)
{
    const dyad__corpus *c = t->c;
    word_class *wc = malloc((c->ntoks ? c->ntoks : 1) * sizeof *wc);
    if (!wc)
        return DYAD_ENOMEM;
    size_t n = 0;
    for (size_t i = 0; i < c->ntoks; i++)
        if (dict_applies(&t->info[i])) {
            wc[n].w = t->info[i].w;
            wc[n].cls = t->gold[i];
            n++;
        }
    qsort(wc, n, sizeof *wc, cmp_word_class);
    t->ndict = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i, best_n = 0, cur_n = 0;
        uint32_t best = 0;
        for (; j < n && wc[j].w == wc[i].w; j++) {
            cur_n = j > i && wc[j].cls == wc[j - 1].cls ? cur_n + 1 : 1;
            if (cur_n > best_n) {
                best_n = cur_n;
                best = wc[j].cls;
            }
        }
        size_t total = j - i;
        if (total >= DICT_MIN_COUNT && (double)best_n >= DICT_MIN_SHARE * (double)total) {
            wc[t->ndict].w = wc[i].w;
            wc[t->ndict].cls = best;
            t->ndict++;
        }
        i = j;
    }
    t->dict = wc;
    return DYAD_OK;
}

/* Count features over the gold history; keep the frequent ones as rows. */
static dyad_status make_features(trainer *t, const tok_info *start, const tok_info *end)
{
    const dyad__corpus *c = t->c;
    uint64_t keys[MAX_FEATS];
    fmap counts = {0};
    /* a word is known when its word feature will be kept (every token has one) */
    for (size_t i = 0; i < c->ntoks; i++) {
        uint32_t *v = fmap_slot(&counts, t->info[i].w, true);
        if (!v)
            return DYAD_ENOMEM;
        ++*v;
    }
    for (size_t i = 0; i < c->ntoks; i++)
        t->info[i].known = *fmap_slot(&counts, t->info[i].w, false) >= MIN_FEATURE_COUNT;
    fmap_free(&counts);
    for (int pass = 0; pass < 2; pass++) {
        for (size_t s = 0; s < c->nsents; s++) {
            size_t first = c->sent_first[s], n = c->sent_len[s];
            const tok_info *info = t->info + first;
            const uint8_t *gold = t->gold + first;
            uint32_t t1 = t->K, t2 = t->K, finl = 0;
            size_t nfinite = 0;
            for (size_t i = 0; i < n; i++)
                nfinite += t->finite[gold[i]];
            for (size_t i = 0; i < n; i++) {
                size_t nk = NSTATIC;
                nfinite -= t->finite[gold[i]];
                static_keys(t, info, n, i, start, end, keys);
                tok_keep ck;
                keep_of(&ck, &info[i]);
                uint64_t next_w = i + 1 < n ? info[i + 1].w : end->w;
                nk += feats_dynamic(&ck, next_w, t1, t2, finl, keys + nk);
                nk += feats_right(&ck, t1, i + 1 < n ? gold[i + 1] : t->K + 1,
                                  i + 2 < n ? gold[i + 2] : t->K + 1,
                                  finl | (nfinite > 0) << 1, keys + nk);
                finl |= t->finite[gold[i]];
                for (size_t f = 0; f < nk; f++) {
                    if (pass == 0) {
                        uint32_t *v = fmap_slot(&counts, keys[f], true);
                        if (!v) {
                            fmap_free(&counts);
                            return DYAD_ENOMEM;
                        }
                        ++*v;
                    } else {
                        uint32_t *v = fmap_slot(&counts, keys[f], false);
                        if (!v || *v < MIN_FEATURE_COUNT)
                            continue;
                        uint32_t *r = fmap_slot(&t->feats, keys[f], true);
                        if (!r) {
                            fmap_free(&counts);
                            return DYAD_ENOMEM;
                        }
                        if (!*r) {
                            if (DYAD_GROW(t->row_key, t->cap_rows, t->nrows + 1) ||
                                DYAD_GROW(t->row_word, t->cap_row_word, t->nrows + 1) ||
                                DYAD_GROW(t->row_amb, t->cap_row_amb, t->nrows + 1)) {
                                fmap_free(&counts);
                                return DYAD_ENOMEM;
                            }
                            t->row_word[t->nrows] = f == 1;
                            t->row_amb[t->nrows] = f == 1 ? (uint16_t)info[i].amb_whole : 0;
                            t->row_key[t->nrows] = keys[f];
                            *r = (uint32_t)++t->nrows;
                        }
                    }
                }
                t2 = t1;
                t1 = t->gold[first + i];
            }
        }
    }
    fmap_free(&counts);
    return DYAD_OK;
}

static uint32_t predict(const trainer *t, const int32_t *rows, size_t nr, int32_t *scores)
{
    const uint32_t K = t->K;
    memset(scores, 0, K * sizeof *scores);
    for (size_t f = 0; f < nr; f++) {
        const int32_t *w = t->W + (size_t)rows[f] * K;
        for (uint32_t k = 0; k < K; k++)
            scores[k] += w[k];
    }
    uint32_t best = 0;
    for (uint32_t k = 1; k < K; k++)
        if (scores[k] > scores[best])
            best = k;
    return best;
}

static void update(trainer *t, const int32_t *rows, size_t nr, uint32_t gold, uint32_t guess)
{
    const uint32_t K = t->K;
    for (size_t f = 0; f < nr; f++) {
        size_t base = (size_t)rows[f] * K;
        t->W[base + gold] += 1;
        t->U[base + gold] += t->clock;
        t->W[base + guess] -= 1;
        t->U[base + guess] -= t->clock;
    }
}

/* Score token i of a sentence and learn from a mistake.  right: the first pass's classes
 * (NULL in the first pass). */
static uint32_t train_token(trainer *t, size_t first, size_t n, size_t i, uint32_t t1,
                            uint32_t t2, uint32_t fin, const uint8_t *right, const tok_info *end)
{
    const tok_info *info = t->info + first;
    uint64_t keys[MAX_FEATS];
    int32_t rows[MAX_FEATS];
    int32_t scores[MAX_CLASSES];
    size_t nr = 0;
    const int32_t *sr = t->srows + (first + i) * NSTATIC;
    for (size_t f = 0; f < NSTATIC; f++)
        if (sr[f] >= 0)
            rows[nr++] = sr[f];
    tok_keep ck;
    keep_of(&ck, &info[i]);
    size_t nk = feats_dynamic(&ck, i + 1 < n ? info[i + 1].w : end->w, t1, t2, fin & 1, keys);
    if (right)
        nk += feats_right(&ck, t1, i + 1 < n ? right[i + 1] : t->K + 1,
                          i + 2 < n ? right[i + 2] : t->K + 1, fin, keys + nk);
    for (size_t f = 0; f < nk; f++) {
        int32_t r = row_of(&t->feats, keys[f]);
        if (r >= 0)
            rows[nr++] = r;
    }
    uint32_t gold = t->gold[first + i];
    uint32_t guess = predict(t, rows, nr, scores);
    if (guess != gold)
        update(t, rows, nr, gold, guess);
    return guess;
}

/* One pass over the training sentences in the given order; returns tokens right (in the
 * second pass). */
static size_t train_epoch(trainer *t, const uint32_t *order, uint8_t *pass1,
                          const tok_info *end)
{
    const dyad__corpus *c = t->c;
    const int passes = 2;
    size_t right = 0;
    for (size_t o = 0; o < c->nsents; o++) {
        size_t s = order[o];
        size_t first = c->sent_first[s], n = c->sent_len[s];
        const tok_info *info = t->info + first;
        size_t nfinite = 0;
        for (int pass = 0; pass < passes; pass++) {
            uint32_t t1 = t->K, t2 = t->K, finl = 0;
            const uint8_t *r = pass ? pass1 : NULL;
            for (size_t i = 0; i < n; i++) {
                uint32_t guess;
                t->clock++;
                if (pass)
                    nfinite -= t->finite[pass1[i]];
                if (!(dict_applies(&info[i]) && dict_class(t, info[i].w, &guess)))
                    guess = train_token(t, first, n, i, t1, t2,
                                        finl | (pass && nfinite > 0) << 1, r, end);
                if (pass == passes - 1) {
                    right += guess == t->gold[first + i];
                } else {
                    pass1[i] = (uint8_t)guess;
                    nfinite += t->finite[guess];
                }
                t2 = t1;
                t1 = guess;
                finl |= t->finite[guess];
            }
        }
    }
    return right;
}

static dyad_status export_model(trainer *t)
{
    const uint32_t K = t->K;
    free(t->keys);
    free(t->rows);
    t->keys = NULL;
    t->rows = NULL;
    double clock = t->clock ? (double)t->clock : 1.0;
    double maxabs = 1e-9;
    for (size_t i = 0; i < t->nrows * K; i++) {
        double a = fabs((double)t->W[i] - (double)t->U[i] / clock);
        if (a > maxabs)
            maxabs = a;
    }
    double scale = 32000.0 / maxabs;
    /* dictionary words by their word-feature key */
    fmap dk = {0};
    for (size_t i = 0; i < t->ndict; i++) {
        uint32_t *v = fmap_slot(&dk, fkey(T_W, t->dict[i].w), true);
        if (!v)
            return DYAD_ENOMEM;
        *v = t->dict[i].cls + 1;
    }
    size_t cap = 1024, used = 0, nout = 0;
    unsigned char *rows = malloc(cap);
    uint64_t *okeys = malloc((t->nrows + t->ndict + 1) * sizeof *okeys);
    uint32_t *ooffs = malloc((t->nrows + t->ndict + 1) * sizeof *ooffs);
    if (!rows || !okeys || !ooffs)
        goto nomem;
    int16_t wq[MAX_CLASSES], dense[MAX_CLASSES];
    uint8_t cq[MAX_CLASSES];
    const uint32_t kp = (K + 15) & ~15u;
    for (size_t r = 0; r < t->nrows + t->ndict; r++) {
        uint64_t key;
        size_t nnz = 0;
        uint32_t dcls = NO_CLASS;
        if (r < t->nrows) {
            key = t->row_key[r];
            for (uint32_t k = 0; k < K; k++) {
                size_t i = r * K + k;
                double a = (double)t->W[i] - (double)t->U[i] / clock;
                if (fabs(a) < PRUNE_BELOW)
                    continue;
                long q = lround(a * scale);
                if (!q)
                    continue;
                wq[nnz] = (int16_t)(q > 32767 ? 32767 : q < -32767 ? -32767 : q);
                cq[nnz] = (uint8_t)k;
                nnz++;
            }
            uint32_t *v = fmap_slot(&dk, key, false);
            if (v && *v) {
                dcls = *v - 1;
                *v = 0;   /* emitted */
            }
        } else {
            key = fkey(T_W, t->dict[r - t->nrows].w);
            uint32_t *v = fmap_slot(&dk, key, false);
            if (!v || !*v)
                continue;
            dcls = *v - 1;
        }
        if (!nnz && dcls == NO_CLASS && !(r < t->nrows && t->row_word[r]))
            continue;
        bool is_dense = nnz >= DENSE_FROM;
        size_t len = is_dense ? 4 + 2 * (size_t)kp : 4 + 3 * nnz;
        len += len & 1;
        if (used + len > cap) {
            while (used + len > cap)
                cap *= 2;
            unsigned char *nr = realloc(rows, cap);
            if (!nr)
                goto nomem;
            rows = nr;
        }
        unsigned char *row = rows + used;
        memset(row, 0, len);
        row[0] = (unsigned char)nnz;
        row[1] = (unsigned char)dcls;
        uint16_t amb = r < t->nrows ? t->row_amb[r] : 0;
        row[2] = (unsigned char)amb;
        row[3] = (unsigned char)(amb >> 8);
        if (is_dense) {
            row[0] = DENSE;
            memset(dense, 0, sizeof dense);
            for (size_t j = 0; j < nnz; j++)
                dense[cq[j]] = wq[j];
            memcpy(row + 4, dense, 2 * (size_t)kp);
        } else {
            memcpy(row + 4, wq, 2 * nnz);
            memcpy(row + 4 + 2 * nnz, cq, nnz);
        }
        okeys[nout] = key;
        ooffs[nout] = (uint32_t)used;
        nout++;
        used += len;
    }
    fmap_free(&dk);
    size_t nslots = 1024;
    while (nslots < 2 * nout)
        nslots *= 2;
    uint32_t *keys = calloc(nslots * 2, sizeof *keys);
    if (!keys)
        goto nomem;
    for (size_t i = 0; i < nout; i++) {
        uint32_t fp = (uint32_t)(okeys[i] >> 32) | 1u;
        size_t j = okeys[i] & (nslots - 1);
        while (keys[2 * j])
            j = (j + 1) & (nslots - 1);
        keys[2 * j] = fp;
        keys[2 * j + 1] = ooffs[i];
    }
    free(okeys);
    free(ooffs);
    memset(&t->meta, 0, sizeof t->meta);
    t->meta.magic = TAG_MAGIC;
    t->meta.version = TAG_VERSION;
    t->meta.nclasses = K;
    t->meta.nslots = (uint32_t)nslots;
    t->meta.rows_size = (uint32_t)used;
    t->meta.nrows = (uint32_t)nout;
    t->meta.scale = (float)scale;
    t->meta.flags = t->wn.slots ? TAG_USES_WORDNET : 0;
    memcpy(t->meta.upos, t->upos, sizeof t->upos);
    memcpy(t->meta.xpos, t->xpos, sizeof t->xpos);
    t->keys = keys;
    t->rows = rows;
    t->nslots = nslots;
    t->rows_size = used;
    t->nrows_out = nout;
    return DYAD_OK;
nomem:
    fmap_free(&dk);
    free(rows);
    free(okeys);
    free(ooffs);
    return DYAD_ENOMEM;
}

/* UPOS and XPOS accuracy of the exported model on a corpus (gold tokens). */
static void evaluate(const trainer *t, const dyad__corpus *c, dyad_token *scratch,
                     dyad_worker *w, double *upos_acc, double *xpos_acc)
{
    struct dyad_tagger v;
    view_init(&v, &t->meta, t->keys, t->rows, &t->wn);
    size_t nu = 0, nx = 0;
    for (size_t s = 0; s < c->nsents; s++) {
        const dyad_token *gold = c->toks + c->sent_first[s];
        size_t n = c->sent_len[s];
        for (size_t i = 0; i < n; i++) {
            memset(&scratch[i], 0, sizeof scratch[i]);
            scratch[i].form = gold[i].form;
        }
        tag_sentence(&v, w, scratch, n);
        for (size_t i = 0; i < n; i++) {
            nu += scratch[i].upos == gold[i].upos;
            nx += scratch[i].xpos == gold[i].xpos;
        }
    }
    *upos_acc = c->ntoks ? 100.0 * (double)nu / (double)c->ntoks : 0;
    *xpos_acc = c->ntoks ? 100.0 * (double)nx / (double)c->ntoks : 0;
}

static void progress(const dyad_train_opts *opts, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void progress(const dyad_train_opts *opts, const char *fmt, ...)
{
    if (!opts || !opts->progress)
        return;
    char line[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    opts->progress(opts->progress_ctx, line);
}

static uint64_t rng_next(uint64_t *s)
{
    *s += 0x9e3779b97f4a7c15ull;
    return dyad__mix64(*s);
}

dyad_status dyad__tagger_train(const dyad__corpus *train, const dyad__corpus *dev,
                               const dyad_train_opts *opts, dyad__mw *out, dyad_error *err)
{
    if (!train || !train->nsents || !out)
        return dyad__fail(err, DYAD_EINVAL, "tagger training: no training sentences");
    trainer t;
    memset(&t, 0, sizeof t);
    t.c = train;
    dyad_status st = DYAD_ENOMEM;
    uint32_t *order = NULL;
    dyad_token *scratch = NULL;
    uint8_t *pass1 = NULL;
    dyad_worker *worker = NULL;
    unsigned char *best_rows = NULL;
    uint32_t *best_keys = NULL;
    tag_meta best_meta;
    uint32_t *pair_map = malloc((size_t)DYAD_UPOS_COUNT * 64 * sizeof *pair_map);
    t.gold = malloc(train->ntoks * sizeof *t.gold);
    t.info = malloc(train->ntoks * sizeof *t.info);
    order = malloc(train->nsents * sizeof *order);
    if (!pair_map || !t.gold || !t.info || !order)
        goto fail;
    /* WordNet's lemma set (the lemmatiser stores the same table as "lem.wn"); without it
     * the tagger does without the feature */
    dyad__wnbuild wb;
    if (dyad__wn_build(&wb, dyad__wn_dir(opts), NULL) == DYAD_OK) {
        t.wn.slots = wb.slots;
        t.wn.mask = wb.mask;
    } else {
        memset(&wb, 0, sizeof wb);
    }
    if (make_classes(&t, pair_map)) {
        st = dyad__fail(err, DYAD_EINVAL, "tagger training: the corpus has too few tags");
        goto fail;
    }
    for (size_t i = 0; i < train->ntoks; i++)
        t.gold[i] = (uint8_t)gold_class(&t, &train->toks[i], pair_map);
    finite_classes(t.xpos, t.K, t.finite);
    size_t maxlen = 1;
    for (size_t s = 0; s < train->nsents; s++) {
        describe_corpus(train, s, &t.wn, t.info + train->sent_first[s]);
        if (train->sent_len[s] > maxlen)
            maxlen = train->sent_len[s];
    }
    if (dev)
        for (size_t s = 0; s < dev->nsents; s++)
            if (dev->sent_len[s] > maxlen)
                maxlen = dev->sent_len[s];
    scratch = malloc(maxlen * sizeof *scratch);
    pass1 = malloc(maxlen);
    worker = dyad_worker_new();
    if (!scratch || !pass1 || !worker)
        goto fail;
    tok_info start, end;
    prepare_boundary(&start, 1);
    prepare_boundary(&end, 2);
    if (make_dict(&t) || make_amb(&t) || make_features(&t, &start, &end))
        goto fail;
    t.srows = malloc(train->ntoks * NSTATIC * sizeof *t.srows);
    t.W = calloc(t.nrows * t.K, sizeof *t.W);
    t.U = calloc(t.nrows * t.K, sizeof *t.U);
    if (!t.srows || !t.W || !t.U)
        goto fail;
    for (size_t s = 0; s < train->nsents; s++) {
        size_t first = train->sent_first[s], n = train->sent_len[s];
        uint64_t keys[MAX_FEATS];
        for (size_t i = 0; i < n; i++) {
            static_keys(&t, t.info + first, n, i, &start, &end, keys);
            for (size_t f = 0; f < NSTATIC; f++)
                t.srows[(first + i) * NSTATIC + f] = row_of(&t.feats, keys[f]);
        }
    }
    progress(opts, "tagger: %zu sentences, %zu tokens, %u classes, %zu features, "
             "%zu dictionary words, %u ambiguity classes", train->nsents, train->ntoks, t.K,
             t.nrows, t.ndict, t.namb);
    int epochs = opts && opts->tagger_epochs > 0 ? opts->tagger_epochs : DEFAULT_EPOCHS;
    uint64_t rng = (opts ? opts->seed : 0) ^ 0x7461676765720000ull;
    for (size_t s = 0; s < train->nsents; s++)
        order[s] = (uint32_t)s;
    double best = -1;
    int best_epoch = 0;
    for (int e = 1; e <= epochs; e++) {
        for (size_t s = train->nsents; s > 1; s--) {
            size_t j = (size_t)(rng_next(&rng) % s);
            uint32_t tmp = order[s - 1];
            order[s - 1] = order[j];
            order[j] = tmp;
        }
        size_t right = train_epoch(&t, order, pass1, &end);
        if (export_model(&t))
            goto fail;
        double du = 0, dx = 0;
        if (dev && dev->nsents)
            evaluate(&t, dev, scratch, worker, &du, &dx);
        progress(opts, "tagger: epoch %d/%d: train %.2f%%, dev UPOS %.2f%% XPOS %.2f%%, "
                 "%zu rows", e, epochs, 100.0 * (double)right / (double)train->ntoks, du, dx,
                 t.nrows_out);
        /* keep the epoch that tags the development set best (the last without one) */
        if (!dev || !dev->nsents || du + dx > best) {
            best = du + dx;
            best_epoch = e;
            free(best_rows);
            free(best_keys);
            best_rows = t.rows;
            best_keys = t.keys;
            best_meta = t.meta;
            t.rows = NULL;
            t.keys = NULL;
        }
    }
    if (!best_rows)
        goto fail;
    if ((st = dyad__mw_add(out, "tag.meta", &best_meta, sizeof best_meta)) ||
        (st = dyad__mw_add(out, "tag.keys", best_keys, (size_t)best_meta.nslots * 8)) ||
        (st = dyad__mw_add(out, "tag.rows", best_rows, best_meta.rows_size))) {
        st = dyad__fail(err, st, "tagger training: cannot add the model sections");
        goto done;
    }
    progress(opts, "tagger: kept epoch %d: %u rows, %zu bytes", best_epoch, best_meta.nrows,
             sizeof best_meta + (size_t)best_meta.nslots * 8 + best_meta.rows_size);
    st = DYAD_OK;
    goto done;
fail:
    if (st == DYAD_ENOMEM)
        st = dyad__fail(err, DYAD_ENOMEM, "tagger training: out of memory");
done:
    free(pair_map);
    free(order);
    free(scratch);
    free(pass1);
    dyad_worker_free(worker);
    free(best_rows);
    free(best_keys);
    trainer_free(&t);
    dyad__wn_build_free(&wb);
    return st;
}
