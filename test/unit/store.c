/* store.c - the event store's library API: opening, records, replacement, queries, errors. */
#include "dyad.h"
#include "t.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[64];
static char path[128];

/* An event record of doc on date with source, target, code, QuadClass and Goldstein value. */
static dyad_status put_event(dyad_store *s, const char *doc, int sentence, const char *date,
                             const char *src, const char *tgt, const char *code, int quad,
                             double gold)
{
    char buf[512];
    int n = snprintf(buf, sizeof buf,
                     "{\"kind\":\"event\",\"doc\":\"%s\",\"sentence_index\":%d,"
                     "\"sentence\":\"Sentence %d of %s.\",\"date\":\"%s\","
                     "\"source\":{\"code\":\"%s\",\"text\":\"s\"},"
                     "\"target\":{\"code\":\"%s\",\"text\":\"t\"},\"code\":\"%s\","
                     "\"quad\":%d,\"goldstein\":%.1f}",
                     doc, sentence, sentence, doc, date, src, tgt, code, quad, gold);
    return dyad_store_put_record(s, buf, (size_t)n, NULL);
}

/* The first column of the first row, as an integer. */
static int first_int(void *ctx, size_t ncols, const char *const *names, const dyad_value *v)
{
    (void)names;
    if (ncols > 0 && v[0].type == DYAD_VALUE_INT)
        *(long long *)ctx = v[0].i;
    return 1;
}

static long long sql_count(dyad_store *s, const char *sql, const char *param)
{
    long long n = -1;
    const char *params[1] = {param};
    if (dyad_store_sql(s, sql, param ? params : NULL, param ? 1 : 0, first_int, &n, NULL))
        return -2;
    return n;
}

typedef struct dyad_rows {
    int rows;
    long long events[8];
    double sum[8];
    char period[8][11];
} dyad_rows;

static int collect(void *ctx, size_t ncols, const char *const *names, const dyad_value *v)
{
    dyad_rows *r = ctx;
    if (ncols != 10 || strcmp(names[3], "events") != 0 || r->rows == 8)
        return 1;
    r->events[r->rows] = v[3].i;
    r->sum[r->rows] = v[8].r;
    snprintf(r->period[r->rows], 11, "%.*s", (int)v[0].s.len, v[0].s.ptr);
    r->rows++;
    return 0;
}

static int count_rows(void *ctx, size_t ncols, const char *const *names, const dyad_value *v)
{
    (void)ncols, (void)names, (void)v;
    return ++*(int *)ctx >= 2;   /* stop after two rows */
}

