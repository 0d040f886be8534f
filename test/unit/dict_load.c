/* dict_load.c - dictionaries load in every supported format; compiled files round-trip and
 * damaged ones fail cleanly; the cache; PETRARCH/Phoenix files from ../shared (when there). */
#include "dict_impl.h"
#include "t.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmp[256];

static void path_in(char *out, size_t cap, const char *name)
{
    snprintf(out, cap, "%s/%s", tmp, name);
}

static bool write_file(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return false;
    bool ok = fwrite(data, 1, n, f) == n;
    return fclose(f) == 0 && ok;
}

static unsigned char *read_all(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc(len > 0 ? (size_t)len : 1);
    if (b && fread(b, 1, (size_t)len, f) != (size_t)len) {
        free(b);
        b = NULL;
    }
    fclose(f);
    *n = (size_t)len;
    return b;
}

static dyad_status open1(const char *path, dyad_dict **d, dyad_error *err)
{
    const char *p[1] = {path};
    memset(err, 0, sizeof *err);
    return dyad_dict_open(p, 1, NULL, d, err);
}

/* Tokens from "form/lemma form/lemma ..." (the buffer is modified and must outlive them). */
static size_t tokens(char *s, dyad_token *t, size_t max)
{
    size_t n = 0;
    for (char *w = strtok(s, " "); w && n < max; w = strtok(NULL, " ")) {
        memset(&t[n], 0, sizeof t[n]);
        char *sl = strrchr(w, '/');
        if (sl && sl != w && sl[1]) {
            *sl = 0;
            t[n].lemma = dyad__cstr(sl + 1);
        }
        t[n].form = dyad__cstr(w);
        n++;
    }
    return n;
}

/* A digest of every hit at every position of a sentence, for comparing two dictionaries. */
static void digest(const dyad_dict *d, const char *sentence, const char *date, char *out,
                   size_t cap)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", sentence);
    dyad_token t[64];
    size_t n = tokens(buf, t, 64);
    size_t k = 0;
    out[0] = 0;
    for (size_t i = 0; i < n; i++) {
        dyad__dict_hit h[16];
        size_t nh = dyad__dict_lookup(d, t, n, i, dyad__cstr(date), h, 16);
        for (size_t j = 0; j < nh && k + 1 < cap; j++) {
            int w = snprintf(out + k, cap - k, "%zu:%u:%u:%u:%x:%.*s:%.*s:%.*s;", i, h[j].ntokens,
                             h[j].entry, h[j].kind, h[j].flags, (int)h[j].code.len,
                             h[j].code.ptr, (int)h[j].name.len, h[j].name.ptr,
                             (int)h[j].country.len, h[j].country.ptr);
            if (w < 0)
                break;
            k += (size_t)w;
            if (k >= cap)
                k = cap - 1;
        }
    }
}

static const char *const sentences[] = {
    "Russian/Russian Deputy/Deputy Foreign/Foreign Minister/Minister Sergei/Sergei "
    "Ryabkov/Ryabkov met/meet Tom/Tom Shannon/Shannon in/in Washington/Washington",
    "Vladimir/Vladimir Putin/Putin said/say the/the Kremlin/Kremlin would/will retaliate/retaliate",
    "United/United States/State President/President Donald/Donald Trump/Trump and/and "
    "U.N./U.N. Secretary-General/Secretary-General",
    "Israeli/Israeli troops/troop attacked/attack Hamas/Hamas gunmen/gunman in/in "
    "Gaza/Gaza City/City",
    "the/the foreign/foreign ministers/minister of/of Iran/Iran and/and Iraq/Iraq",
    "Amnesty/Amnesty International/International and/and the/the Red/Red Cross/Cross",
    "human/human rights/right activists/activist and/and police/police",
    "World/World Cup/Cup goalkeeper/goalkeeper",
    "Boutros-Ghali/Boutros-Ghali and/and Reagan/Reagan in/in Buenos/Buenos Aires/Aires",
    "Smeagol/Smeagol the/the ambassador/ambassador",
};

static void compare(const char *name, const dyad_dict *a, const dyad_dict *b)
{
    static const char *const dates[] = {"", "1990-06-01", "2017-07-18"};
    bool same = true;
    char da[8192], db[8192];
    for (size_t s = 0; s < sizeof sentences / sizeof *sentences; s++)
        for (size_t k = 0; k < 3; k++) {
            digest(a, sentences[s], dates[k], da, sizeof da);
            digest(b, sentences[s], dates[k], db, sizeof db);
            if (strcmp(da, db) != 0)
                same = false;
        }
    static const char *const keys[] = {"meet", "said", "broke", "accept", "add", "say", "ask"};
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
        const uint32_t *ia, *ib;
        size_t na = dyad__dict_patterns(a, dyad__cstr(keys[i]), &ia);
        size_t nb = dyad__dict_patterns(b, dyad__cstr(keys[i]), &ib);
        if (na != nb || (na && memcmp(ia, ib, na * sizeof *ia) != 0))
            same = false;
    }
    T_CHECK(name, same);
}

