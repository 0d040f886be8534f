/* web.h - internals of the dashboard server: its questions to the event store, as JSON. */
#ifndef DYAD_WEB_H
#define DYAD_WEB_H

#include "internal.h"

#include <cjson/cJSON.h>

/* Periods of a timeline (a week starts on Monday and is named by that day). */
enum { DYAD__WEB_DAY = 1, DYAD__WEB_WEEK, DYAD__WEB_MONTH, DYAD__WEB_YEAR };

/* A checked question from the dashboard: actor codes upper-cased, dates real days. */
typedef struct dyad__web_query {
    char a[40], b[40];        /* actors ("" any): a and b, the events between them both
                                 ways; a alone, the events with a as source or target */
    char code[8];             /* a CAMEO code and every code under it ("" any) */
    char from[11], to[11];    /* days, inclusive ("" open) */
    int quad;                 /* QuadClass 1-4, 0 any */
    const char *article;      /* one article's events (NULL: any) */
    int by;                   /* timeline: DYAD__WEB_* */
    int sort;                 /* events: an index of dyad__web_sort_names */
    bool desc;                /* events: descending order */
    size_t offset, limit;     /* events: the page */
} dyad__web_query;

/* A dyad_row_fn appending each row to rows->array as an object {column: value}; text is
 * made valid UTF-8 byte for byte (a bad byte becomes '?', so offsets still hold). */
typedef struct dyad__web_rows {
    cJSON *array;
    bool oom;
} dyad__web_rows;

int dyad__web_row(void *rows, size_t ncols, const char *const *names, const dyad_value *v);

/* The columns the events table sorts by, NULL-terminated. */
extern const char *const dyad__web_sort_names[];

/* The store at a glance: counts, first and last event days, the CAMEO roots with names. */
dyad_status dyad__web_info(dyad_store *s, cJSON *out, dyad_error *err);

/* Whether any event has the actor code (as a prefix in three-letter units) as source or
 * target. */
dyad_status dyad__web_actor_known(dyad_store *s, const char *code, bool *known,
                                  dyad_error *err);

/* Per period: events, per QuadClass, Goldstein sum and mean, and for a dyad the two
 * directions; every period from the first to the last is listed.  More than max_periods
 * periods fail with DYAD_ELIMIT. */
dyad_status dyad__web_timeline(dyad_store *s, const dyad__web_query *q, size_t max_periods,
                               cJSON *out, dyad_error *err);

/* One page of events ("events") and how many match ("total"). */
dyad_status dyad__web_events(dyad_store *s, const dyad__web_query *q, cJSON *out,
                             dyad_error *err);

/* One article: metadata, text (or only its sentences when the store has no text), events,
 * quotations and the spans to highlight (docs/dashboard.md).  DYAD_ENOTFOUND when there is
 * no such article. */
dyad_status dyad__web_article(dyad_store *s, const char *id, cJSON *out, dyad_error *err);

#endif /* DYAD_WEB_H */
