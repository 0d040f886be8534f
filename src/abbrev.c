/* abbrev.c - word lists of the text front end: abbreviations, hyphen prefixes, contractions. */
#include "abbrev.h"

#include <string.h>

typedef struct word_class {
    const char *word;
    uint8_t cls;
} word_class;

/* Abbreviations that keep their period, matched case-sensitively.  NOEND: titles and the
 * like, always followed by more of the sentence; MAYEND: may close a sentence. */
static const word_class abbrevs[] = {
    /* titles and ranks */
    {"Mr", DYAD_ABBR_NOEND}, {"Mrs", DYAD_ABBR_NOEND}, {"Ms", DYAD_ABBR_NOEND},
    {"Messrs", DYAD_ABBR_NOEND}, {"Mmes", DYAD_ABBR_NOEND}, {"Dr", DYAD_ABBR_NOEND},
    {"Drs", DYAD_ABBR_NOEND}, {"Prof", DYAD_ABBR_NOEND}, {"Gen", DYAD_ABBR_NOEND},
    {"Gens", DYAD_ABBR_NOEND}, {"Lt", DYAD_ABBR_NOEND}, {"Col", DYAD_ABBR_NOEND},
    {"Maj", DYAD_ABBR_NOEND}, {"Capt", DYAD_ABBR_NOEND}, {"Cmdr", DYAD_ABBR_NOEND},
    {"Cdr", DYAD_ABBR_NOEND}, {"Adm", DYAD_ABBR_NOEND}, {"Sgt", DYAD_ABBR_NOEND},
    {"Cpl", DYAD_ABBR_NOEND}, {"Pvt", DYAD_ABBR_NOEND}, {"Spc", DYAD_ABBR_NOEND},
    {"Brig", DYAD_ABBR_NOEND}, {"Gov", DYAD_ABBR_NOEND}, {"Govs", DYAD_ABBR_NOEND},
    {"Sen", DYAD_ABBR_NOEND}, {"Sens", DYAD_ABBR_NOEND}, {"Rep", DYAD_ABBR_NOEND},
    {"Reps", DYAD_ABBR_NOEND}, {"Rev", DYAD_ABBR_NOEND}, {"Fr", DYAD_ABBR_NOEND},
    {"Hon", DYAD_ABBR_NOEND}, {"Rt", DYAD_ABBR_NOEND}, {"Pres", DYAD_ABBR_NOEND},
    {"Supt", DYAD_ABBR_NOEND}, {"Insp", DYAD_ABBR_NOEND}, {"Det", DYAD_ABBR_NOEND},
    {"Amb", DYAD_ABBR_NOEND}, {"Msgr", DYAD_ABBR_NOEND}, {"Atty", DYAD_ABBR_NOEND},
    {"Sec", DYAD_ABBR_NOEND}, {"Mt", DYAD_ABBR_NOEND}, {"Ft", DYAD_ABBR_NOEND},
    {"Ste", DYAD_ABBR_NOEND},
    /* Latin and reference abbreviations */
    {"vs", DYAD_ABBR_NOEND}, {"Vs", DYAD_ABBR_NOEND}, {"v", DYAD_ABBR_NOEND},
    {"cf", DYAD_ABBR_NOEND}, {"viz", DYAD_ABBR_NOEND}, {"approx", DYAD_ABBR_NOEND},
    {"ca", DYAD_ABBR_NOEND}, {"esp", DYAD_ABBR_NOEND}, {"incl", DYAD_ABBR_NOEND},
    {"ext", DYAD_ABBR_NOEND}, {"etc", DYAD_ABBR_MAYEND}, {"al", DYAD_ABBR_MAYEND},
    {"Fig", DYAD_ABBR_MAYEND}, {"fig", DYAD_ABBR_MAYEND}, {"Vol", DYAD_ABBR_MAYEND},
    {"vol", DYAD_ABBR_MAYEND},
    /* name suffixes and organisations */
    {"Jr", DYAD_ABBR_MAYEND}, {"Sr", DYAD_ABBR_MAYEND}, {"Inc", DYAD_ABBR_MAYEND},
    {"Corp", DYAD_ABBR_MAYEND}, {"Co", DYAD_ABBR_MAYEND}, {"Cos", DYAD_ABBR_MAYEND},
    {"Ltd", DYAD_ABBR_MAYEND}, {"Bros", DYAD_ABBR_MAYEND}, {"Assn", DYAD_ABBR_MAYEND},
    {"Dept", DYAD_ABBR_MAYEND}, {"Univ", DYAD_ABBR_MAYEND}, {"Inst", DYAD_ABBR_MAYEND},
    {"Intl", DYAD_ABBR_MAYEND}, {"Natl", DYAD_ABBR_MAYEND}, {"Govt", DYAD_ABBR_MAYEND},
    /* streets */
    {"St", DYAD_ABBR_MAYEND}, {"Ave", DYAD_ABBR_MAYEND}, {"Blvd", DYAD_ABBR_MAYEND},
    {"Rd", DYAD_ABBR_MAYEND}, {"Hwy", DYAD_ABBR_MAYEND}, {"Sq", DYAD_ABBR_MAYEND},
    /* months (not May, June, July) and days */
    {"Jan", DYAD_ABBR_MAYEND}, {"Feb", DYAD_ABBR_MAYEND}, {"Mar", DYAD_ABBR_MAYEND},
    {"Apr", DYAD_ABBR_MAYEND}, {"Jun", DYAD_ABBR_MAYEND}, {"Jul", DYAD_ABBR_MAYEND},
    {"Aug", DYAD_ABBR_MAYEND}, {"Sep", DYAD_ABBR_MAYEND}, {"Sept", DYAD_ABBR_MAYEND},
    {"Oct", DYAD_ABBR_MAYEND}, {"Nov", DYAD_ABBR_MAYEND}, {"Dec", DYAD_ABBR_MAYEND},
    {"Mon", DYAD_ABBR_MAYEND}, {"Tue", DYAD_ABBR_MAYEND}, {"Tues", DYAD_ABBR_MAYEND},
    {"Wed", DYAD_ABBR_MAYEND}, {"Thu", DYAD_ABBR_MAYEND}, {"Thur", DYAD_ABBR_MAYEND},
    {"Thurs", DYAD_ABBR_MAYEND}, {"Fri", DYAD_ABBR_MAYEND}, {"Sat", DYAD_ABBR_MAYEND},
    {"Sun", DYAD_ABBR_MAYEND},
    /* US states in AP style */
    {"Ala", DYAD_ABBR_MAYEND}, {"Ariz", DYAD_ABBR_MAYEND}, {"Ark", DYAD_ABBR_MAYEND},
    {"Calif", DYAD_ABBR_MAYEND}, {"Colo", DYAD_ABBR_MAYEND}, {"Conn", DYAD_ABBR_MAYEND},
    {"Del", DYAD_ABBR_MAYEND}, {"Fla", DYAD_ABBR_MAYEND}, {"Ga", DYAD_ABBR_MAYEND},
    {"Ill", DYAD_ABBR_MAYEND}, {"Ind", DYAD_ABBR_MAYEND}, {"Kan", DYAD_ABBR_MAYEND},
    {"Kans", DYAD_ABBR_MAYEND}, {"Ky", DYAD_ABBR_MAYEND}, {"La", DYAD_ABBR_MAYEND},
    {"Md", DYAD_ABBR_MAYEND}, {"Mass", DYAD_ABBR_MAYEND}, {"Mich", DYAD_ABBR_MAYEND},
    {"Minn", DYAD_ABBR_MAYEND}, {"Miss", DYAD_ABBR_MAYEND}, {"Mo", DYAD_ABBR_MAYEND},
    {"Mont", DYAD_ABBR_MAYEND}, {"Neb", DYAD_ABBR_MAYEND}, {"Nebr", DYAD_ABBR_MAYEND},
    {"Nev", DYAD_ABBR_MAYEND}, {"Okla", DYAD_ABBR_MAYEND}, {"Ore", DYAD_ABBR_MAYEND},
    {"Oreg", DYAD_ABBR_MAYEND}, {"Pa", DYAD_ABBR_MAYEND}, {"Penn", DYAD_ABBR_MAYEND},
    {"Tenn", DYAD_ABBR_MAYEND}, {"Tex", DYAD_ABBR_MAYEND}, {"Va", DYAD_ABBR_MAYEND},
    {"Vt", DYAD_ABBR_MAYEND}, {"Wash", DYAD_ABBR_MAYEND}, {"Wis", DYAD_ABBR_MAYEND},
    {"Wisc", DYAD_ABBR_MAYEND}, {"Wyo", DYAD_ABBR_MAYEND},
};

