/* tagger_lex.c - word helpers for the tagger and lemmatiser: folding, WordNet set, morphy. */
#include "tagger_lex.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <utf8proc.h>

/* ---------------------------------------------------------------- case folding */

size_t dyad__fold(const char *s, size_t n, char *out, size_t cap)
{
    size_t o = 0, i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            if (o >= cap)
                break;
            out[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
            i++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0) {
            if (o >= cap)
                break;
            out[o++] = (char)c;
            i++;
            continue;
        }
        utf8proc_uint8_t buf[4];
        utf8proc_ssize_t m = utf8proc_encode_char(utf8proc_tolower(cp), buf);
        if (m <= 0 || o + (size_t)m > cap)
            break;
        memcpy(out + o, buf, (size_t)m);
        o += (size_t)m;
        i += (size_t)k;
    }
    return o;
}

bool dyad__is_folded(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            if (c >= 'A' && c <= 'Z')
                return false;
            i++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0) {
            i++;
            continue;
        }
        if (utf8proc_tolower(cp) != cp)
            return false;
        i += (size_t)k;
    }
    return true;
}

/* ---------------------------------------------------------------- the WordNet set */

static uint32_t wn_fp(uint64_t h)
{
    uint32_t fp = (uint32_t)(h >> 32) & ~15u;
    return fp ? fp : 16u;
}

uint32_t dyad__wn_lookup(const dyad__wnset *s, const char *w, size_t n)
{
    if (!s->slots)
        return 0;
    uint64_t h = dyad__hash(w, n, 0x574e);
    uint32_t fp = wn_fp(h);
    for (uint32_t i = (uint32_t)h & s->mask;; i = (i + 1) & s->mask) {
        uint32_t e = s->slots[i];
        if (!e)
            return 0;
        if ((e & ~15u) == fp)
            return e & 15u;
    }
}

static dyad_status wn_add(dyad__wnbuild *b, const char *w, size_t n, uint32_t pos)
{
    if (DYAD_GROW(b->items, b->cap, b->n + 1))
        return DYAD_ENOMEM;
    b->items[b->n].h = dyad__hash(w, n, 0x574e);
    b->items[b->n].pos = pos;
    b->n++;
    return DYAD_OK;
}

static int cmp_item(const void *a, const void *b)
{
    uint64_t x = ((const dyad__wnitem *)a)->h, y = ((const dyad__wnitem *)b)->h;
    return x < y ? -1 : x > y;
}

/* Sort, merge duplicates, and lay the table out at a load factor of at most one half. */
static dyad_status wn_finish(dyad__wnbuild *b)
{
    qsort(b->items, b->n, sizeof *b->items, cmp_item);
    size_t u = 0;
    for (size_t i = 0; i < b->n; i++) {
        if (u && b->items[u - 1].h == b->items[i].h)
            b->items[u - 1].pos |= b->items[i].pos;
        else
            b->items[u++] = b->items[i];
    }
    b->n = u;
    uint32_t cap = 1024;
    while (cap < 2 * u)
        cap *= 2;
    b->slots = calloc(cap, sizeof *b->slots);
    if (!b->slots)
        return DYAD_ENOMEM;
    b->mask = cap - 1;
    b->nslots = cap;
    for (size_t i = 0; i < u; i++) {
        uint64_t h = b->items[i].h;
        uint32_t fp = wn_fp(h);
        uint32_t j = (uint32_t)h & b->mask;
        while (b->slots[j] && (b->slots[j] & ~15u) != fp)
            j = (j + 1) & b->mask;
        b->slots[j] |= fp | b->items[i].pos;
    }
    return DYAD_OK;
}

const char *dyad__wn_dir(const dyad_train_opts *opts)
{
    return opts && opts->wordnet_dir && *opts->wordnet_dir ? opts->wordnet_dir
                                                          : "/usr/share/wordnet";
}

