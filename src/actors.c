/* actors.c - who: dictionary mentions, noun phrases into CAMEO actor codes, article memory. */
#include "coder.h"

#include <strings.h>

/* ---------------------------------------------------------------- tree helpers */

/* Is the slice the NUL-terminated word w, without ASCII case?  No strlen: the word must end
 * where the slice does. */
static bool slice_is_word(dyad_slice s, const char *w)
{
    /* most words of the lists differ at the first letter */
    if (s.len && !dyad__ascii_ieq(s.ptr, w, 1))
        return false;
    for (size_t k = 0; k < s.len; k++)
        if (!w[k])
            return false;
    return w[s.len] == 0 && dyad__ascii_ieq(s.ptr, w, s.len);
}

bool dyad__lemma_is(const dyad__coder *c, uint32_t i, const char *lemma)
{
    return slice_is_word(c->t[i].lemma.len ? c->t[i].lemma : c->t[i].form, lemma);
}

int32_t dyad__child(const dyad__coder *c, uint32_t i, int rel)
{
    for (uint32_t k = c->kid_start[i]; k < c->kid_start[i + 1]; k++)
        if (dyad__rel_base(c, c->kids[k], rel))
            return (int32_t)c->kids[k];
    return -1;
}

int32_t dyad__case_of(const dyad__coder *c, uint32_t i)
{
    for (uint32_t k = c->kid_start[i]; k < c->kid_start[i + 1]; k++) {
        uint32_t d = c->kids[k];
        if (dyad__rel_base(c, d, DYAD__REL_CASE) || dyad__rel_base(c, d, DYAD__REL_MARK))
            return (int32_t)d;
    }
    /* the preposition hung on the first word of a compound name ("in South Africa") */
    for (uint32_t k = c->kid_start[i]; k < c->kid_start[i + 1]; k++) {
        uint32_t d = c->kids[k];
        if (d < i && dyad__rel_base(c, d, DYAD__REL_COMPOUND))
            for (uint32_t j = c->kid_start[d]; j < c->kid_start[d + 1]; j++)
                if (dyad__rel_base(c, c->kids[j], DYAD__REL_CASE))
                    return (int32_t)c->kids[j];
    }
    return -1;
}

/* ---------------------------------------------------------------- mentions */

/* Which entry kind speaks for a phrase when several entries share it. */
static int kind_rank(int kind)
{
    switch (kind) {
    case DYAD__DK_PERSON: return 10;
    case DYAD__DK_METONYM: return 9;
    case DYAD__DK_ORG: return 8;
    case DYAD__DK_PACTOR: return 8;
    case DYAD__DK_COUNTRY: return 7;
    case DYAD__DK_PEOPLE: return 6;
    case DYAD__DK_ADJ: return 6;
    case DYAD__DK_CAPITAL: return 5;
    case DYAD__DK_AGENT: return 4;
    case DYAD__DK_PAGENT: return 4;
    case DYAD__DK_CITY: return 3;
    case DYAD__DK_REGION: return 2;
    default: return 1;
    }
}

static bool is_place_kind(int kind)
{
    return kind == DYAD__DK_CAPITAL || kind == DYAD__DK_CITY || kind == DYAD__DK_REGION ||
           kind == DYAD__DK_COUNTRY;
}

dyad_status dyad__mentions(dyad__coder *c)
{
    c->nmentions = 0;
    c->discard = false;
    for (uint32_t i = 0; i < c->n; i++)
        c->mention_of[i] = -1;
    dyad__dict_hit hits[8];
    for (uint32_t i = 0; i < c->n;) {
        size_t k = c->dict ? dyad__dict_lookup(c->dict, c->t, c->n, i, c->art_date, hits, 8) : 0;
        if (!k) {
            i++;
            continue;
        }
        if (DYAD_GROW(c->mentions, c->cap_mentions, c->nmentions + 1))
            return DYAD_ENOMEM;
        dyad__mention *m = &c->mentions[c->nmentions];
        memset(m, 0, sizeof *m);
        m->start = i;
        m->len = hits[0].ntokens;
        m->nhits = (uint16_t)k;
        /* a role word used as an adjective or a verb ("military aid", "to judge") is not an
         * actor: the last word of an agent phrase must be a noun */
        const dyad_token *last = &c->t[i + hits[0].ntokens - 1];
        bool nominal = last->upos == DYAD_UPOS_NOUN || last->upos == DYAD_UPOS_PROPN ||
                       last->upos == DYAD_UPOS_NONE;
        size_t kept = 0;
        for (size_t h = 0; h < k; h++)
            if ((hits[h].kind != DYAD__DK_AGENT && hits[h].kind != DYAD__DK_PAGENT) || nominal)
                hits[kept++] = hits[h];
        if (!kept) {
            i++;
            continue;
        }
        k = kept;
        m->nhits = (uint16_t)k;
        size_t best = 0;
        for (size_t h = 0; h < k; h++) {
            if (hits[h].kind == DYAD__DK_DISCARD)
                c->discard = true;
            if (hits[h].flags & DYAD__DF_AMBIGUOUS)
                m->ambiguous = true;
            if (is_place_kind(hits[h].kind) && !m->place) {
                m->place = true;
                m->place_country = hits[h].country.len ? hits[h].country : hits[h].code;
            }
            if (kind_rank(hits[h].kind) > kind_rank(hits[best].kind))
                best = h;
        }
        for (size_t h = 0; h < k; h++)
            if (hits[h].kind != hits[best].kind && kind_rank(hits[h].kind) > 2 &&
                hits[h].code.len && hits[best].code.len &&
                !(hits[h].code.len == hits[best].code.len &&
                  memcmp(hits[h].code.ptr, hits[best].code.ptr, hits[h].code.len) == 0))
                m->ambiguous = true;
        m->hit = hits[best];
        for (uint32_t t = i; t < i + m->len && t < c->n; t++)
            c->mention_of[t] = (int32_t)c->nmentions;
        c->nmentions++;
        i += m->len ? m->len : 1;
    }
    return DYAD_OK;
}

/* ---------------------------------------------------------------- codes */

static bool is_country_code(dyad_slice code)
{
    static const char *const prefixes[] = {"IGO", "NGO", "IMG", "MNC", "NGM", "UIS", "INT", "---"};
    if (code.len < 3)
        return false;
    for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++)
        if (strncmp(code.ptr, prefixes[i], 3) == 0)
            return false;
    return true;
}

/* Role codes that stand for an international or non-state sector rather than a role inside a
 * country: alone they are a whole code ("aid workers" -> NGO, not ---NGO). */
static bool sector_code(dyad_slice role)
{
    static const char *const sectors[] = {"NGO", "IGO", "INT", "UIS", "MNC", "IMG", "NGM", NULL};
    for (const char *const *p = sectors; *p; p++)
        if (role.len == 3 && memcmp(role.ptr, *p, 3) == 0)
            return true;
    return false;
}

/* country + role, in the doc's arena */
static dyad_slice join_code(dyad__coder *c, dyad_slice country, dyad_slice role)
{
    if (!role.len)
        return country;
    if (!country.len && sector_code(role))
        return role;
    if (!country.len)
        country = dyad__slice("---", 3);
    /* a role already in the code ("RUSGOV" + "GOV") is not doubled */
    if (country.len >= 6 && country.len >= role.len &&
        memcmp(country.ptr + country.len - role.len, role.ptr, role.len) == 0)
        return country;
    char *p = dyad__arena_alloc(&c->doc->arena, country.len + role.len + 1);
    if (!p)
        return country;
    memcpy(p, country.ptr, country.len);
    memcpy(p + country.len, role.ptr, role.len);
    p[country.len + role.len] = '\0';
    return dyad__slice(p, country.len + role.len);
}

