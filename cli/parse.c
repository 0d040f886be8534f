/* parse.c - `dyad parse`: tags, lemmas and dependency trees of articles, as CoNLL-U. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#ifndef DYAD_DEFAULT_MODEL
#define DYAD_DEFAULT_MODEL "models/dyad-en.model"
#endif

static const char usage_text[] =
    "usage: dyad parse [--model MODEL] [--input text|jsonl|petrarch|conllu]\n"
    "                  [--date YYYY-MM-DD] [--id ID] [--strict] [--quiet]\n"
    "                  [--max-record-bytes N] [--max-sentence-tokens N] [--max-token-bytes N]\n"
    "                  [FILE...]\n"
    "Segments each article (or takes the sentences and tokens of a CoNLL-U file as given),\n"
    "tags, lemmatises and parses it, and writes CoNLL-U: ID, FORM, LEMMA, UPOS, XPOS, HEAD,\n"
    "DEPREL, SpaceAfter=No in MISC, '# sent_id' and '# text' (standard input when no FILE).\n"
    "  --model MODEL   model file (default: $DYAD_MODEL, else the installed model)\n";

const char *cli_model_path(const char *given)
{
    if (given && *given)
        return given;
    const char *env = getenv("DYAD_MODEL");
    if (env && *env)
        return env;
    return DYAD_DEFAULT_MODEL;
}

dyad_model *cli_open_model(const char *given)
{
    const char *path = cli_model_path(given);
    dyad_model *m = NULL;
    dyad_error err = {0};
    if (dyad_model_open(path, &m, &err)) {
        if (!err.msg[0])
            snprintf(err.msg, sizeof err.msg, "%s: %s", path, dyad_strerror(err.code));
        err.file[0] = '\0';   /* the message already names the file */
        cli_report("error", &err);
        return NULL;
    }
    return m;
}

/* One field of a CoNLL-U line: tabs and line breaks become spaces, empty becomes "_". */
static void put_field(FILE *f, dyad_slice s)
{
    if (!s.len) {
        fputc('_', f);
        return;
    }
    for (size_t i = 0; i < s.len; i++) {
        char c = s.ptr[i];
        fputc(c == '\t' || c == '\n' || c == '\r' ? ' ' : c, f);
    }
}

static void put_comment_text(FILE *f, dyad_slice s)
{
    for (size_t i = 0; i < s.len; i++) {
        char c = s.ptr[i];
        fputc(c == '\n' || c == '\r' || c == '\t' ? ' ' : c, f);
    }
}

/* Write the parsed document; texts (may be NULL) gives the "# text" of each sentence. */
void cli_put_conllu(FILE *f, dyad_doc *doc, const dyad_slice *texts)
{
    dyad_slice id = dyad_doc_id(doc);
    const dyad_token *toks = dyad_doc_tokens(doc);
    if (id.len)
        fprintf(f, "# newdoc id = %.*s\n", (int)id.len, id.ptr);
    for (size_t i = 0; i < dyad_doc_nsentences(doc); i++) {
        const dyad_sentence *s = dyad_doc_sentence(doc, i);
        if (id.len)
            fprintf(f, "# sent_id = %.*s-%zu\n", (int)id.len, id.ptr, i + 1);
        else
            fprintf(f, "# sent_id = %zu\n", i + 1);
        fputs("# text = ", f);
        put_comment_text(f, texts && texts[i].len ? texts[i] : dyad_doc_sentence_text(doc, s));
        fputc('\n', f);
        for (uint32_t k = 0; k < s->ntokens; k++) {
            const dyad_token *t = &toks[s->first + k];
            fprintf(f, "%u\t", k + 1);
            put_field(f, t->form);
            fputc('\t', f);
            put_field(f, t->lemma);
            fprintf(f, "\t%s\t%s\t_\t", dyad_upos_name(t->upos), dyad_xpos_name(t->xpos));
            if (t->head < 0)
                fputs("_", f);   /* segmented, not parsed */
            else
                fprintf(f, "%d", t->head);
            fprintf(f, "\t%s\t_\t%s\n", dyad_deprel_name(t->deprel),
                    t->flags & DYAD_TOK_SPACE_AFTER ? "_" : "SpaceAfter=No");
        }
        fputc('\n', f);
    }
}

typedef struct parse_ctx {
    dyad_worker *worker;
    dyad_model *model;
    const dyad_limits *limits;
} parse_ctx;

