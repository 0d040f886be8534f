/* doc.c - documents: loading a record, UTF-8 repair, NFC normalisation, token storage. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <utf8proc.h>

#define MAX_WARNINGS 1000

typedef struct doc_priv {
    struct dyad_doc doc;
    char *buf;          /* normalised text when it differs from the original */
    size_t cap_buf;
    uint32_t *map;      /* offset map storage */
    size_t cap_map;
} doc_priv;

dyad_doc *dyad_doc_new(void)
{
    doc_priv *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    dyad__arena_init(&p->doc.arena);
    return &p->doc;
}

void dyad_doc_free(dyad_doc *doc)
{
    if (!doc)
        return;
    doc_priv *p = (doc_priv *)doc;
    dyad__arena_free(&doc->arena);
    free(doc->tokens);
    free(doc->sents);
    free(doc->warnings);
    free(doc->events);
    free(doc->quotes);
    free(p->buf);
    free(p->map);
    free(p);
}

static dyad_slice copy_slice(dyad_doc *doc, dyad_slice s)
{
    if (!s.len)
        return dyad__slice("", 0);
    char *c = dyad__arena_strdup(&doc->arena, s.ptr, s.len);
    return c ? dyad__slice(c, s.len) : dyad__slice("", 0);
}

static void clear(dyad_doc *doc)
{
    dyad__arena_reset(&doc->arena);
    doc->ntokens = doc->nsents = doc->nwarnings = doc->nevents = doc->nquotes = 0;
    doc->offmap = NULL;
    doc->id = doc->date = doc->title = doc->url = doc->source = dyad__slice("", 0);
    doc->orig = doc->text = dyad__slice("", 0);
}

dyad_status dyad_doc_reset(dyad_doc *doc, dyad_slice id, dyad_slice date)
{
    if (!doc)
        return DYAD_EINVAL;
    clear(doc);
    doc->id = copy_slice(doc, id);
    doc->date = copy_slice(doc, date);
    return DYAD_OK;
}

void dyad__doc_warn(dyad_doc *doc, dyad_status code, long col, const char *fmt, ...)
{
    if (doc->nwarnings >= MAX_WARNINGS)
        return;
    if (DYAD_GROW(doc->warnings, doc->cap_warnings, doc->nwarnings + 1))
        return;
    dyad_error *w = &doc->warnings[doc->nwarnings++];
    memset(w, 0, sizeof *w);
    w->code = code;
    w->col = col;
    size_t n = doc->id.len < sizeof w->record - 1 ? doc->id.len : sizeof w->record - 1;
    memcpy(w->record, doc->id.ptr, n);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->msg, sizeof w->msg, fmt, ap);
    va_end(ap);
}

/* ---------------------------------------------------------------- normalisation */

typedef struct out_buf {
    doc_priv *p;
    size_t len;
    bool oom;
} out_buf;

static void out_put(out_buf *o, const char *s, size_t n, uint32_t orig_off)
{
    doc_priv *p = o->p;
    if (o->oom)
        return;
    if (DYAD_GROW(p->buf, p->cap_buf, o->len + n + 1) ||
        DYAD_GROW(p->map, p->cap_map, o->len + n + 1)) {
        o->oom = true;
        return;
    }
    memcpy(p->buf + o->len, s, n);
    for (size_t i = 0; i < n; i++)
        p->map[o->len + i] = orig_off;
    o->len += n;
}

