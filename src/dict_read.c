/* dict_read.c - text dictionaries: format detection, dyad's own format, the CAMEO table. */
#include "dict_impl.h"

#include <stdlib.h>

/* ---------------------------------------------------------------- small string helpers */

/* dyad comments: '#' at the start of the (indented) line or after a blank. */
static size_t cut_comment(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] == '#' && (i == 0 || dyad__dblank(p[i - 1])))
            return i;
    return n;
}

/* Split s[0,n) at ';' into trimmed parts: calls fn for each (empty parts too). */
typedef void (*part_fn)(void *ctx, const char *p, size_t n);

static void each_part(const char *s, size_t n, char sep, part_fn fn, void *ctx)
{
    size_t a = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || s[i] == sep) {
            const char *p = s + a;
            size_t k = i - a;
            dyad__dtrim(&p, &k);
            fn(ctx, p, k);
            a = i + 1;
        }
    }
}

/* ---------------------------------------------------------------- format detection */

static bool digits_then(const char *p, size_t n, size_t *nd)
{
    size_t i = 0;
    while (i < n && p[i] >= '0' && p[i] <= '9')
        i++;
    *nd = i;
    return i >= 2 && i <= 4;
}

static bool dyad_header(const char *p, size_t n)
{
    static const char *const kinds[] = {"country:", "person:", "org:", "agent:", "discard:"};
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++)
        if (dyad__dstarts(p, n, kinds[k]))
            return true;
    if (dyad__dstarts(p, n, "set ") && memchr(p, ':', n))
        return true;
    size_t nd;
    if (digits_then(p, n, &nd) && nd < n && dyad__dblank(p[nd])) {
        size_t i = nd;
        while (i < n && dyad__dblank(p[i]))
            i++;
        return i < n && ((p[i] >= 'a' && p[i] <= 'z') || dyad__dstarts(p + i, n - i, "noun:"));
    }
    return false;
}

static bool cameo_row(const char *p, size_t n)
{
    size_t nd;
    return digits_then(p, n, &nd) && nd < n && p[nd] == '\t';
}

void dyad__dict_read_text(dyad__db *db, const char *path, const char *text, size_t len)
{
    /* lines */
    size_t cap = 1;
    for (size_t i = 0; i < len; i++)
        cap += text[i] == '\n';
    dyad__dline *lines = malloc(cap * sizeof *lines);
    if (!lines) {
        dyad__db_fail(db, path, true, "out of memory reading the file");
        return;
    }
    size_t nlines = 0, a = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || text[i] == '\n') {
            if (i == len && a == len)
                break;
            size_t k = i - a;
            if (k && text[a + k - 1] == '\r')
                k--;
            lines[nlines].p = text + a;
            lines[nlines].n = k;
            nlines++;
            a = i + 1;
        }
    }
    /* skip a UTF-8 byte order mark */
    if (nlines && lines[0].n >= 3 && memcmp(lines[0].p, "\xEF\xBB\xBF", 3) == 0) {
        lines[0].p += 3;
        lines[0].n -= 3;
    }
    const char *format = NULL;
    for (size_t i = 0; i < nlines && !format; i++) {
        const char *p = lines[i].p;
        size_t n = lines[i].n;
        if (n == 0 || p[0] == '#' || dyad__dblank(p[0]))
            continue;
        if (cameo_row(p, n))
            format = "dyad-cameo";
        else if (dyad_header(p, n))
            format = "dyad";
        break;
    }
    if (!format)
        format = dyad__petr_detect(path, lines, nlines);
    dyad__db_file(db, path, format ? format : "unknown", (uint32_t)nlines);
    if (!format) {
        dyad__db_problem(db, 0, true, "cannot tell the dictionary format of this file");
    } else if (strcmp(format, "dyad") == 0) {
        dyad__read_dyad(db, lines, nlines);
    } else if (strcmp(format, "dyad-cameo") == 0) {
        dyad__read_cameo(db, lines, nlines);
    } else {
        dyad__read_petr(db, format, lines, nlines);
    }
    free(lines);
}

/* ---------------------------------------------------------------- dyad's own format */

enum { B_NONE, B_COUNTRY, B_PERSON, B_ORG, B_AGENT, B_DISCARD };

