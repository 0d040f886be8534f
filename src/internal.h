/* internal.h - shared internals of the dyad library: arena, growable arrays, the document. */
#ifndef DYAD_INTERNAL_H
#define DYAD_INTERNAL_H

#include "dyad.h"

#include <stdarg.h>
#include <stdbool.h>
#include <string.h>

/* ---------------------------------------------------------------- errors */

/* Fill err (when not NULL) with code and a printf-style message; returns code. */
dyad_status dyad__fail(dyad_error *err, dyad_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Set err's location fields (file may be NULL, record may be an empty slice). */
void dyad__where(dyad_error *err, const char *file, long line, long col, dyad_slice record);

/* ---------------------------------------------------------------- arena */

/* A chain of blocks; dyad__arena_reset keeps the first (largest) block so a document loop
 * reaches a steady state with no malloc. */
typedef struct dyad_arena_block {
    struct dyad_arena_block *next;
    size_t size, used;
    /* data follows, max-aligned */
} dyad_arena_block;

typedef struct dyad_arena {
    dyad_arena_block *head;
    size_t total;          /* bytes in all blocks */
} dyad_arena;

void dyad__arena_init(dyad_arena *a);
void *dyad__arena_alloc(dyad_arena *a, size_t n);          /* 16-byte aligned; NULL on ENOMEM */
char *dyad__arena_strdup(dyad_arena *a, const char *s, size_t n); /* NUL-terminated copy */
void dyad__arena_reset(dyad_arena *a);
void dyad__arena_free(dyad_arena *a);

/* ---------------------------------------------------------------- growable arrays */

/* Grow *ptr (an array of elem-byte items with capacity *cap) to hold at least need items.
 * Returns 0 or DYAD_ENOMEM. */
dyad_status dyad__grow(void **ptr, size_t *cap, size_t need, size_t elem);
#define DYAD_GROW(arr, cap, need) dyad__grow((void **)&(arr), &(cap), (need), sizeof *(arr))

/* ---------------------------------------------------------------- the document */

struct dyad_doc {
    dyad_arena arena;
    dyad_slice id, date, title, url, source;
    dyad_slice orig;           /* copy of the text as given */
    dyad_slice text;           /* repaired + NFC text (== orig when nothing changed) */
    uint32_t *offmap;          /* text byte -> orig byte, len text.len + 1; NULL when identical */

    dyad_token *tokens;
    size_t ntokens, cap_tokens;
    dyad_sentence *sents;
    size_t nsents, cap_sents;
    dyad_error *warnings;
    size_t nwarnings, cap_warnings;
    dyad_event *events;
    size_t nevents, cap_events;
    dyad_quote *quotes;
    size_t nquotes, cap_quotes;
};

/* Append a warning to the document (message printf-style); silently keeps at most 1000. */
void dyad__doc_warn(dyad_doc *doc, dyad_status code, long col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Map a byte offset in doc->text to the original text. */
static inline uint32_t dyad__orig_offset(const dyad_doc *doc, size_t off)
{
    return doc->offmap ? doc->offmap[off] : (uint32_t)off;
}

/* Append a token / sentence; return a pointer to it (zeroed, head = -1) or NULL on ENOMEM. */
dyad_token *dyad__doc_push_token(dyad_doc *doc);
dyad_sentence *dyad__doc_push_sentence(dyad_doc *doc);
dyad_event *dyad__doc_push_event(dyad_doc *doc);
dyad_quote *dyad__doc_push_quote(dyad_doc *doc);

static inline dyad_slice dyad__slice(const char *p, size_t n)
{
    dyad_slice s = {p, n};
    return s;
}
static inline dyad_slice dyad__cstr(const char *p)
{
    dyad_slice s = {p, p ? strlen(p) : 0};
    return s;
}
static inline bool dyad__slice_eq(dyad_slice a, const char *b)
{
    size_t n = strlen(b);
    return a.len == n && memcmp(a.ptr, b, n) == 0;
}
/* ASCII case-insensitive equality of n bytes (strncasecmp's folding), inline: the coder asks
 * it about every token many times. */
static inline bool dyad__ascii_ieq(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
        if (x >= 'A' && x <= 'Z')
            x = (unsigned char)(x + 32);
        if (y >= 'A' && y <= 'Z')
            y = (unsigned char)(y + 32);
        if (x != y)
            return false;
    }
    return true;
}

/* ---------------------------------------------------------------- model files (model.c) */

/* A model file is little-endian:
 *   header   : magic "DYADMODL", u32 format version, u32 section count, u64 file size,
 *              u64 checksum (FNV-1a 64 over every byte after the header)
 *   sections : count x {char name[16] (NUL-padded), u64 offset, u64 size}
 *   payloads : each 64-byte aligned.
 * Stages find their tables by section name; every table is pointer-free. */
#define DYAD_MODEL_MAGIC "DYADMODL"
#define DYAD_MODEL_FORMAT 1u

typedef struct dyad__mw dyad__mw;   /* collects sections, then writes a model file */

dyad__mw *dyad__mw_new(void);
void dyad__mw_free(dyad__mw *w);
/* Add a section (copied).  name: at most 15 bytes, unique. */
dyad_status dyad__mw_add(dyad__mw *w, const char *name, const void *data, size_t size);
/* Serialise to a malloc'd buffer (for an in-memory model during training). */
dyad_status dyad__mw_serialise(const dyad__mw *w, unsigned char **buf, size_t *size);
dyad_status dyad__mw_write(const dyad__mw *w, const char *path, dyad_error *err);

struct dyad_tagger;   /* tagger.c: views over the tagger's sections */
struct dyad_lemmas;   /* lemma.c: views over the lemma sections */
struct dyad_parser;   /* parser.c: views over the parser's sections */

struct dyad_model {
    const unsigned char *base;
    size_t size;
    bool mapped;          /* munmap on free (else free(base) when owned) */
    bool owned;
    uint32_t nsections;
    const unsigned char *table;
    char path[256];
    struct dyad_tagger *tagger;
    struct dyad_lemmas *lemmas;
    struct dyad_parser *parser;
};

/* Open a model held in memory (not copied unless own is true: then the model frees buf). */
dyad_status dyad__model_from_memory(const unsigned char *buf, size_t size, bool own,
                                    const char *name, dyad_model **out, dyad_error *err);
/* A section's payload, or NULL (with *size 0) when absent. */
const void *dyad__model_section(const dyad_model *m, const char *name, size_t *size);

/* Each stage binds its views when a model is opened, and frees them with the model.  A stage
 * whose sections are missing leaves its pointer NULL (bind returns 0); malformed sections
 * fail with DYAD_ECORRUPT. */
dyad_status dyad__tagger_bind(dyad_model *m, dyad_error *err);
void dyad__tagger_unbind(dyad_model *m);
dyad_status dyad__lemmas_bind(dyad_model *m, dyad_error *err);
void dyad__lemmas_unbind(dyad_model *m);
dyad_status dyad__parser_bind(dyad_model *m, dyad_error *err);
void dyad__parser_unbind(dyad_model *m);

/* ---------------------------------------------------------------- training corpora */

/* A CoNLL-U file in memory: gold tokens of every sentence. */
typedef struct dyad__corpus {
    dyad_token *toks;         /* form, lemma, upos, xpos, head, deprel, flags (space after) */
    size_t ntoks, cap_toks;
    uint32_t *sent_first;     /* first token of each sentence */
    uint32_t *sent_len;
    size_t nsents, cap_first, cap_len;
    dyad_arena strings;
} dyad__corpus;

dyad_status dyad__corpus_load(dyad__corpus *c, const char *path, dyad_error *err);
void dyad__corpus_free(dyad__corpus *c);

/* ---------------------------------------------------------------- stage entry points */

/* Training: each adds its sections to out.  opts is the public dyad_train_opts. */
dyad_status dyad__lemmas_train(const dyad__corpus *train, const dyad_train_opts *opts,
                               dyad__mw *out, dyad_error *err);
dyad_status dyad__tagger_train(const dyad__corpus *train, const dyad__corpus *dev,
                               const dyad_train_opts *opts, dyad__mw *out, dyad_error *err);
/* The parser trainer gets the model holding the trained tagger (to tag its training data as
 * it will be tagged at run time, if it wants). */
dyad_status dyad__parser_train(const dyad__corpus *train, const dyad__corpus *dev,
                               const dyad_model *tagger, const dyad_train_opts *opts,
                               dyad__mw *out, dyad_error *err);

/* Run time, one sentence: toks[0..n) of doc.  Tag fills upos and xpos; lemmatise fills lemma
 * (slices into the model or doc->arena); parse fills head and deprel (a well-formed tree). */
void dyad__tag(const dyad_model *m, dyad_worker *w, dyad_token *toks, size_t n);
void dyad__lemmatise(const dyad_model *m, dyad_doc *doc, dyad_token *toks, size_t n);
void dyad__parse(const dyad_model *m, dyad_worker *w, dyad_token *toks, size_t n);
/* Rules for news constructions the model gets wrong (repair.c), run on every parse tree. */
void dyad__repair_tree(dyad_token *toks, size_t n);

/* ---------------------------------------------------------------- the worker */

/* Per-thread scratch.  Each stage keeps its own buffers here, grown on demand and reused. */
struct dyad_worker {
    void *scratch;        /* general byte scratch */
    size_t cap_scratch;
    uint32_t *seg_aux;    /* segmenter (text.c): per-token classes, parallel to doc->tokens */
    size_t cap_seg_aux;
    unsigned char *parse_buf;   /* parser (parser.c): the state of the sentence being parsed */
    size_t cap_parse_buf;
    void *tag_buf;        /* tagger (tagger.c): per-token scores and classes of a sentence */
    size_t cap_tag_buf;
    struct dyad__coder *coder;  /* coder (coder.c): sentence trees, mentions, article memory */
};

void dyad__coder_free(struct dyad__coder *c);

#endif /* DYAD_INTERNAL_H */
