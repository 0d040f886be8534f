/* store_clickhouse.c - the ClickHouse backend of the event store: tables, inserts, queries. */
#include "store.h"

#include <ctype.h>
#include <curl/curl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* The tables (docs/clickhouse.md).  Every text value is a String, '' standing for SQLite's
 * NULL; an article's rows of one write share a version, and the article's current content is
 * the one of its latest version written with content = 1.  With a cluster each table is
 * NAME_local on every shard plus a Distributed table NAME over them, sharded by article. */
enum { T_ARTICLES, T_SENTENCES, T_EVENTS, T_QUOTES, T_COUNT };

static const char *const table_name[T_COUNT] = {"articles", "sentences", "events", "quotes"};

static const char *const table_columns[T_COUNT] = {
    "(id String, version UInt64, full UInt8, content UInt8,"
    " date String, title String, url String, source String, text String)"
    " ENGINE = MergeTree ORDER BY (id, version)",
    "(article String, version UInt64, idx UInt32, text String)"
    " ENGINE = MergeTree ORDER BY (article, version, idx)",
    "(article String, version UInt64, n UInt32, sentence UInt32, date String, day String,"
    " source String, source_text String, target String, target_text String,"
    " code String, root String, quad UInt8, goldstein Float64,"
    " location String, country String, verb String, verb_start UInt32, verb_end UInt32,"
    " pattern String, dictionary String, line UInt32, flags UInt32)"
    " ENGINE = MergeTree PARTITION BY substring(day, 1, 4)"
    " ORDER BY (source, target, day, article, version, n)",
    "(article String, version UInt64, n UInt32, sentence UInt32, speaker String,"
    " speaker_text String, text String, text_start UInt32, text_end UInt32)"
    " ENGINE = MergeTree ORDER BY (article, version, n)",
};

/* the column the Distributed tables shard by: every row of an article on one shard */
static const char *const table_key[T_COUNT] = {"id", "article", "article", "article"};

#define CH_MAX_HOSTS 16
#define CH_NAME 64

/* A growable byte buffer. */
typedef struct buf {
    char *p;
    size_t len, cap;
    bool oom;
} buf;

typedef struct ch {
    CURL *curl;
    char url[CH_MAX_HOSTS][300];      /* "http://HOST:PORT/" of each shard */
    size_t nhosts;
    char db[CH_NAME], cluster[CH_NAME];
    char userpwd[256];
    char where[256];                  /* the URI without a password, for messages */
    bool readonly;
    size_t batch, in_batch;
    uint64_t version;                 /* the last version given to a write */
    buf rows[T_COUNT];                /* pending rows, after their INSERT line */
    size_t head[T_COUNT];             /* length of the INSERT line */
    char settings[200];               /* the URL settings of a query */
    char curl_err[CURL_ERROR_SIZE];
} ch;

static void buf_add(buf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->oom = true;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    if (n)
        memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void buf_str(buf *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

static void buf_fmt(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void buf_fmt(buf *b, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof tmp)
        b->oom = true;
    else
        buf_add(b, tmp, (size_t)n);
}

/* A ClickHouse string literal: quoted, backslash and quote escaped. */
static void buf_quote(buf *b, const char *s, size_t n)
{
    buf_add(b, "'", 1);
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '\\' || c == '\'')
            buf_add(b, "\\", 1);
        if (c == '\0')
            buf_add(b, "\\0", 2);
        else
            buf_add(b, &c, 1);
    }
    buf_add(b, "'", 1);
}

/* ---------------------------------------------------------------- HTTP */

/* What a request does with the response body. */
typedef struct resp {
    ch *c;
    long status;               /* 0 until known */
    buf err;                   /* the body of a failed request (its start) */
    buf line;                  /* a line split across calls */
    long nlines;
    /* the rows of a query, in TabSeparatedWithNamesAndTypes */
    dyad_row_fn fn;            /* NULL: the body is not read */
    void *ctx;
    size_t ncols;
    buf name_text;             /* the column names, NUL after each */
    const char **names;
    unsigned char *kind;       /* per column: 0 text, 1 integer, 2 real */
    size_t *start;             /* fields of the current line */
    size_t *off, *len;         /* its unescaped values in cell */
    unsigned char *isnull;
    buf cell;
    dyad_value *vals;
    bool stopped;              /* the callback asked to stop */
    bool bad;                  /* a line that is not a row of ncols columns */
    bool oom;
} resp;

/* Unescape one TSV field [p, p+n) into b; returns whether it is \N (NULL). */
static bool tsv_field(buf *b, const char *p, size_t n)
{
    if (n == 2 && p[0] == '\\' && p[1] == 'N')
        return true;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (c == '\\' && i + 1 < n) {
            char e = p[++i];
            c = e == 't' ? '\t' : e == 'n' ? '\n' : e == 'r' ? '\r' : e == '0' ? '\0'
              : e == 'b' ? '\b' : e == 'f' ? '\f' : e == 'a' ? '\a' : e == 'v' ? '\v' : e;
        }
        buf_add(b, &c, 1);
    }
    return false;
}

static size_t count_fields(const char *p, size_t n)
{
    size_t k = 1;
    for (size_t i = 0; i < n; i++)
        k += p[i] == '\t';
    return k;
}

/* Split a line of r->ncols fields: r->start[i] is where field i starts, r->start[ncols] one
 * past the end of the line.  False when the line has another number of fields. */
static bool split_line(resp *r, const char *p, size_t n)
{
    if (count_fields(p, n) != r->ncols) {
        r->bad = true;
        return false;
    }
    size_t k = 0;
    r->start[k++] = 0;
    for (size_t i = 0; i < n; i++)
        if (p[i] == '\t')
            r->start[k++] = i + 1;
    r->start[k] = n + 1;
    return true;
}

/* Unescape the fields of a split line into r->cell: r->off[i] is where field i starts
 * there, r->isnull[i] whether it is \N. */
