/* seeds.h - small valid inputs the fuzz targets start from, written for them: a CoNLL-U
 * treebank of six sentences (trained into a tiny model in-process) and dictionaries in dyad's,
 * PETRARCH's and TABARI's formats (compiled into a small dictionary). */
#ifndef DYAD_FUZZ_SEEDS_H
#define DYAD_FUZZ_SEEDS_H

#include "files.h"

/* Six hand-annotated sentences (UD English conventions). */
static const char fuzz_treebank[] =
    "# newdoc id = fuzz-1\n"
    "# text = Russia accused Ukraine of attacks.\n"
    "1\tRussia\tRussia\tPROPN\tNNP\t_\t2\tnsubj\t_\t_\n"
    "2\taccused\taccuse\tVERB\tVBD\t_\t0\troot\t_\t_\n"
    "3\tUkraine\tUkraine\tPROPN\tNNP\t_\t2\tobj\t_\t_\n"
    "4\tof\tof\tADP\tIN\t_\t5\tcase\t_\t_\n"
    "5\tattacks\tattack\tNOUN\tNNS\t_\t2\tobl\t_\tSpaceAfter=No\n"
    "6\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_\n"
    "\n"
    "# text = The minister met the envoy in Moscow on Monday.\n"
    "1\tThe\tthe\tDET\tDT\t_\t2\tdet\t_\t_\n"
    "2\tminister\tminister\tNOUN\tNN\t_\t3\tnsubj\t_\t_\n"
    "3\tmet\tmeet\tVERB\tVBD\t_\t0\troot\t_\t_\n"
    "4\tthe\tthe\tDET\tDT\t_\t5\tdet\t_\t_\n"
    "5\tenvoy\tenvoy\tNOUN\tNN\t_\t3\tobj\t_\t_\n"
    "6\tin\tin\tADP\tIN\t_\t7\tcase\t_\t_\n"
    "7\tMoscow\tMoscow\tPROPN\tNNP\t_\t3\tobl\t_\t_\n"
    "8\ton\ton\tADP\tIN\t_\t9\tcase\t_\t_\n"
    "9\tMonday\tMonday\tPROPN\tNNP\t_\t3\tobl\t_\tSpaceAfter=No\n"
    "10\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_\n"
    "\n"
    "# newpar\n"
    "# text = Washington imposed new sanctions on Iran.\n"
    "1\tWashington\tWashington\tPROPN\tNNP\t_\t2\tnsubj\t_\t_\n"
    "2\timposed\timpose\tVERB\tVBD\t_\t0\troot\t_\t_\n"
    "3\tnew\tnew\tADJ\tJJ\t_\t4\tamod\t_\t_\n"
    "4\tsanctions\tsanction\tNOUN\tNNS\t_\t2\tobj\t_\t_\n"
    "5\ton\ton\tADP\tIN\t_\t6\tcase\t_\t_\n"
    "6\tIran\tIran\tPROPN\tNNP\t_\t2\tobl\t_\tSpaceAfter=No\n"
    "7\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_\n"
    "\n"
    "# text = He said that talks would continue.\n"
    "1\tHe\the\tPRON\tPRP\t_\t2\tnsubj\t_\t_\n"
    "2\tsaid\tsay\tVERB\tVBD\t_\t0\troot\t_\t_\n"
    "3\tthat\tthat\tSCONJ\tIN\t_\t6\tmark\t_\t_\n"
    "4\ttalks\ttalk\tNOUN\tNNS\t_\t6\tnsubj\t_\t_\n"
    "5\twould\twould\tAUX\tMD\t_\t6\taux\t_\t_\n"
    "6\tcontinue\tcontinue\tVERB\tVB\t_\t2\tccomp\t_\tSpaceAfter=No\n"
    "7\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_\n"
    "\n"
    "# newdoc id = fuzz-2\n"
    "# text = Police arrested protesters in the capital.\n"
    "1\tPolice\tpolice\tNOUN\tNNS\t_\t2\tnsubj\t_\t_\n"
    "2\tarrested\tarrest\tVERB\tVBD\t_\t0\troot\t_\t_\n"
    "3\tprotesters\tprotester\tNOUN\tNNS\t_\t2\tobj\t_\t_\n"
    "4\tin\tin\tADP\tIN\t_\t6\tcase\t_\t_\n"
    "5\tthe\tthe\tDET\tDT\t_\t6\tdet\t_\t_\n"
    "6\tcapital\tcapital\tNOUN\tNN\t_\t2\tobl\t_\tSpaceAfter=No\n"
    "7\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_\n"
    "\n"
    "# text = The talks were held in Geneva.\n"
    "1\tThe\tthe\tDET\tDT\t_\t2\tdet\t_\t_\n"
    "2\ttalks\ttalk\tNOUN\tNNS\t_\t4\tnsubj:pass\t_\t_\n"
    "3\twere\tbe\tAUX\tVBD\t_\t4\taux:pass\t_\t_\n"
    "4\theld\thold\tVERB\tVBN\t_\t0\troot\t_\t_\n"
    "5\tin\tin\tADP\tIN\t_\t6\tcase\t_\t_\n"
    "6\tGeneva\tGeneva\tPROPN\tNNP\t_\t4\tobl\t_\tSpaceAfter=No\n"
    "7\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\t_\n"
    "\n";

