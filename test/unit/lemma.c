/* lemma.c - the lemmatiser: treebank entries, WordNet exceptions and morphy, suffix rules,
 * proper nouns, damaged tables; then the committed model on the words news needs. */
#include "internal.h"
#include "crafted.h"
#include "t.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define MODEL "models/dyad-en.model"
#define WORDNET "/usr/share/wordnet"

/* A tiny treebank: the lemma table learns was -> be, us -> we, her -> she, 's -> be. */
static const char tiny_treebank[] =
    "# text = She was with us.\n"
    "1\tShe\tshe\tPRON\tPRP\t_\t2\tnsubj\t_\t_\n"
    "2\twas\tbe\tAUX\tVBD\t_\t0\troot\t_\t_\n"
    "3\twith\twith\tADP\tIN\t_\t4\tcase\t_\t_\n"
    "4\tus\twe\tPRON\tPRP\t_\t2\tobl\t_\tSpaceAfter=No\n"
    "5\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_\n"
    "\n"
    "# text = I saw her dog.\n"
    "1\tI\tI\tPRON\tPRP\t_\t2\tnsubj\t_\t_\n"
    "2\tsaw\tsee\tVERB\tVBD\t_\t0\troot\t_\t_\n"
    "3\ther\tshe\tPRON\tPRP$\t_\t4\tnmod:poss\t_\t_\n"
    "4\tdog\tdog\tNOUN\tNN\t_\t2\tobj\t_\tSpaceAfter=No\n"
    "5\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_\n"
    "\n"
    "# text = It's late.\n"
    "1\tIt\tit\tPRON\tPRP\t_\t3\tnsubj\t_\tSpaceAfter=No\n"
    "2\t's\tbe\tAUX\tVBZ\t_\t3\tcop\t_\t_\n"
    "3\tlate\tlate\tADJ\tJJ\t_\t0\troot\t_\tSpaceAfter=No\n"
    "4\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_\n"
    "\n";

static bool write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return false;
    bool ok = fputs(text, f) >= 0;
    return fclose(f) == 0 && ok;
}

/* Build an in-memory model holding only the lemma tables of the tiny treebank. */
static dyad_model *tiny_model(const char *wordnet, dyad_error *err, dyad_status *st_out)
{
    const char *path = "build/test-lemma-tiny.conllu";
    dyad_model *m = NULL;
    *st_out = DYAD_EIO;
    if (!write_file(path, tiny_treebank))
        return NULL;
    dyad__corpus c;
    dyad_status st = dyad__corpus_load(&c, path, err);
    if (st) {
        *st_out = st;
        return NULL;
    }
    dyad_train_opts o;
    memset(&o, 0, sizeof o);
    o.wordnet_dir = wordnet;
    dyad__mw *w = dyad__mw_new();
    st = w ? dyad__lemmas_train(&c, &o, w, err) : DYAD_ENOMEM;
    unsigned char *buf = NULL;
    size_t n = 0;
    if (!st)
        st = dyad__mw_serialise(w, &buf, &n);
    if (!st) {
        st = dyad__model_from_memory(buf, n, true, "tiny", &m, err);
        if (st)
            free(buf);
    }
    dyad__mw_free(w);
    dyad__corpus_free(&c);
    *st_out = st;
    return m;
}

typedef struct tagged {
    const char *form, *upos, *xpos;
} tagged;

/* Lemmatise tokens with the given tags; the lemma of token i goes to out[i]. */
static void lemmatise(const dyad_model *m, dyad_doc *doc, const tagged *in, size_t n,
                      char out[][64])
{
    dyad_token toks[32];
    for (size_t i = 0; i < n; i++) {
        memset(&toks[i], 0, sizeof toks[i]);
        toks[i].form = dyad__cstr(in[i].form);
        toks[i].upos = (uint16_t)dyad_upos_from_name(dyad__cstr(in[i].upos));
        toks[i].xpos = (uint16_t)dyad_xpos_from_name(dyad__cstr(in[i].xpos));
    }
    dyad__lemmatise(m, doc, toks, n);
    for (size_t i = 0; i < n; i++)
        snprintf(out[i], 64, "%.*s", (int)toks[i].lemma.len, toks[i].lemma.ptr);
}

