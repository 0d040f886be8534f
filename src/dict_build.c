/* dict_build.c - the dictionary builder: collects entries and patterns, builds the tables. */
#include "dict_impl.h"

#include <stdio.h>
#include <stdlib.h>

#define GROW(db, arr, need)                                                                \
    ((db)->oom || DYAD_GROW((db)->arr, (db)->cap_##arr, (need)) ? ((db)->oom = true, false) \
                                                                : true)

/* ---------------------------------------------------------------- life cycle and problems */

dyad__db *dyad__db_new(dyad_dict_report_fn report, void *ctx, bool lint)
{
    dyad__db *db = calloc(1, sizeof *db);
    if (!db)
        return NULL;
    db->report = report;
    db->report_ctx = ctx;
    db->lint = lint;
    db->cur = DYAD__DNONE;
    if (!GROW(db, pool, 1)) {
        free(db);
        return NULL;
    }
    db->pool[db->npool++] = 0;   /* offset 0: the empty string */
    return db;
}

void dyad__db_free(dyad__db *db)
{
    if (!db)
        return;
    free(db->pool);
    free(db->shash);
    free(db->files);
    free(db->ents);
    free(db->roles);
    free(db->ph);
    free(db->pw);
    free(db->atoms);
    free(db->ahash);
    free(db->pats);
    free(db->elems);
    free(db->verbs);
    free(db->blocks);
    free(db->vk);
    free(db->sets);
    free(db->sethash);
    free(db->incs);
    free(db->cameo);
    free(db->cameo_where);
    free(db);
}

bool dyad__db_oom(const dyad__db *db)
{
    return db->oom;
}

long dyad__db_errors(const dyad__db *db)
{
    return db->nerrors;
}

const char *dyad__db_cstr(const dyad__db *db, dyad__dstr s)
{
    return db->pool + s.off;
}

static void vreport(dyad__db *db, const char *file, long line, bool is_error, const char *fmt,
                    va_list ap)
{
    if (is_error)
        db->nerrors++;
    else
        db->nwarnings++;
    if (!db->report)
        return;
    dyad_error e;
    memset(&e, 0, sizeof e);
    e.code = is_error ? DYAD_EFORMAT : DYAD_OK;
    vsnprintf(e.msg, sizeof e.msg, fmt, ap);
    snprintf(e.file, sizeof e.file, "%s", file ? file : "");
    e.line = line;
    db->report(db->report_ctx, is_error, &e);
}

void dyad__db_problem(dyad__db *db, long line, bool is_error, const char *fmt, ...)
{
    const char *file = "";
    if (db->cur != DYAD__DNONE) {
        dyad__dfile *f = &db->files[db->cur];
        file = db->pool + f->path.off;
        if (is_error)
            f->unread++;
        else
            f->warnings++;
    }
    va_list ap;
    va_start(ap, fmt);
    vreport(db, file, line, is_error, fmt, ap);
    va_end(ap);
}

void dyad__db_lint(dyad__db *db, uint32_t file, long line, bool is_error, const char *fmt, ...)
{
    const char *path = file < db->nfiles ? db->pool + db->files[file].path.off : "";
    va_list ap;
    va_start(ap, fmt);
    vreport(db, path, line, is_error, fmt, ap);
    va_end(ap);
}

void dyad__db_fail(dyad__db *db, const char *file, bool is_error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(db, file, 0, is_error, fmt, ap);
    va_end(ap);
}

/* ---------------------------------------------------------------- strings */

static bool str_eq(const dyad__db *db, uint32_t off, const char *s, size_t n)
{
    /* strncmp stops at the pool string's NUL: no read past a shorter string */
    return strncmp(db->pool + off, s, n) == 0 && db->pool[off + n] == 0;
}

static bool rehash_strings(dyad__db *db)
{
    size_t cap = db->cap_shash ? db->cap_shash * 2 : 4096;
    uint32_t *t = calloc(cap, sizeof *t);
    if (!t)
        return false;
    for (size_t i = 0; i < db->cap_shash; i++) {
        uint32_t v = db->shash[i];
        if (!v)
            continue;
        const char *s = db->pool + v - 1;
        size_t h = dyad__dhash(s, strlen(s)) & (cap - 1);
        while (t[h])
            h = (h + 1) & (cap - 1);
        t[h] = v;
    }
    free(db->shash);
    db->shash = t;
    db->cap_shash = cap;
    return true;
}

dyad__dstr dyad__db_str(dyad__db *db, const char *s, size_t n)
{
    dyad__dstr r = {0, 0};
    if (n == 0 || db->oom)
        return r;
    if (memchr(s, 0, n))
        n = strlen(s);
    if ((db->nstrings + 1) * 2 > db->cap_shash && !rehash_strings(db)) {
        db->oom = true;
        return r;
    }
    size_t mask = db->cap_shash - 1, h = dyad__dhash(s, n) & mask;
    while (db->shash[h]) {
        uint32_t off = db->shash[h] - 1;
        if (str_eq(db, off, s, n)) {
            r.off = off;
            r.len = (uint32_t)n;
            return r;
        }
        h = (h + 1) & mask;
    }
    /* s may point into the pool itself (a part of an interned string): growing moves it */
    bool inside = s >= db->pool && s < db->pool + db->npool;
    size_t rel = inside ? (size_t)(s - db->pool) : 0;
    if (db->npool + n + 1 > UINT32_MAX - 1 || !GROW(db, pool, db->npool + n + 1)) {
        db->oom = true;
        return r;
    }
    if (inside)
        s = db->pool + rel;
    uint32_t off = (uint32_t)db->npool;
    memcpy(db->pool + off, s, n);
    db->pool[off + n] = 0;
    db->npool += n + 1;
    db->shash[h] = off + 1;
    db->nstrings++;
    r.off = off;
    r.len = (uint32_t)n;
    return r;
}

dyad__dstr dyad__db_strf(dyad__db *db, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    if ((size_t)n >= sizeof buf)
        n = sizeof buf - 1;
    return dyad__db_str(db, buf, (size_t)n);
}

/* ---------------------------------------------------------------- files */

uint32_t dyad__db_file(dyad__db *db, const char *path, const char *format, uint32_t lines)
{
    if (!GROW(db, files, db->nfiles + 1))
        return DYAD__DNONE;
    dyad__dfile *f = &db->files[db->nfiles];
    memset(f, 0, sizeof *f);
    f->path = dyad__db_str(db, path, strlen(path));
    f->format = dyad__db_str(db, format, strlen(format));
    f->lines = lines;
    db->cur = (uint32_t)db->nfiles++;
    return db->cur;
}

void dyad__db_set_format(dyad__db *db, const char *format)
{
    if (db->cur != DYAD__DNONE)
        db->files[db->cur].format = dyad__db_str(db, format, strlen(format));
}

uint32_t dyad__db_cur_file(const dyad__db *db)
{
    return db->cur;
}

static dyad__dfile *cur_file(dyad__db *db)
{
    return db->cur != DYAD__DNONE ? &db->files[db->cur] : NULL;
}

/* ---------------------------------------------------------------- entries and roles */

uint32_t dyad__db_entry(dyad__db *db, uint16_t kind, uint16_t flags, const char *name,
                        size_t nname, long line)
{
    if (!GROW(db, ents, db->nents + 1))
        return DYAD__DNONE;
    dyad__dent *e = &db->ents[db->nents];
    memset(e, 0, sizeof *e);
    e->kind = kind;
    e->flags = flags;
    /* the display name: '_' as blanks, no final '_' */
    char buf[512];
    size_t k = 0;
    for (size_t i = 0; i < nname && k < sizeof buf; i++)
        buf[k++] = name[i] == '_' ? ' ' : name[i];
    while (k && (buf[k - 1] == ' ' || buf[k - 1] == '\t'))
        k--;
    size_t a = 0;
    while (a < k && buf[a] == ' ')
        a++;
    e->name = dyad__db_str(db, buf + a, k - a);
    e->file = db->cur;
    e->line = (uint32_t)line;
    return (uint32_t)db->nents++;
}

void dyad__db_entry_country(dyad__db *db, uint32_t e, dyad__dstr country)
{
    if (e < db->nents)
        db->ents[e].country = country;
}

void dyad__db_entry_extra(dyad__db *db, uint32_t e, dyad__dstr extra)
{
    if (e < db->nents)
        db->ents[e].extra = extra;
}

void dyad__db_entry_flags(dyad__db *db, uint32_t e, uint16_t flags)
{
    if (e < db->nents)
        db->ents[e].flags |= flags;
}

uint16_t dyad__db_entry_kind(const dyad__db *db, uint32_t e)
{
    return e < db->nents ? db->ents[e].kind : 0;
}

uint32_t dyad__db_nentries(const dyad__db *db)
{
    return (uint32_t)db->nents;
}

static bool upper3(const char *c)
{
    for (int i = 0; i < 3; i++)
        if (c[i] < 'A' || c[i] > 'Z')
            return false;
    return true;
}

void dyad__db_role(dyad__db *db, uint32_t e, const char *code, size_t n, int32_t from,
                   int32_t to, bool is_default, long line)
{
    if (e >= db->nents || !GROW(db, roles, db->nroles + 1))
        return;
    dyad__dbrole *r = &db->roles[db->nroles++];
    memset(r, 0, sizeof *r);
    r->entry = e;
    r->line = (uint32_t)line;
    r->r.code = dyad__db_str(db, code, n);
    r->r.from = from;
    r->r.to = to;
    uint32_t fl = is_default ? DYAD__ROLE_DEFAULT : 0;
    if (n == 0 || (n == 3 && memcmp(code, "---", 3) == 0))
        fl |= DYAD__DF_NULL;
    else if (n == 3 && memcmp(code, "###", 3) == 0)
        fl |= DYAD__DF_DISCARD;
    else if (n == 3 && memcmp(code, "+++", 3) == 0)
        fl |= DYAD__DF_COMPLEX;
    if (memchr(code, '/', n))
        fl |= DYAD__DF_COMPOUND;
    r->r.flags = fl;
    if (n >= 3 && upper3(code) && !dyad__dcode_role(code) && !dyad__dcode_prefix(code) &&
        !dyad__dcode_group(code))
        r->r.country = dyad__db_str(db, code, 3);
    db->ents[e].nroles++;
}

uint32_t dyad__db_nroles(const dyad__db *db, uint32_t e)
{
    return e < db->nents ? db->ents[e].nroles : 0;
}

/* ---------------------------------------------------------------- phrases */

static bool rehash_atoms(dyad__db *db)
{
    size_t cap = db->cap_ahash ? db->cap_ahash * 2 : 4096;
    uint32_t *t = calloc(cap, sizeof *t);
    if (!t)
        return false;
    for (size_t i = 0; i < db->natoms; i++) {
        const dyad__dbatom *a = &db->atoms[i];
        uint32_t h = (a->flags & DYAD__EDGE_CASE) ? dyad__dhash(db->pool + a->orig.off, a->orig.len)
                                                  : a->hash;
        size_t s = h & (cap - 1);
        while (t[s])
            s = (s + 1) & (cap - 1);
        t[s] = (uint32_t)i + 1;
    }
    free(db->ahash);
    db->ahash = t;
    db->cap_ahash = cap;
    return true;
}

/* Intern a word: case-insensitive words by their folded key, case-sensitive ones as written. */
static uint32_t atom(dyad__db *db, const char *orig, size_t n, const char *key, size_t nk,
                     bool case_sensitive)
{
    if ((db->natoms + 1) * 2 > db->cap_ahash && !rehash_atoms(db)) {
        db->oom = true;
        return DYAD__DNONE;
    }
    uint32_t h = case_sensitive ? dyad__dhash(orig, n) : dyad__dhash(key, nk);
    size_t mask = db->cap_ahash - 1, s = h & mask;
    while (db->ahash[s]) {
        const dyad__dbatom *a = &db->atoms[db->ahash[s] - 1];
        if (case_sensitive) {
            if ((a->flags & DYAD__EDGE_CASE) && a->orig.len == n &&
                memcmp(db->pool + a->orig.off, orig, n) == 0)
                return db->ahash[s] - 1;
        } else if (!(a->flags & DYAD__EDGE_CASE) && a->key.len == nk &&
                   memcmp(db->pool + a->key.off, key, nk) == 0) {
            return db->ahash[s] - 1;
        }
        s = (s + 1) & mask;
    }
    if (!GROW(db, atoms, db->natoms + 1))
        return DYAD__DNONE;
    dyad__dbatom *a = &db->atoms[db->natoms];
    a->key = dyad__db_str(db, key, nk);
    a->orig = case_sensitive ? dyad__db_str(db, orig, n) : a->key;
    a->hash = dyad__dhash(key, nk);
    a->flags = case_sensitive ? DYAD__EDGE_CASE : 0;
    db->ahash[s] = (uint32_t)db->natoms + 1;
    return (uint32_t)db->natoms++;
}

/* A word of a dyad name written in capitals of at most five letters ("UN", "U.N.", "IRA"). */
static bool capitals_word(const char *p, size_t n)
{
    size_t letters = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] >= 'A' && p[i] <= 'Z')
            letters++;
        else if (p[i] != '.')
            return false;
    }
    return letters >= 1 && letters <= 5;
}