/* ---------------------------------------------------------------- formats without ../shared */

static void test_tabari(void)
{
    char p[3][300];
    snprintf(p[0], sizeof p[0], "test/fixtures/dict/sample.actors");
    snprintf(p[1], sizeof p[1], "test/fixtures/dict/sample.agents");
    snprintf(p[2], sizeof p[2], "test/fixtures/dict/sample.verbs");
    const char *paths[3] = {p[0], p[1], p[2]};
    dyad_dict *d = NULL;
    dyad_error err;
    memset(&err, 0, sizeof err);
    dyad_status st = dyad_dict_open(paths, 3, NULL, &d, &err);
    T_CHECK("tabari: the three sample files load", st == DYAD_OK);
    if (st) {
        printf("  (%s)\n", err.msg);
        return;
    }
    dyad_dict_file_info fi[3];
    bool formats = dyad_dict_nfiles(d) == 3;
    for (size_t i = 0; formats && i < 3; i++)
        formats = dyad_dict_file(d, i, &fi[i]) == DYAD_OK && fi[i].unread == 0;
    T_CHECK("tabari: formats detected",
            formats && strcmp(fi[0].format, "tabari-actors") == 0 &&
                strcmp(fi[1].format, "tabari-agents") == 0 &&
                strcmp(fi[2].format, "tabari-verbs") == 0);
    T_CHECK("tabari: lines after ~FINISH are not entries",
            formats && fi[0].entries[DYAD_DICT_KIND_PACTOR] == 10 &&
                fi[0].entries[DYAD_DICT_KIND_WORD] == 2);

    char s1[] = "Boutros-Ghali/Boutros-Ghali", s2[] = "Reagan/Reagan", s3[] = "Georgia/Georgia",
         s4[] = "East/East Germany/Germany", s5[] = "headquarters/headquarters";
    dyad_token t[8];
    dyad__dict_hit h[4];
    size_t n = tokens(s1, t, 8);
    size_t nh = dyad__dict_lookup(d, t, n, 0, dyad__cstr("1990-06-01"), h, 4);
    T_CHECK("tabari: <date restriction", nh == 1 && dyad__slice_eq(h[0].code, "EGY"));
    nh = dyad__dict_lookup(d, t, n, 0, dyad__cstr("1995-06-01"), h, 4);
    T_CHECK("tabari: range restriction", nh == 1 && dyad__slice_eq(h[0].code, "UNO"));
    nh = dyad__dict_lookup(d, t, n, 0, dyad__cstr("2005-06-01"), h, 4);
    T_CHECK("tabari: final default", nh == 1 && dyad__slice_eq(h[0].code, "EGY"));
    n = tokens(s2, t, 8);
    nh = dyad__dict_lookup(d, t, n, 0, dyad__cstr("1990-06-01"), h, 4);
    T_CHECK("tabari: [###] restriction discards",
            nh == 1 && (h[0].flags & DYAD__DF_DISCARD) && dyad__slice_eq(h[0].code, "###"));
    nh = dyad__dict_lookup(d, t, n, 0, dyad__cstr("1985-06-01"), h, 4);
    T_CHECK("tabari: default before the discard date",
            nh == 1 && dyad__slice_eq(h[0].code, "USA") && !(h[0].flags & DYAD__DF_DISCARD));
    n = tokens(s3, t, 8);
    nh = dyad__dict_lookup(d, t, n, 0, dyad__cstr(""), h, 4);
    T_CHECK("tabari: [+++] complex", nh == 1 && (h[0].flags & DYAD__DF_COMPLEX));
    n = tokens(s4, t, 8);
    nh = dyad__dict_lookup(d, t, n, 0, dyad__cstr("1995-01-01"), h, 4);
    T_CHECK("tabari: single restriction has a null default",
            nh == 1 && h[0].ntokens == 2 && (h[0].flags & DYAD__DF_NULL));
    n = tokens(s5, t, 8);
    nh = dyad__dict_lookup(d, t, n, 0, dyad__cstr(""), h, 4);
    T_CHECK("tabari: <NOUN> words", nh == 1 && h[0].kind == DYAD__DK_WORD &&
                                        dyad__slice_eq(h[0].code, "NOUN"));

    const uint32_t *idx;
    size_t np = dyad__dict_patterns(d, dyad__cstr("broken"), &idx);
    dyad__pattern pa, pb;
    T_CHECK("tabari: forms line {BROKE_ BROKEN_} and longest pattern first",
            np == 2 && dyad__dict_pattern(d, idx[0], &pa) && dyad__dict_pattern(d, idx[1], &pb) &&
                dyad__slice_eq(pa.code, "902") && dyad__slice_eq(pb.code, "161"));
    uint16_t fl;
    dyad_slice c = dyad__dict_verb_code(d, dyad__cstr("said"), &fl);
    T_CHECK("tabari: subordinate code", dyad__slice_eq(c, "023?") && (fl & DYAD__PF_SUBORD));
    c = dyad__dict_verb_code(d, dyad__cstr("flew"), &fl);
    T_CHECK("tabari: verb without a code is null",
            dyad__slice_eq(c, "---") && (fl & DYAD__PF_NULL));
    np = dyad__dict_patterns(d, dyad__cstr("flew"), &idx);
    dyad__pelem e[4];
    bool elems = np == 1 && dyad__dict_pattern(d, idx[0], &pa) && pa.nelems == 4;
    for (uint32_t k = 0; elems && k < 4; k++)
        elems = dyad__dict_elem(d, idx[0], k, &e[k]);
    T_CHECK("tabari: $ * TO + [032:033]",
            elems && e[0].type == DYAD__PE_SOURCE && e[1].type == DYAD__PE_VERB &&
                e[2].type == DYAD__PE_WORD && dyad__slice_eq(e[2].word, "to") &&
                e[3].type == DYAD__PE_TARGET && (pa.flags & DYAD__PF_PAIRED) &&
                dyad__slice_eq(pa.code1, "032") && dyad__slice_eq(pa.code2, "033"));
    np = dyad__dict_patterns(d, dyad__cstr("break"), &idx);
    bool setok = np == 2 && dyad__dict_pattern(d, idx[0], &pa);
    uint32_t set = dyad__dict_set_find(d, dyad__cstr("&TIETYPES"));
    setok = setok && set != UINT32_MAX && dyad__dict_elem(d, idx[0], 1, &e[0]) &&
            e[0].type == DYAD__PE_SET && e[0].set == set &&
            dyad__dict_set_has(d, set, dyad__cstr("Cultural")) &&
            !dyad__dict_set_has(d, set, dyad__cstr("political"));
    T_CHECK("tabari: synset element and membership", setok);
    dyad_dict_free(d);
}

