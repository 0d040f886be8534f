/* dict.c - dictionaries at run time: open (text, compiled, cached), look up, patterns, sets. */
#include "dict_impl.h"

#include <dirent.h>
#include <fcntl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---------------------------------------------------------------- binding a container */

static dyad_status bad(const dyad_dict *d, dyad_error *err, const char *what)
{
    dyad__where(err, d->c.path, 0, 0, dyad__slice("", 0));
    return dyad__fail(err, DYAD_ECORRUPT, "%s: damaged dictionary (%s)", d->c.path, what);
}

static bool str_ok(const dyad_dict *d, dyad__dstr s)
{
    return (size_t)s.off + s.len < d->nstr && d->str[s.off + s.len] == 0;
}

static bool pow2(size_t n)
{
    return n && (n & (n - 1)) == 0;
}

#define SECTION(name, field, type)                                                         \
    do {                                                                                   \
        size_t sz;                                                                         \
        d->field = dyad__container_section(&d->c, name, &sz);                              \
        if (!d->field || sz % sizeof(type))                                                \
            return bad(d, err, "section " name);                                           \
        d->n##field = sz / sizeof(type);                                                   \
    } while (0)

static void make_word_sigs(dyad_dict *d);
static void make_edge_index(dyad_dict *d);
static void make_set_words(dyad_dict *d);
static int keycmp(const char *key, size_t n, const dyad_dict *d, const dyad__dedge *e);

static dyad_status bind(dyad_dict *d, dyad_error *err)
{
    size_t sz;
    d->meta = dyad__container_section(&d->c, "meta", &sz);
    if (!d->meta || sz != sizeof *d->meta)
        return bad(d, err, "section meta");
    if (d->meta->endian != DYAD__ENDIAN_MARK) {
        dyad__where(err, d->c.path, 0, 0, dyad__slice("", 0));
        return dyad__fail(err, DYAD_EVERSION, "%s: compiled on a machine of another byte "
                          "order: compile it again", d->c.path);
    }
    d->str = dyad__container_section(&d->c, "str", &d->nstr);
    if (!d->str || d->nstr == 0 || d->str[d->nstr - 1] != 0)
        return bad(d, err, "section str");
    SECTION("file", files, dyad__dfile);
    SECTION("ent", ents, dyad__dent);
    SECTION("role", roles, dyad__drole);
    SECTION("node", nodes, dyad__dnode);
    SECTION("edge", edges, dyad__dedge);
    SECTION("term", terms, dyad__dterm);
    SECTION("root", root, uint32_t);
    SECTION("pat", pats, dyad__dpat);
    SECTION("elem", elems, dyad__delem);
    SECTION("verb", verbs, dyad__dverb);
    SECTION("block", blocks, dyad__dblock);
    SECTION("vkey", vkeys, dyad__dvkey);
    SECTION("vslot", vslots, uint32_t);
    SECTION("vlist", vlist, uint32_t);
    SECTION("set", sets, dyad__dset);
    SECTION("sslot", sslots, uint32_t);
    SECTION("cameo", cameo, dyad__dcameo);
    SECTION("unpat", unpat, dyad__dstr);

    /* every offset and index in range, so no look-up can leave the mapping */
    const uint32_t NONE = DYAD__DNONE;
    for (size_t i = 0; i < d->nfiles; i++)
        if (!str_ok(d, d->files[i].path) || !str_ok(d, d->files[i].format))
            return bad(d, err, "file table");
    for (size_t i = 0; i < d->nents; i++) {
        const dyad__dent *e = &d->ents[i];
        if (!str_ok(d, e->name) || !str_ok(d, e->extra) || !str_ok(d, e->country) ||
            e->kind == 0 || e->kind >= DYAD__DK_COUNT ||
            (e->file != NONE && e->file >= d->nfiles) || e->role_first > d->nroles ||
            e->nroles > d->nroles - e->role_first)
            return bad(d, err, "entries");
    }
    for (size_t i = 0; i < d->nroles; i++)
        if (!str_ok(d, d->roles[i].code) || !str_ok(d, d->roles[i].country))
            return bad(d, err, "roles");
    if (d->nnodes == 0)
        return bad(d, err, "trie");
    for (size_t i = 0; i < d->nnodes; i++) {
        const dyad__dnode *n = &d->nodes[i];
        if (n->edge_first > d->nedges || n->nedges > d->nedges - n->edge_first ||
            n->term_first > d->nterms || n->nterms > d->nterms - n->term_first)
            return bad(d, err, "trie nodes");
        for (uint32_t k = 0; k < n->nedges; k++) {
            uint32_t c = d->edges[n->edge_first + k].child;
            if (c <= i || c >= d->nnodes)   /* children come after their parent: no cycles */
                return bad(d, err, "trie edges");
        }
    }
    for (size_t i = 0; i < d->nedges; i++)
        if (!str_ok(d, d->edges[i].key) || !str_ok(d, d->edges[i].orig) ||
            d->edges[i].key.len >= DYAD__MAX_WORD)
            return bad(d, err, "trie words");
    for (size_t i = 0; i < d->nterms; i++) {
        const dyad__dterm *t = &d->terms[i];
        if ((t->flags & DYAD__TERM_SET) ? t->ref >= d->nsets : t->ref >= d->nents)
            return bad(d, err, "trie terms");
    }
    if (!pow2(d->nroot) || d->nroot != d->meta->nroot)
        return bad(d, err, "first-word table");
    for (size_t i = 0; i < d->nroot; i++)
        if (d->root[i] > d->nodes[0].nedges + d->nodes[0].edge_first ||
            (d->root[i] && d->root[i] - 1 < d->nodes[0].edge_first))
            return bad(d, err, "first-word table");
    for (size_t i = 0; i < d->npats; i++) {
        const dyad__dpat *p = &d->pats[i];
        if (!str_ok(d, p->key) || !str_ok(d, p->code) || !str_ok(d, p->code1) ||
            !str_ok(d, p->code2) || !str_ok(d, p->particle) || !str_ok(d, p->text) ||
            p->elem_first > d->nelems || p->nelems > d->nelems - p->elem_first ||
            (p->file != NONE && p->file >= d->nfiles) ||
            (p->block != NONE && p->block >= d->nblocks))
            return bad(d, err, "patterns");
    }
    for (size_t i = 0; i < d->nelems; i++)
        if (!str_ok(d, d->elems[i].word) ||
            (d->elems[i].set != NONE && d->elems[i].set >= d->nsets))
            return bad(d, err, "pattern elements");
    for (size_t i = 0; i < d->nverbs; i++) {
        const dyad__dverb *v = &d->verbs[i];
        if (!str_ok(d, v->key) || !str_ok(d, v->particle) || !str_ok(d, v->pre) ||
            !str_ok(d, v->code) || (v->block != NONE && v->block >= d->nblocks) ||
            (v->file != NONE && v->file >= d->nfiles))
            return bad(d, err, "verbs");
    }
    for (size_t i = 0; i < d->nblocks; i++)
        if (!str_ok(d, d->blocks[i].name) || !str_ok(d, d->blocks[i].code))
            return bad(d, err, "verb blocks");
    for (size_t i = 0; i < d->nvkeys; i++) {
        const dyad__dvkey *k = &d->vkeys[i];
        if (!str_ok(d, k->key) || k->pat_first > d->nvlist ||
            k->npat > d->nvlist - k->pat_first || k->verb_first > d->nvlist ||
            k->nverb > d->nvlist - k->verb_first)
            return bad(d, err, "verb keys");
        for (uint32_t j = 0; j < k->npat; j++)
            if (d->vlist[k->pat_first + j] >= d->npats)
                return bad(d, err, "verb keys");
        for (uint32_t j = 0; j < k->nverb; j++)
            if (d->vlist[k->verb_first + j] >= d->nverbs)
                return bad(d, err, "verb keys");
    }
    if (!pow2(d->nvslots) || !pow2(d->nsslots))
        return bad(d, err, "hash tables");
    for (size_t i = 0; i < d->nvslots; i++)
        if (d->vslots[i] > d->nvkeys)
            return bad(d, err, "verb key table");
    for (size_t i = 0; i < d->nsets; i++)
        if (!str_ok(d, d->sets[i].name))
            return bad(d, err, "sets");
    for (size_t i = 0; i < d->nsslots; i++)
        if (d->sslots[i] > d->nsets)
            return bad(d, err, "set table");
    for (size_t i = 0; i < d->ncameo; i++)
        if (!str_ok(d, d->cameo[i].code) || !str_ok(d, d->cameo[i].name))
            return bad(d, err, "code table");
    for (size_t i = 0; i < d->nunpat; i++)
        if (!str_ok(d, d->unpat[i]))
            return bad(d, err, "code list");
    make_word_sigs(d);
    make_edge_index(d);
    make_set_words(d);
    return DYAD_OK;
}

