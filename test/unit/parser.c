/* parser.c - the committed model on odd input (every sentence one well-formed tree) and
 * damaged model files (a clean error, never a crash). */
#include "internal.h"
#include "crafted.h"
#include "t.h"

#include <stdio.h>
#include <stdlib.h>

#define MODEL "models/dyad-en.model"

/* Every token has a head in 0..n and a relation, exactly one root, no cycles. */
static bool well_formed(const dyad_doc *doc, char *why, size_t whylen)
{
    const dyad_token *toks = dyad_doc_tokens(doc);
    for (size_t s = 0; s < dyad_doc_nsentences(doc); s++) {
        const dyad_sentence *sent = dyad_doc_sentence(doc, s);
        const dyad_token *t = toks + sent->first;
        int n = (int)sent->ntokens, roots = 0;
        for (int i = 0; i < n; i++) {
            if (t[i].head < 0 || t[i].head > n || t[i].head == i + 1) {
                snprintf(why, whylen, "sentence %zu token %d: head %d", s, i + 1, t[i].head);
                return false;
            }
            if (t[i].deprel == 0 || t[i].upos == 0) {
                snprintf(why, whylen, "sentence %zu token %d: no relation or tag", s, i + 1);
                return false;
            }
            roots += t[i].head == 0;
            if ((t[i].head == 0) != (strcmp(dyad_deprel_name(t[i].deprel), "root") == 0)) {
                snprintf(why, whylen, "sentence %zu token %d: root relation mismatch", s, i + 1);
                return false;
            }
        }
        if (roots != 1) {
            snprintf(why, whylen, "sentence %zu: %d roots", s, roots);
            return false;
        }
        for (int i = 0; i < n; i++) {   /* walking up from any token reaches the root */
            int k = i + 1, steps = 0;
            while (k != 0 && steps++ <= n)
                k = t[k - 1].head;
            if (k != 0) {
                snprintf(why, whylen, "sentence %zu: cycle through token %d", s, i + 1);
                return false;
            }
        }
    }
    return true;
}

/* Parse one pre-tokenised sentence (tokens separated by single spaces). */
static void check_tokens(dyad_worker *w, dyad_model *m, const char *name, const char *text)
{
    dyad_doc *doc = dyad_doc_new();
    dyad_slice forms[1024];
    size_t n = 0;
    const char *p = text;
    while (*p && n < 1024) {
        const char *e = strchr(p, ' ');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len)
            forms[n++] = dyad__slice(p, len);
        p += len + (e ? 1 : 0);
    }
    char why[200] = "";
    dyad_status st = dyad_doc_reset(doc, dyad__cstr("t"), dyad__slice("", 0));
    if (!st)
        st = dyad_doc_add_sentence(doc, forms, NULL, n, NULL);
    if (!st)
        st = dyad_worker_parse(w, m, doc, NULL);
    bool ok = st == DYAD_OK && dyad_doc_ntokens(doc) == n && well_formed(doc, why, sizeof why);
    if (!ok && !why[0])
        snprintf(why, sizeof why, "status %d", st);
    if (ok)
        printf("PASS %s\n", name);
    else {
        printf("FAIL %s: %s\n", name, why);
        t_failed++;
    }
    dyad_doc_free(doc);
}

/* Segment raw text into doc, then parse it. */
static dyad_status parse_text(dyad_worker *w, dyad_model *m, dyad_doc *doc, const char *text)
{
    dyad_record rec;
    memset(&rec, 0, sizeof rec);
    rec.id = dyad__cstr("t");
    rec.text = dyad__cstr(text);
    rec.file = "-";
    dyad_status st = dyad_doc_set(doc, &rec, NULL, NULL);
    if (!st)
        st = dyad_worker_segment(w, doc, NULL, NULL);
    if (!st)
        st = dyad_worker_parse(w, m, doc, NULL);
    return st;
}

static void check_text(dyad_worker *w, dyad_model *m, const char *name, const char *text)
{
    dyad_doc *doc = dyad_doc_new();
    char why[200] = "";
    dyad_status st = parse_text(w, m, doc, text);
    bool ok = st == DYAD_OK && dyad_doc_ntokens(doc) > 0 && well_formed(doc, why, sizeof why);
    if (!ok && !why[0])
        snprintf(why, sizeof why, "status %d, %zu tokens", st, dyad_doc_ntokens(doc));
    if (ok)
        printf("PASS %s\n", name);
    else {
        printf("FAIL %s: %s\n", name, why);
        t_failed++;
    }
    dyad_doc_free(doc);
}

