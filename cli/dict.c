/* dict.c - `dyad dict check|compile|show`: lint, compile and describe dictionaries. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef DYAD_DEFAULT_DICT
#define DYAD_DEFAULT_DICT "dict"
#endif

static const char usage_text[] =
    "usage: dyad dict check [-q] [--time] [PATH...]\n"
    "       dyad dict compile [-q] [--time] [PATH...] -o FILE\n"
    "       dyad dict show [-q] [--time] [PATH...]\n"
    "PATH is a dictionary file or a directory (its *.txt files); the default is the shipped\n"
    "dictionaries (" DYAD_DEFAULT_DICT ").  Formats: dyad's own, PETRARCH-1/-2, Phoenix,\n"
    "TABARI (detected from the content).\n"
    "  check    read and lint: prints FILE:LINE: error|warning: MESSAGE and a summary;\n"
    "           exit 3 when there are errors\n"
    "  compile  write the compiled form to FILE (mmap'd at run time); exit 3 and write\n"
    "           nothing when a line cannot be read\n"
    "  show     the format of each file, what was read per kind, the lines not read;\n"
    "           exit 0 only when every line was read\n"
    "  -q       errors only (no warnings)\n"
    "  --time   print the time taken to open (read or map) the dictionaries on stderr\n";

typedef struct report_ctx {
    bool quiet;
    long errors, warnings;
} report_ctx;

static void report(void *vc, int is_error, const dyad_error *e)
{
    report_ctx *c = vc;
    if (is_error)
        c->errors++;
    else
        c->warnings++;
    if (!is_error && c->quiet)
        return;
    if (e->file[0]) {
        fputs(e->file, stderr);
        if (e->line > 0)
            fprintf(stderr, ":%ld", e->line);
        fputs(": ", stderr);
    }
    fprintf(stderr, "%s: %s\n", is_error ? "error" : "warning", e->msg);
}

static void print_counts(const unsigned long *entries, unsigned long patterns,
                         unsigned long verbs, unsigned long sets, unsigned long codes,
                         unsigned long transforms)
{
    bool any = false;
    for (int k = 1; k < DYAD_DICT_KIND_COUNT; k++) {
        if (!entries[k])
            continue;
        printf("%s%s %lu", any ? ", " : "", dyad_dict_kind_name(k), entries[k]);
        any = true;
    }
    const struct {
        const char *name;
        unsigned long n;
    } other[] = {{"patterns", patterns}, {"verbs", verbs}, {"sets", sets},
                 {"codes", codes},       {"transformations", transforms}};
    for (size_t i = 0; i < sizeof other / sizeof *other; i++) {
        if (!other[i].n)
            continue;
        printf("%s%s %lu", any ? ", " : "", other[i].name, other[i].n);
        any = true;
    }
    if (!any)
        printf("nothing");
    printf("\n");
}

typedef struct dict_args {
    const char **paths;
    size_t npaths;
    const char *out;
    bool quiet, time;
} dict_args;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Open with the options of a subcommand, timing it when asked. */
static dyad_status open_timed(const dict_args *a, const dyad_dict_opts *o, dyad_dict **d,
                              dyad_error *err)
{
    double t0 = now_ms();
    dyad_status st = dyad_dict_open_opts(a->paths, a->npaths, o, d, err);
    if (a->time)
        fprintf(stderr, "dyad: dictionaries opened in %.2f ms\n", now_ms() - t0);
    return st;
}

static int parse_args(const char *cmd, int argc, char **argv, bool want_out, dict_args *a)
{
    memset(a, 0, sizeof *a);
    a->paths = calloc((size_t)argc + 1, sizeof *a->paths);
    if (!a->paths) {
        cli_errorf("out of memory");
        return EXIT_FATAL;
    }
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        if (strcmp(s, "--help") == 0 || strcmp(s, "-h") == 0) {
            fputs(usage_text, stdout);
            return -1;
        }
        if (strcmp(s, "-q") == 0 || strcmp(s, "--quiet") == 0) {
            a->quiet = true;
        } else if (strcmp(s, "--time") == 0) {
            a->time = true;
        } else if (want_out && (strcmp(s, "-o") == 0 || strcmp(s, "--output") == 0)) {
            if (i + 1 >= argc)
                return cli_usage(cmd, "%s needs a file name", s);
            a->out = argv[++i];
        } else if (s[0] == '-' && s[1]) {
            return cli_usage(cmd, "unknown option '%s'", s);
        } else {
            a->paths[a->npaths++] = s;
        }
    }
    if (a->npaths == 0)
        a->paths[a->npaths++] = DYAD_DEFAULT_DICT;
    if (want_out && !a->out)
        return cli_usage(cmd, "compile needs -o FILE");
    return 0;
}

/* Parse a subcommand's arguments and open the dictionaries they name, problems going to rep.
 * Returns the dictionary, or NULL with *rc the exit status (EXIT_OK after --help). */
