/* eval_parse.c - `dyad eval parse`: tagging, lemma and parsing accuracy and speed on a UD file. */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static const char usage_text[] =
    "usage: dyad eval parse [--model MODEL] [--floor-upos X] [--floor-uas X] [--floor-las X]\n"
    "                       [--repeat N] [FILE]\n"
    "Tags, lemmatises and parses the gold tokens of a CoNLL-U file and scores UPOS, XPOS,\n"
    "lemma, UAS and LAS (every token, punctuation included), with the speed of tagging +\n"
    "lemmatising + parsing on one thread (model load excluded, reported apart).\n"
    "  FILE            default ../shared/ud/en_ewt-ud-test.conllu\n"
    "  --model MODEL   model file (default: $DYAD_MODEL, else the installed model)\n"
    "  --floor-upos X  exit 1 when UPOS accuracy (percent) is below X; likewise UAS, LAS\n"
    "  --repeat N      parse every document N times for the speed figure (default 3)\n";

#define DEFAULT_FILE "../shared/ud/en_ewt-ud-test.conllu"

static double clock_s(clockid_t id)
{
    struct timespec t;
    clock_gettime(id, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static double now(void) { return clock_s(CLOCK_MONOTONIC); }

/* CPU time of this thread: the speed of one core even when the machine is shared. */
static double cpu_now(void) { return clock_s(CLOCK_THREAD_CPUTIME_ID); }

static int parse_pct(const char *opt, const char *v, double *out)
{
    char *end;
    errno = 0;
    double x = strtod(v, &end);
    if (errno || end == v || *end || x < 0 || x > 100)
        return cli_usage("eval parse", "%s: expected a percentage, got '%s'", opt, v);
    *out = x;
    return 0;
}

static double pct(unsigned long a, unsigned long n)
{
    return n ? 100.0 * (double)a / (double)n : 0;
}

int cmd_eval_parse(int argc, char **argv)
{
    const char *model_path = NULL, *file = NULL;
    double floor_upos = -1, floor_uas = -1, floor_las = -1;
    long repeat = 3;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage_text, stdout);
            return EXIT_OK;
        }
        bool valued = strcmp(a, "--model") == 0 || strcmp(a, "--floor-upos") == 0 ||
                      strcmp(a, "--floor-uas") == 0 || strcmp(a, "--floor-las") == 0 ||
                      strcmp(a, "--repeat") == 0;
        if (valued) {
            if (i + 1 >= argc)
                return cli_usage("eval parse", "%s needs a value", a);
            const char *v = argv[++i];
            if (strcmp(a, "--model") == 0)
                model_path = v;
            else if (strcmp(a, "--floor-upos") == 0 && parse_pct(a, v, &floor_upos))
                return EXIT_USAGE;
            else if (strcmp(a, "--floor-uas") == 0 && parse_pct(a, v, &floor_uas))
                return EXIT_USAGE;
            else if (strcmp(a, "--floor-las") == 0 && parse_pct(a, v, &floor_las))
                return EXIT_USAGE;
            else if (strcmp(a, "--repeat") == 0) {
                char *end;
                repeat = strtol(v, &end, 10);
                if (end == v || *end || repeat < 1 || repeat > 1000)
                    return cli_usage("eval parse", "--repeat: expected 1 to 1000, got '%s'", v);
            }
            continue;
        }
        if (a[0] == '-' && a[1])
            return cli_usage("eval parse", "unknown option '%s'", a);
        if (file)
            return cli_usage("eval parse", "one FILE at most");
        file = a;
    }
    if (!file)
        file = DEFAULT_FILE;

    const char *mpath = cli_model_path(model_path);
    double t0 = now();
    dyad_model *model = cli_open_model(model_path);
    double load_ms = (now() - t0) * 1e3;
    if (!model)
        return EXIT_FATAL;
    struct stat sb;
    long long model_bytes = stat(mpath, &sb) == 0 ? (long long)sb.st_size : -1;

    dyad_conllu *cu = NULL;
    dyad_error err = {0};
    if (dyad_conllu_open(file, &cu, &err)) {
        cli_report("error", &err);
        dyad_model_free(model);
        return EXIT_FATAL;
    }
    dyad_worker *w = dyad_worker_new();
    dyad_doc *doc = dyad_doc_new();
    dyad_token *gold = NULL;
    size_t cap = 0;
    unsigned long sents = 0, toks = 0, upos = 0, xpos = 0, lemma = 0, uas = 0, las = 0;
    double busy = 0, busy_cpu = 0;
    int rc = EXIT_OK;
    if (!w || !doc) {
        cli_errorf("out of memory");
        rc = EXIT_FATAL;
    }
    while (rc == EXIT_OK) {
        dyad_status st = dyad_conllu_next(cu, doc, 0, &err);
        if (st == DYAD_DONE)
            break;
        if (st) {
            cli_report("error", &err);
            rc = EXIT_FATAL;
            break;
        }
        size_t n = dyad_doc_ntokens(doc);
        if (n > cap) {
            dyad_token *g = realloc(gold, n * sizeof *g);
            if (!g) {
                cli_errorf("out of memory");
                rc = EXIT_FATAL;
                break;
            }
            gold = g;
            cap = n;
        }
        memcpy(gold, dyad_conllu_gold(cu), n * sizeof *gold);
        double t1 = now(), c1 = cpu_now();
        for (long r = 0; r < repeat && !st; r++)
            st = dyad_worker_parse(w, model, doc, &err);
        busy += now() - t1;
        busy_cpu += cpu_now() - c1;
        if (st) {
            cli_report("error", &err);
            rc = EXIT_FATAL;
            break;
        }
        const dyad_token *t = dyad_doc_tokens(doc);
        sents += dyad_doc_nsentences(doc);
        for (size_t i = 0; i < n; i++) {
            toks++;
            upos += t[i].upos == gold[i].upos;
            xpos += t[i].xpos == gold[i].xpos;
            lemma += t[i].lemma.len == gold[i].lemma.len &&
                     memcmp(t[i].lemma.ptr, gold[i].lemma.ptr, t[i].lemma.len) == 0;
            if (t[i].head == gold[i].head) {
                uas++;
                las += t[i].deprel == gold[i].deprel;
            }
        }
    }
    if (rc == EXIT_OK) {
        double per = busy / (double)repeat, per_cpu = busy_cpu / (double)repeat;
        printf("dyad eval parse: %s\n", file);
        printf("model: %s (%.1f MB), loaded in %.1f ms\n", mpath, (double)model_bytes / 1e6,
               load_ms);
        printf("sentences %lu, tokens %lu (gold tokenisation)\n", sents, toks);
        printf("UPOS %.2f%%  XPOS %.2f%%  lemma %.2f%%\n", pct(upos, toks), pct(xpos, toks),
               pct(lemma, toks));
        printf("UAS %.2f%%  LAS %.2f%%  (punctuation included)\n", pct(uas, toks),
               pct(las, toks));
        printf("speed: %.0f sentences/s, %.0f tokens/s (tag + lemma + parse, one thread, "
               "per second of its CPU time, mean of %ld runs)\n",
               per_cpu > 0 ? (double)sents / per_cpu : 0, per_cpu > 0 ? (double)toks / per_cpu : 0,
               repeat);
        printf("wall clock: %.0f sentences/s (lower when other processes share the core)\n",
               per > 0 ? (double)sents / per : 0);
        if ((floor_upos >= 0 && pct(upos, toks) < floor_upos) ||
            (floor_uas >= 0 && pct(uas, toks) < floor_uas) ||
            (floor_las >= 0 && pct(las, toks) < floor_las)) {
            fprintf(stderr, "dyad: error: below the floor (UPOS %.2f/%.2f, UAS %.2f/%.2f, "
                            "LAS %.2f/%.2f)\n",
                    pct(upos, toks), floor_upos, pct(uas, toks), floor_uas, pct(las, toks),
                    floor_las);
            rc = EXIT_SKIPPED;
        }
    }
    free(gold);
    dyad_doc_free(doc);
    dyad_worker_free(w);
    dyad_conllu_free(cu);
    dyad_model_free(model);
    return rc;
}
