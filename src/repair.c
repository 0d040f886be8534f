/* repair.c - rules run on each parse tree for news constructions the treebank model gets
 * wrong.  The model learns from web text (UD English EWT), where a name followed by a time
 * word, a country as the subject of a headline-like clause or "called X a Y" are rare; news
 * has them in every other story, and the coder reads its parties off these relations.  Each
 * rule looks at a small configuration, changes one or two arcs, and keeps the tree a
 * projective tree with one root. */
#include "internal.h"
#include "coder.h"

#include <string.h>

static bool lemma_in(const dyad_token *t, const char *const *list)
{
    for (; *list; list++) {
        size_t n = strlen(*list);
        if (t->lemma.len == n && dyad__ascii_ieq(t->lemma.ptr, *list, n))
            return true;
    }
    return false;
}

/* Whether token h (1-based) has a child with relation rel. */
static bool has_child(const dyad_token *t, size_t n, int32_t h, int rel)
{
    for (size_t i = 0; i < n; i++)
        if (t[i].head == h && t[i].deprel == rel)
            return true;
    return false;
}

static bool is_verb(const dyad_token *t) { return t->upos == DYAD_UPOS_VERB; }

/* Words of a time expression after the verb: "yesterday", "three years ago", "on Monday". */
static const char *const time_words[] = {
    "yesterday", "today", "tonight", "tomorrow", "ago", "year", "month", "week", "day",
    "weekend", "morning", "afternoon", "evening", "night", "Monday", "Tuesday", "Wednesday",
    "Thursday", "Friday", "Saturday", "Sunday", NULL};

/* "Iran accused Saudi Arabia yesterday", "Japan had criticized China three years ago": the
 * object right after the verb was read as a modifier (compound, nsubj, amod) of the time
 * expression that follows it.  A proper noun whose head is a time word after it, where the
 * time expression hangs on a verb before it that has no object, and where only the noun's own
 * dependents lie between the verb and the noun, becomes the verb's object. */
static void name_before_time(dyad_token *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (t[i].upos != DYAD_UPOS_PROPN || t[i].head <= (int32_t)i + 1)
            continue;
        int32_t k = t[i].head, v = 0;
        for (int steps = 0; steps < 3 && k > 0 && lemma_in(&t[k - 1], time_words); steps++) {
            v = t[k - 1].head;
            if (v > 0 && is_verb(&t[v - 1]))
                break;
            k = v;
            v = 0;
        }
        if (v <= 0 || v > (int32_t)i || !is_verb(&t[v - 1]) ||
            has_child(t, n, v, DYAD__REL_OBJ) || has_child(t, n, (int32_t)i + 1, DYAD__REL_CASE))
            continue;
        bool own = true;
        for (size_t j = (size_t)v; j < i && own; j++)
            own = t[j].head == (int32_t)i + 1;
        if (!own)
            continue;
        t[i].head = v;
        t[i].deprel = DYAD__REL_OBJ;
    }
}

/* "North Korea put its troops on high alert": a proper noun right before a verb that has no
 * subject, attached to it as an adverb, is its subject. */
static void name_as_adverb(dyad_token *t, size_t n)
{
    for (size_t i = 0; i + 1 < n; i++) {
        int32_t v = (int32_t)i + 2;
        if (t[i].upos != DYAD_UPOS_PROPN || t[i].deprel != DYAD__REL_ADVMOD || t[i].head != v ||
            !is_verb(&t[v - 1]) || has_child(t, n, v, DYAD__REL_NSUBJ) ||
            has_child(t, n, v, DYAD__REL_NSUBJ_PASS) || has_child(t, n, v, DYAD__REL_CSUBJ) ||
            has_child(t, n, v, DYAD__REL_EXPL))
            continue;
        t[i].deprel = DYAD__REL_NSUBJ;
    }
}

/* Verbs that take an object and a predicate for it: "called the condition daytime robbery",
 * "declared the group a terrorist organisation". */
static const char *const naming_verbs[] = {
    "call", "name", "dub", "label", "brand", "term", "declare", "designate", "consider", NULL};

/* A second nominal after the object of a naming verb, read as another object or as a bare
 * noun phrase (obl:unmarked), is the object's predicate (xcomp), as the treebank has it. */
