/* read.h - internals shared by the input readers: the byte source and the reader state. */
#ifndef DYAD_READ_H
#define DYAD_READ_H

#include "internal.h"

#include <stdint.h>
#include <zlib.h>

#define DYAD__SRC_BLOCK (64u << 10)   /* bytes read from the input at a time */
#define DYAD__SRC_PEEK 16u            /* look-ahead the parsers may ask for */
#define DYAD__JSON_DEPTH 256          /* deepest JSON nesting accepted */

struct archive;

/* How the input bytes are decoded. */
enum { DYAD__DEC_NONE = 0, DYAD__DEC_GZIP, DYAD__DEC_ZSTD, DYAD__DEC_ARCHIVE };

struct dyad_reader {
    /* raw input: a file descriptor or a buffer in memory */
    int fd;
    bool close_fd;
    const unsigned char *mem;
    size_t mem_len, mem_pos;
    unsigned char *raw;            /* block buffer for fd reads */
    const unsigned char *chunk;    /* raw bytes read and not yet handed to the decoder */
    size_t chunk_len;
    bool raw_eof;
    uint64_t raw_done, raw_total;

    /* decoder */
    int dec;
    z_stream z;
    bool z_ready, z_member_end;
    struct ZSTD_DCtx_s *zs;
    bool zs_frame_end, zs_pending;
    struct archive *ar;

    /* decoded bytes: in[in_pos, in_len) are unread */
    unsigned char *in;
    size_t in_pos, in_len;
    bool in_eof;                   /* the decoder has nothing more */
    bool failed;                   /* the stream failed: fail_msg says why */
    bool done;                     /* DYAD_DONE from now on */
    char fail_msg[200];
    long line;                     /* line of in[in_pos] (1-based) */

    /* options */
    dyad_input_format format;
    dyad_limits limits;
    char *name;                    /* the input's name for records and errors */
    char *id;                      /* the id of a plain-text article */
    char default_date[11];         /* "" when none */

    /* the current record's bytes */
    char *rec;
    size_t rec_len, rec_cap;
    char date[11];

    /* JSON nesting of the value being skipped */
    unsigned char nest[DYAD__JSON_DEPTH];
};

/* Read more decoded bytes into r->in, keeping the unread ones.  Returns the number of new
 * bytes; 0 at the end of the input or when the stream failed (r->failed is then set). */
size_t dyad__src_fill(dyad_reader *r);

/* Make at least n (<= DYAD__SRC_PEEK) unread bytes available when the input has them;
 * returns the number available (less than n only near the end). */
size_t dyad__src_peek(dyad_reader *r, size_t n);

/* Next byte, or -1 at the end; counts lines.  The byte just read can be given back with
 * r->in_pos-- (dyad__src_fill keeps one byte of history for that). */
static inline int dyad__src_getc(dyad_reader *r)
{
    if (r->in_pos == r->in_len && !dyad__src_fill(r))
        return -1;
    int c = r->in[r->in_pos++];
    if (c == '\n')
        r->line++;
    return c;
}

/* Report the stream failure (DYAD_EIO naming the input and line) and end the reader. */
dyad_status dyad__src_failure(dyad_reader *r, dyad_error *err);

/* Append n bytes to the record buffer, which never grows past max_record_bytes + slack.
 * Returns 0, or DYAD_ELIMIT when they do not fit (nothing is appended), or DYAD_ENOMEM. */
dyad_status dyad__rec_append(dyad_reader *r, const void *p, size_t n);

/* Parse a date given as YYYY-MM-DD (optionally followed by a time: "T10:00:00Z",
 * " 10:00") or YYYYMMDD into out as YYYY-MM-DD.  Returns 1 when it is a real calendar
 * day, 0 when it looks like a date but is not a real day, -1 when it is not in one of
 * those shapes. */
int dyad__date_parse(dyad_slice s, char out[11]);

/* Write the UTF-8 bytes of code point cp (at most 4) to w; returns how many.  A lone
 * surrogate gets its 3-byte form, which the document layer reports and replaces. */
size_t dyad__utf8_put(char *w, unsigned cp);

dyad_status dyad__jsonl_next(dyad_reader *r, dyad_record *rec, dyad_error *err);
dyad_status dyad__petrarch_next(dyad_reader *r, dyad_record *rec, dyad_error *err);

#endif /* DYAD_READ_H */
