/* store_web.c - the dashboard's questions to the event store (timelines, pages of events, articles with highlights) as JSON. */
#include "web.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* ---------------------------------------------------------------- rows as JSON */

/* Replace every byte that does not belong to a valid UTF-8 sequence, and NUL, by '?'. */
static void fix_utf8(unsigned char *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = p[i];
        size_t len = c >= 0x01 && c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2
                   : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
        bool ok = len > 0 && i + len <= n;
        for (size_t k = 1; ok && k < len; k++)
            ok = (p[i + k] & 0xC0) == 0x80;
        if (ok && len == 3)
            ok = !(c == 0xE0 && p[i + 1] < 0xA0) && !(c == 0xED && p[i + 1] >= 0xA0);
        if (ok && len == 4)
            ok = !(c == 0xF0 && p[i + 1] < 0x90) && !(c == 0xF4 && p[i + 1] >= 0x90);
        if (!ok) {
            p[i++] = '?';
            continue;
        }
        i += len;
    }
}

static cJSON *json_text(const char *p, size_t n)
{
    char *c = malloc(n + 1);
    if (!c)
        return NULL;
    memcpy(c, p, n);
    c[n] = '\0';
    fix_utf8((unsigned char *)c, n);
    cJSON *j = cJSON_CreateString(c);
    free(c);
    return j;
}

static cJSON *json_value(const dyad_value *v)
{
    switch (v->type) {
    case DYAD_VALUE_INT:
        return cJSON_CreateNumber((double)v->i);
    case DYAD_VALUE_REAL:
        return isfinite(v->r) ? cJSON_CreateNumber(v->r) : cJSON_CreateNull();
    case DYAD_VALUE_TEXT:
        return json_text(v->s.ptr ? v->s.ptr : "", v->s.len);
    default:
        return cJSON_CreateNull();
    }
}

int dyad__web_row(void *ctx, size_t ncols, const char *const *names, const dyad_value *v)
{
    dyad__web_rows *rows = ctx;
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddItemToArray(rows->array, o)) {
        cJSON_Delete(o);
        rows->oom = true;
        return 1;
    }
    for (size_t i = 0; i < ncols; i++) {
        cJSON *x = json_value(&v[i]);
        if (!x || !cJSON_AddItemToObject(o, names[i], x)) {
            cJSON_Delete(x);
            rows->oom = true;
            return 1;
        }
    }
    return 0;
}

/* Fields of a row object. */
static const char *get_str(const cJSON *o, const char *name)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, name);
    return cJSON_IsString(x) ? x->valuestring : NULL;
}

static double get_num(const cJSON *o, const char *name, double dflt)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, name);
    return cJSON_IsNumber(x) ? x->valuedouble : dflt;
}

/* ---------------------------------------------------------------- statements */

/* A statement put together from the fixed fragments of this file: every value that comes
 * from a request is a bound parameter, never SQL text. */
typedef struct stmt {
    char sql[3072];
    size_t len;
    bool overflow;
    const char *params[32];
    size_t nparams;
    char upper[8][48];   /* upper ends of prefix ranges */
    int nupper;
    char quad[4];
    char page[2][24];    /* LIMIT and OFFSET */
} stmt;

static void st_sql(stmt *b, const char *s)
{
    size_t n = strlen(s);
    if (b->len + n >= sizeof b->sql) {
        b->overflow = true;
        return;
    }
    memcpy(b->sql + b->len, s, n + 1);
    b->len += n;
}

static void st_param(stmt *b, const char *value)
{
    if (b->nparams == sizeof b->params / sizeof *b->params) {
        b->overflow = true;
        return;
    }
    b->params[b->nparams++] = value;
    char tmp[16];
    snprintf(tmp, sizeof tmp, "?%zu", b->nparams);
    st_sql(b, tmp);
}

/* "(col >= P AND col < P~)": col starts with the prefix P (codes are letters and digits,
 * which all sort before '~'). */
