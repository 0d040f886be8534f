/* readers.c - unit tests of the input readers: JSONL, PETRARCH XML, text, gzip, dates. */
#include "dyad.h"
#include "t.h"

#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

/* ---------------------------------------------------------------- helpers */

/* Everything a reader returns, one line per call:
 *   "R line id|date|text|title|url|source"   for a record (bytes < 0x20 shown as ^X)
 *   "E code line:col [record] msg"           for an error  */
typedef struct log {
    char *s;
    size_t len, cap;
} log_buf;

static void log_put(log_buf *l, const char *p, size_t n)
{
    if (l->len + n + 1 > l->cap) {
        l->cap = (l->len + n + 1) * 2;
        l->s = realloc(l->s, l->cap);
    }
    memcpy(l->s + l->len, p, n);
    l->len += n;
    l->s[l->len] = '\0';
}

static void log_str(log_buf *l, const char *s)
{
    log_put(l, s, strlen(s));
}

static void log_slice(log_buf *l, dyad_slice s)
{
    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.ptr[i];
        if (c < 0x20) {
            char e[3] = {'^', (char)('@' + c), 0};
            log_str(l, e);
        } else {
            log_put(l, (const char *)&c, 1);
        }
    }
}

/* Read everything from r into the log; returns the number of calls. */
static int drain(dyad_reader *r, log_buf *l)
{
    int calls = 0;
    for (;;) {
        dyad_record rec;
        dyad_error err;
        memset(&err, 0, sizeof err);
        dyad_status st = dyad_reader_next(r, &rec, &err);
        calls++;
        if (st == DYAD_DONE || calls > 100000)
            break;
        char head[256];
        if (st == DYAD_OK) {
            snprintf(head, sizeof head, "R %ld ", rec.line);
            log_str(l, head);
            log_slice(l, rec.id);
            log_str(l, "|");
            log_slice(l, rec.date);
            log_str(l, "|");
            log_slice(l, rec.text);
            if (rec.title.len || rec.url.len || rec.source.len) {
                log_str(l, "|");
                log_slice(l, rec.title);
                log_str(l, "|");
                log_slice(l, rec.url);
                log_str(l, "|");
                log_slice(l, rec.source);
            }
        } else {
            snprintf(head, sizeof head, "E %d %ld:%ld [%s] ", st, err.line, err.col,
                     err.record);
            log_str(l, head);
            log_str(l, err.msg);
        }
        log_str(l, "\n");
    }
    return calls;
}

/* Read a buffer with the given format (and optional default date); returns the log. */
static char *read_mem(const void *buf, size_t len, const char *name, dyad_input_format fmt,
                      const char *date, size_t max_record)
{
    dyad_reader_opts o;
    dyad_reader_opts_default(&o);
    o.format = fmt;
    o.default_date = date;
    if (max_record)
        o.limits.max_record_bytes = max_record;
    dyad_reader *r = NULL;
    dyad_error err = {0};
    log_buf l = {0};
    log_str(&l, "");
    dyad_status st = dyad_reader_open_memory(buf, len, name, &o, &r, &err);
    if (st) {
        char head[64];
        snprintf(head, sizeof head, "OPEN %d ", st);
        log_str(&l, head);
        log_str(&l, err.msg);
        return l.s;
    }
    drain(r, &l);
    dyad_reader_free(r);
    return l.s;
}

static char *read_str(const char *s, dyad_input_format fmt, const char *date)
{
    return read_mem(s, strlen(s), "t.jsonl", fmt, date, 0);
}

/* Check that got equals want; print both on a mismatch. */
static void expect(const char *name, char *got, const char *want)
{
    int ok = strcmp(got, want) == 0;
    T_CHECK(name, ok);
    if (!ok)
        printf("  want: %s\n  got:  %s\n", want, got);
    free(got);
}

/* Check that got contains want. */
static void expect_has(const char *name, char *got, const char *want)
{
    int ok = strstr(got, want) != NULL;
    T_CHECK(name, ok);
    if (!ok)
        printf("  want (part): %s\n  got:  %s\n", want, got);
    free(got);
}

static unsigned char *gzip_bytes(const void *p, size_t n, size_t *out_len)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    deflateInit2(&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
    size_t cap = deflateBound(&z, (uLong)n) + 64;
    unsigned char *out = malloc(cap);
    z.next_in = (Bytef *)p;
    z.avail_in = (uInt)n;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    deflate(&z, Z_FINISH);
    *out_len = cap - z.avail_out;
    deflateEnd(&z);
    return out;
}

static unsigned char *zstd_bytes(const void *p, size_t n, size_t *out_len)
{
    size_t cap = ZSTD_compressBound(n);
    unsigned char *out = malloc(cap);
    ZSTD_CCtx *c = ZSTD_createCCtx();
    ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, 1);
    *out_len = ZSTD_compress2(c, out, cap, p, n);
    ZSTD_freeCCtx(c);
    return out;
}

