/* petrarch.c - the linear coder: TABARI / PETRARCH-1 verb patterns matched as word sequences. */
#include "petrarch.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

/* A sentence is read as a sequence of words (punctuation other than commas dropped, the
 * possessive 's folded into the word before it, "Dol_Amroth" split in two).  Dictionary
 * actors and agents are found on it (longest match), words are classed (determiners,
 * prepositions, function words, verbs), runs of nominal words become noun phrases, noun
 * phrases joined by "of" / "in" / "from" or listed with commas and a conjunction become
 * actor groups, comma-delimited clauses are dropped by length, and the rest is cut into
 * clauses at conjunctions that join verbs.  In each clause the verbs are tried left to
 * right; the first that yields an event ends the clause (TABARI's "code by clause"). */

#define MAX_WORDS 1024
#define MAX_CODES 8         /* actor codes of one noun phrase (coded compounds) */
#define MAX_AGENTS 8
#define MAX_EVENTS 256      /* events of one sentence */
#define MAX_HITS 8

enum {
    W_COMMA = 1u << 0,
    W_HARD = 1u << 1,       /* ';', ':' or '--': a clause boundary */
    W_CONJ = 1u << 2,       /* and, or, but, nor */
    W_POSS = 1u << 3,       /* followed by 's */
    W_CAP = 1u << 4,        /* capitalised, not the first word */
    W_DET = 1u << 5,
    W_NUM = 1u << 6,
    W_PREP = 1u << 7,
    W_STOP = 1u << 8,       /* function word: auxiliaries, modals, pronouns, wh-words */
    W_ADV = 1u << 9,
    W_VERB = 1u << 10,      /* a dictionary verb used as a verb */
    W_NOMINAL = 1u << 11,
    W_SPACE = 1u << 12,     /* starts a new written word (whitespace before it) */
    W_LIST = 1u << 13,      /* a comma or conjunction inside an actor list */
    W_DEL = 1u << 14,       /* inside a dropped comma-delimited clause */
    W_INNER = 1u << 15      /* a comma inside a noun phrase ("complete, full ties") */
};

enum { MK_ACTOR = 1, MK_AGENT, MK_NULL };

typedef struct word {
    dyad_slice form;
    uint32_t tok;           /* index of the token in the document */
    uint32_t flags;
    uint16_t upos;
    int32_t ment;           /* mention covering the word, or -1 */
    int32_t chunk;          /* noun phrase (then actor group) covering the word, or -1 */
    int32_t clause;         /* clause, or -1 when dropped */
} word;

typedef struct ment {
    uint32_t start, len;
    int kind;
    uint16_t flags;
    dyad_slice code;
} ment;

/* A noun phrase as actor material. */
typedef struct np {
    uint32_t start, end;
    uint32_t nact, nag;
    dyad_slice act[MAX_CODES];
    dyad_slice ag[MAX_AGENTS];
    unsigned char agpre[MAX_AGENTS];
    bool former;
} np;

/* One actor of a group: its code (NULL: a noun phrase that names no actor) and its words. */
typedef struct member {
    const char *code;
    uint32_t start, end;
} member;

/* What a pattern or the default rules bind: one actor, or a compound. */
typedef struct group {
    uint32_t start, end;
    uint32_t m0, nm;
    bool coded;
} group;

typedef struct vcand {
    uint32_t start, end;    /* words of the verb (with a multi-word verb's other words) */
    uint32_t head;          /* the verb word itself */
    uint32_t verb;          /* dictionary verb record */
    dyad_slice key;
    dyad_slice code;
    uint16_t cflags;
} vcand;

typedef struct ev {
    const char *src, *tgt;
    char code[8];
    bool subord;
    uint32_t vstart, vend;
    uint32_t pattern;       /* UINT32_MAX: the verb's own code */
} ev;

typedef struct sent {
    const dyad_dict *d;
    dyad_doc *doc;
    const dyad_linear_opts *o;
    const dyad_token *toks;     /* the sentence's tokens */
    uint32_t sidx;
    bool parsed;
    word *w;
    dyad_token *wt;             /* word forms as tokens, for dictionary look-ups */
    dyad_token *wt_up;          /* the same in upper case (set members written in capitals) */
    uint32_t n;
    ment *m;
    uint32_t nm;
    np *nps;
    uint32_t nnp, cap_np;
    member *mem;
    uint32_t nmem, cap_mem;
    group *g;
    uint32_t ng, cap_g;
    vcand *vc;
    uint32_t nvc;
    ev *ev;
    uint32_t nev;
    bool discard;
    uint64_t forms[16];         /* a 1024-bit summary of the words' forms (word_bit) */
    char line[512];
} sent;

/* ---------------------------------------------------------------- small helpers */

static void trace(sent *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void trace(sent *s, const char *fmt, ...)
{
    if (!s->o->trace)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->line, sizeof s->line, fmt, ap);
    va_end(ap);
    s->o->trace(s->o->trace_ctx, s->line);
}

static char lc(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* Case-insensitive equality of a word and a lower-case string; trailing hyphens ignored. */
static bool weq(dyad_slice a, const char *b, size_t nb)
{
    size_t na = a.len;
    while (na && a.ptr[na - 1] == '-')
        na--;
    while (nb && b[nb - 1] == '-')
        nb--;
    if (na != nb)
        return false;
    for (size_t i = 0; i < na; i++)
        if (lc(a.ptr[i]) != lc(b[i]))
            return false;
    return true;
}

static bool wis(dyad_slice a, const char *b)
{
    return weq(a, b, strlen(b));
}

/* The bit of a word in sent.forms: its letters folded as weq folds them, trailing hyphens
 * dropped, so that words weq finds equal share their bit. */
static unsigned word_bit(const char *w, size_t n)
{
    while (n && w[n - 1] == '-')
        n--;
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)lc(w[i])) * 16777619u;
    return (h ^ (h >> 10) ^ (h >> 20)) & 1023u;
}

/* Every word of every sentence is looked up in these lists: the first letter rules most
 * entries out before their length is taken. */
static bool in_list(dyad_slice w, const char *const *list)
{
    if (!w.len)
        return false;
    char c0 = lc(w.ptr[0]);
    for (size_t i = 0; list[i]; i++)
        if (lc(list[i][0]) == c0 && wis(w, list[i]))
            return true;
    return false;
}

static const char *const determiners[] = {
    "a", "an", "the", "this", "these", "those", "its", "his", "her", "their", "our", "my",
    "your", "some", "all", "any", "each", "every", "both", "no", "another", "several",
    "many", "much", "few", "such", "neither", "either", "one", "two", "three", "four",
    "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "hundred",
    "thousand", "million", "billion", NULL};

static const char *const prepositions[] = {
    "of", "in", "on", "at", "by", "for", "with", "from", "into", "against", "about", "over",
    "after", "before", "during", "since", "until", "near", "between", "among", "through",
    "towards", "toward", "under", "without", "within", "across", "along", "around", "behind",
    "beyond", "despite", "upon", "per", "via", "amid", "onto", "off", "like", NULL};

static const char *const function_words[] = {
    "is", "are", "was", "were", "be", "been", "being", "am", "has", "have", "had", "having",
    "will", "would", "shall", "should", "can", "could", "may", "might", "must", "do",
    "does", "did", "not", "n't", "to", "that", "which", "who", "whom", "whose", "what",
    "when", "where", "while", "whether", "as", "than", "if", "because", "so", "also",
    "again", "now", "then", "very", "just", "still", "even", "ever", "never", "already",
    "yet", "almost", "only", "it", "he", "she", "they", "we", "i", "you", "him", "them",
    "us", "me", "there", "here", "today", "yesterday", "tomorrow", "tonight", "ca", "wo",
    "'s", "s", "according", "less", "more", "most", "nearer", "closer", "too", "ago",
    "reportedly", "once", "twice", "how", "why", "unless", "though", "although", "whereas",
    NULL};

static const char *const aux_words[] = {
    "is", "are", "was", "were", "be", "been", "being", "am", "has", "have", "had", "will",
    "would", "shall", "should", "can", "could", "may", "might", "must", "do", "does", "did",
    "wo", "ca", "'d", "'ll", NULL};

static const char *const conjunctions[] = {"and", "or", "but", "nor", NULL};

static bool is_punct_token(dyad_slice f)
{
    for (size_t i = 0; i < f.len; i++) {
        unsigned char c = (unsigned char)f.ptr[i];
        if (isalnum(c) || c >= 0x80 || c == '&')
            return false;
    }
    return true;
}

static bool is_possessive(dyad_slice f)
{
    return wis(f, "'s") || wis(f, "'") || wis(f, "\xe2\x80\x99s") || wis(f, "\xe2\x80\x99");
}

static bool all_digits(dyad_slice f)
{
    bool any = false;
    for (size_t i = 0; i < f.len; i++) {
        unsigned char c = (unsigned char)f.ptr[i];
        if (isdigit(c))
            any = true;
        else if (c != ',' && c != '.' && c != '-')
            return false;
    }
    return any;
}

static void *salloc(sent *s, size_t n)
{
    void *p = dyad__arena_alloc(&s->doc->arena, n ? n : 1);
    if (p)
        memset(p, 0, n ? n : 1);
    return p;
}

/* Grow an arena array (old contents copied). */
static bool agrow(sent *s, void **arr, uint32_t *cap, uint32_t need, size_t elem)
{
    if (need <= *cap)
        return true;
    uint32_t nc = *cap ? *cap * 2 : 16;
    while (nc < need)
        nc *= 2;
    void *p = salloc(s, (size_t)nc * elem);
    if (!p)
        return false;
    if (*arr && *cap)
        memcpy(p, *arr, (size_t)*cap * elem);
    *arr = p;
    *cap = nc;
    return true;
}

/* ---------------------------------------------------------------- words */

/* Without a lemmatiser: the singular of a lower-case regular plural ("soldiers"), so that
 * dictionary phrases match their plurals. */
