#!/bin/sh
# conflibert_asan_skip.sh - real news: event class and source/target spans stay above their floors.
DYAD=$1
SHARED=$2
if [ ! -d "$SHARED/conflibert" ]; then
    echo "SKIP conflibert: $SHARED/conflibert is not here"
    exit 0
fi
# floors a little below what the shipped dictionaries and model reach (see the issue notes):
# class accuracy 77.24%, no event 11.79%, span F1 0.700
out=$("$DYAD" eval conflibert --dir "$SHARED/conflibert" --floor-accuracy 76 --max-none 13 \
      --floor-f1 0.68 2>&1)
rc=$?
if [ $rc -eq 0 ]; then
    echo "PASS conflibert: $(printf '%s\n' "$out" | grep '^class:' | sed 's/.*: //')"
else
    echo "FAIL conflibert: exit $rc: $(printf '%s\n' "$out" | tail -1)"
fi
