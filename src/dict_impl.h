/* dict_impl.h - internals of the dictionary engine: compiled records and the builder. */
#ifndef DYAD_DICT_IMPL_H
#define DYAD_DICT_IMPL_H

#include "dict.h"

#include <stdarg.h>

#define DYAD__DNONE UINT32_MAX
#define DYAD__DATE_MIN 0
#define DYAD__DATE_MAX 99999999
#define DYAD__MAX_WORDS 64        /* words of one phrase */
#define DYAD__MAX_WORD 256        /* bytes of one (folded) word */

/* ---------------------------------------------------------------- compiled records */

/* A string: offset into the "str" section (every string is followed by a NUL) and length. */
typedef struct dyad__dstr {
    uint32_t off, len;
} dyad__dstr;

#define DYAD__ENDIAN_MARK 0x01020304u

typedef struct dyad__dmeta {
    uint32_t endian;          /* DYAD__ENDIAN_MARK */
    uint32_t nroot;           /* slots of the first-word hash (power of two) */
    uint32_t nvslot;          /* slots of the verb-key hash (power of two) */
    uint32_t nsslot;          /* slots of the set-name hash (power of two) */
    uint64_t key;             /* cache key of the inputs (0: not a cache file) */
    uint32_t max_depth;       /* longest phrase in words */
    uint32_t pad;
} dyad__dmeta;

typedef struct dyad__dfile {
    dyad__dstr path, format;
    uint32_t lines, unread, warnings;
    uint32_t patterns, verbs, sets, codes, transforms;
    uint32_t entries[DYAD__DK_COUNT];
} dyad__dfile;

typedef struct dyad__dent {
    uint16_t kind, flags;         /* DYAD__DK_*, DYAD__DF_* (entry-wide flags) */
    dyad__dstr name, extra;
    dyad__dstr country;           /* the country of country kinds and metonyms */
    uint32_t file, line;
    uint32_t role_first, nroles;
} dyad__dent;

enum { DYAD__ROLE_DEFAULT = 1u << 31 };

typedef struct dyad__drole {
    dyad__dstr code, country;
    int32_t from, to;             /* YYYYMMDD, inclusive */
    uint32_t flags;               /* DYAD__DF_* of the code | DYAD__ROLE_DEFAULT */
} dyad__drole;

typedef struct dyad__dnode {
    uint32_t edge_first, nedges;  /* children, sorted by key */
    uint32_t term_first, nterms;  /* phrases ending here */
} dyad__dnode;

enum { DYAD__EDGE_CASE = 1u << 0 };   /* the word matches only as written (orig) */

typedef struct dyad__dedge {
    dyad__dstr key, orig;         /* folded word; the word as written */
    uint32_t hash;                /* of key */
    uint32_t child;
    uint32_t flags;
} dyad__dedge;

enum {
    DYAD__TERM_SET = 1u << 30,    /* ref is a set index (a set member), not an entry */
    DYAD__TERM_NOLEMMA = 1u << 29 /* the last word may not match by lemma */
};

typedef struct dyad__dterm {
    uint32_t ref;
    uint32_t flags;               /* DYAD__DF_AMBIGUOUS|ALIAS|PLURAL | DYAD__TERM_* */
} dyad__dterm;

typedef struct dyad__dpat {
    dyad__dstr key, code, code1, code2, particle, text;
    uint32_t file, line, block;
    uint32_t elem_first, nelems, score;
    uint16_t style, flags;
} dyad__dpat;

typedef struct dyad__delem {
    uint16_t type, flags;
    dyad__dstr word;
    uint32_t set;
} dyad__delem;

typedef struct dyad__dverb {
    dyad__dstr key, particle, pre, code;
    uint32_t block, file, line, flags;
} dyad__dverb;

typedef struct dyad__dblock {
    dyad__dstr name, code;
    uint32_t file, line, flags;
} dyad__dblock;

typedef struct dyad__dvkey {
    dyad__dstr key;
    uint32_t hash;
    uint32_t pat_first, npat;     /* into the "vlist" section */
    uint32_t verb_first, nverb;   /* into the "vlist" section */
} dyad__dvkey;

typedef struct dyad__dset {
    dyad__dstr name;              /* folded, without '&' and the trailing '_' */
    uint32_t hash;
    uint32_t file, line, nmembers, flags;
} dyad__dset;

typedef struct dyad__dcameo {
    dyad__dstr code, name;
    double goldstein;
    uint32_t quad, pad;
} dyad__dcameo;

