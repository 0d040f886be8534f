/* eval_petrarch.c - `dyad eval petrarch-unit`: the PETRARCH unit-test records, coded with their
 * own dictionaries by the linear coder. */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char usage_text[] =
    "usage: dyad eval petrarch-unit [--dict-dir DIR] [--model MODEL | --no-model]\n"
    "                               [--floor N] [--trace ID] [--all] [FILE]\n"
    "Codes every <Sentence> record of a PETRARCH validation file with the dictionaries its\n"
    "<Environment> names and the record's date, applying the <Config> options in file order,\n"
    "and compares the (source, target, code) multiset with the record's <EventCoding>\n"
    "elements (noevents=\"True\", an error= attribute or none: no event).  Prints one line\n"
    "per failed record and 'N/M passed'.\n"
    "  FILE           default ../shared/petrarch2/text/PETR.UnitTest.records.xml\n"
    "  --dict-dir DIR where the Environment's files are (default: FILE's ../dictionaries)\n"
    "  --model MODEL  tagger/parser model (default: the installed one, when it opens)\n"
    "  --no-model     code without tags (word-order rules only)\n"
    "  --floor N      exit 1 when fewer than N records pass\n"
    "  --trace ID     print the coder's trace for record ID\n"
    "  --all          also print the records that pass\n";

#define DEFAULT_FILE "../shared/petrarch2/text/PETR.UnitTest.records.xml"
#define MAX_CODINGS 64

typedef struct coding {
    char src[96], tgt[96], code[16];
} coding;

typedef struct record {
    char id[128];
    char date[11];
    char *text;
    coding exp[MAX_CODINGS];
    size_t nexp;
    bool no_events;
} record;

/* ---------------------------------------------------------------- a small XML scanner */

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        if (n + 4096 > cap) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
        size_t r = fread(buf + n, 1, cap - n - 1, f);
        n += r;
        if (r == 0)
            break;
    }
    fclose(f);
    if (buf)
        buf[n] = 0;
    *len = n;
    return buf;
}

/* Value of attribute name in the tag text [p, e): name = "v" or name='v'. */
static bool attr(const char *p, const char *e, const char *name, char *out, size_t cap)
{
    size_t nl = strlen(name);
    for (const char *q = p; q + nl < e; q++) {
        if (memcmp(q, name, nl) != 0 || (q > p && q[-1] != ' ' && q[-1] != '\t' &&
                                         q[-1] != '\n' && q[-1] != '\r'))
            continue;
        const char *r = q + nl;
        while (r < e && (*r == ' ' || *r == '\t'))
            r++;
        if (r >= e || *r != '=')
            continue;
        r++;
        while (r < e && (*r == ' ' || *r == '\t'))
            r++;
        if (r >= e || (*r != '"' && *r != '\''))
            continue;
        char quote = *r++;
        const char *v = r;
        while (r < e && *r != quote)
            r++;
        size_t n = (size_t)(r - v);
        if (n >= cap)
            n = cap - 1;
        memcpy(out, v, n);
        out[n] = 0;
        return true;
    }
    return false;
}

/* Decode the XML entities of [p, e) and fold every run of white space into one blank. */
static char *text_of(const char *p, const char *e)
{
    char *out = malloc((size_t)(e - p) + 1);
    if (!out)
        return NULL;
    size_t n = 0;
    bool space = false;
    while (p < e) {
        char c = *p;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = n > 0;
            p++;
            continue;
        }
        if (space) {
            out[n++] = ' ';
            space = false;
        }
        if (c == '&') {
            static const struct {
                const char *name;
                char c;
            } ents[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'},
                        {"&apos;", '\''}};
            bool done = false;
            for (size_t k = 0; k < sizeof ents / sizeof *ents && !done; k++) {
                size_t l = strlen(ents[k].name);
                if ((size_t)(e - p) >= l && memcmp(p, ents[k].name, l) == 0) {
                    out[n++] = ents[k].c;
                    p += l;
                    done = true;
                }
            }
            if (done)
                continue;
        }
        out[n++] = c;
        p++;
    }
    out[n] = 0;
    return out;
}

static bool truthy(const char *v)
{
    return strcmp(v, "1") == 0 || strcasecmp(v, "true") == 0 || strcasecmp(v, "yes") == 0;
}

