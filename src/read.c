/* read.c - input readers: opening files, stdin and buffers, decompression, plain-text articles. */
#include "read.h"

#include <archive.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

/* ---------------------------------------------------------------- failures */

static void src_fail(dyad_reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Mark the stream failed (the first failure is the one reported). */
static void src_fail(dyad_reader *r, const char *fmt, ...)
{
    if (r->failed)
        return;
    r->failed = true;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->fail_msg, sizeof r->fail_msg, fmt, ap);
    va_end(ap);
}

dyad_status dyad__src_failure(dyad_reader *r, dyad_error *err)
{
    r->done = true;
    dyad__where(err, r->name, r->line, 0, dyad__slice("", 0));
    return dyad__fail(err, DYAD_EIO, "%s; reading stopped", r->fail_msg);
}

/* ---------------------------------------------------------------- raw bytes */

/* Make r->chunk hold unconsumed raw bytes; false at the end of the input or on a read error. */
static bool raw_next(dyad_reader *r)
{
    if (r->chunk_len)
        return true;
    if (r->raw_eof)
        return false;
    if (r->mem) {
        if (r->mem_pos == r->mem_len) {
            r->raw_eof = true;
            return false;
        }
        r->chunk = r->mem + r->mem_pos;
        r->chunk_len = r->mem_len - r->mem_pos;
        r->mem_pos = r->mem_len;
        return true;
    }
    for (;;) {
        ssize_t n = read(r->fd, r->raw, DYAD__SRC_BLOCK);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            r->raw_eof = true;
            if (n < 0)
                src_fail(r, "read error: %s", strerror(errno));
            return false;
        }
        r->chunk = r->raw;
        r->chunk_len = (size_t)n;
        return true;
    }
}

static void raw_consume(dyad_reader *r, size_t n)
{
    r->chunk += n;
    r->chunk_len -= n;
    r->raw_done += n;
}

/* ---------------------------------------------------------------- decoders */

/* gzip through zlib, which checks each member's CRC and length; members may be concatenated. */
static size_t gzip_read(dyad_reader *r, unsigned char *out, size_t cap)
{
    z_stream *z = &r->z;
    z->next_out = out;
    z->avail_out = (uInt)cap;
    while (z->avail_out == cap) {
        if (!raw_next(r)) {
            if (!r->failed) {
                if (r->z_member_end)
                    r->in_eof = true;
                else
                    src_fail(r, "truncated gzip data");
            }
            break;
        }
        if (r->z_member_end) {
            if (r->chunk[0] != 0x1f) {
                src_fail(r, "unexpected bytes after the end of the gzip data");
                break;
            }
            inflateReset(z);
            r->z_member_end = false;
        }
        z->next_in = (Bytef *)r->chunk;
        z->avail_in = (uInt)(r->chunk_len > UINT32_MAX ? UINT32_MAX : r->chunk_len);
        uInt before = z->avail_in;
        int rc = inflate(z, Z_NO_FLUSH);
        raw_consume(r, before - z->avail_in);
        if (rc == Z_STREAM_END) {
            r->z_member_end = true;
        } else if (rc == Z_MEM_ERROR) {
            src_fail(r, "out of memory decompressing gzip data");
            break;
        } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
            src_fail(r, "corrupt gzip data: %s", z->msg ? z->msg : "invalid data");
            break;
        }
    }
    return cap - z->avail_out;
}

/* zstd through libzstd, which checks each frame's checksum; frames may be concatenated. */
static size_t zstd_read(dyad_reader *r, unsigned char *out, size_t cap)
{
    ZSTD_outBuffer ob = {out, cap, 0};
    while (ob.pos == 0) {
        if (!r->chunk_len && !r->zs_pending && !raw_next(r)) {
            if (!r->failed) {
                if (r->zs_frame_end)
                    r->in_eof = true;
                else
                    src_fail(r, "truncated zstd data");
            }
            break;
        }
        ZSTD_inBuffer ib = {r->chunk, r->chunk_len, 0};
        size_t rc = ZSTD_decompressStream(r->zs, &ob, &ib);
        raw_consume(r, ib.pos);
        if (ZSTD_isError(rc)) {
            src_fail(r, "corrupt zstd data: %s", ZSTD_getErrorName(rc));
            break;
        }
        r->zs_frame_end = rc == 0;
        r->zs_pending = ob.pos == ob.size;   /* more output may wait without more input */
    }
    return ob.pos;
}

