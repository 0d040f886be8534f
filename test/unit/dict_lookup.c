/* dict_lookup.c - runs test/spec/lookup.txt: dictionary look-up semantics over small
 * dictionaries written inline, tokens given as form/lemma pairs (no model needed).
 *
 * Spec syntax (one directive per line, '#' lines are comments):
 *   dict                 start a new dictionary (its files follow)
 *   file NAME            the lines up to "end" are the file NAME of the dictionary
 *   case NAME            a look-up case; then:
 *     date YYYY-MM-DD      the article date (default: none)
 *     tokens F/L F/L ...   the sentence: form/lemma pairs (a bare form has no lemma)
 *     at N                 the start token (default 0)
 *     expect N KIND CODE [+flag ...]   one line per expected hit, in order ("-": empty
 *                                      code); "expect none" when nothing matches
 *   set NAME             instead of a look-up: the longest member of set NAME at "at";
 *     expect N             tokens covered (0: none)
 *   patterns KEY         the patterns of a predicate key, in priority order;
 *     expect CODE TEXT     one line per pattern
 *   verbcode KEY         the code of the bare verb; expect CODE
 */
#include "dict.h"
#include "t.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_TOKENS 64
#define MAX_EXPECT 16

typedef struct spec_case {
    char name[128];
    int type;                 /* 0 lookup, 1 set, 2 patterns, 3 verbcode */
    char arg[128];
    char date[16];
    char tokens[1024];
    int at;
    char expect[MAX_EXPECT][256];
    int nexpect;
    int line;
} spec_case;

static char tmpdir[256];
static char files[16][512];
static int nfiles;
static dyad_dict *dict;
static bool dict_failed;

/* Bounded copy (truncates). */
static void cpy(char *d, size_t cap, const char *s)
{
    size_t n = strlen(s);
    if (n >= cap)
        n = cap - 1;
    memcpy(d, s, n);
    d[n] = 0;
}

static void open_dict(void)
{
    dyad_dict_free(dict);
    dict = NULL;
    dict_failed = false;
    if (nfiles == 0)
        return;
    const char *paths[16];
    for (int i = 0; i < nfiles; i++)
        paths[i] = files[i];
    dyad_error err;
    memset(&err, 0, sizeof err);
    if (dyad_dict_open(paths, (size_t)nfiles, NULL, &dict, &err)) {
        printf("FAIL dictionary %s: %s\n", files[0], err.msg);
        t_failed++;
        dict_failed = true;
    }
}

static const char *kind_of(int k)
{
    const char *n = dyad_dict_kind_name(k);
    return n ? n : "?";
}

static void flag_names(uint16_t f, char *buf, size_t cap)
{
    static const struct {
        uint16_t bit;
        const char *name;
    } names[] = {{DYAD__DF_AMBIGUOUS, "ambiguous"}, {DYAD__DF_NULL, "null"},
                 {DYAD__DF_DISCARD, "discard"},     {DYAD__DF_COMPLEX, "complex"},
                 {DYAD__DF_COMPOUND, "compound"},   {DYAD__DF_PREFIX, "prefix"},
                 {DYAD__DF_SUFFIX, "suffix"},       {DYAD__DF_STORY, "story"},
                 {DYAD__DF_IGNORE, "ignore"},       {DYAD__DF_ALIAS, "alias"},
                 {DYAD__DF_LEMMA, "lemma"},         {DYAD__DF_PLURAL, "plural"}};
    buf[0] = 0;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (f & names[i].bit) {
            strncat(buf, " +", cap - strlen(buf) - 1);
            strncat(buf, names[i].name, cap - strlen(buf) - 1);
        }
}

/* Does the hit satisfy "N KIND CODE [+flag ...]"?  Flags listed must be set; others may be. */
static bool hit_matches(const dyad__dict_hit *h, const char *exp, char *got, size_t cap)
{
    char fl[200];
    flag_names(h->flags, fl, sizeof fl);
    snprintf(got, cap, "%u %s %.*s%s", h->ntokens, kind_of(h->kind),
             h->code.len ? (int)h->code.len : 1, h->code.len ? h->code.ptr : "-", fl);
    char buf[256];
    snprintf(buf, sizeof buf, "%s", exp);
    char *save = NULL;
    char *n = strtok_r(buf, " ", &save), *kind = strtok_r(NULL, " ", &save),
         *code = strtok_r(NULL, " ", &save);
    if (!n || !kind || !code)
        return false;
    if ((unsigned)atoi(n) != h->ntokens || strcmp(kind, kind_of(h->kind)) != 0)
        return false;
    if (strcmp(code, "-") == 0 ? h->code.len != 0
                               : (h->code.len != strlen(code) ||
                                  memcmp(h->code.ptr, code, h->code.len) != 0))
        return false;
    for (char *f = strtok_r(NULL, " ", &save); f; f = strtok_r(NULL, " ", &save)) {
        char want[40];
        snprintf(want, sizeof want, " %s", f);
        if (!strstr(fl, want))
            return false;
    }
    return true;
}