static void test_phrase_patterns(void)
{
    char p[300];
    path_in(p, sizeof p, "cameo2.verbs.txt");
    const char text[] = "# PETRARCH-2 verb patterns\n"
                        "&PARTY\n+PARTY\n+MOVEMENT_\n\n"
                        "--- ADD   [---]  ---\n"
                        "ADD  # a comment\n"
                        "+ADD_ON {+ADDS_ON +ADDED_ON +ADDING_ON} [060]\n"
                        "- * (TO {BANNED &PARTY}) $      [1722]   # ADD\n"
                        "- * SANCTIONS                   [163]    # ADD\n"
                        "- * (TO)                        [:173]\n"
                        "~ a (a b ATTACK) SAY = a b 015\n";
    write_file(p, text, sizeof text - 1);
    dyad_dict *d = NULL;
    dyad_error err;
    dyad_status st = open1(p, &d, &err);
    T_CHECK("petrarch2: phrase patterns load", st == DYAD_OK);
    if (st)
        return;
    dyad_dict_file_info fi;
    T_CHECK("petrarch2: format and counts",
            dyad_dict_file(d, 0, &fi) == DYAD_OK && strcmp(fi.format, "petrarch2-verbs") == 0 &&
                fi.patterns == 3 && fi.verbs == 2 && fi.transforms == 1 && fi.unread == 0);
    const uint32_t *idx;
    size_t np = dyad__dict_patterns(d, dyad__cstr("add"), &idx);
    dyad__pattern pa;
    dyad__pelem e[8];
    bool ok = np == 3 && dyad__dict_pattern(d, idx[0], &pa) && pa.nelems == 8;
    for (uint32_t k = 0; ok && k < 8; k++)
        ok = dyad__dict_elem(d, idx[0], k, &e[k]);
    T_CHECK("petrarch2: * (TO {BANNED &PARTY}) $",
            ok && pa.style == DYAD__PS_PHRASE && dyad__slice_eq(pa.code, "1722") &&
                e[0].type == DYAD__PE_VERB && e[1].type == DYAD__PE_PREP &&
                dyad__slice_eq(e[1].word, "to") && e[2].type == DYAD__PE_GROUP &&
                e[3].type == DYAD__PE_WORD && dyad__slice_eq(e[3].word, "banned") &&
                e[4].type == DYAD__PE_SET && e[5].type == DYAD__PE_END &&
                e[6].type == DYAD__PE_END && e[7].type == DYAD__PE_SOURCE);
    bool last = np == 3 && dyad__dict_pattern(d, idx[2], &pa);
    T_CHECK("petrarch2: [:173] pairs an empty code with 173",
            last && dyad__slice_eq(pa.code, ":173") && pa.code1.len == 0 &&
                dyad__slice_eq(pa.code2, "173"));
    const uint32_t *vi;
    size_t nv = dyad__dict_verbs(d, dyad__cstr("added"), &vi);
    dyad__verb v;
    T_CHECK("petrarch2: multi-word verb +ADD_ON and its forms",
            nv == 1 && dyad__dict_verb(d, vi[0], &v) && dyad__slice_eq(v.key, "add") &&
                dyad__slice_eq(v.particle, "on") && dyad__slice_eq(v.code, "060"));
    uint32_t set = dyad__dict_set_find(d, dyad__cstr("party"));
    char s1[] = "parties/party", s2[] = "movements/movement";
    dyad_token t[2];
    size_t n1 = tokens(s1, t, 1);
    bool plural = set != UINT32_MAX && dyad__dict_set_match(d, set, t, n1, 0) == 1;
    size_t n2 = tokens(s2, t, 1);
    bool none = set != UINT32_MAX && dyad__dict_set_match(d, set, t, n2, 0) == 0;
    T_CHECK("petrarch2: set member by lemma; a member ending in '_' has no plural",
            plural && none && dyad__dict_set_has(d, set, dyad__cstr("movement")));
    dyad_dict_free(d);
}

