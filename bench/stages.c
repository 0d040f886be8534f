/* stages.c - `dyad code` split by stage: the same work on the same input, each stage timed.
 *
 *   build/bench/stages [--model M] [--dict PATH]... [--cache DIR] [-o FILE] FILE.jsonl
 *
 * Reads JSONL articles and codes them as `dyad code --input jsonl` does (one thread, model
 * and dictionaries loaded once), timing each stage with the thread's CPU clock: read (JSONL
 * record, UTF-8 check, NFC), segment, tag, lemma, parse, code (actors, patterns, dates,
 * quotations) and write (JSONL events, to -o FILE, default /dev/null).  Prints the load times
 * of the model and the dictionaries, per stage its CPU seconds, its own rate (sentences per
 * second of that stage alone) and its share of the total, and the peak RSS.  The output
 * written is the output of `dyad code --quiet --input jsonl` on the same input. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#ifndef DYAD_DEFAULT_MODEL
#define DYAD_DEFAULT_MODEL "models/dyad-en.model"
#endif
#ifndef DYAD_DEFAULT_DICT
#define DYAD_DEFAULT_DICT "dict"
#endif

enum { ST_READ, ST_SEGMENT, ST_TAG, ST_LEMMA, ST_PARSE, ST_CODE, ST_WRITE, ST_COUNT };

static const char *const stage_names[ST_COUNT] = {"read", "segment", "tag", "lemma", "parse",
                                                  "code", "write"};

static const char *const stage_notes[ST_COUNT] = {
    "JSONL record, UTF-8 check, NFC",
    "sentences and tokens",
    "part-of-speech tags",
    "lemmas",
    "dependency tree",
    "actors, verb patterns, dates, places, quotations",
    "JSONL events and quotations"};

static double cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static double wall_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void report(const char *what, const dyad_error *err)
{
    fprintf(stderr, "stages: %s: %s%s%s\n", what, err->file[0] ? err->file : "",
            err->file[0] ? ": " : "", err->msg[0] ? err->msg : dyad_strerror(err->code));
}

static int usage(void)
{
    fputs("usage: stages [--model M] [--dict PATH]... [--cache DIR] [-o FILE] FILE.jsonl\n",
          stderr);
    return 2;
}

int main(int argc, char **argv)
{
    const char *model_path = NULL, *cache = NULL, *out_path = "/dev/null", *in_path = NULL;
    const char **dicts = calloc((size_t)argc + 1, sizeof *dicts);
    size_t ndicts = 0;
    if (!dicts)
        return 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has_value = i + 1 < argc;
        if (strcmp(a, "--model") == 0 && has_value)
            model_path = argv[++i];
        else if (strcmp(a, "--dict") == 0 && has_value)
            dicts[ndicts++] = argv[++i];
        else if (strcmp(a, "--cache") == 0 && has_value)
            cache = argv[++i];
        else if (strcmp(a, "-o") == 0 && has_value)
            out_path = argv[++i];
        else if (a[0] == '-' || in_path)
            return free(dicts), usage();
        else
            in_path = a;
    }
    if (!in_path)
        return free(dicts), usage();
    if (!model_path) {
        const char *env = getenv("DYAD_MODEL");
        model_path = env && *env ? env : DYAD_DEFAULT_MODEL;
    }
    if (ndicts == 0) {
        const char *env = getenv("DYAD_DICT");
        dicts[ndicts++] = env && *env ? env : DYAD_DEFAULT_DICT;
    }

    /* load, as `dyad code` does: the model mmap'd, the dictionaries from the cache */
    dyad_error err = {0};
    dyad_model *model = NULL;
    dyad_dict *dict = NULL;
    double w0 = wall_now(), c0 = cpu_now();
    if (dyad_model_open(model_path, &model, &err)) {
        report("model", &err);
        free(dicts);
        return 1;
    }
    double w1 = wall_now(), c1 = cpu_now();
    dyad_dict_opts dopts = {0};
    dopts.cache_dir = cache;
    if (dyad_dict_open_opts(dicts, ndicts, &dopts, &dict, &err)) {
        report("dictionaries", &err);
        dyad_model_free(model);
        free(dicts);
        return 1;
    }
    double w2 = wall_now(), c2 = cpu_now();
    free(dicts);
    if (!model->tagger || !model->lemmas || !model->parser) {
        fprintf(stderr, "stages: %s: the model has no tagger, lemmatiser or parser\n",
                model_path);
        dyad_dict_free(dict);
        dyad_model_free(model);
        return 1;
    }

    FILE *out = fopen(out_path, "w");
    dyad_reader_opts ropts;
    dyad_reader_opts_default(&ropts);
    ropts.format = DYAD_INPUT_JSONL;
    dyad_reader *r = NULL;
    dyad_worker *w = dyad_worker_new();
    dyad_doc *doc = dyad_doc_new();
    dyad_writer *wr = out ? dyad_writer_new(out, DYAD_FORMAT_JSONL) : NULL;
    int rc = 0;
    if (!out || !w || !doc || !wr) {
        fprintf(stderr, "stages: cannot open %s or out of memory\n", out_path);
        rc = 1;
        goto done;
    }
    if (dyad_reader_open(in_path, &ropts, &r, &err)) {
        report("input", &err);
        rc = 1;
        goto done;
    }
    bool linear = dyad_dict_is_linear(dict) != 0;
    double t[ST_COUNT] = {0};
    unsigned long long docs = 0, sentences = 0, tokens = 0, events = 0, skipped = 0;
    double start = cpu_now(), wall_start = wall_now();
    for (;;) {
        dyad_record rec;
        double a = cpu_now();
        dyad_status st = dyad_reader_next(r, &rec, &err);
        if (st == DYAD_DONE)
            break;
        if (st == DYAD_OK)
            st = dyad_doc_set(doc, &rec, &ropts.limits, &err);
        double b = cpu_now();
        t[ST_READ] += b - a;
        if (st == DYAD_OK)
            st = dyad_worker_segment(w, doc, &ropts.limits, &err);
        a = cpu_now();
        t[ST_SEGMENT] += a - b;
        if (st != DYAD_OK) {
            skipped++;
            continue;
        }
        /* dyad_worker_parse, one step at a time */
        for (size_t s = 0; s < doc->nsents; s++) {
            const dyad_sentence *se = &doc->sents[s];
            if (!se->ntokens || (size_t)se->first + se->ntokens > doc->ntokens)
                continue;
            dyad_token *toks = doc->tokens + se->first;
            b = cpu_now();
            dyad__tag(model, w, toks, se->ntokens);
            a = cpu_now();
            t[ST_TAG] += a - b;
            dyad__lemmatise(model, doc, toks, se->ntokens);
            b = cpu_now();
            t[ST_LEMMA] += b - a;
            dyad__parse(model, w, toks, se->ntokens);
            a = cpu_now();
            t[ST_PARSE] += a - b;
        }
        /* the document is segmented and parsed: no model, so only the coder runs */
        b = cpu_now();
        st = linear ? dyad_worker_code_linear(w, NULL, dict, doc, NULL, &err)
                    : dyad_worker_code(w, NULL, dict, doc, &ropts.limits, &err);
        a = cpu_now();
        t[ST_CODE] += a - b;
        if (st == DYAD_OK)
            st = dyad_writer_doc(wr, doc, &err);
        b = cpu_now();
        t[ST_WRITE] += b - a;
        if (st != DYAD_OK) {
            skipped++;
            continue;
        }
        docs++;
        sentences += doc->nsents;
        tokens += doc->ntokens;
        events += doc->nevents;
    }
    fflush(out);
    double total = cpu_now() - start, wall = wall_now() - wall_start;

    double sum = 0;
    for (int k = 0; k < ST_COUNT; k++)
        sum += t[k];
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("load: model %.1f ms (%.1f ms CPU), dictionaries %.1f ms (%.1f ms CPU)\n",
           (w1 - w0) * 1e3, (c1 - c0) * 1e3, (w2 - w1) * 1e3, (c2 - c1) * 1e3);
    printf("input: %llu articles, %llu sentences, %llu tokens (%llu skipped); %llu events\n",
           docs, sentences, tokens, skipped, events);
    printf("%-8s %9s %13s %7s\n", "stage", "CPU s", "sentences/s", "share");
    for (int k = 0; k < ST_COUNT; k++)
        printf("%-8s %9.3f %13.0f %6.1f%%  %s\n", stage_names[k], t[k],
               t[k] > 0 ? (double)sentences / t[k] : 0.0, sum > 0 ? 100 * t[k] / sum : 0.0,
               stage_notes[k]);
    printf("%-8s %9.3f %13.0f %6.1f%%  sum of the stages\n", "stages", sum,
           sum > 0 ? (double)sentences / sum : 0.0, 100.0);
    printf("%-8s %9.3f %13.0f %7s  the whole loop (timers included; %.3f s wall)\n", "loop",
           total, total > 0 ? (double)sentences / total : 0.0, "", wall);
    printf("peak RSS: %ld MB\n", ru.ru_maxrss / 1024);
done:
    dyad_reader_free(r);
    dyad_writer_free(wr);
    if (out)
        fclose(out);
    dyad_doc_free(doc);
    dyad_worker_free(w);
    dyad_dict_free(dict);
    dyad_model_free(model);
    return rc;
}
