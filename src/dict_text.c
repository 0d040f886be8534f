/* dict_text.c - words of dictionary names and of sentence tokens, folding, dates, code lists. */
#include "dict_impl.h"

#include <stdlib.h>
#include <utf8proc.h>

uint32_t dyad__dhash(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h ? h : 1u;
}

size_t dyad__dfold(const char *s, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            if (o >= cap)
                return (size_t)-1;
            out[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
            i++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0) {             /* not UTF-8: the byte as it is */
            if (o >= cap)
                return (size_t)-1;
            out[o++] = (char)c;
            i++;
            continue;
        }
        i += (size_t)k;
        if (cp == 0x2018 || cp == 0x2019 || cp == 0x02BC) {
            if (o >= cap)
                return (size_t)-1;
            out[o++] = '\'';
            continue;
        }
        cp = utf8proc_tolower(cp);
        utf8proc_uint8_t buf[4];
        utf8proc_ssize_t m = utf8proc_encode_char(cp, buf);
        if (o + (size_t)m > cap)
            return (size_t)-1;
        memcpy(out + o, buf, (size_t)m);
        o += (size_t)m;
    }
    return o;
}

static bool is_sep(char c)
{
    return c == ' ' || c == '\t' || c == '_' || c == '-' || c == '\r' || c == '\n';
}

static bool opening(char c)
{
    return c == '(' || c == '[' || c == '{' || c == '"';
}

static bool closing(char c)
{
    return c == ')' || c == ']' || c == '}' || c == '"' || c == ',' || c == ';' || c == ':' ||
           c == '!' || c == '?';
}

/* Length of a final "'s" (or "’s") clitic of p[0,n), 0 when none. */
static size_t possessive(const char *p, size_t n)
{
    if (n >= 3 && (p[n - 1] == 's' || p[n - 1] == 'S') && p[n - 2] == '\'')
        return 2;
    if (n >= 5 && (p[n - 1] == 's' || p[n - 1] == 'S') && (unsigned char)p[n - 4] == 0xE2 &&
        (unsigned char)p[n - 3] == 0x80 && (unsigned char)p[n - 2] == 0x99)
        return 4;
    return 0;
}

size_t dyad__dname_words(const char *s, size_t n, dyad__dword *w, size_t max)
{
    size_t nw = 0, i = 0;
#define PUT(pp, nn)                                                                        \
    do {                                                                                   \
        if (nw < max) {                                                                    \
            w[nw].p = (pp);                                                                \
            w[nw].n = (nn);                                                                \
        }                                                                                  \
        nw++;                                                                              \
    } while (0)
    while (i < n) {
        while (i < n && is_sep(s[i]))
            i++;
        if (i >= n)
            break;
        size_t a = i;
        while (i < n && !is_sep(s[i]))
            i++;
        size_t b = i;
        while (a < b && opening(s[a])) {
            PUT(s + a, 1);
            a++;
        }
        size_t close_from = b;
        while (close_from > a && closing(s[close_from - 1]))
            close_from--;
        size_t core_end = close_from, clitic = 0;
        if ((clitic = possessive(s + a, core_end - a)) != 0) {
            core_end -= clitic;
        } else if (core_end - a >= 2 && s[core_end - 1] == '\'' &&
                   (s[core_end - 2] == 's' || s[core_end - 2] == 'S')) {
            clitic = 1;       /* "workers'" -> workers ' */
            core_end -= 1;
        }
        if (core_end > a)
            PUT(s + a, core_end - a);
        if (clitic)
            PUT(s + core_end, clitic);
        for (size_t k = close_from; k < b; k++)
            PUT(s + k, 1);
    }
#undef PUT
    return nw < max ? nw : max;
}

bool dyad__dsubword(const char *s, size_t n, size_t *pos, dyad__dword *out)
{
    size_t i = *pos;
    while (i < n && s[i] == '-')
        i++;
    if (i >= n) {
        *pos = n;
        return false;
    }
    size_t a = i;
    while (i < n && s[i] != '-')
        i++;
    out->p = s + a;
    out->n = i - a;
    *pos = i;
    return true;
}

