/* write.c - output: events and quotations as JSON Lines, TSV, a readable table, GDELT, PETRARCH. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>

struct dyad_writer {
    FILE *f;
    dyad_format format;
    unsigned long long next_id;   /* GDELT GLOBALEVENTID */
    bool header_done;
};

dyad_writer *dyad_writer_new(FILE *f, dyad_format format)
{
    if (!f || format < DYAD_FORMAT_JSONL || format > DYAD_FORMAT_PETRARCH)
        return NULL;
    dyad_writer *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->f = f;
    w->format = format;
    w->next_id = 1;
    return w;
}

void dyad_writer_free(dyad_writer *w)
{
    if (!w)
        return;
    fflush(w->f);
    free(w);
}

int dyad_format_from_name(const char *name)
{
    static const char *const names[] = {"jsonl", "tsv", "table", "gdelt", "petrarch"};
    for (int i = 0; i < 5; i++)
        if (name && strcmp(name, names[i]) == 0)
            return DYAD_FORMAT_JSONL + i;
    return -1;
}

/* ---------------------------------------------------------------- escaping */

void dyad_write_json_string(FILE *f, dyad_slice s)
{
    fputc('"', f);
    size_t run = 0;   /* start of the bytes written as they are */
    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.ptr[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        if (i > run)
            fwrite(s.ptr + run, 1, i - run, f);
        run = i + 1;
        switch (c) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        default: fprintf(f, "\\u%04x", c);
        }
    }
    if (s.len > run)
        fwrite(s.ptr + run, 1, s.len - run, f);
    fputc('"', f);
}

static void json_str(FILE *f, dyad_slice s)
{
    dyad_write_json_string(f, s);
}

static void json_cstr(FILE *f, const char *s)
{
    dyad_write_json_string(f, dyad__cstr(s));
}

/* TSV fields cannot hold tabs or newlines: they become spaces. */
static void tsv_str(FILE *f, dyad_slice s)
{
    size_t run = 0;   /* start of the bytes written as they are */
    for (size_t i = 0; i < s.len; i++) {
        char c = s.ptr[i];
        if (c != '\t' && c != '\n' && c != '\r')
            continue;
        if (i > run)
            fwrite(s.ptr + run, 1, i - run, f);
        fputc(' ', f);
        run = i + 1;
    }
    if (s.len > run)
        fwrite(s.ptr + run, 1, s.len - run, f);
}

static dyad_slice sentence_text(const dyad_doc *doc, uint32_t s)
{
    return dyad_doc_sentence_text(doc, dyad_doc_sentence(doc, s));
}

static void json_actor(FILE *f, const dyad_actor *a)
{
    if (!a->code.len && !a->text.len) {
        fputs("null", f);
        return;
    }
    fputs("{\"code\":", f);
    json_str(f, a->code);
    fputs(",\"text\":", f);
    json_str(f, a->text);
    fputc('}', f);
}

/* ---------------------------------------------------------------- JSON Lines */

