/* code.c - `dyad code`: articles in, CAMEO events and quotations out. */
#include "cli.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef DYAD_DEFAULT_DICT
#define DYAD_DEFAULT_DICT "dict"
#endif

static const char usage_text[] =
    "usage: dyad code [--input text|jsonl|petrarch] [--date YYYY-MM-DD] [--id ID]\n"
    "                 [--format jsonl|tsv|table|gdelt|petrarch] [--dict PATH]... [--model M]\n"
    "                 [-j N] [--strict] [--quiet] [--max-record-bytes N]\n"
    "                 [--max-sentence-tokens N] [--max-token-bytes N] [--db DB] [FILE...]\n"
    "Codes each article (standard input when no FILE): one record per event (source, target,\n"
    "CAMEO code, date, place, evidence) and per quotation (speaker, words).\n"
    "  --format F   jsonl (default), tsv, table (readable), gdelt (GDELT 1.0 events),\n"
    "               petrarch (PETRARCH-2 events file)\n"
    "  --dict PATH  a dictionary file or directory, in dyad's, PETRARCH's or TABARI's format,\n"
    "               or a compiled one; repeat to combine (default: $DYAD_DICT, else the shipped\n"
    "               dict/)\n"
    "  --model M    tagger/parser model (default: $DYAD_MODEL, else the shipped model)\n"
    "  -j N         code with N threads (1-64, default 1); the output keeps the input order\n"
    "  --quiet      no warnings, no progress line (shown when stderr is a terminal), no summary\n"
    "  --db DB      also store the coded articles in this event store (an SQLite file,\n"
    "               created when missing, or clickhouse://HOST:PORT/DB; see 'dyad query');\n"
    "               records then go to stdout only with --format\n"
    "The run ends with a summary on stderr; the exit status is 1 when a record was skipped.\n";

#define MAX_JOBS 64

typedef struct code_ctx {
    dyad_worker *worker;
    dyad_worker *workers[MAX_JOBS];   /* -j N: one per thread (workers[0] is worker) */
    int jobs;
    dyad_model *model;
    dyad_dict *dict;
    dyad_writer *writer;
    dyad_store *store;   /* --db, or NULL */
    const dyad_limits *limits;
    bool linear;
    dyad_linear_opts linear_opts;
    unsigned long events, quotes;
} code_ctx;

/* Code one document with worker w (any thread). */
static dyad_status code_doc(const code_ctx *c, dyad_worker *w, dyad_doc *doc, dyad_error *err)
{
    /* PETRARCH/TABARI verb dictionaries hold linear patterns: they have their own coder */
    return c->linear ? dyad_worker_code_linear(w, c->model, c->dict, doc, &c->linear_opts, err)
                     : dyad_worker_code(w, c->model, c->dict, doc, c->limits, err);
}

/* Store and write a coded document (the main thread, in input order). */
static dyad_status emit_doc(code_ctx *c, dyad_doc *doc, dyad_error *err)
{
    dyad_status st;
    c->events += dyad_doc_nevents(doc);
    c->quotes += dyad_doc_nquotes(doc);
    if (c->store && (st = dyad_store_put(c->store, doc, err)))
        return st;
    return c->writer ? dyad_writer_doc(c->writer, doc, err) : DYAD_OK;
}

/* A batch shared by the threads: each takes the next document until none is left.  The
 * calling thread also writes the documents out, in input order, as soon as they and all
 * before them are coded, so that writing overlaps the other threads' coding. */
typedef struct batch {
    code_ctx *c;
    dyad_doc **docs;
    dyad_status *st;
    dyad_error *errs;
    atomic_uchar *done;   /* document i is coded (NULL: one thread, nothing to overlap) */
    size_t n;
    atomic_size_t next;
    size_t emitted;       /* documents written (the calling thread's) */
} batch;

typedef struct thread_arg {
    batch *b;
    dyad_worker *w;
    bool writes;          /* the calling thread: writes what is ready between documents */
} thread_arg;

static void emit_ready(batch *b)
{
    while (b->emitted < b->n && (!b->done || atomic_load_explicit(&b->done[b->emitted],
                                                                  memory_order_acquire))) {
        size_t i = b->emitted++;
        if (b->st[i] == DYAD_OK)
            b->st[i] = emit_doc(b->c, b->docs[i], &b->errs[i]);
    }
}