static void test_dyad_verbs_and_cameo(void)
{
    char p[300];
    path_in(p, sizeof p, "verbs.txt");
    const char text[] = "set sanction: sanction; embargo\n"
                        "163  impose &sanction on T\n"
                        "0874 return T's property\n"
                        "138  threaten to retaliate\n"
                        "040  cut_off T\n";
    write_file(p, text, sizeof text - 1);
    const char *paths[2] = {p, "test/fixtures/dict/cameo.txt"};
    dyad_dict *d = NULL;
    dyad_error err;
    memset(&err, 0, sizeof err);
    dyad_status st = dyad_dict_open(paths, 2, NULL, &d, &err);
    T_CHECK("dyad verbs: load with a code table", st == DYAD_OK);
    if (st)
        return;
    const uint32_t *idx;
    dyad__pattern pa;
    dyad__pelem e[4];
    size_t np = dyad__dict_patterns(d, dyad__cstr("impose"), &idx);
    bool ok = np == 1 && dyad__dict_pattern(d, idx[0], &pa) && pa.nelems == 3 &&
              dyad__dict_elem(d, idx[0], 0, &e[0]) && dyad__dict_elem(d, idx[0], 1, &e[1]) &&
              dyad__dict_elem(d, idx[0], 2, &e[2]);
    T_CHECK("dyad verbs: impose &sanction on T",
            ok && pa.style == DYAD__PS_TREE && e[0].type == DYAD__PE_SET &&
                e[0].set == dyad__dict_set_find(d, dyad__cstr("sanction")) &&
                e[1].type == DYAD__PE_PREP && dyad__slice_eq(e[1].word, "on") &&
                e[2].type == DYAD__PE_TARGET);
    np = dyad__dict_patterns(d, dyad__cstr("return"), &idx);
    ok = np == 1 && dyad__dict_pattern(d, idx[0], &pa) && dyad__dict_elem(d, idx[0], 0, &e[0]) &&
         dyad__dict_elem(d, idx[0], 1, &e[1]);
    T_CHECK("dyad verbs: T's possessor", ok && e[0].type == DYAD__PE_TARGET_POSS &&
                                             e[1].type == DYAD__PE_WORD &&
                                             dyad__slice_eq(pa.file, p) && pa.line == 3);
    np = dyad__dict_patterns(d, dyad__cstr("cut"), &idx);
    T_CHECK("dyad verbs: phrasal verb cut_off",
            np == 1 && dyad__dict_pattern(d, idx[0], &pa) && dyad__slice_eq(pa.particle, "off"));
    double g = 0;
    int q = 0;
    dyad_slice name;
    T_CHECK("cameo: code table row",
            dyad__dict_cameo(d, dyad__cstr("163"), &g, &q, &name) && g == -8.0 && q == 4 &&
                dyad__slice_eq(name, "Impose embargo, boycott, or sanctions"));
    T_CHECK("cameo: unknown code", !dyad__dict_cameo(d, dyad__cstr("1634"), NULL, NULL, NULL));
    bool unpat = false;
    for (size_t i = 0; dyad_dict_unpatterned(d, i); i++)
        if (strcmp(dyad_dict_unpatterned(d, i), "041") == 0)
            unpat = true;
    T_CHECK("cameo: codes without patterns listed", unpat);
    dyad_dict_free(d);
}

/* ---------------------------------------------------------------- compiled files */

static size_t count_cached(const char *cache)
{
    char cmd[400], line[64] = "";
    snprintf(cmd, sizeof cmd, "ls '%s' | grep -c '^dyad-dict-.*\\.bin$'", cache);
    FILE *pp = popen(cmd, "r");
    if (!pp)
        return 0;
    if (!fgets(line, sizeof line, pp))
        line[0] = 0;
    pclose(pp);
    return (size_t)atoi(line);
}

