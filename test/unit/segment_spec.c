/* segment_spec.c - runs the segmenter spec test/spec/segment.txt: one PASS/FAIL per case. */
#include "dyad.h"
#include "t.h"

#include <stdbool.h>
#include <stdlib.h>

#define SPEC "test/spec/segment.txt"

typedef struct text {
    char *p;
    size_t n, cap;
} text;

static void put(text *t, const char *s, size_t n)
{
    if (t->n + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 256;
        while (cap < t->n + n + 1)
            cap *= 2;
        char *p = realloc(t->p, cap);
        if (!p) {
            fprintf(stderr, "out of memory\n");
            exit(2);
        }
        t->p = p;
        t->cap = cap;
    }
    memcpy(t->p + t->n, s, n);
    t->n += n;
    t->p[t->n] = '\0';
}

static void puts_(text *t, const char *s)
{
    put(t, s, strlen(s));
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Append s[0,n) with \xHH and \\ decoded. */
static void put_unescaped(text *t, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\' && i + 1 < n && s[i + 1] == '\\') {
            put(t, "\\", 1);
            i++;
        } else if (s[i] == '\\' && i + 3 < n && s[i + 1] == 'x' && hexval(s[i + 2]) >= 0 &&
                   hexval(s[i + 3]) >= 0) {
            char c = (char)(hexval(s[i + 2]) * 16 + hexval(s[i + 3]));
            put(t, &c, 1);
            i += 3;
        } else {
            put(t, s + i, 1);
        }
    }
}

/* Printable form of a byte string for messages: \xHH for control and invalid bytes. */
static void put_visible(text *t, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f) {
            char b[8];
            snprintf(b, sizeof b, "\\x%02x", c);
            puts_(t, b);
        } else {
            put(t, s + i, 1);
        }
    }
}

typedef struct spec_case {
    const char *title;
    size_t title_len;
    text input;
    text expected;      /* one sentence per line, unescaped */
    const char *offsets, *sentences, *paragraphs, *warnings;   /* directive values or NULL */
    size_t offsets_len, sentences_len, paragraphs_len, warnings_len;
} spec_case;

/* The segmentation of doc in the spec's notation. */
static void render(text *out, const dyad_doc *doc)
{
    const dyad_token *toks = dyad_doc_tokens(doc);
    for (size_t i = 0; i < dyad_doc_nsentences(doc); i++) {
        const dyad_sentence *s = dyad_doc_sentence(doc, i);
        for (uint32_t k = 0; k < s->ntokens; k++) {
            if (k)
                puts_(out, " | ");
            put(out, toks[s->first + k].form.ptr, toks[s->first + k].form.len);
        }
        puts_(out, "\n");
    }
}

static void render_offsets(text *out, const dyad_doc *doc)
{
    const dyad_token *toks = dyad_doc_tokens(doc);
    char b[48];
    for (size_t i = 0; i < dyad_doc_ntokens(doc); i++) {
        snprintf(b, sizeof b, "%s%u-%u", i ? " " : "", toks[i].start, toks[i].end);
        puts_(out, b);
    }
}

static void render_sentences(text *out, const dyad_doc *doc, bool paragraphs)
{
    char b[48];
    for (size_t i = 0; i < dyad_doc_nsentences(doc); i++) {
        const dyad_sentence *s = dyad_doc_sentence(doc, i);
        if (paragraphs)
            snprintf(b, sizeof b, "%s%u", i ? " " : "", s->paragraph);
        else
            snprintf(b, sizeof b, "%s%u-%u", i ? " " : "", s->start, s->end);
        puts_(out, b);
    }
}

/* Print "    expected: ..." / "    got:      ..." lines, one per sentence. */
static void show(const char *label, const text *t)
{
    const char *p = t->p ? t->p : "";
    const char *end = p + t->n;
    if (p == end)
        printf("    %s (nothing)\n", label);
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        text v = {0};
        put_visible(&v, p, n);
        printf("    %s %s\n", label, v.p ? v.p : "");
        free(v.p);
        p += n + (nl != NULL);
    }
}

static bool check_directive(const char *name, const char *want, size_t want_len,
                            const text *got, text *why)
{
    if (!want)
        return true;
    if (got->n == want_len && memcmp(got->p ? got->p : "", want, want_len) == 0)
        return true;
    puts_(why, "    @");
    puts_(why, name);
    puts_(why, " expected: ");
    put(why, want, want_len);
    puts_(why, "\n    @");
    puts_(why, name);
    puts_(why, " got:      ");
    put(why, got->p ? got->p : "", got->n);
    puts_(why, "\n");
    return false;
}

