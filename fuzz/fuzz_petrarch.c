/* fuzz_petrarch.c - fuzz target: the input as PETRARCH XML, each Sentence loaded and segmented. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_reader(data, size, DYAD_INPUT_PETRARCH, "fuzz.xml");
    return 0;
}