/* The cache keeps the few most recently used compiled dictionaries, not every one ever made. */
static void test_cache_pruning(void)
{
    char cache[300], dict[12][400];
    path_in(cache, sizeof cache, "cache-prune");
    mkdir(cache, 0700);
    dyad_error err;
    memset(&err, 0, sizeof err);
    bool opened = true;
    for (int i = 0; i < 12; i++) {   /* twelve different dictionaries: twelve keys */
        char name[32], text[200];
        snprintf(name, sizeof name, "prune-%d.txt", i);
        path_in(dict[i], sizeof dict[i], name);
        snprintf(text, sizeof text, "country: Testland%d\n  code: T%02d\n", i, i);
        write_file(dict[i], text, strlen(text));
        const char *p[1] = {dict[i]};
        dyad_dict *d = NULL;
        opened = opened && dyad_dict_open(p, 1, cache, &d, &err) == DYAD_OK;
        dyad_dict_free(d);
        if (i == 1) {   /* the first one is used again, so it is recent */
            const char *p0[1] = {dict[0]};
            opened = opened && dyad_dict_open(p0, 1, cache, &d, &err) == DYAD_OK;
            dyad_dict_free(d);
        }
        if (i >= 1 && i < 8) {   /* keep it recent until four newer ones come */
            const char *p0[1] = {dict[0]};
            opened = opened && dyad_dict_open(p0, 1, cache, &d, &err) == DYAD_OK && d->c.mapped;
            dyad_dict_free(d);
        }
    }
    T_CHECK("cache: twelve dictionaries compile through the cache", opened);
    size_t n = count_cached(cache);
    T_CHECK("cache: only the 8 most recently used compiled files are kept", n == 8);
    /* the newest is still cached: opening it again maps the cached file */
    const char *p11[1] = {dict[11]};
    dyad_dict *d = NULL;
    T_CHECK("cache: the newest is kept",
            dyad_dict_open(p11, 1, cache, &d, &err) == DYAD_OK && d && d->c.mapped);
    dyad_dict_free(d);
    /* dict 0 was used after dicts 1-7 were made: the least recently used went first */
    const char *p0[1] = {dict[0]}, *p1[1] = {dict[1]};
    d = NULL;
    T_CHECK("cache: a recently reused entry is kept (least recently used go first)",
            dyad_dict_open(p0, 1, cache, &d, &err) == DYAD_OK && d && d->c.mapped);
    dyad_dict_free(d);
    d = NULL;
    T_CHECK("cache: an old entry was removed (compiled again, not mapped)",
            dyad_dict_open(p1, 1, cache, &d, &err) == DYAD_OK && d && !d->c.mapped);
    dyad_dict_free(d);
}

/* The pattern filter never rejects a pattern whose literal words are all in the sentence,
 * and rejects one whose words are missing. */
static void test_word_filter(void)
{
    const char *paths[1] = {"dict"};
    dyad_dict *d = NULL;
    dyad_error err;
    memset(&err, 0, sizeof err);
    if (dyad_dict_open(paths, 1, NULL, &d, &err) != DYAD_OK) {
        T_CHECK("filter: the shipped dictionaries open", false);
        return;
    }
    size_t tried = 0, with_words = 0, kept = 0, rejected = 0;
    static const char *const keys[] = {"accuse", "urge", "call", "meet", "sign", NULL};
    for (const char *const *key = keys; *key; key++) {
        const uint32_t *idx;
        size_t np = dyad__dict_patterns(d, dyad__cstr(*key), &idx);
        for (size_t k = 0; k < np; k++) {
            dyad__pattern pat;
            if (!dyad__dict_pattern(d, idx[k], &pat) || pat.style != DYAD__PS_TREE)
                continue;
            uint64_t all[DYAD__MASK_WORDS] = {0}, none[DYAD__MASK_WORDS] = {0};
            size_t nwords = 0;
            for (uint32_t e = 0; e < pat.nelems; e++) {
                dyad__pelem el;
                if (dyad__dict_elem(d, idx[k], e, &el) && el.type == DYAD__PE_WORD) {
                    dyad__word_mask_add(all, el.word);
                    nwords++;
                } else if (el.type == DYAD__PE_SET && el.set != UINT32_MAX) {
                    dyad__set_mask_add(all, el.set);
                    nwords++;
                }
            }
            tried++;
            kept += dyad__dict_pattern_may_match(d, idx[k], all);
            if (nwords) {
                with_words++;
                rejected += !dyad__dict_pattern_may_match(d, idx[k], none);
            }
        }
    }
    printf("# filter: %zu tree patterns, %zu with literal words or sets\n", tried, with_words);
    T_CHECK("filter: a pattern whose words and sets are all in the sentence is always tried",
            tried > 0 && kept == tried);
    T_CHECK("filter: a pattern whose words or sets are missing is never tried",
            with_words > 0 && rejected == with_words);
    /* a word of a set brings the set's bucket: `hold &meeting` is tried on "held a summit" */
    uint32_t meeting = dyad__dict_set_find(d, dyad__cstr("meeting"));
    uint64_t summit[DYAD__MASK_WORDS] = {0}, plain[DYAD__MASK_WORDS] = {0},
             with_set[DYAD__MASK_WORDS] = {0};
    dyad__dict_word_mask_add(d, summit, dyad__cstr("summit"));
    dyad__word_mask_add(plain, dyad__cstr("summit"));
    if (meeting != UINT32_MAX)
        dyad__set_mask_add(with_set, meeting);
    bool has_bucket = true;
    for (int i = 0; i < DYAD__MASK_WORDS; i++)
        has_bucket = has_bucket && (summit[i] & with_set[i]) == with_set[i] &&
                     (summit[i] & plain[i]) == plain[i];
    T_CHECK("filter: a member of a set adds the set's bucket",
            meeting != UINT32_MAX && dyad__dict_set_has(d, meeting, dyad__cstr("summit")) &&
            has_bucket);
    /* ASCII case does not matter, as in the coder's comparison */
    uint64_t lower[DYAD__MASK_WORDS] = {0}, upper[DYAD__MASK_WORDS] = {0};
    dyad__word_mask_add(lower, dyad__cstr("against"));
    dyad__word_mask_add(upper, dyad__cstr("AGAINST"));
    T_CHECK("filter: words are bucketed without ASCII case",
            memcmp(lower, upper, sizeof lower) == 0);
    dyad_dict_free(d);
}

