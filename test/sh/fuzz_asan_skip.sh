#!/bin/sh
# fuzz_asan_skip.sh - build the libFuzzer targets in fuzz/ and run each for a short while over
# its seed corpus (20000 runs or 20 seconds); PASS when nothing crashes.  SKIP when clang
# cannot build libFuzzer targets (clang and libclang-rt-14-dev are needed).
# Usage: sh test/sh/fuzz_asan_skip.sh DYAD_BINARY SHARED_DIR BUILD_DIR (from the repository root)
BUILD=${3:-build}
ROOT=$(pwd)
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
OUT=$BUILD/fuzz
TARGETS="jsonl petrarch segment"

if ! command -v clang > /dev/null 2>&1; then
    for t in $TARGETS; do echo "SKIP fuzz_$t: clang is not installed"; done
    exit 0
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/dyad-fuzz.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT INT TERM
printf '#include <stdint.h>\n#include <stddef.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { return d && n ? 0 : 0; }\n' > "$T/probe.c"
if ! clang -fsanitize=fuzzer,address,undefined "$T/probe.c" -o "$T/probe" > /dev/null 2>&1; then
    for t in $TARGETS; do
        echo "SKIP fuzz_$t: clang cannot build libFuzzer targets (install libclang-rt-14-dev)"
    done
    exit 0
fi

if ! make --no-print-directory -s -C fuzz BUILD="$OUT" > "$T/build.log" 2>&1; then
    echo "FAIL fuzz build: make -C fuzz BUILD=$OUT failed:"
    tail -n 20 "$T/build.log" | sed 's/^/  /'
    exit 1
fi

for t in $TARGETS; do
    case $t in jsonl) dict=fuzz/jsonl.dict ;; petrarch) dict=fuzz/xml.dict ;; *) dict= ;; esac
    mkdir -p "$T/new_$t"
    "$OUT/fuzz_$t" -runs=20000 -max_total_time=20 -rss_limit_mb=2048 -timeout=10 \
        ${dict:+-dict=$dict} -artifact_prefix="$T/" "$T/new_$t" "fuzz/corpus/$t" \
        > "$T/$t.log" 2>&1
    rc=$?
    runs=$(grep -o 'Done [0-9]* runs' "$T/$t.log" | grep -o '[0-9]*')
    if [ "$rc" = 0 ] && [ -n "$runs" ]; then
        echo "PASS fuzz_$t: $runs runs without a crash"
    else
        crash=$(ls "$T"/crash-* "$T"/leak-* "$T"/timeout-* "$T"/oom-* 2>/dev/null | head -n 1)
        if [ -n "$crash" ]; then
            mkdir -p "$OUT/crashes"
            cp "$crash" "$OUT/crashes/"
            crash="$OUT/crashes/$(basename "$crash")"
        fi
        echo "FAIL fuzz_$t: exit status $rc; input kept in ${crash:-(none)}; report:"
        grep -E 'ERROR|runtime error|SUMMARY|#[0-9]+ 0x' "$T/$t.log" | head -n 12 | sed 's/^/  /'
    fi
done
exit 0
