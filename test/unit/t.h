/* t.h - a tiny test harness: one "PASS name" / "FAIL name: why" line per check. */
#ifndef DYAD_T_H
#define DYAD_T_H

#include <stdio.h>
#include <string.h>

static int t_failed;

#define T_CHECK(name, cond)                                                        \
    do {                                                                           \
        if (cond) {                                                                \
            printf("PASS %s\n", (name));                                           \
        } else {                                                                   \
            printf("FAIL %s: %s (%s:%d)\n", (name), #cond, __FILE__, __LINE__);    \
            t_failed++;                                                            \
        }                                                                          \
    } while (0)

#define T_SKIP(name, why) printf("SKIP %s: %s\n", (name), (why))

#define T_DONE() return t_failed ? 1 : 0

#endif