static void *code_thread(void *p)
{
    thread_arg *a = p;
    batch *b = a->b;
    for (;;) {
        size_t i = atomic_fetch_add(&b->next, 1);
        if (i >= b->n)
            break;
        if (b->st[i] == DYAD_OK)
            b->st[i] = code_doc(b->c, a->w, b->docs[i], &b->errs[i]);
        if (b->done)
            atomic_store_explicit(&b->done[i], 1, memory_order_release);
        if (a->writes)
            emit_ready(b);
    }
    return NULL;
}

static void code_batch(void *ctx, dyad_doc **docs, size_t n, dyad_status *st, dyad_error *errs)
{
    code_ctx *c = ctx;
    batch b = {c, docs, st, errs, NULL, n, 0, 0};
    if (c->jobs > 1 && n > 1)
        b.done = calloc(n, sizeof *b.done);   /* without it the threads still code, then write */
    thread_arg args[MAX_JOBS];
    pthread_t tids[MAX_JOBS];
    int started = 0;
    for (int t = 1; t < c->jobs && (size_t)t < n; t++) {
        args[t].b = &b;
        args[t].w = c->workers[t];
        args[t].writes = false;
        if (pthread_create(&tids[t], NULL, code_thread, &args[t]) != 0)
            break;   /* fewer threads: the work still gets done below */
        started = t;
    }
    args[0].b = &b;
    args[0].w = c->workers[0];
    args[0].writes = b.done != NULL;
    code_thread(&args[0]);
    for (int t = 1; t <= started; t++)
        pthread_join(tids[t], NULL);
    free(b.done);
    b.done = NULL;
    emit_ready(&b);   /* what the other threads finished last */
}

static void report_dict_problem(void *ctx, int is_error, const dyad_error *problem)
{
    (void)ctx;
    if (is_error)
        cli_report("warning", problem);   /* a line the dictionary could not read */
}

/* The cache of compiled text dictionaries: $XDG_CACHE_HOME/dyad or ~/.cache/dyad, created
 * when missing (a cache that cannot be made only costs the compile time). */
static const char *cache_dir(char *buf, size_t size)
{
    const char *x = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME");
    char parent[1024];
    if (x && *x) {
        snprintf(parent, sizeof parent, "%s", x);
        snprintf(buf, size, "%s/dyad", x);
    } else if (home && *home) {
        snprintf(parent, sizeof parent, "%s/.cache", home);
        snprintf(buf, size, "%s/.cache/dyad", home);
    } else {
        return NULL;
    }
    mkdir(parent, 0700);
    if (mkdir(buf, 0700) != 0 && errno != EEXIST)
        return NULL;
    return buf;
}

dyad_dict *cli_open_dicts(const char **paths, size_t n, bool quiet)
{
    const char *def[1];
    if (n == 0) {
        const char *env = getenv("DYAD_DICT");
        def[0] = env && *env ? env : DYAD_DEFAULT_DICT;
        paths = def;
        n = 1;
    }
    char cache[1024];
    dyad_dict_opts opts = {0};
    opts.cache_dir = cache_dir(cache, sizeof cache);
    opts.report = quiet ? NULL : report_dict_problem;
    dyad_dict *d = NULL;
    dyad_error err = {0};
    if (dyad_dict_open_opts(paths, n, &opts, &d, &err)) {
        cli_report("error", &err);
        return NULL;
    }
    return d;
}