/* Normalise one run: a starter followed by its non-starters, already valid UTF-8. */
static void normalise_run(out_buf *o, const uint8_t *s, size_t n, uint32_t off)
{
    utf8proc_int32_t cps[64];
    utf8proc_ssize_t ncp = 0;
    const utf8proc_option_t opt = UTF8PROC_STABLE | UTF8PROC_COMPOSE;
    size_t i = 0;
    while (i < n) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate(s + i, (utf8proc_ssize_t)(n - i), &c);
        if (k <= 0)
            break;
        int last = 0;
        utf8proc_ssize_t got = utf8proc_decompose_char(
            c, cps + ncp, (utf8proc_ssize_t)(64 - ncp), opt, &last);
        if (got < 0 || ncp + got > 64) {   /* absurd run: keep the bytes as they are */
            out_put(o, (const char *)s, n, off);
            return;
        }
        ncp += got;
        i += (size_t)k;
    }
    utf8proc_ssize_t m = utf8proc_normalize_utf32(cps, ncp, opt);
    if (m < 0) {
        out_put(o, (const char *)s, n, off);
        return;
    }
    for (utf8proc_ssize_t j = 0; j < m; j++) {
        utf8proc_uint8_t enc[4];
        utf8proc_ssize_t k = utf8proc_encode_char(cps[j], enc);
        out_put(o, (const char *)enc, (size_t)k, off);
    }
}

static bool is_starter(utf8proc_int32_t c)
{
    return utf8proc_get_property(c)->combining_class == 0;
}

/* Repair and NFC-normalise doc->orig into doc->text. */
static dyad_status normalise(doc_priv *p)
{
    dyad_doc *doc = &p->doc;
    const uint8_t *s = (const uint8_t *)doc->orig.ptr;
    size_t n = doc->orig.len;
    size_t i = 0;
    while (i < n && s[i] < 0x80 && s[i] != 0)
        i++;
    if (i == n) {               /* plain ASCII: nothing to do */
        doc->text = doc->orig;
        return DYAD_OK;
    }
    if (i > 0 && s[i] >= 0x80)   /* the last ASCII character may start a run with marks */
        i--;
    out_buf o = {p, 0, false};
    out_put(&o, (const char *)s, i, 0);
    for (size_t k = 0; k < i; k++)
        p->map[k] = (uint32_t)k;
    while (i < n && !o.oom) {
        if (s[i] < 0x80 && s[i] != 0) {
            size_t j = i;
            while (j < n && s[j] < 0x80 && s[j] != 0)
                j++;
            /* the last ASCII char may start a run with following combining marks */
            size_t end = j;
            if (j < n && s[j] >= 0x80 && j > i)
                end = j - 1;
            for (size_t k = i; k < end; k++) {
                out_put(&o, (const char *)s + k, 1, (uint32_t)k);
            }
            i = end;
            if (i == j)
                continue;
        }
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate(s + i, (utf8proc_ssize_t)(n - i), &c);
        if (k <= 0 || c == 0) {
            size_t start = i;
            if (c == 0 && k > 0) {
                i += 1;
                dyad__doc_warn(doc, DYAD_EFORMAT, (long)start,
                               "NUL byte at byte %zu replaced with U+FFFD", start);
            } else {
                /* coalesce a run of invalid bytes into one replacement */
                i += 1;
                while (i < n && s[i] >= 0x80 &&
                       utf8proc_iterate(s + i, (utf8proc_ssize_t)(n - i), &c) <= 0)
                    i++;
                dyad__doc_warn(doc, DYAD_EFORMAT, (long)start,
                               "invalid UTF-8 at byte %zu replaced with U+FFFD", start);
            }
            out_put(&o, "\xEF\xBF\xBD", 3, (uint32_t)start);
            continue;
        }
        /* a run: this code point and the non-starters after it */
        size_t start = i;
        i += (size_t)k;
        while (i < n) {
            utf8proc_int32_t c2;
            utf8proc_ssize_t k2 = utf8proc_iterate(s + i, (utf8proc_ssize_t)(n - i), &c2);
            if (k2 <= 0 || c2 == 0 || is_starter(c2))
                break;
            i += (size_t)k2;
        }
        normalise_run(&o, s + start, i - start, (uint32_t)start);
    }
    if (o.oom)
        return DYAD_ENOMEM;
    if (o.len == n && memcmp(p->buf, s, n) == 0) {
        doc->text = doc->orig;
        return DYAD_OK;
    }
    p->buf[o.len] = '\0';
    p->map[o.len] = (uint32_t)n;
    doc->text = dyad__slice(p->buf, o.len);
    doc->offmap = p->map;
    return DYAD_OK;
}