static dyad_slice naive_singular(sent *s, dyad_slice f)
{
    size_t n = f.len;
    if (n < 4 || f.ptr[n - 1] != 's' || f.ptr[n - 2] == 's' || f.ptr[n - 2] == '\'' ||
        !(f.ptr[1] >= 'a' && f.ptr[1] <= 'z'))
        return dyad__slice(f.ptr, 0);
    char b[64];
    if (n >= sizeof b)
        return dyad__slice(f.ptr, 0);
    size_t m;
    if (n > 4 && f.ptr[n - 3] == 'i' && f.ptr[n - 2] == 'e') {
        memcpy(b, f.ptr, n - 3);
        b[n - 3] = 'y';
        m = n - 2;
    } else if (n > 4 && f.ptr[n - 2] == 'e' &&
               (f.ptr[n - 3] == 's' || f.ptr[n - 3] == 'x' || f.ptr[n - 3] == 'z' ||
                (f.ptr[n - 3] == 'h' && (f.ptr[n - 4] == 'c' || f.ptr[n - 4] == 's')))) {
        m = n - 2;
        memcpy(b, f.ptr, m);
    } else {
        m = n - 1;
        memcpy(b, f.ptr, m);
    }
    char *c = dyad__arena_strdup(&s->doc->arena, b, m);
    return c ? dyad__slice(c, m) : dyad__slice(f.ptr, 0);
}

static const char *const adjectives[] = {
    "evil", "good", "bad", "new", "old", "big", "small", "great", "cool", "hot", "awful",
    "major", "minor", "senior", "junior", "top", "main", "key", "local", "foreign", "joint",
    "formal", "full", "brief", "private", "public", "recent", "former", "further", NULL};

/* Does the word look like an adjective (tags, else a few endings and words)? */
static bool adjective_like(const sent *s, uint32_t i)
{
    const word *w = &s->w[i];
    if (w->ment >= 0)
        return false;
    if (s->parsed && w->upos)
        return w->upos == DYAD_UPOS_ADJ;
    dyad_slice f = w->form;
    if (!f.len || !(f.ptr[0] >= 'a' && f.ptr[0] <= 'z'))
        return false;
    if (in_list(f, adjectives))
        return true;
    static const char *const ends[] = {"ful", "ous", "ive", "less", "able", "ible", "ic",
                                       "ish", NULL};
    for (size_t k = 0; ends[k]; k++) {
        size_t l = strlen(ends[k]);
        if (f.len > l + 2 && weq(dyad__slice(f.ptr + f.len - l, l), ends[k], l))
            return true;
    }
    return false;
}

static bool build_words(sent *s, const dyad_sentence *se)
{
    const dyad_token *t = s->doc->tokens + se->first;
    s->toks = t;
    uint32_t cap = se->ntokens * 2 + 4;
    if (cap > MAX_WORDS)
        cap = MAX_WORDS;
    s->w = salloc(s, cap * sizeof *s->w);
    s->wt = salloc(s, cap * sizeof *s->wt);
    if (!s->w || !s->wt)
        return false;
    s->n = 0;
    bool space_before = true;
    for (uint32_t i = 0; i < se->ntokens && s->n + 2 < cap; i++) {
        dyad_slice f = t[i].form;
        bool sp = space_before;
        space_before = (t[i].flags & DYAD_TOK_SPACE_AFTER) != 0;
        if (t[i].upos)
            s->parsed = true;
        if (is_possessive(f) && s->n) {
            s->w[s->n - 1].flags |= W_POSS;
            continue;
        }
        uint32_t fl = 0;
        if (f.len == 1 && f.ptr[0] == ',')
            fl = W_COMMA;
        else if (f.len == 1 && (f.ptr[0] == ';' || f.ptr[0] == ':'))
            fl = W_HARD;
        else if (is_punct_token(f)) {
            if (f.len == 2 && f.ptr[0] == '-' && f.ptr[1] == '-')
                fl = W_HARD;
            else
                continue;
        }
        /* split at underscores */
        size_t a = 0;
        while (a <= f.len && s->n + 1 < cap) {
            size_t b = a;
            while (b < f.len && f.ptr[b] != '_')
                b++;
            if (b > a || f.len == 0) {
                word *w = &s->w[s->n];
                memset(w, 0, sizeof *w);
                w->form = dyad__slice(f.ptr + a, b - a);
                w->tok = se->first + i;
                w->flags = fl | (sp ? W_SPACE : 0);
                w->upos = t[i].upos;
                w->ment = w->chunk = -1;
                dyad_token *x = &s->wt[s->n];
                memset(x, 0, sizeof *x);
                x->form = w->form;
                x->upos = t[i].upos;
                x->head = -1;
                if (a == 0 && b == f.len)
                    x->lemma = t[i].lemma;
                if (!x->lemma.len)
                    x->lemma = naive_singular(s, x->form);
                s->n++;
                sp = false;
            }
            if (b >= f.len)
                break;
            a = b + 1;
        }
    }
    /* upper-case forms: the dictionaries write function words in capitals ("ON") */
    s->wt_up = salloc(s, (s->n + 1) * sizeof *s->wt_up);
    for (uint32_t i = 0; s->wt_up && i < s->n; i++) {
        s->wt_up[i] = s->wt[i];
        dyad_slice f = s->wt[i].form;
        char *u = dyad__arena_strdup(&s->doc->arena, f.ptr, f.len);
        if (!u)
            break;
        for (size_t k = 0; k < f.len; k++)
            if (u[k] >= 'a' && u[k] <= 'z')
                u[k] = (char)(u[k] - 'a' + 'A');
        s->wt_up[i].form = dyad__slice(u, f.len);
        s->wt_up[i].lemma = dyad__slice(u, 0);
    }
    /* classes */
    for (uint32_t i = 0; i < s->n; i++) {
        word *w = &s->w[i];
        if (w->flags & (W_COMMA | W_HARD))
            continue;
        dyad_slice f = w->form;
        if (in_list(f, conjunctions))
            w->flags |= W_CONJ;
        else if (in_list(f, determiners))
            w->flags |= W_DET;
        else if (all_digits(f))
            w->flags |= W_NUM;
        else if (in_list(f, prepositions))
            w->flags |= W_PREP;
        else if (in_list(f, function_words))
            w->flags |= W_STOP;
        else if (f.len > 4 && wis(dyad__slice(f.ptr + f.len - 2, 2), "ly") &&
                 !(f.ptr[0] >= 'A' && f.ptr[0] <= 'Z'))
            w->flags |= W_ADV;
        if (i > 0 && f.len && f.ptr[0] >= 'A' && f.ptr[0] <= 'Z' &&
            !(w->flags & (W_CONJ | W_DET | W_PREP | W_STOP)))
            w->flags |= W_CAP;
        if (s->parsed) {
            if (w->upos == DYAD_UPOS_ADV && !(w->flags & (W_DET | W_PREP | W_CONJ)))
                w->flags |= W_ADV;
        }
    }
    /* an all-capitals sentence has no capitalisation to go by */
    uint32_t lower = 0;
    for (uint32_t i = 0; i < s->n; i++)
        for (size_t k = 0; k < s->w[i].form.len; k++)
            if (s->w[i].form.ptr[k] >= 'a' && s->w[i].form.ptr[k] <= 'z')
                lower++;
    if (!lower)
        for (uint32_t i = 0; i < s->n; i++)
            s->w[i].flags &= ~(uint32_t)W_CAP;
    return true;
}

/* ---------------------------------------------------------------- actors, agents, discards */

/* Names written with blanks ("ITHILEN TELEVISION") allow other words between their words:
 * "Ithilen state-run television".  Returns the words covered by a longer such match at i
 * than len, with the hit, or 0. */
static uint32_t gapped_match(sent *s, uint32_t i, uint32_t len, dyad__dict_hit *out)
{
    dyad_token tmp[16];
    dyad__dict_hit hits[MAX_HITS];
    if (len > 8)
        return 0;
    for (uint32_t skip = 1; skip <= 3; skip++) {
        uint32_t j = i + len + skip;
        if (j >= s->n)
            return 0;
        const word *w = &s->w[j - 1];
        if ((w->flags & (W_COMMA | W_HARD | W_DET | W_PREP | W_CONJ | W_STOP)) ||
            (w->flags & W_CAP))
            return 0;
        uint32_t nt = 0;
        for (uint32_t k = i; k < i + len; k++)
            tmp[nt++] = s->wt[k];
        for (uint32_t k = j; k < s->n && nt < 16; k++)
            tmp[nt++] = s->wt[k];
        size_t nh = dyad__dict_lookup(s->d, tmp, nt, 0, s->doc->date, hits, MAX_HITS);
        for (size_t h = 0; h < nh; h++) {
            if (hits[h].ntokens <= len ||
                (hits[h].kind != DYAD__DK_PACTOR && hits[h].kind != DYAD__DK_PAGENT))
                continue;
            dyad__entry en;
            if (!dyad__dict_entry(s->d, hits[h].entry, &en) || !memchr(en.name.ptr, ' ', en.name.len))
                continue;
            *out = hits[h];
            return j + (hits[h].ntokens - len) - i;
        }
    }
    return 0;
}

static void find_mentions(sent *s)
{
    s->m = salloc(s, (s->n + 1) * sizeof *s->m);
    s->nm = 0;
    if (!s->m)
        return;
    dyad__dict_hit hits[MAX_HITS];
    dyad_slice date = s->doc->date;
    for (uint32_t i = 0; i < s->n;) {
        if (s->w[i].flags & (W_COMMA | W_HARD)) {
            i++;
            continue;
        }
        size_t nh = dyad__dict_lookup(s->d, s->wt, s->n, i, date, hits, MAX_HITS);
        const dyad__dict_hit *best = NULL;
        for (size_t k = 0; k < nh; k++) {
            const dyad__dict_hit *h = &hits[k];
            if (h->kind == DYAD__DK_DISCARD) {
                s->discard = true;
                trace(s, "discard: %.*s", (int)h->name.len, h->name.ptr);
                return;
            }
            if (h->kind != DYAD__DK_PACTOR && h->kind != DYAD__DK_PAGENT)
                continue;
            if (!best || (best->kind == DYAD__DK_PAGENT && h->kind == DYAD__DK_PACTOR))
                best = h;
        }
        if (!best) {
            i++;
            continue;
        }
        uint32_t len = best->ntokens ? best->ntokens : 1;
        dyad__dict_hit gap_hit;
        uint32_t gap_len = gapped_match(s, i, len, &gap_hit);
        if (gap_len > len) {
            hits[0] = gap_hit;
            best = &hits[0];
            len = gap_len;
        }
        /* commas cannot be inside a name */
        for (uint32_t k = 1; k < len; k++)
            if (s->w[i + k].flags & (W_COMMA | W_HARD)) {
                len = k;
                break;
            }
        ment *m = &s->m[s->nm];
        m->start = i;
        m->len = len;
        m->flags = best->flags;
        m->code = best->code;
        if (best->kind == DYAD__DK_PAGENT)
            m->kind = MK_AGENT;
        else if ((best->flags & (DYAD__DF_NULL | DYAD__DF_DISCARD | DYAD__DF_COMPLEX)) ||
                 !best->code.len)
            m->kind = MK_NULL;
        else
            m->kind = MK_ACTOR;
        for (uint32_t k = 0; k < len; k++)
            s->w[i + k].ment = (int32_t)s->nm;
        trace(s, "mention %u-%u %s [%.*s]", i, i + len,
              m->kind == MK_ACTOR ? "actor" : m->kind == MK_AGENT ? "agent" : "null",
              (int)m->code.len, m->code.ptr);
        s->nm++;
        i += len;
    }
}