static dyad_dict *open_args(int argc, char **argv, bool want_out, unsigned flags, dict_args *a,
                            report_ctx *rep, int *rc)
{
    *rc = parse_args("dict", argc, argv, want_out, a);
    if (*rc) {
        free(a->paths);
        *rc = *rc < 0 ? EXIT_OK : *rc;
        return NULL;
    }
    rep->quiet = a->quiet;
    dyad_dict_opts o;
    memset(&o, 0, sizeof o);
    o.report = report;
    o.report_ctx = rep;
    o.flags = flags;
    dyad_dict *d = NULL;
    dyad_error err;
    memset(&err, 0, sizeof err);
    dyad_status st = open_timed(a, &o, &d, &err);
    free(a->paths);
    a->paths = NULL;
    if (st) {
        if (rep->errors == 0 || st != DYAD_EFORMAT) {
            cli_report("error", &err);
            rep->errors++;
        }
        *rc = st == DYAD_EFORMAT || st == DYAD_ENOTFOUND ? EXIT_DICT : EXIT_FATAL;
        return NULL;
    }
    return d;
}

static int dict_check(int argc, char **argv)
{
    dict_args a;
    report_ctx rep = {false, 0, 0};
    int rc;
    dyad_dict *d = open_args(argc, argv, false, DYAD_DICT_LINT, &a, &rep, &rc);
    if (!d) {
        if (rc != EXIT_OK)
            printf("%ld errors, %ld warnings\n", rep.errors, rep.warnings);
        return rc;
    }
    unsigned long entries[DYAD_DICT_KIND_COUNT] = {0};
    unsigned long patterns = 0, verbs = 0, sets = 0, codes = 0, transforms = 0;
    for (size_t i = 0; i < dyad_dict_nfiles(d); i++) {
        dyad_dict_file_info f;
        if (dyad_dict_file(d, i, &f))
            continue;
        for (int k = 1; k < DYAD_DICT_KIND_COUNT; k++)
            entries[k] += f.entries[k];
        patterns += f.patterns;
        verbs += f.verbs;
        sets += f.sets;
        codes += f.codes;
        transforms += f.transforms;
    }
    printf("%zu files: ", dyad_dict_nfiles(d));
    print_counts(entries, patterns, verbs, sets, codes, transforms);
    size_t nun = 0;
    while (dyad_dict_unpatterned(d, nun))
        nun++;
    if (nun) {
        printf("%zu codes without patterns:", nun);
        for (size_t i = 0; i < nun; i++)
            printf(" %s", dyad_dict_unpatterned(d, i));
        printf("\n");
    }
    printf("%ld errors, %ld warnings\n", rep.errors, rep.warnings);
    dyad_dict_free(d);
    return rep.errors ? EXIT_DICT : EXIT_OK;
}

static int dict_compile(int argc, char **argv)
{
    dict_args a;
    report_ctx rep = {false, 0, 0};
    int rc;
    dyad_dict *d = open_args(argc, argv, true, 0, &a, &rep, &rc);
    if (!d)
        return rc;
    dyad_error err;
    memset(&err, 0, sizeof err);
    dyad_status st;
    if (rep.errors) {
        cli_errorf("%ld lines could not be read: %s not written", rep.errors, a.out);
        dyad_dict_free(d);
        return EXIT_DICT;
    }
    st = dyad_dict_save(d, a.out, &err);
    dyad_dict_free(d);
    if (st) {
        cli_report("error", &err);
        return EXIT_FATAL;
    }
    return EXIT_OK;
}

static int dict_show(int argc, char **argv)
{
    dict_args a;
    report_ctx rep = {false, 0, 0};
    int rc;
    dyad_dict *d = open_args(argc, argv, false, 0, &a, &rep, &rc);
    if (!d)
        return rc;
    unsigned long unread = 0, lines = 0;
    for (size_t i = 0; i < dyad_dict_nfiles(d); i++) {
        dyad_dict_file_info f;
        if (dyad_dict_file(d, i, &f))
            continue;
        printf("%s: %s, %lu lines, %lu not read, %lu with warnings\n  ", f.path, f.format,
               f.lines, f.unread, f.warnings);
        print_counts(f.entries, f.patterns, f.verbs, f.sets, f.codes, f.transforms);
        unread += f.unread;
        lines += f.lines;
    }
    printf("%zu files, %lu lines, %lu not read\n", dyad_dict_nfiles(d), lines, unread);
    dyad_dict_free(d);
    return unread ? EXIT_DICT : EXIT_OK;
}

int cmd_dict(int argc, char **argv)
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
    if (strcmp(sub, "check") == 0)
        return dict_check(argc - 1, argv + 1);
    if (strcmp(sub, "compile") == 0)
        return dict_compile(argc - 1, argv + 1);
    if (strcmp(sub, "show") == 0)
        return dict_show(argc - 1, argv + 1);
    return cli_usage("dict", "unknown dict command '%s' (check, compile or show)", sub);
}
