/* dict_read_petr.c - PETRARCH-1/-2, Phoenix and TABARI actors, agents, verbs, discards, issues. */
#include "dict_impl.h"

#include <stdlib.h>

static bool ends(const char *p, size_t n, const char *s)
{
    size_t k = strlen(s);
    return n >= k && memcmp(p + n - k, s, k) == 0;
}

static const char *find(const char *p, size_t n, const char *s)
{
    size_t k = strlen(s);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(p + i, s, k) == 0)
            return p + i;
    return NULL;
}

static bool upper_alpha(char c)
{
    return c >= 'A' && c <= 'Z';
}

static bool lower_alpha(char c)
{
    return c >= 'a' && c <= 'z';
}

static bool alnum(char c)
{
    return upper_alpha(c) || lower_alpha(c) || (c >= '0' && c <= '9');
}

/* ---------------------------------------------------------------- comments */

typedef struct reader {
    dyad__db *db;
    const char *format;
    bool tabari;
    bool in_comment;          /* inside <!-- ... --> */
    bool finished;            /* after TABARI's ~FINISH */
} reader;

/* The meaningful part of a line: <!-- --> blocks, '#' comments outside brackets, ';' comments
 * after a blank, TABARI '/' comment lines; trimmed on the right (not on the left: indentation
 * matters to actor restrictions). */
static void clean(reader *r, const char **pp, size_t *pn)
{
    const char *p = *pp;
    size_t n = *pn;
    if (r->finished) {
        *pn = 0;
        return;
    }
    if (r->in_comment) {
        const char *e = find(p, n, "-->");
        if (!e) {
            *pn = 0;
            return;
        }
        r->in_comment = false;
        n -= (size_t)(e + 3 - p);
        p = e + 3;
    }
    const char *t = p;
    size_t nt = n;
    dyad__dtrim(&t, &nt);
    if (dyad__dstarts(t, nt, "<!")) {      /* "<!--" and the misspelt "<! --" */
        const char *e = find(t + 2, nt - 2, "-->");
        if (!e) {
            r->in_comment = true;
            *pn = 0;
            return;
        }
        n -= (size_t)(e + 3 - p);
        p = e + 3;
    }
    if (r->tabari && nt && t[0] == '/') {
        *pn = 0;
        return;
    }
    int depth = 0;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (c == '[')
            depth++;
        else if (c == ']' && depth)
            depth--;
        else if (c == '#' && depth == 0) {
            n = i;
            break;
        } else if (c == ';' && depth == 0 && (i == 0 || dyad__dblank(p[i - 1]))) {
            n = i;
            break;
        }
    }
    while (n && (dyad__dblank(p[n - 1]) || p[n - 1] == '\r'))
        n--;
    *pp = p;
    *pn = n;
}

/* ---------------------------------------------------------------- detection */

static bool has_ext(const char *path, const char *ext)
{
    size_t n = strlen(path), k = strlen(ext);
    if (n < k)
        return false;
    for (size_t i = 0; i < k; i++) {
        char c = path[n - k + i];
        if (c >= 'A' && c <= 'Z')
            c += 32;
        if (c != ext[i])
            return false;
    }
    return true;
}

static bool name_has(const char *path, const char *word)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    char low[256];
    size_t n = strlen(base);
    if (n >= sizeof low)
        n = sizeof low - 1;
    for (size_t i = 0; i < n; i++)
        low[i] = (char)(base[i] >= 'A' && base[i] <= 'Z' ? base[i] + 32 : base[i]);
    low[n] = 0;
    return strstr(low, word) != NULL;
}

const char *dyad__petr_detect(const char *path, const dyad__dline *lines, size_t nlines)
{
    reader r;
    memset(&r, 0, sizeof r);
    size_t meaningful = 0, issue = 0, block = 0, pattern = 0, paren = 0, subst = 0, agent = 0,
           coded = 0, words = 0, finish = 0;
    for (size_t i = 0; i < nlines; i++) {
        const char *p = lines[i].p;
        size_t n = lines[i].n;
        if (dyad__dstarts(p, n, "~FINISH"))
            finish++;
        if (dyad__dstarts(p, n, "<ISSUE"))
            issue++;
        clean(&r, &p, &n);
        const char *t = p;
        size_t nt = n;
        dyad__dtrim(&t, &nt);
        if (nt == 0)
            continue;
        meaningful++;
        if (dyad__dstarts(t, nt, "---"))
            block++;
        else if (t[0] == '-' && nt > 1 && dyad__dblank(t[1])) {
            pattern++;
            const char *br = memchr(t, '[', nt);
            size_t np = br ? (size_t)(br - t) : nt;
            if (memchr(t, '(', np) || memchr(t, '{', np))
                paren++;
        }
        if (t[0] == '!' && memchr(t + 1, '!', nt - 1) && memchr(t, '=', nt))
            subst++;
        const char *br = memchr(t, '[', nt);
        if (br) {
            coded++;
            const char *e = memchr(br, ']', nt - (size_t)(br - t));
            size_t k = e ? (size_t)(e - br) : nt - (size_t)(br - t);
            if (memchr(br, '~', k))
                agent++;
        }
        bool word = true;
        for (size_t k = 0; k < nt; k++)
            if (!(lower_alpha(t[k]) || (unsigned char)t[k] >= 0x80 || t[k] == '-'))
                word = false;
        if (word)
            words++;
    }
    bool tabari = finish || has_ext(path, ".actors") || has_ext(path, ".verbs") ||
                  has_ext(path, ".agents");
    if (issue || name_has(path, "issue"))
        return "phoenix-issues";
    if (name_has(path, "preposition") || (meaningful && words == meaningful))
        return "word-list";
    if (pattern || block || name_has(path, "verb")) {
        if (tabari || (!block && pattern))
            return "tabari-verbs";
        return paren * 10 >= pattern && pattern ? "petrarch2-verbs" : "petrarch1-verbs";
    }
    if (name_has(path, "discard"))
        return "petrarch-discards";
    if (subst || name_has(path, "agent") || (coded && agent * 2 >= coded))
        return tabari ? "tabari-agents" : "petrarch-agents";
    if (name_has(path, "actor") || coded)
        return tabari ? "tabari-actors" : "petrarch-actors";
    if (meaningful)
        return "petrarch-discards";
    return NULL;
}

/* ---------------------------------------------------------------- codes and dates */

/* A code as PETRARCH/TABARI write it: letters, digits and '/' (compound actors), or one of
 * the special codes ---, ###, +++.  Lower-case letters are read as capitals (a warning). */
