/* coder.c - what: verb and noun patterns over the dependency tree into CAMEO events. */
#include "coder.h"

#include <stdio.h>
#include <stdlib.h>

static bool content_rel_of(const dyad__coder *c, uint32_t d);
static bool uncoded_ok(const dyad__coder *c, uint32_t h);

/* ---------------------------------------------------------------- sentence context */

void dyad__coder_free(dyad__coder *c)
{
    if (!c)
        return;
    free(c->kid_start);
    free(c->kids);
    free(c->fill);
    free(c->order);
    free(c->mention_of);
    free(c->mentions);
    free(c->done);
    free(c->content);
    free(c->base);
    free(c->temporal);
    free(c->qspans);
    free(c);
}

static bool resize(void **p, size_t elem, size_t cap)
{
    void *q = realloc(*p, cap * elem);
    if (!q)
        return false;
    *p = q;
    return true;
}

/* Room for a sentence of n tokens in every per-token array. */
static dyad_status reserve(dyad__coder *c, size_t n)
{
    if (n + 2 <= c->cap_tok)
        return DYAD_OK;
    size_t cap = c->cap_tok ? c->cap_tok : 64;
    while (cap < n + 2)
        cap *= 2;
    if (!resize((void **)&c->kid_start, sizeof *c->kid_start, cap) ||
        !resize((void **)&c->kids, sizeof *c->kids, cap) ||
        !resize((void **)&c->fill, sizeof *c->fill, cap) ||
        !resize((void **)&c->order, sizeof *c->order, cap) ||
        !resize((void **)&c->mention_of, sizeof *c->mention_of, cap) ||
        !resize((void **)&c->done, sizeof *c->done, cap) ||
        !resize((void **)&c->content, sizeof *c->content, cap) ||
        !resize((void **)&c->base, sizeof *c->base, cap) ||
        !resize((void **)&c->temporal, sizeof *c->temporal, cap))
        return DYAD_ENOMEM;
    c->cap_tok = cap;
    return DYAD_OK;
}

/* The base of each relation that is a subtype ("obl:tmod" -> obl); 0 for the others. */
static int base_rel(int deprel)
{
    static const uint8_t base[DYAD__REL_COUNT] = {
        [DYAD__REL_NMOD_POSS] = DYAD__REL_NMOD,
        [DYAD__REL_ACL_RELCL] = DYAD__REL_ACL,
        [DYAD__REL_AUX_PASS] = DYAD__REL_AUX,
        [DYAD__REL_NSUBJ_PASS] = DYAD__REL_NSUBJ,
        [DYAD__REL_OBL_UNMARKED] = DYAD__REL_OBL,
        [DYAD__REL_NMOD_UNMARKED] = DYAD__REL_NMOD,
        [DYAD__REL_COMPOUND_PRT] = DYAD__REL_COMPOUND,
        [DYAD__REL_NMOD_DESC] = DYAD__REL_NMOD,
        [DYAD__REL_OBL_AGENT] = DYAD__REL_OBL,
        [DYAD__REL_NSUBJ_OUTER] = DYAD__REL_NSUBJ,
        [DYAD__REL_DET_PREDET] = DYAD__REL_DET,
        [DYAD__REL_ADVCL_RELCL] = DYAD__REL_ADVCL,
        [DYAD__REL_CC_PRECONJ] = DYAD__REL_CC,
        [DYAD__REL_CSUBJ_PASS] = DYAD__REL_CSUBJ,
        [DYAD__REL_CSUBJ_OUTER] = DYAD__REL_CSUBJ,
        [DYAD__REL_OBL_NPMOD] = DYAD__REL_OBL,
        [DYAD__REL_OBL_TMOD] = DYAD__REL_OBL,
        [DYAD__REL_NMOD_NPMOD] = DYAD__REL_NMOD,
        [DYAD__REL_NMOD_TMOD] = DYAD__REL_NMOD,
        [DYAD__REL_FLAT_FOREIGN] = DYAD__REL_FLAT,
        [DYAD__REL_DET_POSS] = DYAD__REL_DET,
        [DYAD__REL_COMPOUND_SVC] = DYAD__REL_COMPOUND,
        [DYAD__REL_EXPL_PV] = DYAD__REL_EXPL,
    };
    if (deprel < 0 || deprel >= DYAD__REL_COUNT)
        return DYAD__REL_NONE;
    return base[deprel] ? base[deprel] : deprel;
}

void dyad__coder_sentence(dyad__coder *c, uint32_t s)
{
    dyad_doc *doc = c->doc;
    const dyad_sentence *se = &doc->sents[s];
    if (c->sent == s && c->t == &doc->tokens[se->first] && c->ready)
        return;
    c->sent = s;
    c->t = &doc->tokens[se->first];
    c->n = se->ntokens;
    c->ready = false;
    if (reserve(c, c->n)) {
        c->n = 0;
        return;
    }
    /* children lists in token order: a counting sort by head */
    uint32_t n = c->n;
    memset(c->kid_start, 0, (n + 2) * sizeof *c->kid_start);
    for (uint32_t i = 0; i < n; i++) {
        int32_t h = dyad__head(c, i);
        if (h >= 0 && (uint32_t)h < n)
            c->kid_start[h + 1]++;
    }
    for (uint32_t i = 0; i < n; i++)
        c->kid_start[i + 1] += c->kid_start[i];
    c->kid_start[n + 1] = c->kid_start[n];
    memset(c->fill, 0, (n + 1) * sizeof *c->fill);
    for (uint32_t i = 0; i < n; i++) {
        int32_t h = dyad__head(c, i);
        if (h >= 0 && (uint32_t)h < n)
            c->kids[c->kid_start[h] + c->fill[h]++] = i;
    }
    memset(c->done, 0, n);
    memset(c->temporal, 0, n);
    memset(c->words, 0, sizeof c->words);
    dyad__dict_prefetch_words(c->dict, c->t, n);
    for (uint32_t i = 0; i < n; i++)
        c->base[i] = (uint8_t)base_rel(c->t[i].deprel);
    for (uint32_t i = 0; i < n; i++) {
        c->content[i] = content_rel_of(c, i);
        dyad_slice form = c->t[i].form, lemma = c->t[i].lemma;
        dyad__dict_word_mask_add(c->dict, c->words, form);
        /* most lemmas are the form itself, whose buckets are in already */
        if (lemma.len && !(lemma.len == form.len && memcmp(lemma.ptr, form.ptr, form.len) == 0))
            dyad__dict_word_mask_add(c->dict, c->words, lemma);
    }
    if (dyad__mentions(c) == DYAD_OK)
        c->ready = true;
}

/* ---------------------------------------------------------------- modality tables */

/* Intent (03x) for a cooperative event under "plans to", "pledged to", "will" ... */
static const char *intent_code(const char *code)
{
    static const char *const map[][2] = {
        {"04", "036"},  {"040", "036"},  {"041", "036"},  {"042", "036"},  {"043", "036"},
        {"044", "036"}, {"045", "039"},  {"046", "036"},  {"05", "032"},   {"050", "032"},
        {"051", "032"}, {"052", "032"},  {"053", "032"},  {"054", "032"},  {"055", "032"},
        {"056", "032"}, {"057", "032"},  {"06", "031"},   {"060", "031"},  {"061", "0311"},
        {"062", "0312"}, {"063", "0313"}, {"064", "0314"}, {"07", "033"},  {"070", "033"},
        {"071", "0331"}, {"072", "0332"}, {"073", "0333"}, {"074", "0334"}, {"075", "033"},
        {"08", "035"},  {"080", "035"},  {"081", "0351"}, {"0811", "0351"}, {"0812", "0351"},
        {"0813", "0351"}, {"0814", "0351"}, {"082", "0352"}, {"083", "034"}, {"0831", "0341"},
        {"0832", "0342"}, {"0833", "0343"}, {"0834", "0344"}, {"084", "0353"}, {"0841", "0353"},
        {"0842", "0353"}, {"085", "0354"}, {"086", "0355"}, {"0861", "0355"}, {"0862", "0355"},
        {"0863", "0355"}, {"087", "0356"}, {"0871", "0356"}, {"0872", "0356"}, {"0873", "0356"},
        {"0874", "0356"},
    };
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (strcmp(map[i][0], code) == 0)
            return map[i][1];
    return NULL;
}

/* Threat (13x) for a conflictual event under "threatened to", "warned it would" ... */
static const char *threat_code(const char *code)
{
    static const char *const map[][2] = {
        {"14", "133"},  {"140", "133"},  {"141", "133"},  {"1411", "133"}, {"1412", "133"},
        {"1413", "133"}, {"1414", "133"}, {"142", "133"}, {"143", "133"},  {"144", "133"},
        {"145", "133"}, {"16", "131"},   {"160", "1313"}, {"161", "1313"}, {"162", "1311"},
        {"1621", "1311"}, {"1622", "1311"}, {"1623", "1311"}, {"163", "1312"}, {"164", "134"},
        {"165", "135"}, {"166", "136"},  {"1661", "136"}, {"1662", "136"}, {"1663", "136"},
        {"17", "132"},  {"170", "132"},  {"171", "132"},  {"1711", "132"}, {"1712", "132"},
        {"172", "132"}, {"1721", "1321"}, {"1722", "1322"}, {"1723", "1323"}, {"1724", "1324"},
        {"173", "132"}, {"174", "132"},  {"175", "137"},  {"18", "1383"},  {"180", "1383"},
        {"181", "1383"}, {"182", "1383"}, {"183", "1383"}, {"184", "1383"}, {"185", "1383"},
        {"186", "1383"}, {"19", "138"},  {"190", "138"},  {"191", "1381"}, {"192", "1382"},
        {"193", "1384"}, {"194", "1384"}, {"195", "1384"}, {"196", "1384"}, {"20", "1385"},
        {"200", "1385"}, {"201", "1385"}, {"202", "1385"}, {"203", "1385"}, {"204", "1385"},
        {"12", "130"},  {"13", "130"},
    };
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (strcmp(map[i][0], code) == 0)
            return map[i][1];
    return NULL;
}

/* Rejection (12x) for a cooperative event that is refused ("refused to release", "will not
 * lift the embargo", "rejected holding talks"): the codebook's Reject codes mirror the
 * cooperation they refuse. */
static const char *reject_code(const char *code)
{
    static const char *const map[][2] = {
        {"04", "125"},   {"040", "125"},  {"041", "125"},  {"042", "125"},  {"043", "125"},
        {"044", "125"},  {"046", "125"},  {"057", "127"},  {"06", "121"},   {"060", "121"},
        {"061", "1211"}, {"062", "1212"}, {"063", "1213"}, {"064", "1214"}, {"07", "122"},
        {"070", "122"},  {"071", "1221"}, {"072", "1222"}, {"073", "1223"}, {"074", "1224"},
        {"075", "124"},  {"08", "124"},   {"080", "124"},  {"081", "1241"}, {"0811", "1241"},
        {"0812", "1241"}, {"0813", "1241"}, {"0814", "1241"}, {"082", "1242"}, {"083", "123"},
        {"0831", "1231"}, {"0832", "1232"}, {"0833", "1233"}, {"0834", "1234"}, {"084", "1243"},
        {"0841", "1243"}, {"0842", "1243"}, {"085", "1244"}, {"086", "1245"}, {"0861", "1245"},
        {"0862", "1245"}, {"0863", "1245"}, {"087", "1246"}, {"0871", "1246"}, {"0872", "1246"},
        {"0873", "1246"}, {"0874", "1246"},
    };
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (strcmp(map[i][0], code) == 0)
            return map[i][1];
    return NULL;
}

/* Demand (10x) of a cooperative event someone says another must do ("X said Iran must release
 * the sailors": a demand that Iran release them, 1053). */