static dyad_slice sl(const char *s)
{
    dyad_slice x = {s, s ? strlen(s) : 0};
    return x;
}

/* ---------------------------------------------------------------- dates */

static void test_dates(void)
{
    T_CHECK("date: ordinary day", dyad_date_valid(sl("2017-07-18")));
    T_CHECK("date: 30 February", !dyad_date_valid(sl("2017-02-30")));
    T_CHECK("date: 29 February of a common year", !dyad_date_valid(sl("2017-02-29")));
    T_CHECK("date: 29 February of a leap year", dyad_date_valid(sl("2016-02-29")));
    T_CHECK("date: 29 February 2000 (divisible by 400)", dyad_date_valid(sl("2000-02-29")));
    T_CHECK("date: 29 February 1900 (century)", !dyad_date_valid(sl("1900-02-29")));
    T_CHECK("date: 29 February 2100 (century)", !dyad_date_valid(sl("2100-02-29")));
    T_CHECK("date: 31 April", !dyad_date_valid(sl("2017-04-31")));
    T_CHECK("date: 31 December", dyad_date_valid(sl("2017-12-31")));
    T_CHECK("date: month 13", !dyad_date_valid(sl("2017-13-01")));
    T_CHECK("date: month 0", !dyad_date_valid(sl("2017-00-10")));
    T_CHECK("date: day 0", !dyad_date_valid(sl("2017-01-00")));
    T_CHECK("date: year 999", !dyad_date_valid(sl("0999-01-01")));
    T_CHECK("date: year 1000", dyad_date_valid(sl("1000-01-01")));
    T_CHECK("date: year 3000", !dyad_date_valid(sl("3000-01-01")));
    T_CHECK("date: no zero padding", !dyad_date_valid(sl("2017-7-18")));
    T_CHECK("date: slashes", !dyad_date_valid(sl("2017/07/18")));
    T_CHECK("date: with a time is not a bare date", !dyad_date_valid(sl("2017-07-18T10:00")));
    T_CHECK("date: compact form is not YYYY-MM-DD", !dyad_date_valid(sl("20170718")));
    T_CHECK("date: empty", !dyad_date_valid(sl("")));
    T_CHECK("date: NULL", !dyad_date_valid(sl(NULL)));
    T_CHECK("date: sign in a field", !dyad_date_valid(sl("2017-+7-18")));
}

/* ---------------------------------------------------------------- JSONL */

