/* fuzz_segment.c - fuzz target: the input as the text of one article, loaded and segmented. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dyad_limits limits;
    fuzz_limits(&limits);
    dyad_record rec;
    memset(&rec, 0, sizeof rec);
    rec.id.ptr = "fuzz";
    rec.id.len = 4;
    rec.text.ptr = (const char *)data;
    rec.text.len = size;
    rec.file = "fuzz.txt";
    rec.line = 1;
    dyad_doc *doc = dyad_doc_new();
    dyad_worker *w = dyad_worker_new();
    if (doc && w)
        fuzz_document(doc, w, &rec, &limits);
    dyad_worker_free(w);
    dyad_doc_free(doc);
    return 0;
}
