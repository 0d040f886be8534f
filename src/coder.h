/* coder.h - the event coder's shared state: sentence trees, mentions, article memory (coder.c,
 * actors.c, quotes.c, where.c). */
#ifndef DYAD_CODER_H
#define DYAD_CODER_H

#include "dict.h"
#include "internal.h"
#include "when.h"

/* UD relations: the ids of dyad_deprel_name() (tags.c builds its table from these), so
 * that the coder compares numbers, not names. */
enum {
    DYAD__REL_NONE,
    DYAD__REL_PUNCT,
    DYAD__REL_CASE,
    DYAD__REL_NSUBJ,
    DYAD__REL_DET,
    DYAD__REL_ROOT,
    DYAD__REL_ADVMOD,
    DYAD__REL_OBJ,
    DYAD__REL_AMOD,
    DYAD__REL_OBL,
    DYAD__REL_CONJ,
    DYAD__REL_COMPOUND,
    DYAD__REL_MARK,
    DYAD__REL_NMOD,
    DYAD__REL_CC,
    DYAD__REL_AUX,
    DYAD__REL_COP,
    DYAD__REL_ADVCL,
    DYAD__REL_NMOD_POSS,
    DYAD__REL_XCOMP,
    DYAD__REL_CCOMP,
    DYAD__REL_FLAT,
    DYAD__REL_ACL_RELCL,
    DYAD__REL_PARATAXIS,
    DYAD__REL_APPOS,
    DYAD__REL_NUMMOD,
    DYAD__REL_ACL,
    DYAD__REL_AUX_PASS,
    DYAD__REL_NSUBJ_PASS,
    DYAD__REL_OBL_UNMARKED,
    DYAD__REL_NMOD_UNMARKED,
    DYAD__REL_DISCOURSE,
    DYAD__REL_LIST,
    DYAD__REL_COMPOUND_PRT,
    DYAD__REL_IOBJ,
    DYAD__REL_EXPL,
    DYAD__REL_FIXED,
    DYAD__REL_NMOD_DESC,
    DYAD__REL_OBL_AGENT,
    DYAD__REL_CSUBJ,
    DYAD__REL_NSUBJ_OUTER,
    DYAD__REL_DET_PREDET,
    DYAD__REL_VOCATIVE,
    DYAD__REL_GOESWITH,
    DYAD__REL_ADVCL_RELCL,
    DYAD__REL_CC_PRECONJ,
    DYAD__REL_REPARANDUM,
    DYAD__REL_ORPHAN,
    DYAD__REL_CSUBJ_PASS,
    DYAD__REL_DISLOCATED,
    DYAD__REL_DEP,
    DYAD__REL_CSUBJ_OUTER,
    DYAD__REL_OBL_NPMOD,
    DYAD__REL_OBL_TMOD,
    DYAD__REL_NMOD_NPMOD,
    DYAD__REL_NMOD_TMOD,
    DYAD__REL_FLAT_FOREIGN,
    DYAD__REL_DET_POSS,
    DYAD__REL_COMPOUND_SVC,
    DYAD__REL_EXPL_PV,
    DYAD__REL_COUNT
};

#define DYAD__MAX_MEMORY 256

/* A dictionary match in a sentence. */
typedef struct dyad__mention {
    uint32_t start, len;      /* sentence-local token range */
    dyad__dict_hit hit;       /* the preferred entry */
    uint16_t nhits;           /* how many entries matched the same words */
    bool ambiguous;           /* an entry is marked ambiguous or several kinds matched */
    bool place;               /* one of the entries is a place (city, capital, region, country) */
    dyad_slice place_country; /* the country of the place entry */
} dyad__mention;

/* Something the article has named and coded: for later mentions by surname and pronouns. */
typedef struct dyad__memory {
    dyad_slice key;           /* a name (surname or full), as written */
    dyad_slice code;
    dyad_slice text;          /* the full words it was first coded from */
    bool person;
    uint32_t sentence;
} dyad__memory;

/* One resolved actor (a member of a possibly compound noun phrase). */
typedef struct dyad__actor {
    dyad_slice code;
    uint32_t head;            /* sentence-local token */
    uint32_t first, last;     /* token span of the words (inclusive) */
    bool person;
    bool plural;
    bool group;               /* a country, organisation or government (for "it", "they") */
} dyad__actor;

#define DYAD__MAX_MEMBERS 8