/* ---------------------------------------------------------------- memory */

static dyad_slice form(const dyad__coder *c, uint32_t i)
{
    return c->t[i].form;
}

static void remember(dyad__coder *c, dyad_slice key, dyad_slice code, dyad_slice text, bool person)
{
    if (!key.len || !code.len)
        return;
    for (uint32_t i = 0; i < c->nmemory; i++)
        if (c->memory[i].key.len == key.len && memcmp(c->memory[i].key.ptr, key.ptr, key.len) == 0) {
            c->memory[i].code = code;
            c->memory[i].sentence = c->sent;
            return;
        }
    if (c->nmemory == DYAD__MAX_MEMORY)
        return;
    dyad__memory *m = &c->memory[c->nmemory++];
    m->key = key;
    m->code = code;
    m->text = text;
    m->person = person;
    m->sentence = c->sent;
}

static const dyad__memory *recall(const dyad__coder *c, dyad_slice key)
{
    for (uint32_t i = c->nmemory; i-- > 0;)
        if (c->memory[i].key.len == key.len && memcmp(c->memory[i].key.ptr, key.ptr, key.len) == 0)
            return &c->memory[i];
    return NULL;
}

/* ---------------------------------------------------------------- noun phrases */

typedef struct np {
    uint32_t first, last;
    int32_t full, country, role;   /* mention indices or -1 */
    bool head_covered_by_full;
} np;

static bool np_rel(const dyad__coder *c, uint32_t d)
{
    return dyad__rel_base(c, d, DYAD__REL_COMPOUND) || dyad__rel_base(c, d, DYAD__REL_FLAT) ||
           dyad__rel_is(c, d, DYAD__REL_AMOD) || dyad__rel_is(c, d, DYAD__REL_NMOD_POSS) ||
           dyad__rel_is(c, d, DYAD__REL_NMOD_DESC) || dyad__rel_base(c, d, DYAD__REL_DET) ||
           dyad__rel_is(c, d, DYAD__REL_NUMMOD) ||
           (dyad__rel_is(c, d, DYAD__REL_CASE) && c->t[d].upos == DYAD_UPOS_PART); /* 's */
}

static void consider(dyad__coder *c, np *p, uint32_t tok, uint32_t head)
{
    int32_t mi = c->mention_of[tok];
    if (mi < 0 || (uint32_t)c->mentions[mi].start != tok)
        return;
    const dyad__mention *m = &c->mentions[mi];
    int kind = m->hit.kind;
    bool covers_head = head >= m->start && head < m->start + m->len;
    switch (kind) {
    case DYAD__DK_PERSON:
    case DYAD__DK_METONYM:
    case DYAD__DK_ORG:
    case DYAD__DK_PACTOR:
        if (p->full < 0 || covers_head) {
            p->full = mi;
            p->head_covered_by_full = covers_head;
        }
        break;
    case DYAD__DK_COUNTRY:
    case DYAD__DK_ADJ:
    case DYAD__DK_PEOPLE:
    case DYAD__DK_CAPITAL:
        if (p->country < 0)
            p->country = mi;
        break;
    case DYAD__DK_AGENT:
    case DYAD__DK_PAGENT:
        if (p->role < 0 || covers_head)
            p->role = mi;
        break;
    default:
        break;
    }
}

static void collect(dyad__coder *c, np *p, uint32_t i, uint32_t head, int depth)
{
    if (i < p->first)
        p->first = i;
    if (i > p->last)
        p->last = i;
    consider(c, p, i, head);
    if (depth > 6)
        return;
    for (uint32_t k = c->kid_start[i]; k < c->kid_start[i + 1]; k++) {
        uint32_t d = c->kids[k];
        if (np_rel(c, d))
            collect(c, p, d, head, depth + 1);
    }
    /* a mention that runs past the collected words (multi-word names) */
    int32_t mi = c->mention_of[i];
    if (mi >= 0) {
        const dyad__mention *m = &c->mentions[mi];
        if (m->start < p->first)
            p->first = m->start;
        if (m->start + m->len - 1 > p->last)
            p->last = m->start + m->len - 1;
        if (m->start != i)
            consider(c, p, m->start, head);
    }
}

static bool is_pronoun(const dyad__coder *c, uint32_t i)
{
    return c->t[i].upos == DYAD_UPOS_PRON;
}

static bool pron_in(const dyad__coder *c, uint32_t i, const char *const *list)
{
    for (; *list; list++)
        if (dyad__lemma_is(c, i, *list) || slice_is_word(c->t[i].form, *list))
            return true;
    return false;
}

static uint32_t resolve_one(dyad__coder *c, uint32_t h, bool subject, dyad__actor *out, int depth);

/* A U.S. legislator's party and state after a name ("D-Md.", "R-Fla.", "I-Vt."): a party
 * letter, a hyphen and a capitalised state abbreviation. */
static bool is_party_tag(const dyad__coder *c, uint32_t i)
{
    dyad_slice f = c->t[i].form;
    if (f.len < 3 || f.len > 8 || (f.ptr[0] != 'D' && f.ptr[0] != 'R' && f.ptr[0] != 'I') ||
        f.ptr[1] != '-' || f.ptr[2] < 'A' || f.ptr[2] > 'Z')
        return false;
    for (size_t k = 3; k < f.len; k++)
        if (!((f.ptr[k] >= 'a' && f.ptr[k] <= 'z') || (f.ptr[k] >= 'A' && f.ptr[k] <= 'Z') ||
              f.ptr[k] == '.'))
            return false;
    return true;
}

/* Does a party tag follow the name headed by h ("Cardin, D-Md.,")? */
static bool has_party_tag(const dyad__coder *c, uint32_t h, uint32_t last)
{
    for (uint32_t k = c->kid_start[h]; k < c->kid_start[h + 1]; k++)
        if (c->kids[k] > h && is_party_tag(c, c->kids[k]))
            return true;
    return last + 2 < c->n && c->t[last + 1].form.len == 1 && c->t[last + 1].form.ptr[0] == ',' &&
           is_party_tag(c, last + 2);
}

static bool temporal_of(const dyad__coder *c, uint32_t h)
{
    /* a name the dictionaries know, or a name with a first name ("Theresa May"), is not the
     * month */
    if (c->mention_of[h] >= 0 && c->mentions[c->mention_of[h]].hit.kind != DYAD__DK_DISCARD)
        return false;
    if (c->t[h].upos == DYAD_UPOS_PROPN)
        for (uint32_t k = c->kid_start[h]; k < c->kid_start[h + 1]; k++) {
            uint32_t d = c->kids[k];
            if (d + 1 == h && c->t[d].upos == DYAD_UPOS_PROPN &&
                (dyad__rel_base(c, d, DYAD__REL_COMPOUND) || dyad__rel_base(c, d, DYAD__REL_FLAT)))
                return false;
        }
    static const char *const times[] = {"morning", "afternoon", "evening", "night", "day",
                                        "week", "weekend", "month", "year", "time", "today",
                                        "yesterday", "tomorrow", "decade", "hour", NULL};
    dyad__date d;
    return pron_in(c, h, times) || dyad__when(c->t, c->n, h, &c->art, false, &d) > 0;
}

