/* lemma.c - lemmatiser: treebank and WordNet lemma tables plus morphy-style suffix rules. */
#include "tagger_lex.h"

#include <stdio.h>
#include <stdlib.h>

/*
 * A token's lemma comes from, in order:
 *   1. the lemma table, keyed by (folded form, XPOS): lemmas the training treebank gives
 *      that the rules below would not find (e.g. was/VBD -> be, us/PRP -> we);
 *   2. for inflected tags (NNS, NNPS, VB[DGNZ], JJR/JJS, RBR/RBS): WordNet's exception lists
 *      (the same table, keyed by (folded form, part of speech)), then morphy: detach a
 *      suffix and accept a base that WordNet's index knows, then plain suffix rules;
 *   3. otherwise the folded form; a proper noun (NNP) keeps its form.
 *
 * Model sections (little-endian, pointer-free):
 *   "lem.meta"  struct lem_meta
 *   "lem.tab"   nslots x struct lem_entry: open addressing on the key (0 = empty)
 *   "lem.pool"  the lemma strings
 *   "lem.wn"    the WordNet lemma set (see dyad__wnset in tagger_lex.h)
 */

#define LEM_MAGIC 0x314d454cu   /* "LEM1" */
#define LEM_VERSION 1u
#define MAX_WORD 128

enum { KIND_LOWER = 1, KIND_FORM = 2, KIND_STR = 3 };

/* Key seeds of the WordNet exception lists (XPOS seeds are below 64). */
enum { SEED_NOUN = 100, SEED_VERB, SEED_ADJ, SEED_ADV };

typedef struct lem_meta {
    uint32_t magic, version;
    uint32_t nslots;          /* power of two */
    uint32_t pool_size;
    uint32_t wn_slots;        /* power of two */
    uint32_t nentries;
    uint32_t reserved[2];
} lem_meta;

typedef struct lem_entry {
    uint64_t key;
    uint32_t off;
    uint16_t len;
    uint16_t kind;
} lem_entry;

/* Penn tags the rules look at. */
typedef struct xpos_ids {
    int nnp, nnps, nns, vbd, vbg, vbn, vbz, jjr, jjs, rbr, rbs, vbp, vb, add, cd;
} xpos_ids;

struct dyad_lemmas {
    xpos_ids x;               /* looked up once, when the model is opened */
    const lem_meta *meta;
    const lem_entry *tab;
    const char *pool;
    uint32_t mask;
    dyad__wnset wn;
};

static void get_ids(xpos_ids *x)
{
    x->nnp = dyad_xpos_from_name(dyad__cstr("NNP"));
    x->nnps = dyad_xpos_from_name(dyad__cstr("NNPS"));
    x->nns = dyad_xpos_from_name(dyad__cstr("NNS"));
    x->vbd = dyad_xpos_from_name(dyad__cstr("VBD"));
    x->vbg = dyad_xpos_from_name(dyad__cstr("VBG"));
    x->vbn = dyad_xpos_from_name(dyad__cstr("VBN"));
    x->vbz = dyad_xpos_from_name(dyad__cstr("VBZ"));
    x->vbp = dyad_xpos_from_name(dyad__cstr("VBP"));
    x->vb = dyad_xpos_from_name(dyad__cstr("VB"));
    x->jjr = dyad_xpos_from_name(dyad__cstr("JJR"));
    x->jjs = dyad_xpos_from_name(dyad__cstr("JJS"));
    x->rbr = dyad_xpos_from_name(dyad__cstr("RBR"));
    x->rbs = dyad_xpos_from_name(dyad__cstr("RBS"));
    x->add = dyad_xpos_from_name(dyad__cstr("ADD"));
    x->cd = dyad_xpos_from_name(dyad__cstr("CD"));
}

static inline uint64_t lem_key(const char *w, size_t n, uint64_t seed)
{
    uint64_t k = dyad__hash(w, n, seed * 0x2545f4914f6cdd1dull + 0x4c454d);
    return k ? k : 1;
}

/* ---------------------------------------------------------------- rules */

/* A lemma being built: either a slice of the token or of the model, or bytes in buf. */
typedef struct lem_out {
    int kind;                 /* KIND_LOWER, KIND_FORM or KIND_STR */
    const char *str;          /* KIND_STR: the lemma (in the model, in buf or static) */
    size_t len;
} lem_out;

