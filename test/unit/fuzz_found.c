/* fuzz_found.c - regressions for what the fuzz targets and the hostile-input suite found: dates
 * read with trailing bytes, nested sets reported as cycles and left unflattened, a compiled
 * trie whose shared edges made the look-up exponential. */
#include "dyad.h"
#include "dict_impl.h"
#include "t.h"
#include "when.h"
#include "../../fuzz/files.h"   /* temporary files and the container checksum */

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static bool reads(const char *s, size_t n, int precision)
{
    dyad__date d;
    return dyad__date_read(dyad__slice(s, n), &d) && d.precision == precision;
}

static bool refused(const char *s, size_t n)
{
    dyad__date d;
    return !dyad__date_read(dyad__slice(s, n), &d);
}

static void dates(void)
{
    T_CHECK("date_read: YYYY-MM-DD", reads("2017-07-18", 10, DYAD__DAY));
    T_CHECK("date_read: YYYY-MM", reads("2017-07", 7, DYAD__MONTH));
    T_CHECK("date_read: YYYY", reads("2017", 4, DYAD__YEAR));
    T_CHECK("date_read: a leap day", reads("2016-02-29", 10, DYAD__DAY));
    T_CHECK("date_read: not a leap day", refused("2017-02-29", 10));
    /* fuzz_when: "2017" followed by NUL bytes and "-07-18" was read as the year 2017 */
    static const char nul[] = "2017\0\0\0-07-18";
    T_CHECK("date_read: NUL bytes after the year", refused(nul, sizeof nul - 1));
    T_CHECK("date_read: a byte after the day", refused("2017-07-18x", 11));
    T_CHECK("date_read: a letter in the day", refused("2017-07-1x", 10));
    T_CHECK("date_read: eight digits", refused("20170718", 8));
    T_CHECK("date_read: one-digit month", refused("2017-7-18", 9));
    T_CHECK("date_read: a blank before", refused(" 2017", 5));
    T_CHECK("date_read: a dash after", refused("2017-", 5));

    /* the resolver no longer takes "2017-07-1x" for 2017-07-01 */
    dyad_token t;
    memset(&t, 0, sizeof t);
    t.form = dyad__slice("2017-07-1x", 10);
    dyad__date art = {2017, 7, 18, DYAD__DAY}, out;
    T_CHECK("when: a date token with a letter is no date", dyad__when(&t, 1, 0, &art, false, &out) == 0);
    t.form = dyad__slice("2017-07-11", 10);
    T_CHECK("when: an ISO date token", dyad__when(&t, 1, 0, &art, false, &out) == 1 &&
                                            out.d == 11 && out.precision == DYAD__DAY);
}

typedef struct problems {
    int errors, cycles, deep;
} problems;

static void on_problem(void *ctx, int is_error, const dyad_error *e)
{
    problems *p = ctx;
    if (is_error)
        p->errors++;
    if (strstr(e->msg, "includes itself"))
        p->cycles++;
    if (strstr(e->msg, "nested more than"))
        p->deep++;
}

/* Write a dictionary with a chain of `depth` nested sets (c0 includes c1 ... includes cDEPTH,
 * whose member is "treaty"), optionally a cycle, and open it. */
static dyad_dict *chain(const char *path, int depth, bool cycle, problems *p)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return NULL;
    for (int i = 0; i < depth; i++)
        fprintf(f, "set c%d: &c%d; word%d\n", i, i + 1, i);
    fprintf(f, "set c%d: treaty\n", depth);
    if (cycle)
        fprintf(f, "set loopa: &loopb; alpha\nset loopb: &loopa; beta\n");
    fprintf(f, "112  accuse T of &c0\n");
    fclose(f);
    memset(p, 0, sizeof *p);
    dyad_dict_opts o;
    memset(&o, 0, sizeof o);
    o.report = on_problem;
    o.report_ctx = p;
    o.flags = DYAD_DICT_LINT;
    const char *paths[1] = {path};
    dyad_dict *d = NULL;
    dyad_error err;
    if (dyad_dict_open_opts(paths, 1, &o, &d, &err) != DYAD_OK)
        return NULL;
    return d;
}