bool dyad__is_temporal(const dyad__coder *c, uint32_t h)
{
    /* asked again and again of the same words: answered once per sentence */
    uint8_t *known = c->temporal;
    if (!known[h])
        known[h] = temporal_of(c, h) ? 2 : 1;
    return known[h] == 2;
}

/* Relative pronouns stand for the noun their clause modifies. */
static bool is_dash(const dyad__coder *c, uint32_t i);

static uint32_t antecedent(const dyad__coder *c, uint32_t i)
{
    static const char *const rel[] = {"that", "which", "who", "whom", NULL};
    int32_t v = dyad__head(c, i);
    /* "... receives something from Moscow - which Lavrov blasted as robbery": after a dash,
     * "which" takes up the whole clause, not its last noun */
    if (i > 0 && is_dash(c, i - 1) && dyad__lemma_is(c, i, "which"))
        return i;
    if (v >= 0 && pron_in(c, i, rel) && dyad__rel_base(c, (uint32_t)v, DYAD__REL_ACL)) {
        int32_t a = dyad__head(c, (uint32_t)v);
        if (a >= 0)
            return (uint32_t)a;
    }
    return i;
}

/* The subject pronoun of a reported clause ("Russia said it would ...", "the rebels insisted
 * they had ...", "Trump said he would call on ..."): the subject of the clause that reports
 * it, when it is compatible (he/she a person or role, it a group, they either).  This is how
 * news writes it: the speaker of the main clause is the one meant. */
int32_t dyad__reporter_of(const dyad__coder *c, uint32_t h)
{
    if (!dyad__rel_base(c, h, DYAD__REL_NSUBJ))
        return -1;
    int32_t v = dyad__head(c, h);
    if (v < 0 || !(dyad__rel_base(c, (uint32_t)v, DYAD__REL_CCOMP) ||
                   dyad__rel_base(c, (uint32_t)v, DYAD__REL_PARATAXIS)))
        return -1;
    int32_t w = dyad__head(c, (uint32_t)v);
    if (w < 0)
        return -1;
    bool passive;
    int32_t s = dyad__subject_of(c, (uint32_t)w, &passive);
    return s < 0 || passive || (uint32_t)s == h ? -1 : s;
}

static bool clause_antecedent(dyad__coder *c, uint32_t h, bool person_pron, bool it_pron,
                              dyad__actor *out, int depth)
{
    if (depth > 1)
        return false;
    int32_t s = dyad__reporter_of(c, h);
    if (s < 0)
        return false;
    dyad__actor a[DYAD__MAX_MEMBERS];
    uint32_t n = c->t[s].upos == DYAD_UPOS_PRON
                     ? (resolve_one(c, (uint32_t)s, true, a, depth + 1) ? 1 : 0)
                     : dyad__actors_at(c, (uint32_t)s, true, a, DYAD__MAX_MEMBERS);
    if (n != 1 || !a[0].code.len)
        return false;
    if (person_pron ? a[0].group : it_pron ? a[0].person : false)
        return false;
    /* the antecedent's words: they are what the code was read from */
    *out = a[0];
    out->plural = !person_pron && !it_pron;
    out->group = !out->person;
    return true;
}

/* The object pronoun it/them of a verb: the nearest group the sentence named before it, other
 * than the verb's own subject ("letters to the Trump administration urging it not to return
 * the compounds"). */
static bool object_antecedent(dyad__coder *c, uint32_t h, dyad__actor *out)
{
    if (!(dyad__rel_is(c, h, DYAD__REL_OBJ) || dyad__rel_is(c, h, DYAD__REL_IOBJ)))
        return false;
    int32_t v = dyad__head(c, h);
    bool passive;
    int32_t own = v >= 0 ? dyad__subject_of(c, (uint32_t)v, &passive) : -1;
    for (uint32_t i = h; i-- > 0;) {
        if (c->mention_of[i] < 0 || c->t[i].upos == DYAD_UPOS_PRON)
            continue;
        /* the head of the noun phrase the mention is in */
        uint32_t x = i;
        for (int up = 0; up < 4 && dyad__head(c, x) >= 0 && np_rel(c, x); up++)
            x = (uint32_t)dyad__head(c, x);
        if ((int32_t)x == own || x >= h || c->t[x].upos == DYAD_UPOS_VERB)
            continue;
        dyad__actor a[DYAD__MAX_MEMBERS];
        if (dyad__actors_at(c, x, false, a, 1) == 1 && a[0].group && a[0].code.len &&
            strncmp(a[0].code.ptr, "---", 3) != 0) {
            *out = a[0];
            return true;
        }
        return false;   /* the nearest named actor decides */
    }
    return false;
}

static bool pronoun_actor(dyad__coder *c, uint32_t h, dyad__actor *out, int depth)
{
    static const char *const person[] = {"he", "she", "him", "her", "his", NULL};
    static const char *const group[] = {"it", "its", "they", "them", "their", NULL};
    static const char *const it[] = {"it", "its", NULL};
    bool is_person = pron_in(c, h, person), is_group = pron_in(c, h, group);
    if ((is_person || is_group) &&
        clause_antecedent(c, h, is_person, is_group && pron_in(c, h, it), out, depth))
        return true;
    if (is_group && depth < 1 && object_antecedent(c, h, out))
        return true;
    memset(out, 0, sizeof *out);
    out->head = out->first = out->last = h;
    if (is_person && c->have_person) {
        out->code = c->last_person.code;
        out->person = true;
        return out->code.len > 0;
    }
    if (is_group && (c->have_group || c->have_person)) {
        out->code = c->have_group ? c->last_group.code : c->last_person.code;
        out->plural = true;
        return out->code.len > 0;
    }
    return false;
}

