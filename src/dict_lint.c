/* dict_lint.c - the lint rules of `dyad dict check` (codes, duplicates, unreachable patterns). */
#include "dict_impl.h"

#include <stdio.h>
#include <stdlib.h>

/* Roles of each entry: order[start[e] .. start[e + 1]) index db->roles. */
typedef struct role_index {
    uint32_t *start, *order;
} role_index;

static bool index_roles(dyad__db *db, role_index *ri)
{
    ri->start = calloc(db->nents + 2, sizeof *ri->start);
    ri->order = malloc((db->nroles + 1) * sizeof *ri->order);
    if (!ri->start || !ri->order) {
        free(ri->start);
        free(ri->order);
        db->oom = true;
        return false;
    }
    for (size_t i = 0; i < db->nroles; i++)
        ri->start[db->roles[i].entry + 1]++;
    for (size_t e = 0; e < db->nents; e++)
        ri->start[e + 1] += ri->start[e];
    uint32_t *fill = calloc(db->nents + 1, sizeof *fill);
    if (!fill) {
        free(ri->start);
        free(ri->order);
        db->oom = true;
        return false;
    }
    for (size_t i = 0; i < db->nroles; i++) {
        uint32_t e = db->roles[i].entry;
        ri->order[ri->start[e] + fill[e]++] = (uint32_t)i;
    }
    free(fill);
    return true;
}

static const char *S(const dyad__db *db, dyad__dstr s)
{
    return db->pool + s.off;
}

static bool dyad_file(const dyad__db *db, uint32_t file)
{
    return file < db->nfiles && strcmp(S(db, db->files[file].format), "dyad") == 0;
}

static const char *file_name(const dyad__db *db, uint32_t file)
{
    return file < db->nfiles ? S(db, db->files[file].path) : "";
}

/* ---------------------------------------------------------------- the code table */

static const dyad__dcameo *cameo_find(const dyad__db *db, const char *code)
{
    for (size_t i = 0; i < db->ncameo; i++)
        if (strcmp(S(db, db->cameo[i].code), code) == 0)
            return &db->cameo[i];
    return NULL;
}

static int root_quad(const char *code)
{
    int root = (code[0] - '0') * 10 + (code[1] - '0');
    return root <= 5 ? 1 : root <= 9 ? 2 : root <= 14 ? 3 : 4;
}

static void lint_cameo(dyad__db *db)
{
    for (size_t i = 0; i < db->ncameo; i++) {
        const dyad__dcameo *c = &db->cameo[i];
        uint32_t file = db->cameo_where[2 * i], line = db->cameo_where[2 * i + 1];
        const char *code = S(db, c->code);
        for (size_t j = 0; j < i; j++)
            if (strcmp(S(db, db->cameo[j].code), code) == 0) {
                dyad__db_lint(db, file, line, true, "code %s is listed twice (first at line %u)",
                              code, db->cameo_where[2 * j + 1]);
                break;
            }
        int root = (code[0] - '0') * 10 + (code[1] - '0');
        if (root < 1 || root > 20) {
            dyad__db_lint(db, file, line, true, "code %s: no CAMEO root %02d", code, root);
            continue;
        }
        if ((int)c->quad != root_quad(code))
            dyad__db_lint(db, file, line, true,
                          "code %s: QuadClass %u, but root %.2s is QuadClass %d", code, c->quad,
                          code, root_quad(code));
        if (strlen(code) > 2) {
            char parent[8];
            size_t n = strlen(code) - 1;
            memcpy(parent, code, n);
            parent[n] = 0;
            if (!cameo_find(db, parent))
                dyad__db_lint(db, file, line, false, "code %s: its parent %s is not listed",
                              code, parent);
        }
    }
}

static bool special_code(const char *c)
{
    return strcmp(c, "---") == 0 || strcmp(c, "###") == 0 || strcmp(c, "+++") == 0 || !*c;
}

static void check_event_code(dyad__db *db, uint32_t file, uint32_t line, const char *code,
                             const char *what)
{
    if (!db->ncameo || special_code(code) || cameo_find(db, code))
        return;
    dyad__db_lint(db, file, line, true, "%s code %s is not in the CAMEO code table", what,
                  code);
}