static void run_case(int number, spec_case *c, dyad_doc *doc, dyad_worker *w)
{
    char name[160];
    snprintf(name, sizeof name, "segment spec %d: %.*s", number, (int)c->title_len, c->title);
    dyad_record rec;
    memset(&rec, 0, sizeof rec);
    rec.id = (dyad_slice){"spec", 4};
    rec.text = (dyad_slice){c->input.p ? c->input.p : "", c->input.n};
    rec.file = SPEC;
    dyad_error err = {0};
    dyad_status st = dyad_doc_set(doc, &rec, NULL, &err);
    if (!st)
        st = dyad_worker_segment(w, doc, NULL, &err);
    if (st) {
        printf("FAIL %s: status %d: %s\n", name, st, err.msg);
        t_failed++;
        return;
    }
    text got = {0}, why = {0};
    render(&got, doc);
    bool ok = got.n == c->expected.n &&
              memcmp(got.p ? got.p : "", c->expected.p ? c->expected.p : "", got.n) == 0;
    text o = {0};
    render_offsets(&o, doc);
    ok &= check_directive("offsets", c->offsets, c->offsets_len, &o, &why);
    o.n = 0;
    render_sentences(&o, doc, false);
    ok &= check_directive("sentences", c->sentences, c->sentences_len, &o, &why);
    o.n = 0;
    render_sentences(&o, doc, true);
    ok &= check_directive("paragraphs", c->paragraphs, c->paragraphs_len, &o, &why);
    o.n = 0;
    char b[32];
    snprintf(b, sizeof b, "%zu", dyad_doc_nwarnings(doc));
    puts_(&o, b);
    ok &= check_directive("warnings", c->warnings, c->warnings_len, &o, &why);
    if (ok) {
        printf("PASS %s\n", name);
    } else {
        t_failed++;
        printf("FAIL %s: segmentation differs\n", name);
        show("expected:", &c->expected);
        show("got:     ", &got);
        if (why.n)
            fputs(why.p, stdout);
    }
    free(got.p);
    free(why.p);
    free(o.p);
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    text t = {0};
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        put(&t, buf, n);
    fclose(f);
    *len = t.n;
    return t.p ? t.p : calloc(1, 1);
}

static bool starts_with(const char *s, size_t n, const char *p)
{
    size_t k = strlen(p);
    return n >= k && memcmp(s, p, k) == 0;
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    size_t len = 0;
    char *spec = read_file(SPEC, &len);
    if (!spec) {
        printf("FAIL segment spec: cannot read %s (run from the repository root)\n", SPEC);
        return 1;
    }
    dyad_doc *doc = dyad_doc_new();
    dyad_worker *w = dyad_worker_new();
    if (!doc || !w) {
        printf("FAIL segment spec: out of memory\n");
        return 1;
    }
    /* split into lines */
    size_t nlines = 0, cap = 0;
    const char **lines = NULL;
    size_t *lens = NULL;
    for (size_t i = 0; i <= len;) {
        const char *nl = i < len ? memchr(spec + i, '\n', len - i) : NULL;
        size_t e = nl ? (size_t)(nl - spec) : len;
        if (nlines == cap) {
            cap = cap ? cap * 2 : 1024;
            lines = realloc(lines, cap * sizeof *lines);
            lens = realloc(lens, cap * sizeof *lens);
            if (!lines || !lens) {
                printf("FAIL segment spec: out of memory\n");
                return 1;
            }
        }
        lines[nlines] = spec + i;
        lens[nlines++] = e - i;
        if (!nl)
            break;
        i = e + 1;
    }
    int ncases = 0;
    size_t i = 0;
    while (i < nlines && !starts_with(lines[i], lens[i], "### "))
        i++;
    while (i < nlines) {
        spec_case c;
        memset(&c, 0, sizeof c);
        c.title = lines[i] + 4;
        c.title_len = lens[i] - 4;
        i++;
        bool first = true, sep = false;
        text raw = {0};
        for (; i < nlines; i++) {
            if (lens[i] == 3 && memcmp(lines[i], "---", 3) == 0) {
                sep = true;
                i++;
                break;
            }
            if (!first)
                puts_(&raw, "\n");
            put(&raw, lines[i], lens[i]);
            first = false;
        }
        put_unescaped(&c.input, raw.p ? raw.p : "", raw.n);
        free(raw.p);
        for (; i < nlines && lens[i] && !starts_with(lines[i], lens[i], "### "); i++) {
            const char *l = lines[i];
            size_t n = lens[i];
            if (starts_with(l, n, "@offsets ")) {
                c.offsets = l + 9;
                c.offsets_len = n - 9;
            } else if (starts_with(l, n, "@sentences ")) {
                c.sentences = l + 11;
                c.sentences_len = n - 11;
            } else if (starts_with(l, n, "@paragraphs ")) {
                c.paragraphs = l + 12;
                c.paragraphs_len = n - 12;
            } else if (starts_with(l, n, "@warnings ")) {
                c.warnings = l + 10;
                c.warnings_len = n - 10;
            } else {
                put_unescaped(&c.expected, l, n);
                puts_(&c.expected, "\n");
            }
        }
        while (i < nlines && !starts_with(lines[i], lens[i], "### "))
            i++;                              /* blank lines between cases */
        ncases++;
        if (!sep) {
            printf("FAIL segment spec %d: %.*s: no '---' line\n", ncases, (int)c.title_len,
                   c.title);
            t_failed++;
        } else {
            run_case(ncases, &c, doc, w);
        }
        free(c.input.p);
        free(c.expected.p);
    }
    char name[64];
    snprintf(name, sizeof name, "segment spec: %d cases (at least 150)", ncases);
    T_CHECK(name, ncases >= 150);
    free(lines);
    free(lens);
    free(spec);
    dyad_worker_free(w);
    dyad_doc_free(doc);
    T_DONE();
}
