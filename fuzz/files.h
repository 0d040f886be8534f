/* files.h - helpers of the fuzz targets that go through files: a private temporary directory,
 * writing and reading whole files, the container checksum, and byte-edit scripts that corrupt
 * a valid model or compiled dictionary. */
#ifndef DYAD_FUZZ_FILES_H
#define DYAD_FUZZ_FILES_H

#include "fuzz.h"

#include <dirent.h>
#include <sys/stat.h>
#include <stdio.h>
#include <unistd.h>

/* A directory of this process under $TMPDIR (or /tmp), created on first use and emptied at
 * exit.  The fuzz harness keeps its state in statics: it is a test driver, not the library. */
static char fuzz_dir_path[512];

static void fuzz_dir_cleanup(void)
{
    if (!fuzz_dir_path[0])
        return;
    DIR *d = opendir(fuzz_dir_path);
    struct dirent *e;
    char p[1024];
    while (d && (e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(p, sizeof p, "%s/%s", fuzz_dir_path, e->d_name);
        remove(p);
    }
    if (d)
        closedir(d);
    rmdir(fuzz_dir_path);
    fuzz_dir_path[0] = 0;
}

static inline const char *fuzz_dir(void)
{
    if (!fuzz_dir_path[0]) {
        const char *t = getenv("TMPDIR");
        snprintf(fuzz_dir_path, sizeof fuzz_dir_path, "%s/dyad-fuzz-XXXXXX", t && *t ? t : "/tmp");
        if (!mkdtemp(fuzz_dir_path))
            abort();
        atexit(fuzz_dir_cleanup);
    }
    return fuzz_dir_path;
}

/* The path of file name in the private directory (a static buffer per call site is not
 * needed: the caller gives the buffer). */
static inline const char *fuzz_path(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "%s/%s", fuzz_dir(), name);
    return buf;
}

static inline void fuzz_write(const char *path, const void *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0)
        abort();
}

static inline unsigned char *fuzz_read(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0, got;
    unsigned char *b = malloc(cap);
    while (b && (got = fread(b + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            unsigned char *nb = realloc(b, cap * 2);
            if (!nb) {
                free(b);
                b = NULL;
                break;
            }
            b = nb;
            cap *= 2;
        }
    }
    fclose(f);
    *size = n;
    return b;
}

/* ---------------------------------------------------------------- containers */

/* Model and compiled dictionary files share one layout (src/internal.h): a 32-byte header
 * (magic, u32 version, u32 sections, u64 size, u64 checksum), then the section table. */
#define FUZZ_HEADER 32u

static inline uint64_t fuzz_rd64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

static inline void fuzz_wr64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* The container checksum (the same function as src/model.c's): FNV-1a over little-endian
 * 64-bit words, the tail zero-padded. */
static inline uint64_t fuzz_checksum(const unsigned char *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        h ^= fuzz_rd64(p + i);
        h *= 0x100000001b3ull;
        h ^= h >> 29;
    }
    unsigned char tail[8] = {0};
    memcpy(tail, p + i, n - i);
    h ^= fuzz_rd64(tail) ^ (uint64_t)(n - i);
    h *= 0x100000001b3ull;
    return h ^ (h >> 31);
}

/* Apply an edit script to a copy of the valid file base[0, size) and return it (malloc'd, its
 * length in *out_size).  The script's first byte is a mode:
 *   bits 0-2 != 0   recompute the checksum afterwards (so the tables themselves are checked:
 *                   7 runs in 8), bit 3: keep the header's size field as it was (else it is
 *                   set to the new size);
 * then 8-byte edits {op, pos[3], value[4]} with pos taken modulo the current size:
 *   op % 5 == 0  xor one byte with value          1  write the 32-bit value (4-aligned pos)
 *            2   insert one byte                  3  delete one byte
 *            4   truncate to pos bytes (the header kept). */
static inline unsigned char *fuzz_corrupt(const unsigned char *base, size_t size,
                                          const uint8_t *script, size_t nscript,
                                          size_t *out_size)
{
    size_t cap = size + nscript / 8 + 16, n = size;
    unsigned char *b = malloc(cap);
    if (!b)
        abort();
    memcpy(b, base, size);
    uint8_t mode = nscript ? script[0] : 0;
    for (size_t k = 1; k + 8 <= nscript; k += 8) {
        const uint8_t *e = script + k;
        if (n == 0)
            break;
        size_t pos = ((size_t)e[1] | (size_t)e[2] << 8 | (size_t)e[3] << 16) % n;
        uint32_t v = (uint32_t)e[4] | (uint32_t)e[5] << 8 | (uint32_t)e[6] << 16 |
                     (uint32_t)e[7] << 24;
        switch (e[0] % 5) {
        case 0: b[pos] ^= (unsigned char)(v ? v : 1); break;
        case 1:
            pos &= ~(size_t)3;
            for (int i = 0; i < 4 && pos + (size_t)i < n; i++)
                b[pos + (size_t)i] = (unsigned char)(v >> (8 * i));
            break;
        case 2:
            memmove(b + pos + 1, b + pos, n - pos);
            b[pos] = (unsigned char)v;
            n++;
            break;
        case 3:
            memmove(b + pos, b + pos + 1, n - pos - 1);
            n--;
            break;
        default:
            n = pos < FUZZ_HEADER ? (n < FUZZ_HEADER ? n : FUZZ_HEADER) : pos;
            break;
        }
    }
    if (n >= FUZZ_HEADER) {
        if (!(mode & 8))
            fuzz_wr64(b + 16, n);
        if (mode & 7)
            fuzz_wr64(b + 24, fuzz_checksum(b + FUZZ_HEADER, n - FUZZ_HEADER));
    }
    *out_size = n;
    return b;
}

#endif