static void st_prefix(stmt *b, const char *col, const char *prefix)
{
    if (b->nupper == (int)(sizeof b->upper / sizeof *b->upper)) {
        b->overflow = true;
        return;
    }
    char *hi = b->upper[b->nupper++];
    snprintf(hi, sizeof b->upper[0], "%s~", prefix);
    st_sql(b, "(");
    st_sql(b, col);
    st_sql(b, " >= ");
    st_param(b, prefix);
    st_sql(b, " AND ");
    st_sql(b, col);
    st_sql(b, " < ");
    st_param(b, hi);
    st_sql(b, ")");
}

/* " WHERE ..." over the events e. */
static void st_where(stmt *b, const dyad__web_query *q)
{
    st_sql(b, " WHERE 1");
    if (q->a[0] && q->b[0]) {
        st_sql(b, " AND ((");
        st_prefix(b, "e.source", q->a);
        st_sql(b, " AND ");
        st_prefix(b, "e.target", q->b);
        st_sql(b, ") OR (");
        st_prefix(b, "e.source", q->b);
        st_sql(b, " AND ");
        st_prefix(b, "e.target", q->a);
        st_sql(b, "))");
    } else if (q->a[0]) {
        st_sql(b, " AND (");
        st_prefix(b, "e.source", q->a);
        st_sql(b, " OR ");
        st_prefix(b, "e.target", q->a);
        st_sql(b, ")");
    }
    if (q->from[0]) {
        st_sql(b, " AND e.day >= ");
        st_param(b, q->from);
    }
    if (q->to[0]) {
        st_sql(b, " AND e.day <= ");
        st_param(b, q->to);
    }
    if (q->code[0]) {
        st_sql(b, " AND ");
        st_prefix(b, "e.code", q->code);
    }
    if (q->quad) {
        snprintf(b->quad, sizeof b->quad, "%d", q->quad);
        st_sql(b, " AND e.quad = CAST(");
        st_param(b, b->quad);
        st_sql(b, " AS INTEGER)");
    }
    if (q->article) {
        st_sql(b, " AND e.article = ");
        st_param(b, q->article);
    }
}

/* Run b, every row appended to array. */
static dyad_status st_rows(dyad_store *s, stmt *b, cJSON *array, dyad_error *err)
{
    if (b->overflow)
        return dyad__fail(err, DYAD_ELIMIT, "query too long");
    dyad__web_rows rows = {array, false};
    dyad_status st = dyad_store_sql(s, b->sql, b->params, b->nparams, dyad__web_row, &rows, err);
    if (!st && rows.oom)
        st = dyad__fail(err, DYAD_ENOMEM, "out of memory");
    return st;
}

/* A fixed statement with parameters. */
static dyad_status fixed_rows(dyad_store *s, const char *sql, const char *const *params,
                              size_t nparams, cJSON *array, dyad_error *err)
{
    dyad__web_rows rows = {array, false};
    dyad_status st = dyad_store_sql(s, sql, params, nparams, dyad__web_row, &rows, err);
    if (!st && rows.oom)
        st = dyad__fail(err, DYAD_ENOMEM, "out of memory");
    return st;
}

#define OOM_IF(cond)                                                  \
    do {                                                              \
        if (cond)                                                     \
            return dyad__fail(err, DYAD_ENOMEM, "out of memory");     \
    } while (0)

/* ---------------------------------------------------------------- the store at a glance */

dyad_status dyad__web_info(dyad_store *s, cJSON *out, dyad_error *err)
{
    cJSON *rows = cJSON_CreateArray();
    OOM_IF(!rows);
    dyad_status st = fixed_rows(
        s,
        "SELECT (SELECT COUNT(*) FROM articles) AS articles,"
        " (SELECT COUNT(*) FROM sentences) AS sentences,"
        " (SELECT COUNT(*) FROM events) AS events, (SELECT COUNT(*) FROM quotes) AS quotes,"
        " (SELECT MIN(day) FROM events) AS first, (SELECT MAX(day) FROM events) AS last",
        NULL, 0, rows, err);
    if (st) {
        cJSON_Delete(rows);
        return st;
    }
    cJSON *row = cJSON_DetachItemFromArray(rows, 0);
    cJSON_Delete(rows);
    OOM_IF(!row || !cJSON_AddItemToObject(out, "store", row));
    cJSON *roots = cJSON_AddArrayToObject(out, "roots");
    OOM_IF(!roots);
    for (int r = 1; r <= 20; r++) {
        char code[3] = {(char)('0' + r / 10), (char)('0' + r % 10), '\0'};
        const char *name = dyad_cameo_name(code);
        cJSON *o = cJSON_CreateObject();
        OOM_IF(!o || !cJSON_AddItemToArray(roots, o));
        OOM_IF(!cJSON_AddStringToObject(o, "code", code) ||
               !cJSON_AddNumberToObject(o, "quad", dyad_cameo_quad(code)) ||
               !(name ? cJSON_AddStringToObject(o, "name", name) : cJSON_AddNullToObject(o, "name")));
    }
    return DYAD_OK;
}

