#!/bin/sh
# parse.sh - tagging + lemmatising + parsing speed on one core, model load time and size.
# Baseline measured in the same run: segmentation alone of the same sentences' text.
# BENCH_MODEL=FILE measures another model (e.g. an older binary with its own model).
BUILD=${1:-build}
SHARED=${2:-../shared}
DYAD=$BUILD/dyad
MODEL=${BENCH_MODEL:-models/dyad-en.model}
TEST=$SHARED/ud/en_ewt-ud-test.conllu
if [ ! -f "$TEST" ]; then
    echo "bench parse: skipped ($TEST not found)"
    exit 0
fi
echo "machine: $(nproc) cores, $(grep -m 1 'model name' /proc/cpuinfo | sed 's/.*: //')"
echo "input:   $TEST ($(grep -c '^$' "$TEST") sentences, gold tokens)"
echo "model:   $MODEL ($(wc -c < "$MODEL") bytes)"
CMD="$DYAD eval parse --model $MODEL --repeat 5 $TEST"
echo "command: taskset -c 0 $CMD"
if command -v taskset > /dev/null 2>&1; then PIN="taskset -c 0"; else PIN=""; fi
out=$($PIN $CMD) || { echo "bench parse: dyad eval parse failed"; exit 1; }
printf '%s\n' "$out" | sed 's/^/  /'
# the baseline: segmenting the raw text of the same sentences (one article per document)
tmp=${TMPDIR:-/tmp}/dyad-bench-parse.$$
sed -n 's/^# text = //p' "$TEST" > "$tmp"
n=$(wc -l < "$tmp")
# CPU seconds of the five runs (user + system) when GNU time is there, else wall clock
if [ -x /usr/bin/time ]; then
    cpu=0
    for i in 1 2 3 4 5; do
        t=$(/usr/bin/time -f '%U %S' $PIN "$DYAD" segment --quiet "$tmp" 2>&1 > /dev/null | tail -n 1)
        cpu=$(echo "$cpu $t" | awk '{ print $1 + $2 + $3 }')
    done
    what="per second of CPU time, process start included"
else
    t0=$(date +%s.%N)
    for i in 1 2 3 4 5; do
        $PIN "$DYAD" segment --quiet "$tmp" > /dev/null || { rm -f "$tmp"; exit 1; }
    done
    t1=$(date +%s.%N)
    cpu=$(echo "$t0 $t1" | awk '{ print $2 - $1 }')
    what="wall clock, process start included"
fi
rm -f "$tmp"
seg=$(echo "$cpu $n" | awk '{ printf "%.0f", 5 * $2 / $1 }')
parse=$(printf '%s\n' "$out" | sed -n 's/^speed: \([0-9]*\) sentences.*/\1/p')
echo "baseline: segmentation alone $seg sentences/s ($what)"
echo "ratio:    tag + lemma + parse runs at $(echo "$parse $seg" | awk '{ printf "%.2f", $1 / $2 }') x the segmenter's sentence rate"
