/* quotes.c - who said what: direct quotations and their speakers. */
#include "coder.h"

#include <strings.h>

/* Verbs that attribute speech. */
static const char *const speech_verbs[] = {
    "say",     "tell",    "add",     "ask",      "state",    "declare", "write",   "insist",
    "warn",    "tweet",   "note",    "explain",  "continue", "reply",   "respond", "answer",
    "argue",   "claim",   "read",    "conclude", "recall",   "announce", "remark", "complain",
    "acknowledge", "concede", "admit", "stress", "emphasize", "emphasise", "urge",  "call",
    "describe", "blast",  "dismiss", "quip",     "predict",  "vow",     "promise", "assert",
    "contend", "observe", "comment", "suggest",  "deny",     "exclaim", "shout",   "report",
    NULL};

bool dyad__is_speech_verb(const dyad__coder *c, uint32_t i)
{
    for (const char *const *v = speech_verbs; *v; v++)
        if (dyad__lemma_is(c, i, *v))
            return true;
    return false;
}

static int quote_kind(const dyad_token *t)
{
    /* 1 opening, 2 closing, 3 either (straight) */
    dyad_slice f = t->form;
    if (f.len == 1 && f.ptr[0] == '"')
        return 3;
    if (f.len == 2 && ((f.ptr[0] == '`' && f.ptr[1] == '`')))
        return 1;
    if (f.len == 2 && f.ptr[0] == '\'' && f.ptr[1] == '\'')
        return 2;
    if (f.len == 3 && !memcmp(f.ptr, "\xE2\x80\x9C", 3))   /* “ */
        return 1;
    if (f.len == 3 && !memcmp(f.ptr, "\xE2\x80\x9D", 3))   /* ” */
        return 2;
    if (f.len == 2 && !memcmp(f.ptr, "\xC2\xAB", 2))       /* « */
        return 1;
    if (f.len == 2 && !memcmp(f.ptr, "\xC2\xBB", 2))       /* » */
        return 2;
    return 0;
}