static void check_one(const dyad_model *m, dyad_doc *doc, const char *form, const char *upos,
                      const char *xpos, const char *want)
{
    tagged t = {form, upos, xpos};
    char got[1][64];
    lemmatise(m, doc, &t, 1, got);
    char name[160];
    snprintf(name, sizeof name, "lemma %s/%s -> %s", form, xpos, want);
    if (strcmp(got[0], want) != 0)
        printf("# %s: got \"%s\"\n", name, got[0]);
    T_CHECK(name, strcmp(got[0], want) == 0);
}

static void tiny_tests(void)
{
    if (access(WORDNET "/index.verb", R_OK) != 0) {
        T_SKIP("lemma rules", "no WordNet data in " WORDNET " (Debian package wordnet-base)");
        return;
    }
    dyad_error err = {0};
    dyad_status st;
    dyad_model *m = tiny_model(WORDNET, &err, &st);
    T_CHECK("tiny lemma model trains and opens", m != NULL);
    if (!m) {
        printf("# %s\n", err.msg);
        return;
    }
    T_CHECK("tiny model has lemma tables and no tagger", m->lemmas && !m->tagger);
    dyad_doc *doc = dyad_doc_new();
    /* the treebank's own lemmas */
    check_one(m, doc, "was", "AUX", "VBD", "be");
    check_one(m, doc, "us", "PRON", "PRP", "we");
    check_one(m, doc, "Us", "PRON", "PRP", "we");
    check_one(m, doc, "her", "PRON", "PRP$", "she");
    check_one(m, doc, "i", "PRON", "PRP", "I");
    /* WordNet's exception lists */
    check_one(m, doc, "met", "VERB", "VBD", "meet");
    check_one(m, doc, "said", "VERB", "VBD", "say");
    check_one(m, doc, "women", "NOUN", "NNS", "woman");
    check_one(m, doc, "better", "ADJ", "JJR", "good");
    /* morphy: a detached suffix whose base WordNet knows */
    check_one(m, doc, "seized", "VERB", "VBD", "seize");
    check_one(m, doc, "threatened", "VERB", "VBN", "threaten");
    check_one(m, doc, "canceled", "VERB", "VBD", "cancel");
    check_one(m, doc, "cancelled", "VERB", "VBD", "cancel");
    check_one(m, doc, "expelled", "VERB", "VBD", "expel");
    check_one(m, doc, "hoping", "VERB", "VBG", "hope");
    check_one(m, doc, "singing", "VERB", "VBG", "sing");
    check_one(m, doc, "diplomats", "NOUN", "NNS", "diplomat");
    check_one(m, doc, "dachas", "NOUN", "NNS", "dacha");
    check_one(m, doc, "sanctions", "NOUN", "NNS", "sanction");
    check_one(m, doc, "countries", "NOUN", "NNS", "country");
    check_one(m, doc, "churches", "NOUN", "NNS", "church");
    check_one(m, doc, "Diplomats", "NOUN", "NNS", "diplomat");
    check_one(m, doc, "bigger", "ADJ", "JJR", "big");
    /* suffix rules for words in neither source */
    check_one(m, doc, "zorbled", "VERB", "VBD", "zorble");
    check_one(m, doc, "blogged", "VERB", "VBD", "blog");
    check_one(m, doc, "glorps", "NOUN", "NNS", "glorp");
    check_one(m, doc, "quobbies", "NOUN", "NNS", "quobby");
    /* proper nouns keep their form; plural ones lose the plural but keep the case */
    check_one(m, doc, "Ryabkov", "PROPN", "NNP", "Ryabkov");
    check_one(m, doc, "Americans", "PROPN", "NNPS", "American");
    /* everything else is lower-cased */
    check_one(m, doc, "The", "DET", "DT", "the");
    check_one(m, doc, "HOUSE", "NOUN", "NN", "house");
    check_one(m, doc, "Ärger", "NOUN", "NN", "ärger");
    check_one(m, doc, "6,363,217", "NUM", "CD", "6363217");
    /* 's is "have" before a past participle, else "be" */
    {
        tagged s1[] = {{"He", "PRON", "PRP"}, {"'s", "AUX", "VBZ"}, {"gone", "VERB", "VBN"}};
        tagged s2[] = {{"She", "PRON", "PRP"}, {"'s", "AUX", "VBZ"}, {"not", "PART", "RB"},
                       {"happy", "ADJ", "JJ"}};
        tagged s3[] = {{"It", "PRON", "PRP"}, {"\xe2\x80\x99s", "AUX", "VBZ"},
                       {"never", "ADV", "RB"}, {"been", "AUX", "VBN"}};
        char out[4][64];
        lemmatise(m, doc, s1, 3, out);
        T_CHECK("'s before a participle is have", strcmp(out[1], "have") == 0);
        lemmatise(m, doc, s2, 4, out);
        T_CHECK("'s before an adjective is be", strcmp(out[1], "be") == 0);
        lemmatise(m, doc, s3, 4, out);
        T_CHECK("curly 's before an adverb and a participle is have", strcmp(out[1], "have") == 0);
    }
    /* a lemma made by a rule lives in the document's arena, one from the table in the model */
    {
        dyad_token t[2];
        memset(t, 0, sizeof t);
        t[0].form = dyad__cstr("zorbled");
        t[0].xpos = (uint16_t)dyad_xpos_from_name(dyad__cstr("VBD"));
        t[1].form = dyad__cstr("met");
        t[1].xpos = t[0].xpos;
        dyad__lemmatise(m, doc, t, 2);
        const char *lo = (const char *)m->base, *hi = lo + m->size;
        T_CHECK("a rule's lemma is not in the model",
                !(t[0].lemma.ptr >= lo && t[0].lemma.ptr < hi) &&
                    !(t[0].lemma.ptr >= t[0].form.ptr &&
                      t[0].lemma.ptr < t[0].form.ptr + t[0].form.len));
        T_CHECK("an exception's lemma points into the model",
                t[1].lemma.ptr >= lo && t[1].lemma.ptr < hi);
    }
    /* a long token still gets a lemma */
    {
        char longw[600];
        memset(longw, 'A', sizeof longw - 1);
        longw[sizeof longw - 1] = 0;
        char got[1][64];
        tagged t = {longw, "NOUN", "NN"};
        lemmatise(m, doc, &t, 1, got);
        T_CHECK("a 599-byte token gets its lower-cased form",
                got[0][0] == 'a' && got[0][62] == 'a');
    }
    dyad_doc_free(doc);
    dyad_model_free(m);

    /* same data, same bytes */
    dyad_model *m1 = tiny_model(WORDNET, &err, &st), *m2 = tiny_model(WORDNET, &err, &st);
    T_CHECK("lemma training is deterministic",
            m1 && m2 && m1->size == m2->size && memcmp(m1->base, m2->base, m1->size) == 0);
    dyad_model_free(m1);
    dyad_model_free(m2);
}

