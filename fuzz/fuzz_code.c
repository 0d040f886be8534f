/* fuzz_code.c - fuzz target: the input as an article, segmented, parsed and coded.  The first
 * byte picks the coder: dyad's tree coder with the shipped dict/ (or the seed dictionary when
 * dict/ cannot be opened), or the linear coder with seeds.h's PETRARCH/TABARI verbs.  The
 * model is the committed one when it opens, else a tiny model trained in-process.  Events and
 * quotations must point into the document, carry real codes, and write as valid JSON lines and
 * 58-field GDELT rows. */
#include "seeds.h"
#include "internal.h"

#include <cjson/cJSON.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#ifndef FUZZ_ROOT
#define FUZZ_ROOT ".."
#endif

static dyad_model *model;
static dyad_dict *tree_dict, *linear_dict;
static unsigned char *model_bytes;

static void init(void)
{
    dyad_error err;
    if (dyad_model_open(FUZZ_ROOT "/models/dyad-en.model", &model, &err) != DYAD_OK) {
        fprintf(stderr, "fuzz_code: %s; using a tiny model trained here\n", err.msg);
        size_t n;
        model_bytes = fuzz_seed_model(&n);
        if (dyad__model_from_memory(model_bytes, n, false, "tiny.model", &model, &err))
            abort();
    }
    const char *dict[1] = {FUZZ_ROOT "/dict"};
    if (dyad_dict_open(dict, 1, NULL, &tree_dict, &err) != DYAD_OK) {
        fprintf(stderr, "fuzz_code: %s; using the seed dictionary\n", err.msg);
        char p[2][600];
        const char *paths[2] = {fuzz_path(p[0], sizeof p[0], "dyad.txt"),
                                fuzz_path(p[1], sizeof p[1], "cameo.txt")};
        fuzz_write(paths[0], fuzz_dict_dyad, strlen(fuzz_dict_dyad));
        fuzz_write(paths[1], fuzz_dict_cameo, strlen(fuzz_dict_cameo));
        if (dyad_dict_open(paths, 2, NULL, &tree_dict, &err) != DYAD_OK)
            abort();
    }
    char p[5][600];
    const char *paths[5] = {
        fuzz_path(p[0], sizeof p[0], "petrarch.verbs.txt"),
        fuzz_path(p[1], sizeof p[1], "petrarch.actors.txt"),
        fuzz_path(p[2], sizeof p[2], "petrarch.agents.txt"),
        fuzz_path(p[3], sizeof p[3], "tabari.verbs"),
        fuzz_path(p[4], sizeof p[4], "cameo.txt")};
    const char *texts[5] = {fuzz_dict_petr_verbs, fuzz_dict_petr_actors, fuzz_dict_petr_agents,
                            fuzz_dict_tabari_verbs, fuzz_dict_cameo};
    for (int i = 0; i < 5; i++)
        fuzz_write(paths[i], texts[i], strlen(texts[i]));
    if (dyad_dict_open(paths, 5, NULL, &linear_dict, &err) != DYAD_OK ||
        !dyad_dict_is_linear(linear_dict))
        abort();
}

static bool inside(dyad_slice s, dyad_slice text)
{
    return s.len == 0 || (s.ptr >= text.ptr && s.ptr + s.len <= text.ptr + text.len);
}

static void check_actor(const dyad_actor *a, const dyad_doc *doc)
{
    FUZZ_CHECK(inside(a->text, dyad_doc_text(doc)));
    FUZZ_CHECK(a->start <= a->end && a->end <= dyad_doc_original(doc).len);
    for (size_t i = 0; i < a->code.len; i++)
        FUZZ_CHECK(a->code.ptr[i] > ' ' && a->code.ptr[i] != '"');
}