static void lint_event_codes(dyad__db *db)
{
    for (size_t p = 0; p < db->npats; p++) {
        const dyad__dpat *pat = &db->pats[p];
        check_event_code(db, pat->file, pat->line, S(db, pat->code1), "event");
        check_event_code(db, pat->file, pat->line, S(db, pat->code2), "event");
    }
    for (size_t b = 0; b < db->nblocks; b++) {
        const dyad__dblock *bl = &db->blocks[b];
        char c1[32];
        const char *code = S(db, bl->code);
        size_t n = strcspn(code, ":?!");
        if (n >= sizeof c1)
            continue;
        memcpy(c1, code, n);
        c1[n] = 0;
        check_event_code(db, bl->file, bl->line, c1, "verb block");
    }
    for (size_t v = 0; v < db->nverbs; v++) {
        const dyad__dverb *vb = &db->verbs[v];
        if (vb->block < db->nblocks && vb->code.off == db->blocks[vb->block].code.off)
            continue;
        char c1[32];
        const char *code = S(db, vb->code);
        size_t n = strcspn(code, ":?!");
        if (n >= sizeof c1)
            continue;
        memcpy(c1, code, n);
        c1[n] = 0;
        check_event_code(db, vb->file, vb->line, c1, "verb");
    }
}

/* ---------------------------------------------------------------- actor codes */

typedef struct countries {
    char (*code)[4];
    size_t n;
} countries;

static bool known_country(const countries *c, const char *x)
{
    for (size_t i = 0; i < c->n; i++)
        if (memcmp(c->code[i], x, 3) == 0)
            return true;
    return false;
}

/* Check an actor code of a dyad entry; returns a message or NULL. */
static const char *code_problem(const countries *cs, const char *code, uint16_t kind,
                                char *buf, size_t cap)
{
    size_t n = strlen(code);
    if (n == 0 || n % 3) {
        snprintf(buf, cap, "'%s' is not made of three-letter parts", code);
        return buf;
    }
    for (size_t i = 0; i < n; i++)
        if (code[i] < 'A' || code[i] > 'Z') {
            snprintf(buf, cap, "'%s' is not made of capital letters", code);
            return buf;
        }
    if (kind == DYAD__DK_AGENT) {
        for (size_t i = 0; i < n; i += 3)
            if (!dyad__dcode_role(code + i) && !dyad__dcode_group(code + i) &&
                !dyad__dcode_prefix(code + i)) {
                snprintf(buf, cap, "agent code %s: %.3s is not a CAMEO role code", code,
                         code + i);
                return buf;
            }
        return NULL;
    }
    const char *first = code;
    bool international = dyad__dcode_prefix(first);
    bool role_only = dyad__dcode_role(first);
    bool group = dyad__dcode_group(first);
    bool country = !international && !role_only && !group;
    if (country && cs->n && !known_country(cs, first)) {
        snprintf(buf, cap, "code %s: %.3s is neither a country of the dictionary nor a CAMEO "
                           "international, regional or group code",
                 code, first);
        return buf;
    }
    if (international)
        return NULL;   /* organisation codes follow: free */
    /* after a country (or a role / group): roles or groups; a final organisation code may
     * follow at least one role ("ISRGOVLKD") */
    bool had_role = role_only || group;
    for (size_t i = 3; i < n; i += 3) {
        const char *part = code + i;
        if (dyad__dcode_role(part) || dyad__dcode_group(part)) {
            had_role = true;
            continue;
        }
        if (dyad__dcode_prefix(part))
            continue;
        if (i + 3 == n && had_role)
            continue;
        snprintf(buf, cap, "code %s: %.3s is not a CAMEO role code", code, part);
        return buf;
    }
    return NULL;
}