typedef struct dyad_block {
    int kind;
    long line;                 /* header line */
    const char *names;         /* the header's names */
    size_t nnames;
    size_t first, last;        /* field lines [first, last) */
} dyad_block;

typedef struct name_ctx {
    dyad__db *db;
    uint32_t entry;
    uint16_t kind;             /* entry kind for per-name entries (capital, city, region) */
    uint32_t tflags;
    long line;
    const dyad_block *b;
    const dyad__dline *lines;
    dyad__dstr country;        /* country code (country blocks) */
    dyad__dstr code;
    /* ambiguous names of the block, folded */
    char (*amb)[128];
    size_t namb, cap_amb;
    bool *amb_used;
    size_t cap_used;
    int count;
} name_ctx;

static uint32_t amb_flags(name_ctx *c, const char *p, size_t n)
{
    char f[128];
    size_t nf = dyad__dfold(p, n, f, sizeof f);
    if (nf == (size_t)-1)
        return 0;
    for (size_t i = 0; i < c->namb; i++)
        if (strlen(c->amb[i]) == nf && memcmp(c->amb[i], f, nf) == 0) {
            c->amb_used[i] = true;
            return DYAD__DF_AMBIGUOUS;
        }
    return 0;
}

static void add_name(void *vc, const char *p, size_t n)
{
    name_ctx *c = vc;
    if (n == 0) {
        dyad__db_problem(c->db, c->line, true, "empty name (two ';' in a row or a final ';')");
        return;
    }
    dyad__db_phrase(c->db, c->entry, p, n, DYAD__NAME_DYAD, c->tflags | amb_flags(c, p, n),
                    c->line);
    c->count++;
}

/* One entry per name: capitals, cities, regions. */
static void add_place(void *vc, const char *p, size_t n)
{
    name_ctx *c = vc;
    if (n == 0) {
        dyad__db_problem(c->db, c->line, true, "empty name (two ';' in a row or a final ';')");
        return;
    }
    uint32_t e = dyad__db_entry(c->db, c->kind, 0, p, n, c->line);
    if (e == DYAD__DNONE)
        return;
    dyad__db_entry_country(c->db, e, c->country);
    dyad__db_role(c->db, e, dyad__db_cstr(c->db, c->code), c->code.len, DYAD__DATE_MIN,
                  DYAD__DATE_MAX, true, c->line);
    dyad__db_phrase(c->db, e, p, n, DYAD__NAME_DYAD, amb_flags(c, p, n), c->line);
}

static void add_amb(void *vc, const char *p, size_t n)
{
    name_ctx *c = vc;
    if (n == 0)
        return;
    if (DYAD_GROW(c->amb, c->cap_amb, c->namb + 1) ||
        DYAD_GROW(c->amb_used, c->cap_used, c->namb + 1)) {
        dyad__db_problem(c->db, c->line, true, "out of memory");
        return;
    }
    size_t nf = dyad__dfold(p, n, c->amb[c->namb], sizeof c->amb[0] - 1);
    if (nf == (size_t)-1)
        return;
    c->amb[c->namb][nf] = 0;
    c->amb_used[c->namb] = false;
    c->namb++;
}

/* Pass 1 over a block's fields: the `ambiguous:` names. */
static void collect_amb(dyad__db *db, const dyad_block *b, const dyad__dline *lines,
                        name_ctx *c);

/* Warn about ambiguous names that are none of the entry's, and free them. */
static void finish_amb(dyad__db *db, const dyad_block *b, name_ctx *c)
{
    for (size_t i = 0; i < c->namb; i++)
        if (!c->amb_used[i])
            dyad__db_problem(db, b->line, false,
                             "ambiguous name '%s' is not one of this entry's names", c->amb[i]);
    free(c->amb);
    free(c->amb_used);
    c->amb = NULL;
    c->amb_used = NULL;
    c->namb = c->cap_amb = c->cap_used = 0;
}

static void first_part(const char *s, size_t n, const char **p, size_t *k)
{
    const char *semi = memchr(s, ';', n);
    *p = s;
    *k = semi ? (size_t)(semi - s) : n;
    dyad__dtrim(p, k);
}