static void missing_wordnet(void)
{
    dyad_error err = {0};
    dyad_status st;
    dyad_model *m = tiny_model("/nonexistent/wordnet-dir", &err, &st);
    T_CHECK("a missing WordNet directory fails training", m == NULL && st != DYAD_OK);
    T_CHECK("the error names the WordNet path",
            strstr(err.msg, "/nonexistent/wordnet-dir") != NULL);
    dyad_model_free(m);
}

/* Lemma sections that do not hold together are refused. */
static dyad_status open_crafted(const void *meta, size_t nmeta)
{
    dyad__mw *w = dyad__mw_new();
    uint32_t zeros[256] = {0};
    dyad__mw_add(w, "lem.meta", meta, nmeta);
    dyad__mw_add(w, "lem.tab", zeros, sizeof zeros);   /* meta says 1024 slots: too short */
    dyad__mw_add(w, "lem.pool", zeros, 0);
    dyad__mw_add(w, "lem.wn", zeros, sizeof zeros);
    return open_crafted_sections(w);
}

static void damaged_tables(void)
{
    uint32_t meta[8] = {0x314d454cu, 1, 1024, 0, 256, 0, 0, 0};
    T_CHECK("lemma tables: a short meta section is refused",
            open_crafted(meta, 16) == DYAD_ECORRUPT);
    T_CHECK("lemma tables: a table of the wrong size is refused",
            open_crafted(meta, sizeof meta) == DYAD_ECORRUPT);
    meta[1] = 99;
    T_CHECK("lemma tables: another version is refused",
            open_crafted(meta, sizeof meta) == DYAD_EVERSION);
}