static int split_tokens(char *s, dyad_token *toks)
{
    int n = 0;
    char *save = NULL;
    for (char *w = strtok_r(s, " ", &save); w && n < MAX_TOKENS; w = strtok_r(NULL, " ", &save)) {
        memset(&toks[n], 0, sizeof toks[n]);
        char *slash = strrchr(w, '/');
        if (slash && slash != w && slash[1]) {
            *slash = 0;
            toks[n].lemma = dyad__slice(slash + 1, strlen(slash + 1));
        }
        toks[n].form = dyad__slice(w, strlen(w));
        n++;
    }
    return n;
}

static void run_case(spec_case *c)
{
    char name[200];
    snprintf(name, sizeof name, "lookup:%d %s", c->line, c->name);
    if (dict_failed || !dict) {
        printf("FAIL %s: no dictionary\n", name);
        t_failed++;
        return;
    }
    char why[2048] = "";
    bool ok = true;
    if (c->type == 0 || c->type == 1) {
        dyad_token toks[MAX_TOKENS];
        char tb[1024];
        snprintf(tb, sizeof tb, "%s", c->tokens);
        int n = split_tokens(tb, toks);
        if (c->type == 1) {
            uint32_t set = dyad__dict_set_find(dict, dyad__cstr(c->arg));
            size_t got = set == UINT32_MAX ? 0
                                           : dyad__dict_set_match(dict, set, toks, (size_t)n,
                                                                  (size_t)c->at);
            int want = c->nexpect ? atoi(c->expect[0]) : -1;
            if (set == UINT32_MAX && want != 0) {
                ok = false;
                snprintf(why, sizeof why, "no set %s", c->arg);
            } else if ((int)got != want) {
                ok = false;
                snprintf(why, sizeof why, "got %zu tokens, want %d", got, want);
            }
        } else {
            dyad__dict_hit hits[16];
            size_t nh = dyad__dict_lookup(dict, toks, (size_t)n, (size_t)c->at,
                                          dyad__cstr(c->date), hits, 16);
            bool none = c->nexpect == 1 && strcmp(c->expect[0], "none") == 0;
            size_t want = none ? 0 : (size_t)c->nexpect;
            char got[1024] = "", one[256];
            for (size_t i = 0; i < nh; i++) {
                hit_matches(&hits[i], "", one, sizeof one);
                strncat(got, i ? "; " : "", sizeof got - strlen(got) - 1);
                strncat(got, one, sizeof got - strlen(got) - 1);
            }
            if (nh != want)
                ok = false;
            for (size_t i = 0; ok && i < nh; i++)
                if (!hit_matches(&hits[i], c->expect[i], one, sizeof one))
                    ok = false;
            if (!ok)
                snprintf(why, sizeof why, "got [%s]", nh ? got : "none");
        }
    } else if (c->type == 2) {
        const uint32_t *idx;
        size_t n = dyad__dict_patterns(dict, dyad__cstr(c->arg), &idx);
        char got[1024] = "";
        for (size_t i = 0; i < n; i++) {
            dyad__pattern p;
            dyad__dict_pattern(dict, idx[i], &p);
            char one[256];
            snprintf(one, sizeof one, "%.*s %.*s", (int)p.code.len, p.code.ptr, (int)p.text.len,
                     p.text.ptr);
            strncat(got, i ? "; " : "", sizeof got - strlen(got) - 1);
            strncat(got, one, sizeof got - strlen(got) - 1);
            if ((int)i >= c->nexpect || strcmp(one, c->expect[i]) != 0)
                ok = false;
        }
        if ((int)n != c->nexpect)
            ok = false;
        if (!ok)
            snprintf(why, sizeof why, "got [%s]", got);
    } else {
        uint16_t fl;
        dyad_slice code = dyad__dict_verb_code(dict, dyad__cstr(c->arg), &fl);
        const char *want = c->nexpect ? c->expect[0] : "";
        if (code.len != strlen(want) || memcmp(code.ptr, want, code.len) != 0) {
            ok = false;
            snprintf(why, sizeof why, "got '%.*s'", (int)code.len, code.ptr);
        }
    }
    if (ok)
        printf("PASS %s\n", name);
    else {
        printf("FAIL %s: %s\n", name, why);
        t_failed++;
    }
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    FILE *f = fopen("test/spec/lookup.txt", "r");
    if (!f) {
        printf("FAIL lookup-spec: cannot open test/spec/lookup.txt (run from the repo root)\n");
        return 1;
    }
    snprintf(tmpdir, sizeof tmpdir, "/tmp/dyad-lookup-XXXXXX");
    if (!mkdtemp(tmpdir)) {
        printf("FAIL lookup-spec: cannot make a temporary directory\n");
        fclose(f);
        return 1;
    }
    char line[2048];
    int lineno = 0, dict_no = 0;
    FILE *out = NULL;
    spec_case c;
    bool have_case = false;
    bool dirty = false;   /* files written since the dictionary was opened */
    while (fgets(line, sizeof line, f)) {
        lineno++;
        size_t n = strlen(line);
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = 0;
        if (out) {
            if (strcmp(line, "end") == 0) {
                fclose(out);
                out = NULL;
            } else {
                fprintf(out, "%s\n", line);
            }
            continue;
        }
        if (n == 0 || line[0] == '#')
            continue;
        if (have_case && (strncmp(line, "case ", 5) == 0 || strcmp(line, "dict") == 0 ||
                          strncmp(line, "file ", 5) == 0)) {
            if (dirty) {
                open_dict();
                dirty = false;
            }
            run_case(&c);
            have_case = false;
        }
        if (strcmp(line, "dict") == 0) {
            nfiles = 0;
            dict_no++;
            dirty = true;
        } else if (strncmp(line, "file ", 5) == 0) {
            if (nfiles == 16)
                continue;
            char dir[300];
            snprintf(dir, sizeof dir, "%s/%d", tmpdir, dict_no);
            if (access(dir, F_OK) != 0 && mkdir(dir, 0700) != 0) {
                printf("FAIL lookup-spec: cannot make %s\n", dir);
                t_failed++;
            }
            char base[100];
            cpy(base, sizeof base, line + 5);
            snprintf(files[nfiles], sizeof files[nfiles], "%s/%s", dir, base);
            out = fopen(files[nfiles], "w");
            nfiles++;
            dirty = true;
            if (!out) {
                printf("FAIL lookup-spec: cannot write %s\n", line + 5);
                t_failed++;
            }
        } else if (strncmp(line, "case ", 5) == 0 || strncmp(line, "set ", 4) == 0 ||
                   strncmp(line, "patterns ", 9) == 0 || strncmp(line, "verbcode ", 9) == 0) {
            memset(&c, 0, sizeof c);
            c.line = lineno;
            if (line[0] == 'c') {
                cpy(c.name, sizeof c.name, line + 5);
            } else {
                c.type = line[0] == 's' ? 1 : line[0] == 'p' ? 2 : 3;
                cpy(c.arg, sizeof c.arg, strchr(line, ' ') + 1);
                cpy(c.name, sizeof c.name, line);
            }
            have_case = true;
        } else if (have_case && strncmp(line, "date ", 5) == 0) {
            cpy(c.date, sizeof c.date, line + 5);
        } else if (have_case && strncmp(line, "tokens ", 7) == 0) {
            cpy(c.tokens, sizeof c.tokens, line + 7);
        } else if (have_case && strncmp(line, "at ", 3) == 0) {
            c.at = atoi(line + 3);
        } else if (have_case && strncmp(line, "expect ", 7) == 0 && c.nexpect < MAX_EXPECT) {
            cpy(c.expect[c.nexpect++], sizeof c.expect[0], line + 7);
        } else if (have_case && strcmp(line, "expect") == 0 && c.nexpect < MAX_EXPECT) {
            c.expect[c.nexpect++][0] = 0;
        } else {
            printf("FAIL lookup-spec: line %d not understood: %s\n", lineno, line);
            t_failed++;
        }
    }
    if (have_case) {
        if (dirty)
            open_dict();
        run_case(&c);
    }
    fclose(f);
    dyad_dict_free(dict);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        printf("SKIP lookup-spec cleanup: could not remove %s\n", tmpdir);
    T_DONE();
}