static void jsonl_doc(dyad_writer *w, const dyad_doc *doc)
{
    FILE *f = w->f;
    for (size_t i = 0; i < doc->nevents; i++) {
        const dyad_event *e = &doc->events[i];
        fputs("{\"kind\":\"event\",\"doc\":", f);
        json_str(f, doc->id);
        fprintf(f, ",\"sentence_index\":%u,\"sentence\":", e->sentence);
        json_str(f, sentence_text(doc, e->sentence));
        fputs(",\"date\":", f);
        json_cstr(f, e->date);
        fputs(",\"source\":", f);
        json_actor(f, &e->source);
        fputs(",\"target\":", f);
        json_actor(f, &e->target);
        fputs(",\"code\":", f);
        json_cstr(f, e->code);
        fputs(",\"root\":", f);
        json_cstr(f, e->root);
        fprintf(f, ",\"quad\":%d,\"goldstein\":%.1f,\"location\":", e->quad, e->goldstein);
        if (e->location.len) {
            fputs("{\"name\":", f);
            json_str(f, e->location);
            fputs(",\"country\":", f);
            json_cstr(f, e->location_country);
            fputc('}', f);
        } else {
            fputs("null", f);
        }
        fputs(",\"evidence\":{\"verb\":", f);
        json_str(f, e->verb);
        fprintf(f, ",\"start\":%u,\"end\":%u,\"pattern\":", e->verb_start, e->verb_end);
        json_str(f, e->pattern);
        fputs(",\"dictionary\":", f);
        json_str(f, e->pattern_file);
        fprintf(f, ",\"line\":%u", e->pattern_line);
        static const char *const flag_names[] = {"negated", "reported", "reciprocal",
                                                 "compound", "nominal", "date_inferred"};
        fputs(",\"flags\":[", f);
        bool first = true;
        for (int b = 0; b < 6; b++)
            if (e->flags & (1u << b)) {
                fprintf(f, "%s\"%s\"", first ? "" : ",", flag_names[b]);
                first = false;
            }
        fputs("]}}\n", f);
    }
    for (size_t i = 0; i < doc->nquotes; i++) {
        const dyad_quote *q = &doc->quotes[i];
        fputs("{\"kind\":\"quote\",\"doc\":", f);
        json_str(f, doc->id);
        fprintf(f, ",\"sentence_index\":%u,\"speaker\":", q->sentence);
        json_actor(f, &q->speaker);
        fputs(",\"text\":", f);
        json_str(f, q->text);
        fprintf(f, ",\"start\":%u,\"end\":%u}\n", q->start, q->end);
    }
}

/* ---------------------------------------------------------------- TSV and table */

static void tsv_doc(dyad_writer *w, const dyad_doc *doc)
{
    FILE *f = w->f;
    if (!w->header_done) {
        fputs("kind\tdoc\tsentence\tdate\tsource\tsource_text\ttarget\ttarget_text\tcode\t"
              "quad\tgoldstein\tlocation\tcountry\tverb\tpattern\ttext\n", f);
        w->header_done = true;
    }
    for (size_t i = 0; i < doc->nevents; i++) {
        const dyad_event *e = &doc->events[i];
        fputs("event\t", f);
        tsv_str(f, doc->id);
        fprintf(f, "\t%u\t%s\t", e->sentence, e->date);
        tsv_str(f, e->source.code);
        fputc('\t', f);
        tsv_str(f, e->source.text);
        fputc('\t', f);
        tsv_str(f, e->target.code);
        fputc('\t', f);
        tsv_str(f, e->target.text);
        fprintf(f, "\t%s\t%d\t%.1f\t", e->code, e->quad, e->goldstein);
        tsv_str(f, e->location);
        fprintf(f, "\t%s\t", e->location_country);
        tsv_str(f, e->verb);
        fputc('\t', f);
        tsv_str(f, e->pattern);
        fputc('\t', f);
        tsv_str(f, sentence_text(doc, e->sentence));
        fputc('\n', f);
    }
    for (size_t i = 0; i < doc->nquotes; i++) {
        const dyad_quote *q = &doc->quotes[i];
        fputs("quote\t", f);
        tsv_str(f, doc->id);
        fprintf(f, "\t%u\t\t", q->sentence);
        tsv_str(f, q->speaker.code);
        fputc('\t', f);
        tsv_str(f, q->speaker.text);
        fputs("\t\t\t\t\t\t\t\t\t\t", f);
        tsv_str(f, q->text);
        fputc('\n', f);
    }
}

/* Print at most width bytes of s, padded; cut at a UTF-8 boundary. */
static void cell(FILE *f, dyad_slice s, int width)
{
    size_t n = s.len;
    int cols = 0;
    size_t i = 0;
    for (; i < n && cols < width; i++) {
        unsigned char c = (unsigned char)s.ptr[i];
        if ((c & 0xC0) != 0x80)
            cols++;
        if (cols > width)
            break;
    }
    while (i < n && ((unsigned char)s.ptr[i] & 0xC0) == 0x80)
        i++;
    for (size_t k = 0; k < i; k++) {
        char c = s.ptr[k];
        fputc(c == '\n' || c == '\t' ? ' ' : c, f);
    }
    for (; cols < width; cols++)
        fputc(' ', f);
}

