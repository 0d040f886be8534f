/* text.c - the text front end: splits a document into sentences and UD English tokens. */
#include "abbrev.h"
#include "internal.h"

#include <utf8proc.h>

/* The segmenter works in two linear passes over doc->text:
 *   1. tokenise: a byte scanner cuts the text at whitespace into chunks and each chunk into
 *      tokens (words, numbers, URLs, punctuation), appending them to doc->tokens; beside each
 *      token it records a few classes (worker->seg_aux) for the second pass;
 *   2. sentences: walks the tokens once and closes a sentence after final punctuation, an
 *      abbreviation that may end a sentence, a title line, a paragraph break or the limit.
 * The rules and their reasons are in docs/segmentation.md. */

/* ---------------------------------------------------------------- characters */

enum {
    C_OTHER = 0,  /* punctuation or symbol: a token of its own */
    C_SPACE,
    C_NL,         /* a line break */
    C_PARA,       /* U+2029 PARAGRAPH SEPARATOR */
    C_UPPER,      /* from here on: characters of words */
    C_LOWER,
    C_LETTER,     /* letters without case, other numbers */
    C_DIGIT,
    C_MARK        /* combining marks and joiners: stay with the character before */
};

#define IS_WORD(c) ((c) >= C_UPPER)
#define IS_BLANK(c) ((c) >= C_SPACE && (c) <= C_PARA)

#define O_ C_OTHER
#define S_ C_SPACE
#define N_ C_NL
#define U_ C_UPPER
#define L_ C_LOWER
#define D_ C_DIGIT

static const uint8_t ascii_class[128] = {
    S_, S_, S_, S_, S_, S_, S_, S_, S_, S_, N_, S_, S_, N_, S_, S_,   /* \n and \r break lines */
    S_, S_, S_, S_, S_, S_, S_, S_, S_, S_, S_, S_, S_, S_, S_, S_,
    S_, O_, O_, O_, O_, O_, O_, O_, O_, O_, O_, O_, O_, O_, O_, O_,
    D_, D_, D_, D_, D_, D_, D_, D_, D_, D_, O_, O_, O_, O_, O_, O_,
    O_, U_, U_, U_, U_, U_, U_, U_, U_, U_, U_, U_, U_, U_, U_, U_,
    U_, U_, U_, U_, U_, U_, U_, U_, U_, U_, U_, O_, O_, O_, O_, O_,
    O_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_,
    L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, O_, O_, O_, O_, S_,
};

typedef struct uch {
    uint32_t cp;
    uint32_t len;
    int cls;
} uch;

static int uni_class(uint32_t cp)
{
    switch (cp) {
    case 0x00A0: case 0x1680: case 0x180E: case 0x200B: case 0x202F: case 0x205F:
    case 0x2060: case 0x3000: case 0xFEFF:
        return C_SPACE;
    case 0x0085: case 0x2028:
        return C_NL;
    case 0x2029:
        return C_PARA;
    case 0x00AD: case 0x200C: case 0x200D:
        return C_MARK;
    default:
        break;
    }
    if (cp >= 0x2000 && cp <= 0x200A)
        return C_SPACE;
    switch (utf8proc_category((utf8proc_int32_t)cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LT:
        return C_UPPER;
    case UTF8PROC_CATEGORY_LL:
        return C_LOWER;
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
        return C_LETTER;
    case UTF8PROC_CATEGORY_ND:
        return C_DIGIT;
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
        return C_MARK;
    case UTF8PROC_CATEGORY_ZS: case UTF8PROC_CATEGORY_CC:
        return C_SPACE;
    case UTF8PROC_CATEGORY_ZL:
        return C_NL;
    case UTF8PROC_CATEGORY_ZP:
        return C_PARA;
    default:
        return C_OTHER;
    }
}

/* Decode the character at s[i] (i < n).  Invalid bytes count as one-byte symbols. */
static uch decode(const uint8_t *s, size_t n, size_t i)
{
    uch u = {0xFFFD, 1, C_OTHER};
    uint8_t c = s[i];
    uint32_t len, cp;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        cp = c & 0x1Fu;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        cp = c & 0x0Fu;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        cp = c & 0x07u;
    } else {
        return u;
    }
    if (n - i < len)
        return u;
    for (uint32_t k = 1; k < len; k++) {
        if ((s[i + k] & 0xC0) != 0x80)
            return u;
        cp = (cp << 6) | (s[i + k] & 0x3Fu);
    }
    u.cp = cp;
    u.len = len;
    u.cls = uni_class(cp);
    return u;
}

static inline uch char_at(const uint8_t *s, size_t n, size_t i)
{
    uint8_t c = s[i];
    if (c < 0x80) {
        uch u = {c, 1, ascii_class[c]};
        return u;
    }
    return decode(s, n, i);
}

static inline int class_at(const uint8_t *s, size_t n, size_t i)
{
    return s[i] < 0x80 ? ascii_class[s[i]] : decode(s, n, i).cls;
}

/* The character that ends just before s[i] (i > 0). */
static uch char_before(const uint8_t *s, size_t n, size_t i)
{
    size_t j = i - 1;
    while (j > 0 && i - j < 4 && (s[j] & 0xC0) == 0x80)
        j--;
    uch u = char_at(s, n, j);
    if (j + u.len != i) {       /* a stray continuation byte */
        u.cp = 0xFFFD;
        u.len = 1;
        u.cls = C_OTHER;
    }
    return u;
}

/* ---------------------------------------------------------------- token classes */