static uint32_t resolve_one(dyad__coder *c, uint32_t h, bool subject, dyad__actor *out, int depth)
{
    h = antecedent(c, h);
    memset(out, 0, sizeof *out);
    out->head = out->first = out->last = h;
    if (is_pronoun(c, h))
        return pronoun_actor(c, h, out, depth) ? 1 : 0;
    if (dyad__is_temporal(c, h))
        return 0;   /* "met Monday evening with ...": a time is never an actor */
    np p = {h, h, -1, -1, -1, false};
    collect(c, &p, h, h, 0);
    /* titles before a name that the parser attached elsewhere ("Russian Deputy Foreign
     * Minister Sergei Ryabkov"): the adjectives and nouns right before the phrase belong to
     * it */
    if (c->t[h].upos == DYAD_UPOS_PROPN || c->t[h].upos == DYAD_UPOS_NOUN)
        while (p.first > 0) {
            uint32_t t = p.first - 1;
            int u = c->t[t].upos;
            if (u != DYAD_UPOS_ADJ && u != DYAD_UPOS_PROPN && u != DYAD_UPOS_NOUN)
                break;
            /* only words of a name or title run on: a determiner or a preposition starts
             * the phrase, and a time is not a title ("rejected on Monday an Afghan offer",
             * "opened its borders to refugees") */
            int f = c->t[p.first].upos;
            if ((f != DYAD_UPOS_ADJ && f != DYAD_UPOS_PROPN && f != DYAD_UPOS_NOUN) ||
                dyad__is_temporal(c, t))
                break;
            if (dyad__head(c, t) == dyad__head(c, h) && dyad__rel_base(c, t, DYAD__REL_NSUBJ))
                break;   /* another argument of the same verb */
            p.first = t;
            int32_t mi = c->mention_of[t];
            if (mi >= 0)
                consider(c, &p, (uint32_t)c->mentions[mi].start, h);
            if (mi >= 0 && c->mentions[mi].start < p.first)
                p.first = c->mentions[mi].start;
        }
    /* "the government of Russia", "groups of senators": an of-phrase gives the country or the
     * role the head lacks (not an ambiguous name: "Isakson of Georgia") */
    for (uint32_t k = c->kid_start[h]; k < c->kid_start[h + 1]; k++) {
        uint32_t d = c->kids[k];
        if (!dyad__rel_is(c, d, DYAD__REL_NMOD))
            continue;
        int32_t cs = dyad__case_of(c, d);
        if (cs < 0 || !dyad__lemma_is(c, (uint32_t)cs, "of"))
            continue;
        np q = {d, d, -1, -1, -1, false};
        collect(c, &q, d, d, 0);
        /* an ambiguous name is the country when a role word asks for one ("the government
         * of Turkey", not "Isakson of Georgia") */
        bool role_noun = p.role >= 0 && c->t[h].upos == DYAD_UPOS_NOUN;
        if (p.country < 0 && p.full < 0 && q.country >= 0 &&
            (!c->mentions[q.country].ambiguous || role_noun))
            p.country = q.country;
        if (p.role < 0 && p.full < 0 && q.role >= 0 && p.country < 0 && q.country >= 0)
            p.country = q.country;
        if (p.role < 0 && p.full < 0 && q.role >= 0)
            p.role = q.role;
        if (p.full < 0 && p.role < 0 && q.full >= 0 && c->t[h].upos == DYAD_UPOS_NOUN &&
            !c->mentions[q.full].ambiguous)
            p.full = q.full;
    }
    out->first = p.first;
    out->last = p.last;
    out->plural = c->t[h].xpos == c->x.nns || c->t[h].xpos == c->x.nnps;

    dyad_slice code = {0};
    dyad_slice role = p.role >= 0 ? c->mentions[p.role].hit.code : dyad__slice("", 0);
    if (p.full >= 0) {
        const dyad__mention *m = &c->mentions[p.full];
        code = m->hit.code;
        out->person = m->hit.kind == DYAD__DK_PERSON;
        /* "the Obama administration", "Kremlin spokesman": the head's role wins */
        if (!p.head_covered_by_full && role.len && is_country_code(code))
            code = join_code(c, dyad__slice(code.ptr, 3), role);
        else if (p.head_covered_by_full && role.len && code.len == 3)
            code = join_code(c, code, role);
    } else if (p.country >= 0) {
        const dyad__mention *m = &c->mentions[p.country];
        dyad_slice country = m->hit.country.len ? m->hit.country : m->hit.code;
        /* a capital in an actor's slot is its country ("Washington said", "accused
         * Moscow"); places in "in"/"at" phrases never reach here */
        if (m->hit.kind == DYAD__DK_CAPITAL && !country.len && m->hit.code.len >= 3)
            country = dyad__slice(m->hit.code.ptr, 3);
        code = country.len ? join_code(c, country, role) : dyad__slice("", 0);
    } else if (role.len) {
        code = join_code(c, dyad__slice("", 0), role);
    }
    bool propn = c->t[h].upos == DYAD_UPOS_PROPN;
    /* a name coded earlier in the article */
    if ((!code.len || (code.len >= 3 && !strncmp(code.ptr, "---", 3))) && propn) {
        const dyad__memory *m = recall(c, form(c, h));
        if (m) {
            code = m->code;
            out->person = m->person;
        }
    }
    /* an apposition says who a name is: "Tom Shannon, the U.S. undersecretary of state" */
    if (depth < 2) {
        for (uint32_t k = c->kid_start[h]; k < c->kid_start[h + 1]; k++) {
            uint32_t d = c->kids[k];
            if (!dyad__rel_is(c, d, DYAD__REL_APPOS))
                continue;
            dyad__actor a;
            if (resolve_one(c, d, false, &a, depth + 1) && a.code.len &&
                (!code.len || !strncmp(code.ptr, "---", 3))) {
                code = a.code;
                out->person = out->person || propn;
            }
            break;
        }
    }
    /* "Sen. Jim Smith, R-Ohio": a U.S. legislator, whatever else the name lacks */
    if (propn && (!code.len || (code.len >= 3 && !strncmp(code.ptr, "---", 3))) &&
        has_party_tag(c, h, p.last))
        code = dyad__cstr("USALEG");
    /* "two groups of senators - including Republicans Marco Rubio of Florida and ... -": a
     * role without a country takes the country of the members an "including" phrase right
     * after it names */
    if (code.len > 3 && !strncmp(code.ptr, "---", 3) && depth < 1) {
        /* the phrase of h and the punctuation after it, up to a dash- or comma-set
         * "including" (the parser may hang it on the phrase or beside it) */
        uint32_t j = h + 1;
        for (; j < c->n; j++) {
            if (dyad__lemma_is(c, j, "include") && c->t[j - 1].upos == DYAD_UPOS_PUNCT)
                break;
            int32_t x = (int32_t)j;
            for (int up = 0; up < 8 && x >= 0 && x != (int32_t)h; up++)
                x = dyad__head(c, (uint32_t)x);
            if (x != (int32_t)h && c->t[j].upos != DYAD_UPOS_PUNCT)
                break;
        }
        if (j < c->n && dyad__lemma_is(c, j, "include"))
            for (uint32_t k = j + 1; k < c->n && c->t[k].upos != DYAD_UPOS_PUNCT; k++) {
                if (c->mention_of[k] < 0)
                    continue;
                uint32_t x = k;
                while (dyad__head(c, x) > (int32_t)x && (dyad__rel_base(c, x, DYAD__REL_COMPOUND) ||
                                                         dyad__rel_base(c, x, DYAD__REL_FLAT)))
                    x = (uint32_t)dyad__head(c, x);
                dyad__actor m;
                if (resolve_one(c, x, false, &m, depth + 1) && is_country_code(m.code) &&
                    m.code.len >= 3)
                    code = join_code(c, dyad__slice(m.code.ptr, 3),
                                     dyad__slice(code.ptr + 3, code.len - 3));
                break;
            }
    }
    if (!code.len)
        return 0;
    /* a title heading a name the parser attached to it ("Minister Sergei Ryabkov" with the
     * name as flat words of "Minister"): the name is what later mentions use */
    uint32_t name_first = UINT32_MAX, name_last = 0;
    if (!propn || c->mention_of[h] >= 0)
        for (uint32_t k = c->kid_start[h]; k < c->kid_start[h + 1]; k++) {
            uint32_t d = c->kids[k];
            if (d > h && dyad__rel_is(c, d, DYAD__REL_FLAT) && c->t[d].upos == DYAD_UPOS_PROPN &&
                c->mention_of[d] < 0) {
                if (d < name_first)
                    name_first = d;
                if (d > name_last)
                    name_last = d;
            }
        }
    if (name_first != UINT32_MAX && p.full < 0) {
        dyad_slice text = dyad__slice(c->t[name_first].form.ptr,
                                      (size_t)(c->t[name_last].form.ptr + c->t[name_last].form.len -
                                               c->t[name_first].form.ptr));
        remember(c, form(c, name_last), code, text, true);
        remember(c, text, code, text, true);
        out->person = true;
    } else if (propn && p.full < 0 && c->mention_of[h] < 0) {
        /* a name no dictionary knows, coded by its title or apposition: remember it and its
         * surname for later mentions */
        uint32_t a = h, b = h;
        while (a > 0 && c->t[a - 1].upos == DYAD_UPOS_PROPN && dyad__head(c, a - 1) == (int32_t)h &&
               c->mention_of[a - 1] < 0)
            a--;
        for (uint32_t k = c->kid_start[h]; k < c->kid_start[h + 1]; k++)
            if (dyad__rel_is(c, c->kids[k], DYAD__REL_FLAT) && c->kids[k] > b)
                b = c->kids[k];
        dyad_slice text = dyad__slice(c->t[a].form.ptr,
                                      (size_t)(c->t[b].form.ptr + c->t[b].form.len - c->t[a].form.ptr));
        remember(c, form(c, b), code, text, true);
        remember(c, text, code, text, true);
        out->person = true;
    }
    out->code = code;
    out->group = !out->person && (!propn || p.full >= 0);
    return 1;
}

