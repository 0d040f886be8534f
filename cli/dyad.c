/* dyad.c - the command line: subcommands over the public API (include/dyad.h) only. */
#include "cli.h"

#include <string.h>

static const struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *help;
} commands[] = {
    {"code", cmd_code, "code articles into CAMEO events and quotations"},
    {"segment", cmd_segment, "split articles into sentences and tokens"},
    {"parse", cmd_parse, "tag, lemmatise and parse articles: CoNLL-U out"},
    {"train", cmd_train, "train the tagger and parser model from CoNLL-U treebanks"},
    {"dict", cmd_dict, "check, compile and show dictionaries (dyad, PETRARCH, TABARI)"},
    {"eval", cmd_eval, "measure dyad on the evaluation suites in ../shared"},
    {"load", cmd_load, "store dyad's JSONL output in the event store (SQLite)"},
    {"query", cmd_query, "ask the event store: dyads by period, actors, events, search, SQL"},
    {"serve", cmd_serve, "serve the dashboard and its JSON API over the event store"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: dyad COMMAND [OPTIONS] [FILE...]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].help);
    fprintf(f, "\nRun 'dyad COMMAND --help' for a command's options.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("dyad %s\n", DYAD_VERSION);
        return EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    cli_errorf("unknown command '%s'", argv[1]);
    usage(stderr);
    return EXIT_USAGE;
}