static const char *demand_code(const char *code)
{
    static const char *const map[][2] = {
        {"04", "106"},   {"040", "106"},  {"041", "106"},  {"042", "106"},  {"043", "106"},
        {"044", "106"},  {"045", "108"},  {"046", "106"},  {"05", "102"},   {"050", "102"},
        {"051", "102"},  {"052", "102"},  {"053", "102"},  {"054", "102"},  {"055", "102"},
        {"056", "102"},  {"057", "107"},  {"06", "101"},   {"060", "101"},  {"061", "1011"},
        {"062", "1012"}, {"063", "1013"}, {"064", "1014"}, {"07", "103"},   {"070", "103"},
        {"071", "1031"}, {"072", "1032"}, {"073", "1033"}, {"074", "1034"}, {"08", "105"},
        {"080", "105"},  {"081", "1051"}, {"0811", "1051"}, {"0812", "1051"}, {"0813", "1051"},
        {"0814", "1051"}, {"082", "1052"}, {"083", "104"}, {"0831", "1041"}, {"0832", "1042"},
        {"0833", "1043"}, {"0834", "1044"}, {"084", "1053"}, {"0841", "1053"}, {"0842", "1053"},
        {"085", "1054"}, {"086", "1055"}, {"0861", "1055"}, {"0862", "1055"}, {"0863", "1055"},
        {"087", "1056"}, {"0871", "1056"}, {"0872", "1056"}, {"0873", "1056"}, {"0874", "1056"},
    };
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (strcmp(map[i][0], code) == 0)
            return map[i][1];
    return NULL;
}

static bool lemma_in(const dyad__coder *c, uint32_t i, const char *const *list)
{
    for (; *list; list++)
        if (dyad__lemma_is(c, i, *list))
            return true;
    return false;
}

static const char *const intent_verbs[] = {
    "plan", "intend", "pledge", "promise", "vow", "offer", "agree", "want", "hope", "seek",
    "expect", "aim", "prepare", "decide", "commit", "propose", "consider", "wish", "mean",
    /* adjectives that govern an infinitive the same way: "is willing to withdraw" */
    "willing", "ready", "prepared", "eager", "keen", "determined", NULL};
static const char *const threat_verbs[] = {"threaten", "warn", NULL};
/* Intents that, of a conflictual act, announce it: a threat ("vowed to retaliate"). */
static const char *const threatening_intents[] = {
    "plan", "intend", "pledge", "promise", "vow", "want", "seek", "aim", "prepare", "consider",
    "willing", "ready", "prepared", "determined", NULL};
static const char *const refuse_verbs[] = {"refuse", "decline", "fail", "reject", NULL};
/* Of those, the ones that say the source will not do it (a failure is not a refusal). */
static const char *const rejecting_verbs[] = {"refuse", "decline", "reject", NULL};
/* Verbs that only carry the meaning of their object ("held talks", "conducted joint
 * exercises"): a reciprocal object makes the event reciprocal only under one of these, not
 * under "demanded talks" or "suspended talks". */
static const char *const light_verbs[] = {"hold", "have", "conduct", "begin", "start", "open",
                                          "resume", "continue", "carry", "stage", NULL};
/* Verbs whose object or oblique noun names the act the subject performs ("launched an
 * offensive", "carried out a raid", "provided $10 million in aid", "announced a truce"): the
 * noun's event takes the verb's subject as its source. */
static const char *const support_verbs[] = {
    "launch", "carry", "conduct", "stage", "hold", "make", "give", "provide", "offer", "extend",
    "deliver", "send", "issue", "announce", "declare", "allocate", "pledge", "contribute",
    "donate", "mount", "begin", "start", "undertake", "perform", "impose", "approve",
    "authorize", "authorise", "sign", "step", NULL};
/* Verbs whose object is what they act on, so that an object naming no party is still the
 * event's target in words ("rejected the draft resolution", "lifted the ban"). */
static const char *const object_verbs[] = {
    "reject", "refuse", "veto", "welcome", "condemn", "denounce", "criticize", "criticise",
    "oppose", "deny", "dismiss", "refute", "rebuff", "spurn", "accept", "approve", "endorse",
    "back", "support", "praise", "hail", "applaud", "lift", "ease", "suspend", "cancel",
    "revoke", "violate", "breach", "ratify", "sign", "abandon", "scrap", "review", "consider",
    NULL};
/* The prepositions of a phrase naming whom an event is directed at. */
static const char *const toward_words[] = {"against", "with", "on", "upon", "to", "into", "at",
                                           "toward", "towards", NULL};
static const char *const judging_verbs[] = {
    "accuse", "blame", "charge", "condemn", "criticize", "criticise", "denounce", "fault",
    "suspect", "praise", "thank", "congratulate", "credit", "commend", "allege", NULL};

static bool has_aux(const dyad__coder *c, uint32_t v, const char *const *list)
{
    for (uint32_t k = c->kid_start[v]; k < c->kid_start[v + 1]; k++) {
        uint32_t d = c->kids[k];
        if (dyad__rel_base(c, d, DYAD__REL_AUX) && lemma_in(c, d, list))
            return true;
    }
    return false;
}

static bool is_future(const dyad__coder *c, uint32_t v)
{
    static const char *const fut[] = {"will", "shall", "'ll", "wo", NULL};
    if (has_aux(c, v, fut))
        return true;
    /* "is going to meet" */
    int32_t h = dyad__head(c, v);
    return h >= 0 && dyad__rel_is(c, v, DYAD__REL_XCOMP) && dyad__lemma_is(c, (uint32_t)h, "go") &&
           c->t[h].xpos == c->x.vbg;
}

/* A negated verb in a tense that announces a refusal: "will not", "won't", "would not",
 * "does not" / "do not" (a standing policy); not "did not" or "has not" (no event). */
static bool refusing_tense(const dyad__coder *c, uint32_t v)
{
    static const char *const modal[] = {"will", "wo", "would", "shall", "'ll", "'d", NULL};
    if (has_aux(c, v, modal))
        return true;
    for (uint32_t k = c->kid_start[v]; k < c->kid_start[v + 1]; k++) {
        uint32_t d = c->kids[k];
        if (dyad__rel_base(c, d, DYAD__REL_AUX) && dyad__lemma_is(c, d, "do") &&
            (c->t[d].xpos == c->x.vbz || c->t[d].xpos == c->x.vbp))
            return true;
    }
    return false;
}

static bool is_negated(const dyad__coder *c, uint32_t v)
{
    for (uint32_t k = c->kid_start[v]; k < c->kid_start[v + 1]; k++) {
        uint32_t d = c->kids[k];
        if ((dyad__rel_base(c, d, DYAD__REL_ADVMOD) || dyad__rel_base(c, d, DYAD__REL_DET)) &&
            (dyad__lemma_is(c, d, "not") || dyad__lemma_is(c, d, "never") ||
             dyad__lemma_is(c, d, "n't") || dyad__lemma_is(c, d, "no")))
            return true;
    }
    return false;
}

/* Modals of what may or would happen (not "will", which announces, nor "must"). */
static const char *const maybe_modals[] = {"would", "could", "may", "might", "'d", NULL};

/* Inside an "if"/"unless" clause; in a relative clause of what a thing would or could do
 * ("legislation that would force ..."); in a "before"/"until" clause of what may happen
 * ("before it may lift any sanctions"); a gerund of "including" that gives an example of
 * such a clause ("..., including returning the compounds"); or the main verb of a question.
 * A relative clause is a statement of its own: an "if" around its noun does not reach it
 * ("if the U.S. receives something from Moscow, which Lavrov blasted ..."). */
static bool is_hypothetical(const dyad__coder *c, uint32_t v)
{
    uint32_t x = v;
    for (int depth = 0; depth < 12; depth++) {
        if (dyad__rel_base(c, x, DYAD__REL_ADVCL) || dyad__rel_base(c, x, DYAD__REL_CCOMP)) {
            int32_t m = dyad__child(c, x, DYAD__REL_MARK);
            if (m >= 0 && (dyad__lemma_is(c, (uint32_t)m, "if") ||
                           dyad__lemma_is(c, (uint32_t)m, "unless") ||
                           dyad__lemma_is(c, (uint32_t)m, "whether")))
                return true;
            if (m >= 0 && (dyad__lemma_is(c, (uint32_t)m, "before") ||
                           dyad__lemma_is(c, (uint32_t)m, "until")) &&
                has_aux(c, x, maybe_modals))
                return true;
            /* "including returning the compounds": an example of what the sentence said
             * before it, so as hypothetical as that (the parser rarely knows which clause
             * it belongs to) */
            if (m >= 0 && dyad__lemma_is(c, (uint32_t)m, "include") &&
                c->t[x].xpos == c->x.vbg)
                for (uint32_t i = 0; i < x; i++)
                    if (dyad__rel_base(c, i, DYAD__REL_AUX) && lemma_in(c, i, maybe_modals))
                        return true;
        }
        if (dyad__rel_base(c, x, DYAD__REL_ACL)) {
            if (has_aux(c, x, maybe_modals))
                return true;
            if (dyad__rel_is(c, x, DYAD__REL_ACL_RELCL))
                break;
        }
        int32_t h = dyad__head(c, x);
        if (h < 0)
            break;
        x = (uint32_t)h;
    }
    /* a question: the sentence ends with "?" and v is its root */
    if (dyad__head(c, v) < 0 && c->n && c->t[c->n - 1].form.len == 1 &&
        c->t[c->n - 1].form.ptr[0] == '?')
        return true;
    return false;
}

/* ---------------------------------------------------------------- pattern matching */

typedef struct match {
    int32_t target;        /* token or -1 */
    int32_t source;        /* token or -1 (explicit S) */
    int32_t phrase;        /* the word whose possessor is the target (`T's access`), or -1 */
    uint32_t consumed[16]; /* tokens the pattern used (to suppress their own events) */
    uint16_t any;          /* bit k: consumed[k] was matched by `*` */
    uint32_t nconsumed;
    uint32_t taken[4];     /* target and source tokens: not matched again */
    uint32_t ntaken;
    uint32_t score;
    bool negation;         /* the pattern asked for a negated predicate */
} match;

static bool slice_lemma_is(const dyad__coder *c, uint32_t i, dyad_slice lemma)
{
    dyad_slice l = c->t[i].lemma.len ? c->t[i].lemma : c->t[i].form;
    return l.len == lemma.len && dyad__ascii_ieq(l.ptr, lemma.ptr, l.len);
}

static bool word_matches(const dyad__coder *c, uint32_t x, const dyad__pelem *e)
{
    dyad_slice lemma = c->t[x].lemma.len ? c->t[x].lemma : c->t[x].form;
    switch (e->type) {
    case DYAD__PE_ANY:
        return true;
    case DYAD__PE_WORD:
        return slice_lemma_is(c, x, e->word) ||
               (c->t[x].form.len == e->word.len &&
                dyad__ascii_ieq(c->t[x].form.ptr, e->word.ptr, e->word.len));
    case DYAD__PE_SET:
        return e->set != UINT32_MAX && (dyad__dict_set_has(c->dict, e->set, lemma) ||
                                        dyad__dict_set_has(c->dict, e->set, c->t[x].form));
    default:
        return false;
    }
}

/* Relations through which a pattern word may hang from the predicate or the last word
 * (computed once per sentence into c->content). */
static bool content_rel(const dyad__coder *c, uint32_t d)
{
    return c->content[d];
}

static bool content_rel_of(const dyad__coder *c, uint32_t d)
{
    static const uint8_t rels[] = {DYAD__REL_OBJ,        DYAD__REL_IOBJ,     DYAD__REL_OBL,
                                   DYAD__REL_NMOD,       DYAD__REL_XCOMP,    DYAD__REL_CCOMP,
                                   DYAD__REL_NSUBJ_PASS, DYAD__REL_COMPOUND, DYAD__REL_ADVCL,
                                   DYAD__REL_ADVMOD,     DYAD__REL_ACL,      DYAD__REL_CONJ,
                                   DYAD__REL_AMOD};
    /* a verb coordinated with a verb is a predicate of its own ("met the ambassador and
     * demanded an explanation"), not a word of the first one's pattern (`meet demand`) */
    int32_t h = dyad__head(c, d);
    if (dyad__rel_base(c, d, DYAD__REL_CONJ) && c->t[d].upos == DYAD_UPOS_VERB && h >= 0 &&
        c->t[h].upos == DYAD_UPOS_VERB)
        return false;
    for (size_t r = 0; r < sizeof rels; r++)
        if (dyad__rel_base(c, d, rels[r]))
            return true;
    return false;
}