static bool ends(const char *w, size_t n, const char *suf)
{
    size_t k = strlen(suf);
    return n >= k && memcmp(w + n - k, suf, k) == 0;
}

static bool vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

/* Plural -s of a word WordNet does not know. */
static size_t strip_plural(const char *w, size_t n, char *buf)
{
    memcpy(buf, w, n);
    if (n > 4 && ends(w, n, "ies") && !vowel(w[n - 4])) {
        memcpy(buf + n - 3, "y", 1);
        return n - 2;
    }
    if (n > 4 && (ends(w, n, "sses") || ends(w, n, "ches") || ends(w, n, "shes") ||
                  ends(w, n, "xes") || ends(w, n, "zzes")))
        return n - 2;
    if (n > 3 && w[n - 1] == 's' && !ends(w, n, "ss") && !ends(w, n, "us") &&
        !ends(w, n, "is") && w[n - 2] != '\'')
        return n - 1;
    return n;
}

/* -ed / -ing of a verb WordNet does not know: undo a doubled consonant, restore a silent e
 * after endings that need one. */
static size_t strip_verb_ending(const char *w, size_t n, size_t cut, char *buf, size_t cap)
{
    size_t m = n - cut;
    if (m < 2 || m + 1 > cap)
        return 0;
    memcpy(buf, w, m);
    char a = buf[m - 2], b = buf[m - 1];
    if (a == b && !vowel(b) && b != 'l' && b != 's' && b != 'z' && b != 'f')
        return m - 1;
    if ((a == 'i' && b == 'z') || (a == 'y' && b == 'z') || b == 'v' ||
        (!vowel(a) && a != 'r' && b == 'l') || (a == 'a' && b == 't' && m > 3) ||
        (a == 'u' && b == 'r' && m > 4)) {
        buf[m] = 'e';
        return m + 1;
    }
    return m;
}

static size_t rule_verb(const struct dyad_lemmas *L, const char *w, size_t n, char *buf,
                        size_t cap)
{
    size_t k = dyad__morphy(&L->wn, w, n, DYAD__WN_VERB, buf, cap);
    if (k)
        return k;
    if (dyad__wn_lookup(&L->wn, w, n) & DYAD__WN_VERB)
        return 0;
    if (n > 4 && ends(w, n, "ied")) {
        memcpy(buf, w, n - 3);
        buf[n - 3] = 'y';
        return n - 2;
    }
    if (n > 4 && ends(w, n, "ed"))
        return strip_verb_ending(w, n, 2, buf, cap);
    if (n > 5 && ends(w, n, "ing"))
        return strip_verb_ending(w, n, 3, buf, cap);
    if (n > 3 && w[n - 1] == 's') {
        if (n > 4 && (ends(w, n, "sses") || ends(w, n, "ches") || ends(w, n, "shes") ||
                      ends(w, n, "xes") || ends(w, n, "zes") || ends(w, n, "oes"))) {
            memcpy(buf, w, n - 2);
            return n - 2;
        }
        return strip_plural(w, n, buf);
    }
    return 0;
}

/* A number written with thousands separators (UD lemmas drop them: 6,363,217 -> 6363217). */
static bool grouped_number(dyad_slice f)
{
    bool comma = false;
    for (size_t i = 0; i < f.len; i++) {
        char c = f.ptr[i];
        if (c == ',' && i > 0 && i + 1 < f.len)
            comma = true;
        else if (!(c >= '0' && c <= '9') && c != '.')
            return false;
    }
    return comma;
}