static bool read_code(reader *r, long line, const char *p, size_t n, char *out, size_t cap,
                      size_t *nout)
{
    if (n == 3 && (memcmp(p, "---", 3) == 0 || memcmp(p, "###", 3) == 0 ||
                   memcmp(p, "+++", 3) == 0)) {
        memcpy(out, p, 3);
        *nout = 3;
        return true;
    }
    if (n == 0 || n >= cap)
        return false;
    bool lower = false;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (lower_alpha(c)) {
            lower = true;
            c = (char)(c - 32);
        } else if (!(upper_alpha(c) || (c >= '0' && c <= '9') || c == '/')) {
            return false;
        }
        out[i] = c;
    }
    *nout = n;
    if (lower)
        dyad__db_problem(r->db, line, false, "lower-case code '%.*s' read as '%.*s'", (int)n,
                         p, (int)n, out);
    return true;
}

/* The content of one [...] of an actor: "CODE", "CODE <DATE", "CODE >DATE", "CODE D1-D2"
 * (blanks allowed around the operators).  Adds the role to entry e. */
static void read_restriction(reader *r, uint32_t e, long line, const char *p, size_t n)
{
    dyad__dtrim(&p, &n);
    size_t i = 0;
    while (i < n && !dyad__dblank(p[i]) && p[i] != '<' && p[i] != '>')
        i++;
    if (i == 0 || (p[0] >= '0' && p[0] <= '9' && i > 3 && !memchr(p, ' ', n) &&
                   memchr(p, '-', i) && p[0] != '-')) {
        dyad__db_problem(r->db, line, false, "restriction [%.*s] has no code: ignored", (int)n,
                         p);
        return;
    }
    char code[64];
    size_t nc;
    if (!read_code(r, line, p, i, code, sizeof code, &nc)) {
        dyad__db_problem(r->db, line, false, "'%.*s' is not a code: [%.*s] ignored", (int)i, p,
                         (int)n, p);
        return;
    }
    const char *d = p + i;
    size_t nd = n - i;
    dyad__dtrim(&d, &nd);
    int32_t from = DYAD__DATE_MIN, to = DYAD__DATE_MAX;
    if (nd == 0) {
        dyad__db_role(r->db, e, code, nc, from, to, true, line);
        return;
    }
    if (d[0] == '<' || d[0] == '>') {
        const char *x = d + 1;
        size_t nx = nd - 1;
        dyad__dtrim(&x, &nx);
        int32_t v = dyad__ddate_petr(x, nx);
        if (!v) {
            dyad__db_problem(r->db, line, false, "'%.*s' is not a date (YYMMDD or YYYYMMDD): "
                                                 "[%.*s] ignored",
                             (int)nx, x, (int)n, p);
            return;
        }
        if (d[0] == '<')
            to = v;
        else
            from = v;
        dyad__db_role(r->db, e, code, nc, from, to, false, line);
        return;
    }
    const char *dash = memchr(d, '-', nd);
    if (!dash) {
        dyad__db_problem(r->db, line, false,
                         "date '%.*s' without '<', '>' or a range: [%.*s] ignored", (int)nd, d,
                         (int)n, p);
        return;
    }
    const char *a = d, *b = dash + 1;
    size_t na = (size_t)(dash - d), nb = nd - na - 1;
    dyad__dtrim(&a, &na);
    dyad__dtrim(&b, &nb);
    from = dyad__ddate_petr(a, na);
    to = dyad__ddate_petr(b, nb);
    if (!from || !to) {
        const char *bad = from ? b : a;
        size_t nbad = from ? nb : na;
        dyad__db_problem(r->db, line, false,
                         "'%.*s' is not a date (YYMMDD or YYYYMMDD): [%.*s] ignored",
                         (int)nbad, bad, (int)n, p);
        return;
    }
    if (from > to) {
        dyad__db_problem(r->db, line, false, "range [%.*s] ends before it starts: ignored",
                         (int)n, p);
        return;
    }
    dyad__db_role(r->db, e, code, nc, from, to, false, line);
}

/* Every [...] of p[0,n): returns the number read; *rest gets the text before the first '['. */
static int read_code_blocks(reader *r, uint32_t e, long line, const char *p, size_t n)
{
    int count = 0;
    size_t i = 0;
    while (i < n) {
        const char *open = memchr(p + i, '[', n - i);
        if (!open) {
            const char *q = p + i;
            size_t nq = n - i;
            dyad__dtrim(&q, &nq);
            if (nq)
                dyad__db_problem(r->db, line, false, "text '%.*s' after the codes ignored",
                                 (int)nq, q);
            break;
        }
        const char *between = p + i;
        size_t nb = (size_t)(open - between);
        dyad__dtrim(&between, &nb);
        if (nb && count)
            dyad__db_problem(r->db, line, false, "text '%.*s' between codes ignored", (int)nb,
                             between);
        size_t o = (size_t)(open - p) + 1;
        size_t k = o;
        while (k < n && p[k] != ']')
            k++;
        if (k >= n) {
            dyad__db_problem(r->db, line, false, "'[' without ']': [%.*s read", (int)(n - o),
                             p + o);
        }
        if (e != DYAD__DNONE)
            read_restriction(r, e, line, p + o, k - o);
        count++;
        i = k + 1;
    }
    return count;
}

/* ---------------------------------------------------------------- actors */

static bool name_ok(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (alnum(p[i]) || (unsigned char)p[i] >= 0x80)
            return true;
    return false;
}

static uint32_t name_flags(const char *p, size_t n)
{
    return n && p[n - 1] == '_' ? DYAD__TERM_NOLEMMA : 0;
}

/* TABARI <NOUN>, <ADJECTIVE> ... sections: words without codes. */
static bool section_tag(const char *t, size_t nt, char *section, size_t cap)
{
    if (nt < 3 || t[0] != '<' || t[nt - 1] != '>')
        return false;
    if (t[1] == '/') {
        section[0] = 0;
        return true;
    }
    size_t k = nt - 2;
    if (k >= cap)
        k = cap - 1;
    memcpy(section, t + 1, k);
    section[k] = 0;
    return true;
}

/* An actor that ended without any code: it only null-codes its names. */
static void no_code(reader *r, uint32_t entry)
{
    if (entry == DYAD__DNONE || dyad__db_nroles(r->db, entry) ||
        dyad__db_entry_kind(r->db, entry) != DYAD__DK_PACTOR)
        return;
    const dyad__dent *e = &r->db->ents[entry];
    dyad__db_problem(r->db, e->line, false, "actor '%s' has no code: its names code nothing",
                     dyad__db_cstr(r->db, e->name));
}