static bool has_case(const dyad__coder *c, uint32_t d, dyad_slice prep)
{
    for (uint32_t k = c->kid_start[d]; k < c->kid_start[d + 1]; k++) {
        uint32_t x = c->kids[k];
        if ((dyad__rel_base(c, x, DYAD__REL_CASE) || dyad__rel_base(c, x, DYAD__REL_MARK)) &&
            slice_lemma_is(c, x, prep))
            return true;
        /* "to South Africa": the parser may hang the preposition on the first word of a
         * compound name */
        if (dyad__rel_base(c, x, DYAD__REL_COMPOUND) && x < d)
            for (uint32_t j = c->kid_start[x]; j < c->kid_start[x + 1]; j++)
                if (dyad__rel_base(c, c->kids[j], DYAD__REL_CASE) &&
                    slice_lemma_is(c, c->kids[j], prep))
                    return true;
    }
    return false;
}

/* A word that is a phrasal verb's particle when it follows the verb. */
static bool is_particle(const dyad__coder *c, uint32_t i)
{
    static const char *const particles[] = {"off", "out", "up", "down", "away", "back", NULL};
    return lemma_in(c, i, particles);
}

static bool used(const match *m, uint32_t x)
{
    for (uint32_t i = 0; i < m->nconsumed; i++)
        if (m->consumed[i] == x)
            return true;
    for (uint32_t i = 0; i < m->ntaken; i++)
        if (m->taken[i] == x)
            return true;
    return false;
}

/* Find a dependent of one of the anchors matching elem (with preposition prep when given). */
static int32_t find_dep(const dyad__coder *c, const uint32_t *anchors, int nanchors,
                        const dyad__pelem *e, dyad_slice prep, bool passive, const match *m)
{
    for (int a = 0; a < nanchors; a++) {
        uint32_t h = anchors[a];
        for (uint32_t k = c->kid_start[h]; k < c->kid_start[h + 1]; k++) {
            uint32_t d = c->kids[k];
            if (used(m, d) || !content_rel(c, d))
                continue;
            if (prep.len) {
                if (!has_case(c, d, prep))
                    continue;
                /* an actor is a noun phrase, not a clause ("to T" is not "to help") */
                if (e && (e->type == DYAD__PE_TARGET || e->type == DYAD__PE_SOURCE) &&
                    (c->t[d].upos == DYAD_UPOS_VERB || c->t[d].upos == DYAD_UPOS_AUX))
                    continue;
            } else if (e && e->type == DYAD__PE_TARGET) {
                /* a bare T is the object (the passive subject in the passive); a noun phrase
                 * after the verb that the parser labelled xcomp, or an oblique without a
                 * preposition of its own ("freed on bail two ex-ministers", "released at
                 * least 19 Christians"), is taken as the object when there is none */
                bool object =
                    dyad__rel_is(c, d, DYAD__REL_OBJ) || dyad__rel_is(c, d, DYAD__REL_IOBJ) ||
                    ((dyad__rel_is(c, d, DYAD__REL_XCOMP) || dyad__rel_is(c, d, DYAD__REL_OBL)) &&
                     dyad__case_of(c, d) < 0 &&
                     (c->t[d].upos == DYAD_UPOS_PROPN || c->t[d].upos == DYAD_UPOS_NOUN ||
                      c->t[d].upos == DYAD_UPOS_PRON) &&
                     d > h && !dyad__is_temporal(c, d) && dyad__child(c, h, DYAD__REL_OBJ) < 0);
                if (passive ? !dyad__rel_is(c, d, DYAD__REL_NSUBJ_PASS) : !object)
                    continue;
            } else if (dyad__rel_base(c, d, DYAD__REL_OBL) ||
                       dyad__rel_base(c, d, DYAD__REL_NMOD)) {
                /* a bare word may be an oblique only when it has no preposition (the verb's
                 * particle read as one, "cut off Russia's access", does not count) */
                int32_t cs = dyad__case_of(c, d);
                if (cs >= 0 && !dyad__rel_base(c, d, DYAD__REL_XCOMP) &&
                    !(cs == (int32_t)h + 1 && is_particle(c, (uint32_t)cs) &&
                      dyad__child(c, h, DYAD__REL_COMPOUND_PRT) < 0))
                    continue;
            }
            if (!e || e->type == DYAD__PE_TARGET || e->type == DYAD__PE_SOURCE ||
                word_matches(c, d, e))
                return (int32_t)d;
            /* "imposed a curfew yesterday" read as one phrase headed by the time, and "passed
             * sanctions legislation" (an object whose modifier is the word): the noun before it */
            if ((e->type == DYAD__PE_WORD || e->type == DYAD__PE_SET) &&
                (dyad__is_temporal(c, d) || dyad__rel_is(c, d, DYAD__REL_OBJ)))
                for (uint32_t j = c->kid_start[d]; j < c->kid_start[d + 1]; j++) {
                    uint32_t x = c->kids[j];
                    if (x < d && dyad__rel_base(c, x, DYAD__REL_COMPOUND) && !used(m, x) &&
                        word_matches(c, x, e))
                        /* the object phrase stands for its word: what hangs on it ("deals
                         * with Pakistan") is found under it as under the word */
                        return (int32_t)(dyad__is_temporal(c, d) ? x : d);
                }
        }
    }
    /* a prepositional phrase the parser hung on the noun before it ("met in Washington with
     * Tom Shannon": "with" under "Washington"): one level down, through obl and obj */
    if (prep.len && e && (e->type == DYAD__PE_TARGET || e->type == DYAD__PE_SOURCE))
        for (int a = 0; a < nanchors; a++) {
            uint32_t h = anchors[a];
            for (uint32_t k = c->kid_start[h]; k < c->kid_start[h + 1]; k++) {
                uint32_t d = c->kids[k];
                if (!(dyad__rel_base(c, d, DYAD__REL_OBL) || dyad__rel_is(c, d, DYAD__REL_OBJ)))
                    continue;
                for (uint32_t j = c->kid_start[d]; j < c->kid_start[d + 1]; j++) {
                    uint32_t g = c->kids[j];
                    if (!used(m, g) && dyad__rel_is(c, g, DYAD__REL_NMOD) && g > d &&
                        has_case(c, g, prep))
                        return (int32_t)g;
                }
            }
        }
    return -1;
}

static bool match_pattern(const dyad__coder *c, uint32_t v, uint32_t p, uint32_t nelems,
                          bool passive, match *m)
{
    memset(m, 0, sizeof *m);
    m->target = m->source = m->phrase = -1;
    uint32_t last = v;
    dyad_slice prep = {0};
    bool poss = false;
    for (uint32_t i = 0; i < nelems; i++) {
        dyad__pelem e;
        if (!dyad__dict_elem(c->dict, p, i, &e))
            return false;
        /* a dependent may hang from the last word matched, the predicate, or an earlier
         * word ("agreed to resume talks with T": "with T" hangs from "resume") */
        uint32_t anchors[18];
        int nanch = 0;
        anchors[nanch++] = last;
        if (last != v)
            anchors[nanch++] = v;
        for (uint32_t k = m->nconsumed; k-- > 0 && nanch < 18;)
            if (m->consumed[k] != last)
                anchors[nanch++] = m->consumed[k];
        switch (e.type) {
        case DYAD__PE_NOT:
            if (!is_negated(c, v))
                return false;
            m->negation = true;
            break;
        case DYAD__PE_PREP:
            prep = e.word;
            break;
        case DYAD__PE_TARGET_POSS:
            poss = true;
            break;
        case DYAD__PE_TARGET:
        case DYAD__PE_SOURCE: {
            int32_t x = find_dep(c, anchors, nanch, &e, prep, passive, m);
            if (x < 0)
                return false;
            if (e.type == DYAD__PE_TARGET)
                m->target = x;
            else
                m->source = x;
            if (m->ntaken < 4)
                m->taken[m->ntaken++] = (uint32_t)x;
            /* what follows may hang from the actor ("accused Iran of supporting ...": the
             * parser often attaches the "of" clause to "Iran") */
            last = (uint32_t)x;
            prep = dyad__slice(NULL, 0);
            m->score += 2;
            break;
        }
        case DYAD__PE_WORD:
        case DYAD__PE_SET:
        case DYAD__PE_ANY: {
            int32_t x = find_dep(c, anchors, nanch, &e, prep, passive, m);
            if (x < 0)
                return false;
            if (poss) {
                int32_t o = dyad__child(c, (uint32_t)x, DYAD__REL_NMOD_POSS);
                if (o < 0)
                    return false;
                m->target = o;
                m->phrase = x;
                poss = false;
            }
            if (m->nconsumed < 16) {
                if (e.type == DYAD__PE_ANY)
                    m->any |= (uint16_t)(1u << m->nconsumed);
                m->consumed[m->nconsumed++] = (uint32_t)x;
            }
            last = (uint32_t)x;
            prep = dyad__slice(NULL, 0);
            m->score += e.type == DYAD__PE_ANY ? 1 : 3;
            break;
        }
        default:
            return false;   /* an element of another pattern style */
        }
    }
    /* "called the condition daytime robbery", "called the ambassador a stupid guy": an
     * object with a predicate of its own is being named, which `call T` (a phone call) or
     * `meet T` does not describe; a pattern that names the predicate (`call T &insult`)
     * consumes it and still fits */
    if (m->target >= 0 && !passive && dyad__head(c, (uint32_t)m->target) == (int32_t)v &&
        dyad__rel_is(c, (uint32_t)m->target, DYAD__REL_OBJ))
        for (uint32_t k = c->kid_start[v]; k < c->kid_start[v + 1]; k++) {
            uint32_t d = c->kids[k];
            int u = c->t[d].upos;
            if (d > (uint32_t)m->target && !used(m, d) &&
                (dyad__rel_is(c, d, DYAD__REL_XCOMP) || dyad__rel_is(c, d, DYAD__REL_OBL)) &&
                (u == DYAD_UPOS_NOUN || u == DYAD_UPOS_ADJ) && dyad__case_of(c, d) < 0 &&
                !dyad__is_temporal(c, d))
                return false;
        }
    return true;
}

/* ---------------------------------------------------------------- dates */

/* The first and last token of d's phrase, leaving out clauses attached to it. */
static void span_of(const dyad__coder *c, uint32_t d, int depth, uint32_t *first, uint32_t *last)
{
    if (d < *first)
        *first = d;
    if (d > *last)
        *last = d;
    if (depth > 6)
        return;
    for (uint32_t k = c->kid_start[d]; k < c->kid_start[d + 1]; k++) {
        uint32_t x = c->kids[k];
        if (!dyad__rel_base(c, x, DYAD__REL_ACL) && !dyad__rel_base(c, x, DYAD__REL_ADVCL))
            span_of(c, x, depth + 1, first, last);
    }
}

static bool date_in(const dyad__coder *c, uint32_t d, bool future, dyad__date *out)
{
    uint32_t a = d, b = d;
    span_of(c, d, 0, &a, &b);
    if (b - a > 8)
        a = d > 4 ? d - 4 : 0, b = d + 4 < c->n ? d + 4 : c->n - 1;
    for (uint32_t i = a; i <= b && i < c->n; i++) {
        /* a year that describes a thing is not the event's date ("the 2016 election") */
        int32_t h = dyad__head(c, i);
        if ((dyad__rel_is(c, i, DYAD__REL_NUMMOD) || dyad__rel_base(c, i, DYAD__REL_COMPOUND) ||
             dyad__rel_is(c, i, DYAD__REL_AMOD)) &&
            h >= 0 && !dyad__is_temporal(c, (uint32_t)h))
            continue;
        /* a bare "May"/"March" needs a preposition or a day: "in May" */
        if (dyad__when(c->t, c->n, i, &c->art, future, out))
            return true;
    }
    return false;
}