static bool unescape_line(resp *r, const char *p)
{
    r->cell.len = 0;
    for (size_t i = 0; i < r->ncols; i++) {
        r->off[i] = r->cell.len;
        r->isnull[i] = tsv_field(&r->cell, p + r->start[i], r->start[i + 1] - 1 - r->start[i]);
        r->len[i] = r->cell.len - r->off[i];
        buf_add(&r->cell, "", 1);   /* a NUL after each field */
    }
    if (r->cell.oom)
        r->oom = true;
    return !r->oom;
}

/* The first line: the column names. */
static int resp_header(resp *r, const char *p, size_t n)
{
    size_t nc = r->ncols = count_fields(p, n);
    r->start = calloc(nc + 1, sizeof *r->start);
    r->off = calloc(nc, sizeof *r->off);
    r->len = calloc(nc, sizeof *r->len);
    r->isnull = calloc(nc, 1);
    r->kind = calloc(nc, 1);
    r->names = calloc(nc, sizeof *r->names);
    r->vals = calloc(nc, sizeof *r->vals);
    if (!r->start || !r->off || !r->len || !r->isnull || !r->kind || !r->names || !r->vals) {
        r->oom = true;
        return 1;
    }
    if (!split_line(r, p, n) || !unescape_line(r, p))
        return 1;
    /* the names stay in name_text while the rows reuse cell */
    buf tmp = r->cell;
    r->cell = r->name_text;
    r->name_text = tmp;
    for (size_t i = 0; i < nc; i++)
        r->names[i] = r->name_text.p + r->off[i];
    return 0;
}

/* The second line: the types. */
static int resp_types(resp *r, const char *p, size_t n)
{
    if (!split_line(r, p, n))
        return 1;
    for (size_t i = 0; i < r->ncols; i++) {
        const char *t = p + r->start[i];
        size_t len = r->start[i + 1] - 1 - r->start[i];
        if (len > 10 && memcmp(t, "Nullable(", 9) == 0) {
            t += 9;
            len -= 10;
        }
        if ((len >= 3 && memcmp(t, "Int", 3) == 0) || (len >= 4 && memcmp(t, "UInt", 4) == 0))
            r->kind[i] = 1;
        else if ((len >= 5 && memcmp(t, "Float", 5) == 0) ||
                 (len >= 7 && memcmp(t, "Decimal", 7) == 0))
            r->kind[i] = 2;
        else
            r->kind[i] = 0;
    }
    return 0;
}

static int resp_row(resp *r, const char *p, size_t n)
{
    if (!split_line(r, p, n) || !unescape_line(r, p))
        return 1;
    for (size_t i = 0; i < r->ncols; i++) {
        dyad_value *v = &r->vals[i];
        const char *c = r->cell.p + r->off[i];
        memset(v, 0, sizeof *v);
        if (r->isnull[i]) {
            v->type = DYAD_VALUE_NULL;
        } else if (r->kind[i] == 1) {
            v->type = DYAD_VALUE_INT;
            v->i = c[0] == '-' ? (int64_t)strtoll(c, NULL, 10) : (int64_t)strtoull(c, NULL, 10);
        } else if (r->kind[i] == 2) {
            v->type = DYAD_VALUE_REAL;
            v->r = strtod(c, NULL);
        } else {
            v->type = DYAD_VALUE_TEXT;
            v->s = dyad__slice(c, r->len[i]);
        }
    }
    if (r->fn(r->ctx, r->ncols, r->names, r->vals)) {
        r->stopped = true;
        return 1;
    }
    return 0;
}

/* One complete line of a successful response; returns nonzero to stop the transfer. */
static int resp_line(resp *r, const char *p, size_t n)
{
    long k = r->nlines++;
    if (k == 0)
        return resp_header(r, p, n);
    if (k == 1)
        return resp_types(r, p, n);
    return resp_row(r, p, n);
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *userp)
{
    resp *r = userp;
    size_t n = size * nmemb;
    if (!r->status)
        curl_easy_getinfo(r->c->curl, CURLINFO_RESPONSE_CODE, &r->status);
    if (r->status != 200) {
        if (r->err.len < 2000)
            buf_add(&r->err, data, n < 2000 ? n : 2000);
        return n;
    }
    if (!r->fn)
        return n;   /* a statement's output that nobody reads */
    size_t i = 0;
    while (i < n) {
        const char *nl = memchr(data + i, '\n', n - i);
        size_t len = nl ? (size_t)(nl - (data + i)) : n - i;
        if (!nl) {
            buf_add(&r->line, data + i, len);
            if (r->line.oom) {
                r->oom = true;
                return 0;
            }
            break;
        }
        int stop;
        if (r->line.len) {
            buf_add(&r->line, data + i, len);
            if (r->line.oom) {
                r->oom = true;
                return 0;
            }
            stop = resp_line(r, r->line.p, r->line.len);
            r->line.len = 0;
        } else {
            stop = resp_line(r, data + i, len);
        }
        if (stop)
            return 0;
        i += len + 1;
    }
    return n;
}

static void resp_free(resp *r)
{
    free(r->err.p);
    free(r->line.p);
    free(r->name_text.p);
    free(r->names);
    free(r->kind);
    free(r->start);
    free(r->off);
    free(r->len);
    free(r->isnull);
    free(r->cell.p);
    free(r->vals);
}

/* The message of a ClickHouse error body: "Code: N, e.displayText() = DB::Exception: MSG,
 * e.what() = DB::Exception" gives "MSG (code N)". */
static void error_text(const buf *b, char *out, size_t size)
{
    const char *p = b->p ? b->p : "";
    int code = 0;
    sscanf(p, "Code: %d", &code);
    const char *m = strstr(p, "DB::Exception: ");
    if (m)
        p = m + 15;
    size_t n = strlen(p);
    const char *w = strstr(p, ", e.what()");
    if (w)
        n = (size_t)(w - p);
    while (n && (p[n - 1] == '\n' || p[n - 1] == ' ' || p[n - 1] == '.'))
        n--;
    if (n > 200)
        n = 200;
    if (code)
        snprintf(out, size, "%.*s (ClickHouse error %d)", (int)n, p, code);
    else
        snprintf(out, size, "%.*s", (int)n, p);
}