/* The pattern filter's buckets: a word's or a set's bit in the mask; a pattern's signature
 * holds up to SIG_MAX of them, SIG_BITS bits each. */
#define SIG_BITS 10
#define MASK_BUCKETS (1u << SIG_BITS)
_Static_assert(MASK_BUCKETS == 64 * DYAD__MASK_WORDS, "the mask has a bit per bucket");

static unsigned word_bucket(const char *w, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)w[i];
        if (ch >= 'A' && ch <= 'Z')
            ch = (unsigned char)(ch + 32);   /* strncasecmp's folding: ASCII only */
        h = (h ^ ch) * 16777619u;
    }
    return (h ^ (h >> 15) ^ (h >> 24)) & (MASK_BUCKETS - 1);
}

/* A set's bucket in the same mask (sets and words may share buckets: the filter only ever
 * lets through too much). */
static unsigned set_bucket(uint32_t set)
{
    uint32_t h = (set + 1u) * 0x9E3779B1u;
    return h >> (32 - SIG_BITS);
}

static void mask_set(uint64_t mask[DYAD__MASK_WORDS], unsigned b)
{
    mask[b >> 6] |= 1ull << (b & 63);
}

void dyad__word_mask_add(uint64_t mask[DYAD__MASK_WORDS], dyad_slice word)
{
    mask_set(mask, word_bucket(word.ptr, word.len));
}

void dyad__set_mask_add(uint64_t mask[DYAD__MASK_WORDS], uint32_t set)
{
    mask_set(mask, set_bucket(set));
}

/* The top byte of a word signature: the number of buckets (at most SIG_MAX) and what the tree
 * coder asks of a pattern before it reads it. */
#define SIG_COUNT(s) ((unsigned)((s) >> 56) & 7u)
#define SIG_MAX (56 / SIG_BITS) /* buckets in a signature */
#define SIG_TREE (1ull << 59)   /* a tree pattern with an event code and no undefined set */
#define SIG_NOUN (1ull << 60)   /* of a noun predicate */

static bool sig_may_match(uint64_t s, const uint64_t mask[DYAD__MASK_WORDS])
{
    for (unsigned i = 0; i < SIG_COUNT(s); i++) {
        unsigned b = (unsigned)(s >> (SIG_BITS * i)) & (MASK_BUCKETS - 1);
        if (!(mask[b >> 6] >> (b & 63) & 1))
            return false;
    }
    return true;
}

bool dyad__dict_pattern_may_match(const dyad_dict *d, uint32_t p,
                                  const uint64_t mask[DYAD__MASK_WORDS])
{
    if (!d->wsig || p >= d->npats)
        return true;
    return sig_may_match(d->wsig[p], mask);
}

bool dyad__dict_tree_may_match(const dyad_dict *d, uint32_t p,
                               const uint64_t mask[DYAD__MASK_WORDS], bool noun)
{
    if (!d->wsig || p >= d->npats)
        return true;
    uint64_t s = d->wsig[p];
    return (s & SIG_TREE) && ((s & SIG_NOUN) != 0) == noun && sig_may_match(s, mask);
}

size_t dyad__dict_tree_filter(const dyad_dict *d, const uint32_t *idx, size_t n,
                              const uint64_t mask[DYAD__MASK_WORDS], bool noun, uint32_t *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (dyad__dict_tree_may_match(d, idx[i], mask, noun)) {
            if (idx[i] < d->npats)
                __builtin_prefetch(&d->pats[idx[i]]);
            out[k++] = idx[i];
        }
    /* then their elements (the patterns' entries are on their way meanwhile) */
    for (size_t i = 0; i < k; i++)
        if (out[i] < d->npats)
            __builtin_prefetch(&d->elems[d->pats[out[i]].elem_first]);
    return k;
}

/* The word signatures of the patterns (best effort: without memory there is no filter). */
static void make_word_sigs(dyad_dict *d)
{
    d->wsig = malloc((d->npats ? d->npats : 1) * sizeof *d->wsig);
    if (!d->wsig)
        return;
    for (size_t p = 0; p < d->npats; p++) {
        const dyad__dpat *x = &d->pats[p];
        uint64_t s = 0, n = 0;
        for (uint32_t e = 0; e < x->nelems && n < SIG_MAX; e++) {
            const dyad__delem *el = &d->elems[x->elem_first + e];
            unsigned b;
            if (el->type == DYAD__PE_WORD && el->word.len)
                b = word_bucket(d->str + el->word.off, el->word.len);
            else if (el->type == DYAD__PE_SET && el->set != DYAD__DNONE)
                b = set_bucket(el->set);
            else
                continue;
            s |= (uint64_t)b << (SIG_BITS * n++);
        }
        if (x->style == DYAD__PS_TREE && !(x->flags & DYAD__PF_UNRESOLVED) && x->code1.len)
            s |= SIG_TREE;
        if (x->flags & DYAD__PF_NOUN)
            s |= SIG_NOUN;
        d->wsig[p] = s | n << 56;
    }
}

/* Nodes with more edges than this are searched through d->ekey; a few edges are read in
 * turn (their keys share a cache line or two). */
#define EKEY_MIN_EDGES 4

static uint32_t ekey_mix(uint32_t node, uint32_t hash)
{
    uint32_t m = (hash ^ (node * 0x9E3779B1u)) * 0x85EBCA6Bu;
    m ^= m >> 15;
    return m ? m : 1u;
}

/* The look-up indexes of struct dyad_dict (rootx, ekey); best effort: without memory, or for a
 * trie whose nodes share edges so that the index would be large, the look-up goes without. */
static void make_edge_index(dyad_dict *d)
{
    d->rootx = malloc(d->nroot * sizeof *d->rootx);
    if (d->rootx)
        for (size_t i = 0; i < d->nroot; i++)
            d->rootx[i] = d->root[i] ? (uint64_t)d->edges[d->root[i] - 1].hash << 32 | d->root[i]
                                     : 0;
    size_t keys = 0;
    for (size_t i = 1; i < d->nnodes; i++)
        if (d->nodes[i].nedges > EKEY_MIN_EDGES)
            keys += d->nodes[i].nedges;
    if (!keys || keys > 2 * d->nedges)
        return;
    size_t cap = 16;
    while (cap < 2 * keys)
        cap *= 2;
    d->ekey = calloc(cap, sizeof *d->ekey);
    if (!d->ekey)
        return;
    d->nekey = cap;
    for (size_t i = 1; i < d->nnodes; i++) {
        const dyad__dnode *nd = &d->nodes[i];
        if (nd->nedges <= EKEY_MIN_EDGES)
            continue;
        for (uint32_t k = 0; k < nd->nedges; k++) {
            uint32_t e = nd->edge_first + k;
            const dyad__dedge *ed = &d->edges[e];
            if (k && ed->key.len == ed[-1].key.len &&
                memcmp(d->str + ed->key.off, d->str + ed[-1].key.off, ed->key.len) == 0)
                continue;   /* the first edge of a word stands for the others */
            if (k && keycmp(d->str + ed->key.off, ed->key.len, d, &ed[-1]) < 0) {
                free(d->ekey);   /* not sorted (a damaged trie): searched as it is */
                d->ekey = NULL;
                d->nekey = 0;
                return;
            }
            uint32_t mix = ekey_mix((uint32_t)i, dyad__dhash(d->str + ed->key.off, ed->key.len));
            size_t s0 = mix & (cap - 1);
            while (d->ekey[s0])
                s0 = (s0 + 1) & (cap - 1);
            d->ekey[s0] = (uint64_t)mix << 32 | (e + 1);
        }
    }
}