int cmd_code(int argc, char **argv)
{
    cli_input in;
    cli_input_default(&in);
    code_ctx c = {0};
    const char *model_path = NULL, *db = NULL;
    int format = DYAD_FORMAT_JSONL;
    bool format_given = false;
    const char **dicts = calloc((size_t)argc + 1, sizeof *dicts);
    char **files = calloc((size_t)argc + 1, sizeof *files);
    size_t ndicts = 0;
    int nfiles = 0, rc = EXIT_OK;
    c.jobs = 1;
    if (!dicts || !files) {
        free(dicts);
        free(files);
        cli_errorf("out of memory");
        return EXIT_FATAL;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage_text, stdout);
            goto done;
        }
        if ((strcmp(a, "--format") == 0 || strcmp(a, "--dict") == 0 ||
             strcmp(a, "--model") == 0 || strcmp(a, "--db") == 0 || strcmp(a, "-j") == 0) &&
            i + 1 >= argc) {
            rc = cli_usage("code", "%s needs a value", a);
            goto done;
        }
        if (strcmp(a, "--format") == 0) {
            format = dyad_format_from_name(argv[++i]);
            if (format < 0) {
                rc = cli_usage("code", "--format: expected jsonl, tsv, table, gdelt or petrarch, "
                                       "got '%s'", argv[i]);
                goto done;
            }
            format_given = true;
            continue;
        }
        if (strcmp(a, "--db") == 0) {
            db = argv[++i];
            continue;
        }
        if (strcmp(a, "-j") == 0) {
            char *end;
            long j = strtol(argv[++i], &end, 10);
            if (*end || j < 1 || j > MAX_JOBS) {
                rc = cli_usage("code", "-j: expected a number of threads from 1 to %d, got '%s'",
                               MAX_JOBS, argv[i]);
                goto done;
            }
            c.jobs = (int)j;
            continue;
        }
        if (strcmp(a, "--dict") == 0) {
            dicts[ndicts++] = argv[++i];
            continue;
        }
        if (strcmp(a, "--model") == 0) {
            model_path = argv[++i];
            continue;
        }
        if (cli_input_arg(&in, "code", argc, argv, &i, files, &nfiles) < 0) {
            rc = EXIT_USAGE;
            goto done;
        }
    }
    if (in.reader.format == DYAD_INPUT_CONLLU) {
        rc = cli_usage("code", "--input conllu is for 'dyad parse'; code reads text, jsonl or "
                               "petrarch");
        goto done;
    }
    c.model = cli_open_model(model_path);
    if (!c.model) {
        rc = EXIT_FATAL;
        goto done;
    }
    c.dict = cli_open_dicts(dicts, ndicts, in.quiet);
    if (!c.dict) {
        rc = EXIT_DICT;
        goto done;
    }
    /* PETRARCH's and TABARI's verb dictionaries: their own (linear) coder, PETRARCH's
     * defaults */
    c.linear = dyad_dict_is_linear(c.dict) != 0;
    dyad_linear_opts_default(&c.linear_opts);
    if (db) {
        dyad_error err = {0};
        if (dyad_store_open(db, NULL, &c.store, &err)) {
            cli_report("error", &err);
            rc = EXIT_FATAL;
            goto done;
        }
    }
    c.worker = dyad_worker_new();
    c.workers[0] = c.worker;
    bool workers_ok = c.worker != NULL;
    for (int t = 1; t < c.jobs; t++)
        workers_ok = (c.workers[t] = dyad_worker_new()) != NULL && workers_ok;
    c.writer = db && !format_given ? NULL : dyad_writer_new(stdout, (dyad_format)format);
    if (!workers_ok || (!c.writer && (!db || format_given))) {
        cli_errorf("out of memory");
        rc = EXIT_FATAL;
        goto done;
    }
    c.limits = &in.reader.limits;
    cli_summary sum = {0};
    /* batches of 64 articles per thread: coded in parallel, written in input order */
    rc = cli_each_batch(&in, files, nfiles, c.jobs == 1 ? 1 : 64 * (size_t)c.jobs, code_batch,
                        &c, &sum);
    dyad_error store_err = {0};
    if (dyad_store_close(c.store, &store_err)) {
        cli_report("error", &store_err);
        rc = EXIT_FATAL;
    }
    c.store = NULL;
    dyad_writer_free(c.writer);
    c.writer = NULL;
    fflush(stdout);
    if (!in.quiet) {
        cli_print_summary("code", &sum);
        fprintf(stderr, "dyad code: %lu events, %lu quotations\n", c.events, c.quotes);
    }
done:
    dyad_store_close(c.store, NULL);
    dyad_writer_free(c.writer);
    for (int t = 0; t < c.jobs && t < MAX_JOBS; t++)
        dyad_worker_free(c.workers[t]);
    dyad_dict_free(c.dict);
    dyad_model_free(c.model);
    free(dicts);
    free(files);
    return rc;
}