void dyad__actor_seen(dyad__coder *c, const dyad__actor *a)
{
    /* a role without a country ("the ministers" = ---GOV) tells a later "it" or "he" nothing */
    if (!a->code.len || (a->code.len >= 3 && memcmp(a->code.ptr, "---", 3) == 0))
        return;
    if (a->person) {
        if (c->have_person && !(c->last_person.code.len == a->code.len &&
                                !memcmp(c->last_person.code.ptr, a->code.ptr, a->code.len))) {
            c->prev_person = c->last_person;
            c->have_prev_person = true;
        }
        c->last_person = *a;
        c->have_person = true;
    } else if (a->group) {
        c->last_group = *a;
        c->have_group = true;
    }
}

uint32_t dyad__actors_at(dyad__coder *c, uint32_t h, bool slot_subject, dyad__actor *out,
                         uint32_t max)
{
    if (!max || h >= c->n)
        return 0;
    uint32_t n = 0;
    h = antecedent(c, h);
    if (resolve_one(c, h, slot_subject, &out[n], 0))
        n++;
    for (uint32_t k = c->kid_start[h]; k < c->kid_start[h + 1] && n < max; k++) {
        uint32_t d = c->kids[k];
        /* a member inside a name already read ("Immigration and Customs Enforcement") is
         * not another actor */
        if (n && d >= out[0].first && d <= out[0].last)
            continue;
        if (dyad__rel_is(c, d, DYAD__REL_CONJ) && !is_party_tag(c, d) &&
            resolve_one(c, d, slot_subject, &out[n], 0))
            n++;
    }
    /* "Russia, U.S. officials held talks": in a headline a comma joins a subject's members */
    int32_t v = dyad__head(c, h);
    if (slot_subject && v >= 0 && dyad__rel_base(c, h, DYAD__REL_NSUBJ) && n && n < max)
        for (uint32_t k = c->kid_start[v]; k < c->kid_start[v + 1] && n < max; k++) {
            uint32_t d = c->kids[k];
            if (d >= out[0].first ||
                !(dyad__rel_is(c, d, DYAD__REL_VOCATIVE) || dyad__rel_is(c, d, DYAD__REL_DEP)) ||
                (c->t[d].upos != DYAD_UPOS_PROPN && c->t[d].upos != DYAD_UPOS_NOUN))
                continue;
            /* nothing but a comma between the two */
            bool comma = false, other = false;
            for (uint32_t i = d + 1; i < out[0].first; i++) {
                if (c->t[i].form.len == 1 && c->t[i].form.ptr[0] == ',')
                    comma = true;
                else if (dyad__head(c, i) != (int32_t)d)
                    other = true;
            }
            if (comma && !other && resolve_one(c, d, slot_subject, &out[n], 0))
                n++;
        }
    /* "the two sides": the two actors most recently in the article */
    if (!n && dyad__lemma_is(c, h, "side") && c->have_person && c->have_group) {
        out[0] = c->last_person;
        out[1] = c->last_group;
        out[0].head = out[1].head = out[0].first = out[1].first = out[0].last = out[1].last = h;
        n = max >= 2 ? 2 : 1;
    }
    /* "the two men", "both leaders": the two people most recently in the article */
    static const char *const people[] = {"man", "woman", "leader", NULL};
    if (!n && pron_in(c, h, people) && c->have_person && c->have_prev_person) {
        bool two = false;
        for (uint32_t k = c->kid_start[h]; k < c->kid_start[h + 1]; k++) {
            uint32_t d = c->kids[k];
            if ((dyad__rel_is(c, d, DYAD__REL_NUMMOD) &&
                 (dyad__lemma_is(c, d, "two") || dyad__lemma_is(c, d, "2"))) ||
                (dyad__rel_base(c, d, DYAD__REL_DET) && dyad__lemma_is(c, d, "both")))
                two = true;
        }
        if (two) {
            out[0] = c->prev_person;
            out[1] = c->last_person;
            out[0].head = out[1].head = out[0].first = out[1].first = out[0].last = out[1].last = h;
            n = max >= 2 ? 2 : 1;
        }
    }
    return n;
}

static bool phrase_rel(const dyad__coder *c, uint32_t d);

/* The most tokens a modifier may span to be part of an actor's words: longer ones are
 * usually a misattached clause. */
#define PHRASE_MAX_GAP 10

/* The extent of the phrase of x: x and, below it, the modifiers that belong to a noun
 * phrase's words (not a clause hanging on one of its nouns: "a military base in Borno state
 * leaving scores dead"); *has is set when token avoid is inside it. */
static void subtree_extent(const dyad__coder *c, uint32_t x, int depth, uint32_t avoid,
                           uint32_t *lo, uint32_t *hi, bool *has)
{
    if (x == avoid)
        *has = true;
    if (x < *lo)
        *lo = x;
    if (x > *hi)
        *hi = x;
    if (depth > 12)
        return;
    for (uint32_t k = c->kid_start[x]; k < c->kid_start[x + 1]; k++) {
        uint32_t d = c->kids[k];
        /* its own words (preposition, determiner, possessive mark) and the phrase's */
        if (phrase_rel(c, d) || dyad__rel_base(c, d, DYAD__REL_CASE) ||
            dyad__rel_base(c, d, DYAD__REL_DET) || dyad__rel_base(c, d, DYAD__REL_PUNCT) ||
            dyad__rel_base(c, d, DYAD__REL_CC) || dyad__rel_base(c, d, DYAD__REL_CONJ))
            subtree_extent(c, d, depth + 1, avoid, lo, hi, has);
    }
}

/* Modifiers that belong to a noun phrase's words: determiners, numbers ("at least 75"),
 * adjectives, of/in/from phrases ("the enclave of Eastern Ghouta", "a request from The New
 * York Times"), appositions ("his Lebanese counterpart, Michel Aoun") and reduced clauses
 * ("the resolution proposed by Britain"); not relative clauses, coordinated phrases (each
 * member is an actor of its own) or times ("Trump on Tuesday"). */
