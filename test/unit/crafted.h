/* crafted.h - unit-test helper: open a model made in memory from hand-written sections. */
#ifndef DYAD_TEST_CRAFTED_H
#define DYAD_TEST_CRAFTED_H

#include "internal.h"

#include <stdlib.h>

/* Serialise the sections added to w (w is freed), open the result as a model and close it
 * again: the status of the open, or of the serialisation when that failed. */
static inline dyad_status open_crafted_sections(dyad__mw *w)
{
    unsigned char *buf;
    size_t n;
    dyad_status st = dyad__mw_serialise(w, &buf, &n);
    dyad__mw_free(w);
    if (st)
        return st;
    dyad_model *m = NULL;
    st = dyad__model_from_memory(buf, n, false, "crafted", &m, NULL);
    dyad_model_free(m);
    free(buf);
    return st;
}

#endif
