#!/bin/sh
# fuzz_asan_skip.sh - build the libFuzzer targets in fuzz/ (ASan + UBSan), replay the inputs
# that once crashed them (test/fixtures/crashes/TARGET/), then run each target for a bounded
# time over its seed corpus (two at a time on this two-core machine); PASS when nothing crashes.
# SKIP when clang cannot build libFuzzer targets (clang and libclang-rt-14-dev are needed).
# FUZZ_SECONDS (default 12) sets the time per target.
# Usage: sh test/sh/fuzz_asan_skip.sh DYAD_BINARY SHARED_DIR BUILD_DIR (from the repository root)
BUILD=${3:-build}
ROOT=$(pwd)
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
OUT=$BUILD/fuzz
TARGETS="jsonl petrarch segment conllu dict_text dict_compiled model when code"
SECONDS_EACH=${FUZZ_SECONDS:-12}

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

if ! make --no-print-directory -s -j2 -C fuzz BUILD="$OUT" > "$T/build.log" 2>&1; then
    echo "FAIL fuzz build: make -C fuzz BUILD=$OUT failed:"
    grep -E 'error|Error' "$T/build.log" | head -n 20 | sed 's/^/  /'
    exit 1
fi

# The targets make temporary files: keep them in $T.
export TMPDIR="$T"

dict_of() {
    case $1 in
    jsonl) echo fuzz/jsonl.dict ;;
    petrarch) echo fuzz/xml.dict ;;
    conllu) echo fuzz/conllu.dict ;;
    dict_text) echo fuzz/dictionary.dict ;;
    when) echo fuzz/when.dict ;;
    esac
}

# Regressions: every input that once crashed a target runs through it again.
for t in $TARGETS; do
    dir=test/fixtures/crashes/$t
    [ -d "$dir" ] || continue
    n=$(ls "$dir" | wc -l)
    [ "$n" -gt 0 ] || continue
    if "$OUT/fuzz_$t" -rss_limit_mb=2048 -timeout=30 "$dir"/* > "$T/regress_$t.log" 2>&1; then
        echo "PASS fuzz_$t regressions: $n inputs from $dir"
    else
        echo "FAIL fuzz_$t regressions: an input of $dir fails again:"
        grep -E 'Running:|ERROR|runtime error|SUMMARY|#[0-9]+ 0x.* in ' "$T/regress_$t.log" | head -n 12 |
            sed 's/^/  /'
    fi
done

# fuzz TARGET: run it for SECONDS_EACH over its seed corpus (new inputs go to $T/new_TARGET)
fuzz() {
    t=$1
    dict=$(dict_of "$t")
    mkdir -p "$T/new_$t" "$T/art_$t"
    "$OUT/fuzz_$t" -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 -timeout=20 \
        ${dict:+-dict=$dict} -artifact_prefix="$T/art_$t/" "$T/new_$t" "fuzz/corpus/$t" \
        > "$T/$t.log" 2>&1
    echo $? > "$T/$t.rc"
}

report() {
    t=$1
    rc=$(cat "$T/$t.rc")
    runs=$(grep -o 'Done [0-9]* runs' "$T/$t.log" | grep -o '[0-9]*')
    if [ "$rc" = 0 ] && [ -n "$runs" ]; then
        echo "PASS fuzz_$t: $runs runs in ${SECONDS_EACH} s without a crash"
        return
    fi
    crash=$(ls "$T/art_$t"/* 2>/dev/null | head -n 1)
    if [ -n "$crash" ]; then
        mkdir -p "$OUT/crashes/$t"
        cp "$crash" "$OUT/crashes/$t/"
        crash="$OUT/crashes/$t/$(basename "$crash")"
    fi
    echo "FAIL fuzz_$t: exit status $rc; input kept in ${crash:-(none)}; report:"
    grep -E 'ERROR|runtime error|SUMMARY|#[0-9]+ 0x.* in ' "$T/$t.log" | head -n 12 | sed 's/^/  /'
}

set -- $TARGETS
while [ $# -gt 0 ]; do
    a=$1
    shift
    b=${1:-}
    [ $# -gt 0 ] && shift
    fuzz "$a" &
    pid=$!
    [ -n "$b" ] && fuzz "$b"
    wait "$pid"
    report "$a"
    [ -n "$b" ] && report "$b"
done
exit 0