/* Lemma of a token (form, folded w of n bytes, tag xpos) when the table has none. */
static void rules(const struct dyad_lemmas *L, const xpos_ids *x, dyad_slice form,
                  const char *w, size_t n, int xpos, char *buf, size_t cap, lem_out *out)
{
    out->kind = KIND_LOWER;
    size_t k = 0;
    if (xpos == x->nnp || xpos == x->add) {
        out->kind = KIND_FORM;   /* proper nouns, e-mail and web addresses keep their form */
        return;
    }
    if (xpos == x->cd && form.len < cap && grouped_number(form)) {
        for (size_t i = 0; i < form.len; i++)
            if (form.ptr[i] != ',')
                buf[k++] = form.ptr[i];
        out->kind = KIND_STR;
        out->str = buf;
        out->len = k;
        return;
    }
    if (xpos == x->nns || xpos == x->nnps) {
        k = dyad__morphy(&L->wn, w, n, DYAD__WN_NOUN, buf, cap);
        if (!k && !(dyad__wn_lookup(&L->wn, w, n) & DYAD__WN_NOUN)) {
            k = strip_plural(w, n, buf);
            if (k == n)
                k = 0;
        }
    } else if (xpos == x->vbd || xpos == x->vbn || xpos == x->vbz || xpos == x->vbg) {
        k = rule_verb(L, w, n, buf, cap);
    } else if (xpos == x->jjr || xpos == x->jjs) {
        k = dyad__morphy(&L->wn, w, n, DYAD__WN_ADJ, buf, cap);
        if (!k && n > 5 && (ends(w, n, "ier") || ends(w, n, "iest"))) {
            k = n - (ends(w, n, "ier") ? 3 : 4);
            memcpy(buf, w, k);
            buf[k++] = 'y';
        }
    }
    if (k && (k != n || memcmp(buf, w, n) != 0)) {
        out->kind = KIND_STR;
        out->str = buf;
        out->len = k;
    }
}

static const lem_entry *find(const struct dyad_lemmas *L, uint64_t key)
{
    for (uint32_t i = (uint32_t)key & L->mask;; i = (i + 1) & L->mask) {
        const lem_entry *e = &L->tab[i];
        if (e->key == key)
            return e;
        if (!e->key)
            return NULL;
    }
}

static int exc_seed(const xpos_ids *x, int xpos)
{
    if (xpos == x->nns || xpos == x->nnps)
        return SEED_NOUN;
    if (xpos == x->vbd || xpos == x->vbn || xpos == x->vbz || xpos == x->vbg)
        return SEED_VERB;
    if (xpos == x->jjr || xpos == x->jjs)
        return SEED_ADJ;
    if (xpos == x->rbr || xpos == x->rbs)
        return SEED_ADV;
    return 0;
}

/* The lemma of a token (form, folded w) with tag xpos: table, exceptions, then rules. */
static void lemma_of(const struct dyad_lemmas *L, const xpos_ids *x, dyad_slice form,
                     const char *w, size_t n, int xpos, char *buf, size_t cap, lem_out *out)
{
    const lem_entry *e = find(L, lem_key(w, n, (uint64_t)xpos));
    if (!e) {
        int seed = exc_seed(x, xpos);
        if (seed)
            e = find(L, lem_key(w, n, (uint64_t)seed));
    }
    if (e) {
        out->kind = e->kind;
        out->str = L->pool + e->off;
        out->len = e->len;
        return;
    }
    rules(L, x, form, w, n, xpos, buf, cap, out);
}

/* The lemma's bytes: a slice of the form, the model or a static string, or (made here) of
 * dst, which has room for 2 * MAX_WORD + 8 bytes. */
static dyad_slice lemma_text(const lem_out *o, const xpos_ids *x, dyad_slice form,
                             const char *w, size_t n, int xpos, char *dst)
{
    if (o->kind == KIND_FORM)
        return form;
    if (o->kind == KIND_LOWER)
        return n == form.len && memcmp(w, form.ptr, n) == 0 ? form : dyad__slice(w, n);
    if (xpos == x->nnps && n == form.len) {
        /* a rule's plural proper noun keeps its case: Americans -> American */
        size_t same = 0;
        while (same < o->len && same < n && (unsigned char)form.ptr[same] < 0x80 &&
               w[same] == o->str[same])
            same++;
        memcpy(dst, form.ptr, same);
        memcpy(dst + same, o->str + same, o->len - same);
        return dyad__slice(dst, o->len);
    }
    return dyad__slice(o->str, o->len);
}

/* ---------------------------------------------------------------- run time */

static bool is_apostrophe_s(dyad_slice f)
{
    return (f.len == 2 && (f.ptr[0] == '\'' ) && (f.ptr[1] == 's' || f.ptr[1] == 'S')) ||
           (f.len == 4 && memcmp(f.ptr, "\xe2\x80\x99", 3) == 0 &&
            (f.ptr[3] == 's' || f.ptr[3] == 'S'));
}

