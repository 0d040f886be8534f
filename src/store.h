/* store.h - internals of the event store: the article as stored, and the backend interface. */
#ifndef DYAD_STORE_H
#define DYAD_STORE_H

#include "internal.h"

/* One event as the store writes it: every string is a slice that stays valid until the
 * article has been written.  An absent actor has has_* false. */
typedef struct dyad__sevent {
    uint32_t sentence;
    dyad_slice date;            /* as coded: YYYY-MM-DD, YYYY-MM or YYYY */
    char day[11];               /* its first day, YYYY-MM-DD ("" when the date is malformed) */
    bool has_source, has_target;
    dyad_slice source, source_text, target, target_text;
    dyad_slice code, root;
    int quad;
    double goldstein;
    bool has_location;
    dyad_slice location, country;
    dyad_slice verb, pattern, dictionary;
    uint32_t verb_start, verb_end, line;
    uint32_t flags;             /* DYAD_EVENT_* */
} dyad__sevent;

typedef struct dyad__squote {
    uint32_t sentence;
    bool has_speaker;
    dyad_slice speaker, speaker_text, text;
    uint32_t start, end;
} dyad__squote;

typedef struct dyad__ssentence {
    uint32_t idx;
    dyad_slice text;
} dyad__ssentence;

/* What a write does to an article. */
enum {
    DYAD__WRITE_FULL = 1,    /* a coded document: metadata and content replace the old ones */
    DYAD__WRITE_CONTENT,     /* loaded records: content replaces, metadata is kept */
    DYAD__WRITE_META         /* an article line: metadata (and text) only, content is kept */
};

/* One article as stored. */
typedef struct dyad__sarticle {
    int mode;                          /* DYAD__WRITE_* */
    dyad_slice id, date, title, url, source, text;
    const dyad__ssentence *sents;
    size_t nsents;
    const dyad__sevent *events;
    size_t nevents;
    const dyad__squote *quotes;
    size_t nquotes;
} dyad__sarticle;

/* A validated query: actor and code prefixes upper-cased, dates checked. */
typedef struct dyad__squery {
    char source[40], target[40];   /* "" when any */
    char code[8];
    char from[11], to[11];         /* "" when open */
    int quad;
    bool one_a_day;
    size_t limit;                  /* 0: none */
    int by;                        /* dyad_period for the dyad query */
    bool by_country;               /* actors grouped by their first three letters */
    const char *text;              /* the full-text query (search) */
    bool raw_text;                 /* text is FTS syntax as written */
} dyad__squery;

/* A backend.  Every function reports failures through err and never prints. */
typedef struct dyad__store_backend {
    const char *name;
    /* Replace (or update, by a->mode) one article. */
    dyad_status (*write)(void *impl, const dyad__sarticle *a, dyad_error *err);
    /* Commit what is pending. */
    dyad_status (*flush)(void *impl, dyad_error *err);
    /* Rows of the dyad query before gaps are filled: period, direction (0 source->target,
     * 1 target->source), events, quad1..quad4, goldstein sum; ordered by period, direction. */
    dyad_status (*dyad)(void *impl, const dyad__squery *q, dyad_row_fn fn, void *ctx,
                        dyad_error *err);
    dyad_status (*actors)(void *impl, const dyad__squery *q, dyad_row_fn fn, void *ctx,
                          dyad_error *err);
    dyad_status (*events)(void *impl, const dyad__squery *q, dyad_row_fn fn, void *ctx,
                          dyad_error *err);
    dyad_status (*search)(void *impl, const dyad__squery *q, dyad_row_fn fn, void *ctx,
                          dyad_error *err);
    dyad_status (*sql)(void *impl, const char *sql, const char *const *params, size_t nparams,
                       dyad_row_fn fn, void *ctx, dyad_error *err);
    /* Commit and release everything (also on failure). */
    dyad_status (*close)(void *impl, dyad_error *err);
} dyad__store_backend;

/* The SQLite backend (store_sqlite.c): path is a file name. */
extern const dyad__store_backend dyad__store_sqlite;
dyad_status dyad__store_sqlite_open(const char *path, const dyad_store_opts *opts, void **impl,
                                    dyad_error *err);

/* The ClickHouse backend (store_clickhouse.c): uri is clickhouse://HOST:PORT/DB... */
extern const dyad__store_backend dyad__store_clickhouse;
dyad_status dyad__store_clickhouse_open(const char *uri, const dyad_store_opts *opts,
                                        void **impl, dyad_error *err);

#endif /* DYAD_STORE_H */