/* The ClickHouse error code of a failed request (0 when none was given). */
static int error_code(const resp *r)
{
    int code = 0;
    if (r->err.p)
        sscanf(r->err.p, "Code: %d", &code);
    return code;
}

/* POST body to shard h with the given URL settings ("a=1&b=2" or ""); rows of a query go to
 * r->fn.  On failure fills err (what names the request) and returns DYAD_EIO, or
 * DYAD_EINVAL when the server refused the statement. */
static dyad_status post(ch *c, size_t h, const char *settings, const char *body, size_t len,
                        resp *r, const char *what, dyad_error *err)
{
    char url[600];
    snprintf(url, sizeof url, "%s?%s", c->url[h], settings);
    r->c = c;
    curl_easy_setopt(c->curl, CURLOPT_URL, url);
    curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, r);
    c->curl_err[0] = '\0';
    CURLcode rc = curl_easy_perform(c->curl);
    if (r->oom)
        return dyad__fail(err, DYAD_ENOMEM, "out of memory reading from ClickHouse");
    if (r->stopped && rc == CURLE_WRITE_ERROR)
        return DYAD_OK;
    dyad__where(err, c->where, 0, 0, dyad__slice("", 0));
    if (r->bad)
        return dyad__fail(err, DYAD_EIO, "%s: a malformed row in the answer", what);
    if (rc != CURLE_OK)
        return dyad__fail(err, DYAD_EIO, "%s: cannot reach %s: %s", what, c->url[h],
                          c->curl_err[0] ? c->curl_err : curl_easy_strerror(rc));
    long status = 0;
    curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &status);
    if (status != 200) {
        char msg[240];
        error_text(&r->err, msg, sizeof msg);
        return dyad__fail(err, status >= 400 && status < 500 ? DYAD_EINVAL : DYAD_EIO,
                          "%s: %s", what, msg[0] ? msg : "HTTP error");
    }
    if (r->line.len && !r->line.oom)   /* a last line without a newline */
        if (resp_line(r, r->line.p, r->line.len) && !r->stopped)
            return r->oom ? dyad__fail(err, DYAD_ENOMEM, "out of memory")
                          : dyad__fail(err, DYAD_EIO, "%s: a malformed row in the answer",
                                       what);
    return DYAD_OK;
}

/* Run a statement whose answer is not read. */
static dyad_status exec_on(ch *c, size_t h, const char *sql, const char *what, dyad_error *err)
{
    resp r = {0};
    dyad_status st = post(c, h, "", sql, strlen(sql), &r, what, err);
    resp_free(&r);
    return st;
}

/* The settings of every query: rows with names and types; unqualified tables are the
 * store's; IN and JOIN over a Distributed table read each shard's own table (the rows of an
 * article are all on one shard); a read-only store writes nothing. */
static void set_query_settings(ch *c)
{
    snprintf(c->settings, sizeof c->settings,
             "default_format=TabSeparatedWithNamesAndTypes&database=%s"
             "&distributed_product_mode=local%s", c->db, c->readonly ? "&readonly=2" : "");
}

/* Run a query on the first shard, passing its rows to fn.  A statement the server refuses
 * is the caller's mistake for dyad query sql only (DYAD_EINVAL); else DYAD_EIO. */
static dyad_status run_query(ch *c, const buf *sql, dyad_row_fn fn, void *ctx, const char *what,
                             bool users, dyad_error *err)
{
    if (sql->oom)
        return dyad__fail(err, DYAD_ENOMEM, "out of memory building a query");
    resp r = {0};
    r.fn = fn;
    r.ctx = ctx;
    dyad_status st = post(c, 0, c->settings, sql->p, sql->len, &r, what, err);
    resp_free(&r);
    if (st == DYAD_EINVAL && !users) {
        st = DYAD_EIO;
        if (err)
            err->code = st;
    }
    return st;
}

/* The single value of a one-row, one-column query as text (into out); found is false when
 * the query returned no row. */
typedef struct one_value {
    char text[64];
    bool found;
} one_value;

static int take_one(void *ctx, size_t ncols, const char *const *names, const dyad_value *v)
{
    one_value *o = ctx;
    (void)names;
    if (ncols < 1)
        return 1;
    o->found = true;
    if (v[0].type == DYAD_VALUE_TEXT)
        snprintf(o->text, sizeof o->text, "%.*s", (int)(v[0].s.len < 63 ? v[0].s.len : 63),
                 v[0].s.ptr);
    else if (v[0].type == DYAD_VALUE_INT)
        snprintf(o->text, sizeof o->text, "%llu", (unsigned long long)v[0].i);
    return 1;
}

static dyad_status query_one(ch *c, size_t h, const char *sql, one_value *o, int *ch_code,
                             const char *what, dyad_error *err)
{
    memset(o, 0, sizeof *o);
    resp r = {0};
    r.fn = take_one;
    r.ctx = o;
    dyad_status st = post(c, h, c->settings, sql, strlen(sql), &r, what, err);
    if (ch_code)
        *ch_code = error_code(&r);
    resp_free(&r);
    return st;
}

/* ---------------------------------------------------------------- opening */

static bool ident_ok(const char *s, size_t n)
{
    if (!n || n >= CH_NAME || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '_')
            return false;
    return true;
}

static bool host_ok(const char *s, size_t n)
{
    if (!n)
        return false;
    if (s[0] == '[')   /* an IPv6 address */
        return n > 2 && s[n - 1] == ']';
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '.' && s[i] != '-')
            return false;
    return true;
}

#define URI_FAIL(...) (dyad__where(err, c->where, 0, 0, dyad__slice("", 0)), \
                       dyad__fail(err, DYAD_EINVAL, __VA_ARGS__))

