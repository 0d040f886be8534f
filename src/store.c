/* store.c - the event store: documents and JSONL records to stored articles, checked queries. */
#include "store.h"
#include "read.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>

struct dyad_store {
    const dyad__store_backend *be;
    void *impl;
    bool readonly;
    dyad_store_counts counts;

    /* the rows of the article being written (a document, or records being gathered) */
    dyad_arena arena;              /* strings copied from records */
    dyad__sevent *ev;
    size_t nev, cap_ev;
    dyad__squote *qu;
    size_t nqu, cap_qu;
    dyad__ssentence *se;
    size_t nse, cap_se;
    unsigned char *seen;           /* seen[idx]: the sentence idx is in se */
    size_t cap_seen;
    bool pending;                  /* records of pend_id are being gathered */
    dyad_slice pend_id;

    struct dyad__jnode *jn;        /* the record being read (JSON below) */
    size_t njn, cap_jn;
    char *jbuf;                    /* the copy of its line it is parsed in */
    size_t cap_jbuf;

    char *line;                    /* dyad_store_load: a line split across input blocks */
    size_t line_len, line_cap;
};

/* ---------------------------------------------------------------- opening and closing */

void dyad_store_opts_default(dyad_store_opts *opts)
{
    if (!opts)
        return;
    memset(opts, 0, sizeof *opts);
    opts->batch_articles = 1000;
}

dyad_status dyad_store_open(const char *uri, const dyad_store_opts *opts, dyad_store **out,
                            dyad_error *err)
{
    if (!out)
        return dyad__fail(err, DYAD_EINVAL, "no place for the store");
    *out = NULL;
    if (!uri || !uri[0])
        return dyad__fail(err, DYAD_EINVAL, "no database named");
    dyad_store_opts def;
    if (!opts) {
        dyad_store_opts_default(&def);
        opts = &def;
    }
    bool clickhouse = strncmp(uri, "clickhouse://", 13) == 0;
    if (!clickhouse && strstr(uri, "://")) {
        dyad__where(err, uri, 0, 0, dyad__slice("", 0));
        return dyad__fail(err, DYAD_EUNSUPPORTED,
                          "unknown kind of store (a file path is an SQLite database)");
    }
    dyad_store *s = calloc(1, sizeof *s);
    if (!s)
        return dyad__fail(err, DYAD_ENOMEM, "out of memory opening %s", uri);
    dyad__arena_init(&s->arena);
    s->be = clickhouse ? &dyad__store_clickhouse : &dyad__store_sqlite;
    s->readonly = (opts->flags & DYAD_STORE_READONLY) != 0;
    dyad_status st = clickhouse ? dyad__store_clickhouse_open(uri, opts, &s->impl, err)
                                : dyad__store_sqlite_open(uri, opts, &s->impl, err);
    if (st) {
        dyad__arena_free(&s->arena);
        free(s);
        return st;
    }
    *out = s;
    return DYAD_OK;
}

static void rows_reset(dyad_store *s)
{
    for (size_t i = 0; i < s->nse; i++)
        if (s->se[i].idx < s->cap_seen)
            s->seen[s->se[i].idx] = 0;
    s->nev = s->nqu = s->nse = 0;
    s->pending = false;
    s->pend_id = dyad__slice("", 0);
    dyad__arena_reset(&s->arena);
}

static dyad_status write_article(dyad_store *s, const dyad__sarticle *a, dyad_error *err)
{
    dyad_status st = s->be->write(s->impl, a, err);
    if (st)
        return st;
    if (a->mode != DYAD__WRITE_META) {
        s->counts.articles++;
        s->counts.sentences += a->nsents;
        s->counts.events += a->nevents;
        s->counts.quotes += a->nquotes;
    }
    return DYAD_OK;
}

/* Write the article gathered from records, if any. */
static dyad_status write_pending(dyad_store *s, dyad_error *err)
{
    if (!s->pending)
        return DYAD_OK;
    dyad__sarticle a = {0};
    a.mode = DYAD__WRITE_CONTENT;
    a.id = s->pend_id;
    a.sents = s->se;
    a.nsents = s->nse;
    a.events = s->ev;
    a.nevents = s->nev;
    a.quotes = s->qu;
    a.nquotes = s->nqu;
    dyad_status st = write_article(s, &a, err);
    rows_reset(s);
    return st;
}

dyad_status dyad_store_flush(dyad_store *s, dyad_error *err)
{
    if (!s)
        return dyad__fail(err, DYAD_EINVAL, "no store");
    if (s->readonly)
        return DYAD_OK;
    dyad_status st = write_pending(s, err);
    if (st)
        return st;
    return s->be->flush(s->impl, err);
}

dyad_status dyad_store_close(dyad_store *s, dyad_error *err)
{
    if (!s)
        return DYAD_OK;
    dyad_status st = s->readonly ? DYAD_OK : write_pending(s, err);
    dyad_status st2 = s->be->close(s->impl, st ? NULL : err);
    dyad__arena_free(&s->arena);
    free(s->ev);
    free(s->qu);
    free(s->se);
    free(s->seen);
    free(s->jn);
    free(s->jbuf);
    free(s->line);
    free(s);
    return st ? st : st2;
}

void dyad_store_counts_get(const dyad_store *s, dyad_store_counts *counts)
{
    if (!counts)
        return;
    if (!s) {
        memset(counts, 0, sizeof *counts);
        return;
    }
    *counts = s->counts;
}

/* ---------------------------------------------------------------- dates and codes */

static bool all_digits(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] < '0' || p[i] > '9')
            return false;
    return true;
}

/* The first day of an event date (YYYY-MM-DD, YYYY-MM or YYYY) into day; false when the date
 * is not one of those. */
static bool first_day(dyad_slice d, char day[11])
{
    char buf[11];
    if (d.len == 4 && all_digits(d.ptr, 4)) {
        memcpy(buf, d.ptr, 4);
        memcpy(buf + 4, "-01-01", 7);
    } else if (d.len == 7 && d.ptr[4] == '-' && all_digits(d.ptr, 4) &&
               all_digits(d.ptr + 5, 2)) {
        memcpy(buf, d.ptr, 7);
        memcpy(buf + 7, "-01", 4);
    } else if (d.len == 10) {
        memcpy(buf, d.ptr, 10);
        buf[10] = '\0';
    } else {
        return false;
    }
    if (!dyad_date_valid(dyad__slice(buf, 10)))
        return false;
    memcpy(day, buf, 11);
    return true;
}

