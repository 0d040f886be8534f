/* fuzz_conllu.c - fuzz target: the input (after its first byte, which sets the most sentences
 * per document) as a CoNLL-U file, every document read with the gold annotation checked
 * against the document's tokens and sentences. */
#include "files.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    /* the first byte: the most sentences per document (0: up to the next "# newdoc") */
    size_t max_sentences = data[0] % 4;
    data++;
    size--;
    char path[600];
    fuzz_write(fuzz_path(path, sizeof path, "fuzz.conllu"), data, size);
    dyad_conllu *c = NULL;
    dyad_error err;
    if (dyad_conllu_open(path, &c, &err) != DYAD_OK)
        abort();
    dyad_doc *doc = dyad_doc_new();
    if (!doc)
        abort();
    int done = 0;
    for (size_t calls = 0; calls <= size + 2; calls++) {
        dyad_status st = dyad_conllu_next(c, doc, max_sentences, &err);
        if (st == DYAD_DONE) {
            done = 1;
            break;
        }
        if (st != DYAD_OK) {
            FUZZ_CHECK(st < 0 && err.code == st && err.msg[0] && err.line >= 1);
            continue;
        }
        size_t nt = dyad_doc_ntokens(doc), ns = dyad_doc_nsentences(doc);
        FUZZ_CHECK(ns >= 1 && nt >= 1);
        FUZZ_CHECK(!max_sentences || ns <= max_sentences);
        const dyad_token *toks = dyad_doc_tokens(doc);
        const dyad_token *gold = dyad_conllu_gold(c);
        dyad_slice text = dyad_doc_text(doc);
        size_t next = 0;
        for (size_t s = 0; s < ns; s++) {
            const dyad_sentence *sent = dyad_doc_sentence(doc, s);
            FUZZ_CHECK(sent && sent->first == next && sent->ntokens > 0);
            next += sent->ntokens;
            dyad_slice t = dyad_conllu_text(c, s);
            for (size_t k = 0; k < t.len; k++)
                FUZZ_CHECK(t.ptr[k] != '\n');
            dyad_conllu_newpar(c, s);
        }
        FUZZ_CHECK(next == nt);
        FUZZ_CHECK(dyad_conllu_text(c, ns).len == 0);
        for (size_t i = 0; i < nt; i++) {
            /* the gold form is the token as written; the document's token is it in the text */
            FUZZ_CHECK(gold[i].form.len > 0 && memchr(gold[i].form.ptr, '\t', gold[i].form.len) == NULL);
            FUZZ_CHECK(toks[i].form.len > 0 && toks[i].form.ptr >= text.ptr &&
                       toks[i].form.ptr + toks[i].form.len <= text.ptr + text.len);
            FUZZ_CHECK(toks[i].start <= toks[i].end && toks[i].end <= dyad_doc_original(doc).len);
            FUZZ_CHECK(gold[i].upos < DYAD_UPOS_COUNT && gold[i].deprel < dyad_deprel_count() &&
                       gold[i].xpos < dyad_xpos_count());
            for (size_t k = 0; k < gold[i].lemma.len; k++)
                FUZZ_CHECK(gold[i].lemma.ptr[k] != '\t');
        }
        dyad_slice id = dyad_conllu_doc_id(c);
        for (size_t k = 0; k < id.len; k++)
            FUZZ_CHECK(id.ptr[k] != '\n');
    }
    /* each call reads at least one line or ends: no more calls than bytes */
    FUZZ_CHECK(done);
    FUZZ_CHECK(dyad_conllu_next(c, doc, max_sentences, NULL) == DYAD_DONE);
    dyad_doc_free(doc);
    dyad_conllu_free(c);
    remove(path);
    return 0;
}