/* 's as a verb: "have" before a past participle (he's gone), else "be". */
static bool s_is_have(const dyad_token *toks, size_t n, size_t i, int vbn)
{
    for (size_t j = i + 1; j < n && j <= i + 4; j++) {
        if (toks[j].upos == DYAD_UPOS_ADV || toks[j].upos == DYAD_UPOS_PART)
            continue;
        return toks[j].xpos == vbn;
    }
    return false;
}

static dyad_slice folded_copy(dyad_doc *doc, dyad_slice form)
{
    if (dyad__is_folded(form.ptr, form.len))
        return form;
    size_t cap = form.len * 2 + 4;
    char *p = doc ? dyad__arena_alloc(&doc->arena, cap) : NULL;
    if (!p)
        return form;
    size_t k = dyad__fold(form.ptr, form.len, p, cap);
    return dyad__slice(p, k);
}

/* Bring the table slot of a token's lemma into the cache (w: scratch of MAX_WORD bytes). */
static void prefetch_entry(const struct dyad_lemmas *L, const dyad_token *t, char *w)
{
    if (t->form.len > MAX_WORD)
        return;
    size_t k = dyad__fold(t->form.ptr, t->form.len, w, MAX_WORD);
    __builtin_prefetch(&L->tab[lem_key(w, k, (uint64_t)t->xpos) & L->mask]);
}

void dyad__lemmatise(const dyad_model *m, dyad_doc *doc, dyad_token *toks, size_t n)
{
    const struct dyad_lemmas *L = m ? m->lemmas : NULL;
    xpos_ids x;
    if (L)
        x = L->x;
    else
        get_ids(&x);
    char w[MAX_WORD], buf[MAX_WORD + 8], dst[2 * MAX_WORD + 8];
    if (L && n)
        prefetch_entry(L, &toks[0], w);
    for (size_t i = 0; i < n; i++) {
        dyad_token *t = &toks[i];
        /* the table is large: ask for the next token's slot while this one is done */
        if (L && i + 1 < n)
            prefetch_entry(L, &toks[i + 1], w);
        if (!L || t->form.len > MAX_WORD) {
            t->lemma = t->xpos == x.nnp || t->upos == DYAD_UPOS_PROPN ? t->form
                                                                       : folded_copy(doc, t->form);
            continue;
        }
        if (t->xpos == x.vbz && is_apostrophe_s(t->form)) {
            t->lemma = s_is_have(toks, n, i, x.vbn) ? dyad__cstr("have") : dyad__cstr("be");
            continue;
        }
        size_t k = dyad__fold(t->form.ptr, t->form.len, w, sizeof w);
        lem_out o;
        lemma_of(L, &x, t->form, w, k, t->xpos, buf, sizeof buf, &o);
        dyad_slice r = lemma_text(&o, &x, t->form, w, k, t->xpos, dst);
        if (r.ptr == w || r.ptr == buf || r.ptr == dst) {
            /* made here: into the document's arena */
            char *p = doc ? dyad__arena_alloc(&doc->arena, r.len ? r.len : 1) : NULL;
            if (!p) {
                t->lemma = t->form;
                continue;
            }
            memcpy(p, r.ptr, r.len);
            r.ptr = p;
        }
        t->lemma = r;
    }
}