static void naming_predicate(dyad_token *t, size_t n)
{
    for (size_t v = 0; v < n; v++) {
        if (!is_verb(&t[v]) || !lemma_in(&t[v], naming_verbs))
            continue;
        int32_t vh = (int32_t)v + 1;
        size_t obj = n;
        for (size_t i = v + 1; i < n; i++) {
            if (t[i].head != vh)
                continue;
            if (obj == n) {
                if (t[i].deprel == DYAD__REL_OBJ)
                    obj = i;
                continue;
            }
            if ((t[i].deprel == DYAD__REL_OBJ || t[i].deprel == DYAD__REL_OBL_UNMARKED) &&
                (t[i].upos == DYAD_UPOS_NOUN || t[i].upos == DYAD_UPOS_PROPN) &&
                !lemma_in(&t[i], time_words) &&   /* "called Putin Monday" is a date */
                !has_child(t, n, (int32_t)i + 1, DYAD__REL_CASE)) {
                t[i].deprel = DYAD__REL_XCOMP;
                break;
            }
        }
    }
}

static bool is_dash(dyad_slice f)
{
    return dyad__slice_eq(f, "\xe2\x80\x94") || dyad__slice_eq(f, "\xe2\x80\x93") ||
           dyad__slice_eq(f, "--") || dyad__slice_eq(f, "-");
}

/* "visited Washington on Monday - the first visit since ... -": a noun phrase set off by a
 * dash after a verb that has its object is a comment on the clause (parataxis), not a
 * predicate of the object (xcomp). */
static void dash_comment(dyad_token *t, size_t n)
{
    for (size_t x = 0; x < n; x++) {
        int32_t v = t[x].head;
        if (t[x].deprel != DYAD__REL_XCOMP || v <= 0 || v > (int32_t)x ||
            (t[x].upos != DYAD_UPOS_NOUN && t[x].upos != DYAD_UPOS_PROPN) ||
            !is_verb(&t[v - 1]) || !has_child(t, n, v, DYAD__REL_OBJ))
            continue;
        for (size_t i = (size_t)v; i < x; i++) {
            if (t[i].head != (int32_t)x + 1)
                continue;
            if (t[i].deprel == DYAD__REL_PUNCT && is_dash(t[i].form))
                t[x].deprel = DYAD__REL_PARATAXIS;
            break;   /* only the phrase's first word counts */
        }
    }
}

static bool capitalised(const dyad_token *t)
{
    return t->form.len && t->form.ptr[0] >= 'A' && t->form.ptr[0] <= 'Z';
}

/* "Afghan President Ashraf Ghani announced ...", "German Chancellor Angela Merkel urged ...":
 * a run of capitalised adjectives and proper nouns that opens the sentence (or follows a
 * punctuation mark or a determiner) right before its verb (auxiliaries may stand between) is
 * one name, the verb's subject.  When the parser split it (two of its words hang on the verb,
 * or one hangs there as an adverb, an object, a clause or a modifier, or a clause or a list
 * was made inside it), it becomes one phrase: its last word the head, the others its
 * compounds (adjectives: amod). */