static void sets(void)
{
    char path[] = "/tmp/dyad-fuzz-found-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) {
        T_SKIP("nested sets", "cannot make a temporary file");
        return;
    }
    close(fd);
    char named[64];
    snprintf(named, sizeof named, "%s.txt", path);
    problems p;

    /* 40 levels: the old builder stopped at 32, called it a cycle and left c0 without the
     * members of c33 and below */
    dyad_dict *d = chain(named, 40, false, &p);
    T_CHECK("sets: 40 nested levels open", d != NULL);
    T_CHECK("sets: 40 nested levels are no cycle", p.cycles == 0 && p.deep == 0);
    uint32_t c0 = dyad__dict_set_find(d, dyad__cstr("c0"));
    T_CHECK("sets: the outer set has the innermost member",
            c0 != UINT32_MAX && dyad__dict_set_has(d, c0, dyad__cstr("treaty")) &&
                dyad__dict_set_has(d, c0, dyad__cstr("word39")) &&
                dyad__dict_set_has(d, c0, dyad__cstr("word0")));
    dyad_dict_free(d);

    /* 300 levels: too deep, said so (not "includes itself"); a real cycle is still a cycle */
    d = chain(named, 300, true, &p);
    T_CHECK("sets: 300 nested levels are reported as too deep", d && p.deep >= 1);
    T_CHECK("sets: only the real cycle is called a cycle", p.cycles >= 1 && p.cycles <= 2);
    dyad_dict_free(d);
    remove(named);
    remove(path);
}

/* A compiled dictionary with one 60-word name ("zz zz ... zz"), its trie nodes then made to
 * take two edges each (their own and the next node's, which also leads deeper): every node
 * passes the table checks, and before the look-up had a step budget, 60 tokens of "zz" took
 * Fibonacci(60) steps. */
static void shared_edges(void)
{
    enum { WORDS = 60 };
    char text[512] = "org: ";
    for (int i = 0; i < WORDS; i++)
        strcat(text, "zz ");
    strcat(text, "\n  code: NGO\n");
    char src[600], out[600];
    fuzz_write(fuzz_path(src, sizeof src, "zz.txt"), text, strlen(text));
    const char *paths[1] = {src};
    dyad_error err;
    size_t n = 0;
    unsigned char *b = NULL;
    if (dyad_dict_compile(paths, 1, fuzz_path(out, sizeof out, "zz.dict"), &err) == DYAD_OK)
        b = fuzz_read(out, &n);
    dyad__container c;
    if (!b || dyad__container_from_memory(b, n, false, "zz.dict", DYAD_DICT_MAGIC,
                                          DYAD_DICT_FORMAT, "dictionary", &c, &err) != DYAD_OK) {
        T_CHECK("shared trie edges: the dictionary compiles", false);
        free(b);
        return;
    }
    size_t size;
    dyad__dnode *nodes = (dyad__dnode *)dyad__container_section(&c, "node", &size);
    size_t changed = 0;
    for (size_t i = 1; nodes && i + 2 < size / sizeof *nodes; i++)
        if (nodes[i].nedges == 1) {
            nodes[i].nedges = 2;
            changed++;
        }
    dyad__container_close(&c);
    fuzz_wr64(b + 24, fuzz_checksum(b + FUZZ_HEADER, n - FUZZ_HEADER));   /* checksum field */
    fuzz_write(out, b, n);
    free(b);
    T_CHECK("shared trie edges: the nodes were rewired", changed >= WORDS - 3);
    dyad_dict *d = NULL;
    const char *one[1] = {out};
    if (dyad_dict_open(one, 1, NULL, &d, &err) != DYAD_OK) {
        T_CHECK("shared trie edges: refused or looked up quickly", true);
        return;
    }
    dyad_token toks[WORDS];
    memset(toks, 0, sizeof toks);
    for (int i = 0; i < WORDS; i++)
        toks[i].form = dyad__slice("zz", 2);
    dyad__dict_hit hits[4];
    alarm(20);   /* the old walk does not end: let the alarm end the test */
    dyad__dict_lookup(d, toks, WORDS, 0, dyad__cstr("2017-07-18"), hits, 4);
    alarm(0);
    T_CHECK("shared trie edges: refused or looked up quickly", true);
    dyad_dict_free(d);
}

int main(void)
{
    dates();
    sets();
    shared_edges();
    T_DONE();
}