/* A field line: "  FIELD: VALUE" -> field and value (trimmed); false when not a field. */
static bool field_of(const dyad__dline *l, const char **f, size_t *nf, const char **v,
                     size_t *nv)
{
    const char *p = l->p;
    size_t n = cut_comment(l->p, l->n);
    dyad__dtrim(&p, &n);
    const char *colon = memchr(p, ':', n);
    if (!colon)
        return false;
    *f = p;
    *nf = (size_t)(colon - p);
    dyad__dtrim(f, nf);
    *v = colon + 1;
    *nv = n - (size_t)(colon + 1 - p);
    dyad__dtrim(v, nv);
    return *nf > 0;
}

static void collect_amb(dyad__db *db, const dyad_block *b, const dyad__dline *lines,
                        name_ctx *c)
{
    (void)db;
    for (size_t i = b->first; i < b->last; i++) {
        const char *f, *v;
        size_t nf, nv;
        if (field_of(&lines[i], &f, &nf, &v, &nv) && nf == 9 && memcmp(f, "ambiguous", 9) == 0) {
            c->line = (long)i + 1;
            each_part(v, nv, ';', add_amb, c);
        }
    }
}

static bool is_code(const char *p, size_t n)
{
    if (n < 3 || n % 3)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((p[i] >= 'A' && p[i] <= 'Z') || (p[i] >= '0' && p[i] <= '9')))
            return false;
    return true;
}

static void dyad_entry_roles(dyad__db *db, uint32_t e, const char *code, size_t n, long line)
{
    dyad__db_role(db, e, code, n, DYAD__DATE_MIN, DYAD__DATE_MAX, true, line);
}

static void read_country(dyad__db *db, const dyad_block *b, const dyad__dline *lines)
{
    name_ctx c;
    memset(&c, 0, sizeof c);
    c.db = db;
    c.b = b;
    c.lines = lines;
    /* pass 1: code and ambiguous names */
    const char *code = NULL;
    size_t ncode = 0;
    long code_line = b->line;
    for (size_t i = b->first; i < b->last; i++) {
        const char *f, *v;
        size_t nf, nv;
        if (!field_of(&lines[i], &f, &nf, &v, &nv))
            continue;
        if (nf == 4 && memcmp(f, "code", 4) == 0) {
            if (code) {
                dyad__db_problem(db, (long)i + 1, true, "a country has exactly one code");
                continue;
            }
            if (nv != 3 || !is_code(v, nv)) {
                dyad__db_problem(db, (long)i + 1, true,
                                 "'%.*s' is not a country code (three capital letters)",
                                 (int)nv, v);
                continue;
            }
            code = v;
            ncode = nv;
            code_line = (long)i + 1;
        }
    }
    if (!code) {
        dyad__db_problem(db, b->line, true, "country '%.*s' has no code", (int)b->nnames,
                         b->names);
        return;
    }
    collect_amb(db, b, lines, &c);
    c.country = dyad__db_str(db, code, ncode);
    c.code = c.country;
    const char *first;
    size_t nfirst;
    first_part(b->names, b->nnames, &first, &nfirst);
    c.entry = dyad__db_entry(db, DYAD__DK_COUNTRY, 0, first, nfirst, b->line);
    if (c.entry == DYAD__DNONE)
        goto done;
    dyad__db_entry_country(db, c.entry, c.country);
    dyad_entry_roles(db, c.entry, code, ncode, code_line);
    c.line = b->line;
    each_part(b->names, b->nnames, ';', add_name, &c);
    for (size_t i = b->first; i < b->last; i++) {
        const char *f, *v;
        size_t nf, nv;
        long line = (long)i + 1;
        if (!field_of(&lines[i], &f, &nf, &v, &nv)) {
            dyad__db_problem(db, line, true, "expected 'FIELD: VALUE'");
            continue;
        }
        c.line = line;
        uint16_t kind = 0;
        if (nf == 4 && memcmp(f, "code", 4) == 0)
            continue;
        if (nf == 9 && memcmp(f, "ambiguous", 9) == 0)
            continue;
        if (nf == 4 && memcmp(f, "note", 4) == 0)
            continue;
        if (nv == 0) {
            dyad__db_problem(db, line, true, "field '%.*s' has no value", (int)nf, f);
            continue;
        }
        if (nf == 3 && memcmp(f, "adj", 3) == 0)
            kind = DYAD__DK_ADJ;
        else if (nf == 6 && memcmp(f, "people", 6) == 0)
            kind = DYAD__DK_PEOPLE;
        else if (nf == 7 && memcmp(f, "capital", 7) == 0)
            kind = DYAD__DK_CAPITAL;
        else if (nf == 4 && memcmp(f, "city", 4) == 0)
            kind = DYAD__DK_CITY;
        else if (nf == 6 && memcmp(f, "region", 6) == 0)
            kind = DYAD__DK_REGION;
        if (kind) {
            /* one entry per name, so that a hit names the very place or word */
            name_ctx g = c;
            g.kind = kind;
            each_part(v, nv, ';', add_place, &g);
            continue;
        }
        if (nf > 3 && memcmp(f, "as ", 3) == 0) {
            const char *mc = f + 3;
            size_t nmc = nf - 3;
            dyad__dtrim(&mc, &nmc);
            if (!is_code(mc, nmc)) {
                dyad__db_problem(db, line, true, "'%.*s' is not an actor code", (int)nmc, mc);
                continue;
            }
            name_ctx g = c;
            g.kind = DYAD__DK_METONYM;
            g.code = dyad__db_str(db, mc, nmc);
            each_part(v, nv, ';', add_place, &g);
            continue;
        }
        dyad__db_problem(db, line, true, "unknown field '%.*s' of a country", (int)nf, f);
    }
done:
    finish_amb(db, b, &c);
}

