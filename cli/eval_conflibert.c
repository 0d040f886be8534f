/* eval_conflibert.c - `dyad eval conflibert`: real news sentences, cooperation/conflict class and
 * source/target spans (../shared/conflibert, scored as ../shared/docs/EVALUATION.md says). */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DEFAULT_DIR "../shared/conflibert"
#define DATE "2018-01-01"

static const char usage_text[] =
    "usage: dyad eval conflibert [--dir DIR] [--model M] [--dict PATH]... [--errors N]\n"
    "                            [--floor-accuracy X] [--max-none X] [--floor-f1 X]\n"
    "Codes the ConfliBERT sentences (date 2018-01-01) and scores:\n"
    "  cameo_class/train.tsv  the class of each sentence's main event (the event whose verb is\n"
    "                         highest in the tree; ties: the first): accuracy, per-class\n"
    "                         precision/recall, and the share of sentences with no event;\n"
    "  cameo_ner/train.txt    token precision/recall/F1 of the main event's source and target\n"
    "                         words (of all its records: one per member of a compound actor)\n"
    "                         against the gold S and T spans; the tokenized gold text is read\n"
    "                         with its clitics joined again (\"Iran's\").\n"
    "--errors N shows the first N sentences of each part that dyad gets wrong.\n"
    "The --floor/--max options make the command exit 1 when a figure is outside them.\n";

static const char *const class_names[5] = {"statements/appeals", "verbal cooperation",
                                           "material cooperation", "verbal conflict",
                                           "material conflict"};

/* The ConfliBERT class of a CAMEO root. */
static int class_of_root(int root)
{
    if (root >= 1 && root <= 2)
        return 0;
    if (root >= 3 && root <= 5)
        return 1;
    if (root >= 6 && root <= 8)
        return 2;
    if ((root >= 9 && root <= 13) || root == 16)
        return 3;
    if (root == 14 || root == 15 || (root >= 17 && root <= 20))
        return 4;
    return -1;
}

typedef struct ctx {
    dyad_model *model;
    dyad_dict *dict;
    dyad_worker *worker;
    dyad_doc *doc;
    unsigned long sentences;
    double seconds;
} ctx;

/* Depth in the tree of the token that starts at byte offset start (0 = root). */
static int verb_depth(const dyad_doc *doc, uint32_t start)
{
    const dyad_token *t = dyad_doc_tokens(doc);
    for (size_t s = 0; s < dyad_doc_nsentences(doc); s++) {
        const dyad_sentence *se = dyad_doc_sentence(doc, s);
        for (uint32_t k = 0; k < se->ntokens; k++) {
            if (t[se->first + k].start != start)
                continue;
            int depth = 0;
            int32_t h = t[se->first + k].head;
            while (h > 0 && depth <= (int)se->ntokens) {
                h = t[se->first + (uint32_t)h - 1].head;
                depth++;
            }
            return depth + (int)s * 1000;   /* earlier sentences first */
        }
    }
    return 1 << 30;
}