static void read_actors(reader *r, const dyad__dline *lines, size_t nlines)
{
    dyad__db *db = r->db;
    uint32_t entry = DYAD__DNONE;
    char section[32] = "";
    bool gap = true;          /* a blank or comment line since the last actor line */
    for (size_t i = 0; i < nlines; i++) {
        long line = (long)i + 1;
        const char *p = lines[i].p;
        size_t n = lines[i].n;
        if (r->tabari && dyad__dstarts(p, n, "~FINISH")) {
            r->finished = true;
            continue;
        }
        clean(r, &p, &n);
        const char *t = p;
        size_t nt = n;
        dyad__dtrim(&t, &nt);
        if (nt == 0) {
            gap = true;
            continue;
        }
        if (section_tag(t, nt, section, sizeof section)) {
            if (section[0] && strcmp(section, "NOUN") && strcmp(section, "ADJECTIVE") &&
                strcmp(section, "ATTRIB") && strcmp(section, "TIME")) {
                dyad__db_problem(db, line, true, "unknown section <%s>", section);
                section[0] = 0;
            }
            entry = DYAD__DNONE;
            continue;
        }
        if (section[0]) {
            uint32_t e = dyad__db_entry(db, DYAD__DK_WORD, 0, t, nt, line);
            dyad__db_role(db, e, section, strlen(section), DYAD__DATE_MIN, DYAD__DATE_MAX,
                          true, line);
            dyad__db_phrase(db, e, t, nt, DYAD__NAME_FOREIGN, name_flags(t, nt), line);
            continue;
        }
        bool indented_name = false;
        if (dyad__dblank(p[0]) || t[0] == '[') {
            /* date restrictions of the current actor */
            if (t[0] != '[' && entry != DYAD__DNONE && memchr(t, '[', nt) &&
                name_ok(t, (size_t)((const char *)memchr(t, '[', nt) - t))) {
                dyad__db_problem(db, line, false, "indented name read as a synonym ('+')");
                indented_name = true;
            } else if (t[0] != '[') {
                dyad__db_problem(db, line, true, "expected [CODE ...] on an indented line");
                continue;
            }
        }
        if (!indented_name && (dyad__dblank(p[0]) || t[0] == '[')) {
            if (entry == DYAD__DNONE) {
                dyad__db_problem(db, line, true, "a code line before any actor");
                continue;
            }
            read_code_blocks(r, entry, line, t, nt);
            continue;
        }
        bool synonym = t[0] == '+' || indented_name;
        if (t[0] == '+') {
            t++;
            nt--;
            dyad__dtrim(&t, &nt);
            if (entry == DYAD__DNONE) {
                dyad__db_problem(db, line, true, "a '+' synonym before any actor");
                continue;
            }
        }
        const char *br = memchr(t, '[', nt);
        const char *name = t;
        size_t nn = br ? (size_t)(br - t) : nt;
        dyad__dtrim(&name, &nn);
        if (!name_ok(name, nn)) {
            dyad__db_problem(db, line, true, "cannot read this line (no name)");
            continue;
        }
        if (!synonym && !br && !gap && entry != DYAD__DNONE && !dyad__db_nroles(db, entry)) {
            /* "NAME_\nNAME_\n\t[CODE]": names on consecutive lines share the codes that
             * follow them (the '+' was left out) */
            dyad__db_problem(db, line, false, "'%.*s' read as a synonym of the actor above "
                             "(which has no code of its own)", (int)nn, name);
            synonym = true;
        }
        gap = false;
        if (!synonym) {
            no_code(r, entry);
            entry = dyad__db_entry(db, DYAD__DK_PACTOR, 0, name, nn, line);
            if (entry == DYAD__DNONE)
                return;
        }
        dyad__db_phrase(db, entry, name, nn, DYAD__NAME_FOREIGN, name_flags(name, nn), line);
        if (br)
            read_code_blocks(r, entry, line, br, nt - (size_t)(br - t));
    }
    no_code(r, entry);
}

/* ---------------------------------------------------------------- agents */

typedef struct subst {
    char name[32];
    const char *members;      /* "MAN, MEN, WOMAN" */
    size_t nmembers;
} subst;

#define MAX_SUBST 16
#define MAX_EXPAND 256

typedef struct expansion {
    char text[MAX_EXPAND][256];
    size_t n[MAX_EXPAND];
    size_t count;
    bool last_is_marker;
} expansion;

/* Expand !NAME! markers of p[0,n) into x (cartesian product).  A marker inside a word (a
 * letter on both sides) is read as its literal name, with a warning. */
static bool expand(reader *r, long line, const subst *s, size_t ns, const char *p, size_t n,
                   expansion *x)
{
    x->count = 1;
    x->n[0] = 0;
    x->last_is_marker = false;
    for (size_t i = 0; i < n;) {
        if (p[i] == '!') {
            const char *e = memchr(p + i + 1, '!', n - i - 1);
            size_t nm = e ? (size_t)(e - (p + i + 1)) : 0;
            const subst *hit = NULL;
            for (size_t k = 0; e && k < ns; k++)
                if (strlen(s[k].name) == nm && memcmp(s[k].name, p + i + 1, nm) == 0)
                    hit = &s[k];
            if (!e || !hit) {
                dyad__db_problem(r->db, line, true, "unknown substitution marker in '%.*s'",
                                 (int)n, p);
                return false;
            }
            size_t after = (size_t)(e - p) + 1;
            bool inside = i > 0 && upper_alpha(p[i - 1]) && after < n && upper_alpha(p[after]);
            if (inside) {
                dyad__db_problem(r->db, line, false,
                                 "marker !%s! inside the word '%.*s' read as the letters %s",
                                 hit->name, (int)n, p, hit->name);
                for (size_t c = 0; c < x->count; c++) {
                    if (x->n[c] + nm < sizeof x->text[c]) {
                        memcpy(x->text[c] + x->n[c], hit->name, nm);
                        x->n[c] += nm;
                    }
                }
                i = after;
                continue;
            }
            /* members */
            const char *mp[32];
            size_t mn[32], nmem = 0, a = 0;
            for (size_t k = 0; k <= hit->nmembers && nmem < 32; k++) {
                if (k == hit->nmembers || hit->members[k] == ',') {
                    const char *q = hit->members + a;
                    size_t nq = k - a;
                    dyad__dtrim(&q, &nq);
                    if (nq) {
                        mp[nmem] = q;
                        mn[nmem++] = nq;
                    }
                    a = k + 1;
                }
            }
            size_t old = x->count;
            if (old * nmem > MAX_EXPAND) {
                dyad__db_problem(r->db, line, true, "too many substitutions in '%.*s'", (int)n,
                                 p);
                return false;
            }
            for (size_t m = nmem; m-- > 0;) {
                for (size_t c = 0; c < old; c++) {
                    size_t dst = m * old + c;
                    if (dst != c) {
                        memcpy(x->text[dst], x->text[c], x->n[c]);
                        x->n[dst] = x->n[c];
                    }
                    if (x->n[dst] + mn[m] < sizeof x->text[dst]) {
                        memcpy(x->text[dst] + x->n[dst], mp[m], mn[m]);
                        x->n[dst] += mn[m];
                    }
                }
            }
            x->count = old * nmem;
            x->last_is_marker = after >= n;
            i = after;
            continue;
        }
        for (size_t c = 0; c < x->count; c++)
            if (x->n[c] + 1 < sizeof x->text[c])
                x->text[c][x->n[c]++] = p[i];
        x->last_is_marker = false;
        i++;
    }
    return true;
}