/* "CODE", "CODE FROM..TO", "CODE ..TO", "CODE FROM.." */
static bool parse_role(dyad__db *db, long line, const char *v, size_t nv, const char **code,
                       size_t *ncode, int32_t *from, int32_t *to)
{
    size_t i = 0;
    while (i < nv && !dyad__dblank(v[i]))
        i++;
    *code = v;
    *ncode = i;
    if (!is_code(v, i)) {
        dyad__db_problem(db, line, true, "'%.*s' is not an actor code", (int)i, v);
        return false;
    }
    const char *r = v + i;
    size_t nr = nv - i;
    dyad__dtrim(&r, &nr);
    *from = DYAD__DATE_MIN;
    *to = DYAD__DATE_MAX;
    if (nr == 0)
        return true;
    const char *dots = NULL;
    for (size_t k = 0; k + 1 < nr; k++)
        if (r[k] == '.' && r[k + 1] == '.') {
            dots = r + k;
            break;
        }
    if (!dots) {
        dyad__db_problem(db, line, true, "expected a date range FROM..TO, got '%.*s'", (int)nr,
                         r);
        return false;
    }
    size_t na = (size_t)(dots - r), nb = nr - na - 2;
    if (na) {
        *from = dyad__ddate_iso(r, na);
        if (!*from) {
            dyad__db_problem(db, line, true, "'%.*s' is not a date (YYYY-MM-DD)", (int)na, r);
            return false;
        }
    }
    if (nb) {
        *to = dyad__ddate_iso(dots + 2, nb);
        if (!*to) {
            dyad__db_problem(db, line, true, "'%.*s' is not a date (YYYY-MM-DD)", (int)nb,
                             dots + 2);
            return false;
        }
    }
    if (*from > *to) {
        dyad__db_problem(db, line, true, "the range '%.*s' ends before it starts", (int)nr, r);
        return false;
    }
    return true;
}