/* Bound prefixes kept with their hyphen, as UD English EWT does ("e-mail", "anti-American",
 * "co-operate", "re-elect", "mid-July", "non-violent").  Lower case; matched ignoring case. */
static const char *const prefixes[] = {
    "co", "re", "de", "ex", "un", "bi", "pre", "pro", "non", "mid", "sub", "neo", "tri",
    "geo", "eco", "anti", "post", "semi", "over", "mini", "meta", "inter", "intra", "micro",
    "macro", "multi", "cross", "quasi", "ultra", "socio", "infra", "trans", "extra", "retro",
    "hyper", "under", "cyber", "arch", "pseudo", "psycho", "counter",
};

/* Capitalised words that start sentences (lower case here; matched ignoring case). */
static const char *const starters[] = {
    "a", "an", "the", "i", "he", "she", "it", "we", "you", "they", "this", "that", "these",
    "those", "there", "here", "his", "her", "its", "our", "my", "your", "their", "but", "and",
    "or", "so", "yet", "nor", "in", "on", "at", "for", "with", "by", "from", "as", "if", "when",
    "while", "after", "before", "although", "though", "because", "since", "what", "who", "why",
    "how", "where", "which", "some", "many", "most", "several", "both", "each", "other",
    "others", "another", "meanwhile", "however", "still", "also", "then", "now", "earlier",
    "later", "according", "despite", "during", "no", "not", "all", "every", "such", "few",
    "mr", "mrs", "ms", "one", "two", "three", "to", "of", "about", "among", "asked",
};

