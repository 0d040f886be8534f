/* dict.h - the dictionary look-up API for the coder, and the generic file container (model.c). */
#ifndef DYAD_DICT_H
#define DYAD_DICT_H

#include "internal.h"

/* ---------------------------------------------------------------- the file container */

/* The model file layout of model.c (magic, format version, section table, 64-byte aligned
 * payloads, FNV checksum), generalised to any 8-byte magic: dictionaries use "DYADDICT".
 * The payload of a container opened from a path is mmap'd read-only. */
typedef struct dyad__container {
    const unsigned char *base;
    size_t size;
    bool mapped;          /* munmap on close */
    bool owned;           /* free(base) on close */
    uint32_t nsections;
    const unsigned char *table;
    char path[256];
} dyad__container;

/* Open path and check it: DYAD_ECORRUPT for a truncated or damaged file, DYAD_EVERSION for a
 * file of another kind (what names the expected kind in messages: "dictionary") or of another
 * format version. */
dyad_status dyad__container_open(const char *path, const char *magic, uint32_t version,
                                 const char *what, dyad__container *c, dyad_error *err);
/* Same over a buffer (not copied; when own is true the container frees it on close, also
 * when the check fails). */
dyad_status dyad__container_from_memory(const unsigned char *buf, size_t size, bool own,
                                        const char *name, const char *magic, uint32_t version,
                                        const char *what, dyad__container *c, dyad_error *err);
void dyad__container_close(dyad__container *c);
/* A section's payload (64-byte aligned), or NULL with *size 0 when absent. */
const void *dyad__container_section(const dyad__container *c, const char *name, size_t *size);
/* Serialise / write the sections collected in w with another magic and version. */
dyad_status dyad__mw_serialise_as(const dyad__mw *w, const char *magic, uint32_t version,
                                  unsigned char **buf, size_t *size);
dyad_status dyad__mw_write_as(const dyad__mw *w, const char *path, const char *magic,
                              uint32_t version, dyad_error *err);

#define DYAD_DICT_MAGIC "DYADDICT"
#define DYAD_DICT_FORMAT 1u

/* ---------------------------------------------------------------- actor-like entries */

/* Kinds of dictionary entries (the same numbers as the public DYAD_DICT_KIND_*). */
enum {
    DYAD__DK_COUNTRY = 1,   /* a country's name                     code: RUS   country: RUS */
    DYAD__DK_ADJ,           /* its adjective ("Russian")            code: RUS */
    DYAD__DK_PEOPLE,        /* its plural demonym ("Russians")      code: RUS */
    DYAD__DK_CAPITAL,       /* its capital                          code: RUS */
    DYAD__DK_CITY,          /* one of its cities                    code: RUS */
    DYAD__DK_REGION,        /* a region or place inside it          code: RUS */
    DYAD__DK_METONYM,       /* `as CODE: NAME` (Kremlin)            code: RUSGOV  country: RUS */
    DYAD__DK_PERSON,        /* a person: code of the role at the date (flag NULL outside) */
    DYAD__DK_ORG,           /* an organisation                      code: IGOUNO */
    DYAD__DK_AGENT,         /* a role word                          code: GOV (the role only) */
    DYAD__DK_DISCARD,       /* a discard phrase                     code: empty */
    DYAD__DK_ISSUE,         /* an issue phrase                      code: the issue code */
    DYAD__DK_PACTOR,        /* a PETRARCH/TABARI actor: code at the date (may be compound) */
    DYAD__DK_PAGENT,        /* a PETRARCH/TABARI agent: role code, see flags PREFIX/SUFFIX */
    DYAD__DK_WORD,          /* a word of a plain word list (Phoenix prepositions), TABARI
                               <NOUN>/<ADJECTIVE> lists: code "NOUN", "ADJECTIVE", "PREP" */
    DYAD__DK_COUNT
};