/* clickhouse://[USER[:PASSWORD]@]HOST[:PORT][,HOST[:PORT]...][/DB][?cluster=NAME] */
static dyad_status parse_uri(ch *c, const char *uri, dyad_error *err)
{
    const char *p = uri + 13;
    const char *end = p + strcspn(p, "/?");
    const char *at = memchr(p, '@', (size_t)(end - p));
    /* the URI for messages, without the password */
    if (at) {
        const char *colon = memchr(p, ':', (size_t)(at - p));
        size_t ulen = (size_t)((colon ? colon : at) - p);
        snprintf(c->where, sizeof c->where, "clickhouse://%.*s@%s", (int)ulen, p, at + 1);
        if ((size_t)(at - p) >= sizeof c->userpwd)
            return URI_FAIL("the user name and password are too long");
        memcpy(c->userpwd, p, (size_t)(at - p));
        c->userpwd[at - p] = '\0';
        if (!colon) {
            size_t k = strlen(c->userpwd);
            if (k + 2 > sizeof c->userpwd)
                return URI_FAIL("the user name is too long");
            memcpy(c->userpwd + k, ":", 2);
        }
        p = at + 1;
    } else {
        snprintf(c->where, sizeof c->where, "%s", uri);
    }
    while (p < end) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        const char *e = comma ? comma : end;
        const char *colon = NULL;
        if (*p == '[') {
            const char *rb = memchr(p, ']', (size_t)(e - p));
            if (rb && rb + 1 < e && rb[1] == ':')
                colon = rb + 1;
        } else {
            colon = memchr(p, ':', (size_t)(e - p));
        }
        const char *hend = colon ? colon : e;
        if (!host_ok(p, (size_t)(hend - p)))
            return URI_FAIL("'%.*s' is not a host name", (int)(hend - p), p);
        unsigned long port = 8123;
        if (colon) {
            char *pe;
            port = strtoul(colon + 1, &pe, 10);
            if (pe != e || colon + 1 == e || port < 1 || port > 65535)
                return URI_FAIL("'%.*s' is not a port", (int)(e - colon - 1), colon + 1);
        }
        if (c->nhosts == CH_MAX_HOSTS)
            return URI_FAIL("more than %d servers", CH_MAX_HOSTS);
        snprintf(c->url[c->nhosts++], sizeof c->url[0], "http://%.*s:%lu/", (int)(hend - p), p,
                 port);
        p = comma ? comma + 1 : end;
    }
    if (!c->nhosts)
        return URI_FAIL("no server named (clickhouse://HOST:PORT/DB)");
    snprintf(c->db, sizeof c->db, "dyad");
    if (*p == '/') {
        p++;
        size_t n = strcspn(p, "?");
        if (n) {
            if (!ident_ok(p, n))
                return URI_FAIL("'%.*s' is not a database name (letters, digits, _)", (int)n, p);
            memcpy(c->db, p, n);
            c->db[n] = '\0';
        }
        p += n;
    }
    if (*p == '?') {
        p++;
        if (strncmp(p, "cluster=", 8) != 0)
            return URI_FAIL("unknown parameter '%.40s' (only cluster=NAME)", p);
        p += 8;
        size_t n = strlen(p);
        if (!ident_ok(p, n))
            return URI_FAIL("'%.40s' is not a cluster name (letters, digits, _)", p);
        memcpy(c->cluster, p, n + 1);
    }
    if (c->nhosts > 1 && !c->cluster[0])
        return URI_FAIL("several servers need ?cluster=NAME, the cluster of their shards");
    return DYAD_OK;
}

static dyad_status ch_close(void *impl, dyad_error *err);

/* The name of a table's MergeTree on each shard. */
static void local_name(const ch *c, int t, char *out, size_t size)
{
    snprintf(out, size, c->cluster[0] ? "%s_local" : "%s", table_name[t]);
}

/* Create the database, tables and schema mark on every shard, or check them. */
static dyad_status create_schema(ch *c, dyad_error *err)
{
    char sql[1024];
    dyad_status st;
    if (c->cluster[0]) {   /* a database made for one server stays so */
        one_value o;
        snprintf(sql, sizeof sql,
                 "SELECT engine FROM system.tables WHERE database = '%s' AND name = 'events'",
                 c->db);
        int code = 0;
        st = query_one(c, 0, sql, &o, &code, "cannot read the tables", err);
        if (st && code != 81)   /* 81: no such database yet */
            return st;
        if (!st && o.found && strcmp(o.text, "Distributed") != 0) {
            dyad__where(err, c->where, 0, 0, dyad__slice("", 0));
            return dyad__fail(err, DYAD_EINVAL,
                              "the database '%s' was made for one server, not for a cluster: "
                              "give a new database", c->db);
        }
    }
    for (size_t h = 0; h < c->nhosts; h++) {
        snprintf(sql, sizeof sql, "CREATE DATABASE IF NOT EXISTS `%s`", c->db);
        if ((st = exec_on(c, h, sql, "cannot create the database", err)))
            return st;
        for (int t = 0; t < T_COUNT; t++) {
            char local[CH_NAME];
            local_name(c, t, local, sizeof local);
            snprintf(sql, sizeof sql, "CREATE TABLE IF NOT EXISTS `%s`.`%s` %s", c->db, local,
                     table_columns[t]);
            if ((st = exec_on(c, h, sql, "cannot create a table", err)))
                return st;
            if (!c->cluster[0])
                continue;
            snprintf(sql, sizeof sql,
                     "CREATE TABLE IF NOT EXISTS `%s`.`%s` AS `%s`.`%s`"
                     " ENGINE = Distributed(`%s`, `%s`, `%s`, cityHash64(%s))",
                     c->db, table_name[t], c->db, local, c->cluster, c->db, local,
                     table_key[t]);
            if ((st = exec_on(c, h, sql, "cannot create a Distributed table", err)))
                return st;
        }
        snprintf(sql, sizeof sql,
                 "CREATE TABLE IF NOT EXISTS `%s`.dyad_meta (key String, value String)"
                 " ENGINE = TinyLog", c->db);
        if ((st = exec_on(c, h, sql, "cannot create a table", err)))
            return st;
        one_value o;
        snprintf(sql, sizeof sql, "SELECT value FROM `%s`.dyad_meta WHERE key = 'schema'",
                 c->db);
        if ((st = query_one(c, h, sql, &o, NULL, "cannot read the schema version", err)))
            return st;
        if (!o.found) {
            snprintf(sql, sizeof sql,
                     "INSERT INTO `%s`.dyad_meta VALUES ('schema', '%d')", c->db,
                     DYAD_STORE_SCHEMA);
            if ((st = exec_on(c, h, sql, "cannot mark the schema version", err)))
                return st;
        } else if (atoi(o.text) != DYAD_STORE_SCHEMA) {
            dyad__where(err, c->where, 0, 0, dyad__slice("", 0));
            return dyad__fail(err, DYAD_EVERSION,
                              "database schema version %s; this dyad reads version %d "
                              "(see docs/clickhouse.md)", o.text, DYAD_STORE_SCHEMA);
        }
    }
    if (c->cluster[0]) {   /* every shard of the cluster must have been named */
        one_value o;
        snprintf(sql, sizeof sql,
                 "SELECT uniqExact(shard_num) FROM system.clusters WHERE cluster = '%s'",
                 c->cluster);
        if ((st = query_one(c, 0, sql, &o, NULL, "cannot read the cluster", err)))
            return st;
        unsigned long n = strtoul(o.text, NULL, 10);
        dyad__where(err, c->where, 0, 0, dyad__slice("", 0));
        if (n == 0)
            return dyad__fail(err, DYAD_ENOTFOUND,
                              "the server knows no cluster '%s' (remote_servers in its "
                              "configuration)", c->cluster);
        if (n != c->nhosts)
            return dyad__fail(err, DYAD_EINVAL,
                              "the cluster '%s' has %lu shards and the URI names %zu servers: "
                              "name the HTTP address of every shard", c->cluster, n, c->nhosts);
    }
    return DYAD_OK;
}

