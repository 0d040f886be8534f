/* worker.c - per-thread scratch shared by the stages of the pipeline. */
#include "internal.h"

#include <stdlib.h>

dyad_worker *dyad_worker_new(void)
{
    dyad_worker *w = calloc(1, sizeof *w);
    return w;
}

void dyad_worker_free(dyad_worker *w)
{
    if (!w)
        return;
    free(w->scratch);
    dyad__coder_free(w->coder);
    free(w->seg_aux);
    free(w->parse_buf);
    free(w->tag_buf);
    free(w);
}
