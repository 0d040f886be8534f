/* common.c - the shared input loop, error reporting and summaries of the command line. */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

void cli_report(const char *level, const dyad_error *err)
{
    fprintf(stderr, "dyad: %s: ", level);
    if (err->file[0]) {
        fputs(err->file, stderr);
        if (err->line > 0)
            fprintf(stderr, ":%ld", err->line);
        if (err->col > 0)
            fprintf(stderr, ":%ld", err->col);
        fputs(": ", stderr);
    }
    fputs(err->msg[0] ? err->msg : dyad_strerror(err->code), stderr);
    if (err->record[0])
        fprintf(stderr, " [record %s]", err->record);
    fputc('\n', stderr);
}

void cli_errorf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("dyad: error: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("dyad: error: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    fprintf(stderr, "hint: run 'dyad %s --help' for usage\n", cmd);
    return EXIT_USAGE;
}

void cli_input_default(cli_input *in)
{
    memset(in, 0, sizeof *in);
    dyad_reader_opts_default(&in->reader);
}

static int parse_size(const char *cmd, const char *opt, const char *v, unsigned long long max,
                      unsigned long long *out)
{
    char *end;
    errno = 0;
    unsigned long long n = strtoull(v, &end, 10);
    if (errno || end == v || *end || n == 0 || n > max)
        return cli_usage(cmd, "%s: expected a number from 1 to %llu, got '%s'", opt, max, v), -1;
    *out = n;
    return 0;
}

int cli_input_option(cli_input *in, const char *cmd, int argc, char **argv, int i)
{
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    static const char *const with_value[] = {"--input", "--date", "--id", "--max-record-bytes",
                                             "--max-sentence-tokens", "--max-token-bytes"};
    bool known = false;
    for (size_t k = 0; k < sizeof with_value / sizeof *with_value; k++)
        if (strcmp(a, with_value[k]) == 0)
            known = true;
    if (strcmp(a, "--strict") == 0) {
        in->strict = true;
        return 1;
    }
    if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
        in->quiet = true;
        return 1;
    }
    if (!known)
        return 0;
    if (!v)
        return cli_usage(cmd, "%s needs a value", a), -1;
    unsigned long long n;
    if (strcmp(a, "--input") == 0) {
        static const struct { const char *name; dyad_input_format f; } fmts[] = {
            {"auto", DYAD_INPUT_AUTO}, {"text", DYAD_INPUT_TEXT}, {"jsonl", DYAD_INPUT_JSONL},
            {"petrarch", DYAD_INPUT_PETRARCH}, {"conllu", DYAD_INPUT_CONLLU}};
        for (size_t k = 0; k < sizeof fmts / sizeof *fmts; k++)
            if (strcmp(v, fmts[k].name) == 0) {
                in->reader.format = fmts[k].f;
                return 2;
            }
        return cli_usage(cmd, "--input: expected text, jsonl, petrarch or conllu, got '%s'", v), -1;
    }
    if (strcmp(a, "--date") == 0) {
        dyad_slice d = {v, strlen(v)};
        if (!dyad_date_valid(d))
            return cli_usage(cmd, "--date: expected a date YYYY-MM-DD, got '%s'", v), -1;
        in->reader.default_date = v;
        return 2;
    }
    if (strcmp(a, "--id") == 0) {
        in->reader.default_id = v;
        return 2;
    }
    if (strcmp(a, "--max-record-bytes") == 0) {
        if (parse_size(cmd, a, v, 1ull << 31, &n))
            return -1;
        in->reader.limits.max_record_bytes = (size_t)n;
        return 2;
    }
    if (strcmp(a, "--max-sentence-tokens") == 0) {
        if (parse_size(cmd, a, v, 100000, &n))
            return -1;
        in->reader.limits.max_sentence_tokens = (uint32_t)n;
        return 2;
    }
    if (parse_size(cmd, a, v, 1 << 20, &n))
        return -1;
    in->reader.limits.max_token_bytes = (uint32_t)n;
    return 2;
}

int cli_input_arg(cli_input *in, const char *cmd, int argc, char **argv, int *i, char **files,
                  int *nfiles)
{
    int k = cli_input_option(in, cmd, argc, argv, *i);
    if (k < 0)
        return -1;
    if (k > 0) {
        *i += k - 1;
        return 0;
    }
    const char *a = argv[*i];
    if (a[0] == '-' && a[1])
        return cli_usage(cmd, "unknown option '%s'", a), -1;
    files[(*nfiles)++] = argv[*i];
    return 0;
}

