/* read_jsonl.c - the JSONL reader: one {"id","date","text",...} article per line. */
#include "read.h"

#include <stdio.h>

/* The line is parsed in place: strings are unescaped where they stand (an escape is never
 * shorter than what it stands for), so the record's slices point into the line and a JSON
 * "\u0000" stays a NUL byte inside its string. */

typedef struct json {
    char *s;
    size_t n, i;
    const char *msg;     /* first syntax error */
    size_t at;           /* its byte offset */
    unsigned char *nest; /* DYAD__JSON_DEPTH open containers */
} json;

enum { F_ID, F_DATE, F_TEXT, F_TITLE, F_URL, F_SOURCE, F_COUNT };
static const char *const field_names[F_COUNT] = {"id", "date", "text", "title", "url", "source"};

/* State of a field after the parse. */
enum { ABSENT = 0, PRESENT, WRONG_TYPE };

typedef struct field {
    int state;
    dyad_slice value;
} field;

static int syntax(json *p, const char *msg)
{
    if (!p->msg) {
        p->msg = msg;
        p->at = p->i;
    }
    return -1;
}

static void skip_ws(json *p)
{
    while (p->i < p->n &&
           (p->s[p->i] == ' ' || p->s[p->i] == '\t' || p->s[p->i] == '\r' || p->s[p->i] == '\n'))
        p->i++;
}

static int hex4(const char *s, size_t avail, unsigned *out)
{
    if (avail < 4)
        return -1;
    unsigned v = 0;
    for (int k = 0; k < 4; k++) {
        char c = s[k];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (unsigned)(c - 'A' + 10);
        else
            return -1;
    }
    *out = v;
    return 0;
}

