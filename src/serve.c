/* serve.c - the dashboard server: static files and a JSON API over the event store (libmicrohttpd). */
#include "web.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

/* Limits of the API (docs/dashboard.md). */
#define MAX_PARAMS 16
#define MAX_VALUE 512
#define MAX_EVENTS_PAGE 500
#define MAX_OFFSET 100000000
#define MAX_ACTORS 1000
#define MAX_SEARCH 200
#define MAX_PERIODS 5000

/* Threads and store handles: libmicrohttpd answers on a pool of threads; a request borrows
 * one of as many read-only store handles (an SQLite connection serves one thread at a time),
 * so requests never wait for each other's queries. */
struct dyad_server {
    struct MHD_Daemon *daemon;
    char web[PATH_MAX];          /* the real path of the static files' directory */
    char host[64];
    bool loopback;               /* bound to a loopback address: check the Host header */
    unsigned port;
    dyad_store **stores;
    bool *busy;
    size_t nstores;
    pthread_mutex_t mu;
    pthread_cond_t cv;
};

void dyad_server_opts_default(dyad_server_opts *opts)
{
    if (!opts)
        return;
    memset(opts, 0, sizeof *opts);
    opts->host = "127.0.0.1";
    opts->threads = 4;
    opts->max_connections = 64;
}

static dyad_store *borrow_store(dyad_server *s)
{
    pthread_mutex_lock(&s->mu);
    for (;;) {
        for (size_t i = 0; i < s->nstores; i++)
            if (!s->busy[i]) {
                s->busy[i] = true;
                pthread_mutex_unlock(&s->mu);
                return s->stores[i];
            }
        pthread_cond_wait(&s->cv, &s->mu);
    }
}

static void return_store(dyad_server *s, dyad_store *store)
{
    pthread_mutex_lock(&s->mu);
    for (size_t i = 0; i < s->nstores; i++)
        if (s->stores[i] == store)
            s->busy[i] = false;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
}

/* ---------------------------------------------------------------- responses */

static enum MHD_Result send_buffer(struct MHD_Connection *c, unsigned status, char *body,
                                   size_t len, const char *type)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(body);
        return MHD_NO;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
        MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
    enum MHD_Result ok = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ok;
}

static enum MHD_Result send_json(struct MHD_Connection *c, unsigned status, const cJSON *body)
{
    char *text = cJSON_PrintUnformatted(body);
    if (!text)
        return MHD_NO;
    size_t n = strlen(text);
    char *t = realloc(text, n + 2);   /* end with a newline, for people using curl */
    if (!t) {
        free(text);
        return MHD_NO;
    }
    t[n] = '\n';
    t[n + 1] = '\0';
    return send_buffer(c, status, t, n + 1, "application/json; charset=utf-8");
}

/* {"error": "..."} with an HTTP status. */
static enum MHD_Result send_error(struct MHD_Connection *c, unsigned status, const char *msg)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddStringToObject(o, "error", msg)) {
        cJSON_Delete(o);
        return MHD_NO;
    }
    enum MHD_Result r = send_json(c, status, o);
    cJSON_Delete(o);
    return r;
}

/* Request text in a message: printable ASCII kept, the rest '?', at most 40 bytes. */
static void echo(char *out, size_t size, const char *in)
{
    size_t o = 0;
    for (size_t i = 0; in && in[i] && o + 4 < size; i++) {
        if (i == 40) {
            memcpy(out + o, "...", 3);
            o += 3;
            break;
        }
        unsigned char ch = (unsigned char)in[i];
        out[o++] = ch >= 0x20 && ch < 0x7f && ch != '"' && ch != '\\' ? (char)ch : '?';
    }
    out[o] = '\0';
}

/* ---------------------------------------------------------------- parameters */

typedef struct params {
    const char *const *allowed;   /* NULL-terminated */
    const char *key[MAX_PARAMS];
    const char *val[MAX_PARAMS];
    size_t n;
    char error[256];
} params;

static void param_error(params *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void param_error(params *p, const char *fmt, ...)
{
    if (p->error[0])
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->error, sizeof p->error, fmt, ap);
    va_end(ap);
}

