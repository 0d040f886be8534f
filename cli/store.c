/* store.c - `dyad load`: dyad's JSONL output into the event store. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char usage_text[] =
    "usage: dyad load [--db FILE] [--batch N] [--safe] [--quiet] [FILE...]\n"
    "Stores the records written by 'dyad code' (JSONL, plain or compressed; standard input\n"
    "when no FILE) in the event store.  Article lines of dyad's input ({\"id\", \"date\",\n"
    "\"text\", ...}) may be loaded too: they give the articles' dates, titles, urls and\n"
    "sources.  An article loaded again replaces the earlier one: nothing is duplicated.\n"
    "  --db DB     the event store (default: $DYAD_DB): an SQLite file, created when missing,\n"
    "              or clickhouse://HOST:PORT/DB (docs/clickhouse.md)\n"
    "  --batch N   articles per transaction (default 1000)\n"
    "  --safe      wait for the disk at each commit\n"
    "A malformed line is reported (FILE:LINE) and skipped; the run ends with a summary on\n"
    "stderr and exits 1 when a line was skipped.\n";

static void report_line(void *ctx, const dyad_error *problem)
{
    const bool *quiet = ctx;
    if (!*quiet)
        cli_report("error", problem);
}

/* The database named by --db, else $DYAD_DB, else NULL. */
const char *cli_db_path(const char *given)
{
    if (given && *given)
        return given;
    const char *env = getenv("DYAD_DB");
    return env && *env ? env : NULL;
}

int cmd_load(int argc, char **argv)
{
    const char *db = NULL;
    bool quiet = false;
    dyad_store_opts opts;
    dyad_store_opts_default(&opts);
    char **files = calloc((size_t)argc + 1, sizeof *files);
    int nfiles = 0;
    if (!files) {
        cli_errorf("out of memory");
        return EXIT_FATAL;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage_text, stdout);
            free(files);
            return EXIT_OK;
        }
        if ((strcmp(a, "--db") == 0 || strcmp(a, "--batch") == 0) && i + 1 >= argc) {
            free(files);
            return cli_usage("load", "%s needs a value", a);
        }
        if (strcmp(a, "--db") == 0) {
            db = argv[++i];
        } else if (strcmp(a, "--batch") == 0) {
            char *end;
            long n = strtol(argv[++i], &end, 10);
            if (*end || end == argv[i] || n < 1 || n > 10000000) {
                free(files);
                return cli_usage("load", "--batch: expected a number from 1 to 10000000, "
                                         "got '%s'", argv[i]);
            }
            opts.batch_articles = (size_t)n;
        } else if (strcmp(a, "--safe") == 0) {
            opts.flags |= DYAD_STORE_SAFE;
        } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            quiet = true;
        } else if (a[0] == '-' && a[1]) {
            free(files);
            return cli_usage("load", "unknown option '%s'", a);
        } else {
            files[nfiles++] = argv[i];
        }
    }
    db = cli_db_path(db);
    if (!db) {
        free(files);
        return cli_usage("load", "no database: give --db FILE or set DYAD_DB");
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    dyad_store *store = NULL;
    dyad_error err = {0};
    if (dyad_store_open(db, &opts, &store, &err)) {
        cli_report("error", &err);
        free(files);
        return EXIT_FATAL;
    }
    int rc = EXIT_OK;
    static char *stdin_name[] = {"-"};
    char **list = nfiles ? files : stdin_name;
    int n = nfiles ? nfiles : 1;
    for (int f = 0; f < n; f++) {
        memset(&err, 0, sizeof err);
        dyad_status st = dyad_store_load(store, list[f], report_line, &quiet, &err);
        if (st == DYAD_EIO && strcmp(err.file, list[f]) == 0) {   /* the input failed */
            cli_report("error", &err);
            rc = EXIT_SKIPPED;
        } else if (st) {
            cli_report("error", &err);
            rc = EXIT_FATAL;
            break;
        }
    }
    memset(&err, 0, sizeof err);
    dyad_store_counts c;
    if (rc != EXIT_FATAL && dyad_store_flush(store, &err)) {
        cli_report("error", &err);
        rc = EXIT_FATAL;
    }
    dyad_store_counts_get(store, &c);
    memset(&err, 0, sizeof err);
    if (dyad_store_close(store, &err)) {
        cli_report("error", &err);
        rc = EXIT_FATAL;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    if (c.skipped && rc == EXIT_OK)
        rc = EXIT_SKIPPED;
    if (!quiet)
        fprintf(stderr,
                "dyad load: %llu records read, %llu stored, %llu skipped; %llu articles, "
                "%llu events, %llu quotations, %llu sentences; %.2f s, %.0f events/s\n",
                (unsigned long long)c.records, (unsigned long long)(c.records - c.skipped),
                (unsigned long long)c.skipped, (unsigned long long)c.articles,
                (unsigned long long)c.events, (unsigned long long)c.quotes,
                (unsigned long long)c.sentences, secs,
                secs > 0 ? (double)c.events / secs : 0.0);
    free(files);
    return rc;
}
