/* abbrev.h - word lists of the text front end (abbreviations, prefixes, contractions). */
#ifndef DYAD_ABBREV_H
#define DYAD_ABBREV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
    DYAD_ABBR_NONE = 0,
    DYAD_ABBR_NOEND = 1,  /* keeps its period and never ends a sentence (Mr., Gen., vs.) */
    DYAD_ABBR_MAYEND = 2  /* keeps its period; ends a sentence before a sentence starter */
};

/* Class of the word s[0,n) when a period follows it (the period not included).
 * next_is_digit: the next non-space character after the period is a digit ("No. 2"). */
int dyad__abbrev_class(const char *s, size_t n, bool next_is_digit);

/* s[0,n) is a bound prefix that UD English keeps attached with its hyphen ("anti-", "e-"). */
bool dyad__hyphen_prefix(const char *s, size_t n);

/* s[0,n) is a capitalised word that typically starts a sentence ("The", "He", "But"). */
bool dyad__sentence_starter(const char *s, size_t n);

/* s[0,n) is a lower-case function word after which a line cannot end a title ("the", "of"). */
bool dyad__function_word(const char *s, size_t n);

/* Contractions written without an apostrophe that UD splits ("cannot" -> can not, "gonna"
 * -> gon na, "dont" -> do nt).  Returns the number of cut points (0-2) written to cuts. */
int dyad__contraction_cuts(const char *s, size_t n, uint8_t cuts[2]);

#endif