/* dyad's own format: countries, a person with dated roles, an organisation, agents, sets,
 * tree patterns, discards. */
static const char fuzz_dict_dyad[] =
    "# a small dictionary for the fuzz targets\n"
    "country: Russia; Russian Federation\n"
    "  code: RUS\n"
    "  adj: Russian\n"
    "  people: Russians\n"
    "  capital: Moscow\n"
    "  city: Saint Petersburg; St. Petersburg\n"
    "  region: Chechnya\n"
    "  as RUSGOV: Kremlin\n"
    "country: United States; United States of America; U.S.; US\n"
    "  code: USA\n"
    "  adj: American\n"
    "  capital: Washington\n"
    "  as USAGOV: White House\n"
    "  ambiguous: Washington\n"
    "country: Georgia\n"
    "  code: GEO\n"
    "  ambiguous: Georgia\n"
    "person: Sergei Ryabkov\n"
    "  alias: Ryabkov\n"
    "  role: RUSGOV 2008-01-01..\n"
    "person: Donald Trump; President Trump\n"
    "  alias: Trump\n"
    "  role: USAELI ..2017-01-19\n"
    "  role: USAGOV 2017-01-20..2021-01-19\n"
    "  note: a person with dated roles\n"
    "org: United Nations; UN; U.N.\n"
    "  code: IGOUNO\n"
    "agent: minister; foreign minister; deputy foreign minister\n"
    "  code: GOV\n"
    "agent: police; police officer\n"
    "  code: COP\n"
    "set sanction: sanction; embargo; restriction\n"
    "set diplomat: diplomat; envoy; ambassador\n"
    "set measure: &sanction; tariff\n"
    "040  meet T\n"
    "040  meet with T\n"
    "043  hold talk with T\n"
    "163  impose &sanction on T\n"
    "163  noun: sanction against T\n"
    "174  expel &diplomat of T\n"
    "138  threaten to retaliate\n"
    "0874 return T's property\n"
    "112  accuse T of *\n"
    "discard: halftime; box office\n";

static const char fuzz_dict_cameo[] =
    "# code table\n"
    "04\t1.0\t1\tConsult\n"
    "040\t1.0\t1\tConsult, not specified below\n"
    "043\t2.8\t1\tMeet at a third location\n"
    "112\t-2.0\t3\tAccuse\n"
    "138\t-7.0\t3\tThreaten with military force\n"
    "163\t-8.0\t4\tImpose embargo, boycott, or sanctions\n"
    "174\t-5.0\t4\tExpel or deport individuals\n"
    "0874\t10.0\t2\tReturn, release property\n"
    "03\t4.0\t1\tExpress intent to cooperate\n"
    "031\t5.2\t1\tExpress intent to engage in material cooperation\n"
    "032\t4.5\t1\tExpress intent to provide diplomatic cooperation\n"
    "033\t5.2\t1\tExpress intent to provide material aid\n"
    "08\t5.0\t2\tYield\n"
    "081\t5.0\t2\tEase administrative sanctions\n"
    "087\t9.0\t2\tDe-escalate military engagement\n"
    "11\t-2.0\t3\tDisapprove\n"
    "1122\t-2.0\t3\tAccuse of human rights abuses\n"
    "13\t-4.4\t3\tThreaten\n"
    "16\t-4.0\t4\tReduce relations\n"
    "161\t-4.0\t4\tReduce or break diplomatic relations\n"
    "17\t-7.0\t4\tCoerce\n"
    "1717\t-7.0\t4\tBreak a treaty\n";