int main(int argc, char **argv)
{
    (void)argc, (void)argv;
    snprintf(dir, sizeof dir, "%s/dyad-store-unit.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir)) {
        T_SKIP("store", "cannot make a temporary directory");
        T_DONE();
    }
    snprintf(path, sizeof path, "%s/u.db", dir);

    dyad_store *s = NULL;
    dyad_error err = {0};
    dyad_store_opts ro;
    dyad_store_opts_default(&ro);
    ro.flags = DYAD_STORE_READONLY;
    T_CHECK("open-missing-readonly", dyad_store_open(path, &ro, &s, &err) == DYAD_ENOTFOUND && !s);
    T_CHECK("open-unknown-scheme",
            dyad_store_open("gopher://localhost/dyad", NULL, &s, &err) == DYAD_EUNSUPPORTED);
    T_CHECK("close-null", dyad_store_close(NULL, NULL) == DYAD_OK);

    T_CHECK("open-create", dyad_store_open(path, NULL, &s, &err) == DYAD_OK && s);
    if (!s) {
        T_DONE();
    }
    /* a: two RUS->USA events in January, one USA->RUS in March */
    T_CHECK("put-events",
            put_event(s, "a", 0, "2017-01-05", "RUSGOV", "USA", "040", 1, 1.0) == DYAD_OK &&
            put_event(s, "a", 1, "2017-01", "RUS", "USAGOV", "1711", 4, -9.2) == DYAD_OK &&
            put_event(s, "a", 2, "2017-03-02", "USA", "RUS", "130", 3, -4.4) == DYAD_OK);
    T_CHECK("put-malformed-json",
            dyad_store_put_record(s, "{\"kind\":", 8, &err) == DYAD_EFORMAT);
    T_CHECK("put-bad-date",
            put_event(s, "a", 3, "2017-13-01", "RUS", "USA", "040", 1, 1.0) == DYAD_EFORMAT);
    T_CHECK("put-bad-code",
            put_event(s, "a", 3, "2017-01-01", "RUS", "USA", "04x", 1, 1.0) == DYAD_EFORMAT);
    T_CHECK("flush", dyad_store_flush(s, &err) == DYAD_OK);
    T_CHECK("events-stored", sql_count(s, "SELECT count(*) FROM events", NULL) == 3);
    T_CHECK("day-of-a-month", sql_count(s, "SELECT count(*) FROM events WHERE day = ?1",
                                        "2017-01-01") == 1);

    dyad_store_filter f;
    dyad_store_filter_default(&f);
    f.source = "rus";
    f.target = "USA";
    f.from = "2017-01-01";
    f.to = "2017-03-31";
    dyad_rows r = {0};
    T_CHECK("query-dyad",
            dyad_store_query_dyad(s, &f, DYAD_BY_MONTH, collect, &r, &err) == DYAD_OK);
    /* Jan RUS->USA 2 (sum -8.2), Jan USA->RUS 0, Feb 0 0, Mar 0 and 1 (-4.4) */
    T_CHECK("query-dyad-rows", r.rows == 6);
    T_CHECK("query-dyad-counts", r.events[0] == 2 && r.events[1] == 0 && r.events[2] == 0 &&
                                     r.events[3] == 0 && r.events[4] == 0 && r.events[5] == 1);
    T_CHECK("query-dyad-sums", r.sum[0] > -8.21 && r.sum[0] < -8.19 && r.sum[5] > -4.41 &&
                                   r.sum[5] < -4.39 && r.sum[1] == 0.0);
    T_CHECK("query-dyad-periods", strcmp(r.period[0], "2017-01") == 0 &&
                                      strcmp(r.period[2], "2017-02") == 0 &&
                                      strcmp(r.period[5], "2017-03") == 0);

    /* the records of "a" again, in two groups split by "b": the last group replaces */
    T_CHECK("replace-groups",
            put_event(s, "a", 0, "2017-01-05", "RUSGOV", "USA", "040", 1, 1.0) == DYAD_OK &&
            put_event(s, "b", 0, "2017-02-01", "CHN", "USA", "040", 1, 1.0) == DYAD_OK &&
            put_event(s, "a", 0, "2017-01-05", "RUSGOV", "USA", "040", 1, 1.0) == DYAD_OK &&
            dyad_store_flush(s, NULL) == DYAD_OK);
    T_CHECK("replace-count", sql_count(s, "SELECT count(*) FROM events WHERE article = ?1",
                                       "a") == 1);
    T_CHECK("replace-sentences", sql_count(s, "SELECT count(*) FROM sentences", NULL) == 2);
    T_CHECK("replace-fts", sql_count(s, "SELECT count(*) FROM sentences_fts WHERE "
                                        "sentences_fts MATCH ?1", "sentence") == 2);

    /* a bad first record of an article does not empty the stored article */
    T_CHECK("bad-record-keeps-article",
            put_event(s, "b", 0, "not a date", "CHN", "USA", "040", 1, 1.0) == DYAD_EFORMAT &&
            dyad_store_flush(s, NULL) == DYAD_OK &&
            sql_count(s, "SELECT count(*) FROM events WHERE article = ?1", "b") == 1);

    dyad_store_counts c;
    dyad_store_counts_get(s, &c);
    T_CHECK("counts", c.records == 10 && c.skipped == 4 && c.events == 6);
    if (!(c.records == 10 && c.skipped == 4 && c.events == 6))
        printf("# counts: records %llu skipped %llu events %llu\n",
               (unsigned long long)c.records, (unsigned long long)c.skipped,
               (unsigned long long)c.events);

    T_CHECK("sql-parameters-mismatch",
            dyad_store_sql(s, "SELECT ?1, ?2", NULL, 0, NULL, NULL, &err) == DYAD_EINVAL);
    int n = 0;
    T_CHECK("callback-stops",
            dyad_store_sql(s, "SELECT id FROM events", NULL, 0, count_rows, &n, NULL) ==
                    DYAD_OK && n == 2);
    T_CHECK("close", dyad_store_close(s, &err) == DYAD_OK);

    dyad_store_filter_default(&f);
    f.from = "2017-02-30";
    T_CHECK("filter-bad-date", dyad_store_filter_check(&f, &err) == DYAD_EINVAL &&
                                   strstr(err.msg, "2017-02-30") != NULL);
    dyad_store_filter_default(&f);
    f.source = "RU";
    T_CHECK("filter-bad-actor", dyad_store_filter_check(&f, NULL) == DYAD_EINVAL);
    dyad_store_filter_default(&f);
    f.code = "1";
    T_CHECK("filter-bad-code", dyad_store_filter_check(&f, NULL) == DYAD_EINVAL);
    dyad_store_filter_default(&f);
    f.from = "2017-03-01";
    f.to = "2017-01-01";
    T_CHECK("filter-from-after-to", dyad_store_filter_check(&f, NULL) == DYAD_EINVAL);

    s = NULL;
    T_CHECK("open-readonly", dyad_store_open(path, &ro, &s, &err) == DYAD_OK && s);
    if (s) {
        T_CHECK("readonly-no-put",
                put_event(s, "c", 0, "2017-01-01", "RUS", "USA", "040", 1, 1.0) == DYAD_EINVAL);
        T_CHECK("readonly-no-write-sql",
                dyad_store_sql(s, "DELETE FROM events", NULL, 0, NULL, NULL, NULL) ==
                    DYAD_EINVAL);
        T_CHECK("readonly-query", sql_count(s, "SELECT count(*) FROM events", NULL) == 2);
        dyad_store_close(s, NULL);
    }

    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        T_SKIP("cleanup", dir);
    T_DONE();
}