/* The committed model, with the tagger's tags, on sentences of news. */
static void model_tests(void)
{
    dyad_model *m = NULL;
    dyad_error err = {0};
    if (access(MODEL, R_OK) != 0) {
        T_SKIP("lemmas of the committed model", "no " MODEL);
        return;
    }
    dyad_status st = dyad_model_open(MODEL, &m, &err);
    T_CHECK("the committed model opens", st == DYAD_OK && m->lemmas && m->tagger);
    if (st) {
        printf("# %s\n", err.msg);
        return;
    }
    static const struct {
        const char *sentence;
        const char *word, *lemma;
    } cases[] = {
        {"Ryabkov met Shannon in Washington on Monday .", "met", "meet"},
        {"Ryabkov met Shannon in Washington on Monday .", "Ryabkov", "Ryabkov"},
        {"The United States seized two Russian compounds .", "seized", "seize"},
        {"The talks were canceled last week .", "canceled", "cancel"},
        {"The talks were cancelled last week .", "cancelled", "cancel"},
        {"Washington expelled 35 Russian diplomats .", "expelled", "expel"},
        {"Washington expelled 35 Russian diplomats .", "diplomats", "diplomat"},
        {"Moscow threatened to retaliate .", "threatened", "threaten"},
        {"Peskov said the dachas were seized .", "said", "say"},
        {"Peskov said the dachas were seized .", "dachas", "dacha"},
        {"Peskov said the dachas were seized .", "were", "be"},
        {"The compound was returned .", "was", "be"},
        {"He 's angry about the sanctions .", "'s", "be"},
        {"He 's imposed new sanctions .", "'s", "have"},
        {"He 's angry about the sanctions .", "sanctions", "sanction"},
        {"Both countries signed the deal .", "countries", "country"},
        {"The women said they felt better .", "women", "woman"},
        {"Relations are better than they were .", "better", "good"},
        {"They told us nothing .", "us", "we"},
        {"The minister told her the talks were over .", "her", "she"},
    };
    dyad_worker *w = dyad_worker_new();
    dyad_doc *doc = dyad_doc_new();
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        dyad_token toks[64];
        char buf[256];
        snprintf(buf, sizeof buf, "%s", cases[c].sentence);
        size_t n = 0;
        for (char *save = NULL, *p = strtok_r(buf, " ", &save); p && n < 64;
             p = strtok_r(NULL, " ", &save)) {
            memset(&toks[n], 0, sizeof toks[n]);
            toks[n++].form = dyad__cstr(p);
        }
        dyad__tag(m, w, toks, n);
        dyad__lemmatise(m, doc, toks, n);
        char name[200], got[64] = "(word not found)";
        for (size_t i = 0; i < n; i++)
            if (dyad__slice_eq(toks[i].form, cases[c].word))
                snprintf(got, sizeof got, "%.*s", (int)toks[i].lemma.len, toks[i].lemma.ptr);
        snprintf(name, sizeof name, "model lemma %s -> %s (\"%s\")", cases[c].word,
                 cases[c].lemma, cases[c].sentence);
        if (strcmp(got, cases[c].lemma) != 0)
            printf("# %s: got \"%s\"\n", name, got);
        T_CHECK(name, strcmp(got, cases[c].lemma) == 0);
    }
    dyad_doc_free(doc);
    dyad_worker_free(w);
    dyad_model_free(m);
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    tiny_tests();
    missing_wordnet();
    damaged_tables();
    model_tests();
    T_DONE();
}
