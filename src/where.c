/* where.c - where an event happened: the place its predicate's "in"/"at" phrase names. */
#include "coder.h"

static bool is_locative(const dyad__coder *c, uint32_t d)
{
    int32_t cs = dyad__case_of(c, d);
    if (cs < 0)
        return false;
    static const char *const preps[] = {"in", "at", "near", "outside", "inside", NULL};
    for (const char *const *p = preps; *p; p++)
        if (dyad__lemma_is(c, (uint32_t)cs, *p))
            return true;
    return false;
}

static bool is_place(const dyad__coder *c, int32_t mi)
{
    return mi >= 0 && c->mentions[mi].place && c->mentions[mi].place_country.len >= 3;
}

int32_t dyad__place_mention(const dyad__coder *c, uint32_t d)
{
    if (is_place(c, c->mention_of[d]))
        return c->mention_of[d];
    /* a word for a piece of land with the place it is part of: "parts of Kashmir", "the city
     * of Ahmedabad", "the Kashmir valley" (not "the U.S. presidential election") */
    static const char *const land[] = {
        "part", "area", "region", "province", "state", "district", "city", "town", "village",
        "valley", "county", "capital", "border", "outskirts", "suburb", "neighbourhood",
        "neighborhood", "zone", "territory", "enclave", "countryside", "governorate", NULL};
    bool is_land = false;
    for (const char *const *w = land; *w && !is_land; w++)
        is_land = dyad__lemma_is(c, d, *w);
    for (uint32_t k = c->kid_start[d]; k < c->kid_start[d + 1] && is_land; k++) {
        uint32_t x = c->kids[k];
        int32_t cs = dyad__case_of(c, x);
        bool of = dyad__rel_base(c, x, DYAD__REL_NMOD) && cs >= 0 &&
                  dyad__lemma_is(c, (uint32_t)cs, "of");
        if ((of || dyad__rel_base(c, x, DYAD__REL_COMPOUND)) && is_place(c, c->mention_of[x]))
            return c->mention_of[x];
    }
    return -1;
}

static bool place_at(dyad__coder *c, uint32_t d, dyad_slice *name, char country[4])
{
    int32_t mi = dyad__place_mention(c, d);
    if (mi < 0)
        return false;
    const dyad__mention *m = &c->mentions[mi];
    const dyad_token *a = &c->t[m->start], *b = &c->t[m->start + m->len - 1];
    *name = dyad__slice(a->form.ptr, (size_t)(b->form.ptr + b->form.len - a->form.ptr));
    memcpy(country, m->place_country.ptr, 3);
    country[3] = '\0';
    return true;
}

/* A target phrase is the event's place only with "in" ("arrived in Ankara", "invested in
 * Pakistan"); "fired rockets at South Korea" aims at a place, it does not happen there. */
static bool place_allowed(const dyad__coder *c, uint32_t d, int32_t target)
{
    if ((int32_t)d != target)
        return true;
    int32_t cs = dyad__case_of(c, d);
    return cs >= 0 && dyad__lemma_is(c, (uint32_t)cs, "in");
}

/* A locative phrase naming a place below d: a noun's "in" phrase, or a complement verb's
 * ("agreed to lay down their weapons in Iraq"); and once through an of-phrase ("a state of
 * siege in Bolivia"), not further ("sanctions over aggression in Ukraine" are not in
 * Ukraine). */
static int32_t place_below(dyad__coder *c, uint32_t d, int32_t target, int depth,
                           dyad_slice *name, char country[4])
{
    for (uint32_t j = c->kid_start[d]; j < c->kid_start[d + 1]; j++) {
        uint32_t e = c->kids[j];
        bool rel = dyad__rel_base(c, e, DYAD__REL_NMOD) ||
                   (dyad__rel_base(c, d, DYAD__REL_XCOMP) && dyad__rel_base(c, e, DYAD__REL_OBL));
        if (place_allowed(c, e, target) && rel && is_locative(c, e) &&
            place_at(c, e, name, country))
            return (int32_t)e;
    }
    if (depth >= 1)
        return -1;
    for (uint32_t j = c->kid_start[d]; j < c->kid_start[d + 1]; j++) {
        uint32_t e = c->kids[j];
        int32_t r;
        int32_t cs = dyad__case_of(c, e);
        if (dyad__rel_base(c, e, DYAD__REL_NMOD) && cs >= 0 &&
            dyad__lemma_is(c, (uint32_t)cs, "of") &&
            (r = place_below(c, e, target, depth + 1, name, country)) >= 0)
            return r;
    }
    return -1;
}

int32_t dyad__place_of(dyad__coder *c, uint32_t v, int32_t target, dyad_slice *name,
                       char country[4])
{
    /* "met ... in Washington" */
    for (uint32_t k = c->kid_start[v]; k < c->kid_start[v + 1]; k++) {
        uint32_t d = c->kids[k];
        if (place_allowed(c, d, target) &&
            (dyad__rel_base(c, d, DYAD__REL_OBL) || dyad__rel_base(c, d, DYAD__REL_NMOD)) &&
            is_locative(c, d) && place_at(c, d, name, country))
            return (int32_t)d;
    }
    /* further down, through the phrases of the predicate: "met at the G-20 summit in
     * Germany", "met Monday in Washington", "agreed to lay down weapons in Iraq", "declared a
     * state of siege in Bolivia" */
    for (uint32_t k = c->kid_start[v]; k < c->kid_start[v + 1]; k++) {
        uint32_t d = c->kids[k];
        if (dyad__rel_base(c, d, DYAD__REL_NSUBJ) || dyad__rel_base(c, d, DYAD__REL_CCOMP) ||
            dyad__rel_base(c, d, DYAD__REL_ADVCL) || dyad__rel_base(c, d, DYAD__REL_CONJ))
            continue;
        int32_t e = place_below(c, d, target, 0, name, country);
        if (e >= 0)
            return e;
    }
    return -1;
}