static bool temporal_rel(const dyad__coder *c, uint32_t d)
{
    if (dyad__rel_base(c, d, DYAD__REL_OBL) || dyad__rel_base(c, d, DYAD__REL_NMOD) ||
        dyad__rel_is(c, d, DYAD__REL_ADVMOD) || dyad__rel_is(c, d, DYAD__REL_NMOD_TMOD) ||
        dyad__rel_is(c, d, DYAD__REL_OBL_TMOD) || dyad__rel_is(c, d, DYAD__REL_OBL_NPMOD))
        return true;
    /* "met Monday with ...", "met Monday evening in ...": a date the parser took for the
     * object */
    return (dyad__rel_is(c, d, DYAD__REL_OBJ) || dyad__rel_is(c, d, DYAD__REL_XCOMP)) &&
           ((c->t[d].upos == DYAD_UPOS_PROPN && dyad__child(c, d, DYAD__REL_DET) < 0) ||
            (c->t[d].upos == DYAD_UPOS_NOUN && dyad__is_temporal(c, d)));
}

static bool date_of(const dyad__coder *c, uint32_t v, bool future, dyad__date *out)
{
    int32_t obj = dyad__child(c, v, DYAD__REL_OBJ);
    uint32_t anchors[2] = {v, obj >= 0 ? (uint32_t)obj : v};
    for (int a = 0; a < (obj >= 0 ? 2 : 1); a++)
        for (uint32_t k = c->kid_start[anchors[a]]; k < c->kid_start[anchors[a] + 1]; k++) {
            uint32_t d = c->kids[k];
            if (temporal_rel(c, d) && date_in(c, d, future, out))
                return true;
        }
    return false;
}

/* The date the text gives the event of v: a temporal phrase of v or of its object; else, for
 * verbs coordinated with each other ("cut off their access in December and expelled 35
 * diplomats"), the date of the first one that gives one. */
static bool event_date(const dyad__coder *c, uint32_t v, dyad__date *out)
{
    bool future = is_future(c, v);
    if (date_of(c, v, future, out))
        return true;
    /* only between verbs of one subject: "X cut off ... and expelled ..." */
    uint32_t top = v;
    while (dyad__rel_base(c, top, DYAD__REL_CONJ) && dyad__head(c, top) >= 0 &&
           c->t[dyad__head(c, top)].upos == DYAD_UPOS_VERB &&
           dyad__child(c, top, DYAD__REL_NSUBJ) < 0)
        top = (uint32_t)dyad__head(c, top);
    if (top != v && date_of(c, top, future, out))
        return true;
    for (uint32_t k = c->kid_start[top]; k < c->kid_start[top + 1]; k++) {
        uint32_t d = c->kids[k];
        if (d != v && dyad__rel_base(c, d, DYAD__REL_CONJ) && c->t[d].upos == DYAD_UPOS_VERB &&
            dyad__child(c, d, DYAD__REL_NSUBJ) < 0 && date_of(c, d, future, out))
            return true;
    }
    return false;
}

/* ---------------------------------------------------------------- events */

/* The first max bytes of code (at most size - 1) into buf, as snprintf "%.*s" would. */
static void copy_code(char *buf, size_t size, const char *code, size_t max)
{
    size_t n = 0;
    while (n < max && n + 1 < size && code[n])
        n++;
    memcpy(buf, code, n);
    buf[n] = '\0';
}

static dyad_status push_event(dyad__coder *c, uint32_t v, const dyad__pattern *p, const char *code,
                              const dyad__actor *src, const dyad__actor *tgt, uint32_t flags,
                              const dyad__date *date, const dyad_slice *place,
                              const char *place_country)
{
    dyad_event *e = dyad__doc_push_event(c->doc);
    if (!e)
        return DYAD_ENOMEM;
    e->sentence = c->sent;
    dyad__actor a = *src;
    dyad__actor_widen(c, &a, v);
    dyad__actor_public(c, &a, &e->source);
    if (tgt) {
        a = *tgt;
        dyad__target_widen(c, &a, v);
        dyad__actor_public(c, &a, &e->target);
    }
    copy_code(e->code, sizeof e->code, code, sizeof e->code - 1);
    copy_code(e->root, sizeof e->root, code, 2);
    e->quad = dyad_cameo_quad(code);
    if (!e->quad)
        e->quad = dyad_cameo_quad(e->root);
    e->goldstein = dyad_cameo_goldstein(code);
    dyad__date_format(date, e->date, sizeof e->date);
    if (place && place->len) {
        e->location = *place;
        memcpy(e->location_country, place_country, 4);
    }
    e->verb = c->t[v].form;
    e->verb_start = c->t[v].start;
    e->verb_end = c->t[v].end;
    e->pattern = p->text;
    e->pattern_file = p->file;
    e->pattern_line = p->line;
    e->flags = flags;
    /* the actors become what later pronouns mean; not through a verb of saying, whose event
     * may yet give way to what it reports (the speaker is remembered as the sentence's
     * subject) */
    if (!dyad__is_speech_verb(c, v)) {
        dyad__actor_seen(c, src);
        if (tgt)
            dyad__actor_seen(c, tgt);
    }
    return DYAD_OK;
}

/* The pattern key of predicate v: its lemma, lower-cased (a phrasal verb's patterns are
 * filed under the verb and carry their particle). */
static size_t verb_key(const dyad__coder *c, uint32_t v, char *buf, size_t size)
{
    dyad_slice l = c->t[v].lemma.len ? c->t[v].lemma : c->t[v].form;
    size_t n = l.len < size - 1 ? l.len : size - 1;
    for (size_t i = 0; i < n; i++) {
        char ch = l.ptr[i];
        buf[i] = ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
    }
    buf[n] = '\0';
    return n;
}

/* Is one of v's ancestors (through clausal relations) an intent or threat verb? */
static int governing_modality(const dyad__coder *c, uint32_t v)
{
    int32_t h = dyad__head(c, v);
    /* "a date to meet", "a bid to lead", "efforts to mediate": what a noun's infinitive
     * names is intended, not done */
    if (h >= 0 && dyad__rel_is(c, v, DYAD__REL_ACL) && c->t[h].upos == DYAD_UPOS_NOUN)
        for (uint32_t k = c->kid_start[v]; k < c->kid_start[v + 1]; k++)
            if (dyad__rel_base(c, c->kids[k], DYAD__REL_MARK) &&
                dyad__lemma_is(c, c->kids[k], "to"))
                return 1;
    /* "discussing a date to meet", "set a time to talk": the parser often hangs a noun's
     * infinitive on the verb; one that follows the verb's object noun right away is the
     * noun's */
    if (h >= 0 && dyad__rel_is(c, v, DYAD__REL_ADVCL) && v > 0)
        for (uint32_t k = c->kid_start[v]; k < c->kid_start[v + 1]; k++) {
            uint32_t m = c->kids[k];
            if (!dyad__rel_base(c, m, DYAD__REL_MARK) || !dyad__lemma_is(c, m, "to") || m == 0)
                continue;
            int32_t o = dyad__child(c, (uint32_t)h, DYAD__REL_OBJ);
            if (o >= 0 && (uint32_t)o + 1 == m && c->t[o].upos == DYAD_UPOS_NOUN)
                return 1;
        }
    if (h < 0 || !(dyad__rel_is(c, v, DYAD__REL_XCOMP) || dyad__rel_is(c, v, DYAD__REL_CCOMP)))
        return 0;
    if (lemma_in(c, (uint32_t)h, threat_verbs))
        return 2;
    if (lemma_in(c, (uint32_t)h, intent_verbs))
        return 1;
    if (lemma_in(c, (uint32_t)h, refuse_verbs))
        return 3;
    return 0;
}

/* What a statement by verb v is about: in the clause it reports, an about/of/over phrase of
 * the predicate ("it is skeptical about the plan") or the clause's subject when it is not the
 * speaker again ("said the U.S. Embassy had conveyed ...", "said they hoped Bolton would
 * ..."); -1 when none.  *demand is set when the reported clause says what another must or
 * should do ("said the government must ensure security"). */
static int32_t statement_target(dyad__coder *c, uint32_t v, const dyad__actor *speaker,
                                bool *demand)
{
    static const char *const about[] = {"about", "of", "over", "on", "regarding", "concerning",
                                        NULL};
    static const char *const must[] = {"must", "should", NULL};
    int32_t r = -1;
    for (uint32_t k = c->kid_start[v]; k < c->kid_start[v + 1] && r < 0; k++)
        if (dyad__rel_base(c, c->kids[k], DYAD__REL_CCOMP))
            r = (int32_t)c->kids[k];
    /* what the speaker says another must do is demanded of it */
    *demand = r >= 0 && has_aux(c, (uint32_t)r, must) && !is_negated(c, (uint32_t)r);
    for (int depth = 0; r >= 0 && depth < 3; depth++) {
        for (uint32_t k = c->kid_start[r]; k < c->kid_start[r + 1]; k++) {
            uint32_t d = c->kids[k];
            int32_t cs = dyad__case_of(c, d);
            if ((dyad__rel_base(c, d, DYAD__REL_OBL) || dyad__rel_base(c, d, DYAD__REL_NMOD)) &&
                cs >= 0 && lemma_in(c, (uint32_t)cs, about) && uncoded_ok(c, d))
                return (int32_t)d;
        }
        int32_t sj = dyad__child(c, (uint32_t)r, DYAD__REL_NSUBJ);
        if (depth == 0 && (sj < 0 || c->t[sj].upos == DYAD_UPOS_PRON))
            *demand = false;   /* "said it must defend itself" */
        if (sj >= 0 && c->t[sj].upos != DYAD_UPOS_PRON && uncoded_ok(c, (uint32_t)sj)) {
            dyad__actor a[DYAD__MAX_MEMBERS];
            uint32_t n = dyad__actors_at(c, (uint32_t)sj, true, a, DYAD__MAX_MEMBERS);
            if (!(n && a[0].code.len == speaker->code.len &&
                  !memcmp(a[0].code.ptr, speaker->code.ptr, a[0].code.len)))
                return sj;
            *demand = false;   /* what the speaker itself must do is no demand */
        }
        /* "said they hoped that X would ...": the next reported clause */
        int32_t next = -1;
        for (uint32_t k = c->kid_start[r]; k < c->kid_start[r + 1] && next < 0; k++)
            if (dyad__rel_base(c, c->kids[k], DYAD__REL_CCOMP))
                next = (int32_t)c->kids[k];
        r = next;
    }
    return -1;
}

/* A code that names a party: not a role without a country ("---MIL") nor a bare sector
 * ("NGO", "IGOPKO": "aid agencies", "peacekeepers"). */
static bool named_party(dyad_slice code)
{
    static const char *const sectors[] = {"NGO", "IGO", "INT", "UIS", "MNC", "IMG",
                                          "NGM", "IGOPKO", NULL};
    if (code.len < 3 || strncmp(code.ptr, "---", 3) == 0)
        return false;
    for (const char *const *p = sectors; *p; p++)
        if (code.len == strlen(*p) && strncmp(code.ptr, *p, code.len) == 0)
            return false;
    return true;
}

/* A subject or target that may stand uncoded: a noun phrase (not a pronoun, a time or a
 * number), not one that can never take part ("fight the Ebola epidemic", "battled the fire"). */
static bool uncoded_ok(const dyad__coder *c, uint32_t h)
{
    int u = c->t[h].upos;
    if ((u != DYAD_UPOS_NOUN && u != DYAD_UPOS_PROPN) || dyad__is_temporal(c, h))
        return false;
    const dyad_token *t = &c->t[h];
    return c->set_nonparty == UINT32_MAX ||
           !dyad__dict_set_has(c->dict, c->set_nonparty, t->lemma.len ? t->lemma : t->form);
}