/* Hit and entry flags. */
enum {
    DYAD__DF_AMBIGUOUS = 1u << 0,  /* the name is also something else (needs context) */
    DYAD__DF_NULL = 1u << 1,       /* null code ([---], or no role at this date): the words are
                                      a known phrase but code nothing */
    DYAD__DF_DISCARD = 1u << 2,    /* TABARI [###] actor: discard the sentence */
    DYAD__DF_COMPLEX = 1u << 3,    /* TABARI [+++]: the sentence is too complex to code */
    DYAD__DF_COMPOUND = 1u << 4,   /* the code lists several actors separated by '/' */
    DYAD__DF_PREFIX = 1u << 5,     /* PETRARCH agent "NGO~": the code goes BEFORE the actor's */
    DYAD__DF_SUFFIX = 1u << 6,     /* PETRARCH agent "~GOV": the code goes after the actor's */
    DYAD__DF_STORY = 1u << 7,      /* discard "+PHRASE": the whole story is discarded */
    DYAD__DF_IGNORE = 1u << 8,     /* issue "~PHRASE": cancels issue coding of the sentence */
    DYAD__DF_ALIAS = 1u << 9,      /* matched through a person's `alias` (needs the article) */
    DYAD__DF_LEMMA = 1u << 10,     /* the last word matched by its lemma (plural -> singular) */
    DYAD__DF_PLURAL = 1u << 11     /* matched through an explicit plural form ({...} agents) */
};

/* One dictionary entry matched at a position of a sentence.  Slices point into the dictionary
 * and stay valid as long as it is open. */
typedef struct dyad__dict_hit {
    uint32_t ntokens;     /* sentence tokens covered (the longest match) */
    uint32_t entry;       /* entry index (dyad__dict_entry) */
    uint16_t kind;        /* DYAD__DK_* */
    uint16_t flags;       /* DYAD__DF_* */
    dyad_slice code;      /* see the kinds above; for a PETRARCH "[ABC/DEF]" the whole text */
    dyad_slice name;      /* the entry's display name: the first name of a country, person,
                             org or agent line; for adjectives, demonyms, capitals, cities,
                             regions and metonyms the name itself (one entry each) */
    dyad_slice country;   /* the country code the entry belongs to, when it has one */
} dyad__dict_hit;

/* All entries whose phrase is the LONGEST match starting at toks[i] of a sentence of n tokens
 * (form and, when known, lemma filled), valid at date ("YYYY-MM-DD"; empty or invalid: the
 * entry's default code, or for a dyad person the role listed last).  Writes at most max_hits
 * hits and returns how many it wrote (0: nothing starts at i).  Matching:
 *   - case-insensitive, except dictionary words of at most five capital letters ("UN", "IS")
 *     in dyad's own files, and single-word function-word names ("US", "IS") of PETRARCH/TABARI
 *     files, which match only as written;
 *   - the last word also by the token's lemma (so "ministers" finds "minister"), unless the
 *     entry forbids plurals (PETRARCH "NAME_" or "{}");
 *   - hyphens separate words and are otherwise ignored: "Al-Qaeda" = "al - Qaeda" = "al Qaeda";
 *   - names are tokenised as dyad tokenises text: "People's" is People + 's;
 *   - the match starts at i and ends at a token boundary; longest match wins; entries sharing
 *     that phrase are all returned (exact-form matches before lemma matches).
 * No allocation; safe to call from any number of threads. */
size_t dyad__dict_lookup(const dyad_dict *d, const dyad_token *toks, size_t n, size_t i,
                         dyad_slice date, dyad__dict_hit *hits, size_t max_hits);

/* Ask for the parts of the dictionary that looking up the words of toks[0 .. n) reads first
 * (a hint: the look-ups of a sentence then wait for memory together, not one after the
 * other). */
void dyad__dict_prefetch_words(const dyad_dict *d, const dyad_token *toks, size_t n);

/* Details of an entry. */
typedef struct dyad__entry {
    uint16_t kind, flags;
    dyad_slice name, code, country;   /* code: the default/first code */
    dyad_slice extra;                 /* issue category; for persons the `note` */
    dyad_slice file;                  /* the dictionary file */
    uint32_t line;
    uint32_t nroles;                  /* date-restricted codes (persons, PETRARCH actors) */
} dyad__entry;

bool dyad__dict_entry(const dyad_dict *d, uint32_t entry, dyad__entry *out);
/* Role r of an entry: its code and date range (YYYYMMDD integers, from 0 / to 99999999 when
 * open; is_default: an unrestricted PETRARCH default code). */
bool dyad__dict_role(const dyad_dict *d, uint32_t entry, uint32_t r, dyad_slice *code,
                     int32_t *from, int32_t *to, bool *is_default);
/* The code of an entry at date (as the look-up resolves it); flags gets DYAD__DF_NULL etc. */
dyad_slice dyad__dict_code_at(const dyad_dict *d, uint32_t entry, dyad_slice date,
                              uint16_t *flags);

/* ---------------------------------------------------------------- verb patterns */