static void lint_actor_codes(dyad__db *db)
{
    countries cs = {NULL, 0};
    cs.code = malloc((db->nents + 1) * sizeof *cs.code);
    if (!cs.code) {
        db->oom = true;
        return;
    }
    for (size_t e = 0; e < db->nents; e++) {
        const dyad__dent *en = &db->ents[e];
        if (en->kind == DYAD__DK_COUNTRY && dyad_file(db, en->file) && en->country.len == 3) {
            memcpy(cs.code[cs.n], S(db, en->country), 3);
            cs.code[cs.n++][3] = 0;
        }
    }
    for (size_t i = 0; i < db->nroles; i++) {
        const dyad__dbrole *r = &db->roles[i];
        const dyad__dent *en = &db->ents[r->entry];
        if (!dyad_file(db, en->file))
            continue;
        uint16_t k = en->kind;
        if (k == DYAD__DK_COUNTRY || k == DYAD__DK_ADJ || k == DYAD__DK_PEOPLE ||
            k == DYAD__DK_CAPITAL || k == DYAD__DK_CITY || k == DYAD__DK_REGION)
            continue;   /* the country's own code */
        char buf[200];
        const char *msg = code_problem(&cs, S(db, r->r.code), k, buf, sizeof buf);
        if (msg)
            dyad__db_lint(db, en->file, r->line, true, "%s", msg);
        if (k == DYAD__DK_METONYM && en->country.len == 3 &&
            strncmp(S(db, r->r.code), S(db, en->country), 3) != 0)
            dyad__db_lint(db, en->file, r->line, false,
                          "'as %s' under country %s: the codes' countries differ",
                          S(db, r->r.code), S(db, en->country));
    }
    free(cs.code);
}

/* ---------------------------------------------------------------- persons' dates */

static void lint_person_dates(dyad__db *db, const role_index *ri)
{
    for (size_t e = 0; e < db->nents; e++) {
        const dyad__dent *en = &db->ents[e];
        if (en->kind != DYAD__DK_PERSON || !dyad_file(db, en->file))
            continue;
        for (uint32_t x = ri->start[e]; x < ri->start[e + 1]; x++) {
            for (uint32_t y = x + 1; y < ri->start[e + 1]; y++) {
                const dyad__dbrole *a = &db->roles[ri->order[x]];
                const dyad__dbrole *b = &db->roles[ri->order[y]];
                if (a->r.from <= b->r.to && b->r.from <= a->r.to)
                    dyad__db_lint(db, en->file, b->line, true,
                                  "%s: role %s overlaps the role %s of line %u",
                                  S(db, en->name), S(db, b->r.code), S(db, a->r.code), a->line);
            }
        }
    }
}

/* ---------------------------------------------------------------- duplicate names */

static int cmp_phrase_words(const void *x, const void *y, void *ctx)
{
    const dyad__db *db = ctx;
    const dyad__dbphrase *a = &db->ph[*(const uint32_t *)x], *b = &db->ph[*(const uint32_t *)y];
    if (a->nwords != b->nwords)
        return a->nwords < b->nwords ? -1 : 1;
    for (uint32_t k = 0; k < a->nwords; k++) {
        uint32_t p = db->pw[a->word_first + k], q = db->pw[b->word_first + k];
        if (p != q)
            return p < q ? -1 : 1;
    }
    uint16_t ka = db->ents[a->ref].kind, kb = db->ents[b->ref].kind;
    if (ka != kb)
        return ka < kb ? -1 : 1;
    return *(const uint32_t *)x < *(const uint32_t *)y ? -1 : 1;
}

static bool same_words(const dyad__db *db, const dyad__dbphrase *a, const dyad__dbphrase *b)
{
    if (a->nwords != b->nwords)
        return false;
    return memcmp(db->pw + a->word_first, db->pw + b->word_first,
                  a->nwords * sizeof *db->pw) == 0;
}

/* Two entries of one kind with the same name: do they give different codes on some date? */
static bool conflict(const dyad__db *db, const role_index *ri, uint32_t ea, uint32_t eb,
                     const char **ca, const char **cb)
{
    for (uint32_t i = ri->start[ea]; i < ri->start[ea + 1]; i++) {
        for (uint32_t j = ri->start[eb]; j < ri->start[eb + 1]; j++) {
            const dyad__drole *a = &db->roles[ri->order[i]].r, *b = &db->roles[ri->order[j]].r;
            if (a->from <= b->to && b->from <= a->to && a->code.off != b->code.off) {
                *ca = S(db, a->code);
                *cb = S(db, b->code);
                return true;
            }
        }
    }
    return false;
}

