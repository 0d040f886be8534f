/* segment.c - `dyad segment`: sentences and tokens of each article, as text, CoNLL-U or JSONL. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

typedef enum { OUT_TEXT, OUT_CONLLU, OUT_JSONL } out_format;

typedef struct seg_ctx {
    dyad_worker *worker;
    const dyad_limits *limits;
    out_format format;
    FILE *out;
} seg_ctx;

static const char usage_text[] =
    "usage: dyad segment [--format text|conllu|jsonl] [--input text|jsonl|petrarch]\n"
    "                    [--date YYYY-MM-DD] [--id ID] [--strict] [--quiet]\n"
    "                    [--max-record-bytes N] [--max-sentence-tokens N] [--max-token-bytes N]\n"
    "                    [FILE...]\n"
    "Splits each article into sentences and tokens (standard input when no FILE).\n"
    "  text    one sentence per line, tokens separated by ' | ' (default)\n"
    "  conllu  CoNLL-U with ID and FORM filled, the sentence text and offsets as comments\n"
    "  jsonl   one JSON object per sentence with its tokens and byte offsets\n";

static void put_text(seg_ctx *c, dyad_doc *doc)
{
    dyad_slice id = dyad_doc_id(doc);
    const dyad_token *toks = dyad_doc_tokens(doc);
    fprintf(c->out, "# doc %.*s (%zu sentences)\n", (int)id.len, id.ptr, dyad_doc_nsentences(doc));
    for (size_t i = 0; i < dyad_doc_nsentences(doc); i++) {
        const dyad_sentence *s = dyad_doc_sentence(doc, i);
        fprintf(c->out, "%zu\t", i + 1);
        for (uint32_t k = 0; k < s->ntokens; k++) {
            const dyad_token *t = &toks[s->first + k];
            fprintf(c->out, "%s%.*s", k ? " | " : "", (int)t->form.len, t->form.ptr);
        }
        fputc('\n', c->out);
    }
}

static void put_jsonl(seg_ctx *c, dyad_doc *doc)
{
    dyad_slice id = dyad_doc_id(doc);
    const dyad_token *toks = dyad_doc_tokens(doc);
    for (size_t i = 0; i < dyad_doc_nsentences(doc); i++) {
        const dyad_sentence *s = dyad_doc_sentence(doc, i);
        fputs("{\"doc\":", c->out);
        dyad_write_json_string(c->out, id);
        fprintf(c->out, ",\"sentence_index\":%zu,\"paragraph\":%u,\"start\":%u,\"end\":%u,"
                        "\"text\":", i, s->paragraph, s->start, s->end);
        dyad_write_json_string(c->out, dyad_doc_sentence_text(doc, s));
        fputs(",\"tokens\":[", c->out);
        for (uint32_t k = 0; k < s->ntokens; k++) {
            const dyad_token *t = &toks[s->first + k];
            fputs(k ? ",{\"form\":" : "{\"form\":", c->out);
            dyad_write_json_string(c->out, t->form);
            fprintf(c->out, ",\"start\":%u,\"end\":%u}", t->start, t->end);
        }
        fputs("]}\n", c->out);
    }
}

static dyad_status on_doc(void *ctx, dyad_doc *doc, dyad_error *err)
{
    seg_ctx *c = ctx;
    dyad_status st = dyad_worker_segment(c->worker, doc, c->limits, err);
    if (st)
        return st;
    switch (c->format) {
    case OUT_TEXT: put_text(c, doc); break;
    case OUT_CONLLU: cli_put_conllu(c->out, doc, NULL); break;
    case OUT_JSONL: put_jsonl(c, doc); break;
    }
    return DYAD_OK;
}

int cmd_segment(int argc, char **argv)
{
    cli_input in;
    cli_input_default(&in);
    seg_ctx c = {0};
    c.out = stdout;
    char **files = calloc((size_t)argc, sizeof *files);
    int nfiles = 0;
    if (!files)
        return EXIT_FATAL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage_text, stdout);
            free(files);
            return EXIT_OK;
        }
        if (strcmp(a, "--format") == 0 && i + 1 < argc) {
            const char *v = argv[++i];
            if (strcmp(v, "text") == 0)
                c.format = OUT_TEXT;
            else if (strcmp(v, "conllu") == 0)
                c.format = OUT_CONLLU;
            else if (strcmp(v, "jsonl") == 0)
                c.format = OUT_JSONL;
            else {
                free(files);
                return cli_usage("segment", "--format: expected text, conllu or jsonl, got '%s'", v);
            }
            continue;
        }
        if (cli_input_arg(&in, "segment", argc, argv, &i, files, &nfiles) < 0) {
            free(files);
            return EXIT_USAGE;
        }
    }
    c.limits = &in.reader.limits;
    c.worker = dyad_worker_new();
    if (!c.worker) {
        free(files);
        cli_errorf("out of memory");
        return EXIT_FATAL;
    }
    cli_summary sum = {0};
    int rc = cli_each_doc(&in, files, nfiles, on_doc, &c, &sum);
    fflush(stdout);
    if (!in.quiet)
        cli_print_summary("segment", &sum);
    dyad_worker_free(c.worker);
    free(files);
    return rc;
}
