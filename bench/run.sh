#!/bin/sh
# run.sh - run every benchmark in bench/ (called by `make bench` as: sh bench/run.sh BUILD SHARED).
BUILD=${1:-build}
SHARED=${2:-../shared}
status=0
for b in bench/*.sh; do
    [ "$b" = bench/run.sh ] && continue
    echo "== $b"
    sh "$b" "$BUILD" "$SHARED" || status=1
    echo
done
exit $status