static void test_jsonl(void)
{
    expect("jsonl: two records, fields, line numbers",
           read_str("{\"id\":\"a\",\"date\":\"2017-07-18\",\"text\":\"One.\"}\n"
                    "\n"
                    "  {\"text\":\"Two.\",\"date\":\"2017-07-19\",\"id\":\"b\",\"title\":\"T\","
                    "\"url\":\"http://x/\",\"source\":\"S\",\"extra\":[1,{\"k\":[true,null]}]}\n",
                    DYAD_INPUT_JSONL, NULL),
           "R 1 a|2017-07-18|One.\n"
           "R 3 b|2017-07-19|Two.|T|http://x/|S\n");
    expect("jsonl: CRLF, byte-order mark, no final newline",
           read_str("\xEF\xBB\xBF{\"id\":\"a\",\"date\":\"2017-07-18\",\"text\":\"x\"}\r\n"
                    "{\"id\":\"b\",\"date\":\"2017-07-18\",\"text\":\"y\"}",
                    DYAD_INPUT_JSONL, NULL),
           "R 1 a|2017-07-18|x\nR 2 b|2017-07-18|y\n");
    expect("jsonl: escapes decoded",
           read_str("{\"id\":\"e\",\"date\":\"2017-07-18\",\"text\":\"a\\\"b\\\\c\\/d\\ne\\tf"
                    "\\u00e9\\u20AC\\ud83d\\ude00\"}\n",
                    DYAD_INPUT_JSONL, NULL),
           "R 1 e|2017-07-18|a\"b\\c/d^Je^If\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\n");
    expect("jsonl: \\u0000 kept as a NUL byte",
           read_str("{\"id\":\"n\",\"date\":\"2017-07-18\",\"text\":\"a\\u0000b\"}\n",
                    DYAD_INPUT_JSONL, NULL),
           "R 1 n|2017-07-18|a^@b\n");
    expect("jsonl: lone surrogate kept as its (invalid) 3-byte form",
           read_str("{\"id\":\"s\",\"date\":\"2017-07-18\",\"text\":\"a\\ud800b\"}\n",
                    DYAD_INPUT_JSONL, NULL),
           "R 1 s|2017-07-18|a\xED\xA0\x80" "b\n");
    expect("jsonl: numeric id printed as its text",
           read_str("{\"id\":-12.5e3,\"date\":\"2017-07-18\",\"text\":\"x\"}\n", DYAD_INPUT_JSONL,
                    NULL),
           "R 1 -12.5e3|2017-07-18|x\n");
    expect("jsonl: date with a time is its day",
           read_str("{\"id\":\"a\",\"date\":\"2017-07-18T10:00:00Z\",\"text\":\"x\"}\n"
                    "{\"id\":\"b\",\"date\":\"2017-07-18T23:59:59.123+02:00\",\"text\":\"x\"}\n"
                    "{\"id\":\"c\",\"date\":\"2017-07-18 08:30\",\"text\":\"x\"}\n"
                    "{\"id\":\"d\",\"date\":\"2017-07-18Tnoon\",\"text\":\"x\"}\n",
                    DYAD_INPUT_JSONL, NULL),
           "R 1 a|2017-07-18|x\nR 2 b|2017-07-18|x\nR 3 c|2017-07-18|x\n"
           "E -4 4:0 [d] invalid date \"2017-07-18Tnoon\": expected YYYY-MM-DD\n");
    expect("jsonl: missing date takes the default date",
           read_str("{\"id\":\"a\",\"text\":\"x\"}\n{\"id\":\"b\",\"date\":null,\"text\":\"y\"}\n"
                    "{\"id\":\"c\",\"date\":\"2001-01-02\",\"text\":\"z\"}\n",
                    DYAD_INPUT_JSONL, "2017-07-18"),
           "R 1 a|2017-07-18|x\nR 2 b|2017-07-18|y\nR 3 c|2001-01-02|z\n");
    expect("jsonl: each bad record reported, good ones kept",
           read_str("{\"id\":\"ok1\",\"date\":\"2017-07-18\",\"text\":\"x\"}\n"
                    "{\"id\":\"m1\",\"date\":\"2017-07-18\",\"text\":\"x\"\n"
                    "{\"date\":\"2017-07-18\",\"text\":\"x\"}\n"
                    "{\"id\":\"m3\",\"text\":\"x\"}\n"
                    "{\"id\":\"m4\",\"date\":\"2017-07-18\"}\n"
                    "{\"id\":\"m5\",\"date\":\"2017-02-30\",\"text\":\"x\"}\n"
                    "{\"id\":\"m6\",\"date\":\"2017-07-18\",\"text\":\" \\n \"}\n"
                    "[1,2]\n"
                    "{\"id\":\"m8\",\"date\":\"2017-07-18\",\"text\":5}\n"
                    "{\"id\":true,\"date\":\"2017-07-18\",\"text\":\"x\"}\n"
                    "{\"id\":\"m10\",\"date\":\"18/07/2017\",\"text\":\"x\"}\n"
                    "{\"id\":\"m11\",\"date\":\"2017-07-18\",\"text\":\"x\"} x\n"
                    "{\"id\":\"m12\",\"date\":\"2017-07-18\",\"text\":\"x\",\"title\":[]}\n"
                    "{\"id\":\"\",\"date\":\"2017-07-18\",\"text\":\"x\"}\n"
                    "{'id':'m14'}\n"
                    "{\"id\":\"ok2\",\"date\":\"2017-07-18\",\"text\":\"y\"}\n",
                    DYAD_INPUT_JSONL, NULL),
           "R 1 ok1|2017-07-18|x\n"
           "E -4 2:42 [m1] malformed JSON: unexpected end of line: the object is not closed\n"
           "E -4 3:0 [] missing field \"id\"\n"
           "E -4 4:0 [m3] missing field \"date\"\n"
           "E -4 5:0 [m4] missing field \"text\"\n"
           "E -4 6:0 [m5] invalid date \"2017-02-30\": no such day\n"
           "E -4 7:0 [m6] empty text\n"
           "E -4 8:0 [] expected a JSON object, got an array\n"
           "E -4 9:0 [m8] field \"text\" is not a string\n"
           "E -4 10:0 [] field \"id\" is not a string or a number\n"
           "E -4 11:0 [m10] invalid date \"18/07/2017\": expected YYYY-MM-DD\n"
           "E -4 12:45 [m11] malformed JSON: unexpected data after the object\n"
           "E -4 13:0 [m12] field \"title\" is not a string\n"
           "E -4 14:0 [] empty id\n"
           "E -4 15:2 [] malformed JSON: expected a field name in double quotes\n"
           "R 16 ok2|2017-07-18|y\n");
    expect("jsonl: syntax errors with their column",
           read_str("{\"id\":\"a\" \"date\":1}\n"
                    "{\"id\":\"b\",\"text\":\"x\ty\"}\n"
                    "{\"id\":\"c\",\"text\":\"\\q\"}\n"
                    "{\"id\":\"d\",\"text\":\"\\u12\"}\n"
                    "{\"id\":\"e\",\"n\":01}\n"
                    "{\"id\":\"f\",\"n\":tru}\n"
                    "{\"id\":\"g\",\"n\":[1,]}\n"
                    "{\"id\":\"h\",\"n\":{\"a\" 1}}\n"
                    "{\"id\":\"i\",\"text\":\"abc}\n"
                    "not json at all\n",
                    DYAD_INPUT_JSONL, NULL),
           "E -4 1:11 [a] malformed JSON: expected ',' or '}' after a field\n"
           "E -4 2:20 [b] malformed JSON: control character inside a string\n"
           "E -4 3:19 [c] malformed JSON: invalid escape in a string\n"
           "E -4 4:19 [d] malformed JSON: invalid \\u escape\n"
           "E -4 5:16 [e] malformed JSON: expected ',' or '}' after a field\n"
           "E -4 6:15 [f] malformed JSON: unexpected character\n"
           "E -4 7:18 [g] malformed JSON: unexpected character\n"
           "E -4 8:20 [h] malformed JSON: expected ':' after a field name\n"
           "E -4 9:23 [i] malformed JSON: unterminated string\n"
           "E -4 10:1 [] malformed JSON: unexpected character\n");
    static const char nul_line[] = "{\"id\":\"a\",\"date\":\"2017-07-18\",\"text\":\"x\"}\n"
                                   "{\"id\":\"b\",\"date\":\"2017-07-18\",\"text\":\"x\0y\"}\n"
                                   "{\"id\":\"c\",\"date\":\"2017-07-18\",\"text\":\"z\"}\n";
    expect("jsonl: raw NUL byte is an error for its line only",
           read_mem(nul_line, sizeof nul_line - 1, "n.jsonl", DYAD_INPUT_JSONL, NULL, 0),
           "R 1 a|2017-07-18|x\n"
           "E -4 2:40 [] malformed JSON: NUL byte\n"
           "R 3 c|2017-07-18|z\n");
    /* nesting: 256 levels are fine, 257 are not */
    char deep[1200];
    size_t k = (size_t)snprintf(deep, sizeof deep, "{\"id\":\"d\",\"date\":\"2017-07-18\","
                                                   "\"text\":\"x\",\"n\":");
    for (int i = 0; i < 255; i++)
        deep[k++] = '[';
    for (int i = 0; i < 255; i++)
        deep[k++] = ']';
    memcpy(deep + k, "}\n", 3);
    expect("jsonl: 256 levels of nesting", read_str(deep, DYAD_INPUT_JSONL, NULL),
           "R 1 d|2017-07-18|x\n");
    k = (size_t)snprintf(deep, sizeof deep, "{\"id\":\"d\",\"n\":");
    for (int i = 0; i < 300; i++)
        deep[k++] = '[';
    memcpy(deep + k, "\n", 2);
    expect("jsonl: too deep nesting", read_str(deep, DYAD_INPUT_JSONL, NULL),
           "E -4 1:271 [d] malformed JSON: nesting too deep\n");
    expect("jsonl: a line over the record limit is skipped",
           read_mem("{\"id\":\"a\",\"date\":\"2017-07-18\",\"text\":\"short\"}\n"
                    "{\"id\":\"b\",\"date\":\"2017-07-18\",\"text\":\"this line is too long\"}\n"
                    "{\"id\":\"c\",\"date\":\"2017-07-18\",\"text\":\"short\"}\n",
                    154, "t.jsonl", DYAD_INPUT_JSONL, NULL, 50),
           "R 1 a|2017-07-18|short\n"
           "E -5 2:0 [] record of 61 bytes exceeds the limit of 50 bytes\n"
           "R 3 c|2017-07-18|short\n");
    expect("jsonl: empty input has no records", read_str("", DYAD_INPUT_JSONL, NULL), "");
    expect("jsonl: blank lines only", read_str("\n \n\t\r\n", DYAD_INPUT_JSONL, NULL), "");
}