/* Parse one sentence of text and check that the token with form `dep` hangs on the token
 * with form `head` ("ROOT": the root) with relation `rel`: the news constructions the repair
 * rules (src/repair.c) are for. */
static void check_arc(dyad_worker *w, dyad_model *m, const char *text, const char *dep,
                      const char *head, const char *rel)
{
    dyad_doc *doc = dyad_doc_new();
    dyad_status st = parse_text(w, m, doc, text);
    char name[300], got[160] = "no such word";
    snprintf(name, sizeof name, "repair: '%s': %s -%s-> %s", text, head, rel, dep);
    const dyad_token *t = dyad_doc_tokens(doc);
    size_t n = dyad_doc_ntokens(doc);
    bool ok = false;
    for (size_t i = 0; i < n && !st; i++) {
        if (!dyad__slice_eq(t[i].form, dep))
            continue;
        int h = t[i].head;
        const char *hf = h == 0 ? "ROOT" : NULL;
        char buf[64] = "";
        if (h > 0) {
            snprintf(buf, sizeof buf, "%.*s", (int)t[h - 1].form.len, t[h - 1].form.ptr);
            hf = buf;
        }
        ok = strcmp(hf, head) == 0 && strcmp(dyad_deprel_name(t[i].deprel), rel) == 0;
        snprintf(got, sizeof got, "%s -%s-> %s", hf, dyad_deprel_name(t[i].deprel), dep);
        break;
    }
    char why[200] = "";
    if (ok && !well_formed(doc, why, sizeof why))
        ok = false;
    if (ok)
        printf("PASS %s\n", name);
    else {
        printf("FAIL %s: got %s %s\n", name, got, why);
        t_failed++;
    }
    dyad_doc_free(doc);
}

static unsigned char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = len > 0 ? malloc((size_t)len) : NULL;
    if (b && fread(b, 1, (size_t)len, f) != (size_t)len) {
        free(b);
        b = NULL;
    }
    fclose(f);
    *n = b ? (size_t)len : 0;
    return b;
}

static dyad_status open_bytes(const char *tmp, const unsigned char *b, size_t n)
{
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return DYAD_EIO;
    fwrite(b, 1, n, f);
    fclose(f);
    dyad_model *m = NULL;
    dyad_error err = {0};
    dyad_status st = dyad_model_open(tmp, &m, &err);
    dyad_model_free(m);
    remove(tmp);
    /* every failure names the file */
    if (st && !strstr(err.msg, tmp))
        return 1000;
    return st;
}

/* A model whose checksum is right but whose parser sections are not: the configuration cfg
 * and, when with_tables, parser tables too small for it. */
static dyad_status open_crafted(const void *cfg, size_t cfg_size, bool with_tables)
{
    dyad__mw *w = dyad__mw_new();
    unsigned char zeros[64] = {0};
    dyad__mw_add(w, "parse.cfg", cfg, cfg_size);
    if (with_tables) {
        dyad__mw_add(w, "parse.thot", zeros, 8);
        dyad__mw_add(w, "parse.tfilt", zeros, 8);
        dyad__mw_add(w, "parse.trans", zeros, 8);
        dyad__mw_add(w, "parse.lslot", zeros, 8);
        dyad__mw_add(w, "parse.lrows", zeros, 0);
    }
    return open_crafted_sections(w);
}