static enum MHD_Result collect_param(void *cls, enum MHD_ValueKind kind, const char *key,
                                     size_t key_size, const char *value, size_t value_size)
{
    params *p = cls;
    char k[64];
    echo(k, sizeof k, key);
    bool known = false;
    for (size_t i = 0; p->allowed[i]; i++)
        if (strlen(key) == key_size && strcmp(key, p->allowed[i]) == 0)
            known = true;
    if (!known) {
        param_error(p, "unknown parameter '%s'", k);
        return MHD_NO;
    }
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->key[i], key) == 0) {
            param_error(p, "parameter '%s' given twice", k);
            return MHD_NO;
        }
    if (value && strlen(value) != value_size) {
        param_error(p, "parameter '%s' holds a NUL byte", k);
        return MHD_NO;
    }
    if (value_size > MAX_VALUE) {
        param_error(p, "parameter '%s' is longer than %d bytes", k, MAX_VALUE);
        return MHD_NO;
    }
    if (p->n == MAX_PARAMS) {
        param_error(p, "too many parameters");
        return MHD_NO;
    }
    p->key[p->n] = key;
    p->val[p->n] = value ? value : "";
    p->n++;
    return MHD_YES;
}

/* The value of a parameter, NULL when absent or empty. */
static const char *param(const params *p, const char *key)
{
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->key[i], key) == 0)
            return p->val[i][0] ? p->val[i] : NULL;
    return NULL;
}

/* An actor code: letters and digits in three-letter units, upper-cased into out[40]. */
static bool param_actor(params *p, const char *key, char out[40])
{
    const char *v = param(p, key);
    out[0] = '\0';
    if (!v)
        return true;
    size_t n = strlen(v);
    char e[64];
    echo(e, sizeof e, v);
    if (n % 3 || n >= 40) {
        param_error(p, "%s: '%s' is not an actor code (three-letter units: RUS, RUSGOV)", key, e);
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (!isalnum((unsigned char)v[i]) && v[i] != '-') {   /* "---GOV" */
            param_error(p, "%s: '%s' is not an actor code (letters, digits, '-')", key, e);
            return false;
        }
        out[i] = (char)toupper((unsigned char)v[i]);
    }
    out[n] = '\0';
    return true;
}

static bool param_date(params *p, const char *key, char out[11])
{
    const char *v = param(p, key);
    out[0] = '\0';
    if (!v)
        return true;
    char e[64];
    echo(e, sizeof e, v);
    if (strlen(v) != 10 || !dyad_date_valid(dyad__cstr(v))) {
        param_error(p, "%s: '%s' is not a real day as YYYY-MM-DD", key, e);
        return false;
    }
    memcpy(out, v, 11);
    return true;
}

/* A whole number in [min, max]; dflt when absent. */
static bool param_num(params *p, const char *key, long min, long max, long dflt, long *out)
{
    const char *v = param(p, key);
    *out = dflt;
    if (!v)
        return true;
    char e[64];
    echo(e, sizeof e, v);
    size_t n = strlen(v);
    bool digits = n > 0 && n <= 12;
    for (size_t i = 0; digits && i < n; i++)
        digits = v[i] >= '0' && v[i] <= '9';
    long x = digits ? strtol(v, NULL, 10) : -1;
    if (!digits || x < min || x > max) {
        param_error(p, "%s: '%s' is not a whole number from %ld to %ld", key, e, min, max);
        return false;
    }
    *out = x;
    return true;
}

/* One of names (NULL-terminated): its index; dflt when absent. */
static bool param_choice(params *p, const char *key, const char *const *names, int dflt,
                         int *out)
{
    const char *v = param(p, key);
    *out = dflt;
    if (!v)
        return true;
    for (int i = 0; names[i]; i++)
        if (strcmp(v, names[i]) == 0) {
            *out = i;
            return true;
        }
    char e[64], list[160] = "";
    echo(e, sizeof e, v);
    for (int i = 0; names[i]; i++) {
        size_t used = strlen(list);
        snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", names[i]);
    }
    param_error(p, "%s: '%s' is not one of %s", key, e, list);
    return false;
}