static void read_agents(reader *r, const dyad__dline *lines, size_t nlines)
{
    dyad__db *db = r->db;
    subst subs[MAX_SUBST];
    size_t nsubs = 0;
    expansion *x = malloc(sizeof *x);
    if (!x) {
        dyad__db_problem(db, 0, true, "out of memory");
        return;
    }
    for (size_t i = 0; i < nlines; i++) {
        long line = (long)i + 1;
        const char *p = lines[i].p;
        size_t n = lines[i].n;
        if (r->tabari && dyad__dstarts(p, n, "~FINISH")) {
            r->finished = true;
            continue;
        }
        clean(r, &p, &n);
        const char *t = p;
        size_t nt = n;
        dyad__dtrim(&t, &nt);
        if (nt == 0)
            continue;
        /* !NAME! = A, B, C */
        if (t[0] == '!') {
            const char *e = memchr(t + 1, '!', nt - 1);
            const char *eq = memchr(t, '=', nt);
            if (e && eq && eq > e) {
                const char *rest = e + 1;
                size_t nr = (size_t)(eq - rest);
                dyad__dtrim(&rest, &nr);
                if (nr == 0) {
                    size_t nm = (size_t)(e - t - 1);
                    if (nsubs == MAX_SUBST || nm == 0 || nm >= sizeof subs[0].name) {
                        dyad__db_problem(db, line, true, "cannot define this substitution");
                        continue;
                    }
                    memcpy(subs[nsubs].name, t + 1, nm);
                    subs[nsubs].name[nm] = 0;
                    subs[nsubs].members = eq + 1;
                    subs[nsubs].nmembers = nt - (size_t)(eq + 1 - t);
                    nsubs++;
                    continue;
                }
            }
        }
        /* PHRASE {plurals} [CODE] */
        const char *br = memchr(t, '[', nt);
        const char *cb = memchr(t, '{', nt);
        const char *name = t;
        size_t nn = nt;
        if (cb && (!br || cb < br))
            nn = (size_t)(cb - t);
        else if (br)
            nn = (size_t)(br - t);
        dyad__dtrim(&name, &nn);
        if (!name_ok(name, nn)) {
            dyad__db_problem(db, line, true, "cannot read this line (no agent phrase)");
            continue;
        }
        if (!br) {
            dyad__db_problem(db, line, false, "agent '%.*s' has no [code]: ignored", (int)nn,
                             name);
            continue;
        }
        const char *code = br + 1;
        size_t k = (size_t)(code - t);
        while (k < nt && t[k] != ']' && t[k] != '}')
            k++;
        size_t ncode = k - (size_t)(code - t);
        if (k >= nt)
            dyad__db_problem(db, line, false, "'[' without ']' in the code");
        else if (t[k] == '}')
            dyad__db_problem(db, line, false, "code closed with '}' instead of ']'");
        dyad__dtrim(&code, &ncode);
        uint16_t flags = 0;
        if (ncode && code[0] == '~') {
            flags = DYAD__DF_SUFFIX;
            code++;
            ncode--;
        } else if (ncode && code[ncode - 1] == '~') {
            flags = DYAD__DF_PREFIX;
            ncode--;
        } else {
            dyad__db_problem(db, line, false, "agent code '%.*s' without '~': read as ~%.*s",
                             (int)ncode, code, (int)ncode, code);
            flags = DYAD__DF_SUFFIX;
        }
        dyad__dtrim(&code, &ncode);
        char cbuf[64];
        size_t nc;
        if (!read_code(r, line, code, ncode, cbuf, sizeof cbuf, &nc)) {
            dyad__db_problem(db, line, true, "'%.*s' is not an agent code", (int)ncode, code);
            continue;
        }
        if (!expand(r, line, subs, nsubs, name, nn, x))
            continue;
        uint32_t e = dyad__db_entry(db, DYAD__DK_PAGENT, flags, x->text[0], x->n[0], line);
        if (e == DYAD__DNONE)
            break;
        dyad__db_role(db, e, cbuf, nc, DYAD__DATE_MIN, DYAD__DATE_MAX, true, line);
        /* plurals: {} none; {A B} these */
        bool no_plural = false;
        const char *pl = NULL;
        size_t npl = 0;
        if (cb && cb < br) {
            const char *ce = memchr(cb, '}', (size_t)(br - cb));
            if (!ce) {
                dyad__db_problem(db, line, false, "'{' without '}'");
                ce = br;
            }
            pl = cb + 1;
            npl = (size_t)(ce - pl);
            dyad__dtrim(&pl, &npl);
            no_plural = npl == 0;
        }
        uint32_t tf = no_plural || x->last_is_marker ? DYAD__TERM_NOLEMMA : 0;
        for (size_t c = 0; c < x->count; c++)
            dyad__db_phrase(db, e, x->text[c], x->n[c], DYAD__NAME_FOREIGN,
                            tf | name_flags(x->text[c], x->n[c]), line);
        for (size_t a = 0; a < npl;) {
            while (a < npl && dyad__dblank(pl[a]))
                a++;
            size_t b = a;
            while (b < npl && !dyad__dblank(pl[b]))
                b++;
            if (b > a && expand(r, line, subs, nsubs, pl + a, b - a, x))
                for (size_t c = 0; c < x->count; c++)
                    dyad__db_phrase(db, e, x->text[c], x->n[c], DYAD__NAME_FOREIGN,
                                    DYAD__DF_PLURAL | DYAD__TERM_NOLEMMA, line);
            a = b;
        }
    }
    free(x);
}

/* ---------------------------------------------------------------- discards, word lists */

static void read_discards(reader *r, const dyad__dline *lines, size_t nlines)
{
    for (size_t i = 0; i < nlines; i++) {
        long line = (long)i + 1;
        const char *p = lines[i].p;
        size_t n = lines[i].n;
        clean(r, &p, &n);
        dyad__dtrim(&p, &n);
        if (n == 0)
            continue;
        uint16_t flags = 0;
        if (p[0] == '+') {
            flags = DYAD__DF_STORY;
            p++;
            n--;
            dyad__dtrim(&p, &n);
        }
        if (!name_ok(p, n) || memchr(p, '[', n)) {
            dyad__db_problem(r->db, line, true, "cannot read this line as a discard phrase");
            continue;
        }
        uint32_t e = dyad__db_entry(r->db, DYAD__DK_DISCARD, flags, p, n, line);
        if (e == DYAD__DNONE)
            return;
        dyad__db_phrase(r->db, e, p, n, DYAD__NAME_FOREIGN, name_flags(p, n), line);
    }
}

