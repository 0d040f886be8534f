/* train.c - `dyad train`: train the tagger, lemmatiser and parser model from CoNLL-U files. */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char usage_text[] =
    "usage: dyad train --train FILE [--dev FILE] -o MODEL [--seed N] [--wordnet DIR]\n"
    "                  [--tagger-epochs N] [--parser-epochs N] [--quiet]\n"
    "Trains the lemmatiser, tagger and dependency parser from UD CoNLL-U files and writes\n"
    "one model file.  The same files and seed always give the same model bytes.\n"
    "  --train FILE         training treebank (e.g. en_ewt-ud-train.conllu)\n"
    "  --dev FILE           development treebank: picks the best epochs, scores the model\n"
    "  -o, --output MODEL   the model file to write\n"
    "  --seed N             shuffling seed (default 1)\n"
    "  --wordnet DIR        WordNet dict directory (default /usr/share/wordnet)\n"
    "  --tagger-epochs N    tagger training epochs (default: the tagger's own)\n"
    "  --parser-epochs N    parser training epochs (default: the parser's own)\n"
    "  --quiet              no progress lines on stderr\n";

typedef struct train_ctx {
    struct timespec t0;
} train_ctx;

static void on_progress(void *ctx, const char *line)
{
    train_ctx *c = ctx;
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    double s = (double)(t.tv_sec - c->t0.tv_sec) + (double)(t.tv_nsec - c->t0.tv_nsec) * 1e-9;
    fprintf(stderr, "[%7.1fs] %s\n", s, line);
}

static int parse_count(const char *opt, const char *v, long max, long *out)
{
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || end == v || *end || n < 0 || n > max)
        return cli_usage("train", "%s: expected a number from 0 to %ld, got '%s'", opt, max, v);
    *out = n;
    return 0;
}

int cmd_train(int argc, char **argv)
{
    dyad_train_opts o;
    dyad_train_opts_default(&o);
    bool quiet = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage_text, stdout);
            return EXIT_OK;
        }
        if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            quiet = true;
            continue;
        }
        static const char *const valued[] = {"--train", "--dev", "-o", "--output", "--seed",
                                             "--wordnet", "--tagger-epochs", "--parser-epochs"};
        bool known = false;
        for (size_t k = 0; k < sizeof valued / sizeof *valued; k++)
            known = known || strcmp(a, valued[k]) == 0;
        if (!known)
            return cli_usage("train", "unknown argument '%s'", a);
        if (i + 1 >= argc)
            return cli_usage("train", "%s needs a value", a);
        const char *v = argv[++i];
        long n;
        if (strcmp(a, "--train") == 0)
            o.train_path = v;
        else if (strcmp(a, "--dev") == 0)
            o.dev_path = v;
        else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0)
            o.out_path = v;
        else if (strcmp(a, "--wordnet") == 0)
            o.wordnet_dir = v;
        else if (strcmp(a, "--seed") == 0) {
            if (parse_count(a, v, 4294967295L, &n))
                return EXIT_USAGE;
            o.seed = (uint32_t)n;
        } else if (strcmp(a, "--tagger-epochs") == 0) {
            if (parse_count(a, v, 1000, &n))
                return EXIT_USAGE;
            o.tagger_epochs = (int)n;
        } else {
            if (parse_count(a, v, 1000, &n))
                return EXIT_USAGE;
            o.parser_epochs = (int)n;
        }
    }
    if (!o.train_path)
        return cli_usage("train", "--train FILE is required");
    if (!o.out_path)
        return cli_usage("train", "-o MODEL is required");
    train_ctx ctx;
    clock_gettime(CLOCK_MONOTONIC, &ctx.t0);
    if (!quiet) {
        o.progress = on_progress;
        o.progress_ctx = &ctx;
    }
    dyad_error err = {0};
    dyad_status st = dyad_train(&o, &err);
    if (st) {
        cli_report("error", &err);
        return EXIT_FATAL;
    }
    return EXIT_OK;
}