/* The filters shared by most endpoints: a, b, from, to, code, quad. */
static bool param_filter(params *p, dyad__web_query *q)
{
    long quad;
    const char *code = param(p, "code");
    if (!param_actor(p, "a", q->a) || !param_actor(p, "b", q->b) ||
        !param_date(p, "from", q->from) || !param_date(p, "to", q->to) ||
        !param_num(p, "quad", 1, 4, 0, &quad))
        return false;
    q->quad = (int)quad;
    if (q->b[0] && !q->a[0]) {
        param_error(p, "b needs a: give the first actor as a");
        return false;
    }
    if (q->from[0] && q->to[0] && strcmp(q->from, q->to) > 0) {
        param_error(p, "from %s is after to %s", q->from, q->to);
        return false;
    }
    if (code) {
        size_t n = strlen(code);
        bool digits = n >= 2 && n <= 4;
        for (size_t i = 0; digits && i < n; i++)
            digits = code[i] >= '0' && code[i] <= '9';
        char e[64];
        echo(e, sizeof e, code);
        if (!digits || !dyad_cameo_name(code)) {
            param_error(p, "code: '%s' is not a CAMEO event code", e);
            return false;
        }
        memcpy(q->code, code, n + 1);
    }
    return true;
}

/* ---------------------------------------------------------------- the API */

/* What a handler answers: an HTTP status, and the body or a message. */
typedef struct answer {
    unsigned status;
    char error[256];
} answer;

/* A failure of the store as an answer: the request's fault (400, 404) or the server's. */
static void store_failed(answer *a, const dyad_error *err)
{
    a->status = err->code == DYAD_EINVAL || err->code == DYAD_ELIMIT ? MHD_HTTP_BAD_REQUEST
              : err->code == DYAD_ENOTFOUND ? MHD_HTTP_NOT_FOUND
                                            : MHD_HTTP_INTERNAL_SERVER_ERROR;
    snprintf(a->error, sizeof a->error, "%s",
             err->msg[0] ? err->msg : dyad_strerror(err->code));
}

/* Unknown actor codes are the request's fault: the dashboard offers those of the store. */
static bool actors_known(dyad_store *store, const dyad__web_query *q, answer *a)
{
    const char *codes[] = {q->a, q->b};
    for (int i = 0; i < 2; i++) {
        if (!codes[i][0])
            continue;
        bool known = false;
        dyad_error err = {0};
        if (dyad__web_actor_known(store, codes[i], &known, &err)) {
            store_failed(a, &err);
            return false;
        }
        if (!known) {
            a->status = MHD_HTTP_BAD_REQUEST;
            snprintf(a->error, sizeof a->error,
                     "%s: unknown actor code '%s' (no event has it as source or target)",
                     i ? "b" : "a", codes[i]);
            return false;
        }
    }
    return true;
}

typedef void (*api_fn)(dyad_server *s, params *p, dyad_store *store, cJSON *out, answer *a);

static void api_info(dyad_server *s, params *p, dyad_store *store, cJSON *out, answer *a)
{
    dyad_error err = {0};
    if (dyad__web_info(store, out, &err))
        store_failed(a, &err);
    else if (!cJSON_AddStringToObject(out, "version", DYAD_VERSION))
        a->status = MHD_HTTP_INTERNAL_SERVER_ERROR;
}

static const char *const period_choices[] = {"day", "week", "month", "year", NULL};

static void timeline(params *p, dyad_store *store, cJSON *out, answer *a, bool dyad)
{
    dyad__web_query q = {0};
    int by;
    if (!param_filter(p, &q) || !param_choice(p, "by", period_choices, 2, &by))
        return;
    if (dyad && (!q.a[0] || !q.b[0])) {
        param_error(p, "the dyad needs two actors, a and b");
        return;
    }
    q.by = DYAD__WEB_DAY + by;
    if (!actors_known(store, &q, a))
        return;
    dyad_error err = {0};
    if ((q.a[0] && !cJSON_AddStringToObject(out, "a", q.a)) ||
        (q.b[0] && !cJSON_AddStringToObject(out, "b", q.b))) {
        a->status = MHD_HTTP_INTERNAL_SERVER_ERROR;
        return;
    }
    if (dyad__web_timeline(store, &q, MAX_PERIODS, out, &err))
        store_failed(a, &err);
}

static void api_timeline(dyad_server *s, params *p, dyad_store *store, cJSON *out, answer *a)
{
    timeline(p, store, out, a, false);
}