static void phrase_text(const dyad__db *db, const dyad__dbphrase *p, char *buf, size_t cap)
{
    size_t k = 0;
    buf[0] = 0;
    for (uint32_t i = 0; i < p->nwords && k + 1 < cap; i++) {
        const dyad__dbatom *a = &db->atoms[db->pw[p->word_first + i]];
        int w = snprintf(buf + k, cap - k, "%s%s", i ? " " : "", S(db, a->orig));
        if (w < 0)
            break;
        k += (size_t)w;
        if (k >= cap)
            k = cap - 1;
    }
}

static void lint_duplicates(dyad__db *db, const role_index *ri)
{
    uint32_t *idx = malloc((db->nph + 1) * sizeof *idx);
    if (!idx) {
        db->oom = true;
        return;
    }
    size_t n = 0;
    for (size_t i = 0; i < db->nph; i++) {
        const dyad__dbphrase *p = &db->ph[i];
        if ((p->tflags & DYAD__TERM_SET) || !dyad_file(db, p->file))
            continue;
        idx[n++] = (uint32_t)i;
    }
    if (dyad__dsort(idx, n, sizeof *idx, cmp_phrase_words, db)) {
        free(idx);
        db->oom = true;
        return;
    }
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        const dyad__dbphrase *a = &db->ph[idx[i]];
        while (j < n && same_words(db, a, &db->ph[idx[j]]) &&
               db->ents[db->ph[idx[j]].ref].kind == db->ents[a->ref].kind)
            j++;
        for (size_t x = i; x < j; x++) {
            const dyad__dbphrase *p = &db->ph[idx[x]];
            for (size_t y = i; y < x; y++) {
                const dyad__dbphrase *q = &db->ph[idx[y]];
                char text[256];
                phrase_text(db, p, text, sizeof text);
                uint16_t kind = db->ents[p->ref].kind;
                if (p->ref == q->ref)
                    break;   /* a name given twice (or with and without hyphens): harmless */
                if ((p->tflags | q->tflags) & (DYAD__DF_ALIAS | DYAD__DF_AMBIGUOUS))
                    continue;   /* aliases and ambiguous names may be shared */
                const char *ca, *cb;
                bool places = kind == DYAD__DK_CITY || kind == DYAD__DK_REGION ||
                              kind == DYAD__DK_CAPITAL;
                /* "Port-of-Spain; Port of Spain": the same words twice on one line */
                bool same_line = p->file == q->file && p->line == q->line;
                if (conflict(db, ri, q->ref, p->ref, &ca, &cb))
                    dyad__db_lint(db, p->file, p->line, !places,
                                  "%s '%s' is also at %s:%u with another code (%s, here %s)%s",
                                  dyad_dict_kind_name(kind), text, file_name(db, q->file),
                                  q->line, ca, cb,
                                  places ? "; mark it ambiguous if both are meant" : "");
                else if (!same_line)
                    dyad__db_lint(db, p->file, p->line, false,
                                  "%s '%s' is also at %s:%u%s", dyad_dict_kind_name(kind),
                                  text, file_name(db, q->file), q->line,
                                  kind == DYAD__DK_DISCARD ? "" : " with the same code");
                break;
            }
        }
        i = j;
    }
    free(idx);
}

/* ---------------------------------------------------------------- patterns */