dyad_status dyad_doc_set(dyad_doc *doc, const dyad_record *rec, const dyad_limits *limits,
                         dyad_error *err)
{
    if (!doc || !rec)
        return dyad__fail(err, DYAD_EINVAL, "no document or record");
    dyad_limits def;
    if (!limits) {
        dyad_limits_default(&def);
        limits = &def;
    }
    clear(doc);
    doc->id = copy_slice(doc, rec->id);
    doc->date = copy_slice(doc, rec->date);
    doc->title = copy_slice(doc, rec->title);
    doc->url = copy_slice(doc, rec->url);
    doc->source = copy_slice(doc, rec->source);
    if (rec->text.len > limits->max_record_bytes || rec->text.len >= UINT32_MAX) {
        dyad__where(err, rec->file, rec->line, 0, rec->id);
        return dyad__fail(err, DYAD_ELIMIT, "text of %zu bytes exceeds the limit of %zu bytes",
                          rec->text.len, limits->max_record_bytes);
    }
    char *orig = dyad__arena_strdup(&doc->arena, rec->text.ptr ? rec->text.ptr : "",
                                    rec->text.len);
    if (!orig)
        return dyad__fail(err, DYAD_ENOMEM, "out of memory loading a record");
    doc->orig = dyad__slice(orig, rec->text.len);
    dyad_status st = normalise((doc_priv *)doc);
    if (st)
        return dyad__fail(err, st, "out of memory normalising a record");
    return DYAD_OK;
}

/* ---------------------------------------------------------------- tokens and sentences */

dyad_token *dyad__doc_push_token(dyad_doc *doc)
{
    if (DYAD_GROW(doc->tokens, doc->cap_tokens, doc->ntokens + 1))
        return NULL;
    dyad_token *t = &doc->tokens[doc->ntokens++];
    memset(t, 0, sizeof *t);
    t->head = -1;
    return t;
}

dyad_sentence *dyad__doc_push_sentence(dyad_doc *doc)
{
    if (DYAD_GROW(doc->sents, doc->cap_sents, doc->nsents + 1))
        return NULL;
    dyad_sentence *s = &doc->sents[doc->nsents++];
    memset(s, 0, sizeof *s);
    return s;
}

dyad_event *dyad__doc_push_event(dyad_doc *doc)
{
    if (DYAD_GROW(doc->events, doc->cap_events, doc->nevents + 1))
        return NULL;
    dyad_event *e = &doc->events[doc->nevents++];
    memset(e, 0, sizeof *e);
    return e;
}

dyad_quote *dyad__doc_push_quote(dyad_doc *doc)
{
    if (DYAD_GROW(doc->quotes, doc->cap_quotes, doc->nquotes + 1))
        return NULL;
    dyad_quote *q = &doc->quotes[doc->nquotes++];
    memset(q, 0, sizeof *q);
    return q;
}