static void uncoded_actor(const dyad__coder *c, uint32_t h, dyad__actor *a)
{
    memset(a, 0, sizeof *a);
    a->head = a->first = a->last = h;
    for (uint32_t k = c->kid_start[h]; k < c->kid_start[h + 1]; k++) {
        uint32_t d = c->kids[k];
        if (dyad__rel_base(c, d, DYAD__REL_COMPOUND) || dyad__rel_base(c, d, DYAD__REL_FLAT) ||
            dyad__rel_is(c, d, DYAD__REL_AMOD) || dyad__rel_base(c, d, DYAD__REL_DET) ||
            dyad__rel_is(c, d, DYAD__REL_NUMMOD)) {
            if (d < a->first)
                a->first = d;
            if (d > a->last)
                a->last = d;
        }
    }
}

/* The source of predicate v when the pattern does not place it: the subject; the by-agent of
 * a passive; for a noun, its possessor or the subject of the verb that governs it. */
static int32_t source_token(const dyad__coder *c, uint32_t v, bool noun, bool passive,
                            int32_t subj)
{
    if (noun) {
        int32_t poss = dyad__child(c, v, DYAD__REL_NMOD_POSS);
        if (poss >= 0)
            return poss;
        /* "Russian harassment", "U.S. sanctions", "Israeli airstrikes": a country, people or
         * organisation named before the noun is who acts (not a role word alone: "military
         * aid" is aid of a military kind) */
        for (uint32_t k = c->kid_start[v]; k < c->kid_start[v + 1]; k++) {
            uint32_t d = c->kids[k];
            int32_t mi = c->mention_of[d];
            if (d < v && mi >= 0 &&
                (dyad__rel_is(c, d, DYAD__REL_AMOD) || dyad__rel_base(c, d, DYAD__REL_COMPOUND)) &&
                c->mentions[mi].hit.kind != DYAD__DK_AGENT &&
                c->mentions[mi].hit.kind != DYAD__DK_PAGENT &&
                c->mentions[mi].hit.kind != DYAD__DK_CITY &&
                c->mentions[mi].hit.kind != DYAD__DK_REGION)
                return (int32_t)d;
        }
        /* "accusations by Netanyahu", "the expulsion of a diplomat by Sofia" */
        for (uint32_t k = c->kid_start[v]; k < c->kid_start[v + 1]; k++) {
            uint32_t d = c->kids[k];
            if (dyad__rel_base(c, d, DYAD__REL_NMOD) && has_case(c, d, dyad__cstr("by")))
                return (int32_t)d;
        }
        /* the subject of the verb the noun is the object of ("announced sanctions"), or,
         * under a verb that only carries its object's meaning, of the verb the noun's phrase
         * hangs from ("launched a mediation effort", "provided $10 million in aid") */
        uint32_t x = v;
        for (int depth = 0; depth < 3; depth++) {
            int32_t h = dyad__head(c, x);
            if (h < 0)
                break;
            bool direct =
                dyad__rel_is(c, x, DYAD__REL_OBJ) || dyad__rel_is(c, x, DYAD__REL_NSUBJ_PASS);
            if (c->t[h].upos == DYAD_UPOS_VERB) {
                if ((direct && depth == 0) || ((direct || dyad__rel_base(c, x, DYAD__REL_OBL)) &&
                                               lemma_in(c, (uint32_t)h, support_verbs))) {
                    bool pv;
                    int32_t s = dyad__subject_of(c, (uint32_t)h, &pv);
                    return pv ? dyad__child(c, (uint32_t)h, DYAD__REL_OBL_AGENT) : s;
                }
                break;
            }
            if (!(dyad__rel_base(c, x, DYAD__REL_COMPOUND) || dyad__rel_is(c, x, DYAD__REL_NMOD) ||
                  (depth == 0 && direct)))
                break;
            x = (uint32_t)h;
        }
        return -1;
    }
    if (!passive)
        return subj;
    int32_t a = dyad__child(c, v, DYAD__REL_OBL_AGENT);
    if (a >= 0)
        return a;
    for (uint32_t k = c->kid_start[v]; k < c->kid_start[v + 1]; k++) {
        uint32_t d = c->kids[k];
        if (dyad__rel_base(c, d, DYAD__REL_OBL) && has_case(c, d, dyad__cstr("by")))
            return (int32_t)d;
    }
    return -1;
}

/* Does verb v carry the pattern's particle ("cut_off")?  The parser marks particles
 * compound:prt, but sometimes reads them as adverbs or as the preposition of the next phrase;
 * a pattern without a particle does not fit a phrasal verb ("called off" is not "call"). */
static bool particle_fits(const dyad__coder *c, uint32_t v, dyad_slice want)
{
    int32_t prt = dyad__child(c, v, DYAD__REL_COMPOUND_PRT);
    if (!want.len)
        return prt < 0;
    if (prt >= 0)
        return slice_lemma_is(c, (uint32_t)prt, want);
    for (uint32_t k = c->kid_start[v]; k < c->kid_start[v + 1]; k++) {
        uint32_t d = c->kids[k];
        if (dyad__rel_base(c, d, DYAD__REL_ADVMOD) && slice_lemma_is(c, d, want))
            return true;
    }
    /* "called off the protest" read as a preposition: the word right after the verb */
    return v + 1 < c->n && slice_lemma_is(c, v + 1, want) &&
           (c->t[v + 1].upos == DYAD_UPOS_ADP || c->t[v + 1].upos == DYAD_UPOS_ADV);
}

/* A code the modality rules derive from a complement: intent (03), reject (12), threaten (13). */
static bool modal_code(dyad_slice code)
{
    return code.len >= 2 && (!strncmp(code.ptr, "03", 2) || !strncmp(code.ptr, "12", 2) ||
                             !strncmp(code.ptr, "13", 2));
}

/* Is v a verb whose complement's event the modality rules map (intent, threat, refusal)? */
static bool modal_verb(const dyad__coder *c, uint32_t v)
{
    return lemma_in(c, v, intent_verbs) || lemma_in(c, v, threat_verbs) ||
           lemma_in(c, v, refuse_verbs);
}

/* Does tree pattern p fit predicate v (a noun predicate when noun)?  *pat and *m are filled
 * when it does.  The cheap tests first: the dictionary's signature (the pattern's words, its
 * style, the kind of predicate), then the pattern, its particle and the tree. */
static bool pattern_fits(const dyad__coder *c, uint32_t v, uint32_t p, bool noun, bool passive,
                         dyad__pattern *pat, match *m)
{
    return dyad__dict_tree_may_match(c->dict, p, c->words, noun) &&
           dyad__dict_pattern(c->dict, p, pat) && pat->style == DYAD__PS_TREE &&
           !(pat->flags & DYAD__PF_UNRESOLVED) && ((pat->flags & DYAD__PF_NOUN) != 0) == noun &&
           pat->code1.len && particle_fits(c, v, pat->particle) &&
           match_pattern(c, v, p, pat->nelems, passive, m);
}

/* Does a word a `*` of match m claimed have a tree pattern of its own that fits? */
static bool any_codes(const dyad__coder *c, const match *m)
{
    for (uint32_t i = 0; i < m->nconsumed; i++) {
        if (!(m->any & (1u << i)))
            continue;
        uint32_t x = m->consumed[i];
        bool noun = c->t[x].upos == DYAD_UPOS_NOUN;
        if (!noun && c->t[x].upos != DYAD_UPOS_VERB)
            continue;
        char key[96];
        size_t klen = verb_key(c, x, key, sizeof key);
        const uint32_t *idx;
        size_t np = dyad__dict_patterns(c->dict, dyad__slice(key, klen), &idx);
        bool passive = false;
        if (np && !noun)
            dyad__subject_of(c, x, &passive);
        for (size_t k = 0; k < np; k++) {
            dyad__pattern pat;
            match mm;
            if (pattern_fits(c, x, idx[k], noun, passive, &pat, &mm))
                return true;
        }
    }
    return false;
}

/* The target a complement that a `*` claimed names by its own best pattern ("considering
 * sending aid to North Korea": North Korea); -1 when none. */
static int32_t any_target(const dyad__coder *c, const match *m)
{
    for (uint32_t i = 0; i < m->nconsumed; i++) {
        if (!(m->any & (1u << i)))
            continue;
        uint32_t x = m->consumed[i];
        if (c->t[x].upos != DYAD_UPOS_VERB)
            continue;
        char key[96];
        size_t klen = verb_key(c, x, key, sizeof key);
        bool passive = false;
        dyad__subject_of(c, x, &passive);
        const uint32_t *idx;
        size_t np = dyad__dict_patterns(c->dict, dyad__slice(key, klen), &idx);
        int32_t best = -1;
        uint32_t best_score = 0;
        for (size_t k = 0; k < np; k++) {
            dyad__pattern pat;
            match mm;
            if (pattern_fits(c, x, idx[k], false, passive, &pat, &mm) && mm.target >= 0 &&
                (best < 0 || mm.score > best_score)) {
                best = mm.target;
                best_score = mm.score;
            }
        }
        if (best >= 0)
            return best;
    }
    return -1;
}

/* The source actors of token s (-1: none).  A subject no dictionary codes ("a car bomb",
 * "gunmen in a pickup") still did it: the event keeps the words, with an empty code, so
 * nothing the text says is lost; so does the pronoun of a reported clause whose reporter is
 * such a subject ("Dhurata Ali said they will not end the strike"). */
static uint32_t source_actors(dyad__coder *c, int32_t s, dyad__actor *src)
{
    if (s < 0)
        return 0;
    uint32_t ns = dyad__actors_at(c, (uint32_t)s, true, src, DYAD__MAX_MEMBERS);
    if (ns)
        return ns;
    if (c->t[s].upos == DYAD_UPOS_PRON) {
        int32_t r = dyad__reporter_of(c, (uint32_t)s);
        if (r < 0 || dyad__actors_at(c, (uint32_t)r, true, src, 1))
            return 0;   /* a coded reporter that the pronoun does not fit */
        s = r;
    }
    if (!uncoded_ok(c, (uint32_t)s))
        return 0;
    uncoded_actor(c, (uint32_t)s, &src[0]);
    return 1;
}

#define MAX_CANDS 16

typedef struct cand {
    dyad__pattern pat;
    match m;
} cand;

/* A code whose event is directed at a party: not a statement (01), which names its target
 * by what is said (statement_target, about_target). */
static bool directed_code(dyad_slice code)
{
    return code.len >= 2 && !(code.ptr[0] == '0' && code.ptr[1] == '1');
}

/* Verbs whose object is what they are done to, so that an object no dictionary codes is still
 * the target in words ("expelled 20 aid workers", "attacked the court building"). */
static const char *const acted_verbs[] = {
    "expel", "deport", "attack", "bomb", "shell", "raid", "storm", "overrun", "seize",
    "capture", "abduct", "kidnap", "arrest", "detain", "release", "free", "besiege", "invade",
    "occupy", "ambush", "ban", "sanction", "evacuate", "rescue", NULL};

/* The words the target may hang on: the verb and the nouns and verbs its pattern matched
 * ("imposed sanctions on T", "refused to lift the ban on T"). Returns their number. */
static uint32_t target_heads(const dyad__coder *c, uint32_t v, const match *m, bool verb,
                             uint32_t *heads)
{
    uint32_t nh = 0;
    if (verb)
        heads[nh++] = v;
    for (uint32_t i = 0; i < m->nconsumed && nh < 17; i++)
        if ((c->t[m->consumed[i]].upos == DYAD_UPOS_NOUN ||
             c->t[m->consumed[i]].upos == DYAD_UPOS_VERB) && m->consumed[i] != v &&
            !(m->any & (1u << i)))
            heads[nh++] = m->consumed[i];
    return nh;
}

/* The preposition of a noun phrase: its own case word, else the first word of the phrase when
 * that is one (the parser may hang "about" on a possessor: "about the government's plan"). */
static int32_t phrase_case(const dyad__coder *c, uint32_t d)
{
    int32_t cs = dyad__case_of(c, d);
    if (cs >= 0)
        return cs;
    uint32_t first = d, last = d;
    span_of(c, d, 0, &first, &last);
    if (first < d && c->t[first].upos == DYAD_UPOS_ADP && dyad__rel_base(c, first, DYAD__REL_CASE))
        return (int32_t)first;
    return -1;
}