enum {
    DYAD__PS_TREE = 1,    /* dyad's verbs.txt: read over the dependency tree */
    DYAD__PS_LINEAR,      /* PETRARCH-1 / TABARI: a word sequence around the verb '*' */
    DYAD__PS_PHRASE       /* PETRARCH-2: '*' with noun phrases {..} and prepositional (..) */
};

/* Pattern element types. */
enum {
    DYAD__PE_WORD = 1,    /* a word: dyad lemma / PETRARCH word (lower-cased) */
    DYAD__PE_SET,         /* &NAME: any member of set `set` */
    DYAD__PE_PREP,        /* a preposition (word): dyad: the case of the next element;
                             PETRARCH-2 "(PREP ...)": the elements up to DYAD__PE_END */
    DYAD__PE_TARGET,      /* T / + */
    DYAD__PE_TARGET_POSS, /* T's: the target possesses the next word */
    DYAD__PE_SOURCE,      /* S / $ */
    DYAD__PE_ANY,         /* dyad '*': any one word */
    DYAD__PE_NOT,         /* dyad 'not': the predicate is negated */
    DYAD__PE_VERB,        /* PETRARCH '*': the verb's position */
    DYAD__PE_COMPOUND,    /* PETRARCH '%': a compound actor, both source and target */
    DYAD__PE_SKIP,        /* PETRARCH '^': skip one actor */
    DYAD__PE_GROUP,       /* PETRARCH-2 '{': a noun phrase up to DYAD__PE_END (last word = head) */
    DYAD__PE_END          /* closes the latest DYAD__PE_GROUP or PETRARCH-2 DYAD__PE_PREP */
};

/* Element flags. */
enum {
    DYAD__PEF_JOINED = 1u << 0,   /* PETRARCH '_': follows the previous element immediately */
    DYAD__PEF_EXACT = 1u << 1,    /* PETRARCH "WORD_": the word as written (no endings) */
    DYAD__PEF_STEM = 1u << 2      /* TABARI "WORD~": a stem */
};

/* Pattern and code flags. */
enum {
    DYAD__PF_NOUN = 1u << 0,      /* dyad `noun:` pattern: the predicate is a noun */
    DYAD__PF_NULL = 1u << 1,      /* code [---]: matches but codes nothing */
    DYAD__PF_DISCARD = 1u << 2,   /* code [###] */
    DYAD__PF_COMPLEX = 1u << 3,   /* code [+++] */
    DYAD__PF_SUBORD = 1u << 4,    /* code "023?": coded only when nothing else is */
    DYAD__PF_DOMINANT = 1u << 5,  /* code "111!" */
    DYAD__PF_PAIRED = 1u << 6,    /* code "032:033": code1 source->target, code2 reverse */
    DYAD__PF_UNRESOLVED = 1u << 7 /* uses a set that is not defined: never matches */
};

typedef struct dyad__pattern {
    dyad_slice key;       /* predicate (dyad) or the block's name (PETRARCH), lower-case */
    dyad_slice code;      /* the code as written, e.g. "040", "032:033", "---" */
    dyad_slice code1;     /* the event code (or empty), e.g. "032" */
    dyad_slice code2;     /* the reverse code of a pair, else empty */
    dyad_slice particle;  /* dyad phrasal verb "cut_off": "off" */
    dyad_slice text;      /* the pattern as written (for evidence and messages) */
    dyad_slice file;
    uint32_t line;
    uint32_t block;       /* PETRARCH verb block, UINT32_MAX for dyad patterns */
    uint32_t nelems;
    uint32_t score;       /* specificity used for the priority order */
    uint16_t style;       /* DYAD__PS_* */
    uint16_t flags;       /* DYAD__PF_* */
} dyad__pattern;

typedef struct dyad__pelem {
    uint16_t type;        /* DYAD__PE_* */
    uint16_t flags;       /* DYAD__PEF_* */
    dyad_slice word;      /* WORD / PREP (lower-case); SET: the set's name */
    uint32_t set;         /* SET: set index (UINT32_MAX when undefined) */
} dyad__pelem;

/* Patterns that apply to a predicate key (a lemma or a lower-cased form; matched
 * case-insensitively), in priority order: more specific first, then file order.  For a
 * PETRARCH verb these are the patterns of every block that lists the verb (or that form).
 * *idx points into the dictionary; returns the count (0: none). */
size_t dyad__dict_patterns(const dyad_dict *d, dyad_slice key, const uint32_t **idx);
bool dyad__dict_pattern(const dyad_dict *d, uint32_t p, dyad__pattern *out);