static void check_events(const dyad_doc *doc)
{
    size_t ns = dyad_doc_nsentences(doc);
    for (size_t i = 0; i < dyad_doc_nevents(doc); i++) {
        const dyad_event *e = dyad_doc_event(doc, i);
        FUZZ_CHECK(e && e->sentence < ns);
        size_t cl = strnlen(e->code, sizeof e->code);
        FUZZ_CHECK(cl >= 2 && cl < sizeof e->code);
        for (size_t k = 0; k < cl; k++)
            FUZZ_CHECK(e->code[k] >= '0' && e->code[k] <= '9');
        FUZZ_CHECK(e->root[0] == e->code[0] && e->root[1] == e->code[1] && !e->root[2]);
        FUZZ_CHECK(e->quad >= 0 && e->quad <= 4);
        size_t dl = strnlen(e->date, sizeof e->date);
        FUZZ_CHECK(dl < sizeof e->date && (dl == 0 || dl == 4 || dl == 7 || dl == 10));
        check_actor(&e->source, doc);
        check_actor(&e->target, doc);
        FUZZ_CHECK(inside(e->verb, dyad_doc_text(doc)));
        FUZZ_CHECK(e->verb_start <= e->verb_end && e->verb_end <= dyad_doc_original(doc).len);
    }
    for (size_t i = 0; i < dyad_doc_nquotes(doc); i++) {
        const dyad_quote *q = dyad_doc_quote(doc, i);
        FUZZ_CHECK(q && q->sentence < ns);
        FUZZ_CHECK(inside(q->text, dyad_doc_text(doc)));
        FUZZ_CHECK(q->start <= q->end && q->end <= dyad_doc_original(doc).len);
        check_actor(&q->speaker, doc);
    }
}

/* Every JSONL line parses; every GDELT row has 58 fields. */
static void check_output(const dyad_doc *doc)
{
    const dyad_format formats[2] = {DYAD_FORMAT_JSONL, DYAD_FORMAT_GDELT};
    for (int f = 0; f < 2; f++) {
        char *buf = NULL;
        size_t len = 0;
        FILE *out = open_memstream(&buf, &len);
        if (!out)
            abort();
        dyad_writer *w = dyad_writer_new(out, formats[f]);
        FUZZ_CHECK(w != NULL);
        dyad_error err;
        FUZZ_CHECK(dyad_writer_doc(w, doc, &err) == DYAD_OK);
        dyad_writer_free(w);
        fclose(out);
        size_t lines = 0;
        for (char *line = buf; line && *line;) {
            char *nl = strchr(line, '\n');
            FUZZ_CHECK(nl != NULL);   /* every record ends its line */
            *nl = 0;
            if (f == 0) {
                cJSON *j = cJSON_ParseWithLength(line, (size_t)(nl - line));
                FUZZ_CHECK(j != NULL && cJSON_IsObject(j));
                cJSON_Delete(j);
            } else {
                size_t tabs = 0;
                for (char *c = line; c < nl; c++)
                    tabs += *c == '\t';
                FUZZ_CHECK(tabs == 57);
            }
            lines++;
            line = nl + 1;
        }
        if (f == 0)
            FUZZ_CHECK(lines == dyad_doc_nevents(doc) + dyad_doc_nquotes(doc));
        free(buf);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    if (!model)
        init();
    bool linear = data[0] & 1;
    dyad_record rec;
    memset(&rec, 0, sizeof rec);
    rec.id = dyad__slice("fuzz", 4);
    rec.date = dyad__slice("2017-07-18", 10);
    rec.text = dyad__slice((const char *)data + 1, size - 1);
    rec.file = "fuzz";
    rec.line = 1;
    if (!rec.text.len)
        return 0;
    dyad_limits limits;
    fuzz_limits(&limits);
    dyad_doc *doc = dyad_doc_new();
    dyad_worker *w = dyad_worker_new();
    if (!doc || !w)
        abort();
    dyad_error err;
    dyad_status st = dyad_doc_set(doc, &rec, &limits, &err);
    if (st == DYAD_OK)
        st = dyad_worker_segment(w, doc, &limits, &err);
    if (st == DYAD_OK)
        st = linear ? dyad_worker_code_linear(w, model, linear_dict, doc, NULL, &err)
                    : dyad_worker_code(w, model, tree_dict, doc, &limits, &err);
    if (st == DYAD_OK) {
        check_events(doc);
        check_output(doc);
    } else {
        FUZZ_CHECK(st < 0 && err.code == st && err.msg[0]);
    }
    dyad_worker_free(w);
    dyad_doc_free(doc);
    return 0;
}