/* The noun a verb without an object follows as its relative clause, the parser having read
 * the relative "that" as a conjunction ("compounds that the U.S. seized"); -1 when none. */
static int32_t gap_object(const dyad__coder *c, uint32_t v)
{
    if (dyad__child(c, v, DYAD__REL_OBJ) >= 0 || dyad__child(c, v, DYAD__REL_CCOMP) >= 0 ||
        dyad__child(c, v, DYAD__REL_XCOMP) >= 0 || dyad__rel_is(c, v, DYAD__REL_ACL_RELCL))
        return -1;
    for (uint32_t k = c->kid_start[v]; k < c->kid_start[v + 1]; k++) {
        uint32_t m = c->kids[k];
        if (m >= v || m == 0 || !dyad__rel_base(c, m, DYAD__REL_MARK) ||
            !(dyad__lemma_is(c, m, "that") || dyad__lemma_is(c, m, "which")))
            continue;
        uint32_t n = m - 1;
        int u = c->t[n].upos;
        return (u == DYAD_UPOS_NOUN || u == DYAD_UPOS_PROPN) && !dyad__is_temporal(c, n)
                   ? (int32_t)n : -1;
    }
    return -1;
}

/* The one the event is directed at when its pattern names no target: the verb's object, or a
 * phrase "against T", "with T", "on T", "to T", "at T" on the verb or on a noun the pattern
 * matched ("met Macron", "clashed with police", "imposed sanctions on Russia", "agreed a
 * ceasefire with the Taliban"), when every actor in it is a named party the dictionaries code
 * and none is the source; the object of a verb of acting on something, coded or not.
 * Returns the number of target actors (0: none). */
static uint32_t party_target(dyad__coder *c, uint32_t v, const match *m, const dyad__actor *src,
                             uint32_t ns, bool roles, dyad__actor *tgt)
{
    uint32_t heads[17];
    uint32_t nh = target_heads(c, v, m, true, heads);
    /* the object of a relative clause the parser did not attach to its noun: "two Russian
     * compounds that the U.S. seized" */
    int32_t gap = gap_object(c, v);
    if (gap >= 0) {
        uint32_t n = dyad__actors_at(c, (uint32_t)gap, false, tgt, DYAD__MAX_MEMBERS);
        if (n && named_party(tgt[0].code))
            return n;
    }
    /* the object first, then the phrases in the order of the sentence */
    for (int pass = 0; pass < 2; pass++)
        for (uint32_t h = 0; h < nh; h++)
            for (uint32_t k = c->kid_start[heads[h]]; k < c->kid_start[heads[h] + 1]; k++) {
                uint32_t d = c->kids[k];
                if (used(m, d) || !uncoded_ok(c, d))
                    continue;
                if (pass == 0) {
                    if (h != 0 ||
                        !(dyad__rel_is(c, d, DYAD__REL_OBJ) || dyad__rel_is(c, d, DYAD__REL_IOBJ)))
                        continue;
                } else {
                    int32_t cs = phrase_case(c, d);
                    if (!(dyad__rel_base(c, d, DYAD__REL_OBL) ||
                          dyad__rel_base(c, d, DYAD__REL_NMOD)) ||
                        cs < 0 || !lemma_in(c, (uint32_t)cs, toward_words))
                        continue;
                    /* "with Kerry fearing a ruse" says how, not with whom; "on the Ukrainian
                     * side" whose side, not against whom */
                    if (dyad__rel_is(c, d, DYAD__REL_ACL) ||
                        dyad__child(c, d, DYAD__REL_ACL) >= 0 || dyad__lemma_is(c, d, "side"))
                        continue;
                }
                uint32_t n = dyad__actors_at(c, d, false, tgt, DYAD__MAX_MEMBERS);
                bool ok = n > 0;
                for (uint32_t i = 0; i < n && ok; i++) {
                    ok = named_party(tgt[i].code) || (roles && tgt[i].code.len);
                    for (uint32_t j = 0; j < ns && ok; j++)
                        ok = !(src[j].code.len == tgt[i].code.len &&
                               !memcmp(src[j].code.ptr, tgt[i].code.ptr, tgt[i].code.len));
                }
                if (ok)
                    return n;
                if (pass == 0 && !n && lemma_in(c, v, acted_verbs)) {
                    uncoded_actor(c, d, &tgt[0]);
                    return 1;
                }
            }
    return 0;
}

/* What a statement is about when its pattern names no target: "about T", "over T", "on T"
 * on a noun the pattern matched ("expressed pessimism about the talks", "voiced concern over
 * the arrests") or, but for a bare "said", on the verb. Returns the token or -1. */
static int32_t about_target(const dyad__coder *c, uint32_t v, const match *m, bool verb)
{
    static const char *const about[] = {"about", "over", "on", "regarding", "concerning", NULL};
    uint32_t heads[17];
    uint32_t nh = target_heads(c, v, m, verb, heads);
    for (uint32_t h = 0; h < nh; h++)
        for (uint32_t k = c->kid_start[heads[h]]; k < c->kid_start[heads[h] + 1]; k++) {
            uint32_t d = c->kids[k];
            int32_t cs = phrase_case(c, d);
            if (!used(m, d) &&
                (dyad__rel_base(c, d, DYAD__REL_OBL) || dyad__rel_base(c, d, DYAD__REL_NMOD)) &&
                cs >= 0 && lemma_in(c, (uint32_t)cs, about) && uncoded_ok(c, d))
                return (int32_t)d;
        }
    return -1;
}

/* Do two actors stand on the same head word ("the government" and "the government")? */
static bool same_words(const dyad__coder *c, const dyad__actor *a, const dyad__actor *b)
{
    const dyad_token *x = &c->t[a->head], *y = &c->t[b->head];
    dyad_slice lx = x->lemma.len ? x->lemma : x->form, ly = y->lemma.len ? y->lemma : y->form;
    return lx.len == ly.len && dyad__ascii_ieq(lx.ptr, ly.ptr, lx.len);
}