/* Lower-case function words: a line ending with one of them is not a title. */
static const char *const function_words[] = {
    "the", "a", "an", "of", "to", "in", "on", "at", "for", "with", "by", "from", "as", "and",
    "or", "but", "nor", "that", "which", "who", "whose", "is", "are", "was", "were", "be",
    "been", "has", "have", "had", "will", "would", "can", "could", "should", "may", "might",
    "must", "than", "into", "onto", "about", "after", "before", "between", "against",
    "through", "during", "without", "within", "upon", "via", "its", "their", "his", "her",
    "our", "my", "your", "this", "these", "those", "said", "says", "not", "also", "if",
};

/* Contractions without an apostrophe and the byte offsets where UD cuts them. */
typedef struct contraction {
    const char *word;
    uint8_t ncuts, cut[2];
} contraction;

static const contraction contractions[] = {
    {"cannot", 1, {3, 0}}, {"gonna", 1, {3, 0}}, {"wanna", 1, {3, 0}}, {"gotta", 1, {3, 0}},
    {"outta", 1, {3, 0}}, {"gimme", 1, {3, 0}}, {"lemme", 1, {3, 0}}, {"dunno", 2, {2, 3}},
    {"dont", 1, {2, 0}}, {"doesnt", 1, {4, 0}}, {"didnt", 1, {3, 0}}, {"isnt", 1, {2, 0}},
    {"wasnt", 1, {3, 0}}, {"arent", 1, {3, 0}}, {"werent", 1, {4, 0}}, {"havent", 1, {4, 0}},
    {"hasnt", 1, {3, 0}}, {"hadnt", 1, {3, 0}}, {"couldnt", 1, {5, 0}},
    {"wouldnt", 1, {5, 0}}, {"shouldnt", 1, {6, 0}}, {"wont", 1, {2, 0}}, {"cant", 1, {2, 0}},
    {"aint", 1, {2, 0}}, {"youre", 1, {3, 0}}, {"theyre", 1, {4, 0}}, {"thats", 1, {4, 0}},
    {"whats", 1, {4, 0}}, {"theres", 1, {5, 0}},
};

