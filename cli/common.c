/* common.c - the shared input loop, error reporting and summaries of the command line. */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

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

static void report_warnings(const cli_input *in, const dyad_doc *doc, const dyad_record *rec,
                            cli_summary *sum)
{
    size_t n = dyad_doc_nwarnings(doc);
    sum->warnings += n;
    if (in->quiet)
        return;
    for (size_t i = 0; i < n; i++) {
        dyad_error w = *dyad_doc_warning(doc, i);
        snprintf(w.file, sizeof w.file, "%s", rec->file ? rec->file : "-");
        w.line = rec->line;
        w.col = 0;   /* the message names the byte offset */
        cli_report("warning", &w);
    }
}

int cli_each_doc(const cli_input *in, char **files, int nfiles, cli_doc_fn fn, void *ctx,
                 cli_summary *sum)
{
    static char *stdin_name[] = {"-"};
    if (nfiles == 0) {
        files = stdin_name;
        nfiles = 1;
    }
    dyad_doc *doc = dyad_doc_new();
    if (!doc) {
        cli_errorf("out of memory");
        return EXIT_FATAL;
    }
    int status = EXIT_OK;
    bool stop = false;   /* --strict: the first bad record ends the run */
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
            st = dyad_doc_set(doc, &rec, &in->reader.limits, &err);
            if (st == DYAD_OK) {
                memset(&err, 0, sizeof err);
                st = fn(ctx, doc, &err);
                if (st < 0 && !err.file[0])
                    snprintf(err.file, sizeof err.file, "%s", rec.file ? rec.file : "-");
                if (st < 0 && !err.line)
                    err.line = rec.line;
                if (st < 0 && !err.record[0]) {
                    size_t n = rec.id.len < sizeof err.record - 1 ? rec.id.len
                                                                  : sizeof err.record - 1;
                    memcpy(err.record, rec.id.ptr, n);
                    err.record[n] = '\0';
                }
            }
            report_warnings(in, doc, &rec, sum);
            if (st < 0) {
                cli_report("error", &err);
                sum->skipped++;
                status = EXIT_SKIPPED;
                if (in->strict) {
                    stop = true;
                    break;
                }
                continue;
            }
            sum->processed++;
            sum->sentences += dyad_doc_nsentences(doc);
            sum->tokens += dyad_doc_ntokens(doc);
        }
        dyad_reader_free(r);
    }
    dyad_doc_free(doc);
    return status;
}

void cli_print_summary(const char *cmd, const cli_summary *sum)
{
    fprintf(stderr, "dyad %s: %lu records read, %lu processed, %lu skipped", cmd, sum->records,
            sum->processed, sum->skipped);
    if (sum->warnings)
        fprintf(stderr, ", %lu warnings", sum->warnings);
    fprintf(stderr, "; %lu sentences, %lu tokens\n", sum->sentences, sum->tokens);
}
