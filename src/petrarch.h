/* petrarch.h - the linear coder for PETRARCH-1 / TABARI dictionaries (petrarch.c). */
#ifndef DYAD_PETRARCH_H
#define DYAD_PETRARCH_H

#include "dict.h"

/* Code every sentence of a segmented (and, when tokens carry tags, parsed) document with the
 * linear verb patterns of dict, appending dyad_event records to doc.  opts must not be NULL.
 * Codes are written as the dictionaries give them ("ARNGOV", "---GOV", "064"); an actor found
 * only as a noun phrase (opts->new_actor_length) is written "\"WORDS\"". */
dyad_status dyad__petrarch_code(const dyad_dict *dict, dyad_doc *doc,
                                const dyad_linear_opts *opts, dyad_error *err);

#endif