static bool cameo_code_ok(const char *p, size_t n)
{
    return n >= 2 && n <= 4 && all_digits(p, n);
}

/* QuadClass of a root: 1 for 01-05, 2 for 06-09, 3 for 10-14, 4 for 15-20. */
static int quad_of_root(const char *code)
{
    int r = (code[0] - '0') * 10 + (code[1] - '0');
    return r >= 1 && r <= 5 ? 1 : r <= 9 && r >= 6 ? 2 : r >= 10 && r <= 14 ? 3
         : r >= 15 && r <= 20 ? 4 : 0;
}

/* ---------------------------------------------------------------- coded documents */

static dyad_status reserve_rows(dyad_store *s, size_t nev, size_t nqu, size_t nse)
{
    if (DYAD_GROW(s->ev, s->cap_ev, nev) || DYAD_GROW(s->qu, s->cap_qu, nqu) ||
        DYAD_GROW(s->se, s->cap_se, nse))
        return DYAD_ENOMEM;
    return DYAD_OK;
}

dyad_status dyad_store_put(dyad_store *s, const dyad_doc *doc, dyad_error *err)
{
    if (!s || !doc)
        return dyad__fail(err, DYAD_EINVAL, "no store or no document");
    if (s->readonly)
        return dyad__fail(err, DYAD_EINVAL, "the store is open read-only");
    dyad_status st = write_pending(s, err);
    if (st)
        return st;
    if (!doc->id.len)
        return dyad__fail(err, DYAD_EFORMAT, "the document has no id");
    size_t nev = dyad_doc_nevents(doc), nqu = dyad_doc_nquotes(doc);
    size_t nse = dyad_doc_nsentences(doc);
    if (reserve_rows(s, nev, nqu, nse))
        return dyad__fail(err, DYAD_ENOMEM, "out of memory storing a document");
    for (size_t i = 0; i < nse; i++) {
        s->se[i].idx = (uint32_t)i;
        s->se[i].text = dyad_doc_sentence_text(doc, dyad_doc_sentence(doc, i));
    }
    for (size_t i = 0; i < nev; i++) {
        const dyad_event *e = dyad_doc_event(doc, i);
        dyad__sevent *o = &s->ev[i];
        memset(o, 0, sizeof *o);
        o->sentence = e->sentence;
        o->date = dyad__cstr(e->date);
        if (!first_day(o->date, o->day))
            return dyad__fail(err, DYAD_EINVAL, "event %zu has a malformed date '%s'", i,
                              e->date);
        o->has_source = e->source.code.len || e->source.text.len;
        o->source = e->source.code;
        o->source_text = e->source.text;
        o->has_target = e->target.code.len || e->target.text.len;
        o->target = e->target.code;
        o->target_text = e->target.text;
        o->code = dyad__cstr(e->code);
        o->root = dyad__cstr(e->root);
        o->quad = e->quad;
        o->goldstein = e->goldstein;
        o->has_location = e->location.len > 0;
        o->location = e->location;
        o->country = dyad__cstr(e->location_country);
        o->verb = e->verb;
        o->verb_start = e->verb_start;
        o->verb_end = e->verb_end;
        o->pattern = e->pattern;
        o->dictionary = e->pattern_file;
        o->line = e->pattern_line;
        o->flags = e->flags;
    }
    for (size_t i = 0; i < nqu; i++) {
        const dyad_quote *q = dyad_doc_quote(doc, i);
        dyad__squote *o = &s->qu[i];
        o->sentence = q->sentence;
        o->has_speaker = q->speaker.code.len || q->speaker.text.len;
        o->speaker = q->speaker.code;
        o->speaker_text = q->speaker.text;
        o->text = q->text;
        o->start = q->start;
        o->end = q->end;
    }
    dyad__sarticle a = {0};
    a.mode = DYAD__WRITE_FULL;
    a.id = doc->id;
    a.date = doc->date;
    a.title = doc->title;
    a.url = doc->url;
    a.source = doc->source;
    a.text = dyad_doc_original(doc);
    a.sents = s->se;
    a.nsents = nse;
    a.events = s->ev;
    a.nevents = nev;
    a.quotes = s->qu;
    a.nquotes = nqu;
    return write_article(s, &a, err);
}

/* ---------------------------------------------------------------- JSON */

/* A record is parsed in place, in a copy of its line: strings are unescaped where they stand
 * (an escape is never shorter than what it stands for) and NUL-terminated.  The values are
 * nodes in one array (no allocation per value); node 0 is the record itself.  A record that
 * is kept for its article is moved to the arena (j_keep), where it lives until the article
 * is written. */
enum { J_NULL, J_FALSE, J_TRUE, J_NUM, J_STR, J_ARR, J_OBJ };

#define J_NONE 0u            /* no next sibling / no child (node 0 is never one) */
#define J_FAIL UINT32_MAX    /* the parse failed */

struct dyad__jnode {
    int type;
    uint32_t next, child;    /* indexes into the node array */
    dyad_slice key;          /* the member name (in an object) */
    dyad_slice str;          /* J_STR: the string */
    double num;              /* J_NUM */
};
typedef struct dyad__jnode jnode;

typedef struct jparse {
    dyad_store *st;
    char *s;
    size_t n, i;
    bool oom;
} jparse;

static uint32_t j_new(jparse *p, int type)
{
    dyad_store *s = p->st;
    if (DYAD_GROW(s->jn, s->cap_jn, s->njn + 1)) {
        p->oom = true;
        return J_FAIL;
    }
    jnode *v = &s->jn[s->njn];
    memset(v, 0, sizeof *v);
    v->type = type;
    return (uint32_t)s->njn++;
}

static void j_ws(jparse *p)
{
    while (p->i < p->n && (p->s[p->i] == ' ' || p->s[p->i] == '\t' || p->s[p->i] == '\r' ||
                           p->s[p->i] == '\n'))
        p->i++;
}

