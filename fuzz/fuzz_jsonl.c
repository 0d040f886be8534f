/* fuzz_jsonl.c - fuzz target: the input as a JSONL stream, each record loaded and segmented. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_reader(data, size, DYAD_INPUT_JSONL, "fuzz.jsonl");
    return 0;
}