bool dyad__db_phrase(dyad__db *db, uint32_t e, const char *name, size_t n, int mode,
                     uint32_t tflags, long line)
{
    dyad__dword w[DYAD__MAX_WORDS];
    size_t nw = dyad__dname_words(name, n, w, DYAD__MAX_WORDS);
    if (nw == 0) {
        dyad__db_problem(db, line, true, "empty name");
        return false;
    }
    if (!GROW(db, pw, db->npw + nw) || !GROW(db, ph, db->nph + 1))
        return false;
    uint32_t first = (uint32_t)db->npw;
    bool last_case = false;
    for (size_t i = 0; i < nw; i++) {
        char key[DYAD__MAX_WORD];
        size_t nk = dyad__dfold(w[i].p, w[i].n, key, sizeof key);
        if (nk == (size_t)-1) {
            dyad__db_problem(db, line, true, "word too long in name '%.*s'", (int)n, name);
            db->npw = first;
            return false;
        }
        bool cs;
        if (mode == DYAD__NAME_DYAD)
            cs = capitals_word(w[i].p, w[i].n);
        else
            cs = nw == 1 && dyad__dfunction_word(key, nk);
        uint32_t a = atom(db, w[i].p, w[i].n, key, nk, cs);
        if (a == DYAD__DNONE)
            return false;
        db->pw[db->npw++] = a;
        last_case = cs;
    }
    dyad__dbphrase *p = &db->ph[db->nph++];
    p->word_first = first;
    p->nwords = (uint32_t)nw;
    p->ref = e;
    p->tflags = tflags | (last_case ? DYAD__TERM_NOLEMMA : 0);
    p->file = db->cur;
    p->line = (uint32_t)line;
    dyad__dfile *f = cur_file(db);
    if (f) {
        if (tflags & DYAD__TERM_SET) {
            /* counted with the set */
        } else if (e < db->nents && db->ents[e].kind < DYAD__DK_COUNT) {
            f->entries[db->ents[e].kind]++;
        }
    }
    if (tflags & DYAD__TERM_SET) {
        if (e < db->nsets)
            db->sets[e].nmembers++;
    }
    return true;
}