/* ---------------------------------------------------------------- sorting */

static void merge_pass(char *src, char *dst, size_t n, size_t size, size_t width,
                       int (*cmp)(const void *, const void *, void *), void *ctx)
{
    for (size_t lo = 0; lo < n; lo += 2 * width) {
        size_t mid = lo + width < n ? lo + width : n;
        size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
        size_t i = lo, j = mid, k = lo;
        if (size == sizeof(uint32_t)) {   /* the common case: index arrays */
            uint32_t *d32 = (uint32_t *)(void *)dst, *s32 = (uint32_t *)(void *)src;
            while (i < mid && j < hi) {
                if (cmp(&s32[j], &s32[i], ctx) < 0)
                    d32[k++] = s32[j++];
                else
                    d32[k++] = s32[i++];
            }
        }
        while (i < mid && j < hi) {
            if (cmp(src + j * size, src + i * size, ctx) < 0)
                memcpy(dst + k++ * size, src + j++ * size, size);
            else
                memcpy(dst + k++ * size, src + i++ * size, size);
        }
        if (i < mid)
            memcpy(dst + k * size, src + i * size, (mid - i) * size), k += mid - i;
        if (j < hi)
            memcpy(dst + k * size, src + j * size, (hi - j) * size);
    }
}

dyad_status dyad__dsort(void *base, size_t n, size_t size,
                        int (*cmp)(const void *, const void *, void *), void *ctx)
{
    if (n < 2)
        return DYAD_OK;
    char *tmp = malloc(n * size);
    if (!tmp)
        return DYAD_ENOMEM;
    char *src = base, *dst = tmp;
    /* runs of 8 by insertion sort, then merging */
    const size_t run = 8;
    for (size_t lo = 0; lo < n; lo += run) {
        size_t hi = lo + run < n ? lo + run : n;
        for (size_t i = lo + 1; i < hi; i++)
            for (size_t j = i; j > lo && cmp(src + j * size, src + (j - 1) * size, ctx) < 0; j--) {
                memcpy(tmp, src + j * size, size);
                memcpy(src + j * size, src + (j - 1) * size, size);
                memcpy(src + (j - 1) * size, tmp, size);
            }
    }
    for (size_t width = run; width < n; width *= 2) {
        merge_pass(src, dst, n, size, width, cmp, ctx);
        char *x = src;
        src = dst;
        dst = x;
    }
    if (src != base)
        memcpy(base, src, n * size);
    free(tmp);
    return DYAD_OK;
}

/* ---------------------------------------------------------------- dates */

static int days_in(int y, int m)
{
    static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return d[m - 1];
}

static int32_t ymd(int y, int m, int d)
{
    if (y < 1000 || y > 2999 || m < 1 || m > 12 || d < 1 || d > days_in(y, m))
        return 0;
    return y * 10000 + m * 100 + d;
}

static bool digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return n > 0;
}

static int num(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

int32_t dyad__ddate_iso(const char *s, size_t n)
{
    if (n != 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4) || !digits(s + 5, 2) ||
        !digits(s + 8, 2))
        return 0;
    return ymd(num(s, 4), num(s + 5, 2), num(s + 8, 2));
}

int32_t dyad__ddate_petr(const char *s, size_t n)
{
    if (!digits(s, n))
        return 0;
    if (n == 6) {
        int yy = num(s, 2);
        return ymd(yy <= 30 ? 2000 + yy : 1900 + yy, num(s + 2, 2), num(s + 4, 2));
    }
    if (n == 8)
        return ymd(num(s, 4), num(s + 4, 2), num(s + 6, 2));
    return 0;
}

/* ---------------------------------------------------------------- word and code lists */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool in_sorted(const char *const *list, size_t n, const char *s, size_t len)
{
    char key[16];
    if (len >= sizeof key)
        return false;
    memcpy(key, s, len);
    key[len] = 0;
    const char *k = key;
    return bsearch(&k, list, n, sizeof *list, cmp_str) != NULL;
}