static bool phrase_rel(const dyad__coder *c, uint32_t d)
{
    if (dyad__is_temporal(c, d))
        return false;   /* "Friday a Japanese-drafted resolution": the parser's attachment */
    if (dyad__rel_is(c, d, DYAD__REL_ACL_RELCL) || dyad__rel_base(c, d, DYAD__REL_CONJ) ||
        dyad__rel_base(c, d, DYAD__REL_CC) || dyad__rel_base(c, d, DYAD__REL_PUNCT) ||
        dyad__rel_base(c, d, DYAD__REL_PARATAXIS))
        return false;
    if (dyad__rel_base(c, d, DYAD__REL_NMOD) || dyad__rel_base(c, d, DYAD__REL_OBL)) {
        /* "during a visit", "amid tensions", "after the talks" say when, not who */
        static const char *const when[] = {"during", "amid", "amidst", "after", "before",
                                           "since", "following", "until", "despite", "while",
                                           "as", "because", "with", "via", "through", NULL};
        int32_t cs = dyad__case_of(c, d);
        return !dyad__is_temporal(c, d) && c->t[d].upos != DYAD_UPOS_VERB &&
               !(cs >= 0 && pron_in(c, (uint32_t)cs, when));
    }
    if (dyad__rel_base(c, d, DYAD__REL_ACL)) /* a participle: "imprisoned in Egypt" */
        return c->t[d].xpos == c->x.vbn &&
               dyad__child(c, d, DYAD__REL_MARK) < 0 && dyad__child(c, d, DYAD__REL_NSUBJ) < 0;
    return np_rel(c, d) || dyad__rel_base(c, d, DYAD__REL_APPOS) ||
           dyad__rel_base(c, d, DYAD__REL_ADVMOD) || dyad__rel_base(c, d, DYAD__REL_AMOD) ||
           dyad__rel_base(c, d, DYAD__REL_NUMMOD);
}

static bool is_form(const dyad__coder *c, uint32_t i, const char *f)
{
    size_t n = strlen(f);
    return c->t[i].form.len == n && !memcmp(c->t[i].form.ptr, f, n);
}

static bool gap_ok(const dyad__coder *c, uint32_t a, uint32_t b)
{
    for (uint32_t i = a; i < b; i++)
        if (c->t[i].upos != DYAD_UPOS_PUNCT)
            return false;
    return true;
}

void dyad__actor_widen(const dyad__coder *c, dyad__actor *a, uint32_t avoid)
{
    uint32_t h = a->head;
    if (h >= c->n || a->first > h || a->last < h || c->t[h].upos == DYAD_UPOS_PRON)
        return;
    uint32_t lo = a->first, hi = a->last;
    /* the modifiers already inside, whole ("at least 75") */
    for (uint32_t k = c->kid_start[h]; k < c->kid_start[h + 1]; k++) {
        uint32_t d = c->kids[k];
        if (d < lo || d > hi || !phrase_rel(c, d))
            continue;
        uint32_t x = d, y = d;
        bool has = false;
        subtree_extent(c, d, 0, avoid, &x, &y, &has);
        if (!has && y - x <= PHRASE_MAX_GAP) {
            if (x < lo)
                lo = x;
            if (y > hi)
                hi = y;
        }
    }
    /* right side, in token order; then left side, nearest first */
    for (uint32_t k = c->kid_start[h]; k < c->kid_start[h + 1]; k++) {
        uint32_t d = c->kids[k];
        if (d <= hi || !phrase_rel(c, d))
            continue;
        uint32_t x = d, y = d;
        bool has = false;
        subtree_extent(c, d, 0, avoid, &x, &y, &has);
        if (has || x <= hi || !gap_ok(c, hi + 1, x) || y - x > PHRASE_MAX_GAP)
            break;
        hi = y;
    }
    for (uint32_t k = c->kid_start[h + 1]; k-- > c->kid_start[h];) {
        uint32_t d = c->kids[k];
        if (d >= lo || !phrase_rel(c, d))
            continue;
        uint32_t x = d, y = d;
        bool has = false;
        subtree_extent(c, d, 0, avoid, &x, &y, &has);
        if (has || y >= lo || !gap_ok(c, y + 1, lo) || y - x > PHRASE_MAX_GAP)
            break;
        lo = x;
    }
    /* the phrase's own preposition or a conjunction at an edge is not part of its words
     * ("to about 550 households", "California amid") */
    while (lo < h && (c->t[lo].upos == DYAD_UPOS_PUNCT || c->t[lo].upos == DYAD_UPOS_ADP ||
                      c->t[lo].upos == DYAD_UPOS_SCONJ || c->t[lo].upos == DYAD_UPOS_CCONJ ||
                      dyad__rel_base(c, lo, DYAD__REL_CASE)))
        lo++;
    while (hi > h && (c->t[hi].upos == DYAD_UPOS_PUNCT || c->t[hi].upos == DYAD_UPOS_ADP ||
                      c->t[hi].upos == DYAD_UPOS_SCONJ || c->t[hi].upos == DYAD_UPOS_CCONJ))
        hi--;
    /* a name in apposition that the parser hung elsewhere ("the Palestinian president,
     * Mahmoud Abbas, next month"): a run of proper nouns between commas right after the
     * phrase, not the subject of another verb */
    if (hi + 2 < c->n && is_form(c, hi + 1, ",") && c->t[h].upos != DYAD_UPOS_PRON) {
        uint32_t j = hi + 2;
        bool subject = false;
        while (j < c->n && c->t[j].upos == DYAD_UPOS_PROPN) {
            subject = subject || dyad__rel_base(c, j, DYAD__REL_NSUBJ);
            j++;
        }
        if (j >= hi + 4 && !subject && (j == c->n || is_form(c, j, ",") || is_form(c, j, ".")))
            hi = j - 1;
    }
    /* but "at least 75", "at most": the words of a number; "both Russia and ..."; and the
     * closing bracket of an abbreviation ("the Nigerian Air Force (NAF)") */
    if (lo > 0 && (dyad__lemma_is(c, lo, "least") || dyad__lemma_is(c, lo, "most")) &&
        dyad__lemma_is(c, lo - 1, "at"))
        lo--;
    if (lo > 0 && dyad__rel_is(c, lo - 1, DYAD__REL_CC_PRECONJ))
        lo--;
    /* "a dispute over two islands": after a noun, "over" is the preposition the parser took
     * for "more than" */
    if (lo + 1 < hi && lo > 0 && dyad__lemma_is(c, lo, "over") &&
        c->t[lo + 1].upos == DYAD_UPOS_NUM && c->t[lo - 1].upos == DYAD_UPOS_NOUN)
        lo++;
    int open = 0;
    for (uint32_t i = lo; i <= hi; i++)
        open += is_form(c, i, "(") ? 1 : is_form(c, i, ")") ? -1 : 0;
    if (open == 1 && hi + 1 < c->n && is_form(c, hi + 1, ")"))
        hi++;
    a->first = lo;
    a->last = hi;
}

void dyad__target_widen(const dyad__coder *c, dyad__actor *a, uint32_t v)
{
    dyad__actor_widen(c, a, v);
    uint32_t h = a->head, hi = a->last;
    if (h >= c->n || !dyad__rel_is(c, h, DYAD__REL_OBJ) || dyad__head(c, h) != (int32_t)v)
        return;
    /* "pounded Islamic State positions in eastern Syria": a phrase naming a place right
     * after the object, which the parser hung on the verb, says where the target is */
    static const char *const at[] = {"in", "at", "near", NULL};
    for (uint32_t k = c->kid_start[v]; k < c->kid_start[v + 1]; k++) {
        uint32_t x = c->kids[k];
        int32_t cs = dyad__case_of(c, x);
        if (cs != (int32_t)hi + 1 || !pron_in(c, (uint32_t)cs, at) ||
            !dyad__rel_base(c, x, DYAD__REL_OBL) || dyad__is_temporal(c, x))
            continue;
        uint32_t lo2 = x, hi2 = x;
        bool has = false, place = false;
        subtree_extent(c, x, 0, v, &lo2, &hi2, &has);
        for (uint32_t i = lo2; i <= hi2 && !place; i++)
            place = c->mention_of[i] >= 0 && c->mentions[c->mention_of[i]].place;
        if (place && !has && lo2 == hi + 1 && hi2 - lo2 <= PHRASE_MAX_GAP)
            a->last = hi2;
        return;
    }
}