dyad_status dyad__lemmas_bind(dyad_model *m, dyad_error *err)
{
    size_t nmeta, ntab, npool, nwn;
    const lem_meta *meta = dyad__model_section(m, "lem.meta", &nmeta);
    const lem_entry *tab = dyad__model_section(m, "lem.tab", &ntab);
    const char *pool = dyad__model_section(m, "lem.pool", &npool);
    const uint32_t *wn = dyad__model_section(m, "lem.wn", &nwn);
    m->lemmas = NULL;
    if (!meta && !tab && !pool && !wn)
        return DYAD_OK;
    if (meta && nmeta >= 8 && (meta->magic != LEM_MAGIC || meta->version != LEM_VERSION)) {
        dyad__where(err, m->path, 0, 0, dyad__slice("", 0));
        return dyad__fail(err, DYAD_EVERSION, "%s: lemma tables of another version: retrain",
                          m->path);
    }
    if (!meta || !tab || !pool || !wn || nmeta != sizeof *meta)
        goto corrupt;
    if (meta->nslots < 2 || (meta->nslots & (meta->nslots - 1)) ||
        ntab != (size_t)meta->nslots * sizeof *tab || npool != meta->pool_size ||
        meta->wn_slots < 2 || (meta->wn_slots & (meta->wn_slots - 1)) ||
        nwn != (size_t)meta->wn_slots * 4)
        goto corrupt;
    bool empty = false;
    for (uint32_t i = 0; i < meta->nslots; i++) {
        if (!tab[i].key) {
            empty = true;
            continue;
        }
        if (tab[i].kind < KIND_LOWER || tab[i].kind > KIND_STR ||
            (size_t)tab[i].off + tab[i].len > npool)
            goto corrupt;
    }
    bool wn_empty = false;
    for (uint32_t i = 0; i < meta->wn_slots && !wn_empty; i++)
        wn_empty = !wn[i];
    if (!empty || !wn_empty)
        goto corrupt;
    struct dyad_lemmas *L = calloc(1, sizeof *L);
    if (!L)
        return dyad__fail(err, DYAD_ENOMEM, "out of memory");
    get_ids(&L->x);
    L->meta = meta;
    L->tab = tab;
    L->pool = pool;
    L->mask = meta->nslots - 1;
    L->wn.slots = wn;
    L->wn.mask = meta->wn_slots - 1;
    m->lemmas = L;
    return DYAD_OK;
corrupt:
    dyad__where(err, m->path, 0, 0, dyad__slice("", 0));
    return dyad__fail(err, DYAD_ECORRUPT, "%s: malformed lemma tables", m->path);
}

void dyad__lemmas_unbind(dyad_model *m)
{
    if (!m)
        return;
    free(m->lemmas);
    m->lemmas = NULL;
}

/* ---------------------------------------------------------------- training */

/* One candidate table entry: a lemma for a key, with how often the treebank gave it. */
typedef struct cand {
    uint64_t key;
    uint32_t count;
    uint32_t order;           /* first appearance, for a stable choice */
    int kind;
    const char *str;
    size_t len;
} cand;

typedef struct builder {
    cand *c;
    size_t n, cap;
    char *pool;
    size_t pool_len, pool_cap;
    dyad_arena strings;       /* lemma strings of the exception lists */
} builder;

static int cmp_cand(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    if (x->kind != y->kind)
        return x->kind - y->kind;
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    int c = memcmp(x->str, y->str, x->len);
    if (c)
        return c;
    return (x->order > y->order) - (x->order < y->order);
}

static dyad_status add_cand(builder *b, uint64_t key, int kind, const char *str, size_t len)
{
    if (DYAD_GROW(b->c, b->cap, b->n + 1))
        return DYAD_ENOMEM;
    cand *c = &b->c[b->n];
    c->key = key;
    c->count = 1;
    c->order = (uint32_t)b->n;
    c->kind = kind;
    c->str = kind == KIND_STR ? str : "";
    c->len = kind == KIND_STR ? len : 0;
    b->n++;
    return DYAD_OK;
}

typedef struct exc_ctx {
    builder *b;
    int seed;
} exc_ctx;

static dyad_status add_exception(void *ctx, dyad_slice form, dyad_slice base)
{
    exc_ctx *e = ctx;
    char *s = dyad__arena_strdup(&e->b->strings, base.ptr, base.len);
    if (!s)
        return DYAD_ENOMEM;
    bool same = form.len == base.len && memcmp(form.ptr, base.ptr, base.len) == 0;
    return add_cand(e->b, lem_key(form.ptr, form.len, (uint64_t)e->seed),
                    same ? KIND_LOWER : KIND_STR, s, base.len);
}

/* Merge equal candidates (counting them) and keep the most frequent lemma of each key,
 * the first seen on ties. */
