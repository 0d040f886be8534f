/* tagger_lex.h - word helpers shared by the tagger and the lemmatiser: case folding,
 * hashing, word shapes, and the WordNet lemma set with its morphy-style suffix rules. */
#ifndef DYAD_TAGGER_LEX_H
#define DYAD_TAGGER_LEX_H

#include "internal.h"

/* Lower-case s[0..n) into out (at most cap bytes; the result is cut at a character boundary
 * when it does not fit).  ASCII is folded inline, other characters through utf8proc; bytes
 * that are not valid UTF-8 are copied.  Returns the length written. */
size_t dyad__fold(const char *s, size_t n, char *out, size_t cap);

/* True when s has no character that dyad__fold would change. */
bool dyad__is_folded(const char *s, size_t n);

/* 64-bit hash of bytes (FNV-1a step, splitmix finish), and the finisher alone. */
static inline uint64_t dyad__mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    x ^= x >> 31;
    return x;
}

static inline uint64_t dyad__hash_step(uint64_t h, unsigned char c)
{
    return (h ^ c) * 0x100000001b3ull;
}

#define DYAD__HASH_SEED 0xcbf29ce484222325ull

static inline uint64_t dyad__hash(const void *p, size_t n, uint64_t seed)
{
    const unsigned char *s = p;
    uint64_t h = DYAD__HASH_SEED ^ seed;
    for (size_t i = 0; i < n; i++)
        h = dyad__hash_step(h, s[i]);
    return dyad__mix64(h ^ n);
}

/* ---------------------------------------------------------------- WordNet lemma set */

/* Parts of speech of the WordNet lemma set (bit masks). */
enum { DYAD__WN_NOUN = 1, DYAD__WN_VERB = 2, DYAD__WN_ADJ = 4, DYAD__WN_ADV = 8 };

/* A pointer-free hash set of lemmas: power-of-two array of u32 slots, each holding the high
 * 28 bits of the lemma's hash (never all zero) and its part-of-speech mask in the low 4. */
typedef struct dyad__wnset {
    const uint32_t *slots;
    uint32_t mask;            /* slot count - 1 */
} dyad__wnset;

uint32_t dyad__wn_lookup(const dyad__wnset *s, const char *w, size_t n);

/* Morphy: the base forms of folded word w (length n) for one part of speech (a single
 * DYAD__WN_* bit) that the set knows, found by the WordNet detachment rules and by undoing a
 * doubled final consonant.  Writes the first hit into out (cap bytes) and returns its length,
 * 0 when none.  Exceptions (irregular forms) are not handled here. */
size_t dyad__morphy(const dyad__wnset *s, const char *w, size_t n, int pos, char *out,
                    size_t cap);

/* Building the set at training time: read WordNet's index.noun/verb/adj/adv under dir. */
typedef struct dyad__wnitem {
    uint64_t h;
    uint32_t pos;
} dyad__wnitem;

typedef struct dyad__wnbuild {
    uint32_t *slots;          /* the finished table: nslots entries */
    uint32_t mask, nslots;
    dyad__wnitem *items;      /* lemma hashes while reading */
    size_t n, cap;
} dyad__wnbuild;

dyad_status dyad__wn_build(dyad__wnbuild *b, const char *dir, dyad_error *err);
void dyad__wn_build_free(dyad__wnbuild *b);

/* Read a WordNet exception list (e.g. verb.exc): calls fn(ctx, form, base) for each first
 * base of each line. */
dyad_status dyad__wn_exc(const char *dir, const char *file,
                         dyad_status (*fn)(void *ctx, dyad_slice form, dyad_slice base),
                         void *ctx, dyad_error *err);

/* The WordNet directory from the options (or the default). */
const char *dyad__wn_dir(const dyad_train_opts *opts);

#endif /* DYAD_TAGGER_LEX_H */