/* ---------------------------------------------------------------- verbs */

/* Regular forms of a verb: 3rd person, past, -ing (TABARI / PETRARCH rules, no doubling). */
static bool regular_form(dyad_slice key, dyad_slice form)
{
    char b[64];
    size_t n = key.len;
    if (n == 0 || n + 6 >= sizeof b)
        return false;
    for (size_t i = 0; i < n; i++)
        b[i] = lc(key.ptr[i]);
    char last = b[n - 1], prev = n > 1 ? b[n - 2] : 0;
    bool vowel_prev = prev == 'a' || prev == 'e' || prev == 'i' || prev == 'o' || prev == 'u';
    char out[72];
    /* -s */
    if (last == 's' || last == 'x' || last == 'z' || (last == 'h' && (prev == 'c' || prev == 's')))
        snprintf(out, sizeof out, "%.*ses", (int)n, b);
    else if (last == 'y' && !vowel_prev)
        snprintf(out, sizeof out, "%.*sies", (int)n - 1, b);
    else
        snprintf(out, sizeof out, "%.*ss", (int)n, b);
    if (wis(form, out))
        return true;
    /* -ed */
    if (last == 'e')
        snprintf(out, sizeof out, "%.*sd", (int)n, b);
    else if (last == 'y' && !vowel_prev)
        snprintf(out, sizeof out, "%.*sied", (int)n - 1, b);
    else
        snprintf(out, sizeof out, "%.*sed", (int)n, b);
    if (wis(form, out))
        return true;
    /* -ing */
    if (last == 'e' && prev == 'i')
        snprintf(out, sizeof out, "%.*sying", (int)n - 2, b);
    else if (last == 'e' && prev != 'e' && prev != 'o' && prev != 'y')
        snprintf(out, sizeof out, "%.*sing", (int)n - 1, b);
    else
        snprintf(out, sizeof out, "%.*sing", (int)n, b);
    return wis(form, out);
}

/* Do the words at i (forward) spell the words of phrase p (blank-separated)? Returns the
 * number of words matched or 0. */
static uint32_t words_at(const sent *s, uint32_t i, dyad_slice p, bool backward)
{
    /* split p */
    const char *ws[8];
    size_t wl[8];
    size_t nw = 0;
    for (size_t a = 0; a < p.len && nw < 8;) {
        while (a < p.len && p.ptr[a] == ' ')
            a++;
        size_t b = a;
        while (b < p.len && p.ptr[b] != ' ')
            b++;
        if (b > a) {
            ws[nw] = p.ptr + a;
            wl[nw] = b - a;
            nw++;
        }
        a = b;
    }
    if (!nw)
        return 0;
    for (size_t k = 0; k < nw; k++) {
        int64_t pos = backward ? (int64_t)i - (int64_t)nw + (int64_t)k : (int64_t)i + (int64_t)k;
        if (pos < 0 || pos >= (int64_t)s->n)
            return 0;
        const word *w = &s->w[pos];
        if (w->flags & (W_COMMA | W_HARD))
            return 0;
        if (!weq(w->form, ws[k], wl[k]))
            return 0;
    }
    return (uint32_t)nw;
}

/* The dictionary verb the word at i is a form of (with its multi-word parts), if any. */
static bool verb_at(sent *s, uint32_t i, vcand *out)
{
    const word *w = &s->w[i];
    dyad_slice f = w->form;
    if (f.len < 2 || f.len > 40)
        return false;
    /* the form itself, then the stems its regular endings may have been added to */
    char cand[8][48];
    size_t nc = 0;
    char low[48];
    size_t n = f.len;
    for (size_t k = 0; k < n; k++)
        low[k] = lc(f.ptr[k]);
    low[n] = 0;
    snprintf(cand[nc++], sizeof cand[0], "%s", low);
    if (n > 3 && low[n - 1] == 's')                                     /* -s */
        snprintf(cand[nc++], sizeof cand[0], "%.*s", (int)n - 1, low);
    if (n > 4 && low[n - 2] == 'e' && (low[n - 1] == 's' || low[n - 1] == 'd'))
        snprintf(cand[nc++], sizeof cand[0], "%.*s", (int)n - 2, low); /* -es, -ed */
    if (n > 5 && low[n - 3] == 'i' && low[n - 2] == 'e')                /* -ies, -ied */
        snprintf(cand[nc++], sizeof cand[0], "%.*sy", (int)n - 3, low);
    if (n > 3 && low[n - 1] == 'd' && low[n - 2] == 'e')                /* -d */
        snprintf(cand[nc++], sizeof cand[0], "%.*s", (int)n - 1, low);
    if (n > 5 && strcmp(low + n - 3, "ing") == 0) {                     /* -ing */
        snprintf(cand[nc++], sizeof cand[0], "%.*s", (int)n - 3, low);
        snprintf(cand[nc++], sizeof cand[0], "%.*se", (int)n - 3, low);
    }
    bool found = false;
    uint32_t best_len = 0;
    for (size_t c = 0; c < nc; c++) {
        dyad_slice key = dyad__cstr(cand[c]);
        const uint32_t *idx;
        size_t nv = dyad__dict_verbs(s->d, key, &idx);
        for (size_t k = 0; k < nv; k++) {
            dyad__verb v;
            if (!dyad__dict_verb(s->d, idx[k], &v))
                continue;
            if (c > 0 && !regular_form(v.key, f))
                continue;
            if (c == 0 && !wis(f, cand[0]))
                continue;
            uint32_t before = 0, after = 0;
            if (v.pre.len) {
                before = words_at(s, i, v.pre, true);
                if (!before)
                    continue;
            }
            if (v.particle.len) {
                after = words_at(s, i + 1, v.particle, false);
                if (!after)
                    continue;
            }
            uint32_t len = 1 + before + after;
            if (!found || len >= best_len) {
                found = true;
                best_len = len;
                out->start = i - before;
                out->end = i + 1 + after;
                out->head = i;
                out->verb = idx[k];
                out->key = v.key;
                out->code = v.code;
                out->cflags = v.flags;
            }
        }
    }
    return found;
}

/* Is the dictionary verb at i used as a noun?  With tags: anything but VERB.  Without: the
 * TABARI rules (after a determiner, capitalised inside the sentence) and the end of a noun
 * phrase opened by a determiner. */
static bool used_as_noun(const sent *s, const vcand *v, bool det_chunk)
{
    uint32_t i = v->head, end = v->end;
    const word *w = &s->w[i];
    if (s->parsed && w->upos) {
        /* the tags decide; a multi-word verb needs one of its words tagged VERB */
        for (uint32_t k = v->start; k < v->end; k++)
            if (s->w[k].upos == DYAD_UPOS_VERB)
                return false;
        if (w->upos != DYAD_UPOS_NOUN && w->upos != DYAD_UPOS_ADJ)
            return true;
        /* a verb the tagger took for a noun or an adjective: after "to", an auxiliary or a
         * negation ("was shot"), or right after a subject that names an actor ("Ethiopia act
         * on a resolution") */
        if (i > 0) {
            const word *p = &s->w[i - 1];
            if (wis(p->form, "to") || wis(p->form, "not") || wis(p->form, "n't") ||
                in_list(p->form, aux_words))
                return false;
            if (p->ment >= 0 && s->m[p->ment].kind == MK_ACTOR && !det_chunk &&
                !(p->flags & W_POSS))
                return false;
        }
        return true;
    }
    if (w->flags & W_CAP)
        return true;
    if (i > 0) {
        const word *p = &s->w[i - 1];
        if ((p->flags & (W_DET | W_NUM)) || (p->flags & W_POSS))
            return true;
    }
    /* "an anti- Gondor parade on Saturday": the last word of a noun phrase opened by a
     * determiner, unless a head noun (an agent, a name) came just before it */
    if (det_chunk && i > 0) {
        const word *p = &s->w[i - 1];
        bool head_before = (p->ment >= 0 && s->m[p->ment].kind == MK_AGENT) ||
                           (p->ment < 0 && (p->flags & W_CAP));
        if (!head_before) {
            if (end >= s->n)
                return true;
            const word *nx = &s->w[end];
            if (nx->flags & (W_PREP | W_COMMA | W_HARD | W_CONJ))
                return true;
        }
    }
    return false;
}