static FILE *wn_open(const char *dir, const char *file, char *path, size_t cap,
                     dyad_error *err)
{
    snprintf(path, cap, "%s/%s", dir, file);
    FILE *f = fopen(path, "rb");
    if (!f) {
        dyad__where(err, path, 0, 0, dyad__slice("", 0));
        dyad__fail(err, errno == ENOENT ? DYAD_ENOTFOUND : DYAD_EIO,
                   "%s: cannot read WordNet data (%s); install the Debian package "
                   "wordnet-base or give the WordNet dictionary directory",
                   path, strerror(errno));
    }
    return f;
}

dyad_status dyad__wn_build(dyad__wnbuild *b, const char *dir, dyad_error *err)
{
    static const char *const files[4] = {"index.noun", "index.verb", "index.adj",
                                         "index.adv"};
    memset(b, 0, sizeof *b);
    char path[4096], line[4096];
    for (int k = 0; k < 4; k++) {
        FILE *f = wn_open(dir, files[k], path, sizeof path, err);
        if (!f) {
            dyad__wn_build_free(b);
            return err ? err->code : DYAD_EIO;
        }
        while (fgets(line, sizeof line, f)) {
            if (line[0] == ' ' || line[0] == '\n')
                continue;  /* the licence header lines start with spaces */
            size_t n = strcspn(line, " \n");
            if (memchr(line, '_', n))
                continue;  /* multi-word lemmas never match one token */
            if (wn_add(b, line, n, 1u << k)) {
                fclose(f);
                dyad__wn_build_free(b);
                return dyad__fail(err, DYAD_ENOMEM, "out of memory reading %s", path);
            }
        }
        bool bad = ferror(f);
        fclose(f);
        if (bad) {
            dyad__wn_build_free(b);
            dyad__where(err, path, 0, 0, dyad__slice("", 0));
            return dyad__fail(err, DYAD_EIO, "%s: read error", path);
        }
    }
    if (b->n >= 1000 && wn_finish(b)) {
        dyad__wn_build_free(b);
        return dyad__fail(err, DYAD_ENOMEM, "out of memory");
    }
    if (b->n < 1000) {
        dyad__wn_build_free(b);
        dyad__where(err, dir, 0, 0, dyad__slice("", 0));
        return dyad__fail(err, DYAD_EFORMAT, "%s: the WordNet index files are (nearly) empty",
                          dir);
    }
    return DYAD_OK;
}

void dyad__wn_build_free(dyad__wnbuild *b)
{
    free(b->slots);
    free(b->items);
    memset(b, 0, sizeof *b);
}

dyad_status dyad__wn_exc(const char *dir, const char *file,
                         dyad_status (*fn)(void *ctx, dyad_slice form, dyad_slice base),
                         void *ctx, dyad_error *err)
{
    char path[4096], line[4096];
    FILE *f = wn_open(dir, file, path, sizeof path, err);
    if (!f)
        return err ? err->code : DYAD_EIO;
    dyad_status st = DYAD_OK;
    while (!st && fgets(line, sizeof line, f)) {
        size_t a = strcspn(line, " \n");
        if (!a || line[a] != ' ')
            continue;
        const char *base = line + a + 1;
        size_t b = strcspn(base, " \n");
        if (!b || memchr(line, '_', a) || memchr(base, '_', b))
            continue;
        st = fn(ctx, dyad__slice(line, a), dyad__slice(base, b));
    }
    fclose(f);
    if (st)
        return dyad__fail(err, st, "out of memory reading %s", path);
    return DYAD_OK;
}

/* ---------------------------------------------------------------- morphy */

typedef struct detach {
    const char *suffix, *ending;
    unsigned char ls, le;     /* their lengths */
} detach;

#define RULE(s, e) {s, e, sizeof s - 1, sizeof e - 1}