static uint32_t sentence_of(const dyad_doc *doc, uint32_t tok)
{
    uint32_t lo = 0, hi = (uint32_t)doc->nsents;
    while (hi - lo > 1) {
        uint32_t mid = (lo + hi) / 2;
        if (doc->sents[mid].first <= tok)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* The verb in sentence s (already current) that attributes the quotation whose words are the
 * document tokens [qa, qb]; -1 when none. */
static int32_t attribution(dyad__coder *c, uint32_t qa, uint32_t qb)
{
    uint32_t base = c->doc->sents[c->sent].first;
    int64_t la = (int64_t)qa - base, lb = (int64_t)qb - base;   /* sentence-local, may be out */
    /* 1. climb from the quoted words to the nearest speech verb outside the quotation */
    for (uint32_t i = 0; i < c->n; i++) {
        if ((int64_t)i < la || (int64_t)i > lb)
            continue;
        int32_t h = dyad__head(c, i);
        if (h >= 0 && ((int64_t)h >= la && (int64_t)h <= lb))
            continue;   /* not the top of the quoted words */
        int32_t v = h;
        for (int depth = 0; v >= 0 && depth < 10; depth++) {
            if (((int64_t)v < la || (int64_t)v > lb) && dyad__is_speech_verb(c, (uint32_t)v))
                return v;
            v = dyad__head(c, (uint32_t)v);
        }
    }
    /* 2. a speech verb outside the quotation in this sentence: the nearest one */
    int32_t best = -1;
    int64_t best_dist = 0;
    for (uint32_t i = 0; i < c->n; i++) {
        if ((int64_t)i >= la && (int64_t)i <= lb)
            continue;
        if (!dyad__is_speech_verb(c, i) || c->t[i].upos == DYAD_UPOS_NOUN)
            continue;
        int64_t d = (int64_t)i < la ? la - i : i - lb;
        if (best < 0 || d < best_dist) {
            best = (int32_t)i;
            best_dist = d;
        }
    }
    if (best >= 0)
        return best;
    /* 3. a partial quotation inside a clause: the subject of the verb that governs it */
    for (uint32_t i = 0; i < c->n; i++) {
        if ((int64_t)i < la || (int64_t)i > lb)
            continue;
        int32_t v = dyad__head(c, i);
        for (int depth = 0; v >= 0 && depth < 10; depth++) {
            if (((int64_t)v < la || (int64_t)v > lb) &&
                (c->t[v].upos == DYAD_UPOS_VERB || c->t[v].upos == DYAD_UPOS_AUX))
                return v;
            v = dyad__head(c, (uint32_t)v);
        }
        break;
    }
    return -1;
}

static bool speaker_of(dyad__coder *c, int32_t verb, dyad_actor *out)
{
    memset(out, 0, sizeof *out);
    if (verb < 0)
        return false;
    bool passive;
    int32_t s = dyad__subject_of(c, (uint32_t)verb, &passive);
    /* "Peskov took a softer tone, telling reporters ...": a participle with no subject of
     * its own speaks for the clause it hangs on (the parser may hang it a clause away) */
    for (int32_t v = verb, up = 0; s < 0 && up < 3 && c->t[verb].xpos == c->x.vbg; up++) {
        v = dyad__head(c, (uint32_t)v);
        if (v < 0)
            break;
        s = dyad__subject_of(c, (uint32_t)v, &passive);
    }
    if (s < 0 || passive)
        return false;
    dyad__actor a[DYAD__MAX_MEMBERS];
    uint32_t n = dyad__actors_at(c, (uint32_t)s, true, a, DYAD__MAX_MEMBERS);
    if (n) {
        dyad__actor_public(c, &a[0], out);
        dyad__actor_seen(c, &a[0]);
    } else {
        /* uncoded speakers keep their words */
        dyad__actor w = {dyad__slice("", 0), (uint32_t)s, (uint32_t)s, (uint32_t)s, false, false,
                         false};
        for (uint32_t k = c->kid_start[s]; k < c->kid_start[s + 1]; k++) {
            uint32_t d = c->kids[k];
            if (dyad__rel_base(c, d, DYAD__REL_COMPOUND) || dyad__rel_base(c, d, DYAD__REL_FLAT) ||
                dyad__rel_is(c, d, DYAD__REL_AMOD) || dyad__rel_base(c, d, DYAD__REL_DET)) {
                if (d < w.first)
                    w.first = d;
                if (d > w.last)
                    w.last = d;
            }
        }
        dyad__actor_public(c, &w, out);
    }
    return true;
}

static dyad_status emit(dyad__coder *c, uint32_t qa, uint32_t qb)
{
    dyad_doc *doc = c->doc;
    /* news style puts the comma that ends the quoted words inside the marks */
    while (qb > qa && doc->tokens[qb].form.len == 1 && doc->tokens[qb].form.ptr[0] == ',')
        qb--;
    if (qb < qa)
        return DYAD_OK;
    /* attribution: the sentence where the quotation closes, then where it opens */
    uint32_t s_close = sentence_of(doc, qb), s_open = sentence_of(doc, qa);
    dyad_actor speaker;
    memset(&speaker, 0, sizeof speaker);
    bool found = false;
    uint32_t order[2] = {s_close, s_open};
    for (int k = 0; k < 2 && !found; k++) {
        if (k == 1 && s_open == s_close)
            break;
        dyad__coder_sentence(c, order[k]);
        found = speaker_of(c, attribution(c, qa, qb), &speaker);
    }
    /* a quotation with no attribution of its own that follows another one in the same
     * paragraph, in the same or the next sentence, goes on with its speaker
     * ("'...,' it read. 'It is clear that more work needs to be done.'") */
    if (!found && doc->nquotes) {
        const dyad_quote *prev = &doc->quotes[doc->nquotes - 1];
        if ((prev->speaker.code.len || prev->speaker.text.len) && prev->sentence <= s_open &&
            s_open - prev->sentence <= 1 &&
            doc->sents[prev->sentence].paragraph == doc->sents[s_open].paragraph)
            speaker = prev->speaker;
    }
    dyad_quote *q = dyad__doc_push_quote(doc);
    if (!q)
        return DYAD_ENOMEM;
    const dyad_token *a = &doc->tokens[qa], *b = &doc->tokens[qb];
    q->sentence = s_open;
    q->speaker = speaker;
    q->text = dyad__slice(a->form.ptr, (size_t)(b->form.ptr + b->form.len - a->form.ptr));
    q->start = a->start;
    q->end = b->end;
    return DYAD_OK;
}

static dyad_status add_span(dyad__coder *c, uint32_t qa, uint32_t qb)
{
    if (DYAD_GROW(c->qspans, c->cap_qspans, c->nqspans + 1))
        return DYAD_ENOMEM;
    c->qspans[c->nqspans].a = qa;
    c->qspans[c->nqspans].b = qb;
    c->qspans[c->nqspans].sentence = sentence_of(c->doc, qb);
    c->nqspans++;
    return DYAD_OK;
}

dyad_status dyad__quotes_find(dyad__coder *c)
{
    dyad_doc *doc = c->doc;
    int64_t open = -1;
    c->nqspans = c->next_qspan = 0;
    for (uint32_t i = 0; i < doc->ntokens; i++) {
        const dyad_token *t = &doc->tokens[i];
        /* a quotation does not run past its paragraph (the next one reopens it) */
        if ((t->flags & DYAD_TOK_PARA_START) && open >= 0 && i > 0) {
            if (i > (uint32_t)open + 1 && add_span(c, (uint32_t)open + 1, i - 1))
                return DYAD_ENOMEM;
            open = -1;
        }
        int k = quote_kind(t);
        if (!k)
            continue;
        if (open < 0 && (k & 1)) {
            open = i;
        } else if (open >= 0 && (k & 2)) {
            if (i > (uint32_t)open + 1 && add_span(c, (uint32_t)open + 1, i - 1))
                return DYAD_ENOMEM;
            open = -1;
        }
    }
    if (open >= 0 && (uint32_t)open + 1 < doc->ntokens &&
        add_span(c, (uint32_t)open + 1, (uint32_t)doc->ntokens - 1))
        return DYAD_ENOMEM;
    return DYAD_OK;
}

dyad_status dyad__quotes_emit(dyad__coder *c, uint32_t s)
{
    while (c->next_qspan < c->nqspans && c->qspans[c->next_qspan].sentence <= s) {
        dyad_status st = emit(c, c->qspans[c->next_qspan].a, c->qspans[c->next_qspan].b);
        if (st)
            return st;
        c->next_qspan++;
    }
    return DYAD_OK;
}