static void read_simple(dyad__db *db, const dyad_block *b, const dyad__dline *lines)
{
    static const uint16_t kinds[] = {0, 0, DYAD__DK_PERSON, DYAD__DK_ORG, DYAD__DK_AGENT,
                                     DYAD__DK_DISCARD};
    static const char *const what[] = {"", "", "person", "org", "agent", "discard"};
    uint16_t kind = kinds[b->kind];
    const char *first;
    size_t nfirst;
    first_part(b->names, b->nnames, &first, &nfirst);
    name_ctx c;
    memset(&c, 0, sizeof c);
    c.db = db;
    c.entry = dyad__db_entry(db, kind, 0, first, nfirst, b->line);
    if (c.entry == DYAD__DNONE)
        return;
    collect_amb(db, b, lines, &c);
    c.line = b->line;
    each_part(b->names, b->nnames, ';', add_name, &c);
    bool have_code = false;
    for (size_t i = b->first; i < b->last; i++) {
        const char *f, *v;
        size_t nf, nv;
        long line = (long)i + 1;
        if (!field_of(&lines[i], &f, &nf, &v, &nv)) {
            dyad__db_problem(db, line, true, "expected 'FIELD: VALUE'");
            continue;
        }
        if (nf == 4 && memcmp(f, "note", 4) == 0) {
            dyad__db_entry_extra(db, c.entry, dyad__db_str(db, v, nv));
            continue;
        }
        if (nf == 9 && memcmp(f, "ambiguous", 9) == 0)
            continue;
        if (b->kind == B_DISCARD) {
            dyad__db_problem(db, line, true, "a discard has no fields");
            continue;
        }
        if (nv == 0) {
            dyad__db_problem(db, line, true, "field '%.*s' has no value", (int)nf, f);
            continue;
        }
        if (nf == 5 && memcmp(f, "alias", 5) == 0 && b->kind != B_AGENT) {
            c.line = line;
            c.tflags = b->kind == B_PERSON ? DYAD__DF_ALIAS : 0;
            each_part(v, nv, ';', add_name, &c);
            c.tflags = 0;
            continue;
        }
        if (nf == 4 && memcmp(f, "role", 4) == 0 && b->kind == B_PERSON) {
            const char *code;
            size_t ncode;
            int32_t from, to;
            if (parse_role(db, line, v, nv, &code, &ncode, &from, &to))
                dyad__db_role(db, c.entry, code, ncode, from, to, false, line);
            have_code = true;
            continue;
        }
        if (nf == 4 && memcmp(f, "code", 4) == 0 && b->kind != B_PERSON) {
            if (have_code) {
                dyad__db_problem(db, line, true, "an %s has exactly one code", what[b->kind]);
                continue;
            }
            have_code = true;
            if (!is_code(v, nv)) {
                dyad__db_problem(db, line, true, "'%.*s' is not an actor code", (int)nv, v);
                continue;
            }
            dyad_entry_roles(db, c.entry, v, nv, line);
            continue;
        }
        dyad__db_problem(db, line, true, "unknown field '%.*s' of %s %s", (int)nf, f,
                         b->kind == B_AGENT || b->kind == B_ORG ? "an" : "a", what[b->kind]);
    }
    finish_amb(db, b, &c);
    if (!have_code && b->kind != B_DISCARD)
        dyad__db_problem(db, b->line, true, "%s '%.*s' has no %s", what[b->kind], (int)nfirst,
                         first, b->kind == B_PERSON ? "role" : "code");
}

static void flush_block(dyad__db *db, dyad_block *b, const dyad__dline *lines)
{
    if (b->kind == B_COUNTRY)
        read_country(db, b, lines);
    else if (b->kind != B_NONE)
        read_simple(db, b, lines);
    b->kind = B_NONE;
}

typedef struct set_ctx {
    dyad__db *db;
    uint32_t set;
    long line;
} set_ctx;

static void add_member(void *vc, const char *p, size_t n)
{
    set_ctx *c = vc;
    if (n == 0) {
        dyad__db_problem(c->db, c->line, true, "empty set member");
        return;
    }
    if (p[0] == '&')
        dyad__db_set_include(c->db, c->set, p, n, c->line);
    else
        dyad__db_phrase(c->db, c->set, p, n, DYAD__NAME_DYAD, DYAD__TERM_SET, c->line);
}

static bool lemma_word(const char *p, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (!((c >= 'a' && c <= 'z') || c == '-' || c == '\'' || c >= 0x80 ||
              (c >= '0' && c <= '9')))
            return false;
    }
    return true;
}

/* A proper-noun lemma in a pattern ("SWIFT", "NATO"): letters, digits, '.', '-', '\''. */
static bool proper_word(const char *p, size_t n)
{
    bool letter = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c >= 0x80)
            letter = true;
        else if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '\''))
            return false;
    }
    return letter;
}