static void name_before_verb(dyad_token *t, size_t n)
{
    size_t a = 0;
    while (a < n) {
        if (a > 0 && t[a - 1].upos != DYAD_UPOS_PUNCT && t[a - 1].upos != DYAD_UPOS_DET) {
            a++;
            continue;
        }
        size_t b = a;
        while (b < n && capitalised(&t[b]) &&
               (t[b].upos == DYAD_UPOS_PROPN || (b == a && t[b].upos == DYAD_UPOS_ADJ)))
            b++;
        if (b - a < 2 || t[b - 1].upos != DYAD_UPOS_PROPN) {
            a = b > a ? b : a + 1;
            continue;
        }
        size_t v = b;
        while (v < n && t[v].upos == DYAD_UPOS_AUX)
            v++;
        if (v >= n || !is_verb(&t[v])) {
            a = b;
            continue;
        }
        int32_t vh = (int32_t)v + 1;
        int on_verb = 0;
        bool odd = false, inside = true;
        for (size_t i = a; i < b; i++) {
            int32_t h = t[i].head;
            if (h == vh) {
                on_verb++;
                odd = odd || (t[i].deprel != DYAD__REL_NSUBJ && t[i].deprel != DYAD__REL_NSUBJ_PASS);
            } else if (h > (int32_t)a && h <= (int32_t)b) {
                odd = odd || t[i].deprel == DYAD__REL_CSUBJ || t[i].deprel == DYAD__REL_LIST;
            } else {
                inside = false;
            }
        }
        bool split = on_verb >= 2 || (on_verb == 1 && odd);
        /* a word of the run with a preposition of its own is not part of a name */
        for (size_t i = a; i < b && inside && split; i++)
            inside = !has_child(t, n, (int32_t)i + 1, DYAD__REL_CASE);
        /* the verb must not hang below the run (that would make a cycle) */
        int32_t up = t[v].head;
        for (size_t steps = 0; up > 0 && steps < n && inside; steps++) {
            inside = !(up > (int32_t)a && up <= (int32_t)b);
            up = t[up - 1].head;
        }
        if (inside && split) {
            for (size_t i = a; i + 1 < b; i++) {
                t[i].head = (int32_t)b;
                t[i].deprel = t[i].upos == DYAD_UPOS_ADJ ? DYAD__REL_AMOD : DYAD__REL_COMPOUND;
            }
            t[b - 1].head = vh;
            t[b - 1].deprel = DYAD__REL_NSUBJ;
        }
        a = b;
    }
}

/* "met Monday evening in Washington with ...": a time read as the verb's object is a time
 * (obl:tmod), and the phrases with a preposition hung on it belong to the verb. */
static void time_object(dyad_token *t, size_t n)
{
    for (size_t x = 0; x < n; x++) {
        int32_t v = t[x].head;
        if (t[x].deprel != DYAD__REL_OBJ || v <= 0 || v > (int32_t)x || !is_verb(&t[v - 1]) ||
            !lemma_in(&t[x], time_words) || x + 1 >= n || t[x + 1].upos != DYAD_UPOS_ADP)
            continue;
        t[x].deprel = DYAD__REL_OBL_TMOD;
        for (size_t i = x + 1; i < n; i++)
            if (t[i].head == (int32_t)x + 1 && t[i].deprel == DYAD__REL_NMOD &&
                has_child(t, n, (int32_t)i + 1, DYAD__REL_CASE)) {
                t[i].head = v;
                t[i].deprel = DYAD__REL_OBL;
            }
    }
}

/* "Cardin, D-Md., is just the latest to ...": news has no one addressed by name; a name
 * before a predicate that has no subject, read as a vocative, is its subject. */
static void vocative_subject(dyad_token *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int32_t h = t[i].head;
        if (t[i].deprel != DYAD__REL_VOCATIVE || t[i].upos != DYAD_UPOS_PROPN ||
            h <= (int32_t)i + 1 || has_child(t, n, h, DYAD__REL_NSUBJ) ||
            has_child(t, n, h, DYAD__REL_NSUBJ_PASS) ||
            !(is_verb(&t[h - 1]) || has_child(t, n, h, DYAD__REL_COP)))
            continue;
        t[i].deprel = DYAD__REL_NSUBJ;
    }
}

/* "A U.S. federal judge Thursday approved ...", "The Brazilian government Thursday evening
 * expressed ...": a time between the subject and its verb, read as the subject.  When the
 * noun phrase before the time hangs on it, or when that phrase was made the head and the verb
 * a relative clause of it, the phrase becomes the subject and the time a time of the verb. */