static void find_verbs(sent *s)
{
    s->vc = salloc(s, (s->n + 1) * sizeof *s->vc);
    s->nvc = 0;
    if (!s->vc)
        return;
    bool in_chunk = false, det_chunk = false;
    for (uint32_t i = 0; i < s->n; i++) {
        word *w = &s->w[i];
        if (w->ment >= 0) {
            w->flags |= W_NOMINAL;
            if (!in_chunk)
                det_chunk = false;
            in_chunk = true;
            continue;
        }
        if (w->flags & (W_COMMA | W_HARD | W_CONJ | W_PREP | W_STOP | W_ADV)) {
            in_chunk = det_chunk = false;
            continue;
        }
        if (w->flags & (W_DET | W_NUM)) {
            w->flags |= W_NOMINAL;
            if (!in_chunk || (w->flags & W_DET))
                det_chunk = true;
            in_chunk = true;
            continue;
        }
        vcand v;
        if (verb_at(s, i, &v) && !used_as_noun(s, &v, in_chunk && det_chunk)) {
            bool free_words = true;
            for (uint32_t k = v.start; k < v.end; k++)
                if (s->w[k].ment >= 0 && k != i)
                    free_words = false;
            if (free_words) {
                s->vc[s->nvc++] = v;
                for (uint32_t k = v.start; k < v.end; k++) {
                    s->w[k].flags |= W_VERB;
                    s->w[k].flags &= ~(uint32_t)W_NOMINAL;
                }
                trace(s, "verb %u-%u %.*s [%.*s]", v.start, v.end, (int)v.key.len, v.key.ptr,
                      (int)v.code.len, v.code.ptr);
                in_chunk = det_chunk = false;
                i = v.end - 1;
                continue;
            }
        }
        if (s->parsed && w->upos && w->upos != DYAD_UPOS_NOUN && w->upos != DYAD_UPOS_PROPN &&
            w->upos != DYAD_UPOS_ADJ && w->upos != DYAD_UPOS_NUM && w->upos != DYAD_UPOS_DET &&
            w->upos != DYAD_UPOS_X && !(w->flags & W_CAP)) {
            in_chunk = det_chunk = false;
            continue;
        }
        w->flags |= W_NOMINAL;
        if (!in_chunk)
            det_chunk = false;
        in_chunk = true;
    }
}

/* ---------------------------------------------------------------- noun phrases and groups */

static bool np_has_actor(const np *p)
{
    return p->nact > 0;
}

static bool np_coded(const np *p)
{
    return p->nact > 0 || p->nag > 0;
}

static int32_t new_np(sent *s)
{
    if (!agrow(s, (void **)&s->nps, &s->cap_np, s->nnp + 1, sizeof *s->nps))
        return -1;
    memset(&s->nps[s->nnp], 0, sizeof s->nps[0]);
    return (int32_t)s->nnp++;
}

static void np_add_codes(np *p, const ment *m)
{
    if (m->kind == MK_ACTOR) {
        dyad_slice c = m->code;
        for (size_t a = 0; a < c.len && p->nact < MAX_CODES;) {
            size_t b = a;
            while (b < c.len && c.ptr[b] != '/')
                b++;
            if (b > a)
                p->act[p->nact++] = dyad__slice(c.ptr + a, b - a);
            a = b + 1;
        }
    } else if (m->kind == MK_AGENT && p->nag < MAX_AGENTS) {
        dyad_slice c = m->code;
        while (c.len && (c.ptr[0] == '~' || c.ptr[0] == ' ')) {
            c.ptr++;
            c.len--;
        }
        while (c.len && (c.ptr[c.len - 1] == '~' || c.ptr[c.len - 1] == ' '))
            c.len--;
        p->agpre[p->nag] = (m->flags & DYAD__DF_PREFIX) != 0;
        p->ag[p->nag++] = c;
    }
}

/* Chunks: maximal runs of nominal words; a determiner opens a new one. */
static void find_chunks(sent *s)
{
    int32_t cur = -1;
    for (uint32_t i = 0; i < s->n; i++) {
        word *w = &s->w[i];
        bool nominal = (w->flags & W_NOMINAL) != 0;
        if (!nominal) {
            cur = -1;
            continue;
        }
        bool opens = (w->flags & W_DET) && !(w->ment >= 0);
        if (cur >= 0 && w->ment >= 0 && i > 0 && s->w[i - 1].ment == w->ment) {
            /* inside the same mention */
        } else if (cur < 0 || opens) {
            cur = new_np(s);
            if (cur < 0)
                return;
            s->nps[cur].start = i;
        }
        np *p = &s->nps[cur];
        p->end = i + 1;
        w->chunk = cur;
        if (wis(w->form, "former"))
            p->former = true;
        if (w->ment >= 0 && (i == 0 || s->w[i - 1].ment != w->ment) &&
            !(s->m[w->ment].kind == MK_ACTOR && p->nact))
            np_add_codes(p, &s->m[w->ment]);
    }
    /* a chunk of determiners only is no noun phrase */
    for (uint32_t k = 0; k < s->nnp; k++) {
        np *p = &s->nps[k];
        bool content = false;
        for (uint32_t i = p->start; i < p->end; i++)
            if (!(s->w[i].flags & (W_DET)) || s->w[i].ment >= 0)
                content = true;
        if (!content) {
            for (uint32_t i = p->start; i < p->end; i++)
                s->w[i].chunk = -1;
            p->end = p->start;
        }
    }
}

/* Does code contain part at an offset that is a multiple of 3? */
static bool aligned_has(const char *code, size_t n, dyad_slice part)
{
    if (!part.len)
        return true;
    for (size_t off = 0; off + part.len <= n; off += 3)
        if (memcmp(code + off, part.ptr, part.len) == 0)
            return true;
    return false;
}

/* The code of a noun phrase with actor code act (empty: none): prefix agents, the actor,
 * suffix agents, duplicates left out; "former" makes agents ELI. */
static const char *np_code(sent *s, const np *p, dyad_slice act, uint32_t nag)
{
    char buf[128];
    size_t n = 0;
    if (!act.len && !nag)
        return NULL;
    static const char eli[] = "ELI";
    /* prefixes */
    for (uint32_t k = 0; k < nag; k++) {
        if (!p->agpre[k])
            continue;
        dyad_slice a = p->former ? dyad__slice(eli, 3) : p->ag[k];
        if (act.len && aligned_has(act.ptr, act.len, a))
            continue;
        if (n + a.len < sizeof buf - 16) {
            memcpy(buf + n, a.ptr, a.len);
            n += a.len;
        }
    }
    if (act.len) {
        if (n + act.len < sizeof buf - 16) {
            memcpy(buf + n, act.ptr, act.len);
            n += act.len;
        }
    } else {
        memcpy(buf + n, "---", 3);
        n += 3;
    }
    for (uint32_t k = 0; k < nag; k++) {
        if (p->agpre[k])
            continue;
        dyad_slice a = p->former ? dyad__slice(eli, 3) : p->ag[k];
        if (aligned_has(buf, n, a))
            continue;
        if (n + a.len < sizeof buf - 1) {
            memcpy(buf + n, a.ptr, a.len);
            n += a.len;
        }
    }
    return dyad__arena_strdup(&s->doc->arena, buf, n);
}

/* The words between noun phrases a and b: what separates them. */
enum { SEP_NONE, SEP_COMMA, SEP_CONJ, SEP_OF, SEP_IN, SEP_OTHER };

static int separator(const sent *s, const np *a, const np *b)
{
    uint32_t i = a->end, j = b->start;
    if (j <= i)
        return SEP_NONE;
    uint32_t ncomma = 0, nconj = 0, nof = 0, nin = 0;
    for (uint32_t k = i; k < j; k++) {
        const word *w = &s->w[k];
        if (w->flags & W_COMMA)
            ncomma++;
        else if (w->flags & W_CONJ)
            nconj++;
        else if (wis(w->form, "of"))
            nof++;
        else if (wis(w->form, "in") || wis(w->form, "from"))
            nin++;
        else
            return SEP_OTHER;
    }
    uint32_t total = j - i;
    if (nconj == 1 && ncomma <= 1 && total == nconj + ncomma)
        return SEP_CONJ;
    if (ncomma == 1 && total == 1)
        return SEP_COMMA;
    if (nof == 1 && total == 1)
        return SEP_OF;
    if (nin == 1 && total == 1)
        return SEP_IN;
    return SEP_OTHER;
}

typedef struct unit {
    uint32_t first, count;      /* noun phrases (indices into a list of np indices) */
    uint32_t start, end;        /* words */
} unit;

/* A noun phrase made of L (no actor) + preposition + R: R's actors with L's agents. */
static int32_t merge_np(sent *s, uint32_t l, uint32_t r)
{
    int32_t k = new_np(s);
    if (k < 0)
        return -1;
    np *x = &s->nps[k];
    const np *a = &s->nps[l], *b = &s->nps[r];
    x->start = a->start < b->start ? a->start : b->start;
    x->end = a->end > b->end ? a->end : b->end;
    for (uint32_t i = 0; i < b->nact; i++)
        x->act[x->nact++] = b->act[i];
    for (uint32_t i = 0; i < a->nag && x->nag < MAX_AGENTS; i++) {
        x->agpre[x->nag] = a->agpre[i];
        x->ag[x->nag++] = a->ag[i];
    }
    for (uint32_t i = 0; i < b->nag && x->nag < MAX_AGENTS; i++) {
        x->agpre[x->nag] = b->agpre[i];
        x->ag[x->nag++] = b->ag[i];
    }
    x->former = a->former || b->former;
    return k;
}

static bool add_member(sent *s, const char *code, uint32_t start, uint32_t end)
{
    if (!agrow(s, (void **)&s->mem, &s->cap_mem, s->nmem + 1, sizeof *s->mem))
        return false;
    member *m = &s->mem[s->nmem++];
    m->code = code;
    m->start = start;
    m->end = end;
    return true;
}

