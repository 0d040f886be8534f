/* model.c - the model file: header, checksum, named sections, mmap'd loading and writing. */
#include "internal.h"
#include "dict.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define HEADER_SIZE 32u
#define ENTRY_SIZE 32u
#define NAME_SIZE 16u
#define ALIGN 64u
#define MAX_SECTIONS 256u

static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t rd64(const unsigned char *p)
{
    return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

static void wr32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static void wr64(unsigned char *p, uint64_t v)
{
    wr32(p, (uint32_t)v);
    wr32(p + 4, (uint32_t)(v >> 32));
}

/* FNV-1a over 64-bit little-endian words (the tail zero-padded): fast enough to check a
 * 25 MB model in a few milliseconds. */
static uint64_t checksum(const unsigned char *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        h ^= rd64(p + i);
        h *= 0x100000001b3ull;
        h ^= h >> 29;
    }
    unsigned char tail[8] = {0};
    memcpy(tail, p + i, n - i);
    h ^= rd64(tail) ^ (uint64_t)(n - i);
    h *= 0x100000001b3ull;
    return h ^ (h >> 31);
}

/* ---------------------------------------------------------------- reading */

static dyad_status corrupt(dyad_error *err, const char *name, dyad_status code, const char *what)
{
    dyad__where(err, name, 0, 0, dyad__slice("", 0));
    return dyad__fail(err, code, "%s: %s", name, what);
}

static void unbind_all(dyad_model *m)
{
    dyad__parser_unbind(m);
    dyad__tagger_unbind(m);
    dyad__lemmas_unbind(m);
}

static dyad_status container_check(dyad__container *c, const char *magic, uint32_t version,
                                   const char *what, const char *hint, dyad_error *err);

/* Check the file as a container of the model's kind, then let each stage bind its sections. */
static dyad_status validate_and_bind(dyad_model *m, dyad_error *err)
{
    dyad__container c;
    memset(&c, 0, sizeof c);
    c.base = m->base;
    c.size = m->size;
    snprintf(c.path, sizeof c.path, "%s", m->path);
    dyad_status st = container_check(&c, DYAD_MODEL_MAGIC, DYAD_MODEL_FORMAT, "model",
                                     "retrain or update", err);
    if (st)
        return st;
    m->nsections = c.nsections;
    m->table = c.table;
    if ((st = dyad__lemmas_bind(m, err)) || (st = dyad__tagger_bind(m, err)) ||
        (st = dyad__parser_bind(m, err))) {
        unbind_all(m);
        return st;
    }
    return DYAD_OK;
}

const void *dyad__model_section(const dyad_model *m, const char *name, size_t *size)
{
    for (uint32_t i = 0; i < m->nsections; i++) {
        const unsigned char *e = m->table + (size_t)i * ENTRY_SIZE;
        if (strncmp((const char *)e, name, NAME_SIZE) == 0) {
            if (size)
                *size = (size_t)rd64(e + NAME_SIZE + 8);
            return m->base + rd64(e + NAME_SIZE);
        }
    }
    if (size)
        *size = 0;
    return NULL;
}

dyad_status dyad__model_from_memory(const unsigned char *buf, size_t size, bool own,
                                    const char *name, dyad_model **out, dyad_error *err)
{
    *out = NULL;
    dyad_model *m = calloc(1, sizeof *m);
    if (!m)
        return dyad__fail(err, DYAD_ENOMEM, "out of memory");
    m->base = buf;
    m->size = size;
    m->owned = own;
    snprintf(m->path, sizeof m->path, "%s", name ? name : "(memory)");
    dyad_status st = validate_and_bind(m, err);
    if (st) {
        m->owned = false;   /* the caller keeps buf on failure */
        dyad_model_free(m);
        return st;
    }
    *out = m;
    return DYAD_OK;
}

/* Map a whole file read-only (its pages read in at once: the tables are used at random). */
static dyad_status map_file(const char *path, const char *what, const unsigned char **base,
                            size_t *size, dyad_error *err)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        dyad__where(err, path, 0, 0, dyad__slice("", 0));
        return dyad__fail(err, errno == ENOENT ? DYAD_ENOTFOUND : DYAD_EIO,
                          "%s: cannot open %s: %s", path, what, strerror(errno));
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        close(fd);
        return corrupt(err, path, DYAD_EIO, "not a regular file");
    }
    if ((size_t)sb.st_size < HEADER_SIZE) {
        close(fd);
        char msg[120];
        snprintf(msg, sizeof msg, "not a dyad %s (file too short)", what);
        return corrupt(err, path, DYAD_ECORRUPT, msg);
    }
    int flags = MAP_PRIVATE;