static void apply_config(dyad_linear_opts *o, const char *opt, const char *val)
{
    struct {
        const char *name;
        int *field;
    } ints[] = {{"comma_min", &o->comma_min},   {"comma_max", &o->comma_max},
                {"comma_bmin", &o->comma_bmin}, {"comma_bmax", &o->comma_bmax},
                {"comma_emin", &o->comma_emin}, {"comma_emax", &o->comma_emax},
                {"new_actor_length", &o->new_actor_length}};
    for (size_t k = 0; k < sizeof ints / sizeof *ints; k++)
        if (strcmp(opt, ints[k].name) == 0) {
            *ints[k].field = atoi(val);
            return;
        }
    if (strcmp(opt, "require_dyad") == 0)
        o->require_dyad = truthy(val);
}

/* ---------------------------------------------------------------- comparing */

static int cmp_coding(const void *a, const void *b)
{
    const coding *x = a, *y = b;
    int c = strcmp(x->src, y->src);
    if (!c)
        c = strcmp(x->tgt, y->tgt);
    if (!c)
        c = strcmp(x->code, y->code);
    return c;
}

static void put_set(FILE *f, coding *c, size_t n)
{
    qsort(c, n, sizeof *c, cmp_coding);
    fputc('{', f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s%s %s %s", i ? ", " : "", c[i].src, c[i].tgt, c[i].code);
    fputc('}', f);
}

static void copy_slice(char *dst, size_t cap, dyad_slice s)
{
    size_t n = s.len < cap - 1 ? s.len : cap - 1;
    memcpy(dst, s.ptr, n);
    dst[n] = 0;
}

static void print_trace(void *ctx, const char *line)
{
    (void)ctx;
    printf("  | %s\n", line);
}

/* ---------------------------------------------------------------- the command */

int cmd_eval_petrarch(int argc, char **argv)
{
    const char *file = NULL, *dict_dir = NULL, *model_path = NULL, *trace_id = NULL;
    bool no_model = false, all = false;
    long floor = -1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage_text, stdout);
            return EXIT_OK;
        }
        if (strcmp(a, "--no-model") == 0) {
            no_model = true;
            continue;
        }
        if (strcmp(a, "--all") == 0) {
            all = true;
            continue;
        }
        if (strcmp(a, "--dict-dir") == 0 || strcmp(a, "--model") == 0 ||
            strcmp(a, "--floor") == 0 || strcmp(a, "--trace") == 0) {
            if (i + 1 >= argc)
                return cli_usage("eval petrarch-unit", "%s needs a value", a);
            const char *v = argv[++i];
            if (strcmp(a, "--dict-dir") == 0)
                dict_dir = v;
            else if (strcmp(a, "--model") == 0)
                model_path = v;
            else if (strcmp(a, "--trace") == 0)
                trace_id = v;
            else {
                char *end;
                errno = 0;
                floor = strtol(v, &end, 10);
                if (errno || end == v || *end || floor < 0)
                    return cli_usage("eval petrarch-unit", "--floor: expected a count, got '%s'",
                                     v);
            }
            continue;
        }
        if (a[0] == '-' && a[1])
            return cli_usage("eval petrarch-unit", "unknown option '%s'", a);
        if (file)
            return cli_usage("eval petrarch-unit", "one FILE at most");
        file = a;
    }
    if (!file)
        file = DEFAULT_FILE;
    size_t len;
    char *xml = read_file(file, &len);
    if (!xml) {
        cli_errorf("%s: %s", file, strerror(errno));
        return EXIT_FATAL;
    }
    /* the dictionaries: the Environment's files, in DIR or FILE's ../dictionaries */
    char dir[1024];
    if (dict_dir)
        snprintf(dir, sizeof dir, "%s", dict_dir);
    else {
        const char *slash = strrchr(file, '/');
        if (slash)
            snprintf(dir, sizeof dir, "%.*s/../dictionaries", (int)(slash - file), file);
        else
            snprintf(dir, sizeof dir, "../dictionaries");
    }
    static const char *const env_tags[] = {"Verbfile", "Actorfile", "Agentfile", "Discardfile"};
    char paths[4][1200];
    const char *pp[4];
    size_t npaths = 0;
    const char *env = strstr(xml, "<Environment>");
    const char *env_end = env ? strstr(env, "</Environment>") : NULL;
    dyad_linear_opts opts;
    dyad_linear_opts_default(&opts);
    if (env && env_end) {
        for (size_t k = 0; k < 4; k++) {
            char open[32], close[32];
            snprintf(open, sizeof open, "<%s>", env_tags[k]);
            snprintf(close, sizeof close, "</%s>", env_tags[k]);
            const char *a = strstr(env, open);
            if (!a || a > env_end)
                continue;
            a += strlen(open);
            const char *b = strstr(a, close);
            if (!b || b > env_end)
                continue;
            while (a < b && (*a == ' ' || *a == '\n' || *a == '\t'))
                a++;
            while (b > a && (b[-1] == ' ' || b[-1] == '\n' || b[-1] == '\t'))
                b--;
            snprintf(paths[npaths], sizeof paths[npaths], "%s/%.*s", dir, (int)(b - a), a);
            pp[npaths] = paths[npaths];
            npaths++;
        }
    }
    if (!npaths) {
        cli_errorf("%s: no <Environment> naming the dictionaries", file);
        free(xml);
        return EXIT_FATAL;
    }
    dyad_dict *dict = NULL;
    dyad_error err;
    memset(&err, 0, sizeof err);
    if (dyad_dict_open(pp, npaths, NULL, &dict, &err)) {
        cli_report("error", &err);
        free(xml);
        return EXIT_DICT;
    }
    dyad_model *model = NULL;
    if (!no_model) {
        if (model_path) {
            model = cli_open_model(model_path);
            if (!model) {
                dyad_dict_free(dict);
                free(xml);
                return EXIT_FATAL;
            }
        } else if (dyad_model_open(cli_model_path(NULL), &model, &err) != DYAD_OK) {
            fprintf(stderr, "dyad: warning: no usable model (%s): coding without tags\n",
                    err.msg);
            model = NULL;
        }
    }
    dyad_worker *worker = dyad_worker_new();
    dyad_doc *doc = dyad_doc_new();
    record *rec = calloc(1, sizeof *rec);
    if (!worker || !doc || !rec) {
        cli_errorf("out of memory");
        return EXIT_FATAL;
    }
    unsigned long total = 0, passed = 0, errors = 0;
    const char *p = xml;
    const char *end = xml + len;
    /* the Environment's own <Config> lines come first */
    while (p < end) {
        const char *lt = strchr(p, '<');
        if (!lt)
            break;
        if (strncmp(lt, "<!--", 4) == 0) {
            const char *c = strstr(lt + 4, "-->");
            p = c ? c + 3 : end;
            continue;
        }
        const char *gt = strchr(lt, '>');
        if (!gt)
            break;
        if (strncmp(lt, "<Config", 7) == 0) {
            char opt[64], val[64];
            if (attr(lt, gt, "option", opt, sizeof opt) && attr(lt, gt, "value", val, sizeof val))
                apply_config(&opts, opt, val);
            p = gt + 1;
            continue;
        }
        if (strncmp(lt, "<Sentence ", 10) != 0 && strncmp(lt, "<Sentence\t", 10) != 0) {
            p = gt + 1;
            continue;
        }
        /* one record */
        const char *close = strstr(gt, "</Sentence>");
        if (!close)
            break;
        memset(rec, 0, sizeof *rec);
        char date[32] = "";
        attr(lt, gt, "id", rec->id, sizeof rec->id);
        attr(lt, gt, "date", date, sizeof date);
        if (strlen(date) == 8)
            snprintf(rec->date, sizeof rec->date, "%.4s-%.2s-%.2s", date, date + 4, date + 6);
        bool any_coding = false;
        for (const char *q = gt + 1; q < close;) {
            const char *l2 = strchr(q, '<');
            if (!l2 || l2 >= close)
                break;
            if (strncmp(l2, "<!--", 4) == 0) {
                const char *c = strstr(l2 + 4, "-->");
                q = c ? c + 3 : close;
                continue;
            }
            const char *g2 = strchr(l2, '>');
            if (!g2 || g2 > close)
                break;
            if (strncmp(l2, "<EventCoding", 12) == 0) {
                char v[96];
                any_coding = true;
                if ((attr(l2, g2, "noevents", v, sizeof v) && truthy(v)) ||
                    attr(l2, g2, "error", v, sizeof v))
                    rec->no_events = true;
                else if (rec->nexp < MAX_CODINGS) {
                    coding *c = &rec->exp[rec->nexp];
                    if (attr(l2, g2, "sourcecode", c->src, sizeof c->src) &&
                        attr(l2, g2, "targetcode", c->tgt, sizeof c->tgt) &&
                        attr(l2, g2, "eventcode", c->code, sizeof c->code))
                        rec->nexp++;
                }
            } else if (strncmp(l2, "<Text>", 6) == 0) {
                const char *te = strstr(l2, "</Text>");
                if (te && te < close) {
                    free(rec->text);
                    rec->text = text_of(l2 + 6, te);
                    q = te + 7;
                    continue;
                }
            } else if (strncmp(l2, "<Parse>", 7) == 0) {
                const char *pe = strstr(l2, "</Parse>");
                if (pe && pe < close) {
                    q = pe + 8;
                    continue;
                }
            }
            q = g2 + 1;
        }
        if (!any_coding || rec->no_events)
            rec->nexp = 0;
        p = close + 11;
        total++;
        /* code it */
        dyad_record r;
        memset(&r, 0, sizeof r);
        r.id = (dyad_slice){rec->id, strlen(rec->id)};
        r.date = (dyad_slice){rec->date, strlen(rec->date)};
        r.text = rec->text ? (dyad_slice){rec->text, strlen(rec->text)} : (dyad_slice){"", 0};
        r.file = file;
        coding got[MAX_CODINGS];
        size_t ngot = 0;
        bool traced = trace_id && strcmp(trace_id, rec->id) == 0;
        dyad_linear_opts o = opts;
        if (traced) {
            o.trace = print_trace;
            printf("%s: %s\n", rec->id, rec->text ? rec->text : "");
        }
        dyad_status st = dyad_doc_set(doc, &r, NULL, &err);
        if (st == DYAD_OK)
            st = dyad_worker_code_linear(worker, model, dict, doc, &o, &err);
        if (st != DYAD_OK) {
            errors++;
            fprintf(stderr, "dyad: error: %s: record %s: %s\n", file, rec->id,
                    err.msg[0] ? err.msg : dyad_strerror(st));
        } else {
            size_t ne = dyad_doc_nevents(doc);
            for (size_t k = 0; k < ne && ngot < MAX_CODINGS; k++) {
                const dyad_event *e = dyad_doc_event(doc, k);
                copy_slice(got[ngot].src, sizeof got[ngot].src, e->source.code);
                copy_slice(got[ngot].tgt, sizeof got[ngot].tgt, e->target.code);
                snprintf(got[ngot].code, sizeof got[ngot].code, "%s", e->code);
                ngot++;
            }
        }
        qsort(rec->exp, rec->nexp, sizeof *rec->exp, cmp_coding);
        qsort(got, ngot, sizeof *got, cmp_coding);
        bool ok = st == DYAD_OK && ngot == rec->nexp;
        for (size_t k = 0; ok && k < ngot; k++)
            if (cmp_coding(&got[k], &rec->exp[k]) != 0)
                ok = false;
        if (ok)
            passed++;
        if (!ok || all || traced) {
            printf("%s %s: expected ", ok ? "PASS" : "FAIL", rec->id);
            put_set(stdout, rec->exp, rec->nexp);
            printf(" got ");
            put_set(stdout, got, ngot);
            putchar('\n');
        }
        free(rec->text);
        rec->text = NULL;
        continue;
    }
    printf("%lu/%lu passed (%s; PETRARCH-2 passes 91/284 on the same file)\n", passed, total,
           model ? "tagged by the model" : "no tags");
    if (errors)
        fprintf(stderr, "dyad: %lu records could not be coded\n", errors);
    free(rec);
    dyad_doc_free(doc);
    dyad_worker_free(worker);
    dyad_model_free(model);
    dyad_dict_free(dict);
    free(xml);
    if (floor >= 0 && (long)passed < floor) {
        fprintf(stderr, "dyad: %lu passed, below the floor of %ld\n", passed, floor);
        return EXIT_SKIPPED;
    }
    return EXIT_OK;
}