static int j_hex4(const char *s, size_t avail, unsigned *out)
{
    if (avail < 4)
        return -1;
    unsigned v = 0;
    for (int k = 0; k < 4; k++) {
        unsigned c = (unsigned char)s[k];
        unsigned d = c - '0' < 10 ? c - '0' : (c | 0x20) - 'a' < 6 ? (c | 0x20) - 'a' + 10 : 16;
        if (d == 16)
            return -1;
        v = v << 4 | d;
    }
    *out = v;
    return 0;
}

/* Does none of the 8 bytes at s need a look: a quote, a backslash, a control character? */
static bool j_plain8(const char *s)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    uint64_t x, q, b;
    memcpy(&x, s, 8);
    q = x ^ (ones * '"');
    b = x ^ (ones * '\\');
    return !((((q - ones) & ~q) | ((b - ones) & ~b) | ((x - ones * 0x20) & ~x)) & highs);
}

/* The string at s[i] == '"': unescaped in place into out, NUL-terminated. */
static int j_string(jparse *p, dyad_slice *out)
{
    char *s = p->s;
    size_t n = p->n, i = p->i + 1;
    while (i + 8 <= n && j_plain8(s + i))
        i += 8;   /* the usual case: nothing to unescape */
    while (i < n && s[i] != '"' && s[i] != '\\' && (unsigned char)s[i] >= 0x20)
        i++;
    size_t w = i;
    for (;;) {
        if (i >= n)
            return -1;
        unsigned char c = (unsigned char)s[i];
        if (c == '"')
            break;
        if (c < 0x20)
            return -1;
        if (c != '\\') {
            s[w++] = (char)c;
            i++;
            continue;
        }
        if (i + 1 >= n)
            return -1;
        char e = s[i + 1];
        if (e == 'u') {
            unsigned cp, lo;
            if (j_hex4(s + i + 2, n - (i + 2), &cp))
                return -1;
            i += 6;
            if (cp >= 0xD800 && cp <= 0xDBFF && i + 1 < n && s[i] == '\\' && s[i + 1] == 'u' &&
                j_hex4(s + i + 2, n - (i + 2), &lo) == 0 && lo >= 0xDC00 && lo <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                i += 6;
            } else if (cp >= 0xD800 && cp <= 0xDFFF) {
                return -1;   /* half of a pair: not a character */
            }
            w += dyad__utf8_put(s + w, cp);
            continue;
        }
        const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
        const char *k = e ? strchr(from, e) : NULL;
        if (!k)
            return -1;
        s[w++] = to[k - from];
        i += 2;
    }
    size_t start = p->i + 1;
    s[w] = '\0';   /* w <= i, the closing quote */
    *out = dyad__slice(s + start, w - start);
    p->i = i + 1;
    return 0;
}

static int j_number(jparse *p, double *out)
{
    const char *s = p->s;
    size_t n = p->n, i = p->i, start = i;
    bool neg = i < n && s[i] == '-', plain = true;
    if (neg)
        i++;
    uint64_t v = 0;
    size_t digits = 0;
    if (i < n && s[i] == '0') {
        i++;
        digits = 1;
    } else if (i < n && s[i] >= '1' && s[i] <= '9') {
        for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++)
            v = v * 10 + (uint64_t)(s[i] - '0');
    } else {
        return -1;
    }
    if (i < n && s[i] == '.') {
        plain = false;
        if (++i >= n || s[i] < '0' || s[i] > '9')
            return -1;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        plain = false;
        if (++i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        if (i >= n || s[i] < '0' || s[i] > '9')
            return -1;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
    }
    p->i = i;
    if (plain && digits <= 15) {
        *out = neg ? -(double)v : (double)v;
        return 0;
    }
    char buf[64];
    if (i - start >= sizeof buf)
        return -1;
    memcpy(buf, s + start, i - start);
    buf[i - start] = '\0';
    *out = strtod(buf, NULL);
    return 0;
}

/* One value at s[i] (whitespace skipped); its node index or J_FAIL. */
static uint32_t j_value(jparse *p, int depth)
{
    j_ws(p);
    if (p->i >= p->n)
        return J_FAIL;
    char c = p->s[p->i];
    uint32_t v;
    if (c == '{' || c == '[') {
        if (depth == DYAD__JSON_DEPTH || (v = j_new(p, c == '{' ? J_OBJ : J_ARR)) == J_FAIL)
            return J_FAIL;
        char close = c == '{' ? '}' : ']';
        p->i++;
        j_ws(p);
        if (p->i < p->n && p->s[p->i] == close) {
            p->i++;
            return v;
        }
        uint32_t prev = J_NONE;
        for (;;) {
            dyad_slice key = {0};
            if (c == '{') {
                j_ws(p);
                if (p->i >= p->n || p->s[p->i] != '"' || j_string(p, &key))
                    return J_FAIL;
                j_ws(p);
                if (p->i >= p->n || p->s[p->i] != ':')
                    return J_FAIL;
                p->i++;
            }
            uint32_t m = j_value(p, depth + 1);
            if (m == J_FAIL)
                return J_FAIL;
            p->st->jn[m].key = key;
            if (prev == J_NONE)
                p->st->jn[v].child = m;
            else
                p->st->jn[prev].next = m;
            prev = m;
            j_ws(p);
            if (p->i < p->n && p->s[p->i] == ',') {
                p->i++;
            } else if (p->i < p->n && p->s[p->i] == close) {
                p->i++;
                return v;
            } else {
                return J_FAIL;
            }
        }
    }
    if (c == '"') {
        dyad_slice str;
        if ((v = j_new(p, J_STR)) == J_FAIL || j_string(p, &str))
            return J_FAIL;
        p->st->jn[v].str = str;
        return v;
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
        double num;
        if ((v = j_new(p, J_NUM)) == J_FAIL || j_number(p, &num))
            return J_FAIL;
        p->st->jn[v].num = num;
        return v;
    }
    static const struct { const char *word; size_t len; int type; } lits[] = {
        {"true", 4, J_TRUE}, {"false", 5, J_FALSE}, {"null", 4, J_NULL}};
    for (int k = 0; k < 3; k++)
        if (p->n - p->i >= lits[k].len && memcmp(p->s + p->i, lits[k].word, lits[k].len) == 0) {
            p->i += lits[k].len;
            return j_new(p, lits[k].type);
        }
    return J_FAIL;
}