static int found_row(void *ctx, size_t ncols, const char *const *names, const dyad_value *v)
{
    *(bool *)ctx = true;
    return 1;
}

dyad_status dyad__web_actor_known(dyad_store *s, const char *code, bool *known,
                                  dyad_error *err)
{
    char hi[48];
    snprintf(hi, sizeof hi, "%s~", code);
    const char *params[] = {code, hi};
    *known = false;
    return dyad_store_sql(s,
                          "SELECT 1 FROM events e WHERE (e.source >= ?1 AND e.source < ?2)"
                          " OR (e.target >= ?1 AND e.target < ?2) LIMIT 1",
                          params, 2, found_row, known, err);
}

/* ---------------------------------------------------------------- timelines */

static long floor_div(long a, long b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* Days since 1970-01-01 of a civil date, and back. */
static long days_from_civil(long y, int m, int d)
{
    y -= m <= 2;
    long era = floor_div(y, 400);
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, long *y, int *m, int *d)
{
    z += 719468;
    long era = floor_div(z, 146097);
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = era * 400 + yoe + (*m <= 2);
}

/* The period holding the day "YYYY-MM-DD" (or the start of a period label) as a running
 * number: days, weeks since a Monday, months or years. */
static long period_key(const char *day, int by)
{
    long y = atol(day);
    int m = strlen(day) >= 7 ? atoi(day + 5) : 1;
    int d = strlen(day) >= 10 ? atoi(day + 8) : 1;
    switch (by) {
    case DYAD__WEB_DAY: return days_from_civil(y, m, d);
    case DYAD__WEB_WEEK: return floor_div(days_from_civil(y, m, d) + 3, 7);
    case DYAD__WEB_MONTH: return y * 12 + (m - 1);
    default: return y;
    }
}

static void put_day(char out[11], long z)
{
    long y;
    int m, d;
    civil_from_days(z, &y, &m, &d);
    if (y < 0)
        y = 0;
    if (y > 9999)
        y = 9999;
    const char v[11] = {(char)('0' + y / 1000), (char)('0' + y / 100 % 10),
                        (char)('0' + y / 10 % 10), (char)('0' + y % 10), '-',
                        (char)('0' + m / 10), (char)('0' + m % 10), '-',
                        (char)('0' + d / 10), (char)('0' + d % 10), '\0'};
    memcpy(out, v, 11);
}

/* The label, first and last day of the period with the running number key. */
static void period_days(long key, int by, char label[11], char first[11], char last[11])
{
    long z0, z1;
    switch (by) {
    case DYAD__WEB_DAY:
        z0 = z1 = key;
        break;
    case DYAD__WEB_WEEK:
        z0 = key * 7 - 3;
        z1 = z0 + 6;
        break;
    case DYAD__WEB_MONTH: {
        long y = floor_div(key, 12);
        int m = (int)(key - y * 12) + 1;
        z0 = days_from_civil(y, m, 1);
        z1 = (m == 12 ? days_from_civil(y + 1, 1, 1) : days_from_civil(y, m + 1, 1)) - 1;
        break;
    }
    default:
        z0 = days_from_civil(key, 1, 1);
        z1 = days_from_civil(key + 1, 1, 1) - 1;
    }
    put_day(first, z0);
    put_day(last, z1);
    memcpy(label, first, 11);
    if (by == DYAD__WEB_MONTH)
        label[7] = '\0';
    else if (by == DYAD__WEB_YEAR)
        label[4] = '\0';
}

static const char *const period_sql[] = {
    NULL, "e.day", "date(e.day, 'weekday 0', '-6 days')", "substr(e.day, 1, 7)",
    "substr(e.day, 1, 4)",
};

static const char *const period_names[] = {NULL, "day", "week", "month", "year"};

static dyad_status add_period(cJSON *periods, long key, int by, const cJSON *row, bool dyad)
{
    char label[11], first[11], last[11];
    period_days(key, by, label, first, last);
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddItemToArray(periods, o)) {
        cJSON_Delete(o);
        return DYAD_ENOMEM;
    }
    double n = row ? get_num(row, "events", 0) : 0, gsum = row ? get_num(row, "gsum", 0) : 0;
    double qv[4];
    for (int k = 0; k < 4; k++) {
        static const char *const qn[] = {"q1", "q2", "q3", "q4"};
        qv[k] = row ? get_num(row, qn[k], 0) : 0;
    }
    if (!cJSON_AddStringToObject(o, "period", label) ||
        !cJSON_AddStringToObject(o, "start", first) || !cJSON_AddStringToObject(o, "end", last) ||
        !cJSON_AddNumberToObject(o, "events", n))
        return DYAD_ENOMEM;
    cJSON *quad = cJSON_CreateDoubleArray(qv, 4);
    if (!quad || !cJSON_AddItemToObject(o, "quad", quad)) {
        cJSON_Delete(quad);
        return DYAD_ENOMEM;
    }
    if (
        !cJSON_AddNumberToObject(o, "goldstein_sum", gsum) ||
        !(n > 0 ? cJSON_AddNumberToObject(o, "goldstein_mean", gsum / n)
                : cJSON_AddNullToObject(o, "goldstein_mean")))
        return DYAD_ENOMEM;
    if (dyad) {
        double ab = row ? get_num(row, "ab", 0) : 0;
        if (!cJSON_AddNumberToObject(o, "ab", ab) || !cJSON_AddNumberToObject(o, "ba", n - ab))
            return DYAD_ENOMEM;
    }
    return DYAD_OK;
}