static void api_dyad(dyad_server *s, params *p, dyad_store *store, cJSON *out, answer *a)
{
    timeline(p, store, out, a, true);
}

static void api_events(dyad_server *s, params *p, dyad_store *store, cJSON *out, answer *a)
{
    static const char *const orders[] = {"asc", "desc", NULL};
    dyad__web_query q = {0};
    int sort, order;
    long offset, limit;
    if (!param_filter(p, &q) ||
        !param_choice(p, "sort", dyad__web_sort_names, 0, &sort) ||
        !param_choice(p, "order", orders, 0, &order) ||
        !param_num(p, "offset", 0, MAX_OFFSET, 0, &offset) ||
        !param_num(p, "limit", 1, MAX_EVENTS_PAGE, 50, &limit))
        return;
    q.article = param(p, "article");
    q.sort = sort;
    q.desc = order == 1;
    q.offset = (size_t)offset;
    q.limit = (size_t)limit;
    if (!actors_known(store, &q, a))
        return;
    dyad_error err = {0};
    if (!cJSON_AddNumberToObject(out, "offset", (double)offset) ||
        !cJSON_AddNumberToObject(out, "limit", (double)limit) ||
        !cJSON_AddStringToObject(out, "sort", dyad__web_sort_names[sort]) ||
        !cJSON_AddStringToObject(out, "order", orders[order])) {
        a->status = MHD_HTTP_INTERNAL_SERVER_ERROR;
        return;
    }
    if (dyad__web_events(store, &q, out, &err))
        store_failed(a, &err);
}

static void api_article(dyad_server *s, params *p, dyad_store *store, cJSON *out, answer *a)
{
    const char *id = param(p, "id");
    if (!id) {
        param_error(p, "id: the article's id is required");
        return;
    }
    dyad_error err = {0};
    if (dyad__web_article(store, id, out, &err))
        store_failed(a, &err);
}

/* The rows of one query through dyad__web_row into out[name]. */
static bool rows_into(cJSON *out, const char *name, dyad__web_rows *rows)
{
    rows->array = cJSON_AddArrayToObject(out, name);
    rows->oom = false;
    return rows->array != NULL;
}

/* The store filter of a request's code, dates and QuadClass, with a row limit. */
static void store_filter(const dyad__web_query *q, long limit, dyad_store_filter *f)
{
    dyad_store_filter_default(f);
    f->code = q->code[0] ? q->code : NULL;
    f->from = q->from[0] ? q->from : NULL;
    f->to = q->to[0] ? q->to : NULL;
    f->quad = q->quad;
    f->limit = (size_t)limit;
}

static void api_actors(dyad_server *s, params *p, dyad_store *store, cJSON *out, answer *a)
{
    static const char *const kinds[] = {"code", "country", NULL};
    dyad__web_query q = {0};
    int by;
    long limit;
    if (!param_filter(p, &q) || !param_choice(p, "by", kinds, 0, &by) ||
        !param_num(p, "limit", 1, MAX_ACTORS, 100, &limit))
        return;
    dyad_store_filter f;
    store_filter(&q, limit, &f);
    dyad__web_rows rows;
    dyad_error err = {0};
    if (!rows_into(out, "actors", &rows)) {
        a->status = MHD_HTTP_INTERNAL_SERVER_ERROR;
        return;
    }
    if (dyad_store_query_actors(store, &f, by == 1, dyad__web_row, &rows, &err))
        store_failed(a, &err);
    else if (rows.oom)
        a->status = MHD_HTTP_INTERNAL_SERVER_ERROR;
}

static void api_search(dyad_server *s, params *p, dyad_store *store, cJSON *out, answer *a)
{
    dyad__web_query q = {0};
    long limit;
    const char *text = param(p, "q");
    if (!param_filter(p, &q) || !param_num(p, "limit", 1, MAX_SEARCH, 20, &limit))
        return;
    if (!text) {
        param_error(p, "q: the words to look for are required");
        return;
    }
    dyad_store_filter f;
    store_filter(&q, limit, &f);
    dyad__web_rows rows;
    dyad_error err = {0};
    if (!rows_into(out, "rows", &rows)) {
        a->status = MHD_HTTP_INTERNAL_SERVER_ERROR;
        return;
    }
    if (dyad_store_search(store, text, 0, &f, dyad__web_row, &rows, &err))
        store_failed(a, &err);
    else if (rows.oom)
        a->status = MHD_HTTP_INTERNAL_SERVER_ERROR;
}

