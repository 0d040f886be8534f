/* writers.c - output escaping: JSON strings (quotes, backslashes, control bytes, UTF-8) and
 * TSV fields (tabs and line breaks become spaces), byte for byte. */
#include "internal.h"
#include "t.h"

#include <stdlib.h>

/* What dyad_write_json_string writes for s (malloc'd, NUL-terminated). */
static char *json_of(dyad_slice s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    dyad_write_json_string(f, s);
    fclose(f);
    return buf;
}

static void check_json(const char *name, const char *in, size_t n, const char *want)
{
    char *got = json_of(dyad__slice(in, n));
    bool ok = got && strcmp(got, want) == 0;
    T_CHECK(name, ok);
    if (!ok)
        printf("#   got  [%s]\n#   want [%s]\n", got ? got : "(null)", want);
    free(got);
}

/* The TSV output of a document with one event whose actor texts are given. */
static char *tsv_of(const char *source_text, const char *target_text, const char *verb)
{
    dyad_doc *doc = dyad_doc_new();
    if (!doc)
        return NULL;
    dyad_slice forms[2] = {{"Talks", 5}, {"ended", 5}};
    dyad_doc_reset(doc, dyad__cstr("d\t1"), dyad__cstr("2017-07-18"));
    dyad_doc_add_sentence(doc, forms, NULL, 2, NULL);
    dyad_event *e = dyad__doc_push_event(doc);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = e ? open_memstream(&buf, &len) : NULL;
    if (f) {
        e->sentence = 0;
        e->source.code = dyad__cstr("RUS");
        e->source.text = dyad__cstr(source_text);
        e->target.code = dyad__cstr("USA");
        e->target.text = dyad__cstr(target_text);
        memcpy(e->code, "040", 4);
        memcpy(e->root, "04", 3);
        e->quad = 1;
        e->goldstein = 1.0;
        memcpy(e->date, "2017-07-18", 11);
        e->verb = dyad__cstr(verb);
        dyad_writer *w = dyad_writer_new(f, DYAD_FORMAT_TSV);
        dyad_writer_doc(w, doc, NULL);
        dyad_writer_free(w);
        fclose(f);
    }
    dyad_doc_free(doc);
    return buf;
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    check_json("json: plain text as it is", "Russia met U.S. officials", 25,
               "\"Russia met U.S. officials\"");
    check_json("json: empty string", "", 0, "\"\"");
    {
        char *got = json_of(dyad__slice(NULL, 0));
        T_CHECK("json: empty slice without a pointer", got && strcmp(got, "\"\"") == 0);
        free(got);
    }
    check_json("json: quotes and backslashes", "say \"no\" C:\\x", 13,
               "\"say \\\"no\\\" C:\\\\x\"");
    check_json("json: escapes first and last", "\"a\\", 3, "\"\\\"a\\\\\"");
    check_json("json: line breaks and tabs", "a\nb\rc\td", 7, "\"a\\nb\\rc\\td\"");
    check_json("json: other control bytes as \\u00XX", "\x01x\x1f", 3,
               "\"\\u0001x\\u001f\"");
    check_json("json: a NUL byte", "a\0b", 3, "\"a\\u0000b\"");
    check_json("json: DEL and UTF-8 kept as they are", "\x7f\xc3\xa9t\xc3\xa9 \xe2\x80\x94", 10,
               "\"\x7f\xc3\xa9t\xc3\xa9 \xe2\x80\x94\"");
    check_json("json: only escapes", "\n\n\"", 3, "\"\\n\\n\\\"\"");

    char *tsv = tsv_of("the\tKremlin\n", "\rWashington", "met\twith");
    const char *line = tsv ? strchr(tsv, '\n') : NULL;
    const char *want = "\nevent\td 1\t0\t2017-07-18\tRUS\tthe Kremlin \tUSA\t Washington\t040\t1\t"
                       "1.0\t\t\tmet with\t\tTalks ended\n";
    bool ok = line && strcmp(line, want) == 0;
    T_CHECK("tsv: tabs and line breaks in fields become spaces", ok);
    if (!ok)
        printf("#   got  [%s]\n", tsv ? tsv : "(null)");
    free(tsv);
    T_DONE();
}
