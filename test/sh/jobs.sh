#!/bin/sh
# jobs.sh - `dyad code -j N` gives exactly the output of one thread, in input order.
DYAD=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# the demo articles four times over, with distinct ids, so batches span several threads
for k in 1 2 3 4; do
    sed "s/\"id\": *\"\([^\"]*\)\"/\"id\":\"\1-$k\"/" examples/articles.jsonl
done > "$tmp/in.jsonl"
"$DYAD" code --quiet --input jsonl "$tmp/in.jsonl" > "$tmp/j1" 2> "$tmp/e1"; r1=$?
"$DYAD" code --quiet -j 3 --input jsonl "$tmp/in.jsonl" > "$tmp/j3" 2> "$tmp/e3"; r3=$?
n=$(grep -c '"kind":"event"' "$tmp/j1")
if [ $r1 -eq 0 ] && [ $r3 -eq 0 ] && [ "$n" -gt 0 ] && cmp -s "$tmp/j1" "$tmp/j3"; then
    echo "PASS jobs: -j 3 output equals -j 1 ($n events, input order kept)"
else
    echo "FAIL jobs: -j 3 differs from -j 1 (exit $r1/$r3, $n events)"
fi
"$DYAD" code -j 0 "$tmp/in.jsonl" > /dev/null 2> "$tmp/e0"; r0=$?
if [ $r0 -eq 2 ] && grep -q "^dyad: error: -j" "$tmp/e0"; then
    echo "PASS jobs: -j 0 is a usage error"
else
    echo "FAIL jobs: -j 0 gave exit $r0"
fi