static la_ssize_t archive_feed(struct archive *a, void *ud, const void **buf)
{
    dyad_reader *r = ud;
    if (!raw_next(r)) {
        if (r->failed) {
            archive_set_error(a, EIO, "%s", r->fail_msg);
            return -1;
        }
        return 0;
    }
    *buf = r->chunk;
    size_t n = r->chunk_len;
    raw_consume(r, n);
    return (la_ssize_t)n;
}

static size_t archive_take(dyad_reader *r, unsigned char *out, size_t cap)
{
    for (;;) {
        la_ssize_t n = archive_read_data(r->ar, out, cap);
        if (n > 0)
            return (size_t)n;
        if (n == 0) {
            r->in_eof = true;
            return 0;
        }
        if (n == ARCHIVE_RETRY)
            continue;
        src_fail(r, "corrupt or truncated compressed data: %s", archive_error_string(r->ar));
        return 0;
    }
}

/* Choose the decoder from the first raw bytes: gzip and zstd directly (so that a damaged
 * stream delivers everything before the damage and checksums are checked), the other
 * compressions through libarchive, which also passes plain bytes through. */
static void decoder_start(dyad_reader *r)
{
    if (!raw_next(r)) {
        r->in_eof = true;
        return;
    }
    if (r->chunk_len >= 2 && r->chunk[0] == 0x1f && r->chunk[1] == 0x8b) {
        memset(&r->z, 0, sizeof r->z);
        if (inflateInit2(&r->z, 16 + MAX_WBITS) != Z_OK) {
            src_fail(r, "cannot start gzip decompression");
            return;
        }
        r->z_ready = true;
        r->dec = DYAD__DEC_GZIP;
        return;
    }
    static const unsigned char zstd_magic[4] = {0x28, 0xB5, 0x2F, 0xFD};
    if (r->chunk_len >= 4 && memcmp(r->chunk, zstd_magic, 4) == 0) {
        r->zs = ZSTD_createDCtx();
        if (!r->zs) {
            src_fail(r, "out of memory starting zstd decompression");
            return;
        }
        r->dec = DYAD__DEC_ZSTD;
        return;
    }
    r->ar = archive_read_new();
    if (!r->ar) {
        src_fail(r, "out of memory starting decompression");
        return;
    }
    r->dec = DYAD__DEC_ARCHIVE;
    /* The in-process decompressors only: no uudecode, no external programs. */
    archive_read_support_filter_bzip2(r->ar);
    archive_read_support_filter_xz(r->ar);
    archive_read_support_filter_lzma(r->ar);
    archive_read_support_filter_zstd(r->ar);
    archive_read_support_filter_lz4(r->ar);
    archive_read_support_filter_compress(r->ar);
    archive_read_support_format_raw(r->ar);
    archive_read_support_format_empty(r->ar);
    struct archive_entry *entry;
    if (archive_read_open(r->ar, r, NULL, archive_feed, NULL) != ARCHIVE_OK) {
        src_fail(r, "corrupt or truncated compressed data: %s", archive_error_string(r->ar));
        return;
    }
    int rc = archive_read_next_header(r->ar, &entry);
    if (rc == ARCHIVE_EOF)
        r->in_eof = true;
    else if (rc < ARCHIVE_WARN)
        src_fail(r, "corrupt or truncated compressed data: %s", archive_error_string(r->ar));
}

size_t dyad__src_fill(dyad_reader *r)
{
    if (r->failed || r->in_eof)
        return 0;
    /* keep the unread bytes and the one before them (parsers may give a byte back) */
    size_t keep = r->in_pos ? 1 : 0, left = r->in_len - r->in_pos;
    if (r->in_pos > 1) {
        memmove(r->in, r->in + r->in_pos - keep, left + keep);
        r->in_pos = keep;
        r->in_len = left + keep;
    }
    size_t room = DYAD__SRC_BLOCK + DYAD__SRC_PEEK - r->in_len;
    if (!room)
        return 0;
    size_t n = 0;
    while (n == 0 && !r->failed && !r->in_eof) {
        if (r->dec == DYAD__DEC_GZIP)
            n = gzip_read(r, r->in + r->in_len, room);
        else if (r->dec == DYAD__DEC_ZSTD)
            n = zstd_read(r, r->in + r->in_len, room);
        else if (r->dec == DYAD__DEC_ARCHIVE)
            n = archive_take(r, r->in + r->in_len, room);
        else
            r->in_eof = true;
    }
    r->in_len += n;
    return n;
}

size_t dyad__src_peek(dyad_reader *r, size_t n)
{
    while (r->in_len - r->in_pos < n && dyad__src_fill(r))
        ;
    return r->in_len - r->in_pos;
}

/* ---------------------------------------------------------------- the record buffer */