/* The open dictionary: views over the sections of its container. */
struct dyad_dict {
    dyad__container c;
    const dyad__dmeta *meta;
    const char *str;
    size_t nstr;
#define DYAD__DICT_TABLE(type, name) const type *name; size_t n##name;
    DYAD__DICT_TABLE(dyad__dfile, files)
    DYAD__DICT_TABLE(dyad__dent, ents)
    DYAD__DICT_TABLE(dyad__drole, roles)
    DYAD__DICT_TABLE(dyad__dnode, nodes)
    DYAD__DICT_TABLE(dyad__dedge, edges)
    DYAD__DICT_TABLE(dyad__dterm, terms)
    DYAD__DICT_TABLE(uint32_t, root)
    DYAD__DICT_TABLE(dyad__dpat, pats)
    DYAD__DICT_TABLE(dyad__delem, elems)
    DYAD__DICT_TABLE(dyad__dverb, verbs)
    DYAD__DICT_TABLE(dyad__dblock, blocks)
    DYAD__DICT_TABLE(dyad__dvkey, vkeys)
    DYAD__DICT_TABLE(uint32_t, vslots)
    DYAD__DICT_TABLE(uint32_t, vlist)
    DYAD__DICT_TABLE(dyad__dset, sets)
    DYAD__DICT_TABLE(uint32_t, sslots)
    DYAD__DICT_TABLE(dyad__dcameo, cameo)
    DYAD__DICT_TABLE(dyad__dstr, unpat)
#undef DYAD__DICT_TABLE
    uint64_t *wsig;   /* per pattern, made at open: the buckets of up to 5 of its literal
                       * words and sets (10 bits each), their count (bits 56-58) and two bits
                       * of what it is (dict.c's SIG_TREE, SIG_NOUN); NULL: no filter */
    /* Made at open, so that a word of a sentence costs one cache line when the dictionary has
     * no such word (NULL: the look-up reads the tables above alone):
     *   rootx: the first-word table with each slot's key hash beside its edge
     *          (hash << 32 | root[slot]);
     *   ekey: the children of the nodes with many edges, by (node, word): an open-addressing
     *         table of nekey slots (a power of two), each (mix << 32 | edge + 1), where edge is
     *         the first of the node's edges with that word and mix hashes node and word. */
    uint64_t *rootx;
    uint64_t *ekey;
    size_t nekey;
    /* Made at open: the first words that are members of sets on their own (a one-word member),
     * for the pattern filter: an open-addressing table of nsword slots (a power of two), each
     * (hash << 32 | i + 1), where swedge[i] is the word's first-word edge and smask[i] the
     * buckets of its sets (NULL: the filter walks the trie). */
    uint64_t *sword;
    size_t nsword;
    uint32_t *swedge;
    uint64_t (*smask)[DYAD__MASK_WORDS];
};

/* ---------------------------------------------------------------- text helpers (dict_text.c) */

/* Line helpers shared by the dictionary readers. */
static inline bool dyad__dblank(char c) { return c == ' ' || c == '\t'; }

/* Trim blanks and carriage returns at both ends of p[0..*n). */
static inline void dyad__dtrim(const char **p, size_t *n)
{
    while (*n && (dyad__dblank(**p) || **p == '\r')) {
        (*p)++;
        (*n)--;
    }
    while (*n && (dyad__dblank((*p)[*n - 1]) || (*p)[*n - 1] == '\r'))
        (*n)--;
}

static inline bool dyad__dstarts(const char *p, size_t n, const char *s)
{
    size_t k = strlen(s);
    return n >= k && memcmp(p, s, k) == 0;
}

uint32_t dyad__dhash(const char *s, size_t n);
/* Fold a word for matching: lower case (Unicode simple case mapping), U+2018/U+2019 -> '.
 * Returns the folded length, or (size_t)-1 when it does not fit in cap. */
size_t dyad__dfold(const char *s, size_t n, char *out, size_t cap);

/* A word of a phrase. */
typedef struct dyad__dword {
    const char *p;
    size_t n;
} dyad__dword;

/* Split a dictionary name into words the way dyad tokenises text: '_' and blanks separate,
 * hyphens separate (and are dropped), "'s" and a final "'" are words of their own, brackets
 * and final commas/colons/semicolons/quotes are words of their own, periods stay.  Returns the
 * number of words (at most max). */
size_t dyad__dname_words(const char *s, size_t n, dyad__dword *w, size_t max);

/* Next sub-word of a token (hyphens separate and are skipped): start at *pos = 0; returns
 * false at the end. */
bool dyad__dsubword(const char *s, size_t n, size_t *pos, dyad__dword *out);

/* A stable merge sort with a context argument; returns DYAD_ENOMEM or 0. */
dyad_status dyad__dsort(void *base, size_t n, size_t size,
                        int (*cmp)(const void *, const void *, void *), void *ctx);

/* Dates: "YYYY-MM-DD" -> YYYYMMDD (0 when invalid). */
int32_t dyad__ddate_iso(const char *s, size_t n);
/* PETRARCH/TABARI dates: YYMMDD (00-30 -> 20xx) or YYYYMMDD; 0 when invalid. */
int32_t dyad__ddate_petr(const char *s, size_t n);