/* One record of a batch: its document and where it came from. */
typedef struct slot {
    dyad_doc *doc;
    const char *file;
    long line;
    dyad_status st;
    dyad_error err;
} slot;

static void locate(dyad_error *err, const slot *sl)
{
    if (!err->file[0])
        snprintf(err->file, sizeof err->file, "%s", sl->file ? sl->file : "-");
    if (!err->line)
        err->line = sl->line;
    if (!err->record[0]) {
        dyad_slice id = dyad_doc_id(sl->doc);
        size_t n = id.len < sizeof err->record - 1 ? id.len : sizeof err->record - 1;
        memcpy(err->record, id.ptr, n);
        err->record[n] = '\0';
    }
}

/* Hand the filled slots to fn, then report and count them in input order. */
static int flush_batch(const cli_input *in, slot *slots, size_t n, cli_batch_fn fn, void *ctx,
                       cli_summary *sum, bool *stop)
{
    int status = EXIT_OK;
    if (n == 0)
        return status;
    dyad_doc **docs = calloc(n, sizeof *docs);
    dyad_status *st = calloc(n, sizeof *st);
    dyad_error *errs = calloc(n, sizeof *errs);
    if (!docs || !st || !errs) {
        free(docs);
        free(st);
        free(errs);
        cli_errorf("out of memory");
        *stop = true;
        return EXIT_FATAL;
    }
    for (size_t i = 0; i < n; i++) {
        docs[i] = slots[i].doc;
        st[i] = slots[i].st;   /* a document that failed to load is not handed on */
        errs[i] = slots[i].err;
    }
    fn(ctx, docs, n, st, errs);
    for (size_t i = 0; i < n && !*stop; i++) {
        slot *sl = &slots[i];
        if (sl->st == DYAD_OK) {
            /* warnings of the record itself (invalid UTF-8 ...) and of its processing */
            size_t nw = dyad_doc_nwarnings(sl->doc);
            sum->warnings += nw;
            for (size_t w = 0; w < nw && !in->quiet; w++) {
                dyad_error e = *dyad_doc_warning(sl->doc, w);
                snprintf(e.file, sizeof e.file, "%s", sl->file ? sl->file : "-");
                e.line = sl->line;
                e.col = 0;   /* the message names the byte offset */
                cli_report("warning", &e);
            }
        }
        if (st[i] < 0) {
            locate(&errs[i], sl);
            cli_report("error", &errs[i]);
            sum->skipped++;
            status = EXIT_SKIPPED;
            *stop = in->strict;
            continue;
        }
        sum->processed++;
        sum->sentences += dyad_doc_nsentences(sl->doc);
        sum->tokens += dyad_doc_ntokens(sl->doc);
    }
    free(docs);
    free(st);
    free(errs);
    return status;
}

/* A progress line on a terminal: articles and sentences done, the rate, and for files of known
 * size the share done and the time left.  Redrawn at most twice a second. */
typedef struct progress {
    bool on;
    struct timespec start, last;
    uint64_t done_before;     /* bytes of the files already read */
    uint64_t total;           /* bytes of all files (0 when unknown) */
} progress;

static double seconds_since(const struct timespec *t)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

static void progress_show(progress *p, const dyad_reader *r, const cli_summary *sum, bool final)
{
    if (!p->on || (!final && seconds_since(&p->last) < 0.5))
        return;
    clock_gettime(CLOCK_MONOTONIC, &p->last);
    double el = seconds_since(&p->start);
    uint64_t done = 0, total = 0;
    if (r)
        dyad_reader_progress(r, &done, &total);
    fprintf(stderr, "\rdyad: %lu articles, %lu sentences, %.0f sentences/s", sum->processed,
            sum->sentences, el > 0 ? (double)sum->sentences / el : 0.0);
    if (p->total && r) {
        double share = (double)(p->done_before + done) / (double)p->total;
        if (share > 1)
            share = 1;
        fprintf(stderr, ", %.0f%%", 100 * share);
        if (share > 0.01 && !final)
            fprintf(stderr, ", %.0f s left", el / share - el);
    }
    fputs(final ? "\n" : "   ", stderr);
}