static size_t reduce(cand *c, size_t n)
{
    if (!n)
        return 0;
    qsort(c, n, sizeof *c, cmp_cand);
    size_t u = 0;
    for (size_t i = 0; i < n; i++) {
        if (u && c[u - 1].key == c[i].key && c[u - 1].kind == c[i].kind &&
            c[u - 1].len == c[i].len && memcmp(c[u - 1].str, c[i].str, c[i].len) == 0)
            c[u - 1].count++;
        else
            c[u++] = c[i];
    }
    size_t k = 0;
    for (size_t i = 0; i < u;) {
        size_t j = i, best = i;
        for (; j < u && c[j].key == c[i].key; j++)
            if (c[j].count > c[best].count ||
                (c[j].count == c[best].count && c[j].order < c[best].order))
                best = j;
        c[k++] = c[best];
        i = j;
    }
    return k;
}

static dyad_status pool_add(builder *b, const char *s, size_t n, uint32_t *off)
{
    /* lemma strings repeat little; a linear search over the short pool would be slow, so
     * strings are simply appended */
    if (b->pool_len + n > UINT32_MAX)
        return DYAD_ENOMEM;
    if (DYAD_GROW(b->pool, b->pool_cap, b->pool_len + n + 1))
        return DYAD_ENOMEM;
    memcpy(b->pool + b->pool_len, s, n);
    *off = (uint32_t)b->pool_len;
    b->pool_len += n;
    return DYAD_OK;
}

static void builder_free(builder *b)
{
    free(b->c);
    free(b->pool);
    dyad__arena_free(&b->strings);
}

/* Lay out the table of entries c[0..n) (kinds and strings). */
static dyad_status layout(builder *b, const cand *c, size_t n, lem_entry **tab, uint32_t *nslots)
{
    uint32_t cap = 1024;
    while (cap < 2 * n)
        cap *= 2;
    lem_entry *t = calloc(cap, sizeof *t);
    if (!t)
        return DYAD_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        uint32_t j = (uint32_t)c[i].key & (cap - 1);
        while (t[j].key)
            j = (j + 1) & (cap - 1);
        t[j].key = c[i].key;
        t[j].kind = (uint16_t)c[i].kind;
        if (c[i].kind == KIND_STR) {
            if (c[i].len > UINT16_MAX || pool_add(b, c[i].str, c[i].len, &t[j].off)) {
                free(t);
                return DYAD_ENOMEM;
            }
            t[j].len = (uint16_t)c[i].len;
        }
    }
    *tab = t;
    *nslots = cap;
    return DYAD_OK;
}

