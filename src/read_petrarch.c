/* read_petrarch.c - the PETRARCH XML reader: each <Sentence date="" id=""><Text> is a record. */
#include "read.h"

#include <stdio.h>

/* The input is scanned as a stream, never held whole: only the attributes and the <Text>
 * of the current <Sentence> are kept.  Comments, CDATA sections, processing instructions
 * and every other element are skipped.  A broken <Sentence> is reported and the reader
 * goes on at the next <Sentence tag.  A Sentence whose <Text> is empty but that has a
 * <Parse> tree (some PETRARCH files carry only the tree) gets the words of the tree as
 * its text. */

#define MAX_ATTR_VALUE 1024

static bool xml_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The unread bytes start with lit. */
static bool peek_is(dyad_reader *r, const char *lit)
{
    size_t n = strlen(lit);
    return dyad__src_peek(r, n) >= n && memcmp(r->in + r->in_pos, lit, n) == 0;
}

/* The unread bytes are the element name `name` followed by space, '>' or '/'. */
static bool peek_name(dyad_reader *r, const char *name)
{
    size_t n = strlen(name);
    if (dyad__src_peek(r, n + 1) < n + 1 || memcmp(r->in + r->in_pos, name, n) != 0)
        return false;
    int c = r->in[r->in_pos + n];
    return xml_space(c) || c == '>' || c == '/';
}

/* Consume n bytes already peeked (they hold no newline). */
static void drop(dyad_reader *r, size_t n)
{
    r->in_pos += n;
}

/* Give back the byte just read (always possible right after a successful getc). */
static void unget(dyad_reader *r)
{
    r->in_pos--;
}

/* Consume bytes up to and including the terminator end (at most 3 bytes); false at EOF. */
static bool skip_past(dyad_reader *r, const char *end)
{
    size_t n = strlen(end), have = 0;
    char win[3] = {0};
    int c;
    while ((c = dyad__src_getc(r)) >= 0) {
        if (have == n) {
            memmove(win, win + 1, n - 1);
            win[n - 1] = (char)c;
        } else {
            win[have++] = (char)c;
        }
        if (have == n && memcmp(win, end, n) == 0)
            return true;
    }
    return false;
}

/* Skip the rest of a tag up to its '>' (quoted values may hold '>').  A '<' outside quotes,
 * or inside them (where XML forbids it), ends a broken tag and is left unread.  Returns the
 * byte before the '>' ('/' for an empty element), 0 for a broken tag, -1 at EOF. */
static int skip_tag(dyad_reader *r)
{
    int c, q = 0, prev = 0;
    while ((c = dyad__src_getc(r)) >= 0) {
        if (c == '<') {
            unget(r);
            return 0;
        }
        if (q) {
            if (c == q)
                q = 0;
        } else if (c == '"' || c == '\'') {
            q = c;
        } else if (c == '>') {
            return prev ? prev : ' ';
        }
        prev = c;
    }
    return -1;
}

/* Skip character data up to the next '<' (consumed); false at EOF. */
static bool skip_to_markup(dyad_reader *r)
{
    for (;;) {
        size_t avail = r->in_len - r->in_pos;
        if (!avail && !(avail = dyad__src_fill(r)))
            return false;
        const unsigned char *s = r->in + r->in_pos;
        const unsigned char *lt = memchr(s, '<', avail);
        size_t n = lt ? (size_t)(lt - s) : avail;
        for (const unsigned char *p = s; (p = memchr(p, '\n', (size_t)(s + n - p))); p++)
            r->line++;
        r->in_pos += n;
        if (lt) {
            r->in_pos++;
            return true;
        }
    }
}

/* Markup that is never an element (after the '<'): comments, CDATA, <?...?>, <!...>.
 * Returns 1 when it was skipped, 0 when the markup is something else, -1 at EOF. */
