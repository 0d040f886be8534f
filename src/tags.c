/* tags.c - the fixed tables of UPOS, Penn XPOS and UD dependency relation names. */
#include "internal.h"

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

/* UD relations (with the English subtypes of EWT); index 0 means unknown. */
static const char *const deprel_names[] = {
    "_",          "punct",      "case",        "nsubj",        "det",        "root",
    "advmod",     "obj",        "amod",        "obl",          "conj",       "compound",
    "mark",       "nmod",       "cc",          "aux",          "cop",        "advcl",
    "nmod:poss",  "xcomp",      "ccomp",       "flat",         "acl:relcl",  "parataxis",
    "appos",      "nummod",     "acl",         "aux:pass",     "nsubj:pass", "obl:unmarked",
    "nmod:unmarked", "discourse", "list",      "compound:prt", "iobj",       "expl",
    "fixed",      "nmod:desc",  "obl:agent",   "csubj",        "nsubj:outer", "det:predet",
    "vocative",   "goeswith",   "advcl:relcl", "cc:preconj",   "reparandum", "orphan",
    "csubj:pass", "dislocated", "dep",         "csubj:outer",  "obl:npmod",  "obl:tmod",
    "nmod:npmod", "nmod:tmod",  "flat:foreign", "det:poss",    "compound:svc", "expl:pv",
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