dyad_status dyad__web_timeline(dyad_store *s, const dyad__web_query *q, size_t max_periods,
                               cJSON *out, dyad_error *err)
{
    if (q->by < DYAD__WEB_DAY || q->by > DYAD__WEB_YEAR)
        return dyad__fail(err, DYAD_EINVAL, "unknown period");
    bool dyad = q->a[0] && q->b[0];
    stmt b = {0};
    st_sql(&b, "SELECT ");
    st_sql(&b, period_sql[q->by]);
    st_sql(&b, " AS period, COUNT(*) AS events, SUM(e.quad = 1) AS q1, SUM(e.quad = 2) AS q2,"
               " SUM(e.quad = 3) AS q3, SUM(e.quad = 4) AS q4, TOTAL(e.goldstein) AS gsum");
    if (dyad) {   /* an event matching both directions counts as a to b */
        st_sql(&b, ", SUM(");
        st_prefix(&b, "e.source", q->a);
        st_sql(&b, " AND ");
        st_prefix(&b, "e.target", q->b);
        st_sql(&b, ") AS ab");
    }
    st_sql(&b, " FROM events e");
    st_where(&b, q);
    st_sql(&b, " GROUP BY period ORDER BY period");
    cJSON *rows = cJSON_CreateArray();
    OOM_IF(!rows);
    dyad_status st = st_rows(s, &b, rows, err);
    if (st) {
        cJSON_Delete(rows);
        return st;
    }
    int n = cJSON_GetArraySize(rows);
    cJSON *periods = cJSON_AddArrayToObject(out, "periods");
    if (!periods || !cJSON_AddStringToObject(out, "by", period_names[q->by])) {
        cJSON_Delete(rows);
        return dyad__fail(err, DYAD_ENOMEM, "out of memory");
    }
    const char *first_row = n ? get_str(cJSON_GetArrayItem(rows, 0), "period") : NULL;
    const char *last_row = n ? get_str(cJSON_GetArrayItem(rows, n - 1), "period") : NULL;
    if ((!q->from[0] && !first_row) || (n && (!first_row || !last_row))) {
        cJSON_Delete(rows);
        return DYAD_OK;   /* nothing to show */
    }
    long first = q->from[0] ? period_key(q->from, q->by) : period_key(first_row, q->by);
    long last = q->to[0] ? period_key(q->to, q->by) : last_row ? period_key(last_row, q->by)
                                                               : first;
    if (last < first)
        last = first;
    if ((unsigned long)(last - first) >= max_periods) {
        cJSON_Delete(rows);
        return dyad__fail(err, DYAD_ELIMIT,
                          "%ld periods of a %s: more than %zu; choose a longer period (by=week, "
                          "month or year) or a shorter range (from, to)",
                          last - first + 1, period_names[q->by], max_periods);
    }
    int k = 0;
    for (long key = first; key <= last; key++) {
        const cJSON *row = NULL;
        while (k < n) {
            const char *p = get_str(cJSON_GetArrayItem(rows, k), "period");
            long rk = p ? period_key(p, q->by) : first - 1;
            if (rk > key)
                break;
            k++;
            if (rk == key) {
                row = cJSON_GetArrayItem(rows, k - 1);
                break;
            }
        }
        if (add_period(periods, key, q->by, row, dyad)) {
            cJSON_Delete(rows);
            return dyad__fail(err, DYAD_ENOMEM, "out of memory");
        }
    }
    cJSON_Delete(rows);
    return DYAD_OK;
}