/* The size of the pattern filter's word mask, in 64-bit words (1024 buckets). */
#define DYAD__MASK_WORDS 16
/* A cheap test before trying a pattern: a tree pattern's literal words must each be the
 * lemma or form of a token of the sentence (compared without ASCII case), and each of its
 * sets (&NAME) must have such a lemma or form as a member.  The sentence is summarised in a
 * mask of 64 * DYAD__MASK_WORDS buckets (dyad__dict_word_mask_add for every lemma and form); false
 * means the pattern cannot match, true that it may.  dyad__word_mask_add adds a word's own bucket,
 * dyad__set_mask_add a set's (dyad__dict_word_mask_add adds both: the word and its sets). */
void dyad__dict_word_mask_add(const dyad_dict *d, uint64_t mask[DYAD__MASK_WORDS], dyad_slice word);
void dyad__word_mask_add(uint64_t mask[DYAD__MASK_WORDS], dyad_slice word);
void dyad__set_mask_add(uint64_t mask[DYAD__MASK_WORDS], uint32_t set);
bool dyad__dict_pattern_may_match(const dyad_dict *d, uint32_t p,
                                  const uint64_t mask[DYAD__MASK_WORDS]);
/* The same test for the tree coder, which also asks, without reading the pattern, that p be a
 * tree pattern (DYAD__PS_TREE) with an event code (code1), without an undefined set, of a noun
 * predicate when noun (a verb's otherwise).  False: no need to read it. */
bool dyad__dict_tree_may_match(const dyad_dict *d, uint32_t p,
                               const uint64_t mask[DYAD__MASK_WORDS], bool noun);
/* The patterns idx[0 .. n) that dyad__dict_tree_may_match lets through, in order, into out
 * (room for n): returns how many.  Their entries and elements are fetched into the cache
 * meanwhile, as the caller reads them next. */
size_t dyad__dict_tree_filter(const dyad_dict *d, const uint32_t *idx, size_t n,
                              const uint64_t mask[DYAD__MASK_WORDS], bool noun, uint32_t *out);
bool dyad__dict_elem(const dyad_dict *d, uint32_t p, uint32_t e, dyad__pelem *out);
uint32_t dyad__dict_npatterns(const dyad_dict *d);

/* PETRARCH / TABARI verbs (the lines of a verb block). */
typedef struct dyad__verb {
    dyad_slice key;       /* the verb word, lower-case ("ask", "tap") */
    dyad_slice particle;  /* words after it in a multi-word verb ("for" of ASK_FOR) */
    dyad_slice pre;       /* words before it ("wire" of WIRE_+TAP) */
    dyad_slice code;      /* the code of the bare verb: its own, else the block's */
    dyad_slice block;     /* the block's name */
    dyad_slice file;
    uint32_t line;
    uint16_t flags;       /* DYAD__PF_* of the code */
} dyad__verb;

/* Verbs registered under a key (a verb or one of its irregular forms), file order. */
size_t dyad__dict_verbs(const dyad_dict *d, dyad_slice key, const uint32_t **idx);
bool dyad__dict_verb(const dyad_dict *d, uint32_t v, dyad__verb *out);
/* The code of the bare verb: the `--- NAME [code] ---` block's code, or the verb line's own
 * code; the last definition of the key wins.  Empty slice when the key is not a verb. */
dyad_slice dyad__dict_verb_code(const dyad_dict *d, dyad_slice key, uint16_t *flags);

/* ---------------------------------------------------------------- sets */

/* Index of a set by name (dyad `set NAME:` or PETRARCH "&NAME", without the '&';
 * case-insensitive), or UINT32_MAX. */
uint32_t dyad__dict_set_find(const dyad_dict *d, dyad_slice name);
/* Is the single word (a lemma or form) a member of the set?  Multi-word members never match
 * a single word; nested sets are flattened. */
bool dyad__dict_set_has(const dyad_dict *d, uint32_t set, dyad_slice word);
/* Longest member of the set matching the tokens at toks[i] (same rules as the look-up);
 * returns the number of tokens, 0 when none. */
size_t dyad__dict_set_match(const dyad_dict *d, uint32_t set, const dyad_token *toks, size_t n,
                            size_t i);

/* ---------------------------------------------------------------- CAMEO code table */

/* The row of dict/cameo.txt for code (when a code table was loaded): returns false when the
 * code is unknown.  Any output pointer may be NULL. */
bool dyad__dict_cameo(const dyad_dict *d, dyad_slice code, double *goldstein, int *quad,
                      dyad_slice *name);
size_t dyad__dict_ncameo(const dyad_dict *d);

#endif
