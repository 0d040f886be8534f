/* when.c - resolving dates in the text ("Monday", "last week", "in December") against the article date. */
#include "when.h"

#include <stdlib.h>

/* ---------------------------------------------------------------- calendar */

static bool leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int dyad__days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : days[m - 1];
}

/* Days since 1970-01-01 (proleptic Gregorian). */
long dyad__day_number(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void dyad__from_day_number(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long yy = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
}

/* 0 = Monday ... 6 = Sunday */
static int weekday(long day)
{
    long w = (day + 3) % 7;   /* 1970-01-01 was a Thursday */
    return (int)(w < 0 ? w + 7 : w);
}

bool dyad__date_read(dyad_slice s, dyad__date *out)
{
    memset(out, 0, sizeof *out);
    /* exactly YYYY, YYYY-MM or YYYY-MM-DD: nothing before or after ("2017-07-18x" is not a
     * date, nor is "20170718" the year 2017) */
    if (s.len != 4 && s.len != 7 && s.len != 10)
        return false;
    for (size_t i = 0; i < s.len; i++) {
        bool dash = i == 4 || i == 7;
        if (dash ? s.ptr[i] != '-' : (s.ptr[i] < '0' || s.ptr[i] > '9'))
            return false;
    }
    int v[3] = {0, 0, 0};
    int parts = s.len == 4 ? 1 : s.len == 7 ? 2 : 3;
    for (int k = 0; k < parts; k++) {
        const char *p = s.ptr + (k == 0 ? 0 : k == 1 ? 5 : 8);
        for (int j = 0; j < (k == 0 ? 4 : 2); j++)
            v[k] = v[k] * 10 + (p[j] - '0');
    }
    if (v[0] < 1000 || v[0] > 2999)
        return false;
    out->y = v[0];
    out->precision = DYAD__YEAR;
    if (parts >= 2) {
        if (v[1] < 1 || v[1] > 12)
            return false;
        out->m = v[1];
        out->precision = DYAD__MONTH;
    }
    if (parts >= 3) {
        if (v[2] < 1 || v[2] > dyad__days_in_month(v[0], v[1]))
            return false;
        out->d = v[2];
        out->precision = DYAD__DAY;
    }
    return true;
}

/* n (0 .. 10^width - 1) in width digits with leading zeros. */
static char *put_digits(char *p, int n, int width)
{
    for (int k = width - 1; k >= 0; k--, n /= 10)
        p[k] = (char)('0' + n % 10);
    return p + width;
}

size_t dyad__date_format(const dyad__date *dt, char *buf, size_t size)
{
    /* the usual dates without printf (every event has one) */
    if (size >= 11 && dt->y >= 0 && dt->y <= 9999 && dt->m >= 0 && dt->m <= 99 && dt->d >= 0 &&
        dt->d <= 99 &&
        (dt->precision == DYAD__DAY || dt->precision == DYAD__MONTH ||
         dt->precision == DYAD__YEAR)) {
        char *p = put_digits(buf, dt->y, 4);
        if (dt->precision != DYAD__YEAR) {
            *p++ = '-';
            p = put_digits(p, dt->m, 2);
        }
        if (dt->precision == DYAD__DAY) {
            *p++ = '-';
            p = put_digits(p, dt->d, 2);
        }
        *p = '\0';
        return (size_t)(p - buf);
    }
    int n;
    switch (dt->precision) {
    case DYAD__DAY: n = snprintf(buf, size, "%04d-%02d-%02d", dt->y, dt->m, dt->d); break;
    case DYAD__MONTH: n = snprintf(buf, size, "%04d-%02d", dt->y, dt->m); break;
    case DYAD__YEAR: n = snprintf(buf, size, "%04d", dt->y); break;
    default: n = snprintf(buf, size, "%s", ""); break;
    }
    return n < 0 ? 0 : (size_t)n;
}

static dyad__date make_day(long day)
{
    dyad__date d;
    d.precision = DYAD__DAY;
    dyad__from_day_number(day, &d.y, &d.m, &d.d);
    return d;
}

/* ---------------------------------------------------------------- words */

/* A word and its length, for the tables below. */
typedef struct word {
    const char *s;
    size_t n;
} word;

#define W(lit) {lit, sizeof lit - 1}

static inline bool word_eq(const dyad_token *t, word w)
{
    return t->form.len == w.n && dyad__ascii_ieq(t->form.ptr, w.s, w.n);
}

/* word_is(t, "literal"): the token is the word (without ASCII case). */
#define word_is(t, lit) word_eq((t), (word)W(lit))

static const word month_names[12][2] = {
    {W("january"), W("jan.")},   {W("february"), W("feb.")},  {W("march"), W("mar.")},
    {W("april"), W("apr.")},     {W("may"), W("may")},        {W("june"), W("jun.")},
    {W("july"), W("jul.")},      {W("august"), W("aug.")},    {W("september"), W("sept.")},
    {W("october"), W("oct.")},   {W("november"), W("nov.")},  {W("december"), W("dec.")},
};

/* 1-12, or 0.  "May" is a month only when capitalised; "March" likewise. */
static int month_of(const dyad_token *t)
{
    /* every form below has 3 to 9 bytes */
    if (t->form.len < 3 || t->form.len > 9)
        return 0;
    bool cap = t->form.ptr[0] >= 'A' && t->form.ptr[0] <= 'Z';
    for (int m = 0; m < 12; m++) {
        if (word_eq(t, month_names[m][0]) || word_eq(t, month_names[m][1]) ||
            (m == 8 && word_is(t, "sep.")) ||
            (t->form.len == 3 && dyad__ascii_ieq(t->form.ptr, month_names[m][0].s, 3) &&
             m != 4 && cap && (t->form.ptr[1] >= 'a')))
            return (m == 2 || m == 4) && !cap ? 0 : m + 1;
    }
    return 0;
}

static const word day_names[7] = {W("monday"), W("tuesday"), W("wednesday"), W("thursday"),
                                  W("friday"), W("saturday"), W("sunday")};

static int weekday_of(const dyad_token *t)
{
    if (t->form.len < 6 || t->form.len > 9)
        return -1;
    for (int d = 0; d < 7; d++)
        if (word_eq(t, day_names[d]))
            return d;
    return -1;
}

/* A number token: digits only, or a small number word. */
static int number_of(const dyad_token *t)
{
    static const word words[] = {W("zero"),  W("one"),  W("two"), W("three"),  W("four"),
                                 W("five"),  W("six"),  W("seven"), W("eight"), W("nine"),
                                 W("ten"),   W("eleven"), W("twelve")};
    if (t->form.len && t->form.len <= 4) {
        int n = 0;
        size_t i = 0;
        for (; i < t->form.len && t->form.ptr[i] >= '0' && t->form.ptr[i] <= '9'; i++)
            n = n * 10 + (t->form.ptr[i] - '0');
        if (i == t->form.len)
            return n;
        /* ordinals: 9th, 1st, 22nd, 3rd */
        if (i && i + 2 == t->form.len)
            return n;
    }
    if (t->form.len > 6)
        return -1;   /* longer than every word below */
    for (int k = 0; k < 13; k++)
        if (word_eq(t, words[k]))
            return k;
    if (word_is(t, "a") || word_is(t, "an"))
        return 1;
    return -1;
}

static int year_of(const dyad_token *t)
{
    if (t->form.len != 4)
        return 0;
    int y = 0;
    for (size_t i = 0; i < 4; i++) {
        if (t->form.ptr[i] < '0' || t->form.ptr[i] > '9')
            return 0;
        y = y * 10 + (t->form.ptr[i] - '0');
    }
    return y >= 1900 && y <= 2100 ? y : 0;
}

/* ---------------------------------------------------------------- resolution */

static int unit_of(const dyad_token *t)
{
    if (word_is(t, "day") || word_is(t, "days"))
        return 1;
    if (word_is(t, "week") || word_is(t, "weeks"))
        return 2;
    if (word_is(t, "month") || word_is(t, "months"))
        return 3;
    if (word_is(t, "year") || word_is(t, "years"))
        return 4;
    return 0;
}

static dyad__date shift(const dyad__date *base, int unit, int n)
{
    long day = dyad__day_number(base->y, base->m, base->d);
    dyad__date r = *base;
    switch (unit) {
    case 1: return make_day(day + n);
    case 2: return make_day(day + 7L * n);
    case 3: {
        int mm = base->y * 12 + (base->m - 1) + n;
        r.y = mm / 12;
        r.m = mm % 12 + 1;
        r.d = 0;
        r.precision = DYAD__MONTH;
        return r;
    }
    default:
        r.y = base->y + n;
        r.m = r.d = 0;
        r.precision = DYAD__YEAR;
        return r;
    }
}

/* The month m nearest the article: the most recent one up to the article's month (past), or
 * the next one from it (future). */
static int year_for_month(const dyad__date *art, int m, bool future)
{
    if (future)
        return m >= art->m ? art->y : art->y + 1;
    return m <= art->m ? art->y : art->y - 1;
}

size_t dyad__when(const dyad_token *toks, size_t n, size_t i, const dyad__date *art,
                  bool future, dyad__date *out)
{
    if (i >= n || art->precision != DYAD__DAY)
        return 0;
    const dyad_token *t = &toks[i];
    long today = dyad__day_number(art->y, art->m, art->d);
    size_t rest = n - i;

    if (word_is(t, "today") || word_is(t, "tonight")) {
        *out = *art;
        return 1;
    }
    if (word_is(t, "yesterday")) {
        *out = make_day(today - 1);
        return 1;
    }
    if (word_is(t, "tomorrow")) {
        *out = make_day(today + 1);
        return 1;
    }
    /* (last|next|this) (week|month|year|Monday) ; earlier/later this (week|month|year) */
    {
        size_t k = 0;
        int dir = 0;
        bool earlier = false;
        if (word_is(t, "earlier") || word_is(t, "later")) {
            earlier = true;
            k = 1;
        }
        if (k < rest) {
            const dyad_token *a = &toks[i + k];
            if (word_is(a, "last") || word_is(a, "past") || word_is(a, "previous"))
                dir = -1;
            else if (word_is(a, "next") || word_is(a, "coming"))
                dir = 1;
            else if (word_is(a, "this"))
                dir = 2;
            else
                dir = 0;
            if (dir && k + 1 < rest && !(earlier && dir != 2)) {
                const dyad_token *b = &toks[i + k + 1];
                int unit = unit_of(b);
                int wd = weekday_of(b);
                if (unit && !(b->form.len && b->form.ptr[b->form.len - 1] == 's')) {
                    if (unit == 2) {
                        /* a week is reported at day precision: its Monday is too precise, so
                         * report the month that holds the day a week away */
                        dyad__date w = shift(art, 1, dir == 2 ? 0 : 7 * dir);
                        w.d = 0;
                        w.precision = DYAD__MONTH;
                        *out = w;
                    } else {
                        *out = shift(art, unit, dir == 2 ? 0 : dir);
                    }
                    return k + 2;
                }
                if (wd >= 0 && !earlier) {
                    int cur = weekday(today);
                    long delta;
                    if (dir == -1)
                        delta = -(((cur - wd) + 7) % 7 ? ((cur - wd) + 7) % 7 : 7);
                    else if (dir == 1)
                        delta = ((wd - cur) + 7) % 7 ? ((wd - cur) + 7) % 7 : 7;
                    else
                        delta = wd - cur;
                    *out = make_day(today + delta);
                    return k + 2;
                }
            }
        }
    }
    /* N (days|weeks|months|years) (ago|earlier|later) ; a couple of days ago */
    {
        size_t k = 0;
        int num = -1;
        if (word_is(t, "a") && rest >= 4 && word_is(&toks[i + 1], "couple") &&
            word_is(&toks[i + 2], "of")) {
            num = 2;
            k = 3;
        } else if (word_is(t, "a") && rest >= 4 && word_is(&toks[i + 1], "few")) {
            num = 3;
            k = 2;
        } else {
            num = number_of(t);
            k = 1;
        }
        if (num > 0 && num <= 100 && k + 1 < rest) {
            int unit = unit_of(&toks[i + k]);
            const dyad_token *ago = &toks[i + k + 1];
            if (unit && word_is(ago, "ago")) {
                *out = shift(art, unit, -num);
                if (unit == 2) {
                    out->d = 0;
                    out->precision = DYAD__MONTH;
                }
                return k + 2;
            }
        }
    }
    /* weekday names: the most recent before the article date (past), the next one (future) */
    int wd = weekday_of(t);
    if (wd >= 0) {
        int cur = weekday(today);
        long delta;
        if (future)
            delta = ((wd - cur) + 7) % 7;
        else
            delta = -(((cur - wd) + 7) % 7);
        *out = make_day(today + delta);
        size_t used = 1;
        /* "Monday evening", "Monday night" */
        if (rest > 1 && (word_is(&toks[i + 1], "morning") || word_is(&toks[i + 1], "evening") ||
                         word_is(&toks[i + 1], "night") || word_is(&toks[i + 1], "afternoon")))
            used = 2;
        /* "Monday, July 17" is handled as the explicit date that follows */
        return used;
    }
    /* explicit dates: July 9 [, 2017] ; July 2017 ; 9 July [2017] ; 2017-07-09 */
    int m = month_of(t);
    if (m) {
        size_t k = 1;
        int day = 0, year = 0;
        if (k < rest && !year_of(&toks[i + k])) {
            int d = number_of(&toks[i + k]);
            if (d >= 1 && d <= 31 && toks[i + k].form.ptr[0] >= '0' && toks[i + k].form.ptr[0] <= '9') {
                day = d;
                k++;
            }
        }
        if (k < rest && word_is(&toks[i + k], ",") && k + 1 < rest && year_of(&toks[i + k + 1]))
            k++;
        if (k < rest && (year = year_of(&toks[i + k])))
            k++;
        dyad__date r = {0, 0, 0, 0};
        r.y = year ? year : year_for_month(art, m, future);
        r.m = m;
        if (day && day <= dyad__days_in_month(r.y, m)) {
            r.d = day;
            r.precision = DYAD__DAY;
        } else {
            r.precision = DYAD__MONTH;
        }
        /* a bare capitalised "May"/"March" with nothing after it is a month only after a
         * preposition; the caller passes such tokens from temporal modifiers */
        *out = r;
        return k;
    }
    {
        int d = number_of(t);
        if (d >= 1 && d <= 31 && t->form.len <= 2 && rest > 1 && (m = month_of(&toks[i + 1]))) {
            size_t k = 2;
            int year = 0;
            if (k < rest && (year = year_of(&toks[i + k])))
                k++;
            dyad__date r = {0, 0, 0, 0};
            r.y = year ? year : year_for_month(art, m, future);
            r.m = m;
            if (d <= dyad__days_in_month(r.y, m)) {
                r.d = d;
                r.precision = DYAD__DAY;
            } else {
                r.precision = DYAD__MONTH;
            }
            *out = r;
            return k;
        }
    }
    {
        dyad__date r;
        if (t->form.len == 10 && dyad__date_read(t->form, &r) && r.precision == DYAD__DAY) {
            *out = r;
            return 1;
        }
    }
    int y = year_of(t);
    if (y) {
        out->y = y;
        out->m = out->d = 0;
        out->precision = DYAD__YEAR;
        return 1;
    }
    return 0;
}