/* Parse the line (copied to s->jbuf); the record is s->jn[0].  DYAD_EFORMAT when it is not
 * one JSON value (with nothing but whitespace after it). */
static dyad_status j_parse(dyad_store *s, const char *json, size_t len, dyad_error *err)
{
    s->njn = 0;
    if (DYAD_GROW(s->jbuf, s->cap_jbuf, len + 1))
        return dyad__fail(err, DYAD_ENOMEM, "out of memory");
    if (len)
        memcpy(s->jbuf, json, len);
    s->jbuf[len] = '\0';
    jparse p = {s, s->jbuf, len, 0, false};
    uint32_t root = j_value(&p, 0);
    if (p.oom)
        return dyad__fail(err, DYAD_ENOMEM, "out of memory");
    j_ws(&p);
    if (root == J_FAIL || p.i != p.n)
        return dyad__fail(err, DYAD_EFORMAT, "malformed JSON");
    return DYAD_OK;
}

/* Move the parsed record (len bytes in s->jbuf) to the arena: its strings live until the
 * article is written. */
static bool j_keep(dyad_store *s, size_t len)
{
    char *copy = dyad__arena_alloc(&s->arena, len + 1);
    if (!copy)
        return false;
    memcpy(copy, s->jbuf, len + 1);
    for (size_t k = 0; k < s->njn; k++) {
        jnode *v = &s->jn[k];
        if (v->key.len)
            v->key.ptr = copy + (v->key.ptr - s->jbuf);
        if (v->type == J_STR)
            v->str.ptr = copy + (v->str.ptr - s->jbuf);
    }
    return true;
}

#define J_NODE(s, k) ((k) == J_NONE ? NULL : &(s)->jn[k])
/* The member name of m is the literal lit. */
#define J_KEY(m, lit) \
    ((m)->key.len == sizeof(lit) - 1 && memcmp((m)->key.ptr, lit, sizeof(lit) - 1) == 0)

/* The first member named lit of object o (NULL when none). */
static const jnode *j_get(const dyad_store *s, const jnode *o, const char *lit)
{
    size_t n = strlen(lit);
    for (uint32_t k = o->child; k != J_NONE; k = s->jn[k].next)
        if (s->jn[k].key.len == n && memcmp(s->jn[k].key.ptr, lit, n) == 0)
            return &s->jn[k];
    return NULL;
}

/* ---------------------------------------------------------------- JSONL records */

/* Why a record is malformed: fills err, returns DYAD_EFORMAT. */
#define BAD(...) dyad__fail(err, DYAD_EFORMAT, __VA_ARGS__)

/* The largest sentence index a record may carry: the store keeps a table indexed by it
 * while an article is pending, and no article has a million sentences. */
#define MAX_SENTENCE_INDEX 1000000u

/* A string member.  Returns false when v is not a string. */
static bool get_str(const jnode *v, dyad_slice *out)
{
    if (!v || v->type != J_STR)
        return false;
    *out = v->str;
    return true;
}

/* A non-negative integer member that fits in 32 bits. */
static bool get_u32(const jnode *v, uint32_t *out)
{
    if (v->type != J_NUM || !(v->num >= 0) || v->num > 4294967295.0 || v->num != floor(v->num))
        return false;
    *out = (uint32_t)v->num;
    return true;
}

/* {"code": "...", "text": "..."} or null. */
static dyad_status get_actor(dyad_store *s, const jnode *v, const char *name, bool *has,
                             dyad_slice *code, dyad_slice *text, dyad_error *err)
{
    *has = false;
    if (!v || v->type == J_NULL)
        return DYAD_OK;
    if (v->type != J_OBJ)
        return BAD("\"%s\" is not an object or null", name);
    const jnode *c = j_get(s, v, "code");
    const jnode *t = j_get(s, v, "text");
    *code = *text = dyad__slice("", 0);
    if (c && c->type != J_NULL && !get_str(c, code))
        return BAD("\"%s\".\"code\" is not a string", name);
    if (t && t->type != J_NULL && !get_str(t, text))
        return BAD("\"%s\".\"text\" is not a string", name);
    *has = code->len || text->len;
    return DYAD_OK;
}

static const char *const flag_names[] = {"negated", "reported", "reciprocal",
                                         "compound", "nominal", "date_inferred"};

static dyad_status parse_evidence(dyad_store *s, const jnode *v, dyad__sevent *e,
                                  dyad_error *err)
{
    if (!v || v->type == J_NULL)
        return DYAD_OK;
    if (v->type != J_OBJ)
        return BAD("\"evidence\" is not an object");
    for (const jnode *m = J_NODE(s, v->child); m; m = J_NODE(s, m->next)) {
        bool ok = true;
        if (J_KEY(m, "verb"))
            ok = get_str(m, &e->verb);
        else if (J_KEY(m, "pattern"))
            ok = get_str(m, &e->pattern);
        else if (J_KEY(m, "dictionary"))
            ok = get_str(m, &e->dictionary);
        else if (J_KEY(m, "start"))
            ok = get_u32(m, &e->verb_start);
        else if (J_KEY(m, "end"))
            ok = get_u32(m, &e->verb_end);
        else if (J_KEY(m, "line"))
            ok = get_u32(m, &e->line);
        else if (J_KEY(m, "flags")) {
            ok = m->type == J_ARR;
            for (const jnode *f = ok ? J_NODE(s, m->child) : NULL; f; f = J_NODE(s, f->next)) {
                if (f->type != J_STR)
                    return BAD("\"evidence\".\"flags\" holds a value that is not a string");
                size_t b = 0;
                while (b < 6 && strcmp(f->str.ptr, flag_names[b]) != 0)
                    b++;
                if (b == 6)
                    return BAD("unknown event flag \"%.40s\"", f->str.ptr);
                e->flags |= 1u << b;
            }
        }
        if (!ok)
            return BAD("\"evidence\".\"%.40s\" has the wrong type", m->key.ptr);
    }
    return DYAD_OK;
}