/* A long JSONL input crossing many internal block boundaries, plain and gzip. */
static void test_jsonl_blocks(void)
{
    size_t cap = 3u << 20, n = 0;
    char *buf = malloc(cap);
    int count = 0;
    while (n < cap - 4096) {
        n += (size_t)snprintf(buf + n, cap - n,
                              "{\"id\":\"r%d\",\"date\":\"2017-07-18\",\"text\":\"Record %d says "
                              "\\u00e9t\\u00e9 and %0*d.\"}\n",
                              count, count, count % 700 + 1, 0);
        count++;
    }
    dyad_reader *r = NULL;
    dyad_reader_opts o;
    dyad_reader_opts_default(&o);
    o.format = DYAD_INPUT_JSONL;
    int good = 0, bad = 0, right = 1;
    dyad_reader_open_memory(buf, n, "big.jsonl", &o, &r, NULL);
    for (;;) {
        dyad_record rec;
        dyad_status st = dyad_reader_next(r, &rec, NULL);
        if (st == DYAD_DONE)
            break;
        if (st) {
            bad++;
            continue;
        }
        char want[32];
        snprintf(want, sizeof want, "r%d", good);
        if (rec.id.len != strlen(want) || memcmp(rec.id.ptr, want, rec.id.len) ||
            rec.line != good + 1)
            right = 0;
        good++;
    }
    uint64_t done, total;
    dyad_reader_progress(r, &done, &total);
    dyad_reader_free(r);
    T_CHECK("jsonl blocks: every record read in order", good == count && bad == 0 && right);
    T_CHECK("jsonl blocks: progress reaches the total", done == n && total == n);

    size_t gz_len;
    unsigned char *gz = gzip_bytes(buf, n, &gz_len);
    r = NULL;
    dyad_reader_open_memory(gz, gz_len, "big.jsonl.gz", &o, &r, NULL);
    good = bad = 0;
    for (;;) {
        dyad_record rec;
        dyad_status st = dyad_reader_next(r, &rec, NULL);
        if (st == DYAD_DONE)
            break;
        if (st)
            bad++;
        else
            good++;
    }
    dyad_reader_progress(r, &done, &total);
    dyad_reader_free(r);
    T_CHECK("gzip: every record read", good == count && bad == 0);
    T_CHECK("gzip: progress counts compressed bytes", done == gz_len && total == gz_len);

    /* truncated: the records before the damage, then DYAD_EIO, then DYAD_DONE */
    r = NULL;
    dyad_reader_open_memory(gz, gz_len / 2, "cut.jsonl.gz", &o, &r, NULL);
    good = bad = 0;
    int eio = 0, after = 0;
    dyad_error err = {0};
    for (int calls = 0; calls < count + 10; calls++) {
        dyad_record rec;
        dyad_error e = {0};
        dyad_status st = dyad_reader_next(r, &rec, &e);
        if (st == DYAD_DONE)
            break;
        if (eio)
            after++;
        if (st == DYAD_EIO) {
            eio++;
            err = e;
        } else if (st) {
            bad++;
        } else {
            good++;
        }
    }
    dyad_reader_free(r);
    T_CHECK("gzip truncated: one DYAD_EIO, then DYAD_DONE", eio == 1 && after == 0);
    T_CHECK("gzip truncated: the records before the cut were read", good > count / 3 && !bad);
    T_CHECK("gzip truncated: the error names the input and says why",
            strcmp(err.file, "cut.jsonl.gz") == 0 && strstr(err.msg, "truncated gzip") &&
                err.line == good + 1);

    /* corrupt: a flipped bit in the last deflate bytes is caught by the CRC check */
    gz[gz_len - 10] ^= 0x01;
    char *got = read_mem(gz, gz_len, "bad.jsonl.gz", DYAD_INPUT_JSONL, NULL, 0);
    gz[gz_len - 10] ^= 0x01;
    const char *last = strrchr(got, 'E');
    T_CHECK("gzip corrupt: DYAD_EIO at the end", last && strncmp(last, "E -3 ", 5) == 0 &&
                                                     strstr(last, "corrupt gzip data"));
    free(got);

    /* two gzip members one after the other are one stream */
    const char *a = "{\"id\":\"a\",\"date\":\"2017-07-18\",\"text\":\"x\"}\n";
    const char *b = "{\"id\":\"b\",\"date\":\"2017-07-18\",\"text\":\"y\"}\n";
    size_t la, lb;
    unsigned char *ga = gzip_bytes(a, strlen(a), &la), *gb = gzip_bytes(b, strlen(b), &lb);
    unsigned char *both = malloc(la + lb + 3);
    memcpy(both, ga, la);
    memcpy(both + la, gb, lb);
    expect("gzip: concatenated members",
           read_mem(both, la + lb, "two.jsonl.gz", DYAD_INPUT_AUTO, NULL, 0),
           "R 1 a|2017-07-18|x\nR 2 b|2017-07-18|y\n");
    memcpy(both + la + lb, "xyz", 3);
    expect("gzip: garbage after the data",
           read_mem(both, la + lb + 3, "two.jsonl.gz", DYAD_INPUT_AUTO, NULL, 0),
           "R 1 a|2017-07-18|x\nR 2 b|2017-07-18|y\n"
           "E -3 3:0 [] unexpected bytes after the end of the gzip data; reading stopped\n");
    free(ga);
    free(gb);
    free(both);
    free(gz);

    /* zstd: whole, truncated, corrupt, two frames */
    size_t zl;
    unsigned char *zs = zstd_bytes(buf, n, &zl);
    r = NULL;
    dyad_reader_open_memory(zs, zl, "big.jsonl.zst", &o, &r, NULL);
    good = bad = 0;
    for (;;) {
        dyad_record rec;
        dyad_status st = dyad_reader_next(r, &rec, NULL);
        if (st == DYAD_DONE)
            break;
        if (st)
            bad++;
        else
            good++;
    }
    dyad_reader_free(r);
    T_CHECK("zstd: every record read", good == count && bad == 0);
    got = read_mem(zs, zl / 2, "cut.jsonl.zst", DYAD_INPUT_JSONL, NULL, 0);
    last = strrchr(got, 'E');
    int lines = 0;
    for (const char *c = got; *c; c++)
        lines += *c == '\n';
    T_CHECK("zstd truncated: records before the cut, then DYAD_EIO",
            lines > count / 4 && last && strstr(last, "E -3 ") == last &&
                strstr(last, "truncated zstd data; reading stopped"));
    free(got);
    zs[zl - 2] ^= 0x10;   /* in the content checksum */
    got = read_mem(zs, zl, "bad.jsonl.zst", DYAD_INPUT_JSONL, NULL, 0);
    last = strrchr(got, 'E');
    T_CHECK("zstd corrupt: DYAD_EIO at the end",
            last && strstr(last, "E -3 ") == last && strstr(last, "corrupt zstd data"));
    free(got);
    free(zs);
    unsigned char *za = zstd_bytes(a, strlen(a), &la), *zb = zstd_bytes(b, strlen(b), &lb);
    both = malloc(la + lb);
    memcpy(both, za, la);
    memcpy(both + la, zb, lb);
    expect("zstd: concatenated frames",
           read_mem(both, la + lb, "two.jsonl.zst", DYAD_INPUT_AUTO, NULL, 0),
           "R 1 a|2017-07-18|x\nR 2 b|2017-07-18|y\n");
    free(za);
    free(zb);
    free(both);
    free(buf);
}