static void test_compiled(void)
{
    const char *paths[3] = {"test/fixtures/dict/sample.actors", "test/fixtures/dict/sample.agents",
                            "test/fixtures/dict/sample.verbs"};
    char out[300], cache[300], bad[300];
    path_in(out, sizeof out, "sample.dict");
    path_in(cache, sizeof cache, "cache");
    mkdir(cache, 0700);
    dyad_error err;
    memset(&err, 0, sizeof err);
    dyad_status st = dyad_dict_compile(paths, 3, out, &err);
    T_CHECK("compile: writes a file", st == DYAD_OK && access(out, F_OK) == 0);
    dyad_dict *text = NULL, *bin = NULL, *c1 = NULL, *c2 = NULL;
    dyad_dict_open(paths, 3, NULL, &text, &err);
    st = open1(out, &bin, &err);
    T_CHECK("compile: the compiled file opens", st == DYAD_OK && bin);
    if (text && bin)
        compare("compile: same look-ups from text and from the compiled file", text, bin);
    /* the cache: a second open uses the cached file */
    st = dyad_dict_open(paths, 3, cache, &c1, &err);
    char cached[400] = "";
    size_t ncached = 0;
    {
        char cmd[400];
        snprintf(cmd, sizeof cmd, "ls '%s' | grep -c '^dyad-dict-.*\\.bin$'", cache);
        FILE *pp = popen(cmd, "r");
        if (pp) {
            if (fgets(cached, sizeof cached, pp))
                ncached = (size_t)atoi(cached);
            pclose(pp);
        }
    }
    T_CHECK("cache: the compiled form is written to the cache", st == DYAD_OK && ncached == 1);
    st = dyad_dict_open(paths, 3, cache, &c2, &err);
    T_CHECK("cache: reopened from the cache (mapped)", st == DYAD_OK && c2 && c2->c.mapped);
    if (text && c2)
        compare("cache: same look-ups from the cache", text, c2);
    dyad_dict_free(c1);
    dyad_dict_free(c2);

    size_t n = 0;
    unsigned char *b = read_all(out, &n);
    dyad_dict *d = NULL;
    if (b && n > 200) {
        path_in(bad, sizeof bad, "truncated.dict");
        write_file(bad, b, n / 2);
        st = open1(bad, &d, &err);
        T_CHECK("compiled: truncated file -> DYAD_ECORRUPT", st == DYAD_ECORRUPT && !d &&
                                                                 strstr(err.msg, "truncated"));
        path_in(bad, sizeof bad, "flipped.dict");
        b[n / 2] ^= 0x20;
        write_file(bad, b, n);
        b[n / 2] ^= 0x20;
        st = open1(bad, &d, &err);
        T_CHECK("compiled: a flipped byte -> DYAD_ECORRUPT",
                st == DYAD_ECORRUPT && !d && strstr(err.msg, "checksum"));
        path_in(bad, sizeof bad, "version.dict");
        b[8] ^= 0x7f;
        write_file(bad, b, n);
        b[8] ^= 0x7f;
        st = open1(bad, &d, &err);
        T_CHECK("compiled: another format version -> DYAD_EVERSION",
                st == DYAD_EVERSION && !d && strstr(err.msg, "compile it again"));
        path_in(bad, sizeof bad, "tiny.dict");
        write_file(bad, b, 12);
        st = open1(bad, &d, &err);
        T_CHECK("compiled: a 12-byte file -> DYAD_ECORRUPT", st == DYAD_ECORRUPT && !d);
    } else {
        T_CHECK("compiled: read back the compiled file", false);
    }

    /* checksum-valid but inconsistent tables: every section copied, one index broken */
    if (b) {
        dyad__container c;
        st = dyad__container_from_memory(b, n, false, "x", DYAD_DICT_MAGIC, DYAD_DICT_FORMAT,
                                         "dictionary", &c, &err);
        static const char *const names[] = {"meta", "str", "file", "ent", "role", "node",
                                            "edge", "term", "root", "pat", "elem", "verb",
                                            "block", "vkey", "vslot", "vlist", "set", "sslot",
                                            "cameo", "unpat"};
        dyad__mw *w = dyad__mw_new();
        bool built = st == DYAD_OK && w;
        for (size_t i = 0; built && i < sizeof names / sizeof *names; i++) {
            size_t sz;
            const void *sec = dyad__container_section(&c, names[i], &sz);
            void *copy = malloc(sz ? sz : 1);
            if (!copy || !sec) {
                free(copy);
                built = false;
                break;
            }
            memcpy(copy, sec, sz);
            if (strcmp(names[i], "edge") == 0 && sz >= sizeof(dyad__dedge))
                ((dyad__dedge *)copy)[0].child = 0xFFFFFF;   /* beyond the nodes */
            built = dyad__mw_add(w, names[i], copy, sz) == DYAD_OK;
            free(copy);
        }
        unsigned char *nb = NULL;
        size_t nn = 0;
        if (built && dyad__mw_serialise_as(w, DYAD_DICT_MAGIC, DYAD_DICT_FORMAT, &nb, &nn) == 0) {
            path_in(bad, sizeof bad, "inconsistent.dict");
            write_file(bad, nb, nn);
            free(nb);
            st = open1(bad, &d, &err);
            T_CHECK("compiled: valid checksum, index out of range -> DYAD_ECORRUPT",
                    st == DYAD_ECORRUPT && !d && strstr(err.msg, "damaged"));
        } else {
            T_CHECK("compiled: build an inconsistent file", false);
        }
        dyad__mw_free(w);
        if (st == DYAD_OK || st == DYAD_ECORRUPT)
            dyad__container_close(&c);
    }
    free(b);

    /* a model file passed as a dictionary */
    dyad__mw *w = dyad__mw_new();
    path_in(bad, sizeof bad, "model.bin");
    if (w && dyad__mw_add(w, "tagger", "abc", 3) == 0 && dyad__mw_write(w, bad, &err) == 0) {
        st = open1(bad, &d, &err);
        T_CHECK("compiled: a model file -> DYAD_EVERSION",
                st == DYAD_EVERSION && !d && strstr(err.msg, "not a dictionary"));
    } else {
        T_CHECK("compiled: write a model file", false);
    }
    dyad__mw_free(w);

    path_in(bad, sizeof bad, "empty.txt");
    write_file(bad, "", 0);
    st = open1(bad, &d, &err);
    T_CHECK("text: an empty file -> DYAD_EFORMAT", st == DYAD_EFORMAT && !d &&
                                                       strstr(err.msg, "empty"));
    path_in(bad, sizeof bad, "binary.txt");
    write_file(bad, "\x01\x02\x00\xff garbage", 12);
    st = open1(bad, &d, &err);
    T_CHECK("text: binary data -> DYAD_EFORMAT", st == DYAD_EFORMAT && !d);
    path_in(bad, sizeof bad, "missing.txt");
    st = open1(bad, &d, &err);
    T_CHECK("text: a missing file -> DYAD_ENOTFOUND", st == DYAD_ENOTFOUND && !d);
    const char *mixed[2] = {out, "test/fixtures/dict/sample.agents"};
    st = dyad_dict_open(mixed, 2, NULL, &d, &err);
    T_CHECK("compiled with text -> DYAD_EINVAL", st == DYAD_EINVAL && !d);
    dyad_dict_free(text);
    dyad_dict_free(bin);
    dyad_dict_free(NULL);
}