static void read_words(reader *r, const char *path, const dyad__dline *lines, size_t nlines)
{
    const char *code = name_has(path, "preposition") ? "PREP" : "WORD";
    for (size_t i = 0; i < nlines; i++) {
        long line = (long)i + 1;
        const char *p = lines[i].p;
        size_t n = lines[i].n;
        clean(r, &p, &n);
        dyad__dtrim(&p, &n);
        if (n == 0)
            continue;
        uint32_t e = dyad__db_entry(r->db, DYAD__DK_WORD, 0, p, n, line);
        if (e == DYAD__DNONE)
            return;
        dyad__db_role(r->db, e, code, 4, DYAD__DATE_MIN, DYAD__DATE_MAX, true, line);
        dyad__db_phrase(r->db, e, p, n, DYAD__NAME_FOREIGN, DYAD__TERM_NOLEMMA, line);
    }
}

/* ---------------------------------------------------------------- issues */

static size_t plural(const char *w, size_t n, char *out, size_t cap)
{
    if (n + 3 >= cap)
        return 0;
    memcpy(out, w, n);
    char c = n ? w[n - 1] : 0, b = n > 1 ? w[n - 2] : 0;
    if (c == 'y' && b && !strchr("aeiou", b)) {
        memcpy(out + n - 1, "ies", 3);
        return n + 2;
    }
    if (c == 's' || c == 'x' || c == 'z' || ((c == 'h') && (b == 'c' || b == 's'))) {
        memcpy(out + n, "es", 2);
        return n + 2;
    }
    out[n] = 's';
    return n + 1;
}

/* Regular verb forms: k = 0 -s, 1 -ed, 2 -ing. */
static size_t verb_form(const char *w, size_t n, int k, char *out, size_t cap)
{
    if (n + 4 >= cap || n == 0)
        return 0;
    memcpy(out, w, n);
    char c = w[n - 1], b = n > 1 ? w[n - 2] : 0;
    bool cons_y = c == 'y' && b && !strchr("aeiou", b);
    if (k == 0)
        return plural(w, n, out, cap);
    if (k == 1) {
        if (c == 'e') {
            out[n] = 'd';
            return n + 1;
        }
        if (cons_y) {
            memcpy(out + n - 1, "ied", 3);
            return n + 2;
        }
        memcpy(out + n, "ed", 2);
        return n + 2;
    }
    if (c == 'e' && n > 2 && b != 'e') {
        memcpy(out + n - 1, "ing", 3);
        return n + 2;
    }
    memcpy(out + n, "ing", 3);
    return n + 3;
}

#define MAX_ISSUE_VARIANTS 64