#define COUNT(a) (sizeof(a) / sizeof *(a))

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* s[0,n) equals the lower-case word w, ignoring ASCII case. */
static bool eq_nocase(const char *s, size_t n, const char *w)
{
    size_t i = 0;
    for (; i < n; i++)
        if (!w[i] || lower((unsigned char)s[i]) != w[i])
            return false;
    return w[i] == '\0';
}

static bool in_list(const char *const *list, size_t count, const char *s, size_t n)
{
    for (size_t i = 0; i < count; i++)
        if (eq_nocase(s, n, list[i]))
            return true;
    return false;
}

static bool is_alpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* "U.S", "a.m", "Ph.D", "a.k.a": two or more runs of one or two letters joined by periods. */
static bool dotted(const char *s, size_t n)
{
    size_t run = 0, runs = 0;
    for (size_t i = 0; i < n; i++) {
        int c = (unsigned char)s[i];
        if (is_alpha(c)) {
            if (++run > 2)
                return false;
        } else if (c == '.' && run) {
            runs++;
            run = 0;
        } else {
            return false;
        }
    }
    return run && runs >= 1;
}

int dyad__abbrev_class(const char *s, size_t n, bool next_is_digit)
{
    if (n == 0 || n > 8)
        return DYAD_ABBR_NONE;
    if (n == 1 && s[0] >= 'A' && s[0] <= 'Z')
        return DYAD_ABBR_MAYEND;                  /* an initial: "J. Smith" */
    if (dotted(s, n)) {
        if (eq_nocase(s, n, "e.g") || eq_nocase(s, n, "i.e"))
            return DYAD_ABBR_NOEND;
        return DYAD_ABBR_MAYEND;
    }
    if (eq_nocase(s, n, "no") || eq_nocase(s, n, "nos") || (n == 3 && memcmp(s, "Art", 3) == 0))
        return next_is_digit ? DYAD_ABBR_NOEND : DYAD_ABBR_NONE;
    for (size_t i = 0; i < COUNT(abbrevs); i++)
        if (strlen(abbrevs[i].word) == n && memcmp(abbrevs[i].word, s, n) == 0)
            return abbrevs[i].cls;
    return DYAD_ABBR_NONE;
}

bool dyad__hyphen_prefix(const char *s, size_t n)
{
    if (n == 0 || n > 7)
        return false;
    if (n == 1)     /* only "e-mail", "e-commerce" */
        return s[0] == 'e' || s[0] == 'E';
    return in_list(prefixes, COUNT(prefixes), s, n);
}

bool dyad__sentence_starter(const char *s, size_t n)
{
    if (n == 0 || n > 10 || !(s[0] >= 'A' && s[0] <= 'Z'))
        return false;
    return in_list(starters, COUNT(starters), s, n);
}

bool dyad__function_word(const char *s, size_t n)
{
    if (n == 0 || n > 8 || !(s[0] >= 'a' && s[0] <= 'z'))
        return false;
    return in_list(function_words, COUNT(function_words), s, n);
}

int dyad__contraction_cuts(const char *s, size_t n, uint8_t cuts[2])
{
    if (n == 2 && (s[0] == 'i' || s[0] == 'I') && s[1] == 'm') {
        cuts[0] = 1;                              /* "im" -> i m, but not "IM" */
        return 1;
    }
    if (n < 4 || n > 8)
        return 0;
    for (size_t i = 0; i < COUNT(contractions); i++) {
        const contraction *c = &contractions[i];
        if (eq_nocase(s, n, c->word)) {
            cuts[0] = c->cut[0];
            cuts[1] = c->cut[1];
            return c->ncuts;
        }
    }
    return 0;
}