/* ---------------------------------------------------------------- patterns, verbs, sets */

uint32_t dyad__db_block(dyad__db *db, const char *name, size_t n, const char *code,
                        size_t ncode, long line)
{
    if (!GROW(db, blocks, db->nblocks + 1))
        return DYAD__DNONE;
    dyad__dblock *b = &db->blocks[db->nblocks];
    memset(b, 0, sizeof *b);
    b->name = dyad__db_str(db, name, n);
    dyad__dstr c1, c2;
    uint16_t fl = 0;
    dyad__db_code_parse(code, ncode, &b->code, &c1, &c2, &fl, db);
    b->flags = fl;
    b->file = db->cur;
    b->line = (uint32_t)line;
    return (uint32_t)db->nblocks++;
}

static bool code_chars(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
            return false;
    }
    return true;
}

bool dyad__db_code_parse(const char *s, size_t n, dyad__dstr *code, dyad__dstr *c1,
                         dyad__dstr *c2, uint16_t *flags, dyad__db *db)
{
    dyad__dstr none = {0, 0};
    *code = *c1 = *c2 = none;
    *flags = 0;
    while (n && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n == 0)
        return false;
    *code = dyad__db_str(db, s, n);
    if (n == 3 && memcmp(s, "---", 3) == 0) {
        *flags = DYAD__PF_NULL;
        return true;
    }
    if (n == 3 && memcmp(s, "###", 3) == 0) {
        *flags = DYAD__PF_DISCARD;
        return true;
    }
    if (n == 3 && memcmp(s, "+++", 3) == 0) {
        *flags = DYAD__PF_COMPLEX;
        return true;
    }
    size_t m = n;
    if (s[m - 1] == '?') {
        *flags |= DYAD__PF_SUBORD;
        m--;
    } else if (s[m - 1] == '!') {
        *flags |= DYAD__PF_DOMINANT;
        m--;
    }
    const char *colon = memchr(s, ':', m);
    if (colon) {
        size_t a = (size_t)(colon - s), b = m - a - 1;
        if ((a && !code_chars(s, a)) || (b && !code_chars(colon + 1, b)) || (a == 0 && b == 0))
            return false;
        *c1 = dyad__db_str(db, s, a);
        *c2 = dyad__db_str(db, colon + 1, b);
        *flags |= DYAD__PF_PAIRED;
        return true;
    }
    if (m == 0 || !code_chars(s, m))
        return false;
    *c1 = dyad__db_str(db, s, m);
    return true;
}

uint32_t dyad__db_pattern(dyad__db *db, uint16_t style, const char *key, size_t nkey,
                          const char *code, size_t ncode, const char *text, size_t ntext,
                          uint32_t block, long line)
{
    if (!GROW(db, pats, db->npats + 1))
        return DYAD__DNONE;
    dyad__dpat *p = &db->pats[db->npats];
    memset(p, 0, sizeof *p);
    char folded[DYAD__MAX_WORD];
    size_t nf = dyad__dfold(key, nkey, folded, sizeof folded);
    if (nf == (size_t)-1)
        nf = 0;
    p->key = dyad__db_str(db, folded, nf);
    uint16_t fl = 0;
    if (!dyad__db_code_parse(code, ncode, &p->code, &p->code1, &p->code2, &fl, db)) {
        dyad__db_problem(db, line, true, "'%.*s' is not a code", (int)ncode, code);
        return DYAD__DNONE;
    }
    while (ntext && (*text == ' ' || *text == '\t')) {
        text++;
        ntext--;
    }
    while (ntext && (text[ntext - 1] == ' ' || text[ntext - 1] == '\t'))
        ntext--;
    p->text = dyad__db_str(db, text, ntext);
    p->flags = fl;
    p->style = style;
    p->file = db->cur;
    p->line = (uint32_t)line;
    p->block = block;
    p->elem_first = (uint32_t)db->nelems;
    dyad__dfile *f = cur_file(db);
    if (f)
        f->patterns++;
    return (uint32_t)db->npats++;
}

void dyad__db_pattern_particle(dyad__db *db, uint32_t p, const char *s, size_t n)
{
    if (p < db->npats)
        db->pats[p].particle = dyad__db_str(db, s, n);
}

