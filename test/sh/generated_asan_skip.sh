#!/bin/sh
# generated.sh - generated sources are up to date with the data they come from.
tmp=$(mktemp)
sh scripts/gen-cameo-table.sh dict/cameo.txt > "$tmp"
if cmp -s "$tmp" src/cameo_table.c; then
    echo "PASS generated: src/cameo_table.c matches dict/cameo.txt"
else
    echo "FAIL generated: src/cameo_table.c is stale: run 'make cameo-table'"
fi
rm -f "$tmp"