/* Remember the text of a sentence of the pending article (the first one given wins). */
static dyad_status add_sentence(dyad_store *s, uint32_t idx, const jnode *text)
{
    if (!text || text->type != J_STR)
        return DYAD_OK;
    if (idx >= s->cap_seen) {
        size_t old = s->cap_seen;
        if (DYAD_GROW(s->seen, s->cap_seen, (size_t)idx + 1))
            return DYAD_ENOMEM;
        memset(s->seen + old, 0, s->cap_seen - old);
    }
    if (s->seen[idx])
        return DYAD_OK;
    if (DYAD_GROW(s->se, s->cap_se, s->nse + 1))
        return DYAD_ENOMEM;
    dyad__ssentence *o = &s->se[s->nse];
    o->idx = idx;
    o->text = text->str;
    s->seen[idx] = 1;
    s->nse++;
    return DYAD_OK;
}

static dyad_status parse_event(dyad_store *s, const jnode *root, dyad__sevent *e,
                               dyad_error *err)
{
    memset(e, 0, sizeof *e);
    bool have_index = false, have_date = false, have_code = false, have_quad = false,
         have_gold = false;
    const jnode *src = NULL, *tgt = NULL, *loc = NULL, *evid = NULL;
    for (const jnode *m = J_NODE(s, root->child); m; m = J_NODE(s, m->next)) {
        bool ok = true;
        switch (m->key.len ? m->key.ptr[0] : 0) {   /* most members are not looked at */
        case 's':
            if (J_KEY(m, "sentence_index"))
                ok = have_index = get_u32(m, &e->sentence);
            else if (J_KEY(m, "source"))
                src = m;
            break;
        case 'd':
            if (J_KEY(m, "date"))
                ok = have_date = get_str(m, &e->date);
            break;
        case 'c':
            if (J_KEY(m, "code"))
                ok = have_code = get_str(m, &e->code);
            break;
        case 'r':
            if (J_KEY(m, "root"))
                ok = get_str(m, &e->root);
            break;
        case 'q':
            if (J_KEY(m, "quad")) {
                ok = have_quad = m->type == J_NUM && m->num >= 1 && m->num <= 4;
                e->quad = ok ? (int)m->num : 0;
            }
            break;
        case 'g':
            if (J_KEY(m, "goldstein")) {
                ok = have_gold = m->type == J_NUM && m->num >= -10 && m->num <= 10;
                e->goldstein = ok ? m->num : 0;
            }
            break;
        case 't':
            if (J_KEY(m, "target"))
                tgt = m;
            break;
        case 'l':
            if (J_KEY(m, "location"))
                loc = m;
            break;
        case 'e':
            if (J_KEY(m, "evidence"))
                evid = m;
            break;
        }
        if (!ok)
            return BAD("\"%.40s\" has the wrong type or is out of range", m->key.ptr);
    }
    if (!have_index)
        return BAD("no \"sentence_index\"");
    if (e->sentence > MAX_SENTENCE_INDEX)
        return BAD("\"sentence_index\" %u is above %u", e->sentence, MAX_SENTENCE_INDEX);
    if (!have_date)
        return BAD("no \"date\"");
    if (!first_day(e->date, e->day))
        return BAD("\"date\" \"%.20s\" is not YYYY-MM-DD, YYYY-MM or YYYY", e->date.ptr);
    if (!have_code)
        return BAD("no \"code\"");
    if (!cameo_code_ok(e->code.ptr, e->code.len))
        return BAD("\"code\" \"%.20s\" is not a CAMEO event code", e->code.ptr);
    if (!e->root.len)
        e->root = dyad__slice(e->code.ptr, 2);
    else if (e->root.len != 2 || memcmp(e->root.ptr, e->code.ptr, 2) != 0)
        return BAD("\"root\" \"%.20s\" is not the root of \"%s\"", e->root.ptr, e->code.ptr);
    if (!have_quad)
        e->quad = quad_of_root(e->code.ptr);
    if (!e->quad)
        return BAD("\"code\" \"%s\" has no QuadClass", e->code.ptr);
    if (!have_gold)
        e->goldstein = dyad_cameo_goldstein(e->code.ptr);
    dyad_status st;
    if ((st = get_actor(s, src, "source", &e->has_source, &e->source, &e->source_text, err)))
        return st;
    if ((st = get_actor(s, tgt, "target", &e->has_target, &e->target, &e->target_text, err)))
        return st;
    if (loc && loc->type != J_NULL) {
        if (loc->type != J_OBJ)
            return BAD("\"location\" is not an object or null");
        const jnode *n = j_get(s, loc, "name");
        const jnode *c = j_get(s, loc, "country");
        if ((n && n->type != J_NULL && !get_str(n, &e->location)) ||
            (c && c->type != J_NULL && !get_str(c, &e->country)))
            return BAD("\"location\" has a field that is not a string");
        e->has_location = e->location.len || e->country.len;
    }
    return parse_evidence(s, evid, e, err);
}

static dyad_status parse_quote(dyad_store *s, const jnode *root, dyad__squote *q,
                               dyad_error *err)
{
    memset(q, 0, sizeof *q);
    bool have_index = false, have_text = false;
    const jnode *spk = NULL;
    for (const jnode *m = J_NODE(s, root->child); m; m = J_NODE(s, m->next)) {
        bool ok = true;
        if (J_KEY(m, "sentence_index"))
            ok = have_index = get_u32(m, &q->sentence);
        else if (J_KEY(m, "text"))
            ok = have_text = get_str(m, &q->text);
        else if (J_KEY(m, "start"))
            ok = get_u32(m, &q->start);
        else if (J_KEY(m, "end"))
            ok = get_u32(m, &q->end);
        else if (J_KEY(m, "speaker"))
            spk = m;
        if (!ok)
            return BAD("\"%.40s\" has the wrong type or is out of range", m->key.ptr);
    }
    if (!have_index)
        return BAD("no \"sentence_index\"");
    if (q->sentence > MAX_SENTENCE_INDEX)
        return BAD("\"sentence_index\" %u is above %u", q->sentence, MAX_SENTENCE_INDEX);
    if (!have_text)
        return BAD("no \"text\"");
    return get_actor(s, spk, "speaker", &q->has_speaker, &q->speaker, &q->speaker_text, err);
}