/* Turn the noun phrases into actor groups. */
static void find_groups(sent *s)
{
    uint32_t nbase = s->nnp;
    if (!nbase)
        return;
    uint32_t *ids = salloc(s, (size_t)(nbase * 4 + 8) * sizeof *ids);
    unit *u = salloc(s, (size_t)(nbase + 1) * sizeof *u);
    if (!ids || !u)
        return;
    uint32_t nids = 0, nu = 0;
    uint32_t *order = salloc(s, (nbase + 1) * sizeof *order);
    uint32_t norder = 0;
    if (!order)
        return;
    for (uint32_t k = 0; k < nbase; k++)
        if (s->nps[k].end > s->nps[k].start)
            order[norder++] = k;
    /* "awful and evil minister": a conjunction of adjectives stays inside one phrase */
    for (uint32_t a = 0; a + 1 < norder; a++) {
        np *x = &s->nps[order[a]], *y = &s->nps[order[a + 1]];
        if (separator(s, x, y) != SEP_CONJ || !adjective_like(s, x->end - 1))
            continue;
        int32_t k = new_np(s);
        if (k < 0)
            return;
        x = &s->nps[order[a]];
        y = &s->nps[order[a + 1]];
        np *z = &s->nps[k];
        *z = *x;
        z->end = y->end;
        for (uint32_t i = 0; i < y->nact && !x->nact; i++)
            z->act[z->nact++] = y->act[i];
        for (uint32_t i = 0; i < y->nag && z->nag < MAX_AGENTS; i++) {
            z->agpre[z->nag] = y->agpre[i];
            z->ag[z->nag++] = y->ag[i];
        }
        z->former = x->former || y->former;
        for (uint32_t i = x->end; i < y->start; i++)
            s->w[i].flags |= W_LIST;
        order[a] = (uint32_t)k;
        memmove(order + a + 1, order + a + 2, (norder - a - 2) * sizeof *order);
        norder--;
        a--;
    }
    /* lists: NP (, NP)* ,? CONJ NP with at least one coded member */
    for (uint32_t a = 0; a < norder;) {
        uint32_t b = a;
        while (b + 1 < norder &&
               separator(s, &s->nps[order[b]], &s->nps[order[b + 1]]) == SEP_COMMA)
            b++;
        uint32_t last = a;
        if (b + 1 < norder &&
            separator(s, &s->nps[order[b]], &s->nps[order[b + 1]]) == SEP_CONJ)
            last = b + 1;
        bool coded = false;
        for (uint32_t k = a; k <= last && last > a; k++)
            if (np_coded(&s->nps[order[k]]))
                coded = true;
        if (last == a || !coded) {
            u[nu].first = nids;
            u[nu].count = 1;
            ids[nids++] = order[a];
            u[nu].start = s->nps[order[a]].start;
            u[nu].end = s->nps[order[a]].end;
            nu++;
            /* "bombing and shelling": the conjunction joins nouns, not clauses */
            if (last > a)
                for (uint32_t k = s->nps[order[a]].end; k < s->nps[order[a + 1]].start; k++)
                    s->w[k].flags |= W_LIST;
            a++;
            continue;
        }
        u[nu].first = nids;
        u[nu].count = last - a + 1;
        for (uint32_t k = a; k <= last; k++)
            ids[nids++] = order[k];
        u[nu].start = s->nps[order[a]].start;
        u[nu].end = s->nps[order[last]].end;
        for (uint32_t k = u[nu].start; k < u[nu].end; k++)
            if (s->w[k].flags & (W_COMMA | W_CONJ))
                s->w[k].flags |= W_LIST;
        nu++;
        a = last + 1;
    }
    /* "X of Y", "X in Y": a phrase without an actor takes the actor of the next */
    for (uint32_t k = 0; k + 1 < nu; k++) {
        np *ul = &s->nps[ids[u[k].first + u[k].count - 1]];
        np *ur = &s->nps[ids[u[k + 1].first]];
        int sep = separator(s, ul, ur);
        if (sep != SEP_OF && sep != SEP_IN)
            continue;
        /* left part: the whole list when nothing in it has an actor, else its last phrase */
        bool all_l = true;
        for (uint32_t j = 0; j < u[k].count; j++)
            if (np_has_actor(&s->nps[ids[u[k].first + j]]))
                all_l = false;
        if (!all_l && np_has_actor(ul))
            continue;
        uint32_t l0 = all_l ? 0 : u[k].count - 1;
        bool all_r = true;
        for (uint32_t j = 0; j < u[k + 1].count; j++)
            if (!np_has_actor(&s->nps[ids[u[k + 1].first + j]]))
                all_r = false;
        uint32_t rn = all_r ? u[k + 1].count : 1;
        bool l_agents = false;
        for (uint32_t j = l0; j < u[k].count; j++)
            if (s->nps[ids[u[k].first + j]].nag)
                l_agents = true;
        bool r_actor = np_has_actor(ur);
        if (sep == SEP_IN && !(l_agents && r_actor))
            continue;
        /* new unit: left's untouched phrases, the cross product, right's other phrases */
        uint32_t need = u[k].count + u[k + 1].count + (u[k].count - l0) * rn;
        uint32_t *nid = salloc(s, (need + 1) * sizeof *nid);
        if (!nid)
            return;
        uint32_t c = 0;
        for (uint32_t j = 0; j < l0; j++)
            nid[c++] = ids[u[k].first + j];
        for (uint32_t r = 0; r < rn; r++)
            for (uint32_t j = l0; j < u[k].count; j++) {
                int32_t x = merge_np(s, ids[u[k].first + j], ids[u[k + 1].first + r]);
                if (x < 0)
                    return;
                nid[c++] = (uint32_t)x;
            }
        for (uint32_t r = rn; r < u[k + 1].count; r++)
            nid[c++] = ids[u[k + 1].first + r];
        /* the ids array may be too small: use the new one for this unit */
        uint32_t *grown = salloc(s, (size_t)(nids + c + 8) * sizeof *grown);
        if (!grown)
            return;
        memcpy(grown, ids, nids * sizeof *ids);
        memcpy(grown + nids, nid, c * sizeof *nid);
        ids = grown;
        u[k + 1].first = nids;
        u[k + 1].count = c;
        nids += c;
        u[k + 1].start = u[k].start;
        /* drop unit k */
        u[k].count = 0;
    }
    /* agents forwarded along a list: "Danish media and government" */
    for (uint32_t k = 0; k < nu; k++) {
        if (u[k].count < 2)
            continue;
        np *first = &s->nps[ids[u[k].first]];
        if (!np_has_actor(first))
            continue;
        for (uint32_t j = 1; j < u[k].count; j++) {
            np *p = &s->nps[ids[u[k].first + j]];
            if (np_has_actor(p) || !p->nag)
                continue;
            int32_t x = new_np(s);
            if (x < 0)
                return;
            first = &s->nps[ids[u[k].first]];
            p = &s->nps[ids[u[k].first + j]];
            np *q = &s->nps[x];
            *q = *p;
            q->nag = 0;
            for (uint32_t i = 0; i < first->nact; i++)
                q->act[q->nact++] = first->act[i];
            for (uint32_t i = 0; i + 1 < first->nag && q->nag < MAX_AGENTS; i++) {
                q->agpre[q->nag] = first->agpre[i];
                q->ag[q->nag++] = first->ag[i];
            }
            for (uint32_t i = 0; i < p->nag && q->nag < MAX_AGENTS; i++) {
                q->agpre[q->nag] = p->agpre[i];
                q->ag[q->nag++] = p->ag[i];
            }
            ids[u[k].first + j] = (uint32_t)x;
        }
    }
    /* groups */
    for (uint32_t k = 0; k < nu; k++) {
        if (!u[k].count)
            continue;
        if (!agrow(s, (void **)&s->g, &s->cap_g, s->ng + 1, sizeof *s->g))
            return;
        group *g = &s->g[s->ng];
        memset(g, 0, sizeof *g);
        g->start = u[k].start;
        g->end = u[k].end;
        g->m0 = s->nmem;
        for (uint32_t j = 0; j < u[k].count; j++) {
            np *p = &s->nps[ids[u[k].first + j]];
            if (p->nact)
                for (uint32_t a = 0; a < p->nact; a++)
                    add_member(s, np_code(s, p, p->act[a], p->nag), p->start, p->end);
            else {
                /* a phrase the dictionary codes as null is no new actor either */
                bool known_null = false;
                for (uint32_t i = p->start; i < p->end; i++)
                    if (s->w[i].ment >= 0 && s->m[s->w[i].ment].kind == MK_NULL)
                        known_null = true;
                const char *code = np_code(s, p, dyad__slice("", 0), p->nag);
                if (known_null && !code)
                    add_member(s, NULL, p->start, p->start);
                else
                    add_member(s, code, p->start, p->end);
            }
        }
        g->nm = s->nmem - g->m0;
        /* in a list, phrases without an actor or agent drop out when others have one */
        uint32_t ncoded = 0;
        for (uint32_t j = 0; j < g->nm; j++)
            if (s->mem[g->m0 + j].code)
                ncoded++;
        g->coded = ncoded > 0;
        if (ncoded && ncoded < g->nm && g->nm > 1) {
            uint32_t o = g->m0;
            for (uint32_t j = 0; j < g->nm; j++) {
                member keep = s->mem[g->m0 + j];
                if (keep.code || (s->o->new_actor_length > 0))
                    s->mem[o++] = keep;
            }
            g->nm = o - g->m0;
        }
        for (uint32_t i = g->start; i < g->end && i < s->n; i++)
            if (s->w[i].chunk >= 0)
                s->w[i].chunk = (int32_t)s->ng;
        s->ng++;
        if (s->o->trace) {
            char buf[256];
            size_t n = 0;
            for (uint32_t j = 0; j < g->nm && n < sizeof buf - 40; j++) {
                const member *m = &s->mem[g->m0 + j];
                n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", j ? "," : "",
                                      m->code ? m->code : "(none)");
            }
            buf[n] = 0;
            trace(s, "group %u: words %u-%u {%s}", s->ng - 1, g->start, g->end, buf);
        }
    }
}

/* ---------------------------------------------------------------- commas and clauses */

