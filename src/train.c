/* train.c - training the whole model from CoNLL-U: lemmas, tagger, parser, scores, one file. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>

void dyad_train_opts_default(dyad_train_opts *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->wordnet_dir = "/usr/share/wordnet";
    opts->seed = 1;
}

static void say(const dyad_train_opts *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void say(const dyad_train_opts *o, const char *fmt, ...)
{
    if (!o->progress)
        return;
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    o->progress(o->progress_ctx, line);
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* Scores of a complete model on a corpus with gold tokens (punctuation included). */
typedef struct scores {
    size_t tokens, upos, xpos, lemma, uas, las;
} scores;

static dyad_status score_model(const dyad_model *m, const dyad__corpus *c, scores *sc)
{
    memset(sc, 0, sizeof *sc);
    dyad_worker *w = dyad_worker_new();
    dyad_doc *doc = dyad_doc_new();
    dyad_token *toks = NULL;
    size_t cap = 0;
    dyad_status st = (!w || !doc) ? DYAD_ENOMEM : DYAD_OK;
    for (size_t i = 0; i < c->nsents && !st; i++) {
        size_t n = c->sent_len[i];
        const dyad_token *gold = c->toks + c->sent_first[i];
        if (DYAD_GROW(toks, cap, n ? n : 1)) {
            st = DYAD_ENOMEM;
            break;
        }
        for (size_t k = 0; k < n; k++) {
            memset(&toks[k], 0, sizeof toks[k]);
            toks[k].form = gold[k].form;
            toks[k].flags = gold[k].flags;
            toks[k].head = -1;
        }
        dyad_doc_reset(doc, dyad__slice("", 0), dyad__slice("", 0));
        dyad__tag(m, w, toks, n);
        dyad__lemmatise(m, doc, toks, n);
        dyad__parse(m, w, toks, n);
        for (size_t k = 0; k < n; k++) {
            sc->tokens++;
            sc->upos += toks[k].upos == gold[k].upos;
            sc->xpos += toks[k].xpos == gold[k].xpos;
            sc->lemma += toks[k].lemma.len == gold[k].lemma.len &&
                         memcmp(toks[k].lemma.ptr, gold[k].lemma.ptr, gold[k].lemma.len) == 0;
            if (toks[k].head == gold[k].head) {
                sc->uas++;
                sc->las += toks[k].deprel == gold[k].deprel;
            }
        }
    }
    free(toks);
    dyad_doc_free(doc);
    dyad_worker_free(w);
    return st;
}

static double pct(size_t a, size_t n) { return n ? 100.0 * (double)a / (double)n : 0.0; }

dyad_status dyad_train(const dyad_train_opts *opts, dyad_error *err)
{
    if (!opts || !opts->train_path || !opts->out_path)
        return dyad__fail(err, DYAD_EINVAL, "training needs a training file and an output path");
    dyad__corpus train, dev;
    bool have_dev = opts->dev_path != NULL;
    memset(&dev, 0, sizeof dev);
    dyad_status st = dyad__corpus_load(&train, opts->train_path, err);
    if (st)
        return st;
    if (have_dev && (st = dyad__corpus_load(&dev, opts->dev_path, err))) {
        dyad__corpus_free(&train);
        return st;
    }
    say(opts, "train: %s: %zu sentences, %zu tokens", opts->train_path, train.nsents, train.ntoks);
    if (have_dev)
        say(opts, "dev: %s: %zu sentences, %zu tokens", opts->dev_path, dev.nsents, dev.ntoks);

    dyad__mw *mw = dyad__mw_new();
    unsigned char *buf = NULL, *buf2 = NULL;
    size_t size = 0, size2 = 0;
    dyad_model *tagger = NULL, *full = NULL;
    if (!mw) {
        st = dyad__fail(err, DYAD_ENOMEM, "out of memory");
        goto done;
    }
    if ((st = dyad__lemmas_train(&train, opts, mw, err)) ||
        (st = dyad__tagger_train(&train, have_dev ? &dev : NULL, opts, mw, err)))
        goto done;
    /* the parser learns from (and is tuned with) the tags this tagger predicts */
    if (dyad__mw_serialise(mw, &buf, &size)) {
        st = dyad__fail(err, DYAD_ENOMEM, "out of memory");
        goto done;
    }
    if ((st = dyad__model_from_memory(buf, size, false, "(tagger being trained)", &tagger, err)) ||
        (st = dyad__parser_train(&train, have_dev ? &dev : NULL, tagger, opts, mw, err)))
        goto done;

    /* scores of the complete model on dev, recorded in the "meta" section */
    scores sc = {0};
    if (have_dev) {
        if (dyad__mw_serialise(mw, &buf2, &size2)) {
            st = dyad__fail(err, DYAD_ENOMEM, "out of memory");
            goto done;
        }
        if ((st = dyad__model_from_memory(buf2, size2, false, "(model being trained)", &full,
                                          err)))
            goto done;
        if ((st = score_model(full, &dev, &sc))) {
            st = dyad__fail(err, st, "out of memory scoring the model");
            goto done;
        }
        say(opts, "dev: UPOS %.2f%% XPOS %.2f%% lemma %.2f%% UAS %.2f%% LAS %.2f%% (%zu tokens)",
            pct(sc.upos, sc.tokens), pct(sc.xpos, sc.tokens), pct(sc.lemma, sc.tokens),
            pct(sc.uas, sc.tokens), pct(sc.las, sc.tokens), sc.tokens);
    }
    char meta[2048], te[16] = "default", pe[16] = "default";
    if (opts->tagger_epochs > 0)
        snprintf(te, sizeof te, "%d", opts->tagger_epochs);
    if (opts->parser_epochs > 0)
        snprintf(pe, sizeof pe, "%d", opts->parser_epochs);
    int len = snprintf(meta, sizeof meta,
                       "dyad %s\ntrain %s\ndev %s\nseed %u\ntagger_epochs %s\nparser_epochs %s\n",
                       DYAD_VERSION, base_name(opts->train_path),
                       have_dev ? base_name(opts->dev_path) : "-", opts->seed, te, pe);
    if (have_dev && len > 0 && (size_t)len < sizeof meta)
        len += snprintf(meta + len, sizeof meta - (size_t)len,
                        "dev_upos %.2f\ndev_xpos %.2f\ndev_lemma %.2f\n"
                        "dev_uas %.2f\ndev_las %.2f\n",
                        pct(sc.upos, sc.tokens), pct(sc.xpos, sc.tokens),
                        pct(sc.lemma, sc.tokens), pct(sc.uas, sc.tokens), pct(sc.las, sc.tokens));
    if (len < 0 || (size_t)len >= sizeof meta)
        len = (int)strlen(meta);
    if (dyad__mw_add(mw, "meta", meta, (size_t)len)) {
        st = dyad__fail(err, DYAD_ENOMEM, "out of memory");
        goto done;
    }
    if ((st = dyad__mw_write(mw, opts->out_path, err)))
        goto done;
    say(opts, "wrote %s", opts->out_path);
done:
    dyad_model_free(full);
    dyad_model_free(tagger);
    free(buf);
    free(buf2);
    dyad__mw_free(mw);
    dyad__corpus_free(&train);
    if (have_dev)
        dyad__corpus_free(&dev);
    return st;
}