/* An article line of dyad's input: its metadata. */
static dyad_status put_article_line(dyad_store *s, const jnode *root, dyad_error *err)
{
    dyad__sarticle a = {0};
    a.mode = DYAD__WRITE_META;
    for (const jnode *m = J_NODE(s, root->child); m; m = J_NODE(s, m->next)) {
        dyad_slice *f = J_KEY(m, "id")       ? &a.id
                      : J_KEY(m, "date")     ? &a.date
                      : J_KEY(m, "title")    ? &a.title
                      : J_KEY(m, "url")      ? &a.url
                      : J_KEY(m, "source")   ? &a.source
                      : J_KEY(m, "text")     ? &a.text
                                             : NULL;
        if (!f || m->type == J_NULL)
            continue;
        if (m->type != J_STR)
            return BAD("\"%s\" is not a string", m->key.ptr);
        *f = m->str;
    }
    if (!a.id.len)
        return BAD("an article line without \"id\"");
    if (a.date.len && !dyad_date_valid(a.date))
        return BAD("\"date\" \"%.20s\" is not a real day as YYYY-MM-DD", a.date.ptr);
    return write_article(s, &a, err);
}

static dyad_status put_record(dyad_store *s, size_t len, dyad_error *err)
{
    const jnode *root = &s->jn[0];
    if (root->type != J_OBJ)
        return BAD("the record is not a JSON object");
    const jnode *kind = NULL, *doc = NULL, *sentence = NULL;
    for (const jnode *m = J_NODE(s, root->child); m; m = J_NODE(s, m->next)) {
        if (J_KEY(m, "kind"))
            kind = m;
        else if (J_KEY(m, "doc"))
            doc = m;
        else if (J_KEY(m, "sentence"))
            sentence = m;
    }
    if (!kind)
        return put_article_line(s, root, err);
    if (kind->type != J_STR)
        return BAD("\"kind\" is not a string");
    bool is_event = strcmp(kind->str.ptr, "event") == 0;
    if (!is_event && strcmp(kind->str.ptr, "quote") != 0)
        return BAD("unknown \"kind\" \"%.40s\" (expected event or quote)", kind->str.ptr);
    if (!doc || doc->type != J_STR || !doc->str.len)
        return BAD("no \"doc\"");
    dyad_slice id = doc->str;
    dyad__where(err, NULL, 0, 0, id);
    if (s->pending && (s->pend_id.len != id.len || memcmp(s->pend_id.ptr, id.ptr, id.len) != 0)) {
        dyad_status st = write_pending(s, err);
        if (st)
            return st;
    }
    if (!j_keep(s, len))
        return dyad__fail(err, DYAD_ENOMEM, "out of memory");
    bool started = false;
    if (!s->pending) {
        s->pend_id = doc->str;   /* in the arena now */
        s->pending = started = true;
    }
    dyad_status st;
    if (is_event) {
        if (DYAD_GROW(s->ev, s->cap_ev, s->nev + 1))
            return dyad__fail(err, DYAD_ENOMEM, "out of memory");
        st = parse_event(s, root, &s->ev[s->nev], err);
        if (!st && add_sentence(s, s->ev[s->nev].sentence, sentence))
            return dyad__fail(err, DYAD_ENOMEM, "out of memory");
        if (!st)
            s->nev++;
    } else {
        if (DYAD_GROW(s->qu, s->cap_qu, s->nqu + 1))
            return dyad__fail(err, DYAD_ENOMEM, "out of memory");
        st = parse_quote(s, root, &s->qu[s->nqu], err);
        if (!st)
            s->nqu++;
    }
    if (st && started)
        rows_reset(s);   /* a bad first record does not empty the stored article */
    return st;
}

dyad_status dyad_store_put_record(dyad_store *s, const char *json, size_t len, dyad_error *err)
{
    if (!s || (!json && len))
        return dyad__fail(err, DYAD_EINVAL, "no store or no record");
    if (s->readonly)
        return dyad__fail(err, DYAD_EINVAL, "the store is open read-only");
    s->counts.records++;
    dyad_status st = j_parse(s, json, len, err);
    if (!st)
        st = put_record(s, len, err);
    if (st == DYAD_EFORMAT)
        s->counts.skipped++;
    return st;
}

dyad_status dyad_store_load(dyad_store *s, const char *path, dyad_store_report_fn report,
                            void *ctx, dyad_error *err)
{
    if (!s)
        return dyad__fail(err, DYAD_EINVAL, "no store");
    if (s->readonly)
        return dyad__fail(err, DYAD_EINVAL, "the store is open read-only");
    dyad_reader_opts ro;
    dyad_reader_opts_default(&ro);
    ro.format = DYAD_INPUT_JSONL;
    dyad_reader *r = NULL;
    dyad_status st = dyad_reader_open(path, &ro, &r, err);
    if (st)
        return st;
    const char *name = r->name;
    size_t max = r->limits.max_record_bytes;
    long lineno = 0;
    bool too_long = false;
    s->line_len = 0;
    for (;;) {
        if (r->in_pos == r->in_len && !dyad__src_fill(r))
            break;
        const char *p = (const char *)r->in + r->in_pos;
        size_t avail = r->in_len - r->in_pos;
        const char *nl = memchr(p, '\n', avail);
        size_t n = nl ? (size_t)(nl - p) : avail;
        if (!too_long && (s->line_len || !nl)) {
            if (s->line_len + n > max) {
                too_long = true;
            } else {
                if (DYAD_GROW(s->line, s->line_cap, s->line_len + n + 1)) {
                    st = dyad__fail(err, DYAD_ENOMEM, "out of memory reading %s", name);
                    break;
                }
                memcpy(s->line + s->line_len, p, n);
                s->line_len += n;
            }
        }
        r->in_pos += nl ? n + 1 : n;
        if (!nl)
            continue;
        lineno++;
        const char *line = s->line_len ? s->line : p;
        size_t len = s->line_len ? s->line_len : n;
        s->line_len = 0;
        dyad_error e = {0};
        if (too_long) {
            too_long = false;
            s->counts.records++;
            s->counts.skipped++;
            dyad__fail(&e, DYAD_ELIMIT, "line longer than %zu bytes", max);
        } else {
            size_t k = 0;
            while (k < len && (line[k] == ' ' || line[k] == '\t' || line[k] == '\r'))
                k++;
            if (k == len)
                continue;
            st = dyad_store_put_record(s, line, len, &e);
            if (st == DYAD_OK)
                continue;
            if (st != DYAD_EFORMAT) {
                if (err)
                    *err = e;
                break;
            }
            st = DYAD_OK;
        }
        snprintf(e.file, sizeof e.file, "%s", name);
        e.line = lineno;
        if (report)
            report(ctx, &e);
    }
    if (st == DYAD_OK && (s->line_len || too_long)) {   /* a last line without a newline */
        lineno++;
        dyad_error e = {0};
        if (too_long) {
            s->counts.records++;
            s->counts.skipped++;
            dyad__fail(&e, DYAD_ELIMIT, "line longer than %zu bytes", max);
            st = DYAD_EFORMAT;
        } else {
            st = dyad_store_put_record(s, s->line, s->line_len, &e);
        }
        s->line_len = 0;
        if (st == DYAD_EFORMAT) {
            snprintf(e.file, sizeof e.file, "%s", name);
            e.line = lineno;
            if (report)
                report(ctx, &e);
            st = DYAD_OK;
        } else if (st && err) {
            *err = e;
        }
    }
    if (st == DYAD_OK && r->failed)
        st = dyad__src_failure(r, err);
    dyad_reader_free(r);
    return st;
}