int cli_each_batch(const cli_input *in, char **files, int nfiles, size_t batch,
                   cli_batch_fn fn, void *ctx, cli_summary *sum)
{
    static char *stdin_name[] = {"-"};
    if (nfiles == 0) {
        files = stdin_name;
        nfiles = 1;
    }
    if (batch == 0)
        batch = 1;
    slot *slots = calloc(batch, sizeof *slots);
    if (!slots) {
        cli_errorf("out of memory");
        return EXIT_FATAL;
    }
    for (size_t i = 0; i < batch; i++)
        if (!(slots[i].doc = dyad_doc_new())) {
            for (size_t k = 0; k < i; k++)
                dyad_doc_free(slots[k].doc);
            free(slots);
            cli_errorf("out of memory");
            return EXIT_FATAL;
        }
    int status = EXIT_OK;
    bool stop = false;   /* --strict: the first bad record ends the run */
    size_t n = 0;
    progress prog = {0};
    prog.on = !in->quiet && isatty(STDERR_FILENO);
    clock_gettime(CLOCK_MONOTONIC, &prog.start);
    prog.last = prog.start;
    for (int f = 0; f < nfiles && prog.on; f++) {
        struct stat st;
        if (strcmp(files[f], "-") == 0 || stat(files[f], &st) != 0 || !S_ISREG(st.st_mode)) {
            prog.total = 0;   /* a pipe: no share, no time left */
            break;
        }
        prog.total += (uint64_t)st.st_size;
    }
    for (int f = 0; f < nfiles && !stop; f++) {
        dyad_reader *r = NULL;
        dyad_error err = {0};
        dyad_status st = dyad_reader_open(files[f], &in->reader, &r, &err);
        if (st) {
            cli_report("error", &err);
            sum->records++;   /* an input that cannot be read counts as one record lost */
            sum->skipped++;
            status = EXIT_SKIPPED;
            stop = in->strict;
            continue;
        }
        for (;;) {
            dyad_record rec;
            memset(&err, 0, sizeof err);
            st = dyad_reader_next(r, &rec, &err);
            if (st == DYAD_DONE)
                break;
            if (st < 0) {
                cli_report("error", &err);
                sum->records++;
                sum->skipped++;
                status = EXIT_SKIPPED;
                if (in->strict) {
                    stop = true;
                    break;
                }
                continue;
            }
            sum->records++;
            slot *sl = &slots[n++];
            memset(&sl->err, 0, sizeof sl->err);
            sl->file = files[f];
            sl->line = rec.line;
            sl->st = dyad_doc_set(sl->doc, &rec, &in->reader.limits, &sl->err);
            if (n == batch) {
                int s2 = flush_batch(in, slots, n, fn, ctx, sum, &stop);
                if (s2 > status)
                    status = s2;
                n = 0;
                progress_show(&prog, r, sum, false);
                if (stop)
                    break;
            }
        }
        uint64_t done = 0, total = 0;
        dyad_reader_progress(r, &done, &total);
        prog.done_before += total ? total : done;
        dyad_reader_free(r);
    }
    if (!stop) {
        int s2 = flush_batch(in, slots, n, fn, ctx, sum, &stop);
        if (s2 > status)
            status = s2;
    }
    if (prog.on && sum->records)
        progress_show(&prog, NULL, sum, true);
    for (size_t i = 0; i < batch; i++)
        dyad_doc_free(slots[i].doc);
    free(slots);
    return status;
}

/* cli_each_doc over batches of one. */
typedef struct one_ctx {
    cli_doc_fn fn;
    void *ctx;
} one_ctx;

static void each_one(void *ctx, dyad_doc **docs, size_t n, dyad_status *st, dyad_error *errs)
{
    one_ctx *o = ctx;
    for (size_t i = 0; i < n; i++)
        if (st[i] == DYAD_OK)
            st[i] = o->fn(o->ctx, docs[i], &errs[i]);
}

int cli_each_doc(const cli_input *in, char **files, int nfiles, cli_doc_fn fn, void *ctx,
                 cli_summary *sum)
{
    one_ctx o = {fn, ctx};
    return cli_each_batch(in, files, nfiles, 1, each_one, &o, sum);
}

void cli_print_summary(const char *cmd, const cli_summary *sum)
{
    fprintf(stderr, "dyad %s: %lu records read, %lu processed, %lu skipped", cmd, sum->records,
            sum->processed, sum->skipped);
    if (sum->warnings)
        fprintf(stderr, ", %lu warnings", sum->warnings);
    fprintf(stderr, "; %lu sentences, %lu tokens\n", sum->sentences, sum->tokens);
}