/* PETRARCH-2 verbs: a synset, blocks, forms, phrase patterns. */
static const char fuzz_dict_petr_verbs[] =
    "<!-- verbs for the fuzz targets -->\n"
    "&TIES\n"
    "+RELATIONS\n"
    "+TIES_\n"
    "\n"
    "---  ACCUSE   [112]  ---\n"
    "ACCUSE  {ACCUSED ACCUSES ACCUSING}\n"
    "CHARGE\n"
    "- * + OF {WAR CRIMES}                  [1122]   # ACCUSE\n"
    "- * (OF ATTACKS)                       [112]    # ACCUSE\n"
    "\n"
    "---  CUT   [---]  ---\n"
    "CUT  {CUTS CUTTING}\n"
    "- * &TIES (WITH +)                     [161]    # CUT\n"
    "- * OFF {AID}                          [163]    # CUT\n"
    "\n"
    "---  MEET   [040]  ---\n"
    "MEET  {MET MEETS MEETING}\n"
    "+ASK_FOR [---]\n"
    "- * + (IN $)                           [043]    # MEET\n";

/* PETRARCH actors with date restrictions, agents, discards. */
static const char fuzz_dict_petr_actors[] =
    "RUSSIA_ [RUS]\n"
    "+RUSSIAN_FEDERATION\n"
    "VLADIMIR_PUTIN_ [RUSELI]\n"
    "+PUTIN_\n"
    "  [RUSGOV >000507]\n"
    "  [RUSGOV 20120507-20991231]\n"
    "EAST_GERMANY [GME <901103]\n"
    "INDIAN_OCEAN [---]\n"
    "EAST_AND_WEST_GERMANY [GME/GMW]\n";

static const char fuzz_dict_petr_agents[] =
    "!PERSON! = MAN, MEN, WOMAN, WOMEN\n"
    "AMBASSADOR {AMBASSADORS} [~GOV]\n"
    "POLICE!PERSON! [~COP]\n"
    "HUMAN_RIGHTS_ACTIVIST [NGM~]\n"
    "SOLDIER {} [~MIL]\n";

static const char fuzz_dict_petr_discards[] =
    "+WORLD_CUP\n"
    "HALFTIME\n";

/* TABARI: synsets, verbs, a pair code, a verb's forms. */
static const char fuzz_dict_tabari_verbs[] =
    "<SYNSETS>\n"
    "&TIETYPES\n"
    "+MILITARY\n"
    "+ECONOMIC\n"
    "</SYNSETS>\n"
    "ACCEPT [081]\n"
    "- PROPOSAL WAS * [081]\n"
    "BREAK_ [1717]\n"
    "{BROKE_ BROKEN_}\n"
    "- * &TIETYPES TIES [161]\n"
    "MEET [031:031]\n"
    "- % * IN [031]\n"
    "FLEW\n"
    "- $ * TO + [032:033]\n"
    "~FINISH\n";

static const char fuzz_dict_tabari_actors[] =
    "ARGENTINA_ [ARG] ; a comment\n"
    "BOUTROS-GHALI [EGY <911231] [UNO 920101-991231] [EGY]\n"
    "GOLLUM\n"
    "+SMEAGOL\n"
    "  [HOB <950601]\n"
    "  [HOBGOV 950601-990815]\n"
    "<NOUN>\n"
    "HEADQUARTERS\n"
    "</NOUN>\n";

/* The files of the compiled seed dictionary: name (the format hint) and text. */
static const char *const fuzz_dict_files[][2] = {
    {"dyad.txt", fuzz_dict_dyad},
    {"cameo.txt", fuzz_dict_cameo},
    {"petrarch.verbs.txt", fuzz_dict_petr_verbs},
    {"petrarch.actors.txt", fuzz_dict_petr_actors},
    {"petrarch.agents.txt", fuzz_dict_petr_agents},
    {"petrarch.discards.txt", fuzz_dict_petr_discards},
    {"tabari.verbs", fuzz_dict_tabari_verbs},
    {"tabari.actors", fuzz_dict_tabari_actors},
};
#define FUZZ_NDICT_FILES (sizeof fuzz_dict_files / sizeof fuzz_dict_files[0])

/* Sentences the dictionary targets look up (they name the seed entries). */
static const char fuzz_probe_text[] =
    "Russian Deputy Foreign Minister Sergei Ryabkov met U.S. envoy Tom Shannon in Washington. "
    "The White House imposed sanctions on Moscow and the Kremlin expelled American diplomats. "
    "President Trump said the UN would meet with Russia's ambassador. "
    "Argentina accused Boutros-Ghali of war crimes; Smeagol broke military ties with East "
    "Germany. Police men arrested human rights activists at halftime in Georgia.";