#ifdef MAP_POPULATE
    flags |= MAP_POPULATE;
#endif
    void *p = mmap(NULL, (size_t)sb.st_size, PROT_READ, flags, fd, 0);
    close(fd);
    if (p == MAP_FAILED) {
        dyad__where(err, path, 0, 0, dyad__slice("", 0));
        return dyad__fail(err, DYAD_EIO, "%s: cannot map %s: %s", path, what, strerror(errno));
    }
    *base = p;
    *size = (size_t)sb.st_size;
    return DYAD_OK;
}

dyad_status dyad_model_open(const char *path, dyad_model **out, dyad_error *err)
{
    *out = NULL;
    if (!path)
        return dyad__fail(err, DYAD_EINVAL, "no model path");
    const unsigned char *p;
    size_t size;
    dyad_status st = map_file(path, "model", &p, &size, err);
    if (st)
        return st;
    dyad_model *m = calloc(1, sizeof *m);
    if (!m) {
        munmap((void *)p, size);
        return dyad__fail(err, DYAD_ENOMEM, "out of memory");
    }
    m->base = p;
    m->size = size;
    m->mapped = true;
    snprintf(m->path, sizeof m->path, "%s", path);
    st = validate_and_bind(m, err);
    if (st) {
        dyad_model_free(m);
        return st;
    }
    *out = m;
    return DYAD_OK;
}

void dyad_model_free(dyad_model *m)
{
    if (!m)
        return;
    unbind_all(m);
    if (m->mapped)
        munmap((void *)m->base, m->size);
    else if (m->owned)
        free((void *)m->base);
    free(m);
}

/* ---------------------------------------------------------------- writing */

typedef struct mw_section {
    char name[NAME_SIZE];
    unsigned char *data;
    size_t size;
} mw_section;

struct dyad__mw {
    mw_section *s;
    size_t n, cap;
};

dyad__mw *dyad__mw_new(void)
{
    return calloc(1, sizeof(dyad__mw));
}

void dyad__mw_free(dyad__mw *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->n; i++)
        free(w->s[i].data);
    free(w->s);
    free(w);
}

dyad_status dyad__mw_add(dyad__mw *w, const char *name, const void *data, size_t size)
{
    if (strlen(name) >= NAME_SIZE || w->n >= MAX_SECTIONS)
        return DYAD_EINVAL;
    for (size_t i = 0; i < w->n; i++)
        if (strcmp(w->s[i].name, name) == 0)
            return DYAD_EINVAL;
    if (DYAD_GROW(w->s, w->cap, w->n + 1))
        return DYAD_ENOMEM;
    mw_section *s = &w->s[w->n];
    memset(s, 0, sizeof *s);
    strcpy(s->name, name);
    s->data = malloc(size ? size : 1);
    if (!s->data)
        return DYAD_ENOMEM;
    if (size)
        memcpy(s->data, data, size);
    s->size = size;
    w->n++;
    return DYAD_OK;
}