/* Code a text; returns the main event or NULL. */
static const dyad_event *code_text(ctx *c, const char *text, size_t len, dyad_error *err)
{
    dyad_record rec;
    memset(&rec, 0, sizeof rec);
    rec.id = (dyad_slice){"s", 1};
    rec.date = (dyad_slice){DATE, 10};
    rec.text = (dyad_slice){text, len};
    rec.file = "conflibert";
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    if (dyad_doc_set(c->doc, &rec, NULL, err) ||
        dyad_worker_code(c->worker, c->model, c->dict, c->doc, NULL, err))
        return NULL;
    clock_gettime(CLOCK_MONOTONIC, &b);
    c->seconds += (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
    c->sentences += dyad_doc_nsentences(c->doc);
    const dyad_event *best = NULL;
    int best_depth = 0;
    for (size_t i = 0; i < dyad_doc_nevents(c->doc); i++) {
        const dyad_event *e = dyad_doc_event(c->doc, i);
        int d = verb_depth(c->doc, e->verb_start);
        if (!best || d < best_depth) {
            best = e;
            best_depth = d;
        }
    }
    return best;
}

static int eval_class(ctx *c, const char *path, int errors, double *accuracy, double *none_share)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        cli_errorf("%s: cannot open", path);
        return -1;
    }
    unsigned long total = 0, right = 0, none = 0;
    unsigned long tp[5] = {0}, pred[5] = {0}, gold[5] = {0};
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    long lineno = 0;
    int shown = 0;
    while ((n = getline(&line, &cap, f)) > 0) {
        lineno++;
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        char *tab = strrchr(line, '\t');
        if (!tab || tab[1] < '0' || tab[1] > '4') {
            fprintf(stderr, "dyad: warning: %s:%ld: not 'sentence<TAB>label'\n", path, lineno);
            continue;
        }
        int want = tab[1] - '0';
        *tab = '\0';
        dyad_error err = {0};
        const dyad_event *e = code_text(c, line, (size_t)(tab - line), &err);
        int got = e ? class_of_root(atoi(e->root)) : -1;
        total++;
        gold[want]++;
        if (got < 0)
            none++;
        else
            pred[got]++;
        if (got == want) {
            right++;
            tp[want]++;
        } else if (shown < errors) {
            shown++;
            printf("  class %d, dyad %s%s: %s\n", want, got < 0 ? "none" : "",
                   got < 0 ? "" : (e ? e->code : ""), line);
        }
    }
    free(line);
    fclose(f);
    if (!total)
        return -1;
    *accuracy = 100.0 * (double)right / (double)total;
    *none_share = 100.0 * (double)none / (double)total;
    printf("class: %s: %lu sentences, accuracy %.2f%%, no event %.2f%% (%lu)\n", path, total,
           *accuracy, *none_share, none);
    for (int k = 0; k < 5; k++)
        printf("  %d %-22s precision %6.2f%%  recall %6.2f%%  (gold %lu, dyad %lu)\n", k,
               class_names[k], pred[k] ? 100.0 * (double)tp[k] / (double)pred[k] : 0.0,
               gold[k] ? 100.0 * (double)tp[k] / (double)gold[k] : 0.0, gold[k], pred[k]);
    return 0;
}

typedef struct span_counts {
    unsigned long tp, fp, fn;
} span_counts;

/* The records of the main event: the event itself and the records of the other members of
 * its compound actors ("Turkey and Russia announced a ceasefire" is one event, written as a
 * record for each member), not the reverse direction of a reciprocal verb. */
#define MAX_GROUP 16
static size_t event_group(const dyad_doc *doc, const dyad_event *e, const dyad_event **group)
{
    size_t n = 0;
    if (!e)
        return 0;
    group[n++] = e;
    for (size_t i = 0; i < dyad_doc_nevents(doc) && n < MAX_GROUP; i++) {
        const dyad_event *r = dyad_doc_event(doc, i);
        if (r == e || r->verb_start != e->verb_start || !(r->flags & DYAD_EVENT_COMPOUND) ||
            strcmp(r->code, e->code) != 0)
            continue;
        bool crossed = (r->source.text.len && e->target.text.len &&
                        r->source.start < e->target.end && r->source.end > e->target.start) ||
                       (r->target.text.len && e->source.text.len &&
                        r->target.start < e->source.end && r->target.end > e->source.start);
        if (!crossed)
            group[n++] = r;
    }
    return n;
}

/* Does token [start, end) lie in the source (role 'S') or target of a record of the group? */
static bool in_group(const dyad_event *const *group, size_t n, char role, uint32_t start,
                     uint32_t end)
{
    for (size_t k = 0; k < n; k++) {
        const dyad_actor *a = role == 'S' ? &group[k]->source : &group[k]->target;
        if (a->text.len && start < a->end && end > a->start)
            return true;
    }
    return false;
}

static void score_tokens(const uint32_t *starts, const uint32_t *ends, const char *tags, size_t n,
                         char role, const dyad_event *const *group, size_t ng, span_counts *sc)
{
    for (size_t i = 0; i < n; i++) {
        bool g = tags[i] == role;
        bool p = in_group(group, ng, role, starts[i], ends[i]);
        if (g && p)
            sc->tp++;
        else if (p)
            sc->fp++;
        else if (g)
            sc->fn++;
    }
}

static void print_span(const char *name, const span_counts *s)
{
    double p = s->tp + s->fp ? (double)s->tp / (double)(s->tp + s->fp) : 0.0;
    double r = s->tp + s->fn ? (double)s->tp / (double)(s->tp + s->fn) : 0.0;
    double f = p + r > 0 ? 2 * p * r / (p + r) : 0.0;
    printf("  %-7s precision %.3f  recall %.3f  F1 %.3f  (tokens: %lu right, %lu extra, %lu "
           "missed)\n", name, p, r, f, s->tp, s->fp, s->fn);
}