/* ---------------------------------------------------------------- queries */

void dyad_store_filter_default(dyad_store_filter *f)
{
    if (f)
        memset(f, 0, sizeof *f);
}

/* An actor code to match: letters, digits and "-" in whole three-letter units, upper-cased. */
static dyad_status check_actor(const char *v, const char *what, char out[40], dyad_error *err)
{
    out[0] = '\0';
    if (!v || !v[0])
        return DYAD_OK;
    size_t n = strlen(v);
    if (n % 3 || n >= 40)
        return dyad__fail(err, DYAD_EINVAL,
                          "%s: '%.40s' is not an actor code (three-letter units, e.g. RUS, "
                          "RUSGOV)", what, v);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)v[i];
        if (!isalnum(c) && c != '-')   /* "---GOV": a role with no known country */
            return dyad__fail(err, DYAD_EINVAL,
                              "%s: '%.40s' is not an actor code (letters, digits, '-')", what, v);
        out[i] = (char)toupper(c);
    }
    out[n] = '\0';
    return DYAD_OK;
}

static dyad_status check_date(const char *v, const char *what, char out[11], dyad_error *err)
{
    out[0] = '\0';
    if (!v || !v[0])
        return DYAD_OK;
    if (strlen(v) != 10 || !dyad_date_valid(dyad__cstr(v)))
        return dyad__fail(err, DYAD_EINVAL, "%s: '%.40s' is not a real day as YYYY-MM-DD", what,
                          v);
    memcpy(out, v, 11);
    return DYAD_OK;
}

static dyad_status make_query(const dyad_store_filter *f, dyad__squery *q, dyad_error *err)
{
    memset(q, 0, sizeof *q);
    dyad_store_filter none;
    if (!f) {
        dyad_store_filter_default(&none);
        f = &none;
    }
    dyad_status st;
    if ((st = check_actor(f->source, "source", q->source, err)) ||
        (st = check_actor(f->target, "target", q->target, err)) ||
        (st = check_date(f->from, "from", q->from, err)) ||
        (st = check_date(f->to, "to", q->to, err)))
        return st;
    if (f->code && f->code[0]) {
        if (!cameo_code_ok(f->code, strlen(f->code)))
            return dyad__fail(err, DYAD_EINVAL,
                              "code: '%.40s' is not a CAMEO event code (2 to 4 digits)", f->code);
        memcpy(q->code, f->code, strlen(f->code) + 1);
    }
    if (f->quad < 0 || f->quad > 4)
        return dyad__fail(err, DYAD_EINVAL, "quad: %d is not a QuadClass (1-4)", f->quad);
    if (q->from[0] && q->to[0] && strcmp(q->from, q->to) > 0)
        return dyad__fail(err, DYAD_EINVAL, "from %s is after to %s", q->from, q->to);
    q->quad = f->quad;
    q->one_a_day = f->one_a_day != 0;
    q->limit = f->limit;
    return DYAD_OK;
}

dyad_status dyad_store_filter_check(const dyad_store_filter *f, dyad_error *err)
{
    dyad__squery q;
    return make_query(f, &q, err);
}

static dyad_status prepare_query(dyad_store *s, dyad_error *err)
{
    if (!s)
        return dyad__fail(err, DYAD_EINVAL, "no store");
    return s->readonly ? DYAD_OK : dyad_store_flush(s, err);
}

dyad_status dyad_store_query_actors(dyad_store *s, const dyad_store_filter *f, int by_country,
                                    dyad_row_fn fn, void *ctx, dyad_error *err)
{
    dyad__squery q;
    dyad_status st = prepare_query(s, err);
    if (st || (st = make_query(f, &q, err)))
        return st;
    q.by_country = by_country != 0;
    return s->be->actors(s->impl, &q, fn, ctx, err);
}

dyad_status dyad_store_query_events(dyad_store *s, const dyad_store_filter *f, dyad_row_fn fn,
                                    void *ctx, dyad_error *err)
{
    dyad__squery q;
    dyad_status st = prepare_query(s, err);
    if (st || (st = make_query(f, &q, err)))
        return st;
    return s->be->events(s->impl, &q, fn, ctx, err);
}

dyad_status dyad_store_search(dyad_store *s, const char *text, int raw,
                              const dyad_store_filter *f, dyad_row_fn fn, void *ctx,
                              dyad_error *err)
{
    dyad__squery q;
    dyad_status st = prepare_query(s, err);
    if (st || (st = make_query(f, &q, err)))
        return st;
    size_t k = 0;
    while (text && isspace((unsigned char)text[k]))
        k++;
    if (!text || !text[k])
        return dyad__fail(err, DYAD_EINVAL, "nothing to search for");
    q.text = text;
    q.raw_text = raw != 0;
    return s->be->search(s->impl, &q, fn, ctx, err);
}

dyad_status dyad_store_sql(dyad_store *s, const char *sql, const char *const *params,
                           size_t nparams, dyad_row_fn fn, void *ctx, dyad_error *err)
{
    dyad_status st = prepare_query(s, err);
    if (st)
        return st;
    if (!sql || (nparams && !params))
        return dyad__fail(err, DYAD_EINVAL, "no statement");
    return s->be->sql(s->impl, sql, params, nparams, fn, ctx, err);
}