static dyad_slice sl(const dyad_dict *d, dyad__dstr s)
{
    return dyad__slice(d->str + s.off, s.len);
}

/* ---------------------------------------------------------------- the look-up */

#define MAX_BEST 8
#define MAX_DEPTH 256
/* Steps (sub-words tried) of one look-up: a real dictionary needs a few per word of the
 * longest phrase; a damaged or crafted trie whose nodes share edges could otherwise make the
 * walk exponential in the sentence length. */
#define MAX_STEPS 4096

typedef struct walk {
    const dyad_dict *d;
    const dyad_token *toks;
    size_t n;
    uint32_t want_set;        /* DYAD__DNONE: entries; else members of this set */
    uint32_t steps;           /* advance() calls so far (at most MAX_STEPS) */
    uint32_t best_len;
    size_t nbest;
    uint32_t best_node[MAX_BEST];
    bool best_lemma[MAX_BEST];
} walk;

static bool eligible(const walk *w, uint32_t node, bool lemma)
{
    const dyad__dnode *nd = &w->d->nodes[node];
    for (uint32_t k = 0; k < nd->nterms; k++) {
        const dyad__dterm *t = &w->d->terms[nd->term_first + k];
        if (lemma && (t->flags & DYAD__TERM_NOLEMMA))
            continue;
        if (w->want_set == DYAD__DNONE ? !(t->flags & DYAD__TERM_SET)
                                       : ((t->flags & DYAD__TERM_SET) && t->ref == w->want_set))
            return true;
    }
    return false;
}

static void consider(walk *w, uint32_t node, uint32_t consumed, bool lemma)
{
    if (!eligible(w, node, lemma))
        return;
    if (consumed > w->best_len) {
        w->best_len = consumed;
        w->nbest = 0;
    } else if (consumed < w->best_len) {
        return;
    }
    for (size_t i = 0; i < w->nbest; i++)
        if (w->best_node[i] == node && w->best_lemma[i] == lemma)
            return;
    if (w->nbest < MAX_BEST) {
        w->best_node[w->nbest] = node;
        w->best_lemma[w->nbest] = lemma;
        w->nbest++;
    }
}

static int keycmp(const char *key, size_t n, const dyad_dict *d, const dyad__dedge *e)
{
    size_t m = e->key.len < n ? e->key.len : n;
    int c = memcmp(key, d->str + e->key.off, m);
    if (c)
        return c;
    return n < e->key.len ? -1 : n > e->key.len;
}

static bool edge_ok(const dyad_dict *d, const dyad__dedge *e, const char *orig, size_t norig)
{
    if (!(e->flags & DYAD__EDGE_CASE))
        return true;
    return e->orig.len == norig && memcmp(d->str + e->orig.off, orig, norig) == 0;
}

/* The first edge of node (not the root) whose word is key or sorts after it: the first of
 * the edges to try. */