void dyad__db_pattern_flags(dyad__db *db, uint32_t p, uint16_t flags)
{
    if (p < db->npats)
        db->pats[p].flags |= flags;
}

void dyad__db_pattern_drop(dyad__db *db, uint32_t p)
{
    if (p + 1 != db->npats)
        return;
    db->nelems = db->pats[p].elem_first;
    db->npats--;
    dyad__dfile *f = cur_file(db);
    if (f && f->patterns)
        f->patterns--;
}

void dyad__db_elem(dyad__db *db, uint32_t p, uint16_t type, uint16_t flags, const char *word,
                   size_t n)
{
    if (p >= db->npats || !GROW(db, elems, db->nelems + 1))
        return;
    dyad__delem *e = &db->elems[db->nelems++];
    memset(e, 0, sizeof *e);
    e->type = type;
    e->flags = flags;
    e->set = DYAD__DNONE;
    if (n) {
        char folded[DYAD__MAX_WORD];
        size_t nf = dyad__dfold(word, n, folded, sizeof folded);
        e->word = nf == (size_t)-1 ? dyad__db_str(db, word, n) : dyad__db_str(db, folded, nf);
    }
    db->pats[p].nelems++;
}

uint32_t dyad__db_verb(dyad__db *db, const char *key, size_t nkey, const char *particle,
                       size_t npart, const char *pre, size_t npre, const char *code,
                       size_t ncode, uint32_t block, long line)
{
    if (!GROW(db, verbs, db->nverbs + 1))
        return DYAD__DNONE;
    dyad__dverb *v = &db->verbs[db->nverbs];
    memset(v, 0, sizeof *v);
    char f[DYAD__MAX_WORD];
    size_t nf;
    nf = dyad__dfold(key, nkey, f, sizeof f);
    v->key = dyad__db_str(db, f, nf == (size_t)-1 ? 0 : nf);
    nf = dyad__dfold(particle, npart, f, sizeof f);
    v->particle = dyad__db_str(db, f, nf == (size_t)-1 ? 0 : nf);
    nf = dyad__dfold(pre, npre, f, sizeof f);
    v->pre = dyad__db_str(db, f, nf == (size_t)-1 ? 0 : nf);
    uint16_t fl = 0;
    if (ncode) {
        dyad__dstr c1, c2;
        if (!dyad__db_code_parse(code, ncode, &v->code, &c1, &c2, &fl, db)) {
            dyad__db_problem(db, line, true, "'%.*s' is not a code", (int)ncode, code);
            return DYAD__DNONE;
        }
    } else if (block < db->nblocks) {
        v->code = db->blocks[block].code;
        fl = (uint16_t)db->blocks[block].flags;
    }
    v->flags = fl;
    v->block = block;
    v->file = db->cur;
    v->line = (uint32_t)line;
    uint32_t id = (uint32_t)db->nverbs++;
    dyad__db_verb_key(db, id, key, nkey);
    dyad__dfile *fi = cur_file(db);
    if (fi)
        fi->verbs++;
    return id;
}

void dyad__db_verb_key(dyad__db *db, uint32_t v, const char *key, size_t n)
{
    char f[DYAD__MAX_WORD];
    size_t nf = dyad__dfold(key, n, f, sizeof f);
    if (nf == (size_t)-1 || nf == 0 || !GROW(db, vk, db->nvk + 1))
        return;
    db->vk[db->nvk].key = dyad__db_str(db, f, nf);
    db->vk[db->nvk].verb = v;
    db->nvk++;
}

void dyad__db_transform(dyad__db *db)
{
    dyad__dfile *f = cur_file(db);
    if (f)
        f->transforms++;
}

/* Sets are found by name through a hash (a dictionary may define very many). */
static uint32_t set_find(const dyad__db *db, const char *folded, size_t n)
{
    if (!db->cap_sethash)
        return DYAD__DNONE;
    size_t mask = db->cap_sethash - 1;
    for (size_t s = dyad__dhash(folded, n) & mask; db->sethash[s]; s = (s + 1) & mask) {
        const dyad__dset *st = &db->sets[db->sethash[s] - 1];
        if (st->name.len == n && memcmp(db->pool + st->name.off, folded, n) == 0)
            return db->sethash[s] - 1;
    }
    return DYAD__DNONE;
}

static void set_hash_put(uint32_t *slots, size_t cap, uint32_t hash, uint32_t set)
{
    size_t s = hash & (cap - 1);
    while (slots[s])
        s = (s + 1) & (cap - 1);
    slots[s] = set + 1;
}

/* Room for one more set in the hash (at most half full). */
static bool set_hash_room(dyad__db *db)
{
    if ((db->nsets + 1) * 2 <= db->cap_sethash)
        return true;
    size_t cap = db->cap_sethash ? db->cap_sethash * 2 : 256;
    uint32_t *t = calloc(cap, sizeof *t);
    if (!t) {
        db->oom = true;
        return false;
    }
    for (size_t i = 0; i < db->nsets; i++)
        set_hash_put(t, cap, db->sets[i].hash, (uint32_t)i);
    free(db->sethash);
    db->sethash = t;
    db->cap_sethash = cap;
    return true;
}

/* Folded set name without '&' and a final '_'. */
static size_t set_name(const char *name, size_t n, char *out, size_t cap)
{
    if (n && name[0] == '&') {
        name++;
        n--;
    }
    while (n && name[n - 1] == '_')
        n--;
    size_t nf = dyad__dfold(name, n, out, cap);
    return nf == (size_t)-1 ? 0 : nf;
}

uint32_t dyad__db_set(dyad__db *db, const char *name, size_t n, long line)
{
    char f[DYAD__MAX_WORD];
    size_t nf = set_name(name, n, f, sizeof f);
    if (nf == 0) {
        dyad__db_problem(db, line, true, "a set needs a name");
        return DYAD__DNONE;
    }
    uint32_t s = set_find(db, f, nf);
    if (s != DYAD__DNONE)
        return s;
    if (!set_hash_room(db) || !GROW(db, sets, db->nsets + 1))
        return DYAD__DNONE;
    dyad__dset *st = &db->sets[db->nsets];
    memset(st, 0, sizeof *st);
    st->name = dyad__db_str(db, f, nf);
    st->hash = dyad__dhash(f, nf);
    set_hash_put(db->sethash, db->cap_sethash, st->hash, (uint32_t)db->nsets);
    st->file = db->cur;
    st->line = (uint32_t)line;
    dyad__dfile *fi = cur_file(db);
    if (fi)
        fi->sets++;
    return (uint32_t)db->nsets++;
}