/* A read-only store: the schema must be there, of this version. */
static dyad_status check_schema(ch *c, dyad_error *err)
{
    char sql[256];
    one_value o;
    int code = 0;
    snprintf(sql, sizeof sql, "SELECT value FROM `%s`.dyad_meta WHERE key = 'schema'", c->db);
    dyad_status st = query_one(c, 0, sql, &o, &code, "cannot read the schema version", err);
    if (st && (code == 81 || code == 60)) {   /* no such database, no such table */
        dyad__where(err, c->where, 0, 0, dyad__slice("", 0));
        return dyad__fail(err, DYAD_ENOTFOUND,
                          "no dyad database '%s' there (fill it with dyad load or dyad code "
                          "--db)", c->db);
    }
    if (st)
        return st;
    dyad__where(err, c->where, 0, 0, dyad__slice("", 0));
    if (!o.found)
        return dyad__fail(err, DYAD_EFORMAT, "not a dyad database (no schema version)");
    if (atoi(o.text) != DYAD_STORE_SCHEMA)
        return dyad__fail(err, DYAD_EVERSION,
                          "database schema version %s; this dyad reads version %d "
                          "(see docs/clickhouse.md)", o.text, DYAD_STORE_SCHEMA);
    return DYAD_OK;
}

static void start_insert(ch *c, int t)
{
    c->rows[t].len = 0;
    buf_fmt(&c->rows[t], "INSERT INTO `%s`.`%s` FORMAT TabSeparated\n", c->db, table_name[t]);
    c->head[t] = c->rows[t].len;
}

