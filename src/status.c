/* status.c - status codes, error records, limits, the arena and growable arrays. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>

const char *dyad_strerror(dyad_status status)
{
    switch (status) {
    case DYAD_OK: return "ok";
    case DYAD_DONE: return "no more records";
    case DYAD_ENOMEM: return "out of memory";
    case DYAD_EINVAL: return "invalid argument";
    case DYAD_EIO: return "input/output error";
    case DYAD_EFORMAT: return "malformed input";
    case DYAD_ELIMIT: return "limit exceeded";
    case DYAD_ECORRUPT: return "corrupt or truncated file";
    case DYAD_EVERSION: return "wrong file kind or version";
    case DYAD_ENOTFOUND: return "not found";
    case DYAD_EUNSUPPORTED: return "not supported";
    default: return "unknown status";
    }
}

dyad_status dyad__fail(dyad_error *err, dyad_status code, const char *fmt, ...)
{
    if (err) {
        err->code = code;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return code;
}

void dyad__where(dyad_error *err, const char *file, long line, long col, dyad_slice record)
{
    if (!err)
        return;
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    err->line = line;
    err->col = col;
    size_t n = record.len < sizeof err->record - 1 ? record.len : sizeof err->record - 1;
    if (n)
        memcpy(err->record, record.ptr, n);
    err->record[n] = '\0';
}

void dyad_limits_default(dyad_limits *limits)
{
    limits->max_record_bytes = 8u << 20;
    limits->max_sentence_tokens = 400;
    limits->max_token_bytes = 256;
}

/* ---------------------------------------------------------------- arena */

#define ARENA_ALIGN 16u
#define ARENA_MIN_BLOCK (64u << 10)

static size_t align_up(size_t n)
{
    return (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
}

static size_t header_size(void)
{
    return align_up(sizeof(dyad_arena_block));
}

void dyad__arena_init(dyad_arena *a)
{
    a->head = NULL;
    a->total = 0;
}

void *dyad__arena_alloc(dyad_arena *a, size_t n)
{
    n = align_up(n ? n : 1);
    dyad_arena_block *b = a->head;
    if (!b || b->size - b->used < n) {
        size_t size = ARENA_MIN_BLOCK;
        while (size < n)
            size *= 2;
        if (b && size < b->size)
            size = b->size;
        dyad_arena_block *nb = malloc(header_size() + size);
        if (!nb)
            return NULL;
        nb->size = size;
        nb->used = 0;
        nb->next = b;
        a->head = nb;
        a->total += size;
        b = nb;
    }
    void *p = (char *)b + header_size() + b->used;
    b->used += n;
    return p;
}

char *dyad__arena_strdup(dyad_arena *a, const char *s, size_t n)
{
    char *p = dyad__arena_alloc(a, n + 1);
    if (!p)
        return NULL;
    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

/* Keep one block big enough for everything the last document used, so the next document of
 * the same size fits without malloc. */
void dyad__arena_reset(dyad_arena *a)
{
    if (!a->head)
        return;
    if (a->head->next) {
        size_t want = a->total;
        dyad__arena_free(a);
        dyad_arena_block *nb = malloc(header_size() + want);
        if (!nb)
            return;
        nb->size = want;
        nb->used = 0;
        nb->next = NULL;
        a->head = nb;
        a->total = want;
        return;
    }
    a->head->used = 0;
}

void dyad__arena_free(dyad_arena *a)
{
    dyad_arena_block *b = a->head;
    while (b) {
        dyad_arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
    a->total = 0;
}

dyad_status dyad__grow(void **ptr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return DYAD_OK;
    size_t ncap = *cap ? *cap : 16;
    while (ncap < need)
        ncap *= 2;
    void *p = realloc(*ptr, ncap * elem);
    if (!p)
        return DYAD_ENOMEM;
    *ptr = p;
    *cap = ncap;
    return DYAD_OK;
}
