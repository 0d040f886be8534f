#!/bin/sh
# code.sh - end to end: JSONL articles in, JSONL events out (segment, tag, parse, code, write).
# Prints the machine, the input and the commands; sentences per second on one core (CPU time),
# -j 1 against -j 2 on wall-clock time, the same work split by stage (one run of
# build/bench/stages, which times every stage: its own rate and its share of the time), load time
# of the model and the dictionaries and peak memory, with the shipped dictionaries and with the
# full Phoenix set of ../shared.
# BENCH_SENTENCES (default 200000) sets the size of the input.
BUILD=${1:-build}
SHARED=${2:-../shared}
DYAD=$BUILD/dyad
STAGES=$BUILD/bench/stages
D=$SHARED/petrarch2/dictionaries
if [ ! -d "$SHARED/conflibert" ]; then
    echo "SKIP bench/code.sh: $SHARED/conflibert is not here"
    exit 0
fi
if [ ! -x "$DYAD" ] || [ ! -x "$STAGES" ]; then
    echo "bench code: $DYAD or $STAGES not built (make)"
    exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# compiled dictionaries are cached here, so the load times are those of a cached run
XDG_CACHE_HOME=$tmp/cache
export XDG_CACHE_HOME
mkdir -p "$XDG_CACHE_HOME/dyad"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
# real news-style sentences: the ConfliBERT sentences, the GigaWord sample's texts (one <Text>
# over several lines) and the seed article, one JSONL record each, repeated with distinct ids
# to at least BENCH_SENTENCES sentences
one="$tmp/one.jsonl"
cut -f1 "$SHARED/conflibert/cameo_class/train.tsv" | sed 's/\\/\\\\/g; s/"/\\"/g' |
    awk '{printf "{\"id\":\"c%d\",\"date\":\"2018-01-01\",\"text\":\"%s\"}\n", NR, $0}' > "$one"
awk '/<Text>/ { on = 1; t = ""; next }
     /<\/Text>/ { on = 0; gsub(/^ +| +$/, "", t); gsub(/  +/, " ", t); if (t != "") print t; next }
     on { t = t " " $0 }' "$SHARED/petrarch2/text/GigaWord.sample.PETR.xml" |
    sed 's/\\/\\\\/g; s/"/\\"/g' |
    awk '{printf "{\"id\":\"g%d\",\"date\":\"2008-08-01\",\"text\":\"%s\"}\n", NR, $0}' >> "$one"
tr '\n' ' ' < "$SHARED/seed/compounds-2017-07-18.txt" | sed 's/\\/\\\\/g; s/"/\\"/g' |
    awk '{printf "{\"id\":\"seed\",\"date\":\"2017-07-18\",\"text\":\"%s\"}\n", $0}' >> "$one"
sents=$("$DYAD" segment --quiet --format jsonl "$one" | wc -l)
want=${BENCH_SENTENCES:-200000}
reps=$(( (want + sents - 1) / sents ))
big="$tmp/big.jsonl"
k=1
while [ $k -le $reps ]; do
    sed "s/\"id\":\"/\"id\":\"r$k-/" "$one"
    k=$((k + 1))
done > "$big"
total=$(( sents * reps ))
head -n $(( $(wc -l < "$big") / 10 )) "$big" > "$tmp/tenth.jsonl"
echo "input: $(wc -l < "$big") articles, $total sentences ($sents sentences x $reps), $(wc -c < "$big") bytes"
echo "dictionaries: shipped: dict/ (the default)"
phoenix=""
if [ -d "$D" ]; then
    for f in Phoenix.Countries.actors.txt Phoenix.International.actors.txt \
             Phoenix.MilNonState.actors.txt Phoenix.agents.txt Phoenix.discards.txt \
             Phoenix.IssueCoding.txt CAMEO.2.0.txt; do
        phoenix="$phoenix --dict $D/$f"
    done
    echo "              Phoenix: $D/{Phoenix.*.actors,Phoenix.agents,Phoenix.discards,Phoenix.IssueCoding,CAMEO.2.0}.txt"