dyad_status dyad__lemmas_train(const dyad__corpus *train, const dyad_train_opts *opts,
                               dyad__mw *out, dyad_error *err)
{
    const char *dir = dyad__wn_dir(opts);
    dyad__wnbuild wb;
    dyad_status st = dyad__wn_build(&wb, dir, err);
    if (st)
        return st;
    builder b;
    memset(&b, 0, sizeof b);
    dyad__arena_init(&b.strings);
    lem_entry *tab = NULL, *tab2 = NULL;
    cand *keep = NULL;
    xpos_ids x;
    get_ids(&x);
    /* 1. WordNet's exception lists */
    static const char *const exc_files[4] = {"noun.exc", "verb.exc", "adj.exc", "adv.exc"};
    for (int k = 0; k < 4; k++) {
        exc_ctx e = {&b, SEED_NOUN + k};
        if ((st = dyad__wn_exc(dir, exc_files[k], add_exception, &e, err)))
            goto done;
    }
    size_t nexc = reduce(b.c, b.n);
    b.n = nexc;
    /* a first table of the exceptions alone, to see what the rules give without the
     * treebank's entries */
    uint32_t nslots;
    if ((st = layout(&b, b.c, nexc, &tab, &nslots)))
        goto nomem;
    lem_meta meta = {LEM_MAGIC, LEM_VERSION, nslots, 0, wb.nslots, (uint32_t)nexc, {0, 0}};
    struct dyad_lemmas L = {x, &meta, tab, b.pool, nslots - 1, {wb.slots, wb.mask}};
    /* 2. the treebank: (folded form, XPOS) -> lemma */
    char w[MAX_WORD], buf[MAX_WORD + 8], dst[2 * MAX_WORD + 8], dst2[2 * MAX_WORD + 8];
    size_t ncorpus = 0;
    for (size_t i = 0; train && i < train->ntoks; i++) {
        const dyad_token *t = &train->toks[i];
        if (t->form.len > MAX_WORD || !t->lemma.len || t->lemma.len > MAX_WORD ||
            (t->lemma.len == 1 && t->lemma.ptr[0] == '_' && t->form.len != 1))
            continue;
        size_t k = dyad__fold(t->form.ptr, t->form.len, w, sizeof w);
        int kind = KIND_STR;
        if (t->lemma.len == k && memcmp(t->lemma.ptr, w, k) == 0)
            kind = KIND_LOWER;
        if ((st = add_cand(&b, lem_key(w, k, t->xpos), kind, t->lemma.ptr, t->lemma.len)))
            goto nomem;
        ncorpus++;
    }
    size_t nc = reduce(b.c + nexc, b.n - nexc);
    /* keep the treebank's lemmas the exceptions and rules would not give */
    keep = malloc((nexc + nc + 1) * sizeof *keep);
    if (!keep)
        goto nomem;
    memcpy(keep, b.c, nexc * sizeof *keep);
    size_t nkeep = nexc;
    /* keys are hashes: walk the corpus again to test each distinct key once */
    for (size_t i = 0; train && i < train->ntoks; i++) {
        const dyad_token *t = &train->toks[i];
        if (t->form.len > MAX_WORD || !t->lemma.len || t->lemma.len > MAX_WORD)
            continue;
        size_t k = dyad__fold(t->form.ptr, t->form.len, w, sizeof w);
        uint64_t key = lem_key(w, k, t->xpos);
        /* binary search the reduced candidates */
        size_t lo = 0, hi = nc;
        const cand *cs = b.c + nexc;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (cs[mid].key < key)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo >= nc || cs[lo].key != key || cs[lo].count == 0)
            continue;
        cand c = cs[lo];
        b.c[nexc + lo].count = 0;   /* tested */
        /* what the token would get without this entry, against what the entry gives */
        lem_out o;
        lemma_of(&L, &x, t->form, w, k, t->xpos, buf, sizeof buf, &o);
        dyad_slice got = lemma_text(&o, &x, t->form, w, k, t->xpos, dst);
        lem_out want_o = {c.kind, c.str, c.len};
        dyad_slice want = lemma_text(&want_o, &x, t->form, w, k, t->xpos, dst2);
        if (got.len != want.len || memcmp(got.ptr, want.ptr, got.len) != 0)
            keep[nkeep++] = c;
    }
    free(tab);
    tab = NULL;
    /* 3. the final table: exceptions and the treebank's entries (which win on a clash of
     * keys, having their own XPOS seeds they cannot clash but for hash collisions) */
    b.pool_len = 0;
    size_t nfinal = reduce(keep, nkeep);
    if ((st = layout(&b, keep, nfinal, &tab2, &nslots)))
        goto nomem;
    meta.nslots = nslots;
    meta.pool_size = (uint32_t)b.pool_len;
    meta.nentries = (uint32_t)nfinal;
    if ((st = dyad__mw_add(out, "lem.meta", &meta, sizeof meta)) ||
        (st = dyad__mw_add(out, "lem.tab", tab2, (size_t)nslots * sizeof *tab2)) ||
        (st = dyad__mw_add(out, "lem.pool", b.pool ? b.pool : "", b.pool_len)) ||
        (st = dyad__mw_add(out, "lem.wn", wb.slots, (size_t)wb.nslots * 4))) {
        st = dyad__fail(err, st, "lemma training: cannot add the model sections");
        goto done;
    }
    if (opts && opts->progress) {
        char line[256];
        snprintf(line, sizeof line,
                 "lemmas: %zu WordNet lemmas, %zu exceptions, %zu of %zu treebank forms kept, "
                 "%zu bytes", wb.n, nexc, nkeep - nexc, nc,
                 sizeof meta + (size_t)nslots * sizeof *tab2 + b.pool_len + (size_t)wb.nslots * 4);
        opts->progress(opts->progress_ctx, line);
    }
    (void)ncorpus;
    st = DYAD_OK;
    goto done;
nomem:
    st = dyad__fail(err, DYAD_ENOMEM, "lemma training: out of memory");
done:
    free(tab);
    free(tab2);
    free(keep);
    builder_free(&b);
    dyad__wn_build_free(&wb);
    return st;
}
