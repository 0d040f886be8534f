/* eval_segment.c - `dyad eval segment`: sentence and token F1 of the segmenter on a UD file. */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char usage_text[] =
    "usage: dyad eval segment [--floor-token F] [--floor-sentence F] [--repeat N]\n"
    "                         [--errors N] [FILE]\n"
    "Rebuilds each document's raw text from the '# text' lines of a CoNLL-U file (sentences\n"
    "joined by a space, a blank line at '# newpar'), segments it, and scores the tokens and\n"
    "sentences against the gold ones by character offsets.\n"
    "  FILE               default ../shared/ud/en_ewt-ud-test.conllu\n"
    "  --floor-token F    exit 1 when token F1 (percent) is below F\n"
    "  --floor-sentence F exit 1 when sentence F1 (percent) is below F\n"
    "  --repeat N         segment each document N times for the speed figure (default 10)\n"
    "  --errors N         print up to N sentence and N token errors\n";

#define DEFAULT_FILE "../shared/ud/en_ewt-ud-test.conllu"

typedef struct span {
    uint32_t start, end;
} span;

typedef struct spans {
    span *v;
    size_t n, cap;
} spans;

typedef struct buf {
    char *p;
    size_t n, cap;
} buf;

static bool spans_push(spans *s, uint32_t start, uint32_t end)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 1024;
        span *v = realloc(s->v, cap * sizeof *v);
        if (!v)
            return false;
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n].start = start;
    s->v[s->n].end = end;
    s->n++;
    return true;
}

static bool buf_put(buf *b, const char *p, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 4096;
        while (cap < b->n + n + 1)
            cap *= 2;
        char *q = realloc(b->p, cap);
        if (!q)
            return false;
        b->p = q;
        b->cap = cap;
    }
    memcpy(b->p + b->n, p, n);
    b->n += n;
    b->p[b->n] = '\0';
    return true;
}

/* Matches between two span lists sorted by start (gold spans never overlap). */
static size_t count_matches(const spans *gold, const spans *pred, bool *gold_ok, bool *pred_ok)
{
    size_t i = 0, j = 0, m = 0;
    while (i < gold->n && j < pred->n) {
        const span *g = &gold->v[i], *p = &pred->v[j];
        if (g->start == p->start && g->end == p->end) {
            if (gold_ok)
                gold_ok[i] = true;
            if (pred_ok)
                pred_ok[j] = true;
            m++;
            i++;
            j++;
        } else if (g->start < p->start || (g->start == p->start && g->end < p->end)) {
            i++;
        } else {
            j++;
        }
    }
    return m;
}

static double pct(size_t a, size_t b)
{
    return b ? 100.0 * (double)a / (double)b : 0.0;
}

