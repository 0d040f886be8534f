#!/bin/sh
# demo.sh - the main job on the embedded defaults: the example articles, then the seed article.
DYAD=${1:-build/dyad}
SHARED=${2:-../shared}
set -e
echo "== dyad demo: the example articles in examples/ =="
for f in examples/*.txt; do
    [ -f "$f" ] || continue
    date=$(basename "$f" | cut -c1-10)
    "$DYAD" segment --date "$date" "$f"
done
seed="$SHARED/seed/compounds-2017-07-18.txt"
if [ -f "$seed" ]; then
    echo
    echo "== dyad demo: the seed article $seed (published 2017-07-18) =="
    "$DYAD" segment --date 2017-07-18 "$seed"
else
    echo "(the seed article is in $SHARED/seed/; $SHARED is not here, so it is skipped)"
fi
