/* date.c - validation and normalisation of the calendar dates that records carry. */
#include "read.h"

static bool leap_year(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const unsigned char days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap_year(y) ? 29 : days[m - 1];
}

/* Value of n decimal digits at p, or -1 when one of them is not a digit. */
static int digits(const char *p, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return -1;
        v = v * 10 + (p[i] - '0');
    }
    return v;
}

static bool real_day(int y, int m, int d)
{
    return y >= 1000 && y <= 2999 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

int dyad_date_valid(dyad_slice date)
{
    if (!date.ptr || date.len != 10 || date.ptr[4] != '-' || date.ptr[7] != '-')
        return 0;
    int y = digits(date.ptr, 4), m = digits(date.ptr + 5, 2), d = digits(date.ptr + 8, 2);
    return y >= 0 && m >= 0 && d >= 0 && real_day(y, m, d);
}

/* A time of day after a date: [T ]HH:MM[:SS[.fff]][Z|(+|-)HH[:]MM]. */
static bool time_suffix(const char *p, size_t n)
{
    size_t i;
    if (n < 6 || digits(p + 1, 2) < 0 || digits(p + 1, 2) > 24 || p[3] != ':' ||
        digits(p + 4, 2) < 0 || digits(p + 4, 2) > 59)
        return false;
    i = 6;   /* past [T ]HH:MM */
    if (i < n && p[i] == ':') {
        if (i + 3 > n || digits(p + i + 1, 2) < 0 || digits(p + i + 1, 2) > 60)
            return false;
        i += 3;
        if (i < n && (p[i] == '.' || p[i] == ',')) {
            size_t k = ++i;
            while (i < n && p[i] >= '0' && p[i] <= '9')
                i++;
            if (i == k)
                return false;
        }
    }
    if (i < n && p[i] == 'Z')
        i++;
    else if (i < n && (p[i] == '+' || p[i] == '-')) {
        i++;
        if (i + 2 > n || digits(p + i, 2) < 0)
            return false;
        i += 2;
        if (i < n && p[i] == ':')
            i++;
        if (i < n) {
            if (i + 2 > n || digits(p + i, 2) < 0)
                return false;
            i += 2;
        }
    }
    return i == n;
}

int dyad__date_parse(dyad_slice s, char out[11])
{
    const char *p = s.ptr;
    int y, m, d;
    if (!p)
        return -1;
    if (s.len == 8) {
        y = digits(p, 4);
        m = digits(p + 4, 2);
        d = digits(p + 6, 2);
    } else if (s.len >= 10 && p[4] == '-' && p[7] == '-') {
        y = digits(p, 4);
        m = digits(p + 5, 2);
        d = digits(p + 8, 2);
        if (s.len > 10 && !((p[10] == 'T' || p[10] == ' ') && time_suffix(p + 10, s.len - 10)))
            return -1;
    } else {
        return -1;
    }
    if (y < 0 || m < 0 || d < 0)
        return -1;
    if (!real_day(y, m, d))
        return 0;
    out[0] = p[0], out[1] = p[1], out[2] = p[2], out[3] = p[3];
    out[4] = '-';
    out[5] = (char)('0' + m / 10), out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10), out[9] = (char)('0' + d % 10);
    out[10] = '\0';
    return 1;
}