/* ---------------------------------------------------------------- pages of events */

const char *const dyad__web_sort_names[] = {
    "date", "source", "target", "code", "quad", "goldstein", "location", "article", NULL,
};

static const char *const sort_sql[] = {
    "e.day", "e.source", "e.target", "e.code", "e.quad", "e.goldstein", "e.location",
    "e.article",
};

/* Add "name" (the CAMEO name of "code") to each event. */
static dyad_status name_codes(cJSON *events)
{
    cJSON *e;
    cJSON_ArrayForEach(e, events) {
        const char *code = get_str(e, "code");
        const char *name = code ? dyad_cameo_name(code) : NULL;
        if (!(name ? cJSON_AddStringToObject(e, "name", name) : cJSON_AddNullToObject(e, "name")))
            return DYAD_ENOMEM;
    }
    return DYAD_OK;
}

dyad_status dyad__web_events(dyad_store *s, const dyad__web_query *q, cJSON *out,
                             dyad_error *err)
{
    if (q->sort < 0 || q->sort >= (int)(sizeof sort_sql / sizeof *sort_sql))
        return dyad__fail(err, DYAD_EINVAL, "unknown sort column");
    stmt c = {0};
    st_sql(&c, "SELECT COUNT(*) AS total FROM events e");
    st_where(&c, q);
    cJSON *count = cJSON_CreateArray();
    OOM_IF(!count);
    dyad_status st = st_rows(s, &c, count, err);
    double total = st ? 0 : get_num(cJSON_GetArrayItem(count, 0), "total", 0);
    cJSON_Delete(count);
    if (st)
        return st;
    OOM_IF(!cJSON_AddNumberToObject(out, "total", total));

    stmt b = {0};
    st_sql(&b, "SELECT e.id AS id, e.date AS date, e.source AS source, e.source_text AS"
               " source_text, e.target AS target, e.target_text AS target_text, e.code AS code,"
               " e.quad AS quad, e.goldstein AS goldstein, e.location AS location, e.country AS"
               " country, e.article AS article, e.sentence AS sentence, e.verb AS verb,"
               " s.text AS text, a.title AS title, a.date AS published FROM events e"
               " LEFT JOIN sentences s ON s.article = e.article AND s.idx = e.sentence"
               " LEFT JOIN articles a ON a.id = e.article");
    st_where(&b, q);
    st_sql(&b, " ORDER BY ");
    st_sql(&b, sort_sql[q->sort]);
    st_sql(&b, q->desc ? " DESC" : " ASC");
    st_sql(&b, ", e.day, e.article, e.sentence, e.id LIMIT CAST(");
    snprintf(b.page[0], sizeof b.page[0], "%zu", q->limit);
    snprintf(b.page[1], sizeof b.page[1], "%zu", q->offset);
    st_param(&b, b.page[0]);
    st_sql(&b, " AS INTEGER) OFFSET CAST(");
    st_param(&b, b.page[1]);
    st_sql(&b, " AS INTEGER)");
    cJSON *events = cJSON_AddArrayToObject(out, "events");
    OOM_IF(!events);
    if ((st = st_rows(s, &b, events, err)))
        return st;
    OOM_IF(name_codes(events));
    return DYAD_OK;
}

