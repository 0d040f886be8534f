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

static bool place_at(dyad__coder *c, uint32_t d, dyad_slice *name, char country[4])
{
    int32_t mi = c->mention_of[d];
    if (mi < 0)
        return false;
    const dyad__mention *m = &c->mentions[mi];
    if (!m->place || m->place_country.len < 3)
        return false;
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

int32_t dyad__place_of(dyad__coder *c, uint32_t v, int32_t target, dyad_slice *name,
                       char country[4])
{
    /* "met ... in Washington" */
    for (uint32_t k = c->kid_start[v]; k < c->kid_start[v + 1]; k++) {
        uint32_t d = c->kids[k];
        if (place_allowed(c, d, target) &&
            (dyad__rel_base(c, d, "obl") || dyad__rel_base(c, d, "nmod")) &&
            is_locative(c, d) && place_at(c, d, name, country))
            return (int32_t)d;
    }
    /* one level down: "met at the G-20 summit in Germany", "met Monday in Washington",
     * "agreed to lay down weapons in Iraq" */
    for (uint32_t k = c->kid_start[v]; k < c->kid_start[v + 1]; k++) {
        uint32_t d = c->kids[k];
        if (dyad__rel_base(c, d, "nsubj") || dyad__rel_base(c, d, "ccomp") ||
            dyad__rel_base(c, d, "advcl") || dyad__rel_base(c, d, "conj"))
            continue;
        for (uint32_t j = c->kid_start[d]; j < c->kid_start[d + 1]; j++) {
            uint32_t e = c->kids[j];
            /* a noun's "in" phrase, or a complement verb's ("agreed to lay down their
             * weapons in Iraq") */
            bool rel = dyad__rel_base(c, e, "nmod") ||
                       (dyad__rel_base(c, d, "xcomp") && dyad__rel_base(c, e, "obl"));
            if (place_allowed(c, e, target) && rel && is_locative(c, e) &&
                place_at(c, e, name, country))
                return (int32_t)e;
        }
    }
    return -1;
}