static void read_issues(reader *r, const dyad__dline *lines, size_t nlines)
{
    dyad__db *db = r->db;
    char category[128] = "";
    bool open = false;
    static const size_t cap = 256;
    char (*var)[256] = malloc(MAX_ISSUE_VARIANTS * sizeof *var);
    char (*next)[256] = malloc(MAX_ISSUE_VARIANTS * sizeof *next);
    size_t *nvar = malloc(MAX_ISSUE_VARIANTS * sizeof *nvar);
    size_t *nnext = malloc(MAX_ISSUE_VARIANTS * sizeof *nnext);
    if (!var || !next || !nvar || !nnext) {
        dyad__db_problem(db, 0, true, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < nlines; i++) {
        long line = (long)i + 1;
        const char *p = lines[i].p;
        size_t n = lines[i].n;
        clean(r, &p, &n);
        dyad__dtrim(&p, &n);
        if (n == 0)
            continue;
        if (dyad__dstarts(p, n, "<ISSUE")) {
            const char *c = find(p, n, "CATEGORY=\"");
            size_t nc = 0;
            if (c) {
                c += 10;
                const char *q = memchr(c, '"', n - (size_t)(c - p));
                nc = q ? (size_t)(q - c) : 0;
            }
            if (nc == 0 || nc >= sizeof category) {
                dyad__db_problem(db, line, true, "<ISSUE> without CATEGORY=\"...\"");
                category[0] = 0;
            } else {
                memcpy(category, c, nc);
                category[nc] = 0;
            }
            if (open)
                dyad__db_problem(db, line, false, "<ISSUE> inside another <ISSUE>");
            open = true;
            continue;
        }
        if (dyad__dstarts(p, n, "</ISSUE")) {
            if (!open)
                dyad__db_problem(db, line, false, "</ISSUE> without <ISSUE>: ignored");
            open = false;
            category[0] = 0;
            continue;
        }
        uint16_t flags = 0;
        if (p[0] == '~') {
            flags = DYAD__DF_IGNORE;
            while (n && p[0] == '~') {
                p++;
                n--;
            }
            dyad__dtrim(&p, &n);
        }
        const char *br = memchr(p, '[', n);
        const char *phrase = p;
        size_t np = br ? (size_t)(br - p) : n;
        dyad__dtrim(&phrase, &np);
        const char *code = category;
        size_t ncode = strlen(category);
        if (br) {
            const char *e = memchr(br, ']', n - (size_t)(br - p));
            if (!e) {
                dyad__db_problem(db, line, true, "'[' without ']'");
                continue;
            }
            code = br + 1;
            ncode = (size_t)(e - code);
            dyad__dtrim(&code, &ncode);
        }
        if (!name_ok(phrase, np)) {
            dyad__db_problem(db, line, true, "cannot read this line as an issue phrase");
            continue;
        }
        if (ncode == 0 && !(flags & DYAD__DF_IGNORE)) {
            dyad__db_problem(db, line, true, "issue phrase without a code outside <ISSUE>");
            continue;
        }
        /* variants: words with n: (noun), v: (verb) and '+' (blank or hyphen) */
        size_t count = 1;
        var[0][0] = 0;
        nvar[0] = 0;
        bool last_inflects = false, overflow = false;
        for (size_t a = 0; a < np && !overflow;) {
            while (a < np && dyad__dblank(phrase[a]))
                a++;
            if (a >= np)
                break;
            size_t b = a;
            while (b < np && !dyad__dblank(phrase[b]))
                b++;
            /* one word: "pre+n:school" -> parts joined by blanks */
            char word[256];
            size_t nw = 0;
            int infl = 0;   /* 1 noun, 2 verb */
            for (size_t k = a; k < b && nw + 1 < sizeof word; k++) {
                if (k + 1 < b && phrase[k + 1] == ':' && (phrase[k] == 'n' || phrase[k] == 'v') &&
                    (k == a || phrase[k - 1] == '+')) {
                    infl = phrase[k] == 'n' ? 1 : 2;
                    k++;
                    continue;
                }
                word[nw++] = phrase[k] == '+' ? ' ' : phrase[k];
            }
            bool last = true;
            for (size_t k = b; k < np; k++)
                if (!dyad__dblank(phrase[k]))
                    last = false;
            char forms[4][256];
            size_t nf[4], nforms = 1;
            memcpy(forms[0], word, nw);
            nf[0] = nw;
            if (infl && !last) {
                if (infl == 1) {
                    nf[1] = plural(word, nw, forms[1], sizeof forms[1]);
                    nforms = nf[1] ? 2 : 1;
                } else {
                    for (int k = 0; k < 3; k++) {
                        nf[1 + k] = verb_form(word, nw, k, forms[1 + k], sizeof forms[1 + k]);
                        if (nf[1 + k])
                            nforms = 2 + (size_t)k;
                    }
                }
            }
            if (last)
                last_inflects = infl != 0;
            if (count * nforms > MAX_ISSUE_VARIANTS) {
                overflow = true;
                break;
            }
            size_t nn = 0;
            for (size_t v = 0; v < count; v++)
                for (size_t f = 0; f < nforms; f++) {
                    size_t len = nvar[v];
                    if (len + 1 + nf[f] >= cap)
                        continue;
                    memcpy(next[nn], var[v], len);
                    if (len)
                        next[nn][len++] = ' ';
                    memcpy(next[nn] + len, forms[f], nf[f]);
                    nnext[nn++] = len + nf[f];
                }
            for (size_t v = 0; v < nn; v++) {
                memcpy(var[v], next[v], nnext[v]);
                nvar[v] = nnext[v];
            }
            count = nn;
            a = b;
        }
        if (overflow || count == 0) {
            dyad__db_problem(db, line, true, "too many variants of '%.*s'", (int)np, phrase);
            continue;
        }
        uint32_t e = dyad__db_entry(db, DYAD__DK_ISSUE, flags, var[0], nvar[0], line);
        if (e == DYAD__DNONE)
            break;
        if (ncode)
            dyad__db_role(db, e, code, ncode, DYAD__DATE_MIN, DYAD__DATE_MAX, true, line);
        if (category[0])
            dyad__db_entry_extra(db, e, dyad__db_str(db, category, strlen(category)));
        for (size_t v = 0; v < count; v++)
            dyad__db_phrase(db, e, var[v], nvar[v], DYAD__NAME_FOREIGN,
                            last_inflects ? 0 : DYAD__TERM_NOLEMMA, line);
    }
    if (open)
        dyad__db_problem(db, (long)nlines, false, "<ISSUE> not closed");
done:
    free(var);
    free(next);
    free(nvar);
    free(nnext);
}

/* ---------------------------------------------------------------- verbs */

enum { CTX_NONE, CTX_SYNSET, CTX_BLOCK };

typedef struct verb_state {
    reader *r;
    uint16_t style;
    int ctx;
    uint32_t synset;
    bool synset_nolemma;
    uint32_t block;           /* current block */
    bool have_headers;        /* the file has --- headers (else TABARI: one block per verb) */
    uint32_t last_verb;
    long last_verb_line;
} verb_state;

/* Last "[...]" of t[0,n): the code; *before gets the length of the text before it. */
static bool last_code(const char *t, size_t n, const char **code, size_t *ncode, size_t *before)
{
    size_t i = n;
    while (i && t[i - 1] != '[')
        i--;
    if (!i)
        return false;
    const char *c = t + i;
    const char *e = memchr(c, ']', n - i);
    if (!e)
        return false;
    *code = c;
    *ncode = (size_t)(e - c);
    *before = i - 1;
    dyad__dtrim(code, ncode);
    return true;
}

/* The verb of a verb phrase "WIRE_+TAP", "+ASK_FOR", "LASH OUT": its '+'-marked word (else
 * the first), the words before and after. */
static void verb_parts(const char *p, size_t n, char *pre, size_t *npre, char *key,
                       size_t *nkey, char *part, size_t *npart)
{
    *npre = *nkey = *npart = 0;
    dyad__dword w[16];
    size_t nw = 0;
    for (size_t i = 0; i < n && nw < 16;) {
        while (i < n && (dyad__dblank(p[i]) || p[i] == '_'))
            i++;
        if (i >= n)
            break;
        size_t a = i;
        while (i < n && !dyad__dblank(p[i]) && p[i] != '_')
            i++;
        w[nw].p = p + a;
        w[nw].n = i - a;
        nw++;
    }
    size_t v = 0;
    for (size_t k = 0; k < nw; k++)
        if (w[k].n && w[k].p[0] == '+') {
            v = k;
            break;
        }
    for (size_t k = 0; k < nw; k++) {
        const char *q = w[k].p;
        size_t nq = w[k].n;
        if (nq && q[0] == '+') {
            q++;
            nq--;
        }
        char *dst = k < v ? pre : k == v ? key : part;
        size_t *nd = k < v ? npre : k == v ? nkey : npart;
        if (*nd + nq + 2 >= DYAD__MAX_WORD)
            continue;
        if (*nd)
            dst[(*nd)++] = ' ';
        memcpy(dst + *nd, q, nq);
        *nd += nq;
    }
}

static void read_verb_line(verb_state *vs, long line, const char *t, size_t nt)
{
    reader *r = vs->r;
    dyad__db *db = r->db;
    const char *code = NULL;
    size_t ncode = 0, before = nt;
    if (!last_code(t, nt, &code, &ncode, &before)) {
        code = NULL;
        ncode = 0;
        before = nt;
    }
    const char *forms = memchr(t, '{', before);
    size_t nph = forms ? (size_t)(forms - t) : before;
    const char *ph = t;
    dyad__dtrim(&ph, &nph);
    while (nph && ph[nph - 1] == '_')
        nph--;
    if (!name_ok(ph, nph)) {
        dyad__db_problem(db, line, true, "cannot read this line as a verb");
        return;
    }
    char pre[DYAD__MAX_WORD], key[DYAD__MAX_WORD], part[DYAD__MAX_WORD];
    size_t npre, nkey, npart;
    verb_parts(ph, nph, pre, &npre, key, &nkey, part, &npart);
    while (nkey && key[nkey - 1] == '_')
        nkey--;
    if (!vs->have_headers) {
        /* TABARI: each verb starts its own block */
        vs->block = dyad__db_block(db, key, nkey, code ? code : "---", code ? ncode : 3, line);
    } else if (vs->block == DYAD__DNONE) {
        dyad__db_problem(db, line, true, "a verb before any '--- VERB [code] ---' block");
        return;
    }
    uint32_t v = dyad__db_verb(db, key, nkey, part, npart, pre, npre, code ? code : "",
                               code ? ncode : 0, vs->block, line);
    if (v == DYAD__DNONE)
        return;
    vs->last_verb = v;
    vs->last_verb_line = line;
    vs->ctx = CTX_BLOCK;
    if (forms) {
        const char *fe = memchr(forms, '}', before - (size_t)(forms - t));
        if (!fe) {
            dyad__db_problem(db, line, false, "'{' without '}'");
            fe = t + before;
        }
        const char *f = forms + 1;
        size_t nf = (size_t)(fe - f);
        for (size_t a = 0; a < nf;) {
            while (a < nf && dyad__dblank(f[a]))
                a++;
            size_t b = a;
            while (b < nf && !dyad__dblank(f[b]))
                b++;
            if (b > a) {
                char fp[DYAD__MAX_WORD], fk[DYAD__MAX_WORD], fpart[DYAD__MAX_WORD];
                size_t nfp, nfk, nfpart;
                verb_parts(f + a, b - a, fp, &nfp, fk, &nfk, fpart, &nfpart);
                while (nfk && fk[nfk - 1] == '_')
                    nfk--;
                if (nfk)
                    dyad__db_verb_key(db, v, fk, nfk);
            }
            a = b;
        }
    }
}

/* TABARI: a line "{FORM FORM}" after a verb. */
static void read_forms_line(verb_state *vs, long line, const char *t, size_t nt)
{
    if (vs->last_verb == DYAD__DNONE) {
        dyad__db_problem(vs->r->db, line, true, "verb forms before any verb");
        return;
    }
    const char *e = memchr(t, '}', nt);
    size_t nf = e ? (size_t)(e - t - 1) : nt - 1;
    const char *f = t + 1;
    for (size_t a = 0; a < nf;) {
        while (a < nf && dyad__dblank(f[a]))
            a++;
        size_t b = a;
        while (b < nf && !dyad__dblank(f[b]))
            b++;
        size_t k = b;
        while (k > a && f[k - 1] == '_')
            k--;
        if (k > a)
            dyad__db_verb_key(vs->r->db, vs->last_verb, f + a, k - a);
        a = b;
    }
}

static void elem_word(dyad__db *db, uint32_t pat, const char *w, size_t n, uint16_t flags,
                      uint16_t style)
{
    if (n == 1 && w[0] == '*')
        dyad__db_elem(db, pat, DYAD__PE_VERB, flags, NULL, 0);
    else if (n == 1 && w[0] == '$')
        dyad__db_elem(db, pat, DYAD__PE_SOURCE, flags, NULL, 0);
    else if (n == 1 && w[0] == '+')
        dyad__db_elem(db, pat, DYAD__PE_TARGET, flags, NULL, 0);
    else if (n == 1 && w[0] == '%')
        dyad__db_elem(db, pat, DYAD__PE_COMPOUND, flags, NULL, 0);
    else if (n == 1 && w[0] == '^')
        dyad__db_elem(db, pat, DYAD__PE_SKIP, flags, NULL, 0);
    else if (n > 1 && w[0] == '&') {
        size_t k = n;
        while (k > 1 && w[k - 1] == '_')
            k--;
        dyad__db_elem(db, pat, DYAD__PE_SET, flags, w + 1, k - 1);
    } else {
        if (n > 1 && w[n - 1] == '~') {
            flags |= DYAD__PEF_STEM;
            n--;
        }
        (void)style;
        dyad__db_elem(db, pat, DYAD__PE_WORD, flags, w, n);
    }
}

/* One whitespace-separated chunk: parts joined by '_' (consecutive words); a final '_' marks
 * the word exact. */
static void chunk_elems(dyad__db *db, uint32_t pat, const char *c, size_t n, uint16_t style,
                        bool joined_first)
{
    size_t a = 0;
    bool any = false;
    while (a < n) {
        size_t b = a;
        while (b < n && c[b] != '_')
            b++;
        if (b > a) {
            uint16_t flags = (any || joined_first) ? DYAD__PEF_JOINED : 0;
            if (b + 1 == n)
                flags |= DYAD__PEF_EXACT;   /* "WORD_" at the end of the chunk */
            elem_word(db, pat, c + a, b - a, flags, style);
            any = true;
        }
        a = b + 1;
    }
}

static void read_pattern(verb_state *vs, long line, const char *t, size_t nt)
{
    reader *r = vs->r;
    dyad__db *db = r->db;
    if (vs->block == DYAD__DNONE) {
        dyad__db_problem(db, line, true, "a pattern before any verb");
        return;
    }
    t++;
    nt--;
    dyad__dtrim(&t, &nt);
    const char *code;
    size_t ncode, before;
    if (!last_code(t, nt, &code, &ncode, &before)) {
        dyad__db_problem(db, line, false, "pattern '%.*s' has no [code]: ignored", (int)nt, t);
        return;
    }
    const char *text = t;
    size_t ntext = before;
    dyad__dtrim(&text, &ntext);
    const dyad__dblock *blk = &db->blocks[vs->block];
    uint32_t pat = dyad__db_pattern(db, vs->style, dyad__db_cstr(db, blk->name), blk->name.len,
                                    code, ncode, text, ntext, vs->block, line);
    if (pat == DYAD__DNONE)
        return;
    bool verb = false;
    int depth = 0;
    for (size_t i = 0; i < ntext;) {
        while (i < ntext && dyad__dblank(text[i]))
            i++;
        if (i >= ntext)
            break;
        char c = text[i];
        if (vs->style == DYAD__PS_PHRASE && (c == '(' || c == '{' || c == ')' || c == '}')) {
            if (c == '(') {
                /* the preposition follows */
                size_t a = i + 1;
                while (a < ntext && dyad__dblank(text[a]))
                    a++;
                size_t b = a;
                while (b < ntext && !dyad__dblank(text[b]) && text[b] != ')' && text[b] != '(' &&
                       text[b] != '{')
                    b++;
                if (b == a) {
                    dyad__db_problem(db, line, false, "'(' without a preposition: pattern "
                                                      "ignored");
                    dyad__db_pattern_drop(db, pat);
                    return;
                }
                dyad__db_elem(db, pat, DYAD__PE_PREP, 0, text + a, b - a);
                depth++;
                i = b;
                continue;
            }
            if (c == '{') {
                dyad__db_elem(db, pat, DYAD__PE_GROUP, 0, NULL, 0);
                depth++;
            } else {
                if (depth == 0) {
                    dyad__db_problem(db, line, false, "unbalanced '%c': pattern ignored", c);
                    dyad__db_pattern_drop(db, pat);
                    return;
                }
                dyad__db_elem(db, pat, DYAD__PE_END, 0, NULL, 0);
                depth--;
            }
            i++;
            continue;
        }
        size_t a = i;
        while (i < ntext && !dyad__dblank(text[i]) &&
               !(vs->style == DYAD__PS_PHRASE &&
                 (text[i] == '(' || text[i] == ')' || text[i] == '{' || text[i] == '}')))
            i++;
        const char *w = text + a;
        size_t nw = i - a;
        if (vs->style != DYAD__PS_PHRASE) {
            if (nw == 1 && (w[0] == '{' || w[0] == '|')) {
                dyad__db_problem(db, line, false,
                                 "alternatives { A | B } are not supported: pattern ignored");
                dyad__db_pattern_drop(db, pat);
                return;
            }
            if (nw == 1 && w[0] == '}') {
                dyad__db_problem(db, line, false, "stray '}' ignored");
                continue;
            }
        }
        for (size_t k = 0; k < nw; k++)
            if (w[k] == '*')
                verb = true;
        chunk_elems(db, pat, w, nw, vs->style, false);
    }
    if (depth) {
        dyad__db_problem(db, line, false, "unbalanced brackets: pattern ignored");
        dyad__db_pattern_drop(db, pat);
        return;
    }
    if (!verb)
        dyad__db_problem(db, line, false, "pattern '%.*s' has no '*' (the verb)", (int)ntext,
                         text);
}

static void read_block_header(verb_state *vs, long line, const char *t, size_t nt)
{
    dyad__db *db = vs->r->db;
    while (nt && t[0] == '-') {
        t++;
        nt--;
    }
    while (nt && (t[nt - 1] == '-' || dyad__dblank(t[nt - 1])))
        nt--;
    dyad__dtrim(&t, &nt);
    const char *br = memchr(t, '[', nt);
    const char *name = t;
    size_t nn = br ? (size_t)(br - t) : nt;
    dyad__dtrim(&name, &nn);
    while (nn && name[nn - 1] == '_')
        nn--;
    if (!name_ok(name, nn)) {
        dyad__db_problem(db, line, true, "a verb block without a name");
        vs->block = DYAD__DNONE;
        return;
    }
    const char *code = "---";
    size_t ncode = 3;
    if (br) {
        const char *e = memchr(br, ']', nt - (size_t)(br - t));
        if (!e) {
            dyad__db_problem(db, line, true, "'[' without ']'");
            vs->block = DYAD__DNONE;
            return;
        }
        code = br + 1;
        ncode = (size_t)(e - code);
        dyad__dtrim(&code, &ncode);
        const char *rest = e + 1;
        size_t nr = nt - (size_t)(rest - t);
        dyad__dtrim(&rest, &nr);
        if (nr)
            dyad__db_problem(db, line, false, "'%.*s' after the block's code ignored", (int)nr,
                             rest);
    }
    dyad__dstr c, c1, c2;
    uint16_t fl;
    if (!dyad__db_code_parse(code, ncode, &c, &c1, &c2, &fl, db)) {
        dyad__db_problem(db, line, true, "'%.*s' is not a code", (int)ncode, code);
        vs->block = DYAD__DNONE;
        return;
    }
    vs->block = dyad__db_block(db, name, nn, code, ncode, line);
    vs->ctx = CTX_BLOCK;
}

static void read_verbs(reader *r, const dyad__dline *lines, size_t nlines)
{
    dyad__db *db = r->db;
    verb_state vs;
    memset(&vs, 0, sizeof vs);
    vs.r = r;
    vs.style = strcmp(r->format, "petrarch2-verbs") == 0 ? DYAD__PS_PHRASE : DYAD__PS_LINEAR;
    vs.block = DYAD__DNONE;
    vs.synset = DYAD__DNONE;
    vs.last_verb = DYAD__DNONE;
    vs.have_headers = strcmp(r->format, "tabari-verbs") != 0;
    for (size_t i = 0; i < nlines; i++) {
        long line = (long)i + 1;
        const char *p = lines[i].p;
        size_t n = lines[i].n;
        if (dyad__dstarts(p, n, "~FINISH")) {
            r->finished = true;
            continue;
        }
        clean(r, &p, &n);
        const char *t = p;
        size_t nt = n;
        dyad__dtrim(&t, &nt);
        if (nt == 0)
            continue;
        if (t[0] == '<' && t[nt - 1] == '>')   /* TABARI <SYNSETS> </SYNSETS> */
            continue;
        if (dyad__dstarts(t, nt, "---")) {
            read_block_header(&vs, line, t, nt);
            vs.have_headers = true;
            continue;
        }
        if (t[0] == '&') {
            size_t k = 1;
            while (k < nt && !dyad__dblank(t[k]))
                k++;
            vs.synset = dyad__db_set(db, t, k, line);
            vs.synset_nolemma = t[k - 1] == '_';
            vs.ctx = CTX_SYNSET;
            if (k < nt)
                dyad__db_problem(db, line, false, "'%.*s' after the set name ignored",
                                 (int)(nt - k), t + k);
            continue;
        }
        if (t[0] == '+' && vs.ctx == CTX_SYNSET) {
            const char *m = t + 1;
            size_t nm = nt - 1;
            dyad__dtrim(&m, &nm);
            if (vs.synset == DYAD__DNONE || nm == 0) {
                dyad__db_problem(db, line, true, "cannot read this set member");
                continue;
            }
            if (m[0] == '&')
                dyad__db_set_include(db, vs.synset, m, nm, line);
            else
                dyad__db_phrase(db, vs.synset, m, nm, DYAD__NAME_FOREIGN,
                                DYAD__TERM_SET | name_flags(m, nm) |
                                    (vs.synset_nolemma ? DYAD__TERM_NOLEMMA : 0),
                                line);
            continue;
        }
        if (t[0] == '-' && nt > 2 && t[1] == '-' && dyad__dblank(t[2])) {
            dyad__db_problem(db, line, false, "'--' read as '-' (a pattern)");
            t++;
            nt--;
        }
        if (t[0] == '-') {
            if (nt == 1 || !dyad__dblank(t[1])) {
                dyad__db_problem(db, line, true, "expected '- PATTERN [CODE]'");
                continue;
            }
            read_pattern(&vs, line, t, nt);
            continue;
        }
        if (t[0] == '~') {
            dyad__db_transform(db);
            continue;
        }
        if (t[0] == '{') {
            read_forms_line(&vs, line, t, nt);
            continue;
        }
        if (t[0] == '+' || alnum(t[0]) || (unsigned char)t[0] >= 0x80) {
            if (vs.ctx == CTX_SYNSET && vs.have_headers && vs.block == DYAD__DNONE) {
                dyad__db_problem(db, line, true, "a verb before any '--- VERB [code] ---' "
                                                 "block");
                continue;
            }
            read_verb_line(&vs, line, t, nt);
            continue;
        }
        dyad__db_problem(db, line, true, "cannot read this line");
    }
}

/* ---------------------------------------------------------------- entry point */

void dyad__read_petr(dyad__db *db, const char *format, const dyad__dline *lines, size_t nlines)
{
    reader r;
    memset(&r, 0, sizeof r);
    r.db = db;
    r.format = format;
    r.tabari = dyad__dstarts(format, strlen(format), "tabari");
    const char *path = db->cur != DYAD__DNONE ? dyad__db_cstr(db, db->files[db->cur].path) : "";
    if (ends(format, strlen(format), "-actors"))
        read_actors(&r, lines, nlines);
    else if (ends(format, strlen(format), "-agents"))
        read_agents(&r, lines, nlines);
    else if (ends(format, strlen(format), "-verbs"))
        read_verbs(&r, lines, nlines);
    else if (strcmp(format, "petrarch-discards") == 0)
        read_discards(&r, lines, nlines);
    else if (strcmp(format, "phoenix-issues") == 0)
        read_issues(&r, lines, nlines);
    else if (strcmp(format, "word-list") == 0)
        read_words(&r, path, lines, nlines);
    else
        dyad__db_problem(db, 0, true, "unknown format %s", format);
    if (r.in_comment)
        dyad__db_problem(db, (long)nlines, false, "'<!--' comment not closed");
}