/* WordNet's detachment rules, with the preferred reading first. */
static const detach noun_rules[] = {
    RULE("s", ""),     RULE("ses", "s"),   RULE("xes", "x"), RULE("zes", "z"),
    RULE("ches", "ch"), RULE("shes", "sh"), RULE("men", "man"), RULE("ies", "y"),
    {NULL, NULL, 0, 0},
};
static const detach verb_rules[] = {
    RULE("ies", "y"), RULE("es", "e"), RULE("s", ""), RULE("es", ""), RULE("ied", "y"),
    {NULL, NULL, 0, 0},
};
static const detach adj_rules[] = {
    RULE("er", ""),  RULE("est", ""),  RULE("er", "e"), RULE("est", "e"),
    RULE("ier", "y"), RULE("iest", "y"), {NULL, NULL, 0, 0},
};

static bool is_vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

static size_t try_rule(const dyad__wnset *s, const char *w, size_t n, const detach *r,
                       int pos, char *out, size_t cap)
{
    size_t ls = r->ls, le = r->le;
    if (n <= ls + 1 || w[n - 1] != r->suffix[ls - 1] || memcmp(w + n - ls, r->suffix, ls) != 0)
        return 0;
    size_t m = n - ls;
    if (m + le > cap)
        return 0;
    memcpy(out, w, m);
    memcpy(out + m, r->ending, le);
    if (dyad__wn_lookup(s, out, m + le) & (uint32_t)pos)
        return m + le;
    return 0;
}

/* -ed / -ing / -er / -est: the stem as it is, with an "e" restored, or with a doubled
 * final consonant undone (cancelled -> cancel, bigger -> big). */
static size_t try_stem(const dyad__wnset *s, const char *w, size_t n, const char *suffix,
                       size_t ls, int pos, char *out, size_t cap)
{
    if (n < ls + 2 || w[n - 1] != suffix[ls - 1] || memcmp(w + n - ls, suffix, ls) != 0)
        return 0;
    size_t m = n - ls;
    if (m + 1 > cap)
        return 0;
    memcpy(out, w, m);
    bool bare = (dyad__wn_lookup(s, out, m) & (uint32_t)pos) != 0;
    out[m] = 'e';
    bool withe = (dyad__wn_lookup(s, out, m + 1) & (uint32_t)pos) != 0;
    if (bare && withe) {
        /* hoping -> hope (not hop), but singing -> sing (not singe): a stem ending in two
         * consonants rarely lost an "e" */
        char a = out[m - 2], b = out[m - 1];
        return !is_vowel(a) && !is_vowel(b) && a != b ? m : m + 1;
    }
    if (withe)
        return m + 1;
    if (bare)
        return m;
    if (m >= 3 && out[m - 1] == out[m - 2] && !is_vowel(out[m - 1]) && out[m - 1] != 's' &&
        (dyad__wn_lookup(s, out, m - 1) & (uint32_t)pos))
        return m - 1;
    return 0;
}

size_t dyad__morphy(const dyad__wnset *s, const char *w, size_t n, int pos, char *out,
                    size_t cap)
{
    const detach *rules = pos == DYAD__WN_NOUN ? noun_rules
                          : pos == DYAD__WN_VERB ? verb_rules
                          : pos == DYAD__WN_ADJ  ? adj_rules
                                                 : NULL;
    if (!rules || !s->slots)
        return 0;
    size_t k;
    if (n < 3)
        return 0;
    if (pos == DYAD__WN_VERB) {
        if ((k = try_stem(s, w, n, "ed", 2, pos, out, cap)) ||
            (k = try_stem(s, w, n, "ing", 3, pos, out, cap)))
            return k;
    } else if (pos == DYAD__WN_ADJ) {
        if ((k = try_stem(s, w, n, "est", 3, pos, out, cap)) ||
            (k = try_stem(s, w, n, "er", 2, pos, out, cap)))
            return k;
    }
    for (const detach *r = rules; r->suffix; r++)
        if ((k = try_rule(s, w, n, r, pos, out, cap)))
            return k;
    return 0;
}
