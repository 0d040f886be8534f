/* tags.c - the fixed tables of UPOS, Penn XPOS and UD dependency relation names. */
#include "coder.h"

static const char *const upos_names[DYAD_UPOS_COUNT] = {
    "_",    "ADJ",  "ADP",   "ADV",  "AUX",   "CCONJ", "DET",   "INTJ", "NOUN",
    "NUM",  "PART", "PRON",  "PROPN", "PUNCT", "SCONJ", "SYM",  "VERB", "X",
};

/* Penn Treebank tags as used by UD English (index 0 means unknown). */
static const char *const xpos_names[] = {
    "_",   "NN",  "IN",   "DT",  "NNP",  "PRP", "JJ",  ".",    "RB",   "VB",  "NNS",
    ",",   "CC",  "VBP",  "VBD", "VBZ",  "CD",  "VBN", "VBG",  "MD",   "TO",  "PRP$",
    "-RRB-", "-LRB-", "WDT", ":", "WRB", "``",  "WP",  "''",   "RP",   "UH",  "HYPH",
    "POS", "NNPS", "JJS", "JJR", "NFP", "ADD", "EX",  "RBR",  "GW",   "$",   "SYM",
    "PDT", "FW",  "RBS",  "LS",  "AFX",  "WP$",
};

/* UD relations (with the English subtypes of EWT); index 0 means unknown.  The ids are
 * coder.h's DYAD__REL_* (the coder compares them, not names). */
static const char *const deprel_names[DYAD__REL_COUNT] = {
    [DYAD__REL_NONE] = "_",
    [DYAD__REL_PUNCT] = "punct",
    [DYAD__REL_CASE] = "case",
    [DYAD__REL_NSUBJ] = "nsubj",
    [DYAD__REL_DET] = "det",
    [DYAD__REL_ROOT] = "root",
    [DYAD__REL_ADVMOD] = "advmod",
    [DYAD__REL_OBJ] = "obj",
    [DYAD__REL_AMOD] = "amod",
    [DYAD__REL_OBL] = "obl",
    [DYAD__REL_CONJ] = "conj",
    [DYAD__REL_COMPOUND] = "compound",
    [DYAD__REL_MARK] = "mark",
    [DYAD__REL_NMOD] = "nmod",
    [DYAD__REL_CC] = "cc",
    [DYAD__REL_AUX] = "aux",
    [DYAD__REL_COP] = "cop",
    [DYAD__REL_ADVCL] = "advcl",
    [DYAD__REL_NMOD_POSS] = "nmod:poss",
    [DYAD__REL_XCOMP] = "xcomp",
    [DYAD__REL_CCOMP] = "ccomp",
    [DYAD__REL_FLAT] = "flat",
    [DYAD__REL_ACL_RELCL] = "acl:relcl",
    [DYAD__REL_PARATAXIS] = "parataxis",
    [DYAD__REL_APPOS] = "appos",
    [DYAD__REL_NUMMOD] = "nummod",
    [DYAD__REL_ACL] = "acl",
    [DYAD__REL_AUX_PASS] = "aux:pass",
    [DYAD__REL_NSUBJ_PASS] = "nsubj:pass",
    [DYAD__REL_OBL_UNMARKED] = "obl:unmarked",
    [DYAD__REL_NMOD_UNMARKED] = "nmod:unmarked",
    [DYAD__REL_DISCOURSE] = "discourse",
    [DYAD__REL_LIST] = "list",
    [DYAD__REL_COMPOUND_PRT] = "compound:prt",
    [DYAD__REL_IOBJ] = "iobj",
    [DYAD__REL_EXPL] = "expl",
    [DYAD__REL_FIXED] = "fixed",
    [DYAD__REL_NMOD_DESC] = "nmod:desc",
    [DYAD__REL_OBL_AGENT] = "obl:agent",
    [DYAD__REL_CSUBJ] = "csubj",
    [DYAD__REL_NSUBJ_OUTER] = "nsubj:outer",
    [DYAD__REL_DET_PREDET] = "det:predet",
    [DYAD__REL_VOCATIVE] = "vocative",
    [DYAD__REL_GOESWITH] = "goeswith",
    [DYAD__REL_ADVCL_RELCL] = "advcl:relcl",
    [DYAD__REL_CC_PRECONJ] = "cc:preconj",
    [DYAD__REL_REPARANDUM] = "reparandum",
    [DYAD__REL_ORPHAN] = "orphan",
    [DYAD__REL_CSUBJ_PASS] = "csubj:pass",
    [DYAD__REL_DISLOCATED] = "dislocated",
    [DYAD__REL_DEP] = "dep",
    [DYAD__REL_CSUBJ_OUTER] = "csubj:outer",
    [DYAD__REL_OBL_NPMOD] = "obl:npmod",
    [DYAD__REL_OBL_TMOD] = "obl:tmod",
    [DYAD__REL_NMOD_NPMOD] = "nmod:npmod",
    [DYAD__REL_NMOD_TMOD] = "nmod:tmod",
    [DYAD__REL_FLAT_FOREIGN] = "flat:foreign",
    [DYAD__REL_DET_POSS] = "det:poss",
    [DYAD__REL_COMPOUND_SVC] = "compound:svc",
    [DYAD__REL_EXPL_PV] = "expl:pv",
};

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

static int lookup(const char *const *names, int n, dyad_slice name)
{
    for (int i = 1; i < n; i++)
        if (dyad__slice_eq(name, names[i]))
            return i;
    return 0;
}

const char *dyad_upos_name(int upos)
{
    return upos > 0 && upos < DYAD_UPOS_COUNT ? upos_names[upos] : "_";
}

int dyad_upos_from_name(dyad_slice name)
{
    return lookup(upos_names, DYAD_UPOS_COUNT, name);
}

int dyad_xpos_count(void) { return COUNT(xpos_names); }

const char *dyad_xpos_name(int xpos)
{
    return xpos > 0 && xpos < COUNT(xpos_names) ? xpos_names[xpos] : "_";
}

int dyad_xpos_from_name(dyad_slice name) { return lookup(xpos_names, COUNT(xpos_names), name); }

int dyad_deprel_count(void) { return COUNT(deprel_names); }

const char *dyad_deprel_name(int deprel)
{
    return deprel > 0 && deprel < COUNT(deprel_names) ? deprel_names[deprel] : "_";
}

int dyad_deprel_from_name(dyad_slice name)
{
    return lookup(deprel_names, COUNT(deprel_names), name);
}
