/* code.c - `dyad code`: articles in, CAMEO events and quotations out. */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef DYAD_DEFAULT_DICT
#define DYAD_DEFAULT_DICT "dict"
#endif

static const char usage_text[] =
    "usage: dyad code [--input text|jsonl|petrarch] [--date YYYY-MM-DD] [--id ID]\n"
    "                 [--format jsonl|tsv|table|gdelt|petrarch] [--dict PATH]... [--model M]\n"
    "                 [--strict] [--quiet] [--max-record-bytes N] [--max-sentence-tokens N]\n"
    "                 [--max-token-bytes N] [--db FILE] [FILE...]\n"
    "Codes each article (standard input when no FILE): one record per event (source, target,\n"
    "CAMEO code, date, place, evidence) and per quotation (speaker, words).\n"
    "  --format F   jsonl (default), tsv, table (readable), gdelt (GDELT 1.0 events),\n"
    "               petrarch (PETRARCH-2 events file)\n"
    "  --dict PATH  a dictionary file or directory, in dyad's, PETRARCH's or TABARI's format,\n"
    "               or a compiled one; repeat to combine (default: $DYAD_DICT, else the shipped\n"
    "               dict/)\n"
    "  --model M    tagger/parser model (default: $DYAD_MODEL, else the shipped model)\n"
    "  --db DB      also store the coded articles in this event store (an SQLite file,\n"
    "               created when missing, or clickhouse://HOST:PORT/DB; see 'dyad query');\n"
    "               records then go to stdout only with --format\n"
    "The run ends with a summary on stderr; the exit status is 1 when a record was skipped.\n";

typedef struct code_ctx {
    dyad_worker *worker;
    dyad_model *model;
    dyad_dict *dict;
    dyad_writer *writer;
    dyad_store *store;   /* --db, or NULL */
    const dyad_limits *limits;
    bool linear;
    dyad_linear_opts linear_opts;
    unsigned long events, quotes;
} code_ctx;

static dyad_status on_doc(void *ctx, dyad_doc *doc, dyad_error *err)
{
    code_ctx *c = ctx;
    /* PETRARCH/TABARI verb dictionaries hold linear patterns: they have their own coder */
    dyad_status st = c->linear ? dyad_worker_code_linear(c->worker, c->model, c->dict, doc,
                                                         &c->linear_opts, err)
                               : dyad_worker_code(c->worker, c->model, c->dict, doc, c->limits,
                                                  err);
    if (st)
        return st;
    c->events += dyad_doc_nevents(doc);
    c->quotes += dyad_doc_nquotes(doc);
    if (c->store && (st = dyad_store_put(c->store, doc, err)))
        return st;
    return c->writer ? dyad_writer_doc(c->writer, doc, err) : DYAD_OK;
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
             strcmp(a, "--model") == 0 || strcmp(a, "--db") == 0) && i + 1 >= argc) {
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
        if (strcmp(a, "--dict") == 0) {
            dicts[ndicts++] = argv[++i];
            continue;
        }
        if (strcmp(a, "--model") == 0) {
            model_path = argv[++i];
            continue;
        }
        int k = cli_input_option(&in, "code", argc, argv, i);
        if (k < 0) {
            rc = EXIT_USAGE;
            goto done;
        }
        if (k > 0) {
            i += k - 1;
            continue;
        }
        if (a[0] == '-' && a[1]) {
            rc = cli_usage("code", "unknown option '%s'", a);
            goto done;
        }
        files[nfiles++] = argv[i];
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
    if (db) {
        dyad_error err = {0};
        if (dyad_store_open(db, NULL, &c.store, &err)) {
            cli_report("error", &err);
            rc = EXIT_FATAL;
            goto done;
        }
    }
    c.worker = dyad_worker_new();
    c.writer = db && !format_given ? NULL : dyad_writer_new(stdout, (dyad_format)format);
    if (!c.worker || (!c.writer && (!db || format_given))) {
        cli_errorf("out of memory");
        rc = EXIT_FATAL;
        goto done;
    }
    c.limits = &in.reader.limits;
    cli_summary sum = {0};
    rc = cli_each_doc(&in, files, nfiles, on_doc, &c, &sum);
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
    dyad_worker_free(c.worker);
    dyad_dict_free(c.dict);
    dyad_model_free(c.model);
    free(dicts);
    free(files);
    return rc;
}
