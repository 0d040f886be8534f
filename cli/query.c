/* query.c - `dyad query`: counts per dyad and period, actors, events, full-text search, SQL. */
#include "cli.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
    "usage: dyad query dyad A B [--by day|month|year] [FILTERS] [OPTIONS]\n"
    "       dyad query actors [--by-country] [FILTERS] [OPTIONS]\n"
    "       dyad query events [FILTERS] [OPTIONS]\n"
    "       dyad query search WORDS... [--fts] [--limit N] [OPTIONS]\n"
    "       dyad query sql STATEMENT [PARAM...] [OPTIONS]\n"
    "Questions to the event store filled by 'dyad load' or 'dyad code --db'.\n"
    "  dyad      events between A and B in both directions per period (default month): counts\n"
    "            per QuadClass (1 verbal cooperation, 2 material cooperation, 3 verbal\n"
    "            conflict, 4 material conflict), Goldstein sum and mean; every period from\n"
    "            --from (or the first event) to --to (or the last) is listed\n"
    "  actors    the most active actors, as source and as target (default --limit 20)\n"
    "  events    the events, in date order (default --limit 100)\n"
    "  search    sentences holding all the words (a word ending in * is a prefix; --fts: an\n"
    "            FTS5 query as written) and the events each produced (default --limit 20)\n"
    "  sql       one SQL statement that reads (docs/store.md); PARAMs are bound to ?1, ?2, ...\n"
    "Filters:\n"
    "  --source A, --target B   actor codes, matched in whole three-letter units: RUS matches\n"
    "                           RUS, RUSGOV, RUSMIL\n"
    "  --code C                 a CAMEO event code and every code under it (13: 13, 130, 1311)\n"
    "  --quad N                 QuadClass 1-4\n"
    "  --from D, --to D         dates YYYY-MM-DD, inclusive\n"
    "  --one-a-day              count each (date, source, target, code) once, however many\n"
    "                           articles report it; events then shows GDELT's NumMentions,\n"
    "                           NumSources and NumArticles\n"
    "Options:\n"
    "  --db FILE                the database (default: $DYAD_DB)\n"
    "  --format F               table (default), tsv, or json (one object per line)\n"
    "  --limit N                at most N rows (0: all)\n";

enum { FMT_TABLE, FMT_TSV, FMT_JSON };

/* ---------------------------------------------------------------- output */

typedef struct out {
    int format;
    unsigned long rows;
    bool oom;
    /* table: every cell, row by row */
    size_t ncols;
    char **names;
    char **cells;
    size_t ncells, cap;
    unsigned char *numeric;   /* per column: every value is a number */
    /* search, grouped by sentence */
    char *key;                /* article and sentence of the open group */
    bool group_open;
    unsigned long sentences;
} out;

static char *dup_n(const char *p, size_t n)
{
    char *c = malloc(n + 1);
    if (c) {
        memcpy(c, p, n);
        c[n] = '\0';
    }
    return c;
}

/* A value as text: NULL is "", reals with two decimals in tables, else up to 15 digits. */
static char *value_text(const dyad_value *v, int format)
{
    char buf[64];
    switch (v->type) {
    case DYAD_VALUE_NULL:
        return dup_n("", 0);
    case DYAD_VALUE_INT:
        snprintf(buf, sizeof buf, "%lld", (long long)v->i);
        return dup_n(buf, strlen(buf));
    case DYAD_VALUE_REAL:
        snprintf(buf, sizeof buf, format == FMT_TABLE ? "%.2f" : "%.15g", v->r);
        return dup_n(buf, strlen(buf));
    default:
        return dup_n(v->s.ptr, v->s.len);
    }
}

static void put_tsv_text(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        putchar(c == '\t' || c == '\n' || c == '\r' ? ' ' : c);
    }
}