static void time_subject(dyad_token *t, size_t n)
{
    for (size_t x = 1; x < n; x++) {
        int32_t v = t[x].head, xh = (int32_t)x + 1;
        if (t[x].deprel != DYAD__REL_NSUBJ || v <= xh || !is_verb(&t[v - 1]) ||
            !lemma_in(&t[x], time_words))
            continue;
        size_t p = x;   /* the first word of the time: "Thursday" in "Thursday evening" */
        while (p > 0 && lemma_in(&t[p - 1], time_words) && t[p - 1].upos != DYAD_UPOS_ADP)
            p--;
        if (p == 0)
            continue;
        int32_t y = 0;   /* the head of the phrase before the time (1-based) */
        for (size_t i = 0; i < p; i++)
            if (t[i].head == xh && (t[i].upos == DYAD_UPOS_NOUN || t[i].upos == DYAD_UPOS_PROPN) &&
                !has_child(t, n, (int32_t)i + 1, DYAD__REL_CASE))
                y = (int32_t)i + 1;
        if (y) {
            for (size_t i = 0; i < (size_t)y - 1; i++)
                if (t[i].head == xh)
                    t[i].head = y;
            t[y - 1].head = v;
            t[y - 1].deprel = DYAD__REL_NSUBJ;
            t[x].deprel = DYAD__REL_OBL_TMOD;
            continue;
        }
        int32_t hnp = t[v - 1].head;
        if (hnp <= 0 || hnp >= (int32_t)p + 1 ||
            (t[v - 1].deprel != DYAD__REL_ACL_RELCL && t[v - 1].deprel != DYAD__REL_ACL) ||
            (t[hnp - 1].upos != DYAD_UPOS_NOUN && t[hnp - 1].upos != DYAD_UPOS_PROPN) ||
            has_child(t, n, hnp, DYAD__REL_CASE))
            continue;
        /* the verb takes the phrase's place in the tree; the phrase, its subject */
        t[v - 1].head = t[hnp - 1].head;
        t[v - 1].deprel = t[hnp - 1].deprel;
        t[hnp - 1].head = v;
        t[hnp - 1].deprel = DYAD__REL_NSUBJ;
        t[x].deprel = DYAD__REL_OBL_TMOD;
        for (size_t i = p; i < x; i++)
            if (t[i].head == hnp) {
                t[i].head = xh;
                t[i].deprel = DYAD__REL_COMPOUND;
            }
        for (size_t i = (size_t)v; i < n; i++)   /* what followed the verb is the verb's */
            if (t[i].head == hnp)
                t[i].head = v;
    }
}

/* Days that name a date on their own, without a preposition. */
static const char *const day_words[] = {
    "yesterday", "today", "tonight", "tomorrow", "Monday", "Tuesday", "Wednesday", "Thursday",
    "Friday", "Saturday", "Sunday", NULL};

/* "Trump called Putin Monday": a day right after a name, read as the last word of the name
 * (flat, compound), is a time of the verb the name hangs on. */
static void day_after_name(dyad_token *t, size_t n)
{
    for (size_t x = 1; x < n; x++) {
        int32_t p = t[x].head;
        if (p != (int32_t)x || t[p - 1].upos != DYAD_UPOS_PROPN ||
            (t[x].deprel != DYAD__REL_FLAT && t[x].deprel != DYAD__REL_COMPOUND) ||
            !lemma_in(&t[x], day_words) || lemma_in(&t[p - 1], day_words))
            continue;
        int32_t v = t[p - 1].head;
        if (v <= 0 || !is_verb(&t[v - 1]) || v == (int32_t)x + 1)
            continue;
        bool last = true;   /* nothing of the name after the day */
        for (size_t i = x + 1; i < n && last; i++)
            last = t[i].head != p;
        if (!last)
            continue;
        t[x].head = v;
        t[x].deprel = DYAD__REL_OBL_TMOD;
    }
}

/* "New York (CNN) French President Emmanuel Macron rejected ...": a dateline without a dash
 * (a place, the agency in brackets) read as the subject, the real subject hung on it.  The
 * dateline becomes a loose dependent of the verb (dep) and the phrase after it the subject. */
