#!/bin/sh
# demo.sh - the main job on the embedded defaults: code the example articles, then the seed article.
DYAD=${1:-build/dyad}
SHARED=${2:-../shared}
set -e
echo "== dyad demo: the example articles in examples/ (dictionaries: dict/, model: models/) =="
"$DYAD" code --format table examples/articles.jsonl
seed="$SHARED/seed/compounds-2017-07-18.txt"
if [ -f "$seed" ]; then
    echo
    echo "== dyad demo: the seed article $seed (published Tuesday 2017-07-18) =="
    "$DYAD" code --format table --date 2017-07-18 --id compounds-2017-07-18 "$seed"
else
    echo "(the seed article lives in $SHARED/seed/; $SHARED is not here, so it is skipped)"
fi