static double f1(double p, double r)
{
    return p + r > 0 ? 2 * p * r / (p + r) : 0.0;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool parse_num(const char *v, double *out)
{
    char *end;
    errno = 0;
    double d = strtod(v, &end);
    if (errno || end == v || *end)
        return false;
    *out = d;
    return true;
}

typedef struct totals {
    size_t gold_tok, pred_tok, ok_tok;
    size_t gold_sent, pred_sent, ok_sent;
    size_t docs, unaligned;
    size_t bytes;
    double seconds;
    unsigned long shown_sent, shown_tok;
} totals;

static void show_context(const buf *text, uint32_t at)
{
    uint32_t a = at > 40 ? at - 40 : 0;
    uint32_t b = at + 40 < text->n ? at + 40 : (uint32_t)text->n;
    for (uint32_t k = a; k < b; k++) {
        if (k == at)
            fputs(" || ", stdout);
        putchar(text->p[k] == '\n' ? ' ' : text->p[k]);
    }
    putchar('\n');
}

/* Print errors of one document: sentence starts missed and added, gold tokens not found. */
static void show_errors(const buf *text, const spans *gs, const spans *ps, const spans *gt,
                        const bool *gt_ok, const spans *pt, unsigned long max, totals *t)
{
    size_t i = 1, j = 1;
    while ((i < gs->n || j < ps->n) && t->shown_sent < max) {
        uint32_t g = i < gs->n ? gs->v[i].start : UINT32_MAX;
        uint32_t p = j < ps->n ? ps->v[j].start : UINT32_MAX;
        if (g == p) {
            i++;
            j++;
            continue;
        }
        t->shown_sent++;
        fputs(g < p ? "missed sentence start: " : "extra sentence start:  ", stdout);
        show_context(text, g < p ? g : p);
        if (g < p)
            i++;
        else
            j++;
    }
    size_t k = 0;
    for (size_t n = 0; n < gt->n && t->shown_tok < max; n++) {
        if (gt_ok[n])
            continue;
        t->shown_tok++;
        const span *g = &gt->v[n];
        while (k < pt->n && pt->v[k].end <= g->start)
            k++;
        printf("token: gold [%.*s] dyad", (int)(g->end - g->start), text->p + g->start);
        for (size_t m = k; m < pt->n && pt->v[m].start < g->end; m++)
            printf(" [%.*s]", (int)(pt->v[m].end - pt->v[m].start), text->p + pt->v[m].start);
        fputs("   in: ", stdout);
        show_context(text, g->start);
    }
}

int cmd_eval_segment(int argc, char **argv)
{
    const char *path = DEFAULT_FILE;
    double floor_tok = -1, floor_sent = -1;
    long repeat = 10, max_errors = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage_text, stdout);
            return EXIT_OK;
        }
        if (strcmp(a, "--floor-token") == 0 || strcmp(a, "--floor-sentence") == 0) {
            double d;
            if (!v || !parse_num(v, &d) || d < 0 || d > 100)
                return cli_usage("eval segment", "%s: expected a percentage from 0 to 100", a);
            if (strcmp(a, "--floor-token") == 0)
                floor_tok = d;
            else
                floor_sent = d;
            i++;
        } else if (strcmp(a, "--repeat") == 0 || strcmp(a, "--errors") == 0) {
            double d;
            if (!v || !parse_num(v, &d) || d < 0 || d > 1e6 || d != (double)(long)d)
                return cli_usage("eval segment", "%s: expected a whole number", a);
            if (strcmp(a, "--repeat") == 0)
                repeat = d < 1 ? 1 : (long)d;
            else
                max_errors = (long)d;
            i++;
        } else if (a[0] == '-' && a[1]) {
            return cli_usage("eval segment", "unknown option '%s'", a);
        } else {
            path = a;
        }
    }

    dyad_conllu *c = NULL;
    dyad_error err = {0};
    if (dyad_conllu_open(path, &c, &err)) {
        cli_report("error", &err);
        return EXIT_FATAL;
    }
    dyad_doc *gold = dyad_doc_new(), *doc = dyad_doc_new();
    dyad_worker *w = dyad_worker_new();
    buf text = {0};
    spans gt = {0}, gs = {0}, pt = {0}, ps = {0};
    bool *gt_ok = NULL, *gs_ok = NULL;
    size_t cap_ok_t = 0, cap_ok_s = 0;
    totals t = {0};
    int rc = EXIT_OK;
    dyad_limits limits;
    dyad_limits_default(&limits);
    limits.max_sentence_tokens = 100000;   /* score the rules, not the safety limit */
    if (!gold || !doc || !w) {
        cli_errorf("out of memory");
        rc = EXIT_FATAL;
        goto done;
    }
    for (;;) {
        dyad_status st = dyad_conllu_next(c, gold, 0, &err);
        if (st == DYAD_DONE)
            break;
        if (st) {
            cli_report("error", &err);
            rc = EXIT_FATAL;
            goto done;
        }
        t.docs++;
        /* raw text and gold spans */
        text.n = 0;
        gt.n = gs.n = pt.n = ps.n = 0;
        const dyad_token *gtok = dyad_conllu_gold(c);
        size_t nsent = dyad_doc_nsentences(gold);
        for (size_t i = 0; i < nsent; i++) {
            const dyad_sentence *s = dyad_doc_sentence(gold, i);
            dyad_slice stext = dyad_conllu_text(c, i);
            if (!stext.len)
                stext = dyad_doc_sentence_text(gold, s);
            if (i > 0 && !buf_put(&text, dyad_conllu_newpar(c, i) ? "\n\n" : " ",
                                  dyad_conllu_newpar(c, i) ? 2 : 1))
                goto oom;
            size_t base = text.n;
            if (!buf_put(&text, stext.ptr, stext.len))
                goto oom;
            size_t pos = 0, first_start = 0, last_end = 0;
            bool aligned = true;
            for (uint32_t k = 0; k < s->ntokens; k++) {
                dyad_slice f = gtok[s->first + k].form;
                while (pos < stext.len) {            /* spaces, tabs and no-break spaces */
                    if (stext.ptr[pos] == ' ' || stext.ptr[pos] == '\t')
                        pos++;
                    else if (pos + 1 < stext.len && (unsigned char)stext.ptr[pos] == 0xC2 &&
                             (unsigned char)stext.ptr[pos + 1] == 0xA0)
                        pos += 2;
                    else
                        break;
                }
                if (!aligned || pos + f.len > stext.len || memcmp(stext.ptr + pos, f.ptr, f.len)) {
                    aligned = false;
                    t.unaligned++;
                    continue;
                }
                if (k == 0)
                    first_start = pos;
                if (!spans_push(&gt, (uint32_t)(base + pos), (uint32_t)(base + pos + f.len)))
                    goto oom;
                pos += f.len;
                last_end = pos;
            }
            t.gold_tok += s->ntokens;
            t.gold_sent++;
            if (aligned && s->ntokens &&
                !spans_push(&gs, (uint32_t)(base + first_start), (uint32_t)(base + last_end)))
                goto oom;
        }
        /* segment */
        dyad_record rec = {0};
        rec.id = dyad_conllu_doc_id(c);
        rec.text.ptr = text.p ? text.p : "";
        rec.text.len = text.n;
        rec.file = path;
        if ((st = dyad_doc_set(doc, &rec, &limits, &err))) {
            cli_report("error", &err);
            rc = EXIT_FATAL;
            goto done;
        }
        double t0 = now();
        for (long r = 0; r < repeat && st == DYAD_OK; r++)
            st = dyad_worker_segment(w, doc, &limits, &err);
        t.seconds += now() - t0;
        if (st) {
            cli_report("error", &err);
            rc = EXIT_FATAL;
            goto done;
        }
        t.bytes += text.n;
        const dyad_token *toks = dyad_doc_tokens(doc);
        for (size_t i = 0; i < dyad_doc_ntokens(doc); i++)
            if (!spans_push(&pt, toks[i].start, toks[i].end))
                goto oom;
        for (size_t i = 0; i < dyad_doc_nsentences(doc); i++) {
            const dyad_sentence *s = dyad_doc_sentence(doc, i);
            if (!spans_push(&ps, s->start, s->end))
                goto oom;
        }
        t.pred_tok += pt.n;
        t.pred_sent += ps.n;
        if (gt.n > cap_ok_t) {
            free(gt_ok);
            cap_ok_t = gt.n;
            gt_ok = malloc(cap_ok_t);
        }
        if (gs.n > cap_ok_s) {
            free(gs_ok);
            cap_ok_s = gs.n;
            gs_ok = malloc(cap_ok_s);
        }
        if ((gt.n && !gt_ok) || (gs.n && !gs_ok))
            goto oom;
        if (gt.n)
            memset(gt_ok, 0, gt.n);
        if (gs.n)
            memset(gs_ok, 0, gs.n);
        t.ok_tok += count_matches(&gt, &pt, gt_ok, NULL);
        t.ok_sent += count_matches(&gs, &ps, gs_ok, NULL);
        if (max_errors)
            show_errors(&text, &gs, &ps, &gt, gt_ok, &pt, (unsigned long)max_errors, &t);
    }
    {
        double tp = pct(t.ok_tok, t.pred_tok), tr = pct(t.ok_tok, t.gold_tok);
        double sp = pct(t.ok_sent, t.pred_sent), sr = pct(t.ok_sent, t.gold_sent);
        double tf = f1(tp, tr), sf = f1(sp, sr);
        printf("data: %s (%zu documents, %zu sentences, %zu tokens)\n", path, t.docs,
               t.gold_sent, t.gold_tok);
        printf("tokens: P %.2f R %.2f F1 %.2f (%zu gold, %zu dyad, %zu match)\n", tp, tr, tf,
               t.gold_tok, t.pred_tok, t.ok_tok);
        printf("sentences: P %.2f R %.2f F1 %.2f (%zu gold, %zu dyad, %zu match)\n", sp, sr, sf,
               t.gold_sent, t.pred_sent, t.ok_sent);
        if (t.unaligned)
            printf("note: %zu gold tokens did not match their sentence text\n", t.unaligned);
        double toks = (double)t.pred_tok * (double)repeat;
        printf("speed: %.2f M tokens/s, %.1f MB/s (segmenter alone, %ld passes, %.3f s)\n",
               t.seconds > 0 ? toks / t.seconds / 1e6 : 0.0,
               t.seconds > 0 ? (double)t.bytes * (double)repeat / t.seconds / 1e6 : 0.0, repeat,
               t.seconds);
        if (floor_tok >= 0 && tf < floor_tok) {
            cli_errorf("token F1 %.2f is below the floor %.2f", tf, floor_tok);
            rc = EXIT_SKIPPED;
        }
        if (floor_sent >= 0 && sf < floor_sent) {
            cli_errorf("sentence F1 %.2f is below the floor %.2f", sf, floor_sent);
            rc = EXIT_SKIPPED;
        }
    }
    goto done;
oom:
    cli_errorf("out of memory");
    rc = EXIT_FATAL;
done:
    free(text.p);
    free(gt.v);
    free(gs.v);
    free(pt.v);
    free(ps.v);
    free(gt_ok);
    free(gs_ok);
    dyad_worker_free(w);
    dyad_doc_free(doc);
    dyad_doc_free(gold);
    dyad_conllu_free(c);
    return rc;
}