static const char *const no_params[] = {NULL};
static const char *const timeline_params[] = {"a", "b", "from", "to", "code", "quad", "by", NULL};
static const char *const events_params[] = {"a", "b", "from", "to", "code", "quad", "article",
                                            "sort", "order", "offset", "limit", NULL};
static const char *const article_params[] = {"id", NULL};
static const char *const actors_params[] = {"from", "to", "code", "quad", "by", "limit", NULL};
static const char *const search_params[] = {"q", "from", "to", "code", "quad", "limit", NULL};

static const struct endpoint {
    const char *name;
    const char *const *params;
    api_fn fn;
} endpoints[] = {
    {"info", no_params, api_info},
    {"timeline", timeline_params, api_timeline},
    {"dyad", timeline_params, api_dyad},
    {"events", events_params, api_events},
    {"article", article_params, api_article},
    {"actors", actors_params, api_actors},
    {"search", search_params, api_search},
};

static enum MHD_Result api(dyad_server *s, struct MHD_Connection *c, const char *name)
{
    const struct endpoint *ep = NULL;
    for (size_t i = 0; i < sizeof endpoints / sizeof *endpoints; i++)
        if (strcmp(name, endpoints[i].name) == 0)
            ep = &endpoints[i];
    if (!ep)
        return send_error(c, MHD_HTTP_NOT_FOUND, "no such API endpoint (see docs/dashboard.md)");
    params p = {0};
    p.allowed = ep->params;
    MHD_get_connection_values_n(c, MHD_GET_ARGUMENT_KIND, collect_param, &p);
    if (p.error[0])
        return send_error(c, MHD_HTTP_BAD_REQUEST, p.error);
    cJSON *out = cJSON_CreateObject();
    if (!out)
        return send_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
    answer a = {MHD_HTTP_OK, ""};
    dyad_store *store = borrow_store(s);
    ep->fn(s, &p, store, out, &a);
    return_store(s, store);
    enum MHD_Result r;
    if (p.error[0])
        r = send_error(c, MHD_HTTP_BAD_REQUEST, p.error);
    else if (a.status != MHD_HTTP_OK)
        r = send_error(c, a.status, a.error[0] ? a.error : "out of memory");
    else
        r = send_json(c, MHD_HTTP_OK, out);
    cJSON_Delete(out);
    return r;
}

/* ---------------------------------------------------------------- static files */

static const struct {
    const char *ext, *type;
} types[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".json", "application/json; charset=utf-8"},
    {".txt", "text/plain; charset=utf-8"},
    {".woff2", "font/woff2"},
};

/* A path under the web directory: letters, digits, '-', '_', '.' and '/', no segment that
 * is empty or starts with '.' (no "..", no hidden files). */
static bool path_ok(const char *rel)
{
    size_t n = strlen(rel);
    if (n == 0 || n > 200)
        return false;
    bool seg_start = true;
    for (size_t i = 0; i < n; i++) {
        char ch = rel[i];
        if (ch == '/') {
            if (seg_start)
                return false;
            seg_start = true;
            continue;
        }
        if (seg_start && ch == '.')
            return false;
        if (!isalnum((unsigned char)ch) && ch != '-' && ch != '_' && ch != '.')
            return false;
        seg_start = false;
    }
    return !seg_start;
}