static void corrupt_models(const dyad_model *model)
{
    size_t n;
    unsigned char *b = slurp(MODEL, &n);
    if (!b) {
        T_CHECK("corrupt: read the model", false);
        return;
    }
    const char *tmp = "build/test-parser-corrupt.model";
    dyad_status st = open_bytes(tmp, b, n / 2);
    T_CHECK("corrupt: truncated to half", st == DYAD_ECORRUPT);
    st = open_bytes(tmp, b, 20);
    T_CHECK("corrupt: truncated inside the header", st == DYAD_ECORRUPT);
    st = open_bytes(tmp, b, n - 1);
    T_CHECK("corrupt: one byte short", st == DYAD_ECORRUPT);
    b[n / 3] ^= 0x10;
    st = open_bytes(tmp, b, n);
    T_CHECK("corrupt: one flipped bit in the weights", st == DYAD_ECORRUPT);
    b[n / 3] ^= 0x10;
    b[40] ^= 0x01;
    st = open_bytes(tmp, b, n);
    T_CHECK("corrupt: one flipped bit in the section table", st == DYAD_ECORRUPT);
    b[40] ^= 0x01;
    b[8] = 99;   /* format version */
    st = open_bytes(tmp, b, n);
    T_CHECK("corrupt: another format version", st == DYAD_EVERSION);
    free(b);
    const char *foreign = "# text = not a model\n1\tnot\tnot\tPART\tRB\t_\t0\troot\t_\t_\n"
                          "and some more text so the file is longer than a header ........\n";
    st = open_bytes(tmp, (const unsigned char *)foreign, strlen(foreign));
    T_CHECK("corrupt: a foreign file", st == DYAD_EVERSION || st == DYAD_ECORRUPT);
    st = open_bytes(tmp, (const unsigned char *)"", 0);
    T_CHECK("corrupt: an empty file", st == DYAD_ECORRUPT);

    /* checksummed files with damaged parser sections, built from the real configuration */
    size_t ncfg = 0;
    const unsigned char *real = dyad__model_section(model, "parse.cfg", &ncfg);
    unsigned char cfg[1024] = {0};
    T_CHECK("corrupt: the model has a parser configuration", real && ncfg >= 8 && ncfg < 1024);
    if (!real || ncfg < 8 || ncfg >= 1024)
        return;
    memcpy(cfg, real, ncfg);
    st = open_crafted(cfg, 7, true);
    T_CHECK("corrupt: parser configuration cut short", st == DYAD_ECORRUPT);
    st = open_crafted(cfg, ncfg + 4, true);
    T_CHECK("corrupt: parser configuration too long", st == DYAD_ECORRUPT);
    st = open_crafted(cfg, ncfg, false);
    T_CHECK("corrupt: parser tables missing", st == DYAD_ECORRUPT);
    st = open_crafted(cfg, ncfg, true);
    T_CHECK("corrupt: parser tables smaller than their configuration", st == DYAD_ECORRUPT);
    cfg[4] ^= 0x40;   /* the feature-set number */
    st = open_crafted(cfg, ncfg, true);
    T_CHECK("corrupt: parser of another feature set", st == DYAD_EVERSION);
    cfg[4] ^= 0x40;

    /* transition tables of one bucket each: a look-up ends at a bucket whose `more` word is 0
     * (a bucket is 7 fingerprints, `more`, 7 x 3 weights, padding: 64 bytes) */
    uint32_t one = 1;
    memcpy(cfg + 16, &one, 4);   /* trans_buckets */
    memcpy(cfg + 20, &one, 4);   /* hot_buckets */
    memcpy(cfg + 24, &one, 4);   /* filter_words */
    memcpy(cfg + 28, &one, 4);   /* label_slots */
    memset(cfg + 32, 0, 4);      /* label_pool */
    unsigned char bucket[64] = {0}, spilled[64] = {0}, lslot[8] = {0};
    bucket[0] = 0x34;            /* one feature, fingerprint 0x1234 */
    bucket[1] = 0x12;
    bucket[16] = 5;              /* its first weight */
    spilled[14] = 1;             /* `more`: the look-up would go round for ever */
    const unsigned char *cold[3] = {bucket, spilled, bucket}, *hot[3] = {bucket, bucket, spilled};
    const char *what[3] = {"corrupt: well-formed one-bucket transition tables open",
                           "corrupt: a cold table whose look-ups never end",
                           "corrupt: a hot table whose look-ups never end"};
    for (int k = 0; k < 3; k++) {
        dyad__mw *w = dyad__mw_new();
        dyad__mw_add(w, "parse.cfg", cfg, ncfg);
        dyad__mw_add(w, "parse.thot", hot[k], 64);
        dyad__mw_add(w, "parse.trans", cold[k], 64);
        dyad__mw_add(w, "parse.tfilt", lslot, 8);
        dyad__mw_add(w, "parse.lslot", lslot, 8);
        dyad__mw_add(w, "parse.lrows", lslot, 0);
        st = open_crafted_sections(w);
        T_CHECK(what[k], k == 0 ? st == DYAD_OK : st == DYAD_ECORRUPT);
    }
}

