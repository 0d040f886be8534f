/* segment_limits.c - the segmenter on extreme inputs: limits, time budgets, invariants. */
#include "dyad.h"
#include "t.h"

#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

/* Time budget for each pathological input (generous: the sanitizer build runs it too; the
 * segmenter needs milliseconds, a quadratic one would need minutes). */
#define BUDGET_SECONDS 5.0

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static dyad_doc *doc;
static dyad_worker *worker;
static double last_seconds;

/* Load text into the document and segment it with the given limits (NULL: defaults). */
static dyad_status segment(const char *text, size_t len, const dyad_limits *limits)
{
    dyad_record rec;
    memset(&rec, 0, sizeof rec);
    rec.id.ptr = "limits";
    rec.id.len = 6;
    rec.text.ptr = text;
    rec.text.len = len;
    rec.file = "segment_limits";
    dyad_limits big;
    dyad_limits_default(&big);
    big.max_record_bytes = 64u << 20;
    if (limits) {
        big.max_sentence_tokens = limits->max_sentence_tokens;
        big.max_token_bytes = limits->max_token_bytes;
    }
    dyad_status st = dyad_doc_set(doc, &rec, &big, NULL);
    if (st)
        return st;
    double t0 = now();
    st = dyad_worker_segment(worker, doc, limits, NULL);
    last_seconds = now() - t0;
    return st;
}

/* Structural invariants every segmentation must keep. */
static bool invariants(size_t max_tok_bytes, size_t max_sent_tokens)
{
    dyad_slice text = dyad_doc_text(doc);
    dyad_slice orig = dyad_doc_original(doc);
    const dyad_token *t = dyad_doc_tokens(doc);
    size_t nt = dyad_doc_ntokens(doc), ns = dyad_doc_nsentences(doc);
    const char *prev_end = text.ptr;
    for (size_t i = 0; i < nt; i++) {
        if (t[i].form.len == 0 || t[i].form.len > max_tok_bytes)
            return false;
        if (t[i].form.ptr < prev_end || t[i].form.ptr + t[i].form.len > text.ptr + text.len)
            return false;
        if (t[i].start > t[i].end || t[i].end > orig.len || (i && t[i].start < t[i - 1].end))
            return false;
        if ((unsigned char)t[i].form.ptr[0] >= 0x80 && ((unsigned char)t[i].form.ptr[0] & 0xC0) == 0x80)
            return false;                    /* a piece starts inside a character */
        prev_end = t[i].form.ptr + t[i].form.len;
    }
    size_t next = 0;
    for (size_t i = 0; i < ns; i++) {
        const dyad_sentence *s = dyad_doc_sentence(doc, i);
        if (s->first != next || s->ntokens == 0 || s->ntokens > max_sent_tokens)
            return false;
        if (s->start != t[s->first].start || s->end != t[s->first + s->ntokens - 1].end)
            return false;
        if (i && s->paragraph < dyad_doc_sentence(doc, i - 1)->paragraph)
            return false;
        next += s->ntokens;
    }
    return next == nt;
}

static char *repeat(const char *unit, size_t count, size_t *len)
{
    size_t u = strlen(unit);
    char *p = malloc(u * count + 1);
    if (!p) {
        printf("FAIL segment limits: out of memory\n");
        exit(1);
    }
    for (size_t i = 0; i < count; i++)
        memcpy(p + i * u, unit, u);
    p[u * count] = '\0';
    *len = u * count;
    return p;
}