/* Per-thread scratch and per-document state of the coder. */
typedef struct dyad__coder {
    const dyad_dict *dict;
    dyad_doc *doc;
    dyad__date art;
    dyad_slice art_date;

    /* the current sentence */
    uint32_t sent;
    dyad_token *t;            /* its tokens */
    uint32_t n;
    uint32_t *kid_start;      /* children of token i: kids[kid_start[i] .. kid_start[i+1]) */
    uint32_t *kids;
    uint32_t *fill;           /* scratch: per-token counters */
    uint32_t *order;          /* tokens by depth in the tree, governors first */
    int32_t *mention_of;      /* token -> mention index or -1 */
    uint8_t *done;            /* token already used by a governing pattern */
    uint8_t *content;         /* token hangs by a relation pattern words may use */
    uint64_t words[DYAD__MASK_WORDS]; /* the sentence's lemmas and forms, as word buckets: patterns
                                       * whose literal words are not all there are not tried */
    dyad__mention *mentions;
    uint32_t nmentions;
    size_t cap_tok, cap_mentions;
    bool discard;             /* the sentence has a discard phrase */
    bool ready;               /* the current sentence's arrays are built */
    uint32_t set_reciprocal;  /* the verb dictionary's `reciprocal` set, or UINT32_MAX */
    uint32_t set_nonparty;    /* its `nonparty` set (an epidemic, a fire), or UINT32_MAX */
    struct {                  /* the Penn tags the coder asks about, as ids (dyad__coder_tags) */
        int nns, nnps, vbd, vbz, vbp, vbn, vbg, md, hyph;
    } x;

    uint8_t *base;     /* token -> id of its relation's base ("obl:tmod" -> obl) */
    uint8_t *temporal; /* token -> is it a time word (scratch, filled lazily): 0 not
                        * known yet, 1 no, 2 yes */

    /* quotations of the document */
    struct dyad__qspan { uint32_t a, b, sentence; } *qspans;
    size_t nqspans, cap_qspans, next_qspan;

    /* article memory */
    dyad__memory memory[DYAD__MAX_MEMORY];
    uint32_t nmemory;
    dyad__actor last_person, last_group;   /* for pronouns (codes only) */
    dyad__actor prev_person;               /* the person before last_person, of another code
                                            * ("the two men") */
    bool have_person, have_group, have_prev_person;
} dyad__coder;

void dyad__coder_free(dyad__coder *c);

/* Tree helpers over the current sentence (0-based token indices; head -1 = root). */
static inline int32_t dyad__head(const dyad__coder *c, uint32_t i)
{
    return c->t[i].head - 1;
}
/* Is token i's relation rel (a DYAD__REL_*)? */
static inline bool dyad__rel_is(const dyad__coder *c, uint32_t i, int rel)
{
    return c->t[i].deprel == rel;
}
/* The same, or a subtype of it: obl matches obl:tmod. */
static inline bool dyad__rel_base(const dyad__coder *c, uint32_t i, int base)
{
    return c->t[i].deprel == base || c->base[i] == base;
}
bool dyad__lemma_is(const dyad__coder *c, uint32_t i, const char *lemma);
/* First child of i with relation rel (base match), or -1. */
int32_t dyad__child(const dyad__coder *c, uint32_t i, int rel);
/* The child of i that is a case/mark word with lemma prep, or -1. */
int32_t dyad__case_of(const dyad__coder *c, uint32_t i);

/* actors.c: find dictionary mentions in the current sentence. */
dyad_status dyad__mentions(dyad__coder *c);
/* actors.c: resolve the noun phrase headed by token h into up to max actors (compound phrases
 * give several); returns how many.  slot_subject: h is a clause subject (capitals and
 * ambiguous names are then read as governments). */
uint32_t dyad__actors_at(dyad__coder *c, uint32_t h, bool slot_subject, dyad__actor *out,
                         uint32_t max);
/* actors.c: a word that names a time ("Monday", "hours", "last week"): never an actor. */
bool dyad__is_temporal(const dyad__coder *c, uint32_t h);
/* actors.c: for the subject pronoun h of a reported clause ("Clinton said he will ..."), the
 * subject of the clause that reports it; -1 when h is not one. */
int32_t dyad__reporter_of(const dyad__coder *c, uint32_t h);
/* actors.c: an actor took part in an event or spoke: it becomes what later pronouns refer to. */
void dyad__actor_seen(dyad__coder *c, const dyad__actor *a);
/* actors.c: widen an actor's words to its whole noun phrase (determiners, of-phrases,
 * appositions, reduced clauses), leaving out any phrase that holds token avoid (the
 * event's verb). */
void dyad__actor_widen(const dyad__coder *c, dyad__actor *a, uint32_t avoid);
/* actors.c: widen a target of verb v; an object also takes the place phrase that follows it
 * ("positions in eastern Syria"). */
void dyad__target_widen(const dyad__coder *c, dyad__actor *a, uint32_t v);
/* actors.c: fill a public dyad_actor from a resolved one. */
void dyad__actor_public(const dyad__coder *c, const dyad__actor *a, dyad_actor *out);
/* actors.c: the subject of verb v, following control, coordination and relative clauses;
 * -1 when none.  *passive is set when v is passive (the subject is then the patient). */
int32_t dyad__subject_of(const dyad__coder *c, uint32_t v, bool *passive);

/* where.c: the place where the event of predicate v happened, if the text says (a place that
 * is the event's target, "fired rockets at South Korea", is not its location): the head of
 * its phrase, or -1. */
int32_t dyad__place_of(dyad__coder *c, uint32_t v, int32_t target, dyad_slice *name,
                       char country[4]);
/* where.c: the mention of the place a phrase headed by d names ("Kabul", "parts of
 * Kashmir"), or -1. */
int32_t dyad__place_mention(const dyad__coder *c, uint32_t d);

/* quotes.c: is token i a verb of saying (say, tell, add, ...)? */
bool dyad__is_speech_verb(const dyad__coder *c, uint32_t i);
/* quotes.c: find the document's quotations (token spans); then, as the coder moves through the
 * sentences, emit those that close in sentence s with their speakers (the article memory is
 * then as it was when the quotation was written). */
dyad_status dyad__quotes_find(dyad__coder *c);
dyad_status dyad__quotes_emit(dyad__coder *c, uint32_t s);
/* coder.c: make sentence s the current one (children lists, mentions). */
void dyad__coder_sentence(dyad__coder *c, uint32_t s);
/* coder.c: code the events of sentence s. */
dyad_status dyad__code_sentence(dyad__coder *c, uint32_t s);

#endif