void dyad__db_set_include(dyad__db *db, uint32_t set, const char *name, size_t n, long line)
{
    char f[DYAD__MAX_WORD];
    size_t nf = set_name(name, n, f, sizeof f);
    if (set >= db->nsets || nf == 0 || !GROW(db, incs, db->nincs + 1))
        return;
    dyad__dbinc *inc = &db->incs[db->nincs++];
    inc->set = set;
    inc->file = db->cur;
    inc->line = (uint32_t)line;
    inc->name = dyad__db_str(db, f, nf);
}

void dyad__db_cameo(dyad__db *db, const char *code, size_t ncode, double goldstein, int quad,
                    const char *name, size_t nname, long line)
{
    if (!GROW(db, cameo, db->ncameo + 1) || !GROW(db, cameo_where, 2 * db->ncameo + 2))
        return;
    dyad__dcameo *c = &db->cameo[db->ncameo];
    memset(c, 0, sizeof *c);
    c->code = dyad__db_str(db, code, ncode);
    c->name = dyad__db_str(db, name, nname);
    c->goldstein = goldstein;
    c->quad = (uint32_t)quad;
    db->cameo_where[2 * db->ncameo] = db->cur;
    db->cameo_where[2 * db->ncameo + 1] = (uint32_t)line;
    db->ncameo++;
    dyad__dfile *f = cur_file(db);
    if (f)
        f->codes++;
}

/* ---------------------------------------------------------------- finishing: sets */

/* Nested sets are flattened: each set gets copies of the members of the sets it includes,
 * which are resolved first.  Includes and members are reached through per-set lists, so the
 * work is what is copied; nesting deeper than MAX_SET_DEPTH, and copies past MAX_SET_COPIES,
 * are reported and cut off (a hostile dictionary cannot make the build slow or huge). */
#define MAX_SET_DEPTH 256
#define MAX_SET_COPIES (1u << 22)

typedef struct set_resolve {
    unsigned char *state;     /* 0 new, 1 being resolved, 2 done */
    uint32_t *inc_first;      /* per set: its first include (index into db->incs) */
    uint32_t *inc_next;       /* per include: the next include of the same set */
    uint32_t *mem_first, *mem_last;   /* per set: its member phrases, in phrase order */
    uint32_t *mem_next;       /* per phrase: the next member phrase of the same set */
    size_t cap_next;
    size_t copies;
    bool too_many;
} set_resolve;

static bool member_push(dyad__db *db, set_resolve *r, uint32_t s, uint32_t ph)
{
    if (DYAD_GROW(r->mem_next, r->cap_next, (size_t)ph + 1)) {
        db->oom = true;
        return false;
    }
    r->mem_next[ph] = DYAD__DNONE;
    if (r->mem_first[s] == DYAD__DNONE)
        r->mem_first[s] = ph;
    else
        r->mem_next[r->mem_last[s]] = ph;
    r->mem_last[s] = ph;
    return true;
}

static void resolve_set(dyad__db *db, set_resolve *r, uint32_t s, int depth)
{
    if (r->state[s] == 2)
        return;
    if (r->state[s] == 1) {
        dyad__db_lint(db, db->sets[s].file, db->sets[s].line, true,
                      "set &%s includes itself", db->pool + db->sets[s].name.off);
        return;
    }
    if (depth > MAX_SET_DEPTH) {
        dyad__db_lint(db, db->sets[s].file, db->sets[s].line, true,
                      "set &%s: sets nested more than %d deep", db->pool + db->sets[s].name.off,
                      MAX_SET_DEPTH);
        return;
    }
    r->state[s] = 1;
    for (uint32_t i = r->inc_first[s]; i != DYAD__DNONE; i = r->inc_next[i]) {
        dyad__dbinc inc = db->incs[i];
        uint32_t child = set_find(db, db->pool + inc.name.off, inc.name.len);
        if (child == DYAD__DNONE) {
            dyad__db_lint(db, inc.file, inc.line, true, "set &%s is not defined",
                          db->pool + inc.name.off);
            continue;
        }
        if (child == s) {
            dyad__db_lint(db, inc.file, inc.line, true, "set &%s includes itself",
                          db->pool + inc.name.off);
            continue;
        }
        resolve_set(db, r, child, depth + 1);
        /* the child's members as they are now (its list only grows at its end) */
        uint32_t last = r->mem_last[child];
        for (uint32_t k = r->mem_first[child]; k != DYAD__DNONE; k = r->mem_next[k]) {
            if (r->copies >= MAX_SET_COPIES) {
                if (!r->too_many)
                    dyad__db_lint(db, inc.file, inc.line, true,
                                  "sets expand to more than %u members: the rest are dropped",
                                  MAX_SET_COPIES);
                r->too_many = true;
                break;
            }
            if (!GROW(db, ph, db->nph + 1))
                return;
            dyad__dbphrase p = db->ph[k];
            p.ref = s;
            db->ph[db->nph] = p;
            if (!member_push(db, r, s, (uint32_t)db->nph))
                return;
            db->nph++;
            db->sets[s].nmembers++;
            r->copies++;
            if (k == last)
                break;
        }
    }
    r->state[s] = 2;
}

static void resolve_sets(dyad__db *db)
{
    if (db->nsets) {
        set_resolve r;
        memset(&r, 0, sizeof r);
        r.state = calloc(db->nsets, 1);
        r.inc_first = malloc(db->nsets * sizeof *r.inc_first);
        r.mem_first = malloc(db->nsets * sizeof *r.mem_first);
        r.mem_last = malloc(db->nsets * sizeof *r.mem_last);
        r.inc_next = malloc((db->nincs ? db->nincs : 1) * sizeof *r.inc_next);
        bool ok = r.state && r.inc_first && r.mem_first && r.mem_last && r.inc_next;
        if (ok) {
            for (size_t s = 0; s < db->nsets; s++)
                r.inc_first[s] = r.mem_first[s] = r.mem_last[s] = DYAD__DNONE;
            for (size_t i = db->nincs; i-- > 0;) {   /* lists in file order */
                r.inc_next[i] = r.inc_first[db->incs[i].set];
                r.inc_first[db->incs[i].set] = (uint32_t)i;
            }
            for (size_t k = 0; k < db->nph && ok; k++)
                if ((db->ph[k].tflags & DYAD__TERM_SET) && db->ph[k].ref < db->nsets)
                    ok = member_push(db, &r, db->ph[k].ref, (uint32_t)k);
            for (size_t s = 0; s < db->nsets && ok && !db->oom; s++)
                resolve_set(db, &r, (uint32_t)s, 0);
        }
        if (!ok)
            db->oom = true;
        free(r.state);
        free(r.inc_first);
        free(r.inc_next);
        free(r.mem_first);
        free(r.mem_last);
        free(r.mem_next);
    }
    for (size_t p = 0; p < db->npats; p++) {
        dyad__dpat *pat = &db->pats[p];
        for (uint32_t k = 0; k < pat->nelems; k++) {
            dyad__delem *e = &db->elems[pat->elem_first + k];
            if (e->type != DYAD__PE_SET)
                continue;
            e->set = set_find(db, db->pool + e->word.off, e->word.len);
            if (e->set == DYAD__DNONE)
                pat->flags |= DYAD__PF_UNRESOLVED;
        }
    }
}