static void drop_commas(sent *s)
{
    /* commas inside a noun phrase: "complete, full diplomatic ties" */
    for (uint32_t i = 1; i + 1 < s->n; i++) {
        word *w = &s->w[i];
        if (!(w->flags & W_COMMA) || (w->flags & W_LIST))
            continue;
        const word *p = &s->w[i - 1], *x = &s->w[i + 1];
        bool inner;
        if (s->parsed && p->upos)
            inner = p->upos == DYAD_UPOS_ADJ && (x->upos == DYAD_UPOS_ADJ);
        else
            inner = i >= 2 && (p->flags & W_NOMINAL) && p->ment < 0 && !(p->flags & W_CAP) &&
                    (s->w[i - 2].flags & W_VERB) && (x->flags & W_NOMINAL) && x->ment < 0 &&
                    !(x->flags & (W_CAP | W_DET));
        if (inner)
            w->flags |= W_INNER;
    }
    uint32_t cuts[MAX_WORDS + 2];
    uint32_t nc = 0;
    cuts[nc++] = 0;   /* segment boundaries: comma positions */
    for (uint32_t i = 0; i < s->n; i++)
        if ((s->w[i].flags & W_COMMA) && !(s->w[i].flags & (W_LIST | W_INNER)))
            cuts[nc++] = i;
    if (nc == 1)
        return;
    const dyad_linear_opts *o = s->o;
    /* words as written between commas */
    for (uint32_t k = 0; k < nc; k++) {
        uint32_t a = k == 0 ? 0 : cuts[k] + 1;
        uint32_t b = k + 1 < nc ? cuts[k + 1] : s->n;
        uint32_t nw = 0;
        for (uint32_t i = a; i < b; i++)
            if (!(s->w[i].flags & (W_COMMA | W_HARD)) && (s->w[i].flags & W_SPACE || i == a))
                nw++;
        int lo, hi;
        if (k == 0) {
            lo = o->comma_bmin;
            hi = o->comma_bmax;
        } else if (k + 1 == nc) {
            lo = o->comma_emin;
            hi = o->comma_emax;
        } else {
            /* PETRARCH counts an internal clause one word short */
            lo = o->comma_min;
            hi = o->comma_max;
            if (nw)
                nw--;
        }
        bool drop = hi > 0 && (int)nw >= lo && (int)nw <= hi;
        if (drop) {
            uint32_t from = k == 0 ? 0 : cuts[k];
            uint32_t to = k + 1 < nc ? (k == 0 ? cuts[k + 1] + 1 : cuts[k + 1]) : s->n;
            for (uint32_t i = from; i < to; i++)
                s->w[i].flags |= W_DEL;
            trace(s, "comma clause %u-%u (%u words) dropped", from, to, nw);
        }
    }
}

/* Clauses: cut at ';', at conjunctions that join verbs or clauses, and before the closing
 * comma clause when it was kept. */
static uint32_t find_clauses(sent *s)
{
    uint32_t last_comma = UINT32_MAX;
    for (uint32_t i = 0; i < s->n; i++)
        if ((s->w[i].flags & W_COMMA) && !(s->w[i].flags & (W_LIST | W_INNER)))
            last_comma = i;
    /* the closing comma clause is a clause of its own when it was kept and has its own
     * subject: ", a senior official said on Saturday" */
    bool end_clause = false;
    if (last_comma != UINT32_MAX && !(s->w[last_comma].flags & W_DEL) &&
        last_comma + 1 < s->n && (s->w[last_comma + 1].flags & W_NOMINAL))
        for (uint32_t i = last_comma + 1; i < s->n; i++)
            if (s->w[i].flags & W_VERB)
                end_clause = true;
    uint32_t c = 0;
    bool any = false;
    for (uint32_t i = 0; i < s->n; i++) {
        word *w = &s->w[i];
        if (w->flags & W_DEL) {
            w->clause = -1;
            continue;
        }
        bool cut = false;
        if (w->flags & W_HARD)
            cut = true;
        else if (end_clause && i == last_comma)
            cut = true;
        else if ((w->flags & W_CONJ) && !(w->flags & W_LIST) && any &&
                 !(i > 0 && i + 1 < s->n && (s->w[i - 1].flags & W_ADV) &&
                   (s->w[i + 1].flags & W_ADV))) {
            /* the next word that is not an adverb */
            uint32_t j = i + 1;
            while (j < s->n && (s->w[j].flags & (W_ADV | W_DEL)))
                j++;
            if (j < s->n && (s->w[j].flags & W_VERB))
                cut = true;
            else if (j < s->n && in_list(s->w[j].form, aux_words))
                cut = true;
            else if (j < s->n && s->w[j].chunk >= 0) {
                /* a new subject: "and Syria attacked" */
                uint32_t e = j;
                while (e < s->n && s->w[e].chunk == s->w[j].chunk)
                    e++;
                while (e < s->n && (s->w[e].flags & W_ADV))
                    e++;
                if (e < s->n && ((s->w[e].flags & W_VERB) || in_list(s->w[e].form, aux_words)))
                    cut = true;
            }
        }
        if (cut) {
            if (any)
                c++;
            any = false;
            w->clause = -1;
            continue;
        }
        w->clause = (int32_t)c;
        any = true;
    }
    return any ? c + 1 : c;
}

/* ---------------------------------------------------------------- pattern matching */

typedef struct bind {
    int32_t src, tgt;       /* group indices or -1 */
    bool src_cmp, tgt_cmp;  /* bound through % */
} bind;

typedef struct mctx {
    sent *s;
    const dyad__pelem *el;
    uint32_t nel;
    uint32_t verb_el;
    uint32_t hi;            /* the words the current half may use end here */
    uint32_t need_end;      /* the half must end exactly here (a joined verb), or UINT32_MAX */
    uint32_t steps;         /* work done: matching gives up past a budget */
    bind b;
} mctx;

#define MATCH_BUDGET 20000

static bool usable(const sent *s, uint32_t i, int32_t clause)
{
    return i < s->n && s->w[i].clause == clause && !(s->w[i].flags & W_COMMA);
}

/* The first group (coded when coded is true) that ends after pos and lies in [pos_lo, hi). */
static int32_t group_from(const sent *s, uint32_t pos, uint32_t hi, int32_t clause, bool coded,
                          bool compound)
{
    for (uint32_t k = 0; k < s->ng; k++) {
        const group *g = &s->g[k];
        if (g->end <= pos || g->start >= hi)
            continue;
        if (g->end > hi)
            continue;
        if (s->w[g->start].clause != clause && s->w[g->end - 1].clause != clause)
            continue;
        if (coded && !g->coded)
            continue;
        if (compound && g->nm < 2)
            continue;
        return (int32_t)k;
    }
    return -1;
}

/* Match elements [e, end_el) at word positions from pos within [lo, hi); joined: the element
 * must start exactly at pos.  Returns true with the bindings filled. */
static bool match_from(mctx *c, uint32_t e, uint32_t end_el, uint32_t pos, bool joined,
                       int32_t clause)
{
    sent *s = c->s;
    if (e == end_el)
        return c->need_end == UINT32_MAX || pos == c->need_end;
    if (++c->steps > MATCH_BUDGET)
        return false;
    const dyad__pelem *el = &c->el[e];
    bool must_join = joined || (el->flags & DYAD__PEF_JOINED);
    if (e > 0 && e == c->verb_el + 1)
        must_join = (el->flags & DYAD__PEF_JOINED) != 0;
    uint32_t last = must_join ? pos : c->hi;
    for (uint32_t p = pos; p < c->hi && p <= last; p++) {
        if (!usable(s, p, clause)) {
            if (must_join)
                return false;
            continue;
        }
        uint32_t next = p;
        bind saved = c->b;
        switch (el->type) {
        case DYAD__PE_WORD:
            if (!weq(s->w[p].form, el->word.ptr, el->word.len))
                continue;
            next = p + 1;
            break;
        case DYAD__PE_SET: {
            if (el->set == UINT32_MAX)
                return false;
            size_t len = dyad__dict_set_match(s->d, el->set, s->wt, c->hi, p);
            if (!len && s->wt_up)
                len = dyad__dict_set_match(s->d, el->set, s->wt_up, c->hi, p);
            if (!len)
                continue;
            next = p + (uint32_t)len;
            break;
        }
        case DYAD__PE_SOURCE:
        case DYAD__PE_TARGET:
        case DYAD__PE_COMPOUND:
        case DYAD__PE_SKIP: {
            bool cmp = el->type == DYAD__PE_COMPOUND;
            int32_t g = group_from(s, p, c->hi, clause, el->type != DYAD__PE_SKIP, cmp);
            if (g < 0)
                return false;
            if (must_join && s->g[g].start > p && !(s->g[g].start == p))
                return false;
            if (el->type == DYAD__PE_SOURCE)
                c->b.src = g;
            else if (el->type == DYAD__PE_TARGET)
                c->b.tgt = g;
            else if (cmp) {
                if (e < c->verb_el) {
                    c->b.src = c->b.tgt = g;
                    c->b.src_cmp = c->b.tgt_cmp = true;
                } else {
                    c->b.tgt = g;
                    c->b.tgt_cmp = true;
                }
            }
            next = s->g[g].end;
            if (match_from(c, e + 1, end_el, next, false, clause))
                return true;
            c->b = saved;
            return false;   /* actors bind the first one found */
        }
        default:
            return false;
        }
        if (match_from(c, e + 1, end_el, next, false, clause))
            return true;
        c->b = saved;
        if (must_join)
            return false;
    }
    return false;
}

/* Patterns this coder reads: PETRARCH-1 / TABARI word sequences, and PETRARCH-2 phrase
 * patterns read as the words they are made of. */
static bool linear_style(uint16_t style)
{
    return style == DYAD__PS_LINEAR || style == DYAD__PS_PHRASE;
}

/* Match pattern p for the verb at v (words [v->start, v->end)) in clause [cs, ce). */
static bool match_pattern(sent *s, uint32_t p, const vcand *v, uint32_t cs, uint32_t ce,
                          int32_t clause, bind *out)
{
    dyad__pattern pat;
    if (!dyad__dict_pattern(s->d, p, &pat) || !linear_style(pat.style) || !pat.nelems ||
        pat.nelems > 32)
        return false;
    dyad__pelem el[32];
    uint32_t verb_el = UINT32_MAX, nel = 0;
    for (uint32_t k = 0; k < pat.nelems; k++) {
        if (!dyad__dict_elem(s->d, p, k, &el[nel]))
            return false;
        /* a PETRARCH-2 phrase pattern is read as its words in order: the noun phrase and
         * prepositional phrase brackets go, the preposition is a word */
        if (el[nel].type == DYAD__PE_GROUP || el[nel].type == DYAD__PE_END)
            continue;
        if (el[nel].type == DYAD__PE_PREP)
            el[nel].type = DYAD__PE_WORD;
        if (el[nel].type == DYAD__PE_VERB && verb_el == UINT32_MAX)
            verb_el = nel;
        nel++;
    }
    if (verb_el == UINT32_MAX)
        return false;
    /* a literal word the sentence does not have: no match (most patterns of a verb) */
    for (uint32_t k = 0; k < nel; k++)
        if (el[k].type == DYAD__PE_WORD) {
            unsigned bit = word_bit(el[k].word.ptr, el[k].word.len);
            if (!(s->forms[bit >> 6] >> (bit & 63) & 1))
                return false;
        }
    pat.nelems = nel;
    mctx c;
    memset(&c, 0, sizeof c);
    c.need_end = UINT32_MAX;
    c.s = s;
    c.el = el;
    c.nel = pat.nelems;
    c.verb_el = verb_el;
    c.b.src = c.b.tgt = -1;
    c.need_end = UINT32_MAX;
    /* the part before the verb: anywhere in [cs, verb), ending right before the verb when
     * the verb is joined to it; the part after it: from the verb on */
    if (verb_el > 0) {
        c.hi = v->start;
        c.need_end = (el[verb_el].flags & DYAD__PEF_JOINED) ? v->start : UINT32_MAX;
        if (!match_from(&c, 0, verb_el, cs, false, clause))
            return false;
    }
    if (verb_el + 1 < pat.nelems) {
        c.hi = ce;
        c.need_end = UINT32_MAX;
        bool joined = (el[verb_el + 1].flags & DYAD__PEF_JOINED) != 0;
        if (!match_from(&c, verb_el + 1, pat.nelems, v->end, joined, clause))
            return false;
    }
    *out = c.b;
    return true;
}