/* ---------------------------------------------------------------- articles and highlights */

static bool is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Whether needle occurs in hay at i, a run of white space in the needle matching any run
 * (also none) in hay; *end is where the match ends. */
static bool match_at(const char *hay, size_t hlen, size_t i, const char *needle, size_t nlen,
                     size_t *end)
{
    size_t j = 0;
    while (j < nlen) {
        if (is_space((unsigned char)needle[j])) {
            while (j < nlen && is_space((unsigned char)needle[j]))
                j++;
            while (i < hlen && is_space((unsigned char)hay[i]))
                i++;
            continue;
        }
        if (i >= hlen || hay[i] != needle[j])
            return false;
        i++;
        j++;
    }
    *end = i;
    return true;
}

/* Trim white space off a needle. */
static void trim(const char **p, size_t *n)
{
    while (*n && is_space((unsigned char)**p)) {
        (*p)++;
        (*n)--;
    }
    while (*n && is_space((unsigned char)(*p)[*n - 1]))
        (*n)--;
}

/* The first match of needle starting in hay[lo, hi) (ending by hlen); false when none. */
static bool find_first(const char *hay, size_t hlen, size_t lo, size_t hi, const char *needle,
                       size_t nlen, size_t *start, size_t *end)
{
    trim(&needle, &nlen);
    if (!nlen)
        return false;
    for (size_t i = lo; i < hi && i < hlen; i++)
        if (hay[i] == needle[0] && match_at(hay, hlen, i, needle, nlen, end)) {
            *start = i;
            return true;
        }
    return false;
}

/* The match of needle within hay[lo, hi) nearest to [a, b) and not overlapping [a, b) (the
 * verb); on a tie the earlier one. */
static bool find_near(const char *hay, size_t lo, size_t hi, const char *needle, size_t nlen,
                      size_t a, size_t b, size_t *start, size_t *end)
{
    trim(&needle, &nlen);
    if (!nlen)
        return false;
    bool found = false;
    size_t best = 0;
    for (size_t i = lo; i < hi; i++) {
        size_t e;
        if (hay[i] != needle[0] || !match_at(hay, hi, i, needle, nlen, &e))
            continue;
        if (i < b && e > a && !(i == a && e == b && a == b))
            continue;   /* overlaps the verb */
        size_t dist = e <= a ? a - e : i >= b ? i - b : 0;
        if (!found || dist < best) {
            found = true;
            best = dist;
            *start = i;
            *end = e;
        }
    }
    return found;
}

static dyad_status add_span(cJSON *spans, const char *kind, size_t start, size_t end,
                            const char *ref, int index, long sentence)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddItemToArray(spans, o)) {
        cJSON_Delete(o);
        return DYAD_ENOMEM;
    }
    if (!cJSON_AddStringToObject(o, "kind", kind) ||
        !cJSON_AddNumberToObject(o, "start", (double)start) ||
        !cJSON_AddNumberToObject(o, "end", (double)end) ||
        !cJSON_AddNumberToObject(o, ref, index) ||
        (sentence >= 0 && !cJSON_AddNumberToObject(o, "sentence", (double)sentence)))
        return DYAD_ENOMEM;
    return DYAD_OK;
}

/* Where each sentence is in the article text: "start" and "end" (null when not found).
 * Sentences are looked for in order, each within a window after the previous one. */