/* ---------------------------------------------------------------- PETRARCH */

static const char petr[] =
    "<?xml version=\"1.0\"?>\n"
    "<!-- a comment with <Sentence date=\"20080801\" id=\"NOT-1\"> inside -->\n"
    "<Sentences>\n"
    "<Sentence date = \"20080804\" id =\"AFP-1\" source = \"AFP\" sentence = \"True\">\n"
    "<Text>\n"
    "The  US leader\n  met  &quot;Hu&quot; &amp; said &lt;no&gt; &#233;&#xE9; x&y &bogus; .\n"
    "</Text>\n"
    "<Parse>\n(ROOT (S (NP (NNP US)) (CC &amp;)))\n</Parse>\n"
    "</Sentence>\n"
    "<Wrapper><Sentence id='AFP-2' date='2008-08-05'><EventCoding sourcecode=\"A\" "
    "targetcode=\"B\" eventcode=\"040\"></EventCoding><Text><!-- note -->Two"
    "<![CDATA[ <raw> & ]]>words.</Text></Sentence></Wrapper>\n"
    "<Sentence date=\"20080230\" id=\"BAD-DATE\"><Text>x</Text></Sentence>\n"
    "<Sentence date=\"20080806\"><Text>no id</Text></Sentence>\n"
    "<Sentence date=\"20080806\" id=\"NO-TEXT\"><Parse>()</Parse></Sentence>\n"
    "<Sentence date=\"20080806\" id=\"EMPTY\"><Text>\n  \n</Text></Sentence>\n"
    "<Sentence date=\"20080806\" id=\"UNCLOSED\"><Text>lost\n"
    "<Sentence date=\"20080807\" id=\"AFTER\">\n<Text>Found again.</Text>\n</Sentence>\n"
    "<Sentence date=\"20080807\" id=\"OPEN\">\n"
    "<Sentence date=\"20080808\" id=\"LAST\"><Text>Last.</Text></Sentence>\n"
    "</Sentences>\n";

