/* conllu.c - reading CoNLL-U treebanks: gold sentences, tokens and annotation. */
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

struct dyad_conllu {
    FILE *f;
    char path[256];
    long lineno;
    char *line;
    size_t cap_line;
    dyad_arena arena;        /* strings of the current document */

    dyad_token *gold;        /* gold tokens of the current document */
    size_t ngold, cap_gold;
    dyad_slice *texts;       /* "# text" per sentence */
    unsigned char *newpar;
    size_t nsent, cap_texts, cap_newpar;
    dyad_slice doc_id;
    dyad_slice next_doc_id;  /* a "# newdoc" seen while finishing the previous document */
    bool have_next_doc;

    /* the sentence being read */
    dyad_slice *forms;
    unsigned char *space;
    size_t nforms, cap_forms, cap_space;
    dyad_slice pending_text;
    bool pending_newpar;
    long sent_line;
};

dyad_status dyad_conllu_open(const char *path, dyad_conllu **out, dyad_error *err)
{
    *out = NULL;
    dyad_conllu *c = calloc(1, sizeof *c);
    if (!c)
        return dyad__fail(err, DYAD_ENOMEM, "out of memory");
    c->f = fopen(path, "rb");
    if (!c->f) {
        int e = errno;
        free(c);
        dyad__where(err, path, 0, 0, dyad__slice("", 0));
        return dyad__fail(err, DYAD_EIO, "cannot open: %s", strerror(e));
    }
    snprintf(c->path, sizeof c->path, "%s", path);
    dyad__arena_init(&c->arena);
    *out = c;
    return DYAD_OK;
}

void dyad_conllu_free(dyad_conllu *c)
{
    if (!c)
        return;
    if (c->f)
        fclose(c->f);
    free(c->line);
    if (c->have_next_doc)
        free((void *)c->next_doc_id.ptr);
    dyad__arena_free(&c->arena);
    free(c->gold);
    free(c->texts);
    free(c->newpar);
    free(c->forms);
    free(c->space);
    free(c);
}

const dyad_token *dyad_conllu_gold(const dyad_conllu *c) { return c->gold; }
dyad_slice dyad_conllu_doc_id(const dyad_conllu *c) { return c->doc_id; }

dyad_slice dyad_conllu_text(const dyad_conllu *c, size_t i)
{
    return i < c->nsent ? c->texts[i] : dyad__slice("", 0);
}

int dyad_conllu_newpar(const dyad_conllu *c, size_t i)
{
    return i < c->nsent ? c->newpar[i] : 0;
}

static dyad_slice keep(dyad_conllu *c, const char *s, size_t n)
{
    char *p = dyad__arena_strdup(&c->arena, s, n);
    return p ? dyad__slice(p, n) : dyad__slice("", 0);
}

static dyad_status fail_line(dyad_conllu *c, dyad_error *err, dyad_status code, const char *msg)
{
    dyad__where(err, c->path, c->lineno, 0, dyad__slice("", 0));
    return dyad__fail(err, code, "%s", msg);
}

/* Value of "# key = value" comment lines. */
static bool comment_value(const char *line, size_t len, const char *key, dyad_slice *val)
{
    size_t k = strlen(key);
    const char *p = line + 1;
    const char *end = line + len;
    while (p < end && *p == ' ')
        p++;
    if ((size_t)(end - p) < k || memcmp(p, key, k) != 0)
        return false;
    p += k;
    while (p < end && *p == ' ')
        p++;
    if (end - p >= 2 && p[0] == 'i' && p[1] == 'd') {   /* "# newdoc id = X", "# newpar id = X" */
        p += 2;
        while (p < end && *p == ' ')
            p++;
    }
    if (p < end && *p == '=') {
        p++;
        while (p < end && *p == ' ')
            p++;
    } else if (p != end) {
        return false;
    }
    *val = dyad__slice(p, (size_t)(end - p));
    return true;
}

/* Finish the sentence being read: add it to doc and to the per-document gold arrays. */
static dyad_status finish_sentence(dyad_conllu *c, dyad_doc *doc, dyad_error *err)
{
    if (c->nforms == 0)
        return DYAD_OK;
    dyad_status st = dyad_doc_add_sentence(doc, c->forms, c->space, c->nforms, err);
    if (st)
        return st;
    if (DYAD_GROW(c->texts, c->cap_texts, c->nsent + 1) ||
        DYAD_GROW(c->newpar, c->cap_newpar, c->nsent + 1))
        return dyad__fail(err, DYAD_ENOMEM, "out of memory");
    c->texts[c->nsent] = c->pending_text;
    c->newpar[c->nsent] = c->pending_newpar || c->nsent == 0;
    c->nsent++;
    c->nforms = 0;
    c->pending_text = dyad__slice("", 0);
    c->pending_newpar = false;
    return DYAD_OK;
}

/* Split a token line into its ten tab-separated fields. */
static int split_fields(char *line, size_t len, dyad_slice f[10])
{
    int n = 0;
    char *p = line, *end = line + len;
    while (n < 10) {
        char *t = memchr(p, '\t', (size_t)(end - p));
        char *e = t ? t : end;
        f[n++] = dyad__slice(p, (size_t)(e - p));
        if (!t)
            break;
        p = t + 1;
    }
    return n;
}

static bool parse_int(dyad_slice s, long *out)
{
    if (!s.len || s.len > 9)
        return false;
    long v = 0;
    for (size_t i = 0; i < s.len; i++) {
        if (s.ptr[i] < '0' || s.ptr[i] > '9')
            return false;
        v = v * 10 + (s.ptr[i] - '0');
    }
    *out = v;
    return true;
}