/* Static code lists (CAMEO codebook): returns true when the 3-letter code is in the list. */
bool dyad__dcode_role(const char *c);      /* GOV MIL ... */
bool dyad__dcode_prefix(const char *c);    /* IGO NGO IMG MNC NGM INT UIS + regions */
bool dyad__dcode_group(const char *c);     /* ethnic and religious group codes */
bool dyad__dfunction_word(const char *folded, size_t n);
bool dyad__dpreposition(const char *folded, size_t n);

/* ---------------------------------------------------------------- the builder (dict_build.c) */

typedef struct dyad__db dyad__db;

/* Name modes for dyad__db_phrase. */
enum {
    DYAD__NAME_DYAD = 0,      /* dyad's files: capitals of <= 5 letters match as written */
    DYAD__NAME_FOREIGN = 1    /* PETRARCH/TABARI: all capitals; function-word names as written */
};

dyad__db *dyad__db_new(dyad_dict_report_fn report, void *ctx, bool lint);
void dyad__db_free(dyad__db *db);

/* Report a problem at the current file and line (is_error: the line was not read). */
void dyad__db_problem(dyad__db *db, long line, bool is_error, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* A lint problem located at a file and line of the dictionary. */
void dyad__db_lint(dyad__db *db, uint32_t file, long line, bool is_error, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* A problem that is not about one line (e.g. a missing file). */
void dyad__db_fail(dyad__db *db, const char *file, bool is_error, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
bool dyad__db_oom(const dyad__db *db);

/* Start a file: it becomes the current file (problems and entries are counted under it). */
uint32_t dyad__db_file(dyad__db *db, const char *path, const char *format, uint32_t lines);
void dyad__db_set_format(dyad__db *db, const char *format);
uint32_t dyad__db_cur_file(const dyad__db *db);

dyad__dstr dyad__db_str(dyad__db *db, const char *s, size_t n);
dyad__dstr dyad__db_strf(dyad__db *db, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *dyad__db_cstr(const dyad__db *db, dyad__dstr s);

/* Entries. */
uint32_t dyad__db_entry(dyad__db *db, uint16_t kind, uint16_t flags, const char *name,
                        size_t nname, long line);
void dyad__db_entry_country(dyad__db *db, uint32_t e, dyad__dstr country);
void dyad__db_entry_extra(dyad__db *db, uint32_t e, dyad__dstr extra);
void dyad__db_entry_flags(dyad__db *db, uint32_t e, uint16_t flags);
uint16_t dyad__db_entry_kind(const dyad__db *db, uint32_t e);
uint32_t dyad__db_nentries(const dyad__db *db);
/* Add a code to an entry: from/to YYYYMMDD (DYAD__DATE_MIN/MAX when open); is_default: the
 * PETRARCH unrestricted code.  Flags of the code (NULL, COMPOUND ...) are derived. */
void dyad__db_role(dyad__db *db, uint32_t e, const char *code, size_t n, int32_t from,
                   int32_t to, bool is_default, long line);
uint32_t dyad__db_nroles(const dyad__db *db, uint32_t e);

/* Add a name of entry e (or, with DYAD__TERM_SET in tflags, a member of set e).  Returns false
 * (after reporting) when the name has no words. */
bool dyad__db_phrase(dyad__db *db, uint32_t e, const char *name, size_t n, int mode,
                     uint32_t tflags, long line);

/* Patterns and verbs. */
uint32_t dyad__db_block(dyad__db *db, const char *name, size_t n, const char *code,
                        size_t ncode, long line);
/* Parse a code "040", "032:033", "023?", "---" into the pattern's code fields and flags;
 * returns false when it is not a code. */
bool dyad__db_code_parse(const char *s, size_t n, dyad__dstr *code, dyad__dstr *c1,
                         dyad__dstr *c2, uint16_t *flags, dyad__db *db);
uint32_t dyad__db_pattern(dyad__db *db, uint16_t style, const char *key, size_t nkey,
                          const char *code, size_t ncode, const char *text, size_t ntext,
                          uint32_t block, long line);
void dyad__db_pattern_particle(dyad__db *db, uint32_t p, const char *s, size_t n);
void dyad__db_pattern_flags(dyad__db *db, uint32_t p, uint16_t flags);
void dyad__db_pattern_drop(dyad__db *db, uint32_t p);   /* remove the last pattern */
void dyad__db_elem(dyad__db *db, uint32_t p, uint16_t type, uint16_t flags, const char *word,
                   size_t n);
uint32_t dyad__db_verb(dyad__db *db, const char *key, size_t nkey, const char *particle,
                       size_t npart, const char *pre, size_t npre, const char *code,
                       size_t ncode, uint32_t block, long line);
/* Register another key (an irregular form) for verb v. */
void dyad__db_verb_key(dyad__db *db, uint32_t v, const char *key, size_t n);
void dyad__db_transform(dyad__db *db);

/* Sets: find or create by name (case-insensitive, without '&'); the first definition's line
 * is kept. */
uint32_t dyad__db_set(dyad__db *db, const char *name, size_t n, long line);
/* Set `set` contains every member of the set named `name` (resolved at the end). */
void dyad__db_set_include(dyad__db *db, uint32_t set, const char *name, size_t n, long line);

/* CAMEO code table row. */
void dyad__db_cameo(dyad__db *db, const char *code, size_t ncode, double goldstein, int quad,
                    const char *name, size_t nname, long line);

/* Finish: resolve sets, build the look-up tables, lint (when asked), serialise to a
 * container buffer (malloc'd). */
dyad_status dyad__db_finish(dyad__db *db, uint64_t key, unsigned char **buf, size_t *size,
                            dyad_error *err);
long dyad__db_errors(const dyad__db *db);

/* ---------------------------------------------------------------- readers */

/* Read one text dictionary held in memory (NUL-terminated at text[len]); the format is
 * detected from the content (name is a hint).  Problems go to the builder. */
void dyad__dict_read_text(dyad__db *db, const char *path, const char *text, size_t len);
/* Format readers (dict_read_dyad.c, dict_read_petr.c).  `lines` are the file's lines. */
typedef struct dyad__dline {
    const char *p;
    size_t n;
} dyad__dline;
void dyad__read_dyad(dyad__db *db, const dyad__dline *lines, size_t nlines);
void dyad__read_cameo(dyad__db *db, const dyad__dline *lines, size_t nlines);
/* style: one of the format names of dyad_dict_file_info.format */
void dyad__read_petr(dyad__db *db, const char *format, const dyad__dline *lines, size_t nlines);
const char *dyad__petr_detect(const char *path, const dyad__dline *lines, size_t nlines);

/* ---------------------------------------------------------------- the builder's state */

typedef struct dyad__dbphrase {
    uint32_t word_first, nwords;  /* atom ids in db->pw */
    uint32_t ref;                 /* entry, or set with DYAD__TERM_SET */
    uint32_t tflags;
    uint32_t file, line;
} dyad__dbphrase;

typedef struct dyad__dbatom {
    dyad__dstr key, orig;
    uint32_t hash, flags;         /* DYAD__EDGE_CASE */
} dyad__dbatom;

typedef struct dyad__dbrole {
    uint32_t entry;
    uint32_t line;
    dyad__drole r;
} dyad__dbrole;

typedef struct dyad__dbinc {
    uint32_t set, file, line;
    dyad__dstr name;
} dyad__dbinc;

typedef struct dyad__dbvkey {
    dyad__dstr key;
    uint32_t verb;
} dyad__dbvkey;

#define DYAD__DB_ARRAY(type, name) type *name; size_t n##name, cap_##name;

struct dyad__db {
    dyad_dict_report_fn report;
    void *report_ctx;
    bool lint, oom;
    long nerrors, nwarnings;
    uint32_t cur;                 /* current file */
    DYAD__DB_ARRAY(char, pool)
    DYAD__DB_ARRAY(uint32_t, shash)   /* string dedup: slots of offset + 1 */
    size_t nstrings;
    DYAD__DB_ARRAY(dyad__dfile, files)
    DYAD__DB_ARRAY(dyad__dent, ents)
    DYAD__DB_ARRAY(dyad__dbrole, roles)
    DYAD__DB_ARRAY(dyad__dbphrase, ph)
    DYAD__DB_ARRAY(uint32_t, pw)
    DYAD__DB_ARRAY(dyad__dbatom, atoms)
    DYAD__DB_ARRAY(uint32_t, ahash)
    DYAD__DB_ARRAY(dyad__dpat, pats)
    DYAD__DB_ARRAY(dyad__delem, elems)
    DYAD__DB_ARRAY(dyad__dverb, verbs)
    DYAD__DB_ARRAY(dyad__dblock, blocks)
    DYAD__DB_ARRAY(dyad__dbvkey, vk)
    DYAD__DB_ARRAY(dyad__dset, sets)
    DYAD__DB_ARRAY(uint32_t, sethash)  /* set names: slots of index + 1 (cap_sethash slots) */
    DYAD__DB_ARRAY(dyad__dbinc, incs)
    DYAD__DB_ARRAY(dyad__dcameo, cameo)
    DYAD__DB_ARRAY(uint32_t, cameo_where)  /* file << 32 is too wide: pairs file, line */
};

/* ---------------------------------------------------------------- lint (dict_lint.c) */

/* Run the lint rules over the builder's data (called by dyad__db_finish before the tables
 * are built). */
void dyad__dict_lint(dyad__db *db);

#endif