static double f1_of(const span_counts *s)
{
    double p = s->tp + s->fp ? (double)s->tp / (double)(s->tp + s->fp) : 0.0;
    double r = s->tp + s->fn ? (double)s->tp / (double)(s->tp + s->fn) : 0.0;
    return p + r > 0 ? 2 * p * r / (p + r) : 0.0;
}

/* A lone apostrophe (ASCII or typographic) at the end of the text, as a tokenized corpus
 * writes "’ s". */
static bool is_apostrophe(const char *w)
{
    return !strcmp(w, "'") || !strcmp(w, "\xe2\x80\x99");
}

/* An English clitic that a tokenized corpus splits from its word. */
static bool is_clitic(const char *w)
{
    static const char *const clitics[] = {"'s", "\xe2\x80\x99s", "n't", "'re", "'ve", "'ll",
                                          "'m", "'d", NULL};
    for (const char *const *c = clitics; *c; c++)
        if (!strcmp(w, *c))
            return true;
    return false;
}

/* The words of tokens tagged role (gold), or of the tokens in that role of the group
 * (dyad). */
static void print_words(const char *text, const uint32_t *starts, const uint32_t *ends,
                        const char *tags, size_t n, char role, const dyad_event *const *group,
                        size_t ng)
{
    bool any = false;
    for (size_t i = 0; i < n; i++) {
        bool in = group ? in_group(group, ng, role, starts[i], ends[i]) : tags[i] == role;
        if (in) {
            printf("%s%.*s", any ? " " : "", (int)(ends[i] - starts[i]), text + starts[i]);
            any = true;
        }
    }
    printf("%s", any ? "" : "-");
}

/* One sentence whose spans differ from the gold: the text, then gold and dyad's words. */
static void show_spans(const char *text, const uint32_t *starts, const uint32_t *ends,
                       const char *tags, size_t n, const dyad_event *const *group, size_t ng)
{
    printf("  %s\n    gold  S: ", text);
    print_words(text, starts, ends, tags, n, 'S', NULL, 0);
    printf(" | T: ");
    print_words(text, starts, ends, tags, n, 'T', NULL, 0);
    printf("\n    dyad  S: ");
    print_words(text, starts, ends, tags, n, 'S', group, ng);
    printf(" | T: ");
    print_words(text, starts, ends, tags, n, 'T', group, ng);
    printf(" (%s)\n", ng ? group[0]->code : "no event");
}

static int eval_ner(ctx *c, const char *path, int errors, double *f1)
{
    int shown = 0;
    FILE *f = fopen(path, "r");
    if (!f) {
        cli_errorf("%s: cannot open", path);
        return -1;
    }
    span_counts src = {0}, tgt = {0}, both = {0};
    char text[16384];
    uint32_t starts[2048], ends[2048];
    char tags[2048];
    size_t ntok = 0, len = 0;
    unsigned long sentences = 0, scored = 0;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    bool eof = false;
    while (!eof) {
        n = getline(&line, &cap, f);
        eof = n < 0;
        if (!eof) {
            while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
                line[--n] = '\0';
        }
        if (eof || n == 0) {
            if (ntok) {
                sentences++;
                bool has_s = memchr(tags, 'S', ntok) != NULL, has_t = memchr(tags, 'T', ntok) != NULL;
                if (has_s && has_t) {
                    scored++;
                    dyad_error err = {0};
                    const dyad_event *e = code_text(c, text, len, &err);
                    const dyad_event *group[MAX_GROUP];
                    size_t ng = event_group(c->doc, e, group);
                    span_counts s0 = src, t0 = tgt;
                    score_tokens(starts, ends, tags, ntok, 'S', group, ng, &src);
                    score_tokens(starts, ends, tags, ntok, 'T', group, ng, &tgt);
                    bool differ = src.fp + src.fn + tgt.fp + tgt.fn > s0.fp + s0.fn + t0.fp + t0.fn;
                    if (differ && shown < errors) {
                        shown++;
                        show_spans(text, starts, ends, tags, ntok, group, ng);
                    }
                }
            }
            ntok = len = 0;
            continue;
        }
        char *sp = strrchr(line, ' ');
        if (!sp || ntok >= 2048)
            continue;
        *sp = '\0';
        const char *tag = sp + 1;
        size_t wl = strlen(line);
        if (len + wl + 2 >= sizeof text)
            continue;
        /* the gold is tokenized ("Iran 's foreign minister", "Nicaragua ’ s port"): clitics
         * join their word again, as in the article, so that dyad reads the sentence it came
         * from */
        bool join = ntok && is_clitic(line);
        if (ntok >= 2 && !strcmp(line, "s") && is_apostrophe(text + starts[ntok - 1]) &&
            starts[ntok - 1] > 0 && text[starts[ntok - 1] - 1] == ' ') {
            /* "’ s": the apostrophe moves back to its word, the s follows it */
            uint32_t a = starts[ntok - 1];
            memmove(text + a - 1, text + a, len - a);
            len--;
            starts[ntok - 1]--;
            ends[ntok - 1]--;
            join = true;
        }
        if (len && !join)
            text[len++] = ' ';
        starts[ntok] = (uint32_t)len;
        memcpy(text + len, line, wl);
        len += wl;
        text[len] = '\0';
        ends[ntok] = (uint32_t)len;
        tags[ntok] = (tag[0] == 'B' || tag[0] == 'I') && tag[1] == '-' ? tag[2] : 'O';
        ntok++;
    }
    free(line);
    fclose(f);
    both.tp = src.tp + tgt.tp;
    both.fp = src.fp + tgt.fp;
    both.fn = src.fn + tgt.fn;
    printf("spans: %s: %lu sentences, %lu with gold source and target\n", path, sentences, scored);
    print_span("source", &src);
    print_span("target", &tgt);
    print_span("both", &both);
    *f1 = f1_of(&both);
    return 0;
}