/* ---- the dyad query: the backend's rows, then every period with both directions */

typedef struct dyad_row {
    char period[11];
    int dir;
    int64_t n[5];        /* events, quad1..quad4 */
    double gsum;
} dyad_row;

typedef struct dyad_rows {
    dyad_row *rows;
    size_t n, cap;
    bool oom;
} dyad_rows;

static int collect_dyad_row(void *ctx, size_t ncols, const char *const *names,
                            const dyad_value *v)
{
    dyad_rows *c = ctx;
    (void)names;
    if (ncols != 8 || v[0].type != DYAD_VALUE_TEXT || v[0].s.len > 10)
        return 0;
    if (DYAD_GROW(c->rows, c->cap, c->n + 1)) {
        c->oom = true;
        return 1;
    }
    dyad_row *r = &c->rows[c->n++];
    memcpy(r->period, v[0].s.ptr, v[0].s.len);
    r->period[v[0].s.len] = '\0';
    r->dir = (int)v[1].i;
    for (int k = 0; k < 5; k++)
        r->n[k] = v[2 + k].i;
    r->gsum = v[7].type == DYAD_VALUE_REAL ? v[7].r : (double)v[7].i;
    return 0;
}

static size_t period_len(int by)
{
    return by == DYAD_BY_DAY ? 10 : by == DYAD_BY_MONTH ? 7 : 4;
}

/* The period after p (same shape). */
static void period_next(char *p, int by)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y = atoi(p), m = by == DYAD_BY_YEAR ? 1 : atoi(p + 5), d = by == DYAD_BY_DAY ? atoi(p + 8) : 1;
    if (by == DYAD_BY_YEAR) {
        y++;
    } else if (by == DYAD_BY_MONTH) {
        if (++m > 12) {
            m = 1;
            y++;
        }
    } else {
        int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        int dim = mdays[m - 1] + (m == 2 && leap);
        if (++d > dim) {
            d = 1;
            if (++m > 12) {
                m = 1;
                y++;
            }
        }
    }
    char buf[11] = {(char)('0' + y / 1000 % 10), (char)('0' + y / 100 % 10),
                    (char)('0' + y / 10 % 10), (char)('0' + y % 10), '-',
                    (char)('0' + m / 10), (char)('0' + m % 10), '-',
                    (char)('0' + d / 10), (char)('0' + d % 10), '\0'};
    memcpy(p, buf, period_len(by));
    p[period_len(by)] = '\0';
}

static int emit_dyad_row(dyad_row_fn fn, void *ctx, const char *period, const char *a,
                         const char *b, const dyad_row *r)
{
    static const char *const names[] = {"period", "source", "target", "events", "quad1",
                                        "quad2", "quad3", "quad4", "goldstein_sum",
                                        "goldstein_mean"};
    dyad_value v[10];
    memset(v, 0, sizeof v);
    v[0].type = v[1].type = v[2].type = DYAD_VALUE_TEXT;
    v[0].s = dyad__cstr(period);
    v[1].s = dyad__cstr(a);
    v[2].s = dyad__cstr(b);
    for (int k = 0; k < 5; k++) {
        v[3 + k].type = DYAD_VALUE_INT;
        v[3 + k].i = r ? r->n[k] : 0;
    }
    v[8].type = DYAD_VALUE_REAL;
    v[8].r = r ? r->gsum : 0.0;
    if (r && r->n[0]) {
        v[9].type = DYAD_VALUE_REAL;
        v[9].r = r->gsum / (double)r->n[0];
    }
    return fn(ctx, 10, names, v);
}

dyad_status dyad_store_query_dyad(dyad_store *s, const dyad_store_filter *f, dyad_period by,
                                  dyad_row_fn fn, void *ctx, dyad_error *err)
{
    dyad__squery q;
    dyad_status st = prepare_query(s, err);
    if (st || (st = make_query(f, &q, err)))
        return st;
    if (!q.source[0] || !q.target[0])
        return dyad__fail(err, DYAD_EINVAL, "the dyad query needs two actors");
    if (by != DYAD_BY_DAY && by != DYAD_BY_MONTH && by != DYAD_BY_YEAR)
        return dyad__fail(err, DYAD_EINVAL, "unknown period %d", (int)by);
    if (!fn)
        return dyad__fail(err, DYAD_EINVAL, "no row callback");
    q.by = by;
    size_t limit = q.limit;
    q.limit = 0;
    dyad_rows c = {0};
    st = s->be->dyad(s->impl, &q, collect_dyad_row, &c, err);
    if (!st && c.oom)
        st = dyad__fail(err, DYAD_ENOMEM, "out of memory");
    if (st) {
        free(c.rows);
        return st;
    }
    size_t plen = period_len(by);
    char first[11] = "", last[11] = "";
    if (q.from[0]) {
        memcpy(first, q.from, plen);
        first[plen] = '\0';
    } else if (c.n) {
        memcpy(first, c.rows[0].period, 11);
    }
    if (q.to[0]) {
        memcpy(last, q.to, plen);
        last[plen] = '\0';
    } else if (c.n && strcmp(c.rows[c.n - 1].period, first) > 0) {
        memcpy(last, c.rows[c.n - 1].period, 11);
    } else {
        memcpy(last, first, 11);
    }
    size_t k = 0, emitted = 0;
    int stop = 0;
    if (first[0]) {
        char p[11];
        memcpy(p, first, 11);
        while (!stop && strcmp(p, last) <= 0 && (!limit || emitted < limit)) {
            for (int dir = 0; dir < 2 && !stop; dir++) {
                const dyad_row *r = NULL;
                while (k < c.n && (strcmp(c.rows[k].period, p) < 0 ||
                                   (strcmp(c.rows[k].period, p) == 0 && c.rows[k].dir < dir)))
                    k++;
                if (k < c.n && strcmp(c.rows[k].period, p) == 0 && c.rows[k].dir == dir)
                    r = &c.rows[k];
                stop = dir == 0 ? emit_dyad_row(fn, ctx, p, q.source, q.target, r)
                                : emit_dyad_row(fn, ctx, p, q.target, q.source, r);
            }
            emitted++;
            period_next(p, by);
        }
    }
    free(c.rows);
    return DYAD_OK;
}
