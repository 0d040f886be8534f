/* coding_spec.c - runs test/spec/coding.txt: sentences in, the expected events and quotations out. */
#include "t.h"

#include "dyad.h"

#include <glob.h>
#include <stdbool.h>
#include <stdlib.h>

/* Every test/spec/coding*.txt: coding.txt (the mechanisms) and the per-family verb specs. */
#define SPEC_GLOB "test/spec/coding*.txt"

typedef struct spec_case {
    char title[256];
    char date[16];
    char pending[256];
    char text[4096];
    char expect[64][256];
    int nexpect;
    int line;
} spec_case;

static void rstrip(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
        s[--n] = '\0';
}

/* One record as a line in the spec's notation. */
static void event_line(const dyad_event *e, char *buf, size_t size)
{
    int n = snprintf(buf, size, "%.*s %.*s %s %s",
                     e->source.code.len ? (int)e->source.code.len : 1,
                     e->source.code.len ? e->source.code.ptr : "-",
                     e->target.code.len ? (int)e->target.code.len : 1,
                     e->target.code.len ? e->target.code.ptr : "-", e->code, e->date);
    if (e->location.len && n > 0 && (size_t)n < size)
        snprintf(buf + n, size - (size_t)n, " @%.*s/%s", (int)e->location.len, e->location.ptr,
                 e->location_country);
}

static void quote_line(const dyad_quote *q, char *buf, size_t size)
{
    snprintf(buf, size, "quote %.*s \"%.*s\"", q->speaker.code.len ? (int)q->speaker.code.len : 1,
             q->speaker.code.len ? q->speaker.code.ptr : "-", (int)q->text.len, q->text.ptr);
}

static const char *spec_file;

static void run_case(const spec_case *sc, dyad_model *model, dyad_dict *dict, dyad_worker *w,
                     dyad_doc *doc)
{
    char name[400];
    const char *base = strrchr(spec_file, '/') ? strrchr(spec_file, '/') + 1 : spec_file;
    snprintf(name, sizeof name, "%s:%d %s", base, sc->line, sc->title);
    if (sc->pending[0]) {
        T_SKIP(name, sc->pending);
        return;
    }
    dyad_record rec;
    memset(&rec, 0, sizeof rec);
    rec.id = (dyad_slice){"spec", 4};
    rec.date = (dyad_slice){sc->date, strlen(sc->date)};
    rec.text = (dyad_slice){sc->text, strlen(sc->text)};
    rec.file = spec_file;
    rec.line = sc->line;
    dyad_error err = {0};
    if (dyad_doc_set(doc, &rec, NULL, &err) ||
        dyad_worker_code(w, model, dict, doc, NULL, &err)) {
        printf("FAIL %s: %s\n", name, err.msg);
        t_failed++;
        return;
    }
    char got[128][256];
    int ngot = 0;
    for (size_t i = 0; i < dyad_doc_nevents(doc) && ngot < 128; i++)
        event_line(dyad_doc_event(doc, i), got[ngot++], sizeof got[0]);
    for (size_t i = 0; i < dyad_doc_nquotes(doc) && ngot < 128; i++)
        quote_line(dyad_doc_quote(doc, i), got[ngot++], sizeof got[0]);
    /* multiset comparison */
    int used[128] = {0};
    bool ok = ngot == sc->nexpect;
    for (int e = 0; e < sc->nexpect && ok; e++) {
        bool found = false;
        for (int g = 0; g < ngot && !found; g++)
            if (!used[g] && strcmp(got[g], sc->expect[e]) == 0)
                used[g] = found = true;
        ok = found;
    }
    if (ok) {
        printf("PASS %s\n", name);
        return;
    }
    t_failed++;
    printf("FAIL %s: expected {", name);
    for (int e = 0; e < sc->nexpect; e++)
        printf("%s%s", e ? " | " : "", sc->expect[e]);
    printf("} got {");
    for (int g = 0; g < ngot; g++)
        printf("%s%s", g ? " | " : "", got[g]);
    printf("}\n");
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    const char *model_path = getenv("DYAD_MODEL") ? getenv("DYAD_MODEL") : "models/dyad-en.model";
    dyad_model *model = NULL;
    dyad_error err = {0};
    if (dyad_model_open(model_path, &model, &err)) {
        printf("FAIL coding: cannot open the model %s: %s\n", model_path, err.msg);
        return 1;
    }
    const char *dict_path = "dict";
    dyad_dict *dict = NULL;
    if (dyad_dict_open(&dict_path, 1, NULL, &dict, &err)) {
        printf("FAIL coding: cannot open the dictionaries in dict/: %s\n", err.msg);
        dyad_model_free(model);
        return 1;
    }
    glob_t g;
    if (glob(SPEC_GLOB, 0, NULL, &g) != 0 || g.gl_pathc == 0) {
        printf("FAIL coding: no %s (run from the repository root)\n", SPEC_GLOB);
        return 1;
    }
    dyad_worker *w = dyad_worker_new();
    dyad_doc *doc = dyad_doc_new();
    static spec_case sc;
    char line[4096];
    int cases = 0;
    for (size_t fi = 0; fi < g.gl_pathc; fi++) {
        spec_file = g.gl_pathv[fi];
        FILE *f = fopen(spec_file, "r");
        if (!f) {
            printf("FAIL coding: cannot open %s\n", spec_file);
            t_failed++;
            continue;
        }
        int lineno = 0, state = 0;   /* 0 outside, 1 header/text, 2 expectations */
        bool have = false;
        while (fgets(line, sizeof line, f)) {
            lineno++;
            rstrip(line);
            if (strncmp(line, "### ", 4) == 0) {
                if (have) {
                    run_case(&sc, model, dict, w, doc);
                    cases++;
                }
                memset(&sc, 0, sizeof sc);
                snprintf(sc.title, sizeof sc.title, "%.255s", line + 4);
                sc.line = lineno;
                state = 1;
                have = true;
                continue;
            }
            if (state == 0 || (line[0] == '#' && state != 1))
                continue;
            if (state == 1) {
                if (strncmp(line, "date: ", 6) == 0 && !sc.text[0])
                    snprintf(sc.date, sizeof sc.date, "%.15s", line + 6);
                else if (strncmp(line, "pending: ", 9) == 0 && !sc.text[0])
                    snprintf(sc.pending, sizeof sc.pending, "%.255s", line + 9);
                else if (strcmp(line, "---") == 0)
                    state = 2;
                else if (line[0]) {
                    size_t n = strlen(sc.text);
                    snprintf(sc.text + n, sizeof sc.text - n, "%s%s", n ? "\n" : "", line);
                }
            } else if (line[0] && sc.nexpect < 64) {
                snprintf(sc.expect[sc.nexpect++], sizeof sc.expect[0], "%.255s", line);
            }
        }
        if (have) {
            run_case(&sc, model, dict, w, doc);
            cases++;
        }
        fclose(f);
    }
    T_CHECK("coding: spec has cases", cases >= 30);
    globfree(&g);
    dyad_doc_free(doc);
    dyad_worker_free(w);
    dyad_dict_free(dict);
    dyad_model_free(model);
    T_DONE();
}