static dyad_status code_predicate(dyad__coder *c, uint32_t v)
{
    bool noun = c->t[v].upos == DYAD_UPOS_NOUN;
    if (!noun && c->t[v].upos != DYAD_UPOS_VERB)
        return DYAD_OK;
    if (c->done[v])
        return DYAD_OK;
    char key[96];
    size_t klen = verb_key(c, v, key, sizeof key);
    const uint32_t *idx;
    size_t np = dyad__dict_patterns(c->dict, dyad__slice(key, klen), &idx);
    if (!np)
        return DYAD_OK;
    bool passive = false;
    int32_t subj = noun ? -1 : dyad__subject_of(c, v, &passive);

    /* every tree pattern of the lemma that matches, most specific first */
    cand cands[MAX_CANDS];
    size_t ncands = 0;
    /* the signatures sift the patterns a chunk at a time, so that the few read next are
     * fetched together */
    uint32_t pass[64];
    for (size_t k = 0; k < np; k += 64) {
        size_t npass = dyad__dict_tree_filter(c->dict, idx + k, np - k < 64 ? np - k : 64, c->words,
                                              noun, pass);
        for (size_t j = 0; j < npass; j++) {
            dyad__pattern pat;
            match m;
            if (!pattern_fits(c, v, pass[j], noun, passive, &pat, &m))
                continue;
            /* `agree to *` (030), `threaten to *` (130): the complement speaks for itself when a
             * pattern of its own codes it (the modality rules then make it the matching intent,
             * threat or refusal); the `*` pattern is for the complements no pattern knows */
            if (m.any && modal_code(pat.code1) && modal_verb(c, v) && any_codes(c, &m))
                continue;
            /* keep the list sorted by score, stable for equal scores (dictionary priority) */
            size_t at = ncands < MAX_CANDS ? ncands : MAX_CANDS - 1;
            if (ncands == MAX_CANDS && cands[at].m.score >= m.score)
                continue;
            while (at > 0 && cands[at - 1].m.score < m.score) {
                if (at < MAX_CANDS)
                    cands[at] = cands[at - 1];
                at--;
            }
            cands[at].pat = pat;
            cands[at].m = m;
            if (ncands < MAX_CANDS)
                ncands++;
        }
    }
    if (!ncands)
        return DYAD_OK;

    /* the most specific pattern whose actors can be coded: a target the dictionaries cannot
     * code ("welcomed the agreement") falls back to a less specific pattern */
    dyad__actor src[DYAD__MAX_MEMBERS], tgt[DYAD__MAX_MEMBERS];
    uint32_t ns = 0, nt = 0;
    size_t chosen = ncands;
    /* the best pattern whose target is a noun phrase no dictionary codes ("freed 37
     * prisoners", "returned the paintings to the museum"): used when no pattern codes both
     * sides, with the target's words and an empty code */
    size_t uncoded_target = ncands;
    for (size_t k = 0; k < ncands && chosen == ncands; k++) {
        const match *m = &cands[k].m;
        int32_t s_tok = m->source >= 0 ? m->source : source_token(c, v, noun, passive, subj);
        ns = source_actors(c, s_tok, src);
        nt = m->target >= 0 ? dyad__actors_at(c, (uint32_t)m->target, false, tgt,
                                               DYAD__MAX_MEMBERS) : 0;
        if (m->target >= 0 && !nt) {
            if (uncoded_target == ncands && !noun && uncoded_ok(c, (uint32_t)m->target))
                uncoded_target = k;
            continue;
        }
        chosen = k;
    }
    if (uncoded_target < chosen && (chosen == ncands || cands[chosen].m.target < 0)) {
        /* a more specific pattern named a target the dictionaries cannot code: it says more
         * about the event than a less specific one without a target */
        const match *m = &cands[uncoded_target].m;
        int32_t s_tok = m->source >= 0 ? m->source : source_token(c, v, noun, passive, subj);
        ns = source_actors(c, s_tok, src);
        chosen = uncoded_target;
        /* a party it went to or was done with names the target better than the thing
         * ("returned 12 human skulls to Peru", "provided weapons to the Iraqi army") */
        nt = directed_code(cands[chosen].pat.code1)
                 ? party_target(c, v, m, src, ns, true, tgt) : 0;
        if (!nt) {
            uncoded_actor(c, (uint32_t)m->target, &tgt[0]);
            nt = 1;
        }
    }
    if (chosen == ncands)
        return DYAD_OK;
    const dyad__pattern best = cands[chosen].pat;
    const match bm = cands[chosen].m;
    /* "to fight the Ebola epidemic": done to what is never a party (and not a word of the
     * pattern: "exchange fire"), it is no event */
    int32_t obj = noun ? -1 : dyad__child(c, v, DYAD__REL_OBJ);
    if (obj >= 0 && !used(&bm, (uint32_t)obj) && c->set_nonparty != UINT32_MAX &&
        dyad__dict_set_has(c->dict, c->set_nonparty,
                           c->t[obj].lemma.len ? c->t[obj].lemma : c->t[obj].form))
        return DYAD_OK;
    if (bm.phrase >= 0 && nt == 1) {
        /* `reject T's &proposal`: the target's words are the whole phrase ("Trump's
         * decision"), its code the possessor's */
        uint32_t x = (uint32_t)bm.phrase;
        tgt[0].first = x < tgt[0].first ? x : tgt[0].first;
        tgt[0].last = x > tgt[0].last ? x : tgt[0].last;
        tgt[0].head = x;
    } else if (!nt && bm.target < 0 && !noun && !lemma_in(c, v, support_verbs)) {
        /* a pattern that names its object by a word ("reject &proposal", "veto &resolution")
         * and no target: an object that names an actor ("the Iraqi and Turkish demands",
         * "a UN draft resolution") gives the target */
        for (uint32_t i = 0; i < bm.nconsumed && !nt; i++) {
            uint32_t x = bm.consumed[i];
            int32_t hx = dyad__head(c, x);
            if ((hx != (int32_t)v && !(hx >= 0 && used(&bm, (uint32_t)hx))) ||
                (bm.any & (1u << i)))
                continue;
            /* the object, also when the parser read it as a bare oblique ("rejected on
             * Monday an Afghan government offer"); or a party phrase the pattern names by
             * its word, on the verb or a word it matched ("clash with &police", "open
             * border to refugee"), where a role is a party too */
            int32_t cs = phrase_case(c, x);
            bool by_verb = hx == (int32_t)v ||
                           (hx >= 0 && c->t[hx].upos == DYAD_UPOS_VERB);   /* "refuse to allow" */
            bool object = by_verb && (dyad__rel_is(c, x, DYAD__REL_OBJ) ||
                                      (dyad__rel_base(c, x, DYAD__REL_OBL) && cs < 0));
            bool party =
                !object &&
                (dyad__rel_base(c, x, DYAD__REL_OBL) || dyad__rel_base(c, x, DYAD__REL_NMOD)) &&
                cs >= 0 && lemma_in(c, (uint32_t)cs, toward_words) &&
                !dyad__lemma_is(c, (uint32_t)cs, "at"); /* "meet at &summit" */
            if (!object && !party)
                continue;
            /* a named party, not a role ("put troops on alert") nor the source's own ("its
             * decision") */
            int32_t poss = dyad__child(c, x, DYAD__REL_NMOD_POSS);
            if (poss >= 0 && c->t[poss].upos == DYAD_UPOS_PRON)
                continue;
            if (dyad__actors_at(c, x, false, tgt, 1) == 1 &&
                (named_party(tgt[0].code) || (party && tgt[0].code.len))) {
                tgt[0].head = x;
                nt = 1;
            } else if (object && hx == (int32_t)v && lemma_in(c, v, object_verbs) &&
                       uncoded_ok(c, x)) {
                /* what is rejected, welcomed, lifted ... when it names no party ("rejected
                 * the draft resolution"): its words, uncoded */
                uncoded_actor(c, x, &tgt[0]);
                nt = 1;
            }
        }
    }
    if (!nt && bm.target < 0 && bm.any) {
        /* `consider *`, `call for *`: the target of what is considered or called for */
        int32_t x = any_target(c, &bm);
        if (x >= 0 && dyad__actors_at(c, (uint32_t)x, false, tgt, 1) == 1 && tgt[0].code.len)
            nt = 1;
        else if (x >= 0 && uncoded_ok(c, (uint32_t)x)) {
            uncoded_actor(c, (uint32_t)x, &tgt[0]);
            nt = 1;
        }
    }
    if (!nt && bm.target < 0 && !noun && directed_code(best.code1))
        nt = party_target(c, v, &bm, src, ns, true, tgt);
    if (!nt && bm.target < 0 && !noun && !directed_code(best.code1)) {
        int32_t x = about_target(c, v, &bm, !dyad__lemma_is(c, v, "say"));
        if (x >= 0) {
            if (dyad__actors_at(c, (uint32_t)x, false, tgt, 1) != 1 || !tgt[0].code.len)
                uncoded_actor(c, (uint32_t)x, &tgt[0]);
            nt = 1;
        }
    }
    bool demand = false;
    if (!nt && bm.target < 0 && !noun && best.code1.len == 3 &&
        (!strncmp(best.code1.ptr, "010", 3) || !strncmp(best.code1.ptr, "012", 3) ||
         !strncmp(best.code1.ptr, "013", 3)) && ns) {
        /* "X said the embassy had conveyed ...", "X says it is skeptical about the plan":
         * a statement is about what its reported clause is about */
        int32_t x = statement_target(c, v, &src[0], &demand);
        if (x >= 0) {
            if (dyad__actors_at(c, (uint32_t)x, false, tgt, 1) != 1 || !tgt[0].code.len)
                uncoded_actor(c, (uint32_t)x, &tgt[0]);
            nt = 1;
        }
    }
    for (uint32_t i = 0; i < bm.nconsumed; i++)
        c->done[bm.consumed[i]] = 1;
    /* what an accusation or a praise is about is not itself an event: "accused Russia of
     * meddling" codes the accusation only */
    if (lemma_in(c, v, judging_verbs))
        for (uint32_t k = c->kid_start[v]; k < c->kid_start[v + 1]; k++) {
            uint32_t d = c->kids[k];
            /* and the object: "condemned the U.S. arms sales to Taiwan" is not a sale */
            if (dyad__rel_base(c, d, DYAD__REL_ADVCL) || dyad__rel_base(c, d, DYAD__REL_CCOMP) ||
                dyad__rel_base(c, d, DYAD__REL_ACL) || dyad__rel_is(c, d, DYAD__REL_OBJ))
                c->done[d] = 1;
        }
    /* "warned the U.S. against attacking Syria": what is warned against did not happen (a
     * clause "warned that it would ..." stays: it is a threat, coded by the modality rule) */
    if (dyad__lemma_is(c, v, "warn") || dyad__lemma_is(c, v, "caution"))
        for (uint32_t k = c->kid_start[v]; k < c->kid_start[v + 1]; k++) {
            uint32_t d = c->kids[k];
            if (dyad__rel_base(c, d, DYAD__REL_ADVCL))
                c->done[d] = 1;
            /* the parser may hang the clause on the one warned */
            if (dyad__rel_is(c, d, DYAD__REL_OBJ) || dyad__rel_is(c, d, DYAD__REL_XCOMP))
                for (uint32_t j = c->kid_start[d]; j < c->kid_start[d + 1]; j++)
                    if (dyad__rel_base(c, c->kids[j], DYAD__REL_ADVCL))
                        c->done[c->kids[j]] = 1;
        }
    if (!ns && nt && passive && !noun && best.code1.len >= 2 && best.code1.ptr[0] == '1' &&
        best.code1.ptr[1] == '7') {
        /* "was arrested in Rwanda", "were expelled from ... in Moscow": coercion with no
         * agent named is the doing of the authorities of the place where it happened */
        dyad_slice pn;
        char pc[4];
        int32_t at = dyad__place_of(c, v, bm.target, &pn, pc);
        if (at >= 0) {
            uncoded_actor(c, (uint32_t)at, &src[0]);
            src[0].code =
                dyad__slice(c->mentions[dyad__place_mention(c, (uint32_t)at)].place_country.ptr, 3);
            ns = 1;
        }
    }
    if (!ns || is_hypothetical(c, v))
        return DYAD_OK;
    /* "X said Iran must release the sailors": what one must do is not done; said by another it
     * is that one's demand (10x) on it */
    static const char *const must[] = {"must", "should", NULL};
    bool demanded = false;
    if (!noun && has_aux(c, v, must)) {
        int32_t w = dyad__head(c, v);
        int32_t r = -1;
        if (w >= 0 &&
            (dyad__rel_base(c, v, DYAD__REL_CCOMP) || dyad__rel_base(c, v, DYAD__REL_PARATAXIS)) &&
            dyad__is_speech_verb(c, (uint32_t)w) && !is_negated(c, v)) {
            bool pw;
            r = dyad__subject_of(c, (uint32_t)w, &pw);
            if (pw)
                r = -1;
        }
        dyad__actor who[DYAD__MAX_MEMBERS];
        uint32_t nr = r >= 0 && c->t[r].upos != DYAD_UPOS_PRON ? source_actors(c, r, who) : 0;
        if (!nr || (nr == 1 && ns == 1 && who[0].code.len && who[0].code.len == src[0].code.len &&
                    !memcmp(who[0].code.ptr, src[0].code.ptr, who[0].code.len)))
            return DYAD_OK;
        for (uint32_t i = 0; i < ns && i < DYAD__MAX_MEMBERS; i++)
            tgt[i] = src[i];
        nt = ns;
        for (uint32_t i = 0; i < nr; i++)
            src[i] = who[i];
        ns = nr;
        demanded = true;
    }

    char code[8];
    snprintf(code, sizeof code, "%.*s", (int)best.code1.len, best.code1.ptr);
    /* "X said Y must do Z": a demand on Y (100) */
    if (demand && !strcmp(code, "010"))
        snprintf(code, sizeof code, "100");
    uint32_t flags = noun ? DYAD_EVENT_NOMINAL : 0;
    int modal = governing_modality(c, v);
    int32_t gov = modal ? dyad__head(c, v) : -1;
    bool neg_here = is_negated(c, v) && !bm.negation;
    bool neg_gov = gov >= 0 && is_negated(c, (uint32_t)gov);
    const char *mapped = NULL;
    if (demanded) {
        mapped = demand_code(code);
        if (!mapped)
            mapped = "100";
    } else if (neg_here || neg_gov) {
        /* "will not lift the ban", "says it does not accept refugees", "would not agree to
         * release": a refusal, coded with the Reject code of what is refused; "did not
         * meet", "has not released", "did not threaten" are no event */
        uint32_t nv = neg_here ? v : (uint32_t)gov;
        if (modal >= 2 || !refusing_tense(c, nv) || !(mapped = reject_code(code)))
            return DYAD_OK;
    } else if (modal == 3) {
        /* "refused to meet": a pattern of the governing verb codes it when there is one
         * (it then claimed this verb); else the Reject code of what is refused ("rejected
         * holding talks"); a failure ("failed to reach a deal") is no event */
        if (!lemma_in(c, (uint32_t)gov, rejecting_verbs) || !(mapped = reject_code(code)))
            return DYAD_OK;
    } else if (modal == 2) {
        mapped = threat_code(code);
    } else if (modal == 1 || is_future(c, v)) {
        mapped = intent_code(code);
        /* "will attack", "vowed to retaliate", "is ready to strike": force announced is a
         * threat (not what was decided or agreed: "decided to expel" is the expulsion) */
        if (!mapped && (is_future(c, v) || lemma_in(c, (uint32_t)gov, threatening_intents)))
            mapped = threat_code(code);
    }
    if (mapped)
        snprintf(code, sizeof code, "%s", mapped);

    dyad__date date;
    if (!event_date(c, v, &date)) {
        date = c->art;
        flags |= DYAD_EVENT_DATE_INFERRED;
    }
    dyad_slice place = {0};
    char place_country[4] = "";
    int32_t at = dyad__place_of(c, v, bm.target, &place, place_country);
    bool place_target = !nt && at >= 0 && !(code[0] == '0' && code[1] == '4');
    if (place_target) {
        /* an event that names no party but where it happened is done to that place ("declared
         * a ceasefire in Idlib", "lay down their weapons in eastern Lebanon"), coded as its
         * country; not a meeting ("met in Geneva") */
        const dyad__mention *m = &c->mentions[dyad__place_mention(c, (uint32_t)at)];
        uncoded_actor(c, (uint32_t)at, &tgt[0]);
        tgt[0].code = dyad__slice(m->place_country.ptr, 3);
        nt = 1;
    }
    /* reciprocal: the verb ("met"), a light verb's object ("held talks"), or a code whose
     * events are two-sided by definition (041, talks by telephone) */
    bool reciprocal = (c->set_reciprocal != UINT32_MAX &&
                       dyad__dict_set_has(c->dict, c->set_reciprocal, dyad__slice(key, klen))) ||
                      strcmp(code, "041") == 0;
    /* a light verb's object ("held talks", "signed an agreement"), not a word further down
     * ("called for talks" is an appeal by one side) */
    for (uint32_t i = 0; i < bm.nconsumed && !reciprocal && c->set_reciprocal != UINT32_MAX; i++) {
        const dyad_token *w = &c->t[bm.consumed[i]];
        uint32_t o = bm.consumed[i];
        /* "held meeting" in a headline may be read as a gerund complement */
        if (dyad__head(c, o) != (int32_t)v ||
            !(dyad__rel_is(c, o, DYAD__REL_OBJ) || dyad__rel_is(c, o, DYAD__REL_XCOMP)) ||
            !lemma_in(c, v, light_verbs))
            continue;
        reciprocal = dyad__dict_set_has(c->dict, c->set_reciprocal,
                                        w->lemma.len ? w->lemma : w->form);
        /* "held joint exercises" */
        for (uint32_t k = c->kid_start[o]; k < c->kid_start[o + 1] && !reciprocal; k++) {
            const dyad_token *m = &c->t[c->kids[k]];
            if (dyad__rel_is(c, c->kids[k], DYAD__REL_AMOD))
                reciprocal = dyad__dict_set_has(c->dict, c->set_reciprocal,
                                                m->lemma.len ? m->lemma : m->form);
        }
    }
    /* a refusal is one side's ("rejected holding talks with T"); a place does not act */
    if ((code[0] == '1' && code[1] == '2') || place_target)
        reciprocal = false;
    if (ns > 1 || nt > 1)
        flags |= DYAD_EVENT_COMPOUND;
    dyad_status st;
    if (nt == 0 && ns > 1 && reciprocal) {
        /* "Russia and the United States met": each with each */
        for (uint32_t a = 0; a < ns; a++)
            for (uint32_t b = 0; b < ns; b++)
                if (a != b && (st = push_event(c, v, &best, code, &src[a], &src[b],
                                               flags | DYAD_EVENT_RECIPROCAL, &date, &place,
                                               place_country)))
                    return st;
        return DYAD_OK;
    }
    for (uint32_t a = 0; a < ns; a++) {
        if (!nt) {
            if ((st = push_event(c, v, &best, code, &src[a], NULL, flags, &date, &place,
                                 place_country)))
                return st;
            continue;
        }
        for (uint32_t b = 0; b < nt; b++) {
            /* an actor does not act on itself: the same code on both sides ("he met his
             * counterpart" read as one person twice) is no event, as in PETRARCH; but two
             * roles of no known country are not the same one ("the government released
             * the detained leaders": ---GOV both) */
            if (src[a].code.len && src[a].code.len == tgt[b].code.len &&
                !memcmp(src[a].code.ptr, tgt[b].code.ptr, src[a].code.len) &&
                !(src[a].code.len > 3 && !memcmp(src[a].code.ptr, "---", 3) &&
                  !same_words(c, &src[a], &tgt[b])))
                continue;
            if ((st = push_event(c, v, &best, code, &src[a], &tgt[b], flags, &date, &place,
                                 place_country)))
                return st;
            if (reciprocal && (st = push_event(c, v, &best, code, &tgt[b], &src[a],
                                               flags | DYAD_EVENT_RECIPROCAL, &date, &place,
                                               place_country)))
                return st;
        }
    }
    return DYAD_OK;
}

