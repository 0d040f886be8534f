#!/bin/sh
# dict.sh - dictionary compile time, load time of the compiled files and peak memory: dyad's
# own dict/ (load target <= 20 ms) and the whole Phoenix/CAMEO set (target <= 100 ms;
# PETRARCH-2 takes 1.3 s and 149 MiB to load its dictionaries on this machine).
# Load time = best of 5 runs of the time `dyad dict show --time FILE` reports for opening (mmap,
# checksum and table checks), measured inside the process; compile time = best of 3 runs of
# `dyad dict compile` (wall clock, process start included).  Baseline in the same run: the
# time to read and compile the same text in memory (`dyad dict show --time` on the text).
BUILD=${1:-build}
SHARED=${2:-../shared}
DYAD=$BUILD/dyad
D=$SHARED/petrarch2/dictionaries
if [ ! -x "$DYAD" ]; then
    echo "bench dict: no binary $DYAD"
    exit 1
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/dyad-bench-dict.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT INT TERM
if command -v taskset > /dev/null 2>&1; then PIN="taskset -c 0"; else PIN=""; fi

# best wall time in milliseconds of N runs of a command (output discarded)
best_ms() {
    n=$1
    shift
    best=""
    i=0
    while [ $i -lt "$n" ]; do
        t0=$(date +%s%N)
        $PIN "$@" > /dev/null 2>&1
        t1=$(date +%s%N)
        ms=$(( (t1 - t0) / 1000 ))
        if [ -z "$best" ] || [ $ms -lt "$best" ]; then best=$ms; fi
        i=$((i + 1))
    done
    echo "$best" | awk '{ printf "%.1f", $1 / 1000 }'
}

# best "opened in X ms" of N runs of dyad ... --time
best_open() {
    n=$1
    shift
    i=0
    while [ $i -lt "$n" ]; do
        $PIN "$@" --time 2>&1 > /dev/null | sed -n 's/^dyad: dictionaries opened in \([0-9.]*\) ms$/\1/p'
        i=$((i + 1))
    done | sort -n | head -1
}

# peak resident memory in KiB of one run
peak_kib() {
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -f '%M' "$@" 2>&1 > /dev/null | tail -1
    else
        "$@" > /dev/null 2>&1 &
        pid=$!
        peak=0
        while kill -0 $pid 2> /dev/null; do
            v=$(sed -n 's/^VmHWM:[^0-9]*\([0-9]*\).*/\1/p' /proc/$pid/status 2> /dev/null)
            [ -n "$v" ] && [ "$v" -gt "$peak" ] && peak=$v
        done
        wait $pid
        echo "$peak"
    fi
}

report() {   # label, paths...
    label=$1
    shift
    out=$T/$label.dict
    echo "input:   $label: $*"
    echo "         $(cat "$@" 2> /dev/null | wc -l) lines, $(cat "$@" | wc -c) bytes"
    echo "command: $DYAD dict compile $* -o $out"
    if ! "$DYAD" dict compile -q "$@" -o "$out" 2> "$T/err"; then
        echo "bench dict: compile failed: $(head -3 "$T/err")"
        return 1
    fi
    c=$(best_ms 3 "$DYAD" dict compile -q "$@" -o "$out")
    cm=$(peak_kib "$DYAD" dict compile -q "$@" -o "$out")
    echo "compile: ${c} ms, peak RSS $((cm / 1024)) MiB, compiled file $(wc -c < "$out") bytes"
    echo "command: $DYAD dict show -q --time $out"
    l=$(best_open 5 "$DYAD" dict show -q "$out")
    lm=$(peak_kib "$DYAD" dict show -q "$out")
    tx=$(best_open 3 "$DYAD" dict show -q "$@")
    echo "load:    ${l} ms, peak RSS $((lm / 1024)) MiB (the process, with its printing)"
    echo "         target <= $TARGET ms: $(echo "$l $TARGET" | awk '{ print ($1 <= $2) ? "met" : "MISSED" }')"
    echo "baseline: reading and compiling the text in memory ${tx} ms"
    echo "ratio:   loading the compiled file is $(echo "$tx $l" | awk '{ if ($2 <= 0) $2 = 0.01; printf "%.0f", $1 / $2 }') x faster"
}

echo "machine: $(nproc) cores, $(grep -m 1 'model name' /proc/cpuinfo | sed 's/.*: //')"
echo

if ls dict/*.txt > /dev/null 2>&1; then
    TARGET=20
    report own dict/*.txt || exit 1
else
    echo "bench dict: dict/ has no dictionaries: skipped"
fi
echo
if [ -d "$D" ]; then
    TARGET=100
    report phoenix "$D/Phoenix.Countries.actors.txt" "$D/Phoenix.International.actors.txt" \
        "$D/Phoenix.MilNonState.actors.txt" "$D/Phoenix.agents.txt" "$D/Phoenix.discards.txt" \
        "$D/Phoenix.IssueCoding.txt" "$D/CAMEO.2.0.txt" || exit 1
    echo "external: PETRARCH-2 loads the same dictionaries in 1.3 s at 149 MiB (EVALUATION.md)"
else
    echo "bench dict: $D not found: Phoenix set skipped"
fi