static int skip_special(dyad_reader *r)
{
    if (peek_is(r, "!--")) {
        drop(r, 3);
        return skip_past(r, "-->") ? 1 : -1;
    }
    if (peek_is(r, "![CDATA[")) {
        drop(r, 8);
        return skip_past(r, "]]>") ? 1 : -1;
    }
    if (peek_is(r, "?")) {
        drop(r, 1);
        return skip_past(r, "?>") ? 1 : -1;
    }
    if (peek_is(r, "!"))
        return skip_tag(r) < 0 ? -1 : 1;
    return 0;
}

/* After '&': decode a character or entity reference into out and return its length, or 0
 * when the '&' starts none (it is then kept as a plain '&'). */
static size_t entity(dyad_reader *r, char out[4])
{
    size_t avail = dyad__src_peek(r, 12);
    const char *p = (const char *)r->in + r->in_pos;
    size_t k = 0;
    while (k < avail && k < 11 && p[k] != ';')
        k++;
    if (k == 0 || k == avail || p[k] != ';')
        return 0;
    static const struct { const char *name; char c; } named[] = {
        {"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}};
    for (size_t i = 0; i < sizeof named / sizeof *named; i++)
        if (strlen(named[i].name) == k && memcmp(p, named[i].name, k) == 0) {
            out[0] = named[i].c;
            drop(r, k + 1);
            return 1;
        }
    if (p[0] != '#' || k < 2)
        return 0;
    unsigned long cp = 0;
    bool hex = p[1] == 'x';
    size_t i = hex ? 2 : 1;
    if (i == k)
        return 0;
    for (; i < k; i++) {
        char c = p[i];
        int d = c >= '0' && c <= '9' ? c - '0'
              : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
              : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10
              : -1;
        if (d < 0)
            return 0;
        cp = cp * (hex ? 16 : 10) + (unsigned long)d;
    }
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    drop(r, k + 1);
    return dyad__utf8_put(out, (unsigned)cp);
}

/* Find the next <Sentence start tag outside other markup; the '<' is consumed and "Sentence"
 * left unread.  Returns false at EOF. */
static bool find_sentence(dyad_reader *r, long *line)
{
    for (;;) {
        if (!skip_to_markup(r))
            return false;
        int k = skip_special(r);
        if (k < 0)
            return false;
        if (k)
            continue;
        if (peek_name(r, "Sentence")) {
            *line = r->line;
            return true;
        }
        if (skip_tag(r) < 0)
            return false;
    }
}

/* A piece of the record buffer. */
typedef struct span {
    size_t off, len;
    bool set;
} span;

typedef struct sentence {
    long line;
    span id, date, source, text, parse;
    bool has_text, too_long, parse_too_long;
    dyad_status oom;
    char why[160];      /* what is malformed, "" when nothing */
} sentence;

static void malformed(sentence *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void malformed(sentence *s, const char *fmt, ...)
{
    if (s->why[0])
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->why, sizeof s->why, fmt, ap);
    va_end(ap);
}

static void put(dyad_reader *r, sentence *s, const char *p, size_t n)
{
    if (s->too_long || s->oom)
        return;
    dyad_status st = dyad__rec_append(r, p, n);
    if (st == DYAD_ELIMIT)
        s->too_long = true;
    else if (st)
        s->oom = st;
}

/* The attributes of the start tag, up to its '>'.  Returns 1 when the element has content,
 * 0 when it is empty or broken (s->why says which), -1 at EOF. */
static int attributes(dyad_reader *r, sentence *s)
{
    for (;;) {
        int c;
        do
            c = dyad__src_getc(r);
        while (xml_space(c));
        if (c < 0)
            return -1;
        if (c == '>')
            return 1;
        if (c == '/' && peek_is(r, ">")) {
            drop(r, 1);
            malformed(s, "empty <Sentence/> element");
            return 0;
        }
        if (c == '<') {
            unget(r);
            malformed(s, "the <Sentence> tag is not closed");
            return 0;
        }
        char name[16];
        size_t n = 0;
        while (c >= 0 && !xml_space(c) && c != '=' && c != '>' && c != '<' && c != '/') {
            if (n < sizeof name - 1)
                name[n++] = (char)c;
            c = dyad__src_getc(r);
        }
        name[n] = '\0';
        while (xml_space(c))
            c = dyad__src_getc(r);
        if (c < 0)
            return -1;
        if (c != '=' || n == 0) {
            if (c == '<')
                unget(r);
            malformed(s, "attribute %s%s%swithout a value in the <Sentence> tag", n ? "'" : "",
                      name, n ? "' " : "");
            if (c == '<' || c == '>')
                return 0;
            return skip_tag(r) >= 0 ? 0 : -1;
        }
        do
            c = dyad__src_getc(r);
        while (xml_space(c));
        if (c != '"' && c != '\'') {
            if (c < 0)
                return -1;
            unget(r);
            malformed(s, "value of attribute '%s' is not quoted", name);
            return skip_tag(r) >= 0 ? 0 : -1;
        }
        int q = c;
        span *dst = strcmp(name, "id") == 0       ? &s->id
                  : strcmp(name, "date") == 0     ? &s->date
                  : strcmp(name, "source") == 0   ? &s->source
                  : NULL;
        size_t off = r->rec_len, len = 0;
        while ((c = dyad__src_getc(r)) != q) {
            if (c < 0)
                return -1;
            if (c == '<') {
                unget(r);
                malformed(s, "value of attribute '%s' is not closed", name);
                return 0;
            }
            if (++len > MAX_ATTR_VALUE) {
                malformed(s, "value of attribute '%s' is longer than %d bytes", name,
                          MAX_ATTR_VALUE);
                return skip_tag(r) >= 0 ? 0 : -1;
            }
            if (!dst)
                continue;
            char buf[4];
            size_t k = c == '&' ? entity(r, buf) : 0;
            if (k)
                put(r, s, buf, k);
            else {
                buf[0] = (char)(xml_space(c) ? ' ' : c);
                put(r, s, buf, 1);
            }
        }
        if (dst) {
            dst->off = off;
            dst->len = r->rec_len - off;
            dst->set = true;
        }
    }
}

/* The content of <Text>, up to </Text>: entities decoded, runs of white space made one space,
 * leading and trailing space dropped.  Returns 1 at </Text>, 0 when the Text is broken
 * (s->why says why), -1 at EOF. */
static int text(dyad_reader *r, sentence *s)
{
    bool space = false;
    s->text.off = r->rec_len;
    bool cdata = false;
    for (;;) {
        int c = dyad__src_getc(r);
        if (c < 0)
            return -1;
        if (cdata) {
            if (c == ']' && peek_is(r, "]>")) {
                drop(r, 2);
                cdata = false;
                continue;
            }
        } else if (c == '<') {
            if (peek_name(r, "/Text")) {
                skip_tag(r);
                break;
            }
            if (peek_is(r, "![CDATA[")) {
                drop(r, 8);
                cdata = true;
                continue;
            }
            int k = skip_special(r);
            if (k < 0)
                return -1;
            if (k)
                continue;
            if (peek_name(r, "Sentence") || peek_name(r, "/Sentence")) {
                unget(r);
                malformed(s, "<Text> is not closed");
                return 0;
            }
            if (skip_tag(r) < 0)
                return -1;
            continue;
        } else if (c == '&') {
            char buf[4];
            size_t k = entity(r, buf);
            if (k) {
                if (space && r->rec_len > s->text.off)
                    put(r, s, " ", 1);
                space = false;
                put(r, s, buf, k);
                continue;
            }
        }
        if (xml_space(c)) {
            space = true;
            continue;
        }
        char ch = (char)c;
        if (space && r->rec_len > s->text.off)
            put(r, s, " ", 1);
        space = false;
        put(r, s, &ch, 1);
    }
    s->text.len = r->rec_len - s->text.off;
    s->text.set = true;
    return 1;
}

/* Penn Treebank escapes of brackets and quotes. */
static dyad_slice leaf_word(const char *w, size_t n)
{
    static const struct { const char *tb, *text; } esc[] = {
        {"-LRB-", "("}, {"-RRB-", ")"}, {"-LSB-", "["}, {"-RSB-", "]"}, {"-LCB-", "{"},
        {"-RCB-", "}"}, {"``", "\""}, {"''", "\""}};
    for (size_t i = 0; i < sizeof esc / sizeof *esc; i++)
        if (strlen(esc[i].tb) == n && memcmp(w, esc[i].tb, n) == 0)
            return dyad__cstr(esc[i].text);
    return dyad__slice(w, n);
}

/* The words at the leaves of a <Parse> tree, "(TAG word)", joined by spaces, up to
 * </Parse>.  Returns 1 at </Parse>, 0 when the Parse is broken, -1 at EOF. */
static int leaves(dyad_reader *r, sentence *s)
{
    enum { OUTSIDE, LABEL, AFTER_LABEL, WORD } state = OUTSIDE;
    char label[8], word[256];
    size_t nlabel = 0, nword = 0;
    s->parse.off = r->rec_len;
    for (;;) {
        int c = dyad__src_getc(r);
        if (c < 0)
            return -1;
        char buf[4];
        size_t k = 1;
        buf[0] = (char)c;
        if (c == '<') {
            if (peek_name(r, "/Parse")) {
                skip_tag(r);
                break;
            }
            int sp = skip_special(r);
            if (sp < 0)
                return -1;
            if (sp)
                continue;
            if (peek_name(r, "Sentence") || peek_name(r, "/Sentence")) {
                unget(r);
                malformed(s, "<Parse> is not closed");
                return 0;
            }
            if (skip_tag(r) < 0)
                return -1;
            continue;
        }
        if (c == '&' && !(k = entity(r, buf))) {
            k = 1;
            buf[0] = '&';
        }
        if (k == 1 && buf[0] == '(') {
            state = LABEL;
            nlabel = 0;
        } else if (k == 1 && buf[0] == ')') {
            bool trace = nlabel == 6 && memcmp(label, "-NONE-", 6) == 0;
            if (state == WORD && nword && !trace && !s->parse_too_long) {
                dyad_slice w = leaf_word(word, nword);
                dyad_status st = r->rec_len > s->parse.off ? dyad__rec_append(r, " ", 1) : 0;
                if (!st)
                    st = dyad__rec_append(r, w.ptr, w.len);
                if (st)
                    s->parse_too_long = true;
            }
            state = OUTSIDE;
        } else if (k == 1 && xml_space(buf[0])) {
            if (state == LABEL)
                state = AFTER_LABEL;
            else if (state == WORD)
                state = OUTSIDE;   /* "(TAG two words)" is not a leaf */
        } else if (state == LABEL) {
            for (size_t i = 0; i < k; i++)
                if (nlabel < sizeof label)
                    label[nlabel++] = buf[i];
        } else if (state == AFTER_LABEL || state == WORD) {
            if (state == AFTER_LABEL)
                nword = 0;
            state = WORD;
            for (size_t i = 0; i < k; i++)
                if (nword < sizeof word)
                    word[nword++] = buf[i];
        }
    }
    s->parse.len = r->rec_len - s->parse.off;
    s->parse.set = true;
    return 1;
}

/* The body of the Sentence up to </Sentence>.  Returns 1 when it closed, 0 when it is
 * broken, -1 at EOF. */
static int body(dyad_reader *r, sentence *s)
{
    for (;;) {
        if (!skip_to_markup(r))
            return -1;
        int k = skip_special(r);
        if (k < 0)
            return -1;
        if (k)
            continue;
        if (peek_name(r, "/Sentence")) {
            return skip_tag(r) < 0 ? -1 : 1;
        }
        if (peek_name(r, "Sentence")) {
            unget(r);
            malformed(s, "<Sentence> is not closed before the next <Sentence> at line %ld",
                      r->line);
            return 0;
        }
        if (peek_name(r, "Text") && !s->has_text) {
            s->has_text = true;
            int end = skip_tag(r);
            if (end < 0)
                return -1;
            if (end == 0) {
                malformed(s, "the <Text> tag is not closed");
                return 0;
            }
            if (end == '/') {
                s->text.off = r->rec_len;
                s->text.set = true;
                continue;
            }
            int t = text(r, s);
            if (t <= 0)
                return t;
            continue;
        }
        if (peek_name(r, "Parse") && !s->parse.set && !(s->text.set && s->text.len)) {
            int end = skip_tag(r);
            if (end < 0)
                return -1;
            if (end == 0) {
                malformed(s, "the <Parse> tag is not closed");
                return 0;
            }
            if (end == '/')
                continue;
            int t = leaves(r, s);
            if (t <= 0)
                return t;
            continue;
        }
        if (skip_tag(r) < 0)
            return -1;
    }
}

/* The bytes of a span of the record buffer. */
static dyad_slice span_slice(const dyad_reader *r, span sp)
{
    return sp.len ? dyad__slice(r->rec + sp.off, sp.len) : dyad__slice("", 0);
}

static dyad_status sentence_error(dyad_reader *r, const sentence *s, dyad_error *err,
                                  dyad_status code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static dyad_status sentence_error(dyad_reader *r, const sentence *s, dyad_error *err,
                                  dyad_status code, const char *fmt, ...)
{
    if (!err)
        return code;
    dyad_slice id = span_slice(r, s->id);
    dyad__where(err, r->name, s->line, 0, id);
    for (char *c = err->record; *c; c++)
        if ((unsigned char)*c < 0x20)
            *c = '?';
    err->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return code;
}

/* Read one <Sentence> whose '<' was consumed. */
static dyad_status read_sentence(dyad_reader *r, long line, dyad_record *rec, dyad_error *err)
{
    sentence s;
    memset(&s, 0, sizeof s);
    s.line = line;
    r->rec_len = 0;
    drop(r, 8);   /* "Sentence", peeked by the caller */
    int k = attributes(r, &s);
    if (k > 0)
        k = body(r, &s);
    if (k < 0) {
        if (r->failed)
            return dyad__src_failure(r, err);
        r->done = true;
        malformed(&s, "the input ends inside the <Sentence>");
    }
    if (s.why[0])
        return sentence_error(r, &s, err, DYAD_EFORMAT, "malformed <Sentence>: %s", s.why);
    if (s.oom)
        return sentence_error(r, &s, err, s.oom, "out of memory reading a <Sentence>");
    if (s.too_long)
        return sentence_error(r, &s, err, DYAD_ELIMIT,
                              "<Sentence> longer than the limit of %zu bytes",
                              r->limits.max_record_bytes);
    if (!s.id.set || !s.id.len)
        return sentence_error(r, &s, err, DYAD_EFORMAT, "<Sentence> without an id attribute");
    dyad_slice date = dyad__cstr(r->default_date);
    if (s.date.set) {
        dyad_slice d = span_slice(r, s.date);
        int ok = dyad__date_parse(d, r->date);
        if (ok <= 0)
            return sentence_error(r, &s, err, DYAD_EFORMAT,
                                  ok == 0 ? "invalid date \"%.*s\": no such day"
                                          : "invalid date \"%.*s\": expected YYYYMMDD "
                                            "or YYYY-MM-DD",
                                  (int)(d.len > 40 ? 40 : d.len), d.ptr);
        date = dyad__slice(r->date, 10);
    } else if (!date.len) {
        return sentence_error(r, &s, err, DYAD_EFORMAT, "<Sentence> without a date attribute");
    }
    span text = s.text;
    if (!text.len && s.parse.len && !s.parse_too_long)
        text = s.parse;
    if (!text.len && !s.has_text)
        return sentence_error(r, &s, err, DYAD_EFORMAT, "<Sentence> without a <Text>");
    if (!text.len)
        return sentence_error(r, &s, err, DYAD_EFORMAT, "empty <Text>");
    rec->id = span_slice(r, s.id);
    rec->date = date;
    rec->text = span_slice(r, text);
    rec->source = span_slice(r, s.source);
    rec->line = line;
    return DYAD_OK;
}

dyad_status dyad__petrarch_next(dyad_reader *r, dyad_record *rec, dyad_error *err)
{
    long line;
    if (!find_sentence(r, &line)) {
        if (r->failed)
            return dyad__src_failure(r, err);
        r->done = true;
        return DYAD_DONE;
    }
    return read_sentence(r, line, rec, err);
}
