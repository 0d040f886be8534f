/* train.c - training is deterministic: the same UD English slice and seed give the same bytes. */
#include "dyad.h"
#include "t.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Copy the first n sentences of src after skipping `skip` sentences; returns false on error. */
static bool slice(const char *src, const char *dst, int skip, int n)
{
    FILE *in = fopen(src, "r"), *out = fopen(dst, "w");
    bool ok = in && out;
    char line[8192];
    int sent = 0;
    while (ok && sent < skip + n && fgets(line, sizeof line, in)) {
        if (sent >= skip)
            fputs(line, out);
        if (line[0] == '\n')
            sent++;
    }
    if (in)
        fclose(in);
    if (out && fclose(out) != 0)
        ok = false;
    return ok && sent == skip + n;
}

static unsigned char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    *n = 0;
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = len > 0 ? malloc((size_t)len) : NULL;
    if (b && fread(b, 1, (size_t)len, f) == (size_t)len)
        *n = (size_t)len;
    fclose(f);
    return b;
}

static int progress_lines;

static void on_progress(void *ctx, const char *line)
{
    (void)ctx;
    (void)line;
    progress_lines++;
}

static dyad_status train(const char *tr, const char *dev, const char *out, uint32_t seed)
{
    dyad_train_opts o;
    dyad_train_opts_default(&o);
    o.train_path = tr;
    o.dev_path = dev;
    o.out_path = out;
    o.seed = seed;
    o.tagger_epochs = 2;
    o.parser_epochs = 2;
    o.progress = on_progress;
    dyad_error err = {0};
    dyad_status st = dyad_train(&o, &err);
    if (st)
        printf("# training failed: %s\n", err.msg);
    return st;
}

int main(int argc, char **argv)
{
    const char *shared = argc > 1 ? argv[1] : "../shared";
    char src[1024];
    snprintf(src, sizeof src, "%s/ud/en_ewt-ud-train.conllu", shared);
    FILE *probe = fopen(src, "r");
    if (!probe) {
        T_SKIP("training is deterministic", "no UD English treebank in the shared directory");
        T_DONE();
    }
    fclose(probe);
    const char *tr = "build/test-train-slice.conllu", *dev = "build/test-dev-slice.conllu";
    const char *m1 = "build/test-train-1.model", *m2 = "build/test-train-2.model",
               *m3 = "build/test-train-3.model";
    T_CHECK("slice the first 300 training sentences", slice(src, tr, 0, 300));
    T_CHECK("slice 100 more as development data", slice(src, dev, 300, 100));

    dyad_status s1 = train(tr, dev, m1, 7);
    T_CHECK("train on the slice", s1 == DYAD_OK);
    T_CHECK("training reports progress", progress_lines > 0);
    dyad_status s2 = train(tr, dev, m2, 7);
    T_CHECK("train again with the same seed", s2 == DYAD_OK);
    size_t n1, n2, n3;
    unsigned char *b1 = slurp(m1, &n1), *b2 = slurp(m2, &n2);
    T_CHECK("same data and seed: byte-identical models",
            b1 && b2 && n1 == n2 && n1 > 0 && memcmp(b1, b2, n1) == 0);
    dyad_status s3 = train(tr, dev, m3, 8);
    unsigned char *b3 = slurp(m3, &n3);
    T_CHECK("another seed: another model",
            s3 == DYAD_OK && b1 && b3 && (n1 != n3 || memcmp(b1, b3, n1) != 0));

    /* the trained model is usable */
    dyad_model *m = NULL;
    dyad_status so = dyad_model_open(m1, &m, NULL);
    dyad_doc *doc = dyad_doc_new();
    dyad_worker *w = dyad_worker_new();
    dyad_slice forms[4] = {{"The", 3}, {"talks", 5}, {"failed", 6}, {".", 1}};
    dyad_status sp = so ? so : dyad_doc_add_sentence(doc, forms, NULL, 4, NULL);
    if (!sp)
        sp = dyad_worker_parse(w, m, doc, NULL);
    int roots = 0;
    for (size_t i = 0; !sp && i < dyad_doc_ntokens(doc); i++)
        roots += dyad_doc_tokens(doc)[i].head == 0;
    T_CHECK("the small model opens and parses into one tree", so == DYAD_OK && sp == DYAD_OK &&
                                                                 roots == 1);
    dyad_worker_free(w);
    dyad_doc_free(doc);
    dyad_model_free(m);

    /* errors: a missing training file, no output path */
    dyad_train_opts o;
    dyad_train_opts_default(&o);
    o.train_path = "build/no-such-file.conllu";
    o.out_path = "build/never-written.model";
    dyad_error err = {0};
    T_CHECK("a missing training file: DYAD_EIO naming it",
            dyad_train(&o, &err) == DYAD_EIO && strstr(err.file, "no-such-file"));
    o.out_path = NULL;
    T_CHECK("no output path: DYAD_EINVAL", dyad_train(&o, NULL) == DYAD_EINVAL);

    free(b1);
    free(b2);
    free(b3);
    remove(tr);
    remove(dev);
    remove(m1);
    remove(m2);
    remove(m3);
    T_DONE();
}