int cmd_eval_conflibert(int argc, char **argv)
{
    const char *dir = DEFAULT_DIR, *model_path = NULL;
    const char **dicts = calloc((size_t)argc + 1, sizeof *dicts);
    size_t ndicts = 0;
    int errors = 0, rc = EXIT_OK;
    double floor_acc = -1, max_none = 101, floor_f1 = -1;
    if (!dicts)
        return EXIT_FATAL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(usage_text, stdout);
            free(dicts);
            return EXIT_OK;
        }
        if (!v) {
            free(dicts);
            return cli_usage("eval conflibert", "unknown option or missing value: '%s'", a);
        }
        i++;
        if (!strcmp(a, "--dir"))
            dir = v;
        else if (!strcmp(a, "--model"))
            model_path = v;
        else if (!strcmp(a, "--dict"))
            dicts[ndicts++] = v;
        else if (!strcmp(a, "--errors"))
            errors = atoi(v);
        else if (!strcmp(a, "--floor-accuracy"))
            floor_acc = atof(v);
        else if (!strcmp(a, "--max-none"))
            max_none = atof(v);
        else if (!strcmp(a, "--floor-f1"))
            floor_f1 = atof(v);
        else {
            free(dicts);
            return cli_usage("eval conflibert", "unknown option '%s'", a);
        }
    }
    ctx c = {0};
    c.model = cli_open_model(model_path);
    c.dict = c.model ? cli_open_dicts(dicts, ndicts, true) : NULL;
    c.worker = dyad_worker_new();
    c.doc = dyad_doc_new();
    if (!c.model || !c.dict || !c.worker || !c.doc) {
        rc = EXIT_FATAL;
        goto done;
    }
    char path[4096];
    double acc = 0, none = 0, f1 = 0;
    snprintf(path, sizeof path, "%s/cameo_class/train.tsv", dir);
    if (eval_class(&c, path, errors, &acc, &none)) {
        rc = EXIT_FATAL;
        goto done;
    }
    snprintf(path, sizeof path, "%s/cameo_ner/train.txt", dir);
    if (eval_ner(&c, path, errors, &f1)) {
        rc = EXIT_FATAL;
        goto done;
    }
    printf("speed: %.0f sentences/s end to end (segment, tag, parse, code; one core)\n",
           c.seconds > 0 ? (double)c.sentences / c.seconds : 0.0);
    if ((floor_acc >= 0 && acc < floor_acc) || none > max_none || (floor_f1 >= 0 && f1 < floor_f1)) {
        printf("below the floor: accuracy %.2f (floor %.2f), no event %.2f%% (max %.2f), "
               "span F1 %.3f (floor %.3f)\n", acc, floor_acc, none, max_none, f1, floor_f1);
        rc = 1;
    }
done:
    dyad_doc_free(c.doc);
    dyad_worker_free(c.worker);
    dyad_dict_free(c.dict);
    dyad_model_free(c.model);
    free(dicts);
    return rc;
}