static void put_json_value(const dyad_value *v)
{
    switch (v->type) {
    case DYAD_VALUE_NULL:
        fputs("null", stdout);
        break;
    case DYAD_VALUE_INT:
        printf("%lld", (long long)v->i);
        break;
    case DYAD_VALUE_REAL:
        if (isfinite(v->r))
            printf("%.15g", v->r);
        else
            fputs("null", stdout);
        break;
    default:
        dyad_write_json_string(stdout, v->s);
    }
}

/* {"name": value, ...} of columns [first, end); the closing brace only when close. */
static void put_json_fields(const char *const *names, const dyad_value *v, size_t first,
                            size_t end, bool close)
{
    putchar('{');
    for (size_t i = first; i < end; i++) {
        if (i > first)
            putchar(',');
        dyad_write_json_string(stdout, (dyad_slice){names[i], strlen(names[i])});
        putchar(':');
        put_json_value(&v[i]);
    }
    if (close)
        putchar('}');
}

static int on_row(void *ctx, size_t ncols, const char *const *names, const dyad_value *v)
{
    out *o = ctx;
    if (o->format == FMT_TSV) {
        if (o->rows == 0)
            for (size_t i = 0; i < ncols; i++) {
                put_tsv_text(names[i], strlen(names[i]));
                putchar(i + 1 < ncols ? '\t' : '\n');
            }
        for (size_t i = 0; i < ncols; i++) {
            char *t = value_text(&v[i], o->format);
            if (!t) {
                o->oom = true;
                return 1;
            }
            put_tsv_text(t, strlen(t));
            free(t);
            putchar(i + 1 < ncols ? '\t' : '\n');
        }
    } else if (o->format == FMT_JSON) {
        put_json_fields(names, v, 0, ncols, true);
        putchar('\n');
    } else {
        if (o->rows == 0) {
            o->ncols = ncols;
            o->names = calloc(ncols, sizeof *o->names);
            o->numeric = calloc(ncols, 1);
            if (!o->names || !o->numeric) {
                o->oom = true;
                return 1;
            }
            for (size_t i = 0; i < ncols; i++) {
                o->names[i] = dup_n(names[i], strlen(names[i]));
                o->numeric[i] = 1;
            }
        }
        if (o->ncells + ncols > o->cap) {
            size_t cap = o->cap ? o->cap * 2 : 256;
            while (cap < o->ncells + ncols)
                cap *= 2;
            char **c = realloc(o->cells, cap * sizeof *c);
            if (!c) {
                o->oom = true;
                return 1;
            }
            o->cells = c;
            o->cap = cap;
        }
        for (size_t i = 0; i < ncols && i < o->ncols; i++) {
            if (v[i].type == DYAD_VALUE_TEXT)
                o->numeric[i] = 0;
            char *t = value_text(&v[i], o->format);
            if (!t) {
                o->oom = true;
                return 1;
            }
            o->cells[o->ncells++] = t;
        }
    }
    o->rows++;
    return 0;
}

/* Display width of a UTF-8 string (code points). */
static size_t width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            w++;
    return w;
}

#define MAX_CELL 60

/* Print s in a cell of w columns: cut at MAX_CELL code points, padded left or right. */
static void put_cell(const char *s, size_t w, bool right, bool last)
{
    size_t n = width(s);
    size_t shown = n > MAX_CELL ? MAX_CELL : n;
    if (right)
        for (size_t k = shown; k < w; k++)
            putchar(' ');
    if (n > MAX_CELL) {
        size_t cps = 0;
        for (const char *p = s; *p; p++) {
            if (((unsigned char)*p & 0xC0) != 0x80 && ++cps > MAX_CELL - 3)
                break;
            putchar(*p == '\n' || *p == '\t' ? ' ' : *p);
        }
        fputs("...", stdout);
    } else {
        for (const char *p = s; *p; p++)
            putchar(*p == '\n' || *p == '\t' ? ' ' : *p);
    }
    if (!right && !last)
        for (size_t k = shown; k < w; k++)
            putchar(' ');
}

