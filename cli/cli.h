/* cli.h - shared pieces of the dyad command line: errors, the input loop, the summary. */
#ifndef DYAD_CLI_H
#define DYAD_CLI_H

#include "dyad.h"

#include <stdbool.h>
#include <stdio.h>

/* Exit statuses. */
enum { EXIT_OK = 0, EXIT_SKIPPED = 1, EXIT_USAGE = 2, EXIT_DICT = 3, EXIT_FATAL = 4 };

/* "dyad: error: FILE:LINE:COL: message [record ID]" on stderr. */
void cli_report(const char *level, const dyad_error *err);
/* "dyad: error: message" (printf-style) on stderr. */
void cli_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Usage error: prints the message and a hint, returns EXIT_USAGE. */
int cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Options every command that reads articles shares. */
typedef struct cli_input {
    dyad_reader_opts reader;
    bool strict;        /* stop at the first bad record */
    bool quiet;         /* no warnings on stderr, no summary */
} cli_input;

/* Counts for the closing summary. */
typedef struct cli_summary {
    unsigned long records, processed, skipped, warnings, sentences, tokens;
} cli_summary;

void cli_input_default(cli_input *in);

/* Parse a shared input option at argv (long options --input, --date, --id, --strict,
 * --quiet, --max-record-bytes, --max-sentence-tokens, --max-token-bytes).  Returns the
 * number of argv entries consumed (1 or 2), 0 when it is not an input option, or -1 after
 * reporting a usage error. */
int cli_input_option(cli_input *in, const char *cmd, int argc, char **argv, int i);

/* The end of a reading command's option loop: argv[*i] is a shared input option (consumed,
 * *i moved past its value), an unknown option (a usage error, -1 returned), or a file,
 * appended to files.  Returns 0, or -1 after reporting a usage error. */
int cli_input_arg(cli_input *in, const char *cmd, int argc, char **argv, int *i, char **files,
                  int *nfiles);

/* Called for each document loaded from the input.  Returns 0 to go on, or a dyad_status:
 * a negative status skips the record (reported with err) and goes on, unless strict. */
typedef dyad_status (*cli_doc_fn)(void *ctx, dyad_doc *doc, dyad_error *err);

/* Read every file (stdin when nfiles is 0), load each record into a document, report bad
 * records and document warnings, call fn for each good document.  Fills sum.  Returns 0 when
 * everything was processed, EXIT_SKIPPED when any record was skipped (with --strict the run
 * stops at the first). */
int cli_each_doc(const cli_input *in, char **files, int nfiles, cli_doc_fn fn, void *ctx,
                 cli_summary *sum);

/* Called with a batch of documents in input order: handle every document whose st[i] is
 * DYAD_OK (it loaded), and set st[i] (and errs[i]) to a negative status for one that fails.
 * Reports and counts are made afterwards, in input order. */
typedef void (*cli_batch_fn)(void *ctx, dyad_doc **docs, size_t n, dyad_status *st,
                             dyad_error *errs);

/* cli_each_doc in batches of up to batch documents (for workers that code a batch in
 * parallel and write it in order). */
int cli_each_batch(const cli_input *in, char **files, int nfiles, size_t batch,
                   cli_batch_fn fn, void *ctx, cli_summary *sum);

/* "dyad: N records read, N processed, N skipped[, N warnings]" on stderr. */
void cli_print_summary(const char *cmd, const cli_summary *sum);


/* Subcommands. */
int cmd_segment(int argc, char **argv);
int cmd_code(int argc, char **argv);
/* Open the dictionaries at paths (default: $DYAD_DICT, else the shipped dict/), caching the
 * compiled form; on failure print one error line and return NULL. */
dyad_dict *cli_open_dicts(const char **paths, size_t n, bool quiet);
int cmd_eval(int argc, char **argv);
int cmd_dict(int argc, char **argv);
int cmd_eval_segment(int argc, char **argv);
int cmd_eval_conflibert(int argc, char **argv);
int cmd_train(int argc, char **argv);
int cmd_parse(int argc, char **argv);
int cmd_eval_parse(int argc, char **argv);
int cmd_load(int argc, char **argv);
int cmd_query(int argc, char **argv);
int cmd_serve(int argc, char **argv);
/* The event store's path: given (--db), else $DYAD_DB, else NULL (store.c). */
const char *cli_db_path(const char *given);
int cmd_eval_petrarch(int argc, char **argv);

/* The model path: given (--model), else $DYAD_MODEL, else the path compiled in (parse.c). */
const char *cli_model_path(const char *given);
/* Open the model at cli_model_path(given); on failure print one error line naming the file
 * and return NULL (the caller exits with EXIT_FATAL). */
dyad_model *cli_open_model(const char *given);
/* Write a parsed document as CoNLL-U; texts (may be NULL) gives each sentence's "# text". */
void cli_put_conllu(FILE *f, dyad_doc *doc, const dyad_slice *texts);

#endif