static dyad_status token_line(dyad_conllu *c, char *line, size_t len, dyad_error *err)
{
    dyad_slice f[10];
    if (split_fields(line, len, f) != 10)
        return fail_line(c, err, DYAD_EFORMAT, "expected 10 tab-separated fields");
    long id;
    if (!parse_int(f[0], &id))   /* multi-word token ranges (3-4) and empty nodes (8.1) */
        return DYAD_OK;
    if (id != (long)c->nforms + 1)
        return fail_line(c, err, DYAD_EFORMAT, "token ids are not consecutive");
    if (!f[1].len)
        return fail_line(c, err, DYAD_EFORMAT, "empty FORM");
    if (DYAD_GROW(c->forms, c->cap_forms, c->nforms + 1) ||
        DYAD_GROW(c->space, c->cap_space, c->nforms + 1) ||
        DYAD_GROW(c->gold, c->cap_gold, c->ngold + 1))
        return dyad__fail(err, DYAD_ENOMEM, "out of memory");
    dyad_token *g = &c->gold[c->ngold++];
    memset(g, 0, sizeof *g);
    g->form = keep(c, f[1].ptr, f[1].len);
    g->lemma = dyad__slice_eq(f[2], "_") && !dyad__slice_eq(f[1], "_")
                   ? dyad__slice("", 0) : keep(c, f[2].ptr, f[2].len);
    g->upos = (uint16_t)dyad_upos_from_name(f[3]);
    g->xpos = (uint16_t)dyad_xpos_from_name(f[4]);
    long head;
    g->head = parse_int(f[6], &head) ? (int32_t)head : -1;
    g->deprel = (uint16_t)dyad_deprel_from_name(f[7]);
    if (!g->deprel && f[7].len) {           /* unknown subtype: keep the base relation */
        const char *colon = memchr(f[7].ptr, ':', f[7].len);
        if (colon)
            g->deprel = (uint16_t)dyad_deprel_from_name(
                dyad__slice(f[7].ptr, (size_t)(colon - f[7].ptr)));
    }
    bool space = true;
    const char *m = f[9].ptr, *mend = f[9].ptr + f[9].len;
    while (m < mend) {
        const char *bar = memchr(m, '|', (size_t)(mend - m));
        const char *e = bar ? bar : mend;
        if (dyad__slice_eq(dyad__slice(m, (size_t)(e - m)), "SpaceAfter=No"))
            space = false;
        m = bar ? bar + 1 : mend;
    }
    c->forms[c->nforms] = g->form;
    c->space[c->nforms] = space;
    c->nforms++;
    return DYAD_OK;
}

dyad_status dyad_conllu_next(dyad_conllu *c, dyad_doc *doc, size_t max_sentences,
                             dyad_error *err)
{
    dyad__arena_reset(&c->arena);
    c->ngold = c->nsent = c->nforms = 0;
    c->pending_text = dyad__slice("", 0);
    c->pending_newpar = false;
    c->doc_id = dyad__slice("", 0);
    if (c->have_next_doc) {
        c->doc_id = keep(c, c->next_doc_id.ptr, c->next_doc_id.len);
        free((void *)c->next_doc_id.ptr);
        c->have_next_doc = false;
    }
    dyad_doc_reset(doc, c->doc_id, dyad__slice("", 0));
    for (;;) {
        errno = 0;
        ssize_t n = getline(&c->line, &c->cap_line, c->f);
        if (n < 0) {
            if (ferror(c->f))
                return fail_line(c, err, DYAD_EIO, "read error");
            dyad_status st = finish_sentence(c, doc, err);
            if (st)
                return st;
            return c->nsent ? DYAD_OK : DYAD_DONE;
        }
        c->lineno++;
        size_t len = (size_t)n;
        while (len && (c->line[len - 1] == '\n' || c->line[len - 1] == '\r'))
            len--;
        c->line[len] = '\0';
        if (len == 0) {
            dyad_status st = finish_sentence(c, doc, err);
            if (st)
                return st;
            if (max_sentences && c->nsent >= max_sentences)
                return DYAD_OK;
            continue;
        }
        if (c->line[0] == '#') {
            dyad_slice v;
            if (comment_value(c->line, len, "newdoc", &v)) {
                if (c->nsent || c->nforms) {
                    dyad_status st = finish_sentence(c, doc, err);
                    if (st)
                        return st;
                    char *copy = malloc(v.len + 1);
                    if (!copy)
                        return dyad__fail(err, DYAD_ENOMEM, "out of memory");
                    memcpy(copy, v.ptr, v.len);
                    copy[v.len] = '\0';
                    c->next_doc_id = dyad__slice(copy, v.len);
                    c->have_next_doc = true;
                    return DYAD_OK;
                }
                c->doc_id = keep(c, v.ptr, v.len);
                dyad_doc_reset(doc, c->doc_id, dyad__slice("", 0));   /* no tokens yet */
            } else if (comment_value(c->line, len, "newpar", &v)) {
                c->pending_newpar = true;
            } else if (comment_value(c->line, len, "text", &v)) {
                c->pending_text = keep(c, v.ptr, v.len);
            }
            continue;
        }
        if (c->nforms == 0)
            c->sent_line = c->lineno;
        dyad_status st = token_line(c, c->line, len, err);
        if (st)
            return st;
    }
}