dyad_status dyad__rec_append(dyad_reader *r, const void *p, size_t n)
{
    size_t max = r->limits.max_record_bytes;
    if (n > max - r->rec_len)
        return DYAD_ELIMIT;
    size_t need = r->rec_len + n;
    if (need > r->rec_cap) {
        size_t cap = r->rec_cap ? r->rec_cap : 4096;
        while (cap < need)
            cap = cap > SIZE_MAX / 2 ? need : cap * 2;
        if (cap > max)
            cap = max;
        char *q = realloc(r->rec, cap);
        if (!q)
            return DYAD_ENOMEM;
        r->rec = q;
        r->rec_cap = cap;
    }
    if (n)
        memcpy(r->rec + r->rec_len, p, n);
    r->rec_len = need;
    return DYAD_OK;
}

/* ---------------------------------------------------------------- names and formats */

static const char *const compression_suffixes[] = {".gz", ".gzip", ".zst", ".zstd", ".bz2",
                                                   ".xz", ".lzma", ".lz4", ".Z"};

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* Length of name without its compression suffix, if any. */
static size_t strip_compression(const char *name, size_t n)
{
    for (size_t i = 0; i < sizeof compression_suffixes / sizeof *compression_suffixes; i++) {
        size_t k = strlen(compression_suffixes[i]);
        if (n > k && strncasecmp(name + n - k, compression_suffixes[i], k) == 0)
            return n - k;
    }
    return n;
}

/* The extension of name[0, n) ("" when none). */
static dyad_slice extension(const char *name, size_t n)
{
    for (size_t i = n; i > 0; i--)
        if (name[i - 1] == '.')
            return i - 1 > 0 ? dyad__slice(name + i, n - i) : dyad__slice("", 0);
    return dyad__slice("", 0);
}

static bool ext_is(dyad_slice ext, const char *e)
{
    return ext.len == strlen(e) && strncasecmp(ext.ptr, e, ext.len) == 0;
}

/* Format by the file name; DYAD_INPUT_AUTO when the extension says nothing. */
static dyad_input_format format_from_name(const char *path)
{
    const char *b = base_name(path);
    dyad_slice ext = extension(b, strip_compression(b, strlen(b)));
    if (ext_is(ext, "jsonl") || ext_is(ext, "json") || ext_is(ext, "ndjson"))
        return DYAD_INPUT_JSONL;
    if (ext_is(ext, "xml"))
        return DYAD_INPUT_PETRARCH;
    if (ext_is(ext, "conllu"))
        return DYAD_INPUT_CONLLU;
    if (ext_is(ext, "txt") || ext_is(ext, "text"))
        return DYAD_INPUT_TEXT;
    return DYAD_INPUT_AUTO;
}

/* The id of a plain-text article: the base name without compression suffix and extension. */
static char *article_id(const char *path)
{
    const char *b = base_name(path);
    size_t n = strip_compression(b, strlen(b));
    dyad_slice ext = extension(b, n);
    if (ext.len || (n && b[n - 1] == '.'))
        n -= ext.len + 1;
    if (n == 0)
        n = strlen(b);
    char *id = malloc(n + 1);
    if (id) {
        memcpy(id, b, n);
        id[n] = '\0';
    }
    return id;
}