/* ---------------------------------------------------------------- events */

static const char *member_code(sent *s, const member *m)
{
    if (m->code)
        return m->code;
    int len = s->o->new_actor_length;
    if (len <= 0)
        return NULL;
    /* the words of the noun phrase, upper case, in quotes */
    char buf[256];
    size_t n = 0;
    int nw = 0;
    buf[n++] = '"';
    for (uint32_t i = m->start; i < m->end && i < s->n; i++) {
        const word *w = &s->w[i];
        if (w->flags & (W_COMMA | W_HARD))
            continue;
        if (n + w->form.len + 3 >= sizeof buf)
            return NULL;
        if (nw)
            buf[n++] = ' ';
        for (size_t k = 0; k < w->form.len; k++) {
            char ch = w->form.ptr[k];
            buf[n++] = (ch >= 'a' && ch <= 'z') ? (char)(ch - 'a' + 'A') : ch;
        }
        nw++;
    }
    buf[n++] = '"';
    if (nw == 0 || nw > len)
        return NULL;
    return dyad__arena_strdup(&s->doc->arena, buf, n);
}

static const char *first_code(sent *s, int32_t g)
{
    if (g < 0)
        return NULL;
    const group *x = &s->g[g];
    for (uint32_t j = 0; j < x->nm; j++) {
        const char *c = member_code(s, &s->mem[x->m0 + j]);
        if (c)
            return c;
    }
    return NULL;
}

static void push_ev(sent *s, const char *src, const char *tgt, dyad_slice code, bool subord,
                    const vcand *v, uint32_t pattern)
{
    if (!code.len || code.len >= sizeof s->ev[0].code)
        return;
    if (src && tgt && strcmp(src, tgt) == 0)
        return;
    if (s->o->require_dyad && (!src || !tgt))
        return;
    if (!src)
        src = "---";
    if (!tgt)
        tgt = "---";
    if (s->o->require_dyad && (strcmp(src, "---") == 0 || strcmp(tgt, "---") == 0))
        return;
    for (uint32_t k = 0; k < s->nev; k++)
        if (strcmp(s->ev[k].src, src) == 0 && strcmp(s->ev[k].tgt, tgt) == 0 &&
            strlen(s->ev[k].code) == code.len && memcmp(s->ev[k].code, code.ptr, code.len) == 0)
            return;
    if (s->nev >= MAX_EVENTS)
        return;
    ev *e = &s->ev[s->nev++];
    memset(e, 0, sizeof *e);
    e->src = src;
    e->tgt = tgt;
    memcpy(e->code, code.ptr, code.len);
    e->subord = subord;
    e->vstart = v->start;
    e->vend = v->end;
    e->pattern = pattern;
}

/* Events of a verb with source group sg, target group tg and the code as written. */
static uint32_t emit(sent *s, int32_t sg, int32_t tg, dyad_slice code, const vcand *v,
                     uint32_t pattern)
{
    uint32_t before = s->nev;
    /* "032:033" pairs, "023?" subordinate, "111!" dominant */
    bool subord = false;
    dyad_slice c1 = code, c2 = dyad__slice("", 0);
    while (c1.len && (c1.ptr[c1.len - 1] == '?' || c1.ptr[c1.len - 1] == '!')) {
        if (c1.ptr[c1.len - 1] == '?')
            subord = true;
        c1.len--;
    }
    const char *colon = memchr(c1.ptr, ':', c1.len);
    if (colon) {
        c2 = dyad__slice(colon + 1, c1.len - (size_t)(colon + 1 - c1.ptr));
        c1.len = (size_t)(colon - c1.ptr);
    }
    uint32_t ns = sg >= 0 ? s->g[sg].nm : 1, nt = tg >= 0 ? s->g[tg].nm : 1;
    for (uint32_t a = 0; a < ns; a++)
        for (uint32_t b = 0; b < nt; b++) {
            const char *src = sg >= 0 ? member_code(s, &s->mem[s->g[sg].m0 + a]) : NULL;
            const char *tgt = tg >= 0 ? member_code(s, &s->mem[s->g[tg].m0 + b]) : NULL;
            if (sg >= 0 && sg == tg && a == b)
                continue;
            push_ev(s, src, tgt, c1, subord, v, pattern);
            if (c2.len)
                push_ev(s, tgt, src, c2, subord, v, pattern);
        }
    return s->nev - before;
}

static bool code_is(dyad_slice c, const char *x)
{
    return c.len == strlen(x) && memcmp(c.ptr, x, c.len) == 0;
}

/* Passive voice: was / were / been within two words before the verb and "by" right after it
 * (an adverb may come between). */
static int32_t passive_by(sent *s, const vcand *v, int32_t clause)
{
    bool aux = false;
    for (uint32_t k = 1; k <= 3 && k <= v->start; k++) {
        const word *w = &s->w[v->start - k];
        if (w->clause != clause)
            break;
        if (w->flags & W_ADV)
            continue;
        aux = wis(w->form, "was") || wis(w->form, "were") || wis(w->form, "been") ||
              wis(w->form, "is") || wis(w->form, "are") || wis(w->form, "being") ||
              wis(w->form, "be");
        break;
    }
    if (!aux)
        return -1;
    for (uint32_t i = v->end; i < s->n && i <= v->end + 1; i++) {
        const word *w = &s->w[i];
        if (w->clause != clause)
            return -1;
        if (wis(w->form, "by"))
            return (int32_t)i;
        if (!(w->flags & (W_ADV)) && !wis(w->form, "earlier") && !wis(w->form, "later"))
            return -1;
    }
    return -1;
}

/* Code the verb v of a clause; returns the number of events it made (subordinate ones
 * included), 0 when it made none.  *src_carry is the source carried from the clause before. */
static uint32_t code_verb(sent *s, const vcand *v, uint32_t cs, uint32_t ce, int32_t clause,
                          int32_t *src_carry)
{
    const uint32_t *idx;
    size_t np = dyad__dict_patterns(s->d, v->key, &idx);
    bind b = {-1, -1, false, false};
    dyad_slice code = v->code;
    uint32_t pattern = UINT32_MAX;
    for (size_t k = 0; k < np; k++) {
        dyad__pattern pat;
        if (!dyad__dict_pattern(s->d, idx[k], &pat) || !linear_style(pat.style))
            continue;
        if (pat.flags & (DYAD__PF_UNRESOLVED | DYAD__PF_COMPLEX))
            continue;
        bind bb;
        if (!match_pattern(s, idx[k], v, cs, ce, clause, &bb))
            continue;
        if (pat.flags & DYAD__PF_DISCARD) {
            s->discard = true;
            return 0;
        }
        b = bb;
        code = pat.code;
        pattern = idx[k];
        trace(s, "  pattern %.*s [%.*s] src %d tgt %d", (int)pat.text.len, pat.text.ptr,
              (int)pat.code.len, pat.code.ptr, b.src, b.tgt);
        break;
    }
    if (pattern == UINT32_MAX)
        trace(s, "  no pattern: [%.*s]", (int)code.len, code.ptr);
    if (!code.len || code_is(code, "---") || (pattern == UINT32_MAX && (v->cflags & DYAD__PF_NULL)))
        return 0;
    if (pattern == UINT32_MAX && (v->cflags & (DYAD__PF_COMPLEX | DYAD__PF_DISCARD)))
        return 0;
    if (code_is(code, "+++") || code_is(code, "###"))
        return 0;
    int32_t sg = b.src, tg = b.tgt;
    bool bound = sg >= 0 || tg >= 0;
    /* passive voice swaps the defaults */
    int32_t by = bound ? -1 : passive_by(s, v, clause);
    if (by >= 0) {
        tg = group_from(s, cs, v->start, clause, true, false);
        sg = group_from(s, (uint32_t)by + 1, ce, clause, true, false);
        trace(s, "  passive: src %d tgt %d", sg, tg);
    }
    /* the comma-delimited stretch the verb is in: the source is looked for there first */
    uint32_t seg = cs;
    for (uint32_t i = cs; i < v->start; i++)
        if ((s->w[i].flags & W_COMMA) && !(s->w[i].flags & (W_LIST | W_INNER)) &&
            s->w[i].clause == clause)
            seg = i + 1;
    for (int pass = 0; pass < 2 && sg < 0; pass++) {
        /* the first actor before the verb, with a code other than the target's */
        uint32_t from = pass == 0 ? seg : cs;
        if (pass == 1 && seg == cs)
            break;
        const char *tc = first_code(s, tg);
        for (uint32_t pos = from; pos < v->start;) {
            int32_t g = group_from(s, pos, v->start, clause, true, false);
            if (g < 0)
                break;
            const char *gc = first_code(s, g);
            if (g != tg && (!tc || !gc || strcmp(tc, gc) != 0)) {
                sg = g;
                break;
            }
            pos = s->g[g].end;
        }
    }
    if (sg < 0) {
        if (*src_carry >= 0)
            sg = *src_carry;
        if (sg < 0)
            sg = group_from(s, cs, v->start, clause, false, false);
    }
    if (tg < 0) {
        const char *sc = first_code(s, sg);
        for (uint32_t pos = v->end; pos < ce;) {
            int32_t g = group_from(s, pos, ce, clause, true, false);
            if (g < 0)
                break;
            const char *gc = first_code(s, g);
            if (g != sg && (!sc || !gc || strcmp(sc, gc) != 0)) {
                tg = g;
                break;
            }
            pos = s->g[g].end;
        }
        if (tg < 0 && sg >= 0 && s->g[sg].nm > 1)
            tg = sg;
        if (tg < 0)
            tg = group_from(s, v->end, ce, clause, false, false);
    }
    trace(s, "  code [%.*s] src %d tgt %d", (int)code.len, code.ptr, sg, tg);
    if (sg < 0 || tg < 0)
        return 0;   /* no noun phrase on one side: nothing to code, even as "---" */
    uint32_t made = emit(s, sg, tg, code, v, pattern);
    if (sg >= 0 && s->g[sg].coded)
        *src_carry = sg;
    return made;
}