void dyad__actor_public(const dyad__coder *c, const dyad__actor *a, dyad_actor *out)
{
    memset(out, 0, sizeof *out);
    out->code = a->code;
    if (a->first >= c->n || a->last >= c->n)
        return;
    const dyad_token *f = &c->t[a->first], *l = &c->t[a->last];
    out->text = dyad__slice(f->form.ptr, (size_t)(l->form.ptr + l->form.len - f->form.ptr));
    out->start = f->start;
    out->end = l->end;
}

/* Does the noun phrase headed by n name an actor the dictionaries know (a mention on it or on
 * one of its modifiers), or is it a pronoun? */
static bool np_has_mention(const dyad__coder *c, uint32_t n)
{
    if (c->mention_of[n] >= 0 || c->t[n].upos == DYAD_UPOS_PRON)
        return true;
    for (uint32_t k = c->kid_start[n]; k < c->kid_start[n + 1]; k++) {
        uint32_t d = c->kids[k];
        if (c->mention_of[d] >= 0 && np_rel(c, d))
            return true;
    }
    return false;
}

/* The subject of a participle or infinitive that modifies noun n (an acl without a subject of
 * its own):
 * - "troops clashing with rebels", "the Kremlin accusing Washington": the noun itself, and
 *   so too a participle with an object ("police detained 12 people" that the parser read as a
 *   reduced clause of "police");
 * - "issued a statement urging T to ...", "launched strikes killing ...", "announced a
 *   decision to expel ...": when the noun names no actor, the subject of the verb it is the
 *   object of (the statement's author), or for an infinitive the noun's possessor;
 * - a passive participle ("the sanctions imposed on Iran"): none. */
static int32_t acl_subject(const dyad__coder *c, uint32_t v, uint32_t n)
{
    bool to_inf = false;
    for (uint32_t k = c->kid_start[v]; k < c->kid_start[v + 1]; k++)
        if (dyad__rel_base(c, c->kids[k], DYAD__REL_MARK) && dyad__lemma_is(c, c->kids[k], "to"))
            to_inf = true;
    bool gerund = c->t[v].xpos == c->x.vbg;
    /* a participle with an object is active: it, or a verb coordinated with it ("the
     * administration cut off ... and expelled 35 diplomats" read as a reduced clause) */
    bool with_object = dyad__child(c, v, DYAD__REL_OBJ) >= 0;
    for (uint32_t k = c->kid_start[v]; k < c->kid_start[v + 1] && !with_object; k++) {
        uint32_t d = c->kids[k];
        if (dyad__rel_base(c, d, DYAD__REL_CONJ) && c->t[d].upos == DYAD_UPOS_VERB &&
            dyad__child(c, d, DYAD__REL_NSUBJ) < 0)
            with_object = dyad__child(c, d, DYAD__REL_OBJ) >= 0;
    }
    with_object = with_object && dyad__child(c, v, DYAD__REL_AUX_PASS) < 0;
    if (!to_inf && !gerund && !with_object)
        return -1;
    if (!to_inf && np_has_mention(c, n))
        return (int32_t)antecedent(c, n);
    if (to_inf) {
        int32_t poss = dyad__child(c, n, DYAD__REL_NMOD_POSS);
        if (poss >= 0)
            return poss;
    }
    int32_t w = dyad__head(c, n);
    if (w >= 0 && c->t[w].upos == DYAD_UPOS_VERB && dyad__rel_is(c, n, DYAD__REL_OBJ)) {
        int32_t s = dyad__child(c, (uint32_t)w, DYAD__REL_NSUBJ);
        if (s >= 0 && !dyad__rel_is(c, (uint32_t)s, DYAD__REL_NSUBJ_PASS))
            return (int32_t)antecedent(c, (uint32_t)s);
    }
    return to_inf ? -1 : (int32_t)n;
}

/* The subject child of v: the first nsubj that is not a time the parser took for one
 * ("Denmark last week announced", "the Court today refused"); an active subject first. */
static int32_t subject_child(const dyad__coder *c, uint32_t v)
{
    int32_t first = -1;
    /* an active subject before a passive one: "which Lavrov blasted as ..." read with both */
    for (int pass = 0; pass < 2; pass++)
        for (uint32_t k = c->kid_start[v]; k < c->kid_start[v + 1]; k++) {
            uint32_t d = c->kids[k];
            if (pass == 0 ? !dyad__rel_is(c, d, DYAD__REL_NSUBJ)
                          : !dyad__rel_base(c, d, DYAD__REL_NSUBJ))
                continue;
            /* "which the minister denounced": a relative pronoun before another subject is
             * the clause's object */
            if (c->t[d].upos == DYAD_UPOS_PRON && dyad__rel_base(c, v, DYAD__REL_ACL)) {
                bool later = false;
                for (uint32_t j = k + 1; j < c->kid_start[v + 1]; j++)
                    if (dyad__rel_base(c, c->kids[j], DYAD__REL_NSUBJ) && c->kids[j] < v)
                        later = true;
                static const char *const rel[] = {"which", "that", "whom", NULL};
                if (later && pron_in(c, d, rel))
                    continue;
            }
            if (!dyad__is_temporal(c, d))
                return (int32_t)d;
            if (first < 0)
                first = (int32_t)d;
        }
    /* "The Supreme Court today refused" read as one phrase headed by "today": the name
     * before the time */
    if (first >= 0)
        for (uint32_t k = c->kid_start[first + 1]; k-- > c->kid_start[first];) {
            uint32_t d = c->kids[k];
            if (d < (uint32_t)first && dyad__rel_base(c, d, DYAD__REL_COMPOUND) &&
                (c->t[d].upos == DYAD_UPOS_NOUN || c->t[d].upos == DYAD_UPOS_PROPN) &&
                !dyad__is_temporal(c, d))
                return (int32_t)d;
        }
    return first;
}

/* A dash or a bracket that sets off an inserted phrase ("met - the first meeting since ... -
 * as"), not a hyphen inside a word. */
static bool is_dash(const dyad__coder *c, uint32_t i)
{
    static const char *const dashes[] = {"\xE2\x80\x94", "\xE2\x80\x93", "--", "-", "(", ")",
                                         NULL};
    if (c->t[i].upos != DYAD_UPOS_PUNCT || c->t[i].xpos == c->x.hyph)
        return false;
    for (const char *const *d = dashes; *d; d++)
        if (c->t[i].form.len == strlen(*d) && !memcmp(c->t[i].form.ptr, *d, c->t[i].form.len))
            return true;
    return false;
}

/* The first dash strictly between a and b, or -1. */
static int32_t dash_between(const dyad__coder *c, uint32_t a, uint32_t b)
{
    for (uint32_t i = a + 1; i < b; i++)
        if (is_dash(c, i))
            return (int32_t)i;
    return -1;
}

/* The bound of the subject search for a clause hung on token h: h itself, or when h lies
 * inside a phrase set off by dashes ("groups - including A and B - have written", hung on
 * "including"), the start of the clause holding that phrase. */