static size_t edge_lower(const dyad_dict *d, uint32_t node, const char *key, size_t nk)
{
    const dyad__dnode *nd = &d->nodes[node];
    size_t lo = nd->edge_first, hi = lo + nd->nedges;
    if (d->ekey && nd->nedges > EKEY_MIN_EDGES) {
        /* by hash: the first edge of the word, else none (past the node's edges) */
        uint32_t mix = ekey_mix(node, dyad__dhash(key, nk));
        size_t mask = d->nekey - 1;
        for (size_t s0 = mix & mask; d->ekey[s0]; s0 = (s0 + 1) & mask) {
            uint32_t e = (uint32_t)d->ekey[s0] - 1;
            if ((uint32_t)(d->ekey[s0] >> 32) == mix && e >= nd->edge_first && e < hi &&
                keycmp(key, nk, d, &d->edges[e]) == 0)
                return e;
        }
        return hi;
    }
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (keycmp(key, nk, d, &d->edges[mid]) > 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Slot s of the first-word table as hash << 32 | edge + 1 (0: empty); without d->rootx the
 * hash is taken to be h, the one looked for (the edge then decides). */
static uint64_t root_slot(const dyad_dict *d, uint32_t s, uint32_t h)
{
    if (d->rootx)
        return d->rootx[s];
    return d->root[s] ? (uint64_t)h << 32 | d->root[s] : 0;
}

/* The next first-word edge whose word is the folded key (h its hash), probing from slot *s;
 * NULL when there is none left. */
static const dyad__dedge *root_next(const dyad_dict *d, uint32_t h, const char *key, size_t nk,
                                    uint32_t *s, uint32_t *probes)
{
    uint32_t mask = (uint32_t)d->nroot - 1;
    uint64_t slot;
    while (*probes < d->nroot && (uint32_t)(slot = root_slot(d, *s, h))) {
        *s = (*s + 1) & mask;
        (*probes)++;
        /* the slot's hash first: a word of no name costs this line only */
        if ((uint32_t)(slot >> 32) != h)
            continue;
        const dyad__dedge *e = &d->edges[(uint32_t)slot - 1];
        if (e->hash == h && e->key.len == nk && memcmp(d->str + e->key.off, key, nk) == 0)
            return e;
    }
    return NULL;
}

/* The edges from a node whose word is a folded key, one at a time: the first-word table's
 * for the root, the node's sorted edges for any other. */
typedef struct edge_iter {
    const dyad_dict *d;
    const char *key;
    size_t nk;
    uint32_t node, h, s, probes;
    size_t i, end;
} edge_iter;

static void edge_iter_init(edge_iter *it, const dyad_dict *d, uint32_t node, const char *key,
                           size_t nk)
{
    memset(it, 0, sizeof *it);
    it->d = d;
    it->key = key;
    it->nk = nk;
    it->node = node;
    if (node == 0) {
        it->h = dyad__dhash(key, nk);
        it->s = it->h & ((uint32_t)d->nroot - 1);
    } else {
        it->i = edge_lower(d, node, key, nk);
        it->end = d->nodes[node].edge_first + d->nodes[node].nedges;
    }
}

static const dyad__dedge *edge_iter_next(edge_iter *it)
{
    if (it->node == 0)
        return root_next(it->d, it->h, it->key, it->nk, &it->s, &it->probes);
    if (it->i >= it->end || keycmp(it->key, it->nk, it->d, &it->d->edges[it->i]) != 0)
        return NULL;
    return &it->d->edges[it->i++];
}

enum { MODE_CONTINUE, MODE_TERMINAL };

static void at_boundary(walk *w, uint32_t node, size_t k, uint32_t consumed, bool contributed,
                        int depth);

/* Walk the sub-words of s[pos, n) from node. */
static void advance(walk *w, uint32_t node, const char *s, size_t n, size_t pos, int mode,
                    size_t k, uint32_t consumed, bool contributed, int depth)
{
    if (depth > MAX_DEPTH || ++w->steps > MAX_STEPS)
        return;
    dyad__dword sub;
    if (!dyad__dsubword(s, n, &pos, &sub)) {
        if (mode == MODE_CONTINUE)
            at_boundary(w, node, k, consumed, contributed, depth + 1);
        else if (contributed)
            consider(w, node, consumed, true);
        return;
    }
    char key[DYAD__MAX_WORD];
    size_t nk = dyad__dfold(sub.p, sub.n, key, sizeof key);
    if (nk == (size_t)-1)
        return;
    const dyad_dict *d = w->d;
    edge_iter it;
    edge_iter_init(&it, d, node, key, nk);
    for (const dyad__dedge *e; (e = edge_iter_next(&it));)
        if (edge_ok(d, e, sub.p, sub.n))
            advance(w, e->child, s, n, pos, mode, k, consumed, true, depth + 1);
}

static bool same_fold(dyad_slice a, dyad_slice b)
{
    if (a.len != b.len)
        return false;
    for (size_t i = 0; i < a.len; i++) {
        char x = a.ptr[i], y = b.ptr[i];
        if (x >= 'A' && x <= 'Z')
            x += 32;
        if (y >= 'A' && y <= 'Z')
            y += 32;
        if (x != y)
            return false;
    }
    return true;
}

static void at_boundary(walk *w, uint32_t node, size_t k, uint32_t consumed, bool contributed,
                        int depth)
{
    if (contributed && node != 0)
        consider(w, node, consumed, false);
    if (k >= w->n || depth > MAX_DEPTH)
        return;
    const dyad_token *t = &w->toks[k];
    /* a token without words (a hyphen) is passed over, but never ends a match */
    advance(w, node, t->form.ptr, t->form.len, 0, MODE_CONTINUE, k + 1, consumed + 1, false,
            depth + 1);
    if (t->lemma.len && t->lemma.ptr && !same_fold(t->lemma, t->form))
        advance(w, node, t->lemma.ptr, t->lemma.len, 0, MODE_TERMINAL, k + 1, consumed + 1,
                false, depth + 1);
}

static bool has_words(dyad_slice s)
{
    for (size_t i = 0; i < s.len; i++)
        if (s.ptr[i] != '-')
            return true;
    return false;
}

static void run_walk(walk *w, size_t i)
{
    w->best_len = 0;
    w->nbest = 0;
    w->steps = 0;
    if (i >= w->n || !w->toks[i].form.ptr || !has_words(w->toks[i].form))
        return;
    at_boundary(w, 0, i, 0, false, 0);
}

/* The sets that have the single word s[pos, n) (from node on) as a member, as
 * dyad__dict_set_has reads it: the same walk, collecting the sets of the nodes it ends at
 * into mask.  A walk cut short by the limits marks every set (the mask may only say too much). */
static void word_sets(const dyad_dict *d, uint32_t node, const char *s, size_t n, size_t pos,
                      uint32_t *steps, int depth, uint64_t mask[DYAD__MASK_WORDS])
{
    if (depth > MAX_DEPTH || ++*steps > MAX_STEPS) {
        memset(mask, 0xff, DYAD__MASK_WORDS * sizeof *mask);
        return;
    }
    dyad__dword sub;
    if (!dyad__dsubword(s, n, &pos, &sub)) {
        const dyad__dnode *nd = &d->nodes[node];
        for (uint32_t k = 0; node != 0 && k < nd->nterms; k++) {
            const dyad__dterm *t = &d->terms[nd->term_first + k];
            if (t->flags & DYAD__TERM_SET)
                mask_set(mask, set_bucket(t->ref));
        }
        return;
    }
    char key[DYAD__MAX_WORD];
    size_t nk = dyad__dfold(sub.p, sub.n, key, sizeof key);
    if (nk == (size_t)-1)
        return;
    edge_iter it;
    edge_iter_init(&it, d, node, key, nk);
    for (const dyad__dedge *e; (e = edge_iter_next(&it));)
        if (edge_ok(d, e, sub.p, sub.n))
            word_sets(d, e->child, s, n, pos, steps, depth + 1, mask);
}

/* The table of one-word set members of struct dyad_dict (sword, swedge, smask); best effort:
 * without memory the filter walks the trie for every word. */
static void make_set_words(dyad_dict *d)
{
    size_t n = 0;
    const dyad__dnode *rn = &d->nodes[0];
    for (uint32_t k = 0; k < rn->nedges; k++) {
        const dyad__dnode *nd = &d->nodes[d->edges[rn->edge_first + k].child];
        for (uint32_t j = 0; j < nd->nterms; j++)
            if (d->terms[nd->term_first + j].flags & DYAD__TERM_SET) {
                n++;
                break;
            }
    }
    if (!n)
        return;
    size_t cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    d->sword = calloc(cap, sizeof *d->sword);
    d->swedge = malloc(n * sizeof *d->swedge);
    d->smask = calloc(n, sizeof *d->smask);
    if (!d->sword || !d->swedge || !d->smask) {
        free(d->sword);
        free(d->swedge);
        free(d->smask);
        d->sword = NULL;
        d->swedge = NULL;
        d->smask = NULL;
        return;
    }
    d->nsword = cap;
    size_t i = 0;
    for (uint32_t k = 0; k < rn->nedges && i < n; k++) {
        uint32_t e = rn->edge_first + k;
        const dyad__dnode *nd = &d->nodes[d->edges[e].child];
        bool any = false;
        for (uint32_t j = 0; j < nd->nterms; j++) {
            const dyad__dterm *t = &d->terms[nd->term_first + j];
            if (t->flags & DYAD__TERM_SET) {
                mask_set(d->smask[i], set_bucket(t->ref));
                any = true;
            }
        }
        if (!any)
            continue;
        d->swedge[i] = e;
        uint32_t h = d->edges[e].hash;
        size_t s0 = h & (cap - 1);
        while (d->sword[s0])
            s0 = (s0 + 1) & (cap - 1);
        d->sword[s0] = (uint64_t)h << 32 | (i + 1);
        i++;
    }
}

/* The hash of a word's first sub-word as the first-word tables file it; false when it has
 * none. */
static bool first_hash(dyad_slice word, uint32_t *h)
{
    size_t pos = 0, nk;
    dyad__dword sub;
    char key[DYAD__MAX_WORD];
    if (!word.ptr || !dyad__dsubword(word.ptr, word.len, &pos, &sub) ||
        (nk = dyad__dfold(sub.p, sub.n, key, sizeof key)) == (size_t)-1)
        return false;
    *h = dyad__dhash(key, nk);
    return true;
}

void dyad__dict_prefetch_words(const dyad_dict *d, const dyad_token *toks, size_t n)
{
    if (!d || !d->nroot || !toks)
        return;
    /* a chunk of words at a time: their first-word slots, then the edges those name */
    for (size_t i0 = 0; i0 < n; i0 += 32) {
        uint32_t hs[64];
        size_t nh = 0;
        for (size_t i = i0; i < n && i < i0 + 32; i++) {
            const dyad_token *t = &toks[i];
            if (first_hash(t->form, &hs[nh]))
                nh++;
            if (t->lemma.len && !same_fold(t->lemma, t->form) && first_hash(t->lemma, &hs[nh]))
                nh++;
        }
        for (size_t k = 0; k < nh; k++) {
            if (d->rootx)
                __builtin_prefetch(&d->rootx[hs[k] & (d->nroot - 1)]);
            if (d->sword)
                __builtin_prefetch(&d->sword[hs[k] & (d->nsword - 1)]);
        }
        uint32_t es[64];
        size_t ne = 0;
        for (size_t k = 0; d->rootx && k < nh; k++) {
            uint64_t slot = d->rootx[hs[k] & (d->nroot - 1)];
            if ((uint32_t)slot && (uint32_t)(slot >> 32) == hs[k] && (uint32_t)slot <= d->nedges) {
                es[ne++] = (uint32_t)slot - 1;
                __builtin_prefetch(&d->edges[es[ne - 1]]);
            }
        }
        for (size_t k = 0; k < ne; k++) {
            const dyad__dedge *e = &d->edges[es[k]];
            __builtin_prefetch(d->str + e->key.off);
            if (e->child < d->nnodes)
                __builtin_prefetch(&d->nodes[e->child]);
        }
    }
}

void dyad__dict_word_mask_add(const dyad_dict *d, uint64_t mask[DYAD__MASK_WORDS], dyad_slice word)
{
    dyad__word_mask_add(mask, word);
    if (!d || !d->nsets || !word.ptr || !has_words(word))
        return;
    /* a word of one sub-word (the common case): its sets are those of the first-word edges
     * it matches, read from the small table */
    size_t pos = 0, more;
    dyad__dword sub, next;
    char key[DYAD__MAX_WORD];
    size_t nk;
    if (d->sword && dyad__dsubword(word.ptr, word.len, &pos, &sub) &&
        (more = pos, !dyad__dsubword(word.ptr, word.len, &more, &next)) &&
        (nk = dyad__dfold(sub.p, sub.n, key, sizeof key)) != (size_t)-1) {
        uint32_t h = dyad__dhash(key, nk);
        size_t m = d->nsword - 1;
        for (size_t s0 = h & m; d->sword[s0]; s0 = (s0 + 1) & m) {
            if ((uint32_t)(d->sword[s0] >> 32) != h)
                continue;
            size_t i = (uint32_t)d->sword[s0] - 1;
            const dyad__dedge *e = &d->edges[d->swedge[i]];
            if (e->hash == h && e->key.len == nk && memcmp(d->str + e->key.off, key, nk) == 0 &&
                edge_ok(d, e, sub.p, sub.n))
                for (int b = 0; b < DYAD__MASK_WORDS; b++)
                    mask[b] |= d->smask[i][b];
        }
        return;
    }
    uint32_t steps = 0;
    word_sets(d, 0, word.ptr, word.len, 0, &steps, 0, mask);
}

static int32_t date_of(dyad_slice date)
{
    return date.ptr ? dyad__ddate_iso(date.ptr, date.len) : 0;
}

/* The role of entry e at date (0: unknown), or NULL. */
static const dyad__drole *role_at(const dyad_dict *d, const dyad__dent *e, int32_t date)
{
    const dyad__drole *r = d->roles + e->role_first;
    if (date) {
        for (uint32_t k = 0; k < e->nroles; k++)
            if (!(r[k].flags & DYAD__ROLE_DEFAULT) && r[k].from <= date && date <= r[k].to)
                return &r[k];
    }
    for (uint32_t k = 0; k < e->nroles; k++)
        if (r[k].flags & DYAD__ROLE_DEFAULT)
            return &r[k];
    if (!date && e->nroles)
        return &r[e->nroles - 1];
    return NULL;
}

static void fill_hit(const dyad_dict *d, uint32_t entry, uint32_t tflags, bool lemma,
                     int32_t date, dyad__dict_hit *h)
{
    const dyad__dent *e = &d->ents[entry];
    const dyad__drole *r = role_at(d, e, date);
    h->entry = entry;
    h->kind = e->kind;
    h->flags = (uint16_t)(e->flags |
                          (tflags & (DYAD__DF_AMBIGUOUS | DYAD__DF_ALIAS | DYAD__DF_PLURAL)) |
                          (lemma ? DYAD__DF_LEMMA : 0));
    h->name = sl(d, e->name);
    h->country = sl(d, e->country);
    if (r) {
        h->code = (r->flags & DYAD__DF_NULL) ? dyad__slice(d->str, 0) : sl(d, r->code);
        h->flags |= (uint16_t)(r->flags & (DYAD__DF_NULL | DYAD__DF_DISCARD | DYAD__DF_COMPLEX |
                                           DYAD__DF_COMPOUND));
        if (r->country.len)
            h->country = sl(d, r->country);
    } else {
        h->code = dyad__slice(d->str, 0);
        h->flags |= DYAD__DF_NULL;
    }
}

size_t dyad__dict_lookup(const dyad_dict *d, const dyad_token *toks, size_t n, size_t i,
                         dyad_slice date, dyad__dict_hit *hits, size_t max_hits)
{
    if (!d || !toks || max_hits == 0)
        return 0;
    walk w;
    w.d = d;
    w.toks = toks;
    w.n = n;
    w.want_set = DYAD__DNONE;
    run_walk(&w, i);
    if (!w.nbest)
        return 0;
    int32_t dt = date_of(date);
    size_t nh = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t b = 0; b < w.nbest; b++) {
            if (w.best_lemma[b] != (pass == 1))
                continue;
            const dyad__dnode *nd = &d->nodes[w.best_node[b]];
            for (uint32_t k = 0; k < nd->nterms; k++) {
                const dyad__dterm *t = &d->terms[nd->term_first + k];
                if ((t->flags & DYAD__TERM_SET) || (pass == 1 && (t->flags & DYAD__TERM_NOLEMMA)))
                    continue;
                bool dup = false;
                for (size_t m = 0; m < nh && !dup; m++)
                    dup = hits[m].entry == t->ref;
                if (dup)
                    continue;
                if (nh == max_hits)
                    return nh;
                fill_hit(d, t->ref, t->flags, pass == 1, dt, &hits[nh]);
                hits[nh].ntokens = w.best_len;
                nh++;
            }
        }
    }
    return nh;
}