int main(int argc, char **argv)
{
    dyad_model *m = NULL;
    dyad_error err = {0};
    dyad_status st = dyad_model_open(MODEL, &m, &err);
    T_CHECK("the committed model opens", st == DYAD_OK);
    if (st) {
        printf("# %s\n", err.msg);
        T_DONE();
    }
    dyad_worker *w = dyad_worker_new();
    check_tokens(w, m, "one token", "Hello");
    check_tokens(w, m, "two tokens", "Stop !");
    check_tokens(w, m, "only punctuation", ". , ! ? ; : ... -- ( ) \" '");
    check_tokens(w, m, "all-caps headline",
                 "RUSSIA EXPELS 35 U.S. DIPLOMATS OVER ELECTION HACKING CLAIMS");
    check_tokens(w, m, "German", "Die Regierung hat am Montag neue Sanktionen gegen Russland "
                                 "beschlossen .");
    check_tokens(w, m, "Arabic script", "\xd9\x82\xd8\xa7\xd9\x84 \xd8\xa7\xd9\x84\xd8\xb1\xd8\xa6"
                                        "\xd9\x8a\xd8\xb3 \xd8\xa5\xd9\x86 \xd8\xa7\xd9\x84\xd9"
                                        "\x85\xd8\xad\xd8\xa7\xd8\xaf\xd8\xab\xd8\xa7\xd8\xaa .");
    check_tokens(w, m, "Chinese", "\xe4\xb8\xad\xe5\x9b\xbd \xe6\x94\xbf\xe5\xba\x9c "
                                  "\xe5\xae\xa3\xe5\xb8\x83 \xe6\x96\xb0 \xe7\x9a\x84 "
                                  "\xe5\x88\xb6\xe8\xa3\x81 \xe3\x80\x82");
    /* a 500-token sentence and a 1000-token one, built from a news-like cycle */
    static const char *const words[] = {"the", "minister", "said", "that", "Russia", "and",
                                        "the", "United", "States", "would", "meet", "in",
                                        "Washington", "on", "Monday", ",", "but", "talks",
                                        "could", "fail", "because", "of", "sanctions", ";"};
    for (int len = 500; len <= 1000; len += 500) {
        size_t cap = (size_t)len * 16;
        char *long_text = malloc(cap), *q = long_text;
        for (int i = 0; i < len; i++)
            q += snprintf(q, cap - (size_t)(q - long_text), "%s%s", i ? " " : "",
                          words[i % (int)(sizeof words / sizeof *words)]);
        check_tokens(w, m, len == 500 ? "500-token sentence" : "1000-token sentence", long_text);
        free(long_text);
    }
    check_text(w, m, "segmented news text",
               "Russia on Monday warned Washington that it would retaliate. \"We will respond,\" "
               "Deputy Foreign Minister Sergei Ryabkov told reporters in Moscow.\n\nThe talks "
               "over the two compounds ended without a deal.");
    check_text(w, m, "segmented Chinese without spaces",
               "\xe4\xb8\xad\xe5\x9b\xbd\xe6\x94\xbf\xe5\xba\x9c"
               "\xe5\xae\xa3\xe5\xb8\x83\xe3\x80\x82");
    check_text(w, m, "segmented symbols and digits", "$ 1,000,000 !!! ??? 2017-07-18 @@@ ###");

    /* news constructions the treebank model gets wrong, put right by src/repair.c */
    check_arc(w, m, "Iran accused Saudi Arabia yesterday.", "Arabia", "accused", "obj");
    check_arc(w, m, "Japan had criticized China three years ago.", "China", "criticized", "obj");
    check_arc(w, m, "North Korea put its troops on high alert.", "Korea", "put", "nsubj");
    check_arc(w, m, "Trump called Putin Monday to discuss Syria.", "Monday", "called",
              "obl:tmod");
    check_arc(w, m, "Cardin is just the latest to express his opposition; two bipartisan groups "
                    "of senators \xe2\x80\x94 including Republicans Marco Rubio of Florida and "
                    "Johnny Isakson of Georgia \xe2\x80\x94 have written letters to the Trump "
                    "administration.", "groups", "written", "nsubj");
    check_arc(w, m, "New York (CNN) French President Emmanuel Macron firmly rejected any "
                    "military solution.", "Emmanuel", "rejected", "nsubj");
    check_arc(w, m, "Lavrov called the condition \"daytime robbery.\"", "robbery", "called",
              "xcomp");
    check_arc(w, m, "Trump called the ambassador a stupid guy.", "guy", "called", "xcomp");
    check_arc(w, m, "Afghan President Ashraf Ghani announced a ceasefire with the Taliban.",
              "Ghani", "announced", "nsubj");
    check_arc(w, m, "German Chancellor Angela Merkel urged Ethiopia on Tuesday to open up.",
              "Merkel", "urged", "nsubj");
    check_arc(w, m, "A U.S. federal judge Thursday approved the extradition.", "judge",
              "approved", "nsubj");
    check_arc(w, m, "The Brazilian government Thursday evening expressed condolences to "
                    "Bangladesh.", "government", "expressed", "nsubj");
    check_arc(w, m, "The Brazilian government Thursday evening expressed condolences to "
                    "Bangladesh.", "expressed", "ROOT", "root");
    check_arc(w, m, "Cardin, D-Md., is just the latest to express his opposition.", "Cardin",
              "latest", "nsubj");
    check_arc(w, m, "Ryabkov met Monday evening in Washington with Tom Shannon.", "Washington",
              "met", "obl");
    check_arc(w, m, "Lieberman visited Washington on Monday \xe2\x80\x94 the first visit since "
                    "February \xe2\x80\x94 amid tension over Iran.", "visit", "visited",
              "parataxis");
    /* and every tree of real news sentences stays one well-formed tree */
    if (argc > 1) {
        char path[512];
        snprintf(path, sizeof path, "%s/conflibert/cameo_class/train.tsv", argv[1]);
        size_t nb = 0;
        unsigned char *b = slurp(path, &nb);
        if (!b) {
            T_SKIP("repair: ConfliBERT sentences stay well-formed trees", "no ../shared/conflibert");
        } else {
            /* the first column of each line, as one text: one document of many sentences */
            char *text = malloc(nb + 1), *q = text;
            for (size_t i = 0; i < nb;) {
                size_t j = i;
                while (j < nb && b[j] != '\t' && b[j] != '\n')
                    j++;
                memcpy(q, b + i, j - i);
                q += j - i;
                *q++ = '\n';
                while (j < nb && b[j] != '\n')
                    j++;
                i = j + 1;
            }
            *q = 0;
            check_text(w, m, "repair: ConfliBERT sentences stay well-formed trees", text);
            free(text);
            free(b);
        }
    }

    /* parsing the same document twice gives the same trees (no state leaks between calls) */
    {
        dyad_doc *d1 = dyad_doc_new();
        dyad_record rec;
        memset(&rec, 0, sizeof rec);
        rec.id = dyad__cstr("t");
        rec.text = dyad__cstr("The talks failed. Russia said it would respond to the sanctions.");
        rec.file = "-";
        dyad_doc_set(d1, &rec, NULL, NULL);
        dyad_worker_segment(w, d1, NULL, NULL);
        dyad_worker_parse(w, m, d1, NULL);
        size_t n = dyad_doc_ntokens(d1);
        dyad_token *first = malloc(n * sizeof *first);
        memcpy(first, dyad_doc_tokens(d1), n * sizeof *first);
        dyad_worker_parse(w, m, d1, NULL);
        bool same = true;
        for (size_t i = 0; i < n; i++)
            same = same && first[i].head == dyad_doc_tokens(d1)[i].head &&
                   first[i].deprel == dyad_doc_tokens(d1)[i].deprel;
        T_CHECK("parsing twice gives the same trees", same && n > 0);
        /* a plain sentence gets the expected core structure */
        const dyad_token *t = dyad_doc_tokens(d1);
        T_CHECK("'The talks failed.': failed is the root, talks its nsubj",
                n >= 4 && t[2].head == 0 && t[1].head == 3 &&
                    strcmp(dyad_deprel_name(t[1].deprel), "nsubj") == 0 && t[0].head == 2 &&
                    strcmp(dyad_deprel_name(t[0].deprel), "det") == 0);
        free(first);
        dyad_doc_free(d1);
    }
    /* a model without a parser is refused with a clear error */
    {
        dyad__mw *mw = dyad__mw_new();
        dyad__mw_add(mw, "meta", "x", 1);
        unsigned char *buf;
        size_t n;
        dyad__mw_serialise(mw, &buf, &n);
        dyad__mw_free(mw);
        dyad_model *empty = NULL;
        st = dyad__model_from_memory(buf, n, false, "empty.model", &empty, NULL);
        dyad_doc *doc = dyad_doc_new();
        dyad_slice f[1] = {dyad__cstr("word")};
        dyad_doc_reset(doc, dyad__slice("", 0), dyad__slice("", 0));
        dyad_doc_add_sentence(doc, f, NULL, 1, NULL);
        memset(&err, 0, sizeof err);
        dyad_status pst = empty ? dyad_worker_parse(w, empty, doc, &err) : DYAD_OK;
        T_CHECK("a model without stages: DYAD_EUNSUPPORTED naming the file",
                st == DYAD_OK && pst == DYAD_EUNSUPPORTED && strstr(err.msg, "empty.model"));
        dyad_doc_free(doc);
        dyad_model_free(empty);
        free(buf);
    }
    corrupt_models(m);
    dyad_worker_free(w);
    dyad_model_free(m);
    T_DONE();
}
