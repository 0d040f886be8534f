/* dictq.h - what the dictionary targets ask an open dictionary: look-ups over a segmented
 * text, patterns and their elements, verbs, sets, the code table, file information; every
 * answer is checked to stay inside the dictionary and the sentence. */
#ifndef DYAD_FUZZ_DICTQ_H
#define DYAD_FUZZ_DICTQ_H

#include "fuzz.h"
#include "dict.h"

/* Read every byte of s (AddressSanitizer reports a slice that leaves its buffer). */
static inline unsigned fuzz_touch(dyad_slice s)
{
    unsigned sum = 0;
    FUZZ_CHECK(s.len == 0 || s.ptr);
    for (size_t i = 0; i < s.len; i++)
        sum += (unsigned char)s.ptr[i];
    return sum;
}

static inline unsigned fuzz_touch_cstr(const char *s)
{
    FUZZ_CHECK(s != NULL);
    return fuzz_touch(dyad__cstr(s));
}

static inline void fuzz_pattern(const dyad_dict *d, uint32_t p, const dyad_token *toks, size_t n,
                                size_t i)
{
    dyad__pattern pat;
    FUZZ_CHECK(dyad__dict_pattern(d, p, &pat));
    fuzz_touch(pat.key);
    fuzz_touch(pat.code);
    fuzz_touch(pat.text);
    fuzz_touch(pat.particle);
    fuzz_touch(pat.file);
    dyad__dict_cameo(d, pat.code1, NULL, NULL, NULL);
    double g;
    int quad;
    dyad_slice name;
    if (dyad__dict_cameo(d, pat.code2, &g, &quad, &name))
        fuzz_touch(name);
    for (uint32_t e = 0; e < pat.nelems && e < 4096; e++) {
        dyad__pelem el;
        FUZZ_CHECK(dyad__dict_elem(d, p, e, &el));
        fuzz_touch(el.word);
        if (el.type == DYAD__PE_SET && el.set != UINT32_MAX && toks && i < n) {
            size_t m = dyad__dict_set_match(d, el.set, toks, n, i);
            FUZZ_CHECK(m <= n - i);
            dyad__dict_set_has(d, el.set, toks[i].form);
        }
    }
    dyad__pelem past;
    FUZZ_CHECK(!dyad__dict_elem(d, p, pat.nelems, &past));
}

/* Ask d about every token of toks[0, n) (one sentence or a whole text). */
static inline void fuzz_dict_ask(const dyad_dict *d, const dyad_token *toks, size_t n,
                                 dyad_slice date)
{
    dyad__dict_hit hits[16];
    for (size_t i = 0; i < n; i++) {
        size_t nh = dyad__dict_lookup(d, toks, n, i, date, hits, 16);
        FUZZ_CHECK(nh <= 16);
        for (size_t h = 0; h < nh; h++) {
            FUZZ_CHECK(hits[h].ntokens >= 1 && hits[h].ntokens <= n - i);
            FUZZ_CHECK(hits[h].kind >= 1 && hits[h].kind < DYAD__DK_COUNT);
            fuzz_touch(hits[h].code);
            fuzz_touch(hits[h].name);
            fuzz_touch(hits[h].country);
            dyad__entry e;
            FUZZ_CHECK(dyad__dict_entry(d, hits[h].entry, &e));
            fuzz_touch(e.name);
            fuzz_touch(e.code);
            fuzz_touch(e.extra);
            fuzz_touch(e.file);
            for (uint32_t r = 0; r < e.nroles && r < 64; r++) {
                dyad_slice code;
                int32_t from, to;
                bool def;
                FUZZ_CHECK(dyad__dict_role(d, hits[h].entry, r, &code, &from, &to, &def));
                fuzz_touch(code);
            }
            uint16_t fl;
            fuzz_touch(dyad__dict_code_at(d, hits[h].entry, date, &fl));
        }
        const dyad_slice keys[2] = {toks[i].form, toks[i].lemma};
        for (int k = 0; k < 2; k++) {
            if (!keys[k].len)
                continue;
            const uint32_t *idx = NULL;
            size_t np = dyad__dict_patterns(d, keys[k], &idx);
            for (size_t j = 0; j < np && j < 256; j++)
                fuzz_pattern(d, idx[j], toks, n, i);
            size_t nv = dyad__dict_verbs(d, keys[k], &idx);
            for (size_t j = 0; j < nv && j < 256; j++) {
                dyad__verb v;
                FUZZ_CHECK(dyad__dict_verb(d, idx[j], &v));
                fuzz_touch(v.key);
                fuzz_touch(v.particle);
                fuzz_touch(v.pre);
                fuzz_touch(v.code);
                fuzz_touch(v.block);
                fuzz_touch(v.file);
            }
            uint16_t fl;
            fuzz_touch(dyad__dict_verb_code(d, keys[k], &fl));
            uint32_t set = dyad__dict_set_find(d, keys[k]);
            if (set != UINT32_MAX)
                FUZZ_CHECK(dyad__dict_set_match(d, set, toks, n, i) <= n - i);
        }
    }
}