#define COUNT(a) (sizeof(a) / sizeof *(a))

/* CAMEO codebook 1.1b3, table 3.1 (generic domestic roles) and PTY. */
static const char *const roles[] = {
    "AGR", "BUS", "COP", "CRM", "CVL", "DEV", "EDU", "ELI", "ENV", "GOV", "HLH", "HRI", "INS",
    "JUD", "LAB", "LEG", "MED", "MIL", "MOD", "OPP", "PTY", "RAD", "REB", "REF", "SEP", "SPY",
    "UAF"};

/* Table 3.2 (international generic codes) and table 3.3 (international regions). */
static const char *const prefixes[] = {
    "AFR", "ASA", "BLK", "CAS", "CAU", "CEU", "CFR", "CRB", "EAF", "EEU", "EIN", "EUR", "IGO",
    "IMG", "INT", "LAM", "MDT", "MEA", "MNC", "NAF", "NGM", "NGO", "NMR", "PGS", "SAF", "SAM",
    "SAS", "SCN", "SEA", "UIS", "WAF", "WST"};

/* Tables 10.1 and 10.2: ethnic and religious group codes (and their three-letter parts). */
static const char *const groups[] = {
    "ABN", "ALE", "ARB", "ATH", "BAH", "BED", "BUD", "CHR", "CKM", "CON", "CPT", "CRO", "CTH",
    "DOX", "DRZ", "GYP", "HAU", "HIN", "HSD", "HUT", "IBO", "IJW", "JAN", "JEW", "JHW", "KRH",
    "KUR", "LDS", "MAN", "MOS", "MRN", "OGO", "PAG", "PAL", "PRO", "REL", "SER", "SFI", "SHI",
    "SIK", "SLV", "SNL", "SUN", "TAM", "TAO", "TRG", "TRK", "TUT", "UDX", "UIG", "YRB", "ZRO"};

bool dyad__dcode_role(const char *c)
{
    return in_sorted(roles, COUNT(roles), c, 3);
}

bool dyad__dcode_prefix(const char *c)
{
    return in_sorted(prefixes, COUNT(prefixes), c, 3);
}

bool dyad__dcode_group(const char *c)
{
    return in_sorted(groups, COUNT(groups), c, 3);
}

/* English function words: a one-word PETRARCH/TABARI name spelled like one of these ("US",
 * "IS", "IT") matches only in capitals. */
static const char *const function_words[] = {
    "a",    "about", "after", "all",  "am",   "an",   "and",  "any",  "are",  "as",   "at",
    "be",   "but",   "by",    "can",  "do",   "for",  "from", "go",   "had",  "has",  "he",
    "her",  "him",   "his",   "i",    "if",   "in",   "into", "is",   "it",   "its",  "may",
    "me",   "my",    "new",   "no",   "not",  "now",  "of",   "off",  "on",   "one",  "or",
    "our",  "out",   "over",  "she",  "so",   "than", "that", "the",  "them", "then", "they",
    "this", "to",    "two",   "up",   "us",   "was",  "we",   "were", "who",  "will", "with",
    "you"};

bool dyad__dfunction_word(const char *folded, size_t n)
{
    return in_sorted(function_words, COUNT(function_words), folded, n);
}

/* Prepositions that mark the case of the phrase after them in dyad's verb patterns. */
static const char *const prepositions[] = {
    "about",   "above",   "across", "after",  "against", "along",   "amid",    "among",
    "around",  "as",      "at",     "before", "behind",  "below",   "beneath", "beside",
    "between", "beyond",  "by",     "despite", "during", "except",  "for",     "from",
    "in",      "inside",  "into",   "like",   "near",    "of",      "on",      "onto",
    "outside", "over",    "past",   "per",    "since",   "than",    "through", "throughout",
    "to",      "toward",  "towards", "under", "until",   "upon",    "versus",  "via",
    "with",    "within",  "without"};

bool dyad__dpreposition(const char *folded, size_t n)
{
    return in_sorted(prepositions, COUNT(prepositions), folded, n);
}