/* Compile the seed dictionary (every file above) and return its bytes; abort on failure. */
static inline unsigned char *fuzz_seed_dict(size_t *size)
{
    const char *paths[FUZZ_NDICT_FILES];
    char store[FUZZ_NDICT_FILES][600];
    for (size_t i = 0; i < FUZZ_NDICT_FILES; i++) {
        paths[i] = fuzz_path(store[i], sizeof store[i], fuzz_dict_files[i][0]);
        fuzz_write(paths[i], fuzz_dict_files[i][1], strlen(fuzz_dict_files[i][1]));
    }
    char out[600];
    fuzz_path(out, sizeof out, "seed.dict");
    dyad_error err;
    if (dyad_dict_compile(paths, FUZZ_NDICT_FILES, out, &err) != DYAD_OK) {
        fprintf(stderr, "fuzz: cannot compile the seed dictionary: %s\n", err.msg);
        abort();
    }
    unsigned char *b = fuzz_read(out, size);
    if (!b)
        abort();
    for (size_t i = 0; i < FUZZ_NDICT_FILES; i++)
        remove(paths[i]);
    remove(out);
    return b;
}

/* A stand-in for WordNet's dictionary files, small enough to keep the model tiny: the lemmas
 * of the treebank, made-up words up to the 1000 lemmas the trainer wants, a few exceptions. */
static inline void fuzz_seed_wordnet(const char *dir)
{
    static const char *const index_words[4] = {
        "attack\ncapital\nenvoy\nminister\nprotester\nsanction\ntalk\n",
        "accuse\narrest\nbe\ncontinue\nhold\nimpose\nmeet\nsay\n",
        "new\n", "not\n"};
    static const char *const exc[4][2] = {
        {"noun.exc", "police police\n"},
        {"verb.exc", "held hold\nmet meet\nsaid say\nwere be\n"},
        {"adj.exc", "newer new\n"},
        {"adv.exc", "better well\n"}};
    static const char *const index_files[4] = {"index.noun", "index.verb", "index.adj",
                                               "index.adv"};
    char path[700];
    if (mkdir(dir, 0700) != 0)
        abort();
    for (int k = 0; k < 4; k++) {
        snprintf(path, sizeof path, "%s/%s", dir, index_files[k]);
        FILE *f = fopen(path, "w");
        if (!f)
            abort();
        fputs("  a licence header line starts with spaces\n", f);
        fputs(index_words[k], f);
        for (int i = 0; k == 0 && i < 1000; i++)
            fprintf(f, "zq%04d n 1 0 1 0 00000000\n", i);
        fclose(f);
        snprintf(path, sizeof path, "%s/%s", dir, exc[k][0]);
        fuzz_write(path, exc[k][1], strlen(exc[k][1]));
    }
}

static inline void fuzz_remove_wordnet(const char *dir)
{
    static const char *const files[8] = {"index.noun", "index.verb", "index.adj", "index.adv",
                                         "noun.exc",   "verb.exc",   "adj.exc",   "adv.exc"};
    char path[700];
    for (int k = 0; k < 8; k++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[k]);
        remove(path);
    }
    rmdir(dir);
}

/* Train a tiny model on the treebank above (one epoch each, the stand-in WordNet) and return
 * its bytes; abort on failure. */
static inline unsigned char *fuzz_seed_model(size_t *size)
{
    char tb[600], out[600], wn[600];
    /* four copies: the trainer tags its own training data fold by fold, and each fold needs
     * enough examples of the frequent tags */
    size_t n = strlen(fuzz_treebank);
    char *text = malloc(4 * n);
    if (!text)
        abort();
    for (int i = 0; i < 4; i++)
        memcpy(text + (size_t)i * n, fuzz_treebank, n);
    fuzz_write(fuzz_path(tb, sizeof tb, "tiny.conllu"), text, 4 * n);
    free(text);
    fuzz_path(out, sizeof out, "tiny.model");
    fuzz_seed_wordnet(fuzz_path(wn, sizeof wn, "wordnet"));
    dyad_train_opts o;
    dyad_train_opts_default(&o);
    o.train_path = tb;
    o.out_path = out;
    o.wordnet_dir = wn;
    o.seed = 1;
    o.tagger_epochs = 1;
    o.parser_epochs = 1;
    dyad_error err;
    if (dyad_train(&o, &err) != DYAD_OK) {
        fprintf(stderr, "fuzz: cannot train the seed model: %s\n", err.msg);
        abort();
    }
    unsigned char *b = fuzz_read(out, size);
    if (!b)
        abort();
    remove(tb);
    remove(out);
    fuzz_remove_wordnet(wn);
    return b;
}

#endif