static size_t align64(size_t n)
{
    return (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
}

dyad_status dyad__mw_serialise(const dyad__mw *w, unsigned char **buf, size_t *size)
{
    size_t off = align64(HEADER_SIZE + w->n * ENTRY_SIZE);
    size_t total = off;
    for (size_t i = 0; i < w->n; i++)
        total = align64(total) + w->s[i].size;
    total = align64(total);
    unsigned char *b = calloc(1, total);
    if (!b)
        return DYAD_ENOMEM;
    memcpy(b, DYAD_MODEL_MAGIC, 8);
    wr32(b + 8, DYAD_MODEL_FORMAT);
    wr32(b + 12, (uint32_t)w->n);
    wr64(b + 16, total);
    for (size_t i = 0; i < w->n; i++) {
        off = align64(off);
        unsigned char *e = b + HEADER_SIZE + i * ENTRY_SIZE;
        memcpy(e, w->s[i].name, NAME_SIZE);
        wr64(e + NAME_SIZE, off);
        wr64(e + NAME_SIZE + 8, w->s[i].size);
        memcpy(b + off, w->s[i].data, w->s[i].size);
        off += w->s[i].size;
    }
    wr64(b + 24, checksum(b + HEADER_SIZE, total - HEADER_SIZE));
    *buf = b;
    *size = total;
    return DYAD_OK;
}

dyad_status dyad__mw_write(const dyad__mw *w, const char *path, dyad_error *err)
{
    unsigned char *b;
    size_t n;
    if (dyad__mw_serialise(w, &b, &n))
        return dyad__fail(err, DYAD_ENOMEM, "out of memory writing the model");
    /* write to a temporary file and rename, so a reader never sees half a model */
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    dyad_status st = DYAD_OK;
    if (!f || fwrite(b, 1, n, f) != n) {
        st = DYAD_EIO;
    }
    if (f && fclose(f) != 0)
        st = DYAD_EIO;
    if (!st && rename(tmp, path) != 0)
        st = DYAD_EIO;
    free(b);
    if (st) {
        remove(tmp);
        dyad__where(err, path, 0, 0, dyad__slice("", 0));
        return dyad__fail(err, st, "%s: cannot write model: %s", path, strerror(errno));
    }
    return DYAD_OK;
}

/* ---------------------------------------------------------------- training corpora */

dyad_status dyad__corpus_load(dyad__corpus *c, const char *path, dyad_error *err)
{
    memset(c, 0, sizeof *c);
    dyad__arena_init(&c->strings);
    dyad_conllu *cu;
    dyad_status st = dyad_conllu_open(path, &cu, err);
    if (st)
        return st;
    dyad_doc *doc = dyad_doc_new();
    if (!doc) {
        dyad_conllu_free(cu);
        return dyad__fail(err, DYAD_ENOMEM, "out of memory");
    }
    while ((st = dyad_conllu_next(cu, doc, 0, err)) == DYAD_OK) {
        const dyad_token *gold = dyad_conllu_gold(cu);
        const dyad_token *toks = dyad_doc_tokens(doc);
        for (size_t i = 0; i < dyad_doc_nsentences(doc); i++) {
            const dyad_sentence *s = dyad_doc_sentence(doc, i);
            if (DYAD_GROW(c->sent_first, c->cap_first, c->nsents + 1) ||
                DYAD_GROW(c->sent_len, c->cap_len, c->nsents + 1) ||
                DYAD_GROW(c->toks, c->cap_toks, c->ntoks + s->ntokens)) {
                st = DYAD_ENOMEM;
                break;
            }
            c->sent_first[c->nsents] = (uint32_t)c->ntoks;
            c->sent_len[c->nsents] = s->ntokens;
            c->nsents++;
            for (uint32_t k = 0; k < s->ntokens; k++) {
                dyad_token t = gold[s->first + k];
                char *form = dyad__arena_strdup(&c->strings, t.form.ptr, t.form.len);
                char *lemma = dyad__arena_strdup(&c->strings, t.lemma.ptr, t.lemma.len);
                if (!form || !lemma) {
                    st = DYAD_ENOMEM;
                    break;
                }
                t.form = dyad__slice(form, t.form.len);
                t.lemma = dyad__slice(lemma, t.lemma.len);
                t.flags = toks[s->first + k].flags;
                t.start = t.end = 0;
                c->toks[c->ntoks++] = t;
            }
            if (st)
                break;
        }
        if (st)
            break;
    }
    dyad_doc_free(doc);
    dyad_conllu_free(cu);
    if (st == DYAD_ENOMEM)
        return dyad__fail(err, st, "out of memory loading %s", path);
    if (st != DYAD_DONE) {
        dyad__corpus_free(c);
        return st;
    }
    return DYAD_OK;
}

void dyad__corpus_free(dyad__corpus *c)
{
    if (!c)
        return;
    free(c->toks);
    free(c->sent_first);
    free(c->sent_len);
    dyad__arena_free(&c->strings);
    memset(c, 0, sizeof *c);
}

/* ---------------------------------------------------------------- generic containers */

/* The same layout under another magic (dictionaries: "DYADDICT"); see dict.h. */

static dyad_status container_check(dyad__container *c, const char *magic, uint32_t version,
                                   const char *what, const char *hint, dyad_error *err)
{
    const unsigned char *b = c->base;
    char msg[160];
    if (c->size < HEADER_SIZE) {
        snprintf(msg, sizeof msg, "not a dyad %s (file too short)", what);
        return corrupt(err, c->path, DYAD_ECORRUPT, msg);
    }
    if (memcmp(b, magic, 8) != 0) {
        if (memcmp(b, "DYAD", 4) == 0)
            snprintf(msg, sizeof msg, "a dyad %.8s file, not a %s", (const char *)b, what);
        else
            snprintf(msg, sizeof msg, "not a dyad %s (bad magic)", what);
        return corrupt(err, c->path, DYAD_EVERSION, msg);
    }
    uint32_t v = rd32(b + 8);
    if (v != version) {
        dyad__where(err, c->path, 0, 0, dyad__slice("", 0));
        return dyad__fail(err, DYAD_EVERSION, "%s: %s format %u, this dyad reads format %u: %s",
                          c->path, what, v, version, hint);
    }
    uint32_t n = rd32(b + 12);
    uint64_t size = rd64(b + 16);
    if (size != c->size) {
        snprintf(msg, sizeof msg, "truncated or padded %s file (size mismatch)", what);
        return corrupt(err, c->path, DYAD_ECORRUPT, msg);
    }
    if (n > MAX_SECTIONS || HEADER_SIZE + (uint64_t)n * ENTRY_SIZE > size)
        return corrupt(err, c->path, DYAD_ECORRUPT, "bad section table");
    if (checksum(b + HEADER_SIZE, c->size - HEADER_SIZE) != rd64(b + 24)) {
        snprintf(msg, sizeof msg, "checksum mismatch: the %s file is damaged", what);
        return corrupt(err, c->path, DYAD_ECORRUPT, msg);
    }
    c->nsections = n;
    c->table = b + HEADER_SIZE;
    for (uint32_t i = 0; i < n; i++) {
        const unsigned char *e = c->table + (size_t)i * ENTRY_SIZE;
        uint64_t off = rd64(e + NAME_SIZE), len = rd64(e + NAME_SIZE + 8);
        if (e[NAME_SIZE - 1] != 0 || off % ALIGN || off > size || len > size - off)
            return corrupt(err, c->path, DYAD_ECORRUPT, "bad section entry");
    }
    return DYAD_OK;
}

dyad_status dyad__container_from_memory(const unsigned char *buf, size_t size, bool own,
                                        const char *name, const char *magic, uint32_t version,
                                        const char *what, dyad__container *c, dyad_error *err)
{
    memset(c, 0, sizeof *c);
    c->base = buf;
    c->size = size;
    c->owned = own;
    snprintf(c->path, sizeof c->path, "%s", name ? name : "(memory)");
    dyad_status st = container_check(c, magic, version, what, "compile it again", err);
    if (st)
        dyad__container_close(c);
    return st;
}

dyad_status dyad__container_open(const char *path, const char *magic, uint32_t version,
                                 const char *what, dyad__container *c, dyad_error *err)
{
    memset(c, 0, sizeof *c);
    if (!path)
        return dyad__fail(err, DYAD_EINVAL, "no %s path", what);
    dyad_status st = map_file(path, what, &c->base, &c->size, err);
    if (st)
        return st;
    c->mapped = true;
    snprintf(c->path, sizeof c->path, "%s", path);
    st = container_check(c, magic, version, what, "compile it again", err);
    if (st)
        dyad__container_close(c);
    return st;
}

void dyad__container_close(dyad__container *c)
{
    if (!c)
        return;
    if (c->mapped)
        munmap((void *)c->base, c->size);
    else if (c->owned)
        free((void *)c->base);
    memset(c, 0, sizeof *c);
}

const void *dyad__container_section(const dyad__container *c, const char *name, size_t *size)
{
    for (uint32_t i = 0; i < c->nsections; i++) {
        const unsigned char *e = c->table + (size_t)i * ENTRY_SIZE;
        if (strncmp((const char *)e, name, NAME_SIZE) == 0) {
            if (size)
                *size = (size_t)rd64(e + NAME_SIZE + 8);
            return c->base + rd64(e + NAME_SIZE);
        }
    }
    if (size)
        *size = 0;
    return NULL;
}

dyad_status dyad__mw_serialise_as(const dyad__mw *w, const char *magic, uint32_t version,
                                  unsigned char **buf, size_t *size)
{
    dyad_status st = dyad__mw_serialise(w, buf, size);
    if (st)
        return st;
    memcpy(*buf, magic, 8);          /* the header is not covered by the checksum */
    wr32(*buf + 8, version);
    return DYAD_OK;
}

dyad_status dyad__mw_write_as(const dyad__mw *w, const char *path, const char *magic,
                              uint32_t version, dyad_error *err)
{
    unsigned char *b;
    size_t n;
    if (dyad__mw_serialise_as(w, magic, version, &b, &n))
        return dyad__fail(err, DYAD_ENOMEM, "out of memory writing %s", path);
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    dyad_status st = DYAD_OK;
    int saved = 0;
    if (!f || fwrite(b, 1, n, f) != n) {
        st = DYAD_EIO;
        saved = errno;
    }
    if (f && fclose(f) != 0 && !st) {
        st = DYAD_EIO;
        saved = errno;
    }
    if (!st && rename(tmp, path) != 0) {
        st = DYAD_EIO;
        saved = errno;
    }
    free(b);
    if (st) {
        remove(tmp);
        dyad__where(err, path, 0, 0, dyad__slice("", 0));
        return dyad__fail(err, st, "%s: cannot write: %s", path, strerror(saved));
    }
    return DYAD_OK;
}