static void dateline(dyad_token *t, size_t n)
{
    size_t k = 0;
    while (k < n && capitalised(&t[k]) &&
           (t[k].upos == DYAD_UPOS_PROPN || t[k].upos == DYAD_UPOS_ADJ))
        k++;
    if (k == 0 || k + 3 >= n || !dyad__slice_eq(t[k].form, "("))
        return;
    size_t m = k + 1;
    while (m < n && m < k + 5 && t[m].upos == DYAD_UPOS_PROPN)
        m++;
    if (m == k + 1 || m + 1 >= n || !dyad__slice_eq(t[m].form, ")") || !capitalised(&t[m + 1]))
        return;
    int32_t place = 0;   /* the place's head: the one word of [0, k) hung outside it */
    for (size_t i = 0; i < k; i++)
        if (t[i].head <= 0 || t[i].head > (int32_t)k) {
            if (place)
                return;
            place = (int32_t)i + 1;
        }
    int32_t v = place ? t[place - 1].head : 0;
    if (!v || v <= (int32_t)m + 1 || !is_verb(&t[v - 1]) || t[place - 1].deprel != DYAD__REL_NSUBJ)
        return;
    int32_t subj = 0;    /* the one word after the dateline hung inside it */
    for (size_t i = m + 1; i < (size_t)v - 1; i++)
        if (t[i].head >= 1 && t[i].head <= (int32_t)m + 1) {
            if (subj)
                return;
            subj = (int32_t)i + 1;
        }
    if (!subj || (t[subj - 1].upos != DYAD_UPOS_PROPN && t[subj - 1].upos != DYAD_UPOS_NOUN))
        return;
    t[subj - 1].head = v;
    t[subj - 1].deprel = DYAD__REL_NSUBJ;
    t[place - 1].deprel = DYAD__REL_DEP;
}

/* "two groups of senators - including Marco Rubio ... - have written letters to ...": a
 * verb with its auxiliary right after a dash-set aside, read as an adjective of its object
 * (and the whole clause hung inside the aside).  The noun phrase before the aside is the
 * verb's subject, the verb takes that phrase's place in the tree (parataxis when the phrase
 * hung on a verb), and the noun after it is its object. */
static void clause_after_aside(dyad_token *t, size_t n)
{
    for (size_t v = 3; v + 1 < n; v++) {
        int32_t vh = (int32_t)v + 1, o = t[v].head;
        if (!is_verb(&t[v]) || t[v].deprel != DYAD__REL_AMOD || o != vh + 1 ||
            (t[o - 1].upos != DYAD_UPOS_NOUN && t[o - 1].upos != DYAD_UPOS_PROPN))
            continue;
        size_t a = v;   /* the auxiliaries of the verb before it */
        while (a > 0 && t[a - 1].upos == DYAD_UPOS_AUX && t[a - 1].head == vh)
            a--;
        if (a == v || a < 3 || !is_dash(t[a - 1].form))
            continue;
        size_t d1 = a - 1;   /* the dash that opens the aside */
        while (d1 > 0 && !is_dash(t[d1 - 1].form))
            d1--;
        if (d1 < 2)
            continue;
        d1--;
        /* the head of the noun phrase that ends right before the aside */
        int32_t np = (int32_t)d1;   /* token d1 - 1, 1-based */
        while (np > 0 && t[np - 1].head > 0 && t[np - 1].head < (int32_t)d1 + 1 &&
               (t[t[np - 1].head - 1].upos == DYAD_UPOS_NOUN ||
                t[t[np - 1].head - 1].upos == DYAD_UPOS_PROPN))
            np = t[np - 1].head;
        if (t[np - 1].upos != DYAD_UPOS_NOUN && t[np - 1].upos != DYAD_UPOS_PROPN)
            continue;
        int32_t up = t[np - 1].head;
        if (up > (int32_t)d1 + 1 || has_child(t, n, np, DYAD__REL_CASE))
            continue;
        t[v].head = up;
        t[v].deprel = up == 0 ? DYAD__REL_ROOT
                      : is_verb(&t[up - 1]) ? DYAD__REL_PARATAXIS : t[np - 1].deprel;
        t[np - 1].head = vh;
        t[np - 1].deprel = DYAD__REL_NSUBJ;
        t[o - 1].head = vh;
        t[o - 1].deprel = DYAD__REL_OBJ;
    }
}

void dyad__repair_tree(dyad_token *toks, size_t n)
{
    clause_after_aside(toks, n);
    dateline(toks, n);
    day_after_name(toks, n);
    time_subject(toks, n);
    time_object(toks, n);
    vocative_subject(toks, n);
    name_before_verb(toks, n);
    name_before_time(toks, n);
    name_as_adverb(toks, n);
    naming_predicate(toks, n);
    dash_comment(toks, n);
}
