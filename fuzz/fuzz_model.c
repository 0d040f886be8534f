/* fuzz_model.c - fuzz target: a model file (a tiny model trained in-process from seeds.h's
 * treebank) damaged by an edit script (files.h: fuzz_corrupt), mostly with its checksum
 * recomputed so that each stage's table checks are exercised; when it opens, it parses a text
 * and every sentence must come out as one well-formed tree. */
#include "seeds.h"
#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned char *seed;
static size_t seed_size;

static const char text[] =
    "Russia accused Ukraine of attacks on Monday. The minister met the envoy in Moscow, "
    "and Washington imposed new sanctions on Iran. \"Talks will continue,\" he said. "
    "Police arrested 12 protesters in the capital; the talks were held in Geneva.";

/* Tags, lemmas and one tree per sentence. */
static void check_parse(const dyad_doc *doc)
{
    const dyad_token *t = dyad_doc_tokens(doc);
    for (size_t s = 0; s < dyad_doc_nsentences(doc); s++) {
        const dyad_sentence *sent = dyad_doc_sentence(doc, s);
        const dyad_token *st = t + sent->first;
        int32_t n = (int32_t)sent->ntokens, roots = 0;
        for (int32_t i = 0; i < n; i++) {
            FUZZ_CHECK(st[i].upos < DYAD_UPOS_COUNT);
            FUZZ_CHECK(st[i].xpos < dyad_xpos_count() && st[i].deprel < dyad_deprel_count());
            FUZZ_CHECK(st[i].head >= 0 && st[i].head <= n && st[i].head != i + 1);
            roots += st[i].head == 0;
            unsigned sum = 0;
            for (size_t k = 0; k < st[i].lemma.len; k++)
                sum += (unsigned char)st[i].lemma.ptr[k];
            (void)sum;
            /* no cycle: the root is reached in at most n steps */
            int32_t h = st[i].head, steps = 0;
            while (h != 0 && steps <= n) {
                h = st[h - 1].head;
                steps++;
            }
            FUZZ_CHECK(h == 0);
        }
        FUZZ_CHECK(roots == 1);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!seed)
        seed = fuzz_seed_model(&seed_size);
    size_t n;
    unsigned char *b = fuzz_corrupt(seed, seed_size, data, size, &n);
    dyad_model *m = NULL;
    dyad_error err;
    dyad_status st = dyad__model_from_memory(b, n, false, "fuzz.model", &m, &err);
    if (st != DYAD_OK) {
        FUZZ_CHECK(st < 0 && err.code == st && err.msg[0] && !m);
        free(b);
        return 0;
    }
    dyad_doc *doc = dyad_doc_new();
    dyad_worker *w = dyad_worker_new();
    if (!doc || !w)
        abort();
    dyad_record rec;
    memset(&rec, 0, sizeof rec);
    rec.id = dyad__slice("fuzz", 4);
    rec.text = dyad__slice(text, sizeof text - 1);
    rec.file = "fuzz";
    rec.line = 1;
    dyad_limits limits;
    fuzz_limits(&limits);
    if (dyad_doc_set(doc, &rec, &limits, &err) == DYAD_OK &&
        dyad_worker_segment(w, doc, &limits, &err) == DYAD_OK &&
        dyad_worker_parse(w, m, doc, &err) == DYAD_OK)
        check_parse(doc);
    dyad_worker_free(w);
    dyad_doc_free(doc);
    dyad_model_free(m);
    free(b);
    return 0;
}