bool dyad__dict_entry(const dyad_dict *d, uint32_t entry, dyad__entry *out)
{
    if (!d || entry >= d->nents)
        return false;
    const dyad__dent *e = &d->ents[entry];
    memset(out, 0, sizeof *out);
    out->kind = e->kind;
    out->flags = e->flags;
    out->name = sl(d, e->name);
    out->country = sl(d, e->country);
    out->extra = sl(d, e->extra);
    out->file = e->file < d->nfiles ? sl(d, d->files[e->file].path) : dyad__slice(d->str, 0);
    out->line = e->line;
    out->nroles = e->nroles;
    out->code = dyad__slice(d->str, 0);
    const dyad__drole *r = role_at(d, e, 0);
    if (r && !(r->flags & DYAD__DF_NULL))
        out->code = sl(d, r->code);
    else if (e->nroles)
        out->code = sl(d, d->roles[e->role_first].code);
    return true;
}

bool dyad__dict_role(const dyad_dict *d, uint32_t entry, uint32_t r, dyad_slice *code,
                     int32_t *from, int32_t *to, bool *is_default)
{
    if (!d || entry >= d->nents || r >= d->ents[entry].nroles)
        return false;
    const dyad__drole *ro = &d->roles[d->ents[entry].role_first + r];
    if (code)
        *code = sl(d, ro->code);
    if (from)
        *from = ro->from;
    if (to)
        *to = ro->to;
    if (is_default)
        *is_default = (ro->flags & DYAD__ROLE_DEFAULT) != 0;
    return true;
}

dyad_slice dyad__dict_code_at(const dyad_dict *d, uint32_t entry, dyad_slice date,
                              uint16_t *flags)
{
    dyad__dict_hit h;
    if (!d || entry >= d->nents) {
        if (flags)
            *flags = DYAD__DF_NULL;
        return dyad__slice("", 0);
    }
    fill_hit(d, entry, 0, false, date_of(date), &h);
    if (flags)
        *flags = h.flags;
    return h.code;
}

/* ---------------------------------------------------------------- sets */

uint32_t dyad__dict_set_find(const dyad_dict *d, dyad_slice name)
{
    if (!d || !d->nsets || !name.ptr)
        return DYAD__DNONE;
    if (name.len && name.ptr[0] == '&') {
        name.ptr++;
        name.len--;
    }
    while (name.len && name.ptr[name.len - 1] == '_')
        name.len--;
    char key[DYAD__MAX_WORD];
    size_t nk = dyad__dfold(name.ptr, name.len, key, sizeof key);
    if (nk == (size_t)-1)
        return DYAD__DNONE;
    uint32_t h = dyad__dhash(key, nk), mask = (uint32_t)d->nsslots - 1;
    for (uint32_t s = h & mask, probes = 0; d->sslots[s] && probes < d->nsslots;
         s = (s + 1) & mask, probes++) {
        const dyad__dset *st = &d->sets[d->sslots[s] - 1];
        if (st->hash == h && st->name.len == nk && memcmp(d->str + st->name.off, key, nk) == 0)
            return d->sslots[s] - 1;
    }
    return DYAD__DNONE;
}

size_t dyad__dict_set_match(const dyad_dict *d, uint32_t set, const dyad_token *toks, size_t n,
                            size_t i)
{
    if (!d || set >= d->nsets || !toks)
        return 0;
    walk w;
    w.d = d;
    w.toks = toks;
    w.n = n;
    w.want_set = set;
    run_walk(&w, i);
    return w.nbest ? w.best_len : 0;
}