static int cmp_patterns(const void *x, const void *y, void *ctx)
{
    const dyad__db *db = ctx;
    uint32_t i = *(const uint32_t *)x, j = *(const uint32_t *)y;
    const dyad__dpat *a = &db->pats[i], *b = &db->pats[j];
    if (a->block != b->block)
        return a->block < b->block ? -1 : 1;
    int c = strcmp(S(db, a->key), S(db, b->key));
    if (c)
        return c;
    c = strcmp(S(db, a->particle), S(db, b->particle));
    if (c)
        return c;
    if ((a->flags & DYAD__PF_NOUN) != (b->flags & DYAD__PF_NOUN))
        return (a->flags & DYAD__PF_NOUN) ? 1 : -1;
    if (a->nelems != b->nelems)
        return a->nelems < b->nelems ? -1 : 1;
    for (uint32_t k = 0; k < a->nelems; k++) {
        const dyad__delem *p = &db->elems[a->elem_first + k], *q = &db->elems[b->elem_first + k];
        if (p->type != q->type)
            return p->type < q->type ? -1 : 1;
        if (p->flags != q->flags)
            return p->flags < q->flags ? -1 : 1;
        c = strcmp(S(db, p->word), S(db, q->word));
        if (c)
            return c;
    }
    return i < j ? -1 : 1;
}

static bool same_pattern(const dyad__db *db, uint32_t i, uint32_t j)
{
    const dyad__dpat *a = &db->pats[i], *b = &db->pats[j];
    if (a->block != b->block || a->nelems != b->nelems || a->key.off != b->key.off ||
        a->particle.off != b->particle.off ||
        (a->flags & DYAD__PF_NOUN) != (b->flags & DYAD__PF_NOUN))
        return false;
    for (uint32_t k = 0; k < a->nelems; k++) {
        const dyad__delem *p = &db->elems[a->elem_first + k], *q = &db->elems[b->elem_first + k];
        if (p->type != q->type || p->flags != q->flags || p->word.off != q->word.off)
            return false;
    }
    return true;
}

static void lint_patterns(dyad__db *db)
{
    for (size_t p = 0; p < db->npats; p++) {
        const dyad__dpat *pat = &db->pats[p];
        if (!(pat->flags & DYAD__PF_UNRESOLVED))
            continue;
        for (uint32_t k = 0; k < pat->nelems; k++) {
            const dyad__delem *e = &db->elems[pat->elem_first + k];
            if (e->type == DYAD__PE_SET && e->set == DYAD__DNONE)
                dyad__db_lint(db, pat->file, pat->line, true,
                              "set &%s is not defined: the pattern '%s' can never match",
                              S(db, e->word), S(db, pat->text));
        }
    }
    uint32_t *idx = malloc((db->npats + 1) * sizeof *idx);
    if (!idx) {
        db->oom = true;
        return;
    }
    for (size_t i = 0; i < db->npats; i++)
        idx[i] = (uint32_t)i;
    if (dyad__dsort(idx, db->npats, sizeof *idx, cmp_patterns, db)) {
        free(idx);
        db->oom = true;
        return;
    }
    size_t group = 0;   /* the first pattern of a run of identical ones (sorted by index) */
    for (size_t i = 1; i < db->npats; i++) {
        uint32_t cur = idx[i];
        if (!same_pattern(db, idx[group], cur)) {
            group = i;
            continue;
        }
        uint32_t first = idx[group], later = cur;
        const dyad__dpat *a = &db->pats[first], *b = &db->pats[later];
        bool same_code = a->code.off == b->code.off;
        dyad__db_lint(db, b->file, b->line, !same_code,
                      same_code ? "pattern '%s' [%s] repeats the one at %s:%u"
                                : "pattern '%s' [%s] is unreachable: the same pattern at %s:%u "
                                  "comes first",
                      S(db, b->text), S(db, b->code), file_name(db, a->file), a->line);
    }
    free(idx);
    for (size_t s = 0; s < db->nsets; s++)
        if (db->sets[s].nmembers == 0)
            dyad__db_lint(db, db->sets[s].file, db->sets[s].line, false, "set &%s is empty",
                          S(db, db->sets[s].name));
}

/* ---------------------------------------------------------------- entry point */

void dyad__dict_lint(dyad__db *db)
{
    lint_cameo(db);
    lint_event_codes(db);
    lint_actor_codes(db);
    role_index ri;
    if (index_roles(db, &ri)) {
        lint_person_dates(db, &ri);
        lint_duplicates(db, &ri);
        free(ri.start);
        free(ri.order);
    }
    lint_patterns(db);
}