/* Format of a stream by its first non-blank byte: '{' JSONL, '<' PETRARCH, else text. */
static dyad_input_format sniff(dyad_reader *r)
{
    size_t avail = dyad__src_peek(r, DYAD__SRC_PEEK);
    for (size_t i = 0;; i++) {
        if (i == avail) {
            if (avail >= DYAD__SRC_BLOCK || !dyad__src_fill(r))
                return DYAD_INPUT_TEXT;
            avail = r->in_len - r->in_pos;
        }
        unsigned char c = r->in[r->in_pos + i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
            continue;
        return c == '{' ? DYAD_INPUT_JSONL : c == '<' ? DYAD_INPUT_PETRARCH : DYAD_INPUT_TEXT;
    }
}

/* ---------------------------------------------------------------- opening and closing */

void dyad_reader_opts_default(dyad_reader_opts *opts)
{
    if (!opts)
        return;
    memset(opts, 0, sizeof *opts);
    opts->format = DYAD_INPUT_AUTO;
    dyad_limits_default(&opts->limits);
}

void dyad_reader_free(dyad_reader *r)
{
    if (!r)
        return;
    if (r->ar)
        archive_read_free(r->ar);
    if (r->z_ready)
        inflateEnd(&r->z);
    ZSTD_freeDCtx(r->zs);
    if (r->close_fd && r->fd >= 0)
        close(r->fd);
    free(r->raw);
    free(r->in);
    free(r->name);
    free(r->id);
    free(r->rec);
    free(r);
}

static char *copy_str(const char *s)
{
    size_t n = strlen(s);
    char *c = malloc(n + 1);
    if (c)
        memcpy(c, s, n + 1);
    return c;
}

/* A reader with its options and buffers, not yet attached to an input. */
static dyad_status reader_new(const char *name, const dyad_reader_opts *opts, dyad_reader **out,
                              dyad_error *err)
{
    dyad_reader_opts def;
    if (!opts) {
        dyad_reader_opts_default(&def);
        opts = &def;
    }
    if ((int)opts->format < (int)DYAD_INPUT_AUTO || (int)opts->format > (int)DYAD_INPUT_CONLLU) {
        dyad__where(err, name, 0, 0, dyad__slice("", 0));
        return dyad__fail(err, DYAD_EINVAL, "unknown input format %d", (int)opts->format);
    }
    dyad_slice dd = dyad__cstr(opts->default_date);
    if (dd.len && !dyad_date_valid(dd)) {
        dyad__where(err, name, 0, 0, dyad__slice("", 0));
        return dyad__fail(err, DYAD_EINVAL, "default date '%.40s' is not a real day as YYYY-MM-DD",
                          opts->default_date);
    }
    dyad_reader *r = calloc(1, sizeof *r);
    if (!r)
        return dyad__fail(err, DYAD_ENOMEM, "out of memory opening %s", name);
    r->fd = -1;
    r->line = 1;
    r->format = opts->format;
    r->limits = opts->limits;
    dyad_limits def_limits;
    dyad_limits_default(&def_limits);
    if (!r->limits.max_record_bytes)
        r->limits.max_record_bytes = def_limits.max_record_bytes;
    if (!r->limits.max_sentence_tokens)
        r->limits.max_sentence_tokens = def_limits.max_sentence_tokens;
    if (!r->limits.max_token_bytes)
        r->limits.max_token_bytes = def_limits.max_token_bytes;
    if (dd.len)
        memcpy(r->default_date, dd.ptr, 10);
    r->name = copy_str(name);
    r->id = opts->default_id && opts->default_id[0] ? copy_str(opts->default_id)
                                                    : article_id(name);
    r->in = malloc(DYAD__SRC_BLOCK + DYAD__SRC_PEEK);
    if (!r->name || !r->id || !r->in) {
        dyad_reader_free(r);
        return dyad__fail(err, DYAD_ENOMEM, "out of memory opening %s", name);
    }
    *out = r;
    return DYAD_OK;
}

/* Start decoding, skip a byte-order mark and settle the format. */
static dyad_status reader_start(dyad_reader *r, bool sniff_unknown, dyad_error *err)
{
    decoder_start(r);
    if (dyad__src_peek(r, 3) >= 3 && memcmp(r->in + r->in_pos, "\xEF\xBB\xBF", 3) == 0)
        r->in_pos += 3;
    if (r->format == DYAD_INPUT_AUTO) {
        r->format = format_from_name(r->name);
        if (r->format == DYAD_INPUT_AUTO)
            r->format = sniff_unknown ? sniff(r) : DYAD_INPUT_TEXT;
    }
    if (r->format == DYAD_INPUT_CONLLU) {
        dyad__where(err, r->name, 0, 0, dyad__slice("", 0));
        return dyad__fail(err, DYAD_EUNSUPPORTED,
                          "CoNLL-U holds sentences, not articles: read it with dyad_conllu_open");
    }
    return DYAD_OK;
}

dyad_status dyad_reader_open(const char *path, const dyad_reader_opts *opts, dyad_reader **out,
                             dyad_error *err)
{
    if (!out)
        return dyad__fail(err, DYAD_EINVAL, "no place for the reader");
    *out = NULL;
    bool is_stdin = !path || strcmp(path, "-") == 0;
    dyad_reader *r;
    dyad_status st = reader_new(is_stdin ? "-" : path, opts, &r, err);
    if (st)
        return st;
    if (is_stdin) {
        free(r->id);
        r->id = copy_str(opts && opts->default_id && opts->default_id[0] ? opts->default_id
                                                                          : "stdin");
        r->fd = 0;
    } else {
        r->fd = open(path, O_RDONLY | O_CLOEXEC);
        if (r->fd < 0) {
            int e = errno;
            dyad__where(err, path, 0, 0, dyad__slice("", 0));
            dyad_reader_free(r);
            return dyad__fail(err, DYAD_EIO, "cannot open: %s", strerror(e));
        }
        r->close_fd = true;
        struct stat sb;
        if (fstat(r->fd, &sb) == 0) {
            if (S_ISDIR(sb.st_mode)) {
                dyad__where(err, path, 0, 0, dyad__slice("", 0));
                dyad_reader_free(r);
                return dyad__fail(err, DYAD_EIO, "cannot read: it is a directory");
            }
            if (S_ISREG(sb.st_mode))
                r->raw_total = (uint64_t)sb.st_size;
        }
    }
    r->raw = malloc(DYAD__SRC_BLOCK);
    if (!r->id || !r->raw) {
        dyad_reader_free(r);
        return dyad__fail(err, DYAD_ENOMEM, "out of memory opening %s", path ? path : "-");
    }
    st = reader_start(r, is_stdin, err);
    if (st) {
        dyad_reader_free(r);
        return st;
    }
    *out = r;
    return DYAD_OK;
}

dyad_status dyad_reader_open_memory(const void *buf, size_t len, const char *name,
                                    const dyad_reader_opts *opts, dyad_reader **out,
                                    dyad_error *err)
{
    if (!out || (!buf && len))
        return dyad__fail(err, DYAD_EINVAL, "no buffer or no place for the reader");
    *out = NULL;
    dyad_reader *r;
    dyad_status st = reader_new(name && name[0] ? name : "memory", opts, &r, err);
    if (st)
        return st;
    r->mem = buf ? buf : (const unsigned char *)"";
    r->mem_len = len;
    r->raw_total = len;
    st = reader_start(r, true, err);
    if (st) {
        dyad_reader_free(r);
        return st;
    }
    *out = r;
    return DYAD_OK;
}

void dyad_reader_progress(const dyad_reader *r, uint64_t *done, uint64_t *total)
{
    if (done)
        *done = r ? r->raw_done : 0;
    if (total)
        *total = r ? r->raw_total : 0;
}

/* ---------------------------------------------------------------- plain text */

static bool blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r' && s[i] != '\f' &&
            s[i] != '\v')
            return false;
    return true;
}