static void table_doc(dyad_writer *w, const dyad_doc *doc)
{
    FILE *f = w->f;
    fputs("\n== ", f);
    tsv_str(f, doc->id);
    fprintf(f, " (%s): %zu events, %zu quotations\n", doc->date.len ? doc->date.ptr : "no date",
            doc->nevents, doc->nquotes);
    if (doc->nevents) {
        fprintf(f, "%-10s  %-10s %-24s  %-4s  %-36s  %-10s %-24s  %s\n", "date", "source", "",
                "code", "", "target", "", "where");
        for (size_t i = 0; i < doc->nevents; i++) {
            const dyad_event *e = &doc->events[i];
            fprintf(f, "%-10s  ", e->date);
            cell(f, e->source.code, 10);
            fputc(' ', f);
            cell(f, e->source.text, 24);
            fprintf(f, "  %-4s  ", e->code);
            const char *name = dyad_cameo_name(e->code);
            cell(f, dyad__cstr(name ? name : ""), 36);
            fputs("  ", f);
            cell(f, e->target.code, 10);
            fputc(' ', f);
            cell(f, e->target.text, 24);
            fputs("  ", f);
            tsv_str(f, e->location);
            fputc('\n', f);
        }
    }
    for (size_t i = 0; i < doc->nquotes; i++) {
        const dyad_quote *q = &doc->quotes[i];
        fputs("  quote  ", f);
        cell(f, q->speaker.code, 10);
        fputc(' ', f);
        cell(f, q->speaker.text, 24);
        fputs("  \"", f);
        tsv_str(f, q->text);
        fputs("\"\n", f);
    }
}

/* ---------------------------------------------------------------- GDELT 1.0 */

/* YYYYMMDD of an event date at any precision: a month or a year is written as its first
 * day (GDELT's SQLDATE always has a day); FractionDate says the same. */
static void gdelt_dates(const char *date, char sql[9], char month[7], char year[5],
                        char fraction[10])
{
    int y = 0, m = 1, d = 1;
    sscanf(date, "%4d-%2d-%2d", &y, &m, &d);
    snprintf(sql, 9, "%04d%02d%02d", y, m, d);
    snprintf(month, 7, "%04d%02d", y, m);
    snprintf(year, 5, "%04d", y);
    double frac = y + ((m - 1) * 30 + d) / 365.0;
    snprintf(fraction, 10, "%.4f", frac);
}

/* The parts of a CAMEO actor code: country (3), known group, types. */
static void gdelt_actor(FILE *f, const dyad_actor *a)
{
    dyad_slice code = a->code;
    tsv_str(f, code);                 /* ActorCode */
    fputc('\t', f);
    tsv_str(f, a->text);              /* ActorName */
    fputc('\t', f);
    dyad_slice country = {0}, group = {0};
    if (code.len >= 3 && memcmp(code.ptr, "---", 3) != 0 && memcmp(code.ptr, "IGO", 3) != 0 &&
        memcmp(code.ptr, "NGO", 3) != 0 && memcmp(code.ptr, "IMG", 3) != 0 &&
        memcmp(code.ptr, "MNC", 3) != 0)
        country = dyad__slice(code.ptr, 3);
    else if (code.len >= 6 && memcmp(code.ptr, "---", 3) != 0)
        group = dyad__slice(code.ptr + 3, 3);
    tsv_str(f, country);              /* ActorCountryCode */
    fputc('\t', f);
    tsv_str(f, group);                /* ActorKnownGroupCode */
    fputs("\t\t\t\t", f);             /* Ethnic, Religion1, Religion2 */
    /* Type1-3: the three-letter role codes after the country */
    size_t off = country.len || (code.len >= 3 && !memcmp(code.ptr, "---", 3)) ? 3 : 6;
    for (int t = 0; t < 3; t++) {
        if (off + 3 <= code.len)
            tsv_str(f, dyad__slice(code.ptr + off, 3));
        off += 3;
        fputc('\t', f);
    }
}

