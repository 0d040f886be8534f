/* eval.c - `dyad eval SUITE`: the evaluation suites (see docs and ../shared/docs/EVALUATION.md). */
#include "cli.h"

#include <string.h>

static const struct suite {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *help;
} suites[] = {
    {"segment", cmd_eval_segment, "sentence and token F1 on a UD CoNLL-U file"},
    {"parse", cmd_eval_parse, "UPOS, lemma, UAS, LAS and speed on a UD CoNLL-U file"},
    {"petrarch-unit", cmd_eval_petrarch, "the PETRARCH unit-test records with their dictionaries"},
    {"conflibert", cmd_eval_conflibert, "event class and source/target spans on real news"},
};

int cmd_eval(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        FILE *f = argc < 2 ? stderr : stdout;
        fprintf(f, "usage: dyad eval SUITE [OPTIONS] [FILE]\n\nsuites:\n");
        for (size_t i = 0; i < sizeof suites / sizeof *suites; i++)
            fprintf(f, "  %-14s %s\n", suites[i].name, suites[i].help);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    for (size_t i = 0; i < sizeof suites / sizeof *suites; i++)
        if (strcmp(argv[1], suites[i].name) == 0)
            return suites[i].run(argc - 1, argv + 1);
    return cli_usage("eval", "unknown suite '%s'", argv[1]);
}