static void test_petrarch(void)
{
    expect("petrarch: records, entities, space, resynchronisation",
           read_mem(petr, sizeof petr - 1, "p.xml", DYAD_INPUT_AUTO, NULL, 0),
           "R 4 AFP-1|2008-08-04|The US leader met \"Hu\" & said <no> \xC3\xA9\xC3\xA9 x&y "
           "&bogus; .|||AFP\n"
           "R 13 AFP-2|2008-08-05|Two <raw> & words.\n"
           "E -4 14:0 [BAD-DATE] invalid date \"20080230\": no such day\n"
           "E -4 15:0 [] <Sentence> without an id attribute\n"
           "E -4 16:0 [NO-TEXT] <Sentence> without a <Text>\n"
           "E -4 17:0 [EMPTY] empty <Text>\n"
           "E -4 20:0 [UNCLOSED] malformed <Sentence>: <Text> is not closed\n"
           "R 21 AFTER|2008-08-07|Found again.\n"
           "E -4 24:0 [OPEN] malformed <Sentence>: <Sentence> is not closed before the next "
           "<Sentence> at line 25\n"
           "R 25 LAST|2008-08-08|Last.\n");
    expect("petrarch: missing date takes the default",
           read_mem("<Sentence id=\"x\"><Text>a</Text></Sentence>", 42, "p.xml",
                    DYAD_INPUT_PETRARCH, "2001-02-03", 0),
           "R 1 x|2001-02-03|a\n");
    const char *broken_tags[] = {
        "<Sentence id=\"a\" date=\"20080101\"",
        "<Sentence id=\"a\" date=\"20080101\"><Text>abc",
        "<Sentence id=\"a\" date=\"20080101\"><Text>abc</Text>",
        "<Sentence id=\"a\" date=\"20080101\"><!-- never closed",
    };
    for (size_t i = 0; i < sizeof broken_tags / sizeof *broken_tags; i++)
        expect("petrarch: input ends inside a Sentence",
               read_mem(broken_tags[i], strlen(broken_tags[i]), "p.xml", DYAD_INPUT_PETRARCH,
                        NULL, 0),
               "E -4 1:0 [a] malformed <Sentence>: the input ends inside the <Sentence>\n");
    const char *bad = "<Sentence id=\"a\" date=20080101><Text>x</Text></Sentence>\n"
                      "<Sentence id=\"b<\" date=\"20080101\"><Text>x</Text></Sentence>\n"
                      "<Sentence id=\"c\" date=\"20080101\" flag><Text>x</Text></Sentence>\n"
                      "<Sentence id=\"d\" date=\"20080101\"/>\n"
                      "<Sentence id=\"e\" date=\"20080101\"><Text>ok</Text></Sentence>\n";
    expect("petrarch: broken start tags",
           read_mem(bad, strlen(bad), "p.xml", DYAD_INPUT_PETRARCH, NULL, 0),
           "E -4 1:0 [a] malformed <Sentence>: value of attribute 'date' is not quoted\n"
           "E -4 2:0 [] malformed <Sentence>: value of attribute 'id' is not closed\n"
           "E -4 3:0 [c] malformed <Sentence>: attribute 'flag' without a value in the "
           "<Sentence> tag\n"
           "E -4 4:0 [d] malformed <Sentence>: empty <Sentence/> element\n"
           "R 5 e|2008-01-01|ok\n");
    /* a Text over the limit is skipped, the next Sentence is read */
    const char *lim = "<Sentence id=\"a\" date=\"20080101\"><Text>0123456789 0123456789"
                      "</Text></Sentence><Sentence id=\"b\" date=\"20080101\"><Text>short"
                      "</Text></Sentence>";
    expect("petrarch: Text over the limit",
           read_mem(lim, strlen(lim), "p.xml", DYAD_INPUT_PETRARCH, NULL, 16),
           "E -5 1:0 [a] <Sentence> longer than the limit of 16 bytes\nR 1 b|2008-01-01|short\n");
    const char *tree = "<Sentence id=\"P\" date=\"20080101\"><Text>\n</Text><Parse>\n"
                       "( (S (NP (DT The) (NNP US)) (VP (VBD met) (NP (-NONE- *T*-1))\n"
                       "(PP (IN in) (NP (-LRB- -LRB-) (NNP A&amp;B) (-RRB- -RRB-)))) (. .)))"
                       "</Parse></Sentence>";
    expect("petrarch: empty Text, words from the Parse tree",
           read_mem(tree, strlen(tree), "p.xml", DYAD_INPUT_PETRARCH, NULL, 0),
           "R 1 P|2008-01-01|The US met in ( A&B ) .\n");
    expect("petrarch: no Sentence at all", read_mem("<a><b/></a>", 11, "p.xml",
                                                    DYAD_INPUT_PETRARCH, NULL, 0), "");

    /* many Sentences with entities, crossing internal block boundaries */
    size_t cap = 1u << 20, n = 0;
    char *buf = malloc(cap);
    int count = 0;
    while (n < cap - 512) {
        n += (size_t)snprintf(buf + n, cap - n,
                              "<Sentence date=\"20080801\" id=\"S%d\">\n<Text>\nA &amp; B "
                              "&#x42; &quot;%d&quot;\n</Text>\n<Parse>(S (NP x))</Parse>\n"
                              "<!-- c --></Sentence>\n",
                              count, count);
        count++;
    }
    dyad_reader_opts o;
    dyad_reader_opts_default(&o);
    o.format = DYAD_INPUT_PETRARCH;
    dyad_reader *r = NULL;
    dyad_reader_open_memory(buf, n, "many.xml", &o, &r, NULL);
    int good = 0, right = 1;
    for (;;) {
        dyad_record rec;
        dyad_status st = dyad_reader_next(r, &rec, NULL);
        if (st == DYAD_DONE)
            break;
        char want[64];
        int wl = snprintf(want, sizeof want, "A & B B \"%d\"", good);
        if (st || rec.text.len != (size_t)wl || memcmp(rec.text.ptr, want, (size_t)wl) ||
            rec.line != good * 6 + 1)
            right = 0;
        good++;
    }
    dyad_reader_free(r);
    T_CHECK("petrarch blocks: every Sentence read", good == count && right);
    free(buf);
}

