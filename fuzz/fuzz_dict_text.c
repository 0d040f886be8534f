/* fuzz_dict_text.c - fuzz target: the input as a text dictionary file in one of the formats
 * dyad reads (the first byte picks the file name, which is the format hint), opened alone or
 * with the seed dictionaries, asked about a text, saved compiled and opened again. */
#include "dictq.h"
#include "seeds.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* File names that hint at each format. */
static const char *const names[] = {
    "fuzz.txt",        "cameo.txt",          "CAMEO.verbs.txt", "Phoenix.actors.txt",
    "agents.txt",      "discards.txt",       "IssueCoding.txt", "prepositions.txt",
    "fuzz.verbs",      "fuzz.actors",        "fuzz.agents",     "Validate.verbs.txt",
};
#define NNAMES (sizeof names / sizeof names[0])

/* Problems are reported with a message, a file and the right sign. */
static void report(void *ctx, int is_error, const dyad_error *e)
{
    (void)ctx;
    FUZZ_CHECK(e && e->msg[0] && e->file[0] && e->line >= 0);
    FUZZ_CHECK(is_error ? e->code < 0 : e->code == DYAD_OK);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t mode = data[0];
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    char path[600], seed_dyad[600], seed_cameo[600], out[600];
    fuzz_write(fuzz_path(path, sizeof path, names[(mode & 15) % NNAMES]), text, len);
    const char *paths[3] = {path, NULL, NULL};
    size_t npaths = 1;
    if (mode & 16) {   /* with dyad's seed files: sets and codes across files */
        fuzz_write(fuzz_path(seed_dyad, sizeof seed_dyad, "seed-dyad.txt"), fuzz_dict_dyad,
                   strlen(fuzz_dict_dyad));
        fuzz_write(fuzz_path(seed_cameo, sizeof seed_cameo, "seed-cameo.txt"), fuzz_dict_cameo,
                   strlen(fuzz_dict_cameo));
        paths[1] = seed_dyad;
        paths[2] = seed_cameo;
        npaths = 3;
    }
    dyad_dict_opts o;
    memset(&o, 0, sizeof o);
    o.report = report;
    o.flags = (mode & 32) ? DYAD_DICT_LINT : 0;
    dyad_dict *d = NULL;
    dyad_error err;
    dyad_status st = dyad_dict_open_opts(paths, npaths, &o, &d, &err);
    if (st != DYAD_OK) {
        FUZZ_CHECK(st < 0 && err.code == st && err.msg[0] && !d);
        remove(path);
        return 0;
    }
    FUZZ_CHECK(d && dyad_dict_nfiles(d) >= 1);
    fuzz_dict_all(d, fuzz_probe_text, text, len < 512 ? len : 512);

    /* what was built opens again from its compiled file, with the same contents */
    fuzz_path(out, sizeof out, "saved.dict");
    FUZZ_CHECK(dyad_dict_save(d, out, &err) == DYAD_OK);
    dyad_dict *again = NULL;
    const char *one[1] = {out};
    FUZZ_CHECK(dyad_dict_open(one, 1, NULL, &again, &err) == DYAD_OK);
    FUZZ_CHECK(dyad_dict_nfiles(again) == dyad_dict_nfiles(d));
    FUZZ_CHECK(dyad__dict_npatterns(again) == dyad__dict_npatterns(d));
    dyad_dict_free(again);
    dyad_dict_free(d);
    remove(out);
    remove(path);
    return 0;
}