bool dyad__dict_set_has(const dyad_dict *d, uint32_t set, dyad_slice word)
{
    dyad_token t;
    memset(&t, 0, sizeof t);
    t.form = word;
    return dyad__dict_set_match(d, set, &t, 1, 0) == 1;
}

/* ---------------------------------------------------------------- verbs and patterns */

static const dyad__dvkey *vkey(const dyad_dict *d, dyad_slice key)
{
    if (!d || !d->nvkeys || !key.ptr)
        return NULL;
    char f[DYAD__MAX_WORD];
    size_t nf = dyad__dfold(key.ptr, key.len, f, sizeof f);
    if (nf == (size_t)-1)
        return NULL;
    uint32_t h = dyad__dhash(f, nf), mask = (uint32_t)d->nvslots - 1;
    for (uint32_t s = h & mask, probes = 0; d->vslots[s] && probes < d->nvslots;
         s = (s + 1) & mask, probes++) {
        const dyad__dvkey *k = &d->vkeys[d->vslots[s] - 1];
        if (k->hash == h && k->key.len == nf && memcmp(d->str + k->key.off, f, nf) == 0)
            return k;
    }
    return NULL;
}

/* At most this many patterns of a key are prefetched together (a few kB of cache). */
#define PREFETCH_PATTERNS 1024

size_t dyad__dict_patterns(const dyad_dict *d, dyad_slice key, const uint32_t **idx)
{
    const dyad__dvkey *k = vkey(d, key);
    if (!k || !k->npat) {
        if (idx)
            *idx = NULL;
        return 0;
    }
    const uint32_t *v = d->vlist + k->pat_first;
    /* the caller filters the patterns of the key one after the other (a common verb has
     * hundreds, scattered over the table) and reads the few that pass: ask for the filter's
     * signatures at once (eight to a cache line) */
    for (uint32_t j = 0; j < k->npat && j < PREFETCH_PATTERNS; j++)
        __builtin_prefetch(d->wsig ? (const void *)&d->wsig[v[j]] : (const void *)&d->pats[v[j]]);
    if (idx)
        *idx = v;
    return k->npat;
}

uint32_t dyad__dict_npatterns(const dyad_dict *d)
{
    return d ? (uint32_t)d->npats : 0;
}

bool dyad__dict_pattern(const dyad_dict *d, uint32_t p, dyad__pattern *out)
{
    if (!d || p >= d->npats)
        return false;
    const dyad__dpat *x = &d->pats[p];
    /* its elements are read next when the pattern is tried */
    __builtin_prefetch(&d->elems[x->elem_first]);
    out->key = sl(d, x->key);
    out->code = sl(d, x->code);
    out->code1 = sl(d, x->code1);
    out->code2 = sl(d, x->code2);
    out->particle = sl(d, x->particle);
    out->text = sl(d, x->text);
    out->file = x->file < d->nfiles ? sl(d, d->files[x->file].path) : dyad__slice(d->str, 0);
    out->line = x->line;
    out->block = x->block;
    out->nelems = x->nelems;
    out->score = x->score;
    out->style = x->style;
    out->flags = x->flags;
    return true;
}

bool dyad__dict_elem(const dyad_dict *d, uint32_t p, uint32_t e, dyad__pelem *out)
{
    if (!d || p >= d->npats || e >= d->pats[p].nelems)
        return false;
    const dyad__delem *x = &d->elems[d->pats[p].elem_first + e];
    out->type = x->type;
    out->flags = x->flags;
    out->word = sl(d, x->word);
    out->set = x->set;
    return true;
}

size_t dyad__dict_verbs(const dyad_dict *d, dyad_slice key, const uint32_t **idx)
{
    const dyad__dvkey *k = vkey(d, key);
    if (!k || !k->nverb) {
        if (idx)
            *idx = NULL;
        return 0;
    }
    if (idx)
        *idx = d->vlist + k->verb_first;
    return k->nverb;
}

bool dyad__dict_verb(const dyad_dict *d, uint32_t v, dyad__verb *out)
{
    if (!d || v >= d->nverbs)
        return false;
    const dyad__dverb *x = &d->verbs[v];
    out->key = sl(d, x->key);
    out->particle = sl(d, x->particle);
    out->pre = sl(d, x->pre);
    out->code = sl(d, x->code);
    out->block = x->block < d->nblocks ? sl(d, d->blocks[x->block].name) : dyad__slice(d->str, 0);
    out->file = x->file < d->nfiles ? sl(d, d->files[x->file].path) : dyad__slice(d->str, 0);
    out->line = x->line;
    out->flags = (uint16_t)x->flags;
    return true;
}

dyad_slice dyad__dict_verb_code(const dyad_dict *d, dyad_slice key, uint16_t *flags)
{
    const uint32_t *idx;
    size_t n = dyad__dict_verbs(d, key, &idx);
    if (flags)
        *flags = 0;
    if (!n)
        return dyad__slice("", 0);
    const dyad__dverb *v = &d->verbs[idx[n - 1]];
    if (flags)
        *flags = (uint16_t)v->flags;
    return sl(d, v->code);
}

/* ---------------------------------------------------------------- CAMEO table */