static void print_table(const out *o)
{
    if (o->rows == 0) {
        puts("(no rows)");
        return;
    }
    size_t *w = calloc(o->ncols, sizeof *w);
    if (!w)
        return;
    for (size_t c = 0; c < o->ncols; c++) {
        w[c] = width(o->names[c]);
        for (size_t r = 0; r < o->rows; r++) {
            size_t n = width(o->cells[r * o->ncols + c]);
            if (n > w[c])
                w[c] = n > MAX_CELL ? MAX_CELL : n;
        }
    }
    for (size_t c = 0; c < o->ncols; c++) {
        put_cell(o->names[c], w[c], o->numeric[c], c + 1 == o->ncols);
        fputs(c + 1 < o->ncols ? "  " : "\n", stdout);
    }
    for (size_t r = 0; r < o->rows; r++)
        for (size_t c = 0; c < o->ncols; c++) {
            put_cell(o->cells[r * o->ncols + c], w[c], o->numeric[c], c + 1 == o->ncols);
            fputs(c + 1 < o->ncols ? "  " : "\n", stdout);
        }
    free(w);
}

static void out_free(out *o)
{
    for (size_t i = 0; i < o->ncells; i++)
        free(o->cells[i]);
    for (size_t i = 0; o->names && i < o->ncols; i++)
        free(o->names[i]);
    free(o->cells);
    free(o->names);
    free(o->numeric);
    free(o->key);
}

/* ---- search: one group per sentence (article, sentence, text), then its events */

static void close_group(out *o)
{
    if (!o->group_open)
        return;
    if (o->format == FMT_JSON)
        fputs("]}\n", stdout);
    o->group_open = false;
}

static int on_search_row(void *ctx, size_t ncols, const char *const *names,
                         const dyad_value *v)
{
    out *o = ctx;
    if (o->format == FMT_TSV)
        return on_row(ctx, ncols, names, v);
    if (ncols != 9 || v[0].type != DYAD_VALUE_TEXT)
        return 0;
    char key[512];
    snprintf(key, sizeof key, "%.*s\n%lld", (int)(v[0].s.len < 400 ? v[0].s.len : 400),
             v[0].s.ptr, (long long)v[1].i);
    bool has_event = v[6].type != DYAD_VALUE_NULL;
    if (!o->key || strcmp(o->key, key) != 0) {
        close_group(o);
        free(o->key);
        o->key = dup_n(key, strlen(key));
        o->sentences++;
        o->group_open = true;
        if (o->format == FMT_JSON) {
            put_json_fields(names, v, 0, 3, false);
            fputs(",\"events\":[", stdout);
        } else {
            printf("%s%.*s #%lld: ", o->sentences > 1 ? "\n" : "", (int)v[0].s.len,
                   v[0].s.ptr, (long long)v[1].i);
            fwrite(v[2].s.ptr, 1, v[2].s.len, stdout);
            putchar('\n');
            if (!has_event)
                puts("    (no events)");
        }
        o->rows = 0;
    }
    if (!has_event)
        return 0;
    if (o->format == FMT_JSON) {
        if (o->rows)
            putchar(',');
        put_json_fields(names, v, 3, ncols, true);
    } else {
        char *g = value_text(&v[8], FMT_TSV);
        printf("    %-10.*s  %-12.*s %-4.*s  %-12.*s  quad %lld  goldstein %s\n",
               (int)v[3].s.len, v[3].s.ptr, (int)v[4].s.len, v[4].s.ptr, (int)v[6].s.len,
               v[6].s.ptr, (int)v[5].s.len, v[5].s.ptr, (long long)v[7].i, g ? g : "");
        free(g);
    }
    o->rows++;
    return 0;
}

/* ---------------------------------------------------------------- the command */

static int parse_count(const char *opt, const char *v, size_t *out_n)
{
    char *end;
    errno = 0;
    unsigned long long n = strtoull(v, &end, 10);
    if (errno || end == v || *end || v[0] == '-' || n > 100000000ull)
        return cli_usage("query", "%s: expected a number from 0 to 100000000, got '%s'", opt, v);
    *out_n = (size_t)n;
    return 0;
}