static void pathological(const char *name, const char *unit, size_t count)
{
    size_t len;
    char *text = repeat(unit, count, &len);
    dyad_status st = segment(text, len, NULL);
    char label[160];
    snprintf(label, sizeof label, "segment limits: %s (%zu bytes) within %.0f s", name, len,
             BUDGET_SECONDS);
    T_CHECK(label, st == DYAD_OK && last_seconds < BUDGET_SECONDS);
    snprintf(label, sizeof label, "segment limits: %s keeps the invariants", name);
    T_CHECK(label, invariants(256, 400));
    free(text);
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    doc = dyad_doc_new();
    worker = dyad_worker_new();
    if (!doc || !worker) {
        printf("FAIL segment limits: out of memory\n");
        return 1;
    }
    size_t len;
    char *text;

    /* bad arguments */
    T_CHECK("segment limits: NULL worker is EINVAL",
            dyad_worker_segment(NULL, doc, NULL, NULL) == DYAD_EINVAL);
    T_CHECK("segment limits: NULL document is EINVAL",
            dyad_worker_segment(worker, NULL, NULL, NULL) == DYAD_EINVAL);

    /* empty text and whitespace */
    T_CHECK("segment limits: empty text", segment("", 0, NULL) == DYAD_OK &&
                                              dyad_doc_ntokens(doc) == 0 &&
                                              dyad_doc_nsentences(doc) == 0);
    const char *blank = "  \t\n\n \r\n \xc2\xa0 \xe2\x80\x83\n";
    T_CHECK("segment limits: only whitespace", segment(blank, strlen(blank), NULL) == DYAD_OK &&
                                                   dyad_doc_ntokens(doc) == 0 &&
                                                   dyad_doc_nsentences(doc) == 0);

    /* a 10,000-token sentence is split at the default limit of 400 tokens */
    text = repeat("word ", 10000, &len);
    T_CHECK("segment limits: 10,000-token sentence segmented", segment(text, len, NULL) == DYAD_OK);
    T_CHECK("segment limits: 10,000-token sentence keeps all tokens", dyad_doc_ntokens(doc) == 10000);
    T_CHECK("segment limits: 10,000-token sentence split into 25 sentences of 400",
            dyad_doc_nsentences(doc) == 25 && dyad_doc_sentence(doc, 0)->ntokens == 400);
    T_CHECK("segment limits: sentence split warns", dyad_doc_nwarnings(doc) == 24 &&
                                                        dyad_doc_warning(doc, 0)->code == DYAD_ELIMIT);
    T_CHECK("segment limits: sentence split keeps the invariants", invariants(256, 400));
    dyad_limits lim;
    dyad_limits_default(&lim);
    lim.max_sentence_tokens = 1000;
    segment(text, len, &lim);
    T_CHECK("segment limits: max_sentence_tokens 1000 gives 10 sentences",
            dyad_doc_nsentences(doc) == 10 && invariants(256, 1000));
    free(text);
    lim.max_sentence_tokens = 1;
    segment("One. Two three.", 15, &lim);
    T_CHECK("segment limits: max_sentence_tokens 1 gives one token per sentence",
            dyad_doc_ntokens(doc) == 5 && dyad_doc_nsentences(doc) == 5 && invariants(256, 1));

    /* a 1 MB token is split at the default limit of 256 bytes */
    text = repeat("x", 1u << 20, &len);
    T_CHECK("segment limits: 1 MB token segmented", segment(text, len, NULL) == DYAD_OK);
    T_CHECK("segment limits: 1 MB token split into 4096 pieces of 256 bytes",
            dyad_doc_ntokens(doc) == 4096 && dyad_doc_tokens(doc)[0].form.len == 256);
    T_CHECK("segment limits: 1 MB token warns once", dyad_doc_nwarnings(doc) >= 1 &&
                                                         dyad_doc_warning(doc, 0)->code == DYAD_ELIMIT);
    T_CHECK("segment limits: 1 MB token keeps the invariants (sentences of 400 pieces)",
            invariants(256, 400) && dyad_doc_nsentences(doc) == 11);
    T_CHECK("segment limits: 1 MB token within the time budget", last_seconds < BUDGET_SECONDS);
    lim.max_sentence_tokens = 400;
    lim.max_token_bytes = 1000;
    segment(text, len, &lim);
    T_CHECK("segment limits: max_token_bytes 1000",
            dyad_doc_ntokens(doc) == 1049 && invariants(1000, 400));
    free(text);

    /* a long token of two-byte characters is cut between characters */
    text = repeat("\xc3\xa9", 1000, &len);
    lim.max_token_bytes = 255;
    segment(text, len, &lim);
    T_CHECK("segment limits: multi-byte token cut between characters",
            dyad_doc_ntokens(doc) == 8 && dyad_doc_tokens(doc)[0].form.len == 254 &&
                invariants(255, 400));
    lim.max_token_bytes = 1;
    segment(text, len, &lim);
    T_CHECK("segment limits: a limit below one character keeps whole characters",
            dyad_doc_ntokens(doc) == 1000 && invariants(2, 400));
    free(text);

    /* all punctuation */
    const char *punct = "!?.,;:()[]{}\"'`~@#$%^&*-_=+<>/\\|\xe2\x80\x94\xe2\x80\xa6\xe2\x80\x9c";
    T_CHECK("segment limits: all punctuation", segment(punct, strlen(punct), NULL) == DYAD_OK &&
                                                   dyad_doc_ntokens(doc) > 0 && invariants(256, 400));
    pathological("1 MB of '('", "(", 1u << 20);
    pathological("1 MB of '.'", ".", 1u << 20);
    pathological("1 MB of '. '", ". ", 1u << 19);
    pathological("1 MB of '\"'", "\"", 1u << 20);
    pathological("1 MB of newlines", "\n", 1u << 20);
    pathological("1 MB of 'a-'", "a-", 1u << 19);
    pathological("1 MB of 'U.S.'", "U.S.", 1u << 18);
    pathological("1 MB of 'a,'", "a,", 1u << 19);
    pathological("1 MB of digits and colons", "1:", 1u << 19);
    pathological("1 MB of apostrophes", "'s", 1u << 19);
    pathological("1 MB of ':)'", ":)", 1u << 19);
    pathological("1 MB URL", "http://x.org/(((", 1u << 16);
    pathological("1 MB e-mail", "a@b.", 1u << 18);
    pathological("1 MB of 'Mr. '", "Mr. ", 1u << 18);
    pathological("1 MB of ellipses", "\xe2\x80\xa6", 1u << 18);
    pathological("1 MB of title lines", "Headline Here\n", 1u << 16);

    /* binary garbage: invalid UTF-8, control bytes, NULs */
    text = malloc(1u << 16);
    if (!text)
        return 1;
    uint32_t x = 12345;
    for (size_t i = 0; i < (1u << 16); i++) {
        x = x * 1103515245u + 12345u;
        text[i] = (char)(x >> 16);
    }
    T_CHECK("segment limits: binary garbage", segment(text, 1u << 16, NULL) == DYAD_OK &&
                                                  invariants(256, 400));
    free(text);

    /* segmenting twice gives the same result */
    const char *news = "Russia's envoy met U.S. officials. \"No,\" he said.\n\nTalks go on.";
    segment(news, strlen(news), NULL);
    size_t n1 = dyad_doc_ntokens(doc), s1 = dyad_doc_nsentences(doc);
    dyad_worker_segment(worker, doc, NULL, NULL);
    T_CHECK("segment limits: segmenting twice is the same",
            dyad_doc_ntokens(doc) == n1 && dyad_doc_nsentences(doc) == s1 && n1 == 18 && s1 == 3);

    dyad_worker_free(worker);
    dyad_doc_free(doc);
    T_DONE();
}