dyad_status dyad__store_clickhouse_open(const char *uri, const dyad_store_opts *opts,
                                        void **impl, dyad_error *err)
{
    ch *c = calloc(1, sizeof *c);
    if (!c)
        return dyad__fail(err, DYAD_ENOMEM, "out of memory opening %s", uri);
    c->readonly = (opts->flags & DYAD_STORE_READONLY) != 0;
    c->batch = opts->batch_articles ? opts->batch_articles : 1000;
    dyad_status st = parse_uri(c, uri, err);
    if (st)
        goto fail;
    set_query_settings(c);
    c->curl = curl_easy_init();
    if (!c->curl) {
        st = dyad__fail(err, DYAD_ENOMEM, "cannot start an HTTP client");
        goto fail;
    }
    curl_easy_setopt(c->curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c->curl, CURLOPT_PROXY, "");   /* straight to the server */
    curl_easy_setopt(c->curl, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(c->curl, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(c->curl, CURLOPT_ERRORBUFFER, c->curl_err);
    if (c->userpwd[0]) {
        curl_easy_setopt(c->curl, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
        curl_easy_setopt(c->curl, CURLOPT_USERPWD, c->userpwd);
    }
    if (c->readonly) {
        if ((st = check_schema(c, err)))
            goto fail;
    } else {
        if ((st = create_schema(c, err)))
            goto fail;
        /* versions only grow, whatever the clock did since the last write */
        char sql[256];
        one_value o;
        snprintf(sql, sizeof sql, "SELECT max(version) FROM `%s`.articles", c->db);
        if ((st = query_one(c, 0, sql, &o, NULL, "cannot read the articles", err)))
            goto fail;
        c->version = strtoull(o.text, NULL, 10);
        for (int t = 0; t < T_COUNT; t++)
            start_insert(c, t);
    }
    *impl = c;
    return DYAD_OK;
fail:
    ch_close(c, NULL);
    return st;
}

/* ---------------------------------------------------------------- writes */

/* Insert the pending rows: sentences, events and quotes first, the articles last (an
 * article's new rows count only once its articles row is in). */
static dyad_status ch_flush(void *impl, dyad_error *err)
{
    ch *c = impl;
    if (c->readonly)
        return DYAD_OK;
    static const int order[T_COUNT] = {T_SENTENCES, T_EVENTS, T_QUOTES, T_ARTICLES};
    dyad_status st = DYAD_OK;
    for (int k = 0; k < T_COUNT && !st; k++) {
        int t = order[k];
        if (c->rows[t].oom)
            st = dyad__fail(err, DYAD_ENOMEM, "out of memory storing articles");
        else if (c->rows[t].len > c->head[t]) {
            resp r = {0};
            st = post(c, 0, "insert_distributed_sync=1", c->rows[t].p, c->rows[t].len, &r,
                      "cannot store articles", err);
            resp_free(&r);
        }
    }
    for (int t = 0; t < T_COUNT; t++) {   /* a failed batch is dropped, as a rollback */
        c->rows[t].oom = false;
        start_insert(c, t);
    }
    c->in_batch = 0;
    return st;
}

static void tsv_text(buf *b, const char *s, size_t n)
{
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        const char *e = c == '\t' ? "\\t" : c == '\n' ? "\\n" : c == '\r' ? "\\r"
                      : c == '\\' ? "\\\\" : c == '\0' ? "\\0" : NULL;
        if (!e)
            continue;
        buf_add(b, s + run, i - run);
        buf_add(b, e, 2);
        run = i + 1;
    }
    buf_add(b, s + run, n - run);
}

/* A text column: the value, or '' when absent. */
static void col_text(buf *b, dyad_slice s)
{
    if (s.len && s.ptr)
        tsv_text(b, s.ptr, s.len);
    buf_add(b, "\t", 1);
}

static void col_opt(buf *b, bool has, dyad_slice s)
{
    col_text(b, has ? s : dyad__slice("", 0));
}

static void col_uint(buf *b, uint64_t v)
{
    buf_fmt(b, "%llu\t", (unsigned long long)v);
}

/* A real that reads back as the same double. */
static void col_real(buf *b, double v)
{
    char tmp[40];
    snprintf(tmp, sizeof tmp, "%.15g", v);
    if (strtod(tmp, NULL) != v)
        snprintf(tmp, sizeof tmp, "%.17g", v);
    buf_str(b, tmp);
    buf_add(b, "\t", 1);
}

/* End a row: its last tab becomes the newline. */
static void end_row(buf *b)
{
    if (!b->oom && b->len)
        b->p[b->len - 1] = '\n';
}

static uint64_t next_version(ch *c)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t v = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
    if (v <= c->version)
        v = c->version + 1;
    c->version = v;
    return v;
}

static dyad_status ch_write(void *impl, const dyad__sarticle *a, dyad_error *err)
{
    ch *c = impl;
    if (c->readonly)
        return dyad__fail(err, DYAD_EINVAL, "the store is open read-only");
    uint64_t version = next_version(c);
    bool meta = a->mode != DYAD__WRITE_CONTENT, content = a->mode != DYAD__WRITE_META;
    buf *b = &c->rows[T_ARTICLES];
    col_text(b, a->id);
    col_uint(b, version);
    col_uint(b, a->mode == DYAD__WRITE_FULL);
    col_uint(b, content);
    dyad_slice none = dyad__slice("", 0);
    col_text(b, meta ? a->date : none);
    col_text(b, meta ? a->title : none);
    col_text(b, meta ? a->url : none);
    col_text(b, meta ? a->source : none);
    col_text(b, meta ? a->text : none);
    end_row(b);
    if (content) {
        b = &c->rows[T_SENTENCES];
        for (size_t i = 0; i < a->nsents; i++) {
            col_text(b, a->id);
            col_uint(b, version);
            col_uint(b, a->sents[i].idx);
            col_text(b, a->sents[i].text);
            end_row(b);
        }
        b = &c->rows[T_EVENTS];
        for (size_t i = 0; i < a->nevents; i++) {
            const dyad__sevent *e = &a->events[i];
            col_text(b, a->id);
            col_uint(b, version);
            col_uint(b, i);
            col_uint(b, e->sentence);
            col_text(b, e->date);
            col_text(b, dyad__slice(e->day, strlen(e->day)));
            col_opt(b, e->has_source, e->source);
            col_opt(b, e->has_source, e->source_text);
            col_opt(b, e->has_target, e->target);
            col_opt(b, e->has_target, e->target_text);
            col_text(b, e->code);
            col_text(b, e->root);
            col_uint(b, (uint64_t)(e->quad > 0 ? e->quad : 0));
            col_real(b, e->goldstein);
            col_opt(b, e->has_location, e->location);
            col_opt(b, e->has_location, e->country);
            col_text(b, e->verb);
            col_uint(b, e->verb_start);
            col_uint(b, e->verb_end);
            col_text(b, e->pattern);
            col_text(b, e->dictionary);
            col_uint(b, e->line);
            col_uint(b, e->flags);
            end_row(b);
        }
        b = &c->rows[T_QUOTES];
        for (size_t i = 0; i < a->nquotes; i++) {
            const dyad__squote *q = &a->quotes[i];
            col_text(b, a->id);
            col_uint(b, version);
            col_uint(b, i);
            col_uint(b, q->sentence);
            col_opt(b, q->has_speaker, q->speaker);
            col_opt(b, q->has_speaker, q->speaker_text);
            col_text(b, q->text);
            col_uint(b, q->start);
            col_uint(b, q->end);
            end_row(b);
        }
    }
    for (int t = 0; t < T_COUNT; t++)
        if (c->rows[t].oom)
            return dyad__fail(err, DYAD_ENOMEM, "out of memory storing an article");
    if (++c->in_batch >= c->batch)
        return ch_flush(c, err);
    return DYAD_OK;
}

static dyad_status ch_close(void *impl, dyad_error *err)
{
    ch *c = impl;
    if (!c)
        return DYAD_OK;
    dyad_status st = DYAD_OK;
    if (c->curl && !c->readonly && c->rows[0].p)
        st = ch_flush(c, err);
    if (c->curl)
        curl_easy_cleanup(c->curl);
    for (int t = 0; t < T_COUNT; t++)
        free(c->rows[t].p);
    free(c);
    return st;
}

/* ---------------------------------------------------------------- queries */

/* " AND col >= 'P' AND col < 'P~'": col starts with the prefix P, as in the SQLite store. */
static void where_prefix(buf *b, const char *col, const char *prefix)
{
    size_t n = strlen(prefix);
    char hi[48];
    snprintf(hi, sizeof hi, "%s~", prefix);
    buf_fmt(b, " AND %s >= ", col);
    buf_quote(b, prefix, n);
    buf_fmt(b, " AND %s < ", col);
    buf_quote(b, hi, strlen(hi));
}

/* The current version of each article: only its rows count. */
static void where_current(buf *b, const ch *c)
{
    buf_fmt(b, " AND (article, version) IN (SELECT id, maxIf(version, content = 1)"
               " FROM `%s`.articles GROUP BY id)", c->db);
}

/* Dates, code and QuadClass (the actors are left to the caller). */
static void where_common(buf *b, const ch *c, const dyad__squery *q)
{
    if (q->from[0]) {
        buf_str(b, " AND day >= ");
        buf_quote(b, q->from, strlen(q->from));
    }
    if (q->to[0]) {
        buf_str(b, " AND day <= ");
        buf_quote(b, q->to, strlen(q->to));
    }
    if (q->code[0])
        where_prefix(b, "code", q->code);
    if (q->quad)
        buf_fmt(b, " AND quad = %d", q->quad);
    where_current(b, c);
}

static void where_actors(buf *b, const dyad__squery *q)
{
    if (q->source[0])
        where_prefix(b, "source", q->source);
    if (q->target[0])
        where_prefix(b, "target", q->target);
}

static void limit(buf *b, size_t n)
{
    if (n)
        buf_fmt(b, " LIMIT %zu", n);
}

/* One direction of the dyad: events from a to c (with overlapping actors, an event is
 * counted in the first direction only). */
static void dyad_branch(buf *b, const ch *c, const dyad__squery *q, int dir, const char *a,
                        const char *t)
{
    if (q->one_a_day)
        buf_str(b, "SELECT day, min(quad) AS q, min(goldstein) AS g, ");
    else
        buf_str(b, "SELECT day, quad AS q, goldstein AS g, ");
    buf_str(b, dir ? "1 AS dir" : "0 AS dir");
    buf_fmt(b, " FROM `%s`.events WHERE 1", c->db);
    where_prefix(b, "source", a);
    where_prefix(b, "target", t);
    if (dir) {
        buf_str(b, " AND NOT (1");
        where_prefix(b, "source", t);
        where_prefix(b, "target", a);
        buf_str(b, ")");
    }
    where_common(b, c, q);
    if (q->one_a_day)
        buf_str(b, " GROUP BY day, source, target, code");
}

static dyad_status ch_dyad(void *impl, const dyad__squery *q, dyad_row_fn fn, void *ctx,
                           dyad_error *err)
{
    ch *c = impl;
    int n = q->by == DYAD_BY_DAY ? 10 : q->by == DYAD_BY_MONTH ? 7 : 4;
    buf b = {0};
    buf_fmt(&b, "SELECT substring(day, 1, %d) AS period, dir, count() AS events,"
                " countIf(q = 1) AS quad1, countIf(q = 2) AS quad2, countIf(q = 3) AS quad3,"
                " countIf(q = 4) AS quad4, sum(g) AS goldstein_sum FROM (", n);
    dyad_branch(&b, c, q, 0, q->source, q->target);
    buf_str(&b, " UNION ALL ");
    dyad_branch(&b, c, q, 1, q->target, q->source);
    buf_str(&b, ") GROUP BY period, dir ORDER BY period, dir");
    dyad_status st = run_query(c, &b, fn, ctx, "the dyad query failed", false, err);
    free(b.p);
    return st;
}

/* The events an actors query counts, as a subquery with columns source, target. */
static void actors_base(buf *b, const ch *c, const dyad__squery *q)
{
    buf_fmt(b, "(SELECT source, target FROM `%s`.events WHERE 1", c->db);
    where_actors(b, q);
    where_common(b, c, q);
    if (q->one_a_day)
        buf_str(b, " GROUP BY day, source, target, code");
    buf_str(b, ")");
}

static dyad_status ch_actors(void *impl, const dyad__squery *q, dyad_row_fn fn, void *ctx,
                             dyad_error *err)
{
    ch *c = impl;
    buf b = {0};
    const char *s = q->by_country ? "substring(source, 1, 3)" : "source";
    const char *t = q->by_country ? "substring(target, 1, 3)" : "target";
    buf_str(&b, "SELECT actor, sum(s) AS as_source, sum(t) AS as_target, count() AS total"
                " FROM (");
    buf_fmt(&b, "SELECT %s AS actor, 1 AS s, 0 AS t FROM ", s);
    actors_base(&b, c, q);
    buf_str(&b, " WHERE source != '' UNION ALL ");
    buf_fmt(&b, "SELECT %s AS actor, 0 AS s, 1 AS t FROM ", t);
    actors_base(&b, c, q);
    buf_str(&b, " WHERE target != '') GROUP BY actor ORDER BY total DESC, actor");
    limit(&b, q->limit);
    dyad_status st = run_query(c, &b, fn, ctx, "the actors query failed", false, err);
    free(b.p);
    return st;
}

static dyad_status ch_events(void *impl, const dyad__squery *q, dyad_row_fn fn, void *ctx,
                             dyad_error *err)
{
    ch *c = impl;
    buf b = {0};
    if (q->one_a_day) {
        /* GDELT's NumSources: distinct sources of the articles, an article without one
         * counting as its own */
        buf_str(&b, "SELECT day AS date, source, target, code, min(quad) AS quad,"
                    " min(goldstein) AS goldstein, count() AS num_mentions,"
                    " uniqExact(if(article_source != '', article_source,"
                    " concat('article:', article))) AS num_sources,"
                    " uniqExact(article) AS num_articles FROM (SELECT day, source, target,"
                    " code, quad, goldstein, article, version");
        buf_fmt(&b, " FROM `%s`.events WHERE 1", c->db);
        where_actors(&b, q);
        where_common(&b, c, q);
        buf_fmt(&b, ") ANY LEFT JOIN (SELECT id AS article, argMaxIf(source, version,"
                    " full = 1 OR source != '') AS article_source FROM `%s`.articles"
                    " GROUP BY id) USING article"
                    " GROUP BY day, source, target, code ORDER BY day, source, target, code",
                c->db);
    } else {
        buf_str(&b, "SELECT date, nullIf(source, '') AS source,"
                    " nullIf(source_text, '') AS source_text, nullIf(target, '') AS target,"
                    " nullIf(target_text, '') AS target_text, code, quad, goldstein,"
                    " nullIf(location, '') AS location, nullIf(country, '') AS country,"
                    " article, sentence, nullIf(verb, '') AS verb FROM (SELECT *");
        buf_fmt(&b, " FROM `%s`.events WHERE 1", c->db);
        where_actors(&b, q);
        where_common(&b, c, q);
        buf_str(&b, ") ORDER BY day, article, sentence, n");
    }
    limit(&b, q->limit);
    dyad_status st = run_query(c, &b, fn, ctx, "the events query failed", false, err);
    free(b.p);
    return st;
}

/* Search: every word a case-insensitive substring of the sentence (ClickHouse has no
 * full-text index here: no stemming, no FTS syntax). */
static void search_words(buf *b, const char *text)
{
    const char *p = text;
    for (;;) {
        while (*p && isspace((unsigned char)*p))
            p++;
        if (!*p)
            break;
        const char *w = p;
        while (*p && !isspace((unsigned char)*p))
            p++;
        size_t len = (size_t)(p - w);
        if (len > 1 && w[len - 1] == '*')
            len--;
        buf_str(b, " AND positionCaseInsensitiveUTF8(text, ");
        buf_quote(b, w, len);
        buf_str(b, ") > 0");
    }
}

static dyad_status ch_search(void *impl, const dyad__squery *q, dyad_row_fn fn, void *ctx,
                             dyad_error *err)
{
    ch *c = impl;
    if (q->raw_text)
        return dyad__fail(err, DYAD_EUNSUPPORTED,
                          "FTS queries need the SQLite store; a ClickHouse store searches "
                          "for words");
    buf b = {0};
    buf_str(&b, "SELECT article, sentence, text, nullIf(date, '') AS event_date,"
                " nullIf(source, '') AS source, nullIf(target, '') AS target,"
                " nullIf(code, '') AS code, if(code = '', NULL, quad) AS quad,"
                " if(code = '', NULL, goldstein) AS goldstein FROM (SELECT article, version,"
                " idx AS sentence, text");
    buf_fmt(&b, " FROM `%s`.sentences WHERE 1", c->db);
    search_words(&b, q->text);
    where_current(&b, c);
    buf_str(&b, " ORDER BY article, sentence");
    limit(&b, q->limit);
    buf_str(&b, ") ALL LEFT JOIN (SELECT article, version, sentence, n, date, source, target,"
                " code, quad, goldstein");
    buf_fmt(&b, " FROM `%s`.events WHERE (article, version, sentence) IN (SELECT article,"
                " version, idx FROM `%s`.sentences WHERE 1", c->db, c->db);
    search_words(&b, q->text);
    buf_str(&b, ")) USING (article, version, sentence) ORDER BY article, sentence, n");
    dyad_status st = run_query(c, &b, fn, ctx, "the search failed", false, err);
    free(b.p);
    return st;
}

/* One statement of ClickHouse's dialect, ?1, ?2, ... replaced by the quoted parameters
 * (outside quotes and comments). */
static dyad_status ch_sql(void *impl, const char *sql, const char *const *params,
                          size_t nparams, dyad_row_fn fn, void *ctx, dyad_error *err)
{
    ch *c = impl;
    buf b = {0};
    size_t most = 0;
    const char *p = sql;
    while (*p) {
        char ch0 = *p;
        if (ch0 == '\'' || ch0 == '"' || ch0 == '`') {   /* a quoted name or string */
            const char *e = p + 1;
            while (*e && *e != ch0)
                e += e[0] == '\\' && e[1] ? 2 : 1;
            if (*e)
                e++;
            buf_add(&b, p, (size_t)(e - p));
            p = e;
        } else if (ch0 == '-' && p[1] == '-') {
            size_t n = strcspn(p, "\n");
            buf_add(&b, p, n);
            p += n;
        } else if (ch0 == '/' && p[1] == '*') {
            const char *e = strstr(p + 2, "*/");
            e = e ? e + 2 : p + strlen(p);
            buf_add(&b, p, (size_t)(e - p));
            p = e;
        } else if (ch0 == '?' && isdigit((unsigned char)p[1])) {
            char *e;
            unsigned long k = strtoul(p + 1, &e, 10);
            if (k < 1 || k > nparams) {
                free(b.p);
                return dyad__fail(err, DYAD_EINVAL, "the statement names ?%lu, and %zu "
                                  "parameters are given", k, nparams);
            }
            if (k > most)
                most = k;
            buf_quote(&b, params[k - 1], strlen(params[k - 1]));
            p = e;
        } else {
            buf_add(&b, p, 1);
            p++;
        }
    }
    if (most != nparams) {
        free(b.p);
        return dyad__fail(err, DYAD_EINVAL, "the statement takes %zu parameters, %zu given",
                          most, nparams);
    }
    dyad_status st = run_query(c, &b, fn, ctx, "the statement failed", true, err);
    free(b.p);
    return st;
}

const dyad__store_backend dyad__store_clickhouse = {
    "clickhouse", ch_write, ch_flush, ch_dyad, ch_actors, ch_events, ch_search, ch_sql,
    ch_close,
};