int cmd_query(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage_text, stderr);
        return EXIT_USAGE;
    }
    const char *sub = argv[1];
    if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0 || strcmp(sub, "help") == 0) {
        fputs(usage_text, stdout);
        return EXIT_OK;
    }
    static const char *const subs[] = {"dyad", "actors", "events", "search", "sql"};
    int which = -1;
    for (int k = 0; k < 5; k++)
        if (strcmp(sub, subs[k]) == 0)
            which = k;
    if (which < 0)
        return cli_usage("query", "unknown query '%s' (dyad, actors, events, search or sql)",
                         sub);
    dyad_store_filter f;
    dyad_store_filter_default(&f);
    f.limit = which == 1 ? 20 : which == 2 ? 100 : which == 3 ? 20 : 0;
    const char *db = NULL;
    int format = FMT_TABLE, by = DYAD_BY_MONTH, by_country = 0, fts = 0;
    const char **pos = calloc((size_t)argc + 1, sizeof *pos);
    size_t npos = 0;
    if (!pos) {
        cli_errorf("out of memory");
        return EXIT_FATAL;
    }
    int rc = EXIT_OK;
    static const char *const with_value[] = {"--db", "--format", "--from", "--to", "--source",
                                             "--target", "--code", "--quad", "--limit", "--by"};
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage_text, stdout);
            goto done;
        }
        if (strcmp(a, "--") == 0) {   /* the rest is positional (e.g. a word with a dash) */
            while (++i < argc)
                pos[npos++] = argv[i];
            break;
        }
        bool needs = false;
        for (size_t k = 0; k < sizeof with_value / sizeof *with_value; k++)
            if (strcmp(a, with_value[k]) == 0)
                needs = true;
        if (needs && i + 1 >= argc) {
            rc = cli_usage("query", "%s needs a value", a);
            goto done;
        }
        const char *v = needs ? argv[++i] : NULL;
        if (strcmp(a, "--db") == 0) {
            db = v;
        } else if (strcmp(a, "--format") == 0) {
            format = strcmp(v, "table") == 0 ? FMT_TABLE : strcmp(v, "tsv") == 0 ? FMT_TSV
                   : strcmp(v, "json") == 0 ? FMT_JSON : -1;
            if (format < 0) {
                rc = cli_usage("query", "--format: expected table, tsv or json, got '%s'", v);
                goto done;
            }
        } else if (strcmp(a, "--from") == 0) {
            f.from = v;
        } else if (strcmp(a, "--to") == 0) {
            f.to = v;
        } else if (strcmp(a, "--source") == 0) {
            f.source = v;
        } else if (strcmp(a, "--target") == 0) {
            f.target = v;
        } else if (strcmp(a, "--code") == 0) {
            f.code = v;
        } else if (strcmp(a, "--quad") == 0) {
            if (strlen(v) != 1 || v[0] < '1' || v[0] > '4') {
                rc = cli_usage("query", "--quad: expected 1, 2, 3 or 4, got '%s'", v);
                goto done;
            }
            f.quad = v[0] - '0';
        } else if (strcmp(a, "--limit") == 0) {
            if ((rc = parse_count(a, v, &f.limit)))
                goto done;
        } else if (strcmp(a, "--by") == 0) {
            by = strcmp(v, "day") == 0 ? DYAD_BY_DAY : strcmp(v, "month") == 0 ? DYAD_BY_MONTH
               : strcmp(v, "year") == 0 ? DYAD_BY_YEAR : -1;
            if (by < 0 || which != 0) {
                rc = which != 0 ? cli_usage("query", "--by is for 'dyad query dyad'")
                                : cli_usage("query", "--by: expected day, month or year, "
                                                     "got '%s'", v);
                goto done;
            }
        } else if (strcmp(a, "--one-a-day") == 0) {
            f.one_a_day = 1;
        } else if (strcmp(a, "--by-country") == 0 && which == 1) {
            by_country = 1;
        } else if (strcmp(a, "--fts") == 0 && which == 3) {
            fts = 1;
        } else if (a[0] == '-' && a[1] && strncmp(a, "---", 3) != 0 &&
                   !(which == 4 && npos > 0)) {
            /* "---GOV" is an actor code with no country, not an option */
            rc = cli_usage("query", "unknown option '%s' for 'query %s'", a, sub);
            goto done;
        } else {
            pos[npos++] = a;
        }
    }
    /* positional arguments */
    if (which == 0) {
        if (npos != 2) {
            rc = cli_usage("query", "query dyad needs two actors, e.g. 'dyad query dyad RUS USA'");
            goto done;
        }
        if (f.source || f.target) {
            rc = cli_usage("query", "query dyad takes its two actors as arguments, not --source "
                                    "or --target");
            goto done;
        }
        f.source = pos[0];
        f.target = pos[1];
    } else if ((which == 1 || which == 2) && npos) {
        rc = cli_usage("query", "unexpected argument '%s'", pos[0]);
        goto done;
    } else if (which == 3 && !npos) {
        rc = cli_usage("query", "query search needs words to search for");
        goto done;
    } else if (which == 4 && !npos) {
        rc = cli_usage("query", "query sql needs a statement");
        goto done;
    }
    dyad_error err = {0};
    if (dyad_store_filter_check(&f, &err)) {
        rc = cli_usage("query", "--%s", err.msg);
        goto done;
    }
    db = cli_db_path(db);
    if (!db) {
        rc = cli_usage("query", "no database: give --db FILE or set DYAD_DB");
        goto done;
    }
    /* the words of a search, joined */
    char *words = NULL;
    if (which == 3) {
        size_t n = 0;
        for (size_t k = 0; k < npos; k++)
            n += strlen(pos[k]) + 1;
        words = malloc(n + 1);
        if (!words) {
            cli_errorf("out of memory");
            rc = EXIT_FATAL;
            goto done;
        }
        words[0] = '\0';
        for (size_t k = 0; k < npos; k++) {
            if (k)
                strcat(words, " ");
            strcat(words, pos[k]);
        }
    }
    dyad_store_opts opts;
    dyad_store_opts_default(&opts);
    opts.flags = DYAD_STORE_READONLY;
    dyad_store *store = NULL;
    if (dyad_store_open(db, &opts, &store, &err)) {
        cli_report("error", &err);
        free(words);
        rc = EXIT_FATAL;
        goto done;
    }
    out o = {0};
    o.format = format;
    dyad_status st;
    switch (which) {
    case 0:
        st = dyad_store_query_dyad(store, &f, (dyad_period)by, on_row, &o, &err);
        break;
    case 1:
        st = dyad_store_query_actors(store, &f, by_country, on_row, &o, &err);
        break;
    case 2:
        st = dyad_store_query_events(store, &f, on_row, &o, &err);
        break;
    case 3:
        st = dyad_store_search(store, words, fts, &f, on_search_row, &o, &err);
        close_group(&o);
        break;
    default:
        st = dyad_store_sql(store, pos[0], pos + 1, npos - 1, on_row, &o, &err);
    }
    if (!st && o.oom)
        st = DYAD_ENOMEM;
    if (st) {
        if (st == DYAD_EINVAL) {
            err.file[0] = '\0';
            rc = cli_usage("query", "%s", err.msg);
        } else {
            cli_report("error", &err);
            rc = EXIT_FATAL;
        }
    } else if (format == FMT_TABLE && which != 3) {
        print_table(&o);
    } else if (format == FMT_TABLE && o.sentences == 0) {
        puts("(no sentences)");
    }
    fflush(stdout);
    out_free(&o);
    free(words);
    memset(&err, 0, sizeof err);
    dyad_store_close(store, &err);
done:
    free(pos);
    return rc;
}
