#!/bin/sh
# run.sh - run every test suite and end with the line "N passed, N failed".
#
# Each suite prints one line per case: "PASS name", "FAIL name: why" or "SKIP name: why".
#   test/unit/*.c   C unit tests (built as BUILD/test/NAME), run in BUILD and BUILD/asan
#   test/sh/*.sh    command-level tests; called as: sh FILE DYAD_BINARY SHARED_DIR BUILD_DIR
# Suites named *_asan_skip.sh are not rerun under the sanitizers (slow evaluations).
BUILD=${1:-build}
SHARED=${2:-../shared}
LOG=$BUILD/test.log
mkdir -p "$BUILD"
: > "$LOG"

run_suite() {   # label, command...
    label=$1; shift
    out=$("$@" 2>>"$LOG"); rc=$?
    printf '%s\n' "$out" | sed "s|^|[$label] |" >> "$LOG"
    printf '%s\n' "$out" | grep -E '^(FAIL|SKIP) ' | sed "s|^|  [$label] |"
    if [ $rc -ne 0 ] && ! printf '%s\n' "$out" | grep -q '^FAIL '; then
        echo "FAIL $label: exited with status $rc" >> "$LOG"
        echo "  [$label] FAIL: exited with status $rc"
    fi
}

for variant in "$BUILD" "$BUILD/asan"; do
    [ -n "$DYAD_ASAN_ONLY" ] && [ "$variant" = "$BUILD" ] && continue
    [ -x "$variant/dyad" ] || continue
    for t in "$variant"/test/*; do
        [ -f "$t" ] && [ -x "$t" ] || continue
        run_suite "$(basename "$variant")/$(basename "$t")" "$t" "$SHARED"
    done
    for s in test/sh/*.sh; do
        [ -f "$s" ] || continue
        case "$variant:$s" in *asan:*_asan_skip.sh) continue ;; esac
        run_suite "$(basename "$variant")/$(basename "$s" .sh)" sh "$s" "$variant/dyad" "$SHARED" "$variant"
    done
done

pass=$(grep -c '^\[[^]]*\] PASS ' "$LOG")
fail=$(grep -c -E '^(\[[^]]*\] )?FAIL ' "$LOG")
skip=$(grep -c '^\[[^]]*\] SKIP ' "$LOG")
echo "log: $LOG"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