bool dyad__dict_cameo(const dyad_dict *d, dyad_slice code, double *goldstein, int *quad,
                      dyad_slice *name)
{
    if (!d || !d->ncameo || !code.ptr)
        return false;
    size_t lo = 0, hi = d->ncameo;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const dyad__dcameo *c = &d->cameo[mid];
        size_t m = c->code.len < code.len ? c->code.len : code.len;
        int cmp = memcmp(d->str + c->code.off, code.ptr, m);
        if (!cmp)
            cmp = c->code.len < code.len ? -1 : c->code.len > code.len;
        if (cmp == 0) {
            if (goldstein)
                *goldstein = c->goldstein;
            if (quad)
                *quad = (int)c->quad;
            if (name)
                *name = sl(d, c->name);
            return true;
        }
        if (cmp < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

size_t dyad__dict_ncameo(const dyad_dict *d)
{
    return d ? d->ncameo : 0;
}

/* ---------------------------------------------------------------- public: information */

static const char *const kind_names[DYAD__DK_COUNT] = {
    NULL,     "country", "adj",    "people", "capital", "city",           "region",
    "metonym", "person", "org",    "agent",  "discard", "issue",          "petrarch-actor",
    "petrarch-agent",    "word"};

const char *dyad_dict_kind_name(int kind)
{
    return kind > 0 && kind < DYAD__DK_COUNT ? kind_names[kind] : NULL;
}

size_t dyad_dict_nfiles(const dyad_dict *d)
{
    return d ? d->nfiles : 0;
}

dyad_status dyad_dict_file(const dyad_dict *d, size_t i, dyad_dict_file_info *info)
{
    if (!d || !info || i >= d->nfiles)
        return DYAD_EINVAL;
    const dyad__dfile *f = &d->files[i];
    memset(info, 0, sizeof *info);
    info->path = d->str + f->path.off;
    info->format = d->str + f->format.off;
    info->lines = f->lines;
    info->unread = f->unread;
    info->warnings = f->warnings;
    for (int k = 1; k < DYAD__DK_COUNT && k < DYAD_DICT_KIND_COUNT; k++)
        info->entries[k] = f->entries[k];
    info->patterns = f->patterns;
    info->verbs = f->verbs;
    info->sets = f->sets;
    info->codes = f->codes;
    info->transforms = f->transforms;
    return DYAD_OK;
}

const char *dyad_dict_unpatterned(const dyad_dict *d, size_t i)
{
    return d && i < d->nunpat ? d->str + d->unpat[i].off : NULL;
}

/* ---------------------------------------------------------------- public: opening */

typedef struct path_list {
    char **p;
    size_t n, cap;
} path_list;

static void paths_free(path_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->p[i]);
    free(l->p);
}

static dyad_status paths_add(path_list *l, const char *path)
{
    if (DYAD_GROW(l->p, l->cap, l->n + 1))
        return DYAD_ENOMEM;
    l->p[l->n] = strdup(path);
    if (!l->p[l->n])
        return DYAD_ENOMEM;
    l->n++;
    return DYAD_OK;
}

static int cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static dyad_status expand_paths(const char *const *paths, size_t npaths, path_list *out,
                                dyad_error *err)
{
    for (size_t i = 0; i < npaths; i++) {
        struct stat sb;
        if (!paths[i] || stat(paths[i], &sb) != 0) {
            dyad__where(err, paths[i] ? paths[i] : "", 0, 0, dyad__slice("", 0));
            return dyad__fail(err, DYAD_ENOTFOUND, "%s: cannot open dictionary: %s",
                              paths[i] ? paths[i] : "(null)", strerror(errno));
        }
        if (!S_ISDIR(sb.st_mode)) {
            if (paths_add(out, paths[i]))
                return dyad__fail(err, DYAD_ENOMEM, "out of memory");
            continue;
        }
        DIR *dir = opendir(paths[i]);
        if (!dir) {
            dyad__where(err, paths[i], 0, 0, dyad__slice("", 0));
            return dyad__fail(err, DYAD_EIO, "%s: cannot read directory: %s", paths[i],
                              strerror(errno));
        }
        size_t first = out->n;
        struct dirent *de;
        dyad_status st = DYAD_OK;
        while ((de = readdir(dir)) != NULL) {
            size_t n = strlen(de->d_name);
            if (n < 5 || strcmp(de->d_name + n - 4, ".txt") != 0 || de->d_name[0] == '.')
                continue;
            char full[4096];
            snprintf(full, sizeof full, "%s/%s", paths[i], de->d_name);
            struct stat fb;
            if (stat(full, &fb) != 0 || !S_ISREG(fb.st_mode))
                continue;
            if ((st = paths_add(out, full)) != DYAD_OK)
                break;
        }
        closedir(dir);
        if (st)
            return dyad__fail(err, DYAD_ENOMEM, "out of memory");
        qsort(out->p + first, out->n - first, sizeof *out->p, cmp_cstr);
    }
    if (out->n == 0)
        return dyad__fail(err, DYAD_ENOTFOUND, "no dictionary files");
    return DYAD_OK;
}

static dyad_status read_file(const char *path, char **text, size_t *len, dyad_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        dyad__where(err, path, 0, 0, dyad__slice("", 0));
        return dyad__fail(err, DYAD_EIO, "%s: cannot open: %s", path, strerror(errno));
    }
    size_t cap = 1 << 16, n = 0;
    char *b = malloc(cap);
    while (b) {
        if (n + 1 >= cap) {
            char *nb = realloc(b, cap * 2);
            if (!nb) {
                free(b);
                b = NULL;
                break;
            }
            b = nb;
            cap *= 2;
        }
        size_t got = fread(b + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    bool failed = ferror(f);
    fclose(f);
    if (!b)
        return dyad__fail(err, DYAD_ENOMEM, "out of memory reading %s", path);
    if (failed) {
        free(b);
        dyad__where(err, path, 0, 0, dyad__slice("", 0));
        return dyad__fail(err, DYAD_EIO, "%s: read error", path);
    }
    b[n] = 0;
    *text = b;
    *len = n;
    return DYAD_OK;
}

static bool compiled_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    char m[8];
    bool yes = fread(m, 1, 8, f) == 8 && memcmp(m, "DYAD", 4) == 0;
    fclose(f);
    return yes;
}

static dyad_status open_compiled(const char *path, dyad_dict **out, dyad_error *err)
{
    dyad_dict *d = calloc(1, sizeof *d);
    if (!d)
        return dyad__fail(err, DYAD_ENOMEM, "out of memory");
    dyad_status st = dyad__container_open(path, DYAD_DICT_MAGIC, DYAD_DICT_FORMAT,
                                          "dictionary", &d->c, err);
    if (!st && (st = bind(d, err)) != DYAD_OK)
        dyad__container_close(&d->c);
    if (st) {
        free(d);
        return st;
    }
    *out = d;
    return DYAD_OK;
}

static dyad_status from_buffer(unsigned char *buf, size_t size, const char *name,
                               dyad_dict **out, dyad_error *err)
{
    dyad_dict *d = calloc(1, sizeof *d);
    if (!d) {
        free(buf);
        return dyad__fail(err, DYAD_ENOMEM, "out of memory");
    }
    dyad_status st = dyad__container_from_memory(buf, size, true, name, DYAD_DICT_MAGIC,
                                                 DYAD_DICT_FORMAT, "dictionary", &d->c, err);
    if (!st && (st = bind(d, err)) != DYAD_OK)
        dyad__container_close(&d->c);
    if (st) {
        free(d);
        return st;
    }
    *out = d;
    return DYAD_OK;
}

/* FNV-1a 64 over the inputs' names, sizes and modification times and dyad's formats. */
static uint64_t cache_key(const path_list *l)
{
    uint64_t h = 0xcbf29ce484222325ull;
#define MIX(p, n)                                                                          \
    do {                                                                                   \
        const unsigned char *q_ = (const unsigned char *)(p);                              \
        for (size_t i_ = 0; i_ < (n); i_++) {                                              \
            h ^= q_[i_];                                                                   \
            h *= 0x100000001b3ull;                                                         \
        }                                                                                  \
    } while (0)
    uint32_t fmt = DYAD_DICT_FORMAT;
    MIX(&fmt, sizeof fmt);
    MIX(DYAD_VERSION, strlen(DYAD_VERSION));
    for (size_t i = 0; i < l->n; i++) {
        struct stat sb;
        MIX(l->p[i], strlen(l->p[i]) + 1);
        if (stat(l->p[i], &sb) == 0) {
            int64_t v[4] = {(int64_t)sb.st_size, (int64_t)sb.st_mtim.tv_sec,
                            (int64_t)sb.st_mtim.tv_nsec, (int64_t)sb.st_ino};
            MIX(v, sizeof v);
        }
    }
#undef MIX
    return h ? h : 1;
}

static bool binary(const char *text, size_t len)
{
    size_t k = len < 4096 ? len : 4096;
    return memchr(text, 0, k) != NULL;
}

/* Build a dictionary from text files into a container buffer. */
static dyad_status build(const path_list *l, const dyad_dict_opts *opts, uint64_t key,
                         unsigned char **buf, size_t *size, long *nerrors, dyad_error *err)
{
    dyad__db *db = dyad__db_new(opts ? opts->report : NULL, opts ? opts->report_ctx : NULL,
                                opts && (opts->flags & DYAD_DICT_LINT));
    if (!db)
        return dyad__fail(err, DYAD_ENOMEM, "out of memory");
    dyad_status st = DYAD_OK;
    for (size_t i = 0; i < l->n && !st; i++) {
        char *text = NULL;
        size_t len = 0;
        if ((st = read_file(l->p[i], &text, &len, err)) != DYAD_OK)
            break;
        if (len == 0 || binary(text, len)) {
            dyad__where(err, l->p[i], 0, 0, dyad__slice("", 0));
            st = dyad__fail(err, DYAD_EFORMAT, "%s: %s", l->p[i],
                            len == 0 ? "empty dictionary file"
                                     : "not a text dictionary (binary data)");
            dyad__db_fail(db, l->p[i], true, "%s",
                          len == 0 ? "empty dictionary file" : "not a text dictionary");
            free(text);
            break;
        }
        dyad__dict_read_text(db, l->p[i], text, len);
        free(text);
        const dyad__dfile *f = &db->files[db->nfiles - 1];
        if (strcmp(db->pool + f->format.off, "unknown") == 0) {
            dyad__where(err, l->p[i], 0, 0, dyad__slice("", 0));
            st = dyad__fail(err, DYAD_EFORMAT, "%s: cannot tell the dictionary format",
                            l->p[i]);
        }
        if (dyad__db_oom(db))
            st = dyad__fail(err, DYAD_ENOMEM, "out of memory reading %s", l->p[i]);
    }
    if (!st)
        st = dyad__db_finish(db, key, buf, size, err);
    if (nerrors)
        *nerrors = dyad__db_errors(db);
    dyad__db_free(db);
    return st;
}

/* The cache keeps the DICT_CACHE_KEEP most recently used compiled dictionaries (each run
 * that reuses one touches it): every edit of a text dictionary makes a new key, and old
 * entries would otherwise pile up.  Best effort, like the cache itself. */
#define DICT_CACHE_KEEP 8

typedef struct cache_entry {
    char name[64];
    struct timespec mtime;
} cache_entry;

static int cmp_newest(const void *a, const void *b)
{
    const struct timespec *x = &((const cache_entry *)a)->mtime;
    const struct timespec *y = &((const cache_entry *)b)->mtime;
    if (x->tv_sec != y->tv_sec)
        return x->tv_sec < y->tv_sec ? 1 : -1;
    return x->tv_nsec < y->tv_nsec ? 1 : x->tv_nsec > y->tv_nsec ? -1 : 0;
}

static void cache_prune(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    cache_entry *e = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        size_t len = strlen(de->d_name);
        if (len >= sizeof e->name || strncmp(de->d_name, "dyad-dict-", 10) != 0 || len < 14 ||
            strcmp(de->d_name + len - 4, ".bin") != 0)
            continue;
        struct stat sb;
        if (fstatat(dirfd(d), de->d_name, &sb, 0) != 0 || !S_ISREG(sb.st_mode))
            continue;
        if (DYAD_GROW(e, cap, n + 1))
            break;
        memcpy(e[n].name, de->d_name, len + 1);
        e[n++].mtime = sb.st_mtim;
    }
    if (n > DICT_CACHE_KEEP) {
        qsort(e, n, sizeof *e, cmp_newest);
        for (size_t i = DICT_CACHE_KEEP; i < n; i++)
            unlinkat(dirfd(d), e[i].name, 0);
    }
    free(e);
    closedir(d);
}