dyad_status dyad_doc_add_sentence(dyad_doc *doc, const dyad_slice *forms,
                                  const unsigned char *space_after, size_t n, dyad_error *err)
{
    doc_priv *p = (doc_priv *)doc;
    if (!doc || (n && !forms))
        return dyad__fail(err, DYAD_EINVAL, "no document or forms");
    /* the text of such a document lives in p->buf; tokens are rebased after a realloc */
    size_t len = doc->text.len;
    if (len && doc->text.ptr != p->buf)
        return dyad__fail(err, DYAD_EINVAL, "document already holds a record's text");
    size_t need = len + 1;
    for (size_t i = 0; i < n; i++)
        need += forms[i].len + 1;
    if (need >= UINT32_MAX)
        return dyad__fail(err, DYAD_ELIMIT, "document text too long");
    char *old = p->buf;
    if (DYAD_GROW(p->buf, p->cap_buf, need))
        return dyad__fail(err, DYAD_ENOMEM, "out of memory adding a sentence");
    if (p->buf != old)
        for (size_t i = 0; i < doc->ntokens; i++)
            doc->tokens[i].form.ptr = p->buf + doc->tokens[i].start;
    if (len && doc->ntokens && (doc->tokens[doc->ntokens - 1].flags & DYAD_TOK_SPACE_AFTER) == 0)
        p->buf[len++] = ' ';    /* sentences are always separated */
    dyad_sentence *s = dyad__doc_push_sentence(doc);
    if (!s)
        return dyad__fail(err, DYAD_ENOMEM, "out of memory adding a sentence");
    s->first = (uint32_t)doc->ntokens;
    s->ntokens = (uint32_t)n;
    s->start = (uint32_t)len;
    s->paragraph = (uint32_t)(doc->nsents - 1);
    for (size_t i = 0; i < n; i++) {
        dyad_token *t = dyad__doc_push_token(doc);
        if (!t)
            return dyad__fail(err, DYAD_ENOMEM, "out of memory adding a token");
        memcpy(p->buf + len, forms[i].ptr, forms[i].len);
        t->start = (uint32_t)len;
        t->end = (uint32_t)(len + forms[i].len);
        t->form = dyad__slice(p->buf + len, forms[i].len);
        len += forms[i].len;
        bool sp = space_after ? space_after[i] != 0 : true;
        if (sp || i + 1 == n) {
            p->buf[len++] = ' ';
            t->flags |= DYAD_TOK_SPACE_AFTER;
        }
        if (i == 0)
            t->flags |= DYAD_TOK_PARA_START;
    }
    s->end = n ? doc->tokens[doc->ntokens - 1].end : s->start;
    p->buf[len] = '\0';
    doc->text = dyad__slice(p->buf, len);
    doc->orig = doc->text;
    doc->offmap = NULL;
    return DYAD_OK;
}

/* ---------------------------------------------------------------- accessors */

dyad_slice dyad_doc_id(const dyad_doc *doc) { return doc->id; }
dyad_slice dyad_doc_date(const dyad_doc *doc) { return doc->date; }
dyad_slice dyad_doc_title(const dyad_doc *doc) { return doc->title; }
dyad_slice dyad_doc_url(const dyad_doc *doc) { return doc->url; }
dyad_slice dyad_doc_source(const dyad_doc *doc) { return doc->source; }
dyad_slice dyad_doc_text(const dyad_doc *doc) { return doc->text; }
dyad_slice dyad_doc_original(const dyad_doc *doc) { return doc->orig; }
size_t dyad_doc_nsentences(const dyad_doc *doc) { return doc->nsents; }
size_t dyad_doc_ntokens(const dyad_doc *doc) { return doc->ntokens; }
const dyad_token *dyad_doc_tokens(const dyad_doc *doc) { return doc->tokens; }
size_t dyad_doc_nwarnings(const dyad_doc *doc) { return doc->nwarnings; }
size_t dyad_doc_nevents(const dyad_doc *doc) { return doc->nevents; }
size_t dyad_doc_nquotes(const dyad_doc *doc) { return doc->nquotes; }

const dyad_event *dyad_doc_event(const dyad_doc *doc, size_t i)
{
    return i < doc->nevents ? &doc->events[i] : NULL;
}

const dyad_quote *dyad_doc_quote(const dyad_doc *doc, size_t i)
{
    return i < doc->nquotes ? &doc->quotes[i] : NULL;
}

const dyad_sentence *dyad_doc_sentence(const dyad_doc *doc, size_t i)
{
    return i < doc->nsents ? &doc->sents[i] : NULL;
}

const dyad_error *dyad_doc_warning(const dyad_doc *doc, size_t i)
{
    return i < doc->nwarnings ? &doc->warnings[i] : NULL;
}

dyad_slice dyad_doc_sentence_text(const dyad_doc *doc, const dyad_sentence *s)
{
    if (!s || !s->ntokens)
        return dyad__slice("", 0);
    const dyad_token *a = &doc->tokens[s->first];
    const dyad_token *b = &doc->tokens[s->first + s->ntokens - 1];
    const char *start = a->form.ptr;
    const char *end = b->form.ptr + b->form.len;
    return dyad__slice(start, (size_t)(end - start));
}