static void code_clauses(sent *s, uint32_t nclauses)
{
    int32_t carry = -1;
    for (uint32_t c = 0; c < nclauses; c++) {
        uint32_t cs = UINT32_MAX, ce = 0;
        for (uint32_t i = 0; i < s->n; i++)
            if (s->w[i].clause == (int32_t)c) {
                if (cs == UINT32_MAX)
                    cs = i;
                ce = i + 1;
            }
        if (cs == UINT32_MAX)
            continue;
        /* an actor right after the conjunction is the clause's own subject */
        if (c > 0 && group_from(s, cs, ce, (int32_t)c, true, false) >= 0) {
            int32_t g = group_from(s, cs, ce, (int32_t)c, true, false);
            bool before_verb = true;
            for (uint32_t i = cs; i < s->g[g].start; i++)
                if (s->w[i].flags & W_VERB)
                    before_verb = false;
            if (before_verb)
                carry = -1;
        }
        trace(s, "clause %u: words %u-%u", c, cs, ce);
        uint32_t first_ev = s->nev;
        bool done = false;
        for (uint32_t k = 0; k < s->nvc && !done && !s->discard; k++) {
            const vcand *v = &s->vc[k];
            if (v->start < cs || v->end > ce || s->w[v->head].clause != (int32_t)c)
                continue;
            trace(s, " verb %.*s", (int)v->key.len, v->key.ptr);
            uint32_t made = code_verb(s, v, cs, ce, (int32_t)c, &carry);
            for (uint32_t e = s->nev - made; e < s->nev; e++)
                if (!s->ev[e].subord)
                    done = true;
        }
        /* a clause that coded nothing hands its first actor on as the source */
        if (s->nev == first_ev) {
            int32_t g = group_from(s, cs, ce, (int32_t)c, true, false);
            if (g >= 0)
                carry = g;
        }
        /* a subordinate event stands only when the clause has no other */
        bool other = false;
        for (uint32_t e = first_ev; e < s->nev; e++)
            if (!s->ev[e].subord)
                other = true;
        if (other) {
            uint32_t o = first_ev;
            for (uint32_t e = first_ev; e < s->nev; e++)
                if (!s->ev[e].subord)
                    s->ev[o++] = s->ev[e];
            s->nev = o;
        }
    }
}

/* ---------------------------------------------------------------- the sentence */

static dyad_status code_sentence(sent *s, uint32_t si)
{
    const dyad_sentence *se = &s->doc->sents[si];
    if (!se->ntokens)
        return DYAD_OK;
    s->sidx = si;
    if (!build_words(s, se))
        return DYAD_ENOMEM;
    find_mentions(s);
    if (s->discard)
        return DYAD_OK;
    memset(s->forms, 0, sizeof s->forms);
    for (uint32_t i = 0; i < s->n; i++) {
        unsigned bit = word_bit(s->w[i].form.ptr, s->w[i].form.len);
        s->forms[bit >> 6] |= 1ull << (bit & 63);
    }
    find_verbs(s);
    find_chunks(s);
    find_groups(s);
    if (s->o->trace) {
        char buf[400];
        size_t n = 0;
        for (uint32_t i = 0; i < s->n && n < sizeof buf - 60; i++) {
            const word *w = &s->w[i];
            char tag = (w->flags & W_VERB) ? 'V' : w->ment >= 0 ? 'A'
                       : (w->flags & W_NOMINAL) ? 'n' : (w->flags & W_PREP) ? 'p'
                       : (w->flags & W_CONJ) ? 'c' : (w->flags & W_COMMA) ? ','
                       : (w->flags & W_DET) ? 'd' : (w->flags & W_ADV) ? 'r' : '.';
            n += (size_t)snprintf(buf + n, sizeof buf - n, "%u:%.*s/%c%s ", i,
                                  (int)w->form.len, w->form.ptr, tag,
                                  w->chunk >= 0 ? "" : "");
        }
        buf[n] = 0;
        trace(s, "words %s", buf);
    }
    drop_commas(s);
    uint32_t nclauses = find_clauses(s);
    s->nev = 0;
    code_clauses(s, nclauses);
    if (s->discard)
        return DYAD_OK;
    /* subordinate events stand only when the sentence has no other */
    bool other = false;
    for (uint32_t e = 0; e < s->nev; e++)
        if (!s->ev[e].subord)
            other = true;
    for (uint32_t e = 0; e < s->nev; e++) {
        const ev *x = &s->ev[e];
        if (other && x->subord)
            continue;
        dyad_event *o = dyad__doc_push_event(s->doc);
        if (!o)
            return DYAD_ENOMEM;
        o->sentence = si;
        o->source.code = dyad__cstr(x->src);
        o->target.code = dyad__cstr(x->tgt);
        size_t cl = strlen(x->code);
        if (cl >= sizeof o->code)
            cl = sizeof o->code - 1;
        memcpy(o->code, x->code, cl);
        o->code[cl] = 0;
        memcpy(o->root, x->code, 2);
        o->root[2] = 0;
        o->quad = dyad_cameo_quad(o->code);
        o->goldstein = dyad_cameo_goldstein(o->code);
        const dyad_doc *doc = s->doc;
        size_t dl = doc->date.len < sizeof o->date - 1 ? doc->date.len : sizeof o->date - 1;
        memcpy(o->date, doc->date.ptr, dl);
        o->date[dl] = 0;
        o->flags = DYAD_EVENT_DATE_INFERRED;
        const dyad_token *a = &doc->tokens[s->w[x->vstart].tok];
        const dyad_token *b = &doc->tokens[s->w[x->vend - 1].tok];
        o->verb = dyad__slice(a->form.ptr, (size_t)(b->form.ptr + b->form.len - a->form.ptr));
        o->verb_start = a->start;
        o->verb_end = b->end;
        if (x->pattern != UINT32_MAX) {
            dyad__pattern pat;
            if (dyad__dict_pattern(s->d, x->pattern, &pat)) {
                o->pattern = pat.text;
                o->pattern_file = pat.file;
                o->pattern_line = pat.line;
            }
        }
    }
    return DYAD_OK;
}

dyad_status dyad__petrarch_code(const dyad_dict *dict, dyad_doc *doc,
                                const dyad_linear_opts *opts, dyad_error *err)
{
    /* the events of a sentence are gathered here, one buffer for the document */
    ev *evs = dyad__arena_alloc(&doc->arena, MAX_EVENTS * sizeof *evs);
    if (!evs)
        return dyad__fail(err, DYAD_ENOMEM, "out of memory");
    for (uint32_t si = 0; si < doc->nsents; si++) {
        sent s;
        memset(&s, 0, sizeof s);
        s.d = dict;
        s.doc = doc;
        s.o = opts;
        s.ev = evs;
        dyad_status st = code_sentence(&s, si);
        if (st)
            return dyad__fail(err, st, "out of memory coding sentence %u", si + 1);
    }
    return DYAD_OK;
}

/* ---------------------------------------------------------------- public entry points */

void dyad_linear_opts_default(dyad_linear_opts *o)
{
    memset(o, 0, sizeof *o);
    o->comma_min = 2;
    o->comma_max = 8;
    o->comma_bmin = 0;
    o->comma_bmax = 0;
    o->comma_emin = 2;
    o->comma_emax = 8;
    o->require_dyad = 1;
    o->new_actor_length = 0;
}

int dyad_dict_is_linear(const dyad_dict *d)
{
    if (!d)
        return 0;
    uint32_t n = dyad__dict_npatterns(d);
    for (uint32_t p = 0; p < n; p++) {
        dyad__pattern pat;
        if (dyad__dict_pattern(d, p, &pat) && linear_style(pat.style))
            return 1;
    }
    size_t nf = dyad_dict_nfiles(d);
    for (size_t i = 0; i < nf; i++) {
        dyad_dict_file_info fi;
        if (dyad_dict_file(d, i, &fi) == DYAD_OK && fi.format &&
            (strcmp(fi.format, "petrarch1-verbs") == 0 || strcmp(fi.format, "tabari-verbs") == 0 ||
             strcmp(fi.format, "petrarch2-verbs") == 0))
            return 1;
    }
    return 0;
}

dyad_status dyad_worker_code_linear(dyad_worker *worker, const dyad_model *model,
                                    const dyad_dict *dict, dyad_doc *doc,
                                    const dyad_linear_opts *opts, dyad_error *err)
{
    if (!worker || !doc || !dict)
        return dyad__fail(err, DYAD_EINVAL, "dyad_worker_code_linear: worker, dict and doc are "
                                            "required");
    if (!doc->date.len || !dyad_date_valid(doc->date))
        return dyad__fail(err, DYAD_EFORMAT,
                          "no article date (JSONL \"date\", or --date YYYY-MM-DD for text)");
    dyad_linear_opts def;
    if (!opts) {
        dyad_linear_opts_default(&def);
        opts = &def;
    }
    dyad_status st;
    if (!doc->nsents && doc->text.len && (st = dyad_worker_segment(worker, doc, NULL, err)))
        return st;
    if (model && (st = dyad_worker_parse(worker, model, doc, err)))
        return st;
    doc->nevents = 0;
    return dyad__petrarch_code(dict, doc, opts, err);
}