/* Classes the tokeniser records beside each token for the sentence pass. */
enum {
    A_NL = 3u,              /* line breaks before the token: 0, 1, or 2 for a paragraph */
    A_FINAL = 1u << 2,      /* . ? ! and runs of them */
    A_ELLIPSIS = 1u << 3,   /* ... .. and U+2026 */
    A_CLOSE = 1u << 4,      /* closing bracket or quote */
    A_OPEN = 1u << 5,       /* opening bracket or quote */
    A_AMBIG = 1u << 6,      /* straight double quote of unknown direction */
    A_DQUOTE = 1u << 7,     /* straight double quote */
    A_QUOTE = 1u << 8,      /* any quotation mark */
    A_UPPER = 1u << 9,      /* starts with an upper-case letter */
    A_LOWER = 1u << 10,     /* starts with a lower-case letter */
    A_DIGIT = 1u << 11,     /* starts with a digit */
    A_PUNCT = 1u << 12,     /* punctuation or symbol */
    A_NOEND = 1u << 13,     /* abbreviation that never ends a sentence */
    A_MAYEND = 1u << 14,    /* abbreviation that may end one */
    A_TITLE = 1u << 15,     /* last token of a title-like line followed by one line break */
    A_EMOTICON = 1u << 16,  /* :) ;-) */
    A_NOSTART = 1u << 17,   /* , ; : and the like: cannot start a sentence */
    A_SEP = 1u << 18,       /* a separator such as "***": a sentence of its own */
    A_URL = 1u << 19,       /* a web address */
    A_DASH = 1u << 20       /* - -- en or em dash */
};

typedef struct seg {
    dyad_doc *doc;
    dyad_worker *w;
    const uint8_t *s;
    size_t n;
    uint32_t max_tok;
    uint32_t nl;           /* line breaks before the next token (0, 1, 2) */
    size_t line_first;     /* first token of the current line */
    bool oom;
} seg;

static inline bool blank_at(const seg *g, size_t i)
{
    return i < g->n && IS_BLANK(class_at(g->s, g->n, i));
}

/* A U+FFFD in the normalised text that was not in the original: repaired input. */
static bool repaired(const seg *g, size_t a, size_t b)
{
    const dyad_doc *doc = g->doc;
    for (size_t i = a; i + 2 < b; i++) {
        if (g->s[i] == 0xEF && g->s[i + 1] == 0xBF && g->s[i + 2] == 0xBD) {
            uint32_t o = dyad__orig_offset(doc, i);
            if (o + 3 > doc->orig.len || memcmp(doc->orig.ptr + o, "\xEF\xBF\xBD", 3) != 0)
                return true;
        }
    }
    return false;
}

static void push(seg *g, size_t a, size_t b, uint32_t aux)
{
    dyad_doc *doc = g->doc;
    dyad_worker *w = g->w;
    size_t k = doc->ntokens;
    if (k >= w->cap_seg_aux && DYAD_GROW(w->seg_aux, w->cap_seg_aux, k + 1)) {
        g->oom = true;
        return;
    }
    dyad_token *t = dyad__doc_push_token(doc);
    if (!t) {
        g->oom = true;
        return;
    }
    t->form = dyad__slice((const char *)g->s + a, b - a);
    t->start = dyad__orig_offset(doc, a);
    t->end = dyad__orig_offset(doc, b);
    if (blank_at(g, b))
        t->flags |= DYAD_TOK_SPACE_AFTER;
    if (k == 0 || g->nl >= 2)
        t->flags |= DYAD_TOK_PARA_START;
    if (doc->offmap && repaired(g, a, b))
        t->flags |= DYAD_TOK_REPAIRED;
    switch (class_at(g->s, g->n, a)) {
    case C_UPPER: aux |= A_UPPER; break;
    case C_LOWER: aux |= A_LOWER; break;
    case C_DIGIT: aux |= A_DIGIT; break;
    case C_LETTER: case C_MARK: break;
    default: aux |= A_PUNCT; break;
    }
    w->seg_aux[k] = aux | (k ? g->nl : 0);
    g->nl = 0;
}

/* Append the token s[a,b), cut into pieces of at most max_tok bytes when longer. */
static void emit(seg *g, size_t a, size_t b, uint32_t aux)
{
    if (b - a <= g->max_tok) {
        push(g, a, b, aux);
        return;
    }
    uint32_t off = dyad__orig_offset(g->doc, a);
    dyad__doc_warn(g->doc, DYAD_ELIMIT, (long)off,
                   "token of %zu bytes at byte %u split at the limit of %u bytes", b - a, off,
                   g->max_tok);
    while (a < b && !g->oom) {
        size_t e = a + g->max_tok;
        if (e >= b) {
            e = b;
        } else {
            while (e > a && (g->s[e] & 0xC0) == 0x80)
                e--;
            if (e == a) {       /* the limit is smaller than one character */
                e = a + 1;
                while (e < b && (g->s[e] & 0xC0) == 0x80)
                    e++;
            }
        }
        push(g, a, e, aux);
        a = e;
    }
}

/* ---------------------------------------------------------------- words */

static inline bool is_digit(uint8_t c)
{
    return c >= '0' && c <= '9';
}

/* Characters that join two word characters into one word: "U.S", "1,000", "3:30",
 * "e-mail", "don't", "and/or", "AT&T", "a@b.org", "snake_case". */
static inline bool is_connector(uint32_t cp)
{
    switch (cp) {
    case '.': case '-': case '\'': case ',': case ':': case '/': case '&': case '@': case '_':
    case 0x2019:
        return true;
    default:
        return false;
    }
}

