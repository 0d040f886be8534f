#!/bin/sh
# conflibert_asan_skip.sh - real news: event class and source/target spans stay above their floors.
DYAD=$1
SHARED=$2
if [ ! -d "$SHARED/conflibert" ]; then
    echo "SKIP conflibert: $SHARED/conflibert is not here"
    exit 0
fi
# floors a little below what the shipped dictionaries and model reach (see the issue notes):
# class accuracy 79.10%, no event 10.38%, span F1 0.758
out=$("$DYAD" eval conflibert --dir "$SHARED/conflibert" --floor-accuracy 78 --max-none 11.5 \
      --floor-f1 0.745 2>&1)
rc=$?
if [ $rc -eq 0 ]; then
    echo "PASS conflibert: $(printf '%s\n' "$out" | grep '^class:' | sed 's/.*: //'), span F1 $(printf '%s\n' "$out" | grep '^  both' | sed 's/.*F1 \([0-9.]*\).*/\1/')"
else
    echo "FAIL conflibert: exit $rc: $(printf '%s\n' "$out" | tail -1)"
fi