/* "CODE  PATTERN": see docs/dictionaries.md, verbs.txt. */
static void read_pattern(dyad__db *db, const char *p, size_t n, long line)
{
    size_t nd = 0;
    while (nd < n && p[nd] >= '0' && p[nd] <= '9')
        nd++;
    const char *text = p + nd;
    size_t nt = n - nd;
    dyad__dtrim(&text, &nt);
    /* words */
    const char *w[64];
    size_t wn[64], nw = 0;
    for (size_t i = 0; i < nt;) {
        while (i < nt && dyad__dblank(text[i]))
            i++;
        if (i >= nt)
            break;
        size_t a = i;
        while (i < nt && !dyad__dblank(text[i]))
            i++;
        if (nw == 64) {
            dyad__db_problem(db, line, true, "pattern too long");
            return;
        }
        w[nw] = text + a;
        wn[nw++] = i - a;
    }
    size_t k = 0;
    bool noun = false;
    if (k < nw && wn[k] == 5 && memcmp(w[k], "noun:", 5) == 0) {
        noun = true;
        k++;
    }
    if (k >= nw) {
        dyad__db_problem(db, line, true, "pattern without a predicate");
        return;
    }
    const char *pred = w[k];
    size_t npred = wn[k], npart = 0;
    const char *under = memchr(pred, '_', npred);
    const char *part = NULL;
    if (under) {
        part = under + 1;
        npart = npred - (size_t)(under + 1 - pred);
        npred = (size_t)(under - pred);
    }
    if (!lemma_word(pred, npred) || (part && !lemma_word(part, npart))) {
        dyad__db_problem(db, line, true, "'%.*s' is not a lower-case lemma", (int)wn[k], w[k]);
        return;
    }
    k++;
    uint32_t pat = dyad__db_pattern(db, DYAD__PS_TREE, pred, npred, p, nd, text, nt,
                                    DYAD__DNONE, line);
    if (pat == DYAD__DNONE)
        return;
    if (noun)
        dyad__db_pattern_flags(db, pat, DYAD__PF_NOUN);
    if (part) {
        char buf[DYAD__MAX_WORD];
        size_t nb = 0;
        for (size_t i = 0; i < npart && nb < sizeof buf; i++)
            buf[nb++] = part[i] == '_' ? ' ' : part[i];
        dyad__db_pattern_particle(db, pat, buf, nb);
    }
    for (; k < nw; k++) {
        const char *e = w[k];
        size_t ne = wn[k];
        if (ne == 1 && e[0] == 'T')
            dyad__db_elem(db, pat, DYAD__PE_TARGET, 0, NULL, 0);
        else if (ne == 3 && memcmp(e, "T's", 3) == 0)
            dyad__db_elem(db, pat, DYAD__PE_TARGET_POSS, 0, NULL, 0);
        else if (ne == 1 && e[0] == 'S')
            dyad__db_elem(db, pat, DYAD__PE_SOURCE, 0, NULL, 0);
        else if (ne == 1 && e[0] == '*')
            dyad__db_elem(db, pat, DYAD__PE_ANY, 0, NULL, 0);
        else if (ne == 3 && memcmp(e, "not", 3) == 0)
            dyad__db_elem(db, pat, DYAD__PE_NOT, 0, NULL, 0);
        else if (ne > 1 && e[0] == '&' && lemma_word(e + 1, ne - 1))
            dyad__db_elem(db, pat, DYAD__PE_SET, 0, e + 1, ne - 1);
        else if (lemma_word(e, ne) && dyad__dpreposition(e, ne))
            dyad__db_elem(db, pat, DYAD__PE_PREP, 0, e, ne);
        else if (lemma_word(e, ne) || proper_word(e, ne))
            dyad__db_elem(db, pat, DYAD__PE_WORD, 0, e, ne);
        else {
            dyad__db_problem(db, line, true,
                             "'%.*s' is not a pattern element (lemma, preposition, T, T's, S, "
                             "&set, *, not)",
                             (int)ne, e);
            dyad__db_pattern_drop(db, pat);
            return;
        }
    }
}