static inline int lower_ascii(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* Where a UD clitic starts at the end of the word s[a,b): "n't", "'s", "'re", "'ve", "'ll",
 * "'m", "'d" (also with U+2019); a when there is none. */
static size_t clitic_start(const uint8_t *s, size_t a, size_t b)
{
    if (b - a < 3)
        return a;
    /* n't */
    if (lower_ascii(s[b - 1]) == 't') {
        size_t ap = 0;
        if (s[b - 2] == '\'')
            ap = b - 2;
        else if (b - a >= 5 && s[b - 4] == 0xE2 && s[b - 3] == 0x80 && s[b - 2] == 0x99)
            ap = b - 4;
        if (ap > a + 1 && lower_ascii(s[ap - 1]) == 'n')
            return ap - 1;
    }
    /* 's 'm 'd and 're 've 'll */
    for (size_t k = 1; k <= 2; k++) {
        if (b - a < k + 2)
            break;
        size_t t = b - k;
        int c0 = lower_ascii(s[t]);
        if (k == 1 && !(c0 == 's' || c0 == 'm' || c0 == 'd'))
            continue;
        if (k == 2) {
            int c1 = lower_ascii(s[t + 1]);
            if (!((c0 == 'r' && c1 == 'e') || (c0 == 'v' && c1 == 'e') ||
                  (c0 == 'l' && c1 == 'l')))
                continue;
        }
        size_t ap = 0;
        if (s[t - 1] == '\'' && t - 1 > a)
            ap = t - 1;
        else if (t >= a + 4 && s[t - 3] == 0xE2 && s[t - 2] == 0x80 && s[t - 1] == 0x99)
            ap = t - 3;
        if (ap)
            return is_digit(s[ap - 1]) ? a : ap;    /* "1990's" stays whole */
    }
    return a;
}

/* Where the unit starts in a number with a unit ("10pm", "5:30PM", "3.5m", "20km"), or 0.
 * Ordinals and decades stay whole ("5th", "1990s"), as UD English does. */
static size_t unit_start(const uint8_t *s, size_t a, size_t b)
{
    static const char *const units[] = {
        "am", "pm", "m", "k", "b", "bn", "mm", "cm", "km", "kg", "g", "mg", "lb", "lbs", "ft",
        "mph", "kph", "hr", "hrs", "min", "mins", "yr", "yrs", "gb", "mb", "kb", "tb", "ghz",
        "mhz", "hz", "kw", "mw", "gw", "kwh", "ml", "sqft", "oz", "tn", "mln", "bln",
    };
    size_t i = a;
    while (i < b && (is_digit(s[i]) || s[i] == '.' || s[i] == ',' || s[i] == ':'))
        i++;
    if (i == a || i == b || !is_digit(s[i - 1]) || b - i > 4)
        return 0;
    for (size_t k = 0; k < sizeof units / sizeof *units; k++) {
        size_t len = strlen(units[k]), j = 0;
        if (len != b - i)
            continue;
        while (j < len && lower_ascii(s[i + j]) == units[k][j])
            j++;
        if (j == len)
            return i;
    }
    return 0;
}

/* A word piece s[a,b) (plus its period when dot): splits clitics and contractions. */
static void emit_piece(seg *g, size_t a, size_t b, bool dot, uint32_t aux)
{
    if (!dot && b > a) {
        size_t c = clitic_start(g->s, a, b);
        if (c > a) {
            emit(g, a, c, 0);
            emit(g, c, b, 0);
            return;
        }
        if (is_digit(g->s[a]) && (c = unit_start(g->s, a, b)) > a) {
            emit(g, a, c, 0);
            emit(g, c, b, 0);
            return;
        }
        uint8_t cuts[2];
        int k = dyad__contraction_cuts((const char *)g->s + a, b - a, cuts);
        if (k > 0) {
            size_t p = a;
            for (int i = 0; i < k; i++) {
                emit(g, p, a + cuts[i], 0);
                p = a + cuts[i];
            }
            emit(g, p, b, 0);
            return;
        }
    }
    emit(g, a, b + (dot ? 1 : 0), aux);
}

static bool all_letters_upper_first(const uint8_t *s, size_t a, size_t b)
{
    if (b <= a || b - a > 6 || !(s[a] >= 'A' && s[a] <= 'Z'))
        return false;
    for (size_t i = a + 1; i < b; i++)
        if (lower_ascii(s[i]) < 'a' || lower_ascii(s[i]) > 'z')
            return false;
    return true;
}

/* Keep the hyphen between the parts s[a,h) and s[h+1,c)?  UD English keeps bound prefixes
 * ("anti-American", "e-mail"), and dyad keeps letter-number names ("G-20", "F-16") and party
 * labels ("D-Md."); everything else is split ("search - engine", "10 - year - old"). */
static bool keep_hyphen(const uint8_t *s, size_t a, size_t h, size_t c)
{
    if (dyad__hyphen_prefix((const char *)s + a, h - a))
        return true;
    if (all_letters_upper_first(s, a, h) && is_digit(s[h + 1]))
        return true;                       /* G-20, F-16, AK-47, COVID-19, Su-27 */
    if (h - a == 1 && (s[a] == 'D' || s[a] == 'R' || s[a] == 'I') && c > h + 1 &&
        s[h + 1] >= 'A' && s[h + 1] <= 'Z')
        return true;                       /* D-Md., R-Fla., I-Vt. */
    return false;
}

/* Is the next non-blank character after s[i] a digit (a short look-ahead)? */
static bool digit_follows(const seg *g, size_t i)
{
    for (size_t k = 0; k < 4 && i < g->n; k++, i++) {
        if (is_digit(g->s[i]))
            return true;
        if (g->s[i] != ' ' && g->s[i] != '\t' && g->s[i] != 0xC2 && g->s[i] != 0xA0)
            return false;
    }
    return false;
}

/* Tokenise the word that starts at s[a] (skip: bytes of a leading apostrophe as in "'90s")
 * inside the chunk ending at e; returns where the next token starts. */
static size_t word(seg *g, size_t a, size_t skip, size_t e)
{
    const uint8_t *s = g->s;
    size_t n = g->n;
    size_t b = a + skip;
    size_t last_part = a;            /* start of the text after the last - , : */
    bool has_at = false, has_cut = false;
    while (b < e) {
        uch u = char_at(s, n, b);
        if (IS_WORD(u.cls)) {
            b += u.len;
            continue;
        }
        if (u.cp == '.' && b + 4 < e && s[b + 1] == '.' && s[b + 2] == '.' && s[b + 3] == '@' &&
            IS_WORD(class_at(s, n, b + 4))) {
            b += 3;                  /* an address hidden by a mail archive: "jo...@x.org" */
            continue;
        }
        if (!is_connector(u.cp) || b + u.len >= e || !IS_WORD(class_at(s, n, b + u.len)))
            break;
        if (u.cp == '/' && !(is_digit(s[b - 1]) && is_digit(s[b + 1])) &&
            !(b - a == 1 && (b + 2 >= e || !IS_WORD(class_at(s, n, b + 2)))))
            break;                   /* "9/11", "24/7", "b/c", "w/o" but "and / or" */
        if (u.cp == '@')
            has_at = true;
        else if (u.cp == '-' || u.cp == ',' || u.cp == ':') {
            has_cut = true;
            last_part = b + 1;
        }
        b += u.len;
    }
    if (has_at) {                    /* an e-mail address: whole */
        emit(g, a, b, 0);
        return b;
    }
    if (b - a == 1 && b < e && s[b] == '/' && (s[a] == 'w' || s[a] == 'W')) {
        emit(g, a, b + 1, 0);        /* "w/" for "with" */
        return b + 1;
    }
    if (b - a == 5 && b < e && s[b] == '!' && memcmp(s + a, "Yahoo", 5) == 0) {
        emit(g, a, b + 1, 0);        /* the company's name */
        return b + 1;
    }
    /* a period after the word: part of an abbreviation or a token of its own */
    bool dot = false;
    uint32_t aux = 0;
    if (b < e && s[b] == '.' && !(b + 2 < e && s[b + 1] == '.' && s[b + 2] == '.')) {
        int cls = dyad__abbrev_class((const char *)s + last_part, b - last_part,
                                     digit_follows(g, b + 1));
        if (cls != DYAD_ABBR_NONE) {
            dot = true;
            aux = cls == DYAD_ABBR_NOEND ? A_NOEND : A_MAYEND;
        }
    }
    if (!has_cut) {
        emit_piece(g, a, b, dot, aux);
        return b + dot;
    }
    /* numbers joined by hyphens: phone numbers, codes and dates stay whole ("555-1234",
     * "1-800-555-0100", "11-20-2000", "77042-2016"), ranges are split ("3 - 4",
     * "1969 - 1970", "2016 - 17") */
    bool numeric = true;
    size_t parts = 1, len0 = 0, len1 = 0, cur = 0;
    for (size_t i = a; i < b && numeric; i++) {
        if (s[i] == '-') {
            if (parts == 1)
                len0 = cur;
            parts++;
            cur = 0;
        } else if (is_digit(s[i]) || s[i] == '/' || s[i] == '.') {
            cur++;
        } else {
            numeric = false;
        }
    }
    if (parts == 2)
        len1 = cur;
    bool keep_all = numeric && (parts >= 3 || (parts == 2 && len1 == 4 && len0 != 4));
    size_t piece = a, part = a;
    for (size_t q = a; q < b;) {
        uint8_t c = s[q];
        if (c != '-' && c != ',' && c != ':') {
            q++;
            continue;
        }
        size_t nx = q + 1;
        bool split;
        if (c == '-') {
            size_t end = nx;
            while (end < b && s[end] != '-' && s[end] != ',' && s[end] != ':')
                end++;
            split = !keep_all && !keep_hyphen(s, part, q, end);
        } else {
            split = !(q > a && is_digit(s[q - 1]) && is_digit(s[nx]));
        }
        if (split) {
            emit_piece(g, piece, q, false, 0);
            emit(g, q, nx, c == '-' ? 0 : A_NOSTART);
            piece = nx;
        }
        part = nx;
        q = nx;
    }
    emit_piece(g, piece, b, dot, aux);
    return b + dot;
}

/* ---------------------------------------------------------------- URLs */

static bool prefix_nocase(const uint8_t *s, size_t a, size_t e, const char *p)
{
    size_t k = 0;
    for (; p[k]; k++)
        if (a + k >= e || lower_ascii(s[a + k]) != p[k])
            return false;
    return true;
}

/* End of a URL starting at s[a] ("http://", "https://", "ftp://", "www."), or 0. */
static size_t url_end(const seg *g, size_t a, size_t e)
{
    const uint8_t *s = g->s;
    size_t plen;
    if (prefix_nocase(s, a, e, "http://"))
        plen = 7;
    else if (prefix_nocase(s, a, e, "https://"))
        plen = 8;
    else if (prefix_nocase(s, a, e, "ftp://"))
        plen = 6;
    else if (prefix_nocase(s, a, e, "www."))
        plen = 4;
    else
        return 0;
    size_t open = 0, close = 0;
    for (size_t i = a; i < e; i++) {
        open += s[i] == '(';
        close += s[i] == ')';
    }
    size_t b = e;
    while (b > a + plen) {
        uint8_t c = s[b - 1];
        if (c == ')' && open >= close)
            break;
        if (c == ')') {
            close--;
        } else if (c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' ||
                   c == '\'' || c == '"' || c == ']' || c == '}' || c == '>' || c == '*') {
        } else if (b - a >= plen + 3 && c >= 0x80 && s[b - 3] == 0xE2 && s[b - 2] == 0x80 &&
                   (c == 0x99 || c == 0x9D)) {      /* ’ ” */
            b -= 2;
        } else {
            break;
        }
        b--;
    }
    return b > a + plen ? b : 0;
}

/* ---------------------------------------------------------------- punctuation */

/* Length of an emoticon at s[a] (":)", ";-)", ":D", "<3", "^_^"), or 0. */
static size_t emoticon(const seg *g, size_t a, size_t chunk_start, size_t e)
{
    static const char *const faces[] = {
        ":-)", ":-(", ";-)", ":-D", ":-P", ":-p", ":-/", ":'(", "^_^", ":)", ":(", ";)",
        ":D", ":P", ":p", ":/", "=)", "=(", "^^", "<3", ":]", ":[", ":|", ";D",
    };
    const uint8_t *s = g->s;
    for (size_t i = 0; i < sizeof faces / sizeof *faces; i++) {
        size_t k = strlen(faces[i]);
        if (a + k > e || memcmp(s + a, faces[i], k) != 0)
            continue;
        if (a + k < e && IS_WORD(class_at(s, g->n, a + k)))
            continue;           /* ":Don" is not a face */
        uint8_t last = (uint8_t)faces[i][k - 1];
        if (((last >= 'A' && last <= 'Z') || (last >= 'a' && last <= 'z') || last == '/') &&
            a != chunk_start)
            continue;           /* "http:/" or "Note:D" */
        if (a != chunk_start && is_digit(s[a - 1]))
            continue;           /* "10:)" is unlikely */
        return k;
    }
    return 0;
}

static bool opening_char(uint32_t cp)
{
    switch (cp) {
    case '(': case '[': case '{': case '"': case 0x201C: case 0x2018: case 0xAB:
    case 0x201E: case 0x201A: case 0x2039:
        return true;
    default:
        return false;
    }
}

/* Tokenise the punctuation or symbol u at s[a] inside the chunk [chunk_start, e). */
static size_t punct(seg *g, size_t a, size_t chunk_start, size_t e, uch u)
{
    const uint8_t *s = g->s;
    size_t n = g->n;
    uint32_t c = u.cp;
    size_t q = a + u.len;
    uint32_t aux = 0;
    bool attached_before = a > chunk_start;      /* no blank before */
    if (c == '\'' || c == 0x2019 || c == 0x2018) {
        /* a clitic after a token that kept its period: "U.S.'s"; or set apart from its word
         * by a space, as tokenized corpora write it ("Iran 's minister") */
        bool spaced = !attached_before && a >= 2 && s[a - 1] == ' ' &&
                      IS_WORD(char_before(s, n, a - 1).cls);
        if ((attached_before || spaced) && c != 0x2018 && q < e) {
            int c0 = lower_ascii(s[q]);
            int c1 = q + 1 < e ? lower_ascii(s[q + 1]) : 0;
            size_t k = 0;
            if (c0 == 's' || c0 == 'm' || c0 == 'd')
                k = 1;
            else if ((c0 == 'r' && c1 == 'e') || (c0 == 'v' && c1 == 'e') ||
                     (c0 == 'l' && c1 == 'l'))
                k = 2;
            if (k && (q + k >= e || !IS_WORD(class_at(s, n, q + k)))) {
                emit(g, a, q + k, 0);
                return q + k;
            }
        }
        bool starts = !attached_before || opening_char(char_before(s, n, a).cp);
        /* an elided year or word: "'90s", "'em", "'til", "'cause" */
        if (starts && q < e && is_digit(s[q]))
            return word(g, a, u.len, e);
        if (starts && q < e) {
            static const char *const elided[] = {"em", "til", "cause", "n", "tis", "twas"};
            for (size_t i = 0; i < sizeof elided / sizeof *elided; i++) {
                size_t k = strlen(elided[i]);
                if (q + k <= e && prefix_nocase(s, q, e, elided[i]) &&
                    (q + k == e || !IS_WORD(class_at(s, n, q + k)))) {
                    emit(g, a, q + k, 0);
                    return q + k;
                }
            }
        }
    }
    /* a number with its sign ("+1"), a hashtag ("#audiobooks") */
    if (!attached_before && q < e && ((c == '+' && is_digit(s[q])) ||
                                      (c == '#' && IS_WORD(class_at(s, n, q)) && !is_digit(s[q]))))
        return word(g, a, 1, e);
    if (c == ':' || c == ';' || c == '=' || c == '^' || c == '<') {
        size_t k = emoticon(g, a, chunk_start, e);
        if (k) {
            emit(g, a, a + k, A_EMOTICON);
            return a + k;
        }
    }
    switch (c) {
    case '.': case '!': case '?': {
        bool q_or_x = c != '.';
        size_t dots = c == '.';
        while (q < e && (s[q] == '.' || s[q] == '!' || s[q] == '?')) {
            q_or_x |= s[q] != '.';
            dots += s[q] == '.';
            q++;
        }
        aux = q_or_x || dots == 1 ? A_FINAL : A_ELLIPSIS;
        break;
    }
    case 0x2026:       /* … */
        while (q < e && (s[q] == '.' || (q + 3 <= e && s[q] == 0xE2 && s[q + 1] == 0x80 &&
                                         s[q + 2] == 0xA6)))
            q += s[q] == '.' ? 1 : 3;
        aux = A_ELLIPSIS;
        break;
    case '"': {
        bool before = !attached_before || opening_char(char_before(s, n, a).cp);
        bool after = q >= e;
        if (!after) {
            uch v = char_at(s, n, q);
            after = !IS_WORD(v.cls) && !opening_char(v.cp) && v.cp != '$' && v.cp != '\'' &&
                    v.cp != 0x2018;
        }
        aux = A_DQUOTE | A_QUOTE;
        if (before && !after)
            aux |= A_OPEN;
        else if (!before && after)
            aux |= A_CLOSE;
        else
            aux |= A_AMBIG;
        break;
    }
    case '\'':
        if (q < e && s[q] == '\'') {
            q++;                                     /* '' */
            aux = A_QUOTE | A_CLOSE;
        } else {
            bool before = !attached_before;
            bool after = q >= e || !IS_WORD(class_at(s, n, q));
            aux = A_QUOTE | (before && !after ? A_OPEN : !before && after ? A_CLOSE : 0);
        }
        break;
    case '`':
        while (q < e && s[q] == '`')
            q++;
        aux = A_QUOTE | A_OPEN;
        break;
    case 0x201C: case 0x2018: case 0xAB: case 0x201E: case 0x201A: case 0x2039:
        aux = A_QUOTE | A_OPEN;
        if (c == 0x2018 && q + 3 <= e && s[q] == 0xE2 && s[q + 1] == 0x80 &&
            (s[q + 2] == 0x98 || s[q + 2] == 0x99))
            q += 3;                                  /* ‘‘ or ‘’ */
        break;
    case 0x201D: case 0x2019: case 0xBB: case 0x203A:
        aux = A_QUOTE | A_CLOSE;
        if ((c == 0x2019) && q + 3 <= e && s[q] == 0xE2 && s[q + 1] == 0x80 && s[q + 2] == 0x99)
            q += 3;                                  /* ’’ */
        break;
    case '(': case '[': case '{':
        aux = A_OPEN;
        break;
    case ')': case ']': case '}':
        aux = A_CLOSE;
        break;
    case ',': case ';': case ':': case '%':
        aux = A_NOSTART;
        break;
    case '-': case '*': case '=': case '_': case '~': case '#': case '+': case '<': case '>':
    case '^': case '|': case '\\': case '/': case '$':
        while (q < e && s[q] == c)
            q++;
        if (q - a >= 3 && a == chunk_start && q == e && c != '$' && c != '/')
            aux = A_SEP;                             /* a separator line: "***", "=====" */
        else if (c == '-')
            aux = A_DASH;
        break;
    case 0x2013: case 0x2014: case 0x2015:
        while (q + u.len <= e && memcmp(s + q, s + a, u.len) == 0)
            q += u.len;
        aux = A_DASH;
        break;
    default:
        break;
    }
    /* combining marks and joiners after a symbol stay with it (emoji sequences) */
    while (q < e) {
        uch v = char_at(s, n, q);
        if (v.cls != C_MARK)
            break;
        q += v.len;
    }
    emit(g, a, q, aux);
    return q;
}

/* ---------------------------------------------------------------- chunks and lines */

static void chunk(seg *g, size_t a, size_t e)
{
    const uint8_t *s = g->s;
    size_t p = a;
    while (p < e && !g->oom) {
        uch u = char_at(s, g->n, p);
        if (IS_WORD(u.cls)) {
            int c = lower_ascii((int)u.cp);
            if (c == 'h' || c == 'w' || c == 'f') {
                size_t b = url_end(g, p, e);
                if (b) {
                    emit(g, p, b, A_URL);
                    p = b;
                    continue;
                }
            }
            p = word(g, p, 0, e);
        } else {
            p = punct(g, p, a, e, u);
        }
    }
}

static bool no_title_end(const dyad_slice f)
{
    static const char ends[] = ",;:-/&([{";
    if (f.len == 1 && strchr(ends, f.ptr[0]))
        return true;
    return f.len == 3 && (memcmp(f.ptr, "\xE2\x80\x93", 3) == 0 ||
                          memcmp(f.ptr, "\xE2\x80\x94", 3) == 0);
}

/* A single line break after the tokens [line_first, ntokens): mark the last token when the
 * line looks like a title (no final punctuation, at most 10 tokens or no lower-case word
 * but function words, not ending in a function word or a comma), so that the sentence pass
 * may end the sentence there. */
static void line_end(seg *g)
{
    dyad_doc *doc = g->doc;
    size_t last = doc->ntokens - 1, first = g->line_first;
    uint32_t *aux = g->w->seg_aux;
    if (first > last)
        return;
    uint32_t a = aux[last];
    dyad_slice f = doc->tokens[last].form;
    if (a & (A_FINAL | A_ELLIPSIS | A_NOEND | A_OPEN))
        return;
    if ((a & A_PUNCT) && no_title_end(f))
        return;
    if ((a & A_LOWER) && dyad__function_word(f.ptr, f.len))
        return;
    if (last - first + 1 > 10) {      /* a long line must be in title case */
        for (size_t i = first; i <= last; i++) {
            dyad_slice w = doc->tokens[i].form;
            if ((aux[i] & A_LOWER) && !dyad__function_word(w.ptr, w.len))
                return;
        }
    }
    aux[last] |= A_TITLE;
}

static void tokenise(seg *g)
{
    const uint8_t *s = g->s;
    size_t n = g->n;
    size_t i = 0;
    while (i < n && !g->oom) {
        uch u = char_at(s, n, i);
        if (IS_BLANK(u.cls)) {
            unsigned breaks = 0;
            while (i < n) {
                u = char_at(s, n, i);
                if (u.cls == C_NL) {
                    if (!(s[i] == '\r' && i + 1 < n && s[i + 1] == '\n'))
                        breaks++;
                } else if (u.cls == C_PARA) {
                    breaks += 2;
                } else if (u.cls != C_SPACE) {
                    break;
                }
                i += u.len;
            }
            if (breaks && g->doc->ntokens) {
                if (breaks >= 2) {
                    g->nl = 2;
                } else {
                    g->nl = 1;
                    line_end(g);
                }
                g->line_first = g->doc->ntokens;
            }
            continue;
        }
        size_t e = i;
        while (e < n) {
            if (s[e] < 0x80) {
                if (IS_BLANK(ascii_class[s[e]]))
                    break;
                e++;
            } else {
                u = decode(s, n, e);
                if (IS_BLANK(u.cls))
                    break;
                e += u.len;
            }
        }
        chunk(g, i, e);
        i = e;
    }
}

/* ---------------------------------------------------------------- sentences */

static bool close_sentence(seg *g, size_t first, size_t end, uint32_t para)
{
    dyad_sentence *st = dyad__doc_push_sentence(g->doc);
    if (!st)
        return false;
    const dyad_token *t = g->doc->tokens;
    st->first = (uint32_t)first;
    st->ntokens = (uint32_t)(end - first);
    st->start = t[first].start;
    st->end = t[end - 1].end;
    st->paragraph = para;
    return true;
}

static bool is_period(const dyad_doc *doc, size_t i)
{
    return doc->tokens[i].form.len == 1 && doc->tokens[i].form.ptr[0] == '.';
}

static bool starter(const dyad_doc *doc, size_t i)
{
    dyad_slice f = doc->tokens[i].form;
    return dyad__sentence_starter(f.ptr, f.len);
}

/* A list number such as "1." or "*2." at the start of a sentence or after a colon: its
 * period does not end the sentence ("1. The pricing ...", "demands: 1. Return ..."). */
static bool list_marker(const dyad_doc *doc, const uint32_t *aux, size_t first, size_t fin)
{
    if (fin == first || !(aux[fin - 1] & A_DIGIT) || doc->tokens[fin].form.len != 1 ||
        doc->tokens[fin - 1].form.len > 2)
        return false;
    if (fin - 1 == first)
        return true;
    dyad_slice before = doc->tokens[fin - 2].form;     /* "*2." or "demands: 1." */
    return before.len == 1 && (before.ptr[0] == '*' || before.ptr[0] == ':');
}

/* A dateline before the dash at token d: "MOSCOW (Reuters) -", "WASHINGTON, July 17 (AP) --",
 * "PONCHATOULA, La. --": starts with a word in capitals, no lower-case word, short. */
static bool dateline(const dyad_doc *doc, const uint32_t *aux, size_t first, size_t d)
{
    if (d == first || d - first > 12 || !(doc->tokens[d].flags & DYAD_TOK_SPACE_AFTER) ||
        !(doc->tokens[d - 1].flags & DYAD_TOK_SPACE_AFTER))
        return false;
    dyad_slice f = doc->tokens[first].form;
    if (f.len < 3)
        return false;
    for (size_t k = 0; k < f.len; k++)
        if (f.ptr[k] < 'A' || f.ptr[k] > 'Z')
            return false;
    for (size_t k = first + 1; k < d; k++)
        if (aux[k] & A_LOWER)
            return false;
    return true;
}

/* Token i looks like d/d/d, d:d(:d) or AM/PM (what = 'd', 't' or 'm'). */
static bool shape(const dyad_doc *doc, size_t i, char what)
{
    if (i >= doc->ntokens)
        return false;
    dyad_slice f = doc->tokens[i].form;
    if (what == 'm')
        return f.len == 2 && (f.ptr[0] == 'A' || f.ptr[0] == 'P' || f.ptr[0] == 'a' ||
                              f.ptr[0] == 'p') && (f.ptr[1] == 'M' || f.ptr[1] == 'm');
    size_t seps = 0;
    char sep = what == 'd' ? '/' : ':';
    for (size_t k = 0; k < f.len; k++) {
        if (f.ptr[k] == sep)
            seps++;
        else if (f.ptr[k] < '0' || f.ptr[k] > '9')
            return false;
    }
    return what == 'd' ? seps == 2 : seps >= 1;
}

/* Does a sentence end between tokens i-1 and i (i > first)?  fin is the last final
 * punctuation when only closers follow it (else -1); closed: a closer came after it. */
static bool boundary(const dyad_doc *doc, const uint32_t *aux, size_t first, size_t i,
                     long fin, bool dots, bool closed, bool closer, bool opener)
{
    uint32_t a = aux[i], p = aux[i - 1];
    size_t nt = doc->ntokens;
    if (!(doc->tokens[i - 1].flags & DYAD_TOK_SPACE_AFTER))
        return false;                   /* "Analysis.doc", "Yahoo!Messenger" */
    if (fin >= 0) {
        uint32_t f = aux[fin];
        if (a & A_ELLIPSIS)             /* "... this day. ...a drop" */
            return (size_t)fin == i - 1;
        if (closer || (a & (A_NOSTART | A_FINAL)))
            return false;
        if ((f & A_ELLIPSIS) || dots)   /* "wait... what" goes on, "it... The" ends */
            return (a & A_UPPER) || (opener && i + 1 < nt && (aux[i + 1] & A_UPPER));
        if (list_marker(doc, aux, first, (size_t)fin))
            return false;
        if (a & A_LOWER)                /* "Why?" he asked. / "(at best!) and" */
            return !closed;
        return true;
    }
    if ((p & A_MAYEND) && (a & A_UPPER) && starter(doc, i))
        return true;                    /* "... on the U.S. The Kremlin" */
    if ((p & A_EMOTICON) && (a & A_UPPER))
        return true;
    if ((p | a) & A_SEP)
        return true;
    if ((p & A_URL) && (a & (A_URL | A_UPPER)))
        return true;                    /* a list of addresses; "see www.x.com The ..." */
    if ((p & A_DASH) && (a & A_UPPER) && dateline(doc, aux, first, i - 1))
        return true;
    /* the date line of an e-mail header: "John Smith || 08/16/2000 03:48 PM || Thanks" */
    if ((a & A_DIGIT) && shape(doc, i, 'd') && shape(doc, i + 1, 't') && shape(doc, i + 2, 'm'))
        return true;
    if (i >= first + 3 && (p & (A_UPPER | A_LOWER)) && shape(doc, i - 1, 'm') && shape(doc, i - 2, 't') &&
        shape(doc, i - 3, 'd'))
        return true;
    if ((a & A_NL) == 1 && (p & A_TITLE) && !(a & (A_LOWER | A_NOSTART)) && !closer)
        return true;                    /* a title line */
    return false;
}

static dyad_status sentences(seg *g, uint32_t max_sent)
{
    dyad_doc *doc = g->doc;
    const uint32_t *aux = g->w->seg_aux;
    size_t nt = doc->ntokens;
    size_t first = 0;
    uint32_t para = 0, sent_para = 0;
    long fin = -1;              /* last final punctuation, followed only by closers */
    bool closed = false;        /* a closer came after it */
    bool dots = false;          /* fin is the last of spaced periods: ". . ." */
    bool dq_open = false;       /* a straight double quote is open in this paragraph */
    for (size_t i = 0; i < nt; i++) {
        uint32_t a = aux[i];
        bool new_para = i > 0 && (a & A_NL) >= 2;
        if (new_para)
            dq_open = false;
        bool closer = (a & A_CLOSE) || ((a & A_AMBIG) && dq_open) ||
                      ((a & A_EMOTICON) && fin >= 0);
        bool opener = (a & A_OPEN) || ((a & A_AMBIG) && !dq_open);
        bool brk = new_para;
        if (!brk && i > first) {
            if (i - first >= max_sent) {
                brk = true;
                dyad__doc_warn(doc, DYAD_ELIMIT, (long)doc->tokens[i].start,
                               "sentence longer than %u tokens split at byte %u", max_sent,
                               doc->tokens[i].start);
            } else {
                brk = boundary(doc, aux, first, i, fin, dots, closed, closer, opener);
            }
        }
        if (brk) {
            if (!close_sentence(g, first, i, sent_para))
                return DYAD_ENOMEM;
            first = i;
            if (new_para)
                para++;
            sent_para = para;
            fin = -1;
        }
        if (a & A_DQUOTE) {
            if (closer)
                dq_open = false;
            else if (opener)
                dq_open = true;
        }
        if (a & (A_FINAL | A_ELLIPSIS)) {
            dots = fin >= 0 && (size_t)fin == i - 1 && is_period(doc, i) && is_period(doc, i - 1);
            fin = (long)i;
            closed = false;
        } else if (fin >= 0 && closer) {
            closed = true;
        } else {
            fin = -1;
        }
    }
    if (nt > first && !close_sentence(g, first, nt, sent_para))
        return DYAD_ENOMEM;
    return DYAD_OK;
}

/* ---------------------------------------------------------------- entry point */

dyad_status dyad_worker_segment(dyad_worker *worker, dyad_doc *doc, const dyad_limits *limits,
                                dyad_error *err)
{
    if (!worker || !doc)
        return dyad__fail(err, DYAD_EINVAL, "no worker or document to segment");
    dyad_limits def;
    dyad_limits_default(&def);
    uint32_t max_tok = limits && limits->max_token_bytes ? limits->max_token_bytes
                                                          : def.max_token_bytes;
    uint32_t max_sent = limits && limits->max_sentence_tokens ? limits->max_sentence_tokens
                                                               : def.max_sentence_tokens;
    doc->ntokens = 0;
    doc->nsents = 0;
    seg g = {0};
    g.doc = doc;
    g.w = worker;
    g.s = (const uint8_t *)doc->text.ptr;
    g.n = doc->text.len;
    g.max_tok = max_tok;
    /* one growth up front for typical text (about one token per five bytes) */
    size_t guess = g.n / 5 + 16;
    if (DYAD_GROW(doc->tokens, doc->cap_tokens, guess) ||
        DYAD_GROW(worker->seg_aux, worker->cap_seg_aux, guess))
        return dyad__fail(err, DYAD_ENOMEM, "out of memory segmenting a document");
    if (g.n)
        tokenise(&g);
    if (g.oom || sentences(&g, max_sent) != DYAD_OK) {
        doc->ntokens = doc->nsents = 0;
        return dyad__fail(err, DYAD_ENOMEM, "out of memory segmenting a document");
    }
    return DYAD_OK;
}
