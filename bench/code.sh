#!/bin/sh
# code.sh - end to end: JSONL articles in, JSONL events out (segment, tag, parse, code, write).
# Prints the machine, the input and the commands; sentences per second on one core (CPU time),
# -j 1 against -j 2 on wall-clock time, load time and peak memory.
BUILD=${1:-build}
SHARED=${2:-../shared}
DYAD=$BUILD/dyad
if [ ! -d "$SHARED/conflibert" ]; then
    echo "SKIP bench/code.sh: $SHARED/conflibert is not here"
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
# real news-style sentences: the ConfliBERT sentences, the GigaWord sample's texts and the seed
# article, one JSONL record each, repeated with distinct ids to at least 200,000 sentences
one="$tmp/one.jsonl"
cut -f1 "$SHARED/conflibert/cameo_class/train.tsv" | sed 's/\\/\\\\/g; s/"/\\"/g' |
    awk '{printf "{\"id\":\"c%d\",\"date\":\"2018-01-01\",\"text\":\"%s\"}\n", NR, $0}' > "$one"
sed -n 's:.*<Text>\(.*\)</Text>.*:\1:p' "$SHARED/petrarch2/text/GigaWord.sample.PETR.xml" |
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
echo "input: $(wc -l < "$big") articles, $total sentences ($sents sentences x $reps), $(wc -c < "$big") bytes"
echo "command: $DYAD code --quiet --input jsonl BIG.jsonl > /dev/null"
# load alone: an empty input
t0=$(date +%s.%N); "$DYAD" code --quiet --input jsonl /dev/null > /dev/null; t1=$(date +%s.%N)
echo "load (model + dictionaries, process start included): $(awk "BEGIN { printf \"%.3f\", $t1 - $t0 }") s"
run() {   # jobs -> "wall user rss"
    /usr/bin/time -f "%e %U %M" -o "$tmp/time" "$DYAD" code --quiet -j "$1" --input jsonl "$big" > /dev/null
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
head -n $(( $(wc -l < "$big") / 10 )) "$big" > "$tmp/tenth.jsonl"
/usr/bin/time -f "%M" -o "$tmp/time" "$DYAD" code --quiet --input jsonl "$tmp/tenth.jsonl" > /dev/null
m10=$(cat "$tmp/time")
echo "streaming: peak RSS $((m10 / 1024)) MB on a tenth of the input, $((m1 / 1024)) MB on all of it: ratio $(awk "BEGIN { printf \"%.3f\", $m1 / $m10 }") (target < 1.10)"