static enum MHD_Result static_file(dyad_server *s, struct MHD_Connection *c, const char *url)
{
    if (url[0] != '/')
        return send_error(c, MHD_HTTP_BAD_REQUEST, "bad path");
    const char *rel = url[1] ? url + 1 : "index.html";
    if (!path_ok(rel))
        return send_error(c, strstr(rel, "..") ? MHD_HTTP_BAD_REQUEST : MHD_HTTP_NOT_FOUND,
                          strstr(rel, "..") ? "bad path" : "not found");
    const char *type = NULL;
    const char *dot = strrchr(rel, '.');
    for (size_t i = 0; dot && i < sizeof types / sizeof *types; i++)
        if (strcmp(dot, types[i].ext) == 0)
            type = types[i].type;
    char path[PATH_MAX + 256], real[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", s->web, rel);
    size_t wl = strlen(s->web);
    /* the file must be a regular file inside the web directory, also through links */
    if (!type || !realpath(path, real) || strncmp(real, s->web, wl) != 0 || real[wl] != '/')
        return send_error(c, MHD_HTTP_NOT_FOUND, "not found");
    int fd = open(real, O_RDONLY | O_CLOEXEC);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        if (fd >= 0)
            close(fd);
        return send_error(c, MHD_HTTP_NOT_FOUND, "not found");
    }
    struct MHD_Response *r = MHD_create_response_from_fd64((uint64_t)sb.st_size, fd);
    if (!r) {
        close(fd);
        return MHD_NO;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "Content-Security-Policy",
                            "default-src 'self'; img-src 'self' data:; object-src 'none'; "
                            "base-uri 'none'; frame-ancestors 'none'");
    enum MHD_Result ok = MHD_queue_response(c, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ok;
}

/* ---------------------------------------------------------------- requests */

/* A server on a loopback address answers only requests that name a loopback host (a web
 * page elsewhere cannot reach it through a name it controls). */
static bool host_ok(const dyad_server *s, struct MHD_Connection *c)
{
    if (!s->loopback)
        return true;
    const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
    if (!h)
        return true;   /* HTTP/1.0 without Host */
    size_t n = strlen(h);
    const char *colon = h[0] == '[' ? strchr(h, ']') : strrchr(h, ':');
    if (h[0] == '[')
        n = colon ? (size_t)(colon - h) + 1 : n;
    else if (colon)
        n = (size_t)(colon - h);
    static const char *const names[] = {"localhost", "127.0.0.1", "[::1]"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strlen(names[i]) == n && strncasecmp(h, names[i], n) == 0)
            return true;
    if (n == strlen(s->host) && strncasecmp(h, s->host, n) == 0)
        return true;
    if (n > 4 && strncmp(h, "127.", 4) == 0) {   /* any 127.x.y.z */
        struct in_addr a;
        char tmp[20];
        if (n < sizeof tmp) {
            memcpy(tmp, h, n);
            tmp[n] = '\0';
            return inet_pton(AF_INET, tmp, &a) == 1;
        }
    }
    return false;
}

static const int request_started = 1;

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    dyad_server *s = cls;
    bool get = strcmp(method, MHD_HTTP_METHOD_GET) == 0;
    bool head = strcmp(method, MHD_HTTP_METHOD_HEAD) == 0;
    if (!get && !head)
        return send_error(c, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET and HEAD");
    if (!*con_cls) {   /* the headers: answer once the request is complete */
        *con_cls = (void *)&request_started;
        return MHD_YES;
    }
    if (*upload_data_size) {   /* a body with GET means nothing: skip it */
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (!host_ok(s, c))
        return send_error(c, MHD_HTTP_FORBIDDEN, "this server answers to its loopback "
                                                 "address only");
    if (strncmp(url, "/api/", 5) == 0)
        return api(s, c, url + 5);
    return static_file(s, c, url);
}

/* libmicrohttpd's own messages are not printed: the library never prints. */
static void quiet_log(void *cls, const char *fmt, va_list ap)
{
}

/* ---------------------------------------------------------------- starting and stopping */

static bool is_loopback(const char *host)
{
    struct in_addr a4;
    struct in6_addr a6;
    if (inet_pton(AF_INET, host, &a4) == 1)
        return (ntohl(a4.s_addr) >> 24) == 127;
    if (inet_pton(AF_INET6, host, &a6) == 1)
        return IN6_IS_ADDR_LOOPBACK(&a6);
    return false;
}

static void free_server(dyad_server *s)
{
    for (size_t i = 0; i < s->nstores; i++)
        dyad_store_close(s->stores[i], NULL);
    free(s->stores);
    free(s->busy);
    pthread_cond_destroy(&s->cv);
    pthread_mutex_destroy(&s->mu);
    free(s);
}

dyad_status dyad_server_start(const dyad_server_opts *opts, dyad_server **out, dyad_error *err)
{
    if (!out)
        return dyad__fail(err, DYAD_EINVAL, "no place for the server");
    *out = NULL;
    dyad_server_opts o;
    dyad_server_opts_default(&o);
    if (opts) {
        o = *opts;
        if (!o.host || !o.host[0])
            o.host = "127.0.0.1";
        if (!o.threads)
            o.threads = 4;
        if (!o.max_connections)
            o.max_connections = 64;
    }
    if (!o.db || !o.db[0])
        return dyad__fail(err, DYAD_EINVAL, "no database named");
    if (!o.web_dir || !o.web_dir[0])
        return dyad__fail(err, DYAD_EINVAL, "no directory of static files named");
    if (o.port > 65535)
        return dyad__fail(err, DYAD_EINVAL, "port %u: not from 0 to 65535", o.port);
    if (o.threads > 64)
        return dyad__fail(err, DYAD_EINVAL, "%u threads: at most 64", o.threads);

    union {
        struct sockaddr sa;
        struct sockaddr_in in4;
        struct sockaddr_in6 in6;
    } addr;
    memset(&addr, 0, sizeof addr);
    unsigned flags = MHD_USE_AUTO | MHD_USE_INTERNAL_POLLING_THREAD;
    if (inet_pton(AF_INET, o.host, &addr.in4.sin_addr) == 1) {
        addr.in4.sin_family = AF_INET;
        addr.in4.sin_port = htons((uint16_t)o.port);
    } else if (inet_pton(AF_INET6, o.host, &addr.in6.sin6_addr) == 1) {
        addr.in6.sin6_family = AF_INET6;
        addr.in6.sin6_port = htons((uint16_t)o.port);
        flags |= MHD_USE_IPv6;
    } else {
        return dyad__fail(err, DYAD_EINVAL, "host '%.64s' is not an IPv4 or IPv6 address",
                          o.host);
    }

    dyad_server *s = calloc(1, sizeof *s);
    if (!s)
        return dyad__fail(err, DYAD_ENOMEM, "out of memory");
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    snprintf(s->host, sizeof s->host, "%s", o.host);
    s->loopback = is_loopback(o.host);
    if (!realpath(o.web_dir, s->web)) {
        int e = errno;
        free_server(s);
        dyad__where(err, o.web_dir, 0, 0, dyad__slice("", 0));
        return dyad__fail(err, DYAD_EIO, "cannot open the dashboard's files: %s", strerror(e));
    }
    struct stat sb;
    if (stat(s->web, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        free_server(s);
        dyad__where(err, o.web_dir, 0, 0, dyad__slice("", 0));
        return dyad__fail(err, DYAD_EIO, "the dashboard's files: not a directory");
    }
    s->stores = calloc(o.threads, sizeof *s->stores);
    s->busy = calloc(o.threads, sizeof *s->busy);
    if (!s->stores || !s->busy) {
        free_server(s);
        return dyad__fail(err, DYAD_ENOMEM, "out of memory");
    }
    dyad_store_opts so;
    dyad_store_opts_default(&so);
    so.flags = DYAD_STORE_READONLY;
    for (unsigned i = 0; i < o.threads; i++) {
        dyad_status st = dyad_store_open(o.db, &so, &s->stores[i], err);
        if (st) {
            free_server(s);
            return st;
        }
        s->nstores++;
    }

    s->daemon = MHD_start_daemon(
        flags, (uint16_t)o.port, NULL, NULL, on_request, s,
        MHD_OPTION_SOCK_ADDR, &addr.sa,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)o.threads,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)o.max_connections,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
        MHD_OPTION_EXTERNAL_LOGGER, quiet_log, NULL,
        MHD_OPTION_END);
    if (!s->daemon) {
        free_server(s);
        return dyad__fail(err, DYAD_EIO, "cannot listen on %s port %u (in use, or not an "
                                         "address of this machine)", o.host, o.port);
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info && info->port ? info->port : o.port;
    *out = s;
    return DYAD_OK;
}

unsigned dyad_server_port(const dyad_server *s)
{
    return s ? s->port : 0;
}

void dyad_server_stop(dyad_server *s)
{
    if (!s)
        return;
    if (s->daemon)
        MHD_stop_daemon(s->daemon);
    free_server(s);
}