/* A statement whose pattern names no target, made by a verb of saying ("X said ...", "X says
 * it is skeptical", "X said he hoped ..."). */
static bool is_bare_statement(const dyad__coder *c, const dyad_event *e, bool any_target)
{
    if (strcmp(e->code, "010") && strcmp(e->code, "012") && strcmp(e->code, "013"))
        return false;
    /* a pattern that names a target ("tell T", "say &pessimistic about T") is explicit */
    for (size_t i = 0; i < e->pattern.len && !any_target; i++)
        if (e->pattern.ptr[i] == 'T' && (i == 0 || e->pattern.ptr[i - 1] == ' ') &&
            (i + 1 == e->pattern.len || e->pattern.ptr[i + 1] == ' ' || e->pattern.ptr[i + 1] == '\''))
            return false;
    for (uint32_t k = 0; k < c->n; k++)
        if (c->t[k].start == e->verb_start && c->t[k].end == e->verb_end)
            return dyad__is_speech_verb(c, k) || dyad__lemma_is(c, k, "state") ||
                   dyad__lemma_is(c, k, "reiterate") || dyad__lemma_is(c, k, "indicate") ||
                   dyad__lemma_is(c, k, "affirm") || dyad__lemma_is(c, k, "reaffirm");
    return false;
}

static bool is_quote_mark(dyad_slice f)
{
    return (f.len == 1 && f.ptr[0] == '"') ||
           (f.len == 2 && ((f.ptr[0] == '`' && f.ptr[1] == '`') ||
                           (f.ptr[0] == '\'' && f.ptr[1] == '\''))) ||
           (f.len == 3 && (!memcmp(f.ptr, "\xE2\x80\x9C", 3) || !memcmp(f.ptr, "\xE2\x80\x9D", 3)));
}

/* The codebook's residual statement (010, 012, 013 without a target: "X said ...") is kept
 * only when it is all the sentence says: not beside another event, not twice, and not when
 * the sentence holds a quotation (the quote record reports what was said). */
static void drop_residual(dyad__coder *c, size_t first_event)
{
    dyad_doc *doc = c->doc;
    bool other = false, quoted = false;
    for (size_t i = first_event; i < doc->nevents; i++)
        if (!is_bare_statement(c, &doc->events[i], false))
            other = true;
    for (uint32_t k = 0; k < c->n && !quoted; k++)
        quoted = is_quote_mark(c->t[k].form);
    size_t w = first_event;
    bool kept = false;
    for (size_t i = first_event; i < doc->nevents; i++) {
        dyad_event *e = &doc->events[i];
        if (is_bare_statement(c, e, false)) {
            if (other || quoted || kept)
                continue;
            kept = true;
        } else if (quoted && is_bare_statement(c, e, true)) {
            continue;   /* "...," he told Tass: the quotation is the record */
        }
        doc->events[w++] = *e;
    }
    doc->nevents = w;
}

/* Verbs of saying whose reported clause holds an event are not coded themselves. */
static void drop_reporting(dyad__coder *c, size_t first_event)
{
    dyad_doc *doc = c->doc;
    size_t w = first_event;
    for (size_t i = first_event; i < doc->nevents; i++) {
        dyad_event *e = &doc->events[i];
        bool drop = false;
        uint32_t v = UINT32_MAX;
        for (uint32_t k = 0; k < c->n; k++)
            if (c->t[k].start == e->verb_start && c->t[k].end == e->verb_end)
                v = k;
        if (v != UINT32_MAX && dyad__is_speech_verb(c, v)) {
            for (size_t j = first_event; j < doc->nevents && !drop; j++) {
                if (j == i)
                    continue;
                /* another event whose verb is inside v's ccomp/parataxis */
                for (uint32_t k = 0; k < c->n; k++) {
                    if (c->t[k].start != doc->events[j].verb_start)
                        continue;
                    for (int32_t x = (int32_t)k, d = 0; x >= 0 && d < 12; d++) {
                        int32_t h = dyad__head(c, (uint32_t)x);
                        if (h == (int32_t)v &&
                            (dyad__rel_base(c, (uint32_t)x, DYAD__REL_CCOMP) ||
                             dyad__rel_base(c, (uint32_t)x, DYAD__REL_PARATAXIS))) {
                            drop = true;
                            doc->events[j].flags |= DYAD_EVENT_REPORTED;
                            break;
                        }
                        x = h;
                    }
                }
            }
        }
        if (!drop)
            doc->events[w++] = *e;
    }
    doc->nevents = w;
    drop_residual(c, first_event);
}

/* Order the tokens of the sentence by depth, governors first (c->order), so that a pattern on
 * a governing verb ("refuse to meet") claims its complement before the complement is coded. */
static void order_by_depth(dyad__coder *c)
{
    uint32_t n = c->n;
    uint32_t *depth = c->fill;   /* free once the children lists are built */
    for (uint32_t i = 0; i < n; i++)
        depth[i] = UINT32_MAX;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t d = 0;
        int32_t x = (int32_t)i;
        while (x >= 0 && depth[x] == UINT32_MAX && d <= n) {
            x = dyad__head(c, (uint32_t)x);
            d++;
        }
        uint32_t base = x >= 0 && d <= n ? depth[x] : 0;
        /* walk again, filling depths from the known ancestor down */
        uint32_t total = base + d - (x >= 0 ? 0 : 1);
        x = (int32_t)i;
        for (uint32_t k = 0; k < d && x >= 0; k++) {
            depth[x] = total - k;
            x = dyad__head(c, (uint32_t)x);
        }
    }
    /* stable selection by depth: n is small (sentences are bounded by the token limit) */
    uint32_t w = 0;
    for (uint32_t level = 0; w < n && level <= n; level++)
        for (uint32_t i = 0; i < n; i++)
            if (depth[i] == level)
                c->order[w++] = i;
    for (uint32_t i = 0; i < n && w < n; i++)
        if (depth[i] > n)
            c->order[w++] = i;
}

dyad_status dyad__code_sentence(dyad__coder *c, uint32_t s)
{
    dyad__coder_sentence(c, s);
    if (!c->ready)
        return DYAD_ENOMEM;
    if (c->discard)
        return DYAD_OK;
    size_t first_event = c->doc->nevents;
    order_by_depth(c);
    for (uint32_t k = 0; k < c->n; k++) {
        dyad_status st = code_predicate(c, c->order[k]);
        if (st)
            return st;
    }
    drop_reporting(c, first_event);
    /* the subject of the main clause is what the next sentence's "he" or "it" most likely
     * means, whether or not its verb was an event */
    for (uint32_t k = 0; k < c->n; k++)
        if (dyad__head(c, c->order[k]) < 0) {
            bool passive;
            int32_t subj = dyad__subject_of(c, c->order[k], &passive);
            dyad__actor a[DYAD__MAX_MEMBERS];
            if (subj >= 0 && !passive && dyad__actors_at(c, (uint32_t)subj, true, a, 1))
                dyad__actor_seen(c, &a[0]);
            break;
        }
    return DYAD_OK;
}

/* ---------------------------------------------------------------- the document */

dyad_status dyad_worker_code(dyad_worker *w, const dyad_model *model, const dyad_dict *dict,
                             dyad_doc *doc, const dyad_limits *limits, dyad_error *err)
{
    if (!w || !doc)
        return dyad__fail(err, DYAD_EINVAL, "no worker or document");
    dyad__date art;
    if (!doc->date.len || !dyad__date_read(doc->date, &art) || art.precision != DYAD__DAY)
        return dyad__fail(err, DYAD_EFORMAT,
                          "no article date (JSONL \"date\", or --date YYYY-MM-DD for text)");
    dyad_status st;
    if (!doc->nsents && doc->text.len && (st = dyad_worker_segment(w, doc, limits, err)))
        return st;
    if (model && (st = dyad_worker_parse(w, model, doc, err)))
        return st;
    if (!w->coder) {
        w->coder = calloc(1, sizeof *w->coder);
        if (!w->coder)
            return dyad__fail(err, DYAD_ENOMEM, "out of memory");
    }
    dyad__coder *c = w->coder;
    c->dict = dict;
    c->doc = doc;
    c->art = art;
    c->art_date = doc->date;
    c->nmemory = 0;
    c->have_person = c->have_group = c->have_prev_person = false;
    c->ready = false;
    c->t = NULL;
    c->set_reciprocal = dict ? dyad__dict_set_find(dict, dyad__cstr("reciprocal")) : UINT32_MAX;
    c->set_nonparty = dict ? dyad__dict_set_find(dict, dyad__cstr("nonparty")) : UINT32_MAX;
    c->x.nns = dyad_xpos_from_name(dyad__cstr("NNS"));
    c->x.nnps = dyad_xpos_from_name(dyad__cstr("NNPS"));
    c->x.vbd = dyad_xpos_from_name(dyad__cstr("VBD"));
    c->x.vbz = dyad_xpos_from_name(dyad__cstr("VBZ"));
    c->x.vbp = dyad_xpos_from_name(dyad__cstr("VBP"));
    c->x.vbn = dyad_xpos_from_name(dyad__cstr("VBN"));
    c->x.vbg = dyad_xpos_from_name(dyad__cstr("VBG"));
    c->x.md = dyad_xpos_from_name(dyad__cstr("MD"));
    c->x.hyph = dyad_xpos_from_name(dyad__cstr("HYPH"));
    doc->nevents = doc->nquotes = 0;
    if (!dict)
        return DYAD_OK;
    if ((st = dyad__quotes_find(c)))
        return dyad__fail(err, st, "out of memory finding quotations");
    for (uint32_t s = 0; s < doc->nsents; s++)
        if ((st = dyad__code_sentence(c, s)) || (st = dyad__quotes_emit(c, s)))
            return dyad__fail(err, st, "out of memory coding a sentence");
    return DYAD_OK;
}
