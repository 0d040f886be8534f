#!/bin/sh
# scale_asan_skip.sh - the coder as a stream filter: GNU parallel --pipepart -k over a JSONL
# file gives byte for byte the output of one dyad code run (docs/scale.md).
# Usage: sh test/sh/scale_asan_skip.sh DYAD_BINARY SHARED_DIR BUILD_DIR (from the repository root)
DYAD=$1
ROOT=$(pwd)
case $DYAD in /*) ;; *) DYAD=$ROOT/$DYAD ;; esac
if [ ! -x "$DYAD" ]; then
    echo "FAIL scale: no binary $DYAD"
    exit 1
fi
if ! parallel --version 2>/dev/null | grep -q 'GNU parallel'; then
    echo "SKIP scale-parallel: GNU parallel is not installed (Debian package parallel)"
    exit 0
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/dyad-scale.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT INT TERM
# one binary for both runs, whatever a build does to the original meanwhile
cp "$DYAD" "$T/dyad" || exit 1
DYAD=$T/dyad

# the example articles 40 times over, each copy with its own ids: 240 articles
k=1
while [ $k -le 40 ]; do
    sed "s/^{\"id\":\"\([^\"]*\)\"/{\"id\":\"\1-copy$k\"/" "$ROOT/examples/articles.jsonl"
    k=$((k + 1))
done > "$T/big.jsonl"
n=$(grep -c '"id":"[^"]*-copy[0-9]*"' "$T/big.jsonl")
ids=$(sed 's/^{"id":"\([^"]*\)".*/\1/' "$T/big.jsonl" | sort -u | wc -l)
lines=$(wc -l < "$T/big.jsonl")
if [ "$n" -eq "$lines" ] && [ "$ids" -eq "$lines" ] && [ "$lines" -eq 240 ]; then
    echo "PASS scale-input"
else
    echo "FAIL scale-input: $lines lines, $n renamed, $ids distinct ids (expected 240)"
fi

"$DYAD" code --input jsonl "$T/big.jsonl" > "$T/one.jsonl" 2> "$T/one.err"
rc1=$?
# blocks of 64 kB: several jobs, each a dyad code reading its part on standard input
parallel --will-cite --pipepart -a "$T/big.jsonl" --block 64k -k --joblog "$T/jobs" \
    "$DYAD" code --input jsonl > "$T/par.jsonl" 2> "$T/par.err"
rc2=$?
jobs=$(($(wc -l < "$T/jobs") - 1))
events=$(grep -c '"kind":"event"' "$T/one.jsonl")
if [ $rc1 -ne 0 ]; then
    echo "FAIL scale-single: dyad code exited $rc1: $(head -n 2 "$T/one.err")"
elif [ "$events" -eq 0 ] || [ $((events % 40)) -ne 0 ]; then
    echo "FAIL scale-single: $events events, expected a nonzero multiple of 40"
else
    echo "PASS scale-single"
fi
if [ $rc2 -ne 0 ]; then
    echo "FAIL scale-parallel: parallel exited $rc2: $(head -n 2 "$T/par.err")"
elif [ "$jobs" -lt 2 ]; then
    echo "FAIL scale-parallel: $jobs job(s); the input was not split"
elif ! cmp -s "$T/one.jsonl" "$T/par.jsonl"; then
    echo "FAIL scale-parallel: the output of $jobs jobs differs from one run:" \
        "$(diff "$T/one.jsonl" "$T/par.jsonl" | head -n 2 | cut -c1-160 | tr '\n' '|')"
else
    echo "PASS scale-parallel"
fi