static dyad_status on_doc(void *ctx, dyad_doc *doc, dyad_error *err)
{
    parse_ctx *c = ctx;
    dyad_status st = dyad_worker_segment(c->worker, doc, c->limits, err);
    if (!st)
        st = dyad_worker_parse(c->worker, c->model, doc, err);
    if (st)
        return st;
    cli_put_conllu(stdout, doc, NULL);
    return DYAD_OK;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* CoNLL-U input: keep the given sentences and tokens. */
static int parse_conllu(parse_ctx *c, const cli_input *in, const char *path, cli_summary *sum)
{
    dyad_conllu *cu = NULL;
    dyad_error err = {0};
    if (dyad_conllu_open(path, &cu, &err)) {
        cli_report("error", &err);
        sum->skipped++;
        return in->strict ? EXIT_FATAL : EXIT_SKIPPED;
    }
    dyad_doc *doc = dyad_doc_new();
    dyad_slice *texts = NULL;
    size_t cap = 0;
    int rc = EXIT_OK;
    if (!doc) {
        dyad_conllu_free(cu);
        cli_errorf("out of memory");
        return EXIT_FATAL;
    }
    for (;;) {
        dyad_status st = dyad_conllu_next(cu, doc, 0, &err);
        if (st == DYAD_DONE)
            break;
        sum->records++;
        if (st == DYAD_OK)
            st = dyad_worker_parse(c->worker, c->model, doc, &err);
        if (st) {
            cli_report("error", &err);
            sum->skipped++;
            bool fatal = in->strict || st == DYAD_EIO || st == DYAD_EUNSUPPORTED;
            rc = fatal ? EXIT_FATAL : EXIT_SKIPPED;
            if (rc == EXIT_FATAL)
                break;
            continue;
        }
        size_t ns = dyad_doc_nsentences(doc);
        if (ns > cap) {
            dyad_slice *t = realloc(texts, ns * sizeof *t);
            if (!t) {
                cli_errorf("out of memory");
                rc = EXIT_FATAL;
                break;
            }
            texts = t;
            cap = ns;
        }
        for (size_t i = 0; i < ns; i++)
            texts[i] = dyad_conllu_text(cu, i);
        cli_put_conllu(stdout, doc, texts);
        sum->processed++;
        sum->sentences += ns;
        sum->tokens += dyad_doc_ntokens(doc);
    }
    free(texts);
    dyad_doc_free(doc);
    dyad_conllu_free(cu);
    return rc;
}

int cmd_parse(int argc, char **argv)
{
    cli_input in;
    cli_input_default(&in);
    const char *model_path = NULL;
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
        if (strcmp(a, "--model") == 0) {
            if (i + 1 >= argc) {
                free(files);
                return cli_usage("parse", "--model needs a value");
            }
            model_path = argv[++i];
            continue;
        }
        if (cli_input_arg(&in, "parse", argc, argv, &i, files, &nfiles) < 0) {
            free(files);
            return EXIT_USAGE;
        }
    }
    parse_ctx c = {0};
    c.limits = &in.reader.limits;
    c.model = cli_open_model(model_path);
    if (!c.model) {
        free(files);
        return EXIT_FATAL;
    }
    c.worker = dyad_worker_new();
    if (!c.worker) {
        dyad_model_free(c.model);
        free(files);
        cli_errorf("out of memory");
        return EXIT_FATAL;
    }
    cli_summary sum = {0};
    int rc = EXIT_OK;
    bool conllu = in.reader.format == DYAD_INPUT_CONLLU;
    if (!conllu && in.reader.format == DYAD_INPUT_AUTO && nfiles > 0) {
        conllu = true;
        for (int f = 0; f < nfiles; f++)
            conllu = conllu && ends_with(files[f], ".conllu");
    }
    if (conllu) {
        if (nfiles == 0)
            files[nfiles++] = "/dev/stdin";
        for (int f = 0; f < nfiles && rc != EXIT_FATAL; f++) {
            int r = parse_conllu(&c, &in, files[f], &sum);
            if (r > rc)
                rc = r;
        }
    } else {
        rc = cli_each_doc(&in, files, nfiles, on_doc, &c, &sum);
    }
    fflush(stdout);
    if (!in.quiet)
        cli_print_summary("parse", &sum);
    dyad_worker_free(c.worker);
    dyad_model_free(c.model);
    free(files);
    return rc;
}