/* ---------------------------------------------------------------- finishing: the trie */

typedef struct trie_build {
    dyad__db *db;
    uint32_t *rank;           /* atom -> rank in key order */
    uint32_t *order;          /* phrases sorted */
    DYAD__DB_ARRAY(dyad__dnode, nodes)
    DYAD__DB_ARRAY(dyad__dedge, edges)
    DYAD__DB_ARRAY(dyad__dterm, terms)
    uint32_t max_depth;
    bool oom;
} trie_build;

static int cmp_atoms(const void *a, const void *b, void *ctx)
{
    const dyad__db *sort_db = ctx;
    const dyad__dbatom *x = &sort_db->atoms[*(const uint32_t *)a];
    const dyad__dbatom *y = &sort_db->atoms[*(const uint32_t *)b];
    int c = strcmp(sort_db->pool + x->key.off, sort_db->pool + y->key.off);
    if (c)
        return c;
    if ((x->flags ^ y->flags) & DYAD__EDGE_CASE)
        return (x->flags & DYAD__EDGE_CASE) ? 1 : -1;
    return strcmp(sort_db->pool + x->orig.off, sort_db->pool + y->orig.off);
}

static int cmp_phrases(const void *a, const void *b, void *ctx)
{
    const trie_build *t = ctx;
    const dyad__db *sort_db = t->db;
    const uint32_t *sort_rank = t->rank;
    uint32_t i = *(const uint32_t *)a, j = *(const uint32_t *)b;
    const dyad__dbphrase *x = &sort_db->ph[i], *y = &sort_db->ph[j];
    uint32_t n = x->nwords < y->nwords ? x->nwords : y->nwords;
    for (uint32_t k = 0; k < n; k++) {
        uint32_t rx = sort_rank[sort_db->pw[x->word_first + k]];
        uint32_t ry = sort_rank[sort_db->pw[y->word_first + k]];
        if (rx != ry)
            return rx < ry ? -1 : 1;
    }
    if (x->nwords != y->nwords)
        return x->nwords < y->nwords ? -1 : 1;
    return i < j ? -1 : i > j;
}

static uint32_t word_at(const trie_build *t, uint32_t phrase_pos, uint32_t depth)
{
    const dyad__dbphrase *p = &t->db->ph[t->order[phrase_pos]];
    return t->db->pw[p->word_first + depth];
}

static uint32_t build_node(trie_build *t, uint32_t lo, uint32_t hi, uint32_t depth)
{
    dyad__db *db = t->db;
    if (t->oom || DYAD_GROW(t->nodes, t->cap_nodes, t->nnodes + 1)) {
        t->oom = true;
        return 0;
    }
    uint32_t node = (uint32_t)t->nnodes++;
    memset(&t->nodes[node], 0, sizeof t->nodes[node]);
    if (depth > t->max_depth)
        t->max_depth = depth;
    uint32_t k = lo;
    t->nodes[node].term_first = (uint32_t)t->nterms;
    for (; k < hi && db->ph[t->order[k]].nwords == depth; k++) {
        const dyad__dbphrase *p = &db->ph[t->order[k]];
        if (t->nterms > t->nodes[node].term_first) {
            const dyad__dterm *prev = &t->terms[t->nterms - 1];
            if (prev->ref == p->ref && prev->flags == p->tflags)
                continue;
        }
        if (DYAD_GROW(t->terms, t->cap_terms, t->nterms + 1)) {
            t->oom = true;
            return 0;
        }
        t->terms[t->nterms].ref = p->ref;
        t->terms[t->nterms].flags = p->tflags;
        t->nterms++;
    }
    t->nodes[node].nterms = (uint32_t)t->nterms - t->nodes[node].term_first;
    /* children: groups of equal words at this depth */
    uint32_t ngroups = 0;
    for (uint32_t a = k; a < hi;) {
        uint32_t w = word_at(t, a, depth), b = a + 1;
        while (b < hi && word_at(t, b, depth) == w)
            b++;
        ngroups++;
        a = b;
    }
    if (DYAD_GROW(t->edges, t->cap_edges, t->nedges + ngroups)) {
        t->oom = true;
        return 0;
    }
    uint32_t first = (uint32_t)t->nedges;
    t->nedges += ngroups;
    t->nodes[node].edge_first = first;
    t->nodes[node].nedges = ngroups;
    uint32_t g = 0;
    for (uint32_t a = k; a < hi; g++) {
        uint32_t w = word_at(t, a, depth), b = a + 1;
        while (b < hi && word_at(t, b, depth) == w)
            b++;
        const dyad__dbatom *at = &db->atoms[w];
        dyad__dedge e;
        e.key = at->key;
        e.orig = at->orig;
        e.hash = at->hash;
        e.flags = at->flags;
        e.child = 0;
        uint32_t child = build_node(t, a, b, depth + 1);
        if (t->oom)
            return 0;
        e.child = child;
        t->edges[first + g] = e;
        a = b;
    }
    return node;
}

static uint32_t pow2_at_least(size_t n)
{
    uint32_t p = 16;
    while (p < n)
        p <<= 1;
    return p;
}

/* ---------------------------------------------------------------- finishing: verb keys */

typedef struct vpair {
    dyad__dstr key;
    uint32_t type;            /* 0 pattern, 1 verb */
    uint32_t idx;
    uint32_t score;
} vpair;