/* ---------------------------------------------------------------- ../shared */

static const char *const shared_files[] = {
    "CAMEO.2.0.txt",
    "CAMEO.verbpatterns.150430.txt",
    "PETR.Validate.actors.txt",
    "PETR.Validate.agents.txt",
    "PETR.Validate.discards.txt",
    "PETR.Validate.verbs.txt",
    "Phoenix.Countries.actors.txt",
    "Phoenix.International.actors.txt",
    "Phoenix.IssueCoding.txt",
    "Phoenix.MilNonState.actors.txt",
    "Phoenix.agents.txt",
    "Phoenix.discards.txt",
    "Phoenix.prepositions.txt",
};

static unsigned long total(const dyad_dict_file_info *f)
{
    unsigned long n = f->patterns + f->verbs + f->codes;
    for (int k = 1; k < DYAD_DICT_KIND_COUNT; k++)
        n += f->entries[k];
    return n;
}

static void test_shared(const char *shared)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s/petrarch2/dictionaries", shared);
    if (access(dir, R_OK) != 0) {
        T_SKIP("shared dictionaries", "../shared/petrarch2/dictionaries is missing");
        return;
    }
    for (size_t i = 0; i < sizeof shared_files / sizeof *shared_files; i++) {
        char p[700], name[200];
        snprintf(p, sizeof p, "%s/%s", dir, shared_files[i]);
        snprintf(name, sizeof name, "shared: %s loads, every line read, entries > 0",
                 shared_files[i]);
        dyad_dict *d = NULL;
        dyad_error err;
        dyad_status st = open1(p, &d, &err);
        dyad_dict_file_info f;
        bool ok = st == DYAD_OK && dyad_dict_file(d, 0, &f) == DYAD_OK && f.unread == 0 &&
                  total(&f) > 0;
        T_CHECK(name, ok);
        if (!ok && st)
            printf("  (%s)\n", err.msg);
        dyad_dict_free(d);
    }
    /* the Phoenix set together, compiled and reopened */
    const char *ph[5];
    char pp[5][700];
    const char *names[5] = {"Phoenix.Countries.actors.txt", "Phoenix.International.actors.txt",
                            "Phoenix.MilNonState.actors.txt", "Phoenix.agents.txt",
                            "CAMEO.2.0.txt"};
    for (int i = 0; i < 5; i++) {
        snprintf(pp[i], sizeof pp[i], "%s/%s", dir, names[i]);
        ph[i] = pp[i];
    }
    dyad_dict *text = NULL, *bin = NULL;
    dyad_error err;
    memset(&err, 0, sizeof err);
    char out[300];
    path_in(out, sizeof out, "phoenix.dict");
    dyad_status st = dyad_dict_open(ph, 5, NULL, &text, &err);
    T_CHECK("shared: Phoenix actors + agents + CAMEO.2.0 load together", st == DYAD_OK);
    st = dyad_dict_compile(ph, 5, out, &err);
    T_CHECK("shared: compiled", st == DYAD_OK);
    st = open1(out, &bin, &err);
    T_CHECK("shared: compiled file opens", st == DYAD_OK);
    if (text && bin) {
        compare("shared: same look-ups from text and compiled Phoenix", text, bin);
        char s[] = "Russian/Russian President/President Vladimir/Vladimir Putin/Putin";
        dyad_token t[8];
        dyad__dict_hit h[8];
        size_t n = tokens(s, t, 8);
        size_t nh = dyad__dict_lookup(bin, t, n, 0, dyad__cstr("2017-07-18"), h, 8);
        T_CHECK("shared: Phoenix 'Russian President Vladimir Putin' at 2017-07-18 is RUSGOV",
                nh >= 1 && h[0].ntokens == 4 && dyad__slice_eq(h[0].code, "RUSGOV"));
        nh = dyad__dict_lookup(bin, t, n, 3, dyad__cstr("1995-01-01"), h, 8);
        T_CHECK("shared: Phoenix 'Putin' in 1995 is RUSELI",
                nh >= 1 && dyad__slice_eq(h[0].code, "RUSELI"));
        char s2[] = "Foreign/Foreign Ministers/minister";
        n = tokens(s2, t, 8);
        nh = dyad__dict_lookup(bin, t, n, 0, dyad__cstr(""), h, 8);
        T_CHECK("shared: Phoenix agent 'Foreign Ministers' is ~GOV",
                nh >= 1 && h[0].ntokens == 2 && h[0].kind == DYAD__DK_PAGENT &&
                    dyad__slice_eq(h[0].code, "GOV") && (h[0].flags & DYAD__DF_SUFFIX));
        char s3[] = "Leonid/Leonid Ilyich/Ilyich Brezhnev/Brezhnev";
        n = tokens(s3, t, 8);
        nh = dyad__dict_lookup(bin, t, n, 0, dyad__cstr("1975-01-01"), h, 8);
        T_CHECK("shared: names stacked without '+' share the codes below them (Brezhnev)",
                nh >= 1 && h[0].ntokens == 3 && dyad__slice_eq(h[0].code, "RUSGOV"));
        uint16_t fl;
        dyad_slice code = dyad__dict_verb_code(bin, dyad__cstr("said"), &fl);
        T_CHECK("shared: CAMEO.2.0 'said' is a form of SAY [010]", dyad__slice_eq(code, "010"));
    }
    dyad_dict_free(text);
    dyad_dict_free(bin);
}

int main(int argc, char **argv)
{
    const char *shared = argc > 1 ? argv[1] : "../shared";
    snprintf(tmp, sizeof tmp, "/tmp/dyad-dict-load-XXXXXX");
    if (!mkdtemp(tmp)) {
        printf("FAIL dict_load: cannot make a temporary directory\n");
        return 1;
    }
    test_tabari();
    test_phrase_patterns();
    test_dyad_verbs_and_cameo();
    test_compiled();
    test_cache_pruning();
    test_word_filter();
    test_shared(shared);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    if (system(cmd) != 0)
        printf("SKIP dict_load cleanup: could not remove %s\n", tmp);
    T_DONE();
}