/* Everything else the dictionary holds: files, every pattern (up to a bound), the code list. */
static inline void fuzz_dict_walk(const dyad_dict *d, const dyad_token *toks, size_t n)
{
    for (size_t i = 0; i < dyad_dict_nfiles(d) && i < 64; i++) {
        dyad_dict_file_info fi;
        FUZZ_CHECK(dyad_dict_file(d, i, &fi) == DYAD_OK);
        fuzz_touch_cstr(fi.path);
        fuzz_touch_cstr(fi.format);
    }
    uint32_t np = dyad__dict_npatterns(d);
    for (uint32_t p = 0; p < np && p < 2000; p++)
        fuzz_pattern(d, p, toks, n, 0);
    for (size_t i = 0; i < 100000; i++) {
        const char *c = dyad_dict_unpatterned(d, i);
        if (!c)
            break;
        fuzz_touch_cstr(c);
    }
    dyad_dict_is_linear(d);
    dyad__dict_ncameo(d);
}

/* Segment text into doc with default limits; give the tokens a crude lemma (a final "s"
 * dropped) so that the look-up's lemma paths are taken.  Returns the tokens in *toks (malloc'd,
 * the caller frees) and their count. */
static inline size_t fuzz_dict_tokens(dyad_doc *doc, dyad_worker *w, const char *text, size_t len,
                                      dyad_token **toks)
{
    *toks = NULL;
    dyad_record rec;
    memset(&rec, 0, sizeof rec);
    rec.id = dyad__slice("probe", 5);
    rec.text = dyad__slice(text, len);
    rec.file = "probe";
    rec.line = 1;
    if (!len || dyad_doc_set(doc, &rec, NULL, NULL) != DYAD_OK ||
        dyad_worker_segment(w, doc, NULL, NULL) != DYAD_OK)
        return 0;
    size_t n = dyad_doc_ntokens(doc);
    if (!n)
        return 0;
    dyad_token *t = malloc(n * sizeof *t);
    if (!t)
        return 0;
    memcpy(t, dyad_doc_tokens(doc), n * sizeof *t);
    for (size_t i = 0; i < n; i++)
        if (t[i].form.len > 3 && t[i].form.ptr[t[i].form.len - 1] == 's')
            t[i].lemma = dyad__slice(t[i].form.ptr, t[i].form.len - 1);
    *toks = t;
    return n;
}

/* The probe text and, when given, more text through fuzz_dict_ask, then fuzz_dict_walk. */
static inline void fuzz_dict_all(const dyad_dict *d, const char *probe, const char *more,
                                 size_t nmore)
{
    dyad_doc *doc = dyad_doc_new();
    dyad_worker *w = dyad_worker_new();
    if (!doc || !w)
        abort();
    static const char *const dates[2] = {"2017-07-18", "1990-01-01"};
    dyad_token *toks;
    size_t n = fuzz_dict_tokens(doc, w, probe, strlen(probe), &toks);
    for (int k = 0; k < 2; k++)
        fuzz_dict_ask(d, toks, n, dyad__cstr(dates[k]));
    fuzz_dict_walk(d, toks, n);
    free(toks);
    if (more && nmore) {
        n = fuzz_dict_tokens(doc, w, more, nmore, &toks);
        fuzz_dict_ask(d, toks, n, dyad__cstr(dates[0]));
        free(toks);
    }
    dyad_worker_free(w);
    dyad_doc_free(doc);
}

#endif
