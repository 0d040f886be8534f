/* fuzz_when.c - fuzz target: the date resolver.  The first five bytes give an article date and
 * the tense; the rest, split at blanks, gives the tokens.  Every temporal expression found must
 * lie inside the sentence and resolve to a real date at its precision; every date read must
 * write back as it was read. */
#include "fuzz.h"
#include "when.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_TOKENS 512

/* A date the resolver returned: real, at its precision, within a few centuries of the article. */
static void check_date(const dyad__date *d, const dyad__date *art)
{
    FUZZ_CHECK(d->precision >= DYAD__YEAR && d->precision <= DYAD__DAY);
    FUZZ_CHECK(d->y >= (art->y < 1000 ? art->y : 1000) - 200 && d->y <= (art->y > 2999 ? art->y : 2999) + 200);
    if (d->precision >= DYAD__MONTH)
        FUZZ_CHECK(d->m >= 1 && d->m <= 12);
    if (d->precision == DYAD__DAY)
        FUZZ_CHECK(d->d >= 1 && d->d <= dyad__days_in_month(d->y, d->m));
    char buf[32];
    size_t n = dyad__date_format(d, buf, sizeof buf);
    FUZZ_CHECK(n > 0 && n < sizeof buf);
    if (d->y >= 1000 && d->y <= 2999) {
        dyad__date back;
        FUZZ_CHECK(dyad__date_read(dyad__slice(buf, n), &back));
        FUZZ_CHECK(back.precision == d->precision && back.y == d->y);
        FUZZ_CHECK(d->precision < DYAD__MONTH || back.m == d->m);
        FUZZ_CHECK(d->precision < DYAD__DAY || back.d == d->d);
    }
}

/* A string dyad__date_read accepts is a date that writes back as the same string. */
static void check_read(dyad_slice s)
{
    dyad__date d;
    if (!dyad__date_read(s, &d))
        return;
    FUZZ_CHECK(d.y >= 1000 && d.y <= 2999);
    char buf[32];
    size_t n = dyad__date_format(&d, buf, sizeof buf);
    FUZZ_CHECK(n == s.len && memcmp(buf, s.ptr, n) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 5)
        return 0;
    dyad__date art;
    art.y = 1000 + (int)(((unsigned)data[0] | (unsigned)data[1] << 8) % 2000);
    art.m = data[2] % 12 + 1;
    art.d = data[3] % dyad__days_in_month(art.y, art.m) + 1;
    art.precision = DYAD__DAY;
    bool future = data[4] & 1;
    const char *text = (const char *)data + 5;
    size_t len = size - 5;
    check_read(dyad__slice(text, len));

    dyad_token toks[MAX_TOKENS];
    size_t n = 0;
    for (size_t i = 0; i < len && n < MAX_TOKENS;) {
        while (i < len && (text[i] == ' ' || text[i] == '\n' || text[i] == '\t'))
            i++;
        size_t start = i;
        while (i < len && text[i] != ' ' && text[i] != '\n' && text[i] != '\t')
            i++;
        if (i == start)
            continue;
        memset(&toks[n], 0, sizeof toks[n]);
        toks[n].form = dyad__slice(text + start, i - start);
        toks[n].start = (uint32_t)start;
        toks[n].end = (uint32_t)i;
        toks[n].head = -1;
        n++;
    }
    for (size_t i = 0; i <= n; i++) {
        if (i < n)
            check_read(toks[i].form);
        dyad__date out;
        memset(&out, 0, sizeof out);
        size_t used = dyad__when(toks, n, i, &art, future, &out);
        FUZZ_CHECK(used <= (i < n ? n - i : 0));
        if (used)
            check_date(&out, &art);
    }
    /* an article date that is not a day resolves nothing */
    dyad__date month = art;
    month.precision = DYAD__MONTH;
    dyad__date out;
    FUZZ_CHECK(n == 0 || dyad__when(toks, n, 0, &month, future, &out) == 0);
    return 0;
}