dyad_status dyad_dict_open_opts(const char *const *paths, size_t npaths,
                                const dyad_dict_opts *opts, dyad_dict **out, dyad_error *err)
{
    if (!out)
        return dyad__fail(err, DYAD_EINVAL, "no output");
    *out = NULL;
    path_list l = {0};
    dyad_status st = expand_paths(paths, npaths, &l, err);
    if (st) {
        paths_free(&l);
        return st;
    }
    for (size_t i = 0; i < l.n; i++) {
        if (!compiled_file(l.p[i]))
            continue;
        if (l.n > 1) {
            dyad__where(err, l.p[i], 0, 0, dyad__slice("", 0));
            st = dyad__fail(err, DYAD_EINVAL,
                            "%s: a compiled dictionary must be given alone", l.p[i]);
        } else {
            st = open_compiled(l.p[i], out, err);
        }
        paths_free(&l);
        return st;
    }
    const char *cache = opts ? opts->cache_dir : NULL;
    bool fresh = opts && (opts->report || (opts->flags & DYAD_DICT_LINT));
    uint64_t key = cache ? cache_key(&l) : 0;
    char cpath[4096] = "";
    if (cache) {
        snprintf(cpath, sizeof cpath, "%s/dyad-dict-%016llx.bin", cache,
                 (unsigned long long)key);
        dyad_dict *d;
        if (!fresh && open_compiled(cpath, &d, NULL) == DYAD_OK) {
            if (d->meta->key == key) {
                utimensat(AT_FDCWD, cpath, NULL, 0);   /* recently used: kept by the pruning */
                *out = d;
                paths_free(&l);
                return DYAD_OK;
            }
            dyad_dict_free(d);
        }
    }
    unsigned char *buf = NULL;
    size_t size = 0;
    st = build(&l, opts, key, &buf, &size, NULL, err);
    paths_free(&l);
    if (st)
        return st;
    if (cache) {
        /* best effort: a cache that cannot be written is not an error */
        char tmp[4200];
        snprintf(tmp, sizeof tmp, "%s.tmp.%ld", cpath, (long)getpid());
        FILE *f = fopen(tmp, "wb");
        if (f) {
            bool ok = fwrite(buf, 1, size, f) == size;
            ok = fclose(f) == 0 && ok;
            if (!ok || rename(tmp, cpath) != 0)
                remove(tmp);
            else
                cache_prune(cache);
        }
    }
    return from_buffer(buf, size, "(compiled in memory)", out, err);
}

dyad_status dyad_dict_open(const char *const *paths, size_t npaths, const char *cache_dir,
                           dyad_dict **out, dyad_error *err)
{
    dyad_dict_opts o;
    memset(&o, 0, sizeof o);
    o.cache_dir = cache_dir;
    return dyad_dict_open_opts(paths, npaths, &o, out, err);
}

static dyad_status write_atomic(const char *out_path, const void *buf, size_t size,
                                dyad_error *err)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", out_path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    int saved = 0;
    bool ok = f != NULL;
    if (!ok)
        saved = errno;
    if (ok && fwrite(buf, 1, size, f) != size) {
        ok = false;
        saved = errno;
    }
    if (f && fclose(f) != 0 && ok) {
        ok = false;
        saved = errno;
    }
    if (ok && rename(tmp, out_path) != 0) {
        ok = false;
        saved = errno;
    }
    if (!ok) {
        remove(tmp);
        dyad__where(err, out_path, 0, 0, dyad__slice("", 0));
        return dyad__fail(err, DYAD_EIO, "%s: cannot write: %s", out_path, strerror(saved));
    }
    return DYAD_OK;
}

dyad_status dyad_dict_compile(const char *const *paths, size_t npaths, const char *out_path,
                              dyad_error *err)
{
    if (!out_path)
        return dyad__fail(err, DYAD_EINVAL, "no output path");
    path_list l = {0};
    dyad_status st = expand_paths(paths, npaths, &l, err);
    for (size_t i = 0; !st && i < l.n; i++)
        if (compiled_file(l.p[i])) {
            dyad__where(err, l.p[i], 0, 0, dyad__slice("", 0));
            st = dyad__fail(err, DYAD_EINVAL, "%s: already compiled", l.p[i]);
        }
    unsigned char *buf = NULL;
    size_t size = 0;
    if (!st)
        st = build(&l, NULL, 0, &buf, &size, NULL, err);
    paths_free(&l);
    if (st)
        return st;
    dyad_status ws = write_atomic(out_path, buf, size, err);
    free(buf);
    return ws;
}

dyad_status dyad_dict_save(const dyad_dict *d, const char *out_path, dyad_error *err)
{
    if (!d || !out_path)
        return dyad__fail(err, DYAD_EINVAL, "no dictionary or no output path");
    return write_atomic(out_path, d->c.base, d->c.size, err);
}

typedef struct count_ctx {
    dyad_dict_report_fn fn;
    void *ctx;
    long errors;
} count_ctx;

static void count_report(void *vc, int is_error, const dyad_error *e)
{
    count_ctx *c = vc;
    if (is_error)
        c->errors++;
    if (c->fn)
        c->fn(c->ctx, is_error, e);
}

long dyad_dict_check(const char *const *paths, size_t npaths, dyad_dict_report_fn fn,
                     void *ctx)
{
    count_ctx c = {fn, ctx, 0};
    dyad_dict_opts o;
    memset(&o, 0, sizeof o);
    o.report = count_report;
    o.report_ctx = &c;
    o.flags = DYAD_DICT_LINT;
    dyad_dict *d = NULL;
    dyad_error e;
    memset(&e, 0, sizeof e);
    dyad_status st = dyad_dict_open_opts(paths, npaths, &o, &d, &e);
    dyad_dict_free(d);
    if (st) {
        /* a failure the reader did not already report (a missing file, no memory) */
        if (st != DYAD_EFORMAT || c.errors == 0) {
            if (fn)
                fn(ctx, 1, &e);
            c.errors++;
        }
    }
    return c.errors;
}

void dyad_dict_free(dyad_dict *d)
{
    if (!d)
        return;
    dyad__container_close(&d->c);
    free(d->wsig);
    free(d->rootx);
    free(d->ekey);
    free(d->sword);
    free(d->swedge);
    free(d->smask);
    free(d);
}