/* ---------------------------------------------------------------- text, sniffing, files */

static void test_text(void)
{
    expect("text: one article, id from the name, default date",
           read_mem("Hello.\nWorld.\n", 14, "dir/2019-03-12-oslo.txt.gz", DYAD_INPUT_AUTO,
                    "2019-03-12", 0),
           "R 1 2019-03-12-oslo|2019-03-12|Hello.^JWorld.^J\n");
    expect("text: no date given leaves it empty",
           read_mem("Hello.", 6, "a.b.txt", DYAD_INPUT_TEXT, NULL, 0), "R 1 a.b||Hello.\n");
    expect("text: empty article", read_mem(" \n", 2, "e.txt", DYAD_INPUT_TEXT, NULL, 0),
           "E -4 1:0 [e] empty text\n");
    expect("text: over the limit", read_mem("0123456789abc", 13, "l.txt", DYAD_INPUT_TEXT,
                                            NULL, 10),
           "E -5 1:0 [l] article of 13 bytes exceeds the limit of 10 bytes\n");
    dyad_reader_opts o;
    dyad_reader_opts_default(&o);
    o.default_id = "my-id";
    dyad_reader *r = NULL;
    log_buf l = {0};
    log_str(&l, "");
    dyad_reader_open_memory("Text.", 5, "x.txt", &o, &r, NULL);
    drain(r, &l);
    dyad_reader_free(r);
    expect("text: default id", l.s, "R 1 my-id||Text.\n");

    expect("sniff: '{' is JSONL",
           read_mem(" \n{\"id\":\"a\",\"date\":\"2017-07-18\",\"text\":\"x\"}", 43, "",
                    DYAD_INPUT_AUTO, NULL, 0),
           "R 2 a|2017-07-18|x\n");
    expect("sniff: '<' is PETRARCH",
           read_mem("<Sentence id=\"p\" date=\"20080101\"><Text>x</Text></Sentence>", 58, NULL,
                    DYAD_INPUT_AUTO, NULL, 0),
           "R 1 p|2008-01-01|x\n");
    expect("sniff: anything else is text",
           read_mem("Plain words.", 12, NULL, DYAD_INPUT_AUTO, NULL, 0),
           "R 1 memory||Plain words.\n");
    expect_has("conllu is refused",
               read_mem("# text = x\n", 11, "ud.conllu", DYAD_INPUT_AUTO, NULL, 0),
               "OPEN -9 CoNLL-U");
    expect_has("a bad default date is refused",
               read_mem("x", 1, "a.txt", DYAD_INPUT_AUTO, "2017-02-29", 0), "OPEN -2 default date");

    /* files */
    char dir[] = "/tmp/dyad-readers-XXXXXX";
    if (!mkdtemp(dir)) {
        T_SKIP("files", "cannot make a temporary directory");
        return;
    }
    char path[256];
    snprintf(path, sizeof path, "%s/news.JSONL.gz", dir);
    const char *js = "{\"id\":\"f1\",\"date\":\"2017-07-18\",\"text\":\"From a file.\"}\n";
    size_t gl;
    unsigned char *gz = gzip_bytes(js, strlen(js), &gl);
    FILE *f = fopen(path, "wb");
    fwrite(gz, 1, gl, f);
    fclose(f);
    free(gz);
    dyad_reader_opts_default(&o);
    r = NULL;
    dyad_status st = dyad_reader_open(path, &o, &r, NULL);
    dyad_record rec;
    st = st ? st : dyad_reader_next(r, &rec, NULL);
    T_CHECK("file: .JSONL.gz read as gzip'd JSONL",
            st == DYAD_OK && rec.text.len == 12 && strcmp(rec.file, path) == 0);
    uint64_t done, total;
    dyad_reader_progress(r, &done, &total);
    T_CHECK("file: progress total is the file size", total == gl);
    T_CHECK("file: then DYAD_DONE, twice",
            dyad_reader_next(r, &rec, NULL) == DYAD_DONE &&
                dyad_reader_next(r, &rec, NULL) == DYAD_DONE);
    dyad_reader_free(r);
    remove(path);

    dyad_error err = {0};
    snprintf(path, sizeof path, "%s/missing.txt", dir);
    r = NULL;
    st = dyad_reader_open(path, &o, &r, &err);
    T_CHECK("file: missing file is DYAD_EIO naming it",
            st == DYAD_EIO && r == NULL && strcmp(err.file, path) == 0 &&
                strstr(err.msg, "cannot open"));
    memset(&err, 0, sizeof err);
    st = dyad_reader_open(dir, &o, &r, &err);
    T_CHECK("file: a directory is DYAD_EIO", st == DYAD_EIO && strstr(err.msg, "directory"));
    rmdir(dir);

    dyad_reader_free(NULL);
    T_CHECK("free(NULL) is a no-op", 1);
    T_CHECK("next without a reader is DYAD_EINVAL", dyad_reader_next(NULL, &rec, NULL) ==
                                                        DYAD_EINVAL);
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    test_dates();
    test_jsonl();
    test_jsonl_blocks();
    test_petrarch();
    test_text();
    T_DONE();
}