void dyad__read_dyad(dyad__db *db, const dyad__dline *lines, size_t nlines)
{
    dyad_block b;
    memset(&b, 0, sizeof b);
    for (size_t i = 0; i < nlines; i++) {
        const char *p = lines[i].p;
        size_t n = cut_comment(p, lines[i].n);
        long line = (long)i + 1;
        const char *t = p;
        size_t nt = n;
        dyad__dtrim(&t, &nt);
        if (nt == 0)
            continue;
        if (dyad__dblank(p[0])) {
            if (b.kind == B_NONE) {
                dyad__db_problem(db, line, true, "an indented field outside an entry");
                continue;
            }
            b.last = i + 1;
            continue;
        }
        flush_block(db, &b, lines);
        static const struct {
            const char *head;
            int kind;
        } heads[] = {{"country:", B_COUNTRY}, {"person:", B_PERSON}, {"org:", B_ORG},
                     {"agent:", B_AGENT},     {"discard:", B_DISCARD}};
        bool done = false;
        for (size_t k = 0; k < sizeof heads / sizeof *heads && !done; k++) {
            size_t hl = strlen(heads[k].head);
            if (!dyad__dstarts(t, nt, heads[k].head))
                continue;
            b.kind = heads[k].kind;
            b.line = line;
            b.names = t + hl;
            b.nnames = nt - hl;
            dyad__dtrim(&b.names, &b.nnames);
            b.first = b.last = i + 1;
            if (b.nnames == 0) {
                dyad__db_problem(db, line, true, "an entry needs at least one name");
                b.kind = B_NONE;
            }
            done = true;
        }
        if (done)
            continue;
        if (dyad__dstarts(t, nt, "set ")) {
            const char *colon = memchr(t, ':', nt);
            if (!colon) {
                dyad__db_problem(db, line, true, "expected 'set NAME: member; member ...'");
                continue;
            }
            const char *name = t + 4;
            size_t nn = (size_t)(colon - name);
            dyad__dtrim(&name, &nn);
            if (!lemma_word(name, nn)) {
                dyad__db_problem(db, line, true, "'%.*s' is not a set name", (int)nn, name);
                continue;
            }
            set_ctx c = {db, dyad__db_set(db, name, nn, line), line};
            if (c.set == DYAD__DNONE)
                continue;
            each_part(colon + 1, nt - (size_t)(colon + 1 - t), ';', add_member, &c);
            continue;
        }
        size_t nd;
        if (digits_then(t, nt, &nd) && nd < nt && dyad__dblank(t[nd])) {
            read_pattern(db, t, nt, line);
            continue;
        }
        dyad__db_problem(db, line, true, "cannot read this line (expected an entry, a set or "
                                         "a pattern)");
    }
    flush_block(db, &b, lines);
}

/* ---------------------------------------------------------------- the CAMEO code table */

void dyad__read_cameo(dyad__db *db, const dyad__dline *lines, size_t nlines)
{
    for (size_t i = 0; i < nlines; i++) {
        const char *p = lines[i].p;
        size_t n = lines[i].n;
        long line = (long)i + 1;
        const char *t = p;
        size_t nt = n;
        dyad__dtrim(&t, &nt);
        if (nt == 0 || t[0] == '#')
            continue;
        const char *f[4];
        size_t fn[4], nf = 0, a = 0;
        for (size_t k = 0; k <= n && nf < 4; k++) {
            if (k == n || (p[k] == '\t' && nf < 3)) {
                f[nf] = p + a;
                fn[nf] = k - a;
                dyad__dtrim(&f[nf], &fn[nf]);
                nf++;
                a = k + 1;
            }
        }
        size_t nd;
        if (nf != 4 || !digits_then(f[0], fn[0], &nd) || nd != fn[0]) {
            dyad__db_problem(db, line, true,
                             "expected CODE<tab>GOLDSTEIN<tab>QUAD<tab>NAME");
            continue;
        }
        char num[32];
        if (fn[1] == 0 || fn[1] >= sizeof num) {
            dyad__db_problem(db, line, true, "missing Goldstein value");
            continue;
        }
        memcpy(num, f[1], fn[1]);
        num[fn[1]] = 0;
        char *end;
        double g = strtod(num, &end);
        if (*end || g < -10.0 || g > 10.0) {
            dyad__db_problem(db, line, true, "'%s' is not a Goldstein value (-10 to 10)", num);
            continue;
        }
        if (fn[2] != 1 || f[2][0] < '1' || f[2][0] > '4') {
            dyad__db_problem(db, line, true, "'%.*s' is not a QuadClass (1-4)", (int)fn[2],
                             f[2]);
            continue;
        }
        if (fn[3] == 0) {
            dyad__db_problem(db, line, true, "code %.*s has no name", (int)fn[0], f[0]);
            continue;
        }
        dyad__db_cameo(db, f[0], fn[0], g, f[2][0] - '0', f[3], fn[3], line);
    }
}
