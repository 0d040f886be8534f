/* when.h - dates: parsing, formatting and resolving temporal expressions (when.c). */
#ifndef DYAD_WHEN_H
#define DYAD_WHEN_H

#include "internal.h"

#include <stdio.h>

enum { DYAD__NODATE = 0, DYAD__YEAR = 1, DYAD__MONTH = 2, DYAD__DAY = 3 };

/* A date at some precision: y always set; m when precision >= MONTH; d when DAY. */
typedef struct dyad__date {
    int y, m, d;
    int precision;
} dyad__date;

/* Parse YYYY, YYYY-MM or YYYY-MM-DD (a real calendar day). */
bool dyad__date_read(dyad_slice s, dyad__date *out);
/* Write the date at its precision ("2017-07-17", "2016-12", "2016"); returns the length. */
size_t dyad__date_format(const dyad__date *d, char *buf, size_t size);
int dyad__days_in_month(int y, int m);
long dyad__day_number(int y, int m, int d);
void dyad__from_day_number(long day, int *y, int *m, int *d);

/* If a temporal expression starts at toks[i] (of n tokens), resolve it against the article date
 * art (day precision) into out and return the number of tokens it spans; else return 0.
 * future: the clause is in the future tense (weekday names and bare months then look forward).
 * Handles today/yesterday/tomorrow, weekday names (+ morning/evening/night), last/next/this
 * week|month|year|weekday, earlier/later this week|month|year, N days|weeks|months|years ago,
 * month names with or without day and year, day-month-year, ISO dates and bare years. */
size_t dyad__when(const dyad_token *toks, size_t n, size_t i, const dyad__date *art,
                  bool future, dyad__date *out);

#endif