static int cmp_vpair(const void *a, const void *b, void *ctx)
{
    const dyad__db *sort_db = ctx;
    const vpair *x = a, *y = b;
    int c = strcmp(sort_db->pool + x->key.off, sort_db->pool + y->key.off);
    if (c)
        return c;
    if (x->type != y->type)
        return x->type < y->type ? -1 : 1;
    if (x->type == 0 && x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static int cmp_u32(const void *a, const void *b, void *ctx)
{
    (void)ctx;
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static int cmp_cameo(const void *a, const void *b, void *ctx)
{
    const dyad__db *sort_db = ctx;
    const dyad__dcameo *x = a, *y = b;
    return strcmp(sort_db->pool + x->code.off, sort_db->pool + y->code.off);
}

/* Specificity of a pattern: more elements first, then more written characters. */
static uint32_t pattern_score(const dyad__db *db, const dyad__dpat *p)
{
    uint32_t elems = 0, chars = 0;
    for (uint32_t k = 0; k < p->nelems; k++) {
        const dyad__delem *e = &db->elems[p->elem_first + k];
        if (e->type == DYAD__PE_END || e->type == DYAD__PE_VERB)
            continue;
        elems++;
        chars += e->word.len;
    }
    if (p->style == DYAD__PS_TREE)
        return elems * 1000 + chars;
    return chars * 100 + elems;   /* PETRARCH / TABARI: written characters first */
}

/* ---------------------------------------------------------------- serialising */

static dyad_status add(dyad__mw *w, const char *name, const void *data, size_t size)
{
    return dyad__mw_add(w, name, data ? data : "", size);
}

dyad_status dyad__db_finish(dyad__db *db, uint64_t key, unsigned char **buf, size_t *size,
                            dyad_error *err)
{
    *buf = NULL;
    *size = 0;
    resolve_sets(db);
    if (db->lint && !db->oom)
        dyad__dict_lint(db);
    if (db->oom)
        return dyad__fail(err, DYAD_ENOMEM, "out of memory building the dictionary");

    dyad_status st = DYAD_OK;
    trie_build t;
    memset(&t, 0, sizeof t);
    t.db = db;
    uint32_t *atom_order = malloc((db->natoms + 1) * sizeof *atom_order);
    t.rank = malloc((db->natoms + 1) * sizeof *t.rank);
    t.order = malloc((db->nph + 1) * sizeof *t.order);
    vpair *vp = NULL;
    uint32_t *vlist = NULL, *vslots = NULL, *root = NULL, *sslots = NULL;
    dyad__dvkey *vkeys = NULL;
    dyad__drole *roles = NULL;
    dyad__dstr *unpat = NULL;
    dyad__mw *w = NULL;
    size_t nvp = 0, nvkeys = 0, nvlist = 0, nunpat = 0;
    if (!atom_order || !t.rank || !t.order)
        goto oom;

    /* the trie */
    for (size_t i = 0; i < db->natoms; i++)
        atom_order[i] = (uint32_t)i;
    if (dyad__dsort(atom_order, db->natoms, sizeof *atom_order, cmp_atoms, db))
        goto oom;
    for (size_t i = 0; i < db->natoms; i++)
        t.rank[atom_order[i]] = (uint32_t)i;
    for (size_t i = 0; i < db->nph; i++)
        t.order[i] = (uint32_t)i;
    if (dyad__dsort(t.order, db->nph, sizeof *t.order, cmp_phrases, &t))
        goto oom;
    build_node(&t, 0, (uint32_t)db->nph, 0);
    if (t.oom)
        goto oom;
    dyad__dnode *rootn = &t.nodes[0];
    uint32_t nroot = pow2_at_least((size_t)rootn->nedges * 2 + 1);
    root = calloc(nroot, sizeof *root);
    if (!root)
        goto oom;
    for (uint32_t i = 0; i < rootn->nedges; i++) {
        uint32_t e = rootn->edge_first + i, s = t.edges[e].hash & (nroot - 1);
        while (root[s])
            s = (s + 1) & (nroot - 1);
        root[s] = e + 1;
    }

    /* roles: grouped by entry, in input order */
    roles = malloc((db->nroles + 1) * sizeof *roles);
    if (!roles)
        goto oom;
    {
        /* counting sort by entry keeps the input order */
        uint32_t *start = calloc(db->nents + 1, sizeof *start);
        if (!start)
            goto oom;
        for (size_t i = 0; i < db->nroles; i++)
            start[db->roles[i].entry + 1]++;
        for (size_t e = 0; e < db->nents; e++) {
            start[e + 1] += start[e];
            db->ents[e].role_first = start[e];
        }
        for (size_t i = 0; i < db->nroles; i++)
            roles[start[db->roles[i].entry]++] = db->roles[i].r;
        free(start);
    }

    /* verb keys */
    for (size_t p = 0; p < db->npats; p++)
        db->pats[p].score = pattern_score(db, &db->pats[p]);
    {
        /* patterns of each block */
        uint32_t *bstart = calloc(db->nblocks + 1, sizeof *bstart);
        uint32_t *bpats = malloc((db->npats + 1) * sizeof *bpats);
        if (!bstart || !bpats) {
            free(bstart);
            free(bpats);
            goto oom;
        }
        for (size_t p = 0; p < db->npats; p++)
            if (db->pats[p].block < db->nblocks)
                bstart[db->pats[p].block + 1]++;
        for (size_t b = 0; b < db->nblocks; b++)
            bstart[b + 1] += bstart[b];
        {
            uint32_t *fill = malloc((db->nblocks + 1) * sizeof *fill);
            if (!fill) {
                free(bstart);
                free(bpats);
                goto oom;
            }
            memcpy(fill, bstart, (db->nblocks + 1) * sizeof *fill);
            for (size_t p = 0; p < db->npats; p++)
                if (db->pats[p].block < db->nblocks)
                    bpats[fill[db->pats[p].block]++] = (uint32_t)p;
            free(fill);
        }
        size_t need = db->npats + db->nvk;
        for (size_t i = 0; i < db->nvk; i++) {
            uint32_t b = db->verbs[db->vk[i].verb].block;
            if (b < db->nblocks)
                need += bstart[b + 1] - bstart[b];
        }
        vp = malloc((need + 1) * sizeof *vp);
        if (!vp) {
            free(bstart);
            free(bpats);
            goto oom;
        }
        for (size_t p = 0; p < db->npats; p++)
            if (db->pats[p].block == DYAD__DNONE && db->pats[p].key.len)
                vp[nvp++] = (vpair){db->pats[p].key, 0, (uint32_t)p, db->pats[p].score};
        for (size_t i = 0; i < db->nvk; i++) {
            uint32_t v = db->vk[i].verb, b = db->verbs[v].block;
            vp[nvp++] = (vpair){db->vk[i].key, 1, v, 0};
            if (b < db->nblocks)
                for (uint32_t k = bstart[b]; k < bstart[b + 1]; k++)
                    vp[nvp++] = (vpair){db->vk[i].key, 0, bpats[k], db->pats[bpats[k]].score};
        }
        free(bstart);
        free(bpats);
    }
    if (dyad__dsort(vp, nvp, sizeof *vp, cmp_vpair, db))
        goto oom;
    vlist = malloc((nvp + 1) * sizeof *vlist);
    vkeys = malloc((nvp + 1) * sizeof *vkeys);
    if (!vlist || !vkeys)
        goto oom;
    for (size_t i = 0; i < nvp;) {
        size_t j = i;
        while (j < nvp && vp[j].key.off == vp[i].key.off)
            j++;
        dyad__dvkey *k = &vkeys[nvkeys++];
        memset(k, 0, sizeof *k);
        k->key = vp[i].key;
        k->hash = dyad__dhash(db->pool + k->key.off, k->key.len);
        k->pat_first = (uint32_t)nvlist;
        for (size_t m = i; m < j; m++) {
            if (vp[m].type != 0)
                continue;
            if (m > i && vp[m - 1].type == 0 && vp[m - 1].idx == vp[m].idx)
                continue;
            vlist[nvlist++] = vp[m].idx;
        }
        k->npat = (uint32_t)nvlist - k->pat_first;
        k->verb_first = (uint32_t)nvlist;
        for (size_t m = i; m < j; m++) {
            if (vp[m].type != 1)
                continue;
            if (m > i && vp[m - 1].type == 1 && vp[m - 1].idx == vp[m].idx)
                continue;
            vlist[nvlist++] = vp[m].idx;
        }
        k->nverb = (uint32_t)nvlist - k->verb_first;
        i = j;
    }
    uint32_t nvslot = pow2_at_least(nvkeys * 2 + 1);
    vslots = calloc(nvslot, sizeof *vslots);
    uint32_t nsslot = pow2_at_least(db->nsets * 2 + 1);
    sslots = calloc(nsslot, sizeof *sslots);
    if (!vslots || !sslots)
        goto oom;
    for (size_t i = 0; i < nvkeys; i++) {
        uint32_t s = vkeys[i].hash & (nvslot - 1);
        while (vslots[s])
            s = (s + 1) & (nvslot - 1);
        vslots[s] = (uint32_t)i + 1;
    }
    for (size_t i = 0; i < db->nsets; i++) {
        uint32_t s = db->sets[i].hash & (nsslot - 1);
        while (sslots[s])
            s = (s + 1) & (nsslot - 1);
        sslots[s] = (uint32_t)i + 1;
    }

    /* the code table, sorted; codes no pattern uses */
    if (dyad__dsort(db->cameo, db->ncameo, sizeof *db->cameo, cmp_cameo, db))
        goto oom;
    if (db->ncameo && (db->npats || db->nverbs)) {
        unpat = malloc(db->ncameo * sizeof *unpat);
        if (!unpat)
            goto oom;
        /* strings are interned: equal codes have equal offsets */
        size_t nused = 0;
        uint32_t *used_off = malloc((2 * db->npats + db->nverbs + 1) * sizeof *used_off);
        if (!used_off)
            goto oom;
        for (size_t p = 0; p < db->npats; p++) {
            used_off[nused++] = db->pats[p].code1.off;
            used_off[nused++] = db->pats[p].code2.off;
        }
        for (size_t v = 0; v < db->nverbs; v++) {
            char vc[64];   /* a copy: interning may move the pool */
            size_t n = strcspn(db->pool + db->verbs[v].code.off, ":?!");
            if (n >= sizeof vc)
                n = sizeof vc - 1;
            memcpy(vc, db->pool + db->verbs[v].code.off, n);
            used_off[nused++] = dyad__db_str(db, vc, n).off;
        }
        if (dyad__dsort(used_off, nused, sizeof *used_off, cmp_u32, NULL)) {
            free(used_off);
            goto oom;
        }
        for (size_t c = 0; c < db->ncameo; c++) {
            uint32_t off = db->cameo[c].code.off;
            size_t lo = 0, hi = nused;
            while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (used_off[mid] < off)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            bool used = lo < nused && used_off[lo] == off;
            if (!used)
                unpat[nunpat++] = db->cameo[c].code;
        }
        free(used_off);
    }
    if (db->oom)
        goto oom;

    dyad__dmeta meta;
    memset(&meta, 0, sizeof meta);
    meta.endian = DYAD__ENDIAN_MARK;
    meta.nroot = nroot;
    meta.nvslot = nvslot;
    meta.nsslot = nsslot;
    meta.key = key;
    meta.max_depth = t.max_depth;

    w = dyad__mw_new();
    if (!w)
        goto oom;
    if (add(w, "meta", &meta, sizeof meta) || add(w, "str", db->pool, db->npool) ||
        add(w, "file", db->files, db->nfiles * sizeof *db->files) ||
        add(w, "ent", db->ents, db->nents * sizeof *db->ents) ||
        add(w, "role", roles, db->nroles * sizeof *roles) ||
        add(w, "node", t.nodes, t.nnodes * sizeof *t.nodes) ||
        add(w, "edge", t.edges, t.nedges * sizeof *t.edges) ||
        add(w, "term", t.terms, t.nterms * sizeof *t.terms) ||
        add(w, "root", root, nroot * sizeof *root) ||
        add(w, "pat", db->pats, db->npats * sizeof *db->pats) ||
        add(w, "elem", db->elems, db->nelems * sizeof *db->elems) ||
        add(w, "verb", db->verbs, db->nverbs * sizeof *db->verbs) ||
        add(w, "block", db->blocks, db->nblocks * sizeof *db->blocks) ||
        add(w, "vkey", vkeys, nvkeys * sizeof *vkeys) ||
        add(w, "vslot", vslots, nvslot * sizeof *vslots) ||
        add(w, "vlist", vlist, nvlist * sizeof *vlist) ||
        add(w, "set", db->sets, db->nsets * sizeof *db->sets) ||
        add(w, "sslot", sslots, nsslot * sizeof *sslots) ||
        add(w, "cameo", db->cameo, db->ncameo * sizeof *db->cameo) ||
        add(w, "unpat", unpat, nunpat * sizeof *unpat))
        goto oom;
    if (dyad__mw_serialise_as(w, DYAD_DICT_MAGIC, DYAD_DICT_FORMAT, buf, size))
        goto oom;
    goto done;
oom:
    st = dyad__fail(err, DYAD_ENOMEM, "out of memory building the dictionary");
done:
    dyad__mw_free(w);
    free(atom_order);
    free(t.rank);
    free(t.order);
    free(t.nodes);
    free(t.edges);
    free(t.terms);
    free(root);
    free(roles);
    free(vp);
    free(vlist);
    free(vkeys);
    free(vslots);
    free(sslots);
    free(unpat);
    return st;
}