/* A string at s[i] == '"', unescaped in place. */
static int parse_string(json *p, dyad_slice *out)
{
    char *s = p->s;
    size_t n = p->n, i = p->i + 1;
    char *start = s + i, *w = start;
    for (;;) {
        if (i >= n) {
            p->i = i;
            return syntax(p, "unterminated string");
        }
        unsigned char c = (unsigned char)s[i];
        if (c == '"') {
            i++;
            break;
        }
        if (c < 0x20) {
            p->i = i;
            return syntax(p, "control character inside a string");
        }
        if (c != '\\') {
            *w++ = (char)c;
            i++;
            continue;
        }
        if (i + 1 >= n) {
            p->i = i;
            return syntax(p, "unterminated string");
        }
        char e = s[i + 1], d;
        switch (e) {
        case '"': d = '"'; break;
        case '\\': d = '\\'; break;
        case '/': d = '/'; break;
        case 'b': d = '\b'; break;
        case 'f': d = '\f'; break;
        case 'n': d = '\n'; break;
        case 'r': d = '\r'; break;
        case 't': d = '\t'; break;
        case 'u': {
            unsigned cp, lo;
            if (hex4(s + i + 2, n - (i + 2), &cp)) {
                p->i = i;
                return syntax(p, "invalid \\u escape");
            }
            i += 6;
            if (cp >= 0xD800 && cp <= 0xDBFF && i + 1 < n && s[i] == '\\' && s[i + 1] == 'u' &&
                hex4(s + i + 2, n - (i + 2), &lo) == 0 && lo >= 0xDC00 && lo <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                i += 6;
            }
            w += dyad__utf8_put(w, cp);
            continue;
        }
        default:
            p->i = i;
            return syntax(p, "invalid escape in a string");
        }
        *w++ = d;
        i += 2;
    }
    *out = dyad__slice(start, (size_t)(w - start));
    p->i = i;
    return 0;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int parse_number(json *p)
{
    const char *s = p->s;
    size_t n = p->n, i = p->i;
    if (i < n && s[i] == '-')
        i++;
    if (i < n && s[i] == '0') {
        i++;
    } else if (i < n && s[i] >= '1' && s[i] <= '9') {
        while (i < n && is_digit(s[i]))
            i++;
    } else {
        p->i = i;
        return syntax(p, "invalid number");
    }
    if (i < n && s[i] == '.') {
        i++;
        if (i >= n || !is_digit(s[i])) {
            p->i = i;
            return syntax(p, "invalid number");
        }
        while (i < n && is_digit(s[i]))
            i++;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        if (i >= n || !is_digit(s[i])) {
            p->i = i;
            return syntax(p, "invalid number");
        }
        while (i < n && is_digit(s[i]))
            i++;
    }
    p->i = i;
    return 0;
}

static int parse_literal(json *p)
{
    static const char *const lits[] = {"true", "false", "null"};
    for (int k = 0; k < 3; k++) {
        size_t len = strlen(lits[k]);
        if (p->n - p->i >= len && memcmp(p->s + p->i, lits[k], len) == 0) {
            p->i += len;
            return 0;
        }
    }
    return syntax(p, "unexpected character");
}

/* "name" : (whitespace around the colon) */
static int parse_key(json *p, dyad_slice *key)
{
    skip_ws(p);
    if (p->i >= p->n)
        return syntax(p, "unexpected end of line: expected a field name");
    if (p->s[p->i] != '"')
        return syntax(p, "expected a field name in double quotes");
    if (parse_string(p, key))
        return -1;
    skip_ws(p);
    if (p->i >= p->n || p->s[p->i] != ':')
        return syntax(p, "expected ':' after a field name");
    p->i++;
    return 0;
}

/* One complete value of any kind, nested containers included (no recursion). */
static int skip_value(json *p)
{
    size_t depth = 0;
    for (;;) {
        skip_ws(p);
        if (p->i >= p->n)
            return syntax(p, "unexpected end of line: expected a value");
        char c = p->s[p->i];
        bool closed = false;   /* the value just read is complete */
        if (c == '{' || c == '[') {
            if (depth == DYAD__JSON_DEPTH)
                return syntax(p, "nesting too deep");
            p->nest[depth++] = (unsigned char)c;
            p->i++;
            skip_ws(p);
            if (p->i < p->n && p->s[p->i] == (c == '{' ? '}' : ']')) {
                p->i++;
                depth--;
                closed = true;
            } else if (c == '{' && parse_key(p, &(dyad_slice){0})) {
                return -1;
            }
        } else {
            dyad_slice ignored;
            int rc = c == '"' ? parse_string(p, &ignored)
                   : c == '-' || is_digit(c) ? parse_number(p)
                   : parse_literal(p);
            if (rc)
                return -1;
            closed = true;
        }
        while (closed) {
            if (depth == 0)
                return 0;
            skip_ws(p);
            char open = (char)p->nest[depth - 1];
            char close = open == '{' ? '}' : ']';
            if (p->i < p->n && p->s[p->i] == ',') {
                p->i++;
                if (open == '{' && parse_key(p, &(dyad_slice){0}))
                    return -1;
                closed = false;
            } else if (p->i < p->n && p->s[p->i] == close) {
                p->i++;
                depth--;
            } else if (p->i >= p->n) {
                return syntax(p, "unexpected end of line: an object or array is not closed");
            } else {
                return syntax(p, open == '{' ? "expected ',' or '}'" : "expected ',' or ']'");
            }
        }
    }
}

static int field_index(dyad_slice key)
{
    for (int f = 0; f < F_COUNT; f++)
        if (dyad__slice_eq(key, field_names[f]))
            return f;
    return -1;
}

/* A known field's value: a string (or, for the id, a number), null for "absent". */
static int parse_field(json *p, int f, field *out)
{
    char c = p->s[p->i];
    if (c == '"') {
        out->state = PRESENT;
        return parse_string(p, &out->value);
    }
    if (f == F_ID && (c == '-' || is_digit(c))) {
        size_t start = p->i;
        if (parse_number(p))
            return -1;
        out->state = PRESENT;
        out->value = dyad__slice(p->s + start, p->i - start);
        return 0;
    }
    if (p->n - p->i >= 4 && memcmp(p->s + p->i, "null", 4) == 0) {
        p->i += 4;
        out->state = ABSENT;
        return 0;
    }
    out->state = WRONG_TYPE;
    return skip_value(p);
}

static const char *kind_of(char c)
{
    switch (c) {
    case '[': return "an array";
    case '"': return "a string";
    case 't': case 'f': return "a boolean";
    case 'n': return "null";
    default: return "a number";
    }
}

/* Parse the object on the line into fields; on a syntax error p->msg is set.  Returns 0, -1
 * on a syntax error, or 1 when the line holds valid JSON that is not an object. */
static int parse_object(json *p, field *fields)
{
    skip_ws(p);
    if (p->i >= p->n || p->s[p->i] != '{') {
        if (skip_value(p))
            return -1;
        skip_ws(p);
        if (p->i < p->n)
            return syntax(p, "unexpected data after the value");
        return 1;
    }
    p->i++;
    skip_ws(p);
    if (p->i < p->n && p->s[p->i] == '}') {
        p->i++;
    } else {
        for (;;) {
            dyad_slice key;
            if (parse_key(p, &key))
                return -1;
            skip_ws(p);
            if (p->i >= p->n)
                return syntax(p, "unexpected end of line: expected a value");
            int f = field_index(key);
            if (f >= 0 ? parse_field(p, f, &fields[f]) : skip_value(p))
                return -1;
            skip_ws(p);
            if (p->i < p->n && p->s[p->i] == ',') {
                p->i++;
                continue;
            }
            if (p->i < p->n && p->s[p->i] == '}') {
                p->i++;
                break;
            }
            if (p->i >= p->n)
                return syntax(p, "unexpected end of line: the object is not closed");
            return syntax(p, "expected ',' or '}' after a field");
        }
    }
    skip_ws(p);
    if (p->i < p->n)
        return syntax(p, "unexpected data after the object");
    return 0;
}

/* A printable copy of a short value for messages. */
static void quote_value(char *buf, size_t cap, dyad_slice v)
{
    size_t k = 0;
    for (size_t i = 0; i < v.len && k + 4 < cap; i++) {
        unsigned char c = (unsigned char)v.ptr[i];
        buf[k++] = c < 0x20 || c == 0x7F ? '?' : (char)c;
    }
    if (k + 4 >= cap || k < v.len) {
        buf[k++] = '.';
        buf[k++] = '.';
        buf[k++] = '.';
    }
    buf[k] = '\0';
}

static bool all_space(dyad_slice s)
{
    for (size_t i = 0; i < s.len; i++) {
        char c = s.ptr[i];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v')
            return false;
    }
    return true;
}

/* Error for the record on `line`, naming its id when known. */
static dyad_status record_error(dyad_reader *r, dyad_error *err, long line, long col,
                                dyad_slice id, dyad_status code, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

static dyad_status record_error(dyad_reader *r, dyad_error *err, long line, long col,
                                dyad_slice id, dyad_status code, const char *fmt, ...)
{
    if (!err)
        return code;
    dyad__where(err, r->name, line, col, id);
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

static dyad_status parse_line(dyad_reader *r, long line, dyad_record *rec, dyad_error *err)
{
    field fields[F_COUNT];
    memset(fields, 0, sizeof fields);
    json p = {r->rec, r->rec_len, 0, NULL, 0, r->nest};
    const char *nul = memchr(r->rec, '\0', r->rec_len);
    if (nul)
        return record_error(r, err, line, (long)(nul - r->rec) + 1, dyad__slice("", 0),
                            DYAD_EFORMAT, "malformed JSON: NUL byte");
    int rc = parse_object(&p, fields);
    dyad_slice id = fields[F_ID].state == PRESENT ? fields[F_ID].value : dyad__slice("", 0);
    if (rc < 0)
        return record_error(r, err, line, (long)p.at + 1, id, DYAD_EFORMAT, "malformed JSON: %s",
                            p.msg);
    if (rc > 0) {
        size_t k = 0;
        while (k < r->rec_len && (r->rec[k] == ' ' || r->rec[k] == '\t' || r->rec[k] == '\r'))
            k++;
        return record_error(r, err, line, 0, id, DYAD_EFORMAT, "expected a JSON object, got %s",
                            kind_of(r->rec[k]));
    }
    for (int f = 0; f < F_COUNT; f++) {
        if (fields[f].state == WRONG_TYPE)
            return record_error(r, err, line, 0, id, DYAD_EFORMAT,
                                f == F_ID ? "field \"%s\" is not a string or a number"
                                          : "field \"%s\" is not a string",
                                field_names[f]);
        if (fields[f].state == ABSENT && (f == F_ID || f == F_TEXT ||
                                          (f == F_DATE && !r->default_date[0])))
            return record_error(r, err, line, 0, id, DYAD_EFORMAT, "missing field \"%s\"",
                                field_names[f]);
    }
    if (!id.len)
        return record_error(r, err, line, 0, id, DYAD_EFORMAT, "empty id");
    dyad_slice date = dyad__cstr(r->default_date);
    if (fields[F_DATE].state == PRESENT) {
        int d = dyad__date_parse(fields[F_DATE].value, r->date);
        if (d <= 0) {
            char shown[48];
            quote_value(shown, sizeof shown, fields[F_DATE].value);
            return record_error(r, err, line, 0, id, DYAD_EFORMAT,
                                d == 0 ? "invalid date \"%s\": no such day"
                                       : "invalid date \"%s\": expected YYYY-MM-DD",
                                shown);
        }
        date = dyad__slice(r->date, 10);
    }
    if (all_space(fields[F_TEXT].value))
        return record_error(r, err, line, 0, id, DYAD_EFORMAT, "empty text");
    rec->id = id;
    rec->date = date;
    rec->text = fields[F_TEXT].value;
    rec->title = fields[F_TITLE].value;
    rec->url = fields[F_URL].value;
    rec->source = fields[F_SOURCE].value;
    rec->line = line;
    return DYAD_OK;
}

dyad_status dyad__jsonl_next(dyad_reader *r, dyad_record *rec, dyad_error *err)
{
    for (;;) {
        long line = r->line;
        dyad_status over = DYAD_OK;
        uint64_t total = 0;
        bool any = false;
        r->rec_len = 0;
        for (;;) {
            size_t avail = r->in_len - r->in_pos;
            if (!avail && !(avail = dyad__src_fill(r)))
                break;
            any = true;
            const unsigned char *s = r->in + r->in_pos;
            const unsigned char *nl = memchr(s, '\n', avail);
            size_t take = nl ? (size_t)(nl - s) : avail;
            if (!over)
                over = dyad__rec_append(r, s, take);
            total += take;
            r->in_pos += take;
            if (nl) {
                r->in_pos++;
                break;
            }
        }
        if (r->failed)
            return dyad__src_failure(r, err);
        if (!any) {
            r->done = true;
            return DYAD_DONE;
        }
        r->line++;
        if (over == DYAD_ELIMIT)
            return record_error(r, err, line, 0, dyad__slice("", 0), DYAD_ELIMIT,
                                "record of %llu bytes exceeds the limit of %zu bytes",
                                (unsigned long long)total, r->limits.max_record_bytes);
        if (over)
            return record_error(r, err, line, 0, dyad__slice("", 0), over,
                                "out of memory reading a record");
        if (r->rec_len && r->rec[r->rec_len - 1] == '\r')
            r->rec_len--;
        if (all_space(dyad__slice(r->rec, r->rec_len)))
            continue;
        return parse_line(r, line, rec, err);
    }
}
