/* fuzz.h - shared body of the fuzz targets: read every record, load it, segment it, and
 * check what the library promises about the results (a broken promise aborts). */
#ifndef DYAD_FUZZ_H
#define DYAD_FUZZ_H

#include "dyad.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_CHECK(cond)    \
    do {                    \
        if (!(cond))        \
            abort();        \
    } while (0)

/* Small limits keep each run fast; the code paths are the same as with the defaults. */
static inline void fuzz_limits(dyad_limits *l)
{
    dyad_limits_default(l);
    l->max_record_bytes = 1u << 16;
    l->max_sentence_tokens = 64;
    l->max_token_bytes = 32;
}

/* Load rec into doc, segment it and check offsets, flags and sentence bounds. */
static inline void fuzz_document(dyad_doc *doc, dyad_worker *w, const dyad_record *rec,
                          const dyad_limits *limits)
{
    dyad_error err;
    if (dyad_doc_set(doc, rec, limits, &err) != DYAD_OK)
        return;
    if (dyad_worker_segment(w, doc, limits, &err) != DYAD_OK)
        return;
    size_t orig_len = dyad_doc_original(doc).len;
    dyad_slice text = dyad_doc_text(doc);
    size_t nt = dyad_doc_ntokens(doc), ns = dyad_doc_nsentences(doc);
    const dyad_token *t = dyad_doc_tokens(doc);
    for (size_t i = 0; i < nt; i++) {
        FUZZ_CHECK(t[i].start <= t[i].end && t[i].end <= orig_len);
        FUZZ_CHECK(t[i].form.len > 0);
        FUZZ_CHECK(t[i].form.ptr >= text.ptr &&
                   t[i].form.ptr + t[i].form.len <= text.ptr + text.len);
    }
    size_t next = 0;
    for (size_t s = 0; s < ns; s++) {
        const dyad_sentence *sent = dyad_doc_sentence(doc, s);
        FUZZ_CHECK(sent && sent->first == next && sent->ntokens > 0);
        FUZZ_CHECK(sent->ntokens <= limits->max_sentence_tokens);
        FUZZ_CHECK(sent->start <= sent->end && sent->end <= orig_len);
        next = sent->first + sent->ntokens;
        FUZZ_CHECK(next <= nt);
    }
    FUZZ_CHECK(next == nt);
}

/* Every record of the input in the given format through fuzz_document. */
static inline void fuzz_reader(const uint8_t *data, size_t size, dyad_input_format format,
                        const char *name)
{
    dyad_reader_opts o;
    dyad_reader_opts_default(&o);
    o.format = format;
    fuzz_limits(&o.limits);
    dyad_reader *r = NULL;
    dyad_error err;
    if (dyad_reader_open_memory(data, size, name, &o, &r, &err) != DYAD_OK)
        return;
    dyad_doc *doc = dyad_doc_new();
    dyad_worker *w = dyad_worker_new();
    int done = 0;
    for (size_t calls = 0; doc && w && calls <= size + 2; calls++) {
        dyad_record rec;
        dyad_status st = dyad_reader_next(r, &rec, &err);
        if (st == DYAD_DONE) {
            done = 1;
            break;
        }
        if (st != DYAD_OK) {
            FUZZ_CHECK(st < 0 && err.code == st && err.msg[0]);
            continue;
        }
        FUZZ_CHECK(rec.id.len > 0 && rec.text.len > 0);
        FUZZ_CHECK(rec.text.len <= o.limits.max_record_bytes);
        FUZZ_CHECK(rec.date.len == 0 || dyad_date_valid(rec.date));
        FUZZ_CHECK(rec.file && rec.line >= 1);
        fuzz_document(doc, w, &rec, &o.limits);
    }
    /* each call consumes input or ends the reader: it cannot take more calls than bytes */
    FUZZ_CHECK(!doc || !w || done);
    dyad_record rec;
    FUZZ_CHECK(!doc || !w || dyad_reader_next(r, &rec, NULL) == DYAD_DONE);
    dyad_worker_free(w);
    dyad_doc_free(doc);
    dyad_reader_free(r);
}

#endif