static void gdelt_doc(dyad_writer *w, const dyad_doc *doc)
{
    FILE *f = w->f;
    char added[9] = "";
    if (doc->date.len >= 10)
        snprintf(added, sizeof added, "%.4s%.2s%.2s", doc->date.ptr, doc->date.ptr + 5,
                 doc->date.ptr + 8);
    for (size_t i = 0; i < doc->nevents; i++) {
        const dyad_event *e = &doc->events[i];
        char sql[9], month[7], year[5], fraction[10];
        gdelt_dates(e->date, sql, month, year, fraction);
        fprintf(f, "%llu\t%s\t%s\t%s\t%s\t", w->next_id++, sql, month, year, fraction);
        gdelt_actor(f, &e->source);       /* fields 6-15 */
        gdelt_actor(f, &e->target);       /* fields 16-25 */
        char base[4];
        snprintf(base, sizeof base, "%.3s", e->code);
        /* IsRootEvent: the event of the sentence's main verb; dyad marks the first of each
         * sentence */
        bool root = i == 0 || doc->events[i - 1].sentence != e->sentence;
        fprintf(f, "%d\t%s\t%s\t%s\t%d\t%.1f\t1\t1\t1\t0\t", root ? 1 : 0, e->code, base, e->root,
                e->quad, e->goldstein);
        /* Actor1Geo, Actor2Geo: dyad does not place actors, only actions */
        fputs("0\t\t\t\t\t\t\t0\t\t\t\t\t\t\t", f);
        if (e->location.len) {
            fputs("1\t", f);
            tsv_str(f, e->location);
            fprintf(f, "\t%s\t\t\t\t\t", e->location_country);
        } else {
            fputs("0\t\t\t\t\t\t\t", f);
        }
        fprintf(f, "%s\t", added);
        tsv_str(f, doc->url);
        fputc('\n', f);
    }
}

/* ---------------------------------------------------------------- PETRARCH events file */

static void petrarch_doc(dyad_writer *w, const dyad_doc *doc)
{
    FILE *f = w->f;
    for (size_t i = 0; i < doc->nevents; i++) {
        const dyad_event *e = &doc->events[i];
        char sql[9], month[7], year[5], fraction[10];
        gdelt_dates(e->date, sql, month, year, fraction);
        fprintf(f, "%s\t", sql);
        tsv_str(f, e->source.code.len ? e->source.code : dyad__cstr("---"));
        fputc('\t', f);
        tsv_str(f, e->target.code.len ? e->target.code : dyad__cstr("---"));
        fprintf(f, "\t%s\t", e->code);
        tsv_str(f, doc->id);
        fprintf(f, "-%u\t", e->sentence);
        tsv_str(f, doc->source);
        fputc('\t', f);
        tsv_str(f, doc->url);
        fputc('\n', f);
    }
}

dyad_status dyad_writer_doc(dyad_writer *w, const dyad_doc *doc, dyad_error *err)
{
    if (!w || !doc)
        return dyad__fail(err, DYAD_EINVAL, "no writer or document");
    switch (w->format) {
    case DYAD_FORMAT_JSONL: jsonl_doc(w, doc); break;
    case DYAD_FORMAT_TSV: tsv_doc(w, doc); break;
    case DYAD_FORMAT_TABLE: table_doc(w, doc); break;
    case DYAD_FORMAT_GDELT: gdelt_doc(w, doc); break;
    case DYAD_FORMAT_PETRARCH: petrarch_doc(w, doc); break;
    }
    if (ferror(w->f))
        return dyad__fail(err, DYAD_EIO, "cannot write the output");
    return DYAD_OK;
}