static uint32_t dash_bound(const dyad__coder *c, uint32_t h)
{
    uint32_t o = h;
    while (o > 0 && !is_dash(c, o))
        o--;
    if (!is_dash(c, o))
        return h;
    while (o > 0 && !(c->t[o].form.len == 1 && (c->t[o].form.ptr[0] == ';' ||
                                                  c->t[o].form.ptr[0] == ':')))
        o--;
    return o;
}

/* Is conjunct v of h part of a coordination ("met ... and agreed", "A, B and C"): it or a
 * later conjunct of h has a coordinating conjunction. */
static bool coordinated(const dyad__coder *c, uint32_t h, uint32_t v)
{
    if (dyad__child(c, v, DYAD__REL_CC) >= 0)
        return true;
    for (uint32_t k = c->kid_start[h]; k < c->kid_start[h + 1]; k++) {
        uint32_t d = c->kids[k];
        if (d > v && dyad__rel_base(c, d, DYAD__REL_CONJ) && dyad__child(c, d, DYAD__REL_CC) >= 0)
            return true;
    }
    return false;
}

/* A verb with a tense of its own ("met", "have written"), which has a subject of its own. */
static bool tensed(const dyad__coder *c, uint32_t i)
{
    int x = c->t[i].xpos;
    return x == c->x.vbd || x == c->x.vbz || x == c->x.vbp || x == c->x.md;
}

static bool is_finite(const dyad__coder *c, uint32_t v)
{
    if (tensed(c, v))
        return true;
    for (uint32_t k = c->kid_start[v]; k < c->kid_start[v + 1]; k++)
        if (dyad__rel_base(c, c->kids[k], DYAD__REL_AUX) && tensed(c, c->kids[k]))
            return true;
    return false;
}

/* The subject of a clause the parser cut loose from it when a dash or bracket interrupts the
 * sentence ("met X - the first meeting since the presidents, A and B, met at ... -", "two
 * groups of senators - including ... - have written"): the noun phrase right before the verb
 * (past its auxiliaries, commas and a phrase set off by dashes), up to its head but not
 * before token bound; -1 when there is none.  Such a verb never borrows the subject of the
 * clause it was attached to. */
static int32_t orphan_subject(const dyad__coder *c, uint32_t v, uint32_t bound)
{
    uint32_t i = v;
    while (i > bound + 1) {
        uint32_t t = i - 1;
        if (dyad__head(c, t) == (int32_t)v &&
            (dyad__rel_base(c, t, DYAD__REL_AUX) || dyad__rel_base(c, t, DYAD__REL_ADVMOD))) {
            i = t;
        } else if (c->t[t].upos == DYAD_UPOS_PUNCT && !is_dash(c, t)) {
            i = t;
        } else if (is_dash(c, t)) {
            /* a phrase set off by a pair of dashes: skip to before its opening dash */
            uint32_t j = t;
            while (j > bound + 1 && !is_dash(c, j - 1))
                j--;
            if (j <= bound + 1)
                return -1;
            i = j - 1;
        } else {
            break;
        }
    }
    if (i <= bound + 1)
        return -1;
    uint32_t x = i - 1;
    if ((c->t[x].upos != DYAD_UPOS_NOUN && c->t[x].upos != DYAD_UPOS_PROPN) ||
        dyad__is_temporal(c, x))
        return -1;
    for (int up = 0; up < 6; up++) {
        int32_t h = dyad__head(c, x);
        if (h < 0 || (uint32_t)h <= bound || (uint32_t)h >= v ||
            (c->t[h].upos != DYAD_UPOS_NOUN && c->t[h].upos != DYAD_UPOS_PROPN) ||
            !(dyad__rel_base(c, x, DYAD__REL_FLAT) || dyad__rel_base(c, x, DYAD__REL_COMPOUND) ||
              dyad__rel_base(c, x, DYAD__REL_CONJ) ||
              (dyad__rel_is(c, x, DYAD__REL_NMOD) && dyad__case_of(c, x) >= 0 &&
               dyad__lemma_is(c, (uint32_t)dyad__case_of(c, x), "of"))))
            break;   /* not through an apposition: the names are the actors */
        x = (uint32_t)h;
    }
    return (int32_t)x;
}

int32_t dyad__subject_of(const dyad__coder *c, uint32_t v, bool *passive)
{
    *passive = false;
    for (int depth = 0; depth < 8; depth++) {
        int32_t s = subject_child(c, v);
        if (dyad__child(c, v, DYAD__REL_AUX_PASS) >= 0 ||
            (s >= 0 && dyad__rel_is(c, (uint32_t)s, DYAD__REL_NSUBJ_PASS)))
            *passive = depth == 0 ? true : *passive;
        /* "groups ... have written letters urging it": a participle with no auxiliary has no
         * subject of its own; a thing the parser made its subject ("letters") was written
         * by the subject of the verb it hangs on */
        if (s >= 0 && depth == 0 && (uint32_t)s < v && dyad__child(c, v, DYAD__REL_AUX) < 0 &&
            c->t[v].xpos == c->x.vbg &&
            !np_has_mention(c, (uint32_t)s)) {
            int32_t g = dyad__head(c, v);
            bool gp;
            int32_t w = g >= 0 && c->t[g].upos == DYAD_UPOS_VERB ? dyad__subject_of(c, (uint32_t)g, &gp)
                                                                  : -1;
            if (w >= 0 && w != s)
                return w;
        }
        if (s >= 0)
            return (int32_t)antecedent(c, (uint32_t)s);
        int32_t h = dyad__head(c, v);
        if (h < 0)
            return -1;
        /* a clause inside dashes that the parser attached to the verb before it, as a
         * conjunct without a conjunction or as a tensed adverbial clause: its subject is
         * before it, never the other clause's */
        if ((uint32_t)h < v && dash_between(c, (uint32_t)h, v) >= 0) {
            if (dyad__rel_is(c, v, DYAD__REL_CONJ) && !coordinated(c, (uint32_t)h, v))
                return orphan_subject(c, v, (uint32_t)dash_between(c, (uint32_t)h, v));
            if (dyad__rel_is(c, v, DYAD__REL_ADVCL) && dyad__child(c, v, DYAD__REL_MARK) < 0 &&
                is_finite(c, v))
                return orphan_subject(c, v, dash_bound(c, (uint32_t)h));
        }
        if (dyad__rel_is(c, v, DYAD__REL_ADVCL)) {
            /* "accused Russia of meddling", "blamed Iran for the attack": the object */
            int32_t m = dyad__child(c, v, DYAD__REL_MARK);
            int32_t o = dyad__child(c, (uint32_t)h, DYAD__REL_OBJ);
            if (m >= 0 && o >= 0 &&
                (dyad__lemma_is(c, (uint32_t)m, "of") || dyad__lemma_is(c, (uint32_t)m, "for")))
                return (int32_t)antecedent(c, (uint32_t)o);
        }
        if (dyad__rel_is(c, v, DYAD__REL_XCOMP)) {
            /* object control: "urged it not to return" */
            int32_t o = dyad__child(c, (uint32_t)h, DYAD__REL_OBJ);
            if (o >= 0)
                return (int32_t)antecedent(c, (uint32_t)o);
        } else if (dyad__rel_is(c, v, DYAD__REL_ACL)) {
            return acl_subject(c, v, (uint32_t)h);
        } else if (dyad__rel_is(c, v, DYAD__REL_ACL_RELCL)) {
            return -1;
        } else if (!dyad__rel_is(c, v, DYAD__REL_CONJ) && !dyad__rel_is(c, v, DYAD__REL_ADVCL)) {
            return -1;
        }
        v = (uint32_t)h;
    }
    return -1;
}
