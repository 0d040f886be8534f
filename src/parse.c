/* parse.c - dyad_worker_parse: tag, lemmatise and parse every sentence of a document. */
#include "internal.h"

dyad_status dyad_worker_parse(dyad_worker *worker, const dyad_model *model, dyad_doc *doc,
                              dyad_error *err)
{
    if (!worker || !model || !doc)
        return dyad__fail(err, DYAD_EINVAL,
                          "dyad_worker_parse: worker, model and doc are required");
    const char *missing = !model->tagger ? "tagger" : !model->lemmas ? "lemmatiser"
                        : !model->parser ? "parser" : NULL;
    if (missing) {
        dyad__where(err, model->path, 0, 0, dyad__slice("", 0));
        return dyad__fail(err, DYAD_EUNSUPPORTED, "%s: the model has no %s", model->path,
                          missing);
    }
    for (size_t i = 0; i < doc->nsents; i++) {
        const dyad_sentence *s = &doc->sents[i];
        if (!s->ntokens || (size_t)s->first + s->ntokens > doc->ntokens)
            continue;
        dyad_token *toks = doc->tokens + s->first;
        dyad__tag(model, worker, toks, s->ntokens);
        dyad__lemmatise(model, doc, toks, s->ntokens);
        dyad__parse(model, worker, toks, s->ntokens);
    }
    return DYAD_OK;
}
