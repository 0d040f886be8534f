/* dates_spec.c - runs test/spec/dates.txt through the date resolver. */
#include "t.h"
#include "when.h"

#include <stdlib.h>

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    char *e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
        *--e = '\0';
    return s;
}

int main(void)
{
    FILE *f = fopen("test/spec/dates.txt", "r");
    if (!f) {
        printf("FAIL dates: cannot open test/spec/dates.txt (run from the repository root)\n");
        return 1;
    }
    char line[1024];
    int lineno = 0, cases = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        char *s = trim(line);
        if (!*s || *s == '#')
            continue;
        char *field[5];
        int nf = 0;
        for (char *p = s; nf < 5; nf++) {
            char *bar = strchr(p, '|');
            if (bar)
                *bar = '\0';
            field[nf] = trim(p);
            if (!bar) {
                nf++;
                break;
            }
            p = bar + 1;
        }
        char name[160];
        snprintf(name, sizeof name, "dates:%d %s", lineno, nf >= 3 ? field[2] : "?");
        if (nf != 5) {
            T_CHECK(name, !"five fields");
            continue;
        }
        dyad__date art, got = {0, 0, 0, 0};
        if (!dyad__date_read(dyad__cstr(field[0]), &art)) {
            T_CHECK(name, !"valid article date");
            continue;
        }
        bool future = strcmp(field[1], "future") == 0;
        dyad_token toks[16];
        size_t n = 0;
        char *save = NULL;
        for (char *w = strtok_r(field[2], " ", &save); w && n < 16; w = strtok_r(NULL, " ", &save)) {
            memset(&toks[n], 0, sizeof toks[n]);
            toks[n].form = dyad__cstr(w);
            n++;
        }
        size_t span = dyad__when(toks, n, 0, &art, future, &got);
        char buf[32] = "-";
        if (span)
            dyad__date_format(&got, buf, sizeof buf);
        size_t want_span = (size_t)atoi(field[4]);
        bool ok = strcmp(buf, field[3]) == 0 && span == want_span;
        if (!ok)
            printf("FAIL %s: got %s (span %zu), want %s (span %zu)\n", name, buf, span, field[3],
                   want_span), t_failed++;
        else
            printf("PASS %s\n", name);
        cases++;
    }
    fclose(f);
    T_CHECK("dates: spec has cases", cases >= 60);
    T_DONE();
}