static dyad_status place_sentences(const char *text, size_t tlen, cJSON *sentences)
{
    size_t cursor = 0;
    cJSON *o;
    cJSON_ArrayForEach(o, sentences) {
        const char *t = get_str(o, "text");
        size_t n = t ? strlen(t) : 0, a = 0, e = 0;
        size_t window = 4096 + 4 * n;
        bool ok = n && find_first(text, tlen, cursor, cursor + window, t, n, &a, &e);
        if (ok)
            cursor = e;
        if (!(ok ? cJSON_AddNumberToObject(o, "start", (double)a) &&
                       cJSON_AddNumberToObject(o, "end", (double)e)
                 : cJSON_AddNullToObject(o, "start") && cJSON_AddNullToObject(o, "end")))
            return DYAD_ENOMEM;
    }
    return DYAD_OK;
}

/* The sentences of an article by position, in the order of their idx. */
typedef struct sent_index {
    const cJSON **at;
    size_t n;
} sent_index;

static const cJSON *sentence_of(const sent_index *sx, double idx)
{
    size_t lo = 0, hi = sx->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        double v = get_num(sx->at[mid], "idx", -1);
        if (v == idx)
            return sx->at[mid];
        if (v < idx)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* The spans of one event: its verb (by its offsets in the text, else found in the
 * sentence), its source and target (the match of their words nearest to the verb). */
static dyad_status event_spans(const char *text, size_t tlen, bool whole, const sent_index *sents,
                               const cJSON *e, int k, cJSON *spans)
{
    double idx = get_num(e, "sentence", -1);
    const cJSON *sent = sentence_of(sents, idx);
    const char *hay = text;
    size_t lo = 0, hi = tlen;
    long sref = -1;
    if (whole) {
        double ss = sent ? get_num(sent, "start", -1) : -1, se = sent ? get_num(sent, "end", -1) : -1;
        if (ss >= 0 && se >= ss && se <= (double)tlen) {
            lo = (size_t)ss;
            hi = (size_t)se;
        } else {   /* a window around the verb, else nowhere to look */
            double vs = get_num(e, "start", -1);
            if (!(vs >= 0 && vs <= (double)tlen))
                return DYAD_OK;
            lo = vs > 1500 ? (size_t)vs - 1500 : 0;
            hi = (size_t)vs + 1500 < tlen ? (size_t)vs + 1500 : tlen;
        }
    } else {
        const char *st = sent ? get_str(sent, "text") : NULL;
        if (!st)
            return DYAD_OK;
        hay = st;
        lo = 0;
        hi = tlen = strlen(st);
        sref = (long)idx;
    }
    size_t va = lo, vb = lo, a, b;
    bool have_verb = false;
    double vs = get_num(e, "start", -1), ve = get_num(e, "end", -1);
    const char *verb = get_str(e, "verb");
    if (whole && vs >= 0 && ve > vs && ve <= (double)tlen) {
        va = (size_t)vs;
        vb = (size_t)ve;
        have_verb = true;
    } else if (verb && find_first(hay, tlen, lo, hi, verb, strlen(verb), &a, &b) && b <= hi) {
        va = a;
        vb = b;
        have_verb = true;
    }
    if (have_verb && add_span(spans, "verb", va, vb, "event", k, sref))
        return DYAD_ENOMEM;
    static const char *const roles[] = {"source", "target"};
    static const char *const texts[] = {"source_text", "target_text"};
    for (int r = 0; r < 2; r++) {
        const char *w = get_str(e, texts[r]);
        if (w && find_near(hay, lo, hi, w, strlen(w), va, vb, &a, &b) &&
            add_span(spans, roles[r], a, b, "event", k, sref))
            return DYAD_ENOMEM;
    }
    return DYAD_OK;
}

/* The span of one quotation: its offsets in the text, else its words in its sentence. */
static dyad_status quote_spans(const char *text, size_t tlen, bool whole, const sent_index *sents,
                               const cJSON *x, int k, cJSON *spans)
{
    double qs = get_num(x, "start", -1), qe = get_num(x, "end", -1);
    if (whole && qs >= 0 && qe > qs && qe <= (double)tlen)
        return add_span(spans, "quote", (size_t)qs, (size_t)qe, "quote", k, -1);
    const char *words = get_str(x, "text");
    double idx = get_num(x, "sentence", -1);
    const cJSON *sent = sentence_of(sents, idx);
    if (!words || !sent)
        return DYAD_OK;
    size_t a, b;
    if (whole) {
        double ss = get_num(sent, "start", -1), se = get_num(sent, "end", -1);
        if (ss >= 0 && se >= ss && se <= (double)tlen &&
            find_first(text, tlen, (size_t)ss, (size_t)se, words, strlen(words), &a, &b))
            return add_span(spans, "quote", a, b, "quote", k, -1);
        return DYAD_OK;
    }
    const char *st = get_str(sent, "text");
    if (st && find_first(st, strlen(st), 0, strlen(st), words, strlen(words), &a, &b))
        return add_span(spans, "quote", a, b, "quote", k, (long)idx);
    return DYAD_OK;
}

dyad_status dyad__web_article(dyad_store *s, const char *id, cJSON *out, dyad_error *err)
{
    const char *params[] = {id};
    cJSON *rows = cJSON_CreateArray();
    OOM_IF(!rows);
    dyad_status st = fixed_rows(s,
                                "SELECT id, date, title, url, source, text FROM articles"
                                " WHERE id = ?1",
                                params, 1, rows, err);
    cJSON *art = st ? NULL : cJSON_DetachItemFromArray(rows, 0);
    cJSON_Delete(rows);
    if (st)
        return st;
    if (!art)
        return dyad__fail(err, DYAD_ENOTFOUND, "no article with that id");
    if (!cJSON_AddItemToObject(out, "article", art)) {
        cJSON_Delete(art);
        return dyad__fail(err, DYAD_ENOMEM, "out of memory");
    }
    cJSON *sents = cJSON_AddArrayToObject(out, "sentences");
    cJSON *events = cJSON_AddArrayToObject(out, "events");
    cJSON *quotes = cJSON_AddArrayToObject(out, "quotes");
    cJSON *spans = cJSON_AddArrayToObject(out, "spans");
    OOM_IF(!sents || !events || !quotes || !spans);
    if ((st = fixed_rows(s, "SELECT idx, text FROM sentences WHERE article = ?1 ORDER BY idx",
                         params, 1, sents, err)) ||
        (st = fixed_rows(s,
                         "SELECT id, sentence, date, source, source_text, target, target_text,"
                         " code, quad, goldstein, location, country, verb, verb_start AS start,"
                         " verb_end AS end, pattern, dictionary, line, flags FROM events"
                         " WHERE article = ?1 ORDER BY sentence, id",
                         params, 1, events, err)) ||
        (st = fixed_rows(s,
                         "SELECT sentence, speaker, speaker_text, text, text_start AS start,"
                         " text_end AS end FROM quotes WHERE article = ?1 ORDER BY sentence, id",
                         params, 1, quotes, err)))
        return st;
    OOM_IF(name_codes(events));

    /* the spans: in the text when the store has it, else in each sentence's text */
    const char *text = get_str(art, "text");
    bool whole = text && text[0];
    size_t tlen = whole ? strlen(text) : 0;
    OOM_IF(!cJSON_AddStringToObject(out, "offsets", whole ? "text" : "sentence"));
    if (whole)
        OOM_IF(place_sentences(text, tlen, sents));
    sent_index sx = {NULL, 0};
    size_t nsents = (size_t)cJSON_GetArraySize(sents);
    if (nsents) {
        sx.at = malloc(nsents * sizeof *sx.at);
        OOM_IF(!sx.at);
        cJSON *o;
        cJSON_ArrayForEach(o, sents)
            sx.at[sx.n++] = o;
    }
    int k = 0;
    cJSON *e;
    st = DYAD_OK;
    cJSON_ArrayForEach(e, events)
        if (!st)
            st = event_spans(text, tlen, whole, &sx, e, k++, spans);
    k = 0;
    cJSON_ArrayForEach(e, quotes)
        if (!st)
            st = quote_spans(text, tlen, whole, &sx, e, k++, spans);
    free(sx.at);
    return st ? dyad__fail(err, DYAD_ENOMEM, "out of memory") : DYAD_OK;
}