/* The whole stream is one article, kept up to max_record_bytes. */
static dyad_status text_next(dyad_reader *r, dyad_record *rec, dyad_error *err)
{
    uint64_t total = 0;
    dyad_status over = DYAD_OK;
    r->rec_len = 0;
    for (;;) {
        size_t avail = r->in_len - r->in_pos;
        if (!avail && !(avail = dyad__src_fill(r)))
            break;
        if (!over)
            over = dyad__rec_append(r, r->in + r->in_pos, avail);
        total += avail;
        r->in_pos = r->in_len;
    }
    if (r->failed)
        return dyad__src_failure(r, err);
    r->done = true;
    dyad_slice id = dyad__cstr(r->id);
    dyad__where(err, r->name, 1, 0, id);
    if (over == DYAD_ELIMIT)
        return dyad__fail(err, DYAD_ELIMIT, "article of %llu bytes exceeds the limit of %zu bytes",
                          (unsigned long long)total, r->limits.max_record_bytes);
    if (over)
        return dyad__fail(err, over, "out of memory reading the article");
    if (blank(r->rec, r->rec_len))
        return dyad__fail(err, DYAD_EFORMAT, "empty text");
    rec->id = id;
    rec->date = dyad__cstr(r->default_date);
    rec->text = dyad__slice(r->rec, r->rec_len);
    rec->line = 1;
    return DYAD_OK;
}

dyad_status dyad_reader_next(dyad_reader *r, dyad_record *rec, dyad_error *err)
{
    if (!r || !rec)
        return dyad__fail(err, DYAD_EINVAL, "no reader or record");
    memset(rec, 0, sizeof *rec);
    rec->file = r->name;
    if (r->done)
        return DYAD_DONE;
    switch (r->format) {
    case DYAD_INPUT_JSONL: return dyad__jsonl_next(r, rec, err);
    case DYAD_INPUT_PETRARCH: return dyad__petrarch_next(r, rec, err);
    default: return text_next(r, rec, err);
    }
}

/* UTF-8 bytes of cp; a lone surrogate gets its 3-byte form, which the document layer then
 * reports and replaces as invalid UTF-8. */
size_t dyad__utf8_put(char *w, unsigned cp)
{
    if (cp < 0x80) {
        w[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        w[0] = (char)(0xC0 | (cp >> 6));
        w[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        w[0] = (char)(0xE0 | (cp >> 12));
        w[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        w[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    w[0] = (char)(0xF0 | (cp >> 18));
    w[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    w[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    w[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}
