/* fuzz_dict_compiled.c - fuzz target: a compiled dictionary (the seed dictionaries of seeds.h,
 * compiled once) damaged by an edit script (files.h: fuzz_corrupt), mostly with its checksum
 * recomputed so that the table checks themselves are exercised; when it opens, it is asked
 * about a text and walked. */
#include "dictq.h"
#include "seeds.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned char *seed;
static size_t seed_size;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!seed)
        seed = fuzz_seed_dict(&seed_size);
    size_t n;
    unsigned char *b = fuzz_corrupt(seed, seed_size, data, size, &n);
    char path[600];
    fuzz_write(fuzz_path(path, sizeof path, "fuzz.dict"), b, n);
    free(b);
    const char *paths[1] = {path};
    dyad_dict *d = NULL;
    dyad_error err;
    dyad_status st = dyad_dict_open(paths, 1, NULL, &d, &err);
    if (st != DYAD_OK) {
        FUZZ_CHECK(st < 0 && err.code == st && err.msg[0] && !d);
    } else {
        fuzz_dict_all(d, fuzz_probe_text, NULL, 0);
        dyad_dict_free(d);
    }
    remove(path);
    return 0;
}