fi
echo "command: $DYAD code --quiet --input jsonl BIG.jsonl > /dev/null"

# load alone: best of 5 runs on an empty input (the first run compiles the text dictionaries
# into the cache; the runs timed open the cached file, as every later run does)
load() {   # options... -> best wall seconds
    "$DYAD" code --quiet --input jsonl "$@" /dev/null > /dev/null
    i=0
    while [ $i -lt 5 ]; do
        t0=$(date +%s%N)
        "$DYAD" code --quiet --input jsonl "$@" /dev/null > /dev/null
        t1=$(date +%s%N)
        echo $(( (t1 - t0) / 1000 ))
        i=$((i + 1))
    done | sort -n | head -1 | awk '{ printf "%.3f", $1 / 1e6 }'
}
l1=$(load)
echo "load, shipped dictionaries (model + dictionaries, process start included, best of 5): $l1 s (target <= 0.150 s)"
if [ -n "$phoenix" ]; then
    # shellcheck disable=SC2086
    l2=$(load $phoenix)
    echo "load, Phoenix dictionaries (model + dictionaries, process start included, best of 5): $l2 s (target <= 0.150 s)"
fi

run() {   # jobs, options... -> "wall user rss"
    j=$1
    shift
    /usr/bin/time -f "%e %U %M" -o "$tmp/time" "$DYAD" code --quiet -j "$j" --input jsonl "$@" "$big" > /dev/null
    cat "$tmp/time"
}
set -- $(run 1)
w1=$1; u1=$2; m1=$3
echo "-j 1: $w1 s wall, $u1 s CPU, peak RSS $((m1 / 1024)) MB; $(echo "$total / $u1" | bc) sentences per CPU second; $(echo "$total / $w1" | bc) sentences/s wall"
set -- $(run 2)
w2=$1; m2=$3
echo "-j 2: $w2 s wall, peak RSS $((m2 / 1024)) MB; $(echo "$total / $w2" | bc) sentences/s wall"
echo "ratio -j 2 / -j 1 (wall): $(awk "BEGIN { printf \"%.2f\", $w1 / $w2 }") (targets: >= 5,000 sentences/s per core, -j 2 >= 1.7x)"
# streaming: peak memory on a tenth of the input against the whole
/usr/bin/time -f "%M" -o "$tmp/time" "$DYAD" code --quiet --input jsonl "$tmp/tenth.jsonl" > /dev/null
m10=$(cat "$tmp/time")
echo "streaming: peak RSS $((m10 / 1024)) MB on a tenth of the input, $((m1 / 1024)) MB on all of it: ratio $(awk "BEGIN { printf \"%.3f\", $m1 / $m10 }") (target < 1.10)"

# the same work split by stage, in one run: each stage timed with the thread's CPU clock
echo "stages, shipped dictionaries: $STAGES BIG.jsonl"
"$STAGES" --cache "$XDG_CACHE_HOME/dyad" "$big" | sed 's/^/  /'

if [ -n "$phoenix" ]; then
    # shellcheck disable=SC2086
    set -- $(run 1 $phoenix)
    echo "Phoenix dictionaries, -j 1: $1 s wall, $2 s CPU, peak RSS $(($3 / 1024)) MB; $(echo "$total / $2" | bc) sentences per CPU second (target: peak RSS <= 300 MB)"
    echo "stages, Phoenix dictionaries, a tenth of the input: $STAGES$phoenix TENTH.jsonl"
    # shellcheck disable=SC2086
    "$STAGES" --cache "$XDG_CACHE_HOME/dyad" $phoenix "$tmp/tenth.jsonl" | sed 's/^/  /'
else
    echo "Phoenix dictionaries: $D not found: skipped"
fi
